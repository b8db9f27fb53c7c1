//! `worklog theme init NAME`: a built-in theme written out as the site's own
//! `themes/NAME/`, to be edited, and the site's config pointed at it where that is safe.
//! The copy renders the same bytes as the built-in theme.

use std::path::{Path, PathBuf};

use super::{ThemeFiles, builtin_files, builtin_names};
use crate::config::{CONFIG_FILES, edit};

/// What `init` did.
#[derive(Debug)]
pub struct Initialised {
    /// `themes/NAME`, relative to the site.
    pub dir: PathBuf,
    pub files: usize,
    pub config: ConfigChange,
}

/// What became of the site's config.
#[derive(Debug, PartialEq, Eq)]
pub enum ConfigChange {
    /// `theme = "NAME"` was written into this file (created if the site had none).
    Set(String),
    /// The user's to make: what to write, and where.
    Advice(String),
}

/// Writes the built-in theme `from` into `site_dir/themes/name/`, refusing to touch an
/// existing folder, then selects it in `worklog.toml` when the site has one (or no config).
pub fn init(site_dir: &Path, name: &str, from: &str) -> Result<Initialised, String> {
    let valid = !name.is_empty()
        && !name.starts_with(['.', '-'])
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if !valid {
        return Err(format!(
            "`{name}` cannot be a theme's name: use letters, digits, `-`, `_` and `.`, as a folder name"
        ));
    }
    let Some(files) = builtin_files(from) else {
        let names: Vec<&str> = builtin_names().collect();
        return Err(format!(
            "there is no built-in theme `{from}` (built-in: {})",
            names.join(", ")
        ));
    };
    if !site_dir.is_dir() {
        return Err(format!("{} is not a folder", site_dir.display()));
    }
    let rel = Path::new("themes").join(name);
    let dir = site_dir.join(&rel);
    std::fs::create_dir_all(site_dir.join("themes")).map_err(|e| format!("themes/: {e}"))?;
    // Created here, not before: an existing folder, even an empty one, is the user's.
    std::fs::create_dir(&dir).map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => format!(
            "{} already exists, and worklog does not write over it: choose another name, or remove it",
            rel.display()
        ),
        _ => format!("{}: {e}", rel.display()),
    })?;
    if let Err(e) = write_files(&dir, files) {
        // The folder is the one made above: nothing of the user's is in it.
        let _ = std::fs::remove_dir_all(&dir);
        return Err(e);
    }
    Ok(Initialised {
        dir: rel,
        files: files.len(),
        config: select(site_dir, name),
    })
}

fn write_files(dir: &Path, files: ThemeFiles) -> Result<(), String> {
    for (path, bytes) in files {
        let target = dir.join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        }
        std::fs::write(&target, bytes).map_err(|e| format!("{}: {e}", target.display()))?;
    }
    Ok(())
}

/// Sets `theme = "name"` in `worklog.toml`; a Hugo config is Hugo's too (Hugo would look for
/// Go templates in the new folder), so the user is told what to change there instead.
fn select(site_dir: &Path, name: &str) -> ConfigChange {
    let setting = format!("theme = \"{name}\"");
    let found = CONFIG_FILES.iter().find(|f| site_dir.join(f).is_file());
    let Some(&file) = found else {
        return match std::fs::write(site_dir.join("worklog.toml"), format!("{setting}\n")) {
            Ok(()) => ConfigChange::Set("worklog.toml".into()),
            Err(e) => ConfigChange::Advice(format!(
                "worklog.toml could not be written ({e}): create it with `{setting}`"
            )),
        };
    };
    let path = site_dir.join(file);
    if file != "worklog.toml" {
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let line = theme_line(&text).map_or(String::new(), |(n, l)| format!(" (line {n}: `{l}`)"));
        return ConfigChange::Advice(format!(
            "{file} is Hugo's config, which worklog does not edit: to use the theme, set `{setting}` in it{line}"
        ));
    }
    let edited = std::fs::read_to_string(&path)
        .map_err(|e| e.to_string())
        .and_then(|text| edit::with_theme(&text, name));
    match edited.and_then(|text| std::fs::write(&path, text).map_err(|e| e.to_string())) {
        Ok(()) => ConfigChange::Set(file.into()),
        Err(why) => ConfigChange::Advice(format!(
            "worklog.toml was left as it was ({why}): set `{setting}` at its top"
        )),
    }
}

/// The line number and text of a top-level `theme = …` in a Hugo TOML or YAML config.
fn theme_line(text: &str) -> Option<(usize, &str)> {
    text.lines()
        .enumerate()
        .take_while(|(_, l)| !l.trim_start().starts_with('['))
        .find(|(_, l)| {
            let key = l.split(['=', ':']).next().unwrap_or("").trim();
            !l.starts_with([' ', '\t']) && key.eq_ignore_ascii_case("theme")
        })
        .map(|(i, l)| (i + 1, l.trim()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_copy_is_refused_over_an_existing_folder_or_with_a_bad_name() {
        let site = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(site.path().join("themes/mine")).unwrap();
        let e = init(site.path(), "mine", "default").unwrap_err();
        assert!(e.contains("themes/mine already exists"), "{e}");
        for bad in ["", "../x", "a/b", ".hidden", "-x"] {
            assert!(init(site.path(), bad, "default").is_err(), "{bad}");
        }
        assert!(
            init(site.path(), "x", "nope")
                .unwrap_err()
                .contains("default")
        );
        assert!(!site.path().join("worklog.toml").exists());
    }

    #[test]
    fn a_hugo_config_is_left_to_the_user_with_the_line_to_change() {
        let site = tempfile::tempdir().unwrap();
        let config = "baseURL = '/'\ntheme = \"hugo-theme-learn\"\n[params]\ntheme = 'x'\n";
        std::fs::write(site.path().join("config.toml"), config).unwrap();
        let done = init(site.path(), "mine", "default").unwrap();
        assert_eq!(
            done.config,
            ConfigChange::Advice("config.toml is Hugo's config, which worklog does not edit: to use the theme, set `theme = \"mine\"` in it (line 2: `theme = \"hugo-theme-learn\"`)".into())
        );
        assert_eq!(
            std::fs::read_to_string(site.path().join("config.toml")).unwrap(),
            config
        );
        assert_eq!(
            theme_line("title: x\ntheme: learn\n"),
            Some((2, "theme: learn"))
        );
    }
}
