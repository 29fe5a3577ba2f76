//! The validators accept exactly what each constraint of the specs allows.
//!
//! The constraints come from the specs themselves, read through the generator's front-ends
//! (`xtask`'s library), not from the generated code under test: for every constrained site
//! of every operation's input (lengths, ranges, patterns, enums, list sizes, at any depth the
//! base input reaches), boundary values (min - 1, min, max, max + 1, multi-byte characters,
//! unknown enum values) and random values (proptest) are put into an otherwise valid input,
//! and `validate` in `Validation::Full` must accept it exactly when the constraint holds;
//! `Validation::RequiredOnly` must accept them all. `PROPTEST_CASES` raises the number of
//! random values per site (default 32).

use cloudjobs::runtime::{InvalidInput, Operation, Validation};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{Value, json};
use xtask::ir::{Kind, Location, Service, Shape, Type};

/// Validates JSON as one operation's input; `None` when the JSON does not decode into it
/// (a number out of the member's type, say).
type Check = fn(&Value, Validation) -> Option<Result<(), InvalidInput>>;

fn check<O: Operation>(v: &Value, mode: Validation) -> Option<Result<(), InvalidInput>>
where
    O::Input: serde::de::DeserializeOwned,
{
    let input: O::Input = serde_json::from_value(v.clone()).ok()?;
    Some(O::validate(&input, mode))
}

/// An operation with a valid input that sets every body member that has (or leads to) a
/// constraint. Members outside the body (Cloud Rewind's path labels) are not set from JSON.
struct Case {
    crate_name: &'static str,
    operation: &'static str,
    check: Check,
    base: Value,
}

fn cases() -> Vec<Case> {
    use cloudjobs::{macie2, partner_central, spaceone_identity as sp, ssm_mw};
    vec![
        Case {
            crate_name: "cloudjobs-partner-central",
            operation: "ListResourceSnapshotJobs",
            check: check::<partner_central::operation::list_resource_snapshot_jobs::ListResourceSnapshotJobs>,
            base: json!({
                "Catalog": "AWS", "MaxResults": 20, "NextToken": "t",
                "EngagementIdentifier": "eng-0123456789abcd", "Status": "Running",
                "Sort": {"SortBy": "CreatedDate", "SortOrder": "ASCENDING"}
            }),
        },
        Case {
            crate_name: "cloudjobs-macie2",
            operation: "ListClassificationJobs",
            check: check::<macie2::operation::list_classification_jobs::ListClassificationJobs>,
            base: json!({
                "maxResults": 20, "nextToken": "t",
                "filterCriteria": {
                    "includes": [{"comparator": "EQ", "key": "jobType", "values": ["ONE_TIME"]}],
                    "excludes": [{"comparator": "NE", "key": "jobStatus", "values": ["CANCELLED"]}]
                },
                "sortCriteria": {"attributeName": "createdAt", "orderBy": "DESC"}
            }),
        },
        Case {
            crate_name: "cloudjobs-ssm-mw",
            operation: "DescribeMaintenanceWindowExecutionTasks",
            check: check::<ssm_mw::operation::describe_maintenance_window_execution_tasks::DescribeMaintenanceWindowExecutionTasks>,
            base: json!({
                "WindowExecutionId": "6e4c7b2a-1f3d-4c5e-9a8b-0d1e2f3a4b5c",
                "MaxResults": 20, "NextToken": "t",
                "Filters": [{"Key": "STATUS", "Values": ["SUCCESS"]}]
            }),
        },
        Case {
            crate_name: "cloudjobs-spaceone-identity",
            operation: "ListJobs",
            check: check::<sp::operation::list_jobs::ListJobs>,
            base: json!({
                "query": {
                    "filter": [{"k": "status", "v": "SUCCESS", "o": "eq"}],
                    "sort": [{"key": "created_at", "desc": true}],
                    "page": {"start": 1, "limit": 10}
                },
                "job_id": "job-1", "status": "SUCCESS", "workspace_id": "workspace-1",
                "trusted_account_id": "ta-1", "plugin_id": "plugin-1"
            }),
        },
        Case {
            crate_name: "cloudjobs-spaceone-identity",
            operation: "StatJobs",
            check: check::<sp::operation::stat_jobs::StatJobs>,
            base: json!({
                "query": {"filter": [{"k": "status", "v": "SUCCESS", "o": "eq"}],
                          "page": {"start": 1, "limit": 10}}
            }),
        },
        Case {
            crate_name: "cloudjobs-spaceone-identity",
            operation: "GetJob",
            check: check::<sp::operation::get_job::GetJob>,
            base: json!({"job_id": "job-1", "workspace_id": "workspace-1"}),
        },
        Case {
            crate_name: "cloudjobs-spaceone-identity",
            operation: "DeleteJob",
            check: check::<sp::operation::delete_job::DeleteJob>,
            base: json!({"job_id": "job-1", "workspace_id": "workspace-1"}),
        },
    ]
}

