//! The OpenAPI 3.0 document as far as the generator reads it, and its parser.
//!
//! The model is plain `serde` structures without untagged or internally tagged enums and
//! without `flatten`, so `serde_path_to_error` can follow every key: a value of the wrong
//! type is reported with its JSON pointer (`/paths/~1x/get/parameters/0/in`). Every object
//! that OpenAPI lets be a Reference Object has an optional `$ref` field next to its own
//! fields; resolution is in `refs`. Keys the generator does not read are ignored.

use indexmap::IndexMap;
use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde_json::Value;

use crate::ir::SpecError;

/// A security requirement: scheme name -> scopes.
pub type Requirement = IndexMap<String, Vec<String>>;

#[derive(Debug, Deserialize)]
pub struct Document {
    pub openapi: String,
    pub info: Info,
    #[serde(default)]
    pub servers: Vec<Server>,
    #[serde(default)]
    pub paths: IndexMap<String, PathItem>,
    #[serde(default)]
    pub components: Components,
    pub security: Option<Vec<Requirement>>,
    #[serde(rename = "x-cloudjobs-path-prefix")]
    pub cloudjobs_path_prefix: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct Info {
    pub title: String,
    pub version: String,
    pub description: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct Server {
    pub url: String,
    #[serde(default)]
    pub variables: IndexMap<String, ServerVariable>,
}

#[derive(Debug, Deserialize)]
pub struct ServerVariable {
    pub default: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Components {
    #[serde(default)]
    pub schemas: IndexMap<String, Schema>,
    #[serde(default)]
    pub responses: IndexMap<String, Response>,
    #[serde(default)]
    pub parameters: IndexMap<String, Parameter>,
    #[serde(default)]
    pub request_bodies: IndexMap<String, RequestBody>,
    #[serde(default)]
    pub headers: IndexMap<String, Header>,
    #[serde(default)]
    pub security_schemes: IndexMap<String, SecurityScheme>,
}

#[derive(Debug, Default, Deserialize)]
pub struct PathItem {
    #[serde(rename = "$ref")]
    pub reference: Option<String>,
    pub get: Option<Operation>,
    pub put: Option<Operation>,
    pub post: Option<Operation>,
    pub delete: Option<Operation>,
    pub options: Option<Operation>,
    pub head: Option<Operation>,
    pub patch: Option<Operation>,
    pub trace: Option<Operation>,
    #[serde(default)]
    pub parameters: Vec<Parameter>,
}

impl PathItem {
    /// The operations with their (lowercase) method, in the order OpenAPI lists the methods.
    pub fn operations(&self) -> impl Iterator<Item = (&'static str, &Operation)> {
        [
            ("get", &self.get),
            ("put", &self.put),
            ("post", &self.post),
            ("delete", &self.delete),
            ("options", &self.options),
            ("head", &self.head),
            ("patch", &self.patch),
            ("trace", &self.trace),
        ]
        .into_iter()
        .filter_map(|(m, op)| op.as_ref().map(|op| (m, op)))
    }
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Operation {
    pub operation_id: Option<String>,
    pub summary: Option<String>,
    pub description: Option<String>,
    #[serde(default)]
    pub parameters: Vec<Parameter>,
    pub request_body: Option<RequestBody>,
    #[serde(default)]
    pub responses: IndexMap<String, Response>,
    #[serde(default)]
    pub deprecated: bool,
    pub security: Option<Vec<Requirement>>,
    #[serde(rename = "x-cloudjobs-pagination")]
    pub cloudjobs_pagination: Option<Value>,
    #[serde(rename = "x-dropshot-pagination")]
    pub dropshot_pagination: Option<Value>,
    #[serde(rename = "x-dropshot-websocket")]
    pub dropshot_websocket: Option<Value>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ParameterIn {
    Path,
    Query,
    Header,
    Cookie,
}

#[derive(Debug, Default, Deserialize)]
pub struct Parameter {
    #[serde(rename = "$ref")]
    pub reference: Option<String>,
    pub name: Option<String>,
    #[serde(rename = "in")]
    pub location: Option<ParameterIn>,
    pub description: Option<String>,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub deprecated: bool,
    pub schema: Option<Schema>,
    pub content: Option<IndexMap<String, MediaType>>,
    pub style: Option<String>,
    pub explode: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
pub struct RequestBody {
    #[serde(rename = "$ref")]
    pub reference: Option<String>,
    pub description: Option<String>,
    #[serde(default)]
    pub content: IndexMap<String, MediaType>,
    #[serde(default)]
    pub required: bool,
}

#[derive(Debug, Default, Deserialize)]
pub struct MediaType {
    pub schema: Option<Schema>,
}

#[derive(Debug, Default, Deserialize)]
pub struct Response {
    #[serde(rename = "$ref")]
    pub reference: Option<String>,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub headers: IndexMap<String, Header>,
    #[serde(default)]
    pub content: IndexMap<String, MediaType>,
}

#[derive(Debug, Default, Deserialize)]
pub struct Header {
    #[serde(rename = "$ref")]
    pub reference: Option<String>,
    pub description: Option<String>,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub deprecated: bool,
    pub schema: Option<Schema>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SecurityScheme {
    #[serde(rename = "$ref")]
    pub reference: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub description: Option<String>,
    pub scheme: Option<String>,
    pub name: Option<String>,
    #[serde(rename = "in")]
    pub location: Option<String>,
}

/// A Schema Object (OpenAPI 3.0's JSON Schema subset).
#[derive(Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Schema {
    #[serde(rename = "$ref")]
    pub reference: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub format: Option<String>,
    pub title: Option<String>,
    pub description: Option<String>,
    #[serde(default)]
    pub nullable: bool,
    #[serde(rename = "enum")]
    pub enumeration: Option<Vec<Value>>,
    pub default: Option<Value>,
    #[serde(default)]
    pub properties: IndexMap<String, Schema>,
    #[serde(default)]
    pub required: Vec<String>,
    pub additional_properties: Option<AdditionalProperties>,
    pub items: Option<Box<Schema>>,
    #[serde(default)]
    pub all_of: Vec<Schema>,
    #[serde(default)]
    pub one_of: Vec<Schema>,
    #[serde(default)]
    pub any_of: Vec<Schema>,
    pub not: Option<Box<Schema>>,
    pub discriminator: Option<Discriminator>,
    #[serde(default)]
    pub read_only: bool,
    #[serde(default)]
    pub write_only: bool,
    #[serde(default)]
    pub deprecated: bool,
    pub pattern: Option<String>,
    pub min_length: Option<u64>,
    pub max_length: Option<u64>,
    pub min_items: Option<u64>,
    pub max_items: Option<u64>,
    pub minimum: Option<f64>,
    pub maximum: Option<f64>,
    #[serde(default)]
    pub exclusive_minimum: bool,
    #[serde(default)]
    pub exclusive_maximum: bool,
}

#[derive(Debug, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Discriminator {
    pub property_name: String,
    #[serde(default)]
    pub mapping: IndexMap<String, String>,
}

/// `additionalProperties`: a boolean or a schema.
#[derive(Debug, PartialEq)]
pub enum AdditionalProperties {
    Bool(bool),
    Schema(Box<Schema>),
}

impl<'de> Deserialize<'de> for AdditionalProperties {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = AdditionalProperties;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a boolean or a schema object")
            }
            fn visit_bool<E: de::Error>(self, b: bool) -> Result<Self::Value, E> {
                Ok(AdditionalProperties::Bool(b))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                // Through the same map access, so the path tracker sees the keys below.
                let s = Schema::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(AdditionalProperties::Schema(Box::new(s)))
            }
        }
        deserializer.deserialize_any(V)
    }
}

/// Escapes one segment for a JSON pointer.
pub fn pointer_segment(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// The JSON pointer of a `serde_path_to_error` path.
fn pointer_of(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    for seg in path.iter() {
        match seg {
            Segment::Seq { index } => out.push_str(&format!("/{index}")),
            Segment::Map { key } => out.push_str(&format!("/{}", pointer_segment(key))),
            Segment::Enum { variant } => out.push_str(&format!("/{}", pointer_segment(variant))),
            Segment::Unknown => {}
        }
    }
    if out.is_empty() { "/".into() } else { out }
}

/// How deeply objects and arrays may nest in a document. The typed parse below recurses
/// once per level with large frames; a document nesting deeper is refused up front (real
/// specs stay far below this).
const MAX_NESTING: usize = 96;

/// The pointer of the first value nested deeper than [`MAX_NESTING`], walking iteratively.
fn too_deep<'v, V>(
    root: &'v V,
    children: impl Fn(&'v V) -> Vec<(String, &'v V)>,
) -> Option<String> {
    let mut stack = vec![(String::new(), root, 0usize)];
    while let Some((at, v, depth)) = stack.pop() {
        if depth > MAX_NESTING {
            return Some(at);
        }
        for (key, child) in children(v) {
            stack.push((format!("{at}/{}", pointer_segment(&key)), child, depth + 1));
        }
    }
    None
}

fn json_children(v: &Value) -> Vec<(String, &Value)> {
    match v {
        Value::Object(m) => m.iter().map(|(k, v)| (k.clone(), v)).collect(),
        Value::Array(a) => a
            .iter()
            .enumerate()
            .map(|(i, v)| (i.to_string(), v))
            .collect(),
        _ => Vec::new(),
    }
}

fn yaml_children(v: &serde_yaml::Value) -> Vec<(String, &serde_yaml::Value)> {
    use serde_yaml::Value as Y;
    match v {
        Y::Mapping(m) => m
            .iter()
            .map(|(k, v)| {
                let key = match k {
                    Y::String(s) => s.clone(),
                    other => serde_yaml::to_string(other)
                        .unwrap_or_default()
                        .trim()
                        .to_string(),
                };
                (key, v)
            })
            .collect(),
        Y::Sequence(a) => a
            .iter()
            .enumerate()
            .map(|(i, v)| (i.to_string(), v))
            .collect(),
        Y::Tagged(t) => vec![(String::new(), &t.value)],
        _ => Vec::new(),
    }
}

/// Parses a JSON (first non-blank character `{`) or YAML document; a malformed one is a
/// [`SpecError`] at the JSON pointer of the offending value.
pub fn parse(file: &str, text: &str) -> Result<Document, SpecError> {
    let fail = |location: String, message: String| SpecError {
        file: file.into(),
        location,
        message: format!("not a valid OpenAPI 3.0 document: {message}"),
    };
    let deep = |at: String| {
        fail(
            at,
            format!("objects and arrays nest deeper than {MAX_NESTING} levels"),
        )
    };
    // First a cheap, shallow-framed parse (both parsers stop at 128 levels) to bound the
    // nesting of the typed parse.
    let json = text.trim_start().starts_with('{');
    if let Some(v) = json
        .then(|| serde_json::from_str::<Value>(text).ok())
        .flatten()
    {
        if let Some(at) = too_deep(&v, json_children) {
            return Err(deep(at));
        }
    } else {
        let v: serde_yaml::Value = serde_yaml::from_str(text).map_err(|e| {
            let at = e
                .location()
                .map(|l| format!("line {}", l.line()))
                .unwrap_or_else(|| "/".into());
            fail(at, e.to_string())
        })?;
        if let Some(at) = too_deep(&v, yaml_children) {
            return Err(deep(at));
        }
    }
    if text.trim_start().starts_with('{') {
        let mut de = serde_json::Deserializer::from_str(text);
        match serde_path_to_error::deserialize(&mut de) {
            Ok(doc) => return Ok(doc),
            // Well-formed JSON that is no OpenAPI document.
            Err(e) if e.inner().is_data() => {
                return Err(fail(pointer_of(e.path()), e.inner().to_string()));
            }
            // Not JSON: YAML may still read it (a flow mapping, comments, ...).
            Err(_) => {}
        }
    }
    let de = serde_yaml::Deserializer::from_str(text);
    serde_path_to_error::deserialize(de)
        .map_err(|e| fail(pointer_of(e.path()), e.inner().to_string()))
}
