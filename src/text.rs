//! Small text helpers more than one stage needs.

/// The text of an HTML fragment: tags dropped, entities left as written.
pub fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// The entities Markdown rendering writes (`&amp;`, `&lt;`, `&gt;`, `&quot;`, `&#39;`),
/// back to their characters.
pub fn unescape_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    text.replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}
