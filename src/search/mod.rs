//! Search: Pagefind's index of the built pages, one bundle per language under
//! `pagefind/<language>/`, added to the [`Output`] as static files. The browser side
//! (the theme's `js/search.js`) loads the bundle of the page's language and fetches only
//! the chunks a query needs.
//!
//! Only the pages the pipeline names are indexed: not the 404 pages, alias redirects or
//! the sitemap, whatever the theme puts in them. URLs are indexed without the base path
//! (the search script gives it to Pagefind), so the index is the same under any sub-path.
//!
//! Vietnamese: Pagefind folds accents (NFD, combining marks dropped) in the index and in
//! the query, and ranks the exact accents first; `đ`/`Đ` have no decomposition, so they
//! are handed to it as `d`/`D` followed by U+0335 (a combining stroke): Pagefind folds
//! them to `d` like any other accent, and the search script turns the stroke back into
//! `đ` in titles and snippets, and folds `đ` in the query the same way.

use std::path::Path;

use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;

use crate::output::{Content, Output};

/// Where the bundles go in the output.
pub const DIR: &str = "pagefind";

/// The combining mark that stands for the stroke of `đ` in what Pagefind reads.
const STROKE: char = '\u{0335}';

/// Output paths and their bytes.
pub type Files = Vec<(String, Vec<u8>)>;

/// One language's pages, as the output paths of their HTML files
/// (`vi/1-worklog/index.html`).
#[derive(Debug, Clone)]
pub struct LanguagePages {
    pub code: String,
    pub files: Vec<String>,
}

/// Whether `path` is one of the search index's files, which pages do not link to.
pub fn is_index_file(path: &str) -> bool {
    path.strip_prefix(DIR).is_some_and(|p| p.starts_with('/'))
}

/// Whether `path` is an index file named by a hash of its bytes (Pagefind's fragments,
/// index chunks, filters and metadata): such a file never changes, a new index has new
/// names.
pub fn is_hashed(path: &str) -> bool {
    is_index_file(path)
        && [".pf_fragment", ".pf_index", ".pf_filter", ".pf_meta"]
            .iter()
            .any(|ext| path.ends_with(ext))
}

/// `output` with `files` as its search index, in place of the one it had.
pub fn replace_index(output: &mut Output, files: Files) {
    let old: Vec<String> = output
        .paths()
        .filter(|p| is_index_file(p))
        .map(str::to_owned)
        .collect();
    for path in old {
        output.remove(&path);
    }
    for (path, bytes) in files {
        output.insert(path, bytes);
    }
}

/// The index files of every language, as output paths and bytes.
pub fn index(
    output: &Output,
    languages: &[LanguagePages],
) -> Result<Vec<(String, Vec<u8>)>, String> {
    // Languages are indexed side by side; Pagefind's API is async, each thread runs its
    // own small runtime.
    let bundles: Vec<Result<Files, String>> = std::thread::scope(|scope| {
        let handles: Vec<_> = languages
            .iter()
            .map(|lang| {
                scope.spawn(move || {
                    tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                        .map_err(|e| format!("cannot start the search indexer: {e}"))?
                        .block_on(language_bundle(output, lang))
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err("the search indexer failed".into()))
            })
            .collect()
    });
    let mut files = Vec::new();
    for bundle in bundles {
        files.extend(bundle?);
    }
    Ok(files)
}

async fn language_bundle(output: &Output, lang: &LanguagePages) -> Result<Files, String> {
    let options = PagefindServiceConfig::builder()
        .force_language(lang.code.clone())
        .build();
    let failed = |e: anyhow::Error| format!("search index ({}): {e}", lang.code);
    let mut index = PagefindIndex::new(Some(options)).map_err(failed)?;
    for file in &lang.files {
        let Some(html) = output.content(file).and_then(without_nav) else {
            continue;
        };
        let html = with_stroke(&html);
        let url = format!("/{}", file.strip_suffix("index.html").unwrap_or(file));
        index
            .add_html_file(None, Some(url), html)
            .await
            .map_err(failed)?;
    }
    let files = index.get_files().await.map_err(failed)?;
    Ok(files
        .into_iter()
        .filter(|f| needed(&f.filename))
        .map(|f| {
            let name = f.filename.to_string_lossy().replace('\\', "/");
            (format!("{DIR}/{}/{name}", lang.code), f.contents)
        })
        .collect())
}

/// A page without the navigation tree every page shares (the spliced fragment): it is
/// not what the page is about, and at 1,000 weeks it is most of every page's bytes.
fn without_nav(content: &Content) -> Option<String> {
    match content {
        Content::Spliced { parts, .. } => Some(parts.concat()),
        other => Some(String::from_utf8_lossy(&other.bytes().ok()?).into_owned()),
    }
}

/// The search library and the index; not Pagefind's own user interfaces, which the
/// themes do not use.
fn needed(file: &Path) -> bool {
    let name = file.to_string_lossy();
    ![
        "pagefind-ui",
        "pagefind-modular-ui",
        "pagefind-component-ui",
        "pagefind-highlight",
    ]
    .iter()
    .any(|ui| name.starts_with(ui))
}

/// `đ` and `Đ` as Pagefind can fold them: a `d` and a combining stroke.
fn with_stroke(html: &str) -> String {
    if !html.contains(['đ', 'Đ']) {
        return html.to_string();
    }
    let mut out = String::with_capacity(html.len() + 16);
    for c in html.chars() {
        match c {
            'đ' => out.extend(['d', STROKE]),
            'Đ' => out.extend(['D', STROKE]),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stroke_of_d_becomes_a_combining_mark() {
        assert_eq!(with_stroke("Đi đường"), "D\u{335}i d\u{335}ường");
        assert_eq!(with_stroke("Tuần"), "Tuần");
    }

    #[test]
    fn index_files_are_those_under_the_bundle_folder() {
        assert!(is_index_file("pagefind/vi/pagefind.js"));
        assert!(!is_index_file("pagefind.html"));
        assert!(!is_index_file("pagefinder/x"));
    }
}
