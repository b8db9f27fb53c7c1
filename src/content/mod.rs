//! The content stage: load Markdown files, parse front matter, build the ordered,
//! numbered page tree.
//!
//! Knows nothing of Markdown rendering, themes or output; its product is a [`ContentTree`].

pub mod dates;
pub mod front_matter;
pub mod load;
pub mod numbering;
pub mod paths;
pub mod tree;
pub mod weeks;
mod yaml;

use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use front_matter::FrontMatter;
pub use tree::ContentTree;

use crate::config::Config;
use crate::diagnostics::Diagnostic;

/// Index of a page in [`ContentTree::pages`].
pub type PageId = usize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PageKind {
    Home,
    Section,
    Page,
}

#[derive(Debug, Clone)]
pub struct Page {
    pub kind: PageKind,
    /// The source file relative to the site (`content/1-Worklog/_index.md`); `None` for a
    /// section that exists only as a folder.
    pub source: Option<PathBuf>,
    /// The folders and file stem that place the page (`["1-Worklog", "1.7-Week7"]`).
    pub key: Vec<String>,
    pub front: FrontMatter,
    pub body: String,
    /// The file line where `body` starts, to turn body offsets into file lines.
    pub body_line: usize,
    pub title: String,
    /// Site-relative URL path without the base path: `""` for home, `1-worklog/1.7-week7/`.
    pub path: String,
    /// The file line of the `url` or `slug` that set `path`, for messages about it.
    pub path_line: Option<usize>,
    /// Chapter number (`1.7`), from `pre` or derived from the tree order.
    pub number: Option<String>,
    pub parent: Option<PageId>,
    pub children: Vec<PageId>,
}

impl Page {
    /// The short title for menus: `menuTitle` when set.
    pub fn menu_title(&self) -> &str {
        self.front.menu_title.as_deref().unwrap_or(&self.title)
    }

    pub fn is_listed(&self) -> bool {
        !self.front.hidden
    }
}

/// Loads `site_dir/content` into a tree. Errors in single files do not stop the others:
/// all of them come back together.
pub fn load(
    site_dir: &Path,
    config: &Config,
) -> Result<(Vec<ContentTree>, Vec<Diagnostic>), Vec<Diagnostic>> {
    let content_dir = site_dir.join("content");
    let own_dirs = config
        .languages
        .iter()
        .filter(|l| l.content_dir.is_some())
        .count();
    if !content_dir.is_dir() && own_dirs < config.languages.len() {
        return Err(vec![Diagnostic::error(
            load::display(site_dir, &content_dir),
            None,
            "no content folder: a worklog site keeps its Markdown files in `content/`",
        )]);
    }
    let (files, walked, mut errors) = load::read_content(site_dir, &content_dir);
    let mut by_language: Vec<Vec<load::SourceFile>> = vec![Vec::new(); config.languages.len()];
    let shared: Arc<[PathBuf]> = walked.into();
    let mut walked_by_language = vec![Arc::clone(&shared); config.languages.len()];
    // A language with a `contentDir` of its own takes every file there.
    for (index, language) in config.languages.iter().enumerate() {
        let Some(dir) = language
            .content_dir
            .as_deref()
            .filter(|d| site_dir.join(d) != content_dir)
        else {
            continue;
        };
        let (files, walked, dir_errors) = load::read_content(site_dir, &site_dir.join(dir));
        errors.extend(dir_errors);
        by_language[index].extend(files);
        walked_by_language[index] = shared.iter().cloned().chain(walked).collect();
    }
    for mut file in files {
        let index = match language_of(&file.file_name, config) {
            Some((index, plain_name)) => {
                file.file_name = plain_name;
                index
            }
            None => 0,
        };
        by_language[index].push(file);
    }
    let today = dates::today();
    let mut trees = Vec::new();
    let mut warnings = Vec::new();
    for ((files, walked), language) in by_language
        .into_iter()
        .zip(walked_by_language)
        .zip(&config.languages)
    {
        let (mut tree, diagnostics) = tree::build(files, &config.for_language(language), &today);
        tree.files = walked;
        errors.extend(diagnostics.iter().filter(|d| d.is_error()).cloned());
        warnings.extend(diagnostics.into_iter().filter(|d| !d.is_error()));
        trees.push(tree);
    }
    if errors.is_empty() {
        Ok((trees, warnings))
    } else {
        Err(errors)
    }
}

/// `_index.vi.md` → the index of `vi` in the site's languages and `_index.md`. A suffix
/// that is not one of the site's languages is part of the name.
fn language_of(file_name: &str, config: &Config) -> Option<(usize, String)> {
    let (stem, ext) = file_name.rsplit_once('.')?;
    let (base, code) = stem.rsplit_once('.')?;
    let index = config
        .languages
        .iter()
        .position(|l| l.code.eq_ignore_ascii_case(code))?;
    Some((index, format!("{base}.{ext}")))
}
