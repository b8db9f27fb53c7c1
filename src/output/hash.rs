//! The content hash of a file of the site: what tells a rebuild that a file changed, and
//! what cache-busting URLs carry. Files on disk are hashed as they are read, a piece at a
//! time, so a 300 MB video costs a buffer, not 300 MB of memory.
//!
//! FNV-1a ([`super::fnv1a`]) takes a byte at a time: about 1 GB/s, which made hashing
//! `static/` a visible part of a build. This takes 16 bytes per 128-bit multiply (the core
//! of wyhash), about ten times as fast. It is not a cryptographic hash: it tells edits
//! apart, it does not resist forgeries.

use std::io::{self, Read};

const P0: u64 = 0xa076_1d64_78bd_642f;
const P1: u64 = 0xe703_7ed1_a0b4_28db;
const BLOCK: usize = 16;
/// What one read takes: large enough that system calls cost little, small enough that
/// hashing every static file at once on every core stays a few MB.
const READ_BUFFER: usize = 256 * 1024;

fn mum(a: u64, b: u64) -> u64 {
    let r = u128::from(a) * u128::from(b);
    (r as u64) ^ ((r >> 64) as u64)
}

fn words(block: &[u8; BLOCK]) -> (u64, u64) {
    let n = u128::from_le_bytes(*block);
    (n as u64, (n >> 64) as u64)
}

/// A hash fed in pieces: the same bytes give the same hash however they are split.
#[derive(Debug, Clone)]
pub struct ContentHasher {
    state: u64,
    len: u64,
    /// The start of a block that the last piece did not complete.
    pending: [u8; BLOCK],
    pending_len: usize,
}

impl Default for ContentHasher {
    fn default() -> ContentHasher {
        ContentHasher {
            state: P0,
            len: 0,
            pending: [0; BLOCK],
            pending_len: 0,
        }
    }
}

impl ContentHasher {
    pub fn update(&mut self, mut bytes: &[u8]) {
        self.len += bytes.len() as u64;
        if self.pending_len > 0 {
            let take = (BLOCK - self.pending_len).min(bytes.len());
            self.pending[self.pending_len..self.pending_len + take].copy_from_slice(&bytes[..take]);
            self.pending_len += take;
            bytes = &bytes[take..];
            if self.pending_len < BLOCK {
                return;
            }
            let block = self.pending;
            self.mix(&block);
            self.pending_len = 0;
        }
        let (blocks, rest) = bytes.as_chunks::<BLOCK>();
        for block in blocks {
            self.mix(block);
        }
        self.pending[..rest.len()].copy_from_slice(rest);
        self.pending_len = rest.len();
    }

    fn mix(&mut self, block: &[u8; BLOCK]) {
        let (a, b) = words(block);
        self.state ^= mum(a ^ P1, b ^ self.state);
    }

    pub fn finish(&self) -> u64 {
        let mut last = [0; BLOCK];
        last[..self.pending_len].copy_from_slice(&self.pending[..self.pending_len]);
        let (a, b) = words(&last);
        // The length tells `ab` from `ab\0`, which pad the last block alike.
        mum(mum(a ^ P1, b ^ self.state), self.len ^ P0)
    }
}

/// The content hash of bytes in memory.
pub fn hash_bytes(bytes: &[u8]) -> u64 {
    let mut hasher = ContentHasher::default();
    hasher.update(bytes);
    hasher.finish()
}

/// The length and content hash of what `reader` gives until its end. `expected_len`
/// sizes the buffer: a file of a few KB is read without allocating, and faulting in,
/// a buffer made for videos.
pub fn hash_reader(mut reader: impl Read, expected_len: u64) -> io::Result<(u64, u64)> {
    let mut hasher = ContentHasher::default();
    let size = usize::try_from(expected_len).map_or(READ_BUFFER, |n| n.clamp(1, READ_BUFFER));
    let mut buffer = vec![0; size];
    loop {
        match reader.read(&mut buffer) {
            Ok(0) => return Ok((hasher.len, hasher.finish())),
            Ok(n) => hasher.update(&buffer[..n]),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(len: usize) -> Vec<u8> {
        (0..len as u64)
            .map(|i| (i.wrapping_mul(0x9e37_79b9) >> 7) as u8)
            .collect()
    }

    #[test]
    fn pieces_of_any_size_give_the_hash_of_the_whole() {
        let bytes = sample(1000);
        let whole = hash_bytes(&bytes);
        for piece in [1, 3, 15, 16, 17, 100, 999] {
            let mut hasher = ContentHasher::default();
            for chunk in bytes.chunks(piece) {
                hasher.update(chunk);
            }
            assert_eq!(hasher.finish(), whole, "pieces of {piece}");
        }
        for expected_len in [0, 10, 1000, 1 << 40] {
            let (len, streamed) = hash_reader(&bytes[..], expected_len).unwrap();
            assert_eq!((len, streamed), (1000, whole));
        }
    }

    #[test]
    fn any_one_changed_byte_or_length_changes_the_hash() {
        let bytes = sample(100);
        let mut seen = std::collections::HashSet::new();
        assert!(seen.insert(hash_bytes(&bytes)));
        for at in 0..bytes.len() {
            let mut changed = bytes.clone();
            changed[at] ^= 1;
            assert!(seen.insert(hash_bytes(&changed)), "byte {at}");
        }
        for len in 0..bytes.len() {
            assert!(seen.insert(hash_bytes(&bytes[..len])), "length {len}");
        }
        assert_ne!(hash_bytes(b"ab"), hash_bytes(b"ab\0"));
    }
}
