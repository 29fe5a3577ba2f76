//! `cargo xtask bench [--smoke] [--only SECTION,...]`: builds and runs the benchmarks of
//! `benches/` and writes `BENCHMARKS.md` (issue 13).
//!
//! Sections, each measured against a baseline in the same run, since absolute times on a
//! shared machine are noisy:
//! - [`build`]: cold release builds of two hello-worlds (cloudjobs `full`, the reqwest +
//!   aws-sigv4 floor) in fresh target directories; the rebuild after one spec edit and
//!   `cargo xtask codegen`. `build-official`, run last: the same for the three official AWS
//!   crates (it costs more CPU than all the rest).
//! - [`requests`]: client CPU and wall per page against the emulator in another process,
//!   cloudjobs against the official paginators and the floor; peak memory of `.items()`.
//! - [`load`]: the emulator's requests/s and server CPU per page under 64 keep-alive
//!   connections at two data set sizes.
//! - [`micro`]: criterion micro-benchmarks of request encoding and page decoding.
//!
//! `--smoke` runs each once with tiny sizes (no cold builds, no official SDK) to prove the
//! programs work, and writes its report under the target directory, never `BENCHMARKS.md`.
//! Results are kept per section in `<target>/bench/results*.json`, so `--only` reruns some
//! sections and the report still shows the others' last figures; `--report` only rewrites
//! the report from them.

mod build;
mod load;
mod measure;
mod micro;
mod report;
mod requests;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};

use anyhow::{Context, Result, bail};
use serde_json::{Map, Value};

/// One section: measures, and returns its figures.
type Section = fn(&mut Ctx) -> Result<Value>;

/// The sections, in the order they run.
const SECTIONS: [(&str, Section); 6] = [
    ("build", build::run),
    ("requests", requests::run),
    ("load", load::run),
    ("memory", requests::memory),
    ("micro", micro::run),
    ("build-official", build::official),
];

/// Where everything of one run lives, and how big it is.
pub struct Ctx {
    /// The repository.
    pub root: PathBuf,
    /// `benches/Cargo.toml`.
    pub manifest: PathBuf,
    /// `<target>/bench`: scratch target directories, the results, the smoke report.
    pub dir: PathBuf,
    /// The target directory the `cloudjobs` CLI and the bench programs are built in:
    /// `<target>/bench/clients` (release), or in smoke mode the target directory itself (dev
    /// profile), so CI reuses what its tests compiled.
    pub programs_target: PathBuf,
    /// The cargo profile of the programs: `release`, or `dev` in smoke mode.
    pub profile: &'static str,
    /// Tiny sizes, no cold builds, no official SDK.
    pub smoke: bool,
    /// Whether the official SDK clients are built and measured (not in smoke mode, nor with
    /// `--no-official`).
    pub official: bool,
    /// `--prebuilt`: use the programs already in the target directory, build nothing.
    pub prebuilt: bool,
    /// The commands of the current section, in order, for the report.
    pub commands: Vec<String>,
    /// Whether [`Ctx::build_programs`] has run.
    pub built_programs: bool,
}

impl Ctx {
    /// `cargo` with the benches' manifest and a target directory.
    pub fn cargo(&self, target_dir: &Path) -> Command {
        let mut cmd = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
        cmd.current_dir(&self.root)
            .env("CARGO_TARGET_DIR", target_dir)
            .env("CARGO_TERM_COLOR", "never")
            .env_remove("CARGO_BUILD_TARGET_DIR")
            .env_remove("RUSTFLAGS");
        cmd
    }

    /// Records a command line for the report.
    pub fn note(&mut self, line: impl Into<String>) {
        let line = line.into();
        println!("$ {line}");
        self.commands.push(line);
    }

