//! `worklog inspect`: what a page's template is told, as JSON, and which template it is.

use std::path::PathBuf;

use serde_json::Value;

use super::{Renderer, SiteLayout};
use crate::config::Config;
use crate::content::{ContentTree, PageId};
use crate::markdown::RenderedBody;

/// A page's template and its context.
#[derive(Debug)]
pub struct Inspection {
    /// The template file that renders the page, as an author finds it.
    pub template: PathBuf,
    /// `site`, `page` and `nav` as the template receives them; `nav` as it ends up in
    /// the page, where the template is given a placeholder.
    pub context: Value,
}

impl Renderer {
    pub fn inspect(
        &self,
        layout: &SiteLayout,
        tree: &ContentTree,
        bodies: &[RenderedBody],
        config: &Config,
        id: PageId,
    ) -> Inspection {
        let (template, context) = self.page_template_context(layout, tree, bodies, config, id);
        let mut context = serde_json::to_value(&context).unwrap_or_default();
        if context["nav"].as_str().is_some_and(|nav| !nav.is_empty()) {
            let mut nav = String::new();
            layout
                .nav
                .write_for_page(&mut nav, Some(id), &tree.ancestors(id));
            context["nav"] = Value::String(nav);
        }
        context["site"] = serde_json::to_value(&layout.site).unwrap_or_default();
        let template = self
            .theme
            .templates
            .get(template)
            .map_or_else(|| template.into(), |t| t.display_path.clone());
        Inspection { template, context }
    }
}
