//! Drift is never unseen on listings (issue 13): the decode warnings of a whole listing walked
//! with `.items()` reach the caller through a `Warnings` handle, each page's through
//! `.pages()`, and strict mode still makes drift an error. Against wiremock on 127.0.0.1.
//! (The once-per-kind log line is checked in `drift_log.rs`, its own test binary.)

use cloudflare_client::audit_logs::ListAccountAuditLogsV2Params as Params;
use cloudflare_client::runtime::{LISTING_WARNINGS_KEPT, Warnings};
use cloudflare_client::{Client, Error};
use futures::{StreamExt, TryStreamExt};
use serde_json::{Value, json};
use wiremock::matchers::{path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[path = "support/mock_api.rs"]
mod mock_api;
use mock_api::client_for;

const ACCOUNT: &str = "023e105f4ecef8ad9ca31a8372d0c353";
const V2: &str = "/client/v4/accounts/023e105f4ecef8ad9ca31a8372d0c353/logs/audit";
const PAGES: usize = 3;
const PER_PAGE: usize = 40;

/// A v2 item whose `raw.status_code` (documented an integer) arrives as a string, with a key
/// the docs do not list; `resource.scope` (documented `{}`) is a string, as the live API sends
/// it, which `{}` accepts.
fn drifted_item(id: usize) -> Value {
    json!({
        "id": format!("v2-{id}"),
        "action": {"result": "success", "type": "create"},
        "raw": {"method": "GET", "status_code": "200", "uri": "/accounts"},
        "resource": {"id": format!("r-{id}"), "product": "members", "scope": "accounts", "type": "type"},
        "undocumented": {"since": id},
    })
}

/// Three cursor pages of drifted items: `c1`, `c2`, then the end.
async fn drifted_server() -> MockServer {
    let server = MockServer::start().await;
    for page in 0..PAGES {
        let items: Vec<Value> = (page * PER_PAGE..(page + 1) * PER_PAGE)
            .map(drifted_item)
            .collect();
        let info = if page + 1 < PAGES {
            json!({"count": PER_PAGE, "cursor": format!("c{}", page + 1)})
        } else {
            json!({"count": PER_PAGE})
        };
        let body = json!({"success": true, "errors": [], "messages": [], "result": items, "result_info": info});
        let mock = Mock::given(path(V2));
        let mock = if page == 0 {
            mock.and(query_param_is_missing("cursor"))
        } else {
            mock.and(query_param("cursor", format!("c{page}")))
        };
        mock.respond_with(ResponseTemplate::new(200).set_body_json(body))
            .mount(&server)
            .await;
    }
    server
}

fn client(server: &MockServer, strict: bool) -> Client {
    client_for(server)
        .max_retries(0)
        .strict(strict)
        .build()
        .unwrap()
}

fn params() -> Params {
    Params::new().since("2024-10-30").before("2024-10-31")
}

#[tokio::test]
async fn warnings_of_a_listing_are_visible_from_items() {
    let server = drifted_server().await;
    let client = client(&server, false);
    let warnings = Warnings::new();
    let items: Vec<_> = client
        .audit_logs()
        .list_account_audit_logs_v2(ACCOUNT, &params())
        .record_warnings(&warnings)
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items.len(), PAGES * PER_PAGE);
    // The rest of each item decodes; the drifted field reads as absent and its value stays
    // reachable from the item, as do keys the docs do not list.
    let item = &items[PER_PAGE + 1];
    let resource = item.resource.as_ref().unwrap();
    assert_eq!(resource.id.as_deref(), Some("r-41"));
    assert_eq!(
        resource.scope,
        Some(json!("accounts")),
        "`{{}}` accepts any value"
    );
    let raw = item.raw.as_ref().unwrap();
    assert_eq!(
        (raw.status_code, raw.method.as_deref()),
        (None, Some("GET"))
    );
    assert_eq!(
        raw.extra.drifted().collect::<Vec<_>>(),
        [("status_code", &json!("200"))]
    );
    assert_eq!(
        item.extra.unknown().get("undocumented"),
        Some(&json!({"since": 41}))
    );
    assert!(resource.extra.is_empty());
    // Re-encoding an item gives back what arrived.
    assert_eq!(
        serde_json::to_value(item).unwrap(),
        drifted_item(PER_PAGE + 1)
    );

    assert_eq!(warnings.total(), (PAGES * PER_PAGE) as u64);
    let kept = warnings.to_vec();
    assert_eq!(kept.len(), PAGES * PER_PAGE);
    assert_eq!(kept[0].path, "result[0].raw.status_code");
    assert_eq!(kept[0].raw, json!("200"));
    let kinds = warnings.kinds();
    assert_eq!(kinds.len(), 1, "{kinds:?}");
    assert_eq!(kinds[0].path, "result[*].raw.status_code");
    assert_eq!(
        (kinds[0].expected.as_str(), kinds[0].found),
        ("i64", "string")
    );
    assert_eq!(kinds[0].count, (PAGES * PER_PAGE) as u64);
    assert!(kinds[0].to_string().contains("result[*].raw.status_code"));

    // A bounded handle keeps the first warnings in full and still counts every one.
    let bounded = Warnings::with_limit(5);
    let n = client
        .audit_logs()
        .list_account_audit_logs_v2(ACCOUNT, &params())
        .record_warnings(&bounded)
        .items()
        .count()
        .await;
    assert_eq!(n, PAGES * PER_PAGE);
    assert_eq!(bounded.to_vec().len(), 5);
    assert_eq!(bounded.total(), (PAGES * PER_PAGE) as u64);
    // Past the limit the values are counted by kind, not built into warnings.
    assert_eq!(bounded.kinds(), kinds);
    assert!(bounded.to_vec().iter().all(|w| w.raw == json!("200")));
}

