//! Site configuration: `worklog.toml`, or Hugo's `config.toml` / `hugo.toml` for the same keys.
//!
//! Knows nothing of content or themes: it only reads and normalises settings. A value of
//! the wrong type is an error naming its line; in `worklog.toml`, whose keys are all
//! worklog's, a key worklog does not read is a warning.

mod deploy;
pub mod edit;
mod file;

pub use deploy::{DeploySettings, HeaderRule};
pub use file::parse_toml;

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use crate::diagnostics::Diagnostic;
use file::Source;

/// How the navigation tree reaches each page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NavMode {
    /// Inline for small sites, shared above [`SHARED_NAV_THRESHOLD`] pages per language.
    Auto,
    /// The whole tree written into every page (works without JavaScript).
    Inline,
    /// One nav file per language, loaded by a script; pages keep a no-JS fallback.
    Shared,
}

/// Which pages show their date under the title.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShownDates {
    /// The journal's weeks: the entries an author dates (Hugo + learn shows none, and a
    /// home or chapter page's date is most often the template's).
    Weeks,
    /// Every page that has a date.
    All,
    None,
}

/// Above this many pages in one language, `NavMode::Auto` switches to a shared nav file:
/// inline, the nav grows the output as pages² (10,000 weeks would be ~10 GB).
pub const SHARED_NAV_THRESHOLD: usize = 2000;

#[derive(Debug, Clone)]
pub struct Config {
    pub title: String,
    /// Always ends with `/`; `/` alone when the site has none.
    pub base_url: String,
    /// The path part of `base_url`: `/` or `/journal/`. Every internal link starts with it.
    pub base_path: String,
    /// The content language (`en`): Hugo's `defaultContentLanguage`.
    pub language: String,
    /// The `lang` attribute of pages (`languageCode` in Hugo, e.g. `en-us`).
    pub language_code: String,
    pub theme: Option<String>,
    pub params: Map<String, Value>,
    /// Derive every chapter number from the tree order, ignoring `pre`.
    pub auto_number: bool,
    /// Build the search index and show the search box (`search = false` leaves both
    /// out: the index is most of a very large journal's build time).
    pub search: bool,
    pub nav: NavMode,
    /// `dates = "weeks" | "all" | "none"`.
    pub dates: ShownDates,
    /// Curly quotes, dashes and ellipses in the text, as Hugo's typographer (on by
    /// default; `typographer = false`, or Hugo's `markup.goldmark.extensions.typographer`).
    pub typographer: bool,
    pub build_drafts: bool,
    /// Build pages dated in the future (Hugo leaves them out by default).
    pub build_future: bool,
    /// Keep the letter case of paths in URLs (Hugo's `disablePathToLower`).
    pub keep_path_case: bool,
    /// Write every link relative to its page (Hugo's `relativeURLs`).
    pub relative_urls: bool,
    /// Hugo's `uglyURLs` (`page.html` instead of `page/`): not supported, said once.
    pub ugly_urls: bool,
    /// The site's languages, the default one first. Always at least one.
    pub languages: Vec<Language>,
    /// Put the default language under its own folder too (`/en/`).
    pub default_language_in_subdir: bool,
    /// Where this language's pages go under the base path: `` or `vi/`.
    pub language_prefix: String,
    /// Links for the sidebar (`[[menu.shortcuts]]`), per language when set there.
    pub shortcuts: Vec<Shortcut>,
    /// The file the settings came from, if any.
    pub file: Option<PathBuf>,
    /// `[deploy]`: where `worklog deploy` publishes.
    pub deploy: DeploySettings,
    /// Notices about the config file: keys that are read by nothing, or under the wrong table.
    pub warnings: Vec<Diagnostic>,
}

/// One language of a multilingual site (Hugo's `[languages.xx]`).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Language {
    pub code: String,
    /// What the language switcher shows (`languageName`, or the newer `label`).
    pub name: String,
    pub weight: f64,
    /// The site title in this language, when it has its own.
    pub title: Option<String>,
    pub language_code: Option<String>,
    /// This language's `[[languages.xx.menu.shortcuts]]`.
    pub shortcuts: Vec<Shortcut>,
    /// A content folder of this language's own (`contentDir = "content/vi"`).
    pub content_dir: Option<String>,
}

