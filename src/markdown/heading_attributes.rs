//! A heading's trailing attribute list (`## Setup {#setup .wide data-x="1"}`), read as
//! Hugo's goldmark reads it: only braces that hold a valid list are attributes; any other
//! braces (`# Output: {"user":"admin"}`, `## Result {x}`) are the heading's text.
//!
//! pulldown-cmark's own extension takes any trailing `{…}`, which cut journals' headings.

use pulldown_cmark::Event;

/// What a heading's attribute list sets.
#[derive(Debug, Default, PartialEq)]
pub struct Attributes {
    pub id: Option<String>,
    pub classes: Vec<String>,
    /// `key=value` pairs, in order.
    pub others: Vec<(String, String)>,
}

/// The attribute list at the end of a heading's text: where its `{` is, and what it sets.
/// As goldmark does, the last `{` that opens a valid list followed only by blanks counts.
pub fn trailing(text: &str) -> Option<(usize, Attributes)> {
    let mut found = None;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            // `\{` is a literal brace.
            b'\\' if bytes.get(i + 1) == Some(&b'{') => i += 1,
            b'{' => {
                let mut reader = Reader { s: text, at: i };
                if let Some(attributes) = reader.list() {
                    found = Some((i, attributes, reader.at));
                } else {
                    found = None;
                }
            }
            _ => {}
        }
        i += 1;
    }
    let (start, attributes, end) = found?;
    text[end..].trim().is_empty().then_some((start, attributes))
}

/// Takes a valid trailing attribute list (`{#id .class}`) off a heading's text (its
/// events and the text its id is made from) and returns what it sets. `source` is the
/// heading as written, where an escaped `\{` is still told from a brace.
pub fn take(source: &str, inner: &mut Vec<Event>, id_text: &mut String) -> Attributes {
    let source = source.trim_end();
    // A setext heading's underline is not its text.
    let source = if source.starts_with('#') {
        source.trim_end_matches('#').trim_end()
    } else {
        source.rsplit_once('\n').map_or(source, |(text, _)| text)
    };
    let at_end = inner
        .iter()
        .rev()
        .take_while(|e| matches!(e, Event::Text(_)));
    let n = at_end.count();
    if n == 0 || !source.ends_with('}') || trailing(source).is_none() {
        return Default::default();
    }
    let last: String = inner[inner.len() - n..]
        .iter()
        .map(|e| match e {
            Event::Text(t) => t.as_ref(),
            _ => "",
        })
        .collect();
    let Some((at, attributes)) = trailing(&last) else {
        return Default::default();
    };
    inner.truncate(inner.len() - n);
    let kept = last[..at].trim_end();
    if !kept.is_empty() {
        inner.push(Event::Text(kept.to_string().into()));
    }
    if id_text.ends_with(&last) {
        id_text.truncate(id_text.len() - last.len() + kept.len());
    }
    attributes
}

struct Reader<'s> {
    s: &'s str,
    at: usize,
}

impl Reader<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.as_bytes().get(self.at).copied()
    }

    fn skip_spaces(&mut self) {
        while self.peek().is_some_and(|c| c.is_ascii_whitespace()) {
            self.at += 1;
        }
    }

    /// Bytes while `keep` holds.
    fn take_while(&mut self, keep: impl Fn(u8) -> bool) -> &str {
        let start = self.at;
        while self.peek().is_some_and(&keep) {
            self.at += 1;
        }
        &self.s[start..self.at]
    }

    /// `{ attribute[,] attribute … }`
    fn list(&mut self) -> Option<Attributes> {
        if self.peek() != Some(b'{') {
            return None;
        }
        self.at += 1;
        let mut attributes = Attributes::default();
        loop {
            self.skip_spaces();
            match self.peek()? {
                b'}' => {
                    self.at += 1;
                    return Some(attributes);
                }
                b'#' | b'.' => {
                    let mark = self.peek();
                    self.at += 1;
                    // Punctuation other than these ends an id or class (non-ASCII letters
                    // do not).
                    let value = self
                        .take_while(|c| {
                            !c.is_ascii_whitespace()
                                && (!c.is_ascii_punctuation()
                                    || matches!(c, b'_' | b'-' | b':' | b'.'))
                        })
                        .to_string();
                    if mark == Some(b'#') {
                        attributes.id = Some(value);
                    } else {
                        attributes.classes.push(value);
                    }
                }
                _ => {
                    let name = self.name()?.to_string();
                    self.skip_spaces();
                    if self.peek() != Some(b'=') {
                        return None;
                    }
                    self.at += 1;
                    self.skip_spaces();
                    let value = self.value()?;
                    attributes.others.push((name, value));
                }
            }
            self.skip_spaces();
            if self.peek() == Some(b',') {
                self.at += 1;
            }
        }
    }

    /// A name: a letter, `_` or `:`, then letters, digits and `_:.-`.
    fn name(&mut self) -> Option<&str> {
        let first = self.peek()?;
        if !(first.is_ascii_alphabetic() || first == b'_' || first == b':') {
            return None;
        }
        Some(
            self.take_while(|c| {
                c.is_ascii_alphanumeric() || matches!(c, b'_' | b':' | b'.' | b'-')
            }),
        )
    }

    /// A quoted string, a number or a bare word (goldmark's arrays and nested lists are
    /// not read: braces holding them stay text).
    fn value(&mut self) -> Option<String> {
        match self.peek()? {
            b'"' => {
                self.at += 1;
                let mut out = String::new();
                let mut chars = self.s[self.at..].char_indices();
                while let Some((i, c)) = chars.next() {
                    match c {
                        '"' => {
                            self.at += i + 1;
                            return Some(out);
                        }
                        '\\' => out.push(chars.next()?.1),
                        c => out.push(c),
                    }
                }
                None
            }
            c if c == b'-' || c == b'+' || c.is_ascii_digit() => Some(
                self.take_while(|c| {
                    c.is_ascii_digit() || matches!(c, b'-' | b'+' | b'.' | b'e' | b'E')
                })
                .to_string(),
            ),
            _ => self.name().map(str::to_string),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_lists_are_attributes() {
        let (at, a) = trailing("Setup {#setup .wide data-x=\"1\" n=2}").unwrap();
        assert_eq!(at, 6);
        assert_eq!(a.id.as_deref(), Some("setup"));
        assert_eq!(a.classes, ["wide"]);
        assert_eq!(
            a.others,
            [
                ("data-x".to_string(), "1".to_string()),
                ("n".into(), "2".into())
            ]
        );
        assert_eq!(trailing("A {.x} ").map(|t| t.0), Some(2));
        assert_eq!(trailing("{x=1} then {#y}").map(|t| t.0), Some(11));
    }

    #[test]
    fn other_braces_are_text() {
        for text in [
            "Output: {\"username\":\"admin\",\"email\":\"a@b.c\"}",
            "Result {x}",
            "Set {a: 1}",
            "{#id} trailing words",
            "Escaped \\{#id}",
            "Open {#id",
            "{#ok} {x}",
        ] {
            assert_eq!(trailing(text), None, "{text}");
        }
    }
}
