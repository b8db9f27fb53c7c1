//! The render stage: the Tera theme applied to the content tree and the rendered bodies.
//!
//! The nav is rendered once per language (see [`nav`]); pages render in parallel.
//! Knows nothing of the disk, the server or the CLI: it returns files as bytes.

pub mod attachments;
pub mod context;
pub mod documents;
mod errors;
mod inspect;
pub mod nav;
pub mod relative;
pub mod shortcodes;
pub mod theme;

use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;
use serde_json::{Map, Value};
use tera::{Context, Tera};

use crate::config::{Config, NavMode, SHARED_NAV_THRESHOLD};
use crate::content::{ContentTree, PageId};
use crate::diagnostics::Diagnostic;
use crate::markdown::{RenderedBody, links};
use crate::output::{Content, SharedFragment};
pub use context::{LanguageLink, Translations};
use context::{PageContext, SiteContext, Surroundings};
pub use errors::template_errors;
use errors::{by_page, while_rendering};
pub use inspect::Inspection;
use nav::NavTemplate;
pub use theme::Theme;

/// The site-wide part of rendering, computed once per tree: the site context, the
/// reading order and the nav.
pub struct SiteLayout {
    tera: Tera,
    /// As templates see it, in Tera's global context.
    site: SiteContext,
    nav: Arc<NavTemplate>,
    surroundings: Surroundings,
    shared: bool,
    /// The `params` of generated pages.
    empty: Map<String, Value>,
}

/// What every language's pages need to know of the whole site.
#[derive(Debug, Clone, Default)]
pub struct SiteInputs {
    /// Stylesheet and script URLs with their content hashes.
    pub assets: Map<String, Value>,
    /// The site's languages and their home pages.
    pub languages: Vec<LanguageLink>,
    pub translations: Arc<Translations>,
}

/// The theme's templates, compiled.
pub struct Renderer {
    tera: Tera,
    theme: Theme,
    /// A fingerprint of every template's name, text and file: what a shortcode's output
    /// can depend on in the theme (a shortcode template may include any other).
    templates_fingerprint: u64,
}

impl Renderer {
    pub fn new(theme: Theme) -> Result<Renderer, Vec<Diagnostic>> {
        let mut tera = Tera::new();
        let sources = theme
            .templates
            .iter()
            .map(|(name, t)| (name.as_str(), t.source.as_str()));
        if let Err(e) = tera.add_raw_templates(sources) {
            return Err(template_errors(&e, &theme));
        }
        let mut text = String::new();
        for (name, t) in &theme.templates {
            text.extend([name.as_str(), "\0", t.source.as_str(), "\0"]);
            text.push_str(&t.display_path.to_string_lossy());
            text.push('\0');
        }
        let templates_fingerprint = crate::output::fnv1a(text.as_bytes());
        Ok(Renderer {
            tera,
            theme,
            templates_fingerprint,
        })
    }

    pub fn theme(&self) -> &Theme {
        &self.theme
    }

    /// Everything pages of this tree share: the site context and the nav, rendered once.
    /// `files`: every output file with its size, for `page.attachments`.
    pub fn layout(
        &self,
        tree: &ContentTree,
        config: &Config,
        inputs: &SiteInputs,
        files: &[(String, usize)],
    ) -> Result<SiteLayout, Vec<Diagnostic>> {
        let surroundings =
            Surroundings::new(tree, config, &inputs.translations, &inputs.languages, files);
        let shared = shared_nav(config, surroundings.order.len());
        let site = site_context(config, inputs, shared, &self.theme);
        let mut tera = self.tera.clone();
        tera.global_context().insert("site", &site);
        let url_of = |id: PageId| config.url(&tree.pages[id].path);
        let nav_context = nav::NavContext {
            items: nav::items(tree, &url_of),
            entries: nav::entries(tree, &url_of),
        };
        let nav_html = Context::from_serialize(&nav_context)
            .and_then(|ctx| tera.render("nav.html", &ctx))
            .map_err(|e| self.nav_errors(&e, tree))?;
        Ok(SiteLayout {
            tera,
            site,
            nav: Arc::new(NavTemplate::parse(&nav_html)),
            surroundings,
            shared,
            empty: Map::new(),
        })
    }

