//! Hugo shortcodes as real journals write them, through the whole build.
mod common;
use common::*;

/// The rendered body of `rel` (`p/index.html`).
fn content(site: &TestSite, rel: &str) -> String {
    let html = site.read(rel);
    between(&html, "<div class=\"content\">", "</article>").to_string()
}

/// A site whose page `content/p/_index.md` has `body` (its body starts on file line 4).
fn page(body: &str) -> TestSite {
    TestSite::with(&[
        (
            "content/p/_index.md",
            &format!("---\ntitle: P\n---\n{body}"),
        ),
        (
            "content/5-Workshop/_index.md",
            "---\ntitle: Workshop\ndescription: Build the API\n---\nLab.\n",
        ),
        (
            "content/5-Workshop/5.1-Create-Lambda/_index.md",
            "---\ntitle: Create Lambda\n---\nx\n",
        ),
        (
            "content/5-Workshop/notes.md",
            "---\ntitle: Notes\n---\n## Step 2\n",
        ),
    ])
}

#[test]
fn notice_renders_its_markdown_in_a_box_in_both_forms() {
    let site = page(
        "{{% notice info %}}\n**Week 8 Worklog** - 05/06/2026\n\n- a [link](/5-Workshop/)\n{{% /notice %}}\n\n{{< notice warning \"Mind the bill\" >}}Raw *text*{{< /notice >}}\n\n{{% notice style=tip %}}Tip text{{% /notice %}}\n",
    );
    let run = site.build(&["--base-url", "https://u.github.io/j/"]);
    run.ok();
    let html = content(&site, "p/index.html");
    assert!(
        html.contains("<div class=\"notices info\" role=\"note\">\n<p class=\"notices-title\">Info</p>\n<p><strong>Week 8 Worklog</strong> - 05/06/2026</p>\n<ul>\n<li>a <a href=\"/j/5-workshop/\">link</a></li>"),
        "{html}"
    );
    assert!(
        html.contains("<div class=\"notices warning\" role=\"note\">\n<p class=\"notices-title\">Mind the bill</p>\nRaw *text*\n</div>"),
        "the {{{{< >}}}} form passes its content as written: {html}"
    );
    assert!(
        html.contains("<div class=\"notices tip\"") && html.contains("Tip text"),
        "{html}"
    );
    assert!(!html.contains("{{"), "{html}");
    assert!(
        run.stderr
            .contains("content/p/_index.md:7: link `/5-Workshop/`"),
        "a link inside the notice names its own line: {}",
        run.stderr
    );
}

#[test]
fn relref_and_ref_resolve_case_insensitively_from_root_or_page_folder() {
    let site = page(
        "- [Workshop]({{< relref \"/5-Workshop\" >}})\n- [Lambda]({{< relref \"/5-workshop/5.1-CREATE-lambda/_index.md\" >}})\n- [Notes]({{< ref \"../5-Workshop/notes.md#step-2\" >}})\n- [Home]({{< relref \"/\" >}})\n- [Same]({{< relref path=\"/5-WORKSHOP/notes\" >}})\n",
    );
    let run = site.build(&["--base-url", "https://u.github.io/j/"]);
    run.ok();
    let html = content(&site, "p/index.html");
    for expected in [
        "<a href=\"/j/5-workshop/\">Workshop</a>",
        "<a href=\"/j/5-workshop/5.1-create-lambda/\">Lambda</a>",
        "<a href=\"/j/5-workshop/notes/#step-2\">Notes</a>",
        "<a href=\"/j/\">Home</a>",
        "<a href=\"/j/5-workshop/notes/\">Same</a>",
    ] {
        assert!(html.contains(expected), "{expected} in {html}");
    }
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
}

#[test]
fn relref_from_a_page_file_starts_in_its_folder() {
    let site = page("x\n");
    site.write(
        "content/5-Workshop/other.md",
        "---\ntitle: Other\n---\nSee [notes]({{< relref \"Notes.md\" >}}) and [sub]({{< relref \"5.1-create-lambda\" >}}).\n",
    );
    site.build(&[]).ok();
    let html = content(&site, "5-workshop/other/index.html");
    assert!(
        html.contains("<a href=\"/5-workshop/notes/\">notes</a>"),
        "{html}"
    );
    assert!(
        html.contains("<a href=\"/5-workshop/5.1-create-lambda/\">sub</a>"),
        "{html}"
    );
}

