//! Listing through any generated paginated operation: every page (the default), or one.

use cloudjobs_runtime::{Error, Handle, PageStyle, Paginated, Paginator};
use futures::StreamExt;

/// How much to fetch.
#[derive(Debug, Clone, Copy, Default)]
pub struct PageOpts {
    /// Follow every page (`false` with `--no-paginate`).
    pub paginate: bool,
    /// Stop after this many items.
    pub max_items: Option<usize>,
    /// Items per request.
    pub page_size: Option<u32>,
}

/// What a listing returned.
#[derive(Debug)]
pub struct Fetched<T> {
    /// The items, in the service's order.
    pub items: Vec<T>,
    /// Requests made (pages received).
    pub pages: usize,
    /// Whether the service had more items than were fetched.
    pub more: bool,
}

/// How a streamed listing went (its items went to the sink).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Streamed {
    /// Items given to the sink.
    pub items: usize,
    /// Requests made (pages received).
    pub pages: usize,
    /// Whether the service had more items than were fetched.
    pub more: bool,
    /// With `--no-paginate`: the `--starting-token` of the next page, when there is one.
    pub next_token: Option<String>,
}

/// Lists with operation `O`, starting from `input`: with `paginate`, through the runtime's
/// [`Paginator`] (one request per page, requested lazily, so `max_items` stops early); without,
/// one request.
pub async fn fetch<O: Paginated>(
    handle: Handle,
    input: O::Input,
    opts: PageOpts,
) -> Result<Fetched<O::Item>, Error<O::Error>> {
    let mut items = Vec::new();
    let streamed =
        fetch_each::<O, _, std::convert::Infallible>(handle, input, opts, None, |item| {
            items.push(item);
            Ok(())
        })
        .await
        .map_err(|e| match e {
            Stop::Sdk(e) => e.into_inner(),
            Stop::Sink(never) => match never {},
        })?;
    Ok(Fetched {
        items,
        pages: streamed.pages,
        more: streamed.more,
    })
}

/// Why [`fetch_each`] stopped early.
#[derive(Debug)]
pub enum Stop<E, S> {
    /// The listing failed; when a page failed part-way, the error is
    /// [`Error::Page`] and [`Error::resume_point`] says where to continue.
    Sdk(Error<E>),
    /// The sink refused an item (e.g. stdout closed).
    Sink(S),
}

/// Like [`fetch`], but hands each item to `sink` as soon as its page arrives, so a caller
/// can print results as they come and keep what it printed when a later page fails.
/// `starting_token` (from `--starting-token`) starts the listing at a page a failed run
/// named: a continuation token, or SpaceONE's item offset.
pub async fn fetch_each<O, F, S>(
    handle: Handle,
    mut input: O::Input,
    opts: PageOpts,
    starting_token: Option<&str>,
    mut sink: F,
) -> Result<Streamed, Stop<O::Error, S>>
where
    O: Paginated,
    F: FnMut(O::Item) -> Result<(), S>,
{
    let limit = opts.max_items.unwrap_or(usize::MAX);
    let mut streamed = Streamed {
        items: 0,
        pages: 0,
        more: false,
        next_token: None,
    };
    if !opts.paginate {
        let token = starting_token.filter(|t| !t.is_empty());
        match O::STYLE {
            PageStyle::Token => {
                if let Some(size) = opts.page_size {
                    O::set_page_size(&mut input, size);
                }
                if let Some(token) = token {
                    O::set_token(&mut input, Some(token.to_owned()));
                }
            }
            PageStyle::Offset => {
                let (start, limit) = O::offset(&input);
                let from_token = match token {
                    Some(t) => Some(
                        t.trim()
                            .parse::<u32>()
                            .ok()
                            .filter(|n| *n >= 1)
                            .ok_or_else(|| {
                                Stop::Sdk(Error::InvalidInput(
                                    cloudjobs_runtime::InvalidInput::new(
                                        "starting_token",
                                        cloudjobs_runtime::Rule::Range {
                                            min: Some(1.0),
                                            max: Some(f64::from(u32::MAX)),
                                        },
                                        Some(t),
                                    ),
                                ))
                            })?,
                    ),
                    None => None,
                };
                if opts.page_size.is_some() || from_token.is_some() {
                    let start = from_token.unwrap_or(start.unwrap_or(1).max(1));
                    let size = opts
                        .page_size
                        .or(limit)
                        .unwrap_or(cloudjobs_runtime::paginate::DEFAULT_OFFSET_LIMIT);
                    O::set_offset(&mut input, start, size);
                }
            }
        }
        let (start, _) = O::offset(&input);
        let output = handle.invoke::<O>(input).await.map_err(Stop::Sdk)?;
        streamed.pages = 1;
        let total = O::total_count(&output);
        match O::STYLE {
            PageStyle::Token => {
                streamed.next_token = O::next_token(&output)
                    .filter(|t| !t.is_empty())
                    .map(str::to_owned);
                streamed.more = streamed.next_token.is_some();
            }
            PageStyle::Offset => {}
        }
        let items = O::into_items(output);
        if O::STYLE == PageStyle::Offset {
            let start = u64::from(start.unwrap_or(1));
            let next = start + items.len() as u64;
            streamed.more = total.is_some_and(|t| t >= next);
            if streamed.more {
                streamed.next_token = Some(next.to_string());
            }
        }
        let n = items.len();
        for item in items.into_iter().take(limit) {
            sink(item).map_err(Stop::Sink)?;
            streamed.items += 1;
        }
        if n > limit {
            // The next page's token would skip the items cut here.
            streamed.more = true;
            streamed.next_token = None;
        }
        return Ok(streamed);
    }

    let mut paginator = Paginator::<O>::new(handle, input);
    if let Some(size) = opts.page_size {
        paginator = paginator.page_size(size);
    }
    if let Some(token) = starting_token {
        paginator = paginator.starting_token(token);
    }
    let mut pages = paginator.pages();
    while streamed.items < limit {
        let Some(page) = pages.next().await else {
            return Ok(streamed);
        };
        streamed.pages += 1;
        let items = O::into_items(page.map_err(Stop::Sdk)?);
        let n = items.len();
        let room = limit - streamed.items;
        for item in items.into_iter().take(room) {
            sink(item).map_err(Stop::Sink)?;
            streamed.items += 1;
        }
        // Stopped by `max_items`: no further page is requested, so `more` is only known to
        // be true when the last page went past the limit.
        if n > room {
            streamed.more = true;
        }
    }
    Ok(streamed)
}
