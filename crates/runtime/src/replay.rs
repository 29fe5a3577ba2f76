//! Record and replay HTTP exchanges (feature `test-util`).
//!
//! [`RecordingTransport`] wraps a transport and writes every exchange it carries to a JSON
//! file; [`ReplayTransport`] reads such a file and answers matching requests with the
//! recorded responses, with no server. A test records once against a server (the emulator,
//! or the real service), commits the file, and replays it from then on.
//!
//! The file is readable JSON: one object per exchange with the request (method, URI,
//! headers, body) and the response (status, headers, body). Bodies are text when they are
//! UTF-8, else base64 (`body_base64`). Secrets are never written: the values of
//! `Authorization`, `Proxy-Authorization`, `X-Amz-Security-Token`, `Cookie`, `Set-Cookie`
//! and of any header or query parameter whose name says key, token, secret, password,
//! signature or credential are replaced by `<redacted>`, as are the secret query parameters
//! of the operation.
//!
//! A request matches a recorded one when the method, the path, the query (as a set of
//! pairs, in any order) and the body (compared as JSON values when both are JSON, else byte
//! for byte) are the same, and so are the headers selected for matching (`X-Amz-Target` by
//! default, see [`ReplayTransport::match_header`]). Signatures, dates and the host are not
//! compared, so a replay works at any time and with any endpoint URL. Each recorded
//! exchange answers once, in file order: repeated identical requests (the pages of a
//! listing, a poll) get their answers in the recorded order.
//!
//! ```
//! use cloudjobs_runtime::HttpResponse;
//! use cloudjobs_runtime::replay::ReplayTransport;
//! use cloudjobs_runtime::transport::{HttpTransport, SendOptions};
//!
//! let file = std::env::temp_dir().join(format!("cloudjobs-replay-doc-{}.json", std::process::id()));
//! std::fs::write(&file, r#"[{
//!   "request": {"method": "POST", "uri": "https://ssm.eu-west-1.amazonaws.com/",
//!               "headers": [["x-amz-target", "AmazonSSM.Describe"]], "body": "{\"a\": 1, \"b\": 2}"},
//!   "response": {"status": 200, "headers": [["x-amzn-requestid", "r-1"]], "body": "{\"Items\": []}"}
//! }]"#).unwrap();
//! let replay = ReplayTransport::from_file(&file).unwrap();
//! let request = http::Request::post("http://127.0.0.1:4566/")
//!     .header("x-amz-target", "AmazonSSM.Describe")
//!     .body(bytes::Bytes::from_static(br#"{"b":2,"a":1}"#))
//!     .unwrap();
//! # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
//! let response = replay.send(request, &SendOptions::new(1 << 20)).await.unwrap();
//! assert_eq!(response.status, 200);
//! assert_eq!(&response.body[..], br#"{"Items": []}"#);
//! # });
//! replay.assert_all_used();
//! # std::fs::remove_file(&file).unwrap();
//! ```

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use base64::Engine;
use bytes::Bytes;
use serde::{Deserialize, Serialize};

use crate::transport::{HttpTransport, SendFuture, SendOptions, TransportError};
use crate::wire::HttpResponse;

/// What replaces a secret value in a recording.
pub const REDACTED: &str = "<redacted>";

/// Headers whose values are always secret.
const SECRET_HEADERS: &[&str] = &[
    "authorization",
    "proxy-authorization",
    "x-amz-security-token",
    "cookie",
    "set-cookie",
];

/// Words that make a header or query parameter name secret.
const SECRET_WORDS: &[&str] = &[
    "key",
    "token",
    "secret",
    "password",
    "signature",
    "credential",
];

fn is_secret_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    SECRET_HEADERS.contains(&lower.as_str()) || SECRET_WORDS.iter().any(|w| lower.contains(w))
}

/// One recorded request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordedRequest {
    /// The method.
    pub method: String,
    /// The whole URI (secret query values redacted).
    pub uri: String,
    /// The headers, in order (secret values redacted).
    #[serde(default)]
    pub headers: Vec<(String, String)>,
    /// The body.
    #[serde(flatten)]
    pub body: RecordedBody,
}

/// One recorded response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordedResponse {
    /// The status code.
    pub status: u16,
    /// The headers, in order (secret values redacted).
    #[serde(default)]
    pub headers: Vec<(String, String)>,
    /// The body.
    #[serde(flatten)]
    pub body: RecordedBody,
}

