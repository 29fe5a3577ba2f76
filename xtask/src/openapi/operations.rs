//! Operations: parameters, request bodies, responses, errors and pagination.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde_json::Value;

use super::document::{self, ParameterIn, PathItem, Response, Schema, pointer_segment};
use super::refs::follow;
use super::security::Security;
use super::{Loader, for_each_type};
use crate::docs::normalize;
use crate::ir::*;
use crate::smithy::rust_type_name;

type Result<T> = std::result::Result<T, SpecError>;

/// What is settled once every shape is built.
pub struct Later<'a> {
    /// `x-cloudjobs-pagination` or `x-dropshot-pagination`, with its pointer.
    paging: Option<(Paging<'a>, String)>,
    /// Per entry of `Operation::errors`: the response body, its pointer, and a name for a
    /// wrapper structure.
    errors: Vec<(Option<Type>, String, String)>,
}

/// What an operation's responses make of it.
struct Responses {
    output: Output,
    /// The only success status, when it is not 200.
    success_status: Option<u16>,
    /// Every success response key.
    success_statuses: Vec<StatusMatch>,
    /// The request's `Accept` header, when a success response has a body.
    accept: Option<String>,
    upgrade: bool,
    errors: Vec<ErrorRef>,
    /// Per error: its body, pointer and a name for a wrapper structure.
    pending: Vec<(Option<Type>, String, String)>,
}

enum Paging<'a> {
    Cloudjobs(&'a Value),
    Dropshot,
}

/// Variant name for a documented error status.
fn status_variant(code: u16) -> Option<&'static str> {
    Some(match code {
        400 => "BadRequest",
        401 => "Unauthorized",
        402 => "PaymentRequired",
        403 => "Forbidden",
        404 => "NotFound",
        405 => "MethodNotAllowed",
        406 => "NotAcceptable",
        408 => "RequestTimeout",
        409 => "Conflict",
        410 => "Gone",
        412 => "PreconditionFailed",
        413 => "PayloadTooLarge",
        415 => "UnsupportedMediaType",
        422 => "UnprocessableEntity",
        429 => "TooManyRequests",
        499 => "ClientClosedRequest",
        500 => "InternalServerError",
        501 => "NotImplemented",
        502 => "BadGateway",
        503 => "ServiceUnavailable",
        504 => "GatewayTimeout",
        _ => return None,
    })
}

/// Variant name for a success status.
fn success_variant(code: u16) -> String {
    match code {
        200 => "Ok".into(),
        201 => "Created".into(),
        202 => "Accepted".into(),
        203 => "NonAuthoritativeInformation".into(),
        204 => "NoContent".into(),
        205 => "ResetContent".into(),
        206 => "PartialContent".into(),
        301 => "MovedPermanently".into(),
        302 => "Found".into(),
        303 => "SeeOther".into(),
        304 => "NotModified".into(),
        307 => "TemporaryRedirect".into(),
        308 => "PermanentRedirect".into(),
        _ => format!("Status{code}"),
    }
}

/// A response key: `"404"`, `"4XX"` or `"default"`.
fn status_key(key: &str) -> Option<StatusMatch> {
    if key == "default" {
        return Some(StatusMatch::Default);
    }
    let b = key.as_bytes();
    if b.len() == 3 && b[1..].eq_ignore_ascii_case(b"XX") && (b'1'..=b'5').contains(&b[0]) {
        return Some(StatusMatch::Class(b[0] - b'0'));
    }
    key.parse::<u16>()
        .ok()
        .filter(|c| (100..600).contains(c))
        .map(StatusMatch::Exact)
}

fn is_success(s: StatusMatch) -> bool {
    match s {
        StatusMatch::Exact(c) => c < 400,
        StatusMatch::Class(n) => n < 4,
        StatusMatch::Default => false,
    }
}

