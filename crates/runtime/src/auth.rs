//! Request authentication: SigV4 (through `aws-sigv4`), bearer tokens, and the OpenAPI
//! security schemes an operation names (bearer, basic, API key in a header or the query).
//!
//! Secrets stay in [`SecretString`](crate::SecretString)s until they are written into the
//! request; the header values are marked sensitive (their `Debug` is `Sensitive`), and an
//! API key sent in the query is redacted from the URI the runtime logs.

use std::time::SystemTime;

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{SignableBody, SignableRequest, SigningSettings, sign};
use aws_sigv4::sign::v4;
use base64::Engine;
use bytes::Bytes;
use http::HeaderValue;
use percent_encoding::utf8_percent_encode;

use crate::config::Config;
use crate::error::{ConstructionError, ConstructionErrorKind, describe};
use crate::meta::{AuthScheme, OperationMeta, SecurityScheme, ServiceMeta};

/// Headers SigV4 leaves out, as botocore does (`host`, `x-amz-date` and
/// `x-amz-security-token` are added by the signer). Everything else the request carries
/// (`content-type`, `x-amz-target`, headers bound to input members) is signed.
const UNSIGNED_HEADERS: [&str; 8] = [
    "host",
    "user-agent",
    "content-length",
    "accept",
    "authorization",
    "expect",
    "transfer-encoding",
    "x-amzn-trace-id",
];

/// Signs `request` with SigV4 for `signing_name` in `region` at `time`, covering `host`,
/// `x-amz-date`, `x-amz-security-token` (when the credentials have a session token) and every
/// header of the request but those in [`UNSIGNED_HEADERS`].
pub(crate) fn sign_sigv4(
    request: &mut http::Request<Bytes>,
    credentials: &Credentials,
    region: &str,
    signing_name: &str,
    time: SystemTime,
) -> Result<(), ConstructionError> {
    let signing_error = |e: &dyn std::error::Error| {
        ConstructionError::new(ConstructionErrorKind::Signing, describe(e))
    };
    let identity = credentials.clone().into();
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(region)
        .name(signing_name)
        .time(time)
        .settings(SigningSettings::default())
        .build()
        .map_err(|e| signing_error(&e))?
        .into();
    let headers: Vec<(&str, &str)> = request
        .headers()
        .iter()
        .filter(|(name, _)| !UNSIGNED_HEADERS.contains(&name.as_str()))
        .filter_map(|(name, v)| v.to_str().ok().map(|v| (name.as_str(), v)))
        .collect();
    let uri = request.uri().to_string();
    let signable = SignableRequest::new(
        request.method().as_str(),
        uri,
        headers.into_iter(),
        SignableBody::Bytes(request.body()),
    )
    .map_err(|e| signing_error(&e))?;
    // aws-sigv4 traces the canonical request, which holds the session token: keep its events
    // away from the application's subscriber.
    let output =
        tracing::subscriber::with_default(tracing::subscriber::NoSubscriber::new(), || {
            sign(signable, &params)
        })
        .map_err(|e| signing_error(&e))?;
    let (instructions, _signature) = output.into_parts();
    instructions.apply_to_request_http1x(request);
    if let Some(v) = request.headers_mut().get_mut(http::header::AUTHORIZATION) {
        v.set_sensitive(true);
    }
    if let Some(v) = request.headers_mut().get_mut("x-amz-security-token") {
        v.set_sensitive(true);
    }
    Ok(())
}

/// Adds SigV4 or bearer authentication to `request`, as the service's scheme says; an
/// unsigned operation is sent as it is. A request that would carry credentials over plain
/// `http://` to a host that is not loopback is refused, unless the config allows it.
pub(crate) async fn authenticate(
    service: &ServiceMeta,
    op: &OperationMeta,
    config: &Config,
    request: &mut http::Request<Bytes>,
) -> Result<(), ConstructionError> {
    let headers_before = request.headers().len();
    let uri_before = request.uri().clone();
    attach_credentials(service, op, config, request).await?;
    let carries_credentials =
        request.headers().len() != headers_before || *request.uri() != uri_before;
    if carries_credentials && !config.allow_insecure_http() && is_insecure(request.uri()) {
        let what = match service.auth {
            AuthScheme::SigV4 { .. } => "AWS credentials",
            AuthScheme::Bearer => "a bearer token",
            AuthScheme::PerOperation => "credentials",
        };
        return Err(ConstructionError::new(
            ConstructionErrorKind::InsecureTransport,
            format!(
                "refusing to send {what} of service `{}` over plain http:// to `{}`, which is \
                 not a loopback host: use an https:// endpoint, or opt in with \
                 ConfigBuilder::allow_insecure_http(true) or CLOUDJOBS_ALLOW_INSECURE_HTTP=true",
                service.name,
                uri_before.host().unwrap_or_default()
            ),
        ));
    }
    Ok(())
}

