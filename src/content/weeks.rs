//! Which pages are the journal's weeks: the pages numbered as weeks ("Week 7" in their
//! folder name or title) of the section that holds the most of them. `new week`, the
//! timeline and the print page all find them here.

use super::{ContentTree, Page, PageId, PageKind};

const WEEK_WORDS: [&str; 2] = ["week", "tuần"];

/// The week a page is: the number after "week" in its folder or file name, or in its title.
pub fn week_of(page: &Page) -> Option<u32> {
    let name = page.key.last()?;
    number_after_word(name)
        .or_else(|| number_after_word(&page.title))
        .map(|(_, n)| n)
}

/// The section holding the most weeks (the first such in the tree's order).
pub fn section(tree: &ContentTree) -> Option<PageId> {
    let mut counts: Vec<(PageId, usize)> = Vec::new();
    for page in &tree.pages {
        if page.kind == PageKind::Home || page.source.is_none() || week_of(page).is_none() {
            continue;
        }
        let Some(parent) = page.parent else { continue };
        match counts.iter_mut().find(|(p, _)| *p == parent) {
            Some((_, n)) => *n += 1,
            None => counts.push((parent, 1)),
        }
    }
    counts
        .iter()
        .rev()
        .max_by_key(|(_, n)| *n)
        .map(|&(parent, _)| parent)
}

/// The listed weeks in reading order, with their numbers.
pub fn listed(tree: &ContentTree) -> Vec<(PageId, u32)> {
    let Some(section) = section(tree) else {
        return Vec::new();
    };
    tree.reading_order()
        .into_iter()
        .filter(|&id| tree.pages[id].parent == Some(section))
        .filter_map(|id| Some((id, week_of(&tree.pages[id])?)))
        .collect()
}

/// The byte range and value of the number following "week" (or "tuần"), letter case and
/// separators (` `, `-`, `_`, `.`) aside.
pub fn number_after_word(text: &str) -> Option<(std::ops::Range<usize>, u32)> {
    let lower = text.to_lowercase();
    // Lowercasing may change lengths outside ASCII; positions are then not trusted.
    if lower.len() != text.len() {
        return None;
    }
    WEEK_WORDS.iter().find_map(|word| {
        lower.match_indices(word).find_map(|(i, w)| {
            let after = i + w.len();
            let start = after
                + text[after..]
                    .find(|c: char| !matches!(c, ' ' | '-' | '_' | '.'))
                    .unwrap_or(text.len() - after);
            let len = text[start..]
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(text.len() - start);
            let n = text[start..start + len].parse().ok()?;
            Some((start..start + len, n))
        })
    })
}
