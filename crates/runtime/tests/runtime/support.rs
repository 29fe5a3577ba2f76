//! Test support: a scripted HTTP/1.1 server on 127.0.0.1, fake services and operations.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use cloudjobs_runtime::error::Unhandled;
use cloudjobs_runtime::{
    AuthScheme, Config, ConfigBuilder, EndpointRule, ErrorMetadata, ErrorRules, HttpRequest,
    HttpResponse, InvalidInput, Operation, OperationMeta, Protocol, ServiceMeta, TimeoutConfig,
    Validation, validate,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

// ---------------------------------------------------------------------------------------------
// Fake services, with the same metadata as the real ones.

pub static SSM: ServiceMeta = ServiceMeta {
    name: "ssm",
    sdk_id: "SSM",
    protocol: Protocol::AwsJson1_1 {
        target_prefix: "AmazonSSM",
    },
    auth: AuthScheme::SigV4 {
        signing_name: "ssm",
    },
    endpoint: EndpointRule::AwsRegional {
        prefix: "ssm",
        dual_stack_only: false,
    },
    path_prefix: "",
    throttling_codes: &[],
    env_prefix: "CLOUDJOBS_SSM",
    errors: ErrorRules::AWS_JSON,
};

pub static MACIE2: ServiceMeta = ServiceMeta {
    name: "macie2",
    sdk_id: "Macie2",
    protocol: Protocol::RestJson1,
    auth: AuthScheme::SigV4 {
        signing_name: "macie2",
    },
    endpoint: EndpointRule::AwsRegional {
        prefix: "macie2",
        dual_stack_only: false,
    },
    path_prefix: "",
    throttling_codes: &[],
    env_prefix: "CLOUDJOBS_MACIE2",
    errors: ErrorRules::AWS_JSON,
};

pub static PARTNER_CENTRAL: ServiceMeta = ServiceMeta {
    name: "partnercentral-selling",
    sdk_id: "PartnerCentral Selling",
    protocol: Protocol::AwsJson1_0 {
        target_prefix: "AWSPartnerCentralSelling",
    },
    auth: AuthScheme::SigV4 {
        signing_name: "partnercentral-selling",
    },
    endpoint: EndpointRule::AwsRegional {
        prefix: "partnercentral-selling",
        dual_stack_only: true,
    },
    path_prefix: "",
    throttling_codes: &[],
    env_prefix: "CLOUDJOBS_PARTNER_CENTRAL",
    errors: ErrorRules::AWS_JSON,
};

pub static SPACEONE: ServiceMeta = ServiceMeta {
    name: "spaceone-identity",
    sdk_id: "SpaceONE Identity",
    protocol: Protocol::Json,
    auth: AuthScheme::Bearer,
    endpoint: EndpointRule::BaseUrl,
    path_prefix: "/identity/v2",
    throttling_codes: &["ERROR_TOO_MANY_REQUESTS"],
    env_prefix: "CLOUDJOBS_SPACEONE",
    errors: SPACEONE_ERRORS,
};

/// What the generator derives for SpaceONE from its `ErrorResponse` schema (`detail.code`,
/// `detail.message`), followed by the common JSON API conventions.
pub const SPACEONE_ERRORS: ErrorRules = ErrorRules {
    code_headers: &[],
    code_pointers: &["/detail/code", "/code", "/error/code"],
    sanitize_code: false,
    message_pointers: &[
        "/detail/message",
        "/message",
        "/detail",
        "/detail/0/msg",
        "/error/message",
    ],
    reason_as_message: true,
    request_id_headers: &["x-request-id", "x-amzn-requestid", "x-amz-request-id"],
};

/// What the generator derives for Cloud Rewind from its `ErrorResponse` schema (`message`,
/// `errors[].code`, `errors[].message`), followed by the common JSON API conventions.
pub const CLOUD_REWIND_ERRORS: ErrorRules = ErrorRules {
    code_headers: &[],
    code_pointers: &["/errors/0/code", "/code", "/error/code"],
    sanitize_code: false,
    message_pointers: &[
        "/message",
        "/errors/0/message",
        "/detail",
        "/detail/0/msg",
        "/error/message",
    ],
    reason_as_message: true,
    request_id_headers: &["x-request-id", "x-amzn-requestid", "x-amz-request-id"],
};

pub static CLOUD_REWIND: ServiceMeta = ServiceMeta {
    name: "cloud-rewind",
    sdk_id: "Cloud Rewind",
    protocol: Protocol::Json,
    auth: AuthScheme::Bearer,
    endpoint: EndpointRule::BaseUrl,
    path_prefix: "",
    throttling_codes: &[],
    env_prefix: "CLOUDJOBS_CLOUD_REWIND",
    errors: CLOUD_REWIND_ERRORS,
};

/// Input of the raw test operations: body bytes as given, labels and query, and a `Catalog`
/// member checked like Partner Central's (required when `require_catalog`, pattern
/// `^[a-zA-Z]+$`).
#[derive(Debug, Clone, Default)]
pub struct RawIn {
    pub body: Option<Vec<u8>>,
    pub labels: Vec<(&'static str, String)>,
    pub query: Vec<(String, String)>,
    pub headers: Vec<(String, String)>,
    pub catalog: Option<String>,
    pub require_catalog: bool,
}

impl RawIn {
    pub fn body(body: &str) -> RawIn {
        RawIn {
            body: Some(body.as_bytes().to_vec()),
            ..RawIn::default()
        }
    }

    fn check(&self, mode: Validation) -> Result<(), InvalidInput> {
        if self.require_catalog {
            validate::required("Catalog", &self.catalog)?;
        }
        if let (Some(c), Validation::Full) = (&self.catalog, mode) {
            validate::pattern("Catalog", c, "^[a-zA-Z]+$")?;
        }
        Ok(())
    }
}

/// Output of the raw test operations: the JSON body.
#[derive(Debug)]
pub struct RawOut {
    pub json: serde_json::Value,
}

macro_rules! raw_op {
    ($name:ident, $svc:expr, $op:literal, $method:ident, $path:literal, $idem:expr) => {
        raw_op!($name, $svc, $op, $method, $path, $idem, &[]);
    };
    ($name:ident, $svc:expr, $op:literal, $method:ident, $path:literal, $idem:expr, $security:expr) => {
        pub struct $name;
        impl Operation for $name {
            type Input = RawIn;
            type Output = RawOut;
            type Error = Unhandled;
            const SERVICE: &'static ServiceMeta = $svc;
            const META: OperationMeta = OperationMeta {
                name: $op,
                method: http::Method::$method,
                path: $path,
                idempotent: $idem,
                unsigned: false,
                host_prefix: None,
                success_status: None,
                security: $security,
                upgrade: false,
                accept: None,
            };
            fn validate(input: &RawIn, mode: Validation) -> Result<(), InvalidInput> {
                input.check(mode)
            }
            fn serialize(input: &RawIn) -> Result<HttpRequest, serde_json::Error> {
                Ok(HttpRequest {
                    labels: input.labels.clone(),
                    query: input.query.clone(),
                    headers: input.headers.clone(),
                    body: input.body.clone(),
                    ..HttpRequest::default()
                })
            }
            fn deserialize_output(r: &HttpResponse) -> Result<RawOut, serde_json::Error> {
                let json =
                    serde_json::from_slice(cloudjobs_runtime::__private::json_body(&r.body))?;
                Ok(RawOut { json })
            }
            fn deserialize_error(meta: ErrorMetadata, r: &HttpResponse) -> Unhandled {
                Unhandled::new(meta, &r.body)
            }
        }
    };
}

raw_op!(
    SsmDescribe,
    &SSM,
    "DescribeMaintenanceWindowExecutionTasks",
    POST,
    "/",
    true
);
raw_op!(
    MacieList,
    &MACIE2,
    "ListClassificationJobs",
    POST,
    "/jobs/list",
    true
);
raw_op!(
    PcsList,
    &PARTNER_CENTRAL,
    "ListResourceSnapshotJobs",
    POST,
    "/",
    true
);
raw_op!(SpaceoneList, &SPACEONE, "list", POST, "/job/list", true);
raw_op!(
    SpaceoneDelete,
    &SPACEONE,
    "delete",
    POST,
    "/job/delete",
    false
);
raw_op!(
    RewindStatus,
    &CLOUD_REWIND,
    "GetAwsProtectionStatus",
    GET,
    "/accounts/{accountId}/projects/{projectId}/aws/cloud-assemblies/{cloudAssemblyId}/protections/status",
    true
);

/// An OpenAPI service whose operations name their security schemes.
pub static KEYS: ServiceMeta = ServiceMeta {
    name: "keys",
    sdk_id: "Keys",
    protocol: Protocol::Json,
    auth: AuthScheme::PerOperation,
    endpoint: EndpointRule::BaseUrl,
    path_prefix: "",
    throttling_codes: &[],
    env_prefix: "CLOUDJOBS_KEYS",
    errors: CLOUD_REWIND_ERRORS,
};

raw_op!(
    KeysGet,
    &KEYS,
    "getThing",
    GET,
    "/thing",
    true,
    &[&[cloudjobs_runtime::SecurityScheme::ApiKeyQuery("api_key")]]
);

// ---------------------------------------------------------------------------------------------
// Configs.

/// 2015-08-30T12:36:00Z, the golden vectors' time.
pub fn vector_time() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_440_938_160)
}

