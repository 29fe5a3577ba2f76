//! Our three hand-written Smithy 2.0 JSON AST specs agree, field by field, with the official
//! AWS models (botocore 1.44.5 slices in `tests/fixtures/aws-models/`), so any drift from the
//! real services fails CI.
//!
//! The official side is botocore's JSON format, not Smithy: every botocore construct is mapped
//! to the Smithy trait it is generated from (`min`/`max` -> `@length`/`@range`, `required` ->
//! `@required`, `enum` -> an `enum` shape, `exception`/`fault`/`error` -> `@error`/`@httpError`,
//! `paginator` -> `@paginated`, `metadata` -> the service shape and its traits, ...).
//! Shapes are matched by name (the part of our shape id after `#`, in our spec's namespace).
//! Documentation strings are not compared: ours are written in our own words.
//!
//! Nothing is skipped silently: a botocore field this test does not know, or a trait in our
//! spec that has no botocore counterpart, is itself reported as a difference. Every difference
//! is collected and the test fails once, listing each as
//! `<spec file>: <shape>[.<member>]: <what> ours=<x> official=<y>`.
//! Known differences live in the commented list below ([`DELIBERATE`]);
//! an entry that no longer matches anything fails the test too, so the lists cannot go stale.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde_json::{Map, Value};

/// One spec and the official slice it must agree with.
struct Case {
    spec_file: &'static str,
    spec: &'static str,
    official: &'static str,
}

const CASES: &[Case] = &[
    Case {
        spec_file: "specs/partner-central.smithy.json",
        spec: include_str!("../../specs/partner-central.smithy.json"),
        official: include_str!("../fixtures/aws-models/partnercentral-selling-model.json"),
    },
    Case {
        spec_file: "specs/macie2.smithy.json",
        spec: include_str!("../../specs/macie2.smithy.json"),
        official: include_str!("../fixtures/aws-models/macie2-model.json"),
    },
    Case {
        spec_file: "specs/ssm-mw.smithy.json",
        spec: include_str!("../../specs/ssm-mw.smithy.json"),
        official: include_str!("../fixtures/aws-models/ssm-model.json"),
    },
];

/// A known difference: the exact line the comparison reports, and why it is accepted.
struct Allowed {
    line: &'static str,
    reason: &'static str,
}

/// Differences that are deliberate and documented in the spec itself.
const DELIBERATE: &[Allowed] = &[Allowed {
    line: "specs/partner-central.smithy.json: ListResourceSnapshotJobs: http ours=\"POST /ListResourceSnapshotJobs\" official=\"POST /\"",
    reason: "The official Smithy model declares `@http(POST /ListResourceSnapshotJobs)` \
                 (refs/aws/WIRE.md section 1, seen in the JS v3 schemas); botocore records the \
                 awsJson1_0 wire binding `POST /` instead, because awsJson ignores `@http`. Our \
                 spec keeps the model's trait and says so in the operation's documentation; the \
                 generator sends `POST /` for awsJson.",
}];

/// Smithy prelude shapes a botocore shape of the same name may be replaced with.
const PRELUDE: &[(&str, &str)] = &[
    ("String", "string"),
    ("Blob", "blob"),
    ("Boolean", "boolean"),
    ("Byte", "byte"),
    ("Short", "short"),
    ("Integer", "integer"),
    ("Long", "long"),
    ("Float", "float"),
    ("Double", "double"),
    ("BigInteger", "bigInteger"),
    ("BigDecimal", "bigDecimal"),
    ("Timestamp", "timestamp"),
    ("Document", "document"),
];

/// Top-level keys of a slice, with the reason each one is or is not compared.
const SLICE_KEYS: &[&str] = &[
    "_source",               // provenance of the slice, not model data
    "service",               // the slicer's label (botocore directory name)
    "metadata",              // compared with the service shape
    "operationName",         // compared (the operation shape's name)
    "operation",             // compared with the operation shape
    "derived_wire_hints",    // used for awsJson error status codes botocore omits
    "shapes",                // compared shape by shape
    "paginator",             // compared with @paginated
    "examples",              // compared: must be null (we have no @examples)
    "examples_file_present", // whether botocore ships an examples file at all; not model data
    "endpoints",             // compared with smithy.rules#endpointRuleSet
];

/// `metadata` keys with no counterpart in a Smithy service shape, so not compared.
const METADATA_NOT_COMPARED: &[&str] = &[
    "uid",                 // botocore's own "<service>-<apiVersion>" identifier
    "serviceAbbreviation", // legacy botocore display name; not carried by our spec
];

#[derive(Debug, Clone, PartialEq, Eq)]
struct Difference {
    file: String,
    at: String,
    what: String,
    ours: String,
    official: String,
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {}: {} ours={} official={}",
            self.file, self.at, self.what, self.ours, self.official
        )
    }
}

#[derive(Debug, Default)]
struct Outcome {
    diffs: Vec<Difference>,
    /// Official shapes matched with one of ours (plus the service and the operation).
    shapes: usize,
    /// Structure members compared.
    members: usize,
    /// Individual fields/traits compared (each `check`).
    checks: usize,
}

/// Renders a value for a report line: `absent`, or compact JSON with whole floats as integers.
fn show(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => "absent".to_string(),
        Some(v) => norm(v).to_string(),
    }
}

fn norm(v: &Value) -> Value {
    match v {
        Value::Number(n) if n.is_f64() => match n.as_f64() {
            Some(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Value::from(f as i64),
            _ => v.clone(),
        },
        Value::Array(a) => Value::Array(a.iter().map(norm).collect()),
        Value::Object(m) => Value::Object(m.iter().map(|(k, v)| (k.clone(), norm(v))).collect()),
        _ => v.clone(),
    }
}

fn text(s: &str) -> String {
    Value::from(s).to_string()
}

fn flag(b: bool) -> String {
    b.to_string()
}

fn is_true(v: Option<&Value>) -> bool {
    v == Some(&Value::Bool(true))
}

fn members_of(v: &Value) -> Option<&Map<String, Value>> {
    v.get("members").and_then(Value::as_object)
}

fn tr<'v>(shape: &'v Value, id: &str) -> Option<&'v Value> {
    shape.get("traits")?.get(id)
}

fn trait_ids(shape: &Value) -> Vec<String> {
    shape
        .get("traits")
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

fn local(id: &str) -> &str {
    id.split_once('#').map_or(id, |(_, name)| name)
}

/// botocore `timestampFormat` -> Smithy `@timestampFormat`.
fn timestamp_format(v: Option<&Value>) -> Option<Value> {
    let v = v?;
    Some(match v.as_str() {
        Some("iso8601") => Value::from("date-time"),
        Some("unixTimestamp") => Value::from("epoch-seconds"),
        Some("rfc822") => Value::from("http-date"),
        _ => v.clone(),
    })
}

/// The Smithy shape type a botocore shape must have in our spec.
fn smithy_type(o: &Value) -> String {
    let t = o.get("type").and_then(Value::as_str).unwrap_or("?");
    match t {
        "string" if o.get("enum").is_some() => "enum",
        "integer" if o.get("enum").is_some() => "intEnum",
        "structure" if is_true(o.get("union")) => "union",
        "bigdecimal" => "bigDecimal",
        "biginteger" => "bigInteger",
        other => other,
    }
    .to_string()
}

/// `@retryable` as botocore writes it: `{"throttling": bool}`.
fn retryable(v: Option<&Value>) -> Option<Value> {
    let v = v?;
    let throttling = is_true(v.get("throttling"));
    Some(serde_json::json!({ "throttling": throttling }))
}

/// A Smithy member's default makes it non-nullable unless the default is `null`.
fn has_default(v: &Value) -> bool {
    matches!(tr(v, "smithy.api#default"), Some(d) if !d.is_null())
}

struct Comparison<'a> {
    file: &'a str,
    ours: &'a Map<String, Value>,
    /// Member names of each of our shapes in spec order (`Map` does not keep it).
    order: &'a BTreeMap<String, Vec<String>>,
    official: &'a Value,
    ns: String,
    protocol: String,
    out: Outcome,
}

