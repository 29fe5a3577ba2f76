//! The crate root (`src/lib.rs`: docs, service metadata, re-exports, the crate `Error`) and
//! `src/client.rs` (the `Client`, one method per operation).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::crate_docs;
use super::{Ctx, doc, errors, ident, inner_doc, wire};
use crate::ir::*;

pub(super) fn lib_rs(cx: &Ctx) -> TokenStream {
    let svc = cx.svc;
    let docs = inner_doc(&crate_docs(cx));
    let name = &svc.name;
    let sdk_id = &svc.sdk_id;
    let protocol = match &svc.protocol {
        Protocol::AwsJson1_0 { target_prefix } => {
            quote!(cloudjobs_runtime::Protocol::AwsJson1_0 { target_prefix: #target_prefix })
        }
        Protocol::AwsJson1_1 { target_prefix } => {
            quote!(cloudjobs_runtime::Protocol::AwsJson1_1 { target_prefix: #target_prefix })
        }
        Protocol::RestJson1 => quote!(cloudjobs_runtime::Protocol::RestJson1),
        Protocol::Json => quote!(cloudjobs_runtime::Protocol::Json),
    };
    let auth = match &svc.auth {
        Auth::SigV4 { signing_name } => {
            quote!(cloudjobs_runtime::AuthScheme::SigV4 { signing_name: #signing_name })
        }
        Auth::Bearer => quote!(cloudjobs_runtime::AuthScheme::Bearer),
        Auth::Schemes(_) => quote!(cloudjobs_runtime::AuthScheme::PerOperation),
    };
    let mut endpoint_rules = quote!();
    let endpoint = match &svc.endpoint {
        Endpoint::Rules { rules, .. } => {
            let set = rule_set(rules);
            endpoint_rules = quote! {
                /// The model's endpoint rules: where requests go for each region, FIPS and
                /// dual-stack setting, and what a configured endpoint URL does.
                static ENDPOINT_RULES: cloudjobs_runtime::endpoint_rules::RuleSet = {
                    use cloudjobs_runtime::endpoint_rules as r;
                    #set
                };
            };
            quote!(cloudjobs_runtime::EndpointRule::RuleSet(&ENDPOINT_RULES))
        }
        Endpoint::AwsRegional {
            prefix,
            dual_stack_only,
        } => {
            quote!(cloudjobs_runtime::EndpointRule::AwsRegional { prefix: #prefix, dual_stack_only: #dual_stack_only })
        }
        Endpoint::BaseUrl { default: None } => quote!(cloudjobs_runtime::EndpointRule::BaseUrl),
        Endpoint::BaseUrl { default: Some(url) } => {
            quote!(cloudjobs_runtime::EndpointRule::DefaultUrl(#url))
        }
    };
    let path_prefix = &svc.path_prefix;
    let throttling = &svc.throttling_codes;
    let env_prefix = &cx.info.env_prefix;
    let error_rules = wire::error_rules(svc);
    let crate_error = errors::crate_error(cx);
    // SigV4 services take AWS credentials in their `Config`; re-export the type for them.
    let credentials = match svc.auth {
        Auth::SigV4 { .. } => quote!(
            pub use cloudjobs_runtime::Credentials;
        ),
        Auth::Bearer | Auth::Schemes(_) => quote!(),
    };
    quote! {
        #docs
        #![forbid(unsafe_code)]
        #![warn(missing_docs)]
        // Generated code reads and writes deprecated members itself; users still get the
        // warnings.
        #![allow(deprecated)]

        pub mod client;
        #[cfg(feature = "test-util")]
        pub mod mock;
        pub mod operation;
        pub mod types;

        pub use client::Client;
        pub use cloudjobs_runtime::{Config, ConfigBuilder, DateTime, ProvideErrorMetadata, Validation};
        /// The error of one call: `SdkError<OperationError>` (the runtime's generic error).
        pub use cloudjobs_runtime::Error as SdkError;
        #credentials

        #crate_error

        /// What the runtime needs to know about this service.
        pub static SERVICE: cloudjobs_runtime::ServiceMeta = cloudjobs_runtime::ServiceMeta {
            name: #name,
            sdk_id: #sdk_id,
            protocol: #protocol,
            auth: #auth,
            endpoint: #endpoint,
            path_prefix: #path_prefix,
            throttling_codes: &[#(#throttling),*],
            env_prefix: #env_prefix,
            errors: #error_rules,
        };

        #endpoint_rules
    }
}

pub(super) fn client_rs(cx: &Ctx) -> TokenStream {
    let svc = cx.svc;
    let methods = svc.operations.iter().map(|op| {
        let m = ident(&op.method_name);
        let module = ident(&op.method_name);
        let builder = format_ident!("{}FluentBuilder", op.type_name);
        let d = doc(&format!(
            "Starts a `{}` request.\n\n{}\n\n{}Set the input with the builder's methods, then call `send()`{}{}.",
            op.name,
            op.docs,
            if op.readonly {
                "Read-only: the operation changes nothing on the service. "
            } else {
                ""
            },
            if op.pagination.is_some() { " or `into_paginator()`" } else { "" },
            if op.upgrade { "" } else { " (`customize()` first for headers or settings of this call only)" }
        ));
        let dep = super::types::deprecated_attr(&op.deprecated);
        quote! {
            #d
            #dep
            pub fn #m(&self) -> crate::operation::#module::#builder {
                crate::operation::#module::#builder::new(self.handle.clone())
            }
        }
    });
    let title = &svc.title;
    let client_doc = doc(&format!(
        "Client for {title}.\n\nCheap to clone: clones share the connection pool, credentials cache and retry budget."
    ));
    quote! {
        //! The service client.

        use cloudjobs_runtime::{Config, Handle};

        #client_doc
        #[derive(Debug, Clone)]
        pub struct Client {
            handle: Handle,
        }

        impl Client {
            /// Creates a client from an explicit configuration.
            pub fn new(config: Config) -> Self {
                Self { handle: Handle::new(&crate::SERVICE, config) }
            }

            /// Creates a client configured from the environment (see [`Config::from_env`]).
            pub async fn from_env() -> Result<Self, cloudjobs_runtime::config::ConfigError> {
                Ok(Self::new(Config::from_env().await?))
            }

            /// The configuration this client was built with.
            pub fn config(&self) -> &Config {
                self.handle.config()
            }

            /// The runtime handle, for lower-level calls such as
            /// [`Handle::prepare`](cloudjobs_runtime::Handle::prepare).
            pub fn handle(&self) -> &Handle {
                &self.handle
            }

            #(#methods)*
        }
    }
}
/// The rule set as the runtime's static data (`cloudjobs_runtime::endpoint_rules`).
fn rule_set(set: &rules::RuleSet) -> TokenStream {
    let params = set.params.iter().map(|p| {
        let name = &p.name;
        let built_in = match p.built_in {
            None => quote!(None),
            Some(b) => {
                let b = format_ident!("{}", format!("{b:?}"));
                quote!(Some(r::BuiltIn::#b))
            }
        };
        let default = match &p.default {
            None => quote!(None),
            Some(rules::Literal::Bool(b)) => quote!(Some(r::Literal::Bool(#b))),
            Some(rules::Literal::Str(s)) => quote!(Some(r::Literal::Str(#s))),
        };
        quote!(r::Param { name: #name, built_in: #built_in, default: #default })
    });
    let rules = rule_list(&set.rules);
    quote!(r::RuleSet { params: &[#(#params),*], rules: #rules })
}

fn rule_list(list: &[rules::Rule]) -> TokenStream {
    let rules = list.iter().map(|rule| {
        let conditions = rule.conditions.iter().map(|c| {
            let call = rule_call(&c.call);
            let assign = match &c.assign {
                Some(name) => quote!(Some(#name)),
                None => quote!(None),
            };
            quote!(r::Condition { call: #call, assign: #assign })
        });
        let kind = match &rule.kind {
            rules::RuleKind::Tree(inner) => {
                let inner = rule_list(inner);
                quote!(r::RuleKind::Tree(#inner))
            }
            rules::RuleKind::Endpoint(url) => {
                let url = rule_expr(url);
                quote!(r::RuleKind::Endpoint(#url))
            }
            rules::RuleKind::Error(message) => {
                let message = rule_expr(message);
                quote!(r::RuleKind::Error(#message))
            }
        };
        quote!(r::Rule { conditions: &[#(#conditions),*], kind: #kind })
    });
    quote!(&[#(#rules),*])
}

fn rule_call(call: &rules::Call) -> TokenStream {
    // The IR's variants have the runtime's names.
    let func = format_ident!("{}", format!("{:?}", call.func));
    let argv = call.argv.iter().map(rule_expr);
    quote!(r::Call { func: r::Func::#func, argv: &[#(#argv),*] })
}

fn rule_expr(expr: &rules::Expr) -> TokenStream {
    match expr {
        rules::Expr::Bool(b) => quote!(r::Expr::Bool(#b)),
        rules::Expr::Int(i) => quote!(r::Expr::Int(#i)),
        rules::Expr::Str(s) => quote!(r::Expr::Str(#s)),
        rules::Expr::Ref(name) => quote!(r::Expr::Ref(#name)),
        rules::Expr::Call(call) => {
            let call = rule_call(call);
            quote!(r::Expr::Call(&#call))
        }
    }
}
