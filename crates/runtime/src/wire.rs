//! The protocol-independent request a generated `serialize` builds, the response handed to
//! generated decoding, and the text forms of values bound to headers, query parameters and
//! path labels (what botocore's `rest-json` serializer writes).
//!
//! A leaf module: it depends only on [`crate::datetime`].

use crate::datetime::DateTime;

/// The protocol-independent part of a request, built by generated code from an input.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HttpRequest {
    /// Values for the `{label}` placeholders of the path template (not yet percent-encoded).
    pub labels: Vec<(&'static str, String)>,
    /// Query parameters (not yet percent-encoded), in order, after the operation's constant
    /// ones. A key may repeat (a list).
    pub query: Vec<(String, String)>,
    /// Headers bound to input members, in order (names as the spec writes them).
    pub headers: Vec<(String, String)>,
    /// Values for the `{label}`s of the operation's host prefix.
    pub host_labels: Vec<(&'static str, String)>,
    /// The body, if the operation sends one.
    pub body: Option<Vec<u8>>,
    /// `Content-Type` of the body when it is not the protocol's JSON (a blob or text payload).
    pub content_type: Option<String>,
}

/// A response as received, handed to generated code for decoding.
#[derive(Debug, Clone)]
pub struct HttpResponse {
    /// HTTP status code.
    pub status: u16,
    /// Response headers.
    pub headers: http::HeaderMap,
    /// The whole body.
    pub body: bytes::Bytes,
}

impl HttpResponse {
    /// The value of header `name` as text (several fields of the same name are joined with
    /// `,`, as HTTP allows), or `None` when absent or not text.
    pub fn header(&self, name: &str) -> Option<String> {
        let mut values = self.headers.get_all(name).iter().peekable();
        values.peek()?;
        let mut out = String::new();
        for (i, v) in values.enumerate() {
            let v = v.to_str().ok()?;
            if i > 0 {
                out.push(',');
            }
            out.push_str(v);
        }
        Some(out)
    }

    /// Headers whose name starts with `prefix` (ASCII case-insensitive), keyed by the rest of
    /// the name (lowercase, as HTTP/2 and `http` keep names).
    pub fn prefix_headers(&self, prefix: &str) -> Vec<(String, String)> {
        let prefix = prefix.to_ascii_lowercase();
        let mut out: Vec<(String, String)> = Vec::new();
        for name in self.headers.keys() {
            let Some(rest) = name.as_str().strip_prefix(prefix.as_str()) else {
                continue;
            };
            if let Some(value) = self.header(name.as_str()) {
                out.push((rest.to_owned(), value));
            }
        }
        out
    }
}

/// The decoding error of a response header: names the header and says what is wrong.
pub fn header_error(name: &str, problem: impl std::fmt::Display) -> serde_json::Error {
    <serde_json::Error as serde::de::Error>::custom(format!("response header `{name}`: {problem}"))
}

/// Parses the (trimmed) text of header `name` as a `T` (numbers, booleans).
pub fn parse_header_text<T>(name: &str, text: &str) -> Result<T, serde_json::Error>
where
    T: std::str::FromStr,
    T::Err: std::fmt::Display,
{
    text.trim()
        .parse()
        .map_err(|e| header_error(name, format!("{e} ({text:?})")))
}

/// How a timestamp is written in a header, query parameter or label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimestampFormat {
    /// Seconds since the epoch: `1700000000`, `1700000000.5`.
    EpochSeconds,
    /// RFC 3339: `2023-11-14T22:13:20Z`.
    DateTime,
    /// IMF-fixdate: `Tue, 14 Nov 2023 22:13:20 GMT`.
    HttpDate,
}

/// A float as Python's `repr` writes it, which is what botocore sends: `1.0`, `0.1`,
/// `1e+20`, `1e-05`, `Infinity`, `-Infinity`, `NaN`.
pub fn float_text(value: f64) -> String {
    if value.is_nan() {
        return "NaN".into();
    }
    if value.is_infinite() {
        return if value > 0.0 { "Infinity" } else { "-Infinity" }.into();
    }
    python_layout(&format!("{value:e}"))
}

/// As [`float_text`] for a 32-bit float, with its own shortest digits (`0.1f32` is `0.1`).
pub fn float32_text(value: f32) -> String {
    if !value.is_finite() {
        return float_text(f64::from(value));
    }
    python_layout(&format!("{value:e}"))
}

