//! HTTP/1.1 for the server: what to answer from the site in memory (path resolution
//! that cannot leave the site, content types, redirects, the 404 page, `Range`, no-store
//! caching, the live reload script put into every HTML page), and a response's bytes.
//!
//! Nothing here touches a socket: [`super::connections`] reads and writes them. A static
//! file is answered from disk, [`body`](super::body) reading it as the client takes it.

use super::Snapshot;
use super::body::{Body, FilePart, OpenFile};
use super::live::{SCRIPT, SCRIPT_PATH, SCRIPT_TAG};
use super::range::{self, Part};
use super::request::Request;
use crate::output::{Content, StaticFile};

/// An answer, before it is turned into bytes.
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    headers: Vec<(&'static str, String)>,
    pub body: Body,
}

/// A response as sent: its bytes, then the part of a file that follows them.
#[derive(Debug)]
pub struct Outgoing {
    pub bytes: Vec<u8>,
    pub file: Option<FilePart>,
}

impl Response {
    pub fn new(status: u16, content_type: &str, body: Vec<u8>) -> Response {
        Response::with_body(status, content_type, Body::Bytes(body))
    }

    fn with_body(status: u16, content_type: &str, body: Body) -> Response {
        Response {
            status,
            headers: vec![
                ("Content-Type", content_type.to_string()),
                ("Cache-Control", "no-store".to_string()),
            ],
            body,
        }
    }

    pub fn text(status: u16, text: &str) -> Response {
        Response::new(
            status,
            "text/plain; charset=utf-8",
            text.as_bytes().to_vec(),
        )
    }

