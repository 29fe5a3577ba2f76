//! `cloudjobs emulator --progress` as a process: jobs move as the flag says, to the final status
//! `GET /_emulator/progress` announced, seen through the CLI's own `get`; and the lifecycles
//! checked against the facade's normalized states, which `watch` relies on.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use cloudjobs_emulator::{DEFAULT_BEARER_TOKEN, ProgressReport, Service};
use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_cloudjobs");

struct KillOnDrop(Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn cloudjobs() -> Command {
    let mut cmd = Command::new(BIN);
    cmd.env_remove("CLOUDJOBS_CONFIG")
        .env_remove("CLOUDJOBS_PROFILE")
        .env_remove("CLOUDJOBS_SPACEONE_TOKEN")
        .env_remove("CLOUDJOBS_SPACEONE_ENDPOINT_URL")
        .env("XDG_CONFIG_HOME", "/nonexistent/cloudjobs-test")
        .stdin(Stdio::null());
    cmd
}

/// Starts the emulator with these arguments; returns it with its URL and banner.
fn start(args: &[&str]) -> (KillOnDrop, String, String) {
    let mut child = KillOnDrop(
        cloudjobs()
            .args(["emulator", "--port", "0"])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn the emulator"),
    );
    let stdout = child.0.stdout.take().expect("stdout");
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let mut banner = Vec::new();
    while let Ok(line) = rx.recv_timeout(Duration::from_secs(30)) {
        let done = line.contains("Ctrl-C");
        banner.push(line);
        if done {
            break;
        }
    }
    let url = banner
        .first()
        .and_then(|l| l.strip_prefix("listening on "))
        .unwrap_or_else(|| panic!("no URL in {banner:?}"))
        .to_owned();
    (child, url, banner.join("\n"))
}

fn get_json(url: &str, path: &str) -> Value {
    let addr = url.trim_start_matches("http://");
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .expect("send");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("read");
    let (head, body) = response.split_once("\r\n\r\n").expect("HTTP response");
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    let body = if head.to_ascii_lowercase().contains("chunked") {
        // One chunk: size line, data, terminator.
        body.split_once("\r\n")
            .map(|(_, rest)| rest.rsplit_once("\r\n0\r\n").map_or(rest, |(d, _)| d))
            .unwrap_or(body)
            .to_owned()
    } else {
        body.to_owned()
    };
    serde_json::from_str(&body).unwrap_or_else(|e| panic!("{e}: {body}"))
}

#[test]
fn jobs_move_one_step_per_read_to_the_announced_final_status() {
    let (_emu, url, banner) = start(&[
        "--seed",
        "5",
        "--jobs",
        "8",
        "--progress",
        "spaceone-identity=reads:1,ssm-mw=secs:3600",
    ]);
    assert!(
        banner.contains("jobs move on their own (ssm=secs:3600,spaceone=reads:1)"),
        "{banner}"
    );
    let report: ProgressReport =
        serde_json::from_value(get_json(&url, "/_emulator/progress")).expect("a report");
    let job = report
        .jobs
        .iter()
        .find(|j| j.service == Service::SpaceOne && j.next.len() == 2)
        .expect("a PENDING SpaceONE job")
        .clone();
    let mut seen = Vec::new();
    for _ in 0..4 {
        let out = cloudjobs()
            .args(["--endpoint-url", &url, "--token", DEFAULT_BEARER_TOKEN])
            .args(["--output", "json", "spaceone-identity", "get", "--job-id"])
            .arg(&job.id)
            .output()
            .expect("run get");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: Value = serde_json::from_slice(&out.stdout).expect("JSON");
        seen.push(v["status"].as_str().unwrap_or("").to_owned());
    }
    let mut expected = vec![job.status.clone()];
    expected.extend(job.next.iter().cloned());
    expected.push(job.final_status.clone());
    assert_eq!(seen, expected);
}

#[test]
fn a_bad_progress_flag_is_a_usage_error_naming_it() {
    let out = cloudjobs()
        .args(["emulator", "--port", "0", "--progress", "ssm=weekly:1"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--progress") && err.contains("weekly"),
        "{err}"
    );
}

/// The facade's name of an emulated service.
fn facade(service: Service) -> cloudjobs::Service {
    match service {
        Service::PartnerCentral => cloudjobs::Service::PartnerCentral,
        Service::Macie2 => cloudjobs::Service::Macie2,
        Service::Ssm => cloudjobs::Service::SsmMw,
        Service::SpaceOne => cloudjobs::Service::SpaceoneIdentity,
        Service::CloudRewind => cloudjobs::Service::CloudRewind,
    }
}

/// What `watch` and the waiters rely on: a moving job is not settled until its last step, and
/// then it is (a scheduled Macie2 job excepted: it goes back to IDLE, waiting for its next
/// run); in the seeded data every service has jobs that end well, and a test can make one end
/// badly with `set_final_status`.
#[test]
fn every_moving_job_ends_settled_as_the_facade_sees_it() {
    use cloudjobs::JobState;
    for seed in [1, 42] {
        let emu = cloudjobs_emulator::Emulator::builder()
            .seed(seed)
            .build()
            .expect("build");
        emu.set_progress(cloudjobs_emulator::Progress::all(
            cloudjobs_emulator::Progression::Reads(1),
        ));
        let report = emu.progress_report();
        let mut outcomes: std::collections::BTreeMap<Service, Vec<JobState>> = Default::default();
        for job in &report.jobs {
            let svc = facade(job.service);
            let (last, steps) = job
                .next
                .split_last()
                .expect("a moving job has a next state");
            for s in std::iter::once(&job.status).chain(steps) {
                let state = JobState::from_service(svc, s);
                assert!(!state.is_settled(), "{svc} {}: {s} is {state}", job.id);
            }
            let end = JobState::from_service(svc, last);
            if !(job.service == Service::Macie2 && last == "IDLE") {
                assert!(end.is_settled(), "{svc} {}: ends {last} ({end})", job.id);
            }
            outcomes.entry(job.service).or_default().push(end);
        }
        for (service, ends) in &outcomes {
            let good = ends.contains(&JobState::Succeeded) || ends.contains(&JobState::Paused);
            assert!(good, "seed {seed}: no {service} job ends well: {ends:?}");
        }
        // Whatever the seed chose, a test can make a moving job fail or be cancelled (Partner
        // Central jobs only stop: they have no failure to show).
        for (service, bad) in [
            (Service::Macie2, "CANCELLED"),
            (Service::Ssm, "FAILED"),
            (Service::SpaceOne, "FAILURE"),
            (Service::CloudRewind, "failed"),
        ] {
            // The first moving job from which that end can be reached (not, say, an SSM task
            // already CANCELLING).
            let plan = report
                .jobs
                .iter()
                .filter(|j| j.service == service)
                .find_map(|j| emu.set_final_status(service, &j.id, bad).ok())
                .unwrap_or_else(|| panic!("seed {seed}: no {service} job can end {bad}"));
            assert_eq!(plan.next.last().map(String::as_str), Some(bad));
            let end = JobState::from_service(facade(service), bad);
            assert!(
                matches!(end, JobState::Failed | JobState::Cancelled),
                "{end}"
            );
        }
    }
}
