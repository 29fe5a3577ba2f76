//! Every constraint in the specs: the client refuses a violating input before anything is
//! sent, with an error naming the field (wire-name path) and the rule.

mod common;

use cloudjobs::runtime::{InvalidInput, Rule, Validation};
use common::*;

/// Runs `call` against a server that would answer 200, and checks that it failed on input
/// validation without sending anything.
macro_rules! refused {
    ($server:expr, $call:expr) => {{
        let err = $call.await.expect_err("the input breaks a constraint");
        assert!($server.recorded().is_empty(), "nothing may be sent");
        match err {
            cloudjobs::Error::InvalidInput(e) => e,
            other => panic!("expected InvalidInput, got {other:?}"),
        }
    }};
}

fn is_length(e: &InvalidInput) -> bool {
    matches!(e.rule, Rule::Length { .. })
}
fn is_range(e: &InvalidInput) -> bool {
    matches!(e.rule, Rule::Range { .. })
}
fn is_pattern(e: &InvalidInput) -> bool {
    matches!(e.rule, Rule::Pattern(_))
}
fn is_enum(e: &InvalidInput) -> bool {
    matches!(e.rule, Rule::Enum(_))
}

mod partner_central {
    use super::*;
    use cloudjobs::partner_central::types::{ResourceSnapshotJobStatus, SortObject};

    async fn setup() -> (MockServer, cloudjobs::partner_central::Client) {
        let s = MockServer::start(vec![Reply::json(200, "{}")]).await;
        let c = cloudjobs::partner_central::Client::new(aws_config(&s.url));
        (s, c)
    }

    #[tokio::test]
    async fn catalog_is_required() {
        let (s, c) = setup().await;
        let e = refused!(s, c.list_resource_snapshot_jobs().send());
        assert_eq!((e.field.as_str(), &e.rule), ("Catalog", &Rule::Required));
        assert!(e.to_string().contains("Catalog"), "{e}");
    }

    #[tokio::test]
    async fn catalog_pattern() {
        let (s, c) = setup().await;
        let e = refused!(s, c.list_resource_snapshot_jobs().catalog("123").send());
        assert_eq!(e.field, "Catalog");
        assert_eq!(e.rule, Rule::Pattern("[a-zA-Z]+"));
    }

    #[tokio::test]
    async fn engagement_identifier_pattern() {
        let (s, c) = setup().await;
        let e = refused!(
            s,
            c.list_resource_snapshot_jobs()
                .catalog("AWS")
                .engagement_identifier("eng-XYZ")
                .send()
        );
        assert_eq!(e.field, "EngagementIdentifier");
        assert!(is_pattern(&e));
    }

    #[tokio::test]
    async fn max_results_range() {
        for bad in [0, 1001] {
            let (s, c) = setup().await;
            let e = refused!(
                s,
                c.list_resource_snapshot_jobs()
                    .catalog("AWS")
                    .max_results(bad)
                    .send()
            );
            assert_eq!(e.field, "MaxResults");
            assert_eq!(
                e.rule,
                Rule::Range {
                    min: Some(1.0),
                    max: Some(1000.0)
                }
            );
        }
    }

    #[tokio::test]
    async fn status_enum() {
        let (s, c) = setup().await;
        let e = refused!(
            s,
            c.list_resource_snapshot_jobs()
                .catalog("AWS")
                .status(ResourceSnapshotJobStatus::from("Paused"))
                .send()
        );
        assert_eq!(e.field, "Status");
        assert!(is_enum(&e));
    }

    #[tokio::test]
    async fn sort_enums() {
        let (s, c) = setup().await;
        let sort = SortObject::builder().sort_by("Name").build();
        let e = refused!(
            s,
            c.list_resource_snapshot_jobs()
                .catalog("AWS")
                .sort(sort)
                .send()
        );
        assert_eq!(e.field, "Sort.SortBy");
        assert!(is_enum(&e));
        let sort = SortObject::builder().sort_order("UP").build();
        let e = refused!(
            s,
            c.list_resource_snapshot_jobs()
                .catalog("AWS")
                .sort(sort)
                .send()
        );
        assert_eq!(e.field, "Sort.SortOrder");
    }

