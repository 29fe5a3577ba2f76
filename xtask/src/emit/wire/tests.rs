//! Wire tests of the emitter: a fixture restJson1 service with every HTTP binding is
//! generated into a scratch workspace (`target/wire-fixture`) together with a test file that
//! checks the exact requests (`Handle::prepare`) and the decoded responses, and `cargo test`
//! runs there. Next to them, crates generated from OpenAPI documents (`OPEN_SPEC`, `KEY_SPEC`)
//! as `cargo xtask codegen` does send their requests to a local server, which checks the
//! credentials each request carries.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::super::{CrateInfo, emit};
use crate::ir::*;

fn member(name: &str, kind: Kind, location: Location) -> Member {
    Member::new(name, Type::new(kind), location)
}

fn wire_named(mut m: Member, wire: &str) -> Member {
    m.name = wire.into();
    m
}

fn list(kind: Kind) -> Kind {
    Kind::List(Box::new(Type::new(kind)))
}

fn map(kind: Kind) -> Kind {
    Kind::Map(Box::new(Type::new(kind)))
}

fn structure(name: &str, members: Vec<Member>) -> Structure {
    let mut s = Structure::new(name, format!("fixture#{name}"));
    s.members = members;
    s
}

fn operation(
    name: &str,
    method: &str,
    path: &str,
    input: Vec<Member>,
    output: Output,
) -> Operation {
    Operation {
        name: name.into(),
        method_name: field_name(name),
        type_name: name.into(),
        docs: String::new(),
        http_method: method.into(),
        path: path.into(),
        query_literals: Vec::new(),
        success_status: None,
        readonly: false,
        idempotent: false,
        deprecated: None,
        host_prefix: None,
        unsigned: false,
        security: Vec::new(),
        upgrade: false,
        success_statuses: Vec::new(),
        request_media_type: None,
        accept: None,
        input: structure(&format!("{name}Input"), input),
        output,
        errors: Vec::new(),
        pagination: None,
    }
}

