//! Watching the site: file events from notify, debounced, filtered of editor litter and
//! the output folder, and coalesced so that a burst (a `git checkout`) is one batch.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use notify::RecursiveMode;
use notify_debouncer_full::{DebounceEventResult, new_debouncer, new_debouncer_opt};

/// How long a file must be quiet before its event is passed on.
const DEBOUNCE: Duration = Duration::from_millis(3);
/// A batch of one file (a save) closes when nothing else came for this long: a save
/// shows in the browser within a few milliseconds…
const QUIET_AFTER_ONE: Duration = Duration::from_millis(3);
/// …while a batch of several (a `git checkout`, a copy) waits longer, so that a burst
/// of a thousand files is one rebuild, not dozens.
const QUIET_AFTER_MANY: Duration = Duration::from_millis(80);
/// …or when it has been open this long, whatever keeps coming.
const MAX_BATCH: Duration = Duration::from_millis(1500);

/// Names editors and tools write beside the real file: never a change to the site.
pub fn is_litter(path: &Path) -> bool {
    let Some(name) = path.file_name().map(|n| n.to_string_lossy()) else {
        return true;
    };
    name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".swo")
        || name.ends_with('~')
        || name.starts_with(".#")
        || name == "4913"
        || name == ".DS_Store"
        || name.ends_with(".tmp")
        || name.contains(".goutputstream-")
        || name.ends_with("___jb_tmp___")
        || name.ends_with("___jb_old___")
        || name.ends_with(".crswap")
}

/// The batches of changed paths, one `Vec` per rebuild.
pub struct Watcher {
    _debouncer: Box<dyn std::any::Any + Send>,
    events: Receiver<DebounceEventResult>,
    ignored: Vec<PathBuf>,
}

impl Watcher {
    /// Watches `roots` (recursively) for changes; paths under `ignored` never count.
    pub fn new(roots: &[PathBuf], ignored: Vec<PathBuf>, poll: bool) -> notify::Result<Watcher> {
        let (tx, events) = channel();
        let debouncer: Box<dyn std::any::Any + Send> = if poll {
            let config = notify::Config::default().with_poll_interval(Duration::from_millis(250));
            let mut d = new_debouncer_opt::<_, notify::PollWatcher, _>(
                DEBOUNCE,
                None,
                tx,
                notify_debouncer_full::NoCache,
                config,
            )?;
            for root in roots {
                d.watch(root, RecursiveMode::Recursive)?;
            }
            Box::new(d)
        } else {
            let mut d = new_debouncer(DEBOUNCE, None, tx)?;
            for root in roots {
                d.watch(root, RecursiveMode::Recursive)?;
            }
            Box::new(d)
        };
        Ok(Watcher {
            _debouncer: debouncer,
            events,
            ignored,
        })
    }

    /// Blocks until something changes, then returns every path changed in that burst.
    /// `None` when the watcher is gone.
    pub fn next_batch(&self) -> Option<Vec<PathBuf>> {
        let mut paths = BTreeSet::new();
        while paths.is_empty() {
            let result = self.events.recv().ok()?;
            self.take(result, &mut paths);
        }
        let opened = Instant::now();
        while opened.elapsed() < MAX_BATCH {
            let quiet = if paths.len() > 1 {
                QUIET_AFTER_MANY
            } else {
                QUIET_AFTER_ONE
            };
            match self.events.recv_timeout(quiet) {
                Ok(result) => self.take(result, &mut paths),
                Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => break,
            }
        }
        Some(paths.into_iter().collect())
    }

    fn take(&self, result: DebounceEventResult, into: &mut BTreeSet<PathBuf>) {
        let Ok(events) = result else { return };
        for event in events {
            if event.kind.is_access() {
                continue;
            }
            for path in &event.paths {
                if !is_litter(path) && !self.ignored.iter().any(|i| path.starts_with(i)) {
                    into.insert(path.clone());
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_litter_is_ignored() {
        for litter in [
            ".week.md.swp",
            "week.md~",
            ".#week.md",
            "4913",
            "week.md.tmp",
        ] {
            assert!(is_litter(Path::new(litter)), "{litter}");
        }
        assert!(!is_litter(Path::new("content/_index.md")));
    }
}