#[test]
fn a_relref_to_no_page_fails_the_build_with_file_and_line() {
    let site = page(
        "Intro\n\n{{% notice note %}}\nSee [x]({{< relref \"/5-Workshp\" >}})\n{{% /notice %}}\n\n[y]({{< ref \"nope.md\" >}})\n",
    );
    let run = site.build(&[]);
    run.failed();
    assert!(
        run.stderr
            .contains("error: content/p/_index.md:7: relref \"/5-Workshp\" names no page"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("error: content/p/_index.md:10: ref \"nope.md\" names no page"),
        "{}",
        run.stderr
    );
}

#[test]
fn youtube_matches_hugo_with_positional_or_named_id() {
    let site = page("## Demo\n\n{{< youtube 4ozWMAf9c_g >}}\n\n{{< youtube id=\"abc123\" >}}\n");
    site.build(&[]).ok();
    let html = content(&site, "p/index.html");
    assert!(html.contains("<div style=\"position: relative; padding-bottom: 56.25%; height: 0; overflow: hidden;\">\n  <iframe src=\"https://www.youtube.com/embed/4ozWMAf9c_g\" style=\"position: absolute; top: 0; left: 0; width: 100%; height: 100%; border:0;\" allowfullscreen title=\"YouTube Video\"></iframe>\n</div>"), "{html}");
    assert!(
        html.contains("src=\"https://www.youtube.com/embed/abc123\""),
        "{html}"
    );
    assert!(
        !html.contains("<p><div"),
        "a block is not wrapped in <p>: {html}"
    );
}

#[test]
fn children_lists_the_pages_below_with_descriptions() {
    let site = page("x\n");
    site.write(
        "content/5-Workshop/_index.md",
        "---\ntitle: Workshop\n---\n{{% children description=\"true\" depth=2 %}}\n",
    );
    site.write(
        "content/5-Workshop/5.1-Create-Lambda/_index.md",
        "---\ntitle: Create Lambda\ndescription: A function\n---\nx\n",
    );
    site.write(
        "content/5-Workshop/5.1-Create-Lambda/step.md",
        "---\ntitle: Step\n---\nx\n",
    );
    site.build(&[]).ok();
    let html = content(&site, "5-workshop/index.html");
    let list = between(&html, "<ul class=\"children children-li\">", "\n</ul>");
    assert!(
        list.contains(
            "<li><a href=\"/5-workshop/5.1-create-lambda/\">Create Lambda</a><p>A function</p>"
        ),
        "{list}"
    );
    assert!(
        list.contains("<a href=\"/5-workshop/notes/\">Notes</a>"),
        "{list}"
    );
    assert!(
        list.contains("<a href=\"/5-workshop/5.1-create-lambda/step/\">Step</a>"),
        "depth 2: {list}"
    );
}

#[test]
fn expand_figure_and_button() {
    let site = page(
        "{{% expand \"Show the *answer*\" %}}\nIt is **42**.\n{{% /expand %}}\n\n{{< figure src=\"/images/arch.png\" title=\"Architecture\" caption=\"The VPC\" alt=\"diagram\" >}}\n\nThen {{< button href=\"/5-Workshop/\" >}}Start{{< /button >}} now, or {{% button href=\"https://aws.amazon.com\" %}}**Sign in**{{% /button %}}.\n",
    );
    site.write("static/images/arch.png", "png");
    site.build(&["--base-url", "https://u.github.io/j/"]).ok();
    let html = content(&site, "p/index.html");
    assert!(
        html.contains("<details class=\"expand\">\n<summary>Show the *answer*</summary>\n<div class=\"expand-content\">\n<p>It is <strong>42</strong>.</p>"),
        "{html}"
    );
    assert!(
        html.contains("<figure><img src=\"/j/images/arch.png\" alt=\"diagram\" loading=\"lazy\">"),
        "figure src under the base path: {html}"
    );
    assert!(
        html.contains("<figcaption><h4>Architecture</h4><p>The VPC</p></figcaption>"),
        "{html}"
    );
    assert!(
        html.contains("<p>Then <a class=\"btn button\" href=\"/j/5-workshop/\">Start</a> now, or <a class=\"btn button\" href=\"https://aws.amazon.com\" target=\"_blank\" rel=\"noopener\"><strong>Sign in</strong></a>.</p>"),
        "inline shortcodes stay inside their paragraph: {html}"
    );
}

#[test]
fn attachments_list_static_and_bundle_files() {
    let site = page("{{< attachments title=\"Slides\" >}}\n");
    site.write("static/p/files/notes v2.txt", "hello");
    site.write("content/p/files/slides.pdf", "pdf!");
    site.build(&[]).ok();
    let html = content(&site, "p/index.html");
    assert!(
        html.contains("<p class=\"attachments-title\">Slides</p>"),
        "{html}"
    );
    assert!(
        html.contains("<a href=\"/p/files/notes%20v2.txt\" download>notes v2.txt</a>"),
        "{html}"
    );
    assert!(
        html.contains("<a href=\"/p/files/slides.pdf\" download>slides.pdf</a> <span class=\"size\">(4 B)</span>"),
        "{html}"
    );
    assert_eq!(
        site.read("p/files/slides.pdf"),
        "pdf!",
        "bundle files are published"
    );
}

#[test]
fn an_unknown_shortcode_is_a_warning_and_shown_in_the_page() {
    let site = page(
        "Intro\n\n{{< tabs name=\"x\" >}}\n\nSee {{% gist a/b %}}inner **md**{{% /gist %}} here.\n",
    );
    let run = site.build(&[]);
    run.ok();
    assert!(
        run.stderr
            .contains("warning: content/p/_index.md:6: unknown shortcode `tabs`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("warning: content/p/_index.md:8: unknown shortcode `gist`"),
        "{}",
        run.stderr
    );
    let html = content(&site, "p/index.html");
    assert!(
        html.contains(
            "<p><span class=\"shortcode-missing\">{{&lt; tabs name=&quot;x&quot; &gt;}}</span></p>"
        ),
        "{html}"
    );
    assert!(
        html.contains("<span class=\"shortcode-missing\">{{% gist a/b %}}</span>inner <strong>md</strong><span class=\"shortcode-missing\">{{% /gist %}}</span>"),
        "the content of an unknown shortcode is kept: {html}"
    );
}

#[test]
fn malformed_shortcodes_are_warnings_and_stay_as_written() {
    let site = page(
        "{{% notice info %}}\nNever closed.\n\nText {{< youtube abc\n\n{{< /expand >}}\n\n[after](/nope/)\n",
    );
    let run = site.build(&[]);
    run.ok();
    for expected in [
        "content/p/_index.md:4: shortcode `notice` has no closing `{{% /notice %}}`",
        "content/p/_index.md:7: `{{<` is never closed by `>}}`",
        "content/p/_index.md:9: `{{< /expand >}}` closes no shortcode",
        "content/p/_index.md:11: link `/nope/` points to no page",
    ] {
        assert!(
            run.stderr.contains(expected),
            "{expected} in {}",
            run.stderr
        );
    }
    let html = content(&site, "p/index.html");
    assert!(
        html.contains("<p>{{% notice info %}}\nNever closed.</p>"),
        "{html}"
    );
    assert!(html.contains("Text {{&lt; youtube abc"), "{html}");
}

#[test]
fn code_inline_code_and_comments_are_left_alone() {
    let site = page(
        "```yaml\nenv:\n  AWS_KEY: ${{ secrets.AWS_KEY }}\n  x: {{< relref \"/nowhere\" >}}\n```\n\nTitle is `{{ .Site.Title }}`, write `{{< notice info >}}`.\n\n<!-- {{< relref \"/gone\" >}}\n{{% notice %}} -->\n\nShow {{</* notice info */>}} as text.\n",
    );
    let run = site.build(&[]);
    run.ok();
    assert!(!run.stderr.contains("shortcode"), "{}", run.stderr);
    let html = content(&site, "p/index.html");
    assert!(
        html.contains("AWS_KEY: ${{ secrets.AWS_KEY }}\n  x: {{&lt; relref \"/nowhere\" &gt;}}"),
        "{html}"
    );
    assert!(html.contains("<code>{{ .Site.Title }}</code>"), "{html}");
    assert!(
        html.contains("<code>{{&lt; notice info &gt;}}</code>"),
        "{html}"
    );
    assert!(
        html.contains("<!-- {{< relref \"/gone\" >}}\n{{% notice %}} -->"),
        "{html}"
    );
    assert!(
        html.contains("Show {{&lt; notice info &gt;}} as text."),
        "{html}"
    );
}

#[test]
fn later_warnings_keep_their_file_lines_after_shortcodes() {
    let site = page(
        "{{< figure\n  src=\"/a.png\"\n  caption=\"multi-line\" >}}\n\n{{% notice tip %}}\nOne\n\nTwo\n{{% /notice %}}\nA [dead](/gone/) link {{< youtube x >}} and [another](/gone2/).\n",
    );
    let run = site.build(&[]);
    run.ok();
    for expected in [
        "content/p/_index.md:4: link `/a.png` points to no page",
        "content/p/_index.md:13: link `/gone/` points to no page",
        "content/p/_index.md:13: link `/gone2/` points to no page",
    ] {
        assert!(
            run.stderr.contains(expected),
            "{expected} in {}",
            run.stderr
        );
    }
}

#[test]
fn a_site_theme_adds_and_overrides_shortcodes() {
    let site = page(
        "{{< badge \"AWS\" color=orange >}}\n\n{{% notice info %}}Hi{{% /notice %}}\n\n{{< hero >}}**raw**{{< /hero >}}\n",
    );
    site.write("worklog.toml", "theme = \"mine\"\n");
    site.write(
        "themes/mine/templates/shortcodes/badge.html",
        "<span class=\"badge badge-{{ kwargs.color }}\" data-page=\"{{ page.url }}\" data-site=\"{{ site.title }}\">{{ args[0] }}</span>\n",
    );
    site.write(
        "themes/mine/templates/shortcodes/notice.html",
        "<aside class=\"my-{{ args[0] }}\">{{ body | safe }}</aside>",
    );
    site.write(
        "themes/mine/templates/shortcodes/hero.html",
        "<section>{{ body }}|{{ markdown }}|{{ inline }}</section>",
    );
    site.build(&[]).ok();
    let html = content(&site, "p/index.html");
    assert!(
        html.contains(
            "<span class=\"badge badge-orange\" data-page=\"/p/\" data-site=\"Journal\">AWS</span>"
        ),
        "{html}"
    );
    assert!(
        html.contains("<aside class=\"my-info\"><p>Hi</p>\n</aside>"),
        "{html}"
    );
    assert!(
        html.contains("<section>**raw**|false|false</section>"),
        "{html}"
    );
}

#[test]
fn errors_in_shortcode_templates_name_the_template_file_and_line() {
    let site = page("Intro\n\n{{< broken >}}\n");
    site.write("worklog.toml", "theme = \"mine\"\n");
    site.write(
        "themes/mine/templates/shortcodes/broken.html",
        "<p>\n{{ throw(message=\"no src given\") }}\n</p>\n",
    );
    let run = site.build(&[]);
    run.failed();
    assert!(
        run.stderr
            .contains("themes/mine/templates/shortcodes/broken.html:2"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("(in shortcode `broken` at content/p/_index.md:6)"),
        "{}",
        run.stderr
    );
}

#[test]
fn nested_shortcodes_expand_inside_each_other() {
    let site = page(
        "{{% expand \"Details\" %}}\n{{% notice warning %}}\nDelete the [NAT]({{< relref \"/5-Workshop\" >}}).\n{{% /notice %}}\n{{% /expand %}}\n",
    );
    site.build(&[]).ok();
    let html = content(&site, "p/index.html");
    assert!(
        html.contains("<summary>Details</summary>\n<div class=\"expand-content\">\n<div class=\"notices warning\" role=\"note\">\n<p class=\"notices-title\">Warning</p>\n<p>Delete the <a href=\"/5-workshop/\">NAT</a>.</p>"),
        "{html}"
    );
}
