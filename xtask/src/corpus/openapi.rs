//! The OpenAPI side of `cargo xtask corpus`: the harness binary of one spec, the operations
//! a spec documents (for the report, even when it does not load), and what the Python
//! checker needs to know about the generated client of each operation.
//!
//! The harness relies on the public API the emitter promises for OpenAPI crates: every
//! structure implements `Default` and has `pub` `Option<_>` fields named
//! `Member::rust_name`, and every generated type derives serde `Serialize`/`Deserialize` in
//! its JSON wire form (for OpenAPI specs the generated code itself decodes bodies with
//! serde). So the harness loads each input member with `serde_json::from_value` into the
//! field's type (inferred by the compiler, boxed or not), and writes decoded outputs and
//! errors back with `serde_json::to_value`. Parameter values (path, query, header) are given
//! in their JSON form too (a date-time as its RFC 3339 text, a list as an array).

use std::fmt::Write;

use serde_json::{Value, json};

use crate::ir::{ErrorMatch, Location, Operation, Output, Service, StatusMatch};

/// The `src/main.rs` of the harness of `svc`, whose generated crate is linked as `lib`.
pub fn main_rs(svc: &Service, lib: &str) -> String {
    let mut out = super::harness::preamble(svc, lib, "xtask/src/corpus/openapi.rs");
    for op in &svc.operations {
        let ty = format!("api::operation::{}::{}", op.method_name, op.type_name);
        let _ = writeln!(
            out,
            "        ({name:?}, s::Call::Request(v)) => s::request::<{ty}>(&handle, load_input_{t}(&v)?).await,\n        \
             ({name:?}, s::Call::Response(r)) => s::decode::<{ty}>(&r, dump_output_{t}, dump_error_{t}),",
            name = op.name,
            t = op.type_name,
        );
    }
    out.push_str(
        "        (other, _) => Err(format!(\"harness: no operation {other:?}\")),\n    }\n}\n\n",
    );
    for op in &svc.operations {
        out.push_str(&load_input(op));
        out.push_str(&dump_output(op));
        out.push_str(&dump_error(op));
    }
    out
}

fn module(op: &Operation) -> String {
    format!("api::operation::{}", op.method_name)
}

/// Loads the input structure from a JSON object keyed by member name; `null` leaves a
/// member unset.
fn load_input(op: &Operation) -> String {
    let path = format!("{}::{}", module(op), op.input.rust_name);
    let keys = op
        .input
        .members
        .iter()
        .map(|m| format!("{:?}", m.member_name))
        .collect::<Vec<_>>()
        .join(", ");
    let mut out = format!(
        "fn load_input_{t}(v: &Value) -> Result<{path}, String> {{\n    \
         let obj = s::object(v)?;\n    \
         s::no_unknown_keys(obj, &[{keys}])?;\n    \
         let mut out = {path}::default();\n",
        t = op.type_name
    );
    for m in &op.input.members {
        let _ = write!(
            out,
            "    if let Some(x) = obj.get({name:?}).filter(|x| !x.is_null()) {{\n        \
             out.{field} = Some(s::from_json(x).map_err(|e| s::at({name:?}, e))?);\n    }}\n",
            name = m.member_name,
            field = m.rust_name
        );
    }
    out.push_str("    Ok(out)\n}\n\n");
    out
}

/// Writes a decoded output as `{"variant": <name or null>, "body": <JSON>, "headers": {..}}`.
fn dump_output(op: &Operation) -> String {
    let path = format!("{}::{}Output", module(op), op.type_name);
    let mut out = format!(
        "fn dump_output_{t}(o: &{path}) -> Value {{\n    let mut m = Map::new();\n    let mut headers = Map::new();\n",
        t = op.type_name
    );
    match &op.output {
        Output::Type(_) | Output::Empty => {
            out.push_str("    m.insert(\"body\".into(), s::to_json(o));\n");
        }
        Output::Owned(s) => {
            let payload = s.members.iter().find(|m| m.location == Location::Payload);
            match payload {
                Some(p) => {
                    let _ = writeln!(
                        out,
                        "    m.insert(\"body\".into(), o.{}.as_ref().map(s::to_json).unwrap_or(Value::Null));",
                        p.rust_name
                    );
                }
                None => out.push_str("    m.insert(\"body\".into(), s::to_json(o));\n"),
            }
            for h in s.members.iter().filter(|m| m.location == Location::Header) {
                let _ = writeln!(
                    out,
                    "    if let Some(x) = &o.{} {{\n        headers.insert({:?}.into(), s::to_json(x));\n    }}",
                    h.rust_name,
                    h.name.to_ascii_lowercase()
                );
            }
        }
        Output::ByStatus(variants) => {
            out.push_str("    match o {\n");
            for v in variants {
                if v.body.is_some() {
                    let _ = writeln!(
                        out,
                        "        {path}::{var}(x) => {{\n            m.insert(\"variant\".into(), Value::String({var:?}.into()));\n            m.insert(\"body\".into(), s::to_json(x));\n        }}",
                        var = v.variant
                    );
                } else {
                    let _ = writeln!(
                        out,
                        "        {path}::{var} => {{\n            m.insert(\"variant\".into(), Value::String({var:?}.into()));\n        }}",
                        var = v.variant
                    );
                }
            }
            out.push_str(
                "        _ => {\n            m.insert(\"variant\".into(), Value::String(\"<unknown>\".into()));\n        }\n    }\n",
            );
        }
    }
    out.push_str(
        "    m.insert(\"headers\".into(), Value::Object(headers));\n    Value::Object(m)\n}\n\n",
    );
    out
}

