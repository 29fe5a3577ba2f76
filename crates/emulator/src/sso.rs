//! The IAM Identity Center (SSO) portal's `GetRoleCredentials`:
//! `GET /federation/credentials?role_name=..&account_id=..` with the access token of an
//! `aws sso login` in the `x-amz-sso_bearer_token` header. The emulator's bearer token is the
//! one access token it accepts; the credentials it returns are temporary ones that the AWS
//! APIs of the emulator accept for SigV4 (see [`crate::sts`]).

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::Response;
use serde_json::json;

use crate::http::json_response;
use crate::sigv4::{constant_time_eq, percent_decode};
use crate::state::Shared;
use crate::{sts, timefmt};

/// How long SSO role credentials last (the portal gives the role's session duration, 1 h by
/// default).
const SESSION_SECS: i64 = 3600;

/// A restJson1 error of the portal (`x-amzn-errortype` and `{"message": ...}`).
fn error(status: u16, request_id: &str, code: &str, message: &str) -> Response<Body> {
    let mut resp = json_response(status, &json!({ "message": message }));
    let headers = resp.headers_mut();
    if let (Ok(code), Ok(id)) = (code.parse(), request_id.parse()) {
        headers.insert("x-amzn-errortype", code);
        headers.insert("x-amzn-requestid", id);
    }
    resp
}

/// `GET /federation/credentials`.
pub(crate) async fn get_role_credentials(
    State(shared): State<Arc<Shared>>,
    req: Request,
) -> Response<Body> {
    let request_id = shared.request_id();
    let token = req
        .headers()
        .get("x-amz-sso_bearer_token")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .unwrap_or("");
    if token.is_empty() {
        return error(
            401,
            &request_id,
            "UnauthorizedException",
            "Session token not found or invalid",
        );
    }
    if !constant_time_eq(token.as_bytes(), shared.creds.bearer_token.as_bytes()) {
        return error(
            401,
            &request_id,
            "UnauthorizedException",
            "Session token not found or invalid",
        );
    }
    let query: Vec<(String, String)> = req
        .uri()
        .query()
        .unwrap_or("")
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (percent_decode(k), percent_decode(v))
        })
        .collect();
    let param = |name: &str| {
        query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    };
    let (Some(role), Some(account)) = (param("role_name"), param("account_id")) else {
        return error(
            400,
            &request_id,
            "InvalidRequestException",
            "role_name and account_id are required",
        );
    };
    if account.len() != 12 || !account.bytes().all(|b| b.is_ascii_digit()) {
        return error(
            400,
            &request_id,
            "InvalidRequestException",
            &format!("account_id {account:?} is not a 12-digit AWS account id"),
        );
    }
    let expiration = timefmt::now() + time::Duration::seconds(SESSION_SECS);
    let issued = sts::issue(&shared.creds, &format!("sso/{account}/{role}"), expiration);
    tracing::info!(%role, %account, "sso GetRoleCredentials");
    let mut resp = json_response(
        200,
        &json!({
            "roleCredentials": {
                "accessKeyId": issued.access_key,
                "secretAccessKey": issued.secret_key,
                "sessionToken": issued.session_token,
                "expiration": timefmt::unix_millis(issued.expiration),
            }
        }),
    );
    if let Ok(id) = request_id.parse() {
        resp.headers_mut().insert("x-amzn-requestid", id);
    }
    resp
}
