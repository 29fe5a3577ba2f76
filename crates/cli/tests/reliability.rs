//! The CLI under failures, against an emulator in this process: `list` streams its JSON, and
//! when a page fails it keeps what it printed and names the `--starting-token` that
//! continues; the rerun from it lists the rest, every job once. No secret reaches the CLI's
//! output, its trace logs (`CLOUDJOBS_LOG=trace`) or the emulator's logs. Credentials are
//! not sent over plain http:// to a host that is not loopback.

use std::collections::BTreeSet;
use std::io::Write;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};

use cloudjobs_emulator::{Emulator, Faults};
use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_cloudjobs");
const ACCESS_KEY: &str = "AKIDRELIABILITYTEST";
const SECRET_KEY: &str = "s3cr3t-Reliability-Key/do-not-print";
const TOKEN: &str = "tok-Reliability-Bearer-do-not-print";

/// A log sink shared with the tracing subscriber of this process (the emulator's logs).
#[derive(Clone, Default)]
struct Logs(Arc<Mutex<Vec<u8>>>);

impl Write for Logs {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn assert_no_secret(what: &str, text: &str) {
    for secret in [SECRET_KEY, TOKEN] {
        assert!(!text.contains(secret), "{what} shows a secret:\n{text}");
    }
}

fn ids(stdout: &str) -> Vec<String> {
    let jobs: Value = serde_json::from_str(stdout)
        .unwrap_or_else(|e| panic!("stdout is one JSON document ({e}):\n{stdout}"));
    jobs.as_array()
        .expect("a JSON array")
        .iter()
        .map(|j| j["id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_listing_prints_what_it_has_and_resumes_from_its_starting_token() {
    let logs = Logs::default();
    let sink = logs.clone();
    let _ = tracing_subscriber::fmt()
        .with_max_level(tracing_subscriber::filter::LevelFilter::TRACE)
        .with_writer(move || sink.clone())
        .try_init();

    let emu = Emulator::builder()
        .seed(3)
        .jobs_per_service(95)
        .aws_credentials(ACCESS_KEY, SECRET_KEY)
        .bearer_token(TOKEN)
        .start()
        .await
        .expect("emulator starts");
    let window = emu.seeded().ssm.window_execution_ids[0].clone();
    let list = [
        "ssm-mw",
        "list",
        "--window-execution-id",
        &window,
        "--page-size",
        "10",
    ];
    let json = [&list[..], &["--output", "json"]].concat();

    // One attempt per call, a quarter of the requests throttled (fixed seed): the listing
    // fails part-way.
    emu.emulator().set_faults(Faults {
        throttle_rate: 0.25,
        ..Faults::NONE
    });
    let first = run(&emu.url(), &json, &[("AWS_MAX_ATTEMPTS", "1")]).await;
    assert_eq!(first.code, 1, "{}", first.stderr);
    let got = ids(&first.stdout);
    assert!(
        !got.is_empty() && got.len() < 95 && got.len().is_multiple_of(10),
        "whole pages before the failure: {}",
        got.len()
    );
    assert!(
        first.stderr.contains("ThrottlingException"),
        "{}",
        first.stderr
    );
    let token = first
        .stderr
        .split("--starting-token ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_else(|| panic!("no starting token on stderr:\n{}", first.stderr))
        .to_owned();

    emu.emulator().set_faults(Faults::NONE);
    let resumed = [&json[..], &["--starting-token", &token]].concat();
    let rest = run(&emu.url(), &resumed, &[]).await;
    assert_eq!(rest.code, 0, "{}", rest.stderr);
    let mut all = got.clone();
    all.extend(ids(&rest.stdout));
    let unique: BTreeSet<&String> = all.iter().collect();
    assert_eq!((all.len(), unique.len()), (95, 95), "every task once");

    // A refused call (a bad token) prints its error; no run shows a secret anywhere.
    let refused = run(
        &emu.url(),
        &["spaceone-identity", "list"],
        &[("CLOUDJOBS_SPACEONE_TOKEN", "tok-wrong-but-secret-too")],
    )
    .await;
    assert_ne!(refused.code, 0);
    assert!(
        !refused.stderr.contains("tok-wrong-but-secret-too"),
        "{}",
        refused.stderr
    );
    for (what, run) in [
        ("first run", &first),
        ("resumed run", &rest),
        ("refused run", &refused),
    ] {
        assert!(
            run.stderr.contains("TRACE") || run.stderr.contains("DEBUG"),
            "trace logs on"
        );
        assert_no_secret(&format!("{what} stdout"), &run.stdout);
        assert_no_secret(&format!("{what} stderr"), &run.stderr);
    }
    emu.shutdown().await;
    let emulator_logs = String::from_utf8_lossy(&logs.0.lock().unwrap()).into_owned();
    assert_no_secret("emulator logs", &emulator_logs);
}

#[test]
fn credentials_are_not_sent_over_plain_http_to_another_host() {
    let run = run_at("http://192.0.2.10:8080", &["macie2", "list"], &[]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("plain http://"), "{}", run.stderr);
    assert!(
        run.stderr.contains("CLOUDJOBS_ALLOW_INSECURE_HTTP"),
        "{}",
        run.stderr
    );
    assert_no_secret("refusal", &run.stderr);
}

/// Runs the CLI to completion against the emulator at `url` (AWS and SpaceONE endpoints),
/// with its credentials, trace logs on and nothing else from this machine's environment.
fn run_at(url: &str, args: &[&str], extra: &[(&str, &str)]) -> Run {
    let out = Command::new(BIN)
        .args(args)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("AWS_CONFIG_FILE", "/nonexistent/cloudjobs-test/config")
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            "/nonexistent/cloudjobs-test/credentials",
        )
        .env("AWS_ACCESS_KEY_ID", ACCESS_KEY)
        .env("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
        .env("AWS_REGION", "us-east-1")
        .env("AWS_ENDPOINT_URL", url)
        .env("CLOUDJOBS_SPACEONE_ENDPOINT_URL", url)
        .env("CLOUDJOBS_SPACEONE_TOKEN", TOKEN)
        .env("CLOUDJOBS_LOG", "trace")
        .envs(extra.iter().copied())
        .stdin(Stdio::null())
        .output()
        .expect("run cloudjobs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// [`run_at`] on a blocking thread, so the emulator of this process keeps serving.
async fn run(url: &str, args: &[&str], extra: &[(&str, &str)]) -> Run {
    let url = url.to_owned();
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    let extra: Vec<(String, String)> = extra
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let extra: Vec<(&str, &str)> = extra
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        run_at(&url, &args, &extra)
    })
    .await
    .expect("the CLI run finished")
}
