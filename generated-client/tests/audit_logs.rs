//! The generated Audit Logs client end to end, against servers on 127.0.0.1 (wiremock, and the
//! crate's local API, feature `mock`, for the paginations it serves by the docs): credentials,
//! path encoding, envelopes and errors (issue "IR → client"), and the overlay-typed
//! parameters, exact query strings, both paginations over thousands of items, CSV export and
//! open enums (issue "Audit Logs beyond SDK parity").

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use cloudflare_client::audit_logs::{
    ActionResultNot, ActorTypeNot, Direction, ListAccountAuditLogsItemActorType,
    ListAccountAuditLogsParams, ListAccountAuditLogsV2ItemActorType, ListAccountAuditLogsV2Params,
};
use cloudflare_client::mock;
use cloudflare_client::{Client, Error};
use futures::TryStreamExt;
use serde_json::{Value, json};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const ACCOUNT: &str = "023e105f4ecef8ad9ca31a8372d0c353";

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(format!("{}/client/v4", server.uri()))
        .api_token("test-token-secret")
        .max_retries(0)
        .build()
        .expect("client builds")
}

fn ok(result: Value, result_info: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "success": true, "errors": [], "messages": [],
        "result": result, "result_info": result_info,
    }))
}

fn v1_item(id: usize) -> Value {
    json!({
        "id": format!("log-{id}"),
        "action": {"result": true, "type": "change_setting"},
        "actor": {"id": "f6b5de03", "email": "michelle@example.com", "ip": "198.41.129.166", "type": "user"},
        "interface": "API",
        "metadata": {"name": "security_level"},
        "newValue": "low",
        "oldValue": "high",
        "owner": {"id": ACCOUNT},
        "resource": {"id": ACCOUNT, "type": "zone"},
        "when": "2017-04-26T17:31:07Z"
    })
}

fn v2_item(id: usize) -> Value {
    json!({
        "id": format!("v2-{id}"),
        "account": {"id": ACCOUNT, "name": "Example Account"},
        "action": {"description": "Add Member", "result": "success", "time": "2024-04-26T17:31:07Z", "type": "create"},
        "actor": {"id": "f6b5", "context": "dash", "email": "alice@example.com", "ip_address": "198.41.129.166",
                  "token_id": "t", "token_name": "n", "type": "user"},
        "raw": {"cf_ray_id": "8e9b1c60ef9e1c9a", "method": "POST", "status_code": 200, "uri": "/accounts/x/members",
                "user_agent": "Mozilla/5.0"},
        "resource": {"id": "id", "product": "members", "request": {}, "response": {}, "scope": {}, "type": "type"},
        "zone": {"id": "id", "name": "example.com"}
    })
}

// --- Credentials, paths, envelopes, errors -------------------------------------------------

#[tokio::test]
async fn every_credential_kind_sends_its_headers() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ok(json!([]), json!({})))
        .mount(&server)
        .await;
    let base = format!("{}/client/v4", server.uri());
    let token = Client::builder()
        .base_url(&base)
        .api_token("tok")
        .build()
        .unwrap();
    let key = Client::builder()
        .base_url(&base)
        .api_key("key", "me@example.com")
        .build()
        .unwrap();
    let service = Client::builder()
        .base_url(&base)
        .user_service_key("svc")
        .build()
        .unwrap();
    for c in [&token, &key, &service] {
        c.audit_logs()
            .list_user_audit_logs(&ListAccountAuditLogsParams::default())
            .send()
            .await
            .unwrap();
    }
    let requests = server.received_requests().await.unwrap();
    let header =
        |r: &Request, name: &str| r.headers.get(name).map(|v| v.to_str().unwrap().to_owned());
    assert_eq!(
        header(&requests[0], "authorization").as_deref(),
        Some("Bearer tok")
    );
    assert_eq!(header(&requests[1], "x-auth-key").as_deref(), Some("key"));
    assert_eq!(
        header(&requests[1], "x-auth-email").as_deref(),
        Some("me@example.com")
    );
    assert_eq!(header(&requests[1], "authorization"), None);
    assert_eq!(
        header(&requests[2], "x-auth-user-service-key").as_deref(),
        Some("svc")
    );
    assert!(
        requests
            .iter()
            .all(|r| r.url.path() == "/client/v4/user/audit_logs")
    );
}

