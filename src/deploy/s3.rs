//! The S3 calls a deploy makes, signed by `rusty-s3` (presigned URLs, so the request
//! headers that are signed are the ones sent) and sent by `ureq`.

use std::collections::BTreeMap;
use std::time::Duration;

use rusty_s3::actions::{
    CompleteMultipartUpload, CreateMultipartUpload, DeleteObjects, GetObject, HeadObject,
    ListObjectsV2, ObjectIdentifier, PutObject, UploadPart,
};
use rusty_s3::{Bucket, Credentials, S3Action, UrlStyle};

use super::credentials::Keys;
use super::rules::Headers;

/// How long a signed request stays valid: long enough for a large part on a slow line.
const VALID: Duration = Duration::from_secs(3600);
/// The metadata header holding an object's MD5 (`x-amz-meta-md5`), for objects uploaded
/// in parts, whose ETag is not one.
pub const MD5_HEADER: &str = "x-amz-meta-md5";

pub struct S3 {
    bucket: Bucket,
    credentials: Credentials,
    agent: ureq::Agent,
    /// `s3://bucket`, for messages.
    name: String,
}

impl S3 {
    /// `endpoint` is an S3-compatible server's URL; AWS's regional endpoint otherwise.
    pub fn new(
        endpoint: Option<&str>,
        bucket: &str,
        region: &str,
        keys: &Keys,
    ) -> Result<S3, String> {
        let (url, style) = match endpoint {
            Some(e) => (e.to_string(), UrlStyle::Path),
            None => (
                format!("https://s3.{region}.amazonaws.com"),
                UrlStyle::VirtualHost,
            ),
        };
        let parsed: url::Url = url
            .parse()
            .map_err(|e| format!("--endpoint {url}: not a URL ({e})"))?;
        let bucket_handle = Bucket::new(parsed, style, bucket.to_string(), region.to_string())
            .map_err(|e| format!("s3://{bucket} at {url}: {e}"))?;
        let credentials = match &keys.session_token {
            Some(token) => Credentials::new_with_token(&keys.access_key, &keys.secret_key, token),
            None => Credentials::new(&keys.access_key, &keys.secret_key),
        };
        Ok(S3 {
            bucket: bucket_handle,
            credentials,
            agent: agent(),
            name: format!("s3://{bucket}"),
        })
    }

    /// Every key under `prefix` with its ETag (quotes removed).
    pub fn list(&self, prefix: &str) -> Result<BTreeMap<String, String>, String> {
        let mut objects = BTreeMap::new();
        let mut token: Option<String> = None;
        loop {
            let mut action = ListObjectsV2::new(&self.bucket, Some(&self.credentials));
            if !prefix.is_empty() {
                action.with_prefix(prefix);
            }
            if let Some(t) = &token {
                action.with_continuation_token(t.as_str());
            }
            let url = action.sign(VALID);
            let body = self.expect_ok(self.agent.get(url.as_str()).call(), "list")?;
            let text = String::from_utf8_lossy(&body);
            let page = ListObjectsV2::parse_response(&text)
                .map_err(|e| format!("{}: the listing did not parse: {e}", self.name))?;
            for object in page.contents {
                let etag = object
                    .etag
                    .unwrap_or_default()
                    .trim_matches('"')
                    .to_string();
                objects.insert(object.key, etag);
            }
            match page.next_continuation_token {
                Some(next) => token = Some(next),
                None => return Ok(objects),
            }
        }
    }

    /// An object's bytes, or `None` when there is no such object.
    pub fn get(&self, key: &str) -> Result<Option<Vec<u8>>, String> {
        let url = GetObject::new(&self.bucket, Some(&self.credentials), key).sign(VALID);
        let (status, body) = self.answer(self.agent.get(url.as_str()).call())?;
        if status == 404
            && tag(&String::from_utf8_lossy(&body), "Code").as_deref() == Some("NoSuchKey")
        {
            return Ok(None);
        }
        self.check(status, body, &format!("read {key}")).map(Some)
    }

