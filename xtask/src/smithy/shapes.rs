//! Shapes: named structures, unions and enums (built once each, from the loader's work
//! queue), their members with HTTP bindings, and the types of member targets.

use serde_json::Value;

use super::ast::{self, MemberRef, Traits};
use super::{
    Ctx, Loader, MAX_INLINE_DEPTH, Result, UNIT, deprecated_of, doc_of, local_name, prelude,
    rust_type_name,
};
use crate::docs::from_html;
use crate::ir::*;

impl Loader<'_> {
    /// Registers a named shape (structure, union, enum, intEnum) and returns its Rust name;
    /// it is built later from the queue.
    pub(super) fn named(&mut self, id: &str, ctx: Ctx) -> String {
        if let Some(n) = self.names.get(id) {
            return n.clone();
        }
        let local = self
            .renames
            .get(id)
            .map(String::as_str)
            .unwrap_or(local_name(id));
        let base = rust_type_name(local);
        let base = if base.is_empty() {
            "Shape".to_string()
        } else {
            base
        };
        let mut name = base.clone();
        let mut n = 2;
        while self.taken.contains_key(&name) {
            name = format!("{base}{n}");
            n += 1;
        }
        self.taken.insert(name.clone(), id.to_string());
        self.names.insert(id.to_string(), name.clone());
        self.queue.push_back((id.to_string(), ctx));
        name
    }

    /// Builds every queued named shape (which may queue more).
    pub(super) fn drain(&mut self) -> Result<()> {
        while let Some((id, ctx)) = self.queue.pop_front() {
            let rust = self.names.get(&id).cloned().unwrap_or_default();
            if id == UNIT {
                // A union member without a value: an empty structure, `{}` on the wire.
                let st = Structure {
                    docs: "No value: the variant alone carries the information.".into(),
                    ..Structure::new(rust.clone(), UNIT)
                };
                self.out.insert(rust, Shape::Structure(st));
                continue;
            }
            let shape = self.shape(&id, &id)?;
            let built = match shape.kind.as_str() {
                "structure" => Shape::Structure(self.structure(&id, &shape, rust.clone(), ctx)?),
                "union" => Shape::Union(self.union(&id, &shape, rust.clone())?),
                "enum" | "string" => Shape::Enum(self.enumeration(&id, &shape, rust.clone())?),
                "intEnum" => Shape::IntEnum(self.int_enum(&id, &shape, rust.clone())?),
                other => {
                    return Err(self.err(&id, format!("a {other} shape cannot be a named type")));
                }
            };
            self.out.insert(rust, built);
        }
        Ok(())
    }

    /// An operation's input or output structure, owned by the operation.
    pub(super) fn owned_structure(
        &mut self,
        id: &str,
        op: &str,
        rust: String,
        ctx: Ctx,
    ) -> Result<Structure> {
        let shape = self.shape(id, op)?;
        if shape.kind != "structure" {
            return Err(self.err(
                id,
                format!(
                    "operation input/output is a {}, not a structure",
                    shape.kind
                ),
            ));
        }
        self.structure(id, &shape, rust, ctx)
    }

    fn structure(
        &mut self,
        id: &str,
        shape: &ast::Shape,
        rust: String,
        ctx: Ctx,
    ) -> Result<Structure> {
        let t = &shape.traits;
        self.check_traits(id, t, &[])?;
        let mut members = Vec::new();
        for (name, m) in &shape.members {
            members.push(self.member(id, name, m, ctx)?);
        }
        Ok(Structure {
            docs: doc_of(t),
            members,
            is_error: t.contains_key("smithy.api#error"),
            retryable: retryable_of(t),
            sensitive: t.contains_key("smithy.api#sensitive"),
            deprecated: deprecated_of(t),
            ..Structure::new(rust, id)
        })
    }

    fn union(&mut self, id: &str, shape: &ast::Shape, rust: String) -> Result<Union> {
        let t = &shape.traits;
        self.check_traits(id, t, &[])?;
        if shape.members.is_empty() {
            return Err(self.err(id, "union without members"));
        }
        let mut members = Vec::new();
        for (name, m) in &shape.members {
            let mut member = if m.target.as_deref() == Some(UNIT) {
                let at = format!("{id}${name}");
                self.check_traits(&at, &m.traits, &[])?;
                let unit = self.named(UNIT, Ctx::Nested);
                Member {
                    docs: doc_of(&m.traits),
                    ..Member::new(
                        self.json_name(name, &m.traits),
                        Type::new(Kind::Struct(unit)),
                        Location::Body,
                    )
                }
            } else {
                self.member(id, name, m, Ctx::Nested)?
            };
            member.member_name = name.clone();
            member.rust_name = variant_name(name);
            members.push(member);
        }
        Ok(Union {
            rust_name: rust,
            origin: id.to_string(),
            docs: doc_of(t),
            members,
            tagging: Tagging::External,
            sensitive: t.contains_key("smithy.api#sensitive"),
            deprecated: deprecated_of(t),
        })
    }

    /// A Smithy 2 `enum` shape, or a Smithy 1 string with the `@enum` trait.
    fn enumeration(&mut self, id: &str, shape: &ast::Shape, rust: String) -> Result<Enum> {
        let t = &shape.traits;
        self.check_traits(id, t, &[])?;
        let mut values = Vec::new();
        if shape.kind == "string" {
            let Some(Value::Array(defs)) = t.get("smithy.api#enum") else {
                return Err(self.err(id, "`smithy.api#enum` must be a list"));
            };
            for d in defs {
                let value = d.get("value").and_then(Value::as_str).ok_or_else(|| {
                    self.err(id, "`smithy.api#enum` entry without a string `value`")
                })?;
                values.push(EnumValue {
                    value: value.to_string(),
                    variant: variant_name(value),
                    docs: d
                        .get("documentation")
                        .and_then(Value::as_str)
                        .map(from_html)
                        .unwrap_or_default(),
                });
            }
        } else {
            for (name, m) in &shape.members {
                let at = format!("{id}${name}");
                self.check_traits(&at, &m.traits, &[])?;
                let value = match m.traits.get("smithy.api#enumValue") {
                    None => name.clone(),
                    Some(Value::String(s)) => s.clone(),
                    Some(other) => {
                        return Err(self.err(
                            &at,
                            format!("`smithy.api#enumValue` must be a string, found {other}"),
                        ));
                    }
                };
                values.push(EnumValue {
                    variant: variant_name(&value),
                    value,
                    docs: doc_of(&m.traits),
                });
            }
        }
        if values.is_empty() {
            return Err(self.err(id, "enum without members"));
        }
        Ok(Enum {
            rust_name: rust,
            docs: doc_of(t),
            values,
        })
    }

    fn int_enum(&mut self, id: &str, shape: &ast::Shape, rust: String) -> Result<IntEnum> {
        let t = &shape.traits;
        self.check_traits(id, t, &[])?;
        let mut values = Vec::new();
        for (name, m) in &shape.members {
            let at = format!("{id}${name}");
            self.check_traits(&at, &m.traits, &[])?;
            let value = m
                .traits
                .get("smithy.api#enumValue")
                .and_then(Value::as_i64)
                .ok_or_else(|| {
                    self.err(
                        &at,
                        "intEnum member needs an integer `smithy.api#enumValue`",
                    )
                })?;
            values.push(IntEnumValue {
                value,
                variant: variant_name(name),
                docs: doc_of(&m.traits),
            });
        }
        if values.is_empty() {
            return Err(self.err(id, "intEnum without members"));
        }
        Ok(IntEnum {
            rust_name: rust,
            docs: doc_of(t),
            values,
        })
    }

    /// The JSON key of a body member: `jsonName` on restJson1, else the member name.
    fn json_name(&self, name: &str, t: &Traits) -> String {
        match (
            &self.protocol,
            t.get("smithy.api#jsonName").and_then(Value::as_str),
        ) {
            (Protocol::RestJson1, Some(j)) => j.to_string(),
            _ => name.to_string(),
        }
    }

    /// The value of a string-valued trait (`httpHeader`, `httpQuery`, ...), when present.
    fn str_trait(&self, at: &str, t: &Traits, name: &str) -> Result<Option<String>> {
        match t.get(name) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(other) => Err(self.err(at, format!("`{name}` must be a string, found {other}"))),
        }
    }

    fn location(&self, at: &str, name: &str, t: &Traits, ctx: Ctx) -> Result<(Location, String)> {
        let body = || (Location::Body, self.json_name(name, t));
        if self.protocol != Protocol::RestJson1 || ctx == Ctx::Nested {
            return Ok(body());
        }
        let has = |k: &str| t.contains_key(k);
        if let Some(h) = self.str_trait(at, t, "smithy.api#httpHeader")? {
            return Ok((Location::Header, h));
        }
        if let Some(p) = self.str_trait(at, t, "smithy.api#httpPrefixHeaders")? {
            return Ok((Location::PrefixHeaders, p));
        }
        if has("smithy.api#httpPayload") {
            return Ok((Location::Payload, self.json_name(name, t)));
        }
        if ctx == Ctx::Input {
            if has("smithy.api#httpLabel") {
                return Ok((Location::Label, name.to_string()));
            }
            if let Some(q) = self.str_trait(at, t, "smithy.api#httpQuery")? {
                return Ok((Location::Query, q));
            }
            if has("smithy.api#httpQueryParams") {
                return Ok((Location::QueryParams, name.to_string()));
            }
        } else if has("smithy.api#httpResponseCode") {
            return Ok((Location::ResponseCode, name.to_string()));
        }
        Ok(body())
    }

    fn member(&mut self, owner: &str, name: &str, m: &MemberRef, ctx: Ctx) -> Result<Member> {
        let at = format!("{owner}${name}");
        let mt = &m.traits;
        self.check_traits(&at, mt, &[])?;
        let Some(target) = m.target.clone() else {
            return Err(self.err(&at, "member without a `target`"));
        };
        if target == UNIT {
            return Err(self.err(&at, "only union members may target smithy.api#Unit"));
        }
        let (location, wire) = self.location(&at, name, mt, ctx)?;
        let ty = self.ty(&target, mt, location, &at, 0)?;
        let target_traits = self
            .shapes
            .get(&target)
            .map(|s| s.traits.clone())
            .unwrap_or_default();
        let mut docs = doc_of(mt);
        if docs.is_empty() {
            docs = doc_of(&target_traits);
        }
        // A member's `@default(null)` removes the target's default.
        let default = mt
            .get("smithy.api#default")
            .or_else(|| target_traits.get("smithy.api#default"))
            .filter(|v| !v.is_null())
            .cloned();
        Ok(Member {
            rust_name: field_name(name),
            member_name: name.to_string(),
            docs,
            required: mt.contains_key("smithy.api#required") || location == Location::Label,
            idempotency_token: mt.contains_key("smithy.api#idempotencyToken"),
            host_label: mt.contains_key("smithy.api#hostLabel"),
            sensitive: mt.contains_key("smithy.api#sensitive")
                || target_traits.contains_key("smithy.api#sensitive"),
            deprecated: deprecated_of(mt),
            default,
            ..Member::new(wire, ty, location)
        })
    }

    /// The type of a use of `id` (with the member's traits) at `location`.
    fn ty(
        &mut self,
        id: &str,
        member: &Traits,
        location: Location,
        at: &str,
        depth: usize,
    ) -> Result<Type> {
        if depth > MAX_INLINE_DEPTH {
            return Err(self.err(
                at,
                format!("lists and maps nest deeper than {MAX_INLINE_DEPTH} levels"),
            ));
        }
        let (kind_name, shape) = match prelude(id) {
            Some(k) => (k.to_string(), None),
            None if id.starts_with("smithy.api#") && !self.shapes.contains_key(id) => {
                return Err(self.err(at, format!("unknown prelude shape `{id}`")));
            }
            None => {
                let s = self.shape(id, at)?;
                self.check_traits(id, &s.traits, &[])?;
                (s.kind.clone(), Some(s))
            }
        };
        let empty = Traits::new();
        let st = shape.as_ref().map(|s| &s.traits).unwrap_or(&empty);
        // The member's traits win over the target's.
        let get = |k: &str| member.get(k).or_else(|| st.get(k));

        let kind = match kind_name.as_str() {
            "string" if st.contains_key("smithy.api#enum") => {
                Kind::Enum(self.named(id, Ctx::Nested))
            }
            "string" => Kind::String,
            "enum" => Kind::Enum(self.named(id, Ctx::Nested)),
            "intEnum" => Kind::IntEnum(self.named(id, Ctx::Nested)),
            "blob" => Kind::Blob,
            "boolean" => Kind::Boolean,
            "byte" => Kind::Byte,
            "short" => Kind::Short,
            "integer" => Kind::Integer,
            "long" => Kind::Long,
            "float" => Kind::Float,
            "double" => Kind::Double,
            "bigInteger" => Kind::BigInteger,
            "bigDecimal" => Kind::BigDecimal,
            "document" => Kind::Document,
            "timestamp" => {
                let format = match get("smithy.api#timestampFormat") {
                    None => match location {
                        Location::Header | Location::PrefixHeaders => TimestampFormat::HttpDate,
                        Location::Query | Location::QueryParams | Location::Label => {
                            TimestampFormat::DateTime
                        }
                        _ => TimestampFormat::EpochSeconds,
                    },
                    Some(v) => match v.as_str() {
                        Some("epoch-seconds") => TimestampFormat::EpochSeconds,
                        Some("date-time") => TimestampFormat::DateTime,
                        Some("http-date") => TimestampFormat::HttpDate,
                        _ => {
                            return Err(self.err(
                                at,
                                format!("unsupported `smithy.api#timestampFormat` value {v}"),
                            ));
                        }
                    },
                };
                Kind::Timestamp(format)
            }
            "list" | "set" => {
                let Some(s) = &shape else {
                    return Err(self.err(at, format!("`{id}` is not a list shape")));
                };
                let Some(item) = &s.member else {
                    return Err(self.err(id, "list without `member`"));
                };
                let iat = format!("{id}$member");
                self.check_traits(&iat, &item.traits, &[])?;
                let target = self.target(&iat, item.target.as_ref())?;
                self.enter_inline(id)?;
                let inner = self.ty(&target, &item.traits, location, &iat, depth + 1);
                self.inline_path.pop();
                Kind::List(Box::new(inner?))
            }
            "map" => {
                let Some(s) = &shape else {
                    return Err(self.err(at, format!("`{id}` is not a map shape")));
                };
                let (Some(key), Some(value)) = (&s.key, &s.value) else {
                    return Err(self.err(id, "map without `key` and `value`"));
                };
                let kat = format!("{id}$key");
                let vat = format!("{id}$value");
                self.check_traits(&kat, &key.traits, &[])?;
                self.check_traits(&vat, &value.traits, &[])?;
                let kt = self.target(&kat, key.target.as_ref())?;
                let vt = self.target(&vat, value.target.as_ref())?;
                self.enter_inline(id)?;
                let k = self.ty(&kt, &key.traits, location, &kat, depth + 1);
                let v = k.and_then(|k| {
                    if matches!(k.kind, Kind::String | Kind::Enum(_)) {
                        self.ty(&vt, &value.traits, location, &vat, depth + 1)
                    } else {
                        Err(self.err(id, "map keys must be strings"))
                    }
                });
                self.inline_path.pop();
                Kind::Map(Box::new(v?))
            }
            "structure" => Kind::Struct(self.named(id, Ctx::Nested)),
            "union" => Kind::Union(self.named(id, Ctx::Nested)),
            other @ ("operation" | "service" | "resource") => {
                return Err(self.err(at, format!("member targets `{id}`, a {other} shape")));
            }
            other => return Err(self.err(id, format!("unknown shape type {other:?}"))),
        };

        let mut constraints = Constraints::default();
        if let Some(p) = get("smithy.api#pattern") {
            let p = p.as_str().ok_or_else(|| {
                self.err(
                    at,
                    format!("`smithy.api#pattern` must be a string, found {p}"),
                )
            })?;
            constraints.pattern = Some(p.to_string());
        }
        if let Some(l) = get("smithy.api#length") {
            constraints.length = Some((
                self.bound_u64(at, "length", l.get("min"))?,
                self.bound_u64(at, "length", l.get("max"))?,
            ));
        }
        if let Some(r) = get("smithy.api#range") {
            constraints.range = Some((
                self.bound_f64(at, r.get("min"))?,
                self.bound_f64(at, r.get("max"))?,
            ));
        }
        let media_type = match get("smithy.api#mediaType") {
            None => None,
            Some(Value::String(m)) => Some(m.clone()),
            Some(other) => {
                return Err(self.err(
                    at,
                    format!("`smithy.api#mediaType` must be a string, found {other}"),
                ));
            }
        };
        Ok(Type {
            kind,
            constraints,
            sparse: st.contains_key("smithy.api#sparse"),
            media_type,
        })
    }

    fn enter_inline(&mut self, id: &str) -> Result<()> {
        if self.inline_path.iter().any(|p| p == id) {
            return Err(self.err(
                id,
                "list or map contains itself without a structure or union in between",
            ));
        }
        self.inline_path.push(id.to_string());
        Ok(())
    }

    fn bound_u64(&self, at: &str, what: &str, v: Option<&Value>) -> Result<Option<u64>> {
        match v {
            None | Some(Value::Null) => Ok(None),
            Some(v) => v.as_u64().map(Some).ok_or_else(|| {
                self.err(
                    at,
                    format!("`smithy.api#{what}` bound {v} is not a non-negative integer"),
                )
            }),
        }
    }

    fn bound_f64(&self, at: &str, v: Option<&Value>) -> Result<Option<f64>> {
        match v {
            None | Some(Value::Null) => Ok(None),
            Some(v) => v.as_f64().map(Some).ok_or_else(|| {
                self.err(at, format!("`smithy.api#range` bound {v} is not a number"))
            }),
        }
    }
}

pub(super) fn retryable_of(t: &Traits) -> Option<Retryable> {
    t.get("smithy.api#retryable").map(|r| Retryable {
        throttling: r.get("throttling").and_then(Value::as_bool) == Some(true),
    })
}
