//! Link targets: root-absolute URLs (`/images/x.png`) are placed under the site's base
//! path, so a site published at `https://u.github.io/journal/` keeps working.

/// `/images/a.png` → `/journal/images/a.png`. Relative, external, protocol-relative and
/// fragment links are left alone, and so is a link that already carries the base path.
pub fn rebase(url: &str, base_path: &str) -> Option<String> {
    if base_path == "/" || !url.starts_with('/') || url.starts_with("//") {
        return None;
    }
    if url.starts_with(base_path) || url.trim_end_matches('/') == base_path.trim_end_matches('/') {
        return None;
    }
    Some(format!("{}{}", base_path, &url[1..]))
}

/// The same for `src="/…"` and `href="/…"` in raw HTML written in a page.
pub fn rebase_html(html: &str, base_path: &str) -> Option<String> {
    if base_path == "/" || !(html.contains("src=") || html.contains("href=")) {
        return None;
    }
    let mut out = String::with_capacity(html.len() + 32);
    let mut rest = html;
    let mut changed = false;
    while let Some(i) = find_url_attribute(rest) {
        let (before, after) = rest.split_at(i);
        out.push_str(before);
        let quote = after.as_bytes()[0] as char;
        let value_end = after[1..].find(quote).map_or(after.len(), |j| j + 1);
        let value = &after[1..value_end];
        out.push(quote);
        match rebase(value, base_path) {
            Some(new) => {
                out.push_str(&new);
                changed = true;
            }
            None => out.push_str(value),
        }
        rest = &after[value_end..];
    }
    out.push_str(rest);
    changed.then_some(out)
}

/// Offset of the opening quote of the next `src=` / `href=` value.
fn find_url_attribute(s: &str) -> Option<usize> {
    let lower = s.to_ascii_lowercase();
    let mut best: Option<usize> = None;
    for attr in ["src=", "href="] {
        let mut from = 0;
        while let Some(i) = lower[from..].find(attr) {
            let at = from + i;
            let preceded_ok = at == 0 || lower.as_bytes()[at - 1].is_ascii_whitespace();
            let q = at + attr.len();
            if preceded_ok && matches!(s.as_bytes().get(q), Some(b'"' | b'\'')) {
                best = Some(best.map_or(q, |b: usize| b.min(q)));
                break;
            }
            from = at + attr.len();
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rebases_root_links_once() {
        assert_eq!(
            rebase("/images/a.png", "/j/").as_deref(),
            Some("/j/images/a.png")
        );
        assert_eq!(rebase("/j/images/a.png", "/j/"), None);
        assert_eq!(rebase("images/a.png", "/j/"), None);
        assert_eq!(rebase("//cdn.x/a", "/j/"), None);
        assert_eq!(rebase("/images/a.png", "/"), None);
    }

    #[test]
    fn rebases_raw_html() {
        assert_eq!(
            rebase_html(
                r#"<img src="/images/a.png" alt="x"> <a href='/j/b/'>b</a>"#,
                "/j/"
            )
            .as_deref(),
            Some(r#"<img src="/j/images/a.png" alt="x"> <a href='/j/b/'>b</a>"#)
        );
        assert_eq!(rebase_html("<br>", "/j/"), None);
    }
}
