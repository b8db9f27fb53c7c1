//! Output: the built site (path → bytes, or a file on disk); [`destination`] says where
//! it may go, [`write`] puts it there.
//!
//! `build` writes it, `serve` answers from it, `deploy` diffs it. Paths are relative,
//! `/`-separated, without a leading slash (`1-worklog/index.html`).
//!
//! A page is kept as its own HTML plus a handle on a fragment every page shares (the
//! navigation tree): the site in memory grows with N, not N², and a page's bytes are
//! joined only when written or served. A static or bundle file stays on disk: the output
//! holds its path, size and content hash, so memory does not grow with `static/`.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::fs::{File, Metadata};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

pub mod destination;
mod files;
pub mod hash;
mod lock;
pub mod write;

pub use destination::Destination;
pub use write::{MARKER, WriteError};

/// A piece of HTML shared by many files, written into each with per-file details.
pub trait SharedFragment: Send + Sync + fmt::Debug {
    fn write_to(&self, out: &mut String);
    fn len_hint(&self) -> usize;
    /// Equal fingerprints mean equal output: lets a rebuild tell which files changed
    /// without joining every page.
    fn fingerprint(&self) -> u64;
}

/// A file published as it is on disk: a static file, or one of a bundle's `files/`.
#[derive(Debug, Clone)]
pub struct StaticFile {
    /// Where it is read from; a symbolic link is read through, never copied as a link.
    pub source: PathBuf,
    pub size: u64,
    /// [`hash::hash_bytes`] of its bytes when the build read it.
    pub hash: u64,
    /// When it was last changed as the build read it: a write that finds it changed
    /// since then stops, rather than publish bytes the output does not describe.
    modified: Option<SystemTime>,
}

impl StaticFile {
    /// Reads `source` through once, for its size and hash; its bytes are not kept.
    pub fn read(source: &Path) -> io::Result<StaticFile> {
        let file = File::open(source)?;
        let meta = file.metadata()?;
        let (size, hash) = hash::hash_reader(&file, meta.len())?;
        Ok(StaticFile {
            source: source.to_path_buf(),
            size,
            hash,
            modified: meta.modified().ok(),
        })
    }

    /// Whether the file, as `meta` describes it now, is still what the build read.
    pub fn unchanged(&self, meta: &Metadata) -> bool {
        meta.len() == self.size && meta.modified().ok() == self.modified
    }

    fn same_bytes(&self, bytes: &[u8]) -> bool {
        bytes.len() as u64 == self.size && hash::hash_bytes(bytes) == self.hash
    }
}

#[derive(Debug)]
pub enum Content {
    Bytes(Vec<u8>),
    /// `parts[0] fragment parts[1] fragment … parts[n]`.
    Spliced {
        parts: Vec<String>,
        fragment: Box<dyn SharedFragment>,
    },
    /// A file on disk, read when written or served.
    File(StaticFile),
}

impl Content {
    /// Whether two contents give the same bytes, without joining spliced pages or
    /// reading files: files on disk are compared by size and hash, wherever they are.
    pub fn same_as(&self, other: &Content) -> bool {
        self.same_after(other, |b| b.to_vec())
    }

    /// Whether two contents are equal once `normalise` is applied to their own bytes
    /// (the shared fragment excepted), without joining spliced pages. A file on disk is
    /// compared as it is.
    pub fn same_after(&self, other: &Content, normalise: impl Fn(&[u8]) -> Vec<u8>) -> bool {
        match (self, other) {
            (Content::File(a), Content::File(b)) => a.size == b.size && a.hash == b.hash,
            (Content::File(f), Content::Bytes(b)) | (Content::Bytes(b), Content::File(f)) => {
                f.same_bytes(b)
            }
            (Content::Bytes(a), Content::Bytes(b)) => a == b || normalise(a) == normalise(b),
            (
                Content::Spliced {
                    parts: a,
                    fragment: fa,
                },
                Content::Spliced {
                    parts: b,
                    fragment: fb,
                },
            ) => {
                fa.fingerprint() == fb.fingerprint()
                    && a.len() == b.len()
                    && a.iter()
                        .zip(b)
                        .all(|(x, y)| x == y || normalise(x.as_bytes()) == normalise(y.as_bytes()))
            }
            _ => false,
        }
    }

