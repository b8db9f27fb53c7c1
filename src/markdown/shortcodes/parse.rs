//! Finding Hugo shortcode tags in a page body: `{{< name args >}}`, `{{% name args %}}`,
//! their closing forms and Hugo's escaped form `{{</* name */>}}`.
//!
//! Tags inside code blocks, code spans and HTML comments are text, not shortcodes, so that
//! `${{ secrets.AWS_KEY }}` in a workflow file or a shortcode shown as an example survive.
//! Knows nothing of what a shortcode does, nor of templates: it only reads the syntax.

use std::ops::Range;

use pulldown_cmark::{Event, Parser, Tag as MdTag};

/// One shortcode tag as written.
#[derive(Debug, Clone, PartialEq)]
pub struct Tag {
    /// The whole tag, `{{` to `}}`.
    pub range: Range<usize>,
    /// `{{% … %}}`: the inner content is Markdown. `{{< … >}}`: it is passed as it is.
    pub markdown: bool,
    /// `{{< /name >}}`.
    pub closing: bool,
    /// `{{< name />}}`: no inner content follows.
    pub self_closing: bool,
    pub name: String,
    /// Positional arguments, quotes removed.
    pub args: Vec<String>,
    /// Named arguments in the order written, quotes removed.
    pub kwargs: Vec<(String, String)>,
}

/// What the scan finds, in the order of the text.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Tag(Tag),
    /// `{{</* name */>}}`: Hugo's way to show a shortcode as text; becomes `{{< name >}}`.
    Escaped {
        range: Range<usize>,
        text: String,
        /// In a code block or span: the text is shown as it is, not as Markdown.
        in_code: bool,
    },
    /// Something that opens like a shortcode but is not one: left as written, with a warning.
    Malformed {
        range: Range<usize>,
        message: String,
    },
}

impl Item {
    pub fn range(&self) -> &Range<usize> {
        match self {
            Item::Tag(t) => &t.range,
            Item::Escaped { range, .. } | Item::Malformed { range, .. } => range,
        }
    }
}

/// Every shortcode tag of `text` outside code and HTML comments.
pub fn scan(text: &str) -> Vec<Item> {
    let mut items = Vec::new();
    if !text.contains("{{<") && !text.contains("{{%") {
        return items;
    }
    let skipped = skipped_ranges(text);
    let mut skip = skipped.iter().peekable();
    let mut ends = EscapeEnds::default();
    let mut from = 0;
    while let Some(found) = text[from..].find("{{") {
        let at = from + found;
        while skip.peek().is_some_and(|r| r.end <= at) {
            skip.next();
        }
        let rest = &text[at..];
        if skip.peek().is_some_and(|r| r.start <= at) {
            // Hugo expands shortcodes even in code, so its users show one there in the
            // escaped form: unescape that, leave everything else.
            if rest.starts_with("{{</*") || rest.starts_with("{{%/*") {
                let item = read_tag(text, at, &mut ends);
                if let Item::Escaped { range, text: t, .. } = item {
                    from = range.end;
                    items.push(Item::Escaped {
                        range,
                        text: t,
                        in_code: true,
                    });
                    continue;
                }
            }
            from = at + 2;
            continue;
        }
        if !(rest.starts_with("{{<") || rest.starts_with("{{%")) {
            from = at + 2;
            continue;
        }
        let item = read_tag(text, at, &mut ends);
        from = match &item {
            // Only the opening braces are known to be wrong: what follows is read again,
            // so that a good tag right after a broken one is still found.
            Item::Malformed { .. } => at + 3,
            other => other.range().end,
        };
        items.push(item);
    }
    items
}

/// Code blocks, code spans and HTML comments, in order, as pulldown-cmark sees them: the
/// same parser renders the page, so "is this code?" gets the same answer both times.
fn skipped_ranges(text: &str) -> Vec<Range<usize>> {
    let mut ranges = Vec::new();
    for (event, range) in Parser::new_ext(text, super::super::parser_options()).into_offset_iter() {
        match event {
            Event::Start(MdTag::CodeBlock(_)) | Event::Code(_) => ranges.push(range),
            Event::Html(h) | Event::InlineHtml(h) if h.contains("<!--") => {
                // A comment block can be cut into several events: take the comment whole.
                let start = range.start + text[range.clone()].find("<!--").unwrap_or(0);
                let end = text[start..]
                    .find("-->")
                    .map_or(text.len(), |i| start + i + 3);
                ranges.push(start..end);
            }
            _ => {}
        }
    }
    ranges.sort_by_key(|r| r.start);
    // Merge overlaps so that the scan can walk them in one pass.
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
    for r in ranges {
        match merged.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => merged.push(r),
        }
    }
    merged
}

/// Where the next `*/>}}` and `*/%}}` are, remembered as the scan moves on: each escaped
/// tag left open searched to the end of the text again, which made a page of them
/// quadratic.
#[derive(Default)]
struct EscapeEnds {
    /// Per form, the offset searched from and what was found.
    searched: [Option<(usize, Option<usize>)>; 2],
}

