//! What goes on the wire and comes back raw: query strings exactly as the
//! official SDKs send them, raw bodies (CSV export) and streamed bodies.

use std::time::Duration;

use bytes::Bytes;
use cloudflare_client_runtime::RawStream;
use cloudflare_client_runtime::{Client, Error, RawBody, Request};
use cloudflare_client_runtime::{DataAt, PathPart};
use futures::{StreamExt, TryStreamExt};
use reqwest::{Method, StatusCode};
use serde::{Deserialize, Serialize};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

const RESULT: DataAt = DataAt::Envelope(&["result"]);

fn client_for(base: &str) -> Client {
    Client::builder()
        .base_url(format!("{base}/client/v4"))
        .api_token("token")
        .initial_backoff(Duration::from_millis(5))
        .max_backoff(Duration::from_millis(10))
        .build()
        .unwrap()
}

async fn ok_server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(200).set_body_json(
                json!({"success": true, "errors": [], "messages": [], "result": []}),
            ),
        )
        .mount(&server)
        .await;
    server
}

/// The raw query string of the one request `server` received.
async fn raw_query(server: &MockServer) -> String {
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1);
    requests[0].url.query().unwrap_or_default().to_owned()
}

#[derive(Serialize)]
#[serde(rename_all = "lowercase")]
enum Direction {
    #[allow(dead_code)]
    Asc,
    Desc,
}

/// The v1 parameters, as the generator writes them.
#[derive(Serialize, Default)]
struct V1Params {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<String>,
    #[serde(rename = "action.type", skip_serializing_if = "Option::is_none")]
    action_type: Option<String>,
    #[serde(rename = "actor.email", skip_serializing_if = "Option::is_none")]
    actor_email: Option<String>,
    #[serde(rename = "actor.ip", skip_serializing_if = "Option::is_none")]
    actor_ip: Option<String>,
    #[serde(rename = "zone.name", skip_serializing_if = "Option::is_none")]
    zone_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    since: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    before: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    direction: Option<Direction>,
    #[serde(skip_serializing_if = "Option::is_none")]
    export: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    hide_user_logs: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    page: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    per_page: Option<u32>,
}

/// Some v2 parameters: lists with their `.not` exclusions.
#[derive(Serialize)]
struct V2Params {
    since: String,
    before: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    cursor: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    limit: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    direction: Option<Direction>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    actor_email: Vec<String>,
    #[serde(rename = "actor_email.not", skip_serializing_if = "Vec::is_empty")]
    actor_email_not: Vec<String>,
    #[serde(rename = "action_result", skip_serializing_if = "Vec::is_empty")]
    action_result: Vec<String>,
    #[serde(rename = "raw_status_code", skip_serializing_if = "Vec::is_empty")]
    raw_status_code: Vec<u16>,
    #[serde(rename = "zone_name.not", skip_serializing_if = "Vec::is_empty")]
    zone_name_not: Vec<String>,
}

#[tokio::test]
async fn v1_query_string_is_exact() {
    let server = ok_server().await;
    let params = V1Params {
        action_type: Some("add".into()),
        actor_email: Some("alice+ops@example.com".into()),
        actor_ip: Some("2001:db8::1".into()),
        zone_name: Some("example.com".into()),
        since: Some("2024-05-01T10:00:00+00:00".into()),
        before: Some("2024-05-02".into()),
        direction: Some(Direction::Desc),
        export: None,
        hide_user_logs: Some(true),
        per_page: Some(100),
        ..V1Params::default()
    };
    Request::<Vec<serde_json::Value>>::json(
        &client_for(&server.uri()),
        Method::GET,
        &[PathPart::Lit("/accounts/acc/audit_logs")],
        RESULT,
    )
    .query(&params)
    .send()
    .await
    .unwrap();
    assert_eq!(
        raw_query(&server).await,
        "action.type=add&actor.email=alice%2Bops%40example.com&actor.ip=2001%3Adb8%3A%3A1\
         &zone.name=example.com&since=2024-05-01T10%3A00%3A00%2B00%3A00&before=2024-05-02\
         &direction=desc&hide_user_logs=true&per_page=100"
    );
}

