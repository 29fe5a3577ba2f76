//! Shared pieces of the benchmark programs run by `cargo xtask bench`: process CPU and peak
//! memory from `getrusage`, a small `--name value` argument reader, the emulator's seeded ids,
//! and the hand-written floor client.
//!
//! Every program prints one JSON object on stdout; `cargo xtask bench` reads it.

pub mod floor;

use std::collections::HashMap;
use std::time::Instant;

/// Any error of a benchmark program.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// User plus system CPU time of this process so far, in seconds.
pub fn cpu_seconds() -> f64 {
    let usage = rusage();
    let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    secs(usage.ru_utime) + secs(usage.ru_stime)
}

/// Peak resident set size of this process so far, in KiB.
pub fn peak_rss_kib() -> u64 {
    rusage().ru_maxrss.max(0) as u64
}

fn rusage() -> libc::rusage {
    // SAFETY: getrusage only writes into the struct we pass, which is plain old data.
    unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_SELF, &mut usage);
        usage
    }
}

/// CPU and wall time of a measured section.
pub struct Meter {
    cpu: f64,
    wall: Instant,
}

impl Meter {
    /// Starts measuring.
    pub fn start() -> Meter {
        Meter { cpu: cpu_seconds(), wall: Instant::now() }
    }

    /// `(cpu_seconds, wall_seconds)` since [`Meter::start`].
    pub fn stop(&self) -> (f64, f64) {
        (cpu_seconds() - self.cpu, self.wall.elapsed().as_secs_f64())
    }
}

/// `--name value` pairs of the command line.
pub struct Args(HashMap<String, String>);

impl Args {
    /// Reads the process arguments; each flag needs a value.
    pub fn from_env() -> Result<Args, BoxError> {
        let mut map = HashMap::new();
        let mut it = std::env::args().skip(1);
        while let Some(flag) = it.next() {
            let name = flag
                .strip_prefix("--")
                .ok_or_else(|| format!("expected a --flag, got `{flag}`"))?;
            let value = it.next().ok_or_else(|| format!("--{name} needs a value"))?;
            map.insert(name.to_string(), value);
        }
        Ok(Args(map))
    }

    /// The value of `--name`, or an error naming it.
    pub fn get(&self, name: &str) -> Result<&str, BoxError> {
        self.0
            .get(name)
            .map(String::as_str)
            .ok_or_else(|| format!("missing --{name}").into())
    }

    /// The value of `--name` parsed, or `default` when absent.
    pub fn num<T: std::str::FromStr>(&self, name: &str, default: T) -> Result<T, BoxError> {
        match self.0.get(name) {
            None => Ok(default),
            Some(v) => v.parse().map_err(|_| format!("--{name}: `{v}` is not a number").into()),
        }
    }
}

/// The settings the `cloudjobs emulator` banner exports, read from the environment.
pub struct Emulator {
    /// Its base URL.
    pub url: String,
    /// The AWS access key id it accepts.
    pub access_key: String,
    /// The AWS secret key it accepts.
    pub secret_key: String,
    /// The bearer token it accepts.
    pub token: String,
}

impl Emulator {
    /// From `AWS_ENDPOINT_URL`, `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and
    /// `CLOUDJOBS_SPACEONE_TOKEN`, as `cloudjobs emulator` prints them.
    pub fn from_env() -> Result<Emulator, BoxError> {
        let var = |name: &str| std::env::var(name).map_err(|_| format!("{name} is not set"));
        Ok(Emulator {
            url: var("AWS_ENDPOINT_URL")?,
            access_key: var("AWS_ACCESS_KEY_ID")?,
            secret_key: var("AWS_SECRET_ACCESS_KEY")?,
            token: var("CLOUDJOBS_SPACEONE_TOKEN")?,
        })
    }

    /// The ids the emulator seeded (`GET /_emulator/seeded`).
    pub async fn seeded(&self) -> Result<serde_json::Value, BoxError> {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let url = format!("{}/_emulator/seeded", self.url);
        Ok(reqwest::get(url).await?.error_for_status()?.json().await?)
    }

    /// The SSM window execution with the most tasks.
    pub async fn largest_ssm_execution(&self) -> Result<String, BoxError> {
        let seeded = self.seeded().await?;
        seeded["ssm"]["window_execution_ids"][0]
            .as_str()
            .map(str::to_string)
            .ok_or_else(|| "the emulator seeded no SSM window execution".into())
    }
}
