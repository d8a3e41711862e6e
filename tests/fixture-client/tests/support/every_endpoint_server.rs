// @generated: a copy of the hand-written generated-client/tests/support/every_endpoint_server.rs. Do not edit.
//! The local server `tests/every_endpoint.rs` calls every generated endpoint against.
//!
//! Hand-written; the generator copies it into `tests/support/` of every crate it writes
//! (standalone crates, `tests/fixture-client`), next to the `tests/every_endpoint.rs` it
//! generates, which holds the case table. Knows nothing of the client crate: a case's call is
//! a function the generated test supplies, so one server serves every generated crate.
//!
//! The cases are called one at a time. Before each call the server is told which route to
//! expect; the call must send exactly one request, with the route's method, to the route's
//! path template with each `{param}` percent-decoding to the value the call passed (so a `/`
//! that was not encoded splits a segment and fails), and with exactly the query pairs the
//! route lists, in order. A match is answered with the route's body; anything else with a
//! 404 error envelope, and recorded as the endpoint's failure.
//!
//! With [`PRISM_ENV`] set to the address of Prism (`@stoplight/prism-cli`, serving
//! Cloudflare's OpenAPI schema), the server is instead a relay to it: every call that sends
//! typed values (query parameters, headers or a body) goes to Prism, which validates the
//! request against the schema, and its verdict is recorded and printed ([`prism`]). With
//! `EVERY_ENDPOINT_PRISM_RESPONSES=1` as well, every call goes to Prism twice (lenient, then strict) for a
//! body it generates from the schema, which must decode cleanly ([`responses`]).

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// The path the client's base URL has on this server: every request must start with it.
pub const BASE_PATH: &str = "/client/v4";

/// What one endpoint must send and is answered with.
#[derive(Debug, Clone, Copy)]
pub struct Route {
    /// `module::method`, for failure messages.
    pub endpoint: &'static str,
    pub method: &'static str,
    /// The documented path template (`/accounts/{account_id}/audit_logs`).
    pub template: &'static str,
    /// Each path parameter's value as the call passes it.
    pub params: &'static [(&'static str, &'static str)],
    /// The query pairs the call must send, in order, each (name, value) as it reads once
    /// decoded: the call sets every parameter its method takes.
    pub query: &'static [(&'static str, &'static str)],
    /// Headers the call must send, each (name, value): the header parameters it sets.
    pub headers: &'static [(&'static str, &'static str)],
    /// The request body the call must send, byte for byte (a typed body with every field
    /// set, or bytes); empty for none. A multipart body's boundary is written `BOUNDARY`:
    /// the one the request's `Content-Type` names is put in its place before comparing.
    pub request_body: &'static str,
    /// The request's `Content-Type` up to any `;` (`multipart/form-data`); empty for none.
    pub request_type: &'static str,
    /// The body's fields typed as any JSON value (`rules.action`, array indices left out),
    /// which the call fills with a string: read only in Prism mode.
    pub json_fields: &'static [&'static str],
    /// The documented 2xx status.
    pub status: u16,
    pub content_type: &'static str,
    /// The body synthesized from the documented shape; empty for no body.
    pub body: &'static str,
    /// Whether the call returns the body as raw bytes (which must come back unchanged).
    pub raw: bool,
    /// Where the data sits in a JSON body: the keys of `Data is at` (none: the whole body).
    pub data_at: &'static [&'static str],
}

