//! The template context: what a theme sees. Documented for theme authors in
//! `docs/templates.md`, which `tests/context.rs` holds to it: a field added here belongs
//! there too.
//!
//! Page templates and shortcode templates are told the same `page`, made here from the
//! page and its [`Surroundings`]; a shortcode's has no `content` or `toc` yet, since it is
//! part of the body being made.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use serde::Serialize;
use serde_json::{Map, Value};

use super::attachments::{Attachment, Attachments};
use super::nav::TEMPLATE_TREE_LEVELS;
use crate::config::{Config, ShownDates};
use crate::content::{ContentTree, PageId, PageKind, weeks};
use crate::markdown::{RenderedBody, TocEntry};

/// `site`: the same for every page, set once in Tera's global context.
#[derive(Debug, Serialize)]
pub struct SiteContext {
    pub title: String,
    pub base_url: String,
    pub base_path: String,
    pub language_code: String,
    pub params: Map<String, Value>,
    /// Whether the site has a search index (`search` in the config).
    pub search: bool,
    /// `"inline"` (the tree is in every page) or `"shared"` (loaded by `nav_script`).
    pub nav_mode: &'static str,
    /// The shared nav script's URL, in `"shared"` mode.
    pub nav_script: Option<String>,
    /// Theme and site stylesheets and scripts by path, to the URL of their copy named
    /// with a content hash (`css/worklog.css` → `/journal/css/worklog.1a2b3c4d.css`), so
    /// a changed file is never served stale from a CDN or browser cache.
    pub assets: Map<String, Value>,
    pub home_url: String,
    /// This language's code (`en`).
    pub language: String,
    /// Every language of the site with its home page, for a language switcher.
    pub languages: Vec<LanguageLink>,
    /// The theme's words in this language (`site.i18n.next`).
    pub i18n: Map<String, Value>,
    /// Links from `[[menu.shortcuts]]`: `name`, `url`.
    pub shortcuts: Vec<crate::config::Shortcut>,
    /// The site's own plain-HTML learn partials (`logo`, `menu_footer`, `custom_header`,
    /// `custom_footer`, `favicon`), root-relative URLs placed under the base path.
    pub partials: std::collections::BTreeMap<String, String>,
}

/// A language and a page (or home page) in it.
#[derive(Debug, Clone, Serialize)]
pub struct LanguageLink {
    pub code: String,
    pub name: String,
    pub url: String,
}

/// For each page key, its versions in every language.
pub type Translations = HashMap<Vec<String>, Vec<LanguageLink>>;

/// A link to another page: children, breadcrumbs, previous/next.
#[derive(Debug, Serialize)]
pub struct PageLink {
    pub title: String,
    pub menu_title: String,
    pub number: Option<String>,
    pub url: String,
    pub description: Option<String>,
}

/// A child page: a [`PageLink`] with its own listed children, [`TEMPLATE_TREE_LEVELS`]
/// deep in all. (Its fields are written out: `serde(flatten)` serializes through a map,
/// three times slower on a big section.)
#[derive(Debug, Serialize)]
pub struct ChildLink {
    pub title: String,
    pub menu_title: String,
    pub number: Option<String>,
    pub url: String,
    pub description: Option<String>,
    pub children: Vec<ChildLink>,
}

