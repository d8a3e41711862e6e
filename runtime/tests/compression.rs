//! Compressed responses (issue 13): gzip and brotli bodies decoded transparently, for JSON,
//! raw and streamed bodies; `Accept-Encoding` sent by default and `identity` when turned off;
//! a truncated or corrupt compressed body is a transport error, retried like one. Against a
//! hand-written HTTP/1.1 server on 127.0.0.1 that serves exact bytes.

use std::io::Write as _;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use cloudflare_client_runtime::{Client, Error, Request};
use cloudflare_client_runtime::{DataAt, PathPart};
use futures::TryStreamExt;
use reqwest::Method;
use serde::Deserialize;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const RESULT: DataAt = DataAt::Envelope(&["result"]);

#[derive(Debug, Deserialize, PartialEq)]
struct Item {
    id: u64,
    name: Option<String>,
}

fn body() -> Vec<u8> {
    let items: Vec<_> = (0..200)
        .map(|i| json!({"id": i, "name": format!("item number {i}")}))
        .collect();
    serde_json::to_vec(&json!({"success": true, "errors": [], "messages": [], "result": items}))
        .unwrap()
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

fn brotli(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut writer = brotli::CompressorWriter::new(&mut out, 4096, 5, 22);
        writer.write_all(bytes).unwrap();
    }
    out
}

/// A 200 response with exactly these body bytes and, if given, this `Content-Encoding`.
fn response(body: &[u8], encoding: Option<&str>) -> Vec<u8> {
    let mut out = String::from("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n");
    if let Some(encoding) = encoding {
        out.push_str(&format!("content-encoding: {encoding}\r\n"));
    }
    out.push_str(&format!(
        "content-length: {}\r\nconnection: close\r\n\r\n",
        body.len()
    ));
    let mut out = out.into_bytes();
    out.extend_from_slice(body);
    out
}

/// Serves `responses` in order, one per connection (the last one again once they run out),
/// and records each request's head (lower-cased).
async fn server(responses: Vec<Vec<u8>>) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let heads = Arc::new(Mutex::new(Vec::new()));
    let seen = heads.clone();
    tokio::spawn(async move {
        let mut n = 0;
        while let Ok((mut socket, _)) = listener.accept().await {
            let reply = responses[n.min(responses.len() - 1)].clone();
            n += 1;
            let seen = seen.clone();
            tokio::spawn(async move {
                let mut buf = Vec::new();
                let mut chunk = [0u8; 4096];
                while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
                    match socket.read(&mut chunk).await {
                        Ok(0) | Err(_) => return,
                        Ok(k) => buf.extend_from_slice(&chunk[..k]),
                    }
                }
                seen.lock()
                    .unwrap()
                    .push(String::from_utf8_lossy(&buf).to_lowercase());
                let _ = socket.write_all(&reply).await;
                let _ = socket.shutdown().await;
            });
        }
    });
    (url, heads)
}

fn client(url: &str) -> cloudflare_client_runtime::ClientBuilder {
    Client::builder()
        .base_url(url)
        .api_token("token")
        .initial_backoff(Duration::from_millis(1))
        .max_backoff(Duration::from_millis(5))
}

fn list(client: &Client) -> Request<Vec<Item>> {
    Request::json(client, Method::GET, &[PathPart::Lit("/items")], RESULT)
}

fn accept_encoding(head: &str) -> Option<&str> {
    head.lines()
        .find_map(|l| l.strip_prefix("accept-encoding:"))
        .map(str::trim)
}

#[tokio::test]
async fn gzip_and_brotli_bodies_are_decoded_and_accept_encoding_is_sent() {
    let plain = body();
    for (encoding, compressed) in [("gzip", gzip(&plain)), ("br", brotli(&plain))] {
        assert!(compressed.len() < plain.len() / 3, "{encoding} compresses");
        let (url, heads) = server(vec![response(&compressed, Some(encoding))]).await;
        let client = client(&url).build().unwrap();

        let response = list(&client).send().await.unwrap();
        assert_eq!(response.data.len(), 200, "{encoding}");
        assert_eq!(response.data[7].name.as_deref(), Some("item number 7"));
        assert_eq!(response.attempts, 1);

        // Raw and streamed bodies get the decoded bytes too.
        let raw = list(&client).into_raw().send().await.unwrap();
        assert_eq!(raw.data.bytes().as_ref(), plain.as_slice(), "{encoding}");
        let streamed = list(&client)
            .into_raw()
            .bytes_stream()
            .await
            .unwrap()
            .into_body()
            .await
            .unwrap();
        assert_eq!(streamed.bytes().as_ref(), plain.as_slice(), "{encoding}");

        for head in heads.lock().unwrap().iter() {
            let accepted = accept_encoding(head).expect("Accept-Encoding is sent");
            assert!(
                accepted.contains("gzip") && accepted.contains("br"),
                "{accepted}"
            );
        }
    }
}

