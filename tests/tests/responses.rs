//! Every client against a local scripted server: the reference pages' sample responses parse,
//! each modeled error of each operation maps to its variant, unknown enum values survive a
//! round trip, and SpaceONE's omitted defaults (`{}`) parse.

mod common;

use cloudjobs::ProvideErrorMetadata;
use common::*;

async fn ssm_call(reply: Reply) -> Result<cloudjobs::ssm_mw::operation::describe_maintenance_window_execution_tasks::DescribeMaintenanceWindowExecutionTasksOutput, cloudjobs::Error<cloudjobs::ssm_mw::operation::describe_maintenance_window_execution_tasks::DescribeMaintenanceWindowExecutionTasksError>>{
    let server = MockServer::start(vec![reply]).await;
    cloudjobs::ssm_mw::Client::new(aws_config(&server.url))
        .describe_maintenance_window_execution_tasks()
        .window_execution_id("a06e9f91-3b9c-4c3e-8bd4-246cc0000000")
        .send()
        .await
}

#[tokio::test]
async fn ssm_seed_sample_response_parses() {
    // The reference page's sample (timestamps written as strings there).
    let body = r#"{ "WindowExecutionTaskIdentities": [ { "WindowExecutionId": "a06e9f91-3b9c-4c3e-8bd4-246ccEXAMPLE", "TaskExecutionId": "f407ba63-998f-4b89-8467-279fcEXAMPLE", "Status": "SUCCESS", "StartTime": "2021-08-04T11:35:35.145000-07:00", "EndTime": "2021-08-04T11:38:09.062000-07:00", "TaskArn": "AWS-RunPatchBaseline", "TaskType": "RUN_COMMAND" } ] }"#;
    let out = ssm_call(Reply::json(200, body)).await.unwrap();
    let task = &out.window_execution_task_identities.as_ref().unwrap()[0];
    assert_eq!(
        task.status,
        Some(cloudjobs::ssm_mw::types::MaintenanceWindowExecutionStatus::Success)
    );
    assert_eq!(
        task.task_type,
        Some(cloudjobs::ssm_mw::types::MaintenanceWindowTaskType::RunCommand)
    );
    assert_eq!(
        task.start_time.unwrap().to_rfc3339(),
        "2021-08-04T18:35:35.145Z"
    );
    assert_eq!(task.end_time.unwrap().secs(), 1_628_102_289);
}

#[tokio::test]
async fn ssm_wire_response_with_epoch_seconds_parses() {
    let body = r#"{"WindowExecutionTaskIdentities":[{"WindowExecutionId":"12345678-1234-1234-1234-123456789012","TaskExecutionId":"aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee","Status":"SUCCESS","StatusDetails":"Success","StartTime":1.700000000123E9,"EndTime":1700000060,"TaskArn":"AWS-RunShellScript","TaskType":"RUN_COMMAND","AlarmConfiguration":{"IgnorePollAlarmFailure":false,"Alarms":[{"Name":"a1"}]},"TriggeredAlarms":[{"Name":"a1","State":"ALARM"}],"UnknownFutureField":1}],"NextToken":"tok-1"}"#;
    let out = ssm_call(Reply::json(200, body)).await.unwrap();
    let task = &out.window_execution_task_identities.as_ref().unwrap()[0];
    assert_eq!(
        task.start_time.unwrap().to_rfc3339(),
        "2023-11-14T22:13:20.123Z"
    );
    assert_eq!(task.end_time.unwrap().secs(), 1_700_000_060);
    assert_eq!(
        task.triggered_alarms.as_ref().unwrap()[0].state,
        Some(cloudjobs::ssm_mw::types::ExternalAlarmState::Alarm)
    );
    assert_eq!(out.next_token.as_deref(), Some("tok-1"));
}

#[tokio::test]
async fn ssm_does_not_exist_exception() {
    let reply = Reply::json(
        400,
        r#"{"__type": "DoesNotExistException", "Message": "no such execution"}"#,
    )
    .header("X-Amzn-Errortype", "DoesNotExistException")
    .header("x-amzn-RequestId", "req-1");
    let err = ssm_call(reply)
        .await
        .unwrap_err()
        .into_service_error()
        .unwrap();
    assert!(err.is_does_not_exist_exception(), "{err:?}");
    assert_eq!(err.message(), Some("no such execution"));
    assert_eq!(err.request_id(), Some("req-1"));
    assert!(err.to_string().contains("no such execution"), "{err}");
}

