//! Credentials never appear in `Debug`, `Display`, errors or tracing output. In its own test
//! binary: it installs a tracing subscriber, and tests running beside it in one process race
//! with tracing's per-callsite interest cache, which made the capture flaky.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use cloudflare_client_runtime::{Client, ClientBuilder, Request};
use cloudflare_client_runtime::{DataAt, PathPart};
use reqwest::Method;
use serde::Deserialize;
use serde_json::{Value, json};
use wiremock::matchers::path;
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "tok-SECRET-0123456789abcdef";
const KEY: &str = "key-SECRET-fedcba9876543210";
const EMAIL: &str = "owner-SECRET@example.com";
const SERVICE_KEY: &str = "v1.0-SECRET-service-key";
const RESULT: DataAt = DataAt::Envelope(&["result"]);

fn builder(server: &MockServer) -> ClientBuilder {
    Client::builder()
        .base_url(format!("{}/client/v4", server.uri()))
        .api_token(TOKEN)
        .initial_backoff(std::time::Duration::from_millis(5))
        .max_backoff(std::time::Duration::from_millis(20))
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)] // Decoded only to exercise the decode path.
struct Log {
    id: String,
}

fn ok_envelope(result: Value) -> ResponseTemplate {
    ResponseTemplate::new(200)
        .set_body_json(json!({"success": true, "errors": [], "messages": [], "result": result}))
}

/// Records every span and event field, at every level, as text.
struct Capture(Arc<Mutex<String>>);

struct Fields(Arc<Mutex<String>>);

impl tracing::field::Visit for Fields {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        let _ = write!(self.0.lock().unwrap(), "{}={:?} ", field.name(), value);
    }
}

impl tracing::Subscriber for Capture {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        static NEXT: AtomicU64 = AtomicU64::new(1);
        let _ = write!(self.0.lock().unwrap(), "\nspan {} ", span.metadata().name());
        span.record(&mut Fields(self.0.clone()));
        tracing::span::Id::from_u64(NEXT.fetch_add(1, Ordering::Relaxed))
    }
    fn record(&self, _: &tracing::span::Id, values: &tracing::span::Record<'_>) {
        values.record(&mut Fields(self.0.clone()));
    }
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        let _ = write!(
            self.0.lock().unwrap(),
            "\nevent {} ",
            event.metadata().target()
        );
        event.record(&mut Fields(self.0.clone()));
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

#[tokio::test(flavor = "current_thread")]
async fn credentials_never_appear_in_debug_display_errors_or_traces() {
    let log = Arc::new(Mutex::new(String::new()));
    let _guard = tracing::subscriber::set_default(Capture(log.clone()));
    let server = MockServer::start().await;
    Mock::given(path("/client/v4/ok"))
        .respond_with(ok_envelope(json!([])))
        .mount(&server)
        .await;
    Mock::given(path("/client/v4/forbidden"))
        .respond_with(ResponseTemplate::new(403).set_body_json(json!({"success": false, "errors": [{"code": 10000, "message": "Authentication error"}]})))
        .mount(&server)
        .await;
    Mock::given(path("/client/v4/busy"))
        .respond_with(ResponseTemplate::new(503).set_body_raw("<html>busy</html>", "text/html"))
        .mount(&server)
        .await;

    let builder = builder(&server)
        .api_key(KEY, EMAIL)
        .user_service_key(SERVICE_KEY);
    let client = builder.clone().build().unwrap();
    let mut shown = vec![
        format!("{builder:?}"),
        format!("{client:?}"),
        format!("{:?}", client.clone()),
    ];
    let req = |p: &'static str| {
        Request::<Vec<Log>>::json(&client, Method::GET, &[PathPart::Lit(p)], RESULT)
    };
    shown.push(format!("{:?}", req("/ok").header("X-Extra", TOKEN)));
    let ok = req("/ok").send().await.unwrap();
    shown.push(format!("{ok:?}"));
    for p in ["/forbidden", "/busy", "/ok"] {
        let err = req(p)
            .query_pair("n", "1")
            .header(if p == "/ok" { "bad header" } else { "x-ok" }, "v")
            .send()
            .await;
        if let Err(err) = err {
            shown.push(format!("{err:?}"));
            shown.push(err.to_string());
        }
    }
    let bad_value = req("/ok")
        .header("x-token", &format!("{TOKEN}\n"))
        .send()
        .await
        .unwrap_err();
    shown.push(format!("{bad_value:?} {bad_value}"));
    let bad_credential = Client::builder()
        .api_token(format!("{TOKEN}\r\n"))
        .build()
        .unwrap_err();
    shown.push(format!("{bad_credential:?} {bad_credential}"));
    let url_with_secret = format!("https://user:{TOKEN}@example.com/v4");
    let bad_url = Client::builder()
        .base_url(&url_with_secret)
        .build()
        .unwrap_err();
    shown.push(format!("{bad_url:?} {bad_url}"));
    shown.push(format!(
        "{:?}",
        Client::builder().base_url(&url_with_secret)
    ));
    let refused = Client::builder()
        .base_url("http://127.0.0.1:1")
        .api_token(TOKEN)
        .max_retries(0)
        .build()
        .unwrap();
    let err = Request::<Value>::json(&refused, Method::GET, &[PathPart::Lit("/x")], RESULT)
        .send()
        .await
        .unwrap_err();
    shown.push(format!("{err:?} {err}"));
    shown.push(format!(
        "{:?} {}",
        cloudflare_client_runtime::Secret::new(TOKEN),
        cloudflare_client_runtime::Secret::new(TOKEN)
    ));

    let traces = log.lock().unwrap().clone();
    assert!(
        traces.contains("cloudflare_request") && traces.contains("attempt="),
        "tracing captured nothing: {traces}"
    );
    assert!(traces.contains("status=403"), "{traces}");
    shown.push(traces);
    for text in &shown {
        for secret in [TOKEN, KEY, EMAIL, SERVICE_KEY, "SECRET"] {
            assert!(!text.contains(secret), "{secret} leaked in: {text}");
        }
    }
    assert!(shown[0].contains("[redacted]") && shown[1].contains("[redacted]"));
}
