use crate::common::*;
use serde_json::json;

fn big(n: usize) -> Vec<u8> {
    // A syntactically valid JSON object of about n bytes.
    let mut s = String::from("{\"Catalog\": \"AWS\", \"pad\": \"");
    s.push_str(&"a".repeat(n.saturating_sub(40)));
    s.push_str("\"}");
    s.into_bytes()
}

async fn still_serving(emu: &cloudjobs_emulator::RunningEmulator) {
    assert_eq!(
        aws(emu, Aws::Pcs, &json!({"Catalog": "AWS"})).await.status,
        200
    );
    assert_eq!(sp(emu, "list", &json!({})).await.status, 200);
}

#[tokio::test]
async fn aws_operations_answer_bad_input_with_their_validation_error() {
    let emu = start().await;
    let id = emu.seeded().ssm.window_execution_ids[0].clone();
    let bodies: Vec<(&str, Vec<u8>)> = vec![
        ("malformed", b"{\"Catalog\": ".to_vec()),
        ("not an object", b"[1, 2]".to_vec()),
        ("a string", b"\"hello\"".to_vec()),
        ("binary", vec![0xff, 0xfe, 0x00, 0x01]),
        ("wrong types", serde_json::to_vec(&json!({"Catalog": ["AWS"], "MaxResults": "5", "maxResults": true, "WindowExecutionId": {"a": 1}, "Filters": "x", "filterCriteria": 3, "sortCriteria": []})).unwrap()),
        ("out of range", serde_json::to_vec(&json!({"Catalog": "AWS", "MaxResults": 100000, "maxResults": -1, "WindowExecutionId": id, "Filters": []})).unwrap()),
        ("huge number", b"{\"Catalog\": \"AWS\", \"MaxResults\": 1e400, \"maxResults\": 99999999999999999999999, \"WindowExecutionId\": 1}".to_vec()),
        ("deep nesting", format!("{}{}", "[".repeat(200), "]".repeat(200)).into_bytes()),
    ];
    for op in [Aws::Pcs, Aws::Macie, Aws::Ssm] {
        for (name, body) in &bodies {
            let r = aws_raw(&emu, op, body.clone(), &Signing::default()).await;
            if op == Aws::Ssm && *name == "out of range" {
                // Filters: [] and a valid id is fine for SSM; MaxResults is not in SSM's range.
            }
            assert_eq!(r.status, 400, "{op:?} {name}: {}", r.text);
            assert_eq!(
                r.aws_code(),
                "ValidationException",
                "{op:?} {name}: {}",
                r.text
            );
        }
        // Empty body: {} — required members missing for PCS and SSM, fine for Macie2.
        let r = aws_raw(&emu, op, Vec::new(), &Signing::default()).await;
        if op == Aws::Macie {
            assert_eq!(r.status, 200);
        } else {
            assert_eq!(
                (r.status, r.aws_code().as_str()),
                (400, "ValidationException"),
                "{op:?}"
            );
        }
        // 1 MB body (valid JSON, under the 1 MiB limit): the padding member is ignored, so it
        // is judged on its members; 2 MB: over the limit.
        let r = aws_raw(&emu, op, big(1_000_000), &Signing::default()).await;
        assert_ne!(r.status, 500, "{op:?}");
        assert!(
            r.status == 200 || r.aws_code() == "ValidationException",
            "{op:?}: {}",
            r.status
        );
        let r = aws_raw(&emu, op, big(2 * 1024 * 1024), &Signing::default()).await;
        assert_eq!(
            (r.status, r.aws_code().as_str()),
            (413, "ValidationException"),
            "{op:?}"
        );
        let r = aws_raw(&emu, op, vec![b'x'; 1024 * 1024], &Signing::default()).await;
        assert_eq!(
            (r.status, r.aws_code().as_str()),
            (400, "ValidationException"),
            "{op:?}"
        );
        still_serving(&emu).await;
    }
}

