//! The generated pages made of the others: the timeline and the print page.
mod common;
use common::*;

use std::collections::HashSet;

fn journal() -> TestSite {
    TestSite::with(&[
        (
            "config.toml",
            "defaultContentLanguage = 'en'\n[languages.en]\nweight = 1\n[languages.vi]\nweight = 2\n",
        ),
        ("content/_index.vi.md", "---\ntitle: Trang chủ\n---\n"),
        (
            "content/1-Worklog/_index.md",
            "---\ntitle: Worklog\nweight: 1\npre: \" <b> 1. </b> \"\n---\nAll weeks.\n",
        ),
        (
            "content/1-Worklog/1.1-Week1/_index.md",
            &week(
                1,
                "date: 2025-09-08\n",
                "### Week 1 Objectives:\n\n* Meet the team & mentors\n* Open an **AWS** account\n  * nested detail\n* Learn regions\n* A fourth one\n\n### Tasks\n\n| Day | Task |\n|---|---|\n| Mon | [week 2](../1.2-week2/#week-2-objectives) |\n\n[own heading](#tasks) [home](/) [img](files/x.png)\n",
            ),
        ),
        (
            "content/1-Worklog/1.2-Week2/_index.md",
            &week(
                2,
                "",
                "### Week 2 Objectives:\n\n* Undated work\n\n### Tasks\n\nText.\n",
            ),
        ),
        (
            "content/1-Worklog/1.3-Week3/_index.md",
            &week(
                3,
                "date: 2025-09-22\n",
                "### Goals\n\n* Ship the proposal\n\n### Tasks\n",
            ),
        ),
        (
            "content/1-Worklog/1.1-Week1/_index.vi.md",
            "---\ntitle: Tuần 1\nweight: 1\ndate: 2025-09-08\n---\n### Mục tiêu tuần 1:\n\n* Làm quen\n",
        ),
        (
            "content/2-Proposal/_index.md",
            "---\ntitle: Proposal\nweight: 2\npre: \" <b> 2. </b> \"\n---\n### Tasks\n\nSee [week 1](../1-worklog/1.1-week1/).\n",
        ),
    ])
}

#[test]
fn the_timeline_shows_every_week_in_order_dated_or_not() {
    let site = journal();
    let run = site.build(&[]);
    run.ok();
    let html = site.read("timeline/index.html");
    let list = between(&html, "<ol class=\"timeline\">", "</ol>\n</article>");
    let order: Vec<usize> = ["Week 1 Worklog", "Week 2 Worklog", "Week 3 Worklog"]
        .iter()
        .map(|t| {
            list.find(t)
                .unwrap_or_else(|| panic!("{t} missing from {list}"))
        })
        .collect();
    assert!(order.is_sorted(), "{list}");
    let week1 = between(list, "Week 1 Worklog", "</li>\n    <li");
    assert!(week1.contains("Meet the team &amp; mentors"), "{week1}");
    assert!(week1.contains("<li>Open an AWS account</li>"), "{week1}");
    assert!(week1.contains("<li>Learn regions</li>"), "{week1}");
    assert!(
        !week1.contains("nested") && !week1.contains("fourth"),
        "{week1}"
    );
    let week2 = between(list, "Week 2 Worklog", "</li>\n    <li");
    assert!(list.contains("<time datetime=\"2025-09-08\">"), "{list}");
    assert!(
        list.contains(
            "<li class=\"timeline-week undated\">\n      <p class=\"timeline-date\">No date</p>"
        ),
        "{list}"
    );
    assert!(week2.contains("Undated work"), "{week2}");
    // Aims under another heading journals use.
    let week3 = &list[list.find("Week 3 Worklog").unwrap()..];
    assert!(week3.contains("<li>Ship the proposal</li>"), "{week3}");
    assert!(site.read("index.html").contains("href=\"/timeline/\""));
    let vi = site.read("vi/timeline/index.html");
    assert!(
        vi.contains("Dòng thời gian") && vi.contains("Làm quen"),
        "{vi}"
    );
    assert!(
        site.read("vi/index.html")
            .contains("href=\"/vi/timeline/\"")
    );
}

/// Every `id` of a page, in order.
fn ids(html: &str) -> Vec<String> {
    html.match_indices(" id=\"")
        .map(|(i, m)| {
            let rest = &html[i + m.len()..];
            rest[..rest.find('"').unwrap()].to_string()
        })
        .collect()
}

#[test]
fn the_print_page_has_unique_ids_and_links_inside_the_document() {
    let site = journal();
    site.write_bytes("content/1-Worklog/1.1-Week1/files/x.png", b"png");
    site.build(&[]).ok();
    let html = site.read("print/index.html");
    let all = ids(&html);
    let unique: HashSet<&String> = all.iter().collect();
    assert_eq!(unique.len(), all.len(), "repeated ids in {all:?}");
    for title in [
        "Worklog",
        "Week 1 Worklog",
        "Week 2 Worklog",
        "Week 3 Worklog",
        "Proposal",
    ] {
        assert!(
            html.contains(&format!("{title}</a></li>")),
            "{title} not in the contents"
        );
    }
    // Every link of the document's own text leads to an id of the document.
    let body = between(&html, "<nav class=\"print-toc\"", "</main>");
    for link in links(body) {
        if link.starts_with("https://") {
            continue;
        }
        if let Some(id) = link.strip_prefix('#') {
            assert!(unique.contains(&id.to_string()), "#{id} leads nowhere");
        } else {
            assert_eq!(
                link, "/1-worklog/1.1-week1/files/x.png",
                "{link} leaves the document"
            );
        }
    }
    // The links of the fixture, each resolved inside.
    let week2 = ids(&html)
        .into_iter()
        .find(|id| id.ends_with("-week-2-objectives"))
        .unwrap();
    assert!(
        html.contains(&format!("href=\"#{week2}\"")),
        "link to week 2's heading"
    );
    assert!(html.contains("href=\"#p0\">home</a>"), "link home");
    // Chapters start a new printed page; week tables and code keep together.
    assert!(html.contains("class=\"print-section depth-1 chapter-start\""));
    assert!(html.contains("break-before: page"));
    assert!(html.contains(
        "table, tr, pre, figure, img, blockquote, .notices, .alert { break-inside: avoid; }"
    ));
}

#[test]
fn serve_keeps_the_timeline_and_the_print_page_up_to_date() {
    let site = journal();
    let server = common::server::ServeProcess::start(site.path(), &[]);
    assert!(server.get("/timeline/").body.contains("Learn regions"));
    site.write(
        "content/1-Worklog/1.1-Week1/_index.md",
        &week(
            1,
            "date: 2025-09-08\n",
            "### Week 1 Objectives:\n\n* Plan the proposal\n\nNew text of week 1.\n",
        ),
    );
    let timeline = server.wait_for_body("/timeline/", |b| b.contains("Plan the proposal"));
    assert!(!timeline.body.contains("Learn regions"));
    server.wait_for_body("/print/", |b| b.contains("New text of week 1."));
    // Text outside the objectives: the print page changes, the timeline stays.
    site.write(
        "content/1-Worklog/1.2-Week2/_index.md",
        &week(2, "", "### Week 2 Objectives:\n\n* Undated work\n\nMore.\n"),
    );
    server.wait_for_body("/print/", |b| b.contains("More."));
    assert_eq!(server.get("/timeline/").body, timeline.body);
}
