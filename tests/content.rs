//! The content loader: front matter as real journals write it, order and chapter numbers.
mod common;
use common::*;

#[test]
fn weeks_with_equal_weights_come_in_natural_order() {
    let mut files: Vec<(String, String)> = vec![(
        "content/1-Worklog/_index.md".into(),
        "---\ntitle: Worklog\nweight: 1\npre: \" <b> 1. </b> \"\n---\n".into(),
    )];
    for n in [10, 2, 12, 1, 9, 11, 3, 4, 5, 6, 7, 8] {
        files.push((
            format!("content/1-Worklog/1.{n}-Week{n}/_index.md"),
            week(n, "", "Body.\n"),
        ));
    }
    let files: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let site = TestSite::with(&files);
    site.build(&[]).ok();
    let nav = between(
        &site.read("index.html"),
        "<nav class=\"nav-tree\"",
        "</nav>",
    )
    .to_string();
    let positions: Vec<usize> = (1..=12)
        .map(|n| {
            nav.find(&format!("/1-worklog/1.{n}-week{n}/\""))
                .unwrap_or_else(|| panic!("week {n} missing"))
        })
        .collect();
    assert!(
        positions.windows(2).all(|w| w[0] < w[1]),
        "weeks out of order: {positions:?}"
    );
    // prev/next follow the same order
    let week9 = site.read("1-worklog/1.9-week9/index.html");
    assert!(between(&week9, "rel=\"next\"", "</a>").contains("Week 10"));
    assert!(between(&week9, "rel=\"prev\"", "</a>").contains("Week 8"));
}

#[test]
fn weight_orders_before_path_and_missing_weight_goes_last() {
    let site = TestSite::with(&[
        ("content/a/_index.md", "---\ntitle: A\n---\n"),
        ("content/b/_index.md", "---\ntitle: B\nweight: 2\n---\n"),
        ("content/c/_index.md", "---\ntitle: C\nweight: 1.5\n---\n"),
    ]);
    site.build(&[]).ok();
    let nav = site.read("index.html");
    let (a, b, c) = (
        nav.find("/a/\"").unwrap(),
        nav.find("/b/\"").unwrap(),
        nav.find("/c/\"").unwrap(),
    );
    assert!(c < b && b < a, "expected C (1.5), B (2), A (none)");
}

#[test]
fn chapter_numbers_come_from_pre_or_the_tree() {
    let site = TestSite::with(&[
        (
            "content/1-Worklog/_index.md",
            "---\ntitle: Worklog\nweight: 1\npre: \" <b> 1. </b> \"\n---\n",
        ),
        ("content/1-Worklog/1.7-Week7/_index.md", &week(7, "", "x\n")),
        (
            "content/2-Notes/_index.md",
            "---\ntitle: Notes\nweight: 2\n---\n",
        ),
        (
            "content/2-Notes/first.md",
            "---\ntitle: First\nweight: 1\n---\n",
        ),
        (
            "content/2-Notes/second.md",
            "---\ntitle: Second\nweight: 2\n---\n",
        ),
    ]);
    site.build(&[]).ok();
    let week = site.read("1-worklog/1.7-week7/index.html");
    assert!(
        week.contains("<span class=\"num\">1.7</span>"),
        "number from pre"
    );
    let second = site.read("2-notes/second/index.html");
    assert!(
        second.contains("<span class=\"num\">2.2</span> Second"),
        "derived number"
    );
    assert!(
        second.contains("<title>2.2. Second"),
        "number in the title area"
    );
    // prev/next show numbers too
    assert!(between(&second, "rel=\"prev\"", "</a>").contains("2.1"));
}

#[test]
fn auto_number_switch_ignores_pre() {
    let site = TestSite::with(&[
        ("worklog.toml", "auto_number = true\n"),
        (
            "content/x/_index.md",
            "---\ntitle: X\nweight: 1\npre: \"<b>9. </b>\"\n---\n",
        ),
        (
            "content/x/y/_index.md",
            "---\ntitle: Y\npre: \"<b>9.9. </b>\"\n---\n",
        ),
    ]);
    site.build(&[]).ok();
    let y = site.read("x/y/index.html");
    assert!(
        y.contains("<span class=\"num\">1.1</span> Y"),
        "{}",
        between(&y, "<nav class=\"nav-tree\"", "</nav>")
    );
}

