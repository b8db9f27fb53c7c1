//! `worklog deploy`: publishes a built [`Output`] to an S3 bucket, sending only what
//! changed, then asks CloudFront to forget the URLs that served something else.
//!
//! [`plan`] decides (a pure function of the output, the bucket's listing and the
//! manifest); [`s3`] and [`cloudfront`] talk to AWS. Nothing here knows the CLI: it is
//! given settings, a question to ask before deleting, and a progress callback.

use std::collections::BTreeMap;
use std::io::Read;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use md5::{Digest, Md5};
use rayon::prelude::*;

use crate::config::{Config, DeploySettings, HeaderRule};
use crate::output::{Content, Output};

pub mod cloudfront;
pub mod credentials;
pub mod invalidation;
pub mod manifest;
pub mod plan;
pub mod rules;
pub mod s3;

use manifest::{Entry, Manifest};
use plan::{Local, Plan, Upload};

/// Objects above this size are uploaded in parts of this size.
pub const PART_SIZE: usize = 8 * 1024 * 1024;
/// Uploads at once: enough to hide the latency of small objects.
const PARALLEL: usize = 8;
pub const DEFAULT_MAX_DELETES: usize = 256;
pub const DEFAULT_MAX_INVALIDATION_PATHS: usize = 30;

/// What to deploy where: the settings of `[deploy]`, each overridden by its flag.
#[derive(Debug, Clone)]
pub struct Options {
    pub bucket: String,
    /// Ends with `/`, or is empty.
    pub prefix: String,
    pub endpoint: Option<String>,
    pub cloudfront_endpoint: Option<String>,
    pub region: String,
    pub profile: Option<String>,
    /// The profile came from the command line: it wins over the environment's keys.
    pub profile_explicit: bool,
    pub distribution: Option<String>,
    pub max_deletes: usize,
    pub max_invalidation_paths: usize,
    pub index_keys: bool,
    pub rules: Vec<HeaderRule>,
    /// Upload every object, changed or not.
    pub force: bool,
}

impl Options {
    /// `flags` over `config`, the environment's endpoints and region under both.
    pub fn resolve(
        flags: &DeploySettings,
        config: &DeploySettings,
        force: bool,
        env: credentials::Env<'_>,
    ) -> Result<Options, String> {
        let pick = |f: &Option<String>, c: &Option<String>| f.clone().or_else(|| c.clone());
        let target = pick(&flags.target, &config.target).ok_or(
            "no target: give --target s3://bucket[/prefix], or `target = \"s3://bucket\"` under [deploy] in worklog.toml",
        )?;
        let (bucket, prefix) = parse_target(&target)?;
        let profile = pick(&flags.profile, &config.profile);
        let region = pick(&flags.region, &config.region)
            .unwrap_or_else(|| credentials::region(profile.as_deref(), env));
        let mut rules = flags.headers.clone();
        rules.extend(config.headers.iter().cloned());
        Ok(Options {
            bucket,
            prefix,
            endpoint: pick(&flags.endpoint, &config.endpoint)
                .or_else(|| env("AWS_ENDPOINT_URL_S3"))
                .or_else(|| env("AWS_ENDPOINT_URL")),
            cloudfront_endpoint: env("AWS_ENDPOINT_URL_CLOUDFRONT")
                .or_else(|| env("AWS_ENDPOINT_URL")),
            region,
            profile,
            profile_explicit: flags.profile.is_some(),
            distribution: pick(&flags.distribution, &config.distribution),
            max_deletes: flags
                .max_deletes
                .or(config.max_deletes)
                .unwrap_or(DEFAULT_MAX_DELETES),
            max_invalidation_paths: flags
                .max_invalidation_paths
                .or(config.max_invalidation_paths)
                .unwrap_or(DEFAULT_MAX_INVALIDATION_PATHS),
            index_keys: flags.index_keys.or(config.index_keys).unwrap_or(true),
            rules,
            force,
        })
    }

    pub fn target(&self) -> String {
        format!("s3://{}/{}", self.bucket, self.prefix)
    }
}

