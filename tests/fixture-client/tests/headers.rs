//! Header parameters on the wire (`params.md` and its overlay: `In` is `header`), against a
//! wiremock server on 127.0.0.1: each set header sent once under its documented name with
//! its value's text, unset ones left out, the query string holding only the query
//! parameters, a required header checked before anything is sent, and a `secret` header
//! never printed.

use fixture_client::Error;
use fixture_client::params::{CfWidgetRegion, SyncWidgetsParams};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/widgets/sync"))
        .respond_with(
            ResponseTemplate::new(200).set_body_string(
                r#"{"success":true,"errors":[],"messages":[],"result":{"synced":2}}"#,
            ),
        )
        .mount(&server)
        .await;
    server
}

fn client(server: &MockServer) -> fixture_client::Client {
    fixture_client::Client::builder()
        .base_url(server.uri())
        .api_token("token")
        .max_retries(0)
        .build()
        .unwrap()
}

/// Every value the request carries under `name`, in order.
fn sent(request: &wiremock::Request, name: &str) -> Vec<String> {
    request
        .headers
        .get_all(name)
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn each_header_parameter_is_sent_once_with_its_text() {
    let server = server().await;
    let params = SyncWidgetsParams::new()
        .dry_run(true)
        .x_sync_key("sk-123")
        .if_match("\"etag-7\"")
        .cf_widget_region(CfWidgetRegion::Fedramp)
        .x_sync_limit(25)
        .x_sync_verbose(false);
    let synced = client(&server)
        .params()
        .sync_widgets(&params)
        .send()
        .await
        .unwrap();
    assert_eq!(synced.data.synced, Some(2));
    let requests = server.received_requests().await.unwrap();
    let request = &requests[0];
    assert_eq!(request.url.query(), Some("dry_run=true"));
    assert_eq!(sent(request, "x-sync-key"), ["sk-123"]);
    assert_eq!(sent(request, "if-match"), ["\"etag-7\""]);
    assert_eq!(sent(request, "cf-widget-region"), ["fedramp"]);
    assert_eq!(sent(request, "x-sync-limit"), ["25"]);
    assert_eq!(sent(request, "x-sync-verbose"), ["false"]);
    // The body is empty: header parameters are not a body.
    assert!(request.body.is_empty());
}

#[tokio::test]
async fn unset_headers_are_left_out() {
    let server = server().await;
    let params = SyncWidgetsParams::new().x_sync_key("sk-123");
    client(&server)
        .params()
        .sync_widgets(&params)
        .send()
        .await
        .unwrap();
    let requests = server.received_requests().await.unwrap();
    let request = &requests[0];
    assert_eq!(request.url.query(), None);
    assert_eq!(sent(request, "x-sync-key"), ["sk-123"]);
    for name in [
        "if-match",
        "cf-widget-region",
        "x-sync-limit",
        "x-sync-verbose",
    ] {
        assert!(sent(request, name).is_empty(), "{name} was sent");
    }
}

#[tokio::test]
async fn a_required_header_left_unset_fails_before_sending() {
    let server = server().await;
    let params = SyncWidgetsParams::new().dry_run(true);
    let error = client(&server)
        .params()
        .sync_widgets(&params)
        .send()
        .await
        .unwrap_err();
    match &error {
        Error::InvalidRequest { message } => assert_eq!(
            message,
            "missing required header X-Sync-Key (set it with `.x_sync_key(..)`)"
        ),
        other => panic!("expected InvalidRequest, got {other:?}"),
    }
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn a_header_value_that_is_not_visible_ascii_fails_before_sending() {
    let server = server().await;
    let params = SyncWidgetsParams::new()
        .x_sync_key("sk-123")
        .if_match("caf\u{e9}\r\nx-injected: 1");
    let error = client(&server)
        .params()
        .sync_widgets(&params)
        .send()
        .await
        .unwrap_err();
    match &error {
        // The value is not echoed: a header may hold a credential.
        Error::InvalidRequest { message } => {
            assert_eq!(message, "invalid value for header if-match")
        }
        other => panic!("expected InvalidRequest, got {other:?}"),
    }
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[test]
fn a_secret_header_is_never_printed() {
    let params = SyncWidgetsParams::new().x_sync_key("sk-live-abcdef");
    let printed = format!("{params:?}");
    assert!(!printed.contains("sk-live-abcdef"), "{printed}");
    assert!(printed.contains("[redacted]"), "{printed}");
}
