//! Schema Objects -> IR types and shapes.
//!
//! A component schema that is an object with properties, an `allOf` of several parts, a
//! `oneOf`/`anyOf`, or an enum becomes a named shape (the component name); any other
//! component (a scalar, an array, a map, a free-form object, a `$ref` or an `allOf` of one
//! `$ref`) is an alias and is inlined wherever it is used, with its constraints. Named
//! components are built from a work queue, so a chain of structures of any length uses no
//! stack; inlining aliases and nested inline schemas recurses, bounded by [`MAX_DEPTH`].
//!
//! Inline schemas that need a shape are named from where they are: `<Parent><Property>`,
//! `<Parent>Item` (array items), `<Parent>Value` (map values), `<Union><Variant>`, and the
//! operation-level names chosen in `operations` (`<Op>Body`, `<Op>Response`, ...). A
//! `title` names the shape instead when that name is still free; two inline schemas with the
//! same title and the same content share one shape.
//!
//! References to named shapes are written `Kind::Struct(name)` while loading; `fix_kinds`
//! turns them into `Enum`/`IntEnum`/`Union` once every shape is built.

use std::collections::HashSet;

use serde_json::Value;

use super::Loader;
use super::document::{AdditionalProperties, Schema, pointer_segment};
use crate::docs::normalize;
use crate::ir::*;
use crate::smithy::rust_type_name;

type Result<T> = std::result::Result<T, SpecError>;

/// How deep aliases and inline schemas may nest (each `$ref` to an alias, `allOf` of one
/// part, array item, map value or property is one level). Deeper is a spec error, never a
/// stack overflow.
pub const MAX_DEPTH: usize = 64;

/// A type at a use site, and whether JSON `null` is allowed there.
#[derive(Debug, Clone)]
pub struct Resolved {
    pub ty: Type,
    pub nullable: bool,
}

/// An object schema with its `allOf` parts merged.
struct ObjView<'a> {
    /// Name, schema, JSON pointer; in order of first appearance.
    props: Vec<(&'a str, &'a Schema, String)>,
    required: HashSet<&'a str>,
    additional: Option<(&'a AdditionalProperties, String)>,
    docs: String,
}

/// One alternative of a `oneOf`/`anyOf`.
struct Alt<'a> {
    /// The schema written in the alternative (maybe a `$ref`).
    site: &'a Schema,
    site_at: String,
    /// After following references.
    target: &'a Schema,
    target_at: String,
    component: Option<&'a str>,
}

/// Documentation of a schema: its description, else its title.
pub fn describe(s: &Schema) -> String {
    normalize(
        s.description
            .as_deref()
            .or(s.title.as_deref())
            .unwrap_or(""),
    )
}

/// `{type: "null"}` or `{enum: [null]}`: an alternative that only allows `null`.
fn is_null(s: &Schema) -> bool {
    s.kind.as_deref() == Some("null")
        || s.enumeration
            .as_ref()
            .is_some_and(|e| !e.is_empty() && e.iter().all(Value::is_null))
}

fn alternatives(s: &Schema) -> &[Schema] {
    if s.one_of.is_empty() {
        &s.any_of
    } else {
        &s.one_of
    }
}

/// The string values of a string enum schema (nulls left out), `None` for anything else.
fn string_enum(s: &Schema) -> Option<Vec<&str>> {
    let values = s.enumeration.as_ref()?;
    if !matches!(s.kind.as_deref(), None | Some("string")) || !s.properties.is_empty() {
        return None;
    }
    let strings: Vec<&str> = values.iter().filter_map(Value::as_str).collect();
    let non_null = values.iter().filter(|v| !v.is_null()).count();
    (non_null > 0 && strings.len() == non_null).then_some(strings)
}

impl<'a> Loader<'a> {
    /// Follows `$ref`s from a schema to the schema they name.
    pub fn lookup_schema(
        &self,
        s: &'a Schema,
        at: &str,
    ) -> Result<(&'a Schema, Option<&'a str>, String)> {
        super::refs::follow(self.file, "schemas", &self.doc.components.schemas, s, at)
    }

