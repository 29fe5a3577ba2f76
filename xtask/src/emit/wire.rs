//! The wire half of an operation: how its input becomes an `HttpRequest` (HTTP bindings,
//! idempotency tokens, host labels), how a response becomes its output or error, the retry
//! hints of its errors, its paginator, and the service's error-shape rules.
//!
//! The rules follow the Smithy HTTP binding traits and, where Smithy leaves a choice, what
//! botocore's `rest-json` serializer does (the wire oracle of `cargo xtask corpus`).

use std::collections::BTreeMap;

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::{Ctx, doc, ident, rust_type};
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
        Kind::Byte | Kind::Short | Kind::Integer | Kind::Long | Kind::Boolean => {
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
        | Kind::Union(_) => return None,
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
fn bind_member(op: &Operation, m: &Member) -> TokenStream {
    let f = ident(&m.rust_name);
    let wire = &m.name;
    let text = |ty: &Type, site: Site, v: TokenStream| text_expr(ty, site, v);
    match m.location {
        Location::Body | Location::ResponseCode | Location::Payload => quote!(),
        Location::Label => match text(&m.ty, Site::Uri, quote!(value)) {
            Some(t) => quote!(if let Some(value) = &input.#f { request.labels.push((#wire, #t)); }),
            None => unsupported(op, m, "a path label must be a scalar"),
        },
        Location::Query => match &m.ty.kind {
            Kind::List(item) => match text(item, Site::Uri, quote!(item)) {
                Some(t) => quote! {
                    if let Some(value) = &input.#f {
                        for item in value {
                            request.query.push((#wire.to_owned(), #t));
                        }
                    }
                },
                None => unsupported(op, m, "a query list must hold scalars"),
            },
            _ => match text(&m.ty, Site::Uri, quote!(value)) {
                Some(t) => quote! {
                    if let Some(value) = &input.#f { request.query.push((#wire.to_owned(), #t)); }
                },
                None => unsupported(op, m, "a query parameter must be a scalar or a list"),
            },
        },
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

/// Whether the operation sends its members over HTTP bindings (restJson1 and plain JSON); the
/// awsJson protocols put everything in the body.
fn rest(svc: &Service) -> bool {
    matches!(svc.protocol, Protocol::RestJson1 | Protocol::Json)
}

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
        members.iter().map(|m| bind_member(op, m)).collect()
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
    // Field initializers of the request: the body and its content type.
    let body = match (payload, rest(svc)) {
        (_, false) => quote!(body: Some(serde_json::to_vec(input)?),),
        (Some(p), true) => {
            let f = ident(&p.rust_name);
            let raw = |bytes: TokenStream, default_ct: &str| {
                let ct = p.ty.media_type.clone().unwrap_or_else(|| default_ct.into());
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
                // A structure, union or document: JSON; unset is `{}` (as botocore sends).
                _ => quote! {
                    body: Some(match &input.#f {
                        Some(value) => serde_json::to_vec(value)?,
                        None => b"{}".to_vec(),
                    }),
                },
            }
        }
        // Body members, even all unset, make a JSON object; none at all, no body.
        (None, true) if has_body_members => quote!(body: Some(serde_json::to_vec(input)?),),
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
    let headers = read_headers(svc, s, &out);
    let payload = s.members.iter().find(|m| m.location == Location::Payload);
    if headers.is_empty() && (payload.is_none() || !rest(svc)) {
        return quote!(serde_json::from_slice(
            cloudjobs_runtime::__private::json_body(&response.body)
        ));
    }
    let decode = match payload {
        Some(p) if rest(svc) => {
            let f = ident(&p.rust_name);
            let value = match &p.ty.kind {
                Kind::Blob => quote!(cloudjobs_runtime::Blob::new(response.body.to_vec())),
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
        _ => quote! {
            let mut #out: #output = serde_json::from_slice(cloudjobs_runtime::__private::json_body(&response.body))?;
        },
    };
    quote! {
        #decode
        #headers
        Ok(#out)
    }
}

/// The match arms of `deserialize_error`, one per modeled error, and the fallback.
pub(super) fn error_arms(svc: &Service, op: &Operation, error: &Ident) -> TokenStream {
    let arms = op.errors.iter().map(|e| {
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
        let pat = match &e.matcher {
            ErrorMatch::Code(c) => quote!(_ if meta.code.as_deref() == Some(#c)),
            ErrorMatch::Status(s) => quote!(_ if meta.status == #s),
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
        quote! {
            #pat => match #decode {
                Ok(mut err) => {
                    #set_message
                    err.meta = meta;
                    #error::#v(err)
                }
                Err(e) => #error::Unhandled(cloudjobs_runtime::error::Unhandled::undecodable(meta, &response.body, e)),
            },
        }
    });
    quote! {
        match () {
            #(#arms)*
            _ => #error::Unhandled(cloudjobs_runtime::error::Unhandled::new(meta, &response.body)),
        }
    }
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

/// The `source()` of an operation error: a modeled error itself, or what made an unhandled
/// one undecodable.
pub(super) fn error_source(op: &Operation) -> TokenStream {
    let variants = op.errors.iter().map(|e| ident(&e.variant));
    quote! {
        fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
            match self {
                #( Self::#variants(err) => Some(err), )*
                Self::Unhandled(err) => std::error::Error::source(err),
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

/// The crate-level `Error`: one variant per modeled error of any operation (by variant
/// name; the same name for two different shapes gets the shape name appended), `Unhandled`
/// and `Request` (no answer from the service). Every operation error converts into it, and so
/// does the runtime error of every operation.
pub(super) fn crate_error(cx: &Ctx) -> TokenStream {
    let svc = cx.svc;
    // variant -> (shape, docs)
    let mut variants: BTreeMap<String, (String, String)> = BTreeMap::new();
    // (operation, error variant) -> crate variant
    let mut mapping: Vec<(String, String, String)> = Vec::new();
    let reserved = ["Unhandled", "Request"];
    for op in &svc.operations {
        for e in &op.errors {
            let mut name = e.variant.clone();
            if reserved.contains(&name.as_str()) {
                name.push_str("Error");
            }
            if let Some((shape, _)) = variants.get(&name)
                && shape != &e.shape
            {
                name = format!("{name}{}", e.shape);
            }
            variants
                .entry(name.clone())
                .or_insert_with(|| (e.shape.clone(), e.docs.clone()));
            mapping.push((op.type_name.clone(), e.variant.clone(), name));
        }
    }
    let vs: Vec<Ident> = variants.keys().map(|v| ident(v)).collect();
    let shapes: Vec<Ident> = variants.values().map(|(s, _)| ident(s)).collect();
    let docs = variants.iter().map(|(v, (s, d))| {
        doc(&if d.is_empty() {
            format!("`{v}` (`{s}`).")
        } else {
            d.clone()
        })
    });
    let names: Vec<&String> = variants.keys().collect();
    let froms = svc.operations.iter().map(|op| {
        let module = ident(&op.method_name);
        let op_error = format_ident!("{}Error", op.type_name);
        let arms = mapping
            .iter()
            .filter(|(o, _, _)| o == &op.type_name)
            .map(|(_, v, c)| {
                let v = ident(v);
                let c = ident(c);
                quote!(crate::operation::#module::#op_error::#v(err) => Error::#c(err),)
            });
        quote! {
            impl From<crate::operation::#module::#op_error> for Error {
                fn from(err: crate::operation::#module::#op_error) -> Self {
                    match err {
                        #(#arms)*
                        crate::operation::#module::#op_error::Unhandled(err) => Error::Unhandled(err),
                    }
                }
            }

            impl From<cloudjobs_runtime::Error<crate::operation::#module::#op_error>> for Error {
                fn from(err: cloudjobs_runtime::Error<crate::operation::#module::#op_error>) -> Self {
                    match err.split_service_error() {
                        Ok((err, _attempts)) => err.into(),
                        Err(other) => Error::Request(other),
                    }
                }
            }
        }
    });
    // Display and Error for each modeled error structure, once.
    let mut shape_set: Vec<&String> = variants.values().map(|(s, _)| s).collect();
    shape_set.sort();
    shape_set.dedup();
    let shape_impls = shape_set.iter().map(|s| {
        let t = ident(s);
        let name = s.as_str();
        quote! {
            impl std::fmt::Display for crate::types::#t {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    cloudjobs_runtime::error::fmt_service_error(f, #name, &self.meta)
                }
            }

            impl std::error::Error for crate::types::#t {}

            impl cloudjobs_runtime::ProvideErrorMetadata for crate::types::#t {
                fn meta(&self) -> &cloudjobs_runtime::ErrorMetadata {
                    &self.meta
                }
            }
        }
    });
    quote! {
        /// Every error of this crate's operations in one type, for callers that handle the
        /// errors of several operations together: `?` converts an operation's error (or the
        /// `cloudjobs_runtime::Error` of any operation) into it.
        #[derive(Debug)]
        #[non_exhaustive]
        pub enum Error {
            #( #docs #vs(crate::types::#shapes), )*
            /// An error the service returned that the spec does not model.
            Unhandled(cloudjobs_runtime::error::Unhandled),
            /// The request failed without an error answer from the service: invalid input,
            /// no endpoint or credentials, a transport failure, a timeout, an undecodable
            /// response or a misbehaving paginator.
            Request(cloudjobs_runtime::Error<std::convert::Infallible>),
        }

        impl Error {
            /// The metadata (code, message, request id, status) of a service error; `None`
            /// for [`Error::Request`].
            pub fn meta(&self) -> Option<&cloudjobs_runtime::ErrorMetadata> {
                match self {
                    #( Error::#vs(err) => Some(&err.meta), )*
                    Error::Unhandled(err) => Some(&err.meta),
                    Error::Request(_) => None,
                }
            }

            fn kind(&self) -> &'static str {
                match self {
                    #( Error::#vs(_) => #names, )*
                    Error::Unhandled(_) => "Unhandled",
                    Error::Request(_) => "Request",
                }
            }
        }

        impl std::fmt::Display for Error {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                match (self, self.meta()) {
                    (Error::Request(err), _) => std::fmt::Display::fmt(err, f),
                    (_, Some(meta)) => cloudjobs_runtime::error::fmt_service_error(f, self.kind(), meta),
                    (_, None) => f.write_str(self.kind()),
                }
            }
        }

        impl std::error::Error for Error {
            fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
                match self {
                    #( Error::#vs(err) => Some(err), )*
                    Error::Unhandled(err) => std::error::Error::source(err),
                    Error::Request(err) => std::error::Error::source(err),
                }
            }
        }

        #(#froms)*

        #(#shape_impls)*
    }
}

/// Expression reaching a nested member by a path of member names, creating parents as
/// needed (`create`) or `?`-returning `None` on an unset parent. `None` when the path does not
/// lead through structures (the check pass rules that out).
fn member_access(
    svc: &Service,
    root: &Structure,
    path: &[String],
    base: TokenStream,
    create: bool,
) -> Option<(TokenStream, Type)> {
    let mut current = root;
    let mut expr = base;
    for (i, seg) in path.iter().enumerate() {
        let m = current.members.iter().find(|m| &m.member_name == seg)?;
        let f = ident(&m.rust_name);
        if i + 1 == path.len() {
            return Some((quote!(#expr.#f), m.ty.clone()));
        }
        expr = if create {
            quote!(#expr.#f.get_or_insert_with(Default::default))
        } else {
            quote!(#expr.#f.as_ref()?)
        };
        current = match &m.ty.kind {
            Kind::Struct(n) => match svc.shapes.get(n) {
                Some(Shape::Structure(s)) => s,
                _ => return None,
            },
            _ => return None,
        };
    }
    None
}

/// Moves the member at `path` out of `base` (an owned structure), through optional parents:
/// an `Option` of the leaf's type.
fn member_take(
    svc: &Service,
    root: &Structure,
    path: &[String],
    base: TokenStream,
) -> Option<(TokenStream, Type)> {
    let (first, rest) = path.split_first()?;
    let m = root.members.iter().find(|m| &m.member_name == first)?;
    let f = ident(&m.rust_name);
    let expr = quote!(#base.#f);
    if rest.is_empty() {
        return Some((expr, m.ty.clone()));
    }
    let Kind::Struct(n) = &m.ty.kind else {
        return None;
    };
    let Some(Shape::Structure(s)) = svc.shapes.get(n) else {
        return None;
    };
    let (inner, ty) = member_take(svc, s, rest, quote!(parent))?;
    Some((quote!(#expr.and_then(|parent| #inner)), ty))
}

fn int_from_u32(ty: &Type, value: TokenStream) -> TokenStream {
    let t = rust_type(ty);
    quote!(<#t>::try_from(#value).unwrap_or(<#t>::MAX))
}

/// The output structure of a paginated operation.
fn output_structure<'a>(svc: &'a Service, op: &'a Operation) -> Option<&'a Structure> {
    match &op.output {
        Output::Owned(s) => Some(s),
        Output::Type(Type {
            kind: Kind::Struct(n),
            ..
        }) => match svc.shapes.get(n) {
            Some(Shape::Structure(s)) => Some(s),
            _ => None,
        },
        _ => None,
    }
}

/// `impl Paginated` for a paginated operation. Without an items path, `items()` yields each
/// page whole (`Item` is the output): documented on `into_paginator`.
pub(super) fn paginated_impl(
    cx: &Ctx,
    op: &Operation,
    p: &Pagination,
) -> Result<TokenStream, String> {
    let svc = cx.svc;
    let ty = ident(&op.type_name);
    let bad = |what: &str| format!("operation `{}`: pagination {what}", op.name);
    let out_struct = output_structure(svc, op).ok_or_else(|| bad("output is not a structure"))?;
    let (item_ty, into_items, page_len) = match &p.items {
        Some(path) => {
            let (take, items_ty) = member_take(svc, out_struct, path, quote!(output))
                .ok_or_else(|| bad(&format!("items path {path:?} is not a member path")))?;
            let (item, collect) = match &items_ty.kind {
                Kind::List(t) => {
                    let t = rust_type(t);
                    let t = if items_ty.sparse {
                        quote!(Option<#t>)
                    } else {
                        t
                    };
                    (t, quote!(#take.unwrap_or_default()))
                }
                Kind::Map(t) => {
                    let t = rust_type(t);
                    let t = if items_ty.sparse {
                        quote!(Option<#t>)
                    } else {
                        t
                    };
                    (
                        quote!((String, #t)),
                        quote!(#take.map(|map| map.into_iter().collect()).unwrap_or_default()),
                    )
                }
                _ => {
                    return Err(bad(&format!(
                        "items `{}` is not a list or map",
                        path.join(".")
                    )));
                }
            };
            let (len_access, _) = member_access(svc, out_struct, path, quote!(output), false)
                .ok_or_else(|| bad("items path"))?;
            let page_len = quote! {
                fn page_len(output: &Self::Output) -> Option<usize> {
                    let read = |output: &Self::Output| -> Option<usize> { Some(#len_access.as_ref()?.len()) };
                    Some(read(output).unwrap_or(0))
                }
            };
            (item, collect, page_len)
        }
        None => (quote!(Self::Output), quote!(vec![output]), quote!()),
    };
    let set_page_size = match &p.page_size {
        Some(path) => {
            let (access, ty) = member_access(svc, &op.input, path, quote!(input), true)
                .ok_or_else(|| bad("page size path"))?;
            let conv = int_from_u32(&ty, quote!(size));
            quote!(#access = Some(#conv);)
        }
        None => quote!(let _ = (input, size);),
    };
    let (style, token_fns, offset_fns) = match &p.style {
        PageStyle::Token { input, output } => {
            let (in_access, _) = member_access(
                svc,
                &op.input,
                std::slice::from_ref(input),
                quote!(input),
                true,
            )
            .ok_or_else(|| bad("input token"))?;
            let (out_access, _) = member_access(svc, out_struct, output, quote!(output), false)
                .ok_or_else(|| bad("output token path"))?;
            (
                quote!(cloudjobs_runtime::PageStyle::Token),
                quote! {
                    fn set_token(input: &mut Self::Input, token: Option<String>) {
                        #in_access = token;
                    }
                    fn next_token(output: &Self::Output) -> Option<&str> {
                        #out_access.as_deref()
                    }
                },
                quote! {
                    fn set_offset(_input: &mut Self::Input, _start: u32, _limit: u32) {}
                    fn total_count(_output: &Self::Output) -> Option<u64> {
                        None
                    }
                    fn offset(_input: &Self::Input) -> (Option<u32>, Option<u32>) {
                        (None, None)
                    }
                },
            )
        }
        PageStyle::Offset {
            start,
            limit,
            total,
        } => {
            let access = |path: &[String], create: bool| {
                member_access(svc, &op.input, path, quote!(input), create)
                    .ok_or_else(|| bad(&format!("offset path {path:?}")))
            };
            let (start_set, start_ty) = access(start, true)?;
            let (limit_set, limit_ty) = access(limit, true)?;
            let start_conv = int_from_u32(&start_ty, quote!(start));
            let limit_conv = int_from_u32(&limit_ty, quote!(limit));
            let (start_get, _) = access(start, false)?;
            let (limit_get, _) = access(limit, false)?;
            let (total_get, _) = member_access(
                svc,
                out_struct,
                std::slice::from_ref(total),
                quote!(output),
                false,
            )
            .ok_or_else(|| bad("total count"))?;
            (
                quote!(cloudjobs_runtime::PageStyle::Offset),
                quote! {
                    fn set_token(_input: &mut Self::Input, _token: Option<String>) {}
                    fn next_token(_output: &Self::Output) -> Option<&str> {
                        None
                    }
                },
                quote! {
                    fn set_offset(input: &mut Self::Input, start: u32, limit: u32) {
                        #start_set = Some(#start_conv);
                        #limit_set = Some(#limit_conv);
                    }
                    fn total_count(output: &Self::Output) -> Option<u64> {
                        #total_get.and_then(|n| u64::try_from(n).ok())
                    }
                    #page_len
                    fn offset(input: &Self::Input) -> (Option<u32>, Option<u32>) {
                        let read = |input: &Self::Input| -> Option<(Option<u32>, Option<u32>)> {
                            let start = #start_get.and_then(|v| u32::try_from(v).ok());
                            let limit = #limit_get.and_then(|v| u32::try_from(v).ok());
                            Some((start, limit))
                        };
                        read(input).unwrap_or((None, None))
                    }
                },
            )
        }
    };
    Ok(quote! {
        impl cloudjobs_runtime::Paginated for #ty {
            type Item = #item_ty;
            const STYLE: cloudjobs_runtime::PageStyle = #style;

            #token_fns
            #offset_fns

            fn set_page_size(input: &mut Self::Input, size: u32) {
                #set_page_size
            }

            fn into_items(output: Self::Output) -> Vec<Self::Item> {
                #into_items
            }
        }
    })
}

#[cfg(test)]
mod tests;
