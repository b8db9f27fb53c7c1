//! Typography as Hugo's Markdown (goldmark's typographer, on by default) sets it: `'` and
//! `"` become ‘ ’ “ ”, `--` –, `---` —, `...` …, `<<` « and `>>` ».
//!
//! Each quote is decided on its own, by the characters around it in the source, with
//! goldmark's rules (CommonMark's flanking, an apostrophe between letters, `'90s`): no
//! pairing, so a quote goldmark leaves straight stays straight. Only text is touched:
//! never code, raw HTML, a link's destination or a bare URL.

use std::ops::Range;

use pulldown_cmark::{CowStr, Event, LinkType, Tag, TagEnd};

/// Wraps an `(event, range)` stream over `source`, setting the typography of its text
/// when `on`. Headings are left to their reader (their ids are made from the text as
/// written), which calls [`smarten`] itself.
pub struct Typographer<'s, I> {
    events: I,
    source: &'s str,
    on: bool,
    /// Inside a code block or a heading.
    blocks: usize,
    /// The links around, each `true` when a bare URL or e-mail address.
    links: Vec<bool>,
    /// The quotes left open in the block being read.
    open: Open,
}

impl<'s, I> Typographer<'s, I> {
    pub fn new(events: I, source: &'s str, on: bool) -> Self {
        Typographer {
            events,
            source,
            on,
            blocks: 0,
            links: Vec::new(),
            open: Open::default(),
        }
    }
}

impl<'a, I: Iterator<Item = (Event<'a>, Range<usize>)>> Iterator for Typographer<'_, I> {
    type Item = (Event<'a>, Range<usize>);

    fn next(&mut self) -> Option<Self::Item> {
        let (event, range) = self.events.next()?;
        if !self.on {
            return Some((event, range));
        }
        // A quote left open closes with its block, as goldmark resets at each block.
        if let Event::Start(tag) = &event
            && !is_inline(tag)
        {
            self.open = Open::default();
        }
        match &event {
            Event::Start(Tag::CodeBlock(_) | Tag::Heading { .. }) => self.blocks += 1,
            Event::End(TagEnd::CodeBlock | TagEnd::Heading(_)) => {
                self.blocks = self.blocks.saturating_sub(1)
            }
            Event::Start(Tag::Link { link_type, .. }) => self.links.push(is_bare(*link_type)),
            Event::End(TagEnd::Link) => {
                self.links.pop();
            }
            Event::Text(text) if self.blocks == 0 && self.links.last() != Some(&true) => {
                if let Some(set) = smarten(text, &range, self.source, &mut self.open) {
                    return Some((Event::Text(CowStr::from(set)), range));
                }
            }
            _ => {}
        }
        Some((event, range))
    }
}

/// A tag inside a block's text: emphasis, a link, an image.
fn is_inline(tag: &Tag) -> bool {
    matches!(
        tag,
        Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript
            | Tag::Link { .. }
            | Tag::Image { .. }
    )
}

/// A bare URL or e-mail address: its text is the address, never typeset.
pub fn is_bare(link_type: LinkType) -> bool {
    matches!(link_type, LinkType::Autolink | LinkType::Email)
}

/// Quotes opened and not yet closed in the block being read: goldmark closes a quote
/// that both opens and closes (`?",`) only while one is open.
#[derive(Debug, Default, Clone, Copy)]
pub struct Open {
    single: usize,
    double: usize,
}

