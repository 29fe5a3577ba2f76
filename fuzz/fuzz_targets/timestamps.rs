//! The timestamp and date parsers of the runtime: RFC 3339, epoch seconds, IMF-fixdate,
//! full dates, and the wire helpers. What parses formats back to text that parses to the
//! same instant.
#![no_main]

use cloudjobs_runtime::wire::{TimestampFormat, parse_timestamp, timestamp_text};
use cloudjobs_runtime::{Date, DateTime};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(t) = DateTime::parse_rfc3339(text) {
        let again = DateTime::parse_rfc3339(&t.to_rfc3339()).expect("own RFC 3339 output");
        assert_eq!(again, t, "{text}");
        let _ = t.to_rfc3339_millis();
        let _ = t.to_http_date();
        let _ = t.as_secs_f64();
    }
    if let Ok(t) = DateTime::parse_epoch_seconds(text) {
        let _ = t.to_rfc3339();
        let _ = t.to_http_date();
    }
    if let Ok(t) = DateTime::parse_http_date(text) {
        // IMF-fixdate has whole seconds: a fraction the parser accepted is not written back.
        let again = DateTime::parse_http_date(&t.to_http_date()).expect("own HTTP date output");
        assert_eq!(again.secs(), t.secs(), "{text}");
    }
    if let Ok(d) = Date::parse(text) {
        let _ = d.to_datetime();
        let again = Date::parse(&d.to_string()).expect("own date output");
        assert_eq!(again, d, "{text}");
    }
    for format in [
        TimestampFormat::EpochSeconds,
        TimestampFormat::DateTime,
        TimestampFormat::HttpDate,
    ] {
        if let Ok(t) = parse_timestamp(text, format) {
            let _ = timestamp_text(&t, format);
        }
    }
    // Through serde, as generated types read them.
    let _ = serde_json::from_slice::<DateTime>(data);
    let _ = serde_json::from_slice::<Date>(data);
});
