//! Request authentication: SigV4 (through `aws-sigv4`) and bearer tokens.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use aws_credential_types::Credentials;
use aws_credential_types::provider::ProvideCredentials;
use aws_credential_types::provider::error::CredentialsError;
use aws_sigv4::http_request::{SignableBody, SignableRequest, SigningSettings, sign};
use aws_sigv4::sign::v4;
use bytes::Bytes;
use http::HeaderValue;

use crate::config::Config;
use crate::error::{ConstructionError, ConstructionErrorKind};
use crate::operation::ServiceMeta;

/// Credentials are fetched again when they expire within this margin.
pub(crate) const EXPIRY_MARGIN: Duration = Duration::from_secs(300);

/// The only headers SigV4 covers besides `host`, `x-amz-date` and `x-amz-security-token`
/// (what botocore signs, so signatures match the golden vectors).
const SIGNED_HEADERS: [&str; 2] = ["content-type", "x-amz-target"];

/// A credentials provider with a cache that refreshes credentials before they expire.
pub(crate) struct CredentialsCache {
    provider: Arc<dyn ProvideCredentials>,
    provider_type: &'static str,
    cached: tokio::sync::Mutex<Option<Credentials>>,
}

impl fmt::Debug for CredentialsCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never the provider's own Debug: `Credentials` prints its access key id.
        f.debug_struct("CredentialsProvider")
            .field("type", &self.provider_type)
            .finish_non_exhaustive()
    }
}

impl CredentialsCache {
    pub(crate) fn new<P: ProvideCredentials + 'static>(provider: P) -> Self {
        let provider_type = std::any::type_name::<P>();
        CredentialsCache {
            provider: Arc::new(provider),
            provider_type,
            cached: tokio::sync::Mutex::new(None),
        }
    }

    /// Valid credentials at `now`: cached ones unless they expire within the margin.
    pub(crate) async fn get(&self, now: SystemTime) -> Result<Credentials, CredentialsError> {
        let mut cached = self.cached.lock().await;
        if let Some(creds) = cached.as_ref() {
            let fresh = match creds.expiry() {
                None => true,
                Some(expiry) => now + EXPIRY_MARGIN < expiry,
            };
            if fresh {
                return Ok(creds.clone());
            }
            tracing::debug!("cached credentials expire soon, refreshing");
        }
        let creds = self.provider.provide_credentials().await?;
        *cached = Some(creds.clone());
        Ok(creds)
    }
}

/// Describes a credentials error with its whole source chain (the top-level `Display` of
/// `CredentialsError` hides the reason).
pub(crate) fn describe(err: &dyn std::error::Error) -> String {
    let mut out = err.to_string();
    let mut source = err.source();
    while let Some(e) = source {
        out.push_str(": ");
        out.push_str(&e.to_string());
        source = e.source();
    }
    out
}

/// Signs `request` with SigV4 for `signing_name` in `region` at `time`, covering exactly
/// `content-type`, `host`, `x-amz-date`, `x-amz-target` (when present) and
/// `x-amz-security-token` (when the credentials have a session token).
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
    let headers: Vec<(&str, &str)> = SIGNED_HEADERS
        .iter()
        .filter_map(|name| {
            request
                .headers()
                .get(*name)
                .and_then(|v| v.to_str().ok())
                .map(|v| (*name, v))
        })
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

/// Adds SigV4 or bearer authentication to `request`, as the service's scheme says.
pub(crate) async fn authenticate(
    service: &ServiceMeta,
    config: &Config,
    request: &mut http::Request<Bytes>,
) -> Result<(), ConstructionError> {
    match service.auth {
        crate::operation::AuthScheme::SigV4 { signing_name } => {
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
        crate::operation::AuthScheme::Bearer => {
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
