//! The check pass: runs after every front-end and owns the rules that hold for any spec.
//!
//! 1. Rust identifiers. Every type, field, variant and method name becomes a valid, unique
//!    identifier in its scope. Renames are deterministic and never touch wire names:
//!    keywords become raw identifiers (`r#type`), except `self`, `Self`, `crate` and
//!    `super`, which cannot be raw and get a `_` (fields) or `Value` (variants) suffix; a
//!    leading digit gets a prefix; a type that collides with a name the emitter defines
//!    (`Client`, `Config`, `Error`, `<Op>Input`, `<T>Builder`, ...) or with another type gets a
//!    `Type` suffix; members of one structure that snake-case to the same field get `_2`,
//!    `_3`, ... in spec order; variants that collide (or are `Unknown`, which holds values
//!    the client does not know) get `Value` / a number.
//! 2. Recursion: the members that close a cycle of structures and unions (found by a
//!    depth-first walk, in name order) are marked [`Member::boxed`]. Cycles through a list or
//!    map need no box.
//! 3. Unions: a unit type only as a union member, never in an untagged union; the members
//!    of an internally tagged union are structures or units; tags are unique. The field of
//!    a structure's additional members is named clear of its members ([`additional_field`]).
//! 4. References: every named type exists; pagination paths name members (through nested
//!    structures); labels and the path agree; `host_prefix` labels are `host_label` members;
//!    every pattern compiles with `regex-lite`.
//!
//! Everything here is iterative: no recursion on the Rust stack that grows with the spec.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use heck::{ToSnakeCase, ToUpperCamelCase};

use crate::ir::*;

type Result<T> = std::result::Result<T, SpecError>;

/// Rust keywords (strict, reserved and edition-dependent).
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try",
];

/// Keywords that cannot be written as raw identifiers.
const NOT_RAW: &[&str] = &["self", "Self", "crate", "super", "_"];

/// Type names every generated crate defines or imports, and the std prelude's types and
/// variants, which generated code names unqualified.
const RESERVED_TYPES: &[&str] = &[
    "Client",
    "Config",
    "ConfigBuilder",
    "Error",
    "SERVICE",
    "DateTime",
    "ProvideErrorMetadata",
    "Validation",
    "Credentials",
    "Handle",
    "ErrorMetadata",
    "HttpRequest",
    "HttpResponse",
    "InvalidInput",
    "OperationMeta",
    "ServiceMeta",
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "Vec",
    "String",
    "Box",
    "Default",
    "Clone",
    "Debug",
    "PartialEq",
    "Send",
    "Sync",
    "Sized",
    "ToString",
    "Iterator",
    "Into",
    "From",
];

/// Field names a generated structure's builder or an error already uses.
const RESERVED_FIELDS: &[&str] = &["build"];
const RESERVED_INPUT_FIELDS: &[&str] = &[
    "send",
    "customize",
    "into_paginator",
    "as_input",
    "set_input",
];
const RESERVED_ERROR_FIELDS: &[&str] = &["meta"];
/// Client methods every crate has besides one per operation.
const RESERVED_METHODS: &[&str] = &["new", "config", "handle", "from_env", "from_conf"];

/// Runs every rule; renames in place, then verifies.
pub fn check(svc: &mut Service) -> Result<()> {
    let file = svc.spec_path.clone();
    let e = |location: &str, message: String| SpecError {
        file: file.clone(),
        location: location.to_string(),
        message,
    };
    security_schemes_defined(svc)?;
    query_members_flat(svc)?;
    name_operations(svc);
    name_types(svc);
    for op in &mut svc.operations {
        name_fields(&mut op.input, FieldScope::Input);
        if let Output::Owned(o) = &mut op.output {
            name_fields(o, FieldScope::Plain);
        }
        let mut used = HashSet::new();
        used.insert("Unhandled".to_string());
        for er in &mut op.errors {
            er.variant = unique(variant_ident(&er.variant), &mut used, "Value");
        }
    }
    for shape in svc.shapes.values_mut() {
        match shape {
            Shape::Structure(s) => {
                let scope = if s.is_error {
                    FieldScope::Error
                } else {
                    FieldScope::Plain
                };
                name_fields(s, scope);
            }
            Shape::Union(u) => {
                let mut used = HashSet::new();
                used.insert("Unknown".to_string());
                for m in &mut u.members {
                    m.rust_name = unique(variant_ident(&m.rust_name), &mut used, "Value");
                }
            }
            Shape::Enum(en) => {
                let mut used = HashSet::new();
                used.insert("Unknown".to_string());
                for v in &mut en.values {
                    v.variant = unique(variant_ident(&v.variant), &mut used, "Value");
                }
            }
            Shape::IntEnum(en) => {
                let mut used = HashSet::new();
                used.insert("Unknown".to_string());
                for v in &mut en.values {
                    v.variant = unique(variant_ident(&v.variant), &mut used, "Value");
                }
            }
        }
    }
    check_references(svc, &e)?;
    check_unions(svc, &e)?;
    box_cycles(svc);
    for op in &svc.operations {
        check_pagination(svc, op, &e)?;
        check_labels(op, &e)?;
        check_host_prefix(op, &e)?;
    }
    check_patterns(svc, &e)?;
    Ok(())
}

