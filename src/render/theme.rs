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
            }
        }
        theme
    }

    fn overlay(&mut self, site_dir: &Path, theme_dir: &Path, errors: &mut Vec<Diagnostic>) {
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
