//! Offset paging (`offset` + `limit`, as Radar's and R2 Super Slurper's listings page)
//! against simulated servers on 127.0.0.1: every item once, in order, with the exact number
//! of requests each walk sends, when the server holds pages below the limit asked for, when
//! it reports a total, when it ignores the offset, and resumed from a saved offset.

use std::collections::HashMap;

use cloudflare_client_runtime::{Client, DataAt, PageToken, Pagination, PathPart, Request};
use cloudflare_client_runtime::{Items, ResumePoint};
use futures::TryStreamExt;
use reqwest::Method;
use serde::Deserialize;
use serde_json::{Value, json};
use wiremock::{Mock, MockServer};

#[path = "support/mock_api.rs"]
mod mock_api;
use mock_api::{client_for, page};

const PATH: [PathPart<'static>; 1] = [PathPart::Lit("/radar/annotations")];
const OFFSET: Pagination = Pagination::Offset {
    offset: "offset",
    limit: Some("limit"),
};

#[derive(Debug, Deserialize, PartialEq)]
struct Item {
    id: u64,
}

fn client(server: &MockServer) -> Client {
    client_for(server).max_retries(0).build().unwrap()
}

fn list(client: &Client) -> Request<Vec<Item>> {
    Request::json(client, Method::GET, &PATH, DataAt::Envelope(&["result"])).paginate(OFFSET)
}

fn query(request: &wiremock::Request) -> HashMap<String, String> {
    request.url.query_pairs().into_owned().collect()
}

/// A server over items `0..total` that answers at most `cap` items a page whatever the
/// limit asked for (default 20), with `total_count` in `result_info` when `count`.
async fn offset_server(total: u64, cap: u64, count: bool) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::path("/client/v4/radar/annotations"))
        .respond_with(move |request: &wiremock::Request| {
            let q = query(request);
            let offset: u64 = q.get("offset").map_or(0, |o| o.parse().unwrap());
            let limit: u64 = q.get("limit").map_or(20, |l| l.parse().unwrap());
            let end = (offset + limit.min(cap)).min(total);
            let items: Vec<Value> = (offset.min(end)..end).map(|id| json!({"id": id})).collect();
            let info = match count {
                true => json!({"count": items.len(), "total_count": total}),
                false => Value::Null,
            };
            page(items.into(), info)
        })
        .mount(&server)
        .await;
    server
}

async fn offsets_asked(server: &MockServer) -> Vec<u64> {
    server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| query(r).get("offset").map_or(0, |o| o.parse().unwrap()))
        .collect()
}

async fn drain(items: &mut Items<Vec<Item>>) -> Vec<u64> {
    let mut ids = Vec::new();
    while let Some(item) = items.try_next().await.unwrap() {
        ids.push(item.id);
    }
    ids
}

#[tokio::test]
async fn offsets_advance_by_the_items_received_and_a_short_page_ends_the_listing() {
    // Asked for 25 a page, the server holds 10: nothing is skipped, and the page of 5 after
    // full pages of 10 is the last.
    let server = offset_server(35, 10, false).await;
    let ids = drain(&mut list(&client(&server)).query_pair("limit", "25").items()).await;
    assert!(
        ids.iter().copied().eq(0..35),
        "lost or repeated items: {ids:?}"
    );
    assert_eq!(offsets_asked(&server).await, [0, 10, 20, 30]);
}

#[tokio::test]
async fn without_a_total_a_listing_of_full_pages_ends_on_the_empty_page() {
    let server = offset_server(30, 10, false).await;
    let ids = drain(&mut list(&client(&server)).query_pair("limit", "10").items()).await;
    assert!(ids.iter().copied().eq(0..30));
    assert_eq!(offsets_asked(&server).await, [0, 10, 20, 30]);
}

#[tokio::test]
async fn a_reported_total_ends_the_listing_without_asking_past_it() {
    let server = offset_server(30, 10, true).await;
    let ids = drain(&mut list(&client(&server)).query_pair("limit", "10").items()).await;
    assert!(ids.iter().copied().eq(0..30));
    assert_eq!(offsets_asked(&server).await, [0, 10, 20]);
}

#[tokio::test]
async fn a_server_that_ignores_the_offset_does_not_loop() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::path("/client/v4/radar/annotations"))
        .respond_with(page(json!([{"id": 1}, {"id": 2}]), Value::Null))
        .mount(&server)
        .await;
    let ids = drain(&mut list(&client(&server)).query_pair("limit", "2").items()).await;
    assert_eq!(ids, [1, 2], "the repeated page is not yielded again");
    assert_eq!(offsets_asked(&server).await, [0, 2]);
}

#[tokio::test]
async fn a_listing_resumes_from_a_saved_offset_in_the_middle_of_a_page() {
    let server = offset_server(95, 20, false).await;
    let request = list(&client(&server)).query_pair("limit", "20");
    let mut items = request.clone().items();
    let mut ids = Vec::new();
    for _ in 0..47 {
        ids.push(items.try_next().await.unwrap().unwrap().id);
    }
    let saved = serde_json::to_string(&items.resume_point().unwrap()).unwrap();
    drop(items);
    let point: ResumePoint = serde_json::from_str(&saved).unwrap();
    assert_eq!(point.page, Some(PageToken::Offset(40)));
    assert_eq!(point.skip, 7);
    ids.extend(drain(&mut request.resume(&point).items()).await);
    assert!(ids.iter().copied().eq(0..95), "lost or repeated items");
    // A page number cannot resume an offset listing.
    let error = list(&client(&server))
        .resume(&PageToken::Page(3).into())
        .send()
        .await
        .unwrap_err();
    assert!(
        error
            .to_string()
            .contains("cannot resume with a page number"),
        "{error}"
    );
}
