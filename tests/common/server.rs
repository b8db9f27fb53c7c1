//! A running `worklog serve` on a fixture site, a raw HTTP client that sends paths
//! exactly as written (no normalisation of `..`), and a live reload WebSocket client,
//! for the server tests.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub struct ServeProcess {
    child: Child,
    pub url: String,
    pub port: u16,
    lines: Arc<Mutex<Vec<String>>>,
}

impl ServeProcess {
    pub fn start(site: &Path, extra: &[&str]) -> ServeProcess {
        let port = free_port();
        Self::start_on(site, port, extra)
    }

    pub fn start_on(site: &Path, port: u16, extra: &[&str]) -> ServeProcess {
        let mut command = Command::new(env!("CARGO_BIN_EXE_worklog"));
        command
            .args(["serve", "--source"])
            .arg(site)
            .args(["--port", &port.to_string()])
            .args(extra);
        Self::launch(command)
    }

    /// `worklog serve ARGS` run in `dir`, as a user starts it in the site's folder.
    pub fn start_in(dir: &Path, args: &[&str]) -> ServeProcess {
        let mut command = Command::new(env!("CARGO_BIN_EXE_worklog"));
        command.current_dir(dir).arg("serve").args(args);
        Self::launch(command)
    }

    fn launch(mut command: Command) -> ServeProcess {
        let mut child = command
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let lines = Arc::new(Mutex::new(Vec::new()));
        for stream in [
            Box::new(child.stdout.take().unwrap()) as Box<dyn Read + Send>,
            Box::new(child.stderr.take().unwrap()),
        ] {
            let lines = Arc::clone(&lines);
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    lines.lock().unwrap().push(line);
                }
            });
        }
        let mut server = ServeProcess {
            child,
            url: String::new(),
            port: 0,
            lines,
        };
        let line = server.wait_for_line(|l| l.contains(" at http://"), Duration::from_secs(20));
        let url = line
            .split(" at ")
            .nth(1)
            .unwrap()
            .split_whitespace()
            .next()
            .unwrap()
            .to_string();
        server.port = url
            .split(':')
            .nth(2)
            .unwrap()
            .split('/')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        server.url = url;
        server
    }

    pub fn output(&self) -> Vec<String> {
        self.lines.lock().unwrap().clone()
    }

    pub fn wait_for_line(&self, pred: impl Fn(&str) -> bool, timeout: Duration) -> String {
        self.wait_for_nth_line(1, pred, timeout)
    }

    /// Waits for the `n`th line (from 1) that `pred` accepts, and returns it.
    pub fn wait_for_nth_line(
        &self,
        n: usize,
        pred: impl Fn(&str) -> bool,
        timeout: Duration,
    ) -> String {
        let start = Instant::now();
        loop {
            if let Some(l) = self
                .lines
                .lock()
                .unwrap()
                .iter()
                .filter(|l| pred(l))
                .nth(n - 1)
            {
                return l.clone();
            }
            assert!(
                start.elapsed() < timeout,
                "timed out; server said:\n{}",
                self.output().join("\n")
            );
            std::thread::sleep(Duration::from_millis(2));
        }
    }

    /// How many rebuild lines the server printed so far.
    pub fn rebuilds(&self) -> usize {
        self.output()
            .iter()
            .filter(|l| l.contains("rebuilt in") || l.contains("serving the last good build"))
            .count()
    }

    /// GET (or another method) of a raw path.
    pub fn request(&self, method: &str, path: &str) -> HttpResponse {
        request(self.port, method, path)
    }

    pub fn get(&self, path: &str) -> HttpResponse {
        self.request("GET", path)
    }

    /// Polls `path` until its body satisfies `pred`.
    pub fn wait_for_body(&self, path: &str, pred: impl Fn(&str) -> bool) -> HttpResponse {
        let start = Instant::now();
        loop {
            let r = self.get(path);
            if pred(&r.body) {
                return r;
            }
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "timed out waiting on {path}; server said:\n{}",
                self.output().join("\n")
            );
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    /// An open live reload socket, as a page of the site opens it.
    pub fn live(&self) -> LiveSocket {
        match live_socket(self.port, &[]) {
            Ok(socket) => socket,
            Err(refused) => panic!("live reload refused: {refused:?}"),
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// A field of the server's `/proc/PID/status` (`Threads`, `VmRSS` in kB), as a number.
    pub fn status_number(&self, key: &str) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid())).unwrap();
        status
            .lines()
            .find_map(|l| l.strip_prefix(&format!("{key}:")))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("no {key} in {status}"))
    }
}

impl Drop for ServeProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// RFC 6455's example key, whose accept value is known.
const WS_KEY: &str = "dGhlIHNhbXBsZSBub25jZQ==";
const WS_ACCEPT: &str = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