/// A link from `[[menu.shortcuts]]`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Shortcut {
    pub name: String,
    pub url: String,
    pub weight: i64,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: "Journal".into(),
            base_url: "/".into(),
            base_path: "/".into(),
            language: "en".into(),
            language_code: "en".into(),
            theme: None,
            params: Map::new(),
            deploy: DeploySettings::default(),
            auto_number: false,
            search: true,
            nav: NavMode::Auto,
            dates: ShownDates::Weeks,
            typographer: true,
            build_drafts: false,
            build_future: false,
            keep_path_case: false,
            relative_urls: false,
            ugly_urls: false,
            languages: vec![Language::named("en")],
            default_language_in_subdir: false,
            language_prefix: String::new(),
            shortcuts: Vec::new(),
            file: None,
            warnings: Vec::new(),
        }
    }
}

impl Language {
    fn named(code: &str) -> Language {
        Language {
            code: code.to_string(),
            name: code.to_string(),
            weight: 0.0,
            title: None,
            language_code: None,
            shortcuts: Vec::new(),
            content_dir: None,
        }
    }
}

/// Config files looked for at the site root, first found wins.
pub const CONFIG_FILES: [&str; 6] = [
    "worklog.toml",
    "hugo.toml",
    "config.toml",
    "hugo.yaml",
    "config.yaml",
    "config.yml",
];

impl Config {
    /// Reads the site's config, or defaults when it has none. Every wrong value comes back.
    pub fn load(site_dir: &Path) -> Result<Config, Vec<Diagnostic>> {
        let found = CONFIG_FILES
            .iter()
            .map(|name| (name, site_dir.join(name)))
            .find(|(_, path)| path.is_file());
        let mut config = match found {
            Some((name, path)) => {
                let text = std::fs::read_to_string(&path).map_err(|e| {
                    vec![Diagnostic::error(
                        &path,
                        None,
                        format!("cannot read the config file: {e}"),
                    )]
                })?;
                Source {
                    file: &path,
                    text: &text,
                    yaml: !name.ends_with(".toml"),
                    worklog_own: *name == "worklog.toml",
                }
                .read()?
            }
            None => Config::default(),
        };
        // Hugo also reads a folder of config files; a site kept there would build with
        // the defaults (no base URL, one language) without a word.
        let hugo_folder = site_dir.join("config").join("_default");
        if hugo_folder.is_dir() {
            config.warnings.push(Diagnostic::warning(
                Path::new("config").join("_default"),
                None,
                "Hugo's config folder is not read: worklog reads one file at the site's root (worklog.toml, hugo.toml, config.toml or config.yaml); move the settings there",
            ));
        }
        Ok(config)
    }

    /// Parses `worklog.toml`'s text.
    pub fn parse(text: &str) -> Result<Config, Vec<Diagnostic>> {
        Source {
            file: Path::new("worklog.toml"),
            text,
            yaml: false,
            worklog_own: true,
        }
        .read()
    }

    /// The config as pages of `lang` see it: their title, `lang` attribute and folder.
    pub fn for_language(&self, lang: &Language) -> Config {
        let mut config = self.clone();
        if let Some(title) = &lang.title {
            config.title = title.clone();
        }
        config.language_code = lang.language_code.clone().unwrap_or_else(|| {
            if lang.code == self.language {
                self.language_code.clone()
            } else {
                lang.code.clone()
            }
        });
        config.language = lang.code.clone();
        if !lang.shortcuts.is_empty() {
            config.shortcuts = lang.shortcuts.clone();
        }
        config.language_prefix = if lang.code == self.language && !self.default_language_in_subdir {
            String::new()
        } else {
            format!("{}/", lang.code)
        };
        config
    }

    pub fn is_multilingual(&self) -> bool {
        self.languages.len() > 1
    }

