//! The built site as a reader meets it: URLs, the nav, breadcrumbs, previous/next,
//! section listings, the home and 404 pages, the sitemap, static files, sub-paths.
mod common;
use common::*;

fn journal() -> TestSite {
    TestSite::with(&[
        (
            "content/1-Worklog/_index.md",
            "---\ntitle: Worklog\nweight: 1\npre: \" <b> 1. </b> \"\n---\nAll weeks.\n",
        ),
        (
            "content/1-Worklog/1.1-Week1/_index.md",
            &week(
                1,
                "date: 2025-09-08\n",
                "### Goals\n![vpc](/images/vpc.png)\n[next](/1-worklog/1.2-week2/)\n",
            ),
        ),
        (
            "content/1-Worklog/1.2-Week2/_index.md",
            &week(2, "", "Text.\n"),
        ),
        (
            "content/2-Workshop/_index.md",
            "---\ntitle: Workshop\nweight: 2\npre: \" <b> 2. </b> \"\n---\n",
        ),
        (
            "content/2-Workshop/2.1-Intro/_index.md",
            "---\ntitle: Intro\nweight: 1\ndescription: Start here\n---\nIntro.\n",
        ),
        (
            "content/2-Workshop/2.2-Steps/_index.md",
            "---\ntitle: Steps\nweight: 2\n---\n",
        ),
        (
            "content/2-Workshop/2.2-Steps/2.2.1-Lambda/_index.md",
            "---\ntitle: Lambda\nweight: 1\n---\nCode.\n",
        ),
        ("static/images/vpc.png", "png"),
        ("static/files/My Notes.pdf", "pdf"),
    ])
}

#[test]
fn urls_follow_hugo() {
    let site = journal();
    site.build(&[]).ok();
    for page in [
        "index.html",
        "1-worklog/index.html",
        "1-worklog/1.1-week1/index.html",
        "2-workshop/2.2-steps/2.2.1-lambda/index.html",
        "404.html",
        "sitemap.xml",
    ] {
        assert!(site.exists(page), "{page} missing from {:?}", site.files());
    }
}

#[test]
fn static_files_keep_their_names_and_theme_files_are_copied() {
    let site = journal();
    site.build(&[]).ok();
    assert_eq!(site.read("files/My Notes.pdf"), "pdf");
    assert!(site.exists("css/worklog.css"));
    assert!(site.exists("js/worklog.js"));
}

/// An editor's swap or backup file beside a static file is not published: the file
/// watcher ignores it too, so `serve` and `build` agree.
#[test]
fn editor_litter_in_static_is_not_published() {
    let site = journal();
    site.write("static/css/.custom.css.swp", "swap");
    site.write("static/css/custom.css~", "backup");
    site.write("static/css/custom.css", "body {}");
    site.build(&[]).ok();
    assert!(site.exists("css/custom.css"));
    assert!(!site.exists("css/.custom.css.swp"));
    assert!(!site.exists("css/custom.css~"));
}

#[test]
fn nav_highlights_the_current_page_and_opens_its_ancestors() {
    let site = journal();
    site.build(&[]).ok();
    let page = site.read("2-workshop/2.2-steps/2.2.1-lambda/index.html");
    let nav = between(&page, "<nav class=\"nav-tree\"", "</nav>");
    assert!(
        nav.contains("href=\"/2-workshop/2.2-steps/2.2.1-lambda/\" aria-current=\"page\""),
        "{nav}"
    );
    assert_eq!(nav.matches("aria-current").count(), 1);
    // Both ancestors open, the other chapter closed.
    for (section, open) in [
        ("/2-workshop/", " open"),
        ("/2-workshop/2.2-steps/", " open"),
        ("/1-worklog/", ""),
    ] {
        let link = nav.find(&format!("<a href=\"{section}\"")).expect(section);
        let details = &nav[link..][nav[link..].find("<details").unwrap()..];
        assert!(
            details.starts_with(&format!("<details{open}><summary>")),
            "{section}: {nav}"
        );
    }
    // Every page carries the whole tree.
    for href in ["/1-worklog/1.2-week2/", "/2-workshop/2.1-intro/"] {
        assert!(nav.contains(href));
    }
}

#[test]
fn breadcrumbs_and_prev_next() {
    let site = journal();
    site.build(&[]).ok();
    let page = site.read("2-workshop/2.2-steps/2.2.1-lambda/index.html");
    let crumbs = between(&page, "class=\"breadcrumbs\"", "</nav>");
    let order: Vec<usize> = [
        "href=\"/\"",
        "href=\"/2-workshop/\"",
        "href=\"/2-workshop/2.2-steps/\"",
    ]
    .iter()
    .map(|h| {
        crumbs
            .find(h)
            .unwrap_or_else(|| panic!("{h} not in {crumbs}"))
    })
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]));
    assert!(between(&page, "rel=\"prev\"", "</a>").contains("Steps"));
    assert!(!page.contains("rel=\"next\""), "last page has no next");
    let home = site.read("index.html");
    assert!(between(&home, "rel=\"next\"", "</a>").contains("Worklog"));
}

#[test]
fn a_section_without_body_lists_its_children() {
    let site = journal();
    site.build(&[]).ok();
    let steps = site.read("2-workshop/index.html");
    let list = between(&steps, "class=\"children\"", "</section>");
    assert!(
        list.contains("/2-workshop/2.1-intro/") && list.contains("Start here"),
        "{list}"
    );
    assert!(list.contains("/2-workshop/2.2-steps/"));
    // A section with its own body shows that instead.
    assert!(
        !site
            .read("1-worklog/index.html")
            .contains("class=\"children\"")
    );
}

