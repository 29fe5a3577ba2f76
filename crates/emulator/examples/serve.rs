//! Runs the emulator in the foreground until killed or Ctrl-C'd, printing its URL.
//!
//! ```text
//! cargo run -p cloudjobs-emulator --example serve -- --port 0 --seed 42 --jobs 25
//! listening on http://127.0.0.1:40123
//! ```
//!
//! Options: `--port N` (default 0: ephemeral), `--host ADDR` (default 127.0.0.1),
//! `--seed N`, `--jobs N`, `--fixture PATH`, `--progress SPEC` (jobs move on their own, e.g.
//! `ssm=reads:2,spaceone=secs:1`; see `cloudjobs_emulator::Progress`).

use std::io::Write;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let mut builder = cloudjobs_emulator::Emulator::builder();
    let (mut host, mut port) = ("127.0.0.1".to_string(), 0u16);
    let mut progress = cloudjobs_emulator::Progress::none();
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--port" => port = value()?.parse()?,
            "--host" => host = value()?,
            "--seed" => builder = builder.seed(value()?.parse()?),
            "--jobs" => builder = builder.jobs_per_service(value()?.parse()?),
            "--fixture" => builder = builder.fixture_file(value()?),
            "--progress" => progress = value()?.parse()?,
            "-h" | "--help" => {
                println!(
                    "usage: serve [--port N] [--host ADDR] [--seed N] [--jobs N] [--fixture PATH] \
                     [--progress SPEC]"
                );
                return Ok(());
            }
            other => return Err(format!("unknown argument {other}").into()),
        }
    }
    let emulator = builder.build()?;
    emulator.set_progress(progress);
    let listener = tokio::net::TcpListener::bind((host.as_str(), port)).await?;
    println!("listening on http://{}", listener.local_addr()?);
    std::io::stdout().flush()?;
    emulator
        .serve(listener, async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
}
