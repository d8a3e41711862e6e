//! The generated mock tables (`fixture_client::mock`, feature `mock`) as a user's test meets
//! them: one call starts a local API of every fixture endpoint on 127.0.0.1, the generated
//! methods call it over HTTP, and it answers the documented data, checks what the docs
//! require, takes typed data and faults, and records the requests.

use fixture_client::bodies::{
    CreateRecordBody, CreateRecordBodyType, CreateRouteBody, CreateRouteBodyIpRoute,
    UpdateRecordBody,
};
use fixture_client::list_in_result::{ListImagesParams, ListImagesResponseImages};
use fixture_client::mock::{self, CODE_INVALID, Fault, Times};
use fixture_client::params::{ListWidgetsItem, ListWidgetsItemKind, ListWidgetsParams};
use fixture_client::runtime::Method;
use fixture_client::{Client, Error};
use futures::TryStreamExt;
use serde_json::{Value, json};

#[tokio::test]
async fn serves_every_generated_endpoint_from_its_docs() {
    let server = mock::start().await.expect("starts");
    let names: Vec<&str> = mock::endpoints().iter().map(|e| e.name).collect();
    assert!(names.contains(&"params::list_widgets"), "{names:?}");
    assert!(names.contains(&"bodies::create_record"), "{names:?}");
    assert_eq!(
        mock::params::LIST_WIDGETS.template,
        "/accounts/{account_id}/widgets"
    );

    // The documented data, synthesized from the docs' shape, decodes as the docs say.
    let client: Client = server.client();
    let params = ListWidgetsParams::new().since("2024-01-01");
    let response = client
        .params()
        .list_widgets("acc", &params)
        .send()
        .await
        .expect("lists");
    assert!(response.warnings.is_empty(), "{:?}", response.warnings);
    assert_eq!(response.data.len(), 1);
    assert_eq!(response.data[0].id.as_deref(), Some("string"));
    assert_eq!(response.data[0].kind, Some(ListWidgetsItemKind::Small));
    let recorded = server.requests_to(&mock::params::LIST_WIDGETS);
    assert_eq!(recorded.len(), 1);
    // One item by default: one page.
    let items: Vec<ListWidgetsItem> = client
        .params()
        .list_widgets("acc", &params)
        .items()
        .try_collect()
        .await
        .expect("lists");
    assert_eq!(items.len(), 1);
    assert_eq!(recorded[0].path, "/accounts/acc/widgets");
    assert_eq!(
        recorded[0].query,
        [("since".to_owned(), "2024-01-01".to_owned())]
    );
}

#[tokio::test]
async fn answers_typed_data_the_test_sets() {
    let server = mock::start().await.expect("starts");
    let widget = ListWidgetsItem {
        id: Some("w-1".to_owned()),
        kind: Some(ListWidgetsItemKind::Large),
        ..ListWidgetsItem::default()
    };
    server.respond(&mock::params::LIST_WIDGETS, vec![widget.clone()]);
    let client: Client = server.client();
    let params = ListWidgetsParams::new().since("2024-01-01");
    let response = client
        .params()
        .list_widgets("acc", &params)
        .send()
        .await
        .expect("lists");
    assert_eq!(response.data, [widget]);
}

#[tokio::test]
async fn refuses_what_the_docs_do_not_allow_naming_it() {
    let server = mock::start().await.expect("starts");
    let client: Client = server.client();
    // The generated methods cannot send these; a hand-made call can.
    let missing = client
        .request::<Value>(
            Method::GET,
            "/accounts/{account_id}/widgets",
            &[("account_id", "acc")],
        )
        .send()
        .await
        .expect_err("`since` is required");
    assert_eq!(missing.status().map(|s| s.as_u16()), Some(400));
    assert_eq!(missing.codes(), [CODE_INVALID]);
    assert_eq!(
        missing.api_errors()[0].message,
        "the required query parameter `since` is missing"
    );
    let wrong = client
        .request::<Value>(
            Method::GET,
            "/accounts/{account_id}/widgets",
            &[("account_id", "acc")],
        )
        .query_pair("since", "2024")
        .query_pair("type", "medium")
        .send()
        .await
        .expect_err("`type` is small or large");
    assert_eq!(
        wrong.api_errors()[0].message,
        "the query parameter `type` must be one of `small`, `large`, not `medium`"
    );
    let body = client
        .request::<Value>(
            Method::POST,
            "/zones/{zone_id}/records",
            &[("zone_id", "z")],
        )
        .json_body(&json!({"type": "A"}))
        .send()
        .await
        .expect_err("`name` is required");
    assert_eq!(
        body.api_errors()[0].message,
        "the required body field `/name` is missing"
    );
    let unknown = client
        .request::<Value>(Method::GET, "/zones/{zone_id}/nowhere", &[("zone_id", "z")])
        .send()
        .await
        .expect_err("no such endpoint");
    assert_eq!(unknown.status().map(|s| s.as_u16()), Some(404));
}

