//! Writing a built site into its folder, checked by [`Destination`]: readers see the old
//! site or the new one, a failure leaves the old one as it was, and nothing outside the
//! folder is touched.
//!
//! The site is written to a new folder beside the old one, which then takes its place.
//! A folder that cannot be swapped (a mount point, such as a Docker volume, or one whose
//! parent is not writable) is updated in place instead: the new files are written inside
//! it first, then moved over the old ones, and old files that the new site lacks are
//! removed. One build at a time writes a folder; the others stop at once.

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::Path;

use walkdir::WalkDir;

use super::files::{self, Reuse};
use super::lock::Lock;
use super::{Destination, Output};

/// The file that marks a folder as worklog's: a later build may replace a folder that
/// holds it. Deploys and `serve` leave it out.
pub const MARKER: &str = ".worklog-output";
const MARKER_TEXT: &str = "worklog build wrote this folder and replaces it whole on every build.\n";
/// The new site while it is written inside a folder updated in place.
const INNER_STAGING: &str = ".worklog-new";
const INNER_LOCK: &str = ".worklog-lock";

/// A write that did not happen, or not whole.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct WriteError {
    pub message: String,
    /// Whether the folder holds what it held before, unchanged.
    pub previous_intact: bool,
}

impl WriteError {
    fn untouched(message: String) -> WriteError {
        WriteError {
            message,
            previous_intact: true,
        }
    }
}

/// Writes `output` into the destination folder, replacing what it held.
pub fn write(output: &Output, dest: &Destination) -> Result<(), WriteError> {
    write_with(output, dest, nothing_more).map(drop)
}

/// Writes `output` and the files `last` makes of it into the destination folder,
/// replacing what it held, and returns the whole site. `last` runs on a thread of its own
/// while `output` is written: a search index takes about as long to make as the pages
/// take to write. If it fails, nothing is written.
pub fn write_with(
    output: &Output,
    dest: &Destination,
    last: impl FnOnce(&Output) -> Result<Output, String> + Send,
) -> Result<Output, WriteError> {
    let dir = dest.real.as_path();
    let shown = dest.shown.display().to_string();
    if let Some(bad) = output.paths().find(|p| !stays_inside(p)) {
        return Err(WriteError::untouched(format!(
            "will not write {bad:?}: the path would leave {shown}; nothing was written"
        )));
    }
    let failed =
        |e: io::Error| WriteError::untouched(format!("cannot write the site to {shown}: {e}"));
    let (Some(parent), Some(name)) = (dir.parent(), dir.file_name()) else {
        return Err(failed(io::ErrorKind::InvalidInput.into()));
    };
    let name = name.to_string_lossy();
    fs::create_dir_all(parent).map_err(failed)?;
    let busy = || {
        WriteError::untouched(format!(
            "another build is writing {shown}: try again when it is done"
        ))
    };
    let outer_lock = Lock::take(&parent.join(format!(".{name}.worklog-lock")));
    let swappable = !is_mount_point(dir);
    match outer_lock {
        Ok(Some(_lock)) if swappable => match swap(output, last, dir, parent, &name, &shown) {
            Err(Swap::Failed(e)) => Err(e),
            Err(Swap::Busy(whole)) => in_place(&whole, nothing_more, dir, &shown),
            Ok(whole) => Ok(whole),
        },
        Ok(Some(_lock)) => in_place(output, last, dir, &shown),
        Ok(None) => Err(busy()),
        // A folder the user may write to, in a parent they may not (`/var/www/site`).
        Err(e) if e.kind() == io::ErrorKind::PermissionDenied && dir.is_dir() => {
            match Lock::take(&dir.join(INNER_LOCK)).map_err(failed)? {
                Some(_lock) => in_place(output, last, dir, &shown),
                None => Err(busy()),
            }
        }
        Err(e) => Err(failed(e)),
    }
}

/// What [`write`] makes last: nothing.
fn nothing_more(_: &Output) -> Result<Output, String> {
    Ok(Output::default())
}

enum Swap {
    Failed(WriteError),
    /// The folder cannot be renamed (a mount point the device check missed): the whole
    /// site, to write in place.
    Busy(Output),
}