impl Comparison<'_> {
    fn push(&mut self, at: &str, what: &str, ours: String, official: String) {
        self.out.diffs.push(Difference {
            file: self.file.to_string(),
            at: at.to_string(),
            what: what.to_string(),
            ours,
            official,
        });
    }

    /// Compares two rendered values; counts the comparison and records a difference.
    fn check(&mut self, at: &str, what: &str, ours: String, official: String) {
        self.out.checks += 1;
        if ours != official {
            self.push(at, what, ours, official);
        }
    }

    /// Reports something that cannot be compared at all (always a difference).
    fn mismatch(&mut self, at: &str, what: &str, ours: String, official: String) {
        self.out.checks += 1;
        self.push(at, what, ours, official);
    }

    /// A botocore field this test does not compare.
    fn unknown_official_fields(&mut self, at: &str, v: &Value, handled: &[&str]) {
        for (k, val) in v.as_object().into_iter().flatten() {
            if !handled.contains(&k.as_str()) {
                let what = format!("official field `{k}` is not compared by this test");
                self.mismatch(at, &what, "n/a".into(), show(Some(val)));
            }
        }
    }

    /// A trait in our spec that has no counterpart in the botocore model.
    fn unknown_traits(&mut self, at: &str, v: &Value, used: &BTreeSet<&str>) {
        for id in trait_ids(v) {
            if !used.contains(id.as_str()) {
                let what = format!("trait `{id}` has no counterpart in the official model");
                self.mismatch(at, &what, show(tr(v, &id)), "absent".into());
            }
        }
    }

    /// Name an official shape reference must have for our target id to match it.
    fn target_name(&self, id: &str) -> Option<String> {
        let (ns, name) = id.split_once('#')?;
        let prelude = ns == "smithy.api" && PRELUDE.iter().any(|(p, _)| *p == name);
        (ns == self.ns || prelude).then(|| name.to_string())
    }

    fn check_target(&mut self, at: &str, what: &str, ours: Option<&Value>, official: &Value) {
        self.out.checks += 1;
        let ours_id = ours.and_then(|t| t.get("target")).and_then(Value::as_str);
        let official_name = official.get("shape").and_then(Value::as_str);
        if ours_id.and_then(|id| self.target_name(id)).as_deref() != official_name {
            self.push(
                at,
                what,
                show(ours_id.map(Value::from).as_ref()),
                show(official_name.map(Value::from).as_ref()),
            );
        }
    }

    /// `min`/`max` against `@length` or `@range`.
    fn check_bounds(&mut self, at: &str, ours: &Value, o: &Value, trait_id: &str, name: &str) {
        let t = tr(ours, trait_id);
        for bound in ["min", "max"] {
            self.check(
                at,
                &format!("{name}.{bound}"),
                show(t.and_then(|t| t.get(bound))),
                show(o.get(bound)),
            );
        }
        if let Some(extra) = t
            .and_then(Value::as_object)
            .and_then(|m| m.keys().find(|k| *k != "min" && *k != "max"))
        {
            let what = format!("{name}.{extra}");
            self.mismatch(
                at,
                &what,
                show(t.and_then(|t| t.get(extra))),
                "absent".into(),
            );
        }
    }

    fn run(&mut self) {
        let official = self.official;
        self.unknown_official_fields("slice", official, SLICE_KEYS);
        if !official.get("examples").is_none_or(Value::is_null) {
            self.mismatch(
                "slice",
                "official examples are not compared by this test",
                "n/a".into(),
                show(official.get("examples")),
            );
        }
        let services: Vec<&String> = self
            .ours
            .iter()
            .filter(|(_, v)| v.get("type").and_then(Value::as_str) == Some("service"))
            .map(|(k, _)| k)
            .collect();
        let [service_id] = services.as_slice() else {
            let ids = Value::from(services.iter().map(|s| s.as_str()).collect::<Vec<_>>());
            self.mismatch(
                "spec",
                "exactly one service shape",
                show(Some(&ids)),
                "1".into(),
            );
            return;
        };
        let service_id = (*service_id).clone();
        self.ns = service_id
            .split_once('#')
            .map_or("", |(ns, _)| ns)
            .to_string();

        self.service(&service_id);
        let op_id = self.operation(&service_id);

        let oshapes = official
            .get("shapes")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        let mut matched: BTreeSet<String> = [service_id, op_id].into();
        for (name, o) in &oshapes {
            let id = format!("{}#{name}", self.ns);
            match self.ours.get(&id) {
                Some(ours) => {
                    self.out.shapes += 1;
                    matched.insert(id);
                    self.shape(name, ours, o);
                }
                None => {
                    let prelude = PRELUDE.iter().any(|(p, t)| {
                        *p == name.as_str() && o.get("type").and_then(Value::as_str) == Some(*t)
                    });
                    let plain = o
                        .as_object()
                        .is_some_and(|m| m.keys().all(|k| k == "type" || k == "documentation"));
                    if prelude && plain {
                        // Satisfied by `smithy.api#<name>`; member targets are checked as such.
                        self.out.shapes += 1;
                        self.out.checks += 1;
                    } else {
                        self.mismatch(name, "shape missing", "absent".into(), show(o.get("type")));
                    }
                }
            }
        }
        let extra: Vec<(String, Value)> = self
            .ours
            .iter()
            .filter(|(id, _)| !matched.contains(*id))
            .map(|(id, v)| (id.clone(), v.clone()))
            .collect();
        for (id, v) in extra {
            let at = match id.split_once('#') {
                Some((ns, name)) if ns == self.ns => name.to_string(),
                _ => id.clone(),
            };
            self.mismatch(
                &at,
                "shape not in official model",
                show(v.get("type")),
                "absent".into(),
            );
        }
    }

    /// The service shape against `metadata` and the endpoint templates.
    fn service(&mut self, id: &str) {
        let shapes = self.ours;
        let ours = &shapes[id];
        let at = local(id).to_string();
        let meta = self.official.get("metadata").cloned().unwrap_or_default();
        self.out.shapes += 1;
        let ours_protocols: Vec<String> = trait_ids(ours)
            .into_iter()
            .filter(|t| t.starts_with("aws.protocols#") || t.starts_with("smithy.protocols#"))
            .collect();
        let mut used: BTreeSet<&str> = ["smithy.api#documentation"].into();
        used.extend(ours_protocols.iter().map(String::as_str));

        // Protocol: botocore `protocol`/`protocols` + `jsonVersion` -> aws.protocols#*.
        let json_version = meta.get("jsonVersion").and_then(Value::as_str);
        let to_trait = |p: &str| match (p, json_version) {
            ("json", Some("1.0")) => "aws.protocols#awsJson1_0".to_string(),
            ("json", _) => "aws.protocols#awsJson1_1".to_string(),
            ("rest-json", _) => "aws.protocols#restJson1".to_string(),
            ("rest-xml", _) => "aws.protocols#restXml".to_string(),
            ("query", _) => "aws.protocols#awsQuery".to_string(),
            ("ec2", _) => "aws.protocols#ec2Query".to_string(),
            ("smithy-rpc-v2-cbor", _) => "smithy.protocols#rpcv2Cbor".to_string(),
            (other, _) => format!("<botocore protocol {other}>"),
        };
        let primary = meta.get("protocol").and_then(Value::as_str).unwrap_or("?");
        let mut official_protocols: Vec<String> = match meta.get("protocols") {
            Some(Value::Array(ps)) => ps.iter().filter_map(Value::as_str).map(to_trait).collect(),
            _ => vec![to_trait(primary)],
        };
        if !official_protocols.contains(&to_trait(primary)) {
            official_protocols.push(to_trait(primary));
        }
        official_protocols.sort();
        self.check(
            &at,
            "protocol",
            show(Some(&Value::from(ours_protocols.clone()))),
            show(Some(&Value::from(official_protocols))),
        );
        self.protocol = to_trait(primary);

        // awsJson: X-Amz-Target is "<service shape name>.<operation>".
        match meta.get("targetPrefix") {
            Some(prefix) => self.check(
                &at,
                "targetPrefix (service shape name)",
                text(&at),
                show(Some(prefix)),
            ),
            None if self.protocol.contains("awsJson") => self.mismatch(
                &at,
                "targetPrefix (service shape name)",
                text(&at),
                "absent".into(),
            ),
            None => {} // restJson1 has no X-Amz-Target: the name is not on the wire.
        }

        // Auth.
        used.insert("aws.auth#sigv4");
        let sigv4 = tr(ours, "aws.auth#sigv4");
        let signing = meta
            .get("signingName")
            .or_else(|| meta.get("endpointPrefix"));
        self.check(
            &at,
            "aws.auth#sigv4.name (signingName)",
            show(sigv4.and_then(|s| s.get("name"))),
            show(signing),
        );
        let ours_auth: Vec<String> = trait_ids(ours)
            .into_iter()
            .filter(|t| t.starts_with("aws.auth#") || t.ends_with("Auth"))
            .collect();
        let official_auth = meta.get("auth").cloned().unwrap_or_else(|| {
            match meta.get("signatureVersion").and_then(Value::as_str) {
                Some("v4") => Value::from(vec!["aws.auth#sigv4"]),
                _ => Value::Array(vec![]),
            }
        });
        self.check(
            &at,
            "auth",
            show(Some(&Value::from(ours_auth))),
            show(Some(&official_auth)),
        );
        self.check(
            &at,
            "signatureVersion",
            show(sigv4.map(|_| Value::from("v4")).as_ref()),
            show(meta.get("signatureVersion")),
        );

        // aws.api#service.
        used.insert("aws.api#service");
        let api = tr(ours, "aws.api#service");
        self.check(
            &at,
            "aws.api#service.endpointPrefix",
            show(api.and_then(|a| a.get("endpointPrefix"))),
            show(meta.get("endpointPrefix")),
        );
        self.check(
            &at,
            "aws.api#service.sdkId (serviceId)",
            show(api.and_then(|a| a.get("sdkId"))),
            show(meta.get("serviceId")),
        );
        // arnNamespace: botocore does not carry it, so it cannot be compared here.
        for (k, v) in api.and_then(Value::as_object).into_iter().flatten() {
            if !["endpointPrefix", "sdkId", "arnNamespace"].contains(&k.as_str()) {
                let what = format!("aws.api#service.{k} has no counterpart in the official model");
                self.mismatch(&at, &what, show(Some(v)), "absent".into());
            }
        }
        self.check(
            &at,
            "version (apiVersion)",
            show(ours.get("version")),
            show(meta.get("apiVersion")),
        );
        used.insert("smithy.api#title");
        self.check(
            &at,
            "smithy.api#title (serviceFullName)",
            show(tr(ours, "smithy.api#title")),
            show(meta.get("serviceFullName")),
        );

        // Endpoints: the rule set's parameters, and the URL templates its endpoint rules use.
        // (Where those rules send each region is tests/tests/endpoints.rs.)
        used.insert("smithy.rules#endpointRuleSet");
        let endpoints = self.official.get("endpoints").cloned().unwrap_or_default();
        let rules = tr(ours, "smithy.rules#endpointRuleSet");
        let params = |set: Option<&Value>| -> Value {
            let Some(Value::Object(params)) = set else {
                return Value::Null;
            };
            params
                .iter()
                .map(|(name, p)| {
                    let mut p = p.clone();
                    if let Some(o) = p.as_object_mut() {
                        o.remove("documentation");
                        // botocore writes the types in lower case.
                        if let Some(Value::String(t)) = o.get_mut("type") {
                            *t = t.to_lowercase();
                        }
                    }
                    (name.clone(), p)
                })
                .collect::<Map<_, _>>()
                .into()
        };
        self.check(
            &at,
            "endpoint rule set parameters",
            show(Some(&params(rules.and_then(|r| r.get("parameters"))))),
            show(Some(&params(endpoints.get("ruleset_parameters")))),
        );
        let mut templates = BTreeSet::new();
        if let Some(rules) = rules {
            endpoint_urls(rules, &mut templates);
        }
        let official_templates: BTreeSet<String> = endpoints
            .get("url_templates")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|t| t.as_str().map(str::to_owned))
            .collect();
        self.check(
            &at,
            "endpoint URL templates",
            format!("{templates:?}"),
            format!("{official_templates:?}"),
        );

        // Operations bound to the service.
        let ours_ops: Vec<Value> = ours
            .get("operations")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|o| o.get("target").and_then(Value::as_str))
            .map(|id| Value::from(local(id)))
            .collect();
        let official_ops = Value::from(vec![
            self.official
                .get("operationName")
                .cloned()
                .unwrap_or_default(),
        ]);
        self.check(
            &at,
            "operations",
            show(Some(&Value::from(ours_ops))),
            show(Some(&official_ops)),
        );
        for k in ["resources", "errors", "rename"] {
            if let Some(v) = ours.get(k) {
                self.mismatch(
                    &at,
                    &format!("service `{k}`"),
                    show(Some(v)),
                    "absent".into(),
                );
            }
        }

        let mut handled = vec![
            "apiVersion",
            "protocol",
            "protocols",
            "jsonVersion",
            "targetPrefix",
            "endpointPrefix",
            "signingName",
            "serviceId",
            "serviceFullName",
            "signatureVersion",
            "auth",
        ];
        handled.extend_from_slice(METADATA_NOT_COMPARED);
        self.unknown_official_fields(&format!("{at} (metadata)"), &meta, &handled);
        used.insert("smithy.api#paginated"); // service-level defaults, merged into the operation's
        self.unknown_traits(&at, ours, &used);
    }

    /// The operation shape against `operation` and `paginator`; returns its shape id.
    fn operation(&mut self, service_id: &str) -> String {
        let op = self.official.get("operation").cloned().unwrap_or_default();
        let name = op
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or("?")
            .to_string();
        let id = format!("{}#{name}", self.ns);
        self.check(
            &name,
            "operationName",
            text(&name),
            show(self.official.get("operationName")),
        );
        let Some(ours) = self.ours.get(&id).cloned() else {
            self.mismatch(&name, "operation missing", "absent".into(), text(&name));
            return id;
        };
        self.out.shapes += 1;
        let at = name.as_str();
        self.check(at, "type", show(ours.get("type")), text("operation"));

        // Input and output structures (`smithy.api#Unit` = none).
        for key in ["input", "output"] {
            let ours_t = ours
                .get(key)
                .and_then(|t| t.get("target"))
                .and_then(Value::as_str)
                .filter(|t| *t != "smithy.api#Unit");
            let official_t = op
                .get(key)
                .and_then(|t| t.get("shape"))
                .and_then(Value::as_str);
            self.out.checks += 1;
            if ours_t.and_then(|t| self.target_name(t)).as_deref() != official_t {
                self.push(
                    at,
                    key,
                    show(ours_t.map(Value::from).as_ref()),
                    show(official_t.map(Value::from).as_ref()),
                );
            }
        }

        // Errors, as sets.
        let ours_errors: BTreeSet<String> = ours
            .get("errors")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|e| e.get("target").and_then(Value::as_str))
            .map(|t| self.target_name(t).unwrap_or_else(|| t.to_string()))
            .collect();
        let official_errors: BTreeSet<String> = op
            .get("errors")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|e| e.get("shape").and_then(Value::as_str))
            .map(str::to_string)
            .collect();
        self.check(
            at,
            "errors",
            show(Some(&Value::from(
                ours_errors.into_iter().collect::<Vec<_>>(),
            ))),
            show(Some(&Value::from(
                official_errors.into_iter().collect::<Vec<_>>(),
            ))),
        );

        // HTTP binding. awsJson always sends POST / (what botocore records); an @http trait
        // in our spec is compared as written, so a difference is visible (and explained).
        let mut used: BTreeSet<&str> = ["smithy.api#documentation", "smithy.api#http"].into();
        let http = tr(&ours, "smithy.api#http");
        let ours_http = match http {
            Some(h) => Some(format!(
                "{} {}",
                h.get("method").and_then(Value::as_str).unwrap_or("?"),
                h.get("uri").and_then(Value::as_str).unwrap_or("?")
            )),
            None if self.protocol.contains("awsJson") => Some("POST /".to_string()),
            None => None,
        };
        let ohttp = op.get("http").cloned().unwrap_or_default();
        let official_http = ohttp.get("method").map(|m| {
            format!(
                "{} {}",
                m.as_str().unwrap_or("?"),
                ohttp
                    .get("requestUri")
                    .and_then(Value::as_str)
                    .unwrap_or("?")
            )
        });
        self.check(
            at,
            "http",
            show(ours_http.map(Value::from).as_ref()),
            show(official_http.map(Value::from).as_ref()),
        );
        self.check(
            at,
            "http.code",
            show(Some(
                http.and_then(|h| h.get("code"))
                    .unwrap_or(&Value::from(200)),
            )),
            show(Some(ohttp.get("responseCode").unwrap_or(&Value::from(200)))),
        );
        self.unknown_official_fields(
            &format!("{at} (http)"),
            &ohttp,
            &["method", "requestUri", "responseCode"],
        );

        used.insert("smithy.api#readonly");
        self.check(
            at,
            "readonly",
            flag(tr(&ours, "smithy.api#readonly").is_some()),
            flag(is_true(op.get("readonly"))),
        );
        used.insert("smithy.api#idempotent");
        if tr(&ours, "smithy.api#idempotent").is_some() || op.get("idempotent").is_some() {
            self.check(
                at,
                "idempotent",
                flag(tr(&ours, "smithy.api#idempotent").is_some()),
                flag(is_true(op.get("idempotent"))),
            );
        }

        // Pagination: the operation's @paginated over the service's defaults.
        used.insert("smithy.api#paginated");
        let mut paginated = tr(&self.ours[service_id], "smithy.api#paginated")
            .and_then(Value::as_object)
            .cloned();
        if let Some(p) = tr(&ours, "smithy.api#paginated").and_then(Value::as_object) {
            let merged = paginated.get_or_insert_with(Map::new);
            for (k, v) in p {
                merged.insert(k.clone(), v.clone());
            }
        }
        // Only an operation with its own @paginated is paginated.
        if tr(&ours, "smithy.api#paginated").is_none() {
            paginated = None;
        }
        let paginator = self
            .official
            .get("paginator")
            .filter(|p| !p.is_null())
            .cloned();
        let pairs = [
            ("input_token", "inputToken"),
            ("output_token", "outputToken"),
            ("limit_key", "pageSize"),
            ("result_key", "items"),
        ];
        if paginated.is_none() && paginator.is_none() {
            self.check(at, "paginated", "absent".into(), "absent".into());
        } else {
            for (b, s) in pairs {
                self.check(
                    at,
                    &format!("paginated.{s} ({b})"),
                    show(paginated.as_ref().and_then(|p| p.get(s))),
                    show(paginator.as_ref().and_then(|p| p.get(b))),
                );
            }
            let ours_extra: Vec<(String, Value)> = paginated
                .iter()
                .flatten()
                .filter(|(k, _)| !pairs.iter().any(|(_, s)| s == k))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            for (k, v) in ours_extra {
                self.mismatch(
                    at,
                    &format!("paginated.{k}"),
                    show(Some(&v)),
                    "absent".into(),
                );
            }
            if let Some(p) = &paginator {
                let handled: Vec<&str> = pairs.iter().map(|(b, _)| *b).collect();
                self.unknown_official_fields(&format!("{at} (paginator)"), p, &handled);
            }
        }

        self.unknown_official_fields(
            at,
            &op,
            &[
                "name",
                "http",
                "input",
                "output",
                "errors",
                "documentation",
                "readonly",
                "idempotent",
            ],
        );
        self.unknown_traits(at, &ours, &used);
        id
    }

    /// One data shape of ours against the botocore shape of the same name.
    fn shape(&mut self, name: &str, ours: &Value, o: &Value) {
        let expected = smithy_type(o);
        let actual = ours.get("type").and_then(Value::as_str).unwrap_or("?");
        self.check(name, "type", text(actual), text(&expected));
        if actual != expected {
            return; // everything else would only repeat this difference
        }
        let mut handled: Vec<&str> = vec!["type", "documentation"];
        let mut used: BTreeSet<&str> = ["smithy.api#documentation"].into();

        match expected.as_str() {
            "structure" | "union" => {
                handled.extend(["members", "required", "union"]);
                self.structure(name, ours, o);
            }
            "list" => {
                handled.extend(["member", "min", "max"]);
                used.insert("smithy.api#length");
                self.container_member(name, "member", ours, o);
                self.check_bounds(name, ours, o, "smithy.api#length", "length");
            }
            "map" => {
                handled.extend(["key", "value", "min", "max"]);
                used.insert("smithy.api#length");
                self.container_member(name, "key", ours, o);
                self.container_member(name, "value", ours, o);
                self.check_bounds(name, ours, o, "smithy.api#length", "length");
            }
            "string" | "blob" | "enum" => {
                handled.extend(["min", "max", "pattern", "enum"]);
                used.extend(["smithy.api#length", "smithy.api#pattern"]);
                self.check_bounds(name, ours, o, "smithy.api#length", "length");
                if expected != "blob" {
                    self.check(
                        name,
                        "pattern",
                        show(tr(ours, "smithy.api#pattern")),
                        show(o.get("pattern")),
                    );
                }
                if expected == "enum" {
                    self.enum_values(name, ours, o);
                }
            }
            "intEnum" => {
                handled.extend(["min", "max", "enum"]);
                used.insert("smithy.api#range");
                self.check_bounds(name, ours, o, "smithy.api#range", "range");
                self.enum_values(name, ours, o);
            }
            "byte" | "short" | "integer" | "long" | "float" | "double" | "bigInteger"
            | "bigDecimal" => {
                handled.extend(["min", "max"]);
                used.insert("smithy.api#range");
                self.check_bounds(name, ours, o, "smithy.api#range", "range");
            }
            "timestamp" => {
                handled.push("timestampFormat");
                used.insert("smithy.api#timestampFormat");
                self.check(
                    name,
                    "timestampFormat",
                    show(tr(ours, "smithy.api#timestampFormat")),
                    show(timestamp_format(o.get("timestampFormat")).as_ref()),
                );
            }
            _ => {}
        }

        // Nullability: botocore `box` means "no default"; a Smithy @default means "not boxed".
        // (An unboxed botocore primitive says nothing either way, so it is not checked.)
        handled.push("box");
        used.extend([
            "smithy.api#default",
            "smithy.api#addedDefault",
            "smithy.api#clientOptional",
        ]);
        if is_true(o.get("box")) || has_default(ours) {
            self.check(
                name,
                "box (nullable: no @default)",
                flag(!has_default(ours)),
                flag(is_true(o.get("box"))),
            );
        }

        handled.extend(["sensitive", "deprecated", "deprecatedMessage"]);
        used.extend(["smithy.api#sensitive", "smithy.api#deprecated"]);
        for (key, id) in [
            ("sensitive", "smithy.api#sensitive"),
            ("deprecated", "smithy.api#deprecated"),
        ] {
            if o.get(key).is_some() || tr(ours, id).is_some() {
                self.check(
                    name,
                    key,
                    flag(tr(ours, id).is_some()),
                    flag(is_true(o.get(key))),
                );
            }
        }

        // Errors.
        handled.extend(["exception", "fault", "error", "retryable"]);
        used.extend([
            "smithy.api#error",
            "smithy.api#httpError",
            "smithy.api#retryable",
            "aws.protocols#awsQueryError",
        ]);
        self.error(name, ours, o);

        self.unknown_official_fields(name, o, &handled);
        self.unknown_traits(name, ours, &used);
    }

    fn error(&mut self, name: &str, ours: &Value, o: &Value) {
        let exception = is_true(o.get("exception"));
        let oerror = o.get("error").cloned().unwrap_or_default();
        let status = oerror.get("httpStatusCode").and_then(Value::as_u64);
        // botocore marks server errors with `fault: true` (or `senderFault: false`); older
        // rest-json models such as Macie2's leave both out and only give the status, which
        // Smithy requires to be 5xx exactly for `@error("server")`.
        let official_fault = if !exception {
            None
        } else if is_true(o.get("fault"))
            || oerror.get("senderFault") == Some(&Value::Bool(false))
            || (o.get("fault").is_none()
                && oerror.get("senderFault").is_none()
                && status.is_some_and(|s| s >= 500))
        {
            Some("server")
        } else {
            Some("client")
        };
        let ours_fault = tr(ours, "smithy.api#error");
        if !exception && ours_fault.is_none() {
            if o.get("retryable").is_some() || tr(ours, "smithy.api#retryable").is_some() {
                self.check(
                    name,
                    "retryable",
                    show(retryable(tr(ours, "smithy.api#retryable")).as_ref()),
                    show(retryable(o.get("retryable")).as_ref()),
                );
            }
            return;
        }
        self.check(
            name,
            "error (fault)",
            show(ours_fault),
            show(official_fault.map(Value::from).as_ref()),
        );

        // Status: botocore's error.httpStatusCode; for awsJson botocore omits it, and the slice's
        // derived_wire_hints give the @httpError of the Smithy model (or the protocol default).
        let default_status = |fault: Option<&str>| match fault {
            Some("server") => Some(500),
            Some(_) => Some(400),
            None => None,
        };
        let ours_status = tr(ours, "smithy.api#httpError")
            .and_then(Value::as_u64)
            .or(default_status(ours_fault.and_then(Value::as_str)));
        let hint = self
            .official
            .get("derived_wire_hints")
            .and_then(|h| h.get("errors"))
            .and_then(|e| e.get(name))
            .and_then(|e| e.get("http_status"))
            .and_then(Value::as_u64);
        let official_status = status.or(hint).or(default_status(official_fault));
        self.check(
            name,
            "httpError (status)",
            show(ours_status.map(Value::from).as_ref()),
            show(official_status.map(Value::from).as_ref()),
        );

        let query_error = tr(ours, "aws.protocols#awsQueryError");
        if oerror.get("code").is_some() || query_error.is_some() {
            self.check(
                name,
                "aws.protocols#awsQueryError.code (error.code)",
                show(query_error.and_then(|q| q.get("code"))),
                show(oerror.get("code")),
            );
        }
        self.unknown_official_fields(
            &format!("{name} (error)"),
            &oerror,
            &["httpStatusCode", "senderFault", "code"],
        );
        self.check(
            name,
            "retryable",
            show(retryable(tr(ours, "smithy.api#retryable")).as_ref()),
            show(retryable(o.get("retryable")).as_ref()),
        );
    }

    fn enum_values(&mut self, name: &str, ours: &Value, o: &Value) {
        let mut values = Vec::new();
        let members = members_of(ours).cloned().unwrap_or_default();
        // Spec order first, then anything the order index does not know (appended by a test).
        let id = format!("{}#{name}", self.ns);
        let mut names: Vec<&String> = self
            .order
            .get(&id)
            .into_iter()
            .flatten()
            .filter(|n| members.contains_key(*n))
            .collect();
        names.extend(
            members
                .keys()
                .filter(|k| !names.contains(k))
                .collect::<Vec<_>>(),
        );
        for mname in names {
            let m = &members[mname];
            values.push(
                tr(m, "smithy.api#enumValue")
                    .cloned()
                    .unwrap_or_else(|| Value::from(mname.as_str())),
            );
            let used: BTreeSet<&str> = [
                "smithy.api#documentation",
                "smithy.api#enumValue",
                "smithy.api#tags",
                "smithy.api#deprecated",
            ]
            .into();
            self.unknown_traits(&format!("{name}.{mname}"), m, &used);
        }
        self.check(
            name,
            "enum values",
            show(Some(&Value::from(values))),
            show(o.get("enum")),
        );
    }

    /// The `member` of a list, or the `key`/`value` of a map.
    fn container_member(&mut self, name: &str, key: &str, ours: &Value, o: &Value) {
        let at = format!("{name}.{key}");
        let om = o.get(key).cloned().unwrap_or_default();
        let um = ours.get(key);
        self.check_target(&at, "target", um, &om);
        self.unknown_official_fields(&at, &om, &["shape", "documentation"]);
        if let Some(um) = um {
            let used: BTreeSet<&str> = ["smithy.api#documentation"].into();
            self.unknown_traits(&at, um, &used);
        }
    }

    fn structure(&mut self, name: &str, ours: &Value, o: &Value) {
        let empty = Map::new();
        let om = members_of(o).unwrap_or(&empty);
        let um = members_of(ours).unwrap_or(&empty);
        let required: BTreeSet<&str> = o
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        for r in &required {
            if !om.contains_key(*r) {
                self.mismatch(
                    name,
                    "official `required` names no member",
                    "n/a".into(),
                    text(r),
                );
            }
        }
        for (mname, omember) in om {
            let at = format!("{name}.{mname}");
            match um.get(mname) {
                None => self.mismatch(
                    &at,
                    "member missing",
                    "absent".into(),
                    show(omember.get("shape")),
                ),
                Some(umember) => self.member(
                    &at,
                    mname,
                    umember,
                    omember,
                    required.contains(mname.as_str()),
                ),
            }
        }
        for (mname, umember) in um {
            if !om.contains_key(mname) {
                let at = format!("{name}.{mname}");
                self.mismatch(
                    &at,
                    "member not in official model",
                    show(umember.get("target")),
                    "absent".into(),
                );
            }
        }
    }

    fn member(&mut self, at: &str, mname: &str, ours: &Value, o: &Value, required: bool) {
        self.out.members += 1;
        let mut used: BTreeSet<&str> = ["smithy.api#documentation"].into();
        self.check_target(at, "target", Some(ours), o);

        used.insert("smithy.api#required");
        self.check(
            at,
            "required",
            flag(tr(ours, "smithy.api#required").is_some()),
            flag(required),
        );

        // Wire binding: botocore location/locationName vs Smithy http* traits and jsonName.
        used.extend([
            "smithy.api#jsonName",
            "smithy.api#httpLabel",
            "smithy.api#httpQuery",
            "smithy.api#httpHeader",
            "smithy.api#httpPrefixHeaders",
            "smithy.api#httpResponseCode",
            "smithy.api#httpPayload",
        ]);
        let s = |v: Option<&Value>| v.and_then(Value::as_str).unwrap_or(mname).to_string();
        let ours_binding = if tr(ours, "smithy.api#httpLabel").is_some() {
            format!("label {mname}")
        } else if let Some(q) = tr(ours, "smithy.api#httpQuery") {
            format!("query {}", s(Some(q)))
        } else if let Some(h) = tr(ours, "smithy.api#httpHeader") {
            format!("header {}", s(Some(h)))
        } else if let Some(h) = tr(ours, "smithy.api#httpPrefixHeaders") {
            format!("prefix-headers {}", s(Some(h)))
        } else if tr(ours, "smithy.api#httpResponseCode").is_some() {
            "status-code".to_string()
        } else if tr(ours, "smithy.api#httpPayload").is_some() {
            "payload".to_string()
        } else {
            format!("body {}", s(tr(ours, "smithy.api#jsonName")))
        };
        let location_name = s(o.get("locationName"));
        let official_binding = match o.get("location").and_then(Value::as_str) {
            None if is_true(o.get("payload")) => "payload".to_string(),
            None => format!("body {location_name}"),
            Some("uri") => format!("label {location_name}"),
            Some("querystring") => format!("query {location_name}"),
            Some("header") => format!("header {location_name}"),
            Some("headers") => format!("prefix-headers {location_name}"),
            Some("statusCode") => "status-code".to_string(),
            Some(other) => format!("<botocore location {other}>"),
        };
        self.check(
            at,
            "wire name (locationName/jsonName)",
            text(&ours_binding),
            text(&official_binding),
        );

        used.insert("smithy.api#timestampFormat");
        if o.get("timestampFormat").is_some() || tr(ours, "smithy.api#timestampFormat").is_some() {
            self.check(
                at,
                "timestampFormat",
                show(tr(ours, "smithy.api#timestampFormat")),
                show(timestamp_format(o.get("timestampFormat")).as_ref()),
            );
        }
        used.insert("smithy.api#idempotencyToken");
        if o.get("idempotencyToken").is_some() || tr(ours, "smithy.api#idempotencyToken").is_some()
        {
            self.check(
                at,
                "idempotencyToken",
                flag(tr(ours, "smithy.api#idempotencyToken").is_some()),
                flag(is_true(o.get("idempotencyToken"))),
            );
        }
        used.extend([
            "smithy.api#default",
            "smithy.api#addedDefault",
            "smithy.api#clientOptional",
        ]);
        if is_true(o.get("box")) || has_default(ours) {
            self.check(
                at,
                "box (nullable: no @default)",
                flag(!has_default(ours)),
                flag(is_true(o.get("box"))),
            );
        }
        used.insert("smithy.api#deprecated");
        if o.get("deprecated").is_some() || tr(ours, "smithy.api#deprecated").is_some() {
            self.check(
                at,
                "deprecated",
                flag(tr(ours, "smithy.api#deprecated").is_some()),
                flag(is_true(o.get("deprecated"))),
            );
        }
        self.unknown_official_fields(
            at,
            o,
            &[
                "shape",
                "documentation",
                "locationName",
                "location",
                "payload",
                "timestampFormat",
                "idempotencyToken",
                "box",
                "deprecated",
                "deprecatedMessage",
            ],
        );
        self.unknown_traits(at, ours, &used);
    }
}