/// `name` when unused, else `name{suffix}`, `name{suffix}2`, ...; records the result.
fn unique(name: String, used: &mut HashSet<String>, suffix: &str) -> String {
    let mut candidate = name.clone();
    let mut n = 1;
    while used.contains(&candidate) {
        candidate = if n == 1 {
            format!("{name}{suffix}")
        } else {
            format!("{name}{suffix}{n}")
        };
        n += 1;
    }
    used.insert(candidate.clone());
    candidate
}

/// Only ASCII letters, digits and `_` survive (other characters become word breaks).
fn ascii_words(s: &str) -> String {
    s.trim_start_matches("r#")
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

/// A valid snake_case field or method name for `name` (already snake or not).
pub fn field_ident(name: &str) -> String {
    let mut s = ascii_words(name).to_snake_case();
    if s.is_empty() {
        s = "value".into();
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s = format!("n{s}");
    }
    if NOT_RAW.contains(&s.as_str()) {
        format!("{s}_")
    } else if KEYWORDS.contains(&s.as_str()) {
        format!("r#{s}")
    } else {
        s
    }
}

/// A valid UpperCamelCase type name.
pub fn type_ident(name: &str) -> String {
    camel_ident(name, "Shape", "T", "Type")
}

/// A valid UpperCamelCase variant name (`Self` -> `SelfValue`).
pub fn variant_ident(name: &str) -> String {
    camel_ident(name, "Value", "V", "Value")
}

/// `name` in UpperCamelCase (kept as is when it already is), `empty` for a name with no
/// usable character, `digit_prefix` before a leading digit, `keyword_suffix` after a keyword.
fn camel_ident(name: &str, empty: &str, digit_prefix: &str, keyword_suffix: &str) -> String {
    let raw = ascii_words(name);
    let mut s = if raw.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && raw.chars().all(|c| c.is_ascii_alphanumeric())
    {
        raw
    } else {
        raw.to_upper_camel_case()
    };
    if s.is_empty() {
        s = empty.into();
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s = format!("{digit_prefix}{s}");
    }
    if KEYWORDS.contains(&s.as_str()) {
        s.push_str(keyword_suffix);
    }
    s
}

fn name_operations(svc: &mut Service) {
    let mut types = HashSet::new();
    let mut methods: HashSet<String> = RESERVED_METHODS.iter().map(|s| s.to_string()).collect();
    for op in &mut svc.operations {
        let type_name = unique(type_ident(&op.type_name), &mut types, "Op");
        if type_name != op.type_name {
            op.type_name = type_name;
            op.input.rust_name = format!("{}Input", op.type_name);
            if let Output::Owned(o) = &mut op.output {
                o.rust_name = format!("{}Output", op.type_name);
            }
        }
        op.method_name = unique(field_ident(&op.method_name), &mut methods, "_op");
    }
}

/// Sanitises every shape name and renames the ones that collide, everywhere they are used.
fn name_types(svc: &mut Service) {
    let mut reserved: HashSet<String> = RESERVED_TYPES.iter().map(|s| s.to_string()).collect();
    for op in &svc.operations {
        for suffix in [
            "Input",
            "Output",
            "Error",
            "FluentBuilder",
            "InputBuilder",
            "OutputBuilder",
        ] {
            reserved.insert(format!("{}{suffix}", op.type_name));
        }
    }
    let sanitized: BTreeMap<String, String> = svc
        .shapes
        .keys()
        .map(|k| (k.clone(), type_ident(k)))
        .collect();
    for (old, new) in &sanitized {
        if matches!(
            svc.shapes.get(old),
            Some(Shape::Structure(_) | Shape::Union(_))
        ) {
            reserved.insert(format!("{new}Builder"));
        }
    }
    let mut used = reserved.clone();
    let mut renames: HashMap<String, String> = HashMap::new();
    for (old, new) in &sanitized {
        // A shape keeps its name unless that name is reserved or already taken.
        let mut candidate = new.clone();
        if used.contains(&candidate) {
            candidate = unique(format!("{new}Type"), &mut used, "");
        }
        used.insert(candidate.clone());
        if &candidate != old {
            renames.insert(old.clone(), candidate);
        }
    }
    if renames.is_empty() {
        return;
    }
    let shapes = std::mem::take(&mut svc.shapes);
    for (key, mut shape) in shapes {
        let name = renames.get(&key).cloned().unwrap_or(key);
        match &mut shape {
            Shape::Structure(s) => s.rust_name = name.clone(),
            Shape::Union(u) => u.rust_name = name.clone(),
            Shape::Enum(e) => e.rust_name = name.clone(),
            Shape::IntEnum(e) => e.rust_name = name.clone(),
        }
        svc.shapes.insert(name, shape);
    }
    let rename = |n: &mut String| {
        if let Some(new) = renames.get(n.as_str()) {
            *n = new.clone();
        }
    };
    for_each_type(svc, |ty| match &mut ty.kind {
        Kind::Struct(n) | Kind::Enum(n) | Kind::IntEnum(n) | Kind::Union(n) => rename(n),
        _ => {}
    });
    for op in &mut svc.operations {
        for er in &mut op.errors {
            rename(&mut er.shape);
        }
    }
}

/// Calls `f` on every type in the service, nested list and map types included.
fn for_each_type(svc: &mut Service, mut f: impl FnMut(&mut Type)) {
    let mut stack: Vec<&mut Type> = Vec::new();
    for op in &mut svc.operations {
        stack.extend(op.input.members.iter_mut().map(|m| &mut m.ty));
        stack.extend(op.input.additional.as_deref_mut());
        match &mut op.output {
            Output::Owned(o) => {
                stack.extend(o.members.iter_mut().map(|m| &mut m.ty));
                stack.extend(o.additional.as_deref_mut());
            }
            Output::Type(t) => stack.push(t),
            Output::ByStatus(v) => stack.extend(v.iter_mut().filter_map(|o| o.body.as_mut())),
            Output::Empty => {}
        }
    }
    for shape in svc.shapes.values_mut() {
        match shape {
            Shape::Structure(s) => {
                stack.extend(s.members.iter_mut().map(|m| &mut m.ty));
                stack.extend(s.additional.as_deref_mut());
            }
            Shape::Union(u) => stack.extend(u.members.iter_mut().map(|m| &mut m.ty)),
            Shape::Enum(_) | Shape::IntEnum(_) => {}
        }
    }
    while let Some(ty) = stack.pop() {
        f(ty);
        match &mut ty.kind {
            Kind::List(inner) | Kind::Map(inner) => stack.push(inner),
            _ => {}
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum FieldScope {
    Plain,
    Input,
    Error,
}

fn name_fields(s: &mut Structure, scope: FieldScope) {
    let mut reserved: HashSet<&str> = RESERVED_FIELDS.iter().copied().collect();
    match scope {
        FieldScope::Input => reserved.extend(RESERVED_INPUT_FIELDS),
        FieldScope::Error => reserved.extend(RESERVED_ERROR_FIELDS),
        FieldScope::Plain => {}
    }
    // Bare names (without `r#`) in use.
    let mut used: HashSet<String> = reserved.iter().map(|s| s.to_string()).collect();
    for m in &mut s.members {
        let base = field_ident(&m.rust_name);
        let bare = base.trim_start_matches("r#").to_string();
        if used.insert(bare.clone()) {
            m.rust_name = base;
            continue;
        }
        // Taken: a reserved name becomes `<name>_value`, a collision `<name>_2`, `_3`, ...
        let stem = bare.trim_end_matches('_').to_string();
        let mut candidate = if reserved.contains(bare.as_str()) {
            format!("{stem}_value")
        } else {
            format!("{stem}_2")
        };
        let mut n = 3;
        while used.contains(&candidate) {
            candidate = format!("{stem}_{n}");
            n += 1;
        }
        used.insert(candidate.clone());
        m.rust_name = candidate;
    }
}

fn kind_name(k: &Kind) -> Option<(&'static str, &String)> {
    match k {
        Kind::Struct(n) => Some(("structure", n)),
        Kind::Union(n) => Some(("union", n)),
        Kind::Enum(n) => Some(("enum", n)),
        Kind::IntEnum(n) => Some(("intEnum", n)),
        _ => None,
    }
}

/// Every named type a member uses exists, with the kind the member expects.
fn check_references(svc: &Service, e: &impl Fn(&str, String) -> SpecError) -> Result<()> {
    let mut work: Vec<(&str, &Type)> = Vec::new();
    for op in &svc.operations {
        work.extend(
            op.input
                .members
                .iter()
                .map(|m| (op.input.origin.as_str(), &m.ty)),
        );
        work.extend(
            op.input
                .additional
                .as_deref()
                .map(|t| (op.input.origin.as_str(), t)),
        );
        match &op.output {
            Output::Owned(o) => {
                work.extend(o.members.iter().map(|m| (o.origin.as_str(), &m.ty)));
                work.extend(o.additional.as_deref().map(|t| (o.origin.as_str(), t)));
            }
            Output::Type(t) => work.push((op.name.as_str(), t)),
            Output::ByStatus(v) => work.extend(
                v.iter()
                    .filter_map(|o| o.body.as_ref())
                    .map(|t| (op.name.as_str(), t)),
            ),
            Output::Empty => {}
        }
        for er in &op.errors {
            if !matches!(svc.shapes.get(&er.shape), Some(Shape::Structure(_))) {
                return Err(e(
                    &op.name,
                    format!("error `{}` is not a known structure", er.shape),
                ));
            }
        }
    }
    for shape in svc.shapes.values() {
        match shape {
            Shape::Structure(s) => {
                work.extend(s.members.iter().map(|m| (s.origin.as_str(), &m.ty)));
                work.extend(s.additional.as_deref().map(|t| (s.origin.as_str(), t)));
            }
            Shape::Union(u) => work.extend(u.members.iter().map(|m| (u.origin.as_str(), &m.ty))),
            Shape::Enum(_) | Shape::IntEnum(_) => {}
        }
    }
    while let Some((origin, ty)) = work.pop() {
        match &ty.kind {
            Kind::List(inner) | Kind::Map(inner) => work.push((origin, inner)),
            k => {
                if let Some((want, name)) = kind_name(k) {
                    let ok = matches!(
                        (want, svc.shapes.get(name)),
                        ("structure", Some(Shape::Structure(_)))
                            | ("union", Some(Shape::Union(_)))
                            | ("enum", Some(Shape::Enum(_)))
                            | ("intEnum", Some(Shape::IntEnum(_)))
                    );
                    if !ok {
                        return Err(e(
                            origin,
                            format!("refers to {want} `{name}`, which is not defined"),
                        ));
                    }
                }
            }
        }
    }
    Ok(())
}

/// Unions and units: a unit is only ever the type of a union member itself; an untagged
/// union has no unit member (nothing would tell it apart); the members of a union tagged by
/// one of its own JSON members are structures (their members sit next to the tag) or units;
/// tags are unique; an adjacently tagged union's tag and content are two different members.
fn check_unions(svc: &Service, e: &impl Fn(&str, String) -> SpecError) -> Result<()> {
    // (where, type, whether a unit may be this type)
    let mut work: Vec<(&str, &Type, bool)> = Vec::new();
    for op in &svc.operations {
        let at = op.name.as_str();
        work.extend(op.input.members.iter().map(|m| (at, &m.ty, false)));
        work.extend(op.input.additional.as_deref().map(|t| (at, t, false)));
        match &op.output {
            Output::Owned(o) => {
                work.extend(o.members.iter().map(|m| (at, &m.ty, false)));
                work.extend(o.additional.as_deref().map(|t| (at, t, false)));
            }
            Output::Type(t) => work.push((at, t, false)),
            Output::ByStatus(v) => work.extend(
                v.iter()
                    .filter_map(|o| o.body.as_ref())
                    .map(|t| (at, t, false)),
            ),
            Output::Empty => {}
        }
    }
    for shape in svc.shapes.values() {
        match shape {
            Shape::Structure(s) => {
                let at = s.origin.as_str();
                work.extend(s.members.iter().map(|m| (at, &m.ty, false)));
                work.extend(s.additional.as_deref().map(|t| (at, t, false)));
            }
            Shape::Union(u) => {
                let at = u.origin.as_str();
                work.extend(u.members.iter().map(|m| (at, &m.ty, true)));
                if let Tagging::Adjacent { field, content } = &u.tagging
                    && field == content
                {
                    return Err(e(
                        at,
                        format!(
                            "the tag and the content of the union are the same member `{field}`"
                        ),
                    ));
                }
                let mut tags = HashSet::new();
                for m in &u.members {
                    if u.tagging != Tagging::Untagged && !tags.insert(m.name.as_str()) {
                        return Err(e(
                            at,
                            format!("two members of the union have the tag `{}`", m.name),
                        ));
                    }
                    match (&u.tagging, &m.ty.kind) {
                        (Tagging::Untagged, Kind::Unit) => {
                            return Err(e(
                                at,
                                format!(
                                    "member `{}` of an untagged union carries no value: nothing would tell it apart",
                                    m.member_name
                                ),
                            ));
                        }
                        (Tagging::Internal { .. }, Kind::Struct(_) | Kind::Unit) => {}
                        (Tagging::Internal { field }, _) => {
                            return Err(e(
                                at,
                                format!(
                                    "member `{}` of a union tagged by its `{field}` member is neither a structure nor a unit",
                                    m.member_name
                                ),
                            ));
                        }
                        _ => {}
                    }
                }
            }
            Shape::Enum(_) | Shape::IntEnum(_) => {}
        }
    }
    while let Some((at, ty, unit_ok)) = work.pop() {
        match &ty.kind {
            Kind::Unit if !unit_ok => {
                return Err(e(
                    at,
                    "a unit type is only allowed as a union member".into(),
                ));
            }
            Kind::List(t) | Kind::Map(t) => work.push((at, t, false)),
            _ => {}
        }
    }
    Ok(())
}

/// The Rust field holding a structure's [`Structure::additional`] members:
/// `additional_properties`, or `additional_properties_2`, `_3`, ... when a member's field or
/// one of its builder methods (`x`, `set_x`, and their `_value` forms) already has that name
/// or the name of the map's own `set_` method.
pub fn additional_field(s: &Structure) -> String {
    let mut taken: HashSet<String> = ["build", "meta", "set_meta", "default"]
        .into_iter()
        .map(String::from)
        .collect();
    for m in &s.members {
        let bare = m.rust_name.trim_start_matches("r#");
        taken.extend([
            bare.to_string(),
            format!("set_{bare}"),
            format!("{bare}_value"),
            format!("set_{bare}_value"),
        ]);
    }
    let stem = "additional_properties";
    let mut name = stem.to_string();
    let mut n = 2;
    while taken.contains(&name) || taken.contains(&format!("set_{name}")) {
        name = format!("{stem}_{n}");
        n += 1;
    }
    name
}

/// The structure or union a member type names directly (not through a list or map).
fn direct_target(ty: &Type) -> Option<&str> {
    match &ty.kind {
        Kind::Struct(n) | Kind::Union(n) => Some(n),
        _ => None,
    }
}

/// Marks the members that close a cycle of structures and unions as boxed: an iterative
/// depth-first walk in name order; an edge back to a shape on the walk's stack closes a cycle.
fn box_cycles(svc: &mut Service) {
    #[derive(Clone, Copy, PartialEq, Eq)]
    enum State {
        New,
        OnStack,
        Done,
    }
    let names: Vec<String> = svc.shapes.keys().cloned().collect();
    let edges = |shape: &Shape| -> Vec<Option<String>> {
        let members = match shape {
            Shape::Structure(s) => &s.members,
            Shape::Union(u) => &u.members,
            _ => return Vec::new(),
        };
        members
            .iter()
            .map(|m| direct_target(&m.ty).map(str::to_string))
            .collect()
    };
    let mut state: HashMap<String, State> = names.iter().map(|n| (n.clone(), State::New)).collect();
    let mut to_box: BTreeSet<(String, usize)> = BTreeSet::new();
    for root in &names {
        if state.get(root) != Some(&State::New) {
            continue;
        }
        // (shape, its outgoing edges, next edge index)
        let mut stack: Vec<(String, Vec<Option<String>>, usize)> = Vec::new();
        state.insert(root.clone(), State::OnStack);
        let e = svc.shapes.get(root).map(edges).unwrap_or_default();
        stack.push((root.clone(), e, 0));
        while let Some((node, out, i)) = stack.last_mut() {
            if *i >= out.len() {
                state.insert(node.clone(), State::Done);
                stack.pop();
                continue;
            }
            let idx = *i;
            *i += 1;
            let Some(next) = out[idx].clone() else {
                continue;
            };
            match state.get(&next).copied() {
                Some(State::OnStack) => {
                    to_box.insert((node.clone(), idx));
                }
                Some(State::New) => {
                    state.insert(next.clone(), State::OnStack);
                    let e = svc.shapes.get(&next).map(edges).unwrap_or_default();
                    stack.push((next, e, 0));
                }
                _ => {}
            }
        }
    }
    for (name, idx) in to_box {
        let member = match svc.shapes.get_mut(&name) {
            Some(Shape::Structure(s)) => s.members.get_mut(idx),
            Some(Shape::Union(u)) => u.members.get_mut(idx),
            _ => None,
        };
        if let Some(m) = member {
            m.boxed = true;
        }
    }
}

/// Follows a path of member names from `start`; returns the last member.
fn walk_path<'a>(
    svc: &'a Service,
    start: &'a Structure,
    path: &[String],
    what: &str,
    op: &str,
    e: &impl Fn(&str, String) -> SpecError,
) -> Result<&'a Member> {
    let mut current = start;
    let mut found = None;
    for (i, step) in path.iter().enumerate() {
        let Some(m) = current.members.iter().find(|m| &m.member_name == step) else {
            return Err(e(
                op,
                format!(
                    "pagination `{what}` path `{}`: `{step}` is not a member of {}",
                    path.join("."),
                    current.origin
                ),
            ));
        };
        if i + 1 < path.len() {
            current = match &m.ty.kind {
                Kind::Struct(n) => match svc.shapes.get(n) {
                    Some(Shape::Structure(s)) => s,
                    _ => return Err(e(op, format!("pagination `{what}`: `{n}` is not defined"))),
                },
                _ => {
                    return Err(e(
                        op,
                        format!(
                            "pagination `{what}` path `{}`: `{step}` is not a structure",
                            path.join(".")
                        ),
                    ));
                }
            };
        }
        found = Some(m);
    }
    found.ok_or_else(|| e(op, format!("pagination `{what}` path is empty")))
}

fn check_pagination(
    svc: &Service,
    op: &Operation,
    e: &impl Fn(&str, String) -> SpecError,
) -> Result<()> {
    let Some(p) = &op.pagination else {
        return Ok(());
    };
    let empty = Structure::new("", op.name.as_str());
    let output: &Structure = match &op.output {
        Output::Owned(o) => o,
        Output::Type(t) => match &t.kind {
            Kind::Struct(n) => match svc.shapes.get(n) {
                Some(Shape::Structure(s)) => s,
                _ => &empty,
            },
            _ => &empty,
        },
        Output::Empty | Output::ByStatus(_) => &empty,
    };
    let at = op.name.as_str();
    match &p.style {
        PageStyle::Token { input, output: out } => {
            walk_path(
                svc,
                &op.input,
                std::slice::from_ref(input),
                "inputToken",
                at,
                e,
            )?;
            walk_path(svc, output, out, "outputToken", at, e)?;
        }
        PageStyle::Offset {
            start,
            limit,
            total,
        } => {
            walk_path(svc, &op.input, start, "start", at, e)?;
            walk_path(svc, &op.input, limit, "limit", at, e)?;
            walk_path(svc, output, std::slice::from_ref(total), "total", at, e)?;
        }
    }
    if let Some(ps) = &p.page_size {
        walk_path(svc, &op.input, ps, "pageSize", at, e)?;
    }
    if let Some(items) = &p.items {
        let m = walk_path(svc, output, items, "items", at, e)?;
        if !matches!(m.ty.kind, Kind::List(_) | Kind::Map(_)) {
            return Err(e(
                at,
                format!(
                    "pagination `items` `{}` is not a list or map",
                    items.join(".")
                ),
            ));
        }
    }
    Ok(())
}

/// `{name}` placeholders of a template; `+` marks a greedy label.
fn placeholders(template: &str) -> std::result::Result<Vec<(String, bool)>, String> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            return Err(format!("unclosed `{{` in `{template}`"));
        };
        let inner = &rest[open + 1..open + close];
        let (name, greedy) = match inner.strip_suffix('+') {
            Some(n) => (n, true),
            None => (inner, false),
        };
        if name.is_empty() || name.contains('{') {
            return Err(format!("malformed label `{{{inner}}}` in `{template}`"));
        }
        out.push((name.to_string(), greedy));
        rest = &rest[open + close + 1..];
    }
    if rest.contains('}') {
        return Err(format!("unmatched `}}` in `{template}`"));
    }
    Ok(out)
}

