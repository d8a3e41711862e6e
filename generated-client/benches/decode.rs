//! Decode speed of a 1,000-item Audit Logs v2 page (issue 5): the generated types through the
//! runtime against a hand-written plain `#[derive(Deserialize)]` struct set with the same
//! fields, in the same run. Target: runtime / plain ≤ 1.1. The lenient path (one field drifted
//! in every item) is reported separately.
//!
//! `cargo bench -p cloudflare-client --bench decode`. The page is built here: a Cloudflare
//! envelope around 1,000 items shaped like the TypeScript SDK's example response
//! (`../shared/seeds/004_*`), each with its own ids and times.
//!
//! The runtime's decoder (`runtime::decode::decode_json`) is crate-private, so it is measured
//! through the real `Request::send` of the generated endpoint against a local HTTP server on
//! 127.0.0.1 (keep-alive), next to `send_raw`, the same exchange returning the raw body with no
//! JSON decode: `send - send_raw` is the real decode path (reading the envelope and decoding
//! the data in the same pass). `send_drifted` serves `raw.status_code` as a string in every
//! item: the lenient path, with all 1,000 warnings built in full, as `send` keeps them. Beside
//! them, the generated types inside the plain envelope struct, decoded by plain serde.
//!
//! After criterion's report, every variant is timed again alternately and the medians (wall
//! and, on Linux, this thread's CPU time) and the ratios printed.

use std::hint::black_box;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::time::Duration;

use cloudflare_client::Client;
use cloudflare_client::audit_logs::{
    ListAccountAuditLogsV2Item as Item, ListAccountAuditLogsV2Params as Params,
};
use criterion::Criterion;
use serde_json::{Value, json};

use bench_timing::medians;

const ITEMS: usize = 1000;

/// The hand-written baseline: plain serde, `Option` fields, no lenient machinery, the two
/// documented string enums as `String`. Its fields are decoded, not read.
#[allow(dead_code)]
mod plain {
    use serde::Deserialize;
    use serde_json::Value;

    #[derive(Debug, Deserialize)]
    pub struct Envelope<T> {
        pub success: bool,
        #[serde(default)]
        pub errors: Vec<Value>,
        #[serde(default)]
        pub messages: Vec<Value>,
        pub result: Option<T>,
        pub result_info: Option<ResultInfo>,
    }

    #[derive(Debug, Deserialize)]
    pub struct ResultInfo {
        pub count: Option<u64>,
        pub cursor: Option<String>,
    }

    #[derive(Debug, Deserialize)]
    pub struct Item {
        pub id: Option<String>,
        pub account: Option<Named>,
        pub action: Option<Action>,
        pub actor: Option<Actor>,
        pub raw: Option<Raw>,
        pub resource: Option<Resource>,
        pub zone: Option<Named>,
    }

    #[derive(Debug, Deserialize)]
    pub struct Named {
        pub id: Option<String>,
        pub name: Option<String>,
    }

    #[derive(Debug, Deserialize)]
    pub struct Action {
        pub description: Option<String>,
        pub result: Option<String>,
        pub time: Option<String>,
        #[serde(rename = "type")]
        pub type_: Option<String>,
    }

    #[derive(Debug, Deserialize)]
    pub struct Actor {
        pub id: Option<String>,
        pub context: Option<String>,
        pub email: Option<String>,
        pub ip_address: Option<String>,
        pub token_id: Option<String>,
        pub token_name: Option<String>,
        #[serde(rename = "type")]
        pub type_: Option<String>,
    }

    #[derive(Debug, Deserialize)]
    pub struct Raw {
        pub cf_ray_id: Option<String>,
        pub method: Option<String>,
        pub status_code: Option<i64>,
        pub uri: Option<String>,
        pub user_agent: Option<String>,
    }

    #[derive(Debug, Deserialize)]
    pub struct Resource {
        pub id: Option<String>,
        pub product: Option<String>,
        pub request: Option<Value>,
        pub response: Option<Value>,
        pub scope: Option<Value>,
        #[serde(rename = "type")]
        pub type_: Option<String>,
    }
}

