//! Live reload: what the open pages are told, the script they run, and the handle the
//! rebuild loop uses to tell them.
//!
//! Pages listen on a WebSocket of the same port as the pages (see [`super::connections`],
//! which owns every socket): browsers allow only 6 HTTP/1.1 connections per host and
//! port, so one long request per tab would starve the 7th tab, and a second port is lost
//! behind a single forwarded one. Nothing here is ever part of `worklog build` output.

use std::sync::Arc;
use std::sync::mpsc::Sender;

use mio::Waker;

use super::websocket;

/// Where pages open their socket.
pub const LIVE_PATH: &str = "/__worklog/live";
pub const SCRIPT_PATH: &str = "/__worklog/live.js";
pub const SCRIPT_TAG: &str = "<script src=\"/__worklog/live.js\"></script>";
pub const SCRIPT: &str = include_str!("live.js");

/// What the browsers are told.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// Pages changed: reload if showing one of these URL paths (or any, with `all`).
    Reload { paths: Vec<String>, all: bool },
    /// Only stylesheets changed: swap them in place.
    Css { paths: Vec<String> },
    /// The site does not build: show this over the page. `still` when it did not build
    /// before this save either.
    Error { message: String, still: bool },
    /// The build is good again.
    Ok,
}

impl Event {
    /// The event as one WebSocket text frame of JSON.
    pub fn frame(&self) -> Vec<u8> {
        let json = match self {
            Event::Reload { paths, all } => {
                serde_json::json!({ "type": "reload", "paths": paths, "all": all })
            }
            Event::Css { paths } => serde_json::json!({ "type": "css", "paths": paths }),
            Event::Error { message, still } => {
                serde_json::json!({ "type": "failed", "message": message, "still": still })
            }
            Event::Ok => serde_json::json!({ "type": "ok" }),
        };
        websocket::text_frame(&json.to_string())
    }
}

/// Sends events to every open page. The connection loop writes them; this only queues
/// and wakes it, so a slow browser never holds up a rebuild.
pub struct Broadcaster {
    frames: Sender<Vec<u8>>,
    waker: Arc<Waker>,
}

impl Broadcaster {
    pub fn new(frames: Sender<Vec<u8>>, waker: Arc<Waker>) -> Broadcaster {
        Broadcaster { frames, waker }
    }

    pub fn send(&self, event: &Event) {
        // Both fail only once the connection loop is gone, when no page is listening.
        if self.frames.send(event.frame()).is_ok() {
            let _ = self.waker.wake();
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_are_json_text_frames() {
        let frame = Event::Reload {
            paths: vec!["/a/".into()],
            all: false,
        }
        .frame();
        assert_eq!(frame[0], 0x81);
        let json: serde_json::Value = serde_json::from_slice(&frame[2..]).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"type": "reload", "paths": ["/a/"], "all": false})
        );
    }
}
