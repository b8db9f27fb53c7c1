//! `worklog deploy` against a real S3 API (moto_server, see tests/common/moto.rs): what
//! is uploaded with which headers, what a second deploy leaves alone, deletions and
//! their limit, dry runs, uploads in parts, rule changes, errors, and the CloudFront
//! invalidation it sends.
mod common;
use std::collections::BTreeMap;

use std::process::Command;

use common::deploy::*;
use common::moto::Moto;
use common::*;

fn changed(before: &BTreeMap<String, usize>, after: &BTreeMap<String, usize>) -> Vec<String> {
    after
        .iter()
        .filter(|(k, n)| before.get(*k) != Some(n))
        .map(|(k, _)| k.clone())
        .filter(|k| k != ".worklog-deploy.json")
        // The search index changes with any page (its own test below).
        .filter(|k| !k.starts_with("pagefind/"))
        .collect()
}

#[test]
fn the_first_deploy_uploads_everything_with_its_headers_and_the_second_nothing() {
    let Some((moto, site)) = start() else { return };
    let run = deploy(&site, &moto, &[]);
    run.ok();
    let keys = moto.keys(BUCKET);
    for key in [
        "index.html",
        "1-worklog/index.html",
        "1-worklog/",
        "1-worklog/1.1-week1/",
        "2-tuần/",
        "404.html",
        "sitemap.xml",
        "robots.txt",
        ".nojekyll",
        "images/vpc.png",
        ".worklog-deploy.json",
    ] {
        assert!(keys.contains(&key.to_string()), "{key} not in {keys:?}");
    }
    assert!(!keys.contains(&String::new()));
    let css = keys
        .iter()
        .find(|k| k.starts_with("css/worklog.") && k.len() == "css/worklog.3f9a1c2b.css".len())
        .unwrap();
    assert_eq!(
        moto.header(BUCKET, css, "content-type"),
        "text/css; charset=utf-8"
    );
    assert_eq!(
        moto.header(BUCKET, css, "cache-control"),
        "public, max-age=31536000, immutable"
    );
    for key in ["index.html", "1-worklog/"] {
        assert_eq!(
            moto.header(BUCKET, key, "content-type"),
            "text/html; charset=utf-8"
        );
        assert_eq!(moto.header(BUCKET, key, "cache-control"), "no-cache");
    }
    assert_eq!(
        moto.object(BUCKET, "1-worklog/").1,
        moto.object(BUCKET, "1-worklog/index.html").1
    );
    assert_eq!(
        moto.header(BUCKET, "sitemap.xml", "cache-control"),
        "no-cache"
    );
    assert!(
        moto.header(BUCKET, "sitemap.xml", "content-type")
            .starts_with("application/xml")
    );
    assert_eq!(
        moto.header(BUCKET, "images/vpc.png", "content-type"),
        "image/png"
    );
    assert!(
        run.stdout
            .contains(&format!("uploaded {} (", keys.len() - 1))
            && run.stdout.contains("deleted 0, unchanged 0"),
        "{}",
        run.stdout
    );

    let before = moto.uploads(BUCKET);
    let run = deploy(&site, &moto, &[]);
    run.ok();
    assert!(
        run.stdout.contains("uploaded 0 (0 B), deleted 0"),
        "{}",
        run.stdout
    );
    assert_eq!(moto.uploads(BUCKET), before, "the second deploy uploaded");
}

