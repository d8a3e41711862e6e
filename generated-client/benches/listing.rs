//! Listing 20,000 Audit Logs items at 1,000 a page (issue 13): the generated client's
//! `.items()` against a hand-written reqwest + serde loop decoding the same fields into plain
//! `#[derive(Deserialize)]` structs, side by side in one run, alternating, medians.
//!
//! `cargo bench -p cloudflare-client --bench listing` (`cargo test --benches` runs one round).
//!
//! Both paginations: v1 page numbers (`list_account_audit_logs`, `page`/`per_page`,
//! `result_info.total_pages`) and v2 cursors (`list_account_audit_logs_v2`,
//! `result_info.cursor`, none on the last page). Three bodies each:
//! - `conforming`: every value of its documented type;
//! - `drifted`: one field per item of the wrong JSON type (v1 `action.result`, a boolean, sent
//!   as a string; v2 `raw.status_code`, an integer, sent as a string). The hand-written structs
//!   type that field `serde_json::Value`, as someone who has seen the drift would; the
//!   generated client reads it as absent, keeps it on the item and reports it, in one pass.
//!   (v2 `resource.scope`, documented `{}`, is a string in every body, as the live API sends
//!   it: `{}` is any JSON value on both sides). The listing's warnings are summed up as
//!   `items()` does by default (every one counted by kind, the first 100 kept in full); the
//!   `drifted, keep all` line keeps all 20,000 in full, with `record_warnings(&Warnings::new())`;
//! - `gzip`: the conforming bodies gzip-compressed (`Content-Encoding: gzip`) when the request
//!   accepts gzip; both clients do by default (reqwest's `gzip` feature).
//!
//! The server is a few lines of HTTP/1.1 over std threads on 127.0.0.1 (keep-alive, every body
//! rendered before timing), so it costs both clients the same and as little as possible; one
//! line at the end compares it with wiremock for the hand-written v1 loop.

use std::collections::HashMap;
use std::hint::black_box;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use cloudflare_client::Client;
use cloudflare_client::audit_logs::{
    ListAccountAuditLogsParams as V1Params, ListAccountAuditLogsV2Params as V2Params,
};
use cloudflare_client::runtime::{LISTING_WARNINGS_KEPT, ListResult, Request, Warnings};
use futures::TryStreamExt;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

#[path = "../../tests/timing.rs"]
mod timing;

use timing::cpu_now;

const ITEMS: usize = 20_000;
const PER_PAGE: usize = 1_000;
const PAGES: usize = ITEMS / PER_PAGE;
const SINCE: &str = "2024-10-30T00:00:00Z";
const BEFORE: &str = "2024-10-31T00:00:00Z";

/// The hand-written side: plain serde, `Option` fields, the documented enums as `String`, the
/// drifted fields as `Value`.
#[allow(dead_code)] // Decoded, not read.
mod plain {
    use serde::Deserialize;
    use serde_json::Value;

    #[derive(Deserialize)]
    pub struct Envelope<T> {
        pub success: bool,
        #[serde(default)]
        pub errors: Vec<Value>,
        #[serde(default)]
        pub messages: Vec<Value>,
        pub result: Option<Vec<T>>,
        pub result_info: Option<ResultInfo>,
    }

    #[derive(Deserialize)]
    pub struct ResultInfo {
        pub page: Option<u64>,
        pub per_page: Option<u64>,
        pub count: Option<u64>,
        pub total_count: Option<u64>,
        pub total_pages: Option<u64>,
        pub cursor: Option<String>,
    }

    #[derive(Deserialize)]
    pub struct V1 {
        pub id: Option<String>,
        pub action: Option<V1Action>,
        pub actor: Option<V1Actor>,
        pub interface: Option<String>,
        pub metadata: Option<Value>,
        #[serde(rename = "newValue")]
        pub new_value: Option<String>,
        #[serde(rename = "oldValue")]
        pub old_value: Option<String>,
        pub owner: Option<Id>,
        pub resource: Option<V1Resource>,
        pub when: Option<String>,
    }

    #[derive(Deserialize)]
    pub struct V1Action {
        pub result: Option<Value>,
        #[serde(rename = "type")]
        pub type_: Option<String>,
    }

