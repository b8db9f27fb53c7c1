//! Links written to where a file lives in the site's folder rather than where it is
//! published: a page's Markdown source (`../1.3-Week3/_index.md`), or a file of
//! `static/` (`/static/images/x.png`). Hugo 0.111 leaves them broken; they are resolved
//! to what the site publishes, with a warning.

use super::{SiteIndex, normalise};

/// The URL of the page whose Markdown source `path` names, relative as `path` is:
/// `../1.3-Week3/_index.md` → `../1.3-Week3/`, `notes.vi.md` → `notes/`, `_index.md` →
/// `./`. The language a file name carries is dropped: the link leads to the page in the
/// linking page's language.
pub fn markdown_source_page(path: &str) -> Option<String> {
    let (folder, name) = path.rsplit_once('/').unwrap_or(("", path));
    let (stem, extension) = name.rsplit_once('.')?;
    if !(extension.eq_ignore_ascii_case("md") || extension.eq_ignore_ascii_case("markdown")) {
        return None;
    }
    let stem = match stem.rsplit_once('.') {
        Some((s, language))
            if language.len() == 2 && language.bytes().all(|b| b.is_ascii_alphabetic()) =>
        {
            s
        }
        _ => stem,
    };
    if stem.is_empty() {
        return None;
    }
    let folder = if path.contains('/') {
        format!("{folder}/")
    } else {
        String::new()
    };
    Some(if stem == "_index" || stem == "index" {
        if folder.is_empty() {
            "./".into()
        } else {
            folder
        }
    } else {
        format!("{folder}{stem}/")
    })
}

/// The published file a link into `static/` names: the path after its last `static/`
/// folder, when the site has it.
pub fn in_static_folder(decoded: &str, index: &SiteIndex) -> Option<String> {
    let at = decoded
        .match_indices("static/")
        .filter(|(i, _)| *i == 0 || decoded.as_bytes()[i - 1] == b'/')
        .last()?
        .0;
    let rest = &decoded[at + "static/".len()..];
    normalise(rest).and_then(|p| index.real(&p))
}

#[cfg(test)]
mod tests {
    use super::super::{Home, Resolved, resolve};
    use super::*;

    #[test]
    fn links_to_markdown_sources_and_into_static_lead_to_what_is_published() {
        let i = SiteIndex::new([
            "".into(),
            "1-worklog/".into(),
            "1-worklog/1.1-week1/".into(),
            "1-worklog/1.1-week1/notes/".into(),
            "vi/1-worklog/1.1-week1/".into(),
            "images/x.png".into(),
        ]);
        let en = Home::default();
        let at = |url: &str, dir: &str| resolve(url, dir, &en, "/j/", &i);
        assert_eq!(
            at("1.1-Week1/_index.md#goals", "1-worklog/"),
            Resolved::Source("/j/1-worklog/1.1-week1/#goals".into())
        );
        assert_eq!(
            at("../1.1-week1/_index.vi.md", "vi/1-worklog/x/"),
            Resolved::Source("../1.1-week1/".into())
        );
        assert_eq!(
            at("notes.md", "1-worklog/1.1-week1/"),
            Resolved::Source("notes/".into())
        );
        assert_eq!(at("_index.md", "1-worklog/"), Resolved::Source("./".into()));
        assert_eq!(
            at("../nope/_index.md", "1-worklog/"),
            Resolved::Missing(None)
        );
        for (url, dir) in [
            ("/static/images/x.png", "1-worklog/1.1-week1/"),
            ("../../static/images/x.png", "1-worklog/1.1-week1/"),
            ("../../../../static/images/x.png", "1-worklog/1.1-week1/"),
        ] {
            assert_eq!(
                at(url, dir),
                Resolved::StaticFolder("/j/images/x.png".into()),
                "{url}"
            );
        }
        assert_eq!(
            at("/static/images/y.png", ""),
            Resolved::Missing(Some("/j/static/images/y.png".into()))
        );
    }
}