/// The media type without parameters, lowercase.
fn essence(media: &str) -> String {
    media
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

fn is_json(essence: &str) -> bool {
    essence == "application/json" || essence.ends_with("+json")
}

/// `get /v1/things/{id}` -> `get_v1_things_id`.
pub fn name_from_route(method: &str, path: &str) -> String {
    let mut out = method.to_ascii_lowercase();
    for word in path
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        out.push('_');
        out.push_str(word);
    }
    out
}

impl<'a> Loader<'a> {
    #[allow(clippy::too_many_arguments)]
    pub fn operation(
        &mut self,
        at: &str,
        op_id: &str,
        method: &str,
        path: &str,
        item: &'a PathItem,
        op: &'a document::Operation,
        security: &Security,
    ) -> Result<(Operation, Later<'a>)> {
        let type_name = rust_type_name(op_id);

        let mut members = self.parameters(at, path, &type_name, item, op)?;
        let request_media_type = match &op.request_body {
            Some(body) => Some(self.request_body(
                &format!("{at}/requestBody"),
                &type_name,
                body,
                &mut members,
            )?),
            None => None,
        };
        let input = Structure {
            members,
            ..Structure::new(format!("{type_name}Input"), at)
        };

        let Responses {
            output,
            success_status,
            success_statuses,
            accept,
            upgrade,
            errors,
            pending,
        } = self.responses(at, &type_name, op)?;

        let paging = match (&op.cloudjobs_pagination, &op.dropshot_pagination) {
            (Some(v), _) => Some((Paging::Cloudjobs(v), format!("{at}/x-cloudjobs-pagination"))),
            (None, Some(_)) => Some((Paging::Dropshot, format!("{at}/x-dropshot-pagination"))),
            (None, None) => None,
        };
        let docs = [op.summary.as_deref(), op.description.as_deref()]
            .into_iter()
            .flatten()
            .map(normalize)
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join("\n\n");
        let (security, unsigned) = security.of(self.doc, op.security.as_ref());

        Ok((
            Operation {
                method_name: field_name(op_id),
                name: op_id.to_string(),
                type_name,
                docs,
                http_method: method.to_ascii_uppercase(),
                path: path.to_string(),
                query_literals: Vec::new(),
                success_status,
                success_statuses,
                request_media_type,
                accept,
                readonly: method == "get",
                idempotent: matches!(method, "get" | "put" | "delete" | "head" | "options"),
                deprecated: op.deprecated.then(Deprecated::default),
                host_prefix: None,
                unsigned,
                security,
                upgrade,
                input,
                output,
                errors,
                pagination: None,
            },
            Later {
                paging,
                errors: pending,
            },
        ))
    }