/// `s3://bucket/prefix` → (`bucket`, `prefix/`).
fn parse_target(target: &str) -> Result<(String, String), String> {
    let rest = target
        .strip_prefix("s3://")
        .ok_or_else(|| format!("target {target}: a target is s3://bucket or s3://bucket/prefix"))?;
    let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
    if bucket.is_empty() {
        return Err(format!("target {target}: no bucket name"));
    }
    let prefix = prefix.trim_matches('/');
    let prefix = if prefix.is_empty() {
        String::new()
    } else {
        format!("{prefix}/")
    };
    Ok((bucket.to_string(), prefix))
}

/// A deploy decided and ready to run: what [`prepare`] found.
pub struct Prepared<'a> {
    pub plan: Plan,
    /// What CloudFront is told, when there is a distribution.
    pub invalidation: Vec<String>,
    /// Paths a deploy cut short did not send: sent now, or kept for a deploy that can.
    pending: Vec<String>,
    output: &'a Output,
    options: Options,
    keys: credentials::Keys,
    client: s3::S3,
    manifest_key: String,
}

/// What a deploy did.
#[derive(Debug, Default)]
pub struct Summary {
    pub uploaded: usize,
    pub deleted: usize,
    pub unchanged: usize,
    pub bytes: u64,
    pub elapsed: Duration,
    pub invalidation_paths: usize,
    pub invalidation_id: Option<String>,
}

/// Reads the credentials, lists the bucket and decides what to send: changes nothing.
pub fn prepare<'a>(
    output: &'a Output,
    config: &Config,
    options: Options,
    env: credentials::Env<'_>,
) -> Result<Prepared<'a>, String> {
    let keys = credentials::keys(options.profile.as_deref(), options.profile_explicit, env)?;
    let client = s3::S3::new(
        options.endpoint.as_deref(),
        &options.bucket,
        &options.region,
        &keys,
    )?;
    let locals = locals(output, &options)?;
    let remote = client.list(&options.prefix)?;
    let manifest_key = format!("{}{}", options.prefix, manifest::KEY);
    let mut manifest = if remote.contains_key(&manifest_key) {
        client
            .get(&manifest_key)?
            .map(|b| Manifest::parse(&b))
            .unwrap_or_default()
    } else {
        Manifest::default()
    };
    recover_parts(&client, &remote, &mut manifest)?;
    let plan = plan::plan(locals, &remote, &manifest, &manifest_key, options.force);
    let invalidation = if options.distribution.is_some() {
        // A name that carries its bytes' hash was never cached with other bytes.
        let keys: Vec<&str> = plan
            .changed_keys()
            .into_iter()
            .filter(|k| !rules::never_changes(k.strip_prefix(options.prefix.as_str()).unwrap_or(k)))
            .collect();
        invalidation::paths(
            &keys,
            &manifest.pending_invalidation,
            &options.prefix,
            &config.base_path,
            options.max_invalidation_paths,
        )
    } else {
        Vec::new()
    };
    Ok(Prepared {
        plan,
        invalidation,
        pending: manifest.pending_invalidation,
        output,
        options,
        keys,
        client,
        manifest_key,
    })
}

