//! The application name sent in the `User-Agent`.

use std::fmt;

use crate::config_error::ConfigError;

/// The name of the application using the client, sent in every request's `User-Agent` as
/// `app/<name>` (as the AWS SDKs do), so the service's logs can tell applications apart.
///
/// It follows the AWS SDKs' rule: not empty, and only ASCII letters, digits and
/// ``!#$%&'*+-.^_`|~`` (no spaces); at most 50 characters is recommended.
///
/// ```
/// use cloudjobs_runtime::{AppName, Config};
/// let config = Config::builder().app_name(AppName::new("billing-report")?).build();
/// assert_eq!(config.app_name().unwrap().as_str(), "billing-report");
/// let err = AppName::new("billing report").unwrap_err();
/// assert!(err.to_string().contains("app_name"), "{err}");
/// # Ok::<(), cloudjobs_runtime::ConfigError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AppName(String);

impl AppName {
    /// Checks `name` against the rule above. The error is a [`ConfigError::InvalidValue`]
    /// naming `app_name` and the first character refused.
    pub fn new(name: impl Into<String>) -> Result<AppName, ConfigError> {
        Self::named("app_name", name.into())
    }

    /// Like [`new`](Self::new), the error naming `setting` (an environment variable or a
    /// profile key).
    pub(crate) fn named(setting: &str, name: String) -> Result<AppName, ConfigError> {
        let invalid = |message: String| ConfigError::InvalidValue {
            name: setting.to_owned(),
            message,
        };
        if name.is_empty() {
            return Err(invalid("an app name cannot be empty".to_owned()));
        }
        if let Some(c) = name.chars().find(|c| !is_allowed(*c)) {
            return Err(invalid(format!(
                "{name:?} has {c:?}; an app name holds only ASCII letters, digits and \
                 !#$%&'*+-.^_`|~"
            )));
        }
        Ok(AppName(name))
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn is_allowed(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c)
}

impl fmt::Display for AppName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for AppName {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_the_aws_rule() {
        for ok in ["a", "my-app_2.0", "x!#$%&'*+-.^_`|~"] {
            assert_eq!(AppName::new(ok).unwrap().as_str(), ok);
        }
        let err = AppName::new("").unwrap_err().to_string();
        assert!(err.contains("app_name") && err.contains("empty"), "{err}");
        for bad in ["my app", "a/b", "é", "a\nb", "(x)"] {
            let err = AppName::new(bad).unwrap_err().to_string();
            assert!(err.starts_with("invalid value for app_name"), "{err}");
        }
        let err = AppName::named("AWS_SDK_UA_APP_ID", "a b".into()).unwrap_err();
        assert!(err.to_string().contains("AWS_SDK_UA_APP_ID"), "{err}");
    }
}
