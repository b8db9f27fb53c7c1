//! Themes in a real browser (headless Chromium): a template error while serving shows
//! over the page with its place and the page being rendered, and goes once fixed.
mod common;
use common::browser::Browser;
use common::server::ServeProcess;
use common::*;

const WEEK7: &str = "1-worklog/1.7-week7/";

fn journal() -> TestSite {
    TestSite::with(&[
        (
            "content/1-Worklog/_index.md",
            "---\ntitle: Worklog\nweight: 1\npre: \" <b> 1. </b> \"\n---\nAll weeks.\n",
        ),
        (
            "content/1-Worklog/1.6-Week6/_index.md",
            include_str!("fixtures/seeds/week-6-worklog.md"),
        ),
        (
            "content/1-Worklog/1.7-Week7/_index.md",
            &format!(
                "{}\n{{{{% notice tip %}}}}\nRead the **notes** first.\n{{{{% /notice %}}}}\n",
                include_str!("fixtures/seeds/week-7-worklog.md")
            ),
        ),
    ])
}

/// The text of the error overlay, once it holds `wanted`.
fn overlay_with(browser: &Browser, wanted: &[&str]) -> String {
    let script = format!(
        "var o = document.getElementById('worklog-error-overlay'); return !!o && {}",
        wanted
            .iter()
            .map(|w| format!("o.textContent.includes({})", serde_json::json!(w)))
            .collect::<Vec<_>>()
            .join(" && ")
    );
    browser.wait_until(&script, &format!("the overlay shows {wanted:?}"));
    browser
        .eval("return document.getElementById('worklog-error-overlay').textContent")
        .as_str()
        .unwrap_or_default()
        .to_string()
}

#[test]
fn template_errors_show_over_the_page_with_place_line_and_page_until_fixed() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let site = journal();
    let server = ServeProcess::start(site.path(), &[]);
    browser.track_websockets();
    browser.goto(&format!("{}{WEEK7}", server.url));
    browser.wait_until("return !!document.querySelector('h1')", "the page loads");
    browser.wait_for_live_socket();
    // An error met while rendering: the field does not exist.
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% block main %}\n<h1>{{ page.title }}</h1>\n<p>{{ page.weight }}</p>\n{% endblock main %}\n",
    );
    let shown = overlay_with(
        &browser,
        &[
            "templates/page.html:4:",
            "<p>{{ page.weight }}</p>",
            "while rendering content/",
        ],
    );
    assert!(
        shown.contains("^"),
        "the caret under the offending place: {shown}"
    );
    // An error met while reading the template: it does not parse.
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% block main %}\n{% if %}\n{% endblock main %}\n",
    );
    overlay_with(
        &browser,
        &[
            "templates/page.html:3:7",
            "{% if %}",
            "still does not build",
        ],
    );
    // A shortcode's template: the page and line of the call.
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% block main %}\n<h1>{{ page.title }}</h1>{{ page.content | safe }}\n{% endblock main %}\n",
    );
    site.write(
        "templates/shortcodes/notice.html",
        "<div>\n{{ kwargs.colour.name }}</div>\n",
    );
    overlay_with(
        &browser,
        &[
            "templates/shortcodes/notice.html:2:",
            "content/1-Worklog/1.7-Week7/_index.md:",
        ],
    );
    site.remove("templates/shortcodes/notice.html");
    browser.wait_until(
        "return !document.getElementById('worklog-error-overlay') && document.readyState === 'complete' && document.querySelector('h1').textContent === 'Week 7 Worklog'",
        "the overlay goes once the template is fixed",
    );
}

#[test]
fn the_words_of_the_theme_script_come_from_i18n() {
    let Some(browser) = Browser::start() else {
        return;
    };
    // A three-column table keeps its long words whole: on a phone it scrolls in its box.
    let body = "```sh\naws s3 ls\n```\n\n| A | B | C |\n|---|---|---|\n| arn:aws:iam::123456789012:role/service-role/lambda-basic-execution | x | y |\n";
    let site = TestSite::with(&[
        (
            "worklog.toml",
            "[languages.en]\nweight = 1\n[languages.vi]\nweight = 2\n",
        ),
        (
            "content/a/_index.md",
            &format!("---\ntitle: A\n---\n{body}"),
        ),
        (
            "content/a/_index.vi.md",
            &format!("---\ntitle: A\n---\n{body}"),
        ),
    ]);
    let server = ServeProcess::start(site.path(), &[]);
    browser.resize(390, 844);
    for (page, copy, table) in [
        ("a/", "Copy", "Table (scrolls sideways)"),
        ("vi/a/", "Sao chép", "Bảng (cuộn ngang)"),
    ] {
        browser.goto(&format!("{}{page}", server.url));
        browser.wait_until(
            "return !!document.querySelector('.copy-button')",
            "the script adds its button",
        );
        let words = browser.eval(
            "return [document.querySelector('.copy-button').textContent, document.querySelector('.table-wrap').getAttribute('aria-label')]",
        );
        assert_eq!(words, serde_json::json!([copy, table]), "{page}");
    }
}
