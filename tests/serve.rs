//! `worklog serve` over HTTP: pages from memory, status codes, safety, rebuilds.
mod common;
use common::server::*;
use common::*;
use std::time::Duration;

fn site() -> TestSite {
    TestSite::with(&[
        (
            "worklog.toml",
            "title = \"J\"\nbase_url = \"https://u.github.io/journal/\"\n",
        ),
        (
            "content/1-Worklog/_index.md",
            "---\ntitle: Worklog\nweight: 1\n---\nAll weeks.\n",
        ),
        (
            "content/1-Worklog/1.1-Week1/_index.md",
            &week(1, "", "First week text.\n"),
        ),
        (
            "content/1-Worklog/1.2-Week2/_index.md",
            &week(2, "", "Second week text.\n"),
        ),
        ("static/images/a.png", "\u{89}PNG"),
        ("static/notes.txt", "notes"),
    ])
}

#[test]
fn serves_the_site_from_memory_under_the_base_path() {
    let site = site();
    let server = ServeProcess::start(site.path(), &[]);
    assert!(server.url.ends_with("/journal/"), "{}", server.url);
    let page = server.get("/journal/1-worklog/1.1-week1/");
    assert_eq!(page.status, 200);
    assert_eq!(
        page.header("Content-Type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(page.header("Cache-Control"), Some("no-store"));
    assert!(page.body.contains("First week text."));
    assert!(
        page.body
            .contains("<script src=\"/__worklog/live.js\"></script></body>"),
        "live reload script injected"
    );
    assert!(
        page.body.contains("href=\"/journal/1-worklog/1.2-week2/\""),
        "links work locally"
    );
    assert_eq!(
        server
            .get("/journal/css/worklog.css")
            .header("Content-Type"),
        Some("text/css; charset=utf-8")
    );
    assert_eq!(
        server.get("/journal/images/a.png").header("Content-Type"),
        Some("image/png")
    );
    assert!(
        !server.get("/journal/notes.txt").body.contains("live.js"),
        "nothing injected outside HTML"
    );
    let script = server.get("/__worklog/live.js").body;
    assert!(
        script.contains("new WebSocket") && script.contains("location.host + \"/__worklog/live\""),
        "live reload on the page's own host and port"
    );
    assert!(!site.public().exists(), "nothing written to disk");
}

#[test]
fn redirects_404_and_head() {
    let site = site();
    let server = ServeProcess::start(site.path(), &[]);
    let root = server.get("/");
    assert_eq!(
        (root.status, root.header("Location")),
        (301, Some("/journal/"))
    );
    let dir = server.get("/journal/1-worklog");
    assert_eq!(
        (dir.status, dir.header("Location")),
        (301, Some("/journal/1-worklog/"))
    );
    let missing = server.get("/journal/no/such/page/");
    assert_eq!(missing.status, 404);
    assert!(
        missing.body.contains("Page not found"),
        "the site's own 404 page"
    );
    let head = server.request("HEAD", "/journal/1-worklog/");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert!(
        head.header("Content-Length")
            .unwrap()
            .parse::<usize>()
            .unwrap()
            > 100
    );
    assert_eq!(server.request("POST", "/journal/").status, 405);
}

#[test]
fn no_request_reads_outside_the_site() {
    let site = site();
    site.write("secret.txt", "SECRET");
    let server = ServeProcess::start(site.path(), &[]);
    for path in [
        "/journal/../secret.txt",
        "/journal/%2e%2e/secret.txt",
        "/journal/..%2fsecret.txt",
        "/journal/%2e%2e%2fsecret.txt",
        "/journal/..\\secret.txt",
        "/journal/..%5csecret.txt",
        "/journal/images/a.png%00.html",
        "//etc/passwd",
        "/journal//etc/passwd",
        "/etc/passwd",
        "/journal/%ff%fe",
        "/journal/worklog.toml",
        "/journal/content/_index.md",
    ] {
        let r = server.get(path);
        assert!(matches!(r.status, 400 | 404), "{path}: {}", r.status);
        assert!(
            !r.body.contains("SECRET") && !r.body.contains("root:"),
            "{path}"
        );
    }
}

#[test]
fn a_busy_port_moves_to_the_next_free_one() {
    let site = site();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let server = ServeProcess::start_on(site.path(), port, &[]);
    assert_ne!(server.port, port);
    assert!(
        server
            .output()
            .iter()
            .any(|l| l.contains(&format!("port {port} is busy"))),
        "{:?}",
        server.output()
    );
    assert_eq!(server.get("/journal/").status, 200);
}

#[test]
fn an_edit_is_served_and_announced() {
    let site = site();
    let server = ServeProcess::start(site.path(), &[]);
    let mut events = server.live();
    site.write(
        "content/1-Worklog/1.1-Week1/_index.md",
        &week(1, "", "Edited text.\n"),
    );
    server.wait_for_body("/journal/1-worklog/1.1-week1/", |b| {
        b.contains("Edited text.")
    });
    // The print page holds every body: it changed too.
    events.wait_for("\"paths\":[\"/journal/1-worklog/1.1-week1/\",\"/journal/print/\"]");
}

#[test]
fn a_broken_rebuild_keeps_the_last_good_site_and_reports_the_error() {
    let site = site();
    let server = ServeProcess::start(site.path(), &[]);
    let mut events = server.live();
    site.write(
        "content/1-Worklog/1.1-Week1/_index.md",
        "---\ntitle: [oops\n---\nBroken.\n",
    );
    events.wait_for("\"type\":\"failed\"");
    assert!(
        events
            .seen
            .contains("content/1-Worklog/1.1-Week1/_index.md:"),
        "{}",
        events.seen
    );
    let page = server.get("/journal/1-worklog/1.1-week1/");
    assert!(
        page.body.contains("First week text."),
        "last good page still served"
    );
    // A browser opening a page now learns of the error at once.
    let mut late = server.live();
    late.wait_for("\"type\":\"failed\"");
    site.write(
        "content/1-Worklog/1.1-Week1/_index.md",
        &week(1, "", "Fixed.\n"),
    );
    events.wait_for("\"type\":\"ok\"");
    server.wait_for_body("/journal/1-worklog/1.1-week1/", |b| b.contains("Fixed."));
}

#[test]
fn pages_and_folders_can_be_added_renamed_and_deleted() {
    let site = site();
    let server = ServeProcess::start(site.path(), &[]);
    site.write(
        "content/1-Worklog/1.3-Week3/_index.md",
        &week(3, "", "Third.\n"),
    );
    server.wait_for_body("/journal/1-worklog/1.3-week3/", |b| b.contains("Third."));
    server.wait_for_body("/journal/1-worklog/1.2-week2/", |b| {
        b.contains("href=\"/journal/1-worklog/1.3-week3/\"")
    });
    std::fs::rename(
        site.path().join("content/1-Worklog/1.3-Week3"),
        site.path().join("content/1-Worklog/1.4-Week4"),
    )
    .unwrap();
    server.wait_for_body("/journal/1-worklog/1.4-week4/", |b| b.contains("Third."));
    assert_eq!(server.get("/journal/1-worklog/1.3-week3/").status, 404);
    std::fs::remove_dir_all(site.path().join("content/1-Worklog/1.4-Week4")).unwrap();
    server.wait_for_body("/journal/1-worklog/1.2-week2/", |b| {
        !b.contains("1.4-week4")
    });
    assert_eq!(server.get("/journal/1-worklog/1.4-week4/").status, 404);
}

#[test]
fn an_atomic_save_counts_as_a_change_to_the_real_file_and_litter_is_ignored() {
    let site = site();
    let server = ServeProcess::start(site.path(), &[]);
    let real = site.path().join("content/1-Worklog/1.2-Week2/_index.md");
    let temp = site.path().join("content/1-Worklog/1.2-Week2/.#_index.md");
    std::fs::write(&temp, week(2, "", "Saved atomically.\n")).unwrap();
    std::fs::rename(&temp, &real).unwrap();
    server.wait_for_body("/journal/1-worklog/1.2-week2/", |b| {
        b.contains("Saved atomically.")
    });
    // The line comes once the search index is updated too.
    server.wait_for_line(|l| l.contains("rebuilt in"), Duration::from_secs(30));
    let before = server.rebuilds();
    site.write("content/1-Worklog/.week.md.swp", "junk");
    site.write("content/1-Worklog/4913", "junk");
    site.write("public/index.html", "stale output");
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(server.rebuilds(), before, "{:?}", server.output());
}

#[test]
fn a_static_file_change_updates_that_file_only() {
    let site = site();
    let server = ServeProcess::start(site.path(), &[]);
    site.write("static/notes.txt", "new notes");
    server.wait_for_body("/journal/notes.txt", |b| b == "new notes");
    server.wait_for_line(
        |l| l.contains("rebuilt in") && l.contains(", 1 file changed"),
        Duration::from_secs(5),
    );
}

#[test]
fn a_burst_of_a_thousand_changes_gives_at_most_two_rebuilds() {
    let site = site();
    let server = ServeProcess::start(site.path(), &[]);
    for n in 0..1000 {
        site.write(
            &format!("content/burst/p{n}.md"),
            &format!("---\ntitle: P{n}\n---\nx\n"),
        );
    }
    server.wait_for_body("/journal/burst/p999/", |b| b.contains("P999"));
    server.wait_for_line(|l| l.contains("rebuilt in"), Duration::from_secs(30));
    std::thread::sleep(Duration::from_millis(700));
    let rebuilds = server.rebuilds();
    assert!(
        (1..=2).contains(&rebuilds),
        "{rebuilds} rebuilds: {:?}",
        server.output()
    );
}

#[test]
fn a_hundred_open_browsers_all_hear_a_change() {
    let site = site();
    let server = ServeProcess::start(site.path(), &[]);
    let mut streams: Vec<LiveSocket> = (0..100).map(|_| server.live()).collect();
    assert_eq!(server.get("/journal/").status, 200, "pages still answered");
    site.write(
        "content/1-Worklog/1.2-Week2/_index.md",
        &week(2, "", "Everyone sees this.\n"),
    );
    for s in &mut streams {
        s.wait_for("\"type\":\"reload\"");
    }
}

#[test]
fn a_site_that_does_not_build_yet_shows_its_errors_until_fixed() {
    let site = site();
    site.write(
        "content/1-Worklog/1.1-Week1/_index.md",
        "---\ntitle: [x\n---\n",
    );
    let server = ServeProcess::start(site.path(), &[]);
    let page = server.get("/journal/");
    assert_eq!(page.status, 500);
    assert!(
        page.body.contains("content/1-Worklog/1.1-Week1/_index.md:"),
        "{}",
        page.body
    );
    site.write(
        "content/1-Worklog/1.1-Week1/_index.md",
        &week(1, "", "Now good.\n"),
    );
    server.wait_for_body("/journal/1-worklog/1.1-week1/", |b| b.contains("Now good."));
}

#[test]
fn nothing_of_live_reload_reaches_build_output() {
    let site = site();
    site.build(&[]).ok();
    for f in site.files().iter().filter(|f| f.ends_with(".html")) {
        assert!(!site.read(f).contains("__worklog"), "{f}");
    }
}

#[test]
fn a_vietnamese_page_edit_is_served_under_vi() {
    let site = TestSite::with(&[
        (
            "config.toml",
            "baseURL = \"https://u.github.io/r/\"\n[languages.en]\nweight = 1\n[languages.vi]\nweight = 2\n",
        ),
        ("content/a/_index.md", "---\ntitle: A\n---\nEnglish.\n"),
        (
            "content/a/_index.vi.md",
            "---\ntitle: A vi\n---\nTiếng Việt.\n",
        ),
    ]);
    let server = ServeProcess::start(site.path(), &[]);
    assert!(server.get("/r/vi/a/").body.contains("Tiếng Việt."));
    site.write("content/a/_index.vi.md", "---\ntitle: A vi\n---\nĐã sửa.\n");
    server.wait_for_body("/r/vi/a/", |b| b.contains("Đã sửa."));
    assert!(server.get("/r/a/").body.contains("English."));
}

#[test]
fn an_error_stays_until_the_file_at_fault_is_fixed() {
    let site = site();
    let server = ServeProcess::start(site.path(), &[]);
    let mut live = server.live();
    site.write(
        "content/1-Worklog/1.1-Week1/_index.md",
        "---\ntitle: [oops\n---\nBroken.\n",
    );
    live.wait_for("\"still\":false");
    // Another file saved while week 1 is broken: `worklog build` still fails.
    site.write(
        "content/_index.md",
        "---\ntitle: Home\n---\nWelcome back.\n",
    );
    live.wait_for("\"still\":true");
    let line = server.wait_for_line(
        |l| l.contains("still does not build"),
        Duration::from_secs(10),
    );
    assert!(
        server
            .output()
            .iter()
            .filter(|l| l.contains("content/1-Worklog/1.1-Week1/_index.md:"))
            .count()
            >= 2,
        "the terminal names the file at fault each time: {line} {:?}",
        server.output()
    );
    assert!(!live.seen.contains("\"type\":\"ok\""), "{}", live.seen);
    assert!(
        live.seen
            .lines()
            .filter(|m| m.contains("\"type\":\"failed\""))
            .all(|m| m.contains("content/1-Worklog/1.1-Week1/_index.md:")),
        "{}",
        live.seen
    );
    site.write(
        "content/1-Worklog/1.1-Week1/_index.md",
        &week(1, "", "Fixed.\n"),
    );
    live.wait_for("\"type\":\"ok\"");
    server.wait_for_body("/journal/1-worklog/1.1-week1/", |b| b.contains("Fixed."));
    assert!(
        server.get("/journal/").body.contains("Welcome back."),
        "the save made while broken is applied once the site builds"
    );
}

#[test]
fn an_edit_saved_right_after_the_serving_line_shows() {
    // Many folders make the watcher slow to set up: a watcher started after the line
    // is printed would miss the save.
    let site = site();
    for n in 0..300 {
        site.write(
            &format!("content/more/p{n}/_index.md"),
            &format!("---\ntitle: P{n}\n---\nx\n"),
        );
    }
    let server = ServeProcess::start(site.path(), &[]);
    site.write(
        "content/1-Worklog/1.2-Week2/_index.md",
        &week(2, "", "Saved at once.\n"),
    );
    server.wait_for_body("/journal/1-worklog/1.2-week2/", |b| {
        b.contains("Saved at once.")
    });
}

#[test]
fn a_log_file_in_the_site_folder_never_rebuilds() {
    let site = site();
    // As a user starts it: in the site's folder, output sent to a log file there.
    let server = ServeProcess::start_in(site.path(), &["--port", "0"]);
    let mut live = server.live();
    let log = site.path().join("serve.log");
    for n in 0..50 {
        let mut text = std::fs::read_to_string(&log).unwrap_or_default();
        text.push_str(&format!("line {n}\n"));
        std::fs::write(&log, text).unwrap();
        std::thread::sleep(Duration::from_millis(5));
    }
    site.write("node_modules/pkg/index.js", "x");
    site.write(".git/index", "x");
    site.write("notes.md", "x");
    site.write("public/index.html", "x");
    std::thread::sleep(Duration::from_millis(500));
    live.read_some();
    assert_eq!(server.rebuilds(), 0, "{:?}", server.output());
    assert_eq!(live.seen, "", "no page is told anything");
    // A save of a page is still one rebuild, and one reload.
    site.write(
        "content/1-Worklog/1.2-Week2/_index.md",
        &week(2, "", "A real change.\n"),
    );
    server.wait_for_body("/journal/1-worklog/1.2-week2/", |b| {
        b.contains("A real change.")
    });
    live.wait_for("\"type\":\"reload\"");
    server.wait_for_line(|l| l.contains("rebuilt in"), Duration::from_secs(5));
    assert_eq!(server.rebuilds(), 1, "{:?}", server.output());
}

#[test]
fn a_missing_or_file_source_fails_at_once_and_serves_nothing() {
    let site = site();
    site.write("notes.txt", "x");
    for (source, said) in [
        (site.path().join("no-such-site"), "no such folder"),
        (site.path().join("notes.txt"), "is not a folder"),
    ] {
        let mut command = worklog();
        command
            .arg("serve")
            .arg("-s")
            .arg(&source)
            .args(["-p", "0"]);
        let run = run_for_at_most(command, Duration::from_secs(20));
        assert_eq!(run.status, 1, "{}{}", run.stdout, run.stderr);
        assert!(
            run.stderr.contains(said) && run.stderr.contains(&*source.to_string_lossy()),
            "{}",
            run.stderr
        );
        assert!(!run.stdout.contains("serving"), "{}", run.stdout);
    }
}

/// Runs `command`; a server that keeps running past `limit` is stopped and fails the test.
fn run_for_at_most(mut command: std::process::Command, limit: Duration) -> Run {
    use std::process::Stdio;
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > limit {
            let _ = child.kill();
            let out = child.wait_with_output().unwrap();
            panic!(
                "still running after {limit:?}: {}",
                String::from_utf8_lossy(&out.stdout)
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    Run {
        status: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// The folders the server's inotify instances watch, read from `/proc`.
fn inotify_watches(pid: u32) -> usize {
    let fds = std::fs::read_dir(format!("/proc/{pid}/fdinfo")).unwrap();
    fds.filter_map(|fd| std::fs::read_to_string(fd.ok()?.path()).ok())
        .map(|info| {
            info.lines()
                .filter(|l| l.starts_with("inotify wd:"))
                .count()
        })
        .sum()
}

#[test]
fn only_the_inputs_are_watched_not_the_folders_beside_them() {
    let site = site();
    for n in 0..300 {
        site.write(&format!("node_modules/p{n}/lib/index.js"), "x");
        site.write(&format!("public/{n}/index.html"), "x");
    }
    let server = ServeProcess::start_in(site.path(), &["--port", "0"]);
    let watches = inotify_watches(server.pid());
    // The site folder, content/ with its 3 folders, static/ with images/.
    assert!(
        (7..50).contains(&watches),
        "{watches} folders watched for a site of 7"
    );
}

#[test]
fn an_input_folder_made_or_made_again_while_serving_is_watched() {
    made_folders_are_watched(&[]);
}

#[test]
fn an_input_folder_made_while_serving_is_watched_with_poll_too() {
    made_folders_are_watched(&["--poll"]);
}

fn made_folders_are_watched(extra: &[&str]) {
    let site = TestSite::with(&[("content/a/_index.md", "---\ntitle: A\n---\nA\n")]);
    let server = ServeProcess::start_in(site.path(), &[&["--port", "0"], extra].concat());
    // `static/` did not exist at the start: made with files already in it, as a copy
    // of a folder makes it.
    let staged = site.path().join("staged");
    std::fs::create_dir_all(staged.join("images")).unwrap();
    std::fs::write(staged.join("images/logo.svg"), "<svg/>").unwrap();
    std::fs::rename(&staged, site.path().join("static")).unwrap();
    server.wait_for_body("/images/logo.svg", |b| b == "<svg/>");
    // Then saved in: the new folder is watched.
    site.write("static/notes.txt", "first");
    server.wait_for_body("/notes.txt", |b| b == "first");
    // Removed and made again, as a `git checkout` of another branch does.
    std::fs::remove_dir_all(site.path().join("static")).unwrap();
    server.wait_for_body("/notes.txt", |b| b != "first");
    site.write("static/notes.txt", "second");
    server.wait_for_body("/notes.txt", |b| b == "second");
    site.write("static/notes.txt", "third");
    server.wait_for_body("/notes.txt", |b| b == "third");
}

#[test]
fn a_page_in_a_symlinked_folder_is_watched_where_it_lives() {
    let elsewhere = TestSite::with(&[("notes/_index.md", "---\ntitle: N\n---\nOld notes.\n")]);
    let site = TestSite::with(&[("content/_index.md", "---\ntitle: H\n---\nHome\n")]);
    std::os::unix::fs::symlink(
        elsewhere.path().join("notes"),
        site.path().join("content/notes"),
    )
    .unwrap();
    let server = ServeProcess::start_in(site.path(), &["--port", "0"]);
    assert!(server.get("/notes/").body.contains("Old notes."));
    elsewhere.write("notes/_index.md", "---\ntitle: N\n---\nNew notes.\n");
    server.wait_for_body("/notes/", |b| b.contains("New notes."));
}
