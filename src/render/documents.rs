//! Pages made of other pages, one per language: the timeline (`/timeline/`: every week in
//! order with its date, title and first objectives) and the print page (`/print/`: the
//! whole journal as one document, for the browser's "Save as PDF" or `worklog pdf`).
//!
//! Both are made from the rendered bodies, so a body edit re-renders them too.

use std::collections::HashMap;
use std::sync::Arc;

use serde::Serialize;
use tera::Context;

use super::context::{PageContext, language_choices, without_title_heading};
use super::{
    NAV_SLOT, PageNav, Renderer, SiteLayout, relative_if_asked, spliced, template_errors,
    while_rendering,
};
use crate::config::Config;
use crate::content::{ContentTree, weeks};
use crate::markdown::RenderedBody;
use crate::markdown::links::{self, is_internal};
use crate::output::Content;
use crate::render::LanguageLink;

/// Where the generated pages live, under the language's folder.
pub const TIMELINE: &str = "timeline/";
pub const PRINT: &str = "print/";

/// How many objectives of a week the timeline shows.
const OBJECTIVES: usize = 3;

/// What `timeline.html` is told besides `site` and `page`.
#[derive(Serialize)]
pub struct TimelineContext<'a> {
    pub page: PageContext<'a>,
    pub nav: &'static str,
    pub weeks: Vec<TimelineWeek<'a>>,
}

#[derive(Debug, Serialize)]
pub struct TimelineWeek<'a> {
    pub week: u32,
    pub number: Option<&'a str>,
    pub title: &'a str,
    pub url: String,
    /// `YYYY-MM-DD`; none for a week without a date, which keeps its place.
    pub date: Option<&'a str>,
    /// The first items of the week's objectives list, as text.
    pub objectives: Vec<String>,
}

/// What `print.html` is told besides `site` and `page`.
#[derive(Serialize)]
pub struct PrintContext<'a> {
    pub page: PageContext<'a>,
    /// Every listed page in reading order, the home page first.
    pub sections: Vec<PrintSection<'a>>,
}

#[derive(Debug, Serialize)]
pub struct PrintSection<'a> {
    /// The section's id in the document (`p3`); its body's ids start with `p3-`.
    pub anchor: String,
    pub number: Option<&'a str>,
    pub title: &'a str,
    /// 0 for the home page, 1 for chapters.
    pub depth: usize,
    pub date: Option<&'a str>,
    /// The body, its links to pages of the journal pointing inside the document.
    pub content: String,
}

impl Renderer {
    /// The timeline (when `timeline`) and the print page of one language, unless a page
    /// of the site has their URL (the site's own page wins).
    pub fn render_documents(
        &self,
        layout: &SiteLayout,
        tree: &ContentTree,
        bodies: &[RenderedBody],
        print: &PrintDocument,
        config: &Config,
        timeline: bool,
    ) -> Result<Vec<(String, Content)>, Vec<crate::diagnostics::Diagnostic>> {
        let mut files = Vec::new();
        let timeline_path = format!("{}{TIMELINE}", config.language_prefix);
        if timeline && !taken(tree, &timeline_path) {
            let context = TimelineContext {
                page: self.generated_page(layout, config, "timeline", TIMELINE),
                nav: if layout.shared { "" } else { NAV_SLOT },
                weeks: weeks_of(tree, bodies, config),
            };
            let html = Context::from_serialize(&context)
                .and_then(|ctx| layout.tera.render("timeline.html", &ctx))
                .map_err(|e| {
                    while_rendering(
                        template_errors(&e, &self.theme),
                        &format!("the timeline, {timeline_path}"),
                    )
                })?;
            let fragment = PageNav {
                nav: Arc::clone(&layout.nav),
                current: None,
                ancestors: Vec::new(),
            };
            let content = relative_if_asked(spliced(html, fragment), &timeline_path, config);
            files.push((format!("{timeline_path}index.html"), content));
        }
        files.extend(print.page(config));
        Ok(files)
    }

    /// The print page around its bodies: rendered once per tree, the bodies put in place
    /// for each version ([`PrintDocument::page`]).
    fn print_frame(
        &self,
        layout: &SiteLayout,
        tree: &ContentTree,
        config: &Config,
    ) -> Result<Option<String>, Vec<crate::diagnostics::Diagnostic>> {
        let print_path = format!("{}{PRINT}", config.language_prefix);
        if taken(tree, &print_path) {
            return Ok(None);
        }
        let context = PrintContext {
            page: self.generated_page(layout, config, "print", PRINT),
            sections: print_sections(layout, tree),
        };
        Context::from_serialize(&context)
            .and_then(|ctx| layout.tera.render("print.html", &ctx))
            .map(Some)
            .map_err(|e| {
                while_rendering(
                    template_errors(&e, &self.theme),
                    &format!("the print page, {print_path}"),
                )
            })
    }