fn check_labels(op: &Operation, e: &impl Fn(&str, String) -> SpecError) -> Result<()> {
    let labels = placeholders(&op.path).map_err(|m| e(&op.name, m))?;
    let mut seen = HashSet::new();
    for (name, _) in &labels {
        if !seen.insert(name.clone()) {
            return Err(e(
                &op.name,
                format!("label `{name}` appears twice in `{}`", op.path),
            ));
        }
        if !op
            .input
            .members
            .iter()
            .any(|m| m.location == Location::Label && &m.name == name)
        {
            return Err(e(
                &op.name,
                format!(
                    "path `{}` has label `{{{name}}}` but no input member is bound to it",
                    op.path
                ),
            ));
        }
    }
    if labels.iter().filter(|(_, g)| *g).count() > 1 {
        return Err(e(
            &op.name,
            format!("more than one greedy label in `{}`", op.path),
        ));
    }
    for m in &op.input.members {
        if m.location == Location::Label && !seen.contains(&m.name) {
            return Err(e(
                &op.input.origin,
                format!("label `{}` is not in the uri `{}`", m.name, op.path),
            ));
        }
    }
    Ok(())
}

fn check_host_prefix(op: &Operation, e: &impl Fn(&str, String) -> SpecError) -> Result<()> {
    let labels = match &op.host_prefix {
        None => Vec::new(),
        Some(h) => placeholders(h).map_err(|m| e(&op.name, m))?,
    };
    for (name, greedy) in &labels {
        let ok = !greedy
            && op
                .input
                .members
                .iter()
                .any(|m| m.host_label && &m.member_name == name);
        if !ok {
            return Err(e(
                &op.name,
                format!("host prefix label `{{{name}}}` does not name a `hostLabel` input member"),
            ));
        }
    }
    for m in &op.input.members {
        if m.host_label && !labels.iter().any(|(n, _)| n == &m.member_name) {
            return Err(e(
                &op.input.origin,
                format!(
                    "`hostLabel` member `{}` is not in the operation's host prefix",
                    m.member_name
                ),
            ));
        }
    }
    Ok(())
}