#[test]
fn an_edit_uploads_that_page_and_invalidates_its_urls_only() {
    let Some((moto, site)) = start() else { return };
    let distribution = create_distribution(&moto);
    deploy(&site, &moto, &["--distribution", &distribution]).ok();
    assert!(
        invalidations(&moto, &distribution).is_empty(),
        "nothing was cached yet"
    );
    let before = moto.uploads(BUCKET);

    site.write(
        "content/1-Worklog/1.1-Week1/_index.md",
        &week(1, "", "First week, edited.\n"),
    );
    let run = deploy(&site, &moto, &["--distribution", &distribution]);
    run.ok();
    assert_eq!(
        changed(&before, &moto.uploads(BUCKET)),
        // The print page holds every page's text.
        [
            "1-worklog/1.1-week1/",
            "1-worklog/1.1-week1/index.html",
            "print/",
            "print/index.html"
        ]
    );
    let sent = invalidations(&moto, &distribution);
    assert_eq!(sent.len(), 1, "one invalidation");
    assert_eq!(
        sent[0],
        [
            "/1-worklog/1.1-week1",
            "/1-worklog/1.1-week1/",
            "/1-worklog/1.1-week1/index.html",
            "/pagefind/en/pagefind-entry.json",
            "/print",
            "/print/",
            "/print/index.html"
        ]
    );
    assert!(
        run.stdout.contains("7 invalidation paths sent"),
        "{}",
        run.stdout
    );

    let run = deploy(&site, &moto, &["--distribution", &distribution]);
    assert!(
        run.stdout.contains("no invalidation (nothing changed)"),
        "{}",
        run.stdout
    );
    assert_eq!(invalidations(&moto, &distribution).len(), 1);
}

/// A deploy cut short after uploading a page, before recording what it sent, is finished
/// by the next one: the page is sent again with its headers and its URLs invalidated.
#[test]
fn an_interrupted_deploy_is_finished_by_the_next() {
    let Some((moto, site)) = start() else { return };
    let distribution = create_distribution(&moto);
    deploy(&site, &moto, &[]).ok();
    site.write(
        "content/1-Worklog/1.1-Week1/_index.md",
        &week(1, "", "First week, edited.\n"),
    );
    site.build(&[]).ok();
    let page = site.read("1-worklog/1.1-week1/index.html");
    // The interrupted deploy got the new page up, without its headers or the manifest.
    moto.put(BUCKET, "1-worklog/1.1-week1/index.html", page.as_bytes());
    let run = deploy(&site, &moto, &["--distribution", &distribution]);
    run.ok();
    // The page and the print page, each under its two keys, and the four files of the
    // search index that changed.
    assert!(run.stdout.contains("uploaded 8 ("), "{}", run.stdout);
    assert_eq!(
        moto.header(BUCKET, "1-worklog/1.1-week1/index.html", "cache-control"),
        "no-cache"
    );
    assert_eq!(
        moto.object(BUCKET, "1-worklog/1.1-week1/").1,
        page.as_bytes()
    );
    assert_eq!(
        invalidations(&moto, &distribution)[0],
        [
            "/1-worklog/1.1-week1",
            "/1-worklog/1.1-week1/",
            "/1-worklog/1.1-week1/index.html",
            "/pagefind/en/pagefind-entry.json",
            "/print",
            "/print/",
            "/print/index.html"
        ]
    );
    let run = deploy(&site, &moto, &[]);
    assert!(run.stdout.contains("uploaded 0 ("), "{}", run.stdout);
}

/// Invalidation paths a deploy recorded and did not get to send (it was cut short after
/// deleting, or CloudFront refused) are sent by the next one, then forgotten.
#[test]
fn unsent_invalidations_are_sent_by_the_next_deploy() {
    let Some((moto, site)) = start() else { return };
    let distribution = create_distribution(&moto);
    deploy(&site, &moto, &[]).ok();
    let manifest = String::from_utf8(moto.object(BUCKET, ".worklog-deploy.json").1).unwrap();
    let cut_short = manifest.replace(
        "\"pending_invalidation\":[]",
        "\"pending_invalidation\":[\"/gone/\",\"/gone\"]",
    );
    assert_ne!(cut_short, manifest);
    moto.put(BUCKET, ".worklog-deploy.json", cut_short.as_bytes());
    // Nothing to send without a distribution: the paths are kept.
    deploy(&site, &moto, &[]).ok();
    let run = deploy(&site, &moto, &["--distribution", &distribution]);
    run.ok();
    assert!(run.stdout.contains("uploaded 0 ("), "{}", run.stdout);
    assert_eq!(invalidations(&moto, &distribution), [["/gone", "/gone/"]]);
    deploy(&site, &moto, &["--distribution", &distribution]).ok();
    assert_eq!(invalidations(&moto, &distribution).len(), 1);
}

