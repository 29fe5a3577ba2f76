//! Errors: each operation's error enum and the crate-level `Error` every operation error
//! converts into.

use std::collections::BTreeMap;

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::{Ctx, doc, ident, plain};
use crate::ir::*;

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

/// The `source()` of an operation error: a modeled error itself, or what made an unhandled
/// one undecodable.
fn error_source(op: &Operation) -> TokenStream {
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

/// The error enum of an operation (`error` is its name) and its impls: one variant per
/// modeled error, `Unhandled` for the rest.
pub(super) fn operation_error(op: &Operation, error: &Ident) -> TokenStream {
    let variants: Vec<Ident> = op.errors.iter().map(|e| ident(&e.variant)).collect();
    let shapes: Vec<Ident> = op.errors.iter().map(|e| ident(&e.shape)).collect();
    let variant_names: Vec<&String> = op.errors.iter().map(|e| &e.variant).collect();
    let edocs = op.errors.iter().map(|e| {
        let status = e.status.map(|s| format!(" (HTTP {s})")).unwrap_or_default();
        doc(&format!(
            "{}{}",
            if e.docs.is_empty() {
                format!("`{}`.", e.variant)
            } else {
                e.docs.clone()
            },
            status
        ))
    });
    let is_fns = op.errors.iter().map(|e| {
        let f = format_ident!("is_{}", plain(&field_name(&e.variant)));
        let v = ident(&e.variant);
        let d = doc(&format!("Whether this is the `{}` variant.", e.variant));
        quote!(#d pub fn #f(&self) -> bool { matches!(self, Self::#v(_)) })
    });
    let error_doc = doc(&format!(
        "Errors of `{}`: one variant per modeled error, and `Unhandled` for the rest.",
        op.name
    ));
    let error_source = error_source(op);

    quote! {
        #error_doc
        #[derive(Debug)]
        #[non_exhaustive]
        pub enum #error {
            #( #edocs #variants(crate::types::#shapes), )*
            /// An error the spec does not model; carries the code, message, status and request id.
            Unhandled(cloudjobs_runtime::error::Unhandled),
        }

        impl #error {
            #(#is_fns)*

            /// Whether this is an error the spec does not model.
            pub fn is_unhandled(&self) -> bool {
                matches!(self, Self::Unhandled(_))
            }

            fn kind(&self) -> &'static str {
                match self {
                    #( Self::#variants(_) => #variant_names, )*
                    Self::Unhandled(_) => "Unhandled",
                }
            }
        }

        impl cloudjobs_runtime::ProvideErrorMetadata for #error {
            fn meta(&self) -> &ErrorMetadata {
                match self {
                    #( Self::#variants(err) => &err.meta, )*
                    Self::Unhandled(err) => &err.meta,
                }
            }
        }

        impl std::fmt::Display for #error {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                cloudjobs_runtime::error::fmt_service_error(f, self.kind(), cloudjobs_runtime::ProvideErrorMetadata::meta(self))
            }
        }

        impl std::error::Error for #error {
            #error_source
        }
    }
}
