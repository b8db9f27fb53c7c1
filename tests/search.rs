//! Search: Pagefind's index, one bundle per language, holding every page and nothing
//! else; the search box in a real browser, under a sub-path, in English and Vietnamese.
mod common;
use std::collections::BTreeSet;
use std::io::Read;
use std::time::Duration;

use common::browser::Browser;
use common::server::ServeProcess;
use common::*;

/// A journal in English and Vietnamese under `/journal/`, with a redirect (an alias) and
/// the 404 pages, which are not to be found by search.
fn journal(theme: &str) -> TestSite {
    TestSite::with(&[
        (
            "config.toml",
            &format!(
                "baseURL = \"https://u.github.io/journal/\"\ntheme = \"{theme}\"\ndefaultContentLanguage = \"en\"\n[languages.en]\ntitle = \"Report\"\nweight = 1\n[languages.vi]\ntitle = \"Báo cáo\"\nweight = 2\n"
            ),
        ),
        (
            "content/_index.vi.md",
            "---\ntitle: Trang chủ\n---\nXin chào.\n",
        ),
        (
            "content/1-Worklog/_index.md",
            "---\ntitle: Worklog\nweight: 1\npre: \" <b> 1. </b> \"\n---\nAll weeks.\n",
        ),
        (
            "content/1-Worklog/_index.vi.md",
            "---\ntitle: Nhật ký\nweight: 1\npre: \" <b> 1. </b> \"\n---\nNhật ký thực tập.\n",
        ),
        (
            "content/1-Worklog/1.1-Week1/_index.md",
            &week(
                1,
                "aliases: [\"/old-week-1/\"]\n",
                "Set up an AWS account and wrote a Lambda function.\n",
            ),
        ),
        (
            "content/1-Worklog/1.1-Week1/_index.vi.md",
            "---\ntitle: \"Tuần 1\"\nweight: 1\npre: \" <b> 1.1. </b> \"\n---\nTạo tài khoản AWS trên bàn làm việc.\n",
        ),
        (
            "content/1-Worklog/1.2-Week2/_index.md",
            &week(2, "", "Studied VPC networking.\n"),
        ),
        (
            "content/1-Worklog/1.2-Week2/_index.vi.md",
            "---\ntitle: \"Ghi chép 2\"\nweight: 1\npre: \" <b> 1.2. </b> \"\n---\nTìm hiểu đường truyền mạng VPC với bạn Tuấn.\n",
        ),
    ])
}

/// The pages a language's index holds, by URL, read from its fragment files (gzipped
/// JSON after Pagefind's `pagefind_dcd` signature).
fn indexed_urls(site: &TestSite, language: &str) -> BTreeSet<String> {
    let bundle = site.public().join(format!("pagefind/{language}"));
    let fragments = files_under(&bundle.join("fragment"));
    fragments
        .iter()
        .map(|f| {
            let gz = std::fs::read(bundle.join("fragment").join(f)).unwrap();
            let mut text = String::new();
            flate2::read::GzDecoder::new(&gz[..])
                .read_to_string(&mut text)
                .unwrap();
            let json: serde_json::Value =
                serde_json::from_str(text.trim_start_matches("pagefind_dcd")).unwrap();
            json["url"].as_str().unwrap().to_string()
        })
        .collect()
}

fn set(urls: &[&str]) -> BTreeSet<String> {
    urls.iter().map(|u| u.to_string()).collect()
}

#[test]
fn each_language_has_an_index_of_its_pages_and_nothing_else() {
    let site = journal("default");
    site.build(&[]).ok();
    assert!(site.exists("old-week-1/index.html"), "{:?}", site.files());
    assert!(site.exists("404.html") && site.exists("vi/404.html"));
    assert_eq!(
        indexed_urls(&site, "en"),
        set(&[
            "/",
            "/1-worklog/",
            "/1-worklog/1.1-week1/",
            "/1-worklog/1.2-week2/"
        ])
    );
    assert_eq!(
        indexed_urls(&site, "vi"),
        set(&[
            "/vi/",
            "/vi/1-worklog/",
            "/vi/1-worklog/1.1-week1/",
            "/vi/1-worklog/1.2-week2/"
        ])
    );
    for language in ["en", "vi"] {
        let entry = site.read(&format!("pagefind/{language}/pagefind-entry.json"));
        let entry: serde_json::Value = serde_json::from_str(&entry).unwrap();
        let languages = entry["languages"].as_object().unwrap();
        assert_eq!(languages.keys().collect::<Vec<_>>(), [language], "{entry}");
        assert_eq!(languages[language]["page_count"], 4, "{entry}");
    }
    // Only what the search box uses: not Pagefind's own user interfaces.
    assert!(
        !site
            .files()
            .iter()
            .any(|f| f.contains("pagefind-ui") || f.contains("highlight")),
        "{:?}",
        site.files()
    );
}

