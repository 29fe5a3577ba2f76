//! The generated type API, end to end: a fixture service using every kind of the IR is
//! emitted into a scratch workspace, compiled with warnings denied (clippy, docs), and
//! exercised by a caller crate. The caller is then compiled unchanged against the fixture
//! with members, union members and enum values added: the compatibility promise.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::{CrateInfo, emit};
use crate::ir::*;

fn member(name: &str, kind: Kind) -> Member {
    Member::new(name, Type::new(kind), Location::Body)
}

fn with_ty(mut m: Member, f: impl FnOnce(&mut Type)) -> Member {
    f(&mut m.ty);
    m
}

/// The fixture service; `v2` adds a member to the input, to a nested structure and to a
/// union, and a value to each enum.
pub(crate) fn fixture(v2: bool) -> Service {
    let mut shapes = std::collections::BTreeMap::new();

    let mut node = Structure::new("Node", "fixture#Node");
    node.docs = "A tree node: recursive through a box and through a union.".into();
    node.members
        .push(with_ty(member("value", Kind::String), |t| {
            t.constraints.length = Some((Some(1), Some(5)));
        }));
    let mut child = member("child", Kind::Struct("Node".into()));
    child.boxed = true;
    node.members.push(child);
    let mut choice = member("choice", Kind::Union("Choice".into()));
    choice.boxed = true;
    node.members.push(choice);
    // Named like the builder's own `build()`: its setter becomes `build_value`.
    node.members.push(member("build", Kind::Integer));
    if v2 {
        node.members.push(member("weight", Kind::Double));
    }
    shapes.insert("Node".into(), Shape::Structure(node));

    let mut variants = vec![
        Member {
            rust_name: "Text".into(),
            ..with_ty(member("text", Kind::String), |t| {
                t.constraints.pattern = Some("^[a-z]+$".into());
            })
        },
        Member {
            rust_name: "Number".into(),
            ..with_ty(member("number", Kind::Short), |t| {
                t.constraints.range = Some((Some(0.0), Some(10.0)));
            })
        },
        Member {
            rust_name: "At".into(),
            ..member("at", Kind::Timestamp(TimestampFormat::EpochSeconds))
        },
        Member {
            rust_name: "Node".into(),
            boxed: true,
            ..member("node", Kind::Struct("Node".into()))
        },
        Member {
            rust_name: "Pin".into(),
            sensitive: true,
            ..member("pin", Kind::String)
        },
    ];
    if v2 {
        variants.push(Member {
            rust_name: "Flag".into(),
            ..member("flag", Kind::Boolean)
        });
    }
    shapes.insert(
        "Choice".into(),
        Shape::Union(Union {
            rust_name: "Choice".into(),
            origin: "fixture#Choice".into(),
            docs: "One of several things.".into(),
            members: variants,
            tagging: Tagging::External,
            sensitive: false,
            deprecated: None,
        }),
    );

    let mut levels = vec![
        IntEnumValue {
            value: 1,
            variant: "Low".into(),
            docs: String::new(),
        },
        IntEnumValue {
            value: 10,
            variant: "High".into(),
            docs: "Loud.".into(),
        },
    ];
    if v2 {
        levels.push(IntEnumValue {
            value: 100,
            variant: "Max".into(),
            docs: String::new(),
        });
    }
    shapes.insert(
        "Level".into(),
        Shape::IntEnum(IntEnum {
            rust_name: "Level".into(),
            docs: "How much.".into(),
            values: levels,
        }),
    );
    let mut colors = vec![EnumValue {
        value: "RED".into(),
        variant: "Red".into(),
        docs: String::new(),
    }];
    if v2 {
        colors.push(EnumValue {
            value: "BLUE".into(),
            variant: "Blue".into(),
            docs: String::new(),
        });
    }
    shapes.insert(
        "Color".into(),
        Shape::Enum(Enum {
            rust_name: "Color".into(),
            docs: String::new(),
            values: colors,
        }),
    );

    let mut secret = Structure::new("Secret", "fixture#Secret");
    secret.sensitive = true;
    secret.members.push(member("key", Kind::String));
    shapes.insert("Secret".into(), Shape::Structure(secret));

    let mut oops = Structure::new("Oops", "fixture#Oops");
    oops.is_error = true;
    oops.members.push(member("message", Kind::String));
    shapes.insert("Oops".into(), Shape::Structure(oops));

    let mut input = Structure::new("PutThingInput", "fixture#PutThingInput");
    let mut name = with_ty(member("Name", Kind::String), |t| {
        t.constraints.length = Some((Some(1), Some(10)));
    });
    name.required = true;
    input.members.push(name);
    input.members.push(with_ty(member("Tiny", Kind::Byte), |t| {
        t.constraints.range = Some((Some(0.0), Some(100.0)));
    }));
    input.members.push(Member {
        default: Some(serde_json::json!(5)),
        ..member("Small", Kind::Short)
    });
    input
        .members
        .push(with_ty(member("BigInt", Kind::BigInteger), |t| {
            t.constraints.range = Some((None, Some(1e30)));
        }));
    input.members.push(member("BigDec", Kind::BigDecimal));
    input.members.push(with_ty(member("Data", Kind::Blob), |t| {
        t.constraints.length = Some((None, Some(4)));
    }));
    input.members.push(member("Doc", Kind::Document));
    input.members.push(Member {
        required: true,
        ..member("When", Kind::Timestamp(TimestampFormat::HttpDate))
    });
    // `set_input` is the fluent builder's: this member's setters get a `_value` suffix.
    input.members.push(member("Input", Kind::String));
    input.members.push(with_ty(
        member(
            "Times",
            Kind::List(Box::new(Type::new(Kind::Timestamp(
                TimestampFormat::EpochSeconds,
            )))),
        ),
        |t| t.sparse = true,
    ));
    input.members.push(with_ty(
        member("Tags", Kind::Map(Box::new(Type::new(Kind::String)))),
        |t| {
            t.sparse = true;
            t.constraints.length = Some((None, Some(3)));
        },
    ));
    input
        .members
        .push(member("Choice", Kind::Union("Choice".into())));
    input
        .members
        .push(member("Level", Kind::IntEnum("Level".into())));
    input
        .members
        .push(member("Color", Kind::Enum("Color".into())));
    input
        .members
        .push(member("Tree", Kind::Struct("Node".into())));
    input.members.push(Member {
        sensitive: true,
        ..member("Password", Kind::String)
    });
    input.members.push(Member {
        deprecated: Some(Deprecated {
            message: Some("use Name".into()),
            since: Some("2020-01-01".into()),
        }),
        ..member("OldName", Kind::String)
    });
    input
        .members
        .push(member("Secret", Kind::Struct("Secret".into())));
    if v2 {
        input.members.push(member("Added", Kind::String));
    }

    let mut output = Structure::new("PutThingOutput", "fixture#PutThingOutput");
    output
        .members
        .push(member("Tree", Kind::Struct("Node".into())));
    output
        .members
        .push(member("Level", Kind::IntEnum("Level".into())));
    if v2 {
        output.members.push(member("Extra", Kind::Long));
    }

    Service {
        spec_path: "fixture.json".into(),
        crate_name: "cloudjobs-fixture".into(),
        name: "fixture".into(),
        title: "Fixture".into(),
        sdk_id: "Fixture".into(),
        version: "2024-01-01".into(),
        docs: "A service that uses every kind of member.".into(),
        protocol: Protocol::AwsJson1_1 {
            target_prefix: "Fixture".into(),
        },
        auth: Auth::SigV4 {
            signing_name: "fixture".into(),
        },
        endpoint: Endpoint::AwsRegional {
            prefix: "fixture".into(),
            dual_stack_only: false,
        },
        path_prefix: String::new(),
        throttling_codes: Vec::new(),
        operations: vec![
            Operation {
                name: "PutThing".into(),
                method_name: "put_thing".into(),
                type_name: "PutThing".into(),
                docs: "Stores a thing.".into(),
                http_method: "POST".into(),
                path: "/".into(),
                query_literals: Vec::new(),
                success_status: None,
                readonly: false,
                idempotent: false,
                deprecated: None,
                host_prefix: None,
                unsigned: false,
                security: Vec::new(),
                upgrade: false,
                input,
                output: Output::Owned(output),
                errors: vec![ErrorRef {
                    variant: "Oops".into(),
                    shape: "Oops".into(),
                    matcher: ErrorMatch::Code("Oops".into()),
                    status: Some(400),
                    docs: String::new(),
                }],
                pagination: None,
            },
            Operation {
                name: "Ping".into(),
                method_name: "ping".into(),
                type_name: "Ping".into(),
                docs: String::new(),
                http_method: "POST".into(),
                path: "/".into(),
                query_literals: Vec::new(),
                success_status: None,
                readonly: true,
                idempotent: true,
                deprecated: None,
                host_prefix: None,
                unsigned: false,
                security: Vec::new(),
                upgrade: false,
                input: Structure::new("PingInput", "fixture#PingInput"),
                output: Output::Empty,
                // (An operation without errors is the wire emitter's case.)
                errors: vec![ErrorRef {
                    variant: "Oops".into(),
                    shape: "Oops".into(),
                    matcher: ErrorMatch::Code("Oops".into()),
                    status: Some(400),
                    docs: String::new(),
                }],
                pagination: None,
            },
        ],
        shapes,
    }
}

