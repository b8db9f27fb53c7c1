//! `worklog serve`: the site built in memory, served over HTTP, rebuilt on every save of
//! one of its inputs, with the open pages reloaded (or their stylesheets swapped) over a
//! WebSocket on the same port as the pages.
//!
//! Sockets are in [`connections`], request heads in [`request`], answers in [`http`]
//! (files on disk sent a piece at a time by [`body`]),
//! the port in [`listen`], file watching in [`watch`], the browser side in [`live`]. This module wires them to the
//! [`Pipeline`], and keeps a failed rebuild's changes until one succeeds: a save of
//! another file must not hide an error that `worklog build` would still report.

pub mod body;
pub mod connections;
pub mod http;
mod indexer;
pub mod listen;
pub mod live;
pub mod range;
pub mod request;
pub mod watch;
pub mod websocket;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use crate::BuildOptions;
use crate::diagnostics::BuildErrors;
use crate::output::Output;
use crate::pipeline::{Changed, Pipeline};
use crate::search;
use connections::Connections;
use indexer::Indexer;
use live::{Broadcaster, Event};
use watch::{InputFolders, Watcher};

#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub source: PathBuf,
    pub port: u16,
    /// An address or a host name (`127.0.0.1`, `0.0.0.0`, `localhost`).
    pub bind: String,
    pub poll: bool,
    pub drafts: bool,
}

/// What requests are answered from: swapped whole after each good rebuild.
#[derive(Clone)]
pub struct Snapshot {
    pub output: Option<Arc<Output>>,
    pub base_path: String,
    /// The site's errors, while it does not build.
    pub error: Option<String>,
}

pub struct State {
    current: RwLock<Snapshot>,
    pub live: Broadcaster,
}

impl State {
    pub fn snapshot(&self) -> Snapshot {
        self.current
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Changes what is served, with no other change in between.
    fn update<T>(&self, change: impl FnOnce(&mut Snapshot) -> T) -> T {
        change(&mut self.current.write().unwrap_or_else(|e| e.into_inner()))
    }
}

/// A bound server, before it runs: its URL is known, so it can be printed first, and
/// its watcher already runs, so no save made after that is missed.
pub struct Server {
    pub url: String,
    /// Set when the asked port was busy.
    pub busy_port: Option<u16>,
    /// The URL on this machine, when listening on every interface.
    pub local_url: Option<String>,
    pub initial_error: Option<BuildErrors>,
    connections: Connections,
    rebuilds: Rebuilds,
}

/// The rebuild loop's own: the site in the pipeline, and what it tells the pages.
struct Rebuilds {
    state: Arc<State>,
    watcher: Watcher,
    pipeline: Option<Pipeline>,
    /// Inputs by folder name, while there is no pipeline.
    fallback: InputFolders,
    /// Paths changed since the last good rebuild, when the last one failed.
    pending: BTreeSet<PathBuf>,
    options: ServeOptions,
}

impl Server {
    /// Starts watching, builds the site and binds the port (or the next free one).
    pub fn bind(options: ServeOptions) -> Result<Server> {
        let source = &options.source;
        if !source.exists() {
            bail!(
                "no such folder: {} (give the site's folder with --source)",
                source.display()
            );
        }
        if !source.is_dir() {
            bail!(
                "{} is not a folder: give the site's folder with --source",
                source.display()
            );
        }
        let root = std::path::absolute(source).unwrap_or_else(|_| source.clone());
        // Before the build: a save made while it runs is the first rebuild.
        let fallback = InputFolders::read(&root);
        let watcher = Watcher::new(&root, &fallback.folders(), options.poll)
            .context("cannot watch the site's files")?;
        // The search index follows on its own thread once the pages are served.
        let (pipeline, initial_error) =
            match Pipeline::without_search_index(&build_options(&options)) {
                Ok(p) => (Some(p), None),
                Err(e) => (None, Some(e)),
            };
        let base_path = match &pipeline {
            Some(p) => p.config().base_path.clone(),
            None => crate::config::Config::load(source)
                .map(|c| c.base_path)
                .unwrap_or_else(|_| "/".into()),
        };
        let listening = listen::listen(&options.bind, options.port)?;
        let connections =
            Connections::new(listening.listener).context("cannot start the server")?;
        let state = Arc::new(State {
            current: RwLock::new(Snapshot {
                output: pipeline.as_ref().map(|p| Arc::new(p.output().clone())),
                base_path: base_path.clone(),
                error: initial_error.as_ref().map(ToString::to_string),
            }),
            live: connections.broadcaster(),
        });
        let port = listening.port;
        Ok(Server {
            url: format!("http://{}:{port}{base_path}", listening.host),
            busy_port: listening.busy_port,
            local_url: listening
                .all_interfaces
                .then(|| format!("http://localhost:{port}{base_path}")),
            initial_error,
            connections,
            rebuilds: Rebuilds {
                state,
                watcher,
                fallback,
                pipeline,
                pending: BTreeSet::new(),
                options,
            },
        })
    }

