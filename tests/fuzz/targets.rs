//! The parsers that take user bytes, each with what must hold for any input: front
//! matter, the shortcode scanner, link resolution, one page's Markdown rendering, and the
//! server's request paths. Shared by the stable harness (`tests/fuzz`) and the cargo-fuzz
//! targets (`fuzz/`), which include this file.

use std::collections::HashSet;
use std::path::PathBuf;

use worklog::config::Config;
use worklog::content::front_matter::{line_of_key, split};
use worklog::content::load::decode;
use worklog::content::{ContentTree, FrontMatter, Page, PageKind};
use worklog::diagnostics::line_of_offset;
use worklog::markdown::links::{self, Home, Resolved, SiteIndex};
use worklog::markdown::shortcodes::nesting::{pair, too_deep};
use worklog::markdown::shortcodes::parse::{Item, scan};
use worklog::markdown::{MarkdownOptions, PageRefs, TocEntry, render_page};
use worklog::render::{Renderer, SiteInputs, Theme};
use worklog::serve::http::{self, Target as Served};

use super::input::{self, BASE_PATHS, Rng};

/// Code under test that takes user bytes, and what must hold whatever they are.
pub trait Target {
    type Input: std::fmt::Debug;
    fn name(&self) -> &'static str;
    /// An input made from seeds and mutations (the stable harness).
    fn make(&self, rng: &mut Rng) -> Self::Input;
    /// An input read from raw bytes (libFuzzer, and the seed files themselves).
    fn read(&self, data: &[u8]) -> Self::Input;
    /// Runs the code on `input`; panics when something that must hold does not.
    fn check(&self, input: &Self::Input);
}

/// Text from bytes that may not be UTF-8.
fn text(data: &[u8]) -> String {
    String::from_utf8_lossy(data).into_owned()
}

fn lines(text: &str) -> usize {
    text.matches('\n').count() + 1
}

pub struct FrontMatterTarget;

/// A file as bytes, shown as text with its odd bytes escaped.
pub struct FileBytes(pub Vec<u8>);

impl std::fmt::Debug for FileBytes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "b\"{}\"", self.0.escape_ascii())
    }
}

impl Target for FrontMatterTarget {
    type Input = FileBytes;

    fn name(&self) -> &'static str {
        "front-matter"
    }

    fn make(&self, rng: &mut Rng) -> FileBytes {
        let mut bytes = input::file(rng).into_bytes();
        if rng.one_in(8) {
            let at = rng.below(bytes.len() + 1);
            bytes.insert(at, rng.pick(&[0xff, 0xc3, 0x80, 0xe2]));
        }
        if rng.one_in(8) {
            bytes = String::from_utf8_lossy(&bytes)
                .replace('\n', "\r\n")
                .into_bytes();
        }
        FileBytes(bytes)
    }

    fn read(&self, data: &[u8]) -> FileBytes {
        FileBytes(data.to_vec())
    }

    fn check(&self, FileBytes(bytes): &FileBytes) {
        let text = match decode(bytes.clone()) {
            Ok(text) => text,
            Err((line, _)) => {
                assert!(std::str::from_utf8(bytes).is_err());
                assert!((1..=bytes.split(|&b| b == b'\n').count()).contains(&line));
                return;
            }
        };
        assert!(text.len() <= bytes.len());
        match split(&text) {
            Ok(s) => {
                assert!(text.ends_with(s.body));
                let start = text.len() - s.body.len();
                assert_eq!(s.body_line, line_of_offset(&text, start));
                if let Some(ymd) = s.front_matter.date_ymd() {
                    assert_eq!(ymd.len(), 10);
                }
                for key in ["title", "date", "weight", "draft", "pre", "menuTitle"] {
                    if let Some(line) = line_of_key(&text, key) {
                        assert!(line <= lines(&text), "{key} on line {line}");
                    }
                }
            }
            Err(e) => assert!(
                (1..=lines(&text)).contains(&e.line),
                "error on line {} of {}: {}",
                e.line,
                lines(&text),
                e.message
            ),
        }
    }
}