/// A Vietnamese folder is sent URL-encoded; past the count, paths become wildcards.
#[test]
fn invalidation_paths_are_encoded_and_collapsed() {
    let Some((moto, site)) = start() else { return };
    let distribution = create_distribution(&moto);
    deploy(&site, &moto, &[]).ok();
    site.write(
        "content/2-Tuần/_index.md",
        "---\ntitle: Tuần\nweight: 2\n---\nHai.\n",
    );
    deploy(&site, &moto, &["--distribution", &distribution]).ok();
    assert_eq!(
        invalidations(&moto, &distribution)[0],
        [
            "/2-tu%E1%BA%A7n",
            "/2-tu%E1%BA%A7n/",
            "/2-tu%E1%BA%A7n/index.html",
            "/pagefind/en/pagefind-entry.json",
            "/print",
            "/print/",
            "/print/index.html"
        ]
    );
    // A title shown in every page's nav changes every page.
    site.write(
        "content/2-Tuần/_index.md",
        "---\ntitle: Tuần 2\nweight: 2\n---\nHai.\n",
    );
    site.write("worklog.toml", "title = \"J\"\nbase_url = \"https://d.cloudfront.net/\"\n[deploy]\nmax_invalidation_paths = 8\n");
    let run = deploy(&site, &moto, &["--distribution", &distribution]);
    run.ok();
    let all = invalidations(&moto, &distribution);
    let mut last = all
        .into_iter()
        .find(|p| p.iter().any(|p| p.ends_with('*')))
        .unwrap();
    last.sort();
    assert!(last.len() <= 8, "{last:?}");
    assert!(last.contains(&"/1-worklog*".to_string()), "{last:?}");
}

#[test]
fn a_deleted_page_is_deleted_and_too_many_deletions_are_refused() {
    let Some((moto, site)) = start() else { return };
    deploy(&site, &moto, &[]).ok();
    site.remove("content/1-Worklog/1.2-Week2/_index.md");
    let keys = moto.keys(BUCKET);
    // Two objects go (the page and its folder key): one allowed is refused whole.
    let run = deploy(&site, &moto, &["--max-deletes", "1"]);
    run.failed();
    assert!(
        run.stderr.contains("more than the 1 allowed"),
        "{}",
        run.stderr
    );
    assert_eq!(moto.keys(BUCKET), keys, "the refusal changed the bucket");

    let run = deploy(&site, &moto, &[]);
    run.ok();
    // The page's two keys, and the three search index files it was in.
    assert!(run.stdout.contains("deleted 5"), "{}", run.stdout);
    let after = moto.keys(BUCKET);
    assert!(
        !after.iter().any(|k| k.starts_with("1-worklog/1.2-week2")),
        "{after:?}"
    );
    assert!(after.contains(&"1-worklog/1.1-week1/".to_string()));
}

/// The files of a search index that a new one replaces are not what `max-deletes` guards:
/// an edit replaces several, and a week inserted replaces most of them.
#[test]
fn the_old_search_index_files_go_without_counting_as_deletions() {
    let Some((moto, site)) = start() else { return };
    deploy(&site, &moto, &[]).ok();
    let index_files = |keys: &[String]| -> Vec<String> {
        keys.iter()
            .filter(|k| worklog::search::is_hashed(k))
            .cloned()
            .collect()
    };
    let before = index_files(&moto.keys(BUCKET));
    site.write(
        "content/1-Worklog/1.1-Week1/_index.md",
        &week(1, "", "First week, with Lambda.\n"),
    );
    let run = deploy(&site, &moto, &["--max-deletes", "0"]);
    run.ok();
    let after = index_files(&moto.keys(BUCKET));
    let gone: Vec<&String> = before.iter().filter(|k| !after.contains(k)).collect();
    assert!(gone.len() >= 2, "{before:?} → {after:?}");
    assert!(
        run.stdout.contains(&format!("deleted {}", gone.len())),
        "{}",
        run.stdout
    );
}

