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
