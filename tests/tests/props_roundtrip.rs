//! Any valid input of each operation goes client → emulator → client intact: proptest builds
//! inputs within the spec's constraints (as JSON, decoded into the generated input type and
//! checked by the client's own validator), sends them through the generated client to the
//! in-process emulator, and checks that the emulator understood them (no validation error,
//! only modeled answers), that the answer honours them (filters, page sizes) and that every
//! job the client decoded is the emulator's job, field for field. `PROPTEST_CASES` raises
//! the number of inputs per operation (default 24).

use cloudjobs::runtime::{Operation, Validation};
use cloudjobs_emulator::{Emulator, RunningEmulator};
use common::{ACCESS_KEY, SECRET_KEY, aws_config, bearer_config};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{Value, json};

mod common;

/// Runs `test` on inputs from `strategy`; panics with the smallest failing input.
fn check<S: Strategy>(strategy: &S, test: impl Fn(S::Value) -> Result<(), TestCaseError>) {
    runner()
        .run(strategy, test)
        .unwrap_or_else(|e| panic!("{e}"));
}

fn runner() -> TestRunner {
    TestRunner::new(Config {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(24),
        failure_persistence: None,
        ..Config::default()
    })
}

struct World {
    rt: tokio::runtime::Runtime,
    emu: RunningEmulator,
    fixture: Value,
}

fn world() -> World {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let emu = rt
        .block_on(
            Emulator::builder()
                .seed(7)
                .jobs_per_service(40)
                // The credentials `common`'s client configs carry.
                .aws_credentials(ACCESS_KEY, SECRET_KEY)
                .bearer_token("test-token")
                .start(),
        )
        .expect("emulator");
    let fixture = serde_json::to_value(emu.fixture()).expect("fixture");
    World { rt, emu, fixture }
}

/// Decodes a generated input and checks it is valid by the client's own rules (the
/// strategies stay within the constraints; this keeps them honest).
fn input<O: Operation>(v: &Value) -> Result<O::Input, TestCaseError>
where
    O::Input: serde::de::DeserializeOwned,
{
    let input: O::Input =
        serde_json::from_value(v.clone()).map_err(|e| TestCaseError::fail(format!("{v}: {e}")))?;
    O::validate(&input, Validation::Full)
        .map_err(|e| TestCaseError::fail(format!("strategy made an invalid input {v}: {e}")))?;
    Ok(input)
}

/// The jobs of one service in the fixture, by id.
fn job<'a>(fixture: &'a Value, service: &str, id_key: &str, id: &str) -> Option<&'a Value> {
    fixture[service]
        .as_array()?
        .iter()
        .find(|j| j[id_key].as_str() == Some(id))
}

/// A decoded job in its wire form, and the emulator's job of the same id.
fn stored_job<'a>(
    fixture: &'a Value,
    service: &str,
    id_key: &str,
    item: &impl serde::Serialize,
) -> Result<(Value, &'a Value), TestCaseError> {
    let item = serde_json::to_value(item).map_err(|e| TestCaseError::fail(e.to_string()))?;
    let id = item[id_key].as_str().unwrap_or_default();
    let stored = job(fixture, service, id_key, id)
        .ok_or_else(|| TestCaseError::fail(format!("unknown job {item}")))?;
    Ok((item, stored))
}

/// Every key of `keys` holds the same value in the decoded item (re-serialized to the wire
/// form) and in the emulator's job.
fn same(item: &Value, stored: &Value, keys: &[&str]) -> Result<(), TestCaseError> {
    for k in keys {
        prop_assert_eq!(
            &item[*k],
            &stored[*k],
            "{} differs: {} vs {}",
            k,
            item,
            stored
        );
    }
    Ok(())
}

fn opt<T: std::fmt::Debug + Clone + 'static>(
    s: impl Strategy<Value = T> + 'static,
) -> BoxedStrategy<Option<T>> {
    proptest::option::of(s).boxed()
}