/// `page`: the page being rendered.
#[derive(Debug, Serialize)]
pub struct PageContext<'a> {
    /// `"home"`, `"section"`, `"page"`, or `"404"` for the not-found page.
    pub kind: &'static str,
    pub title: &'a str,
    pub menu_title: &'a str,
    pub number: Option<&'a str>,
    pub url: String,
    pub permalink: String,
    /// `YYYY-MM-DD`, when the page has a date.
    pub date: Option<&'a str>,
    /// Whether the theme shows the date with the title: a week's, by the config's
    /// `dates` (`"weeks"`, `"all"`, `"none"`).
    pub show_date: bool,
    pub description: Option<&'a str>,
    pub chapter: bool,
    /// The body as HTML; empty when the page has no body. A first `<h1>` repeating the
    /// title (Hugo's `# Title` habit) is left out: the theme shows the title itself.
    pub content: &'a str,
    /// The id that left-out `<h1>` had, for the theme's title: anchors keep working.
    pub title_id: Option<&'a str>,
    /// The headings; for a body under one `<h1>`, that heading's sections.
    pub toc: &'a [TocEntry],
    /// Front matter fields worklog does not interpret itself.
    pub params: &'a Map<String, Value>,
    /// The listed children, each with theirs.
    pub children: Vec<ChildLink>,
    /// From the home page down to the parent.
    pub breadcrumbs: Vec<PageLink>,
    pub prev: Option<PageLink>,
    pub next: Option<PageLink>,
    /// The source file, relative to the site (`content/1-Worklog/_index.md`).
    pub source: Option<String>,
    /// Every language of the site, linking to this page in it, or to its home page where
    /// the page has no version in that language.
    pub languages: Vec<LanguageChoice>,
    /// The files of the page's `files/` folder.
    pub attachments: Vec<Attachment>,
}

/// One entry of a language switcher.
#[derive(Debug, Clone, Serialize)]
pub struct LanguageChoice {
    pub code: String,
    pub name: String,
    pub url: String,
    /// The page is in this language.
    pub current: bool,
    /// The page has a version in this language (`url` is not just its home page).
    pub translated: bool,
}

pub(crate) fn language_choices(
    languages: &[LanguageLink],
    current: &str,
    versions: &[LanguageLink],
) -> Vec<LanguageChoice> {
    languages
        .iter()
        .map(|lang| {
            let version = versions.iter().find(|v| v.code == lang.code);
            LanguageChoice {
                code: lang.code.clone(),
                name: lang.name.clone(),
                url: version.map_or_else(|| lang.url.clone(), |v| v.url.clone()),
                current: lang.code == current,
                translated: version.is_some(),
            }
        })
        .collect()
}

pub fn link(tree: &ContentTree, config: &Config, id: PageId) -> PageLink {
    let p = &tree.pages[id];
    PageLink {
        title: p.title.clone(),
        menu_title: p.menu_title().to_string(),
        number: p.number.clone(),
        url: config.url(&p.path),
        description: p.front.description.clone(),
    }
}

/// What a page's context is made from besides the page: its language's tree in reading
/// order, the site's languages and translations, and the files pages attach.
#[derive(Debug)]
pub struct Surroundings {
    pub order: Vec<PageId>,
    position: HashMap<PageId, usize>,
    translations: Arc<Translations>,
    pub languages: Vec<LanguageLink>,
    attachments: Attachments,
    /// The pages whose date is shown (`dates` in the config).
    dated: HashSet<PageId>,
}

impl Surroundings {
    /// `files`: every output file with its size, in order.
    pub fn new(
        tree: &ContentTree,
        config: &Config,
        translations: &Arc<Translations>,
        languages: &[LanguageLink],
        files: &[(String, usize)],
    ) -> Surroundings {
        let order = tree.reading_order();
        let dated = match config.dates {
            ShownDates::Weeks => weeks::listed(tree).into_iter().map(|(id, _)| id).collect(),
            ShownDates::All => order.iter().copied().collect(),
            ShownDates::None => HashSet::new(),
        };
        Surroundings {
            dated,
            position: order.iter().enumerate().map(|(i, &id)| (id, i)).collect(),
            order,
            translations: Arc::clone(translations),
            languages: languages.to_vec(),
            attachments: Attachments::new(files),
        }
    }

    /// Whether page `id`'s date is shown with its title (a page without one shows none).
    pub fn shows_date(&self, tree: &ContentTree, id: PageId) -> bool {
        self.dated.contains(&id) && tree.pages[id].front.date_ymd().is_some()
    }