/// Lays out Rust's shortest scientific form (`-1.5e-7`) the way Python's `repr` does:
/// positional for exponents -4 <= e < 16, else `d.ddde±XX`.
fn python_layout(sci: &str) -> String {
    let (mantissa, exp) = sci.split_once('e').unwrap_or((sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let (sign, mantissa) = match mantissa.strip_prefix('-') {
        Some(m) => ("-", m),
        None => ("", mantissa),
    };
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    if (-4..16).contains(&exp) {
        let point = exp + 1; // digits before the decimal point
        let body = if point <= 0 {
            format!("0.{}{digits}", "0".repeat(point.unsigned_abs() as usize))
        } else if point as usize >= digits.len() {
            format!("{digits}{}.0", "0".repeat(point as usize - digits.len()))
        } else {
            let (int, frac) = digits.split_at(point as usize);
            format!("{int}.{frac}")
        };
        format!("{sign}{body}")
    } else {
        let (first, rest) = digits.split_at(1);
        let frac = if rest.is_empty() {
            String::new()
        } else {
            format!(".{rest}")
        };
        let esign = if exp < 0 { '-' } else { '+' };
        format!("{sign}{first}{frac}e{esign}{:02}", exp.unsigned_abs())
    }
}

/// A timestamp in a query parameter or path label. Epoch seconds keep their fraction; date-times
/// have microsecond precision when the time is not a whole second (as botocore writes them).
pub fn timestamp_text(value: &DateTime, format: TimestampFormat) -> String {
    match format {
        TimestampFormat::EpochSeconds => {
            let micros = value.subsec_nanos() / 1_000;
            if micros == 0 {
                value.secs().to_string()
            } else {
                float_text((value.secs() as f64 * 1e6 + f64::from(micros)) / 1e6)
            }
        }
        TimestampFormat::DateTime => {
            let whole = DateTime::from_secs(value.secs()).to_rfc3339();
            let micros = value.subsec_nanos() / 1_000;
            if micros == 0 {
                whole
            } else {
                format!("{}.{micros:06}Z", whole.trim_end_matches('Z'))
            }
        }
        TimestampFormat::HttpDate => http_date(value),
    }
}

/// A timestamp in a header: whole seconds, whatever the format.
pub fn header_timestamp_text(value: &DateTime, format: TimestampFormat) -> String {
    timestamp_text(&DateTime::from_secs(value.secs()), format)
}

const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// IMF-fixdate (RFC 9110): `Tue, 14 Nov 2023 22:13:20 GMT`.
pub fn http_date(value: &DateTime) -> String {
    match time::OffsetDateTime::from_unix_timestamp(value.secs()) {
        Ok(t) => format!(
            "{}, {:02} {} {:04} {:02}:{:02}:{:02} GMT",
            WEEKDAYS[t.weekday().number_days_from_monday() as usize],
            t.day(),
            MONTHS[usize::from(u8::from(t.month())) - 1],
            t.year(),
            t.hour(),
            t.minute(),
            t.second()
        ),
        Err(_) => value.secs().to_string(),
    }
}

/// Parses an IMF-fixdate (`Tue, 14 Nov 2023 22:13:20 GMT`; fractional seconds allowed).
pub fn parse_http_date(text: &str) -> Result<DateTime, String> {
    let bad = || format!("invalid HTTP date {text:?}");
    let rest = text.trim();
    let rest = rest.split_once(", ").map_or(rest, |(_, r)| r);
    let mut parts = rest.split_ascii_whitespace();
    let (Some(day), Some(month), Some(year), Some(clock), Some("GMT"), None) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return Err(bad());
    };
    let month = MONTHS.iter().position(|m| *m == month).ok_or_else(bad)? as u8 + 1;
    let (hms, frac) = clock.split_once('.').unwrap_or((clock, ""));
    let mut hms = hms.split(':').map(str::parse::<u8>);
    let (Some(Ok(h)), Some(Ok(mi)), Some(Ok(s)), None) =
        (hms.next(), hms.next(), hms.next(), hms.next())
    else {
        return Err(bad());
    };
    let date = time::Date::from_calendar_date(
        year.parse().map_err(|_| bad())?,
        time::Month::try_from(month).map_err(|_| bad())?,
        day.parse().map_err(|_| bad())?,
    )
    .map_err(|_| bad())?;
    let t = date
        .with_hms(h, mi, s)
        .map_err(|_| bad())?
        .assume_utc()
        .unix_timestamp();
    let nanos = if frac.is_empty() {
        0
    } else {
        if !frac.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let mut digits = frac.chars().take(9).collect::<String>();
        while digits.len() < 9 {
            digits.push('0');
        }
        digits.parse().map_err(|_| bad())?
    };
    Ok(DateTime::from_secs_and_nanos(t, nanos))
}

/// Parses a timestamp read from a header.
pub fn parse_timestamp(text: &str, format: TimestampFormat) -> Result<DateTime, String> {
    match format {
        TimestampFormat::EpochSeconds => {
            DateTime::parse_epoch_seconds(text).map_err(|e| e.to_string())
        }
        TimestampFormat::DateTime => DateTime::parse_rfc3339(text).map_err(|e| e.to_string()),
        TimestampFormat::HttpDate => parse_http_date(text),
    }
}

/// One item of a header list of strings: wrapped in double quotes (inner quotes escaped)
/// when it holds a `,` or a `"`.
pub fn header_list_item(value: &str) -> String {
    if value.contains(',') || value.contains('"') {
        format!("\"{}\"", value.replace('"', "\\\""))
    } else {
        value.to_owned()
    }
}

/// Splits a header list: items separated by `,`, trimmed, double-quoted items unquoted. When
/// `http_dates` is set, every two comma-separated parts form one item (an HTTP date holds a
/// comma).
pub fn split_header_list(value: &str, http_dates: bool) -> Vec<String> {
    let mut items = Vec::new();
    let mut chars = value.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_ascii_whitespace()) {
            chars.next();
        }
        let mut item = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            while let Some(c) = chars.next() {
                match c {
                    '\\' => item.extend(chars.next()),
                    '"' => break,
                    c => item.push(c),
                }
            }
            for c in chars.by_ref() {
                if c == ',' {
                    break;
                }
            }
            items.push(item);
        } else {
            let mut ended = true;
            for c in chars.by_ref() {
                if c == ',' {
                    ended = false;
                    break;
                }
                item.push(c);
            }
            items.push(item.trim().to_owned());
            if ended {
                break;
            }
            continue;
        }
        if chars.peek().is_none() {
            break;
        }
    }
    if http_dates {
        items.chunks(2).map(|pair| pair.join(", ")).collect()
    } else {
        items
    }
}

