//! The crate-level documentation: the overview in `lib.rs`, its runnable example and the
//! list of the crate's examples.

use super::types::{FLUENT_BUILDER_METHODS, setter_names};
use super::{Ctx, lib_name, plain};
use crate::docs::rustdoc;
use crate::ir::*;

pub(super) fn crate_docs(cx: &Ctx) -> String {
    let svc = cx.svc;
    let example = example_body(svc)
        .lines()
        .map(|l| format!("{l}\n"))
        .collect::<String>();
    let examples = examples_list(cx);
    let ops = svc
        .operations
        .iter()
        .map(|o| {
            format!(
                "- [`Client::{}`](crate::Client::{}): `{}`",
                plain(&o.method_name),
                plain(&o.method_name),
                o.name
            )
        })
        .collect::<Vec<_>>()
        .join("\n");
    let setup = match &svc.auth {
        Auth::SigV4 { .. } => "`Client::from_env()` reads the region and credentials the way the AWS SDKs do (environment variables, then the shared config and credentials files). `Client::new(config)` takes an explicit [`Config`].".to_string(),
        Auth::Bearer => format!(
            "This API has no fixed endpoint: set the base URL with `Config::builder().endpoint_url(..)` or the `{p}_ENDPOINT_URL` environment variable, and the bearer token with `.bearer_token(..)` or `{p}_TOKEN`.",
            p = cx.info.env_prefix
        ),
        Auth::Schemes(schemes) => format!(
            "{} Credentials, for the operations whose spec asks for them: {}.",
            match &svc.endpoint {
                Endpoint::BaseUrl { default: Some(url) } => format!("Requests go to `{url}` unless `Config::builder().endpoint_url(..)` or `{p}_ENDPOINT_URL` names another base URL.", p = cx.info.env_prefix),
                _ => format!("This API has no fixed endpoint: set the base URL with `Config::builder().endpoint_url(..)` or the `{p}_ENDPOINT_URL` environment variable.", p = cx.info.env_prefix),
            },
            if schemes.is_empty() { "none".to_string() } else { schemes.iter().map(|s| match &s.kind { SchemeKind::Bearer => format!("`.bearer_token(..)` or `{p}_TOKEN`", p = cx.info.env_prefix), SchemeKind::Basic => format!("`.basic_auth(user, password)` or `{p}_USERNAME` and `{p}_PASSWORD`", p = cx.info.env_prefix), SchemeKind::ApiKeyHeader { .. } | SchemeKind::ApiKeyQuery { .. } => format!("`.api_key(..)` or `{p}_API_KEY`", p = cx.info.env_prefix) }).collect::<std::collections::BTreeSet<_>>().into_iter().collect::<Vec<_>>().join("; ") }
        ),
    };
    let service_docs = rustdoc(&svc.docs);
    format!(
        "Typed async client for {title} (API version {version}).\n\n{service_docs}\n\n# Operations\n\n{ops}\n\n# Example\n\n```no_run\n# async fn example() -> Result<(), Box<dyn std::error::Error>> {{\n{example}# Ok(())\n# }}\n```\n\n{examples}\n\n# Configuration\n\n{setup}\n\nInputs are checked against the spec's constraints before anything is sent; errors name the field and the rule. `Config::builder().validation(Validation::RequiredOnly)` keeps only the required-member checks.\n\n# Features\n\n- `schemars`: derive `schemars::JsonSchema` for every type.\n- `test-util`: test doubles: the `mock` module (a typed mock rule per operation, a client that answers from rules with no network) and the runtime's record/replay transports (`cloudjobs_runtime::replay`).\n\nThis crate is generated from `{spec}` by `cargo xtask codegen`; it is also available as `cloudjobs::{feature}` in the `cloudjobs` crate (feature `{feature_name}`).",
        title = svc.title,
        version = svc.version,
        spec = svc.spec_path,
        feature = cx.info.feature.replace('-', "_"),
        feature_name = cx.info.feature,
    )
}

/// The examples list, in Markdown, with the command that runs each; empty for a crate
/// without hand-written examples (a service just added through the manifest).
pub(super) fn examples_list(cx: &Ctx) -> String {
    if cx.info.examples.is_empty() {
        return String::new();
    }
    let list = cx
        .info
        .examples
        .iter()
        .map(|(name, what)| {
            format!(
                "- `{name}`: {what}.\n  `cargo run -p {krate} --example {name}`",
                krate = cx.svc.crate_name
            )
        })
        .collect::<Vec<_>>()
        .join("\n");
    format!(
        "The crate's `examples/` run against the cloudjobs emulator, which they start in-process, or against a real endpoint given with `--endpoint-url`:\n\n{list}"
    )
}

