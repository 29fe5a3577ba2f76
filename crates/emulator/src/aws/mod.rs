//! The three AWS operations: routing, SigV4, error shapes, input helpers, paging tokens.

pub(crate) mod macie2;
pub(crate) mod partner_central;
pub(crate) mod ssm;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Response, StatusCode};
use serde_json::{Map, Value, json};
use std::sync::Arc;

use crate::faults::Fault;
use crate::http::{BodyError, drop_connection, fault_prelude, read_body};
use crate::model::{Fixture, Service};
use crate::sigv4::{SignedRequest, verify};
use crate::state::Shared;

/// `X-Amz-Target` of Partner Central's operation.
pub const PCS_TARGET: &str = "AWSPartnerCentralSelling.ListResourceSnapshotJobs";
/// `X-Amz-Target` of SSM's operation.
pub const SSM_TARGET: &str = "AmazonSSM.DescribeMaintenanceWindowExecutionTasks";

/// The wire protocol of an AWS service, which decides the error shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Protocol {
    /// awsJson 1.0 (Partner Central).
    Json10,
    /// awsJson 1.1 (SSM).
    Json11,
    /// restJson1 (Macie2).
    RestJson,
}

impl Protocol {
    fn content_type(self) -> &'static str {
        match self {
            Protocol::Json10 => "application/x-amz-json-1.0",
            Protocol::Json11 => "application/x-amz-json-1.1",
            Protocol::RestJson => "application/json",
        }
    }
}

/// An AWS error to send: status, error type, message and extra body members.
#[derive(Debug, Clone)]
pub(crate) struct AwsError {
    pub status: u16,
    pub code: String,
    pub message: String,
    pub extra: Map<String, Value>,
}

impl AwsError {
    pub(crate) fn new(status: u16, code: &str, message: impl Into<String>) -> AwsError {
        AwsError {
            status,
            code: code.into(),
            message: message.into(),
            extra: Map::new(),
        }
    }
}

/// Renders an error in the protocol's shape.
///
/// awsJson: body `{"__type": code, "Message": ..., extra...}` and header `X-Amzn-Errortype`.
/// restJson1 (Macie2): header `x-amzn-ErrorType: <code>:http://internal.amazon.com/coral/...`
/// and body `{"message": ...}`.
pub(crate) fn error_response(
    protocol: Protocol,
    request_id: &str,
    err: AwsError,
) -> Response<Body> {
    let (body, header) = match protocol {
        Protocol::Json10 | Protocol::Json11 => {
            let mut body = Map::new();
            body.insert("__type".into(), Value::from(err.code.clone()));
            body.insert("Message".into(), Value::from(err.message.clone()));
            body.extend(err.extra);
            (Value::Object(body), err.code.clone())
        }
        Protocol::RestJson => {
            let ns = if err.code == "ValidationException" {
                "com.amazon.coral.validate"
            } else if err.code.ends_with("ClientException")
                || err.code.contains("Signature")
                || err.code.contains("Authentication")
            {
                "com.amazon.coral.service"
            } else {
                "com.amazonaws.macie2"
            };
            let mut body = Map::new();
            body.insert("message".into(), Value::from(err.message.clone()));
            body.extend(err.extra);
            (
                Value::Object(body),
                format!("{}:http://internal.amazon.com/coral/{ns}/", err.code),
            )
        }
    };
    let mut resp = json_response(protocol, request_id, err.status, &body);
    if let Ok(v) = HeaderValue::from_str(&header) {
        resp.headers_mut().insert("x-amzn-errortype", v);
    }
    resp
}

fn json_response(
    protocol: Protocol,
    request_id: &str,
    status: u16,
    body: &Value,
) -> Response<Body> {
    Response::builder()
        .status(StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR))
        .header("content-type", protocol.content_type())
        .header("x-amzn-requestid", request_id)
        .body(Body::from(body.to_string()))
        .unwrap_or_default()
}

/// An operation's handler: the shared state (for its indexes), the data set, the input.
pub(crate) type Handler = fn(&Shared, &Fixture, &Map<String, Value>) -> Result<Value, AwsError>;

