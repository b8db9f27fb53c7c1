//! A running `worklog serve` on a fixture site, and a raw HTTP client that sends paths
//! exactly as written (no normalisation of `..`), for the server tests.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
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
    pub fn start(site: &std::path::Path, extra: &[&str]) -> ServeProcess {
        let port = free_port();
        Self::start_on(site, port, extra)
    }

    pub fn start_on(site: &std::path::Path, port: u16, extra: &[&str]) -> ServeProcess {
        let mut child = Command::new(env!("CARGO_BIN_EXE_worklog"))
            .args(["serve", "--source"])
            .arg(site)
            .args(["--port", &port.to_string()])
            .args(extra)
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
        let start = Instant::now();
        loop {
            if let Some(l) = self.lines.lock().unwrap().iter().find(|l| pred(l)) {
                return l.clone();
            }
            assert!(
                start.elapsed() < timeout,
                "timed out; server said:\n{}",
                self.output().join("\n")
            );
            std::thread::sleep(Duration::from_millis(20));
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

    /// An open Server-Sent Events stream, from the port the live reload script names.
    pub fn events(&self) -> EventStream {
        let script = self.get("/__worklog/live.js").body;
        let port: u16 = script
            .split("location.hostname + \":")
            .nth(1)
            .unwrap()
            .split('/')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
        write!(
            stream,
            "GET /__worklog/events HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n"
        )
        .unwrap();
        stream
            .set_read_timeout(Some(Duration::from_millis(100)))
            .unwrap();
        EventStream {
            stream,
            seen: String::new(),
        }
    }
}

impl Drop for ServeProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub struct EventStream {
    stream: TcpStream,
    pub seen: String,
}

impl EventStream {
    /// Waits until the stream has carried `needle`.
    pub fn wait_for(&mut self, needle: &str) -> &str {
        let start = Instant::now();
        let mut buf = [0u8; 4096];
        while !self.seen.contains(needle) {
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "no {needle:?} in events: {}",
                self.seen
            );
            match self.stream.read(&mut buf) {
                Ok(0) => panic!("event stream closed: {}", self.seen),
                Ok(n) => self.seen.push_str(&String::from_utf8_lossy(&buf[..n])),
                Err(_) => {}
            }
        }
        &self.seen
    }
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
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
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

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}
