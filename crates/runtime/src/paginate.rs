//! Paginators: lazy streams of pages and items.
//!
//! CONTRACT: generated code implements [`Paginated`] for each paginated operation and returns
//! `Paginator::<Op>::new(handle, input)` from `into_paginator()`.
//!
//! A page is requested only when the consumer asks for more than it has, so at most one page
//! is held by the paginator at a time.
//!
//! **Resuming.** When a page fails, the stream yields [`Error::Page`]: the page's error and
//! the [`ResumePoint`] of that page (its continuation token, or its item offset). A new
//! paginator built with [`Paginator::resume_from`] (or [`Paginator::starting_token`] with
//! the point's text form) starts at that page, so the two runs together list every item once.
//! With [`RetryConfig::with_page_retries`](crate::RetryConfig::with_page_retries) the
//! paginator first asks again for the failed page itself, after a retryable error.

use std::collections::HashSet;
use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};

use futures_util::stream::{self, BoxStream, Stream, StreamExt};

use crate::client::Handle;
use crate::error::{Error, InvalidInput, PaginationError, Rule};
pub use crate::error::{PageFailure, ResumePoint};
use crate::operation::Operation;
use crate::retry;
use crate::wire::{ResponseMetadata, WithMetadata};

/// The stream of [`Paginator::pages_with_metadata`].
type PagesWithMetadata<O> = BoxStream<
    'static,
    Result<WithMetadata<<O as Operation>::Output>, Error<<O as Operation>::Error>>,
>;

/// How an operation pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageStyle {
    /// Opaque continuation token in the input and the output (`NextToken`, `nextToken`).
    /// The stream ends on an absent or empty token; a repeated token is an error.
    Token,
    /// SpaceONE style: 1-based item index `start` and `limit` in the input, `total_count` in
    /// the output; next start = start + limit; ends when start passes total_count or a page
    /// comes back with fewer than `limit` items.
    Offset,
}

/// Implemented by generated code for each paginated operation. Methods of the style the
/// operation does not use have trivial bodies.
pub trait Paginated: Operation {
    /// The element type of the result list.
    type Item: Send + 'static;
    /// How the operation pages.
    const STYLE: PageStyle;
    /// Token style: writes the continuation token into the input.
    fn set_token(input: &mut Self::Input, token: Option<String>);
    /// Token style: reads the continuation token from the output.
    fn next_token(output: &Self::Output) -> Option<&str>;
    /// Offset style: writes `start` (1-based item index) and `limit` into the input.
    fn set_offset(input: &mut Self::Input, start: u32, limit: u32);
    /// Offset style: the total number of matching items, from the output.
    fn total_count(output: &Self::Output) -> Option<u64>;
    /// Offset style: the `(start, limit)` already set in the input, if any.
    fn offset(input: &Self::Input) -> (Option<u32>, Option<u32>);
    /// Writes the page size (`MaxResults`, `maxResults`, or `limit`) into the input.
    fn set_page_size(input: &mut Self::Input, size: u32);
    /// Takes the result list out of a page.
    fn into_items(output: Self::Output) -> Vec<Self::Item>;
    /// The number of items in a page, if known without consuming it. Lets
    /// [`Paginator::pages`] end an offset-style listing on a short page even when the service
    /// leaves out `total_count`. The default says "unknown".
    fn page_len(output: &Self::Output) -> Option<usize> {
        let _ = output;
        None
    }
}

/// Default page size of offset-style operations when neither the input nor
/// [`Paginator::page_size`] gives one.
pub const DEFAULT_OFFSET_LIMIT: u32 = 100;

