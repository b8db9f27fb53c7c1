//! `worklog serve`: the site built in memory, served over HTTP, rebuilt on every save,
//! with the browser reloaded (or its stylesheet swapped) by Server-Sent Events.
//!
//! HTTP answering is in [`http`], file watching in [`watch`], the browser side in
//! [`live`]. This module wires them to the [`Pipeline`].

pub mod http;
pub mod live;
pub mod watch;

use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};

use crate::BuildOptions;
use crate::diagnostics::BuildErrors;
use crate::output::Output;
use crate::pipeline::{Changed, Pipeline};
use live::{Broadcaster, Event};

#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub source: PathBuf,
    pub port: u16,
    pub bind: IpAddr,
    pub poll: bool,
    pub drafts: bool,
}

/// How many ports after the asked one are tried when it is busy.
const PORT_TRIES: u16 = 20;
const HTTP_WORKERS: usize = 4;

/// What requests are answered from: swapped whole after each good rebuild.
#[derive(Clone)]
pub struct Snapshot {
    pub output: Option<Arc<Output>>,
    pub base_path: String,
    /// The last rebuild's errors, when it failed.
    pub error: Option<String>,
}

pub struct State {
    current: Arc<RwLock<Snapshot>>,
    pub live: Arc<Broadcaster>,
    /// Where browsers get their events from.
    pub events_port: u16,
}

impl State {
    pub fn snapshot(&self) -> Snapshot {
        self.current
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    fn set(&self, snapshot: Snapshot) {
        *self.current.write().unwrap_or_else(|e| e.into_inner()) = snapshot;
    }
}

/// A bound server, before it runs: its URL is known, so it can be printed first.
pub struct Server {
    http: Arc<tiny_http::Server>,
    pub url: String,
    /// Set when the asked port was busy.
    pub busy_port: Option<u16>,
    state: Arc<State>,
    pipeline: Option<Pipeline>,
    options: ServeOptions,
    pub initial_error: Option<BuildErrors>,
}

impl Server {
    /// Builds the site and binds the port (or the next free one).
    pub fn bind(options: ServeOptions) -> Result<Server> {
        let build = BuildOptions {
            source: options.source.clone(),
            base_url: None,
            drafts: options.drafts,
        };
        let (pipeline, initial_error) = match Pipeline::new(&build) {
            Ok(p) => (Some(p), None),
            Err(e) => (None, Some(e)),
        };
        let base_path = match &pipeline {
            Some(p) => p.config().base_path.clone(),
            None => crate::config::Config::load(&options.source)
                .map(|c| c.base_path)
                .unwrap_or_else(|_| "/".into()),
        };
        let (listener, port) = bind_port(options.bind, options.port)?;
        let http =
            tiny_http::Server::from_listener(listener, None).map_err(|e| anyhow::anyhow!("{e}"))?;
        let host = if options.bind.is_unspecified() {
            "127.0.0.1".to_string()
        } else {
            options.bind.to_string()
        };
        let host = if host.contains(':') {
            format!("[{host}]")
        } else {
            host
        };
        let current = Arc::new(RwLock::new(Snapshot {
            output: pipeline.as_ref().map(|p| Arc::new(p.output().clone())),
            base_path: base_path.clone(),
            error: initial_error.as_ref().map(ToString::to_string),
        }));
        let live = Arc::new(Broadcaster::default());
        let errors = Arc::clone(&current);
        let events_port = live::listen(options.bind, Arc::clone(&live), move || {
            errors
                .read()
                .unwrap_or_else(|e| e.into_inner())
                .error
                .clone()
        })
        .context("cannot open the live reload port")?;
        let state = Arc::new(State {
            current,
            live,
            events_port,
        });
        Ok(Server {
            http: Arc::new(http),
            url: format!("http://{host}:{port}{base_path}"),
            busy_port: (port != options.port).then_some(options.port),
            state,
            pipeline,
            options,
            initial_error,
        })
    }

    pub fn pipeline(&self) -> Option<&Pipeline> {
        self.pipeline.as_ref()
    }

