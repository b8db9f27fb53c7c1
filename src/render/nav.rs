//! The navigation tree, rendered once per language and specialised per page by splicing.
//!
//! Every page shows the whole tree with its own entry highlighted and its ancestors open.
//! Rendering that template per page costs N² template work; instead the theme's
//! `nav.html` is rendered once with placeholder marks, cut at the marks, and each page's
//! copy is the pieces joined with `open` / `aria-current="page"` put in at its own marks.

use std::collections::HashSet;

use serde::Serialize;

use crate::content::{ContentTree, PageId};

/// Marks are private-use characters around `o<id>` / `c<id>`: they cannot come from
/// escaped titles by accident, and never reach the output.
const MARK_START: char = '\u{E000}';
const MARK_END: char = '\u{E001}';

#[derive(Debug, Serialize)]
pub struct NavItem {
    pub title: String,
    pub number: Option<String>,
    pub url: String,
    /// Put inside the tag that opens (`<details{{ item.open_attr }}>`): becomes ` open`
    /// on the current page and its ancestors.
    pub open_attr: String,
    /// Put inside the item's link: becomes ` aria-current="page"` on the current page.
    pub current_attr: String,
    pub children: Vec<NavItem>,
}

/// The listed children of the root, as nested items.
pub fn items(tree: &ContentTree, url_of: &dyn Fn(PageId) -> String) -> Vec<NavItem> {
    fn build(tree: &ContentTree, id: PageId, url_of: &dyn Fn(PageId) -> String) -> NavItem {
        let page = &tree.pages[id];
        NavItem {
            title: page.menu_title().to_string(),
            number: page.number.clone(),
            url: url_of(id),
            open_attr: format!("{MARK_START}o{id}{MARK_END}"),
            current_attr: format!("{MARK_START}c{id}{MARK_END}"),
            children: listed_children(tree, id)
                .map(|c| build(tree, c, url_of))
                .collect(),
        }
    }
    listed_children(tree, tree.root)
        .map(|c| build(tree, c, url_of))
        .collect()
}

fn listed_children(tree: &ContentTree, id: PageId) -> impl Iterator<Item = PageId> + '_ {
    tree.pages[id]
        .children
        .iter()
        .copied()
        .filter(|&c| tree.pages[c].is_listed())
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Mark {
    Open(PageId),
    Current(PageId),
}

/// The rendered nav, cut at its marks.
#[derive(Debug, Clone, Default)]
pub struct NavTemplate {
    pieces: Vec<(String, Option<Mark>)>,
    len: usize,
    /// A hash of the rendered nav: two pages showing equal navs have equal fingerprints.
    pub hash: u64,
}

impl NavTemplate {
    pub fn parse(html: &str) -> NavTemplate {
        let mut pieces = Vec::new();
        let mut rest = html;
        while let Some(start) = rest.find(MARK_START) {
            let after = &rest[start + MARK_START.len_utf8()..];
            let Some(end) = after.find(MARK_END) else {
                break;
            };
            let mark = &after[..end];
            let id = mark.get(1..).and_then(|n| n.parse().ok());
            let mark = match (mark.chars().next(), id) {
                (Some('o'), Some(id)) => Some(Mark::Open(id)),
                (Some('c'), Some(id)) => Some(Mark::Current(id)),
                _ => None,
            };
            pieces.push((rest[..start].to_string(), mark));
            rest = &after[end + MARK_END.len_utf8()..];
        }
        pieces.push((rest.to_string(), None));
        let len = pieces.iter().map(|(s, _)| s.len()).sum();
        NavTemplate {
            pieces,
            len,
            hash: crate::output::fnv1a(html.as_bytes()),
        }
    }

    /// The nav as `current` sees it: itself current, itself and its ancestors open.
    /// `None` gives the tree with nothing marked (the 404 page, the shared nav file).
    pub fn for_page(&self, current: Option<PageId>, ancestors: &[PageId]) -> String {
        let mut out = String::with_capacity(self.len + 64);
        self.write_for_page(&mut out, current, ancestors);
        out
    }

    pub fn write_for_page(&self, out: &mut String, current: Option<PageId>, ancestors: &[PageId]) {
        let open: HashSet<PageId> = ancestors.iter().copied().chain(current).collect();
        for (text, mark) in &self.pieces {
            out.push_str(text);
            match mark {
                Some(Mark::Open(id)) if open.contains(id) => out.push_str(" open"),
                Some(Mark::Current(id)) if Some(*id) == current => {
                    out.push_str(" aria-current=\"page\"")
                }
                _ => {}
            }
        }
    }

    /// Bytes of the nav without marks.
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_are_replaced_per_page() {
        let html = format!(
            "<details{s}o1{e}><a{s}c1{e}>A</a><details{s}o2{e}><a{s}c2{e}>B</a></details></details>",
            s = MARK_START,
            e = MARK_END
        );
        let nav = NavTemplate::parse(&html);
        assert_eq!(
            nav.for_page(Some(2), &[1]),
            "<details open><a>A</a><details open><a aria-current=\"page\">B</a></details></details>"
        );
        assert_eq!(
            nav.for_page(None, &[]),
            "<details><a>A</a><details><a>B</a></details></details>"
        );
    }
}
