//! OpenAPI 3.0 front-end (through `openapiv3`) -> [`Service`].
//!
//! Conventions the specs follow (and this checks): every operation has an `operationId`;
//! objects and enums are named component schemas referenced with `$ref`; a request body is a
//! `$ref` to an object schema whose properties become input members; each documented 4xx/5xx
//! status is one modeled error. Extensions: `x-cloudjobs-path-prefix` (top level) and
//! `x-cloudjobs-pagination` (operation).

use std::collections::BTreeMap;

use openapiv3::{
    AdditionalProperties, IntegerFormat, NumberFormat, OpenAPI, Parameter,
    ParameterSchemaOrContent, ReferenceOr, Schema, SchemaKind, SecurityScheme, StatusCode,
    StringFormat, Type as OaType, VariantOrUnknownOrEmpty,
};

use crate::docs::normalize;
use crate::ir::*;
use crate::smithy::rust_type_name;

type Result<T> = std::result::Result<T, SpecError>;

struct Loader<'a> {
    file: &'a str,
    api: &'a OpenAPI,
    named: BTreeMap<String, Shape>,
}

fn err(file: &str, location: &str, message: impl Into<String>) -> SpecError {
    SpecError {
        file: file.into(),
        location: location.into(),
        message: message.into(),
    }
}