/// Plain `http://` to a host that is not loopback (`localhost`, `*.localhost`, `127.0.0.0/8`,
/// `::1`).
pub(crate) fn is_insecure(uri: &http::Uri) -> bool {
    if uri.scheme() != Some(&http::uri::Scheme::HTTP) {
        return false;
    }
    let host = uri.host().unwrap_or_default();
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let loopback = host.eq_ignore_ascii_case("localhost")
        || host.to_ascii_lowercase().ends_with(".localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback());
    !loopback
}

async fn attach_credentials(
    service: &ServiceMeta,
    op: &OperationMeta,
    config: &Config,
    request: &mut http::Request<Bytes>,
) -> Result<(), ConstructionError> {
    if op.unsigned {
        return Ok(());
    }
    match service.auth {
        AuthScheme::SigV4 { signing_name } => {
            let Some(cache) = &config.credentials else {
                return Err(ConstructionError::new(
                    ConstructionErrorKind::MissingCredentials,
                    format!(
                        "service `{}` needs AWS credentials: set them with \
                         ConfigBuilder::credentials or credentials_provider, or load the \
                         config with Config::from_env",
                        service.name
                    ),
                ));
            };
            let Some(region) = config.region() else {
                return Err(ConstructionError::new(
                    ConstructionErrorKind::MissingRegion,
                    format!(
                        "service `{}` needs a region to sign requests: set it with \
                         ConfigBuilder::region or AWS_REGION",
                        service.name
                    ),
                ));
            };
            let now = config.now();
            let creds = cache
                .get(now, config.credentials_timeout)
                .await
                .map_err(|e| {
                    ConstructionError::new(
                        ConstructionErrorKind::MissingCredentials,
                        format!("could not load AWS credentials: {}", describe(&e)),
                    )
                })?;
            // Signed with the server's time once a skew error taught it (skew.rs).
            let signing_time = config.clock_skew.adjust(now);
            sign_sigv4(request, &creds, region.as_str(), signing_name, signing_time)
        }
        AuthScheme::Bearer => {
            let Some(token) = bearer_token(service, config) else {
                let env_name = format!("{}_TOKEN", service.env_prefix);
                return Err(ConstructionError::new(
                    ConstructionErrorKind::MissingToken,
                    format!(
                        "service `{}` needs a bearer token: set it with \
                         ConfigBuilder::bearer_token, or set {env_name} and load the config \
                         with Config::from_env",
                        service.name
                    ),
                ));
            };
            set_authorization(request, "Bearer", token)
        }
        AuthScheme::PerOperation => apply_security(service, op, config, request),
    }
}

/// A configured, non-empty secret: the config's, else the captured environment variable.
fn secret<'a>(
    configured: Option<&'a crate::SecretString>,
    config: &'a Config,
    env_name: &str,
) -> Option<&'a str> {
    // A configured value wins over the environment even when it is blank (then nothing is
    // sent and the caller hears about it), as the bearer token always did.
    match configured {
        Some(t) => Some(t.expose_secret().trim()).filter(|t| !t.is_empty()),
        None => config.env.get(env_name),
    }
}

fn bearer_token<'a>(service: &ServiceMeta, config: &'a Config) -> Option<&'a str> {
    let env_name = format!("{}_TOKEN", service.env_prefix);
    secret(config.bearer_token.as_ref(), config, &env_name)
}

/// User name and password: both from the config, else both from the environment (the
/// password may be empty only when set in the config).
fn basic_credentials<'a>(service: &ServiceMeta, config: &'a Config) -> Option<(&'a str, &'a str)> {
    if let Some((user, password)) = &config.basic_auth {
        let user = user.expose_secret();
        return (!user.is_empty()).then_some((user, password.expose_secret()));
    }
    let user = config
        .env
        .get(&format!("{}_USERNAME", service.env_prefix))?;
    let password = config
        .env
        .get(&format!("{}_PASSWORD", service.env_prefix))?;
    Some((user, password))
}

