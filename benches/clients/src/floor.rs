//! The floor: what a careful user writes by hand with no SDK at all. reqwest (on rustls with
//! ring, as cloudjobs), serde structs for exactly the fields of each page, aws-sigv4 for the
//! signature, and a loop over the page token. No validation, retries, error decoding or
//! timestamp parsing: the least work a typed client can do per page.
//!
//! `hello-floor` includes this file too, so the cold-build floor and the request-cost floor
//! are the same code.

use std::time::SystemTime;

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{SignableBody, SignableRequest, SigningSettings, sign};
use aws_sigv4::sign::v4;
use serde::{Deserialize, Serialize};

/// Any failure of the floor, as text (it is a benchmark baseline, not a library).
pub type FloorError = Box<dyn std::error::Error + Send + Sync>;

/// One endpoint, AWS key pair and bearer token, and one HTTP connection pool.
pub struct Floor {
    http: reqwest::Client,
    endpoint: String,
    region: String,
    credentials: Credentials,
    token: String,
}

/// What an AWS JSON call needs besides its body.
struct AwsCall<'a> {
    signing_name: &'a str,
    path: &'a str,
    /// `X-Amz-Target` and the awsJson content type, or `None` for restJson1.
    target: Option<(&'a str, &'a str)>,
}

impl Floor {
    /// A floor client for `endpoint` (no trailing slash).
    pub fn new(endpoint: &str, access_key: &str, secret_key: &str, token: &str) -> Floor {
        let _ = rustls::crypto::ring::default_provider().install_default();
        Floor {
            http: reqwest::Client::new(),
            endpoint: endpoint.trim_end_matches('/').to_string(),
            region: "us-east-1".to_string(),
            credentials: Credentials::new(access_key, secret_key, None, None, "floor"),
            token: token.to_string(),
        }
    }

    /// A signed awsJson or restJson1 `POST`, ready to send (or to clone and replay).
    fn aws(&self, call: AwsCall<'_>, body: Vec<u8>) -> Result<reqwest::Request, FloorError> {
        let url = format!("{}{}", self.endpoint, call.path);
        let content_type = call.target.map_or("application/json", |(_, ct)| ct);
        let mut headers: Vec<(&str, &str)> = vec![("content-type", content_type)];
        if let Some((target, _)) = call.target {
            headers.push(("x-amz-target", target));
        }
        let identity = self.credentials.clone().into();
        let params = v4::SigningParams::builder()
            .identity(&identity)
            .region(&self.region)
            .name(call.signing_name)
            .time(SystemTime::now())
            .settings(SigningSettings::default())
            .build()?
            .into();
        let signable = SignableRequest::new(
            "POST",
            &url,
            headers.iter().copied(),
            SignableBody::Bytes(&body),
        )?;
        let (instructions, _) = sign(signable, &params)?.into_parts();
        let mut request = self.http.post(&url);
        for (name, value) in headers.iter().copied().chain(instructions.headers()) {
            request = request.header(name, value);
        }
        Ok(request.body(body).build()?)
    }

    /// Sends a request and returns the body of a 2xx answer.
    pub async fn send(&self, request: reqwest::Request) -> Result<bytes::Bytes, FloorError> {
        let path = request.url().path().to_string();
        let response = self.http.execute(request).await?;
        let status = response.status();
        let bytes = response.bytes().await?;
        if !status.is_success() {
            return Err(format!("{path}: {status}: {}", String::from_utf8_lossy(&bytes)).into());
        }
        Ok(bytes)
    }

    /// One page of Partner Central `ListResourceSnapshotJobs`.
    pub async fn partner_central_page(
        &self,
        catalog: &str,
        max: i32,
        token: Option<String>,
    ) -> Result<PcsPage, FloorError> {
        let request = self.partner_central_request(catalog, max, token)?;
        Ok(serde_json::from_slice(&self.send(request).await?)?)
    }

