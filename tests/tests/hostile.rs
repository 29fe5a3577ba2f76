//! Hostile and broken servers: a hand-rolled TCP server writes exactly the bytes of each case
//! (truncated JSON, wrong types, deep nesting, huge strings and bodies, endless and trickled
//! bodies, HTML pages, errors in disguise, lying headers, bad status lines, resets). Every
//! case ends in a typed error with the status and a bounded excerpt, within the timeouts,
//! with bounded memory, and never a panic.
//!
//! Peak memory of the 200 MB cases (see CONTRIBUTING):
//!
//! ```text
//! /usr/bin/time -v target/debug/deps/hostile-<hash> two_hundred_mb --test-threads=1
//! ```

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use cloudjobs::ssm_mw::operation::describe_maintenance_window_execution_tasks::{
    DescribeMaintenanceWindowExecutionTasksError as SsmError,
    DescribeMaintenanceWindowExecutionTasksOutput as SsmOutput,
};
use cloudjobs_runtime::error::BODY_EXCERPT_LIMIT;
use cloudjobs_runtime::{Error, RetryConfig, TimeoutConfig, TimeoutKind};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

type Script = Arc<dyn Fn(TcpStream) -> Pin<Box<dyn Future<Output = ()> + Send>> + Send + Sync>;

/// A server on 127.0.0.1 that reads each request and hands the connection to `script`.
struct Hostile {
    url: String,
    requests: Arc<AtomicUsize>,
}

impl Hostile {
    async fn start<F, Fut>(script: F) -> Hostile
    where
        F: Fn(TcpStream) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = ()> + Send + 'static,
    {
        let script: Script = Arc::new(move |s| Box::pin(script(s)));
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let requests = Arc::new(AtomicUsize::new(0));
        let counter = requests.clone();
        tokio::spawn(async move {
            while let Ok((mut sock, _)) = listener.accept().await {
                let script = script.clone();
                let counter = counter.clone();
                tokio::spawn(async move {
                    if read_request(&mut sock).await {
                        counter.fetch_add(1, Ordering::SeqCst);
                        script(sock).await;
                    }
                });
            }
        });
        Hostile { url, requests }
    }

    /// Answers every request with `head` (status line and headers, without the blank line)
    /// and `body`, then closes.
    async fn respond(head: impl Into<String>, body: Vec<u8>) -> Hostile {
        let body = Arc::new(body);
        let head: Arc<str> = head.into().into();
        Hostile::start(move |mut sock| {
            let body = body.clone();
            let head = head.clone();
            async move {
                let head = format!("{head}\r\nconnection: close\r\n\r\n");
                let _ = sock.write_all(head.as_bytes()).await;
                let _ = sock.write_all(&body).await;
                let _ = sock.shutdown().await;
            }
        })
        .await
    }

    fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }
}

