//! The `cloudjobs` binary end to end: `demo`, and `emulator` in one process with the service
//! commands in others. Everything runs on 127.0.0.1, with deadlines on every process.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use cloudjobs_emulator::{DEFAULT_ACCESS_KEY, DEFAULT_BEARER_TOKEN, DEFAULT_SECRET_KEY, Seeded};
use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_cloudjobs");
/// Longest a single CLI invocation may take.
const DEADLINE: Duration = Duration::from_secs(90);
const SERVICES: [&str; 5] = [
    "partner-central",
    "macie2",
    "ssm-mw",
    "spaceone-identity",
    "cloud-rewind",
];

/// Environment variables that would make a run depend on the machine it runs on.
const SCRUBBED: [&str; 16] = [
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_PROFILE",
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "AWS_ENDPOINT_URL",
    "AWS_MAX_ATTEMPTS",
    "AWS_USE_FIPS_ENDPOINT",
    "AWS_USE_DUALSTACK_ENDPOINT",
    "CLOUDJOBS_SPACEONE_TOKEN",
    "CLOUDJOBS_CLOUD_REWIND_TOKEN",
    "CLOUDJOBS_SPACEONE_ENDPOINT_URL",
    "CLOUDJOBS_CLOUD_REWIND_ENDPOINT_URL",
    "CLOUDJOBS_SPACEONE_PATH_PREFIX",
    "CLOUDJOBS_LOG",
];

fn command() -> Command {
    let mut cmd = Command::new(BIN);
    for var in SCRUBBED {
        cmd.env_remove(var);
    }
    cmd.env("AWS_CONFIG_FILE", "/nonexistent/cloudjobs-test/config")
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            "/nonexistent/cloudjobs-test/credentials",
        )
        .stdin(Stdio::null());
    cmd
}

/// The result of one CLI run.
#[derive(Debug)]
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    fn ok(self) -> Run {
        assert_eq!(
            self.code, 0,
            "expected success\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }

    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", self.stdout))
    }
}

/// Kills a child process when dropped (also when a test panics).
struct KillOnDrop(Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn drain(mut pipe: impl Read + Send + 'static) -> thread::JoinHandle<String> {
    thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = pipe.read_to_end(&mut bytes);
        String::from_utf8_lossy(&bytes).into_owned()
    })
}

/// Waits for `child` to exit, failing the test after [`DEADLINE`].
fn wait_for_exit(child: &mut KillOnDrop, what: &str) -> std::process::ExitStatus {
    let start = Instant::now();
    loop {
        if let Some(status) = child.0.try_wait().expect("wait") {
            return status;
        }
        assert!(
            start.elapsed() < DEADLINE,
            "{what} did not finish within {DEADLINE:?}"
        );
        thread::sleep(Duration::from_millis(20));
    }
}

