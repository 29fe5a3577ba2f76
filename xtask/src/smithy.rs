//! Smithy 2.0 JSON AST front-end: one service shape with its operations -> [`Service`].
//!
//! Only the constructs our specs need are accepted; anything else (unions, HTTP headers,
//! unknown traits, dangling references) is a [`SpecError`] naming the shape id.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::docs::from_html;
use crate::ir::*;

type Result<T> = std::result::Result<T, SpecError>;

/// Traits we understand, or knowingly ignore because they do not change the client.
const KNOWN_TRAITS: &[&str] = &[
    "smithy.api#documentation",
    "smithy.api#required",
    "smithy.api#pattern",
    "smithy.api#length",
    "smithy.api#range",
    "smithy.api#enumValue",
    "smithy.api#error",
    "smithy.api#httpError",
    "smithy.api#retryable",
    "smithy.api#paginated",
    "smithy.api#http",
    "smithy.api#readonly",
    "smithy.api#idempotent",
    "smithy.api#title",
    "smithy.api#timestampFormat",
    "smithy.api#jsonName",
    "smithy.api#input",
    "smithy.api#output",
    "smithy.api#default",
    "smithy.api#addedDefault",
    "smithy.api#clientOptional",
    "smithy.api#sensitive",
    "smithy.api#examples",
    "smithy.api#tags",
    "smithy.api#deprecated",
    "smithy.api#httpLabel",
    "smithy.api#httpQuery",
    "smithy.api#trait",
    "smithy.api#sparse",
    "smithy.api#suppress",
    "aws.api#service",
    "aws.api#arn",
    "aws.api#arnReference",
    "aws.auth#sigv4",
    "aws.protocols#awsJson1_0",
    "aws.protocols#awsJson1_1",
    "aws.protocols#restJson1",
    "smithy.rules#endpointRuleSet",
    "smithy.rules#endpointTests",
    "smithy.rules#clientContextParams",
    "cloudjobs.traits#dualStackOnly",
];

const SIMPLE_PRELUDE: &[(&str, &str)] = &[
    ("smithy.api#String", "string"),
    ("smithy.api#Integer", "integer"),
    ("smithy.api#PrimitiveInteger", "integer"),
    ("smithy.api#Long", "long"),
    ("smithy.api#PrimitiveLong", "long"),
    ("smithy.api#Boolean", "boolean"),
    ("smithy.api#PrimitiveBoolean", "boolean"),
    ("smithy.api#Float", "float"),
    ("smithy.api#Double", "double"),
    ("smithy.api#Timestamp", "timestamp"),
    ("smithy.api#Document", "document"),
];

struct Loader<'a> {
    file: &'a str,
    shapes: &'a Map<String, Value>,
    protocol: Protocol,
    named: BTreeMap<String, Shape>,
    /// Rust name -> shape id, to catch two shapes with one Rust name.
    names: BTreeMap<String, String>,
}

fn err(file: &str, location: &str, message: impl Into<String>) -> SpecError {
    SpecError {
        file: file.into(),
        location: location.into(),
        message: message.into(),
    }
}