/// Compares one spec (Smithy JSON AST) with one official slice (botocore JSON).
fn compare(
    spec_file: &str,
    spec: &Value,
    order: &BTreeMap<String, Vec<String>>,
    official: &Value,
) -> Outcome {
    let empty = Map::new();
    let mut c = Comparison {
        file: spec_file,
        ours: spec
            .get("shapes")
            .and_then(Value::as_object)
            .unwrap_or(&empty),
        order,
        official,
        ns: String::new(),
        protocol: String::new(),
        out: Outcome::default(),
    };
    if spec.get("smithy").and_then(Value::as_str) != Some("2.0") {
        c.mismatch(
            "spec",
            "smithy version",
            show(spec.get("smithy")),
            text("2.0"),
        );
    }
    c.run();
    c.out
}

fn load(case: &Case) -> (Value, BTreeMap<String, Vec<String>>, Value) {
    let spec = serde_json::from_str(case.spec).expect("spec is JSON");
    let official = serde_json::from_str(case.official).expect("official slice is JSON");
    (spec, order::member_order(case.spec), official)
}

/// Key order of JSON objects, which `serde_json::Map` (a `BTreeMap` without serde_json's
/// `preserve_order` feature) loses: enum values must match the botocore list in order.
mod order {
    use std::collections::BTreeMap;

