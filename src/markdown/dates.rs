//! Dates in table cells (`15-09-2025`, `16/09/2025`, `2025-09-17`) kept on one line: a
//! browser may break after their hyphens, and a week table squeezed by its long URLs
//! then shows a date over three lines. Each is wrapped in `<span class="nowrap">`.

use pulldown_cmark::Event;

/// The events for `text` with each date in a nowrap span, or `None` when it has none.
pub fn keep_together<'a>(text: &str) -> Option<Vec<Event<'a>>> {
    let mut events = Vec::new();
    let mut at = 0;
    let mut i = 0;
    let bytes = text.as_bytes();
    while i < bytes.len() {
        let starts_word = i == 0 || !bytes[i - 1].is_ascii_alphanumeric();
        match (starts_word, date_len(&bytes[i..])) {
            (true, Some(n)) => {
                if i > at {
                    events.push(Event::Text(text[at..i].to_string().into()));
                }
                events.push(Event::InlineHtml("<span class=\"nowrap\">".into()));
                events.push(Event::Text(text[i..i + n].to_string().into()));
                events.push(Event::InlineHtml("</span>".into()));
                i += n;
                at = i;
            }
            // A run of numbers that is no date (`1.2.3.4`) is passed whole.
            _ if bytes[i].is_ascii_digit() => {
                i += bytes[i..]
                    .iter()
                    .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'/' | b'.'))
                    .count();
            }
            _ => i += 1,
        }
    }
    if events.is_empty() {
        return None;
    }
    if at < text.len() {
        events.push(Event::Text(text[at..].to_string().into()));
    }
    Some(events)
}

/// The length of the date `s` starts with: 1–4 digits, then twice a separator (`-`, `/`
/// or `.`, the same both times) and 1–4 digits, and no more of them.
fn date_len(s: &[u8]) -> Option<usize> {
    let digits = |from: usize| {
        let n = s[from..].iter().take_while(|b| b.is_ascii_digit()).count();
        (1..=4).contains(&n).then_some(from + n)
    };
    let first = digits(0)?;
    let sep = *s.get(first).filter(|b| matches!(b, b'-' | b'/' | b'.'))?;
    let second = digits(first + 1)?;
    if s.get(second) != Some(&sep) {
        return None;
    }
    let end = digits(second + 1)?;
    // Not a longer run of numbers (`1.2.3.4`, `15-09-2025-01`).
    let more = match s.get(end) {
        None => false,
        Some(b) if b.is_ascii_alphanumeric() => true,
        Some(b) => {
            matches!(b, b'-' | b'/' | b'.') && s.get(end + 1).is_some_and(u8::is_ascii_digit)
        }
    };
    (!more).then_some(end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wrapped(text: &str) -> String {
        let mut html = String::new();
        match keep_together(text) {
            Some(events) => pulldown_cmark::html::push_html(&mut html, events.into_iter()),
            None => html.push_str(text),
        }
        html
    }

    #[test]
    fn dates_are_kept_together() {
        assert_eq!(
            wrapped("15-09-2025 to 2025/09/17."),
            "<span class=\"nowrap\">15-09-2025</span> to <span class=\"nowrap\">2025/09/17</span>."
        );
        for plain in [
            "v1.2",
            "1-2",
            "1.2.3.4",
            "abc15-09-2025",
            "15-09/2025",
            "12345-1-1",
        ] {
            assert_eq!(wrapped(plain), plain);
        }
    }
}