    #[derive(Deserialize)]
    pub struct V1Actor {
        pub id: Option<String>,
        pub email: Option<String>,
        pub ip: Option<String>,
        #[serde(rename = "type")]
        pub type_: Option<String>,
    }

    #[derive(Deserialize)]
    pub struct Id {
        pub id: Option<String>,
    }

    #[derive(Deserialize)]
    pub struct V1Resource {
        pub id: Option<String>,
        #[serde(rename = "type")]
        pub type_: Option<String>,
    }

    #[derive(Deserialize)]
    pub struct V2 {
        pub id: Option<String>,
        pub account: Option<Named>,
        pub action: Option<V2Action>,
        pub actor: Option<V2Actor>,
        pub raw: Option<Raw>,
        pub resource: Option<V2Resource>,
        pub zone: Option<Named>,
    }

    #[derive(Deserialize)]
    pub struct Named {
        pub id: Option<String>,
        pub name: Option<String>,
    }

    #[derive(Deserialize)]
    pub struct V2Action {
        pub description: Option<String>,
        pub result: Option<String>,
        pub time: Option<String>,
        #[serde(rename = "type")]
        pub type_: Option<String>,
    }

    #[derive(Deserialize)]
    pub struct V2Actor {
        pub id: Option<String>,
        pub context: Option<String>,
        pub email: Option<String>,
        pub ip_address: Option<String>,
        pub token_id: Option<String>,
        pub token_name: Option<String>,
        #[serde(rename = "type")]
        pub type_: Option<String>,
    }

    #[derive(Deserialize)]
    pub struct Raw {
        pub cf_ray_id: Option<String>,
        pub method: Option<String>,
        pub status_code: Option<Value>,
        pub uri: Option<String>,
        pub user_agent: Option<String>,
    }

    #[derive(Deserialize)]
    pub struct V2Resource {
        pub id: Option<String>,
        pub product: Option<String>,
        pub request: Option<Value>,
        pub response: Option<Value>,
        pub scope: Option<Value>,
        #[serde(rename = "type")]
        pub type_: Option<String>,
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
enum Api {
    V1,
    V2,
}

#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
enum Body {
    Conforming,
    Drifted,
    Gzip,
}

impl Body {
    /// The account id in the path, which is how the server tells the bodies apart.
    fn account(self) -> &'static str {
        match self {
            Body::Conforming => "conforming",
            Body::Drifted => "drifted",
            Body::Gzip => "gzip",
        }
    }
}

/// 32 hex digits that look random (splitmix64 of `i` and `salt`), so ids compress like real
/// ones rather than like a counter.
fn hex(i: usize, salt: u64) -> String {
    let mix = |mut z: u64| {
        z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    };
    let a = mix(i as u64 ^ salt.rotate_left(17));
    format!("{a:016x}{:016x}", mix(a ^ salt))
}

fn v1_item(i: usize, drift: bool) -> Value {
    json!({
        "id": hex(i, 1),
        "action": {"result": if drift { json!("true") } else { json!(true) }, "type": "change_setting"},
        "actor": {"id": hex(i % 97, 2), "email": format!("user{}@example.com", i % 97),
                  "ip": format!("198.41.{}.{}", i / 256 % 256, i % 256), "type": "user"},
        "interface": "API",
        "metadata": {"name": "security_level", "type": "firewall"},
        "newValue": "low",
        "oldValue": "high",
        "owner": {"id": "023e105f4ecef8ad9ca31a8372d0c353"},
        "resource": {"id": hex(i % 1013, 3), "type": "zone"},
        "when": format!("2017-04-{:02}T{:02}:{:02}:{:02}Z", 1 + i / 86400 % 28, i / 3600 % 24, i / 60 % 60, i % 60)
    })
}

fn v2_item(i: usize, drift: bool) -> Value {
    let contexts = ["dash", "api_token", "api_key", "oauth", "origin_ca_key"];
    let types = ["user", "account", "system", "cloudflare_admin"];
    json!({
        "id": hex(i, 4),
        "account": {"id": "4bb334f7c94c4a29a045f03944f072e5", "name": "Example Account"},
        "action": {"description": "Add Member", "result": "success",
                   "time": format!("2024-04-26T17:{:02}:{:02}Z", i / 60 % 60, i % 60), "type": "create"},
        "actor": {"id": hex(i % 97, 5), "context": contexts[i % contexts.len()],
                  "email": format!("user{}@example.com", i % 97), "ip_address": format!("198.41.{}.{}", i / 256 % 256, i % 256),
                  "token_id": "token_id", "token_name": "token_name", "type": types[i % types.len()]},
        "raw": {"cf_ray_id": hex(i, 6)[..16].to_owned(), "method": "POST", "status_code": if drift { json!((200 + i % 3).to_string()) } else { json!(200 + i % 3) },
                "uri": "/accounts/4bb334f7c94c4a29a045f03944f072e5/members",
                "user_agent": "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) Safari/605.1.15"},
        "resource": {"id": hex(i % 1013, 7), "product": "members", "request": {}, "response": {},
                     "scope": "accounts", "type": "type"},
        "zone": {"id": "id", "name": "example.com"}
    })
}

/// Page `page` (0-based) of a listing, as the JSON body.
fn page_body(api: Api, page: usize, drift: bool) -> Vec<u8> {
    let ids = page * PER_PAGE..(page + 1) * PER_PAGE;
    let (result, info): (Vec<Value>, Value) = match api {
        Api::V1 => (
            ids.map(|i| v1_item(i, drift)).collect(),
            json!({"page": page + 1, "per_page": PER_PAGE, "count": PER_PAGE,
                   "total_count": ITEMS, "total_pages": PAGES}),
        ),
        Api::V2 => (
            ids.map(|i| v2_item(i, drift)).collect(),
            if page + 1 < PAGES {
                json!({"count": PER_PAGE, "cursor": format!("c{}", page + 1)})
            } else {
                json!({"count": PER_PAGE})
            },
        ),
    };
    let body = json!({"success": true, "errors": [], "messages": [], "result": result, "result_info": info});
    serde_json::to_vec(&body).expect("serialize a page")
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).expect("gzip");
    encoder.finish().expect("gzip")
}

