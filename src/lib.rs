//! worklog: a static site generator for study journals written in Hugo's content layout.
//!
//! One pipeline, one module per stage, data flowing one way:
//! [`config`] → [`content`] → [`markdown`] → [`render`] → [`output::Output`].
//! This file wires the stages; the CLI (`main.rs`) only parses arguments and prints.

pub mod config;
pub mod content;
pub mod deploy;
pub mod diagnostics;
pub mod external;
pub mod inputs;
pub mod markdown;
pub mod output;
pub mod pdf;
pub mod pipeline;
pub mod render;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod static_files;
pub mod text;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use config::Config;
use diagnostics::{BuildErrors, Diagnostic};
use output::{Destination, Output, WriteError};
use pipeline::Pipeline;

/// What `worklog build` was asked for.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub source: PathBuf,
    /// Overrides the config's `base_url`.
    pub base_url: Option<String>,
    /// Builds pages marked `draft: true`.
    pub drafts: bool,
    /// Leaves the search index out: for what only reads the pages (`check`, `inspect`),
    /// which indexing would make several times slower.
    pub without_search: bool,
    /// Builds as `search = false` in the config does: no index, and no search box.
    pub no_search: bool,
}

impl BuildOptions {
    /// For what only reads the pages (`check`, `inspect`): the site as built, without its
    /// search index.
    pub fn reading(source: PathBuf, drafts: bool) -> BuildOptions {
        BuildOptions {
            source,
            drafts,
            without_search: true,
            ..BuildOptions::default()
        }
    }
}

/// A built site, in memory.
#[derive(Debug)]
pub struct Site {
    pub config: Config,
    pub output: Output,
    pub warnings: Vec<Diagnostic>,
    /// Pages built per language, the default language first.
    pub pages: Vec<(String, usize)>,
    pub static_files: usize,
    pub elapsed: Duration,
}

/// Runs the whole pipeline. Every error found in the site comes back at once.
pub fn build(options: &BuildOptions) -> Result<Site, BuildErrors> {
    let started = Instant::now();
    let pipeline = Pipeline::new(options)?;
    Ok(site_of(&pipeline, started))
}

fn site_of(pipeline: &Pipeline, started: Instant) -> Site {
    let mut warnings = pipeline.warnings();
    warnings.sort();
    Site {
        config: pipeline.config().clone(),
        pages: pipeline.page_counts(),
        static_files: pipeline.static_file_count(),
        output: pipeline.output().clone(),
        warnings,
        elapsed: started.elapsed(),
    }
}

/// What stopped [`build_and_write`].
#[derive(Debug)]
pub enum BuildFailure {
    /// The site has errors; nothing was written.
    Build(BuildErrors),
    Write(WriteError),
}

/// Builds the site and writes it to `out_dir`, replacing what it held, once
/// [`Destination::check`] agrees: never the site itself, its inputs, or a folder of files
/// worklog did not write (unless `force`). The search index, the last stage, is made on
/// a thread of its own while the pages are written.
pub fn build_and_write(
    options: &BuildOptions,
    out_dir: &Path,
    force: bool,
) -> Result<Site, BuildFailure> {
    let started = Instant::now();
    let pipeline = Pipeline::without_search_index(options).map_err(BuildFailure::Build)?;
    let mut site = site_of(&pipeline, started);
    let guarded = inputs::guarded(&options.source, &site.config);
    let dest =
        Destination::check(out_dir, &options.source, &guarded, force).map_err(|refusal| {
            BuildFailure::Write(WriteError {
                message: refusal.0,
                previous_intact: true,
            })
        })?;
    let index = pipeline.search_job();
    let last = |pages: &Output| index.map_or_else(|| Ok(Output::default()), |job| job(pages));
    site.output =
        output::write::write_with(&site.output, &dest, last).map_err(BuildFailure::Write)?;
    site.elapsed = started.elapsed();
    Ok(site)
}
