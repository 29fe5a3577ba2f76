//! IR-level tests of the OpenAPI front-end: one per construct, malformed documents, and
//! the public corpus through the check pass.

use super::load;
use crate::ir::*;

const FILE: &str = "specs/ex.openapi.yaml";

/// A document with the given `paths` and `components` (YAML, indented by two spaces).
fn doc(paths: &str, components: &str) -> String {
    format!(
        "openapi: 3.0.3\ninfo: {{title: Ex, version: \"1\"}}\npaths:\n{paths}\ncomponents:\n  schemas: {{}}\n{components}"
    )
}

fn ok(text: &str) -> Service {
    match load(FILE, text) {
        Ok(s) => s,
        Err(e) => panic!("{e}\n{text}"),
    }
}

fn fails(text: &str) -> String {
    match load(FILE, text) {
        Ok(_) => panic!("loaded:\n{text}"),
        Err(e) => e.to_string(),
    }
}

/// One GET operation `op` on `/x` returning `schema` (a YAML flow mapping).
fn returning(schema: &str, schemas: &str) -> String {
    doc(
        &format!(
            "  /x:\n    get:\n      operationId: op\n      responses:\n        \"200\":\n          description: ok\n          content: {{application/json: {{schema: {schema}}}}}"
        ),
        &format!("  schemas:\n{schemas}"),
    )
    .replace("  schemas: {}\n", "")
}

fn structure<'a>(s: &'a Service, name: &str) -> &'a Structure {
    match s.shapes.get(name) {
        Some(Shape::Structure(st)) => st,
        other => panic!(
            "{name}: {other:?}\n{:?}",
            s.shapes.keys().collect::<Vec<_>>()
        ),
    }
}

fn union<'a>(s: &'a Service, name: &str) -> &'a Union {
    match s.shapes.get(name) {
        Some(Shape::Union(u)) => u,
        other => panic!(
            "{name}: {other:?}\n{:?}",
            s.shapes.keys().collect::<Vec<_>>()
        ),
    }
}

fn member<'a>(st: &'a Structure, name: &str) -> &'a Member {
    st.members
        .iter()
        .find(|m| m.name == name)
        .unwrap_or_else(|| panic!("no member {name} in {st:?}"))
}

fn op<'a>(s: &'a Service, name: &str) -> &'a Operation {
    s.operations
        .iter()
        .find(|o| o.name == name)
        .unwrap_or_else(|| panic!("no operation {name}"))
}

fn output_type(op: &Operation) -> &Type {
    match &op.output {
        Output::Type(t) => t,
        other => panic!("{other:?}"),
    }
}

const BASE: &str = r##"
openapi: 3.0.3
info: {title: Ex, version: "1"}
servers: [{url: "https://{host}", variables: {host: {default: api.example.com}}}]
security: [{bearer: []}]
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
fn loads_our_conventions() {
    let s = ok(BASE);
    let op = &s.operations[0];
    assert_eq!(op.type_name, "GetThing");
    assert_eq!(op.input.members[0].location, Location::Label);
    assert_eq!(op.errors[0].variant, "NotFound");
    assert_eq!(op.errors[0].matcher, ErrorMatch::Status(404));
    assert!(structure(&s, "Err").is_error);
    assert!(matches!(&output_type(op).kind, Kind::Struct(n) if n == "Thing"));
    assert!(
        matches!(s.shapes.get("State"), Some(Shape::Enum(e)) if e.values[0].variant == "InProgress")
    );
    assert!(
        matches!(&member(structure(&s, "Thing"), "state").ty.kind, Kind::Enum(n) if n == "State")
    );
    // One bearer scheme required everywhere: the simple form, as our two specs use.
    assert_eq!(s.auth, Auth::Bearer);
    assert!(op.security.is_empty() && !op.unsigned);
    // A host under example.com is a placeholder, not a default.
    assert_eq!(s.endpoint, Endpoint::BaseUrl { default: None });
}

#[test]
fn inline_schemas_are_named_from_their_location() {
    let text = doc(
        r##"  /things:
    post:
      operationId: make_thing
      requestBody:
        content:
          application/json:
            schema:
              type: array
              items: {type: object, properties: {size: {type: object, properties: {w: {type: integer}}}}}
      responses:
        "200":
          description: ok
          content: {application/json: {schema: {type: object, properties: {id: {type: string}}}}}
        "201":
          description: titled
          content: {application/json: {schema: {title: Made, type: object, properties: {n: {type: integer}}}}}
    put:
      operationId: put_thing
      responses:
        "200":
          description: same title, same schema
          content: {application/json: {schema: {title: Made, type: object, properties: {n: {type: integer}}}}}"##,
        "",
    );
    let s = ok(&text);
    let make = op(&s, "make_thing");
    let body = &make.input.members[0];
    assert_eq!(body.location, Location::Payload);
    assert!(
        matches!(&body.ty.kind, Kind::List(i) if matches!(&i.kind, Kind::Struct(n) if n == "MakeThingBodyItem"))
    );
    assert!(
        matches!(&member(structure(&s, "MakeThingBodyItem"), "size").ty.kind, Kind::Struct(n) if n == "MakeThingBodyItemSize")
    );
    let Output::ByStatus(outs) = &make.output else {
        panic!("{:?}", make.output)
    };
    assert_eq!(outs[0].variant, "Ok");
    assert_eq!(outs[0].status, StatusMatch::Exact(200));
    assert!(
        matches!(&outs[0].body, Some(Type { kind: Kind::Struct(n), .. }) if n == "MakeThingResponseOk")
    );
    assert!(matches!(&outs[1].body, Some(Type { kind: Kind::Struct(n), .. }) if n == "Made"));
    // The same titled schema elsewhere is the same shape.
    assert!(matches!(&output_type(op(&s, "put_thing")).kind, Kind::Struct(n) if n == "Made"));
    assert!(!s.shapes.contains_key("Made2"));
}

