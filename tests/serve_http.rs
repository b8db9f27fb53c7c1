//! `worklog serve` as an HTTP server under abuse, over real TCP: request head limits,
//! clients that never finish, keep-alive, `Range`, the live reload socket's origin
//! check, and the ports and addresses it listens on.
mod common;
use common::server::*;
use common::*;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

fn site() -> TestSite {
    TestSite::with(&[
        (
            "worklog.toml",
            "title = \"J\"\nbase_url = \"https://u.github.io/journal/\"\n",
        ),
        ("content/a/_index.md", "---\ntitle: A\n---\nPage A.\n"),
        ("static/notes.txt", "0123456789"),
    ])
}

#[test]
fn a_request_head_over_64_kb_is_refused_without_being_kept() {
    let site = site();
    let server = ServeProcess::start(site.path(), &[]);
    let before = server.status_number("VmHWM");
    let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    stream
        .write_all(b"GET /journal/ HTTP/1.1\r\nHost: x\r\nX-Big: ")
        .unwrap();
    stream.write_all(&vec![b'a'; 100 * 1024]).unwrap();
    let mut answer = [0u8; 12];
    stream.read_exact(&mut answer).unwrap();
    assert_eq!(&answer, b"HTTP/1.1 431");
    // A client that goes on sending its header (400 MB would have taken that much
    // memory) is cut off long before.
    let chunk = vec![b'a'; 1 << 20];
    let mut sent = 0usize;
    while sent < 400 << 20 && stream.write_all(&chunk).is_ok() {
        sent += chunk.len();
    }
    assert!(sent < 64 << 20, "the server took {} MB", sent >> 20);
    let grown = server.status_number("VmHWM").saturating_sub(before);
    assert!(grown < 32 * 1024, "the server grew by {grown} kB");
    assert_eq!(server.get("/journal/a/").status, 200);
}

#[test]
fn a_thousand_clients_that_never_finish_their_heads_take_no_threads() {
    let site = site();
    let server = ServeProcess::start(site.path(), &[]);
    // "serving at" is printed before the connection threads start (as many as the
    // machine has cores): once one request is answered, they all are.
    assert_eq!(server.get("/journal/a/").status, 200);
    let idle_threads = server.status_number("Threads");
    let slow: Vec<TcpStream> = (0..1000)
        .map(|_| {
            let mut s = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
            s.write_all(b"GET /journal/ HTTP/1.1\r\nHost: x\r\nX-Slow: ")
                .unwrap();
            s
        })
        .collect();
    let page = server.get("/journal/a/");
    assert_eq!(page.status, 200, "a reader is still answered");
    assert!(page.body.contains("Page A."));
    let threads = server.status_number("Threads");
    assert!(
        threads <= idle_threads + 2,
        "{threads} threads, {idle_threads} before"
    );
    drop(slow);
}

