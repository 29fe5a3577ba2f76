//! The data types of `src/types.rs` and of each operation's input and output: structures
//! with their builders and `Debug`, string enums, int enums and unions.

use std::collections::BTreeSet;

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::unions::union;
use super::validation::{collect_rules, validate_fn};
use super::{Ctx, doc, ident, own_doc, plain, reachable, rust_type};
use crate::ir::*;

pub(super) fn types_rs(cx: &Ctx) -> TokenStream {
    let svc = cx.svc;
    let owned: BTreeSet<String> = svc
        .operations
        .iter()
        .flat_map(|o| {
            let mut v = vec![o.input.rust_name.clone()];
            if let Output::Owned(s) = &o.output {
                v.push(s.rust_name.clone());
            }
            v
        })
        .collect();
    let reach = reachable(svc);
    let mut items = Vec::new();
    let mut builders = Vec::new();
    for name in &reach {
        if owned.contains(name) {
            continue;
        }
        match svc.shapes.get(name) {
            Some(Shape::Structure(s)) => {
                let ty = ident(&s.rust_name);
                let builder = format_ident!("{}Builder", s.rust_name);
                let parts = structure_parts(
                    cx,
                    s,
                    &quote!(builders::#builder),
                    &quote!(crate::types::#ty),
                );
                items.push(parts.item);
                builders.push(parts.builder);
            }
            Some(Shape::Enum(e)) => items.push(enumeration(e)),
            Some(Shape::IntEnum(e)) => items.push(int_enumeration(e)),
            Some(Shape::Union(u)) => items.push(union(cx, u)),
            // The check pass guarantees every referenced name is a shape.
            None => {}
        }
    }
    let builders = if builders.is_empty() {
        quote!()
    } else {
        quote! {
            /// Builders of the structures above: `Type::builder()` returns one.
            pub mod builders {
                #(#builders)*
            }
        }
    };
    quote! {
        //! Structures, unions and enums shared by the operations.

        #(#items)*

        #builders

        /// Joins a parent field path and a member name: `Sort` + `SortBy` -> `Sort.SortBy`.
        #[allow(dead_code)]
        pub(crate) fn field_path(parent: &str, name: &str) -> String {
            if parent.is_empty() { name.to_string() } else { format!("{parent}.{name}") }
        }
    }
}

pub(super) fn structure(cx: &Ctx, s: &Structure) -> TokenStream {
    let name = ident(&s.rust_name);
    let builder = format_ident!("{}Builder", s.rust_name);
    let parts = structure_parts(cx, s, &quote!(#builder), &quote!(#name));
    let (item, builder) = (parts.item, parts.builder);
    quote!(#item #builder)
}

/// A structure's tokens: the type with its impls, and its builder, which may live in another
/// module (`types::builders`).
struct StructParts {
    item: TokenStream,
    builder: TokenStream,
}

/// `builder_path` names the builder from the structure's module, `self_path` the structure
/// from the builder's module.
fn structure_parts(
    cx: &Ctx,
    s: &Structure,
    builder_path: &TokenStream,
    self_path: &TokenStream,
) -> StructParts {
    let name = ident(&s.rust_name);
    let d = doc(if s.docs.is_empty() {
        "A structure of the API."
    } else {
        &s.docs
    });
    let fields = s.members.iter().map(|m| {
        let f = ident(&m.rust_name);
        let t = member_type(m);
        let wire = &m.name;
        let md = doc(&member_doc(m));
        let mut serde_args = vec![quote!(rename = #wire)];
        if m.location != Location::Body {
            serde_args = vec![quote!(skip)];
        } else {
            serde_args.push(quote!(default));
            // A required nullable member is written as `null` when unset, not left out.
            if !(m.required && m.nullable) {
                serde_args.push(quote!(skip_serializing_if = "Option::is_none"));
            }
            serde_args.extend(timestamp_serde(&m.ty));
            if s.is_error && m.name.eq_ignore_ascii_case("message") {
                let other = if m.name == "message" { "Message" } else { "message" };
                serde_args.push(quote!(alias = #other));
            }
        }
        // The schema follows the wire format, as the serde attributes above do.
        let schemars_with = match (&m.ty.kind, schema_type(&m.ty)) {
            (Kind::Timestamp(TimestampFormat::EpochSeconds), _) => {
                quote!(#[cfg_attr(feature = "schemars", schemars(with = "Option<cloudjobs_runtime::datetime::EpochSecondsSchema>"))])
            }
            (Kind::Timestamp(TimestampFormat::DateTime), _) => {
                quote!(#[cfg_attr(feature = "schemars", schemars(with = "Option<cloudjobs_runtime::DateTime>"))])
            }
            (_, Some(t)) if m.location == Location::Body => {
                let t = format!("Option<{}>", t.to_string().replace(' ', ""));
                quote!(#[cfg_attr(feature = "schemars", schemars(with = #t))])
            }
            _ => quote!(),
        };
        let dep = deprecated_attr(&m.deprecated);
        quote! {
            #md
            #dep
            #[serde(#(#serde_args),*)]
            #schemars_with
            pub #f: Option<#t>,
        }
    });
    let additional = s.additional.as_deref().map(|t| {
        let f = ident(&crate::check::additional_field(s));
        let map = Type::new(Kind::Map(Box::new(t.clone())));
        let map_type = rust_type(&map);
        let mut serde_args = vec![quote!(flatten)];
        serde_args.extend(timestamp_serde(&map));
        let schemars_with = match schema_type(&map) {
            Some(t) => {
                let t = t.to_string().replace(' ', "");
                quote!(#[cfg_attr(feature = "schemars", schemars(with = #t))])
            }
            None => quote!(),
        };
        let d = own_doc(&format!(
            "Members of the JSON object other than the ones above, kept as received and sent as set.{}",
            additional_rules(t)
        ));
        quote! {
            #d
            #[serde(#(#serde_args),*)]
            #schemars_with
            pub #f: #map_type,
        }
    });
    let meta = if s.is_error {
        quote! {
            /// Code, message, request id and status read from the error response.
            #[serde(skip)]
            #[cfg_attr(feature = "schemars", schemars(skip))]
            pub meta: cloudjobs_runtime::ErrorMetadata,
        }
    } else {
        quote!()
    };
    let is_input = cx
        .svc
        .operations
        .iter()
        .any(|o| o.input.rust_name == s.rust_name);
    let validate = if is_input || cx.validated.contains(&s.rust_name) {
        validate_fn(cx, s)
    } else {
        quote!()
    };
    let redacts = s.sensitive || s.members.iter().any(|m| m.sensitive);
    let (debug_derive, debug_impl) = if redacts {
        (quote!(), struct_debug(s))
    } else {
        (quote!(Debug,), quote!())
    };
    let dep = deprecated_attr(&s.deprecated);
    let builder_doc =
        own_doc("A builder for this structure: one method per member, then `build()`.");
    let builder = struct_builder(s, self_path);
    StructParts {
        item: quote! {
            #d
            ///
            /// New members may be added in later versions: build values with
            /// [`builder()`](Self::builder) or `Default` and field assignment, not a struct
            /// literal.
            #dep
            #[derive(#debug_derive Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
            #[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
            #[non_exhaustive]
            pub struct #name {
                #(#fields)*
                #additional
                #meta
            }

            impl #name {
                #builder_doc
                pub fn builder() -> #builder_path {
                    <#builder_path>::default()
                }
            }

            #debug_impl
            #validate
        },
        builder,
    }
}

/// A hand-written `Debug` that prints sensitive members (or, for a sensitive structure, the
/// whole value) as a redaction marker.
fn struct_debug(s: &Structure) -> TokenStream {
    let name = ident(&s.rust_name);
    let type_name = &s.rust_name;
    if s.sensitive {
        let text = format!("{type_name} {{ {REDACTED} }}");
        return quote! {
            impl std::fmt::Debug for #name {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.write_str(#text)
                }
            }
        };
    }
    let fields = s.members.iter().map(|m| {
        let f = ident(&m.rust_name);
        let label = plain(&m.rust_name);
        if m.sensitive {
            quote!(d.field(#label, &self.#f.as_ref().map(|_| #REDACTED));)
        } else {
            quote!(d.field(#label, &self.#f);)
        }
    });
    let meta = if s.is_error {
        quote!(d.field("meta", &self.meta);)
    } else {
        quote!()
    };
    let additional = if s.additional.is_some() {
        let name = crate::check::additional_field(s);
        let f = ident(&name);
        quote!(d.field(#name, &self.#f);)
    } else {
        quote!()
    };
    quote! {
        impl std::fmt::Debug for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                let mut d = f.debug_struct(#type_name);
                #(#fields)*
                #additional
                #meta
                d.finish()
            }
        }
    }
}

/// Names a builder method may not take; a member with such a name gets `<name>_value`.
/// `default` is the builder's `Default::default`: an inherent method of that name would
/// take its place in `<Builder>::default()`.
const STRUCT_BUILDER_METHODS: &[&str] = &["build", "meta", "set_meta", "default"];
pub(super) const FLUENT_BUILDER_METHODS: &[&str] = &[
    "new",
    "send",
    "as_input",
    "set_input",
    "into_paginator",
    "customize",
];

/// The builder of structure `s` (`self_path` names the structure from the builder's module).
fn struct_builder(s: &Structure, self_path: &TokenStream) -> TokenStream {
    let builder = format_ident!("{}Builder", s.rust_name);
    let path = self_path.to_string().replace(' ', "");
    let link = if path == s.rust_name {
        format!("[`{path}`]")
    } else {
        format!("[`{}`]({path})", s.rust_name)
    };
    let d = own_doc(&format!("A builder for {link}.\n\n{SETTER_RULE}"));
    let setters = s
        .members
        .iter()
        .map(|m| member_setters(m, &quote!(self.inner), STRUCT_BUILDER_METHODS));
    let meta = if s.is_error {
        quote! {
            /// Sets the error metadata (code, message, request id, status).
            pub fn meta(mut self, meta: cloudjobs_runtime::ErrorMetadata) -> Self {
                self.inner.meta = meta;
                self
            }
        }
    } else {
        quote!()
    };
    let additional = s.additional.as_deref().map(|t| {
        let name = crate::check::additional_field(s);
        let f = ident(&name);
        let set = format_ident!("set_{}", name);
        let (pt, conv) = setter_value(t);
        let map = rust_type(&Type::new(Kind::Map(Box::new(t.clone()))));
        let add_doc = own_doc(&format!(
            "Adds one JSON member besides the structure's own (`{set}` replaces them all). A key equal to a member's wire name would send that key twice: set the member instead."
        ));
        let set_doc = own_doc("Replaces the JSON members kept besides the structure's own.");
        quote! {
            #add_doc
            pub fn #f(mut self, key: impl Into<String>, value: #pt) -> Self {
                self.inner.#f.insert(key.into(), #conv);
                self
            }
            #set_doc
            pub fn #set(mut self, value: #map) -> Self {
                self.inner.#f = value;
                self
            }
        }
    });
    let build_doc = own_doc(&format!("The {link} built so far."));
    quote! {
        #d
        #[derive(Debug, Clone, Default)]
        pub struct #builder {
            inner: #self_path,
        }

        impl #builder {
            #(#setters)*
            #additional
            #meta

            #build_doc
            pub fn build(self) -> #self_path {
                self.inner
            }
        }
    }
}

/// How every generated builder method treats a member (documented on each builder).
const SETTER_RULE: &str = "Each member has two methods. `member(value)` sets it; for a list it appends one item and for a map it inserts one entry (call it once per item), so existing items are kept. `set_member(Option<..>)` replaces the whole value, or clears it with `None`. Strings and enums take anything that converts into them.";

/// The two builder methods of member `m`, writing to `#place.<field>`.
/// The names of member `m`'s two builder methods: its field name and `set_<field>`, both
/// with a `_value` suffix when either would take one of the builder's own names.
pub(super) fn setter_names(m: &Member, reserved: &[&str]) -> (String, String) {
    let base = plain(&m.rust_name);
    let set = format!("set_{base}");
    if reserved.contains(&base) || reserved.contains(&set.as_str()) {
        (format!("{base}_value"), format!("set_{base}_value"))
    } else {
        (m.rust_name.clone(), set)
    }
}

pub(super) fn member_setters(m: &Member, place: &TokenStream, reserved: &[&str]) -> TokenStream {
    let f = ident(&m.rust_name);
    let (method, set) = setter_names(m, reserved);
    let (method, set) = (ident(&method), ident(&set));
    let d = doc(&member_doc(m));
    let t = member_type(m);
    let dep = deprecated_attr(&m.deprecated);
    let set_doc = doc(&format!(
        "Sets or clears `{}` (replacing the whole value).",
        m.name
    ));
    let wrap = |item: &Type, sparse: bool| {
        let (pt, conv) = setter_value(item);
        let conv = if sparse { quote!(Some(#conv)) } else { conv };
        (pt, conv)
    };
    let main = match &m.ty.kind {
        Kind::List(inner) if !m.boxed => {
            let (pt, conv) = wrap(inner, m.ty.sparse);
            let add_doc = doc(&format!(
                "Appends one item to `{}` (`{}` replaces the list).",
                m.name, set
            ));
            quote! {
                #d
                ///
                #add_doc
                #dep
                pub fn #method(mut self, value: #pt) -> Self {
                    #place.#f.get_or_insert_with(Vec::new).push(#conv);
                    self
                }
            }
        }
        Kind::Map(inner) if !m.boxed => {
            let (pt, conv) = wrap(inner, m.ty.sparse);
            let add_doc = doc(&format!(
                "Inserts one entry into `{}` (`{}` replaces the map).",
                m.name, set
            ));
            quote! {
                #d
                ///
                #add_doc
                #dep
                pub fn #method(mut self, key: impl Into<String>, value: #pt) -> Self {
                    #place.#f.get_or_insert_with(Default::default).insert(key.into(), #conv);
                    self
                }
            }
        }
        _ => {
            let (pt, conv) = setter_value(&m.ty);
            let conv = if m.boxed {
                quote!(Box::new(#conv))
            } else {
                conv
            };
            quote! {
                #d
                #dep
                pub fn #method(mut self, value: #pt) -> Self {
                    #place.#f = Some(#conv);
                    self
                }
            }
        }
    };
    quote! {
        #main
        #set_doc
        #dep
        pub fn #set(mut self, value: Option<#t>) -> Self {
            #place.#f = value;
            self
        }
    }
}

/// A setter's parameter type for a value of type `ty`, and the expression converting the
/// parameter `value` into the stored value.
fn setter_value(ty: &Type) -> (TokenStream, TokenStream) {
    match &ty.kind {
        Kind::String => (quote!(impl Into<String>), quote!(value.into())),
        Kind::Blob => (
            quote!(impl Into<cloudjobs_runtime::Blob>),
            quote!(value.into()),
        ),
        Kind::Enum(n) | Kind::IntEnum(n) => {
            let n = ident(n);
            (quote!(impl Into<crate::types::#n>), quote!(value.into()))
        }
        _ => (rust_type(ty), quote!(value)),
    }
}

pub(super) fn member_doc(m: &Member) -> String {
    let mut d = if m.docs.is_empty() {
        format!("The `{}` member.", m.name)
    } else {
        m.docs.clone()
    };
    let mut rules = Vec::new();
    match (m.required, m.nullable) {
        (true, true) => {
            rules.push("required, may be `null` (sent as `null` when unset)".to_string())
        }
        (true, false) => rules.push("required".to_string()),
        (false, true) => rules.push("may be `null`".to_string()),
        (false, false) => {}
    }
    collect_rules(&m.ty, &mut rules);
    if !rules.is_empty() {
        d.push_str(&format!("\n\nConstraints: {}.", rules.join("; ")));
    }
    if let Some(default) = &m.default {
        d.push_str(&format!(
            "\n\nThe service's default when it is not sent: `{default}`."
        ));
    }
    d
}

/// The constraints of the values of a structure's additional members, as a sentence.
fn additional_rules(t: &Type) -> String {
    let mut rules = Vec::new();
    collect_rules(t, &mut rules);
    if rules.is_empty() {
        String::new()
    } else {
        format!(" Each value: {}.", rules.join("; "))
    }
}

/// The type a member holds inside its `Option`: boxed when the member breaks a cycle.
pub(super) fn member_type(m: &Member) -> TokenStream {
    let t = rust_type(&m.ty);
    if m.boxed { quote!(Box<#t>) } else { t }
}

/// The timestamp format of timestamps nested in a list or map type (`None` for a plain
/// timestamp, whose member uses the `with` modules directly, and for types without one).
pub(super) fn nested_timestamp(ty: &Type) -> Option<TimestampFormat> {
    fn inner(ty: &Type) -> Option<TimestampFormat> {
        match &ty.kind {
            Kind::Timestamp(f) => Some(*f),
            Kind::List(t) | Kind::Map(t) => inner(t),
            _ => None,
        }
    }
    match &ty.kind {
        Kind::List(t) | Kind::Map(t) => inner(t),
        _ => None,
    }
}

/// The runtime marker type of a timestamp format (`cloudjobs_runtime::datetime::Format`).
pub(super) fn format_marker(f: TimestampFormat) -> TokenStream {
    match f {
        TimestampFormat::EpochSeconds => quote!(cloudjobs_runtime::datetime::EpochSecondsFormat),
        TimestampFormat::DateTime => quote!(cloudjobs_runtime::datetime::DateTimeFormat),
        TimestampFormat::HttpDate => quote!(cloudjobs_runtime::datetime::HttpDateFormat),
    }
}

/// The serde attributes that write a body value's timestamps in their wire format.
fn timestamp_serde(ty: &Type) -> Vec<TokenStream> {
    if let Kind::Timestamp(fmt) = ty.kind {
        let with = match fmt {
            TimestampFormat::EpochSeconds => "cloudjobs_runtime::datetime::epoch_seconds",
            TimestampFormat::DateTime => "cloudjobs_runtime::datetime::iso8601",
            TimestampFormat::HttpDate => "cloudjobs_runtime::datetime::http_date",
        };
        return vec![quote!(with = #with)];
    }
    match nested_timestamp(ty) {
        Some(fmt) => {
            let marker = format_marker(fmt).to_string().replace(' ', "");
            let ser = format!("cloudjobs_runtime::datetime::nested::serialize::<{marker}, _, _>");
            let de = format!("cloudjobs_runtime::datetime::nested::deserialize::<{marker}, _, _>");
            vec![
                quote!(serialize_with = #ser),
                quote!(deserialize_with = #de),
            ]
        }
        None => Vec::new(),
    }
}

/// A type with the same JSON schema as `ty` on the wire: timestamps become the schema type
/// of their format. `None` when `ty` holds no timestamp (its own schema is right).
pub(super) fn schema_type(ty: &Type) -> Option<TokenStream> {
    match &ty.kind {
        Kind::Timestamp(TimestampFormat::EpochSeconds) => {
            Some(quote!(cloudjobs_runtime::datetime::EpochSecondsSchema))
        }
        Kind::Timestamp(TimestampFormat::DateTime) => Some(quote!(cloudjobs_runtime::DateTime)),
        Kind::Timestamp(TimestampFormat::HttpDate) => {
            Some(quote!(cloudjobs_runtime::datetime::HttpDateSchema))
        }
        Kind::List(t) => {
            let t = schema_type(t)?;
            Some(if ty.sparse {
                quote!(Vec<Option<#t>>)
            } else {
                quote!(Vec<#t>)
            })
        }
        Kind::Map(t) => {
            let t = schema_type(t)?;
            let t = if ty.sparse { quote!(Option<#t>) } else { t };
            Some(quote!(std::collections::BTreeMap<String, #t>))
        }
        _ => None,
    }
}

/// `#[deprecated]` for a deprecated item (the `since` text goes into the note: Rust wants a
/// Rust version there).
pub(super) fn deprecated_attr(d: &Option<Deprecated>) -> TokenStream {
    let Some(d) = d else {
        return quote!();
    };
    let note = match (&d.since, &d.message) {
        (Some(since), Some(msg)) => format!("deprecated since {since}: {msg}"),
        (Some(since), None) => format!("deprecated since {since}"),
        (None, Some(msg)) => msg.clone(),
        (None, None) => return quote!(#[deprecated]),
    };
    quote!(#[deprecated(note = #note)])
}

/// What `Debug` prints instead of a sensitive value.
pub(super) const REDACTED: &str = "*** Sensitive Data Redacted ***";

fn enumeration(e: &Enum) -> TokenStream {
    let name = ident(&e.rust_name);
    let d = doc(if e.docs.is_empty() {
        "An enumeration of the API."
    } else {
        &e.docs
    });
    let variants: Vec<Ident> = e.values.iter().map(|v| ident(&v.variant)).collect();
    let values: Vec<&String> = e.values.iter().map(|v| &v.value).collect();
    let vdocs = e.values.iter().map(|v| {
        if v.docs.is_empty() {
            doc(&format!("`{}`", v.value))
        } else {
            doc(&format!("`{}`: {}", v.value, v.docs))
        }
    });
    let wire_impls = open_enum_impls(
        &e.rust_name,
        &name,
        (
            quote!(f.write_str(self.as_str())),
            quote!(serializer.serialize_str(self.as_str())),
        ),
        quote!(String),
        "string",
    );
    quote! {
        #d
        ///
        /// Values this client does not know are kept in [`Unknown`](Self::Unknown) and sent
        /// back unchanged.
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum #name {
            #( #vdocs #variants, )*
            /// A value this version of the client does not know, kept as received.
            Unknown(String),
        }

        impl #name {
            /// The wire value.
            pub fn as_str(&self) -> &str {
                match self {
                    #( Self::#variants => #values, )*
                    Self::Unknown(value) => value.as_str(),
                }
            }

            /// Every value this client knows, in spec order.
            pub const fn values() -> &'static [&'static str] {
                &[#(#values),*]
            }
        }

        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #( #values => Self::#variants, )*
                    other => Self::Unknown(other.to_string()),
                }
            }
        }

        impl From<String> for #name {
            fn from(value: String) -> Self {
                match Self::from(value.as_str()) {
                    Self::Unknown(_) => Self::Unknown(value),
                    known => known,
                }
            }
        }

        impl std::str::FromStr for #name {
            type Err = std::convert::Infallible;
            fn from_str(value: &str) -> Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }

        #wire_impls
    }
}

/// `Display`, serde and schemars impls shared by string and integer enums: `display` writes
/// the value to `f`, `serialize` writes it with `serializer`, it is read back as a `wire`
/// (`String` or `i64`) through `From`, and its schema is a JSON `json_type` whose known values
/// are the examples.
fn open_enum_impls(
    schema_name: &str,
    name: &proc_macro2::Ident,
    (display, serialize): (TokenStream, TokenStream),
    wire: TokenStream,
    json_type: &str,
) -> TokenStream {
    quote! {
        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                #display
            }
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                #serialize
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                Ok(Self::from(#wire::deserialize(deserializer)?))
            }
        }

        #[cfg(feature = "schemars")]
        impl schemars::JsonSchema for #name {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                #schema_name.into()
            }
            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                schemars::json_schema!({
                    "type": #json_type,
                    "description": "Known values are listed in `examples`; others may appear.",
                    "examples": Self::values()
                })
            }
        }
    }
}

fn int_enumeration(e: &IntEnum) -> TokenStream {
    let name = ident(&e.rust_name);
    let d = doc(if e.docs.is_empty() {
        "An integer enumeration of the API."
    } else {
        &e.docs
    });
    let variants: Vec<Ident> = e.values.iter().map(|v| ident(&v.variant)).collect();
    let values: Vec<i64> = e.values.iter().map(|v| v.value).collect();
    let vdocs = e.values.iter().map(|v| {
        if v.docs.is_empty() {
            doc(&format!("`{}`", v.value))
        } else {
            doc(&format!("`{}`: {}", v.value, v.docs))
        }
    });
    let wire_impls = open_enum_impls(
        &e.rust_name,
        &name,
        (
            quote!(write!(f, "{}", self.value())),
            quote!(serializer.serialize_i64(self.value())),
        ),
        quote!(i64),
        "integer",
    );
    quote! {
        #d
        ///
        /// Values this client does not know are kept in [`Unknown`](Self::Unknown) and sent
        /// back unchanged.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum #name {
            #( #vdocs #variants, )*
            /// A value this version of the client does not know, kept as received.
            Unknown(i64),
        }

        impl #name {
            /// The wire value.
            pub fn value(&self) -> i64 {
                match self {
                    #( Self::#variants => #values, )*
                    Self::Unknown(value) => *value,
                }
            }

            /// Every value this client knows, in spec order.
            pub const fn values() -> &'static [i64] {
                &[#(#values),*]
            }
        }

        impl From<i64> for #name {
            fn from(value: i64) -> Self {
                match value {
                    #( #values => Self::#variants, )*
                    other => Self::Unknown(other),
                }
            }
        }

        impl From<#name> for i64 {
            fn from(value: #name) -> Self {
                value.value()
            }
        }

        #wire_impls
    }
}
