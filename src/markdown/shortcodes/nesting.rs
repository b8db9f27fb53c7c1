//! Which closing tag closes which opening tag, and how deep paired shortcodes nest.
//!
//! Both are found in one pass over the scanned tags, so that a body of many tags costs
//! time in proportion to their number. Knows nothing of what a shortcode does.

use std::collections::HashMap;

use super::parse::Item;

/// How many shortcodes may sit inside one another. Each level renders its inner content
/// again, and 1,000 nested `expand` overflowed the stack; no real page comes near this.
pub const MAX_NESTING: usize = 64;

/// For each opening tag, the index of its closing tag. A closing tag closes the nearest
/// open tag of its name; tags left open inside it stand alone.
pub fn pair(items: &[Item]) -> Vec<Option<usize>> {
    let mut closers = vec![None; items.len()];
    // Every open tag in order, and each name's open tags as positions in `open`: a closer
    // finds its opener without searching the whole stack.
    let mut open: Vec<(usize, &str)> = Vec::new();
    let mut by_name: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, item) in items.iter().enumerate() {
        let Item::Tag(tag) = item else { continue };
        if tag.closing {
            let Some(&k) = by_name.get(tag.name.as_str()).and_then(|v| v.last()) else {
                continue;
            };
            closers[open[k].0] = Some(i);
            // The tags opened after it are the newest of their names: each leaves the top
            // of its name's list.
            for (_, name) in open.drain(k..) {
                by_name.get_mut(name).and_then(Vec::pop);
            }
        } else if !tag.self_closing {
            by_name
                .entry(tag.name.as_str())
                .or_default()
                .push(open.len());
            open.push((i, tag.name.as_str()));
        }
    }
    closers
}

/// For each outermost paired tag with more than `room` levels of paired tags in it
/// (itself included), the first tag past that depth.
pub fn too_deep(closers: &[Option<usize>], room: usize) -> Vec<Option<usize>> {
    let mut found = vec![None; closers.len()];
    // The closers of the paired tags around the current item, outermost first.
    let mut around: Vec<(usize, usize)> = Vec::new();
    for (i, closer) in closers.iter().enumerate() {
        while around.last().is_some_and(|&(_, c)| c <= i) {
            around.pop();
        }
        if let Some(c) = *closer {
            around.push((i, c));
            if around.len() > room {
                found[around[0].0].get_or_insert(i);
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::super::parse::scan;
    use super::*;

    #[test]
    fn pairs_nest_and_unclosed_tags_stand_alone() {
        let items = scan(
            "{{% expand %}}{{< figure >}}{{% notice %}}x{{% /notice %}}{{% /expand %}}{{< /nothing >}}",
        );
        assert_eq!(pair(&items), [Some(4), None, Some(3), None, None, None]);
    }

    #[test]
    fn a_closer_leaves_the_tags_opened_inside_it_unclosed() {
        let items = scan("{{< a >}}{{< b >}}{{< a >}}{{< /b >}}{{< /a >}}{{< /a >}}");
        // The inner `a` was left open by `/b`: the first `/a` closes the outer one.
        assert_eq!(pair(&items), [Some(4), Some(3), None, None, None, None]);
    }

    #[test]
    fn depth_beyond_the_room_names_the_first_tag_too_deep() {
        let items =
            scan("{{< a >}}{{< a >}}{{< a >}}{{< /a >}}{{< /a >}}{{< /a >}}{{< b >}}{{< /b >}}");
        let closers = pair(&items);
        assert_eq!(too_deep(&closers, 3), vec![None; 8]);
        let mut expected = vec![None; 8];
        expected[0] = Some(2);
        assert_eq!(too_deep(&closers, 2), expected);
        expected[0] = Some(0);
        expected[6] = Some(6);
        assert_eq!(too_deep(&closers, 0), expected);
    }
}
