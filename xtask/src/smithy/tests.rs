//! Front-end unit tests: small inline models, checked through the IR.

use super::*;
use serde_json::json;

fn spec(shapes: Value) -> String {
    json!({"smithy": "2.0", "shapes": shapes}).to_string()
}

fn base() -> Value {
    json!({
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

/// `../shared/corpus/smithy` next to the workspace, when present.
fn corpus_dir() -> Option<std::path::PathBuf> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).parent()?;
    let dir = root.parent()?.join("shared/corpus/smithy");
    dir.is_dir().then_some(dir)
}

/// Every operation listed in the corpus's `operations.txt` loads alone and passes the
/// check pass.
#[test]
fn corpus_operations_load_and_check() {
    let Some(dir) = corpus_dir() else {
        eprintln!("no corpus directory; skipped");
        return;
    };
    let list = std::fs::read_to_string(dir.join("operations.txt")).unwrap();
    let mut failures = Vec::new();
    let mut count = 0;
    for line in list.lines().filter(|l| !l.trim().is_empty()) {
        let (file, op) = line.split_once(' ').unwrap();
        let text = std::fs::read_to_string(dir.join(file)).unwrap();
        count += 1;
        let result = load(file, &text, Some(&[op.trim().to_string()]))
            .and_then(|mut svc| crate::check::check(&mut svc).map(|()| svc));
        match result {
            Ok(svc) => {
                assert_eq!(svc.operations.len(), 1, "{line}");
                assert_eq!(svc.operations[0].name, op.trim());
            }
            Err(e) => failures.push(format!("{line}: {e}")),
        }
    }
    assert!(count >= 22, "operations.txt lists {count} operations");
    assert!(
        failures.is_empty(),
        "{} failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Whole models: every operation is tried on its own; out-of-scope constructs are correct
/// errors, so this only reports (run with `--nocapture`) and checks that nothing panics.
#[test]
fn corpus_whole_models_report() {
    let Some(dir) = corpus_dir() else {
        eprintln!("no corpus directory; skipped");
        return;
    };
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    for path in files {
        let file = path.file_name().unwrap().to_string_lossy().to_string();
        let text = std::fs::read_to_string(&path).unwrap();
        let parsed = match parse(&file, &text) {
            Ok(p) => p,
            Err(e) => {
                println!("{file}: does not parse: {e}");
                continue;
            }
        };
        let whole = parsed.service(None).and_then(|mut s| {
            crate::check::check(&mut s)?;
            Ok(s)
        });
        if let Ok(s) = &whole {
            let problems = crate::check::identifier_problems(s);
            assert!(problems.is_empty(), "{file}: {problems:#?}");
        }
        let names = parsed.operation_names().unwrap();
        let mut ok = 0;
        let mut reasons: BTreeMap<String, usize> = BTreeMap::new();
        for n in &names {
            match parsed
                .service(Some(std::slice::from_ref(n)))
                .and_then(|mut s| crate::check::check(&mut s))
            {
                Ok(()) => ok += 1,
                Err(e) => *reasons.entry(e.message.clone()).or_default() += 1,
            }
        }
        println!(
            "{file}: whole model {}; {ok}/{} operations load alone",
            if whole.is_ok() { "loads" } else { "fails" },
            names.len()
        );
        for (r, n) in reasons {
            println!("    {n} x {r}");
        }
    }
}

// ---------------------------------------------------------------------------------------
// Small models for each construct. `svc(protocol, op, shapes)` wraps shapes in a service
// with one operation `ex#Op`.

const FILE: &str = "specs/ex.smithy.json";

fn svc_with(protocol: &str, shapes: Value) -> Value {
    let mut all = json!({
        "ex#Svc": {"type": "service", "version": "1", "operations": [{"target": "ex#Op"}],
            "traits": {protocol: {}, "aws.auth#sigv4": {"name": "ex"},
                       "aws.api#service": {"sdkId": "Ex", "endpointPrefix": "ex"}}},
    });
    for (k, v) in shapes.as_object().unwrap() {
        all[k] = v.clone();
    }
    all
}

fn rest(shapes: Value) -> Value {
    svc_with("aws.protocols#restJson1", shapes)
}

fn json11(shapes: Value) -> Value {
    svc_with("aws.protocols#awsJson1_1", shapes)
}

/// Loads and checks; every identifier is valid and unique in its scope.
fn ok(shapes: Value) -> Service {
    ok_text(&spec(shapes))
}

/// Loads and checks, expecting an error; returns its text.
fn fails(shapes: Value) -> String {
    fails_text(&spec(shapes))
}

fn fails_text(text: &str) -> String {
    match load(FILE, text, None).and_then(|mut s| crate::check::check(&mut s)) {
        Ok(()) => panic!("expected a spec error"),
        Err(e) => e.to_string(),
    }
}

fn structure(s: &Service, name: &str) -> Structure {
    match s.shapes.get(name) {
        Some(Shape::Structure(st)) => st.clone(),
        other => panic!("{name}: {other:?}"),
    }
}

fn member<'a>(s: &'a Structure, name: &str) -> &'a Member {
    s.members
        .iter()
        .find(|m| m.member_name == name)
        .unwrap_or_else(|| panic!("no member {name} in {}", s.rust_name))
}

fn op_with(input: Value, output: Value) -> Value {
    json!({
        "ex#Op": {"type": "operation", "input": {"target": "ex#In"}, "output": {"target": "ex#Out"},
                  "traits": {"smithy.api#http": {"method": "POST", "uri": "/op"}}},
        "ex#In": {"type": "structure", "members": input},
        "ex#Out": {"type": "structure", "members": output},
    })
}

fn merge(mut a: Value, b: Value) -> Value {
    for (k, v) in b.as_object().unwrap() {
        a[k] = v.clone();
    }
    a
}

const STRING: &str = "smithy.api#String";

/// `serde_json::Value` (without `preserve_order`) sorts object keys, so order-sensitive
/// models are fixture files.
fn fixture(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/smithy")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn ok_text(text: &str) -> Service {
    let mut s = load(FILE, text, None).unwrap_or_else(|e| panic!("{e}"));
    crate::check::check(&mut s).unwrap_or_else(|e| panic!("{e}"));
    let problems = crate::check::identifier_problems(&s);
    assert!(problems.is_empty(), "{problems:#?}");
    s
}

#[test]
fn spec_order_is_kept() {
    let s = ok_text(&fixture("order.json"));
    let i = &s.operations[0].input;
    let names: Vec<_> = i.members.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "Zeta", "alpha", "Mid", "fooBar", "FooBar", "foo_bar", "mode", "level", "choice"
        ]
    );
    let rust: Vec<_> = i.members.iter().map(|m| m.rust_name.as_str()).collect();
    assert_eq!(
        rust,
        [
            "zeta",
            "alpha",
            "mid",
            "foo_bar",
            "foo_bar_2",
            "foo_bar_3",
            "mode",
            "level",
            "choice"
        ]
    );
    let Some(Shape::Enum(e)) = s.shapes.get("Mode") else {
        panic!()
    };
    let v: Vec<_> = e
        .values
        .iter()
        .map(|v| (v.value.as_str(), v.variant.as_str()))
        .collect();
    assert_eq!(
        v,
        [("z", "Z"), ("a-b", "AB"), ("A_B", "ABValue"), ("m", "M")]
    );
    let Some(Shape::IntEnum(e)) = s.shapes.get("Level") else {
        panic!()
    };
    let v: Vec<_> = e
        .values
        .iter()
        .map(|v| (v.value, v.variant.as_str()))
        .collect();
    assert_eq!(v, [(9, "High"), (1, "Low")]);
    let Some(Shape::Union(u)) = s.shapes.get("Choice") else {
        panic!()
    };
    let v: Vec<_> = u.members.iter().map(|m| m.rust_name.as_str()).collect();
    assert_eq!(v, ["Text", "UnknownValue", "Number"]);
}