/// `text` with its typography set, when it changes; `range` is where it is in `source`.
/// Text that is not the source as written (an escape, an entity) is left as it is.
/// `open` carries the block's unclosed quotes from one text to the next.
pub fn smarten(text: &str, range: &Range<usize>, source: &str, open: &mut Open) -> Option<String> {
    if !text.contains(['\'', '"', '-', '.', '<', '>']) || source.get(range.clone()) != Some(text) {
        return None;
    }
    let mut out = String::with_capacity(text.len() + 8);
    let mut changed = false;
    let mut i = 0;
    // Where the current source line ends (past its `\n`): found once per line, so that a
    // long line of quotes stays linear.
    let mut line_end = 0;
    while i < text.len() {
        let at = range.start + i;
        if !matches!(text.as_bytes()[i], b'\'' | b'"' | b'-' | b'.' | b'<' | b'>') {
            let c = text[i..].chars().next().expect("inside the text");
            out.push(c);
            i += c.len_utf8();
            continue;
        }
        if line_end <= at {
            line_end = source[at..].find('\n').map_or(source.len(), |n| at + n + 1);
        }
        // The rest of the source line: goldmark looks past the end of this text event.
        let line = &source[at..line_end];
        let (set, used) = substitute(line, before(source, at), open);
        match set {
            // Within this text: what lies past it is another event's.
            Some(s) if used <= text.len() - i => {
                out.push_str(s);
                changed = true;
                i += used;
            }
            _ => {
                let c = text[i..].chars().next().expect("inside the text");
                out.push(c);
                i += c.len_utf8();
            }
        }
    }
    changed.then_some(out)
}

/// The character before `at` in `source`: a line break at its start, as goldmark has it.
fn before(source: &str, at: usize) -> char {
    source[..at].chars().next_back().unwrap_or('\n')
}

/// What goldmark's typographer (Hugo 0.111's) makes of the start of `line` (the source
/// from a character to the end of its line), preceded by `before`: the replacement and
/// how many bytes it replaces.
fn substitute(line: &str, before: char, open: &mut Open) -> (Option<&'static str>, usize) {
    let b = line.as_bytes();
    match b[0] {
        b'-' if b.starts_with(b"---") => (Some("—"), 3),
        b'-' if b.starts_with(b"--") => (Some("–"), 2),
        b'.' if b.starts_with(b"...") => (Some("…"), 3),
        b'<' if b.starts_with(b"<<") => (Some("«"), 2),
        b'>' if b.starts_with(b">>") => (Some("»"), 2),
        b'\'' => (single(line, before, open), 1),
        b'"' => (double(line, before, open), 1),
        _ => (None, 0),
    }
}

fn single(line: &str, before: char, open: &mut Open) -> Option<&'static str> {
    let (can_open, can_close) = flanking(line, before);
    let b = line.as_bytes();
    let next = line[1..].chars().next();
    // A decade: '90s.
    if can_open
        && !can_close
        && b.len() > 3
        && b[1].is_ascii_digit()
        && b[2].is_ascii_digit()
        && b[3] == b's'
        && line[4..]
            .chars()
            .next()
            .is_none_or(|c| c.is_whitespace() || is_punctuation(c))
    {
        return Some("’");
    }
    // 'twas, 'em, 'net, 'll.
    if b.len() > 1
        && (is_punctuation(before) || before.is_whitespace())
        && matches!(b[1], b't' | b'e' | b'n' | b'l')
    {
        return Some("’");
    }
    // Between a letter or digit and a letter: don't, rock'n'roll.
    if before.is_alphanumeric() && next.is_some_and(char::is_alphabetic) {
        return Some("’");
    }
    if can_open && !can_close {
        let ends = |n: usize| b.len() <= n || is_ascii_punct_or_space(b[n]);
        // 's, 'm, 't, 'd, 've, 'll, 're after a quote or space: Alice's, I'm.
        let contraction = (b.len() > 1 && matches!(b[1], b's' | b'm' | b't' | b'd') && ends(2))
            || (b.len() > 2 && matches!(&b[1..3], b"ve" | b"ll" | b"re") && ends(3));
        if contraction {
            return Some("’");
        }
        open.single += 1;
        return Some("‘");
    }
    // goldmark's test for plural possessives (Smiths', doin') holds for any quote with
    // two more bytes on its line that are not a digit next.
    if b.len() > 2 && !next.is_some_and(|c| c.is_numeric()) {
        return Some("’");
    }
    if open.single > 0 && closes(line, can_open, can_close) {
        open.single -= 1;
        return Some("’");
    }
    None
}

