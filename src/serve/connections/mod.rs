//! Every socket of the server, on one thread: accepting, reading request heads under a
//! size limit and a deadline, writing answers, keep-alive, and the live reload
//! WebSockets. Answers are made by a fixed pool of workers ([`http::answer`]).
//!
//! No thread ever waits on a client: a connection costs a buffer, not a thread, so slow
//! or idle clients (a browser's spare keep-alive connections, twenty tabs' sockets, a
//! thousand connections that never finish their headers) cannot use the server up. When
//! connections run out, the one that has waited longest for its request head gives way
//! to the newcomer.

use std::collections::HashMap;
use std::io;
use std::net::Shutdown;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use mio::net::TcpListener;
use mio::{Events, Interest, Poll, Token, Waker};

mod conn;
mod workers;

use super::State;
use super::http::{self, Response};
use super::live::{Broadcaster, Event, LIVE_PATH};
use super::request::{self, Head, Request};
use super::websocket;
use conn::{Conn, Phase};
use workers::{Done, Job, work};

const LISTENER: Token = Token(0);
const WAKER: Token = Token(1);
/// Connections other than live reload sockets.
const MAX_CONNECTIONS: usize = 512;
const MAX_LIVE: usize = 256;
/// From a connection's first byte (or its opening) to the end of its request head.
const HEAD_TIMEOUT: Duration = Duration::from_secs(10);
/// A kept-alive connection with no request.
const IDLE_TIMEOUT: Duration = Duration::from_secs(30);
/// A client that takes nothing of its answer for this long is gone.
const WRITE_TIMEOUT: Duration = Duration::from_secs(30);
/// After an answer that ends the connection, what the client still sends is read and
/// dropped for a while, so that closing does not reset the connection before the client
/// has read the answer (a `431` to a client still sending its header).
const LINGER_TIME: Duration = Duration::from_secs(2);
const LINGER_BYTES: usize = 1 << 20;
/// Events a browser has not taken yet; past this it is not reading, and is dropped.
const LIVE_BACKLOG: usize = 1 << 20;
const PING_EVERY: Duration = Duration::from_secs(30);
/// How soon to try again when accepting failed for want of file descriptors.
const ACCEPT_RETRY: Duration = Duration::from_millis(100);

/// The listening socket and what the rest of the server uses to reach it, before the
/// connection thread starts.
pub struct Connections {
    poll: Poll,
    listener: TcpListener,
    waker: Arc<Waker>,
    frames: Receiver<Vec<u8>>,
    frames_tx: Sender<Vec<u8>>,
}

impl Connections {
    pub fn new(listener: std::net::TcpListener) -> io::Result<Connections> {
        listener.set_nonblocking(true)?;
        let mut listener = TcpListener::from_std(listener);
        let poll = Poll::new()?;
        poll.registry()
            .register(&mut listener, LISTENER, Interest::READABLE)?;
        let waker = Arc::new(Waker::new(poll.registry(), WAKER)?);
        let (frames_tx, frames) = channel();
        Ok(Connections {
            poll,
            listener,
            waker,
            frames,
            frames_tx,
        })
    }

    /// What the rebuild loop tells the open pages through.
    pub fn broadcaster(&self) -> Broadcaster {
        Broadcaster::new(self.frames_tx.clone(), Arc::clone(&self.waker))
    }

    /// Starts the connection thread and `workers` answering threads.
    pub fn spawn(self, state: Arc<State>, workers: usize) {
        let (jobs_tx, jobs) = channel::<Job>();
        let (done_tx, done) = channel::<Done>();
        let jobs = Arc::new(Mutex::new(jobs));
        for _ in 0..workers {
            let (jobs, done_tx, state) = (Arc::clone(&jobs), done_tx.clone(), Arc::clone(&state));
            let waker = Arc::clone(&self.waker);
            std::thread::spawn(move || work(&jobs, &done_tx, &waker, &state));
        }
        let mut looping = Loop {
            poll: self.poll,
            listener: self.listener,
            frames: self.frames,
            jobs: jobs_tx,
            done,
            state,
            conns: HashMap::new(),
            next_token: 2,
            live: 0,
            next_scan: Instant::now() + PING_EVERY,
            next_ping: Instant::now() + PING_EVERY,
            accept_paused: false,
        };
        std::thread::spawn(move || looping.run());
    }
}

struct Loop {
    poll: Poll,
    listener: TcpListener,
    frames: Receiver<Vec<u8>>,
    jobs: Sender<Job>,
    done: Receiver<Done>,
    state: Arc<State>,
    conns: HashMap<Token, Conn>,
    next_token: usize,
    live: usize,
    next_scan: Instant,
    next_ping: Instant,
    accept_paused: bool,
}