#[tokio::test]
async fn compression_off_asks_for_identity_and_decodes_nothing() {
    let plain = body();
    let (url, heads) = server(vec![
        response(&plain, None),
        response(&gzip(&plain), Some("gzip")),
    ])
    .await;
    let client = client(&url)
        .compression(false)
        .max_retries(0)
        .build()
        .unwrap();
    assert_eq!(list(&client).send().await.unwrap().data.len(), 200);
    // A server that compresses anyway: the bytes come through as sent.
    let raw = list(&client).into_raw().send().await.unwrap();
    assert_eq!(raw.data.bytes().as_ref(), gzip(&plain).as_slice());
    for head in heads.lock().unwrap().iter() {
        assert_eq!(accept_encoding(head), Some("identity"), "{head}");
    }
}

#[tokio::test]
async fn a_truncated_gzip_body_is_a_transport_error_and_is_retried() {
    let plain = body();
    let compressed = gzip(&plain);
    // Well-framed HTTP (the Content-Length matches), but the gzip stream stops half-way.
    let truncated = response(&compressed[..compressed.len() / 2], Some("gzip"));
    let whole = response(&compressed, Some("gzip"));

    let (url, heads) = server(vec![truncated.clone(), whole]).await;
    let response = list(&client(&url).build().unwrap()).send().await.unwrap();
    assert_eq!(response.data.len(), 200);
    assert_eq!(response.attempts, 2, "the truncated body was retried");
    assert_eq!(heads.lock().unwrap().len(), 2);

    let (url, _) = server(vec![truncated]).await;
    let err = list(&client(&url).max_retries(1).build().unwrap())
        .send()
        .await
        .unwrap_err();
    match &err {
        Error::Transport { source, attempts } => {
            assert_eq!(*attempts, 2);
            assert!(source.is_decode(), "{source:?}");
        }
        other => panic!("expected a transport error, got {other:?}"),
    }
    assert!(err.is_retryable());
    let shown = err.to_string();
    assert!(shown.contains("compressed"), "{shown}");
}

#[tokio::test]
async fn a_corrupt_brotli_body_is_a_transport_error_and_is_retried() {
    let garbage = b"this is not brotli at all, not even close \x00\xff\x13".repeat(20);
    let (url, heads) = server(vec![response(&garbage, Some("br"))]).await;
    let err = list(&client(&url).max_retries(2).build().unwrap())
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Transport { attempts: 3, .. }),
        "{err:?}"
    );
    assert_eq!(heads.lock().unwrap().len(), 3);
}

#[tokio::test]
async fn a_truncated_gzip_listing_page_is_retried_within_the_walk() {
    let page = |ids: std::ops::Range<u64>, cursor: Option<&str>| {
        let items: Vec<_> = ids.map(|i| json!({"id": i})).collect();
        let info = match cursor {
            Some(c) => json!({"count": items.len(), "cursor": c}),
            None => json!({"count": items.len()}),
        };
        gzip(
            &serde_json::to_vec(&json!({"success": true, "result": items, "result_info": info}))
                .unwrap(),
        )
    };
    let first = page(0..50, Some("c1"));
    let second = page(50..100, None);
    let (url, heads) = server(vec![
        response(&first, Some("gzip")),
        response(&second[..second.len() - 10], Some("gzip")),
        response(&second, Some("gzip")),
    ])
    .await;
    let client = client(&url).build().unwrap();
    let ids: Vec<u64> = list(&client)
        .paginate(cloudflare_client_runtime::Pagination::CURSOR)
        .items()
        .map_ok(|i| i.id)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, (0..100).collect::<Vec<_>>());
    assert_eq!(heads.lock().unwrap().len(), 3);
}