    /// A failed `nav.html`: the template's errors, and the deepest page when the theme
    /// recurses deeper than Tera goes.
    fn nav_errors(&self, e: &tera::Error, tree: &ContentTree) -> Vec<Diagnostic> {
        let mut errors = template_errors(e, &self.theme);
        // Errors Tera raises while rendering (recursion depth) carry no template name.
        if let Some(nav) = self.theme.templates.get("nav.html") {
            for d in errors.iter_mut().filter(|d| d.line.is_none()) {
                d.file = nav.display_path.clone();
            }
        }
        let what = format!(
            "the nav of language {} (nav.html is rendered once per language)",
            tree.language
        );
        let mut errors = while_rendering(errors, &what);
        errors.extend(nav::too_deep_for_templates(tree).map(|(id, depth)| {
            let page = &tree.pages[id];
            let file = page
                .source
                .clone()
                .unwrap_or_else(|| Path::new("content").join(page.key.join("/")));
            Diagnostic::error(
                file,
                None,
                format!(
                    "this page is {depth} sections deep, and the theme's nav.html recurses over `items`, which Tera stops at 20 levels: walk the flat `entries` instead, as the default theme's nav.html does"
                ),
            )
        }));
        errors
    }

    /// Renders every page, the 404 page, the sitemap, alias redirects, the timeline and the
    /// print page.
    pub fn render_site(
        &self,
        layout: &SiteLayout,
        tree: &ContentTree,
        bodies: &[RenderedBody],
        print: &documents::PrintDocument,
        config: &Config,
    ) -> Result<Vec<(String, Content)>, Vec<Diagnostic>> {
        let rendered: Vec<Result<(String, Content), Vec<Diagnostic>>> = (0..tree.pages.len())
            .into_par_iter()
            .map(|id| self.render_page_alone(layout, tree, bodies, config, id))
            .collect();
        let mut files = Vec::with_capacity(tree.pages.len() + 8);
        let mut failed = Vec::new();
        for (id, r) in rendered.into_iter().enumerate() {
            match r {
                Ok(f) => files.push(f),
                Err(e) => failed.push((page_name(tree, config, id), e)),
            }
        }
        let mut errors = by_page(failed);
        match self.render_extras(layout, tree, config) {
            Ok(extras) => files.extend(extras),
            Err(e) => errors.extend(e),
        }
        match self.render_documents(layout, tree, bodies, print, config, true) {
            Ok(documents) => files.extend(documents),
            Err(e) => errors.extend(e),
        }
        if errors.is_empty() {
            Ok(files)
        } else {
            errors.sort();
            errors.dedup();
            Err(errors)
        }
    }

    /// One page, as its output path and content; errors say which page it was.
    pub fn render_page(
        &self,
        layout: &SiteLayout,
        tree: &ContentTree,
        bodies: &[RenderedBody],
        config: &Config,
        id: PageId,
    ) -> Result<(String, Content), Vec<Diagnostic>> {
        self.render_page_alone(layout, tree, bodies, config, id)
            .map_err(|e| while_rendering(e, &page_name(tree, config, id)))
    }

    /// [`Self::render_page`], its errors without the page: said once for many pages.
    fn render_page_alone(
        &self,
        layout: &SiteLayout,
        tree: &ContentTree,
        bodies: &[RenderedBody],
        config: &Config,
        id: PageId,
    ) -> Result<(String, Content), Vec<Diagnostic>> {
        let (template, context) = self.page_template_context(layout, tree, bodies, config, id);
        let html = Context::from_serialize(&context)
            .and_then(|ctx| layout.tera.render(template, &ctx))
            .map_err(|e| template_errors(&e, &self.theme))?;
        let fragment = PageNav {
            nav: Arc::clone(&layout.nav),
            current: Some(id),
            ancestors: tree.ancestors(id),
        };
        let content = spliced(html, fragment);
        Ok((
            page_file(&tree.pages[id].path),
            relative_if_asked(content, &tree.pages[id].path, config),
        ))
    }