impl Prepared<'_> {
    /// Whether the deletions are more than allowed; then [`Prepared::run`] refuses. The
    /// hash-named files of a search index the new one replaces do not count: a change to
    /// many pages (a week inserted, which renumbers the ones after it) replaces most of
    /// them, and nothing but the old index names them.
    pub fn too_many_deletes(&self) -> Option<String> {
        let prefix = self.options.prefix.as_str();
        let n = self
            .plan
            .deletes
            .iter()
            .filter(|k| !crate::search::is_hashed(k.strip_prefix(prefix).unwrap_or(k)))
            .count();
        (n > self.options.max_deletes).then(|| {
            format!(
                "{n} objects of {} would be deleted, more than the {} allowed: nothing was changed (raise it with --max-deletes {n} if that is right)",
                self.options.target(),
                self.options.max_deletes
            )
        })
    }

    /// Uploads, records the manifest, deletes, invalidates: a deploy cut short anywhere
    /// is finished by the next one. `progress` is told each upload done.
    pub fn run(self, progress: &(dyn Fn(usize, usize) + Sync)) -> Result<Summary, String> {
        if let Some(refusal) = self.too_many_deletes() {
            return Err(refusal);
        }
        let started = Instant::now();
        let mut entries: BTreeMap<String, Entry> = self.plan.unchanged.iter().cloned().collect();
        // Pages last: a page is never served before the stylesheet or image it names.
        let (pages, files): (Vec<&Upload>, Vec<&Upload>) = self
            .plan
            .uploads
            .iter()
            .partition(|u| u.local.path.ends_with(".html"));
        let all = self.plan.uploads.len();
        let done = AtomicUsize::new(0);
        let tick = || progress(done.fetch_add(1, Ordering::Relaxed) + 1, all);
        entries.extend(self.upload_all(&files, &tick)?);
        entries.extend(self.upload_all(&pages, &tick)?);
        let pending = if self.options.distribution.is_some() {
            self.invalidation.clone()
        } else {
            self.pending.clone()
        };
        // Recorded before anything is deleted: a deploy cut short from here on leaves
        // the next one what it must still invalidate.
        if !self.plan.is_empty() {
            self.write_manifest(&entries, &pending)?;
        }
        self.client.delete(&self.plan.deletes)?;
        let mut summary = Summary {
            uploaded: self.plan.uploads.len(),
            deleted: self.plan.deletes.len(),
            unchanged: self.plan.unchanged.len(),
            bytes: self.plan.upload_bytes(),
            ..Summary::default()
        };
        if let Some(distribution) = &self.options.distribution
            && !self.invalidation.is_empty()
        {
            summary.invalidation_id = Some(cloudfront::invalidate(
                self.options.cloudfront_endpoint.as_deref(),
                distribution,
                &self.invalidation,
                &self.keys,
            )?);
            summary.invalidation_paths = self.invalidation.len();
            self.write_manifest(&entries, &[])?;
        }
        summary.elapsed = started.elapsed();
        Ok(summary)
    }

    fn write_manifest(
        &self,
        entries: &BTreeMap<String, Entry>,
        pending: &[String],
    ) -> Result<(), String> {
        let manifest = Manifest {
            objects: entries.clone(),
            pending_invalidation: pending.to_vec(),
        };
        let headers = rules::Headers {
            content_type: "application/json".into(),
            cache_control: rules::REVALIDATE.into(),
        };
        let bytes = manifest.to_bytes();
        self.client
            .put(&self.manifest_key, &bytes, &headers, &md5_hex(&bytes))
            .map(|_| ())
    }

    /// `uploads`, [`PARALLEL`] at a time; the first error stops the rest.
    fn upload_all(
        &self,
        uploads: &[&Upload],
        tick: &(dyn Fn() + Sync),
    ) -> Result<Vec<(String, Entry)>, String> {
        let next = AtomicUsize::new(0);
        let failed = AtomicBool::new(false);
        let results = Mutex::new(Vec::with_capacity(uploads.len()));
        let first_error = Mutex::new(None);
        std::thread::scope(|scope| {
            for _ in 0..PARALLEL.min(uploads.len()) {
                scope.spawn(|| {
                    while !failed.load(Ordering::Relaxed) {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(upload) = uploads.get(i) else { break };
                        match self.upload(&upload.local) {
                            Ok(entry) => {
                                results
                                    .lock()
                                    .unwrap()
                                    .push((upload.local.key.clone(), entry));
                                tick();
                            }
                            Err(e) => {
                                failed.store(true, Ordering::Relaxed);
                                first_error.lock().unwrap().get_or_insert(e);
                            }
                        }
                    }
                });
            }
        });
        match first_error.into_inner().unwrap() {
            Some(e) => Err(e),
            None => Ok(results.into_inner().unwrap()),
        }
    }

    fn upload(&self, local: &Local) -> Result<Entry, String> {
        let content = self
            .output
            .content(&local.path)
            .ok_or_else(|| format!("{}: not in the build", local.path))?;
        let etag = if local.size as usize > PART_SIZE {
            self.client
                .put_parts(&local.key, parts(content), &local.headers, &local.md5)?
        } else {
            let bytes = content
                .bytes()
                .map_err(|e| format!("{}: cannot read: {e}", local.path))?;
            self.client
                .put(&local.key, &bytes, &local.headers, &local.md5)?
        };
        Ok(Entry {
            md5: local.md5.clone(),
            etag,
            content_type: local.headers.content_type.clone(),
            cache_control: local.headers.cache_control.clone(),
        })
    }
}

