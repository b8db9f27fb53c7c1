//! Stylesheets and scripts published under names that carry a hash of their bytes
//! (`css/worklog.css` → `css/worklog.3f9a1c2b.css`), and the files static hosts look for
//! (`robots.txt`, `.nojekyll`).
//!
//! A hash in the query string (`?v=…`) is not enough: CloudFront's recommended cache
//! policy leaves query strings out of the cache key, so a new stylesheet would be served
//! stale. A name that changes with the bytes can be cached for a year.

use serde_json::{Map, Value};

use crate::config::Config;
use crate::output::Output;

/// Adds a fingerprinted copy of every CSS and JS file and returns, for each, the URL
/// templates link (`site.assets["css/worklog.css"]`). The file stays under its own name
/// too: a page or template may name it directly.
pub fn fingerprint(output: &mut Output, config: &Config) -> Map<String, Value> {
    let named: Vec<(String, String)> = output
        .iter()
        .filter(|(p, _)| p.ends_with(".css") || p.ends_with(".js"))
        .map(|(p, content)| (p.to_string(), fingerprinted(p, content.hash() as u32)))
        .collect();
    let mut urls = Map::new();
    for (path, hashed) in named {
        output.insert_copy(&path, hashed.clone());
        urls.insert(path, Value::String(config.url(&hashed)));
    }
    urls
}

/// `css/worklog.css` → `css/worklog.3f9a1c2b.css`.
fn fingerprinted(path: &str, hash: u32) -> String {
    let (stem, ext) = path.rsplit_once('.').unwrap_or((path, ""));
    format!("{stem}.{hash:08x}.{ext}")
}

/// Whether `path` is a name [`fingerprint`] gave: such a file never changes.
pub fn is_fingerprinted(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    let mut parts = name.rsplit('.');
    let (Some(_ext), Some(hash), Some(_stem)) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    hash.len() == 8 && hash.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// `css/worklog.3f9a1c2b.css` → `css/worklog.css`; other names as they are.
pub fn unfingerprinted(name: &str) -> String {
    if !is_fingerprinted(name) {
        return name.to_string();
    }
    let (rest, ext) = name.rsplit_once('.').unwrap_or((name, ""));
    let stem = rest.rsplit_once('.').map_or(rest, |(s, _)| s);
    format!("{stem}.{ext}")
}

/// The files static hosts read, where the site has none of its own: `robots.txt`
/// pointing at each language's sitemap by absolute URL (a crawler needs one), and
/// `.nojekyll`, without which GitHub Pages hides files and folders starting with `_`.
pub fn host_files(output: &mut Output, config: &Config, sitemap_prefixes: &[String]) {
    if !output.contains("robots.txt") {
        let mut robots = String::from("User-agent: *\nAllow: /\n");
        if config.base_url.contains("://") {
            for prefix in sitemap_prefixes {
                robots.push_str(&format!(
                    "Sitemap: {}\n",
                    config.permalink(&format!("{prefix}sitemap.xml"))
                ));
            }
        }
        output.insert("robots.txt", robots.into_bytes());
    }
    if !output.contains(".nojekyll") {
        output.insert(".nojekyll", Vec::new());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_carry_the_hash_and_lose_it_again() {
        let name = fingerprinted("css/worklog.css", 0x3f9a_1c2b);
        assert_eq!(name, "css/worklog.3f9a1c2b.css");
        assert!(is_fingerprinted(&name));
        assert_eq!(unfingerprinted(&name), "css/worklog.css");
        assert!(!is_fingerprinted("css/worklog.css"));
        assert!(!is_fingerprinted("a.min.css"));
        assert_eq!(unfingerprinted("js/a.min.js"), "js/a.min.js");
    }
}
