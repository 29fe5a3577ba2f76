//! Client configuration, shared by every service.
//!
//! CONTRACT (generated code uses): `Config` (Clone + Debug with secrets redacted),
//! `Config::builder() -> ConfigBuilder`, `ConfigBuilder::build() -> Config`,
//! `Config::from_env() -> impl Future<Output = Result<Config, ConfigError>>`,
//! `Validation::{Full, RequiredOnly}`.

/// How much of the spec's input constraints the client checks before sending.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Validation {
    /// Required members, patterns, ranges, lengths and enum values (the default).
    #[default]
    Full,
    /// Only required members: for services that relax their documented limits.
    RequiredOnly,
}
