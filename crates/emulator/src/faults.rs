//! Fault injection: throttling, server errors, latency and dropped connections, decided
//! deterministically from the seed and the request's position; plus one-shot injected errors.

use serde::{Deserialize, Serialize};
use std::time::Duration;

use crate::generate::mix;
use crate::model::Service;

/// Fault injection settings.
///
/// For every request to one of the five APIs (admin routes are never faulted), one number
/// `u` in `[0, 1)` is drawn from a hash of the seed and the request's sequence number (counted
/// from the moment the faults were last set). The request is dropped when `u < drop_rate`,
/// throttled when `u < drop_rate + throttle_rate`, and answered with a server error when
/// `u < drop_rate + throttle_rate + server_error_rate`; otherwise it is served normally. So the
/// same seed and the same sequence of requests always meet the same faults. `latency` is
/// added before every request is answered, plus a random share of `latency_jitter` (uniform
/// in `0..=latency_jitter`, drawn from the same seed and sequence number).
///
/// In JSON (admin API) the latencies are `latency_ms` and `latency_jitter_ms`, integers:
/// `{"throttle_rate": 0.1, "server_error_rate": 0.05, "latency_ms": 20,
/// "latency_jitter_ms": 30, "drop_rate": 0.0}`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Faults {
    /// Share of requests answered with the service's throttling error.
    pub throttle_rate: f64,
    /// Share of requests answered with the service's 5xx error.
    pub server_error_rate: f64,
    /// Delay added before each answer.
    #[serde(rename = "latency_ms", with = "duration_ms")]
    pub latency: Duration,
    /// Share of requests whose connection is closed without any answer.
    pub drop_rate: f64,
    /// Largest random delay added to `latency` (default none; left out of the JSON when
    /// none).
    #[serde(
        rename = "latency_jitter_ms",
        with = "duration_ms",
        skip_serializing_if = "Duration::is_zero"
    )]
    pub latency_jitter: Duration,
}

impl Default for Faults {
    fn default() -> Self {
        Faults::NONE
    }
}

impl Faults {
    /// No faults at all (the default).
    pub const NONE: Faults = Faults {
        throttle_rate: 0.0,
        server_error_rate: 0.0,
        latency: Duration::ZERO,
        drop_rate: 0.0,
        latency_jitter: Duration::ZERO,
    };

    pub(crate) fn sanitized(mut self) -> Faults {
        let clamp = |r: f64| {
            if r.is_finite() {
                r.clamp(0.0, 1.0)
            } else {
                0.0
            }
        };
        self.throttle_rate = clamp(self.throttle_rate);
        self.server_error_rate = clamp(self.server_error_rate);
        self.drop_rate = clamp(self.drop_rate);
        self
    }
}

mod duration_ms {
    use serde::{Deserialize, Deserializer, Serializer};
    use std::time::Duration;

    pub(super) fn serialize<S: Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u64(d.as_millis() as u64)
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
        Ok(Duration::from_millis(u64::deserialize(d)?))
    }
}

/// What happens to one request.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Fault {
    None,
    Drop,
    Throttle,
    ServerError,
    Injected(InjectedError),
}

/// An error queued through the admin API: the next `count` requests to `service` get it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InjectedError {
    /// The service whose requests get the error.
    pub service: Service,
    /// HTTP status to answer with.
    pub status: u16,
    /// Error code (AWS error type, SpaceONE `ERROR_*` code, Cloud Rewind code); a default
    /// that fits the status is used when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// Error message; a default is used when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// How many requests get it (default 1).
    #[serde(default = "one")]
    pub count: u32,
}

fn one() -> u32 {
    1
}

/// Fault settings plus the request counter the decisions hash.
#[derive(Debug)]
pub(crate) struct FaultState {
    pub faults: Faults,
    pub seed: u64,
    pub counter: u64,
    pub injected: Vec<InjectedError>,
}

impl FaultState {
    pub(crate) fn new(faults: Faults, seed: u64) -> FaultState {
        FaultState {
            faults: faults.sanitized(),
            seed,
            counter: 0,
            injected: Vec::new(),
        }
    }

