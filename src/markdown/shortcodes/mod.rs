//! Hugo shortcodes, expanded in a pre-pass over a page body before it is parsed as Markdown.
//!
//! Each shortcode found by [`parse`] is rendered through [`ShortcodeTemplates`] (the theme's
//! `shortcodes/<name>.html` templates, supplied by the render stage) and replaced by a
//! placeholder that the final HTML gets back in [`Expansion::substitute`]. Placeholders keep
//! template output away from the Markdown parser: no indentation turned into code, no link
//! checked twice. `ref`/`relref` are the exception: they yield a URL, which is written into
//! the Markdown itself so that `[x]({{< relref "/a" >}})` stays a link.
//!
//! A [`SourceMap`] takes offsets in the expanded text back to the original body, so that
//! every later warning still names the right file line. Knows nothing of Tera or the tree.

pub mod nesting;
pub mod parse;
pub mod placeholders;
pub mod refs;
pub mod source_map;

use std::borrow::Cow;
use std::collections::HashSet;
use std::path::Path;

use super::{MarkdownOptions, PageSource, escape_attr};
use crate::diagnostics::{Diagnostic, LineIndex, WarningKind};
use nesting::{MAX_NESTING, pair, too_deep};
use parse::{Item, Tag};
pub use placeholders::is_placeholder_char;
use placeholders::placeholder;
use source_map::Builder;
pub use source_map::SourceMap;

/// Renders the shortcodes a theme defines. Implemented by the render stage with Tera.
pub trait ShortcodeTemplates: Sync {
    /// Whether the theme has a template for `name`.
    fn has(&self, name: &str) -> bool;
    /// The HTML for one call; errors name the template's file and line.
    fn render(&self, call: &ShortcodeCall<'_>) -> Result<String, Vec<Diagnostic>>;
    /// A fingerprint of everything a template is told besides the call itself (the page
    /// at `page_dir`, the site) and of the templates themselves: equal fingerprints, the
    /// same `has` answers and equal output for equal calls.
    fn context_fingerprint(&self, page_dir: &str) -> u64;
}

/// No templates at all: only `ref` and `relref` work; any other shortcode is unknown.
pub struct NoTemplates;

impl ShortcodeTemplates for NoTemplates {
    fn has(&self, _: &str) -> bool {
        false
    }

    fn render(&self, _: &ShortcodeCall<'_>) -> Result<String, Vec<Diagnostic>> {
        Ok(String::new())
    }

    fn context_fingerprint(&self, _: &str) -> u64 {
        0
    }
}

/// One shortcode as a template sees it.
pub struct ShortcodeCall<'a> {
    pub name: &'a str,
    pub args: &'a [String],
    pub kwargs: &'a [(String, String)],
    /// The inner content of a paired shortcode: HTML rendered from Markdown for the `{{% %}}`
    /// form, the text as written (nested shortcodes expanded) for the `{{< >}}` form.
    pub body: Option<&'a str>,
    /// Called with `{{% %}}`.
    pub markdown: bool,
    /// Written inside a line of text rather than on lines of its own.
    pub inline: bool,
    pub page: &'a PageSource<'a>,
    /// The file line of the opening tag.
    pub line: usize,
}

/// Shortcodes whose content is the point: without their closing tag they are an error of
/// the writer, not a shortcode without content.
const PAIRED: [&str; 2] = ["notice", "expand"];

/// A body with its shortcodes replaced.
pub struct Expansion<'t> {
    pub text: Cow<'t, str>,
    pub map: SourceMap,
    /// HTML for each placeholder, by number.
    outputs: Vec<String>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Expansion<'_> {
    /// Puts each shortcode's HTML in place of its placeholder in the rendered `html`.
    pub fn substitute(&self, html: String) -> String {
        placeholders::substitute(html, &self.outputs)
    }
}

