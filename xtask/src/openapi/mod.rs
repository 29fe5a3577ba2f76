//! OpenAPI 3.0 front-end: a YAML or JSON document -> [`Service`].
//!
//! - `document`: the document model and its parser (errors carry the JSON pointer).
//! - `refs`: `$ref` resolution (`#/components/<section>/<name>`, iterative, cycle-checked).
//! - `schemas`: schemas -> types and shapes (naming of inline schemas, `allOf` merging,
//!   `oneOf`/`anyOf` tagging, formats, nullability).
//! - `operations`: parameters, request bodies, responses, errors, pagination.
//! - `security`: security schemes and requirements, `servers`.
//!
//! Our own specs' extensions: `x-cloudjobs-path-prefix` (top level: the part of every path
//! users may replace) and `x-cloudjobs-pagination` (operation). Dropshot's
//! `x-dropshot-pagination` and `x-dropshot-websocket` are understood too.
//!
//! Choices where OpenAPI leaves room:
//! - An operation without `operationId` is named from its method and path
//!   (`get /v1/things/{id}` -> `get_v1_things_id`).
//! - `format: uint` (schemars' `usize`) is a `u64`.
//! - `nullable` on a parameter has no wire form (a parameter is left out when unset), so
//!   parameters are plain optional members.
//! - `readOnly`/`writeOnly` properties are never required (one structure serves requests
//!   and responses); their docs say so.
//! - The first `servers` entry, variables set to their defaults, is the default base URL;
//!   a host under a reserved example domain (RFC 2606/6761: `example.com`, `.example`,
//!   `.test`, `.invalid`, ...) is a placeholder and gives no default (its base path, if any,
//!   stays a path prefix). A relative server URL (`/api`) is a path prefix: it becomes (the
//!   front of) `Service::path_prefix`. Path- and operation-level `servers` are not read.
//! - A request body may offer several media types: the first of JSON, form, raw bytes and
//!   text is used; a body offering none of them is an error naming its media type. The key
//!   is kept as written (`application/json; charset=utf-8`) and sent as the `Content-Type`
//!   (a range such as `*/*` sends the body kind's own type).
//! - `Accept` lists the media types of the success responses' bodies in spec order (`*/*`
//!   for raw bytes); with no body documented the protocol's `application/json` is sent.
//! - Every success response key is a success status (a `303` next to a `200`), and headers
//!   a success response declares are output members, also when outputs differ by status.
//! - An operation whose `responses` is empty returns its body as bytes.
//! - `x-dropshot-websocket`, or a `101` as the only success, makes an upgrade operation.
//! - `default` is the success response when no 1xx/2xx/3xx is listed, else the error for
//!   every status nothing else matches. An error body that is a structure used nowhere else
//!   is marked `is_error`; one that is also used elsewhere gets an error copy
//!   (`<Name>Error`); any other body is wrapped in a generated error structure.
//! - Siblings of a `$ref` are ignored, as OpenAPI 3.0 says (`allOf: [$ref]` carries a
//!   description or `nullable` at a use site).
//! - Security: one `http bearer` scheme required alone by every operation is
//!   [`Auth::Bearer`]; anything else is [`Auth::Schemes`] with per-operation requirements.
//!   A scheme the client cannot apply (oauth2, OpenID Connect, an API key in a cookie) is an
//!   error when an operation uses it, and a note in the service docs when none does.

mod document;
mod operations;
mod refs;
mod schemas;
mod security;
#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};

use crate::docs::normalize;
use crate::ir::*;
use crate::smithy::rust_type_name;
use document::{Document, Schema, pointer_segment};

type Result<T> = std::result::Result<T, SpecError>;

