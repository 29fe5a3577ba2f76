//! One call of each cloudjobs service, so that everything a user links is in the binary.
//! Without `HELLO_ENDPOINT_URL` it only prints which clients it built.

use cloudjobs::{Config, runtime::Credentials};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let Ok(url) = std::env::var("HELLO_ENDPOINT_URL") else {
        println!("hello from cloudjobs: set HELLO_ENDPOINT_URL to call five services");
        return Ok(());
    };
    let aws = Config::builder()
        .endpoint_url(&url)
        .region("us-east-1")
        .credentials(Credentials::new("AKID", "secret", None, None, "hello"))
        .build();
    let bearer = Config::builder().endpoint_url(&url).bearer_token("token").build();
    let pcs = cloudjobs::partner_central::Client::new(aws.clone());
    let out = pcs.list_resource_snapshot_jobs().catalog("AWS").send().await?;
    println!("partner central: {} bytes of debug", format!("{out:?}").len());
    let macie = cloudjobs::macie2::Client::new(aws.clone());
    let out = macie.list_classification_jobs().send().await?;
    println!("macie2: {} bytes of debug", format!("{out:?}").len());
    let ssm = cloudjobs::ssm_mw::Client::new(aws);
    let out = ssm
        .describe_maintenance_window_execution_tasks()
        .window_execution_id("12345678-1234-1234-1234-123456789012")
        .send()
        .await?;
    println!("ssm: {} bytes of debug", format!("{out:?}").len());
    let spaceone = cloudjobs::spaceone_identity::Client::new(bearer.clone());
    let out = spaceone.list_jobs().send().await?;
    println!("spaceone: {} bytes of debug", format!("{out:?}").len());
    let rewind = cloudjobs::cloud_rewind::Client::new(bearer);
    let out = rewind
        .get_aws_protection_status()
        .account_id(1)
        .project_id("p")
        .cloud_assembly_id(1)
        .protection_id("x")
        .send()
        .await?;
    println!("cloud rewind: {out:?}");
    Ok(())
}