    /// The directory of the programs' profile under [`Ctx::programs_target`].
    pub fn profile_dir(&self) -> &'static str {
        profile_dir(self.profile)
    }

    /// A bench program built by [`Ctx::build_programs`].
    pub fn program(&self, name: &str) -> PathBuf {
        self.programs_target.join(self.profile_dir()).join(name)
    }

    /// Builds the `cloudjobs` CLI and the bench programs (release, or dev in smoke mode), with
    /// the official SDKs if measured.
    pub fn build_programs(&mut self) -> Result<()> {
        if self.prebuilt {
            self.built_programs = true;
            return Ok(());
        }
        let target = self.programs_target.clone();
        let profile = self.profile;
        self.note(format!(
            "CARGO_TARGET_DIR={} cargo build --profile {profile} -p cloudjobs-cli",
            target.display()
        ));
        measure::run(
            "building the cloudjobs CLI",
            self.cargo(&target)
                .args(["build", "--profile", profile, "-p", "cloudjobs-cli"]),
        )?;
        let mut args = vec![
            "build",
            "--profile",
            profile,
            "--manifest-path",
            "benches/Cargo.toml",
        ];
        // With the benches too, so the dev-dependencies (the emulator, criterion) unify features
        // the same way for every program and `cargo bench` finds them built.
        args.extend(["-p", "cloudjobs-bench", "--bins", "--benches"]);
        if self.official {
            args.extend(["--features", "official"]);
        }
        self.note(format!(
            "CARGO_TARGET_DIR={} cargo {}",
            target.display(),
            args.join(" ")
        ));
        measure::run(
            "building the bench programs",
            self.cargo(&target).args(&args),
        )?;
        self.built_programs = true;
        Ok(())
    }

    /// Starts `cloudjobs emulator` with `jobs` jobs per service on a free port.
    pub fn emulator(&mut self, jobs: u64) -> Result<EmulatorProcess> {
        let bin = self.program("cloudjobs");
        self.note(format!(
            "{} emulator --port 0 --seed 42 --jobs {jobs}",
            bin.display()
        ));
        EmulatorProcess::start(&bin, jobs)
    }
}

/// A `cloudjobs emulator` child process, killed when dropped.
pub struct EmulatorProcess {
    child: Child,
    /// The `export NAME=value` lines of its banner: what a client needs.
    pub env: Vec<(String, String)>,
    /// The SSM window execution with the most tasks (the one the banner's
    /// `cloudjobs ssm-mw list --window-execution-id ID` line names), if any.
    pub ssm_execution: Option<String>,
}

impl EmulatorProcess {
    fn start(bin: &Path, jobs: u64) -> Result<EmulatorProcess> {
        use std::io::BufRead;
        let mut child = Command::new(bin)
            .args([
                "emulator",
                "--port",
                "0",
                "--seed",
                "42",
                "--jobs",
                &jobs.to_string(),
            ])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .with_context(|| format!("starting {}", bin.display()))?;
        let stdout = child.stdout.take().context("the emulator's stdout")?;
        let mut env = Vec::new();
        let mut ssm_execution = None;
        let mut emu = EmulatorProcess {
            child,
            env: Vec::new(),
            ssm_execution: None,
        };
        for line in std::io::BufReader::new(stdout).lines() {
            let line = line.context("reading the emulator's banner")?;
            if let Some((name, value)) =
                line.strip_prefix("export ").and_then(|l| l.split_once('='))
            {
                env.push((name.to_string(), value.to_string()));
            }
            if let Some(id) = line
                .split_once("--window-execution-id ")
                .and_then(|(_, rest)| rest.split_whitespace().next())
            {
                ssm_execution = Some(id.to_string());
            }
            if line.starts_with("# press Ctrl-C") {
                break;
            }
        }
        if !env.iter().any(|(k, _)| k == "AWS_ENDPOINT_URL") {
            bail!(
                "`{} emulator` printed no AWS_ENDPOINT_URL before exiting",
                bin.display()
            );
        }
        emu.env = env;
        emu.ssm_execution = ssm_execution;
        Ok(emu)
    }

    /// Its process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// A command with the emulator's settings in its environment.
    pub fn command(&self, program: &Path) -> Command {
        let mut cmd = Command::new(program);
        cmd.envs(self.env.iter().map(|(k, v)| (k, v)));
        cmd
    }
}

