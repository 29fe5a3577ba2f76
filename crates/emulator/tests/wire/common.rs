//! Helpers shared by the wire tests: starting the emulator, a SigV4 signer written from the
//! specification (HMAC-SHA256), and small HTTP helpers.

use cloudjobs_emulator::{Emulator, RunningEmulator};
use hmac::{Hmac, Mac};
use reqwest::header::{HeaderMap, HeaderValue};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::sync::Once;

pub const AK: &str = cloudjobs_emulator::DEFAULT_ACCESS_KEY;
pub const SK: &str = cloudjobs_emulator::DEFAULT_SECRET_KEY;
pub const TOKEN: &str = cloudjobs_emulator::DEFAULT_BEARER_TOKEN;

pub fn client() -> reqwest::Client {
    static INIT: Once = Once::new();
    INIT.call_once(|| {
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
    reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("client")
}

pub async fn start() -> RunningEmulator {
    start_with(|b| b).await
}

pub async fn start_with(
    f: impl FnOnce(cloudjobs_emulator::EmulatorBuilder) -> cloudjobs_emulator::EmulatorBuilder,
) -> RunningEmulator {
    f(Emulator::builder().seed(42).jobs_per_service(25))
        .start()
        .await
        .expect("start emulator")
}

/// A response reduced to what the tests look at.
#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: HeaderMap,
    pub json: Value,
    pub text: String,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The AWS error type as clients identify it (header, then `code`, then `__type`, sanitized).
    pub fn aws_code(&self) -> String {
        let raw = self
            .header("x-amzn-errortype")
            .map(str::to_string)
            .or_else(|| {
                self.json
                    .get("code")
                    .and_then(Value::as_str)
                    .map(str::to_string)
            })
            .or_else(|| {
                self.json
                    .get("__type")
                    .and_then(Value::as_str)
                    .map(str::to_string)
            })
            .unwrap_or_default();
        let raw = raw.split(':').next().unwrap_or("").to_string();
        raw.rsplit('#').next().unwrap_or("").to_string()
    }

    /// SpaceONE `detail.code`.
    pub fn sp_code(&self) -> &str {
        self.json["detail"]["code"].as_str().unwrap_or("")
    }
}

pub async fn into_resp(r: reqwest::Response) -> Resp {
    let status = r.status().as_u16();
    let headers = r.headers().clone();
    let text = r.text().await.unwrap_or_default();
    let json = serde_json::from_str(&text).unwrap_or(Value::Null);
    Resp {
        status,
        headers,
        json,
        text,
    }
}

/// Which AWS operation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Aws {
    Pcs,
    Macie,
    Ssm,
}

impl Aws {
    pub fn signing_name(self) -> &'static str {
        match self {
            Aws::Pcs => "partnercentral-selling",
            Aws::Macie => "macie2",
            Aws::Ssm => "ssm",
        }
    }
    fn path(self) -> &'static str {
        if self == Aws::Macie {
            "/jobs/list"
        } else {
            "/"
        }
    }
    fn content_type(self) -> &'static str {
        match self {
            Aws::Pcs => "application/x-amz-json-1.0",
            Aws::Macie => "application/json",
            Aws::Ssm => "application/x-amz-json-1.1",
        }
    }
    fn target(self) -> Option<&'static str> {
        match self {
            Aws::Pcs => Some("AWSPartnerCentralSelling.ListResourceSnapshotJobs"),
            Aws::Macie => None,
            Aws::Ssm => Some("AmazonSSM.DescribeMaintenanceWindowExecutionTasks"),
        }
    }
}

/// How to sign a request.
#[derive(Debug, Clone)]
pub struct Signing {
    pub access_key: String,
    pub secret: String,
    pub service: Option<String>,
    pub region: String,
    pub session_token: Option<String>,
    pub content_sha256: bool,
    pub sign: bool,
    /// Signing time: now plus this skew (the emulator refuses more than 15 minutes).
    pub clock_skew: time::Duration,
}

/// An `X-Amz-Date` value: the current time plus `skew`.
pub fn amz_date(skew: time::Duration) -> String {
    let format = time::macros::format_description!("[year][month][day]T[hour][minute][second]Z");
    (time::OffsetDateTime::now_utc() + skew)
        .format(format)
        .unwrap()
}

impl Default for Signing {
    fn default() -> Self {
        Signing {
            access_key: AK.into(),
            secret: SK.into(),
            service: None,
            region: "us-east-1".into(),
            session_token: None,
            content_sha256: false,
            sign: true,
            clock_skew: time::Duration::ZERO,
        }
    }
}

fn hmac(key: &[u8], data: &str) -> Vec<u8> {
    let mut m = Hmac::<Sha256>::new_from_slice(key).unwrap();
    m.update(data.as_bytes());
    m.finalize().into_bytes().to_vec()
}

/// SigV4 signature of a canonical request (headers given lowercased and sorted).
pub fn sign_headers(
    method: &str,
    path: &str,
    headers: &[(String, String)],
    body: &[u8],
    amz_date: &str,
    s: &Signing,
    service: &str,
) -> String {
    let date = &amz_date[..8];
    let signed: Vec<&str> = headers.iter().map(|(k, _)| k.as_str()).collect();
    let canonical_headers: String = headers
        .iter()
        .map(|(k, v)| format!("{k}:{}\n", v.trim()))
        .collect();
    let payload = hex::encode(Sha256::digest(body));
    let creq = format!(
        "{method}\n{path}\n\n{canonical_headers}\n{}\n{payload}",
        signed.join(";")
    );
    let scope = format!("{date}/{}/{service}/aws4_request", s.region);
    let sts = format!(
        "AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{}",
        hex::encode(Sha256::digest(creq.as_bytes()))
    );
    let k = hmac(format!("AWS4{}", s.secret).as_bytes(), date);
    let k = hmac(&k, &s.region);
    let k = hmac(&k, service);
    let k = hmac(&k, "aws4_request");
    let sig = hex::encode(hmac(&k, &sts));
    format!(
        "AWS4-HMAC-SHA256 Credential={}/{scope}, SignedHeaders={}, Signature={sig}",
        s.access_key,
        signed.join(";")
    )
}

