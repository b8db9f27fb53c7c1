//! `worklog new week` and `worklog new page`, run in the site's folder as students do.
mod common;
use common::*;

fn new(site: &TestSite, args: &[&str]) -> Run {
    let mut cmd = worklog();
    cmd.current_dir(site.path()).arg("new").args(args);
    run(cmd)
}

fn text(site: &TestSite, rel: &str) -> String {
    std::fs::read_to_string(site.path().join(rel))
        .unwrap_or_else(|e| panic!("{rel}: {e}; site has {:?}", files_under(site.path())))
}

/// A site in the form of the sample journal: every week `weight: 1`, numbered by `pre`.
fn journal(weeks: u32) -> TestSite {
    let site = TestSite::with(&[(
        "content/1-Worklog/_index.md",
        "---\ntitle: \"Worklog\"\nweight: 1\nchapter: false\npre: \" <b> 1. </b> \"\n---\n",
    )]);
    for n in 1..=weeks {
        site.write(
            &format!("content/1-Worklog/1.{n}-Week{n}/_index.md"),
            &week(n, "date: 2025-09-08\n", "Text.\n"),
        );
    }
    site
}

#[test]
fn the_next_week_follows_the_sites_folders_numbers_and_style() {
    let site = journal(9);
    let run = new(&site, &["week", "--date", "2025-11-10"]);
    run.ok();
    assert_eq!(
        run.stdout.trim(),
        "worklog: wrote content/1-Worklog/1.10-Week10/_index.md"
    );
    let page = text(&site, "content/1-Worklog/1.10-Week10/_index.md");
    assert!(
        page.starts_with(
            "---\ntitle: \"Week 10 Worklog\"\nweight: 1\nchapter: false\npre: \" <b> 1.10. </b> \"\ndate: 2025-11-10\n---\n"
        ),
        "{page}"
    );
    for part in [
        "### Week 10 Objectives:",
        "| Day | Task | Start Date | Completion Date | Reference Material |",
        "| Mon | | 10/11/2025 | 10/11/2025 | |",
        "| Fri | | 14/11/2025 | 14/11/2025 | |",
        "### Week 10 Achievements:",
    ] {
        assert!(page.contains(part), "{part} missing from\n{page}");
    }
    let build = site.build(&[]);
    build.ok();
    assert_eq!(build.stderr, "", "the new week builds without a warning");
    let html = site.read("1-worklog/1.10-week10/index.html");
    assert!(html.contains("1.10"), "numbered from its pre");
}

#[test]
fn weights_that_count_the_weeks_go_on_counting_and_toml_stays_toml() {
    let site = TestSite::with(&[]);
    for n in 1..=3 {
        site.write(
            &format!("content/worklog/week-{n}.md"),
            &format!("+++\ntitle = 'Week {n}'\nweight = {n}\ndate = \"2025-09-0{n}T09:00:00+07:00\"\naliases = [\"/w{n}/\"]\n+++\nText.\n"),
        );
    }
    new(&site, &["week", "--date", "2025-09-22"]).ok();
    assert_eq!(
        text(&site, "content/worklog/week-4.md")
            .lines()
            .take(5)
            .collect::<Vec<_>>(),
        [
            "+++",
            "title = 'Week 4'",
            "weight = 4",
            "date = \"2025-09-22T09:00:00+07:00\"",
            "+++"
        ],
        "aliases belong to the week they were written for"
    );
}

#[test]
fn the_body_comes_from_the_sites_archetype() {
    let site = journal(2);
    site.write(
        "archetypes/week.md",
        "---\ntitle: \"{{ replace .Name \"-\" \" \" }}\"\n---\n\n## Goals of week {{ week }} ({{ date }})\n",
    );
    new(&site, &["week", "--date", "2025-09-15"]).ok();
    let page = text(&site, "content/1-Worklog/1.3-Week3/_index.md");
    assert!(
        page.ends_with("---\n\n## Goals of week 3 (2025-09-15)\n"),
        "{page}"
    );
}