    /// Path-level then operation-level parameters (an operation parameter replaces the
    /// path-level one with the same name and location).
    fn parameters(
        &mut self,
        at: &str,
        path: &str,
        type_name: &str,
        item: &'a PathItem,
        op: &'a document::Operation,
    ) -> Result<Vec<Member>> {
        let at_path = at.rsplit_once('/').map(|(p, _)| p).unwrap_or(at);
        let comps = &self.doc.components.parameters;
        // Parameter, pointer, name, location, hint for an inline shape.
        let mut params: Vec<(
            &'a document::Parameter,
            String,
            &'a str,
            ParameterIn,
            String,
        )> = Vec::new();
        let listed = item
            .parameters
            .iter()
            .enumerate()
            .map(|(i, p)| (p, format!("{at_path}/parameters/{i}")))
            .chain(
                op.parameters
                    .iter()
                    .enumerate()
                    .map(|(i, p)| (p, format!("{at}/parameters/{i}"))),
            );
        for (p, pat) in listed {
            let (p, component, pat) = follow(self.file, "parameters", comps, p, &pat)?;
            let name = p
                .name
                .as_deref()
                .ok_or_else(|| self.err(&pat, "parameter without `name`"))?;
            let location = p
                .location
                .ok_or_else(|| self.err(&pat, "parameter without `in`"))?;
            // A shared parameter's inline schema is named after the component.
            let hint = match component {
                Some(c) => rust_type_name(c),
                None => format!("{type_name}{}", rust_type_name(name)),
            };
            match params
                .iter_mut()
                .find(|(_, _, n, l, _)| *n == name && *l == location)
            {
                Some(slot) => *slot = (p, pat, name, location, hint),
                None => params.push((p, pat, name, location, hint)),
            }
        }
        let mut members = Vec::new();
        for (p, pat, name, location, hint) in params {
            let location = match location {
                ParameterIn::Path => Location::Label,
                ParameterIn::Query => Location::Query,
                ParameterIn::Header => Location::Header,
                ParameterIn::Cookie => {
                    return Err(self.err(
                        &format!("{pat}/in"),
                        format!("cookie parameter `{name}` is not supported"),
                    ));
                }
            };
            let schema = match (&p.schema, &p.content) {
                (Some(s), _) => s,
                (None, Some(_)) => {
                    return Err(self.err(
                        &format!("{pat}/content"),
                        "parameters described by `content` are not supported (use `schema`)",
                    ));
                }
                (None, None) => return Err(self.err(&pat, "parameter without a schema")),
            };
            let r = self.schema_type(schema, &format!("{pat}/schema"), &hint, 0)?;
            let style = p.style.as_deref();
            let query_style = match (location, style) {
                (Location::Query, None | Some("form")) => QueryStyle::Form {
                    explode: p.explode.unwrap_or(true),
                },
                (Location::Query, Some("spaceDelimited")) if p.explode != Some(true) => {
                    QueryStyle::SpaceDelimited
                }
                (Location::Query, Some("pipeDelimited")) if p.explode != Some(true) => {
                    QueryStyle::PipeDelimited
                }
                (Location::Query, Some("spaceDelimited" | "pipeDelimited")) => {
                    QueryStyle::Form { explode: true }
                }
                (Location::Query, Some("deepObject")) => QueryStyle::DeepObject,
                (Location::Label | Location::Header, None | Some("simple")) => {
                    QueryStyle::Form { explode: true }
                }
                (_, Some(other)) => {
                    return Err(self.err(
                        &format!("{pat}/style"),
                        format!("parameter style `{other}` is not supported here"),
                    ));
                }
                (_, None) => QueryStyle::Form { explode: true },
            };
            if location == Location::Label && !path.contains(&format!("{{{name}}}")) {
                return Err(self.err(&pat, format!("path parameter `{name}` is not in the path")));
            }
            members.push(Member {
                docs: normalize(p.description.as_deref().unwrap_or("")),
                required: p.required || location == Location::Label,
                deprecated: p.deprecated.then(Deprecated::default),
                default: schema.default.clone(),
                query_style,
                ..Member::new(name, r.ty, location)
            });
        }
        Ok(members)
    }

