//! Hostile pages and trees: nesting that once overflowed the stack, pages big enough to
//! show quadratic work, sections deeper than a template can recurse. Each builds, or
//! fails with an error naming its file and line; none aborts.
mod common;
use common::server::ServeProcess;
use common::*;
use std::time::Duration;

/// `n` shortcodes inside one another around `inner`, each on lines of its own.
fn nested(n: usize, open: &str, close: &str, inner: &str) -> String {
    format!("{}{inner}\n{}", open.repeat(n), close.repeat(n))
}

fn site_with_page(body: &str) -> TestSite {
    TestSite::with(&[("content/p.md", &format!("---\ntitle: P\n---\n{body}"))])
}

#[test]
fn shortcodes_nested_past_64_are_an_error_naming_the_65th() {
    // Once a stack overflow (exit 134), which also killed `serve`.
    let expand = nested(1000, "{{% expand %}}\n", "{{% /expand %}}\n", "x");
    let site = site_with_page(&expand);
    let run = site.build(&[]);
    run.failed();
    // The body starts on line 4; the 65th tag is the body's 65th line.
    assert!(
        run.stderr.contains(
            "error: content/p.md:68: shortcodes nested 65 deep at `{{% expand %}}`: at most 64"
        ),
        "{}",
        run.stderr
    );

    // Once 11 GB: every level held the tags of all the levels inside it.
    let buttons = "{{< button >}}".repeat(10_000) + "x" + &"{{< /button >}}".repeat(10_000);
    let site = site_with_page(&format!("Intro.\n\n{buttons}\n"));
    let run = site.build(&[]);
    run.failed();
    assert!(
        run.stderr
            .contains("content/p.md:6: shortcodes nested 65 deep at `{{< button >}}`"),
        "{}",
        run.stderr
    );
}

#[test]
fn shortcodes_nested_64_deep_render_and_name_their_lines() {
    let forms = [
        ("{{% expand %}}\n", "{{% /expand %}}\n"),
        ("{{< button href=\"/p/\" >}}\n", "{{< /button >}}\n"),
        ("{{% notice info %}}\n", "{{% /notice %}}\n"),
    ];
    let mut body = String::new();
    for i in 0..64 {
        body.push_str(forms[i % 3].0);
    }
    body.push_str("Innermost [dead](nowhere/).\n");
    for i in (0..64).rev() {
        body.push_str(forms[i % 3].1);
    }
    let site = site_with_page(&body);
    let run = site.build(&[]);
    run.ok();
    let html = site.read("p/index.html");
    assert!(html.contains("Innermost"), "{html}");
    assert_eq!(html.matches("<details class=\"expand\"").count(), 22);
    assert_eq!(html.matches("class=\"notices info\"").count(), 21);
    assert!(
        run.stderr
            .contains("content/p.md:68: link `nowhere/` points to no page"),
        "{}",
        run.stderr
    );
}

#[test]
fn saving_shortcodes_nested_too_deep_keeps_serve_running() {
    let site = site_with_page("First.\n");
    let server = ServeProcess::start(site.path(), &[]);
    site.write(
        "content/p.md",
        &format!(
            "---\ntitle: P\n---\n{}",
            nested(1000, "{{% expand %}}\n", "{{% /expand %}}\n", "x")
        ),
    );
    server.wait_for_line(
        |l| l.contains("content/p.md:68: shortcodes nested 65 deep"),
        Duration::from_secs(20),
    );
    let p = server.get("/p/");
    assert_eq!(p.status, 200);
    assert!(p.body.contains("First."), "the last good page is served");
    site.write("content/p.md", "---\ntitle: P\n---\nFixed.\n");
    server.wait_for_body("/p/", |b| b.contains("Fixed."));
}

