//! Real journals as their authors meant them (issue 10): what Hugo + learn shows of their
//! Markdown, bundles, source links and partials, worklog shows too.
mod common;
use common::server::ServeProcess;
use common::*;

fn build_one(body: &str) -> (TestSite, Run) {
    let site = TestSite::with(&[("content/1-Worklog/1.2-Week2/_index.md", &week(2, "", body))]);
    let run = site.build(&["--base-url", "https://u.github.io/j/"]);
    run.ok();
    (site, run)
}

fn content(site: &TestSite, page: &str) -> String {
    let html = site.read(page);
    between(&html, "<div class=\"content\">", "<nav class=\"prev-next\"").to_string()
}

#[test]
fn bare_urls_and_emails_in_a_week_table_are_links() {
    let (site, run) = build_one(
        "| Day | Task | Reference Material |\n|---|---|---|\n\
         | 2 | Read `https://in.code/x` | https://docs.aws.amazon.com/vpc/latest/userguide/what-is.html, www.youtube.com/watch?v=a_b_c. |\n\
         | 3 | Ask mentor@fcj.vn | [https://shown.io/](https://real.io/) <a href=\"https://raw.io/\">https://raw.io/x</a> |\n",
    );
    let html = content(&site, "1-worklog/1.2-week2/index.html");
    assert!(html.contains("<a href=\"https://docs.aws.amazon.com/vpc/latest/userguide/what-is.html\">https://docs.aws.amazon.com/vpc/latest/userguide/what-is.html</a>,"), "{html}");
    assert!(
        html.contains(
            "<a href=\"http://www.youtube.com/watch?v=a_b_c\">www.youtube.com/watch?v=a_b_c</a>."
        ),
        "{html}"
    );
    assert!(
        html.contains("<a href=\"mailto:mentor@fcj.vn\">mentor@fcj.vn</a>"),
        "{html}"
    );
    assert!(html.contains("<code>https://in.code/x</code>"), "{html}");
    assert!(
        html.contains("<a href=\"https://real.io/\">https://shown.io/</a>"),
        "{html}"
    );
    assert!(
        html.contains("<a href=\"https://raw.io/\">https://raw.io/x</a>"),
        "{html}"
    );
    assert_eq!(html.matches("<a ").count(), 5, "{html}");
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
}

#[test]
fn headings_keep_braces_that_are_no_attribute_list() {
    let (site, _) = build_one(
        "# Output: {\"username\":\"admin\",\"role\":\"dev\"}\n\n## Result {x}\n\n## Setup {#setup .wide}\n\n## Escaped \\{#not-an-id}\n\nSetext {.big}\n---\n",
    );
    let html = content(&site, "1-worklog/1.2-week2/index.html");
    assert!(
        // Typeset, as Hugo's typographer does.
        html.contains(
            "<h1 id=\"output-usernameadminroledev\">Output: {“username”:“admin”,“role”:“dev”}</h1>"
        ),
        "{html}"
    );
    assert!(
        html.contains("<h2 id=\"result-x\">Result {x}</h2>"),
        "{html}"
    );
    assert!(
        html.contains("<h2 id=\"setup\" class=\"wide\">Setup</h2>"),
        "{html}"
    );
    assert!(
        html.contains("<h2 id=\"escaped-not-an-id\">Escaped {#not-an-id}</h2>"),
        "{html}"
    );
    assert!(
        html.contains("<h2 id=\"setext\" class=\"big\">Setext</h2>"),
        "{html}"
    );
}