/// Static description of one AWS operation.
pub(crate) struct Operation {
    pub service: Service,
    pub protocol: Protocol,
    pub signing_name: &'static str,
    pub throttle: (u16, &'static str),
    pub server_error: &'static str,
    /// The operation; `Shared` gives the indexes of the data set (`Shared::index`).
    pub handler: Handler,
    /// Error type used for malformed input and oversized bodies.
    pub validation: fn(String) -> AwsError,
    /// Default error type for an injected status.
    pub code_for_status: fn(u16) -> &'static str,
}

/// `POST /`: the two awsJson operations, routed by `X-Amz-Target`.
pub(crate) async fn root(State(shared): State<Arc<Shared>>, req: Request) -> Response<Body> {
    if crate::sts::is_query_request(req.headers()) {
        return crate::sts::handle(&shared, req).await;
    }
    let target = req
        .headers()
        .get("x-amz-target")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .trim()
        .to_string();
    let op = match target.as_str() {
        PCS_TARGET => &partner_central::OPERATION,
        SSM_TARGET => &ssm::OPERATION,
        _ => {
            let request_id = shared.request_id();
            let protocol = if target.starts_with("AmazonSSM.") {
                Protocol::Json11
            } else {
                Protocol::Json10
            };
            let message = if target.is_empty() {
                "Missing X-Amz-Target header: no operation to route to".to_string()
            } else {
                format!("Operation {target} is not supported by this endpoint")
            };
            return error_response(
                protocol,
                &request_id,
                AwsError::new(400, "UnknownOperationException", message),
            );
        }
    };
    serve_operation(&shared, op, req).await
}

/// `POST /jobs/list`: Macie2.
pub(crate) async fn macie_list(State(shared): State<Arc<Shared>>, req: Request) -> Response<Body> {
    serve_operation(&shared, &macie2::OPERATION, req).await
}

async fn serve_operation(shared: &Shared, op: &Operation, req: Request) -> Response<Body> {
    let request_id = shared.request_id();
    let (parts, body) = req.into_parts();
    let body = match read_body(body).await {
        Ok(b) => b,
        Err(BodyError::TooLarge) => {
            let mut e = (op.validation)(format!(
                "Request body exceeds the limit of {} bytes",
                crate::http::BODY_LIMIT
            ));
            e.status = 413;
            return error_response(op.protocol, &request_id, e);
        }
        Err(BodyError::Broken) => {
            return error_response(
                op.protocol,
                &request_id,
                (op.validation)("Request body could not be read".into()),
            );
        }
    };
    let signed = SignedRequest::of(&parts, &body);
    // The configured key pair, or temporary keys from STS / the SSO portal.
    let (access_key, secret_key) = crate::sts::signing_pair(&shared.creds, &parts.headers);
    if let Err(f) = verify(&signed, op.signing_name, &access_key, &secret_key) {
        return error_response(
            op.protocol,
            &request_id,
            AwsError::new(403, f.code, f.message),
        );
    }
    match fault_prelude(shared, op.service).await {
        Fault::None => {}
        Fault::Drop => return drop_connection(&axum::http::Request::from_parts(parts, ())),
        Fault::Throttle => {
            return error_response(
                op.protocol,
                &request_id,
                AwsError::new(op.throttle.0, op.throttle.1, "Rate exceeded"),
            );
        }
        Fault::ServerError => {
            return error_response(
                op.protocol,
                &request_id,
                AwsError::new(
                    500,
                    op.server_error,
                    "An internal error occurred (injected fault)",
                ),
            );
        }
        Fault::Injected(e) => {
            let code = e
                .code
                .unwrap_or_else(|| (op.code_for_status)(e.status).to_string());
            let message = e
                .message
                .unwrap_or_else(|| format!("{code} (injected by the emulator admin API)"));
            return error_response(
                op.protocol,
                &request_id,
                AwsError::new(e.status, &code, message),
            );
        }
    }
    let input = match parse_json_object(&body) {
        Ok(m) => m,
        Err(msg) => return error_response(op.protocol, &request_id, (op.validation)(msg)),
    };
    let result = {
        let data = shared.data_for(op.service);
        (op.handler)(shared, &data, &input)
    };
    if let Ok(v) = &result {
        shared.count_reads(op.service, v);
    }
    match result {
        Ok(v) => json_response(op.protocol, &request_id, 200, &v),
        Err(e) => error_response(op.protocol, &request_id, e),
    }
}

/// Parses the body as a JSON object; an empty body is `{}`.
fn parse_json_object(body: &[u8]) -> Result<Map<String, Value>, String> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Map::new());
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(other) => Err(format!(
            "Request body must be a JSON object, got {}",
            json_kind(&other)
        )),
        Err(e) => Err(format!("Request body is not valid JSON: {e}")),
    }
}

pub(crate) fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// One input constraint violation.
#[derive(Debug, Clone)]
pub(crate) struct FieldError {
    /// Member name as sent (e.g. `MaxResults`).
    pub field: String,
    /// The constraint message after "failed to satisfy constraint: " (or a full message for
    /// type errors).
    pub message: String,
    /// Partner Central `ValidationExceptionErrorCode`.
    pub code: &'static str,
    /// The offending value, when it has one.
    pub value: Option<String>,
}

impl FieldError {
    pub(crate) fn constraint(
        field: &str,
        value: Option<String>,
        code: &'static str,
        message: impl Into<String>,
    ) -> FieldError {
        FieldError {
            field: field.into(),
            message: message.into(),
            code,
            value,
        }
    }