/// The fixture service: one operation per group of bindings.
fn fixture() -> Service {
    use Kind::*;
    use Location::*;
    let mut shapes = std::collections::BTreeMap::new();
    shapes.insert(
        "Doc".to_string(),
        Shape::Structure(structure("Doc", vec![member("A", String, Body)])),
    );
    shapes.insert(
        "PageInfo".to_string(),
        Shape::Structure(structure("PageInfo", vec![member("Next", String, Body)])),
    );
    let mut slow = structure("SlowDown", vec![member("Message", String, Body)]);
    slow.is_error = true;
    slow.retryable = Some(Retryable { throttling: true });
    shapes.insert("SlowDown".to_string(), Shape::Structure(slow));
    let mut bad = structure(
        "BadThing",
        vec![
            member("Message", String, Body),
            member("Count", Integer, Body),
        ],
    );
    bad.is_error = true;
    shapes.insert("BadThing".to_string(), Shape::Structure(bad));

    // Every request binding.
    let mut json_header = member("Json", String, Header);
    json_header.ty.media_type = Some("application/json".into());
    let mut token = member("ClientToken", String, Body);
    token.idempotency_token = true;
    let mut account = member("AccountId", String, Body);
    account.host_label = true;
    let mut name = member("Name", String, Label);
    name.required = true;
    let mut key = member("Key", String, Label);
    key.required = true;
    let mut put = operation(
        "PutThing",
        "PUT",
        "/things/{Name}/files/{Key+}",
        vec![
            name,
            key,
            wire_named(member("Limit", Integer, Query), "limit"),
            wire_named(member("Tags", list(String), Query), "tag"),
            wire_named(
                member("Since", Timestamp(TimestampFormat::DateTime), Query),
                "since",
            ),
            wire_named(member("Ratio", Double, Query), "ratio"),
            wire_named(member("Flag", Boolean, Query), "flag"),
            member("Extra", map(String), QueryParams),
            wire_named(member("Token", String, Header), "X-Token"),
            wire_named(member("Count", Long, Header), "X-Count"),
            wire_named(
                member("When", Timestamp(TimestampFormat::HttpDate), Header),
                "X-When",
            ),
            wire_named(member("Items", list(String), Header), "X-Items"),
            wire_named(json_header, "X-Json"),
            wire_named(member("Scale", Float, Header), "X-Scale"),
            wire_named(member("Meta", map(String), PrefixHeaders), "X-Meta-"),
            member("Description", String, Body),
            token,
            account,
        ],
        Output::Owned(structure(
            "PutThingOutput",
            vec![
                wire_named(member("Version", String, Header), "X-Version"),
                wire_named(member("Count", Integer, Header), "X-Count"),
                wire_named(
                    member("Dates", list(Timestamp(TimestampFormat::HttpDate)), Header),
                    "X-Dates",
                ),
                wire_named(member("Meta", map(String), PrefixHeaders), "X-Meta-"),
                member("Status", Integer, ResponseCode),
                member("Result", String, Body),
            ],
        )),
    );
    put.query_literals = vec![
        ("x-id".into(), "Put".into()),
        ("flagged".into(), std::string::String::new()),
    ];
    put.host_prefix = Some("{AccountId}.data.".into());
    put.success_status = Some(201);
    put.idempotent = true;
    put.errors = vec![
        ErrorRef {
            variant: "SlowDown".into(),
            shape: "SlowDown".into(),
            matcher: ErrorMatch::Code("SlowDown".into()),
            status: Some(429),
            docs: std::string::String::new(),
        },
        ErrorRef {
            variant: "BadThing".into(),
            shape: "BadThing".into(),
            matcher: ErrorMatch::Code("BadThing".into()),
            status: Some(400),
            docs: std::string::String::new(),
        },
    ];

    let mut blob = member("Data", Blob, Payload);
    blob.ty.media_type = Some("image/png".into());
    let upload = operation(
        "UploadBlob",
        "POST",
        "/blobs",
        vec![blob],
        Output::Owned(structure(
            "UploadBlobOutput",
            vec![member("Data", Blob, Payload)],
        )),
    );
    let mut send_text = operation(
        "SendText",
        "POST",
        "/text",
        vec![member("Text", String, Payload)],
        Output::Empty,
    );
    send_text.unsigned = true;
    let put_doc = operation(
        "PutDoc",
        "POST",
        "/doc",
        vec![member("Doc", Struct("Doc".into()), Payload)],
        Output::Owned(structure(
            "PutDocOutput",
            vec![member("Doc", Struct("Doc".into()), Payload)],
        )),
    );
    let ping = operation(
        "Ping",
        "GET",
        "/ping",
        vec![wire_named(member("Probe", String, Header), "X-Probe")],
        Output::Empty,
    );
    let empty_body = operation(
        "EmptyBody",
        "POST",
        "/empty",
        vec![member("Note", String, Body)],
        Output::Empty,
    );
    let mut list_pages = operation(
        "ListPages",
        "GET",
        "/pages",
        vec![
            wire_named(member("NextToken", String, Query), "next"),
            wire_named(member("MaxResults", Integer, Query), "max"),
        ],
        Output::Owned(structure(
            "ListPagesOutput",
            vec![
                member("Page", Struct("PageInfo".into()), Body),
                member("Items", list(String), Body),
            ],
        )),
    );
    list_pages.pagination = Some(Pagination {
        style: PageStyle::Token {
            input: "NextToken".into(),
            output: vec!["Page".into(), "Next".into()],
        },
        page_size: Some(vec!["MaxResults".into()]),
        items: Some(vec!["Items".into()]),
    });
    let mut whole_pages = operation(
        "WholePages",
        "GET",
        "/whole",
        vec![wire_named(member("NextToken", String, Query), "next")],
        Output::Owned(structure(
            "WholePagesOutput",
            vec![member("NextToken", String, Body)],
        )),
    );
    whole_pages.pagination = Some(Pagination {
        style: PageStyle::Token {
            input: "NextToken".into(),
            output: vec!["NextToken".into()],
        },
        page_size: None,
        items: None,
    });

    Service {
        spec_path: "xtask/src/emit/wire/tests.rs".into(),
        crate_name: "wire-fixture".into(),
        name: "wirefix".into(),
        title: "Wire fixture".into(),
        sdk_id: "Wire Fixture".into(),
        version: "2024-01-01".into(),
        docs: "A service with every HTTP binding.".into(),
        protocol: Protocol::RestJson1,
        auth: Auth::SigV4 {
            signing_name: "wirefix".into(),
        },
        endpoint: Endpoint::AwsRegional {
            prefix: "wirefix".into(),
            dual_stack_only: false,
        },
        path_prefix: std::string::String::new(),
        throttling_codes: Vec::new(),
        operations: vec![
            put,
            send_text,
            put_doc,
            ping,
            empty_body,
            list_pages,
            whole_pages,
            upload,
        ],
        shapes,
    }
}

