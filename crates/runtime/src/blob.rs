//! Binary values (`blob` members).
//!
//! CONTRACT: generated code types blob members as `Option<Blob>`. On the JSON wire a blob is
//! a base64 string (standard alphabet, padded); [`Blob`]'s serde implementations read and
//! write that form, so no `with` attribute is needed.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, STANDARD_PAD_INDIFFERENT};

/// Bytes, written as base64 in JSON.
///
/// ```
/// use cloudjobs_runtime::Blob;
/// let blob = Blob::new("hi");
/// assert_eq!(blob.as_ref(), b"hi");
/// assert_eq!(blob.to_base64(), "aGk=");
/// assert_eq!(serde_json::to_string(&blob).unwrap(), r#""aGk=""#);
/// assert_eq!(Blob::from_base64("aGk").unwrap(), blob);
/// ```
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Blob {
    bytes: Vec<u8>,
}

/// A base64 string could not be decoded into a [`Blob`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlobDecodeError {
    message: String,
}

impl fmt::Display for BlobDecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid base64: {}", self.message)
    }
}

impl std::error::Error for BlobDecodeError {}

impl Blob {
    /// Wraps bytes.
    pub fn new(bytes: impl Into<Vec<u8>>) -> Blob {
        Blob {
            bytes: bytes.into(),
        }
    }

    /// Decodes a base64 string (standard alphabet; padding optional).
    pub fn from_base64(text: &str) -> Result<Blob, BlobDecodeError> {
        STANDARD_PAD_INDIFFERENT
            .decode(text.trim())
            .map(Blob::new)
            .map_err(|e| BlobDecodeError {
                message: e.to_string(),
            })
    }

    /// The bytes as standard, padded base64: the form JSON, headers and query strings carry.
    pub fn to_base64(&self) -> String {
        STANDARD.encode(&self.bytes)
    }

    /// The number of bytes.
    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    /// Whether there are no bytes.
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// The bytes, by value.
    pub fn into_inner(self) -> Vec<u8> {
        self.bytes
    }
}

impl AsRef<[u8]> for Blob {
    fn as_ref(&self) -> &[u8] {
        &self.bytes
    }
}

impl From<Vec<u8>> for Blob {
    fn from(bytes: Vec<u8>) -> Self {
        Blob::new(bytes)
    }
}

impl From<&[u8]> for Blob {
    fn from(bytes: &[u8]) -> Self {
        Blob::new(bytes)
    }
}

impl From<&str> for Blob {
    fn from(text: &str) -> Self {
        Blob::new(text)
    }
}

impl From<String> for Blob {
    fn from(text: String) -> Self {
        Blob::new(text)
    }
}

impl From<Blob> for Vec<u8> {
    fn from(blob: Blob) -> Self {
        blob.bytes
    }
}

impl fmt::Debug for Blob {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match std::str::from_utf8(&self.bytes) {
            Ok(text) if self.bytes.len() <= 256 => write!(f, "Blob({text:?})"),
            _ => write!(f, "Blob({} bytes)", self.bytes.len()),
        }
    }
}

impl serde::Serialize for Blob {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_base64())
    }
}

impl<'de> serde::Deserialize<'de> for Blob {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Blob;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a base64 string")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Blob, E> {
                Blob::from_base64(v).map_err(E::custom)
            }
        }
        d.deserialize_str(V)
    }
}

#[cfg(feature = "schemars")]
impl schemars::JsonSchema for Blob {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Blob".into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "contentEncoding": "base64",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_round_trip() {
        let blob = Blob::new(vec![0u8, 255, 10, 42]);
        let json = serde_json::to_string(&blob).unwrap();
        assert_eq!(json, r#""AP8KKg==""#);
        let back: Blob = serde_json::from_str(&json).unwrap();
        assert_eq!(back, blob);
        assert_eq!(Blob::from_base64("AP8KKg").unwrap(), blob);
        assert!(serde_json::from_str::<Blob>(r#""not base64!""#).is_err());
        assert!(serde_json::from_str::<Blob>("12").is_err());
        assert_eq!(format!("{:?}", Blob::new("ab")), r#"Blob("ab")"#);
        assert_eq!(format!("{:?}", Blob::new(vec![0xff])), "Blob(1 bytes)");
    }
}
