//! The generated client under faults (issue "Reliability", section "Under faults"): a
//! paginated v1 Audit Logs listing of 5,000 items runs against a local server that fails every
//! 10th request, cycling through a 429 with `Retry-After: 0`, a 503 with an HTML body, a
//! connection closed mid-response, a response slower than the per-attempt timeout and a 429
//! with `retry-after-ms: 5`. Every item must arrive exactly once, in order, with exactly the
//! retries the schedule implies. Non-retryable errors (403, 400) surface at once with their
//! Cloudflare error codes.
//!
//! Connection-level faults need a raw TCP server: [`FaultServer`] is a minimal HTTP/1.1
//! keep-alive server on 127.0.0.1, enough for the client's GET requests.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use cloudflare_client::audit_logs::ListAccountAuditLogsParams;
use cloudflare_client::{Client, Error};
use futures::{StreamExt, TryStreamExt};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use wiremock::{Mock, MockServer, Respond, ResponseTemplate};

const ACCOUNT: &str = "023e105f4ecef8ad9ca31a8372d0c353";
const TOTAL: usize = 5_000;
const PER_PAGE: usize = 100;
const PAGES: usize = TOTAL / PER_PAGE;
/// Per-attempt timeout of the client; the slow fault answers after `SLOW`.
const ATTEMPT_TIMEOUT: Duration = Duration::from_millis(750);
const SLOW: Duration = Duration::from_millis(2_000);

/// What the server does instead of answering.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Fault {
    /// 429 with `Retry-After: 0` and a Cloudflare rate-limit envelope.
    RateLimitedRetryAfter,
    /// 503 with an HTML body, as the edge sends.
    Html503,
    /// 200 with `Content-Length`, half the body, then the connection is closed.
    ClosedMidResponse,
    /// The full answer, after the client's per-attempt timeout.
    Slow,
    /// 429 with `retry-after-ms: 5`.
    RateLimitedRetryAfterMs,
}

const CYCLE: [Fault; 5] = [
    Fault::RateLimitedRetryAfter,
    Fault::Html503,
    Fault::ClosedMidResponse,
    Fault::Slow,
    Fault::RateLimitedRetryAfterMs,
];

/// The deterministic schedule: request `n` (1-based, in arrival order) fails when `n` is a
/// multiple of 10, the kinds taking turns.
fn fault_for(n: usize) -> Option<Fault> {
    (n % 10 == 0).then(|| CYCLE[(n / 10 - 1) % CYCLE.len()])
}

/// One request as the server saw it.
#[derive(Debug, Clone)]
struct Seen {
    page: usize,
    per_page: usize,
    fault: Option<Fault>,
}

