//! Listings always end and never ask past their end: page numbers and
//! cursors against simulated servers on 127.0.0.1, with the exact number of
//! requests each walk sends.

use std::collections::HashMap;

use cloudflare_client_runtime::Pagination;
use cloudflare_client_runtime::{Client, Error, Request, ResultInfo};
use cloudflare_client_runtime::{DataAt, PathPart};
use cloudflare_client_runtime::{Items, PageToken, Pages, ResumePoint};
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

#[derive(Debug, Deserialize, PartialEq)]
struct Item {
    id: u64,
}

fn client(server: &MockServer) -> Client {
    client_for(server).max_retries(0).build().unwrap()
}

fn list(client: &Client) -> Request<Vec<Item>> {
    Request::json(client, Method::GET, &PATH, RESULT)
}

fn query(request: &wiremock::Request) -> HashMap<String, String> {
    request.url.query_pairs().into_owned().collect()
}

fn envelope(items: &[u64], result_info: Value) -> ResponseTemplate {
    let result: Vec<Value> = items.iter().map(|id| json!({"id": id})).collect();
    page(result.into(), result_info)
}

/// What a page-number server puts in `result_info`.
#[derive(Clone, Copy)]
enum Totals {
    /// `page`, `per_page`, `count`, `total_count`, `total_pages`.
    All,
    /// `page`, `per_page`, `count`, `total_count`.
    CountOnly,
    /// `page`, `per_page`, `count`.
    None,
    /// No `result_info` at all.
    NoResultInfo,
}

/// A page-number server over items `0..total`, with a default page size of 25.
async fn page_server(total: u64, totals: Totals) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::path(
        "/client/v4/accounts/acc/audit_logs",
    ))
    .respond_with(move |request: &wiremock::Request| {
        let q = query(request);
        let page: u64 = q.get("page").map_or(1, |p| p.parse().unwrap());
        let per_page: u64 = q.get("per_page").map_or(25, |p| p.parse().unwrap());
        let start = (page - 1) * per_page;
        let items: Vec<u64> = (start..(start + per_page).min(total)).collect();
        let mut info = json!({"page": page, "per_page": per_page, "count": items.len()});
        match totals {
            Totals::All => {
                info["total_count"] = json!(total);
                info["total_pages"] = json!(total.div_ceil(per_page));
            }
            Totals::CountOnly => info["total_count"] = json!(total),
            Totals::None => {}
            Totals::NoResultInfo => info = Value::Null,
        }
        envelope(&items, info)
    })
    .mount(&server)
    .await;
    server
}

async fn requests(server: &MockServer) -> Vec<wiremock::Request> {
    server.received_requests().await.unwrap()
}

/// Walks `request`, checking every item of `0..total` arrives exactly once, in order.
async fn walk_all(request: Request<Vec<Item>>, total: u64) {
    let ids: Vec<u64> = request
        .items()
        .map_ok(|i| i.id)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids.len() as u64, total);
    assert!(
        ids.iter().copied().eq(0..total),
        "items out of order or repeated"
    );
}

fn pages_asked(requests: &[wiremock::Request]) -> Vec<u64> {
    requests
        .iter()
        .map(|r| query(r).get("page").map_or(1, |p| p.parse().unwrap()))
        .collect()
}

#[tokio::test]
async fn page_mode_with_total_pages_sends_exactly_one_request_per_page() {
    // 2,500 items, 100 a page: 25 full pages, and no 26th request.
    let server = page_server(2_500, Totals::All).await;
    let request = list(&client(&server))
        .paginate(Pagination::PAGE)
        .query_pair("per_page", "100");
    walk_all(request, 2_500).await;
    let sent = requests(&server).await;
    assert_eq!(sent.len(), 25);
    assert_eq!(pages_asked(&sent), (1..=25).collect::<Vec<_>>());

    // 2,550 items: 26 pages, the last one short.
    let server = page_server(2_550, Totals::All).await;
    let request = list(&client(&server))
        .paginate(Pagination::PAGE)
        .query_pair("per_page", "100");
    walk_all(request, 2_550).await;
    assert_eq!(requests(&server).await.len(), 26);
}

#[tokio::test]
async fn page_mode_with_total_count_only_stops_at_the_count() {
    let server = page_server(2_500, Totals::CountOnly).await;
    let request = list(&client(&server))
        .paginate(Pagination::PAGE)
        .query_pair("per_page", "100");
    walk_all(request, 2_500).await;
    assert_eq!(requests(&server).await.len(), 25);
}