#[test]
fn rest_json_bindings() {
    let shapes = merge(
        op_with(
            json!({
                "Bucket": {"target": STRING, "traits": {"smithy.api#httpLabel": {}, "smithy.api#required": {}}},
                "Key": {"target": STRING, "traits": {"smithy.api#httpLabel": {}, "smithy.api#required": {}}},
                "Token": {"target": STRING, "traits": {"smithy.api#httpHeader": "x-token"}},
                "Meta": {"target": "ex#StrMap", "traits": {"smithy.api#httpPrefixHeaders": "x-meta-"}},
                "Limit": {"target": "smithy.api#Integer", "traits": {"smithy.api#httpQuery": "limit"}},
                "Rest": {"target": "ex#StrMap", "traits": {"smithy.api#httpQueryParams": {}}},
                "Since": {"target": "smithy.api#Timestamp", "traits": {"smithy.api#httpQuery": "since"}},
                "When": {"target": "smithy.api#Timestamp", "traits": {"smithy.api#httpHeader": "x-when"}},
                "Body": {"target": "ex#Doc", "traits": {"smithy.api#httpPayload": {}}}
            }),
            json!({
                "Code": {"target": "smithy.api#Integer", "traits": {"smithy.api#httpResponseCode": {}}},
                "ETag": {"target": STRING, "traits": {"smithy.api#httpHeader": "ETag"}},
                "Created": {"target": "smithy.api#Timestamp", "traits": {"smithy.api#jsonName": "created_at"}},
                "Data": {"target": "smithy.api#Blob"}
            }),
        ),
        json!({
            "ex#StrMap": {"type": "map", "key": {"target": STRING}, "value": {"target": STRING}},
            "ex#Doc": {"type": "structure", "members": {
                "Note": {"target": STRING, "traits": {"smithy.api#jsonName": "note", "smithy.api#httpHeader": "ignored-when-nested"}}}}
        }),
    );
    let mut shapes = shapes;
    shapes["ex#Op"]["traits"]["smithy.api#http"] =
        json!({"method": "PUT", "uri": "/b/{Bucket}/{Key+}?x-id=Put&flag", "code": 201});
    let s = ok(rest(shapes));
    let op = &s.operations[0];
    assert_eq!(op.http_method, "PUT");
    assert_eq!(op.path, "/b/{Bucket}/{Key+}");
    assert_eq!(
        op.query_literals,
        [
            ("x-id".to_string(), "Put".to_string()),
            ("flag".to_string(), String::new())
        ]
    );
    assert_eq!(op.success_status, Some(201));
    let i = &op.input;
    let loc = |n: &str| (member(i, n).location, member(i, n).name.clone());
    assert_eq!(loc("Bucket"), (Location::Label, "Bucket".into()));
    assert_eq!(loc("Token"), (Location::Header, "x-token".into()));
    assert_eq!(loc("Meta"), (Location::PrefixHeaders, "x-meta-".into()));
    assert_eq!(loc("Limit"), (Location::Query, "limit".into()));
    assert_eq!(loc("Rest").0, Location::QueryParams);
    assert_eq!(loc("Body").0, Location::Payload);
    assert!(matches!(
        member(i, "Since").ty.kind,
        Kind::Timestamp(TimestampFormat::DateTime)
    ));
    assert!(matches!(
        member(i, "When").ty.kind,
        Kind::Timestamp(TimestampFormat::HttpDate)
    ));
    let Output::Owned(o) = &op.output else {
        panic!()
    };
    assert_eq!(member(o, "Code").location, Location::ResponseCode);
    assert_eq!(member(o, "ETag").location, Location::Header);
    assert_eq!(member(o, "Created").name, "created_at");
    assert!(matches!(
        member(o, "Created").ty.kind,
        Kind::Timestamp(TimestampFormat::EpochSeconds)
    ));
    assert!(matches!(member(o, "Data").ty.kind, Kind::Blob));
    // Nested: bindings do not apply, jsonName does.
    let doc = structure(&s, "Doc");
    assert_eq!(member(&doc, "Note").location, Location::Body);
    assert_eq!(member(&doc, "Note").name, "note");
}

