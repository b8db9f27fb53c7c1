//! Bare URLs and e-mail addresses made links, as GFM's extended autolinks and Hugo's
//! goldmark (Linkify, on by default) make them: `https://…`, `http://…`, `ftp://…`,
//! `www.…` and `name@host.tld`. Journals write their reference URLs bare in week tables.
//!
//! Text inside code, links, images and raw HTML `<a>` elements is left alone. Finding
//! where a URL ends (trailing punctuation, balanced parentheses) is `linkify`'s.

use std::ops::Range;

use linkify::{LinkFinder, LinkKind};
use pulldown_cmark::{CowStr, Event, LinkType, Tag, TagEnd};

use super::shortcodes::is_placeholder_char;

/// Wraps a parser's `(event, range)` stream, turning bare URLs in its text into links.
pub struct Autolinks<'a, I: Iterator<Item = (Event<'a>, Range<usize>)>> {
    events: std::iter::Peekable<I>,
    finder: LinkFinder,
    /// Inside a code block, link or image (nesting counted), or a raw `<a>` element.
    code: usize,
    links: usize,
    raw_anchors: usize,
    ready: std::collections::VecDeque<(Event<'a>, Range<usize>)>,
}

impl<'a, I: Iterator<Item = (Event<'a>, Range<usize>)>> Autolinks<'a, I> {
    pub fn new(events: I) -> Self {
        let mut finder = LinkFinder::new();
        // `www.` links have no scheme; which scheme-less finds count is decided below.
        finder.url_must_have_scheme(false);
        Autolinks {
            events: events.peekable(),
            finder,
            code: 0,
            links: 0,
            raw_anchors: 0,
            ready: Default::default(),
        }
    }

    fn track(&mut self, event: &Event) {
        match event {
            Event::Start(Tag::CodeBlock(_)) => self.code += 1,
            Event::End(TagEnd::CodeBlock) => self.code = self.code.saturating_sub(1),
            Event::Start(Tag::Link { .. } | Tag::Image { .. }) => self.links += 1,
            Event::End(TagEnd::Link | TagEnd::Image) => self.links = self.links.saturating_sub(1),
            Event::InlineHtml(h) => {
                let h = h.trim_start().to_ascii_lowercase();
                if h.starts_with("<a ") || h.starts_with("<a>") {
                    self.raw_anchors += 1;
                } else if h.starts_with("</a") {
                    self.raw_anchors = self.raw_anchors.saturating_sub(1);
                }
            }
            // A paragraph's end closes what raw HTML left open in it.
            Event::End(TagEnd::Paragraph | TagEnd::TableCell | TagEnd::Heading(_)) => {
                self.raw_anchors = 0
            }
            _ => {}
        }
    }

    /// The links found in `text`, as events. `pieces` are the parser's text events it
    /// was merged from: the text around and in each link keeps their places in the source
    /// (see [`Pieces::text`]), which typography reads its context from.
    fn linkify(&mut self, text: CowStr<'a>, pieces: &Pieces) {
        let range = pieces.range();
        let mut at = 0;
        for link in self.finder.links(&text) {
            let Some((href, end)) = autolink(&text, link.start(), link.end(), link.kind()) else {
                continue;
            };
            let (start, email) = (link.start(), matches!(link.kind(), LinkKind::Email));
            if start > at {
                pieces.text(&text, at..start, &mut self.ready);
            }
            let link_type = if email {
                LinkType::Email
            } else {
                LinkType::Autolink
            };
            self.ready.push_back((
                Event::Start(Tag::Link {
                    link_type,
                    dest_url: href.into(),
                    title: "".into(),
                    id: "".into(),
                }),
                range.clone(),
            ));
            pieces.text(&text, start..end, &mut self.ready);
            self.ready
                .push_back((Event::End(TagEnd::Link), range.clone()));
            at = end;
        }
        if at < text.len() {
            pieces.text(&text, at..text.len(), &mut self.ready);
        }
    }
}

/// The parser's text events a run of text was merged from: where each starts in the
/// merged text, and its place in the source.
struct Pieces(Vec<(usize, Range<usize>)>);

impl Pieces {
    fn range(&self) -> Range<usize> {
        self.0[0].1.start..self.0[self.0.len() - 1].1.end
    }

    /// Events for `span` of the merged `text`: one per piece it crosses, each with its
    /// exact place in the source where the piece is the source as written (its length
    /// the same), else the piece's whole place (an entity, an escape).
    fn text<'a>(
        &self,
        text: &str,
        span: Range<usize>,
        out: &mut std::collections::VecDeque<(Event<'a>, Range<usize>)>,
    ) {
        // The pieces from the one `span` starts in: a run of many links and many pieces
        // stays linear.
        let first = self
            .0
            .partition_point(|(at, _)| *at <= span.start)
            .saturating_sub(1);
        for (i, (at, source)) in self.0.iter().enumerate().skip(first) {
            if *at >= span.end {
                break;
            }
            let end = self.0.get(i + 1).map_or(text.len(), |(next, _)| *next);
            let (from, to) = (span.start.max(*at), span.end.min(end));
            if from >= to {
                continue;
            }
            let place = if end - at == source.len() {
                source.start + (from - at)..source.start + (to - at)
            } else {
                source.clone()
            };
            out.push_back((Event::Text(text[from..to].to_string().into()), place));
        }
    }
}