    /// Adds the request body to the input (members of an object body, else one `body`
    /// payload) and returns the media type it is sent as, exactly as the spec writes it.
    fn request_body(
        &mut self,
        bat: &str,
        type_name: &str,
        body: &'a document::RequestBody,
        members: &mut Vec<Member>,
    ) -> Result<String> {
        let (body, component, bat) = follow(
            self.file,
            "requestBodies",
            &self.doc.components.request_bodies,
            body,
            bat,
        )?;
        // json, form, raw bytes, text: the first supported kind in this order.
        let rank = |e: &str| {
            if is_json(e) {
                Some(0)
            } else if e == "application/x-www-form-urlencoded" {
                Some(1)
            } else if e == "application/octet-stream" || e == "*/*" || e == "application/*" {
                Some(2)
            } else if e == "text/plain" {
                Some(3)
            } else {
                None
            }
        };
        let chosen = body
            .content
            .iter()
            .filter_map(|(ct, m)| rank(&essence(ct)).map(|r| (r, ct, m)))
            .min_by_key(|(r, _, _)| *r);
        let Some((rank, ct, media)) = chosen else {
            return Err(match body.content.keys().next() {
                Some(ct) => self.err(
                    &format!("{bat}/content/{}", pointer_segment(ct)),
                    format!(
                        "request body media type `{ct}` is not supported (application/json, application/x-www-form-urlencoded, application/octet-stream, text/plain)"
                    ),
                ),
                None => self.err(&bat, "request body without `content`"),
            });
        };
        let sat = format!("{bat}/content/{}/schema", pointer_segment(ct));
        let docs = normalize(body.description.as_deref().unwrap_or(""));
        let payload = |ty: Type| Member {
            docs: docs.clone(),
            required: body.required,
            ..Member::new("body", ty, Location::Payload)
        };
        let hint = format!(
            "{}Body",
            component.map_or(type_name.to_string(), rust_type_name)
        );
        match rank {
            0 => {
                let Some(schema) = &media.schema else {
                    members.push(payload(Type::new(Kind::Document)));
                    return Ok(ct.clone());
                };
                if let Some(st) = self.object_body(schema, &sat, &hint)? {
                    let clash = st.members.iter().any(|b| {
                        members
                            .iter()
                            .any(|m| m.member_name == b.member_name || m.rust_name == b.rust_name)
                    });
                    if st.additional.is_none() && !clash {
                        members.extend(st.members);
                        return Ok(ct.clone());
                    }
                }
                let r = self.schema_type(schema, &sat, &hint, 0)?;
                members.push(payload(r.ty));
            }
            1 => {
                let ty = match &media.schema {
                    Some(schema) => self.schema_type(schema, &sat, &hint, 0)?.ty,
                    None => Type::new(Kind::FreeFormObject),
                };
                if !matches!(ty.kind, Kind::Struct(_)) {
                    return Err(self.err(
                        &sat,
                        "an application/x-www-form-urlencoded body must be an object schema with properties",
                    ));
                }
                members.push(payload(Type {
                    media_type: Some("application/x-www-form-urlencoded".into()),
                    ..ty
                }));
            }
            2 => members.push(payload(Type {
                media_type: Some("application/octet-stream".into()),
                ..Type::new(Kind::Blob)
            })),
            _ => members.push(payload(Type {
                media_type: Some("text/plain".into()),
                ..Type::new(Kind::String)
            })),
        }
        Ok(ct.clone())
    }

    /// A JSON body that is an object with properties (directly, through `$ref` or `allOf`):
    /// its structure. A referenced component is registered as a shape too.
    fn object_body(
        &mut self,
        schema: &'a Schema,
        sat: &str,
        hint: &str,
    ) -> Result<Option<Structure>> {
        let (target, component, _) = self.lookup_schema(schema, sat)?;
        let is_object = target.one_of.is_empty()
            && target.any_of.is_empty()
            && target.enumeration.is_none()
            && (!target.properties.is_empty() || target.all_of.len() > 1)
            && !target.nullable;
        if !is_object {
            return Ok(None);
        }
        let name = match component {
            Some(c) => self.build_component(c)?,
            None => self.inline_shape(target, sat, hint, 0)?,
        };
        match self.shapes.get(&name) {
            Some(Shape::Structure(s)) => {
                let s = s.clone();
                if component.is_none() && s.additional.is_none() {
                    // Spread into the input: the inline body needs no type of its own.
                    self.shapes.remove(&name);
                    self.used_names.remove(&name);
                    self.inline.remove(sat);
                    self.titled.retain(|_, (_, n)| *n != name);
                }
                Ok(Some(s))
            }
            _ => Ok(None),
        }
    }