/// A lazy paginator over an operation. Built by a fluent builder's `into_paginator()`.
///
/// ```no_run
/// # use cloudjobs_runtime::{Handle, Paginated, Paginator};
/// # use futures::TryStreamExt;
/// # async fn run<O: Paginated>(handle: Handle, input: O::Input) -> Result<(), cloudjobs_runtime::Error<O::Error>> {
/// let items: Vec<O::Item> = Paginator::<O>::new(handle, input)
///     .page_size(50)
///     .max_pages(10)
///     .items()
///     .try_collect()
///     .await?;
/// # Ok(()) }
/// ```
pub struct Paginator<O: Paginated> {
    handle: Handle,
    input: O::Input,
    page_size: Option<u32>,
    max_pages: Option<usize>,
    start: Start,
}

/// Where the first request starts.
#[derive(Debug, Clone)]
enum Start {
    /// The input as given.
    Input,
    /// A resume point.
    Point(ResumePoint),
    /// A `--starting-token` text, read by the operation's style.
    Text(String),
}

impl<O: Paginated> std::fmt::Debug for Paginator<O> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Paginator")
            .field("operation", &O::META.name)
            .field("page_size", &self.page_size)
            .field("max_pages", &self.max_pages)
            .field("start", &self.start)
            .finish_non_exhaustive()
    }
}

/// Where the next request starts.
enum Cursor {
    /// Token style; `None` on the first page when the input has no token.
    Token(Option<String>),
    /// Offset style.
    Offset { start: u32, limit: u32 },
}

struct State<O: Paginated> {
    handle: Handle,
    input: O::Input,
    page_size: Option<u32>,
    max_pages: Option<usize>,
    pages_done: usize,
    cursor: Cursor,
    /// 64-bit hashes of the continuation tokens already followed (the current one is in
    /// `cursor`, compared exactly). Hashes, not the tokens: a listing of a million items in
    /// pages of 100 would otherwise keep 10,000 tokens (often hundreds of bytes each) alive
    /// to its end. Two distinct tokens share a hash with odds of about one in 10^11 at
    /// 10,000 pages.
    seen_tokens: HashSet<u64>,
    /// Set once the stream has ended (or failed).
    finished: bool,
    /// An error to report on the next poll (the page before it was yielded first).
    pending_error: Option<PaginationError>,
    /// An invalid starting token, reported on the first poll.
    bad_start: Option<InvalidInput>,
}

impl<O: Paginated> Paginator<O> {
    /// A paginator starting from `input` (its token, or its start and limit, are those of the
    /// first page).
    pub fn new(handle: Handle, input: O::Input) -> Self {
        Paginator {
            handle,
            input,
            page_size: None,
            max_pages: None,
            start: Start::Input,
        }
    }

    /// Starts from a point a failed listing gave ([`Error::resume_point`]).
    pub fn resume_from(mut self, point: ResumePoint) -> Self {
        self.start = Start::Point(point);
        self
    }

    /// Starts from the text form of a resume point ([`ResumePoint::starting_token`]), as a
    /// CLI's `--starting-token` gives it: a continuation token for token-style operations,
    /// a 1-based item offset for offset-style ones (anything else fails on the first poll
    /// with an [`Error::InvalidInput`] naming `starting_token`). An empty text starts from
    /// the first page.
    pub fn starting_token(mut self, token: impl Into<String>) -> Self {
        let token = token.into();
        self.start = if token.is_empty() {
            Start::Input
        } else {
            Start::Text(token)
        };
        self
    }

    /// Sets the page size of every request.
    pub fn page_size(mut self, size: u32) -> Self {
        self.page_size = Some(size);
        self
    }

    /// Stops after this many pages.
    pub fn max_pages(mut self, pages: usize) -> Self {
        self.max_pages = Some(pages);
        self
    }