    pub fn pipeline(&self) -> Option<&Pipeline> {
        self.rebuilds.pipeline.as_ref()
    }

    /// Serves until the process ends, rebuilding on every change to the site's inputs.
    /// `on_index` hears how long each search index took, once it is served.
    pub fn run(
        self,
        on_rebuild: impl Fn(&RebuildReport),
        on_index: impl Fn(Duration) + Send + 'static,
    ) {
        let workers = std::thread::available_parallelism().map_or(2, |n| n.get().clamp(2, 8));
        let Server {
            connections,
            mut rebuilds,
            ..
        } = self;
        connections.spawn(Arc::clone(&rebuilds.state), workers);
        // What the first build freed.
        release_freed_memory();
        let indexer = Indexer::start(Arc::clone(&rebuilds.state), on_index);
        rebuilds.index_if_stale(&indexer);
        rebuilds.run(on_rebuild, &indexer);
    }
}

impl Rebuilds {
    fn run(&mut self, on_rebuild: impl Fn(&RebuildReport), indexer: &Indexer) {
        while let Some(mut paths) = self.watcher.next_batch(|p| self.is_input(p)) {
            let started = Instant::now();
            // Before the rebuild reads them: an input folder made (or a content folder
            // named in the config) since the last batch is watched from now on, and
            // what it already holds is a change.
            self.fallback.reread();
            paths.extend(self.watcher.watch_folders(&self.fallback.folders()));
            let report = self.rebuild(paths, indexer);
            on_rebuild(&RebuildReport {
                elapsed: started.elapsed(),
                ..report
            });
            // The pages are served and their tabs told; their index follows, off this
            // thread.
            self.index_if_stale(indexer);
            release_freed_memory();
        }
    }

    /// Asks `indexer` for the index of the pages served, when they changed since the last
    /// one was asked for.
    fn index_if_stale(&mut self, indexer: &Indexer) {
        if let Some(pipeline) = self.pipeline.as_mut() {
            let served = self.state.snapshot().output;
            if let Some(pages) = served.filter(|_| pipeline.take_search_stale()) {
                indexer.submit(pages, pipeline.search_pages());
            }
        }
    }

    fn is_input(&self, path: &Path) -> bool {
        match &self.pipeline {
            Some(p) => p.classify(path).is_some(),
            None => self.fallback.contains(path),
        }
    }

