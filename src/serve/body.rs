//! A response's body: bytes made in memory, or a part of a file on disk that is read a
//! piece at a time as the client takes it, so a 300 MB video costs the server one
//! piece's worth of memory, not 300 MB per request.
//!
//! Knows files and byte counts, not HTTP or sockets.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::Path;

/// What one read of a file takes: about what a socket's send buffer holds.
const PIECE: u64 = 64 * 1024;

#[derive(Debug)]
pub enum Body {
    Bytes(Vec<u8>),
    File(FilePart),
}

impl Body {
    /// What `Content-Length` says.
    pub fn content_length(&self) -> u64 {
        match self {
            Body::Bytes(b) => b.len() as u64,
            Body::File(part) => part.left,
        }
    }
}

/// An open file, positioned where the part starts, and how much of it is still to send.
#[derive(Debug)]
pub struct FilePart {
    file: File,
    left: u64,
}

/// A file opened for sending, with its length as it is now: what a `Range` is read
/// against, and what `Content-Length` says.
pub struct OpenFile {
    file: File,
    pub len: u64,
}

impl OpenFile {
    pub fn open(path: &Path) -> io::Result<OpenFile> {
        let file = File::open(path)?;
        let len = file.metadata()?.len();
        Ok(OpenFile { file, len })
    }

    /// The bytes `start..end` of the file, to send.
    pub fn part(mut self, start: u64, end: u64) -> io::Result<FilePart> {
        self.file.seek(SeekFrom::Start(start))?;
        Ok(FilePart {
            file: self.file,
            left: end.saturating_sub(start),
        })
    }
}

impl FilePart {
    pub fn is_done(&self) -> bool {
        self.left == 0
    }

    /// Replaces `buffer` with the next piece. A file that ends before its part does was
    /// cut short while it was sent: an error, since its length was promised.
    pub fn next_piece(&mut self, buffer: &mut Vec<u8>) -> io::Result<()> {
        buffer.clear();
        let want = self.left.min(PIECE);
        let read = (&mut self.file).take(want).read_to_end(buffer)?;
        if read == 0 && want > 0 {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "the file got shorter while it was sent",
            ));
        }
        self.left -= read as u64;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file_of(len: u8) -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("video.mp4");
        std::fs::write(&path, (0..len).collect::<Vec<u8>>()).unwrap();
        (dir, path)
    }

    fn send_all(mut part: FilePart) -> io::Result<Vec<u8>> {
        let mut sent = Vec::new();
        let mut buffer = Vec::new();
        while !part.is_done() {
            part.next_piece(&mut buffer)?;
            sent.extend_from_slice(&buffer);
        }
        Ok(sent)
    }

    #[test]
    fn a_part_sends_exactly_its_bytes() {
        let (_dir, path) = file_of(100);
        let open = OpenFile::open(&path).unwrap();
        assert_eq!(open.len, 100);
        let part = open.part(10, 20).unwrap();
        assert_eq!(Body::File(part).content_length(), 10);
        let part = OpenFile::open(&path).unwrap().part(10, 20).unwrap();
        assert_eq!(send_all(part).unwrap(), (10u8..20).collect::<Vec<_>>());
    }

    #[test]
    fn a_file_cut_short_while_sent_is_an_error() {
        let (_dir, path) = file_of(100);
        let part = OpenFile::open(&path).unwrap().part(0, 100).unwrap();
        std::fs::OpenOptions::new()
            .write(true)
            .open(&path)
            .unwrap()
            .set_len(50)
            .unwrap();
        assert_eq!(
            send_all(part).unwrap_err().kind(),
            io::ErrorKind::UnexpectedEof
        );
    }
}
