//! A small object kept in the bucket beside the site: for each object worklog uploaded,
//! the MD5 of its bytes, the ETag S3 gave it, and the headers it was sent with.
//!
//! The listing of a bucket tells each object's ETag, nothing else. With this, one GET
//! tells which objects have headers from older rules (re-uploaded, without a HEAD per
//! object) and the MD5 of objects uploaded in parts, whose ETag is not one. An object
//! whose ETag is no longer the one recorded was changed by someone else, or by a deploy
//! that was cut short: it is uploaded again.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Its key, under the target's prefix.
pub const KEY: &str = ".worklog-deploy.json";

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub objects: BTreeMap<String, Entry>,
    /// Invalidation paths of changes already made and not yet sent to CloudFront: a
    /// deploy records them before it deletes anything, and clears them once sent.
    #[serde(default)]
    pub pending_invalidation: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub md5: String,
    pub etag: String,
    pub content_type: String,
    pub cache_control: String,
}

impl Manifest {
    /// A manifest that does not parse (written by hand, or by a later worklog) is as
    /// good as none: every object is uploaded once more.
    pub fn parse(bytes: &[u8]) -> Manifest {
        serde_json::from_slice(bytes).unwrap_or_default()
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        serde_json::to_vec(self).unwrap_or_default()
    }
}