/// An awsJson1_1 fixture: everything in the body, the idempotency token and host prefix
/// still apply.
fn json_fixture() -> Service {
    use Kind::*;
    use Location::*;
    let mut token = member("ClientToken", String, Body);
    token.idempotency_token = true;
    let mut account = member("AccountId", String, Body);
    account.host_label = true;
    account.required = true;
    let mut start = operation(
        "StartJob",
        "POST",
        "/",
        vec![account, token, member("Size", Integer, Body)],
        Output::Owned(structure(
            "StartJobOutput",
            vec![member("JobId", String, Body)],
        )),
    );
    start.host_prefix = Some("{AccountId}.".into());
    let mut svc = fixture();
    svc.crate_name = "wire-fixture-json".into();
    svc.protocol = Protocol::AwsJson1_1 {
        target_prefix: "WireFix".into(),
    };
    svc.operations = vec![start];
    svc.shapes.clear();
    svc
}

/// A plain-JSON (OpenAPI) fixture: security schemes per operation, query styles, form, octet
/// and text bodies, outputs by status, errors by status class and `default`, a 303 with a
/// `Location`, a blob output, an upgrade, and a default base URL with a path.
fn openapi_fixture() -> Service {
    use Kind::*;
    use Location::*;
    let mut shapes = std::collections::BTreeMap::new();
    shapes.insert(
        "Doc".to_string(),
        Shape::Structure(structure("Doc", vec![member("a", String, Body)])),
    );
    shapes.insert(
        "Filter".to_string(),
        Shape::Structure(structure(
            "Filter",
            vec![member("color", String, Body), member("size", Integer, Body)],
        )),
    );
    shapes.insert(
        "FormData".to_string(),
        Shape::Structure(structure(
            "FormData",
            vec![
                member("name", String, Body),
                member("count", Integer, Body),
                member("flag", Boolean, Body),
            ],
        )),
    );
    // `oneOf: [string, array of strings]`, as buildomat's `id` query parameter.
    let mut one = member("id", String, Body);
    one.rust_name = "Id".into();
    let mut many = member("ids", list(String), Body);
    many.rust_name = "Ids".into();
    shapes.insert(
        "IdOrIds".to_string(),
        Shape::Union(crate::ir::Union {
            rust_name: "IdOrIds".into(),
            origin: "fixture#IdOrIds".into(),
            docs: std::string::String::new(),
            members: vec![one, many],
            tagging: Tagging::Untagged,
            sensitive: false,
            deprecated: None,
        }),
    );
    // A union of scalars as a path label and a header (nexus's `NameOrId`).
    let mut by_name = member("name", String, Body);
    by_name.rust_name = "Name".into();
    let mut by_number = member("number", Long, Body);
    by_number.rust_name = "Number".into();
    shapes.insert(
        "NameOrNumber".to_string(),
        Shape::Union(crate::ir::Union {
            rust_name: "NameOrNumber".into(),
            origin: "fixture#NameOrNumber".into(),
            docs: std::string::String::new(),
            members: vec![by_name, by_number],
            tagging: Tagging::Untagged,
            sensitive: false,
            deprecated: None,
        }),
    );
    for name in ["NotFound", "ClientProblem", "Problem"] {
        let mut e = structure(name, vec![member("message", String, Body)]);
        e.is_error = true;
        shapes.insert(name.to_string(), Shape::Structure(e));
    }
    let secured = |name: &str, path: &str, security: Vec<Vec<&str>>| {
        let mut op = operation(name, "GET", path, Vec::new(), Output::Empty);
        op.security = security
            .into_iter()
            .map(|alt| alt.into_iter().map(str::to_string).collect())
            .collect();
        op
    };
    let styled = |name: &str, kind: Kind, style: QueryStyle| {
        let mut m = member(name, kind, Query);
        m.query_style = style;
        m
    };
    let filter = || Struct("Filter".into());
    let query = operation(
        "queryStyles",
        "GET",
        "/query",
        vec![
            styled(
                "formExplode",
                list(String),
                QueryStyle::Form { explode: true },
            ),
            styled("form", list(String), QueryStyle::Form { explode: false }),
            styled("space", list(Integer), QueryStyle::SpaceDelimited),
            styled("pipe", list(String), QueryStyle::PipeDelimited),
            styled(
                "mapExplode",
                map(String),
                QueryStyle::Form { explode: true },
            ),
            styled("mapForm", map(String), QueryStyle::Form { explode: false }),
            styled("deepMap", map(String), QueryStyle::DeepObject),
            styled("deep", filter(), QueryStyle::DeepObject),
            styled("objExplode", filter(), QueryStyle::Form { explode: true }),
            styled("objForm", filter(), QueryStyle::Form { explode: false }),
            styled(
                "idOrIds",
                Union("IdOrIds".into()),
                QueryStyle::Form { explode: true },
            ),
            styled(
                "idOrIdsFlat",
                Union("IdOrIds".into()),
                QueryStyle::PipeDelimited,
            ),
        ],
        Output::Empty,
    );
    let mut form = member("body", Struct("FormData".into()), Payload);
    form.ty.media_type = Some("application/x-www-form-urlencoded".into());
    let form_op = operation("sendForm", "POST", "/form", vec![form], Output::Empty);
    let mut octet = member("body", Blob, Payload);
    octet.ty.media_type = Some("application/octet-stream".into());
    let octet_op = operation("sendBytes", "PUT", "/bytes", vec![octet], Output::Empty);
    let mut text = member("body", String, Payload);
    text.ty.media_type = Some("text/plain".into());
    let text_op = operation("sendText", "POST", "/text", vec![text], Output::Empty);
    let mut plain_text = Type::new(String);
    plain_text.media_type = Some("text/plain".into());
    let by_status = operation(
        "byStatus",
        "GET",
        "/status",
        Vec::new(),
        Output::ByStatus(vec![
            StatusOutput {
                status: StatusMatch::Class(2),
                variant: "Status2xx".into(),
                docs: "Any other success.".into(),
                body: Some(plain_text),
                headers: Vec::new(),
            },
            StatusOutput {
                status: StatusMatch::Exact(200),
                variant: "Ok".into(),
                docs: std::string::String::new(),
                body: Some(Type::new(Struct("Doc".into()))),
                headers: Vec::new(),
            },
            StatusOutput {
                status: StatusMatch::Exact(204),
                variant: "NoContent".into(),
                docs: std::string::String::new(),
                body: None,
                headers: Vec::new(),
            },
        ]),
    );
    let mut by_status = by_status;
    by_status.accept = Some("text/plain, application/json".into());

    // Media types as declared: a JSON body with a charset (spread into members, and whole),
    // text with a charset, JSON outputs with a charset.
    let mut charset_json = operation(
        "sendCharset",
        "POST",
        "/charset",
        vec![member("name", String, Body), member("size", Integer, Body)],
        Output::Type(Type::new(Struct("Doc".into()))),
    );
    charset_json.request_media_type = Some("application/json; charset=utf-8".into());
    charset_json.accept = Some("application/json; charset=utf-8".into());
    charset_json.success_status = Some(201);
    charset_json.success_statuses = vec![StatusMatch::Exact(201)];
    let mut charset_doc = operation(
        "sendCharsetDoc",
        "PUT",
        "/charset",
        vec![member("body", Struct("Doc".into()), Payload)],
        Output::Empty,
    );
    charset_doc.request_media_type = Some("application/vnd.thing+json".into());
    let mut charset_text = member("body", String, Payload);
    charset_text.ty.media_type = Some("text/plain".into());
    let mut charset_text_op = operation(
        "sendCharsetText",
        "POST",
        "/charset-text",
        vec![charset_text],
        Output::Empty,
    );
    charset_text_op.request_media_type = Some("text/plain; charset=utf-8".into());
    // A range declares no type: the body kind's own is sent.
    let mut any_bytes = member("body", Blob, Payload);
    any_bytes.ty.media_type = Some("application/octet-stream".into());
    let mut any_bytes_op = operation("sendAny", "PUT", "/any", vec![any_bytes], Output::Empty);
    any_bytes_op.request_media_type = Some("*/*".into());

    // Several success statuses, a 3xx among them, sharing one body type.
    let mut same_or_redirect = operation(
        "sameOrRedirect",
        "GET",
        "/same",
        Vec::new(),
        Output::Type(Type::new(Struct("Doc".into()))),
    );
    same_or_redirect.success_statuses = vec![StatusMatch::Exact(200), StatusMatch::Exact(303)];
    same_or_redirect.accept = Some("application/json".into());
    // A 200 with a body next to a 303 with a `Location` header (and a header on the 200).
    let mut location = wire_named(member("location", String, Header), "Location");
    location.required = true;
    let etag = wire_named(member("etag", String, Header), "ETag");
    let mut ok_or_see_other = operation(
        "okOrSeeOther",
        "POST",
        "/session",
        Vec::new(),
        Output::ByStatus(vec![
            StatusOutput {
                status: StatusMatch::Exact(200),
                variant: "Ok".into(),
                docs: "The session.".into(),
                body: Some(Type::new(Struct("Doc".into()))),
                headers: vec![etag],
            },
            StatusOutput {
                status: StatusMatch::Exact(303),
                variant: "SeeOther".into(),
                docs: "Log in elsewhere.".into(),
                body: None,
                headers: vec![location],
            },
        ]),
    );
    ok_or_see_other.success_statuses = vec![StatusMatch::Exact(200), StatusMatch::Exact(303)];
    ok_or_see_other.accept = Some("application/json".into());
    let mut errors_op = operation("failing", "GET", "/fail", Vec::new(), Output::Empty);
    let error = |shape: &str, matcher: ErrorMatch| ErrorRef {
        variant: shape.into(),
        shape: shape.into(),
        matcher,
        status: None,
        docs: std::string::String::new(),
    };
    // In an order the emitter must not follow: default and 4XX before 404.
    errors_op.errors = vec![
        error("Problem", ErrorMatch::Default),
        error("ClientProblem", ErrorMatch::StatusClass(4)),
        error("NotFound", ErrorMatch::Status(404)),
    ];
    let mut redirect = operation(
        "login",
        "POST",
        "/login",
        Vec::new(),
        Output::Owned(structure(
            "LoginOutput",
            vec![wire_named(member("location", String, Header), "location")],
        )),
    );
    redirect.success_status = Some(303);
    let blob_out = operation(
        "download",
        "GET",
        "/download",
        Vec::new(),
        Output::Type(Type::new(Blob)),
    );
    // String bodies next to headers: JSON for a JSON response, as is for text.
    let mut text_body = Type::new(String);
    text_body.media_type = Some("text/plain; charset=utf-8".into());
    let next = || wire_named(member("next", Long, Header), "X-Next");
    let json_or_text = operation(
        "jsonOrText",
        "GET",
        "/json-or-text",
        Vec::new(),
        Output::ByStatus(vec![
            StatusOutput {
                status: StatusMatch::Exact(200),
                variant: "Ok".into(),
                docs: std::string::String::new(),
                body: Some(Type::new(String)),
                headers: vec![next()],
            },
            StatusOutput {
                status: StatusMatch::Exact(202),
                variant: "Accepted".into(),
                docs: std::string::String::new(),
                body: Some(text_body),
                headers: vec![next()],
            },
        ]),
    );
    let any_json = operation(
        "anyJson",
        "GET",
        "/any-json",
        Vec::new(),
        Output::Type(Type::new(Document)),
    );
    let mut blob_out = blob_out;
    blob_out.accept = Some("*/*".into());
    let mut upgrade = operation(
        "connect",
        "GET",
        "/connect/{room}",
        vec![{
            let mut m = member("room", String, Label);
            m.required = true;
            m
        }],
        Output::Empty,
    );
    upgrade.upgrade = true;
    upgrade.security = vec![vec!["token".into()]];

    let scheme = |name: &str, kind: SchemeKind| SecurityScheme {
        name: name.into(),
        docs: std::string::String::new(),
        kind,
    };
    let mut reference = member("ref", Union("NameOrNumber".into()), Label);
    reference.required = true;
    let by_ref = operation(
        "getByRef",
        "GET",
        "/refs/{ref}",
        vec![
            reference,
            wire_named(
                member("also", Union("NameOrNumber".into()), Header),
                "X-Ref",
            ),
        ],
        Output::Empty,
    );
    let mut operations = vec![
        secured("open", "/open", vec![]),
        secured("withKeyHeader", "/kh", vec![vec!["headerKey"]]),
        secured("withKeyQuery", "/kq", vec![vec!["queryKey"]]),
        secured("withBasic", "/basic", vec![vec!["basic"]]),
        secured("withBearer", "/bearer", vec![vec!["token"]]),
        secured(
            "withEither",
            "/either",
            vec![vec!["basic", "headerKey"], vec!["queryKey"], vec![]],
        ),
        query,
        form_op,
        octet_op,
        text_op,
        by_status,
        errors_op,
        redirect,
        blob_out,
        upgrade,
        charset_json,
        charset_doc,
        charset_text_op,
        any_bytes_op,
        same_or_redirect,
        ok_or_see_other,
        any_json,
        json_or_text,
        // Last: the check pass test leaves it out with the unions.
        by_ref,
    ];
    // Type names as the check pass gives them (the fixture does not run it: its untagged
    // union is the types emitter's to allow).
    for op in &mut operations {
        op.type_name = crate::check::type_ident(&op.name);
        op.input.rust_name = format!("{}Input", op.type_name);
    }
    Service {
        spec_path: "xtask/src/emit/wire/tests.rs".into(),
        crate_name: "wire-fixture-oa".into(),
        name: "wireoa".into(),
        title: "OpenAPI wire fixture".into(),
        sdk_id: "Wire OA".into(),
        version: "1.0.0".into(),
        docs: "A plain JSON service with the OpenAPI wire constructs.".into(),
        protocol: Protocol::Json,
        auth: Auth::Schemes(vec![
            scheme("token", SchemeKind::Bearer),
            scheme("basic", SchemeKind::Basic),
            scheme(
                "headerKey",
                SchemeKind::ApiKeyHeader {
                    header: "X-API-Key".into(),
                },
            ),
            scheme(
                "queryKey",
                SchemeKind::ApiKeyQuery {
                    parameter: "api_key".into(),
                },
            ),
        ]),
        endpoint: Endpoint::BaseUrl {
            default: Some("http://127.0.0.1:9/api/v1".into()),
        },
        path_prefix: std::string::String::new(),
        throttling_codes: Vec::new(),
        operations,
        shapes,
    }
}

