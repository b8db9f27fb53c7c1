//! One connection's state and its non-blocking reads and writes: what it is waiting
//! for, what it has read, what it still has to send. The connection thread decides what
//! happens next.

use std::io::{self, Read, Write};
use std::time::Instant;

use mio::net::TcpStream;

use super::HEAD_TIMEOUT;
use crate::serve::body::FilePart;
use crate::serve::http::{Outgoing, Response};
use crate::serve::request::MAX_HEAD;
use crate::serve::websocket::{self, Incoming};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Waiting for a request head; `idle` until its first byte.
    Head { idle: bool },
    /// A worker is making the answer.
    Busy,
    /// Sending an answer; `close` ends the connection after it.
    Writing { close: bool },
    /// Answered and half closed: reading what the client still sends, to drop it.
    Lingering { left: usize },
    /// A live reload WebSocket; `closing` once the page's close has been answered.
    Live { closing: bool },
}

pub struct Conn {
    pub stream: TcpStream,
    pub phase: Phase,
    pub input: Vec<u8>,
    pub output: Vec<u8>,
    pub sent: usize,
    /// The part of a file that follows `output`, read into it a piece at a time.
    file: Option<FilePart>,
    /// Bytes written since the connection opened: what tells a slow client from a gone one.
    pub written: u64,
    pub deadline: Option<Instant>,
    /// When the connection last started waiting for a head: the oldest gives way first.
    pub waiting_since: Instant,
    pub peer_closed: bool,
}

impl Conn {
    pub fn new(stream: TcpStream, now: Instant) -> Conn {
        Conn {
            stream,
            phase: Phase::Head { idle: false },
            input: Vec::new(),
            output: Vec::new(),
            sent: 0,
            file: None,
            written: 0,
            deadline: Some(now + HEAD_TIMEOUT),
            waiting_since: now,
            peer_closed: false,
        }
    }

    /// Queues an answer that ends the connection.
    pub fn reply(&mut self, response: Response) {
        self.send(response.into_outgoing(false, true));
        self.phase = Phase::Writing { close: true };
    }

    /// Queues an answer, to go out with [`Conn::flush`].
    pub fn send(&mut self, outgoing: Outgoing) {
        self.output = outgoing.bytes;
        self.sent = 0;
        self.file = outgoing.file;
    }

    /// Reads what has arrived, up to a little over a head's limit: anything longer is
    /// refused without being read.
    pub fn fill(&mut self) -> io::Result<()> {
        let mut chunk = [0u8; 16 * 1024];
        while self.input.len() <= MAX_HEAD && !self.peer_closed {
            match self.stream.read(&mut chunk) {
                Ok(0) => self.peer_closed = true,
                Ok(n) => self.input.extend_from_slice(&chunk[..n]),
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    /// Reads and drops up to `left` bytes; `None` once the client is done or over the limit.
    pub fn discard(&mut self, mut left: usize) -> io::Result<Option<usize>> {
        let mut chunk = [0u8; 16 * 1024];
        loop {
            match self.stream.read(&mut chunk) {
                Ok(0) => return Ok(None),
                Ok(n) if n >= left => return Ok(None),
                Ok(n) => left -= n,
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Ok(Some(left)),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
    }

    /// Writes what is queued, reading a file's part as the client takes it; `true` once
    /// all of it is sent.
    pub fn flush(&mut self) -> io::Result<bool> {
        loop {
            while self.sent < self.output.len() {
                match self.stream.write(&self.output[self.sent..]) {
                    Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
                    Ok(n) => {
                        self.sent += n;
                        self.written += n as u64;
                    }
                    Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Ok(false),
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(e) => return Err(e),
                }
            }
            match &mut self.file {
                Some(part) if !part.is_done() => {
                    part.next_piece(&mut self.output)?;
                    self.sent = 0;
                }
                _ => break,
            }
        }
        // Freed, not kept: an idle kept-alive connection would otherwise hold its last
        // page's worth of memory, and its last file open.
        self.output = Vec::new();
        self.sent = 0;
        self.file = None;
        Ok(true)
    }

    /// Answers the control frames a page sent.
    pub fn read_frames(&mut self) -> Result<(), ()> {
        loop {
            match websocket::read_frame(&self.input) {
                Incoming::Partial if self.input.len() > MAX_HEAD => return Err(()),
                Incoming::Partial => return Ok(()),
                Incoming::Invalid => return Err(()),
                Incoming::Skip { used } => {
                    self.input.drain(..used);
                }
                Incoming::Reply { used, bytes, close } => {
                    self.input.drain(..used);
                    self.output.extend(bytes);
                    if close {
                        self.phase = Phase::Live { closing: true };
                        return Ok(());
                    }
                }
            }
        }
    }
}