#[test]
fn front_matter_as_real_files_write_it() {
    let mut crlf_bom = b"\xef\xbb\xbf".to_vec();
    crlf_bom.extend_from_slice(b"---\r\ntitle : \"Spaced Keys\"\r\ndate: \"2025-09-09\"\r\nweight : 2\r\n---\r\n## Body heading\r\nText.\r\n");
    let site = TestSite::with(&[
        // Every page's date shown: the dates read are on the pages.
        ("worklog.toml", "dates = \"all\"\n"),
        (
            "content/toml/_index.md",
            "+++\ntitle = \"Toml Page\"\ndate = 2025-10-01\nweight = 3\nmentor = \"Ana\"\n+++\nBody.\n",
        ),
        (
            "content/nodate/_index.md",
            "---\ntitle: No Date\nweight: 1\n---\nBody.\n",
        ),
    ]);
    site.write_bytes("content/crlf/_index.md", &crlf_bom);
    site.build(&[]).ok();
    let crlf = site.read("crlf/index.html");
    assert!(crlf.contains("<h1>Spaced Keys</h1>"));
    assert!(crlf.contains("<time datetime=\"2025-09-09\">"));
    assert!(crlf.contains("<h2 id=\"body-heading\">Body heading</h2>"));
    assert!(!crlf.contains('\r'));
    let toml = site.read("toml/index.html");
    assert!(toml.contains("<h1>Toml Page</h1>") && toml.contains("2025-10-01"));
    assert!(!site.read("nodate/index.html").contains("<time"));
}

/// A date is shown where the author dated an entry: on the weeks, not on the home page
/// or a chapter (whose dates are most often the template's); `dates` says otherwise.
#[test]
fn dates_are_shown_on_weeks_only_unless_the_config_says() {
    let dated = |title: &str| format!("---\ntitle: {title}\ndate: 2024-01-01\n---\nText.\n");
    for theme in ["default", "learn"] {
        let site = TestSite::with(&[
            ("content/_index.md", &dated("Home")),
            ("content/1-Worklog/_index.md", &dated("Worklog")),
            (
                "content/1-Worklog/1.1-Week1/_index.md",
                &week(1, "date: 2025-09-08\n", "Body.\n"),
            ),
            (
                "content/1-Worklog/1.2-Week2/_index.md",
                &week(2, "date: 2025-09-15\n", "Body.\n"),
            ),
            ("content/2-Proposal/_index.md", &dated("Proposal")),
        ]);
        for (dates, shown) in [
            (
                "",
                [
                    "1-worklog/1.1-week1/index.html",
                    "1-worklog/1.2-week2/index.html",
                ]
                .as_slice(),
            ),
            ("dates = \"none\"\n", [].as_slice()),
            (
                "dates = \"all\"\n",
                [
                    "index.html",
                    "1-worklog/index.html",
                    "1-worklog/1.1-week1/index.html",
                    "1-worklog/1.2-week2/index.html",
                    "2-proposal/index.html",
                ]
                .as_slice(),
            ),
        ] {
            site.write("worklog.toml", &format!("theme = \"{theme}\"\n{dates}"));
            site.build(&[]).ok();
            for page in [
                "index.html",
                "1-worklog/index.html",
                "1-worklog/1.1-week1/index.html",
                "1-worklog/1.2-week2/index.html",
                "2-proposal/index.html",
            ] {
                let html = site.read(page);
                let header = between(&html, "<header class=\"page-header\">", "</header>");
                assert_eq!(
                    header.contains("<time"),
                    shown.contains(&page),
                    "{theme} {dates:?} {page}: {header}"
                );
            }
            let print = site.read("print/index.html");
            // The print page's cover is the home page's section: it has no date line.
            let sections = shown.iter().filter(|p| **p != "index.html").count();
            assert_eq!(
                print.matches("<p class=\"print-meta\"><time").count(),
                sections
            );
        }
        site.write("worklog.toml", "dates = \"weekly\"\n");
        let run = site.build(&[]);
        run.failed();
        assert!(
            run.stderr.contains(
                "worklog.toml:1: `dates = \"weekly\"`: dates is \"weeks\", \"all\" or \"none\""
            ),
            "{}",
            run.stderr
        );
    }
}

