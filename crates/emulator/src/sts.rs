//! AWS STS `AssumeRole` (awsQuery: a form-encoded `POST /` with `Action=AssumeRole`, answered
//! in XML), and the temporary credentials it and the SSO portal ([`crate::sso`]) hand out.
//!
//! Temporary credentials are derived from the emulator's configured secret, so they need no
//! state: the access key id is `ASIA` + 16 hex digits, the secret is an HMAC of it, and the
//! session token carries the key, its expiry and an HMAC of both. A SigV4 request signed with
//! such a key and sending the matching, unexpired `X-Amz-Security-Token` is accepted like one
//! signed with the configured key pair.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderMap, Response};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use time::OffsetDateTime;

use crate::http::{BodyError, read_body};
use crate::sigv4::{SignedRequest, constant_time_eq, parse_authorization, percent_decode, verify};
use crate::state::{Credentials, Shared};
use crate::timefmt;

/// The default and largest `DurationSeconds` of a role session here (AWS: 1 h default,
/// 12 h max depending on the role).
const DEFAULT_DURATION_SECS: i64 = 3600;
const MIN_DURATION_SECS: i64 = 900;
const MAX_DURATION_SECS: i64 = 43_200;
const TOKEN_PREFIX: &str = "emulator-sts";

/// Temporary credentials: key id, secret, session token, expiry.
pub(crate) struct TemporaryCredentials {
    pub access_key: String,
    pub secret_key: String,
    pub session_token: String,
    pub expiration: OffsetDateTime,
}

fn mac(secret: &str, parts: &[&str]) -> String {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC accepts any key length");
    for p in parts {
        mac.update(p.as_bytes());
        mac.update(b"\n");
    }
    hex::encode(mac.finalize().into_bytes())
}

/// Issues temporary credentials for `subject` (a role session or an SSO role) valid until
/// `expiration`.
pub(crate) fn issue(
    creds: &Credentials,
    subject: &str,
    expiration: OffsetDateTime,
) -> TemporaryCredentials {
    let nonce = timefmt::unix_millis(timefmt::now()).to_string();
    let id = mac(&creds.secret_key, &["key-id", subject, &nonce]);
    let access_key = format!("ASIA{}", id[..16].to_ascii_uppercase());
    let secret_key = mac(&creds.secret_key, &["secret", &access_key]);
    let expires = expiration.unix_timestamp().to_string();
    let seal = mac(&creds.secret_key, &["token", &access_key, &expires]);
    TemporaryCredentials {
        session_token: format!("{TOKEN_PREFIX}/{access_key}/{expires}/{seal}"),
        access_key,
        secret_key,
        expiration,
    }
}

/// The key pair a SigV4 request must be signed with: the temporary pair its access key names
/// when the session token matches and has not expired, else the configured pair (which then
/// fails verification for any other key, as AWS does for an unknown key).
pub(crate) fn signing_pair(creds: &Credentials, headers: &HeaderMap) -> (String, String) {
    let configured = (creds.access_key.clone(), creds.secret_key.clone());
    let Some(access_key) = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| parse_authorization(v).ok())
        .map(|p| p.access_key)
        .filter(|k| k.starts_with("ASIA"))
    else {
        return configured;
    };
    let Some(token) = headers
        .get("x-amz-security-token")
        .and_then(|v| v.to_str().ok())
    else {
        return configured;
    };
    let mut parts = token.split('/');
    let (Some(TOKEN_PREFIX), Some(key), Some(expires), Some(seal), None) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return configured;
    };
    let expected = mac(&creds.secret_key, &["token", key, expires]);
    let unexpired = expires
        .parse::<i64>()
        .is_ok_and(|e| e > OffsetDateTime::now_utc().unix_timestamp());
    if key == access_key && unexpired && constant_time_eq(seal.as_bytes(), expected.as_bytes()) {
        let secret = mac(&creds.secret_key, &["secret", key]);
        (access_key, secret)
    } else {
        configured
    }
}

