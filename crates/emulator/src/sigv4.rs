//! AWS Signature Version 4 verification (header form, `AWS4-HMAC-SHA256`).
//!
//! The server recomputes the signature over the request exactly as received: method, URI path,
//! canonical query string, the headers named in `SignedHeaders`, and the hex SHA-256 of the body
//! (or the signed `X-Amz-Content-SHA256` value, which must match the body unless it is
//! `UNSIGNED-PAYLOAD`). Any region is accepted; the credential scope's service must be the
//! routed service's signing name. As AWS does, `X-Amz-Date` must be within
//! [`MAX_CLOCK_SKEW`] of the server's clock, so a captured request cannot be replayed later.

use axum::http::{HeaderMap, Method};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

type HmacSha256 = Hmac<Sha256>;

/// How far `X-Amz-Date` may be from the server's clock, either way (AWS's 15 minutes).
pub const MAX_CLOCK_SKEW: time::Duration = time::Duration::minutes(15);

/// `X-Amz-Date`'s format: ISO 8601 basic, UTC.
const AMZ_DATE: &[time::format_description::BorrowedFormatItem<'static>] =
    time::macros::format_description!("[year][month][day]T[hour][minute][second]Z");

fn amz_date(t: time::OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    t.format(AMZ_DATE).unwrap_or_else(|_| t.to_string())
}

/// Refuses an `X-Amz-Date` more than [`MAX_CLOCK_SKEW`] away from `now`, with AWS's messages.
fn check_clock_skew(amz: &str, now: time::OffsetDateTime) -> Result<(), AuthFailure> {
    let signed = time::PrimitiveDateTime::parse(amz, AMZ_DATE)
        .map_err(|_| {
            fail(
                "IncompleteSignatureException",
                format!(
                    "X-Amz-Date must be in the ISO 8601 basic format YYYYMMDD'T'HHMMSS'Z', got '{}'",
                    amz.chars().take(40).collect::<String>()
                ),
            )
        })?
        .assume_utc();
    if signed < now - MAX_CLOCK_SKEW {
        return Err(fail(
            "InvalidSignatureException",
            format!(
                "Signature expired: {amz} is now earlier than {} ({} - 15 min.)",
                amz_date(now - MAX_CLOCK_SKEW),
                amz_date(now)
            ),
        ));
    }
    if signed > now + MAX_CLOCK_SKEW {
        return Err(fail(
            "InvalidSignatureException",
            format!(
                "Signature not yet current: {amz} is still later than {} ({} + 15 min.)",
                amz_date(now + MAX_CLOCK_SKEW),
                amz_date(now)
            ),
        ));
    }
    Ok(())
}

/// Why a request was not authenticated: the AWS error code and message to send. Every
/// authentication failure is answered with status 403.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AuthFailure {
    pub code: &'static str,
    pub message: String,
}

fn fail(code: &'static str, message: impl Into<String>) -> AuthFailure {
    AuthFailure {
        code,
        message: message.into(),
    }
}

/// The parts of an `Authorization: AWS4-HMAC-SHA256 ...` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ParsedAuth {
    pub access_key: String,
    pub date: String,
    pub region: String,
    pub service: String,
    pub signed_headers: Vec<String>,
    pub signature: String,
}

impl ParsedAuth {
    fn scope(&self) -> String {
        format!(
            "{}/{}/{}/aws4_request",
            self.date, self.region, self.service
        )
    }
}

