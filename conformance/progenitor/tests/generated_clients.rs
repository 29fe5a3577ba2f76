//! Uses the clients progenitor generated from our two OpenAPI specs.
//!
//! Every operation of both specs is called through its generated builder. Input that breaks a
//! spec rule is refused by the generated code before anything is sent; well-formed calls go to
//! a one-shot HTTP server on 127.0.0.1 (started by the test, nothing else is contacted) that
//! records the request and answers with a canned JSON body, so the tests check the method,
//! path, query and body progenitor derived from the spec and that the typed responses decode.
//! Every exchange runs under a timeout, so a broken client cannot hang the test.

use std::time::Duration;

use cloudjobs_progenitor_conformance::{cloud_rewind, spaceone_identity};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// Upper bound for one request/response exchange with the local server.
const TIMEOUT: Duration = Duration::from_secs(20);

/// A port nothing listens on: calls that must fail before sending use it, so a client that
/// sent anyway would get a connection error instead of the expected `InvalidRequest`.
const UNREACHABLE: &str = "http://127.0.0.1:1";

/// What the local server saw.
#[derive(Debug)]
struct Recorded {
    method: String,
    /// Path and query string, exactly as sent.
    target: String,
    body: Vec<u8>,
}

impl Recorded {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).expect("request body is JSON")
    }
}

/// Serves exactly one HTTP/1.1 request on a fresh loopback port with `status` and the JSON
/// `reply`, and hands back what was received. Returns the base URL and the pending record.
async fn one_shot(
    status: u16,
    reply: Value,
) -> (String, tokio::task::JoinHandle<std::io::Result<Recorded>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let task = tokio::spawn(async move {
        let (mut stream, _) = listener.accept().await?;
        let mut buf = Vec::new();
        let head_end = loop {
            if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break i + 4;
            }
            let mut chunk = [0u8; 4096];
            let n = stream.read(&mut chunk).await?;
            assert!(
                n > 0,
                "client closed the connection before the end of the headers"
            );
            buf.extend_from_slice(&chunk[..n]);
        };
        let head = String::from_utf8(buf[..head_end].to_vec()).expect("ASCII headers");
        let mut request_line = head.lines().next().unwrap().split(' ');
        let method = request_line.next().unwrap().to_owned();
        let target = request_line.next().unwrap().to_owned();
        let content_length: usize = head
            .lines()
            .filter_map(|l| l.split_once(':'))
            .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
            .map_or(0, |(_, v)| v.trim().parse().unwrap());
        let mut body = buf[head_end..].to_vec();
        while body.len() < content_length {
            let mut chunk = [0u8; 4096];
            let n = stream.read(&mut chunk).await?;
            assert!(
                n > 0,
                "client closed the connection before the end of the body"
            );
            body.extend_from_slice(&chunk[..n]);
        }
        let reply = reply.to_string();
        let response = format!(
            "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\
             connection: close\r\n\r\n{reply}",
            reply.len()
        );
        stream.write_all(response.as_bytes()).await?;
        stream.shutdown().await?;
        Ok(Recorded {
            method,
            target,
            body,
        })
    });
    (base, task)
}

/// Runs `call` against a one-shot server answering `status`/`reply`; returns the call's result
/// and what the server received.
async fn exchange<F, T>(status: u16, reply: Value, call: impl FnOnce(String) -> F) -> (T, Recorded)
where
    F: std::future::Future<Output = T>,
{
    let (base, server) = one_shot(status, reply).await;
    let result = tokio::time::timeout(TIMEOUT, call(base))
        .await
        .expect("client call timed out");
    let recorded = tokio::time::timeout(TIMEOUT, server)
        .await
        .expect("server timed out")
        .expect("server task panicked")
        .expect("server I/O failed");
    (result, recorded)
}

fn invalid_request<E: std::fmt::Debug>(err: progenitor_client::Error<E>) -> String {
    match err {
        progenitor_client::Error::InvalidRequest(msg) => msg,
        other => panic!("expected InvalidRequest, got {other:?}"),
    }
}

mod spaceone {
    use super::*;
    use spaceone_identity::Client;
    use spaceone_identity::types::{
        JobRequest, JobStatQuery, JobStatus, JobsQuery, Page, Query, ResourceGroup, StatisticsQuery,
    };