    /// `page` for a generated page: titled with the theme's word for `kind`, and in
    /// every language (each has its own).
    fn generated_page<'a>(
        &self,
        layout: &'a SiteLayout,
        config: &Config,
        kind: &'static str,
        dir: &str,
    ) -> PageContext<'a> {
        let title = layout
            .site
            .i18n
            .get(kind)
            .and_then(|v| v.as_str())
            .unwrap_or(kind);
        let path = format!("{}{dir}", config.language_prefix);
        let languages = &layout.surroundings.languages;
        let versions: Vec<LanguageLink> = languages
            .iter()
            .map(|l| LanguageLink {
                url: format!("{}{dir}", l.url),
                ..l.clone()
            })
            .collect();
        PageContext {
            kind,
            title,
            menu_title: title,
            number: None,
            url: config.url(&path),
            permalink: config.permalink(&path),
            date: None,
            description: None,
            chapter: false,
            content: "",
            title_id: None,
            toc: &[],
            params: &layout.empty,
            children: Vec::new(),
            attachments: Vec::new(),
            breadcrumbs: Vec::new(),
            prev: None,
            next: None,
            source: None,
            languages: language_choices(languages, &config.language, &versions),
        }
    }
}

/// Whether a page of the site has this path.
fn taken(tree: &ContentTree, path: &str) -> bool {
    tree.pages.iter().any(|p| p.path == path)
}

/// The print page of one language: its frame, rendered once, and each listed page's body
/// as the document has it, so that a body edit remakes one body and no template.
#[derive(Debug, Clone, Default)]
pub struct PrintDocument {
    /// `None` when a page of the site is at `/print/`.
    frame: Option<String>,
    /// In reading order.
    bodies: Vec<String>,
}

impl PrintDocument {
    pub fn new(
        renderer: &Renderer,
        layout: &SiteLayout,
        tree: &ContentTree,
        bodies: &[RenderedBody],
        config: &Config,
    ) -> Result<PrintDocument, Vec<crate::diagnostics::Diagnostic>> {
        let frame = renderer.print_frame(layout, tree, config)?;
        let anchors = PrintAnchors::new(layout, tree);
        let bodies = (0..layout.surroundings.order.len())
            .map(|i| print_body(layout, tree, bodies, config, &anchors, i))
            .collect();
        Ok(PrintDocument { frame, bodies })
    }

    /// Page `id`'s body made again from `bodies`; the one it replaces comes back, to be
    /// put back with [`Self::restore`] if the update fails.
    pub fn update(
        &mut self,
        layout: &SiteLayout,
        tree: &ContentTree,
        bodies: &[RenderedBody],
        config: &Config,
        id: crate::content::PageId,
    ) -> Option<(usize, String)> {
        let i = layout.surroundings.order.iter().position(|&o| o == id)?;
        let anchors = PrintAnchors::new(layout, tree);
        let body = print_body(layout, tree, bodies, config, &anchors, i);
        Some((i, std::mem::replace(&mut self.bodies[i], body)))
    }

    pub fn restore(&mut self, (i, body): (usize, String)) {
        self.bodies[i] = body;
    }

    /// The page, when the site does not have its own at `/print/`.
    fn page(&self, config: &Config) -> Option<(String, Content)> {
        let frame = self.frame.as_deref()?;
        let path = format!("{}{PRINT}", config.language_prefix);
        let html = with_bodies(frame, &self.bodies);
        let content = relative_if_asked(Content::Bytes(html.into_bytes()), &path, config);
        Some((format!("{path}index.html"), content))
    }
}

/// The weeks in reading order, dated or not.
fn weeks_of<'a>(
    tree: &'a ContentTree,
    bodies: &[RenderedBody],
    config: &Config,
) -> Vec<TimelineWeek<'a>> {
    weeks::listed(tree)
        .into_iter()
        .map(|(id, week)| {
            let page = &tree.pages[id];
            TimelineWeek {
                week,
                number: page.number.as_deref(),
                title: page.menu_title(),
                url: config.url(&page.path),
                date: page.front.date_ymd(),
                objectives: objectives(&bodies[id].html),
            }
        })
        .collect()
}