    /// The AWS-style sentence for this error.
    pub(crate) fn sentence(&self) -> String {
        let path = lower_first(&self.field);
        match (&self.value, self.code) {
            (_, "REQUIRED_FIELD_MISSING") => format!(
                "Value null at '{path}' failed to satisfy constraint: Member must not be null"
            ),
            (Some(v), _) => format!(
                "Value '{v}' at '{path}' failed to satisfy constraint: {}",
                self.message
            ),
            (None, _) => format!(
                "Value at '{path}' failed to satisfy constraint: {}",
                self.message
            ),
        }
    }
}

fn lower_first(s: &str) -> String {
    // Keep dotted paths (Sort.SortOrder -> sort.sortOrder).
    s.split('.')
        .map(|p| {
            let mut c = p.chars();
            match c.next() {
                Some(f) => f.to_lowercase().collect::<String>() + c.as_str(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(".")
}

/// "N validation error(s) detected: a; b".
pub(crate) fn validation_message(errors: &[FieldError]) -> String {
    let n = errors.len();
    let s = if n == 1 { "" } else { "s" };
    format!(
        "{n} validation error{s} detected: {}",
        errors
            .iter()
            .map(FieldError::sentence)
            .collect::<Vec<_>>()
            .join("; ")
    )
}

/// Typed access to input members: JSON `null` is absent; a wrong JSON type is a field error.
pub(crate) struct Input<'a> {
    pub map: &'a Map<String, Value>,
    pub prefix: String,
    pub errors: Vec<FieldError>,
}

impl<'a> Input<'a> {
    pub(crate) fn new(map: &'a Map<String, Value>) -> Input<'a> {
        Input {
            map,
            prefix: String::new(),
            errors: Vec::new(),
        }
    }

    pub(crate) fn path(&self, name: &str) -> String {
        if self.prefix.is_empty() {
            name.to_string()
        } else {
            format!("{}.{name}", self.prefix)
        }
    }

    fn type_error(&mut self, name: &str, expected: &str, got: &Value) {
        let field = self.path(name);
        self.errors.push(FieldError {
            field: field.clone(),
            message: format!("Member must be {expected}, got {}", json_kind(got)),
            code: "INVALID_VALUE",
            value: None,
        });
    }

    pub(crate) fn string(&mut self, name: &str) -> Option<String> {
        match self.map.get(name) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(other) => {
                self.type_error(name, "a string", other);
                None
            }
        }
    }

    pub(crate) fn integer(&mut self, name: &str) -> Option<i64> {
        match self.map.get(name) {
            None | Some(Value::Null) => None,
            Some(Value::Number(n)) if n.as_i64().is_some() => n.as_i64(),
            Some(other) => {
                self.type_error(name, "an integer", other);
                None
            }
        }
    }

    pub(crate) fn object(&mut self, name: &str) -> Option<&'a Map<String, Value>> {
        match self.map.get(name) {
            None | Some(Value::Null) => None,
            Some(Value::Object(m)) => Some(m),
            Some(other) => {
                self.type_error(name, "an object", other);
                None
            }
        }
    }

    pub(crate) fn array(&mut self, name: &str) -> Option<&'a Vec<Value>> {
        match self.map.get(name) {
            None | Some(Value::Null) => None,
            Some(Value::Array(a)) => Some(a),
            Some(other) => {
                self.type_error(name, "a list", other);
                None
            }
        }
    }

    pub(crate) fn push(&mut self, e: FieldError) {
        self.errors.push(e);
    }

    /// Validates an enum member.
    pub(crate) fn enum_value(&mut self, name: &str, allowed: &[&str]) -> Option<String> {
        let v = self.string(name)?;
        if allowed.contains(&v.as_str()) {
            Some(v)
        } else {
            let field = self.path(name);
            self.push(FieldError::constraint(
                &field,
                Some(v),
                "INVALID_ENUM_VALUE",
                format!(
                    "Member must satisfy enum value set: [{}]",
                    allowed.join(", ")
                ),
            ));
            None
        }
    }

    /// Validates an integer range.
    pub(crate) fn ranged(&mut self, name: &str, min: i64, max: i64) -> Option<i64> {
        let v = self.integer(name)?;
        let field = self.path(name);
        if v < min {
            self.push(FieldError::constraint(
                &field,
                Some(v.to_string()),
                "VALUE_OUT_OF_RANGE",
                format!("Member must have value greater than or equal to {min}"),
            ));
            None
        } else if v > max {
            self.push(FieldError::constraint(
                &field,
                Some(v.to_string()),
                "VALUE_OUT_OF_RANGE",
                format!("Member must have value less than or equal to {max}"),
            ));
            None
        } else {
            Some(v)
        }
    }
}

/// 64-bit FNV-1a, used to bind paging tokens to their query.
pub(crate) fn fingerprint(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for b in p.bytes().chain(std::iter::once(0u8)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    h
}

/// An opaque paging token: where the next page starts (a `cursor` the service reads back: a
/// position, or the sort key of the last item sent), bound to the service and the query.
pub(crate) fn encode_token(tag: &str, cursor: &str, fp: u64) -> String {
    let body = format!("{tag}.{fp:016x}.{cursor}");
    let check = crate::generate::mix(fingerprint(&[&body])) as u32;
    format!("{}{check:08x}", hex::encode(body))
}

/// Decodes a token made by [`encode_token`] for the same tag and query: its cursor.
pub(crate) fn decode_token(token: &str, tag: &str, fp: u64) -> Option<String> {
    if token.len() < 9 || !token.is_ascii() {
        return None;
    }
    let (hex_body, check) = token.split_at(token.len() - 8);
    let body = String::from_utf8(hex::decode(hex_body).ok()?).ok()?;
    let check = u32::from_str_radix(check, 16).ok()?;
    if crate::generate::mix(fingerprint(&[&body])) as u32 != check {
        return None;
    }
    let mut it = body.splitn(3, '.');
    let (t, f, cursor) = (it.next()?, it.next()?, it.next()?);
    if t != tag || u64::from_str_radix(f, 16).ok()? != fp {
        return None;
    }
    Some(cursor.to_owned())
}

/// Collects one page from `candidates` (in list order): the first `size` that pass `keep`,
/// and, when one more passes, the next token, resuming after the page's last item (`cursor`
/// of it). Stops at the first item past the page, so an unfiltered page costs its own size.
pub(crate) fn page_from<T>(
    candidates: impl Iterator<Item = T>,
    keep: impl Fn(&T) -> bool,
    cursor: impl Fn(&T) -> String,
    size: usize,
    tag: &str,
    fp: u64,
) -> (Vec<T>, Option<String>) {
    let mut items = Vec::new();
    for item in candidates.filter(|i| keep(i)) {
        if items.len() >= size {
            let next = items
                .last()
                .map(|last| encode_token(tag, &cursor(last), fp));
            return (items, next);
        }
        items.push(item);
    }
    (items, None)
}

/// Builds a JSON object from pairs, skipping `None`.
pub(crate) fn object(pairs: Vec<(&str, Option<Value>)>) -> Value {
    let mut m = Map::new();
    for (k, v) in pairs {
        if let Some(v) = v {
            m.insert(k.to_string(), v);
        }
    }
    Value::Object(m)
}

#[allow(dead_code)]
pub(crate) fn empty() -> Value {
    json!({})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_round_trip_and_reject_tampering() {
        let t = encode_token("pcs", "[1.5,\"job-a.b\"]", 7);
        assert_eq!(
            decode_token(&t, "pcs", 7).as_deref(),
            Some("[1.5,\"job-a.b\"]")
        );
        assert_eq!(decode_token(&t, "pcs", 8), None);
        assert_eq!(decode_token(&t, "ssm", 7), None);
        assert_eq!(decode_token("garbage", "pcs", 7), None);
        assert_eq!(decode_token("zzzzzzzzzzzzzzzzzz", "pcs", 7), None);
        let mut bad = t.clone();
        bad.replace_range(0..1, "f");
        assert_eq!(decode_token(&bad, "pcs", 7), None);
    }

    #[test]
    fn page_from_stops_after_one_item_past_the_page() {
        let seen = std::cell::Cell::new(0);
        let items = (0..100).inspect(|_| seen.set(seen.get() + 1));
        let (page, next) = page_from(items, |i| i % 2 == 0, |i| i.to_string(), 3, "t", 1);
        assert_eq!(page, vec![0, 2, 4]);
        assert_eq!(decode_token(&next.unwrap(), "t", 1).as_deref(), Some("4"));
        // 0..=6: the page and the next match, nothing after it.
        assert_eq!(seen.get(), 7);
        let (page, next) = page_from(0..4, |_| true, |_| String::new(), 4, "t", 1);
        assert_eq!((page.len(), next), (4, None));
    }

    #[test]
    fn sentences() {
        let e = FieldError::constraint(
            "Sort.SortOrder",
            Some("UP".into()),
            "INVALID_ENUM_VALUE",
            "Member must satisfy enum value set: [ASCENDING, DESCENDING]",
        );
        assert_eq!(
            validation_message(&[e]),
            "1 validation error detected: Value 'UP' at 'sort.sortOrder' failed to satisfy constraint: Member must satisfy enum value set: [ASCENDING, DESCENDING]"
        );
    }
}