    #[tokio::test]
    async fn get_job_posts_the_job_id_and_decodes_the_record() {
        let reply = json!({
            "job_id": "job-3b124006c2d2",
            "status": "SUCCESS",
            "resource_group": "DOMAIN",
            "created_at": "2022-06-17T08:00:01.225Z",
            "finished_at": "2022-06-17T08:00:15.197Z"
        });
        let (result, seen) = exchange(200, reply, |base| async move {
            Client::new(&base)
                .get_job()
                .body(JobRequest::builder().job_id("job-3b124006c2d2"))
                .send()
                .await
        })
        .await;
        assert_eq!(seen.method, "POST");
        assert_eq!(seen.target, "/identity/v2/job/get");
        assert_eq!(seen.json(), json!({"job_id": "job-3b124006c2d2"}));
        let job = result.expect("get_job succeeds").into_inner();
        assert_eq!(job.job_id.as_deref(), Some("job-3b124006c2d2"));
        assert_eq!(job.status, Some(JobStatus::Success));
        assert_eq!(job.resource_group, Some(ResourceGroup::Domain));
        let created = job.created_at.expect("created_at decoded as a timestamp");
        let finished = job.finished_at.expect("finished_at decoded as a timestamp");
        assert_eq!((finished - created).num_milliseconds(), 13_972);
    }

