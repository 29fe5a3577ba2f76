//! Shared server state: configuration, the data set, fault settings.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};

use crate::faults::FaultState;
use crate::generate::{Rng, mix};
use crate::model::Fixture;
use crate::progress::ProgressState;

/// Where the data came from, so `reset` can rebuild it.
#[derive(Debug, Clone)]
pub(crate) enum DataSource {
    Generated { seed: u64, jobs_per_service: usize },
    Fixture(Box<Fixture>),
}

impl DataSource {
    pub(crate) fn build(&self, seed: u64) -> Fixture {
        match self {
            DataSource::Generated {
                seed,
                jobs_per_service,
            } => crate::generate::generate(*seed, *jobs_per_service),
            DataSource::Fixture(fx) => {
                let mut fx = (**fx).clone();
                crate::generate::normalize(&mut fx, &mut Rng::new(seed ^ 0xF1F1));
                fx
            }
        }
    }
}

/// Credentials and tokens the emulator accepts.
#[derive(Clone)]
pub(crate) struct Credentials {
    pub access_key: String,
    pub secret_key: String,
    pub bearer_token: String,
    pub forbidden_token: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key", &self.access_key)
            .field("secret_key", &"<redacted>")
            .field("bearer_token", &"<redacted>")
            .field("forbidden_token", &"<redacted>")
            .finish()
    }
}

/// Everything the handlers share.
#[derive(Debug)]
pub(crate) struct Shared {
    pub creds: Credentials,
    pub seed: u64,
    pub data: Mutex<Fixture>,
    pub source: Mutex<DataSource>,
    pub rng: Mutex<Rng>,
    pub faults: Mutex<FaultState>,
    pub requests: AtomicU64,
    /// State progression rules and trackers (lock after `data`, never before).
    pub progress: Mutex<ProgressState>,
}

impl Shared {
    /// A request id in UUID form, unique per request and deterministic from the seed.
    pub(crate) fn request_id(&self) -> String {
        let n = self.requests.fetch_add(1, Ordering::Relaxed);
        let a = mix(self.seed ^ mix(n));
        let b = mix(a ^ 0xABCD);
        format!(
            "{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
            (a >> 32) as u32,
            (a >> 16) as u16,
            (a as u16) & 0xfff,
            ((b >> 48) as u16) & 0xfff,
            b & 0xffff_ffff_ffff
        )
    }
}

/// Locks a mutex, ignoring poisoning (a panicking handler must not take the server down).
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}