impl Route {
    /// The route a generated case writes as JSON text, every field by name. One string is
    /// what the generator checks and formats for a case's data, where a struct literal cost
    /// it ten expressions a case; the call beside it stays Rust. The text's strings are kept
    /// for the whole run (leaked), as the `'static` data of a route is.
    pub fn json(json: &str) -> Route {
        #[derive(serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Owned {
            endpoint: String,
            method: String,
            template: String,
            params: Vec<(String, String)>,
            query: Vec<(String, String)>,
            headers: Vec<(String, String)>,
            request_body: String,
            request_type: String,
            json_fields: Vec<String>,
            status: u16,
            content_type: String,
            body: String,
            raw: bool,
            data_at: Vec<String>,
        }
        fn kept(s: String) -> &'static str {
            Box::leak(s.into_boxed_str())
        }
        fn all_kept(list: Vec<String>) -> &'static [&'static str] {
            list.into_iter().map(kept).collect::<Vec<_>>().leak()
        }
        fn pairs_kept(list: Vec<(String, String)>) -> &'static [(&'static str, &'static str)] {
            list.into_iter()
                .map(|(name, value)| (kept(name), kept(value)))
                .collect::<Vec<_>>()
                .leak()
        }
        let route: Owned = serde_json::from_str(json)
            .unwrap_or_else(|e| panic!("a generated route is not a route ({e}): {json}"));
        Route {
            endpoint: kept(route.endpoint),
            method: kept(route.method),
            template: kept(route.template),
            params: pairs_kept(route.params),
            query: pairs_kept(route.query),
            headers: pairs_kept(route.headers),
            request_body: kept(route.request_body),
            request_type: kept(route.request_type),
            json_fields: all_kept(route.json_fields),
            status: route.status,
            content_type: kept(route.content_type),
            body: kept(route.body),
            raw: route.raw,
            data_at: all_kept(route.data_at),
        }
    }
}

/// What a call made of its response.
#[derive(Debug)]
pub enum Outcome {
    /// Decoded, with these warnings (each formatted), and the data serialized back.
    Decoded {
        warnings: Vec<String>,
        data: serde_json::Value,
    },
    /// A raw body, as the call returned it.
    Raw(Vec<u8>),
    /// The call failed.
    Failed(String),
}

/// One generated endpoint method, called with a client for this server.
pub type Call<C> = fn(C) -> Pin<Box<dyn Future<Output = Outcome>>>;

/// `future` as a [`Call`] returns it.
pub fn boxed(
    future: impl Future<Output = Outcome> + 'static,
) -> Pin<Box<dyn Future<Output = Outcome>>> {
    Box::pin(future)
}

pub struct Case<C> {
    pub route: Route,
    pub call: Call<C>,
}

#[derive(Default)]
struct State {
    expected: Option<Route>,
    requests: usize,
    problems: Vec<String>,
    /// Prism's address, in relay mode.
    prism: Option<String>,
    /// Prism's verdict on the requests relayed for the current call.
    verdicts: Vec<prism::Verdict>,
    /// Whether Prism is asked for a body generated from the schema (responses mode).
    dynamic: bool,
}

/// Starts the server, calls every case with a client made by `client` for its base URL, and
/// panics naming every endpoint that failed and why.
///
/// `client` makes a client for a base URL, strict (drift is an error) or not.
pub async fn run<C: Clone>(cases: Vec<Case<C>>, client: impl Fn(String, bool) -> C) {
    if cases.is_empty() {
        // Every group's feature is off: there is nothing to call.
        eprintln!("every endpoint: no endpoints enabled");
        return;
    }
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("local address");
    let state = Arc::new(Mutex::new(State::default()));
    let relay_to = std::env::var(PRISM_ENV).ok().filter(|a| !a.is_empty());
    let serving = Arc::clone(&state);
    let server = tokio::spawn(async move {
        loop {
            let Ok((socket, _)) = listener.accept().await else {
                return;
            };
            tokio::spawn(serve(socket, Arc::clone(&serving)));
        }
    });
    let base_url = format!("http://{addr}{BASE_PATH}");
    let client_for = |strict| client(base_url.clone(), strict);
    if let Some(prism) = relay_to {
        if std::env::var(responses::RESPONSES_ENV).is_ok_and(|v| v == "1") {
            responses::run(&cases, client_for(false), client_for(true), &state, prism).await;
        } else {
            prism::run(&cases, client_for(false), &state, prism).await;
        }
        server.abort();
        return;
    }
    let client = client_for(false);
    let mut failures = Vec::new();
    let mut failed = 0;
    for case in &cases {
        {
            let mut state = state.lock().expect("state");
            *state = State {
                expected: Some(case.route),
                ..State::default()
            };
        }
        let outcome = (case.call)(client.clone()).await;
        let (requests, mut problems) = {
            let mut state = state.lock().expect("state");
            (state.requests, std::mem::take(&mut state.problems))
        };
        if requests != 1 {
            problems.push(format!("{requests} requests instead of one"));
        }
        match outcome {
            Outcome::Decoded { warnings, .. } if case.route.raw => problems.push(format!(
                "decoded as JSON ({} warnings), not raw",
                warnings.len()
            )),
            Outcome::Decoded { warnings, data } => {
                problems.extend(warnings.into_iter().map(|w| format!("decode warning {w}")));
                problems.extend(round_trip(&case.route, data));
            }
            Outcome::Raw(bytes) if !case.route.raw => {
                problems.push(format!("returned {} raw bytes, not decoded", bytes.len()))
            }
            Outcome::Raw(bytes) if bytes != case.route.body.as_bytes() => problems.push(format!(
                "raw body {:?}, sent {:?}",
                String::from_utf8_lossy(&bytes),
                case.route.body
            )),
            Outcome::Raw(_) => {}
            Outcome::Failed(error) => problems.push(format!("failed: {error}")),
        }
        failed += usize::from(!problems.is_empty());
        for problem in problems {
            failures.push(format!(
                "{} ({} {}): {problem}",
                case.route.endpoint, case.route.method, case.route.template
            ));
        }
    }
    server.abort();
    assert!(
        failures.is_empty(),
        "{failed} of {} endpoint methods failed:\n{}",
        cases.len(),
        failures.join("\n")
    );
    eprintln!("every endpoint: {} calls passed", cases.len());
}

