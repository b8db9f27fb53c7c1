//! Paths: Hugo's URL form of a content path, and natural ordering of paths.

use std::cmp::Ordering;

/// Hugo's `urlize` of one path segment: characters a URL path keeps are kept, runs of
/// spaces (and other dropped separators) become one `-`, everything else is dropped,
/// then the result is lowercased (`5.2-Tips, Tricks & Café` → `5.2-tips-tricks-café`).
pub fn urlize(segment: &str, lowercase: bool) -> String {
    let mut out = String::with_capacity(segment.len());
    let mut pending_hyphen = false;
    let chars: Vec<char> = segment.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let percent_escape = c == '%'
            && chars.get(i + 1).is_some_and(char::is_ascii_hexdigit)
            && chars.get(i + 2).is_some_and(char::is_ascii_hexdigit);
        let allowed = matches!(c, '.' | '_' | '#' | '+' | '~' | '-' | '@')
            || c.is_alphanumeric()
            || percent_escape;
        if allowed {
            if pending_hyphen && c != '-' && !out.ends_with('-') {
                out.push('-');
            }
            pending_hyphen = false;
            out.push(c);
        } else if !out.is_empty() && c.is_whitespace() {
            pending_hyphen = true;
        }
    }
    if lowercase { out.to_lowercase() } else { out }
}

/// Natural order: digit runs compare as numbers, so `1.10-Week10` comes after `1.9-Week9`.
/// Text compares case-insensitively first, then exactly, so the order is total.
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (mut x, mut y) = (a, b);
    loop {
        match (x.is_empty(), y.is_empty()) {
            (true, true) => return a.cmp(b),
            (true, false) => return Ordering::Less,
            (false, true) => return Ordering::Greater,
            _ => {}
        }
        let (cx, rx) = take_chunk(x);
        let (cy, ry) = take_chunk(y);
        let ord = match (is_digits(cx), is_digits(cy)) {
            (true, true) => {
                let (tx, ty) = (cx.trim_start_matches('0'), cy.trim_start_matches('0'));
                tx.len().cmp(&ty.len()).then_with(|| tx.cmp(ty))
            }
            _ => cx.to_lowercase().cmp(&cy.to_lowercase()),
        };
        if ord != Ordering::Equal {
            return ord;
        }
        x = rx;
        y = ry;
    }
}

fn is_digits(s: &str) -> bool {
    s.as_bytes().first().is_some_and(u8::is_ascii_digit)
}

fn take_chunk(s: &str) -> (&str, &str) {
    let digit = is_digits(s);
    let end = s
        .char_indices()
        .find(|&(_, c)| c.is_ascii_digit() != digit)
        .map_or(s.len(), |(i, _)| i);
    s.split_at(end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urlize_like_hugo() {
        assert_eq!(urlize("1.7-Week7", true), "1.7-week7");
        assert_eq!(
            urlize("3.5-Tips, Tricks & Café notes", true),
            "3.5-tips-tricks-café-notes"
        );
        assert_eq!(urlize("My  Page", true), "my-page");
        assert_eq!(urlize("Mixed", false), "Mixed");
    }

    #[test]
    fn natural_order() {
        let mut v = vec![
            "1.10-Week10",
            "1.9-Week9",
            "1.1-Week1",
            "1.2-Week2",
            "1.11-Week11",
        ];
        v.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(
            v,
            [
                "1.1-Week1",
                "1.2-Week2",
                "1.9-Week9",
                "1.10-Week10",
                "1.11-Week11"
            ]
        );
        assert_eq!(natural_cmp("a", "B"), Ordering::Less);
        assert_eq!(natural_cmp("x/2", "x/10"), Ordering::Less);
    }
}
