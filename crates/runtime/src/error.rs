//! Error types shared by every client.
//!
//! CONTRACT (helper fills in Display/impls; keep the public shape):

/// The constraint an input value broke.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Rule {
    /// A required member was not set.
    Required,
    /// A string did not match the pattern.
    Pattern(&'static str),
    /// A number was outside `min..=max` (either bound may be absent).
    Range { min: Option<f64>, max: Option<f64> },
    /// A string's length (in characters) or a list's size was outside `min..=max`.
    Length { min: Option<u64>, max: Option<u64> },
    /// A value was not one of the enum's known values.
    Enum(&'static [&'static str]),
}

/// An input was refused before anything was sent.
#[derive(Debug, Clone, PartialEq)]
pub struct InvalidInput {
    /// Path of the offending member, e.g. `Filters[2].Values[0]` (wire names).
    pub field: String,
    /// The rule it broke.
    pub rule: Rule,
    /// Human-readable explanation naming the field, the rule and the value seen.
    pub message: String,
}

/// What the runtime reads from every error response, whatever the protocol.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ErrorMetadata {
    /// Error code (sanitized AWS error type, or the service's own code), if any.
    pub code: Option<String>,
    /// Error message, if any.
    pub message: Option<String>,
    /// Request id (`x-amzn-RequestId` and friends), if any.
    pub request_id: Option<String>,
    /// HTTP status.
    pub status: u16,
}

/// Access to the metadata of a service error. Implemented by every generated error enum.
pub trait ProvideErrorMetadata {
    /// The metadata read from the response.
    fn meta(&self) -> &ErrorMetadata;
    /// Error code.
    fn code(&self) -> Option<&str> { self.meta().code.as_deref() }
    /// Error message.
    fn message(&self) -> Option<&str> { self.meta().message.as_deref() }
    /// Request id.
    fn request_id(&self) -> Option<&str> { self.meta().request_id.as_deref() }
}

/// The result error of every operation: `E` is the operation's modeled error enum.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<E> {
    /// The input broke a constraint; nothing was sent.
    InvalidInput(InvalidInput),
    /// The service answered with an error (modeled variant or `Unhandled`).
    Service {
        /// The modeled error.
        err: E,
        /// Attempts made.
        attempts: u32,
    },
    /// Placeholder for the variants the runtime defines (construction, dispatch, timeout,
    /// unparseable response). See issue 3.
    Other(Box<dyn std::error::Error + Send + Sync>),
}
