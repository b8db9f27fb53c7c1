//! What a changed path is to the build: a pure function of the path, the site's folder
//! and its layout, so that it is tested over relative, absolute and symlinked paths.
//! File watchers report absolute paths (through whatever symlink they were given), while
//! the site may have been named `.`, `../site` or through a link: all of them meet here.

use std::path::{Path, PathBuf};

use crate::config::{CONFIG_FILES, Config};
use crate::render::theme::partials::is_partial;

/// What part of the site a changed path belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ChangeKind {
    Page,
    Static,
    Theme,
    Config,
}

/// What is at a changed path now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathState {
    File,
    Folder,
    Gone,
}

impl PathState {
    pub fn of(path: &Path) -> PathState {
        match path.metadata() {
            Ok(m) if m.is_dir() => PathState::Folder,
            Ok(_) => PathState::File,
            Err(_) => PathState::Gone,
        }
    }
}

/// The site's folder, in every spelling a changed path may start with.
#[derive(Debug, Clone)]
pub struct SiteRoot {
    given: PathBuf,
    absolute: PathBuf,
    real: PathBuf,
}

impl SiteRoot {
    pub fn new(given: &Path) -> SiteRoot {
        let absolute = std::path::absolute(given).unwrap_or_else(|_| given.to_path_buf());
        let real = given.canonicalize().unwrap_or_else(|_| absolute.clone());
        SiteRoot {
            given: given.to_path_buf(),
            absolute,
            real,
        }
    }

    /// `path` relative to the site's folder, or `None` when it is outside.
    pub fn relative<'p>(&self, path: &'p Path) -> Option<&'p Path> {
        [&self.real, &self.absolute, &self.given]
            .into_iter()
            .find_map(|root| path.strip_prefix(root).ok())
    }
}

/// Where the site keeps what the build reads.
#[derive(Debug, Clone)]
pub struct Layout {
    /// Folders of pages, relative to the site: `content` and each language's own.
    content_dirs: Vec<PathBuf>,
    /// The folders under `themes/` the theme was read from or looked for: the selected
    /// theme's and those it extends.
    theme_dirs: Vec<PathBuf>,
    /// No theme is selected: a folder appearing in `themes/` is then warned about.
    no_theme: bool,
}

impl Layout {
    /// `theme_dirs` as [`crate::render::Theme::folders`] lists them.
    pub fn of(config: &Config, theme_dirs: &[PathBuf]) -> Layout {
        let own = config
            .languages
            .iter()
            .filter_map(|l| l.content_dir.as_deref());
        Layout {
            content_dirs: std::iter::once("content")
                .chain(own)
                .map(PathBuf::from)
                .collect(),
            theme_dirs: theme_dirs.to_vec(),
            no_theme: config.theme.is_none(),
        }
    }
}

