//! Generated list endpoints whose items sit in an array inside `result`
//! (`result.images`, `result.commands`): `.pages()` and `.items()` walk them
//! through the generated `ListResult` impls, against a wiremock server on
//! 127.0.0.1, while `.send()` still returns the whole typed result object.

use std::collections::HashMap;

use fixture_client::Client;
use fixture_client::list_in_result::{ListCommandsParams, ListImagesParams};
use fixture_client::runtime::{ListResult, ResumePoint};
use futures::{StreamExt, TryStreamExt};
use serde_json::{Value, json};
use wiremock::{Mock, MockServer, ResponseTemplate};

const IMAGES: &str = "/client/v4/accounts/acc/images/v1";
const COMMANDS: &str = "/client/v4/accounts/acc/dex/commands";

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(format!("{}/client/v4", server.uri()))
        .api_token("token")
        .max_retries(0)
        .build()
        .unwrap()
}

fn query(request: &wiremock::Request) -> HashMap<String, String> {
    request.url.query_pairs().into_owned().collect()
}

fn envelope(result: Value, result_info: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "success": true, "errors": [], "messages": [],
        "result": result, "result_info": result_info,
    }))
}

/// Images `img-0..img-{total}` by page number, 2 a page unless asked
/// otherwise, each page's result also carrying a continuation token.
async fn images_server(total: u64) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::path(IMAGES))
        .respond_with(move |request: &wiremock::Request| {
            let q = query(request);
            let page: u64 = q.get("page").map_or(1, |p| p.parse().unwrap());
            let per_page: u64 = q.get("per_page").map_or(2, |p| p.parse().unwrap());
            let start = (page - 1) * per_page;
            let images: Vec<Value> = (start..(start + per_page).min(total))
                .map(|i| json!({"id": format!("img-{i}"), "filename": format!("{i}.png")}))
                .collect();
            let info = json!({
                "page": page, "per_page": per_page, "count": images.len(),
                "total_count": total, "total_pages": total.div_ceil(per_page),
            });
            let result = json!({"images": images, "continuation_token": format!("after-{page}")});
            envelope(result, info)
        })
        .mount(&server)
        .await;
    server
}

fn image_ids(images: &[fixture_client::list_in_result::ListImagesResponseImages]) -> Vec<String> {
    images.iter().map(|i| i.id.clone().unwrap()).collect()
}

#[tokio::test]
async fn items_in_result_images_arrive_once_each_across_three_pages() {
    let server = images_server(5).await;
    let client = client(&server);
    let ids: Vec<String> = client
        .list_in_result()
        .list_images("acc", &ListImagesParams::default())
        .items()
        .map_ok(|image| image.id.unwrap())
        .try_collect()
        .await
        .unwrap();
    let expected: Vec<String> = (0..5).map(|i| format!("img-{i}")).collect();
    assert_eq!(ids, expected);
    let asked: Vec<String> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| query(r).get("page").cloned().unwrap_or_default())
        .collect();
    // Page 3 of 3 is the last: no fourth request.
    assert_eq!(asked, ["", "2", "3"]);
}

#[tokio::test]
async fn pages_keep_the_rest_of_each_result_object() {
    let server = images_server(5).await;
    let client = client(&server);
    let pages: Vec<_> = client
        .list_in_result()
        .list_images("acc", &ListImagesParams::default())
        .pages()
        .try_collect()
        .await
        .unwrap();
    let tokens: Vec<_> = pages
        .iter()
        .map(|p| p.data.continuation_token.clone().unwrap())
        .collect();
    assert_eq!(tokens, ["after-1", "after-2", "after-3"]);
    let sizes: Vec<usize> = pages.iter().map(|p| p.data.items().len()).collect();
    assert_eq!(sizes, [2, 2, 1]);
    assert_eq!(pages[2].result_info.as_ref().unwrap().total_pages, Some(3));
}