    /// The signed request of one Partner Central page.
    pub fn partner_central_request(
        &self,
        catalog: &str,
        max: i32,
        token: Option<String>,
    ) -> Result<reqwest::Request, FloorError> {
        #[derive(Serialize)]
        #[serde(rename_all = "PascalCase")]
        struct Body<'a> {
            catalog: &'a str,
            max_results: i32,
            #[serde(skip_serializing_if = "Option::is_none")]
            next_token: Option<String>,
        }
        let body = serde_json::to_vec(&Body { catalog, max_results: max, next_token: token })?;
        let call = AwsCall {
            signing_name: "partnercentral-selling",
            path: "/",
            target: Some((
                "AWSPartnerCentralSelling.ListResourceSnapshotJobs",
                "application/x-amz-json-1.0",
            )),
        };
        self.aws(call, body)
    }

    /// One page of SSM `DescribeMaintenanceWindowExecutionTasks`.
    pub async fn ssm_page(
        &self,
        window_execution_id: &str,
        max: i32,
        token: Option<String>,
    ) -> Result<SsmPage, FloorError> {
        let request = self.ssm_request(window_execution_id, max, token)?;
        Ok(serde_json::from_slice(&self.send(request).await?)?)
    }

    /// The signed request of one SSM page.
    pub fn ssm_request(
        &self,
        window_execution_id: &str,
        max: i32,
        token: Option<String>,
    ) -> Result<reqwest::Request, FloorError> {
        #[derive(Serialize)]
        #[serde(rename_all = "PascalCase")]
        struct Body<'a> {
            window_execution_id: &'a str,
            max_results: i32,
            #[serde(skip_serializing_if = "Option::is_none")]
            next_token: Option<String>,
        }
        let body = serde_json::to_vec(&Body { window_execution_id, max_results: max, next_token: token })?;
        let call = AwsCall {
            signing_name: "ssm",
            path: "/",
            target: Some((
                "AmazonSSM.DescribeMaintenanceWindowExecutionTasks",
                "application/x-amz-json-1.1",
            )),
        };
        self.aws(call, body)
    }

    /// One page of Macie2 `ListClassificationJobs`.
    pub async fn macie2_page(&self, max: i32, token: Option<String>) -> Result<MaciePage, FloorError> {
        let request = self.macie2_request(max, token)?;
        Ok(serde_json::from_slice(&self.send(request).await?)?)
    }

    /// The signed request of one Macie2 page.
    pub fn macie2_request(&self, max: i32, token: Option<String>) -> Result<reqwest::Request, FloorError> {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Body {
            max_results: i32,
            #[serde(skip_serializing_if = "Option::is_none")]
            next_token: Option<String>,
        }
        let body = serde_json::to_vec(&Body { max_results: max, next_token: token })?;
        let call = AwsCall { signing_name: "macie2", path: "/jobs/list", target: None };
        self.aws(call, body)
    }

    /// One page of SpaceONE `job/list` (offset paging: `start` is 1-based).
    pub async fn spaceone_page(&self, start: u64, limit: u64) -> Result<SpaceOnePage, FloorError> {
        let request = self.spaceone_request(start, limit)?;
        Ok(serde_json::from_slice(&self.send(request).await?)?)
    }

    /// The request of one SpaceONE page.
    pub fn spaceone_request(&self, start: u64, limit: u64) -> Result<reqwest::Request, FloorError> {
        #[derive(Serialize)]
        struct Page {
            start: u64,
            limit: u64,
        }
        #[derive(Serialize)]
        struct Query {
            page: Page,
        }
        #[derive(Serialize)]
        struct Body {
            query: Query,
        }
        let body = Body { query: Query { page: Page { start, limit } } };
        let url = format!("{}/identity/v2/job/list", self.endpoint);
        Ok(self.http.post(url).json(&body).bearer_auth(&self.token).build()?)
    }

    /// Cloud Rewind "Get AWS Protection Status" of one protection.
    pub async fn cloud_rewind_status(
        &self,
        account_id: i64,
        project_id: &str,
        cloud_assembly_id: i64,
        protection_id: &str,
    ) -> Result<ProtectionStatus, FloorError> {
        let request =
            self.cloud_rewind_request(account_id, project_id, cloud_assembly_id, protection_id)?;
        Ok(serde_json::from_slice(&self.send(request).await?)?)
    }

    /// The request of one Cloud Rewind protection status.
    pub fn cloud_rewind_request(
        &self,
        account_id: i64,
        project_id: &str,
        cloud_assembly_id: i64,
        protection_id: &str,
    ) -> Result<reqwest::Request, FloorError> {
        let url = format!(
            "{}/accounts/{account_id}/projects/{project_id}/aws/cloud-assemblies/{cloud_assembly_id}/protections/status",
            self.endpoint
        );
        let mut url = reqwest::Url::parse(&url)?;
        url.query_pairs_mut().append_pair("protection_id", protection_id);
        Ok(self.http.get(url).bearer_auth(&self.token).build()?)
    }
}

