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

/// A journal in two languages with every kind of body content, drawn by `theme`.
fn journal_with(theme: &str) -> TestSite {
    let site = journal();
    site.write(
        "worklog.toml",
        &format!("title = \"Internship Report\"\ntheme = \"{theme}\"\n[languages.en]\nweight = 1\nlanguageName = \"English\"\n[languages.vi]\nweight = 2\nlanguageName = \"Tiếng Việt\"\n[[menu.shortcuts]]\nname = \"AWS\"\nurl = \"https://aws.amazon.com\"\n[params]\nauthor = \"Nguyễn Minh Khoa\"\n"),
    );
    site.write(
        "content/_index.md",
        "---\ntitle: Internship Report\ndate: 2025-09-08\n---\n| Field | Details |\n|---|---|\n| Name | Khoa |\n\n1. [Worklog](1-worklog/)\n",
    );
    // A student's own learn partials, as real journals write them: the theme's landmarks
    // stay valid around them.
    site.write(
        "layouts/partials/logo.html",
        "<a id=\"logo\" href=\"/\">\n<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 60 30\" width=\"30%\"><title>AWS-Logo_White-Color</title><path fill=\"#f90\" d=\"M0 20c15 9 35 9 50 0z\"/></svg>\n</a>\n",
    );
    site.write(
        "layouts/partials/menu-footer.html",
        "<p><b>Team</b><br><a href=\"https://www.facebook.com/groups/660548818043427\">First Cloud Journey</a></p>\n",
    );
    site.write(
        "layouts/partials/custom-footer.html",
        "<script>document.documentElement.dataset.footer = 'yes';</script>\n",
    );
    site.write(
        "content/1-Worklog/1.7-Week7/_index.vi.md",
        "---\ntitle: Tuần 7\nweight: 1\n---\n{{% notice info %}}\nGhi chú.\n{{% /notice %}}\n",
    );
    site.write(
        "content/2-Workshop/_index.md",
        // A code line and a table wider than a phone: each scrolls sideways in its box,
        // which the keyboard must reach (axe's scrollable-region-focusable).
        "---\ntitle: Workshop\nweight: 2\nchapter: true\npre: \" <b> 2. </b> \"\n---\n{{% children %}}\n\n```python\nprint('hi')\naws s3api put-bucket-policy --bucket my-journal-bucket --policy file://policy.json --region ap-southeast-1\n```\n\n| Day | Task | Start | End | Reference |\n|---|---|---|---|---|\n| 2 | Create the bucket and its policy | 15/09/2025 | 15/09/2025 | https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-policies.html |\n\n> [!TIP]\n> Read the notes.\n",
    );
    site.write(
        "content/2-Workshop/2.1-Setup/_index.md",
        "---\ntitle: Setup\nweight: 1\ndescription: Tools\n---\n{{% expand \"Why?\" %}}Because.{{% /expand %}}\n",
    );
    site
}

/// In each theme, every kind of page at desktop size, in dark mode and on a phone:
/// nothing axe-core finds against WCAG 2 A/AA, no console error, no sideways scroll.
#[test]
fn every_theme_reads_well_on_desktop_in_dark_mode_and_on_a_phone() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let pages = [
        "",
        "1-worklog/",
        WEEK7,
        "vi/1-worklog/1.7-week7/",
        "2-workshop/",
        "no-such-page/",
        "timeline/",
        "vi/timeline/",
        "print/",
    ];
    for theme in ["default", "learn"] {
        let site = journal_with(theme);
        let server = ServeProcess::start(site.path(), &[]);
        for (width, scheme) in [(1280, "light"), (1280, "dark"), (390, "light")] {
            browser.resize(width, 900);
            browser.emulate_color_scheme(scheme);
            for page in pages {
                let at = format!("{theme}, {width} px, {scheme}: /{page}");
                browser.goto(&format!("{}{page}", server.url));
                browser.wait_until("return document.readyState === 'complete'", &at);
                let violations = browser.axe_violations();
                assert!(violations.is_empty(), "{at}: {violations:#?}");
                let overflow =
                    browser.eval("return document.documentElement.scrollWidth - window.innerWidth");
                assert!(
                    overflow.as_i64().unwrap() <= 0,
                    "{at}: scrolls sideways by {overflow} px"
                );
                let errors: Vec<String> = browser
                    .console_errors()
                    .into_iter()
                    .filter(|e| !(page.starts_with("no-such") && e.contains("status of 404")))
                    .collect();
                assert!(errors.is_empty(), "{at}: console errors {errors:?}");
            }
        }
        browser.emulate_color_scheme("light");
        // Before this theme's server stops: an open page would try to reconnect its
        // live reload, and the refused connection would show in the next theme's log.
        browser.goto("about:blank");
    }
}

