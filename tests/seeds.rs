//! Real weekly files (tests/fixtures/seeds, copied from students' journals) build as they are.
mod common;
use common::*;

const WEEK6: &str = include_str!("fixtures/seeds/week-6-worklog.md");
const WEEK7: &str = include_str!("fixtures/seeds/week-7-worklog.md");

fn seed_site() -> TestSite {
    TestSite::with(&[
        (
            "content/1-Worklog/_index.md",
            "---\ntitle: Worklog\nweight: 1\npre: \" <b> 1. </b> \"\n---\n",
        ),
        ("content/1-Worklog/1.6-Week6/_index.md", WEEK6),
        ("content/1-Worklog/1.7-Week7/_index.md", WEEK7),
    ])
}

#[test]
fn seeds_build_with_numbers_in_order() {
    let site = seed_site();
    site.build(&[]).ok();
    let w6 = site.read("1-worklog/1.6-week6/index.html");
    let w7 = site.read("1-worklog/1.7-week7/index.html");
    assert!(w6.contains("<h1>Week 6 Worklog</h1>"));
    assert!(!w6.contains("<time"), "week 6 has no date");
    assert!(w7.contains("<time datetime=\"2025-09-09\">"));
    assert!(between(&w6, "rel=\"next\"", "</a>").contains("1.7"));
    assert!(w7.contains("<span class=\"num\">1.7</span>"));
}

#[test]
fn seed_tables_keep_links_br_and_emsp() {
    let site = seed_site();
    site.build(&[]).ok();
    let w6 = site.read("1-worklog/1.6-week6/index.html");
    assert!(
        w6.contains(
            "- Learn about Amazon RDS and Aurora <br>\u{2003} + Engines: MySQL, PostgreSQL…"
        ),
        "cell HTML kept, &emsp; as its character, `...` an ellipsis as in Hugo"
    );
    assert!(w6.contains("<a href=\"https://cloudjourney.awsstudygroup.com/\">https://cloudjourney.awsstudygroup.com/</a>"));
    assert!(w6.contains("[Image of AWS RDS Multi-AZ architecture]"));
    let w7 = site.read("1-worklog/1.7-week7/index.html");
    assert!(w7.contains("<a href=\"https://000019.awsstudygroup.com/vi/1-introduce/\">Lab19</a>"));
    assert_eq!(w7.matches("<tr>").count(), 6, "header + 5 days");
}