#[test]
fn aws_json_ignores_http_bindings_and_json_name() {
    let mut shapes = op_with(
        json!({
            "Id": {"target": STRING, "traits": {"smithy.api#httpLabel": {}, "smithy.api#required": {}}},
            "Q": {"target": STRING, "traits": {"smithy.api#httpQuery": "q", "smithy.api#jsonName": "qq"}},
            "H": {"target": "smithy.api#Timestamp", "traits": {"smithy.api#httpHeader": "x-h"}}
        }),
        json!({}),
    );
    shapes["ex#Op"]["traits"]["smithy.api#http"] = json!({"method": "GET", "uri": "/things/{Id}"});
    let s = ok(json11(shapes));
    let op = &s.operations[0];
    assert_eq!((op.http_method.as_str(), op.path.as_str()), ("POST", "/"));
    for m in &op.input.members {
        assert_eq!(m.location, Location::Body, "{}", m.member_name);
        assert_eq!(m.name, m.member_name);
    }
    assert!(matches!(
        member(&op.input, "H").ty.kind,
        Kind::Timestamp(TimestampFormat::EpochSeconds)
    ));
}

#[test]
fn every_shape_type() {
    let s = ok(json11(merge(
        op_with(
            json!({
                "b": {"target": "smithy.api#Byte"}, "s": {"target": "smithy.api#Short"},
                "i": {"target": "smithy.api#PrimitiveInteger"}, "l": {"target": "smithy.api#Long"},
                "f": {"target": "smithy.api#Float"}, "d": {"target": "smithy.api#Double"},
                "bi": {"target": "smithy.api#BigInteger"}, "bd": {"target": "smithy.api#BigDecimal"},
                "bool": {"target": "smithy.api#Boolean"}, "blob": {"target": "ex#Bytes"},
                "doc": {"target": "smithy.api#Document"}, "ts": {"target": "ex#Iso"},
                "set": {"target": "ex#OldSet"}, "old": {"target": "ex#OldEnum"},
                "ie": {"target": "ex#Level"}, "u": {"target": "ex#Choice"},
                "sparse": {"target": "ex#Sparse"}
            }),
            json!({}),
        ),
        json!({
            "ex#Bytes": {"type": "blob", "traits": {"smithy.api#mediaType": "image/png"}},
            "ex#Iso": {"type": "timestamp", "traits": {"smithy.api#timestampFormat": "date-time"}},
            "ex#OldSet": {"type": "set", "member": {"target": STRING}},
            "ex#OldEnum": {"type": "string", "traits": {"smithy.api#enum": [
                {"value": "on", "name": "ON"}, {"value": "off", "documentation": "Off."}]}},
            "ex#Level": {"type": "intEnum", "members": {
                "LOW": {"target": UNIT, "traits": {"smithy.api#enumValue": 1}},
                "HIGH": {"target": UNIT, "traits": {"smithy.api#enumValue": 9}}}},
            "ex#Choice": {"type": "union", "members": {
                "text": {"target": STRING}, "none": {"target": UNIT}}},
            "ex#Sparse": {"type": "list", "member": {"target": STRING}, "traits": {"smithy.api#sparse": {}}}
        }),
    )));
    let i = &s.operations[0].input;
    let k = |n: &str| format!("{:?}", member(i, n).ty.kind);
    assert_eq!(k("b"), "Byte");
    assert_eq!(k("s"), "Short");
    assert_eq!(k("i"), "Integer");
    assert_eq!(k("l"), "Long");
    assert_eq!(k("f"), "Float");
    assert_eq!(k("d"), "Double");
    assert_eq!(k("bi"), "BigInteger");
    assert_eq!(k("bd"), "BigDecimal");
    assert_eq!(k("bool"), "Boolean");
    assert_eq!(k("blob"), "Blob");
    assert_eq!(
        member(i, "blob").ty.media_type.as_deref(),
        Some("image/png")
    );
    assert_eq!(k("doc"), "Document");
    assert_eq!(k("ts"), "Timestamp(DateTime)");
    assert!(k("set").starts_with("List("));
    assert_eq!(k("old"), "Enum(\"OldEnum\")");
    assert_eq!(k("ie"), "IntEnum(\"Level\")");
    assert_eq!(k("u"), "Union(\"Choice\")");
    assert!(member(i, "sparse").ty.sparse);
    let Some(Shape::Enum(e)) = s.shapes.get("OldEnum") else {
        panic!()
    };
    assert_eq!(
        e.values
            .iter()
            .map(|v| v.value.as_str())
            .collect::<Vec<_>>(),
        ["on", "off"]
    );
    let Some(Shape::IntEnum(e)) = s.shapes.get("Level") else {
        panic!()
    };
    let mut v: Vec<_> = e
        .values
        .iter()
        .map(|v| (v.value, v.variant.as_str()))
        .collect();
    v.sort();
    assert_eq!(v, [(1, "Low"), (9, "High")]);
    let Some(Shape::Union(u)) = s.shapes.get("Choice") else {
        panic!()
    };
    let text = u.members.iter().find(|m| m.member_name == "text").unwrap();
    let none = u.members.iter().find(|m| m.member_name == "none").unwrap();
    assert_eq!(text.rust_name, "Text");
    assert_eq!(none.rust_name, "None");
    // A unit variant is an empty structure (`{}` on the wire).
    assert!(matches!(&none.ty.kind, Kind::Struct(n)
        if matches!(s.shapes.get(n), Some(Shape::Structure(st)) if st.members.is_empty())));
}

#[test]
fn member_and_operation_traits() {
    let mut shapes = merge(
        op_with(
            json!({
                "Token": {"target": STRING, "traits": {"smithy.api#idempotencyToken": {}}},
                "Account": {"target": STRING, "traits": {"smithy.api#hostLabel": {}, "smithy.api#required": {}}},
                "Secret": {"target": "ex#Secret"},
                "Old": {"target": STRING, "traits": {"smithy.api#deprecated": {"message": "gone", "since": "2020"}}},
                "Size": {"target": "smithy.api#Integer", "traits": {"smithy.api#default": 10, "smithy.api#range": {"min": 1, "max": 100}}},
                "Name": {"target": STRING, "traits": {"smithy.api#length": {"min": 1}, "smithy.api#pattern": "^[a-z]+$"}}
            }),
            json!({}),
        ),
        json!({"ex#Secret": {"type": "string", "traits": {"smithy.api#sensitive": {}}}}),
    );
    shapes["ex#Op"]["traits"]["smithy.api#endpoint"] = json!({"hostPrefix": "{Account}.data."});
    shapes["ex#Op"]["traits"]["smithy.api#idempotent"] = json!({});
    shapes["ex#Op"]["traits"]["smithy.api#optionalAuth"] = json!({});
    shapes["ex#Op"]["traits"]["smithy.api#deprecated"] = json!({});
    let s = ok(rest(shapes));
    let op = &s.operations[0];
    assert_eq!(op.host_prefix.as_deref(), Some("{Account}.data."));
    assert!(op.idempotent && !op.readonly && op.unsigned);
    assert!(op.deprecated.is_some());
    let i = &op.input;
    assert!(member(i, "Token").idempotency_token);
    assert!(member(i, "Account").host_label);
    assert!(member(i, "Secret").sensitive);
    assert_eq!(
        member(i, "Old").deprecated,
        Some(Deprecated {
            message: Some("gone".into()),
            since: Some("2020".into())
        })
    );
    assert_eq!(member(i, "Size").default, Some(json!(10)));
    assert_eq!(
        member(i, "Size").ty.constraints.range,
        Some((Some(1.0), Some(100.0)))
    );
    assert_eq!(
        member(i, "Name").ty.constraints.length,
        Some((Some(1), None))
    );
    assert_eq!(
        member(i, "Name").ty.constraints.pattern.as_deref(),
        Some("^[a-z]+$")
    );
}

