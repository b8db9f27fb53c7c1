//! Reading a config file: TOML or YAML into [`Config`], each value checked for its type,
//! every error and notice named with the file's line.
//!
//! Hugo's keys are case-insensitive (`baseURL`, `baseurl`), so keys are compared as
//! [`normalise_key`] makes them: `base_url` and `baseURL` are one key.

use std::path::Path;

use super::{
    Config, DeploySettings, Language, NavMode, Shortcut, ShownDates, normalise_key, toml_to_json,
};
use crate::diagnostics::{Diagnostic, WarningKind, line_of_offset};
use crate::text::strip_tags;

/// The top-level keys worklog reads, compared as [`normalise_key`] makes them.
const KEYS: [&str; 22] = [
    "title",
    "baseurl",
    "language",
    "defaultcontentlanguage",
    "languagecode",
    "theme",
    "params",
    "autonumber",
    "nav",
    "dates",
    "typographer",
    "markup",
    "search",
    "builddrafts",
    "buildfuture",
    "disablepathtolower",
    "relativeurls",
    "uglyurls",
    "defaultcontentlanguageinsubdir",
    "languages",
    "menu",
    "deploy",
];

impl Config {
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
        config.search = read.flag("search").unwrap_or(true);
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
        let navs = [
            ("auto", NavMode::Auto),
            ("inline", NavMode::Inline),
            ("shared", NavMode::Shared),
        ];
        if let Some(nav) = read.choice("nav", &navs) {
            config.nav = nav;
        }
        let dates = [
            ("weeks", ShownDates::Weeks),
            ("all", ShownDates::All),
            ("none", ShownDates::None),
        ];
        if let Some(dates) = read.choice("dates", &dates) {
            config.dates = dates;
        }
        config.typographer = read
            .flag("typographer")
            .or_else(|| hugo_typographer(table))
            .unwrap_or(true);
        match read.get("deploy") {
            None => {}
            Some((_, toml::Value::Table(table))) => match DeploySettings::from_table(table) {
                Ok(settings) => config.deploy = settings,
                Err((key, message)) => {
                    let line = key
                        .and_then(|k| source.line_in_table("deploy", &k))
                        .or_else(|| source.line_of("deploy"));
                    let message = format!("[deploy] {message}");
                    read.errors
                        .push(Diagnostic::error(source.file, line, message));
                }
            },
            Some((key, value)) => {
                let message = format!("`{key}` must be a table ([{key}]), not {}", shown(value));
                read.error("deploy", message);
            }
        }
        if read.errors.is_empty() {
            Ok(config)
        } else {
            Err(read.errors)
        }
    }
}

/// A config file's text: its values, and the lines they are set on for messages.
pub(super) struct Source<'a> {
    pub file: &'a Path,
    pub text: &'a str,
    pub yaml: bool,
    /// `worklog.toml`, whose every key is worklog's (a Hugo config has hundreds more).
    pub worklog_own: bool,
}

/// Hugo's switch for its typographer: `[markup.goldmark.extensions] typographer = false`
/// (Hugo 0.111), or `[markup.goldmark.extensions.typographer] disable = true` (later).
fn hugo_typographer(table: &toml::Table) -> Option<bool> {
    fn get<'t>(table: &'t toml::Table, key: &str) -> Option<&'t toml::Value> {
        table
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v)
    }
    let goldmark = get(get(table, "markup")?.as_table()?, "goldmark")?.as_table()?;
    match get(get(goldmark, "extensions")?.as_table()?, "typographer")? {
        toml::Value::Boolean(on) => Some(*on),
        toml::Value::Table(switch) => get(switch, "disable")?.as_bool().map(|off| !off),
        _ => None,
    }
}

impl Source<'_> {
    pub fn read(&self) -> Result<Config, Vec<Diagnostic>> {
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
    pub(super) fn line_of(&self, key: &str) -> Option<usize> {
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

    /// The line where `key` is set inside `[table]` of a TOML file.
    fn line_in_table(&self, table: &str, key: &str) -> Option<usize> {
        let mut inside = false;
        for (i, line) in self.text.lines().enumerate() {
            let t = line.trim_start();
            if t.starts_with('[') {
                inside = normalise_key(table_name(t)) == table;
            } else if inside && t.split_once('=').is_some_and(|(k, _)| unquote(k) == key) {
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
                    format!("`{k}` is not a setting of worklog.toml, so it is ignored: the settings are title, base_url, language, language_code, theme, auto_number, nav, dates, typographer, search, [params], [deploy], and Hugo's names for them"),
                )
                .of_kind(Some(WarningKind::UnknownConfigKey))
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
    /// One of the `options` a key names, or an error listing them.
    fn choice<T: Copy>(&mut self, key: &str, options: &[(&str, T)]) -> Option<T> {
        let (written, value) = self.get(key)?;
        let found = options
            .iter()
            .find(|(name, _)| value.as_str() == Some(name))
            .map(|&(_, v)| v);
        if found.is_none() {
            let names: Vec<String> = options.iter().map(|(n, _)| format!("\"{n}\"")).collect();
            let (last, rest) = names.split_last().expect("options to choose from");
            let message = format!(
                "`{written} = {}`: {key} is {} or {last}",
                shown(value),
                rest.join(", ")
            );
            self.error(key, message);
        }
        found
    }

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

/// A TOML file's table, or the line and message of its error. One reader for every TOML
/// file worklog takes (config, `theme.toml`, i18n).
pub fn parse_toml(text: &str) -> Result<toml::Table, (Option<usize>, String)> {
    toml::from_str(text).map_err(|e| {
        let line = e.span().map(|s| line_of_offset(text, s.start));
        (line, format!("invalid TOML: {}", e.message()))
    })
}

fn parse_yaml(text: &str) -> Result<toml::Table, (Option<usize>, String)> {
    serde_yaml::from_str(text).map_err(|e| {
        // The YAML parser counts a lone `\r` as a line break: its own line can lie past
        // the end of the file.
        let line = e.location().map(|l| line_of_offset(text, l.index()));
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
