//! Themes: the templates, static files and words pages are rendered with, laid in layers
//! where each file comes from the highest layer that has it. From the bottom: the built-in
//! default theme; the themes the selected one `extends` (in its `theme.toml`); the selected
//! theme (`themes/<name>/` in the site, or a built-in one); the site's own `templates/` and
//! `i18n/`. The site's `static/` is laid over the theme's static files by the pipeline; here
//! it is only looked at, to say which file won.
//!
//! Knows the disk only to read those folders, and nothing of pages.

mod chain;
pub mod init;
mod layer;
pub mod partials;

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::diagnostics::Diagnostic;

/// A built-in theme's files: each path in its folder, and the bytes.
pub type ThemeFiles = &'static [(&'static str, &'static [u8])];

include!(concat!(env!("OUT_DIR"), "/builtin_themes.rs"));

/// The files of a theme compiled into the binary (`default`).
pub fn builtin_files(name: &str) -> Option<ThemeFiles> {
    BUILTIN_THEMES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, files)| *files)
}

/// The names of the built-in themes.
pub fn builtin_names() -> impl Iterator<Item = &'static str> {
    BUILTIN_THEMES.iter().map(|(name, _)| *name)
}

#[derive(Debug, Clone)]
pub struct Template {
    pub source: String,
    /// Where an author edits it, for error messages.
    pub display_path: PathBuf,
}

#[derive(Debug, Clone, Default)]
pub struct Theme {
    /// By template name (`page.html`, `partials/nav.html`).
    pub templates: BTreeMap<String, Template>,
    /// By output path (`css/worklog.css`).
    pub static_files: BTreeMap<String, Vec<u8>>,
    /// The theme's words by language code (`i18n/vi.toml`): `next`, `on_this_page`, …
    pub i18n: BTreeMap<String, serde_json::Map<String, serde_json::Value>>,
    /// The layers, lowest first, as a user names them: `(built-in) default`, `themes/mine`.
    pub layers: Vec<String>,
    /// Every file of a layer that a higher layer, written by the user, replaced.
    pub overrides: Vec<Override>,
    /// The folders under `themes/` (relative to the site) that the theme was read from or
    /// looked for: a change in one can change the theme.
    pub folders: Vec<PathBuf>,
    /// The site's plain-HTML learn partials by their name in `site.partials` (`logo`,
    /// `menu_footer`), as written.
    pub site_partials: BTreeMap<String, String>,
    /// Where each file comes from (`templates/page.html` → the file's display path).
    origins: BTreeMap<String, PathBuf>,
}

/// A file of the theme replaced by one of a higher layer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Override {
    /// The file as the theme names it: `templates/page.html`, `static/css/worklog.css`.
    pub file: String,
    pub winner: PathBuf,
    pub replaced: PathBuf,
}

impl fmt::Display for Override {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (winner, replaced) = (self.winner.display(), self.replaced.display());
        if self.file.starts_with("i18n/") {
            write!(f, "{}: words of {winner} over {replaced}", self.file)
        } else {
            write!(f, "{}: {winner} over {replaced}", self.file)
        }
    }
}

impl Theme {
    /// The theme a site's pages are rendered with. Notices (a Hugo theme or a `layouts/`
    /// folder that worklog does not run, a theme folder no setting selects) come back as
    /// warnings.
    pub fn load(
        site_dir: &Path,
        config: &Config,
    ) -> Result<(Theme, Vec<Diagnostic>), Vec<Diagnostic>> {
        let mut theme = Theme::default_theme();
        let mut errors = Vec::new();
        let mut notices = Vec::new();
        if site_dir.join("layouts").is_dir() {
            notices.push(Diagnostic::warning(
                "layouts",
                None,
                "Hugo's Go templates in layouts/ are ignored: worklog renders with its Tera theme (learn's partials logo, menu-footer, custom-header, custom-footer and favicon are used when they are plain HTML)",
            ));
        }
        let (site_partials, partial_notices) = partials::read(site_dir);
        notices.extend(partial_notices);
        let chain = chain::resolve(site_dir, config);
        notices.extend(chain.notices);
        errors.extend(chain.errors);
        for source in &chain.layers {
            match source {
                chain::Source::Builtin(name) => theme.add_builtin(name),
                chain::Source::Folder(dir) => theme.add_folder(site_dir, dir, &mut errors),
            }
        }
        theme.add_site(site_dir, &mut errors);
        theme.folders = chain.folders;
        theme.site_partials = site_partials;
        if errors.is_empty() {
            Ok((theme, notices))
        } else {
            Err(errors)
        }
    }

    /// The built-in default theme alone.
    pub fn default_theme() -> Theme {
        let mut theme = Theme::default();
        theme.add_builtin("default");
        theme
    }

    /// The words of `language`, English where it has none of its own.
    pub fn words(&self, language: &str) -> serde_json::Map<String, serde_json::Value> {
        let mut words = self.i18n.get("en").cloned().unwrap_or_default();
        if let Some(own) = self.i18n.get(language) {
            words.extend(own.clone());
        }
        words
    }
}

/// An i18n file: `key = "word"` lines, or Hugo's `[key]` tables whose `other` is the word.
fn parse_words(
    text: &str,
) -> Result<serde_json::Map<String, serde_json::Value>, (Option<usize>, String)> {
    let table = crate::config::parse_toml(text)?;
    Ok(table
        .iter()
        .map(|(key, value)| {
            let word = match value.get("other") {
                Some(other @ toml::Value::String(_)) => other,
                _ => value,
            };
            (key.clone(), crate::config::toml_to_json(word))
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_plain_or_hugo_tables() {
        let words = parse_words("next = \"Tiếp\"\n[prev]\nother = \"Trước\"\n").unwrap();
        assert_eq!(words["next"], "Tiếp");
        assert_eq!(words["prev"], "Trước");
        let (line, message) = parse_words("a = \"x\"\nb = \n").unwrap_err();
        assert_eq!(line, Some(2), "{message}");
    }

    #[test]
    fn every_built_in_theme_has_english_and_vietnamese_words_for_the_same_keys() {
        for name in builtin_names() {
            let mut theme = Theme::default();
            theme.add_builtin(name);
            let en: Vec<&String> = theme.i18n["en"].keys().collect();
            let vi: Vec<&String> = theme.i18n["vi"].keys().collect();
            assert_eq!(en, vi, "{name}");
        }
    }
}
