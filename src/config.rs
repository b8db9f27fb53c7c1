//! Site configuration: `worklog.toml`, or Hugo's `config.toml` / `hugo.toml` for the same keys.
//!
//! Knows nothing of content or themes: it only reads and normalises settings.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use crate::diagnostics::{Diagnostic, line_of_offset};
use crate::text::strip_tags;

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
    pub nav: NavMode,
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
            auto_number: false,
            nav: NavMode::Auto,
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
    /// Reads the site's config, or defaults when it has none.
    pub fn load(site_dir: &Path) -> Result<Config, Diagnostic> {
        for name in CONFIG_FILES {
            let path = site_dir.join(name);
            if !path.is_file() {
                continue;
            }
            let text = std::fs::read_to_string(&path).map_err(|e| {
                Diagnostic::error(&path, None, format!("cannot read the config file: {e}"))
            })?;
            let table = if name.ends_with(".toml") {
                parse_toml(&text)
            } else {
                parse_yaml(&text)
            };
            let mut config = table
                .and_then(|t| Config::from_table(&t))
                .map_err(|(line, msg)| Diagnostic::error(&path, line, msg))?;
            config.file = Some(path);
            return Ok(config);
        }
        Ok(Config::default())
    }

    /// Parses either dialect. Hugo's keys are case-insensitive (`baseURL`, `baseurl`), so
    /// keys are compared lowercased with `_` removed: `base_url` and `baseURL` are one key.
    pub fn parse(text: &str) -> Result<Config, (Option<usize>, String)> {
        Config::from_table(&parse_toml(text)?)
    }

    fn from_table(table: &toml::Table) -> Result<Config, (Option<usize>, String)> {
        let get = |key: &str| {
            table
                .iter()
                .find(|(k, _)| normalise_key(k) == key)
                .map(|(_, v)| v)
        };
        let string = |key: &str| get(key).and_then(|v| v.as_str()).map(str::to_owned);
        let boolean = |key: &str| get(key).and_then(|v| v.as_bool());

        let mut config = Config::default();
        if let Some(title) = string("title") {
            config.title = title;
        }
        if let Some(url) = string("baseurl") {
            config.set_base_url(&url);
        }
        if let Some(lang) = string("defaultcontentlanguage").or_else(|| string("language")) {
            config.language = lang.to_lowercase();
        }
        config.language_code = string("languagecode").unwrap_or_else(|| config.language.clone());
        config.theme = match get("theme") {
            Some(toml::Value::String(s)) => Some(s.clone()),
            // Hugo allows a list of themes; the first is the main one.
            Some(toml::Value::Array(a)) => a.first().and_then(|v| v.as_str()).map(str::to_owned),
            _ => None,
        };
        if let Some(toml::Value::Table(params)) = get("params") {
            config.params = toml_to_json(&toml::Value::Table(params.clone()))
                .as_object()
                .cloned()
                .unwrap_or_default();
        }
        config.auto_number = boolean("autonumber").unwrap_or(false);
        config.build_drafts = boolean("builddrafts").unwrap_or(false);
        config.build_future = boolean("buildfuture").unwrap_or(false);
        config.keep_path_case = boolean("disablepathtolower").unwrap_or(false);
        // With both on, Hugo makes links relative: relative wins.
        config.relative_urls = boolean("relativeurls").unwrap_or(false);
        config.ugly_urls = boolean("uglyurls").unwrap_or(false);
        config.default_language_in_subdir =
            boolean("defaultcontentlanguageinsubdir").unwrap_or(false);
        config.languages = languages(table, &config.language);
        config.shortcuts = shortcuts(get("menu"));
        if let Some(nav) = string("nav") {
            config.nav = match nav.as_str() {
                "auto" => NavMode::Auto,
                "inline" => NavMode::Inline,
                "shared" => NavMode::Shared,
                other => {
                    return Err((
                        None,
                        format!("nav = \"{other}\": expected \"auto\", \"inline\" or \"shared\""),
                    ));
                }
            };
        }
        Ok(config)
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

    /// Sets `base_url` and its path, normalised to end with `/`.
    pub fn set_base_url(&mut self, url: &str) {
        let mut url = url.trim().to_string();
        if !url.ends_with('/') {
            url.push('/');
        }
        self.base_path = base_path_of(&url);
        self.base_url = url;
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

/// `[languages]` (in any letter case; `[Languages]` and `[languages]` merged), ordered by
/// weight with the default language first.
fn languages(table: &toml::Table, default: &str) -> Vec<Language> {
    let mut merged: Vec<(String, toml::Table)> = Vec::new();
    for (key, value) in table {
        let (true, Some(langs)) = (normalise_key(key) == "languages", value.as_table()) else {
            continue;
        };
        for (code, settings) in langs {
            let Some(settings) = settings.as_table() else {
                continue;
            };
            let code = code.to_lowercase();
            match merged.iter_mut().find(|(c, _)| *c == code) {
                Some((_, existing)) => existing.extend(settings.clone()),
                None => merged.push((code, settings.clone())),
            }
        }
    }
    let mut languages: Vec<Language> = merged
        .into_iter()
        .map(|(code, settings)| {
            let get = |key: &str| {
                settings
                    .iter()
                    .find(|(k, _)| normalise_key(k) == key)
                    .map(|(_, v)| v)
            };
            let string = |key: &str| get(key).and_then(|v| v.as_str()).map(str::to_owned);
            Language {
                name: string("languagename")
                    .or_else(|| string("label"))
                    .unwrap_or_else(|| code.clone()),
                weight: get("weight")
                    .and_then(|w| w.as_float().or_else(|| w.as_integer().map(|i| i as f64)))
                    .unwrap_or(0.0),
                title: string("title"),
                language_code: string("languagecode"),
                shortcuts: shortcuts(get("menu")),
                content_dir: string("contentdir"),
                code,
            }
        })
        .collect();
    if !languages.iter().any(|l| l.code == default) {
        languages.push(Language::named(default));
    }
    languages.sort_by(|a, b| {
        (a.code != default)
            .cmp(&(b.code != default))
            .then(a.weight.total_cmp(&b.weight))
            .then(a.code.cmp(&b.code))
    });
    languages
}

fn parse_toml(text: &str) -> Result<toml::Table, (Option<usize>, String)> {
    toml::from_str(text).map_err(|e| {
        let line = e.span().map(|s| line_of_offset(text, s.start));
        (line, format!("invalid TOML: {}", e.message()))
    })
}

fn parse_yaml(text: &str) -> Result<toml::Table, (Option<usize>, String)> {
    serde_yaml::from_str(text).map_err(|e| {
        let line = e.location().map(|l| l.line());
        (line, format!("invalid YAML: {e}"))
    })
}

/// `[[menu.shortcuts]]`: links the theme shows under the contents.
fn shortcuts(menu: Option<&toml::Value>) -> Vec<Shortcut> {
    let Some(menu) = menu.and_then(|m| m.as_table()) else {
        return Vec::new();
    };
    let items = menu
        .iter()
        .find(|(k, _)| normalise_key(k) == "shortcuts")
        .and_then(|(_, v)| v.as_array());
    let mut shortcuts: Vec<Shortcut> = items
        .into_iter()
        .flatten()
        .filter_map(|item| {
            let item = item.as_table()?;
            let get = |key: &str| {
                item.iter()
                    .find(|(k, _)| normalise_key(k) == key)
                    .map(|(_, v)| v)
            };
            let name = get("name")?.as_str()?;
            Some(Shortcut {
                // Names carry icon markup for the Hugo theme (`<i class='fab fa-aws'></i>`).
                name: strip_tags(name).trim().to_string(),
                url: get("url")?.as_str()?.to_string(),
                weight: get("weight").and_then(|w| w.as_integer()).unwrap_or(0),
            })
        })
        .collect();
    shortcuts.sort_by_key(|s| s.weight);
    shortcuts
}

fn normalise_key(key: &str) -> String {
    key.chars()
        .filter(|&c| c != '_')
        .flat_map(char::to_lowercase)
        .collect()
}

/// `https://host/journal/` → `/journal/`; `/` for anything without a path.
fn base_path_of(url: &str) -> String {
    let rest = match url.find("://") {
        Some(i) => {
            let after = &url[i + 3..];
            match after.find('/') {
                Some(j) => &after[j..],
                None => "/",
            }
        }
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
    fn yaml_config_and_menu_shortcuts() {
        let table = parse_yaml("baseURL: https://x.io/y/\ntitle: Y\nmenu:\n  shortcuts:\n    - name: \"<i class='fab fa-aws'></i> AWS\"\n      url: https://aws.amazon.com\n      weight: 2\n").unwrap();
        let c = Config::from_table(&table).unwrap();
        assert_eq!((c.title.as_str(), c.base_path.as_str()), ("Y", "/y/"));
        assert_eq!(c.shortcuts[0].name, "AWS");
    }

    #[test]
    fn bad_toml_names_the_line() {
        let err = Config::parse("title = 'a'\nbase_url = \n").unwrap_err();
        assert_eq!(err.0, Some(2));
    }
}
