//! How a generated crate describes its service and operations to the runtime.

use crate::config::Validation;
use crate::error::{ErrorMetadata, InvalidInput, ProvideErrorMetadata};

/// The wire protocol of a service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// `POST /`, `Content-Type: application/x-amz-json-1.0`, `X-Amz-Target: <prefix>.<Operation>`.
    AwsJson1_0 {
        /// The `X-Amz-Target` prefix, e.g. `AWSPartnerCentralSelling`.
        target_prefix: &'static str,
    },
    /// As `AwsJson1_0` with `Content-Type: application/x-amz-json-1.1`.
    AwsJson1_1 {
        /// The `X-Amz-Target` prefix, e.g. `AmazonSSM`.
        target_prefix: &'static str,
    },
    /// AWS restJson1: method and path from the operation, `Content-Type: application/json`.
    RestJson1,
    /// Plain JSON over HTTP (the two OpenAPI services): method, path labels and query from the
    /// operation, JSON body when there is one, errors told apart by HTTP status.
    Json,
}

/// How requests of a service are authenticated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthScheme {
    /// AWS Signature Version 4 with the given signing name (credential scope service).
    SigV4 {
        /// The SigV4 signing name, e.g. `ssm`.
        signing_name: &'static str,
    },
    /// `Authorization: Bearer <token>`.
    Bearer,
}

/// Where a service's endpoint comes from when the config does not override it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EndpointRule {
    /// `https://{prefix}.{region}.{dns_suffix}`, where `dns_suffix` is the partition's DNS suffix
    /// (`amazonaws.com`, `amazonaws.com.cn`, ...) or, when `dual_stack_only`, its dual-stack suffix
    /// (`api.aws`, `api.amazonwebservices.com.cn`, ...).
    AwsRegional {
        /// Endpoint prefix, e.g. `ssm`.
        prefix: &'static str,
        /// The service only has dual-stack endpoints (Partner Central: `api.aws`).
        dual_stack_only: bool,
    },
    /// No default: the user must configure a base URL (SpaceONE, Cloud Rewind).
    BaseUrl,
}

/// Static description of one service, emitted by the generator.
#[derive(Debug, Clone, Copy)]
pub struct ServiceMeta {
    /// Short name used in logs and errors, e.g. `ssm`.
    pub name: &'static str,
    /// Human name of the service, e.g. `SSM`.
    pub sdk_id: &'static str,
    /// Wire protocol.
    pub protocol: Protocol,
    /// Authentication scheme.
    pub auth: AuthScheme,
    /// Default endpoint rule.
    pub endpoint: EndpointRule,
    /// Path prefix common to every operation path (`/identity/v2` for SpaceONE, else empty).
    /// `Config::path_prefix` replaces it.
    pub path_prefix: &'static str,
    /// Service error codes that mean throttling (retried with backoff), besides HTTP 429.
    pub throttling_codes: &'static [&'static str],
    /// Environment variable prefix for service-specific settings, e.g. `CLOUDJOBS_SPACEONE`
    /// (`<prefix>_ENDPOINT_URL`, `<prefix>_TOKEN`, `<prefix>_PATH_PREFIX`).
    pub env_prefix: &'static str,
}

/// Static description of one operation, emitted by the generator.
///
/// (Not `Copy`: `http::Method` is not.)
#[derive(Debug, Clone)]
pub struct OperationMeta {
    /// Operation name as in the spec, e.g. `ListClassificationJobs` or `list`.
    pub name: &'static str,
    /// HTTP method.
    pub method: http::Method,
    /// Path template relative to the service path prefix, with `{label}` placeholders,
    /// e.g. `/jobs/list`. `Config::path_override(name, ..)` replaces it.
    pub path: &'static str,
    /// The operation has no side effects and may always be retried.
    pub idempotent: bool,
}

/// The protocol-independent part of a request, built by generated code from an input.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HttpRequest {
    /// Values for the `{label}` placeholders of the path template (not yet percent-encoded).
    pub labels: Vec<(&'static str, String)>,
    /// Query parameters (not yet percent-encoded), in order.
    pub query: Vec<(&'static str, String)>,
    /// JSON body, if the operation sends one.
    pub body: Option<Vec<u8>>,
}

/// A response as received, handed to generated code for decoding.
#[derive(Debug, Clone)]
pub struct HttpResponse {
    /// HTTP status code.
    pub status: u16,
    /// Response headers.
    pub headers: http::HeaderMap,
    /// The whole body.
    pub body: bytes::Bytes,
}

/// One operation of one service. Implemented by generated code; executed by
/// [`Handle::invoke`](crate::Handle::invoke).
pub trait Operation: Send + Sync + 'static {
    /// The input (request) type.
    type Input: Clone + Send + Sync + 'static;
    /// The output (response) type.
    type Output: Send + 'static;
    /// The modeled errors of the operation.
    type Error: std::error::Error + ProvideErrorMetadata + Send + Sync + 'static;

    /// The service the operation belongs to.
    const SERVICE: &'static ServiceMeta;
    /// The operation itself.
    const META: OperationMeta;

    /// Checks the input against the spec's constraints. Required members are always checked;
    /// the others only when `mode` is [`Validation::Full`].
    fn validate(input: &Self::Input, mode: Validation) -> Result<(), InvalidInput>;

    /// Turns the input into path labels, query and JSON body.
    fn serialize(input: &Self::Input) -> Result<HttpRequest, serde_json::Error>;

    /// Decodes a successful (2xx) response.
    fn deserialize_output(response: &HttpResponse) -> Result<Self::Output, serde_json::Error>;

    /// Decodes an error response. `meta` is what the runtime read from it following the
    /// protocol's rules (code, message, request id, status); the generated code picks the
    /// modeled variant, or `Unhandled`.
    fn deserialize_error(meta: ErrorMetadata, response: &HttpResponse) -> Self::Error;
}
