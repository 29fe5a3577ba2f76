//! Unions: one Rust enum per union shape, with accessors, `Debug`, a JSON schema and the
//! serde implementations of the union's [`Tagging`]:
//!
//! - `External`: `{"tag": value}`, read with a visitor (a `null` member counts as unset, and
//!   `__type` is skipped, as the AWS protocols need). A unit member is the bare string
//!   `"tag"` for plain JSON APIs (serde's form for an externally tagged unit variant) and
//!   `{"tag": {}}` for the AWS protocols (Smithy's form); both are read.
//! - `Internal`: `{"field": "tag", ...members of the variant's structure}`.
//! - `Adjacent`: `{"field": "tag", "content": value}`.
//! - `Untagged`: the value alone; reading tries the members in order.
//!
//! Internal, adjacent and untagged unions are read through a `serde_json::Value` (the tag
//! may come after the members, and an untagged value may be tried more than once), so they
//! never go through serde's private buffering, which some of the runtime's types (the
//! big numbers' raw JSON) do not support. Tagged unions keep an `Unknown` variant for tags
//! this client does not know; an untagged union has none (there is no tag to be unknown).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::types::{
    REDACTED, deprecated_attr, format_marker, member_doc, member_type, nested_timestamp,
    schema_type,
};
use super::validation::union_validate;
use super::{Ctx, doc, ident, plain, rust_type};
use crate::ir::*;

fn is_unit(m: &Member) -> bool {
    matches!(m.ty.kind, Kind::Unit)
}

/// The timestamp format of a member's value (a timestamp, or a list or map of them).
fn member_format(m: &Member) -> Option<TimestampFormat> {
    match m.ty.kind {
        Kind::Timestamp(f) => Some(f),
        _ => nested_timestamp(&m.ty),
    }
}

