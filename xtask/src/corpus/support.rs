//! Support library of the corpus harnesses (`cargo xtask corpus`).
//!
//! This file is not compiled as part of xtask: the corpus command writes it, unchanged, as
//! `src/lib.rs` of the `corpus-support` crate in its scratch workspace. Every per-model
//! harness binary links it. It holds what does not depend on one model: the JSON-lines loop,
//! the fixed client configuration, request and response plumbing, and the conversions of
//! scalar values between botocore-style JSON and the runtime's types.

use std::future::Future;
use std::io::{BufRead, Write};

use cloudjobs_runtime::{Handle, HttpResponse, Operation, ServiceMeta};
use serde_json::{Map, Value};

pub use serde_json;

/// One line of input: an operation and either request parameters or a response to decode.
pub enum Call {
    /// Parameters keyed by member name (botocore style).
    Request(Value),
    /// A response to decode.
    Response(HttpResponse),
}

/// The fixed configuration every harness sends with: endpoint `https://example.com`,
/// region `us-east-1`, static test credentials, and a bearer token, a user name and password
/// and an API key for the OpenAPI security schemes.
pub fn handle(service: &'static ServiceMeta) -> Handle {
    cloudjobs_runtime::install_crypto_provider();
    let config = cloudjobs_runtime::Config::builder()
        .region("us-east-1")
        .endpoint_url("https://example.com")
        .credentials(cloudjobs_runtime::Credentials::new(
            "AKIDCORPUSEXAMPLE",
            "corpus/secret/key",
            None,
            None,
            "corpus",
        ))
        .bearer_token("corpus-bearer-token")
        .basic_auth("corpus-user", "corpus-password")
        .api_key("corpus-api-key")
        .build();
    Handle::new(service, config)
}

/// Reads JSON lines from stdin and answers each with one JSON line on stdout: the request
/// (`{"request": ...}`), the decoded output (`{"output": ...}`) or `{"error": "..."}`.
pub fn run<F, Fut>(service: &'static ServiceMeta, dispatch: F)
where
    F: Fn(Handle, String, Call) -> Fut,
    Fut: Future<Output = Result<Value, String>>,
{
    let rt = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("harness: no tokio runtime: {e}");
            std::process::exit(2);
        }
    };
    let handle = handle(service);
    let stdin = std::io::stdin();
    let mut stdout = std::io::stdout();
    for line in stdin.lock().lines() {
        let Ok(line) = line else { break };
        if line.trim().is_empty() {
            continue;
        }
        let answer = match serde_json::from_str::<Value>(&line) {
            Err(e) => Err(format!("harness: input line is not JSON: {e}")),
            Ok(v) => match parse_call(v) {
                Err(e) => Err(e),
                Ok((op, call)) => {
                    let is_request = matches!(call, Call::Request(_));
                    rt.block_on(dispatch(handle.clone(), op, call)).map(|out| {
                        let key = if is_request { "request" } else { "output" };
                        let mut m = Map::new();
                        m.insert(key.into(), out);
                        Value::Object(m)
                    })
                }
            },
        };
        let answer = answer.unwrap_or_else(|e| {
            let mut m = Map::new();
            m.insert("error".into(), Value::String(e));
            Value::Object(m)
        });
        if writeln!(stdout, "{answer}")
            .and_then(|()| stdout.flush())
            .is_err()
        {
            break;
        }
    }
}

fn parse_call(mut v: Value) -> Result<(String, Call), String> {
    let op = v
        .get("op")
        .and_then(Value::as_str)
        .ok_or("harness: line without \"op\"")?
        .to_string();
    if let Some(request) = v.get_mut("request") {
        return Ok((op, Call::Request(request.take())));
    }
    let r = v
        .get("response")
        .ok_or("harness: line with neither \"request\" nor \"response\"")?;
    let status = r
        .get("status")
        .and_then(Value::as_u64)
        .and_then(|s| u16::try_from(s).ok())
        .ok_or("harness: response without a numeric status")?;
    let mut headers = http::HeaderMap::new();
    if let Some(h) = r.get("headers").and_then(Value::as_object) {
        for (k, v) in h {
            let v = v.as_str().ok_or("harness: header values must be strings")?;
            let name = http::HeaderName::from_bytes(k.as_bytes())
                .map_err(|e| format!("harness: header name {k:?}: {e}"))?;
            let value = http::HeaderValue::from_str(v)
                .map_err(|e| format!("harness: header value {v:?}: {e}"))?;
            headers.append(name, value);
        }
    }
    let body = match r.get("body_base64").and_then(Value::as_str) {
        Some(b) => b64_decode(b)?,
        None => r
            .get("body")
            .and_then(Value::as_str)
            .unwrap_or("")
            .as_bytes()
            .to_vec(),
    };
    Ok((
        op,
        Call::Response(HttpResponse {
            status,
            headers,
            body: bytes::Bytes::from(body),
        }),
    ))
}