#[test]
fn keep_alive_answers_several_requests_on_one_connection() {
    let site = site();
    let server = ServeProcess::start(site.path(), &[]);
    let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    // Pipelined: both requests sent before either answer is read.
    stream
        .write_all(
            b"GET /journal/notes.txt HTTP/1.1\r\nHost: x\r\n\r\nHEAD /journal/a/ HTTP/1.1\r\nHost: x\r\n\r\n",
        )
        .unwrap();
    let first = read_one_response(&mut stream, false);
    assert_eq!((first.status, first.body.as_str()), (200, "0123456789"));
    let second = read_one_response(&mut stream, true);
    assert_eq!(second.status, 200);
    assert!(second.header("Connection").is_none(), "kept open");
    write!(stream, "GET /journal/no-such/ HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    assert_eq!(read_one_response(&mut stream, false).status, 404);
}

/// One response from a kept-alive connection, by its Content-Length.
fn read_one_response(stream: &mut TcpStream, head_only: bool) -> HttpResponse {
    let mut raw = Vec::new();
    let mut byte = [0u8; 1];
    while !raw.ends_with(b"\r\n\r\n") {
        stream.read_exact(&mut byte).unwrap();
        raw.push(byte[0]);
    }
    let response = parse_response(&String::from_utf8_lossy(&raw));
    let length: usize = response.header("Content-Length").unwrap().parse().unwrap();
    let mut body = vec![0u8; if head_only { 0 } else { length }];
    stream.read_exact(&mut body).unwrap();
    HttpResponse {
        body: String::from_utf8_lossy(&body).into_owned(),
        ..response
    }
}

#[test]
fn a_file_is_served_by_ranges() {
    let site = site();
    let server = ServeProcess::start(site.path(), &[]);
    let part = request_with(
        server.port,
        "GET",
        "/journal/notes.txt",
        &["Range: bytes=2-5"],
    );
    assert_eq!((part.status, part.body.as_str()), (206, "2345"));
    assert_eq!(part.header("Content-Range"), Some("bytes 2-5/10"));
    let tail = request_with(
        server.port,
        "GET",
        "/journal/notes.txt",
        &["Range: bytes=-3"],
    );
    assert_eq!((tail.status, tail.body.as_str()), (206, "789"));
    let from = request_with(
        server.port,
        "GET",
        "/journal/notes.txt",
        &["Range: bytes=7-"],
    );
    assert_eq!((from.status, from.body.as_str()), (206, "789"));
    let past = request_with(
        server.port,
        "GET",
        "/journal/notes.txt",
        &["Range: bytes=10-"],
    );
    assert_eq!(past.status, 416);
    assert_eq!(past.header("Content-Range"), Some("bytes */10"));
    let whole = server.get("/journal/notes.txt");
    assert_eq!(whole.header("Accept-Ranges"), Some("bytes"));
    assert_eq!(whole.body, "0123456789");
}

#[test]
fn a_big_file_is_sent_from_disk_a_piece_at_a_time() {
    let site = site();
    let video: Vec<u8> = (0..40usize << 20).map(|i| b'a' + (i % 26) as u8).collect();
    site.write_bytes("static/video.mp4", &video);
    let server = ServeProcess::start(site.path(), &[]);
    let before = server.status_number("VmHWM");
    let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    // Pipelined: a part across pieces of the file, the whole file, then a page.
    stream
        .write_all(
            b"GET /journal/video.mp4 HTTP/1.1\r\nHost: x\r\nRange: bytes=65000-300000\r\n\r\n\
              GET /journal/video.mp4 HTTP/1.1\r\nHost: x\r\n\r\n\
              GET /journal/a/ HTTP/1.1\r\nHost: x\r\n\r\n",
        )
        .unwrap();
    let part = read_one_response(&mut stream, false);
    assert_eq!(part.status, 206);
    assert_eq!(
        part.header("Content-Range"),
        Some("bytes 65000-300000/41943040")
    );
    assert!(part.body.as_bytes() == &video[65000..=300000]);
    let whole = read_one_response(&mut stream, false);
    assert_eq!(whole.status, 200);
    assert!(whole.body.as_bytes() == video.as_slice());
    assert!(
        read_one_response(&mut stream, false)
            .body
            .contains("Page A.")
    );
    let grown = server.status_number("VmHWM").saturating_sub(before);
    assert!(grown < 16 * 1024, "the server grew by {grown} kB");
}

#[test]
fn live_reload_is_on_the_page_port_for_this_sites_pages_only() {
    let site = site();
    let server = ServeProcess::start(site.path(), &[]);
    let own = format!("Origin: http://127.0.0.1:{}", server.port);
    assert!(live_socket(server.port, &[&own]).is_ok());
    let refused = live_socket(server.port, &["Origin: https://evil.example"])
        .err()
        .expect("another site's page may not listen");
    assert_eq!(refused.status, 403);
    for path in ["/journal/", "/__worklog/live.js", "/journal/notes.txt"] {
        let r = request_with(server.port, "GET", path, &["Origin: https://evil.example"]);
        assert!(
            r.headers
                .iter()
                .all(|(k, _)| !k.to_ascii_lowercase().starts_with("access-control")),
            "{path}: {:?}",
            r.headers
        );
    }
}

#[test]
fn port_zero_is_chosen_by_the_system() {
    let site = site();
    let server = ServeProcess::start_on(site.path(), 0, &[]);
    assert_ne!(server.port, 0);
    assert!(
        !server.output().iter().any(|l| l.contains("busy")),
        "{:?}",
        server.output()
    );
    assert_eq!(server.get("/journal/a/").status, 200);
}

#[test]
fn bind_takes_a_host_name() {
    let site = site();
    let server = ServeProcess::start(site.path(), &["--bind", "localhost"]);
    assert!(
        server.url.starts_with("http://localhost:"),
        "{}",
        server.url
    );
    assert_eq!(server.get("/journal/a/").status, 200);
}

#[test]
fn on_all_interfaces_the_url_is_one_other_machines_can_open() {
    let site = site();
    let server = ServeProcess::start(site.path(), &["--bind", "0.0.0.0"]);
    let host = server.url["http://".len()..].split(':').next().unwrap();
    assert!(
        !["0.0.0.0", "127.0.0.1", "localhost"].contains(&host),
        "{}",
        server.url
    );
    if let Ok(ip) = host.parse::<std::net::IpAddr>() {
        // One of this machine's addresses: it can be listened on.
        std::net::TcpListener::bind((ip, 0)).unwrap();
    }
    assert!(
        server
            .output()
            .iter()
            .any(|l| l.contains("listening on all interfaces")),
        "{:?}",
        server.output()
    );
    assert_eq!(server.get("/journal/a/").status, 200);
}