/// A recorded body: `body` as text when it is UTF-8, else `body_base64`; neither when empty
/// in a hand-written file.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct RecordedBody {
    /// The body as text, when it is UTF-8.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// The body in base64, when it is not UTF-8.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body_base64: Option<String>,
}

impl RecordedBody {
    /// `bytes` as text when they are UTF-8, else in base64.
    pub fn of(bytes: &[u8]) -> Self {
        match std::str::from_utf8(bytes) {
            Ok(text) => RecordedBody {
                body: Some(text.to_owned()),
                body_base64: None,
            },
            Err(_) => RecordedBody {
                body: None,
                body_base64: Some(base64::engine::general_purpose::STANDARD.encode(bytes)),
            },
        }
    }

    /// The bytes (text first, else decoded base64, else empty).
    pub fn bytes(&self) -> Result<Bytes, String> {
        match (&self.body, &self.body_base64) {
            (Some(t), _) => Ok(Bytes::from(t.clone())),
            (None, Some(b)) => base64::engine::general_purpose::STANDARD
                .decode(b)
                .map(Bytes::from)
                .map_err(|e| format!("`body_base64` is not base64: {e}")),
            (None, None) => Ok(Bytes::new()),
        }
    }
}

/// One request and its response, as a recording file holds it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Exchange {
    /// The request.
    pub request: RecordedRequest,
    /// The response.
    pub response: RecordedResponse,
}

fn header_pairs(headers: &http::HeaderMap) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(name, value)| {
            let value = if is_secret_name(name.as_str()) {
                REDACTED.to_owned()
            } else {
                String::from_utf8_lossy(value.as_bytes()).into_owned()
            };
            (name.as_str().to_owned(), value)
        })
        .collect()
}

/// The query pairs of `query` (percent-decoded).
fn query_pairs(query: Option<&str>) -> Vec<(String, String)> {
    query
        .map(|q| serde_urlencoded::from_str::<Vec<(String, String)>>(q).unwrap_or_default())
        .unwrap_or_default()
}

/// `uri` with the values of secret query parameters replaced.
fn redacted_uri(uri: &http::Uri, options: &SendOptions) -> String {
    crate::auth::redact_query(
        uri,
        |name| is_secret_name(name) || options.secret_query_params.contains(&name),
        REDACTED,
    )
}

impl Exchange {
    /// The exchange of `request` and `response`, secrets redacted.
    pub fn new(
        request: &http::Request<Bytes>,
        response: &HttpResponse,
        options: &SendOptions,
    ) -> Self {
        Exchange {
            request: RecordedRequest {
                method: request.method().as_str().to_owned(),
                uri: redacted_uri(request.uri(), options),
                headers: header_pairs(request.headers()),
                body: RecordedBody::of(request.body()),
            },
            response: RecordedResponse {
                status: response.status,
                headers: header_pairs(&response.headers),
                body: RecordedBody::of(&response.body),
            },
        }
    }

    fn response(&self) -> Result<HttpResponse, String> {
        let mut headers = http::HeaderMap::new();
        for (name, value) in &self.response.headers {
            let name = http::HeaderName::try_from(name.as_str())
                .map_err(|e| format!("response header name `{name}`: {e}"))?;
            let value = http::HeaderValue::try_from(value.as_str())
                .map_err(|e| format!("value of response header `{name}`: {e}"))?;
            headers.append(name, value);
        }
        Ok(HttpResponse {
            status: self.response.status,
            headers,
            body: self.response.body.bytes()?,
        })
    }
}

/// An error reading or writing a recording file; it names the file.
#[derive(Debug)]
pub struct ReplayFileError {
    path: PathBuf,
    message: String,
}

impl fmt::Display for ReplayFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "recording `{}`: {}", self.path.display(), self.message)
    }
}

impl std::error::Error for ReplayFileError {}

/// Wraps a transport and writes every exchange it carries to a JSON file (rewritten whole
/// after each exchange, so the file is complete whenever a test stops). Cheap to clone:
/// clones write to the same file. Transport errors are passed on and not recorded.
#[derive(Clone)]
pub struct RecordingTransport {
    inner: Arc<dyn HttpTransport>,
    path: Arc<PathBuf>,
    exchanges: Arc<Mutex<Vec<Exchange>>>,
}

impl fmt::Debug for RecordingTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RecordingTransport")
            .field("inner", &self.inner)
            .field("path", &self.path)
            .finish()
    }
}

impl RecordingTransport {
    /// Records what `inner` carries to `path` (created or replaced at the first exchange).
    pub fn new(inner: impl HttpTransport, path: impl Into<PathBuf>) -> Self {
        RecordingTransport {
            inner: Arc::new(inner),
            path: Arc::new(path.into()),
            exchanges: Arc::default(),
        }
    }

