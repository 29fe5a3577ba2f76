//! The configuration file end to end: `cloudjobs config init|path|show` as processes, and a
//! profile's endpoint and token reaching a real request to an in-process emulator, with flags
//! over environment over file.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

use cloudjobs_emulator::{DEFAULT_BEARER_TOKEN, Emulator, RunningEmulator};
use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_cloudjobs");

/// A fresh directory under the system temp dir, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> TempDir {
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "cloudjobs-config-test-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create temp dir");
        TempDir(dir)
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs the CLI with a scrubbed environment: only PATH, HOME/XDG_CONFIG_HOME pointing into
/// `home`, and `envs`.
fn run(home: &Path, args: &[&str], envs: &[(&str, &str)]) -> Run {
    let mut cmd = Command::new(BIN);
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("xdg"))
        .env("AWS_CONFIG_FILE", home.join("no-aws-config"))
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            home.join("no-aws-credentials"),
        )
        .envs(envs.iter().copied())
        .args(args)
        .stdin(Stdio::null());
    let out = cmd.output().expect("run cloudjobs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

#[test]
fn init_writes_a_template_once_and_path_names_it() {
    let home = TempDir::new();
    let expected = home
        .path()
        .join("xdg")
        .join("cloudjobs")
        .join("config.toml");

    let path = run(home.path(), &["config", "path"], &[]);
    assert_eq!(path.code, 0, "{}", path.stderr);
    assert_eq!(path.stdout.trim(), expected.display().to_string());

    let init = run(home.path(), &["config", "init"], &[]);
    assert_eq!(init.code, 0, "{}", init.stderr);
    let text = std::fs::read_to_string(&expected).expect("template written");
    assert!(text.contains("[profiles.default]"), "{text}");
    assert!(text.contains("token_command"), "{text}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&expected).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "the file must be private");
    }

    // A second init refuses and keeps the user's edits.
    std::fs::write(&expected, "# mine\n").unwrap();
    let again = run(home.path(), &["config", "init"], &[]);
    assert_eq!(again.code, 2, "{}", again.stdout);
    assert!(again.stderr.contains("already exists"), "{}", again.stderr);
    assert_eq!(std::fs::read_to_string(&expected).unwrap(), "# mine\n");

    // --config and CLOUDJOBS_CONFIG move it.
    let other = home.path().join("elsewhere.toml");
    let other_s = other.display().to_string();
    let path = run(home.path(), &["config", "path", "--config", &other_s], &[]);
    assert_eq!(path.stdout.trim(), other_s);
    let path = run(
        home.path(),
        &["config", "path"],
        &[("CLOUDJOBS_CONFIG", &other_s)],
    );
    assert_eq!(path.stdout.trim(), other_s);
    // A file named explicitly must exist.
    let show = run(home.path(), &["--config", &other_s, "config", "show"], &[]);
    assert_eq!(show.code, 2);
    assert!(show.stderr.contains(&other_s), "{}", show.stderr);
}

fn start_emulator(rt: &tokio::runtime::Runtime) -> RunningEmulator {
    rt.block_on(
        Emulator::builder()
            .seed(11)
            .jobs_per_service(6)
            .bearer_token(DEFAULT_BEARER_TOKEN)
            .start(),
    )
    .expect("emulator starts")
}

fn write_config(home: &Path, text: &str) -> String {
    let path = home.join("cfg.toml");
    std::fs::write(&path, text).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    path.display().to_string()
}

fn job_ids(run: &Run) -> Vec<String> {
    let v: Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}\n{}", run.stdout, run.stderr));
    let mut ids: Vec<String> = v
        .as_array()
        .expect("a list of jobs")
        .iter()
        .map(|j| j["id"].as_str().unwrap_or_default().to_owned())
        .collect();
    ids.sort();
    ids
}