/// Escapes a path segment for a JSON pointer.
fn ptr(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

fn describe(data: &openapiv3::SchemaData) -> String {
    normalize(
        data.description
            .as_deref()
            .or(data.title.as_deref())
            .unwrap_or(""),
    )
}

/// Parses an OpenAPI 3.0 YAML or JSON document.
pub fn load(file: &str, text: &str) -> Result<Service> {
    let api: OpenAPI = serde_yaml::from_str(text).map_err(|e| {
        let at = e
            .location()
            .map(|l| format!("line {}", l.line()))
            .unwrap_or_else(|| "/".into());
        err(file, &at, format!("not a valid OpenAPI 3.0 document: {e}"))
    })?;
    if !api.openapi.starts_with("3.0") {
        return Err(err(
            file,
            "/openapi",
            format!("expected OpenAPI 3.0.x, found {}", api.openapi),
        ));
    }
    let path_prefix = match api.extensions.get("x-cloudjobs-path-prefix") {
        None => String::new(),
        Some(v) => v
            .as_str()
            .filter(|p| p.starts_with('/') && !p.ends_with('/'))
            .ok_or_else(|| {
                err(
                    file,
                    "/x-cloudjobs-path-prefix",
                    "must be a path starting with `/` and not ending with `/`",
                )
            })?
            .to_string(),
    };

    // Authentication: one HTTP bearer scheme.
    let schemes = api.components.as_ref().map(|c| &c.security_schemes);
    let mut bearer = false;
    for (name, scheme) in schemes.into_iter().flatten() {
        match scheme {
            ReferenceOr::Item(SecurityScheme::HTTP { scheme, .. })
                if scheme.eq_ignore_ascii_case("bearer") =>
            {
                bearer = true;
            }
            _ => {
                return Err(err(
                    file,
                    &format!("/components/securitySchemes/{}", ptr(name)),
                    "unsupported security scheme: only `type: http, scheme: bearer` is supported",
                ));
            }
        }
    }
    if !bearer {
        return Err(err(
            file,
            "/components/securitySchemes",
            "no bearer security scheme",
        ));
    }

    let mut loader = Loader {
        file,
        api: &api,
        named: BTreeMap::new(),
    };
    let mut operations = Vec::new();
    for (path, item) in api.paths.iter() {
        let at_path = format!("/paths/{}", ptr(path));
        let item = match item {
            ReferenceOr::Item(i) => i,
            ReferenceOr::Reference { .. } => {
                return Err(err(
                    file,
                    &at_path,
                    "path item references are not supported",
                ));
            }
        };
        if !item.parameters.is_empty() {
            return Err(err(
                file,
                &at_path,
                "path-level parameters are not supported; declare them on the operation",
            ));
        }
        let relative = path
            .strip_prefix(path_prefix.as_str())
            .filter(|r| r.starts_with('/'))
            .ok_or_else(|| {
                err(
                    file,
                    &at_path,
                    format!("path does not start with x-cloudjobs-path-prefix `{path_prefix}`"),
                )
            })?;
        for (method, op) in item.iter() {
            let at = format!("{at_path}/{method}");
            operations.push(loader.operation(&at, method, relative, op)?);
        }
    }
    if operations.is_empty() {
        return Err(err(file, "/paths", "no operations"));
    }
    let mut names = std::collections::BTreeSet::new();
    for op in &operations {
        if !names.insert(op.type_name.clone()) {
            return Err(err(
                file,
                "/paths",
                format!("two operations are named `{}`", op.type_name),
            ));
        }
    }

    Ok(Service {
        spec_path: file.into(),
        crate_name: String::new(),
        name: String::new(),
        title: api.info.title.clone(),
        sdk_id: api.info.title.clone(),
        version: api.info.version.clone(),
        docs: normalize(api.info.description.as_deref().unwrap_or("")),
        protocol: Protocol::Json,
        auth: Auth::Bearer,
        endpoint: Endpoint::BaseUrl { default: None },
        path_prefix,
        throttling_codes: vec![],
        operations,
        shapes: loader.named,
    })
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

impl<'a> Loader<'a> {
    fn component(&self, reference: &str, at: &str) -> Result<(String, &'a Schema)> {
        let name = reference
            .strip_prefix("#/components/schemas/")
            .ok_or_else(|| {
                err(
                    self.file,
                    at,
                    format!("unsupported reference `{reference}` (only #/components/schemas/...)"),
                )
            })?;
        let schema = self
            .api
            .components
            .as_ref()
            .and_then(|c| c.schemas.get(name))
            .ok_or_else(|| err(self.file, at, format!("dangling reference `{reference}`")))?;
        match schema {
            ReferenceOr::Item(s) => Ok((name.to_string(), s)),
            ReferenceOr::Reference { reference: r2 } => {
                self.component(r2, &format!("/components/schemas/{}", ptr(name)))
            }
        }
    }

    fn operation(
        &mut self,
        at: &str,
        method: &str,
        path: &str,
        op: &openapiv3::Operation,
    ) -> Result<Operation> {
        let op_id = op
            .operation_id
            .as_deref()
            .ok_or_else(|| err(self.file, at, "operation without operationId"))?;
        let type_name = rust_type_name(op_id);
        let mut members = Vec::new();
        for (i, p) in op.parameters.iter().enumerate() {
            let pat = format!("{at}/parameters/{i}");
            let p = match p {
                ReferenceOr::Item(p) => p,
                ReferenceOr::Reference { .. } => {
                    return Err(err(
                        self.file,
                        &pat,
                        "parameter references are not supported",
                    ));
                }
            };
            let (data, location) = match p {
                Parameter::Path { parameter_data, .. } => (parameter_data, Location::Label),
                Parameter::Query { parameter_data, .. } => (parameter_data, Location::Query),
                _ => {
                    return Err(err(
                        self.file,
                        &pat,
                        "only path and query parameters are supported",
                    ));
                }
            };
            let ParameterSchemaOrContent::Schema(schema) = &data.format else {
                return Err(err(self.file, &pat, "parameter without a schema"));
            };
            let ty = self.resolve(schema, &format!("{pat}/schema"))?;
            if !matches!(
                ty.kind,
                Kind::String | Kind::Integer | Kind::Long | Kind::Boolean | Kind::Enum(_)
            ) {
                return Err(err(
                    self.file,
                    &pat,
                    "only scalar path and query parameters are supported",
                ));
            }
            if location == Location::Label && !path.contains(&format!("{{{}}}", data.name)) {
                return Err(err(
                    self.file,
                    &pat,
                    format!("path parameter `{}` is not in the path", data.name),
                ));
            }
            members.push(Member {
                docs: normalize(data.description.as_deref().unwrap_or("")),
                required: data.required || location == Location::Label,
                ..Member::new(data.name.clone(), ty, location)
            });
        }
        if let Some(body) = &op.request_body {
            let bat = format!("{at}/requestBody");
            let body = match body {
                ReferenceOr::Item(b) => b,
                ReferenceOr::Reference { .. } => {
                    return Err(err(
                        self.file,
                        &bat,
                        "request body references are not supported",
                    ));
                }
            };
            let media = body.content.get("application/json").ok_or_else(|| {
                err(
                    self.file,
                    &bat,
                    "request body without application/json content",
                )
            })?;
            let Some(ReferenceOr::Reference { reference }) = &media.schema else {
                return Err(err(
                    self.file,
                    &bat,
                    "request body schema must be a $ref to a component object schema",
                ));
            };
            let (name, schema) = self.component(reference, &bat)?;
            let st = self.object(
                &name,
                schema,
                &format!("/components/schemas/{}", ptr(&name)),
                None,
                false,
            )?;
            members.extend(st.members);
        }
        let input = Structure {
            members,
            ..Structure::new(format!("{type_name}Input"), at)
        };

        let mut output = None;
        let mut errors = Vec::new();
        for (code, resp) in &op.responses.responses {
            let rat = format!("{at}/responses/{code}");
            let StatusCode::Code(code) = *code else {
                return Err(err(self.file, &rat, "status ranges are not supported"));
            };
            let resp = match resp {
                ReferenceOr::Item(r) => r,
                ReferenceOr::Reference { .. } => {
                    return Err(err(
                        self.file,
                        &rat,
                        "response references are not supported",
                    ));
                }
            };
            let schema = resp
                .content
                .iter()
                .find(|(ct, _)| ct.contains("json") || ct.as_str() == "*/*")
                .and_then(|(_, m)| m.schema.as_ref());
            if (200..300).contains(&code) {
                if output.is_some() {
                    return Err(err(self.file, &rat, "more than one success response"));
                }
                output = Some(match schema {
                    None => Output::Empty,
                    Some(s) => Output::Type(self.resolve(s, &format!("{rat}/content"))?),
                });
            } else if (400..600).contains(&code) {
                let Some(ReferenceOr::Reference { reference }) = schema else {
                    return Err(err(
                        self.file,
                        &rat,
                        "error response schema must be a $ref to a component object schema",
                    ));
                };
                let (name, schema) = self.component(reference, &rat)?;
                let st = self.object(
                    &name,
                    schema,
                    &format!("/components/schemas/{}", ptr(&name)),
                    None,
                    true,
                )?;
                let variant = status_variant(code).ok_or_else(|| {
                    err(
                        self.file,
                        &rat,
                        format!("no variant name known for status {code}"),
                    )
                })?;
                errors.push(ErrorRef {
                    variant: variant.to_string(),
                    shape: st.rust_name,
                    matcher: ErrorMatch::Status(code),
                    status: Some(code),
                    docs: normalize(&resp.description),
                });
            } else {
                return Err(err(
                    self.file,
                    &rat,
                    "only 2xx, 4xx and 5xx responses are supported",
                ));
            }
        }
        let output = output.ok_or_else(|| err(self.file, at, "no success (2xx) response"))?;

        let pagination = match op.extensions.get("x-cloudjobs-pagination") {
            None => None,
            Some(v) => Some(self.pagination(
                &format!("{at}/x-cloudjobs-pagination"),
                v,
                &input,
                &output,
            )?),
        };
        let docs = [op.summary.as_deref(), op.description.as_deref()]
            .into_iter()
            .flatten()
            .map(normalize)
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join("\n\n");

        Ok(Operation {
            name: op_id.to_string(),
            method_name: field_name(op_id),
            type_name,
            docs,
            http_method: method.to_ascii_uppercase(),
            path: path.to_string(),
            query_literals: Vec::new(),
            success_status: None,
            readonly: method == "get",
            idempotent: matches!(method, "get" | "put" | "delete" | "head" | "options"),
            deprecated: op.deprecated.then(Deprecated::default),
            host_prefix: None,
            unsigned: false,
            security: Vec::new(),
            upgrade: false,
            input,
            output,
            errors,
            pagination,
        })
    }

    fn pagination(
        &self,
        at: &str,
        v: &serde_json::Value,
        input: &Structure,
        output: &Output,
    ) -> Result<Pagination> {
        let get = |k: &str| {
            v.get(k)
                .and_then(serde_json::Value::as_str)
                .map(str::to_string)
                .ok_or_else(|| err(self.file, at, format!("missing string `{k}`")))
        };
        let out = match output {
            Output::Type(Type {
                kind: Kind::Struct(name),
                ..
            }) => match self.named.get(name) {
                Some(Shape::Structure(s)) => s.clone(),
                _ => return Err(err(self.file, at, "paginated output is not a structure")),
            },
            _ => return Err(err(self.file, at, "paginated output is not a structure")),
        };
        let items_name = get("items")?;
        self.member_path(at, &out, std::slice::from_ref(&items_name))?;
        let items = Some(vec![items_name]);
        match get("style")?.as_str() {
            "offset" => {
                let split = |s: String| s.split('.').map(str::to_string).collect::<Vec<_>>();
                let start = split(get("start")?);
                let limit = split(get("limit")?);
                let total = get("total")?;
                self.member_path(at, input, &start)?;
                self.member_path(at, input, &limit)?;
                self.member_path(at, &out, std::slice::from_ref(&total))?;
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
                self.member_path(at, &out, std::slice::from_ref(&ot))?;
                let page_size = v
                    .get("pageSize")
                    .and_then(serde_json::Value::as_str)
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
            other => Err(err(
                self.file,
                at,
                format!("unknown pagination style {other:?} (offset or token)"),
            )),
        }
    }

    /// Checks that a dotted member path exists, through nested structures.
    fn member_path(&self, at: &str, root: &Structure, path: &[String]) -> Result<()> {
        let mut current = root.clone();
        for (i, seg) in path.iter().enumerate() {
            let m = current
                .members
                .iter()
                .find(|m| &m.name == seg)
                .ok_or_else(|| {
                    err(
                        self.file,
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
                    Kind::Struct(n) => match self.named.get(n) {
                        Some(Shape::Structure(s)) => current = s.clone(),
                        _ => return Err(err(self.file, at, format!("`{seg}` is not a structure"))),
                    },
                    _ => return Err(err(self.file, at, format!("`{seg}` is not a structure"))),
                }
            }
        }
        Ok(())
    }

    /// Loads a named object schema as a structure.
    fn object(
        &mut self,
        name: &str,
        schema: &Schema,
        at: &str,
        rename: Option<String>,
        is_error: bool,
    ) -> Result<Structure> {
        let rust_name = rename.unwrap_or_else(|| rust_type_name(name));
        if let Some(Shape::Structure(s)) = self.named.get(&rust_name) {
            if is_error && !s.is_error {
                let mut s = s.clone();
                s.is_error = true;
                self.named.insert(rust_name, Shape::Structure(s.clone()));
                return Ok(s);
            }
            return Ok(s.clone());
        }
        let SchemaKind::Type(OaType::Object(obj)) = &schema.schema_kind else {
            return Err(err(self.file, at, "expected an object schema"));
        };
        if obj.properties.is_empty()
            && !matches!(
                obj.additional_properties,
                None | Some(AdditionalProperties::Any(false))
            )
        {
            return Err(err(
                self.file,
                at,
                "expected an object schema with properties",
            ));
        }
        // Insert a placeholder first so recursive references terminate.
        let placeholder = Structure {
            docs: describe(&schema.schema_data),
            is_error,
            ..Structure::new(rust_name.clone(), at)
        };
        self.named
            .insert(rust_name.clone(), Shape::Structure(placeholder.clone()));
        for r in &obj.required {
            if !obj.properties.contains_key(r) {
                return Err(err(
                    self.file,
                    &format!("{at}/required"),
                    format!("required property `{r}` is not declared"),
                ));
            }
        }
        let mut members = Vec::new();
        for (pname, prop) in &obj.properties {
            let pat = format!("{at}/properties/{}", ptr(pname));
            let ty = self.resolve_boxed(prop, &pat)?;
            let docs = match prop {
                ReferenceOr::Item(s) => describe(&s.schema_data),
                ReferenceOr::Reference { reference } => self
                    .component(reference, &pat)
                    .map(|(_, s)| describe(&s.schema_data))
                    .unwrap_or_default(),
            };
            members.push(Member {
                docs,
                required: obj.required.contains(pname),
                ..Member::new(pname.clone(), ty, Location::Body)
            });
        }
        let mut seen = std::collections::BTreeSet::new();
        for m in &members {
            if !seen.insert(m.rust_name.clone()) {
                return Err(err(
                    self.file,
                    at,
                    format!("two properties map to the Rust field `{}`", m.rust_name),
                ));
            }
        }
        let st = Structure {
            members,
            ..placeholder
        };
        self.named.insert(rust_name, Shape::Structure(st.clone()));
        Ok(st)
    }

    fn resolve_boxed(&mut self, schema: &ReferenceOr<Box<Schema>>, at: &str) -> Result<Type> {
        match schema {
            ReferenceOr::Reference { reference } => self.resolve_ref(reference, at),
            ReferenceOr::Item(s) => self.inline(s, at),
        }
    }

    fn resolve(&mut self, schema: &ReferenceOr<Schema>, at: &str) -> Result<Type> {
        match schema {
            ReferenceOr::Reference { reference } => self.resolve_ref(reference, at),
            ReferenceOr::Item(s) => self.inline(s, at),
        }
    }

    fn resolve_ref(&mut self, reference: &str, at: &str) -> Result<Type> {
        let (name, schema) = self.component(reference, at)?;
        let cat = format!("/components/schemas/{}", ptr(&name));
        match &schema.schema_kind {
            SchemaKind::Type(OaType::Object(obj)) if !obj.properties.is_empty() => {
                let st = self.object(&name, schema, &cat, None, false)?;
                Ok(Type::new(Kind::Struct(st.rust_name)))
            }
            SchemaKind::Type(OaType::String(s)) if !s.enumeration.is_empty() => Ok(Type::new(
                Kind::Enum(self.enumeration(&name, schema, &cat)?),
            )),
            // Aliases (free-form objects, arrays, scalars) are inlined.
            _ => self.inline(schema, &cat),
        }
    }

    fn enumeration(&mut self, name: &str, schema: &Schema, at: &str) -> Result<String> {
        let rust_name = rust_type_name(name);
        if self.named.contains_key(&rust_name) {
            return Ok(rust_name);
        }
        let SchemaKind::Type(OaType::String(s)) = &schema.schema_kind else {
            unreachable!("checked by caller")
        };
        let mut values = Vec::new();
        let mut seen = BTreeMap::new();
        for v in &s.enumeration {
            let v = v.as_ref().ok_or_else(|| {
                err(
                    self.file,
                    &format!("{at}/enum"),
                    "null enum values are not supported",
                )
            })?;
            let variant = variant_name(v);
            if let Some(prev) = seen.insert(variant.clone(), v.clone()) {
                return Err(err(
                    self.file,
                    &format!("{at}/enum"),
                    format!("values {prev:?} and {v:?} both map to variant `{variant}`"),
                ));
            }
            values.push(EnumValue {
                value: v.clone(),
                variant,
                docs: String::new(),
            });
        }
        self.named.insert(
            rust_name.clone(),
            Shape::Enum(Enum {
                rust_name: rust_name.clone(),
                docs: describe(&schema.schema_data),
                values,
            }),
        );
        Ok(rust_name)
    }

    fn inline(&mut self, schema: &Schema, at: &str) -> Result<Type> {
        let mut c = Constraints::default();
        let kind = match &schema.schema_kind {
            SchemaKind::Type(OaType::String(s)) => {
                if !s.enumeration.is_empty() {
                    return Err(err(
                        self.file,
                        at,
                        "inline enums are not supported; make it a named component schema",
                    ));
                }
                c.pattern = s.pattern.clone();
                if s.min_length.is_some() || s.max_length.is_some() {
                    c.length = Some((
                        s.min_length.map(|n| n as u64),
                        s.max_length.map(|n| n as u64),
                    ));
                }
                match &s.format {
                    VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => {
                        Kind::Timestamp(TimestampFormat::DateTime)
                    }
                    _ => Kind::String,
                }
            }
            SchemaKind::Type(OaType::Integer(i)) => {
                if i.minimum.is_some() || i.maximum.is_some() {
                    let adj = |v: Option<i64>, excl: bool, d: i64| {
                        v.map(|v| (if excl { v + d } else { v }) as f64)
                    };
                    c.range = Some((
                        adj(i.minimum, i.exclusive_minimum, 1),
                        adj(i.maximum, i.exclusive_maximum, -1),
                    ));
                }
                match &i.format {
                    VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => Kind::Integer,
                    _ => Kind::Long,
                }
            }
            SchemaKind::Type(OaType::Number(n)) => {
                if n.exclusive_minimum || n.exclusive_maximum {
                    return Err(err(
                        self.file,
                        at,
                        "exclusive number bounds are not supported",
                    ));
                }
                if n.minimum.is_some() || n.maximum.is_some() {
                    c.range = Some((n.minimum, n.maximum));
                }
                match &n.format {
                    VariantOrUnknownOrEmpty::Item(NumberFormat::Float) => Kind::Float,
                    _ => Kind::Double,
                }
            }
            SchemaKind::Type(OaType::Boolean(_)) => Kind::Boolean,
            SchemaKind::Type(OaType::Array(a)) => {
                let items = a
                    .items
                    .as_ref()
                    .ok_or_else(|| err(self.file, at, "array without `items`"))?;
                if a.min_items.is_some() || a.max_items.is_some() {
                    c.length = Some((a.min_items.map(|n| n as u64), a.max_items.map(|n| n as u64)));
                }
                let inner = self.resolve_boxed(items, &format!("{at}/items"))?;
                if matches!(inner.kind, Kind::Timestamp(_)) {
                    return Err(err(self.file, at, "arrays of timestamps are not supported"));
                }
                Kind::List(Box::new(inner))
            }
            SchemaKind::Type(OaType::Object(obj)) => {
                if !obj.properties.is_empty() {
                    return Err(err(
                        self.file,
                        at,
                        "inline object schemas are not supported; make it a named component schema",
                    ));
                }
                match &obj.additional_properties {
                    None | Some(AdditionalProperties::Any(true)) => Kind::FreeFormObject,
                    Some(AdditionalProperties::Any(false)) => Kind::FreeFormObject,
                    Some(AdditionalProperties::Schema(s)) => {
                        let v = self.resolve(s, &format!("{at}/additionalProperties"))?;
                        Kind::Map(Box::new(v))
                    }
                }
            }
            SchemaKind::Any(any)
                if any.typ.is_none()
                    && any.properties.is_empty()
                    && any.one_of.is_empty()
                    && any.all_of.is_empty()
                    && any.any_of.is_empty() =>
            {
                Kind::Document
            }
            _ => {
                return Err(err(
                    self.file,
                    at,
                    "unsupported construct: oneOf/allOf/anyOf/not or a mixed schema",
                ));
            }
        };
        if let Some(p) = &c.pattern
            && regex_lite::Regex::new(p).is_err()
        {
            return Err(err(
                self.file,
                at,
                format!("pattern {p:?} is not supported by the client's regex engine"),
            ));
        }
        Ok(Type {
            constraints: c,
            ..Type::new(kind)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = r##"
openapi: 3.0.3
info: {title: Ex, version: "1"}
paths:
  /things/{id}:
    get:
      operationId: get_thing
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer, format: int64}}
      responses:
        "200":
          description: ok
          content: {application/json: {schema: {$ref: "#/components/schemas/Thing"}}}
        "404":
          description: missing
          content: {application/json: {schema: {$ref: "#/components/schemas/Err"}}}
components:
  securitySchemes: {bearer: {type: http, scheme: bearer}}
  schemas:
    Thing: {type: object, properties: {state: {$ref: "#/components/schemas/State"}}}
    State: {type: string, enum: [in-progress, done]}
    Err: {type: object, properties: {message: {type: string}}}
"##;

    #[test]
    fn loads_minimal_api() {
        let s = load("specs/ex.openapi.yaml", BASE).unwrap();
        let op = &s.operations[0];
        assert_eq!(op.type_name, "GetThing");
        assert_eq!(op.input.members[0].location, Location::Label);
        assert_eq!(op.errors[0].variant, "NotFound");
        assert!(
            matches!(s.shapes.get("State"), Some(Shape::Enum(e)) if e.values[0].variant == "InProgress")
        );
    }

    #[test]
    fn dangling_reference_names_pointer() {
        let text = BASE.replace("#/components/schemas/State", "#/components/schemas/Nope");
        let e = load("specs/ex.openapi.yaml", &text)
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("specs/ex.openapi.yaml: /components/schemas/Thing/properties/state:"),
            "{e}"
        );
        assert!(
            e.contains("dangling reference `#/components/schemas/Nope`"),
            "{e}"
        );
    }

    #[test]
    fn unsupported_construct_names_pointer() {
        let text = BASE.replace(
            "Err: {type: object, properties: {message: {type: string}}}",
            "Err: {type: object, properties: {message: {oneOf: [{type: string}, {type: integer}]}}}",
        );
        let e = load("specs/ex.openapi.yaml", &text)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("/components/schemas/Err/properties/message: unsupported construct"),
            "{e}"
        );
    }

    #[test]
    fn missing_operation_id_is_reported() {
        let text = BASE.replace("      operationId: get_thing\n", "");
        let e = load("specs/ex.openapi.yaml", &text)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("/paths/~1things~1{id}/get: operation without operationId"),
            "{e}"
        );
    }
}
