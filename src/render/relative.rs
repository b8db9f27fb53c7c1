//! Hugo's `relativeURLs`: every link of a page written relative to the page, so the site
//! works from any folder, even opened from disk.

use crate::markdown::links::rewrite_html_urls;

/// Rewrites `href`/`src` values under `base_path` relative to `page_dir` (the page's
/// folder, site-relative: `1-worklog/1.7-week7/`).
pub fn relativize(html: &str, page_dir: &str, base_path: &str) -> Option<String> {
    let depth = page_dir.split('/').filter(|s| !s.is_empty()).count();
    rewrite_html_urls(html, |url| {
        let target = url.strip_prefix(base_path)?;
        if url.starts_with("//") {
            return None;
        }
        let up = "../".repeat(depth);
        Some(if up.is_empty() && target.is_empty() {
            "./".to_string()
        } else {
            format!("{up}{target}")
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_become_relative_to_the_page() {
        let html = r#"<a href="/j/">home</a><a href="/j/1-worklog/">w</a><link href="/j/css/a.css?v=1"><a href="https://x.io/j/">x</a>"#;
        assert_eq!(
            relativize(html, "1-worklog/1.7-week7/", "/j/").unwrap(),
            r#"<a href="../../">home</a><a href="../../1-worklog/">w</a><link href="../../css/a.css?v=1"><a href="https://x.io/j/">x</a>"#
        );
        assert_eq!(
            relativize(r#"<a href="/j/">h</a><img src="/j/a.png">"#, "", "/j/").unwrap(),
            r#"<a href="./">h</a><img src="a.png">"#
        );
    }
}
