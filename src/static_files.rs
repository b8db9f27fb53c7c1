//! The site's `static/` folder: copied to the output as it is, names unchanged.

use std::collections::BTreeMap;
use std::path::Path;

use walkdir::WalkDir;

use crate::content::load::display;
use crate::diagnostics::Diagnostic;

/// Every file under `site_dir/static`, by output path. Editor and OS litter is skipped.
pub fn read(site_dir: &Path) -> Result<BTreeMap<String, Vec<u8>>, Vec<Diagnostic>> {
    let root = site_dir.join("static");
    let mut files = BTreeMap::new();
    let mut errors = Vec::new();
    if !root.is_dir() {
        return Ok(files);
    }
    for entry in WalkDir::new(&root).sort_by_file_name() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                errors.push(Diagnostic::error(
                    display(site_dir, &root),
                    None,
                    format!("cannot read: {e}"),
                ));
                continue;
            }
        };
        let name = entry.file_name().to_string_lossy();
        if !entry.file_type().is_file() || name == ".DS_Store" || name == "Thumbs.db" {
            continue;
        }
        let rel = entry.path().strip_prefix(&root).unwrap_or(entry.path());
        let rel = rel.to_string_lossy().replace('\\', "/");
        match std::fs::read(entry.path()) {
            Ok(bytes) => {
                files.insert(rel, bytes);
            }
            Err(e) => errors.push(Diagnostic::error(
                display(site_dir, entry.path()),
                None,
                format!("cannot read: {e}"),
            )),
        }
    }
    if errors.is_empty() {
        Ok(files)
    } else {
        Err(errors)
    }
}
