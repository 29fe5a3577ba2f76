//! Hooks: code registered once on a [`Config`](crate::Config) that sees every request of a
//! client just before it is signed, and every response as soon as it is received.
//!
//! A hook is a value implementing [`Hook`], given to
//! [`ConfigBuilder::hook`](crate::ConfigBuilder::hook) (several may be registered; they run in
//! the order they were added), or to one call only with
//! [`Customized::hook`](crate::Customized::hook) (after the config's hooks).
//!
//! * [`Hook::before_sign`] runs for every attempt (retries included, and for
//!   [`Handle::prepare`](crate::Handle::prepare)), on the request as the protocol built it,
//!   before authentication: headers it adds are covered by the SigV4 signature like any other
//!   (except the headers SigV4 never signs: `user-agent`, `accept`, `x-amzn-trace-id`, ...).
//! * [`Hook::after_response`] runs for every response received (error responses and the
//!   responses of attempts that are then retried included), before the runtime decodes it;
//!   not for the answer to a protocol upgrade's handshake. It only reads.
//!
//! An error returned by a hook ends the call at once with [`Error::Hook`](crate::Error::Hook),
//! which names the hook and the stage; it is not retried.
//!
//! Hooks are synchronous: they should not block (no network, no locks held for long).
//!
//! ```
//! use cloudjobs_runtime::{AfterResponse, BeforeSign, Config, Hook};
//!
//! /// Adds a trace id to every request and logs every status.
//! #[derive(Debug)]
//! struct TraceIds;
//!
//! impl Hook for TraceIds {
//!     fn name(&self) -> &str {
//!         "trace-ids"
//!     }
//!     fn before_sign(
//!         &self,
//!         request: &mut BeforeSign<'_>,
//!     ) -> Result<(), cloudjobs_runtime::error::BoxError> {
//!         let id = format!("{}-{}", request.operation(), request.attempt());
//!         request.headers_mut().insert("x-trace-id", id.parse()?);
//!         Ok(())
//!     }
//!     fn after_response(
//!         &self,
//!         response: &AfterResponse<'_>,
//!     ) -> Result<(), cloudjobs_runtime::error::BoxError> {
//!         println!("{} answered {}", response.operation(), response.status());
//!         Ok(())
//!     }
//! }
//!
//! let config = Config::builder().hook(TraceIds).build();
//! assert_eq!(config.hooks().len(), 1);
//! ```

use std::fmt;
use std::sync::Arc;

use bytes::Bytes;

use crate::error::{BoxError, HookError, HookStage};
use crate::meta::{OperationMeta, ServiceMeta};
use crate::wire::HttpResponse;

/// Code that sees every request before it is signed and every response once received. See
/// the [module docs](self).
pub trait Hook: Send + Sync + fmt::Debug {
    /// The name errors give the hook. By default the type's name.
    fn name(&self) -> &str {
        std::any::type_name::<Self>()
    }

    /// Called for every attempt, before the request is signed: headers and URI may be
    /// changed (and are then signed). An error ends the call with
    /// [`Error::Hook`](crate::Error::Hook); nothing is sent for this attempt.
    fn before_sign(&self, request: &mut BeforeSign<'_>) -> Result<(), BoxError> {
        let _ = request;
        Ok(())
    }

    /// Called for every response received, before it is decoded (read-only). An error ends
    /// the call with [`Error::Hook`](crate::Error::Hook); the response is dropped.
    fn after_response(&self, response: &AfterResponse<'_>) -> Result<(), BoxError> {
        let _ = response;
        Ok(())
    }
}

/// A hook behind an `Arc` is a hook: register a clone and keep the other to read what the
/// hook gathered.
impl<H: Hook + ?Sized> Hook for Arc<H> {
    fn name(&self) -> &str {
        (**self).name()
    }

    fn before_sign(&self, request: &mut BeforeSign<'_>) -> Result<(), BoxError> {
        (**self).before_sign(request)
    }

    fn after_response(&self, response: &AfterResponse<'_>) -> Result<(), BoxError> {
        (**self).after_response(response)
    }
}

/// A shared hook, as a [`Config`](crate::Config) keeps it.
pub type SharedHook = Arc<dyn Hook>;