#[test]
fn empty_auth_list_on_operation_is_unsigned() {
    let mut shapes = op_with(json!({}), json!({}));
    shapes["ex#Op"]["traits"]["smithy.api#auth"] = json!([]);
    assert!(ok(json11(shapes.clone())).operations[0].unsigned);
    shapes["ex#Op"]["traits"]["smithy.api#auth"] = json!(["smithy.api#noAuth"]);
    assert!(ok(json11(shapes.clone())).operations[0].unsigned);
    shapes["ex#Op"]["traits"]["smithy.api#auth"] = json!(["aws.auth#sigv4"]);
    assert!(!ok(json11(shapes)).operations[0].unsigned);
}

#[test]
fn errors_status_and_throttling() {
    let mut shapes = merge(
        op_with(json!({}), json!({})),
        json!({
            "ex#Slow": {"type": "structure", "members": {"message": {"target": STRING}},
                "traits": {"smithy.api#error": "client", "smithy.api#httpError": 429,
                           "smithy.api#retryable": {"throttling": true}}},
            "ex#Boom": {"type": "structure", "members": {},
                "traits": {"smithy.api#error": "server"}},
            "ex#Bad": {"type": "structure", "members": {}, "traits": {"smithy.api#error": "client"}}
        }),
    );
    shapes["ex#Op"]["errors"] = json!([{"target": "ex#Slow"}, {"target": "ex#Boom"}]);
    let mut shapes = json11(shapes);
    shapes["ex#Svc"]["errors"] = json!([{"target": "ex#Bad"}]);
    let s = ok(shapes);
    let errs: Vec<_> = s.operations[0]
        .errors
        .iter()
        .map(|e| (e.variant.as_str(), e.matcher.clone(), e.status))
        .collect();
    assert_eq!(
        errs,
        [
            ("Slow", ErrorMatch::Code("Slow".into()), Some(429)),
            ("Boom", ErrorMatch::Code("Boom".into()), Some(500)),
            ("Bad", ErrorMatch::Code("Bad".into()), Some(400)),
        ]
    );
    assert_eq!(s.throttling_codes, ["Slow"]);
    let slow = structure(&s, "Slow");
    assert!(slow.is_error);
    assert_eq!(slow.retryable, Some(Retryable { throttling: true }));
}

#[test]
fn pagination_merges_service_values_and_nested_paths() {
    let mut shapes = merge(
        op_with(
            json!({"next": {"target": STRING, "traits": {"smithy.api#jsonName": "NextToken"}},
                   "max": {"target": "smithy.api#Integer"}}),
            json!({"page": {"target": "ex#Page"}}),
        ),
        json!({
            "ex#Page": {"type": "structure", "members": {
                "token": {"target": STRING}, "items": {"target": "ex#Items"}}},
            "ex#Items": {"type": "list", "member": {"target": STRING}}
        }),
    );
    shapes["ex#Op"]["traits"]["smithy.api#paginated"] =
        json!({"outputToken": "page.token", "items": "page.items"});
    let mut shapes = rest(shapes);
    shapes["ex#Svc"]["traits"]["smithy.api#paginated"] =
        json!({"inputToken": "next", "outputToken": "nope", "pageSize": "max"});
    let s = ok(shapes);
    let p = s.operations[0].pagination.as_ref().unwrap();
    let PageStyle::Token { input, output } = &p.style else {
        panic!()
    };
    assert_eq!(input, "next");
    assert_eq!(output, &["page", "token"]);
    assert_eq!(
        p.items.as_deref(),
        Some(&["page".to_string(), "items".to_string()][..])
    );
    assert_eq!(p.page_size.as_deref(), Some(&["max".to_string()][..]));
    // The input token's wire name differs from its member name.
    assert_eq!(member(&s.operations[0].input, "next").name, "NextToken");
}

#[test]
fn pagination_path_to_a_missing_member_is_an_error() {
    let mut shapes = op_with(
        json!({"next": {"target": STRING}}),
        json!({"token": {"target": STRING}}),
    );
    shapes["ex#Op"]["traits"]["smithy.api#paginated"] =
        json!({"inputToken": "next", "outputToken": "page.token"});
    let e = fails(json11(shapes));
    assert!(
        e.contains("Op") && e.contains("`page` is not a member of ex#Out"),
        "{e}"
    );
}

