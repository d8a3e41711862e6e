//! The listing bench's server: every page of both paginations and all three bodies rendered
//! up front, served over a few lines of HTTP/1.1 on std threads (keep-alive), and the same v1
//! pages from wiremock, to check what the server costs.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::{Value, json};

use super::{ITEMS, PAGES, PER_PAGE};

#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Api {
    V1,
    V2,
}

#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Body {
    Conforming,
    Drifted,
    Gzip,
}

impl Body {
    /// The account id in the path, which is how the server tells the bodies apart.
    pub fn account(self) -> &'static str {
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
pub struct Pages {
    plain: HashMap<(Api, Body, usize), Vec<u8>>,
    gzip: HashMap<(Api, usize), Vec<u8>>,
    /// Body bytes of one whole listing, per (api, body), as sent.
    pub sizes: HashMap<(Api, Body), usize>,
    /// Compressed responses served.
    pub gzip_served: AtomicUsize,
}

impl Pages {
    pub fn render() -> Pages {
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
pub fn serve(pages: Arc<Pages>) -> String {
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

/// The same v1 conforming pages from wiremock, for the server check.
pub async fn wiremock_server(pages: Arc<Pages>) -> wiremock::MockServer {
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
