//! Error metadata parsing (WIRE.md order, SpaceONE, Cloud Rewind) and error values.

use cloudjobs_runtime::error::{Unhandled, sanitize_error_code};
use cloudjobs_runtime::{
    Error, ErrorMetadata, ErrorRules, Handle, HttpResponse, ProvideErrorMetadata,
};

use crate::support::*;

fn response(status: u16, headers: &[(&str, &str)], body: &str) -> HttpResponse {
    let mut map = http::HeaderMap::new();
    for (k, v) in headers {
        map.append(
            http::HeaderName::from_bytes(k.as_bytes()).unwrap(),
            v.parse().unwrap(),
        );
    }
    HttpResponse {
        status,
        headers: map,
        body: bytes::Bytes::copy_from_slice(body.as_bytes()),
    }
}

const AWS_JSON: ErrorRules = ErrorRules::AWS_JSON;

fn meta(rules: ErrorRules, status: u16, headers: &[(&str, &str)], body: &str) -> ErrorMetadata {
    ErrorMetadata::from_response(&rules, &response(status, headers, body))
}

#[test]
fn aws_code_order_header_then_code_then_type() {
    // Header wins over both body fields.
    let m = meta(
        AWS_JSON,
        400,
        &[
            ("X-Amzn-Errortype", "DoesNotExistException"),
            ("x-amzn-RequestId", "rid-1"),
        ],
        r#"{"__type":"Other","code":"AlsoOther","Message":"window not found"}"#,
    );
    assert_eq!(m.code.as_deref(), Some("DoesNotExistException"));
    assert_eq!(m.message.as_deref(), Some("window not found"));
    assert_eq!(m.request_id.as_deref(), Some("rid-1"));
    assert_eq!(m.status, 400);
    // Body `code` beats `__type`.
    let m = meta(
        AWS_JSON,
        409,
        &[],
        r#"{"__type":"Other","code":"ConflictException","message":"busy"}"#,
    );
    assert_eq!(m.code.as_deref(), Some("ConflictException"));
    assert_eq!(m.message.as_deref(), Some("busy"));
    // `__type` alone.
    let m = meta(
        AWS_JSON,
        400,
        &[("x-amz-request-id", "rid-2")],
        r#"{"__type":"com.amazonaws.partnercentralselling#ValidationException","Message":"bad","Reason":"REQUEST_VALIDATION_FAILED"}"#,
    );
    assert_eq!(m.code.as_deref(), Some("ValidationException"));
    assert_eq!(m.message.as_deref(), Some("bad"));
    assert_eq!(m.request_id.as_deref(), Some("rid-2"));
    // Header with the coral suffix (real Macie), body only a message.
    let m = meta(
        AWS_JSON,
        402,
        &[(
            "x-amzn-ErrorType",
            "ServiceQuotaExceededException:http://internal.amazon.com/coral/com.amazon.coral.validate/",
        )],
        r#"{"message":"quota"}"#,
    );
    assert_eq!(m.code.as_deref(), Some("ServiceQuotaExceededException"));
    assert_eq!(m.message.as_deref(), Some("quota"));
    // No code at all.
    let m = meta(AWS_JSON, 500, &[], "{}");
    assert_eq!(m.code, None);
    assert_eq!(m.message, None);
}

#[test]
fn sanitization_examples() {
    for (raw, want) in [
        (
            "ValidationException:http://internal.amazon.com/coral/com.amazon.coral.validate/",
            "ValidationException",
        ),
        (
            "com.amazonaws.partnercentralselling#ValidationException",
            "ValidationException",
        ),
        (
            "aws.protocoltests.restjson#FooError:http://internal.amazon.com/coral/com.amazon.coral.validate/",
            "FooError",
        ),
        ("FooError", "FooError"),
        ("  FooError  ", "FooError"),
    ] {
        assert_eq!(sanitize_error_code(raw), want, "{raw}");
    }
}