    /// The body type of a response (`None`: no body), and what the request's `Accept` says
    /// for it: the declared JSON or text media type, `*/*` for raw bytes.
    fn response_body(
        &mut self,
        resp: &'a Response,
        rat: &str,
        hint: &str,
    ) -> Result<Option<(Type, String)>> {
        let rank = |e: &str| {
            if is_json(e) {
                0
            } else if e == "text/plain" {
                1
            } else {
                2
            }
        };
        let Some((ct, media)) = resp.content.iter().min_by_key(|(ct, _)| rank(&essence(ct))) else {
            return Ok(None);
        };
        let e = essence(ct);
        let sat = format!("{rat}/content/{}/schema", pointer_segment(ct));
        Ok(Some(if is_json(&e) {
            let ty = match &media.schema {
                Some(s) if *s != Schema::default() => self.schema_type(s, &sat, hint, 0)?.ty,
                _ => Type::new(Kind::Document),
            };
            (ty, ct.clone())
        } else if e == "text/plain" {
            // The media type makes the emitter read the body as text, not as a JSON string.
            let ty = Type {
                media_type: Some(ct.clone()),
                ..Type::new(Kind::String)
            };
            (ty, ct.clone())
        } else {
            (Type::new(Kind::Blob), "*/*".to_string())
        }))
    }

    /// Response headers as `Header` members (`Content-Type` is left out, as OpenAPI says).
    /// Field names stay distinct and clear of `body` (which holds the body next to them): a
    /// clash gets `_header`, then a number.
    fn response_headers(
        &mut self,
        resp: &'a Response,
        rat: &str,
        type_name: &str,
    ) -> Result<Vec<Member>> {
        let mut out = Vec::new();
        for (name, h) in &resp.headers {
            if name.eq_ignore_ascii_case("content-type") {
                continue;
            }
            let hat = format!("{rat}/headers/{}", pointer_segment(name));
            let (h, component, hat) =
                follow(self.file, "headers", &self.doc.components.headers, h, &hat)?;
            let ty = match &h.schema {
                Some(s) => {
                    let hint = match component {
                        Some(c) => rust_type_name(c),
                        None => format!("{type_name}{}", rust_type_name(name)),
                    };
                    self.schema_type(s, &format!("{hat}/schema"), &hint, 0)?.ty
                }
                None => Type::new(Kind::String),
            };
            let mut member = Member {
                docs: normalize(h.description.as_deref().unwrap_or("")),
                required: h.required,
                deprecated: h.deprecated.then(Deprecated::default),
                ..Member::new(name.as_str(), ty, Location::Header)
            };
            let taken = |n: &str| n == "body" || out.iter().any(|m: &Member| m.rust_name == n);
            if taken(&member.rust_name) {
                let base = format!("{}_header", member.rust_name.trim_start_matches("r#"));
                let mut candidate = base.clone();
                let mut i = 2;
                while taken(&candidate) {
                    candidate = format!("{base}{i}");
                    i += 1;
                }
                member.rust_name = candidate;
            }
            out.push(member);
        }
        Ok(out)
    }

