//! The trait every generated operation implements, and (re-exported) the types it uses.

use crate::error::{ErrorMetadata, InvalidInput, ProvideErrorMetadata};
use crate::validate::Validation;

pub use crate::meta::{
    AuthScheme, EndpointRule, ErrorRetry, ErrorRules, OperationMeta, Protocol, SecurityScheme,
    ServiceMeta,
};
pub use crate::wire::{HttpRequest, HttpResponse};

/// One operation of one service. Implemented by generated code; executed by
/// [`Handle::invoke`](crate::Handle::invoke).
pub trait Operation: Send + Sync + 'static {
    /// The input (request) type.
    type Input: Clone + std::fmt::Debug + Send + Sync + 'static;
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

    /// Turns the input into path labels, query, headers, host labels and body.
    fn serialize(input: &Self::Input) -> Result<HttpRequest, serde_json::Error>;

    /// Whether a response with this status is a success (decoded by
    /// [`deserialize_output`](Self::deserialize_output)) rather than an error: by default any
    /// 2xx and the operation's `success_status`. Operations whose outputs are chosen by
    /// status (including 3xx ones) list their own.
    fn is_success(status: u16) -> bool {
        (200..300).contains(&status) || Self::META.success_status == Some(status)
    }

    /// Decodes a successful response (2xx, or the operation's `success_status`): body members
    /// from the JSON body (or the payload member from the whole body), bound members from
    /// headers and the status.
    fn deserialize_output(response: &HttpResponse) -> Result<Self::Output, serde_json::Error>;

    /// Decodes an error response. `meta` is what the runtime read from it following the
    /// protocol's rules (code, message, request id, status); the generated code picks the
    /// modeled variant, or `Unhandled`.
    fn deserialize_error(meta: ErrorMetadata, response: &HttpResponse) -> Self::Error;

    /// Whether the spec marks this error retryable (`smithy.api#retryable`), and how. `None`
    /// leaves the decision to the status and code (throttling codes, 429, 5xx).
    fn modeled_retry(error: &Self::Error) -> Option<ErrorRetry> {
        let _ = error;
        None
    }
}
