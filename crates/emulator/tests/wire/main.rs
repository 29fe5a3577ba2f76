//! Wire-level tests of the emulator: real HTTP requests on 127.0.0.1, results checked against
//! expectations computed here from the emulator's data set.

mod common;

mod abuse;
mod admin;
mod auth;
mod bad_input;
mod cloud_rewind;
mod faults;
mod fixture;
mod macie2;
mod partner_central;
mod progress;
mod spaceone;
mod ssm;