/// Whether a `POST /` is an awsQuery call (STS) rather than awsJson.
pub(crate) fn is_query_request(headers: &HeaderMap) -> bool {
    headers.get("x-amz-target").is_none()
        && headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"))
}

/// Decodes `a=b&c=d` (with `+` for spaces, as HTML forms and the AWS SDKs write them).
fn parse_form(body: &[u8]) -> Vec<(String, String)> {
    String::from_utf8_lossy(body)
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            let decode = |s: &str| percent_decode(&s.replace('+', " "));
            (decode(k), decode(v))
        })
        .collect()
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn xml(status: u16, request_id: &str, body: String) -> Response<Body> {
    Response::builder()
        .status(status)
        .header("content-type", "text/xml")
        .header("x-amzn-requestid", request_id)
        .body(Body::from(body))
        .unwrap_or_default()
}

/// An awsQuery error: `<ErrorResponse><Error><Type/><Code/><Message/></Error>...`.
fn error(status: u16, request_id: &str, code: &str, message: &str) -> Response<Body> {
    let kind = if status >= 500 { "Receiver" } else { "Sender" };
    xml(
        status,
        request_id,
        format!(
            "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\
             <Error><Type>{kind}</Type><Code>{}</Code><Message>{}</Message></Error>\
             <RequestId>{request_id}</RequestId></ErrorResponse>",
            xml_escape(code),
            xml_escape(message)
        ),
    )
}

