//! Shared runtime of the cloudjobs clients.
//!
//! Every generated client crate (`cloudjobs-partner-central`, `cloudjobs-macie2`,
//! `cloudjobs-ssm-mw`, `cloudjobs-spaceone-identity`, `cloudjobs-cloud-rewind`) is a thin
//! layer of types and builders over this crate. Everything that does not depend on one
//! particular API lives here once: transport, endpoint resolution, SigV4 and bearer
//! authentication, retries, timeouts, pagination, error parsing and timestamps.
//!
//! The runtime knows nothing about any one API: a generated crate describes its service
//! with a [`ServiceMeta`] and each operation with an implementation of [`Operation`].
//!
//! The modules form layers without cycles; each uses only those above it:
//!
//! 1. leaves: [`meta`] (service and operation descriptions), [`datetime`], [`date`],
//!    `secret`, `config_error`, `app_name`;
//! 2. [`wire`] (requests, responses, text encodings), [`error`], [`validate`],
//!    [`credentials`], [`hooks`];
//! 3. [`config`], [`operation`] (the trait generated code implements);
//! 4. endpoint resolution, authentication, protocol framing and retries, the [`transport`]
//!    that sends requests;
//! 5. the client [`Handle`], the [`paginate`] streams, and [`customize`] (one call with its
//!    own headers, request edits, hooks and configuration overrides); with feature
//!    `test-util`, the test doubles `mock` and `replay`.
//!
//! Beyond the configuration, three ways to shape requests:
//!
//! * per call: every generated fluent builder has `customize()`, which gives a
//!   [`Customized`]: headers (signed like the others), request edits, hooks and a
//!   [`ConfigOverride`] (timeouts, retries, endpoint, region, credentials) for that call only,
//!   then `send()`, `prepare()` (the signed request, not sent) or `into_paginator()`;
//! * for every call of a client: [`Hook`]s registered with [`ConfigBuilder::hook`] see each
//!   request before it is signed and each response once received;
//! * an [`AppName`] ([`ConfigBuilder::app_name`], `AWS_SDK_UA_APP_ID`, or `sdk_ua_app_id` in
//!   the profile) is sent in the `User-Agent` as `app/<name>`.
//!
//! # Test doubles
//!
//! Requests go out through an [`HttpTransport`] (reqwest by default), which
//! [`ConfigBuilder::transport`] replaces. Feature `test-util` adds two doubles: `replay`
//! records the exchanges of a session to a JSON file with secrets redacted, and answers them
//! back with no server; `mock` answers operations from typed rules, at the input/output
//! level, after input validation. Generated crates have a `mock` module (same feature) with
//! one rule constructor per operation. [`Handle::invoke_with_metadata`] (the generated
//! `send_with_metadata()`) returns the output with its [`ResponseMetadata`]: status, request
//! id and headers.

#![warn(missing_docs)]

#[cfg(feature = "aws-config")]
pub mod aws_config;
pub mod bignum;
pub mod blob;
pub mod config;
pub mod credentials;
pub mod customize;
pub mod date;
pub mod datetime;
pub mod endpoint_rules;
pub mod error;
pub mod hooks;
pub mod meta;
#[cfg(feature = "test-util")]
pub mod mock;
pub mod operation;
pub mod paginate;
#[cfg(feature = "test-util")]
pub mod replay;
pub mod transport;
pub mod validate;
pub mod wire;

mod app_name;
mod auth;
mod client;
mod config_error;
mod endpoint;
mod protocol;
mod retry;
mod secret;
mod skew;

pub use bignum::BigNumber;
pub use blob::Blob;
pub use client::{Handle, http_client_builder, install_crypto_provider};
pub use config::{
    AppName, Config, ConfigBuilder, ConfigError, Region, RetryConfig, RetryMode, SecretString,
    TimeoutConfig, Validation,
};
pub use customize::{ConfigOverride, Customized};
pub use date::Date;
pub use datetime::DateTime;
pub use endpoint::sdk_id_env_suffix;
pub use error::{
    ConstructionError, ConstructionErrorKind, DispatchError, Error, ErrorMetadata, HookError,
    HookStage, InvalidInput, PageFailure, PaginationError, ProvideErrorMetadata, ResponseError,
    ResumePoint, Rule, TimeoutError, TimeoutKind, TooLarge,
};
pub use hooks::{AfterResponse, BeforeSign, Hook, SharedHook};
pub use meta::{
    AuthScheme, EndpointRule, ErrorRetry, ErrorRules, OperationMeta, Protocol, SecurityScheme,
    ServiceMeta,
};
pub use operation::Operation;
pub use paginate::{PageStyle, Paginated, Paginator};
pub use retry::RetryStats;
pub use transport::HttpTransport;
pub use wire::{HttpRequest, HttpResponse, ResponseMetadata, WithMetadata};

/// UUIDs (OpenAPI `format: uuid`): the `uuid` crate's type, written in its hyphenated form
/// by serde.
pub use uuid::Uuid;

/// The connection an upgrade operation hands back after `101 Switching Protocols`
/// (`AsyncRead + AsyncWrite`; speak the new protocol, e.g. WebSocket frames, over it).
pub use reqwest::Upgraded;

/// The `aws-credential-types` crate, for custom credential providers.
pub use aws_credential_types;
/// AWS credentials, and the trait of their providers (from `aws-credential-types`).
pub use aws_credential_types::{Credentials, provider::ProvideCredentials};

/// Re-exports used by generated code. Not part of the public API.
#[doc(hidden)]
pub mod __private {
    pub use bytes;
    pub use http;
    pub use regex_lite;
    pub use serde;
    pub use serde_json;

    /// The body to decode as JSON: an empty (or whitespace-only) body, or `null`, reads as
    /// `{}`, so outputs whose members are all optional decode from it.
    pub fn json_body(body: &[u8]) -> &[u8] {
        let trimmed = body.trim_ascii();
        if trimmed.is_empty() || trimmed == b"null" {
            b"{}"
        } else {
            body
        }
    }
}
