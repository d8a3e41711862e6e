//! A client generated from docs of an API without Cloudflare's envelope (`no_envelope.md`, whose
//! overlay's `### Settings` say `envelope | none`), against a wiremock server on 127.0.0.1: a
//! 2xx body is the data (though the docs' notes say `body["result"]`, as the upstream renderer
//! writes for every API), an error is its status and its body, and a 503 is retried. Also the
//! `#fragment` of a method line (`url_fragment.md`), which never reaches the wire.

use std::time::Duration;

use fixture_client::{Client, Error};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer, retries: u32) -> Client {
    Client::builder()
        .base_url(server.uri())
        .api_token("token")
        .max_retries(retries)
        .initial_backoff(Duration::from_millis(1))
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_2xx_body_is_the_data_whatever_the_docs_note_says() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/pets"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "items": [{"id": 1, "name": "Rex"}, {"id": 2, "name": "Tom", "legs": 4}],
            "next": "c2",
        })))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/pets/count"))
        .respond_with(ResponseTemplate::new(200).set_body_string("2"))
        .mount(&server)
        .await;
    let client = client(&server, 0);

    let pets = client.no_envelope().list_pets().send().await.unwrap();
    assert!(pets.warnings.is_empty(), "{:?}", pets.warnings);
    assert_eq!(pets.result_info, None);
    let items = pets.data.items.as_deref().unwrap();
    let names: Vec<_> = items.iter().map(|p| p.name.as_deref()).collect();
    assert_eq!(names, [Some("Rex"), Some("Tom")]);
    assert_eq!(pets.data.next.as_deref(), Some("c2"));
    // A key the docs do not list is kept, not dropped.
    assert_eq!(items[1].extra.get("legs"), Some(&json!(4)));

    let count = client.no_envelope().get_the_pet_count().send().await;
    assert_eq!(count.unwrap().data, 2);
}

#[tokio::test]
async fn a_body_that_looks_like_the_envelope_is_still_the_data() {
    // Without an envelope `success` and `result` are ordinary keys: not unwrapped, not checked.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/pets/7"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": 7, "name": "Rex", "success": false, "result": null,
        })))
        .mount(&server)
        .await;
    let pet = client(&server, 0)
        .no_envelope()
        .get_a_pet("7")
        .send()
        .await
        .unwrap();
    assert_eq!(pet.data.id, Some(7));
    assert_eq!(pet.data.extra.get("success"), Some(&json!(false)));
    assert_eq!(pet.data.extra.get("result"), Some(&json!(null)));
}

#[tokio::test]
async fn an_error_is_its_status_and_its_body() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/pets/9"))
        .respond_with(
            ResponseTemplate::new(404).set_body_json(json!({"code": 404, "message": "no pet 9"})),
        )
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/pets/9"))
        .respond_with(ResponseTemplate::new(409).set_body_string("pet 9 is in use"))
        .mount(&server)
        .await;
    let client = client(&server, 0);

    let err = client
        .no_envelope()
        .get_a_pet("9")
        .send()
        .await
        .unwrap_err();
    let Error::Api {
        status,
        errors,
        excerpt,
        ..
    } = &err
    else {
        panic!("expected Error::Api, got {err:?}");
    };
    assert_eq!(status.as_u16(), 404);
    assert!(errors.is_empty());
    assert_eq!(
        excerpt.as_deref(),
        Some(r#"{"code":404,"message":"no pet 9"}"#)
    );
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
    let shown = err.to_string();
    assert!(shown.starts_with("API error: HTTP 404"), "{shown}");
    assert!(shown.contains("no pet 9"), "{shown}");

    let err = client
        .no_envelope()
        .delete_a_pet("9")
        .send()
        .await
        .unwrap_err();
    let Error::NonJson {
        status, excerpt, ..
    } = &err
    else {
        panic!("expected Error::NonJson, got {err:?}");
    };
    assert_eq!(status.as_u16(), 409);
    assert_eq!(excerpt, "pet 9 is in use");
}

#[tokio::test]
async fn a_503_is_retried_and_then_decoded() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/pets/count"))
        .respond_with(ResponseTemplate::new(503).set_body_string("busy"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/pets/count"))
        .respond_with(ResponseTemplate::new(200).set_body_string("5"))
        .mount(&server)
        .await;
    let count = client(&server, 2)
        .no_envelope()
        .get_the_pet_count()
        .send()
        .await
        .unwrap();
    assert_eq!((count.data, count.attempts), (5, 2));
}

#[tokio::test]
async fn a_fragment_names_the_method_and_never_reaches_the_wire() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth2/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "success": true, "errors": [], "messages": [],
            "result": {"access_token": "t1"},
        })))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/oauth2/acme/token"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = client(&server, 0);
    let refreshed = client
        .url_fragment()
        .refresh_a_token()
        .send()
        .await
        .unwrap();
    assert_eq!(refreshed.data.access_token.as_deref(), Some("t1"));
    client
        .url_fragment()
        .post_oauth2_token_client_credentials("acme")
        .send()
        .await
        .unwrap();
    let requests = server.received_requests().await.unwrap();
    let targets: Vec<String> = requests
        .iter()
        .map(|r| format!("{} {}", r.method, &r.url[url::Position::BeforePath..]))
        .collect();
    assert_eq!(targets, ["POST /oauth2/token", "POST /oauth2/acme/token"]);
}