fn http_response(body: &[u8], encoding: Option<&str>) -> Vec<u8> {
    let encoding = encoding.map_or(String::new(), |e| format!("content-encoding: {e}\r\n"));
    let mut out = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n{encoding}content-length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(body);
    out
}

/// Every response the server gives, rendered up front: by (api, body, 0-based page), the plain
/// one and, for `Body::Gzip`, the compressed one.
struct Pages {
    plain: HashMap<(Api, Body, usize), Vec<u8>>,
    gzip: HashMap<(Api, usize), Vec<u8>>,
    /// Body bytes of one whole listing, per (api, body), as sent.
    sizes: HashMap<(Api, Body), usize>,
    /// Compressed responses served.
    gzip_served: AtomicUsize,
}

impl Pages {
    fn render() -> Pages {
        let mut pages = Pages {
            plain: HashMap::new(),
            gzip: HashMap::new(),
            sizes: HashMap::new(),
            gzip_served: AtomicUsize::new(0),
        };
        for api in [Api::V1, Api::V2] {
            for page in 0..PAGES {
                let ok = page_body(api, page, false);
                let drifted = page_body(api, page, true);
                let compressed = gzip(&ok);
                *pages.sizes.entry((api, Body::Conforming)).or_default() += ok.len();
                *pages.sizes.entry((api, Body::Drifted)).or_default() += drifted.len();
                *pages.sizes.entry((api, Body::Gzip)).or_default() += compressed.len();
                pages
                    .plain
                    .insert((api, Body::Gzip, page), http_response(&ok, None));
                pages
                    .gzip
                    .insert((api, page), http_response(&compressed, Some("gzip")));
                pages
                    .plain
                    .insert((api, Body::Conforming, page), http_response(&ok, None));
                pages
                    .plain
                    .insert((api, Body::Drifted, page), http_response(&drifted, None));
            }
        }
        pages
    }