#[tokio::test]
async fn v2_query_string_is_exact() {
    let server = ok_server().await;
    let params = V2Params {
        since: "2024-05-01T00:00:00+00:00".into(),
        before: "2024-05-01T23:59:59.5-07:00".into(),
        cursor: None,
        limit: Some(500),
        direction: Some(Direction::Desc),
        actor_email: vec![],
        actor_email_not: vec!["a@example.com".into(), "b c@example.com".into()],
        action_result: vec!["success".into()],
        raw_status_code: vec![200, 404],
        zone_name_not: vec!["ex&ample.com".into()],
    };
    Request::<Vec<serde_json::Value>>::json(
        &client_for(&server.uri()),
        Method::GET,
        &[PathPart::Lit("/accounts/acc/logs/audit")],
        RESULT,
    )
    .query(&params)
    .send()
    .await
    .unwrap();
    assert_eq!(
        raw_query(&server).await,
        "since=2024-05-01T00%3A00%3A00%2B00%3A00&before=2024-05-01T23%3A59%3A59.5-07%3A00\
         &limit=500&direction=desc\
         &actor_email.not=a%40example.com&actor_email.not=b+c%40example.com\
         &action_result=success&raw_status_code=200&raw_status_code=404\
         &zone_name.not=ex%26ample.com"
    );
}

#[tokio::test]
async fn nested_structs_booleans_and_pairs_on_the_wire() {
    #[derive(Serialize)]
    struct Actor {
        email: &'static str,
        ip: Option<&'static str>,
    }
    #[derive(Serialize)]
    struct Nested {
        actor: Actor,
        export: bool,
        hide_user_logs: bool,
    }
    let server = ok_server().await;
    Request::<Vec<serde_json::Value>>::json(
        &client_for(&server.uri()),
        Method::GET,
        &[PathPart::Lit("/x")],
        RESULT,
    )
    .query(&Nested {
        actor: Actor {
            email: "a@b.c",
            ip: None,
        },
        export: false,
        hide_user_logs: true,
    })
    .query(&[("since", "2024-01-01T00:00:00+00:00")])
    .send()
    .await
    .unwrap();
    assert_eq!(
        raw_query(&server).await,
        "actor.email=a%40b.c&export=false&hide_user_logs=true&since=2024-01-01T00%3A00%3A00%2B00%3A00"
    );
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Log {
    id: String,
}

const CSV: &str = "id,when,actor_email\n1,2024-05-01T10:00:00Z,a@example.com\n2,2024-05-01T11:00:00Z,\"b,c\"@example.com\n";

#[tokio::test]
async fn into_raw_returns_a_csv_body_as_bytes() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::query_param("export", "true"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(CSV.as_bytes().to_vec(), "text/csv; charset=utf-8"),
        )
        .mount(&server)
        .await;
    let client = client_for(&server.uri());
    let list = || {
        Request::<Vec<Log>>::json(
            &client,
            Method::GET,
            &[PathPart::Lit("/accounts/acc/audit_logs")],
            RESULT,
        )
        .query(&[("export", true)])
        .header("x-extra", "kept")
    };
    // As JSON it cannot decode ...
    let err = list().send().await.unwrap_err();
    assert!(matches!(err, Error::NonJson { .. }), "{err:?}");
    // ... as raw it is the body, bytes for bytes.
    let response = list().into_raw().send().await.unwrap();
    let raw: &RawBody = &response.data;
    assert_eq!(raw.bytes().as_ref(), CSV.as_bytes());
    assert_eq!(raw.content_type(), Some("text/csv; charset=utf-8"));
    assert_eq!(response.status, StatusCode::OK);

    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    let raw_request = &requests[1];
    assert_eq!(raw_request.url.path(), "/client/v4/accounts/acc/audit_logs");
    assert_eq!(raw_request.url.query(), Some("export=true"));
    assert_eq!(raw_request.headers["x-extra"], "kept");
    assert_eq!(raw_request.headers["authorization"], "Bearer token");
    // The JSON request's `Accept: application/json` is not kept.
    assert_eq!(requests[0].headers["accept"], "application/json");
    assert_ne!(
        raw_request
            .headers
            .get("accept")
            .map(|v| v.to_str().unwrap()),
        Some("application/json")
    );
}

#[tokio::test]
async fn into_raw_keeps_errors_and_retries() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503).set_body_string("busy"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(wiremock::matchers::path("/client/v4/ok"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(CSV, "text/csv"))
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(403).set_body_json(
            json!({"success": false, "errors": [{"code": 10000, "message": "Authentication error"}]}),
        ))
        .mount(&server)
        .await;
    let client = client_for(&server.uri());
    let ok = Request::<Vec<Log>>::json(&client, Method::GET, &[PathPart::Lit("/ok")], RESULT)
        .into_raw()
        .send()
        .await
        .unwrap();
    assert_eq!(ok.attempts, 2);
    assert_eq!(ok.data.text().unwrap(), CSV);
    let err = Request::<Vec<Log>>::json(&client, Method::GET, &[PathPart::Lit("/no")], RESULT)
        .into_raw()
        .max_retries(0)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.codes(), [10000]);
    assert_eq!(err.status(), Some(StatusCode::FORBIDDEN));
}

