//! Endpoint resolution, paths and protocol headers, through `Handle::prepare`.

use cloudjobs_runtime::{
    Config, ConfigBuilder, ConstructionErrorKind, Error, Handle, Operation, ServiceMeta,
};

use crate::support::*;

async fn uri_of<O: Operation<Input = RawIn>>(
    service: &'static ServiceMeta,
    config: ConfigBuilder,
    input: RawIn,
) -> Result<String, Error<O::Error>> {
    let handle = Handle::new(service, config.build());
    Ok(handle.prepare::<O>(&input).await?.uri().to_string())
}

fn aws(region: &str) -> ConfigBuilder {
    Config::builder()
        .region(region)
        .credentials(example_credentials())
}

fn construction_kind<E>(r: Result<String, Error<E>>) -> ConstructionErrorKind {
    match r {
        Err(Error::Construction(e)) => e.kind(),
        Err(other) => panic!("unexpected error kind: {:?}", other.attempts()),
        Ok(uri) => panic!("unexpected success: {uri}"),
    }
}

#[tokio::test]
async fn aws_regional_partitions() {
    let cases = [
        (
            "us-east-1",
            false,
            false,
            "https://ssm.us-east-1.amazonaws.com/",
        ),
        (
            "eu-west-3",
            false,
            false,
            "https://ssm.eu-west-3.amazonaws.com/",
        ),
        (
            "cn-north-1",
            false,
            false,
            "https://ssm.cn-north-1.amazonaws.com.cn/",
        ),
        (
            "cn-northwest-1",
            false,
            true,
            "https://ssm.cn-northwest-1.api.amazonwebservices.com.cn/",
        ),
        (
            "us-gov-west-1",
            false,
            false,
            "https://ssm.us-gov-west-1.amazonaws.com/",
        ),
        (
            "us-gov-east-1",
            false,
            true,
            "https://ssm.us-gov-east-1.api.aws/",
        ),
        (
            "us-west-2",
            true,
            false,
            "https://ssm-fips.us-west-2.amazonaws.com/",
        ),
        ("us-east-1", false, true, "https://ssm.us-east-1.api.aws/"),
        (
            "us-east-2",
            true,
            true,
            "https://ssm-fips.us-east-2.api.aws/",
        ),
    ];
    for (region, fips, dual, want) in cases {
        let cfg = aws(region).use_fips(fips).use_dual_stack(dual);
        let got = uri_of::<SsmDescribe>(&SSM, cfg, RawIn::default())
            .await
            .unwrap();
        assert_eq!(got, want, "{region} fips={fips} dual={dual}");
    }
}

#[tokio::test]
async fn dual_stack_only_service_uses_api_aws() {
    let got = uri_of::<PcsList>(&PARTNER_CENTRAL, aws("us-east-1"), RawIn::default()).await;
    assert_eq!(
        got.unwrap(),
        "https://partnercentral-selling.us-east-1.api.aws/"
    );
    let got = uri_of::<PcsList>(&PARTNER_CENTRAL, aws("cn-north-1"), RawIn::default()).await;
    assert_eq!(
        got.unwrap(),
        "https://partnercentral-selling.cn-north-1.api.amazonwebservices.com.cn/"
    );
    let got = uri_of::<PcsList>(
        &PARTNER_CENTRAL,
        aws("us-east-1").use_fips(true),
        RawIn::default(),
    )
    .await;
    assert_eq!(
        got.unwrap(),
        "https://partnercentral-selling-fips.us-east-1.api.aws/"
    );
    let got = uri_of::<MacieList>(&MACIE2, aws("eu-central-1"), RawIn::default()).await;
    assert_eq!(
        got.unwrap(),
        "https://macie2.eu-central-1.amazonaws.com/jobs/list"
    );
}

