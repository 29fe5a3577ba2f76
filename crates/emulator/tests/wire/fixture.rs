use crate::common::*;
use cloudjobs_emulator::{Emulator, Error, Fixture};
use serde_json::json;

const EXAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/example.json");

#[tokio::test]
async fn example_fixture_loads_and_serves() {
    let emu = start_with(|b| b.fixture_file(EXAMPLE)).await;
    let s = emu.seeded();
    assert_eq!(
        s.partner_central.job_ids,
        vec![
            "job-0123456789abc",
            "job-0123456789abd",
            "job-0123456789abe"
        ]
    );
    assert_eq!(
        s.ssm.window_execution_ids,
        vec!["12345678-1234-1234-1234-123456789012"]
    );
    assert_eq!(s.spaceone.domain_id, "domain-58010aa2e451");
    assert_eq!(s.cloud_rewind.locked.as_ref().unwrap().status, "preparing");
    let r = aws(&emu, Aws::Pcs, &json!({"Catalog": "AWS"})).await;
    // Newest first; the missing Arn was derived.
    assert_eq!(
        ids(
            r.json["ResourceSnapshotJobSummaries"].as_array().unwrap(),
            "Id"
        ),
        vec!["job-0123456789abd", "job-0123456789abc"]
    );
    assert!(
        r.json["ResourceSnapshotJobSummaries"][0]["Arn"]
            .as_str()
            .unwrap()
            .ends_with("resource-snapshot-job/job-0123456789abd")
    );
    let r = aws(
        &emu,
        Aws::Ssm,
        &json!({"WindowExecutionId": "12345678-1234-1234-1234-123456789012"}),
    )
    .await;
    let tasks = r.json["WindowExecutionTaskIdentities"].as_array().unwrap();
    assert_eq!(tasks[0]["StartTime"], json!(1700000000.123));
    assert_eq!(tasks[0]["EndTime"], json!(1700000060));
    assert_eq!(
        tasks[1]["TriggeredAlarms"],
        json!([{"Name": "cpu-high", "State": "ALARM"}])
    );
    let r = sp(&emu, "get", &json!({"job_id": "job-3b124006c2d2"})).await;
    assert_eq!(
        r.json,
        json!({"job_id": "job-3b124006c2d2", "status": "SUCCESS", "resource_group": "DOMAIN",
        "plugin_id": "plugin-aws-cloud-service-inven-collector", "trusted_account_id": "ta-3b124006c2d2",
        "domain_id": "domain-58010aa2e451", "workspace_id": "*", "created_at": "2022-06-17T08:00:01.225Z",
        "updated_at": "2022-06-17T08:00:01.225Z", "finished_at": "2022-06-17T08:00:15.197Z"})
    );
    let r = aws(&emu, Aws::Macie, &json!({"filterCriteria": {"includes": [{"comparator": "EQ", "key": "jobStatus", "values": ["USER_PAUSED"]}]}})).await;
    assert_eq!(
        r.json["items"][0]["userPausedDetails"]["jobPausedAt"],
        "2025-02-11T09:00:00.000Z"
    );
    let r = cr(
        &emu,
        "12345678",
        "123456",
        "1234",
        Some("t12345678:123456:1234:145:1746784337032"),
        Some(TOKEN),
    )
    .await;
    assert_eq!(r.json, json!({"status": "success"}));
}

#[test]
fn fixture_parsing_round_trips_and_rejects_typos() {
    let text = std::fs::read_to_string(EXAMPLE).unwrap();
    let fx = Fixture::from_json(&text).unwrap();
    assert_eq!(Fixture::from_json(&fx.to_json()).unwrap(), fx);
    assert!(matches!(
        Fixture::from_json(r#"{"partner_centrl": []}"#),
        Err(Error::Fixture(_))
    ));
    assert!(matches!(Fixture::from_json("{"), Err(Error::Fixture(_))));
    assert!(matches!(
        Emulator::builder()
            .fixture_file("/nonexistent/fixture.json")
            .build(),
        Err(Error::Fixture(_))
    ));
    // Empty sections are fine.
    let emu = Emulator::builder()
        .fixture(Fixture::default())
        .build()
        .unwrap();
    assert!(emu.seeded().ssm.window_execution_ids.is_empty());
}