#[test]
fn spaceone_and_cloud_rewind_bodies() {
    let m = meta(
        SPACEONE_ERRORS,
        404,
        &[],
        r#"{"detail":{"code":"ERROR_NOT_FOUND","message":"Resource cannot be found or access is denied. (job_id = job-1)"}}"#,
    );
    assert_eq!(m.code.as_deref(), Some("ERROR_NOT_FOUND"));
    assert!(
        m.message
            .as_deref()
            .unwrap()
            .starts_with("Resource cannot be found")
    );
    assert_eq!(m.status, 404);

    let m = meta(
        CLOUD_REWIND_ERRORS,
        403,
        &[("x-request-id", "req-9")],
        r#"{"errors":[{"code":"FORBIDDEN","message":"no access to project","type":"AUTH"}],"fieldErrors":{},"message":"Access denied","requiredPermissions":["protection:read"]}"#,
    );
    assert_eq!(m.code.as_deref(), Some("FORBIDDEN"));
    assert_eq!(m.message.as_deref(), Some("Access denied"));
    assert_eq!(m.request_id.as_deref(), Some("req-9"));

    let m = meta(
        CLOUD_REWIND_ERRORS,
        412,
        &[],
        r#"{"errors":[{"code":"PRECONDITION","message":"assembly disabled","type":"STATE"}]}"#,
    );
    assert_eq!(m.code.as_deref(), Some("PRECONDITION"));
    assert_eq!(m.message.as_deref(), Some("assembly disabled"));

    // FastAPI's own error shapes.
    let m = meta(SPACEONE_ERRORS, 404, &[], r#"{"detail":"Not Found"}"#);
    assert_eq!(m.message.as_deref(), Some("Not Found"));
    let m = meta(
        SPACEONE_ERRORS,
        422,
        &[],
        r#"{"detail":[{"loc":["body"],"msg":"field required","type":"value_error"}]}"#,
    );
    assert_eq!(m.message.as_deref(), Some("field required"));

    // Nothing useful: the reason phrase.
    let m = meta(SPACEONE_ERRORS, 401, &[], "");
    assert_eq!(m.code, None);
    assert_eq!(m.message.as_deref(), Some("Unauthorized"));
}

#[test]
fn non_json_body_is_kept_as_bounded_excerpt() {
    let html = format!(
        "<html><body>502 Bad Gateway{}</body></html>",
        "x".repeat(5000)
    );
    let m = meta(SPACEONE_ERRORS, 502, &[], &html);
    let msg = m.message.unwrap();
    assert!(msg.starts_with("<html><body>502 Bad Gateway"));
    assert!(
        msg.len() <= cloudjobs_runtime::error::BODY_EXCERPT_LIMIT + 4,
        "{}",
        msg.len()
    );
    let m = meta(AWS_JSON, 503, &[], "Service Unavailable");
    assert_eq!(m.message.as_deref(), Some("Service Unavailable"));
    assert_eq!(m.code, None);
    // Multi-byte characters are not split.
    let m = meta(SPACEONE_ERRORS, 500, &[], &"é".repeat(1000));
    assert!(m.message.unwrap().ends_with('…'));
}

#[test]
fn unhandled_and_service_error_display() {
    let meta = ErrorMetadata {
        code: Some("DoesNotExistException".into()),
        message: Some("window not found".into()),
        request_id: Some("rid-7".into()),
        status: 400,
    };
    let unhandled = Unhandled::new(meta.clone(), b"{\"Message\":\"window not found\"}");
    assert_eq!(unhandled.code(), Some("DoesNotExistException"));
    let shown = unhandled.to_string();
    assert!(
        shown.contains("DoesNotExistException: window not found"),
        "{shown}"
    );
    assert!(
        shown.contains("HTTP 400") && shown.contains("rid-7"),
        "{shown}"
    );
    let err: Error<Unhandled> = Error::Service {
        err: unhandled,
        attempts: 2,
    };
    let shown = err.to_string();
    assert!(
        shown.contains("DoesNotExistException") && shown.contains("2 attempts"),
        "{shown}"
    );
    assert_eq!(err.attempts(), 2);
    assert_eq!(err.request_id(), Some("rid-7"));
    assert_eq!(err.status(), Some(400));
    assert_eq!(err.code(), Some("DoesNotExistException"));
    assert!(err.as_service_error().is_some());
    assert!(std::error::Error::source(&err).is_some());
    let mapped = err.map_service_error(|e| e.meta.status);
    assert_eq!(mapped.into_service_error(), Some(400));
}

#[tokio::test]
async fn invalid_input_names_field_rule_and_value() {
    let server = TestServer::scripted(vec![Reply::json(200, serde_json::json!({}))]).await;
    let handle = Handle::new(&PARTNER_CENTRAL, local_config(&server).build());
    let input = RawIn {
        catalog: Some("AWS-1".into()),
        ..RawIn::default()
    };
    let err = handle.invoke::<PcsList>(input.clone()).await.unwrap_err();
    let Error::InvalidInput(e) = &err else {
        panic!("{err}")
    };
    assert_eq!(e.field, "Catalog");
    assert!(matches!(
        e.rule,
        cloudjobs_runtime::Rule::Pattern("^[a-zA-Z]+$")
    ));
    let shown = err.to_string();
    assert!(
        shown.contains("Catalog") && shown.contains("pattern") && shown.contains("AWS-1"),
        "{shown}"
    );
    assert_eq!(err.attempts(), 0);
    // Required.
    let missing = RawIn {
        require_catalog: true,
        ..RawIn::default()
    };
    let err = handle.invoke::<PcsList>(missing).await.unwrap_err();
    assert!(err.to_string().contains("`Catalog` is required"), "{err}");
    assert_eq!(server.count(), 0, "nothing is sent for invalid input");
    // With `RequiredOnly`, the pattern is not checked.
    let relaxed = Handle::new(
        &PARTNER_CENTRAL,
        local_config(&server)
            .validation(cloudjobs_runtime::Validation::RequiredOnly)
            .build(),
    );
    relaxed.invoke::<PcsList>(input).await.expect("sent");
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn undecodable_success_is_a_response_error() {
    let server = TestServer::scripted(vec![
        Reply::raw(200, "this is not json").with_header("x-amzn-RequestId", "rid-3"),
    ])
    .await;
    let handle = Handle::new(&SSM, local_config(&server).build());
    let err = handle
        .invoke::<SsmDescribe>(RawIn::default())
        .await
        .unwrap_err();
    let Error::Response(e) = &err else {
        panic!("{err}")
    };
    assert_eq!(e.status(), 200);
    assert_eq!(e.request_id(), Some("rid-3"));
    assert_eq!(e.body_excerpt(), "this is not json");
    assert_eq!(err.status(), Some(200));
    assert_eq!(err.attempts(), 1);
    assert!(std::error::Error::source(e).is_some());
    let shown = err.to_string();
    assert!(
        shown.contains("HTTP 200") && shown.contains("rid-3") && shown.contains("this is not json"),
        "{shown}"
    );
    assert_eq!(server.count(), 1, "not retried");
}

#[tokio::test]
async fn empty_success_body_decodes_as_empty_object() {
    let server = TestServer::scripted(vec![Reply::raw(200, "")]).await;
    let handle = Handle::new(&SPACEONE, local_config(&server).build());
    let out = handle
        .invoke::<SpaceoneDelete>(RawIn::default())
        .await
        .unwrap();
    assert_eq!(out.json, serde_json::json!({}));
    let req = server.request(0);
    assert_eq!(req.method, "POST");
    assert_eq!(req.target, "/identity/v2/job/delete");
    assert_eq!(req.header("authorization"), Some("Bearer test-token"));
}