#[tokio::test]
async fn ssm_internal_server_error() {
    let err = ssm_call(Reply::json(
        500,
        r#"{"__type": "InternalServerError", "message": "oops"}"#,
    ))
    .await
    .unwrap_err()
    .into_service_error()
    .unwrap();
    assert!(err.is_internal_server_error(), "{err:?}");
    // Lower-case `message`, as real services often send, fills the `Message` member.
    match err {
        cloudjobs::ssm_mw::operation::describe_maintenance_window_execution_tasks::DescribeMaintenanceWindowExecutionTasksError::InternalServerError(e) => {
            assert_eq!(e.message.as_deref(), Some("oops"))
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn ssm_unmodeled_error_is_unhandled_with_metadata() {
    let reply = Reply::json(
        400,
        r#"{"__type": "com.amazon.coral.service#AccessDeniedException", "message": "no"}"#,
    )
    .header("x-amzn-RequestId", "req-9");
    let err = ssm_call(reply)
        .await
        .unwrap_err()
        .into_service_error()
        .unwrap();
    assert!(err.is_unhandled());
    assert_eq!(err.code(), Some("AccessDeniedException"));
    assert_eq!(err.message(), Some("no"));
    assert_eq!(err.request_id(), Some("req-9"));
    assert_eq!(err.meta().status, 400);
}

#[tokio::test]
async fn ssm_unknown_enum_value_survives_a_round_trip() {
    let body =
        r#"{"WindowExecutionTaskIdentities":[{"Status":"SOMETHING_NEW","TaskType":"QUANTUM"}]}"#;
    let out = ssm_call(Reply::json(200, body)).await.unwrap();
    let task = &out.window_execution_task_identities.as_ref().unwrap()[0];
    assert_eq!(task.status.as_ref().unwrap().as_str(), "SOMETHING_NEW");
    assert!(matches!(
        task.status,
        Some(cloudjobs::ssm_mw::types::MaintenanceWindowExecutionStatus::Unknown(_))
    ));
    let again = serde_json::to_value(task).unwrap();
    assert_eq!(again["Status"], "SOMETHING_NEW");
    assert_eq!(again["TaskType"], "QUANTUM");
}

mod partner_central {
    use super::*;
    use cloudjobs::partner_central::operation::list_resource_snapshot_jobs::ListResourceSnapshotJobsError as E;

    async fn call(reply: Reply) -> Result<cloudjobs::partner_central::operation::list_resource_snapshot_jobs::ListResourceSnapshotJobsOutput, cloudjobs::Error<E>>{
        let server = MockServer::start(vec![reply]).await;
        cloudjobs::partner_central::Client::new(aws_config(&server.url))
            .list_resource_snapshot_jobs()
            .catalog("AWS")
            .send()
            .await
    }

    async fn error(status: u16, code: &str) -> E {
        let body = format!(
            r#"{{"__type": "com.amazonaws.partnercentralselling#{code}", "Message": "m-{code}"}}"#
        );
        let err = call(Reply::json(status, &body))
            .await
            .unwrap_err()
            .into_service_error()
            .unwrap();
        assert_eq!(err.message(), Some(format!("m-{code}").as_str()));
        err
    }

    #[tokio::test]
    async fn output_parses_with_null_token() {
        let body = r#"{"ResourceSnapshotJobSummaries":[{"Id":"job-0123456789abc","Arn":"arn:aws:partnercentral:us-east-1:123456789012:catalog/AWS/engagement/eng-0123456789abcd/resource-snapshot-job/job-0123456789abc","EngagementId":"eng-0123456789abcd","Status":"Stopped"}],"NextToken":null}"#;
        let out = call(Reply::json(200, body)).await.unwrap();
        let job = &out.resource_snapshot_job_summaries.as_ref().unwrap()[0];
        assert_eq!(
            job.status,
            Some(cloudjobs::partner_central::types::ResourceSnapshotJobStatus::Stopped)
        );
        assert_eq!(out.next_token, None);
    }

    #[tokio::test]
    async fn validation_exception_keeps_reason_and_error_list() {
        let body = r#"{"__type":"com.amazonaws.partnercentralselling#ValidationException","Message":"bad","Reason":"REQUEST_VALIDATION_FAILED","ErrorList":[{"FieldName":"Catalog","Message":"invalid","Code":"INVALID_VALUE"}]}"#;
        match call(Reply::json(400, body))
            .await
            .unwrap_err()
            .into_service_error()
            .unwrap()
        {
            E::ValidationException(e) => {
                assert_eq!(e.reason.unwrap().as_str(), "REQUEST_VALIDATION_FAILED");
                let item = &e.error_list.unwrap()[0];
                assert_eq!(item.field_name.as_deref(), Some("Catalog"));
                assert_eq!(item.code.as_ref().unwrap().as_str(), "INVALID_VALUE");
            }
            other => panic!("{other:?}"),
        }
    }

    #[tokio::test]
    async fn access_denied_exception() {
        assert!(
            error(403, "AccessDeniedException")
                .await
                .is_access_denied_exception()
        );
    }
    #[tokio::test]
    async fn resource_not_found_exception() {
        assert!(
            error(404, "ResourceNotFoundException")
                .await
                .is_resource_not_found_exception()
        );
    }
    #[tokio::test]
    async fn throttling_exception() {
        assert!(
            error(429, "ThrottlingException")
                .await
                .is_throttling_exception()
        );
    }
    #[tokio::test]
    async fn internal_server_exception() {
        assert!(
            error(500, "InternalServerException")
                .await
                .is_internal_server_exception()
        );
    }
}

mod macie2 {
    use super::*;
    use cloudjobs::macie2::operation::list_classification_jobs::ListClassificationJobsError as E;

    async fn call(
        reply: Reply,
    ) -> Result<
        cloudjobs::macie2::operation::list_classification_jobs::ListClassificationJobsOutput,
        cloudjobs::Error<E>,
    > {
        let server = MockServer::start(vec![reply]).await;
        cloudjobs::macie2::Client::new(aws_config(&server.url))
            .list_classification_jobs()
            .send()
            .await
    }

    /// Real Macie puts the type in `x-amzn-ErrorType` with a suffix, and the message in the body.
    async fn error(status: u16, code: &str) -> E {
        let reply = Reply::json(status, r#"{"message": "it failed"}"#).header(
            "x-amzn-ErrorType",
            &format!("{code}:http://internal.amazon.com/coral/com.amazon.coral.validate/"),
        );
        let err = call(reply).await.unwrap_err().into_service_error().unwrap();
        assert_eq!(err.code(), Some(code));
        assert_eq!(err.message(), Some("it failed"));
        err
    }

    #[tokio::test]
    async fn output_parses_iso_timestamps_and_paused_details() {
        let body = r#"{"items":[{"jobId":"j1","name":"nightly","jobStatus":"USER_PAUSED","jobType":"SCHEDULED","createdAt":"2023-11-14T22:13:20.123Z","lastRunErrorStatus":{"code":"NONE"},"userPausedDetails":{"jobExpiresAt":"2023-12-14T22:13:20Z","jobPausedAt":"2023-11-15T00:00:00Z"},"bucketDefinitions":[{"accountId":"123456789012","buckets":["b1"]}]}],"nextToken":"n2"}"#;
        let out = call(Reply::json(200, body)).await.unwrap();
        let job = &out.items.as_ref().unwrap()[0];
        assert_eq!(
            job.created_at.unwrap().to_rfc3339(),
            "2023-11-14T22:13:20.123Z"
        );
        assert_eq!(
            job.user_paused_details
                .as_ref()
                .unwrap()
                .job_expires_at
                .unwrap()
                .to_rfc3339(),
            "2023-12-14T22:13:20Z"
        );
        assert_eq!(
            job.job_status,
            Some(cloudjobs::macie2::types::JobStatus::UserPaused)
        );
    }

    #[tokio::test]
    async fn validation_exception() {
        assert!(
            error(400, "ValidationException")
                .await
                .is_validation_exception()
        );
    }
    #[tokio::test]
    async fn service_quota_exceeded_exception() {
        assert!(
            error(402, "ServiceQuotaExceededException")
                .await
                .is_service_quota_exceeded_exception()
        );
    }
    #[tokio::test]
    async fn access_denied_exception() {
        assert!(
            error(403, "AccessDeniedException")
                .await
                .is_access_denied_exception()
        );
    }
    #[tokio::test]
    async fn resource_not_found_exception() {
        assert!(
            error(404, "ResourceNotFoundException")
                .await
                .is_resource_not_found_exception()
        );
    }
    #[tokio::test]
    async fn conflict_exception() {
        assert!(
            error(409, "ConflictException")
                .await
                .is_conflict_exception()
        );
    }
    #[tokio::test]
    async fn throttling_exception() {
        assert!(
            error(429, "ThrottlingException")
                .await
                .is_throttling_exception()
        );
    }
    #[tokio::test]
    async fn internal_server_exception() {
        assert!(
            error(500, "InternalServerException")
                .await
                .is_internal_server_exception()
        );
    }
}

mod spaceone {
    use super::*;
    use cloudjobs::spaceone_identity::Client;
    use cloudjobs::spaceone_identity::types::JobStatus;

    async fn server(reply: Reply) -> (MockServer, Client) {
        let server = MockServer::start(vec![reply]).await;
        let client = Client::new(bearer_config(&server.url));
        (server, client)
    }

    #[tokio::test]
    async fn get_example_parses_and_keeps_unknown_status() {
        // The reference page's get example, whose "ERROR" status is not a real value.
        let body = r#"{ "job_id": "job-123456789012", "status": "ERROR", "resource_group": "DOMAIN", "plugin_id": "plugin-aws-cloud-service-inven-collector", "trusted_account_id": "ta-123456789012", "domain_id": "domain-123456789012", "created_at": "2022-01-01T10:00:01.389Z", "updated_at": "2022-01-01T10:00:01.389Z", "finished_at": "2022-01-01T10:02:11.270Z" }"#;
        let (server, client) = server(Reply::json(200, body)).await;
        let job = client
            .get_job()
            .job_id("job-123456789012")
            .send()
            .await
            .unwrap();
        assert_eq!(job.status, Some(JobStatus::Unknown("ERROR".into())));
        assert_eq!(serde_json::to_value(&job).unwrap()["status"], "ERROR");
        assert_eq!(
            job.finished_at.unwrap().to_rfc3339(),
            "2022-01-01T10:02:11.270Z"
        );
        let r = &server.recorded()[0];
        assert_eq!(
            (r.method.as_str(), r.target.as_str()),
            ("POST", "/identity/v2/job/get")
        );
        assert_eq!(r.header("authorization"), Some("Bearer test-token"));
        assert_eq!(r.json(), serde_json::json!({"job_id": "job-123456789012"}));
    }

    #[tokio::test]
    async fn list_example_parses() {
        let body = r#"{ "results": [ { "job_id": "job-3b124006c2d2", "status": "SUCCESS", "resource_group": "DOMAIN", "plugin_id": "plugin-aws-cloud-service-inven-collector", "trusted_account_id": "ta-3b124006c2d2", "domain_id": "domain-58010aa2e451", "created_at": "2022-06-17T08:00:01.225Z", "updated_at": "2022-06-17T08:00:01.225Z", "finished_at": "2022-06-17T08:00:15.197Z" }, { "job_id": "job-587a3d3b4db3", "status": "SUCCESS", "resource_group": "DOMAIN", "plugin_id": "plugin-aws-cloud-service-inven-collector", "trusted_account_id": "ta-587a3d3b4db3", "domain_id": "domain-58010aa2e451", "created_at": "2022-06-17T08:00:00.407Z", "updated_at": "2022-06-17T08:00:00.407Z", "finished_at": "2022-06-17T08:07:32.023Z" } ], "total_count": 2 }"#;
        let (server, client) = server(Reply::json(200, body)).await;
        let out = client
            .list_jobs()
            .query(
                cloudjobs::spaceone_identity::types::Query::builder()
                    .page(
                        cloudjobs::spaceone_identity::types::Page::builder()
                            .start(1)
                            .limit(10)
                            .build(),
                    )
                    .build(),
            )
            .trusted_account_id("ta-123456789012")
            .send()
            .await
            .unwrap();
        assert_eq!(out.total_count, Some(2));
        assert_eq!(
            out.results.as_ref().unwrap()[1].job_id.as_deref(),
            Some("job-587a3d3b4db3")
        );
        assert_eq!(
            server.recorded()[0].json(),
            serde_json::json!({"query": {"page": {"start": 1, "limit": 10}}, "trusted_account_id": "ta-123456789012"})
        );
    }

    #[tokio::test]
    async fn empty_list_parses_from_empty_object_and_empty_body() {
        for body in ["{}", ""] {
            let (_server, client) = server(Reply::json(200, body)).await;
            let out = client.list_jobs().send().await.unwrap();
            assert_eq!(out.results, None);
            assert_eq!(out.total_count, None);
        }
    }

    #[tokio::test]
    async fn delete_returns_empty_output() {
        let (server, client) = server(Reply::json(200, "{}")).await;
        client.delete_job().job_id("job-1").send().await.unwrap();
        assert_eq!(server.recorded()[0].target, "/identity/v2/job/delete");
    }

    #[tokio::test]
    async fn stat_returns_the_struct() {
        let (_server, client) =
            server(Reply::json(200, r#"{"results": ["SUCCESS", "FAILURE"]}"#)).await;
        let out = client
            .stat_jobs()
            .query(
                cloudjobs::spaceone_identity::types::StatisticsQuery::builder()
                    .distinct("status")
                    .build(),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(out["results"][1], "FAILURE");
    }

    #[tokio::test]
    async fn real_gateway_path_prefix_is_configurable() {
        let server = MockServer::start(vec![Reply::json(200, "{}")]).await;
        let config = cloudjobs::Config::builder()
            .endpoint_url(&server.url)
            .bearer_token("t")
            .path_prefix("/identity")
            .build();
        Client::new(config).list_jobs().send().await.unwrap();
        assert_eq!(server.recorded()[0].target, "/identity/job/list");
    }

    async fn get_error(
        status: u16,
    ) -> cloudjobs::spaceone_identity::operation::get_job::GetJobError {
        let body = r#"{"detail": {"code": "ERROR_CODE_X", "message": "went wrong"}}"#;
        let (_s, client) = server(Reply::json(status, body)).await;
        let err = client
            .get_job()
            .job_id("job-1")
            .send()
            .await
            .unwrap_err()
            .into_service_error()
            .unwrap();
        assert_eq!(err.code(), Some("ERROR_CODE_X"));
        assert_eq!(err.message(), Some("went wrong"));
        assert_eq!(err.meta().status, status);
        err
    }

    #[tokio::test]
    async fn bad_request() {
        assert!(get_error(400).await.is_bad_request());
    }
    #[tokio::test]
    async fn unauthorized() {
        assert!(get_error(401).await.is_unauthorized());
    }
    #[tokio::test]
    async fn forbidden() {
        assert!(get_error(403).await.is_forbidden());
    }
    #[tokio::test]
    async fn not_found_keeps_detail() {
        match get_error(404).await {
            cloudjobs::spaceone_identity::operation::get_job::GetJobError::NotFound(e) => {
                assert_eq!(e.detail.unwrap().code.as_deref(), Some("ERROR_CODE_X"));
            }
            other => panic!("{other:?}"),
        }
    }
    #[tokio::test]
    async fn internal_server_error() {
        assert!(get_error(500).await.is_internal_server_error());
    }
    #[tokio::test]
    async fn service_unavailable() {
        assert!(get_error(503).await.is_service_unavailable());
    }
    #[tokio::test]
    async fn gateway_timeout() {
        assert!(get_error(504).await.is_gateway_timeout());
    }
    #[tokio::test]
    async fn list_delete_and_stat_map_errors_too() {
        let body = r#"{"detail": {"code": "ERROR_NOT_FOUND", "message": "gone"}}"#;
        let (_s, client) = server(Reply::json(404, body)).await;
        assert!(
            client
                .list_jobs()
                .send()
                .await
                .unwrap_err()
                .into_service_error()
                .unwrap()
                .is_not_found()
        );
        assert!(
            client
                .delete_job()
                .job_id("j")
                .send()
                .await
                .unwrap_err()
                .into_service_error()
                .unwrap()
                .is_not_found()
        );
        let q = cloudjobs::spaceone_identity::types::StatisticsQuery::builder()
            .distinct("status")
            .build();
        assert!(
            client
                .stat_jobs()
                .query(q)
                .send()
                .await
                .unwrap_err()
                .into_service_error()
                .unwrap()
                .is_not_found()
        );
    }
}

mod cloud_rewind {
    use super::*;
    use cloudjobs::cloud_rewind::Client;
    use cloudjobs::cloud_rewind::operation::get_aws_protection_status::GetAwsProtectionStatusError as E;

    async fn call(
        reply: Reply,
    ) -> (
        MockServer,
        Result<cloudjobs::cloud_rewind::types::ProtectionStatusResponse, cloudjobs::Error<E>>,
    ) {
        let server = MockServer::start(vec![reply]).await;
        let out = Client::new(bearer_config(&server.url))
            .get_aws_protection_status()
            .account_id(12345678)
            .project_id("123456")
            .cloud_assembly_id(1234)
            .protection_id("t12345678:123456:1234:145:1746784337032")
            .send()
            .await;
        (server, out)
    }

    #[tokio::test]
    async fn status_example_parses_and_request_is_a_get_with_labels_and_query() {
        let (server, out) = call(Reply {
            status: 200,
            headers: vec![("Content-Type".into(), "*/*".into())],
            body: r#"{"status": "created"}"#.into(),
        })
        .await;
        assert_eq!(
            out.unwrap().status,
            Some(cloudjobs::cloud_rewind::types::ProtectionStatus::Created)
        );
        let r = &server.recorded()[0];
        assert_eq!(r.method, "GET");
        assert_eq!(
            r.target,
            "/accounts/12345678/projects/123456/aws/cloud-assemblies/1234/protections/status?protection_id=t12345678%3A123456%3A1234%3A145%3A1746784337032"
        );
        assert_eq!(r.header("authorization"), Some("Bearer test-token"));
        assert!(r.body.is_empty());
    }

    #[tokio::test]
    async fn every_status_value_parses() {
        for v in cloudjobs::cloud_rewind::types::ProtectionStatus::values() {
            let (_s, out) = call(Reply::json(200, &format!(r#"{{"status": "{v}"}}"#))).await;
            let status = out.unwrap().status.unwrap();
            assert!(
                !matches!(
                    status,
                    cloudjobs::cloud_rewind::types::ProtectionStatus::Unknown(_)
                ),
                "{v}"
            );
            assert_eq!(status.as_str(), *v);
        }
    }

    async fn error(status: u16) -> E {
        let body = r#"{"errors":[{"code":"PROTECTION_LOCKED","message":"locked","type":"CONFLICT"}],"fieldErrors":{"protection_id":"bad"},"message":"it failed","requiredPermissions":["protection:read"]}"#;
        let (_s, out) = call(Reply::json(status, body)).await;
        let err = out.unwrap_err().into_service_error().unwrap();
        assert_eq!(err.meta().status, status);
        assert_eq!(err.message(), Some("it failed"));
        err
    }

    #[tokio::test]
    async fn unauthorized() {
        assert!(error(401).await.is_unauthorized());
    }
    #[tokio::test]
    async fn forbidden_keeps_required_permissions() {
        match error(403).await {
            E::Forbidden(e) => assert_eq!(
                e.required_permissions.unwrap(),
                vec!["protection:read".to_string()]
            ),
            other => panic!("{other:?}"),
        }
    }
    #[tokio::test]
    async fn not_found() {
        assert!(error(404).await.is_not_found());
    }
    #[tokio::test]
    async fn conflict_keeps_errors_and_field_errors() {
        match error(409).await {
            E::Conflict(e) => {
                assert_eq!(e.errors.unwrap()[0].r#type.as_deref(), Some("CONFLICT"));
                assert_eq!(e.field_errors.unwrap()["protection_id"], "bad");
            }
            other => panic!("{other:?}"),
        }
    }
    #[tokio::test]
    async fn precondition_failed() {
        assert!(error(412).await.is_precondition_failed());
    }
    #[tokio::test]
    async fn internal_server_error() {
        assert!(error(500).await.is_internal_server_error());
    }
    #[tokio::test]
    async fn non_json_error_body_is_kept_as_unhandled_or_modeled_with_status() {
        let (_s, out) = call(Reply::json(502, "<html>bad gateway</html>")).await;
        let err = out.unwrap_err();
        assert_eq!(err.status(), Some(502));
    }
}