/// Expands the shortcodes of `markdown`, a body of `page`, or the inner content of `depth`
/// shortcodes of it.
pub fn expand<'t>(
    markdown: &'t str,
    options: &MarkdownOptions,
    page: &PageSource,
    templates: &dyn ShortcodeTemplates,
    depth: usize,
) -> Expansion<'t> {
    let items = parse::scan(markdown);
    if items.is_empty() {
        return Expansion {
            text: Cow::Borrowed(markdown),
            map: SourceMap::default(),
            outputs: Vec::new(),
            diagnostics: Vec::new(),
        };
    }
    let mut x = Expander {
        markdown,
        lines: LineIndex::new(markdown),
        options,
        page,
        templates,
        depth,
        outputs: Vec::new(),
        diagnostics: Vec::new(),
    };
    let mut b = Builder {
        src: markdown,
        out: String::with_capacity(markdown.len()),
        map: SourceMap::default(),
        copied_to: 0,
    };
    let closers = pair(&items);
    // Checked before anything is expanded: expanding first would hold every level's tags
    // at once (10,000 nested buttons took 11 GB) before finding out.
    let too_deep = too_deep(&closers, MAX_NESTING.saturating_sub(depth));
    let mut i = 0;
    while i < items.len() {
        let next = i + 1;
        match &items[i] {
            Item::Escaped {
                range,
                text,
                in_code,
            } => {
                if *in_code {
                    b.replace(range.clone(), text);
                } else {
                    let n = x.push_output(html_escape(text));
                    b.replace(range.clone(), &placeholder(n));
                }
            }
            Item::Malformed { range, message } => {
                x.warn(range.start, format!("{message}: shown as written"));
            }
            Item::Tag(tag) if tag.closing => {
                x.warn(
                    tag.range.start,
                    format!(
                        "`{}` closes no shortcode: shown as written",
                        &markdown[tag.range.clone()]
                    ),
                );
            }
            Item::Tag(tag) => {
                if let (Some(deepest), Some(c)) = (too_deep[i], closers[i]) {
                    x.too_deep(&items[deepest]);
                    let html = x.error_span(&tag.range);
                    let ph = placeholder(x.push_output(html));
                    b.replace(tag.range.start..items[c].range().end, &ph);
                    i = c + 1;
                    continue;
                }
                let close = closers[i].map(|c| &items[c]);
                if close.is_none() && !tag.self_closing && PAIRED.contains(&tag.name.as_str()) {
                    let (open, end) = if tag.markdown {
                        ("{{%", "%}}")
                    } else {
                        ("{{<", ">}}")
                    };
                    x.warn(
                        tag.range.start,
                        format!(
                            "shortcode `{}` has no closing `{open} /{} {end}`: shown as written",
                            tag.name, tag.name
                        ),
                    );
                } else {
                    let span = tag.range.start..close.map_or(tag.range.end, |c| c.range().end);
                    let inner = close.map(|c| tag.range.end..c.range().start);
                    let block = stands_alone(markdown, &x.lines, &span);
                    match x.call(tag, inner, close, block) {
                        Replacement::Text(text) => b.replace(span, &text),
                        Replacement::Html(html) => {
                            let n = x.push_output(html);
                            let ph = placeholder(n);
                            if block {
                                // A paragraph of its own, indented (or quoted) like the tag
                                // so that it stays inside its list item or blockquote.
                                let indent = &markdown[x.lines.line_start(span.start)..span.start];
                                b.replace(span, &format!("\n{indent}{ph}\n"));
                            } else {
                                b.replace(span, &ph);
                            }
                        }
                    }
                    if let Some(c) = closers[i] {
                        i = c + 1;
                        continue;
                    }
                }
            }
        }
        i = next;
    }
    b.copy_to(markdown.len());
    Expansion {
        text: Cow::Owned(b.out),
        map: b.map,
        outputs: x.outputs,
        diagnostics: x.diagnostics,
    }
}

enum Replacement {
    /// Written into the Markdown (a URL).
    Text(String),
    /// Put in place after the Markdown is rendered.
    Html(String),
}

struct Expander<'a, 't> {
    markdown: &'t str,
    lines: LineIndex,
    options: &'a MarkdownOptions,
    page: &'a PageSource<'a>,
    templates: &'a dyn ShortcodeTemplates,
    /// How many shortcodes `markdown` is the inner content of.
    depth: usize,
    outputs: Vec<String>,
    diagnostics: Vec<Diagnostic>,
}

