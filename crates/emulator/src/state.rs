//! Shared server state: configuration, the data set, fault settings, and the read indexes
//! built from the data set.
//!
//! The data set sits behind an `RwLock`: list and get requests share it, while the admin API,
//! SpaceONE `delete` and state progression take it alone. Every write goes through
//! [`DataWrite`], which moves the data's generation on; an index built from the data (a sort
//! order, an id lookup) is kept with the generation it was built at and rebuilt once the data
//! has changed, so a page of a large data set does not pay for sorting it.

use std::any::Any;
use std::collections::HashMap;
use std::ops::{Deref, DerefMut};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, RwLock, RwLockReadGuard, RwLockWriteGuard};

use crate::faults::FaultState;
use crate::generate::{Rng, mix};
use crate::model::{Fixture, Service};
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
    /// The data set; read with [`Shared::read_data`], written with [`Shared::write_data`].
    pub data: RwLock<Fixture>,
    /// Moves on at every write of `data`: the age of the indexes in `indexes`.
    pub generation: AtomicU64,
    /// Indexes built from `data`, by service and name, with the generation they were built at.
    pub indexes: Mutex<IndexCache>,
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

/// Indexes built from the data set: (service, name) to (generation, index).
pub(crate) type IndexCache = HashMap<(Service, String), (u64, Arc<dyn Any + Send + Sync>)>;

/// At most this many indexes are kept (names can come from requests, e.g. sort keys).
const MAX_INDEXES: usize = 64;

/// Write access to the data set; taking it mutably moves the data's generation on, so the
/// indexes built before are rebuilt when next asked for.
pub(crate) struct DataWrite<'a> {
    guard: RwLockWriteGuard<'a, Fixture>,
    generation: &'a AtomicU64,
}

impl Deref for DataWrite<'_> {
    type Target = Fixture;
    fn deref(&self) -> &Fixture {
        &self.guard
    }
}

impl DerefMut for DataWrite<'_> {
    fn deref_mut(&mut self) -> &mut Fixture {
        // Under the write lock, so no reader sees the new generation with the old data.
        self.generation.fetch_add(1, Ordering::AcqRel);
        &mut self.guard
    }
}

impl Shared {
    /// Shared read access to the data set (poisoning ignored).
    pub(crate) fn read_data(&self) -> RwLockReadGuard<'_, Fixture> {
        self.data.read().unwrap_or_else(|e| e.into_inner())
    }

    /// Exclusive access to the data set (poisoning ignored).
    pub(crate) fn write_data(&self) -> DataWrite<'_> {
        DataWrite {
            guard: self.data.write().unwrap_or_else(|e| e.into_inner()),
            generation: &self.generation,
        }
    }

    /// The index `name` of `service`, built by `build` from `data` unless one built from the
    /// same generation of the data is kept. `data` must be the guarded data set (the read or
    /// write lock is held while the index is built and used).
    pub(crate) fn index<T: Any + Send + Sync>(
        &self,
        data: &Fixture,
        service: Service,
        name: &str,
        build: impl FnOnce(&Fixture) -> T,
    ) -> Arc<T> {
        let generation = self.generation.load(Ordering::Acquire);
        let key = (service, name.to_owned());
        if let Some((g, index)) = lock(&self.indexes).get(&key)
            && *g == generation
            && let Ok(index) = Arc::clone(index).downcast::<T>()
        {
            return index;
        }
        // Built outside the cache's lock: two requests may build the same index at once, and
        // both results are right.
        let built = Arc::new(build(data));
        let mut cache = lock(&self.indexes);
        cache.retain(|_, (g, _)| *g == generation);
        if cache.len() >= MAX_INDEXES {
            cache.clear();
        }
        cache.insert(
            key,
            (generation, built.clone() as Arc<dyn Any + Send + Sync>),
        );
        built
    }
}

/// Locks a mutex, ignoring poisoning (a panicking handler must not take the server down).
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_index_is_kept_until_the_data_is_written() {
        let emu = crate::Emulator::builder()
            .jobs_per_service(5)
            .build()
            .expect("emulator");
        let shared = &emu.shared;
        let name = |d: &Fixture| d.macie2.len();
        let first = shared.index(&shared.read_data(), Service::Macie2, "n", name);
        let kept = shared.index(&shared.read_data(), Service::Macie2, "n", |_| -> usize {
            panic!("rebuilt without a change")
        });
        assert!(Arc::ptr_eq(&first, &kept));
        // Another name, another service: other indexes.
        let other = shared.index(&shared.read_data(), Service::Ssm, "n", |_| 99usize);
        assert_eq!(*other, 99);
        // Looking through a write guard without changing anything keeps the index.
        assert_eq!(shared.write_data().macie2.len(), *first);
        let kept = shared.index(&shared.read_data(), Service::Macie2, "n", |_| -> usize {
            panic!("rebuilt after a read through the write guard")
        });
        assert!(Arc::ptr_eq(&first, &kept));
        // A change: rebuilt from the new data.
        shared.write_data().macie2.truncate(2);
        let rebuilt = shared.index(&shared.read_data(), Service::Macie2, "n", name);
        assert_eq!((*first, *rebuilt), (5, 2));
    }
}