/// The first items of the list under the first heading that names objectives
/// ("Week 7 Objectives", "Mục tiêu tuần 7"), as text: nested lists left out.
pub fn objectives(html: &str) -> Vec<String> {
    let mut rest = html;
    while let Some(at) = rest.find("<h") {
        let heading = &rest[at..];
        let Some(end) = heading.find("</h") else {
            break;
        };
        let title = crate::text::strip_tags(&heading[..end]).to_lowercase();
        rest = &heading[end..];
        if !(title.contains("objective") || title.contains("mục tiêu")) {
            continue;
        }
        let next_heading = rest[3..].find("<h").map_or(rest.len(), |i| i + 3);
        let section = &rest[..next_heading];
        let Some(list) = section.find("<ul").or_else(|| section.find("<ol")) else {
            return Vec::new();
        };
        return top_items(&section[list..], OBJECTIVES);
    }
    Vec::new()
}

/// The text of the first `max` items of the list `html` starts with.
fn top_items(html: &str, max: usize) -> Vec<String> {
    let mut items = Vec::new();
    let mut depth = 0usize;
    let mut current: Option<String> = None;
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        if depth == 1
            && let Some(text) = &mut current
        {
            text.push_str(&rest[..open]);
        }
        let Some(close) = rest[open..].find('>') else {
            break;
        };
        let tag = &rest[open + 1..open + close];
        rest = &rest[open + close + 1..];
        let closing = tag.starts_with('/');
        let name = tag
            .trim_start_matches('/')
            .split(|c: char| c.is_whitespace() || c == '/')
            .next()
            .unwrap_or("");
        match (closing, name) {
            (false, "ul" | "ol") => depth += 1,
            (true, "ul" | "ol") => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    break;
                }
            }
            (false, "li") if depth == 1 => current = Some(String::new()),
            (true, "li") if depth == 1 => {
                let text = current.take().unwrap_or_default();
                let text = crate::text::unescape_entities(&text);
                let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
                if !text.is_empty() {
                    items.push(text);
                }
                if items.len() == max {
                    break;
                }
            }
            _ => {}
        }
    }
    items
}

/// Every listed page in reading order. Each section's `content` is a placeholder, put in
/// place after the template has rendered ([`with_bodies`]): the template is not handed the
/// whole journal's text to copy, and a body edit remakes one body, not all.
fn print_sections<'a>(layout: &SiteLayout, tree: &'a ContentTree) -> Vec<PrintSection<'a>> {
    layout
        .surroundings
        .order
        .iter()
        .enumerate()
        .map(|(i, &id)| {
            let page = &tree.pages[id];
            PrintSection {
                content: format!("{BODY_START}{i}{BODY_END}"),
                anchor: format!("p{i}"),
                number: page.number.as_deref(),
                title: &page.title,
                depth: tree.ancestors(id).len(),
                date: page.front.date_ymd(),
            }
        })
        .collect()
}

const BODY_START: char = '\u{E002}';
const BODY_END: char = '\u{E003}';

/// The rendered print page with each section's body in place of its placeholder.
fn with_bodies(html: &str, print: &[String]) -> String {
    let mut out = String::with_capacity(html.len() + print.iter().map(String::len).sum::<usize>());
    let mut rest = html;
    while let Some(start) = rest.find(BODY_START) {
        out.push_str(&rest[..start]);
        let after = &rest[start + BODY_START.len_utf8()..];
        let Some(end) = after.find(BODY_END) else {
            break;
        };
        match after[..end]
            .parse::<usize>()
            .ok()
            .and_then(|i| print.get(i))
        {
            Some(body) => out.push_str(body),
            None => out
                .push_str(&rest[start..start + BODY_START.len_utf8() + end + BODY_END.len_utf8()]),
        }
        rest = &after[end + BODY_END.len_utf8()..];
    }
    out.push_str(rest);
    out
}

/// Where each listed page's section is in the print page: its path to its anchor.
struct PrintAnchors(HashMap<String, String>);

impl PrintAnchors {
    fn new(layout: &SiteLayout, tree: &ContentTree) -> PrintAnchors {
        PrintAnchors(
            layout
                .surroundings
                .order
                .iter()
                .enumerate()
                .map(|(i, &id)| (tree.pages[id].path.clone(), format!("p{i}")))
                .collect(),
        )
    }
}

