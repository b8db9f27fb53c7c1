//! The timeline's weeks: each with its date, title and first objectives.

use crate::config::Config;
use crate::content::{ContentTree, weeks};
use crate::markdown::RenderedBody;

use super::TimelineWeek;

/// How many objectives of a week the timeline shows.
const OBJECTIVES: usize = 3;

/// The weeks in reading order, dated or not.
pub(super) fn weeks_of<'a>(
    tree: &'a ContentTree,
    bodies: &[RenderedBody],
    config: &Config,
) -> Vec<TimelineWeek<'a>> {
    weeks::listed(tree)
        .into_iter()
        .map(|(id, week)| {
            let page = &tree.pages[id];
            TimelineWeek {
                week,
                number: page.number.as_deref(),
                title: page.menu_title(),
                url: config.url(&page.path),
                date: page.front.date_ymd(),
                objectives: objectives(&bodies[id].html),
            }
        })
        .collect()
}

/// The first items of the list under the first heading that names a week's aims
/// ("Week 7 Objectives", "Goals", "Targets", "Mục tiêu tuần 7"), as text: nested lists
/// left out.
pub fn objectives(html: &str) -> Vec<String> {
    let mut rest = html;
    while let Some(at) = rest.find("<h") {
        let heading = &rest[at..];
        let Some(end) = heading.find("</h") else {
            break;
        };
        let title = crate::text::strip_tags(&heading[..end]).to_lowercase();
        rest = &heading[end..];
        if !names_aims(&title) {
            continue;
        }
        let next_heading = rest[3..].find("<h").map_or(rest.len(), |i| i + 3);
        let section = &rest[..next_heading];
        let Some(list) = section.find("<ul").or_else(|| section.find("<ol")) else {
            return Vec::new();
        };
        return top_items(&section[list..], OBJECTIVES);
    }
    Vec::new()
}

/// Whether a heading's lowercased text names a week's aims, in the words journals use.
fn names_aims(title: &str) -> bool {
    const WORDS: [&str; 5] = ["objective", "goal", "aim", "target", "purpose"];
    const PHRASES: [&str; 3] = ["mục tiêu", "mục đích", "muc tieu"];
    PHRASES.iter().any(|p| title.contains(p))
        || title.split(|c: char| !c.is_alphanumeric()).any(|word| {
            WORDS
                .iter()
                .any(|w| word.strip_suffix('s').unwrap_or(word) == *w)
        })
}

/// The text of the first `max` items of the list `html` starts with.
fn top_items(html: &str, max: usize) -> Vec<String> {
    let mut items = Vec::new();
    let mut depth = 0usize;
    let mut current: Option<String> = None;
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        if depth == 1
            && let Some(text) = &mut current
        {
            text.push_str(&rest[..open]);
        }
        let Some(close) = rest[open..].find('>') else {
            break;
        };
        let tag = &rest[open + 1..open + close];
        rest = &rest[open + close + 1..];
        let closing = tag.starts_with('/');
        let name = tag
            .trim_start_matches('/')
            .split(|c: char| c.is_whitespace() || c == '/')
            .next()
            .unwrap_or("");
        match (closing, name) {
            (false, "ul" | "ol") => depth += 1,
            (true, "ul" | "ol") => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    break;
                }
            }
            (false, "li") if depth == 1 => current = Some(String::new()),
            (true, "li") if depth == 1 => {
                let text = current.take().unwrap_or_default();
                let text = crate::text::unescape_entities(&text);
                let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
                if !text.is_empty() {
                    items.push(text);
                }
                if items.len() == max {
                    break;
                }
            }
            _ => {}
        }
    }
    items
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn objectives_are_the_first_items_of_the_objectives_list() {
        let html = "<h3 id=\"a\">Week 7 Objectives:</h3>\n<ul>\n<li>Learn <strong>S3</strong> &amp; IAM</li>\n<li>Two\n<ul><li>nested</li></ul>\n</li>\n<li>Three</li>\n<li>Four</li>\n</ul>\n<h3>Tasks</h3><ul><li>x</li></ul>";
        assert_eq!(objectives(html), ["Learn S3 & IAM", "Two", "Three"]);
        assert!(objectives("<h3>Tasks</h3><ul><li>x</li></ul>").is_empty());
        let vi = "<h3 id=\"m\">Mục tiêu tuần 2:</h3>\n<ol><li>Một</li></ol>";
        assert_eq!(objectives(vi), ["Một"]);
    }

    #[test]
    fn aims_are_found_under_the_headings_journals_use() {
        for heading in [
            "Week 3 Goals:",
            "Goal of the week",
            "Targets",
            "Aims for this week",
            "Objective",
            "Mục đích tuần 3",
            "Muc tieu tuan 3",
        ] {
            let html = format!("<h3>{heading}</h3>\n<ul><li>Deploy</li></ul>");
            assert_eq!(objectives(&html), ["Deploy"], "{heading}");
        }
        for heading in [
            "Tasks",
            "Targeted outcomes? no: Tasks done",
            "Achievements",
            "Domain",
        ] {
            let html = format!("<h3>{heading}</h3>\n<ul><li>Deploy</li></ul>");
            assert!(objectives(&html).is_empty(), "{heading}");
        }
    }
}