#[tokio::test]
async fn page_mode_without_totals_stops_on_the_short_page() {
    for totals in [Totals::None, Totals::NoResultInfo] {
        let server = page_server(2_550, totals).await;
        let request = list(&client(&server))
            .paginate(Pagination::PAGE)
            .query_pair("per_page", "100");
        walk_all(request, 2_550).await;
        assert_eq!(requests(&server).await.len(), 26);
    }
    // No per_page sent: the page size is the server's `result_info.per_page` (25).
    let server = page_server(2_510, Totals::None).await;
    walk_all(list(&client(&server)).paginate(Pagination::PAGE), 2_510).await;
    assert_eq!(requests(&server).await.len(), 101);
    // Neither sent nor reported: a page smaller than the first one is the last.
    let server = page_server(2_510, Totals::NoResultInfo).await;
    walk_all(list(&client(&server)).paginate(Pagination::PAGE), 2_510).await;
    assert_eq!(requests(&server).await.len(), 101);
}

#[tokio::test]
async fn page_mode_when_the_last_page_is_full_and_nothing_says_so_ends_on_the_empty_page() {
    // 2,500 items, no totals: page 25 is full, so only the (empty) page 26
    // can tell. It is asked for once and not yielded.
    let server = page_server(2_500, Totals::None).await;
    let pages: Vec<_> = list(&client(&server))
        .paginate(Pagination::PAGE)
        .query_pair("per_page", "100")
        .pages()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 25);
    assert!(pages.iter().all(|p| p.data.len() == 100));
    assert_eq!(requests(&server).await.len(), 26);
}

#[tokio::test]
async fn page_mode_starts_from_the_page_asked_for() {
    let server = page_server(1_000, Totals::All).await;
    let ids: Vec<u64> = list(&client(&server))
        .paginate(Pagination::PAGE)
        .query_pair("per_page", "100")
        .query_pair("page", "8")
        .items()
        .map_ok(|i| i.id)
        .try_collect()
        .await
        .unwrap();
    assert!(ids.iter().copied().eq(700..1_000));
    assert_eq!(pages_asked(&requests(&server).await), [8, 9, 10]);
}

#[tokio::test]
async fn page_mode_is_inferred_from_result_info_when_not_declared() {
    let server = page_server(2_500, Totals::All).await;
    walk_all(list(&client(&server)).query_pair("per_page", "100"), 2_500).await;
    assert_eq!(requests(&server).await.len(), 25);
}

/// A server that ignores `page` and sends the same full page forever,
/// with `result_info` as `info` says.
async fn stuck_server(info: Value) -> MockServer {
    let server = MockServer::start().await;
    let items: Vec<u64> = (0..100).collect();
    Mock::given(wiremock::matchers::any())
        .respond_with(envelope(&items, info))
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn a_server_that_ignores_page_does_not_loop() {
    let cases = [
        // It says page 1 when asked for page 2.
        json!({"page": 1, "per_page": 100, "count": 100}),
        // It says nothing: the repeated `result` gives it away.
        Value::Null,
        json!({"per_page": 100, "count": 100}),
    ];
    for info in cases {
        let server = stuck_server(info.clone()).await;
        let ids: Vec<u64> = tokio::time::timeout(
            std::time::Duration::from_secs(10),
            list(&client(&server))
                .paginate(Pagination::PAGE)
                .query_pair("per_page", "100")
                .items()
                .map_ok(|i| i.id)
                .try_collect(),
        )
        .await
        .expect("the walk ended")
        .unwrap();
        // The first page once; the repeat is not yielded.
        assert!(ids.iter().copied().eq(0..100), "{info}");
        assert_eq!(requests(&server).await.len(), 2, "{info}");
    }

    // A server that echoes the page asked for but sends the same items.
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(|request: &wiremock::Request| {
            let page: u64 = query(request).get("page").map_or(1, |p| p.parse().unwrap());
            envelope(&[1, 2, 3], json!({"page": page, "per_page": 3}))
        })
        .mount(&server)
        .await;
    let pages: Vec<_> = list(&client(&server))
        .paginate(Pagination::PAGE)
        .query_pair("per_page", "3")
        .pages()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 1);
    assert_eq!(requests(&server).await.len(), 2);
}