/// The body of the `i`th listed page as the print page has it.
fn print_body(
    layout: &SiteLayout,
    tree: &ContentTree,
    bodies: &[RenderedBody],
    config: &Config,
    anchors: &PrintAnchors,
    i: usize,
) -> String {
    let id = layout.surroundings.order[i];
    let page = &tree.pages[id];
    let (html, _) = without_title_heading(&bodies[id].html, &page.title);
    in_document(html, &format!("p{i}"), &page.path, &anchors.0, config)
}

/// A body moved into the print document as section `anchor`: its ids prefixed so that
/// they stay unique, its links to pages of the document made anchors, its other relative
/// links and images made absolute (they were relative to the page's own URL).
fn in_document(
    html: &str,
    anchor: &str,
    page_dir: &str,
    anchors: &HashMap<String, String>,
    config: &Config,
) -> String {
    let html = prefix_ids(html, anchor);
    let rewritten = links::rewrite_html_urls(&html, |url| {
        let url = url.trim();
        if let Some(fragment) = url.strip_prefix('#') {
            return Some(format!("#{anchor}-{fragment}"));
        }
        if !is_internal(url) {
            return None;
        }
        let split = url.find(['?', '#']).unwrap_or(url.len());
        let (path, suffix) = url.split_at(split);
        let decoded = links::percent_decode(path);
        let site_path = match decoded.strip_prefix(&config.base_path) {
            Some(inside) if path.starts_with('/') => inside.to_string(),
            None if path.starts_with('/') => decoded.trim_start_matches('/').to_string(),
            _ => format!("{page_dir}{decoded}"),
        };
        let site_path = normalise(&site_path);
        let page = anchors
            .get(&site_path)
            .or_else(|| anchors.get(&format!("{site_path}/")));
        match (page, suffix.strip_prefix('#')) {
            (Some(target), Some(fragment)) if !fragment.is_empty() => {
                Some(format!("#{target}-{fragment}"))
            }
            (Some(target), _) => Some(format!("#{target}")),
            (None, _) if path.starts_with('/') => None,
            (None, _) => Some(format!("{}{site_path}{suffix}", config.base_path)),
        }
    });
    rewritten.unwrap_or(html)
}

/// Resolves `.` and `..` (never above the site).
fn normalise(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    let mut out = parts.join("/");
    if path.ends_with('/') && !out.is_empty() {
        out.push('/');
    }
    out
}

/// `id="x"` → `id="p3-x"`.
fn prefix_ids(html: &str, anchor: &str) -> String {
    let mut out = String::with_capacity(html.len() + 64);
    let mut rest = html;
    while let Some(i) = rest.find(" id=\"") {
        out.push_str(&rest[..i + 5]);
        out.push_str(anchor);
        out.push('-');
        rest = &rest[i + 5..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn objectives_are_the_first_items_of_the_objectives_list() {
        let html = "<h3 id=\"a\">Week 7 Objectives:</h3>\n<ul>\n<li>Learn <strong>S3</strong> &amp; IAM</li>\n<li>Two\n<ul><li>nested</li></ul>\n</li>\n<li>Three</li>\n<li>Four</li>\n</ul>\n<h3>Tasks</h3><ul><li>x</li></ul>";
        assert_eq!(objectives(html), ["Learn S3 & IAM", "Two", "Three"]);
        assert!(objectives("<h3>Tasks</h3><ul><li>x</li></ul>").is_empty());
        let vi = "<h3 id=\"m\">Mục tiêu tuần 2:</h3>\n<ol><li>Một</li></ol>";
        assert_eq!(objectives(vi), ["Một"]);
    }

    #[test]
    fn bodies_in_the_document_keep_unique_ids_and_inner_links() {
        let anchors: HashMap<String, String> = [("", "p0"), ("1-worklog/1.2-week2/", "p5")]
            .into_iter()
            .map(|(p, a)| (p.to_string(), a.to_string()))
            .collect();
        let config = Config::default();
        let html = "<h2 id=\"goals\">G</h2><a href=\"#goals\">g</a> <a href=\"../1.2-week2/#tasks\">w</a> <a href=\"/1-worklog/1.2-week2/\">w</a> <img src=\"files/a.png\"> <a href=\"https://x.org/\">x</a>";
        assert_eq!(
            in_document(html, "p4", "1-worklog/1.1-week1/", &anchors, &config),
            "<h2 id=\"p4-goals\">G</h2><a href=\"#p4-goals\">g</a> <a href=\"#p5-tasks\">w</a> <a href=\"#p5\">w</a> <img src=\"/1-worklog/1.1-week1/files/a.png\"> <a href=\"https://x.org/\">x</a>"
        );
    }
}