    /// Whether a (non-reference) schema becomes a named shape rather than an inlined type.
    fn is_shape(s: &Schema) -> bool {
        if s.reference.is_some() {
            return false;
        }
        let alts = alternatives(s);
        if !alts.is_empty() {
            let non_null: Vec<&Schema> = alts.iter().filter(|a| !is_null(a)).collect();
            let nulls = non_null.len() < alts.len();
            return match non_null.as_slice() {
                [] => false,
                [one] => !(nulls || one.reference.is_some()),
                _ => true,
            };
        }
        if !s.all_of.is_empty() {
            return !(s.all_of.len() == 1
                && s.properties.is_empty()
                && s.additional_properties.is_none());
        }
        if let Some(values) = &s.enumeration
            && values.iter().any(|v| !v.is_null())
        {
            return string_enum(s).is_some() || s.kind.as_deref() == Some("integer");
        }
        !s.properties.is_empty()
    }

    /// Whether a schema (after references) admits `null` on its own.
    fn admits_null(s: &Schema) -> bool {
        s.nullable || alternatives(s).iter().any(is_null)
    }

    /// The IR type of a schema at a use site. `hint` names an inline shape the schema needs.
    pub fn schema_type(
        &mut self,
        s: &'a Schema,
        at: &str,
        hint: &str,
        depth: usize,
    ) -> Result<Resolved> {
        if depth > MAX_DEPTH {
            return Err(self.err(
                at,
                format!("schemas nest deeper than {MAX_DEPTH} levels (aliases and inline schemas)"),
            ));
        }
        if s.reference.is_some() {
            // OpenAPI 3.0 ignores the siblings of a `$ref` (`allOf: [$ref]` carries them).
            let (target, name, target_at) = self.lookup_schema(s, at)?;
            let name = name.unwrap_or_default();
            return self.component_type(name, target, &target_at, depth);
        }
        if Self::is_shape(s) {
            let name = self.inline_shape(s, at, hint, depth)?;
            return Ok(Resolved {
                ty: Type::new(Kind::Struct(name)),
                nullable: Self::admits_null(s),
            });
        }
        let alts = alternatives(s);
        if !alts.is_empty() {
            let key = if s.one_of.is_empty() {
                "anyOf"
            } else {
                "oneOf"
            };
            let nulls = alts.iter().any(is_null);
            return match alts.iter().enumerate().find(|(_, a)| !is_null(a)) {
                Some((i, one)) => {
                    let mut r =
                        self.schema_type(one, &format!("{at}/{key}/{i}"), hint, depth + 1)?;
                    r.nullable |= nulls || s.nullable;
                    Ok(r)
                }
                None => Ok(Resolved {
                    ty: Type::new(Kind::Document),
                    nullable: true,
                }),
            };
        }
        if let [one] = s.all_of.as_slice() {
            let mut r = self.schema_type(one, &format!("{at}/allOf/0"), hint, depth + 1)?;
            r.nullable |= s.nullable;
            return Ok(r);
        }
        if s.not.is_some() {
            return Err(self.err(&format!("{at}/not"), "`not` schemas are not supported"));
        }
        self.plain(s, at, hint, depth)
    }

    /// The type of a `$ref` to component `name` (already followed to `target`).
    fn component_type(
        &mut self,
        name: &'a str,
        target: &'a Schema,
        target_at: &str,
        depth: usize,
    ) -> Result<Resolved> {
        let rust = self.component_name(name);
        if Self::is_shape(target) {
            if self.requested.insert(name) {
                self.queue.push_back(name);
            }
            return Ok(Resolved {
                ty: Type::new(Kind::Struct(rust)),
                nullable: Self::admits_null(target),
            });
        }
        if let Some(i) = self.alias_stack.iter().position(|n| *n == name) {
            let mut chain: Vec<&str> = self.alias_stack[i..].to_vec();
            chain.push(name);
            return Err(self.err(
                target_at,
                format!(
                    "`$ref` cycle without a structure in between: {}",
                    chain.join(" -> ")
                ),
            ));
        }
        self.alias_stack.push(name);
        let r = self.schema_type(target, target_at, &rust, depth + 1);
        self.alias_stack.pop();
        r
    }

    /// The Rust name reserved for a component schema.
    pub fn component_name(&self, name: &str) -> String {
        self.component_names
            .get(name)
            .cloned()
            .unwrap_or_else(|| rust_type_name(name))
    }

