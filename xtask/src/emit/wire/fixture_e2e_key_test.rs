//! A crate generated from an OpenAPI document with API keys (xtask test `emit::wire::tests`):
//! in the `X-Api-Key` header by the global `security`, in the `api_key` query parameter for
//! `byQuery`, none for `public` (`security: []`); a local server receives the requests.

mod server;

use cloudjobs_runtime::{Config, ConfigBuilder, ConstructionErrorKind, Error, ProvideErrorMetadata};
use server::{Server, header_of};
use wire_e2e_key::Client;

fn no_content() -> String {
    "HTTP/1.1 204 No Content\r\ncontent-length: 0\r\n\r\n".into()
}

/// Every kind of credential, so that only the scheme the spec names can be the one sent.
fn configured(server: &Server) -> ConfigBuilder {
    Config::builder()
        .endpoint_url(format!("{}/v1", server.base))
        .bearer_token("tok-secret")
        .basic_auth("user-secret", "pw-secret")
}

/// The request line (the first line of what the server received).
fn request_line(request: &str) -> &str {
    request.lines().next().unwrap_or_default()
}

/// Neither a bearer token nor basic credentials: the schemes the spec does not name.
fn nothing_else(request: &str) {
    assert_eq!(header_of(request, "authorization"), None, "{request}");
    for secret in ["tok-secret", "user-secret", "pw-secret"] {
        assert!(!request.contains(secret), "{secret}: {request}");
    }
}

#[tokio::test]
async fn the_key_goes_where_the_spec_says() {
    let server = Server::start(vec![no_content(), no_content(), no_content()]).await;
    let client = Client::new(configured(&server).api_key("key-secret").build());
    client.global().page(2).send().await.unwrap();
    client.by_query().page(2).send().await.unwrap();
    client.public().send().await.unwrap();

    let requests = server.requests();
    assert_eq!(requests.len(), 3, "{requests:?}");
    let (global, by_query, public) = (&requests[0], &requests[1], &requests[2]);
    // Global security: the header, and the key nowhere else.
    assert_eq!(request_line(global), "GET /v1/global?page=2 HTTP/1.1", "{global}");
    assert_eq!(header_of(global, "x-api-key"), Some("key-secret"), "{global}");
    assert_eq!(global.matches("key-secret").count(), 1, "{global}");
    // Operation security: the query parameter, no header.
    let line = request_line(by_query);
    assert!(line.starts_with("GET /v1/by-query?"), "{by_query}");
    let query = line.split(['?', ' ']).nth(2).unwrap_or_default();
    let mut pairs: Vec<&str> = query.split('&').collect();
    pairs.sort_unstable();
    assert_eq!(pairs, ["api_key=key-secret", "page=2"], "{by_query}");
    assert_eq!(header_of(by_query, "x-api-key"), None, "{by_query}");
    assert_eq!(by_query.matches("key-secret").count(), 1, "{by_query}");
    // `security: []`: no key at all.
    assert_eq!(request_line(public), "GET /v1/public HTTP/1.1", "{public}");
    assert_eq!(header_of(public, "x-api-key"), None, "{public}");
    assert!(!public.contains("key-secret"), "{public}");
    for request in &requests {
        nothing_else(request);
    }
}

/// A construction error naming the operation, the setter and the environment variable.
fn names_the_setter<E: ProvideErrorMetadata + std::fmt::Debug>(err: Error<E>, operation: &str) {
    let Error::Construction(e) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(e.kind(), ConstructionErrorKind::MissingCredentials, "{err:?}");
    let text = err.to_string();
    for part in [&format!("`{operation}`"), "api_key", "CLOUDJOBS_E2E_API_KEY"] {
        assert!(text.contains(part), "{part}: {text}");
    }
}

#[tokio::test]
async fn without_a_key_the_call_fails_before_sending() {
    let server = Server::start(vec![no_content()]).await;
    let client = Client::new(configured(&server).build());
    names_the_setter(client.global().send().await.unwrap_err(), "global");
    names_the_setter(client.by_query().send().await.unwrap_err(), "byQuery");
    // Nothing was sent; the operation without security needs no key.
    assert_eq!(server.requests().len(), 0);
    client.public().send().await.unwrap();
    let requests = server.requests();
    assert_eq!(requests.len(), 1, "{requests:?}");
    assert_eq!(request_line(&requests[0]), "GET /v1/public HTTP/1.1");
    nothing_else(&requests[0]);
}
