//! Deploy tests' fixture: a small journal, and `worklog deploy` run on it against moto.

use std::process::Command;

use super::moto::Moto;
use super::*;

pub const BUCKET: &str = "journal";

pub fn site() -> TestSite {
    TestSite::with(&[
        (
            "worklog.toml",
            "title = \"J\"\nbase_url = \"https://d.cloudfront.net/\"\n",
        ),
        (
            "content/1-Worklog/_index.md",
            "---\ntitle: Worklog\nweight: 1\n---\nAll weeks.\n",
        ),
        (
            "content/1-Worklog/1.1-Week1/_index.md",
            &week(1, "", "First week.\n"),
        ),
        (
            "content/1-Worklog/1.2-Week2/_index.md",
            &week(2, "", "Second week.\n"),
        ),
        (
            "content/2-Tuần/_index.md",
            "---\ntitle: Tuần\nweight: 2\n---\nMột.\n",
        ),
        ("static/images/vpc.png", "png"),
    ])
}

/// `worklog deploy` on `site` against `moto`, with test credentials and no ~/.aws.
pub fn deploy(site: &TestSite, moto: &Moto, args: &[&str]) -> Run {
    let mut cmd = worklog();
    cmd.arg("deploy")
        .arg("-s")
        .arg(site.path())
        .args([
            "--target",
            &format!("s3://{BUCKET}"),
            "--endpoint",
            &moto.url,
        ])
        .args(args);
    env(&mut cmd, site, moto);
    run(cmd)
}

pub fn env(cmd: &mut Command, site: &TestSite, moto: &Moto) {
    for var in [
        "AWS_PROFILE",
        "AWS_SESSION_TOKEN",
        "AWS_ENDPOINT_URL",
        "AWS_ENDPOINT_URL_S3",
        "AWS_CONFIG_FILE",
        "AWS_SHARED_CREDENTIALS_FILE",
        "AWS_REGION",
        "AWS_DEFAULT_REGION",
    ] {
        cmd.env_remove(var);
    }
    cmd.env("HOME", site.path())
        .env("AWS_ACCESS_KEY_ID", "test")
        .env("AWS_SECRET_ACCESS_KEY", "test")
        .env("AWS_ENDPOINT_URL_CLOUDFRONT", &moto.url);
}

pub fn start() -> Option<(Moto, TestSite)> {
    let moto = Moto::start()?;
    moto.create_bucket(BUCKET);
    Some((moto, site()))
}

/// A CloudFront distribution in moto; its id.
pub fn create_distribution(moto: &Moto) -> String {
    let config = r#"<?xml version="1.0" encoding="UTF-8"?><DistributionConfig xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"><CallerReference>worklog-test</CallerReference><Origins><Quantity>1</Quantity><Items><Origin><Id>s3</Id><DomainName>journal.s3.amazonaws.com</DomainName><S3OriginConfig><OriginAccessIdentity></OriginAccessIdentity></S3OriginConfig></Origin></Items></Origins><DefaultCacheBehavior><TargetOriginId>s3</TargetOriginId><ViewerProtocolPolicy>redirect-to-https</ViewerProtocolPolicy><TrustedSigners><Enabled>false</Enabled><Quantity>0</Quantity></TrustedSigners><ForwardedValues><QueryString>false</QueryString><Cookies><Forward>none</Forward></Cookies></ForwardedValues><MinTTL>0</MinTTL></DefaultCacheBehavior><Comment>test</Comment><Enabled>true</Enabled></DistributionConfig>"#;
    let (status, body) = cloudfront(moto, "POST", "/2020-05-31/distribution", config);
    assert!((200..300).contains(&status), "{body}");
    between(&body, "<Id>", "</Id>").to_string()
}

/// A signed CloudFront API call to moto: the status and the body.
pub fn cloudfront(moto: &Moto, method: &str, path: &str, body: &str) -> (u16, String) {
    let keys = worklog::deploy::credentials::Keys {
        access_key: "test".into(),
        secret_key: "test".into(),
        session_token: None,
    };
    worklog::deploy::cloudfront::call(Some(&moto.url), method, path, body, &keys).unwrap()
}
