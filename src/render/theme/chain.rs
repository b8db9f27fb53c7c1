//! Which themes a site's pages are rendered with: the selected theme, found in the site's
//! `themes/` folder or among the built-in ones, and the themes it `extends` in its
//! `theme.toml`, one after another. A theme folder's name wins over a built-in theme's, so
//! a copy made by `worklog theme init` is the one used.
//!
//! Selecting a theme must not fail silently: a theme that is not found, a Hugo theme, and a
//! theme folder that nothing selects are each a notice.

use std::path::{Path, PathBuf};

use super::{builtin_files, builtin_names};
use crate::config::Config;
use crate::diagnostics::Diagnostic;

/// Hugo themes students use today, drawn by the built-in `learn` theme, which looks like
/// them: the site keeps the look it had with Hugo.
const HUGO_THEMES: [&str; 2] = ["hugo-theme-learn", "hugo-theme-relearn"];

/// Where a layer of the theme comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Builtin(&'static str),
    /// A folder of the site's `themes/`.
    Folder(PathBuf),
}

/// The themes to lay over the built-in default one, lowest first.
#[derive(Debug, Default)]
pub struct Chain {
    pub layers: Vec<Source>,
    /// `themes/<name>` for every name the selection went through, found or not.
    pub folders: Vec<PathBuf>,
    pub notices: Vec<Diagnostic>,
    pub errors: Vec<Diagnostic>,
}

pub fn resolve(site_dir: &Path, config: &Config) -> Chain {
    let mut chain = Chain::default();
    let config_file = config.file.clone().unwrap_or_default();
    let Some(name) = &config.theme else {
        chain.notices = unselected_folders(site_dir, config);
        return chain;
    };
    chain.folders.push(Path::new("themes").join(name));
    let dir = site_dir.join("themes").join(name);
    if HUGO_THEMES.contains(&name.as_str()) {
        chain.follow_builtins("learn");
    } else if is_hugo_theme(&dir) {
        chain.notices.push(Diagnostic::warning(
            config_file,
            None,
            format!("theme \"{name}\" is a Hugo theme, whose Go templates worklog does not run: it uses its default theme instead (or `theme = \"learn\"`, which looks like hugo-theme-learn)"),
        ));
    } else if dir.is_dir() && has_theme_files(&dir) {
        chain.follow_folders(site_dir, name, dir);
    } else if let Some(builtin) = builtin_name(name).filter(|_| !dir.is_dir()) {
        chain.follow_builtins(builtin);
    } else {
        let builtins: Vec<&str> = builtin_names().collect();
        chain.notices.push(Diagnostic::warning(
            config_file,
            None,
            format!(
                "theme \"{name}\" not found (no themes/{name}/ with templates/, static/, i18n/ or theme.toml, and no built-in theme of that name: {}): using the default theme",
                builtins.join(", ")
            ),
        ));
    }
    chain.layers.reverse();
    chain.layers.retain(|s| *s != Source::Builtin("default"));
    chain
}

impl Chain {
    /// The theme folder `dir` and the themes it extends, highest first.
    fn follow_folders(&mut self, site_dir: &Path, name: &str, dir: PathBuf) {
        let mut seen = vec![name.to_string()];
        let mut at = dir;
        loop {
            self.layers.push(Source::Folder(at.clone()));
            let file = crate::content::load::display(site_dir, &at.join("theme.toml"));
            let (next, line) = match extends(&at.join("theme.toml"), &file) {
                Ok(Some(found)) => found,
                Ok(None) => return,
                Err(e) => {
                    self.errors.push(e);
                    return;
                }
            };
            self.folders.push(Path::new("themes").join(&next));
            let next_dir = site_dir.join("themes").join(&next);
            if next_dir.is_dir() && !is_hugo_theme(&next_dir) && !seen.contains(&next) {
                seen.push(next);
                at = next_dir;
            } else if let Some(builtin) = builtin_name(&next) {
                self.follow_builtins(builtin);
                return;
            } else {
                seen.push(next.clone());
                let message = if seen[..seen.len() - 1].contains(&next) {
                    format!("`extends = \"{next}\"` makes a loop: {}", seen.join(" → "))
                } else {
                    let builtins: Vec<&str> = builtin_names().collect();
                    format!(
                        "`extends = \"{next}\"`: there is no themes/{next}/ folder, and no built-in theme of that name ({})",
                        builtins.join(", ")
                    )
                };
                self.errors.push(Diagnostic::error(file, line, message));
                return;
            }
        }
    }