/// A v1 page-numbered Audit Logs server over `TOTAL` items that injects the scheduled faults.
struct FaultServer {
    addr: SocketAddr,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl FaultServer {
    async fn start() -> FaultServer {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1");
        let addr = listener.local_addr().expect("local address");
        let seen = Arc::new(Mutex::new(Vec::new()));
        let counter = Arc::new(AtomicUsize::new(0));
        let accept_seen = seen.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve_connection(
                    stream,
                    counter.clone(),
                    accept_seen.clone(),
                ));
            }
        });
        FaultServer { addr, seen }
    }

    fn base_url(&self) -> String {
        format!("http://{}/client/v4", self.addr)
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

/// Serves requests on one connection until the client closes it or a fault cuts it.
async fn serve_connection(
    mut stream: TcpStream,
    counter: Arc<AtomicUsize>,
    seen: Arc<Mutex<Vec<Seen>>>,
) {
    let mut buffer = Vec::new();
    loop {
        // Read one request head (GET requests have no body).
        let head_end = loop {
            if let Some(i) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
                break i + 4;
            }
            let mut chunk = [0u8; 4096];
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buffer.extend_from_slice(&chunk[..n]),
            }
        };
        let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
        buffer.drain(..head_end);
        let target = head.split_whitespace().nth(1).unwrap_or("/").to_owned();
        let url = url::Url::parse(&format!("http://server{target}")).expect("request target");
        let query: BTreeMap<String, String> = url.query_pairs().into_owned().collect();
        let page: usize = query.get("page").and_then(|v| v.parse().ok()).unwrap_or(1);
        let per_page: usize = query
            .get("per_page")
            .and_then(|v| v.parse().ok())
            .unwrap_or(25);

        let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
        let fault = fault_for(n);
        seen.lock().unwrap().push(Seen {
            page,
            per_page,
            fault,
        });

        let page_body = || {
            let start = (page - 1) * per_page;
            let items: Vec<Value> = (start..(start + per_page).min(TOTAL)).map(item).collect();
            let info = json!({"page": page, "per_page": per_page, "count": items.len(),
                              "total_count": TOTAL, "total_pages": TOTAL.div_ceil(per_page)});
            json!({"success": true, "errors": [], "messages": [], "result": items, "result_info": info})
                .to_string()
        };
        let response = match fault {
            None => response(
                200,
                "OK",
                &[("content-type", "application/json")],
                &page_body(),
            ),
            Some(Fault::RateLimitedRetryAfter) | Some(Fault::RateLimitedRetryAfterMs) => {
                let header = if fault == Some(Fault::RateLimitedRetryAfter) {
                    ("retry-after", "0")
                } else {
                    ("retry-after-ms", "5")
                };
                let body = json!({"success": false, "messages": [], "result": null,
                    "errors": [{"code": 971, "message": "Please wait and consider throttling your request speed"}]});
                response(
                    429,
                    "Too Many Requests",
                    &[("content-type", "application/json"), header],
                    &body.to_string(),
                )
            }
            Some(Fault::Html503) => response(
                503,
                "Service Unavailable",
                &[("content-type", "text/html")],
                "<html><head><title>503 Service Temporarily Unavailable</title></head>\
                 <body><center><h1>503 Service Temporarily Unavailable</h1></center><hr><center>cloudflare</center></body></html>",
            ),
            Some(Fault::ClosedMidResponse) => {
                let full = response(
                    200,
                    "OK",
                    &[("content-type", "application/json")],
                    &page_body(),
                );
                let cut = full.len() - (full.len() - full.find("\r\n\r\n").unwrap()) / 2;
                let _ = stream.write_all(&full.as_bytes()[..cut]).await;
                let _ = stream.flush().await;
                let _ = stream.shutdown().await;
                return;
            }
            Some(Fault::Slow) => {
                tokio::time::sleep(SLOW).await;
                let _ = stream
                    .write_all(
                        response(
                            200,
                            "OK",
                            &[("content-type", "application/json")],
                            &page_body(),
                        )
                        .as_bytes(),
                    )
                    .await;
                return;
            }
        };
        if stream.write_all(response.as_bytes()).await.is_err() {
            return;
        }
    }
}

fn response(status: u16, reason: &str, headers: &[(&str, &str)], body: &str) -> String {
    let mut out = format!(
        "HTTP/1.1 {status} {reason}\r\ncontent-length: {}\r\ncf-ray: 8e9b1c60ef9e1c9a-SJC\r\n",
        body.len()
    );
    for (name, value) in headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    out.push_str("\r\n");
    out.push_str(body);
    out
}

fn item(i: usize) -> Value {
    json!({
        "id": format!("log-{i:05}"),
        "action": {"result": true, "type": "change_setting"},
        "actor": {"id": "f6b5de03", "email": "michelle@example.com", "ip": "198.41.129.166", "type": "user"},
        "interface": "API",
        "metadata": {"seq": i},
        "owner": {"id": ACCOUNT},
        "resource": {"id": ACCOUNT, "type": "zone"},
        "when": "2024-10-02T00:00:00Z"
    })
}

fn fault_client(base_url: String) -> Client {
    Client::builder()
        .base_url(base_url)
        .api_token("faults-token")
        .max_retries(3)
        .timeout(ATTEMPT_TIMEOUT)
        .initial_backoff(Duration::from_millis(5))
        .max_backoff(Duration::from_millis(20))
        .build()
        .expect("client builds")
}

/// Requests the schedule implies for `pages` pages: each scheduled fault costs one more
/// request (the retry); faults are 10 requests apart, so no page needs two retries.
fn expected_requests(pages: usize) -> usize {
    let (mut n, mut done) = (0, 0);
    while done < pages {
        n += 1;
        if fault_for(n).is_none() {
            done += 1;
        }
    }
    n
}

