//! Answering HTTP requests from the site in memory: path resolution that cannot leave
//! the site, content types, redirects, the 404 page, no-store caching, and the live
//! reload script put into every HTML page.

use std::io::Cursor;

use tiny_http::{Header, Method, Request, Response, StatusCode};

use super::State;
use super::live::{SCRIPT_PATH, SCRIPT_TAG};

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

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("valid header")
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

/// Answers one request.
pub fn answer(request: Request, state: &State) {
    let head = *request.method() == Method::Head;
    if !matches!(request.method(), Method::Get | Method::Head) {
        let _ = request.respond(Response::from_string("method not allowed").with_status_code(405));
        return;
    }
    let snapshot = state.snapshot();
    let base_path = snapshot.base_path.as_str();
    let target = match &snapshot.output {
        Some(output) => resolve(request.url(), base_path, |p| output.contains(p)),
        None => resolve(request.url(), base_path, |_| false),
    };
    let (status, body, kind): (u16, Vec<u8>, String) = match target {
        Target::LiveScript => (
            200,
            super::live::script(state.events_port).into_bytes(),
            "text/javascript; charset=utf-8".into(),
        ),
        Target::BadRequest => (
            400,
            b"bad request".to_vec(),
            "text/plain; charset=utf-8".into(),
        ),
        Target::Redirect(to) => {
            let response = Response::empty(StatusCode(301))
                .with_header(header("Location", &to))
                .with_header(header("Cache-Control", "no-store"));
            let _ = request.respond(response);
            return;
        }
        Target::File(path) => {
            let output = snapshot.output.as_ref().expect("a file was found in it");
            let bytes = output
                .get(&path)
                .map(|b| b.into_owned())
                .unwrap_or_default();
            (200, bytes, content_type(&path))
        }
        Target::NotFound => match snapshot.output.as_ref().and_then(|o| o.get("404.html")) {
            Some(page) => (404, page.into_owned(), "text/html; charset=utf-8".into()),
            None if snapshot.error.is_some() => (
                500,
                super::live::error_page(snapshot.error.as_deref().unwrap_or_default()).into_bytes(),
                "text/html; charset=utf-8".into(),
            ),
            None => (
                404,
                b"not found".to_vec(),
                "text/plain; charset=utf-8".into(),
            ),
        },
    };
    let body = if kind.starts_with("text/html") {
        inject_live_script(&body)
    } else {
        body
    };
    let len = body.len();
    let response = Response::new(
        StatusCode(status),
        vec![
            header("Content-Type", &kind),
            header("Cache-Control", "no-store"),
        ],
        Cursor::new(if head { Vec::new() } else { body }),
        Some(len),
        None,
    );
    let _ = request.respond(response);
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
