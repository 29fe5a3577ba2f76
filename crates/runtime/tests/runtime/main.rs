//! Integration tests of the runtime, with hand-written fake operations and a scripted HTTP
//! server on 127.0.0.1 (never any other address).

mod support;

mod credentials;
mod customize;
mod endpoints;
mod errors;
mod paginate;
mod redaction;
mod retry;
mod sigv4;
mod transport;
mod wire;