fn write_crate(svc: &Service, dir: &Path, test: &str) {
    let info = CrateInfo {
        description: "Wire fixture of the generator's tests.".into(),
        keywords: vec![],
        categories: vec![],
        env_prefix: "CLOUDJOBS_WIREFIX".into(),
        feature: svc.crate_name.clone(),
        examples: vec![],
    };
    write_files(emit(svc, &info), dir, test);
}

/// Writes a generated crate into `dir` (replacing what was there) with the wire tests'
/// manifest, `test` as `tests/wire.rs` and the local server they share.
fn write_files<P: AsRef<Path>>(
    files: impl IntoIterator<Item = (P, String)>,
    dir: &Path,
    test: &str,
) {
    let _ = std::fs::remove_dir_all(dir);
    for (path, text) in files {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let text = if path.ends_with("Cargo.toml") {
            manifest(&text)
        } else {
            text
        };
        std::fs::write(&path, text).unwrap();
    }
    let server = dir.join("tests").join("server");
    std::fs::create_dir_all(&server).unwrap();
    std::fs::write(server.join("mod.rs"), include_str!("fixture_server.rs")).unwrap();
    std::fs::write(dir.join("tests").join("wire.rs"), test).unwrap();
}

/// Generates a crate from an OpenAPI document the way `cargo xtask codegen` does (load, check
/// pass, emitter, through `codegen::generate`), into `scratch/<name>`, with `test` as its
/// wire test.
fn write_openapi_crate(scratch: &Path, name: &str, yaml: &str, test: &str) {
    let spec = format!("{name}.openapi.yaml");
    std::fs::create_dir_all(scratch).unwrap();
    std::fs::write(scratch.join(&spec), yaml).unwrap();
    let entry = crate::manifest::Entry {
        spec,
        format: crate::manifest::Format::OpenApi,
        operations: None,
        dir: String::new(),
        name: name.into(),
        feature: name.into(),
        env_prefix: "CLOUDJOBS_E2E".into(),
        service_name: None,
        summary: String::new(),
        description: "Wire fixture of the generator's tests.".into(),
        keywords: vec![],
        categories: vec![],
        examples: vec![],
    };
    let files = crate::codegen::generate(scratch, &entry).unwrap_or_else(|e| panic!("{e:#}"));
    write_files(files, &scratch.join(name), test);
}