/// The request of one attempt, before it is signed, as [`Hook::before_sign`] sees it.
#[derive(Debug)]
pub struct BeforeSign<'a> {
    request: &'a mut http::Request<Bytes>,
    service: &'static str,
    operation: &'static str,
    attempt: u32,
}

impl BeforeSign<'_> {
    /// The request (method, URI, headers, body) as it stands.
    pub fn request(&self) -> &http::Request<Bytes> {
        self.request
    }

    /// The headers, to add, replace or remove some. `Host` and `Content-Length` are set
    /// again from the URI and the body after the hooks ran.
    pub fn headers_mut(&mut self) -> &mut http::HeaderMap {
        self.request.headers_mut()
    }

    /// The URI, to change the query or the path.
    pub fn uri_mut(&mut self) -> &mut http::Uri {
        self.request.uri_mut()
    }

    /// The service's short name (as in logs and errors, e.g. `ssm`).
    pub fn service(&self) -> &'static str {
        self.service
    }

    /// The operation's name in the spec (e.g. `DescribeMaintenanceWindowExecutionTasks`).
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// The attempt number, from 1.
    pub fn attempt(&self) -> u32 {
        self.attempt
    }
}

/// A response as [`Hook::after_response`] sees it.
#[derive(Debug)]
pub struct AfterResponse<'a> {
    response: &'a HttpResponse,
    service: &'static str,
    operation: &'static str,
    attempt: u32,
}

impl AfterResponse<'_> {
    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.response.status
    }

    /// The response headers.
    pub fn headers(&self) -> &http::HeaderMap {
        &self.response.headers
    }

    /// The whole response body.
    pub fn body(&self) -> &Bytes {
        &self.response.body
    }

    /// The request id the service gave (`x-amzn-requestid`, `x-amz-request-id` or
    /// `x-request-id`), if any.
    pub fn request_id(&self) -> Option<&str> {
        crate::client::request_id_of(&self.response.headers)
    }

    /// The service's short name (as in logs and errors, e.g. `ssm`).
    pub fn service(&self) -> &'static str {
        self.service
    }

    /// The operation's name in the spec.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// The attempt number, from 1.
    pub fn attempt(&self) -> u32 {
        self.attempt
    }
}

/// Runs the `before_sign` of every hook, in order, then sets `Host` and `Content-Length`
/// again from the URI and body (a hook may have changed the URI).
pub(crate) fn run_before_sign(
    hooks: &[SharedHook],
    service: &'static ServiceMeta,
    op: &OperationMeta,
    attempt: u32,
    request: &mut http::Request<Bytes>,
) -> Result<(), HookError> {
    if hooks.is_empty() {
        return Ok(());
    }
    let mut view = BeforeSign {
        request,
        service: service.name,
        operation: op.name,
        attempt,
    };
    for hook in hooks {
        hook.before_sign(&mut view)
            .map_err(|e| HookError::new(hook.name(), HookStage::BeforeSign, attempt, e))?;
    }
    refresh_derived_headers(view.request);
    Ok(())
}

/// Runs the `after_response` of every hook, in order.
pub(crate) fn run_after_response(
    hooks: &[SharedHook],
    service: &'static ServiceMeta,
    op: &OperationMeta,
    attempt: u32,
    response: &HttpResponse,
) -> Result<(), HookError> {
    let view = AfterResponse {
        response,
        service: service.name,
        operation: op.name,
        attempt,
    };
    for hook in hooks {
        hook.after_response(&view)
            .map_err(|e| HookError::new(hook.name(), HookStage::AfterResponse, attempt, e))?;
    }
    Ok(())
}

/// Sets `Host` from the URI's authority and `Content-Length` from the body, so that what
/// is signed matches what is sent after a hook or a request mutation changed them.
pub(crate) fn refresh_derived_headers(request: &mut http::Request<Bytes>) {
    let len = request.body().len();
    if let Some(authority) = request.uri().authority()
        && let Ok(host) = http::HeaderValue::from_str(authority.as_str())
    {
        request.headers_mut().insert(http::header::HOST, host);
    }
    request
        .headers_mut()
        .insert(http::header::CONTENT_LENGTH, http::HeaderValue::from(len));
}
