//! Finding a page of the built site by its source file or its URL, for `worklog inspect`.

use std::path::Path;

use super::{LanguageSite, Pipeline};
use crate::content::PageId;
use crate::render::Inspection;

impl Pipeline {
    /// The context of the page `page` names: a file (`content/1-Worklog/_index.md`, from
    /// the site's folder or the current one) or a URL (`/journal/1-worklog/`, with or
    /// without the host and base path).
    pub fn inspect(&self, page: &str) -> Result<Inspection, String> {
        let source = self.source_named(page);
        let url_path = url_path(page, &self.config.base_path);
        for site in &self.site.languages {
            let found = site.tree.pages.iter().position(|p| {
                p.source
                    .as_deref()
                    .is_some_and(|s| Some(s) == source.as_deref())
                    || Some(p.path.as_str()) == url_path.as_deref()
            });
            if let Some(id) = found {
                return Ok(self.inspect_page(site, id));
            }
        }
        Err(format!(
            "no page of the site is `{page}`: name its file (content/1-Worklog/_index.md) or its URL (/1-worklog/)"
        ))
    }

    fn inspect_page(&self, site: &LanguageSite, id: PageId) -> Inspection {
        self.renderer
            .inspect(&site.layout, &site.tree, &site.bodies, &site.config, id)
    }

    /// `page` as a path relative to the site, when it names a file in it.
    fn source_named(&self, page: &str) -> Option<std::path::PathBuf> {
        let given = Path::new(page);
        if let Some(rel) = std::fs::canonicalize(given)
            .ok()
            .and_then(|real| self.root.relative(&real).map(Path::to_path_buf))
        {
            return Some(rel);
        }
        Some(given.strip_prefix("./").unwrap_or(given).to_path_buf())
    }
}

/// A URL as a page's path in the site (`https://u.github.io/journal/1-worklog/index.html`
/// → `1-worklog/`); none for what is no URL.
fn url_path(url: &str, base_path: &str) -> Option<String> {
    let path = match url.split_once("://") {
        Some((_, rest)) => &rest[rest.find('/')?..],
        None if url.starts_with('/') => url,
        None => return None,
    };
    let path = path.split(['#', '?']).next().unwrap_or("");
    let path = path
        .strip_prefix(base_path)
        .unwrap_or_else(|| path.trim_start_matches('/'));
    let path = path.strip_suffix("index.html").unwrap_or(path);
    Some(if path.is_empty() || path.ends_with('/') {
        path.to_string()
    } else {
        format!("{path}/")
    })
}

#[cfg(test)]
mod tests {
    use super::url_path;

    #[test]
    fn urls_name_pages_with_or_without_host_and_base_path() {
        for (url, path) in [
            (
                "https://u.github.io/journal/1-worklog/index.html",
                "1-worklog/",
            ),
            ("/journal/1-worklog", "1-worklog/"),
            ("/1-worklog/#goals", "1-worklog/"),
            ("/journal/", ""),
            ("/", ""),
        ] {
            assert_eq!(url_path(url, "/journal/").as_deref(), Some(path), "{url}");
        }
        assert_eq!(url_path("content/_index.md", "/"), None);
    }
}