#[test]
fn partner_central_inputs_round_trip() {
    use cloudjobs::partner_central::operation::list_resource_snapshot_jobs::ListResourceSnapshotJobs as Op;
    use cloudjobs::partner_central::types::ResourceSnapshotJobStatus;
    let w = world();
    let client = cloudjobs::partner_central::Client::new(aws_config(&w.emu.url()));
    let engagements = w.emu.seeded().partner_central.engagement_ids;
    let pcs_jobs = w.fixture["partner_central"].as_array().unwrap().clone();
    let statuses: Vec<&str> = ResourceSnapshotJobStatus::values().to_vec();
    let strategy = (
        prop::sample::select(vec!["AWS", "Sandbox"]),
        opt(1i32..=1000),
        opt(prop::sample::select(statuses)),
        opt(prop_oneof![
            prop::sample::select(engagements).boxed(),
            "eng-[0-9a-z]{14}".boxed()
        ]),
        opt((
            prop::sample::select(vec!["CreatedDate"]),
            prop::sample::select(vec!["ASCENDING", "DESCENDING"]),
        )),
    )
        .prop_map(|(catalog, max, status, engagement, sort)| {
            let mut v = json!({"Catalog": catalog});
            if let Some(m) = max {
                v["MaxResults"] = json!(m);
            }
            if let Some(s) = status {
                v["Status"] = json!(s);
            }
            if let Some(e) = engagement {
                v["EngagementIdentifier"] = json!(e);
            }
            if let Some((by, order)) = sort {
                v["Sort"] = json!({"SortBy": by, "SortOrder": order});
            }
            v
        });
    check(&strategy, |v| {
        let input = input::<Op>(&v)?;
        let result =
            w.rt.block_on(client.list_resource_snapshot_jobs().set_input(input).send());
        if let Some(e) = v["EngagementIdentifier"].as_str()
            && !pcs_jobs
                .iter()
                .any(|j| j["EngagementId"] == e && j["Catalog"] == v["Catalog"])
        {
            // An engagement this catalog does not have: the modeled not-found answer.
            let err = result.expect_err("unknown engagement");
            prop_assert_eq!(err.code(), Some("ResourceNotFoundException"), "{}", err);
            return Ok(());
        }
        let out = result.map_err(|e| TestCaseError::fail(format!("{v}: {e}")))?;
        let items = out.resource_snapshot_job_summaries.unwrap_or_default();
        prop_assert!(items.len() <= v["MaxResults"].as_u64().unwrap_or(1000) as usize);
        for item in &items {
            let (item, stored) = stored_job(&w.fixture, "partner_central", "Id", item)?;
            same(&item, stored, &["Id", "Arn", "EngagementId", "Status"])?;
            prop_assert_eq!(&stored["Catalog"], &v["Catalog"]);
            for k in ["Status", "EngagementIdentifier"] {
                if let Some(want) = v.get(k) {
                    let got = if k == "Status" {
                        &item["Status"]
                    } else {
                        &item["EngagementId"]
                    };
                    prop_assert_eq!(got, want);
                }
            }
        }
        Ok(())
    });
}

#[test]
fn macie2_inputs_round_trip() {
    use cloudjobs::macie2::operation::list_classification_jobs::ListClassificationJobs as Op;
    use cloudjobs::macie2::types::JobStatus;
    let w = world();
    let client = cloudjobs::macie2::Client::new(aws_config(&w.emu.url()));
    let statuses: Vec<&str> = JobStatus::values().to_vec();
    let strategy = (
        opt(1i32..=25),
        opt(prop::sample::select(statuses)),
        opt((
            prop::sample::select(vec!["createdAt", "jobStatus", "name", "jobType"]),
            prop::sample::select(vec!["ASC", "DESC"]),
        )),
    )
        .prop_map(|(max, status, sort)| {
            let mut v = json!({});
            if let Some(m) = max {
                v["maxResults"] = json!(m);
            }
            if let Some(s) = status {
                v["filterCriteria"] =
                    json!({"includes": [{"comparator": "EQ", "key": "jobStatus", "values": [s]}]});
            }
            if let Some((by, order)) = sort {
                v["sortCriteria"] = json!({"attributeName": by, "orderBy": order});
            }
            v
        });
    check(&strategy, |v| {
        let input = input::<Op>(&v)?;
        let out =
            w.rt.block_on(client.list_classification_jobs().set_input(input).send())
                .map_err(|e| TestCaseError::fail(format!("{v}: {e}")))?;
        let items = out.items.unwrap_or_default();
        if let Some(max) = v["maxResults"].as_u64() {
            prop_assert!(items.len() <= max as usize);
        }
        let status = v.pointer("/filterCriteria/includes/0/values/0");
        for item in &items {
            let (item, stored) = stored_job(&w.fixture, "macie2", "jobId", item)?;
            same(&item, stored, &["jobId", "name", "jobType", "jobStatus"])?;
            if let Some(s) = status {
                prop_assert_eq!(&item["jobStatus"], s);
            }
        }
        Ok(())
    });
}

