//! Pages made of other pages, one per language: the timeline (`/timeline/`: every week in
//! order with its date, title and first objectives) and the print page (`/print/`: the
//! whole journal as one document, for the browser's "Save as PDF" or `worklog pdf`).
//!
//! Both are made from the rendered bodies, so a body edit re-renders them too.

use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use super::context::{PageContext, language_choices};
use super::{
    NAV_SLOT, PageNav, Renderer, SiteLayout, relative_if_asked, spliced, template_errors,
    while_rendering,
};
use crate::config::Config;
use crate::content::ContentTree;
use crate::markdown::RenderedBody;
use crate::output::Content;
use crate::render::LanguageLink;

mod print;
mod timeline;

use print::{PrintAnchors, print_body, print_sections, with_bodies};
pub use timeline::objectives;
use timeline::weeks_of;

/// Where the generated pages live, under the language's folder.
pub const TIMELINE: &str = "timeline/";
pub const PRINT: &str = "print/";

/// What `timeline.html` is told besides `site` and `page`.
#[derive(Serialize)]
pub struct TimelineContext<'a> {
    pub page: PageContext<'a>,
    pub nav: &'static str,
    pub weeks: Vec<TimelineWeek<'a>>,
}

#[derive(Debug, Serialize)]
pub struct TimelineWeek<'a> {
    pub week: u32,
    pub number: Option<&'a str>,
    pub title: &'a str,
    pub url: String,
    /// `YYYY-MM-DD`; none for a week without a date, which keeps its place.
    pub date: Option<&'a str>,
    /// The first items of the week's objectives list, as text.
    pub objectives: Vec<String>,
}

/// What `print.html` is told besides `site` and `page`.
#[derive(Serialize)]
pub struct PrintContext<'a> {
    pub page: PageContext<'a>,
    /// Every listed page in reading order, the home page first.
    pub sections: Vec<PrintSection<'a>>,
}

#[derive(Debug, Serialize)]
pub struct PrintSection<'a> {
    /// The section's id in the document (`p3`); its body's ids start with `p3-`.
    pub anchor: String,
    pub number: Option<&'a str>,
    pub title: &'a str,
    /// 0 for the home page, 1 for chapters.
    pub depth: usize,
    pub date: Option<&'a str>,
    /// Whether the date is shown, as on the page itself (`page.show_date`).
    pub show_date: bool,
    /// The body, its links to pages of the journal pointing inside the document.
    pub content: String,
}

impl Renderer {
    /// The timeline (when `timeline`) and the print page of one language, unless a page
    /// of the site has their URL (the site's own page wins).
    pub fn render_documents(
        &self,
        layout: &SiteLayout,
        tree: &ContentTree,
        bodies: &[RenderedBody],
        print: &PrintDocument,
        config: &Config,
        timeline: bool,
    ) -> Result<Vec<(String, Content)>, Vec<crate::diagnostics::Diagnostic>> {
        let mut files = Vec::new();
        let timeline_path = format!("{}{TIMELINE}", config.language_prefix);
        if timeline && !taken(tree, &timeline_path) {
            let context = TimelineContext {
                page: self.generated_page(layout, config, "timeline", TIMELINE),
                nav: if layout.shared { "" } else { NAV_SLOT },
                weeks: weeks_of(tree, bodies, config),
            };
            let html = Context::from_serialize(&context)
                .and_then(|ctx| layout.tera.render("timeline.html", &ctx))
                .map_err(|e| {
                    while_rendering(
                        template_errors(&e, &self.theme),
                        &format!("the timeline, {timeline_path}"),
                    )
                })?;
            let fragment = PageNav {
                nav: Arc::clone(&layout.nav),
                current: None,
                ancestors: Vec::new(),
            };
            let content = relative_if_asked(spliced(html, fragment), &timeline_path, config);
            files.push((format!("{timeline_path}index.html"), content));
        }
        files.extend(print.page(config));
        Ok(files)
    }

