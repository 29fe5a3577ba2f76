use crate::common::*;
use cloudjobs_emulator::{InjectedError, Service};
use serde_json::{Value, json};

#[tokio::test]
async fn pages_through_all_tasks_of_an_execution() {
    let emu = start().await;
    let fx = emu.fixture();
    let seeded = emu.seeded().ssm;
    assert_eq!(seeded.task_counts, vec![25, 13, 1, 0]);
    for exec in &fx.ssm {
        let body = json!({"WindowExecutionId": exec.window_execution_id, "MaxResults": 10});
        let (items, pages) = paginate(
            &emu,
            Aws::Ssm,
            &body,
            "WindowExecutionTaskIdentities",
            "NextToken",
        )
        .await;
        let want: Vec<String> = exec
            .tasks
            .iter()
            .map(|t| t.task_execution_id.clone())
            .collect();
        assert_eq!(ids(&items, "TaskExecutionId"), want);
        assert_eq!(pages, want.len().div_ceil(10).max(1));
        for i in &items {
            assert_eq!(i["WindowExecutionId"], json!(exec.window_execution_id));
            let status = i["Status"].as_str().unwrap();
            assert!(i["TaskType"].is_string() && i["TaskArn"].is_string());
            if let Some(st) = i.get("StartTime") {
                assert!(st.is_number());
            }
            match status {
                "PENDING" => assert!(i.get("StartTime").is_none() && i.get("EndTime").is_none()),
                "IN_PROGRESS" | "CANCELLING" => assert!(i.get("EndTime").is_none()),
                _ => assert!(i["EndTime"].is_number()),
            }
        }
    }
    // Some timestamps are fractional, all are epoch seconds.
    let r = aws(
        &emu,
        Aws::Ssm,
        &json!({"WindowExecutionId": seeded.window_execution_ids[0], "MaxResults": 100}),
    )
    .await;
    let items = r.json["WindowExecutionTaskIdentities"].as_array().unwrap();
    assert_eq!(items.len(), 25);
    assert!(r.json.get("NextToken").is_none());
    assert!(
        items
            .iter()
            .any(|i| i["StartTime"].as_f64().is_some_and(|f| f.fract() != 0.0))
    );
    assert!(items.iter().all(|i| {
        i.get("StartTime")
            .is_none_or(|t| t.as_f64().unwrap() > 1.6e9)
    }));
    assert!(items.iter().any(|i| i.get("AlarmConfiguration").is_some()));
    // Default page size is 10.
    let r = aws(
        &emu,
        Aws::Ssm,
        &json!({"WindowExecutionId": seeded.window_execution_ids[0]}),
    )
    .await;
    assert_eq!(
        r.json["WindowExecutionTaskIdentities"]
            .as_array()
            .unwrap()
            .len(),
        10
    );
    assert!(r.json["NextToken"].is_string());
    // Uppercase id is the same execution.
    let r = aws(
        &emu,
        Aws::Ssm,
        &json!({"WindowExecutionId": seeded.window_execution_ids[2].to_uppercase()}),
    )
    .await;
    assert_eq!(r.status, 200);
    // An execution without tasks.
    let r = aws(
        &emu,
        Aws::Ssm,
        &json!({"WindowExecutionId": seeded.window_execution_ids[3]}),
    )
    .await;
    assert_eq!(r.json, json!({"WindowExecutionTaskIdentities": []}));
}