    /// The template that renders page `id`, and what it is told besides `site`.
    fn page_template_context<'a>(
        &self,
        layout: &SiteLayout,
        tree: &'a ContentTree,
        bodies: &'a [RenderedBody],
        config: &Config,
        id: PageId,
    ) -> (&'static str, PageTemplateContext<'a>) {
        // The home page keeps the whole tree even in shared mode: it is the contents
        // page readers without JavaScript are sent to.
        let with_nav = !layout.shared || id == tree.root;
        let context = PageTemplateContext {
            page: layout
                .surroundings
                .page(tree, config, id, Some(&bodies[id])),
            nav: if with_nav { NAV_SLOT } else { "" },
        };
        (self.template_for(tree.pages[id].kind.template()), context)
    }

    /// The files that are not pages: 404, sitemap, the shared nav script, aliases.
    pub fn render_extras(
        &self,
        layout: &SiteLayout,
        tree: &ContentTree,
        config: &Config,
    ) -> Result<Vec<(String, Content)>, Vec<Diagnostic>> {
        let mut files = Vec::new();
        let mut errors = Vec::new();
        let empty = Map::new();
        let not_found = PageTemplateContext {
            page: context::not_found_context(config, &empty, &layout.surroundings.languages),
            nav: if layout.shared { "" } else { NAV_SLOT },
        };
        let html = Context::from_serialize(&not_found)
            .and_then(|ctx| layout.tera.render("404.html", &ctx));
        match html {
            Ok(html) => {
                let fragment = PageNav {
                    nav: Arc::clone(&layout.nav),
                    current: None,
                    ancestors: Vec::new(),
                };
                files.push((
                    format!("{}404.html", config.language_prefix),
                    spliced(html, fragment),
                ));
            }
            Err(e) => {
                let what = format!("the 404 page, {}404.html", config.language_prefix);
                errors.extend(while_rendering(template_errors(&e, &self.theme), &what));
            }
        }
        let sitemap = SitemapContext {
            pages: layout
                .surroundings
                .order
                .iter()
                .map(|&id| SitemapEntry {
                    permalink: config.permalink(&tree.pages[id].path),
                    date: tree.pages[id].front.date_ymd(),
                })
                .collect(),
        };
        let xml = Context::from_serialize(&sitemap)
            .and_then(|ctx| layout.tera.render("sitemap.xml", &ctx));
        match xml {
            Ok(xml) => files.push((
                format!("{}sitemap.xml", config.language_prefix),
                Content::Bytes(xml.into_bytes()),
            )),
            Err(e) => {
                let what = format!("{}sitemap.xml", config.language_prefix);
                errors.extend(while_rendering(template_errors(&e, &self.theme), &what));
            }
        }
        if layout.shared {
            let script = nav_script(&layout.nav.for_page(None, &[]));
            files.push((nav_script_path(config), Content::Bytes(script.into_bytes())));
        }
        files.extend(
            aliases(tree, config)
                .into_iter()
                .map(|(p, b)| (p, Content::Bytes(b))),
        );
        if errors.is_empty() {
            Ok(files)
        } else {
            Err(errors)
        }
    }

    fn template_for(&self, preferred: &'static str) -> &'static str {
        if self.theme.templates.contains_key(preferred) {
            preferred
        } else {
            "page.html"
        }
    }
}

/// What a page template is told besides `site`, which is in Tera's global context.
#[derive(Serialize)]
pub struct PageTemplateContext<'a> {
    pub page: PageContext<'a>,
    /// The rendered nav tree; a placeholder until the page is written.
    pub nav: &'static str,
}

/// What `sitemap.xml` is told besides `site`.
#[derive(Serialize)]
pub struct SitemapContext<'a> {
    /// Every listed page in reading order.
    pub pages: Vec<SitemapEntry<'a>>,
}

#[derive(Serialize)]
pub struct SitemapEntry<'a> {
    pub permalink: String,
    pub date: Option<&'a str>,
}

/// A page as an error names it: its file and its URL.
fn page_name(tree: &ContentTree, config: &Config, id: PageId) -> String {
    let page = &tree.pages[id];
    let url = config.url(&page.path);
    match &page.source {
        Some(source) => format!("{} ({url})", source.display()),
        None => url,
    }
}

/// Whether the nav goes to one shared script rather than into every page.
fn shared_nav(config: &Config, listed_pages: usize) -> bool {
    match config.nav {
        NavMode::Inline => false,
        NavMode::Shared => true,
        NavMode::Auto => listed_pages > SHARED_NAV_THRESHOLD,
    }
}

fn site_context(config: &Config, inputs: &SiteInputs, shared: bool, theme: &Theme) -> SiteContext {
    SiteContext {
        title: config.title.clone(),
        base_url: config.base_url.clone(),
        base_path: config.base_path.clone(),
        language_code: config.language_code.clone(),
        params: config.params.clone(),
        search: config.search,
        nav_mode: if shared { "shared" } else { "inline" },
        nav_script: shared.then(|| config.url(&nav_script_path(config))),
        assets: inputs.assets.clone(),
        home_url: config.url(&config.language_prefix),
        language: config.language.clone(),
        languages: inputs.languages.clone(),
        i18n: theme.words(&config.language),
        shortcuts: config.shortcuts.clone(),
        partials: theme
            .site_partials
            .iter()
            .map(|(name, html)| {
                let rebased =
                    links::rewrite_html_urls(html, |u| links::rebase(u, &config.base_path));
                (name.clone(), rebased.unwrap_or_else(|| html.clone()))
            })
            .collect(),
    }
}

