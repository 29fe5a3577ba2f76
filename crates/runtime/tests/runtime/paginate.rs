//! Paginators: token and offset styles over 10,000 items, repeated tokens, page limits, and
//! one page live at a time.

use std::cell::Cell;

use cloudjobs_runtime::error::Unhandled;
use cloudjobs_runtime::{
    Error, ErrorMetadata, Handle, HttpRequest, HttpResponse, InvalidInput, Operation,
    OperationMeta, PageStyle, Paginated, Paginator, ServiceMeta, Validation,
};
use futures::{StreamExt, TryStreamExt};
use serde_json::json;

use crate::support::*;

const TOTAL: u64 = 10_000;

thread_local! {
    static LIVE_PAGES: Cell<usize> = const { Cell::new(0) };
    static MAX_LIVE_PAGES: Cell<usize> = const { Cell::new(0) };
}

/// One per decoded page; items share it. Counts live pages on this thread (each test runs
/// its current-thread runtime on its own thread).
#[derive(Debug)]
pub struct PageGuard;

impl PageGuard {
    fn new() -> std::sync::Arc<PageGuard> {
        LIVE_PAGES.with(|l| {
            l.set(l.get() + 1);
            MAX_LIVE_PAGES.with(|m| m.set(m.get().max(l.get())));
        });
        std::sync::Arc::new(PageGuard)
    }
}

impl Drop for PageGuard {
    fn drop(&mut self) {
        LIVE_PAGES.with(|l| l.set(l.get() - 1));
    }
}

#[derive(Debug)]
pub struct Item {
    pub n: u64,
    _page: std::sync::Arc<PageGuard>,
}

#[derive(Debug)]
pub struct Page {
    pub items: Vec<Item>,
    pub next_token: Option<String>,
    pub total_count: Option<u64>,
}

#[derive(Debug, Clone, Default)]
pub struct PageInput {
    pub token: Option<String>,
    pub max_results: Option<u32>,
    pub start: Option<u32>,
    pub limit: Option<u32>,
}

fn decode(response: &HttpResponse) -> Result<Page, serde_json::Error> {
    let v: serde_json::Value = serde_json::from_slice(&response.body)?;
    let guard = PageGuard::new();
    let items = v["Items"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|n| Item {
                    n: n.as_u64().unwrap(),
                    _page: guard.clone(),
                })
                .collect()
        })
        .unwrap_or_default();
    Ok(Page {
        items,
        next_token: v["NextToken"].as_str().map(str::to_owned),
        total_count: v["total_count"].as_u64(),
    })
}

macro_rules! page_op {
    ($name:ident, $svc:expr, $style:expr) => {
        pub struct $name;
        impl Operation for $name {
            type Input = PageInput;
            type Output = Page;
            type Error = Unhandled;
            const SERVICE: &'static ServiceMeta = $svc;
            const META: OperationMeta = OperationMeta {
                name: stringify!($name),
                method: http::Method::POST,
                path: "/list",
                idempotent: true,
                unsigned: false,
                host_prefix: None,
                success_status: None,
                security: &[],
                upgrade: false,
                accept: None,
            };
            fn validate(_: &PageInput, _: Validation) -> Result<(), InvalidInput> {
                Ok(())
            }
            fn serialize(input: &PageInput) -> Result<HttpRequest, serde_json::Error> {
                let body = json!({
                    "NextToken": input.token,
                    "MaxResults": input.max_results,
                    "query": {"page": {"start": input.start, "limit": input.limit}},
                });
                Ok(HttpRequest {
                    body: Some(serde_json::to_vec(&body)?),
                    ..HttpRequest::default()
                })
            }
            fn deserialize_output(r: &HttpResponse) -> Result<Page, serde_json::Error> {
                decode(r)
            }
            fn deserialize_error(meta: ErrorMetadata, r: &HttpResponse) -> Unhandled {
                Unhandled::new(meta, &r.body)
            }
        }
        impl Paginated for $name {
            type Item = Item;
            const STYLE: PageStyle = $style;
            fn set_token(input: &mut PageInput, token: Option<String>) {
                input.token = token;
            }
            fn next_token(output: &Page) -> Option<&str> {
                output.next_token.as_deref()
            }
            fn set_offset(input: &mut PageInput, start: u32, limit: u32) {
                input.start = Some(start);
                input.limit = Some(limit);
            }
            fn total_count(output: &Page) -> Option<u64> {
                output.total_count
            }
            fn offset(input: &PageInput) -> (Option<u32>, Option<u32>) {
                (input.start, input.limit)
            }
            fn set_page_size(input: &mut PageInput, size: u32) {
                input.max_results = Some(size);
            }
            fn into_items(output: Page) -> Vec<Item> {
                output.items
            }
        }
    };
}

page_op!(TokenList, &SSM, PageStyle::Token);
page_op!(OffsetList, &SPACEONE, PageStyle::Offset);

