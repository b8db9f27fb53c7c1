//! `worklog check`: each kind of problem with its file and line, exit codes, JSON.
mod common;
use common::*;

fn check(site: &TestSite, args: &[&str]) -> Run {
    let mut cmd = worklog();
    cmd.current_dir(site.path()).arg("check").args(args);
    run(cmd)
}

fn broken_site() -> TestSite {
    TestSite::with(&[
        (
            "config.toml",
            "defaultContentLanguage = 'en'\n[languages.en]\nweight = 1\n[languages.vi]\nweight = 2\n",
        ),
        ("content/_index.vi.md", "---\ntitle: Trang chủ\n---\n"),
        (
            "content/1-Worklog/1.1-Week1/_index.md",
            &week(
                1,
                "",
                "## Local\n\
                 [fine](../1.2-week2/) [anchor](../1.2-week2/#goals) [own](#local)\n\
                 [gone](../1.9-Week9/)\n\
                 [case](../1.2-Week2/)\n\
                 ![image](/images/none.png)\n\
                 [no anchor](../1.2-week2/#nope)\n\
                 <a href=\"#nowhere\">here</a>\n",
            ),
        ),
        (
            "content/1-Worklog/1.1-Week1/_index.vi.md",
            &week(1, "", "Tuần 1.\n"),
        ),
        (
            "content/1-Worklog/1.2-Week2/_index.md",
            &week(2, "", "## Goals\n\nText.\n"),
        ),
        (
            "content/secret.md",
            "---\ntitle: Secret\nhidden: true\n---\n",
        ),
        ("content/only-vi/_index.vi.md", "---\ntitle: Chỉ có\n---\n"),
    ])
}

#[test]
fn every_kind_of_problem_is_reported_with_its_line_and_fails_the_check() {
    let site = broken_site();
    let run = check(&site, &[]);
    run.failed();
    let week1 = "content/1-Worklog/1.1-Week1/_index.md";
    let expected = [
        format!("{week1}:9: missing: link `../1.9-Week9/` points to no page or file of the site"),
        format!("{week1}:10: case: link `../1.2-Week2/` differs from its target in letter case only: written as `/1-worklog/1.2-week2/`"),
        format!("{week1}:11: missing: link `/images/none.png` points to no page or file of the site"),
        format!("{week1}:12: anchor: link `../1.2-week2/#nope`: /1-worklog/1.2-week2/ has no heading or element with id `nope`"),
        format!("{week1}:13: anchor: link `#nowhere`: this page has no heading or element with id `nowhere`"),
        "content/1-Worklog/1.2-Week2/_index.md: translation: no `vi` translation of this page".into(),
        "content/only-vi/_index.vi.md: translation: a `vi` translation without its original in `en`".into(),
        "content/secret.md: unreachable: no nav reaches /secret/ (it is `hidden`): readers find it only through links".into(),
        "content/secret.md: translation: no `vi` translation of this page".into(),
        "worklog check: 9 problems, 4 broken".into(),
    ];
    let lines: Vec<&str> = run.stdout.lines().collect();
    // The folder-only section `1-Worklog` has no file: nothing to translate.
    let lines: Vec<&str> = lines
        .into_iter()
        .filter(|l| !l.contains("content/1-Worklog/_index"))
        .collect();
    assert_eq!(lines, expected, "{}", run.stdout);
}

#[test]
fn json_for_tools_and_exit_zero_when_nothing_is_broken() {
    let site = broken_site();
    let run = check(&site, &["--format", "json"]);
    run.failed();
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(report["broken"], 4);
    let anchor = report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["kind"] == "anchor")
        .unwrap();
    assert_eq!(anchor["file"], "content/1-Worklog/1.1-Week1/_index.md");
    assert_eq!(anchor["line"], 12);

    let clean = TestSite::with(&[
        (
            "content/a/_index.md",
            "---\ntitle: A\n---\n## Top part\n[b](../b/#x) [self](#top-part)\n",
        ),
        (
            "content/b/_index.md",
            "---\ntitle: B\n---\n<span id=\"x\">x</span>\n",
        ),
        ("content/c.md", "---\ntitle: C\nhidden: true\n---\n"),
    ]);
    let run = check(&clean, &[]);
    run.ok();
    assert_eq!(
        run.stdout,
        "content/c.md: unreachable: no nav reaches /c/ (it is `hidden`): readers find it only through links\nworklog check: 1 problem, 0 broken\n"
    );
}

#[test]
fn a_site_that_does_not_build_fails_the_check_with_its_errors() {
    let site = TestSite::with(&[("content/a.md", "---\ntitle: [\n---\n")]);
    let run = check(&site, &[]);
    run.failed();
    assert!(
        run.stdout
            .starts_with("content/a.md:3: error: invalid YAML front matter"),
        "{}",
        run.stdout
    );
}

/// A web server on a free local port: `/ok` answers 200, `/gone` 404, `/no-head` 405 to
/// `HEAD` and 200 to `GET`, `/slow` after a minute. Counts the requests it answered.
fn web_server() -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use std::io::{BufRead, BufReader, Write};
    use std::sync::atomic::Ordering;
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let count = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counted = std::sync::Arc::clone(&count);
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let counted = std::sync::Arc::clone(&counted);
            std::thread::spawn(move || {
                let mut reader = BufReader::new(&stream);
                let mut request = String::new();
                reader.read_line(&mut request).unwrap_or_default();
                let mut line = String::new();
                while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                    line.clear();
                }
                counted.fetch_add(1, Ordering::SeqCst);
                let head = request.starts_with("HEAD");
                let status = match request.split(' ').nth(1).unwrap_or("") {
                    "/ok" => "200 OK",
                    "/no-head" if head => "405 Method Not Allowed",
                    "/no-head" => "200 OK",
                    "/slow" => {
                        std::thread::sleep(std::time::Duration::from_secs(60));
                        "200 OK"
                    }
                    _ => "404 Not Found",
                };
                let _ = (&stream).write_all(
                    format!("HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                        .as_bytes(),
                );
            });
        }
    });
    (base, count)
}

#[test]
fn external_links_are_checked_with_a_timeout_and_remembered() {
    let (base, requests) = web_server();
    let site = TestSite::with(&[(
        "content/a.md",
        &format!(
            "---\ntitle: A\n---\n[ok]({base}/ok)\n[gone]({base}/gone)\n<{base}/no-head#part>\n[slow]({base}/slow)\n"
        ),
    )]);
    let cache = tempfile::tempdir().unwrap();
    let external = |extra: &[&str]| {
        let mut cmd = worklog();
        cmd.current_dir(site.path())
            .env("WORKLOG_CACHE_DIR", cache.path())
            .args([
                "check",
                "--external",
                "--timeout",
                "3",
                "--concurrency",
                "2",
            ])
            .args(extra);
        run(cmd)
    };
    let run = external(&[]);
    run.failed();
    assert_eq!(
        run.stdout,
        format!(
            "content/a.md:5: external: link `{base}/gone` answers 404\n\
             content/a.md:7: external: link `{base}/slow` does not answer within 3 s\n\
             worklog check: 2 problems, 2 broken\n"
        )
    );
    // Without --external, no request at all; with it, the links that answered well are
    // not asked again.
    let before = requests.load(std::sync::atomic::Ordering::SeqCst);
    check(&site, &[]).ok();
    assert_eq!(requests.load(std::sync::atomic::Ordering::SeqCst), before);
    external(&[]).failed();
    let asked = requests.load(std::sync::atomic::Ordering::SeqCst) - before;
    assert_eq!(asked, 2, "only /gone and /slow are asked again");
    external(&["--no-cache"]).failed();
}
