//! Markdown as journals write it, through the whole build.
mod common;
use common::*;

fn page_html(body: &str) -> String {
    let site = TestSite::with(&[(
        "content/p/_index.md",
        &format!("---\ntitle: P\n---\n{body}"),
    )]);
    site.build(&["--base-url", "https://u.github.io/j/"]).ok();
    let html = site.read("p/index.html");
    between(&html, "<div class=\"content\">", "<nav class=\"prev-next\"").to_string()
}

#[test]
fn gfm_tables_with_links_br_and_emsp() {
    let html = page_html(
        "| Day | Task | Ref |\n|---|---|---|\n| 2 | - Learn RDS <br>&emsp; + Multi-AZ | [Module 06](https://www.youtube.com/watch?v=OOD2&list=PL) |\n| 3 | **Practice** | <https://cloudjourney.awsstudygroup.com/> |\n",
    );
    assert!(html.contains("<div class=\"table-wrap\"><table>"), "{html}");
    assert!(
        html.contains("- Learn RDS <br>\u{2003} + Multi-AZ"),
        "{html}"
    );
    assert!(
        html.contains("<a href=\"https://www.youtube.com/watch?v=OOD2&amp;list=PL\">Module 06</a>"),
        "{html}"
    );
    assert!(html.contains("<a href=\"https://cloudjourney.awsstudygroup.com/\">https://cloudjourney.awsstudygroup.com/</a>"), "{html}");
    assert!(html.contains("<strong>Practice</strong>"));
}

#[test]
fn strikethrough_tasks_footnotes_and_alerts() {
    let html = page_html(
        "~~old~~\n\n- [x] done\n- [ ] todo\n\nText[^1].\n\n[^1]: The note.\n\n> [!WARNING]\n> Delete the NAT gateway.\n",
    );
    assert!(html.contains("<del>old</del>"), "{html}");
    assert!(
        html.contains("<input disabled=\"\" type=\"checkbox\" checked=\"\"/>"),
        "{html}"
    );
    assert!(
        html.contains("footnote-reference") && html.contains("The note."),
        "{html}"
    );
    assert!(
        html.contains("<div class=\"alert alert-warning\" role=\"note\">"),
        "{html}"
    );
    assert!(
        html.contains("<p class=\"alert-title\">Warning</p>"),
        "{html}"
    );
}

#[test]
fn raw_html_passes_and_image_placeholders_stay_literal() {
    let html = page_html(
        "<details><summary>More</summary>\n\nHidden text\n</details>\n\nPress <kbd>Ctrl</kbd>.\n\n[Image of AWS RDS Multi-AZ architecture]\n",
    );
    assert!(html.contains("<details><summary>More</summary>"), "{html}");
    assert!(html.contains("<kbd>Ctrl</kbd>"));
    assert!(
        html.contains("[Image of AWS RDS Multi-AZ architecture]"),
        "{html}"
    );
}

#[test]
fn headings_get_hugo_ids_unique_per_page_and_a_toc() {
    let site = TestSite::with(&[(
        "content/p/_index.md",
        "---\ntitle: P\n---\n### Week 7 Goals:\n#### Notes\n#### Notes\n### Tổng kết — summary\n",
    )]);
    site.build(&[]).ok();
    let html = site.read("p/index.html");
    assert!(
        html.contains("<h3 id=\"week-7-goals\">Week 7 Goals:</h3>"),
        "{html}"
    );
    assert!(html.contains("<h4 id=\"notes\">") && html.contains("<h4 id=\"notes-1\">"));
    assert!(html.contains("<h3 id=\"tổng-kết--summary\">"));
    let toc = between(&html, "class=\"toc\"", "</details>");
    assert!(
        toc.contains("href=\"#notes-1\"") && toc.contains("href=\"#tổng-kết--summary\""),
        "{toc}"
    );
}