    /// What an object's headers say of it: its MD5 (from [`MD5_HEADER`], when worklog
    /// uploaded it), `Content-Type` and `Cache-Control`; `None` when it has no MD5 there.
    pub fn head(&self, key: &str) -> Result<Option<(String, Headers)>, String> {
        let url = HeadObject::new(&self.bucket, Some(&self.credentials), key).sign(VALID);
        let response = self
            .agent
            .head(url.as_str())
            .call()
            .map_err(|e| self.network(&e))?;
        let status = response.status().as_u16();
        if !(200..300).contains(&status) {
            return Err(format!("{}: read {key}: HTTP {status}", self.name));
        }
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        Ok(header(MD5_HEADER).map(|md5| {
            (
                md5,
                Headers {
                    content_type: header("content-type").unwrap_or_default(),
                    cache_control: header("cache-control").unwrap_or_default(),
                },
            )
        }))
    }

    /// Uploads `body` under `key` in one request; returns the new ETag.
    pub fn put(
        &self,
        key: &str,
        body: &[u8],
        headers: &Headers,
        md5: &str,
    ) -> Result<String, String> {
        let mut action = PutObject::new(&self.bucket, Some(&self.credentials), key);
        let sent = object_headers(headers, md5);
        for (k, v) in &sent {
            action.headers_mut().insert(*k, v.clone());
        }
        let url = action.sign(VALID);
        let mut request = self.agent.put(url.as_str());
        for (k, v) in &sent {
            request = request.header(*k, v.as_str());
        }
        let response = request.send(body);
        self.etag_of(response, key)
    }

    /// Uploads the parts `parts` yields, in order, as one object; returns its ETag.
    pub fn put_parts(
        &self,
        key: &str,
        parts: impl Iterator<Item = std::io::Result<Vec<u8>>>,
        headers: &Headers,
        md5: &str,
    ) -> Result<String, String> {
        let mut create = CreateMultipartUpload::new(&self.bucket, Some(&self.credentials), key);
        let sent = object_headers(headers, md5);
        for (k, v) in &sent {
            create.headers_mut().insert(*k, v.clone());
        }
        let mut request = self.agent.post(create.sign(VALID).as_str());
        for (k, v) in &sent {
            request = request.header(*k, v.as_str());
        }
        let body = self.expect_ok(request.send_empty(), &format!("upload {key}"))?;
        let created = CreateMultipartUpload::parse_response(&String::from_utf8_lossy(&body))
            .map_err(|e| format!("{}: upload {key}: {e}", self.name))?;
        let upload_id = created.upload_id();
        let mut etags = Vec::new();
        for (i, part) in parts.enumerate() {
            let part = part.map_err(|e| format!("{key}: cannot read: {e}"))?;
            let number = u16::try_from(i + 1).map_err(|_| format!("{key}: too many parts"))?;
            let url = UploadPart::new(
                &self.bucket,
                Some(&self.credentials),
                key,
                number,
                upload_id,
            )
            .sign(VALID);
            etags.push(self.etag_of(self.agent.put(url.as_str()).send(&part[..]), key)?);
        }
        let complete = CompleteMultipartUpload::new(
            &self.bucket,
            Some(&self.credentials),
            key,
            upload_id,
            etags.iter().map(String::as_str),
        );
        let url = complete.sign(VALID);
        let body = self.expect_ok(
            self.agent.post(url.as_str()).send(complete.body()),
            &format!("upload {key}"),
        )?;
        let text = String::from_utf8_lossy(&body);
        Ok(tag(&text, "ETag")
            .unwrap_or_default()
            .replace("&quot;", "")
            .trim_matches('"')
            .to_string())
    }

