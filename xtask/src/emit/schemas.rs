//! `tests/schemas.rs`: a test, run with the `schemars` feature, that every type's JSON
//! schema agrees with the wire format.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{Ctx, ident, lib_name, plain, reachable};
use crate::ir::*;

/// `tests/schemas.rs`: with the `schemars` feature, every input, output and named type has a
/// schema whose properties are the spec's wire names, whose timestamps have the wire format's
/// type, and whose enums list the spec's values.
pub(super) fn schema_tests(cx: &Ctx) -> TokenStream {
    let svc = cx.svc;
    let krate = ident(&lib_name(svc));
    let struct_check = |path: TokenStream, s: &Structure| {
        let body: Vec<&Member> = s
            .members
            .iter()
            .filter(|m| m.location == Location::Body)
            .collect();
        let mut props: Vec<&str> = body.iter().map(|m| m.name.as_str()).collect();
        props.sort_unstable();
        let times = body.iter().filter_map(|m| {
            let json_type = match m.ty.kind {
                Kind::Timestamp(TimestampFormat::EpochSeconds) => "number",
                Kind::Timestamp(TimestampFormat::DateTime | TimestampFormat::HttpDate) => "string",
                _ => return None,
            };
            let n = &m.name;
            Some(quote!((#n, #json_type)))
        });
        quote!(check_struct::<#path>(&[#(#props),*], &[#(#times),*]);)
    };
    let mut checks = Vec::new();
    // Which of the optional helpers the checks call, so the test has no dead code.
    let (mut objects, mut enums, mut int_enums) = (false, false, false);
    let (mut typed, mut any) = (false, false);
    let (mut unions, mut untagged) = (false, false);
    for op in &svc.operations {
        let module = ident(plain(&op.method_name));
        let input = ident(&op.input.rust_name);
        checks.push(struct_check(
            quote!(#krate::operation::#module::#input),
            &op.input,
        ));
        let output = format_ident!("{}Output", op.type_name);
        let path = quote!(#krate::operation::#module::#output);
        checks.push(match &op.output {
            Output::Owned(s) => struct_check(path, s),
            Output::Type(Type {
                kind: Kind::Struct(name),
                ..
            }) => match svc.shapes.get(name) {
                Some(Shape::Structure(s)) => struct_check(path, s),
                _ => {
                    objects = true;
                    quote!(check_object::<#path>();)
                }
            },
            Output::Type(t) => match json_type(t) {
                Some("object") => {
                    objects = true;
                    quote!(check_object::<#path>();)
                }
                Some(json) => {
                    typed = true;
                    quote!(check_type::<#path>(#json);)
                }
                None => {
                    any = true;
                    quote!(check_any::<#path>();)
                }
            },
            // One schema per response, whatever their bodies.
            Output::ByStatus(_) => {
                any = true;
                quote!(check_any::<#path>();)
            }
            Output::Empty => quote!(check_struct::<#path>(&[], &[]);),
        });
    }
    for name in reachable(svc) {
        let ty = ident(&name);
        let path = quote!(#krate::types::#ty);
        checks.push(match svc.shapes.get(&name) {
            Some(Shape::Structure(s)) => struct_check(path, s),
            Some(Shape::Enum(e)) => {
                enums = true;
                let values = e.values.iter().map(|v| &v.value);
                quote!(check_enum::<#path>(&[#(#values),*]);)
            }
            Some(Shape::IntEnum(e)) => {
                int_enums = true;
                let values = e.values.iter().map(|v| v.value);
                quote!(check_int_enum::<#path>(&[#(#values),*]);)
            }
            Some(Shape::Union(u)) => {
                let mut tags: Vec<&str> = u.members.iter().map(|m| m.name.as_str()).collect();
                tags.sort_unstable();
                match &u.tagging {
                    Tagging::External => {
                        unions = true;
                        quote!(check_union::<#path>(None, &[#(#tags),*]);)
                    }
                    Tagging::Internal { field } | Tagging::Adjacent { field, .. } => {
                        unions = true;
                        quote!(check_union::<#path>(Some(#field), &[#(#tags),*]);)
                    }
                    Tagging::Untagged => {
                        untagged = true;
                        let n = u.members.len();
                        quote!(check_untagged::<#path>(#n);)
                    }
                }
            }
            None => continue,
        });
    }
    let check_object = if objects {
        quote! {
            /// A free-form object (a map or JSON document).
            fn check_object<T: schemars::JsonSchema>() {
                let schema = schema::<T>();
                assert!(has_type(&schema, "object"), "{}: {schema}", T::schema_name());
            }
        }
    } else {
        quote!()
    };
    let check_type = if typed {
        quote! {
            /// A value of the JSON type `ty`.
            fn check_type<T: schemars::JsonSchema>(ty: &str) {
                let schema = schema::<T>();
                assert!(has_type(&schema, ty), "{}: {schema}", T::schema_name());
            }
        }
    } else {
        quote!()
    };
    let check_any = if any {
        quote! {
            /// A type whose values may be of any JSON type: its schema is generated.
            fn check_any<T: schemars::JsonSchema>() {
                let schema = schema::<T>();
                assert!(schema.is_object() || schema.is_boolean(), "{}: {schema}", T::schema_name());
            }
        }
    } else {
        quote!()
    };
    let check_enum = if enums {
        quote! {
            /// A string whose known values are `values`, in the spec's order.
            fn check_enum<T: schemars::JsonSchema>(values: &[&str]) {
                let name = T::schema_name();
                let schema = schema::<T>();
                assert!(has_type(&schema, "string"), "{name}: {schema}");
                let listed: Vec<&str> = schema["examples"]
                    .as_array()
                    .map(|v| v.iter().filter_map(Value::as_str).collect())
                    .unwrap_or_default();
                assert_eq!(listed, values, "{name}: known values");
            }
        }
    } else {
        quote!()
    };
    let check_int_enum = if int_enums {
        quote! {
            /// An integer whose known values are `values`, in the spec's order.
            fn check_int_enum<T: schemars::JsonSchema>(values: &[i64]) {
                let name = T::schema_name();
                let schema = schema::<T>();
                assert!(has_type(&schema, "integer"), "{name}: {schema}");
                let listed: Vec<i64> = schema["examples"]
                    .as_array()
                    .map(|v| v.iter().filter_map(Value::as_i64).collect())
                    .unwrap_or_default();
                assert_eq!(listed, values, "{name}: known values");
            }
        }
    } else {
        quote!()
    };
    let check_union = if unions {
        quote! {
            /// One `oneOf` arm per tag in `tags` (sorted): an object whose one property is the
            /// tag (or a bare tag string) when `field` is `None`, else an object whose `field`
            /// property is the tag.
            fn check_union<T: schemars::JsonSchema>(field: Option<&str>, tags: &[&str]) {
                let name = T::schema_name();
                let schema = schema::<T>();
                let arms = schema["oneOf"].as_array().cloned().unwrap_or_default();
                let mut listed: Vec<&str> = arms
                    .iter()
                    .filter_map(|a| match field {
                        None => a["required"][0].as_str().or(a["const"].as_str()),
                        Some(f) => a["properties"][f]["const"].as_str(),
                    })
                    .collect();
                listed.sort_unstable();
                assert_eq!(listed, tags, "{name}: members: {schema}");
                for a in &arms {
                    assert!(has_type(a, "object") || has_type(a, "string"), "{name}: {a}");
                }
            }

        }
    } else {
        quote!()
    };
    let check_untagged = if untagged {
        quote! {
            /// `members` alternatives, any of which may match.
            fn check_untagged<T: schemars::JsonSchema>(members: usize) {
                let name = T::schema_name();
                let schema = schema::<T>();
                let arms = schema["anyOf"].as_array().map(Vec::len);
                assert_eq!(arms, Some(members), "{name}: {schema}");
            }
        }
    } else {
        quote!()
    };
    quote! {
        //! The `schemars` feature: a JSON schema for every type, matching the wire format.
        #![cfg(feature = "schemars")]
        #![allow(deprecated)]

        use serde_json::Value;

        fn schema<T: schemars::JsonSchema>() -> Value {
            serde_json::to_value(schemars::schema_for!(T)).expect("a schema is JSON")
        }

        /// Whether a schema (or one of its `anyOf`/`oneOf` arms) has the JSON type `ty`.
        fn has_type(schema: &Value, ty: &str) -> bool {
            match &schema["type"] {
                Value::String(t) => t == ty,
                Value::Array(ts) => ts.iter().any(|t| t == ty),
                _ => ["anyOf", "oneOf"].iter().any(|k| {
                    schema[*k]
                        .as_array()
                        .is_some_and(|arms| arms.iter().any(|a| has_type(a, ty)))
                }),
            }
        }

        /// An object whose properties are exactly `properties` (sorted), and whose timestamp
        /// properties have the given JSON types.
        fn check_struct<T: schemars::JsonSchema>(properties: &[&str], timestamps: &[(&str, &str)]) {
            let name = T::schema_name();
            let schema = schema::<T>();
            assert!(has_type(&schema, "object"), "{name}: not an object schema: {schema}");
            let props = schema["properties"].as_object().cloned().unwrap_or_default();
            let keys: Vec<&str> = props.keys().map(String::as_str).collect();
            assert_eq!(keys, properties, "{name}: properties");
            for (prop, ty) in timestamps {
                assert!(has_type(&props[*prop], ty), "{name}.{prop}: expected a {ty}: {}", props[*prop]);
            }
        }

        #check_object
        #check_type
        #check_any
        #check_enum
        #check_int_enum
        #check_union
        #check_untagged

        #[test]
        fn every_type_has_a_schema_that_matches_the_wire() {
            #(#checks)*
        }
    }
}

/// The JSON type a value of `ty` has on the wire, when it has exactly one (`None` for a
/// document, a timestamp, whose type depends on its format, and a union).
fn json_type(ty: &Type) -> Option<&'static str> {
    Some(match &ty.kind {
        Kind::String | Kind::Enum(_) | Kind::Blob | Kind::Date | Kind::Uuid | Kind::IpAddr(_) => {
            "string"
        }
        Kind::Byte
        | Kind::Short
        | Kind::Integer
        | Kind::Long
        | Kind::UnsignedByte
        | Kind::UnsignedShort
        | Kind::UnsignedInteger
        | Kind::UnsignedLong
        | Kind::IntEnum(_) => "integer",
        Kind::Float | Kind::Double | Kind::BigInteger | Kind::BigDecimal => "number",
        Kind::Boolean => "boolean",
        Kind::List(_) => "array",
        Kind::Map(_) | Kind::FreeFormObject | Kind::Struct(_) => "object",
        Kind::Timestamp(_) | Kind::Document | Kind::Union(_) | Kind::Unit => return None,
    })
}