/// An HTTP client that never uses a proxy and keeps no idle connection (no pool timers, so
/// tokio's paused clock only moves when the code under test sleeps).
pub fn test_http_client() -> reqwest::Client {
    cloudjobs_runtime::http_client_builder()
        .no_proxy()
        .pool_max_idle_per_host(0)
        .build()
        .expect("client")
}

/// A config for the local server: endpoint, example credentials, region, test client, no
/// timeouts, fast backoff.
pub fn local_config(server: &TestServer) -> ConfigBuilder {
    Config::builder()
        .endpoint_url(server.url())
        .region("us-east-1")
        .credentials(example_credentials())
        .bearer_token("test-token")
        .http_client(test_http_client())
        .timeout_config(TimeoutConfig::disabled())
}

pub fn example_credentials() -> cloudjobs_runtime::Credentials {
    cloudjobs_runtime::Credentials::new(
        "AKIDEXAMPLE",
        "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        None,
        None,
        "test",
    )
}

// ---------------------------------------------------------------------------------------------
// The scripted server.

/// A request as the server received it.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    pub target: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or(serde_json::Value::Null)
    }
}

/// What the server does with a request.
#[derive(Debug, Clone)]
pub enum Reply {
    Respond {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
    /// Never answer (keeps the connection open).
    Hang,
}

impl Reply {
    pub fn json(status: u16, body: serde_json::Value) -> Reply {
        Reply::Respond {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: body.to_string().into_bytes(),
        }
    }