    /// Deletes `keys`, a thousand per request (S3's limit).
    pub fn delete(&self, keys: &[String]) -> Result<(), String> {
        for chunk in keys.chunks(1000) {
            let objects: Vec<ObjectIdentifier> = chunk
                .iter()
                .map(|k| ObjectIdentifier::new(k.clone()))
                .collect();
            let mut action =
                DeleteObjects::new(&self.bucket, Some(&self.credentials), objects.iter());
            action.set_quiet(true);
            let url = action.sign(VALID);
            let (body, md5) = action.body_with_md5();
            let response = self
                .agent
                .post(url.as_str())
                .header("Content-MD5", md5.as_str())
                .send(body);
            let answer = self.expect_ok(response, "delete")?;
            let text = String::from_utf8_lossy(&answer);
            if let Some(code) = text
                .contains("<Error>")
                .then(|| tag(&text, "Code"))
                .flatten()
            {
                return Err(format!("{}: delete: {code}", self.name));
            }
        }
        Ok(())
    }

    fn etag_of(
        &self,
        response: Result<ureq::http::Response<ureq::Body>, ureq::Error>,
        key: &str,
    ) -> Result<String, String> {
        let response = response.map_err(|e| self.network(&e))?;
        let etag = response
            .headers()
            .get("etag")
            .and_then(|v| v.to_str().ok())
            .map(|v| v.trim_matches('"').to_string());
        self.expect_ok(Ok(response), &format!("upload {key}"))?;
        Ok(etag.unwrap_or_default())
    }

    /// The body of a 2xx answer; one line naming the bucket and S3's reason otherwise.
    fn expect_ok(
        &self,
        response: Result<ureq::http::Response<ureq::Body>, ureq::Error>,
        what: &str,
    ) -> Result<Vec<u8>, String> {
        let (status, body) = self.answer(response)?;
        self.check(status, body, what)
    }

    /// The status and body of an answer; an error only when none came.
    fn answer(
        &self,
        response: Result<ureq::http::Response<ureq::Body>, ureq::Error>,
    ) -> Result<(u16, Vec<u8>), String> {
        let mut response = response.map_err(|e| self.network(&e))?;
        let status = response.status().as_u16();
        let body = response
            .body_mut()
            .with_config()
            .limit(1 << 30)
            .read_to_vec()
            .map_err(|e| self.network(&e))?;
        Ok((status, body))
    }

    fn check(&self, status: u16, body: Vec<u8>, what: &str) -> Result<Vec<u8>, String> {
        if (200..300).contains(&status) {
            return Ok(body);
        }
        let text = String::from_utf8_lossy(&body);
        let code = tag(&text, "Code").unwrap_or_default();
        let message = tag(&text, "Message").unwrap_or_default();
        Err(match code.as_str() {
            "NoSuchBucket" => format!("{}: no such bucket", self.name),
            "InvalidAccessKeyId" | "SignatureDoesNotMatch" | "ExpiredToken" | "InvalidToken" => {
                format!(
                    "{}: the credentials were refused ({code}: {message})",
                    self.name
                )
            }
            "AccessDenied" => format!(
                "{}: access denied to {what} ({message}): the credentials need s3:ListBucket, s3:GetObject, s3:PutObject and s3:DeleteObject on it",
                self.name
            ),
            "" => format!("{}: {what}: HTTP {status}", self.name),
            _ => format!("{}: {what}: {code}: {message}", self.name),
        })
    }

    fn network(&self, e: &ureq::Error) -> String {
        format!(
            "{}: cannot reach {}: {e}",
            self.name,
            self.bucket.base_url()
        )
    }
}

/// A 30-second connect timeout: a wrong endpoint fails in seconds, not minutes.
pub fn agent() -> ureq::Agent {
    ureq::Agent::new_with_config(
        ureq::config::Config::builder()
            .http_status_as_error(false)
            .timeout_connect(Some(Duration::from_secs(30)))
            .build(),
    )
}

fn object_headers(headers: &Headers, md5: &str) -> Vec<(&'static str, String)> {
    vec![
        ("content-type", headers.content_type.clone()),
        ("cache-control", headers.cache_control.clone()),
        (MD5_HEADER, md5.to_string()),
    ]
}

/// The text of the first `<name>…</name>` of an XML answer.
pub fn tag(xml: &str, name: &str) -> Option<String> {
    let open = format!("<{name}>");
    let start = xml.find(&open)? + open.len();
    let end = xml[start..].find(&format!("</{name}>"))? + start;
    Some(xml[start..end].to_string())
}