    fn responses(
        &mut self,
        at: &str,
        type_name: &str,
        op: &'a document::Operation,
    ) -> Result<Responses> {
        let mut keyed = Vec::new();
        for (key, resp) in &op.responses {
            let rat = format!("{at}/responses/{}", pointer_segment(key));
            let status = status_key(key).ok_or_else(|| {
                self.err(
                    &rat,
                    format!("`{key}` is not a status, a status class (`4XX`) or `default`"),
                )
            })?;
            let (resp, component, rat) = follow(
                self.file,
                "responses",
                &self.doc.components.responses,
                resp,
                &rat,
            )?;
            // A shared response's inline schema is named after the component.
            let shared = component.map(|c| format!("{}Response", rust_type_name(c)));
            keyed.push((status, resp, rat, shared));
        }
        if keyed.is_empty() {
            // Nothing is documented (dropshot writes this for a handler that builds its own
            // response): any success, its body as bytes.
            return Ok(Responses {
                output: Output::Type(Type::new(Kind::Blob)),
                success_status: None,
                success_statuses: Vec::new(),
                accept: Some("*/*".into()),
                upgrade: false,
                errors: vec![],
                pending: vec![],
            });
        }
        let has_success = keyed.iter().any(|(s, _, _, _)| is_success(*s));
        let websocket = op.dropshot_websocket.is_some();
        let success = |s: StatusMatch| is_success(s) || (s == StatusMatch::Default && !has_success);
        let successes: Vec<_> = keyed.iter().filter(|(s, _, _, _)| success(*s)).collect();
        let upgrade =
            websocket || matches!(successes.as_slice(), [(StatusMatch::Exact(101), _, _, _)]);

        let mut errors = Vec::new();
        let mut pending = Vec::new();
        for (status, resp, rat, shared) in keyed.iter().filter(|(s, _, _, _)| !success(*s)) {
            let variant = match *status {
                StatusMatch::Exact(c) => status_variant(c)
                    .map(str::to_string)
                    .unwrap_or_else(|| format!("Status{c}")),
                StatusMatch::Class(4) => "ClientError".into(),
                StatusMatch::Class(5) => "ServerError".into(),
                StatusMatch::Class(n) => format!("Status{n}xx"),
                StatusMatch::Default => "DefaultError".into(),
            };
            let hint = format!("{type_name}{variant}");
            let body = self
                .response_body(resp, rat, shared.as_deref().unwrap_or(&hint))?
                .map(|(ty, _)| ty);
            errors.push(ErrorRef {
                variant: variant.clone(),
                shape: String::new(),
                matcher: match *status {
                    StatusMatch::Exact(c) => ErrorMatch::Status(c),
                    StatusMatch::Class(n) => ErrorMatch::StatusClass(n),
                    StatusMatch::Default => ErrorMatch::Default,
                },
                status: match *status {
                    StatusMatch::Exact(c) => Some(c),
                    _ => None,
                },
                docs: normalize(&resp.description),
            });
            pending.push((body, rat.clone(), hint));
        }

        let success_statuses: Vec<StatusMatch> = successes.iter().map(|(s, ..)| *s).collect();
        let mut outs = Vec::new();
        let mut accepted: Vec<String> = Vec::new();
        for (status, resp, rat, shared) in &successes {
            let hint = match shared {
                Some(h) => h.clone(),
                None if successes.len() == 1 => format!("{type_name}Response"),
                None => format!("{type_name}Response{}", status_name(*status)),
            };
            let body = match self.response_body(resp, rat, &hint)? {
                Some((ty, accept)) => {
                    if !accepted.contains(&accept) {
                        accepted.push(accept);
                    }
                    Some(ty)
                }
                None => None,
            };
            let headers = self.response_headers(resp, rat, type_name)?;
            outs.push((
                *status,
                body,
                headers,
                normalize(&resp.description),
                rat.clone(),
            ));
        }
        let accept = (!accepted.is_empty()).then(|| accepted.join(", "));
        if upgrade {
            return Ok(Responses {
                output: Output::Empty,
                success_status: None,
                success_statuses,
                accept,
                upgrade: true,
                errors,
                pending,
            });
        }
        let same = outs
            .iter()
            .all(|(_, b, h, _, _)| h.is_empty() && format!("{b:?}") == format!("{:?}", outs[0].1));
        let (output, success_status) = match outs.as_slice() {
            [] => {
                return Err(self.err(
                    &format!("{at}/responses"),
                    "no success response (1xx, 2xx, 3xx or `default`)",
                ));
            }
            [(status, body, headers, _, rat)] => {
                let status = match status {
                    StatusMatch::Exact(c) if *c != 200 => Some(*c),
                    _ => None,
                };
                let output = if !headers.is_empty() {
                    let mut members = headers.clone();
                    if let Some(b) = body {
                        members.push(Member {
                            required: true,
                            ..Member::new("body", b.clone(), Location::Payload)
                        });
                    }
                    Output::Owned(Structure {
                        members,
                        ..Structure::new(format!("{type_name}Output"), rat.as_str())
                    })
                } else {
                    match body {
                        Some(b) => Output::Type(b.clone()),
                        None => Output::Empty,
                    }
                };
                (output, status)
            }
            [(_, body, _, _, _), ..] if same => (
                match body {
                    Some(b) => Output::Type(b.clone()),
                    None => Output::Empty,
                },
                None,
            ),
            _ => (
                Output::ByStatus(
                    outs.into_iter()
                        .map(|(status, body, headers, docs, _)| StatusOutput {
                            variant: status_name(status),
                            status,
                            docs,
                            body,
                            headers,
                        })
                        .collect(),
                ),
                None,
            ),
        };
        Ok(Responses {
            output,
            success_status,
            success_statuses,
            accept,
            upgrade: false,
            errors,
            pending,
        })
    }