impl Loop {
    fn run(&mut self) {
        let mut events = Events::with_capacity(256);
        loop {
            let now = Instant::now();
            let mut timeout = self.next_scan.saturating_duration_since(now);
            if self.accept_paused {
                timeout = timeout.min(ACCEPT_RETRY);
            }
            if let Err(e) = self.poll.poll(&mut events, Some(timeout)) {
                if e.kind() == io::ErrorKind::Interrupted {
                    continue;
                }
                eprintln!("worklog: the server stopped: {e}");
                return;
            }
            for event in events.iter() {
                match event.token() {
                    LISTENER => self.accept(),
                    WAKER => {
                        self.finish_jobs();
                        self.broadcast();
                    }
                    token => self.drive(token),
                }
            }
            if self.accept_paused {
                self.accept();
            }
            self.expire();
        }
    }

    fn accept(&mut self) {
        self.accept_paused = false;
        loop {
            match self.listener.accept() {
                Ok((mut stream, _)) => {
                    if self.conns.len() - self.live >= MAX_CONNECTIONS && !self.evict_oldest() {
                        continue;
                    }
                    let token = Token(self.next_token);
                    self.next_token += 1;
                    // Nagle's algorithm would hold the second piece of an answer on a
                    // kept-alive connection for the browser's delayed ACK (~40 ms).
                    let _ = stream.set_nodelay(true);
                    let interest = Interest::READABLE | Interest::WRITABLE;
                    if self
                        .poll
                        .registry()
                        .register(&mut stream, token, interest)
                        .is_err()
                    {
                        continue;
                    }
                    let now = Instant::now();
                    self.conns.insert(token, Conn::new(stream, now));
                    self.next_scan = self.next_scan.min(now + HEAD_TIMEOUT);
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return,
                Err(e)
                    if matches!(
                        e.kind(),
                        io::ErrorKind::Interrupted | io::ErrorKind::ConnectionAborted
                    ) => {}
                // Out of file descriptors, most likely: free one, and come back soon
                // rather than spin on a listener that stays ready.
                Err(_) => {
                    if !self.evict_oldest() {
                        self.accept_paused = true;
                        return;
                    }
                }
            }
        }
    }

    /// Closes the connection that has waited longest for a request head.
    fn evict_oldest(&mut self) -> bool {
        let oldest = self
            .conns
            .iter()
            .filter(|(_, c)| matches!(c.phase, Phase::Head { .. }))
            .min_by_key(|(_, c)| c.waiting_since)
            .map(|(t, _)| *t);
        oldest.map(|t| self.close(t)).is_some()
    }

    fn close(&mut self, token: Token) {
        if let Some(mut conn) = self.conns.remove(&token) {
            if matches!(conn.phase, Phase::Live { .. }) {
                self.live -= 1;
            }
            let _ = self.poll.registry().deregister(&mut conn.stream);
        }
    }

    /// Moves a connection on as far as it can go without waiting.
    fn drive(&mut self, token: Token) {
        loop {
            let Some(conn) = self.conns.get_mut(&token) else {
                return;
            };
            let now = Instant::now();
            match conn.phase {
                Phase::Head { idle } => {
                    if conn.fill().is_err() {
                        return self.close(token);
                    }
                    if idle && !conn.input.is_empty() {
                        conn.phase = Phase::Head { idle: false };
                        conn.deadline = Some(now + HEAD_TIMEOUT);
                    }
                    match request::parse_head(&conn.input) {
                        Head::Partial if conn.peer_closed => return self.close(token),
                        Head::Partial => break,
                        Head::TooLarge => conn.reply(Response::text(431, "request head too large")),
                        Head::Invalid => conn.reply(Response::text(400, "bad request")),
                        Head::Complete(request, used) => {
                            conn.input.drain(..used);
                            self.start(token, request);
                        }
                    }
                }
                Phase::Busy => break,
                Phase::Writing { close } => {
                    let before = conn.written;
                    match conn.flush() {
                        Err(_) => return self.close(token),
                        Ok(false) => {
                            // Only progress earns more time: a client that takes
                            // nothing is gone.
                            if conn.written > before || conn.deadline.is_none() {
                                conn.deadline = Some(now + WRITE_TIMEOUT);
                            }
                            break;
                        }
                        Ok(true) if close || conn.peer_closed => {
                            let _ = conn.stream.shutdown(Shutdown::Write);
                            conn.phase = Phase::Lingering { left: LINGER_BYTES };
                            conn.deadline = Some(now + LINGER_TIME);
                        }
                        Ok(true) => {
                            let idle = conn.input.is_empty();
                            conn.phase = Phase::Head { idle };
                            conn.waiting_since = now;
                            let wait = if idle { IDLE_TIMEOUT } else { HEAD_TIMEOUT };
                            conn.deadline = Some(now + wait);
                        }
                    }
                }
                Phase::Lingering { left } => {
                    conn.input.clear();
                    match conn.discard(left) {
                        Ok(Some(left)) => {
                            conn.phase = Phase::Lingering { left };
                            break;
                        }
                        _ => return self.close(token),
                    }
                }
                Phase::Live { closing } => {
                    if !closing
                        && (conn.fill().is_err() || conn.peer_closed || conn.read_frames().is_err())
                    {
                        return self.close(token);
                    }
                    match conn.flush() {
                        Err(_) => return self.close(token),
                        Ok(true) if matches!(conn.phase, Phase::Live { closing: true }) => {
                            return self.close(token);
                        }
                        Ok(true) => conn.deadline = None,
                        Ok(false) => {
                            conn.deadline.get_or_insert(now + WRITE_TIMEOUT);
                        }
                    }
                    break;
                }
            }
        }
        if let Some(deadline) = self.conns.get(&token).and_then(|c| c.deadline) {
            self.next_scan = self.next_scan.min(deadline);
        }
    }

    /// A whole request head has come: a WebSocket for live reload, or a job.
    fn start(&mut self, token: Token, request: Request) {
        let Some(conn) = self.conns.get_mut(&token) else {
            return;
        };
        let path = request.url.split('?').next().unwrap_or_default();
        if let ("GET", LIVE_PATH, Some(key)) =
            (request.method.as_str(), path, &request.websocket_key)
        {
            let hosts: Vec<&str> = request.hosts.iter().map(String::as_str).collect();
            if !websocket::same_origin(request.origin.as_deref(), &hosts) {
                return conn.reply(Response::text(403, "not a page of this site"));
            }
            if self.live >= MAX_LIVE {
                return conn.reply(Response::text(503, "too many open pages"));
            }
            self.live += 1;
            conn.output = http::switching_protocols(&websocket::accept_key(key));
            conn.sent = 0;
            // A page opened while the site is broken learns of it at once.
            if let Some(message) = self.state.snapshot().error {
                let event = Event::Error {
                    message,
                    still: false,
                };
                conn.output.extend(event.frame());
            }
            conn.phase = Phase::Live { closing: false };
            conn.deadline = None;
            return;
        }
        conn.phase = Phase::Busy;
        conn.deadline = None;
        let close = !request.keep_alive || conn.peer_closed;
        let _ = self.jobs.send(Job {
            token,
            request,
            close,
        });
    }

    fn finish_jobs(&mut self) {
        while let Ok(done) = self.done.try_recv() {
            let Some(conn) = self.conns.get_mut(&done.token) else {
                continue;
            };
            conn.send(done.outgoing);
            conn.phase = Phase::Writing { close: done.close };
            self.drive(done.token);
        }
    }

    fn broadcast(&mut self) {
        let frames: Vec<Vec<u8>> = self.frames.try_iter().collect();
        if frames.is_empty() {
            return;
        }
        self.send_to_pages(&frames.concat());
    }

    fn send_to_pages(&mut self, bytes: &[u8]) {
        let live: Vec<Token> = self
            .conns
            .iter()
            .filter(|(_, c)| c.phase == Phase::Live { closing: false })
            .map(|(t, _)| *t)
            .collect();
        for token in live {
            let Some(conn) = self.conns.get_mut(&token) else {
                continue;
            };
            if conn.output.len() - conn.sent + bytes.len() > LIVE_BACKLOG {
                self.close(token);
                continue;
            }
            conn.output.extend_from_slice(bytes);
            self.drive(token);
        }
    }

    /// Closes connections past their deadline, and pings the open pages.
    fn expire(&mut self) {
        let now = Instant::now();
        if now < self.next_scan {
            return;
        }
        if now >= self.next_ping {
            self.next_ping = now + PING_EVERY;
            self.send_to_pages(&websocket::ping_frame());
        }
        let expired: Vec<Token> = self
            .conns
            .iter()
            .filter(|(_, c)| c.deadline.is_some_and(|d| d <= now))
            .map(|(t, _)| *t)
            .collect();
        for token in expired {
            self.close(token);
        }
        self.next_scan = self
            .conns
            .values()
            .filter_map(|c| c.deadline)
            .fold(self.next_ping, Instant::min);
    }
}
