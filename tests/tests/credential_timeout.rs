//! Every credential load is bounded: a provider that never answers fails the call with an
//! error naming the provider and the limit, and nothing is sent.

mod common;

use std::time::Duration;

use cloudjobs::runtime::aws_credential_types::provider::{self, ProvideCredentials};
use common::*;

/// A provider stuck forever (a hung SSO portal, an unreachable IMDS).
#[derive(Debug)]
struct HungProvider;

impl ProvideCredentials for HungProvider {
    fn provide_credentials<'a>(&'a self) -> provider::future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        provider::future::ProvideCredentials::new(std::future::pending())
    }
}

#[tokio::test]
async fn a_hung_provider_fails_the_call_after_the_timeout() {
    let server = MockServer::start(vec![Reply::json(200, "{}")]).await;
    let config = aws_config(&server.url)
        .to_builder()
        .credentials_provider(HungProvider)
        .credentials_timeout(Duration::from_millis(200))
        .build();
    assert_eq!(
        config.credentials_timeout(),
        Some(Duration::from_millis(200))
    );
    let err = cloudjobs::ssm_mw::Client::new(config)
        .describe_maintenance_window_execution_tasks()
        .window_execution_id("a06e9f91-3b9c-4c3e-8bd4-246cc0000000")
        .send()
        .await
        .unwrap_err();
    let text = format!("{err}");
    assert!(text.contains("`HungProvider`"), "{text}");
    assert!(text.contains("200ms"), "{text}");
    assert!(server.recorded().is_empty());
}

#[test]
fn the_default_limit_is_five_seconds() {
    assert_eq!(
        cloudjobs::Config::builder().build().credentials_timeout(),
        Some(Duration::from_secs(5))
    );
    assert_eq!(
        cloudjobs::Config::builder()
            .credentials_timeout(None)
            .build()
            .credentials_timeout(),
        None
    );
}