    fn rebuild(&mut self, paths: Vec<PathBuf>, indexer: &Indexer) -> RebuildReport {
        // Applied on top of the last good build, the paths of failed rebuilds are still
        // changes: a failing file stays failing until it is saved fixed, or removed.
        self.pending.extend(paths);
        let paths: Vec<PathBuf> = self.pending.iter().cloned().collect();
        let still = self.state.snapshot().error.is_some();
        let result: Result<(Changed, Output), BuildErrors> = match &mut self.pipeline {
            Some(p) => {
                let before = p.output().clone();
                p.apply_to_pages(&paths).map(|c| (c, before))
            }
            None => Pipeline::without_search_index(&build_options(&self.options)).map(|p| {
                let changed = Changed {
                    files: p.output().paths().map(str::to_owned).collect(),
                };
                self.pipeline = Some(p);
                (changed, Output::default())
            }),
        };
        match result {
            Ok((changed, before)) => {
                self.pending.clear();
                let pipeline = self.pipeline.as_ref().expect("built");
                self.state.update(|served| {
                    let mut output = pipeline.output().clone();
                    // The index served is the newest made (see `indexer`), the
                    // pipeline's own an older one.
                    if let Some(newest) = served
                        .output
                        .as_ref()
                        .filter(|_| !pipeline.search_index_current())
                    {
                        search::replace_index(&mut output, Vec::new());
                        output.share_from(newest, search::is_index_file);
                    }
                    // `search = false` now: an index still being made is not laid over
                    // these pages.
                    if !pipeline.searchable() {
                        indexer.forget();
                    }
                    served.error = None;
                    served.output = Some(Arc::new(output));
                    served.base_path = pipeline.config().base_path.clone();
                });
                if still {
                    self.state.live.send(&Event::Ok);
                }
                if let Some(event) = self.event_for(&changed, &before, pipeline.output()) {
                    self.state.live.send(&event);
                }
                RebuildReport {
                    changed: changed.files.len(),
                    error: None,
                    still: false,
                    elapsed: Duration::ZERO,
                }
            }
            Err(errors) => {
                let message = errors.to_string();
                self.state
                    .update(|served| served.error = Some(message.clone()));
                self.state.live.send(&Event::Error {
                    message: message.clone(),
                    still,
                });
                RebuildReport {
                    changed: 0,
                    error: Some(message),
                    still,
                    elapsed: Duration::ZERO,
                }
            }
        }
    }

    fn event_for(&self, changed: &Changed, before: &Output, after: &Output) -> Option<Event> {
        // The search index changes with any page; pages load it when a query asks.
        let changed = Changed {
            files: changed
                .files
                .iter()
                .filter(|f| !crate::search::is_index_file(f))
                .cloned()
                .collect(),
        };
        if changed.files.is_empty() {
            return None;
        }
        let base = self.state.snapshot().base_path;
        if changed.only_css(before, after) {
            let paths = changed
                .files
                .iter()
                .filter(|f| f.ends_with(".css") && after.contains(f))
                .map(|f| format!("{base}{f}"))
                .collect();
            return Some(Event::Css { paths });
        }
        let pages: Vec<String> = changed
            .files
            .iter()
            .filter(|f| f.ends_with(".html"))
            .map(|f| format!("{base}{}", f.strip_suffix("index.html").unwrap_or(f)))
            .collect();
        // A changed script or image can show on any page.
        let all = pages.len() > 500 || changed.files.iter().any(|f| !f.ends_with(".html"));
        Some(Event::Reload {
            paths: if all { Vec::new() } else { pages },
            all,
        })
    }
}

/// Hands the memory a rebuild freed back to the system. The first build renders pages on
/// rayon's threads and a save renders its page on this one; glibc keeps freed memory in
/// the arena it came from, so without this the server grew by about 15 KB for every page
/// edited for the first time (14 MB at 1,000 weeks, `scripts/load-serve --rounds 6`).
fn release_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim takes no pointers; it only returns free pages to the system.
    unsafe {
        libc::malloc_trim(0);
    }
}

fn build_options(options: &ServeOptions) -> BuildOptions {
    BuildOptions {
        source: options.source.clone(),
        base_url: None,
        drafts: options.drafts,
        ..BuildOptions::default()
    }
}

/// One rebuild, for the terminal.
#[derive(Debug, Clone)]
pub struct RebuildReport {
    pub changed: usize,
    pub error: Option<String>,
    /// The site did not build before this rebuild either.
    pub still: bool,
    /// Until the pages were served.
    pub elapsed: Duration,
}
