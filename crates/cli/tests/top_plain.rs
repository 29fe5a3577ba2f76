//! `cloudjobs top` when stdout is not a terminal: the binary against an in-process emulator,
//! its output read as plain lines (or JSON lines) and checked against the seeded data.

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use cloudjobs_emulator::{
    DEFAULT_ACCESS_KEY, DEFAULT_BEARER_TOKEN, DEFAULT_SECRET_KEY, Emulator, ProtectionRef,
    RunningEmulator, Seeded,
};
use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_cloudjobs");
/// Longest one run may take before it is killed and the test fails.
const DEADLINE: Duration = Duration::from_secs(60);

/// An emulator serving on its own runtime for the length of a test.
struct Emu {
    _runtime: tokio::runtime::Runtime,
    _emulator: RunningEmulator,
    url: String,
    seeded: Seeded,
}

fn emulator() -> Emu {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("runtime");
    let emulator = runtime
        .block_on(
            Emulator::builder()
                .aws_credentials(DEFAULT_ACCESS_KEY, DEFAULT_SECRET_KEY)
                .bearer_token(DEFAULT_BEARER_TOKEN)
                .bind(([127, 0, 0, 1], 0).into())
                .start(),
        )
        .expect("emulator");
    Emu {
        url: emulator.url(),
        seeded: emulator.seeded(),
        _runtime: runtime,
        _emulator: emulator,
    }
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs `cloudjobs --endpoint-url URL top ARGS` with only the emulator's credentials in its
/// environment (nothing of the machine's AWS setup), stdout and stderr piped.
fn top(emu: &Emu, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut cmd = Command::new(BIN);
    cmd.env_clear()
        .env("AWS_CONFIG_FILE", "/nonexistent/cloudjobs-test/config")
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            "/nonexistent/cloudjobs-test/credentials",
        )
        .env("AWS_ACCESS_KEY_ID", DEFAULT_ACCESS_KEY)
        .env("AWS_SECRET_ACCESS_KEY", DEFAULT_SECRET_KEY)
        .env("AWS_REGION", "us-east-1")
        .env("CLOUDJOBS_SPACEONE_TOKEN", DEFAULT_BEARER_TOKEN)
        .env("CLOUDJOBS_CLOUD_REWIND_TOKEN", DEFAULT_BEARER_TOKEN)
        .envs(env.iter().copied())
        .args(["--endpoint-url", &emu.url, "top"])
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("spawn cloudjobs");
    let mut stdout_pipe = child.stdout.take().expect("stdout");
    let mut stderr_pipe = child.stderr.take().expect("stderr");
    let out = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stdout_pipe.read_to_string(&mut s);
        s
    });
    let err = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stderr_pipe.read_to_string(&mut s);
        s
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if start.elapsed() > DEADLINE {
            let _ = child.kill();
            panic!("cloudjobs top {args:?} ran longer than {DEADLINE:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Run {
        code: status.code().unwrap_or(-1),
        stdout: out.join().expect("stdout reader"),
        stderr: err.join().expect("stderr reader"),
    }
}

fn protection_arg(p: &ProtectionRef) -> String {
    format!(
        "{}/{}/{}/{}",
        p.account_id, p.project_id, p.cloud_assembly_id, p.protection_id
    )
}

/// Every seeded protection that answers 200 (not the locked one, not the one in a disabled
/// assembly).
fn healthy_protections(seeded: &Seeded) -> Vec<&ProtectionRef> {
    let cr = &seeded.cloud_rewind;
    cr.protections
        .iter()
        .filter(|p| {
            [&cr.locked, &cr.assembly_disabled]
                .into_iter()
                .flatten()
                .all(|s| s.protection_id != p.protection_id)
        })
        .collect()
}

/// Arguments naming every seeded scope: all catalogs, the first window execution, every
/// healthy protection. Returns them with the number of jobs they cover.
fn full_scope(seeded: &Seeded) -> (Vec<String>, usize) {
    let protections = healthy_protections(seeded);
    let mut args = vec![
        "--catalog".to_owned(),
        seeded.partner_central.catalogs.join(","),
        "--window-execution-id".to_owned(),
        seeded.ssm.window_execution_ids[0].clone(),
    ];
    for p in &protections {
        args.push("--protection".to_owned());
        args.push(protection_arg(p));
    }
    let expected = seeded.partner_central.job_ids.len()
        + seeded.macie2.job_ids.len()
        + seeded.spaceone.job_ids.len()
        + seeded.ssm.task_counts[0]
        + protections.len();
    (args, expected)
}

fn strs(args: &[String]) -> Vec<&str> {
    args.iter().map(String::as_str).collect()
}

#[test]
fn one_snapshot_lists_exactly_the_seeded_jobs_grouped_without_escape_codes() {
    let emu = emulator();
    let (args, expected) = full_scope(&emu.seeded);
    let run = top(&emu, &strs(&args), &[]);
    assert_eq!(
        run.code, 0,
        "stdout:\n{}\nstderr:\n{}",
        run.stdout, run.stderr
    );
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    assert!(
        !run.stdout.contains('\x1b'),
        "escape codes in:\n{}",
        run.stdout
    );
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert!(
        lines[0].starts_with("cloudjobs top  ") && lines[0].contains(&format!("  {expected} jobs")),
        "{}",
        lines[0]
    );
    assert!(lines[1].starts_with("SERVICE "));
    // One row per job, under group headers whose counts add up.
    let headers: Vec<usize> = lines
        .iter()
        .filter_map(|l| {
            let (state, rest) = l.split_once(" (")?;
            (state.chars().all(|c| c.is_ascii_uppercase()) && rest.ends_with(')'))
                .then(|| rest.trim_end_matches(')').parse::<usize>().ok())?
        })
        .collect();
    assert!(headers.len() >= 2, "{}", run.stdout);
    assert_eq!(headers.iter().sum::<usize>(), expected);
    assert_eq!(lines.len(), 2 + headers.len() + expected);
    let seeded = &emu.seeded;
    let ids = seeded
        .partner_central
        .job_ids
        .iter()
        .chain(&seeded.macie2.job_ids)
        .chain(&seeded.spaceone.job_ids);
    for id in ids {
        assert!(
            lines
                .iter()
                .any(|l| l.split_whitespace().nth(1) == Some(id)),
            "{id} missing"
        );
    }
    assert_eq!(
        lines.iter().filter(|l| l.starts_with("ssm-mw ")).count(),
        seeded.ssm.task_counts[0]
    );
}

