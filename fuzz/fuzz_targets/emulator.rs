//! The emulator's request handling, in process through its router: every route, signed or
//! bearer-authenticated so inputs reach the handlers, with fuzzed targets, paths, queries
//! and bodies. No input may panic a handler or get a 5xx (no faults are configured) unless it is
//! a deliberate error in the service's shape, and every answer with a body is JSON.
//!
//! Input: byte 0 picks the route, byte 1 the authentication; then one line (an awsJson
//! target, a SpaceONE verb, a Cloud Rewind query, or a raw path), then the body.
#![no_main]

use axum::body::Body;
use cloudjobs_emulator::{DEFAULT_ACCESS_KEY, DEFAULT_BEARER_TOKEN, DEFAULT_SECRET_KEY, Emulator};
use cloudjobs_fuzz::sigv4_authorization;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use tower_service::Service;

struct World {
    emulator: Emulator,
    router: axum::Router,
    runtime: tokio::runtime::Runtime,
    /// Cloud Rewind path of a seeded protection.
    protection_path: String,
}

fn world() -> &'static World {
    static WORLD: OnceLock<World> = OnceLock::new();
    WORLD.get_or_init(|| {
        let emulator = Emulator::builder()
            .jobs_per_service(6)
            .build()
            .expect("emulator");
        let p = emulator.seeded().cloud_rewind.protections[0].clone();
        let protection_path = format!(
            "/accounts/{}/projects/{}/aws/cloud-assemblies/{}/protections/status",
            p.account_id, p.project_id, p.cloud_assembly_id
        );
        World {
            router: emulator.router(),
            emulator,
            runtime: tokio::runtime::Builder::new_current_thread()
                .enable_time()
                .build()
                .expect("runtime"),
            protection_path,
        }
    })
}

const AWS_TARGETS: &[&str] = &[
    "AWSPartnerCentralSelling.ListResourceSnapshotJobs",
    "AmazonSSM.DescribeMaintenanceWindowExecutionTasks",
];

fuzz_target!(|data: &[u8]| {
    let [route, auth, rest @ ..] = data else {
        return;
    };
    let (line, body) = match rest.iter().position(|b| *b == b'\n') {
        Some(i) => (&rest[..i], &rest[i + 1..]),
        None => (&[][..], rest),
    };
    let line = String::from_utf8_lossy(line);
    let w = world();
    let mut headers: Vec<(String, String)> = Vec::new();
    let (method, path, signing_name) = match route % 6 {
        // awsJson: the target from the input, or one of the served ones.
        0 | 1 => {
            let target = if route % 6 == 0 {
                AWS_TARGETS[usize::from(*auth >> 4) % AWS_TARGETS.len()].to_string()
            } else {
                line.to_string()
            };
            let ct = if target.starts_with("AmazonSSM.") {
                "application/x-amz-json-1.1"
            } else {
                "application/x-amz-json-1.0"
            };
            headers.push(("content-type".into(), ct.into()));
            headers.push(("x-amz-target".into(), target));
            let name = if line.starts_with("AmazonSSM.") || auth & 0x10 != 0 {
                "ssm"
            } else {
                "partnercentral-selling"
            };
            ("POST", "/".to_string(), Some(name))
        }
        2 => {
            headers.push(("content-type".into(), "application/json".into()));
            ("POST", "/jobs/list".to_string(), Some("macie2"))
        }
        3 => {
            let verb = ["list", "get", "stat", "delete"][usize::from(*auth >> 4) % 4];
            let verb = if auth & 0x08 != 0 {
                line.as_ref()
            } else {
                verb
            };
            headers.push(("content-type".into(), "application/json".into()));
            ("POST", format!("/identity/v2/job/{verb}"), None)
        }
        4 => {
            let path = if line.is_empty() {
                w.protection_path.clone()
            } else {
                format!("{}?{line}", w.protection_path)
            };
            ("GET", path, None)
        }
        _ => {
            // A raw path, but not the admin API (it may change faults, e.g. add latency).
            if line.starts_with("/_emulator") || !line.starts_with('/') {
                return;
            }
            (
                if auth & 1 == 0 { "GET" } else { "POST" },
                line.to_string(),
                None,
            )
        }
    };
    let host = "emulator.test";
    match (signing_name, auth & 3) {
        (Some(name), 0..=2) => {
            let amz_date = amz_now();
            headers.push(("host".into(), host.into()));
            headers.push(("x-amz-date".into(), amz_date.clone()));
            headers.sort();
            // Sign as one service, or (auth & 3 == 2) as the other for a scope mismatch.
            let name = if auth & 3 == 2 { "macie2" } else { name };
            let authorization = sigv4_authorization(
                DEFAULT_ACCESS_KEY,
                DEFAULT_SECRET_KEY,
                name,
                &path,
                &headers,
                &amz_date,
                body,
            );
            headers.push(("authorization".into(), authorization));
        }
        (None, 0 | 1) => headers.push((
            "authorization".into(),
            format!("Bearer {DEFAULT_BEARER_TOKEN}"),
        )),
        (None, 2) => headers.push(("authorization".into(), "Bearer nope".into())),
        _ => {}
    }
    let mut req = http::Request::builder().method(method).uri(path.as_str());
    for (k, v) in &headers {
        if k != "host" {
            req = req.header(k.as_str(), v.as_str());
        }
    }
    let Ok(req) = req.header("host", host).body(Body::from(body.to_vec())) else {
        return; // not a valid URI or header value: hyper would refuse it before the router
    };
    let deleted = path.ends_with("/delete");
    let mut router = w.router.clone();
    w.runtime.block_on(async move {
        let resp = router.call(req).await.expect("infallible");
        let status = resp.status();
        let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX)
            .await
            .expect("response body");
        let body: Option<serde_json::Value> = (!bytes.is_empty()).then(|| {
            serde_json::from_slice(&bytes).unwrap_or_else(|e| {
                panic!(
                    "{status}: not JSON ({e}): {}",
                    String::from_utf8_lossy(&bytes)
                )
            })
        });
        // A 5xx is only ever a deliberate answer in the service's error shape (SpaceONE
        // answers unparsable JSON with ERROR_UNKNOWN, as the real service does), never a
        // bare failure.
        if status.is_server_error() {
            let code = body.as_ref().and_then(|b| {
                b.pointer("/detail/code")
                    .or_else(|| b.pointer("/errors/0/code"))
                    .or_else(|| b.get("__type"))
                    .or_else(|| b.get("code"))
            });
            assert!(
                code.is_some(),
                "{status} for {method} {path}: {}",
                String::from_utf8_lossy(&bytes)
            );
        }
    });
    // A SpaceONE delete may have removed a job: start the next input from the seed's data.
    if deleted {
        w.emulator.reset();
    }
});

fn amz_now() -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    cloudjobs_runtime::DateTime::from_secs(now)
        .to_rfc3339()
        .replace(['-', ':'], "")
}