    #[tokio::test]
    async fn required_only_mode_skips_other_checks_but_not_required() {
        let s = MockServer::start(vec![Reply::json(200, "{}")]).await;
        let config = aws_config(&s.url)
            .to_builder()
            .validation(Validation::RequiredOnly)
            .build();
        let c = cloudjobs::partner_central::Client::new(config);
        c.list_resource_snapshot_jobs()
            .catalog("123")
            .max_results(5000)
            .send()
            .await
            .unwrap();
        assert_eq!(s.recorded().len(), 1, "relaxed limits are sent");
        let e = refused!(
            MockServer {
                url: String::new(),
                requests: Default::default()
            },
            c.list_resource_snapshot_jobs().send()
        );
        assert_eq!(e.rule, Rule::Required);
    }
}

mod macie2 {
    use super::*;
    use cloudjobs::macie2::types::*;

    async fn refused_with(
        criteria: Option<ListJobsFilterCriteria>,
        sort: Option<ListJobsSortCriteria>,
    ) -> InvalidInput {
        let s = MockServer::start(vec![Reply::json(200, "{}")]).await;
        let c = cloudjobs::macie2::Client::new(aws_config(&s.url));
        refused!(
            s,
            c.list_classification_jobs()
                .set_filter_criteria(criteria)
                .set_sort_criteria(sort)
                .send()
        )
    }

    fn term(comparator: &str, key: &str) -> ListJobsFilterTerm {
        ListJobsFilterTerm::builder()
            .comparator(comparator)
            .key(key)
            .values("x")
            .build()
    }

    #[tokio::test]
    async fn filter_term_enums() {
        let e = refused_with(
            Some(
                ListJobsFilterCriteria::builder()
                    .includes(term("EQ", "jobStatus"))
                    .includes(term("LIKE", "name"))
                    .build(),
            ),
            None,
        )
        .await;
        assert_eq!(e.field, "filterCriteria.includes[1].comparator");
        assert!(is_enum(&e));
        let e = refused_with(
            Some(
                ListJobsFilterCriteria::builder()
                    .excludes(term("EQ", "owner"))
                    .build(),
            ),
            None,
        )
        .await;
        assert_eq!(e.field, "filterCriteria.excludes[0].key");
    }

    #[tokio::test]
    async fn sort_criteria_enums() {
        let e = refused_with(
            None,
            Some(
                ListJobsSortCriteria::builder()
                    .attribute_name("size")
                    .build(),
            ),
        )
        .await;
        assert_eq!(e.field, "sortCriteria.attributeName");
        let e = refused_with(
            None,
            Some(ListJobsSortCriteria::builder().order_by("UP").build()),
        )
        .await;
        assert_eq!(e.field, "sortCriteria.orderBy");
        assert!(is_enum(&e));
    }
}

mod ssm {
    use super::*;
    use cloudjobs::ssm_mw::types::MaintenanceWindowFilter;

    const ID: &str = "12345678-1234-1234-1234-123456789012";

    async fn setup() -> (MockServer, cloudjobs::ssm_mw::Client) {
        let s = MockServer::start(vec![Reply::json(200, "{}")]).await;
        let c = cloudjobs::ssm_mw::Client::new(aws_config(&s.url));
        (s, c)
    }

    fn filter(key: &str, values: &[&str]) -> MaintenanceWindowFilter {
        MaintenanceWindowFilter::builder()
            .key(key)
            .set_values(Some(values.iter().map(|v| v.to_string()).collect()))
            .build()
    }

    #[tokio::test]
    async fn window_execution_id_is_required() {
        let (s, c) = setup().await;
        let e = refused!(s, c.describe_maintenance_window_execution_tasks().send());
        assert_eq!(
            (e.field.as_str(), &e.rule),
            ("WindowExecutionId", &Rule::Required)
        );
    }

    #[tokio::test]
    async fn window_execution_id_length_and_pattern() {
        let (s, c) = setup().await;
        let e = refused!(
            s,
            c.describe_maintenance_window_execution_tasks()
                .window_execution_id("x")
                .send()
        );
        assert_eq!(e.field, "WindowExecutionId");
        assert_eq!(
            e.rule,
            Rule::Length {
                min: Some(36),
                max: Some(36)
            }
        );
        let e = refused!(
            s,
            c.describe_maintenance_window_execution_tasks()
                .window_execution_id("zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz")
                .send()
        );
        assert!(is_pattern(&e), "{e}");
    }

