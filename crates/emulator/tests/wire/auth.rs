use crate::common::*;
use serde_json::json;

fn body(op: Aws, emu: &cloudjobs_emulator::RunningEmulator) -> Vec<u8> {
    let v = match op {
        Aws::Pcs => json!({"Catalog": "AWS"}),
        Aws::Macie => json!({}),
        Aws::Ssm => json!({"WindowExecutionId": emu.seeded().ssm.window_execution_ids[0]}),
    };
    serde_json::to_vec(&v).unwrap()
}

#[tokio::test]
async fn sigv4_is_checked_for_each_aws_operation() {
    let emu = start().await;
    for op in [Aws::Pcs, Aws::Macie, Aws::Ssm] {
        let ok = aws_raw(&emu, op, body(op, &emu), &Signing::default()).await;
        assert_eq!(ok.status, 200, "{op:?}: {}", ok.text);
        // Any region, a session token, a signed payload hash: all accepted.
        let s = Signing {
            region: "eu-west-3".into(),
            session_token: Some("FwoGZXIvYXdzEXAMPLE".into()),
            content_sha256: true,
            ..Default::default()
        };
        assert_eq!(
            aws_raw(&emu, op, body(op, &emu), &s).await.status,
            200,
            "{op:?}"
        );
        let cases = [
            (
                Signing {
                    sign: false,
                    ..Default::default()
                },
                "MissingAuthenticationTokenException",
            ),
            (
                Signing {
                    access_key: "AKIDUNKNOWN".into(),
                    ..Default::default()
                },
                "UnrecognizedClientException",
            ),
            (
                Signing {
                    secret: "wrong-secret".into(),
                    ..Default::default()
                },
                "InvalidSignatureException",
            ),
            (
                Signing {
                    service: Some("s3".into()),
                    ..Default::default()
                },
                "InvalidSignatureException",
            ),
        ];
        for (s, code) in cases {
            let r = aws_raw(&emu, op, body(op, &emu), &s).await;
            assert_eq!(r.status, 403, "{op:?} {code}: {}", r.text);
            assert_eq!(r.aws_code(), code, "{op:?}");
            assert!(r.header("x-amzn-requestid").is_some());
            if op == Aws::Macie {
                assert!(r.json["message"].is_string());
            } else {
                assert_eq!(r.json["__type"], json!(code));
            }
        }
    }
    // The wrong service's signing name: a Macie2 signature on SSM.
    let r = aws_raw(
        &emu,
        Aws::Ssm,
        body(Aws::Ssm, &emu),
        &Signing {
            service: Some("macie2".into()),
            ..Default::default()
        },
    )
    .await;
    assert_eq!(r.aws_code(), "InvalidSignatureException");
}

#[tokio::test]
async fn tampered_body_and_custom_credentials() {
    let emu = start_with(|b| {
        b.aws_credentials("AKIDEXAMPLE", "secret")
            .bearer_token("tok")
    })
    .await;
    let s = Signing {
        access_key: "AKIDEXAMPLE".into(),
        secret: "secret".into(),
        ..Default::default()
    };
    assert_eq!(
        aws_raw(&emu, Aws::Pcs, br#"{"Catalog":"AWS"}"#.to_vec(), &s)
            .await
            .status,
        200
    );
    assert_eq!(
        aws_raw(
            &emu,
            Aws::Pcs,
            br#"{"Catalog":"AWS"}"#.to_vec(),
            &Signing::default()
        )
        .await
        .aws_code(),
        "UnrecognizedClientException"
    );
    // Sign one body, send another.
    let amz_date = &amz_date(time::Duration::ZERO);
    let mut hs = vec![
        ("content-type".to_string(), "application/json".to_string()),
        ("host".to_string(), emu.addr().to_string()),
        ("x-amz-date".to_string(), amz_date.to_string()),
    ];
    hs.sort();
    let auth = sign_headers("POST", "/jobs/list", &hs, b"{}", amz_date, &s, "macie2");
    let r = client()
        .post(format!("{}/jobs/list", emu.url()))
        .header("content-type", "application/json")
        .header("x-amz-date", amz_date)
        .header("authorization", auth)
        .body(r#"{"maxResults": 1}"#)
        .send()
        .await
        .unwrap();
    let r = into_resp(r).await;
    assert_eq!(
        (r.status, r.aws_code().as_str()),
        (403, "InvalidSignatureException")
    );
    // Bearer services use the configured token.
    assert_eq!(
        sp_raw(&emu, "/identity/v2/job/list", b"{}".to_vec(), Some("tok"))
            .await
            .status,
        200
    );
    assert_eq!(
        sp_raw(&emu, "/identity/v2/job/list", b"{}".to_vec(), Some(TOKEN))
            .await
            .status,
        401
    );
}

#[tokio::test]
async fn binds_loopback_by_default() {
    let emu = start().await;
    assert!(emu.addr().ip().is_loopback());
    assert_eq!(emu.addr().ip().to_string(), "127.0.0.1");
    assert!(emu.url().starts_with("http://127.0.0.1:"));
    assert_ne!(emu.addr().port(), 0);
}
