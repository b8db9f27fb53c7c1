//! The pipeline kept in memory between builds, so that a change re-runs only the stages
//! it needs: a page body edit re-renders that page; front matter, theme, or CSS changes
//! re-render the pages; a config change rebuilds everything.
//!
//! A failed update leaves the pipeline, and so the last good site, as it was.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use crate::config::Config;
use crate::content::{self, ContentTree, PageId, front_matter};
use crate::diagnostics::{BuildErrors, Diagnostic};
use crate::markdown::links::SiteIndex;
use crate::markdown::{self, MarkdownOptions, PageSource, RenderedBody};
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
    tree: ContentTree,
    bodies: Vec<RenderedBody>,
    /// The base path and every page and file, which links resolve against.
    markdown: MarkdownOptions,
    renderer: Renderer,
    layout: SiteLayout,
    statics: BTreeMap<String, Vec<u8>>,
    output: Output,
    warnings: Vec<Diagnostic>,
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
        let renderer = Renderer::new(theme).map_err(BuildErrors::sorted)?;
        let files = static_output(renderer.theme(), &statics);
        let markdown = markdown_options(&config, &tree, &files);
        let bodies = markdown::render_all(&tree, &markdown);
        let layout = renderer
            .layout(&tree, &config, asset_urls(&files, &config))
            .map_err(BuildErrors::sorted)?;
        let mut output = files;
        for (path, content) in renderer
            .render_site(&layout, &tree, &bodies, &config)
            .map_err(BuildErrors::sorted)?
        {
            output.insert_content(path, content);
        }
        warnings.sort();
        Ok(Pipeline {
            options: options.clone(),
            config,
            tree,
            bodies,
            markdown,
            renderer,
            layout,
            statics,
            output,
            warnings,
        })
    }

    pub fn output(&self) -> &Output {
        &self.output
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    pub fn tree(&self) -> &ContentTree {
        &self.tree
    }

    /// Notices about the site, and warnings about its pages' links.
    pub fn warnings(&self) -> Vec<Diagnostic> {
        let mut all = self.warnings.clone();
        all.extend(self.bodies.iter().flat_map(|b| b.warnings.iter().cloned()));
        all
    }

    pub fn static_file_count(&self) -> usize {
        self.statics.len()
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
        let before = self.output.clone();
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
            self.reload_statics_and_content()?;
        }
        Ok(Changed {
            files: before.changed_paths(&self.output),
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
            let page = &self.tree.pages[id];
            if split.front_matter != page.front || split.body_line != page.body_line {
                return Ok(None);
            }
            edits.push((id, split.body.to_string()));
        }
        Ok(Some(edits))
    }

    fn apply_body_edits(&mut self, edits: Vec<(PageId, String)>) -> Result<(), BuildErrors> {
        let options = &self.markdown;
        let mut tree = self.tree.clone();
        let mut bodies = self.bodies.clone();
        for (id, body) in &edits {
            tree.pages[*id].body = body.clone();
            let page = &tree.pages[*id];
            let source = PageSource {
                dir: &page.path,
                file: page.source.as_deref(),
                body_line: page.body_line,
            };
            bodies[*id] = markdown::render(&page.body, options, &source);
        }
        let mut output = self.output.clone();
        for (id, _) in &edits {
            let (path, content) = self
                .renderer
                .render_page(&self.layout, &tree, &bodies, &self.config, *id)
                .map_err(BuildErrors::sorted)?;
            output.insert_content(path, content);
        }
        self.tree = tree;
        self.bodies = bodies;
        self.output = output;
        Ok(())
    }

    /// Pages were added, removed, renamed, or their front matter changed: the tree is
    /// rebuilt; bodies whose text and place did not change are not rendered again.
    fn reload_content(&mut self) -> Result<(), BuildErrors> {
        let statics = self.statics.clone();
        self.rebuild_with(statics)
    }

    fn reload_statics_and_content(&mut self) -> Result<(), BuildErrors> {
        let statics = static_files::read(&self.options.source).map_err(BuildErrors::sorted)?;
        self.rebuild_with(statics)
    }

    fn rebuild_with(&mut self, statics: BTreeMap<String, Vec<u8>>) -> Result<(), BuildErrors> {
        let (tree, mut warnings) =
            content::load(&self.options.source, &self.config).map_err(BuildErrors::sorted)?;
        let files = static_output(self.renderer.theme(), &statics);
        let options = markdown_options(&self.config, &tree, &files);
        let previous: HashMap<(&str, &str), &RenderedBody> = self
            .tree
            .pages
            .iter()
            .zip(&self.bodies)
            .map(|(p, b)| ((p.path.as_str(), p.body.as_str()), b))
            .collect();
        // Unchanged bodies are reused, unless the set of pages and files changed, which
        // can change what their links resolve to.
        let same_targets =
            self.tree.pages.len() == tree.pages.len() && self.statics.keys().eq(statics.keys());
        let bodies: Vec<RenderedBody> = tree
            .pages
            .iter()
            .map(
                |p| match previous.get(&(p.path.as_str(), p.body.as_str())) {
                    Some(b) if same_targets => (*b).clone(),
                    _ => {
                        let source = PageSource {
                            dir: &p.path,
                            file: p.source.as_deref(),
                            body_line: p.body_line,
                        };
                        markdown::render(&p.body, &options, &source)
                    }
                },
            )
            .collect();
        let layout = self
            .renderer
            .layout(&tree, &self.config, asset_urls(&files, &self.config))
            .map_err(BuildErrors::sorted)?;
        let mut output = files;
        for (path, content) in self
            .renderer
            .render_site(&layout, &tree, &bodies, &self.config)
            .map_err(BuildErrors::sorted)?
        {
            output.insert_content(path, content);
        }
        warnings.extend(
            self.warnings
                .iter()
                .filter(|w| !w.file.starts_with("content"))
                .cloned(),
        );
        warnings.sort();
        warnings.dedup();
        self.tree = tree;
        self.bodies = bodies;
        self.markdown = options;
        self.layout = layout;
        self.statics = statics;
        self.output = output;
        self.warnings = warnings;
        Ok(())
    }
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
    }
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
