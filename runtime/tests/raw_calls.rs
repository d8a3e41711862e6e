//! `client.request(..)` / `client.get(..)`: calls to any path, with the same auth, retries,
//! envelope and errors as the generated endpoints, against wiremock servers on 127.0.0.1.

use std::time::Duration;

use cloudflare_client_runtime::DataAt;
use cloudflare_client_runtime::Method;
use cloudflare_client_runtime::{Client, Error};
use futures::TryStreamExt;
use serde::Deserialize;
use serde_json::{Value, json};
use wiremock::matchers::{any, body_json, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[path = "support/mock_api.rs"]
mod mock_api;
use mock_api::{client_for, envelope};

fn client(server: &MockServer) -> Client {
    client_for(server)
        .initial_backoff(Duration::from_millis(1))
        .build()
        .unwrap()
}

#[derive(Debug, Deserialize, PartialEq)]
struct Rule {
    id: String,
}

#[tokio::test]
async fn path_parameters_are_percent_encoded_as_one_segment() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(envelope(json!({"id": "r1"})))
        .mount(&server)
        .await;
    let rule: Rule = client(&server)
        .get(
            "/accounts/{account_id}/rulesets/{ruleset_id}",
            &[("account_id", "acc/../x y"), ("ruleset_id", "ü?#%")],
        )
        .send()
        .await
        .unwrap()
        .into_data();
    assert_eq!(rule, Rule { id: "r1".into() });
    let sent = server.received_requests().await.unwrap();
    assert_eq!(sent.len(), 1);
    assert_eq!(
        sent[0].url.path(),
        "/client/v4/accounts/acc%2F..%2Fx%20y/rulesets/%C3%BC%3F%23%25"
    );
    assert_eq!(sent[0].url.query(), None);
    assert_eq!(
        sent[0].headers.get("authorization").unwrap(),
        "Bearer token"
    );
}

#[tokio::test]
async fn a_raw_call_has_the_builder_retries_envelope_and_errors() {
    let server = MockServer::start().await;
    // POST with a query and a JSON body; a 429 first, retried when opted in.
    Mock::given(method("POST"))
        .and(path("/client/v4/zones/z1/purge_cache"))
        .and(query_param("dry_run", "true"))
        .and(body_json(json!({"files": ["https://example.com/a"]})))
        .respond_with(ResponseTemplate::new(429).set_body_json(json!({"success": false})))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/client/v4/zones/z1/purge_cache"))
        .respond_with(envelope(json!({"id": "p1"})))
        .mount(&server)
        .await;
    Mock::given(path("/client/v4/zones/missing/purge_cache"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({
            "success": false, "errors": [{"code": 7003, "message": "Could not route"}]
        })))
        .mount(&server)
        .await;
    let client = client(&server);
    let purge = |zone: &str| {
        client
            .request::<Value>(
                Method::POST,
                "zones/{zone_id}/purge_cache",
                &[("zone_id", zone)],
            )
            .query_pair("dry_run", "true")
            .json_body(&json!({"files": ["https://example.com/a"]}))
            .retry_non_idempotent(true)
    };
    let response = purge("z1").send().await.unwrap();
    assert_eq!(response.data, json!({"id": "p1"}));
    assert_eq!(response.attempts, 2);
    let err = purge("missing").send().await.unwrap_err();
    assert_eq!(err.codes(), [7003]);

    // A body that is the data itself, without the envelope.
    Mock::given(path("/client/v4/plain"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": 1})))
        .with_priority(1)
        .mount(&server)
        .await;
    let plain = client
        .get::<Value>("/plain", &[])
        .data_at(DataAt::Body)
        .send()
        .await
        .unwrap();
    assert_eq!(plain.data, json!({"ok": 1}));
}

#[tokio::test]
async fn a_raw_call_to_a_list_walks_every_page() {
    let server = MockServer::start().await;
    Mock::given(path("/client/v4/accounts/a%201/workers/scripts"))
        .respond_with(|request: &wiremock::Request| {
            let page: u64 = request
                .url
                .query_pairs()
                .find(|(k, _)| k == "page")
                .map_or(1, |(_, v)| v.parse().unwrap());
            let ids: Vec<Value> = match page {
                1 => vec![json!({"id": "s1"}), json!({"id": "s2"})],
                _ => vec![json!({"id": "s3"})],
            };
            ResponseTemplate::new(200).set_body_json(json!({
                "success": true, "errors": [], "messages": [], "result": ids,
                "result_info": {"page": page, "per_page": 2, "total_count": 3},
            }))
        })
        .mount(&server)
        .await;
    let ids: Vec<String> = client(&server)
        .get::<Vec<Rule>>(
            "/accounts/{account_id}/workers/scripts",
            &[("account_id", "a 1")],
        )
        .query_pair("per_page", "2")
        .items()
        .map_ok(|rule| rule.id)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, ["s1", "s2", "s3"]);
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn a_template_that_cannot_make_a_path_fails_before_sending() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(envelope(json!({})))
        .mount(&server)
        .await;
    let client = client(&server);
    let cases: [(&str, &[(&str, &str)]); 6] = [
        ("/zones/{zone_id}", &[]),
        ("/zones", &[("zone_id", "z")]),
        ("/zones/{zone_id", &[("zone_id", "z")]),
        ("/zones?page=2", &[]),
        ("/zones/../user", &[]),
        ("/zones/{zone_id}", &[("zone_id", "..")]),
    ];
    for (template, params) in cases {
        let err = client
            .get::<Value>(template, params)
            .send()
            .await
            .unwrap_err();
        assert!(
            matches!(
                err,
                Error::InvalidRequest { .. } | Error::InvalidPathParam { .. }
            ),
            "{template}: {err:?}"
        );
    }
    assert!(server.received_requests().await.unwrap().is_empty());
}