/// The service of a crate, as the generator sees it after its check pass.
fn service(crate_name: &str) -> Service {
    let root = xtask::workspace_root();
    let manifest = xtask::codegen::load_manifest(&root).expect("specs/manifest.toml");
    let entry = manifest
        .crates
        .iter()
        .find(|e| e.name == crate_name)
        .unwrap_or_else(|| panic!("{crate_name} is not in the manifest"));
    let text = std::fs::read_to_string(root.join(&entry.spec)).expect("spec");
    let mut svc = match entry.format {
        xtask::manifest::Format::Smithy => {
            xtask::smithy::load(&entry.spec, &text, entry.operations.as_deref())
        }
        xtask::manifest::Format::OpenApi => xtask::openapi::load(&entry.spec, &text),
    }
    .unwrap_or_else(|e| panic!("{}: {e:#}", entry.spec));
    xtask::check::check(&mut svc).unwrap_or_else(|e| panic!("{}: {e:#}", entry.spec));
    svc
}

/// A place in the input where a constraint applies: its JSON pointer and its type.
struct Site {
    pointer: String,
    ty: Type,
}

fn has_rule(ty: &Type) -> bool {
    let c = &ty.constraints;
    c.pattern.is_some()
        || c.length.is_some()
        || c.range.is_some()
        || matches!(ty.kind, Kind::Enum(_))
}

/// Every constrained site the base value reaches (the first item of each list).
fn sites(svc: &Service, ty: &Type, value: &Value, pointer: &str, out: &mut Vec<Site>) {
    if has_rule(ty) {
        out.push(Site {
            pointer: pointer.to_string(),
            ty: ty.clone(),
        });
    }
    match (&ty.kind, value) {
        (Kind::Struct(name), Value::Object(_)) => {
            if let Some(Shape::Structure(s)) = svc.shapes.get(name) {
                struct_sites(svc, &s.members, value, pointer, out);
            }
        }
        (Kind::List(item), Value::Array(items)) if !items.is_empty() => {
            sites(svc, item, &items[0], &format!("{pointer}/0"), out);
        }
        _ => {}
    }
}

fn struct_sites(
    svc: &Service,
    members: &[xtask::ir::Member],
    value: &Value,
    pointer: &str,
    out: &mut Vec<Site>,
) {
    for m in members.iter().filter(|m| m.location == Location::Body) {
        if let Some(v) = value.get(&m.name) {
            sites(svc, &m.ty, v, &format!("{pointer}/{}", m.name), out);
        }
    }
}

/// Whether the constraint at `site` allows `value` (the oracle, from the spec alone).
fn allowed(svc: &Service, ty: &Type, value: &Value) -> bool {
    let c = &ty.constraints;
    let within = |n: f64, (min, max): (Option<f64>, Option<f64>)| {
        min.is_none_or(|m| n >= m) && max.is_none_or(|m| n <= m)
    };
    let mut ok = true;
    if let Some((min, max)) = c.length {
        let len = match value {
            Value::String(s) => s.chars().count(),
            Value::Array(a) => a.len(),
            Value::Object(o) => o.len(),
            _ => 0,
        } as f64;
        ok &= within(len, (min.map(|m| m as f64), max.map(|m| m as f64)));
    }
    if let Some(range) = c.range {
        ok &= value.as_f64().is_some_and(|n| within(n, range));
    }
    if let (Some(p), Value::String(s)) = (&c.pattern, value) {
        // Patterns regex-lite cannot compile are documented as not checked.
        if let Ok(re) = regex_lite::Regex::new(p) {
            ok &= re.is_match(s);
        }
    }
    if let (Kind::Enum(name), Value::String(s)) = (&ty.kind, value)
        && let Some(Shape::Enum(e)) = svc.shapes.get(name)
    {
        ok &= e.values.iter().any(|v| &v.value == s);
    }
    ok
}

/// Boundary values for a site, given the valid value the base holds there.
fn boundary_values(svc: &Service, ty: &Type, base: &Value) -> Vec<Value> {
    let c = &ty.constraints;
    let mut out = Vec::new();
    let around = |min: Option<u64>, max: Option<u64>| {
        let mut n: Vec<u64> = Vec::new();
        for b in [min, max].into_iter().flatten() {
            n.extend([b.saturating_sub(1), b, b + 1]);
        }
        n.extend([0, 1]);
        n.retain(|&x| x <= 5000);
        n
    };
    match (&ty.kind, base) {
        (Kind::List(_), Value::Array(items)) => {
            if let Some((min, max)) = c.length {
                for n in around(min, max) {
                    out.push(Value::Array(vec![items[0].clone(); n as usize]));
                }
            }
        }
        (_, Value::String(s)) => {
            let (min, max) = c.length.unwrap_or((None, None));
            let last = s.chars().last().unwrap_or('a');
            for n in around(min, max.or(Some(64))) {
                let n = n as usize;
                let keep: String = s.chars().take(n).collect();
                let pad = n.saturating_sub(keep.chars().count());
                out.push(Value::String(format!(
                    "{keep}{}",
                    last.to_string().repeat(pad)
                )));
                out.push(Value::String("é".repeat(n)));
                out.push(Value::String("a".repeat(n)));
            }
            out.extend(["", "-", "A1", "0", " ", "\u{1F600}"].map(|x| json!(x)));
            out.push(json!(s.to_uppercase()));
            out.push(json!(s.to_lowercase()));
            out.push(json!(format!(" {s}")));
            if let Kind::Enum(name) = &ty.kind
                && let Some(Shape::Enum(e)) = svc.shapes.get(name)
            {
                out.extend(e.values.iter().map(|v| json!(v.value)));
                out.push(json!("NOT_A_DOCUMENTED_VALUE"));
            }
        }
        (_, Value::Number(_)) => {
            let (min, max) = c.range.unwrap_or((None, None));
            for b in [min, max].into_iter().flatten() {
                out.extend([json!(b - 1.0), json!(b), json!(b + 1.0)]);
                if b.fract() == 0.0 && b.abs() < 1e15 {
                    let b = b as i64;
                    out.extend([json!(b - 1), json!(b), json!(b + 1)]);
                }
            }
            out.extend([json!(0), json!(-1), json!(i32::MAX), json!(i32::MIN)]);
        }
        _ => {}
    }
    out
}

