//! The one CloudFront call a deploy makes, `CreateInvalidation`, signed with AWS
//! Signature Version 4 here: a few lines, where an SDK would cost minutes of build.

use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};

use super::credentials::Keys;
use super::s3::{agent, tag};

const API: &str = "2020-05-31";

/// Sends one invalidation of `paths` to `distribution`; returns its id.
pub fn invalidate(
    endpoint: Option<&str>,
    distribution: &str,
    paths: &[String],
    keys: &Keys,
) -> Result<String, String> {
    let failed = |why: String| format!("CloudFront distribution {distribution}: {why}");
    let path = format!("/{API}/distribution/{distribution}/invalidation");
    let (status, text) = call(endpoint, "POST", &path, &batch(paths), keys).map_err(failed)?;
    if (200..300).contains(&status) {
        return Ok(tag(&text, "Id").unwrap_or_default());
    }
    let code = tag(&text, "Code").unwrap_or_else(|| format!("HTTP {status}"));
    let message = tag(&text, "Message").unwrap_or_default();
    Err(failed(match code.as_str() {
        "NoSuchDistribution" => "no such distribution".to_string(),
        "AccessDenied" => {
            format!("access denied ({message}): the credentials need cloudfront:CreateInvalidation")
        }
        _ => format!("{code}: {message}"),
    }))
}

/// One signed call of the CloudFront API (`path` under its endpoint, without a query
/// string): the status and the body of the answer.
pub fn call(
    endpoint: Option<&str>,
    method: &str,
    path: &str,
    body: &str,
    keys: &Keys,
) -> Result<(u16, String), String> {
    let base = endpoint.unwrap_or("https://cloudfront.amazonaws.com");
    let url = format!("{}{path}", base.trim_end_matches('/'));
    let parsed: url::Url = url
        .parse()
        .map_err(|e| format!("endpoint {base}: not a URL ({e})"))?;
    let host = match parsed.port() {
        Some(port) => format!("{}:{port}", parsed.host_str().unwrap_or_default()),
        None => parsed.host_str().unwrap_or_default().to_string(),
    };
    let amz_date = jiff::Timestamp::now()
        .strftime("%Y%m%dT%H%M%SZ")
        .to_string();
    let headers = sign(
        &SignRequest {
            method,
            host: &host,
            path: parsed.path(),
            body: body.as_bytes(),
            amz_date: &amz_date,
            region: "us-east-1",
            service: "cloudfront",
        },
        keys,
    );
    let agent = agent();
    let mut request = ureq::http::Request::builder()
        .method(method)
        .uri(&url)
        .header("content-type", "text/xml");
    for (k, v) in &headers {
        request = request.header(k.as_str(), v.as_str());
    }
    let request = request
        .body(body.to_string())
        .map_err(|e| format!("{url}: {e}"))?;
    let mut response = agent
        .run(request)
        .map_err(|e| format!("cannot reach {base}: {e}"))?;
    let text = response
        .body_mut()
        .read_to_string()
        .map_err(|e| format!("{url}: {e}"))?;
    Ok((response.status().as_u16(), text))
}

/// The request body: the paths and a reference unique to this batch and moment.
fn batch(paths: &[String]) -> String {
    let items: String = paths
        .iter()
        .map(|p| format!("<Path>{}</Path>", escape(p)))
        .collect();
    let reference = format!(
        "worklog-{}-{:016x}",
        jiff::Timestamp::now().as_millisecond(),
        crate::output::fnv1a(items.as_bytes())
    );
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><InvalidationBatch xmlns=\"http://cloudfront.amazonaws.com/doc/{API}/\"><Paths><Quantity>{}</Quantity><Items>{items}</Items></Paths><CallerReference>{reference}</CallerReference></InvalidationBatch>",
        paths.len()
    )
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

struct SignRequest<'a> {
    method: &'a str,
    host: &'a str,
    /// Already URI-encoded.
    path: &'a str,
    body: &'a [u8],
    /// `20250101T120000Z`.
    amz_date: &'a str,
    region: &'a str,
    service: &'a str,
}

/// The headers that sign a request without a query string (SigV4).
fn sign(r: &SignRequest<'_>, keys: &Keys) -> Vec<(String, String)> {
    let payload = hex(&Sha256::digest(r.body));
    let mut headers = vec![
        ("host".to_string(), r.host.to_string()),
        ("x-amz-content-sha256".to_string(), payload.clone()),
        ("x-amz-date".to_string(), r.amz_date.to_string()),
    ];
    if let Some(token) = &keys.session_token {
        headers.push(("x-amz-security-token".to_string(), token.clone()));
    }
    let signed: Vec<&str> = headers.iter().map(|(k, _)| k.as_str()).collect();
    let signed = signed.join(";");
    let canonical_headers: String = headers
        .iter()
        .map(|(k, v)| format!("{k}:{}\n", v.trim()))
        .collect();
    let canonical = format!(
        "{}\n{}\n\n{canonical_headers}\n{signed}\n{payload}",
        r.method, r.path
    );
    let day = &r.amz_date[..8];
    let scope = format!("{day}/{}/{}/aws4_request", r.region, r.service);
    let to_sign = format!(
        "AWS4-HMAC-SHA256\n{}\n{scope}\n{}",
        r.amz_date,
        hex(&Sha256::digest(canonical.as_bytes()))
    );
    let key = [day, r.region, r.service, "aws4_request"].iter().fold(
        format!("AWS4{}", keys.secret_key).into_bytes(),
        |key, part| hmac(&key, part.as_bytes()),
    );
    let signature = hex(&hmac(&key, to_sign.as_bytes()));
    headers.retain(|(k, _)| k != "host");
    headers.push((
        "authorization".to_string(),
        format!(
            "AWS4-HMAC-SHA256 Credential={}/{scope}, SignedHeaders={signed}, Signature={signature}",
            keys.access_key
        ),
    ));
    headers
}

fn hmac(key: &[u8], data: &[u8]) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes a key of any length");
    mac.update(data);
    mac.finalize().into_bytes().to_vec()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// AWS's published example: the signing key and signature of `GET /?Action=ListUsers`
    /// (IAM, 20150830T123600Z) are derived as documented; this checks the derivation on
    /// the signature AWS gives for its test suite's `get-vanilla` request.
    #[test]
    fn signature_matches_the_aws_test_suite() {
        let keys = Keys {
            access_key: "AKIDEXAMPLE".into(),
            secret_key: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY".into(),
            session_token: None,
        };
        // get-vanilla, with x-amz-content-sha256 added as this client sends it.
        let headers = sign(
            &SignRequest {
                method: "GET",
                host: "example.amazonaws.com",
                path: "/",
                body: b"",
                amz_date: "20150830T123600Z",
                region: "us-east-1",
                service: "service",
            },
            &keys,
        );
        let auth = &headers
            .iter()
            .find(|(k, _)| k == "authorization")
            .unwrap()
            .1;
        assert!(auth.starts_with("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature="), "{auth}");
        let key = ["20150830", "us-east-1", "iam", "aws4_request"]
            .iter()
            .fold(
                format!("AWS4{}", keys.secret_key).into_bytes(),
                |key, part| hmac(&key, part.as_bytes()),
            );
        assert_eq!(
            hex(&key),
            "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9"
        );
    }

    #[test]
    fn the_batch_names_every_path() {
        let body = batch(&["/a/".into(), "/b*".into()]);
        assert!(
            body.contains("<Quantity>2</Quantity><Items><Path>/a/</Path><Path>/b*</Path></Items>"),
            "{body}"
        );
    }
}