#[test]
fn ssm_inputs_round_trip() {
    use cloudjobs::ssm_mw::operation::describe_maintenance_window_execution_tasks::{
        DescribeMaintenanceWindowExecutionTasks as Op, DescribeMaintenanceWindowExecutionTasksError,
    };
    let w = world();
    let client = cloudjobs::ssm_mw::Client::new(aws_config(&w.emu.url()));
    let executions = w.emu.seeded().ssm.window_execution_ids;
    // The STATUS filter's values as the spec documents them (a subset of the status enum).
    let statuses = "PENDING IN_PROGRESS SUCCESS FAILED TIMED_OUT CANCELLING CANCELLED"
        .split(' ')
        .collect::<Vec<_>>();
    let strategy = (
        prop_oneof![
            3 => prop::sample::select(executions).boxed(),
            1 => "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}".boxed(),
        ],
        opt(10i32..=100),
        opt(prop::sample::subsequence(statuses, 1..=3)),
    )
        .prop_map(|(id, max, statuses)| {
            let mut v = json!({"WindowExecutionId": id});
            if let Some(m) = max {
                v["MaxResults"] = json!(m);
            }
            if let Some(s) = statuses {
                v["Filters"] = json!([{"Key": "STATUS", "Values": s}]);
            }
            v
        });
    check(&strategy, |v| {
        let input = input::<Op>(&v)?;
        let id = v["WindowExecutionId"].as_str().unwrap().to_string();
        let execution = w.fixture["ssm"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["WindowExecutionId"].as_str() == Some(id.as_str()));
        let result = w.rt.block_on(
            client
                .describe_maintenance_window_execution_tasks()
                .set_input(input)
                .send(),
        );
        let Some(execution) = execution else {
            // An unknown execution: the modeled error, decoded as such.
            let e = result.expect_err("unknown execution");
            prop_assert!(
                matches!(
                    e.as_service_error(),
                    Some(DescribeMaintenanceWindowExecutionTasksError::DoesNotExistException(_))
                ),
                "{}",
                e
            );
            return Ok(());
        };
        let out = result.map_err(|e| TestCaseError::fail(format!("{v}: {e}")))?;
        let items = out.window_execution_task_identities.unwrap_or_default();
        prop_assert!(items.len() <= v["MaxResults"].as_u64().unwrap_or(100) as usize);
        let wanted: Option<Vec<Value>> = v
            .pointer("/Filters/0/Values")
            .and_then(|s| s.as_array().cloned());
        for item in &items {
            let item = serde_json::to_value(item).unwrap();
            prop_assert_eq!(item["WindowExecutionId"].as_str(), Some(id.as_str()));
            let stored = execution["Tasks"]
                .as_array()
                .unwrap()
                .iter()
                .find(|t| t["TaskExecutionId"] == item["TaskExecutionId"])
                .ok_or_else(|| TestCaseError::fail(format!("unknown task {item}")))?;
            same(
                &item,
                stored,
                &[
                    "TaskExecutionId",
                    "Status",
                    "StatusDetails",
                    "TaskArn",
                    "TaskType",
                ],
            )?;
            if let Some(wanted) = &wanted {
                prop_assert!(wanted.contains(&item["Status"]), "{}", item);
            }
        }
        Ok(())
    });
}