impl EscapeEnds {
    fn find(&mut self, text: &str, from: usize, end_mark: &str, markdown: bool) -> Option<usize> {
        let slot = &mut self.searched[usize::from(markdown)];
        if let Some((searched_from, found)) = *slot
            && searched_from <= from
            && found.is_none_or(|f| f >= from)
        {
            return found;
        }
        let found = text[from..].find(end_mark).map(|i| from + i);
        *slot = Some((from, found));
        found
    }
}

/// Reads the tag starting at `start` (which begins with `{{<` or `{{%`).
fn read_tag(text: &str, start: usize, ends: &mut EscapeEnds) -> Item {
    let markdown = text[start..].starts_with("{{%");
    let close = if markdown { "%}}" } else { ">}}" };
    let open = &text[start..start + 3];
    let malformed = |message: String| Item::Malformed {
        range: start..start + 3,
        message,
    };

    if text[start + 3..].starts_with("/*") {
        let end_mark = format!("*/{close}");
        return match ends.find(text, start + 5, &end_mark, markdown) {
            Some(end) => Item::Escaped {
                range: start..end + end_mark.len(),
                text: format!("{open}{}{close}", &text[start + 5..end]),
                in_code: false,
            },
            None => malformed(format!("`{open}/*` is never closed by `{end_mark}`")),
        };
    }

    let mut c = Cursor {
        text,
        pos: start + 3,
        close,
    };
    let unclosed = || format!("`{open}` is never closed by `{close}`");
    if !c.skip_space() {
        return malformed(unclosed());
    }
    let closing = c.eat("/");
    c.skip_space();
    let name = c.word();
    if name.is_empty() || !name.chars().all(is_name_char) {
        return malformed(format!("`{open}` is not followed by a shortcode name"));
    }
    let mut tag = Tag {
        range: start..start,
        markdown,
        closing,
        self_closing: false,
        name: name.to_string(),
        args: Vec::new(),
        kwargs: Vec::new(),
    };
    loop {
        if !c.skip_space() {
            return malformed(unclosed());
        }
        if c.eat(close) {
            break;
        }
        if c.rest().starts_with('/') && c.rest()[1..].starts_with(close) {
            c.pos += 1 + close.len();
            tag.self_closing = true;
            break;
        }
        if c.rest().starts_with("{{") {
            return malformed(unclosed());
        }
        let key =
            c.rest()[..c.rest().len() - c.rest().trim_start_matches(is_key_char).len()].to_string();
        if !key.is_empty() && c.rest()[key.len()..].starts_with('=') {
            c.pos += key.len() + 1;
            match c.value() {
                Some(v) => tag.kwargs.push((key, v)),
                None => return malformed(format!("an argument of `{open}` has no closing quote")),
            }
        } else {
            match c.value() {
                Some(v) => tag.args.push(v),
                None => return malformed(format!("an argument of `{open}` has no closing quote")),
            }
        }
    }
    tag.range = start..c.pos;
    if tag.closing && (tag.self_closing || !tag.args.is_empty() || !tag.kwargs.is_empty()) {
        return malformed(format!(
            "the closing tag `{open} /{name} {close}` takes no arguments"
        ));
    }
    Item::Tag(tag)
}

fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '/')
}

fn is_key_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '-' | '_')
}

struct Cursor<'t> {
    text: &'t str,
    pos: usize,
    close: &'static str,
}