#[test]
fn home_404_and_sitemap() {
    let site = journal();
    site.build(&["--base-url", "https://u.github.io/j/"]).ok();
    let home = site.read("index.html");
    assert!(home.contains("/j/1-worklog/") && home.contains("/j/2-workshop/"));
    let not_found = site.read("404.html");
    assert!(not_found.contains("Page not found") && not_found.contains("href=\"/j/1-worklog/\""));
    let sitemap = site.read("sitemap.xml");
    assert!(
        sitemap.contains(
            "<loc>https://u.github.io/j/1-worklog/1.1-week1/</loc><lastmod>2025-09-08</lastmod>"
        ),
        "{sitemap}"
    );
    assert_eq!(sitemap.matches("<loc>").count(), 8);
}

/// Every internal link, stylesheet and image resolves to a file of the output when the
/// site is served under a sub-path.
#[test]
fn every_link_resolves_under_a_sub_path() {
    let site = journal();
    site.build(&["--base-url", "https://user.github.io/journal/"])
        .ok();
    let files = site.files();
    let mut checked = 0;
    for file in files.iter().filter(|f| f.ends_with(".html")) {
        for link in links(&site.read(file)) {
            if link.starts_with("http") || link.starts_with("data:") || link.starts_with('#') {
                continue;
            }
            assert!(
                link.starts_with("/journal/"),
                "{file}: {link} is outside the sub-path"
            );
            let path = link.trim_start_matches("/journal/");
            let path = path.split(['?', '#']).next().unwrap();
            let target = if path.is_empty() || path.ends_with('/') {
                format!("{path}index.html")
            } else {
                path.to_string()
            };
            assert!(
                files.contains(&target),
                "{file}: {link} → {target} does not exist"
            );
            checked += 1;
        }
    }
    assert!(checked > 50, "only {checked} links checked");
}

#[test]
fn the_same_input_gives_byte_identical_output() {
    let site = journal();
    let a = site.path().join("a");
    let b = site.path().join("b");
    site.build(&["-o", a.to_str().unwrap()]).ok();
    site.build(&["-o", b.to_str().unwrap()]).ok();
    let fa = files_under(&a);
    assert_eq!(fa, files_under(&b));
    for f in fa {
        assert_eq!(
            std::fs::read(a.join(&f)).unwrap(),
            std::fs::read(b.join(&f)).unwrap(),
            "{f} differs"
        );
    }
}

#[test]
fn a_site_theme_overrides_single_templates_and_falls_back_for_the_rest() {
    let site = journal();
    site.write("worklog.toml", "theme = \"mine\"\n");
    site.write(
        "themes/mine/templates/404.html",
        "custom 404 {{ site.title }}",
    );
    site.write("themes/mine/static/css/extra.css", "body{}");
    site.build(&[]).ok();
    assert_eq!(site.read("404.html"), "custom 404 Journal");
    assert!(
        site.read("index.html").contains("nav-tree"),
        "default templates still used"
    );
    assert!(site.exists("css/extra.css"));
}

#[test]
fn a_theme_of_only_a_stylesheet_is_used() {
    let site = journal();
    site.write("worklog.toml", "theme = \"css-only\"\n");
    site.write("themes/css-only/static/css/worklog.css", "body{color:red}");
    let run = site.build(&[]);
    run.ok();
    assert_eq!(site.read("css/worklog.css"), "body{color:red}");
    assert!(!run.stderr.contains("css-only"), "{}", run.stderr);
}

/// What static hosts need: stylesheets and scripts linked under names that change with
/// their bytes (CloudFront leaves query strings out of the cache key), a `robots.txt`
/// naming the sitemap by absolute URL, `.nojekyll` for GitHub Pages; all deterministic.
#[test]
fn output_for_static_hosts() {
    let site = journal();
    site.build(&["--base-url", "https://u.github.io/j/"]).ok();
    let home = site.read("index.html");
    let css = between(&home, "<link rel=\"stylesheet\" href=\"/j/", "\"").to_string();
    assert!(
        css.starts_with("css/worklog.")
            && css.ends_with(".css")
            && css.len() == "css/worklog.3f9a1c2b.css".len(),
        "{css}"
    );
    assert!(!home.contains("?v="), "{home}");
    assert_eq!(site.read(&css), site.read("css/worklog.css"));
    let script = between(&home, "<script src=\"/j/", "\"").to_string();
    assert!(
        site.exists(&script) && script != "js/worklog.js",
        "{script}"
    );
    assert_eq!(
        site.read("robots.txt"),
        "User-agent: *\nAllow: /\nSitemap: https://u.github.io/j/sitemap.xml\n"
    );
    assert!(site.exists(".nojekyll"));

    let bytes = |f: String| (std::fs::read(site.public().join(&f)).unwrap(), f);
    let first: Vec<(Vec<u8>, String)> = site.files().into_iter().map(bytes).collect();
    site.build(&["--base-url", "https://u.github.io/j/"]).ok();
    let second: Vec<(Vec<u8>, String)> = site.files().into_iter().map(bytes).collect();
    assert!(first == second, "a second build differs");

    // An edit of the stylesheet renames it.
    site.write("static/css/worklog.css", "body { color: red }");
    site.build(&["--base-url", "https://u.github.io/j/"]).ok();
    let edited = between(
        &site.read("index.html"),
        "<link rel=\"stylesheet\" href=\"/j/",
        "\"",
    )
    .to_string();
    assert_ne!(edited, css);
    assert_eq!(site.read(&edited), "body { color: red }");
}

/// A site's own robots.txt is published as it is.
#[test]
fn the_sites_robots_txt_wins() {
    let site = journal();
    site.write("static/robots.txt", "User-agent: *\nDisallow: /\n");
    site.build(&[]).ok();
    assert_eq!(site.read("robots.txt"), "User-agent: *\nDisallow: /\n");
}
