//! The shared client handle that executes operations.
//!
//! CONTRACT:
//! #[derive(Clone, Debug)] pub struct Handle { .. }            // cheap to clone (Arc inside)
//! impl Handle {
//!     pub fn new(service: &'static ServiceMeta, config: Config) -> Handle;
//!     pub fn config(&self) -> &Config;
//!     pub fn service(&self) -> &'static ServiceMeta;
//!     pub async fn invoke<O: Operation>(&self, input: O::Input) -> Result<O::Output, Error<O::Error>>;
//! }