#[test]
fn mixins_apply_and_resources() {
    let shapes = json!({
        "ex#Svc": {"type": "service", "version": "1", "resources": [{"target": "ex#Thing"}],
            "traits": {"aws.protocols#awsJson1_0": {}, "aws.auth#sigv4": {"name": "ex"},
                       "aws.api#service": {"sdkId": "Ex"}}},
        "ex#Thing": {"type": "resource", "read": {"target": "ex#GetThing"},
            "list": {"target": "ex#ListThings"}, "resources": [{"target": "ex#Part"}]},
        "ex#Part": {"type": "resource", "operations": [{"target": "ex#Op"}]},
        "ex#GetThing": {"type": "operation", "input": {"target": "ex#GetIn"}},
        "ex#ListThings": {"type": "operation"},
        "ex#Op": {"type": "operation"},
        "ex#Common": {"type": "structure", "mixins": [], "members": {
            "Id": {"target": STRING, "traits": {"smithy.api#required": {}}}},
            "traits": {"smithy.api#mixin": {}, "smithy.api#sensitive": {}}},
        "ex#GetIn": {"type": "structure", "mixins": [{"target": "ex#Common"}], "members": {
            "Extra": {"target": STRING}}},
        "ex#GetIn$Extra": {"type": "apply", "traits": {"smithy.api#documentation": "Applied."}}
    });
    let s = ok(shapes);
    let names: Vec<_> = s.operations.iter().map(|o| o.name.as_str()).collect();
    assert_eq!(names, ["GetThing", "ListThings", "Op"]);
    let i = &s.operations[0].input;
    assert_eq!(
        i.members
            .iter()
            .map(|m| m.member_name.as_str())
            .collect::<Vec<_>>(),
        ["Id", "Extra"]
    );
    assert!(member(i, "Id").required);
    assert!(i.sensitive);
    assert_eq!(member(i, "Extra").docs, "Applied.");
    assert!(matches!(s.endpoint, Endpoint::AwsRegional { ref prefix, .. } if prefix == "ex"));
}

#[test]
fn operation_mixins_add_errors_and_input() {
    let mut shapes = json11(merge(
        op_with(json!({"Id": {"target": STRING}}), json!({})),
        json!({
            "ex#Base": {"type": "operation", "input": {"target": "ex#In"},
                "errors": [{"target": "ex#Denied"}], "traits": {"smithy.api#mixin": {}}},
            "ex#Denied": {"type": "structure", "members": {}, "traits": {"smithy.api#error": "client"}},
            "ex#Gone": {"type": "structure", "members": {}, "traits": {"smithy.api#error": "client", "smithy.api#httpError": 410}}
        }),
    ));
    let op = shapes["ex#Op"].as_object_mut().unwrap();
    op.remove("input");
    op.insert("mixins".into(), json!([{"target": "ex#Base"}]));
    op.insert("errors".into(), json!([{"target": "ex#Gone"}]));
    let s = ok(shapes);
    let op = &s.operations[0];
    assert_eq!(op.input.members[0].member_name, "Id");
    let errs: Vec<_> = op.errors.iter().map(|e| e.variant.as_str()).collect();
    assert_eq!(errs, ["Denied", "Gone"]);
}

#[test]
fn only_takes_the_named_operations_and_what_they_reach() {
    let shapes = json11(json!({
        "ex#Svc": {"type": "service", "version": "1",
            "operations": [{"target": "ex#Good"}, {"target": "ex#Bad"}],
            "traits": {"aws.protocols#awsJson1_1": {}, "aws.auth#sigv4": {"name": "ex"}}},
        "ex#Good": {"type": "operation"},
        "ex#Bad": {"type": "operation", "input": {"target": "ex#Stream"}},
        "ex#Stream": {"type": "structure", "members": {"Body": {"target": "ex#Bytes"}}},
        "ex#Bytes": {"type": "blob", "traits": {"smithy.api#streaming": {}}}
    }));
    let text = spec(shapes);
    let s = load(FILE, &text, Some(&["Good".to_string()])).unwrap();
    assert_eq!(s.operations.len(), 1);
    let e = load(FILE, &text, None).unwrap_err().to_string();
    assert!(
        e.contains("ex#Bytes") && e.contains("smithy.api#streaming"),
        "{e}"
    );
    let e = load(FILE, &text, Some(&["Goood".to_string()]))
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("no operation `Goood`") && e.contains("close: Good"),
        "{e}"
    );
}

#[test]
fn service_traits_dual_stack_and_bearer() {
    let mut shapes = json11(op_with(json!({}), json!({})));
    shapes["ex#Svc"]["traits"]["aws.endpoints#dualStackOnlyEndpoints"] = json!({});
    let s = ok(shapes.clone());
    assert!(matches!(
        s.endpoint,
        Endpoint::AwsRegional {
            dual_stack_only: true,
            ..
        }
    ));

    let t = &mut shapes["ex#Svc"]["traits"];
    t.as_object_mut().unwrap().remove("aws.auth#sigv4");
    t["smithy.api#httpBearerAuth"] = json!({});
    assert_eq!(ok(shapes.clone()).auth, Auth::Bearer);

    let t = &mut shapes["ex#Svc"]["traits"];
    t.as_object_mut()
        .unwrap()
        .remove("smithy.api#httpBearerAuth");
    t["aws.auth#sigv4a"] = json!({"name": "ex"});
    t["smithy.api#auth"] = json!(["aws.auth#sigv4a"]);
    let e = fails(shapes);
    assert!(
        e.contains("ex#Svc") && e.contains("no supported auth scheme"),
        "{e}"
    );
}

// --- recursion -------------------------------------------------------------------------

fn boxed(s: &Service, shape: &str, m: &str) -> bool {
    match s.shapes.get(shape) {
        Some(Shape::Structure(st)) => member(st, m).boxed,
        Some(Shape::Union(u)) => u.members.iter().find(|x| x.member_name == m).unwrap().boxed,
        other => panic!("{shape}: {other:?}"),
    }
}

#[test]
fn direct_recursion_is_boxed() {
    let s = ok(json11(merge(
        op_with(json!({"Node": {"target": "ex#Node"}}), json!({})),
        json!({"ex#Node": {"type": "structure", "members": {
            "Next": {"target": "ex#Node"}, "Children": {"target": "ex#Nodes"}, "Name": {"target": STRING}}},
            "ex#Nodes": {"type": "list", "member": {"target": "ex#Node"}}}),
    )));
    assert!(boxed(&s, "Node", "Next"));
    assert!(!boxed(&s, "Node", "Children"), "a Vec needs no box");
    assert!(!member(&s.operations[0].input, "Node").boxed);
}

#[test]
fn mutual_recursion_is_boxed_once() {
    let s = ok(json11(merge(
        op_with(json!({"A": {"target": "ex#A"}}), json!({})),
        json!({
            "ex#A": {"type": "structure", "members": {"B": {"target": "ex#B"}}},
            "ex#B": {"type": "structure", "members": {"A": {"target": "ex#A"}}}
        }),
    )));
    assert!(
        boxed(&s, "A", "B") ^ boxed(&s, "B", "A"),
        "exactly one edge of the cycle is boxed"
    );
}