/// How a cursor server names the next cursor.
#[derive(Clone, Copy)]
enum CursorAt {
    /// `result_info.cursor`, as seed 004 documents it.
    Cursor,
    /// `result_info.cursors.after`, as the official SDKs read it.
    CursorsAfter,
}

/// A cursor server over items `0..total`; cursor `c<n>` starts at item n,
/// and the last page has no next cursor (absent for `Cursor`, `""` for
/// `CursorsAfter`).
async fn cursor_server(total: u64, at: CursorAt) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::path("/client/v4/accounts/acc/logs/audit"))
        .respond_with(move |request: &wiremock::Request| {
            let q = query(request);
            let start: u64 = q.get("cursor").map_or(0, |c| c[1..].parse().unwrap());
            let limit: u64 = q.get("limit").map_or(100, |l| l.parse().unwrap());
            let end = (start + limit).min(total);
            let items: Vec<u64> = (start..end).collect();
            let next = (end < total).then(|| format!("c{end}"));
            let info = match at {
                CursorAt::Cursor => match next {
                    Some(c) => json!({"count": items.len().to_string(), "cursor": c}),
                    None => json!({"count": items.len().to_string()}),
                },
                CursorAt::CursorsAfter => {
                    json!({"count": items.len(), "cursors": {"after": next.unwrap_or_default(), "before": "x"}})
                }
            };
            envelope(&items, info)
        })
        .mount(&server)
        .await;
    server
}

fn logs_v2(client: &Client) -> Request<Vec<Item>> {
    Request::json(
        client,
        Method::GET,
        &[PathPart::Lit("/accounts/acc/logs/audit")],
        RESULT,
    )
}

#[tokio::test]
async fn cursor_mode_follows_result_info_cursor() {
    let server = cursor_server(2_550, CursorAt::Cursor).await;
    let request = logs_v2(&client(&server))
        .paginate(Pagination::CURSOR)
        .query_pair("limit", "100");
    walk_all(request, 2_550).await;
    let sent = requests(&server).await;
    assert_eq!(sent.len(), 26);
    assert_eq!(query(&sent[0]).get("cursor"), None);
    assert_eq!(query(&sent[25])["cursor"], "c2500");
}

#[tokio::test]
async fn cursor_mode_follows_cursors_after() {
    let server = cursor_server(2_500, CursorAt::CursorsAfter).await;
    let request = logs_v2(&client(&server))
        .paginate(Pagination::CURSOR)
        .query_pair("limit", "100");
    walk_all(request, 2_500).await;
    assert_eq!(requests(&server).await.len(), 25);

    // Inferred, not declared.
    let server = cursor_server(2_500, CursorAt::CursorsAfter).await;
    walk_all(logs_v2(&client(&server)).query_pair("limit", "100"), 2_500).await;
    assert_eq!(requests(&server).await.len(), 25);
}

/// A server sending `pages[i]` = (items, result_info) for cursor `keys[i]`.
async fn scripted_cursors(pages: Vec<(Option<&'static str>, Vec<u64>, Value)>) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(move |request: &wiremock::Request| {
            let cursor = query(request).get("cursor").cloned();
            let (_, items, info) = pages
                .iter()
                .find(|(key, _, _)| key.map(str::to_owned) == cursor)
                .expect("a cursor the script knows");
            envelope(items, info.clone())
        })
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn a_repeated_cursor_ends_the_listing() {
    // start → A → B → A: A was followed already.
    let server = scripted_cursors(vec![
        (None, vec![1], json!({"cursor": "A"})),
        (Some("A"), vec![2], json!({"cursor": "B"})),
        (Some("B"), vec![3], json!({"cursors": {"after": "A"}})),
    ])
    .await;
    let ids: Vec<u64> = logs_v2(&client(&server))
        .paginate(Pagination::CURSOR)
        .items()
        .map_ok(|i| i.id)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, [1, 2, 3]);
    assert_eq!(requests(&server).await.len(), 3);

    // A server that hands back the cursor it was given.
    let server = scripted_cursors(vec![
        (None, vec![1], json!({"cursor": "A"})),
        (Some("A"), vec![2], json!({"cursor": "A"})),
    ])
    .await;
    let n = logs_v2(&client(&server))
        .paginate(Pagination::CURSOR)
        .items()
        .count()
        .await;
    assert_eq!(n, 2);
    assert_eq!(requests(&server).await.len(), 2);

    // The cursor the caller started from counts as seen.
    let server = scripted_cursors(vec![
        (Some("A"), vec![2], json!({"cursor": "B"})),
        (Some("B"), vec![3], json!({"cursor": "A"})),
    ])
    .await;
    let n = logs_v2(&client(&server))
        .paginate(Pagination::CURSOR)
        .query_pair("cursor", "A")
        .items()
        .count()
        .await;
    assert_eq!(n, 2);
    assert_eq!(requests(&server).await.len(), 2);
}