/// Reads one request head and its `Content-Length` body; `false` if the peer went away.
async fn read_request(sock: &mut TcpStream) -> bool {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        match sock.read(&mut chunk).await {
            Ok(0) | Err(_) => return false,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_ascii_lowercase();
    let len: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    while buf.len() < head_end + len {
        match sock.read(&mut chunk).await {
            Ok(0) | Err(_) => return false,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
    true
}

fn json_head(status: u16, len: usize) -> String {
    format!(
        "HTTP/1.1 {status} X\r\ncontent-type: application/x-amz-json-1.1\r\ncontent-length: {len}"
    )
}

const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(2);
const OPERATION_TIMEOUT: Duration = Duration::from_secs(6);

fn ssm(server: &Hostile, attempts: u32) -> cloudjobs::ssm_mw::Client {
    let config = cloudjobs::Config::builder()
        .endpoint_url(&server.url)
        .region("us-east-1")
        .credentials(cloudjobs::runtime::Credentials::new(
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            None,
            None,
            "test",
        ))
        .retry_config(
            RetryConfig::standard()
                .with_max_attempts(attempts)
                .with_initial_backoff(Duration::from_millis(5)),
        )
        .timeout_config(
            TimeoutConfig::default()
                .with_attempt_timeout(ATTEMPT_TIMEOUT)
                .with_operation_timeout(OPERATION_TIMEOUT),
        )
        .build();
    cloudjobs::ssm_mw::Client::new(config)
}

/// Sends one SSM call and checks the invariants every hostile case shares: an error, in
/// time, whose `Display` is bounded.
async fn call(server: &Hostile, attempts: u32) -> Error<SsmError> {
    let started = Instant::now();
    let result: Result<SsmOutput, _> = ssm(server, attempts)
        .describe_maintenance_window_execution_tasks()
        .window_execution_id("00000000-0000-4000-8000-000000000000")
        .send()
        .await;
    let took = started.elapsed();
    let err = result.expect_err("a hostile answer is an error");
    assert!(
        took < OPERATION_TIMEOUT + Duration::from_secs(1),
        "{took:?}: {err}"
    );
    let text = err.to_string();
    assert!(
        text.len() < 4 * 1024,
        "bounded message: {} bytes",
        text.len()
    );
    let debug = format!("{err:?}");
    assert!(
        debug.len() < 16 * 1024,
        "bounded Debug: {} bytes",
        debug.len()
    );
    err
}

/// The `ResponseError` of an undecodable or refused answer.
fn response_error(err: &Error<SsmError>) -> &cloudjobs_runtime::ResponseError {
    match err {
        Error::Response(r) => r,
        other => panic!("expected a response error, got {other}"),
    }
}

#[tokio::test]
async fn truncated_json_is_a_response_error_with_an_excerpt() {
    let body = br#"{"WindowExecutionTaskIdentities":[{"TaskExecutionId":"t-1","Sta"#.to_vec();
    let server = Hostile::respond(json_head(200, body.len()), body).await;
    let err = call(&server, 3).await;
    let r = response_error(&err);
    assert_eq!(r.status(), 200);
    assert!(
        r.body_excerpt()
            .starts_with(r#"{"WindowExecutionTaskIdentities""#)
    );
    assert_eq!(err.attempts(), 1, "an undecodable 2xx is not retried");
    assert_eq!(server.requests(), 1);
}

#[tokio::test]
async fn wrong_types_are_a_response_error_naming_the_problem() {
    let body = br#"{"WindowExecutionTaskIdentities":"not a list","NextToken":7}"#.to_vec();
    let server = Hostile::respond(json_head(200, body.len()), body).await;
    let err = call(&server, 3).await;
    let r = response_error(&err);
    assert_eq!(r.status(), 200);
    assert!(err.to_string().contains("invalid type"), "{err}");
}

#[tokio::test]
async fn deep_nesting_is_refused_without_overflowing_the_stack() {
    let depth = 100_000;
    let mut body = br#"{"WindowExecutionTaskIdentities":"#.to_vec();
    body.extend(std::iter::repeat_n(b'[', depth));
    body.extend(std::iter::repeat_n(b']', depth));
    body.push(b'}');
    let server = Hostile::respond(json_head(200, body.len()), body).await;
    let err = call(&server, 1).await;
    assert_eq!(response_error(&err).status(), 200);
    assert!(response_error(&err).body_excerpt().len() <= BODY_EXCERPT_LIMIT + 3);

    // The same nesting in an error body.
    let mut body = br#"{"__type":"#.to_vec();
    body.extend(std::iter::repeat_n(b'[', depth));
    let server = Hostile::respond(json_head(400, body.len()), body).await;
    let err = call(&server, 1).await;
    assert_eq!(err.status(), Some(400));
}

#[tokio::test]
async fn a_huge_error_message_is_cut_in_the_error() {
    let message = "x".repeat(4 * 1024 * 1024);
    let body = format!(r#"{{"__type":"ValidationException","message":"{message}"}}"#).into_bytes();
    let server = Hostile::respond(json_head(400, body.len()), body).await;
    let err = call(&server, 3).await;
    assert_eq!(err.status(), Some(400));
    assert_eq!(err.code(), Some("ValidationException"));
    assert!(err.message().unwrap().len() <= cloudjobs_runtime::error::MESSAGE_LIMIT + 3);
    assert_eq!(err.attempts(), 1);
}

#[tokio::test]
async fn two_hundred_mb_with_content_length_is_refused_before_reading() {
    let len: usize = 200 * 1024 * 1024;
    // Announce 200 MB, send them lazily: the client must not read them.
    let server = Hostile::start(move |mut sock| async move {
        let head = format!("{}\r\n\r\n", json_head(200, len));
        let _ = sock.write_all(head.as_bytes()).await;
        let block = vec![b' '; 64 * 1024];
        let mut sent = 0;
        while sent < len {
            if sock.write_all(&block).await.is_err() {
                return;
            }
            sent += block.len();
        }
    })
    .await;
    let err = call(&server, 3).await;
    let r = response_error(&err);
    assert_eq!(r.status(), 200);
    let too_large = r.is_too_large().expect("refused for its size");
    assert_eq!(too_large.declared, Some(len as u64));
    assert_eq!(
        too_large.limit,
        cloudjobs::Config::DEFAULT_MAX_RESPONSE_BYTES
    );
    assert!(err.to_string().contains("over the limit"), "{err}");
    assert_eq!(err.attempts(), 1, "not retried");
}

#[tokio::test]
async fn two_hundred_mb_chunked_is_refused_once_past_the_limit() {
    let total: usize = 200 * 1024 * 1024;
    let server = Hostile::start(move |mut sock| async move {
        let head = "HTTP/1.1 200 OK\r\ncontent-type: application/x-amz-json-1.1\r\ntransfer-encoding: chunked\r\n\r\n";
        let _ = sock.write_all(head.as_bytes()).await;
        let mut chunk = format!("{:x}\r\n", 64 * 1024).into_bytes();
        chunk.extend(std::iter::repeat_n(b'a', 64 * 1024));
        chunk.extend_from_slice(b"\r\n");
        let mut sent = 0;
        while sent < total {
            if sock.write_all(&chunk).await.is_err() {
                return;
            }
            sent += 64 * 1024;
        }
        let _ = sock.write_all(b"0\r\n\r\n").await;
    })
    .await;
    let err = call(&server, 3).await;
    let r = response_error(&err);
    let too_large = r.is_too_large().expect("refused for its size");
    assert_eq!(too_large.declared, None);
    assert!(r.body_excerpt().starts_with("aaaa"));
}

#[tokio::test]
async fn an_endless_chunked_body_is_refused_at_the_configured_limit() {
    let server = Hostile::start(|mut sock| async move {
        let head = "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n";
        let _ = sock.write_all(head.as_bytes()).await;
        let chunk = b"400\r\n"
            .iter()
            .copied()
            .chain(std::iter::repeat_n(b'{', 1024))
            .chain(*b"\r\n")
            .collect::<Vec<_>>();
        while sock.write_all(&chunk).await.is_ok() {}
    })
    .await;
    let client = ssm(&server, 3);
    let config = client
        .handle()
        .config()
        .to_builder()
        .max_response_bytes(64 * 1024)
        .build();
    let err = cloudjobs::ssm_mw::Client::new(config)
        .describe_maintenance_window_execution_tasks()
        .window_execution_id("00000000-0000-4000-8000-000000000000")
        .send()
        .await
        .unwrap_err();
    let r = response_error(&err);
    assert_eq!(r.is_too_large().map(|t| t.limit), Some(64 * 1024));
}

#[tokio::test]
async fn a_body_trickling_one_byte_a_second_hits_the_attempt_timeout() {
    let server = Hostile::start(|mut sock| async move {
        let _ = sock
            .write_all(format!("{}\r\n\r\n", json_head(200, 1000)).as_bytes())
            .await;
        for _ in 0..1000 {
            if sock.write_all(b" ").await.is_err() {
                return;
            }
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    })
    .await;
    let started = Instant::now();
    let err = call(&server, 2).await;
    let Error::Timeout(t) = &err else {
        panic!("expected a timeout, got {err}")
    };
    assert_eq!(t.kind(), TimeoutKind::Attempt);
    assert_eq!(err.attempts(), 2, "attempt timeouts are retried");
    assert!(started.elapsed() >= ATTEMPT_TIMEOUT * 2);
}

#[tokio::test]
async fn an_html_error_page_is_an_unhandled_error_with_an_excerpt() {
    let page = format!(
        "<html><head><title>502 Bad Gateway</title></head><body>{}</body></html>",
        "<p>upstream unavailable</p>".repeat(2000)
    );
    let head = format!(
        "HTTP/1.1 502 Bad Gateway\r\ncontent-type: text/html\r\ncontent-length: {}",
        page.len()
    );
    let server = Hostile::respond(head, page.into_bytes()).await;
    let err = call(&server, 2).await;
    assert_eq!(err.status(), Some(502));
    assert_eq!(err.attempts(), 2, "5xx is retried");
    let service = err.as_service_error().expect("a service error");
    assert!(service.is_unhandled());
    let message = err.message().unwrap();
    assert!(message.starts_with("<html>"), "{message}");
    assert!(message.len() <= BODY_EXCERPT_LIMIT + 3);
}

#[tokio::test]
async fn a_200_with_an_error_body_is_the_error_it_names() {
    let body =
        br#"{"__type":"com.amazonaws.ssm#InternalServerError","Message":"it broke"}"#.to_vec();
    let server = Hostile::respond(json_head(200, body.len()), body).await;
    let err = call(&server, 1).await;
    assert_eq!(err.status(), Some(200));
    assert!(
        err.as_service_error().unwrap().is_internal_server_error(),
        "{err}"
    );

    // A throttling error in disguise is retried like any throttling error.
    let body = br#"{"__type":"ThrottlingException","message":"Rate exceeded"}"#.to_vec();
    let server = Hostile::respond(json_head(200, body.len()), body).await;
    let err = call(&server, 3).await;
    assert_eq!(err.code(), Some("ThrottlingException"));
    assert_eq!(err.attempts(), 3);
}

#[tokio::test]
async fn a_wrong_content_type_with_html_is_a_response_error() {
    let page = "<!DOCTYPE html><html><body>Sign in</body></html>";
    let head = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: text/html; charset=utf-8\r\ncontent-length: {}",
        page.len()
    );
    let server = Hostile::respond(head, page.as_bytes().to_vec()).await;
    let err = call(&server, 3).await;
    let r = response_error(&err);
    assert_eq!(r.status(), 200);
    assert_eq!(r.body_excerpt(), page);
}

#[tokio::test]
async fn a_lying_content_encoding_is_a_response_error() {
    // Says gzip, is neither gzip nor JSON: decoded as it is (no Accept-Encoding is sent),
    // refused with a lossy excerpt.
    let body: Vec<u8> = vec![0x1f, 0x8b, 0x08, 0x00, 0xff, 0xfe, b'{', 0x00, 0x80, 0x81];
    let head = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/x-amz-json-1.1\r\ncontent-encoding: gzip\r\ncontent-length: {}",
        body.len()
    );
    let server = Hostile::respond(head, body).await;
    let err = call(&server, 3).await;
    let r = response_error(&err);
    assert_eq!(r.status(), 200);
    assert!(r.body_excerpt().contains('\u{fffd}'), "lossy excerpt");
}

#[tokio::test]
async fn an_unknown_error_code_is_unhandled_with_its_code() {
    let body = br#"{"__type":"BrandNewException","message":"something new"}"#.to_vec();
    let server = Hostile::respond(json_head(409, body.len()), body).await;
    let err = call(&server, 3).await;
    assert_eq!(err.status(), Some(409));
    assert_eq!(err.code(), Some("BrandNewException"));
    assert!(err.as_service_error().unwrap().is_unhandled());
    assert_eq!(err.attempts(), 1);
    assert!(err.to_string().contains("something new"), "{err}");
}

#[tokio::test]
async fn a_bad_status_line_is_retried_then_a_dispatch_error() {
    let server = Hostile::respond(
        "HTTP/1.1 two hundred OK\r\ncontent-length: 2",
        b"{}".to_vec(),
    )
    .await;
    let err = call(&server, 3).await;
    assert!(matches!(err, Error::Dispatch(_)), "{err}");
    assert_eq!(err.attempts(), 3, "malformed responses are retried");
    assert_eq!(server.requests(), 3);
}

#[tokio::test]
async fn a_reset_is_retried_then_a_dispatch_error() {
    let server = Hostile::start(|sock| async move {
        // SO_LINGER 0: closing sends RST instead of FIN.
        // Linger 0 makes close send RST at once; nothing is left unsent, so the drop does
        // not block (the reason `set_linger` is deprecated).
        #[allow(deprecated)]
        let _ = sock.set_linger(Some(Duration::ZERO));
        drop(sock);
    })
    .await;
    let err = call(&server, 3).await;
    assert!(matches!(err, Error::Dispatch(_)), "{err}");
    assert_eq!(err.attempts(), 3);
    assert_eq!(server.requests(), 3);

    // A reset mid-body (fewer bytes than Content-Length) is retried too.
    let server = Hostile::start(|mut sock| async move {
        let _ = sock
            .write_all(format!("{}\r\n\r\n{{\"Win", json_head(200, 500)).as_bytes())
            .await;
        // Linger 0 makes close send RST at once; nothing is left unsent, so the drop does
        // not block (the reason `set_linger` is deprecated).
        #[allow(deprecated)]
        let _ = sock.set_linger(Some(Duration::ZERO));
        drop(sock);
    })
    .await;
    let err = call(&server, 2).await;
    assert!(matches!(err, Error::Dispatch(_)), "{err}");
    assert_eq!(server.requests(), 2);
}
