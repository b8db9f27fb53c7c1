//! The lock that lets one build at a time write an output folder: a file held with an
//! exclusive lock, removed when the build is done. Knows nothing of what is written.

use std::fs::{self, File, OpenOptions, TryLockError};
use std::io;
use std::path::{Path, PathBuf};

/// An exclusive hold on a lock file, removed when released.
pub struct Lock {
    path: PathBuf,
    _file: File,
}

impl Lock {
    /// `None` when another process holds it.
    pub fn take(path: &Path) -> io::Result<Option<Lock>> {
        // A build that finishes removes the file while it still holds it; a lock taken
        // on such a removed file guards nothing, so take the one at the path again.
        for _ in 0..8 {
            let file = OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true)
                .open(path)?;
            match file.try_lock() {
                Ok(()) => {}
                Err(TryLockError::WouldBlock) => return Ok(None),
                Err(TryLockError::Error(e)) => return Err(e),
            }
            if same_file(&file, path) {
                return Ok(Some(Lock {
                    path: path.to_path_buf(),
                    _file: file,
                }));
            }
        }
        Ok(None)
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        // Removed before the file closes, which releases the lock.
        let _ = fs::remove_file(&self.path);
    }
}

fn same_file(file: &File, path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (file.metadata(), fs::metadata(path)) {
            (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = (file, path);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_held_lock_stops_a_second_writer_and_is_removed_after() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join(".public.worklog-lock");
        let held = Lock::take(&path).unwrap().expect("free");
        assert!(Lock::take(&path).unwrap().is_none());
        drop(held);
        assert!(!path.exists());
        assert!(Lock::take(&path).unwrap().is_some());
    }
}
