//! One `tracing` span per call, with OpenTelemetry's HTTP client fields, captured by a
//! subscriber of the test's own against a wiremock server on 127.0.0.1. In its own test
//! binary: tests running beside a subscriber race with tracing's per-callsite interest cache.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use cloudflare_client_runtime::PathPart;
use cloudflare_client_runtime::RESULT;
use cloudflare_client_runtime::{Client, Request};
use reqwest::Method;
use serde_json::{Value, json};
use wiremock::matchers::{any, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Every span: its name and fields, as recorded so far.
type Spans = Arc<Mutex<BTreeMap<u64, (String, BTreeMap<String, String>)>>>;

struct Capture {
    spans: Spans,
    next: AtomicU64,
}

struct Fields<'a>(&'a mut BTreeMap<String, String>);

impl tracing::field::Visit for Fields<'_> {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        self.0.insert(field.name().to_owned(), format!("{value:?}"));
    }

    fn record_str(&mut self, field: &tracing::field::Field, value: &str) {
        self.0.insert(field.name().to_owned(), value.to_owned());
    }
}

impl tracing::Subscriber for Capture {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, span: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        let id = self.next.fetch_add(1, Ordering::Relaxed) + 1;
        let mut fields = BTreeMap::new();
        span.record(&mut Fields(&mut fields));
        let name = span.metadata().name().to_owned();
        self.spans.lock().unwrap().insert(id, (name, fields));
        tracing::span::Id::from_u64(id)
    }

    fn record(&self, span: &tracing::span::Id, values: &tracing::span::Record<'_>) {
        if let Some((_, fields)) = self.spans.lock().unwrap().get_mut(&span.into_u64()) {
            values.record(&mut Fields(fields));
        }
    }

    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, _: &tracing::Event<'_>) {}
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

fn envelope(status: u16, body: Value, ray: &str) -> ResponseTemplate {
    ResponseTemplate::new(status)
        .insert_header("cf-ray", ray)
        .set_body_json(body)
}

#[tokio::test(flavor = "current_thread")]
async fn each_call_has_one_span_with_the_opentelemetry_http_client_fields() {
    let spans = Spans::default();
    let _guard = tracing::subscriber::set_default(Capture {
        spans: spans.clone(),
        next: AtomicU64::new(0),
    });
    let server = MockServer::start().await;
    // Zone z1: a 503, then the answer. Zone z2: a 404 with an API error.
    Mock::given(path("/client/v4/zones/z1/dns_records"))
        .respond_with(envelope(503, json!({"success": false}), "ray-first-AMS"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    let ok = json!({"success": true, "errors": [], "messages": [], "result": []});
    Mock::given(path("/client/v4/zones/z1/dns_records"))
        .respond_with(envelope(200, ok, "ray-second-AMS"))
        .mount(&server)
        .await;
    // Zone z3: a 2xx whose JSON is not the envelope, an error found after the response head.
    Mock::given(path("/client/v4/zones/z3/dns_records"))
        .respond_with(envelope(200, json!({"proxy": "says hi"}), "ray-z3-SIN"))
        .with_priority(1)
        .mount(&server)
        .await;
    let not_found = json!({"success": false, "errors": [{"code": 7003, "message": "no route"}]});
    Mock::given(any())
        .respond_with(envelope(404, not_found, "ray-404-LHR"))
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(format!("{}/client/v4", server.uri()))
        .api_token("token")
        .initial_backoff(Duration::from_millis(1))
        .build()
        .unwrap();
    let call = |zone: &'static str| {
        Request::<Value>::json(
            &client,
            Method::GET,
            &[
                PathPart::Lit("/zones/"),
                PathPart::Param("zone_id", zone),
                PathPart::Lit("/dns_records"),
            ],
            RESULT,
        )
    };
    let response = call("z1").send().await.unwrap();
    assert_eq!(response.attempts, 2);
    let err = call("z2").send().await.unwrap_err();
    assert_eq!(err.codes(), [7003]);
    let err = call("z3").send().await.unwrap_err();
    assert!(
        matches!(err, cloudflare_client_runtime::Error::NotEnvelope { .. }),
        "{err:?}"
    );

    let spans = spans.lock().unwrap();
    let calls: Vec<&BTreeMap<String, String>> = spans
        .values()
        .filter(|(name, _)| name == "cloudflare_request")
        .map(|(_, fields)| fields)
        .collect();
    assert_eq!(
        calls.len(),
        3,
        "one span per call, not per attempt: {calls:?}"
    );
    let port = server.address().port().to_string();
    let common = [
        ("otel.name", "GET /zones/{zone_id}/dns_records"),
        ("otel.kind", "client"),
        ("http.request.method", "GET"),
        ("url.template", "/zones/{zone_id}/dns_records"),
        ("server.address", "127.0.0.1"),
        ("server.port", port.as_str()),
    ];
    let expect = |fields: &BTreeMap<String, String>, more: &[(&str, &str)]| {
        let want: BTreeMap<String, String> = common
            .iter()
            .chain(more)
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        assert_eq!(*fields, want);
    };
    // Retried once: the status and ray id are the final attempt's.
    expect(
        calls[0],
        &[
            ("http.response.status_code", "200"),
            ("http.request.resend_count", "1"),
            ("cf.ray_id", "ray-second-AMS"),
        ],
    );
    // Not retried (a 404): no resend count; the error is its status code.
    expect(
        calls[1],
        &[
            ("http.response.status_code", "404"),
            ("cf.ray_id", "ray-404-LHR"),
            ("error.type", "404"),
            ("otel.status_code", "ERROR"),
        ],
    );
    // A 200 that failed to decode: the error is its kind, not a status.
    expect(
        calls[2],
        &[
            ("http.response.status_code", "200"),
            ("cf.ray_id", "ray-z3-SIN"),
            ("error.type", "not_envelope"),
            ("otel.status_code", "ERROR"),
        ],
    );
}
