//! Reading one layer of a theme (a built-in theme, a theme folder, the site's own
//! `templates/` and `i18n/`) over the layers below it, noting each file it replaces.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use super::{Override, Template, Theme, builtin_files, parse_words};
use crate::content::load::display;
use crate::diagnostics::Diagnostic;

impl Theme {
    pub(super) fn add_builtin(&mut self, name: &str) {
        let Some(files) = builtin_files(name) else {
            return;
        };
        self.layers.push(format!("(built-in) {name}"));
        for (path, bytes) in files {
            let shown = PathBuf::from(format!("(built-in) themes/{name}/{path}"));
            if let Some(rel) = path.strip_prefix("templates/") {
                let source = String::from_utf8_lossy(bytes).into_owned();
                self.put_template(rel, source, shown);
            } else if let Some(rel) = path.strip_prefix("static/") {
                self.put_static(rel, bytes.to_vec(), shown);
            } else if let Some(file) = path.strip_prefix("i18n/") {
                // Built-in words are checked by the tests: they always parse.
                let words = parse_words(&String::from_utf8_lossy(bytes)).unwrap_or_default();
                self.put_words(file, words, shown);
            }
        }
    }

    /// A theme folder of the site: its `templates/`, `static/` and `i18n/`.
    pub(super) fn add_folder(&mut self, site_dir: &Path, dir: &Path, errors: &mut Vec<Diagnostic>) {
        self.layers
            .push(display(site_dir, dir).display().to_string());
        self.read_words(site_dir, &dir.join("i18n"), errors);
        self.read_files(site_dir, &dir.join("templates"), true, errors);
        self.read_files(site_dir, &dir.join("static"), false, errors);
    }

    /// The site's own `templates/` and `i18n/` over the theme; and which theme static files
    /// the site's `static/` replaces (the pipeline lays those over the theme's).
    pub(super) fn add_site(&mut self, site_dir: &Path, errors: &mut Vec<Diagnostic>) {
        let (templates, i18n) = (site_dir.join("templates"), site_dir.join("i18n"));
        if templates.is_dir() || i18n.is_dir() {
            self.layers.push("the site".to_string());
        }
        self.read_words(site_dir, &i18n, errors);
        self.read_files(site_dir, &templates, true, errors);
        for rel in self.static_files.keys() {
            let own = Path::new("static").join(rel);
            if site_dir.join(&own).is_file() {
                let file = format!("static/{rel}");
                let replaced = self.origins.get(&file).cloned().unwrap_or_default();
                self.overrides.push(Override {
                    file,
                    winner: own,
                    replaced,
                });
            }
        }
    }

    fn read_words(&mut self, site_dir: &Path, dir: &Path, errors: &mut Vec<Diagnostic>) {
        for entry in WalkDir::new(dir)
            .max_depth(1)
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
        {
            let path = entry.path();
            if !entry.file_type().is_file() || path.extension().is_none_or(|e| e != "toml") {
                continue;
            }
            let shown = display(site_dir, path);
            let text = std::fs::read_to_string(path).unwrap_or_default();
            match parse_words(&text) {
                Ok(words) => self.put_words(&entry.file_name().to_string_lossy(), words, shown),
                Err((line, message)) => errors.push(Diagnostic::error(shown, line, message)),
            }
        }
    }

    /// Every file under `root`: templates by their path under it, or static files.
    fn read_files(
        &mut self,
        site_dir: &Path,
        root: &Path,
        templates: bool,
        errors: &mut Vec<Diagnostic>,
    ) {
        for entry in WalkDir::new(root)
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
        {
            if !entry.file_type().is_file() || (templates && is_editor_litter(entry.path())) {
                continue;
            }
            let path = entry.path();
            let rel = path
                .strip_prefix(root)
                .unwrap_or(path)
                .to_string_lossy()
                .replace('\\', "/");
            let shown = display(site_dir, path);
            match std::fs::read(path) {
                Ok(bytes) if templates => match String::from_utf8(bytes) {
                    Ok(source) => self.put_template(&rel, source, shown),
                    Err(_) => errors.push(Diagnostic::error(
                        shown,
                        None,
                        "the template is not UTF-8 text",
                    )),
                },
                Ok(bytes) => self.put_static(&rel, bytes, shown),
                Err(e) => errors.push(Diagnostic::error(shown, None, format!("cannot read: {e}"))),
            }
        }
    }

    fn put_template(&mut self, name: &str, source: String, shown: PathBuf) {
        self.note_origin(format!("templates/{name}"), &shown);
        self.templates.insert(
            name.to_string(),
            Template {
                source,
                display_path: shown,
            },
        );
    }

    fn put_static(&mut self, rel: &str, bytes: Vec<u8>, shown: PathBuf) {
        self.note_origin(format!("static/{rel}"), &shown);
        self.static_files.insert(rel.to_string(), bytes);
    }

    /// Words are laid over the lower layer's word by word: a file of one word changes
    /// that word.
    fn put_words(
        &mut self,
        file: &str,
        words: serde_json::Map<String, serde_json::Value>,
        shown: PathBuf,
    ) {
        let code = file.trim_end_matches(".toml").to_lowercase();
        self.note_origin(format!("i18n/{code}.toml"), &shown);
        self.i18n.entry(code).or_default().extend(words);
    }

    /// Records where `file` now comes from, and what it replaced when the user wrote it.
    fn note_origin(&mut self, file: String, shown: &Path) {
        let previous = self.origins.insert(file.clone(), shown.to_path_buf());
        let by_user = !shown.to_string_lossy().starts_with("(built-in)");
        if let Some(replaced) = previous.filter(|_| by_user) {
            self.overrides.push(Override {
                file,
                winner: shown.to_path_buf(),
                replaced,
            });
        }
    }
}

/// Files an editor keeps beside the one being edited (Vim's `.page.html.swp`, Emacs's
/// `.#page.html` and `page.html~`): not templates, and a swap file is not even text.
fn is_editor_litter(path: &Path) -> bool {
    path.file_name().is_some_and(|n| {
        let n = n.to_string_lossy();
        n.starts_with('.') || n.ends_with('~')
    })
}
