//! Internal links: resolved against the built site, letter case repaired, dead ones reported.
mod common;
use common::*;

fn site() -> TestSite {
    TestSite::with(&[
        (
            "content/1-Worklog/_index.md",
            "---\ntitle: Worklog\n---\n- [Week 1](1.1-Week1/)\n- [Week 2](1.2-week2/)\n",
        ),
        (
            "content/1-Worklog/1.1-Week1/_index.md",
            &week(
                1,
                "",
                "Back to [the list](../).\n\n![diagram](/images/VPC.png)\n\nSee [nothing](../1.9-Week9/).\n",
            ),
        ),
        (
            "content/1-Worklog/1.2-Week2/_index.md",
            &week(
                2,
                "",
                "<img src=\"/images/vpc.png\"> [w1](/1-Worklog/1.1-Week1/#goals)\n",
            ),
        ),
        ("static/images/vpc.png", "png"),
    ])
}

#[test]
fn links_differing_only_in_case_are_repaired_with_a_warning() {
    let site = site();
    let run = site.build(&["--base-url", "https://u.github.io/j/"]);
    run.ok();
    let list = site.read("1-worklog/index.html");
    assert!(
        list.contains("href=\"/j/1-worklog/1.1-week1/\""),
        "repaired"
    );
    assert!(
        list.contains("href=\"1.2-week2/\""),
        "already right: unchanged"
    );
    let w1 = site.read("1-worklog/1.1-week1/index.html");
    assert!(
        w1.contains("src=\"/j/images/vpc.png\""),
        "image case repaired"
    );
    let w2 = site.read("1-worklog/1.2-week2/index.html");
    assert!(
        w2.contains("<img src=\"/j/images/vpc.png\">"),
        "raw HTML placed under the sub-path"
    );
    assert!(
        w2.contains("href=\"/j/1-worklog/1.1-week1/#goals\""),
        "fragment kept"
    );
    assert!(
        run.stderr
            .contains("content/1-Worklog/_index.md:4: link `1.1-Week1/`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("content/1-Worklog/1.1-Week1/_index.md:9: link `/images/VPC.png`"),
        "{}",
        run.stderr
    );
}

#[test]
fn links_to_nothing_are_warnings_with_file_and_line() {
    let site = site();
    let run = site.build(&[]);
    run.ok();
    assert!(
        run.stderr.contains("content/1-Worklog/1.1-Week1/_index.md:11: link `../1.9-Week9/` points to no page or file"),
        "{}",
        run.stderr
    );
}

/// A plain build counts a kind of warning that repeats in one line and says where the
/// list is; `--verbose` and `worklog check` name every one with its file and line.
#[test]
fn repeated_warnings_are_counted_in_a_plain_build_and_listed_by_check() {
    let mut list = String::new();
    for n in 1..=12 {
        list.push_str(&format!("- [Week {n}](1.{n}-Week{n}/)\n"));
    }
    let mut files = vec![(
        "content/1-Worklog/_index.md".to_string(),
        format!("---\ntitle: Worklog\n---\n{list}\n[gone](../nowhere/)\n"),
    )];
    for n in 1..=12 {
        files.push((
            format!("content/1-Worklog/1.{n}-week{n}/_index.md"),
            week(n, "", "Text.\n"),
        ));
    }
    let files: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let site = TestSite::with(&files);
    let run = site.build(&[]);
    run.ok();
    assert_eq!(
        run.stderr,
        "warning: 12 links differ from their target in letter case only: worklog writes them as the target's\n\
         warning: content/1-Worklog/_index.md:17: link `../nowhere/` points to no page or file of the site\n\
         warning: `worklog check` (or --verbose) lists each counted warning with its file and line\n"
    );
    let verbose = site.build(&["--verbose"]);
    assert_eq!(verbose.stderr.lines().count(), 13, "{}", verbose.stderr);
    assert!(
        verbose.stderr.contains(
            "warning: content/1-Worklog/_index.md:15: link `1.12-Week12/` differs from its target in letter case only"
        ),
        "{}",
        verbose.stderr
    );
    let mut check = worklog();
    check.current_dir(site.path()).arg("check");
    let check = common::run(check);
    assert_eq!(
        check
            .stdout
            .lines()
            .filter(|l| l.contains(": case: "))
            .count(),
        12,
        "{}",
        check.stdout
    );
}
