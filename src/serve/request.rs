//! A request head: read from the start of a buffer with a size limit, reduced to what
//! the server uses (method, target, keep-alive, range, WebSocket upgrade, origin).

/// The largest request head read: a browser's is under 8 KB, and without a limit a
/// client sending an endless header grows the server without bound.
pub const MAX_HEAD: usize = 64 * 1024;
const MAX_HEADERS: usize = 100;

/// What the server needs of a request head.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub method: String,
    /// The request target as sent (`/journal/a/?x=1`).
    pub url: String,
    /// The client wants the connection kept open after the answer.
    pub keep_alive: bool,
    pub range: Option<String>,
    /// `Sec-WebSocket-Key` of a WebSocket upgrade request (`Upgrade: websocket`).
    pub websocket_key: Option<String>,
    pub origin: Option<String>,
    /// `Host`, then `X-Forwarded-Host`: the names the page was opened under.
    pub hosts: Vec<String>,
}

impl Request {
    pub fn is_head(&self) -> bool {
        self.method == "HEAD"
    }
}

/// How far the head in a buffer is.
#[derive(Debug, PartialEq, Eq)]
pub enum Head {
    /// The head is not all there yet.
    Partial,
    /// A whole head, and how many bytes of the buffer it took.
    Complete(Request, usize),
    /// Over [`MAX_HEAD`] bytes or [`MAX_HEADERS`] headers: `431`.
    TooLarge,
    /// Not HTTP/1.x: `400`.
    Invalid,
}

/// Reads the request head at the start of `buf`.
pub fn parse_head(buf: &[u8]) -> Head {
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut parsed = httparse::Request::new(&mut headers);
    let used = match parsed.parse(buf) {
        Ok(httparse::Status::Complete(used)) if used <= MAX_HEAD => used,
        Ok(httparse::Status::Complete(_)) | Err(httparse::Error::TooManyHeaders) => {
            return Head::TooLarge;
        }
        Ok(httparse::Status::Partial) if buf.len() > MAX_HEAD => return Head::TooLarge,
        Ok(httparse::Status::Partial) => return Head::Partial,
        Err(_) => return Head::Invalid,
    };
    let header = |name: &str| -> Option<String> {
        parsed
            .headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case(name))
            .map(|h| String::from_utf8_lossy(h.value).trim().to_string())
    };
    let has_token = |name: &str, token: &str| {
        parsed
            .headers
            .iter()
            .filter(|h| h.name.eq_ignore_ascii_case(name))
            .any(|h| {
                String::from_utf8_lossy(h.value)
                    .split(',')
                    .any(|t| t.trim().eq_ignore_ascii_case(token))
            })
    };
    let version = parsed.version.unwrap_or(0);
    // A body is never read (only GET and HEAD are answered), so the connection cannot
    // be reused after one: its bytes would be taken for the next request.
    let has_body =
        header("transfer-encoding").is_some() || header("content-length").is_some_and(|l| l != "0");
    let keep_alive = !has_body
        && if version == 0 {
            has_token("connection", "keep-alive")
        } else {
            !has_token("connection", "close")
        };
    let websocket_key = (has_token("upgrade", "websocket")
        && has_token("connection", "upgrade")
        && header("sec-websocket-version").as_deref() == Some("13"))
    .then(|| header("sec-websocket-key"))
    .flatten();
    let request = Request {
        method: parsed.method.unwrap_or_default().to_string(),
        url: parsed.path.unwrap_or_default().to_string(),
        keep_alive,
        range: header("range"),
        websocket_key,
        origin: header("origin"),
        hosts: ["host", "x-forwarded-host"]
            .iter()
            .filter_map(|h| header(h))
            .collect(),
    };
    Head::Complete(request, used)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head(text: &str) -> Request {
        match parse_head(text.as_bytes()) {
            Head::Complete(request, used) => {
                assert_eq!(used, text.len());
                request
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_head_is_read_whole_or_not_at_all() {
        let r = head("GET /j/?x HTTP/1.1\r\nHost: a:1\r\nRange: bytes=0-1\r\n\r\n");
        assert_eq!((r.method.as_str(), r.url.as_str()), ("GET", "/j/?x"));
        assert!(r.keep_alive);
        assert_eq!(r.range.as_deref(), Some("bytes=0-1"));
        assert_eq!(r.hosts, vec!["a:1".to_string()]);
        assert_eq!(parse_head(b"GET / HTTP/1.1\r\nHost: a"), Head::Partial);
        assert_eq!(parse_head(b"\x16\x03\x01\x02\x00"), Head::Invalid);
    }

    #[test]
    fn a_head_over_the_limit_is_too_large() {
        let mut big = b"GET / HTTP/1.1\r\nX: ".to_vec();
        big.resize(MAX_HEAD + 1, b'a');
        assert_eq!(parse_head(&big), Head::TooLarge);
        big.extend_from_slice(b"\r\n\r\n");
        assert_eq!(parse_head(&big), Head::TooLarge);
        let many = format!(
            "GET / HTTP/1.1\r\n{}\r\n",
            "X: y\r\n".repeat(MAX_HEADERS + 1)
        );
        assert_eq!(parse_head(many.as_bytes()), Head::TooLarge);
    }

    #[test]
    fn keep_alive_follows_the_version_and_connection_header() {
        assert!(!head("GET / HTTP/1.1\r\nConnection: close\r\n\r\n").keep_alive);
        assert!(!head("GET / HTTP/1.0\r\n\r\n").keep_alive);
        assert!(head("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n").keep_alive);
        assert!(!head("GET / HTTP/1.1\r\nContent-Length: 5\r\n\r\n").keep_alive);
    }

    #[test]
    fn a_websocket_upgrade_is_recognised_by_its_headers() {
        let r = head(
            "GET /__worklog/live HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: keep-alive, Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: k==\r\nOrigin: http://h\r\n\r\n",
        );
        assert_eq!(r.websocket_key.as_deref(), Some("k=="));
        assert_eq!(r.origin.as_deref(), Some("http://h"));
        let plain = head("GET /__worklog/live HTTP/1.1\r\nSec-WebSocket-Key: k==\r\n\r\n");
        assert_eq!(plain.websocket_key, None);
    }
}