/// Hugo closes front matter at a line that starts with the fence, and the rest of that
/// line is the body's: a journal whose page ends its YAML with twenty dashes builds.
#[test]
fn a_closing_line_longer_than_the_fence_ends_the_front_matter_as_in_hugo() {
    let site = TestSite::with(&[
        (
            "content/tuan/_index.md",
            "---\ntitle: \"Tuần 1\"\n--------------------\nNội dung tuần.\n",
        ),
        (
            "content/toml/_index.md",
            "+++\ntitle = \"Toml\"\n+++++\nBody.\n",
        ),
    ]);
    let run = site.build(&[]);
    run.ok();
    assert_eq!(run.stderr, "", "no warning");
    let page = site.read("tuan/index.html");
    assert!(page.contains("<h1>Tuần 1</h1>"), "{page}");
    assert!(page.contains("<hr />\n<p>Nội dung tuần.</p>"), "{page}");
    let toml = site.read("toml/index.html");
    assert!(toml.contains("<h1>Toml</h1>"), "{toml}");
    assert!(toml.contains("<p>++\nBody.</p>"), "{toml}");
}

#[test]
fn folder_names_with_spaces_commas_and_accents() {
    let site = TestSite::with(&[(
        "content/3.5-Tips, Tricks & Café notes/_index.md",
        "---\ntitle: Tips\n---\nx\n",
    )]);
    site.build(&[]).ok();
    assert!(
        site.exists("3.5-tips-tricks-café-notes/index.html"),
        "{:?}",
        site.files()
    );
}

