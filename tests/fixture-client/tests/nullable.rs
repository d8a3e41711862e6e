//! Values the docs let be `null` (`nullable.md`, whose overlay says `{"*nullable*": …}`),
//! decoded exactly from a wiremock server on 127.0.0.1: data that is `null` or absent is
//! `None` without a warning, strict mode included; array elements and map values that are
//! `null` are `None` in place, and written back as `null`; a listing's page that is `null`
//! holds no items. Where the docs do not say so, a `null` element is
//! still drift.

use std::collections::BTreeMap;

use fixture_client::nullable::{
    GetPageSettingsResponse, ListHostnamesItem, ListHostnamesItemEnvValue, ListHostnamesParams,
};
use fixture_client::{Client, Error};
use futures::TryStreamExt;
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const SETTINGS: &str = "/zones/z/page_settings";
const HOSTNAMES: &str = "/zones/z/hostnames";

fn envelope(body: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(body)
}

async fn serve(route: &str, body: Value) -> (MockServer, Client) {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(route))
        .respond_with(envelope(body))
        .mount(&server)
        .await;
    let client = client(&server, false);
    (server, client)
}

fn client(server: &MockServer, strict: bool) -> Client {
    Client::builder()
        .base_url(server.uri())
        .api_token("token")
        .max_retries(0)
        .strict(strict)
        .build()
        .unwrap()
}

#[tokio::test]
async fn data_that_is_null_or_absent_is_none_without_a_warning_in_either_mode() {
    for body in [
        json!({"success": true, "errors": [], "messages": [], "result": null}),
        json!({"success": true, "errors": [], "messages": []}),
    ] {
        let (server, lenient) = serve(SETTINGS, body.clone()).await;
        for client in [lenient, client(&server, true)] {
            let response = client
                .nullable()
                .get_page_settings("z")
                .send()
                .await
                .unwrap();
            assert_eq!(response.data, None, "{body}");
            assert!(response.warnings.is_empty(), "{:?}", response.warnings);
        }
    }
}

#[tokio::test]
async fn data_that_is_an_object_is_some() {
    let result = json!({"enabled": true, "script_hosts": ["cdn.example.com"]});
    let (_server, client) = serve(
        SETTINGS,
        json!({"success": true, "errors": [], "messages": [], "result": result}),
    )
    .await;
    let response = client
        .nullable()
        .get_page_settings("z")
        .send()
        .await
        .unwrap();
    assert!(response.warnings.is_empty(), "{:?}", response.warnings);
    let settings: GetPageSettingsResponse = response.data.expect("settings");
    assert_eq!(settings.enabled, Some(true));
    assert_eq!(
        settings.script_hosts,
        Some(vec!["cdn.example.com".to_owned()])
    );
    assert_eq!(serde_json::to_value(&settings).unwrap(), result);
}

fn hostname() -> Value {
    json!({
        "name": "a.example.com",
        "aliases": ["b.example.com", null],
        "env": {"PLAIN": {"value": "1", "secret": false}, "UNSET": null},
    })
}

#[tokio::test]
async fn null_elements_and_map_values_are_none_and_written_back_as_null() {
    let result = json!([hostname()]);
    let body = json!({"success": true, "errors": [], "messages": [], "result": result});
    let (server, lenient) = serve(HOSTNAMES, body).await;
    for client in [lenient, client(&server, true)] {
        let response = client
            .nullable()
            .list_hostnames("z", &ListHostnamesParams::new())
            .send()
            .await
            .unwrap();
        assert!(response.warnings.is_empty(), "{:?}", response.warnings);
        let hostnames = response.data.expect("a page of hostnames");
        let [host]: [ListHostnamesItem; 1] = hostnames.clone().try_into().unwrap();
        assert_eq!(
            host.aliases,
            Some(vec![Some("b.example.com".to_owned()), None])
        );
        let plain = ListHostnamesItemEnvValue {
            value: Some("1".to_owned()),
            secret: Some(false),
            ..Default::default()
        };
        let env = BTreeMap::from([
            ("PLAIN".to_owned(), Some(plain)),
            ("UNSET".to_owned(), None),
        ]);
        assert_eq!(host.env, Some(env));
        assert_eq!(serde_json::to_value(&hostnames).unwrap(), result);
    }
}

#[tokio::test]
async fn a_value_of_another_type_beside_nulls_is_still_drift() {
    let mut drifted = hostname();
    drifted["aliases"] = json!([null, 7]);
    let body = json!({"success": true, "errors": [], "messages": [], "result": [drifted]});
    let (server, lenient) = serve(HOSTNAMES, body).await;
    let response = lenient
        .nullable()
        .list_hostnames("z", &ListHostnamesParams::new())
        .send()
        .await
        .unwrap();
    let hostnames = response.data.expect("a page of hostnames");
    assert_eq!(hostnames[0].aliases, None);
    assert_eq!(hostnames[0].extra.get("aliases"), Some(&json!([null, 7])));
    let paths: Vec<&str> = response.warnings.iter().map(|w| w.path.as_str()).collect();
    assert_eq!(paths, ["result[0].aliases"]);
    let strict = client(&server, true)
        .nullable()
        .list_hostnames("z", &ListHostnamesParams::new())
        .send()
        .await;
    assert!(matches!(strict, Err(Error::Decode { .. })), "{strict:?}");
}

/// Hostnames by page number, one a page: `pages[i]` is the `result` of page `i + 1`.
async fn listing(pages: Vec<Value>) -> MockServer {
    let server = MockServer::start().await;
    let total = pages.len();
    Mock::given(method("GET"))
        .and(path(HOSTNAMES))
        .respond_with(move |request: &wiremock::Request| {
            let page: usize = request
                .url
                .query_pairs()
                .find(|(k, _)| k == "page")
                .map_or(1, |(_, v)| v.parse().unwrap());
            envelope(json!({
                "success": true, "errors": [], "messages": [], "result": pages[page - 1],
                "result_info": {"page": page, "per_page": 1, "total_pages": total},
            }))
        })
        .mount(&server)
        .await;
    server
}

/// Strict mode: a page whose `result` is `null` holds no items and is no drift; as an empty
/// page does, it ends a listing by page numbers (see `runtime::Request::pages`).
#[tokio::test]
async fn a_listing_page_that_is_null_holds_no_items() {
    for (pages, expected) in [
        (vec![Value::Null], vec![]),
        (
            vec![json!([hostname()]), Value::Null],
            vec![Some("a.example.com".to_owned())],
        ),
    ] {
        let server = listing(pages).await;
        let names: Vec<Option<String>> = client(&server, true)
            .nullable()
            .list_hostnames("z", &ListHostnamesParams::new().per_page(1))
            .items()
            .map_ok(|host| host.name)
            .try_collect()
            .await
            .unwrap();
        assert_eq!(names, expected);
    }
}