#[test]
fn files_beside_a_page_are_published_for_each_language() {
    let site = TestSite::with(&[
        ("content/_index.md", "---\ntitle: Home\n---\n"),
        ("content/_index.vi.md", "---\ntitle: Trang chủ\n---\n"),
        (
            "content/1-Worklog/1.2-Week2/_index.md",
            &week(2, "", "![](t1.png) ![](img/t2.png) [sheet](Notes.PDF)\n"),
        ),
        (
            "content/1-Worklog/1.2-Week2/_index.vi.md",
            &week(2, "", "![](t1.png)\n"),
        ),
        ("content/1-Worklog/1.2-Week2/t1.png", "png"),
        ("content/1-Worklog/1.2-Week2/img/t2.png", "png2"),
        ("content/1-Worklog/1.2-Week2/Notes.PDF", "pdf"),
        ("content/1-Worklog/1.2-Week2/.hidden", "x"),
        ("content/1-Worklog/1.2-Week2/draft.md~", "x"),
        (
            "content/1-Worklog/1.2-Week2/Lab/_index.md",
            "---\ntitle: Lab\n---\n![](lab.png)\n",
        ),
        ("content/1-Worklog/1.2-Week2/Lab/lab.png", "lab"),
        (
            "hugo.toml",
            "baseURL = \"https://u.github.io/j/\"\ndefaultContentLanguage = \"en\"\n[languages.en]\nweight = 1\n[languages.vi]\nweight = 2\n",
        ),
    ]);
    let run = site.build(&[]);
    run.ok();
    for (file, text) in [
        ("1-worklog/1.2-week2/t1.png", "png"),
        ("1-worklog/1.2-week2/img/t2.png", "png2"),
        ("1-worklog/1.2-week2/Notes.PDF", "pdf"),
        ("vi/1-worklog/1.2-week2/t1.png", "png"),
        ("1-worklog/1.2-week2/lab/lab.png", "lab"),
    ] {
        assert_eq!(site.read(file), text, "{file}");
    }
    for absent in [
        "1-worklog/1.2-week2/_index.md",
        "1-worklog/1.2-week2/.hidden",
        "1-worklog/1.2-week2/draft.md~",
        "1-worklog/1.2-week2/Lab/lab.png",
        "1-worklog/1.2-week2/lab/_index.md",
        "1-worklog/1.2-Week2/t1.png",
    ] {
        assert!(!site.exists(absent), "{absent}");
    }
    let html = content(&site, "1-worklog/1.2-week2/index.html");
    assert!(
        html.contains("src=\"t1.png\"") || html.contains("src=\"/j/1-worklog/1.2-week2/t1.png\""),
        "{html}"
    );
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
}

#[test]
fn links_to_markdown_sources_and_static_resolve_with_a_notice() {
    let site = TestSite::with(&[
        ("content/_index.md", "---\ntitle: Home\n---\n"),
        ("content/_index.vi.md", "---\ntitle: Trang chủ\n---\n"),
        (
            "content/1-Worklog/1.2-Week2/_index.md",
            &week(
                2,
                "",
                "[Next](../1.3-Week3/_index.md)\n[Notes](notes.md#top)\n[Vi](_index.vi.md)\n\n![a](/static/images/x.png)\n![b](../../static/images/x.png)\n",
            ),
        ),
        (
            "content/1-Worklog/1.2-Week2/_index.vi.md",
            &week(2, "", "[Tiếp](../1.3-Week3/_index.md)\n"),
        ),
        (
            "content/1-Worklog/1.2-Week2/notes.md",
            "---\ntitle: Notes\n---\n[Week 2](_index.md)\n[Week 3](../1.3-Week3/_index.md)\n",
        ),
        ("content/1-Worklog/1.3-Week3/_index.md", &week(3, "", "")),
        ("content/1-Worklog/1.3-Week3/_index.vi.md", &week(3, "", "")),
        (
            "content/5-Workshop/5.2-Prerequisite/_index.md",
            "---\ntitle: Prerequisite\n---\n[Configure](5.2.1-Configure-AWS-Credentials/_index.md)\n",
        ),
        (
            "content/5-Workshop/5.2-Prerequisite/5.2.1-Configure-AWS-Credentials/_index.md",
            "---\ntitle: Configure\n---\n",
        ),
        ("static/images/x.png", "png"),
        (
            "hugo.toml",
            "baseURL = \"https://u.github.io/j/\"\ndefaultContentLanguage = \"en\"\n[languages.en]\nweight = 1\n[languages.vi]\nweight = 2\n",
        ),
    ]);
    let run = site.build(&[]);
    run.ok();
    let week2 = content(&site, "1-worklog/1.2-week2/index.html");
    for href in [
        "href=\"/j/1-worklog/1.3-week3/\"",
        "href=\"notes/#top\"",
        "href=\"./\"",
        "src=\"/j/images/x.png\"",
    ] {
        assert!(week2.contains(href), "{href}: {week2}");
    }
    assert_eq!(
        week2.matches("src=\"/j/images/x.png\"").count(),
        2,
        "{week2}"
    );
    let vi = content(&site, "vi/1-worklog/1.2-week2/index.html");
    assert!(vi.contains("href=\"/j/vi/1-worklog/1.3-week3/\""), "{vi}");
    let step = content(&site, "5-workshop/5.2-prerequisite/index.html");
    assert!(
        step.contains("href=\"/j/5-workshop/5.2-prerequisite/5.2.1-configure-aws-credentials/\""),
        "{step}"
    );
    let file = "content/1-Worklog/1.2-Week2/_index.md";
    for (line, url) in [
        (7, "../1.3-Week3/_index.md"),
        (8, "notes.md#top"),
        (9, "_index.vi.md"),
    ] {
        let notice = format!("{file}:{line}: link `{url}` names a page's Markdown source");
        assert!(run.stderr.contains(&notice), "{notice}\n{}", run.stderr);
    }
    for (line, url) in [
        (11, "/static/images/x.png"),
        (12, "../../static/images/x.png"),
    ] {
        let notice = format!("{file}:{line}: link `{url}` names a file in `static/`");
        assert!(run.stderr.contains(&notice), "{notice}\n{}", run.stderr);
    }
    assert!(run.stderr.contains("content/5-Workshop/5.2-Prerequisite/_index.md:4: link `5.2.1-Configure-AWS-Credentials/_index.md`"), "{}", run.stderr);
    // From a page of its own file, published a folder deeper than the file lies.
    let notes = content(&site, "1-worklog/1.2-week2/notes/index.html");
    assert!(notes.contains("href=\"../\""), "{notes}");
    assert!(
        notes.contains("href=\"/j/1-worklog/1.3-week3/\""),
        "{notes}"
    );
    let notes_file = "content/1-Worklog/1.2-Week2/notes.md";
    assert!(
        run.stderr
            .contains(&format!("{notes_file}:4: link `_index.md` names"))
    );
    assert_eq!(run.stderr.matches("warning").count(), 9, "{}", run.stderr);
}

