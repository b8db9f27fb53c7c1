//! A new week's front matter, written as the site's last week wrote its own: the same
//! syntax (YAML or TOML), keys, order and quoting.

use crate::content::dates;

/// The last week's front matter: its syntax, and its lines of the keys a new week keeps.
#[derive(Debug, Clone)]
pub(super) struct Front {
    pub(super) toml: bool,
    /// Each kept key with its line as written.
    pub(super) lines: Vec<(String, String)>,
}

/// Keys a new week takes from the last one; the others (`aliases`, `url`, `draft`…)
/// belong to that week only.
pub(super) const KEPT: [&str; 5] = ["title", "date", "weight", "chapter", "pre"];

impl Front {
    pub(super) fn read(text: &str) -> Front {
        let mut lines = text.lines();
        let toml = lines.next().map(str::trim_end) == Some("+++");
        let end = if toml { "+++" } else { "---" };
        let mut kept = Vec::new();
        for line in lines.take_while(|l| l.trim_end() != end) {
            if line.starts_with([' ', '\t', '-', '#']) || line.trim().is_empty() {
                continue;
            }
            let key = line.split([':', '=']).next().unwrap_or("").trim();
            if let Some(k) = KEPT.iter().find(|k| k.eq_ignore_ascii_case(key)) {
                kept.push((k.to_string(), line.to_string()));
            }
        }
        Front { toml, lines: kept }
    }

    /// A real journal's week, for a site that has none.
    pub(super) fn builtin() -> Front {
        let lines = [
            ("title", "title: \"\""),
            ("date", "date: "),
            ("weight", "weight: 1"),
            ("chapter", "chapter: false"),
            ("pre", "pre: \"\""),
        ];
        Front {
            toml: false,
            lines: lines
                .into_iter()
                .map(|(k, l)| (k.to_string(), l.to_string()))
                .collect(),
        }
    }

    /// The front matter with these values, each written as the model wrote its own.
    pub(super) fn write(&self, values: &[(&str, Option<Value>)]) -> String {
        let (fence, sep) = if self.toml {
            ("+++", " = ")
        } else {
            ("---", ": ")
        };
        let mut out = format!("{fence}\n");
        let mut lines = self.lines.clone();
        if !lines.iter().any(|(k, _)| k == "date") {
            let at = lines
                .iter()
                .position(|(k, _)| k == "title")
                .map_or(0, |i| i + 1);
            lines.insert(at, ("date".into(), String::new()));
        }
        if !lines.iter().any(|(k, _)| k == "title") {
            lines.insert(0, ("title".into(), String::new()));
        }
        for (key, line) in &lines {
            match values.iter().find(|(k, _)| k == key) {
                Some((_, None)) => {}
                Some((_, Some(value))) => {
                    let (name, old) = line
                        .split_once(if self.toml { '=' } else { ':' })
                        .map_or((key.as_str(), ""), |(n, v)| (n.trim(), v.trim()));
                    out.push_str(&format!("{name}{sep}{}\n", value.written(old, self.toml)));
                }
                None => {
                    out.push_str(line);
                    out.push('\n');
                }
            }
        }
        out.push_str(fence);
        out.push('\n');
        out
    }
}

pub(super) enum Value {
    Text(String),
    Date(String),
    Number(f64),
}

impl Value {
    /// The value in the quoting of `old`, the value it replaces.
    fn written(&self, old: &str, toml: bool) -> String {
        match self {
            Value::Number(n) if n.fract() == 0.0 => format!("{}", *n as i64),
            Value::Number(n) => n.to_string(),
            // A time of day after the model's date is kept: `2025-09-08T09:00:00+07:00`.
            Value::Date(d) => {
                let bare = old.trim_matches(['"', '\'']);
                let time = dates::day_part(bare).map_or("", |_| &bare[10..]);
                let quote = if old.starts_with(['"', '\'']) {
                    &old[..1]
                } else {
                    ""
                };
                format!("{quote}{d}{time}{quote}")
            }
            Value::Text(t) if old.starts_with('\'') && !t.contains('\'') => format!("'{t}'"),
            Value::Text(t) if toml || old.starts_with('"') || !plain_yaml(t) => super::quoted(t),
            Value::Text(t) => t.clone(),
        }
    }
}

/// Whether YAML reads `t` unquoted as this very string.
fn plain_yaml(t: &str) -> bool {
    !t.is_empty()
        && !t.starts_with([
            ' ', '"', '\'', '-', '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>',
            '%', '@', '`',
        ])
        && !t.ends_with(' ')
        && !t.contains(": ")
        && !t.contains(" #")
        && t.parse::<f64>().is_err()
        && !matches!(
            t.to_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "~"
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_keeps_the_models_keys_order_and_quoting() {
        let front = Front::read(
            "---\npre: \" <b> 1.2. </b> \"\ntitle: 'Week 2'\nweight: 2\naliases:\n  - /old/\nchapter: false\n---\nbody\n",
        );
        let text = front.write(&[
            ("title", Some(Value::Text("Week 3".into()))),
            ("date", Some(Value::Date("2025-09-22".into()))),
            ("weight", Some(Value::Number(3.0))),
            ("pre", Some(Value::Text(" <b> 1.3. </b> ".into()))),
        ]);
        assert_eq!(
            text,
            "---\npre: \" <b> 1.3. </b> \"\ntitle: 'Week 3'\ndate: 2025-09-22\nweight: 3\nchapter: false\n---\n"
        );
        let toml = Front::read("+++\ntitle = \"W 1\"\ndate = \"2025-09-08T09:00:00+07:00\"\n+++\n");
        let text = toml.write(&[
            ("title", Some(Value::Text("W 2".into()))),
            ("date", Some(Value::Date("2025-09-15".into()))),
        ]);
        assert_eq!(
            text,
            "+++\ntitle = \"W 2\"\ndate = \"2025-09-15T09:00:00+07:00\"\n+++\n"
        );
    }
}
