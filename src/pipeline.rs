//! The pipeline kept in memory between builds, so that a change re-runs only the stages
//! it needs: a page body edit re-renders that page; front matter, theme, or CSS changes
//! re-render the pages; a config change rebuilds everything.
//!
//! A failed update leaves the pipeline, and so the last good site, as it was.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde_json::{Map, Value};

use crate::config::Config;
use crate::content::{self, ContentTree, PageId, front_matter};
use crate::diagnostics::{BuildErrors, Diagnostic};
use crate::markdown::links::SiteIndex;
use crate::markdown::{self, MarkdownOptions, PageRefs, RenderedBody};
use crate::output::{Output, fnv1a};
use crate::render::{Renderer, SiteLayout, Theme};
use crate::{BuildOptions, static_files};

/// What part of the site a changed path belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ChangeKind {
    Page,
    Static,
    Theme,
    Config,
}

/// Files a change touched.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Changed {
    /// Output paths whose bytes changed (added and removed ones too).
    pub files: Vec<String>,
}

impl Changed {
    /// Only stylesheets changed in a way a reader sees: pages differ only by the
    /// stylesheet URLs, which a browser can swap without reloading.
    pub fn only_css(&self, before: &Output, after: &Output) -> bool {
        let css: Vec<&String> = self.files.iter().filter(|f| f.ends_with(".css")).collect();
        !css.is_empty()
            && self.files.iter().all(|f| {
                f.ends_with(".css")
                    || (f.ends_with(".html")
                        && match (before.get(f), after.get(f)) {
                            (Some(a), Some(b)) => {
                                strip_asset_versions(&a) == strip_asset_versions(&b)
                            }
                            _ => false,
                        })
            })
    }
}

fn strip_asset_versions(html: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(html);
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_ref();
    while let Some(i) = rest.find("?v=") {
        out.push_str(&rest[..i]);
        rest = rest[i + 3..].trim_start_matches(|c: char| c.is_ascii_hexdigit());
    }
    out.push_str(rest);
    out.into_bytes()
}

pub struct Pipeline {
    options: BuildOptions,
    config: Config,
    renderer: Renderer,
    site: Rendered,
    warnings: Vec<Diagnostic>,
}

/// Everything built from one content tree: what an update replaces whole, or not at all.
struct Rendered {
    tree: ContentTree,
    bodies: Vec<RenderedBody>,
    /// The base path and every page and file, which links resolve against.
    markdown: MarkdownOptions,
    layout: SiteLayout,
    /// The site's static files and its pages' bundled `files/`.
    statics: BTreeMap<String, Vec<u8>>,
    /// Stylesheet and script URLs with their content hashes.
    assets: Map<String, Value>,
    /// Every static file with its size, for the `attachments` shortcode.
    file_sizes: Vec<(String, usize)>,
    output: Output,
}

impl Pipeline {
    /// A full build. Every error found in the site comes back at once.
    pub fn new(options: &BuildOptions) -> Result<Pipeline, BuildErrors> {
        let site_dir = options.source.as_path();
        if !site_dir.is_dir() {
            return Err(BuildErrors(vec![Diagnostic::error(
                site_dir,
                None,
                "no such folder: give the site's folder with --source",
            )]));
        }
        let mut config = Config::load(site_dir).map_err(|d| BuildErrors(vec![d]))?;
        if let Some(url) = &options.base_url {
            config.set_base_url(url);
        }
        config.build_drafts |= options.drafts;

        let (content, theme, statics) = (
            content::load(site_dir, &config),
            Theme::load(site_dir, &config),
            static_files::read(site_dir),
        );
        let mut warnings = Vec::new();
        let (tree, theme, statics) = match (content, theme, statics) {
            (Ok((tree, w1)), Ok((theme, w2)), Ok(statics)) => {
                warnings.extend(w1);
                warnings.extend(w2);
                (tree, theme, statics)
            }
            (c, t, s) => {
                let mut errors = c.err().unwrap_or_default();
                errors.extend(t.err().unwrap_or_default());
                errors.extend(s.err().unwrap_or_default());
                return Err(BuildErrors::sorted(errors));
            }
        };
        // Compiled before the bodies: shortcodes are templates of the theme.
        let renderer = Renderer::new(theme).map_err(BuildErrors::sorted)?;
        let site = render_tree(site_dir, &config, &renderer, tree, statics, None)?;
        warnings.sort();
        Ok(Pipeline {
            options: options.clone(),
            config,
            renderer,
            site,
            warnings,
        })
    }