#[test]
fn object_bodies_spread_into_the_input_unless_names_collide() {
    let text = doc(
        r##"  /a/{name}:
    post:
      operationId: spread
      parameters: [{name: name, in: path, required: true, schema: {type: string}}]
      requestBody:
        required: true
        content: {"application/json; charset=utf-8": {schema: {type: object, required: [size], properties: {size: {type: integer}}}}}
      responses: {"204": {description: done}}
    put:
      operationId: collide
      parameters: [{name: name, in: path, required: true, schema: {type: string}}]
      requestBody:
        $ref: "#/components/requestBodies/Named"
      responses: {"204": {description: done}}"##,
        r##"  requestBodies:
    Named:
      content: {application/json: {schema: {$ref: "#/components/schemas/Named"}}}"##,
    )
    .replace(
        "  schemas: {}\n",
        "  schemas:\n    Named: {type: object, properties: {name: {type: string}}}\n",
    );
    let s = ok(&text);
    let spread = &op(&s, "spread").input;
    assert_eq!(member(spread, "size").location, Location::Body);
    assert!(member(spread, "size").required);
    assert!(!s.shapes.contains_key("SpreadBody"));
    assert_eq!(op(&s, "spread").success_status, Some(204));
    assert!(matches!(op(&s, "spread").output, Output::Empty));
    let collide = &op(&s, "collide").input;
    let body = member(collide, "body");
    assert_eq!(body.location, Location::Payload);
    assert!(matches!(&body.ty.kind, Kind::Struct(n) if n == "Named"));
}

#[test]
fn raw_text_and_form_bodies() {
    let text = doc(
        r##"  /raw:
    post:
      operationId: raw
      requestBody: {content: {application/octet-stream: {schema: {type: string, format: binary}}}}
      responses: {"204": {description: done}}
  /text:
    post:
      operationId: text
      requestBody: {content: {text/plain: {schema: {type: string}}}}
      responses: {"204": {description: done}}
  /form:
    post:
      operationId: form
      requestBody: {content: {application/x-www-form-urlencoded: {schema: {type: object, properties: {a: {type: string}}}}}}
      responses: {"204": {description: done}}"##,
        "",
    );
    let s = ok(&text);
    let body = |i: usize| s.operations[i].input.members[0].clone();
    assert!(matches!(body(0).ty.kind, Kind::Blob));
    assert_eq!(
        body(0).ty.media_type.as_deref(),
        Some("application/octet-stream")
    );
    assert!(matches!(body(1).ty.kind, Kind::String));
    assert_eq!(body(1).ty.media_type.as_deref(), Some("text/plain"));
    assert!(matches!(&body(2).ty.kind, Kind::Struct(n) if n == "FormBody"));
    assert_eq!(body(2).location, Location::Payload);
    assert_eq!(
        body(2).ty.media_type.as_deref(),
        Some("application/x-www-form-urlencoded")
    );

    let bad = text.replace("text/plain", "application/xml");
    let e = fails(&bad);
    assert!(
        e.contains("/paths/~1text/post/requestBody/content/application~1xml: request body media type `application/xml`"),
        "{e}"
    );
}

#[test]
fn all_of_is_merged_and_a_single_ref_is_the_type_at_that_site() {
    let schemas = r##"    Base: {type: object, description: The base., required: [id], properties: {id: {type: string}}}
    Named: {type: string, description: A name., maxLength: 63}
    Thing:
      allOf:
        - $ref: "#/components/schemas/Base"
        - type: object
          required: [name]
          properties:
            name: {description: What it is called., nullable: true, allOf: [{$ref: "#/components/schemas/Named"}]}
            base: {description: Its base., allOf: [{$ref: "#/components/schemas/Base"}]}"##;
    let s = ok(&returning(
        "{$ref: \"#/components/schemas/Thing\"}",
        schemas,
    ));
    let t = structure(&s, "Thing");
    assert_eq!(t.docs, "The base.");
    assert!(member(t, "id").required);
    let name = member(t, "name");
    assert!(name.required && name.nullable);
    assert_eq!(name.docs, "What it is called.");
    assert!(matches!(name.ty.kind, Kind::String));
    assert_eq!(name.ty.constraints.length, Some((None, Some(63))));
    let base = member(t, "base");
    assert!(matches!(&base.ty.kind, Kind::Struct(n) if n == "Base"));
    assert_eq!(base.docs, "Its base.");
}

#[test]
fn one_of_string_enums_become_one_enum() {
    let schemas = r##"    State:
      oneOf:
        - {type: string, enum: [on], description: Running.}
        - {type: string, enum: [off, broken]}"##;
    let s = ok(&returning(
        "{$ref: \"#/components/schemas/State\"}",
        schemas,
    ));
    let Some(Shape::Enum(e)) = s.shapes.get("State") else {
        panic!("{:?}", s.shapes)
    };
    let values: Vec<_> = e.values.iter().map(|v| v.value.as_str()).collect();
    assert_eq!(values, ["on", "off", "broken"]);
    assert_eq!(e.values[0].docs, "Running.");
    assert!(matches!(&output_type(&s.operations[0]).kind, Kind::Enum(n) if n == "State"));
}

#[test]
fn one_of_of_units_and_single_property_objects_is_external() {
    let schemas = r##"    Action:
      oneOf:
        - {type: string, enum: [stop]}
        - {type: object, required: [run], properties: {run: {type: object, properties: {fast: {type: boolean}}}}, additionalProperties: false}
        - {type: object, required: [wait], properties: {wait: {type: integer}}}"##;
    let s = ok(&returning(
        "{$ref: \"#/components/schemas/Action\"}",
        schemas,
    ));
    let u = union(&s, "Action");
    assert_eq!(u.tagging, Tagging::External);
    let m: Vec<_> = u
        .members
        .iter()
        .map(|m| (m.name.as_str(), m.rust_name.as_str()))
        .collect();
    assert_eq!(m, [("stop", "Stop"), ("run", "Run"), ("wait", "Wait")]);
    assert!(matches!(u.members[0].ty.kind, Kind::Unit));
    assert!(matches!(&u.members[1].ty.kind, Kind::Struct(n) if n == "ActionRun"));
    assert!(matches!(u.members[2].ty.kind, Kind::Long));
    assert!(matches!(&output_type(&s.operations[0]).kind, Kind::Union(n) if n == "Action"));
}