#[tokio::test]
async fn a_hostile_account_id_stays_one_path_segment() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ok(json!([]), json!({})))
        .mount(&server)
        .await;
    let c = client(&server);
    c.audit_logs()
        .list_account_audit_logs("../x?y#z", &ListAccountAuditLogsParams::default())
        .send()
        .await
        .unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(
        requests[0].url.path(),
        "/client/v4/accounts/..%2Fx%3Fy%23z/audit_logs"
    );
    assert_eq!(requests[0].url.query(), None);
    // A value that would be a dot segment cannot be sent at all.
    let err = c
        .audit_logs()
        .list_account_audit_logs("..", &ListAccountAuditLogsParams::default())
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidPathParam { .. }), "{err:?}");
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn decodes_the_envelope_result_info_and_messages() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "success": true, "errors": [],
            "messages": [{"code": 1, "message": "beta"}],
            "result": [v2_item(1)],
            "result_info": {"count": "1", "cursor": "ASqdKd7dKgxh"}
        })))
        .mount(&server)
        .await;
    let params = ListAccountAuditLogsV2Params::new()
        .since("2024-10-30")
        .before("2024-10-31");
    let response = client(&server)
        .audit_logs()
        .list_account_audit_logs_v2(ACCOUNT, &params)
        .send()
        .await
        .unwrap();
    let item = &response.data[0];
    assert_eq!(item.id.as_deref(), Some("v2-1"));
    let actor = item.actor.as_ref().unwrap();
    assert_eq!(actor.type_, Some(ListAccountAuditLogsV2ItemActorType::User));
    assert_eq!(item.raw.as_ref().unwrap().status_code, Some(200));
    let info = response.result_info.as_ref().unwrap();
    assert_eq!(info.count, Some(1));
    assert_eq!(info.next_cursor(), Some("ASqdKd7dKgxh"));
    assert_eq!(response.messages[0].message, "beta");
    assert!(response.warnings.is_empty());
}

#[tokio::test]
async fn a_4xx_error_envelope_keeps_every_code_and_the_ray_id() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(403).insert_header("cf-ray", "8e9b1c60ef9e1c9a-SJC").set_body_json(json!({
                "success": false,
                "errors": [
                    {"code": 10000, "message": "Authentication error"},
                    {"code": 9109, "message": "Unauthorized", "documentation_url": "https://example.com/d",
                     "source": {"pointer": "/account_id"}}
                ],
                "messages": [], "result": null
            })),
        )
        .mount(&server)
        .await;
    let err = client(&server)
        .audit_logs()
        .list_account_audit_logs(ACCOUNT, &ListAccountAuditLogsParams::default())
        .send()
        .await
        .unwrap_err();
    let Error::Api {
        status,
        errors,
        ray_id,
        ..
    } = &err
    else {
        panic!("expected an API error, got {err:?}")
    };
    assert_eq!(status.as_u16(), 403);
    assert_eq!(
        errors.iter().map(|e| e.code).collect::<Vec<_>>(),
        vec![10000, 9109]
    );
    assert_eq!(
        errors[1].source.as_ref().and_then(|s| s.pointer.as_deref()),
        Some("/account_id")
    );
    assert_eq!(ray_id.as_deref(), Some("8e9b1c60ef9e1c9a-SJC"));
    assert!(err.to_string().contains("10000"), "{err}");
    assert!(!format!("{err:?}{err}").contains("test-token-secret"));
}

#[tokio::test]
async fn an_html_502_from_the_edge_is_a_non_json_error() {
    let server = MockServer::start().await;
    let html = "<html><head><title>502 Bad Gateway</title></head><body>cloudflare</body></html>";
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(502).set_body_raw(html, "text/html"))
        .mount(&server)
        .await;
    let err = client(&server)
        .audit_logs()
        .list_user_audit_logs(&ListAccountAuditLogsParams::default())
        .send()
        .await
        .unwrap_err();
    let Error::NonJson {
        status,
        excerpt,
        content_type,
        ..
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(status.as_u16(), 502);
    assert!(excerpt.contains("502 Bad Gateway"));
    assert_eq!(content_type.as_deref(), Some("text/html"));
}

