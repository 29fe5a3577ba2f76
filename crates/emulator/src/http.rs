//! HTTP plumbing: bounded body reading, a listener whose connections can be dropped on purpose,
//! and the fault prelude shared by every service.

use axum::body::{Body, Bytes, HttpBody};
use axum::extract::ConnectInfo;
use axum::extract::connect_info::Connected;
use axum::http::{Request, Response};
use axum::serve::{IncomingStream, Listener};
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::time::{Instant, Sleep};

use crate::faults::Fault;
use crate::model::Service;
use crate::state::{Shared, lock};

/// Largest accepted request body: 1 MiB. Larger bodies get the service's error.
pub const BODY_LIMIT: usize = 1024 * 1024;
/// Bytes read past the limit before giving up on draining (so clients can read the answer).
const DRAIN_LIMIT: usize = 64 * 1024 * 1024;

/// Why a body could not be read.
#[derive(Debug)]
pub(crate) enum BodyError {
    TooLarge,
    Broken,
}

/// Reads the body up to [`BODY_LIMIT`]; past it, drains and discards the rest.
pub(crate) async fn read_body(mut body: Body) -> Result<Bytes, BodyError> {
    let mut buf: Vec<u8> = Vec::new();
    let mut total = 0usize;
    loop {
        let frame = std::future::poll_fn(|cx| Pin::new(&mut body).poll_frame(cx)).await;
        match frame {
            None => break,
            Some(Err(_)) => return Err(BodyError::Broken),
            Some(Ok(frame)) => {
                if let Ok(data) = frame.into_data() {
                    total += data.len();
                    if total <= BODY_LIMIT {
                        buf.extend_from_slice(&data);
                    } else if total > BODY_LIMIT + DRAIN_LIMIT {
                        return Err(BodyError::TooLarge);
                    }
                }
            }
        }
    }
    if total > BODY_LIMIT {
        Err(BodyError::TooLarge)
    } else {
        Ok(Bytes::from(buf))
    }
}

/// A request body that fails once its deadline passes, so a client that sends the head and
/// then stalls (or trickles the body) cannot hold a connection and a handler forever. The
/// handler then sees a broken body and answers with the service's error; the connection is
/// closed after that answer.
pub(crate) struct TimedBody<B> {
    inner: B,
    deadline: Pin<Box<Sleep>>,
    timeout: Duration,
}

impl<B> TimedBody<B> {
    /// Wraps `inner`; reading it must end within `timeout` from now.
    pub(crate) fn new(inner: B, timeout: Duration) -> TimedBody<B> {
        TimedBody {
            inner,
            deadline: Box::pin(tokio::time::sleep_until(Instant::now() + timeout)),
            timeout,
        }
    }
}

/// The error a [`TimedBody`] yields when its deadline passes.
#[derive(Debug, thiserror::Error)]
#[error("request body not received within {0:?}")]
pub(crate) struct BodyTimeout(Duration);

impl<B> HttpBody for TimedBody<B>
where
    B: HttpBody<Data = Bytes> + Unpin,
    B::Error: Into<axum::BoxError>,
{
    type Data = Bytes;
    type Error = axum::BoxError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<hyper::body::Frame<Bytes>, Self::Error>>> {
        let this = self.get_mut();
        if let Poll::Ready(frame) = Pin::new(&mut this.inner).poll_frame(cx) {
            return Poll::Ready(frame.map(|f| f.map_err(Into::into)));
        }
        if this.deadline.as_mut().poll(cx).is_ready() {
            return Poll::Ready(Some(Err(BodyTimeout(this.timeout).into())));
        }
        Poll::Pending
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> hyper::body::SizeHint {
        self.inner.size_hint()
    }
}

/// Per-connection handle, stored as connect info, that lets a handler drop its connection.
#[derive(Debug, Clone)]
pub struct ConnHandle {
    remote: SocketAddr,
    killed: Arc<AtomicBool>,
}

impl ConnHandle {
    /// The peer's address.
    pub fn remote_addr(&self) -> SocketAddr {
        self.remote
    }

    fn kill(&self) {
        self.killed.store(true, Ordering::SeqCst);
    }
}

/// A TCP listener whose connections fail every read and write once their handle is killed, so
/// a dropped request gets no answer at all. Serve it with
/// `into_make_service_with_connect_info::<ConnHandle>()`.
#[derive(Debug)]
pub struct EmuListener {
    inner: TcpListener,
}

impl EmuListener {
    /// Wraps a bound listener.
    pub fn new(inner: TcpListener) -> EmuListener {
        EmuListener { inner }
    }
}

impl Listener for EmuListener {
    type Io = KillableStream;
    type Addr = ConnHandle;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        loop {
            match self.inner.accept().await {
                Ok((stream, remote)) => {
                    let _ = stream.set_nodelay(true);
                    let killed = Arc::new(AtomicBool::new(false));
                    return (
                        KillableStream {
                            inner: stream,
                            killed: killed.clone(),
                        },
                        ConnHandle { remote, killed },
                    );
                }
                Err(e) => {
                    tracing::debug!("accept failed: {e}");
                    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                }
            }
        }
    }

    fn local_addr(&self) -> io::Result<Self::Addr> {
        Ok(ConnHandle {
            remote: self.inner.local_addr()?,
            killed: Arc::new(AtomicBool::new(false)),
        })
    }
}

impl Connected<IncomingStream<'_, EmuListener>> for ConnHandle {
    fn connect_info(stream: IncomingStream<'_, EmuListener>) -> Self {
        stream.remote_addr().clone()
    }
}

/// A TCP stream that can be cut from a handler (see [`EmuListener`]).
#[derive(Debug)]
pub struct KillableStream {
    inner: TcpStream,
    killed: Arc<AtomicBool>,
}

fn aborted() -> io::Error {
    io::Error::new(
        io::ErrorKind::ConnectionAborted,
        "connection dropped by fault injection",
    )
}

impl AsyncRead for KillableStream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if this.killed.load(Ordering::SeqCst) {
            return Poll::Ready(Err(aborted()));
        }
        Pin::new(&mut this.inner).poll_read(cx, buf)
    }
}

impl AsyncWrite for KillableStream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        if this.killed.load(Ordering::SeqCst) {
            return Poll::Ready(Err(aborted()));
        }
        Pin::new(&mut this.inner).poll_write(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if this.killed.load(Ordering::SeqCst) {
            return Poll::Ready(Err(aborted()));
        }
        Pin::new(&mut this.inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }
}

/// Answers a dropped request: kills the connection when served through [`EmuListener`] (as
/// [`crate::Emulator::serve`] and [`crate::EmulatorBuilder::start`] do). A router mounted on
/// another listener cannot cut its connection, so it answers an empty `503` with
/// `Connection: close` instead.
pub(crate) fn drop_connection<B>(req: &Request<B>) -> Response<Body> {
    if let Some(ConnectInfo(handle)) = req.extensions().get::<ConnectInfo<ConnHandle>>() {
        handle.kill();
        return Response::new(Body::empty());
    }
    Response::builder()
        .status(503)
        .header("connection", "close")
        .body(Body::empty())
        .unwrap_or_default()
}

/// Applies latency, then decides the request's fault.
pub(crate) async fn fault_prelude(shared: &Shared, service: Service) -> Fault {
    let (fault, latency) = lock(&shared.faults).next(service);
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    fault
}

/// A JSON body with `content-type: application/json` (SpaceONE, Cloud Rewind, the admin API).
pub(crate) fn json_response(status: u16, body: &serde_json::Value) -> Response<Body> {
    Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .body(Body::from(body.to_string()))
        .unwrap_or_default()
}
