//! Retries against real HTTP servers on 127.0.0.1 (wiremock, and a raw TCP server for what
//! wiremock cannot do), through `Request` directly: 429 and 503 with `Retry-After`, the retry
//! budget, POST only when opted in, timeouts and deadlines, connection errors and bodies cut
//! short.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use cloudflare_client_runtime::{Client, Error, PathPart, Request};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use wiremock::matchers::{any, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[path = "support/logs.rs"]
mod logs;
use logs::*;

#[tokio::test]
async fn retries_429_honouring_retry_after_seconds() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("retry-after", "1")
                .set_body_json(
                    json!({"success": false, "errors": [{"code": 971, "message": "Please wait"}]}),
                ),
        )
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(ok_envelope(json!([])))
        .mount(&server)
        .await;
    let client = builder(&server).build().unwrap();
    let started = std::time::Instant::now();
    let response = get_logs::<Vec<Log>>(&client, "acc").send().await.unwrap();
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "waited {:?}",
        started.elapsed()
    );
    assert_eq!(response.attempts, 2);
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn retries_429_honouring_retry_after_ms_and_503() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after-ms", "30"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503).set_body_raw("<html>busy</html>", "text/html"))
        .up_to_n_times(1)
        .with_priority(2)
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(ok_envelope(json!([])))
        .mount(&server)
        .await;
    let client = builder(&server).build().unwrap();
    let started = std::time::Instant::now();
    let response = get_logs::<Vec<Log>>(&client, "acc").send().await.unwrap();
    assert!(started.elapsed() >= ms(30));
    assert_eq!(response.attempts, 3);
}

#[tokio::test]
async fn retries_stop_after_max_retries_and_zero_disables() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(503).set_body_json(json!({"success": false, "errors": []})),
        )
        .mount(&server)
        .await;
    let client = builder(&server).max_retries(4).build().unwrap();
    let err = get_logs::<Vec<Log>>(&client, "acc")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::SERVICE_UNAVAILABLE));
    assert_eq!(received(&server).await.len(), 5);
    server.reset().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    get_logs::<Vec<Log>>(&client, "acc")
        .max_retries(0)
        .send()
        .await
        .unwrap_err();
    assert_eq!(received(&server).await.len(), 1);
    let none = builder(&server).max_retries(0).build().unwrap();
    get_logs::<Vec<Log>>(&none, "acc").send().await.unwrap_err();
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn post_is_retried_only_when_opted_in() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let client = builder(&server).build().unwrap();
    let post = || {
        Request::<Value>::json(&client, Method::POST, &[PathPart::Lit("/x")], RESULT)
            .json_body(&json!({}))
    };
    post().send().await.unwrap_err();
    assert_eq!(received(&server).await.len(), 1);
    post().retry_non_idempotent(true).send().await.unwrap_err();
    assert_eq!(received(&server).await.len(), 1 + 3);
    // PATCH likewise; PUT and DELETE are idempotent.
    Request::<Value>::json(&client, Method::PATCH, &[PathPart::Lit("/x")], RESULT)
        .send()
        .await
        .unwrap_err();
    assert_eq!(received(&server).await.len(), 5);
    Request::<Value>::json(&client, Method::PUT, &[PathPart::Lit("/x")], RESULT)
        .send()
        .await
        .unwrap_err();
    Request::<Value>::json(&client, Method::DELETE, &[PathPart::Lit("/x")], RESULT)
        .send()
        .await
        .unwrap_err();
    assert_eq!(received(&server).await.len(), 5 + 3 + 3);
    // Opting in on the client works too.
    let eager = builder(&server)
        .retry_non_idempotent(true)
        .max_retries(1)
        .build()
        .unwrap();
    Request::<Value>::json(&eager, Method::POST, &[PathPart::Lit("/x")], RESULT)
        .send()
        .await
        .unwrap_err();
    assert_eq!(received(&server).await.len(), 11 + 2);
}