/// What regex-lite leaves out on purpose. A pattern that needs one of these is well-formed
/// (ECMA 262, as Smithy and OpenAPI define patterns) but cannot be checked client-side.
const REGEX_LITE_GAPS: &[&str] = &["look-around", "Unicode character classes", "backreferences"];

/// `\uD800`-`\uDFFF`: UTF-16 surrogate halves, which ECMA patterns may name and Rust
/// strings never contain.
fn surrogate_escape(pattern: &str) -> bool {
    pattern.match_indices("\\u").any(|(i, _)| {
        let hex = pattern.get(i + 2..i + 6).unwrap_or("");
        u32::from_str_radix(hex, 16).is_ok_and(|c| (0xD800..=0xDFFF).contains(&c))
    })
}

/// Patterns: every one left in the IR compiles with regex-lite (what the generated
/// validation uses). A well-formed pattern that needs a feature regex-lite lacks
/// (look-around, `\p{..}` classes, backreferences) is not checked before sending: the
/// constraint is removed and the member's docs say so (the service still enforces it).
/// Any other pattern that does not compile is a spec error naming it.
fn check_patterns(svc: &mut Service, e: &impl Fn(&str, String) -> SpecError) -> Result<()> {
    let mut verdicts: HashMap<String, Option<String>> = HashMap::new();
    let visit = |verdicts: &mut HashMap<String, Option<String>>,
                 at: String,
                 m: &mut Member|
     -> Result<()> {
        for note in screen_patterns(&mut m.ty, verdicts, &at, e)? {
            if !m.docs.is_empty() {
                m.docs.push_str("\n\n");
            }
            m.docs.push_str(&note);
        }
        Ok(())
    };
    for op in &mut svc.operations {
        let origin = op.input.origin.clone();
        for m in &mut op.input.members {
            visit(&mut verdicts, format!("{origin}${}", m.member_name), m)?;
        }
        match &mut op.output {
            Output::Owned(o) => {
                let origin = o.origin.clone();
                for m in &mut o.members {
                    visit(&mut verdicts, format!("{origin}${}", m.member_name), m)?;
                }
            }
            // A response type has no member docs to carry the note; the output is not
            // validated anyway.
            Output::Type(t) => {
                screen_patterns(t, &mut verdicts, &op.name, e)?;
            }
            Output::ByStatus(v) => {
                for t in v.iter_mut().filter_map(|o| o.body.as_mut()) {
                    screen_patterns(t, &mut verdicts, &op.name, e)?;
                }
            }
            Output::Empty => {}
        }
    }
    for shape in svc.shapes.values_mut() {
        let (origin, members) = match shape {
            Shape::Structure(s) => (s.origin.clone(), &mut s.members),
            Shape::Union(u) => (u.origin.clone(), &mut u.members),
            _ => continue,
        };
        for m in members {
            visit(&mut verdicts, format!("{origin}${}", m.member_name), m)?;
        }
    }
    Ok(())
}

