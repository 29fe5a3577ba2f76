//! The Smithy 2.0 JSON AST as typed Rust values.
//!
//! Every field a client generator reads is typed; ordered maps ([`IndexMap`]) keep the spec
//! order of shapes, members and traits. Trait values stay JSON ([`Value`]) because each
//! trait has its own schema; [`super::traits`] reads them. Fields this generator does not
//! need (`identifiers`, `properties`, `rename`, ...) are skipped by serde.
//!
//! A shape whose fields have the wrong JSON type fails to deserialize with a message that
//! names its shape id (see [`Shapes`]).

use std::fmt;

use indexmap::IndexMap;
use serde::Deserialize;
use serde::de::{Deserializer, Error as _, MapAccess, Visitor};
use serde_json::Value;

/// A whole model file.
#[derive(Debug, Deserialize)]
pub struct Model {
    /// IDL version, `"2.0"` (or `"1.0"`, whose JSON AST is the same for what we read).
    pub smithy: Option<String>,
    #[serde(default)]
    pub shapes: Shapes,
}

/// Shapes by absolute shape id, in file order.
#[derive(Debug, Default)]
pub struct Shapes(pub IndexMap<String, Shape>);

impl<'de> Deserialize<'de> for Shapes {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Shapes;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object of shapes keyed by shape id")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Shapes, A::Error> {
                let mut out = IndexMap::new();
                while let Some(id) = map.next_key::<String>()? {
                    // Name the shape in the message; serde_json adds line and column.
                    let shape = map
                        .next_value::<Shape>()
                        .map_err(|e| A::Error::custom(format!("shape `{id}`: {e}")))?;
                    out.insert(id, shape);
                }
                Ok(Shapes(out))
            }
        }
        d.deserialize_map(V)
    }
}

/// Traits applied to a shape or member: trait shape id -> value.
pub type Traits = IndexMap<String, Value>;

/// Any shape. One struct for every `type`, with the fields each type may carry: the
/// front-end checks which ones a type needs, so a missing field is reported with the shape
/// id rather than as a bare deserialization error.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Shape {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub traits: Traits,
    #[serde(default)]
    pub mixins: Vec<Ref>,
    /// Structure, union, enum and intEnum members.
    #[serde(default)]
    pub members: IndexMap<String, MemberRef>,
    /// List and set member.
    pub member: Option<MemberRef>,
    /// Map key and value.
    pub key: Option<MemberRef>,
    pub value: Option<MemberRef>,
    /// Operation.
    pub input: Option<Ref>,
    pub output: Option<Ref>,
    #[serde(default)]
    pub errors: Vec<Ref>,
    /// Service and resource.
    pub version: Option<String>,
    #[serde(default)]
    pub operations: Vec<Ref>,
    #[serde(default)]
    pub resources: Vec<Ref>,
    /// Resource lifecycle operations.
    pub create: Option<Ref>,
    pub put: Option<Ref>,
    pub read: Option<Ref>,
    pub update: Option<Ref>,
    pub delete: Option<Ref>,
    pub list: Option<Ref>,
    #[serde(default)]
    pub collection_operations: Vec<Ref>,
    /// Service: shape id -> the name the service uses for it (resolves name clashes
    /// between namespaces).
    #[serde(default)]
    pub rename: IndexMap<String, String>,
}

/// A reference to a shape (`{"target": "ns#Name"}`).
#[derive(Debug, Clone, Deserialize)]
pub struct Ref {
    pub target: Option<String>,
}

/// A member: its target and the traits applied at the member.
#[derive(Debug, Clone, Deserialize)]
pub struct MemberRef {
    pub target: Option<String>,
    #[serde(default)]
    pub traits: Traits,
}

/// An `apply` statement (`"type": "apply"`) targets its own shape id (or a member id) and
/// carries only traits; it is read from [`Shape::traits`].
pub const APPLY: &str = "apply";