/// Opens `/__worklog/live` on `port` with `extra` headers (`Origin: …`): the socket,
/// or the HTTP answer that refused it.
pub fn live_socket(port: u16, extra: &[&str]) -> Result<LiveSocket, HttpResponse> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let mut head = format!(
        "GET /__worklog/live HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: {WS_KEY}\r\n"
    );
    for h in extra {
        head.push_str(h);
        head.push_str("\r\n");
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut raw = Vec::new();
    let mut buf = [0u8; 4096];
    let end = loop {
        if let Some(i) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        let n = stream.read(&mut buf).unwrap();
        assert!(n > 0, "closed during the handshake: {raw:?}");
        raw.extend_from_slice(&buf[..n]);
    };
    let response = parse_response(&String::from_utf8_lossy(&raw[..end]));
    if response.status != 101 {
        return Err(response);
    }
    assert_eq!(response.header("Sec-WebSocket-Accept"), Some(WS_ACCEPT));
    stream
        .set_read_timeout(Some(Duration::from_millis(100)))
        .unwrap();
    Ok(LiveSocket {
        stream,
        raw: raw[end..].to_vec(),
        seen: String::new(),
    })
}

/// A live reload client: every text message the server sent, one a line.
pub struct LiveSocket {
    stream: TcpStream,
    raw: Vec<u8>,
    pub seen: String,
}

impl LiveSocket {
    /// Waits until a message has carried `needle`.
    pub fn wait_for(&mut self, needle: &str) -> &str {
        let start = Instant::now();
        while !self.seen.contains(needle) {
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "no {needle:?} in messages: {}",
                self.seen
            );
            self.read_some();
        }
        &self.seen
    }

    /// Takes in what arrives within about 100 ms.
    pub fn read_some(&mut self) {
        let mut buf = [0u8; 65536];
        match self.stream.read(&mut buf) {
            Ok(0) => panic!("live reload socket closed after: {}", self.seen),
            Ok(n) => self.raw.extend_from_slice(&buf[..n]),
            Err(_) => {}
        }
        while let Some((opcode, payload, used)) = frame(&self.raw) {
            if opcode == 1 {
                self.seen.push_str(&String::from_utf8_lossy(&payload));
                self.seen.push('\n');
            }
            self.raw.drain(..used);
        }
    }
}

/// The first whole server frame of `raw`: opcode, payload, bytes used.
fn frame(raw: &[u8]) -> Option<(u8, Vec<u8>, usize)> {
    if raw.len() < 2 {
        return None;
    }
    assert_eq!(raw[1] & 0x80, 0, "a server frame is never masked");
    let (len, at) = match raw[1] & 0x7f {
        126 => (u16::from_be_bytes([*raw.get(2)?, *raw.get(3)?]) as usize, 4),
        127 => (
            u64::from_be_bytes(raw.get(2..10)?.try_into().unwrap()) as usize,
            10,
        ),
        n => (n as usize, 2),
    };
    let payload = raw.get(at..at + len)?;
    Some((raw[0] & 0x0f, payload.to_vec(), at + len))
}

#[derive(Debug)]
pub struct HttpResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl HttpResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

pub fn request(port: u16, method: &str, path: &str) -> HttpResponse {
    request_with(port, method, path, &[])
}

/// A request with `headers` (`Range: bytes=0-1`) on a connection of its own.
pub fn request_with(port: u16, method: &str, path: &str, headers: &[&str]) -> HttpResponse {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let extra: String = headers.iter().map(|h| format!("{h}\r\n")).collect();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n{extra}\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    parse_response(&String::from_utf8_lossy(&raw))
}

/// A response's status, headers and body (as text).
pub fn parse_response(text: &str) -> HttpResponse {
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((text, ""));
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    HttpResponse {
        status,
        headers,
        body: body.to_string(),
    }
}

/// A port free now, for a server started next. It is taken below the range the system
/// hands out for port 0 and for the local end of outgoing connections (32768 and up on
/// Linux), so that neither a test's many requests nor a browser's own ports take it
/// before the server binds it. Each call in a process gives another port.
pub fn free_port() -> u16 {
    use std::sync::atomic::{AtomicU32, Ordering};
    static CALLS: AtomicU32 = AtomicU32::new(0);
    let ephemeral_low: u32 = std::fs::read_to_string("/proc/sys/net/ipv4/ip_local_port_range")
        .ok()
        .and_then(|r| r.split_whitespace().next()?.parse().ok())
        .unwrap_or(32768);
    let (low, span) = (10_000, ephemeral_low.saturating_sub(10_000));
    for _ in 0..span.min(1000) {
        let n = CALLS.fetch_add(1, Ordering::Relaxed);
        let port = low + (std::process::id().wrapping_mul(7919) + n) % span;
        if std::net::TcpListener::bind(("127.0.0.1", port as u16)).is_ok() {
            return port as u16;
        }
    }
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The port a child process says it listens on, in the first line of `output` holding
/// `marker` followed by the port; the rest of its output is read and dropped, so that it
/// never blocks on a full pipe.
pub fn announced_port(output: impl std::io::Read + Send + 'static, marker: &str) -> u16 {
    use std::io::BufRead;
    let (tx, rx) = std::sync::mpsc::channel();
    let marker = marker.to_string();
    std::thread::spawn(move || {
        let mut sent = false;
        for line in std::io::BufReader::new(output)
            .lines()
            .map_while(Result::ok)
        {
            if sent {
                continue;
            }
            let port = line.rsplit_once(marker.as_str()).and_then(|(_, rest)| {
                let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
                digits.parse::<u16>().ok()
            });
            if let Some(port) = port {
                sent = tx.send(port).is_ok();
            }
        }
    });
    // A bound, not a timing assertion: it is generous.
    rx.recv_timeout(Duration::from_secs(120))
        .expect("the process never said which port it listens on")
}