fn swap(
    output: &Output,
    last: impl FnOnce(&Output) -> Result<Output, String> + Send,
    dir: &Path,
    parent: &Path,
    name: &str,
    shown: &str,
) -> Result<Output, Swap> {
    let failed = |e: io::Error| {
        Swap::Failed(WriteError::untouched(format!(
            "cannot write the site to {shown}: {e}"
        )))
    };
    let staging = parent.join(format!(".{name}.worklog-new"));
    let retired = parent.join(format!(".{name}.worklog-old"));
    clear_leftover(&staging).map_err(failed)?;
    clear_leftover(&retired).map_err(failed)?;
    let reuse = if dir.is_dir() {
        Reuse::Link(dir)
    } else {
        Reuse::Nothing
    };
    let whole = match write_tree(output, last, &staging, reuse) {
        Ok((whole, _)) => whole,
        Err(e) => {
            let _ = fs::remove_dir_all(&staging);
            return Err(failed(e));
        }
    };
    if dir.symlink_metadata().is_err() {
        return match fs::rename(&staging, dir) {
            Ok(()) => Ok(whole),
            Err(e) => {
                let _ = fs::remove_dir_all(&staging);
                Err(failed(e))
            }
        };
    }
    if let Err(e) = fs::rename(dir, &retired) {
        let _ = fs::remove_dir_all(&staging);
        return Err(match e.kind() {
            io::ErrorKind::ResourceBusy | io::ErrorKind::CrossesDevices => Swap::Busy(whole),
            _ => failed(e),
        });
    }
    if let Err(e) = fs::rename(&staging, dir) {
        let restored = fs::rename(&retired, dir).is_ok();
        let _ = fs::remove_dir_all(&staging);
        return Err(Swap::Failed(WriteError {
            message: if restored {
                format!("cannot write the site to {shown}: {e}")
            } else {
                format!(
                    "cannot write the site to {shown}: {e}; the previous output is in {}",
                    retired.display()
                )
            },
            previous_intact: restored,
        }));
    }
    // The new site is in place; a retired folder that resists removal is cleared by the
    // next build (it carries the marker).
    let _ = fs::remove_dir_all(&retired);
    Ok(whole)
}

/// Updates `dir` where it is: the new files are written inside it, under a hidden
/// folder, and only once they all are does anything the reader sees change.
fn in_place(
    output: &Output,
    last: impl FnOnce(&Output) -> Result<Output, String> + Send,
    dir: &Path,
    shown: &str,
) -> Result<Output, WriteError> {
    let staging = dir.join(INNER_STAGING);
    let before =
        |e: io::Error| WriteError::untouched(format!("cannot write the site to {shown}: {e}"));
    clear_leftover(&staging).map_err(before)?;
    let (whole, written) = match write_tree(output, last, &staging, Reuse::Keep(dir)) {
        Ok(written) => written,
        Err(e) => {
            let _ = fs::remove_dir_all(&staging);
            return Err(before(e));
        }
    };
    let result = move_into_place(&written, &staging, dir).and_then(|()| remove_stale(&whole, dir));
    let _ = fs::remove_dir_all(&staging);
    result.map(|()| whole).map_err(|e| WriteError {
        message: format!(
            "cannot write the site to {shown}: {e}; it is partly updated: build again to complete it"
        ),
        previous_intact: false,
    })
}

fn move_into_place(written: &[String], staging: &Path, dir: &Path) -> io::Result<()> {
    for path in written.iter().map(String::as_str).chain([MARKER]) {
        let rel = Path::new(path);
        let mut folder = dir.to_path_buf();
        for part in rel.parent().into_iter().flat_map(Path::components) {
            folder.push(part);
            match folder.symlink_metadata() {
                Ok(m) if m.is_dir() => {}
                Ok(_) => {
                    fs::remove_file(&folder)?;
                    fs::create_dir(&folder)?;
                }
                Err(_) => fs::create_dir(&folder)?,
            }
        }
        let target = dir.join(rel);
        if target.symlink_metadata().is_ok_and(|m| m.is_dir()) {
            fs::remove_dir_all(&target)?;
        }
        fs::rename(staging.join(rel), &target)?;
    }
    Ok(())
}

/// Removes what the previous site had and the new one does not.
fn remove_stale(output: &Output, dir: &Path) -> io::Result<()> {
    let files: HashSet<&str> = output.paths().chain([MARKER]).collect();
    let folders: HashSet<&str> = output
        .paths()
        .flat_map(|p| p.match_indices('/').map(move |(i, _)| &p[..i]))
        .collect();
    // Not `filter_entry`: with `contents_first` it would skip the rest of the folder.
    for top in fs::read_dir(dir)? {
        let top = top?.path();
        if top.ends_with(INNER_STAGING) || top.ends_with(INNER_LOCK) {
            continue;
        }
        for entry in WalkDir::new(&top).contents_first(true) {
            let entry = entry?;
            let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
            let rel = rel.to_string_lossy().replace('\\', "/");
            if entry.file_type().is_dir() {
                if !folders.contains(rel.as_str()) {
                    fs::remove_dir(entry.path())?;
                }
            } else if !files.contains(rel.as_str()) {
                fs::remove_file(entry.path())?;
            }
        }
    }
    Ok(())
}