#[test]
fn recursion_through_unions_is_boxed() {
    let s = ok(rest(merge(
        op_with(json!({"Expr": {"target": "ex#Expr"}}), json!({})),
        json!({
            "ex#Expr": {"type": "union", "members": {
                "lit": {"target": STRING}, "not": {"target": "ex#Expr"}, "and": {"target": "ex#And"}}},
            "ex#And": {"type": "structure", "members": {
                "left": {"target": "ex#Expr"}, "right": {"target": "ex#Expr"}}}
        }),
    )));
    assert!(boxed(&s, "Expr", "not"));
    assert!(boxed(&s, "Expr", "and") || (boxed(&s, "And", "left") && boxed(&s, "And", "right")));
}

#[test]
fn a_long_chain_of_structures_does_not_overflow_the_stack() {
    let n = 20_000;
    let mut shapes = op_with(json!({"S": {"target": "ex#S0"}}), json!({}));
    for i in 0..n {
        shapes[format!("ex#S{i}")] = json!({"type": "structure", "members": {
            "next": {"target": format!("ex#S{}", (i + 1) % n)}}});
    }
    // Run on a small stack: resolution and the check pass must not recurse per shape.
    let text = spec(json11(shapes));
    let s = std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(move || {
            let mut s = load(FILE, &text, None).unwrap();
            crate::check::check(&mut s).unwrap();
            s
        })
        .unwrap()
        .join()
        .unwrap();
    assert_eq!(s.shapes.len(), n);
    let boxed_count = s
        .shapes
        .values()
        .filter(|sh| matches!(sh, Shape::Structure(st) if st.members[0].boxed))
        .count();
    assert_eq!(boxed_count, 1);
}

#[test]
fn a_list_that_contains_itself_is_an_error() {
    let e = fails(json11(merge(
        op_with(json!({"L": {"target": "ex#L"}}), json!({})),
        json!({"ex#L": {"type": "list", "member": {"target": "ex#L"}}}),
    )));
    assert!(e.contains("ex#L") && e.contains("contains itself"), "{e}");
}

// --- names -----------------------------------------------------------------------------

#[test]
fn keywords_and_leading_digits() {
    let s = ok(rest(merge(
        op_with(
            json!({
                "type": {"target": STRING}, "self": {"target": STRING}, "Self": {"target": "ex#Self"},
                "crate": {"target": STRING}, "super": {"target": STRING}, "match": {"target": STRING},
                "3dModel": {"target": STRING}, "build": {"target": STRING}, "send": {"target": STRING}
            }),
            json!({}),
        ),
        json!({
            "ex#Self": {"type": "structure", "members": {"u": {"target": "ex#Kind"}, "e": {"target": "ex#Mode"}}},
            "ex#Kind": {"type": "union", "members": {"Unknown": {"target": STRING}, "self": {"target": STRING}, "1st": {"target": STRING}}},
            "ex#Mode": {"type": "enum", "members": {
                "A": {"target": UNIT, "traits": {"smithy.api#enumValue": "unknown"}},
                "B": {"target": UNIT, "traits": {"smithy.api#enumValue": "Self"}},
                "C": {"target": UNIT, "traits": {"smithy.api#enumValue": "2x"}}}}
        }),
    )));
    let i = &s.operations[0].input;
    let rust = |m: &str| member(i, m).rust_name.as_str();
    assert_eq!(rust("type"), "r#type");
    // `Self` comes first (the fixture's keys are sorted): `self_`, then `self_2`.
    assert_eq!(rust("Self"), "self_");
    assert_eq!(rust("self"), "self_2");
    assert_eq!(rust("crate"), "crate_");
    assert_eq!(rust("super"), "super_");
    assert_eq!(rust("match"), "r#match");
    assert_eq!(rust("3dModel"), "n3d_model");
    assert_eq!(rust("build"), "build_value");
    assert_eq!(rust("send"), "send_value");
    // Wire names are untouched.
    assert_eq!(member(i, "self").name, "self");
    assert!(matches!(&member(i, "Self").ty.kind, Kind::Struct(n) if n == "SelfType"));
    let Some(Shape::Union(u)) = s.shapes.get("Kind") else {
        panic!()
    };
    let variant = |m: &str| {
        u.members
            .iter()
            .find(|x| x.member_name == m)
            .map(|x| x.rust_name.clone())
    };
    assert_eq!(variant("Unknown").as_deref(), Some("UnknownValue"));
    assert_eq!(variant("self").as_deref(), Some("SelfValue"));
    assert_eq!(variant("1st").as_deref(), Some("V1st"));
    let Some(Shape::Enum(e)) = s.shapes.get("Mode") else {
        panic!()
    };
    let variant = |w: &str| {
        e.values
            .iter()
            .find(|x| x.value == w)
            .map(|x| x.variant.clone())
    };
    assert_eq!(variant("unknown").as_deref(), Some("UnknownValue"));
    assert_eq!(variant("Self").as_deref(), Some("SelfValue"));
    assert_eq!(variant("2x").as_deref(), Some("V2x"));
}

#[test]
fn colliding_names_are_renamed() {
    let s = ok(json11(merge(
        op_with(
            json!({"c": {"target": "ex#Client"}, "o": {"target": "ex#OpInput"}, "t": {"target": "ex#Thing"},
                   "tb": {"target": "ex#ThingBuilder"}, "other": {"target": "other#Thing"}}),
            json!({}),
        ),
        json!({
            "ex#Client": {"type": "structure", "members": {}},
            "ex#OpInput": {"type": "structure", "members": {}},
            "ex#Thing": {"type": "structure", "members": {}},
            "ex#ThingBuilder": {"type": "structure", "members": {}},
            "other#Thing": {"type": "structure", "members": {}}
        }),
    )));
    let i = &s.operations[0].input;
    let target = |m: &str| match &member(i, m).ty.kind {
        Kind::Struct(n) => n.clone(),
        k => panic!("{k:?}"),
    };
    assert_eq!(target("c"), "ClientType");
    assert_eq!(target("o"), "OpInputType");
    assert_eq!(target("tb"), "ThingBuilderType");
    // Two namespaces, one local name: the first reached keeps it.
    let mut things = [target("t"), target("other")];
    things.sort();
    assert_eq!(things, ["Thing", "Thing2"]);
    for n in [
        "ClientType",
        "OpInputType",
        "Thing",
        "Thing2",
        "ThingBuilderType",
    ] {
        assert_eq!(structure(&s, n).rust_name, n);
    }
}

