//! Property: any string path parameter either is refused with
//! `InvalidPathParam` (before anything is sent) or reaches the server as
//! exactly one path segment that percent-decodes back to the input.
//!
//! The server is a raw TCP one that echoes the request target exactly as it
//! arrived on the wire, so nothing between the client and the assertion can
//! normalise it.

use std::sync::OnceLock;

use cloudflare_client_runtime::PathPart;
use cloudflare_client_runtime::{Client, Error, Request};
use percent_encoding::percent_decode_str;
use proptest::prelude::*;
use reqwest::Method;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::runtime::Runtime;

struct Harness {
    runtime: Runtime,
    client: Client,
}

fn harness() -> &'static Harness {
    static HARNESS: OnceLock<Harness> = OnceLock::new();
    HARNESS.get_or_init(|| {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let addr = runtime.block_on(async {
            let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
            let addr = listener.local_addr().unwrap();
            tokio::spawn(async move {
                loop {
                    let (socket, _) = listener.accept().await.unwrap();
                    tokio::spawn(echo_targets(socket));
                }
            });
            addr
        });
        let client = Client::builder()
            .base_url(format!("http://{addr}/client/v4"))
            .max_retries(0)
            .build()
            .unwrap();
        Harness { runtime, client }
    })
}

/// Answers every request on a keep-alive connection with its request target.
async fn echo_targets(mut socket: tokio::net::TcpStream) {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        while let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).into_owned();
            buf.drain(..end + 4);
            let target = head
                .lines()
                .next()
                .unwrap_or_default()
                .split(' ')
                .nth(1)
                .unwrap_or_default()
                .to_owned();
            let response = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {}\r\n\r\n{target}",
                target.len()
            );
            if socket.write_all(response.as_bytes()).await.is_err() {
                return;
            }
        }
        match socket.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
}

fn check(value: &str) -> Result<(), TestCaseError> {
    let h = harness();
    let parts = [
        PathPart::Lit("/accounts/"),
        PathPart::Param("account_id", value),
        PathPart::Lit("/audit_logs"),
    ];
    let result = h
        .runtime
        .block_on(Request::raw(&h.client, Method::GET, &parts).send());
    match result {
        Err(Error::InvalidPathParam { name, value: v, .. }) => {
            prop_assert_eq!(name, "account_id");
            prop_assert_eq!(&v, value);
            prop_assert!(
                matches!(value, "" | "." | ".."),
                "refused a value that can be encoded: {:?}",
                value
            );
        }
        Err(other) => return Err(TestCaseError::fail(format!("{value:?}: {other}"))),
        Ok(response) => {
            let target = response.data.text().unwrap().to_owned();
            let segments: Vec<&str> = target.split('/').collect();
            prop_assert_eq!(segments.len(), 6, "target {:?} for {:?}", target, value);
            prop_assert_eq!(&segments[..4], &["", "client", "v4", "accounts"][..]);
            prop_assert_eq!(segments[5], "audit_logs");
            let segment = segments[4];
            prop_assert!(!segment.contains(['?', '#']), "{:?}", segment);
            prop_assert!(segment != "." && segment != "..");
            let decoded = percent_decode_str(segment).decode_utf8().unwrap();
            prop_assert_eq!(decoded.as_ref(), value, "segment {:?}", segment);
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn any_path_param_is_one_segment_or_refused(
        value in prop_oneof![
            any::<String>(),
            "[./?#% \\\\a%2eé東\u{0}\n]{0,8}",
            Just(String::from("..")),
            Just(String::from(".")),
            Just(String::new()),
        ]
    ) {
        check(&value)?;
    }
}

#[test]
fn fixed_hostile_values() {
    for value in [
        "../x?y#z", "..", ".", "", "a/b", "%2e%2e", "%2E", "./", "/..", "\u{202e}", "ü 東", "%",
        "?", "#",
    ] {
        check(value).unwrap();
    }
}
