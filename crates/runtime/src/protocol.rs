//! Protocol helpers: turn a generated [`HttpRequest`] into an HTTP request with the
//! protocol's method, path, headers and body (not yet authenticated).

use bytes::Bytes;
use http::{HeaderName, HeaderValue, Method, header};

use crate::config::Config;
use crate::endpoint::resolve_uri;
use crate::error::{ConstructionError, ConstructionErrorKind};
use crate::meta::{OperationMeta, Protocol, ServiceMeta};
use crate::wire::HttpRequest;

/// The `User-Agent` sent with every request: `cloudjobs/<version> (<service>)`, then
/// `app/<name>` when the config has an app name.
pub(crate) fn user_agent(service: &ServiceMeta, config: &Config) -> String {
    let mut ua = format!("cloudjobs/{} ({})", env!("CARGO_PKG_VERSION"), service.name);
    if let Some(app) = config.app_name() {
        ua.push_str(" app/");
        ua.push_str(app.as_str());
    }
    ua
}

fn invalid(message: String) -> ConstructionError {
    ConstructionError::new(ConstructionErrorKind::InvalidRequest, message)
}

fn header_value(value: &str) -> Result<HeaderValue, ConstructionError> {
    HeaderValue::try_from(value)
        .map_err(|e| invalid(format!("invalid header value {value:?}")).with_source(e))
}

/// Fills the operation's host prefix template from the request's host labels. Every value
/// must be non-empty and host-safe (letters, digits, `-`, `.`).
fn host_prefix(
    op: &OperationMeta,
    request: &HttpRequest,
) -> Result<Option<String>, ConstructionError> {
    let Some(template) = op.host_prefix else {
        return Ok(None);
    };
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            return Err(invalid(format!(
                "host prefix {template:?} of `{}` has an unclosed `{{`",
                op.name
            )));
        };
        let name = &after[..close];
        let value = request
            .host_labels
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or_default();
        if !crate::wire::is_host_safe(value) {
            return Err(invalid(format!(
                "host label `{name}` of `{}` must be non-empty and hold only letters, digits, \
                 `-` and `.`, got {value:?}",
                op.name
            )));
        }
        out.push_str(value);
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    if !crate::wire::is_host_safe(&out) {
        return Err(invalid(format!(
            "host prefix {out:?} of `{}` is not host-safe",
            op.name
        )));
    }
    Ok(Some(out))
}

/// Builds the unsigned request of an operation.
///
/// * awsJson1_0 / awsJson1_1: `POST /`, the protocol's content type, `X-Amz-Target`, and the
///   body (`{}` when the input has none).
/// * restJson1 and plain JSON: the operation's method, path (labels filled, constant query
///   first), query, bound headers; the body as built, with the content type a member bound
///   to `Content-Type` gives, else the body's own, else `application/json`. `Accept` is the
///   operation's ([`OperationMeta::accept`]), else `application/json` for plain JSON.
pub(crate) fn build_request(
    service: &ServiceMeta,
    op: &OperationMeta,
    config: &Config,
    base_url: &str,
    mut request: HttpRequest,
) -> Result<http::Request<Bytes>, ConstructionError> {
    let prefix = host_prefix(op, &request)?;
    let (method, uri, content_type, target, body, accept) = match service.protocol {
        Protocol::AwsJson1_0 { target_prefix } | Protocol::AwsJson1_1 { target_prefix } => {
            let content_type = if matches!(service.protocol, Protocol::AwsJson1_0 { .. }) {
                "application/x-amz-json-1.0"
            } else {
                "application/x-amz-json-1.1"
            };
            let root = HttpRequest {
                query: request.query.clone(),
                ..HttpRequest::default()
            };
            let uri = resolve_uri(
                service,
                op,
                config,
                base_url,
                &root,
                true,
                prefix.as_deref(),
            )?;
            let body = request.body.take().unwrap_or_else(|| b"{}".to_vec());
            (
                Method::POST,
                uri,
                Some(content_type.to_owned()),
                Some(format!("{target_prefix}.{}", op.name)),
                body,
                None,
            )
        }
        Protocol::RestJson1 | Protocol::Json => {
            let uri = resolve_uri(
                service,
                op,
                config,
                base_url,
                &request,
                false,
                prefix.as_deref(),
            )?;
            // A member bound to `Content-Type` says it; else the payload's, else JSON.
            let bound = request
                .headers
                .iter()
                .any(|(k, _)| k.eq_ignore_ascii_case("content-type"));
            let content_type = match (&request.body, &request.content_type) {
                _ if bound => None,
                (None, _) => None,
                (Some(_), Some(ct)) => Some(ct.clone()),
                (Some(_), None) => Some("application/json".to_owned()),
            };
            // The operation's own, else `application/json` for plain JSON.
            let accept = match service.protocol {
                Protocol::Json => Some(op.accept.unwrap_or("application/json")),
                _ => op.accept,
            };
            (
                op.method.clone(),
                uri,
                content_type,
                None,
                request.body.take().unwrap_or_default(),
                accept,
            )
        }
    };

    let host = uri
        .authority()
        .map(|a| a.as_str().to_owned())
        .unwrap_or_default();
    let mut headers = http::HeaderMap::new();
    headers.insert(header::HOST, header_value(&host)?);
    // Bound headers first, so the protocol's own headers win over a member of the same name.
    for (name, value) in &request.headers {
        let name = HeaderName::from_bytes(name.as_bytes())
            .map_err(|e| invalid(format!("invalid header name {name:?}")).with_source(e))?;
        headers.append(name, header_value(value)?);
    }
    if let Some(ct) = content_type {
        headers.insert(header::CONTENT_TYPE, header_value(&ct)?);
    }
    if let Some(target) = target {
        headers.insert("x-amz-target", header_value(&target)?);
    }
    if let Some(accept) = accept {
        headers.insert(header::ACCEPT, HeaderValue::from_static(accept));
    }
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(body.len()));
    headers.insert(
        header::USER_AGENT,
        header_value(&user_agent(service, config))?,
    );
    let mut built = http::Request::builder()
        .method(method)
        .uri(uri)
        .body(Bytes::from(body))
        .map_err(|e| invalid("invalid request".into()).with_source(e))?;
    *built.headers_mut() = headers;
    Ok(built)
}
