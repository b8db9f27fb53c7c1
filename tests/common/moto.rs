//! A real S3 (and CloudFront) API for deploy tests: `moto_server` from PyPI's
//! `moto[server]`, which `.ci/run` installs in a virtual environment, started on
//! 127.0.0.1 on a free port, one per test, stopped when the test ends.
//!
//! Found at `$WORKLOG_MOTO_SERVER`, else as `moto_server` on the PATH. Where it is
//! missing, a test skips with a note; with `WORKLOG_REQUIRE_MOTO=1` (set by `.ci/run`)
//! that is a failure instead.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use rusty_s3::S3Action;

/// An object's headers (lowercase names) and bytes.
pub type Object = (Vec<(String, String)>, Vec<u8>);

pub struct Moto {
    child: Child,
    pub url: String,
}

impl Moto {
    pub fn start() -> Option<Moto> {
        Self::start_with(&[])
    }

    /// moto with these environment variables (`MOTO_RECORDER_FILEPATH`: where it writes
    /// the requests it gets once `/moto-api/recorder/start-recording` is called).
    pub fn start_with(env: &[(&str, &str)]) -> Option<Moto> {
        let program = std::env::var("WORKLOG_MOTO_SERVER").unwrap_or_else(|_| "moto_server".into());
        // Port 0: moto binds a free port itself and says which, so that no other
        // process of the parallel tests can take it while Python starts.
        let child = Command::new(&program)
            .args(["-H", "127.0.0.1", "-p", "0"])
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn();
        let child = match child {
            Ok(c) => c,
            Err(e) => {
                assert!(
                    std::env::var("WORKLOG_REQUIRE_MOTO").is_err(),
                    "WORKLOG_REQUIRE_MOTO is set, and {program} does not start: {e}"
                );
                eprintln!("note: {program} does not start ({e}): S3 deploy test skipped");
                return None;
            }
        };
        let mut moto = Moto {
            child,
            url: String::new(),
        };
        let stderr = moto.child.stderr.take().expect("piped");
        let port = super::server::announced_port(stderr, "Running on http://127.0.0.1:");
        moto.url = format!("http://127.0.0.1:{port}");
        Some(moto)
    }

    /// An unsigned request (moto does not check signatures): the status, headers and body.
    pub fn request(&self, method: &str, path: &str) -> (u16, Vec<(String, String)>, Vec<u8>) {
        self.send(method, path, Vec::new())
    }

    pub fn send(
        &self,
        method: &str,
        path: &str,
        body: Vec<u8>,
    ) -> (u16, Vec<(String, String)>, Vec<u8>) {
        let agent = ureq::Agent::new_with_config(
            ureq::config::Config::builder()
                .http_status_as_error(false)
                .build(),
        );
        let request = ureq::http::Request::builder()
            .method(method)
            .uri(format!("{}{path}", self.url))
            .body(body)
            .unwrap();
        let mut response = agent.run(request).unwrap();
        let headers = response
            .headers()
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").to_string()))
            .collect();
        let body = response
            .body_mut()
            .with_config()
            .limit(1 << 30)
            .read_to_vec()
            .unwrap();
        (response.status().as_u16(), headers, body)
    }

    /// A bucket with versioning on: every upload adds a version, so a test counts them.
    pub fn create_bucket(&self, bucket: &str) {
        let (status, _, body) = self.request("PUT", &format!("/{bucket}"));
        assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
        let config = b"<VersioningConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Status>Enabled</Status></VersioningConfiguration>";
        let (status, _, body) = self.send("PUT", &format!("/{bucket}?versioning"), config.to_vec());
        assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    }

    /// How many times each key was uploaded.
    pub fn uploads(&self, bucket: &str) -> std::collections::BTreeMap<String, usize> {
        let (_, _, body) = self.request("GET", &format!("/{bucket}?versions"));
        let text = String::from_utf8(body).unwrap();
        let mut counts = std::collections::BTreeMap::new();
        for version in text.split("<Version>").skip(1) {
            let key = version
                .split("<Key>")
                .nth(1)
                .unwrap()
                .split("</Key>")
                .next()
                .unwrap();
            *counts.entry(key.replace("&amp;", "&")).or_insert(0) += 1;
        }
        counts
    }

    /// The keys of a bucket, sorted.
    pub fn keys(&self, bucket: &str) -> Vec<String> {
        let (_, _, body) = self.request("GET", &format!("/{bucket}?list-type=2&max-keys=1000"));
        let text = String::from_utf8(body).unwrap();
        let mut keys: Vec<String> = text
            .split("<Key>")
            .skip(1)
            .map(|k| k.split("</Key>").next().unwrap().replace("&amp;", "&"))
            .collect();
        keys.sort();
        keys
    }

    /// An object's headers (lowercase names) and bytes.
    pub fn object(&self, bucket: &str, key: &str) -> Object {
        self.try_object(bucket, key)
            .unwrap_or_else(|| panic!("{key}: no such object"))
    }

    /// An object's headers and bytes, or `None` when there is no such key.
    pub fn try_object(&self, bucket: &str, key: &str) -> Option<Object> {
        // Signed: moto answers an unsigned GET of `*.css` or `*.png` as a file of its own.
        let url =
            rusty_s3::actions::GetObject::new(&self.bucket(bucket), Some(&credentials()), key)
                .sign(Duration::from_secs(600));
        let path = &url.as_str()[self.url.len()..];
        let (status, headers, body) = self.request("GET", path);
        if status == 404 {
            return None;
        }
        assert_eq!(status, 200, "{key}: {}", String::from_utf8_lossy(&body));
        Some((headers, body))
    }

    /// Uploads an object, as a deploy cut short would have.
    pub fn put(&self, bucket: &str, key: &str, body: &[u8]) {
        let url =
            rusty_s3::actions::PutObject::new(&self.bucket(bucket), Some(&credentials()), key)
                .sign(Duration::from_secs(600));
        let (status, _, answer) = self.send("PUT", &url.as_str()[self.url.len()..], body.to_vec());
        assert_eq!(status, 200, "{}", String::from_utf8_lossy(&answer));
    }

    /// Deletes an object, as another tool would.
    pub fn delete(&self, bucket: &str, key: &str) {
        let url =
            rusty_s3::actions::DeleteObject::new(&self.bucket(bucket), Some(&credentials()), key)
                .sign(Duration::from_secs(600));
        let (status, _, body) = self.request("DELETE", &url.as_str()[self.url.len()..]);
        assert_eq!(status, 204, "{}", String::from_utf8_lossy(&body));
    }

    fn bucket(&self, name: &str) -> rusty_s3::Bucket {
        rusty_s3::Bucket::new(
            self.url.parse().unwrap(),
            rusty_s3::UrlStyle::Path,
            name.to_string(),
            "us-east-1",
        )
        .unwrap()
    }

    pub fn header(&self, bucket: &str, key: &str, name: &str) -> String {
        let (headers, _) = self.object(bucket, key);
        headers
            .into_iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
            .unwrap_or_default()
    }
}

fn credentials() -> rusty_s3::Credentials {
    rusty_s3::Credentials::new("test", "test")
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