#[test]
fn one_value_enum_property_in_every_alternative_is_internal() {
    let schemas = r##"    Range:
      oneOf:
        - {type: object, required: [end, type], properties: {end: {type: number}, type: {type: string, enum: [range_to]}}}
        - {type: object, required: [start, end, type], properties: {start: {type: number}, end: {type: number}, type: {type: string, enum: [range]}}}
        - {type: object, required: [type], properties: {type: {type: string, enum: [all]}}}"##;
    let s = ok(&returning(
        "{$ref: \"#/components/schemas/Range\"}",
        schemas,
    ));
    let u = union(&s, "Range");
    assert_eq!(
        u.tagging,
        Tagging::Internal {
            field: "type".into()
        }
    );
    assert_eq!(u.members[0].name, "range_to");
    assert!(matches!(&u.members[1].ty.kind, Kind::Struct(n) if n == "RangeRange"));
    assert!(matches!(u.members[2].ty.kind, Kind::Unit));
    let range = structure(&s, "RangeRange");
    let names: Vec<_> = range.members.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(names, ["start", "end"], "the tag field is not a member");
}

#[test]
fn tag_and_content_is_adjacent() {
    let schemas = r##"    Datum:
      oneOf:
        - {type: object, required: [type, datum], properties: {type: {type: string, enum: [bool]}, datum: {type: boolean}}}
        - {type: object, required: [type, datum], properties: {type: {type: string, enum: [i64]}, datum: {type: integer}}}
        - {type: object, required: [type], properties: {type: {type: string, enum: [none]}}}"##;
    let s = ok(&returning(
        "{$ref: \"#/components/schemas/Datum\"}",
        schemas,
    ));
    let u = union(&s, "Datum");
    assert_eq!(
        u.tagging,
        Tagging::Adjacent {
            field: "type".into(),
            content: "datum".into()
        }
    );
    assert!(matches!(u.members[0].ty.kind, Kind::Boolean));
    assert!(matches!(u.members[1].ty.kind, Kind::Long));
    assert!(matches!(u.members[2].ty.kind, Kind::Unit));
}

#[test]
fn discriminator_is_internal_with_mapping() {
    let schemas = r##"    Pet:
      oneOf: [{$ref: "#/components/schemas/Cat"}, {$ref: "#/components/schemas/Dog"}]
      discriminator: {propertyName: kind, mapping: {kitty: "#/components/schemas/Cat"}}
    Cat: {type: object, required: [kind], properties: {kind: {type: string}, purrs: {type: boolean}}}
    Dog: {type: object, required: [kind], properties: {kind: {type: string}, barks: {type: boolean}}}"##;
    let s = ok(&returning("{$ref: \"#/components/schemas/Pet\"}", schemas));
    let u = union(&s, "Pet");
    assert_eq!(
        u.tagging,
        Tagging::Internal {
            field: "kind".into()
        }
    );
    let tags: Vec<_> = u.members.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(tags, ["kitty", "Dog"]);
    let cat = structure(&s, "PetKitty");
    assert_eq!(cat.members.len(), 1);
    assert_eq!(cat.members[0].name, "purrs");
}

#[test]
fn anything_else_is_untagged_and_null_alternatives_make_it_nullable() {
    let schemas = r##"    NameOrId:
      oneOf:
        - {title: id, type: string, format: uuid}
        - {title: name, allOf: [{$ref: "#/components/schemas/Name"}]}
    Name: {type: string, pattern: "^[a-z]+$"}
    Holder:
      type: object
      properties:
        id: {$ref: "#/components/schemas/NameOrId"}
        either: {anyOf: [{type: string}, {type: array, items: {type: string}}]}
        maybe: {oneOf: [{$ref: "#/components/schemas/Name"}, {enum: [null]}]}"##;
    let s = ok(&returning(
        "{$ref: \"#/components/schemas/Holder\"}",
        schemas,
    ));
    let u = union(&s, "NameOrId");
    assert_eq!(u.tagging, Tagging::Untagged);
    assert_eq!(u.members[0].rust_name, "Id");
    assert!(matches!(u.members[0].ty.kind, Kind::Uuid));
    assert_eq!(
        u.members[1].ty.constraints.pattern.as_deref(),
        Some("^[a-z]+$")
    );
    let h = structure(&s, "Holder");
    let either = union(&s, "HolderEither");
    let names: Vec<_> = either
        .members
        .iter()
        .map(|m| m.rust_name.as_str())
        .collect();
    assert_eq!(names, ["String", "List"]);
    assert!(matches!(&member(h, "either").ty.kind, Kind::Union(n) if n == "HolderEither"));
    let maybe = member(h, "maybe");
    assert!(maybe.nullable && matches!(maybe.ty.kind, Kind::String));
}

#[test]
fn nullable_items_maps_and_additional_properties() {
    let schemas = r##"    Bag:
      type: object
      properties:
        tags: {type: array, items: {type: string, nullable: true}}
        counts: {type: object, additionalProperties: {type: integer, format: uint32}}
        free: {type: object}
        note: {type: string, nullable: true}
    Open:
      type: object
      properties: {id: {type: string}}
      additionalProperties: {type: string}
    Anything:
      type: object
      properties: {id: {type: string}}
      additionalProperties: true"##;
    let s = ok(&returning("{$ref: \"#/components/schemas/Bag\"}", schemas).replace(
        "          content: {application/json: {schema: {$ref: \"#/components/schemas/Bag\"}}}",
        "          content: {application/json: {schema: {type: array, items: {oneOf: [{$ref: \"#/components/schemas/Bag\"}, {$ref: \"#/components/schemas/Open\"}, {$ref: \"#/components/schemas/Anything\"}]}}}}",
    ));
    let bag = structure(&s, "Bag");
    let tags = member(bag, "tags");
    assert!(tags.ty.sparse && !tags.nullable);
    assert!(
        matches!(&member(bag, "counts").ty.kind, Kind::Map(v) if matches!(v.kind, Kind::UnsignedInteger))
    );
    assert!(matches!(member(bag, "free").ty.kind, Kind::FreeFormObject));
    assert!(member(bag, "note").nullable);
    assert!(matches!(
        structure(&s, "Open").additional.as_deref(),
        Some(Type {
            kind: Kind::String,
            ..
        })
    ));
    assert!(matches!(
        structure(&s, "Anything").additional.as_deref(),
        Some(Type {
            kind: Kind::Document,
            ..
        })
    ));
    assert!(bag.additional.is_none());
    // The inline oneOf of the response is named after the operation.
    assert!(
        matches!(&output_type(&s.operations[0]).kind, Kind::List(i) if matches!(&i.kind, Kind::Union(n) if n == "OpResponseItem"))
    );
}

