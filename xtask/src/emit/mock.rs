//! `src/mock.rs` (feature `test-util`): one typed mock rule constructor per operation and a
//! client that answers from rules, with no network.

use proc_macro2::TokenStream;
use quote::quote;

use super::{Ctx, doc, ident, inner_doc, lib_name, plain};

pub(super) fn mock_rs(cx: &Ctx) -> TokenStream {
    let svc = cx.svc;
    let constructors = svc.operations.iter().filter(|op| !op.upgrade).map(|op| {
        let f = ident(&op.method_name);
        let module = ident(&op.method_name);
        let ty = ident(&op.type_name);
        let d = doc(&format!(
            "A mock rule of `{}` (matches every input until `match_requests` narrows it).",
            op.name
        ));
        quote! {
            #d
            pub fn #f() -> RuleBuilder<crate::operation::#module::#ty> {
                RuleBuilder::new()
            }
        }
    });
    let docs = inner_doc(&module_docs(cx));
    quote! {
        #docs

        pub use cloudjobs_runtime::HttpResponse;
        pub use cloudjobs_runtime::mock::{AnyRule, Mocks, Rule, RuleBuilder, SequenceBuilder};

        #(#constructors)*

        /// The configuration of a client that answers every call from `rules`, in order (the
        /// first rule of the operation that matches the input answers), and sends nothing.
        pub fn config(rules: &[&dyn AnyRule]) -> crate::Config {
            crate::Config::builder().mocks(Mocks::from_rules(rules)).build()
        }

        /// A client that answers every call from `rules` (see [`config`]): no network, no
        /// credentials. A call no rule answers fails with an error naming the operation.
        pub fn client(rules: &[&dyn AnyRule]) -> crate::Client {
            crate::Client::new(config(rules))
        }
    }
}

/// The module docs, with an example on an operation whose input needs nothing.
fn module_docs(cx: &Ctx) -> String {
    let svc = cx.svc;
    let krate = lib_name(svc);
    let mut text = format!(
        "Typed mocks of the {} operations (feature `test-util`): rules that match inputs and \
         answer with outputs, modeled errors or raw HTTP responses (decoded as the server's \
         would be), in sequence, with call counts. See [`cloudjobs_runtime::mock`].\n",
        svc.title
    );
    let simple = svc.operations.iter().find(|op| {
        !op.upgrade
            && op
                .input
                .members
                .iter()
                .all(|m| !m.required && !m.host_label)
    });
    if let Some(op) = simple {
        let m = plain(&op.method_name);
        text.push_str(&format!(
            "\n```\nuse {krate}::mock::{{self, HttpResponse}};\n\n\
             # #[tokio::main(flavor = \"current_thread\")]\n# async fn main() {{\n\
             let busy = mock::{m}()\n    .sequence()\n    \
             .http_response(|| HttpResponse {{ status: 503, headers: Default::default(), body: \"{{}}\".into() }})\n    \
             .times(2)\n    .build();\n\
             let client = mock::client(&[&busy]);\n\
             for _ in 0..2 {{\n    \
             let error = client.{m}().send().await.unwrap_err();\n    \
             assert_eq!(error.status(), Some(503));\n}}\n\
             assert_eq!(busy.num_calls(), 2);\n\
             // The sequence is used up: no rule answers the third call.\n\
             assert!(client.{m}().send().await.unwrap_err().to_string().contains(\"no mock rule\"));\n\
             # }}\n```\n"
        ));
    }
    text
}