/// A learn site's own partials: plain HTML ones in the theme's places, under the base
/// path; Go template ones skipped, a notice each.
#[test]
fn the_sites_plain_learn_partials_are_placed_and_template_ones_skipped() {
    for theme in ["default", "hugo-theme-learn"] {
        let site = TestSite::with(&[
            (
                "config.toml",
                &format!(
                    "baseURL = \"https://u.github.io/j/\"\ntitle = \"Report\"\ntheme = \"{theme}\"\n[params]\nauthor = \"thienlh@thienlu.com\"\n"
                ),
            ),
            ("content/_index.md", "---\ntitle: Home\n---\nHello.\n"),
            (
                "layouts/partials/logo.html",
                "<a id=\"logo\" href=\"/\"><svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 60 30\"><title>AWS</title><path d=\"M0 0h9v9z\"/></svg></a>\n",
            ),
            (
                "layouts/partials/menu-footer.html",
                "<p class=\"team\"><a href=\"https://fcj.vn/\">Team</a> <img src=\"/images/badge.png\" alt=\"badge\"></p>\n",
            ),
            (
                "layouts/partials/custom-header.html",
                "<meta name=\"x-site\" content=\"mine\">\n",
            ),
            (
                "layouts/partials/custom-footer.html",
                "<left>\n<b>Last Updated</b>\n<font color=orange>{{ now.Format \"02-01-2006\" }}</font>\n</left>\n",
            ),
            (
                "layouts/partials/favicon.html",
                "<link rel=\"icon\" href=\"{{ \"images/favicon.png\" | relURL }}\" type=\"image/png\">\n",
            ),
            (
                "layouts/partials/menu.html",
                "{{ range .Site.Menus }}{{ end }}\n",
            ),
            ("static/images/badge.png", "png"),
        ]);
        let run = site.build(&[]);
        run.ok();
        let home = site.read("index.html");
        let logo = home
            .find("<a id=\"logo\" href=\"/j/\"><svg")
            .unwrap_or_else(|| panic!("{theme}: {home}"));
        let title = home.find("<title>AWS</title>").unwrap();
        let nav = home.find("id=\"nav-tree\"").unwrap();
        let footer = home.find("<p class=\"team\"><a href=\"https://fcj.vn/\">Team</a> <img src=\"/j/images/badge.png\"").unwrap_or_else(|| panic!("{theme}: {home}"));
        assert!(
            logo < title && title < nav && nav < footer,
            "{theme}: {home}"
        );
        assert!(home.find("</aside>").unwrap() > footer, "{theme}");
        let header = home
            .find("<meta name=\"x-site\" content=\"mine\">")
            .unwrap();
        assert!(header < home.find("</head>").unwrap(), "{theme}");
        assert!(
            !home.contains("Last Updated") && !home.contains("favicon.png"),
            "{theme}"
        );
        assert!(
            home.contains("<meta name=\"author\" content=\"thienlh@thienlu.com\">"),
            "{theme}"
        );
        assert_eq!(
            home.matches("thienlh@thienlu.com").count(),
            1,
            "{theme}: no by-line"
        );
        for (file, line) in [("custom-footer.html", 3), ("favicon.html", 1)] {
            let notice = format!("layouts/partials/{file}:{line}: has Go template actions");
            assert!(run.stderr.contains(&notice), "{notice}\n{}", run.stderr);
        }
        assert!(!run.stderr.contains("menu.html"), "{}", run.stderr);
        assert_eq!(run.stderr.matches("warning").count(), 3, "{}", run.stderr);
    }
}

