//! `cloudjobs emulator`: the emulator in the foreground.

use std::io::Write;

use cloudjobs_emulator::{
    DEFAULT_ACCESS_KEY, DEFAULT_BEARER_TOKEN, DEFAULT_SECRET_KEY, Emulator, Progress, Seeded,
};

use crate::args::EmulatorArgs;
use crate::error::CliError;

/// The lines printed when the emulator is up: the URL first, then the settings a client needs,
/// as shell `export` lines.
pub fn banner(url: &str, seeded: &Seeded) -> String {
    let mut text = format!(
        "listening on {url}\n\
         export AWS_ACCESS_KEY_ID={DEFAULT_ACCESS_KEY}\n\
         export AWS_SECRET_ACCESS_KEY={DEFAULT_SECRET_KEY}\n\
         export AWS_REGION=us-east-1\n\
         export AWS_ENDPOINT_URL={url}\n\
         export CLOUDJOBS_SPACEONE_ENDPOINT_URL={url}\n\
         export CLOUDJOBS_CLOUD_REWIND_ENDPOINT_URL={url}\n\
         export CLOUDJOBS_SPACEONE_TOKEN={DEFAULT_BEARER_TOKEN}\n\
         export CLOUDJOBS_CLOUD_REWIND_TOKEN={DEFAULT_BEARER_TOKEN}\n"
    );
    text.push_str(&format!(
        "# seeded ids: {url}/_emulator/seeded (whole data set: {url}/_emulator/fixture)\n"
    ));
    if let Some(id) = seeded.ssm.window_execution_ids.first() {
        text.push_str(&format!(
            "# try: cloudjobs ssm-mw list --window-execution-id {id}\n"
        ));
    }
    if let Some(p) = seeded.cloud_rewind.protections.first() {
        text.push_str(&format!(
            "# try: cloudjobs cloud-rewind get --account-id {} --project-id {} --cloud-assembly-id {} --protection-id {}\n",
            p.account_id, p.project_id, p.cloud_assembly_id, p.protection_id
        ));
    }
    text.push_str("# press Ctrl-C to stop\n");
    text
}

/// Runs the emulator until Ctrl-C (or SIGTERM on Unix).
pub async fn run(args: &EmulatorArgs) -> Result<(), CliError> {
    let mut builder = Emulator::builder()
        .seed(args.seed)
        .aws_credentials(DEFAULT_ACCESS_KEY, DEFAULT_SECRET_KEY)
        .bearer_token(DEFAULT_BEARER_TOKEN);
    if let Some(n) = args.jobs {
        builder = builder.jobs_per_service(n);
    }
    if let Some(path) = &args.fixture {
        builder = builder.fixture_file(path);
    }
    let progress: Progress = match &args.progress {
        Some(spec) => spec
            .parse()
            .map_err(|e| CliError::Usage(format!("--progress: {e}")))?,
        None => Progress::none(),
    };
    let emulator = builder
        .build()
        .map_err(|e| CliError::Usage(e.to_string()))?;
    emulator.set_progress(progress.clone());
    let addr = args.addr();
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| CliError::Other(format!("could not listen on {addr}: {e}")))?;
    let local = listener.local_addr()?;
    let url = format!("http://{local}");
    {
        let mut out = std::io::stdout().lock();
        let mut text = banner(&url, &emulator.seeded());
        if !progress.is_empty() {
            let at = text.rfind("# press Ctrl-C").unwrap_or(text.len());
            text.insert_str(
                at,
                &format!(
                    "# jobs move on their own ({progress}); where each ends: {url}/_emulator/progress\n"
                ),
            );
        }
        out.write_all(text.as_bytes())?;
        out.flush()?;
    }
    emulator.serve(listener, shutdown_signal()).await?;
    eprintln!("emulator stopped");
    Ok(())
}

/// Resolves on Ctrl-C (SIGINT) or, on Unix, SIGTERM. The handlers are installed when this is
/// called, not when the future is first polled, so a signal that arrives in between (a live
/// view has drawn its first frame, a script sends SIGTERM) is not lost to the default action.
pub(crate) fn shutdown_signal() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let listeners = signal(SignalKind::terminate())
            .and_then(|term| Ok((term, signal(SignalKind::interrupt())?)));
        async move {
            match listeners {
                Ok((mut term, mut int)) => {
                    tokio::select! {
                        _ = int.recv() => {}
                        _ = term.recv() => {}
                    }
                }
                Err(_) => {
                    let _ = tokio::signal::ctrl_c().await;
                }
            }
        }
    }
    #[cfg(not(unix))]
    {
        async {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}
