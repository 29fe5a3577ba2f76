//! `cloudjobs emulator --progress` as a process: jobs move as the flag says, to the final status
//! `GET /_emulator/progress` announced, seen through the CLI's own `get`.

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