pub(crate) struct Loader<'a> {
    file: &'a str,
    doc: &'a Document,
    shapes: BTreeMap<String, Shape>,
    /// Component schema name -> its Rust type name (reserved before anything else is named).
    component_names: HashMap<&'a str, String>,
    /// Every shape name given out or reserved.
    used_names: HashSet<String>,
    /// Components whose shape is queued or built.
    requested: HashSet<&'a str>,
    built: HashSet<&'a str>,
    queue: VecDeque<&'a str>,
    /// JSON pointer of an inline schema -> the name of its shape.
    inline: HashMap<String, String>,
    /// Title -> the inline schema that took it and its shape name.
    titled: HashMap<&'a str, (&'a Schema, String)>,
    /// Aliases being inlined (to report a `$ref` cycle without a structure in between).
    alias_stack: Vec<&'a str>,
}

impl<'a> Loader<'a> {
    fn err(&self, location: &str, message: impl Into<String>) -> SpecError {
        SpecError {
            file: self.file.into(),
            location: location.into(),
            message: message.into(),
        }
    }
}

/// Parses an OpenAPI 3.0 YAML or JSON document.
pub fn load(file: &str, text: &str) -> Result<Service> {
    let doc = document::parse(file, text)?;
    let fail = |location: &str, message: String| SpecError {
        file: file.into(),
        location: location.into(),
        message,
    };
    if !doc.openapi.starts_with("3.0") {
        return Err(fail(
            "/openapi",
            format!("expected OpenAPI 3.0.x, found {}", doc.openapi),
        ));
    }
    let own_prefix = match &doc.cloudjobs_path_prefix {
        None => String::new(),
        Some(p) if p.starts_with('/') && !p.ends_with('/') => p.clone(),
        Some(_) => {
            return Err(fail(
                "/x-cloudjobs-path-prefix",
                "must be a path starting with `/` and not ending with `/`".into(),
            ));
        }
    };
    let (default_url, server_prefix) = security::servers(file, &doc)?;
    let (auth, security, mut notes) = security::schemes(file, &doc)?;

    let mut loader = Loader {
        file,
        doc: &doc,
        shapes: BTreeMap::new(),
        component_names: HashMap::new(),
        used_names: HashSet::new(),
        requested: HashSet::new(),
        built: HashSet::new(),
        queue: VecDeque::new(),
        inline: HashMap::new(),
        titled: HashMap::new(),
        alias_stack: Vec::new(),
    };
    for name in doc.components.schemas.keys() {
        let rust = loader.fresh(&rust_type_name(name));
        loader.component_names.insert(name.as_str(), rust);
    }

    let mut operations = Vec::new();
    let mut pending = Vec::new();
    let mut ids = HashSet::new();
    for (path, item) in &doc.paths {
        let at_path = format!("/paths/{}", pointer_segment(path));
        if item.reference.is_some() {
            return Err(fail(
                &at_path,
                "path item references are not supported".into(),
            ));
        }
        let relative = path
            .strip_prefix(own_prefix.as_str())
            .filter(|r| r.starts_with('/'))
            .ok_or_else(|| {
                fail(
                    &at_path,
                    format!("path does not start with x-cloudjobs-path-prefix `{own_prefix}`"),
                )
            })?;
        for (method, op) in item.operations() {
            let at = format!("{at_path}/{method}");
            let name = match &op.operation_id {
                Some(id) => {
                    if !ids.insert(id.clone()) {
                        return Err(fail(
                            &format!("{at}/operationId"),
                            format!("two operations have the operationId `{id}`"),
                        ));
                    }
                    id.clone()
                }
                None => {
                    // Named from the route; numbered when two routes give the same name.
                    let base = operations::name_from_route(method, path);
                    let mut name = base.clone();
                    let mut n = 2;
                    while ids.contains(&name) {
                        name = format!("{base}_{n}");
                        n += 1;
                    }
                    ids.insert(name.clone());
                    name
                }
            };
            let (operation, later) =
                loader.operation(&at, &name, method, relative, item, op, &security)?;
            operations.push(operation);
            pending.push(later);
        }
    }
    if operations.is_empty() {
        return Err(fail("/paths", "no operations".into()));
    }
    loader.drain()?;
    fix_kinds(&mut loader.shapes, &mut operations);
    for (op, later) in operations.iter_mut().zip(&pending) {
        op.pagination = loader.pagination(op, later)?;
    }
    loader.error_shapes(&mut operations, &pending);
    // Wrapped error bodies may name shapes too.
    fix_kinds(&mut loader.shapes, &mut operations);
    plain_query_styles(&mut operations);

    let mut docs = normalize(doc.info.description.as_deref().unwrap_or(""));
    for note in notes.drain(..) {
        if !docs.is_empty() {
            docs.push_str("\n\n");
        }
        docs.push_str(&note);
    }
    let path_prefix = format!("{server_prefix}{own_prefix}");
    Ok(Service {
        spec_path: file.into(),
        crate_name: String::new(),
        name: String::new(),
        title: doc.info.title.clone(),
        sdk_id: doc.info.title.clone(),
        version: doc.info.version.clone(),
        docs,
        protocol: Protocol::Json,
        auth,
        endpoint: Endpoint::BaseUrl {
            default: default_url,
        },
        path_prefix,
        throttling_codes: vec![],
        operations,
        shapes: loader.shapes,
    })
}