/// Types `query` into the search box and waits for the results; returns their titles.
fn search(browser: &Browser, query: &str) -> Vec<String> {
    browser.eval(&format!(
        "var i = document.getElementById('search-input'); i.focus(); i.value = {}; i.dispatchEvent(new Event('input')); return true;",
        serde_json::json!(query)
    ));
    browser.wait_until(
        "var s = document.getElementById('search-status'); return !!s && s.textContent !== ''",
        &format!("results for {query:?}"),
    );
    let titles = browser.eval(
        "return [...document.querySelectorAll('.search-results .search-title')].map(t => t.textContent)",
    );
    titles
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap().to_string())
        .collect()
}

fn clear(browser: &Browser) {
    browser.eval("var i = document.getElementById('search-input'); i.value = ''; i.dispatchEvent(new Event('input')); document.getElementById('search-status').textContent = ''; return true;");
}

/// In both themes, under a sub-path: English finds "lambda"; Vietnamese finds "Tuần"
/// and "đường" typed without accents; a result opens with the keyboard; no console error
/// and nothing axe-core finds while results are shown.
#[test]
fn the_search_box_finds_weeks_in_english_and_vietnamese_without_accents() {
    let Some(browser) = Browser::start() else {
        return;
    };
    for theme in ["default", "learn"] {
        let site = journal(theme);
        let server = ServeProcess::start(site.path(), &[]);
        assert!(server.url.ends_with("/journal/"), "{}", server.url);
        server.wait_for_line(|l| l.contains("search index in"), Duration::from_secs(60));

        browser.goto(&format!("{}1-worklog/1.2-week2/", server.url));
        browser.wait_until("return document.readyState === 'complete'", theme);
        // `/` focuses the box.
        browser.eval("document.body.dispatchEvent(new KeyboardEvent('keydown', {key: '/', bubbles: true})); return true;");
        assert_eq!(
            browser.eval("return document.activeElement.id"),
            "search-input",
            "{theme}: / focuses the search box"
        );
        assert_eq!(
            search(&browser, "lambda"),
            ["1.1 Week 1 Worklog"],
            "{theme}"
        );
        let excerpt = browser
            .eval("return document.querySelector('.search-results .search-excerpt').innerHTML");
        assert!(
            excerpt.as_str().unwrap().contains("<mark>Lambda</mark>"),
            "{theme}: {excerpt}"
        );
        for scheme in ["dark", "light"] {
            browser.emulate_color_scheme(scheme);
            let violations = browser.axe_violations();
            assert!(violations.is_empty(), "{theme}, {scheme}: {violations:#?}");
        }

        browser.goto(&format!("{}vi/", server.url));
        browser.wait_until("return document.readyState === 'complete'", theme);
        // "tuan" finds "Tuần" and "Tuấn".
        let mut found = search(&browser, "tuan");
        found.sort();
        assert_eq!(found, ["1.1 Tuần 1", "1.2 Ghi chép 2"], "{theme}");
        clear(&browser);
        // "ban" finds "bàn" (a table) and "bạn" (a friend); typed with its accents, the
        // page with those exact accents comes first.
        for (query, first) in [("bàn", "1.1 Tuần 1"), ("bạn", "1.2 Ghi chép 2")] {
            let found = search(&browser, query);
            assert_eq!(found.len(), 2, "{theme}: {query}: {found:?}");
            assert_eq!(found[0], first, "{theme}: {query}: {found:?}");
            clear(&browser);
        }
        assert_eq!(search(&browser, "duong"), ["1.2 Ghi chép 2"], "{theme}");
        let excerpt = browser
            .eval("return document.querySelector('.search-results .search-excerpt').innerHTML");
        assert!(
            excerpt.as_str().unwrap().contains("<mark>đường</mark>"),
            "{theme}: {excerpt}"
        );
        clear(&browser);
        // Typed with its accents, it is found the same.
        assert_eq!(search(&browser, "đường"), ["1.2 Ghi chép 2"], "{theme}");
        let violations = browser.axe_violations();
        assert!(violations.is_empty(), "{theme}, vi: {violations:#?}");

        // Arrows move to the result and back; Enter opens it, in the reader's language.
        browser.eval("document.getElementById('search-input').dispatchEvent(new KeyboardEvent('keydown', {key: 'ArrowDown', bubbles: true})); return true;");
        let focused = browser.eval("return document.activeElement.getAttribute('href')");
        assert_eq!(focused, "/journal/vi/1-worklog/1.2-week2/", "{theme}");
        browser.eval("document.activeElement.dispatchEvent(new KeyboardEvent('keydown', {key: 'ArrowUp', bubbles: true})); return true;");
        assert_eq!(
            browser.eval("return document.activeElement.id"),
            "search-input",
            "{theme}: up from the first result goes back to the box"
        );
        browser.eval("document.activeElement.dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter', bubbles: true})); return true;");
        browser.wait_until(
            "return location.pathname === '/journal/vi/1-worklog/1.2-week2/' && document.readyState === 'complete'",
            &format!("{theme}: the result opens"),
        );
        let errors = browser.console_errors();
        assert!(errors.is_empty(), "{theme}: console errors {errors:?}");
    }
}