/// A one-connection HTTP server that answers with `head` and then writes
/// each of `chunks` as an HTTP/1.1 chunk, pausing `pause` before each.
/// With `cut`, the connection is closed before the terminating chunk.
async fn chunked_server(
    head: &'static str,
    chunks: Vec<Vec<u8>>,
    pause: Duration,
    cut: bool,
) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut buf = vec![0u8; 8192];
        let mut seen = Vec::new();
        while !seen.windows(4).any(|w| w == b"\r\n\r\n") {
            let n = socket.read(&mut buf).await.unwrap();
            if n == 0 {
                return;
            }
            seen.extend_from_slice(&buf[..n]);
        }
        socket.write_all(head.as_bytes()).await.unwrap();
        socket.flush().await.unwrap();
        for chunk in chunks {
            tokio::time::sleep(pause).await;
            let mut frame = format!("{:x}\r\n", chunk.len()).into_bytes();
            frame.extend_from_slice(&chunk);
            frame.extend_from_slice(b"\r\n");
            if socket.write_all(&frame).await.is_err() {
                return;
            }
            let _ = socket.flush().await;
        }
        if !cut {
            let _ = socket.write_all(b"0\r\n\r\n").await;
            let _ = socket.flush().await;
            // Let the client read the end before the socket closes.
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    });
    format!("http://{addr}")
}

const CHUNKED_CSV_HEAD: &str = "HTTP/1.1 200 OK\r\ncontent-type: text/csv\r\ntransfer-encoding: chunked\r\ncf-ray: 1234-SJC\r\n\r\n";

fn csv_chunks() -> Vec<Vec<u8>> {
    (0..8)
        .map(|i| {
            (0..1_000)
                .map(|row| format!("{},{row},user{row}@example.com\n", i * 1_000 + row))
                .collect::<String>()
                .into_bytes()
        })
        .collect()
}

fn export(base: &str) -> Request<RawBody> {
    Request::<Vec<Log>>::json(
        &client_for(base),
        Method::GET,
        &[PathPart::Lit("/accounts/acc/audit_logs")],
        RESULT,
    )
    .query(&[("export", "true")])
    .into_raw()
}

#[tokio::test]
async fn bytes_stream_yields_a_multi_chunk_body_as_it_arrives() {
    let chunks = csv_chunks();
    let expected: Vec<u8> = chunks.concat();
    let base = chunked_server(CHUNKED_CSV_HEAD, chunks, Duration::from_millis(30), false).await;
    let stream: RawStream = export(&base).bytes_stream().await.unwrap();
    assert_eq!(stream.status(), StatusCode::OK);
    assert_eq!(stream.content_type(), Some("text/csv"));
    assert_eq!(stream.ray_id(), Some("1234-SJC"));
    assert_eq!(stream.attempts(), 1);
    let received: Vec<Bytes> = stream.try_collect().await.unwrap();
    assert!(received.len() >= 8, "{} chunks", received.len());
    assert_eq!(received.concat(), expected);

    // The same through into_parts, and collected into one RawBody.
    let base = chunked_server(CHUNKED_CSV_HEAD, csv_chunks(), Duration::ZERO, false).await;
    let (status, headers, body) = export(&base).bytes_stream().await.unwrap().into_parts();
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["content-type"], "text/csv");
    let total: usize = body
        .map_ok(|b| b.len())
        .try_fold(0, |a, n| async move { Ok(a + n) })
        .await
        .unwrap();
    assert_eq!(total, expected.len());
    let base = chunked_server(CHUNKED_CSV_HEAD, csv_chunks(), Duration::ZERO, false).await;
    let body = export(&base)
        .bytes_stream()
        .await
        .unwrap()
        .into_body()
        .await
        .unwrap();
    assert_eq!(body.bytes().as_ref(), expected.as_slice());
    assert_eq!(body.content_type(), Some("text/csv"));
}