    #[tokio::test]
    async fn delete_job_decodes_the_empty_reply_and_the_error_body() {
        let (result, seen) = exchange(200, json!({}), |base| async move {
            Client::new(&base)
                .delete_job()
                .body(JobRequest::builder().job_id("job-123456789012"))
                .send()
                .await
        })
        .await;
        assert_eq!(seen.method, "POST");
        assert_eq!(seen.target, "/identity/v2/job/delete");
        assert_eq!(seen.json(), json!({"job_id": "job-123456789012"}));
        assert!(
            result
                .expect("delete_job succeeds")
                .into_inner()
                .0
                .is_empty()
        );

        // A documented error status comes back as the spec's ErrorResponse.
        let reply = json!({"detail": {"code": "ERROR_NOT_FOUND", "message": "gone"}});
        let (result, _) = exchange(404, reply, |base| async move {
            Client::new(&base)
                .delete_job()
                .body(JobRequest::builder().job_id("job-123456789012"))
                .send()
                .await
        })
        .await;
        match result.expect_err("404 is an error") {
            progenitor_client::Error::ErrorResponse(rv) => {
                assert_eq!(rv.status().as_u16(), 404);
                let detail = rv.into_inner().detail.expect("detail present");
                assert_eq!(detail.code.as_deref(), Some("ERROR_NOT_FOUND"));
            }
            other => panic!("expected ErrorResponse, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn list_jobs_sends_the_paging_query_and_decodes_the_page() {
        let reply = json!({
            "results": [
                {"job_id": "job-1", "status": "IN_PROGRESS"},
                {"job_id": "job-2", "status": "FAILURE", "error_message": "boom"}
            ],
            "total_count": 7
        });
        let (result, seen) = exchange(200, reply, |base| async move {
            let request = JobsQuery {
                trusted_account_id: Some("ta-123456789012".into()),
                status: Some(JobStatus::InProgress),
                query: Some(Query {
                    page: Some(Page {
                        start: Some(1),
                        limit: Some(2),
                    }),
                    ..Default::default()
                }),
                ..Default::default()
            };
            Client::new(&base).list_jobs().body(request).send().await
        })
        .await;
        assert_eq!(seen.method, "POST");
        assert_eq!(seen.target, "/identity/v2/job/list");
        assert_eq!(
            seen.json(),
            json!({
                "trusted_account_id": "ta-123456789012",
                "status": "IN_PROGRESS",
                "query": {"page": {"start": 1, "limit": 2}}
            })
        );
        let page = result.expect("list_jobs succeeds").into_inner();
        assert_eq!(page.total_count, Some(7));
        let statuses: Vec<_> = page.results.iter().map(|j| j.status).collect();
        assert_eq!(
            statuses,
            [Some(JobStatus::InProgress), Some(JobStatus::Failure)]
        );
        assert_eq!(page.results[1].error_message.as_deref(), Some("boom"));
    }

    #[tokio::test]
    async fn stat_jobs_sends_the_statistics_query_and_passes_the_result_through() {
        let reply = json!({"results": ["FAILURE", "SUCCESS"]});
        let (result, seen) = exchange(200, reply, |base| async move {
            let request = JobStatQuery {
                query: StatisticsQuery {
                    distinct: Some("status".into()),
                    ..Default::default()
                },
            };
            Client::new(&base).stat_jobs().body(request).send().await
        })
        .await;
        assert_eq!(seen.method, "POST");
        assert_eq!(seen.target, "/identity/v2/job/stat");
        assert_eq!(seen.json(), json!({"query": {"distinct": "status"}}));
        let stat = result.expect("stat_jobs succeeds").into_inner();
        assert_eq!(stat.get("results"), Some(&json!(["FAILURE", "SUCCESS"])));
    }

    #[tokio::test]
    async fn spec_rules_are_checked_before_sending() {
        let client = Client::new(UNREACHABLE);
        // `job_id` is required with minLength 1 in JobRequest.
        let msg = invalid_request(client.get_job().send().await.unwrap_err());
        assert!(msg.contains("job_id"), "{msg}");
        let msg = invalid_request(
            client
                .delete_job()
                .body(JobRequest::builder().job_id(""))
                .send()
                .await
                .unwrap_err(),
        );
        assert!(msg.contains("job_id"), "{msg}");
        // `query` is required in JobStatQuery.
        let msg = invalid_request(client.stat_jobs().send().await.unwrap_err());
        assert!(msg.contains("query"), "{msg}");
    }
}

mod rewind {
    use super::*;
    use cloud_rewind::Client;
    use cloud_rewind::types::ProtectionStatus;

    #[tokio::test]
    async fn get_aws_protection_status_fills_the_path_and_query() {
        let reply = json!({"status": "preparation-completed"});
        let (result, seen) = exchange(200, reply, |base| async move {
            Client::new(&base)
                .get_aws_protection_status()
                .account_id(12_345_678_i64)
                .project_id("123 456")
                .cloud_assembly_id(1234_i64)
                .protection_id("p-1&x")
                .send()
                .await
        })
        .await;
        assert_eq!(seen.method, "GET");
        assert_eq!(
            seen.target,
            "/accounts/12345678/projects/123%20456/aws/cloud-assemblies/1234/protections/status\
             ?protection_id=p-1%26x"
        );
        assert!(seen.body.is_empty());
        let status = result.expect("status call succeeds").into_inner().status;
        assert_eq!(status, Some(ProtectionStatus::PreparationCompleted));
        assert_eq!(
            ProtectionStatus::PreparationCompleted.to_string(),
            "preparation-completed"
        );
    }

    #[tokio::test]
    async fn documented_errors_decode_as_error_response() {
        let reply = json!({
            "message": "forbidden",
            "requiredPermissions": ["protection:read"],
            "fieldErrors": {"protection_id": "unknown"}
        });
        let (result, _) = exchange(403, reply, |base| async move {
            Client::new(&base)
                .get_aws_protection_status()
                .account_id(1_i64)
                .project_id("2")
                .cloud_assembly_id(3_i64)
                .protection_id("4")
                .send()
                .await
        })
        .await;
        match result.expect_err("403 is an error") {
            progenitor_client::Error::ErrorResponse(rv) => {
                let body = rv.into_inner();
                assert_eq!(body.message.as_deref(), Some("forbidden"));
                assert_eq!(body.required_permissions, ["protection:read"]);
                assert_eq!(
                    body.field_errors.get("protection_id").map(String::as_str),
                    Some("unknown")
                );
            }
            other => panic!("expected ErrorResponse, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn required_parameters_are_checked_before_sending() {
        let msg = invalid_request(
            Client::new(UNREACHABLE)
                .get_aws_protection_status()
                .account_id(1_i64)
                .project_id("2")
                .cloud_assembly_id(3_i64)
                .send()
                .await
                .unwrap_err(),
        );
        assert!(msg.contains("protection_id"), "{msg}");
    }
}