#[test]
fn spaceone_inputs_round_trip() {
    use cloudjobs::spaceone_identity::operation::get_job::{GetJob, GetJobError};
    use cloudjobs::spaceone_identity::operation::list_jobs::ListJobs;
    use cloudjobs::spaceone_identity::types::JobStatus;
    let w = world();
    let client = cloudjobs::spaceone_identity::Client::new(bearer_config(&w.emu.url()));
    let seeded = w.emu.seeded().spaceone;
    let statuses: Vec<&str> = JobStatus::values().to_vec();
    let list = (
        opt(prop::sample::select(statuses)),
        opt(prop::sample::select(seeded.workspace_ids.clone())),
        opt((1i32..=50, 1i32..=50)),
    )
        .prop_map(|(status, workspace, page)| {
            let mut v = json!({});
            if let Some(s) = status {
                v["status"] = json!(s);
            }
            if let Some(ws) = workspace {
                v["workspace_id"] = json!(ws);
            }
            if let Some((start, limit)) = page {
                v["query"] = json!({"page": {"start": start, "limit": limit}});
            }
            v
        });
    let jobs = w.fixture["spaceone"].as_array().unwrap().clone();
    check(&list, |v| {
        let input = input::<ListJobs>(&v)?;
        let out =
            w.rt.block_on(client.list_jobs().set_input(input).send())
                .map_err(|e| TestCaseError::fail(format!("{v}: {e}")))?;
        let matching = jobs
            .iter()
            // `NONE` is protobuf's unset value in SpaceONE: no status filter.
            .filter(|j| {
                v.get("status")
                    .is_none_or(|s| s == "NONE" || &j["status"] == s)
            })
            .filter(|j| {
                v.get("workspace_id")
                    .is_none_or(|s| &j["workspace_id"] == s)
            })
            .count();
        // proto3 JSON leaves out zero values: no total_count is 0.
        prop_assert_eq!(out.total_count.unwrap_or(0), matching as i32, "{}", v);
        let results = out.results.unwrap_or_default();
        if let Some(limit) = v.pointer("/query/page/limit").and_then(Value::as_u64) {
            prop_assert!(results.len() <= limit as usize);
        }
        for item in &results {
            let (item, stored) = stored_job(&w.fixture, "spaceone", "job_id", item)?;
            same(
                &item,
                stored,
                &[
                    "job_id",
                    "status",
                    "domain_id",
                    "workspace_id",
                    "resource_group",
                ],
            )?;
        }
        Ok(())
    });
    let get = prop_oneof![
        3 => prop::sample::select(seeded.job_ids.clone()).boxed(),
        1 => "job-[0-9a-z]{1,20}".boxed(),
    ]
    .prop_map(|id| json!({"job_id": id}));
    check(&get, |v| {
        let input = input::<GetJob>(&v)?;
        let id = v["job_id"].as_str().unwrap();
        let result = w.rt.block_on(client.get_job().set_input(input).send());
        match job(&w.fixture, "spaceone", "job_id", id) {
            Some(stored) => {
                let out = result.map_err(|e| TestCaseError::fail(format!("{v}: {e}")))?;
                let item = serde_json::to_value(out).unwrap();
                same(
                    &item,
                    stored,
                    &[
                        "job_id",
                        "status",
                        "domain_id",
                        "workspace_id",
                        "error_message",
                    ],
                )?;
            }
            None => {
                let e = result.expect_err("unknown job");
                prop_assert!(
                    matches!(e.as_service_error(), Some(GetJobError::NotFound(_))),
                    "{}",
                    e
                );
            }
        }
        Ok(())
    });
}

#[test]
fn cloud_rewind_inputs_round_trip() {
    use cloudjobs::cloud_rewind::operation::get_aws_protection_status::GetAwsProtectionStatusError as E;
    let w = world();
    let client = cloudjobs::cloud_rewind::Client::new(bearer_config(&w.emu.url()));
    let protections = w.emu.seeded().cloud_rewind.protections;
    let strategy = (
        prop::sample::select(protections),
        any::<bool>(),
        "[a-zA-Z0-9 ._~/-]{1,30}",
    );
    check(&strategy, |(p, real, other_id)| {
        // The labels carry any text (percent-encoded on the way), a real id or another.
        let id = if real {
            p.protection_id.clone()
        } else {
            other_id
        };
        let result = w.rt.block_on(
            client
                .get_aws_protection_status()
                .account_id(p.account_id)
                .project_id(&p.project_id)
                .cloud_assembly_id(p.cloud_assembly_id)
                .protection_id(&id)
                .send(),
        );
        let stored = w.fixture["cloud_rewind"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| {
                s["protection_id"].as_str() == Some(id.as_str())
                    && s["account_id"] == json!(p.account_id)
                    && s["cloud_assembly_id"] == json!(p.cloud_assembly_id)
            });
        match (stored, result) {
            (Some(s), Ok(out)) => {
                prop_assert!(!s["locked"].as_bool().unwrap_or(false));
                let status = out.status.as_ref().map(|st| st.as_str().to_string());
                prop_assert_eq!(status.as_deref(), s["status"].as_str());
            }
            (Some(s), Err(e)) => prop_assert!(
                (s["locked"] == json!(true)
                    && matches!(e.as_service_error(), Some(E::Conflict(_))))
                    || s["assembly_disabled"] == json!(true),
                "{}",
                e
            ),
            (None, Err(e)) => prop_assert!(
                matches!(e.as_service_error(), Some(E::NotFound(_))),
                "{}: {}",
                id,
                e
            ),
            (None, Ok(out)) => prop_assert!(false, "{id}: found {out:?}"),
        }
        Ok(())
    });
}
