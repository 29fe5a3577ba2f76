//! One `src/operation/<name>.rs` per operation: input, output, error enum, the
//! `Operation` impl the runtime executes, and the fluent builder the client returns.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::types::{FLUENT_BUILDER_METHODS, member_setters, structure};
use super::{Ctx, doc, errors, ident, inner_doc, paginators, rust_type, wire};
use crate::docs::rustdoc;
use crate::ir::*;

pub(super) fn operation_rs(cx: &Ctx, op: &Operation) -> TokenStream {
    let svc = cx.svc;
    let ty = ident(&op.type_name);
    let input = ident(&op.input.rust_name);
    let output = format_ident!("{}Output", op.type_name);
    let error = format_ident!("{}Error", op.type_name);
    let builder = format_ident!("{}FluentBuilder", op.type_name);
    let module_doc = inner_doc(&rustdoc(&format!(
        "`{}`: {}",
        op.name,
        if op.docs.is_empty() {
            "an operation of the API."
        } else {
            &op.docs
        }
    )));

    // Input structure.
    let mut input_struct = op.input.clone();
    if input_struct.docs.is_empty() {
        input_struct.docs = format!("Input of `{}`.", op.name);
    }
    let input_items = structure(cx, &input_struct);

    // Output.
    let output_items = match &op.output {
        Output::Owned(s) => {
            let mut s = s.clone();
            if s.docs.is_empty() {
                s.docs = format!("Output of `{}`.", op.name);
            }
            structure(cx, &s)
        }
        Output::Type(t) => {
            let t = rust_type(t);
            let d = doc(&format!("Output of `{}`.", op.name));
            quote!(#d pub type #output = #t;)
        }
        Output::ByStatus(outputs) => by_status_enum(cx, op, outputs, &output),
        Output::Empty => {
            let mut s = Structure::new(output.to_string(), format!("{} output", op.name));
            s.docs = format!("Output of `{}` (the response has no members).", op.name);
            structure(cx, &s)
        }
    };

    let error_items = errors::operation_error(op, &error);
    let arms = wire::error_arms(svc, op, &error);
    let modeled_retry = wire::modeled_retry(svc, op, &error);

    // Operation impl.
    let op_name = &op.name;
    let method = ident(&op.http_method.to_ascii_uppercase());
    let path = wire::path_template(op);
    let idempotent = op.idempotent;
    let unsigned = op.unsigned;
    let host_prefix = match &op.host_prefix {
        Some(p) => quote!(Some(#p)),
        None => quote!(None),
    };
    let success_status = match op.success_status {
        Some(s) => quote!(Some(#s)),
        None => quote!(None),
    };
    let serialize_body = wire::serialize_body(svc, op);
    let deserialize_output = match &op.output {
        Output::Owned(s) => wire::deserialize_owned_output(svc, s, &output),
        Output::Type(t) => wire::body_result(t),
        Output::ByStatus(outputs) => wire::deserialize_by_status(svc, op, outputs, &output),
        // A plain JSON API that documents no body may still send one (text, HTML): it is
        // not read.
        Output::Empty if svc.protocol == Protocol::Json => quote! {
            let _ = response;
            Ok(#output::default())
        },
        Output::Empty => quote!(serde_json::from_slice(
            cloudjobs_runtime::__private::json_body(&response.body)
        )),
    };
    let is_success = wire::is_success(op);
    let accept = match &op.accept {
        Some(a) => quote!(Some(#a)),
        None => quote!(None),
    };
    let security = wire::security(svc, op);
    let upgrade = op.upgrade;

    let paginated = op
        .pagination
        .as_ref()
        .map(|p| match paginators::paginated_impl(cx, op, p) {
            Ok(tokens) => tokens,
            // The check pass rules this out; should it slip through, the crate says why.
            Err(e) => {
                let msg = format!("cloudjobs xtask: {}: {e}", svc.spec_path);
                quote!(compile_error!(#msg);)
            }
        });
    let items_doc = match op.pagination.as_ref().and_then(|p| p.items.as_ref()) {
        Some(path) => format!("`.items()` streams the items of `{}`", path.join(".")),
        None => "the spec names no item list, so `.items()` yields each page whole".into(),
    };
    let paginator_doc = doc(&format!(
        "Turns this request into a paginator: `.pages()` streams every page, one request at a time, starting from the input's position; {items_doc}."
    ));
    let into_paginator = op.pagination.as_ref().map(|_| {
        quote! {
            #paginator_doc
            pub fn into_paginator(self) -> cloudjobs_runtime::Paginator<#ty> {
                cloudjobs_runtime::Paginator::new(self.handle, self.input)
            }
        }
    });

    let service_error = quote!(cloudjobs_runtime::Error<#error>);
    let send = if op.upgrade {
        quote! {
            /// Checks the input and sends the request with the WebSocket handshake headers
            /// (once, never retried); returns the connection once the server switches
            /// protocols (`101`). Speak the new protocol over it (`AsyncRead + AsyncWrite`).
            pub async fn send(self) -> Result<cloudjobs_runtime::Upgraded, #service_error> {
                self.handle.upgrade::<#ty>(self.input).await
            }
        }
    } else {
        quote! {
            /// Checks the input, sends the request (retrying as configured) and decodes the response.
            pub async fn send(self) -> Result<#output, #service_error> {
                self.handle.invoke::<#ty>(self.input).await
            }

            /// As [`send`](Self::send), and returns the output with the response's metadata
            /// (HTTP status, request id, headers).
            pub async fn send_with_metadata(self) -> Result<cloudjobs_runtime::WithMetadata<#output>, #service_error> {
                self.handle.invoke_with_metadata::<#ty>(self.input).await
            }
        }
    };

    // Per-call customization (not for protocol upgrades, which `Customized` does not send).
    let customize = (!op.upgrade).then(|| {
        let customize_doc = doc(&format!(
            "Customizes this call: headers (signed with the request), request edits, hooks and \
             configuration overrides (timeouts, retries, endpoint, region, credentials) for this \
             call only; then `send()`, `prepare()` (the signed request, not sent){}, on a \
             `cloudjobs_runtime::Customized`.\n\n\
             ```no_run\n\
             # async fn run(client: {krate}::Client) -> Result<(), Box<dyn std::error::Error>> {{\n\
             use std::time::Duration;\n\
             use cloudjobs_runtime::ConfigOverride;\n\
             let request = client\n    .{method}()\n    .customize()\n    \
             .header(\"x-trace-id\", \"3f6c0a\")\n    \
             .config_override(ConfigOverride::new().attempt_timeout(Duration::from_secs(5)))\n    \
             .prepare()\n    .await?;\n\
             assert_eq!(request.headers()[\"x-trace-id\"], \"3f6c0a\");\n\
             # Ok(()) }}\n\
             ```",
            if op.pagination.is_some() {
                " or `into_paginator()` (every page customized)"
            } else {
                ""
            },
            krate = super::lib_name(svc),
            method = super::plain(&op.method_name),
        ));
        quote! {
            #customize_doc
            pub fn customize(self) -> cloudjobs_runtime::Customized<#ty> {
                cloudjobs_runtime::Customized::new(self.handle, self.input)
            }
        }
    });

    // Fluent builder setters.
    let setters = fluent_setters(op);

    let op_doc = doc(&format!(
        "The `{}` operation, as the runtime executes it.",
        op.name
    ));
    let builder_doc = doc(&format!(
        "Fluent builder for `{}`: set members, then `send()`.",
        op.name
    ));
    quote! {
        #module_doc

        use cloudjobs_runtime::{ErrorMetadata, HttpRequest, HttpResponse, InvalidInput, OperationMeta, ServiceMeta, Validation};

        #input_items

        #output_items

        #error_items

        #op_doc
        #[derive(Debug, Clone, Copy)]
        pub struct #ty;

        impl cloudjobs_runtime::Operation for #ty {
            type Input = #input;
            type Output = #output;
            type Error = #error;

            const SERVICE: &'static ServiceMeta = &crate::SERVICE;
            const META: OperationMeta = OperationMeta {
                name: #op_name,
                method: cloudjobs_runtime::__private::http::Method::#method,
                path: #path,
                idempotent: #idempotent,
                unsigned: #unsigned,
                host_prefix: #host_prefix,
                success_status: #success_status,
                security: #security,
                upgrade: #upgrade,
                accept: #accept,
            };

            fn validate(input: &Self::Input, mode: Validation) -> Result<(), InvalidInput> {
                input.validate("", mode)
            }

            fn serialize(input: &Self::Input) -> Result<HttpRequest, serde_json::Error> {
                #serialize_body
            }

            #is_success

            fn deserialize_output(response: &HttpResponse) -> Result<Self::Output, serde_json::Error> {
                #deserialize_output
            }

            fn deserialize_error(meta: ErrorMetadata, response: &HttpResponse) -> Self::Error {
                #arms
            }

            #modeled_retry
        }

        #paginated

        #builder_doc
        #[derive(Debug, Clone)]
        pub struct #builder {
            handle: cloudjobs_runtime::Handle,
            input: #input,
        }

        impl #builder {
            pub(crate) fn new(handle: cloudjobs_runtime::Handle) -> Self {
                Self { handle, input: #input::default() }
            }

            /// The input built so far.
            pub fn as_input(&self) -> &#input {
                &self.input
            }

            /// Replaces the whole input.
            pub fn set_input(mut self, input: #input) -> Self {
                self.input = input;
                self
            }

            #(#setters)*

            #send

            #customize

            #into_paginator
        }
    }
}

/// The fluent builder's methods for the members of an operation's input.
fn fluent_setters(op: &Operation) -> Vec<TokenStream> {
    op.input
        .members
        .iter()
        .map(|m| member_setters(m, &quote!(self.input), FLUENT_BUILDER_METHODS))
        .collect()
}

/// The structure a variant of an output chosen by status holds when its response declares
/// headers: `<Op>Output<Variant>`, the header members then the body as `body`.
pub(super) fn status_structure(op: &Operation, o: &StatusOutput) -> Option<Structure> {
    if o.headers.is_empty() {
        return None;
    }
    let mut members = o.headers.clone();
    if let Some(b) = &o.body {
        members.push(Member {
            required: true,
            docs: "The response body.".into(),
            ..Member::new("body", b.clone(), Location::Payload)
        });
    }
    Some(Structure {
        members,
        docs: format!(
            "The `{}` response of `{}`: its headers and body.",
            o.variant, op.name
        ),
        ..Structure::new(
            format!("{}Output{}", op.type_name, o.variant),
            format!("{} output {}", op.name, o.variant),
        )
    })
}

/// The output enum of an operation whose success responses differ by status: one variant
/// per response, holding its body (or nothing), or, when the response declares headers, a
/// structure of the headers and the body ([`status_structure`]).
fn by_status_enum(
    cx: &Ctx,
    op: &Operation,
    outputs: &[StatusOutput],
    output: &proc_macro2::Ident,
) -> TokenStream {
    let structures: Vec<TokenStream> = outputs
        .iter()
        .filter_map(|o| status_structure(op, o))
        .map(|s| structure(cx, &s))
        .collect();
    let variants = outputs.iter().map(|o| {
        let v = ident(&o.variant);
        let status = match o.status {
            StatusMatch::Exact(s) => format!("HTTP {s}"),
            StatusMatch::Class(c) => format!("HTTP {c}xx"),
            StatusMatch::Default => "any other status below 400".to_string(),
        };
        let d = doc(&if o.docs.is_empty() {
            format!("The `{}` response ({status}).", o.variant)
        } else {
            format!("{}\n\n({status})", o.docs)
        });
        if let Some(s) = status_structure(op, o) {
            let t = ident(&s.rust_name);
            return quote!(#d #v(#t),);
        }
        match &o.body {
            Some(t) => {
                let t = rust_type(t);
                quote!(#d #v(#t),)
            }
            None => quote!(#d #v,),
        }
    });
    let d = doc(&format!(
        "Output of `{}`: the success response the status selected.",
        op.name
    ));
    quote! {
        #d
        #[derive(Debug, Clone, PartialEq)]
        #[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
        pub enum #output {
            #(#variants)*
        }

        #(#structures)*
    }
}