    fn into_state(self) -> State<O> {
        let mut bad_start = None;
        let point = match self.start {
            Start::Input => None,
            Start::Point(p) => Some(p),
            Start::Text(text) => match O::STYLE {
                PageStyle::Token => Some(ResumePoint::Token(text)),
                PageStyle::Offset => match text.trim().parse::<u32>() {
                    Ok(n) if n >= 1 => Some(ResumePoint::Offset(n)),
                    _ => {
                        bad_start = Some(InvalidInput::new(
                            "starting_token",
                            Rule::Range {
                                min: Some(1.0),
                                max: Some(f64::from(u32::MAX)),
                            },
                            Some(&text),
                        ));
                        None
                    }
                },
            },
        };
        let cursor = match O::STYLE {
            PageStyle::Token => Cursor::Token(match point {
                Some(ResumePoint::Token(t)) => Some(t),
                _ => None,
            }),
            PageStyle::Offset => {
                let (start, limit) = O::offset(&self.input);
                let limit = limit
                    .filter(|l| *l > 0)
                    .or(self.page_size.filter(|l| *l > 0))
                    .unwrap_or(DEFAULT_OFFSET_LIMIT);
                let start = match point {
                    Some(ResumePoint::Offset(n)) => n,
                    _ => start.unwrap_or(1),
                };
                Cursor::Offset {
                    start: start.max(1),
                    limit,
                }
            }
        };
        State {
            handle: self.handle,
            input: self.input,
            page_size: self.page_size,
            max_pages: self.max_pages,
            pages_done: 0,
            cursor,
            seen_tokens: HashSet::new(),
            finished: false,
            pending_error: None,
            bad_start,
        }
    }

