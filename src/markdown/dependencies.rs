//! What a body's HTML depends on beyond its own text: the answer to every question its
//! rendering asked about the rest of the site. Rendering is deterministic, so a body
//! rendered again would ask the same questions; while each gets the same answer, the HTML
//! would come out the same and the stored body can be reused.
//!
//! The questions are the only ways the Markdown stage sees the site: where a link leads
//! ([`super::links`]), which page a `ref` names ([`PageRefs`]), and what a shortcode
//! template is told about the page and the site ([`ShortcodeTemplates::context_fingerprint`]).
//! Each goes through [`PageSource`], which writes the answer down here.

use std::cell::RefCell;

use super::{MarkdownOptions, PageSource, ShortcodeTemplates, content_folder, is_leaf, links};
use crate::content::Page;
use crate::diagnostics::WarningKind;

/// A link's place in the output (when rewritten) and the warning about it.
pub type LinkAnswer = (Option<String>, Option<LinkWarning>);

/// A warning about a link, with its kind when it is one a journal has many of.
pub type LinkWarning = (Option<WarningKind>, String);

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Dependencies {
    /// Internal links (written in the body or in a shortcode's output) and their answers.
    links: Vec<(String, LinkAnswer)>,
    /// `ref`/`relref` targets and the URL path and anchor each named.
    refs: Vec<(String, Option<String>)>,
    /// The shortcode context of the page, when a template was rendered.
    context: Option<u64>,
    /// Links to an anchor of a page. Nothing is asked of the site for them while the body
    /// renders: `worklog check` looks the ids up once every page is rendered.
    anchors: Vec<AnchorLink>,
    /// External links (`https://…`) and their lines, for `worklog check --external`.
    externals: Vec<(String, usize)>,
}

/// A link to `#fragment` of the page at `target` (a path of the site), written at `line`.
#[derive(Debug, Clone, PartialEq)]
pub struct AnchorLink {
    pub url: String,
    pub target: String,
    pub fragment: String,
    pub line: usize,
}

impl Dependencies {
    pub fn anchors(&self) -> &[AnchorLink] {
        &self.anchors
    }

    pub fn externals(&self) -> &[(String, usize)] {
        &self.externals
    }

    /// Whether every question the body asked gets the same answer from the site as it is
    /// now (`options`, `templates`), for `page`, the body's page with its text unchanged.
    pub fn still_hold(
        &self,
        page: &Page,
        options: &MarkdownOptions,
        templates: &dyn ShortcodeTemplates,
    ) -> bool {
        let folder = content_folder(page);
        let leaf = is_leaf(page);
        self.links
            .iter()
            .all(|(url, answer)| super::check_url(url, options, &page.path, leaf) == *answer)
            && self
                .refs
                .iter()
                .all(|(target, answer)| answer_ref(target, &folder, options) == *answer)
            && self
                .context
                .is_none_or(|fp| templates.context_fingerprint(&page.path) == fp)
    }
}

/// Where a page's questions are asked, and their answers kept.
pub type Recorder = RefCell<Dependencies>;

impl PageSource<'_> {
    /// Resolves a link written in this page (see [`links::resolve`]), noting the answer.
    pub(super) fn check_url(&self, url: &str, options: &MarkdownOptions) -> LinkAnswer {
        let answer = super::check_url(url, options, self.dir, self.leaf);
        if links::is_internal(url) {
            let mut deps = self.deps.borrow_mut();
            deps.links.push((url.to_string(), answer.clone()));
        }
        answer
    }

    /// Notes an external link, for `worklog check --external`.
    pub(super) fn note_external(&self, url: &str, line: usize) {
        self.deps
            .borrow_mut()
            .externals
            .push((url.to_string(), line));
    }

    /// Notes a link to an anchor, for `worklog check`.
    pub(super) fn note_anchor(&self, anchor: AnchorLink) {
        self.deps.borrow_mut().anchors.push(anchor);
    }

    /// The URL of the page a `ref` names from this page, noting the answer.
    pub(super) fn resolve_ref(&self, target: &str, options: &MarkdownOptions) -> Option<String> {
        let answer = answer_ref(target, self.folder, options);
        let mut deps = self.deps.borrow_mut();
        deps.refs.push((target.to_string(), answer.clone()));
        answer
    }

    /// Notes what a shortcode template is told about this page and the site, before one
    /// is rendered for it.
    pub(super) fn note_template_context(&self, templates: &dyn ShortcodeTemplates) {
        let mut deps = self.deps.borrow_mut();
        if deps.context.is_none() {
            deps.context = Some(templates.context_fingerprint(self.dir));
        }
    }
}

fn answer_ref(target: &str, folder: &str, options: &MarkdownOptions) -> Option<String> {
    options
        .pages
        .resolve(target, folder)
        .map(|(path, anchor)| format!("{}{path}{anchor}", options.base_path))
}
