//! Reading content files from disk: walk `content/`, decode, normalise line ends.

use std::path::{Path, PathBuf};

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

/// Walks `content_dir` in a stable order; unreadable files become errors, not panics.
pub fn read_content(site_dir: &Path, content_dir: &Path) -> (Vec<SourceFile>, Vec<Diagnostic>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    if !content_dir.is_dir() {
        let shown = display(site_dir, content_dir);
        return (
            files,
            vec![Diagnostic::error(shown, None, "no such content folder")],
        );
    }
    let walker = WalkDir::new(content_dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_hidden(e.file_name()));
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e
                    .path()
                    .map(Path::to_path_buf)
                    .unwrap_or_else(|| content_dir.into());
                errors.push(Diagnostic::error(
                    display(site_dir, &path),
                    None,
                    format!("cannot read: {e}"),
                ));
                continue;
            }
        };
        if !entry.file_type().is_file() || !is_markdown(entry.path()) {
            continue;
        }
        let path = entry.path();
        let display_path = display(site_dir, path);
        match std::fs::read(path) {
            Ok(bytes) => match decode(bytes) {
                Ok(text) => {
                    let rel = path.strip_prefix(content_dir).unwrap_or(path);
                    let mut dirs: Vec<String> = rel
                        .components()
                        .map(|c| c.as_os_str().to_string_lossy().into_owned())
                        .collect();
                    let file_name = dirs.pop().unwrap_or_default();
                    files.push(SourceFile {
                        display_path,
                        dirs,
                        file_name,
                        text,
                    });
                }
                Err((line, msg)) => errors.push(Diagnostic::error(display_path, Some(line), msg)),
            },
            Err(e) => errors.push(Diagnostic::error(
                display_path,
                None,
                format!("cannot read: {e}"),
            )),
        }
    }
    (files, errors)
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_string_lossy().starts_with('.')
}

fn is_markdown(path: &Path) -> bool {
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