/// The statements of the example shown in the crate docs and README: a client from the
/// environment calling the first operation with its required members set to sample values
/// (only the client, for a service without operations).
pub(super) fn example_body(svc: &Service) -> String {
    let Some(op) = svc.operations.first() else {
        return format!(
            "let _client = {}::Client::from_env().await?;",
            lib_name(svc)
        );
    };
    let mut calls = String::new();
    for m in op.input.members.iter().filter(|m| m.required) {
        let ty = match &m.ty.kind {
            // A list setter appends one item; a map setter takes a key and a value.
            Kind::List(item) => item,
            _ => &m.ty,
        };
        let Some(mut sample) = sample_value(svc, ty) else {
            continue;
        };
        if let Kind::Map(value) = &m.ty.kind {
            let Some(value) = sample_value(svc, value) else {
                continue;
            };
            sample = format!("\"key\", {value}");
        }
        let (method, _) = setter_names(m, FLUENT_BUILDER_METHODS);
        calls.push_str(&format!("\n    .{method}({sample})"));
    }
    format!(
        "let client = {lib}::Client::from_env().await?;\nlet output = client\n    .{method}(){calls}\n    .send()\n    .await?;\nprintln!(\"{{output:?}}\");",
        lib = lib_name(svc),
        method = op.method_name,
    )
}

/// Rust source of a sample value that a setter for `ty` accepts, for the crate docs' example
/// (`None` when there is no short one: unions, nested collections).
fn sample_value(svc: &Service, ty: &Type) -> Option<String> {
    let lib = lib_name(svc);
    Some(match &ty.kind {
        Kind::Byte
        | Kind::Short
        | Kind::Integer
        | Kind::Long
        | Kind::UnsignedByte
        | Kind::UnsignedShort
        | Kind::UnsignedInteger
        | Kind::UnsignedLong => "1".to_string(),
        Kind::Float | Kind::Double => "1.0".to_string(),
        Kind::Boolean => "true".to_string(),
        Kind::BigInteger | Kind::BigDecimal => "cloudjobs_runtime::BigNumber::from(1)".to_string(),
        Kind::Blob => "\"data\"".to_string(),
        Kind::Timestamp(_) => format!("{lib}::DateTime::from_secs(1_700_000_000)"),
        Kind::Document => "serde_json::json!({})".to_string(),
        Kind::FreeFormObject => "serde_json::Map::new()".to_string(),
        Kind::Enum(e) => match svc.shapes.get(e) {
            Some(Shape::Enum(en)) => format!("{:?}", en.values.first()?.value),
            _ => return None,
        },
        Kind::IntEnum(e) => match svc.shapes.get(e) {
            Some(Shape::IntEnum(en)) => format!("{}i64", en.values.first()?.value),
            _ => return None,
        },
        Kind::Struct(s) => format!("{lib}::types::{s}::default()"),
        Kind::String => format!("{:?}", sample_string(ty)),
        Kind::Date => "cloudjobs_runtime::Date::from_ymd(2024, 5, 1)?".to_string(),
        Kind::Uuid => {
            "cloudjobs_runtime::Uuid::parse_str(\"67e55044-10b1-426f-9247-bb680e5fe0c8\")?"
                .to_string()
        }
        Kind::IpAddr(IpVersion::Any) => "std::net::IpAddr::from([192, 0, 2, 1])".to_string(),
        Kind::IpAddr(IpVersion::V4) => "std::net::Ipv4Addr::new(192, 0, 2, 1)".to_string(),
        Kind::IpAddr(IpVersion::V6) => "std::net::Ipv6Addr::LOCALHOST".to_string(),
        Kind::Union(_) | Kind::List(_) | Kind::Map(_) | Kind::Unit => return None,
    })
}

fn sample_string(ty: &Type) -> String {
    match ty.constraints.pattern.as_deref() {
        Some(p) if p.contains("0-9a-fA-F]{8}") => "12345678-1234-1234-1234-123456789012".into(),
        Some(p) if p.contains("a-zA-Z") => "AWS".into(),
        _ => "example".into(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_service_without_operations_gets_an_example_that_only_builds_the_client() {
        let mut svc = super::super::types_tests::fixture(false);
        svc.operations.clear();
        assert_eq!(
            super::example_body(&svc),
            "let _client = cloudjobs_fixture::Client::from_env().await?;"
        );
    }
}