#[test]
fn service_rename_names_the_shape() {
    let mut shapes = json11(merge(
        op_with(
            json!({"a": {"target": "ex#Thing"}, "b": {"target": "other#Thing"}}),
            json!({}),
        ),
        json!({
            "ex#Thing": {"type": "structure", "members": {}},
            "other#Thing": {"type": "structure", "members": {}}
        }),
    ));
    shapes["ex#Svc"]["rename"] = json!({"other#Thing": "OtherThing"});
    let s = ok(shapes);
    let target = |m: &str| format!("{:?}", member(&s.operations[0].input, m).ty.kind);
    assert_eq!(target("a"), "Struct(\"Thing\")");
    assert_eq!(target("b"), "Struct(\"OtherThing\")");
}

// --- malformed models --------------------------------------------------------------------

#[test]
fn invalid_json_is_reported() {
    let e = fails_text("{");
    assert!(
        e.starts_with("specs/ex.smithy.json: /: not valid JSON"),
        "{e}"
    );
}

#[test]
fn wrong_ast_shape_names_the_shape() {
    let e = fails(json!({"ex#Svc": {"type": "service", "operations": {"not": "a list"}}}));
    assert!(e.contains("ex#Svc"), "{e}");
    let e = fails(json!({"ex#S": {"members": {}}}));
    assert!(e.contains("ex#S") && e.contains("type"), "{e}");
}

#[test]
fn dangling_reference_names_file_and_shape() {
    let mut shapes = base();
    shapes["ex#In"]["members"]["Id"]["target"] = "ex#Missing".into();
    let e = fails(shapes);
    assert!(e.starts_with("specs/ex.smithy.json: ex#In$Id:"), "{e}");
    assert!(e.contains("dangling shape reference `ex#Missing`"), "{e}");
}

#[test]
fn member_without_target_names_the_member() {
    let mut shapes = base();
    shapes["ex#In"]["members"]["Id"] = json!({"traits": {}});
    let e = fails(shapes);
    assert!(
        e.contains("ex#In$Id") && e.contains("without a `target`"),
        "{e}"
    );
}

#[test]
fn traits_of_the_wrong_type_name_the_shape() {
    for (t, v) in [
        ("smithy.api#httpQuery", json!(5)),
        ("smithy.api#httpHeader", json!({})),
        ("smithy.api#length", json!({"min": "one"})),
        ("smithy.api#pattern", json!(["x"])),
        ("smithy.api#timestampFormat", json!("unix")),
    ] {
        let mut shapes = op_with(
            json!({"M": {"target": STRING, "traits": {t: v}}}),
            json!({}),
        );
        if t == "smithy.api#timestampFormat" {
            shapes["ex#In"]["members"]["M"]["target"] = json!("smithy.api#Timestamp");
        }
        let e = fails(rest(shapes));
        assert!(e.contains("ex#In$M"), "{t}: {e}");
    }
    let mut shapes = op_with(json!({}), json!({}));
    shapes["ex#Op"]["traits"]["smithy.api#paginated"] = json!("yes");
    let e = fails(rest(shapes));
    assert!(e.contains("ex#Op") && e.contains("paginated"), "{e}");
    let mut shapes = base();
    shapes["ex#Err"] =
        json!({"type": "structure", "members": {}, "traits": {"smithy.api#error": "sometimes"}});
    shapes["ex#Op"]["errors"] = json!([{"target": "ex#Err"}]);
    let e = fails(shapes);
    assert!(e.contains("ex#Err") && e.contains("\"sometimes\""), "{e}");
}

#[test]
fn unknown_or_unsupported_protocol() {
    let mut shapes = base();
    let t = shapes["ex#Svc"]["traits"].as_object_mut().unwrap();
    t.remove("aws.protocols#awsJson1_1");
    t.insert("aws.protocols#awsQuery".into(), json!({}));
    let e = fails(shapes.clone());
    assert!(
        e.contains("ex#Svc") && e.contains("unsupported protocol aws.protocols#awsQuery"),
        "{e}"
    );
    shapes["ex#Svc"]["traits"]
        .as_object_mut()
        .unwrap()
        .remove("aws.protocols#awsQuery");
    let e = fails(shapes);
    assert!(
        e.contains("ex#Svc") && e.contains("no protocol trait"),
        "{e}"
    );
}

#[test]
fn labels_and_uri_must_agree() {
    let mut shapes = op_with(
        json!({"Id": {"target": STRING, "traits": {"smithy.api#httpLabel": {}, "smithy.api#required": {}}}}),
        json!({}),
    );
    shapes["ex#Op"]["traits"]["smithy.api#http"] = json!({"method": "GET", "uri": "/things"});
    let e = fails(rest(shapes.clone()));
    assert!(
        e.contains("ex#In") && e.contains("label `Id` is not in the uri `/things`"),
        "{e}"
    );
    shapes["ex#Op"]["traits"]["smithy.api#http"] =
        json!({"method": "GET", "uri": "/things/{Id}/{Other}"});
    let e = fails(rest(shapes.clone()));
    assert!(e.contains("Op") && e.contains("{Other}"), "{e}");
    shapes["ex#Op"]["traits"]["smithy.api#http"] = json!({"method": "GET", "uri": "/things/{Id"});
    let e = fails(rest(shapes));
    assert!(e.contains("Op") && e.contains("unclosed"), "{e}");
}

#[test]
fn host_labels_must_match_the_prefix() {
    let mut shapes = op_with(
        json!({"Account": {"target": STRING, "traits": {"smithy.api#hostLabel": {}, "smithy.api#required": {}}}}),
        json!({}),
    );
    shapes["ex#Op"]["traits"]["smithy.api#endpoint"] = json!({"hostPrefix": "{Acct}."});
    let e = fails(json11(shapes));
    assert!(e.contains("Op") && e.contains("{Acct}"), "{e}");
}