    /// Records through the default transport (reqwest, built as the runtime builds it).
    pub fn with_reqwest(path: impl Into<PathBuf>) -> Result<Self, ReplayFileError> {
        let path = path.into();
        let client = crate::http_client_builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| ReplayFileError {
                path: path.clone(),
                message: format!("the HTTP client could not be built: {e}"),
            })?;
        Ok(Self::new(
            crate::transport::ReqwestTransport::new(client),
            path,
        ))
    }

    /// The exchanges recorded so far.
    pub fn exchanges(&self) -> Vec<Exchange> {
        self.exchanges
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    fn write(&self, exchanges: &[Exchange]) -> Result<(), ReplayFileError> {
        let fail = |message: String| ReplayFileError {
            path: self.path.to_path_buf(),
            message,
        };
        let mut text = serde_json::to_string_pretty(exchanges)
            .map_err(|e| fail(format!("could not be encoded: {e}")))?;
        text.push('\n');
        std::fs::write(&*self.path, text).map_err(|e| fail(format!("could not be written: {e}")))
    }
}

impl HttpTransport for RecordingTransport {
    fn send(&self, request: http::Request<Bytes>, options: &SendOptions) -> SendFuture<'_> {
        let options = options.clone();
        Box::pin(async move {
            let response = self.inner.send(request.clone(), &options).await?;
            let exchange = Exchange::new(&request, &response, &options);
            let mut exchanges = self.exchanges.lock().unwrap_or_else(|e| e.into_inner());
            exchanges.push(exchange);
            self.write(&exchanges)
                .map_err(|e| TransportError::Io(Box::new(e)))?;
            Ok(response)
        })
    }
}

/// Answers requests with the responses of a recording file, with no server. Cheap to clone:
/// clones share which exchanges were used, so a test keeps one to call
/// [`assert_all_used`](Self::assert_all_used) after giving the other to the config.
#[derive(Clone)]
pub struct ReplayTransport {
    path: Arc<PathBuf>,
    exchanges: Arc<Vec<Exchange>>,
    used: Arc<Mutex<Vec<bool>>>,
    match_headers: Arc<Vec<String>>,
}

impl fmt::Debug for ReplayTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReplayTransport")
            .field("path", &self.path)
            .field("exchanges", &self.exchanges.len())
            .field("match_headers", &self.match_headers)
            .finish()
    }
}

impl ReplayTransport {
    /// Reads the recording at `path` (as [`RecordingTransport`] writes it: a JSON array of
    /// [`Exchange`]s).
    pub fn from_file(path: impl AsRef<Path>) -> Result<Self, ReplayFileError> {
        let path = path.as_ref().to_path_buf();
        let fail = |message: String| ReplayFileError {
            path: path.clone(),
            message,
        };
        let text =
            std::fs::read_to_string(&path).map_err(|e| fail(format!("could not be read: {e}")))?;
        let exchanges: Vec<Exchange> = serde_json::from_str(&text)
            .map_err(|e| fail(format!("is not a list of exchanges: {e}")))?;
        for (i, exchange) in exchanges.iter().enumerate() {
            exchange
                .response()
                .map_err(|e| fail(format!("exchange {i}: {e}")))?;
            exchange
                .request
                .body
                .bytes()
                .map_err(|e| fail(format!("exchange {i}: request: {e}")))?;
        }
        Ok(Self::from_exchanges(path, exchanges))
    }

    /// Replays these exchanges; `name` names them in errors (a file name, a test name).
    pub fn from_exchanges(name: impl Into<PathBuf>, exchanges: Vec<Exchange>) -> Self {
        let used = vec![false; exchanges.len()];
        ReplayTransport {
            path: Arc::new(name.into()),
            exchanges: Arc::new(exchanges),
            used: Arc::new(Mutex::new(used)),
            match_headers: Arc::new(vec!["x-amz-target".to_owned()]),
        }
    }

    /// Also compares header `name` (any case) when matching requests (a header absent on
    /// both sides matches).
    pub fn match_header(mut self, name: &str) -> Self {
        Arc::make_mut(&mut self.match_headers).push(name.to_ascii_lowercase());
        self
    }

    /// How many recorded exchanges have not answered a request yet.
    pub fn unused(&self) -> usize {
        self.used
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .filter(|u| !**u)
            .count()
    }