    enum Json {
        Object(Vec<(String, Json)>),
        Array,
        Scalar,
    }

    /// `shape id -> member names in spec order`. The text has already been parsed by
    /// serde_json, so this scanner can assume it is valid JSON.
    pub fn member_order(text: &str) -> BTreeMap<String, Vec<String>> {
        let mut scanner = Scanner {
            b: text.as_bytes(),
            i: 0,
        };
        let mut out = BTreeMap::new();
        let Json::Object(top) = scanner.value() else {
            return out;
        };
        for (key, shapes) in top {
            let (true, Json::Object(shapes)) = (key == "shapes", shapes) else {
                continue;
            };
            for (id, shape) in shapes {
                let Json::Object(fields) = shape else {
                    continue;
                };
                for (field, members) in fields {
                    if let ("members", Json::Object(members)) = (field.as_str(), members) {
                        out.insert(id.clone(), members.into_iter().map(|(k, _)| k).collect());
                    }
                }
            }
        }
        out
    }

    struct Scanner<'t> {
        b: &'t [u8],
        i: usize,
    }

    impl Scanner<'_> {
        fn skip_ws(&mut self) {
            while self.b.get(self.i).is_some_and(u8::is_ascii_whitespace) {
                self.i += 1;
            }
        }

        fn eat(&mut self, c: u8) -> bool {
            self.skip_ws();
            let hit = self.b.get(self.i) == Some(&c);
            if hit {
                self.i += 1;
            }
            hit
        }

        fn value(&mut self) -> Json {
            self.skip_ws();
            match self.b.get(self.i) {
                Some(b'{') => {
                    self.i += 1;
                    let mut fields = Vec::new();
                    while !self.eat(b'}') {
                        self.eat(b',');
                        self.skip_ws();
                        let key = self.string();
                        self.eat(b':');
                        fields.push((key, self.value()));
                    }
                    Json::Object(fields)
                }
                Some(b'[') => {
                    self.i += 1;
                    while !self.eat(b']') {
                        self.eat(b',');
                        self.value();
                    }
                    Json::Array
                }
                Some(b'"') => {
                    self.string();
                    Json::Scalar
                }
                _ => {
                    while self.b.get(self.i).is_some_and(|c| {
                        !matches!(c, b',' | b'}' | b']') && !c.is_ascii_whitespace()
                    }) {
                        self.i += 1;
                    }
                    Json::Scalar
                }
            }
        }

        /// A string literal, decoded by serde_json.
        fn string(&mut self) -> String {
            let start = self.i;
            self.i += 1;
            while self.b[self.i] != b'"' {
                self.i += if self.b[self.i] == b'\\' { 2 } else { 1 };
            }
            self.i += 1;
            let literal = std::str::from_utf8(&self.b[start..self.i]).expect("UTF-8");
            serde_json::from_str(literal).expect("a JSON string literal")
        }
    }
}

