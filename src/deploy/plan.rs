//! What a deploy does, decided from what is built, what the bucket lists and the
//! manifest: a pure function, so every case is tested without a server.

use std::collections::BTreeMap;

use super::manifest::{Entry, Manifest};
use super::rules::Headers;

/// An object the site should have.
#[derive(Debug, Clone, PartialEq)]
pub struct Local {
    /// Its key in the bucket, the target's prefix included.
    pub key: String,
    /// The output path it comes from (`1-worklog/index.html`).
    pub path: String,
    /// Hex MD5 of its bytes.
    pub md5: String,
    pub size: u64,
    pub headers: Headers,
}

/// Why an object is uploaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    New,
    Changed,
    /// Same bytes, other headers than the rules give now.
    Headers,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Upload {
    pub local: Local,
    pub reason: Reason,
}

#[derive(Debug, Default)]
pub struct Plan {
    pub uploads: Vec<Upload>,
    /// Keys of objects the site no longer has.
    pub deletes: Vec<String>,
    /// Objects left as they are, with their manifest entries.
    pub unchanged: Vec<(String, Entry)>,
}

impl Plan {
    /// The output paths (or the keys, under the prefix, of deleted objects) whose URLs
    /// served something else before: what a CDN must forget. New objects are not among
    /// them: nothing was cached for them.
    pub fn changed_keys(&self) -> Vec<&str> {
        let mut keys: Vec<&str> = self
            .uploads
            .iter()
            .filter(|u| u.reason != Reason::New)
            .map(|u| u.local.key.as_str())
            .chain(self.deletes.iter().map(String::as_str))
            .collect();
        keys.sort_unstable();
        keys.dedup();
        keys
    }

    pub fn upload_bytes(&self) -> u64 {
        self.uploads.iter().map(|u| u.local.size).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.uploads.is_empty() && self.deletes.is_empty()
    }
}

