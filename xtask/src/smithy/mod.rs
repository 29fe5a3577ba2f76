//! Smithy 2.0 JSON AST front-end: a service shape and the operations it reaches -> [`Service`].
//!
//! - [`ast`]: the model as typed Rust values, in spec order;
//! - [`traits`]: what every known trait does to a JSON-protocol client;
//! - this module: the service (protocol, auth, endpoint) and its operations (own and
//!   through resources);
//! - [`shapes`]: the named shapes, members and types the operations reach.
//!
//! Named shapes (structures, unions, enums) are resolved from a work queue, each once: a
//! member that targets one gets its Rust name at once and the shape is built later, so
//! recursive models terminate and the Rust stack never grows with the model. Only lists and
//! maps are resolved inline, with a depth limit.
//!
//! Spec problems are [`SpecError`]s naming the file and the shape (or member) id. The
//! cross-cutting rules (identifier sanitising, boxing, pagination paths, patterns, labels)
//! belong to [`crate::check`], which runs after this front-end.

pub mod ast;
mod rules;
mod shapes;
pub mod traits;

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::rc::Rc;

use indexmap::IndexMap;
use serde_json::Value;

use crate::docs::from_html;
use crate::ir::*;
use ast::{MemberRef, Ref, Traits};
use shapes::retryable_of;

type Result<T> = std::result::Result<T, SpecError>;

/// How deep lists and maps may nest inside one another (named shapes do not count).
const MAX_INLINE_DEPTH: usize = 32;

fn err(file: &str, location: &str, message: impl Into<String>) -> SpecError {
    SpecError {
        file: file.into(),
        location: location.into(),
        message: message.into(),
    }
}

/// Local name of a shape id: `ns#Name` -> `Name`, `ns#Name$member` -> `Name$member`.
fn local_name(id: &str) -> &str {
    id.split_once('#').map(|(_, n)| n).unwrap_or(id)
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

/// The prelude's simple shapes and the shape type each stands for.
fn prelude(id: &str) -> Option<&'static str> {
    Some(match id {
        "smithy.api#String" => "string",
        "smithy.api#Blob" => "blob",
        "smithy.api#Boolean" | "smithy.api#PrimitiveBoolean" => "boolean",
        "smithy.api#Byte" | "smithy.api#PrimitiveByte" => "byte",
        "smithy.api#Short" | "smithy.api#PrimitiveShort" => "short",
        "smithy.api#Integer" | "smithy.api#PrimitiveInteger" => "integer",
        "smithy.api#Long" | "smithy.api#PrimitiveLong" => "long",
        "smithy.api#Float" | "smithy.api#PrimitiveFloat" => "float",
        "smithy.api#Double" | "smithy.api#PrimitiveDouble" => "double",
        "smithy.api#BigInteger" => "bigInteger",
        "smithy.api#BigDecimal" => "bigDecimal",
        "smithy.api#Timestamp" => "timestamp",
        "smithy.api#Document" => "document",
        _ => return None,
    })
}

const UNIT: &str = "smithy.api#Unit";

/// Where a structure is used: decides which HTTP binding traits apply to its members.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ctx {
    Input,
    Output,
    Error,
    /// Inside another shape: everything is in the JSON body.
    Nested,
}

/// Parses a Smithy JSON AST document. With `only`, takes just those operations (by local
/// name) and resolves only the shapes they reach.
pub fn load(file: &str, text: &str, only: Option<&[String]>) -> Result<Service> {
    parse(file, text)?.service(only)
}

/// A parsed model (`apply` statements merged), from which services can be built several
/// times (one operation at a time, say) without parsing again.
pub struct Parsed {
    file: String,
    shapes: IndexMap<String, Rc<ast::Shape>>,
    service_id: String,
}

impl Parsed {
    /// Local names of every operation of the service (own and through resources), in
    /// spec order.
    #[cfg(test)]
    pub fn operation_names(&self) -> Result<Vec<String>> {
        let mut loader = self.loader();
        let service = loader.shape(&self.service_id, &self.service_id)?;
        Ok(loader
            .operation_ids(&self.service_id, &service)?
            .iter()
            .map(|id| local_name(id).to_string())
            .collect())
    }