#[tokio::test]
async fn a_typed_body_is_recorded_as_sent_and_a_rate_limit_retried() {
    let server = mock::start().await.expect("starts");
    server.fail(
        &mock::bodies::CREATE_RECORD,
        Fault::RateLimited {
            retry_after: std::time::Duration::from_millis(20),
        },
        Times::Once,
    );
    let client: Client = server
        .client_builder::<Client>()
        .retry_non_idempotent(true)
        .build()
        .expect("builds");
    let body = CreateRecordBody::new()
        .type_(CreateRecordBodyType::A)
        .name("example.com");
    let created = client
        .bodies()
        .create_record("z", &body)
        .send()
        .await
        .expect("created after one 429");
    assert_eq!(created.attempts, 2);
    let sent = server.requests_to(&mock::bodies::CREATE_RECORD);
    let statuses: Vec<u16> = sent.iter().map(|r| r.status).collect();
    assert_eq!(statuses, [429, 200]);
    assert_eq!(
        sent[1].json(),
        Some(json!({"type": "A", "name": "example.com"}))
    );
    // Without retries, the fault is the caller's error.
    server.fail(
        &mock::bodies::CREATE_RECORD,
        Fault::Status(503),
        Times::Once,
    );
    let error = client
        .bodies()
        .create_record("z", &body)
        .max_retries(0)
        .send()
        .await
        .expect_err("503");
    assert!(matches!(error, Error::Api { .. }), "{error:?}");
}

#[tokio::test]
async fn listings_page_as_their_endpoints_do_and_lose_nothing() {
    let server = mock::start().await.expect("starts");
    let client: Client = server.client();
    let widgets: Vec<ListWidgetsItem> = (0..45)
        .map(|n| ListWidgetsItem {
            id: Some(format!("w-{n}")),
            ..ListWidgetsItem::default()
        })
        .collect();
    server.respond(&mock::params::LIST_WIDGETS, &widgets);
    let params = ListWidgetsParams::new().since("2024-01-01");
    let listed: Vec<ListWidgetsItem> = client
        .params()
        .list_widgets("acc", &params)
        .items()
        .try_collect()
        .await
        .expect("lists");
    assert_eq!(listed, widgets);
    // Pages of mock::PAGE_SIZE, numbered from 1.
    let pages: Vec<Option<String>> = server
        .requests_to(&mock::params::LIST_WIDGETS)
        .iter()
        .map(|r| {
            r.query
                .iter()
                .find(|(n, _)| n == "page")
                .map(|(_, v)| v.clone())
        })
        .collect();
    assert_eq!(pages.len(), 45usize.div_ceil(mock::PAGE_SIZE), "{pages:?}");

    // Items in an array field of the result (`result.images`), the page size asked for.
    let images: Vec<ListImagesResponseImages> = (0..7)
        .map(|n| ListImagesResponseImages {
            id: Some(format!("img-{n}")),
            ..ListImagesResponseImages::default()
        })
        .collect();
    server.respond(
        &mock::list_in_result::LIST_IMAGES,
        json!({ "images": images }),
    );
    let listed: Vec<ListImagesResponseImages> = client
        .list_in_result()
        .list_images("acc", &ListImagesParams::new().per_page(3))
        .items()
        .try_collect()
        .await
        .expect("lists");
    assert_eq!(listed, images);
    assert_eq!(
        server.requests_to(&mock::list_in_result::LIST_IMAGES).len(),
        3
    );
}