/// Random values for a site: strings from the pattern and from any characters, numbers
/// around the range.
fn random_values(ty: &Type, base: &Value) -> BoxedStrategy<Value> {
    let c = &ty.constraints;
    match base {
        Value::String(_) => {
            let max = c.length.and_then(|l| l.1).unwrap_or(40).min(200) as usize;
            let any = proptest::string::string_regex(&format!("\\PC{{0,{}}}", max + 3))
                .expect("regex")
                .prop_map(Value::String)
                .boxed();
            let from_pattern = c
                .pattern
                .as_deref()
                .and_then(|p| proptest::string::string_regex(p).ok());
            match from_pattern {
                Some(s) => prop_oneof![any, s.prop_map(Value::String)].boxed(),
                None => any,
            }
        }
        Value::Number(_) => {
            let (min, max) = c.range.unwrap_or((None, None));
            let lo = min.unwrap_or(-1000.0) as i64 - 100;
            let hi = max.unwrap_or(1000.0) as i64 + 100;
            (lo..=hi).prop_map(|n| json!(n)).boxed()
        }
        other => Just(other.clone()).boxed(),
    }
}

fn set(base: &Value, pointer: &str, value: Value) -> Value {
    let mut v = base.clone();
    *v.pointer_mut(pointer).expect("the site is in the base") = value;
    v
}

fn cases_setting() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(32)
}

#[test]
fn validators_accept_exactly_what_the_spec_constraints_allow() {
    let mut checked_sites = 0;
    for case in cases() {
        let svc = service(case.crate_name);
        let op = svc
            .operations
            .iter()
            .find(|o| o.type_name == case.operation || o.name == case.operation)
            .unwrap_or_else(|| panic!("{} has no {}", case.crate_name, case.operation));
        let name = format!("{}.{}", case.crate_name, case.operation);
        assert_eq!(
            (case.check)(&case.base, Validation::Full).map(|r| r.map_err(|e| e.to_string())),
            Some(Ok(())),
            "{name}: the base input must be valid"
        );
        let mut found = Vec::new();
        struct_sites(&svc, &op.input.members, &case.base, "", &mut found);
        assert!(
            !found.is_empty() || case.operation.ends_with("Job"),
            "{name}: no site"
        );
        for site in &found {
            checked_sites += 1;
            let base_value = case.base.pointer(&site.pointer).expect("site").clone();
            let verdict = |value: &Value| -> Result<(), TestCaseError> {
                let input = set(&case.base, &site.pointer, value.clone());
                let Some(full) = (case.check)(&input, Validation::Full) else {
                    return Ok(()); // does not decode into the member's type
                };
                let expected = allowed(&svc, &site.ty, value);
                prop_assert_eq!(
                    full.is_ok(),
                    expected,
                    "{} {} = {}: {:?}",
                    name,
                    site.pointer,
                    value,
                    full
                );
                if let Err(e) = &full {
                    // The error names the field it is about.
                    let last = site
                        .pointer
                        .rsplit('/')
                        .find(|s| s.parse::<usize>().is_err());
                    prop_assert!(
                        last.is_some_and(|l| e.field.contains(l)),
                        "{} {}: error names {:?}",
                        name,
                        site.pointer,
                        e.field
                    );
                }
                let relaxed = (case.check)(&input, Validation::RequiredOnly).expect("decodes");
                prop_assert!(relaxed.is_ok(), "{} {}: {:?}", name, site.pointer, relaxed);
                Ok(())
            };
            for value in boundary_values(&svc, &site.ty, &base_value) {
                verdict(&value).unwrap_or_else(|e| panic!("{e}"));
            }
            let mut runner = TestRunner::new(Config {
                cases: cases_setting(),
                failure_persistence: None,
                ..Config::default()
            });
            runner
                .run(&random_values(&site.ty, &base_value), |v| verdict(&v))
                .unwrap_or_else(|e| panic!("{e}"));
        }
    }
    // Every service with constraints contributed sites.
    eprintln!("sites: {checked_sites}");
    assert!(
        checked_sites >= 15,
        "only {checked_sites} constrained sites"
    );
}