#[test]
fn a_dry_run_changes_nothing() {
    let Some((moto, site)) = start() else { return };
    let run = deploy(&site, &moto, &["--dry-run"]);
    run.ok();
    assert!(
        run.stdout.contains("upload 1-worklog/ (New)"),
        "{}",
        run.stdout
    );
    assert!(moto.keys(BUCKET).is_empty());
    deploy(&site, &moto, &[]).ok();
    let before = moto.uploads(BUCKET);
    site.write(
        "content/1-Worklog/1.1-Week1/_index.md",
        &week(1, "", "Edited.\n"),
    );
    site.remove("content/1-Worklog/1.2-Week2/_index.md");
    let run = deploy(&site, &moto, &["--dry-run"]);
    run.ok();
    assert!(
        run.stdout.contains("delete 1-worklog/1.2-week2/index.html"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("nothing was changed"), "{}", run.stdout);
    assert_eq!(moto.uploads(BUCKET), before);
}

/// An object uploaded in parts has an ETag that is not its MD5: the MD5 is kept in its
/// metadata and in the manifest, so the next deploy does not send it again.
#[test]
fn a_file_uploaded_in_parts_is_not_uploaded_again() {
    let Some((moto, site)) = start() else { return };
    let big: Vec<u8> = (0..9 * 1024 * 1024u32).map(|i| (i % 251) as u8).collect();
    site.write_bytes("static/video/big.bin", &big);
    deploy(&site, &moto, &[]).ok();
    let etag = moto.header(BUCKET, "video/big.bin", "etag");
    assert!(etag.contains('-'), "not uploaded in parts: {etag}");
    assert_eq!(
        moto.header(BUCKET, "video/big.bin", "x-amz-meta-md5").len(),
        32
    );
    assert_eq!(moto.object(BUCKET, "video/big.bin").1, big);
    let before = moto.uploads(BUCKET);
    deploy(&site, &moto, &[]).ok();
    assert_eq!(moto.uploads(BUCKET), before);
    // Without the manifest, the object's own metadata tells its MD5.
    moto.delete(BUCKET, ".worklog-deploy.json");
    assert!(
        !moto
            .keys(BUCKET)
            .contains(&".worklog-deploy.json".to_string())
    );
    let run = deploy(&site, &moto, &[]);
    run.ok();
    assert_eq!(
        moto.uploads(BUCKET).get("video/big.bin"),
        before.get("video/big.bin"),
        "{}",
        run.stdout
    );
}

/// A changed Cache-Control rule re-uploads exactly the objects it matches.
#[test]
fn a_rule_change_reuploads_only_the_matching_objects() {
    let Some((moto, site)) = start() else { return };
    site.write("static/images/b.png", "png2");
    deploy(&site, &moto, &[]).ok();
    let before = moto.uploads(BUCKET);
    site.write(
        "worklog.toml",
        "title = \"J\"\nbase_url = \"https://d.cloudfront.net/\"\n[[deploy.headers]]\nglob = \"images/**\"\ncache_control = \"public, max-age=86400\"\n",
    );
    deploy(&site, &moto, &[]).ok();
    assert_eq!(
        changed(&before, &moto.uploads(BUCKET)),
        ["images/b.png", "images/vpc.png"]
    );
    assert_eq!(
        moto.header(BUCKET, "images/b.png", "cache-control"),
        "public, max-age=86400"
    );
}

#[test]
fn errors_are_one_clear_line() {
    let Some((moto, site)) = start() else { return };
    let mut cmd = worklog();
    cmd.args(["deploy", "-s"]).arg(site.path()).args([
        "--target",
        "s3://no-such-bucket",
        "--endpoint",
        &moto.url,
    ]);
    env(&mut cmd, &site, &moto);
    let run = common::run(cmd);
    run.failed();
    assert_eq!(
        run.stderr.trim(),
        "error: s3://no-such-bucket: no such bucket"
    );

    let mut cmd = worklog();
    cmd.args(["deploy", "-s"]).arg(site.path()).args([
        "--target",
        "s3://journal",
        "--endpoint",
        &moto.url,
    ]);
    env(&mut cmd, &site, &moto);
    cmd.env_remove("AWS_ACCESS_KEY_ID");
    let run = common::run(cmd);
    run.failed();
    assert!(
        run.stderr.starts_with("error: no AWS credentials:") && run.stderr.lines().count() == 1,
        "{}",
        run.stderr
    );

    site.write(
        ".aws/config",
        "[profile sso]\ncredential_process = sh -c 'echo \"The SSO session has expired\" >&2; exit 1'\n",
    );
    let run = deploy(&site, &moto, &["--profile", "sso"]);
    run.failed();
    assert!(
        run.stderr.contains("SSO session has expired"),
        "{}",
        run.stderr
    );

    let mut cmd = worklog();
    cmd.args(["deploy", "-s"]).arg(site.path()).args([
        "--target",
        "s3://journal",
        "--endpoint",
        "http://127.0.0.1:1",
    ]);
    env(&mut cmd, &site, &moto);
    let run = common::run(cmd);
    run.failed();
    assert!(run.stderr.contains("cannot reach"), "{}", run.stderr);
    assert!(moto.keys(BUCKET).is_empty());
}

/// The CloudFront distribution tests invalidate.
/// The paths of each invalidation of `distribution`, read back with ListInvalidations
/// and GetInvalidation.
fn invalidations(moto: &Moto, distribution: &str) -> Vec<Vec<String>> {
    let path = format!("/2020-05-31/distribution/{distribution}/invalidation");
    let (status, list) = cloudfront(moto, "GET", &path, "");
    assert_eq!(status, 200, "{list}");
    let ids: Vec<String> = list
        .split("<InvalidationSummary>")
        .skip(1)
        .map(|s| between(s, "<Id>", "</Id>").to_string())
        .collect();
    ids.iter()
        .map(|id| {
            let (status, one) = cloudfront(moto, "GET", &format!("{path}/{id}"), "");
            assert_eq!(status, 200, "{one}");
            let mut paths: Vec<String> = one
                .split("<Path>")
                .skip(1)
                .map(|p| p.split("</Path>").next().unwrap().to_string())
                .collect();
            paths.sort();
            paths
        })
        .collect()
}

/// moto does not check the signatures of presigned requests, so S3's refusals are played
/// by a server answering every request as S3 does when it refuses one.
#[test]
fn refused_credentials_and_denied_requests_are_one_clear_line() {
    let site = site();
    for (code, message, expected) in [
        (
            "InvalidAccessKeyId",
            "The AWS Access Key Id you provided does not exist in our records.",
            "error: s3://journal: the credentials were refused (InvalidAccessKeyId: The AWS Access Key Id you provided does not exist in our records.)",
        ),
        (
            "AccessDenied",
            "Access Denied",
            "error: s3://journal: access denied to list (Access Denied): the credentials need s3:ListBucket, s3:GetObject, s3:PutObject and s3:DeleteObject on it",
        ),
    ] {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let body = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{code}</Code><Message>{message}</Message></Error>"
        );
        std::thread::spawn(move || {
            use std::io::{Read, Write};
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let mut buf = [0; 4096];
                let _ = stream.read(&mut buf);
                let _ = write!(
                    stream,
                    "HTTP/1.1 403 Forbidden\r\nContent-Type: application/xml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
            }
        });
        let mut cmd = worklog();
        cmd.args(["deploy", "-s"])
            .arg(site.path())
            .args(["--target", "s3://journal", "--endpoint", &url])
            .env("HOME", site.path())
            .env("AWS_ACCESS_KEY_ID", "wrong")
            .env("AWS_SECRET_ACCESS_KEY", "wrong");
        let run = common::run(cmd);
        run.failed();
        assert_eq!(run.stderr.trim(), expected);
    }
}

