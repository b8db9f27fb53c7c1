//! Output: the built site in memory (path → bytes); [`destination`] says where it may
//! go, [`write`] puts it there.
//!
//! `build` writes it, `serve` answers from it, `deploy` diffs it. Paths are relative,
//! `/`-separated, without a leading slash (`1-worklog/index.html`).
//!
//! A page is kept as its own HTML plus a handle on a fragment every page shares (the
//! navigation tree): the site in memory grows with N, not N², and a page's bytes are
//! joined only when written or served.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

pub mod destination;
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

#[derive(Debug)]
pub enum Content {
    Bytes(Vec<u8>),
    /// `parts[0] fragment parts[1] fragment … parts[n]`.
    Spliced {
        parts: Vec<String>,
        fragment: Box<dyn SharedFragment>,
    },
}

impl Content {
    /// Whether two contents give the same bytes, without joining spliced pages.
    pub fn same_as(&self, other: &Content) -> bool {
        self.same_after(other, |b| b.to_vec())
    }

    /// Whether two contents are equal once `normalise` is applied to their own bytes
    /// (the shared fragment excepted), without joining spliced pages.
    pub fn same_after(&self, other: &Content, normalise: impl Fn(&[u8]) -> Vec<u8>) -> bool {
        match (self, other) {
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

    pub fn bytes(&self) -> Cow<'_, [u8]> {
        match self {
            Content::Bytes(b) => Cow::Borrowed(b),
            Content::Spliced { parts, fragment } => {
                let mut s = String::with_capacity(
                    parts.iter().map(String::len).sum::<usize>() + fragment.len_hint(),
                );
                for (i, part) in parts.iter().enumerate() {
                    if i > 0 {
                        fragment.write_to(&mut s);
                    }
                    s.push_str(part);
                }
                Cow::Owned(s.into_bytes())
            }
        }
    }
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

    pub fn insert_content(&mut self, path: impl Into<String>, content: Content) {
        self.files.insert(path.into(), Arc::new(content));
    }

    pub fn content(&self, path: &str) -> Option<&Content> {
        self.files.get(path).map(Arc::as_ref)
    }

    pub fn get(&self, path: &str) -> Option<Cow<'_, [u8]>> {
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

    pub fn remove(&mut self, path: &str) {
        self.files.remove(path);
    }

    /// Paths whose bytes differ between `self` and `newer`, including added and removed ones.
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

/// FNV-1a: a small, stable hash for change detection and cache busting.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ b as u64).wrapping_mul(0x0100_0000_01b3)
    })
}