#[tokio::test]
async fn a_drifted_field_is_a_warning_by_default_and_a_decode_error_naming_its_path_when_strict() {
    let server = MockServer::start().await;
    let mut bad = v2_item(2);
    bad["raw"]["status_code"] = json!("two hundred");
    Mock::given(method("GET"))
        .respond_with(ok(json!([v2_item(1), bad]), json!({})))
        .mount(&server)
        .await;
    let params = ListAccountAuditLogsV2Params::new()
        .since("2024-10-30")
        .before("2024-10-31");
    let c = client(&server);
    let lenient = c
        .audit_logs()
        .list_account_audit_logs_v2(ACCOUNT, &params)
        .send()
        .await
        .unwrap();
    assert_eq!(lenient.data.len(), 2);
    assert_eq!(lenient.data[1].raw.as_ref().unwrap().status_code, None);
    assert_eq!(
        lenient.data[1].raw.as_ref().unwrap().method.as_deref(),
        Some("POST")
    );
    assert_eq!(lenient.warnings.len(), 1);
    assert_eq!(lenient.warnings[0].path, "result[1].raw.status_code");
    assert_eq!(lenient.warnings[0].raw, json!("two hundred"));

    let err = c
        .audit_logs()
        .list_account_audit_logs_v2(ACCOUNT, &params)
        .strict(true)
        .send()
        .await
        .unwrap_err();
    let Error::Decode { path, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(path, "result[1].raw.status_code");
}

#[tokio::test]
async fn an_unknown_enum_value_in_a_response_decodes_and_round_trips() {
    let server = MockServer::start().await;
    let mut item = v1_item(1);
    item["actor"]["type"] = json!("robot");
    Mock::given(method("GET"))
        .respond_with(ok(json!([item, v1_item(2)]), json!({})))
        .mount(&server)
        .await;
    let response = client(&server)
        .audit_logs()
        .list_account_audit_logs(ACCOUNT, &ListAccountAuditLogsParams::default())
        .send()
        .await
        .unwrap();
    assert!(response.warnings.is_empty());
    let robot = response.data[0]
        .actor
        .as_ref()
        .unwrap()
        .type_
        .clone()
        .unwrap();
    assert_eq!(
        robot,
        ListAccountAuditLogsItemActorType::Unknown("robot".to_owned())
    );
    assert_eq!(serde_json::to_value(&robot).unwrap(), json!("robot"));
    assert_eq!(
        response.data[1].actor.as_ref().unwrap().type_,
        Some(ListAccountAuditLogsItemActorType::User)
    );
    assert_eq!(response.data[1].new_value.as_deref(), Some("low"));
    assert_eq!(response.data[1].action.as_ref().unwrap().result, Some(true));
}

// --- Query strings exactly as the official SDKs send them -----------------------------------

#[tokio::test]
async fn a_filtered_v1_call_sends_the_sdk_query_string() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ok(json!([]), json!({})))
        .mount(&server)
        .await;
    let params = ListAccountAuditLogsParams::default()
        .id("d5b0f326")
        .action_type("change_setting")
        .actor_email("michelle@example.com")
        .actor_ip("198.41.129.0/24")
        .zone_name("example.com")
        .since("2024-10-30T00:00:00+00:00")
        .before("2024-10-31")
        .direction(Direction::Asc)
        .hide_user_logs(true)
        .page(2)
        .per_page(50);
    client(&server)
        .audit_logs()
        .list_account_audit_logs(ACCOUNT, &params)
        .send()
        .await
        .unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(
        requests[0].url.query(),
        Some(
            "id=d5b0f326&action.type=change_setting&actor.email=michelle%40example.com\
             &actor.ip=198.41.129.0%2F24&zone.name=example.com&since=2024-10-30T00%3A00%3A00%2B00%3A00\
             &before=2024-10-31&direction=asc&hide_user_logs=true&page=2&per_page=50"
        )
    );
}

