//! Chapter numbers: read from `pre` (`" <b> 1.7. </b> "` → `1.7`) or derived from the
//! tree order (`1`, `1.1`, `1.2`, …).

use super::{ContentTree, PageId};
use crate::text::strip_tags;

/// The first dotted number in `pre`'s text, without its trailing dot.
pub fn number_from_pre(pre: &str) -> Option<String> {
    let text = strip_tags(pre);
    let start = text.find(|c: char| c.is_ascii_digit())?;
    let rest = &text[start..];
    let end = rest
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(rest.len());
    let number = rest[..end].trim_end_matches('.');
    (!number.is_empty()).then(|| number.to_string())
}

/// Numbers every listed page below the root. With `derive_all`, `pre` is ignored.
pub fn assign(tree: &mut ContentTree, derive_all: bool) {
    let root = tree.root;
    assign_children(tree, root, None, derive_all);
}

fn assign_children(
    tree: &mut ContentTree,
    parent: PageId,
    prefix: Option<String>,
    derive_all: bool,
) {
    let children: Vec<PageId> = tree.pages[parent]
        .children
        .iter()
        .copied()
        .filter(|&c| tree.pages[c].is_listed())
        .collect();
    for (i, child) in children.into_iter().enumerate() {
        let derived = match &prefix {
            Some(p) => format!("{p}.{}", i + 1),
            None => (i + 1).to_string(),
        };
        let from_pre = if derive_all {
            None
        } else {
            tree.pages[child]
                .front
                .pre
                .as_deref()
                .and_then(number_from_pre)
        };
        let number = from_pre.unwrap_or(derived);
        tree.pages[child].number = Some(number.clone());
        assign_children(tree, child, Some(number), derive_all);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_from_pre() {
        assert_eq!(number_from_pre(" <b> 1.7. </b> ").as_deref(), Some("1.7"));
        assert_eq!(number_from_pre("<b>2. </b>").as_deref(), Some("2"));
        assert_eq!(number_from_pre("<b>3.3.1</b>").as_deref(), Some("3.3.1"));
        assert_eq!(number_from_pre("<i class='fa fa-bars'></i>"), None);
    }
}
