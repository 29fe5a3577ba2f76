//! The wire half of an operation: how its input becomes an `HttpRequest` (HTTP bindings,
//! idempotency tokens, host labels), how a response becomes its output or error, the retry
//! hints of its errors, and the service's error-shape rules. (The error enums and the crate
//! `Error` are in `errors`, the paginators in `paginators`.)
//!
//! The rules follow the Smithy HTTP binding traits and, where Smithy leaves a choice, what
//! botocore's `rest-json` serializer does (the wire oracle of `cargo xtask corpus`).

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::{ident, rust_type};
use crate::ir::*;

/// Where a value is written as text.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Site {
    Header,
    /// Query parameter or path label.
    Uri,
}

fn runtime_format(fmt: TimestampFormat) -> TokenStream {
    match fmt {
        TimestampFormat::EpochSeconds => {
            quote!(cloudjobs_runtime::wire::TimestampFormat::EpochSeconds)
        }
        TimestampFormat::DateTime => quote!(cloudjobs_runtime::wire::TimestampFormat::DateTime),
        TimestampFormat::HttpDate => quote!(cloudjobs_runtime::wire::TimestampFormat::HttpDate),
    }
}

/// Text of a scalar `value` (an expression of type `&T`) at `site`; `None` for kinds that
/// have no text form (structures, maps, documents): the front-ends do not bind those there.
fn text_expr(ty: &Type, site: Site, value: TokenStream) -> Option<TokenStream> {
    Some(match &ty.kind {
        Kind::String if site == Site::Header && ty.media_type.is_some() => {
            quote!(cloudjobs_runtime::wire::base64_encode(#value.as_bytes()))
        }
        Kind::String => quote!(#value.clone()),
        Kind::Enum(_) => quote!(#value.as_str().to_owned()),
        Kind::IntEnum(_) => quote!(#value.value().to_string()),
        Kind::Byte
        | Kind::Short
        | Kind::Integer
        | Kind::Long
        | Kind::UnsignedByte
        | Kind::UnsignedShort
        | Kind::UnsignedInteger
        | Kind::UnsignedLong
        | Kind::Boolean
        | Kind::Date
        | Kind::Uuid
        | Kind::IpAddr(_) => {
            quote!(#value.to_string())
        }
        Kind::BigInteger | Kind::BigDecimal => quote!(#value.as_str().to_owned()),
        Kind::Float => quote!(cloudjobs_runtime::wire::float32_text(*#value)),
        Kind::Double => quote!(cloudjobs_runtime::wire::float_text(*#value)),
        Kind::Timestamp(fmt) => {
            let fmt = runtime_format(*fmt);
            match site {
                Site::Header => {
                    quote!(cloudjobs_runtime::wire::header_timestamp_text(#value, #fmt))
                }
                Site::Uri => quote!(cloudjobs_runtime::wire::timestamp_text(#value, #fmt)),
            }
        }
        Kind::Blob => quote!(cloudjobs_runtime::wire::base64_encode(#value.as_ref())),
        Kind::Document
        | Kind::FreeFormObject
        | Kind::List(_)
        | Kind::Map(_)
        | Kind::Struct(_)
        | Kind::Union(_)
        | Kind::Unit => return None,
    })
}

/// As [`text_expr`], and for an untagged union of scalars (nexus's `NameOrId` path
/// parameters) the text of the variant that is set.
fn scalar_text(svc: &Service, ty: &Type, site: Site, value: TokenStream) -> Option<TokenStream> {
    if let Some(t) = text_expr(ty, site, value.clone()) {
        return Some(t);
    }
    let Kind::Union(name) = &ty.kind else {
        return None;
    };
    let Some(Shape::Union(u)) = svc.shapes.get(name) else {
        return None;
    };
    if u.tagging != Tagging::Untagged {
        return None;
    }
    let union_ty = ident(name);
    let arms = u
        .members
        .iter()
        .map(|v| {
            let variant = ident(&v.rust_name);
            let inner = if v.boxed {
                quote!(&**inner)
            } else {
                quote!(inner)
            };
            let t = text_expr(&v.ty, site, inner)?;
            Some(quote!(crate::types::#union_ty::#variant(inner) => #t,))
        })
        .collect::<Option<Vec<_>>>()?;
    // An untagged union has no `Unknown` variant; should the types emitter give it one, it
    // has no text.
    Some(quote! {
        match #value {
            #(#arms)*
            #[allow(unreachable_patterns)]
            _ => String::new(),
        }
    })
}

/// A binding the emitter cannot write: the front-end let through a member it should have
/// refused. Generated code then fails to compile with this message, naming the member.
fn unsupported(op: &Operation, m: &Member, what: &str) -> TokenStream {
    let msg = format!(
        "cloudjobs xtask: operation `{}` member `{}`: {what}",
        op.name, m.member_name
    );
    quote!(compile_error!(#msg);)
}

/// The statements that put one bound input member into `request`.
fn bind_member(svc: &Service, op: &Operation, m: &Member) -> TokenStream {
    let f = ident(&m.rust_name);
    let wire = &m.name;
    let text = |ty: &Type, site: Site, v: TokenStream| scalar_text(svc, ty, site, v);
    match m.location {
        Location::Body | Location::ResponseCode | Location::Payload => quote!(),
        Location::Label => match text(&m.ty, Site::Uri, quote!(value)) {
            Some(t) => quote!(if let Some(value) = &input.#f { request.labels.push((#wire, #t)); }),
            None => unsupported(op, m, "a path label must be a scalar"),
        },
        Location::Query => bind_query(svc, op, m),
        Location::QueryParams => {
            // Keys an explicit `Query` member sets win over the map's.
            let explicit = op
                .input
                .members
                .iter()
                .filter(|q| q.location == Location::Query)
                .map(|q| {
                    let qf = ident(&q.rust_name);
                    let qw = &q.name;
                    quote!((#qw, input.#qf.is_some()))
                });
            let explicit = quote!([#(#explicit),*]);
            let Kind::Map(value_ty) = &m.ty.kind else {
                return unsupported(op, m, "httpQueryParams must target a map");
            };
            let push = match &value_ty.kind {
                Kind::List(item) => match text(item, Site::Uri, quote!(item)) {
                    Some(t) => quote!(for item in value { request.query.push((key.clone(), #t)); }),
                    None => return unsupported(op, m, "query map lists must hold scalars"),
                },
                _ => match text(value_ty, Site::Uri, quote!(value)) {
                    Some(t) => quote!(request.query.push((key.clone(), #t));),
                    None => return unsupported(op, m, "query map values must be scalars"),
                },
            };
            let push = if value_ty.sparse || m.ty.sparse {
                quote!(if let Some(value) = value { #push })
            } else {
                push
            };
            quote! {
                if let Some(map) = &input.#f {
                    let explicit: &[(&str, bool)] = &#explicit;
                    for (key, value) in map {
                        if explicit.iter().any(|(name, set)| *set && name == key) {
                            continue;
                        }
                        #push
                    }
                }
            }
        }
        Location::Header => match &m.ty.kind {
            Kind::List(item) => {
                let one = match &item.kind {
                    Kind::String if item.media_type.is_none() => {
                        quote!(cloudjobs_runtime::wire::header_list_item(item))
                    }
                    _ => match text(item, Site::Header, quote!(item)) {
                        Some(t) => t,
                        None => return unsupported(op, m, "a header list must hold scalars"),
                    },
                };
                let items = if item.sparse || m.ty.sparse {
                    quote!(value.iter().flatten())
                } else {
                    quote!(value.iter())
                };
                quote! {
                    if let Some(value) = &input.#f && !value.is_empty() {
                        let text: Vec<String> = #items.map(|item| #one).collect();
                        request.headers.push((#wire.to_owned(), text.join(",")));
                    }
                }
            }
            _ => match text(&m.ty, Site::Header, quote!(value)) {
                Some(t) => quote! {
                    if let Some(value) = &input.#f { request.headers.push((#wire.to_owned(), #t)); }
                },
                None => unsupported(op, m, "a header must be a scalar or a list"),
            },
        },
        Location::PrefixHeaders => {
            let Kind::Map(value_ty) = &m.ty.kind else {
                return unsupported(op, m, "httpPrefixHeaders must target a map");
            };
            let Some(t) = text(value_ty, Site::Header, quote!(value)) else {
                return unsupported(op, m, "prefix header values must be scalars");
            };
            let push = quote!(request.headers.push((format!("{}{}", #wire, key), #t)););
            let push = if value_ty.sparse {
                quote!(if let Some(value) = value { #push })
            } else {
                push
            };
            quote! {
                if let Some(map) = &input.#f {
                    for (key, value) in map {
                        #push
                    }
                }
            }
        }
    }
}

/// The separator of the items of a list (and of the keys and values of a map or structure)
/// in one query parameter, for the styles that do not repeat the parameter.
fn query_separator(style: QueryStyle) -> Option<&'static str> {
    match style {
        QueryStyle::Form { explode: false } => Some(","),
        QueryStyle::SpaceDelimited => Some(" "),
        QueryStyle::PipeDelimited => Some("|"),
        QueryStyle::Form { explode: true } | QueryStyle::DeepObject => None,
    }
}

/// The scalar members of the named structure `name` that a query parameter can carry:
/// (wire name, field, type). `None` when a member is not a scalar.
fn query_struct_members<'a>(
    svc: &'a Service,
    name: &str,
) -> Option<Vec<(&'a str, Ident, &'a Type)>> {
    let Some(Shape::Structure(s)) = svc.shapes.get(name) else {
        return None;
    };
    s.members
        .iter()
        .filter(|m| m.location == Location::Body)
        .map(|m| {
            text_expr(&m.ty, Site::Uri, quote!(value))?;
            Some((m.name.as_str(), ident(&m.rust_name), &m.ty))
        })
        .collect()
}

/// The statements that put a `Query` member into `request.query`, in its OpenAPI style:
/// form (explode: repeated key or one parameter per entry; no explode: comma-separated),
/// space- or pipe-delimited lists, deepObject (`k[a]=1`). Percent-encoding happens when the
/// URI is built, as for every query parameter.
fn bind_query(svc: &Service, op: &Operation, m: &Member) -> TokenStream {
    let f = ident(&m.rust_name);
    match query_value(svc, m, &m.ty, 0) {
        Some(push) => quote! {
            if let Some(value) = &input.#f {
                #push
            }
        },
        None => unsupported(
            op,
            m,
            "a query parameter must be a scalar, or a list, map, structure or untagged union of scalars",
        ),
    }
}

/// The statements that push `value` (a reference to a value of `ty`, the type of query
/// member `m` or of one of its union variants) into `request.query`; `None` for a type no
/// style can write.
fn query_value(svc: &Service, m: &Member, ty: &Type, depth: u8) -> Option<TokenStream> {
    let wire = &m.name;
    let sep = query_separator(m.query_style);
    // Key-value pairs of a map or structure (`pairs`: an iterator of (String, String)).
    let pairs_to_query = |pairs: TokenStream| match (m.query_style, sep) {
        (QueryStyle::DeepObject, _) => quote! {
            for (key, text) in #pairs {
                request.query.push((format!("{}[{}]", #wire, key), text));
            }
        },
        (_, Some(sep)) => quote! {
            let parts: Vec<String> = #pairs.flat_map(|(key, text)| [key, text]).collect();
            if !parts.is_empty() {
                request.query.push((#wire.to_owned(), parts.join(#sep)));
            }
        },
        (_, None) => quote! {
            for (key, text) in #pairs {
                request.query.push((key, text));
            }
        },
    };
    Some(match &ty.kind {
        Kind::List(item) => {
            let t = text_expr(item, Site::Uri, quote!(item))?;
            let items = if item.sparse || ty.sparse {
                quote!(value.iter().flatten())
            } else {
                quote!(value.iter())
            };
            match sep {
                Some(sep) => quote! {
                    let mut parts: Vec<String> = Vec::new();
                    for item in #items {
                        parts.push(#t);
                    }
                    request.query.push((#wire.to_owned(), parts.join(#sep)));
                },
                // Form with explode, and deepObject (defined for objects only): the key
                // once per item.
                None => quote! {
                    for item in #items {
                        request.query.push((#wire.to_owned(), #t));
                    }
                },
            }
        }
        Kind::Map(value_ty) => {
            let t = text_expr(value_ty, Site::Uri, quote!(value))?;
            let pairs = if value_ty.sparse || ty.sparse {
                quote!(value.iter().filter_map(|(key, value)| value.as_ref().map(|value| (key.clone(), #t))))
            } else {
                quote!(value.iter().map(|(key, value)| (key.clone(), #t)))
            };
            pairs_to_query(pairs)
        }
        Kind::Struct(name) => {
            let members = query_struct_members(svc, name)?;
            let count = members.len();
            let entries = members.iter().map(|(wire_name, field, ty)| {
                let t = text_expr(ty, Site::Uri, quote!(value)).unwrap_or_default();
                quote!(value.#field.as_ref().map(|value| (#wire_name.to_owned(), #t)))
            });
            let push = pairs_to_query(quote!(pairs.into_iter().flatten()));
            quote! {
                let pairs: [Option<(String, String)>; #count] = [#(#entries),*];
                #push
            }
        }
        // An untagged union (`oneOf` of a string and a list, of a UUID and a name): the
        // variant that is set, in the member's style.
        Kind::Union(name) if depth == 0 => {
            let Some(Shape::Union(u)) = svc.shapes.get(name) else {
                return None;
            };
            if u.tagging != Tagging::Untagged {
                return None;
            }
            let union_ty = ident(name);
            let arms = u
                .members
                .iter()
                .map(|v| {
                    let variant = ident(&v.rust_name);
                    let push = query_value(svc, m, &v.ty, depth + 1)?;
                    let unbox = if v.boxed {
                        quote!(let value = &**value;)
                    } else {
                        quote!()
                    };
                    Some(quote! {
                        crate::types::#union_ty::#variant(value) => {
                            #unbox
                            #push
                        }
                    })
                })
                .collect::<Option<Vec<_>>>()?;
            // An untagged union has no `Unknown` variant; should the types emitter give it
            // one, there is nothing to send for it.
            quote! {
                match value {
                    #(#arms)*
                    #[allow(unreachable_patterns)]
                    _ => {}
                }
            }
        }
        _ => {
            let t = text_expr(ty, Site::Uri, quote!(value))?;
            quote!(request.query.push((#wire.to_owned(), #t));)
        }
    })
}

/// Whether the operation sends its members over HTTP bindings (restJson1 and plain JSON); the
/// awsJson protocols put everything in the body.
fn rest(svc: &Service) -> bool {
    matches!(svc.protocol, Protocol::RestJson1 | Protocol::Json)
}

/// The media type of a form body.
const FORM: &str = "application/x-www-form-urlencoded";

/// The body of `serialize`.
pub(super) fn serialize_body(svc: &Service, op: &Operation) -> TokenStream {
    let members = &op.input.members;
    let tokens = members.iter().filter(|m| m.idempotency_token).map(|m| {
        let f = ident(&m.rust_name);
        quote! {
            if input.#f.is_none() {
                input.to_mut().#f = Some(cloudjobs_runtime::wire::uuid_v4());
            }
        }
    });
    let tokens: Vec<TokenStream> = tokens.collect();
    let fill_tokens = if tokens.is_empty() {
        quote!()
    } else {
        quote! {
            // An unset idempotency token gets a fresh UUID, once: every retry sends the same.
            let mut input = std::borrow::Cow::Borrowed(input);
            #(#tokens)*
            let input = &*input;
        }
    };
    let bindings: Vec<TokenStream> = if rest(svc) {
        members.iter().map(|m| bind_member(svc, op, m)).collect()
    } else {
        Vec::new()
    };
    let host_labels = members.iter().filter(|m| m.host_label).map(|m| {
        let f = ident(&m.rust_name);
        let name = &m.member_name;
        let t = text_expr(&m.ty, Site::Uri, quote!(value))
            .unwrap_or_else(|| unsupported(op, m, "a host label must be a scalar"));
        quote!(if let Some(value) = &input.#f { request.host_labels.push((#name, #t)); })
    });
    let payload = members.iter().find(|m| m.location == Location::Payload);
    let has_body_members = members.iter().any(|m| m.location == Location::Body);
    // The media type the spec declares for the body, when it names one type (not a range).
    let declared = op
        .request_media_type
        .as_deref()
        .filter(|m| !m.contains('*'));
    // A JSON body's content type, when it is not the runtime's `application/json`.
    let json_ct = match declared {
        Some(ct) if ct != "application/json" => quote!(content_type: Some(#ct.to_owned()),),
        _ => quote!(),
    };
    // Field initializers of the request: the body and its content type.
    let body = match (payload, rest(svc)) {
        (_, false) => quote!(body: Some(serde_json::to_vec(input)?),),
        (Some(p), true) => {
            let f = ident(&p.rust_name);
            let raw = |bytes: TokenStream, default_ct: &str| {
                let ct = declared
                    .map(str::to_string)
                    .or_else(|| p.ty.media_type.clone())
                    .unwrap_or_else(|| default_ct.into());
                quote! {
                    body: input.#f.as_ref().map(|value| #bytes),
                    content_type: input.#f.as_ref().map(|_| #ct.to_owned()),
                }
            };
            match &p.ty.kind {
                Kind::Blob => raw(
                    quote!(<_ as AsRef<[u8]>>::as_ref(value).to_vec()),
                    "application/octet-stream",
                ),
                Kind::String => raw(quote!(value.as_bytes().to_vec()), "text/plain"),
                Kind::Enum(_) => raw(quote!(value.as_str().as_bytes().to_vec()), "text/plain"),
                // A structure sent as a form; unset is an empty form.
                _ if p.ty.media_type.as_deref() == Some(FORM) => {
                    let ct = declared.unwrap_or(FORM);
                    quote! {
                        body: Some(match &input.#f {
                            Some(value) => cloudjobs_runtime::wire::form_body(value)?,
                            None => Vec::new(),
                        }),
                        content_type: Some(#ct.to_owned()),
                    }
                }
                // A structure, union or document: JSON; unset is `{}` (as botocore sends).
                _ => quote! {
                    body: Some(match &input.#f {
                        Some(value) => serde_json::to_vec(value)?,
                        None => b"{}".to_vec(),
                    }),
                    #json_ct
                },
            }
        }
        // Body members, even all unset, make a JSON object; none at all, no body.
        (None, true) if has_body_members => {
            quote!(body: Some(serde_json::to_vec(input)?), #json_ct)
        }
        (None, true) => quote!(),
    };
    let host_labels: Vec<TokenStream> = host_labels.collect();
    let pushes = bindings.iter().any(|b| !b.is_empty()) || !host_labels.is_empty();
    let uses_input = !fill_tokens.is_empty() || pushes || !body.is_empty();
    let bind_input = if uses_input {
        quote!()
    } else {
        quote!(let _ = input;)
    };
    let init = if body.is_empty() {
        quote!(HttpRequest::default())
    } else {
        quote!(HttpRequest { #body ..HttpRequest::default() })
    };
    if !pushes {
        return quote! {
            #bind_input
            #fill_tokens
            Ok(#init)
        };
    }
    quote! {
        #fill_tokens
        let mut request = #init;
        #(#bindings)*
        #(#host_labels)*
        Ok(request)
    }
}

/// Statements reading the header-bound members of a structure `target` (a mutable binding)
/// from `response`.
fn read_headers(svc: &Service, s: &Structure, target: &Ident) -> TokenStream {
    if !rest(svc) {
        return quote!();
    }
    let reads = s.members.iter().map(|m| {
        let f = ident(&m.rust_name);
        let wire = &m.name;
        match m.location {
            Location::Header => {
                let parse = |ty: &Type, text: TokenStream| -> TokenStream {
                    parse_expr(ty, wire, text)
                };
                match &m.ty.kind {
                    Kind::List(item) => {
                        let dates = matches!(item.kind, Kind::Timestamp(TimestampFormat::HttpDate));
                        let one = parse(item, quote!(item.as_str()));
                        let one = if item.sparse || m.ty.sparse {
                            quote!(Some(#one))
                        } else {
                            one
                        };
                        quote! {
                            if let Some(text) = response.header(#wire) {
                                let mut items = Vec::new();
                                for item in cloudjobs_runtime::wire::split_header_list(&text, #dates) {
                                    items.push(#one);
                                }
                                #target.#f = Some(items);
                            }
                        }
                    }
                    _ => {
                        let one = parse(&m.ty, quote!(text.as_str()));
                        quote! {
                            if let Some(text) = response.header(#wire) {
                                #target.#f = Some(#one);
                            }
                        }
                    }
                }
            }
            Location::PrefixHeaders => {
                let value_ty = match &m.ty.kind {
                    Kind::Map(v) => v.as_ref().clone(),
                    _ => Type::new(Kind::String),
                };
                let one = parse_expr(&value_ty, wire, quote!(value.as_str()));
                let one = if value_ty.sparse {
                    quote!(Some(#one))
                } else {
                    one
                };
                quote! {
                    let mut map = std::collections::BTreeMap::new();
                    for (key, value) in response.prefix_headers(#wire) {
                        map.insert(key, #one);
                    }
                    #target.#f = Some(map);
                }
            }
            Location::ResponseCode => quote! {
                #target.#f = Some(response.status.into());
            },
            _ => quote!(),
        }
    });
    quote!(#(#reads)*)
}

/// Parses header text (`text`, a `&str` expression) into a value of `ty`, `?`-propagating a
/// `serde_json::Error` naming the header.
fn parse_expr(ty: &Type, header: &str, text: TokenStream) -> TokenStream {
    let fail = quote!(|e| cloudjobs_runtime::wire::header_error(#header, e));
    match &ty.kind {
        Kind::String if ty.media_type.is_some() => quote! {
            cloudjobs_runtime::wire::base64_decode(#text)
                .and_then(|bytes| String::from_utf8(bytes).map_err(|e| e.to_string()))
                .map_err(#fail)?
        },
        Kind::String => quote!(String::from(#text)),
        Kind::Enum(n) => {
            let n = ident(n);
            quote!(crate::types::#n::from(#text))
        }
        Kind::IntEnum(n) => {
            let n = ident(n);
            quote!(crate::types::#n::from(cloudjobs_runtime::wire::parse_header_text::<i64>(#header, #text)?))
        }
        Kind::Timestamp(fmt) => {
            let fmt = runtime_format(*fmt);
            quote!(cloudjobs_runtime::wire::parse_timestamp(#text, #fmt).map_err(#fail)?)
        }
        Kind::Blob => quote! {
            cloudjobs_runtime::Blob::new(cloudjobs_runtime::wire::base64_decode(#text).map_err(#fail)?)
        },
        _ => {
            let t = rust_type(ty);
            quote!(cloudjobs_runtime::wire::parse_header_text::<#t>(#header, #text)?)
        }
    }
}

/// The body of `deserialize_output` for an operation-owned output structure.
pub(super) fn deserialize_owned_output(
    svc: &Service,
    s: &Structure,
    output: &Ident,
) -> TokenStream {
    let out = format_ident!("output");
    match owned_output_statements(svc, s, output, &out) {
        Some(statements) => quote! {
            #statements
            Ok(#out)
        },
        None => quote!(serde_json::from_slice(
            cloudjobs_runtime::__private::json_body(&response.body)
        )),
    }
}

/// Statements that decode `response` into a new binding `out` of structure `s` (named
/// `output` in Rust): the payload member from the whole body, bound members from headers.
/// `None` when `s` is plain JSON, nothing bound.
fn owned_output_statements(
    svc: &Service,
    s: &Structure,
    output: &Ident,
    out: &Ident,
) -> Option<TokenStream> {
    let headers = read_headers(svc, s, out);
    let payload = s.members.iter().find(|m| m.location == Location::Payload);
    if headers.is_empty() && (payload.is_none() || !rest(svc)) {
        return None;
    }
    let decode = match payload {
        Some(p) if rest(svc) => {
            let f = ident(&p.rust_name);
            // In a plain JSON API (OpenAPI) a string or enum body is JSON unless its media
            // type says text; in restJson1 a string or enum payload is text.
            let json_media =
                p.ty.media_type
                    .as_deref()
                    .is_none_or(|m| m.contains("json"));
            let value = match &p.ty.kind {
                Kind::Blob => quote!(cloudjobs_runtime::Blob::new(response.body.to_vec())),
                Kind::String | Kind::Enum(_) if svc.protocol == Protocol::Json && json_media => {
                    quote!(serde_json::from_slice(&response.body)?)
                }
                Kind::String => quote! {
                    String::from_utf8(response.body.to_vec()).map_err(|e| {
                        <serde_json::Error as serde::de::Error>::custom(format!("the payload is not UTF-8: {e}"))
                    })?
                },
                Kind::Enum(n) => {
                    let n = ident(n);
                    quote!(crate::types::#n::from(String::from_utf8_lossy(&response.body).as_ref()))
                }
                _ => quote!(serde_json::from_slice(&response.body)?),
            };
            quote! {
                let mut #out = #output::default();
                if !response.body.is_empty() {
                    #out.#f = Some(#value);
                }
            }
        }
        // A plain JSON API's response with nothing but headers documented may still send a
        // body (a redirect's HTML): it is not read.
        _ if svc.protocol == Protocol::Json
            && !s.members.iter().any(|m| m.location == Location::Body) =>
        {
            quote!(let mut #out = #output::default();)
        }
        _ => quote! {
            let mut #out: #output = serde_json::from_slice(cloudjobs_runtime::__private::json_body(&response.body))?;
        },
    };
    Some(quote! {
        #decode
        #headers
    })
}

/// The match arms of `deserialize_error`, one per modeled error, and the fallback.
pub(super) fn error_arms(svc: &Service, op: &Operation, error: &Ident) -> TokenStream {
    // Codes and exact statuses first, then status classes (`4XX`), then `default`, whatever
    // the spec's order.
    let rank = |e: &&ErrorRef| match e.matcher {
        ErrorMatch::Code(_) | ErrorMatch::Status(_) => 0,
        ErrorMatch::StatusClass(_) => 1,
        ErrorMatch::Default => 2,
    };
    let mut ordered: Vec<&ErrorRef> = op.errors.iter().collect();
    ordered.sort_by_key(rank);
    let has_default = ordered.iter().any(|e| e.matcher == ErrorMatch::Default);
    let arms = ordered.into_iter().map(|e| {
        let v = ident(&e.variant);
        let sh = ident(&e.shape);
        let shape = match svc.shapes.get(&e.shape) {
            Some(Shape::Structure(s)) => Some(s),
            _ => None,
        };
        let set_message = shape
            .and_then(|s| {
                s.members.iter().find(|m| {
                    m.location == Location::Body
                        && m.name.eq_ignore_ascii_case("message")
                        && matches!(m.ty.kind, Kind::String)
                })
            })
            .map(|m| {
                let f = ident(&m.rust_name);
                quote!(if err.#f.is_none() { err.#f = meta.message.clone(); })
            })
            .unwrap_or_default();
        let err = format_ident!("err");
        let headers = shape
            .map(|s| read_headers(svc, s, &err))
            .unwrap_or_default();
        let guard = match &e.matcher {
            ErrorMatch::Code(c) => Some(quote!(meta.code.as_deref() == Some(#c))),
            ErrorMatch::Status(s) => Some(quote!(meta.status == #s)),
            ErrorMatch::StatusClass(c) => {
                let c = u16::from(*c);
                Some(quote!(meta.status / 100 == #c))
            }
            // Every error status no other arm took.
            ErrorMatch::Default => None,
        };
        // Header reads may fail: they run in a closure so a failure becomes `Unhandled` too.
        let decode = if headers.is_empty() {
            quote!(serde_json::from_slice::<crate::types::#sh>(cloudjobs_runtime::__private::json_body(&response.body)))
        } else {
            quote! {
                (|| -> Result<crate::types::#sh, serde_json::Error> {
                    let mut err: crate::types::#sh = serde_json::from_slice(cloudjobs_runtime::__private::json_body(&response.body))?;
                    #headers
                    Ok(err)
                })()
            }
        };
        let body = quote! {
            match #decode {
                Ok(mut err) => {
                    #set_message
                    err.meta = meta;
                    #error::#v(err)
                }
                Err(e) => #error::Unhandled(cloudjobs_runtime::error::Unhandled::undecodable(meta, &response.body, e)),
            }
        };
        (guard, body)
    });
    let mut arms: Vec<(Option<TokenStream>, TokenStream)> = arms.collect();
    if !has_default {
        arms.push((
            None,
            quote!(#error::Unhandled(cloudjobs_runtime::error::Unhandled::new(meta, &response.body))),
        ));
    }
    // A `default` after another `default` could never match: keep the first.
    if let Some(first) = arms.iter().position(|(g, _)| g.is_none()) {
        arms.truncate(first + 1);
    }
    guarded_match(arms)
}

/// `match () { _ if guard => body, ..., _ => last }` over arms whose last one has no guard;
/// just the body when that is the only arm (no single-binding match for clippy).
fn guarded_match(arms: Vec<(Option<TokenStream>, TokenStream)>) -> TokenStream {
    if let [(None, body)] = arms.as_slice() {
        return body.clone();
    }
    let arms = arms.into_iter().map(|(guard, body)| match guard {
        Some(g) => quote!(_ if #g => #body,),
        None => quote!(_ => #body,),
    });
    quote! {
        match () {
            #(#arms)*
        }
    }
}

/// An expression (using `?` for a `serde_json::Error`) decoding the whole response body as
/// a value of `ty`: bytes as they are for a blob, text for a string with a non-JSON media
/// type, any JSON value as it is (`null` too; an empty body is `null`), JSON otherwise (an
/// empty body, or `null`, reads as `{}`).
pub(super) fn body_value(ty: &Type) -> TokenStream {
    let json_media = ty.media_type.as_deref().is_none_or(|m| m.contains("json"));
    match &ty.kind {
        Kind::Document => quote! {
            if response.body.trim_ascii().is_empty() {
                serde_json::Value::Null
            } else {
                serde_json::from_slice(&response.body)?
            }
        },
        Kind::Blob => quote!(cloudjobs_runtime::Blob::new(response.body.to_vec())),
        Kind::String if !json_media => quote! {
            String::from_utf8(response.body.to_vec()).map_err(|e| {
                <serde_json::Error as serde::de::Error>::custom(format!("the body is not UTF-8: {e}"))
            })?
        },
        _ => quote!(serde_json::from_slice(
            cloudjobs_runtime::__private::json_body(&response.body)
        )?),
    }
}

/// As [`body_value`], as a `Result` (the body of `deserialize_output` for a shared output
/// type).
pub(super) fn body_result(ty: &Type) -> TokenStream {
    match &ty.kind {
        Kind::Blob | Kind::String | Kind::Document => {
            let value = body_value(ty);
            quote!(Ok(#value))
        }
        _ => quote!(serde_json::from_slice(
            cloudjobs_runtime::__private::json_body(&response.body)
        )),
    }
}

/// The `if` condition of a status match on `status` (a `u16`).
fn status_condition(m: StatusMatch) -> Option<TokenStream> {
    match m {
        StatusMatch::Exact(s) => Some(quote!(status == #s)),
        StatusMatch::Class(c) => {
            let c = u16::from(c);
            Some(quote!(status / 100 == #c))
        }
        StatusMatch::Default => None,
    }
}

/// `Operation::is_success`, when the runtime's default (any 2xx, and `success_status`) is
/// not the whole story: every documented success status or class counts too (a `303` next
/// to a `200`), and a `default` success response makes any status below 400 one (error
/// statuses stay errors, so the error enum and retries see them). Nothing when the
/// documented statuses are all 2xx or `success_status`.
pub(super) fn is_success(op: &Operation) -> TokenStream {
    let mut extra: Vec<TokenStream> = Vec::new();
    let mut below_400 = false;
    // The statuses of an output chosen by status count, whether or not the front-end listed
    // them.
    let by_status = match &op.output {
        Output::ByStatus(outputs) => outputs.iter().map(|o| o.status).collect(),
        _ => Vec::new(),
    };
    for s in op.success_statuses.iter().chain(&by_status) {
        match *s {
            StatusMatch::Exact(c) if (200..300).contains(&c) || op.success_status == Some(c) => {}
            StatusMatch::Class(2) => {}
            StatusMatch::Default => below_400 = true,
            m => {
                if let Some(c) = status_condition(m)
                    && !extra.iter().any(|e| e.to_string() == c.to_string())
                {
                    extra.push(c);
                }
            }
        }
    }
    if below_400 {
        return quote! {
            fn is_success(status: u16) -> bool {
                status < 400
            }
        };
    }
    if extra.is_empty() {
        return quote!();
    }
    let own = op.success_status.map(|c| quote!(status == #c ||));
    quote! {
        fn is_success(status: u16) -> bool {
            #(#extra ||)* #own (200..300).contains(&status)
        }
    }
}

/// The body of `deserialize_output` for an output chosen by status: exact statuses first,
/// then classes, then `default`.
pub(super) fn deserialize_by_status(
    svc: &Service,
    op: &Operation,
    outputs: &[StatusOutput],
    output: &Ident,
) -> TokenStream {
    let rank = |o: &&StatusOutput| match o.status {
        StatusMatch::Exact(_) => 0,
        StatusMatch::Class(_) => 1,
        StatusMatch::Default => 2,
    };
    let mut ordered: Vec<&StatusOutput> = outputs.iter().collect();
    ordered.sort_by_key(rank);
    let has_default = ordered.iter().any(|o| o.status == StatusMatch::Default);
    let mut arms: Vec<(Option<TokenStream>, TokenStream)> = ordered
        .iter()
        .map(|o| {
            let v = ident(&o.variant);
            let owned = super::operations::status_structure(op, o).and_then(|st| {
                let name = ident(&st.rust_name);
                let out = format_ident!("value");
                let statements = owned_output_statements(svc, &st, &name, &out)?;
                Some(quote!(#output::#v({
                    #statements
                    #out
                })))
            });
            let value = match (owned, &o.body) {
                (Some(owned), _) => owned,
                (None, Some(t)) => {
                    let value = body_value(t);
                    quote!(#output::#v(#value))
                }
                (None, None) => quote!(#output::#v),
            };
            (status_condition(o.status), quote!(Ok(#value)))
        })
        .collect();
    if !has_default {
        arms.push((
            None,
            quote! {
                Err(<serde_json::Error as serde::de::Error>::custom(format!(
                    "HTTP {status} is not one of the documented responses"
                )))
            },
        ));
    }
    // A `default` after another `default` could never match: keep the first.
    if let Some(first) = arms.iter().position(|(g, _)| g.is_none()) {
        arms.truncate(first + 1);
    }
    let matched = guarded_match(arms);
    let conditions = ordered.iter().any(|o| o.status != StatusMatch::Default);
    let status = if conditions || !has_default {
        quote!(let status = response.status;)
    } else {
        quote!()
    };
    quote! {
        #status
        #matched
    }
}

/// `OperationMeta::security`: the operation's alternatives as the runtime's schemes (with
/// [`Auth::Schemes`]; empty for the other kinds of authentication).
pub(super) fn security(svc: &Service, op: &Operation) -> TokenStream {
    let Auth::Schemes(schemes) = &svc.auth else {
        return quote!(&[]);
    };
    let alternatives = op.security.iter().map(|alt| {
        let items = alt.iter().map(|name| match schemes.iter().find(|s| &s.name == name) {
            Some(scheme) => match &scheme.kind {
                SchemeKind::Bearer => quote!(cloudjobs_runtime::SecurityScheme::Bearer),
                SchemeKind::Basic => quote!(cloudjobs_runtime::SecurityScheme::Basic),
                SchemeKind::ApiKeyHeader { header } => {
                    quote!(cloudjobs_runtime::SecurityScheme::ApiKeyHeader(#header))
                }
                SchemeKind::ApiKeyQuery { parameter } => {
                    quote!(cloudjobs_runtime::SecurityScheme::ApiKeyQuery(#parameter))
                }
            },
            // The check pass refuses such a name; should one slip through, the crate says so.
            None => {
                let msg = format!(
                    "cloudjobs xtask: operation `{}` names the unknown security scheme `{name}`",
                    op.name
                );
                quote!(compile_error!(#msg))
            }
        });
        quote!(&[#(#items),*])
    });
    quote!(&[#(#alternatives),*])
}

/// `Operation::modeled_retry`, when an error of the operation is `retryable`.
pub(super) fn modeled_retry(svc: &Service, op: &Operation, error: &Ident) -> TokenStream {
    let arms: Vec<TokenStream> = op
        .errors
        .iter()
        .filter_map(|e| {
            let Some(Shape::Structure(s)) = svc.shapes.get(&e.shape) else {
                return None;
            };
            let r = s.retryable?;
            let v = ident(&e.variant);
            let kind = if r.throttling {
                quote!(cloudjobs_runtime::ErrorRetry::Throttling)
            } else {
                quote!(cloudjobs_runtime::ErrorRetry::Transient)
            };
            Some(quote!(#error::#v(_) => Some(#kind),))
        })
        .collect();
    if arms.is_empty() {
        return quote!();
    }
    quote! {
        fn modeled_retry(error: &Self::Error) -> Option<cloudjobs_runtime::ErrorRetry> {
            match error {
                #(#arms)*
                _ => None,
            }
        }
    }
}

/// The path template as the runtime takes it: the operation path with its constant query
/// (`/x?list-type=2`, `?flag` for an empty value).
pub(super) fn path_template(op: &Operation) -> String {
    let mut path = op.path.clone();
    for (i, (k, v)) in op.query_literals.iter().enumerate() {
        path.push(if i == 0 { '?' } else { '&' });
        path.push_str(k);
        if !v.is_empty() {
            path.push('=');
            path.push_str(v);
        }
    }
    path
}

/// Escapes a JSON pointer token (RFC 6901).
fn pointer_token(name: &str) -> String {
    name.replace('~', "~0").replace('/', "~1")
}

/// Where the error shapes of a plain-JSON service keep a string `code` and `message`:
/// JSON pointers found breadth-first through the error structures (top-level members first,
/// then nested structures, then the first item of lists of structures).
fn json_error_pointers(svc: &Service) -> (Vec<String>, Vec<String>) {
    let mut queue: Vec<(String, String, usize)> = Vec::new();
    let mut seen_shapes = Vec::new();
    for op in &svc.operations {
        for e in &op.errors {
            if !seen_shapes.contains(&e.shape) {
                seen_shapes.push(e.shape.clone());
                queue.push((String::new(), e.shape.clone(), 0));
            }
        }
    }
    let (mut codes, mut messages) = (Vec::new(), Vec::new());
    let mut i = 0;
    while i < queue.len() {
        let (prefix, shape, depth) = queue[i].clone();
        i += 1;
        let Some(Shape::Structure(s)) = svc.shapes.get(&shape) else {
            continue;
        };
        for m in s.members.iter().filter(|m| m.location == Location::Body) {
            let pointer = format!("{prefix}/{}", pointer_token(&m.name));
            match &m.ty.kind {
                Kind::String if m.name.eq_ignore_ascii_case("code") => codes.push(pointer),
                Kind::String if m.name.eq_ignore_ascii_case("message") => messages.push(pointer),
                Kind::Struct(n) if depth < 3 => queue.push((pointer, n.clone(), depth + 1)),
                Kind::List(item) if depth < 3 => {
                    if let Kind::Struct(n) = &item.kind {
                        queue.push((format!("{pointer}/0"), n.clone(), depth + 1));
                    }
                }
                _ => {}
            }
        }
    }
    (codes, messages)
}

/// `ServiceMeta::errors`: the AWS rules for the AWS protocols; for plain JSON, the pointers
/// the spec's error shapes give, then the common conventions of JSON APIs (`code`,
/// `message`, `error.code`/`error.message`, FastAPI's `detail`).
pub(super) fn error_rules(svc: &Service) -> TokenStream {
    let list = |v: &[String]| quote!(&[#(#v),*]);
    match svc.protocol {
        Protocol::AwsJson1_0 { .. } | Protocol::AwsJson1_1 { .. } | Protocol::RestJson1 => {
            quote! {
                cloudjobs_runtime::ErrorRules {
                    code_headers: &["x-amzn-errortype"],
                    code_pointers: &["/code", "/__type"],
                    sanitize_code: true,
                    message_pointers: &["/message", "/Message"],
                    reason_as_message: false,
                    request_id_headers: &["x-amzn-requestid", "x-amz-request-id"],
                }
            }
        }
        Protocol::Json => {
            let (mut codes, mut messages) = json_error_pointers(svc);
            for c in ["/code", "/error/code"] {
                if !codes.iter().any(|x| x == c) {
                    codes.push(c.into());
                }
            }
            for m in ["/message", "/detail", "/detail/0/msg", "/error/message"] {
                if !messages.iter().any(|x| x == m) {
                    messages.push(m.into());
                }
            }
            let codes = list(&codes);
            let messages = list(&messages);
            quote! {
                cloudjobs_runtime::ErrorRules {
                    code_headers: &[],
                    code_pointers: #codes,
                    sanitize_code: false,
                    message_pointers: #messages,
                    reason_as_message: true,
                    request_id_headers: &["x-request-id", "x-amzn-requestid", "x-amz-request-id"],
                }
            }
        }
    }
}

#[cfg(test)]
mod tests;