/// Sends raw body bytes to an AWS operation, signed as `s` says.
pub async fn aws_raw(emu: &RunningEmulator, op: Aws, body: Vec<u8>, s: &Signing) -> Resp {
    let amz_date = &amz_date(s.clock_skew);
    let host = emu.addr().to_string();
    let mut hs: Vec<(String, String)> = vec![
        ("content-type".into(), op.content_type().into()),
        ("host".into(), host),
        ("x-amz-date".into(), amz_date.into()),
    ];
    if let Some(t) = op.target() {
        hs.push(("x-amz-target".into(), t.into()));
    }
    if let Some(tok) = &s.session_token {
        hs.push(("x-amz-security-token".into(), tok.clone()));
    }
    if s.content_sha256 {
        hs.push((
            "x-amz-content-sha256".into(),
            hex::encode(Sha256::digest(&body)),
        ));
    }
    hs.sort();
    let service = s
        .service
        .clone()
        .unwrap_or_else(|| op.signing_name().to_string());
    let auth = sign_headers("POST", op.path(), &hs, &body, amz_date, s, &service);
    let mut headers = HeaderMap::new();
    for (k, v) in &hs {
        if k != "host" {
            headers.insert(
                reqwest::header::HeaderName::from_bytes(k.as_bytes()).unwrap(),
                HeaderValue::from_str(v).unwrap(),
            );
        }
    }
    if s.sign {
        headers.insert("authorization", HeaderValue::from_str(&auth).unwrap());
    }
    let r = client()
        .post(format!("{}{}", emu.url(), op.path()))
        .headers(headers)
        .body(body)
        .send()
        .await
        .expect("send");
    into_resp(r).await
}

/// A correctly signed JSON call.
pub async fn aws(emu: &RunningEmulator, op: Aws, body: &Value) -> Resp {
    aws_raw(
        emu,
        op,
        serde_json::to_vec(body).unwrap(),
        &Signing::default(),
    )
    .await
}

/// POST to a SpaceONE path with the default token.
pub async fn sp(emu: &RunningEmulator, verb: &str, body: &Value) -> Resp {
    sp_raw(
        emu,
        &format!("/identity/v2/job/{verb}"),
        serde_json::to_vec(body).unwrap(),
        Some(TOKEN),
    )
    .await
}

pub async fn sp_raw(emu: &RunningEmulator, path: &str, body: Vec<u8>, token: Option<&str>) -> Resp {
    let mut req = client()
        .post(format!("{}{path}", emu.url()))
        .header("content-type", "application/json")
        .body(body);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    into_resp(req.send().await.expect("send")).await
}

/// GET a Cloud Rewind protection status.
pub async fn cr(
    emu: &RunningEmulator,
    account: &str,
    project: &str,
    assembly: &str,
    protection: Option<&str>,
    token: Option<&str>,
) -> Resp {
    let mut url = format!(
        "{}/accounts/{account}/projects/{project}/aws/cloud-assemblies/{assembly}/protections/status",
        emu.url()
    );
    if let Some(p) = protection {
        url.push_str(&format!("?protection_id={}", p.replace(':', "%3A")));
    }
    let mut req = client().get(url);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    into_resp(req.send().await.expect("send")).await
}

/// Admin API call.
pub async fn admin(
    emu: &RunningEmulator,
    method: reqwest::Method,
    path: &str,
    body: Option<Value>,
) -> Resp {
    let mut req = client().request(method, format!("{}/_emulator{path}", emu.url()));
    if let Some(b) = body {
        req = req.json(&b);
    }
    into_resp(req.send().await.expect("send")).await
}

/// Follows an AWS paginator to the end, returning every item.
pub async fn paginate(
    emu: &RunningEmulator,
    op: Aws,
    body: &Value,
    items_key: &str,
    token_key: &str,
) -> (Vec<Value>, usize) {
    let mut out = Vec::new();
    let mut body = body.clone();
    let mut pages = 0;
    loop {
        let r = aws(emu, op, &body).await;
        assert_eq!(r.status, 200, "{}", r.text);
        pages += 1;
        out.extend(r.json[items_key].as_array().cloned().unwrap_or_default());
        match r.json.get(token_key).and_then(Value::as_str) {
            Some(t) => body[token_key] = Value::from(t),
            None => return (out, pages),
        }
        assert!(pages < 1000, "runaway pagination");
    }
}

pub fn ids(items: &[Value], key: &str) -> Vec<String> {
    items
        .iter()
        .map(|i| i[key].as_str().unwrap_or("").to_string())
        .collect()
}

/// A timestamp as the emulator writes it for Macie2 and SpaceONE: UTC, milliseconds,
/// `YYYY-MM-DDTHH:MM:SS.mmmZ` (written here independently of the emulator's own formatter).
pub fn iso_millis(t: time::OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.millisecond()
    )
}