#[test]
fn fenced_code_gets_a_language_class_and_is_escaped() {
    let html = page_html("```bash\naws s3 ls <bucket> && echo ${{ secrets.KEY }}\n```\n");
    assert!(html.contains("<pre><code class=\"language-bash\">aws s3 ls &lt;bucket&gt; &amp;&amp; echo ${{ secrets.KEY }}"), "{html}");
}

#[test]
fn root_links_and_images_get_the_sub_path_once() {
    let html = page_html("![a](/images/a.png) [b](/j/b/) [c](../c/) <img src=\"/images/d.png\">\n");
    assert!(html.contains("src=\"/j/images/a.png\""), "{html}");
    assert!(html.contains("href=\"/j/b/\""));
    assert!(html.contains("href=\"../c/\""));
    assert!(html.contains("src=\"/j/images/d.png\""), "{html}");
}

/// An image-only heading's id, as Hugo makes it (the line as written): a link saved to it
/// from the Hugo site still lands.
#[test]
fn a_heading_of_an_image_or_a_url_has_hugos_id() {
    let html = page_html(
        "## ![Lab diagram](images/lab.png)\n\n## https://aws.amazon.com/s3/\n\n[to the diagram](#lab-diagramimageslabpng)\n",
    );
    assert!(
        html.contains("<h2 id=\"lab-diagramimageslabpng\">"),
        "{html}"
    );
    assert!(html.contains("<h2 id=\"httpsawsamazoncoms3\">"), "{html}");
}

/// Hugo's typographer is on by default: curly quotes, dashes and ellipses in the text,
/// never in code, URLs or raw HTML; heading ids stay those of the text as written.
#[test]
fn typography_is_hugos_in_text_and_nowhere_else() {
    let body = "## What's new -- \"week 2\" {#new data-x=\"1\"}\n\n\
        It's \"done\"... 2020--2021, wait---what.\n\n\
        `don't \"touch\" -- code` and https://example.com/a--b/it's and <span title=\"it's -- raw\">x</span>\n\n\
        ```\nlet s = \"x\" -- y...\n```\n\n\
        | Task | Note |\n|---|---|\n| Students' work | \"AWS\" -- S3 |\n";
    let html = page_html(body);
    for part in [
        "<h2 id=\"new\" data-x=\"1\">What’s new – “week 2”</h2>",
        "<p>It’s “done”… 2020–2021, wait—what.</p>",
        "<code>don't \"touch\" -- code</code>",
        "<a href=\"https://example.com/a--b/it&#x27;s\">https://example.com/a--b/it's</a>",
        "<span title=\"it's -- raw\">x</span>",
        "let s = \"x\" -- y...",
        "<td>Students’ work</td>",
        "<td>“AWS” – S3</td>",
    ] {
        assert!(html.contains(part), "{part}\nnot in\n{html}");
    }
    // The id of a heading is made from it as written.
    let plain = page_html("## What's new -- here\n");
    assert!(
        plain.contains("<h2 id=\"whats-new----here\">What’s new – here</h2>"),
        "{plain}"
    );
}

#[test]
fn typography_is_off_with_hugos_switch_or_worklogs() {
    for config in [
        ("worklog.toml", "typographer = false\n"),
        (
            "config.toml",
            "[markup.goldmark.extensions]\ntypographer = false\n",
        ),
        (
            "config.toml",
            "[markup.goldmark.extensions.typographer]\ndisable = true\n",
        ),
    ] {
        let site = TestSite::with(&[
            config,
            (
                "content/p/_index.md",
                "---\ntitle: P\n---\nIt's \"done\" -- ok...\n",
            ),
        ]);
        let run = site.build(&[]);
        run.ok();
        assert_eq!(run.stderr, "", "{config:?}");
        assert!(
            site.read("p/index.html")
                .contains("<p>It's &quot;done&quot; -- ok...</p>")
                || site
                    .read("p/index.html")
                    .contains("<p>It's \"done\" -- ok...</p>"),
            "{config:?}: {}",
            site.read("p/index.html")
        );
    }
}