#[tokio::test]
async fn endpoint_overrides_in_order() {
    // Config beats everything.
    let cfg = aws("us-east-1")
        .endpoint_url("http://localhost:4566/")
        .env_var("AWS_ENDPOINT_URL_SSM", "http://127.0.0.1:1")
        .env_var("AWS_ENDPOINT_URL", "http://127.0.0.1:2");
    let got = uri_of::<SsmDescribe>(&SSM, cfg, RawIn::default()).await;
    assert_eq!(got.unwrap(), "http://localhost:4566/");
    // Service-specific variable beats the generic one.
    let cfg = aws("us-east-1")
        .env_var("AWS_ENDPOINT_URL_SSM", "http://127.0.0.1:1")
        .env_var("AWS_ENDPOINT_URL", "http://127.0.0.1:2");
    let got = uri_of::<SsmDescribe>(&SSM, cfg, RawIn::default()).await;
    assert_eq!(got.unwrap(), "http://127.0.0.1:1/");
    // Spaces in the SDK id become underscores.
    let cfg = aws("us-east-1").env_var(
        "AWS_ENDPOINT_URL_PARTNERCENTRAL_SELLING",
        "http://127.0.0.1:3",
    );
    let got = uri_of::<PcsList>(&PARTNER_CENTRAL, cfg, RawIn::default()).await;
    assert_eq!(got.unwrap(), "http://127.0.0.1:3/");
    // The generic variable applies to every AWS service.
    let cfg = aws("us-east-1").env_var("AWS_ENDPOINT_URL", "http://127.0.0.1:2/base/");
    let got = uri_of::<MacieList>(&MACIE2, cfg, RawIn::default()).await;
    assert_eq!(got.unwrap(), "http://127.0.0.1:2/base/jobs/list");
    // ... but not to bearer services.
    let cfg = Config::builder()
        .bearer_token("t")
        .env_var("AWS_ENDPOINT_URL", "http://127.0.0.1:2");
    let got = uri_of::<SpaceoneList>(&SPACEONE, cfg, RawIn::default()).await;
    assert_eq!(
        construction_kind(got),
        ConstructionErrorKind::MissingEndpoint
    );
    // An override needs no region for the URL (signing still needs one).
    let cfg = Config::builder()
        .credentials(example_credentials())
        .endpoint_url("http://127.0.0.1:9");
    let got = uri_of::<SsmDescribe>(&SSM, cfg, RawIn::default()).await;
    assert_eq!(construction_kind(got), ConstructionErrorKind::MissingRegion);
}

#[tokio::test]
async fn missing_and_invalid_settings_are_clear_errors() {
    let handle = Handle::new(
        &SSM,
        Config::builder().credentials(example_credentials()).build(),
    );
    let err = handle
        .prepare::<SsmDescribe>(&RawIn::default())
        .await
        .unwrap_err();
    let Error::Construction(e) = &err else {
        panic!()
    };
    assert_eq!(e.kind(), ConstructionErrorKind::MissingRegion);
    assert!(err.to_string().contains("region"), "{err}");

    let got = uri_of::<SsmDescribe>(&SSM, aws("us east 1"), RawIn::default()).await;
    assert_eq!(
        construction_kind(got),
        ConstructionErrorKind::InvalidEndpoint
    );
    let got = uri_of::<SsmDescribe>(
        &SSM,
        aws("us-east-1").endpoint_url("ftp://x"),
        RawIn::default(),
    )
    .await;
    assert_eq!(
        construction_kind(got),
        ConstructionErrorKind::InvalidEndpoint
    );

    let handle = Handle::new(&SPACEONE, Config::builder().bearer_token("t").build());
    let err = handle
        .prepare::<SpaceoneList>(&RawIn::default())
        .await
        .unwrap_err();
    let Error::Construction(e) = &err else {
        panic!()
    };
    assert_eq!(e.kind(), ConstructionErrorKind::MissingEndpoint);
    assert!(
        err.to_string().contains("CLOUDJOBS_SPACEONE_ENDPOINT_URL"),
        "{err}"
    );
    assert!(err.to_string().contains("endpoint_url"), "{err}");

    // No credentials / no token: nothing to sign with.
    let handle = Handle::new(&SSM, Config::builder().region("us-east-1").build());
    let err = handle
        .prepare::<SsmDescribe>(&RawIn::default())
        .await
        .unwrap_err();
    let Error::Construction(e) = &err else {
        panic!()
    };
    assert_eq!(e.kind(), ConstructionErrorKind::MissingCredentials);
    let handle = Handle::new(
        &SPACEONE,
        Config::builder().endpoint_url("http://127.0.0.1:9").build(),
    );
    let err = handle
        .prepare::<SpaceoneList>(&RawIn::default())
        .await
        .unwrap_err();
    let Error::Construction(e) = &err else {
        panic!()
    };
    assert_eq!(e.kind(), ConstructionErrorKind::MissingToken);
    assert!(
        err.to_string().contains("CLOUDJOBS_SPACEONE_TOKEN"),
        "{err}"
    );
}

