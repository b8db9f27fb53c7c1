//! Reading content files from disk: walk `content/`, decode, normalise line ends. The walk
//! is one thread's; the files are read and decoded on every core, in a stable order.
//!
//! Symbolic links are followed, to files and folders, wherever they point (they are only
//! read): a journal may keep its pages in another folder. Hugo drops them silently, which
//! leaves the pages out without a word. A link that loops back to a folder holding it, or
//! that points to nothing, is an error naming the link.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::diagnostics::Diagnostic;

/// One Markdown file, decoded.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// For messages: relative to the site root (`content/1-Worklog/_index.md`).
    pub display_path: PathBuf,
    /// Folders between `content/` and the file, in their original spelling.
    pub dirs: Vec<String>,
    /// The file name (`_index.md`, `notes.md`).
    pub file_name: String,
    /// Text without BOM, with `\n` line ends.
    pub text: String,
}

/// Walks `content_dir` in a stable order, then reads the Markdown files on every core at
/// once; unreadable files become errors, not panics. Also returns the path of every file
/// walked, Markdown or not, in walk order: where page bundles find their files.
pub fn read_content(
    site_dir: &Path,
    content_dir: &Path,
) -> (Vec<SourceFile>, Vec<PathBuf>, Vec<Diagnostic>) {
    if !content_dir.is_dir() {
        let shown = display(site_dir, content_dir);
        return (
            Vec::new(),
            Vec::new(),
            vec![Diagnostic::error(shown, None, "no such content folder")],
        );
    }
    // Hidden names are litter (`.#week.md`, Emacs's lock beside an edited file).
    let (entries, mut errors) = files_under(site_dir, content_dir, |rel| rel.iter().any(is_hidden));
    // Collected in walk order, whichever thread read each file first.
    let read: Vec<Result<SourceFile, Diagnostic>> = entries
        .par_iter()
        .filter(|entry| is_markdown(entry.path()))
        .map(|entry| read_file(site_dir, content_dir, entry.path()))
        .collect();
    let mut files = Vec::with_capacity(read.len());
    for file in read {
        match file {
            Ok(file) => files.push(file),
            Err(e) => errors.push(e),
        }
    }
    let walked = entries
        .into_iter()
        .map(walkdir::DirEntry::into_path)
        .collect();
    (files, walked, errors)
}

fn read_file(site_dir: &Path, content_dir: &Path, path: &Path) -> Result<SourceFile, Diagnostic> {
    let display_path = display(site_dir, path);
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) => {
            let message = format!("cannot read: {e}");
            return Err(Diagnostic::error(display_path, None, message));
        }
    };
    let text = decode(bytes)
        .map_err(|(line, msg)| Diagnostic::error(display_path.clone(), Some(line), msg))?;
    let rel = path.strip_prefix(content_dir).unwrap_or(path);
    let mut dirs: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let file_name = dirs.pop().unwrap_or_default();
    Ok(SourceFile {
        display_path,
        dirs,
        file_name,
        text,
    })
}

/// Every file under `root` in name order, symbolic links followed wherever they point,
/// and the errors met on the way. `skip` leaves out a path (relative to `root`) and what is
/// under it, errors included.
///
/// walkdir sees a loop when a link points to a folder of the walk; a link to `root` or to
/// a folder above it (`content/site -> ..`) would walk the site again first, so it is
/// stopped here as a loop too.
pub fn files_under(
    site_dir: &Path,
    root: &Path,
    skip: impl Fn(&Path) -> bool,
) -> (Vec<walkdir::DirEntry>, Vec<Diagnostic>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    let real_root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let relative = |p: &Path| p.strip_prefix(root).unwrap_or(p).to_path_buf();
    let mut walk = WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter();
    while let Some(entry) = walk.next() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                if e.path().is_none_or(|p| !skip(&relative(p))) {
                    errors.push(walk_error(site_dir, root, &e));
                }
                continue;
            }
        };
        if entry.depth() > 0 && skip(&relative(entry.path())) {
            if entry.file_type().is_dir() {
                walk.skip_current_dir();
            }
            continue;
        }
        // The root itself may be a link (a bundle's folder linked into `content/`).
        if entry.file_type().is_dir() && entry.depth() > 0 {
            let target = entry
                .path_is_symlink()
                .then(|| std::fs::canonicalize(entry.path()).ok())
                .flatten();
            if let Some(target) = target.filter(|t| real_root.starts_with(t)) {
                errors.push(loop_error(site_dir, entry.path(), &target));
                walk.skip_current_dir();
            }
        } else if entry.file_type().is_file() {
            files.push(entry);
        }
    }
    (files, errors)
}

/// A walk that could not go on, named by the link or file at fault.
fn walk_error(site_dir: &Path, root: &Path, e: &walkdir::Error) -> Diagnostic {
    let path = e.path().unwrap_or(root);
    if let Some(ancestor) = e.loop_ancestor() {
        return loop_error(site_dir, path, ancestor);
    }
    let message = match std::fs::read_link(path) {
        Ok(target) if !path.exists() => format!(
            "a symbolic link to {}, which does not exist: fix or remove the link",
            target.display()
        ),
        _ => format!("cannot read: {e}"),
    };
    Diagnostic::error(display(site_dir, path), None, message)
}

fn loop_error(site_dir: &Path, link: &Path, target: &Path) -> Diagnostic {
    let real_site = std::fs::canonicalize(site_dir).unwrap_or_else(|_| site_dir.to_path_buf());
    let target = match target
        .strip_prefix(&real_site)
        .or(target.strip_prefix(site_dir))
    {
        Ok(inside) if inside.as_os_str().is_empty() => "the site's folder".to_string(),
        Ok(inside) => inside.display().to_string(),
        Err(_) => target.display().to_string(),
    };
    Diagnostic::error(
        display(site_dir, link),
        None,
        format!(
            "a symbolic link to {target}, a folder that holds it: a loop, not followed; remove the link"
        ),
    )
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_string_lossy().starts_with('.')
}

pub fn is_markdown(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"))
}

/// The path as the user knows it: relative to the site when it is inside it.
pub fn display(site_dir: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(site_dir)
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| path.to_path_buf())
}

/// UTF-8 without BOM, `\r\n` → `\n`. A non-UTF-8 file names the line of the first bad byte.
pub fn decode(bytes: Vec<u8>) -> Result<String, (usize, String)> {
    let text = String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        let line = bytes[..valid].iter().filter(|&&b| b == b'\n').count() + 1;
        (
            line,
            "the file is not UTF-8 text: save it as UTF-8".to_string(),
        )
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    Ok(if text.contains('\r') {
        text.replace("\r\n", "\n")
    } else {
        text.to_string()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_and_crlf_are_normalised() {
        assert_eq!(
            decode(b"\xef\xbb\xbf---\r\ntitle: x\r\n---\r\n".to_vec()).unwrap(),
            "---\ntitle: x\n---\n"
        );
    }

    #[test]
    fn non_utf8_names_the_line() {
        assert_eq!(decode(b"a\nb\n\xff\n".to_vec()).unwrap_err().0, 3);
    }
}
