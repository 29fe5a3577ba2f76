//! A custom `HttpTransport` set on the config: what it is given, and how the runtime treats
//! its answers and errors (connect errors always retried, other failures as the retry config
//! says, refused requests and oversized responses never).

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use cloudjobs_runtime::transport::{HttpTransport, SendFuture, SendOptions, TransportError};
use cloudjobs_runtime::{Config, Error, Handle, HttpResponse, RetryConfig, TimeoutConfig};

use crate::support::*;

type Outcome = Result<HttpResponse, TransportError>;
/// A request the transport was given, with the size limit it was told.
type Sent = (http::Request<Bytes>, u64);

/// Answers from a script and keeps what it was sent.
#[derive(Debug, Clone, Default)]
struct Scripted {
    script: Arc<Mutex<VecDeque<Outcome>>>,
    seen: Arc<Mutex<Vec<Sent>>>,
}

impl Scripted {
    fn new(script: Vec<Outcome>) -> Self {
        Scripted {
            script: Arc::new(Mutex::new(script.into())),
            seen: Arc::default(),
        }
    }

    fn calls(&self) -> usize {
        self.seen.lock().unwrap().len()
    }
}

impl HttpTransport for Scripted {
    fn send(&self, request: http::Request<Bytes>, options: &SendOptions) -> SendFuture<'_> {
        self.seen
            .lock()
            .unwrap()
            .push((request, options.max_response_bytes));
        let next = self
            .script
            .lock()
            .unwrap()
            .pop_front()
            .unwrap_or_else(|| Err(TransportError::request("script ended")));
        Box::pin(async move { next })
    }
}

fn ok() -> Outcome {
    let mut headers = http::HeaderMap::new();
    headers.insert("x-request-id", "rid-7".parse().unwrap());
    Ok(HttpResponse {
        status: 200,
        headers,
        body: Bytes::from_static(br#"{"ok":true}"#),
    })
}

fn connect() -> Outcome {
    Err(TransportError::Connect {
        timed_out: false,
        source: "refused".into(),
    })
}

fn io() -> Outcome {
    Err(TransportError::Io("connection reset".into()))
}

fn handle(transport: &Scripted) -> Handle {
    let config = Config::builder()
        .endpoint_url("http://127.0.0.1:9")
        .bearer_token("test-token")
        .max_response_bytes(4096)
        .timeout_config(TimeoutConfig::disabled())
        // Other transport failures retried for idempotent operations only (not the default).
        .retry_config(RetryConfig::standard().with_transport_retries_for_idempotent_only())
        .transport(transport.clone())
        .build();
    Handle::new(&SPACEONE, config)
}

#[tokio::test(start_paused = true)]
async fn the_transport_gets_the_signed_request_and_the_size_limit() {
    let t = Scripted::new(vec![ok()]);
    let out = handle(&t)
        .invoke_with_metadata::<SpaceoneList>(RawIn::body("{}"))
        .await
        .unwrap();
    assert_eq!(out.metadata().status(), 200);
    assert_eq!(out.metadata().request_id(), Some("rid-7"));
    assert_eq!(out.json, serde_json::json!({"ok": true}));
    let seen = t.seen.lock().unwrap();
    let (request, limit) = &seen[0];
    assert_eq!(
        request.uri().to_string(),
        "http://127.0.0.1:9/identity/v2/job/list"
    );
    assert_eq!(request.headers()["authorization"], "Bearer test-token");
    assert_eq!(*limit, 4096);
}

#[tokio::test(start_paused = true)]
async fn connect_errors_are_retried_even_for_non_idempotent_operations() {
    let t = Scripted::new(vec![connect(), ok()]);
    handle(&t)
        .invoke::<SpaceoneDelete>(RawIn::body("{}"))
        .await
        .unwrap();
    assert_eq!(t.calls(), 2);
}

#[tokio::test(start_paused = true)]
async fn other_transport_errors_are_retried_for_idempotent_operations_only() {
    let t = Scripted::new(vec![io(), ok()]);
    match handle(&t).invoke::<SpaceoneDelete>(RawIn::body("{}")).await {
        Err(Error::Dispatch(e)) => {
            assert_eq!(e.attempts(), 1);
            assert!(!e.is_connect());
            assert!(e.to_string().contains("connection reset"), "{e}");
        }
        other => panic!("expected a dispatch error, got {other:?}"),
    }
    assert_eq!(t.calls(), 1);

    let t = Scripted::new(vec![io(), ok()]);
    handle(&t)
        .invoke::<SpaceoneList>(RawIn::body("{}"))
        .await
        .unwrap();
    assert_eq!(t.calls(), 2);
}

#[tokio::test(start_paused = true)]
async fn refused_and_oversized_answers_are_not_retried() {
    let t = Scripted::new(vec![Err(TransportError::request("not recorded")), ok()]);
    let err = handle(&t)
        .invoke::<SpaceoneList>(RawIn::body("{}"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Construction(_)), "{err:?}");
    assert!(err.to_string().contains("not recorded"), "{err}");
    assert_eq!(t.calls(), 1);

    let t = Scripted::new(vec![
        Err(TransportError::TooLarge {
            status: 200,
            request_id: None,
            start: Bytes::from_static(b"{\"a\":"),
            declared: Some(10_000),
            limit: 4096,
        }),
        ok(),
    ]);
    match handle(&t).invoke::<SpaceoneList>(RawIn::body("{}")).await {
        Err(Error::Response(e)) => assert!(e.is_too_large().is_some(), "{e}"),
        other => panic!("expected a too-large response error, got {other:?}"),
    }
    assert_eq!(t.calls(), 1);
}