    pub(crate) fn set(&mut self, faults: Faults) {
        self.faults = faults.sanitized();
        self.counter = 0;
    }

    /// Decides the fate of the next request to `service`, and the delay before its answer
    /// (`latency` plus a seeded share of `latency_jitter`).
    pub(crate) fn next(&mut self, service: Service) -> (Fault, Duration) {
        let f = self.faults;
        let jitter = if f.latency_jitter.is_zero() {
            Duration::ZERO
        } else {
            let k = self.counter;
            let u =
                (mix(self.seed ^ mix(k.wrapping_add(0x1A7E))) >> 11) as f64 / (1u64 << 53) as f64;
            f.latency_jitter.mul_f64(u)
        };
        (self.decide(service), f.latency + jitter)
    }

    /// Decides the fate of the next request to `service`.
    pub(crate) fn decide(&mut self, service: Service) -> Fault {
        if let Some(pos) = self.injected.iter().position(|e| e.service == service) {
            let e = &mut self.injected[pos];
            let out = e.clone();
            e.count = e.count.saturating_sub(1);
            if e.count == 0 {
                self.injected.remove(pos);
            }
            return Fault::Injected(out);
        }
        let f = self.faults;
        if f.drop_rate + f.throttle_rate + f.server_error_rate <= 0.0 {
            return Fault::None;
        }
        let k = self.counter;
        self.counter += 1;
        let u = (mix(self.seed ^ mix(k.wrapping_add(0xFA17))) >> 11) as f64 / (1u64 << 53) as f64;
        if u < f.drop_rate {
            Fault::Drop
        } else if u < f.drop_rate + f.throttle_rate {
            Fault::Throttle
        } else if u < f.drop_rate + f.throttle_rate + f.server_error_rate {
            Fault::ServerError
        } else {
            Fault::None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decisions_are_deterministic_and_roughly_proportional() {
        let faults = Faults {
            throttle_rate: 0.2,
            server_error_rate: 0.1,
            latency: Duration::ZERO,
            drop_rate: 0.1,
            latency_jitter: Duration::ZERO,
        };
        let run = |seed| {
            let mut s = FaultState::new(faults, seed);
            (0..1000)
                .map(|_| s.decide(Service::Ssm))
                .collect::<Vec<_>>()
        };
        let a = run(7);
        assert_eq!(a, run(7));
        assert_ne!(a, run(8));
        let throttled = a.iter().filter(|f| **f == Fault::Throttle).count();
        assert!((120..280).contains(&throttled), "{throttled}");
    }

    #[test]
    fn jitter_is_seeded_and_bounded() {
        let faults = Faults {
            latency: Duration::from_millis(5),
            latency_jitter: Duration::from_millis(20),
            throttle_rate: 0.3,
            ..Faults::NONE
        };
        let run = |seed| {
            let mut s = FaultState::new(faults, seed);
            (0..200).map(|_| s.next(Service::Ssm).1).collect::<Vec<_>>()
        };
        let a = run(3);
        assert_eq!(a, run(3));
        assert!(
            a.iter()
                .all(|d| *d >= Duration::from_millis(5) && *d <= Duration::from_millis(25))
        );
        let distinct: std::collections::BTreeSet<_> = a.iter().collect();
        assert!(distinct.len() > 100, "latencies vary");
        let json = serde_json::to_value(faults).unwrap();
        assert_eq!(json["latency_jitter_ms"], 20);
    }

    #[test]
    fn injected_errors_are_consumed_per_service() {
        let mut s = FaultState::new(Faults::NONE, 1);
        s.injected.push(InjectedError {
            service: Service::Macie2,
            status: 402,
            code: None,
            message: None,
            count: 2,
        });
        assert_eq!(s.decide(Service::Ssm), Fault::None);
        assert!(matches!(s.decide(Service::Macie2), Fault::Injected(_)));
        assert!(matches!(s.decide(Service::Macie2), Fault::Injected(_)));
        assert_eq!(s.decide(Service::Macie2), Fault::None);
    }
}