/// An expression that serializes `value` (a reference to a member's value) in its wire form.
fn ser_value(m: &Member) -> TokenStream {
    match member_format(m) {
        Some(f) => {
            let marker = format_marker(f);
            quote!(&cloudjobs_runtime::datetime::Formatted::<#marker, _>::new(value))
        }
        None => quote!(value),
    }
}

/// The type a member's value is read as, and the function (a path or a closure) that turns
/// the value read into the variant `variant` (a path such as `Self::Name`).
fn de_type(m: &Member, variant: &TokenStream) -> (TokenStream, TokenStream) {
    let t = member_type(m);
    match member_format(m) {
        Some(f) => {
            let marker = format_marker(f);
            (
                quote!(cloudjobs_runtime::datetime::Parsed<#marker, #t>),
                quote!(|value| #variant(value.into_inner())),
            )
        }
        None => (t, variant.clone()),
    }
}

pub(super) fn union(cx: &Ctx, u: &Union) -> TokenStream {
    let name = ident(&u.rust_name);
    let tagged = u.tagging != Tagging::Untagged;
    let d = doc(if u.docs.is_empty() {
        "A union of the API: exactly one member is set."
    } else {
        &u.docs
    });
    let how = match &u.tagging {
        Tagging::External => {
            "On the wire it is a JSON object with one member named by the variant's tag."
                .to_string()
        }
        Tagging::Internal { field } => format!(
            "On the wire the `{field}` member of the JSON object names the variant; the variant's own members sit next to it."
        ),
        Tagging::Adjacent { field, content } => format!(
            "On the wire the `{field}` member of the JSON object names the variant and `{content}` holds its value."
        ),
        Tagging::Untagged => "On the wire it is the variant's value alone: reading picks the first variant whose type fits the value (a structure needs its required members, an enum one of its known values, a string its pattern and length), then the first that reads it at all.".to_string(),
    };
    let how = doc(&how);
    let variants = u.members.iter().map(|m| {
        let dep = deprecated_attr(&m.deprecated);
        let d = doc(&variant_doc(m, &u.tagging));
        let v = ident(&m.rust_name);
        if is_unit(m) {
            quote!(#d #dep #v,)
        } else {
            let t = member_type(m);
            quote!(#d #dep #v(#t),)
        }
    });
    let accessors = u.members.iter().map(|m| {
        use heck::ToSnakeCase;
        let v = ident(&m.rust_name);
        let snake = plain(&m.rust_name).to_snake_case();
        let as_fn = format_ident!("as_{}", snake);
        let is_fn = format_ident!("is_{}", snake);
        if is_unit(m) {
            let is_doc = doc(&format!("Whether this is `{}`.", m.name));
            return quote! {
                #is_doc
                pub fn #is_fn(&self) -> bool {
                    matches!(self, Self::#v)
                }
            };
        }
        let t = rust_type(&m.ty);
        let get = if m.boxed {
            quote!(Ok(&**value))
        } else {
            quote!(Ok(value))
        };
        let as_doc = doc(&format!(
            "The `{}` value, or `Err(self)` when another member is set.",
            m.name
        ));
        let is_doc = doc(&format!("Whether the `{}` member is set.", m.name));
        // A union of one member: the `_` arm would be unreachable.
        let other = if tagged || u.members.len() > 1 {
            quote!(_ => Err(self),)
        } else {
            quote!()
        };
        quote! {
            #as_doc
            pub fn #as_fn(&self) -> Result<&#t, &Self> {
                match self {
                    Self::#v(value) => #get,
                    #other
                }
            }
            #is_doc
            pub fn #is_fn(&self) -> bool {
                matches!(self, Self::#v(_))
            }
        }
    });
    let (unknown_variant, unknown_doc, is_unknown) = if tagged {
        (
            quote! {
                /// A member this version of the client does not know (read from a response; it
                /// cannot be sent).
                Unknown,
            },
            quote! {
                ///
                /// Members added to the union in later versions of the API are read as
                /// [`Unknown`](Self::Unknown).
            },
            quote! {
                /// Whether this is a member this client does not know.
                pub fn is_unknown(&self) -> bool {
                    matches!(self, Self::Unknown)
                }
            },
        )
    } else {
        (quote!(), quote!(), quote!())
    };
    let redacts = u.sensitive || u.members.iter().any(|m| m.sensitive);
    let (debug_derive, debug_impl) = if redacts {
        let arms = u.members.iter().map(|m| {
            let v = ident(&m.rust_name);
            let label = plain(&m.rust_name);
            if is_unit(m) {
                quote!(Self::#v => f.write_str(#label),)
            } else if u.sensitive || m.sensitive {
                let text = format!("{label}({REDACTED})");
                quote!(Self::#v(_) => f.write_str(#text),)
            } else {
                quote!(Self::#v(value) => f.debug_tuple(#label).field(value).finish(),)
            }
        });
        let unknown = if tagged {
            quote!(Self::Unknown => f.write_str("Unknown"),)
        } else {
            quote!()
        };
        (
            quote!(),
            quote! {
                impl std::fmt::Debug for #name {
                    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        match self {
                            #(#arms)*
                            #unknown
                        }
                    }
                }
            },
        )
    } else {
        (quote!(Debug,), quote!())
    };
    let dep = deprecated_attr(&u.deprecated);
    let serde_impls = match &u.tagging {
        Tagging::External => external(cx, u),
        Tagging::Internal { field } => internal(cx, u, field),
        Tagging::Adjacent { field, content } => adjacent(u, field, content),
        Tagging::Untagged => untagged(cx, u),
    };
    let schema = json_schema(cx, u);
    let validate = if cx.validated.contains(&u.rust_name) {
        union_validate(cx, u)
    } else {
        quote!()
    };
    quote! {
        #d
        ///
        #how
        #unknown_doc
        #dep
        #[derive(#debug_derive Clone, PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            #unknown_variant
        }

        impl #name {
            #(#accessors)*
            #is_unknown
        }

        #debug_impl
        #serde_impls
        #schema
        #validate
    }
}

fn variant_doc(m: &Member, tagging: &Tagging) -> String {
    let mut d = member_doc(m);
    match tagging {
        Tagging::Untagged => {}
        _ if is_unit(m) => d.push_str(&format!("\n\nThe tag `{}` alone.", m.name)),
        _ => d.push_str(&format!("\n\nTag `{}`.", m.name)),
    }
    d
}

fn unknown_write(u: &Union) -> String {
    format!(
        "the Unknown variant of {} holds no value and cannot be sent",
        u.rust_name
    )
}

/// `{"tag": value}`.
fn external(cx: &Ctx, u: &Union) -> TokenStream {
    let name = ident(&u.rust_name);
    let type_name = &u.rust_name;
    // Plain JSON APIs write a unit member as serde does, the AWS protocols as Smithy does.
    let bare_units = cx.svc.protocol == Protocol::Json;
    let unknown_write = unknown_write(u);
    let mut uses_map = false;
    let ser_arms: Vec<TokenStream> = u
        .members
        .iter()
        .map(|m| {
            let v = ident(&m.rust_name);
            let wire = &m.name;
            if is_unit(m) && bare_units {
                return quote!(Self::#v => serializer.serialize_str(#wire),);
            }
            uses_map = true;
            let (pattern, value) = if is_unit(m) {
                (quote!(Self::#v), quote!(&serde_json::Map::new()))
            } else {
                (quote!(Self::#v(value)), ser_value(m))
            };
            quote! {
                #pattern => {
                    let mut map = serializer.serialize_map(Some(1))?;
                    map.serialize_entry(#wire, #value)?;
                    map.end()
                }
            }
        })
        .collect();
    let use_map = if uses_map {
        quote!(
            use serde::ser::SerializeMap;
        )
    } else {
        quote!()
    };
    // Reading an object: the one non-null key; unknown keys become `Unknown`.
    let map_arms = u.members.iter().map(|m| {
        let v = ident(&m.rust_name);
        let wire = &m.name;
        if is_unit(m) {
            return quote! {
                #wire => map
                    .next_value::<Option<serde::de::IgnoredAny>>()?
                    .map(|_| #name::#v),
            };
        }
        let (t, conv) = de_type(m, &quote!(#name::#v));
        quote!(#wire => map.next_value::<Option<#t>>()?.map(#conv),)
    });
    // Reading a bare string: a unit member's tag, or a tag this client does not know.
    let unit_arms = u.members.iter().filter(|m| is_unit(m)).map(|m| {
        let v = ident(&m.rust_name);
        let wire = &m.name;
        quote!(#wire => Ok(#name::#v),)
    });
    let valued: Vec<&String> = u
        .members
        .iter()
        .filter(|m| !is_unit(m))
        .map(|m| &m.name)
        .collect();
    let needs_value = format!("member `{{tag}}` of union {type_name} needs a value");
    let valued_arm = if valued.is_empty() {
        quote!()
    } else {
        quote!(#(#valued)|* => Err(E::custom(format!(#needs_value))),)
    };
    let expecting = format!("a JSON object with one member of {type_name}, or a tag string");
    let too_many = format!("more than one member of union {type_name} is set");
    let none_set = format!("no member of union {type_name} is set");
    quote! {
        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                #use_map
                match self {
                    #(#ser_arms)*
                    Self::Unknown => Err(serde::ser::Error::custom(#unknown_write)),
                }
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct Visitor;
                impl<'de> serde::de::Visitor<'de> for Visitor {
                    type Value = #name;
                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str(#expecting)
                    }
                    fn visit_str<E: serde::de::Error>(self, tag: &str) -> Result<#name, E> {
                        match tag {
                            #(#unit_arms)*
                            #valued_arm
                            _ => Ok(#name::Unknown),
                        }
                    }
                    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<#name, A::Error> {
                        let mut found = None;
                        while let Some(key) = map.next_key::<String>()? {
                            let value = match key.as_str() {
                                #(#map_arms)*
                                // Type information some services add; not a member.
                                "__type" => {
                                    map.next_value::<serde::de::IgnoredAny>()?;
                                    None
                                }
                                _ => map
                                    .next_value::<Option<serde::de::IgnoredAny>>()?
                                    .map(|_| #name::Unknown),
                            };
                            if let Some(value) = value {
                                if found.is_some() {
                                    return Err(serde::de::Error::custom(#too_many));
                                }
                                found = Some(value);
                            }
                        }
                        found.ok_or_else(|| serde::de::Error::custom(#none_set))
                    }
                }
                deserializer.deserialize_any(Visitor)
            }
        }
    }
}

/// Whether the structure `name` has a body member whose wire name is `field` (it then keeps
/// the tag in that member too).
fn has_member(cx: &Ctx, name: &str, field: &str) -> bool {
    match cx.svc.shapes.get(name) {
        Some(Shape::Structure(s)) => s
            .members
            .iter()
            .any(|m| m.location == Location::Body && m.name == field),
        _ => false,
    }
}

/// `{"field": "tag", ...the variant's members}`.
fn internal(cx: &Ctx, u: &Union, field: &str) -> TokenStream {
    let name = ident(&u.rust_name);
    let type_name = &u.rust_name;
    let unknown_write = unknown_write(u);
    let ser_arms = u.members.iter().map(|m| {
        let v = ident(&m.rust_name);
        let wire = &m.name;
        if is_unit(m) {
            quote!(Self::#v => (#wire, serde_json::Map::new()),)
        } else {
            let not_object =
                format!("member `{wire}` of union {type_name} is not written as a JSON object");
            quote! {
                Self::#v(value) => match serde_json::to_value(value).map_err(S::Error::custom)? {
                    serde_json::Value::Object(object) => (#wire, object),
                    _ => return Err(S::Error::custom(#not_object)),
                },
            }
        }
    });
    let de_arms = u.members.iter().map(|m| {
        let v = ident(&m.rust_name);
        let wire = &m.name;
        if is_unit(m) {
            return quote!(#wire => Ok(Self::#v),);
        }
        let keep_tag = match &m.ty.kind {
            Kind::Struct(s) if has_member(cx, s, field) => {
                quote!(object.insert(#field.to_string(), serde_json::Value::String(tag.clone()));)
            }
            _ => quote!(),
        };
        let t = member_type(m);
        quote! {
            #wire => {
                #keep_tag
                serde_json::from_value::<#t>(serde_json::Value::Object(object))
                    .map(Self::#v)
                    .map_err(D::Error::custom)
            }
        }
    });
    let deserialize = tagged_deserialize(u, field, de_arms);
    quote! {
        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                use serde::ser::Error as _;
                let (tag, mut object) = match self {
                    #(#ser_arms)*
                    Self::Unknown => return Err(S::Error::custom(#unknown_write)),
                };
                object.insert(#field.to_string(), serde_json::Value::String(tag.to_string()));
                serde::Serialize::serialize(&object, serializer)
            }
        }

        #deserialize
    }
}

/// The `Deserialize` impl of a union whose tag is the string member `field` of a JSON object
/// (internal and adjacent tagging): `de_arms` match the tag (`object` holds the other members,
/// `tag` the tag); an unknown tag is `Unknown`.
fn tagged_deserialize(
    u: &Union,
    field: &str,
    de_arms: impl Iterator<Item = TokenStream>,
) -> TokenStream {
    let name = ident(&u.rust_name);
    let no_tag = format!(
        "union {} needs a string `{field}` member naming its variant",
        u.rust_name
    );
    quote! {
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                use serde::de::Error as _;
                let mut object =
                    <serde_json::Map<String, serde_json::Value> as serde::Deserialize>::deserialize(deserializer)?;
                let tag = match object.remove(#field) {
                    Some(serde_json::Value::String(tag)) => tag,
                    _ => return Err(D::Error::custom(#no_tag)),
                };
                match tag.as_str() {
                    #(#de_arms)*
                    _ => Ok(Self::Unknown),
                }
            }
        }
    }
}

/// `{"field": "tag", "content": value}`.
fn adjacent(u: &Union, field: &str, content: &str) -> TokenStream {
    let name = ident(&u.rust_name);
    let unknown_write = unknown_write(u);
    let ser_arms = u.members.iter().map(|m| {
        let v = ident(&m.rust_name);
        let wire = &m.name;
        if is_unit(m) {
            return quote! {
                Self::#v => {
                    let mut map = serializer.serialize_map(Some(1))?;
                    map.serialize_entry(#field, #wire)?;
                    map.end()
                }
            };
        }
        let value = ser_value(m);
        quote! {
            Self::#v(value) => {
                let mut map = serializer.serialize_map(Some(2))?;
                map.serialize_entry(#field, #wire)?;
                map.serialize_entry(#content, #value)?;
                map.end()
            }
        }
    });
    let de_arms = u.members.iter().map(|m| {
        let v = ident(&m.rust_name);
        let wire = &m.name;
        if is_unit(m) {
            return quote!(#wire => Ok(Self::#v),);
        }
        let (t, conv) = de_type(m, &quote!(Self::#v));
        quote! {
            #wire => serde_json::from_value::<#t>(object.remove(#content).unwrap_or_default())
                .map(#conv)
                .map_err(D::Error::custom),
        }
    });
    let deserialize = tagged_deserialize(u, field, de_arms);
    quote! {
        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeMap;
                match self {
                    #(#ser_arms)*
                    Self::Unknown => Err(serde::ser::Error::custom(#unknown_write)),
                }
            }
        }

        #deserialize
    }
}

/// The value alone. Reading tries each member whose type clearly fits (a structure whose
/// required members are present, an enum value the client knows, a string within its
/// pattern and length) in order, then each of the others that could still read the value
/// (a structure from any object, an enum or a string from any value of its type).
fn untagged(cx: &Ctx, u: &Union) -> TokenStream {
    let name = ident(&u.rust_name);
    let type_name = &u.rust_name;
    let ser_arms = u.members.iter().map(|m| {
        let v = ident(&m.rust_name);
        let value = ser_value(m);
        quote!(Self::#v(value) => serde::Serialize::serialize(#value, serializer),)
    });
    let attempt = |m: &Member, condition: Option<TokenStream>| {
        let v = ident(&m.rust_name);
        let (t, _) = de_type(m, &quote!(Self::#v));
        let field = match member_format(m) {
            Some(_) => quote!(value.into_inner()),
            None => quote!(value),
        };
        let condition = match condition {
            Some(c) => quote!(#c &&),
            None => quote!(),
        };
        quote! {
            if #condition let Ok(value) = serde_json::from_value::<#t>(value.clone()) {
                return Ok(Self::#v(#field));
            }
        }
    };
    // Types already read without a condition: reading one of them again would never succeed.
    let mut read_any = std::collections::BTreeSet::new();
    let mut first = Vec::new();
    // The second round: members with a condition of their own or none.
    let mut later: Vec<(&Member, Option<TokenStream>)> = Vec::new();
    for m in &u.members {
        let (strict, lenient) = fits(cx, &m.ty);
        match strict {
            None => {
                if read_any.insert(member_type(m).to_string()) {
                    first.push(attempt(m, None));
                }
            }
            Some(c) => {
                first.push(attempt(m, Some(c)));
                if let Some(lenient) = lenient {
                    later.push((m, lenient));
                }
            }
        }
    }
    let mut second = Vec::new();
    for (m, condition) in later {
        if condition.is_some() || read_any.insert(member_type(m).to_string()) {
            second.push(attempt(m, condition));
        }
    }
    let no_match = format!("the value matches no member of union {type_name}");
    quote! {
        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    #(#ser_arms)*
                }
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;
                #(#first)*
                #(#second)*
                Err(serde::de::Error::custom(#no_match))
            }
        }
    }
}

/// When a JSON `value` clearly is a value of type `ty`: `None` when reading it is the only
/// test; else the strict test, and the test of the second round (`None` inside: read it
/// without a test; `Some(None)` is never returned for a type without a second round).
#[allow(clippy::type_complexity)]
fn fits(cx: &Ctx, ty: &Type) -> (Option<TokenStream>, Option<Option<TokenStream>>) {
    match &ty.kind {
        Kind::Struct(n) => {
            let Some(Shape::Structure(s)) = cx.svc.shapes.get(n) else {
                return (None, None);
            };
            let body = s.members.iter().filter(|m| m.location == Location::Body);
            let (mut set, mut present) = (Vec::new(), Vec::new());
            for m in body.filter(|m| m.required) {
                if m.nullable {
                    present.push(&m.name);
                } else {
                    set.push(&m.name);
                }
            }
            let is_object = quote!(value.is_object());
            if set.is_empty() && present.is_empty() {
                return (Some(is_object), None);
            }
            let mut tests = Vec::new();
            if !set.is_empty() {
                tests.push(quote! {
                    [#(#set),*].iter().all(|k| object.get(*k).is_some_and(|v| !v.is_null()))
                });
            }
            if !present.is_empty() {
                tests.push(quote!([#(#present),*].iter().all(|k| object.contains_key(*k))));
            }
            let strict = quote!(value.as_object().is_some_and(|object| #(#tests)&&*));
            (Some(strict), Some(Some(is_object)))
        }
        Kind::Enum(n) => {
            let n = ident(n);
            (
                Some(
                    quote!(value.as_str().is_some_and(|v| crate::types::#n::values().contains(&v))),
                ),
                Some(None),
            )
        }
        // A string with a pattern or length fits when it satisfies them (`oneOf` of an IPv4
        // and an IPv6 network, told apart by their patterns).
        Kind::String if ty.constraints.pattern.is_some() || ty.constraints.length.is_some() => {
            let mut tests = Vec::new();
            if let Some(p) = &ty.constraints.pattern {
                tests.push(quote!(cloudjobs_runtime::validate::pattern("", v, #p).is_ok()));
            }
            if let Some((min, max)) = ty.constraints.length {
                let opt = |v: Option<u64>| match v {
                    Some(v) => quote!(Some(#v)),
                    None => quote!(None),
                };
                let (min, max) = (opt(min), opt(max));
                tests.push(
                    quote!(cloudjobs_runtime::validate::length_str("", v, #min, #max).is_ok()),
                );
            }
            (
                Some(quote!(value.as_str().is_some_and(|v| #(#tests)&&*))),
                Some(None),
            )
        }
        Kind::IntEnum(n) => {
            let n = ident(n);
            (
                Some(
                    quote!(value.as_i64().is_some_and(|v| crate::types::#n::values().contains(&v))),
                ),
                Some(None),
            )
        }
        _ => (None, None),
    }
}

/// The `schemars::JsonSchema` implementation: the schema of the wire form.
fn json_schema(cx: &Ctx, u: &Union) -> TokenStream {
    let name = ident(&u.rust_name);
    let schema_name = u.rust_name.clone();
    let sub = |m: &Member| {
        let t = schema_type(&m.ty).unwrap_or_else(|| member_type(m));
        quote!(generator.subschema_for::<#t>())
    };
    let bare_units = cx.svc.protocol == Protocol::Json;
    let (arms, top): (Vec<TokenStream>, TokenStream) = match &u.tagging {
        Tagging::External => {
            let arms = u
                .members
                .iter()
                .map(|m| {
                    let wire = &m.name;
                    if is_unit(m) && bare_units {
                        return quote!(
                            schemars::json_schema!({ "type": "string", "const": #wire })
                        );
                    }
                    let value = if is_unit(m) {
                        quote!(schemars::json_schema!({ "type": "object" }))
                    } else {
                        sub(m)
                    };
                    quote! {
                        schemars::json_schema!({
                            "type": "object",
                            "properties": { #wire: #value },
                            "required": [#wire],
                            "additionalProperties": false
                        })
                    }
                })
                .collect();
            let all_objects = !bare_units || !u.members.iter().any(is_unit);
            let top = if all_objects {
                quote!(schemars::json_schema!({ "type": "object", "oneOf": arms }))
            } else {
                quote!(schemars::json_schema!({ "oneOf": arms }))
            };
            (arms, top)
        }
        Tagging::Internal { field } => {
            let arms = u
                .members
                .iter()
                .map(|m| {
                    let wire = &m.name;
                    let tag = quote!({ "type": "string", "const": #wire });
                    if is_unit(m) {
                        quote! {
                            schemars::json_schema!({
                                "type": "object",
                                "properties": { #field: #tag },
                                "required": [#field]
                            })
                        }
                    } else {
                        let value = sub(m);
                        quote! {
                            schemars::json_schema!({
                                "type": "object",
                                "properties": { #field: #tag },
                                "required": [#field],
                                "allOf": [#value]
                            })
                        }
                    }
                })
                .collect();
            (
                arms,
                quote!(schemars::json_schema!({ "type": "object", "oneOf": arms })),
            )
        }
        Tagging::Adjacent { field, content } => {
            let arms = u
                .members
                .iter()
                .map(|m| {
                    let wire = &m.name;
                    let tag = quote!({ "type": "string", "const": #wire });
                    if is_unit(m) {
                        quote! {
                            schemars::json_schema!({
                                "type": "object",
                                "properties": { #field: #tag },
                                "required": [#field],
                                "additionalProperties": false
                            })
                        }
                    } else {
                        let value = sub(m);
                        quote! {
                            schemars::json_schema!({
                                "type": "object",
                                "properties": { #field: #tag, #content: #value },
                                "required": [#field, #content],
                                "additionalProperties": false
                            })
                        }
                    }
                })
                .collect();
            (
                arms,
                quote!(schemars::json_schema!({ "type": "object", "oneOf": arms })),
            )
        }
        Tagging::Untagged => (
            u.members.iter().map(sub).collect(),
            quote!(schemars::json_schema!({ "anyOf": arms })),
        ),
    };
    // Only unit members: no subschema, so the generator goes unused.
    let generator = if u.members.iter().all(is_unit) {
        quote!(_)
    } else {
        quote!(generator)
    };
    quote! {
        #[cfg(feature = "schemars")]
        impl schemars::JsonSchema for #name {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                #schema_name.into()
            }
            fn json_schema(#generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
                let arms = vec![#(#arms),*];
                #top
            }
        }
    }
}