#[test]
fn formats_enums_defaults_and_access() {
    let schemas = r##"    All:
      type: object
      required: [id, secret, size]
      properties:
        at: {type: string, format: date-time}
        day: {type: string, format: date}
        id: {type: string, format: uuid, readOnly: true}
        ip: {type: string, format: ip}
        v4: {type: string, format: ipv4}
        v6: {type: string, format: ipv6}
        b64: {type: string, format: byte}
        raw: {type: string, format: binary}
        u8: {type: integer, format: uint8, minimum: 0}
        u16: {type: integer, format: uint16}
        u64: {type: integer, format: uint64}
        usize: {type: integer, format: uint}
        i32: {type: integer, format: int32, minimum: 0, exclusiveMinimum: true}
        f32: {type: number, format: float}
        f64: {type: number}
        size: {type: integer, enum: [512, 2048], default: 512}
        secret: {type: string, writeOnly: true}
        old: {type: boolean, deprecated: true}
        mode: {type: string, enum: [a, b]}"##;
    let s = ok(&returning("{$ref: \"#/components/schemas/All\"}", schemas));
    let a = structure(&s, "All");
    let kind = |n: &str| format!("{:?}", member(a, n).ty.kind);
    assert_eq!(kind("at"), "Timestamp(DateTime)");
    assert_eq!(kind("day"), "Date");
    assert_eq!(kind("id"), "Uuid");
    assert_eq!(kind("ip"), "IpAddr(Any)");
    assert_eq!(kind("v4"), "IpAddr(V4)");
    assert_eq!(kind("v6"), "IpAddr(V6)");
    assert_eq!(kind("b64"), "Blob");
    assert_eq!(kind("raw"), "Blob");
    assert_eq!(kind("u8"), "UnsignedByte");
    assert_eq!(kind("u16"), "UnsignedShort");
    assert_eq!(kind("u64"), "UnsignedLong");
    assert_eq!(kind("usize"), "UnsignedLong");
    assert_eq!(kind("i32"), "Integer");
    assert_eq!(
        member(a, "i32").ty.constraints.range,
        Some((Some(1.0), None))
    );
    assert_eq!(kind("f32"), "Float");
    assert_eq!(kind("f64"), "Double");
    assert_eq!(kind("size"), "IntEnum(\"AllSize\")");
    assert_eq!(kind("mode"), "Enum(\"AllMode\")");
    assert!(
        matches!(s.shapes.get("AllSize"), Some(Shape::IntEnum(e)) if e.values[1].value == 2048)
    );
    assert_eq!(member(a, "size").default, Some(serde_json::json!(512)));
    assert!(member(a, "size").required);
    for n in ["id", "secret"] {
        assert!(!member(a, n).required, "{n}");
    }
    assert!(member(a, "id").docs.contains("Read-only"));
    assert!(member(a, "old").deprecated.is_some());
}

#[test]
fn recursion_through_ref_loads() {
    let schemas = r##"    Node:
      type: object
      properties:
        children: {type: array, items: {$ref: "#/components/schemas/Node"}}
        parent: {$ref: "#/components/schemas/Node"}"##;
    let text = returning("{$ref: \"#/components/schemas/Node\"}", schemas).replace(
        "components:\n",
        "security: [{b: []}]\ncomponents:\n  securitySchemes: {b: {type: http, scheme: bearer}}\n",
    );
    let mut s = ok(&text);
    if let Err(e) = crate::check::check(&mut s) {
        panic!("{e}");
    }
    assert!(member(structure(&s, "Node"), "parent").boxed);
}

#[test]
fn parameters_path_level_header_query_styles() {
    let text = doc(
        r##"  /orgs/{org}/things:
    parameters:
      - {name: org, in: path, required: true, schema: {type: string}}
      - {name: limit, in: query, schema: {type: integer}}
      - {$ref: "#/components/parameters/Trace"}
    get:
      parameters:
        - {name: limit, in: query, description: Overridden., schema: {type: integer, format: uint32, nullable: true}}
        - {name: tags, in: query, style: form, explode: false, schema: {type: array, items: {type: string}}}
        - {name: ids, in: query, style: pipeDelimited, schema: {type: array, items: {type: string}}}
        - {name: filter, in: query, style: deepObject, schema: {type: object, additionalProperties: {type: string}}}
        - {name: flag, in: query, style: form, explode: false, deprecated: true, schema: {type: boolean, default: true}}
      responses: {"204": {description: done}}"##,
        r##"  parameters:
    Trace: {name: X-Trace, in: header, required: true, schema: {type: string}}"##,
    );
    let s = ok(&text);
    let op = &s.operations[0];
    assert_eq!(op.name, "get_orgs_org_things");
    assert_eq!(op.method_name, "get_orgs_org_things");
    assert_eq!(op.type_name, "GetOrgsOrgThings");
    let names: Vec<_> = op.input.members.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(
        names,
        ["org", "limit", "X-Trace", "tags", "ids", "filter", "flag"]
    );
    let limit = member(&op.input, "limit");
    assert_eq!(limit.docs, "Overridden.");
    assert!(matches!(limit.ty.kind, Kind::UnsignedInteger));
    assert!(!limit.nullable, "a parameter's nullable has no wire form");
    let trace = member(&op.input, "X-Trace");
    assert_eq!(trace.location, Location::Header);
    assert!(trace.required);
    let style = |n: &str| member(&op.input, n).query_style;
    assert_eq!(style("tags"), QueryStyle::Form { explode: false });
    assert_eq!(style("ids"), QueryStyle::PipeDelimited);
    assert_eq!(style("filter"), QueryStyle::DeepObject);
    assert_eq!(
        style("flag"),
        QueryStyle::Form { explode: true },
        "scalars keep the default"
    );
    assert!(member(&op.input, "flag").deprecated.is_some());
    assert_eq!(
        member(&op.input, "flag").default,
        Some(serde_json::json!(true))
    );

    let cookie = text.replace("in: header", "in: cookie");
    let e = fails(&cookie);
    assert!(
        e.contains("/components/parameters/Trace/in: cookie parameter `X-Trace` is not supported"),
        "{e}"
    );
}