/// A by-line is what the student sets on purpose: `params.byline`.
#[test]
fn the_byline_comes_from_params_byline() {
    for theme in ["default", "hugo-theme-learn"] {
        let site = TestSite::with(&[
            (
                "config.toml",
                &format!(
                    "title = \"Report\"\ntheme = \"{theme}\"\n[params]\nauthor = \"template@x.com\"\nbyline = \"Nguyễn Minh Khoa\"\n"
                ),
            ),
            ("content/_index.md", "---\ntitle: Home\n---\nHello.\n"),
        ]);
        site.build(&[]).ok();
        let home = site.read("index.html");
        assert!(home.contains("Nguyễn Minh Khoa"), "{theme}: {home}");
        assert_eq!(home.matches("template@x.com").count(), 1, "{theme}: {home}");
        // The print page's cover, and so the PDF a mentor gets: the by-line, no e-mail.
        let print = site.read("print/index.html");
        let cover = between(&print, "<header class=\"print-cover\">", "</header>");
        assert!(cover.contains("Nguyễn Minh Khoa"), "{theme}: {cover}");
        assert!(!print.contains("template@x.com"), "{theme}: {print}");
    }
}

#[test]
fn a_bundle_file_written_where_another_file_is_an_error_naming_both() {
    let site = TestSite::with(&[
        ("content/_index.md", "---\ntitle: Home\n---\n"),
        ("content/images/x.png", "bundle"),
        ("static/images/x.png", "static"),
        ("content/1-Worklog/_index.md", "---\ntitle: Worklog\n---\n"),
        ("content/1-Worklog/index.html", "<p>a page's file name</p>"),
    ]);
    let run = site.build(&[]);
    run.failed();
    assert!(
        run.stderr.contains("content/images/x.png: this file and static/images/x.png are both written to /images/x.png: rename one"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("content/1-Worklog/_index.md: this page and content/1-Worklog/index.html are both written to /1-worklog/index.html"),
        "{}",
        run.stderr
    );
}

/// `worklog serve` takes in the new inputs as a build does: a file beside a page, and the
/// site's learn partials, plain or not.
#[test]
fn serve_publishes_new_bundle_files_and_follows_the_partials() {
    let site = TestSite::with(&[(
        "content/1-Worklog/1.2-Week2/_index.md",
        &week(2, "", "![](t1.png)\n"),
    )]);
    let server = ServeProcess::start(site.path(), &[]);
    let page = "/1-worklog/1.2-week2/";
    server.wait_for_body(page, |b| b.contains("src=\"t1.png\""));
    site.write("content/1-Worklog/1.2-Week2/t1.png", "png");
    server.wait_for_body("/1-worklog/1.2-week2/t1.png", |b| b == "png");
    site.write("layouts/partials/menu-footer.html", "<p>Team FCJ</p>\n");
    server.wait_for_body(page, |b| b.contains("<p>Team FCJ</p>"));
    site.write(
        "layouts/partials/menu-footer.html",
        "<p>{{ now.Year }}</p>\n",
    );
    server.wait_for_body(page, |b| !b.contains("Team FCJ") && !b.contains("now.Year"));
    site.remove("content/1-Worklog/1.2-Week2/t1.png");
    let gone = server.wait_for_body("/1-worklog/1.2-week2/t1.png", |b| b != "png");
    assert_eq!(gone.status, 404);
}