fn info() -> CrateInfo {
    CrateInfo {
        description: "Fixture client.".into(),
        keywords: vec!["fixture".into()],
        categories: vec!["api-bindings".into()],
        env_prefix: "CLOUDJOBS_FIXTURE".into(),
        feature: "fixture".into(),
        examples: Vec::new(),
    }
}

/// Code written against the v1 API (builders, `Default` + field assignment, matching with
/// a wildcard arm): it must keep compiling and passing against v2.
const CALLER_TESTS: &str = r###"
use cloudjobs_fixture::operation::put_thing::{PutThingInput, PutThingOutput};
use cloudjobs_fixture::types::{Choice, Color, Level, Node, Secret};
use cloudjobs_runtime::{BigNumber, Blob, DateTime};
use serde_json::json;

fn input() -> PutThingInput {
    PutThingInput::builder()
        .name("thing")
        .tiny(7)
        .small(-300)
        .big_int(BigNumber::parse("123456789012345678901234567890").unwrap())
        .big_dec(BigNumber::parse("0.100000000000000000000000000001").unwrap())
        .data("abc")
        .doc(json!({"any": [1, "two"]}))
        .when(DateTime::from_secs(784_111_777))
        .times(DateTime::from_secs(1_700_000_000))
        .set_times(Some(vec![Some(DateTime::from_secs(1_700_000_000)), None]))
        .tags("a", "x")
        .tags("b", "y")
        .choice(Choice::At(DateTime::from_secs(5)))
        .level(Level::High)
        .color("RED")
        .tree(
            Node::builder()
                .value("root")
                .child(Node::builder().value("leaf").build())
                .choice(Choice::Node(Box::new(Node::builder().value("deep").build())))
                .build(),
        )
        .password("hunter2")
        .secret({
            let mut s = Secret::default();
            s.key = Some("k".into());
            s
        })
        .build()
}