/// No `securitySchemes`, no `security`: parameters of every kind and a JSON body.
const OPEN_SPEC: &str = r#"
openapi: 3.0.3
info: {title: Open, version: "1.0"}
servers: [{url: "http://127.0.0.1:9/v1"}]
paths:
  /things/{id}:
    parameters:
      - {name: id, in: path, required: true, schema: {type: string}}
    get:
      operationId: getThing
      parameters:
        - {name: verbose, in: query, schema: {type: boolean}}
        - {name: X-Trace, in: header, schema: {type: string}}
      responses:
        "200":
          description: The thing.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
    put:
      operationId: putThing
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Thing'}
      responses:
        "204": {description: Stored.}
components:
  schemas:
    Thing:
      type: object
      properties:
        name: {type: string}
"#;

/// API keys: in a header for every operation (global `security`), in the query for one
/// (operation-level `security`), none for another (`security: []`).
const KEY_SPEC: &str = r#"
openapi: 3.0.3
info: {title: Keyed, version: "1.0"}
servers: [{url: "http://127.0.0.1:9/v1"}]
security:
  - headerKey: []
components:
  securitySchemes:
    headerKey: {type: apiKey, in: header, name: X-Api-Key}
    queryKey: {type: apiKey, in: query, name: api_key}
paths:
  /global:
    get:
      operationId: global
      parameters:
        - {name: page, in: query, schema: {type: integer}}
      responses:
        "204": {description: Done.}
  /by-query:
    get:
      operationId: byQuery
      security:
        - queryKey: []
      parameters:
        - {name: page, in: query, schema: {type: integer}}
      responses:
        "204": {description: Done.}
  /public:
    get:
      operationId: public
      security: []
      responses:
        "204": {description: Done.}
