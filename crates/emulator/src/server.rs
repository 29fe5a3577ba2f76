//! Builder, the configured emulator, and the running server.

use axum::Router;
use axum::body::Body;
use axum::extract::Request;
use axum::http::Response;
use axum::routing::{get, post};
use serde_json::{Value, json};
use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::{oneshot, watch};
use tokio::task::{JoinHandle, JoinSet};

use crate::admin::StatusChange;
use crate::faults::{FaultState, Faults, InjectedError};
use crate::generate::Rng;
use crate::http::{ConnHandle, EmuListener, KillableStream, TimedBody};
use crate::model::{Fixture, Seeded, Service};
use crate::state::{Credentials, DataSource, Shared, lock};
use crate::{Error, aws, cloud_rewind, spaceone};

/// Default AWS access key id the emulator accepts.
pub const DEFAULT_ACCESS_KEY: &str = "AKIDCLOUDJOBSEMU";
/// Default AWS secret access key the emulator accepts.
pub const DEFAULT_SECRET_KEY: &str = "cloudjobs-emulator-secret";
/// Default bearer token for SpaceONE and Cloud Rewind.
pub const DEFAULT_BEARER_TOKEN: &str = "cloudjobs-emulator-token";
/// Default token that authenticates but lacks every permission (SpaceONE and Cloud Rewind
/// answer 403 to it).
pub const DEFAULT_FORBIDDEN_TOKEN: &str = "cloudjobs-emulator-forbidden";
/// Default seed.
pub const DEFAULT_SEED: u64 = 42;
/// Default number of generated jobs per service.
pub const DEFAULT_JOBS_PER_SERVICE: usize = 25;
/// Default time a client has to send a request's head (request line and headers), counted
/// from the connection's start or the end of the previous answer: an idle keep-alive
/// connection is closed after it too.
pub const DEFAULT_HEADER_READ_TIMEOUT: Duration = Duration::from_secs(30);
/// Default time a client has to send a request's body, counted from the end of its head.
pub const DEFAULT_BODY_READ_TIMEOUT: Duration = Duration::from_secs(30);

/// How long the server waits for slow clients (see the `DEFAULT_*_TIMEOUT` constants).
#[derive(Debug, Clone, Copy)]
struct ReadTimeouts {
    header: Duration,
    body: Duration,
}

#[derive(Debug, Clone)]
enum FixtureSource {
    File(PathBuf),
    Value(Box<Fixture>),
}

/// Configures an [`Emulator`]. Every setting has a default: seed 42, 25 generated jobs per
/// service, the `DEFAULT_*` credentials, no faults, bind address `127.0.0.1:0`, the
/// `DEFAULT_*_TIMEOUT` read timeouts.
#[derive(Debug, Clone)]
pub struct EmulatorBuilder {
    seed: u64,
    jobs_per_service: usize,
    fixture: Option<FixtureSource>,
    access_key: String,
    secret_key: String,
    bearer_token: String,
    forbidden_token: String,
    faults: Faults,
    bind: SocketAddr,
    timeouts: ReadTimeouts,
}

impl Default for EmulatorBuilder {
    fn default() -> Self {
        EmulatorBuilder {
            seed: DEFAULT_SEED,
            jobs_per_service: DEFAULT_JOBS_PER_SERVICE,
            fixture: None,
            access_key: DEFAULT_ACCESS_KEY.into(),
            secret_key: DEFAULT_SECRET_KEY.into(),
            bearer_token: DEFAULT_BEARER_TOKEN.into(),
            forbidden_token: DEFAULT_FORBIDDEN_TOKEN.into(),
            faults: Faults::NONE,
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            timeouts: ReadTimeouts {
                header: DEFAULT_HEADER_READ_TIMEOUT,
                body: DEFAULT_BODY_READ_TIMEOUT,
            },
        }
    }
}

impl EmulatorBuilder {
    /// Seed of the data generator, of generated ids, request ids and fault decisions.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Number of generated jobs per service (ignored when a fixture is given).
    pub fn jobs_per_service(mut self, n: usize) -> Self {
        self.jobs_per_service = n;
        self
    }