/// Parses the Authorization header value.
pub(crate) fn parse_authorization(value: &str) -> Result<ParsedAuth, AuthFailure> {
    let value = value.trim();
    let rest = value.strip_prefix("AWS4-HMAC-SHA256").ok_or_else(|| {
        fail(
            "IncompleteSignatureException",
            format!("Unsupported authorization algorithm; only AWS4-HMAC-SHA256 is accepted. Authorization={value}"),
        )
    })?;
    let (mut credential, mut signed, mut signature) = (None, None, None);
    for part in rest.split(',') {
        let part = part.trim();
        if let Some((k, v)) = part.split_once('=') {
            match k.trim() {
                "Credential" => credential = Some(v.trim()),
                "SignedHeaders" => signed = Some(v.trim()),
                "Signature" => signature = Some(v.trim()),
                _ => {}
            }
        }
    }
    let incomplete = |what: &str| {
        fail(
            "IncompleteSignatureException",
            format!("Authorization header requires '{what}' parameter. Authorization={value}"),
        )
    };
    let credential = credential.ok_or_else(|| incomplete("Credential"))?;
    let signed = signed.ok_or_else(|| incomplete("SignedHeaders"))?;
    let signature = signature.ok_or_else(|| incomplete("Signature"))?;
    let parts: Vec<&str> = credential.split('/').collect();
    if parts.len() != 5 || parts[4] != "aws4_request" || parts[0].is_empty() {
        return Err(fail(
            "IncompleteSignatureException",
            format!(
                "Credential is malformed: expected <key>/<date>/<region>/<service>/aws4_request, got {credential}"
            ),
        ));
    }
    Ok(ParsedAuth {
        access_key: parts[0].to_string(),
        date: parts[1].to_string(),
        region: parts[2].to_string(),
        service: parts[3].to_string(),
        signed_headers: signed
            .split(';')
            .map(|h| h.trim().to_ascii_lowercase())
            .collect(),
        signature: signature.to_ascii_lowercase(),
    })
}

/// What the verifier needs from a request.
pub(crate) struct SignedRequest<'a> {
    pub method: &'a Method,
    pub path: &'a str,
    pub query: Option<&'a str>,
    pub headers: &'a HeaderMap,
    pub body: &'a [u8],
}

impl<'a> SignedRequest<'a> {
    /// The request with head `parts` and `body`.
    pub(crate) fn of(parts: &'a axum::http::request::Parts, body: &'a [u8]) -> Self {
        SignedRequest {
            method: &parts.method,
            path: parts.uri.path(),
            query: parts.uri.query(),
            headers: &parts.headers,
            body,
        }
    }
}

/// Verifies the request's signature for `service` against one configured key pair, and its
/// date against the clock.
pub(crate) fn verify(
    req: &SignedRequest<'_>,
    expected_service: &str,
    access_key: &str,
    secret_key: &str,
) -> Result<(), AuthFailure> {
    verify_at(
        req,
        expected_service,
        access_key,
        secret_key,
        time::OffsetDateTime::now_utc(),
    )
}

/// [`verify`] with the server's clock reading `now`.
pub(crate) fn verify_at(
    req: &SignedRequest<'_>,
    expected_service: &str,
    access_key: &str,
    secret_key: &str,
    now: time::OffsetDateTime,
) -> Result<(), AuthFailure> {
    let Some(auth) = req.headers.get("authorization") else {
        return Err(fail(
            "MissingAuthenticationTokenException",
            "Missing Authentication Token",
        ));
    };
    let auth = auth.to_str().map_err(|_| {
        fail(
            "IncompleteSignatureException",
            "Authorization header is not valid text",
        )
    })?;
    let parsed = parse_authorization(auth)?;
    if !constant_time_eq(parsed.access_key.as_bytes(), access_key.as_bytes()) {
        return Err(fail(
            "UnrecognizedClientException",
            "The security token included in the request is invalid.",
        ));
    }
    if parsed.service != expected_service {
        return Err(fail(
            "InvalidSignatureException",
            format!("Credential should be scoped to correct service: '{expected_service}'. "),
        ));
    }
    let amz_date = header_str(req.headers, "x-amz-date").ok_or_else(|| {
        fail(
            "IncompleteSignatureException",
            "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
        )
    })?;
    if !amz_date.starts_with(&parsed.date) {
        return Err(fail(
            "InvalidSignatureException",
            format!(
                "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{}' != '{}'",
                parsed.date,
                &amz_date[..amz_date.len().min(8)]
            ),
        ));
    }
    check_clock_skew(amz_date, now)?;
    if !parsed.signed_headers.iter().any(|h| h == "host") {
        return Err(fail(
            "InvalidSignatureException",
            "'Host' must be a 'SignedHeader' in the AWS Authorization.",
        ));
    }
    let body_hash = hex::encode(Sha256::digest(req.body));
    let payload_hash = match header_str(req.headers, "x-amz-content-sha256") {
        Some(v) if v == "UNSIGNED-PAYLOAD" => v.to_string(),
        Some(v) if !v.eq_ignore_ascii_case(&body_hash) => {
            return Err(fail(
                "InvalidSignatureException",
                "The provided 'x-amz-content-sha256' header does not match what was computed.",
            ));
        }
        Some(v) => v.to_ascii_lowercase(),
        None => body_hash,
    };
    let canonical = canonical_request(req, &parsed.signed_headers, &payload_hash);
    let expected = signature(secret_key, amz_date, &parsed, &canonical);
    if !constant_time_eq(expected.as_bytes(), parsed.signature.as_bytes()) {
        return Err(fail(
            "InvalidSignatureException",
            "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
        ));
    }
    Ok(())
}