    /// Builds every queued component shape.
    pub fn drain(&mut self) -> Result<()> {
        while let Some(name) = self.queue.pop_front() {
            self.build_component(name)?;
        }
        Ok(())
    }

    /// Builds the shape of a component now (if not built yet) and returns its Rust name.
    pub fn build_component(&mut self, name: &'a str) -> Result<String> {
        let rust = self.component_name(name);
        self.requested.insert(name);
        if self.built.contains(name) {
            return Ok(rust);
        }
        self.built.insert(name);
        let Some(schema) = self.doc.components.schemas.get(name) else {
            return Err(self.err("/components/schemas", format!("no schema `{name}`")));
        };
        let at = format!("/components/schemas/{}", pointer_segment(name));
        let shape = self.build_shape(&rust, schema, &at, 0)?;
        self.shapes.insert(rust.clone(), shape);
        Ok(rust)
    }

    /// A fresh shape name based on `base` (`base`, `base2`, ...).
    pub fn fresh(&mut self, base: &str) -> String {
        let base = rust_type_name(base);
        let mut candidate = base.clone();
        let mut n = 2;
        while self.used_names.contains(&candidate) {
            candidate = format!("{base}{n}");
            n += 1;
        }
        self.used_names.insert(candidate.clone());
        candidate
    }

    /// The shape of an inline schema at `at` (built once per location).
    pub fn inline_shape(
        &mut self,
        s: &'a Schema,
        at: &str,
        hint: &str,
        depth: usize,
    ) -> Result<String> {
        if let Some(n) = self.inline.get(at) {
            return Ok(n.clone());
        }
        if let Some(title) = &s.title
            && let Some((prev, n)) = self.titled.get(title.as_str())
            && *prev == s
        {
            let n = n.clone();
            self.inline.insert(at.to_string(), n.clone());
            return Ok(n);
        }
        let by_title = s
            .title
            .as_deref()
            .map(rust_type_name)
            .filter(|t| !t.is_empty() && !self.used_names.contains(t));
        let name = match by_title {
            Some(t) => self.fresh(&t),
            None => self.fresh(hint),
        };
        self.inline.insert(at.to_string(), name.clone());
        if let Some(title) = &s.title {
            self.titled.insert(title.as_str(), (s, name.clone()));
        }
        let shape = self.build_shape(&name, s, at, depth)?;
        self.shapes.insert(name.clone(), shape);
        Ok(name)
    }

    /// The shape of a schema for which [`Self::is_shape`] holds.
    fn build_shape(&mut self, name: &str, s: &'a Schema, at: &str, depth: usize) -> Result<Shape> {
        if !alternatives(s).is_empty() {
            return self.union(name, s, at, depth);
        }
        if s.all_of.is_empty() && s.properties.is_empty() && s.enumeration.is_some() {
            return self.enumeration(name, s, at);
        }
        let view = self.object_view(s, at, depth)?;
        let st = self.structure(name, at, view, depth)?;
        Ok(Shape::Structure(Structure {
            deprecated: s.deprecated.then(Deprecated::default),
            ..st
        }))
    }

    fn enumeration(&mut self, name: &str, s: &Schema, at: &str) -> Result<Shape> {
        let values = s.enumeration.as_deref().unwrap_or_default();
        if s.kind.as_deref() == Some("integer") {
            let mut out = Vec::new();
            for (i, v) in values.iter().enumerate() {
                if v.is_null() {
                    continue;
                }
                let n = v.as_i64().ok_or_else(|| {
                    self.err(&format!("{at}/enum/{i}"), format!("{v} is not an integer"))
                })?;
                let variant = if n < 0 {
                    format!("Minus{}", n.unsigned_abs())
                } else {
                    format!("V{n}")
                };
                out.push(IntEnumValue {
                    value: n,
                    variant,
                    docs: String::new(),
                });
            }
            return Ok(Shape::IntEnum(IntEnum {
                rust_name: name.to_string(),
                docs: describe(s),
                values: out,
            }));
        }
        let mut out: Vec<EnumValue> = Vec::new();
        for (i, v) in values.iter().enumerate() {
            if v.is_null() {
                continue;
            }
            let v = v.as_str().ok_or_else(|| {
                self.err(&format!("{at}/enum/{i}"), format!("{v} is not a string"))
            })?;
            out.push(EnumValue {
                value: v.to_string(),
                variant: variant_name(v),
                docs: String::new(),
            });
        }
        Ok(Shape::Enum(Enum {
            rust_name: name.to_string(),
            docs: describe(s),
            values: out,
        }))
    }