pub struct ScanTarget;

impl Target for ScanTarget {
    type Input = String;

    fn name(&self) -> &'static str {
        "shortcodes"
    }

    fn make(&self, rng: &mut Rng) -> String {
        input::body(rng)
    }

    fn read(&self, data: &[u8]) -> String {
        text(data)
    }

    fn check(&self, text: &String) {
        let items = scan(text);
        let mut end = 0;
        for item in &items {
            let range = item.range();
            assert!(end <= range.start && range.start < range.end, "{items:?}");
            let written = &text[range.clone()];
            end = range.end;
            match item {
                Item::Tag(tag) => {
                    let (open, close) = if tag.markdown {
                        ("{{%", "%}}")
                    } else {
                        ("{{<", ">}}")
                    };
                    assert!(
                        written.starts_with(open) && written.ends_with(close),
                        "{written}"
                    );
                }
                Item::Escaped { .. } => assert!(written.starts_with("{{")),
                Item::Malformed { .. } => assert_eq!(written.len(), 3),
            }
        }
        let closers = pair(&items);
        for (i, closer) in closers.iter().enumerate() {
            let Some(c) = *closer else { continue };
            let (Item::Tag(open), Item::Tag(close)) = (&items[i], &items[c]) else {
                panic!("{i} closed by {c}: {items:?}");
            };
            assert!(c > i && close.closing && !open.closing && open.name == close.name);
        }
        for room in [0, 1, 64] {
            for (i, deepest) in too_deep(&closers, room).iter().enumerate() {
                if let Some(d) = *deepest {
                    assert!(i <= d && closers[i].is_some_and(|c| d < c));
                }
            }
        }
    }
}

/// Every path of the sites the link and render targets resolve against.
const SITE_PATHS: [&str; 9] = [
    "",
    "1-worklog/",
    "1-worklog/1.1-week1/",
    "1-worklog/1.2-week2/",
    "5-workshop/",
    "5-workshop/5.2-prerequisite/",
    "vi/",
    "images/a.png",
    "images/My Pic.png",
];

#[derive(Debug)]
pub struct LinkCase {
    url: String,
    page_dir: &'static str,
    base_path: &'static str,
    home: &'static str,
    html: String,
}

pub struct LinkTarget {
    index: SiteIndex,
}

impl LinkTarget {
    pub fn new() -> LinkTarget {
        LinkTarget {
            index: SiteIndex::new(SITE_PATHS.map(String::from)),
        }
    }
}

impl Target for LinkTarget {
    type Input = LinkCase;