/// Whether an output path names a file inside the output folder, whatever the system:
/// relative, made of plain names (no `.`, `..` or empty parts, no NUL).
fn stays_inside(path: &str) -> bool {
    !path.is_empty()
        && path
            .split(['/', '\\'])
            .all(|part| !matches!(part, "" | "." | "..") && !part.contains('\0'))
}

/// Writes the whole site into `root`, a new folder: the marker, then `output` while
/// `last` makes the last files, then those. Returns the whole site and the paths written:
/// all but those `reuse` kept where they were.
fn write_tree(
    output: &Output,
    last: impl FnOnce(&Output) -> Result<Output, String> + Send,
    root: &Path,
    reuse: Reuse,
) -> io::Result<(Output, Vec<String>)> {
    fs::create_dir(root)?;
    fs::write(root.join(MARKER), MARKER_TEXT)?;
    let (written, made) = std::thread::scope(|scope| {
        let making = scope.spawn(|| last(output));
        (files::write_files(output, root, reuse), making.join())
    });
    let made = made
        .map_err(|_| io::Error::other("the site's last files could not be made"))?
        .map_err(io::Error::other)?;
    let mut written: Vec<String> = written?.into_iter().map(str::to_owned).collect();
    written.extend(
        files::write_files(&made, root, reuse)?
            .into_iter()
            .map(str::to_owned),
    );
    let mut whole = output.clone();
    whole.extend(made);
    Ok((whole, written))
}

/// Removes a staging or retired folder that an interrupted build left, and only that:
/// one without the marker is someone else's.
fn clear_leftover(path: &Path) -> io::Result<()> {
    let Ok(meta) = path.symlink_metadata() else {
        return Ok(());
    };
    let empty = meta.is_dir() && fs::read_dir(path)?.next().is_none();
    if meta.is_dir() && (empty || path.join(MARKER).is_file()) {
        return fs::remove_dir_all(path);
    }
    Err(io::Error::other(format!(
        "{} is in the way and worklog did not write it: move it away",
        path.display()
    )))
}

