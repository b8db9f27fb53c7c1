//! Multilingual Hugo sites: `_index.vi.md` is the Vietnamese version of `_index.md`.
mod common;
use common::*;

fn site() -> TestSite {
    TestSite::with(&[
        (
            "config.toml",
            "baseURL = \"https://u.github.io/report/\"\ndefaultContentLanguage = \"en\"\n[Languages.en]\ntitle = \"Internship Report\"\nweight = 1\nlanguageName = \"English\"\n[languages.vi]\ntitle = \"Báo cáo thực tập\"\nweight = 2\nlabel = \"Tiếng Việt\"\n",
        ),
        (
            "content/_index.vi.md",
            "---\ntitle: Trang chủ\n---\nXin chào.\n",
        ),
        (
            "content/1-Worklog/_index.md",
            "---\ntitle: Worklog\nweight: 1\n---\nSee {{< relref \"/1-Worklog/1.1-Week1\" >}}.\n",
        ),
        (
            "content/1-Worklog/_index.vi.md",
            "---\ntitle: Nhật ký\nweight: 1\n---\nXem [tuần 1]({{< relref \"/1-Worklog/1.1-Week1\" >}}).\n",
        ),
        (
            "content/1-Worklog/1.1-Week1/_index.md",
            &week(1, "", "English week.\n"),
        ),
        (
            "content/1-Worklog/1.1-Week1/_index.vi.md",
            "---\ntitle: \"Tuần 1\"\nweight: 1\npre: \" <b> 1.1. </b> \"\n---\nTuần đầu tiên.\n",
        ),
        (
            "content/1-Worklog/1.2-Week2/_index.md",
            &week(2, "", "Only in English.\n"),
        ),
    ])
}

#[test]
fn each_language_builds_under_its_folder_with_its_own_nav() {
    let site = site();
    let run = site.build(&[]);
    run.ok();
    assert!(
        run.stdout.contains("4 pages (en), 3 pages (vi)"),
        "{}",
        run.stdout
    );
    let vi = site.read("vi/1-worklog/1.1-week1/index.html");
    assert!(vi.contains("<h1>Tuần 1</h1>") && vi.contains("<html lang=\"vi\">"));
    let nav = between(&vi, "<nav class=\"nav-tree\"", "</nav>");
    assert!(
        nav.contains("href=\"/report/vi/1-worklog/\"") && nav.contains("Nhật ký"),
        "{nav}"
    );
    assert!(
        !nav.contains("1.2-week2"),
        "the vi nav lists vi pages only: {nav}"
    );
    assert!(
        vi.contains("Báo cáo thực tập"),
        "the language's own site title"
    );
}

#[test]
fn the_switcher_links_each_page_to_its_other_version() {
    let site = site();
    site.build(&[]).ok();
    let en = site.read("1-worklog/1.1-week1/index.html");
    let switcher = between(&en, "class=\"language-switcher\"", "</nav>");
    assert!(
        switcher.contains("href=\"/report/vi/1-worklog/1.1-week1/\""),
        "{switcher}"
    );
    let only_en = site.read("1-worklog/1.2-week2/index.html");
    let switcher = between(&only_en, "class=\"language-switcher\"", "</nav>");
    assert!(
        switcher.contains("href=\"/report/vi/\""),
        "no vi version: the vi home page: {switcher}"
    );
}

#[test]
fn the_theme_speaks_vietnamese_on_vietnamese_pages() {
    let site = site();
    site.build(&[]).ok();
    let vi = site.read("vi/1-worklog/1.1-week1/index.html");
    assert!(
        vi.contains("Trang trước và trang sau") && !vi.contains(">Previous<"),
        "prev/next words"
    );
    assert!(
        site.read("1-worklog/1.1-week1/index.html")
            .contains(">Previous<")
    );
    assert!(site.read("vi/404.html").contains("Không tìm thấy trang"));
}

#[test]
fn hugo_implicit_pages_and_relref_per_language() {
    let site = site();
    site.build(&[]).ok();
    assert!(
        site.read("en/index.html").contains("url=/report/"),
        "/en/ redirects to the root"
    );
    assert!(site.exists("404.html") && site.exists("vi/404.html"));
    assert!(
        site.read("1-worklog/index.html")
            .contains("/report/1-worklog/1.1-week1/")
    );
    assert!(
        site.read("vi/1-worklog/index.html")
            .contains("href=\"/report/vi/1-worklog/1.1-week1/\""),
        "relref stays in its language"
    );
}

#[test]
fn future_pages_wait_for_build_future_and_bad_dates_warn() {
    let site = TestSite::with(&[
        (
            "content/later/_index.md",
            "---\ntitle: Later\ndate: 2999-01-01\n---\n",
        ),
        (
            "content/odd/_index.md",
            "---\ntitle: Odd\ndate: \"`r Sys.Date()`\"\n---\n",
        ),
    ]);
    let run = site.build(&[]);
    run.ok();
    assert!(!site.exists("later/index.html"));
    assert!(
        run.stderr.contains("content/later/_index.md:3"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("content/odd/_index.md:3") && run.stderr.contains("not a date"),
        "{}",
        run.stderr
    );
    assert!(site.exists("odd/index.html"));
    site.write("config.toml", "buildFuture = true\n");
    site.build(&[]).ok();
    assert!(site.exists("later/index.html"));
}

#[test]
fn disable_path_to_lower_keeps_the_case() {
    let site = TestSite::with(&[
        ("config.toml", "disablePathToLower = true\n"),
        ("content/My-Week/_index.md", "---\ntitle: W\n---\n"),
    ]);
    site.build(&[]).ok();
    assert!(site.exists("My-Week/index.html"), "{:?}", site.files());
}

#[test]
fn a_language_can_have_its_own_content_dir() {
    let site = TestSite::with(&[
        (
            "config.toml",
            "[languages.en]\nweight = 1\n[languages.vi]\nweight = 2\ncontentDir = \"content.vi\"\n",
        ),
        ("content/a/_index.md", "---\ntitle: A\n---\n"),
        ("content.vi/a/_index.md", "---\ntitle: A tiếng Việt\n---\n"),
    ]);
    site.build(&[]).ok();
    assert!(site.read("vi/a/index.html").contains("A tiếng Việt"));
    assert!(site.read("a/index.html").contains("<h1>A</h1>"));
}
