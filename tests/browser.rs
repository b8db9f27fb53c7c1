//! In a real browser (headless Chromium): live reload as a student sees it, and the
//! default theme on a phone.
mod common;
use common::browser::Browser;
use common::server::ServeProcess;
use common::*;

fn site() -> TestSite {
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
            include_str!("fixtures/seeds/week-7-worklog.md"),
        ),
        ("static/css/site.css", "p { color: rgb(0, 0, 0); }"),
    ])
}

const WEEK7: &str = "1-worklog/1.7-week7/";

#[test]
fn an_edit_shows_in_the_open_page_by_itself() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let site = site();
    let server = ServeProcess::start(site.path(), &[]);
    browser.goto(&format!("{}{WEEK7}", server.url));
    browser.wait_until(
        "return document.querySelector('h1').textContent === 'Week 7 Worklog'",
        "the page loads",
    );
    let edited = include_str!("fixtures/seeds/week-7-worklog.md")
        .replace("### Week 7 Goals:", "### Goals rewritten live");
    site.write("content/1-Worklog/1.7-Week7/_index.md", &edited);
    browser.wait_until(
        "return document.body.innerText.includes('Goals rewritten live')",
        "the edit shows",
    );
}

#[test]
fn a_css_change_applies_without_a_reload() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let site = site();
    site.write(
        "static/css/worklog.css",
        "body { background-color: rgb(1, 2, 3); }",
    );
    let server = ServeProcess::start(site.path(), &[]);
    browser.goto(&server.url);
    browser.wait_until(
        "return getComputedStyle(document.body).backgroundColor === 'rgb(1, 2, 3)'",
        "the first style",
    );
    browser.eval("window.__notReloaded = true; return true;");
    site.write(
        "static/css/worklog.css",
        "body { background-color: rgb(200, 100, 50); }",
    );
    browser.wait_until(
        "return getComputedStyle(document.body).backgroundColor === 'rgb(200, 100, 50)'",
        "the new style",
    );
    assert_eq!(
        browser.eval("return window.__notReloaded === true"),
        true,
        "the page was reloaded"
    );
}

#[test]
fn a_broken_front_matter_shows_an_overlay_until_fixed() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let site = site();
    let server = ServeProcess::start(site.path(), &[]);
    browser.goto(&format!("{}{WEEK7}", server.url));
    browser.wait_until("return !!document.querySelector('h1')", "the page loads");
    let good = include_str!("fixtures/seeds/week-7-worklog.md");
    site.write(
        "content/1-Worklog/1.7-Week7/_index.md",
        &good.replace("weight: 1", "weight: [1"),
    );
    browser.wait_until(
        "var o = document.getElementById('worklog-error-overlay'); return !!o && o.textContent.includes('content/1-Worklog/1.7-Week7/_index.md:')",
        "the overlay shows the file and line",
    );
    site.write("content/1-Worklog/1.7-Week7/_index.md", good);
    browser.wait_until(
        "return !document.getElementById('worklog-error-overlay')",
        "the overlay goes away",
    );
}

#[test]
fn week_tables_stay_legible_on_a_phone_without_sideways_scroll() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let site = site();
    site.build(&[]).ok();
    let server = ServeProcess::start(site.path(), &[]);
    browser.resize(390, 844);
    for page in [
        WEEK7,
        "1-worklog/1.6-week6/",
        "",
        "1-worklog/",
        "no-such-page/",
    ] {
        browser.goto(&format!("{}{page}", server.url));
        browser.wait_until(
            "return document.readyState === 'complete'",
            "the page loads",
        );
        let overflow =
            browser.eval("return document.documentElement.scrollWidth - window.innerWidth");
        assert!(
            overflow.as_i64().unwrap() <= 0,
            "{page}: the page scrolls sideways by {overflow} px"
        );
        let errors: Vec<String> = browser
            .console_errors()
            .into_iter()
            .filter(|e| !(page.starts_with("no-such") && e.contains("status of 404")))
            .collect();
        assert_eq!(errors, Vec::<String>::new(), "{page}: console errors");
    }
    browser.goto(&format!("{}{WEEK7}", server.url));
    // Dates stay on one line.
    let date_lines = browser.eval(
        "var td = [...document.querySelectorAll('td')].find(t => /\\d\\d\\/\\d\\d\\/\\d{4}/.test(t.textContent));
         var h = parseFloat(getComputedStyle(td).lineHeight) || 20; return Math.round(td.getBoundingClientRect().height / h);",
    );
    assert!(
        date_lines.as_i64().unwrap() <= 2,
        "a date cell spans {date_lines} lines"
    );
}

#[test]
fn the_current_page_stands_out_in_the_nav() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let site = site();
    let server = ServeProcess::start(site.path(), &[]);
    browser.goto(&format!("{}{WEEK7}", server.url));
    browser.wait_until(
        "return document.readyState === 'complete'",
        "the page loads",
    );
    let styles = browser.eval(
        "var cur = document.querySelector('.nav-tree a[aria-current=\"page\"]');
         var other = [...document.querySelectorAll('.nav-tree a')].find(a => a !== cur);
         var c = getComputedStyle(cur), o = getComputedStyle(other);
         return [c.backgroundColor !== o.backgroundColor || c.fontWeight !== o.fontWeight, cur.textContent];",
    );
    assert_eq!(styles[0], true, "current link looks like the others");
    assert!(styles[1].as_str().unwrap().contains("1.7"), "{styles}");
}