    /// The print page around its bodies: rendered once per tree, the bodies put in place
    /// for each version ([`PrintDocument::page`]).
    fn print_frame(
        &self,
        layout: &SiteLayout,
        tree: &ContentTree,
        config: &Config,
    ) -> Result<Option<String>, Vec<crate::diagnostics::Diagnostic>> {
        let print_path = format!("{}{PRINT}", config.language_prefix);
        if taken(tree, &print_path) {
            return Ok(None);
        }
        let context = PrintContext {
            page: self.generated_page(layout, config, "print", PRINT),
            sections: print_sections(layout, tree),
        };
        Context::from_serialize(&context)
            .and_then(|ctx| layout.tera.render("print.html", &ctx))
            .map(Some)
            .map_err(|e| {
                while_rendering(
                    template_errors(&e, &self.theme),
                    &format!("the print page, {print_path}"),
                )
            })
    }

    /// `page` for a generated page: titled with the theme's word for `kind`, and in
    /// every language (each has its own).
    fn generated_page<'a>(
        &self,
        layout: &'a SiteLayout,
        config: &Config,
        kind: &'static str,
        dir: &str,
    ) -> PageContext<'a> {
        let title = layout
            .site
            .i18n
            .get(kind)
            .and_then(|v| v.as_str())
            .unwrap_or(kind);
        let path = format!("{}{dir}", config.language_prefix);
        let languages = &layout.surroundings.languages;
        let versions: Vec<LanguageLink> = languages
            .iter()
            .map(|l| LanguageLink {
                url: format!("{}{dir}", l.url),
                ..l.clone()
            })
            .collect();
        PageContext {
            kind,
            title,
            menu_title: title,
            number: None,
            url: config.url(&path),
            permalink: config.permalink(&path),
            date: None,
            show_date: false,
            description: None,
            chapter: false,
            content: "",
            title_id: None,
            toc: &[],
            params: &layout.empty,
            children: Vec::new(),
            attachments: Vec::new(),
            breadcrumbs: Vec::new(),
            prev: None,
            next: None,
            source: None,
            languages: language_choices(languages, &config.language, &versions),
        }
    }
}

/// Whether a page of the site has this path.
fn taken(tree: &ContentTree, path: &str) -> bool {
    tree.pages.iter().any(|p| p.path == path)
}

/// The print page of one language: its frame, rendered once, and each listed page's body
/// as the document has it, so that a body edit remakes one body and no template.
#[derive(Debug, Clone, Default)]
pub struct PrintDocument {
    /// `None` when a page of the site is at `/print/`.
    frame: Option<String>,
    /// In reading order.
    bodies: Vec<String>,
}

impl PrintDocument {
    pub fn new(
        renderer: &Renderer,
        layout: &SiteLayout,
        tree: &ContentTree,
        bodies: &[RenderedBody],
        config: &Config,
    ) -> Result<PrintDocument, Vec<crate::diagnostics::Diagnostic>> {
        let frame = renderer.print_frame(layout, tree, config)?;
        let anchors = PrintAnchors::new(layout, tree);
        let bodies = (0..layout.surroundings.order.len())
            .into_par_iter()
            .map(|i| print_body(layout, tree, bodies, config, &anchors, i))
            .collect();
        Ok(PrintDocument { frame, bodies })
    }

    /// Page `id`'s body made again from `bodies`; the one it replaces comes back, to be
    /// put back with [`Self::restore`] if the update fails.
    pub fn update(
        &mut self,
        layout: &SiteLayout,
        tree: &ContentTree,
        bodies: &[RenderedBody],
        config: &Config,
        id: crate::content::PageId,
    ) -> Option<(usize, String)> {
        let i = layout.surroundings.order.iter().position(|&o| o == id)?;
        let anchors = PrintAnchors::new(layout, tree);
        let body = print_body(layout, tree, bodies, config, &anchors, i);
        Some((i, std::mem::replace(&mut self.bodies[i], body)))
    }

    pub fn restore(&mut self, (i, body): (usize, String)) {
        self.bodies[i] = body;
    }

    /// The page, when the site does not have its own at `/print/`.
    fn page(&self, config: &Config) -> Option<(String, Content)> {
        let frame = self.frame.as_deref()?;
        let path = format!("{}{PRINT}", config.language_prefix);
        let html = with_bodies(frame, &self.bodies);
        let content = relative_if_asked(Content::Bytes(html.into_bytes()), &path, config);
        Some((format!("{path}index.html"), content))
    }
}