/// Parses a Smithy JSON AST document.
///
/// `only` keeps just the named operations (local shape names such as `DescribeExecution`,
/// in the service's order), so a crate can take a few operations of a whole model; a name
/// the service does not have is an error.
pub fn load(file: &str, text: &str, only: Option<&[String]>) -> Result<Service> {
    let doc: Value =
        serde_json::from_str(text).map_err(|e| err(file, "/", format!("not valid JSON: {e}")))?;
    match doc.get("smithy").and_then(Value::as_str) {
        Some(v) if v.starts_with('2') => {}
        other => {
            return Err(err(
                file,
                "/smithy",
                format!("expected Smithy IDL version 2.x, found {other:?}"),
            ));
        }
    }
    let shapes = doc
        .get("shapes")
        .and_then(Value::as_object)
        .ok_or_else(|| err(file, "/shapes", "missing `shapes` object"))?;
    for (id, shape) in shapes {
        check_traits(file, id, shape.get("traits"))?;
        if let Some(members) = shape.get("members").and_then(Value::as_object) {
            for (m, member) in members {
                check_traits(file, &format!("{id}${m}"), member.get("traits"))?;
            }
        }
        if !id.contains('#') {
            return Err(err(
                file,
                id,
                "shape id has no namespace (`namespace#Name`)",
            ));
        }
    }

    let services: Vec<(&String, &Value)> = shapes
        .iter()
        .filter(|(_, s)| s.get("type").and_then(Value::as_str) == Some("service"))
        .collect();
    let (service_id, service) = match services.as_slice() {
        [one] => *one,
        [] => return Err(err(file, "/shapes", "no service shape")),
        _ => return Err(err(file, "/shapes", "more than one service shape")),
    };
    let straits = traits(service);
    let local = service_id
        .split_once('#')
        .map(|(_, n)| n)
        .unwrap_or(service_id);

    let protocol = if straits.contains_key("aws.protocols#awsJson1_0") {
        Protocol::AwsJson1_0 {
            target_prefix: local.to_string(),
        }
    } else if straits.contains_key("aws.protocols#awsJson1_1") {
        Protocol::AwsJson1_1 {
            target_prefix: local.to_string(),
        }
    } else if straits.contains_key("aws.protocols#restJson1") {
        Protocol::RestJson1
    } else {
        return Err(err(
            file,
            service_id,
            "no supported protocol trait (awsJson1_0, awsJson1_1, restJson1)",
        ));
    };
    let aws_service = straits
        .get("aws.api#service")
        .and_then(Value::as_object)
        .ok_or_else(|| err(file, service_id, "missing `aws.api#service` trait"))?;
    let sdk_id = str_field(file, service_id, aws_service, "sdkId")?;
    let endpoint_prefix = aws_service
        .get("endpointPrefix")
        .and_then(Value::as_str)
        .map(str::to_string)
        .unwrap_or_else(|| sdk_id.to_lowercase().replace(' ', "-"));
    let signing_name = straits
        .get("aws.auth#sigv4")
        .and_then(|v| v.get("name"))
        .and_then(Value::as_str)
        .ok_or_else(|| {
            err(
                file,
                service_id,
                "missing `aws.auth#sigv4` trait with a `name`",
            )
        })?
        .to_string();
    if service
        .get("resources")
        .and_then(Value::as_array)
        .is_some_and(|r| !r.is_empty())
    {
        return Err(err(
            file,
            service_id,
            "service resources are not supported; list operations on the service",
        ));
    }

    let mut loader = Loader {
        file,
        shapes,
        protocol: protocol.clone(),
        named: BTreeMap::new(),
        names: BTreeMap::new(),
    };
    let service_paginated = straits
        .get("smithy.api#paginated")
        .and_then(Value::as_object)
        .cloned();

    let mut op_ids = Vec::new();
    for op_ref in service
        .get("operations")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        op_ids.push(target(file, service_id, op_ref)?);
    }
    if let Some(only) = only {
        let local = |id: &str| id.rsplit_once('#').map_or(id, |(_, n)| n).to_string();
        let have: Vec<String> = op_ids.iter().map(|id| local(id)).collect();
        if let Some(missing) = only.iter().find(|n| !have.contains(n)) {
            return Err(err(
                file,
                service_id,
                format!("the operation filter names `{missing}`, which the service does not have"),
            ));
        }
        op_ids.retain(|id| only.contains(&local(id)));
    }

    let mut operations = Vec::new();
    let mut throttling = Vec::new();
    for op_id in op_ids {
        let op = loader.get(&op_id, service_id)?.clone();
        if op.get("type").and_then(Value::as_str) != Some("operation") {
            return Err(err(
                file,
                &op_id,
                "service `operations` entry is not an operation shape",
            ));
        }
        operations.push(loader.operation(
            &op_id,
            &op,
            service_paginated.as_ref(),
            &mut throttling,
        )?);
    }
    if operations.is_empty() {
        return Err(err(file, service_id, "service has no operations"));
    }
    throttling.sort();
    throttling.dedup();

    Ok(Service {
        spec_path: file.to_string(),
        crate_name: String::new(),
        name: endpoint_prefix.clone(),
        title: straits
            .get("smithy.api#title")
            .and_then(Value::as_str)
            .unwrap_or(&sdk_id)
            .to_string(),
        sdk_id,
        version: service
            .get("version")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string(),
        docs: doc_of(&straits),
        protocol,
        auth: Auth::SigV4 { signing_name },
        endpoint: Endpoint::AwsRegional {
            prefix: endpoint_prefix,
            dual_stack_only: straits.contains_key("cloudjobs.traits#dualStackOnly"),
        },
        path_prefix: String::new(),
        throttling_codes: throttling,
        operations,
        shapes: loader.named,
    })
}

