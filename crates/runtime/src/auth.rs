//! Request authentication: SigV4 (through `aws-sigv4`) and bearer tokens.

use std::time::SystemTime;

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{SignableBody, SignableRequest, SigningSettings, sign};
use aws_sigv4::sign::v4;
use bytes::Bytes;
use http::HeaderValue;

use crate::config::Config;
use crate::error::{ConstructionError, ConstructionErrorKind, describe};
use crate::meta::{AuthScheme, OperationMeta, ServiceMeta};

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
/// unsigned operation is sent as it is.
pub(crate) async fn authenticate(
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
            let creds = cache.get(now).await.map_err(|e| {
                ConstructionError::new(
                    ConstructionErrorKind::MissingCredentials,
                    format!("could not load AWS credentials: {}", describe(&e)),
                )
            })?;
            sign_sigv4(request, &creds, region.as_str(), signing_name, now)
        }
        AuthScheme::Bearer => {
            let env_name = format!("{}_TOKEN", service.env_prefix);
            let token = config
                .bearer_token
                .as_ref()
                .map(|t| t.expose_secret())
                .or_else(|| config.env.get(&env_name));
            let Some(token) = token.map(str::trim).filter(|t| !t.is_empty()) else {
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
            let mut value = HeaderValue::try_from(format!("Bearer {token}")).map_err(|_| {
                ConstructionError::new(
                    ConstructionErrorKind::InvalidRequest,
                    "the bearer token contains characters not allowed in a header",
                )
            })?;
            value.set_sensitive(true);
            request
                .headers_mut()
                .insert(http::header::AUTHORIZATION, value);
            Ok(())
        }
    }
}