#[tokio::test]
async fn an_empty_missing_or_null_cursor_ends_the_listing() {
    for info in [
        json!({"cursor": ""}),
        json!({"cursors": {"after": ""}}),
        json!({"cursors": {"after": null}, "cursor": null}),
        json!({"count": 1}),
        Value::Null,
    ] {
        let server = scripted_cursors(vec![(None, vec![1], info.clone())]).await;
        let n = logs_v2(&client(&server))
            .paginate(Pagination::CURSOR)
            .items()
            .count()
            .await;
        assert_eq!(n, 1, "{info}");
        assert_eq!(requests(&server).await.len(), 1, "{info}");
    }
}

#[tokio::test]
async fn an_empty_page_with_a_new_cursor_is_followed_without_being_yielded() {
    let server = scripted_cursors(vec![
        (None, vec![1], json!({"cursor": "A"})),
        (Some("A"), vec![], json!({"cursor": "B"})),
        (Some("B"), vec![2], json!({"cursor": "C"})),
        (Some("C"), vec![3], json!({})),
    ])
    .await;
    let pages: Vec<_> = logs_v2(&client(&server))
        .paginate(Pagination::CURSOR)
        .pages()
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<Vec<u64>> = pages
        .iter()
        .map(|p| p.data.iter().map(|i| i.id).collect())
        .collect();
    assert_eq!(ids, [vec![1], vec![2], vec![3]]);
    assert_eq!(requests(&server).await.len(), 4);

    // An empty first page is yielded (single-page access), and its cursor followed.
    let server = scripted_cursors(vec![
        (None, vec![], json!({"cursor": "A"})),
        (Some("A"), vec![5], json!({})),
    ])
    .await;
    let pages: Vec<_> = logs_v2(&client(&server))
        .paginate(Pagination::CURSOR)
        .pages()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 2);
    assert!(pages[0].data.is_empty());
    assert_eq!(pages[1].data, [Item { id: 5 }]);
    assert_eq!(requests(&server).await.len(), 2);
}

#[tokio::test]
async fn empty_pages_with_new_cursors_are_followed_only_up_to_the_bound() {
    // One item, then empty pages forever, each with a cursor never seen before.
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(|request: &wiremock::Request| {
            let n: u64 = query(request)
                .get("cursor")
                .map_or(0, |c| c[1..].parse().unwrap());
            let items: &[u64] = if n == 0 { &[1] } else { &[] };
            envelope(items, json!({"cursor": format!("e{}", n + 1)}))
        })
        .mount(&server)
        .await;
    let mut items = logs_v2(&client(&server))
        .paginate(Pagination::CURSOR)
        .items();
    let mut ids = Vec::new();
    while let Some(item) = items.try_next().await.unwrap() {
        ids.push(item.id);
    }
    assert_eq!(ids, [1]);
    assert_eq!(
        requests(&server).await.len() as u32,
        1 + cloudflare_client_runtime::MAX_EMPTY_PAGES
    );
    assert_eq!(items.resume_point(), None, "the listing has ended");
}

/// The ids of `items`, read until it ends.
async fn drain(items: &mut Items<Vec<Item>>) -> Vec<u64> {
    let mut ids = Vec::new();
    while let Some(item) = items.try_next().await.unwrap() {
        ids.push(item.id);
    }
    ids
}

