//! Cloud Rewind "Get AWS Protection Status".
//!
//! Semantics are documented in `crate::services::cloud_rewind` (`src/doc/cloud_rewind.md`).

use axum::body::Body;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, Request, State};
use axum::http::Response;
use serde_json::{Map, Value, json};
use std::sync::Arc;

use crate::faults::Fault;
use crate::http::{BodyError, drop_connection, fault_prelude, json_response, read_body};
use crate::model::Service;
use crate::state::Shared;

struct CrError {
    status: u16,
    code: String,
    kind: &'static str,
    message: String,
    field_errors: Map<String, Value>,
    required_permissions: Vec<String>,
}

impl CrError {
    fn new(status: u16, code: &str, kind: &'static str, message: impl Into<String>) -> CrError {
        CrError {
            status,
            code: code.into(),
            kind,
            message: message.into(),
            field_errors: Map::new(),
            required_permissions: Vec::new(),
        }
    }

    fn precondition(fields: Map<String, Value>) -> CrError {
        let mut e = CrError::new(
            412,
            "PRECONDITION_FAILED",
            "VALIDATION",
            "Request parameters are invalid",
        );
        e.field_errors = fields;
        e
    }
}

fn code_for_status(status: u16) -> (&'static str, &'static str) {
    match status {
        401 => ("UNAUTHORIZED", "AUTHENTICATION"),
        403 => ("FORBIDDEN", "AUTHORIZATION"),
        404 => ("NOT_FOUND", "NOT_FOUND"),
        409 => ("CONFLICT", "CONFLICT"),
        412 => ("PRECONDITION_FAILED", "VALIDATION"),
        429 => ("TOO_MANY_REQUESTS", "RATE_LIMIT"),
        _ => ("INTERNAL_SERVER_ERROR", "SERVER"),
    }
}

fn error_response(e: CrError) -> Response<Body> {
    let body = json!({
        "errors": [{"code": e.code, "message": e.message, "type": e.kind}],
        "message": e.message,
        "fieldErrors": e.field_errors,
        "requiredPermissions": e.required_permissions,
    });
    json_response(e.status, &body)
}

/// The protection id from the raw query string (`protection_id`, percent-decoded).
fn protection_id(query: Option<&str>) -> Option<String> {
    query?.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        (k == "protection_id").then(|| crate::sigv4::percent_decode(&v.replace('+', " ")))
    })
}

/// Handler for the status route.
pub(crate) async fn status(
    State(shared): State<Arc<Shared>>,
    path: Result<Path<(String, String, String)>, PathRejection>,
    req: Request,
) -> Response<Body> {
    // Segments that do not decode to text (e.g. `%FF`) name no protection.
    let Ok(Path((account, project, assembly))) = path else {
        return error_response(CrError::new(
            404,
            "NOT_FOUND",
            "NOT_FOUND",
            "No protection at this path: its segments are not valid UTF-8",
        ));
    };
    let (parts, body) = req.into_parts();
    let too_large = matches!(read_body(body).await, Err(BodyError::TooLarge));
    match crate::spaceone::bearer(&shared, &parts.headers) {
        Ok(true) => {}
        Ok(false) => {
            let mut e = CrError::new(
                403,
                "FORBIDDEN",
                "AUTHORIZATION",
                "Access is denied: the token lacks the permission to read protections",
            );
            e.required_permissions = vec!["cloudrewind:aws:protection:read".into()];
            return error_response(e);
        }
        Err(_) => {
            return error_response(CrError::new(
                401,
                "UNAUTHORIZED",
                "AUTHENTICATION",
                "Full authentication is required to access this resource",
            ));
        }
    }
    match fault_prelude(&shared, Service::CloudRewind).await {
        Fault::None => {}
        Fault::Drop => return drop_connection(&axum::http::Request::from_parts(parts, ())),
        Fault::Throttle => {
            return error_response(CrError::new(
                429,
                "TOO_MANY_REQUESTS",
                "RATE_LIMIT",
                "Too many requests (injected fault)",
            ));
        }
        Fault::ServerError => {
            return error_response(CrError::new(
                500,
                "INTERNAL_SERVER_ERROR",
                "SERVER",
                "Internal server error (injected fault)",
            ));
        }
        Fault::Injected(e) => {
            let (code, kind) = code_for_status(e.status);
            let code = e.code.unwrap_or_else(|| code.to_string());
            let message = e
                .message
                .unwrap_or_else(|| format!("{code} (injected by the emulator admin API)"));
            return error_response(CrError::new(e.status, &code, kind, message));
        }
    }
    let mut fields = Map::new();
    if too_large {
        fields.insert(
            "body".into(),
            Value::from(format!("must not exceed {} bytes", crate::http::BODY_LIMIT)),
        );
    }
    let account_id: Option<i64> = account.parse().ok();
    if account_id.is_none() {
        fields.insert(
            "accountId".into(),
            Value::from(format!("must be an integer (int64), got '{account}'")),
        );
    }
    let assembly_id: Option<i64> = assembly.parse().ok();
    if assembly_id.is_none() {
        fields.insert(
            "cloudAssemblyId".into(),
            Value::from(format!("must be an integer (int64), got '{assembly}'")),
        );
    }
    let pid = protection_id(parts.uri.query()).unwrap_or_default();
    if pid.is_empty() {
        fields.insert("protection_id".into(), Value::from("is required"));
    }
    if !fields.is_empty() {
        return error_response(CrError::precondition(fields));
    }
    let (account_id, assembly_id) = (
        account_id.unwrap_or_default(),
        assembly_id.unwrap_or_default(),
    );
    let data = shared.data_for(Service::CloudRewind);
    let Some(p) = data.cloud_rewind.iter().find(|p| {
        p.account_id == account_id
            && p.project_id == project
            && p.cloud_assembly_id == assembly_id
            && p.protection_id == pid
    }) else {
        return error_response(CrError::new(
            404,
            "NOT_FOUND",
            "NOT_FOUND",
            format!(
                "Protection {pid} not found in account {account_id}, project {project}, cloud assembly {assembly_id}"
            ),
        ));
    };
    if p.locked {
        return error_response(CrError::new(
            409,
            "CONFLICT",
            "CONFLICT",
            format!("Protection {pid} is locked by a running operation"),
        ));
    }
    if p.assembly_disabled {
        return error_response(CrError::new(
            412,
            "PRECONDITION_FAILED",
            "PRECONDITION",
            format!("Cloud assembly {assembly_id} is disabled"),
        ));
    }
    let status = p.status.clone();
    drop(data);
    shared.count_read_ids(Service::CloudRewind, [pid.as_str()]);
    json_response(200, &json!({"status": status}))
}