/// Pagefind's files are already gzipped: the server sends them as they are, without a
/// `Content-Encoding` that would make the browser unzip them once more.
#[test]
fn serve_sends_the_index_as_it_is() {
    let site = journal("default");
    site.build(&[]).ok();
    let server = ServeProcess::start(site.path(), &[]);
    // The index follows the pages, off the rebuild loop.
    server.wait_for_line(|l| l.contains("search index in"), Duration::from_secs(60));
    let entry = site.read("pagefind/en/pagefind-entry.json");
    let response = server.get("/journal/pagefind/en/pagefind-entry.json");
    assert_eq!(response.status, 200);
    assert_eq!(response.body, entry);
    let wasm = server.get("/journal/pagefind/vi/wasm.unknown.pagefind");
    assert_eq!(wasm.status, 200);
    assert_eq!(wasm.header("content-encoding"), None);
}

/// `worklog serve`: a save shows in the page first, then in the index, which a search then
/// finds.
#[test]
fn a_save_in_serve_updates_the_index() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let site = journal("default");
    let server = ServeProcess::start(site.path(), &[]);
    let indexed = |l: &str| l.contains("search index in");
    server.wait_for_line(indexed, Duration::from_secs(60));
    site.write(
        "content/1-Worklog/1.2-Week2/_index.md",
        &week(2, "", "Studied VPC networking and Kubernetes.\n"),
    );
    // The page first, then its index, made off the rebuild loop.
    server.wait_for_line(|l| l.contains("rebuilt in"), Duration::from_secs(60));
    server.wait_for_nth_line(2, indexed, Duration::from_secs(60));
    browser.goto(&format!("{}1-worklog/1.1-week1/", server.url));
    browser.wait_until(
        "return document.readyState === 'complete'",
        "the page loads",
    );
    assert_eq!(search(&browser, "kubernetes"), ["1.2 Week 2 Worklog"]);
}

/// A query that could not load the index (in `serve`, the index of a site just started
/// is still being made) does not break the box: the next query loads it.
#[test]
fn a_query_that_could_not_load_the_index_is_followed_by_one_that_does() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let site = journal("default");
    let server = ServeProcess::start(site.path(), &[]);
    server.wait_for_line(|l| l.contains("search index in"), Duration::from_secs(60));
    browser.goto(&format!("{}1-worklog/1.1-week1/", server.url));
    browser.wait_until(
        "return document.readyState === 'complete'",
        "the page loads",
    );
    // As the box sees an index not made yet: its script is not there.
    browser.eval("var b = document.querySelector('.search'); b.dataset.real = b.dataset.search; b.dataset.search += '.missing'; return true;");
    assert_eq!(search(&browser, "lambda"), Vec::<String>::new());
    clear(&browser);
    browser.eval("var b = document.querySelector('.search'); b.dataset.search = b.dataset.real; return true;");
    assert_eq!(search(&browser, "lambda"), ["1.1 Week 1 Worklog"]);
}

