//! Watching the site: file events from notify, filtered of editor litter and of anything
//! that is not an input of the site, and coalesced so that a burst (a `git checkout`) is
//! one batch.
//!
//! Only the input folders are watched, each recursively, and the site's folder itself
//! without its subfolders (for the config files, and for an input folder made later): an
//! old `public/`, `.git` or `node_modules` beside the content costs nothing, where with
//! `--poll` it cost a scan of every file four times a second.
//!
//! Which paths are inputs is the pipeline's to say ([`crate::pipeline::Pipeline::classify`]);
//! [`InputFolders`] says it, by folder names alone, while there is no pipeline yet.

use std::collections::{BTreeMap, BTreeSet};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use notify::RecursiveMode;

use crate::inputs::is_litter;

use crate::config::{CONFIG_FILES, Config};

/// A batch of one file (a save) closes when nothing else came for this long: a save
/// shows in the browser within a few milliseconds…
const QUIET_AFTER_ONE: Duration = Duration::from_millis(3);
/// …while a batch of several (a `git checkout`, a copy) waits longer, so that a burst
/// of a thousand files is one rebuild, not dozens.
const QUIET_AFTER_MANY: Duration = Duration::from_millis(80);
/// …or when it has been open this long, whatever keeps coming.
const MAX_BATCH: Duration = Duration::from_millis(1500);

/// The batches of changed paths, one `Vec` per rebuild. Events come straight from
/// notify: the batching below is the only debouncing, so an idle server sleeps (a
/// debouncer's timer woke it over a thousand times a second).
pub struct Watcher {
    backend: Box<dyn notify::Watcher + Send>,
    events: Receiver<notify::Result<notify::Event>>,
    /// The folders watched recursively, with the device and inode each had then: one
    /// removed and made again between two batches is a new folder to watch.
    folders: BTreeMap<PathBuf, (u64, u64)>,
}

impl Watcher {
    /// Watches `root` (not its subfolders) and each of `folders` that exists,
    /// recursively.
    pub fn new(root: &Path, folders: &[PathBuf], poll: bool) -> notify::Result<Watcher> {
        let (tx, events) = channel();
        let mut backend: Box<dyn notify::Watcher + Send> = if poll {
            let config = notify::Config::default().with_poll_interval(Duration::from_millis(250));
            Box::new(notify::PollWatcher::new(tx, config)?)
        } else {
            Box::new(notify::recommended_watcher(tx)?)
        };
        backend.watch(root, RecursiveMode::NonRecursive)?;
        let mut watcher = Watcher {
            backend,
            events,
            folders: BTreeMap::new(),
        };
        watcher.watch_folders(folders);
        Ok(watcher)
    }

    /// Watches each of `folders` that exists and is not watched yet, and stops watching
    /// those that are gone or were not asked for. Returns the folders newly watched:
    /// their files may have changed before the watch began.
    pub fn watch_folders(&mut self, folders: &[PathBuf]) -> Vec<PathBuf> {
        let wanted: BTreeMap<&PathBuf, (u64, u64)> = folders
            .iter()
            .filter_map(|f| {
                let meta = f.metadata().ok().filter(|m| m.is_dir())?;
                Some((f, (meta.dev(), meta.ino())))
            })
            .collect();
        let stale: Vec<PathBuf> = self
            .folders
            .iter()
            .filter(|(folder, id)| wanted.get(folder) != Some(id))
            .map(|(folder, _)| folder.clone())
            .collect();
        for folder in stale {
            // A removed folder's watch is already gone: nothing to report.
            let _ = self.backend.unwatch(&folder);
            self.folders.remove(&folder);
        }
        let mut added = Vec::new();
        for (folder, id) in wanted {
            if self.folders.contains_key(folder) {
                continue;
            }
            if self.backend.watch(folder, RecursiveMode::Recursive).is_ok() {
                self.folders.insert(folder.clone(), id);
                added.push(folder.clone());
            }
        }
        added
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

fn take(
    result: notify::Result<notify::Event>,
    wanted: impl Fn(&Path) -> bool,
    into: &mut BTreeSet<PathBuf>,
) {
    let Ok(event) = result else { return };
    if event.kind.is_access() {
        return;
    }
    for path in &event.paths {
        if !is_litter(path) && wanted(path) {
            into.insert(path.clone());
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
        let mut inputs = InputFolders {
            root: root.to_path_buf(),
            content_dirs: Vec::new(),
        };
        inputs.reread();
        inputs
    }

    /// Reads the languages' content folders from the config again; a config that cannot
    /// be read leaves them as they were.
    pub fn reread(&mut self) {
        if let Ok(config) = Config::load(&self.root) {
            self.content_dirs = config
                .languages
                .iter()
                .filter_map(|l| l.content_dir.as_ref().map(PathBuf::from))
                .collect();
        }
    }

    /// The folders to watch recursively, whether they exist or not; none inside another.
    pub fn folders(&self) -> Vec<PathBuf> {
        let all: Vec<PathBuf> = INPUT_FOLDERS
            .iter()
            .map(PathBuf::from)
            .chain(self.content_dirs.iter().cloned())
            .collect();
        all.iter()
            .filter(|f| !all.iter().any(|other| other != *f && f.starts_with(other)))
            .map(|f| self.root.join(f))
            .collect()
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
