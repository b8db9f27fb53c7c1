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
        "S3_TARGET: ${{ vars.S3_TARGET }}",
        "worklog deploy --target \"$S3_TARGET\" --distribution \"$DISTRIBUTION\"",
    ] {
        assert!(s3.contains(part), "{part} missing from\n{s3}");
    }
    let pages_dir = tempfile::tempdir().unwrap();
    init(pages_dir.path(), &["--github-actions", "pages"]).ok();
    let pages =
        std::fs::read_to_string(pages_dir.path().join(".github/workflows/pages.yml")).unwrap();
    assert!(pages.contains("actions/deploy-pages@"), "{pages}");
    // worklog comes prebuilt, from this repository's action, as the version that wrote it.
    let install = format!(
        "uses: {}\n        with:\n          version: {}\n",
        worklog::scaffold::workflows::action_reference(),
        env!("CARGO_PKG_VERSION")
    );
    for workflow in [&s3, &pages] {
        assert!(workflow.contains(&install), "{install} not in\n{workflow}");
        assert!(!workflow.contains("cargo install"), "{workflow}");
        let parsed: serde_yaml::Value = serde_yaml::from_str(workflow).unwrap();
        assert!(parsed["jobs"].is_mapping(), "{workflow}");
    }
}

/// A Hugo journal as students have them: its config, content, theme, a `public/` Hugo
/// wrote, and a `.gitignore` of its own.
fn hugo_journal(gitignore: &str) -> TestSite {
    TestSite::with(&[
        (
            "config.toml",
            "baseURL = 'https://me.github.io/journal/'\ntheme = 'hugo-theme-learn'\n",
        ),
        ("content/1-Worklog/_index.md", "---\ntitle: Worklog\n---\n"),
        (
            "themes/hugo-theme-learn/layouts/_default/single.html",
            "{{ .Content }}",
        ),
        ("public/index.html", "<html>Hugo</html>"),
        (".gitignore", gitignore),
    ])
}

fn contents(root: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    files_under(root)
        .into_iter()
        .map(|f| {
            let bytes = std::fs::read(root.join(&f)).unwrap();
            (f, bytes)
        })
        .collect()
}

#[test]
fn a_hugo_journal_gets_only_the_workflow_and_public_in_its_gitignore() {
    let site = hugo_journal("resources/\n.hugo_build.lock");
    let before = contents(site.path());
    let run = init(site.path(), &["--github-actions", "pages"]);
    run.ok();
    for said in [
        "added /public/ to your .gitignore",
        ". already holds a site (config.toml): added only .github/workflows/pages.yml; its content and config are unchanged",
    ] {
        assert!(run.stdout.contains(said), "{said:?} not in\n{}", run.stdout);
    }
    let mut after = contents(site.path());
    after.retain(|(f, _)| f != ".github/workflows/pages.yml");
    let mut expected = before.clone();
    for (f, bytes) in &mut expected {
        if f == ".gitignore" {
            bytes.extend(b"\n/public/\n");
        }
    }
    assert_eq!(after, expected, "only .gitignore changed, by one line");
    let workflow =
        std::fs::read_to_string(site.path().join(".github/workflows/pages.yml")).unwrap();
    assert!(workflow.contains("worklog build --base-url"), "{workflow}");

    // Again: the workflow is never written over, and nothing changes.
    let before = contents(site.path());
    let again = init(site.path(), &["--github-actions", "pages"]);
    again.failed();
    assert!(
        again.stderr.contains(
            ".github/workflows/pages.yml already exists, and worklog does not write over it"
        ),
        "{}",
        again.stderr
    );
    assert_eq!(contents(site.path()), before);

    // The S3 workflow beside it; the .gitignore already has the line.
    let s3 = init(site.path(), &["--github-actions", "s3"]);
    s3.ok();
    assert!(!s3.stdout.contains(".gitignore"), "{}", s3.stdout);
    assert!(site.path().join(".github/workflows/deploy.yml").is_file());
    assert_eq!(
        std::fs::read_to_string(site.path().join(".gitignore")).unwrap(),
        "resources/\n.hugo_build.lock\n/public/\n"
    );
}

#[test]
fn a_gitignore_that_ignores_public_is_left_as_it_is() {
    let site = hugo_journal("public/\nresources/\n");
    init(site.path(), &["--github-actions", "s3"]).ok();
    assert_eq!(
        std::fs::read_to_string(site.path().join(".gitignore")).unwrap(),
        "public/\nresources/\n"
    );
    // A .gitignore that is a link is not written through.
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("shared-ignore"), "node_modules/\n").unwrap();
    let linked = hugo_journal("x");
    std::fs::remove_file(linked.path().join(".gitignore")).unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("shared-ignore"),
        linked.path().join(".gitignore"),
    )
    .unwrap();
    let run = init(linked.path(), &["--github-actions", "pages"]);
    run.ok();
    assert!(
        run.stdout.contains("add /public/ to it yourself"),
        "{}",
        run.stdout
    );
    assert_eq!(
        std::fs::read_to_string(outside.path().join("shared-ignore")).unwrap(),
        "node_modules/\n"
    );
    // Without a workflow asked for, a site is refused, and told what it can have.
    let run = init(site.path(), &[]);
    run.failed();
    assert!(
        run.stderr
            .contains("`worklog init --github-actions pages|s3` adds only a workflow"),
        "{}",
        run.stderr
    );
}