    /// Loads the data from a JSON fixture file (see [`Fixture`]) instead of generating it.
    pub fn fixture_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.fixture = Some(FixtureSource::File(path.into()));
        self
    }

    /// Uses this data set instead of generating one.
    pub fn fixture(mut self, fixture: Fixture) -> Self {
        self.fixture = Some(FixtureSource::Value(Box::new(fixture)));
        self
    }

    /// The only AWS key pair whose SigV4 signatures are accepted.
    pub fn aws_credentials(
        mut self,
        access_key_id: impl Into<String>,
        secret_access_key: impl Into<String>,
    ) -> Self {
        self.access_key = access_key_id.into();
        self.secret_key = secret_access_key.into();
        self
    }

    /// The bearer token SpaceONE and Cloud Rewind requests must carry.
    pub fn bearer_token(mut self, token: impl Into<String>) -> Self {
        self.bearer_token = token.into();
        self
    }

    /// A token that authenticates but has no permission (answered with 403).
    pub fn forbidden_token(mut self, token: impl Into<String>) -> Self {
        self.forbidden_token = token.into();
        self
    }

    /// Fault injection settings from the start.
    pub fn faults(mut self, faults: Faults) -> Self {
        self.faults = faults;
        self
    }

    /// Address to bind when started (default `127.0.0.1:0`, an ephemeral port on loopback).
    pub fn bind(mut self, addr: SocketAddr) -> Self {
        self.bind = addr;
        self
    }

    /// Time a client has to send a request's head; the connection is closed without an
    /// answer after it. It also bounds how long an idle keep-alive connection stays open.
    /// Zero is taken as one millisecond.
    pub fn header_read_timeout(mut self, timeout: Duration) -> Self {
        self.timeouts.header = timeout.max(Duration::from_millis(1));
        self
    }

    /// Time a client has to send a request's body once its head is in; past it the request
    /// is answered with the service's error for an unreadable body and the connection closed.
    pub fn body_read_timeout(mut self, timeout: Duration) -> Self {
        self.timeouts.body = timeout;
        self
    }

    /// Builds the emulator's state without binding a socket.
    pub fn build(self) -> Result<Emulator, Error> {
        let source = match self.fixture {
            None => DataSource::Generated {
                seed: self.seed,
                jobs_per_service: self.jobs_per_service,
            },
            Some(FixtureSource::File(path)) => {
                DataSource::Fixture(Box::new(Fixture::from_file(path)?))
            }
            Some(FixtureSource::Value(fx)) => DataSource::Fixture(fx),
        };
        let data = source.build(self.seed);
        let shared = Shared {
            creds: Credentials {
                access_key: self.access_key,
                secret_key: self.secret_key,
                bearer_token: self.bearer_token,
                forbidden_token: self.forbidden_token,
            },
            seed: self.seed,
            data: std::sync::RwLock::new(data),
            generation: AtomicU64::new(0),
            indexes: Default::default(),
            source: Mutex::new(source),
            rng: Mutex::new(Rng::new(self.seed ^ 0xADD)),
            faults: Mutex::new(FaultState::new(self.faults, self.seed)),
            requests: AtomicU64::new(0),
            progress: Default::default(),
        };
        Ok(Emulator {
            shared: Arc::new(shared),
            bind: self.bind,
            timeouts: self.timeouts,
        })
    }

    /// Builds, binds and serves in a background task.
    pub async fn start(self) -> Result<RunningEmulator, Error> {
        let emulator = self.build()?;
        let listener = TcpListener::bind(emulator.bind).await?;
        let addr = listener.local_addr()?;
        let (tx, rx) = oneshot::channel::<()>();
        let server = emulator.clone();
        let task = tokio::spawn(async move {
            server
                .serve(listener, async {
                    let _ = rx.await;
                })
                .await
        });
        tracing::info!(%addr, "cloudjobs emulator listening");
        Ok(RunningEmulator {
            emulator,
            addr,
            shutdown: Some(tx),
            task: Some(task),
        })
    }
}

