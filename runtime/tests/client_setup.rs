//! Building a client, through `Client::builder` and `ClientBuilder::from_env_vars`: the base
//! URLs it accepts (and one with a trailing slash, against a wiremock server on 127.0.0.1), the
//! official environment variables with credentials never printed, and requests and their
//! futures being `Send + 'static`.

use cloudflare_client_runtime::{Client, ClientBuilder, Error, Request};
use reqwest::Method;
use serde_json::json;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer};

#[path = "support/logs.rs"]
mod logs;
use logs::*;

#[tokio::test]
async fn base_urls_other_than_http_are_rejected() {
    for bad in [
        "ftp://x",
        "file:///etc/passwd",
        "not a url",
        "https://x/client/v4?q=1",
        "https://x/#f",
        "data:text/plain,x",
    ] {
        let err = Client::builder().base_url(bad).build().unwrap_err();
        assert!(
            matches!(err, Error::InvalidBaseUrl { .. }),
            "{bad}: {err:?}"
        );
    }
    for good in [
        "http://127.0.0.1:1",
        "https://api.cloudflare.com/client/v4/",
        "HTTPS://example.com",
    ] {
        Client::builder().base_url(good).build().unwrap();
    }
    assert_eq!(
        Client::builder().build().unwrap().base_url().as_str(),
        "https://api.cloudflare.com/client/v4"
    );
    // A trailing slash on the base URL does not double the slash.
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ok_envelope(json!([])))
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(format!("{}/client/v4/", server.uri()))
        .build()
        .unwrap();
    get_logs::<Vec<Log>>(&client, "acc").send().await.unwrap();
    assert_eq!(
        received(&server).await[0].url.path(),
        "/client/v4/accounts/acc/audit_logs"
    );
}

#[test]
fn from_env_reads_the_official_variables() {
    let env = |vars: &'static [(&'static str, &'static str)]| {
        move |name: &str| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        }
    };
    let err = ClientBuilder::<Client>::from_env_vars(env(&[])).unwrap_err();
    assert!(
        matches!(&err, Error::Config { message } if message.contains("CLOUDFLARE_API_TOKEN") && message.contains("CLOUDFLARE_API_KEY")),
        "{err}"
    );
    let err =
        ClientBuilder::<Client>::from_env_vars(env(&[("CLOUDFLARE_API_KEY", KEY)])).unwrap_err();
    assert!(err.to_string().contains("CLOUDFLARE_EMAIL"), "{err}");
    assert!(!err.to_string().contains(KEY));
    let err =
        ClientBuilder::<Client>::from_env_vars(env(&[("CLOUDFLARE_API_TOKEN", "")])).unwrap_err();
    assert!(matches!(err, Error::Config { .. }));

    let client = ClientBuilder::<Client>::from_env_vars(env(&[
        ("CLOUDFLARE_API_TOKEN", TOKEN),
        ("CLOUDFLARE_BASE_URL", "http://127.0.0.1:9/v4"),
    ]))
    .unwrap()
    .build()
    .unwrap();
    assert_eq!(client.base_url().as_str(), "http://127.0.0.1:9/v4");
    let debug = format!("{client:?}");
    assert!(
        debug.contains("api_token: Some(\"[redacted]\")") && debug.contains("api_key: None"),
        "{debug}"
    );
    let both = ClientBuilder::<Client>::from_env_vars(env(&[
        ("CLOUDFLARE_API_KEY", KEY),
        ("CLOUDFLARE_EMAIL", EMAIL),
        ("CLOUDFLARE_API_USER_SERVICE_KEY", SERVICE_KEY),
    ]))
    .unwrap()
    .build()
    .unwrap();
    let debug = format!("{both:?}");
    assert!(
        debug.contains("api_key: Some(\"[redacted]\")")
            && debug.contains("user_service_key: Some(\"[redacted]\")"),
        "{debug}"
    );
    ClientBuilder::<Client>::from_env_vars(env(&[
        ("CLOUDFLARE_API_TOKEN", TOKEN),
        ("CLOUDFLARE_BASE_URL", "ftp://x"),
    ]))
    .unwrap()
    .build()
    .unwrap_err();
}

#[test]
fn requests_and_their_futures_are_send_and_static() {
    fn assert_send_static<T: Send + 'static>(_: &T) {}
    let client = Client::builder().build().unwrap();
    let request = Request::<Vec<Log>>::json(&client, Method::GET, &logs_path("a"), RESULT);
    assert_send_static(&request);
    assert_send_static(&request.clone().send());
    assert_send_static(&request.clone().items());
    assert_send_static(&Request::raw(&client, Method::GET, &logs_path("a")).send());
    fn assert_sync<T: Sync>(_: &T) {}
    assert_sync(&client);
    fn assert_error<E: std::error::Error + Send + Sync + 'static>() {}
    assert_error::<Error>();
}
