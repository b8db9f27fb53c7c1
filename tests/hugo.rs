//! Traps of real Hugo journals: they build unchanged, with what a reader would want.
mod common;
use common::*;

#[test]
fn config_yaml_and_menu_shortcuts() {
    let site = TestSite::with(&[(
        "config.yaml",
        "baseURL: https://u.github.io/j/\ntitle: Yaml Journal\nmenu:\n  shortcuts:\n    - name: \"<i class='fab fa-aws'></i> AWS Study Group\"\n      url: https://awsstudygroup.com\n      weight: 20\n",
    )]);
    site.build(&[]).ok();
    let home = site.read("index.html");
    assert!(home.contains("Yaml Journal"));
    assert!(
        home.contains("<a href=\"https://awsstudygroup.com\">AWS Study Group</a>"),
        "icon markup dropped"
    );
}

#[test]
fn a_link_written_from_the_home_page_is_repaired_in_a_week_page() {
    let site = TestSite::with(&[
        (
            "content/1-Worklog/_index.md",
            "---\ntitle: W\nweight: 1\n---\n",
        ),
        (
            "content/1-Worklog/1.3-Week3/_index.md",
            &week(3, "", "Did [the clean-up](5-Workshop/5.6-Cleanup/).\n"),
        ),
        (
            "content/5-Workshop/_index.md",
            "---\ntitle: Workshop\nweight: 5\n---\n",
        ),
        (
            "content/5-Workshop/5.6-Cleanup/_index.md",
            "---\ntitle: Clean up\n---\n",
        ),
    ]);
    let run = site.build(&["--base-url", "https://u.github.io/j/"]);
    run.ok();
    assert!(
        site.read("1-worklog/1.3-week3/index.html")
            .contains("href=\"/j/5-workshop/5.6-cleanup/\"")
    );
    assert!(
        run.stderr
            .contains("content/1-Worklog/1.3-Week3/_index.md:7: link `5-Workshop/5.6-Cleanup/`"),
        "{}",
        run.stderr
    );
}

#[test]
fn headings_that_are_links_get_hugos_ids() {
    let site = TestSite::with(&[
        (
            "content/4-Events/_index.md",
            "---\ntitle: Events\n---\n### [Event 1](4.1-Event1/)\n",
        ),
        (
            "content/4-Events/4.1-Event1/_index.md",
            "---\ntitle: E1\n---\n",
        ),
    ]);
    site.build(&[]).ok();
    let html = site.read("4-events/index.html");
    assert!(
        html.contains(
            "<h3 id=\"event-141-event1\"><a href=\"/4-events/4.1-event1/\">Event 1</a></h3>"
        ),
        "{html}"
    );
}

#[test]
fn raw_images_already_carrying_the_sub_path_are_not_doubled() {
    let site = TestSite::with(&[
        (
            "config.toml",
            "baseURL = \"https://u.github.io/fcj/\"\ncanonifyURLs = true\n",
        ),
        (
            "content/p/_index.md",
            "---\ntitle: P\n---\n<img src=\"/fcj/images/a.png\"> <img src=\"/images/a.png\"> ![b](/fcj/images/a.png)\n",
        ),
        ("static/images/a.png", "png"),
    ]);
    let run = site.build(&[]);
    run.ok();
    let html = site.read("p/index.html");
    assert_eq!(
        html.matches("src=\"/fcj/images/a.png\"").count(),
        3,
        "{html}"
    );
    assert!(!html.contains("/fcj/fcj/"));
    assert!(!run.stderr.contains("warning: content"), "{}", run.stderr);
}

#[test]
fn files_without_front_matter_are_pages() {
    let site = TestSite::with(&[(
        "content/notes/plain.md",
        "# Plain notes\n\nNo front matter.\n",
    )]);
    let run = site.build(&[]);
    run.ok();
    let html = site.read("notes/plain/index.html");
    assert_eq!(
        html.matches(">Plain notes</h1>").count(),
        1,
        "the title shows once"
    );
    assert!(
        html.contains("<h1 id=\"plain-notes\">Plain notes</h1>"),
        "and keeps its anchor"
    );
}

#[test]
fn relative_urls_win_over_canonify_and_every_link_resolves_from_its_file() {
    let site = TestSite::with(&[
        (
            "config.toml",
            "baseURL = \"https://u.github.io/j/\"\nrelativeURLs = true\ncanonifyURLs = true\n",
        ),
        (
            "content/1-Worklog/_index.md",
            "---\ntitle: W\n---\n![a](/images/a.png)\n",
        ),
        ("content/1-Worklog/1.1-Week1/_index.md", &week(1, "", "x\n")),
        ("static/images/a.png", "png"),
    ]);
    site.build(&[]).ok();
    let files = site.files();
    // The 404 page is served at any depth: its links stay rooted.
    for file in files
        .iter()
        .filter(|f| f.ends_with(".html") && !f.ends_with("404.html"))
    {
        let dir = std::path::Path::new(file).parent().unwrap().to_path_buf();
        for link in links(&site.read(file)) {
            if link.starts_with("http") || link.starts_with("data:") || link.starts_with('#') {
                continue;
            }
            assert!(!link.starts_with('/'), "{file}: {link} is not relative");
            let path = link.split(['?', '#']).next().unwrap();
            let target = dir.join(path);
            let target = if path.ends_with('/') || path == "./" {
                target.join("index.html")
            } else {
                target
            };
            assert!(
                site.public().join(&target).exists(),
                "{file}: {link} → {}",
                target.display()
            );
        }
    }
}

#[test]
fn ugly_urls_are_named_as_unsupported() {
    let site = TestSite::with(&[("config.toml", "uglyURLs = true\n")]);
    let run = site.build(&[]);
    run.ok();
    assert!(run.stderr.contains("uglyURLs"), "{}", run.stderr);
}