/// What a crate's local API for tests (its `mock` feature) made of one request: the
/// endpoint it routed it to, as (method, path template), and the status it answered.
#[allow(dead_code)] // Used only where the crate's `mock` feature is on.
#[derive(Debug, Clone, PartialEq)]
pub struct MockRecord {
    pub routed: Option<(&'static str, &'static str)>,
    pub status: u16,
}

/// Calls every case with `client`, a client of the crate's own local API (feature `mock`,
/// generated from the same docs and overlays), and panics naming every call the mock did
/// not route to the call's endpoint, or refused (400: a value, key or body the docs do not
/// allow; 405). `records` returns what the mock recorded so far. The answers themselves are
/// not checked: a call to a collection's item the mock does not hold is a 404 by design.
#[allow(dead_code)] // Used only where the crate's `mock` feature is on.
pub async fn run_against_mock<C: Clone>(
    cases: Vec<Case<C>>,
    client: C,
    records: impl Fn() -> Vec<MockRecord>,
) {
    let mut failures = Vec::new();
    let mut cursors = 0;
    for case in &cases {
        let before = records().len();
        let outcome = (case.call)(client.clone()).await;
        let recorded = records().split_off(before);
        let route = &case.route;
        let expected = Some((route.method, route.template));
        let problem = match recorded.as_slice() {
            [one] if one.routed != expected => Some(format!("routed to {:?}", one.routed)),
            [one] if matches!(one.status, 400 | 405) => match outcome {
                // The case's cursor is its own text, not one the mock handed out: refused
                // as Cloudflare refuses it.
                Outcome::Failed(error) if error.contains("Invalid pagination cursor") => {
                    cursors += 1;
                    None
                }
                Outcome::Failed(error) => Some(format!("refused: {error}")),
                _ => Some(format!("answered {}", one.status)),
            },
            [_] => None,
            other => Some(format!("{} requests instead of one", other.len())),
        };
        if let Some(problem) = problem {
            failures.push(format!(
                "{} ({} {}): {problem}",
                route.endpoint, route.method, route.template
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "the mock refused or misrouted {} of {} calls:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
    eprintln!(
        "every endpoint against the mock: {} calls routed and accepted ({cursors} of them \
         refused only for the case's own cursor)",
        cases.len()
    );
}

/// Whether the decoded data, serialized back, is the data the server sent (absent and `null`
/// values aside: a field documented as `null` reads as absent). Catches what no warning
/// reports: data looked for at the wrong place (the envelope's keys would come back as the
/// data's), or a value that decoded into something else.
fn round_trip(route: &Route, data: serde_json::Value) -> Option<String> {
    if route.body.is_empty() {
        return None;
    }
    let body: serde_json::Value = match serde_json::from_str(route.body) {
        Ok(body) => body,
        Err(e) => return Some(format!("the synthesized body is not JSON: {e}")),
    };
    let sent = route
        .data_at
        .iter()
        .try_fold(&body, |value, key| value.get(key))
        .cloned()
        .unwrap_or_default();
    let (sent, decoded) = (without_nulls(sent), without_nulls(data));
    difference(&sent, &decoded, "$")
        .map(|(path, sent, decoded)| format!("data at {path} decoded as {decoded}, sent {sent}"))
}

/// The first place, as a JSON path, where `sent` and `decoded` differ, and both values there.
fn difference(
    sent: &serde_json::Value,
    decoded: &serde_json::Value,
    path: &str,
) -> Option<(String, String, String)> {
    use serde_json::Value;
    match (sent, decoded) {
        (Value::Object(a), Value::Object(b)) if a.len() == b.len() => {
            a.iter().find_map(|(k, v)| {
                let inner = format!("{path}.{k}");
                match b.get(k) {
                    Some(w) => difference(v, w, &inner),
                    None => Some((inner, v.to_string(), "absent".to_owned())),
                }
            })
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => a
            .iter()
            .zip(b)
            .enumerate()
            .find_map(|(i, (v, w))| difference(v, w, &format!("{path}[{i}]"))),
        (a, b) if a == b => None,
        (a, b) => Some((path.to_owned(), a.to_string(), b.to_string())),
    }
}

/// `value` with every object's `null` members left out.
fn without_nulls(value: serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, without_nulls(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(without_nulls).collect()),
        other => other,
    }
}

/// Answers every request of a keep-alive connection.
async fn serve(mut socket: TcpStream, state: Arc<Mutex<State>>) {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    loop {
        while let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).into_owned();
            let length = content_length(&head);
            if buf.len() < end + 4 + length {
                break;
            }
            let sent_body = buf[end + 4..end + 4 + length].to_vec();
            buf.drain(..end + 4 + length);
            let (relay_to, dynamic) = {
                let state = state.lock().expect("state");
                (state.prism.clone(), state.dynamic)
            };
            if let Some(prism) = relay_to {
                let (response, verdict) = prism::relay(&prism, &head, &sent_body, dynamic).await;
                state.lock().expect("state").verdicts.push(verdict);
                if socket.write_all(&response).await.is_err() {
                    return;
                }
                // Prism's answer ends with its connection; so does this one.
                return;
            }
            let mut request_line = head.lines().next().unwrap_or_default().split(' ');
            let method = request_line.next().unwrap_or_default();
            let target = request_line.next().unwrap_or_default();
            let reply = {
                let mut state = state.lock().expect("state");
                state.requests += 1;
                match state.expected {
                    None => Err("a request with no call expecting it".to_owned()),
                    Some(route) => check(&route, method, target, &head, &sent_body).map(|()| route),
                }
                .map_err(|problem| state.problems.push(problem))
            };
            let response = match reply {
                Ok(route) => answer(&route, method),
                Err(()) => answer(
                    &Route {
                        endpoint: "",
                        method: "",
                        template: "",
                        params: &[],
                        query: &[],
                        headers: &[],
                        request_body: "",
                        request_type: "",
                        json_fields: &[],
                        status: 404,
                        content_type: "application/json",
                        body: r#"{"success":false,"errors":[{"code":7003,"message":"no route for this method and path"}],"messages":[],"result":null}"#,
                        raw: false,
                        data_at: &[],
                    },
                    method,
                ),
            };
            if socket.write_all(&response).await.is_err() {
                return;
            }
        }
        match socket.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
}

fn content_length(head: &str) -> usize {
    header_values(head, "content-length")
        .first()
        .and_then(|value| value.parse().ok())
        .unwrap_or(0)
}

/// Whether `method`, `target` (as on the request line), the headers in `head` and the body
/// are the route's.
fn check(route: &Route, method: &str, target: &str, head: &str, body: &[u8]) -> Result<(), String> {
    if method != route.method {
        return Err(format!("sent {method} {target}"));
    }
    for &(name, value) in route.headers {
        let sent = header_values(head, name);
        if sent != [value] {
            return Err(format!("sent the header {name} as {sent:?}, not {value:?}"));
        }
    }
    let content_type = header_values(head, "content-type");
    let (media, boundary) = match content_type.as_slice() {
        [] => ("", None),
        [value] => match value.split_once(';') {
            Some((media, rest)) => (media.trim(), rest.trim().strip_prefix("boundary=")),
            None => (value.trim(), None),
        },
        more => return Err(format!("sent {} content types", more.len())),
    };
    if media != route.request_type {
        return Err(format!(
            "sent the content type {media:?}, not {:?}",
            route.request_type
        ));
    }
    let sent_body = match boundary {
        Some(boundary) => String::from_utf8_lossy(body).replace(boundary, "BOUNDARY"),
        None => String::from_utf8_lossy(body).into_owned(),
    };
    if sent_body != route.request_body {
        return Err(format!(
            "sent the body {sent_body:?}, not {:?}",
            route.request_body
        ));
    }
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let sent = query_pairs(query);
    let wanted: Vec<(String, String)> = route
        .query
        .iter()
        .map(|&(name, value)| (name.to_owned(), value.to_owned()))
        .collect();
    if sent != wanted {
        return Err(format!("sent the query {sent:?}, not {wanted:?}"));
    }
    let Some(path) = path.strip_prefix(BASE_PATH) else {
        return Err(format!("sent {target}, outside the base path {BASE_PATH}"));
    };
    let sent: Vec<&str> = path.split('/').collect();
    let wanted: Vec<&str> = route.template.split('/').collect();
    if sent.len() != wanted.len() {
        return Err(format!(
            "sent {path}: {} segments, the template has {}",
            sent.len(),
            wanted.len()
        ));
    }
    for (sent, wanted) in sent.iter().zip(&wanted) {
        let decoded = percent_encoding::percent_decode_str(sent).decode_utf8_lossy();
        let expected = substitute(wanted, route.params);
        if decoded != expected {
            return Err(format!(
                "sent {path}: segment {sent:?} decodes to {decoded:?}, not {expected:?}"
            ));
        }
    }
    Ok(())
}

/// Every value of the header `name` in the request head `head`, in order.
fn header_values<'h>(head: &'h str, name: &str) -> Vec<&'h str> {
    head.lines()
        .skip(1)
        .filter_map(|line| line.split_once(':'))
        .filter(|(n, _)| n.trim().eq_ignore_ascii_case(name))
        .map(|(_, v)| v.trim())
        .collect()
}

/// A query string's pairs, decoded as a server reads them (`+` is a space, as in an HTML
/// form, so a `+` that was not encoded fails).
fn query_pairs(query: &str) -> Vec<(String, String)> {
    url::form_urlencoded::parse(query.as_bytes())
        .map(|(name, value)| (name.into_owned(), value.into_owned()))
        .collect()
}

/// A template segment as a request's segment must decode: literal text decoded (a template
/// may hold `%23`, sent as it is written), each `{name}` replaced by its value.
fn substitute(segment: &str, params: &[(&str, &str)]) -> String {
    let decoded = |text: &str| {
        percent_encoding::percent_decode_str(text)
            .decode_utf8_lossy()
            .into_owned()
    };
    let mut out = String::new();
    let mut rest = segment;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|c| open + c) else {
            break;
        };
        out.push_str(&decoded(&rest[..open]));
        let name = &rest[open + 1..close];
        match params.iter().find(|(n, _)| *n == name) {
            Some((_, value)) => out.push_str(value),
            // No value: the segment can match nothing a call sends.
            None => out.push_str(&format!("{{no value for {name}}}")),
        }
        rest = &rest[close + 1..];
    }
    out.push_str(&decoded(rest));
    out
}

fn answer(route: &Route, method: &str) -> Vec<u8> {
    // A HEAD answer announces no body; reqwest would wait for one otherwise.
    let body = if method == "HEAD" { "" } else { route.body };
    let mut out = format!(
        "HTTP/1.1 {} Every-Endpoint\r\ncontent-type: {}\r\n",
        route.status, route.content_type
    );
    if !matches!(route.status, 204 | 304) {
        out.push_str(&format!("content-length: {}\r\n", body.len()));
    }
    out.push_str("\r\n");
    let mut out = out.into_bytes();
    out.extend_from_slice(body.as_bytes());
    out
}

/// The environment variable naming Prism's address (`127.0.0.1:4010`): set, [`run`] calls the
/// cases that send typed values against Prism instead of checking them here.
pub const PRISM_ENV: &str = "EVERY_ENDPOINT_PRISM";

/// Relay mode: requests go to Prism, which validates them against Cloudflare's schema.
#[path = "prism_relay.rs"]
mod prism;

/// Responses mode of the relay: Prism's generated 2xx bodies, decoded.
#[path = "prism_responses.rs"]
mod responses;