"#;

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// The generated crate's manifest with the dev-dependencies of the fixture's wire tests in
/// place of its own (a crate without examples has only tokio, for the `mock` doc example).
fn manifest(generated: &str) -> String {
    let (main, rest) = generated
        .split_once("[package.metadata.docs.rs]")
        .unwrap_or((generated, "\nall-features = true\n"));
    let main = match main.split_once("[dev-dependencies]") {
        Some((before, dev)) => {
            assert!(
                !dev.contains("cloudjobs-emulator"),
                "a crate without examples needs no emulator:\n{generated}"
            );
            before
        }
        None => main,
    };
    format!(
        "{main}[dev-dependencies]\nbytes = \"1\"\nhttp = \"1\"\ntokio = {{ version = \"1\", features = [\"rt\", \"macros\", \"net\", \"io-util\"] }}\n\n[package.metadata.docs.rs]{rest}"
    )
}

#[test]
#[ignore = "builds scratch crates (minutes when cold); .ci/run runs it: cargo test -p xtask -- --ignored"]
fn generated_wire_matches_the_bindings() {
    let root = workspace_root();
    let scratch = root.join("target").join("wire-fixture");
    let krate = scratch.join("wire-fixture");
    write_crate(&fixture(), &krate, include_str!("fixture_test.rs"));
    write_crate(
        &json_fixture(),
        &scratch.join("wire-fixture-json"),
        include_str!("fixture_json_test.rs"),
    );
    std::fs::write(
        krate.join("tests").join("blob.rs"),
        include_str!("fixture_blob_test.rs"),
    )
    .unwrap();
    // The workspace's package and dependency tables, as the corpus command's scratch
    // workspace has them.
    let root_toml = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();
    write_crate(
        &openapi_fixture(),
        &scratch.join("wire-fixture-oa"),
        include_str!("fixture_oa_test.rs"),
    );
    // From OpenAPI documents to requests a local server receives: without security, and
    // with API keys in a header and the query.
    write_openapi_crate(
        &scratch,
        "wire-e2e-open",
        OPEN_SPEC,
        include_str!("fixture_e2e_open_test.rs"),
    );
    write_openapi_crate(
        &scratch,
        "wire-e2e-key",
        KEY_SPEC,
        include_str!("fixture_e2e_key_test.rs"),
    );
    let members = [
        "wire-fixture".to_string(),
        "wire-fixture-json".to_string(),
        "wire-fixture-oa".to_string(),
        "wire-e2e-open".to_string(),
        "wire-e2e-key".to_string(),
    ];
    std::fs::write(
        scratch.join("Cargo.toml"),
        crate::corpus::scratch_manifest(&root_toml, &root, &members).unwrap(),
    )
    .unwrap();
    // The main lock file, so the scratch build uses the same dependency versions.
    std::fs::copy(root.join("Cargo.lock"), scratch.join("Cargo.lock")).unwrap();
    let out = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["test", "--offline", "--quiet"])
        .current_dir(&scratch)
        // The corpus command's target directory and flags: dependencies compile once for both.
        .env("CARGO_TARGET_DIR", root.join("target/corpus/target"))
        .env("RUSTFLAGS", "-D warnings")
        .env("CARGO_INCREMENTAL", "0")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "fixture tests failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The pointers the two OpenAPI specs' error schemas give, in the order the runtime tries