    fn name(&self) -> &'static str {
        "links"
    }

    fn make(&self, rng: &mut Rng) -> LinkCase {
        let url = input::url(rng);
        let html = if rng.one_in(2) {
            format!("<a href=\"{url}\" SRC='{}'>x</a> src=\"", input::url(rng))
        } else {
            input::body(rng)
        };
        LinkCase {
            url,
            page_dir: rng.pick(&SITE_PATHS[..6]),
            base_path: rng.pick(&BASE_PATHS),
            home: rng.pick(&["", "vi/"]),
            html,
        }
    }

    /// The first byte picks the page, base path and home; the first line is the URL, the
    /// rest the HTML.
    fn read(&self, data: &[u8]) -> LinkCase {
        let (&first, rest) = data.split_first().unwrap_or((&0, &[]));
        let rest = text(rest);
        let (url, html) = rest.split_once('\n').unwrap_or((&rest, ""));
        let first = usize::from(first);
        LinkCase {
            url: url.to_string(),
            page_dir: SITE_PATHS[first % 6],
            base_path: BASE_PATHS[first / 6 % BASE_PATHS.len()],
            home: ["", "vi/"][first / 24 % 2],
            html: html.to_string(),
        }
    }

    fn check(&self, case: &LinkCase) {
        let home = Home {
            dir: case.home.to_string(),
            others: vec!["vi/".to_string()]
                .into_iter()
                .filter(|o| o != case.home)
                .collect(),
        };
        let resolved = links::resolve(&case.url, case.page_dir, &home, case.base_path, &self.index);
        match &resolved {
            Resolved::Unchanged | Resolved::Missing(None) => {}
            Resolved::Rewritten(s) | Resolved::Missing(Some(s)) => {
                assert!(s.starts_with(case.base_path), "{resolved:?}");
            }
            // A link to a Markdown source that resolved as written stays relative.
            Resolved::Source(s) if !s.starts_with('/') => {}
            Resolved::CaseFixed(s)
            | Resolved::FromHome(s)
            | Resolved::Source(s)
            | Resolved::StaticFolder(s) => {
                let rest = s.strip_prefix(case.base_path).expect("under the base path");
                let path = rest.split(['?', '#']).next().unwrap_or_default();
                let path = path.replace("%20", " ").replace("%25", "%");
                assert!(
                    SITE_PATHS.contains(&path.as_str()),
                    "{resolved:?} is no path of the site"
                );
            }
        }
        if let Some(s) = links::rebase(&case.url, case.base_path) {
            assert!(s.starts_with(case.base_path));
        }
        // Rewriting every URL to itself gives the HTML back, byte for byte.
        let same = links::rewrite_html_urls(&case.html, |u| Some(u.to_string()));
        assert!(same.as_deref().is_none_or(|s| s == case.html));
        let mut calls = 0;
        let marked = links::rewrite_html_urls(&case.html, |u| {
            calls += 1;
            Some(format!("<{u}>"))
        });
        assert_eq!(
            marked.map_or(case.html.len(), |m| m.len()),
            case.html.len() + 2 * calls
        );
    }
}

/// A small site with the default theme's shortcode templates, and one of its sections
/// whose body each input replaces.
pub struct RenderTarget {
    options: MarkdownOptions,
    templates: worklog::render::shortcodes::ThemeShortcodes<'static>,
    page: Page,
}

impl RenderTarget {
    pub fn new() -> RenderTarget {
        let keys: [&[&str]; 6] = [
            &[],
            &["1-Worklog"],
            &["1-Worklog", "1.1-Week1"],
            &["1-Worklog", "1.2-Week2"],
            &["5-Workshop"],
            &["5-Workshop", "5.2-Prerequisite"],
        ];
        let parents = [None, Some(0), Some(1), Some(1), Some(0), Some(4)];
        let pages: Vec<Page> = keys
            .iter()
            .zip(parents)
            .enumerate()
            .map(|(id, (key, parent))| Page {
                kind: if id == 0 {
                    PageKind::Home
                } else {
                    PageKind::Section
                },
                source: Some(
                    PathBuf::from("content")
                        .join(key.join("/"))
                        .join("_index.md"),
                ),
                key: key.iter().map(|k| k.to_string()).collect(),
                front: FrontMatter::default(),
                body: String::new(),
                body_line: 5,
                path_line: None,
                title: key.last().unwrap_or(&"Home").to_string(),
                path: SITE_PATHS[id].to_string(),
                number: None,
                parent,
                children: (0..keys.len())
                    .filter(|&c| parents[c] == Some(id))
                    .collect(),
            })
            .collect();
        let page = pages[1].clone();
        let refs = PageRefs::new(pages.iter().map(|p| (p.key.join("/"), p.path.clone())));
        let tree: &'static ContentTree = Box::leak(Box::new(ContentTree {
            pages,
            root: 0,
            language: "en".into(),
            files: Default::default(),
        }));
        let renderer = Box::leak(Box::new(
            Renderer::new(Theme::default_theme()).expect("the default theme compiles"),
        ));
        let config = Box::leak(Box::new(Config::default()));
        let inputs = Box::leak(Box::new(SiteInputs::default()));
        let files = Box::leak(Box::new([("1-worklog/files/a b.pdf".to_string(), 10)]));
        RenderTarget {
            options: MarkdownOptions {
                base_path: "/j/".into(),
                index: SiteIndex::new(SITE_PATHS.map(String::from)),
                pages: refs,
                home: Home::default(),
                typographer: true,
            },
            templates: renderer.shortcodes(tree, config, inputs, files),
            page,
        }
    }
}