/// A page of Partner Central resource snapshot jobs.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PcsPage {
    /// The jobs.
    #[serde(default)]
    pub resource_snapshot_job_summaries: Vec<PcsJob>,
    /// The next page's token.
    pub next_token: Option<String>,
}

/// A Partner Central resource snapshot job summary.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PcsJob {
    pub id: Option<String>,
    pub arn: Option<String>,
    pub engagement_id: Option<String>,
    pub status: Option<String>,
    pub catalog: Option<String>,
    pub created_date: Option<String>,
}

/// A page of SSM maintenance window execution tasks.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SsmPage {
    /// The tasks.
    #[serde(default)]
    pub window_execution_task_identities: Vec<SsmTask>,
    /// The next page's token.
    pub next_token: Option<String>,
}

/// One SSM maintenance window execution task.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SsmTask {
    pub window_execution_id: Option<String>,
    pub task_execution_id: Option<String>,
    pub status: Option<String>,
    pub status_details: Option<String>,
    pub start_time: Option<f64>,
    pub end_time: Option<f64>,
    pub task_arn: Option<String>,
    pub task_type: Option<String>,
    pub alarm_configuration: Option<SsmAlarmConfiguration>,
    pub triggered_alarms: Option<Vec<SsmAlarmState>>,
}

/// Alarms watched by an SSM task.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SsmAlarmConfiguration {
    pub ignore_poll_alarm_failure: Option<bool>,
    #[serde(default)]
    pub alarms: Vec<SsmAlarm>,
}

/// One alarm by name.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SsmAlarm {
    pub name: Option<String>,
}

/// An alarm that fired during a task.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SsmAlarmState {
    pub name: Option<String>,
    pub state: Option<String>,
}

/// A page of Macie2 classification jobs.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MaciePage {
    /// The jobs.
    #[serde(default)]
    pub items: Vec<MacieJob>,
    /// The next page's token.
    pub next_token: Option<String>,
}

/// A Macie2 classification job summary.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MacieJob {
    pub bucket_definitions: Option<Vec<MacieBuckets>>,
    pub bucket_criteria: Option<serde_json::Value>,
    pub created_at: Option<String>,
    pub job_id: Option<String>,
    pub job_status: Option<String>,
    pub job_type: Option<String>,
    pub last_run_error_status: Option<MacieErrorStatus>,
    pub name: Option<String>,
    pub user_paused_details: Option<MaciePaused>,
}

/// The buckets of one account a Macie2 job inspects.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MacieBuckets {
    pub account_id: Option<String>,
    #[serde(default)]
    pub buckets: Vec<String>,
}

/// Whether a Macie2 job's last run had errors.
#[derive(Debug, Deserialize)]
pub struct MacieErrorStatus {
    pub code: Option<String>,
}

/// When and until when a Macie2 job is paused by its user.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MaciePaused {
    pub job_expires_at: Option<String>,
    pub job_imminent_expiration_health_event_arn: Option<String>,
    pub job_paused_at: Option<String>,
}

/// A page of SpaceONE jobs.
#[derive(Debug, Deserialize)]
pub struct SpaceOnePage {
    /// The jobs.
    #[serde(default)]
    pub results: Vec<SpaceOneJob>,
    /// How many jobs match, over all pages.
    pub total_count: Option<u64>,
}

/// A SpaceONE identity job.
#[derive(Debug, Deserialize)]
pub struct SpaceOneJob {
    pub job_id: Option<String>,
    pub status: Option<String>,
    pub options: Option<serde_json::Map<String, serde_json::Value>>,
    pub error_code: Option<String>,
    pub error_message: Option<String>,
    pub resource_group: Option<String>,
    pub plugin_id: Option<String>,
    pub trusted_account_id: Option<String>,
    pub workspace_id: Option<String>,
    pub domain_id: Option<String>,
    pub created_at: Option<String>,
    pub updated_at: Option<String>,
    pub finished_at: Option<String>,
}

/// A Cloud Rewind protection status.
#[derive(Debug, Deserialize)]
pub struct ProtectionStatus {
    /// The status.
    pub status: Option<String>,
}