/// `search = false` saved while `serve` makes an index: that index is not laid over the
/// pages, which have no search now, as a build would have none.
#[test]
fn search_turned_off_in_serve_drops_the_index_being_made() {
    let site = TestSite::new();
    let config = |search: bool| format!("title = \"J\"\nsearch = {search}\n");
    site.write("worklog.toml", &config(true));
    // Enough pages that an index takes a while to make.
    for n in 1..=400 {
        site.write(
            &format!("content/1-Worklog/1.{n}-Week{n}/_index.md"),
            &week(
                n,
                "",
                "Lambda, VPC, S3 and CloudFront, one week after another.\n",
            ),
        );
    }
    let server = ServeProcess::start(site.path(), &[]);
    let indexed = |l: &str| l.contains("search index in");
    let rebuilt = |l: &str| l.contains("rebuilt in");
    server.wait_for_line(indexed, Duration::from_secs(120));
    let entry = "/pagefind/en/pagefind-entry.json";
    assert_eq!(server.get(entry).status, 200);
    // An edit starts an index; the config turns search off before it is done.
    site.write(
        "content/1-Worklog/1.1-Week1/_index.md",
        &week(1, "", "Kubernetes.\n"),
    );
    server.wait_for_line(rebuilt, Duration::from_secs(60));
    site.write("worklog.toml", &config(false));
    server.wait_for_nth_line(2, rebuilt, Duration::from_secs(60));
    assert_eq!(server.get(entry).status, 404);
    // Long enough for the index of the edit to be made and, without the fix, laid over.
    std::thread::sleep(Duration::from_secs(5));
    assert_eq!(
        server.get(entry).status,
        404,
        "{}",
        server.output().join("\n")
    );
}

/// What only reads the pages (`worklog check`, `inspect`) leaves the index out: at 1,000
/// weeks it is most of the build's time.
#[test]
fn a_build_without_search_has_no_index_and_the_same_pages() {
    let site = journal("default");
    let with = worklog::pipeline::Pipeline::new(&worklog::BuildOptions {
        source: site.path().to_path_buf(),
        ..Default::default()
    })
    .unwrap();
    let without = worklog::pipeline::Pipeline::new(&worklog::BuildOptions {
        source: site.path().to_path_buf(),
        without_search: true,
        ..Default::default()
    })
    .unwrap();
    let is_index = |p: &&str| worklog::search::is_index_file(p);
    assert!(with.output().paths().any(|p| is_index(&p)));
    assert!(!without.output().paths().any(|p| is_index(&p)));
    let pages = |p: &worklog::pipeline::Pipeline| -> Vec<String> {
        p.output()
            .paths()
            .filter(|p| !is_index(p))
            .map(str::to_owned)
            .collect()
    };
    assert_eq!(pages(&with), pages(&without));
}

/// `search = false`, or `build --no-search`: no index and no search box, for a journal
/// too large to index on every build.
#[test]
fn search_false_leaves_out_the_index_and_the_box() {
    for (theme, config, flags) in [
        ("default", "search = false\n", &[][..]),
        ("learn", "search = false\n", &[]),
        ("default", "", &["--no-search"]),
    ] {
        let site = TestSite::with(&[
            (
                "worklog.toml",
                &format!("title = \"J\"\ntheme = \"{theme}\"\n{config}"),
            ),
            ("content/a/_index.md", "---\ntitle: A\n---\nLambda.\n"),
        ]);
        let run = site.build(flags);
        run.ok();
        assert_eq!(run.stderr, "", "{theme}");
        assert!(
            !site.files().iter().any(|f| f.starts_with("pagefind/")),
            "{theme}"
        );
        let page = site.read("a/index.html");
        assert!(!page.contains("role=\"search\""), "{theme}: {page}");
        assert!(!page.contains("search.js"), "{theme}");
    }
}

/// `pagefind/` is the search index's: a site file there would be lost without a word.
#[test]
fn a_site_file_where_the_index_goes_is_an_error_naming_it() {
    let site = TestSite::with(&[
        ("content/a/_index.md", "---\ntitle: A\n---\nA.\n"),
        ("static/pagefind/notes.txt", "mine"),
    ]);
    let run = site.build(&[]);
    run.failed();
    assert!(
        run.stderr.contains("static/pagefind/notes.txt") && run.stderr.contains("the search index"),
        "{}",
        run.stderr
    );
    site.write("worklog.toml", "title = \"J\"\nsearch = false\n");
    site.build(&[]).ok();
    assert_eq!(site.read("pagefind/notes.txt"), "mine");
}