    /// The response to a request line such as
    /// `GET /client/v4/accounts/gzip/logs/audit?since=..&cursor=c3 HTTP/1.1`.
    fn answer(&self, line: &str, accepts_gzip: bool) -> Option<&[u8]> {
        let target = line.split(' ').nth(1)?;
        let (path, query) = target.split_once('?').unwrap_or((target, ""));
        let mut parts = path
            .trim_start_matches("/client/v4/accounts/")
            .splitn(2, '/');
        let body = match parts.next()? {
            "conforming" => Body::Conforming,
            "drifted" => Body::Drifted,
            "gzip" => Body::Gzip,
            _ => return None,
        };
        let api = match parts.next()? {
            "audit_logs" => Api::V1,
            "logs/audit" => Api::V2,
            _ => return None,
        };
        let param = |name: &str| {
            query
                .split('&')
                .find_map(|kv| kv.strip_prefix(name)?.strip_prefix('='))
        };
        let page = match api {
            Api::V1 => {
                param("page").map_or(Some(0), |p| p.parse::<usize>().ok()?.checked_sub(1))?
            }
            Api::V2 => param("cursor").map_or(Some(0), |c| c.strip_prefix('c')?.parse().ok())?,
        };
        if body == Body::Gzip && accepts_gzip {
            self.gzip_served.fetch_add(1, Ordering::Relaxed);
            return self.gzip.get(&(api, page)).map(Vec::as_slice);
        }
        self.plain.get(&(api, body, page)).map(Vec::as_slice)
    }
}

/// Serves `pages` on 127.0.0.1 (a thread per connection, keep-alive); returns the base URL.
fn serve(pages: Arc<Pages>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
    let addr = listener.local_addr().expect("local addr");
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let pages = pages.clone();
            std::thread::spawn(move || connection(stream, &pages));
        }
    });
    format!("http://{addr}/client/v4")
}

fn connection(stream: TcpStream, pages: &Pages) {
    let _ = stream.set_nodelay(true);
    let mut writer = stream.try_clone().expect("clone the stream");
    let mut reader = BufReader::new(stream);
    let (mut line, mut header) = (String::new(), String::new());
    const NOT_FOUND: &[u8] = b"HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n";
    loop {
        line.clear();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let mut accepts_gzip = false;
        loop {
            header.clear();
            if reader.read_line(&mut header).unwrap_or(0) == 0 {
                return;
            }
            if header == "\r\n" {
                break;
            }
            let lower = header.to_ascii_lowercase();
            if lower.starts_with("accept-encoding:") && lower.contains("gzip") {
                accepts_gzip = true;
            }
        }
        let response = pages.answer(&line, accepts_gzip).unwrap_or(NOT_FOUND);
        if writer.write_all(response).is_err() {
            return;
        }
    }
}

/// The generated client's `.items()`: every item, counted, and the listing's warnings: those
/// the listing sums up for itself (every kind counted, the first
/// [`LISTING_WARNINGS_KEPT`] kept), or, with `keep_all`, every one, in a [`Warnings::new`]
/// attached with `record_warnings`.
async fn generated(client: &Client, api: Api, body: Body, keep_all: bool) -> (usize, Warnings) {
    match api {
        Api::V1 => {
            let params = V1Params::new().per_page(PER_PAGE as i64);
            let request = client
                .audit_logs()
                .list_account_audit_logs(body.account(), &params);
            every_item(request, keep_all).await
        }
        Api::V2 => {
            let params = V2Params::new()
                .since(SINCE)
                .before(BEFORE)
                .limit(PER_PAGE as i64);
            let request = client
                .audit_logs()
                .list_account_audit_logs_v2(body.account(), &params);
            every_item(request, keep_all).await
        }
    }
}

/// Walks `request` with `.items()` (see [`generated`]).
async fn every_item<R>(request: Request<R>, keep_all: bool) -> (usize, Warnings)
where
    R: ListResult + DeserializeOwned + Send + 'static,
    R::Item: Send + 'static,
{
    let request = if keep_all {
        request.record_warnings(&Warnings::new())
    } else {
        request
    };
    let mut items = request.items();
    let mut n = 0;
    while let Some(item) = items.try_next().await.expect("listing") {
        black_box(&item);
        n += 1;
    }
    (n, items.warnings().clone())
}

async fn fetch<T: for<'de> Deserialize<'de>>(
    http: &reqwest::Client,
    url: &str,
    query: &[(&str, String)],
) -> plain::Envelope<T> {
    let response = http
        .get(url)
        .query(query)
        .bearer_auth("bench-token")
        .header("accept", "application/json")
        .send()
        .await
        .expect("send")
        .error_for_status()
        .expect("2xx");
    let bytes = response.bytes().await.expect("body");
    serde_json::from_slice(&bytes).expect("decode")
}