#[tokio::test]
async fn what_a_test_creates_it_can_change_and_a_missing_id_is_404() {
    let server = mock::start().await.expect("starts");
    let client: Client = server.client();
    let body = CreateRecordBody::new()
        .type_(CreateRecordBodyType::A)
        .name("example.com");
    let created = client
        .bodies()
        .create_record("z", &body)
        .send()
        .await
        .expect("creates");
    let id = created.data.id.clone().expect("a new id");
    assert_eq!(id, format!("{:032x}", 1));
    let update = UpdateRecordBody::new()
        .type_(CreateRecordBodyType::A)
        .name("www.example.com");
    client
        .bodies()
        .update_record("z", &id, &update)
        .send()
        .await
        .expect("updates what it created");
    let error = client
        .bodies()
        .update_record("z", "no-such-id", &update)
        .send()
        .await
        .expect_err("nothing to update");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(404));
    assert_eq!(error.codes(), [mock::CODE_NO_ROUTE]);
}

#[tokio::test]
async fn checks_bodies_inside_objects_arrays_maps_and_variants() {
    let server = mock::start().await.expect("starts");
    let client: Client = server.client();
    let send = |method: Method, path: &'static str, body: Value| {
        client
            .request::<Value>(method, path, &[("zone_id", "z")])
            .json_body(&body)
    };
    let refused = |error: Error| {
        let first = error.api_errors().first().expect("an API error");
        (
            error.status().map(|s| s.as_u16()),
            first.message.clone(),
            serde_json::to_value(&first.source).expect("serializes"),
        )
    };
    // Inside an object: a field of another type, named by its pointer.
    let error = send(
        Method::POST,
        "/zones/{zone_id}/records",
        json!({"type": "A", "name": "a", "ttl": "auto"}),
    )
    .send()
    .await
    .expect_err("ttl is an integer");
    assert_eq!(
        refused(error),
        (
            Some(400),
            "the body field `/ttl` must be an integer, not the string `auto`".to_owned(),
            json!({"pointer": "/ttl"})
        )
    );
    // Inside an array of objects, and an enum's documented values.
    let error = send(
        Method::POST,
        "/zones/{zone_id}/records",
        json!({"type": "A", "name": "a", "rules": [{"action": "allow"}, {"action": "deny"}]}),
    )
    .send()
    .await
    .expect_err("deny is not documented");
    assert_eq!(
        refused(error).1,
        "the body field `/rules/1/action` must be one of `allow`, `block`, not the string `deny`"
    );
    // `null` where the docs allow it, and nowhere else.
    send(
        Method::POST,
        "/zones/{zone_id}/records",
        json!({"type": "A", "name": "a", "comment": null}),
    )
    .send()
    .await
    .expect("comment may be null");
    // A body that is an array, and one that is a map.
    let error = send(
        Method::PUT,
        "/zones/{zone_id}/pairs",
        json!([{"key": "k", "value": "v"}, {"key": "k2"}]),
    )
    .send()
    .await
    .expect_err("value is required");
    assert_eq!(refused(error).2, json!({"pointer": "/1/value"}));
    let error = send(
        Method::PATCH,
        "/zones/{zone_id}/operations",
        json!({"purge": {"state": "on"}, "cache": {"state": 1}}),
    )
    .send()
    .await
    .expect_err("state is text");
    assert_eq!(refused(error).2, json!({"pointer": "/cache/state"}));
    // A body of several variants: checked as the one its tag names.
    send(
        Method::POST,
        "/zones/{zone_id}/routes",
        json!({"kind": "hostname", "hostname": "example.com"}),
    )
    .send()
    .await
    .expect("a hostname route");
    let error = send(
        Method::POST,
        "/zones/{zone_id}/routes",
        json!({"kind": "ip", "hostname": "example.com"}),
    )
    .send()
    .await
    .expect_err("an ip route needs its address");
    assert_eq!(
        refused(error).1,
        "the required body field `/address` is missing (as the variant `IP route`)"
    );
    // What the generated methods send passes: the typed body of a union's variant.
    let body = CreateRouteBody::from(CreateRouteBodyIpRoute::new().address("192.0.2.1"));
    client
        .bodies()
        .create_route("z", &body)
        .send()
        .await
        .expect("the typed body is the documented shape");
}