#[tokio::test]
async fn a_filtered_v2_call_sends_the_sdk_query_string() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ok(json!([]), json!({})))
        .mount(&server)
        .await;
    let params = ListAccountAuditLogsV2Params::new()
        .since("2024-10-30T00:00:00+00:00")
        .before("2024-10-31")
        .direction(Direction::Desc)
        .limit(25)
        .actor_email_not(["a@example.com", "b@example.com"])
        .action_result_not([ActionResultNot::Failure])
        .actor_type_not([ActorTypeNot::CloudflareAdmin, ActorTypeNot::System]);
    client(&server)
        .audit_logs()
        .list_account_audit_logs_v2(ACCOUNT, &params)
        .send()
        .await
        .unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(
        requests[0].url.path(),
        format!("/client/v4/accounts/{ACCOUNT}/logs/audit")
    );
    let query = requests[0].url.query().unwrap();
    // Order follows the documented parameters; repeated keys for lists.
    let pairs: Vec<(String, String)> = requests[0].url.query_pairs().into_owned().collect();
    let get_all = |k: &str| {
        pairs
            .iter()
            .filter(|(key, _)| key == k)
            .map(|(_, v)| v.as_str())
            .collect::<Vec<_>>()
    };
    assert_eq!(get_all("since"), ["2024-10-30T00:00:00+00:00"]);
    assert!(
        query.contains("since=2024-10-30T00%3A00%3A00%2B00%3A00"),
        "{query}"
    );
    assert_eq!(get_all("before"), ["2024-10-31"]);
    assert_eq!(get_all("direction"), ["desc"]);
    assert_eq!(get_all("limit"), ["25"]);
    assert_eq!(
        get_all("actor_email.not"),
        ["a@example.com", "b@example.com"]
    );
    assert!(
        query.contains("actor_email.not=a%40example.com&actor_email.not=b%40example.com"),
        "{query}"
    );
    assert_eq!(get_all("action_result.not"), ["failure"]);
    assert_eq!(get_all("actor_type.not"), ["cloudflare_admin", "system"]);
    assert_eq!(pairs.len(), 9, "{query}");
}

// --- Pagination over thousands of items -----------------------------------------------------

/// A v1 server that ignores `page` and always answers page 1 (of `total` items, without the
/// page count), counting requests: a misbehaviour the mock does not offer.
struct IgnoresPage {
    total: usize,
    requests: Arc<AtomicUsize>,
}

impl Respond for IgnoresPage {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        self.requests.fetch_add(1, Ordering::SeqCst);
        let query: BTreeMap<String, String> = request.url.query_pairs().into_owned().collect();
        let per_page: usize = query
            .get("per_page")
            .and_then(|v| v.parse().ok())
            .unwrap_or(25);
        let items: Vec<Value> = (0..per_page.min(self.total)).map(v1_item).collect();
        let info = json!({"count": items.len(), "per_page": per_page});
        ok(Value::Array(items), info)
    }
}

#[tokio::test]
async fn v1_page_numbers_deliver_every_item_once_without_asking_past_the_end() {
    // The crate's local API pages by the endpoint's documented rule (page numbers, with
    // `total_pages`) and checks each request against the docs.
    let server = mock::start().await.expect("the mock starts");
    let list = &mock::audit_logs::LIST_ACCOUNT_AUDIT_LOGS;
    server.respond(list, (0..2_537).map(v1_item).collect::<Vec<_>>());
    let params = ListAccountAuditLogsParams::default()
        .per_page(100)
        .direction(Direction::Asc);
    let items: Vec<_> = server
        .client::<Client>()
        .audit_logs()
        .list_account_audit_logs(ACCOUNT, &params)
        .items()
        .try_collect()
        .await
        .unwrap();
    let ids: BTreeSet<String> = items.iter().map(|i| i.id.clone().unwrap()).collect();
    assert_eq!(items.len(), 2_537);
    assert_eq!(ids.len(), 2_537, "every item exactly once");
    assert_eq!(items[0].id.as_deref(), Some("log-0"));
    assert_eq!(items[2_536].id.as_deref(), Some("log-2536"));
    let sent = server.requests_to(list);
    assert_eq!(sent.len(), 26, "26 pages, not one more");
    assert!(sent.iter().all(|r| r.status == 200));
    assert!(sent.iter().all(|r| {
        r.query
            .contains(&("direction".to_owned(), "asc".to_owned()))
    }));
}

#[tokio::test]
async fn a_server_that_ignores_page_does_not_loop_forever() {
    let server = MockServer::start().await;
    let requests = Arc::new(AtomicUsize::new(0));
    Mock::given(method("GET"))
        .respond_with(IgnoresPage {
            total: 10_000,
            requests: requests.clone(),
        })
        .mount(&server)
        .await;
    let params = ListAccountAuditLogsParams::default().per_page(100);
    let items: Vec<_> = client(&server)
        .audit_logs()
        .list_user_audit_logs(&params)
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items.len(), 100, "the repeated page is not delivered twice");
    assert!(
        requests.load(Ordering::SeqCst) <= 2,
        "{} requests",
        requests.load(Ordering::SeqCst)
    );
}