/// Calls `f` on every type of the operations and shapes, nested ones included.
fn for_each_type(
    shapes: &mut BTreeMap<String, Shape>,
    operations: &mut [Operation],
    mut f: impl FnMut(&mut Type),
) {
    let mut stack: Vec<&mut Type> = Vec::new();
    for op in operations.iter_mut() {
        stack.extend(op.input.members.iter_mut().map(|m| &mut m.ty));
        match &mut op.output {
            Output::Owned(o) => stack.extend(o.members.iter_mut().map(|m| &mut m.ty)),
            Output::Type(t) => stack.push(t),
            Output::ByStatus(v) => stack.extend(v.iter_mut().filter_map(|s| s.body.as_mut())),
            Output::Empty => {}
        }
    }
    for shape in shapes.values_mut() {
        match shape {
            Shape::Structure(s) => {
                stack.extend(s.members.iter_mut().map(|m| &mut m.ty));
                if let Some(a) = s.additional.as_deref_mut() {
                    stack.push(a);
                }
            }
            Shape::Union(u) => stack.extend(u.members.iter_mut().map(|m| &mut m.ty)),
            Shape::Enum(_) | Shape::IntEnum(_) => {}
        }
    }
    while let Some(t) = stack.pop() {
        f(t);
        if let Kind::List(inner) | Kind::Map(inner) = &mut t.kind {
            stack.push(inner);
        }
    }
}

/// Named types are written `Kind::Struct(name)` while loading; this gives each the kind of
/// the shape it names.
fn fix_kinds(shapes: &mut BTreeMap<String, Shape>, operations: &mut [Operation]) {
    let kinds: HashMap<String, fn(String) -> Kind> = shapes
        .iter()
        .map(|(n, s)| {
            let k: fn(String) -> Kind = match s {
                Shape::Structure(_) => Kind::Struct,
                Shape::Enum(_) => Kind::Enum,
                Shape::IntEnum(_) => Kind::IntEnum,
                Shape::Union(_) => Kind::Union,
            };
            (n.clone(), k)
        })
        .collect();
    for_each_type(shapes, operations, |t| {
        if let Kind::Struct(n) = &t.kind
            && let Some(k) = kinds.get(n)
        {
            t.kind = k(n.clone());
        }
    });
}

/// A query style only matters for lists, maps and structures: any other member keeps the
/// default, so a `style` or `explode` on a scalar parameter changes nothing.
fn plain_query_styles(operations: &mut [Operation]) {
    for m in operations
        .iter_mut()
        .flat_map(|op| op.input.members.iter_mut())
    {
        if !matches!(
            m.ty.kind,
            Kind::List(_) | Kind::Map(_) | Kind::Struct(_) | Kind::FreeFormObject | Kind::Document
        ) {
            m.query_style = QueryStyle::Form { explode: true };
        }
    }
}