#[tokio::test]
async fn status_filters() {
    let emu = start().await;
    let fx = emu.fixture();
    let exec = &fx.ssm[0];
    let sets: Vec<Vec<Vec<&str>>> = vec![
        vec![vec!["SUCCESS", "FAILED"]],
        vec![vec!["PENDING"]],
        vec![
            vec!["SUCCESS", "FAILED", "TIMED_OUT"],
            vec!["FAILED", "CANCELLED"],
        ],
        vec![vec!["IN_PROGRESS"], vec!["SUCCESS"]],
        vec![
            vec!["PENDING"],
            vec!["PENDING"],
            vec!["PENDING"],
            vec!["PENDING"],
            vec!["PENDING"],
        ],
    ];
    for filters in sets {
        let body = json!({"WindowExecutionId": exec.window_execution_id, "MaxResults": 10,
            "Filters": filters.iter().map(|v| json!({"Key": "STATUS", "Values": v})).collect::<Vec<_>>()});
        let (items, _) = paginate(
            &emu,
            Aws::Ssm,
            &body,
            "WindowExecutionTaskIdentities",
            "NextToken",
        )
        .await;
        let want: Vec<String> = exec
            .tasks
            .iter()
            .filter(|t| filters.iter().all(|v| v.contains(&t.status.as_str())))
            .map(|t| t.task_execution_id.clone())
            .collect();
        assert_eq!(ids(&items, "TaskExecutionId"), want, "{body}");
    }
}

fn assert_ssm_error(r: &Resp, status: u16, code: &str) {
    assert_eq!(r.status, status, "{}", r.text);
    assert_eq!(r.json["__type"], json!(code), "{}", r.text);
    assert_eq!(r.header("x-amzn-errortype"), Some(code));
    assert_eq!(r.header("content-type"), Some("application/x-amz-json-1.1"));
    assert!(r.json["Message"].is_string());
}

#[tokio::test]
async fn errors() {
    let emu = start().await;
    let id = emu.seeded().ssm.window_execution_ids[0].clone();
    let r = aws(
        &emu,
        Aws::Ssm,
        &json!({"WindowExecutionId": "00000000-0000-0000-0000-000000000000"}),
    )
    .await;
    assert_ssm_error(&r, 400, "DoesNotExistException");
    for body in [
        json!({}),
        json!({"WindowExecutionId": "x"}),
        json!({"WindowExecutionId": "zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz"}),
        json!({"WindowExecutionId": format!("{id}0")}),
        json!({"WindowExecutionId": 7}),
        json!({"WindowExecutionId": id, "MaxResults": 9}),
        json!({"WindowExecutionId": id, "MaxResults": 101}),
        json!({"WindowExecutionId": id, "Filters": [{"Key": "NAME", "Values": ["a"]}]}),
        json!({"WindowExecutionId": id, "Filters": [{"Key": "STATUS", "Values": ["SKIPPED_OVERLAPPING"]}]}),
        json!({"WindowExecutionId": id, "Filters": [{"Key": "STATUS", "Values": []}]}),
        json!({"WindowExecutionId": id, "Filters": [{"Values": ["SUCCESS"]}]}),
        json!({"WindowExecutionId": id, "Filters": vec![json!({"Key": "STATUS", "Values": ["SUCCESS"]}); 6]}),
        json!({"WindowExecutionId": id, "Filters": {"Key": "STATUS"}}),
    ] {
        assert_ssm_error(
            &aws(&emu, Aws::Ssm, &body).await,
            400,
            "ValidationException",
        );
    }
    let r = aws(
        &emu,
        Aws::Ssm,
        &json!({"WindowExecutionId": id, "NextToken": "abc"}),
    )
    .await;
    assert_ssm_error(&r, 400, "InvalidNextToken");
    emu.inject_error(InjectedError {
        service: Service::Ssm,
        status: 500,
        code: None,
        message: None,
        count: 1,
    });
    assert_ssm_error(
        &aws(&emu, Aws::Ssm, &json!({"WindowExecutionId": id})).await,
        500,
        "InternalServerError",
    );
    // Unknown operation on the awsJson endpoint.
    let r = client()
        .post(format!("{}/", emu.url()))
        .header("x-amz-target", "AmazonSSM.DeleteEverything")
        .body("{}")
        .send()
        .await
        .unwrap();
    let r = into_resp(r).await;
    assert_eq!(r.status, 400);
    assert_eq!(r.json["__type"], "UnknownOperationException");
    let _ = Value::Null;
}