fn header_str<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
}

/// The SigV4 canonical request.
pub(crate) fn canonical_request(
    req: &SignedRequest<'_>,
    signed_headers: &[String],
    payload_hash: &str,
) -> String {
    let mut out = String::new();
    out.push_str(req.method.as_str());
    out.push('\n');
    out.push_str(&canonical_uri(req.path));
    out.push('\n');
    out.push_str(&canonical_query(req.query.unwrap_or("")));
    out.push('\n');
    for name in signed_headers {
        let values: Vec<String> = req
            .headers
            .get_all(name.as_str())
            .iter()
            .map(|v| collapse_spaces(&String::from_utf8_lossy(v.as_bytes())))
            .collect();
        out.push_str(name);
        out.push(':');
        out.push_str(&values.join(","));
        out.push('\n');
    }
    out.push('\n');
    out.push_str(&signed_headers.join(";"));
    out.push('\n');
    out.push_str(payload_hash);
    out
}

fn collapse_spaces(v: &str) -> String {
    v.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Non-S3 canonical URI: each path segment URI-encoded once more (the client signs the
/// already-encoded path encoded again).
fn canonical_uri(path: &str) -> String {
    if path.is_empty() {
        return "/".into();
    }
    path.split('/')
        .map(|seg| uri_encode(seg, true))
        .collect::<Vec<_>>()
        .join("/")
}

fn canonical_query(query: &str) -> String {
    if query.is_empty() {
        return String::new();
    }
    let mut pairs: Vec<(String, String)> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (
                uri_encode(&percent_decode(k), true),
                uri_encode(&percent_decode(v), true),
            )
        })
        .collect();
    pairs.sort();
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// RFC 3986 encoding of everything but the unreserved characters.
pub(crate) fn uri_encode(s: &str, encode_slash: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b'/' if !encode_slash => out.push('/'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Decodes `%XX` escapes (and `+` is kept as is, as SigV4 clients encode spaces as `%20`).
pub(crate) fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Ok(b) = u8::from_str_radix(&String::from_utf8_lossy(&bytes[i + 1..i + 3]), 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hmac(key: &[u8], data: &[u8]) -> Vec<u8> {
    let mut mac = HmacSha256::new_from_slice(key).expect("HMAC accepts any key length");
    mac.update(data);
    mac.finalize().into_bytes().to_vec()
}

/// The string to sign for a canonical request.
pub(crate) fn string_to_sign(amz_date: &str, scope: &str, canonical: &str) -> String {
    format!(
        "AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{}",
        hex::encode(Sha256::digest(canonical.as_bytes()))
    )
}

fn signature(secret: &str, amz_date: &str, auth: &ParsedAuth, canonical: &str) -> String {
    let sts = string_to_sign(amz_date, &auth.scope(), canonical);
    let k_date = hmac(format!("AWS4{secret}").as_bytes(), auth.date.as_bytes());
    let k_region = hmac(&k_date, auth.region.as_bytes());
    let k_service = hmac(&k_region, auth.service.as_bytes());
    let k_signing = hmac(&k_service, b"aws4_request");
    hex::encode(hmac(&k_signing, sts.as_bytes()))
}

/// Compares without an early exit, so timing does not reveal the matching prefix length.
pub(crate) fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    let mut diff = (a.len() ^ b.len()) as u8 | u8::from(a.len() != b.len());
    for i in 0..a.len().max(b.len()) {
        let x = a.get(i).copied().unwrap_or(0);
        let y = b.get(i).copied().unwrap_or(0xff);
        diff |= x ^ y;
    }
    diff == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;
    use time::macros::datetime;

    /// The vectors' signing time.
    const VECTOR_TIME: time::OffsetDateTime = datetime!(2015-08-30 12:36:00 UTC);

    /// [`super::verify`] with the clock at the vectors' signing time.
    fn verify(
        req: &SignedRequest<'_>,
        service: &str,
        access_key: &str,
        secret_key: &str,
    ) -> Result<(), AuthFailure> {
        verify_at(req, service, access_key, secret_key, VECTOR_TIME)
    }

    /// The golden vectors of refs/aws/captures/sigv4_vectors.json.
    /// (signing name, host, path, content type, target, body, signature)
    type Vector = (
        &'static str,
        &'static str,
        &'static str,
        &'static str,
        Option<&'static str>,
        &'static str,
        &'static str,
    );
    const VECTORS: &[Vector] = &[
        (
            "ssm",
            "ssm.us-east-1.amazonaws.com",
            "/",
            "application/x-amz-json-1.1",
            Some("AmazonSSM.DescribeMaintenanceWindowExecutionTasks"),
            "{\"WindowExecutionId\":\"12345678-1234-1234-1234-123456789012\"}",
            "c7a4867e86fe3a33c79d4b507eeb856e7db6c44675e6ba0186df9e66b0f90499",
        ),
        (
            "macie2",
            "macie2.us-east-1.amazonaws.com",
            "/jobs/list",
            "application/json",
            None,
            "{\"maxResults\":10}",
            "dacb272901c6bf07fb27ef094c0c14c730e7c48ea48232acb34c5d6ceb6743dc",
        ),
        (
            "partnercentral-selling",
            "partnercentral-selling.us-east-1.api.aws",
            "/",
            "application/x-amz-json-1.0",
            Some("AWSPartnerCentralSelling.ListResourceSnapshotJobs"),
            "{\"Catalog\":\"AWS\"}",
            "6518199976b7c7432110e633667fe5df2598ad21d402fac63a1fd775b98c2624",
        ),
    ];
    const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

    fn headers(service: &str, host: &str, ct: &str, target: Option<&str>, sig: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert("host", HeaderValue::from_str(host).unwrap());
        h.insert("content-type", HeaderValue::from_str(ct).unwrap());
        h.insert("x-amz-date", HeaderValue::from_static("20150830T123600Z"));
        let signed = if let Some(t) = target {
            h.insert("x-amz-target", HeaderValue::from_str(t).unwrap());
            "content-type;host;x-amz-date;x-amz-target"
        } else {
            "content-type;host;x-amz-date"
        };
        let auth = format!(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/{service}/aws4_request, SignedHeaders={signed}, Signature={sig}"
        );
        h.insert("authorization", HeaderValue::from_str(&auth).unwrap());
        h
    }

    /// A POST of `body` to `path` with `headers`.
    fn post<'a>(path: &'a str, headers: &'a HeaderMap, body: &'a str) -> SignedRequest<'a> {
        SignedRequest {
            method: &Method::POST,
            path,
            query: None,
            headers,
            body: body.as_bytes(),
        }
    }

    #[test]
    fn golden_vectors_verify() {
        for (service, host, path, ct, target, body, sig) in VECTORS {
            let h = headers(service, host, ct, *target, sig);
            let req = post(path, &h, body);
            assert_eq!(
                verify(&req, service, "AKIDEXAMPLE", SECRET),
                Ok(()),
                "{service}"
            );
            // Wrong secret, wrong service, unknown key, tampered body.
            assert_eq!(
                verify(&req, service, "AKIDEXAMPLE", "nope")
                    .unwrap_err()
                    .code,
                "InvalidSignatureException"
            );
            assert_eq!(
                verify(&req, "other", "AKIDEXAMPLE", SECRET)
                    .unwrap_err()
                    .code,
                "InvalidSignatureException"
            );
            assert_eq!(
                verify(&req, service, "AKIDOTHER", SECRET).unwrap_err().code,
                "UnrecognizedClientException"
            );
            let tampered = SignedRequest { body: b"{}", ..req };
            assert_eq!(
                verify(&tampered, service, "AKIDEXAMPLE", SECRET)
                    .unwrap_err()
                    .code,
                "InvalidSignatureException"
            );
        }
    }

    #[test]
    fn canonical_request_matches_vector() {
        let (service, host, path, ct, target, body, sig) = VECTORS[0];
        let h = headers(service, host, ct, target, sig);
        let req = post(path, &h, body);
        let signed: Vec<String> = ["content-type", "host", "x-amz-date", "x-amz-target"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let c = canonical_request(&req, &signed, &hex::encode(Sha256::digest(body.as_bytes())));
        assert_eq!(
            c,
            "POST\n/\n\ncontent-type:application/x-amz-json-1.1\nhost:ssm.us-east-1.amazonaws.com\nx-amz-date:20150830T123600Z\nx-amz-target:AmazonSSM.DescribeMaintenanceWindowExecutionTasks\n\ncontent-type;host;x-amz-date;x-amz-target\ned2954b978e4a0ab3da3ed36b702b19703f386cda709f9ac567598401a45e8fd"
        );
        assert_eq!(
            string_to_sign(
                "20150830T123600Z",
                "20150830/us-east-1/ssm/aws4_request",
                &c
            ),
            "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/ssm/aws4_request\n49803911f3733302acf3e89b39cfb19f00f8fcc1459141409d1f547d6bc039ee"
        );
    }

    #[test]
    fn clock_skew_beyond_15_minutes_is_refused() {
        let (service, host, path, ct, target, body, sig) = VECTORS[0];
        let h = headers(service, host, ct, target, sig);
        let req = post(path, &h, body);
        let at = |now| verify_at(&req, service, "AKIDEXAMPLE", SECRET, now);
        // 15 minutes either way is still accepted; one second more is not.
        assert_eq!(at(VECTOR_TIME + MAX_CLOCK_SKEW), Ok(()));
        assert_eq!(at(VECTOR_TIME - MAX_CLOCK_SKEW), Ok(()));
        let late = at(VECTOR_TIME + MAX_CLOCK_SKEW + time::Duration::SECOND).unwrap_err();
        assert_eq!(late.code, "InvalidSignatureException");
        assert_eq!(
            late.message,
            "Signature expired: 20150830T123600Z is now earlier than 20150830T123601Z (20150830T125101Z - 15 min.)"
        );
        let early = at(VECTOR_TIME - MAX_CLOCK_SKEW - time::Duration::SECOND).unwrap_err();
        assert_eq!(early.code, "InvalidSignatureException");
        assert!(
            early.message.starts_with(
                "Signature not yet current: 20150830T123600Z is still later than 20150830T123559Z"
            ),
            "{}",
            early.message
        );
        // A date that is not ISO 8601 basic is refused before the signature is computed.
        let mut bad = h.clone();
        bad.insert("x-amz-date", HeaderValue::from_static("20150830T12:36:00Z"));
        let req = SignedRequest {
            headers: &bad,
            ..req
        };
        assert_eq!(
            verify_at(&req, service, "AKIDEXAMPLE", SECRET, VECTOR_TIME)
                .unwrap_err()
                .code,
            "IncompleteSignatureException"
        );
    }

    #[test]
    fn missing_and_malformed() {
        let h = HeaderMap::new();
        let req = SignedRequest {
            method: &Method::POST,
            path: "/",
            query: None,
            headers: &h,
            body: b"",
        };
        assert_eq!(
            verify(&req, "ssm", "a", "b").unwrap_err().code,
            "MissingAuthenticationTokenException"
        );
        assert_eq!(
            parse_authorization("Bearer x").unwrap_err().code,
            "IncompleteSignatureException"
        );
        assert_eq!(
            parse_authorization("AWS4-HMAC-SHA256 Credential=a/b")
                .unwrap_err()
                .code,
            "IncompleteSignatureException"
        );
    }

    #[test]
    fn query_and_helpers() {
        assert_eq!(canonical_query("b=2&a=1&c=x%20y"), "a=1&b=2&c=x%20y");
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
        assert!(!constant_time_eq(b"", b"a"));
        assert_eq!(percent_decode("a%3Ab%"), "a:b%");
    }
}
