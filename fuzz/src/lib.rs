//! What the fuzz targets share: every generated operation behind one table, and a SigV4
//! signer so emulator inputs get past authentication into the handlers.

use cloudjobs_runtime::error::ErrorMetadata;
use cloudjobs_runtime::{HttpResponse, Operation, ProvideErrorMetadata, Validation};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

/// One generated operation, type-erased for the fuzz targets.
pub struct Op {
    /// `service.Operation`, for messages.
    pub name: &'static str,
    /// Decodes a response the way the runtime does.
    pub response: fn(&HttpResponse),
    /// Decodes an input from JSON, validates it, and serializes what validates.
    pub input: fn(&[u8]),
}

macro_rules! ops {
    ($($krate:ident :: $module:ident :: $op:ident),* $(,)?) => {
        /// Every operation of the five generated crates.
        pub const OPERATIONS: &[Op] = &[$(Op {
            name: concat!(stringify!($krate), ".", stringify!($op)),
            response: response::<$krate::operation::$module::$op>,
            input: input::<$krate::operation::$module::$op>,
        }),*];
    };
}

ops![
    cloudjobs_partner_central::list_resource_snapshot_jobs::ListResourceSnapshotJobs,
    cloudjobs_macie2::list_classification_jobs::ListClassificationJobs,
    cloudjobs_ssm_mw::describe_maintenance_window_execution_tasks::DescribeMaintenanceWindowExecutionTasks,
    cloudjobs_spaceone_identity::delete_job::DeleteJob,
    cloudjobs_spaceone_identity::get_job::GetJob,
    cloudjobs_spaceone_identity::list_jobs::ListJobs,
    cloudjobs_spaceone_identity::stat_jobs::StatJobs,
    cloudjobs_cloud_rewind::get_aws_protection_status::GetAwsProtectionStatus,
];

/// What the runtime does with a response: success statuses decode the output, the others
/// read the error metadata by the service's rules and pick the modeled error. Whatever the
/// bytes, this must return (an `Err` is fine), and the error must display.
pub fn response<O: Operation>(resp: &HttpResponse)
where
    O::Output: std::fmt::Debug,
{
    if O::is_success(resp.status) {
        if let Ok(out) = O::deserialize_output(resp) {
            let _ = format!("{out:?}");
        }
    } else {
        let meta = ErrorMetadata::from_response(&O::SERVICE.errors, resp);
        let err = O::deserialize_error(meta, resp);
        let _ = err.to_string();
        let _ = (err.code(), err.message(), format!("{err:?}"));
    }
}

/// Input handling: any JSON that decodes into the input is validated in both modes;
/// what passes full validation passes the relaxed one, and serializes.
pub fn input<O: Operation>(json: &[u8])
where
    O::Input: serde::de::DeserializeOwned,
{
    let Ok(input) = serde_json::from_slice::<O::Input>(json) else {
        return;
    };
    let full = O::validate(&input, Validation::Full);
    let relaxed = O::validate(&input, Validation::RequiredOnly);
    if let Err(e) = &full {
        let _ = e.to_string();
    }
    if full.is_ok() {
        assert!(
            relaxed.is_ok(),
            "full validation passed, relaxed failed: {relaxed:?}"
        );
        O::serialize(&input).expect("a validated input serializes");
    }
}

/// An `Authorization` header for a request the emulator accepts: SigV4 over `host`,
/// `x-amz-date` and the other headers given (lowercase names, sorted), and the body.
pub fn sigv4_authorization(
    access_key: &str,
    secret: &str,
    service: &str,
    path: &str,
    headers: &[(String, String)],
    amz_date: &str,
    body: &[u8],
) -> String {
    fn hmac(key: &[u8], data: &str) -> Vec<u8> {
        let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("any key length");
        mac.update(data.as_bytes());
        mac.finalize().into_bytes().to_vec()
    }
    let date = &amz_date[..8];
    let signed: Vec<&str> = headers.iter().map(|(k, _)| k.as_str()).collect();
    let canonical_headers: String = headers
        .iter()
        .map(|(k, v)| format!("{k}:{}\n", v.trim()))
        .collect();
    let canonical = format!(
        "POST\n{path}\n\n{canonical_headers}\n{}\n{}",
        signed.join(";"),
        hex::encode(Sha256::digest(body))
    );
    let scope = format!("{date}/us-east-1/{service}/aws4_request");
    let string_to_sign = format!(
        "AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{}",
        hex::encode(Sha256::digest(canonical.as_bytes()))
    );
    let mut key = hmac(format!("AWS4{secret}").as_bytes(), date);
    for part in ["us-east-1", service, "aws4_request"] {
        key = hmac(&key, part);
    }
    format!(
        "AWS4-HMAC-SHA256 Credential={access_key}/{scope}, SignedHeaders={}, Signature={}",
        signed.join(";"),
        hex::encode(hmac(&key, &string_to_sign))
    )
}

/// What the generator does with a spec a front-end read: the check pass, then, when it
/// passes, the emitter (which trusts a checked model, so must not panic on one).
pub fn generate(loaded: Result<xtask::ir::Service, xtask::ir::SpecError>) {
    let Ok(mut svc) = loaded else {
        return;
    };
    if xtask::check::check(&mut svc).is_ok() {
        // As `codegen::generate` does: the manifest names the crate.
        svc.crate_name = "cloudjobs-fuzzed".into();
        let info = xtask::emit::CrateInfo {
            description: "fuzz".into(),
            keywords: vec![],
            categories: vec![],
            env_prefix: "FUZZ".into(),
            feature: "fuzz".into(),
            examples: vec![],
        };
        let _ = xtask::emit::emit(&svc, &info);
    }
}
