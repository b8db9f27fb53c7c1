//! Files a student starts from: a new journal (`worklog init`), the next week's page
//! (`worklog new week`), any page (`worklog new page`).
//!
//! Everything here creates files and never replaces one: a file that exists, or a path
//! that leaves the site (`..`, a symlink pointing elsewhere), is refused before anything
//! is written.

mod front;
pub mod init;
pub mod week;
pub mod workflows;

use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Component, Path, PathBuf};

use crate::config::Config;
use crate::content::{self, ContentTree};
use crate::diagnostics::Diagnostic;

/// A file to create: its path relative to the site, and its text.
#[derive(Debug, Clone)]
pub struct NewFile {
    pub path: PathBuf,
    pub text: String,
}

/// Creates every file, or none when one of them exists or would land outside the site.
pub fn create_all(site_dir: &Path, files: &[NewFile]) -> Result<(), String> {
    for file in files {
        check_new(site_dir, &file.path)?;
    }
    for (done, file) in files.iter().enumerate() {
        if let Err(e) = create(site_dir, file) {
            // Only the files made just now are removed: each was created new above.
            for made in &files[..done] {
                let _ = std::fs::remove_file(site_dir.join(&made.path));
            }
            return Err(e);
        }
    }
    Ok(())
}

/// Refuses a path that exists, climbs out of the site or runs through a link leading
/// out of it.
fn check_new(site_dir: &Path, rel: &Path) -> Result<(), String> {
    let plain = rel.components().all(|c| matches!(c, Component::Normal(_)));
    if !plain {
        return Err(format!(
            "{}: a new file's path stays inside the site (no `..`, no absolute path)",
            rel.display()
        ));
    }
    let target = site_dir.join(rel);
    if target.symlink_metadata().is_ok() {
        return Err(format!(
            "{} already exists, and worklog does not write over it",
            rel.display()
        ));
    }
    let site = site_dir
        .canonicalize()
        .map_err(|e| format!("{}: {e}", site_dir.display()))?;
    let existing = target
        .ancestors()
        .find(|a| a.exists())
        .unwrap_or(site_dir)
        .canonicalize()
        .map_err(|e| format!("{}: {e}", rel.display()))?;
    if !existing.starts_with(&site) {
        return Err(format!(
            "{}: {} leads out of the site (a link?); worklog writes only inside it",
            rel.display(),
            existing.display()
        ));
    }
    Ok(())
}

fn create(site_dir: &Path, file: &NewFile) -> Result<(), String> {
    let target = site_dir.join(&file.path);
    let name = file.path.display();
    if let Some(parent) = target.parent() {
        std::fs::create_dir_all(parent).map_err(|e| format!("{name}: {e}"))?;
    }
    // `create_new`: a file that appeared since the check is not replaced either.
    let mut out = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&target)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => {
                format!("{name} already exists, and worklog does not write over it")
            }
            _ => format!("{name}: {e}"),
        })?;
    out.write_all(file.text.as_bytes())
        .map_err(|e| format!("{name}: {e}"))
}

/// The site's config and content trees, drafts and future pages included: a new page is
/// placed after every page the site has, published or not.
fn load_site(site_dir: &Path) -> Result<(Config, Vec<ContentTree>), String> {
    if !site_dir.is_dir() {
        return Err(format!("{} is not a folder", site_dir.display()));
    }
    let mut config = Config::load(site_dir).map_err(|e| listed(&e))?;
    config.build_drafts = true;
    config.build_future = true;
    let (trees, _) = content::load(site_dir, &config).map_err(|e| listed(&e))?;
    Ok((config, trees))
}

fn listed(errors: &[Diagnostic]) -> String {
    let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
    format!(
        "the site does not load; fix this first:\n{}",
        lines.join("\n")
    )
}

/// `text` as a YAML double-quoted string.
fn quoted(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

/// `notes` → `Notes`, `getting-started` → `Getting started`.
fn title_from_name(name: &str) -> String {
    let spaced = name.replace(['-', '_'], " ");
    let mut chars = spaced.trim().chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// `worklog new page PATH`: a page at `PATH` under `content/` (a folder gets
/// `_index.md`), titled from its name and dated `date`.
pub fn new_page(site_dir: &Path, path: &str, date: &str) -> Result<NewFile, String> {
    let trimmed = path.trim_matches('/');
    let inside = trimmed.strip_prefix("content/").unwrap_or(trimmed);
    if inside.is_empty() {
        return Err("give the page's path under content/, e.g. 2-Proposal/notes.md".into());
    }
    let rel = Path::new("content").join(inside);
    let rel = if inside.ends_with(".md") {
        rel
    } else {
        rel.join("_index.md")
    };
    let stem = rel.file_stem().unwrap_or_default().to_string_lossy();
    let name = match stem.as_ref() {
        "_index" | "index" => rel
            .parent()
            .and_then(Path::file_name)
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned(),
        other => other.to_string(),
    };
    // `3.1-Introduction` → `Introduction`: the number is the page's place, not its name.
    let words = name.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c == '-');
    let title = title_from_name(if words.is_empty() { &name } else { words });
    check_new(site_dir, &rel)?;
    Ok(NewFile {
        path: rel,
        text: format!("---\ntitle: {}\ndate: {date}\n---\n\n", quoted(&title)),
    })
}