    pub fn with_header(mut self, name: &str, value: &str) -> Reply {
        if let Reply::Respond { headers, .. } = &mut self {
            headers.push((name.to_owned(), value.to_owned()));
        }
        self
    }

    pub fn raw(status: u16, body: &str) -> Reply {
        Reply::Respond {
            status,
            headers: vec![],
            body: body.as_bytes().to_vec(),
        }
    }
}

type Handler = Arc<dyn Fn(&Recorded, usize) -> Reply + Send + Sync>;

/// A local HTTP/1.1 server on 127.0.0.1 that records requests and answers with a handler
/// (given the request and its 0-based index).
pub struct TestServer {
    pub addr: SocketAddr,
    pub requests: Arc<Mutex<Vec<Recorded>>>,
}

impl TestServer {
    pub async fn start(
        handler: impl Fn(&Recorded, usize) -> Reply + Send + Sync + 'static,
    ) -> TestServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().unwrap();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let handler: Handler = Arc::new(handler);
        let recorded = requests.clone();
        tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                let handler = handler.clone();
                let recorded = recorded.clone();
                tokio::spawn(async move {
                    let _ = serve_connection(stream, handler, recorded).await;
                });
            }
        });
        TestServer { addr, requests }
    }

    /// A server answering with `replies` in order, repeating the last one.
    pub async fn scripted(replies: Vec<Reply>) -> TestServer {
        TestServer::start(move |_, i| replies[i.min(replies.len() - 1)].clone()).await
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn count(&self) -> usize {
        self.requests.lock().unwrap().len()
    }

    pub fn request(&self, i: usize) -> Recorded {
        self.requests.lock().unwrap()[i].clone()
    }
}

async fn serve_connection(
    mut stream: TcpStream,
    handler: Handler,
    recorded: Arc<Mutex<Vec<Recorded>>>,
) -> std::io::Result<()> {
    let mut buf = Vec::new();
    loop {
        // Read the head.
        let head_end = loop {
            if let Some(pos) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break pos + 4;
            }
            let mut chunk = [0u8; 4096];
            let n = stream.read(&mut chunk).await?;
            if n == 0 {
                return Ok(());
            }
            buf.extend_from_slice(&chunk[..n]);
        };
        let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
        let mut lines = head.split("\r\n");
        let request_line = lines.next().unwrap_or_default();
        let mut parts = request_line.split(' ');
        let method = parts.next().unwrap_or_default().to_owned();
        let target = parts.next().unwrap_or_default().to_owned();
        let headers: Vec<(String, String)> = lines
            .filter(|l| !l.is_empty())
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
            .collect();
        let len: usize = headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
            .and_then(|(_, v)| v.parse().ok())
            .unwrap_or(0);
        while buf.len() < head_end + len {
            let mut chunk = [0u8; 4096];
            let n = stream.read(&mut chunk).await?;
            if n == 0 {
                return Ok(());
            }
            buf.extend_from_slice(&chunk[..n]);
        }
        let body = buf[head_end..head_end + len].to_vec();
        buf.drain(..head_end + len);
        let request = Recorded {
            method,
            target,
            headers,
            body,
        };
        let index = {
            let mut all = recorded.lock().unwrap();
            all.push(request.clone());
            all.len() - 1
        };
        match handler(&request, index) {
            Reply::Hang => {
                std::future::pending::<()>().await;
            }
            Reply::Respond {
                status,
                headers,
                body,
            } => {
                let reason = http::StatusCode::from_u16(status)
                    .ok()
                    .and_then(|s| s.canonical_reason())
                    .unwrap_or("Unknown");
                let mut out = format!(
                    "HTTP/1.1 {status} {reason}\r\ncontent-length: {}\r\n",
                    body.len()
                );
                for (k, v) in headers {
                    out.push_str(&format!("{k}: {v}\r\n"));
                }
                out.push_str("\r\n");
                stream.write_all(out.as_bytes()).await?;
                stream.write_all(&body).await?;
                stream.flush().await?;
            }
        }
    }
}