/// Checks the patterns of a type and its list/map items; removes those regex-lite cannot
/// run and returns a note for each.
fn screen_patterns(
    ty: &mut Type,
    verdicts: &mut HashMap<String, Option<String>>,
    at: &str,
    e: &impl Fn(&str, String) -> SpecError,
) -> Result<Vec<String>> {
    let mut notes = Vec::new();
    let mut stack: Vec<&mut Type> = vec![ty];
    while let Some(ty) = stack.pop() {
        if let Some(p) = ty.constraints.pattern.clone() {
            let verdict = match verdicts.get(&p) {
                Some(v) => v.clone(),
                None => {
                    let v = match regex_lite::Regex::new(&p) {
                        Ok(_) => None,
                        Err(_) if surrogate_escape(&p) => {
                            Some("UTF-16 surrogate escapes are not supported".to_string())
                        }
                        Err(err) => {
                            let msg = err.to_string();
                            if !REGEX_LITE_GAPS.iter().any(|g| msg.contains(g)) {
                                return Err(e(
                                    at,
                                    format!("pattern `{p}` does not compile: {msg}"),
                                ));
                            }
                            Some(msg)
                        }
                    };
                    verdicts.insert(p.clone(), v.clone());
                    v
                }
            };
            if let Some(why) = verdict {
                ty.constraints.pattern = None;
                notes.push(format!(
                    "The spec's pattern `{p}` is not checked before sending (regex-lite: {why}); the service checks it."
                ));
            }
        }
        if let Kind::List(inner) | Kind::Map(inner) = &mut ty.kind {
            stack.push(inner);
        }
    }
    Ok(notes)
}

