//! The site's inputs: the folders and files under the site's folder that a build reads.
//! A build never writes into them, and `serve` rebuilds only when one of them changes.
//! Knows names only, not what is in the files.

use std::path::{Path, PathBuf};

use crate::config::{CONFIG_FILES, Config};

/// Folders at the site root that hold its inputs, in Hugo's layout. `data/` and
/// `assets/` are not read today, but Hugo sites keep inputs there: never write over them.
pub const INPUT_DIRS: [&str; 9] = [
    "content",
    "static",
    "themes",
    "templates",
    "layouts",
    "i18n",
    "archetypes",
    "data",
    "assets",
];

/// Everything at the site root that an output folder must never be, or be inside: the
/// input folders (with each language's own content folder), the config files, and the
/// site's version history.
pub fn guarded(site_dir: &Path, config: &Config) -> Vec<PathBuf> {
    let content_dirs = config
        .languages
        .iter()
        .filter_map(|l| l.content_dir.as_deref());
    INPUT_DIRS
        .iter()
        .copied()
        .chain(content_dirs)
        .chain(CONFIG_FILES)
        .chain([".git"])
        .map(|name| site_dir.join(name))
        .collect()
}

/// Names editors, tools and systems write beside the real files: never part of the site,
/// never published, never a change to it.
pub fn is_litter(path: &Path) -> bool {
    let Some(name) = path.file_name().map(|n| n.to_string_lossy()) else {
        return true;
    };
    name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".swo")
        || name.ends_with('~')
        || name.starts_with(".#")
        || name == "4913"
        || name == ".DS_Store"
        || name == "Thumbs.db"
        || name.ends_with(".tmp")
        || name.contains(".goutputstream-")
        || name.ends_with("___jb_tmp___")
        || name.ends_with("___jb_old___")
        || name.ends_with(".crswap")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_litter_is_known_by_its_name() {
        for litter in [
            ".week.md.swp",
            "week.md~",
            ".#week.md",
            "4913",
            "week.md.tmp",
            "static/css/.worklog.css.swp",
            "Thumbs.db",
        ] {
            assert!(is_litter(Path::new(litter)), "{litter}");
        }
        assert!(!is_litter(Path::new("content/_index.md")));
        assert!(!is_litter(Path::new("static/.well-known/security.txt")));
    }
}