fn api_key<'a>(service: &ServiceMeta, config: &'a Config) -> Option<&'a str> {
    let env_name = format!("{}_API_KEY", service.env_prefix);
    secret(config.api_key.as_ref(), config, &env_name)
}

/// Whether the credentials `scheme` needs are configured.
fn has_credentials(scheme: &SecurityScheme, service: &ServiceMeta, config: &Config) -> bool {
    match scheme {
        SecurityScheme::Bearer => bearer_token(service, config).is_some(),
        SecurityScheme::Basic => basic_credentials(service, config).is_some(),
        SecurityScheme::ApiKeyHeader(_) | SecurityScheme::ApiKeyQuery(_) => {
            api_key(service, config).is_some()
        }
    }
}

/// How a user provides the credentials of `scheme`: the setter and the variables.
fn how_to_set(scheme: &SecurityScheme, service: &ServiceMeta) -> String {
    let p = service.env_prefix;
    match scheme {
        SecurityScheme::Bearer => {
            format!("a bearer token (ConfigBuilder::bearer_token or {p}_TOKEN)")
        }
        SecurityScheme::Basic => format!(
            "a user name and password (ConfigBuilder::basic_auth or {p}_USERNAME and {p}_PASSWORD)"
        ),
        SecurityScheme::ApiKeyHeader(name) => {
            format!("an API key for header `{name}` (ConfigBuilder::api_key or {p}_API_KEY)")
        }
        SecurityScheme::ApiKeyQuery(name) => format!(
            "an API key for query parameter `{name}` (ConfigBuilder::api_key or {p}_API_KEY)"
        ),
    }
}

/// The alternative of the operation's security requirement the config can satisfy: the
/// first whose schemes all have credentials (an empty one always can). `Ok(None)` when the
/// operation sends no credentials at all; an error naming the operation and what to set
/// when no alternative can be satisfied.
pub(crate) fn select_security(
    service: &ServiceMeta,
    op: &OperationMeta,
    config: &Config,
) -> Result<Option<&'static [SecurityScheme]>, ConstructionError> {
    if op.security.is_empty() {
        return Ok(None);
    }
    if let Some(alt) = op
        .security
        .iter()
        .find(|alt| alt.iter().all(|s| has_credentials(s, service, config)))
    {
        return Ok(Some(alt));
    }
    let options: Vec<String> = op
        .security
        .iter()
        .map(|alt| {
            alt.iter()
                .map(|s| how_to_set(s, service))
                .collect::<Vec<_>>()
                .join(" and ")
        })
        .collect();
    let only_bearer = op
        .security
        .iter()
        .all(|alt| alt.iter().all(|s| *s == SecurityScheme::Bearer));
    let kind = if only_bearer {
        ConstructionErrorKind::MissingToken
    } else {
        ConstructionErrorKind::MissingCredentials
    };
    Err(ConstructionError::new(
        kind,
        format!(
            "operation `{}` of service `{}` needs credentials: set {} (load the config with \
             Config::from_env for the environment variables)",
            op.name,
            service.name,
            options.join(", or ")
        ),
    ))
}

/// Applies the first satisfiable alternative of the operation's security requirement.
fn apply_security(
    service: &ServiceMeta,
    op: &OperationMeta,
    config: &Config,
    request: &mut http::Request<Bytes>,
) -> Result<(), ConstructionError> {
    let Some(schemes) = select_security(service, op, config)? else {
        return Ok(());
    };
    for scheme in schemes {
        match scheme {
            SecurityScheme::Bearer => {
                if let Some(token) = bearer_token(service, config) {
                    set_authorization(request, "Bearer", token)?;
                }
            }
            SecurityScheme::Basic => {
                if let Some((user, password)) = basic_credentials(service, config) {
                    let encoded = base64::engine::general_purpose::STANDARD
                        .encode(format!("{user}:{password}"));
                    set_authorization(request, "Basic", &encoded)?;
                }
            }
            SecurityScheme::ApiKeyHeader(name) => {
                if let Some(key) = api_key(service, config) {
                    let name = http::HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
                        invalid_secret(&format!("the API key header name {name:?} is not valid"))
                    })?;
                    let mut value = HeaderValue::try_from(key).map_err(|_| {
                        invalid_secret("the API key contains characters not allowed in a header")
                    })?;
                    value.set_sensitive(true);
                    request.headers_mut().insert(name, value);
                }
            }
            SecurityScheme::ApiKeyQuery(name) => {
                if let Some(key) = api_key(service, config) {
                    append_query(request, name, key)?;
                }
            }
        }
    }
    Ok(())
}