#[test]
fn markdown_nested_a_hundred_thousand_deep_builds() {
    let n = 100_000;
    let pages = [
        ("quotes", ">".repeat(n) + " x\n"),
        ("lists", "- ".repeat(n) + "x\n"),
        ("ordered", "1. ".repeat(n) + "x\n"),
        ("quoted-lists", "> - ".repeat(n / 2) + "x\n"),
        ("emphasis", "*".repeat(n) + "x" + &"*".repeat(n) + "\n"),
        ("strong", "__".repeat(n) + "x" + &"__".repeat(n) + "\n"),
        ("strike", "~~".repeat(n) + "x" + &"~~".repeat(n) + "\n"),
        ("brackets", "[".repeat(n) + "x" + &"]".repeat(n) + "\n"),
        ("links", "[a](".repeat(n) + "x" + &")".repeat(n) + "\n"),
        (
            "images",
            "![".repeat(n) + "x" + &"](i.png)".repeat(n) + "\n",
        ),
        ("html", "<div>".repeat(n) + "x" + &"</div>".repeat(n) + "\n"),
        (
            "headings",
            "# ".to_string() + &"[".repeat(n) + "x" + &"](y)".repeat(n) + "\n",
        ),
        (
            "footnotes",
            (0..n / 10)
                .map(|i| format!("[^{i}]: see [^{}]\n", i + 1))
                .collect::<String>()
                + "x [^0]\n",
        ),
    ];
    let files: Vec<(String, String)> = pages
        .iter()
        .map(|(name, body)| {
            (
                format!("content/{name}.md"),
                format!("---\ntitle: {name}\n---\n{body}"),
            )
        })
        .collect();
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let site = TestSite::with(&refs);
    site.build(&[]).ok();
    for (name, _) in pages {
        assert!(site.exists(&format!("{name}/index.html")), "{name}");
    }
}

#[test]
fn every_dead_link_of_a_big_page_names_its_own_line() {
    // Once quadratic: each warning counted lines from the page's start. A shortcode
    // every 100 paragraphs shifts offsets between the body and the parsed text.
    let mut body = String::new();
    let mut expected = Vec::new();
    let mut line = 4;
    for i in 0..20_000 {
        if i % 100 == 0 {
            body.push_str("{{% notice info %}}\nA note\nover lines.\n{{% /notice %}}\n\n");
            line += 5;
        }
        body.push_str(&format!(
            "Paragraph {i} with a [dead link](nowhere-{i}/).\n\n"
        ));
        expected.push(format!("content/p.md:{line}: link `nowhere-{i}/`"));
        line += 2;
    }
    let site = site_with_page(&body);
    // --verbose: every warning, where a plain build counts those of a kind.
    let run = site.build(&["--verbose"]);
    run.ok();
    let warnings: std::collections::HashSet<&str> = run
        .stderr
        .lines()
        .filter_map(|l| l.strip_prefix("warning: "))
        .map(|l| &l[..l.find(" points").unwrap_or(l.len())])
        .collect();
    for e in &expected {
        assert!(warnings.contains(e.as_str()), "no {e:?}");
    }
    assert_eq!(warnings.len(), expected.len());
}

/// A chain of `depth` sections under the home page, each listing its children.
fn deep_sections(depth: usize) -> TestSite {
    let site = TestSite::with(&[]);
    let mut dir = "content".to_string();
    for i in 1..=depth {
        dir.push_str(&format!("/s{i}"));
        site.write(
            &format!("{dir}/_index.md"),
            &format!("---\ntitle: Level {i}\n---\n{{{{% children depth=\"3\" %}}}}\n"),
        );
    }
    site
}