/// them (then the common conventions).
#[test]
fn error_rules_come_from_the_error_schemas() {
    let root = workspace_root();
    let load = |spec: &str| {
        let text = std::fs::read_to_string(root.join(spec)).unwrap();
        crate::openapi::load(spec, &text).unwrap()
    };
    let rules = |spec: &str| super::error_rules(&load(spec)).to_string().replace(' ', "");
    let spaceone = rules("specs/spaceone-identity.openapi.yaml");
    assert!(
        spaceone.contains(r#"code_pointers:&["/detail/code","/code","/error/code"]"#),
        "{spaceone}"
    );
    assert!(
        spaceone.contains(
            r#"message_pointers:&["/detail/message","/message","/detail","/detail/0/msg","/error/message"]"#
        ),
        "{spaceone}"
    );
    let rewind = rules("specs/cloud-rewind.openapi.yaml");
    assert!(
        rewind.contains(r#"code_pointers:&["/errors/0/code","/code","/error/code"]"#),
        "{rewind}"
    );
    assert!(
        rewind.contains(
            r#"message_pointers:&["/message","/errors/0/message","/detail","/detail/0/msg","/error/message"]"#
        ),
        "{rewind}"
    );
    let ssm = std::fs::read_to_string(root.join("specs/ssm-mw.smithy.json")).unwrap();
    let ssm = crate::smithy::load("specs/ssm-mw.smithy.json", &ssm, None).unwrap();
    let aws = super::error_rules(&ssm).to_string().replace(' ', "");
    assert!(
        aws.contains(r#"code_headers:&["x-amzn-errortype"]"#),
        "{aws}"
    );
    assert!(aws.contains("sanitize_code:true"), "{aws}");
}

/// The check pass lets the OpenAPI wire constructs through, refuses an operation naming a
/// security scheme the spec does not define, and a query parameter the styles cannot write
/// (a list of lists, a structure holding a list).
#[test]
fn the_check_pass_on_openapi_wire_constructs() {
    // Without the union (its tagging is the types emitter's to allow), the fixture passes.
    let without_union = || {
        let mut svc = openapi_fixture();
        svc.shapes.remove("IdOrIds");
        svc.shapes.remove("NameOrNumber");
        svc.operations.pop();
        svc.operations[6].input.members.truncate(10);
        svc
    };
    let mut svc = without_union();
    crate::check::check(&mut svc).unwrap();

    let mut svc = without_union();
    svc.operations[4].security = vec![vec!["token".into()], vec!["nope".into()]];
    let err = crate::check::check(&mut svc).unwrap_err().to_string();
    assert!(err.contains("withBearer/security"), "{err}");
    assert!(err.contains("`nope`"), "{err}");

    let mut svc = without_union();
    svc.operations[6].input.members[0].ty = Type::new(list(list(Kind::String)));
    let err = crate::check::check(&mut svc).unwrap_err().to_string();
    assert!(err.contains("queryStyles$formExplode"), "{err}");

    let mut svc = without_union();
    if let Some(Shape::Structure(s)) = svc.shapes.get_mut("Filter") {
        s.members
            .push(member("tags", list(Kind::String), Location::Body));
    }
    let err = crate::check::check(&mut svc).unwrap_err().to_string();
    assert!(err.contains("queryStyles$deep"), "{err}");
}