    /// Panics, listing them, if some recorded exchanges answered no request: the code under
    /// test made fewer calls than were recorded.
    #[track_caller]
    pub fn assert_all_used(&self) {
        let used = self.used.lock().unwrap_or_else(|e| e.into_inner()).clone();
        let left: Vec<String> = used
            .iter()
            .enumerate()
            .filter(|(_, u)| !**u)
            .map(|(i, _)| {
                let r = &self.exchanges[i].request;
                format!("  #{i}: {} {}", r.method, r.uri)
            })
            .collect();
        assert!(
            left.is_empty(),
            "recording `{}`: {} of {} exchanges were not replayed:\n{}",
            self.path.display(),
            left.len(),
            self.exchanges.len(),
            left.join("\n")
        );
    }

    /// What differs between `request` and a recorded one (nothing: they match).
    fn differences(&self, request: &Probe, recorded: &RecordedRequest) -> Vec<String> {
        let mut diffs = Vec::new();
        if request.method != recorded.method {
            diffs.push(format!("method {} ≠ {}", request.method, recorded.method));
        }
        let uri: http::Uri = recorded.uri.parse().unwrap_or_default();
        if request.path != uri.path() {
            diffs.push(format!("path {} ≠ {}", request.path, uri.path()));
        }
        let mut query = query_pairs(uri.query());
        query.sort();
        if request.query != query {
            diffs.push(format!("query {:?} ≠ {:?}", request.query, query));
        }
        for name in self.match_headers.iter() {
            let ours = request
                .headers
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.as_str());
            let theirs = recorded
                .headers
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.as_str());
            if ours != theirs {
                diffs.push(format!("header {name} {ours:?} ≠ {theirs:?}"));
            }
        }
        let body = recorded.body.bytes().unwrap_or_default();
        if !same_body(&request.body, &body) {
            diffs.push(format!(
                "body {} ≠ {}",
                String::from_utf8_lossy(&request.body),
                String::from_utf8_lossy(&body)
            ));
        }
        diffs
    }
}