/// Token-style server: token `t<offset>`, page size from `MaxResults` (default 100).
fn token_server_reply(req: &Recorded) -> Reply {
    let body = req.json();
    let offset: u64 = body["NextToken"]
        .as_str()
        .map(|t| t.trim_start_matches('t').parse().unwrap())
        .unwrap_or(0);
    let size = body["MaxResults"].as_u64().unwrap_or(100);
    let end = (offset + size).min(TOTAL);
    let items: Vec<u64> = (offset..end).collect();
    let next = (end < TOTAL).then(|| format!("t{end}"));
    Reply::json(200, json!({"Items": items, "NextToken": next}))
}

/// Offset-style server (SpaceONE): 1-based `start`, `limit`, `total_count`.
fn offset_server_reply(req: &Recorded) -> Reply {
    let body = req.json();
    let start = body["query"]["page"]["start"].as_u64().unwrap_or(1);
    let limit = body["query"]["page"]["limit"].as_u64().unwrap_or(TOTAL);
    let from = start - 1;
    let end = (from + limit).min(TOTAL);
    let items: Vec<u64> = (from.min(TOTAL)..end).collect();
    Reply::json(200, json!({"Items": items, "total_count": TOTAL}))
}

fn reset_live() {
    LIVE_PAGES.with(|l| l.set(0));
    MAX_LIVE_PAGES.with(|l| l.set(0));
}

fn max_live() -> usize {
    MAX_LIVE_PAGES.with(Cell::get)
}

async fn consume_items<O>(handle: Handle, input: PageInput, page_size: Option<u32>) -> Vec<u64>
where
    O: Paginated<Input = PageInput, Item = Item>,
{
    let mut paginator = Paginator::<O>::new(handle, input);
    if let Some(size) = page_size {
        paginator = paginator.page_size(size);
    }
    let mut stream = paginator.items();
    let mut seen = Vec::new();
    while let Some(item) = stream.next().await {
        let item = item.expect("item");
        assert!(LIVE_PAGES.with(Cell::get) <= 1, "more than one page live");
        seen.push(item.n);
    }
    seen
}

#[tokio::test]
async fn token_style_every_item_once_in_order_one_page_live() {
    reset_live();
    let server = TestServer::start(|req, _| token_server_reply(req)).await;
    let handle = Handle::new(&SSM, local_config(&server).build());
    let seen = consume_items::<TokenList>(handle, PageInput::default(), None).await;
    assert_eq!(seen, (0..TOTAL).collect::<Vec<_>>());
    assert_eq!(server.count(), 100);
    assert_eq!(max_live(), 1, "items() holds one page at a time");
    assert_eq!(LIVE_PAGES.with(Cell::get), 0);
    // The first request carries no token, the others the previous page's.
    assert_eq!(server.request(0).json()["NextToken"], json!(null));
    assert_eq!(server.request(1).json()["NextToken"], json!("t100"));
}

#[tokio::test]
async fn offset_style_every_item_once_in_order_one_page_live() {
    reset_live();
    let server = TestServer::start(|req, _| offset_server_reply(req)).await;
    let handle = Handle::new(&SPACEONE, local_config(&server).build());
    let seen = consume_items::<OffsetList>(handle, PageInput::default(), Some(250)).await;
    assert_eq!(seen, (0..TOTAL).collect::<Vec<_>>());
    assert_eq!(server.count(), 40);
    assert_eq!(max_live(), 1);
    let first = server.request(0).json();
    assert_eq!(first["query"]["page"], json!({"start": 1, "limit": 250}));
    assert_eq!(
        server.request(1).json()["query"]["page"],
        json!({"start": 251, "limit": 250})
    );
}

#[tokio::test]
async fn offset_style_defaults_and_input_start() {
    let server = TestServer::start(|req, _| offset_server_reply(req)).await;
    let handle = Handle::new(&SPACEONE, local_config(&server).build());
    // Default limit 100.
    let pages: Vec<Page> = Paginator::<OffsetList>::new(handle.clone(), PageInput::default())
        .pages()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 100);
    drop(pages);
    assert_eq!(
        server.request(0).json()["query"]["page"],
        json!({"start": 1, "limit": 100})
    );
    // The input's start and limit make the first page.
    let input = PageInput {
        start: Some(9_001),
        limit: Some(300),
        ..PageInput::default()
    };
    let seen = consume_items::<OffsetList>(handle, input, None).await;
    assert_eq!(seen, (9_000..TOTAL).collect::<Vec<_>>());
    assert_eq!(
        server.request(100).json()["query"]["page"],
        json!({"start": 9001, "limit": 300})
    );
    assert_eq!(server.count(), 104);
}

