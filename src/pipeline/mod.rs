//! The pipeline kept in memory between builds, so that a change re-runs only the stages
//! it needs: a page body edit re-renders that page; front matter, theme, or CSS changes
//! re-render the pages; a config change rebuilds everything.
//!
//! A failed update leaves the pipeline, and so the last good site, as it was. Building is
//! here; what a change re-runs is in [`update`].

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::Config;
use crate::content::{self, ContentTree, Page};
use crate::diagnostics::{BuildErrors, Diagnostic};
use crate::markdown::links::{Home, SiteIndex};
use crate::markdown::{self, MarkdownOptions, PageRefs, RenderedBody};
use crate::output::{Output, StaticFile};
use crate::render::documents;
use crate::render::{
    LanguageLink, Renderer, SiteInputs, SiteLayout, Theme, Translations, page_file, redirect_page,
};
use crate::{BuildOptions, search, static_files};

pub mod assets;
mod change;
pub mod check;
mod collisions;
mod inspect;
mod update;

pub use change::{ChangeKind, Layout, PathState, SiteRoot, classify};
pub use update::Changed;

pub struct Pipeline {
    options: BuildOptions,
    /// The site's folder, as changed paths may name it.
    root: SiteRoot,
    /// Where the site keeps its inputs, for telling what a change is.
    layout: Layout,
    config: Config,
    renderer: Renderer,
    site: Rendered,
    notices: Notices,
    /// The pages changed since the search index was made (see [`Pipeline::apply_to_pages`]).
    search_stale: bool,
    /// Its search index is of its pages as they are.
    index_current: bool,
}

/// Notices about the site, kept by where they come from: an update replaces exactly the
/// ones it derived again.
#[derive(Debug, Clone, Default)]
struct Notices {
    /// The config, and what worklog does not support in it.
    config: Vec<Diagnostic>,
    theme: Vec<Diagnostic>,
    content: Vec<Diagnostic>,
}

/// Everything built from the content: what an update replaces whole, or not at all.
struct Rendered {
    /// One per language, the default language first.
    languages: Vec<LanguageSite>,
    /// The site's static files and its page bundles' files.
    statics: BTreeMap<String, StaticFile>,
    inputs: SiteInputs,
    /// Every static file with its size, for the `attachments` shortcode.
    file_sizes: Vec<(String, usize)>,
    output: Output,
}

/// One language's pages.
struct LanguageSite {
    /// The site's config as this language sees it.
    config: Config,
    tree: ContentTree,
    bodies: Vec<RenderedBody>,
    /// The print page, kept so that a body edit remakes only that body in it.
    print: documents::PrintDocument,
    /// The base path and every page and file, which links resolve against.
    markdown: MarkdownOptions,
    layout: SiteLayout,
}

impl Pipeline {
    /// A full build. Every error found in the site comes back at once.
    pub fn new(options: &BuildOptions) -> Result<Pipeline, BuildErrors> {
        let mut pipeline = Pipeline::without_search_index(options)?;
        if pipeline.searchable() {
            pipeline.index_for_search()?;
        }
        Ok(pipeline)
    }