impl Target for RenderTarget {
    type Input = String;

    fn name(&self) -> &'static str {
        "render-page"
    }

    fn make(&self, rng: &mut Rng) -> String {
        input::body(rng)
    }

    fn read(&self, data: &[u8]) -> String {
        text(data)
    }

    fn check(&self, body: &String) {
        let page = Page {
            body: body.clone(),
            ..self.page.clone()
        };
        let rendered = render_page(&page, &self.options, &self.templates);
        let last_line = page.body_line + lines(body) - 1;
        for d in &rendered.diagnostics {
            if Some(&d.file) == page.source.as_ref() {
                let line = d.line.expect("a page's diagnostic names its line");
                assert!(
                    (page.body_line..=last_line).contains(&line),
                    "{d} (body lines {}..={last_line})",
                    page.body_line
                );
            }
        }
        let private = |c: char| ('\u{E000}'..='\u{E0FF}').contains(&c);
        if !body.contains(private) {
            assert!(
                !rendered.html.contains(private),
                "a placeholder is left: {}",
                rendered.html
            );
        }
        let mut ids = HashSet::new();
        let mut stack: Vec<&TocEntry> = rendered.toc.iter().collect();
        while let Some(entry) = stack.pop() {
            assert!(ids.insert(&entry.id), "heading id {} twice", entry.id);
            stack.extend(&entry.children);
        }
    }
}

#[derive(Debug)]
pub struct RequestCase {
    url: String,
    base_path: &'static str,
    every_file_exists: bool,
}

pub struct ServeTarget;

/// What a path the server looks up must look like: relative, without `.` or `..`
/// segments, backslashes or NUL, so that it names something inside the site.
fn inside_the_site(path: &str) {
    assert!(!path.is_empty() && !path.starts_with('/'), "{path:?}");
    assert!(!path.contains('\\') && !path.contains('\0'), "{path:?}");
    assert!(path.split('/').all(|s| s != "." && s != ".."), "{path:?}");
}

impl Target for ServeTarget {
    type Input = RequestCase;

    fn name(&self) -> &'static str {
        "serve-path"
    }

    fn make(&self, rng: &mut Rng) -> RequestCase {
        RequestCase {
            url: input::url(rng),
            base_path: rng.pick(&BASE_PATHS[..3]),
            every_file_exists: rng.one_in(2),
        }
    }

    /// The first byte picks the base path and whether every file exists.
    fn read(&self, data: &[u8]) -> RequestCase {
        let (&first, rest) = data.split_first().unwrap_or((&0, &[]));
        RequestCase {
            url: text(rest),
            base_path: BASE_PATHS[usize::from(first) % 3],
            every_file_exists: first & 0x80 != 0,
        }
    }

    fn check(&self, case: &RequestCase) {
        let asked = std::cell::RefCell::new(Vec::new());
        let target = http::resolve(&case.url, case.base_path, |f: &str| {
            asked.borrow_mut().push(f.to_string());
            case.every_file_exists || SITE_PATHS.iter().any(|p| format!("{p}index.html") == f)
        });
        for f in asked.borrow().iter() {
            inside_the_site(f);
        }
        match &target {
            Served::File(p) => {
                inside_the_site(p);
                assert!(!p.contains("//"), "{p:?}");
                assert!(asked.borrow().contains(p), "{p} was never looked up");
            }
            Served::Redirect(to) => {
                assert!(
                    to.starts_with('/') && !to.starts_with("//") && !to.starts_with("/\\"),
                    "{to}"
                );
            }
            Served::NotFound | Served::BadRequest | Served::LiveScript => {}
        }
    }
}
