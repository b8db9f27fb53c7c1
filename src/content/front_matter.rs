//! Front matter: the YAML (`---`) or TOML (`+++`) block at the top of a content file.
//!
//! Hugo's keys are case-insensitive (`menuTitle`, `menutitle`), values are loosely typed
//! (`weight: "3"`), and real files carry BOMs and CRLF: all of that is accepted here, read
//! as Hugo reads it. What Hugo reads differently from what the author likely meant (a
//! weight that is no number, a key set twice) comes back as a warning with its line.

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::{dates, yaml};
use crate::config::toml_to_json;
use crate::diagnostics::line_of_offset;

/// The fields worklog understands; everything else is kept in `extra` for templates.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FrontMatter {
    pub title: Option<String>,
    /// As written (`2025-09-09`, `2025-09-09T10:00:00+07:00`); see [`FrontMatter::date_ymd`].
    pub date: Option<String>,
    pub weight: Option<f64>,
    pub chapter: bool,
    pub pre: Option<String>,
    pub draft: bool,
    pub hidden: bool,
    pub menu_title: Option<String>,
    pub description: Option<String>,
    pub aliases: Vec<String>,
    pub slug: Option<String>,
    pub url: Option<String>,
    pub extra: Map<String, Value>,
}

/// A front matter block that could not be read, with the line in the whole file.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct FrontMatterError {
    pub line: usize,
    pub message: String,
}

/// A value read, but perhaps not as its author meant: the line in the whole file.
#[derive(Debug, Clone, PartialEq)]
pub struct FrontMatterWarning {
    pub line: usize,
    pub message: String,
}

/// A file split into its front matter and its body.
#[derive(Debug, Clone, PartialEq)]
pub struct Split<'a> {
    pub front_matter: FrontMatter,
    pub body: &'a str,
    /// 1-based line of the body's first line in the file.
    pub body_line: usize,
    pub warnings: Vec<FrontMatterWarning>,
}

/// Where the front matter is: its format, the block between the fences, and where the
/// body starts. `None` when the file has none.
struct Block<'a> {
    format: Format,
    text: &'a str,
    body_start: usize,
}

fn find_block(text: &str) -> Result<Option<Block<'_>>, FrontMatterError> {
    let (fence, format) = if text.starts_with("---") {
        ("---", Format::Yaml)
    } else if text.starts_with("+++") {
        ("+++", Format::Toml)
    } else {
        return Ok(None);
    };
    let first_line_end = text.find('\n').unwrap_or(text.len());
    if text[fence.len()..first_line_end].trim() != "" {
        // `---title` or a thematic break followed by text: not a front matter fence.
        return Ok(None);
    }
    let block_start = (first_line_end + 1).min(text.len());
    let mut offset = block_start;
    for line in text[block_start..].split_inclusive('\n') {
        // Hugo's rule (its page lexer): a line that starts with the fence closes the
        // block, and the rest of that line, past its line break, is the body's start. A
        // line of twenty dashes closes it too, leaving seventeen: a thematic break.
        if let Some(rest) = line.strip_prefix(fence) {
            let line_break = usize::from(rest.starts_with('\n'));
            return Ok(Some(Block {
                format,
                text: &text[block_start..offset],
                body_start: offset + fence.len() + line_break,
            }));
        }
        offset += line.len();
    }
    Err(FrontMatterError {
        line: 1,
        message: format!("the front matter opened with `{fence}` on line 1 is never closed"),
    })
}