/// Standard base64 with padding.
pub fn base64_encode(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// Decodes standard base64 (padding optional, surrounding whitespace ignored).
pub fn base64_decode(text: &str) -> Result<Vec<u8>, String> {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD_PAD_INDIFFERENT
        .decode(text.trim())
        .map_err(|e| format!("invalid base64: {e}"))
}

/// A structure as an `application/x-www-form-urlencoded` body (`a=1&b=x+y`), its members
/// named as in JSON and unset ones left out. Members must be scalars: a list or a nested
/// structure is a serialization error naming the problem.
pub fn form_body<T: serde::Serialize>(value: &T) -> Result<Vec<u8>, serde_json::Error> {
    serde_urlencoded::to_string(value)
        .map(String::into_bytes)
        .map_err(|e| <serde_json::Error as serde::ser::Error>::custom(format!("form body: {e}")))
}

/// `N` bytes from the operating system's random source. Without one (a sandbox that denies
/// it), the bytes come from a generator seeded by the standard library's per-process random
/// hash keys: still unpredictable across processes, not fit for keys but enough for tokens.
pub(crate) fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    if getrandom::getrandom(&mut bytes).is_err() {
        let mut rng = fastrand::Rng::with_seed(std_seed());
        rng.fill(&mut bytes);
    }
    bytes
}

/// A seed from the standard library's randomly keyed hasher.
pub(crate) fn std_seed() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    std::collections::hash_map::RandomState::new()
        .build_hasher()
        .finish()
}

/// A fresh random UUID v4 in its lowercase hyphenated form (idempotency tokens), as Python's
/// `str(uuid.uuid4())` writes it.
pub fn uuid_v4() -> String {
    let mut b = random_bytes::<16>();
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// Whether a filled host prefix is safe to put in front of a host name: not empty, only
/// ASCII letters, digits, `-` and `.` (botocore's rule for host labels).
pub fn is_host_safe(value: &str) -> bool {
    !value.is_empty()
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
}

/// What a successful response said besides the output: HTTP status, request id and headers.
/// Returned by [`Handle::invoke_with_metadata`](crate::Handle::invoke_with_metadata) and the
/// generated `send_with_metadata()`; kept apart from the output types, which are the spec's.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ResponseMetadata {
    status: u16,
    request_id: Option<String>,
    headers: http::HeaderMap,
}

impl ResponseMetadata {
    /// Metadata of a response with this status, request id and headers.
    pub fn new(status: u16, request_id: Option<String>, headers: http::HeaderMap) -> Self {
        ResponseMetadata {
            status,
            request_id,
            headers,
        }
    }

    /// The HTTP status code.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The request id the service gave (`x-amzn-RequestId`, `x-amz-request-id` or
    /// `x-request-id`), if any.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// The response headers.
    pub fn headers(&self) -> &http::HeaderMap {
        &self.headers
    }
}

