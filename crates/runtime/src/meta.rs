//! Static descriptions of services and operations, emitted by the generator. A leaf module:
//! it depends on nothing else in the crate.

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
    /// OpenAPI security schemes, chosen per operation: see [`OperationMeta::security`].
    PerOperation,
}

/// One OpenAPI security scheme, as an operation applies it. The credentials come from the
/// [`Config`](crate::Config): [`bearer_token`](crate::ConfigBuilder::bearer_token),
/// [`basic_auth`](crate::ConfigBuilder::basic_auth) or
/// [`api_key`](crate::ConfigBuilder::api_key) (or `<PREFIX>_TOKEN`,
/// `<PREFIX>_USERNAME`/`<PREFIX>_PASSWORD`, `<PREFIX>_API_KEY`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecurityScheme {
    /// `Authorization: Bearer <token>`.
    Bearer,
    /// `Authorization: Basic base64(<user>:<password>)`.
    Basic,
    /// The API key in this header.
    ApiKeyHeader(&'static str),
    /// The API key in this query parameter.
    ApiKeyQuery(&'static str),
}

/// Where a service's endpoint comes from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum EndpointRule {
    /// The model's Smithy endpoint rule set, which also decides what a configured endpoint URL,
    /// FIPS and dual-stack do.
    RuleSet(&'static crate::endpoint_rules::RuleSet),
    /// For a model without a rule set: `https://{prefix}.{region}.{dns_suffix}`, where `dns_suffix` is the partition's DNS suffix
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
    /// This base URL (scheme, host, optional port and base path, e.g.
    /// `https://api.example.com/v1`) unless the user configures another one.
    DefaultUrl(&'static str),
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
    /// Where error responses keep their code, message and request id.
    pub errors: ErrorRules,
}

/// Where an error response keeps its code, message and request id: data the generator
/// derives from the protocol and the spec's error shapes, read by
/// [`ErrorMetadata::from_response`](crate::ErrorMetadata::from_response).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ErrorRules {
    /// Headers that hold the error code, tried first, in order (`x-amzn-errortype`).
    pub code_headers: &'static [&'static str],
    /// JSON pointers (RFC 6901) into the body where the code may be, in order.
    pub code_pointers: &'static [&'static str],
    /// The code is an AWS error type to sanitize (namespace and `:` suffix cut).
    pub sanitize_code: bool,
    /// JSON pointers where the message may be, in order. A pointer matches only a
    /// non-empty string.
    pub message_pointers: &'static [&'static str],
    /// Without a message in the body, use the HTTP reason phrase (`Not Found`).
    pub reason_as_message: bool,
    /// Headers that hold the request id, in order.
    pub request_id_headers: &'static [&'static str],
}

impl ErrorRules {
    /// The rules of the AWS JSON protocols (awsJson1_0, awsJson1_1, restJson1): the code in
    /// `X-Amzn-Errortype`, else the body's `code`, else `__type`, sanitized; the message in
    /// `message` or `Message`; the request id in `x-amzn-RequestId` or `x-amz-request-id`.
    pub const AWS_JSON: ErrorRules = ErrorRules {
        code_headers: &["x-amzn-errortype"],
        code_pointers: &["/code", "/__type"],
        sanitize_code: true,
        message_pointers: &["/message", "/Message"],
        reason_as_message: false,
        request_id_headers: &["x-amzn-requestid", "x-amz-request-id"],
    };
}

/// How the spec says a modeled error may be retried (`smithy.api#retryable`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorRetry {
    /// A transient error: retried like a server error.
    Transient,
    /// Throttling: retried with the throttling cost and backoff.
    Throttling,
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
    /// The operation may be replayed after a partial send (`smithy.api#idempotent`, or
    /// read-only): a broken connection or an attempt timeout is retried.
    pub idempotent: bool,
    /// Sent without authentication (`smithy.api#optionalAuth`, or an empty auth list).
    pub unsigned: bool,
    /// Template of the host prefix (`{AccountId}.jobs.`); `{x}` is filled from
    /// [`HttpRequest::host_labels`](crate::HttpRequest::host_labels).
    pub host_prefix: Option<&'static str>,
    /// HTTP status of a successful response when the spec names one besides 2xx.
    pub success_status: Option<u16>,
    /// With [`AuthScheme::PerOperation`]: the alternatives of the operation's security
    /// requirement, in spec order; each lists schemes applied together. The first
    /// alternative whose credentials are all configured is used; an empty alternative lets
    /// the call go without credentials, and an empty list means the operation never sends
    /// any. Ignored by the other schemes.
    pub security: &'static [&'static [SecurityScheme]],
    /// The operation switches protocols (WebSocket, `101 Switching Protocols`): the request
    /// carries the handshake headers, and the connection is handed back instead of an
    /// output ([`Handle::upgrade`](crate::Handle::upgrade)).
    pub upgrade: bool,
    /// The `Accept` header the spec's success responses call for (`application/json;
    /// charset=utf-8`, `text/plain`, `*/*` for raw bytes). `None`: the protocol's default
    /// (`application/json` for [`Protocol::Json`], none for the AWS protocols).
    pub accept: Option<&'static str>,
}
