//! `worklog init`: a new journal that builds without a warning and serves as it is.
mod common;
use common::server::ServeProcess;
use common::*;

fn init(dir: &std::path::Path, args: &[&str]) -> Run {
    let mut cmd = worklog();
    cmd.current_dir(dir).arg("init").args(args);
    run(cmd)
}

#[test]
fn a_new_journal_builds_without_warnings_and_serves() {
    let root = tempfile::tempdir().unwrap();
    let run = init(
        root.path(),
        &[
            "journal",
            "--author",
            "Nguyễn Văn A",
            "--date",
            "2025-09-08",
        ],
    );
    run.ok();
    assert!(
        run.stdout.contains("cd journal && worklog serve"),
        "{}",
        run.stdout
    );
    let site = root.path().join("journal");
    assert_eq!(
        files_under(&site),
        [
            ".gitignore",
            "README.md",
            "content/1-Worklog/1.1-Week1/_index.md",
            "content/1-Worklog/_index.md",
            "content/2-Proposal/_index.md",
            "content/3-Workshop/_index.md",
            "content/4-Self-evaluation/_index.md",
            "content/5-Feedback/_index.md",
            "content/_index.md",
            "worklog.toml",
        ]
    );
    let config = std::fs::read_to_string(site.join("worklog.toml")).unwrap();
    assert!(
        config.contains("title = \"Internship Report: Nguyễn Văn A\""),
        "{config}"
    );
    assert!(config.contains("author = \"Nguyễn Văn A\""), "{config}");

    let mut build = worklog();
    build.current_dir(&site).arg("build");
    let build = common::run(build);
    build.ok();
    assert_eq!(build.stderr, "", "no warning");
    assert!(build.stdout.contains("7 pages (en)"), "{}", build.stdout);
    let home = std::fs::read_to_string(site.join("public/index.html")).unwrap();
    assert!(home.contains("Nguyễn Văn A"));
    let gitignore = std::fs::read_to_string(site.join(".gitignore")).unwrap();
    assert_eq!(gitignore, "/public/\n");

    let server = ServeProcess::start(&site, &[]);
    let week = server.get("/1-worklog/1.1-week1/");
    assert_eq!(week.status, 200);
    assert!(week.body.contains("Week 1 Worklog"));
}

#[test]
fn a_folder_holding_a_site_is_refused_and_left_alone() {
    let site = TestSite::with(&[("config.toml", "title = 'Mine'\n")]);
    let before = files_under(site.path());
    let run = init(site.path(), &["--author", "A"]);
    run.failed();
    assert!(
        run.stderr.contains(". already holds a site (config.toml)"),
        "{}",
        run.stderr
    );
    assert_eq!(files_under(site.path()), before);
    let only_content = TestSite::with(&[]);
    init(only_content.path(), &[]).failed();
    assert!(!only_content.path().join("worklog.toml").exists());
}

#[test]
fn a_cloned_repositorys_readme_is_kept_and_workflows_are_written_on_request() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("README.md"), "# my repo\n").unwrap();
    // No terminal, no flags: the defaults, without a question.
    let run = init(dir.path(), &["--github-actions", "s3"]);
    run.ok();
    assert!(run.stdout.contains("kept your README.md"), "{}", run.stdout);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("README.md")).unwrap(),
        "# my repo\n"
    );
    let config = std::fs::read_to_string(dir.path().join("worklog.toml")).unwrap();
    assert!(config.contains("title = \"Internship Report\""), "{config}");
    let s3 = std::fs::read_to_string(dir.path().join(".github/workflows/deploy.yml")).unwrap();
    for part in [
        "id-token: write",
        "role-to-assume: ${{ vars.AWS_ROLE_ARN }}",
        "worklog deploy --target \"${{ vars.S3_TARGET }}\" --distribution \"${{ vars.CLOUDFRONT_DISTRIBUTION_ID }}\"",
    ] {
        assert!(s3.contains(part), "{part} missing from\n{s3}");
    }
    let pages_dir = tempfile::tempdir().unwrap();
    init(pages_dir.path(), &["--github-actions", "pages"]).ok();
    let pages =
        std::fs::read_to_string(pages_dir.path().join(".github/workflows/pages.yml")).unwrap();
    assert!(pages.contains("actions/deploy-pages@v4"), "{pages}");
    for workflow in [&s3, &pages] {
        let parsed: serde_yaml::Value = serde_yaml::from_str(workflow).unwrap();
        assert!(parsed["jobs"].is_mapping(), "{workflow}");
    }
}
