//! Protocol helpers: turn a generated [`HttpRequest`] into an HTTP request with the
//! protocol's method, path and headers (not yet authenticated).

use bytes::Bytes;
use http::{HeaderValue, Method, header};

use crate::config::Config;
use crate::endpoint::resolve_uri;
use crate::error::{ConstructionError, ConstructionErrorKind};
use crate::operation::{HttpRequest, OperationMeta, Protocol, ServiceMeta};

/// The `User-Agent` sent with every request.
pub(crate) fn user_agent(service: &ServiceMeta) -> String {
    format!("cloudjobs/{} ({})", env!("CARGO_PKG_VERSION"), service.name)
}

fn header_value(value: &str) -> Result<HeaderValue, ConstructionError> {
    HeaderValue::try_from(value).map_err(|e| {
        ConstructionError::new(
            ConstructionErrorKind::InvalidRequest,
            format!("invalid header value {value:?}"),
        )
        .with_source(e)
    })
}

/// Builds the unsigned request of an operation.
pub(crate) fn build_request(
    service: &ServiceMeta,
    op: &OperationMeta,
    config: &Config,
    request: HttpRequest,
) -> Result<http::Request<Bytes>, ConstructionError> {
    let (method, uri, content_type, target, body, accept) = match service.protocol {
        Protocol::AwsJson1_0 { target_prefix } | Protocol::AwsJson1_1 { target_prefix } => {
            let content_type = if matches!(service.protocol, Protocol::AwsJson1_0 { .. }) {
                "application/x-amz-json-1.0"
            } else {
                "application/x-amz-json-1.1"
            };
            let uri = resolve_uri(service, op, config, &HttpRequest::default(), true)?;
            let body = request.body.unwrap_or_else(|| b"{}".to_vec());
            (
                Method::POST,
                uri,
                Some(content_type),
                Some(format!("{target_prefix}.{}", op.name)),
                body,
                None,
            )
        }
        Protocol::RestJson1 | Protocol::Json => {
            let uri = resolve_uri(service, op, config, &request, false)?;
            let content_type = request.body.as_ref().map(|_| "application/json");
            let accept = matches!(service.protocol, Protocol::Json).then_some("application/json");
            (
                op.method.clone(),
                uri,
                content_type,
                None,
                request.body.unwrap_or_default(),
                accept,
            )
        }
    };

    let host = uri
        .authority()
        .map(|a| a.as_str().to_owned())
        .unwrap_or_default();
    let mut builder = http::Request::builder().method(method).uri(uri);
    let headers = builder.headers_mut().expect("builder has no error yet");
    headers.insert(header::HOST, header_value(&host)?);
    if let Some(ct) = content_type {
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(ct));
    }
    if let Some(target) = target {
        headers.insert("x-amz-target", header_value(&target)?);
    }
    if let Some(accept) = accept {
        headers.insert(header::ACCEPT, HeaderValue::from_static(accept));
    }
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(body.len()));
    headers.insert(header::USER_AGENT, header_value(&user_agent(service))?);
    builder.body(Bytes::from(body)).map_err(|e| {
        ConstructionError::new(ConstructionErrorKind::InvalidRequest, "invalid request")
            .with_source(e)
    })
}
