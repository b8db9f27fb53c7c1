//! `worklog check`: what a build found wrong with the site, sorted into kinds, plus what
//! only the whole site shows: anchors that no page has, pages that no nav reaches, and
//! pages missing their translation. Everything comes from the build's own link pass and
//! trees; nothing is crawled again.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::{LanguageSite, Pipeline};
use crate::diagnostics::{Diagnostic, Severity, WarningKind};

/// What a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// A link or image to no page or file.
    Missing,
    /// An external link that answers with an error, or not at all (`--external`).
    External,
    /// A link to an `#anchor` the page does not have.
    Anchor,
    /// A link that differs from its target in letter case (repaired in the output).
    Case,
    /// A relative link written as from the home page (repaired in the output).
    FromHome,
    /// A page in no nav.
    Unreachable,
    /// A page without its translation, or a translation without its original.
    Translation,
    /// Any other warning of the build.
    Warning,
    /// An error: the site does not build.
    Error,
}

impl Kind {
    /// Whether the problem breaks the published site: links, images and anchors that
    /// lead nowhere. The others are worth fixing but the site works.
    pub fn is_broken(self) -> bool {
        matches!(
            self,
            Kind::Missing | Kind::Anchor | Kind::External | Kind::Error
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Problem {
    pub file: PathBuf,
    pub line: Option<usize>,
    pub kind: Kind,
    pub message: String,
}

impl Problem {
    pub fn of(kind: Kind, file: &Path, line: Option<usize>, message: String) -> Problem {
        Problem {
            file: file.to_path_buf(),
            line,
            kind,
            message,
        }
    }

    fn from_diagnostic(d: &Diagnostic) -> Problem {
        let kind = match (d.severity, d.kind) {
            (Severity::Error, _) => Kind::Error,
            (_, Some(WarningKind::LinkNowhere)) => Kind::Missing,
            (_, Some(WarningKind::LinkCaseOnly)) => Kind::Case,
            (_, Some(WarningKind::LinkFromHome)) => Kind::FromHome,
            _ => Kind::Warning,
        };
        Problem::of(kind, &d.file, d.line, d.message.clone())
    }
}

/// Everything `check` found, sorted by file and line.
#[derive(Debug, Default, Serialize)]
pub struct Report {
    pub problems: Vec<Problem>,
    /// How many problems break the site ([`Kind::is_broken`]).
    pub broken: usize,
}

impl Report {
    pub fn new(mut problems: Vec<Problem>) -> Report {
        problems.sort();
        problems.dedup();
        let broken = problems.iter().filter(|p| p.kind.is_broken()).count();
        Report { problems, broken }
    }

    /// The report with `more` problems.
    pub fn with(self, more: Vec<Problem>) -> Report {
        Report::new(self.problems.into_iter().chain(more).collect())
    }

    /// A site that does not build: its errors (and nothing else can be checked).
    pub fn failed(errors: &[Diagnostic]) -> Report {
        Report::new(errors.iter().map(Problem::from_diagnostic).collect())
    }
}

impl Pipeline {
    /// Every external link of the site's pages: its URL, file and line.
    pub fn external_links(&self) -> Vec<(String, PathBuf, usize)> {
        let pages = self
            .site
            .languages
            .iter()
            .flat_map(|l| l.tree.pages.iter().zip(&l.bodies));
        pages
            .filter_map(|(page, body)| Some((page.source.as_ref()?, body)))
            .flat_map(|(file, body)| {
                body.deps
                    .externals()
                    .iter()
                    .map(move |(url, line)| (url.clone(), file.clone(), *line))
            })
            .collect()
    }

    pub fn check(&self) -> Report {
        let mut problems: Vec<Problem> = self
            .warnings()
            .iter()
            .map(Problem::from_diagnostic)
            .collect();
        let languages = &self.site.languages;
        for language in languages {
            problems.extend(anchors(language));
            problems.extend(unreachable(language));
        }
        if languages.len() > 1 {
            problems.extend(translations(languages));
        }
        Report::new(problems)
    }
}

/// Links to an anchor that the page they lead to does not have.
fn anchors(language: &LanguageSite) -> Vec<Problem> {
    let tree = &language.tree;
    let by_path: HashMap<&str, usize> = tree
        .pages
        .iter()
        .enumerate()
        .map(|(id, p)| (p.path.as_str(), id))
        .collect();
    let mut ids: HashMap<usize, HashSet<String>> = HashMap::new();
    let mut problems = Vec::new();
    for (page, body) in tree.pages.iter().zip(&language.bodies) {
        let Some(file) = &page.source else { continue };
        for link in body.deps.anchors() {
            // Links into files (`report.pdf#page=2`) are the file's business.
            let Some(&target) = by_path.get(link.target.as_str()) else {
                continue;
            };
            let known = ids
                .entry(target)
                .or_insert_with(|| ids_of(&language.bodies[target].html));
            if !known.contains(&link.fragment) && link.fragment != "top" {
                let on = if target == by_path[page.path.as_str()] {
                    "this page".to_string()
                } else {
                    language.config.url(&link.target)
                };
                problems.push(Problem::of(
                    Kind::Anchor,
                    file,
                    Some(link.line),
                    format!(
                        "link `{}`: {on} has no heading or element with id `{}`",
                        link.url, link.fragment
                    ),
                ));
            }
        }
    }
    problems
}

/// The `id`s of an HTML fragment, as the browser reads them (`&amp;` as `&`).
fn ids_of(html: &str) -> HashSet<String> {
    let mut ids = HashSet::new();
    for (i, _) in html.match_indices("id=\"") {
        let before = html[..i].chars().next_back();
        if !before.is_some_and(char::is_whitespace) {
            continue;
        }
        let rest = &html[i + 4..];
        if let Some(end) = rest.find('"') {
            ids.insert(crate::text::unescape_entities(&rest[..end]));
        }
    }
    ids
}

/// Pages that no nav reaches: hidden, or under a hidden section.
fn unreachable(language: &LanguageSite) -> Vec<Problem> {
    let tree = &language.tree;
    let reached: HashSet<usize> = tree.reading_order().into_iter().collect();
    tree.pages
        .iter()
        .enumerate()
        .filter(|(id, _)| !reached.contains(id))
        .filter_map(|(id, page)| {
            let file = page.source.as_ref()?;
            let why = if page.front.hidden {
                "it is `hidden`".to_string()
            } else {
                let hidden = tree
                    .ancestors(id)
                    .into_iter()
                    .find(|&a| tree.pages[a].front.hidden)
                    .map(|a| language.config.url(&tree.pages[a].path));
                format!("its section {} is `hidden`", hidden.unwrap_or_default())
            };
            Some(Problem::of(
                Kind::Unreachable,
                file,
                None,
                format!(
                    "no nav reaches {} ({why}): readers find it only through links",
                    language.config.url(&page.path)
                ),
            ))
        })
        .collect()
}

/// Pages of the default language without a translation in another, and translations
/// whose original is missing.
fn translations(languages: &[LanguageSite]) -> Vec<Problem> {
    let keys = |l: &LanguageSite| -> HashMap<Vec<String>, PathBuf> {
        l.tree
            .pages
            .iter()
            .filter_map(|p| Some((p.key.clone(), p.source.clone()?)))
            .collect()
    };
    let default = &languages[0];
    let originals = keys(default);
    let mut problems = Vec::new();
    for other in &languages[1..] {
        let code = &other.tree.language;
        let translated = keys(other);
        for (key, file) in &originals {
            if !translated.contains_key(key) {
                problems.push(Problem::of(
                    Kind::Translation,
                    file,
                    None,
                    format!("no `{code}` translation of this page"),
                ));
            }
        }
        for (key, file) in &translated {
            if !originals.contains_key(key) {
                problems.push(Problem::of(
                    Kind::Translation,
                    file,
                    None,
                    format!(
                        "a `{code}` translation without its original in `{}`",
                        default.tree.language
                    ),
                ));
            }
        }
    }
    problems
}