/// Compares `locals` with the bucket's listing (key → ETag, quotes removed) and the
/// manifest. `manifest_key` is never deleted.
pub fn plan(
    locals: Vec<Local>,
    remote: &BTreeMap<String, String>,
    manifest: &Manifest,
    manifest_key: &str,
    force: bool,
) -> Plan {
    let mut plan = Plan::default();
    for local in &locals {
        let reason = match (remote.get(&local.key), manifest.objects.get(&local.key)) {
            (None, _) => Some(Reason::New),
            (Some(_), _) if force => Some(Reason::Changed),
            // Uploaded by worklog, untouched since: the manifest knows its bytes and
            // headers, even when the ETag is not an MD5 (an upload in parts).
            (Some(etag), Some(entry)) if entry.etag == *etag => {
                if entry.md5 != local.md5 {
                    Some(Reason::Changed)
                } else if entry.content_type != local.headers.content_type
                    || entry.cache_control != local.headers.cache_control
                {
                    Some(Reason::Headers)
                } else {
                    None
                }
            }
            // Not known to the manifest, or changed since: its headers are unknown.
            (Some(etag), _) if *etag == local.md5 => Some(Reason::Headers),
            (Some(_), _) => Some(Reason::Changed),
        };
        match reason {
            Some(reason) => plan.uploads.push(Upload {
                local: local.clone(),
                reason,
            }),
            None => plan
                .unchanged
                .push((local.key.clone(), manifest.objects[&local.key].clone())),
        }
    }
    let wanted: std::collections::HashSet<&str> = locals.iter().map(|l| l.key.as_str()).collect();
    plan.deletes = remote
        .keys()
        .filter(|k| !wanted.contains(k.as_str()) && *k != manifest_key)
        .cloned()
        .collect();
    plan
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deploy::rules::{IMMUTABLE, REVALIDATE};

    fn local(key: &str, md5: &str, cache: &str) -> Local {
        Local {
            key: key.into(),
            path: key.into(),
            md5: md5.into(),
            size: 10,
            headers: Headers {
                content_type: "text/html; charset=utf-8".into(),
                cache_control: cache.into(),
            },
        }
    }

    fn entry(md5: &str, etag: &str, cache: &str) -> Entry {
        Entry {
            md5: md5.into(),
            etag: etag.into(),
            content_type: "text/html; charset=utf-8".into(),
            cache_control: cache.into(),
        }
    }

    fn manifest(entries: &[(&str, Entry)]) -> Manifest {
        Manifest {
            objects: entries
                .iter()
                .map(|(k, e)| (k.to_string(), e.clone()))
                .collect(),
            pending_invalidation: Vec::new(),
        }
    }

    fn remote(entries: &[(&str, &str)]) -> BTreeMap<String, String> {
        entries
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn reasons(plan: &Plan) -> Vec<(&str, Reason)> {
        plan.uploads
            .iter()
            .map(|u| (u.local.key.as_str(), u.reason))
            .collect()
    }

    #[test]
    fn new_changed_unchanged_and_gone() {
        let plan = plan(
            vec![
                local("a.html", "11", REVALIDATE),
                local("b.html", "22", REVALIDATE),
                local("c.html", "33", REVALIDATE),
            ],
            &remote(&[
                ("b.html", "22"),
                ("c.html", "30"),
                ("old.html", "44"),
                (".m", "x"),
            ]),
            &manifest(&[
                ("b.html", entry("22", "22", REVALIDATE)),
                ("c.html", entry("30", "30", REVALIDATE)),
            ]),
            ".m",
            false,
        );
        assert_eq!(
            reasons(&plan),
            [("a.html", Reason::New), ("c.html", Reason::Changed)]
        );
        assert_eq!(plan.deletes, ["old.html"]);
        assert_eq!(plan.unchanged.len(), 1);
        assert_eq!(plan.changed_keys(), ["c.html", "old.html"]);
    }

    /// An object uploaded in parts has an ETag that is no MD5: the manifest's MD5 counts.
    #[test]
    fn a_multipart_etag_is_read_through_the_manifest() {
        let plan = plan(
            vec![local("big.mp4", "aa", REVALIDATE)],
            &remote(&[("big.mp4", "ff-2")]),
            &manifest(&[("big.mp4", entry("aa", "ff-2", REVALIDATE))]),
            ".m",
            false,
        );
        assert!(plan.is_empty(), "{plan:?}");
    }

    #[test]
    fn a_rule_change_reuploads_exactly_the_objects_it_touches() {
        let plan = plan(
            vec![
                local("a.html", "11", REVALIDATE),
                local("b.css", "22", IMMUTABLE),
            ],
            &remote(&[("a.html", "11"), ("b.css", "22")]),
            &manifest(&[
                ("a.html", entry("11", "11", REVALIDATE)),
                ("b.css", entry("22", "22", REVALIDATE)),
            ]),
            ".m",
            false,
        );
        assert_eq!(reasons(&plan), [("b.css", Reason::Headers)]);
    }

    /// Without a manifest entry (a bucket filled by another tool, a deploy cut short),
    /// the headers are unknown: the object is sent again.
    #[test]
    fn objects_the_manifest_does_not_know_are_uploaded() {
        let plan = plan(
            vec![local("a.html", "11", REVALIDATE)],
            &remote(&[("a.html", "11")]),
            &Manifest::default(),
            ".m",
            false,
        );
        assert_eq!(reasons(&plan), [("a.html", Reason::Headers)]);
        // Changed behind worklog's back: the ETag is not the recorded one.
        let plan = super::plan(
            vec![local("a.html", "11", REVALIDATE)],
            &remote(&[("a.html", "99")]),
            &manifest(&[("a.html", entry("11", "11", REVALIDATE))]),
            ".m",
            false,
        );
        assert_eq!(reasons(&plan), [("a.html", Reason::Changed)]);
    }
}
