//! The site's own hugo-theme-learn partials (`layouts/partials/logo.html`, …): students
//! put their logo and sidebar footer there. Those that are plain HTML are kept for the
//! theme to place; those with Go template actions (`{{ … }}`) cannot be run, and are
//! skipped with a notice each.

use std::collections::BTreeMap;
use std::path::Path;

use crate::diagnostics::Diagnostic;

/// The partials learn lets a site replace, and their names in `site.partials`.
pub const PARTIALS: [(&str, &str); 5] = [
    ("logo.html", "logo"),
    ("custom-header.html", "custom_header"),
    ("custom-footer.html", "custom_footer"),
    ("menu-footer.html", "menu_footer"),
    ("favicon.html", "favicon"),
];

/// The plain-HTML partials of the site, by their name in `site.partials`, and a notice
/// for each one skipped.
pub fn read(site_dir: &Path) -> (BTreeMap<String, String>, Vec<Diagnostic>) {
    let mut found = BTreeMap::new();
    let mut notices = Vec::new();
    for (file, name) in PARTIALS {
        let rel = Path::new("layouts/partials").join(file);
        let Ok(text) = std::fs::read_to_string(site_dir.join(&rel)) else {
            continue;
        };
        match text.find("{{") {
            Some(at) => notices.push(Diagnostic::warning(
                &rel,
                Some(crate::diagnostics::line_of_offset(&text, at)),
                "has Go template actions (`{{ … }}`), which worklog does not run: this partial is not used",
            )),
            None if text.trim().is_empty() => {}
            None => {
                found.insert(name.to_string(), text);
            }
        }
    }
    (found, notices)
}

/// Whether `rel`, relative to the site, is one of the partials read here.
pub fn is_partial(rel: &Path) -> bool {
    rel.parent() == Some(Path::new("layouts/partials"))
        && PARTIALS
            .iter()
            .any(|(file, _)| rel.file_name().is_some_and(|n| n == *file))
}
