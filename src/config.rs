//! Site configuration: `worklog.toml`, or Hugo's `config.toml` / `hugo.toml` for the same keys.
//!
//! Knows nothing of content or themes: it only reads and normalises settings. A value of
//! the wrong type is an error naming its line; in `worklog.toml`, whose keys are all
//! worklog's, a key worklog does not read is a warning.

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

/// The top-level keys worklog reads, compared as [`normalise_key`] makes them.
const KEYS: [&str; 17] = [
    "title",
    "baseurl",
    "language",
    "defaultcontentlanguage",
    "languagecode",
    "theme",
    "params",
    "autonumber",
    "nav",
    "builddrafts",
    "buildfuture",
    "disablepathtolower",
    "relativeurls",
    "uglyurls",
    "defaultcontentlanguageinsubdir",
    "languages",
    "menu",
];

impl Config {
    /// Reads the site's config, or defaults when it has none. Every wrong value comes back.
    pub fn load(site_dir: &Path) -> Result<Config, Vec<Diagnostic>> {
        for name in CONFIG_FILES {
            let path = site_dir.join(name);
            if !path.is_file() {
                continue;
            }
            let text = std::fs::read_to_string(&path).map_err(|e| {
                vec![Diagnostic::error(
                    &path,
                    None,
                    format!("cannot read the config file: {e}"),
                )]
            })?;
            let source = Source {
                file: &path,
                text: &text,
                yaml: !name.ends_with(".toml"),
                worklog_own: name == "worklog.toml",
            };
            return source.read();
        }
        Ok(Config::default())
    }

    /// Parses `worklog.toml`'s text. Hugo's keys are case-insensitive (`baseURL`,
    /// `baseurl`), so keys are compared lowercased with `_` removed: `base_url` and
    /// `baseURL` are one key.
    pub fn parse(text: &str) -> Result<Config, Vec<Diagnostic>> {
        Source {
            file: Path::new("worklog.toml"),
            text,
            yaml: false,
            worklog_own: true,
        }
        .read()
    }

    fn from_table(table: &toml::Table, source: &Source) -> Result<Config, Vec<Diagnostic>> {
        let mut read = Reader {
            table,
            source,
            errors: Vec::new(),
        };
        let mut config = Config::default();
        if let Some(title) = read.text("title") {
            config.title = title;
        }
        if let Some(url) = read.text("baseurl")
            && let Err(message) = config.set_base_url(&url)
        {
            read.error("baseurl", message);
        }
        if let Some(lang) = read
            .text("defaultcontentlanguage")
            .or_else(|| read.text("language"))
        {
            config.language = lang.to_lowercase();
        }
        config.language_code = read
            .text("languagecode")
            .unwrap_or_else(|| config.language.clone());
        config.theme = match read.get("theme") {
            None => None,
            Some((_, toml::Value::String(s))) => Some(s.clone()),
            // Hugo allows a list of themes; the first is the main one.
            Some((_, toml::Value::Array(a))) if a.iter().all(toml::Value::is_str) => {
                a.first().and_then(|v| v.as_str()).map(str::to_owned)
            }
            Some((key, value)) => {
                let message = format!("`{key}` must be a theme's name, not {}", shown(value));
                read.error("theme", message);
                None
            }
        };
        match read.get("params") {
            None => {}
            Some((_, toml::Value::Table(params))) => {
                config.params = toml_to_json(&toml::Value::Table(params.clone()))
                    .as_object()
                    .cloned()
                    .unwrap_or_default();
            }
            Some((key, value)) => {
                let message = format!("`{key}` must be a table ([{key}]), not {}", shown(value));
                read.error("params", message);
            }
        }
        config.auto_number = read.flag("autonumber").unwrap_or(false);
        config.build_drafts = read.flag("builddrafts").unwrap_or(false);
        config.build_future = read.flag("buildfuture").unwrap_or(false);
        config.keep_path_case = read.flag("disablepathtolower").unwrap_or(false);
        // With both on, Hugo makes links relative: relative wins.
        config.relative_urls = read.flag("relativeurls").unwrap_or(false);
        config.ugly_urls = read.flag("uglyurls").unwrap_or(false);
        config.default_language_in_subdir =
            read.flag("defaultcontentlanguageinsubdir").unwrap_or(false);
        config.languages = languages(table, &config.language);
        config.shortcuts = shortcuts(read.get("menu").map(|(_, v)| v));
        if let Some((key, value)) = read.get("nav") {
            match value.as_str() {
                Some("auto") => config.nav = NavMode::Auto,
                Some("inline") => config.nav = NavMode::Inline,
                Some("shared") => config.nav = NavMode::Shared,
                _ => {
                    let message = format!(
                        "`{key} = {}`: nav is \"auto\", \"inline\" or \"shared\"",
                        shown(value)
                    );
                    read.error("nav", message);
                }
            }
        }
        if read.errors.is_empty() {
            Ok(config)
        } else {
            Err(read.errors)
        }
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

/// A config file's text: its values, and the lines they are set on for messages.
struct Source<'a> {
    file: &'a Path,
    text: &'a str,
    yaml: bool,
    /// `worklog.toml`, whose every key is worklog's (a Hugo config has hundreds more).
    worklog_own: bool,
}

impl Source<'_> {
    fn read(&self) -> Result<Config, Vec<Diagnostic>> {
        let table = if self.yaml {
            parse_yaml(self.text)
        } else {
            parse_toml(self.text)
        }
        .map_err(|(line, message)| vec![Diagnostic::error(self.file, line, message)])?;
        let mut config = Config::from_table(&table, self)?;
        config.file = Some(self.file.to_path_buf());
        if self.worklog_own {
            config.warnings = self.stray_keys(&table);
        }
        Ok(config)
    }