impl Expander<'_, '_> {
    fn push_output(&mut self, html: String) -> usize {
        self.outputs.push(html);
        self.outputs.len() - 1
    }

    fn file_line(&self, offset: usize) -> usize {
        self.page.body_line + self.lines.line(offset) - 1
    }

    fn file(&self) -> &Path {
        self.page.file.unwrap_or(Path::new("content"))
    }

    fn warn(&mut self, offset: usize, message: String) {
        self.warn_of(offset, None, message);
    }

    fn warn_of(&mut self, offset: usize, kind: Option<WarningKind>, message: String) {
        let d = Diagnostic::warning(self.file(), Some(self.file_line(offset)), message);
        self.diagnostics.push(d.of_kind(kind));
    }

    fn too_deep(&mut self, deepest: &Item) {
        let range = deepest.range();
        let message = format!(
            "shortcodes nested {} deep at `{}`: at most {MAX_NESTING} may sit inside one another",
            MAX_NESTING + 1,
            &self.markdown[range.clone()],
        );
        let line = self.file_line(range.start);
        self.diagnostics
            .push(Diagnostic::error(self.file(), Some(line), message));
    }

    /// The tag as written, marked as one that failed.
    fn error_span(&self, tag: &std::ops::Range<usize>) -> String {
        format!(
            "<span class=\"shortcode-error\">{}</span>",
            html_escape(&self.markdown[tag.clone()])
        )
    }

    fn call(
        &mut self,
        tag: &Tag,
        inner: Option<std::ops::Range<usize>>,
        close: Option<&Item>,
        block: bool,
    ) -> Replacement {
        let line = self.file_line(tag.range.start);
        if tag.name == "ref" || tag.name == "relref" {
            return Replacement::Text(self.reference(tag, line));
        }
        // Which shortcodes exist, and what they make, is the theme's: noted before asking.
        self.page.note_template_context(self.templates);
        let body = inner.map(|r| self.body(tag, r, block));
        if !self.templates.has(&tag.name) {
            self.warn_of(
                tag.range.start,
                Some(WarningKind::UnknownShortcode),
                format!(
                    "unknown shortcode `{}`: the theme has no template shortcodes/{}.html; shown as written",
                    tag.name, tag.name
                ),
            );
            let tag_text = |range: &std::ops::Range<usize>| {
                format!(
                    "<span class=\"shortcode-missing\">{}</span>",
                    html_escape(&self.markdown[range.clone()])
                )
            };
            let mut html = tag_text(&tag.range);
            if let (Some(body), Some(close)) = (&body, close) {
                html.push_str(body);
                html.push_str(&tag_text(close.range()));
            }
            if block && body.is_none() {
                html = format!("<p>{html}</p>\n");
            }
            return Replacement::Html(html);
        }
        let call = ShortcodeCall {
            name: &tag.name,
            args: &tag.args,
            kwargs: &tag.kwargs,
            body: body.as_deref(),
            markdown: tag.markdown,
            inline: !block,
            page: self.page,
            line,
        };
        match self.templates.render(&call) {
            Ok(html) => {
                // A template file's last line break would split the line it is called in.
                let html = if block { html.trim_end() } else { html.trim() };
                let html = self.resolve_urls(html.to_string(), body.as_deref(), tag.range.start);
                Replacement::Html(html)
            }
            Err(errors) => {
                let at = format!(
                    "(in shortcode `{}` at {}:{line})",
                    tag.name,
                    self.file().display()
                );
                self.diagnostics.extend(errors.into_iter().map(|mut d| {
                    d.message = format!("{} {at}", d.message);
                    d
                }));
                Replacement::Html(self.error_span(&tag.range))
            }
        }
    }

