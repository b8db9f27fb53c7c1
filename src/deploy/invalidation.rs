//! The paths a CloudFront invalidation names: each URL that served a changed or
//! deleted object, percent-encoded, collapsed to prefix wildcards past a count (the
//! first 1,000 paths a month are free, and a `*` counts as one).

/// The URL paths of the objects `keys` (bucket keys under `prefix`), for a site whose
/// base path is `base_path` (`/` or `/journal/`), with `pending` ones (left by a deploy
/// cut short), at most `max` of them. A folder's `index.html` is served at three:
/// `/a/index.html`, `/a/` and `/a`.
pub fn paths(
    keys: &[&str],
    pending: &[String],
    prefix: &str,
    base_path: &str,
    max: usize,
) -> Vec<String> {
    let mut paths = pending.to_vec();
    for key in keys {
        let rel = key.strip_prefix(prefix).unwrap_or(key);
        let url = format!("{base_path}{}", encode(rel));
        let folder = url
            .strip_suffix("index.html")
            .or_else(|| url.ends_with('/').then_some(url.as_str()));
        match folder {
            Some(folder) => {
                if url.ends_with("index.html") {
                    paths.push(url.clone());
                }
                paths.push(folder.to_string());
                if folder.len() > 1 {
                    paths.push(folder.trim_end_matches('/').to_string());
                }
            }
            None => paths.push(url),
        }
    }
    paths.sort();
    paths.dedup();
    if paths.len() > max {
        paths = collapse(&paths, base_path);
        if paths.len() > max {
            paths = vec![format!("{base_path}*")];
        }
    }
    paths
}

/// Each path to a wildcard over its top folder under the base path: `/a/b/c.html` and
/// `/a` both to `/a*`. The base path itself stays as it is.
fn collapse(paths: &[String], base_path: &str) -> Vec<String> {
    let mut out: Vec<String> = paths
        .iter()
        .map(|p| {
            let rest = p.strip_prefix(base_path).unwrap_or(p);
            if rest.is_empty() {
                p.clone()
            } else {
                let top = rest.split('/').next().unwrap_or(rest);
                format!("{base_path}{top}*")
            }
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Percent-encodes all but unreserved characters and `/`: CloudFront wants paths as
/// they are requested (`/tu%E1%BA%A7n-1/`).
pub fn encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_is_three_urls() {
        assert_eq!(
            paths(&["site/a/index.html", "site/a/"], &[], "site/", "/", 30),
            ["/a", "/a/", "/a/index.html"]
        );
        assert_eq!(
            paths(&["index.html"], &[], "", "/j/", 30),
            ["/j", "/j/", "/j/index.html"]
        );
        assert_eq!(
            paths(&["index.html"], &[], "", "/", 30),
            ["/", "/index.html"]
        );
        assert_eq!(
            paths(&["css/a.css"], &["/b/".into()], "", "/", 30),
            ["/b/", "/css/a.css"]
        );
    }

    #[test]
    fn paths_are_percent_encoded() {
        assert_eq!(
            paths(&["tuần 1/a b.pdf"], &[], "", "/", 30),
            ["/tu%E1%BA%A7n%201/a%20b.pdf"]
        );
    }

    #[test]
    fn past_the_count_paths_collapse_to_wildcards() {
        let keys: Vec<String> = (0..20)
            .map(|i| format!("1-worklog/w{i}/index.html"))
            .collect();
        let mut keys: Vec<&str> = keys.iter().map(String::as_str).collect();
        keys.push("index.html");
        keys.push("2-workshop/index.html");
        assert_eq!(
            paths(&keys, &[], "", "/", 30),
            ["/", "/1-worklog*", "/2-workshop*", "/index.html*"]
        );
        assert_eq!(paths(&keys, &[], "", "/", 3), ["/*"]);
    }
}