/// Every scheme an operation's security requirement names is one of the service's.
fn security_schemes_defined(svc: &Service) -> Result<()> {
    let Auth::Schemes(schemes) = &svc.auth else {
        return Ok(());
    };
    for op in &svc.operations {
        if let Some(name) = op
            .security
            .iter()
            .flatten()
            .find(|n| !schemes.iter().any(|s| &s.name == *n))
        {
            return Err(SpecError {
                file: svc.spec_path.clone(),
                location: format!("{}/security", op.name),
                message: format!("security scheme `{name}` is not defined"),
            });
        }
    }
    Ok(())
}

/// Every `Query` member has a query-string form: a scalar, a list, map or structure of
/// scalars, or an untagged union of those (written as the variant that is set). Anything
/// nested deeper has no spelling in any OpenAPI query style.
fn query_members_flat(svc: &Service) -> Result<()> {
    // What a query parameter can carry: a scalar, or a list, map or structure of scalars
    // (each query style writes those).
    fn scalar(ty: &Type) -> bool {
        !matches!(
            ty.kind,
            Kind::Document
                | Kind::FreeFormObject
                | Kind::List(_)
                | Kind::Map(_)
                | Kind::Struct(_)
                | Kind::Union(_)
                | Kind::Unit
        )
    }
    let flat = |ty: &Type| match &ty.kind {
        Kind::List(t) | Kind::Map(t) => scalar(t),
        Kind::Struct(name) => match svc.shapes.get(name) {
            Some(Shape::Structure(s)) => s
                .members
                .iter()
                .all(|m| m.location == Location::Body && scalar(&m.ty)),
            _ => false,
        },
        _ => scalar(ty),
    };
    // An untagged union of such values is written as the variant that is set.
    let query_ok = |m: &Member| match &m.ty.kind {
        Kind::Union(name) => match svc.shapes.get(name) {
            Some(Shape::Union(u)) => {
                u.tagging == Tagging::Untagged
                    && u.members
                        .iter()
                        .all(|v| !matches!(v.ty.kind, Kind::Unit) && flat(&v.ty))
            }
            _ => false,
        },
        _ => flat(&m.ty),
    };
    for op in &svc.operations {
        if let Some(m) = op
            .input
            .members
            .iter()
            .find(|m| m.location == Location::Query && !query_ok(m))
        {
            return Err(SpecError {
                file: svc.spec_path.clone(),
                location: format!("{}${}", op.name, m.member_name),
                message: "a query parameter holding nested lists, maps or structures has no \
                          query-string form"
                    .into(),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
pub fn identifier_problems(svc: &Service) -> Vec<String> {
    fn ident_ok(s: &str) -> bool {
        syn::parse_str::<syn::Ident>(s).is_ok()
    }
    let mut problems = Vec::new();
    let mut scope = |what: &str, names: Vec<&str>| {
        let mut seen = HashSet::new();
        for n in names {
            if !ident_ok(n) {
                problems.push(format!("{what}: `{n}` is not an identifier"));
            }
            if !seen.insert(n.trim_start_matches("r#").to_string()) {
                problems.push(format!("{what}: `{n}` twice"));
            }
        }
    };
    let mut types: Vec<&str> = svc.shapes.keys().map(String::as_str).collect();
    let owned: Vec<String> = svc
        .operations
        .iter()
        .flat_map(|o| {
            [
                format!("{}Input", o.type_name),
                format!("{}Output", o.type_name),
            ]
        })
        .collect();
    types.extend(owned.iter().map(String::as_str));
    scope("types", types);
    scope(
        "methods",
        svc.operations
            .iter()
            .map(|o| o.method_name.as_str())
            .collect(),
    );
    for op in &svc.operations {
        scope(
            &format!("{} errors", op.name),
            op.errors
                .iter()
                .map(|e| e.variant.as_str())
                .chain(["Unhandled"])
                .collect(),
        );
        scope(
            &op.input.rust_name,
            op.input
                .members
                .iter()
                .map(|m| m.rust_name.as_str())
                .collect(),
        );
        if let Output::Owned(o) = &op.output {
            scope(
                &o.rust_name,
                o.members.iter().map(|m| m.rust_name.as_str()).collect(),
            );
        }
    }
    for (name, shape) in &svc.shapes {
        let names: Vec<&str> = match shape {
            Shape::Structure(s) => s.members.iter().map(|m| m.rust_name.as_str()).collect(),
            Shape::Union(u) => u
                .members
                .iter()
                .map(|m| m.rust_name.as_str())
                .chain(["Unknown"])
                .collect(),
            Shape::Enum(e) => e
                .values
                .iter()
                .map(|v| v.variant.as_str())
                .chain(["Unknown"])
                .collect(),
            Shape::IntEnum(e) => e
                .values
                .iter()
                .map(|v| v.variant.as_str())
                .chain(["Unknown"])
                .collect(),
        };
        scope(name, names);
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers() {
        assert_eq!(field_ident("type"), "r#type");
        assert_eq!(field_ident("r#self"), "self_");
        assert_eq!(field_ident("Self"), "self_");
        assert_eq!(field_ident("crate"), "crate_");
        assert_eq!(field_ident("super"), "super_");
        assert_eq!(field_ident("3dModel"), "n3d_model");
        assert_eq!(field_ident("fooBar"), "foo_bar");
        assert_eq!(field_ident("_"), "value");
        assert_eq!(type_ident("Self"), "SelfType");
        assert_eq!(type_ident("3d"), "T3d");
        assert_eq!(type_ident("my-shape"), "MyShape");
        assert_eq!(variant_ident("Self"), "SelfValue");
        assert_eq!(variant_ident("10G"), "V10g");
    }

    #[test]
    fn label_templates() {
        assert_eq!(
            placeholders("/a/{b}/c/{d+}").unwrap(),
            vec![("b".to_string(), false), ("d".to_string(), true)]
        );
        assert!(placeholders("/a/{b").is_err());
        assert!(placeholders("/a/b}").is_err());
        assert!(placeholders("/a/{}").is_err());
    }
}