/// The current page's link differs from the others in the nav, and the colours follow
/// the system's dark mode, in each theme.
#[test]
fn every_theme_marks_the_current_page_and_follows_the_system_dark_mode() {
    let Some(browser) = Browser::start() else {
        return;
    };
    for theme in ["default", "learn"] {
        let site = journal_with(theme);
        let server = ServeProcess::start(site.path(), &[]);
        browser.resize(1280, 900);
        let mut backgrounds = Vec::new();
        for scheme in ["light", "dark"] {
            browser.emulate_color_scheme(scheme);
            browser.goto(&format!("{}{WEEK7}", server.url));
            browser.wait_until(
                "return document.readyState === 'complete'",
                "the page loads",
            );
            let current = browser.eval(
                "var cur = document.querySelector('#nav-tree a[aria-current=\"page\"]');
                 var other = [...document.querySelectorAll('#nav-tree a')].find(a => a.textContent.includes('Week 6'));
                 var c = getComputedStyle(cur), o = getComputedStyle(other);
                 return [cur.textContent, c.backgroundColor !== o.backgroundColor, c.color !== o.color, c.fontWeight !== o.fontWeight];",
            );
            assert_eq!(
                current,
                serde_json::json!(["1.7 Week 7 Worklog", true, true, true]),
                "{theme}, {scheme}: the current page's link looks like the others"
            );
            // The page's own background, as a luminance from 0 (black) to 1.
            let luminance = browser.eval(
                "var m = getComputedStyle(document.body).backgroundColor.match(/\\d+/g).map(Number);
                 return (0.2126 * m[0] + 0.7152 * m[1] + 0.0722 * m[2]) / 255;",
            );
            backgrounds.push(luminance.as_f64().unwrap());
        }
        assert!(
            backgrounds[0] > 0.8 && backgrounds[1] < 0.2,
            "{theme}: light then dark backgrounds {backgrounds:?}"
        );
        browser.emulate_color_scheme("light");
    }
}

#[test]
fn a_theme_stylesheet_edit_applies_without_a_reload() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let site = journal();
    site.write("worklog.toml", "theme = \"mine\"\n");
    site.write("themes/mine/theme.toml", "extends = \"learn\"\n");
    site.write(
        "themes/mine/static/css/learn.css",
        "body { background-color: rgb(1, 2, 3); }",
    );
    let server = ServeProcess::start(site.path(), &[]);
    browser.track_websockets();
    browser.goto(&format!("{}{WEEK7}", server.url));
    browser.wait_until(
        "return getComputedStyle(document.body).backgroundColor === 'rgb(1, 2, 3)'",
        "the theme's first style",
    );
    browser.wait_for_live_socket();
    browser.eval("window.__notReloaded = true; return true;");
    site.write(
        "themes/mine/static/css/learn.css",
        "body { background-color: rgb(200, 100, 50); }",
    );
    browser.wait_until(
        "return getComputedStyle(document.body).backgroundColor === 'rgb(200, 100, 50)'",
        "the theme's new style",
    );
    assert_eq!(
        browser.eval("return window.__notReloaded === true"),
        true,
        "the page was reloaded"
    );
}

/// A 5-column week table full of long URLs at desktop width, in each theme: the URLs wrap
/// in their column, and the dates stay on one line.
#[test]
fn a_week_table_of_long_urls_keeps_its_dates_on_one_line_at_1280_px() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let long = "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Aurora.Managing.Performance.html#Aurora.Managing.Performance.ReadScaling";
    let mut rows = String::new();
    for (day, date) in [
        ("Mon", "15-09-2025"),
        ("Tue", "16/09/2025"),
        ("Wed", "2025-09-17"),
    ] {
        rows.push_str(&format!(
            "| {day} | - Learn Amazon RDS and Aurora <br>&emsp; + Multi-AZ | {date} | {date} | {long} <br> {long}?x=1 <br> [Guide]({long}) |\n"
        ));
    }
    for theme in ["default", "learn"] {
        let site = journal_with(theme);
        site.write(
            "content/1-Worklog/1.7-Week7/_index.md",
            &week(7, "", &format!("### Tasks\n\n| Day | Task | Start Date | Completion Date | Reference Material |\n|---|---|---|---|---|\n{rows}")),
        );
        let server = ServeProcess::start(site.path(), &[]);
        browser.resize(1280, 900);
        browser.goto(&format!("{}{WEEK7}", server.url));
        browser.wait_until(
            "return document.readyState === 'complete'",
            "the page loads",
        );
        // Each date cell's text, by the distinct line boxes it is laid out on.
        let lines = browser.eval(
            "return [...document.querySelectorAll('.content tbody tr')].flatMap(tr => [2, 3].map(i => {
                 const range = document.createRange();
                 range.selectNodeContents(tr.children[i]);
                 const tops = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
                 return [tr.children[i].textContent.trim(), tops.size];
             }));",
        );
        for pair in lines.as_array().unwrap() {
            assert_eq!(pair[1], 1, "{theme}: {pair} breaks: {lines}");
        }
        assert_eq!(lines.as_array().unwrap().len(), 6, "{theme}: {lines}");
        let fit = browser.eval(
            "const wrap = document.querySelector('.table-wrap');
             return [wrap.scrollWidth - wrap.clientWidth, document.documentElement.scrollWidth - window.innerWidth];",
        );
        let (table, page) = (fit[0].as_i64().unwrap(), fit[1].as_i64().unwrap());
        assert!(
            table <= 0 && page <= 0,
            "{theme}: the long URLs wrap inside the table: {fit}"
        );
    }
}