/// Objects uploaded in parts that the manifest does not describe (it was lost, or a
/// deploy stopped before writing it) are described by their own headers, one HEAD each:
/// few objects are that large, and sending them again is what costs.
fn recover_parts(
    client: &s3::S3,
    remote: &BTreeMap<String, String>,
    manifest: &mut Manifest,
) -> Result<(), String> {
    for (key, etag) in remote {
        let known = manifest.objects.get(key).is_some_and(|e| e.etag == *etag);
        if known || !etag.contains('-') {
            continue;
        }
        if let Some((md5, headers)) = client.head(key)? {
            manifest.objects.insert(
                key.clone(),
                Entry {
                    md5,
                    etag: etag.clone(),
                    content_type: headers.content_type,
                    cache_control: headers.cache_control,
                },
            );
        }
    }
    Ok(())
}

/// Every object the site should have, with its MD5 (read on every core).
fn locals(output: &Output, options: &Options) -> Result<Vec<Local>, String> {
    let files: Vec<(&str, &Content)> = output.iter().collect();
    let hashed: Vec<Result<Vec<Local>, String>> = files
        .par_iter()
        .map(|(path, content)| {
            let (md5, size) = md5_of(content).map_err(|e| format!("{path}: cannot read: {e}"))?;
            let headers = rules::headers(path, &options.rules);
            let mut keys = vec![format!("{}{path}", options.prefix)];
            // An S3 REST origin serves `index.html` only at the root: `dir/` is a key.
            if options.index_keys
                && let Some(dir) = path.strip_suffix("index.html")
                && (dir.is_empty() || dir.ends_with('/'))
                && !(dir.is_empty() && options.prefix.is_empty())
            {
                keys.push(format!("{}{dir}", options.prefix));
            }
            Ok(keys
                .into_iter()
                .map(|key| Local {
                    key,
                    path: path.to_string(),
                    md5: md5.clone(),
                    size,
                    headers: headers.clone(),
                })
                .collect())
        })
        .collect();
    let mut out = Vec::new();
    for r in hashed {
        out.extend(r?);
    }
    Ok(out)
}

fn md5_of(content: &Content) -> std::io::Result<(String, u64)> {
    let mut md5 = Md5::new();
    let mut size = 0;
    for part in parts(content) {
        let part = part?;
        size += part.len() as u64;
        md5.update(&part);
    }
    Ok((hex(&md5.finalize()), size))
}

fn md5_hex(bytes: &[u8]) -> String {
    hex(&Md5::digest(bytes))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The bytes of `content` in pieces of [`PART_SIZE`]: a large file on disk is never
/// held whole in memory.
fn parts(content: &Content) -> Box<dyn Iterator<Item = std::io::Result<Vec<u8>>> + Send + '_> {
    match content {
        Content::File(file) => match std::fs::File::open(&file.source) {
            Ok(mut f) => {
                let mut finished = false;
                Box::new(std::iter::from_fn(move || {
                    if finished {
                        return None;
                    }
                    let mut part = Vec::with_capacity(PART_SIZE.min(file.size as usize));
                    match (&mut f).take(PART_SIZE as u64).read_to_end(&mut part) {
                        Ok(n) if n < PART_SIZE => {
                            finished = true;
                            // An empty file is one empty part; a size that is a whole
                            // number of parts ends without an empty one.
                            (n > 0 || part.is_empty() && file.size == 0).then_some(Ok(part))
                        }
                        Ok(_) => Some(Ok(part)),
                        Err(e) => {
                            finished = true;
                            Some(Err(e))
                        }
                    }
                }))
            }
            Err(e) => Box::new(std::iter::once(Err(e))),
        },
        other => match other.bytes() {
            Ok(bytes) => {
                let bytes = bytes.into_owned();
                if bytes.is_empty() {
                    return Box::new(std::iter::once(Ok(bytes)));
                }
                let chunks: Vec<Vec<u8>> = bytes.chunks(PART_SIZE).map(<[u8]>::to_vec).collect();
                Box::new(chunks.into_iter().map(Ok))
            }
            Err(e) => Box::new(std::iter::once(Err(e))),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets() {
        assert_eq!(parse_target("s3://b").unwrap(), ("b".into(), "".into()));
        assert_eq!(
            parse_target("s3://b/x/y/").unwrap(),
            ("b".into(), "x/y/".into())
        );
        assert!(parse_target("b/x").is_err());
        assert!(parse_target("s3:///x").is_err());
    }
}