/// The hand-written floor: reqwest + serde into the plain structs, page after page.
async fn hand_written(http: &reqwest::Client, base: &str, api: Api, body: Body) -> usize {
    let mut n = 0;
    match api {
        Api::V1 => {
            let url = format!("{base}/accounts/{}/audit_logs", body.account());
            for page in 1.. {
                let query = [
                    ("per_page", PER_PAGE.to_string()),
                    ("page", page.to_string()),
                ];
                let envelope = fetch::<plain::V1>(http, &url, &query).await;
                let items = envelope.result.unwrap_or_default();
                let count = items.len();
                for item in items {
                    black_box(&item);
                    n += 1;
                }
                let total_pages = envelope.result_info.and_then(|i| i.total_pages);
                if count < PER_PAGE || total_pages.is_some_and(|t| page >= t) {
                    break;
                }
            }
        }
        Api::V2 => {
            let url = format!("{base}/accounts/{}/logs/audit", body.account());
            let mut cursor: Option<String> = None;
            loop {
                let mut query = vec![
                    ("since", SINCE.to_owned()),
                    ("before", BEFORE.to_owned()),
                    ("limit", PER_PAGE.to_string()),
                ];
                if let Some(c) = cursor.take() {
                    query.push(("cursor", c));
                }
                let envelope = fetch::<plain::V2>(http, &url, &query).await;
                for item in envelope.result.unwrap_or_default() {
                    black_box(&item);
                    n += 1;
                }
                match envelope.result_info.and_then(|i| i.cursor) {
                    Some(c) if !c.is_empty() => cursor = Some(c),
                    _ => break,
                }
            }
        }
    }
    n
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let timed = std::env::args().any(|a| a == "--bench");
    let rounds = if timed { 15 } else { 1 };
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let pages = Arc::new(Pages::render());
    let base = serve(pages.clone());
    let client = Client::builder()
        .api_token("bench-token")
        .base_url(&base)
        .max_retries(0)
        .build()
        .expect("client");
    let http = reqwest::Client::new();

    // (pagination, body, whether the generated client keeps every warning in full).
    let cases = [
        (Api::V1, Body::Conforming, false),
        (Api::V1, Body::Drifted, false),
        (Api::V1, Body::Drifted, true),
        (Api::V1, Body::Gzip, false),
        (Api::V2, Body::Conforming, false),
        (Api::V2, Body::Drifted, false),
        (Api::V2, Body::Drifted, true),
        (Api::V2, Body::Gzip, false),
    ];
    // Both sides list every item of every case before anything is timed; only the drifted
    // bodies take the generated client's lenient path, with one warning per item, all counted
    // and, by default, the first ones kept.
    for (api, body, keep_all) in cases {
        let (n, warnings) = rt.block_on(generated(&client, api, body, keep_all));
        assert_eq!(n, ITEMS, "{api:?} {body:?}");
        let expected = if body == Body::Drifted { ITEMS } else { 0 };
        assert_eq!(
            warnings.total(),
            expected as u64,
            "{api:?} {body:?}: {:?}",
            warnings.kinds()
        );
        let kept = if keep_all {
            expected
        } else {
            expected.min(LISTING_WARNINGS_KEPT)
        };
        assert_eq!(warnings.to_vec().len(), kept, "{api:?} {body:?} {keep_all}");
        let counted: u64 = warnings.kinds().iter().map(|k| k.count).sum();
        assert_eq!(
            counted, expected as u64,
            "{api:?} {body:?}: every one counted by kind"
        );
        assert_eq!(
            rt.block_on(hand_written(&http, &base, api, body)),
            ITEMS,
            "{api:?} {body:?}"
        );
    }
    assert_eq!(
        pages.gzip_served.load(Ordering::Relaxed),
        4 * PAGES,
        "both clients asked for gzip"
    );

    // (wall, cpu) samples per case, per side; the two sides alternate, as do the cases.
    let mut samples: Vec<[(Vec<Duration>, Vec<Duration>); 2]> =
        cases.iter().map(|_| Default::default()).collect();
    for round in 0..rounds {
        for (i, &(api, body, keep_all)) in cases.iter().enumerate() {
            for k in 0..2 {
                // Which side goes first changes every round.
                let side = (k + round) % 2;
                let (cpu, start) = (cpu_now(), Instant::now());
                let n = if side == 0 {
                    rt.block_on(generated(&client, api, body, keep_all)).0
                } else {
                    rt.block_on(hand_written(&http, &base, api, body))
                };
                let wall = start.elapsed();
                assert_eq!(n, ITEMS);
                samples[i][side].0.push(wall);
                if let (Some(before), Some(after)) = (cpu, cpu_now()) {
                    samples[i][side].1.push(after.saturating_sub(before));
                }
            }
        }
    }

    println!(
        "listing {ITEMS} Audit Logs items, {PER_PAGE} a page, 127.0.0.1; median of {rounds} \
         (wall s / client thread CPU s); ratio = generated / hand-written (target <= 1.1)"
    );
    let secs = |d: Duration| d.as_secs_f64();
    for (i, &(api, body, keep_all)) in cases.iter().enumerate() {
        let [(gw, gc), (hw, hc)] = std::mem::take(&mut samples[i]);
        let (gw, hw) = (median(gw), median(hw));
        let cpu = (gc.len() == rounds && hc.len() == rounds).then(|| (median(gc), median(hc)));
        let name = format!(
            "{} {:<19}",
            match api {
                Api::V1 => "v1 page numbers",
                Api::V2 => "v2 cursors     ",
            },
            if keep_all {
                "drifted, keep all".to_owned()
            } else {
                format!("{body:?}").to_lowercase()
            }
        );
        let (cpu_text, cpu_ratio) = match cpu {
            Some((g, h)) => (
                format!("{:.3} / {:.3}", secs(g), secs(h)),
                format!("{:.2}", secs(g) / secs(h)),
            ),
            None => ("-".to_owned(), "-".to_owned()),
        };
        println!(
            "  {name} {:>6.2} MB sent  generated {:.3} s  hand-written {:.3} s  ratio {:.2}  \
             (CPU generated/hand-written {cpu_text} s, ratio {cpu_ratio})",
            pages.sizes[&(api, body)] as f64 / 1e6,
            secs(gw),
            secs(hw),
            secs(gw) / secs(hw),
        );
    }

    if timed {
        // How much of a listing the server costs: the same hand-written v1 loop against wiremock.
        let mock = rt.block_on(wiremock_server(pages.clone()));
        let wiremock_base = format!("{}/client/v4", mock.uri());
        let (mut ours, mut theirs) = (Vec::new(), Vec::new());
        for _ in 0..5 {
            let start = Instant::now();
            rt.block_on(hand_written(&http, &base, Api::V1, Body::Conforming));
            ours.push(start.elapsed());
            let start = Instant::now();
            rt.block_on(hand_written(
                &http,
                &wiremock_base,
                Api::V1,
                Body::Conforming,
            ));
            theirs.push(start.elapsed());
        }
        let (ours, theirs) = (median(ours), median(theirs));
        println!(
            "  server check: the hand-written v1 conforming loop takes {:.3} s against this \
             server, {:.3} s against wiremock ({:.2}x)",
            secs(ours),
            secs(theirs),
            secs(theirs) / secs(ours)
        );
    }
}

/// The same v1 conforming pages from wiremock, for the server check.
async fn wiremock_server(pages: Arc<Pages>) -> wiremock::MockServer {
    let server = wiremock::MockServer::start().await;
    wiremock::Mock::given(wiremock::matchers::path(
        "/client/v4/accounts/conforming/audit_logs",
    ))
    .respond_with(move |request: &wiremock::Request| {
        let page: usize = request
            .url
            .query_pairs()
            .find(|(k, _)| k == "page")
            .and_then(|(_, v)| v.parse().ok())
            .unwrap_or(1);
        let response = &pages.plain[&(Api::V1, Body::Conforming, page - 1)];
        let start = response
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("head")
            + 4;
        wiremock::ResponseTemplate::new(200)
            .set_body_raw(response[start..].to_vec(), "application/json")
    })
    .mount(&server)
    .await;
    server
}