fn double(line: &str, before: char, open: &mut Open) -> Option<&'static str> {
    let (can_open, can_close) = flanking(line, before);
    if can_open && !can_close {
        open.double += 1;
        return Some("“");
    }
    if open.double > 0 && closes(line, can_open, can_close) {
        // "Monitor 21"": inches, then the closing quote.
        if line.as_bytes().get(1) == Some(&b'"') && before.is_numeric() {
            return None;
        }
        open.double -= 1;
        return Some("”");
    }
    None
}

/// A quote that closes, or that both opens and closes and has punctuation after it
/// followed by punctuation, a space or the line's end (`?",`).
fn closes(line: &str, can_open: bool, can_close: bool) -> bool {
    let b = line.as_bytes();
    let maybe = can_open
        && can_close
        && line[1..].chars().next().is_some_and(is_punctuation)
        && (b.len() == 2 || (b.len() > 2 && is_ascii_punct_or_space(b[2])));
    (can_close && !can_open) || maybe
}

fn is_ascii_punct_or_space(b: u8) -> bool {
    b.is_ascii_punctuation() || b.is_ascii_whitespace()
}

/// Whether the run of quotes `line` starts with can open and can close (CommonMark's
/// left- and right-flanking, as goldmark's `ScanDelimiter` decides them).
fn flanking(line: &str, before: char) -> (bool, bool) {
    let quote = line.as_bytes()[0];
    let run = line.bytes().take_while(|&b| b == quote).count();
    let after = line[run..].chars().next().unwrap_or(' ');
    let (before_space, before_punct) = (before.is_whitespace(), is_punctuation(before));
    let (after_space, after_punct) = (after.is_whitespace(), is_punctuation(after));
    let left = !after_space && (!after_punct || before_space || before_punct);
    let right = !before_space && (!before_punct || after_space || after_punct);
    (left, right)
}

/// Unicode punctuation or symbol, as goldmark's `IsPunctRune`.
fn is_punctuation(c: char) -> bool {
    c.is_ascii_punctuation() || (!c.is_alphanumeric() && !c.is_whitespace() && !c.is_control())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(text: &str) -> String {
        smarten(text, &(0..text.len()), text, &mut Open::default())
            .unwrap_or_else(|| text.to_string())
    }

    #[test]
    fn quotes_dashes_and_ellipses_as_goldmark_sets_them() {
        for (written, set_as) in [
            ("What's new", "What’s new"),
            ("\"Hello\" she said", "“Hello” she said"),
            ("'single' quotes", "‘single’ quotes"),
            ("the students' work", "the students’ work"),
            ("back in the '90s.", "back in the ’90s."),
            ("2020--2021", "2020–2021"),
            ("wait---what", "wait—what"),
            ("and so on...", "and so on…"),
            ("<<quoted>>", "«quoted»"),
            ("a \" b", "a \" b"),
            // A quote that only closes is left straight when none is open.
            ("5\"x3\"", "5\"x3\""),
            // One that both opens and closes closes an open one before punctuation.
            (
                "\"Which month?\", \"Which account?\".",
                "“Which month?”, “Which account?”.",
            ),
            (
                "Ask \"How much this week?\"* or",
                "Ask “How much this week?”* or",
            ),
            ("'twas 'em", "’twas ’em"),
            ("Alice's and 'quoted'", "Alice’s and ‘quoted’"),
            ("rock'n'roll", "rock’n’roll"),
            ("one - two", "one - two"),
            ("four----dashes", "four—-dashes"),
        ] {
            assert_eq!(set(written), set_as, "{written}");
        }
    }

    #[test]
    fn the_source_around_a_text_decides_its_quotes() {
        // `**bold**'s`: the `'` follows `*` in the source, punctuation: it could open, and
        // `'s ` makes it an apostrophe; after a letter it is one too.
        let source = "**bold**'s end, bold's end";
        let at = source.find('\'').unwrap();
        assert_eq!(
            smarten(
                &source[at..],
                &(at..source.len()),
                source,
                &mut Open::default()
            )
            .as_deref(),
            Some("’s end, bold’s end")
        );
        // An escaped quote is text that is not the source: left alone.
        assert_eq!(smarten("\"", &(0..2), "\\\"", &mut Open::default()), None);
    }
}