/// A configured emulator: its data, credentials and faults. Cheap to clone (shared state).
///
/// Serve it with [`Emulator::serve`] (foreground, until a shutdown future completes), or
/// start it in the background with [`EmulatorBuilder::start`], or mount [`Emulator::router`]
/// into your own server (dropped-connection faults then answer `503` instead, and the read
/// timeouts are that server's).
#[derive(Debug, Clone)]
pub struct Emulator {
    pub(crate) shared: Arc<Shared>,
    bind: SocketAddr,
    timeouts: ReadTimeouts,
}

impl Emulator {
    /// A builder with every default.
    pub fn builder() -> EmulatorBuilder {
        EmulatorBuilder::default()
    }

    /// The address the builder was told to bind.
    pub fn bind_addr(&self) -> SocketAddr {
        self.bind
    }

    /// The axum router of all five APIs and the admin API.
    pub fn router(&self) -> Router {
        let status_path = "/accounts/{account_id}/projects/{project_id}/aws/cloud-assemblies/{cloud_assembly_id}/protections/status";
        Router::new()
            .route("/", post(aws::root))
            .route("/jobs/list", post(aws::macie_list))
            .route(
                "/federation/credentials",
                get(crate::sso::get_role_credentials),
            )
            .route("/identity/v2/job/{verb}", post(spaceone::handle))
            .route("/identity/job/{verb}", post(spaceone::handle))
            .route(status_path, get(cloud_rewind::status))
            .route(&format!("/api/v1{status_path}"), get(cloud_rewind::status))
            .merge(crate::admin::routes())
            .fallback(fallback)
            .with_state(self.shared.clone())
    }

    /// Serves HTTP/1.1 on `listener` until `shutdown` completes, then finishes the requests in
    /// flight. Each connection gets the builder's header and body read timeouts.
    ///
    /// ```no_run
    /// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
    /// let emulator = cloudjobs_emulator::Emulator::builder().build()?;
    /// let listener = tokio::net::TcpListener::bind("127.0.0.1:4566").await?;
    /// emulator.serve(listener, async { let _ = tokio::signal::ctrl_c().await; }).await?;
    /// # Ok(()) }
    /// ```
    pub async fn serve<F>(self, listener: TcpListener, shutdown: F) -> std::io::Result<()>
    where
        F: Future<Output = ()> + Send + 'static,
    {
        use axum::serve::Listener;
        let router = self.router();
        let mut listener = EmuListener::new(listener);
        let (closing_tx, closing) = watch::channel(false);
        let mut connections = JoinSet::new();
        let mut shutdown = std::pin::pin!(shutdown);
        loop {
            tokio::select! {
                (io, handle) = listener.accept() => {
                    connections.spawn(serve_connection(
                        io,
                        handle,
                        router.clone(),
                        self.timeouts,
                        closing.clone(),
                    ));
                }
                Some(_) = connections.join_next(), if !connections.is_empty() => {}
                () = &mut shutdown => break,
            }
        }
        drop(listener);
        let _ = closing_tx.send(true);
        while connections.join_next().await.is_some() {}
        Ok(())
    }

    /// The ids a client needs (window execution ids, protection coordinates, job ids, ...).
    pub fn seeded(&self) -> Seeded {
        self.shared.data_all().seeded()
    }

    /// A copy of the whole current data set, in the fixture format.
    pub fn fixture(&self) -> Fixture {
        self.shared.data_all().clone()
    }

    /// Replaces the fault settings (and restarts the fault sequence).
    pub fn set_faults(&self, faults: Faults) {
        lock(&self.shared.faults).set(faults);
    }

    /// Queues an error for the next `count` requests to one service.
    pub fn inject_error(&self, error: InjectedError) {
        if error.count > 0 {
            lock(&self.shared.faults).injected.push(error);
        }
    }