#[tokio::test]
async fn offset_style_ends_on_a_short_page_without_total() {
    // SpaceONE leaves out zero values; this server never sends total_count.
    let server = TestServer::start(|req, _| {
        let body = req.json();
        let start = body["query"]["page"]["start"].as_u64().unwrap();
        let limit = body["query"]["page"]["limit"].as_u64().unwrap();
        let end = (start - 1 + limit).min(250);
        let items: Vec<u64> = (start - 1..end).collect();
        Reply::json(200, json!({"Items": items}))
    })
    .await;
    let handle = Handle::new(&SPACEONE, local_config(&server).build());
    let seen = consume_items::<OffsetList>(handle, PageInput::default(), None).await;
    assert_eq!(seen, (0..250).collect::<Vec<_>>());
    assert_eq!(server.count(), 3);
    // An empty `{}` answer is an empty listing.
    let server = TestServer::scripted(vec![Reply::json(200, json!({}))]).await;
    let handle = Handle::new(&SPACEONE, local_config(&server).build());
    let seen = consume_items::<OffsetList>(handle, PageInput::default(), None).await;
    assert!(seen.is_empty());
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn repeated_token_is_an_error_not_a_loop() {
    let server = TestServer::start(|req, _| {
        // Page 1 -> "a", page "a" -> "b", page "b" -> "a" again.
        let next = match req.json()["NextToken"].as_str() {
            None => "a",
            Some("a") => "b",
            Some(_) => "a",
        };
        Reply::json(200, json!({"Items": [1, 2], "NextToken": next}))
    })
    .await;
    let handle = Handle::new(&SSM, local_config(&server).build());
    let results: Vec<Result<Page, Error<Unhandled>>> =
        Paginator::<TokenList>::new(handle.clone(), PageInput::default())
            .pages()
            .collect()
            .await;
    assert_eq!(results.len(), 4, "three pages, then the error");
    assert!(results[..3].iter().all(Result::is_ok));
    let Err(Error::Pagination(e)) = &results[3] else {
        panic!("expected a pagination error")
    };
    assert_eq!(e.page(), 4);
    assert!(e.to_string().contains("already returned"), "{e}");
    assert_eq!(server.count(), 3);

    // A server that hands back the token it was given.
    let server =
        TestServer::start(|_, _| Reply::json(200, json!({"Items": [1], "NextToken": "same"})))
            .await;
    let handle = Handle::new(&SSM, local_config(&server).build());
    let items: Vec<_> = Paginator::<TokenList>::new(handle, PageInput::default())
        .items()
        .collect()
        .await;
    assert_eq!(items.len(), 3, "two items, then the error");
    assert!(matches!(items[2], Err(Error::Pagination(_))));
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn empty_token_ends_the_stream() {
    let server = TestServer::scripted(vec![
        Reply::json(200, json!({"Items": [1], "NextToken": "x"})),
        Reply::json(200, json!({"Items": [2], "NextToken": ""})),
    ])
    .await;
    let handle = Handle::new(&SSM, local_config(&server).build());
    let items: Vec<Item> = Paginator::<TokenList>::new(handle, PageInput::default())
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items.iter().map(|i| i.n).collect::<Vec<_>>(), vec![1, 2]);
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn max_pages_and_page_size_are_respected() {
    let server = TestServer::start(|req, _| token_server_reply(req)).await;
    let handle = Handle::new(&SSM, local_config(&server).build());
    let items: Vec<Item> = Paginator::<TokenList>::new(handle.clone(), PageInput::default())
        .page_size(25)
        .max_pages(3)
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items.len(), 75);
    assert_eq!(server.count(), 3);
    for i in 0..3 {
        assert_eq!(server.request(i).json()["MaxResults"], json!(25));
    }
    // Lazy: nothing is requested before the stream is polled, and dropping it stops paging.
    let mut stream = Paginator::<TokenList>::new(handle.clone(), PageInput::default()).pages();
    assert_eq!(server.count(), 3);
    let _first = stream.next().await.unwrap().unwrap();
    assert_eq!(server.count(), 4);
    drop(stream);
    assert_eq!(server.count(), 4);
    // max_pages(0): no request at all.
    let none: Vec<_> = Paginator::<TokenList>::new(handle, PageInput::default())
        .max_pages(0)
        .pages()
        .collect()
        .await;
    assert!(none.is_empty());
    assert_eq!(server.count(), 4);
}

#[tokio::test]
async fn errors_end_the_stream() {
    let server = TestServer::scripted(vec![
        Reply::json(200, json!({"Items": [1], "NextToken": "x"})),
        Reply::json(404, json!({"__type": "ResourceNotFoundException"})),
    ])
    .await;
    let handle = Handle::new(&SSM, local_config(&server).build());
    let results: Vec<_> = Paginator::<TokenList>::new(handle, PageInput::default())
        .items()
        .collect()
        .await;
    assert_eq!(results.len(), 2);
    assert!(results[0].is_ok());
    let Err(e) = &results[1] else { panic!() };
    assert_eq!(e.code(), Some("ResourceNotFoundException"));
}

#[test]
fn streams_are_send_and_static() {
    fn assert_send_static<T: Send + 'static>(_: &T) {}
    let handle = Handle::new(&SSM, cloudjobs_runtime::Config::builder().build());
    let pages = Paginator::<TokenList>::new(handle.clone(), PageInput::default()).pages();
    assert_send_static(&pages);
    let items = Paginator::<OffsetList>::new(handle, PageInput::default()).items();
    assert_send_static(&items);
}
