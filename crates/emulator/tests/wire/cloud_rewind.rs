use crate::common::*;
use cloudjobs_emulator::{InjectedError, Service};
use serde_json::{Value, json};

fn assert_cr_error(r: &Resp, status: u16, code: &str) {
    assert_eq!(r.status, status, "{}", r.text);
    let e = &r.json;
    assert_eq!(e["errors"][0]["code"], json!(code), "{}", r.text);
    assert!(e["errors"][0]["message"].is_string() && e["errors"][0]["type"].is_string());
    assert!(e["message"].is_string());
    assert!(e["fieldErrors"].is_object());
    assert!(e["requiredPermissions"].is_array());
}

#[tokio::test]
async fn every_protection_reports_its_status() {
    let emu = start().await;
    let seeded = emu.seeded().cloud_rewind;
    let mut seen = std::collections::BTreeSet::new();
    for p in &seeded.protections {
        let r = cr(
            &emu,
            &p.account_id.to_string(),
            &p.project_id,
            &p.cloud_assembly_id.to_string(),
            Some(&p.protection_id),
            Some(TOKEN),
        )
        .await;
        if seeded.locked.as_ref() == Some(p) {
            assert_cr_error(&r, 409, "CONFLICT");
        } else if seeded.assembly_disabled.as_ref() == Some(p) {
            assert_cr_error(&r, 412, "PRECONDITION_FAILED");
        } else {
            assert_eq!(r.status, 200, "{}", r.text);
            assert_eq!(r.json, json!({"status": p.status}));
            seen.insert(p.status.clone());
        }
    }
    assert_eq!(seen.len(), 10, "all ten statuses served: {seen:?}");
    // /api/v1 prefix
    let p = &seeded.protections[0];
    let url = format!(
        "{}/api/v1/accounts/{}/projects/{}/aws/cloud-assemblies/{}/protections/status?protection_id={}",
        emu.url(),
        p.account_id,
        p.project_id,
        p.cloud_assembly_id,
        p.protection_id
    );
    let r = into_resp(client().get(url).bearer_auth(TOKEN).send().await.unwrap()).await;
    assert_eq!(r.json, json!({"status": p.status}));
}

#[tokio::test]
async fn every_documented_error_status() {
    let emu = start().await;
    let p = emu.seeded().cloud_rewind.protections[0].clone();
    let (a, pr, c) = (
        p.account_id.to_string(),
        p.project_id.clone(),
        p.cloud_assembly_id.to_string(),
    );
    assert_cr_error(
        &cr(&emu, &a, &pr, &c, Some(&p.protection_id), None).await,
        401,
        "UNAUTHORIZED",
    );
    assert_cr_error(
        &cr(&emu, &a, &pr, &c, Some(&p.protection_id), Some("nope")).await,
        401,
        "UNAUTHORIZED",
    );
    let r = cr(
        &emu,
        &a,
        &pr,
        &c,
        Some(&p.protection_id),
        Some(cloudjobs_emulator::DEFAULT_FORBIDDEN_TOKEN),
    )
    .await;
    assert_cr_error(&r, 403, "FORBIDDEN");
    assert!(!r.json["requiredPermissions"].as_array().unwrap().is_empty());
    assert_cr_error(
        &cr(&emu, &a, &pr, &c, Some("t0:0:0:0:0"), Some(TOKEN)).await,
        404,
        "NOT_FOUND",
    );
    assert_cr_error(
        &cr(&emu, "999", &pr, &c, Some(&p.protection_id), Some(TOKEN)).await,
        404,
        "NOT_FOUND",
    );
    assert_cr_error(
        &cr(&emu, &a, "other", &c, Some(&p.protection_id), Some(TOKEN)).await,
        404,
        "NOT_FOUND",
    );
    let r = cr(&emu, "abc", &pr, &c, Some(&p.protection_id), Some(TOKEN)).await;
    assert_cr_error(&r, 412, "PRECONDITION_FAILED");
    assert!(r.json["fieldErrors"]["accountId"].is_string());
    let r = cr(&emu, &a, &pr, "1.5", Some(&p.protection_id), Some(TOKEN)).await;
    assert!(r.json["fieldErrors"]["cloudAssemblyId"].is_string());
    let r = cr(&emu, &a, &pr, &c, None, Some(TOKEN)).await;
    assert_cr_error(&r, 412, "PRECONDITION_FAILED");
    assert!(r.json["fieldErrors"]["protection_id"].is_string());
    let seeded = emu.seeded().cloud_rewind;
    let l = seeded.locked.unwrap();
    assert_cr_error(
        &cr(
            &emu,
            &l.account_id.to_string(),
            &l.project_id,
            &l.cloud_assembly_id.to_string(),
            Some(&l.protection_id),
            Some(TOKEN),
        )
        .await,
        409,
        "CONFLICT",
    );
    let d = seeded.assembly_disabled.unwrap();
    assert_cr_error(
        &cr(
            &emu,
            &d.account_id.to_string(),
            &d.project_id,
            &d.cloud_assembly_id.to_string(),
            Some(&d.protection_id),
            Some(TOKEN),
        )
        .await,
        412,
        "PRECONDITION_FAILED",
    );
    for (status, code) in [
        (500, "INTERNAL_SERVER_ERROR"),
        (409, "CONFLICT"),
        (429, "TOO_MANY_REQUESTS"),
    ] {
        emu.inject_error(InjectedError {
            service: Service::CloudRewind,
            status,
            code: None,
            message: None,
            count: 1,
        });
        assert_cr_error(
            &cr(&emu, &a, &pr, &c, Some(&p.protection_id), Some(TOKEN)).await,
            status,
            code,
        );
    }
    assert_eq!(
        cr(&emu, &a, &pr, &c, Some(&p.protection_id), Some(TOKEN))
            .await
            .status,
        200
    );
    let _ = Value::Null;
}