    #[tokio::test]
    async fn at_most_five_filters() {
        let (s, c) = setup().await;
        let mut b = c
            .describe_maintenance_window_execution_tasks()
            .window_execution_id(ID);
        for _ in 0..6 {
            b = b.filters(filter("STATUS", &["SUCCESS"]));
        }
        let e = refused!(s, b.send());
        assert_eq!(e.field, "Filters");
        assert_eq!(
            e.rule,
            Rule::Length {
                min: Some(0),
                max: Some(5)
            }
        );
    }

    #[tokio::test]
    async fn filter_key_length() {
        let (s, c) = setup().await;
        for key in [String::new(), "K".repeat(129)] {
            let e = refused!(
                s,
                c.describe_maintenance_window_execution_tasks()
                    .window_execution_id(ID)
                    .filters(filter(&key, &["SUCCESS"]))
                    .send()
            );
            assert_eq!(e.field, "Filters[0].Key");
            assert!(is_length(&e));
        }
    }

    #[tokio::test]
    async fn filter_value_length() {
        let (s, c) = setup().await;
        let long = "V".repeat(257);
        let e = refused!(
            s,
            c.describe_maintenance_window_execution_tasks()
                .window_execution_id(ID)
                .filters(filter("STATUS", &["SUCCESS", &long]))
                .send()
        );
        assert_eq!(e.field, "Filters[0].Values[1]");
        assert!(is_length(&e));
    }

    #[tokio::test]
    async fn max_results_range() {
        for bad in [9, 101] {
            let (s, c) = setup().await;
            let e = refused!(
                s,
                c.describe_maintenance_window_execution_tasks()
                    .window_execution_id(ID)
                    .max_results(bad)
                    .send()
            );
            assert_eq!(e.field, "MaxResults");
            assert!(is_range(&e));
        }
    }
}

mod spaceone {
    use super::*;
    use cloudjobs::spaceone_identity::types::{JobStatus, Page, Query};

    async fn setup() -> (MockServer, cloudjobs::spaceone_identity::Client) {
        let s = MockServer::start(vec![Reply::json(200, "{}")]).await;
        let c = cloudjobs::spaceone_identity::Client::new(bearer_config(&s.url));
        (s, c)
    }

    #[tokio::test]
    async fn job_id_required_and_not_empty() {
        let (s, c) = setup().await;
        assert_eq!(refused!(s, c.get_job().send()).rule, Rule::Required);
        assert_eq!(refused!(s, c.delete_job().send()).field, "job_id");
        let e = refused!(s, c.get_job().job_id("").send());
        assert_eq!(e.field, "job_id");
        assert!(is_length(&e));
        assert!(is_length(&refused!(s, c.delete_job().job_id("").send())));
    }

    #[tokio::test]
    async fn stat_query_required() {
        let (s, c) = setup().await;
        let e = refused!(s, c.stat_jobs().send());
        assert_eq!((e.field.as_str(), &e.rule), ("query", &Rule::Required));
    }

    #[tokio::test]
    async fn page_start_and_limit_are_unsigned() {
        let (s, c) = setup().await;
        let q = |start, limit| {
            Query::builder()
                .page(Page::builder().start(start).limit(limit).build())
                .build()
        };
        let e = refused!(s, c.list_jobs().query(q(-1, 10)).send());
        assert_eq!(e.field, "query.page.start");
        assert!(is_range(&e));
        let e = refused!(s, c.list_jobs().query(q(1, -5)).send());
        assert_eq!(e.field, "query.page.limit");
    }

    #[tokio::test]
    async fn status_enum() {
        let (s, c) = setup().await;
        let e = refused!(s, c.list_jobs().status(JobStatus::from("ERROR")).send());
        assert_eq!(e.field, "status");
        assert!(is_enum(&e));
    }
}

mod cloud_rewind {
    use super::*;

    #[tokio::test]
    async fn path_and_query_parameters_are_required() {
        let s = MockServer::start(vec![Reply::json(200, "{}")]).await;
        let c = cloudjobs::cloud_rewind::Client::new(bearer_config(&s.url));
        let full = || {
            c.get_aws_protection_status()
                .account_id(1)
                .project_id("p")
                .cloud_assembly_id(2)
                .protection_id("x")
        };
        let cases = [
            ("accountId", full().set_account_id(None)),
            ("projectId", full().set_project_id(None)),
            ("cloudAssemblyId", full().set_cloud_assembly_id(None)),
            ("protection_id", full().set_protection_id(None)),
        ];
        for (field, builder) in cases {
            let e = refused!(s, builder.send());
            assert_eq!((e.field.as_str(), &e.rule), (field, &Rule::Required));
        }
    }
}