/// `POST /` with a form body: STS. Only `AssumeRole` is served.
pub(crate) async fn handle(shared: &Shared, req: Request) -> Response<Body> {
    let request_id = shared.request_id();
    let (parts, body) = req.into_parts();
    let body = match read_body(body).await {
        Ok(b) => b,
        Err(BodyError::TooLarge) => {
            return error(
                413,
                &request_id,
                "ValidationError",
                "Request body too large",
            );
        }
        Err(BodyError::Broken) => {
            return error(
                400,
                &request_id,
                "ValidationError",
                "Request body unreadable",
            );
        }
    };
    let (access_key, secret_key) = signing_pair(&shared.creds, &parts.headers);
    let signed = SignedRequest::of(&parts, &body);
    if let Err(f) = verify(&signed, "sts", &access_key, &secret_key) {
        let code = match f.code {
            "UnrecognizedClientException" => "InvalidClientTokenId",
            "InvalidSignatureException" => "SignatureDoesNotMatch",
            "MissingAuthenticationTokenException" => "MissingAuthenticationToken",
            other => other,
        };
        return error(403, &request_id, code, &f.message);
    }
    let form = parse_form(&body);
    let param = |name: &str| {
        form.iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    };
    match param("Action").as_deref() {
        Some("AssumeRole") => {}
        Some(other) => {
            return error(
                400,
                &request_id,
                "InvalidAction",
                &format!("Could not find operation {other} for version 2011-06-15"),
            );
        }
        None => {
            return error(
                400,
                &request_id,
                "MissingAction",
                "Missing Action parameter",
            );
        }
    }
    let Some(role_arn) = param("RoleArn") else {
        return error(
            400,
            &request_id,
            "ValidationError",
            "1 validation error detected: Value null at 'roleArn' failed to satisfy constraint: Member must not be null",
        );
    };
    let Some(session) = param("RoleSessionName") else {
        return error(
            400,
            &request_id,
            "ValidationError",
            "1 validation error detected: Value null at 'roleSessionName' failed to satisfy constraint: Member must not be null",
        );
    };
    // arn:aws:iam::<account>:role/<name>
    let role = role_arn
        .strip_prefix("arn:")
        .and_then(|r| r.split_once(":iam::"))
        .and_then(|(_, r)| r.split_once(":role/"))
        .filter(|(account, name)| {
            account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit()) && !name.is_empty()
        });
    let Some((account, role_name)) = role else {
        return error(
            400,
            &request_id,
            "ValidationError",
            &format!("{role_arn} is invalid"),
        );
    };
    let duration = match param("DurationSeconds").map(|d| d.parse::<i64>()) {
        None => DEFAULT_DURATION_SECS,
        Some(Ok(d)) if (MIN_DURATION_SECS..=MAX_DURATION_SECS).contains(&d) => d,
        Some(_) => {
            return error(
                400,
                &request_id,
                "ValidationError",
                "1 validation error detected: Value at 'durationSeconds' failed to satisfy constraint: Member must have value between 900 and 43200",
            );
        }
    };
    let expiration = timefmt::now() + time::Duration::seconds(duration);
    let issued = issue(&shared.creds, &format!("{role_arn}/{session}"), expiration);
    let role_id = format!(
        "AROA{}",
        mac(&shared.creds.secret_key, &["role", &role_arn])[..17].to_ascii_uppercase()
    );
    tracing::info!(role = %role_arn, session = %session, "sts AssumeRole");
    xml(
        200,
        &request_id,
        format!(
            "<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\
             <AssumeRoleResult>\
             <AssumedRoleUser><AssumedRoleId>{role_id}:{session_x}</AssumedRoleId>\
             <Arn>arn:aws:sts::{account}:assumed-role/{role_x}/{session_x}</Arn></AssumedRoleUser>\
             <Credentials><AccessKeyId>{}</AccessKeyId><SecretAccessKey>{}</SecretAccessKey>\
             <SessionToken>{}</SessionToken><Expiration>{}</Expiration></Credentials>\
             </AssumeRoleResult>\
             <ResponseMetadata><RequestId>{request_id}</RequestId></ResponseMetadata>\
             </AssumeRoleResponse>",
            issued.access_key,
            issued.secret_key,
            xml_escape(&issued.session_token),
            timefmt::iso_millis(issued.expiration),
            session_x = xml_escape(&session),
            role_x = xml_escape(role_name),
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn creds() -> Credentials {
        Credentials {
            access_key: "AKIDEMU".into(),
            secret_key: "secret".into(),
            bearer_token: "t".into(),
            forbidden_token: "f".into(),
        }
    }

    fn headers(key: &str, token: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(
            "authorization",
            HeaderValue::from_str(&format!(
                "AWS4-HMAC-SHA256 Credential={key}/20260101/us-east-1/ssm/aws4_request, SignedHeaders=host;x-amz-date, Signature=00"
            ))
            .unwrap(),
        );
        h.insert(
            "x-amz-security-token",
            HeaderValue::from_str(token).unwrap(),
        );
        h
    }

    #[test]
    fn issued_keys_sign_until_they_expire() {
        let c = creds();
        let later = timefmt::now() + time::Duration::hours(1);
        let t = issue(&c, "role/session", later);
        assert!(t.access_key.starts_with("ASIA") && t.access_key.len() == 20);
        let pair = signing_pair(&c, &headers(&t.access_key, &t.session_token));
        assert_eq!(pair, (t.access_key.clone(), t.secret_key.clone()));
        // Tampered token, another key's token, expired token: the configured pair.
        let tampered = t.session_token.replace(TOKEN_PREFIX, "other");
        assert_eq!(
            signing_pair(&c, &headers(&t.access_key, &tampered)).0,
            "AKIDEMU"
        );
        let other = issue(&c, "role/other", later);
        assert_eq!(
            signing_pair(&c, &headers(&t.access_key, &other.session_token)).0,
            "AKIDEMU"
        );
        let old = issue(
            &c,
            "role/session",
            timefmt::now() - time::Duration::hours(1),
        );
        assert_eq!(
            signing_pair(&c, &headers(&old.access_key, &old.session_token)).0,
            "AKIDEMU"
        );
    }

    #[test]
    fn forms_decode() {
        assert_eq!(
            parse_form(b"Action=AssumeRole&RoleArn=arn%3Aaws%3Aiam%3A%3A1%3Arole%2Fr&X=a+b&Y"),
            vec![
                ("Action".into(), "AssumeRole".into()),
                ("RoleArn".into(), "arn:aws:iam::1:role/r".into()),
                ("X".into(), "a b".into()),
                ("Y".into(), String::new()),
            ]
        );
    }
}