/// Whether `dir` is where another file system is mounted: such a folder cannot be
/// renamed, only its contents changed.
fn is_mount_point(dir: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let (Some(parent), Ok(meta)) = (dir.parent(), dir.metadata()) else {
            return false;
        };
        parent.metadata().is_ok_and(|p| p.dev() != meta.dev())
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::StaticFile;
    use std::fs::File;

    fn site(files: &[(&str, &str)]) -> Output {
        let mut o = Output::default();
        for (p, b) in files {
            o.insert(*p, b.as_bytes().to_vec());
        }
        o
    }

    fn dest(dir: &Path) -> Destination {
        Destination {
            shown: dir.to_path_buf(),
            real: dir.to_path_buf(),
        }
    }

    fn listing(dir: &Path) -> Vec<String> {
        let mut all: Vec<String> = WalkDir::new(dir)
            .min_depth(1)
            .into_iter()
            .map(|e| {
                let e = e.unwrap();
                e.path()
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        all.sort();
        all
    }

    #[test]
    fn replaces_the_old_output_whole_and_leaves_nothing_beside_it() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        write(&site(&[("stale/index.html", "old")]), &dest(&out)).unwrap();
        write(&site(&[("a/index.html", "new")]), &dest(&out)).unwrap();
        assert_eq!(listing(&out), [MARKER, "a", "a/index.html"]);
        assert_eq!(listing(tmp.path()).len(), 4, "{:?}", listing(tmp.path()));
    }

    #[test]
    fn the_last_files_are_made_from_the_pages_and_written_with_them() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let pages = site(&[("a/index.html", "lambda")]);
        let whole = write_with(&pages, &dest(&out), |pages| {
            let text = pages.get("a/index.html").unwrap().unwrap();
            Ok(site(&[(
                "index/a.txt",
                std::str::from_utf8(&text).unwrap(),
            )]))
        })
        .unwrap();
        assert_eq!(
            listing(&out),
            [MARKER, "a", "a/index.html", "index", "index/a.txt"]
        );
        assert_eq!(
            fs::read_to_string(out.join("index/a.txt")).unwrap(),
            "lambda"
        );
        assert_eq!(
            whole.paths().collect::<Vec<_>>(),
            ["a/index.html", "index/a.txt"]
        );
    }

    #[test]
    fn when_the_last_files_cannot_be_made_the_old_output_stays_whole() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        write(&site(&[("old/index.html", "old")]), &dest(&out)).unwrap();
        let err = write_with(&site(&[("new/index.html", "new")]), &dest(&out), |_| {
            Err("search index (en): out of words".into())
        })
        .unwrap_err();
        assert!(err.previous_intact);
        assert!(err.message.contains("out of words"), "{}", err.message);
        assert_eq!(listing(&out), [MARKER, "old", "old/index.html"]);
        assert_eq!(listing(tmp.path()).len(), 4, "{:?}", listing(tmp.path()));
    }

    #[test]
    fn in_place_updates_files_and_folders_that_changed_kind() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let old = site(&[("a/index.html", "old"), ("b", "file"), ("c/d/e.txt", "x")]);
        write(&old, &dest(&out)).unwrap();
        let new = site(&[("a", "now a file"), ("b/index.html", "now a folder")]);
        in_place(&new, nothing_more, &out, "public").unwrap();
        assert_eq!(listing(&out), [MARKER, "a", "b", "b/index.html"]);
        assert_eq!(fs::read_to_string(out.join("a")).unwrap(), "now a file");
    }

    /// The last files are the site's too: what was in place is not stale beside them.
    #[test]
    fn in_place_keeps_the_last_files_and_removes_what_neither_part_has() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let old = site(&[("a/index.html", "a"), ("index/old.txt", "old")]);
        write(&old, &dest(&out)).unwrap();
        let whole = in_place(
            &site(&[("a/index.html", "a")]),
            |_| Ok(site(&[("index/new.txt", "new")])),
            &out,
            "public",
        )
        .unwrap();
        assert_eq!(
            listing(&out),
            [MARKER, "a", "a/index.html", "index", "index/new.txt"]
        );
        assert_eq!(whole.len(), 2);
    }

    #[test]
    fn a_path_that_would_leave_the_folder_writes_nothing() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        for bad in [
            "../x/index.html",
            "a/../../x",
            "/etc/x",
            "a//b",
            "./a",
            "a\\..\\..\\x",
            "a\0b",
            "",
        ] {
            let err = write(&site(&[("index.html", "x"), (bad, "x")]), &dest(&out)).unwrap_err();
            assert!(
                err.previous_intact && err.message.contains("would leave"),
                "{bad}"
            );
        }
        assert_eq!(listing(tmp.path()), Vec::<String>::new());
    }

    #[test]
    fn a_static_file_is_copied_as_the_build_read_it_or_the_write_stops() {
        let tmp = tempfile::tempdir().unwrap();
        let source = tmp.path().join("video.mp4");
        fs::write(&source, "frames").unwrap();
        let mut output = site(&[("index.html", "x")]);
        output.insert_file("video.mp4", StaticFile::read(&source).unwrap());
        let out = tmp.path().join("public");
        write(&output, &dest(&out)).unwrap();
        assert_eq!(fs::read_to_string(out.join("video.mp4")).unwrap(), "frames");
        // Same length, so only the time of the change tells.
        fs::write(&source, "FRAMES").unwrap();
        let later = std::time::SystemTime::now() + std::time::Duration::from_secs(5);
        File::options()
            .write(true)
            .open(&source)
            .unwrap()
            .set_modified(later)
            .unwrap();
        let fresh = tmp.path().join("fresh");
        let err = write(&output, &dest(&fresh)).unwrap_err();
        assert!(
            err.previous_intact && err.message.contains("changed while the site was built"),
            "{}",
            err.message
        );
        assert!(!fresh.exists());
        fs::write(&source, "longer frames").unwrap();
        assert!(write(&output, &dest(&fresh)).is_err());
        // The earlier site still has the bytes the build read: they are taken from it.
        write(&output, &dest(&out)).unwrap();
        assert_eq!(fs::read_to_string(out.join("video.mp4")).unwrap(), "frames");
    }

    #[cfg(unix)]
    #[test]
    fn a_read_only_static_file_makes_a_writable_copy() {
        use std::os::unix::fs::PermissionsExt;
        let tmp = tempfile::tempdir().unwrap();
        let source = tmp.path().join("a.pdf");
        fs::write(&source, "%PDF").unwrap();
        fs::set_permissions(&source, fs::Permissions::from_mode(0o444)).unwrap();
        let mut output = Output::default();
        output.insert_file("a.pdf", StaticFile::read(&source).unwrap());
        let out = tmp.path().join("public");
        write(&output, &dest(&out)).unwrap();
        let copied = fs::metadata(out.join("a.pdf")).unwrap();
        let page = fs::metadata(out.join(MARKER)).unwrap();
        assert_eq!(copied.permissions().mode(), page.permissions().mode());
    }

    #[test]
    fn a_leftover_without_the_marker_is_not_removed() {
        let tmp = tempfile::tempdir().unwrap();
        let leftover = tmp.path().join(".public.worklog-new");
        fs::create_dir(&leftover).unwrap();
        fs::write(leftover.join("mine.txt"), "keep").unwrap();
        let err = write(
            &site(&[("index.html", "x")]),
            &dest(&tmp.path().join("public")),
        );
        assert!(err.unwrap_err().previous_intact);
        assert_eq!(
            fs::read_to_string(leftover.join("mine.txt")).unwrap(),
            "keep"
        );
    }
}
