//! The few parts of WebSocket (RFC 6455) live reload needs: the handshake, text frames
//! from the server, and reading the control frames a browser sends (close, ping).
//!
//! Browsers never send live reload anything but control frames, so data frames are read
//! only to be skipped, and nothing is fragmented or compressed.

use base64::Engine;

/// RFC 6455's fixed suffix of the handshake key.
const GUID: &str = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
/// Anything larger from a browser is not live reload talking: the connection is closed.
pub const MAX_CLIENT_FRAME: usize = 4096;

/// `Sec-WebSocket-Accept` for a client's `Sec-WebSocket-Key`.
pub fn accept_key(key: &str) -> String {
    let mut sha = sha1_smol::Sha1::new();
    sha.update(key.trim().as_bytes());
    sha.update(GUID.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(sha.digest().bytes())
}

/// Whether the page that opened the socket came from this server. WebSockets are not
/// bound by the same-origin policy, so without this any web page open in the browser
/// could read build errors (file paths, content) from the live reload socket. A proxy
/// that rewrites `Host` names the original in `X-Forwarded-Host`, which a page cannot
/// set on a WebSocket request.
pub fn same_origin(origin: Option<&str>, hosts: &[&str]) -> bool {
    let Some(origin) = origin else {
        // Not a browser: a script or a test, which no web page can impersonate.
        return true;
    };
    let Some(origin_host) = origin.split_once("://").map(|(_, rest)| rest) else {
        return false;
    };
    hosts
        .iter()
        .any(|h| !h.is_empty() && h.trim().eq_ignore_ascii_case(origin_host))
}

/// A text frame, server to client (never masked).
pub fn text_frame(text: &str) -> Vec<u8> {
    frame(0x1, text.as_bytes())
}

/// A ping: keeps proxies from closing an idle socket, and a write to a vanished browser
/// fails, which frees its slot.
pub fn ping_frame() -> Vec<u8> {
    frame(0x9, b"")
}

fn frame(opcode: u8, payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(payload.len() + 10);
    out.push(0x80 | opcode);
    match payload.len() {
        n @ 0..=125 => out.push(n as u8),
        n @ 126..=0xffff => {
            out.push(126);
            out.extend_from_slice(&(n as u16).to_be_bytes());
        }
        n => {
            out.push(127);
            out.extend_from_slice(&(n as u64).to_be_bytes());
        }
    }
    out.extend_from_slice(payload);
    out
}

/// What a client's frame asks of the server.
#[derive(Debug, PartialEq, Eq)]
pub enum Incoming {
    /// Not a whole frame yet.
    Partial,
    /// A frame to answer with these bytes (a pong, or the closing handshake), after
    /// consuming `used` bytes; `close` ends the connection once they are sent.
    Reply {
        used: usize,
        bytes: Vec<u8>,
        close: bool,
    },
    /// A frame that needs nothing back.
    Skip { used: usize },
    /// Too large, or not masked as RFC 6455 requires of clients.
    Invalid,
}

/// Reads the first frame of `buf`.
pub fn read_frame(buf: &[u8]) -> Incoming {
    if buf.len() < 2 {
        return Incoming::Partial;
    }
    let opcode = buf[0] & 0x0f;
    if buf[1] & 0x80 == 0 {
        return Incoming::Invalid;
    }
    let (len, at) = match buf[1] & 0x7f {
        126 if buf.len() >= 4 => (u16::from_be_bytes([buf[2], buf[3]]) as usize, 4),
        127 if buf.len() >= 10 => {
            let mut n = [0u8; 8];
            n.copy_from_slice(&buf[2..10]);
            (
                usize::try_from(u64::from_be_bytes(n)).unwrap_or(usize::MAX),
                10,
            )
        }
        126 | 127 => return Incoming::Partial,
        n => (n as usize, 2),
    };
    if len > MAX_CLIENT_FRAME {
        return Incoming::Invalid;
    }
    let used = at + 4 + len;
    if buf.len() < used {
        return Incoming::Partial;
    }
    let mask = &buf[at..at + 4];
    let payload: Vec<u8> = buf[at + 4..used]
        .iter()
        .enumerate()
        .map(|(i, b)| b ^ mask[i % 4])
        .collect();
    match opcode {
        0x8 => Incoming::Reply {
            used,
            bytes: frame(0x8, payload.get(..2).unwrap_or_default()),
            close: true,
        },
        0x9 => Incoming::Reply {
            used,
            bytes: frame(0xA, &payload),
            close: false,
        },
        _ => Incoming::Skip { used },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn masked(opcode: u8, payload: &[u8]) -> Vec<u8> {
        let mask = [1, 2, 3, 4];
        let mut out = vec![0x80 | opcode, 0x80 | payload.len() as u8];
        out.extend_from_slice(&mask);
        out.extend(payload.iter().enumerate().map(|(i, b)| b ^ mask[i % 4]));
        out
    }

    #[test]
    fn the_accept_key_is_rfc_6455s_example() {
        assert_eq!(
            accept_key("dGhlIHNhbXBsZSBub25jZQ=="),
            "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="
        );
    }

    #[test]
    fn only_pages_of_this_server_may_listen() {
        assert!(same_origin(None, &["127.0.0.1:1313"]));
        assert!(same_origin(
            Some("http://127.0.0.1:1313"),
            &["127.0.0.1:1313"]
        ));
        assert!(same_origin(
            Some("https://x-1313.app.github.dev"),
            &["localhost:1313", "x-1313.app.github.dev"]
        ));
        assert!(!same_origin(
            Some("https://evil.example"),
            &["127.0.0.1:1313"]
        ));
        assert!(!same_origin(
            Some("http://127.0.0.1:9999"),
            &["127.0.0.1:1313"]
        ));
        assert!(!same_origin(Some("null"), &["127.0.0.1:1313"]));
        assert!(!same_origin(Some("http://"), &[""]));
    }

    #[test]
    fn frames_carry_their_length_in_the_smallest_form() {
        assert_eq!(text_frame("hi"), b"\x81\x02hi");
        assert_eq!(&text_frame(&"x".repeat(300))[..4], &[0x81, 126, 1, 44]);
        assert_eq!(&text_frame(&"x".repeat(70_000))[..2], &[0x81, 127]);
        assert_eq!(text_frame(&"x".repeat(70_000)).len(), 70_010);
    }

    #[test]
    fn a_close_is_answered_and_ends_the_connection() {
        let close = masked(0x8, &[0x03, 0xe8]);
        assert_eq!(
            read_frame(&close),
            Incoming::Reply {
                used: close.len(),
                bytes: vec![0x88, 2, 0x03, 0xe8],
                close: true
            }
        );
        assert_eq!(read_frame(&close[..3]), Incoming::Partial);
    }

    #[test]
    fn a_ping_gets_its_pong_and_data_is_skipped() {
        let ping = masked(0x9, b"abc");
        assert_eq!(
            read_frame(&ping),
            Incoming::Reply {
                used: ping.len(),
                bytes: b"\x8a\x03abc".to_vec(),
                close: false
            }
        );
        let text = masked(0x1, b"hello");
        assert_eq!(read_frame(&text), Incoming::Skip { used: text.len() });
    }

    #[test]
    fn unmasked_or_huge_frames_are_refused() {
        assert_eq!(read_frame(b"\x81\x02hi"), Incoming::Invalid);
        let mut huge = vec![0x82, 0xff];
        huge.extend_from_slice(&(1u64 << 40).to_be_bytes());
        assert_eq!(read_frame(&huge), Incoming::Invalid);
    }
}