fn invalid_secret(message: &str) -> ConstructionError {
    ConstructionError::new(ConstructionErrorKind::InvalidRequest, message.to_owned())
}

/// `Authorization: <scheme> <credentials>`, marked sensitive.
fn set_authorization(
    request: &mut http::Request<Bytes>,
    scheme: &str,
    credentials: &str,
) -> Result<(), ConstructionError> {
    let mut value = HeaderValue::try_from(format!("{scheme} {credentials}")).map_err(|_| {
        invalid_secret(&format!(
            "the {} credentials contain characters not allowed in a header",
            scheme.to_ascii_lowercase()
        ))
    })?;
    value.set_sensitive(true);
    request
        .headers_mut()
        .insert(http::header::AUTHORIZATION, value);
    Ok(())
}

/// Appends `name=value` (percent-encoded as every query parameter) to the request URI.
fn append_query(
    request: &mut http::Request<Bytes>,
    name: &str,
    value: &str,
) -> Result<(), ConstructionError> {
    let uri = request.uri().to_string();
    let sep = if request.uri().query().is_some() {
        '&'
    } else {
        '?'
    };
    let mut full = String::with_capacity(uri.len() + name.len() + value.len() + 2);
    full.push_str(&uri);
    full.push(sep);
    full.extend(utf8_percent_encode(name, crate::endpoint::COMPONENT));
    full.push('=');
    full.extend(utf8_percent_encode(value, crate::endpoint::COMPONENT));
    // The message must not repeat the URI: it now holds the key.
    *request.uri_mut() = full
        .parse()
        .map_err(|_| invalid_secret("the API key does not fit in a request URI"))?;
    Ok(())
}

/// The query parameters of `op` that carry a secret (API keys in the query), whose values
/// logs and errors must not show.
pub(crate) fn secret_query_params(op: &OperationMeta) -> impl Iterator<Item = &'static str> {
    op.security
        .iter()
        .flat_map(|alt| alt.iter())
        .filter_map(|s| match s {
            SecurityScheme::ApiKeyQuery(name) => Some(*name),
            _ => None,
        })
}

/// `uri` as text with the values of the secret query parameters of `op` replaced by `**`.
pub(crate) fn redacted_uri(uri: &http::Uri, op: &OperationMeta) -> String {
    redact_query(uri, |name| secret_query_params(op).any(|s| s == name), "**")
}

