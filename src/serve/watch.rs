//! Watching the site: file events from notify, debounced, filtered of editor litter and
//! of anything that is not an input of the site, and coalesced so that a burst (a `git
//! checkout`) is one batch.
//!
//! Which paths are inputs is the pipeline's to say ([`crate::pipeline::Pipeline::classify`]);
//! [`InputFolders`] says it, by folder names alone, while there is no pipeline yet.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use notify::RecursiveMode;

use crate::inputs::is_litter;

use crate::config::{CONFIG_FILES, Config};
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

/// The batches of changed paths, one `Vec` per rebuild.
pub struct Watcher {
    _debouncer: Box<dyn std::any::Any + Send>,
    events: Receiver<DebounceEventResult>,
}

impl Watcher {
    /// Watches `roots` (recursively) for changes.
    pub fn new(roots: &[PathBuf], poll: bool) -> notify::Result<Watcher> {
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
        })
    }

    /// Blocks until a path that is `wanted` changes, then returns every wanted path
    /// changed in that burst. Others neither open a batch nor keep it open: a log file
    /// written all the time in the site folder must not delay a save, nor rebuild.
    /// `None` when the watcher is gone.
    pub fn next_batch(&self, wanted: impl Fn(&Path) -> bool) -> Option<Vec<PathBuf>> {
        let mut paths = BTreeSet::new();
        while paths.is_empty() {
            let result = self.events.recv().ok()?;
            take(result, &wanted, &mut paths);
        }
        let opened = Instant::now();
        while opened.elapsed() < MAX_BATCH {
            let quiet = if paths.len() > 1 {
                QUIET_AFTER_MANY
            } else {
                QUIET_AFTER_ONE
            };
            match self.events.recv_timeout(quiet) {
                Ok(result) => take(result, &wanted, &mut paths),
                Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => break,
            }
        }
        Some(paths.into_iter().collect())
    }
}

fn take(result: DebounceEventResult, wanted: impl Fn(&Path) -> bool, into: &mut BTreeSet<PathBuf>) {
    let Ok(events) = result else { return };
    for event in events {
        if event.kind.is_access() {
            continue;
        }
        for path in &event.paths {
            if !is_litter(path) && wanted(path) {
                into.insert(path.clone());
            }
        }
    }
}

/// The folders a site is read from, at its root.
const INPUT_FOLDERS: [&str; 7] = [
    "content",
    "static",
    "themes",
    "templates",
    "i18n",
    "archetypes",
    "layouts",
];

/// The site's inputs by folder name, for when the site has not built yet and there is no
/// pipeline to ask: the input folders, config files, and the languages' content folders
/// when the config can be read.
pub struct InputFolders {
    root: PathBuf,
    content_dirs: Vec<PathBuf>,
}

impl InputFolders {
    /// `root` as the watcher names it (absolute).
    pub fn read(root: &Path) -> InputFolders {
        let content_dirs = Config::load(root)
            .map(|c| {
                c.languages
                    .iter()
                    .filter_map(|l| l.content_dir.as_ref().map(PathBuf::from))
                    .collect()
            })
            .unwrap_or_default();
        InputFolders {
            root: root.to_path_buf(),
            content_dirs,
        }
    }

    pub fn contains(&self, path: &Path) -> bool {
        let Ok(rel) = path.strip_prefix(&self.root) else {
            return false;
        };
        let Some(first) = rel.components().next() else {
            return false;
        };
        let first = first.as_os_str().to_string_lossy();
        INPUT_FOLDERS.contains(&first.as_ref())
            || (CONFIG_FILES.contains(&first.as_ref()) && rel.components().count() == 1)
            || self.content_dirs.iter().any(|d| rel.starts_with(d))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_a_pipeline_only_the_input_folders_and_config_count() {
        let site = tempfile::tempdir().unwrap();
        std::fs::write(
            site.path().join("config.toml"),
            "[languages.vi]\ncontentDir = \"content_vi\"\n",
        )
        .unwrap();
        let inputs = InputFolders::read(site.path());
        for input in [
            "content/_index.md",
            "static/a.css",
            "themes/t/templates/page.html",
            "templates/page.html",
            "i18n/vi.toml",
            "archetypes/default.md",
            "layouts/x.html",
            "config.toml",
            "worklog.toml",
            "content_vi/_index.md",
        ] {
            assert!(inputs.contains(&site.path().join(input)), "{input}");
        }
        for other in [
            "serve.log",
            "public/index.html",
            ".git/index",
            "node_modules/x/config.toml",
            "notes/config.toml",
            "contentx/a.md",
        ] {
            assert!(!inputs.contains(&site.path().join(other)), "{other}");
        }
        assert!(!inputs.contains(Path::new("/elsewhere/content/a.md")));
    }
}
