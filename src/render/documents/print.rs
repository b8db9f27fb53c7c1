//! The print page's bodies: every listed page moved into one document, with ids that stay
//! unique and links that stay inside it.

use std::collections::HashMap;

use crate::config::Config;
use crate::content::ContentTree;
use crate::markdown::RenderedBody;
use crate::markdown::links::{self, is_internal};
use crate::render::SiteLayout;
use crate::render::context::without_title_heading;

use super::PrintSection;

/// Every listed page in reading order. Each section's `content` is a placeholder, put in
/// place after the template has rendered ([`with_bodies`]): the template is not handed the
/// whole journal's text to copy, and a body edit remakes one body, not all.
pub(super) fn print_sections<'a>(
    layout: &SiteLayout,
    tree: &'a ContentTree,
) -> Vec<PrintSection<'a>> {
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
                show_date: layout.surroundings.shows_date(tree, id),
            }
        })
        .collect()
}

const BODY_START: char = '\u{E002}';
const BODY_END: char = '\u{E003}';

/// The rendered print page with each section's body in place of its placeholder.
pub(super) fn with_bodies(html: &str, print: &[String]) -> String {
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
pub(super) struct PrintAnchors(HashMap<String, String>);

impl PrintAnchors {
    pub(super) fn new(layout: &SiteLayout, tree: &ContentTree) -> PrintAnchors {
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
pub(super) fn print_body(
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