/// Checks the server's log: the scheduled faults, each one retried on the same page, pages in order.
fn check_server_log(seen: &[Seen]) {
    assert_eq!(
        expected_requests(PAGES),
        55,
        "the schedule: 50 pages + 5 faults"
    );
    assert_eq!(
        seen.len(),
        expected_requests(PAGES),
        "total requests = pages + injected faults"
    );
    let faults: Vec<Fault> = seen.iter().filter_map(|s| s.fault).collect();
    assert_eq!(
        faults,
        CYCLE.to_vec(),
        "every fault kind injected once, in turn"
    );
    let mut expected_page = 1;
    for (i, s) in seen.iter().enumerate() {
        assert_eq!(s.per_page, PER_PAGE);
        assert_eq!(
            s.page,
            expected_page,
            "request {} asks for the right page",
            i + 1
        );
        if s.fault.is_none() {
            expected_page += 1;
        }
    }
    assert_eq!(expected_page, PAGES + 1, "no request past the last page");
}

#[tokio::test]
async fn a_5000_item_listing_survives_10_percent_faults_with_exact_retries() {
    let server = FaultServer::start().await;
    let client = fault_client(server.base_url());
    let params = ListAccountAuditLogsParams::new().per_page(PER_PAGE as i64);
    let started = Instant::now();
    let items: Vec<_> = client
        .audit_logs()
        .list_account_audit_logs(ACCOUNT, &params)
        .items()
        .try_collect()
        .await
        .expect("the listing survives every fault");
    let elapsed = started.elapsed();

    let ids: Vec<String> = items.iter().map(|i| i.id.clone().expect("id")).collect();
    let expected: Vec<String> = (0..TOTAL).map(|i| format!("log-{i:05}")).collect();
    assert_eq!(ids.len(), TOTAL);
    assert!(ids == expected, "every item exactly once, in order");
    check_server_log(&server.seen());
    eprintln!("5000 items, {} requests, {elapsed:?}", server.seen().len());
}

#[tokio::test]
async fn each_page_reports_the_attempts_it_took() {
    let server = FaultServer::start().await;
    let client = fault_client(server.base_url());
    let params = ListAccountAuditLogsParams::new().per_page(PER_PAGE as i64);
    let pages: Vec<_> = client
        .audit_logs()
        .list_account_audit_logs(ACCOUNT, &params)
        .pages()
        .try_collect()
        .await
        .expect("the listing survives every fault");
    assert_eq!(pages.len(), PAGES);
    let items: usize = pages.iter().map(|p| p.data.len()).sum();
    assert_eq!(items, TOTAL);
    // Client side: one retry on each page whose first request hit a fault.
    let seen = server.seen();
    let retried_pages: Vec<usize> = seen
        .iter()
        .filter(|s| s.fault.is_some())
        .map(|s| s.page)
        .collect();
    for (i, page) in pages.iter().enumerate() {
        let expected = if retried_pages.contains(&(i + 1)) {
            2
        } else {
            1
        };
        assert_eq!(page.attempts, expected, "attempts of page {}", i + 1);
        assert!(page.warnings.is_empty());
    }
    let retries: u32 = pages.iter().map(|p| p.attempts - 1).sum();
    assert_eq!(
        retries as usize,
        CYCLE.len(),
        "client-side retries = injected faults"
    );
    check_server_log(&seen);
}

// --- Non-retryable errors surface at once ----------------------------------------------------

/// Answers every request with `template`, counting them.
struct Always {
    template: ResponseTemplate,
    count: Arc<AtomicUsize>,
}

impl Respond for Always {
    fn respond(&self, _: &wiremock::Request) -> ResponseTemplate {
        self.count.fetch_add(1, Ordering::SeqCst);
        self.template.clone()
    }
}

async fn always(template: ResponseTemplate) -> (MockServer, Arc<AtomicUsize>, Client) {
    let server = MockServer::start().await;
    let count = Arc::new(AtomicUsize::new(0));
    Mock::given(wiremock::matchers::method("GET"))
        .respond_with(Always {
            template,
            count: count.clone(),
        })
        .mount(&server)
        .await;
    let client = fault_client(format!("{}/client/v4", server.uri()));
    (server, count, client)
}

#[tokio::test]
async fn a_403_surfaces_at_once_with_its_codes() {
    // Even with a Retry-After: the status says retrying cannot help.
    let (_server, count, client) = always(
        ResponseTemplate::new(403)
            .insert_header("cf-ray", "8e9b1c60ef9e1c9a-SJC")
            .insert_header("retry-after", "0")
            .set_body_json(json!({
                "success": false, "messages": [], "result": null,
                "errors": [{"code": 10000, "message": "Authentication error"},
                           {"code": 9109, "message": "Unauthorized to access requested resource"}]
            })),
    )
    .await;
    let started = Instant::now();
    let err = client
        .audit_logs()
        .list_account_audit_logs(ACCOUNT, &ListAccountAuditLogsParams::new())
        .items()
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();
    assert_eq!(count.load(Ordering::SeqCst), 1, "exactly one request");
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(err.status().map(|s| s.as_u16()), Some(403));
    assert_eq!(err.codes(), vec![10000, 9109]);
    assert_eq!(err.ray_id(), Some("8e9b1c60ef9e1c9a-SJC"));
    assert!(!err.is_retryable());
    let text = err.to_string();
    assert!(text.contains("10000") && text.contains("9109"), "{text}");
}

