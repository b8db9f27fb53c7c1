//! Shortcodes as theme templates: `templates/shortcodes/<name>.html`, rendered with Tera for
//! the Markdown stage, which sees them only through [`ShortcodeTemplates`].
//!
//! A theme (or a site's `templates/shortcodes/`) adds a shortcode by adding a template.
//! Its context, documented in `docs/templates.md`: `name`, `args` (positional arguments),
//! `kwargs` (named arguments; every value a string), `body` (inner content, or none: HTML
//! for `{{% %}}`, the text as written for `{{< >}}`), `markdown` and `inline` (how it was
//! called), `page` (the same as a page template's, without `content` and `toc`, which
//! are being made) and `site`.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Serialize;
use serde_json::{Map, Value};
use tera::{Context, Tera};

use super::context::Surroundings;
use super::{Renderer, SiteInputs, Theme, shared_nav, site_context, template_errors};
use crate::config::Config;
use crate::content::{ContentTree, PageId};
use crate::diagnostics::Diagnostic;
use crate::markdown::{ShortcodeCall, ShortcodeTemplates};
use crate::output::fnv1a;

/// The theme's shortcode templates, ready to render for any page of `tree`.
pub struct ThemeShortcodes<'a> {
    tera: Tera,
    theme: &'a Theme,
    tree: &'a ContentTree,
    config: &'a Config,
    by_path: HashMap<&'a str, PageId>,
    surroundings: Surroundings,
    /// Each page's `page` and its fingerprint, made the first time a call asks: a page
    /// asks once for its fingerprint and once per call. Tera's values share their
    /// contents when cloned, so each call costs no copy of the page.
    pages: Vec<OnceLock<(tera::Value, u64)>>,
    /// A fingerprint of `site`, as templates see it, and of the templates themselves.
    site_fingerprint: u64,
}

/// What a shortcode template is told.
#[derive(Serialize)]
pub struct ShortcodeContext<'a> {
    pub name: &'a str,
    pub args: &'a [String],
    pub kwargs: Map<String, Value>,
    pub body: Option<&'a str>,
    pub markdown: bool,
    pub inline: bool,
    /// None when the call is not in a page of the tree.
    pub page: tera::Value,
}

impl Renderer {
    /// `files`: every output file with its size, for `page.attachments`.
    pub fn shortcodes<'a>(
        &'a self,
        tree: &'a ContentTree,
        config: &'a Config,
        inputs: &SiteInputs,
        files: &[(String, usize)],
    ) -> ThemeShortcodes<'a> {
        let mut tera = self.tera.clone();
        let surroundings =
            Surroundings::new(tree, config, &inputs.translations, &inputs.languages, files);
        let shared = shared_nav(config, surroundings.order.len());
        let site = site_context(config, inputs, shared, &self.theme);
        let site_fingerprint = fnv1a(&serde_json::to_vec(&site).unwrap_or_default())
            ^ self.templates_fingerprint.rotate_left(7);
        tera.global_context().insert("site", &site);
        ThemeShortcodes {
            tera,
            theme: &self.theme,
            tree,
            config,
            by_path: tree
                .pages
                .iter()
                .enumerate()
                .map(|(id, p)| (p.path.as_str(), id))
                .collect(),
            surroundings,
            pages: tree.pages.iter().map(|_| OnceLock::new()).collect(),
            site_fingerprint,
        }
    }
}

fn template_name(name: &str) -> String {
    format!("shortcodes/{name}.html")
}

impl ShortcodeTemplates for ThemeShortcodes<'_> {
    fn has(&self, name: &str) -> bool {
        self.theme.templates.contains_key(&template_name(name))
    }

    fn render(&self, call: &ShortcodeCall<'_>) -> Result<String, Vec<Diagnostic>> {
        let context = ShortcodeContext {
            name: call.name,
            args: call.args,
            kwargs: call
                .kwargs
                .iter()
                .map(|(k, v)| (k.clone(), Value::String(v.clone())))
                .collect(),
            body: call.body,
            markdown: call.markdown,
            inline: call.inline,
            page: self
                .page(call.page.dir)
                .map_or(tera::Value::none(), |(page, _)| page.clone()),
        };
        let ctx = Context::from_serialize(&context).map_err(|e| template_errors(&e, self.theme))?;
        self.tera
            .render(&template_name(call.name), &ctx)
            .map_err(|e| template_errors(&e, self.theme))
    }

    fn context_fingerprint(&self, page_dir: &str) -> u64 {
        let page = self
            .page(page_dir)
            .map_or(0, |(_, fingerprint)| *fingerprint);
        page ^ self.site_fingerprint.rotate_left(1)
    }
}

impl ThemeShortcodes<'_> {
    /// `page` for a shortcode of the page at `path`, as [`ShortcodeContext::page`] has
    /// it, and the fingerprint of exactly that value; none for a path of no page.
    fn page(&self, path: &str) -> Option<&(tera::Value, u64)> {
        let &id = self.by_path.get(path)?;
        Some(self.pages[id].get_or_init(|| {
            let page = self.surroundings.page(self.tree, self.config, id, None);
            let fingerprint = fnv1a(&serde_json::to_vec(&page).unwrap_or_default());
            (tera::Value::from_serializable(&page), fingerprint)
        }))
    }
}
