//! Clock-skew correction against a server whose clock is two hours ahead of ours: it refuses
//! signatures more than five minutes away from its time with `RequestTimeTooSkewed` and its
//! own `Date`, as AWS does; the client re-signs with the server's time, once, and keeps the
//! offset for later calls.

mod common;

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use common::*;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpListener;

/// What the server saw: the `x-amz-date` of each request and whether it accepted it.
type Seen = Arc<Mutex<Vec<(String, bool)>>>;

fn http_date(t: SystemTime) -> String {
    cloudjobs::DateTime::from(t).to_http_date()
}

fn amz_date(value: &str) -> Option<SystemTime> {
    let fmt = time::macros::format_description!("[year][month][day]T[hour][minute][second]Z");
    let t = time::PrimitiveDateTime::parse(value, fmt)
        .ok()?
        .assume_utc();
    Some(SystemTime::UNIX_EPOCH + Duration::from_secs(t.unix_timestamp() as u64))
}

/// An awsJson 1.1 server whose clock is `ahead` of the real one.
async fn skewed_server(ahead: Duration) -> (String, Seen) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen: Seen = Arc::default();
    let log = seen.clone();
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            let log = log.clone();
            tokio::spawn(async move {
                let Some(req) = read_request(&mut sock).await else {
                    return;
                };
                let server_now = SystemTime::now() + ahead;
                let sent = req.header("x-amz-date").unwrap_or("").to_owned();
                let ok = amz_date(&sent).is_some_and(|t| {
                    let diff = server_now
                        .duration_since(t)
                        .unwrap_or_else(|e| e.duration());
                    diff < Duration::from_secs(300)
                });
                log.lock().unwrap().push((sent.clone(), ok));
                let (status, body) = if ok {
                    (200, r#"{"WindowExecutionTaskIdentities":[]}"#.to_owned())
                } else {
                    (
                        400,
                        format!(
                            r#"{{"__type":"RequestTimeTooSkewed","message":"The difference between the request time and the current time is too large: {sent}"}}"#
                        ),
                    )
                };
                let out = format!(
                    "HTTP/1.1 {status} X\r\nDate: {}\r\nContent-Type: application/x-amz-json-1.1\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    http_date(server_now),
                    body.len()
                );
                let _ = sock.write_all(out.as_bytes()).await;
                let _ = sock.shutdown().await;
            });
        }
    });
    (url, seen)
}

async fn list(client: &cloudjobs::ssm_mw::Client) -> bool {
    client
        .describe_maintenance_window_execution_tasks()
        .window_execution_id("a06e9f91-3b9c-4c3e-8bd4-246cc0000000")
        .send()
        .await
        .is_ok()
}

#[tokio::test]
async fn a_skewed_clock_is_corrected_from_date_and_kept() {
    let (url, seen) = skewed_server(Duration::from_secs(2 * 3600)).await;
    // No retries configured: the skew correction is its own single resend.
    let client = cloudjobs::ssm_mw::Client::new(aws_config(&url));
    assert!(list(&client).await, "{:?}", seen.lock().unwrap());
    {
        let seen = seen.lock().unwrap();
        assert_eq!(seen.len(), 2, "{seen:?}");
        assert!(!seen[0].1 && seen[1].1, "{seen:?}");
    }
    // The next call is signed with the learnt offset at once.
    assert!(list(&client).await);
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 3, "{seen:?}");
    assert!(seen[2].1, "{seen:?}");
}

#[tokio::test]
async fn the_correction_is_tried_once() {
    // A server whose clock moves on by hours between requests: the one resend fails too, and
    // the error reaches the caller after two requests, not a loop.
    let (url, seen) = skewed_server(Duration::from_secs(2 * 3600)).await;
    let config = aws_config(&url)
        .to_builder()
        // A client clock that runs backwards by 3 h per reading cannot catch up.
        .time_source({
            let calls = Arc::new(Mutex::new(0u64));
            move || {
                let mut n = calls.lock().unwrap();
                *n += 1;
                SystemTime::now() - Duration::from_secs(3 * 3600 * *n)
            }
        })
        .build();
    let client = cloudjobs::ssm_mw::Client::new(config);
    let err = client
        .describe_maintenance_window_execution_tasks()
        .window_execution_id("a06e9f91-3b9c-4c3e-8bd4-246cc0000000")
        .send()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("RequestTimeTooSkewed"), "{err}");
    assert_eq!(seen.lock().unwrap().len(), 2);
}