/// `uri` as text with the value of every query parameter whose (percent-decoded) name
/// `is_secret` picks replaced by `mask`.
pub(crate) fn redact_query(
    uri: &http::Uri,
    is_secret: impl Fn(&str) -> bool,
    mask: &str,
) -> String {
    let text = uri.to_string();
    let Some((head, query)) = text.split_once('?') else {
        return text;
    };
    let pairs: Vec<String> = query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((k, _))
                if is_secret(&percent_encoding::percent_decode_str(k).decode_utf8_lossy()) =>
            {
                format!("{k}={mask}")
            }
            _ => pair.to_owned(),
        })
        .collect();
    format!("{head}?{}", pairs.join("&"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meta::{EndpointRule, ErrorRules, Protocol};

    static SVC: ServiceMeta = ServiceMeta {
        name: "keys",
        sdk_id: "Keys",
        protocol: Protocol::Json,
        auth: AuthScheme::PerOperation,
        endpoint: EndpointRule::DefaultUrl("https://api.example.com/v1"),
        path_prefix: "",
        throttling_codes: &[],
        env_prefix: "CLOUDJOBS_KEYS",
        errors: ErrorRules::AWS_JSON,
    };

    fn op(security: &'static [&'static [SecurityScheme]]) -> OperationMeta {
        OperationMeta {
            name: "getThing",
            method: http::Method::GET,
            path: "/thing",
            idempotent: true,
            unsigned: false,
            host_prefix: None,
            success_status: None,
            security,
            upgrade: false,
            accept: None,
        }
    }

    const KEY_HEADER: SecurityScheme = SecurityScheme::ApiKeyHeader("X-Api-Key");
    const KEY_QUERY: SecurityScheme = SecurityScheme::ApiKeyQuery("api key");

    fn request() -> http::Request<Bytes> {
        http::Request::builder()
            .uri("https://api.example.com/v1/thing?a=1")
            .body(Bytes::new())
            .unwrap()
    }

    async fn apply(
        op: &OperationMeta,
        config: &Config,
    ) -> Result<http::Request<Bytes>, ConstructionError> {
        let mut req = request();
        authenticate(&SVC, op, config, &mut req).await?;
        Ok(req)
    }

    fn header<'a>(req: &'a http::Request<Bytes>, name: &str) -> Option<&'a str> {
        req.headers().get(name).map(|v| v.to_str().unwrap())
    }

    #[tokio::test]
    async fn the_first_alternative_with_all_its_credentials_is_applied() {
        static SEC: &[&[SecurityScheme]] = &[
            &[SecurityScheme::Basic, KEY_HEADER],
            &[SecurityScheme::Bearer],
            &[KEY_QUERY],
        ];
        let op = op(SEC);
        // Only the API key: basic+key lacks basic, bearer lacks a token, so the query key.
        let config = Config::builder().api_key("k&1").build();
        let req = apply(&op, &config).await.unwrap();
        assert_eq!(
            req.uri().to_string(),
            "https://api.example.com/v1/thing?a=1&api%20key=k%261"
        );
        assert!(req.headers().get("authorization").is_none());
        assert!(req.headers().get("x-api-key").is_none());
        // Token and key: the bearer alternative comes first.
        let config = Config::builder().api_key("k").bearer_token("t").build();
        let req = apply(&op, &config).await.unwrap();
        assert_eq!(header(&req, "authorization"), Some("Bearer t"));
        assert_eq!(req.uri().query(), Some("a=1"));
        // Basic and key: both of the first alternative, together.
        let config = Config::builder()
            .api_key("k")
            .basic_auth("user", "pa:ss")
            .build();
        let req = apply(&op, &config).await.unwrap();
        assert_eq!(
            header(&req, "authorization"),
            Some("Basic dXNlcjpwYTpzcw==")
        );
        assert_eq!(header(&req, "x-api-key"), Some("k"));
        assert!(req.headers()["authorization"].is_sensitive());
        assert!(req.headers()["x-api-key"].is_sensitive());
    }

    #[tokio::test]
    async fn credentials_come_from_the_environment_too() {
        static SEC: &[&[SecurityScheme]] = &[&[SecurityScheme::Basic]];
        let config = Config::builder()
            .env_var("CLOUDJOBS_KEYS_USERNAME", "u")
            .env_var("CLOUDJOBS_KEYS_PASSWORD", "p")
            .build();
        let req = apply(&op(SEC), &config).await.unwrap();
        assert_eq!(header(&req, "authorization"), Some("Basic dTpw"));
        // A user name without a password is not enough.
        let config = Config::builder()
            .env_var("CLOUDJOBS_KEYS_USERNAME", "u")
            .build();
        assert!(apply(&op(SEC), &config).await.is_err());
        static KEY: &[&[SecurityScheme]] = &[&[KEY_HEADER]];
        let config = Config::builder()
            .env_var("CLOUDJOBS_KEYS_API_KEY", "from-env")
            .build();
        let req = apply(&op(KEY), &config).await.unwrap();
        assert_eq!(header(&req, "x-api-key"), Some("from-env"));
        // The config's key wins.
        let config = Config::builder()
            .env_var("CLOUDJOBS_KEYS_API_KEY", "from-env")
            .api_key("set")
            .build();
        let req = apply(&op(KEY), &config).await.unwrap();
        assert_eq!(header(&req, "x-api-key"), Some("set"));
    }

    #[tokio::test]
    async fn optional_and_absent_security() {
        // `{}` as an alternative: without credentials the call goes as it is.
        static OPTIONAL: &[&[SecurityScheme]] = &[&[SecurityScheme::Bearer], &[]];
        let req = apply(&op(OPTIONAL), &Config::default()).await.unwrap();
        assert!(req.headers().is_empty());
        let config = Config::builder().bearer_token("t").build();
        let req = apply(&op(OPTIONAL), &config).await.unwrap();
        assert_eq!(header(&req, "authorization"), Some("Bearer t"));
        // No requirement: nothing is sent, even with credentials configured.
        let req = apply(&op(&[]), &config).await.unwrap();
        assert!(req.headers().is_empty());
        assert_eq!(req.uri().query(), Some("a=1"));
    }

    #[tokio::test]
    async fn a_missing_credential_names_the_operation_and_the_setters() {
        static SEC: &[&[SecurityScheme]] = &[&[SecurityScheme::Basic], &[KEY_QUERY]];
        let err = apply(&op(SEC), &Config::default()).await.unwrap_err();
        assert_eq!(err.kind(), ConstructionErrorKind::MissingCredentials);
        let text = err.to_string();
        for part in [
            "`getThing`",
            "ConfigBuilder::basic_auth",
            "CLOUDJOBS_KEYS_USERNAME",
            "ConfigBuilder::api_key",
            "CLOUDJOBS_KEYS_API_KEY",
            "`api key`",
        ] {
            assert!(text.contains(part), "{part} missing from: {text}");
        }
        static BEARER: &[&[SecurityScheme]] = &[&[SecurityScheme::Bearer]];
        let err = apply(&op(BEARER), &Config::default()).await.unwrap_err();
        assert_eq!(err.kind(), ConstructionErrorKind::MissingToken);
        assert!(
            err.to_string().contains("ConfigBuilder::bearer_token"),
            "{err}"
        );
        // A blank configured secret counts as missing.
        let config = Config::builder().bearer_token("  ").build();
        assert!(apply(&op(BEARER), &config).await.is_err());
    }

    #[tokio::test]
    async fn secrets_stay_out_of_debug_and_logged_uris() {
        static SEC: &[&[SecurityScheme]] = &[&[KEY_QUERY, SecurityScheme::Basic]];
        let config = Config::builder()
            .api_key("KeyProbe123")
            .basic_auth("UserProbe", "PasswordProbe")
            .bearer_token("TokenProbe")
            .build();
        let debug = format!("{config:?} {config:#?}");
        for secret in ["KeyProbe123", "UserProbe", "PasswordProbe", "TokenProbe"] {
            assert!(!debug.contains(secret), "{debug}");
        }
        let op = op(SEC);
        let req = apply(&op, &config).await.unwrap();
        assert!(req.uri().to_string().contains("KeyProbe123"));
        let logged = redacted_uri(req.uri(), &op);
        assert_eq!(logged, "https://api.example.com/v1/thing?a=1&api%20key=**");
        assert!(!format!("{:?}", req.headers()).contains("UserProbe"));
        assert!(!format!("{:?}", req.headers()).contains(
            &base64::engine::general_purpose::STANDARD.encode("UserProbe:PasswordProbe")
        ));
    }

    #[tokio::test]
    async fn the_bearer_scheme_is_unchanged() {
        static BEARER_SVC: ServiceMeta = ServiceMeta {
            auth: AuthScheme::Bearer,
            ..SVC
        };
        let op = op(&[]);
        let config = Config::builder()
            .env_var("CLOUDJOBS_KEYS_TOKEN", " t ")
            .build();
        let mut req = request();
        authenticate(&BEARER_SVC, &op, &config, &mut req)
            .await
            .unwrap();
        assert_eq!(header(&req, "authorization"), Some("Bearer t"));
        let mut req = request();
        let err = authenticate(&BEARER_SVC, &op, &Config::default(), &mut req)
            .await
            .unwrap_err();
        assert_eq!(err.kind(), ConstructionErrorKind::MissingToken);
    }
}

#[cfg(test)]
mod insecure_tests {
    use super::is_insecure;

    #[test]
    fn only_plain_http_to_other_hosts_is_insecure() {
        let insecure = |u: &str| is_insecure(&u.parse().unwrap());
        assert!(insecure("http://example.com/x"));
        assert!(insecure("http://10.0.0.5:8080/"));
        assert!(insecure("http://127.0.0.1.example.com/"));
        assert!(!insecure("https://example.com/"));
        assert!(!insecure("http://localhost:4566/"));
        assert!(!insecure("http://emulator.localhost/"));
        assert!(!insecure("http://127.0.0.1:1/"));
        assert!(!insecure("http://127.1.2.3/"));
        assert!(!insecure("http://[::1]:80/"));
    }
}
