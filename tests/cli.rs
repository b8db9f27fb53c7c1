//! The command line: help, the summary line, exit codes, output folders, config files.
mod common;
use common::*;

#[test]
fn help_lists_the_build_options() {
    let mut cmd = worklog();
    cmd.args(["build", "--help"]);
    let run = run(cmd);
    run.ok();
    for flag in ["--source", "--output", "--base-url", "--drafts"] {
        assert!(
            run.stdout.contains(flag),
            "{flag} missing from:\n{}",
            run.stdout
        );
    }
}

#[test]
fn build_ends_with_one_summary_line() {
    let site = TestSite::with(&[
        ("content/a/_index.md", "---\ntitle: A\n---\n"),
        ("static/x.txt", "x"),
    ]);
    let run = site.build(&[]);
    run.ok();
    let last = run.stdout.trim_end().lines().last().unwrap();
    assert!(
        last.starts_with("worklog: 2 pages (en), 1 static files in "),
        "{last}"
    );
    assert!(last.ends_with("public"), "{last}");
}

#[test]
fn output_folder_can_be_chosen() {
    let site = TestSite::with(&[]);
    let out = site.path().join("elsewhere/site");
    site.build(&["-o", out.to_str().unwrap()]).ok();
    assert!(out.join("index.html").is_file());
    assert!(!site.public().exists());
}

#[test]
fn a_site_without_config_builds_with_defaults() {
    let site = TestSite::with(&[]);
    site.build(&[]).ok();
    assert!(site.read("index.html").contains("<html lang=\"en\">"));
}

#[test]
fn worklog_toml_sets_title_language_and_params() {
    let site = TestSite::with(&[(
        "themes/t/templates/home.html",
        "{{ site.title }}|{{ site.language_code }}|{{ site.params.author }}|{{ site.base_url }}",
    )]);
    site.write("worklog.toml", "title = \"My Journal\"\nlanguage = \"vi\"\ntheme = \"t\"\nbase_url = \"https://x.io/j/\"\n[params]\nauthor = \"Khoa\"\n");
    site.build(&[]).ok();
    assert_eq!(
        site.read("index.html"),
        "My Journal|vi|Khoa|https://x.io/j/"
    );
}

#[test]
fn hugo_config_toml_is_read_for_the_same_keys() {
    let site = TestSite::with(&[(
        "config.toml",
        "baseURL = \"https://u.github.io/fcj/\"\ntitle = \"FCJ Report\"\nlanguageCode = \"en-us\"\ntheme = \"hugo-theme-learn\"\n[params]\nauthor = \"A\"\n",
    )]);
    let run = site.build(&[]);
    run.ok();
    let home = site.read("index.html");
    assert!(home.contains("<html lang=\"en-us\">"));
    assert!(home.contains("FCJ Report"));
    assert!(
        home.contains("href=\"/fcj/css/worklog.") && !home.contains("worklog.css?v="),
        "stylesheet under the sub-path"
    );
    // Drawn by worklog's learn theme, which looks like it, without a word.
    assert!(home.contains("<body class=\"learn kind-home\">"), "{home}");
    assert!(home.contains("href=\"/fcj/css/learn."), "{home}");
    assert!(!run.stderr.contains("theme"), "{}", run.stderr);
}

#[test]
fn hugo_layouts_folder_is_ignored_with_one_notice() {
    let site = TestSite::with(&[
        ("layouts/partials/menu.html", "{{ .Site.Title }}"),
        ("layouts/_default/list.html", "{{ .Content }}"),
    ]);
    let run = site.build(&[]);
    run.ok();
    assert_eq!(
        run.stderr.lines().filter(|l| l.contains("layouts")).count(),
        1,
        "{}",
        run.stderr
    );
}

#[test]
fn a_missing_source_folder_is_an_error() {
    let mut cmd = worklog();
    cmd.args(["build", "-s", "/nonexistent/site"]);
    let run = run(cmd);
    run.failed();
    assert!(run.stderr.contains("/nonexistent/site"), "{}", run.stderr);
}

#[test]
fn refuses_to_write_over_the_site_itself() {
    let site = TestSite::with(&[]);
    let run = site.build(&["-o", site.path().to_str().unwrap()]);
    run.failed();
    assert!(site.path().join("content/_index.md").is_file());
}
