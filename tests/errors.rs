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

#[test]
fn each_kind_of_template_error_names_file_line_column_and_the_page() {
    let site = TestSite::with(&[
        ("content/a/_index.md", "---\ntitle: A\n---\nText.\n"),
        ("content/b/_index.md", "---\ntitle: B\n---\nText.\n"),
    ]);
    let errors = |template: &str, text: &str| {
        site.write(template, text);
        let run = site.build(&[]);
        run.failed();
        std::fs::remove_file(site.path().join(template)).unwrap();
        run.stderr
    };
    // Met while rendering: said once for all the pages it fails, naming the first.
    let e = errors(
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% block main %}\n  {{ page.weight }}\n{% endblock main %}\n",
    );
    assert!(
        e.contains("error: templates/page.html:3:11: Field `weight` is not defined"),
        "{e}"
    );
    assert!(e.contains("3 |   {{ page.weight }}"), "{e}");
    assert!(
        e.contains("= while rendering content/_index.md (/) and 2 other pages"),
        "{e}"
    );
    assert!(e.contains("1 error in the site"), "{e}");
    // Met while reading the template: no page yet.
    let e = errors("templates/page.html", "<p>\n{% for %}</p>\n");
    assert!(e.contains("error: templates/page.html:2:8: "), "{e}");
    // A parent that does not exist: Tera names no place, worklog finds the tag.
    let e = errors(
        "templates/page.html",
        "{# page #}\n{% extends \"main.html\" %}\n",
    );
    assert!(
        e.contains(
            "error: templates/page.html:2:13: Template 'page.html' is inheriting from 'main.html'"
        ),
        "{e}"
    );
    // The templates rendered once, not per page.
    let e = errors("templates/nav.html", "<ul>\n{{ entries.first }}</ul>\n");
    assert!(e.contains("error: templates/nav.html:2:12: "), "{e}");
    assert!(
        e.contains("= while rendering the nav of language en"),
        "{e}"
    );
    let e = errors("templates/404.html", "\n\n{{ nav.x }}\n");
    assert!(e.contains("error: templates/404.html:3:8: "), "{e}");
    assert!(
        e.contains("= while rendering the 404 page, 404.html"),
        "{e}"
    );
}