/// Builds the request of `O` as the client would send it first and describes it as JSON:
/// method, uri, path, query (decoded pairs in order), headers (lowercased names, in order),
/// body (`{"json": ...}` when it parses as JSON, else `{"base64": ...}`, or null when empty).
pub async fn request<O: Operation>(handle: &Handle, input: O::Input) -> Result<Value, String> {
    let req = handle
        .prepare::<O>(&input)
        .await
        .map_err(|e| format!("the client refused or failed to build the request: {e}"))?;
    let uri = req.uri();
    let mut query = Vec::new();
    if let Some(q) = uri.query() {
        for pair in q.split('&').filter(|p| !p.is_empty()) {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            query.push(Value::Array(vec![
                Value::String(percent_decode(k)?),
                Value::String(percent_decode(v)?),
            ]));
        }
    }
    let mut headers = Vec::new();
    for (k, v) in req.headers() {
        let v = String::from_utf8_lossy(v.as_bytes()).into_owned();
        headers.push(Value::Array(vec![
            Value::String(k.as_str().to_ascii_lowercase()),
            Value::String(v),
        ]));
    }
    let body = req.body();
    let body = if body.is_empty() {
        Value::Null
    } else {
        let mut m = Map::new();
        match serde_json::from_slice::<Value>(body) {
            Ok(v) => m.insert("json".into(), v),
            Err(_) => m.insert("base64".into(), Value::String(b64_encode(body))),
        };
        Value::Object(m)
    };
    let mut out = Map::new();
    out.insert("method".into(), Value::String(req.method().to_string()));
    out.insert("uri".into(), Value::String(uri.to_string()));
    out.insert("path".into(), Value::String(uri.path().to_string()));
    out.insert("query".into(), Value::Array(query));
    out.insert("headers".into(), Value::Array(headers));
    out.insert("body".into(), body);
    out.insert(
        "body_base64".into(),
        Value::String(b64_encode(req.body())),
    );
    Ok(Value::Object(out))
}

/// Decodes a successful response of `O` as the client would.
pub fn response<O: Operation>(response: &HttpResponse) -> Result<O::Output, String> {
    O::deserialize_output(response)
        .map_err(|e| format!("the client could not decode the response: {e}"))
}

/// Decodes a response of `O` as the client does: a success status (`Operation::is_success`:
/// 2xx, the operation's `success_status`, or the statuses of its outputs) through
/// `deserialize_output`, written by `output`; any other status
/// through the service's error rules and `deserialize_error`, written by `error`. The answer
/// is `{"output": ...}` or `{"error": ...}`; a body the client cannot decode is an `Err`.
pub fn decode<O: Operation>(
    response: &HttpResponse,
    output: impl Fn(&O::Output) -> Value,
    error: impl Fn(&O::Error) -> Value,
) -> Result<Value, String> {
    let mut out = Map::new();
    if O::is_success(response.status) {
        let o = O::deserialize_output(response)
            .map_err(|e| format!("the client could not decode the response: {e}"))?;
        out.insert("output".into(), output(&o));
    } else {
        let meta = cloudjobs_runtime::ErrorMetadata::from_response(&O::SERVICE.errors, response);
        out.insert("error".into(), error(&O::deserialize_error(meta, response)));
    }
    Ok(Value::Object(out))
}

/// A value of any generated type from its JSON wire form (the type's own serde
/// implementation, which the generated code decodes responses with).
pub fn from_json<T: serde::de::DeserializeOwned>(v: &Value) -> Result<T, String> {
    serde_json::from_value(v.clone()).map_err(|e| e.to_string())
}

/// A value of any generated type in its JSON wire form.
pub fn to_json<T: serde::Serialize + ?Sized>(x: &T) -> Value {
    serde_json::to_value(x).unwrap_or_else(|e| {
        let mut m = Map::new();
        m.insert(
            "harness-error".into(),
            Value::String(format!("cannot serialize: {e}")),
        );
        Value::Object(m)
    })
}

fn percent_decode(s: &str) -> Result<String, String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("zz");
                let b = u8::from_str_radix(hex, 16)
                    .map_err(|_| format!("bad percent escape in {s:?}"))?;
                out.push(b);
                i += 3;
            }
            b'%' => return Err(format!("truncated percent escape in {s:?}")),
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).map_err(|_| format!("query part {s:?} is not UTF-8"))
}

/// Standard base64 with padding (the runtime's, which generated code uses too).
pub fn b64_encode(data: &[u8]) -> String {
    cloudjobs_runtime::wire::base64_encode(data)
}