#[test]
fn responses_classes_default_headers_and_errors() {
    let text = doc(
        r##"  /login:
    post:
      operationId: login
      responses:
        "303":
          description: see other
          headers: {location: {required: true, schema: {type: string}}}
        4XX: {$ref: "#/components/responses/Error"}
        5XX: {$ref: "#/components/responses/Error"}
  /any:
    get:
      operationId: any
      responses:
        default: {description: anything, content: {"*/*": {schema: {}}}}
  /range:
    get:
      operationId: range
      responses:
        2XX: {description: fine, content: {application/json: {schema: {$ref: "#/components/schemas/Error"}}}}
        "409": {description: conflict}
        "418": {description: teapot, content: {application/json: {schema: {type: array, items: {type: string}}}}}
        default: {description: other, content: {application/json: {schema: {$ref: "#/components/schemas/Error"}}}}
  /ws:
    get:
      operationId: ws
      responses:
        "101": {description: upgrade}
        4XX: {$ref: "#/components/responses/Error"}"##,
        r##"  responses:
    Error:
      description: Error
      content: {application/json: {schema: {$ref: "#/components/schemas/Error"}}}"##,
    )
    .replace(
        "  schemas: {}\n",
        "  schemas:\n    Error: {type: object, required: [message], properties: {message: {type: string}}}\n",
    );
    let s = ok(&text);
    let login = &s.operations[0];
    assert_eq!(login.success_status, Some(303));
    let Output::Owned(o) = &login.output else {
        panic!("{:?}", login.output)
    };
    assert_eq!(member(o, "location").location, Location::Header);
    let matchers: Vec<_> = login
        .errors
        .iter()
        .map(|e| (e.variant.as_str(), e.matcher.clone()))
        .collect();
    assert_eq!(
        matchers,
        [
            ("ClientError", ErrorMatch::StatusClass(4)),
            ("ServerError", ErrorMatch::StatusClass(5))
        ]
    );

    let any = &s.operations[1];
    assert!(matches!(output_type(any).kind, Kind::Blob));
    assert!(
        any.errors.is_empty(),
        "default is the success without 2xx/3xx"
    );

    let range = &s.operations[2];
    assert!(matches!(&output_type(range).kind, Kind::Struct(n) if n == "Error"));
    assert_eq!(range.success_status, None);
    // `Error` is a success body here, so the errors use a distinct error copy of it.
    assert!(!structure(&s, "Error").is_error);
    let shapes: Vec<_> = range
        .errors
        .iter()
        .map(|e| (e.variant.as_str(), e.shape.as_str(), e.matcher.clone()))
        .collect();
    assert_eq!(
        shapes[0],
        ("Conflict", "EmptyError", ErrorMatch::Status(409))
    );
    assert_eq!(shapes[1].0, "Status418");
    assert_eq!(
        shapes[2],
        ("DefaultError", "ErrorError", ErrorMatch::Default)
    );
    assert!(structure(&s, "ErrorError").is_error);
    assert!(structure(&s, "EmptyError").is_error);
    let teapot = structure(&s, shapes[1].1);
    assert!(teapot.is_error);
    assert_eq!(teapot.members[0].location, Location::Payload);
    assert!(matches!(teapot.members[0].ty.kind, Kind::List(_)));
    assert_eq!(login.errors[0].shape, "ErrorError");

    let ws = &s.operations[3];
    assert!(ws.upgrade);
    assert!(matches!(ws.output, Output::Empty));
}

#[test]
fn dropshot_pagination() {
    let text = doc(
        r##"  /items:
    get:
      operationId: list
      parameters:
        - {name: limit, in: query, schema: {type: integer, format: uint32, nullable: true}}
        - {name: page_token, in: query, schema: {type: string, nullable: true}}
      responses:
        "200":
          description: ok
          content: {application/json: {schema: {$ref: "#/components/schemas/Page"}}}
      x-dropshot-pagination: {required: []}"##,
        "",
    )
    .replace(
        "  schemas: {}\n",
        "  schemas:\n    Page: {type: object, required: [items], properties: {items: {type: array, items: {type: string}}, next_page: {type: string, nullable: true}}}\n",
    );
    let s = ok(&text);
    let p = s.operations[0].pagination.as_ref().expect("paginated");
    assert!(
        matches!(&p.style, PageStyle::Token { input, output } if input == "page_token" && output == &["next_page"])
    );
    assert_eq!(p.page_size.as_deref(), Some(&["limit".to_string()][..]));
    assert_eq!(p.items.as_deref(), Some(&["items".to_string()][..]));

    let e = fails(&text.replace("next_page", "next"));
    assert!(
        e.contains("/paths/~1items/get/x-dropshot-pagination"),
        "{e}"
    );
}

#[test]
fn servers() {
    let with = |servers: &str| {
        BASE.replace(
            "servers: [{url: \"https://{host}\", variables: {host: {default: api.example.com}}}]",
            servers,
        )
    };
    let s = ok(&with(
        "servers: [{url: \"https://{region}.api.io/{v}/\", variables: {region: {default: eu}, v: {default: v2}}}]",
    ));
    assert_eq!(
        s.endpoint,
        Endpoint::BaseUrl {
            default: Some("https://eu.api.io/v2".into())
        }
    );
    let s = ok(&with("servers: [{url: /api}]"));
    assert_eq!(s.endpoint, Endpoint::BaseUrl { default: None });
    assert_eq!(s.path_prefix, "/api");
    let s = ok(&with(
        "servers: [{url: \"https://{host}/api/v1\", variables: {host: {default: tenant.example.com}}}]",
    ));
    assert_eq!(s.endpoint, Endpoint::BaseUrl { default: None });
    assert_eq!(s.path_prefix, "/api/v1");
    let e = fails(&with("servers: [{url: \"https://{nope}\"}]"));
    assert!(e.contains("/servers/0/url: server variable `nope`"), "{e}");
}

const SECURED: &str = r##"
openapi: 3.0.3
info: {title: Ex, version: "1"}
security: [{bearer: []}, {key: [], qkey: []}, {}]
paths:
  /thing:
    get:
      operationId: get_thing
      security: [{basic: []}]
      responses: {"204": {description: done}}
  /open:
    get:
      operationId: open
      security: []
      responses: {"204": {description: done}}
  /default:
    get:
      operationId: by_default
      responses: {"204": {description: done}}