    /// A built-in theme and the built-in themes it extends, highest first.
    fn follow_builtins(&mut self, name: &'static str) {
        let mut at = Some(name);
        while let Some(name) = at.filter(|n| !self.layers.contains(&Source::Builtin(n))) {
            self.layers.push(Source::Builtin(name));
            let toml = builtin_files(name)
                .and_then(|files| files.iter().find(|(path, _)| *path == "theme.toml"));
            at = toml
                .and_then(|(_, bytes)| extends_in(&String::from_utf8_lossy(bytes)).ok())
                .flatten()
                .and_then(|(next, _)| builtin_name(&next));
        }
    }
}

fn builtin_name(name: &str) -> Option<&'static str> {
    builtin_names().find(|b| *b == name)
}

/// A folder of Hugo's Go templates, which worklog does not run.
fn is_hugo_theme(dir: &Path) -> bool {
    dir.join("layouts").is_dir() && !dir.join("templates").is_dir()
}

fn has_theme_files(dir: &Path) -> bool {
    ["templates", "static", "i18n"]
        .iter()
        .any(|sub| dir.join(sub).is_dir())
        || dir.join("theme.toml").is_file()
}

/// The theme a `theme.toml` names in `extends`, and the line where.
type Extends = Option<(String, Option<usize>)>;

/// The theme named by `extends` in a `theme.toml`; none without the file or the key.
/// Other keys (a name, a description, Hugo's or Zola's) are for people.
fn extends(path: &Path, shown: &Path) -> Result<Extends, Diagnostic> {
    let Ok(text) = std::fs::read_to_string(path) else {
        return Ok(None);
    };
    extends_in(&text).map_err(|(line, message)| Diagnostic::error(shown, line, message))
}

fn extends_in(text: &str) -> Result<Extends, (Option<usize>, String)> {
    let table = crate::config::parse_toml(text)?;
    let line = text
        .lines()
        .position(|l| {
            l.trim_start()
                .strip_prefix("extends")
                .is_some_and(|rest| rest.trim_start().starts_with('='))
        })
        .map(|i| i + 1);
    match table.get("extends") {
        None => Ok(None),
        Some(toml::Value::String(name)) => Ok(Some((name.clone(), line))),
        Some(other) => Err((
            line,
            format!("`extends` names a theme (\"default\"), not {other}"),
        )),
    }
}