#[tokio::test]
async fn a_400_surfaces_at_once_with_its_codes() {
    let (_server, count, client) = always(ResponseTemplate::new(400).set_body_json(json!({
        "success": false, "messages": [], "result": null,
        "errors": [{"code": 1001, "message": "Invalid request: since must be before before",
                    "source": {"pointer": "/since"}}]
    })))
    .await;
    let err = client
        .audit_logs()
        .list_user_audit_logs(
            &ListAccountAuditLogsParams::new()
                .since("2024-10-31")
                .before("2024-10-01"),
        )
        .send()
        .await
        .unwrap_err();
    assert_eq!(count.load(Ordering::SeqCst), 1, "exactly one request");
    let Error::Api { status, errors, .. } = &err else {
        panic!("expected an API error: {err:?}")
    };
    assert_eq!(status.as_u16(), 400);
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].code, 1001);
    assert_eq!(
        errors[0].source.as_ref().and_then(|s| s.pointer.as_deref()),
        Some("/since")
    );
    assert!(err.to_string().contains("(1001) at /since"), "{err}");
}

/// A listing that meets a non-retryable error on page 3 yields pages 1 and 2, then the
/// error, then ends: 3 requests in all.
#[tokio::test]
async fn a_non_retryable_error_mid_listing_ends_it_at_once() {
    struct FailOnPage3(Arc<AtomicUsize>);
    impl Respond for FailOnPage3 {
        fn respond(&self, request: &wiremock::Request) -> ResponseTemplate {
            self.0.fetch_add(1, Ordering::SeqCst);
            let q: BTreeMap<String, String> = request.url.query_pairs().into_owned().collect();
            let page: usize = q.get("page").and_then(|v| v.parse().ok()).unwrap_or(1);
            if page == 3 {
                return ResponseTemplate::new(403).set_body_json(json!({
                    "success": false, "messages": [], "result": null,
                    "errors": [{"code": 10000, "message": "Authentication error"}]}));
            }
            let items: Vec<Value> = ((page - 1) * 10..page * 10).map(item).collect();
            ResponseTemplate::new(200).set_body_json(json!({
                "success": true, "errors": [], "messages": [], "result": items,
                "result_info": {"page": page, "per_page": 10, "count": 10, "total_count": 100}}))
        }
    }
    let server = MockServer::start().await;
    let count = Arc::new(AtomicUsize::new(0));
    Mock::given(wiremock::matchers::method("GET"))
        .respond_with(FailOnPage3(count.clone()))
        .mount(&server)
        .await;
    let client = fault_client(format!("{}/client/v4", server.uri()));
    let results: Vec<_> = client
        .audit_logs()
        .list_account_audit_logs(ACCOUNT, &ListAccountAuditLogsParams::new().per_page(10))
        .items()
        .collect()
        .await;
    assert_eq!(results.len(), 21, "20 items, then the error, then the end");
    assert!(results[..20].iter().all(Result::is_ok));
    assert_eq!(results[20].as_ref().unwrap_err().codes(), vec![10000]);
    assert_eq!(count.load(Ordering::SeqCst), 3);
}

/// A retryable fault that never ends: exactly 1 + max_retries requests, then the last error.
#[tokio::test]
async fn retries_stop_after_max_retries_with_the_last_error() {
    let (_server, count, client) = always(ResponseTemplate::new(503).set_body_raw(
        "<html><body>503 Service Unavailable</body></html>",
        "text/html",
    ))
    .await;
    let err = client
        .audit_logs()
        .list_account_audit_logs(ACCOUNT, &ListAccountAuditLogsParams::new())
        .send()
        .await
        .unwrap_err();
    assert_eq!(count.load(Ordering::SeqCst), 4, "1 attempt + 3 retries");
    let Error::NonJson {
        status, excerpt, ..
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(status.as_u16(), 503);
    assert!(excerpt.contains("503 Service Unavailable"));
}
