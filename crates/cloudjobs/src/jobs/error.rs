//! The error of one service in a cross-service operation.

use std::fmt;

use cloudjobs_runtime::{Error, ProvideErrorMetadata};

use crate::job::Service;

/// What kind of failure a [`ServiceError`] is.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The service's cargo feature is off in this build; nothing was sent.
    NotEnabled,
    /// The input broke a constraint of the service's spec; nothing was sent.
    InvalidInput,
    /// The request could not be built (no region, credentials, token or endpoint); nothing was
    /// sent.
    Configuration,
    /// The service answered with an error.
    Service {
        /// The service's error code (`AccessDeniedException`, `ERROR_NOT_FOUND`, ...).
        code: Option<String>,
        /// HTTP status.
        status: u16,
    },
    /// The service answered, but the job is not in the scope it was looked for in.
    NotFound,
    /// The request could not be sent or the answer not read (connection, timeout, decoding).
    Transport,
}

/// A failure of one service while listing or watching jobs across services: names the
/// service, and what was being asked (a catalog, a window execution, a job id).
#[derive(Debug)]
pub struct ServiceError {
    service: Service,
    context: Option<String>,
    kind: ErrorKind,
    message: String,
    source: Option<Box<dyn std::error::Error + Send + Sync + 'static>>,
}

impl ServiceError {
    /// An error of `service` with `kind` and `message`.
    pub fn new(service: Service, kind: ErrorKind, message: impl Into<String>) -> ServiceError {
        ServiceError {
            service,
            context: None,
            kind,
            message: message.into(),
            source: None,
        }
    }

    /// Converts an error of a generated client of `service`.
    pub fn from_sdk<E>(service: Service, err: Error<E>) -> ServiceError
    where
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    {
        // A paginator's failed page wraps the error of the request (with where to resume).
        let (kind, message) = match err.inner() {
            Error::InvalidInput(e) => (ErrorKind::InvalidInput, e.to_string()),
            Error::Construction(e) => (ErrorKind::Configuration, e.to_string()),
            Error::Service { err: e, .. } => {
                let meta = e.meta();
                (
                    ErrorKind::Service {
                        code: meta.code.clone(),
                        status: meta.status,
                    },
                    meta.to_string(),
                )
            }
            _ => (ErrorKind::Transport, err.to_string()),
        };
        ServiceError {
            service,
            context: None,
            kind,
            message,
            source: Some(Box::new(err)),
        }
    }

    /// The error when `service`'s cargo feature is off.
    pub fn not_enabled(service: Service) -> ServiceError {
        ServiceError::new(
            service,
            ErrorKind::NotEnabled,
            format!(
                "this build has no `{service}` client (enable the cloudjobs feature `{service}`)"
            ),
        )
    }

    /// Says what was being asked, e.g. `catalog AWS` or `job job-3b124006c2d2`.
    pub fn with_context(mut self, context: impl Into<String>) -> ServiceError {
        self.context = Some(context.into());
        self
    }

    /// The service that failed.
    pub fn service(&self) -> Service {
        self.service
    }

    /// What kind of failure it is.
    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }

    /// What was being asked, if known.
    pub fn context(&self) -> Option<&str> {
        self.context.as_deref()
    }

    /// The message, without the service name.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for ServiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.service)?;
        if let Some(context) = &self.context {
            write!(f, " ({context})")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for ServiceError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}