#[tokio::test]
async fn max_pages_stops_the_listing_where_it_can_resume() {
    let server = page_server(250, Totals::All).await;
    let request = list(&client(&server))
        .paginate(Pagination::PAGE)
        .query_pair("per_page", "25");
    let mut items = request.clone().max_pages(3).items();
    let mut ids = drain(&mut items).await;
    assert!(ids.iter().copied().eq(0..75));
    assert_eq!(pages_asked(&requests(&server).await), [1, 2, 3]);
    let point = items.resume_point().expect("more pages");
    assert_eq!(point, ResumePoint::from(PageToken::Page(4)));

    ids.extend(drain(&mut request.resume(&point).items()).await);
    assert!(ids.iter().copied().eq(0..250), "lost or repeated: {ids:?}");
    assert_eq!(
        pages_asked(&requests(&server).await),
        [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
    );

    // No page at all.
    let server = page_server(250, Totals::All).await;
    let n = list(&client(&server)).max_pages(0).items().count().await;
    assert_eq!(n, 0);
    assert!(requests(&server).await.is_empty());
}

#[tokio::test]
async fn max_items_cuts_the_last_page_and_resumes_inside_it() {
    let server = cursor_server(2_550, CursorAt::Cursor).await;
    let request = logs_v2(&client(&server))
        .paginate(Pagination::CURSOR)
        .query_pair("limit", "100");

    // Pages: the second page is cut to 50 items, and no third is asked for.
    let mut pages = request.clone().max_items(150).pages();
    let mut sizes = Vec::new();
    while let Some(page) = pages.try_next().await.unwrap() {
        sizes.push(page.data.len());
    }
    assert_eq!(sizes, [100, 50]);
    assert_eq!(requests(&server).await.len(), 2);
    let point = pages.resume_point().unwrap();
    assert_eq!(
        point,
        ResumePoint {
            page: Some(PageToken::Cursor("c100".into())),
            skip: 50
        }
    );

    // Items: the same bound, then the rest from the saved point.
    let mut items = request.clone().max_items(150).items();
    let mut ids = drain(&mut items).await;
    assert!(ids.iter().copied().eq(0..150));
    assert_eq!(items.resume_point(), Some(point.clone()));
    ids.extend(drain(&mut request.resume(&point).items()).await);
    assert!(ids.iter().copied().eq(0..2_550), "lost or repeated items");
}

#[tokio::test]
async fn a_listing_resumes_from_a_saved_cursor_in_the_middle_of_a_page() {
    let server = cursor_server(1_000, CursorAt::CursorsAfter).await;
    let request = logs_v2(&client(&server))
        .paginate(Pagination::CURSOR)
        .query_pair("limit", "100");
    // A first run reads 237 items, saves where it stood, and stops.
    let mut items = request.clone().items();
    let mut ids = Vec::new();
    for _ in 0..237 {
        ids.push(items.try_next().await.unwrap().unwrap().id);
    }
    let saved = serde_json::to_string(&items.resume_point().unwrap()).unwrap();
    drop(items);
    // A second run picks it up from the saved text.
    let point: ResumePoint = serde_json::from_str(&saved).unwrap();
    assert_eq!(point.page, Some(PageToken::Cursor("c200".into())));
    assert_eq!(point.skip, 37);
    ids.extend(drain(&mut request.resume(&point).items()).await);
    assert!(ids.iter().copied().eq(0..1_000), "lost or repeated items");
    let sent = requests(&server).await;
    assert_eq!(
        query(&sent[3])["cursor"],
        "c200",
        "the page in progress is asked again"
    );
    assert_eq!(sent.len(), 3 + 8);
}

#[tokio::test]
async fn a_listing_resumes_from_a_saved_page_number() {
    let server = page_server(230, Totals::None).await;
    let request = list(&client(&server))
        .paginate(Pagination::PAGE)
        .query_pair("per_page", "25");
    // By page: two pages, then the rest.
    let mut pages = request.clone().pages();
    let mut ids = Vec::new();
    for _ in 0..2 {
        let page = pages.next().await.unwrap().unwrap();
        ids.extend(page.data.iter().map(|i| i.id));
    }
    let point = pages.resume_point().unwrap();
    assert_eq!(point, ResumePoint::from(PageToken::Page(3)));
    ids.extend(drain(&mut request.clone().resume(&point).items()).await);
    assert!(ids.iter().copied().eq(0..230), "lost or repeated items");

    // By item, in the middle of page 2.
    let mut items = request.clone().items();
    let mut ids = Vec::new();
    for _ in 0..30 {
        ids.push(items.try_next().await.unwrap().unwrap().id);
    }
    let point = items.resume_point().unwrap();
    assert_eq!(
        point,
        ResumePoint {
            page: Some(PageToken::Page(2)),
            skip: 5
        }
    );
    ids.extend(drain(&mut request.clone().resume(&point).items()).await);
    assert!(ids.iter().copied().eq(0..230), "lost or repeated items");

    // A cursor cannot resume a listing declared to page by number.
    let wrong = ResumePoint::from(PageToken::Cursor("c1".into()));
    let err = request.resume(&wrong).items().try_next().await.unwrap_err();
    assert!(matches!(err, Error::InvalidRequest { .. }), "{err:?}");
}

#[tokio::test]
async fn pages_and_items_are_named_streams_polled_without_pinning() {
    fn assert_unpin_send_static<S: futures::Stream + Unpin + Send + 'static>(_: &S) {}
    // Whatever the item type, even one that is not `Unpin` itself.
    fn for_any<T: serde::de::DeserializeOwned + Send + 'static>(request: Request<Vec<T>>) {
        assert_unpin_send_static::<Pages<Vec<T>>>(&request.clone().pages());
        assert_unpin_send_static::<Items<Vec<T>>>(&request.items());
    }
    let server = page_server(30, Totals::All).await;
    for_any(list(&client(&server)));

    // Kept in a struct and moved to another task, then polled in place.
    struct Export {
        pages: Pages<Vec<Item>>,
    }
    let export = Export {
        pages: list(&client(&server)).pages(),
    };
    let sizes = tokio::spawn(async move {
        let mut export = export;
        let mut sizes = Vec::new();
        while let Some(page) = export.pages.next().await {
            sizes.push(page.unwrap().data.len());
        }
        sizes
    })
    .await
    .unwrap();
    assert_eq!(sizes, [25, 5]);
}