    /// The pages, one request each, requested as the stream is polled.
    ///
    /// The stream is boxed, so it is `Unpin`: `StreamExt::next` and `TryStreamExt::try_next`
    /// work on it directly, and it can be stored in a struct by its name.
    pub fn pages(self) -> BoxStream<'static, Result<O::Output, Error<O::Error>>> {
        self.drive(|output, _| {
            let len = O::page_len(&output);
            (output, len)
        })
        .boxed()
    }

    /// The pages as [`pages`](Self::pages) gives them, each with the metadata of its
    /// response (HTTP status, request id, headers).
    pub fn pages_with_metadata(self) -> PagesWithMetadata<O> {
        self.drive(|output, metadata| {
            let len = O::page_len(&output);
            (WithMetadata::new(output, metadata), len)
        })
        .boxed()
    }

    /// The items of every page, in order. The next page is requested only when the items of
    /// the current one have all been taken. Boxed and `Unpin`, like [`pages`](Self::pages).
    pub fn items(self) -> BoxStream<'static, Result<O::Item, Error<O::Error>>> {
        self.drive(|output, _| {
            let items = O::into_items(output);
            let len = items.len();
            (items, Some(len))
        })
        .flat_map(|page| match page {
            Ok(items) => stream::iter(items.into_iter().map(Ok)).left_stream(),
            Err(e) => stream::once(async move { Err(e) }).right_stream(),
        })
        .boxed()
    }

    /// The page loop. `convert` turns an output into what the stream yields, and tells the
    /// number of items when known.
    fn drive<T, F>(
        self,
        convert: F,
    ) -> impl Stream<Item = Result<T, Error<O::Error>>> + Send + 'static
    where
        T: Send + 'static,
        F: Fn(O::Output, ResponseMetadata) -> (T, Option<usize>) + Send + Sync + 'static,
    {
        let convert = std::sync::Arc::new(convert);
        stream::unfold(self.into_state(), move |mut state| {
            let convert = convert.clone();
            async move {
                if let Some(err) = state.bad_start.take() {
                    state.finished = true;
                    return Some((Err(Error::InvalidInput(err)), state));
                }
                if let Some(err) = state.pending_error.take() {
                    state.finished = true;
                    return Some((Err(Error::Pagination(err)), state));
                }
                if state.finished || state.max_pages.is_some_and(|m| state.pages_done >= m) {
                    return None;
                }
                let mut input = state.input.clone();
                if let Some(size) = state.page_size
                    && O::STYLE == PageStyle::Token
                {
                    O::set_page_size(&mut input, size);
                }
                match &state.cursor {
                    Cursor::Token(Some(token)) => O::set_token(&mut input, Some(token.clone())),
                    Cursor::Token(None) => {}
                    Cursor::Offset { start, limit } => O::set_offset(&mut input, *start, *limit),
                }
                let page_retries = state.handle.config().retry_config().page_retries();
                let mut retried = 0;
                let (output, metadata) = loop {
                    match state.handle.invoke_with_metadata::<O>(input.clone()).await {
                        Ok(answer) => break answer.into_parts(),
                        Err(e) if retried < page_retries && is_transient::<O>(&e) => {
                            retried += 1;
                            let retry_state = state.handle.retry_state();
                            retry_state.count_page_retry();
                            let config = state.handle.config().retry_config();
                            // Past the operation's own attempts: the longer backoffs.
                            let delay =
                                retry_state.backoff(config, config.max_attempts() + retried);
                            tracing::debug!(
                                operation = O::META.name,
                                page = state.pages_done + 1,
                                page_retry = retried,
                                ?delay,
                                error = %e,
                                "asking again for the page"
                            );
                            tokio::time::sleep(delay).await;
                        }
                        Err(e) => {
                            state.finished = true;
                            let resume = match &state.cursor {
                                Cursor::Token(Some(t)) => ResumePoint::Token(t.clone()),
                                Cursor::Token(None) => ResumePoint::Start,
                                Cursor::Offset { start, .. } => ResumePoint::Offset(*start),
                            };
                            let failure = PageFailure::new(e, resume, state.pages_done);
                            return Some((Err(Error::Page(Box::new(failure))), state));
                        }
                    }
                };
                state.pages_done += 1;
                let page_number = state.pages_done;
                match &mut state.cursor {
                    Cursor::Token(current) => {
                        let next = O::next_token(&output)
                            .filter(|t| !t.is_empty())
                            .map(str::to_owned);
                        match next {
                            None => state.finished = true,
                            Some(token) => {
                                let repeated = current.as_deref() == Some(token.as_str())
                                    || state.seen_tokens.contains(&token_hash(&token));
                                if let Some(previous) = current.take() {
                                    state.seen_tokens.insert(token_hash(&previous));
                                }
                                if repeated {
                                    tracing::warn!(
                                        page = page_number,
                                        "service repeated a continuation token"
                                    );
                                    state.pending_error = Some(PaginationError::new(
                                        page_number + 1,
                                        "the service returned a continuation token it had \
                                         already returned; stopping instead of looping",
                                    ));
                                } else {
                                    *current = Some(token);
                                }
                            }
                        }
                        let (value, _) = convert(output, metadata);
                        Some((Ok(value), state))
                    }
                    Cursor::Offset { start, limit } => {
                        let total = O::total_count(&output);
                        let (value, len) = convert(output, metadata);
                        let next = u64::from(*start) + u64::from(*limit);
                        let done = match (len, total) {
                            (Some(n), _) if n < *limit as usize => true,
                            (_, Some(total)) => next > total,
                            // A full page but no total: ask for more.
                            (Some(_), None) => false,
                            // Nothing known: SpaceONE leaves out a zero total_count.
                            (None, None) => true,
                        };
                        match u32::try_from(next) {
                            Ok(next) if !done => *start = next,
                            _ => state.finished = true,
                        }
                        Some((Ok(value), state))
                    }
                }
            }
        })
    }
}

/// The hash a followed token is remembered by: SipHash with fixed keys, so the same in
/// every process.
fn token_hash(token: &str) -> u64 {
    BuildHasherDefault::<DefaultHasher>::default().hash_one(token)
}

/// Whether a page's failure is worth asking for the page again: transport failures,
/// timeouts, throttling and 5xx (after the operation's own attempts).
fn is_transient<O: Paginated>(error: &Error<O::Error>) -> bool {
    match error {
        Error::Dispatch(_) | Error::Timeout(_) => true,
        Error::Service { err, .. } => {
            use crate::error::ProvideErrorMetadata;
            O::modeled_retry(err).is_some()
                || retry::classify_response(
                    err.meta().status,
                    err.code(),
                    O::SERVICE.throttling_codes,
                )
                .is_some()
        }
        _ => false,
    }
}