    /// Changes a job's status (the id is the job id; for SSM the task execution id, for Cloud
    /// Rewind the protection id). The status must be a documented value of the service.
    pub fn set_job_status(&self, service: Service, id: &str, status: &str) -> Result<Value, Error> {
        self.shared.set_status(
            service,
            id,
            &StatusChange {
                status: Some(status.into()),
                ..Default::default()
            },
        )
    }

    /// Applies a full [`StatusChange`] (unknown statuses, Cloud Rewind lock flags).
    pub fn change_job(
        &self,
        service: Service,
        id: &str,
        change: &StatusChange,
    ) -> Result<Value, Error> {
        self.shared.set_status(service, id, change)
    }

    /// Adds a job given in the fixture format of its service; returns the stored job.
    pub fn add_job(&self, service: Service, job: Value) -> Result<Value, Error> {
        self.shared.add_job(service, job)
    }

    /// Rebuilds the data from the original seed or fixture and clears faults.
    pub fn reset(&self) {
        self.shared.reset(None, None);
    }
}

/// Serves one connection: HTTP/1.1 with keep-alive, the header read timeout enforced by hyper,
/// each body wrapped in a [`TimedBody`], and the [`ConnHandle`] put where
/// [`axum::extract::ConnectInfo`] finds it. Ends gracefully (the answer in progress is sent)
/// once `closing` turns true.
async fn serve_connection(
    io: KillableStream,
    handle: ConnHandle,
    router: Router,
    timeouts: ReadTimeouts,
    mut closing: watch::Receiver<bool>,
) {
    use tower_service::Service;
    let service = hyper::service::service_fn(move |req: hyper::Request<hyper::body::Incoming>| {
        let mut router = router.clone();
        let (mut parts, body) = req.into_parts();
        parts
            .extensions
            .insert(axum::extract::ConnectInfo(handle.clone()));
        let req = Request::from_parts(parts, Body::new(TimedBody::new(body, timeouts.body)));
        async move { router.call(req).await }
    });
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(hyper_util::rt::TokioTimer::new())
        .header_read_timeout(timeouts.header);
    let conn = builder.serve_connection(hyper_util::rt::TokioIo::new(io), service);
    let mut conn = std::pin::pin!(conn);
    let closed = async move {
        let _ = closing.wait_for(|closing| *closing).await;
    };
    let result = tokio::select! {
        r = conn.as_mut() => r,
        () = closed => {
            conn.as_mut().graceful_shutdown();
            conn.await
        }
    };
    if let Err(e) = result {
        tracing::debug!("connection ended: {e}");
    }
}

async fn fallback(req: Request) -> Response<Body> {
    let message = format!("No route for {} {}", req.method(), req.uri().path());
    Response::builder()
        .status(404)
        .header("content-type", "application/json")
        .body(Body::from(
            json!({"__type": "UnknownOperationException", "message": message}).to_string(),
        ))
        .unwrap_or_default()
}

/// An emulator serving in a background task. Dropping it stops the server too.
///
/// It dereferences to [`Emulator`], so `set_faults`, `set_job_status`, `fixture`, ... are
/// available on it.
#[derive(Debug)]
pub struct RunningEmulator {
    emulator: Emulator,
    addr: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<std::io::Result<()>>>,
}

impl RunningEmulator {
    /// Base URL, e.g. `http://127.0.0.1:40123`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The ids a client needs.
    pub fn seeded(&self) -> Seeded {
        self.emulator.seeded()
    }

    /// The emulator behind the server.
    pub fn emulator(&self) -> &Emulator {
        &self.emulator
    }

    /// Stops accepting, lets requests in flight finish (at most 5 seconds), and returns.
    pub async fn shutdown(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(mut task) = self.task.take()
            && tokio::time::timeout(std::time::Duration::from_secs(5), &mut task)
                .await
                .is_err()
        {
            task.abort();
        }
    }
}

impl std::ops::Deref for RunningEmulator {
    type Target = Emulator;

    fn deref(&self) -> &Emulator {
        &self.emulator
    }
}

impl Drop for RunningEmulator {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}