#[test]
fn missing_title_uses_first_heading_or_folder_with_a_warning() {
    let site = TestSite::with(&[
        (
            "content/a/_index.md",
            "---\nweight: 1\n---\n```\n# not this\n```\n## The Heading\n",
        ),
        ("content/Folder-Name/_index.md", "No heading here.\n"),
    ]);
    let run = site.build(&[]);
    run.ok();
    assert!(site.read("a/index.html").contains("<h1>The Heading</h1>"));
    assert!(
        site.read("folder-name/index.html")
            .contains("<h1>Folder-Name</h1>")
    );
    assert!(
        run.stderr.contains("content/a/_index.md:1"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("warning"), "{}", run.stderr);
}

#[test]
fn drafts_only_with_the_flag_and_hidden_pages_stay_out_of_the_nav() {
    let site = TestSite::with(&[
        (
            "content/d/_index.md",
            "---\ntitle: Draft\ndraft: true\n---\n",
        ),
        (
            "content/h/_index.md",
            "---\ntitle: Hidden\nhidden: true\n---\n",
        ),
    ]);
    site.build(&[]).ok();
    assert!(!site.exists("d/index.html"));
    assert!(site.exists("h/index.html"));
    assert!(!site.read("index.html").contains("Hidden"));
    site.build(&["--drafts"]).ok();
    assert!(site.exists("d/index.html"));
}

#[test]
fn other_front_matter_fields_reach_templates_and_menu_title_is_used() {
    let site = TestSite::with(&[
        ("worklog.toml", "theme = \"mine\"\n"),
        (
            "themes/mine/templates/page.html",
            "{{ page.params.mentor | default(value=\"\") }}|{{ page.menu_title }}|{{ page.description }}",
        ),
        (
            "content/w/_index.md",
            "---\ntitle: Week 12 Worklog\nmenuTitle: Week 12 (final)\nmentor: Ana\ndescription: Last\n---\n",
        ),
    ]);
    site.build(&[]).ok();
    assert_eq!(site.read("w/index.html"), "Ana|Week 12 (final)|Last");
}

#[test]
fn aliases_redirect() {
    let site = TestSite::with(&[(
        "content/f/_index.md",
        "---\ntitle: F\naliases: [\"/old/\"]\n---\n",
    )]);
    site.build(&["--base-url", "https://u.github.io/j/"]).ok();
    assert!(site.read("old/index.html").contains("url=/j/f/"));
}

#[test]
fn an_alias_without_a_slash_is_placed_beside_the_page_as_hugo_does() {
    let site = TestSite::with(&[(
        "content/1-Worklog/1.7-Week7/_index.md",
        "---\ntitle: W\naliases: [old-week7, ../up.html, ../../../gone]\n---\n",
    )]);
    site.build(&["--base-url", "https://u.github.io/j/"]).ok();
    let redirect = "url=/j/1-worklog/1.7-week7/";
    assert!(
        site.read("1-worklog/old-week7/index.html")
            .contains(redirect)
    );
    assert!(site.read("up.html").contains(redirect));
    assert!(!site.exists("gone/index.html"));
}

#[test]
fn an_alias_that_is_a_url_is_skipped_with_a_warning_on_its_line() {
    let site = TestSite::with(&[(
        "content/a/_index.md",
        "---\ntitle: A\naliases:\n  - https://old.example.org/a/\n  - /old-a/\n---\n",
    )]);
    let run = site.build(&[]);
    run.ok();
    assert!(run.stderr.contains("_index.md:3: "), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("alias `https://old.example.org/a/` is a URL")
    );
    assert!(site.exists("old-a/index.html"));
    let written = walkdir::WalkDir::new(site.path().join("public"))
        .into_iter()
        .filter_map(Result::ok)
        .any(|e| e.path().to_string_lossy().contains("old.example.org"));
    assert!(!written);
}

#[test]
fn an_alias_on_another_page_is_an_error_naming_both() {
    let site = TestSite::with(&[
        (
            "content/a/_index.md",
            "---\ntitle: A\naliases:\n  - /b/\n---\n",
        ),
        ("content/b/_index.md", "---\ntitle: B\n---\nB's own text.\n"),
    ]);
    let run = site.build(&[]);
    run.failed();
    assert!(
        run.stderr.contains(&format!(
            "{}:3: an alias of this page and {} are both written to /b/index.html",
            std::path::Path::new("content/a/_index.md").display(),
            std::path::Path::new("content/b/_index.md").display()
        )),
        "{}",
        run.stderr
    );
}

/// `worklog build` of `site` into `out` with `threads` threads for the parallel stages.
fn build_with_threads(site: &TestSite, out: &std::path::Path, threads: &str) -> Run {
    let mut cmd = worklog();
    cmd.env("RAYON_NUM_THREADS", threads)
        .arg("build")
        .arg("--source")
        .arg(site.path())
        .arg("--output")
        .arg(out);
    run(cmd)
}

#[test]
fn pages_load_the_same_on_one_thread_or_many() {
    let site = TestSite::with(&[]);
    for n in 1..=300 {
        let body = format!("Body, and [a dead link](../1.{n}-Week-gone/).\n");
        let page = format!("content/1-Worklog/1.{n}-Week{n}/_index.md");
        site.write(&page, &week(n, "", &body));
    }
    // Which of two files of one page is named depends on the order they are taken in.
    site.write("content/2-Notes/a.md", "---\ntitle: A\n---\n");
    site.write("content/2-Notes/a/index.md", "---\ntitle: A again\n---\n");
    site.write("content/3-Bad/_index.md", "---\ntitle: [unclosed\n---\n");
    let out = tempfile::tempdir().unwrap();
    let failed: Vec<Run> = ["1", "8"]
        .iter()
        .map(|threads| build_with_threads(&site, &out.path().join(threads), threads))
        .collect();
    failed[0].failed();
    assert_eq!(failed[0].stderr, failed[1].stderr);

    site.remove("content/2-Notes/a/index.md");
    site.remove("content/3-Bad/_index.md");
    let built: Vec<Run> = ["1", "8"]
        .iter()
        .map(|threads| build_with_threads(&site, &out.path().join(threads), threads))
        .collect();
    built[0].ok();
    assert_eq!(built[0].stderr, built[1].stderr);
    let (one, many) = (out.path().join("1"), out.path().join("8"));
    assert_eq!(files_under(&one), files_under(&many));
    for file in files_under(&one) {
        let (a, b) = (one.join(&file), many.join(&file));
        assert!(
            std::fs::read(a).unwrap() == std::fs::read(b).unwrap(),
            "{file}"
        );
    }
}