#[tokio::test]
async fn counts_as_numeric_strings() {
    let info = ResultInfo::from_value(json!({
        "page": "2", "per_page": "100", "count": "100", "total_count": " 250 ", "total_pages": "3",
        "cursor": 17,
    }))
    .unwrap();
    assert_eq!(
        (
            info.page,
            info.per_page,
            info.count,
            info.total_count,
            info.total_pages
        ),
        (Some(2), Some(100), Some(100), Some(250), Some(3))
    );
    assert_eq!(info.next_cursor(), Some("17"));
    // Not a count: kept verbatim in `extra`, never an error.
    let info = ResultInfo::from_value(json!({"count": "many", "page": -1})).unwrap();
    assert_eq!(info.count, None);
    assert_eq!(info.extra["count"], "many");
    assert_eq!(info.extra["page"], -1);

    // A walk over a server that sends every number as a string.
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(|request: &wiremock::Request| {
            let page: u64 = query(request).get("page").map_or(1, |p| p.parse().unwrap());
            let items: Vec<u64> = ((page - 1) * 100..(page * 100).min(250)).collect();
            envelope(
                &items,
                json!({"page": page.to_string(), "per_page": "100", "count": items.len().to_string(),
                       "total_count": "250", "total_pages": "3"}),
            )
        })
        .mount(&server)
        .await;
    walk_all(
        list(&client(&server))
            .paginate(Pagination::PAGE)
            .query_pair("per_page", "100"),
        250,
    )
    .await;
    assert_eq!(requests(&server).await.len(), 3);
}

#[tokio::test]
async fn later_pages_keep_the_query_in_place() {
    let server = page_server(250, Totals::All).await;
    let _: Vec<_> = list(&client(&server))
        .paginate(Pagination::PAGE)
        .query_pair("actor.email", "a@example.com")
        .query_pair("page", "1")
        .query_pair("per_page", "100")
        .items()
        .try_collect()
        .await
        .unwrap();
    let queries: Vec<String> = requests(&server)
        .await
        .iter()
        .map(|r| r.url.query().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(
        queries,
        [
            "actor.email=a%40example.com&page=1&per_page=100",
            "actor.email=a%40example.com&page=2&per_page=100",
            "actor.email=a%40example.com&page=3&per_page=100",
        ]
    );
}

#[tokio::test]
async fn an_error_mid_listing_ends_the_stream_after_it() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::query_param("page", "2"))
        .respond_with(ResponseTemplate::new(400).set_body_json(
            json!({"success": false, "errors": [{"code": 1001, "message": "bad page"}]}),
        ))
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(wiremock::matchers::any())
        .respond_with(envelope(
            &[1, 2],
            json!({"page": 1, "per_page": 2, "total_pages": 5}),
        ))
        .mount(&server)
        .await;
    let results: Vec<Result<_, Error>> = list(&client(&server))
        .paginate(Pagination::PAGE)
        .query_pair("per_page", "2")
        .pages()
        .collect()
        .await;
    assert_eq!(results.len(), 2);
    assert!(results[0].is_ok());
    assert_eq!(results[1].as_ref().unwrap_err().codes(), [1001]);
    assert_eq!(requests(&server).await.len(), 2);
}