/// `[deploy]` in worklog.toml is read like the rest of it: a mistake names its line.
#[test]
fn a_wrong_deploy_setting_names_its_line() {
    let site = site();
    site.write(
        "worklog.toml",
        "title = \"J\"\n\n[deploy]\ntarget = \"s3://journal\"\nmax_deletes = \"many\"\n",
    );
    let mut cmd = worklog();
    cmd.args(["deploy", "-s"]).arg(site.path());
    let run = common::run(cmd);
    run.failed();
    assert!(
        run.stderr.contains(
            "worklog.toml:5: [deploy] `max_deletes`: invalid type: string \"many\", expected usize"
        ),
        "{}",
        run.stderr
    );
}

/// On a terminal, deploy asks before deleting; `n` changes nothing, `y` deletes.
#[test]
fn a_terminal_is_asked_before_deleting() {
    let Some((moto, site)) = start() else { return };
    deploy(&site, &moto, &[]).ok();
    site.remove("content/1-Worklog/1.2-Week2/_index.md");
    let keys = moto.keys(BUCKET);
    let on_a_terminal = |answer: &str| {
        // `script` (util-linux, in every Debian) runs the command on a pseudo-terminal.
        let command = format!(
            "{} deploy -s {} --target s3://{BUCKET} --endpoint {}",
            env!("CARGO_BIN_EXE_worklog"),
            site.path().display(),
            moto.url
        );
        let mut cmd = Command::new("script");
        cmd.args(["-qec", &command, "/dev/null"]);
        env(&mut cmd, &site, &moto);
        let mut child = cmd
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(answer.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        )
    };
    let (status, stdout) = on_a_terminal("n\n");
    assert!(stdout.contains("Delete these 5 objects? [y/N]"), "{stdout}");
    assert_eq!(status, Some(1), "{stdout}");
    assert_eq!(moto.keys(BUCKET), keys);
    let (status, stdout) = on_a_terminal("y\n");
    assert_eq!(status, Some(0), "{stdout}");
    assert!(stdout.contains("deleted 5"), "{stdout}");
}