fn check_traits(file: &str, at: &str, traits: Option<&Value>) -> Result<()> {
    let Some(traits) = traits else { return Ok(()) };
    let traits = traits
        .as_object()
        .ok_or_else(|| err(file, at, "`traits` is not an object"))?;
    for name in traits.keys() {
        if !KNOWN_TRAITS.contains(&name.as_str()) {
            return Err(err(file, at, format!("unknown trait `{name}`")));
        }
    }
    Ok(())
}

fn traits(shape: &Value) -> Map<String, Value> {
    shape
        .get("traits")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default()
}

fn doc_of(traits: &Map<String, Value>) -> String {
    traits
        .get("smithy.api#documentation")
        .and_then(Value::as_str)
        .map(from_html)
        .unwrap_or_default()
}

fn str_field(file: &str, at: &str, obj: &Map<String, Value>, key: &str) -> Result<String> {
    obj.get(key)
        .and_then(Value::as_str)
        .map(str::to_string)
        .ok_or_else(|| err(file, at, format!("missing string `{key}`")))
}

fn target(file: &str, at: &str, v: &Value) -> Result<String> {
    v.get("target")
        .and_then(Value::as_str)
        .map(str::to_string)
        .ok_or_else(|| err(file, at, "reference without a `target`"))
}

fn local_name(id: &str) -> &str {
    id.split_once('#').map(|(_, n)| n).unwrap_or(id)
}

fn num(v: Option<&Value>) -> Option<f64> {
    v.and_then(Value::as_f64)
}

fn unsigned(file: &str, at: &str, v: Option<&Value>) -> Result<Option<u64>> {
    match v {
        None => Ok(None),
        Some(v) => v.as_u64().map(Some).ok_or_else(|| {
            err(
                file,
                at,
                format!("length bound {v} is not a non-negative integer"),
            )
        }),
    }
}