/// Two bodies are the same when equal as JSON values, or byte for byte.
fn same_body(a: &[u8], b: &[u8]) -> bool {
    if a == b {
        return true;
    }
    match (
        serde_json::from_slice::<serde_json::Value>(a),
        serde_json::from_slice::<serde_json::Value>(b),
    ) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

/// The parts of a live request that matching compares.
struct Probe {
    method: String,
    path: String,
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    body: Bytes,
}

impl HttpTransport for ReplayTransport {
    fn send(&self, request: http::Request<Bytes>, options: &SendOptions) -> SendFuture<'_> {
        let shown = format!(
            "{} {}",
            request.method(),
            redacted_uri(request.uri(), options)
        );
        let mut query = query_pairs(request.uri().query());
        query.sort();
        let probe = Probe {
            method: request.method().as_str().to_owned(),
            path: request.uri().path().to_owned(),
            query,
            headers: header_pairs(request.headers()),
            body: request.body().clone(),
        };
        let mut used = self.used.lock().unwrap_or_else(|e| e.into_inner());
        let mut nearest: Option<(usize, Vec<String>)> = None;
        let mut answer = None;
        for (i, exchange) in self.exchanges.iter().enumerate() {
            let diffs = self.differences(&probe, &exchange.request);
            if diffs.is_empty() && !used[i] {
                used[i] = true;
                answer = Some(exchange.response());
                break;
            }
            let closer = match &nearest {
                None => true,
                Some((_, d)) => diffs.len() < d.len(),
            };
            if closer {
                nearest = Some((i, diffs));
            }
        }
        drop(used);
        let result = match answer {
            Some(Ok(response)) => Ok(response),
            Some(Err(e)) => Err(TransportError::request(format!(
                "recording `{}`: {e}",
                self.path.display()
            ))),
            None => {
                let near = match nearest {
                    None => "the recording is empty".to_owned(),
                    Some((i, diffs)) if diffs.is_empty() => {
                        format!("exchange #{i} matches but was replayed already")
                    }
                    Some((i, diffs)) => format!(
                        "nearest is exchange #{i} ({} {}): {}",
                        self.exchanges[i].request.method,
                        self.exchanges[i].request.uri,
                        diffs.join("; ")
                    ),
                };
                Err(TransportError::request(format!(
                    "recording `{}` has no unused exchange for {shown} (body {}); {near}",
                    self.path.display(),
                    String::from_utf8_lossy(&probe.body),
                )))
            }
        };
        Box::pin(async move { result })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(target: &str, body: &'static str) -> http::Request<Bytes> {
        http::Request::post("https://ssm.eu-west-1.amazonaws.com/?b=2&a=1")
            .header(
                "authorization",
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/..., Signature=abc",
            )
            .header("x-amz-security-token", "session-token-value")
            .header("x-amz-date", "20260101T000000Z")
            .header("x-api-key", "key-value")
            .header("x-amz-target", target)
            .body(Bytes::from_static(body.as_bytes()))
            .unwrap()
    }

    fn response(body: &'static str) -> HttpResponse {
        let mut headers = http::HeaderMap::new();
        headers.insert("x-amzn-requestid", "r-1".parse().unwrap());
        headers.insert("set-cookie", "session=abc".parse().unwrap());
        HttpResponse {
            status: 200,
            headers,
            body: Bytes::from_static(body.as_bytes()),
        }
    }

    #[test]
    fn recording_redacts_secrets() {
        let options = SendOptions::new(1024).with_secret_query_param("b");
        let exchange = Exchange::new(&request("T.Op", "{}"), &response("{}"), &options);
        let text = serde_json::to_string(&exchange).unwrap();
        for secret in [
            "AKIDEXAMPLE",
            "Signature=abc",
            "session-token-value",
            "key-value",
            "session=abc",
            "b=2",
        ] {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
        assert!(text.contains("a=1"), "{text}");
        assert!(text.contains("20260101T000000Z"), "{text}");
        assert!(text.contains("r-1"), "{text}");
    }

    #[test]
    fn non_utf8_bodies_go_in_base64() {
        let options = SendOptions::new(1024);
        let mut resp = response("");
        resp.body = Bytes::from_static(&[0xff, 0x00, 0x10]);
        let exchange = Exchange::new(&request("T.Op", "{}"), &resp, &options);
        assert_eq!(exchange.response.body.body, None);
        assert_eq!(exchange.response.body.body_base64.as_deref(), Some("/wAQ"));
        assert_eq!(&exchange.response().unwrap().body[..], &[0xff, 0x00, 0x10]);
    }

    fn exchanges() -> Vec<Exchange> {
        let options = SendOptions::new(1024);
        vec![
            Exchange::new(&request("T.Op", r#"{"a":1}"#), &response("1"), &options),
            Exchange::new(&request("T.Op", r#"{"a":1}"#), &response("2"), &options),
            Exchange::new(&request("T.Other", r#"{"a":1}"#), &response("3"), &options),
        ]
    }

    fn replay(t: &ReplayTransport, target: &str, body: &'static str) -> Result<String, String> {
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let mut req = request(target, body);
        // Another host, query order, signature and date: none of them are compared.
        *req.uri_mut() = "http://127.0.0.1:9/?a=1&b=2".parse().unwrap();
        req.headers_mut()
            .insert("x-amz-date", "20300101T000000Z".parse().unwrap());
        rt.block_on(t.send(req, &SendOptions::new(1024)))
            .map(|r| String::from_utf8(r.body.to_vec()).unwrap())
            .map_err(|e| e.to_string())
    }

    #[test]
    fn replay_matches_in_order_and_reports_the_nearest() {
        let t = ReplayTransport::from_exchanges("test.json", exchanges());
        assert_eq!(replay(&t, "T.Other", r#"{ "a" : 1 }"#).unwrap(), "3");
        assert_eq!(replay(&t, "T.Op", r#"{"a":1}"#).unwrap(), "1");
        assert_eq!(t.unused(), 1);
        assert_eq!(replay(&t, "T.Op", r#"{"a":1}"#).unwrap(), "2");
        let e = replay(&t, "T.Op", r#"{"a":1}"#).unwrap_err();
        assert!(
            e.contains("test.json") && e.contains("replayed already"),
            "{e}"
        );
        let e = replay(&t, "T.Op", r#"{"a":2}"#).unwrap_err();
        assert!(
            e.contains("nearest is exchange #0") && e.contains("body"),
            "{e}"
        );
        t.assert_all_used();
    }

    #[test]
    #[should_panic(expected = "1 of 3 exchanges were not replayed")]
    fn unused_exchanges_fail_the_assertion() {
        let t = ReplayTransport::from_exchanges("test.json", exchanges());
        replay(&t, "T.Op", r#"{"a":1}"#).unwrap();
        replay(&t, "T.Op", r#"{"a":1}"#).unwrap();
        t.assert_all_used();
    }

    #[test]
    fn bad_files_are_named() {
        let e = ReplayTransport::from_file("/nonexistent/replay.json").unwrap_err();
        assert!(e.to_string().contains("/nonexistent/replay.json"), "{e}");
    }
}