#[cfg(unix)]
#[test]
fn a_profile_endpoint_and_token_command_reach_the_service() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let emu = start_emulator(&rt);
    let home = TempDir::new();
    let cfg = write_config(
        home.path(),
        &format!(
            "default_profile = \"emu\"\n\
             [profiles.emu]\n\
             endpoint = \"{url}\"\n\
             [profiles.emu.spaceone-identity]\n\
             token_command = [\"printf\", \"%s\\n\", \"{DEFAULT_BEARER_TOKEN}\"]\n\
             [profiles.emu.cloud-rewind]\n\
             token_env = \"MY_CR_TOKEN\"\n\
             [profiles.broken]\n\
             endpoint = \"http://127.0.0.1:9\"\n\
             [profiles.prefixed]\n\
             endpoint = \"{url}\"\n\
             [profiles.prefixed.spaceone-identity]\n\
             path_prefix = \"/elsewhere\"\n",
            url = emu.url()
        ),
    );
    let mut expected = emu.seeded().spaceone.job_ids;
    expected.sort();
    let list = [
        "--config",
        cfg.as_str(),
        "--output",
        "json",
        "spaceone-identity",
        "list",
    ];

    // Everything from the file.
    let ok = run(home.path(), &list, &[]);
    assert_eq!(ok.code, 0, "{}", ok.stderr);
    assert_eq!(job_ids(&ok), expected);

    // The environment's token beats the file's command: a wrong one is refused by the service.
    let env_wins = run(home.path(), &list, &[("CLOUDJOBS_SPACEONE_TOKEN", "wrong")]);
    assert_eq!(env_wins.code, 1, "{}", env_wins.stdout);
    assert!(env_wins.stderr.contains("401"), "{}", env_wins.stderr);

    // The flag beats the environment.
    let mut with_flag = list.to_vec();
    with_flag.extend(["--token", DEFAULT_BEARER_TOKEN]);
    let flag_wins = run(
        home.path(),
        &with_flag,
        &[("CLOUDJOBS_SPACEONE_TOKEN", "wrong")],
    );
    assert_eq!(flag_wins.code, 0, "{}", flag_wins.stderr);
    assert_eq!(job_ids(&flag_wins), expected);

    // Another profile by environment variable: its endpoint is used (and nothing listens).
    let other = run(
        home.path(),
        &list,
        &[
            ("CLOUDJOBS_PROFILE", "broken"),
            ("CLOUDJOBS_SPACEONE_TOKEN", DEFAULT_BEARER_TOKEN),
        ],
    );
    assert_eq!(other.code, 1, "{}", other.stdout);
    // That profile has no token for the service: a usage error, nothing sent.
    let no_token = run(home.path(), &list, &[("CLOUDJOBS_PROFILE", "broken")]);
    assert_eq!(no_token.code, 2, "{}", no_token.stdout);
    // ... unless the environment names the endpoint.
    let url = emu.url();
    let env_endpoint = run(
        home.path(),
        &list,
        &[
            ("CLOUDJOBS_PROFILE", "broken"),
            ("CLOUDJOBS_SPACEONE_ENDPOINT_URL", url.as_str()),
            ("CLOUDJOBS_SPACEONE_TOKEN", DEFAULT_BEARER_TOKEN),
        ],
    );
    assert_eq!(env_endpoint.code, 0, "{}", env_endpoint.stderr);
    assert_eq!(job_ids(&env_endpoint), expected);

    // A profile's path prefix is used (nothing is served there) unless the environment's wins.
    let token = ("CLOUDJOBS_SPACEONE_TOKEN", DEFAULT_BEARER_TOKEN);
    let prefixed = run(
        home.path(),
        &list,
        &[("CLOUDJOBS_PROFILE", "prefixed"), token],
    );
    assert_eq!(prefixed.code, 1, "{}", prefixed.stdout);
    assert!(prefixed.stderr.contains("404"), "{}", prefixed.stderr);
    let env_prefix = run(
        home.path(),
        &list,
        &[
            ("CLOUDJOBS_PROFILE", "prefixed"),
            token,
            ("CLOUDJOBS_SPACEONE_PATH_PREFIX", "/identity"),
        ],
    );
    assert_eq!(env_prefix.code, 0, "{}", env_prefix.stderr);
    assert_eq!(job_ids(&env_prefix), expected);

    // Cloud Rewind's token_env variable unset: a usage error naming the variable, nothing sent.
    let p = &emu.seeded().cloud_rewind.protections[0];
    let (account, assembly) = (p.account_id.to_string(), p.cloud_assembly_id.to_string());
    let get = [
        "--config",
        cfg.as_str(),
        "cloud-rewind",
        "get",
        "--account-id",
        account.as_str(),
        "--project-id",
        p.project_id.as_str(),
        "--cloud-assembly-id",
        assembly.as_str(),
        "--protection-id",
        p.protection_id.as_str(),
    ];
    let unset = run(home.path(), &get, &[]);
    assert_eq!(unset.code, 2, "{}", unset.stdout);
    assert!(unset.stderr.contains("MY_CR_TOKEN"), "{}", unset.stderr);
    let set = run(home.path(), &get, &[("MY_CR_TOKEN", DEFAULT_BEARER_TOKEN)]);
    assert_eq!(set.code, 0, "{}", set.stderr);
    assert!(set.stdout.contains(&p.status), "{}", set.stdout);
    rt.block_on(emu.shutdown());
}

