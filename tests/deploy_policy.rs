//! The IAM policy the README gives for `worklog deploy` (and the S3 workflow lists)
//! against the requests deploy really makes: moto records every request of a first
//! deploy (uploads, one in parts) and of a second (the record of the last deploy read
//! back, deletions, an invalidation), and each must be allowed by the policy, on the
//! resource it names. An action the policy grants and no deploy uses is an error too.
mod common;
use std::collections::BTreeSet;

use common::deploy::*;
use common::moto::Moto;
use common::*;

/// The README's policy: (action, resource) pairs, with its example bucket and
/// distribution.
fn readme_policy() -> BTreeSet<(String, String)> {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let block = readme
        .split("```json\n")
        .skip(1)
        .map(|b| b.split("```").next().unwrap())
        .find(|b| b.contains("\"Sid\": \"Worklog"))
        .expect("the README has the deploy policy");
    let policy: serde_json::Value = serde_json::from_str(block).unwrap();
    let mut allowed = BTreeSet::new();
    for statement in policy["Statement"].as_array().unwrap() {
        assert_eq!(statement["Effect"], "Allow");
        let actions = match &statement["Action"] {
            serde_json::Value::String(one) => vec![one.clone()],
            many => many
                .as_array()
                .unwrap()
                .iter()
                .map(|a| a.as_str().unwrap().to_string())
                .collect(),
        };
        let resource = statement["Resource"].as_str().unwrap().to_string();
        for action in actions {
            allowed.insert((action, resource.clone()));
        }
    }
    allowed
}

const BUCKET_ARN: &str = "arn:aws:s3:::my-journal-bucket";
const OBJECTS_ARN: &str = "arn:aws:s3:::my-journal-bucket/*";
const DISTRIBUTION_ARN: &str = "arn:aws:cloudfront::123456789012:distribution/E2QWRUHAPOMQZL";

/// The IAM action a recorded request needs, and the README resource it acts on.
fn needs(method: &str, url: &str) -> (&'static str, &'static str) {
    let path_and_query = url.splitn(4, '/').nth(3).map_or("", |p| p);
    let (path, query) = path_and_query
        .split_once('?')
        .unwrap_or((path_and_query, ""));
    let has = |name: &str| query.split('&').any(|q| q.split('=').next() == Some(name));
    if path.starts_with("2020-05-31/") {
        return match (method, path.ends_with("/invalidation")) {
            ("POST", true) => ("cloudfront:CreateInvalidation", DISTRIBUTION_ARN),
            ("GET", false) => ("cloudfront:GetDistribution", DISTRIBUTION_ARN),
            _ => panic!("a CloudFront request this test does not know: {method} {url}"),
        };
    }
    let on_bucket = !path.trim_end_matches('/').contains('/');
    match (method, on_bucket) {
        ("GET" | "HEAD", true) if !has("location") => ("s3:ListBucket", BUCKET_ARN),
        ("POST", true) if has("delete") => ("s3:DeleteObject", OBJECTS_ARN),
        ("GET" | "HEAD", false) => ("s3:GetObject", OBJECTS_ARN),
        ("PUT", false) if !has("x-amz-copy-source") => ("s3:PutObject", OBJECTS_ARN),
        ("POST", false) if has("uploads") || has("uploadId") => ("s3:PutObject", OBJECTS_ARN),
        ("DELETE", false) if has("uploadId") => ("s3:AbortMultipartUpload", OBJECTS_ARN),
        ("DELETE", false) => ("s3:DeleteObject", OBJECTS_ARN),
        _ => panic!("an S3 request this test does not know: {method} {url}"),
    }
}

#[test]
fn the_readme_policy_allows_every_request_of_a_deploy_and_nothing_more() {
    let recording = tempfile::tempdir().unwrap();
    let file = recording.path().join("requests.jsonl");
    let Some(moto) = Moto::start_with(&[("MOTO_RECORDER_FILEPATH", file.to_str().unwrap())]) else {
        return;
    };
    moto.create_bucket(BUCKET);
    let distribution = create_distribution(&moto);
    let site = site();
    let big: Vec<u8> = (0..9 * 1024 * 1024u32).map(|i| (i % 251) as u8).collect();
    site.write_bytes("static/video/big.bin", &big);
    let (status, _, _) = moto.request("POST", "/moto-api/recorder/start-recording");
    assert_eq!(status, 200);

    deploy(&site, &moto, &["--distribution", &distribution]).ok();
    site.write(
        "content/1-Worklog/1.1-Week1/_index.md",
        &week(1, "", "First week, edited.\n"),
    );
    site.remove("content/1-Worklog/1.2-Week2/_index.md");
    let second = deploy(&site, &moto, &["--distribution", &distribution, "--yes"]);
    second.ok();
    assert!(second.stdout.contains("deleted"), "{}", second.stdout);

    let (status, _, _) = moto.request("POST", "/moto-api/recorder/stop-recording");
    assert_eq!(status, 200);
    let recorded = std::fs::read_to_string(&file).unwrap();
    let mut used = BTreeSet::new();
    // moto writes each request, then its newline, in two writes: with uploads running in
    // parallel, two requests can share a line. Each is whole: read them as a stream.
    for request in serde_json::Deserializer::from_str(&recorded).into_iter::<serde_json::Value>() {
        let request = request.unwrap();
        let method = request["method"].as_str().unwrap();
        let url = request["url"].as_str().unwrap();
        if url.contains("/moto-api/") {
            continue;
        }
        used.insert(needs(method, url));
    }
    let allowed = readme_policy();
    for (action, resource) in &used {
        assert!(
            allowed.contains(&(action.to_string(), resource.to_string())),
            "deploy needs {action} on {resource}, and the README's policy does not allow it: {allowed:?}"
        );
    }
    for must in [
        "s3:ListBucket",
        "s3:GetObject",
        "s3:PutObject",
        "s3:DeleteObject",
        "cloudfront:CreateInvalidation",
    ] {
        assert!(
            used.iter().any(|(a, _)| *a == must),
            "the deploys never needed {must}: {used:?}"
        );
    }
    // Only what a deploy uses; abandoning an upload in parts happens after one failed.
    for (action, resource) in &allowed {
        assert!(
            action == "s3:AbortMultipartUpload"
                || used.contains(&(action.as_str(), resource.as_str())),
            "the README's policy grants {action} on {resource}, which no deploy uses"
        );
    }

    // The S3 workflow's comment names the same actions.
    let workflow = worklog::scaffold::workflows::text(worklog::scaffold::workflows::Publish::S3);
    let named: BTreeSet<&str> = workflow
        .split(|c: char| c.is_whitespace() || c == ',' || c == ';')
        .filter(|w| (w.starts_with("s3:") || w.starts_with("cloudfront:")) && !w.contains("//"))
        .collect();
    let granted: BTreeSet<&str> = allowed.iter().map(|(a, _)| a.as_str()).collect();
    assert_eq!(
        named, granted,
        "the S3 workflow's comment and the README's policy differ"
    );
}