#[test]
fn a_failing_service_is_an_error_line_the_others_are_listed_and_the_exit_code_is_1() {
    let emu = emulator();
    let locked = emu
        .seeded
        .cloud_rewind
        .locked
        .clone()
        .expect("a locked protection");
    let healthy = protection_arg(healthy_protections(&emu.seeded)[0]);
    let run = top(
        &emu,
        &[
            "--protection",
            &healthy,
            "--protection",
            &protection_arg(&locked),
        ],
        &[("CLOUDJOBS_SPACEONE_TOKEN", "not-the-token")],
    );
    assert_eq!(
        run.code, 1,
        "stdout:\n{}\nstderr:\n{}",
        run.stdout, run.stderr
    );
    let errors: Vec<&str> = run
        .stdout
        .lines()
        .filter(|l| l.starts_with("error: "))
        .collect();
    assert_eq!(errors.len(), 2, "{}", run.stdout);
    assert!(
        errors
            .iter()
            .any(|l| l.starts_with("error: spaceone-identity: "))
    );
    // The error names the protection (id, then where it lives) and the status.
    let locked_line = format!(
        "error: cloud-rewind: protection {} in ",
        locked.protection_id
    );
    assert!(
        errors
            .iter()
            .any(|l| l.starts_with(&locked_line) && l.contains("HTTP 409")),
        "{errors:?}"
    );
    // Everyone else delivered: macie2, partner-central, the healthy protection.
    assert!(
        run.stdout
            .lines()
            .any(|l| l.starts_with("partner-central "))
    );
    for id in &emu.seeded.macie2.job_ids {
        assert!(run.stdout.contains(id.as_str()), "{id} missing");
    }
    assert!(run.stdout.lines().any(|l| l.starts_with("cloud-rewind ")));
    assert!(
        !run.stdout
            .lines()
            .any(|l| l.starts_with("spaceone-identity "))
    );
    assert!(
        run.stdout
            .contains("note: ssm-mw: not listed: give --window-execution-id")
    );
    assert_eq!(
        run.stderr,
        "error: top: 2 listings failed (see the error lines)\n"
    );
}

#[test]
fn interval_and_count_print_that_many_snapshots() {
    let emu = emulator();
    let run = top(
        &emu,
        &["--service", "macie2", "--interval", "0.2", "--count", "3"],
        &[],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let n = emu.seeded.macie2.job_ids.len();
    let snapshots: Vec<&str> = run.stdout.split("\n\n").collect();
    assert_eq!(snapshots.len(), 3, "{}", run.stdout);
    for snapshot in snapshots {
        assert!(snapshot.starts_with("cloudjobs top  "));
        assert!(
            snapshot
                .lines()
                .next()
                .unwrap_or("")
                .contains(&format!("  {n} jobs"))
        );
    }
}

#[test]
fn json_output_is_one_snapshot_object_per_line() {
    let emu = emulator();
    let run = top(
        &emu,
        &[
            "--output",
            "json",
            "--service",
            "macie2,spaceone-identity",
            "--interval",
            "0.1",
            "--count",
            "2",
        ],
        &[],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines: Vec<Value> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    assert_eq!(lines.len(), 2);
    let expected = emu.seeded.macie2.job_ids.len() + emu.seeded.spaceone.job_ids.len();
    for snapshot in &lines {
        assert_eq!(snapshot["jobs"].as_array().map(Vec::len), Some(expected));
        assert_eq!(snapshot["errors"], Value::Array(Vec::new()));
        assert!(snapshot["taken_at"].is_string());
        let job = &snapshot["jobs"][0];
        for field in ["service", "id", "state", "raw_status"] {
            assert!(!job[field].is_null(), "{field} in {job}");
        }
    }
}

#[test]
fn nothing_to_list_and_bad_arguments_are_usage_errors() {
    let emu = emulator();
    let run = top(&emu, &["--service", "ssm-mw,cloud-rewind"], &[]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "error: top: nothing to list (ssm-mw: not listed: give --window-execution-id; \
         cloud-rewind: not listed: give --protection)\n"
    );
    for (args, message) in [
        (
            &["--protection", "1/p/2"][..],
            "ACCOUNT/PROJECT/ASSEMBLY/PROTECTION",
        ),
        (
            &["--protection", "x/p/2/id"][..],
            "account id `x` is not a number",
        ),
        (&["--interval", "0"][..], "positive number of seconds"),
        (&["--count", "0"][..], "--count"),
        (&["--service", "nope"][..], "unknown service `nope`"),
    ] {
        let run = top(&emu, args, &[]);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains(message), "{args:?}: {}", run.stderr);
        assert!(run.stdout.is_empty());
    }
}