#[tokio::test]
async fn send_still_returns_the_whole_typed_object() {
    let server = images_server(5).await;
    let client = client(&server);
    let response = client
        .list_in_result()
        .list_images("acc", &ListImagesParams::default().page(2))
        .send()
        .await
        .unwrap();
    assert_eq!(response.data.continuation_token.as_deref(), Some("after-2"));
    assert_eq!(
        image_ids(response.data.images.as_deref().unwrap()),
        ["img-2", "img-3"]
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_bounded_listing_resumes_inside_a_page_of_the_result_array() {
    let server = images_server(5).await;
    let client = client(&server);
    let request = client
        .list_in_result()
        .list_images("acc", &ListImagesParams::default());
    let mut first = request.clone().max_items(3).items();
    let mut seen = Vec::new();
    while let Some(image) = first.try_next().await.unwrap() {
        seen.push(image.id.unwrap());
    }
    assert_eq!(seen, ["img-0", "img-1", "img-2"]);
    let point: ResumePoint = first.resume_point().expect("items are left");
    let rest: Vec<String> = request
        .resume(&point)
        .items()
        .map_ok(|image| image.id.unwrap())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(rest, ["img-3", "img-4"]);
}

#[tokio::test]
async fn cursor_listing_in_result_commands_follows_every_cursor_once() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::path(COMMANDS))
        .respond_with(|request: &wiremock::Request| {
            let cursor = query(request).get("cursor").cloned();
            let (ids, next) = match cursor.as_deref() {
                None => (["c0", "c1"], Some("k1")),
                Some("k1") => (["c2", "c3"], Some("k2")),
                Some("k2") => (["c4", "c5"], None),
                Some(other) => panic!("unexpected cursor {other}"),
            };
            let commands: Vec<Value> = ids
                .iter()
                .map(|id| json!({"id": id, "status": "done"}))
                .collect();
            let info = match next {
                Some(next) => json!({"count": 2, "cursors": {"after": next}}),
                None => json!({"count": 2}),
            };
            envelope(json!({"commands": commands}), info)
        })
        .mount(&server)
        .await;
    let client = client(&server);
    let mut pages = client
        .list_in_result()
        .list_commands("acc", &ListCommandsParams::default())
        .pages();
    let mut ids = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page.unwrap();
        ids.extend(page.data.into_items().into_iter().map(|c| c.id.unwrap()));
    }
    assert_eq!(ids, ["c0", "c1", "c2", "c3", "c4", "c5"]);
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

/// Annotations `a-0..a-{total}` by item offset, at most 3 a page whatever the limit asked,
/// without `result_info` (as Radar answers).
async fn annotations_server(total: u64) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::path("/client/v4/radar/annotations"))
        .respond_with(move |request: &wiremock::Request| {
            let q = query(request);
            let offset: u64 = q.get("offset").map_or(0, |o| o.parse().unwrap());
            let limit: u64 = q.get("limit").map_or(3, |l| l.parse().unwrap());
            let end = (offset + limit.min(3)).min(total);
            let annotations: Vec<Value> = (offset.min(end)..end)
                .map(|i| json!({"id": format!("a-{i}"), "description": "outage"}))
                .collect();
            envelope(json!({ "annotations": annotations }), Value::Null)
        })
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn an_offset_listing_walks_every_item_once_where_the_server_caps_the_page() {
    use fixture_client::list_in_result::ListAnnotationsParams;

    let server = annotations_server(8).await;
    let client = client(&server);
    let params = ListAnnotationsParams::new().limit(5);
    let ids: Vec<String> = client
        .list_in_result()
        .list_annotations(&params)
        .items()
        .map_ok(|a| a.id.unwrap_or_default())
        .try_collect()
        .await
        .unwrap();
    let expected: Vec<String> = (0..8).map(|i| format!("a-{i}")).collect();
    assert_eq!(ids, expected);
    let offsets: Vec<String> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| query(r).get("offset").cloned().unwrap_or_default())
        .collect();
    // The first request sends no offset (the listing's start); then 3, 6: the page of 2
    // after full pages of 3 is the last.
    assert_eq!(offsets, ["", "3", "6"]);
}