/// Writes a decoded error as `{"variant": <error variant>, "body": <JSON of the modeled
/// error structure, or null>, "message": <the message the runtime read off the response>}`.
fn dump_error(op: &Operation) -> String {
    let path = format!("{}::{}Error", module(op), op.type_name);
    let mut out = format!(
        "fn dump_error_{t}(e: &{path}) -> Value {{\n    let mut m = Map::new();\n    match e {{\n",
        t = op.type_name
    );
    for e in &op.errors {
        let _ = writeln!(
            out,
            "        {path}::{var}(x) => {{\n            m.insert(\"variant\".into(), Value::String({var:?}.into()));\n            m.insert(\"body\".into(), s::to_json(x));\n        }}",
            var = e.variant
        );
    }
    out.push_str(
        "        _ => {\n            m.insert(\"variant\".into(), Value::String(\"Unhandled\".into()));\n            m.insert(\"body\".into(), Value::Null);\n        }\n    }\n    \
         let meta = cloudjobs_runtime::ProvideErrorMetadata::meta(e);\n    \
         m.insert(\"message\".into(), meta.message.clone().map(Value::String).unwrap_or(Value::Null));\n    \
         Value::Object(m)\n}\n\n",
    );
    out
}

fn location_name(l: Location) -> &'static str {
    match l {
        Location::Body => "body",
        Location::Label => "path",
        Location::Query => "query",
        Location::QueryParams => "query-params",
        Location::Header => "header",
        Location::PrefixHeaders => "prefix-headers",
        Location::Payload => "payload",
        Location::ResponseCode => "response-code",
    }
}

fn status_key(s: StatusMatch) -> String {
    match s {
        StatusMatch::Exact(n) => n.to_string(),
        StatusMatch::Class(c) => format!("{c}XX"),
        StatusMatch::Default => "default".into(),
    }
}

fn error_key(e: &ErrorMatch, status: Option<u16>) -> Option<String> {
    match e {
        ErrorMatch::Status(n) => Some(n.to_string()),
        ErrorMatch::StatusClass(c) => Some(format!("{c}XX")),
        ErrorMatch::Default => Some("default".into()),
        ErrorMatch::Code(_) => status.map(|s| s.to_string()),
    }
}

/// What the checker needs to know about the client of each operation: where each input
/// member goes on the wire, which response key each output variant and modeled error stands
/// for. The checker takes everything else (schemas, parameters, responses) from the spec.
pub fn plan_operations(svc: &Service) -> Value {
    let ops: Vec<Value> = svc
        .operations
        .iter()
        .map(|op| {
            let members: Vec<Value> = op
                .input
                .members
                .iter()
                .map(|m| {
                    json!({
                        "member": m.member_name,
                        "name": m.name,
                        "location": location_name(m.location),
                        "media_type": m.ty.media_type,
                    })
                })
                .collect();
            let output = match &op.output {
                Output::ByStatus(v) => json!({
                    "kind": "by-status",
                    "variants": v
                        .iter()
                        .map(|o| json!({"variant": o.variant, "status": status_key(o.status), "body": o.body.is_some()}))
                        .collect::<Vec<_>>(),
                }),
                Output::Empty => json!({"kind": "empty"}),
                Output::Type(_) => json!({"kind": "type"}),
                Output::Owned(_) => json!({"kind": "owned"}),
            };
            let errors: Vec<Value> = op
                .errors
                .iter()
                .map(|e| json!({"variant": e.variant, "status": error_key(&e.matcher, e.status)}))
                .collect();
            json!({
                "name": op.name,
                "method": op.http_method,
                "path": format!("{}{}", svc.path_prefix, op.path),
                "success_status": op.success_status,
                "upgrade": op.upgrade,
                "members": members,
                "output": output,
                "errors": errors,
            })
        })
        .collect();
    Value::Array(ops)
}