#[test]
fn out_of_scope_traits_name_trait_and_shape() {
    for (shape, t) in [
        ("ex#In", "smithy.api#requestCompression"),
        ("ex#Op", "smithy.api#httpChecksumRequired"),
        ("ex#In", "smithy.api#mystery"),
    ] {
        let mut shapes = op_with(json!({}), json!({}));
        shapes[shape]["traits"][t] = json!({});
        let e = fails(rest(shapes));
        assert!(e.contains(shape) && e.contains(t), "{e}");
    }
    // An event stream.
    let shapes = merge(
        op_with(json!({"Events": {"target": "ex#Events"}}), json!({})),
        json!({"ex#Events": {"type": "union", "members": {"a": {"target": STRING}},
            "traits": {"smithy.api#streaming": {}}}}),
    );
    let e = fails(rest(shapes));
    assert!(
        e.contains("ex#Events") && e.contains("smithy.api#streaming"),
        "{e}"
    );
    // A vendor's own annotation is fine.
    let mut shapes = op_with(json!({}), json!({}));
    shapes["ex#In"]["traits"]["com.vendor#owner"] = json!("team-a");
    ok(rest(shapes));
}

#[test]
fn patterns_compile_or_are_reported() {
    let shapes = op_with(
        json!({"M": {"target": STRING, "traits": {"smithy.api#pattern": "^(a$"}}}),
        json!({}),
    );
    let e = fails(rest(shapes));
    assert!(e.contains("ex#In$M") && e.contains("^(a$"), "{e}");
    // Well-formed, but beyond regex-lite: not checked client-side, and documented.
    let s = ok(rest(op_with(
        json!({"M": {"target": STRING, "traits": {"smithy.api#pattern": "^(?!\\s*$).+"}}}),
        json!({}),
    )));
    let m = member(&s.operations[0].input, "M");
    assert!(m.ty.constraints.pattern.is_none());
    assert!(
        m.docs.contains("is not checked before sending"),
        "{}",
        m.docs
    );
}

#[test]
fn mixin_cycles_and_bad_apply_are_errors() {
    let mut shapes = base();
    shapes["ex#In"]["mixins"] = json!([{"target": "ex#M1"}]);
    shapes["ex#M1"] = json!({"type": "structure", "members": {}, "mixins": [{"target": "ex#M2"}], "traits": {"smithy.api#mixin": {}}});
    shapes["ex#M2"] = json!({"type": "structure", "members": {}, "mixins": [{"target": "ex#M1"}], "traits": {"smithy.api#mixin": {}}});
    let e = fails(shapes);
    assert!(e.contains("mixin cycle"), "{e}");
    let mut shapes = base();
    shapes["ex#Nope$x"] = json!({"type": "apply", "traits": {}});
    let e = fails(shapes);
    assert!(e.contains("ex#Nope$x"), "{e}");
}

/// Our own three specs load and check (the codegen test covers their output).
#[test]
fn own_specs_load_and_check() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap();
    let start = std::time::Instant::now();
    for spec in [
        "specs/partner-central.smithy.json",
        "specs/macie2.smithy.json",
        "specs/ssm-mw.smithy.json",
    ] {
        let text = std::fs::read_to_string(root.join(spec)).unwrap();
        let mut s = load(spec, &text, None).unwrap_or_else(|e| panic!("{e}"));
        crate::check::check(&mut s).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(s.operations.len(), 1, "{spec}");
    }
    println!("three specs loaded and checked in {:?}", start.elapsed());
}

/// Mutates a real model at random places (deterministic seed) many times: every result is
/// a service or a spec error, never a panic.
#[test]
fn mutated_corpus_model_never_panics() {
    let Some(dir) = corpus_dir() else {
        eprintln!("no corpus directory; skipped");
        return;
    };
    let text = std::fs::read_to_string(dir.join("iot-jobs-data-plane-2017-09-29.json")).unwrap();
    let original: Value = serde_json::from_str(&text).unwrap();
    let mut seed: u64 = 0x5eed;
    let mut next = move |n: usize| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((seed >> 33) as usize) % n.max(1)
    };
    let replacements = [
        json!(null),
        json!(7),
        json!("ex#Nowhere"),
        json!([]),
        json!({}),
        json!("smithy.api#Unit"),
        json!({"target": "com.amazonaws.iotjobsdataplane#DescribeJobExecution"}),
    ];
    let (mut ok_count, mut err_count) = (0, 0);
    for _ in 0..300 {
        let mut model = original.clone();
        for _ in 0..1 + next(3) {
            // Walk down to a random value and replace it.
            let mut at = &mut model;
            loop {
                let keys: Vec<String> = match at {
                    Value::Object(o) if !o.is_empty() => o.keys().cloned().collect(),
                    _ => break,
                };
                let k = keys[next(keys.len())].clone();
                if next(4) == 0 {
                    break;
                }
                at = &mut at[k.as_str()];
            }
            *at = replacements[next(replacements.len())].clone();
        }
        let text = model.to_string();
        let result = std::panic::catch_unwind(|| {
            load("iot.json", &text, None).and_then(|mut s| crate::check::check(&mut s))
        });
        match result {
            Ok(Ok(())) => ok_count += 1,
            Ok(Err(_)) => err_count += 1,
            Err(_) => panic!("panicked on a mutated model:\n{text}"),
        }
    }
    println!("mutations: {ok_count} still load, {err_count} spec errors");
    assert!(err_count > 0);
}

#[test]
fn an_endpoint_rule_set_replaces_the_regional_rule() {
    let mut shapes = json11(op_with(json!({}), json!({})));
    shapes["ex#Svc"]["traits"]["smithy.rules#endpointRuleSet"] = json!({
        "version": "1.0",
        "parameters": {"Region": {"builtIn": "AWS::Region", "type": "String"}},
        "rules": [{"conditions": [], "type": "endpoint", "endpoint": {"url": "https://ex.{Region}.example"}}]
    });
    let s = ok(shapes.clone());
    let Endpoint::Rules { prefix, rules } = &s.endpoint else {
        panic!("expected a rule set, got {:?}", s.endpoint);
    };
    assert_eq!(prefix, "ex");
    assert_eq!(rules.params[0].name, "Region");

    shapes["ex#Svc"]["traits"]["smithy.rules#endpointRuleSet"]["rules"][0]["endpoint"]["url"] =
        json!("https://{Zone}.example");
    let e = load(FILE, &spec(shapes), None).unwrap_err().to_string();
    assert!(
        e.contains("ex#Svc")
            && e.contains("`smithy.rules#endpointRuleSet` at `/rules/0/endpoint/url`")
            && e.contains("`Zone`"),
        "{e}"
    );
}
