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
//! Then the stretch, on a two-thread runtime with a caller that spends a fixed 2 µs on each
//! item (the same spin on both sides): the generated client with `.prefetch(true)`, which
//! fetches and decodes the next page while the caller works, against the hand-written loop,
//! which asks for a page when it is done with the last, and against itself without prefetch.
//!
//! The server is a few lines of HTTP/1.1 over std threads on 127.0.0.1 (keep-alive, every body
//! rendered before timing), so it costs both clients the same and as little as possible; one
//! line at the end compares it with wiremock for the hand-written v1 loop.

use std::hint::black_box;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use cloudflare_client::Client;
use cloudflare_client::audit_logs::{
    ListAccountAuditLogsParams as V1Params, ListAccountAuditLogsV2Params as V2Params,
};
use cloudflare_client::runtime::{LISTING_WARNINGS_KEPT, ListResult, Request, Warnings};
use futures::TryStreamExt;
use serde::Deserialize;
use serde::de::DeserializeOwned;

#[path = "listing/server.rs"]
mod server;

use server::{Api, Body, Pages, serve, wiremock_server};

use bench_timing::cpu_now;

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

/// The generated client's `.items()`: every item, counted, and the listing's warnings: those
/// the listing sums up for itself (every kind counted, the first
/// [`LISTING_WARNINGS_KEPT`] kept), or, with `keep_all`, every one, in a [`Warnings::new`]
/// attached with `record_warnings`.
async fn generated(client: &Client, api: Api, body: Body, how: How) -> (usize, Warnings) {
    match api {
        Api::V1 => {
            let params = V1Params::new().per_page(PER_PAGE as i64);
            let request = client
                .audit_logs()
                .list_account_audit_logs(body.account(), &params);
            every_item(request, how).await
        }
        Api::V2 => {
            let params = V2Params::new()
                .since(SINCE)
                .before(BEFORE)
                .limit(PER_PAGE as i64);
            let request = client
                .audit_logs()
                .list_account_audit_logs_v2(body.account(), &params);
            every_item(request, how).await
        }
    }
}

/// How the generated client lists, beyond its defaults.
#[derive(Clone, Copy, Default)]
struct How {
    /// Every warning kept in full, in a [`Warnings::new`] attached with `record_warnings`.
    keep_all: bool,
    /// `Request::prefetch(true)`.
    prefetch: bool,
    /// The caller [`work`]s on each item.
    work: bool,
}

/// What the caller does with each item in the prefetch lines, the same on both sides: a
/// fixed [`WORK`] of computing (writing the item somewhere, say).
fn work() {
    let start = Instant::now();
    while start.elapsed() < WORK {
        std::hint::spin_loop();
    }
}

const WORK: Duration = Duration::from_micros(2);

/// Walks `request` with `.items()` (see [`generated`]).
async fn every_item<R>(request: Request<R>, how: How) -> (usize, Warnings)
where
    R: ListResult + DeserializeOwned + Send + 'static,
    R::Item: Send + 'static,
{
    let request = if how.keep_all {
        request.record_warnings(&Warnings::new())
    } else {
        request
    };
    let mut items = request.prefetch(how.prefetch).items();
    let mut n = 0;
    while let Some(item) = items.try_next().await.expect("listing") {
        black_box(&item);
        if how.work {
            work();
        }
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

/// The hand-written floor: reqwest + serde into the plain structs, page after page (with
/// `work`, the caller [`work`]s on each item).
async fn hand_written(
    http: &reqwest::Client,
    base: &str,
    api: Api,
    body: Body,
    work: bool,
) -> usize {
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
                    if work {
                        self::work();
                    }
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
                    if work {
                        self::work();
                    }
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
        let how = How {
            keep_all,
            ..How::default()
        };
        let (n, warnings) = rt.block_on(generated(&client, api, body, how));
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
            rt.block_on(hand_written(&http, &base, api, body, false)),
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
                let how = How {
                    keep_all,
                    ..How::default()
                };
                let n = if side == 0 {
                    rt.block_on(generated(&client, api, body, how)).0
                } else {
                    rt.block_on(hand_written(&http, &base, api, body, false))
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

    prefetch_lines(rounds, &base);

    if timed {
        // How much of a listing the server costs: the same hand-written v1 loop against wiremock.
        let mock = rt.block_on(wiremock_server(pages.clone()));
        let wiremock_base = format!("{}/client/v4", mock.uri());
        let (mut ours, mut theirs) = (Vec::new(), Vec::new());
        for _ in 0..5 {
            let start = Instant::now();
            rt.block_on(hand_written(&http, &base, Api::V1, Body::Conforming, false));
            ours.push(start.elapsed());
            let start = Instant::now();
            rt.block_on(hand_written(
                &http,
                &wiremock_base,
                Api::V1,
                Body::Conforming,
                false,
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

/// The stretch: a caller that [`work`]s on each item, on a two-thread runtime, with the
/// generated client fetching each next page while the caller works (`prefetch`), against the
/// hand-written loop, which fetches a page once it is done with the one before, and against
/// the generated client without prefetching.
fn prefetch_lines(rounds: usize, base: &str) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime");
    // New clients: a pooled connection belongs to the runtime that opened it, and the other
    // runtime is not running.
    let http = &reqwest::Client::new();
    let client = Client::builder()
        .api_token("bench-token")
        .base_url(base)
        .max_retries(0)
        .build()
        .expect("client");
    let variants = |prefetch| How {
        prefetch,
        work: true,
        ..How::default()
    };
    println!(
        "  caller working {} us on each item, 2-thread runtime; median of {rounds} wall s; \
         ratio = generated / hand-written",
        WORK.as_micros()
    );
    for api in [Api::V1, Api::V2] {
        let body = Body::Conforming;
        let mut samples: [Vec<Duration>; 3] = Default::default();
        for round in 0..rounds {
            for k in 0..3 {
                let side = (k + round) % 3;
                let start = Instant::now();
                let n = match side {
                    0 => rt.block_on(generated(&client, api, body, variants(true))).0,
                    1 => {
                        rt.block_on(generated(&client, api, body, variants(false)))
                            .0
                    }
                    _ => rt.block_on(hand_written(http, base, api, body, true)),
                };
                samples[side].push(start.elapsed());
                assert_eq!(n, ITEMS);
            }
        }
        let [ahead, on_demand, hand] = samples.map(median);
        let secs = |d: Duration| d.as_secs_f64();
        println!(
            "  {} conforming, prefetch   generated {:.3} s  hand-written {:.3} s  ratio {:.2}  \
             (without prefetch {:.3} s, ratio {:.2})",
            match api {
                Api::V1 => "v1 page numbers",
                Api::V2 => "v2 cursors     ",
            },
            secs(ahead),
            secs(hand),
            secs(ahead) / secs(hand),
            secs(on_demand),
            secs(on_demand) / secs(hand),
        );
    }
}
