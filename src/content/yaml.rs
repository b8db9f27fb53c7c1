//! YAML front matter read into JSON values, noting the keys a mapping sets twice, and the
//! lines where keys are set (the parser's values carry no positions).
//!
//! Knows YAML text only: what the keys mean is [`super::front_matter`]'s business.

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;

use serde::de::{DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

/// A key set again in the same mapping: `path` from the top, lowercased (Hugo lowercases
/// keys, so `Title` and `title` are one field), and which setting this is (1 = the second).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Duplicate {
    pub path: Vec<String>,
    pub occurrence: usize,
}

/// Parses `block`. A key set twice keeps its last value, as Hugo did until 0.152 (yaml.v2);
/// Hugo 0.152 and later (goccy/go-yaml) refuse the file. Each repeat is returned.
pub fn parse(block: &str) -> Result<(Value, Vec<Duplicate>), serde_yaml::Error> {
    let duplicates = RefCell::new(Vec::new());
    let value = Checked {
        path: Vec::new(),
        duplicates: &duplicates,
    }
    .deserialize(serde_yaml::Deserializer::from_str(block))?;
    Ok((value, duplicates.into_inner()))
}

/// The 1-based lines of `block` where the block-mapping key `path` is set, in file order,
/// compared without letter case. Keys inside sequences and flow mappings are not found.
pub fn key_lines(block: &str, path: &[String]) -> Vec<usize> {
    let path: Vec<String> = path.iter().map(|k| k.to_lowercase()).collect();
    let mut found = Vec::new();
    let mut open: Vec<(usize, String)> = Vec::new();
    // Inside a `|` or `>` block scalar, lines deeper than its key are text.
    let mut scalar_indent: Option<usize> = None;
    for (i, line) in block.lines().enumerate() {
        let content = line.trim_start();
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        let indent = line.len() - content.len();
        match scalar_indent {
            Some(d) if indent > d => continue,
            _ => scalar_indent = None,
        }
        while open.last().is_some_and(|&(d, _)| d >= indent) {
            open.pop();
        }
        let Some((key, rest)) = split_key(content) else {
            continue;
        };
        open.push((indent, key.to_lowercase()));
        if open.len() == path.len() && open.iter().map(|(_, k)| k).eq(path.iter()) {
            found.push(i + 1);
        }
        if rest.trim_start().starts_with(['|', '>']) {
            scalar_indent = Some(indent);
        }
    }
    found
}

/// `key: rest` → (`key`, `rest`), for plain and quoted keys; `None` for anything else.
fn split_key(content: &str) -> Option<(&str, &str)> {
    if content.starts_with(['-', '[', '{', '?', '&', '*', '!', '|', '>']) {
        return None;
    }
    let (key, after) = match content.chars().next()? {
        quote @ ('"' | '\'') => {
            let end = content[1..].find(quote)? + 1;
            (&content[1..end], content[end + 1..].trim_start())
        }
        _ => {
            let colon = content.match_indices(':').map(|(i, _)| i).find(|&i| {
                content[i + 1..].is_empty() || content[i + 1..].starts_with([' ', '\t'])
            })?;
            (content[..colon].trim_end(), &content[colon..])
        }
    };
    let rest = after.strip_prefix(':')?;
    (rest.is_empty() || rest.starts_with([' ', '\t'])).then_some((key, rest))
}

/// Builds a JSON value from the YAML parser, noting repeated keys on the way.
struct Checked<'a> {
    path: Vec<String>,
    duplicates: &'a RefCell<Vec<Duplicate>>,
}

impl<'de> DeserializeSeed<'de> for Checked<'_> {
    type Value = Value;

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Checked<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a YAML value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        // Items are not checked: their keys have no path that `key_lines` could find.
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Value>()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Value, A::Error> {
        let mut map = Map::new();
        // Lowercased key → the spelling kept and how many times it was set.
        let mut seen: HashMap<String, (String, usize)> = HashMap::new();
        while let Some(key) = access.next_key::<String>()? {
            let mut path = self.path.clone();
            path.push(key.to_lowercase());
            let value = access.next_value_seed(Checked {
                path: path.clone(),
                duplicates: self.duplicates,
            })?;
            let lower = key.to_lowercase();
            if let Some((spelling, count)) = seen.get_mut(&lower) {
                map.remove(spelling.as_str());
                *spelling = key.clone();
                self.duplicates.borrow_mut().push(Duplicate {
                    path,
                    occurrence: *count,
                });
                *count += 1;
            } else {
                seen.insert(lower, (key.clone(), 1));
            }
            map.insert(key, value);
        }
        Ok(Value::Object(map))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(keys: &[&str]) -> Vec<String> {
        keys.iter().map(|k| k.to_string()).collect()
    }

    #[test]
    fn repeated_keys_keep_the_last_value_and_are_noted() {
        let (value, dups) =
            parse("title: a\nweight: 1\nTitle: b\nparams:\n  x: 1\n  x: 2\n").unwrap();
        assert_eq!(value["Title"], "b");
        assert!(value.get("title").is_none());
        assert_eq!(value["params"]["x"], 2);
        assert_eq!(
            dups,
            [
                Duplicate {
                    path: path(&["title"]),
                    occurrence: 1
                },
                Duplicate {
                    path: path(&["params", "x"]),
                    occurrence: 1
                },
            ]
        );
    }

    #[test]
    fn values_are_read_as_serde_json_reads_them() {
        let text = "a: 1\nb: -2\nc: 1.5\nd: yes\ne: ~\nf: [1, x]\ng: true\n1: numeric key\n";
        let (value, dups) = parse(text).unwrap();
        let plain: Value = serde_yaml::from_str(text).unwrap();
        assert_eq!(value, plain);
        assert!(dups.is_empty());
    }

    #[test]
    fn key_lines_follow_indentation_and_skip_block_text() {
        let block = "title: a\nparams:\n  title: nested\n  note: |\n    title: text\ndescription: >\n  x: y\n\"Title\" : again\n- not: a key\n";
        assert_eq!(key_lines(block, &path(&["title"])), [1, 8]);
        assert_eq!(key_lines(block, &path(&["params", "title"])), [3]);
        assert_eq!(key_lines(block, &path(&["x"])), Vec::<usize>::new());
    }

    #[test]
    fn urls_in_values_are_not_keys() {
        assert_eq!(
            key_lines(
                "link: https://x.io/a\nhttps://x: 1\n",
                &path(&["https://x"])
            ),
            [2]
        );
        assert_eq!(key_lines("link: https://x.io/a\n", &path(&["link"])), [1]);
    }
}