#[test]
fn sections_forty_deep_show_in_nav_breadcrumbs_and_children() {
    // Once "(theme): Maximum render recursion depth" past 20 levels, with no file.
    let site = deep_sections(40);
    site.build(&[]).ok();
    let path: String = (1..=40).map(|i| format!("s{i}/")).collect();
    let deepest = site.read(&format!("{path}index.html"));
    let nav = between(&deepest, "<nav class=\"nav-tree\"", "</nav>");
    for i in 1..=40 {
        assert!(nav.contains(&format!(" Level {i}</a>")), "level {i}: {nav}");
    }
    assert_eq!(nav.matches("<details open>").count(), 39, "{nav}");
    assert_eq!(nav.matches("<ul>").count(), nav.matches("</ul>").count());
    assert!(nav.contains("aria-current=\"page\">"));
    let crumbs = between(&deepest, "class=\"breadcrumbs\"", "</nav>");
    assert_eq!(crumbs.matches("<li>").count(), 40, "home and 39 sections");

    let top = site.read("s1/index.html");
    let children = between(&top, "<ul class=\"children", "</article>");
    for i in 2..=4 {
        assert!(children.contains(&format!(">Level {i}</a>")), "{children}");
    }
    assert!(!children.contains(">Level 5</a>"), "depth=3: {children}");
}

/// The default nav written as themes did before `entries`: a component recursing over
/// `items`.
const RECURSIVE_NAV: &str = r#"{% component nav_items(items, pages_in) -%}
<ul>
{%- for item in items %}
<li{% if item.children %} class="has-children"{% endif %}><a href="{{ item.url }}"{{ item.current_attr | safe }}>{% if item.number %}<span class="num">{{ item.number }}</span> {% endif %}{{ item.title }}</a>{% if item.children %}<details{{ item.open_attr | safe }}><summary><span class="visually-hidden">{{ pages_in }} {{ item.title }}</span></summary>{{ <nav_items items={item.children} pages_in={pages_in} /> }}</details>{% endif %}</li>
{%- endfor %}
</ul>
{%- endcomponent nav_items %}
{{ <nav_items items={items} pages_in={site.i18n.pages_in} /> }}"#;

#[test]
fn the_flat_nav_renders_what_the_recursive_one_did() {
    let site = TestSite::with(&[
        ("content/1-A/_index.md", "---\ntitle: A\nweight: 1\n---\n"),
        ("content/1-A/x.md", "---\ntitle: X\n---\n"),
        ("content/1-A/1.1-B/_index.md", "---\ntitle: B\n---\n"),
        (
            "content/1-A/1.1-B/deep/_index.md",
            "---\ntitle: Deep\n---\n",
        ),
        ("content/1-A/1.1-B/deep/leaf.md", "---\ntitle: Leaf\n---\n"),
        ("content/1-A/1.2-C/_index.md", "---\ntitle: C\n---\n"),
        (
            "content/1-A/1.2-C/hid.md",
            "---\ntitle: Hid\nhidden: true\n---\n",
        ),
        ("content/2-D/_index.md", "---\ntitle: D\nweight: 2\n---\n"),
        ("content/2-D/e.md", "---\ntitle: E\n---\n"),
    ]);
    let pages = [
        "index.html",
        "1-a/1.1-b/deep/leaf/index.html",
        "2-d/e/index.html",
    ];
    site.build(&[]).ok();
    let flat: Vec<String> = pages.iter().map(|p| site.read(p)).collect();
    site.write("themes/old/templates/nav.html", RECURSIVE_NAV);
    site.write("worklog.toml", "theme = \"old\"\n");
    site.build(&[]).ok();
    for (page, flat) in pages.iter().zip(flat) {
        let nested = site.read(page);
        let nav = |html: &str| {
            let nav = between(html, "<nav class=\"nav-tree\"", "</nav>");
            nav[nav.find("<ul>").unwrap()..].trim_end().to_string()
        };
        assert_eq!(nav(&flat), nav(&nested), "{page}");
    }
}

#[test]
fn a_theme_recursing_over_items_names_the_deepest_page() {
    let site = deep_sections(25);
    site.write("themes/old/templates/nav.html", RECURSIVE_NAV);
    site.write("worklog.toml", "theme = \"old\"\n");
    let run = site.build(&[]);
    run.failed();
    let path: String = (1..=25).map(|i| format!("s{i}/")).collect();
    assert!(
        run.stderr.contains(&format!(
            "error: content/{path}_index.md: this page is 25 sections deep"
        )),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("error: themes/old/templates/nav.html: Maximum render recursion depth"),
        "{}",
        run.stderr
    );
}
