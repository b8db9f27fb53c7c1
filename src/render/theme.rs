//! Themes: the default theme embedded in the binary, overlaid by the site's own theme
//! folder (`themes/<name>/templates`, `themes/<name>/static`) when it has one.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::config::Config;
use crate::diagnostics::Diagnostic;

include!(concat!(env!("OUT_DIR"), "/default_theme.rs"));

/// Hugo themes students use today; their Go templates are replaced by the default theme.
const HUGO_THEMES: [&str; 2] = ["hugo-theme-learn", "hugo-theme-relearn"];

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
}

impl Theme {
    /// The default theme with the site's theme laid over it. Notices (a Hugo theme or a
    /// `layouts/` folder that worklog does not run) come back as warnings.
    pub fn load(
        site_dir: &Path,
        config: &Config,
    ) -> Result<(Theme, Vec<Diagnostic>), Vec<Diagnostic>> {
        let mut theme = Theme::default_theme();
        let mut notices = Vec::new();
        let mut errors = Vec::new();
        if site_dir.join("layouts").is_dir() {
            notices.push(Diagnostic::warning(
                "layouts",
                None,
                "Hugo's Go templates in layouts/ are ignored: worklog renders with its Tera theme",
            ));
        }
        if let Some(name) = &config.theme {
            let dir = site_dir.join("themes").join(name);
            let own_files = dir.join("templates").is_dir() || dir.join("static").is_dir();
            if HUGO_THEMES.contains(&name.as_str()) || (!own_files && dir.join("layouts").is_dir())
            {
                notices.push(Diagnostic::warning(
                    config.file.clone().unwrap_or_default(),
                    None,
                    format!(
                        "theme \"{name}\" is a Hugo theme: worklog uses its default theme instead"
                    ),
                ));
            } else if !own_files {
                notices.push(Diagnostic::warning(
                    config.file.clone().unwrap_or_default(),
                    None,
                    format!("theme \"{name}\" not found (no themes/{name}/templates/ or static/): using the default theme"),
                ));
            } else {
                theme.overlay(site_dir, &dir, &mut errors);
            }
        }
        if errors.is_empty() {
            Ok((theme, notices))
        } else {
            Err(errors)
        }
    }

    pub fn default_theme() -> Theme {
        let mut theme = Theme::default();
        for (path, bytes) in DEFAULT_THEME {
            if let Some(name) = path.strip_prefix("templates/") {
                theme.templates.insert(
                    name.to_string(),
                    Template {
                        source: String::from_utf8_lossy(bytes).into_owned(),
                        display_path: PathBuf::from(format!("(built-in) themes/default/{path}")),
                    },
                );
            } else if let Some(rel) = path.strip_prefix("static/") {
                theme.static_files.insert(rel.to_string(), bytes.to_vec());
            } else if let Some(file) = path.strip_prefix("i18n/") {
                let words = parse_words(&String::from_utf8_lossy(bytes)).unwrap_or_default();
                theme.add_words(file, words);
            }
        }
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

    fn add_words(&mut self, file: &str, words: serde_json::Map<String, serde_json::Value>) {
        let code = file.trim_end_matches(".toml").to_lowercase();
        self.i18n.entry(code).or_default().extend(words);
    }

    fn overlay(&mut self, site_dir: &Path, theme_dir: &Path, errors: &mut Vec<Diagnostic>) {
        let i18n = theme_dir.join("i18n");
        for entry in WalkDir::new(&i18n)
            .max_depth(1)
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
        {
            let path = entry.path();
            if !entry.file_type().is_file() || path.extension().is_none_or(|e| e != "toml") {
                continue;
            }
            let display_path = crate::content::load::display(site_dir, path);
            let text = std::fs::read_to_string(path).unwrap_or_default();
            match parse_words(&text) {
                Ok(words) => self.add_words(&entry.file_name().to_string_lossy(), words),
                Err((line, message)) => errors.push(Diagnostic::error(display_path, line, message)),
            }
        }
        for (sub, is_template) in [("templates", true), ("static", false)] {
            let root = theme_dir.join(sub);
            for entry in WalkDir::new(&root)
                .sort_by_file_name()
                .into_iter()
                .filter_map(Result::ok)
            {
                if !entry.file_type().is_file() {
                    continue;
                }
                let path = entry.path();
                let rel = path
                    .strip_prefix(&root)
                    .unwrap_or(path)
                    .to_string_lossy()
                    .replace('\\', "/");
                let display_path = crate::content::load::display(site_dir, path);
                match std::fs::read(path) {
                    Ok(bytes) if is_template => match String::from_utf8(bytes) {
                        Ok(source) => {
                            self.templates.insert(
                                rel,
                                Template {
                                    source,
                                    display_path,
                                },
                            );
                        }
                        Err(_) => errors.push(Diagnostic::error(
                            display_path,
                            None,
                            "the template is not UTF-8 text",
                        )),
                    },
                    Ok(bytes) => {
                        self.static_files.insert(rel, bytes);
                    }
                    Err(e) => errors.push(Diagnostic::error(
                        display_path,
                        None,
                        format!("cannot read: {e}"),
                    )),
                }
            }
        }
    }
}

/// An i18n file: `key = "word"` lines.
fn parse_words(
    text: &str,
) -> Result<serde_json::Map<String, serde_json::Value>, (Option<usize>, String)> {
    let table: toml::Table = toml::from_str(text).map_err(|e| {
        let line = e
            .span()
            .map(|s| crate::diagnostics::line_of_offset(text, s.start));
        (line, format!("invalid TOML: {}", e.message()))
    })?;
    match crate::config::toml_to_json(&toml::Value::Table(table)) {
        serde_json::Value::Object(map) => Ok(map),
        _ => Ok(serde_json::Map::new()),
    }
}