components:
  securitySchemes:
    bearer: {type: http, scheme: bearer}
    basic: {type: http, scheme: basic}
    key: {type: apiKey, in: header, name: X-Key}
    qkey: {type: apiKey, in: query, name: api_key}
    sso: {type: oauth2, flows: {}}
"##;

#[test]
fn security_schemes_per_operation() {
    let s = ok(SECURED);
    let Auth::Schemes(schemes) = &s.auth else {
        panic!("{:?}", s.auth)
    };
    let kinds: Vec<_> = schemes.iter().map(|s| s.kind.clone()).collect();
    assert_eq!(
        kinds,
        [
            SchemeKind::Bearer,
            SchemeKind::Basic,
            SchemeKind::ApiKeyHeader {
                header: "X-Key".into()
            },
            SchemeKind::ApiKeyQuery {
                parameter: "api_key".into()
            }
        ]
    );
    assert!(
        s.docs.contains("`sso`"),
        "unused oauth2 is a note: {}",
        s.docs
    );
    assert_eq!(s.operations[0].security, [vec!["basic".to_string()]]);
    let open = &s.operations[1];
    assert!(open.security.is_empty() && open.unsigned);
    let by_default = &s.operations[2];
    let expected: Vec<Vec<String>> = vec![
        vec!["bearer".into()],
        vec!["key".into(), "qkey".into()],
        vec![],
    ];
    assert_eq!(by_default.security, expected);
    assert!(!by_default.unsigned);

    let used = SECURED.replace("security: [{basic: []}]", "security: [{sso: []}]");
    let e = fails(&used);
    assert!(
        e.contains("/components/securitySchemes/sso: security scheme `sso`"),
        "{e}"
    );
    let cookie = used.replace(
        "sso: {type: oauth2, flows: {}}",
        "sso: {type: apiKey, in: cookie, name: c}",
    );
    assert!(fails(&cookie).contains("in a cookie"));
    let unknown = SECURED.replace("security: [{basic: []}]", "security: [{nope: []}]");
    assert!(
        fails(&unknown).contains("/paths/~1thing/get/security/0: unknown security scheme `nope`")
    );

    // No security at all: an empty scheme list, no operation signed.
    let none = ok(&returning("{type: string}", "    S: {type: string}"));
    assert_eq!(none.auth, Auth::Schemes(vec![]));
    assert!(none.operations[0].security.is_empty());
}

#[test]
fn wrong_type_names_the_pointer() {
    let text = doc(
        "  /x:\n    get:\n      operationId: op\n      parameters: [{name: a, in: 7, schema: {type: string}}]\n      responses: {\"204\": {description: done}}",
        "",
    );
    let e = fails(&text);
    assert!(
        e.starts_with("specs/ex.openapi.yaml: /paths/~1x/get/parameters/0/in: not a valid OpenAPI 3.0 document"),
        "{e}"
    );
    let json = r#"{"openapi": "3.0.3", "info": {"title": "x", "version": "1"}, "paths": {"/x": {"get": {"responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"properties": {"a": {"type": 1}}}}}}}}}}}"#;
    let e = fails(json);
    assert!(
        e.contains(
            ": /paths/~1x/get/responses/200/content/application~1json/schema/properties/a/type: "
        ),
        "{e}"
    );
}

#[test]
fn dangling_external_and_cyclic_references() {
    let e = fails(&BASE.replace("#/components/schemas/State", "#/components/schemas/Nope"));
    assert!(
        e.starts_with("specs/ex.openapi.yaml: /components/schemas/Thing/properties/state: dangling reference `#/components/schemas/Nope`"),
        "{e}"
    );
    let e = fails(&BASE.replace("#/components/schemas/State", "other.yaml#/State"));
    assert!(
        e.contains("references to other documents are not supported"),
        "{e}"
    );

    let cycle = returning(
        "{$ref: \"#/components/schemas/A\"}",
        "    A: {$ref: \"#/components/schemas/B\"}\n    B: {$ref: \"#/components/schemas/A\"}",
    );
    let e = fails(&cycle);
    assert!(
        e.contains("`$ref` cycle without a schema in between: A -> B -> A"),
        "{e}"
    );

    let alias_cycle = returning(
        "{$ref: \"#/components/schemas/A\"}",
        "    A: {type: array, items: {$ref: \"#/components/schemas/B\"}}\n    B: {type: array, items: {$ref: \"#/components/schemas/A\"}}",
    );
    let e = fails(&alias_cycle);
    assert!(
        e.contains(
            "/components/schemas/A: `$ref` cycle without a structure in between: A -> B -> A"
        ),
        "{e}"
    );
}

#[test]
fn long_chains_use_no_stack() {
    const N: usize = 10_000;
    let mut refs = String::new();
    let mut structs = String::new();
    for i in 0..N {
        refs.push_str(&format!(
            "    R{i}: {{$ref: \"#/components/schemas/R{}\"}}\n",
            i + 1
        ));
        structs.push_str(&format!(
            "    S{i}: {{type: object, properties: {{next: {{$ref: \"#/components/schemas/S{}\"}}}}}}\n",
            i + 1
        ));
    }
    refs.push_str(&format!("    R{N}: {{type: string}}\n"));
    structs.push_str(&format!(
        "    S{N}: {{type: object, properties: {{end: {{type: boolean}}}}}}\n"
    ));
    let s = ok(&returning("{$ref: \"#/components/schemas/R0\"}", &refs));
    assert!(matches!(output_type(&s.operations[0]).kind, Kind::String));
    let s = ok(&returning("{$ref: \"#/components/schemas/S0\"}", &structs));
    assert_eq!(s.shapes.len(), N + 1);

    // Aliases nesting without end are refused, not followed until the stack runs out.
    let mut arrays = String::new();
    for i in 0..N {
        arrays.push_str(&format!(
            "    A{i}: {{type: array, items: {{$ref: \"#/components/schemas/A{}\"}}}}\n",
            i + 1
        ));
    }
    arrays.push_str(&format!("    A{N}: {{type: string}}\n"));
    let e = fails(&returning("{$ref: \"#/components/schemas/A0\"}", &arrays));
    assert!(e.contains("schemas nest deeper than"), "{e}");
}