#[tokio::test]
async fn v2_cursors_deliver_every_item_once_and_stop_on_the_empty_cursor() {
    // The crate's local API hands out cursors (empty on the last page) by the endpoint's
    // documented rule, and refuses one it did not hand out.
    let server = mock::start().await.expect("the mock starts");
    let list = &mock::audit_logs::LIST_ACCOUNT_AUDIT_LOGS_V2;
    server.respond(list, (0..2_650).map(v2_item).collect::<Vec<_>>());
    let params = ListAccountAuditLogsV2Params::new()
        .since("2024-10-01")
        .before("2024-10-31")
        .limit(100);
    let items: Vec<_> = server
        .client::<Client>()
        .audit_logs()
        .list_account_audit_logs_v2(ACCOUNT, &params)
        .items()
        .try_collect()
        .await
        .unwrap();
    let ids: BTreeSet<String> = items.iter().map(|i| i.id.clone().unwrap()).collect();
    assert_eq!((items.len(), ids.len()), (2_650, 2_650));
    let sent = server.requests_to(list);
    assert_eq!(sent.len(), 27);
    // Every page keeps the filters and replaces only the cursor.
    let pair = |k: &str, v: &str| (k.to_owned(), v.to_owned());
    assert!(
        sent.iter().all(|r| {
            r.query[..2] == [pair("since", "2024-10-01"), pair("before", "2024-10-31")]
        })
    );
    assert_eq!(
        sent[1].query.iter().filter(|(k, _)| k == "cursor").count(),
        1
    );
}

// --- CSV export ------------------------------------------------------------------------------

#[tokio::test]
async fn the_csv_variant_returns_the_body_not_a_decode_error() {
    let server = MockServer::start().await;
    let csv = "id,action,when\nlog-1,change_setting,2017-04-26T17:31:07Z\n";
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(csv, "text/csv"))
        .mount(&server)
        .await;
    let params = ListAccountAuditLogsParams::default()
        .since("2024-10-30")
        .export(false);
    let response = client(&server)
        .audit_logs()
        .list_account_audit_logs_csv(ACCOUNT, &params)
        .send()
        .await
        .unwrap();
    assert_eq!(response.data.text().unwrap(), csv);
    assert_eq!(response.data.content_type(), Some("text/csv"));
    let sent = server.received_requests().await.unwrap();
    // The variant forces `export=true` in place, whatever the parameters said.
    assert_eq!(sent[0].url.query(), Some("since=2024-10-30&export=true"));
    assert_eq!(sent[0].headers.get("accept").unwrap(), "text/csv");

    // And as a stream, for exports too big to hold.
    let stream = client(&server)
        .audit_logs()
        .list_account_audit_logs_csv(ACCOUNT, &params)
        .bytes_stream()
        .await
        .unwrap();
    let chunks: Vec<bytes::Bytes> = stream.try_collect().await.unwrap();
    assert_eq!(chunks.concat(), csv.as_bytes());
}

#[tokio::test]
async fn a_required_parameter_left_unset_fails_the_call_before_anything_is_sent() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ok(json!([]), json!({})))
        .mount(&server)
        .await;
    let audit_logs = client(&server);
    let only_since = ListAccountAuditLogsV2Params::new().since("2024-10-30");
    let request = audit_logs
        .audit_logs()
        .list_account_audit_logs_v2(ACCOUNT, &only_since);
    match request.send().await {
        Err(Error::InvalidRequest { message }) => {
            assert!(
                message.contains("before") && message.contains(".before(..)"),
                "{message}"
            );
        }
        other => panic!("expected InvalidRequest, got {other:?}"),
    }
    // A listing fails the same way, as its first item.
    let first = audit_logs
        .audit_logs()
        .list_account_audit_logs_v2(ACCOUNT, &only_since)
        .items()
        .try_next()
        .await;
    assert!(
        matches!(first, Err(Error::InvalidRequest { .. })),
        "{first:?}"
    );
    assert!(server.received_requests().await.unwrap().is_empty());

    // Set by name, in any order, the call goes out.
    let both = ListAccountAuditLogsV2Params::new()
        .before("2024-10-31")
        .since("2024-10-30");
    audit_logs
        .audit_logs()
        .list_account_audit_logs_v2(ACCOUNT, &both)
        .send()
        .await
        .unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(
        requests[0].url.query(),
        Some("since=2024-10-30&before=2024-10-31")
    );
}
