//! Input decoding, validation (both modes) and serialization of every generated operation.
//!
//! Input: byte 0 picks the operation; the rest is JSON for its input type.
#![no_main]

use cloudjobs_fuzz::OPERATIONS;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let [op, json @ ..] = data else {
        return;
    };
    (OPERATIONS[usize::from(*op) % OPERATIONS.len()].input)(json);
});