#[test]
fn show_tells_where_each_setting_comes_from_and_never_prints_tokens() {
    let home = TempDir::new();
    let cfg = write_config(
        home.path(),
        "[profiles.default]\nregion = \"eu-west-3\"\n\
         [profiles.default.ssm-mw]\naws_profile = \"ops\"\n\
         [profiles.default.cloud-rewind]\ntoken = \"plain-secret-1\"\nallow_plain_token = true\n",
    );
    let show = run(
        home.path(),
        &["--config", &cfg, "--output", "json", "config", "show"],
        &[
            ("CLOUDJOBS_SPACEONE_TOKEN", "env-secret-2"),
            ("AWS_REGION", "ca-central-1"),
        ],
    );
    assert_eq!(show.code, 0, "{}", show.stderr);
    for secret in ["plain-secret-1", "env-secret-2"] {
        assert!(!show.stdout.contains(secret), "{}", show.stdout);
        assert!(!show.stderr.contains(secret), "{}", show.stderr);
    }
    let v: Value = serde_json::from_str(&show.stdout).expect("JSON");
    assert_eq!(v["profile"], "default");
    let find = |service: &str, setting: &str| -> Value {
        v["settings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["service"] == service && r["setting"] == setting)
            .cloned()
            .unwrap_or_else(|| panic!("no {service} {setting} in {v}"))
    };
    let region = find("macie2", "region");
    assert_eq!(region["value"], "ca-central-1");
    assert_eq!(region["from"], "environment AWS_REGION");
    let profile = find("ssm-mw", "aws_profile");
    assert_eq!(profile["value"], "ops");
    assert_eq!(profile["from"], "file profiles.default.ssm-mw.aws_profile");
    assert_eq!(find("partner-central", "aws_profile")["value"], Value::Null);
    let token = find("cloud-rewind", "token");
    assert_eq!(token["from"], "file profiles.default.cloud-rewind.token");
    assert_eq!(
        find("spaceone-identity", "token")["from"],
        "environment CLOUDJOBS_SPACEONE_TOKEN"
    );

    // The plain token in a file others can read is refused where it would be used.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&cfg, std::fs::Permissions::from_mode(0o644)).unwrap();
        let used = run(
            home.path(),
            &[
                "--config",
                &cfg,
                "--endpoint-url",
                "http://127.0.0.1:9",
                "cloud-rewind",
                "get",
                "--account-id",
                "1",
                "--project-id",
                "2",
                "--cloud-assembly-id",
                "3",
                "--protection-id",
                "p",
            ],
            &[],
        );
        assert_eq!(used.code, 2, "{}", used.stdout);
        assert!(used.stderr.contains("chmod 600"), "{}", used.stderr);
        assert!(!used.stderr.contains("plain-secret-1"), "{}", used.stderr);
    }
}
