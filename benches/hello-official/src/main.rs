//! One call of each of the three official AWS SDK crates, configured by aws-config. Without
//! `HELLO_ENDPOINT_URL` it only prints a line.

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let Ok(url) = std::env::var("HELLO_ENDPOINT_URL") else {
        println!("hello from the official AWS SDKs: set HELLO_ENDPOINT_URL to call three services");
        return Ok(());
    };
    let config = aws_config::from_env()
        .endpoint_url(&url)
        .region("us-east-1")
        .load()
        .await;
    let pcs = aws_sdk_partnercentralselling::Client::new(&config);
    let out = pcs.list_resource_snapshot_jobs().catalog("AWS").send().await?;
    println!("partner central: {} bytes of debug", format!("{out:?}").len());
    let macie = aws_sdk_macie2::Client::new(&config);
    let out = macie.list_classification_jobs().send().await?;
    println!("macie2: {} bytes of debug", format!("{out:?}").len());
    let ssm = aws_sdk_ssm::Client::new(&config);
    let out = ssm
        .describe_maintenance_window_execution_tasks()
        .window_execution_id("12345678-1234-1234-1234-123456789012")
        .send()
        .await?;
    println!("ssm: {} bytes of debug", format!("{out:?}").len());
    Ok(())
}
