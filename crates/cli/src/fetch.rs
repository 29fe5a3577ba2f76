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

/// Lists with operation `O`, starting from `input`: with `paginate`, through the runtime's
/// [`Paginator`] (one request per page, requested lazily, so `max_items` stops early); without,
/// one request.
pub async fn fetch<O: Paginated>(
    handle: Handle,
    mut input: O::Input,
    opts: PageOpts,
) -> Result<Fetched<O::Item>, Error<O::Error>> {
    let limit = opts.max_items.unwrap_or(usize::MAX);
    if !opts.paginate {
        if let Some(size) = opts.page_size {
            match O::STYLE {
                PageStyle::Token => O::set_page_size(&mut input, size),
                PageStyle::Offset => {
                    let (start, _) = O::offset(&input);
                    O::set_offset(&mut input, start.unwrap_or(1).max(1), size);
                }
            }
        }
        let output = handle.invoke::<O>(input).await?;
        let mut more = match O::STYLE {
            PageStyle::Token => O::next_token(&output).is_some_and(|t| !t.is_empty()),
            PageStyle::Offset => false,
        };
        let total = O::total_count(&output);
        let mut items = O::into_items(output);
        if O::STYLE == PageStyle::Offset {
            more = total.is_some_and(|t| t > items.len() as u64);
        }
        if items.len() > limit {
            items.truncate(limit);
            more = true;
        }
        return Ok(Fetched {
            items,
            pages: 1,
            more,
        });
    }

    let mut paginator = Paginator::<O>::new(handle, input);
    if let Some(size) = opts.page_size {
        paginator = paginator.page_size(size);
    }
    let mut pages = paginator.pages();
    let mut fetched = Fetched {
        items: Vec::new(),
        pages: 0,
        more: false,
    };
    while fetched.items.len() < limit {
        let Some(page) = pages.next().await else {
            return Ok(fetched);
        };
        fetched.pages += 1;
        fetched.items.extend(O::into_items(page?));
    }
    // Stopped by `max_items`: no further page is requested, so `more` is only known to be
    // true when the last page went past the limit.
    if fetched.items.len() > limit {
        fetched.items.truncate(limit);
        fetched.more = true;
    }
    Ok(fetched)
}