    /// `page` for page `id`: with its body for a page template, without for a shortcode's.
    pub fn page<'a>(
        &self,
        tree: &'a ContentTree,
        config: &Config,
        id: PageId,
        body: Option<&'a RenderedBody>,
    ) -> PageContext<'a> {
        let p = &tree.pages[id];
        let link_to = |id| link(tree, config, id);
        let (content, title_id) =
            body.map_or(("", None), |b| without_title_heading(&b.html, &p.title));
        let toc = body.map_or(&[][..], |b| match b.toc.as_slice() {
            [only] if only.level == 1 && !only.children.is_empty() => &only.children,
            all => all,
        });
        let at = self.position.get(&id).copied();
        PageContext {
            kind: p.kind.name(),
            title: &p.title,
            menu_title: p.menu_title(),
            number: p.number.as_deref(),
            url: config.url(&p.path),
            permalink: config.permalink(&p.path),
            date: p.front.date_ymd(),
            show_date: self.shows_date(tree, id),
            description: p.front.description.as_deref(),
            chapter: p.front.chapter,
            content,
            title_id,
            toc,
            params: &p.front.extra,
            children: children(tree, config, id, TEMPLATE_TREE_LEVELS),
            breadcrumbs: tree.ancestors(id).into_iter().map(link_to).collect(),
            prev: at
                .and_then(|i| i.checked_sub(1))
                .map(|i| link_to(self.order[i])),
            next: at.and_then(|i| self.order.get(i + 1)).map(|&n| link_to(n)),
            languages: language_choices(
                &self.languages,
                &tree.language,
                self.translations.get(&p.key).map_or(&[], Vec::as_slice),
            ),
            source: p
                .source
                .as_ref()
                .map(|s| s.display().to_string().replace('\\', "/")),
            attachments: self.attachments.of(p, config),
        }
    }
}

/// The listed children of `id`, `levels` deep.
fn children(tree: &ContentTree, config: &Config, id: PageId, levels: usize) -> Vec<ChildLink> {
    if levels == 0 {
        return Vec::new();
    }
    tree.pages[id]
        .children
        .iter()
        .copied()
        .filter(|&c| tree.pages[c].is_listed())
        .map(|c| {
            let PageLink {
                title,
                menu_title,
                number,
                url,
                description,
            } = link(tree, config, c);
            ChildLink {
                title,
                menu_title,
                number,
                url,
                description,
                children: children(tree, config, c, levels - 1),
            }
        })
        .collect()
}

/// `<h1 id="x">Title</h1>` at the start of `html`, when it repeats `title`: the rest of
/// the body, and the heading's id.
pub(crate) fn without_title_heading<'a>(html: &'a str, title: &str) -> (&'a str, Option<&'a str>) {
    let found = (|| {
        let rest = html.strip_prefix("<h1 id=\"")?;
        let (id, rest) = rest.split_once("\">")?;
        let (inner, rest) = rest.split_once("</h1>")?;
        let escaped = title
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;");
        (inner.trim() == escaped.trim()).then_some((rest.trim_start_matches('\n'), id))
    })();
    match found {
        Some((rest, id)) => (rest, Some(id)),
        None => (html, None),
    }
}

/// The not-found page: a page like the others for the theme, without content of its own.
pub fn not_found_context<'a>(
    config: &Config,
    empty: &'a Map<String, Value>,
    languages: &[LanguageLink],
) -> PageContext<'a> {
    PageContext {
        kind: "404",
        title: "Page not found",
        menu_title: "Page not found",
        number: None,
        url: config.url(&format!("{}404.html", config.language_prefix)),
        permalink: config.permalink(&format!("{}404.html", config.language_prefix)),
        date: None,
        show_date: false,
        description: None,
        chapter: false,
        content: "",
        title_id: None,
        toc: &[],
        params: empty,
        children: Vec::new(),
        attachments: Vec::new(),
        breadcrumbs: Vec::new(),
        prev: None,
        next: None,
        source: None,
        languages: language_choices(languages, &config.language, &[]),
    }
}

impl PageKind {
    pub fn name(self) -> &'static str {
        match self {
            PageKind::Home => "home",
            PageKind::Section => "section",
            PageKind::Page => "page",
        }
    }

    /// The template for this kind, when the theme has one; `page.html` otherwise.
    pub fn template(self) -> &'static str {
        match self {
            PageKind::Home => "home.html",
            PageKind::Section => "section.html",
            PageKind::Page => "page.html",
        }
    }
}