/// The page body; `drift` serves `raw.status_code` as a string in every item.
fn page(drift: bool) -> Vec<u8> {
    let contexts = ["dash", "api_token", "api_key", "oauth", "origin_ca_key"];
    let types = ["user", "account", "system", "cloudflare_admin"];
    let result: Vec<Value> = (0..ITEMS)
        .map(|i| {
            let status = json!(200 + (i % 3) as i64);
            json!({
                "id": format!("{:032x}", 0x023e105f4ecef8ad9ca31a8372d0c353_u128 + i as u128),
                "account": { "id": "4bb334f7c94c4a29a045f03944f072e5", "name": "Example Account" },
                "action": {
                    "description": "Add Member",
                    "result": "success",
                    "time": format!("2024-04-26T17:{:02}:{:02}Z", i / 60 % 60, i % 60),
                    "type": "create"
                },
                "actor": {
                    "id": "f6b5de0326bb5182b8a4840ee01ec774",
                    "context": contexts[i % contexts.len()],
                    "email": "alice@example.com",
                    "ip_address": format!("198.41.{}.{}", i / 256, i % 256),
                    "token_id": "token_id",
                    "token_name": "token_name",
                    "type": types[i % types.len()]
                },
                "raw": {
                    "cf_ray_id": format!("8e9b1c60ef9e{i:04x}"),
                    "method": "POST",
                    "status_code": if drift { json!(status.to_string()) } else { status },
                    "uri": "/accounts/4bb334f7c94c4a29a045f03944f072e5/members",
                    "user_agent": "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) Safari/605.1.15"
                },
                "resource": {
                    "id": format!("id-{i}"),
                    "product": "members",
                    "request": {},
                    "response": {},
                    "scope": {},
                    "type": "type"
                },
                "zone": { "id": "id", "name": "example.com" }
            })
        })
        .collect();
    let body = json!({
        "success": true,
        "errors": [],
        "messages": [],
        "result": result,
        "result_info": {
            "count": ITEMS,
            "cursor": "ASqdKd7dKgxh-aZ8bm0mZos1BtW4BdEqifCzNkEeGRzi_5SN_-362Y8sF-C1TRn60_6rd3z2dIajf9EAPyQ_NmIeAMkacmaJPXipqvP7PLU4t72wyqBeJfjmjdE="
        }
    });
    serde_json::to_vec(&body).expect("serialize the page")
}

fn plain(body: &[u8]) -> plain::Envelope<Vec<plain::Item>> {
    serde_json::from_slice(body).expect("conforming page")
}

fn generated_plain_envelope(body: &[u8]) -> plain::Envelope<Vec<Item>> {
    serde_json::from_slice(body).expect("conforming page")
}

/// A keep-alive HTTP/1.1 server on 127.0.0.1 answering every GET with the conforming page,
/// or the drifted one when the path contains `drift`.
fn serve(ok: Vec<u8>, drifted: Vec<u8>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
    let addr = listener.local_addr().expect("local addr");
    let response = |body: &[u8]| {
        let mut out = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
            body.len()
        )
        .into_bytes();
        out.extend_from_slice(body);
        out
    };
    let (ok, drifted) = (response(&ok), response(&drifted));
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let (ok, drifted) = (ok.clone(), drifted.clone());
            std::thread::spawn(move || connection(stream, &ok, &drifted));
        }
    });
    format!("http://{addr}")
}

fn connection(stream: TcpStream, ok: &[u8], drifted: &[u8]) {
    let _ = stream.set_nodelay(true);
    let mut writer = stream.try_clone().expect("clone the stream");
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let drift = line.contains("drift");
        // The headers, up to the empty line; a GET has no body.
        loop {
            line.clear();
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                return;
            }
            if line == "\r\n" {
                break;
            }
        }
        if writer.write_all(if drift { drifted } else { ok }).is_err() {
            return;
        }
    }
}

struct Http {
    rt: tokio::runtime::Runtime,
    client: Client,
    params: Params,
}

impl Http {
    fn send(&self, account: &str) -> cloudflare_client::Response<Vec<Item>> {
        let request = self
            .client
            .audit_logs()
            .list_account_audit_logs_v2(account, &self.params);
        self.rt.block_on(request.send()).expect("send")
    }

    fn send_raw(&self) -> cloudflare_client::Response<cloudflare_client::RawBody> {
        let request = self
            .client
            .audit_logs()
            .list_account_audit_logs_v2("ok", &self.params)
            .into_raw();
        self.rt.block_on(request.send()).expect("send raw")
    }
}