    /// The inner content: Markdown rendered to HTML for `{{% %}}`, the text with its own
    /// shortcodes expanded for `{{< >}}`.
    fn body(&mut self, tag: &Tag, inner: std::ops::Range<usize>, block: bool) -> String {
        let text = &self.markdown[inner.clone()];
        let page = PageSource {
            body_line: self.file_line(inner.start),
            ..*self.page
        };
        if tag.markdown {
            let rendered =
                super::render_nested(text, self.options, &page, self.templates, self.depth + 1);
            self.diagnostics.extend(rendered.diagnostics);
            let html = rendered.html;
            if block {
                return html;
            }
            // Inside a line, one paragraph is just its text.
            match html
                .strip_prefix("<p>")
                .and_then(|h| h.strip_suffix("</p>\n"))
            {
                Some(inline) if !inline.contains("<p>") => inline.to_string(),
                _ => html,
            }
        } else {
            let expanded = expand(text, self.options, &page, self.templates, self.depth + 1);
            self.diagnostics
                .extend(expanded.diagnostics.iter().cloned());
            let raw = expanded.text.to_string();
            expanded.substitute(raw)
        }
    }

    /// `ref` / `relref`: the URL of the page named, or an error.
    fn reference(&mut self, tag: &Tag, line: usize) -> String {
        let target = tag.args.first().map(String::as_str).or_else(|| {
            tag.kwargs
                .iter()
                .find(|(k, _)| k == "path")
                .map(|(_, v)| v.as_str())
        });
        let Some(target) = target else {
            self.diagnostics.push(Diagnostic::error(
                self.file(),
                Some(line),
                format!(
                    "`{}` needs the path of a page, e.g. {{{{< {} \"/1-Worklog\" >}}}}",
                    tag.name, tag.name
                ),
            ));
            return String::new();
        };
        match self.page.resolve_ref(target, self.options) {
            Some(url) => url,
            None => {
                self.diagnostics.push(Diagnostic::error(
                    self.file(),
                    Some(line),
                    format!(
                        "{} \"{target}\" names no page: a path from content/ (\"/1-Worklog/1.2-Week2\") or from this page's folder",
                        tag.name
                    ),
                ));
                String::new()
            }
        }
    }

    /// Places `src`/`href` values written in shortcode arguments (a figure's image) under
    /// the base path, as links in Markdown are. URLs of the body were resolved with it.
    fn resolve_urls(&mut self, html: String, body: Option<&str>, offset: usize) -> String {
        let mut in_body = HashSet::new();
        if let Some(body) = body {
            super::links::rewrite_html_urls(body, |u| {
                in_body.insert(u.to_string());
                None
            });
        }
        let mut warnings = Vec::new();
        let rewritten = super::links::rewrite_html_urls(&html, |u| {
            if in_body.contains(u) {
                return None;
            }
            let (new, warning) = self.page.check_url(u, self.options);
            warnings.extend(warning);
            new
        });
        for (kind, w) in warnings {
            self.warn_of(offset, kind, w);
        }
        rewritten.unwrap_or(html)
    }
}

/// Whether `span` has nothing but spaces (and blockquote marks) before it and spaces after
/// it on its lines. That prefix is repeated before its placeholder, so it stays quoted.
/// Both sides are read from the tag outwards: many tags on one long line each read only
/// as far as their neighbours.
fn stands_alone(text: &str, lines: &LineIndex, span: &std::ops::Range<usize>) -> bool {
    text[lines.line_start(span.start)..span.start]
        .chars()
        .rev()
        .all(|c| c.is_whitespace() || c == '>')
        && text[span.end..]
            .chars()
            .take_while(|&c| c != '\n')
            .all(char::is_whitespace)
}

fn html_escape(s: &str) -> String {
    escape_attr(s).replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_or_inline() {
        let t = "a\n  {{< x >}}  \nb {{< y >}}\n> {{< z >}}\n- {{< w >}}\n";
        let lines = LineIndex::new(t);
        assert!(stands_alone(t, &lines, &(4..13)));
        assert!(!stands_alone(t, &lines, &(18..27)));
        assert!(stands_alone(t, &lines, &(30..39)));
        assert!(!stands_alone(t, &lines, &(42..51)));
    }
}
