//! The headers each object is uploaded with: `Content-Type` from its name (never none:
//! S3 would store `binary/octet-stream` and browsers would download the page), and
//! `Cache-Control` by rules, the site's own `[[deploy.headers]]` first.

use crate::config::HeaderRule;
use crate::pipeline::assets::is_fingerprinted;

/// Files named with a hash of their bytes never change.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// Everything else is checked with the origin on every use (a 304 when unchanged).
pub const REVALIDATE: &str = "no-cache";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Headers {
    pub content_type: String,
    pub cache_control: String,
}

/// The headers of the object of output path `path`: the first rule whose glob matches
/// sets what it names, the built-in defaults the rest.
pub fn headers(path: &str, rules: &[HeaderRule]) -> Headers {
    let matching = || rules.iter().filter(|r| glob_matches(&r.glob, path));
    Headers {
        content_type: matching()
            .find_map(|r| r.content_type.clone())
            .unwrap_or_else(|| content_type(path)),
        cache_control: matching()
            .find_map(|r| r.cache_control.clone())
            .unwrap_or_else(|| default_cache_control(path).to_string()),
    }
}

/// Whether the file at `path` is named by a hash of its bytes: what is under that name
/// never changes, so it is cached for good and never invalidated (a new version has a
/// new name).
pub fn never_changes(path: &str) -> bool {
    is_fingerprinted(path) || crate::search::is_hashed(path)
}

fn default_cache_control(path: &str) -> &'static str {
    if never_changes(path) {
        IMMUTABLE
    } else {
        REVALIDATE
    }
}

/// The type of a file by its extension; text types in UTF-8, as worklog writes them.
pub fn content_type(path: &str) -> String {
    let name = path.rsplit('/').next().unwrap_or(path);
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    let known = match ext.as_deref() {
        Some("html" | "htm") => Some("text/html; charset=utf-8"),
        Some("css") => Some("text/css; charset=utf-8"),
        Some("js" | "mjs") => Some("text/javascript; charset=utf-8"),
        Some("json") => Some("application/json"),
        Some("xml") => Some("application/xml; charset=utf-8"),
        Some("svg") => Some("image/svg+xml"),
        Some("webmanifest") => Some("application/manifest+json"),
        Some("woff2") => Some("font/woff2"),
        Some("woff") => Some("font/woff"),
        Some("txt") => Some("text/plain; charset=utf-8"),
        Some("md") => Some("text/markdown; charset=utf-8"),
        _ => None,
    };
    if let Some(t) = known {
        return t.to_string();
    }
    let mime = mime_guess::from_path(name).first_or_octet_stream();
    if mime.type_() == mime_guess::mime::TEXT {
        format!("{mime}; charset=utf-8")
    } else {
        mime.to_string()
    }
}

/// A glob over `/`-separated paths: `*` and `?` stay within a folder, `**` crosses them.
pub fn glob_matches(glob: &str, path: &str) -> bool {
    matches(glob.trim_start_matches('/').as_bytes(), path.as_bytes())
}

fn matches(glob: &[u8], path: &[u8]) -> bool {
    match glob {
        [] => path.is_empty(),
        // `**/` is any number of folders; `**` elsewhere, anything.
        [b'*', b'*', b'/', rest @ ..] => {
            (0..=path.len()).any(|i| (i == 0 || path[i - 1] == b'/') && matches(rest, &path[i..]))
        }
        [b'*', b'*', rest @ ..] => (0..=path.len()).any(|i| matches(rest, &path[i..])),
        [b'*', rest @ ..] => (0..=path.len())
            .take_while(|&i| i == 0 || path[i - 1] != b'/')
            .any(|i| matches(rest, &path[i..])),
        [b'?', rest @ ..] => path.first().is_some_and(|&c| c != b'/') && matches(rest, &path[1..]),
        [c, rest @ ..] => path.first() == Some(c) && matches(rest, &path[1..]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        assert!(glob_matches("*.html", "index.html"));
        assert!(!glob_matches("*.html", "a/index.html"));
        assert!(glob_matches("**/*.html", "a/b/index.html"));
        assert!(glob_matches("**/*.html", "index.html"));
        assert!(glob_matches("images/**", "images/a/b.png"));
        assert!(!glob_matches("images/**", "css/a.css"));
        assert!(glob_matches("/css/?.css", "css/a.css"));
    }

    #[test]
    fn every_file_has_a_type_and_hashed_names_are_immutable() {
        let h = headers("css/worklog.3f9a1c2b.css", &[]);
        assert_eq!(h.content_type, "text/css; charset=utf-8");
        assert_eq!(h.cache_control, IMMUTABLE);
        let h = headers("1-worklog/index.html", &[]);
        assert_eq!(h.content_type, "text/html; charset=utf-8");
        assert_eq!(h.cache_control, REVALIDATE);
        // The search index: its chunks are named by their hash, its entry file is not.
        let chunk = headers("pagefind/vi/fragment/vi_8ce953e.pf_fragment", &[]);
        assert_eq!(chunk.cache_control, IMMUTABLE);
        let entry = headers("pagefind/vi/pagefind-entry.json", &[]);
        assert_eq!(entry.cache_control, REVALIDATE);
        assert_eq!(
            content_type("sitemap.xml"),
            "application/xml; charset=utf-8"
        );
        assert_eq!(content_type("a.woff2"), "font/woff2");
        assert_eq!(
            content_type("site.webmanifest"),
            "application/manifest+json"
        );
        assert_eq!(content_type("icon.svg"), "image/svg+xml");
        assert_eq!(content_type(".nojekyll"), "application/octet-stream");
        assert_eq!(content_type("images/a.PNG"), "image/png");
    }

    #[test]
    fn the_sites_rules_come_first() {
        let rules = vec![HeaderRule {
            glob: "images/**".into(),
            cache_control: Some("public, max-age=86400".into()),
            content_type: None,
        }];
        let h = headers("images/a.png", &rules);
        assert_eq!(h.cache_control, "public, max-age=86400");
        assert_eq!(h.content_type, "image/png");
        assert_eq!(headers("a.png", &rules).cache_control, REVALIDATE);
    }
}
