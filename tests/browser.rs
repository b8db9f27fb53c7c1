//! In a real browser (headless Chromium): live reload as a student sees it (many tabs,
//! behind a forwarded port, errors, a restarted server), and the default theme on a
//! phone.
mod common;
use common::browser::Browser;
use common::server::{ServeProcess, free_port};
use common::*;
use std::net::{TcpListener, TcpStream};

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
    browser.track_websockets();
    browser.goto(&format!("{}{WEEK7}", server.url));
    browser.wait_until(
        "return document.querySelector('h1').textContent === 'Week 7 Worklog'",
        "the page loads",
    );
    browser.wait_for_live_socket();
    browser.eval("window.scrollTo(0, 300); return true;");
    let edited = include_str!("fixtures/seeds/week-7-worklog.md")
        .replace("### Week 7 Goals:", "### Goals rewritten live");
    site.write("content/1-Worklog/1.7-Week7/_index.md", &edited);
    browser.wait_until(
        "return document.body.innerText.includes('Goals rewritten live')",
        "the edit shows",
    );
    browser.wait_until(
        "return document.readyState === 'complete' && window.scrollY === 300",
        "the page is shown where it was read",
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
    browser.track_websockets();
    browser.goto(&format!("{}{WEEK7}", server.url));
    browser.wait_until("return !!document.querySelector('h1')", "the page loads");
    browser.wait_for_live_socket();
    let good = include_str!("fixtures/seeds/week-7-worklog.md");
    site.write(
        "content/1-Worklog/1.7-Week7/_index.md",
        &good.replace("weight: 1", "weight: [1"),
    );
    browser.wait_until(
        "var o = document.getElementById('worklog-error-overlay'); return !!o && o.textContent.includes('content/1-Worklog/1.7-Week7/_index.md:')",
        "the overlay shows the file and line",
    );
    // Saving another page does not make week 7 build.
    site.write(
        "content/_index.md",
        "---\ntitle: Home\n---\nWelcome back.\n",
    );
    browser.wait_until(
        "var o = document.getElementById('worklog-error-overlay'); return !!o && o.textContent.includes('still does not build') && o.textContent.includes('content/1-Worklog/1.7-Week7/_index.md:')",
        "the overlay says the site still fails, and where",
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

#[test]
fn twenty_open_tabs_all_reload_on_a_save() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let site = site();
    let server = ServeProcess::start(site.path(), &[]);
    let pages = ["", "1-worklog/", "1-worklog/1.6-week6/", WEEK7];
    let mut tabs = vec![browser.tab()];
    for i in 0..20 {
        if i > 0 {
            tabs.push(browser.new_tab());
        }
        browser.switch_to(&tabs[i]);
        browser.track_websockets();
        browser.goto(&format!("{}{}", server.url, pages[i % pages.len()]));
        browser.wait_for_live_socket();
        browser.eval("window.__notReloaded = true; return true;");
    }
    // The section's title is in the nav of every page.
    site.write(
        "content/1-Worklog/_index.md",
        "---\ntitle: Weeks Renamed\nweight: 1\npre: \" <b> 1. </b> \"\n---\nAll weeks.\n",
    );
    for (i, tab) in tabs.iter().enumerate() {
        browser.switch_to(tab);
        browser.wait_until(
            "return window.__notReloaded === undefined && document.body.innerText.includes('Weeks Renamed')",
            &format!("tab {i} reloads"),
        );
    }
}

#[test]
fn live_reload_works_behind_a_forwarded_port() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let site = site();
    let server = ServeProcess::start(site.path(), &[]);
    // Another address than the server's, and one port: nothing else of the server is
    // reachable from the browser this way.
    let proxy = forward("127.0.0.3", server.port);
    browser.track_websockets();
    browser.goto(&format!("http://127.0.0.3:{proxy}/{WEEK7}"));
    browser.wait_until(
        "return document.querySelector('h1').textContent === 'Week 7 Worklog'",
        "the page loads through the proxy",
    );
    browser.wait_for_live_socket();
    let edited = include_str!("fixtures/seeds/week-7-worklog.md")
        .replace("### Week 7 Goals:", "### Seen through the proxy");
    site.write("content/1-Worklog/1.7-Week7/_index.md", &edited);
    browser.wait_until(
        "return document.body.innerText.includes('Seen through the proxy')",
        "the edit shows through the proxy",
    );
}

/// A TCP proxy on `ip` (a port of its own) to the server's page port, as Docker's `-p`
/// or `ssh -L` are: bytes both ways, nothing else.
fn forward(ip: &str, to: u16) -> u16 {
    let listener = TcpListener::bind((ip, 0)).unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for client in listener.incoming().map_while(Result::ok) {
            let Ok(upstream) = TcpStream::connect(("127.0.0.1", to)) else {
                continue;
            };
            for (mut from, mut into) in [
                (client.try_clone().unwrap(), upstream.try_clone().unwrap()),
                (upstream, client),
            ] {
                std::thread::spawn(move || {
                    let _ = std::io::copy(&mut from, &mut into);
                    let _ = into.shutdown(std::net::Shutdown::Write);
                });
            }
        }
    });
    port
}

#[test]
fn an_open_page_catches_up_when_the_server_comes_back() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let site = site();
    let port = free_port();
    let server = ServeProcess::start_on(site.path(), port, &[]);
    browser.track_websockets();
    browser.goto(&format!("{}{WEEK7}", server.url));
    browser.wait_for_live_socket();
    drop(server);
    let edited = include_str!("fixtures/seeds/week-7-worklog.md")
        .replace("### Week 7 Goals:", "### Saved while stopped");
    site.write("content/1-Worklog/1.7-Week7/_index.md", &edited);
    let _again = ServeProcess::start_on(site.path(), port, &[]);
    browser.wait_until(
        "return document.body.innerText.includes('Saved while stopped')",
        "the page reloads once the server is back",
    );
}
