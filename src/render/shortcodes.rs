//! Shortcodes as theme templates: `templates/shortcodes/<name>.html`, rendered with Tera for
//! the Markdown stage, which sees them only through [`ShortcodeTemplates`].
//!
//! A theme (or a site's `themes/<name>/templates/shortcodes/`) adds a shortcode by adding a
//! template. The context of a shortcode template, documented in `themes/default/README.md`:
//! `name`, `args` (positional arguments), `kwargs` (named arguments; every value a string),
//! `body` (inner content, or none: HTML for `{{% %}}`, the text as written for `{{< >}}`),
//! `markdown` and `inline` (how it was called), `page` and `site`.

use std::collections::HashMap;

use serde_json::{Map, Value, json};
use tera::{Context, Tera};

use super::context::link;
use super::nav::TEMPLATE_TREE_LEVELS;
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
    /// Every output file with its size, by path: the candidates for `page.attachments`.
    files: &'a [(String, usize)],
    /// A fingerprint of `site`, as templates see it.
    site_fingerprint: u64,
}

impl Renderer {
    pub fn shortcodes<'a>(
        &'a self,
        tree: &'a ContentTree,
        config: &'a Config,
        inputs: &SiteInputs,
        files: &'a [(String, usize)],
    ) -> ThemeShortcodes<'a> {
        let mut tera = self.tera.clone();
        let shared = shared_nav(config, tree.reading_order().len());
        let site = site_context(config, inputs, shared, &self.theme);
        let site_fingerprint = fnv1a(&serde_json::to_vec(&site).unwrap_or_default());
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
            files,
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
        let mut ctx = Context::new();
        ctx.insert("name", call.name);
        ctx.insert("args", call.args);
        let kwargs: Map<String, Value> = call
            .kwargs
            .iter()
            .map(|(k, v)| (k.clone(), Value::String(v.clone())))
            .collect();
        ctx.insert("kwargs", &kwargs);
        ctx.insert("body", &call.body);
        ctx.insert("markdown", &call.markdown);
        ctx.insert("inline", &call.inline);
        ctx.insert("page", &self.page(call.page.dir));
        self.tera
            .render(&template_name(call.name), &ctx)
            .map_err(|e| template_errors(&e, self.theme))
    }

    fn context_fingerprint(&self, page_dir: &str) -> u64 {
        let page = serde_json::to_vec(&self.page(page_dir)).unwrap_or_default();
        fnv1a(&page) ^ self.site_fingerprint.rotate_left(1)
    }
}

impl ThemeShortcodes<'_> {
    /// `page` for a shortcode: like a page template's, without content (it is being made),
    /// with the whole subtree under `children` and the page's `attachments`.
    fn page(&self, path: &str) -> Value {
        let Some(&id) = self.by_path.get(path) else {
            return json!({ "url": self.config.url(path), "path": path, "children": [], "attachments": [] });
        };
        let p = &self.tree.pages[id];
        json!({
            "kind": p.kind.name(),
            "title": p.title,
            "menu_title": p.menu_title(),
            "number": p.number,
            "url": self.config.url(&p.path),
            "permalink": self.config.permalink(&p.path),
            "path": p.path,
            "date": p.front.date_ymd(),
            "description": p.front.description,
            "params": p.front.extra,
            "source": p.source.as_ref().map(|s| s.display().to_string().replace('\\', "/")),
            "children": self.children(id, TEMPLATE_TREE_LEVELS),
            "attachments": self.attachments(id),
        })
    }

    /// The listed subtree under `id`, [`TEMPLATE_TREE_LEVELS`] deep: each call builds it
    /// anew, and a deeper value could not be read by a template anyway.
    fn children(&self, id: PageId, levels: usize) -> Vec<Value> {
        if levels == 0 {
            return Vec::new();
        }
        self.tree.pages[id]
            .children
            .iter()
            .copied()
            .filter(|&c| self.tree.pages[c].is_listed())
            .map(|c| {
                let mut v =
                    serde_json::to_value(link(self.tree, self.config, c)).unwrap_or(Value::Null);
                if let Value::Object(m) = &mut v {
                    m.insert(
                        "children".into(),
                        Value::Array(self.children(c, levels - 1)),
                    );
                }
                v
            })
            .collect()
    }

    /// Files in the page's `files/` folder: `static/<page folders>/files/` (hugo-theme-learn's
    /// habit) or the page bundle's own `files/`, published next to the page.
    fn attachments(&self, id: PageId) -> Vec<Value> {
        let p = &self.tree.pages[id];
        let key = p.key.join("/");
        let in_static = if key.is_empty() {
            "files/".to_string()
        } else {
            format!("{key}/files/")
        };
        let in_bundle = format!("{}files/", p.path);
        let mut seen = std::collections::BTreeSet::new();
        self.files
            .iter()
            .filter_map(|(path, size)| {
                let name = path
                    .strip_prefix(&in_bundle)
                    .or_else(|| path.strip_prefix(&in_static))?;
                (!name.contains('/') && seen.insert(name)).then(|| {
                    let url = self
                        .config
                        .url(&path.replace('%', "%25").replace(' ', "%20"));
                    json!({ "name": name, "url": url, "size": size })
                })
            })
            .collect()
    }
}