    pub fn with(mut self, name: &'static str, value: impl Into<String>) -> Response {
        self.headers.push((name, value.into()));
        self
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The response as sent: `head_only` for `HEAD` (the length of the body, not the
    /// body), `close` when the connection ends after it.
    pub fn into_outgoing(self, head_only: bool, close: bool) -> Outgoing {
        let mut head = format!("HTTP/1.1 {} {}\r\n", self.status, reason(self.status));
        for (name, value) in &self.headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str(&format!(
            "Content-Length: {}\r\n",
            self.body.content_length()
        ));
        if close {
            head.push_str("Connection: close\r\n");
        }
        head.push_str("\r\n");
        let mut bytes = head.into_bytes();
        match self.body {
            _ if head_only => Outgoing { bytes, file: None },
            Body::Bytes(body) => {
                bytes.extend_from_slice(&body);
                Outgoing { bytes, file: None }
            }
            Body::File(part) => Outgoing {
                bytes,
                file: Some(part),
            },
        }
    }
}

/// The answer to a WebSocket handshake.
pub fn switching_protocols(accept: &str) -> Vec<u8> {
    format!(
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: {accept}\r\n\r\n"
    )
    .into_bytes()
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        206 => "Partial Content",
        301 => "Moved Permanently",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        416 => "Range Not Satisfiable",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "",
    }
}

/// What a request asks for, once checked.
#[derive(Debug, PartialEq, Eq)]
pub enum Target {
    /// A file of the site (`1-worklog/index.html`).
    File(String),
    /// Redirect to this URL path (`/journal/`, `/journal/1-worklog/`).
    Redirect(String),
    NotFound,
    BadRequest,
    LiveScript,
}

/// Maps a request URL to the site. Only paths made of plain segments under the base
/// path can name a file: `..`, encoded slashes, backslashes and NUL bytes are refused.
pub fn resolve(url: &str, base_path: &str, has_file: impl Fn(&str) -> bool) -> Target {
    let path = url.split(['?', '#']).next().unwrap_or("");
    if path == SCRIPT_PATH {
        return Target::LiveScript;
    }
    if !path.starts_with('/')
        || path.contains('\\')
        || path.to_ascii_lowercase().contains("%2f")
        || path.to_ascii_lowercase().contains("%5c")
    {
        return Target::BadRequest;
    }
    let Some(decoded) = percent_decode(path) else {
        return Target::BadRequest;
    };
    if decoded.contains('\0') || decoded.contains('\\') {
        return Target::BadRequest;
    }
    if decoded.split('/').any(|s| s == ".." || s == ".") {
        return Target::BadRequest;
    }
    if decoded.contains("//") {
        return Target::NotFound;
    }
    let base_no_slash = base_path.trim_end_matches('/');
    if decoded == base_no_slash || (decoded == "/" && base_path != "/") {
        return Target::Redirect(base_path.to_string());
    }
    let Some(rel) = decoded.strip_prefix(base_path) else {
        return Target::NotFound;
    };
    let file = if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.to_string()
    };
    if has_file(&file) {
        Target::File(file)
    } else if has_file(&format!("{rel}/index.html")) {
        Target::Redirect(format!("{path}/"))
    } else {
        Target::NotFound
    }
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

pub fn content_type(path: &str) -> String {
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    match mime.type_() {
        mime_guess::mime::TEXT => format!("{mime}; charset=utf-8"),
        _ if mime.subtype() == "javascript"
            || mime.subtype() == "json"
            || mime.subtype() == "xml" =>
        {
            format!("{mime}; charset=utf-8")
        }
        _ => mime.to_string(),
    }
}

/// Puts the live reload script before `</body>` (or at the end).
pub fn inject_live_script(html: &[u8]) -> Vec<u8> {
    let tag = SCRIPT_TAG.as_bytes();
    let at = html
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + tag.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(tag);
    out.extend_from_slice(&html[at..]);
    out
}

/// Answers one request from the site as it is now.
pub fn answer(request: &Request, snapshot: &Snapshot) -> Response {
    if !matches!(request.method.as_str(), "GET" | "HEAD") {
        return Response::text(405, "method not allowed").with("Allow", "GET, HEAD");
    }
    let base_path = snapshot.base_path.as_str();
    let target = match &snapshot.output {
        Some(output) => resolve(&request.url, base_path, |p| output.contains(p)),
        None => resolve(&request.url, base_path, |_| false),
    };
    match target {
        Target::LiveScript => Response::new(
            200,
            "text/javascript; charset=utf-8",
            SCRIPT.as_bytes().to_vec(),
        ),
        Target::BadRequest => Response::text(400, "bad request"),
        Target::Redirect(to) => {
            Response::new(301, "text/plain; charset=utf-8", Vec::new()).with("Location", to)
        }
        Target::File(path) => {
            let kind = content_type(&path);
            let content = snapshot.output.as_ref().and_then(|o| o.content(&path));
            match content {
                Some(Content::File(file)) if !kind.starts_with("text/html") => {
                    from_disk(file, request.range.as_deref(), &kind)
                        .unwrap_or_else(|| not_found(snapshot))
                }
                Some(content) => match content.bytes() {
                    Ok(bytes) if kind.starts_with("text/html") => {
                        ranged(request.range.as_deref(), &kind, inject_live_script(&bytes))
                    }
                    Ok(bytes) => ranged(request.range.as_deref(), &kind, bytes.into_owned()),
                    // A static file removed since the build: the rebuild is on its way.
                    Err(_) => not_found(snapshot),
                },
                None => not_found(snapshot),
            }
        }
        Target::NotFound => not_found(snapshot),
    }
}

/// The site's 404 page, or while the site does not build, its errors.
fn not_found(snapshot: &Snapshot) -> Response {
    let page = snapshot.output.as_ref().and_then(|o| o.get("404.html"));
    match page {
        Some(Ok(page)) => Response::new(404, "text/html; charset=utf-8", inject_live_script(&page)),
        _ if snapshot.error.is_some() => Response::new(
            500,
            "text/html; charset=utf-8",
            inject_live_script(
                super::live::error_page(snapshot.error.as_deref().unwrap_or_default()).as_bytes(),
            ),
        ),
        _ => Response::text(404, "not found"),
    }
}

/// A file's answer: whole, or the part a `Range` header asks for.
fn ranged(range: Option<&str>, kind: &str, body: Vec<u8>) -> Response {
    let len = body.len() as u64;
    match range::part(range, len) {
        Part::Whole => Response::new(200, kind, body).with("Accept-Ranges", "bytes"),
        Part::Slice(part) => {
            // Within the body: a part never ends past `len`.
            let bytes = body[part.start as usize..part.end as usize].to_vec();
            partial(Response::new(206, kind, bytes), &part, len)
        }
        Part::Unsatisfiable => unsatisfiable(len),
    }
}

/// A static file's answer, read from disk as it is sent: only the part asked for is read.
/// `None` when the file is gone.
fn from_disk(file: &StaticFile, range: Option<&str>, kind: &str) -> Option<Response> {
    let open = OpenFile::open(&file.source).ok()?;
    let len = open.len;
    Some(match range::part(range, len) {
        Part::Whole => {
            let body = Body::File(open.part(0, len).ok()?);
            Response::with_body(200, kind, body).with("Accept-Ranges", "bytes")
        }
        Part::Slice(part) => {
            let body = Body::File(open.part(part.start, part.end).ok()?);
            partial(Response::with_body(206, kind, body), &part, len)
        }
        Part::Unsatisfiable => unsatisfiable(len),
    })
}

fn partial(response: Response, part: &std::ops::Range<u64>, len: u64) -> Response {
    response
        .with(
            "Content-Range",
            format!("bytes {}-{}/{len}", part.start, part.end - 1),
        )
        .with("Accept-Ranges", "bytes")
}

fn unsatisfiable(len: u64) -> Response {
    Response::text(416, "range not satisfiable")
        .with("Content-Range", format!("bytes */{len}"))
        .with("Accept-Ranges", "bytes")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::serve::request::{Head, parse_head};

    fn r(url: &str) -> Target {
        resolve(url, "/j/", |p| {
            ["index.html", "a/index.html", "css/x.css", "My File.pdf"].contains(&p)
        })
    }

    #[test]
    fn serves_files_under_the_base_path() {
        assert_eq!(r("/j/"), Target::File("index.html".into()));
        assert_eq!(r("/j/a/?x=1"), Target::File("a/index.html".into()));
        assert_eq!(r("/j/css/x.css"), Target::File("css/x.css".into()));
        assert_eq!(r("/j/My%20File.pdf"), Target::File("My File.pdf".into()));
        assert_eq!(r("/j/a"), Target::Redirect("/j/a/".into()));
        assert_eq!(r("/"), Target::Redirect("/j/".into()));
        assert_eq!(r("/j"), Target::Redirect("/j/".into()));
        assert_eq!(r("/j/nope"), Target::NotFound);
        assert_eq!(r("/other/"), Target::NotFound);
    }

    #[test]
    fn refuses_everything_that_could_leave_the_site() {
        for url in [
            "/j/../etc/passwd",
            "/j/%2e%2e/%2e%2e/etc/passwd",
            "/j/a%2fb",
            "/j/..%5c..%5cwin.ini",
            "/j/a\\b",
            "/j/a%00.html",
            "/j/%ff",
            "etc/passwd",
            "/j/./a/",
        ] {
            assert!(
                matches!(r(url), Target::BadRequest | Target::NotFound),
                "{url}: {:?}",
                r(url)
            );
        }
    }

    #[test]
    fn injects_before_the_closing_body() {
        let out = inject_live_script(b"<html><body>x</body></html>");
        assert!(
            String::from_utf8(out)
                .unwrap()
                .ends_with(&format!("x{SCRIPT_TAG}</body></html>"))
        );
    }

    /// A site of a page, a file made in memory and a video on disk, in `dir`.
    fn snapshot(dir: &std::path::Path) -> Snapshot {
        let video = dir.join("video.mp4");
        std::fs::write(&video, (0u8..100).collect::<Vec<_>>()).unwrap();
        let mut output = crate::output::Output::default();
        output.insert("index.html", b"<html><body>home</body></html>".to_vec());
        output.insert("notes.txt", (0u8..100).collect());
        output.insert_file("video.mp4", StaticFile::read(&video).unwrap());
        Snapshot {
            output: Some(std::sync::Arc::new(output)),
            base_path: "/".into(),
            error: None,
        }
    }

    fn head(text: &str) -> Request {
        match parse_head(text.as_bytes()) {
            Head::Complete(request, _) => request,
            other => panic!("{other:?}"),
        }
    }

    fn get(dir: &std::path::Path, url: &str, range: Option<&str>) -> Response {
        let mut request = head(&format!("GET {url} HTTP/1.1\r\n\r\n"));
        request.range = range.map(str::to_string);
        answer(&request, &snapshot(dir))
    }

    /// Everything the client receives: the head, then the body, a file's read piece by
    /// piece as the connection does.
    fn sent(response: Response, head_only: bool) -> (String, Vec<u8>) {
        let Outgoing { bytes, file } = response.into_outgoing(head_only, false);
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let (head, rest) = text.split_once("\r\n\r\n").unwrap();
        let mut body = rest.as_bytes().to_vec();
        if let Some(mut part) = file {
            let mut piece = Vec::new();
            while !part.is_done() {
                part.next_piece(&mut piece).unwrap();
                body.extend_from_slice(&piece);
            }
        }
        (head.to_string(), body)
    }

    #[test]
    fn a_range_of_a_file_is_sent_alone_from_memory_or_disk() {
        let dir = tempfile::tempdir().unwrap();
        for url in ["/notes.txt", "/video.mp4"] {
            let part = get(dir.path(), url, Some("bytes=10-19"));
            assert_eq!(part.status, 206, "{url}");
            assert_eq!(part.header("Content-Range"), Some("bytes 10-19/100"));
            assert_eq!(part.header("Accept-Ranges"), Some("bytes"));
            let (head, body) = sent(part, false);
            assert!(head.ends_with("\r\nContent-Length: 10"), "{url}: {head}");
            assert_eq!(body, (10u8..20).collect::<Vec<_>>(), "{url}");
            let whole = get(dir.path(), url, None);
            assert_eq!(whole.status, 200);
            assert_eq!(whole.header("Accept-Ranges"), Some("bytes"));
            assert_eq!(sent(whole, false).1, (0u8..100).collect::<Vec<_>>());
            let past = get(dir.path(), url, Some("bytes=100-"));
            assert_eq!(past.status, 416);
            assert_eq!(past.header("Content-Range"), Some("bytes */100"));
        }
    }

    #[test]
    fn a_file_on_disk_is_answered_as_it_is_now() {
        let dir = tempfile::tempdir().unwrap();
        let site = snapshot(dir.path());
        std::fs::write(dir.path().join("video.mp4"), b"edited").unwrap();
        let request = head("GET /video.mp4 HTTP/1.1\r\n\r\n");
        let (head, body) = sent(answer(&request, &site), false);
        assert!(head.ends_with("\r\nContent-Length: 6"), "{head}");
        assert_eq!(body, b"edited");
        std::fs::remove_file(dir.path().join("video.mp4")).unwrap();
        assert_eq!(answer(&request, &site).status, 404);
    }

    #[test]
    fn only_get_and_head_are_answered() {
        let dir = tempfile::tempdir().unwrap();
        let mut request = head("DELETE / HTTP/1.1\r\n\r\n");
        assert_eq!(answer(&request, &snapshot(dir.path())).status, 405);
        request.method = "HEAD".into();
        let response = answer(&request, &snapshot(dir.path()));
        assert_eq!(response.status, 200);
        let (head, body) = sent(response, true);
        let length = format!("\r\nContent-Length: {}", 30 + SCRIPT_TAG.len());
        assert!(head.ends_with(&length) && body.is_empty(), "{head}");
        request.url = "/video.mp4".into();
        let (head, body) = sent(answer(&request, &snapshot(dir.path())), true);
        assert!(
            head.ends_with("\r\nContent-Length: 100") && body.is_empty(),
            "{head}"
        );
    }
}