#[tokio::test]
async fn path_prefix_and_overrides() {
    let base = || {
        Config::builder()
            .bearer_token("t")
            .endpoint_url("https://console.example.test/api/")
    };
    let got = uri_of::<SpaceoneList>(&SPACEONE, base(), RawIn::default()).await;
    assert_eq!(
        got.unwrap(),
        "https://console.example.test/api/identity/v2/job/list"
    );
    let got =
        uri_of::<SpaceoneList>(&SPACEONE, base().path_prefix("/identity"), RawIn::default()).await;
    assert_eq!(
        got.unwrap(),
        "https://console.example.test/api/identity/job/list"
    );
    let got = uri_of::<SpaceoneList>(&SPACEONE, base().path_prefix(""), RawIn::default()).await;
    assert_eq!(got.unwrap(), "https://console.example.test/api/job/list");
    let cfg = base().env_var("CLOUDJOBS_SPACEONE_PATH_PREFIX", "/identity/");
    let got = uri_of::<SpaceoneList>(&SPACEONE, cfg, RawIn::default()).await;
    assert_eq!(
        got.unwrap(),
        "https://console.example.test/api/identity/job/list"
    );
    // Only the named operation is overridden.
    let cfg = base().path_override("list", "/jobs/search");
    let got = uri_of::<SpaceoneList>(&SPACEONE, cfg.clone(), RawIn::default()).await;
    assert_eq!(
        got.unwrap(),
        "https://console.example.test/api/identity/v2/jobs/search"
    );
    let got = uri_of::<SpaceoneDelete>(&SPACEONE, cfg, RawIn::default()).await;
    assert_eq!(
        got.unwrap(),
        "https://console.example.test/api/identity/v2/job/delete"
    );
    // The base URL can also come from the environment snapshot.
    let cfg = Config::builder()
        .bearer_token("t")
        .env_var("CLOUDJOBS_SPACEONE_ENDPOINT_URL", "http://127.0.0.1:8080");
    let got = uri_of::<SpaceoneList>(&SPACEONE, cfg, RawIn::default()).await;
    assert_eq!(got.unwrap(), "http://127.0.0.1:8080/identity/v2/job/list");
}

fn rewind_input() -> RawIn {
    RawIn {
        labels: vec![
            ("accountId", "123456789".into()),
            ("projectId", "p/1 x".into()),
            ("cloudAssemblyId", "42".into()),
        ],
        query: vec![("protection_id".into(), "t1:2 3&x=y".into())],
        ..RawIn::default()
    }
}

#[tokio::test]
async fn labels_and_query_are_percent_encoded() {
    let cfg = Config::builder()
        .bearer_token("jwt")
        .endpoint_url("https://rewind.example.test");
    let handle = Handle::new(&CLOUD_REWIND, cfg.build());
    let req = handle
        .prepare::<RewindStatus>(&rewind_input())
        .await
        .unwrap();
    assert_eq!(
        req.uri().to_string(),
        "https://rewind.example.test/accounts/123456789/projects/p%2F1%20x/aws/cloud-assemblies/42/protections/status?protection_id=t1%3A2%203%26x%3Dy"
    );
    assert_eq!(req.method(), http::Method::GET);
    assert_eq!(req.headers()["accept"], "application/json");
    assert_eq!(req.headers()["authorization"], "Bearer jwt");
    assert!(req.headers()["authorization"].is_sensitive());
    assert!(req.headers().get("content-type").is_none());
    assert_eq!(req.headers()["content-length"], "0");
    assert!(req.body().is_empty());

    // An override template with labels.
    let cfg = Config::builder()
        .bearer_token("jwt")
        .endpoint_url("https://rewind.example.test")
        .path_override(
            "GetAwsProtectionStatus",
            "/api/v1/{accountId}/{projectId}/status",
        );
    let handle = Handle::new(&CLOUD_REWIND, cfg.build());
    let req = handle
        .prepare::<RewindStatus>(&rewind_input())
        .await
        .unwrap();
    assert_eq!(
        req.uri().path_and_query().unwrap().as_str(),
        "/api/v1/123456789/p%2F1%20x/status?protection_id=t1%3A2%203%26x%3Dy"
    );

    // A missing label is a construction error, not a request to a wrong path.
    let mut input = rewind_input();
    input.labels.pop();
    let handle = Handle::new(
        &CLOUD_REWIND,
        Config::builder()
            .bearer_token("jwt")
            .endpoint_url("https://rewind.example.test")
            .build(),
    );
    let err = handle.prepare::<RewindStatus>(&input).await.unwrap_err();
    let Error::Construction(e) = err else {
        panic!()
    };
    assert_eq!(e.kind(), ConstructionErrorKind::InvalidRequest);
    assert!(e.message().contains("cloudAssemblyId"));
}