#[tokio::test]
async fn spaceone_and_cloud_rewind_bad_input() {
    let emu = start().await;
    for verb in ["get", "delete", "list", "stat"] {
        let path = format!("/identity/v2/job/{verb}");
        for (body, status, code) in [
            (b"".to_vec(), 500, "ERROR_UNKNOWN"),
            (b"{oops".to_vec(), 500, "ERROR_UNKNOWN"),
            (b"[]".to_vec(), 500, "ERROR_UNKNOWN"),
            (
                br#"{"job_id": ["a"], "query": 1}"#.to_vec(),
                500,
                "ERROR_UNKNOWN",
            ),
            (br#"{"unknown_field": 1}"#.to_vec(), 500, "ERROR_UNKNOWN"),
            (vec![b' '; 2 * 1024 * 1024], 413, "ERROR_INVALID_PARAMETER"),
        ] {
            let r = sp_raw(&emu, &path, body, Some(TOKEN)).await;
            assert_eq!(
                (r.status, r.sp_code()),
                (status, code),
                "{verb}: {}",
                r.text
            );
        }
        let r = sp_raw(&emu, &path, b"{}".to_vec(), Some(TOKEN)).await;
        match verb {
            "list" => assert_eq!(r.status, 200),
            _ => assert_eq!(
                (r.status, r.sp_code()),
                (400, "ERROR_REQUIRED_PARAMETER"),
                "{verb}"
            ),
        }
        let mut pad = String::from("{\"job_id\": \"");
        pad.push_str(&"a".repeat(1_000_000));
        pad.push_str("\"}");
        let r = sp_raw(&emu, &path, pad.into_bytes(), Some(TOKEN)).await;
        assert!(r.status < 500 || r.sp_code() == "ERROR_UNKNOWN", "{verb}");
        assert!(
            r.json["detail"]["code"].is_string() || r.status == 200,
            "{verb}: {}",
            r.status
        );
    }
    // Out-of-range and wrong-typed paging.
    for q in [
        json!({"query": {"page": {"start": -1}}}),
        json!({"query": {"page": {"limit": "many"}}}),
        json!({"query": {"sort": {"key": "x"}}}),
    ] {
        let r = sp(&emu, "list", &q).await;
        assert_eq!((r.status, r.sp_code()), (500, "ERROR_UNKNOWN"), "{q}");
    }
    // Cloud Rewind: bad path parameters and an oversized body are 412 in its shape.
    let r = cr(&emu, "12x", "p", "-", Some("x"), Some(TOKEN)).await;
    assert_eq!(r.status, 412);
    assert!(
        r.json["fieldErrors"]["accountId"].is_string()
            && r.json["fieldErrors"]["cloudAssemblyId"].is_string()
    );
    let url = format!(
        "{}/accounts/1/projects/p/aws/cloud-assemblies/2/protections/status?protection_id=x",
        emu.url()
    );
    let r = into_resp(
        client()
            .get(url)
            .bearer_auth(TOKEN)
            .body(vec![b'a'; 2 * 1024 * 1024])
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(r.status, 412);
    assert!(r.json["fieldErrors"]["body"].is_string());
    still_serving(&emu).await;
}

#[tokio::test]
async fn non_ascii_input_never_breaks_the_server() {
    let emu = start().await;
    let u = "ΩΩΩΩΩΩΩΩΩΩΩΩΩΩΩΩΩΩ";
    for (op, body) in [
        (Aws::Pcs, json!({"Catalog": "Ωmega"})),
        (
            Aws::Pcs,
            json!({"Catalog": "AWS", "EngagementIdentifier": format!("eng-{}", &u[..14])}),
        ),
        (Aws::Pcs, json!({"Catalog": "AWS", "NextToken": u})),
        (
            Aws::Ssm,
            json!({"WindowExecutionId": u.chars().cycle().take(36).collect::<String>()}),
        ),
        (
            Aws::Ssm,
            json!({"WindowExecutionId": emu.seeded().ssm.window_execution_ids[0], "NextToken": "ΩΩΩΩΩΩΩΩΩΩΩ"}),
        ),
        (Aws::Macie, json!({"nextToken": u})),
        (
            Aws::Macie,
            json!({"filterCriteria": {"includes": [{"comparator": "GT", "key": "createdAt", "values": [u]}]}}),
        ),
    ] {
        let r = aws(&emu, op, &body).await;
        assert!(r.status == 400, "{op:?} {body}: {} {}", r.status, r.text);
    }
    let r = aws(&emu, Aws::Macie, &json!({"filterCriteria": {"includes": [{"comparator": "CONTAINS", "key": "name", "values": [u]}]}})).await;
    assert_eq!(r.json, json!({"items": []}));
    let r = sp(&emu, "get", &json!({"job_id": u})).await;
    assert_eq!(r.status, 404);
    let r = sp(
        &emu,
        "list",
        &json!({"query": {"filter": [{"k": "created_at", "v": "now-ΩΩd", "o": "timediff_gt"}]}}),
    )
    .await;
    assert_eq!(r.status, 400);
    let r = cr(&emu, "Ω", "Ω", "Ω", Some(u), Some(TOKEN)).await;
    assert_eq!(r.status, 412);
    let r = admin(
        &emu,
        reqwest::Method::POST,
        "/jobs/macie2",
        Some(json!({"jobId": u})),
    )
    .await;
    assert_eq!(r.status, 201);
    still_serving(&emu).await;
}