    /// A full build but for its last stage, the search index: for a caller that makes
    /// the index ([`Self::search_job`]) while it does something else with the pages,
    /// such as writing them.
    pub fn without_search_index(options: &BuildOptions) -> Result<Pipeline, BuildErrors> {
        let site_dir = options.source.as_path();
        if !site_dir.is_dir() {
            let message = if site_dir.exists() {
                "this is a file: --source takes the site's folder (the one with content/ and the config)"
            } else {
                "no such folder: give the site's folder with --source"
            };
            return Err(BuildErrors(vec![Diagnostic::error(
                site_dir, None, message,
            )]));
        }
        let mut config = Config::load(site_dir).map_err(BuildErrors::sorted)?;
        if let Some(url) = &options.base_url {
            config
                .set_base_url(url)
                .map_err(|e| BuildErrors(vec![Diagnostic::error("--base-url", None, e)]))?;
        }
        config.build_drafts |= options.drafts;
        config.search &= !options.no_search;

        // Three reads of the disk that do not wait for one another. The theme's templates
        // are compiled as soon as it is read: shortcodes are templates of the theme, and
        // the bodies need them.
        let (content, (theme, statics)) = rayon::join(
            || content::load(site_dir, &config),
            || {
                rayon::join(
                    || Theme::load(site_dir, &config).map(|(t, w)| (Renderer::new(t), w)),
                    || static_files::read(site_dir),
                )
            },
        );
        let mut notices = Notices {
            config: config.warnings.clone(),
            ..Notices::default()
        };
        if config.ugly_urls {
            notices.config.push(Diagnostic::warning(
                config.file.clone().unwrap_or_default(),
                None,
                "uglyURLs is not supported: pages are written as folder/index.html (pretty URLs)",
            ));
        }
        let (trees, renderer, statics) = match (content, theme, statics) {
            (Ok((trees, w1)), Ok((renderer, w2)), Ok(statics)) => {
                notices.content = w1;
                notices.theme = w2;
                (trees, renderer, statics)
            }
            (c, t, s) => {
                let mut errors = c.err().unwrap_or_default();
                errors.extend(t.err().unwrap_or_default());
                errors.extend(s.err().unwrap_or_default());
                return Err(BuildErrors::sorted(errors));
            }
        };
        let renderer = renderer.map_err(BuildErrors::sorted)?;
        let site = render_trees(site_dir, &config, &renderer, trees, statics, None)?;
        Ok(Pipeline {
            options: options.clone(),
            root: SiteRoot::new(site_dir),
            layout: Layout::of(&config, &renderer.theme().folders),
            config,
            renderer,
            site,
            notices,
            // The pages have no index yet.
            search_stale: true,
            index_current: false,
        })
    }

    /// The search index of the pages as they are, as a job for any thread that is given
    /// [`Self::output`]; `None` when this build has no index.
    pub fn search_job(&self) -> Option<impl FnOnce(&Output) -> Result<Output, String> + Send> {
        let languages = self.searchable().then(|| self.search_pages())?;
        Some(move |pages: &Output| {
            let mut index = Output::default();
            for (path, bytes) in search::index(pages, &languages)? {
                index.insert(path, bytes);
            }
            Ok(index)
        })
    }

    /// The last stage: the search index of the pages, in place of the previous one.
    fn index_for_search(&mut self) -> Result<(), BuildErrors> {
        let files = search::index(&self.site.output, &self.search_pages())
            .map_err(|e| BuildErrors(vec![Diagnostic::error(search::DIR, None, e)]))?;
        search::replace_index(&mut self.site.output, files);
        self.index_current = true;
        self.search_stale = false;
        Ok(())
    }

    /// Whether the search index in [`Self::output`] is of the pages as they are, not of
    /// pages since changed (see [`Self::take_search_stale`]); or, when the site has no
    /// index, that the output has none.
    pub fn search_index_current(&self) -> bool {
        self.index_current || !self.searchable()
    }

    /// Whether this build has a search index: the site wants one, and the caller too.
    pub fn searchable(&self) -> bool {
        self.config.search && !self.options.without_search
    }

    /// The pages each language's search index holds.
    pub fn search_pages(&self) -> Vec<search::LanguagePages> {
        self.site
            .languages
            .iter()
            .map(|l| search::LanguagePages {
                code: l.tree.language.clone(),
                files: l.tree.pages.iter().map(|p| page_file(&p.path)).collect(),
            })
            .collect()
    }