#[test]
fn deep_nesting_is_an_error_not_an_overflow() {
    const N: usize = 5_000;
    let nested = format!(
        "{}{{type: string}}{}",
        "{type: array, items: ".repeat(N),
        "}".repeat(N)
    );
    let e = fails(&returning(&nested, "    S: {type: string}"));
    assert!(e.contains("not a valid OpenAPI 3.0 document"), "{e}");
}

#[test]
fn deep_nesting_json() {
    const N: usize = 5_000;
    let json = format!(
        r#"{{"openapi": "3.0.3", "info": {{"title": "x", "version": "1"}}, "paths": {{"/x": {{"get": {{"responses": {{"200": {{"description": "ok", "content": {{"application/json": {{"schema": {}{{}}{}}}}}}}}}}}}}}}}}"#,
        r#"{"type": "array", "items": "#.repeat(N),
        "}".repeat(N)
    );
    let e = fails(&json);
    assert!(
        e.contains("recursion limit") || e.contains("nest deeper"),
        "{e}"
    );
}

#[test]
fn deep_nesting_loader() {
    // Within the parser's limit, the loader's own bound holds.
    let nested = format!(
        "{}{{type: string}}{}",
        "{type: array, items: ".repeat(87),
        "}".repeat(87)
    );
    let e = fails(&returning(&nested, "    S: {type: string}"));
    assert!(e.contains("schemas nest deeper than"), "{e}");
}

#[test]
fn missing_operation_id_names_from_route() {
    let s = ok(&BASE.replace("      operationId: get_thing\n", ""));
    assert_eq!(s.operations[0].name, "get_things_id");
    assert_eq!(s.operations[0].type_name, "GetThingsId");
    let text = doc(
        "  /a-b:\n    get: {responses: {\"204\": {description: done}}}\n  /a_b:\n    get: {responses: {\"204\": {description: done}}}",
        "",
    );
    let s = ok(&text);
    let names: Vec<_> = s.operations.iter().map(|o| o.type_name.as_str()).collect();
    assert_eq!(names, ["GetAB", "GetAB2"]);
    let dup = BASE.replace(
        "components:",
        "  /other:\n    get: {operationId: get_thing, responses: {\"204\": {description: done}}}\ncomponents:",
    );
    assert!(fails(&dup).contains(
        "/paths/~1other/get/operationId: two operations have the operationId `get_thing`"
    ));
}

/// Every spec of the public corpus loads and passes the check pass.
#[test]
fn corpus_specs_load_and_pass_the_check() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/openapi");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!("skipped: no corpus at {}", dir.display());
        return;
    };
    let mut files: Vec<_> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json" || x == "yaml"))
        .collect();
    files.sort();
    assert!(!files.is_empty());
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let name = path.display().to_string();
        let mut s = ok_named(&name, &text);
        assert!(!s.operations.is_empty(), "{name}");
        if let Err(e) = crate::check::check(&mut s) {
            panic!("{name}: {e}");
        }
    }
}

