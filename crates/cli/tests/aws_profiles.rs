//! `cloudjobs --profile <name>` with the profiles aws-config serves and the built-in chain
//! does not: `credential_process`, AssumeRole with `source_profile` (STS answered by the
//! emulator), and IAM Identity Center with an `sso-session` and a cached token as `aws sso
//! login` leaves it (the SSO portal answered by the emulator). Each run is a `cloudjobs`
//! process with its own `HOME` and shared files, so nothing of the machine leaks in.

#![cfg(feature = "aws-config")]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use cloudjobs_emulator::{
    DEFAULT_ACCESS_KEY, DEFAULT_BEARER_TOKEN, DEFAULT_SECRET_KEY, Emulator, RunningEmulator,
};
use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_cloudjobs");

/// A temporary `HOME` with `.aws/config` and `.aws/credentials`.
struct Home {
    dir: PathBuf,
}

impl Home {
    fn new(name: &str, config: &str, credentials: &str) -> Home {
        let dir = std::env::temp_dir().join(format!(
            "cloudjobs-aws-profiles-{name}-{}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join(".aws")).unwrap();
        std::fs::write(dir.join(".aws/config"), config).unwrap();
        std::fs::write(dir.join(".aws/credentials"), credentials).unwrap();
        Home { dir }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.join(rel)
    }
}

impl Drop for Home {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// One run of `cloudjobs` with only `HOME` and the emulator's STS / SSO endpoints set.
fn cloudjobs(home: &Path, emu: &str, env: &[(&str, &str)], args: &[&str]) -> (i32, String, String) {
    let mut cmd = Command::new(BIN);
    cmd.env_clear()
        .env("HOME", home)
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("AWS_CONFIG_FILE", home.join(".aws/config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", home.join(".aws/credentials"))
        .env("AWS_ENDPOINT_URL_STS", emu)
        .env("AWS_ENDPOINT_URL_SSO", emu)
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .envs(env.iter().copied())
        .args(["--endpoint-url", emu, "--output", "json"])
        .args(args)
        .stdin(Stdio::null());
    let out = cmd.output().expect("run cloudjobs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `ssm-mw list` of the largest window execution under `profile`: the number of tasks.
async fn list_tasks(emu: &RunningEmulator, home: &Home, profile: &str) -> Result<usize, String> {
    list_tasks_with(emu, home, profile, &[]).await
}

/// [`list_tasks`] with extra environment variables.
async fn list_tasks_with(
    emu: &RunningEmulator,
    home: &Home,
    profile: &str,
    env: &[(&'static str, &'static str)],
) -> Result<usize, String> {
    let env = env.to_vec();
    let url = emu.url();
    let execution = emu.seeded().ssm.window_execution_ids[0].clone();
    let home = home.dir.clone();
    let profile = profile.to_owned();
    let (code, stdout, stderr) = tokio::task::spawn_blocking(move || {
        cloudjobs(
            &home,
            &url,
            &env,
            &[
                "--profile",
                &profile,
                "ssm-mw",
                "list",
                "--window-execution-id",
                &execution,
            ],
        )
    })
    .await
    .unwrap();
    if code != 0 {
        return Err(format!("exit {code}: {stderr}"));
    }
    let jobs: Value = serde_json::from_str(&stdout).map_err(|e| format!("{e}: {stdout}"))?;
    Ok(jobs.as_array().map_or(0, Vec::len))
}

async fn emulator() -> RunningEmulator {
    Emulator::builder().start().await.expect("start emulator")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn credential_process_profile() {
    let emu = emulator().await;
    let home = Home::new("process", "", "");
    let script = home.path("creds.sh");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\nprintf '%s' '{{\"Version\": 1, \"AccessKeyId\": \"{DEFAULT_ACCESS_KEY}\", \"SecretAccessKey\": \"{DEFAULT_SECRET_KEY}\"}}'\n"
        ),
    )
    .unwrap();
    std::fs::write(
        home.path(".aws/config"),
        format!(
            "[profile proc]\nregion = us-east-1\ncredential_process = /bin/sh {}\n",
            script.display()
        ),
    )
    .unwrap();
    let expected = emu.seeded().ssm.task_counts[0];
    assert_eq!(list_tasks(&emu, &home, "proc").await, Ok(expected));

    // A process that fails: the error says so, nothing is sent unsigned.
    std::fs::write(
        home.path(".aws/config"),
        "[profile proc]\nregion = us-east-1\ncredential_process = /bin/sh -c 'exit 3'\n",
    )
    .unwrap();
    let err = list_tasks(&emu, &home, "proc").await.unwrap_err();
    assert!(err.contains("credential"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn assume_role_profile_with_source_profile() {
    let emu = emulator().await;
    let home = Home::new(
        "role",
        "[profile jobs]\nregion = us-east-1\nrole_arn = arn:aws:iam::123456789012:role/JobsReader\nsource_profile = base\n\n[profile base]\nregion = us-east-1\n",
        &format!(
            "[base]\naws_access_key_id = {DEFAULT_ACCESS_KEY}\naws_secret_access_key = {DEFAULT_SECRET_KEY}\n"
        ),
    );
    let expected = emu.seeded().ssm.task_counts[0];
    assert_eq!(list_tasks(&emu, &home, "jobs").await, Ok(expected));

    // A source profile with keys the emulator does not know: STS refuses, and so does the
    // call.
    std::fs::write(
        home.path(".aws/credentials"),
        "[base]\naws_access_key_id = AKIDUNKNOWN\naws_secret_access_key = nope\n",
    )
    .unwrap();
    let err = list_tasks(&emu, &home, "jobs").await.unwrap_err();
    assert!(err.contains("InvalidClientTokenId"), "{err}");
}

/// The cache file `aws sso login` writes for an `sso-session`: `sha1(session name).json`.
fn write_sso_cache(home: &Home, key: &str, token: &str) {
    let dir = home.path(".aws/sso/cache");
    std::fs::create_dir_all(&dir).unwrap();
    let name = sha1_hex(key.as_bytes());
    std::fs::write(
        dir.join(format!("{name}.json")),
        format!(
            r#"{{"startUrl": "https://emulator.awsapps.com/start", "region": "us-east-1", "accessToken": "{token}", "expiresAt": "2099-01-01T00:00:00Z"}}"#
        ),
    )
    .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sso_session_profile_with_a_cached_token() {
    let emu = emulator().await;
    let config = "[profile sso-jobs]\nsso_session = emu\nsso_account_id = 123456789012\nsso_role_name = JobsReader\nregion = us-east-1\n\n[sso-session emu]\nsso_region = us-east-1\nsso_start_url = https://emulator.awsapps.com/start\nsso_registration_scopes = sso:account:access\n";
    let home = Home::new("sso", config, "");

    // Not logged in yet: aws-config says so.
    let err = list_tasks(&emu, &home, "sso-jobs").await.unwrap_err();
    assert!(err.to_lowercase().contains("sso"), "{err}");

    write_sso_cache(&home, "emu", DEFAULT_BEARER_TOKEN);
    let expected = emu.seeded().ssm.task_counts[0];
    assert_eq!(list_tasks(&emu, &home, "sso-jobs").await, Ok(expected));

    // A token the portal does not accept.
    write_sso_cache(&home, "emu", "stale-token");
    let err = list_tasks(&emu, &home, "sso-jobs").await.unwrap_err();
    assert!(err.contains("Unauthorized"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn legacy_sso_profile_with_a_cached_token() {
    let emu = emulator().await;
    let start_url = "https://emulator.awsapps.com/start";
    let config = format!(
        "[profile legacy]\nsso_start_url = {start_url}\nsso_region = us-east-1\nsso_account_id = 123456789012\nsso_role_name = JobsReader\nregion = us-east-1\n"
    );
    let home = Home::new("legacy-sso", &config, "");
    // Legacy profiles key the cache by the start URL.
    write_sso_cache(&home, start_url, DEFAULT_BEARER_TOKEN);
    let expected = emu.seeded().ssm.task_counts[0];
    assert_eq!(list_tasks(&emu, &home, "legacy").await, Ok(expected));
}

fn sha1_hex(data: &[u8]) -> String {
    use sha1::Digest;
    hex::encode(sha1::Sha1::digest(data))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_credentials_anywhere_says_where_both_chains_looked() {
    let emu = emulator().await;
    let home = Home::new("none", "[profile empty]\nregion = us-east-1\n", "");
    let err = list_tasks(&emu, &home, "empty").await.unwrap_err();
    assert!(
        err.contains("profile `empty` has no aws_access_key_id"),
        "{err}"
    );
    assert!(err.contains("aws-config: "), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn assume_role_profile_with_environment_credential_source() {
    let emu = emulator().await;
    let home = Home::new(
        "role-env",
        "[profile jobs]\nregion = us-east-1\nrole_arn = arn:aws:iam::123456789012:role/JobsReader\ncredential_source = Environment\n",
        "",
    );
    let keys = [
        ("AWS_ACCESS_KEY_ID", DEFAULT_ACCESS_KEY),
        ("AWS_SECRET_ACCESS_KEY", DEFAULT_SECRET_KEY),
    ];
    let expected = emu.seeded().ssm.task_counts[0];
    assert_eq!(
        list_tasks_with(&emu, &home, "jobs", &keys).await,
        Ok(expected)
    );
    // No keys in the environment: the role cannot be assumed.
    let err = list_tasks(&emu, &home, "jobs").await.unwrap_err();
    assert!(err.contains("credential"), "{err}");
}