    /// The service with all its operations, or only those named in `only`.
    pub fn service(&self, only: Option<&[String]>) -> Result<Service> {
        self.loader().service(&self.service_id, only)
    }

    fn loader(&self) -> Loader<'_> {
        Loader {
            file: &self.file,
            shapes: self.shapes.clone(),
            flat: HashSet::new(),
            checked: HashSet::new(),
            protocol: Protocol::RestJson1,
            names: HashMap::new(),
            taken: HashMap::new(),
            queue: VecDeque::new(),
            out: BTreeMap::new(),
            inline_path: Vec::new(),
            renames: HashMap::new(),
        }
    }
}

/// Parses a model and finds its one service shape.
pub fn parse(file: &str, text: &str) -> Result<Parsed> {
    let model: ast::Model = serde_json::from_str(text).map_err(|e| {
        if e.is_syntax() || e.is_eof() {
            err(file, "/", format!("not valid JSON: {e}"))
        } else {
            err(file, "/shapes", format!("not a Smithy JSON AST model: {e}"))
        }
    })?;
    match model.smithy.as_deref() {
        Some(v) if v.starts_with('2') || v.starts_with('1') => {}
        other => {
            return Err(err(
                file,
                "/smithy",
                format!("expected Smithy IDL version 1.x or 2.x, found {other:?}"),
            ));
        }
    }
    let mut shapes: IndexMap<String, Rc<ast::Shape>> = IndexMap::new();
    let mut applies = Vec::new();
    for (id, shape) in model.shapes.0 {
        if !id.contains('#') {
            return Err(err(
                file,
                &id,
                "shape id has no namespace (`namespace#Name`)",
            ));
        }
        if shape.kind == ast::APPLY {
            applies.push((id, shape.traits));
        } else {
            shapes.insert(id, Rc::new(shape));
        }
    }
    apply(file, &mut shapes, applies)?;

    let services: Vec<&String> = shapes
        .iter()
        .filter(|(_, s)| s.kind == "service")
        .map(|(id, _)| id)
        .collect();
    let service_id = match services.as_slice() {
        [one] => (*one).clone(),
        [] => return Err(err(file, "/shapes", "no service shape")),
        more => {
            return Err(err(
                file,
                "/shapes",
                format!(
                    "more than one service shape: {}",
                    more.iter()
                        .map(|s| s.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        }
    };
    Ok(Parsed {
        file: file.to_string(),
        shapes,
        service_id,
    })
}

/// Merges the traits of `apply` statements into their targets (a shape or `shape$member`).
fn apply(
    file: &str,
    shapes: &mut IndexMap<String, Rc<ast::Shape>>,
    applies: Vec<(String, Traits)>,
) -> Result<()> {
    for (id, traits) in applies {
        let (shape_id, member) = match id.split_once('$') {
            Some((s, m)) => (s, Some(m)),
            None => (id.as_str(), None),
        };
        let Some(shape) = shapes.get_mut(shape_id) else {
            return Err(err(
                file,
                &id,
                format!("`apply` targets `{shape_id}`, which is not in the model"),
            ));
        };
        let shape = Rc::make_mut(shape);
        let target = match member {
            None => &mut shape.traits,
            Some(m) => match shape.members.get_mut(m) {
                Some(member) => &mut member.traits,
                None => {
                    return Err(err(
                        file,
                        &id,
                        format!("`apply` targets member `{m}`, which `{shape_id}` does not have"),
                    ));
                }
            },
        };
        for (k, v) in traits {
            target.insert(k, v);
        }
    }
    Ok(())
}

struct Loader<'a> {
    file: &'a str,
    shapes: IndexMap<String, Rc<ast::Shape>>,
    /// Shapes whose mixins have been copied in.
    flat: HashSet<String>,
    /// Shapes and members whose traits have been judged (see [`traits::classify`]).
    checked: HashSet<String>,
    protocol: Protocol,
    /// Shape id -> Rust type name, for every named shape reached so far.
    names: HashMap<String, String>,
    /// Rust type name -> shape id.
    taken: HashMap<String, String>,
    /// Named shapes reached but not built yet.
    queue: VecDeque<(String, Ctx)>,
    out: BTreeMap<String, Shape>,
    /// Lists and maps being resolved inline (to report a cycle without a structure).
    inline_path: Vec<String>,
    /// The service's `rename` map: shape id -> local name to use.
    renames: HashMap<String, String>,
}

fn doc_of(traits: &Traits) -> String {
    traits
        .get("smithy.api#documentation")
        .and_then(Value::as_str)
        .map(from_html)
        .unwrap_or_default()
}

fn deprecated_of(traits: &Traits) -> Option<Deprecated> {
    let d = traits.get("smithy.api#deprecated")?;
    Some(Deprecated {
        message: d.get("message").and_then(Value::as_str).map(str::to_string),
        since: d.get("since").and_then(Value::as_str).map(str::to_string),
    })
}

/// The resource lifecycle and operation lists, in the order Smithy documents them.
fn resource_operations(r: &ast::Shape) -> impl Iterator<Item = &Ref> {
    [&r.create, &r.put, &r.read, &r.update, &r.delete, &r.list]
        .into_iter()
        .flatten()
        .chain(r.operations.iter())
        .chain(r.collection_operations.iter())
}

/// Up to five names close to `wanted` (same letters ignoring case, one contains the other,
/// or a small edit distance).
fn close_matches<'a>(wanted: &str, names: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let w = wanted.to_ascii_lowercase();
    let mut scored: Vec<(usize, &str)> = names
        .filter_map(|n| {
            let l = n.to_ascii_lowercase();
            let d = edit_distance(&w, &l);
            let close = d <= 3.max(w.len() / 4) || l.contains(&w) || w.contains(&l);
            close.then_some((d, n))
        })
        .collect();
    scored.sort();
    scored.into_iter().take(5).map(|(_, n)| n).collect()
}

/// Puts the references of `from` not yet in `list` before it, in order.
fn prepend(list: &mut Vec<Ref>, from: &[Ref]) {
    let mut out: Vec<Ref> = from
        .iter()
        .filter(|r| !list.iter().any(|l| l.target == r.target))
        .cloned()
        .collect();
    out.append(list);
    *list = out;
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != *cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

impl Loader<'_> {
    fn err(&self, at: &str, message: impl Into<String>) -> SpecError {
        err(self.file, at, message)
    }

    /// The shape `id` with its mixins copied in; `from` is named when it does not exist.
    fn shape(&mut self, id: &str, from: &str) -> Result<Rc<ast::Shape>> {
        if !self.shapes.contains_key(id) {
            return Err(self.err(from, format!("dangling shape reference `{id}`")));
        }
        self.flatten(id)?;
        match self.shapes.get(id) {
            Some(s) => Ok(s.clone()),
            None => Err(self.err(from, format!("dangling shape reference `{id}`"))),
        }
    }

    /// Copies the members and traits of `id`'s mixins (transitively) into it, as Smithy
    /// does: mixin members first, in mixin order; the shape's own members and traits win.
    /// Iterative, with cycle detection.
    fn flatten(&mut self, id: &str) -> Result<()> {
        let mut stack = vec![(id.to_string(), false)];
        let mut on_path: HashSet<String> = HashSet::new();
        while let Some((cur, expanded)) = stack.pop() {
            if self.flat.contains(&cur) {
                continue;
            }
            let Some(shape) = self.shapes.get(&cur).cloned() else {
                return Err(self.err(id, format!("dangling mixin reference `{cur}`")));
            };
            if shape.mixins.is_empty() {
                self.flat.insert(cur);
                continue;
            }
            let mut mixin_ids = Vec::new();
            for m in &shape.mixins {
                match &m.target {
                    Some(t) => mixin_ids.push(t.clone()),
                    None => return Err(self.err(&cur, "mixin reference without a `target`")),
                }
            }
            if !expanded {
                on_path.insert(cur.clone());
                stack.push((cur.clone(), true));
                for m in mixin_ids {
                    if on_path.contains(&m) {
                        return Err(self.err(&cur, format!("mixin cycle through `{m}`")));
                    }
                    if !self.flat.contains(&m) {
                        stack.push((m, false));
                    }
                }
                continue;
            }
            let mut members: IndexMap<String, MemberRef> = IndexMap::new();
            let mut traits = Traits::new();
            for m in &mixin_ids {
                let Some(mixin) = self.shapes.get(m) else {
                    return Err(self.err(&cur, format!("dangling mixin reference `{m}`")));
                };
                let local: Vec<&str> = mixin
                    .traits
                    .get("smithy.api#mixin")
                    .and_then(|v| v.get("localTraits"))
                    .and_then(Value::as_array)
                    .map(|a| a.iter().filter_map(Value::as_str).collect())
                    .unwrap_or_default();
                for (k, v) in &mixin.traits {
                    if k != "smithy.api#mixin" && !local.contains(&k.as_str()) {
                        traits.insert(k.clone(), v.clone());
                    }
                }
                for (name, member) in &mixin.members {
                    members.insert(name.clone(), member.clone());
                }
            }
            for (name, member) in &shape.members {
                match members.get_mut(name) {
                    // A redeclared mixin member keeps its place and target; its traits add up.
                    Some(existing) => {
                        for (k, v) in &member.traits {
                            existing.traits.insert(k.clone(), v.clone());
                        }
                    }
                    None => {
                        members.insert(name.clone(), member.clone());
                    }
                }
            }
            for (k, v) in &shape.traits {
                traits.insert(k.clone(), v.clone());
            }
            let mut flat = (*shape).clone();
            flat.members = members;
            flat.traits = traits;
            flat.mixins.clear();
            // Operation and service mixins: the lists add up (mixins first), and an unset
            // input or output comes from a mixin.
            for m in mixin_ids.iter().rev() {
                let Some(mixin) = self.shapes.get(m) else {
                    continue;
                };
                flat.input = flat.input.take().or_else(|| mixin.input.clone());
                flat.output = flat.output.take().or_else(|| mixin.output.clone());
                prepend(&mut flat.errors, &mixin.errors);
                prepend(&mut flat.operations, &mixin.operations);
                prepend(&mut flat.resources, &mixin.resources);
            }
            self.shapes.insert(cur.clone(), Rc::new(flat));
            on_path.remove(&cur);
            self.flat.insert(cur);
        }
        Ok(())
    }

    /// Judges the traits at `at` once (see [`traits`]); `skip` are handled by the caller.
    fn check_traits(&mut self, at: &str, t: &Traits, skip: &[&str]) -> Result<()> {
        if !self.checked.insert(at.to_string()) {
            return Ok(());
        }
        for (name, value) in t {
            if skip.contains(&name.as_str()) {
                continue;
            }
            if let traits::Use::Rejected(why) = traits::classify(name, value) {
                return Err(self.err(at, format!("trait `{name}`: {why}")));
            }
        }
        Ok(())
    }

    fn target(&self, at: &str, r: Option<&String>) -> Result<String> {
        r.cloned()
            .ok_or_else(|| self.err(at, "reference without a `target`"))
    }

    fn service(&mut self, service_id: &str, only: Option<&[String]>) -> Result<Service> {
        let service = self.shape(service_id, service_id)?;
        let st = &service.traits;
        self.check_traits(service_id, st, traits::PROTOCOL_TRAITS)?;
        self.renames = service
            .rename
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let local = local_name(service_id);

        let protocol = if st.contains_key("aws.protocols#awsJson1_0") {
            Protocol::AwsJson1_0 {
                target_prefix: local.to_string(),
            }
        } else if st.contains_key("aws.protocols#awsJson1_1") {
            Protocol::AwsJson1_1 {
                target_prefix: local.to_string(),
            }
        } else if st.contains_key("aws.protocols#restJson1") {
            Protocol::RestJson1
        } else {
            let other: Vec<&str> = st
                .keys()
                .filter(|k| traits::PROTOCOL_TRAITS.contains(&k.as_str()))
                .map(String::as_str)
                .collect();
            return Err(self.err(
                service_id,
                if other.is_empty() {
                    "no protocol trait; supported: aws.protocols#awsJson1_0, awsJson1_1, restJson1"
                        .to_string()
                } else {
                    format!(
                        "unsupported protocol {}; supported: aws.protocols#awsJson1_0, awsJson1_1, restJson1",
                        other.join(", ")
                    )
                },
            ));
        };
        self.protocol = protocol.clone();

        let aws_service = match st.get("aws.api#service") {
            None => None,
            Some(Value::Object(o)) => Some(o),
            Some(_) => {
                return Err(self.err(service_id, "`aws.api#service` is not an object"));
            }
        };
        let sdk_id = match aws_service.map(|o| o.get("sdkId")) {
            Some(Some(Value::String(s))) => s.clone(),
            Some(_) => {
                return Err(self.err(service_id, "`aws.api#service` needs a string `sdkId`"));
            }
            None => local.to_string(),
        };
        let endpoint_prefix = aws_service
            .and_then(|o| o.get("endpointPrefix"))
            .and_then(Value::as_str)
            .map(str::to_string)
            .unwrap_or_else(|| sdk_id.to_lowercase().replace(' ', "-"));
        let auth = self.auth(service_id, st)?;
        let dual_stack_only = st.contains_key("aws.endpoints#dualStackOnlyEndpoints");
        let endpoint = if let Some(set) = st.get("smithy.rules#endpointRuleSet") {
            Endpoint::Rules {
                prefix: endpoint_prefix.clone(),
                rules: rules::rule_set(set).map_err(|e| {
                    self.err(service_id, format!("`smithy.rules#endpointRuleSet` {e}"))
                })?,
            }
        } else if aws_service.is_some() {
            Endpoint::AwsRegional {
                prefix: endpoint_prefix.clone(),
                dual_stack_only,
            }
        } else {
            Endpoint::BaseUrl { default: None }
        };
        let service_paginated = match st.get("smithy.api#paginated") {
            None => None,
            Some(Value::Object(o)) => Some(o.clone()),
            Some(_) => {
                return Err(self.err(service_id, "`smithy.api#paginated` is not an object"));
            }
        };

        let op_ids = self.operation_ids(service_id, &service)?;
        let selected: Vec<String> = match only {
            None => op_ids,
            Some(names) => {
                let mut out = Vec::new();
                for n in names {
                    match op_ids.iter().find(|id| local_name(id) == n) {
                        Some(id) => {
                            if !out.contains(id) {
                                out.push(id.clone());
                            }
                        }
                        None => {
                            let close = close_matches(n, op_ids.iter().map(|i| local_name(i)));
                            return Err(self.err(
                                service_id,
                                if close.is_empty() {
                                    format!("the service has no operation `{n}`")
                                } else {
                                    format!(
                                        "the service has no operation `{n}`; close: {}",
                                        close.join(", ")
                                    )
                                },
                            ));
                        }
                    }
                }
                // Spec order, whatever the order of `only`.
                op_ids.into_iter().filter(|id| out.contains(id)).collect()
            }
        };
        if selected.is_empty() {
            return Err(self.err(service_id, "service has no operations"));
        }

        let mut common_errors = Vec::new();
        for e in &service.errors {
            common_errors.push(self.target(service_id, e.target.as_ref())?);
        }
        let mut operations = Vec::new();
        let mut throttling = Vec::new();
        for id in &selected {
            operations.push(self.operation(
                id,
                service_paginated.as_ref(),
                &common_errors,
                &mut throttling,
            )?);
            self.drain()?;
        }
        throttling.sort();
        throttling.dedup();

        Ok(Service {
            spec_path: self.file.to_string(),
            crate_name: String::new(),
            name: endpoint_prefix,
            title: st
                .get("smithy.api#title")
                .and_then(Value::as_str)
                .unwrap_or(&sdk_id)
                .to_string(),
            sdk_id,
            version: service.version.clone().unwrap_or_default(),
            docs: doc_of(st),
            protocol,
            auth,
            endpoint,
            path_prefix: String::new(),
            throttling_codes: throttling,
            operations,
            shapes: std::mem::take(&mut self.out),
        })
    }

    /// SigV4 when the service offers it (first in its `smithy.api#auth` list or, without a
    /// list, among its auth traits), else bearer tokens.
    fn auth(&self, service_id: &str, st: &Traits) -> Result<Auth> {
        let sigv4 = match st.get("aws.auth#sigv4") {
            None => None,
            Some(v) => Some(
                v.get("name")
                    .and_then(Value::as_str)
                    .ok_or_else(|| self.err(service_id, "`aws.auth#sigv4` needs a string `name`"))?
                    .to_string(),
            ),
        };
        let bearer = st.contains_key("smithy.api#httpBearerAuth");
        let listed: Option<Vec<&str>> = match st.get("smithy.api#auth") {
            None => None,
            Some(Value::Array(a)) => Some(a.iter().filter_map(Value::as_str).collect()),
            Some(_) => return Err(self.err(service_id, "`smithy.api#auth` is not a list")),
        };
        let offers = |scheme: &str| listed.as_ref().is_none_or(|l| l.contains(&scheme));
        match (sigv4, bearer) {
            (Some(name), _) if offers("aws.auth#sigv4") => Ok(Auth::SigV4 { signing_name: name }),
            (_, true) if offers("smithy.api#httpBearerAuth") => Ok(Auth::Bearer),
            _ => {
                let schemes = listed
                    .map(|l| l.join(", "))
                    .unwrap_or_else(|| "none".to_string());
                Err(self.err(
                    service_id,
                    format!(
                        "no supported auth scheme (aws.auth#sigv4 with a `name`, or \
                         smithy.api#httpBearerAuth); the service offers: {schemes}"
                    ),
                ))
            }
        }
    }

    /// Every operation of the service: its own list, then those of its resources (and
    /// their child resources), each once.
    fn operation_ids(&mut self, service_id: &str, service: &ast::Shape) -> Result<Vec<String>> {
        let mut ops: Vec<String> = Vec::new();
        let mut seen_ops = HashSet::new();
        for r in &service.operations {
            let id = self.target(service_id, r.target.as_ref())?;
            if seen_ops.insert(id.clone()) {
                ops.push(id);
            }
        }
        let mut resources: VecDeque<String> = VecDeque::new();
        for r in &service.resources {
            resources.push_back(self.target(service_id, r.target.as_ref())?);
        }
        let mut seen_resources = HashSet::new();
        while let Some(rid) = resources.pop_front() {
            if !seen_resources.insert(rid.clone()) {
                continue;
            }
            let r = self.shape(&rid, service_id)?;
            if r.kind != "resource" {
                return Err(self.err(&rid, format!("listed as a resource but is a {}", r.kind)));
            }
            for op in resource_operations(&r) {
                let id = self.target(&rid, op.target.as_ref())?;
                if seen_ops.insert(id.clone()) {
                    ops.push(id);
                }
            }
            for child in &r.resources {
                resources.push_back(self.target(&rid, child.target.as_ref())?);
            }
        }
        Ok(ops)
    }

    fn operation(
        &mut self,
        id: &str,
        service_paginated: Option<&serde_json::Map<String, Value>>,
        common_errors: &[String],
        throttling: &mut Vec<String>,
    ) -> Result<Operation> {
        let op = self.shape(id, id)?;
        if op.kind != "operation" {
            return Err(self.err(id, format!("listed as an operation but is a {}", op.kind)));
        }
        let t = &op.traits;
        self.check_traits(id, t, &[])?;
        let name = local_name(id).to_string();
        let rest = self.protocol == Protocol::RestJson1;

        let (http_method, path, query_literals, success_status) =
            match (rest, t.get("smithy.api#http")) {
                (true, Some(http)) => self.http_trait(id, http)?,
                (true, None) => {
                    return Err(self.err(id, "restJson1 operation without `smithy.api#http`"));
                }
                // The awsJson protocols ignore @http: always POST /.
                (false, _) => ("POST".to_string(), "/".to_string(), Vec::new(), None),
            };

        let input = match &op.input {
            Some(r) if r.target.as_deref() != Some(UNIT) => {
                let tid = self.target(id, r.target.as_ref())?;
                self.owned_structure(&tid, id, format!("{name}Input"), Ctx::Input)?
            }
            Some(_) | None => Structure::new(format!("{name}Input"), id),
        };
        let output = match &op.output {
            Some(r) if r.target.as_deref() != Some(UNIT) => {
                let tid = self.target(id, r.target.as_ref())?;
                Output::Owned(self.owned_structure(
                    &tid,
                    id,
                    format!("{name}Output"),
                    Ctx::Output,
                )?)
            }
            Some(_) | None => Output::Empty,
        };

        let mut error_ids = Vec::new();
        for e in &op.errors {
            error_ids.push(self.target(id, e.target.as_ref())?);
        }
        for e in common_errors {
            if !error_ids.contains(e) {
                error_ids.push(e.clone());
            }
        }
        let mut errors = Vec::new();
        for eid in error_ids {
            errors.push(self.error_ref(&eid, id, throttling)?);
        }

        let pagination = match t.get("smithy.api#paginated") {
            None => None,
            Some(Value::Object(p)) => {
                let mut merged = service_paginated.cloned().unwrap_or_default();
                for (k, v) in p {
                    merged.insert(k.clone(), v.clone());
                }
                Some(self.pagination(id, &merged)?)
            }
            Some(_) => return Err(self.err(id, "`smithy.api#paginated` is not an object")),
        };

        let host_prefix = match t.get("smithy.api#endpoint") {
            None => None,
            Some(v) => Some(
                v.get("hostPrefix")
                    .and_then(Value::as_str)
                    .ok_or_else(|| {
                        self.err(id, "`smithy.api#endpoint` needs a string `hostPrefix`")
                    })?
                    .to_string(),
            ),
        };
        // `@auth([])`, or only the `noAuth` scheme: sent without credentials.
        let unsigned = t.contains_key("smithy.api#optionalAuth")
            || t.get("smithy.api#auth")
                .and_then(Value::as_array)
                .is_some_and(|a| a.iter().all(|s| s.as_str() == Some("smithy.api#noAuth")));
        let readonly = t.contains_key("smithy.api#readonly") || (rest && http_method == "GET");

        Ok(Operation {
            method_name: field_name(&name),
            type_name: rust_type_name(&name),
            name,
            docs: doc_of(t),
            http_method,
            path,
            query_literals,
            success_status,
            readonly,
            idempotent: readonly || t.contains_key("smithy.api#idempotent"),
            deprecated: deprecated_of(t),
            host_prefix,
            unsigned,
            security: Vec::new(),
            upgrade: false,
            success_statuses: Vec::new(),
            request_media_type: None,
            accept: None,
            input,
            output,
            errors,
            pagination,
        })
    }

    /// `smithy.api#http`: method, path with labels, constant query literals, success code.
    #[allow(clippy::type_complexity)]
    fn http_trait(
        &self,
        id: &str,
        http: &Value,
    ) -> Result<(String, String, Vec<(String, String)>, Option<u16>)> {
        let method = http
            .get("method")
            .and_then(Value::as_str)
            .ok_or_else(|| self.err(id, "`smithy.api#http` needs a string `method`"))?;
        let uri = http
            .get("uri")
            .and_then(Value::as_str)
            .ok_or_else(|| self.err(id, "`smithy.api#http` needs a string `uri`"))?;
        if !uri.starts_with('/') {
            return Err(self.err(
                id,
                format!("`smithy.api#http` uri `{uri}` does not start with `/`"),
            ));
        }
        let (path, query) = match uri.split_once('?') {
            Some((p, q)) => (p, Some(q)),
            None => (uri, None),
        };
        let mut literals = Vec::new();
        for pair in query.into_iter().flat_map(|q| q.split('&')) {
            if pair.is_empty() {
                continue;
            }
            if pair.contains('{') {
                return Err(self.err(id, format!("label in the query part of uri `{uri}`")));
            }
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            literals.push((k.to_string(), v.to_string()));
        }
        let status = match http.get("code") {
            None => None,
            Some(c) => {
                let code = c
                    .as_u64()
                    .filter(|c| (100..600).contains(c))
                    .ok_or_else(|| {
                        self.err(
                            id,
                            format!("`smithy.api#http` code {c} is not an HTTP status"),
                        )
                    })? as u16;
                (code != 200).then_some(code)
            }
        };
        Ok((method.to_string(), path.to_string(), literals, status))
    }

    fn error_ref(&mut self, eid: &str, op: &str, throttling: &mut Vec<String>) -> Result<ErrorRef> {
        let shape = self.shape(eid, op)?;
        if shape.kind != "structure" {
            return Err(self.err(
                eid,
                format!("operation error is a {}, not a structure", shape.kind),
            ));
        }
        let et = &shape.traits;
        let default_status = match et.get("smithy.api#error") {
            Some(Value::String(s)) if s == "client" => 400,
            Some(Value::String(s)) if s == "server" => 500,
            None => {
                return Err(self.err(eid, "operation error without `smithy.api#error` trait"));
            }
            Some(other) => {
                return Err(self.err(
                    eid,
                    format!("`smithy.api#error` must be \"client\" or \"server\", found {other}"),
                ));
            }
        };
        let status = match et.get("smithy.api#httpError") {
            None => default_status,
            Some(v) => v
                .as_u64()
                .filter(|s| (400..600).contains(s))
                .ok_or_else(|| {
                    self.err(
                        eid,
                        format!("`smithy.api#httpError` must be a 4xx/5xx status, found {v}"),
                    )
                })? as u16,
        };
        let code = local_name(eid).to_string();
        if retryable_of(et).is_some_and(|r| r.throttling) {
            throttling.push(code.clone());
        }
        let rust = self.named(eid, Ctx::Error);
        Ok(ErrorRef {
            variant: rust.clone(),
            shape: rust,
            matcher: ErrorMatch::Code(code),
            status: Some(status),
            docs: doc_of(et),
        })
    }

    /// `smithy.api#paginated` (already merged with the service's): paths of member names.
    fn pagination(&self, id: &str, p: &serde_json::Map<String, Value>) -> Result<Pagination> {
        let get = |k: &str| -> Result<Option<Vec<String>>> {
            match p.get(k) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::String(s)) => Ok(Some(s.split('.').map(str::to_string).collect())),
                Some(other) => Err(self.err(
                    id,
                    format!("`smithy.api#paginated` `{k}` must be a string, found {other}"),
                )),
            }
        };
        let (Some(input), Some(output)) = (get("inputToken")?, get("outputToken")?) else {
            return Err(self.err(
                id,
                "`smithy.api#paginated` needs `inputToken` and `outputToken` (on the operation or the service)",
            ));
        };
        let [input] = <[String; 1]>::try_from(input).map_err(|_| {
            self.err(
                id,
                "`smithy.api#paginated` `inputToken` must name a top-level input member",
            )
        })?;
        Ok(Pagination {
            style: PageStyle::Token { input, output },
            page_size: get("pageSize")?,
            items: get("items")?,
        })
    }
}
#[cfg(test)]
mod tests;