    /// The bytes: a spliced page joined, a file on disk read now.
    pub fn bytes(&self) -> io::Result<Cow<'_, [u8]>> {
        match self {
            Content::Bytes(b) => Ok(Cow::Borrowed(b)),
            Content::Spliced { parts, fragment } => {
                Ok(Cow::Owned(joined(parts, fragment.as_ref())))
            }
            Content::File(f) => std::fs::read(&f.source).map(Cow::Owned),
        }
    }

    /// The content hash ([`hash::hash_bytes`]): a file's as the build read it.
    pub fn hash(&self) -> u64 {
        match self {
            Content::Bytes(b) => hash::hash_bytes(b),
            Content::Spliced { parts, fragment } => {
                hash::hash_bytes(&joined(parts, fragment.as_ref()))
            }
            Content::File(f) => f.hash,
        }
    }

    /// The length in bytes: a file's as the build read it.
    pub fn size(&self) -> u64 {
        match self {
            Content::Bytes(b) => b.len() as u64,
            Content::Spliced { parts, fragment } => joined(parts, fragment.as_ref()).len() as u64,
            Content::File(f) => f.size,
        }
    }
}

fn joined(parts: &[String], fragment: &dyn SharedFragment) -> Vec<u8> {
    let mut s =
        String::with_capacity(parts.iter().map(String::len).sum::<usize>() + fragment.len_hint());
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            fragment.write_to(&mut s);
        }
        s.push_str(part);
    }
    s.into_bytes()
}

/// Contents are shared: a rebuild that changes one page copies pointers, not the site.
#[derive(Debug, Default, Clone)]
pub struct Output {
    files: BTreeMap<String, Arc<Content>>,
}

impl Output {
    pub fn insert(&mut self, path: impl Into<String>, bytes: Vec<u8>) {
        self.files
            .insert(path.into(), Arc::new(Content::Bytes(bytes)));
    }

    /// Adds `other`'s files, in place of any of the same path.
    pub fn extend(&mut self, other: Output) {
        self.files.extend(other.files);
    }

    pub fn insert_file(&mut self, path: impl Into<String>, file: StaticFile) {
        self.files
            .insert(path.into(), Arc::new(Content::File(file)));
    }

    pub fn insert_content(&mut self, path: impl Into<String>, content: Content) {
        self.files.insert(path.into(), Arc::new(content));
    }

    /// Publishes the content of `from` under `to` as well, sharing it.
    pub fn insert_copy(&mut self, from: &str, to: impl Into<String>) {
        if let Some(content) = self.files.get(from).cloned() {
            self.files.insert(to.into(), content);
        }
    }

    pub fn content(&self, path: &str) -> Option<&Content> {
        self.files.get(path).map(Arc::as_ref)
    }

    /// The bytes of one file, read from disk for a static file.
    pub fn get(&self, path: &str) -> Option<io::Result<Cow<'_, [u8]>>> {
        self.files.get(path).map(|c| c.bytes())
    }

    pub fn contains(&self, path: &str) -> bool {
        self.files.contains_key(path)
    }

    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &Content)> {
        self.files.iter().map(|(k, v)| (k.as_str(), v.as_ref()))
    }

    /// Adds the files of `other` that `keep` selects and `self` lacks, shared, not copied.
    pub fn share_from(&mut self, other: &Output, keep: impl Fn(&str) -> bool) {
        for (path, content) in &other.files {
            if keep(path) && !self.files.contains_key(path) {
                self.files.insert(path.clone(), Arc::clone(content));
            }
        }
    }

    pub fn remove(&mut self, path: &str) {
        self.files.remove(path);
    }

    /// Paths whose bytes differ between `self` and `newer`, including added and removed
    /// ones. A static file counts as changed when its hash did, whatever its path.
    pub fn changed_paths(&self, newer: &Output) -> Vec<String> {
        let mut changed: Vec<String> = newer
            .files
            .iter()
            .filter(|(p, c)| match self.files.get(*p) {
                Some(old) => !Arc::ptr_eq(old, c) && !old.same_as(c),
                None => true,
            })
            .map(|(p, _)| p.clone())
            .collect();
        changed.extend(
            self.files
                .keys()
                .filter(|p| !newer.files.contains_key(*p))
                .cloned(),
        );
        changed.sort();
        changed
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

/// FNV-1a: a small, stable hash for fingerprints of what a page was made from. Files'
/// contents take [`hash::hash_bytes`], which is faster over many bytes.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ b as u64).wrapping_mul(0x0100_0000_01b3)
    })
}