/// Splits and parses. `text` must already be free of a BOM and of `\r\n`.
pub fn split(text: &str) -> Result<Split<'_>, FrontMatterError> {
    let Some(Block {
        format,
        text: block,
        body_start,
    }) = find_block(text)?
    else {
        return Ok(no_front_matter(text));
    };
    // Line 1 is the opening fence, so the block's first line is line 2 of the file.
    let (fields, duplicates) =
        format
            .parse(block)
            .map_err(|(line_in_block, message)| FrontMatterError {
                line: line_in_block + 1,
                message,
            })?;
    let (front_matter, notes) = FrontMatter::from_fields(fields);
    // Each key's lines are found once: a key set thousands of times must not rescan the
    // block for every repeat.
    let keys = duplicates
        .iter()
        .map(|d| d.path.clone())
        .chain(notes.iter().map(|(key, _)| vec![key.to_string()]));
    let mut found: HashMap<Vec<String>, Vec<usize>> = HashMap::new();
    for path in keys {
        found
            .entry(path)
            .or_insert_with_key(|p| format.key_lines(block, p));
    }
    let line_of = |path: &[String], occurrence: Option<usize>| {
        let lines = found.get(path).map_or(&[][..], Vec::as_slice);
        let line = match occurrence {
            Some(n) => lines.get(n).or(lines.last()),
            None => lines.last(),
        };
        (line.map_or(1, |l| l + 1), lines.first().map(|l| l + 1))
    };
    let mut warnings: Vec<FrontMatterWarning> = duplicates
        .iter()
        .map(|d| {
            let (line, first) = line_of(&d.path, Some(d.occurrence));
            let earlier = first.map_or(String::new(), |l| format!(" (first on line {l})"));
            FrontMatterWarning {
                line,
                message: format!(
                    "`{}` is set again{earlier}: the last value is used, as Hugo did before 0.152; newer Hugo stops with an error. Keep one",
                    d.path.join(".")
                ),
            }
        })
        .collect();
    warnings.extend(notes.into_iter().map(|(key, message)| FrontMatterWarning {
        line: line_of(&[key.to_string()], None).0,
        message,
    }));
    Ok(Split {
        front_matter,
        body: &text[body_start..],
        body_line: line_of_offset(text, body_start),
        warnings,
    })
}

fn no_front_matter(text: &str) -> Split<'_> {
    Split {
        front_matter: FrontMatter::default(),
        body: text,
        body_line: 1,
        warnings: Vec::new(),
    }
}

#[derive(Clone, Copy)]
enum Format {
    Yaml,
    Toml,
}

/// The fields of a block and the keys it sets twice.
type Fields = (Map<String, Value>, Vec<yaml::Duplicate>);

impl Format {
    /// Returns the fields and the keys set twice, or the 1-based line within the block and
    /// a message.
    fn parse(&self, block: &str) -> Result<Fields, (usize, String)> {
        match self {
            Format::Yaml => {
                if block.trim().is_empty() {
                    return Ok((Map::new(), Vec::new()));
                }
                let (value, duplicates) = yaml::parse(block).map_err(|e| {
                    // The YAML parser counts a lone `\r` (and U+2028) as a line break:
                    // its own line number can lie past the end of the file.
                    let line = e
                        .location()
                        .map(|l| line_of_offset(block, l.index()))
                        .unwrap_or(1);
                    (
                        line,
                        format!("invalid YAML front matter: {}", yaml_message(&e)),
                    )
                })?;
                match value {
                    Value::Object(map) => Ok((map, duplicates)),
                    Value::Null => Ok((Map::new(), duplicates)),
                    other => Err((
                        1,
                        format!(
                            "front matter must be `key: value` lines, found {}",
                            kind(&other)
                        ),
                    )),
                }
            }
            Format::Toml => {
                let table: toml::Table = toml::from_str(block).map_err(|e| {
                    let line = e
                        .span()
                        .map(|s| line_of_offset(block, s.start))
                        .unwrap_or(1);
                    (
                        line,
                        format!("invalid TOML front matter: {}", e.message().trim()),
                    )
                })?;
                // TOML refuses a key set twice, so there are no duplicates to report.
                match toml_to_json(&toml::Value::Table(table)) {
                    Value::Object(map) => Ok((map, Vec::new())),
                    _ => Ok((Map::new(), Vec::new())),
                }
            }
        }
    }

    /// The 1-based lines of `block` where the key `path` is set. TOML keys are looked for
    /// at the top, before any `[table]`: the only ones front matter fields come from.
    fn key_lines(self, block: &str, path: &[String]) -> Vec<usize> {
        match (self, path) {
            (Format::Yaml, _) => yaml::key_lines(block, path),
            (Format::Toml, [key]) => block
                .lines()
                .take_while(|l| !l.trim_start().starts_with('['))
                .enumerate()
                .filter(|(_, l)| {
                    l.split_once('=').is_some_and(|(k, _)| {
                        k.trim().trim_matches(['"', '\'']).eq_ignore_ascii_case(key)
                    })
                })
                .map(|(i, _)| i + 1)
                .collect(),
            (Format::Toml, _) => Vec::new(),
        }
    }
}

