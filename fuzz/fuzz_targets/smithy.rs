//! The generator's Smithy JSON AST front-end, its check pass, and the emitter on what passes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        cloudjobs_fuzz::generate(xtask::smithy::load("fuzz.smithy.json", text, None));
    }
});