#[test]
fn lang_writes_the_translation_and_nothing_is_overwritten() {
    let site = journal(2);
    site.write(
        "config.toml",
        "defaultContentLanguage = 'en'\n[languages.en]\nweight = 1\n[languages.vi]\nweight = 2\n",
    );
    site.write("content/_index.vi.md", "---\ntitle: Trang chủ\n---\n");
    site.write(
        "content/1-Worklog/1.2-Week2/_index.vi.md",
        "---\ntitle: \"Nhật ký tuần 2\"\nweight: 1\npre: \" <b> 1.2. </b> \"\n---\nNội dung.\n",
    );
    let run = new(&site, &["week", "--lang", "vi", "--date", "2025-09-15"]);
    run.ok();
    assert!(
        run.stdout.contains("1.3-Week3/_index.vi.md"),
        "{}",
        run.stdout
    );
    let vi = text(&site, "content/1-Worklog/1.3-Week3/_index.vi.md");
    assert!(vi.starts_with("---\ntitle: \"Nhật ký tuần 3\"\n"), "{vi}");
    assert!(vi.contains("pre: \" <b> 1.3. </b> \""), "{vi}");
    assert!(vi.contains("### Mục tiêu tuần 3:"), "{vi}");
    assert!(vi.contains("| Thứ 2 | | 15/09/2025 |"), "{vi}");
    let build = site.build(&[]);
    build.ok();
    assert_eq!(build.stderr, "");
    assert!(
        site.read("vi/1-worklog/1.3-week3/index.html")
            .contains("Nhật ký tuần 3")
    );

    // Week 4's translation is already there: neither file is written.
    let stray = "---\ntitle: Mine\n---\nKeep me.\n";
    site.write("content/1-Worklog/1.4-Week4/_index.vi.md", stray);
    let refused = new(&site, &["week", "--lang", "vi"]);
    refused.failed();
    assert!(
        refused.stderr.contains(
            "content/1-Worklog/1.4-Week4/_index.vi.md already exists, and worklog does not write over it"
        ),
        "{}",
        refused.stderr
    );
    assert_eq!(
        text(&site, "content/1-Worklog/1.4-Week4/_index.vi.md"),
        stray
    );
    assert!(
        !site
            .path()
            .join("content/1-Worklog/1.4-Week4/_index.md")
            .exists()
    );

    let unknown = new(&site, &["week", "--lang", "fr"]);
    unknown.failed();
    assert!(
        unknown
            .stderr
            .contains("`fr` is not a language of this site")
    );
}

#[test]
fn a_site_without_weeks_gets_week_one() {
    let site = TestSite::with(&[]);
    new(&site, &["week", "--date", "2025-09-08"]).ok();
    let page = text(&site, "content/1-Worklog/1.1-Week1/_index.md");
    assert!(
        page.starts_with("---\ntitle: \"Week 1 Worklog\"\ndate: 2025-09-08\nweight: 1\nchapter: false\npre: \" <b> 1.1. </b> \"\n---\n"),
        "{page}"
    );
    new(&site, &["week", "--date", "2025-09-15"]).ok();
    assert!(
        site.path()
            .join("content/1-Worklog/1.2-Week2/_index.md")
            .is_file()
    );
    let bad = new(&site, &["week", "--date", "15/09/2025"]);
    bad.failed();
    assert!(
        bad.stderr.contains("write it as YYYY-MM-DD"),
        "{}",
        bad.stderr
    );
}

#[test]
fn new_page_writes_any_page_once_and_inside_the_site() {
    let site = TestSite::with(&[]);
    new(
        &site,
        &["page", "2-Proposal/extra-notes.md", "--date", "2025-10-01"],
    )
    .ok();
    assert_eq!(
        text(&site, "content/2-Proposal/extra-notes.md"),
        "---\ntitle: \"Extra notes\"\ndate: 2025-10-01\n---\n\n"
    );
    new(&site, &["page", "content/7-Glossary"]).ok();
    assert!(text(&site, "content/7-Glossary/_index.md").contains("title: \"Glossary\""));
    let again = new(&site, &["page", "2-Proposal/extra-notes.md"]);
    again.failed();
    assert!(again.stderr.contains("already exists"), "{}", again.stderr);
    let out = new(&site, &["page", "../../escape.md"]);
    out.failed();
    assert!(
        out.stderr.contains("stays inside the site"),
        "{}",
        out.stderr
    );
    site.build(&[]).ok();
}