#[tokio::test]
async fn items_sum_up_their_warnings_without_a_handle_attached() {
    let server = drifted_server().await;
    let client = client(&server, false);
    let mut items = client
        .audit_logs()
        .list_account_audit_logs_v2(ACCOUNT, &params())
        .items();
    let first = items.try_next().await.unwrap().unwrap();
    assert_eq!(first.id.as_deref(), Some("v2-0"));
    assert_eq!(
        items.warnings().total(),
        PER_PAGE as u64,
        "the first page's, while the listing runs"
    );
    let mut n = 1;
    while items.try_next().await.unwrap().is_some() {
        n += 1;
    }
    assert_eq!(n, PAGES * PER_PAGE);
    let warnings = items.warnings().clone();
    drop(items);
    const { assert!(PAGES * PER_PAGE > LISTING_WARNINGS_KEPT) };
    assert_eq!(warnings.total(), (PAGES * PER_PAGE) as u64);
    let kept = warnings.to_vec();
    assert_eq!(kept.len(), LISTING_WARNINGS_KEPT, "the first ones, in full");
    assert_eq!(kept[0].path, "result[0].raw.status_code");
    assert_eq!(kept[PER_PAGE].path, "result[0].raw.status_code", "page 2");
    assert_eq!(kept[PER_PAGE].raw, json!("200"));
    assert_eq!(
        kept[LISTING_WARNINGS_KEPT - 1].path,
        format!(
            "result[{}].raw.status_code",
            LISTING_WARNINGS_KEPT % PER_PAGE - 1
        ),
        "the last one kept, on the page where the room ran out"
    );
    assert_eq!(kept[LISTING_WARNINGS_KEPT - 1].raw, json!("200"));
    let kinds = warnings.kinds();
    assert_eq!(kinds.len(), 1, "{kinds:?}");
    assert_eq!(
        (kinds[0].path.as_str(), kinds[0].count),
        ("result[*].raw.status_code", (PAGES * PER_PAGE) as u64)
    );

    // `pages()` sums up too, beside each page's own warnings.
    let mut pages = client
        .audit_logs()
        .list_account_audit_logs_v2(ACCOUNT, &params())
        .pages();
    while let Some(page) = pages.try_next().await.unwrap() {
        assert_eq!(page.warnings.len(), PER_PAGE);
    }
    assert_eq!(pages.warnings().total(), (PAGES * PER_PAGE) as u64);
    assert_eq!(pages.warnings().to_vec().len(), LISTING_WARNINGS_KEPT);
    assert_eq!(pages.warnings().kinds(), kinds);
}

#[tokio::test]
async fn a_conforming_listing_sums_up_to_no_warnings() {
    let server = MockServer::start().await;
    let body = json!({"success": true, "errors": [], "messages": [],
        "result": [{"id": "a", "raw": {"status_code": 200}}], "result_info": {"count": 1}});
    Mock::given(path(V2))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(&server)
        .await;
    let mut items = client(&server, false)
        .audit_logs()
        .list_account_audit_logs_v2(ACCOUNT, &params())
        .items();
    assert!(items.try_next().await.unwrap().is_some());
    assert!(items.try_next().await.unwrap().is_none());
    assert!(items.warnings().is_empty());
    assert!(items.warnings().kinds().is_empty());
}

#[tokio::test]
async fn each_page_of_pages_carries_its_warnings_and_the_handle_sees_them_as_they_come() {
    let server = drifted_server().await;
    let client = client(&server, false);
    let warnings = Warnings::new();
    let mut pages = client
        .audit_logs()
        .list_account_audit_logs_v2(ACCOUNT, &params())
        .record_warnings(&warnings)
        .pages();
    let mut seen = 0;
    while let Some(page) = pages.try_next().await.unwrap() {
        seen += 1;
        assert_eq!(page.warnings.len(), PER_PAGE);
        assert_eq!(warnings.total(), (seen * PER_PAGE) as u64, "so far");
    }
    assert_eq!(seen, PAGES);
}

#[tokio::test]
async fn strict_mode_still_turns_drift_into_an_error() {
    let server = drifted_server().await;
    let client = client(&server, true);
    let warnings = Warnings::new();
    let results: Vec<_> = client
        .audit_logs()
        .list_account_audit_logs_v2(ACCOUNT, &params())
        .record_warnings(&warnings)
        .items()
        .collect()
        .await;
    assert_eq!(results.len(), 1, "the stream ends after the error");
    match &results[0] {
        Err(Error::Decode { path, .. }) => assert_eq!(path, "result[0].raw.status_code"),
        other => panic!("expected a decode error, got {other:?}"),
    }
    assert!(warnings.is_empty());
}