    /// Merges an object schema with its `allOf` parts (following references).
    fn object_view(&self, s: &'a Schema, at: &str, depth: usize) -> Result<ObjView<'a>> {
        let mut view = ObjView {
            props: Vec::new(),
            required: HashSet::new(),
            additional: None,
            docs: describe(s),
        };
        // Work list instead of recursion: parts are merged in document order.
        let mut stack: Vec<(&'a Schema, String, usize)> = vec![(s, at.to_string(), depth)];
        let mut seen: HashSet<String> = HashSet::new();
        while let Some((part, part_at, d)) = stack.pop() {
            if d > MAX_DEPTH {
                return Err(self.err(&part_at, "`allOf` nests too deep"));
            }
            let (part, _, part_at) = self.lookup_schema(part, &part_at)?;
            if !seen.insert(part_at.clone()) {
                continue;
            }
            if let Some(k) = part.kind.as_deref()
                && k != "object"
            {
                return Err(self.err(
                    &part_at,
                    format!("an `allOf` part of type `{k}` cannot be merged into an object"),
                ));
            }
            if !alternatives(part).is_empty() {
                return Err(self.err(
                    &part_at,
                    "`oneOf`/`anyOf` inside an `allOf` of several parts is not supported",
                ));
            }
            for (k, p) in &part.properties {
                if !view.props.iter().any(|(n, _, _)| *n == k.as_str()) {
                    view.props.push((
                        k.as_str(),
                        p,
                        format!("{part_at}/properties/{}", pointer_segment(k)),
                    ));
                }
            }
            view.required
                .extend(part.required.iter().map(String::as_str));
            if view.additional.is_none()
                && let Some(a) = &part.additional_properties
            {
                view.additional = Some((a, format!("{part_at}/additionalProperties")));
            }
            if view.docs.is_empty() {
                view.docs = describe(part);
            }
            for (i, p) in part.all_of.iter().enumerate().rev() {
                stack.push((p, format!("{part_at}/allOf/{i}"), d + 1));
            }
        }
        for r in &view.required {
            if !view.props.iter().any(|(n, _, _)| n == r) {
                return Err(self.err(
                    &format!("{at}/required"),
                    format!("required property `{r}` is not declared"),
                ));
            }
        }
        Ok(view)
    }

    /// Documentation of a property: its own, else that of the schema it refers to.
    fn property_docs(&self, s: &'a Schema, at: &str) -> String {
        // OpenAPI 3.0 ignores the siblings of a `$ref`.
        let own = if s.reference.is_some() {
            String::new()
        } else {
            describe(s)
        };
        if !own.is_empty() {
            return own;
        }
        let target = if s.reference.is_some() {
            Some(s)
        } else if let [one] = s.all_of.as_slice() {
            Some(one)
        } else {
            None
        };
        target
            .and_then(|t| self.lookup_schema(t, at).ok())
            .map(|(t, _, _)| describe(t))
            .unwrap_or_default()
    }

    /// `readOnly`/`writeOnly` at the site or on the referenced schema.
    /// The schema whose annotations (`readOnly`, `default`, `deprecated`, ...) apply at a
    /// property: the property itself, or for a bare `$ref` the schema it names.
    fn annotated(&self, s: &'a Schema, at: &str) -> &'a Schema {
        if s.reference.is_some() {
            self.lookup_schema(s, at).map(|(t, _, _)| t).unwrap_or(s)
        } else {
            s
        }
    }

    fn structure(
        &mut self,
        name: &str,
        origin: &str,
        view: ObjView<'a>,
        depth: usize,
    ) -> Result<Structure> {
        let mut members = Vec::new();
        for (pname, ps, pat) in &view.props {
            let hint = format!("{name}{}", rust_type_name(pname));
            let r = self.schema_type(ps, pat, &hint, depth + 1)?;
            let mut docs = self.property_docs(ps, pat);
            let ann = self.annotated(ps, pat);
            let (read_only, write_only) = (ann.read_only, ann.write_only);
            let note = if read_only {
                "Read-only: set by the service; never required in a request, and ignored there."
            } else if write_only {
                "Write-only: sent in requests, never returned by the service."
            } else {
                ""
            };
            if !note.is_empty() {
                if !docs.is_empty() {
                    docs.push_str("\n\n");
                }
                docs.push_str(note);
            }
            members.push(Member {
                docs,
                required: view.required.contains(pname) && !read_only && !write_only,
                nullable: r.nullable,
                default: ann.default.clone(),
                deprecated: ann.deprecated.then(Deprecated::default),
                ..Member::new(*pname, r.ty, Location::Body)
            });
        }
        let additional = match view.additional {
            None | Some((AdditionalProperties::Bool(false), _)) => None,
            Some((AdditionalProperties::Bool(true), _)) => {
                Some(Box::new(Type::new(Kind::Document)))
            }
            Some((AdditionalProperties::Schema(v), vat)) => {
                let r = self.schema_type(v, &vat, &format!("{name}Value"), depth + 1)?;
                Some(Box::new(r.ty))
            }
        };
        Ok(Structure {
            docs: view.docs,
            members,
            additional,
            ..Structure::new(name, origin)
        })
    }

    /// Scalars, arrays, maps and free-form values.
    fn plain(&mut self, s: &'a Schema, at: &str, hint: &str, depth: usize) -> Result<Resolved> {
        let mut c = Constraints::default();
        let mut sparse = false;
        let kind = match s.kind.as_deref() {
            Some("string") => {
                let kind = match s.format.as_deref() {
                    Some("date-time") => Kind::Timestamp(TimestampFormat::DateTime),
                    Some("date") => Kind::Date,
                    Some("uuid") => Kind::Uuid,
                    Some("ip") => Kind::IpAddr(IpVersion::Any),
                    Some("ipv4") => Kind::IpAddr(IpVersion::V4),
                    Some("ipv6") => Kind::IpAddr(IpVersion::V6),
                    Some("byte" | "binary") => Kind::Blob,
                    _ => Kind::String,
                };
                if matches!(kind, Kind::String | Kind::Timestamp(_)) {
                    c.pattern = s.pattern.clone();
                    if s.min_length.is_some() || s.max_length.is_some() {
                        c.length = Some((s.min_length, s.max_length));
                    }
                }
                kind
            }
            Some("integer") => {
                if s.minimum.is_some() || s.maximum.is_some() {
                    let adj = |v: Option<f64>, excl: bool, d: f64| {
                        v.map(|v| if excl { v + d } else { v })
                    };
                    c.range = Some((
                        adj(s.minimum, s.exclusive_minimum, 1.0),
                        adj(s.maximum, s.exclusive_maximum, -1.0),
                    ));
                }
                match s.format.as_deref() {
                    Some("int8") => Kind::Byte,
                    Some("int16") => Kind::Short,
                    Some("int32") => Kind::Integer,
                    Some("uint8") => Kind::UnsignedByte,
                    Some("uint16") => Kind::UnsignedShort,
                    Some("uint32") => Kind::UnsignedInteger,
                    // schemars writes `uint` for `usize`: 64 bits holds it on every platform.
                    Some("uint64" | "uint") => Kind::UnsignedLong,
                    _ => Kind::Long,
                }
            }
            Some("number") => {
                if s.exclusive_minimum || s.exclusive_maximum {
                    return Err(self.err(at, "exclusive number bounds are not supported"));
                }
                if s.minimum.is_some() || s.maximum.is_some() {
                    c.range = Some((s.minimum, s.maximum));
                }
                match s.format.as_deref() {
                    Some("float") => Kind::Float,
                    _ => Kind::Double,
                }
            }
            Some("boolean") => Kind::Boolean,
            Some("array") => {
                if s.min_items.is_some() || s.max_items.is_some() {
                    c.length = Some((s.min_items, s.max_items));
                }
                match &s.items {
                    Some(items) => {
                        let r = self.schema_type(
                            items,
                            &format!("{at}/items"),
                            &format!("{hint}Item"),
                            depth + 1,
                        )?;
                        sparse = r.nullable;
                        Kind::List(Box::new(r.ty))
                    }
                    None => Kind::List(Box::new(Type::new(Kind::Document))),
                }
            }
            Some("object") | None => match &s.additional_properties {
                Some(AdditionalProperties::Schema(v)) => {
                    let r = self.schema_type(
                        v,
                        &format!("{at}/additionalProperties"),
                        &format!("{hint}Value"),
                        depth + 1,
                    )?;
                    sparse = r.nullable;
                    Kind::Map(Box::new(r.ty))
                }
                Some(AdditionalProperties::Bool(_)) => Kind::FreeFormObject,
                None if s.kind.is_some() => Kind::FreeFormObject,
                None => Kind::Document,
            },
            Some(other) => {
                return Err(self.err(
                    &format!("{at}/type"),
                    format!("unknown schema type `{other}`"),
                ));
            }
        };
        Ok(Resolved {
            ty: Type {
                constraints: c,
                sparse,
                ..Type::new(kind)
            },
            nullable: s.nullable,
        })
    }

    /// `oneOf`/`anyOf` -> a string enum or a union with the tagging the alternatives show.
    fn union(&mut self, name: &str, s: &'a Schema, at: &str, depth: usize) -> Result<Shape> {
        let key = if s.one_of.is_empty() {
            "anyOf"
        } else {
            "oneOf"
        };
        let mut alts = Vec::new();
        for (i, site) in alternatives(s).iter().enumerate() {
            if is_null(site) {
                continue;
            }
            let site_at = format!("{at}/{key}/{i}");
            let (target, component, target_at) = self.lookup_schema(site, &site_at)?;
            alts.push(Alt {
                site,
                site_at,
                target,
                component,
                target_at,
            });
        }
        let docs = describe(s);
        let deprecated = s.deprecated.then(Deprecated::default);

        // Only string values: one string enum.
        if alts.iter().all(|a| string_enum(a.target).is_some()) {
            let mut values: Vec<EnumValue> = Vec::new();
            for a in &alts {
                let vs = string_enum(a.target).unwrap_or_default();
                let value_docs = if vs.len() == 1 {
                    describe(a.site)
                } else {
                    String::new()
                };
                for v in vs {
                    if values.iter().all(|e| e.value != v) {
                        values.push(EnumValue {
                            value: v.to_string(),
                            variant: variant_name(v),
                            docs: value_docs.clone(),
                        });
                    }
                }
            }
            return Ok(Shape::Enum(Enum {
                rust_name: name.to_string(),
                docs,
                values,
            }));
        }

        let union = |members: Vec<Member>, tagging: Tagging| {
            Shape::Union(Union {
                rust_name: name.to_string(),
                origin: at.to_string(),
                docs: docs.clone(),
                members,
                tagging,
                sensitive: false,
                deprecated: deprecated.clone(),
            })
        };

        // Object views of the alternatives (None: not an object).
        let mut views = Vec::new();
        for a in &alts {
            views.push(if self.objectish(a.target, &a.target_at) {
                Some(self.object_view(a.target, &a.target_at, depth + 1)?)
            } else {
                None
            });
        }

        // A tag field named by a discriminator, or one-value enums in every alternative.
        let field = match &s.discriminator {
            Some(d) => Some(d.property_name.clone()),
            None => self.common_tag(&alts, &views),
        };
        if let Some(field) = field
            && let Some(tags) = self.tags(s, &alts, &views, &field)?
        {
            return self.tagged(name, &alts, &views, &field, &tags, depth, union);
        }

        // One-required-property objects (and bare strings): externally tagged.
        let external = alts.iter().zip(&views).all(|(a, v)| match v {
            Some(v) => {
                v.props.len() == 1
                    && v.required.contains(v.props[0].0)
                    && matches!(
                        v.additional,
                        None | Some((AdditionalProperties::Bool(false), _))
                    )
            }
            None => string_enum(a.target).is_some(),
        });
        if external {
            let mut members = Vec::new();
            let mut wire = HashSet::new();
            for (a, v) in alts.iter().zip(&views) {
                match v {
                    Some(v) => {
                        let (prop, ps, pat) = &v.props[0];
                        let variant = variant_name(prop);
                        let r =
                            self.schema_type(ps, pat, &format!("{name}{variant}"), depth + 1)?;
                        wire.insert(prop.to_string());
                        members.push(Member {
                            docs: describe(a.site),
                            rust_name: variant,
                            nullable: r.nullable,
                            ..Member::new(*prop, r.ty, Location::Body)
                        });
                    }
                    None => {
                        for value in string_enum(a.target).unwrap_or_default() {
                            wire.insert(value.to_string());
                            members.push(Member {
                                docs: describe(a.site),
                                rust_name: variant_name(value),
                                ..Member::new(value, Type::new(Kind::Unit), Location::Body)
                            });
                        }
                    }
                }
            }
            if wire.len() == members.len() {
                return Ok(union(members, Tagging::External));
            }
        }

        // Nothing tells the alternatives apart: the first that parses wins.
        let mut members = Vec::new();
        for (i, a) in alts.iter().enumerate() {
            let named = match (a.component, a.site.title.as_deref()) {
                (Some(c), _) => Some(self.component_name(c)),
                (None, Some(t)) => Some(rust_type_name(t)),
                (None, None) => None,
            };
            let hint = format!("{name}{}", named.as_deref().unwrap_or("Variant"));
            let r = self.schema_type(a.site, &a.site_at, &hint, depth + 1)?;
            let variant = named.unwrap_or_else(|| kind_word(&r.ty.kind, i));
            members.push(Member {
                docs: describe(a.site),
                rust_name: variant.clone(),
                nullable: r.nullable,
                ..Member::new(variant, r.ty, Location::Body)
            });
        }
        Ok(union(members, Tagging::Untagged))
    }

    /// Whether a schema is an object with properties, seen through `$ref`s and `allOf`s of
    /// one part (a bounded walk).
    fn objectish(&self, s: &'a Schema, at: &str) -> bool {
        let mut current = (s, at.to_string());
        for _ in 0..MAX_DEPTH {
            let Ok((s, _, at)) = self.lookup_schema(current.0, &current.1) else {
                return false;
            };
            if !alternatives(s).is_empty() || s.enumeration.is_some() {
                return false;
            }
            match s.all_of.as_slice() {
                [] => return s.kind.as_deref() == Some("object") || !s.properties.is_empty(),
                [one] if s.properties.is_empty() => current = (one, format!("{at}/allOf/0")),
                _ => return true,
            }
        }
        false
    }

    /// The value of a one-value string enum property `field` of an object view.
    fn tag_of(&self, view: &ObjView<'a>, field: &str) -> Option<String> {
        let (_, ps, pat) = view.props.iter().find(|(n, _, _)| *n == field)?;
        let (t, _, _) = self.lookup_schema(ps, pat).ok()?;
        match string_enum(t)?.as_slice() {
            [one] => Some(one.to_string()),
            _ => None,
        }
    }

    /// A property that is a required one-value string enum in every alternative, with a
    /// different value in each.
    fn common_tag(&self, alts: &[Alt<'a>], views: &[Option<ObjView<'a>>]) -> Option<String> {
        let first = views.first()?.as_ref()?;
        first
            .props
            .iter()
            .map(|(n, _, _)| *n)
            .find(|field| {
                let mut values = HashSet::new();
                views.iter().all(|v| {
                    v.as_ref().is_some_and(|v| {
                        v.required.contains(field)
                            && self.tag_of(v, field).is_some_and(|t| values.insert(t))
                    })
                }) && values.len() == alts.len()
            })
            .map(str::to_string)
    }

    /// The tag of each alternative for tag field `field`, `None` when they cannot all be
    /// told apart this way. With a `discriminator`, a mapping entry naming the alternative's
    /// `$ref` gives its tag, else the component name, else the property's one-value enum.
    fn tags(
        &self,
        s: &Schema,
        alts: &[Alt<'a>],
        views: &[Option<ObjView<'a>>],
        field: &str,
    ) -> Result<Option<Vec<String>>> {
        let mut tags = Vec::new();
        for (a, v) in alts.iter().zip(views) {
            let Some(v) = v else {
                if s.discriminator.is_some() {
                    return Err(self.err(
                        &a.site_at,
                        "a `discriminator` alternative must be an object schema",
                    ));
                }
                return Ok(None);
            };
            let from_mapping = s.discriminator.as_ref().and_then(|d| {
                let reference = a.site.reference.as_deref()?;
                d.mapping
                    .iter()
                    .find(|(_, target)| {
                        target.as_str() == reference
                            || a.component.is_some_and(|c| target.as_str() == c)
                    })
                    .map(|(k, _)| k.clone())
            });
            let tag = from_mapping.or_else(|| self.tag_of(v, field)).or_else(|| {
                s.discriminator
                    .as_ref()
                    .and(a.component)
                    .map(str::to_string)
            });
            match tag {
                Some(t) if !tags.contains(&t) => tags.push(t),
                _ if s.discriminator.is_some() => {
                    return Err(self.err(
                        &a.site_at,
                        format!("cannot tell the tag value (`{field}`) of this alternative"),
                    ));
                }
                _ => return Ok(None),
            }
        }
        Ok(Some(tags))
    }

    /// An internally or adjacently tagged union: variants are the alternatives without
    /// the tag field (adjacent when every alternative has at most one other property, the
    /// same one in all of them).
    #[allow(clippy::too_many_arguments)]
    fn tagged(
        &mut self,
        name: &str,
        alts: &[Alt<'a>],
        views: &[Option<ObjView<'a>>],
        field: &str,
        tags: &[String],
        depth: usize,
        union: impl Fn(Vec<Member>, Tagging) -> Shape,
    ) -> Result<Shape> {
        let rest = |v: &ObjView<'a>| -> Vec<(&'a str, &'a Schema, String)> {
            v.props
                .iter()
                .filter(|(n, _, _)| *n != field)
                .cloned()
                .collect()
        };
        let others: Vec<_> = views.iter().flatten().map(rest).collect();
        let content: Option<&str> = others.iter().find_map(|o| o.first().map(|(n, _, _)| *n));
        let adjacent = content.is_some_and(|c| {
            views
                .iter()
                .flatten()
                .zip(&others)
                .all(|(v, o)| match o.as_slice() {
                    [] => true,
                    [(n, _, _)] => *n == c && v.required.contains(c),
                    _ => false,
                })
        });
        let mut members = Vec::new();
        for ((a, v), tag) in alts.iter().zip(views.iter().flatten()).zip(tags) {
            let variant = variant_name(tag);
            let props = rest(v);
            let ty = if props.is_empty() {
                Resolved {
                    ty: Type::new(Kind::Unit),
                    nullable: false,
                }
            } else if adjacent {
                let (_, ps, pat) = &props[0];
                self.schema_type(ps, pat, &format!("{name}{variant}"), depth + 1)?
            } else {
                let sname = self.fresh(&format!("{name}{variant}"));
                let sub = ObjView {
                    props,
                    required: v.required.clone(),
                    additional: v.additional.clone(),
                    docs: v.docs.clone(),
                };
                let st = self.structure(&sname, &a.target_at, sub, depth + 1)?;
                self.shapes.insert(sname.clone(), Shape::Structure(st));
                Resolved {
                    ty: Type::new(Kind::Struct(sname)),
                    nullable: false,
                }
            };
            members.push(Member {
                docs: describe(a.site),
                rust_name: variant,
                nullable: ty.nullable,
                ..Member::new(tag.clone(), ty.ty, Location::Body)
            });
        }
        let tagging = match (adjacent, content) {
            (true, Some(c)) => Tagging::Adjacent {
                field: field.to_string(),
                content: c.to_string(),
            },
            _ => Tagging::Internal {
                field: field.to_string(),
            },
        };
        Ok(union(members, tagging))
    }
}

/// A variant name for an untagged alternative that has no name of its own.
fn kind_word(kind: &Kind, index: usize) -> String {
    match kind {
        Kind::String => "String".into(),
        Kind::Boolean => "Boolean".into(),
        Kind::Byte | Kind::Short | Kind::Integer | Kind::Long => "Integer".into(),
        Kind::UnsignedByte | Kind::UnsignedShort | Kind::UnsignedInteger | Kind::UnsignedLong => {
            "Unsigned".into()
        }
        Kind::Float | Kind::Double | Kind::BigDecimal | Kind::BigInteger => "Number".into(),
        Kind::List(_) => "List".into(),
        Kind::Map(_) | Kind::FreeFormObject => "Map".into(),
        Kind::Struct(n) | Kind::Enum(n) | Kind::IntEnum(n) | Kind::Union(n) => n.clone(),
        _ => format!("Variant{index}"),
    }
}
