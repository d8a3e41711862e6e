//! The HTTP client in the caller's hands: a caller's `reqwest::Client`, default headers, and
//! a middleware around every attempt, against wiremock servers on 127.0.0.1.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use cloudflare_client_runtime::PathPart;
use cloudflare_client_runtime::RESULT;
use cloudflare_client_runtime::header::{HeaderMap, HeaderValue};
use cloudflare_client_runtime::middleware::{Attempt, Middleware, Next};
use cloudflare_client_runtime::{Client, ClientBuilder, Error, Request};
use futures::future::BoxFuture;
use reqwest::Method;
use serde_json::{Value, json};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

fn builder(server: &MockServer) -> ClientBuilder {
    Client::builder()
        .base_url(format!("{}/client/v4", server.uri()))
        .api_token("token")
        .initial_backoff(Duration::from_millis(5))
        .max_backoff(Duration::from_millis(10))
}

fn ok() -> ResponseTemplate {
    ResponseTemplate::new(200)
        .set_body_json(json!({"success": true, "errors": [], "messages": [], "result": {}}))
}

async fn ok_server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ok()).mount(&server).await;
    server
}

fn get(client: &Client) -> Request<Value> {
    Request::json(
        client,
        Method::GET,
        &[
            PathPart::Lit("/zones/"),
            PathPart::Param("zone_id", "z1"),
            PathPart::Lit("/dns_records"),
        ],
        RESULT,
    )
}

fn header<'a>(request: &'a wiremock::Request, name: &str) -> Vec<&'a str> {
    request
        .headers
        .get_all(name)
        .iter()
        .map(|v| v.to_str().unwrap())
        .collect()
}

#[tokio::test]
async fn a_callers_reqwest_client_sends_every_request() {
    let server = ok_server().await;
    // Its own default header proves the request went through it.
    let mut theirs = reqwest::header::HeaderMap::new();
    theirs.insert("x-from-caller-client", "yes".parse().unwrap());
    let http = reqwest::Client::builder()
        .default_headers(theirs)
        .build()
        .unwrap();
    let client = builder(&server).http_client(http).build().unwrap();
    get(&client).send().await.unwrap();
    let sent = server.received_requests().await.unwrap();
    assert_eq!(sent.len(), 1);
    assert_eq!(header(&sent[0], "x-from-caller-client"), ["yes"]);
    // The client's own headers are still added.
    assert_eq!(header(&sent[0], "authorization"), ["Bearer token"]);
}

#[tokio::test]
async fn default_headers_go_with_every_request_and_requests_override_them() {
    let server = ok_server().await;
    let mut more = HeaderMap::new();
    more.append("x-tags", HeaderValue::from_static("a"));
    more.append("x-tags", HeaderValue::from_static("b"));
    let client = builder(&server)
        .default_header("x-tenant", "infra")
        .default_header("x-override-me", "default")
        .default_headers(more)
        .default_header("user-agent", "my-proxy-needs-this/1.0")
        .build()
        .unwrap();
    get(&client).send().await.unwrap();
    get(&client)
        .header("x-override-me", "request")
        .send()
        .await
        .unwrap();
    let sent = server.received_requests().await.unwrap();
    assert_eq!(sent.len(), 2);
    for request in &sent {
        assert_eq!(header(request, "x-tenant"), ["infra"]);
        assert_eq!(header(request, "x-tags"), ["a", "b"]);
        assert_eq!(header(request, "user-agent"), ["my-proxy-needs-this/1.0"]);
        assert_eq!(header(request, "authorization"), ["Bearer token"]);
    }
    assert_eq!(header(&sent[0], "x-override-me"), ["default"]);
    assert_eq!(header(&sent[1], "x-override-me"), ["request"]);
    // Values never show in Debug.
    assert!(!format!("{client:?}").contains("infra"));

    let bad = Client::builder().default_header("x-bad", "a\nb").build();
    assert!(matches!(bad, Err(Error::Config { .. })), "{bad:?}");
    let bad = Client::builder().default_header("bad name", "v").build();
    assert!(matches!(bad, Err(Error::Config { .. })), "{bad:?}");
}

/// What a middleware saw of one attempt: its number, method and route, and the status.
type Seen = Arc<Mutex<Vec<(u32, String, String, Option<u16>)>>>;

/// Records every attempt and tags it with an `x-attempt` header.
struct Recorder(Seen);

impl Middleware for Recorder {
    fn handle<'a>(
        &'a self,
        mut request: reqwest::Request,
        attempt: &'a Attempt,
        next: Next<'a>,
    ) -> BoxFuture<'a, Result<reqwest::Response, reqwest::Error>> {
        Box::pin(async move {
            let number = HeaderValue::from_str(&attempt.number.to_string()).unwrap();
            request.headers_mut().insert("x-attempt", number);
            let outcome = next.run(request).await;
            self.0.lock().unwrap().push((
                attempt.number,
                attempt.method.to_string(),
                attempt.route.clone(),
                outcome.as_ref().ok().map(|r| r.status().as_u16()),
            ));
            outcome
        })
    }
}

/// Adds a header after `Recorder` ran, to show the order middlewares run in.
struct Inner;

impl Middleware for Inner {
    fn handle<'a>(
        &'a self,
        mut request: reqwest::Request,
        _: &'a Attempt,
        next: Next<'a>,
    ) -> BoxFuture<'a, Result<reqwest::Response, reqwest::Error>> {
        let seen = request
            .headers()
            .get("x-attempt")
            .map(|v| format!("after {}", v.to_str().unwrap()))
            .unwrap_or_else(|| "first".to_owned());
        request
            .headers_mut()
            .insert("x-inner", HeaderValue::from_str(&seen).unwrap());
        next.run(request)
    }
}

#[tokio::test]
async fn a_middleware_sees_and_changes_every_attempt_retries_included() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503).set_body_raw("busy", "text/plain"))
        .up_to_n_times(2)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(any()).respond_with(ok()).mount(&server).await;
    let seen = Seen::default();
    let client = builder(&server)
        .max_retries(3)
        .middleware(Recorder(seen.clone()))
        .middleware(Inner)
        .build()
        .unwrap();
    let response = get(&client).send().await.unwrap();
    assert_eq!(response.attempts, 3);
    let route = "/zones/{zone_id}/dns_records".to_owned();
    assert_eq!(
        *seen.lock().unwrap(),
        [
            (1, "GET".to_owned(), route.clone(), Some(503)),
            (2, "GET".to_owned(), route.clone(), Some(503)),
            (3, "GET".to_owned(), route, Some(200)),
        ]
    );
    let sent = server.received_requests().await.unwrap();
    let attempts: Vec<_> = sent.iter().map(|r| header(r, "x-attempt")[0]).collect();
    assert_eq!(attempts, ["1", "2", "3"]);
    let inner: Vec<_> = sent.iter().map(|r| header(r, "x-inner")[0]).collect();
    assert_eq!(inner, ["after 1", "after 2", "after 3"]);

    // A transport error is an outcome too: nothing listens on this port.
    let seen = Seen::default();
    let client = Client::builder()
        .base_url("http://127.0.0.1:1")
        .max_retries(1)
        .initial_backoff(Duration::from_millis(1))
        .middleware(Recorder(seen.clone()))
        .build()
        .unwrap();
    let err = get(&client).send().await.unwrap_err();
    assert!(
        matches!(err, Error::Transport { attempts: 2, .. }),
        "{err:?}"
    );
    let numbers: Vec<_> = seen.lock().unwrap().iter().map(|s| (s.0, s.3)).collect();
    assert_eq!(numbers, [(1, None), (2, None)]);
}
