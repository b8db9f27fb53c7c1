//! `[deploy]` of `worklog.toml`: where and how `worklog deploy` publishes. Every key can
//! also be given on the command line, which wins.

use serde::Deserialize;

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeploySettings {
    /// `s3://bucket` or `s3://bucket/prefix`.
    pub target: Option<String>,
    /// An S3-compatible server instead of AWS (`http://127.0.0.1:9000`).
    pub endpoint: Option<String>,
    pub region: Option<String>,
    /// A profile of `~/.aws/credentials` and `~/.aws/config`.
    pub profile: Option<String>,
    /// The CloudFront distribution to invalidate.
    pub distribution: Option<String>,
    /// More deletions than this are refused, and nothing is deleted.
    pub max_deletes: Option<usize>,
    /// Past this many invalidation paths, they are collapsed to prefix wildcards.
    pub max_invalidation_paths: Option<usize>,
    /// Also upload each `dir/index.html` under the key `dir/`, so that an S3 REST origin
    /// answers `/dir/` (default true).
    pub index_keys: Option<bool>,
    /// Header rules by glob, first match first: `[[deploy.headers]]`.
    #[serde(default)]
    pub headers: Vec<HeaderRule>,
}

/// `[[deploy.headers]] glob = "images/**"  cache_control = "public, max-age=86400"`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeaderRule {
    /// Over output paths: `*` within a folder, `**` across folders.
    pub glob: String,
    pub cache_control: Option<String>,
    pub content_type: Option<String>,
}

impl DeploySettings {
    /// The `[deploy]` table, or the key at fault (when one is) and what is wrong with it.
    pub fn from_table(table: &toml::Table) -> Result<DeploySettings, (Option<String>, String)> {
        toml::Value::Table(table.clone())
            .try_into()
            .map_err(|e: toml::de::Error| {
                // The whole table's error names no key: find the one that fails alone.
                let culprit = table.iter().find_map(|(k, v)| {
                    let mut one = toml::Table::new();
                    one.insert(k.clone(), v.clone());
                    toml::Value::Table(one)
                        .try_into::<DeploySettings>()
                        .err()
                        .map(|e| (k.clone(), e.message().to_string()))
                });
                match culprit {
                    Some((key, message)) => (Some(key.clone()), format!("`{key}`: {message}")),
                    None => (None, e.message().to_string()),
                }
            })
    }
}