    /// The line where the top-level `key` (as [`normalise_key`] makes it) is set:
    /// `key = …` above the first `[table]`, `[key]`, or `key: …` in YAML.
    fn line_of(&self, key: &str) -> Option<usize> {
        let mut at_top = true;
        for (i, line) in self.text.lines().enumerate() {
            let t = line.trim_start();
            let found = if self.yaml {
                !line.starts_with([' ', '\t', '#', '-'])
                    && t.split_once(':')
                        .is_some_and(|(k, _)| normalise_key(unquote(k)) == key)
            } else if t.starts_with('[') {
                at_top = false;
                normalise_key(table_name(t)) == key
            } else {
                at_top
                    && t.split_once('=')
                        .is_some_and(|(k, _)| normalise_key(unquote(k)) == key)
            };
            if found {
                return Some(i + 1);
            }
        }
        None
    }

    /// Keys worklog does not read, and settings written below `[params]`, where TOML makes
    /// them params: `theme = "mine"` appended to the file is `params.theme`.
    fn stray_keys(&self, table: &toml::Table) -> Vec<Diagnostic> {
        let mut warnings: Vec<Diagnostic> = table
            .keys()
            .filter(|k| !KEYS.contains(&normalise_key(k).as_str()))
            .map(|k| {
                Diagnostic::warning(
                    self.file,
                    self.line_of(&normalise_key(k)),
                    format!("`{k}` is not a setting of worklog.toml, so it is ignored: the settings are title, base_url, language, language_code, theme, auto_number, nav, [params], and Hugo's names for them"),
                )
            })
            .collect();
        let mut in_params = false;
        for (i, line) in self.text.lines().enumerate() {
            let t = line.trim_start();
            if t.starts_with('[') {
                in_params = normalise_key(table_name(t)) == "params";
            } else if let Some((key, _)) = t.split_once('=').filter(|_| in_params) {
                let key = unquote(key);
                if KEYS.contains(&normalise_key(key).as_str()) {
                    warnings.push(Diagnostic::warning(
                        self.file,
                        Some(i + 1),
                        format!("`{key}` is under [params], where it is a param, not the setting: move it above [params]"),
                    ));
                }
            }
        }
        warnings
    }
}

/// `[params]  # x` → `params`; `[[menu.shortcuts]]` → `menu.shortcuts`.
fn table_name(header: &str) -> &str {
    header
        .trim_start_matches('[')
        .split(']')
        .next()
        .map_or("", |n| unquote(n))
}

fn unquote(key: &str) -> &str {
    key.trim().trim_matches(['"', '\''])
}

