//! `worklog check --external`: asks every external link of the site whether it is there,
//! a few at a time, each with a timeout, and remembers the ones that answered well for a
//! day, so that running `check` again asks only what it has to.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use crate::pipeline::check::{Kind, Problem};

/// How long a link that answered well is believed without asking again.
const FRESH: Duration = Duration::from_secs(24 * 60 * 60);

pub struct ExternalOptions {
    pub timeout: Duration,
    /// How many requests run at once.
    pub concurrency: usize,
    /// The cache file; `None` to ask every link.
    pub cache: Option<PathBuf>,
}

/// What a link answered: `None` when it is fine, else why not.
type Answer = Option<String>;

#[derive(Serialize, Deserialize, Default)]
struct Cache {
    /// URL → seconds since 1970 when it last answered well.
    fine: BTreeMap<String, u64>,
}

/// The cache file: `$WORKLOG_CACHE_DIR`, else `$XDG_CACHE_HOME/worklog`, else
/// `~/.cache/worklog`, then `external-links.json`.
pub fn default_cache() -> Option<PathBuf> {
    let dir = std::env::var_os("WORKLOG_CACHE_DIR")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("XDG_CACHE_HOME").map(|d| PathBuf::from(d).join("worklog")))
        .or_else(|| {
            std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache").join("worklog"))
        })?;
    Some(dir.join("external-links.json"))
}

/// The links (URL, file, line) that point to nothing, each as a problem of its line.
pub fn check(links: &[(String, PathBuf, usize)], options: &ExternalOptions) -> Vec<Problem> {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let mut cache = options.cache.as_deref().map(read_cache).unwrap_or_default();
    let mut urls: Vec<&str> = links
        .iter()
        .map(|(url, ..)| without_fragment(url))
        .collect();
    urls.sort_unstable();
    urls.dedup();
    let (known, ask): (Vec<&str>, Vec<&str>) = urls.into_iter().partition(|url| {
        cache
            .fine
            .get(*url)
            .is_some_and(|&at| now.saturating_sub(at) < FRESH.as_secs())
    });
    let mut answers: HashMap<&str, Answer> = known.into_iter().map(|u| (u, None)).collect();
    answers.extend(ask_all(&ask, options));
    for (url, answer) in &answers {
        match answer {
            None => {
                cache.fine.entry(url.to_string()).or_insert(now);
            }
            Some(_) => {
                cache.fine.remove(*url);
            }
        }
    }
    if let Some(file) = &options.cache {
        write_cache(file, &cache);
    }
    links
        .iter()
        .filter_map(|(url, file, line)| {
            let why = answers.get(without_fragment(url))?.as_ref()?;
            Some(Problem::of(
                Kind::External,
                file,
                Some(*line),
                format!("link `{url}` {why}"),
            ))
        })
        .collect()
}

fn without_fragment(url: &str) -> &str {
    url.split('#').next().unwrap_or(url)
}

/// Asks every URL, `concurrency` at a time.
fn ask_all<'u>(urls: &[&'u str], options: &ExternalOptions) -> Vec<(&'u str, Answer)> {
    let config = ureq::Agent::config_builder()
        .timeout_global(Some(options.timeout))
        .http_status_as_error(false)
        .user_agent(concat!(
            "worklog/",
            env!("CARGO_PKG_VERSION"),
            " (link check)"
        ))
        .build();
    let agent = ureq::Agent::new_with_config(config);
    let next = AtomicUsize::new(0);
    let answers = Mutex::new(Vec::with_capacity(urls.len()));
    std::thread::scope(|scope| {
        for _ in 0..options.concurrency.clamp(1, 64).min(urls.len()) {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(&url) = urls.get(i) else { break };
                    let answer = ask(&agent, url, options.timeout);
                    answers
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .push((url, answer));
                }
            });
        }
    });
    answers.into_inner().unwrap_or_else(|e| e.into_inner())
}

/// `HEAD`, then `GET` where a server does not take `HEAD` (or refuses it to robots).
fn ask(agent: &ureq::Agent, url: &str, timeout: Duration) -> Answer {
    let status = |response: Result<ureq::http::Response<ureq::Body>, ureq::Error>| {
        response.map(|r| r.status().as_u16())
    };
    let first = status(agent.head(url).call());
    let answer = match first {
        Ok(400 | 403 | 405 | 501) => status(agent.get(url).call()),
        other => other,
    };
    match answer {
        Ok(code) if code < 400 => None,
        Ok(code) => Some(format!("answers {code}")),
        Err(ureq::Error::Timeout(_)) => Some(format!(
            "does not answer within {} s",
            timeout.as_secs_f32()
        )),
        Err(e) => Some(format!("cannot be reached: {e}")),
    }
}

fn read_cache(file: &Path) -> Cache {
    std::fs::read(file)
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or_default()
}

/// Written whole, then renamed: a check stopped halfway leaves the last cache.
fn write_cache(file: &Path, cache: &Cache) {
    let Some(dir) = file.parent() else { return };
    let Ok(json) = serde_json::to_vec(cache) else {
        return;
    };
    let partial = file.with_extension("json.part");
    let written = std::fs::create_dir_all(dir)
        .and_then(|()| std::fs::write(&partial, json))
        .and_then(|()| std::fs::rename(&partial, file));
    if written.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
}
