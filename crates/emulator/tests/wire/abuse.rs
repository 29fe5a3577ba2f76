//! Slow, stalled and stale clients: the read timeouts close what a client leaves half-sent,
//! and a SigV4 date more than 15 minutes off is refused as AWS refuses it.

use crate::common::*;
use serde_json::json;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Upper bound on how long a test waits for the server to act (a hang guard, not a speed
/// target: the timeouts under test are far shorter).
const GUARD: Duration = Duration::from_secs(20);

/// Reads until the server closes the connection; returns what it sent.
async fn read_to_close(stream: &mut TcpStream) -> String {
    let mut out = Vec::new();
    let read = tokio::time::timeout(GUARD, async {
        let mut buf = [0u8; 4096];
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => out.extend_from_slice(&buf[..n]),
            }
        }
    })
    .await;
    assert!(read.is_ok(), "the server kept the connection open");
    String::from_utf8_lossy(&out).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn half_sent_heads_are_closed_after_the_header_read_timeout() {
    let emu = start_with(|b| b.header_read_timeout(Duration::from_millis(300))).await;
    // 200 clients that send part of a request head and then nothing.
    let mut idle = Vec::new();
    for i in 0..200 {
        let mut s = TcpStream::connect(emu.addr()).await.unwrap();
        let partial = if i % 2 == 0 {
            "POST /jobs/list HTTP/1.1\r\nHost: x\r\n".to_string()
        } else {
            "POS".to_string()
        };
        s.write_all(partial.as_bytes()).await.unwrap();
        idle.push(s);
    }
    // Plus one that connects and sends nothing at all.
    idle.push(TcpStream::connect(emu.addr()).await.unwrap());
    for mut s in idle {
        let answer = read_to_close(&mut s).await;
        assert!(
            answer.is_empty() || answer.starts_with("HTTP/1.1 408"),
            "{answer}"
        );
    }
    // The server still answers complete requests.
    let r = sp(&emu, "list", &json!({})).await;
    assert_eq!(r.status, 200, "{}", r.text);
}

#[tokio::test]
async fn idle_keep_alive_connections_are_closed_too() {
    let emu = start_with(|b| b.header_read_timeout(Duration::from_millis(300))).await;
    let mut s = TcpStream::connect(emu.addr()).await.unwrap();
    let body = "{}";
    let req = format!(
        "POST /identity/v2/job/list HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {TOKEN}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    s.write_all(req.as_bytes()).await.unwrap();
    // One full answer, then the connection is closed for idleness.
    let answer = read_to_close(&mut s).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}

#[tokio::test]
async fn a_stalled_body_is_answered_with_the_service_error_and_closed() {
    let emu = start_with(|b| b.body_read_timeout(Duration::from_millis(300))).await;
    // Each service's answer to a body it could not read.
    let cases = [
        ("/jobs/list", "HTTP/1.1 400", "ValidationException"),
        ("/identity/v2/job/list", "HTTP/1.1 500", "ERROR_UNKNOWN"),
    ];
    for (path, status, code) in cases {
        let mut s = TcpStream::connect(emu.addr()).await.unwrap();
        let head = format!(
            "POST {path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {TOKEN}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{{\"a\":"
        );
        s.write_all(head.as_bytes()).await.unwrap();
        let answer = read_to_close(&mut s).await;
        assert!(answer.starts_with(status), "{path}: {answer}");
        assert!(answer.contains(code), "{path}: {answer}");
        assert!(
            answer.contains("Request body could not be read"),
            "{path}: {answer}"
        );
    }
}

#[tokio::test]
async fn a_body_trickled_past_the_deadline_is_cut() {
    let emu = start_with(|b| b.body_read_timeout(Duration::from_millis(500))).await;
    let mut s = TcpStream::connect(emu.addr()).await.unwrap();
    s.write_all(
        format!("POST /identity/v2/job/list HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {TOKEN}\r\nContent-Length: 1000\r\n\r\n")
            .as_bytes(),
    )
    .await
    .unwrap();
    // One byte every 100 ms: each read makes progress, the deadline still passes.
    let trickle = async {
        for _ in 0..1000 {
            if s.write_all(b" ").await.is_err() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    };
    let cut = tokio::time::timeout(GUARD, trickle).await;
    assert!(cut.is_ok(), "the server kept reading a trickled body");
}

#[tokio::test]
async fn sigv4_dates_more_than_15_minutes_off_are_refused() {
    let emu = start().await;
    let body = br#"{"Catalog":"AWS"}"#.to_vec();
    for (minutes, expected) in [
        (-16, Some("Signature expired: ")),
        (16, Some("Signature not yet current: ")),
        (-14, None),
        (14, None),
    ] {
        for op in [Aws::Pcs, Aws::Macie, Aws::Ssm] {
            // Inside the window the signature passes; the answer may still be a 400 for the
            // body (SSM's required fields), never the 403 of a refused signature.
            let body = if op == Aws::Pcs {
                body.clone()
            } else {
                b"{}".to_vec()
            };
            let signing = Signing {
                clock_skew: time::Duration::minutes(minutes),
                ..Signing::default()
            };
            let r = aws_raw(&emu, op, body, &signing).await;
            match expected {
                Some(prefix) => {
                    assert_eq!(r.status, 403, "{op:?} {minutes}: {}", r.text);
                    assert_eq!(r.aws_code(), "InvalidSignatureException", "{op:?}");
                    let message = r.json["message"]
                        .as_str()
                        .or(r.json["Message"].as_str())
                        .unwrap_or_default();
                    assert!(message.starts_with(prefix), "{op:?}: {}", r.text);
                    assert!(message.contains("15 min."), "{op:?}: {}", r.text);
                }
                None => assert_ne!(r.status, 403, "{op:?} {minutes}: {}", r.text),
            }
        }
    }
}

#[tokio::test]
async fn paths_that_are_not_utf8_get_the_service_error_shape() {
    let emu = start().await;
    let r = sp_raw(&emu, "/identity/v2/job/%FF", b"{}".to_vec(), Some(TOKEN)).await;
    assert_eq!(r.status, 404, "{}", r.text);
    assert_eq!(r.sp_code(), "ERROR_UNSUPPORTED_API", "{}", r.text);
    let r = client()
        .get(format!(
            "{}/accounts/%FF/projects/p/aws/cloud-assemblies/1/protections/status?protection_id=x",
            emu.url()
        ))
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap();
    let r = into_resp(r).await;
    assert_eq!(r.status, 404, "{}", r.text);
    assert_eq!(r.json["errors"][0]["code"], "NOT_FOUND", "{}", r.text);
}