/// Theme folders that no setting selects: the site is built with the default theme, which
/// is rarely what its author meant.
fn unselected_folders(site_dir: &Path, config: &Config) -> Vec<Diagnostic> {
    let Ok(entries) = std::fs::read_dir(site_dir.join("themes")) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir() && !is_hugo_theme(&e.path()))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.'))
        .collect();
    names.sort();
    let config_name = config
        .file
        .as_ref()
        .and_then(|f| f.file_name())
        .map(|n| n.to_string_lossy().into_owned());
    let as_param = config.params.get("theme").and_then(|v| v.as_str());
    names
        .into_iter()
        .filter_map(|name| {
            let how = match (&config_name, as_param) {
                // worklog.toml's own check already names the line of a setting below [params].
                (Some(file), Some(p)) if p == name && file == "worklog.toml" => return None,
                (Some(file), Some(p)) if p == name => format!(
                    "`theme = \"{name}\"` is under [params] in {file}, where it is a param: move it above [params]"
                ),
                (Some(file), _) => {
                    format!("set `theme = \"{name}\"` in {file}, above any [table]")
                }
                (None, _) => format!("create worklog.toml with `theme = \"{name}\"`"),
            };
            Some(Diagnostic::warning(
                Path::new("themes").join(&name),
                None,
                format!("no theme is selected, so the default theme is used and themes/{name}/ is not: to use it, {how}"),
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(files: &[&str]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for f in files {
            let (path, text) = f.split_once('|').unwrap_or((f, ""));
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        dir
    }

    fn chain(dir: &Path, theme: &str) -> Chain {
        let config = Config {
            theme: Some(theme.into()),
            ..Config::default()
        };
        resolve(dir, &config)
    }

    #[test]
    fn a_theme_extends_another_folder_then_the_built_in_default() {
        let dir = site(&[
            "themes/mine/theme.toml|name = \"Mine\"\nextends = \"base\"\n",
            "themes/base/templates/page.html",
        ]);
        let c = chain(dir.path(), "mine");
        assert!(
            c.errors.is_empty() && c.notices.is_empty(),
            "{:?}",
            c.errors
        );
        let base = dir.path().join("themes/base");
        let mine = dir.path().join("themes/mine");
        assert_eq!(c.layers, [Source::Folder(base), Source::Folder(mine)]);
        assert_eq!(
            c.folders,
            [Path::new("themes/mine"), Path::new("themes/base")]
        );
    }

    #[test]
    fn a_loop_or_an_unknown_theme_in_extends_is_an_error_on_its_line() {
        let dir = site(&[
            "themes/a/theme.toml|\nextends = \"b\"\n",
            "themes/b/theme.toml|extends = \"a\"\n",
            "themes/c/theme.toml|extends = \"nowhere\"\n",
            "themes/d/theme.toml|extends = 3\n",
        ]);
        let e = &chain(dir.path(), "a").errors[0];
        assert_eq!(e.file, Path::new("themes/b/theme.toml"));
        assert!(e.message.contains("loop: a → b → a"), "{}", e.message);
        let e = &chain(dir.path(), "c").errors[0];
        assert_eq!(
            (e.file.as_path(), e.line),
            (Path::new("themes/c/theme.toml"), Some(1))
        );
        assert!(e.message.contains("no themes/nowhere/"), "{}", e.message);
        assert!(chain(dir.path(), "d").errors[0].message.contains("not 3"));
    }

    #[test]
    fn a_folder_named_like_a_built_in_theme_wins_and_may_extend_it() {
        let dir = site(&["themes/default/theme.toml|extends = \"default\"\n"]);
        let c = chain(dir.path(), "default");
        assert!(c.errors.is_empty(), "{:?}", c.errors);
        assert_eq!(
            c.layers,
            [Source::Folder(dir.path().join("themes/default"))]
        );
        let none = site(&[]);
        assert!(chain(none.path(), "default").layers.is_empty());
        assert!(chain(none.path(), "default").notices.is_empty());
    }

    #[test]
    fn hugo_learn_themes_are_drawn_by_the_built_in_learn_theme_over_the_default() {
        let dir = site(&["themes/hugo-theme-learn/layouts/partials/menu.html"]);
        for name in ["hugo-theme-learn", "hugo-theme-relearn", "learn"] {
            let c = chain(dir.path(), name);
            assert_eq!(c.layers, [Source::Builtin("learn")], "{name}");
            assert!(c.notices.is_empty() && c.errors.is_empty(), "{name}");
        }
        let other = site(&["themes/ananke/layouts/index.html"]);
        let n = &chain(other.path(), "ananke").notices[0];
        assert!(n.message.contains("`theme = \"learn\"`"), "{}", n.message);
    }

    #[test]
    fn selecting_nothing_with_a_theme_folder_says_how_to_select_it() {
        let dir = site(&[
            "themes/mine/templates/page.html",
            "themes/hugo-theme-learn/layouts/x.html",
        ]);
        let mut config = Config::default();
        let n = resolve(dir.path(), &config).notices;
        assert_eq!(n.len(), 1, "{n:?}");
        assert_eq!(n[0].file, Path::new("themes/mine"));
        assert!(
            n[0].message
                .contains("create worklog.toml with `theme = \"mine\"`")
        );
        config.file = Some(dir.path().join("config.toml"));
        config.params.insert("theme".into(), "mine".into());
        let n = resolve(dir.path(), &config).notices;
        assert!(
            n[0].message.contains("under [params] in config.toml"),
            "{n:?}"
        );
        config.file = Some(dir.path().join("worklog.toml"));
        assert!(resolve(dir.path(), &config).notices.is_empty());
    }
}
