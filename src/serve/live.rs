//! Live reload: Server-Sent Events to every open page, and the script they run.
//!
//! One broadcaster holds every connected browser; an event is a line of JSON. Nothing
//! here is ever part of `worklog build` output.
//!
//! Event streams have a listener of their own: tiny_http gives every open connection a
//! thread of its pool, and under a rush of connections that never end (100 open pages)
//! new ones can wait forever behind them. Here each stream is one small thread.

use std::io::{BufRead, BufReader, Write};
use std::net::{IpAddr, SocketAddr, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub const EVENTS_PATH: &str = "/__worklog/events";
pub const SCRIPT_PATH: &str = "/__worklog/live.js";
pub const SCRIPT_TAG: &str = "<script src=\"/__worklog/live.js\"></script>";
const SCRIPT: &str = include_str!("live.js");

/// The browser script, told which port its events come from.
pub fn script(events_port: u16) -> String {
    SCRIPT.replace("__EVENTS_PORT__", &events_port.to_string())
}

/// What the browsers are told.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// Pages changed: reload if showing one of these URL paths (or any, with `all`).
    Reload { paths: Vec<String>, all: bool },
    /// Only stylesheets changed: swap them in place.
    Css { paths: Vec<String> },
    /// The last rebuild failed: show this over the page.
    Error { message: String },
    /// The build is good again.
    Ok,
}

impl Event {
    fn to_sse(&self) -> String {
        let (name, data) = match self {
            Event::Reload { paths, all } => {
                ("reload", serde_json::json!({ "paths": paths, "all": all }))
            }
            Event::Css { paths } => ("css", serde_json::json!({ "paths": paths })),
            Event::Error { message } => ("failed", serde_json::json!({ "message": message })),
            Event::Ok => ("ok", serde_json::json!({})),
        };
        format!("event: {name}\ndata: {data}\n\n")
    }
}

#[derive(Default)]
pub struct Broadcaster {
    clients: Mutex<Vec<TcpStream>>,
}

/// Starts the event stream listener on `ip` (any free port); returns its port.
pub fn listen(
    ip: IpAddr,
    live: Arc<Broadcaster>,
    current_error: impl Fn() -> Option<String> + Send + Sync + 'static,
) -> std::io::Result<u16> {
    let listener = TcpListener::bind(SocketAddr::new(ip, 0))?;
    let port = listener.local_addr()?.port();
    let current_error = Arc::new(current_error);
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let live = Arc::clone(&live);
            let current_error = Arc::clone(&current_error);
            std::thread::spawn(move || {
                if read_request_head(&stream) {
                    live.add(stream, current_error().as_deref());
                }
            });
        }
    });
    Ok(port)
}

/// Reads the request up to its blank line; true for a GET of the events path.
fn read_request_head(stream: &TcpStream) -> bool {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut reader = BufReader::new(stream);
    let mut first = String::new();
    if reader.read_line(&mut first).is_err() {
        return false;
    }
    loop {
        let mut line = String::new();
        match reader.read_line(&mut line) {
            Ok(0) | Err(_) => return false,
            Ok(_) if line.trim().is_empty() => break,
            Ok(_) => {}
        }
    }
    let mut parts = first.split_whitespace();
    parts.next() == Some("GET")
        && parts
            .next()
            .is_some_and(|p| p.split('?').next() == Some(EVENTS_PATH))
}

impl Broadcaster {
    /// Takes over a connection: answers with the event stream headers and, if the site
    /// is broken right now, the error.
    pub fn add(&self, mut writer: TcpStream, current_error: Option<&str>) {
        // A browser that stops reading must not hold up the others.
        let _ = writer.set_write_timeout(Some(Duration::from_secs(2)));
        let mut hello = String::from(
            "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nAccess-Control-Allow-Origin: *\r\nConnection: keep-alive\r\n\r\nretry: 500\n\n",
        );
        if let Some(message) = current_error {
            hello.push_str(
                &Event::Error {
                    message: message.to_string(),
                }
                .to_sse(),
            );
        }
        if writer
            .write_all(hello.as_bytes())
            .and_then(|()| writer.flush())
            .is_ok()
        {
            self.clients
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(writer);
        }
    }

    pub fn send(&self, event: &Event) {
        self.send_raw(&event.to_sse());
    }

    /// A comment line: keeps proxies from closing the stream and drops dead clients.
    pub fn keep_alive(&self) {
        self.send_raw(": keep-alive\n\n");
    }

    fn send_raw(&self, text: &str) {
        let mut clients = self.clients.lock().unwrap_or_else(|e| e.into_inner());
        clients.retain_mut(|c| {
            c.write_all(text.as_bytes())
                .and_then(|()| c.flush())
                .is_ok()
        });
    }

    pub fn len(&self) -> usize {
        self.clients.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The page served for every path while the site has never built.
pub fn error_page(message: &str) -> String {
    let escaped = message
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Build failed · worklog</title></head><body><h1>The site does not build</h1><pre>{escaped}</pre><p>Fix the file and save: this page reloads by itself.</p></body></html>"
    )
}