#[tokio::test]
async fn json_protocol_headers_with_body() {
    let cfg = Config::builder()
        .endpoint_url("http://127.0.0.1:9")
        .env_var("CLOUDJOBS_SPACEONE_TOKEN", "from-env");
    let handle = Handle::new(&SPACEONE, cfg.build());
    let req = handle
        .prepare::<SpaceoneList>(&RawIn::body(r#"{"query":{}}"#))
        .await
        .unwrap();
    assert_eq!(req.method(), http::Method::POST);
    assert_eq!(req.headers()["content-type"], "application/json");
    assert_eq!(req.headers()["accept"], "application/json");
    assert_eq!(req.headers()["authorization"], "Bearer from-env");
    assert_eq!(req.headers()["content-length"], "12");
    // The config's token beats the environment's.
    let cfg = Config::builder()
        .endpoint_url("http://127.0.0.1:9")
        .bearer_token("from-config")
        .env_var("CLOUDJOBS_SPACEONE_TOKEN", "from-env");
    let handle = Handle::new(&SPACEONE, cfg.build());
    let req = handle
        .prepare::<SpaceoneList>(&RawIn::default())
        .await
        .unwrap();
    assert_eq!(req.headers()["authorization"], "Bearer from-config");
    assert!(req.headers().get("content-type").is_none());
}

#[tokio::test]
async fn credentials_never_go_over_plain_http_to_another_host_unless_allowed() {
    // SigV4 and bearer services, to a host that is not loopback: refused before sending,
    // saying how to opt in.
    let err = uri_of::<SsmDescribe>(
        &SSM,
        aws("us-east-1").endpoint_url("http://ssm.internal.example:8080"),
        RawIn::default(),
    )
    .await
    .unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("plain http://")
            && text.contains("ssm.internal.example")
            && text.contains("allow_insecure_http")
            && text.contains("CLOUDJOBS_ALLOW_INSECURE_HTTP"),
        "{text}"
    );
    assert_eq!(
        construction_kind(Err::<String, _>(err)),
        ConstructionErrorKind::InsecureTransport
    );
    let bearer = Config::builder()
        .bearer_token("t0ken-value")
        .endpoint_url("http://10.1.2.3/");
    let err = uri_of::<SpaceoneList>(&SPACEONE, bearer.clone(), RawIn::default())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("a bearer token"), "{err}");
    assert!(!err.to_string().contains("t0ken-value"), "{err}");

    // Opted in, over https, or to loopback: sent.
    uri_of::<SpaceoneList>(
        &SPACEONE,
        bearer.allow_insecure_http(true),
        RawIn::default(),
    )
    .await
    .unwrap();
    let env = Config::builder()
        .bearer_token("t0ken-value")
        .endpoint_url("http://10.1.2.3/")
        .env_var("CLOUDJOBS_ALLOW_INSECURE_HTTP", "true");
    // The variable is read by `Config::from_env`, not by a builder: still refused here.
    assert!(
        uri_of::<SpaceoneList>(&SPACEONE, env, RawIn::default())
            .await
            .is_err()
    );
    let from_env = Config::from_env_vars([
        ("AWS_CONFIG_FILE", "/nonexistent/config"),
        ("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials"),
        ("CLOUDJOBS_SPACEONE_TOKEN", "t0ken-value"),
        ("CLOUDJOBS_ALLOW_INSECURE_HTTP", "true"),
    ])
    .await
    .unwrap()
    .to_builder()
    .endpoint_url("http://10.1.2.3/");
    uri_of::<SpaceoneList>(&SPACEONE, from_env, RawIn::default())
        .await
        .unwrap();
    for url in [
        "https://10.1.2.3/",
        "http://localhost:9/",
        "http://127.0.0.1:9/",
        "http://[::1]:9/",
    ] {
        uri_of::<SpaceoneList>(
            &SPACEONE,
            Config::builder().bearer_token("t").endpoint_url(url),
            RawIn::default(),
        )
        .await
        .unwrap_or_else(|e| panic!("{url}: {e:?}"));
    }
}
