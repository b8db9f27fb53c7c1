//! A whole folder tree as data (files with their bytes, folders, symlinks with their
//! targets), to show that a command changed nothing outside where it may write.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    File(Vec<u8>),
    Folder,
    Link(PathBuf),
}

/// Every entry under `root`, by path relative to it; symlinks are not followed.
pub fn snapshot(root: &Path) -> BTreeMap<PathBuf, Entry> {
    walkdir::WalkDir::new(root)
        .min_depth(1)
        .into_iter()
        .map(|e| {
            let e = e.unwrap();
            let rel = e.path().strip_prefix(root).unwrap().to_path_buf();
            let entry = if e.path_is_symlink() {
                Entry::Link(std::fs::read_link(e.path()).unwrap())
            } else if e.file_type().is_dir() {
                Entry::Folder
            } else {
                Entry::File(std::fs::read(e.path()).unwrap())
            };
            (rel, entry)
        })
        .collect()
}

/// Asserts that `after` equals `before` everywhere but under `except` (relative paths).
pub fn assert_unchanged_outside(
    before: &BTreeMap<PathBuf, Entry>,
    after: &BTreeMap<PathBuf, Entry>,
    except: &[&Path],
) {
    let outside = |m: &BTreeMap<PathBuf, Entry>| -> Vec<(PathBuf, Entry)> {
        m.iter()
            .filter(|(p, _)| !except.iter().any(|e| p.starts_with(e)))
            .map(|(p, e)| (p.clone(), e.clone()))
            .collect()
    };
    let (b, a) = (outside(before), outside(after));
    let gone: Vec<_> = b.iter().filter(|x| !a.contains(x)).map(|x| &x.0).collect();
    let new: Vec<_> = a.iter().filter(|x| !b.contains(x)).map(|x| &x.0).collect();
    assert!(
        gone.is_empty() && new.is_empty(),
        "changed outside {except:?}: removed or altered {gone:?}, added or altered {new:?}"
    );
}