/// The operations a spec documents, named as the report names them: the `operationId`, or
/// `METHOD /path` without one. Read from the raw document, so that a spec the front-end
/// refuses still lists what failed.
pub fn documented_operations(text: &str) -> Vec<String> {
    const METHODS: [&str; 8] = [
        "get", "put", "post", "delete", "options", "head", "patch", "trace",
    ];
    let Ok(doc) = serde_yaml::from_str::<serde_yaml::Value>(text) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let Some(paths) = doc.get("paths").and_then(serde_yaml::Value::as_mapping) else {
        return out;
    };
    for (path, item) in paths {
        let (Some(path), Some(item)) = (path.as_str(), item.as_mapping()) else {
            continue;
        };
        for (method, op) in item {
            let Some(method) = method.as_str().filter(|m| METHODS.contains(m)) else {
                continue;
            };
            match op.get("operationId").and_then(serde_yaml::Value::as_str) {
                Some(id) => out.push(id.to_string()),
                None => out.push(format!("{} {path}", method.to_ascii_uppercase())),
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cloud_rewind() -> Service {
        let root = crate::workspace_root();
        let file = "specs/cloud-rewind.openapi.yaml";
        let text = std::fs::read_to_string(root.join(file)).unwrap();
        let mut svc = crate::openapi::load(file, &text).unwrap();
        crate::check::check(&mut svc).unwrap();
        svc
    }

    #[test]
    fn the_plan_says_where_each_member_goes_and_which_key_each_error_stands_for() {
        let plan = plan_operations(&cloud_rewind());
        let op = &plan[0];
        assert_eq!(op["name"], "get_aws_protection_status");
        assert_eq!(op["method"], "GET");
        assert_eq!(
            op["path"],
            "/accounts/{accountId}/projects/{projectId}/aws/cloud-assemblies/{cloudAssemblyId}/protections/status"
        );
        let members = op["members"].as_array().unwrap();
        assert!(members.contains(
            &json!({"member": "accountId", "name": "accountId", "location": "path", "media_type": null})
        ));
        assert!(members.contains(
            &json!({"member": "protection_id", "name": "protection_id", "location": "query", "media_type": null})
        ));
        assert_eq!(op["output"], json!({"kind": "type"}));
        let errors = op["errors"].as_array().unwrap();
        assert!(errors.contains(&json!({"variant": "NotFound", "status": "404"})));
        assert_eq!(errors.len(), 6);
    }

    #[test]
    fn the_harness_has_a_loader_and_dumpers_per_operation() {
        let main = main_rs(&cloud_rewind(), "openapi_cloud_rewind");
        assert!(main.contains("use openapi_cloud_rewind as api;"));
        assert!(main.contains(
            "(\"get_aws_protection_status\", s::Call::Request(v)) => s::request::<api::operation::get_aws_protection_status::GetAwsProtectionStatus>"
        ));
        assert!(main.contains("fn load_input_GetAwsProtectionStatus(v: &Value)"));
        assert!(main.contains(
            "s::no_unknown_keys(obj, &[\"accountId\", \"projectId\", \"cloudAssemblyId\", \"protection_id\"])?;"
        ));
        assert!(main.contains("out.account_id = Some(s::from_json(x)"));
        assert!(main.contains("GetAwsProtectionStatusError::NotFound(x) =>"));
        assert!(syn::parse_file(&main).is_ok());
    }

    #[test]
    fn documented_operations_use_the_operation_id_or_method_and_path() {
        let text = r#"{"openapi": "3.0.0", "paths": {
            "/a/{x}": {"parameters": [], "get": {"operationId": "a.get"}, "put": {}},
            "/b": {"post": {"operationId": "make_b"}, "x-other": {}}
        }}"#;
        assert_eq!(
            documented_operations(text),
            ["a.get", "PUT /a/{x}", "make_b"]
        );
        let yaml = "openapi: 3.0.0\npaths:\n  /c:\n    delete:\n      operationId: c\n      responses:\n        200: {}\n";
        assert_eq!(documented_operations(yaml), ["c"]);
        assert!(documented_operations("[not a spec").is_empty());
        assert!(documented_operations("{\"openapi\": \"3.0.0\"}").is_empty());
    }
}