#[tokio::test]
async fn bytes_stream_reports_a_body_cut_short_and_a_stalled_body() {
    let base = chunked_server(CHUNKED_CSV_HEAD, csv_chunks(), Duration::ZERO, true).await;
    let results: Vec<Result<Bytes, Error>> =
        export(&base).bytes_stream().await.unwrap().collect().await;
    let last = results.last().unwrap();
    assert!(matches!(last, Err(Error::Transport { .. })), "{last:?}");
    assert!(results[..results.len() - 1].iter().all(Result::is_ok));

    // A pause between chunks longer than the per-attempt timeout.
    let base = chunked_server(
        CHUNKED_CSV_HEAD,
        csv_chunks(),
        Duration::from_millis(400),
        false,
    )
    .await;
    let mut stream = export(&base)
        .timeout(Duration::from_millis(150))
        .bytes_stream()
        .await
        .unwrap();
    let first = stream.next().await.unwrap();
    assert!(
        matches!(first, Err(Error::Timeout { overall: false, .. })),
        "{first:?}"
    );
    assert!(stream.next().await.is_none());

    // The deadline bounds the body too.
    let base = chunked_server(
        CHUNKED_CSV_HEAD,
        csv_chunks(),
        Duration::from_millis(100),
        false,
    )
    .await;
    let stream = export(&base)
        .overall_timeout(Duration::from_millis(250))
        .bytes_stream()
        .await
        .unwrap();
    let results: Vec<Result<Bytes, Error>> = stream.collect().await;
    assert!(
        matches!(
            results.last(),
            Some(Err(Error::Timeout { overall: true, .. }))
        ),
        "{:?}",
        results.last()
    );
}

#[tokio::test]
async fn bytes_stream_retries_until_the_head_and_reports_non_2xx() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "0"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(wiremock::matchers::path(
        "/client/v4/accounts/acc/audit_logs",
    ))
    .respond_with(ResponseTemplate::new(200).set_body_raw(CSV, "text/csv"))
    .mount(&server)
    .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(404).set_body_json(
            json!({"success": false, "errors": [{"code": 7003, "message": "No route"}]}),
        ))
        .mount(&server)
        .await;
    let stream = export(&server.uri()).bytes_stream().await.unwrap();
    assert_eq!(stream.attempts(), 2);
    assert_eq!(stream.into_body().await.unwrap().text().unwrap(), CSV);

    let err = Request::raw(
        &client_for(&server.uri()),
        Method::GET,
        &[PathPart::Lit("/missing")],
    )
    .bytes_stream()
    .await
    .unwrap_err();
    assert_eq!(err.codes(), [7003]);
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

#[test]
fn streams_and_their_futures_are_send_and_static() {
    fn assert_send_static<T: Send + 'static>(_: &T) {}
    let client = client_for("http://127.0.0.1:9");
    let request = Request::<Vec<Log>>::json(&client, Method::GET, &[PathPart::Lit("/x")], RESULT);
    assert_send_static(&request.clone().into_raw().bytes_stream());
    assert_send_static(&request.clone().pages());
    assert_send_static(&request.items());
    fn assert_stream<S: futures::Stream<Item = Result<Bytes, Error>> + Send + Unpin + 'static>() {}
    assert_stream::<RawStream>();
}

#[tokio::test]
async fn response_debug_redacts_cookies_and_credentials() {
    const COOKIE: &str = "__cf_bm=SESSION-SECRET-123; path=/; HttpOnly";
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("set-cookie", COOKIE)
                .insert_header("x-auth-key", "KEY-SECRET-456")
                .insert_header("x-auth-user-service-key", "SERVICE-SECRET-789")
                .insert_header("authorization", "Bearer TOKEN-SECRET-0")
                .insert_header("x-api-key", "GATEWAY-SECRET-1")
                .insert_header("cf-ray", "8f1e2d3c4b5a6978-AMS")
                .set_body_json(
                    json!({"success": true, "errors": [], "messages": [], "result": []}),
                ),
        )
        .mount(&server)
        .await;
    let client = client_for(&server.uri());
    let request = Request::<Vec<Log>>::json(&client, Method::GET, &[PathPart::Lit("/x")], RESULT);
    let response = request.clone().send().await.unwrap();
    let stream = request.into_raw().bytes_stream().await.unwrap();
    for shown in [format!("{response:?}"), format!("{stream:?}")] {
        assert!(!shown.contains("SECRET"), "a secret leaked: {shown}");
        for name in [
            "set-cookie",
            "x-auth-key",
            "x-auth-user-service-key",
            "authorization",
            "x-api-key",
        ] {
            assert!(
                shown.contains(&format!("\"{name}\": [redacted]")),
                "{name} is not shown redacted: {shown}"
            );
        }
        // What support needs stays readable.
        assert!(
            shown.contains("\"cf-ray\": \"8f1e2d3c4b5a6978-AMS\""),
            "{shown}"
        );
    }
}