impl<'t> Cursor<'t> {
    fn rest(&self) -> &'t str {
        &self.text[self.pos..]
    }

    fn eat(&mut self, s: &str) -> bool {
        let found = self.rest().starts_with(s);
        if found {
            self.pos += s.len();
        }
        found
    }

    /// Skips spaces and single line breaks. `false` at the end of the text or at a blank
    /// line: a tag never spans a paragraph break, so an unclosed one stops there.
    fn skip_space(&mut self) -> bool {
        let rest = self.rest();
        let trimmed = rest.trim_start();
        let space = &rest[..rest.len() - trimmed.len()];
        self.pos += space.len();
        !trimmed.is_empty() && space.matches('\n').count() < 2
    }

    /// A bare word: up to a space, the closing delimiter (with or without `/`), or the
    /// `{{` of another tag. Reading on past `{{` read a run of `{{<` once per tag in it.
    fn word(&mut self) -> &'t str {
        let rest = self.rest();
        let mut end = rest.len();
        for (i, ch) in rest.char_indices() {
            let here = &rest[i..];
            if ch.is_whitespace()
                || here.starts_with("{{")
                || here.starts_with(self.close)
                || (here.starts_with('/') && here[1..].starts_with(self.close))
            {
                end = i;
                break;
            }
        }
        self.pos += end;
        &rest[..end]
    }

    /// A quoted (`"a \"b\""`), raw (`` `a` ``) or bare value; `None` when a quote is never
    /// closed.
    fn value(&mut self) -> Option<String> {
        let rest = self.rest();
        if let Some(body) = rest.strip_prefix('"') {
            let mut out = String::new();
            let mut chars = body.char_indices();
            while let Some((i, ch)) = chars.next() {
                match ch {
                    '"' => {
                        self.pos += 1 + i + 1;
                        return Some(out);
                    }
                    '\\' => match chars.next() {
                        Some((_, e @ ('"' | '\\'))) => out.push(e),
                        Some((_, e)) => {
                            out.push('\\');
                            out.push(e);
                        }
                        None => return None,
                    },
                    '\n' if out.ends_with('\n') => return None,
                    _ => out.push(ch),
                }
            }
            None
        } else if let Some(body) = rest.strip_prefix('`') {
            let end = body.find('`')?;
            self.pos += end + 2;
            Some(body[..end].to_string())
        } else {
            Some(self.word().to_string())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(text: &str) -> Vec<Tag> {
        scan(text)
            .into_iter()
            .map(|i| match i {
                Item::Tag(t) => t,
                other => panic!("not a tag: {other:?}"),
            })
            .collect()
    }

    #[test]
    fn both_forms_with_positional_and_named_arguments() {
        let t = tags(
            r#"{{% notice info "A \"quoted\" title" %}} {{< figure src=/a.png title="Two words" alt=`raw "x"` >}}"#,
        );
        assert_eq!(t.len(), 2);
        assert!(t[0].markdown && !t[0].closing);
        assert_eq!(t[0].name, "notice");
        assert_eq!(t[0].args, ["info", "A \"quoted\" title"]);
        assert!(!t[1].markdown);
        assert_eq!(
            t[1].kwargs,
            [
                ("src".to_string(), "/a.png".to_string()),
                ("title".into(), "Two words".into()),
                ("alt".into(), "raw \"x\"".into())
            ]
        );
    }

    #[test]
    fn closing_and_self_closing_tags() {
        let t = tags("{{< /button >}}{{<youtube id=abc/>}}{{< x a />}}{{%/notice%}}");
        assert!(t[0].closing && t[0].name == "button");
        assert!(t[1].self_closing && t[1].kwargs == [("id".into(), "abc".into())]);
        assert!(t[2].self_closing && t[2].args == ["a"]);
        assert!(t[3].closing && t[3].markdown && t[3].name == "notice");
    }

    #[test]
    fn tags_span_lines_and_ranges_cover_them() {
        let text = "a {{< figure\n  src=\"x.png\"\n  caption=\"c\" >}} b";
        let t = tags(text);
        assert_eq!(&text[t[0].range.clone()], &text[2..text.len() - 2]);
        assert_eq!(t[0].kwargs.len(), 2);
    }

    #[test]
    fn code_and_comments_are_not_scanned() {
        let text = "```yaml\nkey: ${{ secrets.AWS_KEY }}\nx: {{< notice >}}\n```\n\n    {{< indented >}}\n\nUse `{{< relref \"x\" >}}` here.\n<!-- {{< hidden >}}\n{{% notice %}} -->\n\nText <!-- {{< inline >}} --> {{< real >}}\n";
        let t = tags(text);
        assert_eq!(t.len(), 1, "{t:?}");
        assert_eq!(t[0].name, "real");
    }

    #[test]
    fn go_template_braces_are_text() {
        assert!(scan("{{ .Site.Title }} and ${{ secrets.X }}").is_empty());
    }

    #[test]
    fn escaped_form_is_shown_as_written() {
        let items = scan("Write {{</* notice info */>}} to get a box.");
        assert_eq!(
            items,
            [Item::Escaped {
                range: 6..29,
                text: "{{< notice info >}}".into(),
                in_code: false,
            }]
        );
        let items = scan("```\n{{</* relref \"x\" */>}}\n```\n");
        assert!(
            matches!(&items[..], [Item::Escaped { in_code: true, text, .. }] if text == "{{< relref \"x\" >}}")
        );
    }

    #[test]
    fn unclosed_tags_are_malformed_and_do_not_swallow_the_next_one() {
        let items = scan("{{< youtube abc\n\nthen {{< real >}} and {{< \"x\" >}} {{% n \"open %}}");
        assert!(matches!(&items[0], Item::Malformed { range, .. } if *range == (0..3)));
        assert!(matches!(&items[1], Item::Tag(t) if t.name == "real"));
        assert!(matches!(&items[2], Item::Malformed { message, .. } if message.contains("name")));
        assert!(matches!(&items[3], Item::Malformed { message, .. } if message.contains("quote")));
        assert_eq!(items.len(), 4);
    }

    #[test]
    fn a_run_of_openings_is_read_once() {
        let text = "{{<".repeat(50_000) + " {{< real >}}";
        let items = scan(&text);
        assert_eq!(items.len(), 50_001);
        assert!(matches!(&items[50_000], Item::Tag(t) if t.name == "real"));
        let text = "{{< a x".to_string() + &"{{%".repeat(50_000);
        assert!(
            scan(&text)
                .iter()
                .all(|i| matches!(i, Item::Malformed { .. }))
        );
    }

    #[test]
    fn tag_in_a_blank_line_unclosed_at_end() {
        let items = scan("{{< notice");
        assert!(matches!(&items[0], Item::Malformed { .. }));
    }
}