    /// Pagination of an operation, once its input and output types are final.
    pub fn pagination(&self, op: &Operation, later: &Later<'a>) -> Result<Option<Pagination>> {
        let Some((paging, at)) = &later.paging else {
            return Ok(None);
        };
        let out = match &op.output {
            Output::Type(Type {
                kind: Kind::Struct(name),
                ..
            }) => match self.shapes.get(name) {
                Some(Shape::Structure(s)) => s.clone(),
                _ => return Err(self.err(at, "paginated output is not a structure")),
            },
            _ => return Err(self.err(at, "paginated output is not a structure")),
        };
        match paging {
            Paging::Cloudjobs(v) => self.cloudjobs_pagination(at, v, &op.input, &out).map(Some),
            Paging::Dropshot => {
                // Dropshot's convention: `page_token` and `limit` query parameters in, the
                // `items` of the page and the `next_page` token out.
                let name = |s: &str| vec![s.to_string()];
                self.member_path(at, &op.input, &name("page_token"))?;
                self.member_path(at, &op.input, &name("limit"))?;
                self.member_path(at, &out, &name("next_page"))?;
                self.member_path(at, &out, &name("items"))?;
                Ok(Some(Pagination {
                    style: PageStyle::Token {
                        input: "page_token".into(),
                        output: name("next_page"),
                    },
                    page_size: Some(name("limit")),
                    items: Some(name("items")),
                }))
            }
        }
    }

    fn cloudjobs_pagination(
        &self,
        at: &str,
        v: &Value,
        input: &Structure,
        out: &Structure,
    ) -> Result<Pagination> {
        let get = |k: &str| {
            v.get(k)
                .and_then(Value::as_str)
                .map(str::to_string)
                .ok_or_else(|| self.err(at, format!("missing string `{k}`")))
        };
        let items_name = get("items")?;
        self.member_path(at, out, std::slice::from_ref(&items_name))?;
        let items = Some(vec![items_name]);
        match get("style")?.as_str() {
            "offset" => {
                let split = |s: String| s.split('.').map(str::to_string).collect::<Vec<_>>();
                let start = split(get("start")?);
                let limit = split(get("limit")?);
                let total = get("total")?;
                self.member_path(at, input, &start)?;
                self.member_path(at, input, &limit)?;
                self.member_path(at, out, std::slice::from_ref(&total))?;
                Ok(Pagination {
                    style: PageStyle::Offset {
                        start,
                        limit: limit.clone(),
                        total,
                    },
                    page_size: Some(limit),
                    items,
                })
            }
            "token" => {
                let (it, ot) = (get("inputToken")?, get("outputToken")?);
                self.member_path(at, input, std::slice::from_ref(&it))?;
                self.member_path(at, out, std::slice::from_ref(&ot))?;
                let page_size = v
                    .get("pageSize")
                    .and_then(Value::as_str)
                    .map(|p| vec![p.to_string()]);
                if let Some(ps) = &page_size {
                    self.member_path(at, input, ps)?;
                }
                Ok(Pagination {
                    style: PageStyle::Token {
                        input: it,
                        output: vec![ot],
                    },
                    page_size,
                    items,
                })
            }
            other => Err(self.err(
                at,
                format!("unknown pagination style {other:?} (offset or token)"),
            )),
        }
    }

