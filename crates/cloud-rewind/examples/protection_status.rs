//! Reads the status of Cloud Rewind AWS protections, and tells the documented errors apart.
//!
//! ```text
//! cargo run -p cloudjobs-cloud-rewind --example protection_status
//! CLOUDJOBS_CLOUD_REWIND_TOKEN=... cargo run -p cloudjobs-cloud-rewind --example protection_status -- \
//!     --endpoint-url https://rewind.example.com/api/v1 \
//!     --account-id 1 --project-id my-project --cloud-assembly-id 2 --protection-id prot-1
//! ```
//!
//! Without `--endpoint-url` the example starts the cloudjobs emulator in this process, uses its
//! token and asks for every protection the emulator holds (including a locked one, answered
//! with 409, and one in a disabled cloud assembly, answered with 412). With it, the token comes
//! from `CLOUDJOBS_CLOUD_REWIND_TOKEN` and the four ids name the one protection to read.

use cloudjobs_cloud_rewind::operation::get_aws_protection_status::GetAwsProtectionStatusError;
use cloudjobs_cloud_rewind::{Client, Config, SdkError};

const USAGE: &str = "usage: protection_status [--endpoint-url URL --account-id N --project-id ID \
                     --cloud-assembly-id N --protection-id ID]";

/// Where a protection lives.
struct Protection {
    account_id: i64,
    project_id: String,
    cloud_assembly_id: i64,
    protection_id: String,
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (mut endpoint_url, mut account, mut project, mut assembly, mut protection) =
        (None, None, None, None, None);
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match (arg.as_str(), args.next()) {
            ("--endpoint-url", Some(v)) => endpoint_url = Some(v),
            ("--account-id", Some(v)) => account = Some(v.parse::<i64>()?),
            ("--project-id", Some(v)) => project = Some(v),
            ("--cloud-assembly-id", Some(v)) => assembly = Some(v.parse::<i64>()?),
            ("--protection-id", Some(v)) => protection = Some(v),
            _ => return Err(USAGE.into()),
        }
    }

    let mut emulator = None;
    let (config, protections) = match endpoint_url {
        Some(url) => {
            let one = Protection {
                account_id: account.ok_or(USAGE)?,
                project_id: project.ok_or(USAGE)?,
                cloud_assembly_id: assembly.ok_or(USAGE)?,
                protection_id: protection.ok_or(USAGE)?,
            };
            let config = Config::from_env()
                .await?
                .to_builder()
                .endpoint_url(url)
                .build();
            (config, vec![one])
        }
        None => {
            let emu = cloudjobs_emulator::Emulator::builder().start().await?;
            let config = Config::builder()
                .endpoint_url(emu.url())
                .bearer_token(cloudjobs_emulator::DEFAULT_BEARER_TOKEN)
                .build();
            let all = emu
                .seeded()
                .cloud_rewind
                .protections
                .into_iter()
                .map(|p| Protection {
                    account_id: p.account_id,
                    project_id: p.project_id,
                    cloud_assembly_id: p.cloud_assembly_id,
                    protection_id: p.protection_id,
                })
                .collect();
            emulator = Some(emu);
            (config, all)
        }
    };
    let client = Client::new(config);

    for p in &protections {
        let result = client
            .get_aws_protection_status()
            .account_id(p.account_id)
            .project_id(&p.project_id)
            .cloud_assembly_id(p.cloud_assembly_id)
            .protection_id(&p.protection_id)
            .send()
            .await;
        let answer = match result {
            Ok(out) => out
                .status
                .map_or("-".to_string(), |s| s.as_str().to_string()),
            // The modeled errors carry the service's own error body.
            Err(SdkError::Service { err, .. }) => match err {
                GetAwsProtectionStatusError::Conflict(_) => "locked (409)".to_string(),
                GetAwsProtectionStatusError::PreconditionFailed(_) => {
                    "cloud assembly disabled (412)".to_string()
                }
                GetAwsProtectionStatusError::NotFound(_) => "not found (404)".to_string(),
                other => return Err(other.into()),
            },
            Err(other) => return Err(other.into()),
        };
        println!(
            "account {} project {} assembly {} protection {}: {answer}",
            p.account_id, p.project_id, p.cloud_assembly_id, p.protection_id
        );
    }

    if let Some(emu) = emulator {
        emu.shutdown().await;
    }
    Ok(())
}