/// What `rel`, a path relative to the site's folder, is to the build; `None` for what
/// it does not read (the output folder, logs, `.git`, `node_modules`, `archetypes/`).
pub fn classify(rel: &Path, state: PathState, layout: &Layout) -> Option<ChangeKind> {
    let mut parts = rel.components();
    let first = parts.next()?.as_os_str().to_str()?;
    if parts.next().is_none() && CONFIG_FILES.contains(&first) {
        return Some(ChangeKind::Config);
    }
    if layout.content_dirs.iter().any(|d| rel.starts_with(d)) {
        let markdown = rel
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"));
        // A folder moved or removed takes its pages with it; other files beside pages are
        // published like static files.
        return Some(match state {
            PathState::File if !markdown => ChangeKind::Static,
            _ => ChangeKind::Page,
        });
    }
    match first {
        "static" => Some(ChangeKind::Static),
        // Hugo's templates are not run, but their folder's presence is reported, and
        // learn's plain-HTML partials are used.
        "layouts"
            if rel.components().count() == 1
                || rel == Path::new("layouts/partials")
                || is_partial(rel) =>
        {
            Some(ChangeKind::Theme)
        }
        // The site's own templates and words, laid over its theme's.
        "templates" | "i18n" => Some(ChangeKind::Theme),
        "themes" if layout.no_theme => Some(ChangeKind::Theme),
        "themes" => layout
            .theme_dirs
            .iter()
            .any(|dir| rel.starts_with(dir) || dir.starts_with(rel))
            .then_some(ChangeKind::Theme),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ChangeKind::*;
    use PathState::*;

    fn layout() -> Layout {
        let mut config = crate::config::Config {
            theme: Some("mine".into()),
            ..Default::default()
        };
        config.languages[0].content_dir = Some("content-en".into());
        Layout::of(&config, &["themes/mine".into(), "themes/base".into()])
    }

    fn kind(rel: &str, state: PathState) -> Option<ChangeKind> {
        classify(Path::new(rel), state, &layout())
    }

    #[test]
    fn inputs_are_classified_by_what_rebuilds_them() {
        assert_eq!(kind("content/1-Worklog/_index.md", File), Some(Page));
        assert_eq!(kind("content/1-Worklog/_index.vi.md", Gone), Some(Page));
        assert_eq!(kind("content/1-Worklog", Folder), Some(Page));
        assert_eq!(kind("content/1-Worklog/old-name", Gone), Some(Page));
        assert_eq!(kind("content-en/a.md", File), Some(Page));
        assert_eq!(kind("content/1-Worklog/files/a.pdf", File), Some(Static));
        assert_eq!(kind("static/images/a.png", File), Some(Static));
        assert_eq!(kind("static", Gone), Some(Static));
        assert_eq!(kind("themes/mine/templates/page.html", File), Some(Theme));
        assert_eq!(kind("themes", Folder), Some(Theme));
        assert_eq!(kind("i18n/vi.toml", File), Some(Theme));
        assert_eq!(kind("templates/page.html", File), Some(Theme));
        assert_eq!(kind("templates/shortcodes", Gone), Some(Theme));
        assert_eq!(kind("themes/base/theme.toml", File), Some(Theme));
        assert_eq!(kind("themes/base", Gone), Some(Theme));
        assert_eq!(kind("layouts", Folder), Some(Theme));
        assert_eq!(kind("layouts/partials/logo.html", File), Some(Theme));
        assert_eq!(kind("layouts/partials/menu-footer.html", Gone), Some(Theme));
        assert_eq!(kind("worklog.toml", File), Some(Config));
        assert_eq!(kind("config.toml", Gone), Some(Config));
    }

    #[test]
    fn what_the_build_does_not_read_is_not_a_change() {
        for rel in [
            "serve.log",
            "public/index.html",
            ".git/index",
            "node_modules/x/package.json",
            "themes/other/templates/page.html",
            "themes/mine-old/templates/page.html",
            "layouts/partials/menu.html",
            "archetypes/week.md",
            "notes/worklog.toml",
            "README.md",
        ] {
            assert_eq!(kind(rel, File), None, "{rel}");
        }
    }

    #[test]
    fn without_a_theme_selected_any_theme_folder_is_a_change() {
        // It makes (or removes) the warning that no setting selects it.
        let none = Layout::of(&crate::config::Config::default(), &[]);
        let rel = Path::new("themes/mine/templates/page.html");
        assert_eq!(classify(rel, File, &none), Some(Theme));
        assert_eq!(classify(Path::new("themes/x"), Folder, &none), Some(Theme));
    }

    #[cfg(unix)]
    #[test]
    fn relative_absolute_and_symlinked_spellings_of_the_site_meet() {
        let tmp = tempfile::tempdir().unwrap();
        let real = tmp.path().canonicalize().unwrap().join("site");
        std::fs::create_dir_all(real.join("content")).unwrap();
        let link = real.parent().unwrap().join("link");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let page = Path::new("content/_index.md");
        let cwd = std::env::current_dir().unwrap();
        let relative_to_cwd: PathBuf = cwd
            .components()
            .skip(1)
            .map(|_| "..")
            .collect::<PathBuf>()
            .join(real.strip_prefix("/").unwrap());
        for given in [real.clone(), link.clone(), relative_to_cwd, link.join(".")] {
            let root = SiteRoot::new(&given);
            // A watcher reports the folder as it was given, made absolute, or resolved.
            let absolute = std::path::absolute(&given).unwrap();
            for reported in [real.join(page), absolute.join(page), given.join(page)] {
                assert_eq!(
                    root.relative(&reported),
                    Some(page),
                    "site given as {given:?}, change reported as {reported:?}"
                );
            }
            assert_eq!(root.relative(&real.parent().unwrap().join("x")), None);
        }
    }
}