    /// Sets `base_url` and its path, normalised to end with `/`. The URL is absolute
    /// (`https://user.github.io/journal/`), without a scheme (`//host/journal/`), or a path
    /// (`/journal/`), as Hugo reads them; a host without a scheme (`user.github.io/journal/`)
    /// would be read as a path by Hugo, and put every link under `/user.github.io/`: refused.
    pub fn set_base_url(&mut self, url: &str) -> Result<(), String> {
        let mut url = check_base_url(url)?;
        if !url.ends_with('/') {
            url.push('/');
        }
        self.base_path = base_path_of(&url);
        self.base_url = url;
        Ok(())
    }

    /// The absolute URL of a site-relative path (`1-worklog/` → `https://…/journal/1-worklog/`).
    /// Page paths already carry their language folder (`vi/1-worklog/`).
    pub fn permalink(&self, site_path: &str) -> String {
        format!("{}{}", self.base_url, site_path.trim_start_matches('/'))
    }

    /// The root-relative URL of a site-relative path (`1-worklog/` → `/journal/1-worklog/`).
    pub fn url(&self, site_path: &str) -> String {
        format!("{}{}", self.base_path, site_path.trim_start_matches('/'))
    }
}

/// The base URL trimmed, or why it cannot be one.
pub fn check_base_url(url: &str) -> Result<String, String> {
    let url = url.trim();
    let scheme = url.find("://").map(|i| &url[..i]);
    let valid_scheme = scheme.is_some_and(|s| {
        s.starts_with(|c: char| c.is_ascii_alphabetic())
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    });
    let after_host = |rest: &str| rest.split('/').next().is_some_and(|h| !h.is_empty());
    let ok = match scheme {
        Some(_) if !valid_scheme => false,
        Some(s) => after_host(&url[s.len() + 3..]),
        None if url.starts_with("//") => after_host(&url[2..]),
        None => url.is_empty() || url.starts_with('/'),
    };
    if ok {
        return Ok(url.to_string());
    }
    let path = url.split_once('/').map_or("", |(_, p)| p);
    Err(format!(
        "base URL `{url}` is neither a URL nor a path: write `https://{}` (or `/{path}` for a path alone)",
        url.split("://")
            .last()
            .unwrap_or(url)
            .trim_start_matches('/'),
    ))
}

fn normalise_key(key: &str) -> String {
    key.chars()
        .filter(|&c| c != '_')
        .flat_map(char::to_lowercase)
        .collect()
}

/// `https://host/journal/` or `//host/journal/` → `/journal/`; `/` for anything without a
/// path.
fn base_path_of(url: &str) -> String {
    let host_and_path = url
        .find("://")
        .map(|i| &url[i + 3..])
        .or_else(|| url.strip_prefix("//"));
    let rest = match host_and_path {
        Some(after) => after.find('/').map_or("/", |j| &after[j..]),
        None => url,
    };
    let mut path = rest.to_string();
    if !path.starts_with('/') {
        path.insert(0, '/');
    }
    if !path.ends_with('/') {
        path.push('/');
    }
    path
}

