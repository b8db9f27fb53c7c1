//! The deployed site served as CloudFront serves an S3 REST origin, walked in headless
//! Chromium.
mod common;
use common::deploy::*;
use common::moto::Moto;

/// The deployed site as CloudFront serves it from an S3 REST origin with Origin Access
/// Control: each URL is one key (`/a/` is the key `a/`, no index fallback but the
/// default root object), and a missing key is S3's 403, answered with `404.html`. Every
/// page reached by following the site's links opens, with its stylesheet, and nothing
/// it loads is missing.
#[test]
fn every_page_opens_from_an_s3_rest_origin() {
    let Some(browser) = common::browser::Browser::start() else {
        return;
    };
    let Some((moto, site)) = start() else { return };
    deploy(&site, &moto, &[]).ok();
    let origin = RestOrigin::start(moto);
    let mut seen = std::collections::BTreeSet::new();
    let mut queue = vec![format!("{}/", origin.url)];
    while let Some(url) = queue.pop() {
        if !seen.insert(url.clone()) {
            continue;
        }
        browser.goto(&url);
        assert_eq!(
            browser.eval("return document.title.includes('not found')"),
            false,
            "{url} did not open"
        );
        assert_eq!(
            browser.eval("return document.styleSheets.length > 0 && document.styleSheets[0].cssRules.length > 0"),
            true,
            "{url} has no stylesheet"
        );
        let links = browser.eval(
            "return [...document.querySelectorAll('a[href]')].map(a => a.href.split('#')[0]).filter(h => h.startsWith(location.origin))",
        );
        for link in links.as_array().unwrap() {
            queue.push(link.as_str().unwrap().to_string());
        }
    }
    assert!(seen.len() >= 5, "{seen:?}");
    let missed = origin.missed.lock().unwrap().clone();
    assert!(missed.is_empty(), "missing keys: {missed:?}");
}

/// A tiny HTTP server answering each GET with the object of the same key in the bucket.
struct RestOrigin {
    url: String,
    missed: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
    /// The one owner of moto: the server's thread holds it weakly, so moto stops with
    /// the test rather than when the test process ends.
    _moto: std::sync::Arc<Moto>,
}

impl RestOrigin {
    fn start(moto: Moto) -> RestOrigin {
        use std::io::{BufRead, BufReader, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let missed = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let log = missed.clone();
        let owner = std::sync::Arc::new(moto);
        let weak = std::sync::Arc::downgrade(&owner);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let Some(moto) = weak.upgrade() else { return };
                let log = log.clone();
                std::thread::spawn(move || {
                    let mut line = String::new();
                    let mut reader = BufReader::new(stream.try_clone().unwrap());
                    reader.read_line(&mut line).unwrap();
                    loop {
                        let mut header = String::new();
                        if reader.read_line(&mut header).unwrap_or(0) <= 2 {
                            break;
                        }
                    }
                    let path = line.split(' ').nth(1).unwrap_or("/");
                    let path = path.split('?').next().unwrap();
                    let key = match decode(&path[1..]) {
                        key if key.is_empty() => "index.html".to_string(),
                        key => key,
                    };
                    let (status, headers, body) = match moto.try_object(BUCKET, &key) {
                        Some((headers, body)) => ("200 OK", headers, body),
                        None => {
                            if key != "favicon.ico" {
                                log.lock().unwrap().push(key);
                            }
                            let (headers, body) = moto.object(BUCKET, "404.html");
                            ("404 Not Found", headers, body)
                        }
                    };
                    let content_type = headers
                        .iter()
                        .find(|(k, _)| k.eq_ignore_ascii_case("content-type"))
                        .map(|(_, v)| v.clone())
                        .unwrap_or_default();
                    let head = format!(
                        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                        body.len()
                    );
                    let _ = stream.write_all(head.as_bytes());
                    let _ = stream.write_all(&body);
                });
            }
        });
        RestOrigin {
            url,
            missed,
            _moto: owner,
        }
    }
}

fn decode(path: &str) -> String {
    let bytes = path.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            out.push(u8::from_str_radix(&path[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}
