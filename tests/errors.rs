//! Errors a user can cause: named by file and line, all reported together, nothing lost.
mod common;
use common::*;

#[test]
fn every_bad_front_matter_is_reported_with_file_and_line() {
    let site = TestSite::with(&[
        ("content/a/_index.md", "---\ntitle: A\nweight: [1\n---\n"),
        ("content/b/_index.md", "---\ntitle: B\n---\n"),
        ("content/c/_index.md", "+++\ntitle = \"C\n+++\n"),
        ("content/d/_index.md", "---\ntitle: never closed\n"),
    ]);
    let run = site.build(&[]);
    run.failed();
    let e = &run.stderr;
    assert!(
        e.contains("content/a/_index.md:3") || e.contains("content/a/_index.md:4"),
        "{e}"
    );
    assert!(e.contains("content/c/_index.md:2"), "{e}");
    assert!(e.contains("content/d/_index.md:1"), "{e}");
    assert!(e.contains("3 errors"), "{e}");
    assert!(!e.contains("panicked"), "{e}");
}

#[test]
fn a_non_utf8_file_is_named_with_its_line() {
    let site = TestSite::with(&[]);
    site.write_bytes(
        "content/bad/_index.md",
        b"---\ntitle: x\n---\nok\n\xff\xfe bad\n",
    );
    let run = site.build(&[]);
    run.failed();
    assert!(
        run.stderr.contains("content/bad/_index.md:5"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("UTF-8"), "{}", run.stderr);
}

#[test]
fn a_failed_build_leaves_the_previous_output_byte_identical() {
    let site = TestSite::with(&[("content/a/_index.md", "---\ntitle: A\n---\nGood.\n")]);
    site.build(&[]).ok();
    let before: Vec<(String, Vec<u8>)> = site
        .files()
        .into_iter()
        .map(|f| (f.clone(), std::fs::read(site.public().join(&f)).unwrap()))
        .collect();
    site.write("content/a/_index.md", "---\ntitle: [A\n---\nBroken.\n");
    site.build(&[]).failed();
    let after: Vec<(String, Vec<u8>)> = site
        .files()
        .into_iter()
        .map(|f| (f.clone(), std::fs::read(site.public().join(&f)).unwrap()))
        .collect();
    assert_eq!(before, after);
    let leftovers: Vec<_> = std::fs::read_dir(site.path())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().contains("worklog-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_broken_template_names_its_file_and_line() {
    let site = TestSite::with(&[
        ("worklog.toml", "theme = \"mine\"\n"),
        (
            "themes/mine/templates/page.html",
            "<h1>{{ page.title }}</h1>\n<p>{{ page.title | no_such_filter }}</p>\n",
        ),
    ]);
    let run = site.build(&[]);
    run.failed();
    assert!(
        run.stderr.contains("themes/mine/templates/page.html:2"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("no_such_filter"), "{}", run.stderr);
}

#[test]
fn a_template_error_at_render_time_names_its_file_and_line() {
    let site = TestSite::with(&[
        ("worklog.toml", "theme = \"mine\"\n"),
        (
            "themes/mine/templates/page.html",
            "ok\n\n{{ page.nope.deeper }}\n",
        ),
    ]);
    let run = site.build(&[]);
    run.failed();
    assert!(
        run.stderr.contains("themes/mine/templates/page.html:3"),
        "{}",
        run.stderr
    );
}

#[test]
fn bad_config_names_its_line() {
    let site = TestSite::with(&[("worklog.toml", "title = \"x\"\nbase_url = \n")]);
    let run = site.build(&[]);
    run.failed();
    assert!(run.stderr.contains("worklog.toml:2"), "{}", run.stderr);
}

#[test]
fn two_files_for_one_url_are_an_error() {
    let site = TestSite::with(&[
        ("content/Week 1/_index.md", "---\ntitle: A\n---\n"),
        ("content/week-1/_index.md", "---\ntitle: B\n---\n"),
    ]);
    let run = site.build(&[]);
    run.failed();
    assert!(run.stderr.contains("/week-1/"), "{}", run.stderr);
}
