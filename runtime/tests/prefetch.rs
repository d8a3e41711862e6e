//! `Request::prefetch`: a listing that asks for its next page as soon as it yields one, against
//! servers on 127.0.0.1. Every item still arrives once and in order, an error still comes
//! after the items before it, bounds still hold, and a dropped listing stops asking.

use std::time::Duration;

use cloudflare_client_runtime::{DataAt, Pagination, PathPart};
use cloudflare_client_runtime::{Error, Request};
use futures::{StreamExt, TryStreamExt};
use reqwest::Method;
use serde::Deserialize;
use serde_json::{Value, json};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[path = "support/mock_api.rs"]
mod mock_api;
use mock_api::{client_for, page};

const RESULT: DataAt = DataAt::Envelope(&["result"]);
const PATH: [PathPart<'static>; 1] = [PathPart::Lit("/accounts/acc/audit_logs")];
const PER_PAGE: u64 = 10;

#[derive(Debug, Deserialize)]
struct Item {
    id: u64,
}

fn listing(server: &MockServer, pagination: Pagination) -> Request<Vec<Item>> {
    let client = client_for(server).max_retries(0).build().unwrap();
    Request::json(&client, Method::GET, &PATH, RESULT)
        .paginate(pagination)
        .query_pair("per_page", PER_PAGE.to_string())
}

fn envelope(items: impl Iterator<Item = u64>, result_info: Value) -> ResponseTemplate {
    let result: Vec<Value> = items.map(|id| json!({"id": id})).collect();
    page(result.into(), result_info)
}

fn page_of(request: &wiremock::Request) -> u64 {
    request
        .url
        .query_pairs()
        .find(|(k, _)| k == "page")
        .map_or(1, |(_, v)| v.parse().unwrap())
}

/// Page numbers over `0..total`, `PER_PAGE` a page; page `failing` answers 500.
async fn page_server(total: u64, failing: Option<u64>) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::path(
        "/client/v4/accounts/acc/audit_logs",
    ))
    .respond_with(move |request: &wiremock::Request| {
        let page = page_of(request);
        if Some(page) == failing {
            return ResponseTemplate::new(500).set_body_json(json!({
                "success": false, "errors": [{"code": 10000, "message": "boom"}], "messages": [],
                "result": null,
            }));
        }
        let start = (page - 1) * PER_PAGE;
        let info = json!({
            "page": page, "per_page": PER_PAGE, "total_count": total,
            "total_pages": total.div_ceil(PER_PAGE),
        });
        envelope(start..(start + PER_PAGE).min(total), info)
    })
    .mount(&server)
    .await;
    server
}

async fn sent(server: &MockServer) -> usize {
    server.received_requests().await.unwrap().len()
}

/// Waits (up to 5 s) until `server` has received `n` requests.
async fn until_sent(server: &MockServer, n: usize) -> usize {
    for _ in 0..500 {
        let count = sent(server).await;
        if count >= n {
            return count;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    sent(server).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_next_page_is_asked_for_before_the_caller_reaches_it() {
    let server = page_server(50, None).await;
    let mut items = listing(&server, Pagination::PAGE).prefetch(true).items();
    assert_eq!(items.try_next().await.unwrap().unwrap().id, 0);
    // Nine items of page 1 are still buffered, and page 2 is on its way.
    assert_eq!(until_sent(&server, 2).await, 2);
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(sent(&server).await, 2, "one page ahead, not more");

    let mut ids = vec![0];
    while let Some(item) = items.try_next().await.unwrap() {
        ids.push(item.id);
    }
    assert_eq!(
        ids,
        (0..50).collect::<Vec<_>>(),
        "every item once, in order"
    );
    let pages: Vec<u64> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(page_of)
        .collect();
    assert_eq!(pages, [1, 2, 3, 4, 5], "no request past the last page");

    // Without it, the listing asks only when it runs out.
    let server = page_server(50, None).await;
    let mut items = listing(&server, Pagination::PAGE).items();
    items.try_next().await.unwrap().unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(sent(&server).await, 1);
}

#[tokio::test]
async fn on_a_single_thread_runtime_too_items_arrive_once_and_in_order() {
    let server = page_server(95, None).await;
    let ids: Vec<u64> = listing(&server, Pagination::PAGE)
        .prefetch(true)
        .items()
        .map_ok(|item| item.id)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, (0..95).collect::<Vec<_>>());
    assert_eq!(sent(&server).await, 10);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_error_ahead_comes_after_the_items_before_it() {
    let server = page_server(50, Some(3)).await;
    let mut items = listing(&server, Pagination::PAGE).prefetch(true).items();
    let mut ids = Vec::new();
    let error = loop {
        match items.next().await {
            Some(Ok(item)) => ids.push(item.id),
            Some(Err(error)) => break error,
            None => panic!("the listing ended without its error"),
        }
    };
    assert_eq!(ids, (0..20).collect::<Vec<_>>());
    assert!(matches!(error, Error::Api { .. }), "{error:?}");
    assert!(
        items.next().await.is_none(),
        "the stream ends after the error"
    );
    let resume = items.resume_point().unwrap();
    assert_eq!(
        (resume.page, resume.skip),
        (Some(cloudflare_client_runtime::PageToken::Page(3)), 0)
    );
    assert_eq!(sent(&server).await, 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bounds_are_not_fetched_past() {
    let server = page_server(50, None).await;
    let ids: Vec<u64> = listing(&server, Pagination::PAGE)
        .prefetch(true)
        .max_items(20)
        .items()
        .map_ok(|item| item.id)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, (0..20).collect::<Vec<_>>());
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(sent(&server).await, 2, "nothing asked for past max_items");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dropping_the_listing_stops_the_fetch_ahead() {
    // One item, then empty pages with a new cursor each, slowly: a listing follows up to
    // `MAX_EMPTY_PAGES` of them within one fetch, unless it is stopped.
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::path(
        "/client/v4/accounts/acc/audit_logs",
    ))
    .respond_with(|request: &wiremock::Request| {
        let at: u64 = request
            .url
            .query_pairs()
            .find(|(k, _)| k == "cursor")
            .map_or(0, |(_, v)| v.parse().unwrap());
        let items = if at == 0 { 0..1 } else { 0..0 };
        envelope(items, json!({"cursor": (at + 1).to_string()}))
            .set_delay(Duration::from_millis(if at == 0 { 0 } else { 100 }))
    })
    .mount(&server)
    .await;
    let mut items = listing(&server, Pagination::CURSOR).prefetch(true).items();
    assert_eq!(items.try_next().await.unwrap().unwrap().id, 0);
    until_sent(&server, 2).await;
    drop(items);
    tokio::time::sleep(Duration::from_millis(600)).await;
    let count = sent(&server).await;
    assert!(
        count <= 3,
        "{count} requests: the fetch ahead went on after the drop"
    );
}