fn ok_named(file: &str, text: &str) -> Service {
    match load(file, text) {
        Ok(s) => s,
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn a_union_error_body_is_wrapped() {
    let text = doc(
        r##"  /x:
    get:
      operationId: op
      responses:
        "204": {description: done}
        "400":
          description: bad
          content: {application/json: {schema: {$ref: "#/components/schemas/Problem"}}}"##,
        "",
    )
    .replace(
        "  schemas: {}\n",
        "  schemas:\n    Problem: {oneOf: [{type: string}, {type: array, items: {type: string}}]}\n",
    );
    let s = ok(&text);
    let e = &s.operations[0].errors[0];
    assert_eq!(e.shape, "ProblemError");
    let w = structure(&s, "ProblemError");
    assert!(w.is_error);
    assert!(matches!(&w.members[0].ty.kind, Kind::Union(n) if n == "Problem"));
    assert_eq!(w.members[0].location, Location::Payload);
}

#[test]
fn shared_components_name_their_inline_schemas() {
    let text = doc(
        r##"  /a:
    get:
      operationId: first
      parameters: [{$ref: "#/components/parameters/Order"}]
      responses:
        "204": {description: done}
        "400": {$ref: "#/components/responses/Bad"}
  /b:
    get:
      operationId: second
      parameters: [{$ref: "#/components/parameters/Order"}]
      responses:
        "204": {description: done}
        "400": {$ref: "#/components/responses/Bad"}"##,
        r##"  parameters:
    Order: {name: order, in: query, schema: {type: string, enum: [asc, desc]}}
  responses:
    Bad:
      description: bad
      content: {application/json: {schema: {type: object, properties: {why: {type: string}}}}}"##,
    );
    let s = ok(&text);
    for op in &s.operations {
        assert!(matches!(&op.input.members[0].ty.kind, Kind::Enum(n) if n == "Order"));
        assert_eq!(op.errors[0].shape, "BadResponse");
    }
    assert!(structure(&s, "BadResponse").is_error);
    assert_eq!(
        s.shapes.len(),
        2,
        "{:?}",
        s.shapes.keys().collect::<Vec<_>>()
    );
}

#[test]
fn success_bodies_of_one_type_text_and_bytes() {
    let text = doc(
        r##"  /same:
    put:
      operationId: same
      responses:
        "200": {description: updated, content: {application/json: {schema: {$ref: "#/components/schemas/S"}}}}
        "201": {description: created, content: {application/json: {schema: {$ref: "#/components/schemas/S"}}}}
  /text:
    get:
      operationId: text
      responses:
        "200": {description: text, content: {text/plain: {schema: {type: string}}}}
  /bytes:
    get:
      operationId: bytes
      responses:
        "200": {description: bytes, content: {application/octet-stream: {schema: {type: string, format: binary}}}}"##,
        "",
    )
    .replace(
        "  schemas: {}\n",
        "  schemas:\n    S: {type: object, properties: {a: {type: string}}}\n",
    );
    let s = ok(&text);
    let same = op(&s, "same");
    assert!(matches!(&output_type(same).kind, Kind::Struct(n) if n == "S"));
    assert_eq!(same.success_status, None);
    assert!(matches!(output_type(op(&s, "text")).kind, Kind::String));
    assert!(matches!(output_type(op(&s, "bytes")).kind, Kind::Blob));
}

#[test]
fn the_request_media_type_is_kept_as_declared() {
    let text = doc(
        r##"  /json:
    post:
      operationId: json
      requestBody:
        content:
          "application/json; charset=utf-8": {schema: {type: object, properties: {a: {type: string}}}}
          application/vnd.other+json: {schema: {type: object, properties: {b: {type: string}}}}
      responses: {"204": {description: done}}
  /text:
    post:
      operationId: text
      requestBody: {content: {"text/plain; charset=utf-8": {schema: {type: string}}}}
      responses: {"204": {description: done}}
  /first:
    post:
      operationId: first
      requestBody:
        content:
          application/octet-stream: {schema: {type: string, format: binary}}
          application/problem+json: {schema: {type: object, properties: {c: {type: string}}}}
      responses: {"204": {description: done}}
  /none:
    get:
      operationId: none
      responses: {"204": {description: done}}"##,
        "",
    );
    let s = ok(&text);
    let json = op(&s, "json");
    // The first JSON type, parameters and all.
    assert_eq!(
        json.request_media_type.as_deref(),
        Some("application/json; charset=utf-8")
    );
    assert_eq!(member(&json.input, "a").location, Location::Body);
    let text_op = op(&s, "text");
    assert_eq!(
        text_op.request_media_type.as_deref(),
        Some("text/plain; charset=utf-8")
    );
    // The body is still text whatever the parameters.
    assert!(matches!(text_op.input.members[0].ty.kind, Kind::String));
    // JSON wins over bytes listed before it.
    let first = op(&s, "first");
    assert_eq!(
        first.request_media_type.as_deref(),
        Some("application/problem+json")
    );
    assert_eq!(member(&first.input, "c").location, Location::Body);
    assert_eq!(op(&s, "none").request_media_type, None);
}

#[test]
fn accept_follows_the_success_responses() {
    let text = doc(
        r##"  /json:
    get:
      operationId: json
      responses:
        "200": {description: ok, content: {"application/json; charset=utf-8": {schema: {type: object, properties: {a: {type: string}}}}}}
        "400": {description: bad, content: {application/problem+json: {schema: {type: object, properties: {m: {type: string}}}}}}
  /text:
    get:
      operationId: text
      responses:
        "200": {description: ok, content: {"text/plain; charset=utf-8": {schema: {type: string}}}}
  /bytes:
    get:
      operationId: bytes
      responses:
        "200": {description: ok, content: {application/pdf: {schema: {type: string, format: binary}}}}
  /mixed:
    get:
      operationId: mixed
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object, properties: {a: {type: string}}}}}}
        "201": {description: made, content: {application/json: {schema: {type: object, properties: {b: {type: string}}}}}}
        "202": {description: queued, content: {text/plain: {schema: {type: string}}}}
  /nothing:
    delete:
      operationId: nothing
      responses:
        "204": {description: done}
  /undocumented:
    get:
      operationId: undocumented
      responses: {}"##,
        "",
    );
    let s = ok(&text);
    let accept = |name: &str| op(&s, name).accept.clone();
    // Error responses do not count.
    assert_eq!(
        accept("json").as_deref(),
        Some("application/json; charset=utf-8")
    );
    assert_eq!(accept("text").as_deref(), Some("text/plain; charset=utf-8"));
    // Text read as text, not as a JSON string.
    assert_eq!(
        output_type(op(&s, "text")).media_type.as_deref(),
        Some("text/plain; charset=utf-8")
    );
    assert_eq!(accept("bytes").as_deref(), Some("*/*"));
    assert_eq!(
        accept("mixed").as_deref(),
        Some("application/json, text/plain")
    );
    assert_eq!(accept("nothing"), None);
    assert_eq!(accept("undocumented").as_deref(), Some("*/*"));
}

#[test]
fn every_success_status_is_listed_and_headers_stay_with_their_response() {
    let text = doc(
        r##"  /same:
    post:
      operationId: same
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/S"}}}}
        "303": {description: elsewhere, content: {application/json: {schema: {$ref: "#/components/schemas/S"}}}}
        "404": {description: missing}
  /login:
    post:
      operationId: login
      responses:
        "200":
          description: logged in
          content: {application/json: {schema: {$ref: "#/components/schemas/S"}}}
        "303":
          description: go elsewhere
          headers:
            location: {required: true, schema: {type: string}}
            Body: {schema: {type: integer}}
            content-type: {schema: {type: string}}
  /only:
    get:
      operationId: only
      responses:
        default: {description: anything, content: {application/json: {schema: {$ref: "#/components/schemas/S"}}}}"##,
        "",
    )
    .replace(
        "  schemas: {}\n",
        "  schemas:\n    S: {type: object, properties: {a: {type: string}}}\n",
    );
    let s = ok(&text);
    let same = op(&s, "same");
    assert!(matches!(&output_type(same).kind, Kind::Struct(n) if n == "S"));
    assert_eq!(
        same.success_statuses,
        [StatusMatch::Exact(200), StatusMatch::Exact(303)]
    );
    assert_eq!(same.errors.len(), 1);

    let login = op(&s, "login");
    assert_eq!(
        login.success_statuses,
        [StatusMatch::Exact(200), StatusMatch::Exact(303)]
    );
    let Output::ByStatus(outs) = &login.output else {
        panic!("{:?}", login.output)
    };
    assert_eq!(outs[0].variant, "Ok");
    assert!(outs[0].headers.is_empty());
    assert!(matches!(&outs[0].body, Some(Type { kind: Kind::Struct(n), .. }) if n == "S"));
    assert_eq!(outs[1].variant, "SeeOther");
    assert!(outs[1].body.is_none());
    // `Content-Type` is left out; a header whose field would be `body` is renamed.
    let headers: Vec<_> = outs[1]
        .headers
        .iter()
        .map(|m| {
            (
                m.name.as_str(),
                m.rust_name.as_str(),
                m.location,
                m.required,
            )
        })
        .collect();
    assert_eq!(
        headers,
        [
            ("location", "location", Location::Header, true),
            ("Body", "body_header", Location::Header, false)
        ]
    );

    assert_eq!(op(&s, "only").success_statuses, [StatusMatch::Default]);
}
