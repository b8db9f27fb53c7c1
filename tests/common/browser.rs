//! Headless Chromium driven over WebDriver (Debian's `chromium` and `chromium-driver`),
//! with a minimal JSON-over-HTTP client: enough to open pages and tabs, run scripts in
//! them, and see their live reload sockets.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";

pub struct Browser {
    driver: Child,
    port: u16,
    session: String,
    _profile: tempfile::TempDir,
}

impl Browser {
    /// A fresh headless browser, or `None` (with a note) where Chromium is not installed.
    /// CI installs it (`.ci/run`), so there a missing browser fails the test instead.
    pub fn start() -> Option<Browser> {
        if !std::path::Path::new(CHROMEDRIVER).exists() || !std::path::Path::new(CHROMIUM).exists()
        {
            assert!(
                std::env::var_os("CI").is_none(),
                "CI must install chromium and chromium-driver"
            );
            eprintln!("skipped: {CHROMIUM} or {CHROMEDRIVER} is not installed");
            return None;
        }
        // Port 0: chromedriver binds a free port itself and says which, so that no other
        // process of the parallel tests can take it in between.
        let mut driver = Command::new(CHROMEDRIVER)
            .arg("--port=0")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let port =
            super::server::announced_port(driver.stdout.take().unwrap(), "successfully on port ");
        let profile = tempfile::tempdir().unwrap();
        let args = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--window-size=1280,900",
            // Tabs in the background must still hear live reload and reload.
            "--disable-background-timer-throttling",
            "--disable-renderer-backgrounding",
            "--disable-backgrounding-occluded-windows",
        ]
        .iter()
        .map(|a| a.to_string())
        .chain([format!("--user-data-dir={}", profile.path().display())])
        .collect::<Vec<_>>();
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": CHROMIUM, "args": args},
            "goog:loggingPrefs": {"browser": "ALL"}
        }}});
        let mut browser = Browser {
            driver,
            port,
            session: String::new(),
            _profile: profile,
        };
        let created = browser.call("POST", "/session", Some(caps));
        browser.session = created["sessionId"]
            .as_str()
            .expect("a session")
            .to_string();
        Some(browser)
    }

    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let body = body.map(|b| b.to_string()).unwrap_or_default();
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(60)))
            .unwrap();
        let request = format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
        stream.write_all(request.as_bytes()).unwrap();
        let value: Value =
            serde_json::from_slice(&read_response_body(&mut stream)).unwrap_or(Value::Null);
        if value["value"]["error"].is_string() {
            panic!("webdriver {method} {path}: {}", value["value"]);
        }
        value["value"].clone()
    }

    fn session_path(&self, rest: &str) -> String {
        format!("/session/{}{rest}", self.session)
    }

    pub fn goto(&self, url: &str) {
        self.call(
            "POST",
            &self.session_path("/url"),
            Some(json!({ "url": url })),
        );
    }

    /// The current tab.
    pub fn tab(&self) -> String {
        self.call("GET", &self.session_path("/window"), None)
            .as_str()
            .expect("a window handle")
            .to_string()
    }

    /// Opens a new tab (not switched to).
    pub fn new_tab(&self) -> String {
        let opened = self.call(
            "POST",
            &self.session_path("/window/new"),
            Some(json!({"type": "tab"})),
        );
        opened["handle"].as_str().expect("a tab handle").to_string()
    }

    pub fn switch_to(&self, tab: &str) {
        self.call(
            "POST",
            &self.session_path("/window"),
            Some(json!({ "handle": tab })),
        );
    }

    /// From now on, every page loaded in the current tab keeps its WebSockets in
    /// `window.__sockets`, so a test can wait until live reload is connected.
    pub fn track_websockets(&self) {
        let source = "(function () {
            var Native = window.WebSocket;
            window.__sockets = [];
            function Tracked(url, protocols) {
              var s = protocols === undefined ? new Native(url) : new Native(url, protocols);
              window.__sockets.push(s);
              return s;
            }
            Tracked.prototype = Native.prototype;
            window.WebSocket = Tracked;
          })();";
        self.call(
            "POST",
            &self.session_path("/goog/cdp/execute"),
            Some(json!({
                "cmd": "Page.addScriptToEvaluateOnNewDocument",
                "params": {"source": source}
            })),
        );
    }

    /// Waits until the page's live reload socket is open (see [`Self::track_websockets`]).
    pub fn wait_for_live_socket(&self) {
        self.wait_until(
            "return !!window.__sockets && window.__sockets.some(function (s) { return s.readyState === 1; })",
            "live reload connects",
        );
    }

    pub fn resize(&self, width: u32, height: u32) {
        self.call(
            "POST",
            &self.session_path("/window/rect"),
            Some(json!({"width": width, "height": height})),
        );
    }

    /// Runs `script` (a function body, may `return`) in the page.
    pub fn eval(&self, script: &str) -> Value {
        self.call(
            "POST",
            &self.session_path("/execute/sync"),
            Some(json!({"script": script, "args": []})),
        )
    }

    /// Polls `script` until it returns `true`.
    pub fn wait_until(&self, script: &str, what: &str) {
        let start = Instant::now();
        while self.eval(script) != Value::Bool(true) {
            assert!(
                start.elapsed() < Duration::from_secs(15),
                "timed out waiting until {what}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Makes the page see `prefers-color-scheme: dark` (or light), as a system setting.
    pub fn emulate_color_scheme(&self, scheme: &str) {
        self.call(
            "POST",
            &self.session_path("/goog/cdp/execute"),
            Some(json!({
                "cmd": "Emulation.setEmulatedMedia",
                "params": {"features": [{"name": "prefers-color-scheme", "value": scheme}]}
            })),
        );
    }

    /// What axe-core (vendored in `tests/fixtures/axe/`) finds against WCAG 2.0 and 2.1,
    /// levels A and AA, in the current page: each as `rule: target (summary)`.
    pub fn axe_violations(&self) -> Vec<String> {
        if self.eval("return typeof window.axe") != "object" {
            let source = include_str!("../fixtures/axe/axe.min.js");
            self.eval(&format!("{source}\n;return true;"));
        }
        self.eval(
            "window.__axe = null;
             axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})
               .then(function (r) { window.__axe = r.violations.flatMap(function (v) {
                 return v.nodes.map(function (n) { return v.id + ': ' + n.target.join(' ') + ' (' + n.failureSummary.replace(/\\s+/g, ' ') + ')'; });
               }); }, function (e) { window.__axe = ['axe failed: ' + e]; });
             return true;",
        );
        self.wait_until("return window.__axe !== null", "axe-core finishes");
        serde_json::from_value(self.eval("return window.__axe")).unwrap_or_default()
    }

    /// Console messages at error level since the last call.
    pub fn console_errors(&self) -> Vec<String> {
        let log = self.call(
            "POST",
            &self.session_path("/se/log"),
            Some(json!({"type": "browser"})),
        );
        log.as_array()
            .map(|entries| {
                entries
                    .iter()
                    .filter(|e| e["level"] == "SEVERE")
                    .map(|e| e["message"].as_str().unwrap_or_default().to_string())
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// The body of an HTTP response, by its Content-Length (chromedriver keeps connections open).
fn read_response_body(stream: &mut TcpStream) -> Vec<u8> {
    let mut raw = Vec::new();
    let mut buf = [0u8; 8192];
    loop {
        let n = stream.read(&mut buf).expect("chromedriver answers");
        assert!(n > 0, "chromedriver closed the connection");
        raw.extend_from_slice(&buf[..n]);
        let Some(end) = raw.windows(4).position(|w| w == b"\r\n\r\n") else {
            continue;
        };
        let head = String::from_utf8_lossy(&raw[..end]).to_ascii_lowercase();
        let length: usize = head
            .lines()
            .find_map(|l| l.strip_prefix("content-length:"))
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(0);
        while raw.len() < end + 4 + length {
            let n = stream.read(&mut buf).expect("chromedriver answers");
            assert!(n > 0, "chromedriver closed the connection");
            raw.extend_from_slice(&buf[..n]);
        }
        return raw[end + 4..end + 4 + length].to_vec();
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let path = self.session_path("");
            let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                self.call("DELETE", &path, None)
            }));
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}