/// Standard base64, padding optional.
pub fn b64_decode(text: &str) -> Result<Vec<u8>, String> {
    cloudjobs_runtime::wire::base64_decode(text).map_err(|e| format!("{e}: {text:?}"))
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn expected(what: &str, v: &Value) -> String {
    format!("expected {what}, found {}", kind(v))
}

/// Prefixes an error with the member or index it happened at.
pub fn at(place: &str, e: String) -> String {
    if e.starts_with('[') || e.starts_with('.') {
        format!("{place}{e}")
    } else {
        format!("{place}: {e}")
    }
}

pub fn object(v: &Value) -> Result<&Map<String, Value>, String> {
    v.as_object().ok_or_else(|| expected("an object", v))
}

pub fn string(v: &Value) -> Result<String, String> {
    v.as_str()
        .map(str::to_owned)
        .ok_or_else(|| expected("a string", v))
}

pub fn boolean(v: &Value) -> Result<bool, String> {
    v.as_bool().ok_or_else(|| expected("a boolean", v))
}

pub fn int<T: TryFrom<i64>>(v: &Value) -> Result<T, String> {
    let n = v.as_i64().ok_or_else(|| expected("an integer", v))?;
    T::try_from(n).map_err(|_| format!("{n} is out of range"))
}

pub fn f64_(v: &Value) -> Result<f64, String> {
    v.as_f64().ok_or_else(|| expected("a number", v))
}

pub fn f32_(v: &Value) -> Result<f32, String> {
    Ok(f64_(v)? as f32)
}

/// A big number as its exact text (a JSON number or a string holding one).
pub fn number_text(v: &Value) -> Result<String, String> {
    match v {
        Value::Number(n) => Ok(n.to_string()),
        Value::String(s) => Ok(s.clone()),
        other => Err(expected("a number", other)),
    }
}

/// A timestamp given as epoch seconds.
pub fn timestamp(v: &Value) -> Result<cloudjobs_runtime::DateTime, String> {
    Ok(cloudjobs_runtime::DateTime::from_secs_f64(f64_(v)?))
}

/// A blob given as base64 text.
pub fn blob_bytes(v: &Value) -> Result<Vec<u8>, String> {
    b64_decode(v.as_str().ok_or_else(|| expected("base64 text", v))?)
}

pub fn list<T>(v: &Value, item: impl Fn(&Value) -> Result<T, String>) -> Result<Vec<T>, String> {
    let items = v.as_array().ok_or_else(|| expected("an array", v))?;
    items
        .iter()
        .enumerate()
        .map(|(i, x)| item(x).map_err(|e| at(&format!("[{i}]"), e)))
        .collect()
}

pub fn map<T>(
    v: &Value,
    item: impl Fn(&Value) -> Result<T, String>,
) -> Result<std::collections::BTreeMap<String, T>, String> {
    object(v)?
        .iter()
        .map(|(k, x)| Ok((k.clone(), item(x).map_err(|e| at(&format!("[{k:?}]"), e))?)))
        .collect()
}

/// A `null` item of a sparse list or map.
pub fn sparse<T>(
    v: &Value,
    item: impl Fn(&Value) -> Result<T, String>,
) -> Result<Option<T>, String> {
    if v.is_null() {
        Ok(None)
    } else {
        item(v).map(Some)
    }
}

pub fn dump_timestamp(t: &cloudjobs_runtime::DateTime) -> Value {
    Value::from(t.as_secs_f64())
}

pub fn dump_f64(x: f64) -> Value {
    serde_json::Number::from_f64(x)
        .map(Value::Number)
        .unwrap_or_else(|| Value::String(x.to_string()))
}

pub fn dump_list<T>(v: &[T], item: impl Fn(&T) -> Value) -> Value {
    Value::Array(v.iter().map(item).collect())
}

pub fn dump_map<T>(v: &std::collections::BTreeMap<String, T>, item: impl Fn(&T) -> Value) -> Value {
    Value::Object(v.iter().map(|(k, x)| (k.clone(), item(x))).collect())
}

pub fn dump_sparse<T>(v: &Option<T>, item: impl Fn(&T) -> Value) -> Value {
    v.as_ref().map(item).unwrap_or(Value::Null)
}

/// Fails on keys that no member of the structure has (a harness or generator mismatch).
pub fn no_unknown_keys(obj: &Map<String, Value>, known: &[&str]) -> Result<(), String> {
    match obj.keys().find(|k| !known.contains(&k.as_str())) {
        Some(k) => Err(format!("no member named {k:?}")),
        None => Ok(()),
    }
}

/// Applies a dump function to a value (so that the closure's argument type is inferred).
pub fn apply<T: ?Sized>(x: &T, f: impl Fn(&T) -> Value) -> Value {
    f(x)
}

/// Applies a load function to a JSON value (so that the closure's argument type is inferred).
pub fn load_with<T>(v: &Value, f: impl Fn(&Value) -> Result<T, String>) -> Result<T, String> {
    f(v)
}
