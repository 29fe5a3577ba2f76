//! A crate generated from an OpenAPI document without any security scheme (xtask test
//! `emit::wire::tests`): a local server receives its requests, and none carries a credential,
//! even with every kind configured.

mod server;

use cloudjobs_runtime::Config;
use server::{Server, header_of};
use wire_e2e_open::Client;

/// What any configured credential would put in a request (`dXNl...` is basic's
/// `user-secret:pw-secret`), lowercase.
const CREDENTIALS: [&str; 10] = [
    "tok-secret",
    "user-secret",
    "pw-secret",
    "key-secret",
    "dxnlci1zzwnyzxq6chctc2vjcmv0",
    "authorization",
    "bearer",
    "basic",
    "api-key",
    "api_key",
];

fn reply(status: &str, body: &str) -> String {
    format!(
        "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    )
}

#[tokio::test]
async fn no_request_carries_a_credential() {
    let server = Server::start(vec![
        reply("200 OK", r#"{"name":"n"}"#),
        reply("204 No Content", ""),
    ])
    .await;
    let client = Client::new(
        Config::builder()
            .endpoint_url(format!("{}/v1", server.base))
            .bearer_token("tok-secret")
            .basic_auth("user-secret", "pw-secret")
            .api_key("key-secret")
            .build(),
    );
    let thing = client
        .get_thing()
        .id("t1")
        .verbose(true)
        .x_trace("trace-1")
        .send()
        .await
        .unwrap();
    assert_eq!(thing.name.as_deref(), Some("n"));
    client.put_thing().id("t1").name("new").send().await.unwrap();

    let requests = server.requests();
    assert_eq!(requests.len(), 2, "{requests:?}");
    let (get, put) = (&requests[0], &requests[1]);
    assert!(
        get.starts_with("GET /v1/things/t1?verbose=true HTTP/1.1\r\n"),
        "{get}"
    );
    assert_eq!(header_of(get, "x-trace"), Some("trace-1"), "{get}");
    assert!(put.starts_with("PUT /v1/things/t1 HTTP/1.1\r\n"), "{put}");
    assert!(put.ends_with("\r\n\r\n{\"name\":\"new\"}"), "{put}");
    for request in &requests {
        let lower = request.to_ascii_lowercase();
        for credential in CREDENTIALS {
            assert!(!lower.contains(credential), "{credential}: {request}");
        }
    }
}
