//! What can go wrong, and the exit code of each.

use std::fmt;

use cloudjobs_runtime::{Error, ProvideErrorMetadata};

/// Exit code of a service or transport failure ("could not ask", for `watch`).
pub const EXIT_FAILURE: u8 = 1;
/// Exit code of a usage error: bad arguments, input refused by the client before sending, or
/// a configuration that cannot work (no region, no credentials, bad endpoint).
pub const EXIT_USAGE: u8 = 2;
/// `watch`: a job failed.
pub const EXIT_JOB_FAILED: u8 = 3;
/// `watch`: a job was cancelled.
pub const EXIT_JOB_CANCELLED: u8 = 4;
/// `watch`: a job is paused (settled, may resume).
pub const EXIT_JOB_PAUSED: u8 = 5;
/// `watch`: the deadline passed before a job settled.
pub const EXIT_TIMED_OUT: u8 = 6;

/// A failed command. `main` prints it as `error: <Display>` on stderr and exits with
/// [`CliError::exit_code`].
#[derive(Debug)]
pub enum CliError {
    /// Bad input or configuration; nothing was sent.
    Usage(String),
    /// The service answered with an error.
    Service {
        /// The service's error code (`DoesNotExistException`, `ERROR_NOT_FOUND`, ...).
        code: String,
        /// The service's message.
        message: String,
        /// HTTP status.
        status: u16,
        /// Request id, when the service sent one.
        request_id: Option<String>,
    },
    /// Anything else: connection failures, timeouts, undecodable responses, I/O.
    Other(String),
    /// A command that ran but whose result has its own exit code (`watch` of a job that
    /// failed, `jobs` with a service that could not be asked).
    Exit {
        /// The exit code.
        code: u8,
        /// What to print after `error: `.
        message: String,
    },
}

impl CliError {
    /// The process exit code for this error.
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Usage(_) => EXIT_USAGE,
            CliError::Service { .. } | CliError::Other(_) => EXIT_FAILURE,
            CliError::Exit { code, .. } => *code,
        }
    }

    /// Converts an error of the cross-service layer: input or configuration refused before
    /// sending is a usage error; the rest (service answers, transport, a job not found) is a
    /// failure to ask. The message names the service.
    pub fn from_service(err: &cloudjobs::jobs::ServiceError) -> CliError {
        use cloudjobs::jobs::ErrorKind;
        match err.kind() {
            ErrorKind::InvalidInput | ErrorKind::Configuration | ErrorKind::NotEnabled => {
                CliError::Usage(err.to_string())
            }
            _ => CliError::Other(err.to_string()),
        }
    }

    /// Converts an error of any generated client.
    pub fn from_sdk<E: ProvideErrorMetadata>(err: Error<E>) -> CliError {
        match &err {
            Error::InvalidInput(invalid) => CliError::Usage(invalid.to_string()),
            Error::Construction(c) => CliError::Usage(c.to_string()),
            Error::Service { err: service, .. } => {
                let meta = service.meta();
                CliError::Service {
                    code: meta
                        .code
                        .clone()
                        .unwrap_or_else(|| "UnknownError".to_owned()),
                    message: meta.message.clone().unwrap_or_default(),
                    status: meta.status,
                    request_id: meta.request_id.clone(),
                }
            }
            _ => CliError::Other(err.to_string()),
        }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CliError::Usage(m) | CliError::Other(m) | CliError::Exit { message: m, .. } => {
                f.write_str(m)
            }
            CliError::Service {
                code,
                message,
                status,
                request_id,
            } => {
                write!(f, "{code}: {message} (HTTP {status}")?;
                if let Some(id) = request_id {
                    write!(f, ", request id {id}")?;
                }
                f.write_str(")")
            }
        }
    }
}

impl std::error::Error for CliError {}

impl<E: ProvideErrorMetadata> From<Error<E>> for CliError {
    fn from(err: Error<E>) -> Self {
        CliError::from_sdk(err)
    }
}

impl From<std::io::Error> for CliError {
    fn from(err: std::io::Error) -> Self {
        CliError::Other(err.to_string())
    }
}