fn allowed(line: &str) -> Option<&'static Allowed> {
    DELIBERATE.iter().find(|a| a.line == line)
}

/// Report lines not explained by an allow-list entry.
fn unexplained(out: &Outcome) -> Vec<String> {
    out.diffs
        .iter()
        .map(ToString::to_string)
        .filter(|l| allowed(l).is_none())
        .collect()
}

#[test]
fn specs_match_the_official_aws_models() {
    let mut problems = Vec::new();
    let mut seen = BTreeSet::new();
    for case in CASES {
        let (spec, order, official) = load(case);
        let out = compare(case.spec_file, &spec, &order, &official);
        println!(
            "{}: {} shapes, {} members, {} fields/traits compared; {} known difference(s)",
            case.spec_file,
            out.shapes,
            out.members,
            out.checks,
            out.diffs.len() - unexplained(&out).len(),
        );
        for d in &out.diffs {
            let line = d.to_string();
            match allowed(&line) {
                Some(a) => {
                    println!("  allowed: {line}\n    because: {}", a.reason);
                    seen.insert(a.line);
                }
                None => problems.push(line),
            }
        }
        assert!(
            out.shapes > 0 && out.checks > out.shapes,
            "{}: nothing compared",
            case.spec_file
        );
    }
    for a in DELIBERATE {
        if !seen.contains(a.line) {
            problems.push(format!(
                "stale allow-list entry (no longer reported): {}",
                a.line
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "{} difference(s) between specs/ and the official AWS models \
         (tests/fixtures/aws-models):\n  {}",
        problems.len(),
        problems.join("\n  ")
    );
}

/// The comparison must catch each kind of drift: mutate one thing in a spec and exactly that
/// difference (and nothing else) is reported.
mod mutations {
    use super::*;

    fn drift(spec_file: &str, mutate: impl FnOnce(&mut Map<String, Value>)) -> Vec<String> {
        let case = CASES.iter().find(|c| c.spec_file == spec_file).unwrap();
        let (mut spec, order, official) = load(case);
        let baseline = compare(spec_file, &spec, &order, &official);
        assert_eq!(
            unexplained(&baseline),
            Vec::<String>::new(),
            "baseline must be clean"
        );
        mutate(spec["shapes"].as_object_mut().unwrap());
        unexplained(&compare(spec_file, &spec, &order, &official))
    }

    fn shape<'m>(shapes: &'m mut Map<String, Value>, id: &str) -> &'m mut Value {
        shapes
            .get_mut(id)
            .unwrap_or_else(|| panic!("{id} is in the spec"))
    }

    #[test]
    fn reordered_enum_values() {
        let case = &CASES[0];
        let (spec, mut order, official) = load(case);
        order
            .get_mut("com.amazonaws.partnercentralselling#SortOrder")
            .unwrap()
            .reverse();
        let got = unexplained(&compare(case.spec_file, &spec, &order, &official));
        assert_eq!(
            got,
            [
                "specs/partner-central.smithy.json: SortOrder: enum values ours=[\"DESCENDING\",\"ASCENDING\"] official=[\"ASCENDING\",\"DESCENDING\"]"
            ]
        );
    }

    #[test]
    fn default_on_a_boxed_shape() {
        let got = drift("specs/partner-central.smithy.json", |s| {
            let i = shape(
                s,
                "com.amazonaws.partnercentralselling#ListResourceSnapshotJobsRequestMaxResultsInteger",
            );
            i["traits"]["smithy.api#default"] = Value::from(50);
        });
        assert_eq!(
            got,
            [
                "specs/partner-central.smithy.json: ListResourceSnapshotJobsRequestMaxResultsInteger: box (nullable: no @default) ours=false official=true"
            ]
        );
    }

    #[test]
    fn dropped_member() {
        let got = drift("specs/ssm-mw.smithy.json", |s| {
            let m = shape(
                s,
                "com.amazonaws.ssm#MaintenanceWindowExecutionTaskIdentity",
            );
            m["members"]
                .as_object_mut()
                .unwrap()
                .remove("StatusDetails")
                .unwrap();
        });
        assert_eq!(
            got,
            [
                "specs/ssm-mw.smithy.json: MaintenanceWindowExecutionTaskIdentity.StatusDetails: member missing ours=absent official=\"MaintenanceWindowExecutionStatusDetails\""
            ]
        );
    }

    #[test]
    fn changed_pattern() {
        let got = drift("specs/partner-central.smithy.json", |s| {
            let e = shape(
                s,
                "com.amazonaws.partnercentralselling#EngagementIdentifier",
            );
            e["traits"]["smithy.api#pattern"] = Value::from("eng-[0-9a-z]{15}");
        });
        assert_eq!(
            got,
            [
                "specs/partner-central.smithy.json: EngagementIdentifier: pattern ours=\"eng-[0-9a-z]{15}\" official=\"eng-[0-9a-z]{14}\""
            ]
        );
    }

    #[test]
    fn changed_length_bound() {
        let got = drift("specs/ssm-mw.smithy.json", |s| {
            let l = shape(s, "com.amazonaws.ssm#MaintenanceWindowFilterList");
            l["traits"]["smithy.api#length"]["max"] = Value::from(6);
        });
        assert_eq!(
            got,
            ["specs/ssm-mw.smithy.json: MaintenanceWindowFilterList: length.max ours=6 official=5"]
        );
    }

    #[test]
    fn changed_range_bound() {
        let got = drift("specs/partner-central.smithy.json", |s| {
            let i = shape(
                s,
                "com.amazonaws.partnercentralselling#ListResourceSnapshotJobsRequestMaxResultsInteger",
            );
            i["traits"]["smithy.api#range"]["min"] = Value::from(0);
        });
        assert_eq!(
            got,
            [
                "specs/partner-central.smithy.json: ListResourceSnapshotJobsRequestMaxResultsInteger: range.min ours=0 official=1"
            ]
        );
    }

    #[test]
    fn changed_enum_value() {
        let got = drift("specs/macie2.smithy.json", |s| {
            let e = shape(s, "com.amazonaws.macie2#JobStatus");
            e["members"]["USER_PAUSED"]["traits"]["smithy.api#enumValue"] =
                Value::from("USER_PAUSE");
        });
        assert_eq!(
            got,
            [
                "specs/macie2.smithy.json: JobStatus: enum values ours=[\"RUNNING\",\"PAUSED\",\"CANCELLED\",\"COMPLETE\",\"IDLE\",\"USER_PAUSE\"] official=[\"RUNNING\",\"PAUSED\",\"CANCELLED\",\"COMPLETE\",\"IDLE\",\"USER_PAUSED\"]"
            ]
        );
    }

    #[test]
    fn dropped_required() {
        let got = drift("specs/partner-central.smithy.json", |s| {
            let e = shape(
                s,
                "com.amazonaws.partnercentralselling#ValidationExceptionError",
            );
            e["members"]["Code"]["traits"]
                .as_object_mut()
                .unwrap()
                .remove("smithy.api#required");
        });
        assert_eq!(
            got,
            [
                "specs/partner-central.smithy.json: ValidationExceptionError.Code: required ours=false official=true"
            ]
        );
    }

    #[test]
    fn changed_member_target_and_wire_name() {
        let got = drift("specs/macie2.smithy.json", |s| {
            let m = &mut shape(s, "com.amazonaws.macie2#ListClassificationJobsRequest")["members"];
            m["maxResults"]["target"] = Value::from("smithy.api#Long");
            m["nextToken"]["traits"]["smithy.api#jsonName"] = Value::from("NextToken");
        });
        assert_eq!(
            got,
            [
                "specs/macie2.smithy.json: ListClassificationJobsRequest.maxResults: target ours=\"smithy.api#Long\" official=\"__integer\"",
                "specs/macie2.smithy.json: ListClassificationJobsRequest.nextToken: wire name (locationName/jsonName) ours=\"body NextToken\" official=\"body nextToken\"",
            ]
        );
    }

    #[test]
    fn changed_error_status_and_fault() {
        let got = drift("specs/macie2.smithy.json", |s| {
            let e = shape(s, "com.amazonaws.macie2#ServiceQuotaExceededException");
            e["traits"]["smithy.api#httpError"] = Value::from(429);
            e["traits"]["smithy.api#error"] = Value::from("server");
        });
        assert_eq!(
            got,
            [
                "specs/macie2.smithy.json: ServiceQuotaExceededException: error (fault) ours=\"server\" official=\"client\"",
                "specs/macie2.smithy.json: ServiceQuotaExceededException: httpError (status) ours=429 official=402",
            ]
        );
    }

    #[test]
    fn changed_operation_and_service() {
        let got = drift("specs/macie2.smithy.json", |s| {
            let op = shape(s, "com.amazonaws.macie2#ListClassificationJobs");
            op["traits"]["smithy.api#http"]["uri"] = Value::from("/jobs");
            op["traits"]["smithy.api#paginated"]["items"] = Value::from("jobs");
            op["errors"].as_array_mut().unwrap().pop();
            let svc = shape(s, "com.amazonaws.macie2#Macie2");
            svc["traits"]["aws.auth#sigv4"]["name"] = Value::from("macie");
        });
        assert_eq!(
            got,
            [
                "specs/macie2.smithy.json: Macie2: aws.auth#sigv4.name (signingName) ours=\"macie\" official=\"macie2\"",
                "specs/macie2.smithy.json: ListClassificationJobs: errors ours=[\"AccessDeniedException\",\"InternalServerException\",\"ResourceNotFoundException\",\"ServiceQuotaExceededException\",\"ThrottlingException\",\"ValidationException\"] official=[\"AccessDeniedException\",\"ConflictException\",\"InternalServerException\",\"ResourceNotFoundException\",\"ServiceQuotaExceededException\",\"ThrottlingException\",\"ValidationException\"]",
                "specs/macie2.smithy.json: ListClassificationJobs: http ours=\"POST /jobs\" official=\"POST /jobs/list\"",
                "specs/macie2.smithy.json: ListClassificationJobs: paginated.items (result_key) ours=\"jobs\" official=\"items\"",
            ]
        );
    }

    #[test]
    fn extra_shape_and_unknown_trait() {
        let got = drift("specs/ssm-mw.smithy.json", |s| {
            s.insert(
                "com.amazonaws.ssm#Unused".into(),
                serde_json::json!({ "type": "string" }),
            );
            shape(s, "com.amazonaws.ssm#NextToken")["traits"]["smithy.api#sensitive"] =
                serde_json::json!({});
        });
        assert_eq!(
            got,
            [
                "specs/ssm-mw.smithy.json: NextToken: sensitive ours=true official=false",
                "specs/ssm-mw.smithy.json: Unused: shape not in official model ours=\"string\" official=absent",
            ]
        );
    }
}

/// The string URLs of every endpoint rule in a rule set.
fn endpoint_urls(v: &Value, out: &mut BTreeSet<String>) {
    match v {
        Value::Object(o) => {
            if let Some(Value::String(url)) = o.get("endpoint").and_then(|e| e.get("url")) {
                out.insert(url.clone());
            }
            o.values().for_each(|v| endpoint_urls(v, out));
        }
        Value::Array(a) => a.iter().for_each(|v| endpoint_urls(v, out)),
        _ => {}
    }
}