pub fn toml_to_json(value: &toml::Value) -> Value {
    match value {
        toml::Value::String(s) => Value::String(s.clone()),
        toml::Value::Integer(i) => Value::from(*i),
        toml::Value::Float(f) => Value::from(*f),
        toml::Value::Boolean(b) => Value::Bool(*b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(a) => Value::Array(a.iter().map(toml_to_json).collect()),
        toml::Value::Table(t) => Value::Object(
            t.iter()
                .map(|(k, v)| (k.clone(), toml_to_json(v)))
                .collect(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_path_comes_from_the_url() {
        assert_eq!(base_path_of("https://u.github.io/journal/"), "/journal/");
        assert_eq!(base_path_of("https://example.com"), "/");
        assert_eq!(base_path_of("/"), "/");
        assert_eq!(base_path_of("/sub"), "/sub/");
        assert_eq!(base_path_of("//host/sub/"), "/sub/");
    }

    #[test]
    fn hugo_keys_are_case_insensitive() {
        let c = Config::parse("baseURL = 'https://x.io/j'\nTitle = 'T'\nlanguageCode = 'en-us'\n")
            .unwrap();
        assert_eq!(c.base_url, "https://x.io/j/");
        assert_eq!(c.base_path, "/j/");
        assert_eq!(c.title, "T");
        assert_eq!(c.language_code, "en-us");
    }

    #[test]
    fn languages_in_any_case_are_merged_and_ordered() {
        let c = Config::parse(
            "defaultContentLanguage = 'en'\n[Languages.vi]\nweight = 2\nlabel = 'Tiếng Việt'\ntitle = 'Báo cáo'\n[languages.en]\nweight = 1\nlanguageName = 'English'\n[languages.vi]\nlanguageCode = 'vi-VN'\n",
        )
        .unwrap();
        let codes: Vec<&str> = c.languages.iter().map(|l| l.code.as_str()).collect();
        assert_eq!(codes, ["en", "vi"]);
        assert_eq!(c.languages[1].name, "Tiếng Việt");
        assert_eq!(c.languages[1].language_code.as_deref(), Some("vi-VN"));
        let vi = c.for_language(&c.languages[1]);
        assert_eq!(
            (vi.title.as_str(), vi.language_prefix.as_str()),
            ("Báo cáo", "vi/")
        );
        assert_eq!(c.for_language(&c.languages[0]).language_prefix, "");
    }

    #[test]
    fn bad_toml_names_the_line() {
        let err = Config::parse("title = 'a'\nbase_url = \n").unwrap_err();
        assert_eq!(err[0].line, Some(2));
    }

    fn errors(text: &str) -> Vec<(Option<usize>, String)> {
        Config::parse(text)
            .unwrap_err()
            .into_iter()
            .map(|d| (d.line, d.message))
            .collect()
    }

    #[test]
    fn wrong_types_name_their_lines_all_at_once() {
        let e =
            errors("title = 'a'\nauto_number = \"yes\"\nnav = 5\ntheme = true\n[params]\nx = 1\n");
        assert_eq!(
            e,
            [
                (
                    Some(4),
                    "`theme` must be a theme's name, not true".to_string()
                ),
                (
                    Some(2),
                    "`auto_number = \"yes\"` must be true or false".to_string()
                ),
                (
                    Some(3),
                    "`nav = 5`: nav is \"auto\", \"inline\" or \"shared\"".to_string()
                ),
            ]
        );
        assert_eq!(errors("nav = \"bogus\"\n")[0].0, Some(1));
        assert_eq!(errors("\nparams = 3\n")[0].0, Some(2));
        assert_eq!(errors("[nav]\nx = 1\n")[0].0, Some(1));
    }

    #[test]
    fn flags_and_text_are_read_as_hugo_weakly_decodes_them() {
        let c = Config::parse(
            "buildDrafts = \"true\"\nauto_number = 1\nrelativeURLs = \"f\"\ntitle = 2025\n",
        )
        .unwrap();
        assert!(c.build_drafts && c.auto_number && !c.relative_urls);
        assert_eq!(c.title, "2025");
    }

    #[test]
    fn base_urls_are_urls_or_paths_never_hosts_read_as_paths() {
        let mut c = Config::default();
        for (url, path) in [
            ("https://u.github.io/journal", "/journal/"),
            ("//u.github.io/journal/", "/journal/"),
            ("/journal/", "/journal/"),
            ("", "/"),
        ] {
            c.set_base_url(url).unwrap();
            assert_eq!(c.base_path, path, "{url}");
        }
        let e = c.set_base_url("user.github.io/journal/").unwrap_err();
        assert!(e.contains("`https://user.github.io/journal/`"), "{e}");
        assert!(e.contains("`/journal/`"), "{e}");
        for bad in ["journal", "https://", "ht tp://x/", "///x"] {
            assert!(c.set_base_url(bad).is_err(), "{bad}");
        }
        assert_eq!(errors("base_url = 'x.io/j'\n")[0].0, Some(1));
    }
}