/// A prefix keeps the site, its folder keys and its manifest under it, and leaves the
/// rest of the bucket alone.
#[test]
fn a_prefix_target_stays_under_its_prefix() {
    let Some((moto, site)) = start() else { return };
    let mut cmd = worklog();
    cmd.args(["deploy", "-s"]).arg(site.path()).args([
        "--target",
        &format!("s3://{BUCKET}/other"),
        "--endpoint",
        &moto.url,
    ]);
    env(&mut cmd, &site, &moto);
    common::run(cmd).ok();
    let other = moto.keys(BUCKET);
    let target = format!("s3://{BUCKET}/j/");
    let mut cmd = worklog();
    cmd.args(["deploy", "-s"]).arg(site.path()).args([
        "--target",
        &target,
        "--endpoint",
        &moto.url,
    ]);
    env(&mut cmd, &site, &moto);
    common::run(cmd).ok();
    let keys = moto.keys(BUCKET);
    let mine: Vec<&String> = keys.iter().filter(|k| !other.contains(k)).collect();
    assert!(mine.iter().all(|k| k.starts_with("j/")), "{mine:?}");
    for key in [
        "j/index.html",
        "j/",
        "j/1-worklog/",
        "j/.worklog-deploy.json",
    ] {
        assert!(keys.contains(&key.to_string()), "{key} not in {mine:?}");
    }
    assert!(other.iter().all(|k| keys.contains(k)));
}