    pub fn output(&self) -> &Output {
        &self.site.output
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    pub fn tree(&self) -> &ContentTree {
        &self.site.tree
    }

    /// Notices about the site, and warnings about its pages' links.
    pub fn warnings(&self) -> Vec<Diagnostic> {
        let mut all = self.warnings.clone();
        all.extend(
            self.site
                .bodies
                .iter()
                .flat_map(|b| b.diagnostics.iter().filter(|d| !d.is_error()).cloned()),
        );
        all
    }

    pub fn static_file_count(&self) -> usize {
        self.site.statics.len()
    }

    /// What a path under the site folder is to the build; `None` for anything it does not
    /// read (the output folder, editor litter, other files).
    pub fn classify(&self, path: &Path) -> Option<ChangeKind> {
        let site = std::path::absolute(&self.options.source)
            .unwrap_or_else(|_| self.options.source.clone());
        let rel = path
            .strip_prefix(&site)
            .or_else(|_| path.strip_prefix(&self.options.source))
            .ok()?;
        let mut parts = rel.components().map(|c| c.as_os_str().to_string_lossy());
        let first = parts.next()?;
        match first.as_ref() {
            "worklog.toml" | "config.toml" | "hugo.toml" => Some(ChangeKind::Config),
            "content"
                if rel
                    .extension()
                    .is_some_and(|e| e == "md" || e == "markdown") =>
            {
                Some(ChangeKind::Page)
            }
            "content" if path.is_dir() || !path.exists() => Some(ChangeKind::Page),
            "static" => Some(ChangeKind::Static),
            "themes" => Some(ChangeKind::Theme),
            _ => None,
        }
    }

    /// Re-runs what `paths` need. On error, nothing changes.
    pub fn apply(&mut self, paths: &[PathBuf]) -> Result<Changed, BuildErrors> {
        let kinds: BTreeMap<ChangeKind, Vec<&PathBuf>> =
            paths.iter().fold(BTreeMap::new(), |mut m, p| {
                if let Some(k) = self.classify(p) {
                    m.entry(k).or_insert_with(Vec::new).push(p);
                }
                m
            });
        if kinds.is_empty() {
            return Ok(Changed::default());
        }
        let before = self.site.output.clone();
        if kinds.contains_key(&ChangeKind::Config) || kinds.contains_key(&ChangeKind::Theme) {
            *self = Pipeline::new(&self.options)?;
        } else if let Some(pages) = kinds
            .get(&ChangeKind::Page)
            .filter(|_| !kinds.contains_key(&ChangeKind::Static))
        {
            match self.body_only_edits(pages)? {
                Some(edits) => self.apply_body_edits(edits)?,
                None => self.reload_content()?,
            }
        } else {
            self.reload_content()?;
        }
        Ok(Changed {
            files: before.changed_paths(&self.site.output),
        })
    }

    /// When every changed file is an existing page whose front matter is unchanged,
    /// returns the new bodies: nothing but those pages needs rendering.
    fn body_only_edits(
        &self,
        paths: &[&PathBuf],
    ) -> Result<Option<Vec<(PageId, String)>>, BuildErrors> {
        let mut edits = Vec::new();
        for path in paths {
            let display = content::load::display(&self.options.source, path);
            let Some(id) = self
                .site
                .tree
                .pages
                .iter()
                .position(|p| p.source.as_deref() == Some(display.as_path()))
            else {
                return Ok(None);
            };
            let Ok(bytes) = std::fs::read(path) else {
                return Ok(None);
            };
            let text = content::load::decode(bytes).map_err(|(line, msg)| {
                BuildErrors(vec![Diagnostic::error(&display, Some(line), msg)])
            })?;
            let split = front_matter::split(&text).map_err(|e| {
                BuildErrors(vec![Diagnostic::error(&display, Some(e.line), e.message)])
            })?;
            let page = &self.site.tree.pages[id];
            if split.front_matter != page.front || split.body_line != page.body_line {
                return Ok(None);
            }
            edits.push((id, split.body.to_string()));
        }
        Ok(Some(edits))
    }

    fn apply_body_edits(&mut self, edits: Vec<(PageId, String)>) -> Result<(), BuildErrors> {
        let site = &self.site;
        let mut tree = site.tree.clone();
        for (id, body) in &edits {
            tree.pages[*id].body = body.clone();
        }
        let shortcodes =
            self.renderer
                .shortcodes(&tree, &self.config, site.assets.clone(), &site.file_sizes);
        let mut bodies = site.bodies.clone();
        for (id, _) in &edits {
            bodies[*id] = markdown::render_page(&tree.pages[*id], &site.markdown, &shortcodes);
        }
        let errors = body_errors(&bodies);
        if !errors.is_empty() {
            return Err(BuildErrors::sorted(errors));
        }
        let mut output = site.output.clone();
        for (id, _) in &edits {
            let (path, content) = self
                .renderer
                .render_page(&site.layout, &tree, &bodies, &self.config, *id)
                .map_err(BuildErrors::sorted)?;
            output.insert_content(path, content);
        }
        self.site.tree = tree;
        self.site.bodies = bodies;
        self.site.output = output;
        Ok(())
    }

    /// Pages were added, removed, renamed, or their front matter or static files changed:
    /// the tree is rebuilt; bodies whose text and place did not change are not rendered
    /// again.
    fn reload_content(&mut self) -> Result<(), BuildErrors> {
        let source = &self.options.source;
        let (tree, mut warnings) =
            content::load(source, &self.config).map_err(BuildErrors::sorted)?;
        let statics = static_files::read(source).map_err(BuildErrors::sorted)?;
        let site = render_tree(
            source,
            &self.config,
            &self.renderer,
            tree,
            statics,
            Some(&self.site),
        )?;
        // Notices about the theme and config stay; those about content are new.
        warnings.extend(
            self.warnings
                .iter()
                .filter(|w| !w.file.starts_with("content"))
                .cloned(),
        );
        warnings.sort();
        warnings.dedup();
        self.site = site;
        self.warnings = warnings;
        Ok(())
    }
}

/// Renders a tree: bodies (reusing `previous` ones whose text and place are unchanged),
/// then pages.
fn render_tree(
    site_dir: &Path,
    config: &Config,
    renderer: &Renderer,
    tree: ContentTree,
    statics: BTreeMap<String, Vec<u8>>,
    previous: Option<&Rendered>,
) -> Result<Rendered, BuildErrors> {
    let statics = with_bundles(site_dir, &tree, statics)?;
    let files = static_output(renderer.theme(), &statics);
    let markdown = markdown_options(config, &tree, &files);
    let assets = asset_urls(&files, config);
    let file_sizes = sizes(&files);
    let shortcodes = renderer.shortcodes(&tree, config, assets.clone(), &file_sizes);
    // A body can be reused only while the pages and files it may link to are the same.
    let reusable = previous
        .filter(|p| p.tree.pages.len() == tree.pages.len() && p.statics.keys().eq(statics.keys()));
    let old: HashMap<(&str, &str), &RenderedBody> = reusable
        .map(|p| {
            p.tree
                .pages
                .iter()
                .zip(&p.bodies)
                .map(|(page, b)| ((page.path.as_str(), page.body.as_str()), b))
                .collect()
        })
        .unwrap_or_default();
    let bodies: Vec<RenderedBody> = tree
        .pages
        .par_iter()
        .map(|p| match old.get(&(p.path.as_str(), p.body.as_str())) {
            Some(b) => (*b).clone(),
            None => markdown::render_page(p, &markdown, &shortcodes),
        })
        .collect();
    let mut errors = body_errors(&bodies);
    let rendered = renderer
        .layout(&tree, config, assets.clone())
        .and_then(|layout| {
            renderer
                .render_site(&layout, &tree, &bodies, config)
                .map(|pages| (layout, pages))
        });
    let (layout, pages) = match rendered {
        Ok(r) if errors.is_empty() => r,
        Ok(_) => return Err(BuildErrors::sorted(errors)),
        Err(e) => {
            errors.extend(e);
            return Err(BuildErrors::sorted(errors));
        }
    };
    let mut output = files;
    for (path, content) in pages {
        output.insert_content(path, content);
    }
    Ok(Rendered {
        tree,
        bodies,
        markdown,
        layout,
        statics,
        assets,
        file_sizes,
        output,
    })
}

/// The theme's static files with the site's laid over them.
fn static_output(theme: &Theme, statics: &BTreeMap<String, Vec<u8>>) -> Output {
    let mut output = Output::default();
    for (path, bytes) in theme.static_files.iter().chain(statics) {
        output.insert(path.clone(), bytes.clone());
    }
    output
}

fn markdown_options(config: &Config, tree: &ContentTree, files: &Output) -> MarkdownOptions {
    let pages = tree.pages.iter().map(|p| p.path.clone());
    let files = files.paths().map(str::to_owned);
    MarkdownOptions {
        base_path: config.base_path.clone(),
        index: SiteIndex::new(pages.chain(files).collect::<Vec<_>>()),
        pages: PageRefs::new(tree.pages.iter().map(|p| (p.key.join("/"), p.path.clone()))),
    }
}

/// The static files plus each page's bundled `files/` folder, published beside the page.
fn with_bundles(
    site_dir: &Path,
    tree: &ContentTree,
    mut statics: BTreeMap<String, Vec<u8>>,
) -> Result<BTreeMap<String, Vec<u8>>, BuildErrors> {
    let sources = tree
        .pages
        .iter()
        .filter_map(|p| Some((p.source.as_deref()?, p.path.as_str())));
    let bundles = static_files::bundle_files(site_dir, sources).map_err(BuildErrors::sorted)?;
    statics.extend(bundles);
    Ok(statics)
}

fn sizes(files: &Output) -> Vec<(String, usize)> {
    files
        .iter()
        .map(|(p, c)| (p.to_string(), c.bytes().len()))
        .collect()
}

/// Errors in page bodies (a `ref` to no page): they fail the build like any other.
fn body_errors(bodies: &[RenderedBody]) -> Vec<Diagnostic> {
    bodies
        .iter()
        .flat_map(|b| b.diagnostics.iter().filter(|d| d.is_error()).cloned())
        .collect()
}

/// CSS and JS files to URLs carrying a hash of their bytes, for cache busting.
fn asset_urls(output: &Output, config: &Config) -> Map<String, Value> {
    output
        .iter()
        .filter(|(p, _)| p.ends_with(".css") || p.ends_with(".js"))
        .map(|(p, content)| {
            let hash = fnv1a(&content.bytes()) as u32;
            let url = format!("{}?v={hash:08x}", config.url(p));
            (p.to_string(), Value::String(url))
        })
        .collect()
}