/// serde_yaml appends " at line L column C" to its messages; the line is reported separately.
fn yaml_message(e: &serde_yaml::Error) -> String {
    let msg = e.to_string();
    match msg.find(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg,
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "nothing",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a map",
    }
}

impl FrontMatter {
    /// Reads the fields as Hugo does, with a note for each key whose value Hugo reads
    /// differently from what its author likely meant.
    fn from_fields(fields: Map<String, Value>) -> (FrontMatter, Vec<(&'static str, String)>) {
        let mut fm = FrontMatter::default();
        let mut notes = Vec::new();
        for (key, value) in fields {
            match key.to_lowercase().as_str() {
                "title" => fm.title = scalar_string(&value),
                "date" => {
                    fm.date = scalar_string(&value).filter(|s| !s.trim().is_empty());
                    if fm.date.is_none() && !value.is_null() && !is_blank(&value) {
                        notes.push((
                            "date",
                            format!(
                                "`date` is {}, not a date: the page has no date",
                                kind(&value)
                            ),
                        ));
                    }
                }
                "weight" => {
                    let (weight, note) = weight(&value);
                    fm.weight = weight;
                    notes.extend(note.map(|n| ("weight", n)));
                }
                "chapter" => fm.chapter = flag("chapter", &value, &mut notes),
                "pre" => fm.pre = scalar_string(&value),
                "draft" => fm.draft = flag("draft", &value, &mut notes),
                "hidden" => fm.hidden = flag("hidden", &value, &mut notes),
                "menutitle" | "linktitle" => {
                    if fm.menu_title.is_none() || key.eq_ignore_ascii_case("menutitle") {
                        fm.menu_title = scalar_string(&value);
                    }
                }
                "description" => fm.description = scalar_string(&value),
                "aliases" => {
                    let aliases = match &value {
                        Value::Array(items) => items.iter().filter_map(scalar_string).collect(),
                        Value::String(s) => vec![s.clone()],
                        _ => Vec::new(),
                    };
                    let (urls, paths) = aliases.into_iter().partition(|a| a.contains("://"));
                    fm.aliases = paths;
                    notes.extend(urls.into_iter().map(|url: String| {
                        let note = format!("alias `{url}` is a URL, not a path of this site: no redirect is written for it");
                        ("aliases", note)
                    }));
                }
                "slug" => fm.slug = scalar_string(&value),
                "url" => fm.url = scalar_string(&value),
                _ => {
                    fm.extra.insert(key, value);
                }
            }
        }
        (fm, notes)
    }

    /// The date's `YYYY-MM-DD` part, when the date is a day of the calendar.
    pub fn date_ymd(&self) -> Option<&str> {
        dates::day_part(self.date.as_deref()?)
    }
}

/// The file line where front matter `key` is set (the last time, the one that counts),
/// for messages about its value.
pub fn line_of_key(text: &str, key: &str) -> Option<usize> {
    let block = find_block(text).ok()??;
    let line = *block
        .format
        .key_lines(block.text, &[key.to_string()])
        .last()?;
    Some(line + 1)
}

fn scalar_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn is_blank(v: &Value) -> bool {
    v.as_str().is_some_and(|s| s.trim().is_empty())
}

/// `weight` as Hugo reads it (`cast.ToInt`): a number, or text that is one; anything else
/// is 0, which Hugo and worklog both read as no weight: the page comes after weighted ones.
fn weight(value: &Value) -> (Option<f64>, Option<String>) {
    let not_a_number = |shown: &str| {
        format!(
            "`weight: {shown}` is not a number: the page has no weight and comes after the weighted ones, as in Hugo"
        )
    };
    match value {
        Value::Number(n) => (n.as_f64(), None),
        Value::Null => (None, None),
        Value::String(s) if s.trim().is_empty() => (None, None),
        Value::String(s) => match s.trim().parse::<f64>() {
            Ok(w) if w.is_finite() => (Some(w), None),
            _ => (None, Some(not_a_number(&format!("\"{s}\"")))),
        },
        // cast.ToInt(true) is 1.
        Value::Bool(b) => (
            b.then_some(1.0),
            Some(format!(
                "`weight: {b}` is not a number: read as {}, as Hugo does",
                u8::from(*b)
            )),
        ),
        other => (None, Some(not_a_number(kind(other)))),
    }
}

/// `draft`, `hidden` and `chapter` as Hugo reads them (`cast.ToBool`): booleans, numbers
/// (not 0 is true) and Go's words for true and false (`1`, `t`, `TRUE`, `0`, `f`, …).
///
/// `yes` and `on` are true in YAML 1.1, which Hugo read until 0.152 (yaml.v2); since then it
/// reads them as text, which `cast.ToBool` makes false: a `draft: yes` page is published.
/// They are read as true here, so a page its author hid stays hidden, with a warning to
/// write `true`. Anything else is false, as in Hugo, with a warning.
fn flag(key: &'static str, value: &Value, notes: &mut Vec<(&'static str, String)>) -> bool {
    match value {
        Value::Bool(b) => *b,
        Value::Null => false,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => {
            match s.trim() {
                "1" | "t" | "T" | "true" | "True" | "TRUE" => true,
                "0" | "f" | "F" | "false" | "False" | "FALSE" | "" => false,
                // YAML 1.1's false words: every Hugo reads them as false.
                "n" | "N" | "no" | "No" | "NO" | "off" | "Off" | "OFF" => false,
                word @ ("y" | "Y" | "yes" | "Yes" | "YES" | "on" | "On" | "ON") => {
                    notes.push((key, format!("`{key}: {word}` is read as true, as Hugo read it before 0.152; newer Hugo reads it as false. Write `{key}: true`")));
                    true
                }
                other => {
                    notes.push((key, format!("`{key}: {other}` is neither true nor false: read as false, as Hugo does")));
                    false
                }
            }
        }
        other => {
            notes.push((
                key,
                format!(
                    "`{key}` is {}, neither true nor false: read as false, as Hugo does",
                    kind(other)
                ),
            ));
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_with_spaced_keys_and_unquoted_date() {
        let s = split("---\ntitle : \"Week 7\"\ndate: 2025-09-09\nweight: 1\npre: \" <b> 1.7. </b> \"\n---\nbody\n").unwrap();
        assert_eq!(s.front_matter.title.as_deref(), Some("Week 7"));
        assert_eq!(s.front_matter.date_ymd(), Some("2025-09-09"));
        assert_eq!(s.front_matter.weight, Some(1.0));
        assert_eq!(s.body, "body\n");
        assert_eq!(s.body_line, 7);
    }

    #[test]
    fn toml_front_matter() {
        let s = split("+++\ntitle = \"T\"\ndate = 2025-01-02\nweight = 43.1\n+++\nx").unwrap();
        assert_eq!(s.front_matter.date_ymd(), Some("2025-01-02"));
        assert_eq!(s.front_matter.weight, Some(43.1));
    }

    #[test]
    fn yaml_error_names_the_file_line() {
        let e = split("---\ntitle: ok\nweight: [1\n---\n").unwrap_err();
        assert!(e.line >= 3, "{e:?}");
    }

    #[test]
    fn a_line_starting_with_the_fence_closes_the_block_as_in_hugo() {
        let yaml = split("---\ntitle: Tuần 1\n--------------------\nNội dung\n").unwrap();
        assert_eq!(yaml.front_matter.title.as_deref(), Some("Tuần 1"));
        assert_eq!(yaml.body, "-----------------\nNội dung\n");
        assert_eq!(yaml.body_line, 3);
        let spaced = split("---\ntitle: T\n---   \nbody\n").unwrap();
        assert_eq!(spaced.body, "   \nbody\n");
        let toml = split("+++\ntitle = 'T'\n++++++ text\nbody\n").unwrap();
        assert_eq!(toml.front_matter.title.as_deref(), Some("T"));
        assert_eq!(toml.body, "+++ text\nbody\n");
        assert_eq!(toml.body_line, 3);
        let exact = split("+++\ntitle = 'T'\n+++\nbody\n").unwrap();
        assert_eq!((exact.body, exact.body_line), ("body\n", 4));
    }

    #[test]
    fn unclosed_front_matter_is_an_error() {
        assert_eq!(split("---\ntitle: x\n").unwrap_err().line, 1);
    }

    fn warnings(text: &str) -> Vec<(usize, String)> {
        split(text)
            .unwrap()
            .warnings
            .into_iter()
            .map(|w| (w.line, w.message))
            .collect()
    }

    #[test]
    fn a_weight_that_is_no_number_is_no_weight_with_its_line() {
        let text = "---\ntitle: T\nweight: \"abc\"\n---\n";
        assert_eq!(split(text).unwrap().front_matter.weight, None);
        let w = warnings(text);
        assert_eq!(w.len(), 1, "{w:?}");
        assert_eq!(w[0].0, 3);
        assert!(
            w[0].1.contains("`weight: \"abc\"` is not a number"),
            "{w:?}"
        );
        let toml = "+++\ntitle = 'T'\n\nweight = [1]\n+++\n";
        assert_eq!(warnings(toml)[0].0, 4);
        assert_eq!(
            split("---\nweight: \" 3 \"\n---\n")
                .unwrap()
                .front_matter
                .weight,
            Some(3.0)
        );
        assert!(warnings("---\nweight: \" 3 \"\n---\n").is_empty());
        // cast.ToInt(true) is 1 in Hugo.
        assert_eq!(
            split("---\nweight: true\n---\n")
                .unwrap()
                .front_matter
                .weight,
            Some(1.0)
        );
    }

    #[test]
    fn flags_are_read_as_hugo_casts_them() {
        let draft = |v: &str| {
            split(&format!("---\ndraft: {v}\n---\n"))
                .unwrap()
                .front_matter
                .draft
        };
        for yes in [
            "true", "1", "2", "\"1\"", "\"t\"", "\"TRUE\"", "yes", "Yes", "on",
        ] {
            assert!(draft(yes), "{yes}");
        }
        for no in [
            "false", "0", "\"0\"", "\"F\"", "no", "off", "", "~", "maybe", "[true]",
        ] {
            assert!(!draft(no), "{no}");
        }
        assert!(warnings("---\ndraft: 1\nhidden: false\nchapter: \"true\"\n---\n").is_empty());
        let w = warnings("---\ntitle: x\ndraft: yes\n---\n");
        assert_eq!(w[0].0, 3);
        assert!(w[0].1.contains("Write `draft: true`"), "{w:?}");
        let w = warnings("---\nhidden: maybe\n---\n");
        assert_eq!(w[0].0, 2);
        assert!(w[0].1.contains("neither true nor false"), "{w:?}");
    }

    #[test]
    fn a_key_set_twice_names_its_second_line() {
        let text = "---\ntitle: First\nweight: 1\nTitle: Second\nparams:\n  a: 1\n  a: 2\n---\n";
        let s = split(text).unwrap();
        assert_eq!(s.front_matter.title.as_deref(), Some("Second"));
        let w = warnings(text);
        assert_eq!(w.len(), 2, "{w:?}");
        assert_eq!(w[0].0, 4);
        assert!(
            w[0].1.starts_with("`title` is set again (first on line 2)"),
            "{w:?}"
        );
        assert_eq!(w[1].0, 7);
        assert!(
            w[1].1
                .starts_with("`params.a` is set again (first on line 6)"),
            "{w:?}"
        );
    }

    #[test]
    fn a_date_that_is_no_day_is_no_date() {
        let s = split("---\ndate: 2025-13-45\n---\n").unwrap();
        assert_eq!(s.front_matter.date_ymd(), None);
        assert_eq!(
            line_of_key("---\ntitle: x\ndate: 2025-13-45\n---\ndate: body\n", "date"),
            Some(3)
        );
        let w = warnings("---\ndate: [2025]\n---\n");
        assert!(w[0].1.contains("not a date"), "{w:?}");
    }

    #[test]
    fn unknown_keys_are_kept() {
        let s = split("---\nmentor: Ana\n---\n").unwrap();
        assert_eq!(s.front_matter.extra["mentor"], "Ana");
    }
}