    pub fn output(&self) -> &Output {
        &self.site.output
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Pages built in each language, the default language first.
    pub fn page_counts(&self) -> Vec<(String, usize)> {
        self.site
            .languages
            .iter()
            .map(|l| (l.tree.language.clone(), l.tree.pages.len()))
            .collect()
    }

    /// Notices about the site, and warnings about its pages' links.
    pub fn warnings(&self) -> Vec<Diagnostic> {
        let n = &self.notices;
        let mut all: Vec<Diagnostic> = [&n.config, &n.theme, &n.content]
            .into_iter()
            .flatten()
            .cloned()
            .collect();
        let bodies = self.site.languages.iter().flat_map(|l| &l.bodies);
        all.extend(bodies.flat_map(|b| b.diagnostics.iter().filter(|d| !d.is_error()).cloned()));
        all
    }

    pub fn static_file_count(&self) -> usize {
        self.site.statics.len()
    }
}

/// Renders every language's tree: bodies (reusing `previous` ones whose text and place
/// are unchanged and whose answers from the site still hold), then pages, then the pages
/// Hugo makes by itself.
fn render_trees(
    site_dir: &Path,
    config: &Config,
    renderer: &Renderer,
    trees: Vec<ContentTree>,
    statics: BTreeMap<String, StaticFile>,
    previous: Option<&Rendered>,
) -> Result<Rendered, BuildErrors> {
    let (statics, bundle_errors) = with_bundles(site_dir, &trees, statics)?;
    let mut files = static_output(renderer.theme(), &statics);
    let assets = assets::fingerprint(&mut files, config);
    let configs: Vec<Config> = config
        .languages
        .iter()
        .map(|l| config.for_language(l))
        .collect();
    let inputs = SiteInputs {
        assets,
        languages: config
            .languages
            .iter()
            .zip(&configs)
            .map(|(l, c)| LanguageLink {
                code: l.code.clone(),
                name: l.name.clone(),
                url: c.url(&c.language_prefix),
            })
            .collect(),
        translations: Arc::new(translations(&trees, config, &configs)),
    };
    let file_sizes = sizes(&files);
    let index = SiteIndex::new(
        trees
            .iter()
            .flat_map(|t| t.pages.iter().map(|p| p.path.clone()))
            .chain(files.paths().map(str::to_owned))
            .collect::<Vec<_>>(),
    );
    let homes: Vec<String> = configs.iter().map(|c| c.language_prefix.clone()).collect();
    let theme = renderer.theme();
    let mut errors = collisions::check(site_dir, config, &configs, &trees, &statics, theme);
    errors.extend(bundle_errors);
    let mut languages = Vec::new();
    let mut output = files;
    for (l, (tree, lang_config)) in trees.into_iter().zip(configs).enumerate() {
        let markdown = MarkdownOptions {
            base_path: config.base_path.clone(),
            index: index.clone(),
            pages: PageRefs::new(tree.pages.iter().map(|p| (p.key.join("/"), p.path.clone()))),
            typographer: config.typographer,
            home: Home {
                dir: lang_config.language_prefix.clone(),
                others: homes
                    .iter()
                    .filter(|h| **h != lang_config.language_prefix)
                    .cloned()
                    .collect(),
            },
        };
        let shortcodes = renderer.shortcodes(&tree, &lang_config, &inputs, &file_sizes);
        let old: HashMap<&str, (&Page, &RenderedBody)> = previous
            .and_then(|p| p.languages.get(l))
            .map(|p| {
                p.tree
                    .pages
                    .iter()
                    .zip(&p.bodies)
                    .map(|(page, b)| (page.path.as_str(), (page, b)))
                    .collect()
            })
            .unwrap_or_default();
        let bodies: Vec<RenderedBody> = tree
            .pages
            .par_iter()
            .map(|p| match old.get(p.path.as_str()) {
                Some((was, body))
                    if same_body_source(was, p)
                        && body.deps.still_hold(p, &markdown, &shortcodes) =>
                {
                    (*body).clone()
                }
                _ => markdown::render_page(p, &markdown, &shortcodes),
            })
            .collect();
        errors.extend(body_errors(&bodies));
        let rendered = renderer
            .layout(&tree, &lang_config, &inputs, &file_sizes)
            .and_then(|layout| {
                let print =
                    documents::PrintDocument::new(renderer, &layout, &tree, &bodies, &lang_config)?;
                renderer
                    .render_site(&layout, &tree, &bodies, &print, &lang_config)
                    .map(|pages| (layout, pages, print))
            });
        match rendered {
            Ok((layout, pages, print)) => {
                for (path, content) in pages {
                    output.insert_content(path, content);
                }
                languages.push(LanguageSite {
                    config: lang_config,
                    tree,
                    bodies,
                    print,
                    markdown,
                    layout,
                });
            }
            Err(e) => errors.extend(e),
        }
    }
    if !errors.is_empty() {
        return Err(BuildErrors::sorted(errors));
    }
    for (path, bytes) in implicit_pages(config) {
        output.insert(path, bytes);
    }
    let prefixes: Vec<String> = languages
        .iter()
        .map(|l| l.config.language_prefix.clone())
        .collect();
    assets::host_files(&mut output, config, &prefixes);
    Ok(Rendered {
        languages,
        statics,
        inputs,
        file_sizes,
        output,
    })
}

/// Whether two pages give their bodies the same text and place: the page-local half of
/// what a body depends on (the other half is its [`markdown::Dependencies`]).
fn same_body_source(a: &Page, b: &Page) -> bool {
    a.body == b.body
        && a.path == b.path
        && a.key == b.key
        && a.source == b.source
        && a.body_line == b.body_line
}

/// Hugo's pages that no file asks for: with several languages, the default language's
/// folder (`/en/`) redirects to the site root, or the root to it when it has its own.
fn implicit_pages(config: &Config) -> Vec<(String, Vec<u8>)> {
    if !config.is_multilingual() {
        return Vec::new();
    }
    let default = &config.language;
    if config.default_language_in_subdir {
        vec![(
            "index.html".into(),
            redirect_page(&config.url(&format!("{default}/"))),
        )]
    } else {
        vec![(
            format!("{default}/index.html"),
            redirect_page(&config.url("")),
        )]
    }
}

/// For each page key, its URL in every language that has it.
fn translations(trees: &[ContentTree], config: &Config, configs: &[Config]) -> Translations {
    let mut map = Translations::new();
    for ((tree, language), lang_config) in trees.iter().zip(&config.languages).zip(configs) {
        for page in &tree.pages {
            map.entry(page.key.clone()).or_default().push(LanguageLink {
                code: language.code.clone(),
                name: language.name.clone(),
                url: lang_config.url(&page.path),
            });
        }
    }
    map
}

/// The theme's static files with the site's laid over them.
fn static_output(theme: &Theme, statics: &BTreeMap<String, StaticFile>) -> Output {
    let mut output = Output::default();
    for (path, bytes) in &theme.static_files {
        output.insert(path.clone(), bytes.clone());
    }
    for (path, file) in statics {
        output.insert_file(path.clone(), file.clone());
    }
    output
}

/// The static files plus the files of each page bundle, published beside the page, and
/// an error for each bundle file written where a static file is.
fn with_bundles(
    site_dir: &Path,
    trees: &[ContentTree],
    mut statics: BTreeMap<String, StaticFile>,
) -> Result<(BTreeMap<String, StaticFile>, Vec<Diagnostic>), BuildErrors> {
    let mut bundles = BTreeMap::new();
    for tree in trees {
        let pages = tree.pages.iter();
        let sources = pages.filter_map(|p| Some((p.source.as_deref()?, p.path.as_str())));
        let found = static_files::bundle_files(site_dir, sources, &tree.files)
            .map_err(BuildErrors::sorted)?;
        bundles.extend(found);
    }
    let mut errors = Vec::new();
    for (path, file) in bundles {
        match statics.get(&path) {
            // An update passes the last build's files, which hold the bundles' too.
            Some(other) if other.source != file.source => errors.push(Diagnostic::error(
                content::load::display(site_dir, &file.source),
                None,
                format!(
                    "this file and {} are both written to /{path}: rename one",
                    content::load::display(site_dir, &other.source).display()
                ),
            )),
            _ => {
                statics.insert(path, file);
            }
        }
    }
    Ok((statics, errors))
}

fn sizes(files: &Output) -> Vec<(String, usize)> {
    files
        .iter()
        .map(|(p, c)| {
            (
                p.to_string(),
                usize::try_from(c.size()).unwrap_or(usize::MAX),
            )
        })
        .collect()
}

/// Errors in page bodies (a `ref` to no page): they fail the build like any other.
fn body_errors<'a>(bodies: impl IntoIterator<Item = &'a RenderedBody>) -> Vec<Diagnostic> {
    bodies
        .into_iter()
        .flat_map(|b| b.diagnostics.iter().filter(|d| d.is_error()).cloned())
        .collect()
}
