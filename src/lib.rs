//! worklog: a static site generator for study journals written in Hugo's content layout.
//!
//! One pipeline, one module per stage, data flowing one way:
//! [`config`] → [`content`] → [`markdown`] → [`render`] → [`output::Output`].
//! This file wires the stages; the CLI (`main.rs`) only parses arguments and prints.

pub mod config;
pub mod content;
pub mod diagnostics;
pub mod markdown;
pub mod output;
pub mod render;
pub mod static_files;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::{Map, Value};

use config::Config;
use diagnostics::{BuildErrors, Diagnostic};
use markdown::links::SiteIndex;
use markdown::{MarkdownOptions, PageRefs};
use output::Output;
use render::{Renderer, Theme};

/// What `worklog build` was asked for.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub source: PathBuf,
    /// Overrides the config's `base_url`.
    pub base_url: Option<String>,
    /// Builds pages marked `draft: true`.
    pub drafts: bool,
}

/// A built site, in memory.
#[derive(Debug)]
pub struct Site {
    pub config: Config,
    pub output: Output,
    pub warnings: Vec<Diagnostic>,
    pub pages: usize,
    pub static_files: usize,
    pub elapsed: Duration,
}

/// Runs the whole pipeline. Every error found in the site comes back at once.
pub fn build(options: &BuildOptions) -> Result<Site, BuildErrors> {
    let started = Instant::now();
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

    let mut warnings = Vec::new();
    let mut errors = Vec::new();
    let content = content::load(site_dir, &config);
    let theme = Theme::load(site_dir, &config);
    let statics = static_files::read(site_dir);
    let (tree, theme, statics) = match (content, theme, statics) {
        (Ok((tree, w1)), Ok((theme, w2)), Ok(statics)) => {
            warnings.extend(w1);
            warnings.extend(w2);
            (tree, theme, statics)
        }
        (c, t, s) => {
            errors.extend(c.err().unwrap_or_default());
            errors.extend(t.err().unwrap_or_default());
            errors.extend(s.err().unwrap_or_default());
            return Err(BuildErrors::sorted(errors));
        }
    };

    let mut output = Output::default();
    for (path, bytes) in &theme.static_files {
        output.insert(path.clone(), bytes.clone());
    }
    for (path, bytes) in &statics {
        output.insert(path.clone(), bytes.clone());
    }
    let bundle_sources = tree
        .pages
        .iter()
        .filter_map(|p| Some((p.source.as_deref()?, p.path.as_str())));
    let bundles =
        static_files::bundle_files(site_dir, bundle_sources).map_err(BuildErrors::sorted)?;
    for (path, bytes) in bundles {
        output.insert(path, bytes);
    }
    let page_paths = tree.pages.iter().map(|p| p.path.clone());
    let file_paths = output.paths().map(str::to_owned);
    let markdown_options = MarkdownOptions {
        base_path: config.base_path.clone(),
        index: SiteIndex::new(page_paths.chain(file_paths).collect::<Vec<_>>()),
        pages: PageRefs::new(tree.pages.iter().map(|p| (p.key.join("/"), p.path.clone()))),
    };

    let assets = asset_urls(&output, &config);
    // Compiled before the bodies: shortcodes are templates of the theme.
    let renderer = Renderer::new(theme).map_err(BuildErrors::sorted)?;
    let files: Vec<(String, usize)> = output
        .iter()
        .map(|(p, c)| (p.to_string(), c.bytes().len()))
        .collect();
    let shortcodes = renderer.shortcodes(&tree, &config, assets.clone(), &files);
    let bodies = markdown::render_all(&tree, &markdown_options, &shortcodes);
    for d in bodies.iter().flat_map(|b| b.diagnostics.iter().cloned()) {
        if d.is_error() {
            errors.push(d);
        } else {
            warnings.push(d);
        }
    }

    let rendered = renderer.render_site(&tree, &bodies, &config, assets);
    let files = match rendered {
        Ok(files) if errors.is_empty() => files,
        Ok(_) => return Err(BuildErrors::sorted(errors)),
        Err(e) => {
            errors.extend(e);
            return Err(BuildErrors::sorted(errors));
        }
    };
    for (path, content) in files {
        output.insert_content(path, content);
    }
    warnings.sort();
    Ok(Site {
        config,
        output,
        warnings,
        pages: tree.pages.len(),
        static_files: statics.len(),
        elapsed: started.elapsed(),
    })
}

/// Writes a built site to `out_dir`, refusing a folder that holds the site itself.
pub fn write(site: &Site, site_dir: &Path, out_dir: &Path) -> Result<(), BuildErrors> {
    let abs = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let (site_abs, out_abs) = (abs(site_dir), abs(out_dir));
    if site_abs.starts_with(&out_abs)
        || out_abs.starts_with(site_abs.join("content"))
        || out_abs.starts_with(site_abs.join("static"))
    {
        return Err(BuildErrors(vec![Diagnostic::error(
            out_dir,
            None,
            "the output folder would replace the site's own files: choose another with --output",
        )]));
    }
    site.output.write_atomic(out_dir).map_err(|e| {
        BuildErrors(vec![Diagnostic::error(
            out_dir,
            None,
            format!("cannot write the site: {e}"),
        )])
    })
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

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ b as u64).wrapping_mul(0x0100_0000_01b3)
    })
}