    /// Serves until the process ends, rebuilding on every change.
    pub fn run(mut self, on_rebuild: impl Fn(&RebuildReport)) -> Result<()> {
        for _ in 0..HTTP_WORKERS {
            let http = Arc::clone(&self.http);
            let state = Arc::clone(&self.state);
            std::thread::spawn(move || {
                while let Ok(request) = http.recv() {
                    http::answer(request, &state);
                }
            });
        }
        let state = Arc::clone(&self.state);
        std::thread::spawn(move || {
            loop {
                std::thread::sleep(Duration::from_secs(15));
                state.live.keep_alive();
            }
        });

        let source = std::path::absolute(&self.options.source)
            .unwrap_or_else(|_| self.options.source.clone());
        let roots = vec![source.clone()];
        let ignored = vec![
            source.join("public"),
            source.join(".git"),
            source.join("target"),
        ];
        let watcher = watch::Watcher::new(&roots, ignored, self.options.poll)
            .context("cannot watch the site's files")?;
        while let Some(paths) = watcher.next_batch() {
            let started = Instant::now();
            let report = self.rebuild(&paths);
            on_rebuild(&RebuildReport {
                elapsed: started.elapsed(),
                ..report
            });
        }
        Ok(())
    }

    fn rebuild(&mut self, paths: &[PathBuf]) -> RebuildReport {
        let build = BuildOptions {
            source: self.options.source.clone(),
            base_url: None,
            drafts: self.options.drafts,
        };
        let mut snapshot = self.state.snapshot();
        let result: Result<(Changed, Output), BuildErrors> = match &mut self.pipeline {
            Some(p) => {
                let before = p.output().clone();
                p.apply(paths).map(|c| (c, before))
            }
            None => Pipeline::new(&build).map(|p| {
                let changed = Changed {
                    files: p.output().paths().map(str::to_owned).collect(),
                };
                self.pipeline = Some(p);
                (changed, Output::default())
            }),
        };
        match result {
            Ok((changed, before)) => {
                let pipeline = self.pipeline.as_ref().expect("built");
                let was_broken = snapshot.error.take().is_some();
                snapshot.output = Some(Arc::new(pipeline.output().clone()));
                snapshot.base_path = pipeline.config().base_path.clone();
                self.state.set(snapshot);
                if was_broken {
                    self.state.live.send(&Event::Ok);
                }
                let event = self.event_for(&changed, &before, pipeline.output());
                if let Some(event) = &event {
                    self.state.live.send(event);
                }
                RebuildReport {
                    changed: changed.files.len(),
                    error: None,
                    elapsed: Duration::ZERO,
                }
            }
            Err(errors) => {
                let message = errors.to_string();
                snapshot.error = Some(message.clone());
                self.state.set(snapshot);
                self.state.live.send(&Event::Error {
                    message: message.clone(),
                });
                RebuildReport {
                    changed: 0,
                    error: Some(message),
                    elapsed: Duration::ZERO,
                }
            }
        }
    }

    fn event_for(&self, changed: &Changed, before: &Output, after: &Output) -> Option<Event> {
        if changed.files.is_empty() {
            return None;
        }
        let base = self.state.snapshot().base_path;
        if changed.only_css(before, after) {
            let paths = changed
                .files
                .iter()
                .filter(|f| f.ends_with(".css"))
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

/// One rebuild, for the terminal.
#[derive(Debug, Clone)]
pub struct RebuildReport {
    pub changed: usize,
    pub error: Option<String>,
    pub elapsed: Duration,
}

fn bind_port(ip: IpAddr, port: u16) -> Result<(TcpListener, u16)> {
    let mut last_error = None;
    for p in port..port.saturating_add(PORT_TRIES) {
        match TcpListener::bind(SocketAddr::new(ip, p)) {
            Ok(l) => {
                // Accepted connections inherit this (on Linux): tiny_http writes a response
                // in pieces, and with Nagle's algorithm each piece after the first on a
                // kept-alive connection waited ~45 ms for the browser's delayed ACK.
                socket2::SockRef::from(&l).set_tcp_nodelay(true)?;
                let actual = l.local_addr()?.port();
                return Ok((l, actual));
            }
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => last_error = Some(e),
            Err(e) => return Err(e).with_context(|| format!("cannot listen on {ip}:{p}")),
        }
    }
    Err(last_error
        .map(anyhow::Error::from)
        .unwrap_or_else(|| anyhow::anyhow!("no port")))
    .with_context(|| {
        format!(
            "ports {port} to {} are all busy: choose another with --port",
            port.saturating_add(PORT_TRIES - 1)
        )
    })
}