/// Reads typed values from the top of a config table, keeping every error with its line.
struct Reader<'a> {
    table: &'a toml::Table,
    source: &'a Source<'a>,
    errors: Vec<Diagnostic>,
}

impl<'a> Reader<'a> {
    /// The key as written and its value.
    fn get(&self, key: &str) -> Option<(&'a str, &'a toml::Value)> {
        self.table
            .iter()
            .find(|(k, _)| normalise_key(k) == key)
            .map(|(k, v)| (k.as_str(), v))
    }

    fn error(&mut self, key: &str, message: String) {
        let line = self.source.line_of(key);
        self.errors
            .push(Diagnostic::error(self.source.file, line, message));
    }

    /// Text, or a number as its text, as Hugo's weak decoding reads it.
    fn text(&mut self, key: &str) -> Option<String> {
        let (written, value) = self.get(key)?;
        match value {
            toml::Value::String(s) => Some(s.clone()),
            toml::Value::Integer(i) => Some(i.to_string()),
            toml::Value::Float(f) => Some(f.to_string()),
            other => {
                let message = format!("`{written}` must be text, not {}", shown(other));
                self.error(key, message);
                None
            }
        }
    }

    /// A flag as Hugo's weak decoding reads it: a boolean, a number (not 0 is true), or
    /// Go's words for true and false (`"true"`, `"1"`, `"f"`, …). `"yes"` is none of them:
    /// Hugo stops with an error, and so does worklog.
    fn flag(&mut self, key: &str) -> Option<bool> {
        let (written, value) = self.get(key)?;
        match value {
            toml::Value::Boolean(b) => Some(*b),
            toml::Value::Integer(i) => Some(*i != 0),
            toml::Value::Float(f) => Some(*f != 0.0),
            toml::Value::String(s) => match s.as_str() {
                "1" | "t" | "T" | "true" | "True" | "TRUE" => Some(true),
                "0" | "f" | "F" | "false" | "False" | "FALSE" | "" => Some(false),
                _ => {
                    let message = format!("`{written} = {}` must be true or false", shown(value));
                    self.error(key, message);
                    None
                }
            },
            other => {
                let message = format!("`{written} = {}` must be true or false", shown(other));
                self.error(key, message);
                None
            }
        }
    }
}

/// A value as a message shows it: as written in TOML, tables by their kind.
fn shown(value: &toml::Value) -> String {
    match value {
        toml::Value::Table(_) => "a table".to_string(),
        other => other.to_string(),
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
    fn yaml_config_and_menu_shortcuts() {
        let c = Source {
            file: Path::new("config.yaml"),
            text: "baseURL: https://x.io/y/\ntitle: Y\nmenu:\n  shortcuts:\n    - name: \"<i class='fab fa-aws'></i> AWS\"\n      url: https://aws.amazon.com\n      weight: 2\n",
            yaml: true,
            worklog_own: false,
        }
        .read()
        .unwrap();
        assert_eq!((c.title.as_str(), c.base_path.as_str()), ("Y", "/y/"));
        assert_eq!(c.shortcuts[0].name, "AWS");
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
    fn settings_below_params_and_unknown_keys_are_named() {
        let c = Config::parse(
            "title = 'T'\nbase_ur = '/x/'\n[params]\nauthor = 'A'\ntheme = \"mine\"\n[params.deep]\nnav = 'x'\n",
        )
        .unwrap();
        let w: Vec<(Option<usize>, &str)> = c
            .warnings
            .iter()
            .map(|d| (d.line, d.message.as_str()))
            .collect();
        assert_eq!(w.len(), 2, "{w:?}");
        assert_eq!(w[0].0, Some(2));
        assert!(w[0].1.starts_with("`base_ur` is not a setting"), "{w:?}");
        assert_eq!(
            w[1],
            (
                Some(5),
                "`theme` is under [params], where it is a param, not the setting: move it above [params]"
            )
        );
        assert_eq!(c.theme, None);
        // Hugo's configs have hundreds of keys worklog does not read, and themes read params.
        let hugo = Source {
            file: Path::new("config.toml"),
            text: "canonifyURLs = true\n[params]\ntitle = 'x'\n",
            yaml: false,
            worklog_own: false,
        };
        assert!(hugo.read().unwrap().warnings.is_empty());
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
