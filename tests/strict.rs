//! Nothing accepted silently: what a site says that Hugo reads one way and its author may have
//! meant another is read as Hugo reads it and named with its file and line, or refused.
mod common;
use common::*;

#[test]
fn a_weight_that_is_no_number_is_named_and_sorted_last_as_in_hugo() {
    let site = TestSite::with(&[
        (
            "content/a/_index.md",
            "---\ntitle: A\nweight: \"abc\"\n---\n",
        ),
        ("content/b/_index.md", "---\ntitle: B\nweight: 2\n---\n"),
    ]);
    let run = site.build(&[]);
    run.ok();
    assert!(
        run.stderr
            .contains("warning: content/a/_index.md:3: `weight: \"abc\"` is not a number"),
        "{}",
        run.stderr
    );
    let home = site.read("index.html");
    let (a, b) = (home.find(">A<").unwrap(), home.find(">B<").unwrap());
    assert!(b < a, "B (weight 2) before A (no weight)");
}

#[test]
fn a_date_that_is_no_day_is_named_and_never_written() {
    let site = TestSite::with(&[(
        "content/a/_index.md",
        "---\ntitle: A\ndate: 2025-13-45\n---\nText.\n",
    )]);
    let run = site.build(&[]);
    run.ok();
    assert!(
        run.stderr
            .contains("warning: content/a/_index.md:3: `date: 2025-13-45` is not a date"),
        "{}",
        run.stderr
    );
    for file in ["a/index.html", "sitemap.xml"] {
        let text = site.read(file);
        assert!(!text.contains("2025-13-45"), "{file}: {text}");
        assert!(!text.contains("<time"), "{file}: {text}");
    }
}

#[test]
fn a_key_set_twice_is_named_with_both_lines_and_the_last_wins() {
    let site = TestSite::with(&[(
        "content/a/_index.md",
        "---\ntitle: First\nweight: 1\ntitle: Second\n---\n",
    )]);
    let run = site.build(&[]);
    run.ok();
    assert!(
        run.stderr.contains(
            "warning: content/a/_index.md:4: `title` is set again (first on line 2): the last value is used"
        ),
        "{}",
        run.stderr
    );
    assert!(site.read("a/index.html").contains("Second"));
}

#[test]
fn draft_yes_and_draft_1_are_drafts_as_hugo_reads_them() {
    let site = TestSite::with(&[
        (
            "content/yes/_index.md",
            "---\ntitle: Yes\ndraft: yes\n---\n",
        ),
        ("content/one/_index.md", "---\ntitle: One\ndraft: 1\n---\n"),
        (
            "content/t/_index.md",
            "+++\ntitle = 'T'\ndraft = \"true\"\n+++\n",
        ),
        (
            "content/maybe/_index.md",
            "---\ntitle: Maybe\n\ndraft: maybe\n---\n",
        ),
    ]);
    let run = site.build(&[]);
    run.ok();
    for hidden in ["yes", "one", "t"] {
        assert!(!site.exists(&format!("{hidden}/index.html")), "{hidden}");
    }
    assert!(site.exists("maybe/index.html"), "false, as in Hugo");
    let e = &run.stderr;
    assert!(
        e.contains("warning: content/yes/_index.md:3: `draft: yes` is read as true"),
        "{e}"
    );
    assert!(
        e.contains("warning: content/maybe/_index.md:4: `draft: maybe` is neither true nor false"),
        "{e}"
    );
    assert!(!e.contains("content/one/"), "`1` is Hugo's true: {e}");
    site.build(&["--drafts"]).ok();
    assert!(site.exists("yes/index.html"));
}