/// Runs the CLI with `args` and `envs` to completion, within [`DEADLINE`].
fn run(args: &[&str], envs: &[(&str, &str)]) -> Run {
    let mut cmd = command();
    cmd.args(args)
        .envs(envs.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = KillOnDrop(cmd.spawn().expect("spawn cloudjobs"));
    let out = drain(child.0.stdout.take().unwrap());
    let err = drain(child.0.stderr.take().unwrap());
    let status = wait_for_exit(&mut child, &format!("cloudjobs {args:?}"));
    Run {
        code: status.code().unwrap_or(-1),
        stdout: out.join().unwrap(),
        stderr: err.join().unwrap(),
    }
}

/// `cloudjobs emulator` in a child process, killed on drop.
struct EmulatorProcess {
    _child: KillOnDrop,
    url: String,
}

impl EmulatorProcess {
    fn start(seed: &str) -> EmulatorProcess {
        let mut cmd = command();
        cmd.args(["emulator", "--port", "0", "--seed", seed])
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        let mut child = KillOnDrop(cmd.spawn().expect("spawn cloudjobs emulator"));
        let stdout = child.0.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let first = rx
            .recv_timeout(Duration::from_secs(30))
            .expect("the emulator printed no line within 30 s");
        let url = first
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("unexpected first line {first:?}"))
            .to_owned();
        assert!(url.starts_with("http://127.0.0.1:"), "{url}");
        let mut banner = vec![first];
        while let Ok(line) = rx.recv_timeout(Duration::from_secs(10)) {
            let done = line.contains("Ctrl-C");
            banner.push(line);
            if done {
                break;
            }
        }
        let text = banner.join("\n");
        assert!(
            text.contains(&format!("AWS_ACCESS_KEY_ID={DEFAULT_ACCESS_KEY}")),
            "{text}"
        );
        assert!(
            text.contains(&format!("CLOUDJOBS_SPACEONE_TOKEN={DEFAULT_BEARER_TOKEN}")),
            "{text}"
        );
        EmulatorProcess { _child: child, url }
    }

    /// The emulator's credentials, as a user would export them.
    fn env(&self) -> Vec<(&'static str, &'static str)> {
        vec![
            ("AWS_ACCESS_KEY_ID", DEFAULT_ACCESS_KEY),
            ("AWS_SECRET_ACCESS_KEY", DEFAULT_SECRET_KEY),
            ("AWS_REGION", "us-east-1"),
        ]
    }

    /// Runs `cloudjobs --endpoint-url URL --token TOKEN <args>` with the emulator's AWS
    /// credentials in the environment.
    fn cli(&self, args: &[&str]) -> Run {
        let mut all = vec![
            "--endpoint-url",
            self.url.as_str(),
            "--token",
            DEFAULT_BEARER_TOKEN,
        ];
        all.extend_from_slice(args);
        run(&all, &self.env())
    }

    /// A request to the admin API; returns the status and the body.
    fn admin(&self, method: &str, path: &str, body: Option<&str>) -> (u16, String) {
        let addr = self.url.trim_start_matches("http://");
        let mut stream = TcpStream::connect(addr).expect("connect to the emulator");
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        let body = body.unwrap_or("");
        let request = format!(
            "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
        stream.write_all(request.as_bytes()).unwrap();
        let mut response = Vec::new();
        stream.read_to_end(&mut response).unwrap();
        let response = String::from_utf8_lossy(&response).into_owned();
        let (head, body) = response.split_once("\r\n\r\n").expect("an HTTP response");
        let status: u16 = head.split_whitespace().nth(1).unwrap().parse().unwrap();
        let body = if head
            .to_ascii_lowercase()
            .contains("transfer-encoding: chunked")
        {
            dechunk(body)
        } else {
            body.to_owned()
        };
        (status, body)
    }

    fn seeded(&self) -> Seeded {
        let (status, body) = self.admin("GET", "/_emulator/seeded", None);
        assert_eq!(status, 200, "{body}");
        serde_json::from_str(&body).unwrap()
    }
}

fn dechunk(mut body: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = body.split_once("\r\n") {
        let size = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if size == 0 {
            break;
        }
        out.push_str(&rest[..size]);
        body = rest[size..].trim_start_matches("\r\n");
    }
    out
}

/// The `id` of every job in a JSON job list.
fn ids(jobs: &Value) -> BTreeSet<String> {
    jobs.as_array()
        .expect("a JSON array of jobs")
        .iter()
        .map(|j| j["id"].as_str().unwrap().to_owned())
        .collect()
}

fn services_of(jobs: &Value) -> BTreeSet<String> {
    jobs.as_array()
        .unwrap()
        .iter()
        .map(|j| j["service"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn demo_prints_jobs_from_all_five_services() {
    let out = run(&["demo"], &[]).ok();
    let lines: Vec<&str> = out.stdout.lines().collect();
    for service in SERVICES {
        // At least one job row: service, id, name, state, status, created.
        let rows = lines
            .iter()
            .filter(|l| {
                l.split_whitespace().next() == Some(service) && l.split_whitespace().count() == 6
            })
            .count();
        assert!(rows > 0, "no job row for {service}:\n{}", out.stdout);
        // Its count line: service, operation, "N jobs", "M requests", scope.
        let count = lines
            .iter()
            .find_map(|l| {
                let t: Vec<&str> = l.split_whitespace().collect();
                (t.len() > 5 && t[0] == service && t[3] == "jobs")
                    .then(|| t[2].parse::<usize>().unwrap())
            })
            .unwrap_or_else(|| panic!("no count line for {service}:\n{}", out.stdout));
        assert!(count > 0, "{service} has no job");
    }
    assert!(out.stdout.contains("from 5 services"), "{}", out.stdout);
}

#[test]
fn demo_json_covers_all_five_services_and_really_paginates() {
    let out = run(&["demo", "--output", "json", "--page-size", "3"], &[]).ok();
    let report = out.json();
    let jobs = &report["jobs"];
    assert_eq!(
        services_of(jobs),
        SERVICES.iter().map(|s| s.to_string()).collect(),
    );
    for summary in report["services"].as_array().unwrap() {
        let jobs = summary["jobs"].as_u64().unwrap();
        let requests = summary["requests"].as_u64().unwrap();
        assert!(jobs > 0, "{summary}");
        // Page size 3 (10 for SSM): the list APIs needed several pages.
        if summary["service"] != "cloud-rewind" {
            assert!(requests > 1, "one page only: {summary}");
        }
    }
    for job in jobs.as_array().unwrap() {
        assert!(!job["id"].as_str().unwrap().is_empty(), "{job}");
        assert_ne!(job["state"], "unknown", "{job}");
    }
}

#[test]
fn demo_live_moves_the_jobs_until_each_is_at_its_final_status() {
    let plain = run(&["demo", "--live"], &[]).ok();
    let rounds: Vec<&str> = plain
        .stdout
        .lines()
        .filter(|l| l.starts_with("round "))
        .collect();
    assert!(
        rounds.len() >= 2,
        "the jobs did not move:\n{}",
        plain.stdout
    );
    assert!(rounds[0].contains("still moving"), "{}", rounds[0]);
    let last = rounds.last().unwrap();
    assert!(last.contains("jobs at their final status"), "{last}");
    assert_ne!(rounds[0], *last, "the states did not change");

    // The JSON report is the last round: nothing runs any more; only scheduled Macie jobs wait
    // (IDLE) for their next run.
    let out = run(&["demo", "--live", "--output", "json"], &[]).ok();
    assert!(
        out.stderr.contains("jobs at their final status"),
        "{}",
        out.stderr
    );
    let report = out.json();
    let jobs = report["jobs"].as_array().unwrap();
    assert_eq!(
        services_of(&report["jobs"]),
        SERVICES.iter().map(|s| s.to_string()).collect(),
    );
    for job in jobs {
        let settled = ["succeeded", "failed", "cancelled", "paused"]
            .contains(&job["state"].as_str().unwrap());
        let idle_schedule = job["service"] == "macie2" && job["raw_status"] == "IDLE";
        assert!(settled || idle_schedule, "not settled: {job}");
    }
}

#[test]
fn demo_honours_max_items() {
    let out = run(&["demo", "--output", "json", "--max-items", "2"], &[]).ok();
    let report = out.json();
    for summary in report["services"].as_array().unwrap() {
        assert_eq!(summary["jobs"], 2, "{summary}");
    }
}

#[test]
fn service_commands_against_an_emulator_process() {
    let emu = EmulatorProcess::start("7");
    let seeded = emu.seeded();

    // Partner Central: every AWS-catalog job, over several pages, in the seeded ids.
    let all = emu
        .cli(&[
            "--output",
            "json",
            "partner-central",
            "list",
            "--catalog",
            "AWS",
            "--page-size",
            "2",
        ])
        .ok();
    let pc = ids(&all.json());
    assert!(!pc.is_empty());
    let seeded_pc: BTreeSet<String> = seeded.partner_central.job_ids.iter().cloned().collect();
    assert!(pc.is_subset(&seeded_pc), "{pc:?} not in {seeded_pc:?}");
    let first_page = emu
        .cli(&[
            "--output",
            "json",
            "--no-paginate",
            "partner-central",
            "list",
            "--catalog",
            "AWS",
            "--page-size",
            "2",
        ])
        .ok();
    assert_eq!(ids(&first_page.json()).len(), 2.min(pc.len()));
    let running = emu
        .cli(&[
            "--output",
            "json",
            "partner-central",
            "list",
            "--catalog",
            "AWS",
            "--status",
            "Running",
        ])
        .ok()
        .json();
    assert!(
        running
            .as_array()
            .unwrap()
            .iter()
            .all(|j| j["raw_status"] == "Running"),
        "{running}"
    );
    let table = emu
        .cli(&["partner-central", "list", "--catalog", "AWS"])
        .ok();
    assert!(table.stdout.starts_with("SERVICE"), "{}", table.stdout);
    assert!(pc.iter().all(|id| table.stdout.contains(id.as_str())));

    // Macie2: every job.
    let macie = emu
        .cli(&["--output", "json", "macie2", "list", "--page-size", "5"])
        .ok();
    let expected: BTreeSet<String> = seeded.macie2.job_ids.iter().cloned().collect();
    assert_eq!(ids(&macie.json()), expected);
    let running = emu
        .cli(&[
            "--output",
            "json",
            "macie2",
            "list",
            "--status",
            "RUNNING",
            "--sort-by",
            "name",
            "--order",
            "ASC",
        ])
        .ok()
        .json();
    let names: Vec<&str> = running
        .as_array()
        .unwrap()
        .iter()
        .map(|j| j["name"].as_str().unwrap())
        .collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);
    assert!(
        running
            .as_array()
            .unwrap()
            .iter()
            .all(|j| j["raw_status"] == "RUNNING")
    );

    // SSM: the tasks of the largest window execution, over pages of 10.
    let execution = &seeded.ssm.window_execution_ids[0];
    let tasks = emu
        .cli(&[
            "--output",
            "json",
            "ssm-mw",
            "list",
            "--window-execution-id",
            execution,
            "--page-size",
            "10",
        ])
        .ok();
    assert_eq!(ids(&tasks.json()).len(), seeded.ssm.task_counts[0]);
    let done = emu
        .cli(&[
            "--output",
            "json",
            "ssm-mw",
            "list",
            "--window-execution-id",
            execution,
            "--status",
            "SUCCESS,FAILED",
        ])
        .ok()
        .json();
    let done = done.as_array().unwrap();
    assert!(!done.is_empty() && done.len() < seeded.ssm.task_counts[0]);
    assert!(
        done.iter()
            .all(|j| j["raw_status"] == "SUCCESS" || j["raw_status"] == "FAILED"),
        "{done:?}"
    );

    // SpaceONE: list every job, then get one.
    let sp = emu
        .cli(&[
            "--output",
            "json",
            "spaceone-identity",
            "list",
            "--page-size",
            "4",
        ])
        .ok();
    let expected: BTreeSet<String> = seeded.spaceone.job_ids.iter().cloned().collect();
    assert_eq!(ids(&sp.json()), expected);
    let plugin = seeded.spaceone.plugin_ids[0].as_str();
    let by_plugin = emu
        .cli(&[
            "--output",
            "json",
            "spaceone-identity",
            "list",
            "--plugin-id",
            plugin,
            "--page-size",
            "2",
        ])
        .ok()
        .json();
    let by_plugin = by_plugin.as_array().unwrap();
    assert!(!by_plugin.is_empty() && by_plugin.len() < expected.len());
    assert!(
        by_plugin.iter().all(|j| j["name"] == plugin),
        "{by_plugin:?}"
    );
    let job_id = seeded.spaceone.job_ids[0].as_str();
    let got = emu
        .cli(&[
            "--output",
            "json",
            "spaceone-identity",
            "get",
            "--job-id",
            job_id,
        ])
        .ok();
    assert_eq!(got.json()["job_id"], job_id);
    let got = emu
        .cli(&["spaceone-identity", "get", "--job-id", job_id])
        .ok();
    assert!(got.stdout.contains(job_id), "{}", got.stdout);

    // Cloud Rewind: get one protection's status.
    let p = &seeded.cloud_rewind.protections[0];
    let (account, assembly) = (p.account_id.to_string(), p.cloud_assembly_id.to_string());
    let coordinates = [
        "--account-id",
        account.as_str(),
        "--project-id",
        p.project_id.as_str(),
        "--cloud-assembly-id",
        assembly.as_str(),
        "--protection-id",
        p.protection_id.as_str(),
    ];
    let mut args = vec!["--output", "json", "cloud-rewind", "get"];
    args.extend(coordinates);
    let status = emu.cli(&args).ok();
    assert_eq!(status.json()["status"], p.status.as_str());
    let mut args = vec!["cloud-rewind", "get"];
    args.extend(coordinates);
    let table = emu.cli(&args).ok();
    assert!(
        table.stdout.contains(p.protection_id.as_str()),
        "{}",
        table.stdout
    );
}

#[test]
fn errors_print_the_service_code_and_exit_non_zero() {
    let emu = EmulatorProcess::start("7");

    // A well-formed but unknown window execution: the service's modeled error.
    let unknown = emu.cli(&[
        "ssm-mw",
        "list",
        "--window-execution-id",
        "12345678-1234-1234-1234-123456789012",
    ]);
    assert_eq!(unknown.code, 1, "{unknown:?}");
    assert!(
        unknown.stderr.starts_with("error: DoesNotExistException: "),
        "{}",
        unknown.stderr
    );
    assert!(unknown.stdout.is_empty());

    // A malformed one: refused by the client before sending, naming the field and the rule.
    let invalid = emu.cli(&["ssm-mw", "list", "--window-execution-id", "not-a-uuid"]);
    assert_eq!(invalid.code, 2, "{invalid:?}");
    assert!(
        invalid.stderr.contains("`WindowExecutionId`"),
        "{}",
        invalid.stderr
    );
    assert!(
        invalid.stderr.contains("must satisfy"),
        "{}",
        invalid.stderr
    );

    // An enum value the spec does not know, refused by the client.
    let status = emu.cli(&[
        "partner-central",
        "list",
        "--catalog",
        "AWS",
        "--status",
        "Paused",
    ]);
    assert_eq!(status.code, 2, "{status:?}");
    assert!(status.stderr.contains("`Status`"), "{}", status.stderr);

    // SpaceONE errors carry its own codes.
    let missing = emu.cli(&["spaceone-identity", "get", "--job-id", "job-000000000000"]);
    assert_eq!(missing.code, 1, "{missing:?}");
    assert!(
        missing.stderr.starts_with("error: ERROR_NOT_FOUND: "),
        "{}",
        missing.stderr
    );
    let unauthorized = run(
        &[
            "--endpoint-url",
            emu.url.as_str(),
            "--token",
            "wrong",
            "spaceone-identity",
            "list",
        ],
        &emu.env(),
    );
    assert_eq!(unauthorized.code, 1, "{unauthorized:?}");
    assert!(
        unauthorized.stderr.contains("ERROR_AUTHENTICATE_FAILURE"),
        "{}",
        unauthorized.stderr
    );

    // Cloud Rewind: an unknown protection is a 404 in its error shape.
    let not_found = emu.cli(&[
        "cloud-rewind",
        "get",
        "--account-id",
        "1",
        "--project-id",
        "2",
        "--cloud-assembly-id",
        "3",
        "--protection-id",
        "nope",
    ]);
    assert_eq!(not_found.code, 1, "{not_found:?}");
    assert!(
        not_found.stderr.starts_with("error: NOT_FOUND: "),
        "{}",
        not_found.stderr
    );

    // AWS credentials the emulator does not know.
    let forged = run(
        &["--endpoint-url", emu.url.as_str(), "macie2", "list"],
        &[
            ("AWS_ACCESS_KEY_ID", "AKIDUNKNOWN"),
            ("AWS_SECRET_ACCESS_KEY", "whatever"),
            ("AWS_REGION", "us-east-1"),
        ],
    );
    assert_eq!(forged.code, 1, "{forged:?}");
    assert!(
        forged.stderr.contains("UnrecognizedClientException"),
        "{}",
        forged.stderr
    );

    // Usage errors from clap exit 2 too.
    let usage = emu.cli(&["ssm-mw", "list"]);
    assert_eq!(usage.code, 2, "{usage:?}");
    assert!(
        usage.stderr.contains("--window-execution-id"),
        "{}",
        usage.stderr
    );
}

#[test]
fn spaceone_delete_then_get_is_not_found() {
    let emu = EmulatorProcess::start("11");
    let seeded = emu.seeded();
    let job_id = seeded.spaceone.job_ids.last().unwrap().as_str();
    let deleted = emu
        .cli(&["spaceone-identity", "delete", "--job-id", job_id])
        .ok();
    assert!(deleted.stdout.contains(job_id), "{}", deleted.stdout);
    let gone = emu.cli(&["spaceone-identity", "get", "--job-id", job_id]);
    assert_eq!(gone.code, 1, "{gone:?}");
    assert!(gone.stderr.contains("ERROR_NOT_FOUND"), "{}", gone.stderr);
    let listed = emu
        .cli(&["--output", "json", "spaceone-identity", "list"])
        .ok();
    assert!(!ids(&listed.json()).contains(job_id));
}

/// Starts `cloudjobs <args>` (a `watch`), waits for its first printed line, changes the job's
/// status through the admin API, and returns the watch's output once it exits.
fn watch_until_changed(
    emu: &EmulatorProcess,
    args: &[&str],
    admin_path: &str,
    status: &str,
) -> Run {
    let mut cmd = command();
    cmd.args([
        "--endpoint-url",
        emu.url.as_str(),
        "--token",
        DEFAULT_BEARER_TOKEN,
        "--output",
        "json",
    ])
    .args(args)
    .args(["--interval", "0.1", "--timeout", "60"])
    .envs(emu.env())
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    let mut child = KillOnDrop(cmd.spawn().unwrap());
    let err = drain(child.0.stderr.take().unwrap());
    let stdout = child.0.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let first = rx
        .recv_timeout(Duration::from_secs(30))
        .expect("watch printed nothing");
    let (code, body) = emu.admin(
        "POST",
        admin_path,
        Some(&format!(r#"{{"status":"{status}"}}"#)),
    );
    assert_eq!(code, 200, "{body}");
    let exit = wait_for_exit(&mut child, "watch");
    let mut lines = vec![first];
    lines.extend(rx.iter());
    Run {
        code: exit.code().unwrap_or(-1),
        stdout: lines.join("\n"),
        stderr: err.join().unwrap(),
    }
}

fn states(run: &Run) -> Vec<String> {
    run.stdout
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["state"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect()
}

#[test]
fn watch_prints_each_state_change_until_settled() {
    let emu = EmulatorProcess::start("7");

    // SpaceONE: a job still in progress, then finished by the admin API.
    let jobs = emu
        .cli(&[
            "--output",
            "json",
            "spaceone-identity",
            "list",
            "--status",
            "IN_PROGRESS",
        ])
        .ok()
        .json();
    let job_id = jobs[0]["id"]
        .as_str()
        .expect("an IN_PROGRESS job")
        .to_owned();
    let run = watch_until_changed(
        &emu,
        &["spaceone-identity", "watch", "--job-id", &job_id],
        &format!("/_emulator/jobs/spaceone/{job_id}/status"),
        "SUCCESS",
    )
    .ok();
    assert_eq!(states(&run), ["running", "succeeded"], "{run:?}");
    assert!(
        run.stderr.contains("is settled: succeeded"),
        "{}",
        run.stderr
    );

    // Cloud Rewind: a protection still being created, then failed.
    let seeded = emu.seeded();
    let p = seeded
        .cloud_rewind
        .protections
        .iter()
        .find(|p| {
            p.status == "created" && seeded.cloud_rewind.assembly_disabled.as_ref() != Some(p)
        })
        .expect("a created protection");
    let (account, assembly) = (p.account_id.to_string(), p.cloud_assembly_id.to_string());
    let run = watch_until_changed(
        &emu,
        &[
            "cloud-rewind",
            "watch",
            "--account-id",
            &account,
            "--project-id",
            &p.project_id,
            "--cloud-assembly-id",
            &assembly,
            "--protection-id",
            &p.protection_id,
        ],
        &format!("/_emulator/jobs/cloud-rewind/{}/status", p.protection_id),
        "failed",
    );
    // A failed job is not a success: the documented exit code 3, and the reason.
    assert_eq!(run.code, 3, "{run:?}");
    assert!(
        run.stderr.contains("ended failed (failed)"),
        "{}",
        run.stderr
    );
    assert_eq!(states(&run), ["pending", "failed"], "{run:?}");
}

#[test]
fn profile_credentials_and_region_come_from_the_shared_files() {
    let emu = EmulatorProcess::start("7");
    let dir = std::env::temp_dir().join(format!("cloudjobs-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let credentials = dir.join("credentials");
    let config = dir.join("config");
    std::fs::write(
        &credentials,
        format!("[emu]\naws_access_key_id = {DEFAULT_ACCESS_KEY}\naws_secret_access_key = {DEFAULT_SECRET_KEY}\n"),
    )
    .unwrap();
    std::fs::write(&config, "[profile emu]\nregion = us-east-1\n").unwrap();
    let (credentials, config) = (credentials.to_str().unwrap(), config.to_str().unwrap());
    let files = [
        ("AWS_SHARED_CREDENTIALS_FILE", credentials),
        ("AWS_CONFIG_FILE", config),
        // Ignored: `--profile` wins over the environment's keys, as with the AWS CLI.
        ("AWS_ACCESS_KEY_ID", "AKIDUNKNOWN"),
        ("AWS_SECRET_ACCESS_KEY", "whatever"),
    ];
    let with_profile = run(
        &[
            "--endpoint-url",
            emu.url.as_str(),
            "--profile",
            "emu",
            "--output",
            "json",
            "macie2",
            "list",
        ],
        &files,
    );
    let without = run(
        &[
            "--endpoint-url",
            emu.url.as_str(),
            "--region",
            "us-east-1",
            "macie2",
            "list",
        ],
        &files,
    );
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(
        ids(&with_profile.ok().json()).len(),
        emu.seeded().macie2.job_ids.len()
    );
    assert_eq!(without.code, 1, "{without:?}");
    assert!(
        without.stderr.contains("UnrecognizedClientException"),
        "{}",
        without.stderr
    );
}

/// The arguments of `cloudjobs jobs` that scope every service to all the seeded data (Cloud
/// Rewind without the protections that answer 409 and 412).
fn jobs_scope_args(seeded: &Seeded) -> Vec<String> {
    let mut args = vec!["jobs".to_owned()];
    for catalog in &seeded.partner_central.catalogs {
        args.extend(["--catalog".to_owned(), catalog.clone()]);
    }
    for id in &seeded.ssm.window_execution_ids {
        args.extend(["--window-execution-id".to_owned(), id.clone()]);
    }
    let cr = &seeded.cloud_rewind;
    for p in &cr.protections {
        if cr.locked.as_ref() == Some(p) || cr.assembly_disabled.as_ref() == Some(p) {
            continue;
        }
        args.push("--protection".to_owned());
        args.push(format!(
            "{}/{}/{}/{}",
            p.account_id, p.project_id, p.cloud_assembly_id, p.protection_id
        ));
    }
    args
}

/// `(service, id)` of every job `jobs_scope_args` asks for, as the emulator seeded them.
fn seeded_keys(emu: &EmulatorProcess, seeded: &Seeded) -> BTreeSet<(String, String)> {
    let mut out = BTreeSet::new();
    let mut add = |service: &str, ids: &[String]| {
        out.extend(ids.iter().map(|id| (service.to_owned(), id.clone())));
    };
    add("partner-central", &seeded.partner_central.job_ids);
    add("macie2", &seeded.macie2.job_ids);
    add("spaceone-identity", &seeded.spaceone.job_ids);
    let (status, body) = emu.admin("GET", "/_emulator/jobs/ssm", None);
    assert_eq!(status, 200, "{body}");
    let executions: Value = serde_json::from_str(&body).unwrap();
    let tasks: Vec<String> = executions
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|e| e["Tasks"].as_array().cloned().unwrap_or_default())
        .map(|t| t["TaskExecutionId"].as_str().unwrap().to_owned())
        .collect();
    assert!(!tasks.is_empty(), "{body}");
    add("ssm-mw", &tasks);
    let cr = &seeded.cloud_rewind;
    let protections: Vec<String> = cr
        .protections
        .iter()
        .filter(|p| cr.locked.as_ref() != Some(*p) && cr.assembly_disabled.as_ref() != Some(*p))
        .map(|p| p.protection_id.clone())
        .collect();
    add("cloud-rewind", &protections);
    out
}

/// `(service, id)` of every job in a JSON job list, in order.
fn service_ids(jobs: &Value) -> Vec<(String, String)> {
    jobs.as_array()
        .expect("a JSON array of jobs")
        .iter()
        .map(|j| {
            let field = |name: &str| j[name].as_str().unwrap().to_owned();
            (field("service"), field("id"))
        })
        .collect()
}

fn keys_of(jobs: &[(String, String)]) -> BTreeSet<(String, String)> {
    jobs.iter().cloned().collect()
}

#[test]
fn jobs_lists_every_service_in_every_format() {
    let emu = EmulatorProcess::start("7");
    let seeded = emu.seeded();
    let expected = seeded_keys(&emu, &seeded);
    let scope = jobs_scope_args(&seeded);
    let with = |format: &str| {
        let mut args: Vec<&str> = vec!["--output", format];
        args.extend(scope.iter().map(String::as_str));
        emu.cli(&args).ok()
    };

    let json = with("json").json();
    let from_json = service_ids(&json);
    assert_eq!(keys_of(&from_json), expected);
    assert_eq!(from_json.len(), expected.len(), "a job came twice");
    // One list sorted by creation time, jobs without one last.
    let times: Vec<Option<&str>> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|j| j["created_at"].as_str())
        .collect();
    let dated: Vec<&str> = times.iter().flatten().copied().collect();
    let parsed: Vec<cloudjobs::DateTime> = dated.iter().map(|t| t.parse().unwrap()).collect();
    assert!(parsed.windows(2).all(|w| w[0] <= w[1]), "{dated:?}");
    assert!(
        times
            .iter()
            .skip_while(|t| t.is_some())
            .all(|t| t.is_none())
    );

    let csv_text = with("csv").stdout;
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        [
            "service",
            "id",
            "name",
            "state",
            "raw_status",
            "created_at",
            "finished_at",
            "detail"
        ]
    );
    let from_csv: Vec<(String, String)> = reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            (r[0].to_owned(), r[1].to_owned())
        })
        .collect();
    assert_eq!(from_csv, from_json, "CSV and JSON differ");

    let yaml: Vec<cloudjobs::Job> = serde_norway::from_str(&with("yaml").stdout).unwrap();
    let from_yaml: Vec<(String, String)> = yaml
        .iter()
        .map(|j| (j.service.to_string(), j.id.clone()))
        .collect();
    assert_eq!(from_yaml, from_json, "YAML and JSON differ");
    let parsed_json: Vec<cloudjobs::Job> = serde_json::from_value(json).unwrap();
    assert_eq!(yaml, parsed_json);

    let table = with("table").stdout;
    assert!(table.starts_with("SERVICE"), "{table}");
    assert_eq!(table.lines().count(), expected.len() + 1);

    // At most N jobs per service.
    let mut args: Vec<&str> = vec!["--output", "json", "--max-items", "1"];
    args.extend(scope.iter().map(String::as_str));
    let one_each = service_ids(&emu.cli(&args).ok().json());
    let services: Vec<&str> = one_each.iter().map(|(s, _)| s.as_str()).collect();
    assert_eq!(
        services.iter().copied().collect::<BTreeSet<_>>(),
        SERVICES.into_iter().collect()
    );
    assert_eq!(services.len(), 5, "{one_each:?}");

    // The state filter.
    let mut args: Vec<&str> = vec!["--output", "json"];
    args.extend(scope.iter().map(String::as_str));
    args.extend(["--state", "failed,cancelled"]);
    let filtered = emu.cli(&args).ok().json();
    let filtered = filtered.as_array().unwrap();
    assert!(!filtered.is_empty());
    assert!(
        filtered
            .iter()
            .all(|j| j["state"] == "failed" || j["state"] == "cancelled"),
        "{filtered:?}"
    );
}

#[test]
fn jobs_with_one_wrong_token_delivers_the_other_services_and_names_the_failing_one() {
    let emu = EmulatorProcess::start("7");
    let seeded = emu.seeded();
    let expected = seeded_keys(&emu, &seeded);
    let mut args = vec![
        "--endpoint-url".to_owned(),
        emu.url.clone(),
        "--output".to_owned(),
        "json".to_owned(),
    ];
    args.extend(jobs_scope_args(&seeded));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut env = emu.env();
    env.push(("CLOUDJOBS_SPACEONE_TOKEN", "wrong-token"));
    env.push(("CLOUDJOBS_CLOUD_REWIND_TOKEN", DEFAULT_BEARER_TOKEN));
    let out = run(&args, &env);
    assert_eq!(out.code, 1, "{out:?}");
    assert!(
        out.stderr
            .contains("1 of 5 services could not be asked: spaceone-identity"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("error: spaceone-identity"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("wrong-token"), "{}", out.stderr);
    let got = keys_of(&service_ids(&out.json()));
    let others: BTreeSet<_> = expected
        .into_iter()
        .filter(|(s, _)| s != "spaceone-identity")
        .collect();
    assert_eq!(got, others);

    // Without a scope, SSM and Cloud Rewind are skipped with a note; naming one is an error.
    let plain = emu.cli(&["--output", "json", "jobs"]).ok();
    assert!(
        plain
            .stderr
            .contains("skipped ssm-mw: no --window-execution-id"),
        "{}",
        plain.stderr
    );
    let services = services_of(&plain.json());
    assert_eq!(services.len(), 3, "{services:?}");
    let named = emu.cli(&["jobs", "--service", "cloud-rewind"]);
    assert_eq!(named.code, 2, "{named:?}");
    assert!(
        named.stderr.contains("cloud-rewind: no --protection"),
        "{}",
        named.stderr
    );
}

/// A job of each service, with the `watch` arguments that find it, the admin path of its
/// status, and a status that keeps it running.
fn watch_targets(emu: &EmulatorProcess) -> Vec<(&'static str, Vec<String>, String, &'static str)> {
    let seeded = emu.seeded();
    let first_id = |args: &[&str]| {
        let listed = emu.cli(args).ok().json();
        listed[0]["id"].as_str().expect("a job").to_owned()
    };
    let pc = first_id(&[
        "--output",
        "json",
        "partner-central",
        "list",
        "--catalog",
        "AWS",
    ]);
    let window = seeded.ssm.window_execution_ids[0].clone();
    let task = first_id(&[
        "--output",
        "json",
        "ssm-mw",
        "list",
        "--window-execution-id",
        &window,
    ]);
    let cr = &seeded.cloud_rewind;
    let p = cr
        .protections
        .iter()
        .find(|p| cr.locked.as_ref() != Some(*p) && cr.assembly_disabled.as_ref() != Some(*p))
        .unwrap();
    let owned = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    vec![
        (
            "partner-central",
            owned(&["watch", "partner-central", &pc, "--catalog", "AWS"]),
            format!("/_emulator/jobs/partner-central/{pc}/status"),
            "Running",
        ),
        (
            "macie2",
            owned(&["watch", "macie2", &seeded.macie2.job_ids[0]]),
            format!("/_emulator/jobs/macie2/{}/status", seeded.macie2.job_ids[0]),
            "RUNNING",
        ),
        (
            "ssm-mw",
            owned(&["watch", "ssm-mw", &task, "--window-execution-id", &window]),
            format!("/_emulator/jobs/ssm/{task}/status"),
            "IN_PROGRESS",
        ),
        (
            "spaceone-identity",
            owned(&["watch", "spaceone-identity", &seeded.spaceone.job_ids[0]]),
            format!(
                "/_emulator/jobs/spaceone/{}/status",
                seeded.spaceone.job_ids[0]
            ),
            "IN_PROGRESS",
        ),
        (
            "cloud-rewind",
            owned(&[
                "watch",
                "cloud-rewind",
                &p.protection_id,
                "--account-id",
                &p.account_id.to_string(),
                "--project-id",
                &p.project_id,
                "--cloud-assembly-id",
                &p.cloud_assembly_id.to_string(),
            ]),
            format!("/_emulator/jobs/cloud-rewind/{}/status", p.protection_id),
            "in-progress",
        ),
    ]
}

#[test]
fn watch_exits_with_the_documented_code_on_every_service() {
    let emu = EmulatorProcess::start("7");
    // The final status of each run, and the exit code it must give.
    let finals: [(&str, &[(&str, i32)]); 5] = [
        ("partner-central", &[("Stopped", 5)]),
        ("macie2", &[("COMPLETE", 0), ("CANCELLED", 4)]),
        ("ssm-mw", &[("SUCCESS", 0), ("FAILED", 3), ("CANCELLED", 4)]),
        ("spaceone-identity", &[("SUCCESS", 0), ("FAILURE", 3)]),
        (
            "cloud-rewind",
            &[("success", 0), ("failed", 3), ("skipped", 4)],
        ),
    ];
    for (service, args, admin_path, running) in watch_targets(&emu) {
        let (_, runs) = finals.iter().find(|(s, _)| *s == service).unwrap();
        for (status, code) in *runs {
            let body = format!(r#"{{"status":"{running}"}}"#);
            let (answer, text) = emu.admin("POST", &admin_path, Some(&body));
            assert_eq!(answer, 200, "{text}");
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let run = watch_until_changed(&emu, &args, &admin_path, status);
            assert_eq!(run.code, *code, "{service} {status}: {run:?}");
            let seen = states(&run);
            assert_eq!(seen.len(), 2, "{service} {status}: {run:?}");
            assert_eq!(seen[0], "running", "{service}: {run:?}");
        }
    }

    // A deadline shorter than the job: timed out, with the last state.
    let (_, args, admin_path, running) = watch_targets(&emu).remove(3);
    let body = format!(r#"{{"status":"{running}"}}"#);
    assert_eq!(emu.admin("POST", &admin_path, Some(&body)).0, 200);
    let mut all: Vec<&str> = vec![
        "--token",
        DEFAULT_BEARER_TOKEN,
        "--endpoint-url",
        emu.url.as_str(),
    ];
    all.extend(args.iter().map(String::as_str));
    all.extend(["--interval", "0.05", "--timeout", "0.5"]);
    let late = run(&all, &emu.env());
    assert_eq!(late.code, 6, "{late:?}");
    assert!(
        late.stderr
            .contains("timed out; last state running (IN_PROGRESS)"),
        "{}",
        late.stderr
    );

    // Could not ask: an unknown job (1); a missing location is a usage error (2).
    let unknown = emu.cli(&[
        "watch",
        "spaceone-identity",
        "job-000000000000",
        "--timeout",
        "5",
    ]);
    assert_eq!(unknown.code, 1, "{unknown:?}");
    assert!(
        unknown.stderr.contains("could not ask: spaceone-identity"),
        "{}",
        unknown.stderr
    );
    let missing = emu.cli(&["watch", "macie2", "nope"]);
    assert_eq!(missing.code, 1, "{missing:?}");
    assert!(missing.stderr.contains("no job nope"), "{}", missing.stderr);
    let usage = emu.cli(&["watch", "ssm-mw", "some-task"]);
    assert_eq!(usage.code, 2, "{usage:?}");
    assert!(
        usage.stderr.contains("--window-execution-id"),
        "{}",
        usage.stderr
    );

    // Several jobs at once: the worst ending decides, and each change is a line.
    let ids = &emu.seeded().spaceone.job_ids;
    let path = |id: &str| format!("/_emulator/jobs/spaceone/{id}/status");
    assert_eq!(
        emu.admin("POST", &path(&ids[0]), Some(r#"{"status":"SUCCESS"}"#))
            .0,
        200
    );
    assert_eq!(
        emu.admin("POST", &path(&ids[1]), Some(r#"{"status":"SUCCESS"}"#))
            .0,
        200
    );
    let all_ok = emu.cli(&[
        "--output",
        "json",
        "watch",
        "spaceone-identity",
        &ids[0],
        &ids[1],
    ]);
    assert_eq!(all_ok.code, 0, "{all_ok:?}");
    assert_eq!(all_ok.stdout.lines().count(), 2, "{all_ok:?}");
    assert_eq!(
        emu.admin("POST", &path(&ids[1]), Some(r#"{"status":"FAILURE"}"#))
            .0,
        200
    );
    let one_failed = emu.cli(&["watch", "spaceone-identity", &ids[0], &ids[1]]);
    assert_eq!(one_failed.code, 3, "{one_failed:?}");
    assert!(
        one_failed
            .stderr
            .contains(&format!("{} ended failed", ids[1])),
        "{}",
        one_failed.stderr
    );
}

/// With the emulator's state progression on, the jobs move by themselves while `watch` polls
/// them (no admin call during the watch): each ends in the status the emulator was told, and
/// `watch` exits with that ending's code; a deadline shorter than the progression times out.
#[test]
fn watch_follows_jobs_that_move_on_their_own() {
    let emu = EmulatorProcess::start("11");
    let put = |path: &str, body: &str| {
        let (status, text) = emu.admin("PUT", path, Some(body));
        assert_eq!(status, 200, "PUT {path} {body}: {text}");
    };
    put("/_emulator/progress", r#"{"all": {"reads": 1}}"#);
    // Endings reachable from each target's running status, and their exit codes.
    let finals: [(&str, &[(&str, i32)]); 5] = [
        ("partner-central", &[("Stopped", 5)]),
        ("macie2", &[("COMPLETE", 0), ("CANCELLED", 4)]),
        ("ssm-mw", &[("SUCCESS", 0), ("FAILED", 3), ("CANCELLED", 4)]),
        ("spaceone-identity", &[("SUCCESS", 0), ("FAILURE", 3)]),
        ("cloud-rewind", &[("success", 0), ("failed", 3)]),
    ];
    for (service, args, admin_path, running) in watch_targets(&emu) {
        let (_, runs) = finals.iter().find(|(s, _)| *s == service).unwrap();
        // `/_emulator/jobs/<service>/<id>/status` -> `/_emulator/progress/<service>/<id>`
        let plan_path = admin_path
            .replace("/_emulator/jobs/", "/_emulator/progress/")
            .trim_end_matches("/status")
            .to_owned();
        for (status, code) in *runs {
            // Back to running (its lifecycle starts again there), then told where it ends.
            let body = format!(r#"{{"status":"{running}"}}"#);
            assert_eq!(emu.admin("POST", &admin_path, Some(&body)).0, 200);
            put(&plan_path, &format!(r#"{{"final_status":"{status}"}}"#));
            // One JSON line per state change.
            let mut all = vec!["--output", "json"];
            all.extend(args.iter().map(String::as_str));
            all.extend(["--interval", "0.05", "--timeout", "60"]);
            let run = emu.cli(&all);
            assert_eq!(run.code, *code, "{service} {status}: {run:?}");
            let seen = states(&run);
            assert!(seen.len() >= 2, "{service} {status}: no move seen: {run:?}");
            assert_eq!(seen[0], "running", "{service}: {run:?}");
        }
    }

    // Steps a minute apart, a deadline of half a second: timed out, with the last state.
    put("/_emulator/progress", r#"{"all": {"secs": 60}}"#);
    let (_, args, admin_path, running) = watch_targets(&emu).remove(2);
    let body = format!(r#"{{"status":"{running}"}}"#);
    assert_eq!(emu.admin("POST", &admin_path, Some(&body)).0, 200);
    let mut all: Vec<&str> = args.iter().map(String::as_str).collect();
    all.extend(["--interval", "0.05", "--timeout", "0.5"]);
    let late = emu.cli(&all);
    assert_eq!(late.code, 6, "{late:?}");
    assert!(
        late.stderr
            .contains("timed out; last state running (IN_PROGRESS)"),
        "{}",
        late.stderr
    );
}

#[test]
fn watch_help_documents_the_exit_codes() {
    let help = run(&["watch", "--help"], &[]).ok();
    for line in [
        "0  every job succeeded",
        "3  a job failed",
        "4  a job was cancelled",
        "6  timed out",
    ] {
        assert!(
            help.stdout.contains(line),
            "{line:?} missing:\n{}",
            help.stdout
        );
    }
}

/// On a terminal, `watch` redraws its lines in place with a spinner. The terminal is a pty
/// from util-linux `script`; the test is skipped (with a note) where that is not installed.
#[test]
fn watch_on_a_terminal_redraws_in_place() {
    let has_script = Command::new("script")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !has_script {
        eprintln!("skipped: util-linux `script` is not installed, so no pty to test with");
        return;
    }
    let emu = EmulatorProcess::start("7");
    let id = emu.seeded().spaceone.job_ids[0].clone();
    let path = format!("/_emulator/jobs/spaceone/{id}/status");
    assert_eq!(
        emu.admin("POST", &path, Some(r#"{"status":"IN_PROGRESS"}"#))
            .0,
        200
    );
    let inner = format!(
        "{BIN} --endpoint-url {} --token {DEFAULT_BEARER_TOKEN} watch spaceone-identity {id} --interval 0.1 --max-interval 0.2 --timeout 60",
        emu.url
    );
    let mut cmd = Command::new("script");
    cmd.args(["-qec", &inner, "/dev/null"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for var in SCRUBBED {
        cmd.env_remove(var);
    }
    let mut child = KillOnDrop(cmd.spawn().expect("spawn script"));
    let mut stdout = child.0.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n) = stdout.read(&mut buf) {
            if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                break;
            }
        }
    });
    // Wait until the live view shows the running job, then finish it.
    let mut screen = Vec::new();
    let start = Instant::now();
    while !String::from_utf8_lossy(&screen).contains("running") {
        assert!(
            start.elapsed() < DEADLINE,
            "no live view: {:?}",
            String::from_utf8_lossy(&screen)
        );
        if let Ok(chunk) = rx.recv_timeout(Duration::from_millis(100)) {
            screen.extend(chunk);
        }
    }
    assert_eq!(
        emu.admin("POST", &path, Some(r#"{"status":"SUCCESS"}"#)).0,
        200
    );
    let exit = wait_for_exit(&mut child, "watch on a pty");
    screen.extend(rx.iter().flatten());
    let screen = String::from_utf8_lossy(&screen);
    assert_eq!(exit.code(), Some(0), "{screen:?}");
    // Lines are cleared and the cursor moved up to redraw them, a spinner turns, and the
    // final frame marks the job done.
    assert!(
        screen.contains("\x1b[2K") && screen.contains("\x1b[1A"),
        "{screen:?}"
    );
    assert!(
        screen.chars().any(|c| ('⠋'..='⠿').contains(&c)),
        "{screen:?}"
    );
    assert!(
        screen.contains(&format!("✓ spaceone-identity  {id}  succeeded")),
        "{screen:?}"
    );
    // No plain per-change lines: they are only for pipes.
    assert!(!screen.contains("Z  spaceone-identity"), "{screen:?}");
}