fn main() {
    let ok = page(false);
    let drifted = page(true);

    // The variants agree before anything is timed.
    let generated = generated_plain_envelope(&ok);
    let generated_items = generated.result.unwrap_or_default();
    let base = plain(&ok);
    let base_items = base.result.as_deref().unwrap_or_default();
    assert_eq!(generated_items.len(), ITEMS);
    assert_eq!(base_items.len(), ITEMS);
    assert_eq!(base.result_info.and_then(|i| i.count), Some(ITEMS as u64));
    for (g, p) in generated_items.iter().zip(base_items) {
        assert_eq!(g.id, p.id);
        assert_eq!(
            g.raw.as_ref().and_then(|r| r.status_code),
            p.raw.as_ref().and_then(|r| r.status_code)
        );
        let context = g
            .actor
            .as_ref()
            .and_then(|a| a.context.as_ref())
            .map(|c| c.as_str().to_owned());
        assert_eq!(context, p.actor.as_ref().and_then(|a| a.context.clone()));
    }

    let base_url = serve(ok.clone(), drifted.clone());
    let http = Http {
        rt: tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("tokio runtime"),
        client: Client::builder()
            .api_token("bench-token")
            .base_url(base_url)
            .max_retries(0)
            .build()
            .expect("client"),
        params: Params::new().since("2024-10-30").before("2024-10-31"),
    };
    let sent = http.send("ok");
    assert_eq!(sent.data, generated_items);
    assert_eq!(
        sent.result_info.as_ref().and_then(|i| i.count),
        Some(ITEMS as u64)
    );
    assert!(sent.warnings.is_empty());
    let lenient = http.send("drift");
    assert_eq!(lenient.data.len(), ITEMS);
    assert!(lenient.data.iter().all(|i| {
        i.raw
            .as_ref()
            .is_some_and(|r| r.status_code.is_none() && r.method.is_some())
    }));
    let warnings = lenient.warnings.len();
    assert!(warnings > 0, "the drifted page decodes with warnings");
    assert_eq!(http.send_raw().data.len(), ok.len());

    let mut c = Criterion::default()
        .sample_size(30)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4))
        .configure_from_args();
    let mut group = c.benchmark_group("audit_logs_page_1000");
    group.throughput(criterion::Throughput::Bytes(ok.len() as u64));
    group.bench_function("plain_serde", |b| b.iter(|| plain(black_box(&ok))));
    group.bench_function("generated_plain_envelope", |b| {
        b.iter(|| generated_plain_envelope(black_box(&ok)))
    });
    group.bench_function("send_raw", |b| b.iter(|| http.send_raw()));
    group.bench_function("send", |b| b.iter(|| http.send("ok")));
    group.bench_function("send_drifted", |b| b.iter(|| http.send("drift")));
    group.finish();
    c.final_summary();

    // `cargo bench` passes `--bench`; under `cargo test --benches` criterion runs each
    // benchmark once as a smoke test, and so does this.
    let rounds = if std::env::args().any(|a| a == "--bench") {
        201
    } else {
        1
    };
    let t = medians(
        rounds,
        &mut [
            &mut || drop(black_box(plain(black_box(&ok)))),
            &mut || drop(black_box(generated_plain_envelope(black_box(&ok)))),
            &mut || drop(black_box(http.send_raw())),
            &mut || drop(black_box(http.send("ok"))),
            &mut || drop(black_box(http.send("drift"))),
        ],
    );
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let ratio = |a: Duration, b: Duration| a.as_secs_f64() / b.as_secs_f64().max(f64::MIN_POSITIVE);
    println!(
        "page: {ITEMS} items, {} KiB ({} KiB drifted, {warnings} warnings); median of {rounds} (wall ms / thread CPU ms):",
        ok.len() / 1024,
        drifted.len() / 1024
    );
    let names = [
        "(b) plain serde struct + envelope",
        "    generated types, plain envelope",
        "    send_raw: HTTP exchange, no decode",
        "(a) send: real Request::send, conforming",
        "(c) send: real Request::send, drifted (lenient)",
    ];
    for (name, (wall, cpu)) in names.iter().zip(&t) {
        let cpu = cpu.map_or("-".to_owned(), |c| format!("{:.2}", ms(c)));
        println!("  {name:<58} {:>8.2} / {cpu:>6}", ms(*wall));
    }
    let pick = |i: usize, cpu: bool| {
        if cpu {
            t[i].1.unwrap_or(t[i].0)
        } else {
            t[i].0
        }
    };
    for cpu in [false, true] {
        let (b, generated, raw, send, drift) = (
            pick(0, cpu),
            pick(1, cpu),
            pick(2, cpu),
            pick(3, cpu),
            pick(4, cpu),
        );
        let a_real = send.saturating_sub(raw);
        let c_real = drift.saturating_sub(raw);
        println!(
            "  {}: a/b {:.2} ((send - send_raw)/b; target <= 1.1), \
             generated-in-plain-envelope/b {:.2}; c/a {:.2} (send_drifted/send), {:.2} net of \
             the exchange",
            if cpu { "CPU " } else { "wall" },
            ratio(a_real, b),
            ratio(generated, b),
            ratio(drift, send),
            ratio(c_real, a_real),
        );
    }
}
