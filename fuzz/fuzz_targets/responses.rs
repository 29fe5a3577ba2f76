//! Response and error decoding of every generated operation.
//!
//! Input: byte 0 picks the operation, byte 1 the status; then header lines (`name: value`)
//! up to an empty line, then the body.
#![no_main]

use cloudjobs_fuzz::OPERATIONS;
use cloudjobs_runtime::HttpResponse;
use libfuzzer_sys::fuzz_target;

/// Statuses the decoders tell apart, plus odd ones.
const STATUSES: &[u16] = &[
    200, 201, 202, 204, 206, 299, 300, 301, 304, 400, 401, 403, 404, 405, 409, 412, 413, 429, 499,
    500, 502, 503, 504, 599, 100, 0, 999,
];

fuzz_target!(|data: &[u8]| {
    let [op, status, rest @ ..] = data else {
        return;
    };
    let op = &OPERATIONS[usize::from(*op) % OPERATIONS.len()];
    let status = STATUSES[usize::from(*status) % STATUSES.len()];
    let (head, body) = match rest.windows(2).position(|w| w == b"\n\n") {
        Some(i) => (&rest[..i], &rest[i + 2..]),
        None => (&[][..], rest),
    };
    let mut headers = http::HeaderMap::new();
    for line in head.split(|b| *b == b'\n') {
        let Some(colon) = line.iter().position(|b| *b == b':') else {
            continue;
        };
        let (Ok(name), Ok(value)) = (
            http::HeaderName::from_bytes(&line[..colon]),
            http::HeaderValue::from_bytes(line[colon + 1..].trim_ascii()),
        ) else {
            continue;
        };
        headers.append(name, value);
    }
    let resp = HttpResponse {
        status,
        headers,
        body: bytes::Bytes::copy_from_slice(body),
    };
    (op.response)(&resp);
});
