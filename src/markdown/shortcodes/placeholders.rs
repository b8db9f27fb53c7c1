//! Placeholders: where a shortcode's HTML goes, marked in the Markdown by characters no
//! writer types, and put back once the Markdown is HTML. Knows nothing of shortcodes.

/// Private-use characters: nothing a writer types, dropped from heading ids by the slugger.
const PLACEHOLDER_START: char = '\u{E010}';
const PLACEHOLDER_END: char = '\u{E011}';
const PLACEHOLDER_DIGIT_0: u32 = 0xE020;

pub fn placeholder(n: usize) -> String {
    let digits = n.to_string();
    let mut s = String::from(PLACEHOLDER_START);
    s.extend(
        digits
            .bytes()
            .filter_map(|d| char::from_u32(PLACEHOLDER_DIGIT_0 + u32::from(d - b'0'))),
    );
    s.push(PLACEHOLDER_END);
    s
}

fn placeholder_number(digits: &str) -> Option<usize> {
    digits.chars().try_fold(0usize, |n, c| {
        let d = (c as u32)
            .checked_sub(PLACEHOLDER_DIGIT_0)
            .filter(|&d| d < 10)?;
        n.checked_mul(10)?.checked_add(d as usize)
    })
}

/// Whether `c` belongs to a placeholder: plain text (heading titles) leaves them out.
pub fn is_placeholder_char(c: char) -> bool {
    (PLACEHOLDER_START..=PLACEHOLDER_END).contains(&c)
        || (PLACEHOLDER_DIGIT_0..PLACEHOLDER_DIGIT_0 + 10).contains(&(c as u32))
}

/// Puts `outputs[n]` in place of placeholder `n`. A placeholder that makes up a paragraph
/// of its own takes the paragraph's place, so that block HTML is not wrapped in `<p>`.
pub fn substitute(html: String, outputs: &[String]) -> String {
    if outputs.is_empty() {
        return html;
    }
    let mut out =
        String::with_capacity(html.len() + outputs.iter().map(String::len).sum::<usize>());
    let mut rest = html.as_str();
    while let Some(i) = rest.find(PLACEHOLDER_START) {
        let after = &rest[i + PLACEHOLDER_START.len_utf8()..];
        let Some(end) = after.find(PLACEHOLDER_END) else {
            break;
        };
        let Some(output) = placeholder_number(&after[..end]).and_then(|n| outputs.get(n)) else {
            out.push_str(&rest[..i + PLACEHOLDER_START.len_utf8()]);
            rest = after;
            continue;
        };
        let tail = &after[end + PLACEHOLDER_END.len_utf8()..];
        match (rest[..i].strip_suffix("<p>"), tail.strip_prefix("</p>")) {
            (Some(before), Some(tail)) => {
                out.push_str(before);
                out.push_str(output);
                if !output.ends_with('\n') {
                    out.push('\n');
                }
                rest = tail.strip_prefix('\n').unwrap_or(tail);
            }
            _ => {
                out.push_str(&rest[..i]);
                out.push_str(output);
                rest = tail;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_round_trip() {
        for n in [0, 7, 10, 12345] {
            let p = placeholder(n);
            let digits: String = p
                .chars()
                .skip(1)
                .take_while(|&c| c != PLACEHOLDER_END)
                .collect();
            assert_eq!(placeholder_number(&digits), Some(n));
            assert!(p.chars().all(is_placeholder_char));
        }
    }

    #[test]
    fn substitute_replaces_paragraphs_and_inline_placeholders() {
        let outputs = ["<div>A</div>".to_string(), "<b>B</b>".to_string()];
        let html = format!("<p>{}</p>\n<p>x {} y</p>\n", placeholder(0), placeholder(1));
        assert_eq!(
            substitute(html, &outputs),
            "<div>A</div>\n<p>x <b>B</b> y</p>\n"
        );
    }
}
