//! An aws-config `SdkConfig` (the one a program shares with its `aws-sdk-*` clients) drives a
//! cloudjobs client: its credentials provider, region and endpoint URL are used.

use cloudjobs::runtime::aws_config::{Region, SdkConfig};
use cloudjobs::runtime::aws_credential_types::Credentials;
use cloudjobs::runtime::aws_credential_types::provider::SharedCredentialsProvider;
use cloudjobs_emulator::{DEFAULT_ACCESS_KEY, DEFAULT_SECRET_KEY, Emulator};

fn sdk_config(region: Option<&'static str>, endpoint: Option<String>, key: &str) -> SdkConfig {
    let mut b = SdkConfig::builder().credentials_provider(SharedCredentialsProvider::new(
        Credentials::new(key, DEFAULT_SECRET_KEY, None, None, "test"),
    ));
    if let Some(r) = region {
        b = b.region(Region::new(r));
    }
    if let Some(url) = endpoint {
        b = b.endpoint_url(url);
    }
    b.build()
}

#[tokio::test]
async fn credentials_region_and_endpoint_come_from_the_sdk_config() {
    let emu = Emulator::builder().start().await.expect("emulator starts");
    let execution = emu.seeded().ssm.window_execution_ids[0].clone();
    let expected = emu.seeded().ssm.task_counts[0];

    let config = cloudjobs::Config::from_aws_config(&sdk_config(
        Some("us-east-1"),
        Some(emu.url()),
        DEFAULT_ACCESS_KEY,
    ));
    assert_eq!(config.region().unwrap().as_str(), "us-east-1");
    let out = cloudjobs::ssm_mw::Client::new(config)
        .describe_maintenance_window_execution_tasks()
        .window_execution_id(&execution)
        .max_results(100)
        .send()
        .await
        .expect("signed with the SdkConfig's credentials");
    assert_eq!(
        out.window_execution_task_identities
            .unwrap_or_default()
            .len(),
        expected
    );

    // Settings the SdkConfig lacks stay as the builder had them; its credentials replace
    // the builder's.
    let config = cloudjobs::Config::builder()
        .region("eu-west-1")
        .endpoint_url(emu.url())
        .aws_config(&sdk_config(None, None, "AKIDUNKNOWN"))
        .build();
    assert_eq!(config.region().unwrap().as_str(), "eu-west-1");
    let err = cloudjobs::ssm_mw::Client::new(config)
        .describe_maintenance_window_execution_tasks()
        .window_execution_id(&execution)
        .send()
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("UnrecognizedClientException"),
        "{err}"
    );
}
