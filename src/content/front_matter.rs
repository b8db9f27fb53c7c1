//! Front matter: the YAML (`---`) or TOML (`+++`) block at the top of a content file.
//!
//! Hugo's keys are case-insensitive (`menuTitle`, `menutitle`), values are loosely typed
//! (`weight: "3"`), and real files carry BOMs and CRLF: all of that is accepted here.

use serde_json::{Map, Value};

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

/// A file split into its front matter and its body.
#[derive(Debug, Clone, PartialEq)]
pub struct Split<'a> {
    pub front_matter: FrontMatter,
    pub body: &'a str,
    /// 1-based line of the body's first line in the file.
    pub body_line: usize,
}

/// Splits and parses. `text` must already be free of a BOM and of `\r\n`.
pub fn split(text: &str) -> Result<Split<'_>, FrontMatterError> {
    let (fence, format) = if text.starts_with("---") {
        ("---", Format::Yaml)
    } else if text.starts_with("+++") {
        ("+++", Format::Toml)
    } else {
        return Ok(Split {
            front_matter: FrontMatter::default(),
            body: text,
            body_line: 1,
        });
    };
    let first_line_end = text.find('\n').unwrap_or(text.len());
    if text[fence.len()..first_line_end].trim() != "" {
        // `---title` or a thematic break followed by text: not a front matter fence.
        return Ok(Split {
            front_matter: FrontMatter::default(),
            body: text,
            body_line: 1,
        });
    }
    let block_start = (first_line_end + 1).min(text.len());
    let mut offset = block_start;
    let mut closing = None;
    for line in text[block_start..].split_inclusive('\n') {
        if line.trim_end() == fence {
            closing = Some((offset, offset + line.len()));
            break;
        }
        offset += line.len();
    }
    let Some((block_end, body_start)) = closing else {
        return Err(FrontMatterError {
            line: 1,
            message: format!("the front matter opened with `{fence}` on line 1 is never closed"),
        });
    };
    let block = &text[block_start..block_end];
    // Line 1 is the opening fence, so the block's first line is line 2 of the file.
    let fields = format
        .parse(block)
        .map_err(|(line_in_block, message)| FrontMatterError {
            line: line_in_block + 1,
            message,
        })?;
    let front_matter = FrontMatter::from_fields(fields)
        .map_err(|message| FrontMatterError { line: 2, message })?;
    Ok(Split {
        front_matter,
        body: &text[body_start..],
        body_line: line_of_offset(text, body_start),
    })
}

enum Format {
    Yaml,
    Toml,
}

impl Format {
    /// Returns the fields, or the 1-based line within the block and a message.
    fn parse(&self, block: &str) -> Result<Map<String, Value>, (usize, String)> {
        match self {
            Format::Yaml => {
                if block.trim().is_empty() {
                    return Ok(Map::new());
                }
                let value: Value = serde_yaml::from_str(block).map_err(|e| {
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
                    Value::Object(map) => Ok(map),
                    Value::Null => Ok(Map::new()),
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
                match toml_to_json(&toml::Value::Table(table)) {
                    Value::Object(map) => Ok(map),
                    _ => Ok(Map::new()),
                }
            }
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
    fn from_fields(fields: Map<String, Value>) -> Result<FrontMatter, String> {
        let mut fm = FrontMatter::default();
        for (key, value) in fields {
            match key.to_lowercase().as_str() {
                "title" => fm.title = scalar_string(&value),
                "date" => fm.date = scalar_string(&value).filter(|s| !s.trim().is_empty()),
                "weight" => {
                    fm.weight = match &value {
                        Value::Number(n) => n.as_f64(),
                        Value::String(s) => s.trim().parse().ok(),
                        Value::Null => None,
                        other => {
                            return Err(format!(
                                "`weight` must be a number, found {}",
                                kind(other)
                            ));
                        }
                    }
                }
                "chapter" => fm.chapter = truthy(&value),
                "pre" => fm.pre = scalar_string(&value),
                "draft" => fm.draft = truthy(&value),
                "hidden" => fm.hidden = truthy(&value),
                "menutitle" | "linktitle" => {
                    if fm.menu_title.is_none() || key.eq_ignore_ascii_case("menutitle") {
                        fm.menu_title = scalar_string(&value);
                    }
                }
                "description" => fm.description = scalar_string(&value),
                "aliases" => {
                    fm.aliases = match &value {
                        Value::Array(items) => items.iter().filter_map(scalar_string).collect(),
                        Value::String(s) => vec![s.clone()],
                        _ => Vec::new(),
                    }
                }
                "slug" => fm.slug = scalar_string(&value),
                "url" => fm.url = scalar_string(&value),
                _ => {
                    fm.extra.insert(key, value);
                }
            }
        }
        Ok(fm)
    }

    /// The date's `YYYY-MM-DD` part, when it starts with one.
    pub fn date_ymd(&self) -> Option<&str> {
        let d = self.date.as_deref()?.trim();
        let b = d.as_bytes();
        let ok = b.len() >= 10
            && b[..4].iter().all(u8::is_ascii_digit)
            && b[4] == b'-'
            && b[5..7].iter().all(u8::is_ascii_digit)
            && b[7] == b'-'
            && b[8..10].iter().all(u8::is_ascii_digit);
        ok.then(|| &d[..10])
    }
}

/// The file line where front matter `key` is set, for messages about its value.
pub fn line_of_key(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .take_while(|_| true)
        .enumerate()
        .skip(1)
        .find_map(|(i, line)| {
            let t = line.trim_start();
            let rest = t
                .get(..key.len())
                .filter(|k| k.eq_ignore_ascii_case(key))
                .map(|_| &t[key.len()..])?;
            rest.trim_start().starts_with([':', '=']).then_some(i + 1)
        })
}

fn scalar_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn truthy(v: &Value) -> bool {
    match v {
        Value::Bool(b) => *b,
        Value::String(s) => s.eq_ignore_ascii_case("true"),
        _ => false,
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
    fn unclosed_front_matter_is_an_error() {
        assert_eq!(split("---\ntitle: x\n").unwrap_err().line, 1);
    }

    #[test]
    fn unknown_keys_are_kept() {
        let s = split("---\nmentor: Ana\n---\n").unwrap();
        assert_eq!(s.front_matter.extra["mentor"], "Ana");
    }
}