impl Loader<'_> {
    fn get(&self, id: &str, from: &str) -> Result<&Value> {
        self.shapes
            .get(id)
            .ok_or_else(|| err(self.file, from, format!("dangling shape reference `{id}`")))
    }

    fn register_name(&mut self, rust_name: &str, id: &str) -> Result<()> {
        if let Some(prev) = self.names.get(rust_name)
            && prev != id
        {
            return Err(err(
                self.file,
                id,
                format!("Rust type name `{rust_name}` is also used by `{prev}`"),
            ));
        }
        self.names.insert(rust_name.to_string(), id.to_string());
        Ok(())
    }

    fn operation(
        &mut self,
        id: &str,
        op: &Value,
        service_paginated: Option<&Map<String, Value>>,
        throttling: &mut Vec<String>,
    ) -> Result<Operation> {
        let t = traits(op);
        let name = local_name(id).to_string();
        let (http_method, path) = match (&self.protocol, t.get("smithy.api#http")) {
            (Protocol::RestJson1, Some(http)) => {
                let method = http
                    .get("method")
                    .and_then(Value::as_str)
                    .ok_or_else(|| err(self.file, id, "`smithy.api#http` without `method`"))?;
                let uri = http
                    .get("uri")
                    .and_then(Value::as_str)
                    .ok_or_else(|| err(self.file, id, "`smithy.api#http` without `uri`"))?;
                if uri.contains('?') {
                    return Err(err(
                        self.file,
                        id,
                        "query literals in `smithy.api#http` uri are not supported",
                    ));
                }
                (method.to_string(), uri.to_string())
            }
            (Protocol::RestJson1, None) => {
                return Err(err(
                    self.file,
                    id,
                    "restJson1 operation without `smithy.api#http`",
                ));
            }
            // awsJson ignores @http: always POST /.
            _ => ("POST".to_string(), "/".to_string()),
        };

        let input = match op.get("input") {
            Some(r) => {
                let tid = target(self.file, id, r)?;
                if tid == "smithy.api#Unit" {
                    Structure::new(format!("{name}Input"), id)
                } else {
                    self.structure(&tid, Some(format!("{name}Input")), true)?
                }
            }
            None => Structure::new(format!("{name}Input"), id),
        };
        for m in &input.members {
            if m.location == Location::Label && !path.contains(&format!("{{{}}}", m.name)) {
                return Err(err(
                    self.file,
                    &input.origin,
                    format!("label `{}` is not in the uri `{path}`", m.name),
                ));
            }
        }
        let output = match op.get("output") {
            Some(r) => {
                let tid = target(self.file, id, r)?;
                if tid == "smithy.api#Unit" {
                    Output::Empty
                } else {
                    Output::Owned(self.structure(&tid, Some(format!("{name}Output")), false)?)
                }
            }
            None => Output::Empty,
        };

        let mut errors = Vec::new();
        for e in op
            .get("errors")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let eid = target(self.file, id, e)?;
            let shape = self.get(&eid, id)?;
            let et = traits(shape);
            let fault = et
                .get("smithy.api#error")
                .and_then(Value::as_str)
                .ok_or_else(|| {
                    err(
                        self.file,
                        &eid,
                        "operation error without `smithy.api#error` trait",
                    )
                })?;
            let default_status = match fault {
                "client" => 400,
                "server" => 500,
                other => {
                    return Err(err(
                        self.file,
                        &eid,
                        format!(
                            "`smithy.api#error` must be \"client\" or \"server\", found {other:?}"
                        ),
                    ));
                }
            };
            let status = match et.get("smithy.api#httpError") {
                None => default_status,
                Some(v) => v
                    .as_u64()
                    .filter(|s| (400..600).contains(s))
                    .ok_or_else(|| {
                        err(
                            self.file,
                            &eid,
                            format!("`smithy.api#httpError` must be a 4xx/5xx status, found {v}"),
                        )
                    })? as u16,
            };
            if et
                .get("smithy.api#retryable")
                .and_then(|r| r.get("throttling"))
                .and_then(Value::as_bool)
                == Some(true)
            {
                throttling.push(local_name(&eid).to_string());
            }
            let st = self.structure(&eid, None, false)?;
            errors.push(ErrorRef {
                variant: st.rust_name.clone(),
                shape: st.rust_name.clone(),
                matcher: ErrorMatch::Code(local_name(&eid).to_string()),
                status: Some(status),
                docs: st.docs.clone(),
            });
        }

        let pagination = match t.get("smithy.api#paginated").and_then(Value::as_object) {
            None => None,
            Some(p) => {
                let mut merged = service_paginated.cloned().unwrap_or_default();
                for (k, v) in p {
                    merged.insert(k.clone(), v.clone());
                }
                Some(self.pagination(id, &merged, &input, &output)?)
            }
        };

        Ok(Operation {
            method_name: crate::ir::field_name(&name),
            type_name: name.clone(),
            name,
            docs: doc_of(&t),
            http_method,
            path,
            query_literals: Vec::new(),
            success_status: None,
            readonly: t.contains_key("smithy.api#readonly"),
            idempotent: t.contains_key("smithy.api#readonly")
                || t.contains_key("smithy.api#idempotent"),
            deprecated: None,
            host_prefix: None,
            unsigned: false,
            input,
            output,
            errors,
            pagination,
        })
    }

    fn pagination(
        &self,
        id: &str,
        p: &Map<String, Value>,
        input: &Structure,
        output: &Output,
    ) -> Result<Pagination> {
        let get = |k: &str| p.get(k).and_then(Value::as_str).map(str::to_string);
        let (Some(it), Some(ot), Some(items)) =
            (get("inputToken"), get("outputToken"), get("items"))
        else {
            return Err(err(
                self.file,
                id,
                "`smithy.api#paginated` needs inputToken, outputToken and items",
            ));
        };
        let Output::Owned(out) = output else {
            return Err(err(
                self.file,
                id,
                "paginated operation without an output structure",
            ));
        };
        let has = |s: &Structure, m: &str| s.members.iter().any(|x| x.name == m);
        for (s, m, what) in [
            (input, &it, "inputToken"),
            (out, &ot, "outputToken"),
            (out, &items, "items"),
        ] {
            if m.contains('.') {
                return Err(err(
                    self.file,
                    id,
                    format!("nested `{what}` paths are not supported: `{m}`"),
                ));
            }
            if !has(s, m) {
                return Err(err(
                    self.file,
                    id,
                    format!(
                        "`{what}` names `{m}`, which is not a member of {}",
                        s.origin
                    ),
                ));
            }
        }
        let page_size = get("pageSize");
        if let Some(ps) = &page_size
            && !has(input, ps)
        {
            return Err(err(
                self.file,
                id,
                format!("`pageSize` names `{ps}`, which is not an input member"),
            ));
        }
        Ok(Pagination {
            style: PageStyle::Token {
                input: it,
                output: vec![ot],
            },
            page_size: page_size.map(|p| vec![p]),
            items: Some(vec![items]),
        })
    }

    /// Loads a structure shape; `rename` gives operation inputs/outputs their Rust names.
    fn structure(&mut self, id: &str, rename: Option<String>, is_input: bool) -> Result<Structure> {
        let shape = self.get(id, id)?.clone();
        if shape.get("type").and_then(Value::as_str) != Some("structure") {
            return Err(err(self.file, id, "expected a structure shape"));
        }
        let t = traits(&shape);
        let rust_name = rename.unwrap_or_else(|| rust_type_name(local_name(id)));
        self.register_name(&rust_name, id)?;
        let mut members = Vec::new();
        for (mname, m) in shape
            .get("members")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            let at = format!("{id}${mname}");
            let mt = traits(m);
            let tid = target(self.file, &at, m)?;
            let ty = self.resolve(&tid, &mt, &at)?;
            let location = if mt.contains_key("smithy.api#httpLabel") {
                Location::Label
            } else if mt.contains_key("smithy.api#httpQuery") {
                Location::Query
            } else {
                Location::Body
            };
            if location != Location::Body && !(is_input && self.protocol == Protocol::RestJson1) {
                return Err(err(
                    self.file,
                    &at,
                    "HTTP bindings are only supported on restJson1 operation inputs",
                ));
            }
            let wire = match location {
                Location::Query => mt
                    .get("smithy.api#httpQuery")
                    .and_then(Value::as_str)
                    .unwrap_or(mname)
                    .to_string(),
                _ if self.protocol == Protocol::RestJson1 => mt
                    .get("smithy.api#jsonName")
                    .and_then(Value::as_str)
                    .unwrap_or(mname)
                    .to_string(),
                _ => mname.clone(),
            };
            let mut docs = doc_of(&mt);
            if docs.is_empty() {
                docs = self
                    .shapes
                    .get(&tid)
                    .map(|s| doc_of(&traits(s)))
                    .unwrap_or_default();
            }
            members.push(Member {
                rust_name: field_name(mname),
                member_name: mname.clone(),
                docs,
                required: mt.contains_key("smithy.api#required") || location == Location::Label,
                ..Member::new(wire, ty, location)
            });
        }
        let st = Structure {
            docs: doc_of(&t),
            members,
            is_error: t.contains_key("smithy.api#error"),
            ..Structure::new(rust_name.clone(), id)
        };
        self.named.insert(rust_name, Shape::Structure(st.clone()));
        Ok(st)
    }

    fn resolve(&mut self, id: &str, member_traits: &Map<String, Value>, at: &str) -> Result<Type> {
        let (ty, shape_traits) =
            if let Some((_, simple)) = SIMPLE_PRELUDE.iter().find(|(p, _)| *p == id) {
                (simple.to_string(), Map::new())
            } else if id.starts_with("smithy.api#") {
                return Err(err(
                    self.file,
                    at,
                    format!("unsupported prelude shape `{id}`"),
                ));
            } else {
                let shape = self.get(id, at)?;
                (
                    shape
                        .get("type")
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_string(),
                    traits(shape),
                )
            };
        // Member traits override the target's.
        let mut all = shape_traits.clone();
        for (k, v) in member_traits {
            all.insert(k.clone(), v.clone());
        }
        let mut constraints = Constraints::default();
        if let Some(p) = all.get("smithy.api#pattern") {
            let p = p
                .as_str()
                .ok_or_else(|| err(self.file, at, "`smithy.api#pattern` is not a string"))?;
            constraints.pattern = Some(p.to_string());
        }
        if let Some(l) = all.get("smithy.api#length") {
            let loc = format!("{at} (smithy.api#length)");
            constraints.length = Some((
                unsigned(self.file, &loc, l.get("min"))?,
                unsigned(self.file, &loc, l.get("max"))?,
            ));
        }
        if let Some(r) = all.get("smithy.api#range") {
            constraints.range = Some((num(r.get("min")), num(r.get("max"))));
        }
        let kind = match ty.as_str() {
            "string" => {
                if all.contains_key("smithy.api#enum") {
                    return Err(err(
                        self.file,
                        id,
                        "Smithy 1.0 `@enum` strings are not supported; use an enum shape",
                    ));
                }
                Kind::String
            }
            "integer" | "short" | "byte" => Kind::Integer,
            "long" => Kind::Long,
            "float" => Kind::Float,
            "double" => Kind::Double,
            "boolean" => Kind::Boolean,
            "document" => Kind::Document,
            "timestamp" => {
                let format = match all.get("smithy.api#timestampFormat").map(|v| v.as_str()) {
                    None => TimestampFormat::EpochSeconds, // default for JSON bodies in all AWS JSON protocols
                    Some(Some("epoch-seconds")) => TimestampFormat::EpochSeconds,
                    Some(Some("date-time")) => TimestampFormat::DateTime,
                    Some(other) => {
                        return Err(err(
                            self.file,
                            at,
                            format!("unsupported `smithy.api#timestampFormat` value {other:?}"),
                        ));
                    }
                };
                Kind::Timestamp(format)
            }
            "list" | "set" => {
                let shape = self.get(id, at)?.clone();
                let member = shape
                    .get("member")
                    .ok_or_else(|| err(self.file, id, "list without `member`"))?;
                let mt = traits(member);
                let inner = self.resolve(
                    &target(self.file, id, member)?,
                    &mt,
                    &format!("{id}$member"),
                )?;
                if matches!(inner.kind, Kind::Timestamp(_)) {
                    return Err(err(self.file, id, "lists of timestamps are not supported"));
                }
                Kind::List(Box::new(inner))
            }
            "map" => {
                let shape = self.get(id, at)?.clone();
                let key = shape
                    .get("key")
                    .ok_or_else(|| err(self.file, id, "map without `key`"))?;
                let kt = self.resolve(
                    &target(self.file, id, key)?,
                    &traits(key),
                    &format!("{id}$key"),
                )?;
                if !matches!(kt.kind, Kind::String) {
                    return Err(err(
                        self.file,
                        id,
                        "only maps with string keys are supported",
                    ));
                }
                let value = shape
                    .get("value")
                    .ok_or_else(|| err(self.file, id, "map without `value`"))?;
                let vt = self.resolve(
                    &target(self.file, id, value)?,
                    &traits(value),
                    &format!("{id}$value"),
                )?;
                Kind::Map(Box::new(vt))
            }
            "structure" => {
                let st = if let Some(Shape::Structure(s)) =
                    self.named.get(&rust_type_name(local_name(id)))
                {
                    s.clone()
                } else {
                    self.structure(id, None, false)?
                };
                Kind::Struct(st.rust_name)
            }
            "enum" => Kind::Enum(self.enumeration(id)?),
            "intEnum" | "union" | "blob" | "bigInteger" | "bigDecimal" | "resource"
            | "operation" | "service" => {
                return Err(err(
                    self.file,
                    id,
                    format!("unsupported construct: `{ty}` shape"),
                ));
            }
            other => return Err(err(self.file, id, format!("unknown shape type {other:?}"))),
        };
        Ok(Type {
            constraints,
            ..Type::new(kind)
        })
    }

    fn enumeration(&mut self, id: &str) -> Result<String> {
        let rust_name = rust_type_name(local_name(id));
        if self.named.contains_key(&rust_name) {
            return Ok(rust_name);
        }
        self.register_name(&rust_name, id)?;
        let shape = self.get(id, id)?.clone();
        let mut values = Vec::new();
        let mut seen = BTreeMap::new();
        for (mname, m) in shape
            .get("members")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            let mt = traits(m);
            let value = match mt.get("smithy.api#enumValue") {
                None => mname.clone(),
                Some(Value::String(s)) => s.clone(),
                Some(other) => {
                    return Err(err(
                        self.file,
                        &format!("{id}${mname}"),
                        format!("`smithy.api#enumValue` must be a string, found {other}"),
                    ));
                }
            };
            let variant = variant_name(&value);
            if let Some(prev) = seen.insert(variant.clone(), value.clone()) {
                return Err(err(
                    self.file,
                    id,
                    format!("values {prev:?} and {value:?} both map to variant `{variant}`"),
                ));
            }
            values.push(EnumValue {
                value,
                variant,
                docs: doc_of(&mt),
            });
        }
        if values.is_empty() {
            return Err(err(self.file, id, "enum without members"));
        }
        self.named.insert(
            rust_name.clone(),
            Shape::Enum(Enum {
                rust_name: rust_name.clone(),
                docs: doc_of(&traits(&shape)),
                values,
            }),
        );
        Ok(rust_name)
    }
}

