use crate::common::*;
use cloudjobs_emulator::Faults;
use serde_json::json;
use std::time::{Duration, Instant};

async fn statuses(seed: u64, faults: Faults) -> Vec<u16> {
    let emu = start_with(|b| b.seed(seed).faults(faults)).await;
    let mut out = Vec::new();
    for i in 0..40 {
        let s = match i % 3 {
            0 => aws(&emu, Aws::Pcs, &json!({"Catalog": "AWS"})).await.status,
            1 => sp(&emu, "list", &json!({})).await.status,
            _ => aws(&emu, Aws::Macie, &json!({})).await.status,
        };
        out.push(s);
    }
    emu.shutdown().await;
    out
}

#[tokio::test]
async fn faults_are_deterministic_from_the_seed() {
    let f = Faults {
        throttle_rate: 0.3,
        server_error_rate: 0.2,
        latency: Duration::ZERO,
        drop_rate: 0.0,
        ..Faults::NONE
    };
    let a = statuses(7, f).await;
    assert_eq!(a, statuses(7, f).await);
    assert_ne!(a, statuses(8, f).await);
    assert!(
        a.contains(&200) && a.contains(&429) && a.iter().any(|s| *s >= 500),
        "{a:?}"
    );
}

#[tokio::test]
async fn throttling_and_server_errors_in_each_shape() {
    let emu = start_with(|b| {
        b.faults(Faults {
            throttle_rate: 1.0,
            ..Faults::NONE
        })
    })
    .await;
    let ssm_id = emu.seeded().ssm.window_execution_ids[0].clone();
    let p = emu.seeded().cloud_rewind.protections[0].clone();
    let r = aws(&emu, Aws::Pcs, &json!({"Catalog": "AWS"})).await;
    assert_eq!(
        (r.status, r.aws_code().as_str()),
        (429, "ThrottlingException")
    );
    let r = aws(&emu, Aws::Macie, &json!({})).await;
    assert_eq!(
        (r.status, r.aws_code().as_str()),
        (429, "ThrottlingException")
    );
    let r = aws(&emu, Aws::Ssm, &json!({"WindowExecutionId": ssm_id})).await;
    assert_eq!(
        (r.status, r.aws_code().as_str()),
        (400, "ThrottlingException")
    );
    let r = sp(&emu, "list", &json!({})).await;
    assert_eq!((r.status, r.sp_code()), (429, "ERROR_TOO_MANY_REQUESTS"));
    let r = cr(
        &emu,
        &p.account_id.to_string(),
        &p.project_id,
        &p.cloud_assembly_id.to_string(),
        Some(&p.protection_id),
        Some(TOKEN),
    )
    .await;
    assert_eq!(
        (r.status, r.json["errors"][0]["code"].as_str()),
        (429, Some("TOO_MANY_REQUESTS"))
    );
    // Auth is checked before faults.
    let r = aws_raw(
        &emu,
        Aws::Pcs,
        b"{}".to_vec(),
        &Signing {
            sign: false,
            ..Default::default()
        },
    )
    .await;
    assert_eq!(r.status, 403);

    emu.set_faults(Faults {
        server_error_rate: 1.0,
        ..Faults::NONE
    });
    let r = aws(&emu, Aws::Pcs, &json!({"Catalog": "AWS"})).await;
    assert_eq!(
        (r.status, r.aws_code().as_str()),
        (500, "InternalServerException")
    );
    let r = aws(&emu, Aws::Macie, &json!({})).await;
    assert_eq!(
        (r.status, r.aws_code().as_str()),
        (500, "InternalServerException")
    );
    let r = aws(&emu, Aws::Ssm, &json!({"WindowExecutionId": ssm_id})).await;
    assert_eq!(
        (r.status, r.aws_code().as_str()),
        (500, "InternalServerError")
    );
    let r = sp(&emu, "get", &json!({"job_id": "x"})).await;
    assert_eq!((r.status, r.sp_code()), (503, "ERROR_GRPC_CONNECTION"));
    let r = cr(
        &emu,
        &p.account_id.to_string(),
        &p.project_id,
        &p.cloud_assembly_id.to_string(),
        Some(&p.protection_id),
        Some(TOKEN),
    )
    .await;
    assert_eq!(
        (r.status, r.json["errors"][0]["code"].as_str()),
        (500, Some("INTERNAL_SERVER_ERROR"))
    );
    // Admin routes are never faulted.
    assert_eq!(
        admin(&emu, reqwest::Method::GET, "/health", None)
            .await
            .status,
        200
    );
}

#[tokio::test]
async fn dropped_connections_and_latency() {
    let emu = start_with(|b| {
        b.faults(Faults {
            drop_rate: 1.0,
            ..Faults::NONE
        })
    })
    .await;
    let body = serde_json::to_vec(&json!({"Catalog": "AWS"})).unwrap();
    // The raw helper panics on send errors, so send by hand.
    let r = client()
        .post(format!("{}/identity/v2/job/list", emu.url()))
        .bearer_auth(TOKEN)
        .body("{}")
        .send()
        .await;
    assert!(
        r.is_err(),
        "expected a dropped connection, got {:?}",
        r.map(|r| r.status())
    );
    let _ = body;
    // Turn faults off through the admin API; the server keeps serving.
    let r = admin(
        &emu,
        reqwest::Method::PUT,
        "/faults",
        Some(json!({"drop_rate": 0.0, "latency_ms": 150})),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json["latency_ms"], 150);
    let t = Instant::now();
    assert_eq!(sp(&emu, "list", &json!({})).await.status, 200);
    assert!(t.elapsed() >= Duration::from_millis(150));
    let r = admin(&emu, reqwest::Method::GET, "/faults", None).await;
    assert_eq!(
        r.json,
        json!({"throttle_rate": 0.0, "server_error_rate": 0.0, "latency_ms": 150, "drop_rate": 0.0})
    );
}