    /// Checks that a member path exists, through nested structures.
    fn member_path(&self, at: &str, root: &Structure, path: &[String]) -> Result<()> {
        let mut current = root;
        for (i, seg) in path.iter().enumerate() {
            let m = current
                .members
                .iter()
                .find(|m| &m.name == seg)
                .ok_or_else(|| {
                    self.err(
                        at,
                        format!(
                            "`{}` is not a member path of {}",
                            path.join("."),
                            root.rust_name
                        ),
                    )
                })?;
            if i + 1 < path.len() {
                match &m.ty.kind {
                    Kind::Struct(n) => match self.shapes.get(n) {
                        Some(Shape::Structure(s)) => current = s,
                        _ => return Err(self.err(at, format!("`{seg}` is not a structure"))),
                    },
                    _ => return Err(self.err(at, format!("`{seg}` is not a structure"))),
                }
            }
        }
        Ok(())
    }

    /// Gives every error its structure: a response body that is a structure used nowhere
    /// else is marked `is_error`; one also used elsewhere gets an error copy
    /// (`<Name>Error`); any other body (none, a list, a union, text, ...) is wrapped in a
    /// generated error structure (its `body` payload member holds the body).
    pub fn error_shapes(&mut self, operations: &mut [Operation], later: &[Later<'a>]) {
        let mut used: HashSet<String> = HashSet::new();
        for_each_type(&mut self.shapes, operations, |t| {
            if let Kind::Struct(n) = &t.kind {
                used.insert(n.clone());
            }
        });
        let mut copies: HashMap<String, String> = HashMap::new();
        let mut wrappers: BTreeMap<String, String> = BTreeMap::new();
        for (op, later) in operations.iter_mut().zip(later) {
            for (er, (body, at, hint)) in op.errors.iter_mut().zip(&later.errors) {
                if let Some(Type {
                    kind: Kind::Struct(n),
                    ..
                }) = body
                    && let Some(Shape::Structure(s)) = self.shapes.get_mut(n)
                {
                    if !used.contains(n) {
                        s.is_error = true;
                        er.shape = n.clone();
                        continue;
                    }
                    if let Some(c) = copies.get(n) {
                        er.shape = c.clone();
                        continue;
                    }
                    let mut copy = s.clone();
                    let name = self.fresh(&format!("{n}Error"));
                    copy.rust_name = name.clone();
                    copy.is_error = true;
                    self.shapes.insert(name.clone(), Shape::Structure(copy));
                    copies.insert(n.clone(), name.clone());
                    er.shape = name;
                    continue;
                }
                let key = format!("{:?}", body.as_ref().map(|b| &b.kind));
                if let Some(w) = wrappers.get(&key) {
                    er.shape = w.clone();
                    continue;
                }
                let base = match body.as_ref().map(|b| &b.kind) {
                    None => "EmptyError".to_string(),
                    Some(Kind::Struct(n) | Kind::Union(n) | Kind::Enum(n) | Kind::IntEnum(n)) => {
                        format!("{n}Error")
                    }
                    Some(_) => format!("{hint}Error"),
                };
                let name = self.fresh(&base);
                let mut st = Structure::new(name.clone(), at.as_str());
                st.is_error = true;
                st.docs = "An error response with no structured body.".into();
                if let Some(b) = body {
                    st.docs = "An error response; `body` holds its body.".into();
                    st.members.push(Member {
                        required: true,
                        ..Member::new("body", b.clone(), Location::Payload)
                    });
                }
                self.shapes.insert(name.clone(), Shape::Structure(st));
                wrappers.insert(key, name.clone());
                er.shape = name;
            }
        }
    }
}

/// Variant name of a success response in [`Output::ByStatus`].
fn status_name(s: StatusMatch) -> String {
    match s {
        StatusMatch::Exact(c) => success_variant(c),
        StatusMatch::Class(n) => format!("Status{n}xx"),
        StatusMatch::Default => "Default".into(),
    }
}