/// An output with the [`ResponseMetadata`] of its response. Dereferences to the output.
///
/// ```
/// use cloudjobs_runtime::{ResponseMetadata, WithMetadata};
///
/// let answer = WithMetadata::new(vec![1, 2], ResponseMetadata::new(200, Some("r-1".into()), Default::default()));
/// assert_eq!(answer.len(), 2);
/// assert_eq!(answer.metadata().request_id(), Some("r-1"));
/// let (output, metadata) = answer.into_parts();
/// assert_eq!((output, metadata.status()), (vec![1, 2], 200));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct WithMetadata<T> {
    output: T,
    metadata: ResponseMetadata,
}

impl<T> WithMetadata<T> {
    /// Pairs `output` with `metadata`.
    pub fn new(output: T, metadata: ResponseMetadata) -> Self {
        WithMetadata { output, metadata }
    }

    /// The output.
    pub fn output(&self) -> &T {
        &self.output
    }

    /// The metadata.
    pub fn metadata(&self) -> &ResponseMetadata {
        &self.metadata
    }

    /// The output alone.
    pub fn into_inner(self) -> T {
        self.output
    }

    /// The output and the metadata.
    pub fn into_parts(self) -> (T, ResponseMetadata) {
        (self.output, self.metadata)
    }
}

impl<T> std::ops::Deref for WithMetadata<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.output
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_as_python_writes_them() {
        for (v, want) in [
            (1.0, "1.0"),
            (0.1, "0.1"),
            (-2.5, "-2.5"),
            (1e20, "1e+20"),
            (1e16, "1e+16"),
            (1e15, "1000000000000000.0"),
            (1.5e-5, "1.5e-05"),
            (0.0001, "0.0001"),
            (123456.789, "123456.789"),
            (f64::INFINITY, "Infinity"),
            (f64::NEG_INFINITY, "-Infinity"),
            (f64::NAN, "NaN"),
        ] {
            assert_eq!(float_text(v), want, "{v}");
        }
        assert_eq!(float32_text(0.1), "0.1");
    }

    #[test]
    fn timestamps() {
        let t = DateTime::from_secs(1_700_000_000);
        assert_eq!(http_date(&t), "Tue, 14 Nov 2023 22:13:20 GMT");
        assert_eq!(parse_http_date("Tue, 14 Nov 2023 22:13:20 GMT"), Ok(t));
        assert!(parse_http_date("Tue, 14 Nov 2023 22:13:20").is_err());
        let frac = DateTime::from_secs_and_nanos(1_700_000_000, 500_000_000);
        assert_eq!(
            timestamp_text(&frac, TimestampFormat::EpochSeconds),
            "1700000000.5"
        );
        assert_eq!(
            timestamp_text(&frac, TimestampFormat::DateTime),
            "2023-11-14T22:13:20.500000Z"
        );
        assert_eq!(
            timestamp_text(&t, TimestampFormat::DateTime),
            "2023-11-14T22:13:20Z"
        );
        assert_eq!(
            header_timestamp_text(&frac, TimestampFormat::EpochSeconds),
            "1700000000"
        );
    }

    #[test]
    fn header_lists() {
        assert_eq!(header_list_item("a,b"), "\"a,b\"");
        assert_eq!(header_list_item("say \"hi\""), "\"say \\\"hi\\\"\"");
        assert_eq!(split_header_list("a, \"b,c\" ,d", false), ["a", "b,c", "d"]);
        assert_eq!(
            split_header_list(
                "Mon, 16 Dec 2019 23:48:18 GMT, Tue, 17 Dec 2019 23:48:18 GMT",
                true
            ),
            [
                "Mon, 16 Dec 2019 23:48:18 GMT",
                "Tue, 17 Dec 2019 23:48:18 GMT"
            ]
        );
    }

    #[test]
    fn base64_round_trip() {
        for (raw, b64) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
        ] {
            assert_eq!(base64_encode(raw.as_bytes()), b64);
            assert_eq!(base64_decode(b64).unwrap(), raw.as_bytes());
        }
        assert!(base64_decode("Zm9v!").is_err());
    }

    #[test]
    fn uuids_and_host_labels() {
        let u = uuid_v4();
        assert_eq!(u.len(), 36);
        assert_eq!(&u[14..15], "4");
        assert!(matches!(&u[19..20], "8" | "9" | "a" | "b"));
        assert_ne!(u, uuid_v4());
        assert!(is_host_safe("abc-1.x"));
        assert!(!is_host_safe(""));
        assert!(!is_host_safe("a/b"));
    }
}
