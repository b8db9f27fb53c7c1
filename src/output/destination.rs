//! Where a built site may be written. The output folder is replaced whole, so before
//! anything is touched its path is resolved for real (`..` and symlinks, as the system
//! will follow them) and refused when replacing it could lose a file worklog did not
//! write: the site or a folder above it, the site's inputs, the home folder, the file
//! system root, a regular file, or a folder of someone else's files.

use std::ffi::OsString;
use std::io;
use std::path::{Component, Path, PathBuf};

use super::write::MARKER;

/// An output folder that worklog may replace.
#[derive(Debug, Clone)]
pub struct Destination {
    /// The folder as the user named it, for messages.
    pub shown: PathBuf,
    /// The folder the system writes to: absolute, with `..` and symlinks resolved.
    pub real: PathBuf,
}

/// Why a folder may not be written.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Refusal(pub String);

impl Destination {
    /// Checks `out` against the site's folder and `guarded`, the paths in it that the
    /// build reads (see [`crate::inputs::guarded`]). `force` allows replacing a folder
    /// of files worklog did not write, and nothing else.
    pub fn check(
        out: &Path,
        site_dir: &Path,
        guarded: &[PathBuf],
        force: bool,
    ) -> Result<Destination, Refusal> {
        let shown = out.display();
        let cannot = |e: io::Error| Refusal(format!("cannot resolve {shown}: {e}"));
        let real = resolve(out).map_err(cannot)?;
        let site = resolve(site_dir).map_err(cannot)?;
        let refuse = |why: String| {
            Err(Refusal(format!(
                "will not write the site to {shown}: {why}. Nothing was changed; choose another folder with --output"
            )))
        };
        if real.parent().is_none() {
            return refuse("it is the root of the file system".into());
        }
        if real == site {
            return refuse("it is the site's own folder".into());
        }
        if site.starts_with(&real) {
            return refuse(format!(
                "it holds the site ({}) and would replace it",
                site.display()
            ));
        }
        for input in guarded {
            let Ok(input_real) = resolve(input) else {
                continue;
            };
            if real.starts_with(&input_real) {
                let name = input.strip_prefix(site_dir).unwrap_or(input);
                return refuse(format!(
                    "it is inside the site's {}, which the build reads",
                    name.display()
                ));
            }
            if input_real.starts_with(&real) {
                return refuse(format!(
                    "it holds {}, which the site reads",
                    input_real.display()
                ));
            }
        }
        if let Some(home) = std::env::home_dir().and_then(|h| resolve(&h).ok())
            && home.starts_with(&real)
        {
            return refuse("it is your home folder, or holds it".into());
        }
        match real.symlink_metadata() {
            Ok(m) if !m.is_dir() => {
                return refuse("it is a file, not a folder".into());
            }
            Ok(_) if !force => {
                if let Some(stranger) = unowned_entry(&real).map_err(cannot)? {
                    return Err(Refusal(format!(
                        "will not replace {shown}: it holds files worklog did not write (such as {}), and the whole folder would be replaced. \
                         Nothing was changed; choose an empty or new folder with --output, or pass --force to replace {shown} anyway",
                        stranger.display()
                    )));
                }
            }
            _ => {}
        }
        Ok(Destination {
            shown: out.to_path_buf(),
            real,
        })
    }
}

/// An entry of `dir` showing that worklog did not write it: `None` when the folder is
/// empty or carries worklog's marker.
fn unowned_entry(dir: &Path) -> io::Result<Option<PathBuf>> {
    if dir.join(MARKER).is_file() {
        return Ok(None);
    }
    let mut names: Vec<OsString> = std::fs::read_dir(dir)?
        .map(|e| e.map(|e| e.file_name()))
        .collect::<io::Result<_>>()?;
    names.sort();
    Ok(names.into_iter().next().map(PathBuf::from))
}

/// How many symlinks one path may go through, as Linux allows.
const MAX_LINKS: usize = 40;

/// The absolute path the system reaches when it follows `path`: `..` applies to the
/// folder a symlink points at, not to the link's own name, as the kernel does. The path
/// need not exist; a part that does not is taken as written.
pub fn resolve(path: &Path) -> io::Result<PathBuf> {
    let absolute = std::path::absolute(path)?;
    // Components still to walk, last first: a symlink's target is pushed in its place.
    let mut rest: Vec<OsString> = Vec::new();
    let mut real = PathBuf::new();
    for c in absolute.components() {
        match c {
            Component::Prefix(_) | Component::RootDir => real.push(c.as_os_str()),
            _ => rest.push(c.as_os_str().to_owned()),
        }
    }
    rest.reverse();
    let mut links = 0;
    while let Some(part) = rest.pop() {
        if part == "." {
            continue;
        }
        if part == ".." {
            real.pop();
            continue;
        }
        let next = real.join(&part);
        match next.symlink_metadata() {
            Ok(m) if m.file_type().is_symlink() => {
                links += 1;
                if links > MAX_LINKS {
                    return Err(io::Error::other(format!(
                        "too many levels of symbolic links at {}",
                        next.display()
                    )));
                }
                let target = std::fs::read_link(&next)?;
                for c in target.components().rev() {
                    match c {
                        Component::Prefix(_) | Component::RootDir => {}
                        _ => rest.push(c.as_os_str().to_owned()),
                    }
                }
                if target.has_root() {
                    real = target
                        .components()
                        .take_while(|c| matches!(c, Component::Prefix(_) | Component::RootDir))
                        .collect();
                }
            }
            _ => real = next,
        }
    }
    Ok(real)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn resolves_dot_dot_after_a_symlink_as_the_system_does() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().canonicalize().unwrap();
        std::fs::create_dir_all(root.join("a/b")).unwrap();
        std::os::unix::fs::symlink(root.join("a/b"), root.join("link")).unwrap();
        assert_eq!(resolve(&root.join("link/..")).unwrap(), root.join("a"));
        assert_eq!(
            resolve(&root.join("link/../new/./x")).unwrap(),
            root.join("a/new/x")
        );
        std::os::unix::fs::symlink("a/b", root.join("relative")).unwrap();
        assert_eq!(resolve(&root.join("relative")).unwrap(), root.join("a/b"));
        std::os::unix::fs::symlink(root.join("missing/target"), root.join("dangling")).unwrap();
        assert_eq!(
            resolve(&root.join("dangling")).unwrap(),
            root.join("missing/target")
        );
        std::os::unix::fs::symlink(root.join("loop"), root.join("loop")).unwrap();
        assert!(resolve(&root.join("loop")).is_err());
    }
}