#[test]
fn serializes_every_kind() {
    let json = serde_json::to_value(input()).unwrap();
    assert_eq!(
        json,
        json!({
            "Name": "thing",
            "Tiny": 7,
            "Small": -300,
            "BigInt": 123456789012345678901234567890.0_f64,
            "BigDec": 0.1,
            "Data": "YWJj",
            "Doc": {"any": [1, "two"]},
            "When": "Sun, 06 Nov 1994 08:49:37 GMT",
            "Times": [1700000000, null],
            "Tags": {"a": "x", "b": "y"},
            "Choice": {"at": 5},
            "Level": 10,
            "Color": "RED",
            "Tree": {"value": "root", "child": {"value": "leaf"}, "choice": {"node": {"value": "deep"}}},
            "Password": "hunter2",
            "Secret": {"key": "k"}
        })
    );
    // Exact text of the big numbers.
    let text = serde_json::to_string(&input()).unwrap();
    assert!(text.contains(r#""BigInt":123456789012345678901234567890,"#), "{text}");
    assert!(text.contains(r#""BigDec":0.100000000000000000000000000001,"#), "{text}");
    let back: PutThingInput = serde_json::from_str(&text).unwrap();
    assert_eq!(back, input());
}

#[test]
fn unions_are_forward_compatible() {
    let c: Choice = serde_json::from_str(r#"{"somethingNew": {"x": 1}}"#).unwrap();
    assert!(c.is_unknown());
    let c: Choice = serde_json::from_str(r#"{"text": null, "number": 3, "__type": "x"}"#).unwrap();
    assert_eq!(c.as_number(), Ok(&3));
    assert!(c.as_text().is_err());
    assert!(serde_json::from_str::<Choice>(r#"{"text": "a", "number": 3}"#).is_err());
    assert!(serde_json::from_str::<Choice>("{}").is_err());
    assert!(serde_json::to_string(&Choice::Unknown).is_err());
    let described = match c {
        Choice::Number(n) => format!("number {n}"),
        Choice::Text(t) => t,
        _ => "other".to_string(),
    };
    assert_eq!(described, "number 3");
    let deep = Choice::Node(Box::new(Node::builder().value("v").build()));
    assert_eq!(deep.as_node().unwrap().value.as_deref(), Some("v"));
}

#[test]
fn enums_keep_unknown_values() {
    assert_eq!(Level::from(10), Level::High);
    assert_eq!(Level::from(12345).value(), 12345);
    let l: Level = serde_json::from_str("424242").unwrap();
    assert_eq!(serde_json::to_string(&l).unwrap(), "424242");
    assert_eq!(Color::from("RED"), Color::Red);
    assert_eq!(Color::from("PURPLE").as_str(), "PURPLE");
}

#[test]
fn debug_redacts_sensitive_values() {
    let text = format!("{:?}", input());
    assert!(!text.contains("hunter2"), "{text}");
    assert!(text.contains("*** Sensitive Data Redacted ***"), "{text}");
    assert!(!text.contains("\"k\""), "{text}");
    let pin = format!("{:?}", Choice::Pin("1234".into()));
    assert!(!pin.contains("1234"), "{pin}");
}

#[test]
fn outputs_read_and_build() {
    let out: PutThingOutput =
        serde_json::from_str(r#"{"Tree": {"value": "a", "choice": {"text": "b"}}, "Level": 1, "New": true}"#)
            .unwrap();
    assert_eq!(out.level, Some(Level::Low));
    let tree = out.tree.unwrap();
    assert_eq!(tree.choice.as_deref().and_then(|c| c.as_text().ok()).map(String::as_str), Some("b"));
    let mut built = PutThingOutput::default();
    built.level = Some(Level::High);
    assert_eq!(PutThingOutput::builder().level(10i64).build(), built);
}

#[test]
fn reserved_names_get_a_suffix() {
    let n = Node::builder().build_value(3).build();
    assert_eq!(n.build, Some(3));
    let i = PutThingInput::builder().input("x").build();
    assert_eq!(i.input.as_deref(), Some("x"));
    // The fluent builder has a `set_input` of its own.
    fn fluent(client: &cloudjobs_fixture::Client) {
        let _ = client.put_thing().input_value("x").set_input_value(None);
    }
    let _ = fluent;
}

#[test]
fn empty_structures_have_builders() {
    use cloudjobs_fixture::operation::ping::{PingInput, PingOutput};
    assert_eq!(PingInput::builder().build(), PingInput::default());
    let out: PingOutput = serde_json::from_str("{}").unwrap();
    assert_eq!(PingOutput::builder().build(), out);
}

#[test]
#[allow(deprecated)]
fn deprecated_members_still_work() {
    let i = PutThingInput::builder().old_name("x").build();
    assert_eq!(i.old_name.as_deref(), Some("x"));
}

#[test]
fn validation_covers_the_new_kinds() {
    use cloudjobs_runtime::Operation as _;
    use cloudjobs_runtime::Validation;
    type Op = cloudjobs_fixture::operation::put_thing::PutThing;
    let check = |i: &PutThingInput| Op::validate(i, Validation::Full).map_err(|e| e.field);
    assert_eq!(check(&input()), Ok(()));
    let bad = |f: fn(PutThingInput) -> PutThingInput| check(&f(input()));
    assert_eq!(bad(|i| i.clone_with(|i| i.tiny = Some(101))), Err("Tiny".into()));
    assert_eq!(bad(|i| i.clone_with(|i| i.data = Some(Blob::new("12345")))), Err("Data".into()));
    assert_eq!(
        bad(|i| i.clone_with(|i| i.big_int = Some(BigNumber::parse("1e31").unwrap()))),
        Err("BigInt".into())
    );
    assert_eq!(
        bad(|i| i.clone_with(|i| i.tags.as_mut().unwrap().extend([("c".into(), None), ("d".into(), None)]))),
        Err("Tags".into())
    );
    assert_eq!(bad(|i| i.clone_with(|i| i.choice = Some(Choice::Number(11)))), Err("Choice.number".into()));
    assert_eq!(bad(|i| i.clone_with(|i| i.choice = Some(Choice::Text("A".into())))), Err("Choice.text".into()));
    assert_eq!(
        bad(|i| i.clone_with(|i| i.tree.as_mut().unwrap().child.as_mut().unwrap().value = Some("toolong".into()))),
        Err("Tree.child.value".into())
    );
    assert_eq!(
        bad(|i| i.clone_with(|i| {
            i.tree.as_mut().unwrap().choice =
                Some(Box::new(Choice::Node(Box::new(Node::builder().value("").build()))))
        })),
        Err("Tree.choice.node.value".into())
    );
    assert_eq!(bad(|i| i.clone_with(|i| i.level = Some(Level::from(3)))), Err("Level".into()));
}

trait CloneWith: Sized {
    fn clone_with(self, f: impl FnOnce(&mut Self)) -> Self;
}

impl CloneWith for PutThingInput {
    fn clone_with(mut self, f: impl FnOnce(&mut Self)) -> Self {
        f(&mut self);
        self
    }
}
"###;

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

fn write_crate(dir: &Path, svc: &Service) {
    for (rel, text) in emit(svc, &info()) {
        let path = dir.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

fn cargo(dir: &Path, target: &Path, args: &[&str]) {
    let out = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .arg(args[0])
        .arg("--offline")
        .args(&args[1..])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .env("RUSTDOCFLAGS", "-D warnings")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "cargo {args:?} failed in {}:\n{}\n{}",
        dir.display(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Emits the fixture (v1), checks it is warning-free and that the caller's tests pass, then
/// emits v2 over it and runs the same caller again.
#[test]
#[ignore = "builds scratch crates (minutes when cold); .ci/run runs it: cargo test -p xtask -- --ignored"]
fn every_kind_compiles_and_adding_members_keeps_callers_compiling() {
    let root = workspace_root();
    let tmp = std::env::temp_dir().join(format!("cloudjobs-types-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::create_dir_all(tmp.join("caller/tests")).unwrap();
    let path = |p: &str| root.join(p).display().to_string();
    std::fs::write(
        tmp.join("Cargo.toml"),
        format!(
            r#"[workspace]
resolver = "3"
members = ["fixture", "caller"]

[workspace.package]
version = "0.1.0"
edition = "2024"
rust-version = "1.88"
license = "MIT OR Apache-2.0"
repository = "https://example.com"
homepage = "https://example.com"
authors = ["fixture"]

[workspace.dependencies]
cloudjobs-runtime = {{ path = "{runtime}" }}
cloudjobs-emulator = {{ path = "{emulator}" }}
futures = {{ version = "0.3", default-features = false, features = ["std", "async-await"] }}
schemars = "1"
serde = {{ version = "1", features = ["derive"] }}
serde_json = "1"
tokio = {{ version = "1", features = ["rt", "time", "macros", "sync"] }}

[profile.dev]
debug = "line-tables-only"

[profile.dev.package."*"]
debug = false
"#,
            runtime = path("crates/runtime"),
            emulator = path("crates/emulator"),
        ),
    )
    .unwrap();
    std::fs::copy(root.join("Cargo.lock"), tmp.join("Cargo.lock")).unwrap();
    std::fs::write(
        tmp.join("caller/Cargo.toml"),
        r#"[package]
name = "caller"
version = "0.0.0"
edition = "2024"
publish = false

[dev-dependencies]
cloudjobs-fixture = { path = "../fixture" }
cloudjobs-runtime.workspace = true
serde_json.workspace = true
"#,
    )
    .unwrap();
    std::fs::create_dir_all(tmp.join("caller/src")).unwrap();
    std::fs::write(tmp.join("caller/src/lib.rs"), "//! Only tests.\n").unwrap();
    std::fs::write(tmp.join("caller/tests/caller.rs"), CALLER_TESTS).unwrap();
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));

    write_crate(&tmp.join("fixture"), &fixture(false));
    cargo(
        &tmp,
        &target,
        &[
            "clippy",
            "-p",
            "cloudjobs-fixture",
            "--all-targets",
            "--all-features",
            "--",
            "-D",
            "warnings",
        ],
    );
    cargo(
        &tmp,
        &target,
        &["doc", "-p", "cloudjobs-fixture", "--no-deps"],
    );
    cargo(
        &tmp,
        &target,
        &["test", "-p", "cloudjobs-fixture", "--all-features"],
    );
    cargo(&tmp, &target, &["test", "-p", "caller"]);

    write_crate(&tmp.join("fixture"), &fixture(true));
    cargo(
        &tmp,
        &target,
        &[
            "clippy",
            "-p",
            "cloudjobs-fixture",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ],
    );
    cargo(&tmp, &target, &["test", "-p", "caller"]);
    let _ = std::fs::remove_dir_all(&tmp);
}