/// `_worklog/nav.js`, or `_worklog/nav.vi.js` for another language.
fn nav_script_path(config: &Config) -> String {
    match config.language_prefix.as_str() {
        "" => "_worklog/nav.js".to_string(),
        _ => format!("_worklog/nav.{}.js", config.language),
    }
}

/// Where a page's nav goes in its rendered HTML: replaced by the page's copy of the tree
/// when the page is written or served.
const NAV_SLOT: &str = "\u{E002}nav\u{E003}";

/// A page's view of the shared nav.
#[derive(Debug)]
struct PageNav {
    nav: Arc<NavTemplate>,
    current: Option<PageId>,
    ancestors: Vec<PageId>,
}

impl SharedFragment for PageNav {
    fn write_to(&self, out: &mut String) {
        self.nav.write_for_page(out, self.current, &self.ancestors);
    }

    fn len_hint(&self) -> usize {
        self.nav.len()
    }

    fn fingerprint(&self) -> u64 {
        let mut h = self.nav.hash ^ self.current.map_or(u64::MAX, |c| c as u64);
        for &a in &self.ancestors {
            h = h.rotate_left(7) ^ a as u64;
        }
        h
    }
}

fn spliced(mut html: String, fragment: PageNav) -> Content {
    if !html.contains(NAV_SLOT) {
        // Tera's buffer has room to spare; every page is kept until the site is written.
        html.shrink_to_fit();
        return Content::Bytes(html.into_bytes());
    }
    let parts = html.split(NAV_SLOT).map(str::to_owned).collect();
    Content::Spliced {
        parts,
        fragment: Box::new(fragment),
    }
}

/// With `relativeURLs`, a page's links depend on its depth, so its nav cannot be shared:
/// the page is joined and rewritten (a site option for small sites opened from disk).
fn relative_if_asked(content: Content, page_dir: &str, config: &Config) -> Content {
    if !config.relative_urls {
        return content;
    }
    // A page is made in memory: reading it cannot fail.
    let Ok(html) = content
        .bytes()
        .map(|b| String::from_utf8_lossy(&b).into_owned())
    else {
        return content;
    };
    match relative::relativize(&html, page_dir, &config.base_path) {
        Some(new) => Content::Bytes(new.into_bytes()),
        None => Content::Bytes(html.into_bytes()),
    }
}

/// `1-worklog/` → `1-worklog/index.html`; `` → `index.html`.
pub fn page_file(path: &str) -> String {
    format!("{path}index.html")
}

/// The nav for every page in one script: the theme's JS puts it in place.
fn nav_script(html: &str) -> String {
    let literal = serde_json::to_string(html).unwrap_or_default();
    format!("window.WORKLOG_NAV_HTML={literal};\n")
}

/// Redirect pages for front matter `aliases`, as Hugo writes them.
fn aliases(tree: &ContentTree, config: &Config) -> Vec<(String, Vec<u8>)> {
    tree.pages
        .iter()
        .flat_map(|page| {
            let target = config.url(&page.path);
            page.front
                .aliases
                .iter()
                .filter_map(|alias| alias_file(&page.path, alias))
                .map(move |file| (file, redirect_page(&target)))
        })
        .collect()
}

/// The output file of one of a page's `aliases`: from the site's root when it starts
/// with `/`, otherwise beside the page's own folder, as Hugo places them. `None` for an
/// alias that is empty, the site's root, or leaves it.
pub fn alias_file(page_path: &str, alias: &str) -> Option<String> {
    let alias = alias.trim();
    let base = match alias.strip_prefix('/') {
        Some(_) => "",
        None => page_path
            .trim_end_matches('/')
            .rsplit_once('/')
            .map_or("", |(parent, _)| parent),
    };
    let mut parts: Vec<&str> = Vec::new();
    for part in base.split('/').chain(alias.split('/')) {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            part => parts.push(part),
        }
    }
    let path = parts.join("/");
    match path.as_str() {
        "" => None,
        html if html.ends_with(".html") => Some(path),
        _ => Some(format!("{path}/index.html")),
    }
}

/// A page that sends the browser to `url`, as Hugo writes aliases.
pub fn redirect_page(url: &str) -> Vec<u8> {
    let target = html_escape(url);
    format!(
        "<!DOCTYPE html><html><head><title>{target}</title><link rel=\"canonical\" href=\"{target}\"><meta charset=\"utf-8\"><meta http-equiv=\"refresh\" content=\"0; url={target}\"></head></html>\n"
    )
    .into_bytes()
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