#[tokio::test]
async fn retry_after_over_the_cap_returns_at_once() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "120"))
        .mount(&server)
        .await;
    let client = builder(&server).build().unwrap();
    let started = std::time::Instant::now();
    let err = get_logs::<Vec<Log>>(&client, "acc")
        .send()
        .await
        .unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(matches!(err, Error::NonJson { .. }), "{err:?}");
    assert_eq!(err.retry_after(), Some(Duration::from_secs(120)));
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn x_should_retry_false_vetoes_a_retry() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(500).insert_header("x-should-retry", "false"))
        .mount(&server)
        .await;
    let client = builder(&server).build().unwrap();
    get_logs::<Vec<Log>>(&client, "acc")
        .send()
        .await
        .unwrap_err();
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn slow_attempts_time_out_and_are_retried() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ok_envelope(json!([])).set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let client = builder(&server)
        .timeout(ms(100))
        .max_retries(1)
        .build()
        .unwrap();
    let started = std::time::Instant::now();
    let err = get_logs::<Vec<Log>>(&client, "acc")
        .send()
        .await
        .unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(2));
    assert!(
        matches!(
            err,
            Error::Timeout {
                attempts: 2,
                overall: false,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.is_timeout() && err.is_retryable());
}

#[tokio::test]
async fn deadline_bounds_the_whole_call() {
    let server = MockServer::start().await;
    Mock::given(path("/client/v4/slow"))
        .respond_with(ok_envelope(json!([])).set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    Mock::given(path("/client/v4/busy"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let client = builder(&server)
        .initial_backoff(ms(100))
        .max_backoff(ms(100))
        .max_retries(50)
        .build()
        .unwrap();
    let req =
        |p: &'static str| Request::<Value>::json(&client, Method::GET, &[PathPart::Lit(p)], RESULT);

    let started = std::time::Instant::now();
    let err = req("/slow")
        .overall_timeout(ms(300))
        .send()
        .await
        .unwrap_err();
    let took = started.elapsed();
    assert!(took >= ms(250) && took < Duration::from_secs(2), "{took:?}");
    assert!(
        matches!(
            err,
            Error::Timeout {
                overall: true,
                attempts: 1,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(!err.is_retryable());

    // Retries stop before the deadline, returning the last error.
    let started = std::time::Instant::now();
    let err = req("/busy")
        .deadline(tokio::time::Instant::now() + ms(500))
        .send()
        .await
        .unwrap_err();
    let took = started.elapsed();
    assert!(took < Duration::from_secs(2), "{took:?}");
    assert_eq!(err.status(), Some(StatusCode::SERVICE_UNAVAILABLE));
    let attempts = received(&server)
        .await
        .iter()
        .filter(|r| r.url.path().ends_with("/busy"))
        .count();
    // Each wait is 100 ms less up to `BACKOFF_JITTER` of itself, so a 500 ms deadline leaves
    // room for at most 1 + 500 / (100 * (1 - jitter)) attempts: 7 at a quarter of jitter.
    let shortest = 100.0 * (1.0 - cloudflare_client_runtime::retry::BACKOFF_JITTER);
    let most = 1 + (500.0 / shortest) as usize;
    assert!(
        (2..=most).contains(&attempts),
        "{attempts} attempts, at most {most}"
    );

    // A client-wide overall timeout.
    let bounded = builder(&server).overall_timeout(ms(200)).build().unwrap();
    let err = Request::<Value>::json(&bounded, Method::GET, &[PathPart::Lit("/slow")], RESULT)
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Timeout { overall: true, .. }),
        "{err:?}"
    );
}

#[tokio::test]
async fn connection_errors_are_retried_then_reported() {
    // A port with nothing listening.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let client = Client::builder()
        .base_url(format!("http://127.0.0.1:{port}"))
        .initial_backoff(ms(1))
        .build()
        .unwrap();
    let err = Request::<Value>::json(&client, Method::GET, &[PathPart::Lit("/x")], RESULT)
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Transport { attempts: 3, .. }),
        "{err:?}"
    );
    assert!(err.is_retryable());
}

/// A raw HTTP/1.1 server: the n-th connection gets `responses[n]` (the last
/// one once they run out), written as is, then the connection is closed.
async fn raw_server(responses: Vec<&'static str>) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let count = Arc::new(AtomicUsize::new(0));
    let seen = count.clone();
    tokio::spawn(async move {
        loop {
            let (mut socket, _) = listener.accept().await.unwrap();
            let n = seen.fetch_add(1, Ordering::SeqCst);
            let response = responses[n.min(responses.len() - 1)];
            tokio::spawn(async move {
                let mut buf = Vec::new();
                let mut chunk = [0u8; 1024];
                while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
                    match socket.read(&mut chunk).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => buf.extend_from_slice(&chunk[..n]),
                    }
                }
                let _ = socket.write_all(response.as_bytes()).await;
                let _ = socket.shutdown().await;
            });
        }
    });
    (url, count)
}

#[tokio::test]
async fn a_body_cut_short_is_retried() {
    let (url, count) = raw_server(vec![
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{\"success\": true, \"res",
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 31\r\nConnection: close\r\n\r\n{\"success\": true, \"result\": 7}\n",
    ])
    .await;
    let client = Client::builder()
        .base_url(url)
        .initial_backoff(ms(1))
        .build()
        .unwrap();
    let response = Request::<u32>::json(&client, Method::GET, &[PathPart::Lit("/x")], RESULT)
        .send()
        .await
        .unwrap();
    assert_eq!(response.data, 7);
    assert_eq!(response.attempts, 2);
    assert_eq!(count.load(Ordering::SeqCst), 2);
}
