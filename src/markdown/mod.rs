//! The Markdown stage: GFM to HTML with heading ids, a table of contents, GitHub alerts
//! and links placed under the site's base path.
//!
//! Works on one page body at a time and knows nothing of the tree, themes or output.

pub mod ids;
pub mod links;

use pulldown_cmark::{BlockQuoteKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use rayon::prelude::*;
use serde::Serialize;

use crate::content::ContentTree;
use ids::{IdSet, slugify};

/// A page body turned into HTML.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RenderedBody {
    pub html: String,
    pub toc: Vec<TocEntry>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    /// Plain text of the heading.
    pub title: String,
    pub children: Vec<TocEntry>,
}

/// What rendering needs to know about the site.
#[derive(Debug, Clone)]
pub struct MarkdownOptions {
    /// The base path links are placed under (`/` or `/journal/`).
    pub base_path: String,
}

fn parser_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
        | Options::ENABLE_DEFINITION_LIST
}

/// A heading being read: its HTML is written once its text, and so its id, is known.
struct OpenHeading<'a> {
    level: HeadingLevel,
    id: Option<CowStr<'a>>,
    classes: Vec<CowStr<'a>>,
    inner: Vec<Event<'a>>,
}

/// Renders every page body, in parallel; the result is indexed like `tree.pages`.
pub fn render_all(tree: &ContentTree, options: &MarkdownOptions) -> Vec<RenderedBody> {
    tree.pages
        .par_iter()
        .map(|p| render(&p.body, options))
        .collect()
}

pub fn render(markdown: &str, options: &MarkdownOptions) -> RenderedBody {
    let mut events: Vec<Event> = Vec::new();
    let mut headings: Vec<(u8, String, String)> = Vec::new();
    let mut ids = IdSet::default();
    let mut heading: Option<OpenHeading> = None;

    for event in Parser::new_ext(markdown, parser_options()) {
        if let Some(OpenHeading {
            level,
            id,
            classes,
            inner,
        }) = &mut heading
        {
            if let Event::End(TagEnd::Heading(_)) = event {
                let text = plain_text(inner);
                let id = match id.take() {
                    Some(explicit) => ids.unique(explicit.to_string()),
                    None => ids.unique(slugify(&text)),
                };
                let mut inner_html = String::new();
                pulldown_cmark::html::push_html(&mut inner_html, std::mem::take(inner).into_iter());
                let n = *level as u8;
                let class_attr = if classes.is_empty() {
                    String::new()
                } else {
                    format!(" class=\"{}\"", escape_attr(&classes.join(" ")))
                };
                events.push(Event::Html(
                    format!(
                        "<h{n} id=\"{}\"{class_attr}>{inner_html}</h{n}>\n",
                        escape_attr(&id)
                    )
                    .into(),
                ));
                headings.push((n, id, text));
                heading = None;
            } else {
                inner.push(rewrite(event, options));
            }
            continue;
        }
        match event {
            Event::Start(Tag::Heading {
                level, id, classes, ..
            }) => {
                heading = Some(OpenHeading {
                    level,
                    id,
                    classes,
                    inner: Vec::new(),
                });
            }
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                let (class, label) = alert(kind);
                events.push(Event::Html(
                    format!("<div class=\"alert alert-{class}\" role=\"note\">\n<p class=\"alert-title\">{label}</p>\n").into(),
                ));
            }
            Event::End(TagEnd::BlockQuote(Some(_))) => events.push(Event::Html("</div>\n".into())),
            Event::Start(Tag::Table(_)) => {
                // Wide week tables scroll inside their own box instead of the whole page.
                events.push(Event::Html("<div class=\"table-wrap\">".into()));
                events.push(event);
            }
            Event::End(TagEnd::Table) => {
                events.push(event);
                events.push(Event::Html("</div>\n".into()));
            }
            other => events.push(rewrite(other, options)),
        }
    }

    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    RenderedBody {
        html,
        toc: nest(headings),
    }
}

/// Places root-absolute link, image and raw HTML URLs under the base path.
fn rewrite<'a>(event: Event<'a>, options: &MarkdownOptions) -> Event<'a> {
    let base = options.base_path.as_str();
    match event {
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            let dest_url = links::rebase(&dest_url, base).map_or(dest_url, CowStr::from);
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            })
        }
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            let dest_url = links::rebase(&dest_url, base).map_or(dest_url, CowStr::from);
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            })
        }
        Event::Html(h) => Event::Html(links::rebase_html(&h, base).map_or(h, CowStr::from)),
        Event::InlineHtml(h) => {
            Event::InlineHtml(links::rebase_html(&h, base).map_or(h, CowStr::from))
        }
        other => other,
    }
}

fn alert(kind: BlockQuoteKind) -> (&'static str, &'static str) {
    match kind {
        BlockQuoteKind::Note => ("note", "Note"),
        BlockQuoteKind::Tip => ("tip", "Tip"),
        BlockQuoteKind::Important => ("important", "Important"),
        BlockQuoteKind::Warning => ("warning", "Warning"),
        BlockQuoteKind::Caution => ("caution", "Caution"),
    }
}

fn plain_text(events: &[Event]) -> String {
    let mut s = String::new();
    for e in events {
        if let Event::Text(t) | Event::Code(t) = e {
            s.push_str(t);
        }
    }
    s
}

fn escape_attr(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
}

/// Flat `(level, id, text)` headings to a tree: each heading nests under the closest
/// previous heading of a smaller level.
fn nest(headings: Vec<(u8, String, String)>) -> Vec<TocEntry> {
    fn insert(into: &mut Vec<TocEntry>, entry: TocEntry) {
        match into.last_mut() {
            Some(last) if last.level < entry.level => insert(&mut last.children, entry),
            _ => into.push(entry),
        }
    }
    let mut toc = Vec::new();
    for (level, id, title) in headings {
        insert(
            &mut toc,
            TocEntry {
                level,
                id,
                title,
                children: Vec::new(),
            },
        );
    }
    toc
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md(s: &str) -> RenderedBody {
        render(
            s,
            &MarkdownOptions {
                base_path: "/j/".into(),
            },
        )
    }

    #[test]
    fn headings_get_unique_ids_and_a_toc() {
        let r = md("## Goals\n### Notes\n### Notes\n## Done\n");
        assert!(r.html.contains("<h2 id=\"goals\">Goals</h2>"));
        assert!(r.html.contains("<h3 id=\"notes-1\">Notes</h3>"));
        assert_eq!(r.toc.len(), 2);
        assert_eq!(r.toc[0].children.len(), 2);
    }

    #[test]
    fn alerts_tables_and_literal_brackets() {
        let r = md(
            "> [!NOTE]\n> hi\n\n| a | b |\n|---|---|\n| x<br>&emsp;y | [l](/p/) |\n\n[Image of AWS]\n",
        );
        assert!(
            r.html.contains("<div class=\"alert alert-note\""),
            "{}",
            r.html
        );
        assert!(
            r.html.contains("<div class=\"table-wrap\"><table>"),
            "{}",
            r.html
        );
        assert!(r.html.contains("x<br>\u{2003}y"), "{}", r.html);
        assert!(r.html.contains("href=\"/j/p/\""), "{}", r.html);
        assert!(r.html.contains("[Image of AWS]"), "{}", r.html);
    }
}