/// The destination of a link `linkify` found at `start..end`, and where it really ends,
/// when GFM would link it.
fn autolink(text: &str, start: usize, end: usize, kind: &LinkKind) -> Option<(String, usize)> {
    // A shortcode's placeholder right after a URL is not part of it.
    let end = text[start..end]
        .find(is_placeholder_char)
        .map_or(end, |i| start + i);
    // GFM leaves these out at the end, as `linkify` does `.`, `,`, `?` and the like.
    let found = text[start..end].trim_end_matches(['?', '!', '.', ',', ':', '*', '_', '~']);
    let end = start + found.len();
    match kind {
        // The HTML writer puts `mailto:` before an e-mail link's destination.
        LinkKind::Email => Some((found.to_string(), end)),
        LinkKind::Url => {
            let lower = found.to_ascii_lowercase();
            if ["http://", "https://", "ftp://"]
                .iter()
                .any(|s| lower.starts_with(s) && lower.len() > s.len())
            {
                Some((found.to_string(), end))
            } else if lower.starts_with("www.") && found[4..].contains('.') {
                // A `www.` that a word ends in is not a link (`awww.x`).
                let after_word = text[..start]
                    .chars()
                    .next_back()
                    .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.');
                (!after_word).then(|| (format!("http://{found}"), end))
            } else {
                None
            }
        }
        _ => None,
    }
}

impl<'a, I: Iterator<Item = (Event<'a>, Range<usize>)>> Iterator for Autolinks<'a, I> {
    type Item = (Event<'a>, Range<usize>);

    fn next(&mut self) -> Option<Self::Item> {
        if let Some(e) = self.ready.pop_front() {
            return Some(e);
        }
        let (event, range) = self.events.next()?;
        let Event::Text(text) = event else {
            self.track(&event);
            return Some((event, range));
        };
        if self.code + self.links + self.raw_anchors > 0 {
            return Some((Event::Text(text), range));
        }
        // pulldown-cmark splits text at `_`, `*` or `&`: a URL may span several events.
        // One buffer grows for the whole run: a paragraph of many `_` stays linear.
        let mut merged: Option<String> = None;
        let mut pieces = Pieces(vec![(0, range.clone())]);
        let mut end = range.end;
        while let Some((Event::Text(_), next)) = self.events.peek() {
            if next.start != end {
                break;
            }
            let Some((Event::Text(more), next)) = self.events.next() else {
                unreachable!("peeked a text event");
            };
            let merged = merged.get_or_insert_with(|| text.to_string());
            pieces.0.push((merged.len(), next.clone()));
            merged.push_str(&more);
            end = next.end;
        }
        let text = merged.map_or(text, CowStr::from);
        if !text.contains(['.', '@']) {
            if pieces.0.len() == 1 {
                return Some((Event::Text(text), range));
            }
            pieces.text(&text, 0..text.len(), &mut self.ready);
            return self.ready.pop_front();
        }
        self.linkify(text, &pieces);
        self.ready.pop_front()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::{Options, Parser};

    fn html(md: &str) -> String {
        let events = Autolinks::new(
            Parser::new_ext(md, Options::ENABLE_TABLES | Options::ENABLE_GFM).into_offset_iter(),
        )
        .map(|(e, _)| e);
        let mut out = String::new();
        pulldown_cmark::html::push_html(&mut out, events);
        out
    }

    #[test]
    fn bare_urls_and_emails_are_linked() {
        assert_eq!(
            html("See https://docs.aws.amazon.com/a_b_c/x.html."),
            "<p>See <a href=\"https://docs.aws.amazon.com/a_b_c/x.html\">https://docs.aws.amazon.com/a_b_c/x.html</a>.</p>\n"
        );
        assert_eq!(
            html("(www.example.com/a), mail me@x.org!"),
            "<p>(<a href=\"http://www.example.com/a\">www.example.com/a</a>), mail <a href=\"mailto:me@x.org\">me@x.org</a>!</p>\n"
        );
        assert_eq!(
            html("https://x.io/a_, https://x.io/b~"),
            "<p><a href=\"https://x.io/a\">https://x.io/a</a>_, <a href=\"https://x.io/b\">https://x.io/b</a>~</p>\n"
        );
        assert_eq!(
            html("https://en.wikipedia.org/wiki/Link_(Zelda)"),
            "<p><a href=\"https://en.wikipedia.org/wiki/Link_(Zelda)\">https://en.wikipedia.org/wiki/Link_(Zelda)</a></p>\n"
        );
    }

    #[test]
    fn code_links_and_raw_html_are_left_alone() {
        for (md, anchors) in [
            ("`https://x.io/a`", 0),
            ("```\nhttps://x.io/a\n```", 0),
            ("[https://x.io/a](https://y.io/)", 1),
            ("<https://x.io/a>", 1),
            ("<a href=\"https://y.io/\">https://x.io/a</a>", 1),
            ("<div>\nhttps://x.io/a\n</div>", 0),
            ("file.txt, v1.2, example.com, awww.x.com, http://", 0),
        ] {
            let out = html(md);
            assert_eq!(out.matches("<a ").count(), anchors, "{md}: {out}");
        }
    }
}