impl Drop for EmulatorProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `cargo xtask bench ...`.
pub fn main(root: &Path, args: &[String]) -> ExitCode {
    match run(root, args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(root: &Path, args: &[String]) -> Result<()> {
    let mut smoke = false;
    let (mut no_official, mut prebuilt) = (false, false);
    let names: Vec<&str> = SECTIONS.iter().map(|(name, _)| *name).collect();
    let mut only: Vec<String> = names.iter().map(|s| s.to_string()).collect();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--smoke" => smoke = true,
            "--no-official" => no_official = true,
            "--prebuilt" => prebuilt = true,
            // Rewrites the report from the stored results, measuring nothing.
            "--report" => only.clear(),
            "--only" => {
                let list = it.next().context("--only needs a list of sections")?;
                only = list.split(',').map(str::to_string).collect();
                if let Some(bad) = only.iter().find(|s| !names.contains(&s.as_str())) {
                    bail!(
                        "--only: unknown section `{bad}` (sections: {})",
                        names.join(", ")
                    );
                }
            }
            other => bail!(
                "unknown argument `{other}`\nusage: cargo xtask bench [--smoke] [--only {}] [--report] [--no-official] [--prebuilt]",
                names.join(",")
            ),
        }
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map(|t| if t.is_absolute() { t } else { root.join(t) })
        .unwrap_or_else(|| root.join("target"));
    let dir = target.join("bench");
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let mut ctx = Ctx {
        root: root.to_path_buf(),
        manifest: root.join("benches/Cargo.toml"),
        programs_target: if smoke {
            target.clone()
        } else {
            dir.join("clients")
        },
        profile: if smoke { "dev" } else { "release" },
        dir: dir.clone(),
        smoke,
        official: !smoke && !no_official,
        prebuilt,
        commands: Vec::new(),
        built_programs: false,
    };
    let results_path = dir.join(if smoke {
        "results-smoke.json"
    } else {
        "results.json"
    });
    let mut results = read_results(&results_path).unwrap_or_default();
    let machine = measure::machine(root);
    let started = now_utc();
    println!(
        "cargo xtask bench{}: {machine}",
        if smoke { " --smoke" } else { "" }
    );

    if !only.is_empty() {
        ctx.note(format!(
            "cargo fetch --manifest-path {}",
            ctx.manifest.display()
        ));
        measure::run(
            "fetching the benches' dependencies",
            ctx.cargo(&dir)
                .args(["fetch", "--manifest-path", "benches/Cargo.toml"]),
        )?;
    }
    for (name, section) in SECTIONS {
        if !only.iter().any(|o| o == name) {
            continue;
        }
        if name != "build" && name != "build-official" && !ctx.built_programs {
            ctx.build_programs()?;
        }
        let mut value = section(&mut ctx)?;
        if let Value::Object(m) = &mut value {
            m.insert("date".into(), Value::from(started.as_str()));
            m.insert("machine".into(), Value::from(machine.as_str()));
            m.insert(
                "commands".into(),
                Value::from(std::mem::take(&mut ctx.commands)),
            );
        }
        // Written at once: a later failure keeps what was measured. Read again first, so two
        // runs of different sections at the same time keep each other's figures.
        if let Some(stored) = read_results(&results_path) {
            results = stored;
        }
        results.insert(name.to_string(), value);
        let text = serde_json::to_string_pretty(&results)?;
        std::fs::write(&results_path, text)
            .with_context(|| format!("writing {}", results_path.display()))?;
    }

    let results = read_results(&results_path).unwrap_or(results);
    let text = report::render(&results, smoke);
    let out = if smoke {
        dir.join("BENCHMARKS-smoke.md")
    } else {
        root.join("BENCHMARKS.md")
    };
    std::fs::write(&out, &text).with_context(|| format!("writing {}", out.display()))?;
    println!("\n{text}\nwrote {}", out.display());
    Ok(())
}

/// The directory cargo puts a profile's artifacts in.
pub fn profile_dir(profile: &str) -> &str {
    match profile {
        "dev" | "test" => "debug",
        "bench" => "release",
        other => other,
    }
}

/// The stored results, if any.
fn read_results(path: &Path) -> Option<Map<String, Value>> {
    let text = std::fs::read_to_string(path).ok()?;
    serde_json::from_str(&text).ok()
}

/// The current time as `YYYY-MM-DD HH:MM UTC` (from `date`, which every CI image has).
fn now_utc() -> String {
    Command::new("date")
        .args(["-u", "+%Y-%m-%d %H:%M UTC"])
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "unknown date".into())
}

/// Parses the one JSON object a bench program prints.
pub fn json_line(what: &str, stdout: &str) -> Result<Value> {
    let line = stdout
        .lines()
        .rev()
        .find(|l| l.trim_start().starts_with('{'))
        .with_context(|| format!("{what} printed no JSON line: {stdout}"))?;
    serde_json::from_str(line).with_context(|| format!("{what} printed bad JSON: {line}"))
}

/// Number at `key` of a JSON object, or 0.
pub fn num(v: &Value, key: &str) -> f64 {
    v.get(key).and_then(Value::as_f64).unwrap_or(0.0)
}
