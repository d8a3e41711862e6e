//! Query parameters on the wire (`params.md` and its overlay), against a wiremock server on
//! 127.0.0.1: an array sent as repeated keys beside arrays sent comma-joined (`[,]` in the
//! overlay, `explode: false` in the schema), byte for byte, in field order.

use fixture_client::params::{CountWidgetsParams, Type};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn a_list_repeats_its_key_and_a_comma_list_joins_its_elements() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/widgets/count"))
        .and(query_param("fields", "name,color"))
        .respond_with(
            ResponseTemplate::new(200).set_body_string(
                r#"{"success":true,"errors":[],"messages":[],"result":{"count":3}}"#,
            ),
        )
        .expect(1)
        .mount(&server)
        .await;
    let client = fixture_client::Client::builder()
        .base_url(server.uri())
        .api_token("token")
        .max_retries(0)
        .build()
        .unwrap();
    let params = CountWidgetsParams::new()
        .sizes([Type::Small, Type::Large])
        .fields(["name", "color"])
        .ids([7, 8]);
    client.params().count_widgets(&params).send().await.unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(
        requests[0].url.query(),
        Some("ids=7&ids=8&fields=name%2Ccolor&sizes=small%2Clarge")
    );
}

#[tokio::test]
async fn an_empty_comma_list_is_left_out() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/widgets/count"))
        .respond_with(
            ResponseTemplate::new(200).set_body_string(
                r#"{"success":true,"errors":[],"messages":[],"result":{"count":3}}"#,
            ),
        )
        .mount(&server)
        .await;
    let client = fixture_client::Client::builder()
        .base_url(server.uri())
        .api_token("token")
        .max_retries(0)
        .build()
        .unwrap();
    let params = CountWidgetsParams::new()
        .ids([1])
        .fields(Vec::<String>::new());
    client.params().count_widgets(&params).send().await.unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests[0].url.query(), Some("ids=1"));
}