/// Rust type name for a shape name: kept when it already is UpperCamelCase.
pub fn rust_type_name(name: &str) -> String {
    use heck::ToUpperCamelCase;
    let n = name.trim_start_matches('_');
    if n.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && n.chars().all(|c| c.is_ascii_alphanumeric())
    {
        n.to_string()
    } else {
        n.to_upper_camel_case()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(shapes: Value) -> String {
        serde_json::json!({"smithy": "2.0", "shapes": shapes}).to_string()
    }

    fn base() -> Value {
        serde_json::json!({
            "ex#Svc": {"type": "service", "version": "1", "operations": [{"target": "ex#Op"}],
                "traits": {"aws.protocols#awsJson1_1": {}, "aws.auth#sigv4": {"name": "ex"},
                           "aws.api#service": {"sdkId": "Ex", "endpointPrefix": "ex"}}},
            "ex#Op": {"type": "operation", "input": {"target": "ex#In"}, "output": {"target": "ex#Out"}},
            "ex#In": {"type": "structure", "members": {"Id": {"target": "smithy.api#String", "traits": {"smithy.api#required": {}}}}},
            "ex#Out": {"type": "structure", "members": {}}
        })
    }

    #[test]
    fn loads_minimal_service() {
        let s = load("specs/ex.smithy.json", &spec(base()), None).unwrap();
        assert_eq!(s.operations.len(), 1);
        assert_eq!(s.operations[0].input.rust_name, "OpInput");
        assert!(s.operations[0].input.members[0].required);
        assert_eq!(
            s.protocol,
            Protocol::AwsJson1_1 {
                target_prefix: "Svc".into()
            }
        );
    }

    #[test]
    fn dangling_reference_names_file_and_shape() {
        let mut shapes = base();
        shapes["ex#In"]["members"]["Id"]["target"] = "ex#Missing".into();
        let e = load("specs/ex.smithy.json", &spec(shapes), None)
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("specs/ex.smithy.json: ex#In$Id:"), "{e}");
        assert!(e.contains("dangling shape reference `ex#Missing`"), "{e}");
    }

    #[test]
    fn unknown_trait_value_is_reported() {
        let mut shapes = base();
        shapes["ex#Err"] = serde_json::json!({"type": "structure", "members": {}, "traits": {"smithy.api#error": "sometimes"}});
        shapes["ex#Op"]["errors"] = serde_json::json!([{"target": "ex#Err"}]);
        let e = load("specs/ex.smithy.json", &spec(shapes), None)
            .unwrap_err()
            .to_string();
        assert!(e.contains("ex#Err"), "{e}");
        assert!(e.contains("\"sometimes\""), "{e}");
    }

    #[test]
    fn unknown_trait_is_reported() {
        let mut shapes = base();
        shapes["ex#In"]["traits"] = serde_json::json!({"smithy.api#mystery": {}});
        let e = load("specs/ex.smithy.json", &spec(shapes), None)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("ex#In: unknown trait `smithy.api#mystery`"),
            "{e}"
        );
    }

    #[test]
    fn unsupported_construct_is_reported() {
        let mut shapes = base();
        shapes["ex#U"] =
            serde_json::json!({"type": "union", "members": {"a": {"target": "smithy.api#String"}}});
        shapes["ex#In"]["members"]["U"] = serde_json::json!({"target": "ex#U"});
        let e = load("specs/ex.smithy.json", &spec(shapes), None)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("ex#U: unsupported construct: `union` shape"),
            "{e}"
        );
    }

    #[test]
    fn operation_filter_keeps_the_named_operations() {
        let mut shapes = base();
        shapes["ex#Svc"]["operations"] =
            serde_json::json!([{"target": "ex#Op"}, {"target": "ex#Other"}]);
        shapes["ex#Other"] = serde_json::json!({"type": "operation", "input": {"target": "ex#In"}, "output": {"target": "ex#Out"}});
        let all = load("specs/ex.smithy.json", &spec(shapes.clone()), None).unwrap();
        assert_eq!(all.operations.len(), 2);
        let only = ["Other".to_string()];
        let s = load("specs/ex.smithy.json", &spec(shapes.clone()), Some(&only)).unwrap();
        let names: Vec<&str> = s.operations.iter().map(|o| o.name.as_str()).collect();
        assert_eq!(names, ["Other"]);
        let e = load(
            "specs/ex.smithy.json",
            &spec(shapes),
            Some(&["Nope".to_string()]),
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.starts_with("specs/ex.smithy.json: ex#Svc: the operation filter names `Nope`"),
            "{e}"
        );
    }

    #[test]
    fn invalid_json_is_reported() {
        let e = load("specs/ex.smithy.json", "{", None)
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("specs/ex.smithy.json: /: not valid JSON"),
            "{e}"
        );
    }
}
