// @generated: a copy of the hand-written generated-client/tests/support/prism_relay.rs. Do not edit.
//! Relay mode of the every-endpoint server (`every_endpoint_server.rs`): requests go to Prism
//! (`@stoplight/prism-cli`), a mock server that validates each request against the OpenAPI
//! schema it serves, and what it says of them is counted and listed.
//!
//! Hand-written in `generated-client`, copied with the server into every crate the generator
//! writes.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use super::{BASE_PATH, Case, State, header_values};

/// What Prism answered one request: its status and the request's violations.
#[derive(Debug, Clone, Default)]
pub(super) struct Verdict {
    pub status: u16,
    /// (location, code, message) of each violation of the request (those of Prism's own
    /// example response left out).
    pub violations: Vec<(String, String, String)>,
    /// The request was `multipart/form-data`: Prism keeps every part as a string and
    /// cannot validate an object or array part (stoplightio/prism #2008, #2380).
    pub multipart: bool,
    /// The relay could not reach Prism, or Prism's answer was not HTTP.
    pub broken: Option<String>,
    /// Prism has no operation for the route (`NO_PATH_MATCHED_ERROR`, ...).
    pub unmatched: bool,
}

/// Violation codes about a value rather than its structure: the test sends values that
/// name their field (`name "q" \ é`), which a schema's formats, patterns and bounds need
/// not accept; a value sent where the schema expects it, of its type, is serialized right.
const VALUE_CODES: [&str; 13] = [
    "format",
    "pattern",
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minItems",
    "maxItems",
    "uniqueItems",
    "multipleOf",
    "enum",
];

/// What a violation is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// The test's value, not where or as what it is sent: a path parameter's text, a
    /// format, pattern, bound or enum, a string in a field typed `json`.
    Value,
    /// The schema requires a body the client does not type.
    UntypedBody,
    /// Where or as what a value is sent: what serialization decides.
    Structure,
    /// A union none of whose branches matched: a consequence of the violations found in
    /// the branches, which are listed beside it.
    Union,
}

fn kind((at, code, message): &(String, String, String), json_fields: &[&str]) -> Kind {
    let at = at.strip_prefix("request.").unwrap_or(at);
    // A failed union, or the list cut short: what the other violations say decides.
    if matches!(code.as_str(), "anyOf" | "oneOf" | "truncated") {
        return Kind::Union;
    }
    if at.starts_with("path.") || VALUE_CODES.contains(&code.as_str()) {
        return Kind::Value;
    }
    if at == "request" && message.starts_with("Body parameter is required") {
        return Kind::UntypedBody;
    }
    // `body.rules.0.action` → `rules.action`, as the route writes its `json` fields.
    let field: Vec<&str> = at
        .strip_prefix("body.")
        .unwrap_or_default()
        .split('.')
        .filter(|s| !s.is_empty() && !s.bytes().all(|b| b.is_ascii_digit()))
        .collect();
    let field = field.join(".");
    let in_json = json_fields
        .iter()
        .any(|j| field == *j || field.starts_with(&format!("{j}.")));
    if in_json {
        Kind::Value
    } else {
        Kind::Structure
    }
}

/// The environment variable naming the triage file: a Markdown table of the rejections
/// whose cause is known (an error in the schema, a Prism limitation, or the test's values),
/// each row `| endpoint | violations | cause | reason |`. With it set, a rejection whose
/// violations are not all listed for its endpoint fails the run, and so does a listed
/// endpoint of this file's cases that Prism no longer rejects (the row is stale).
pub(super) const TRIAGE_ENV: &str = "EVERY_ENDPOINT_PRISM_TRIAGE";

/// One row of the triage file.
#[derive(Debug)]
struct Triaged {
    /// `group::method`, as the route names it.
    endpoint: String,
    /// `location [code]` of each violation the row explains (`body [required]`).
    violations: Vec<String>,
    /// `schema`, `prism` or `values`.
    cause: String,
    reason: String,
}

/// The rows of the triage file at `path`; panics (failing the run) on a file it cannot read
/// or a row it cannot understand, naming the line.
fn read_triage(path: &str) -> Vec<Triaged> {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{TRIAGE_ENV}={path}: cannot read it: {e}"));
    let mut rows = Vec::new();
    for (number, line) in text.lines().enumerate() {
        let line = line.trim();
        if !line.starts_with("| `") {
            continue;
        }
        let cells: Vec<&str> = line
            .trim_matches('|')
            .split(" | ")
            .map(|c| c.trim())
            .collect();
        let [endpoint, violations, cause, reason] = cells.as_slice() else {
            panic!(
                "{path}:{}: a row has 4 cells (endpoint, violations, cause, reason): {line}",
                number + 1
            );
        };
        let code = |cell: &str| cell.trim().trim_matches('`').to_owned();
        let cause = code(cause);
        assert!(
            ["schema", "prism", "values"].contains(&cause.as_str()),
            "{path}:{}: the cause is `schema`, `prism` or `values`, not `{cause}`",
            number + 1
        );
        rows.push(Triaged {
            endpoint: code(endpoint),
            violations: violations.split(", ").map(code).collect(),
            cause,
            reason: (*reason).to_owned(),
        });
    }
    rows
}

/// `location [code]` of a violation, as the triage file writes it (`request.` left out).
fn signature((at, code, _): &(String, String, String)) -> String {
    format!("{} [{code}]", at.strip_prefix("request.").unwrap_or(at))
}

/// Sends `head` and `body` (a request as the client sent it here) to Prism at `addr`, its
/// path without [`BASE_PATH`]; returns Prism's answer, as the client gets it, and the
/// verdict read from it.
///
/// `dynamic` asks Prism for a body generated from the schema rather than its examples.
pub(super) async fn relay(
    addr: &str,
    head: &str,
    body: &[u8],
    dynamic: bool,
) -> (Vec<u8>, Verdict) {
    let multipart = header_values(head, "content-type")
        .iter()
        .any(|v| v.starts_with("multipart/form-data"));
    let mut lines = head.lines();
    let request_line = lines.next().unwrap_or_default().replacen(BASE_PATH, "", 1);
    let mut out = format!("{request_line}\r\n");
    for line in lines {
        let name = line.split(':').next().unwrap_or_default().trim();
        if !name.eq_ignore_ascii_case("connection") && !name.eq_ignore_ascii_case("host") {
            out.push_str(line);
            out.push_str("\r\n");
        }
    }
    if dynamic {
        out.push_str("prefer: dynamic=true\r\n");
    }
    out.push_str(&format!("host: {addr}\r\nconnection: close\r\n\r\n"));
    let mut request = out.into_bytes();
    request.extend_from_slice(body);
    let exchange = async {
        let mut stream = TcpStream::connect(addr).await?;
        stream.write_all(&request).await?;
        let mut answer = Vec::new();
        stream.read_to_end(&mut answer).await?;
        Ok::<_, std::io::Error>(answer)
    };
    let answer = match tokio::time::timeout(Duration::from_secs(60), exchange).await {
        Ok(Ok(answer)) => answer,
        Ok(Err(e)) => return broken(format!("relay: {e}"), multipart),
        Err(_) => return broken("relay: no answer in 60 s".to_owned(), multipart),
    };
    let verdict = read_verdict(&answer, multipart);
    (answer, verdict)
}

fn broken(why: String, multipart: bool) -> (Vec<u8>, Verdict) {
    let answer = b"HTTP/1.1 502 Relay\r\ncontent-length: 0\r\n\r\n".to_vec();
    let verdict = Verdict {
        status: 502,
        multipart,
        broken: Some(why),
        ..Verdict::default()
    };
    (answer, verdict)
}

/// The status and the request's violations: from the `sl-violations` header (entries at
/// `request`), or, where Prism answers with its own problem document, its `validation`.
fn read_verdict(answer: &[u8], multipart: bool) -> Verdict {
    let Some(end) = answer.windows(4).position(|w| w == b"\r\n\r\n") else {
        return Verdict {
            broken: Some("an answer without a head".to_owned()),
            multipart,
            ..Verdict::default()
        };
    };
    let head = String::from_utf8_lossy(&answer[..end]).into_owned();
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let mut violations = Vec::new();
    for value in header_values(&head, "sl-violations") {
        match serde_json::from_str::<serde_json::Value>(value) {
            Ok(serde_json::Value::Array(entries)) => violations.extend(request_errors(&entries)),
            // Prism cuts a long list and says so in front of it: the entries before the
            // cut are read, and the cut is a violation of its own.
            _ => {
                violations.extend(request_errors(&complete_entries(value)));
                violations.push((
                    "request".to_owned(),
                    "truncated".to_owned(),
                    "Prism cut the list of violations short".to_owned(),
                ));
            }
        }
    }
    let body = dechunked(&head, &answer[end + 4..]);
    if let Ok(problem) = serde_json::from_slice::<serde_json::Value>(&body)
        && let Some(entries) = problem["validation"].as_array()
    {
        violations.extend(
            entries
                .iter()
                .filter(|e| e["severity"] != "Warning")
                .map(violation),
        );
    }
    let text = String::from_utf8_lossy(&body);
    let unmatched = ["NO_PATH_MATCHED", "NO_METHOD_MATCHED", "NO_SERVER_MATCHED"]
        .iter()
        .any(|e| text.contains(e));
    Verdict {
        status,
        violations,
        multipart,
        broken: None,
        unmatched,
    }
}

/// The `sl-violations` entries about the request (not Prism's own example response) that are
/// errors: a warning, such as a deprecated parameter sent, does not make it invalid.
fn request_errors(
    entries: &[serde_json::Value],
) -> impl Iterator<Item = (String, String, String)> + '_ {
    entries
        .iter()
        .filter(|e| e["location"][0] == "request" && e["severity"] != "Warning")
        .map(violation)
}

/// The whole `{…}` entries of a JSON array cut short.
fn complete_entries(text: &str) -> Vec<serde_json::Value> {
    let Some(start) = text.find('[') else {
        return Vec::new();
    };
    let mut entries = Vec::new();
    let mut rest = &text[start + 1..];
    loop {
        rest = rest.trim_start_matches([',', ' ']);
        let mut stream = serde_json::Deserializer::from_str(rest).into_iter::<serde_json::Value>();
        match stream.next() {
            Some(Ok(entry)) => {
                rest = &rest[stream.byte_offset()..];
                entries.push(entry);
            }
            _ => return entries,
        }
    }
}

fn violation(entry: &serde_json::Value) -> (String, String, String) {
    let location: Vec<String> = entry["location"]
        .as_array()
        .map(|parts| {
            parts
                .iter()
                .map(|p| p.as_str().map_or_else(|| p.to_string(), str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    let code = match &entry["code"] {
        serde_json::Value::String(code) => code.clone(),
        other => other.to_string(),
    };
    let message = entry["message"].as_str().unwrap_or_default().to_owned();
    (location.join("."), code, message)
}

/// A body as sent: chunks joined when it came chunked.
fn dechunked(head: &str, body: &[u8]) -> Vec<u8> {
    let chunked = header_values(head, "transfer-encoding")
        .iter()
        .any(|v| v.eq_ignore_ascii_case("chunked"));
    if !chunked {
        return body.to_vec();
    }
    let mut out = Vec::new();
    let mut rest = body;
    while let Some(line_end) = rest.windows(2).position(|w| w == b"\r\n") {
        let size = std::str::from_utf8(&rest[..line_end])
            .ok()
            .and_then(|s| usize::from_str_radix(s.split(';').next()?.trim(), 16).ok())
            .unwrap_or(0);
        let start = line_end + 2;
        if size == 0 || rest.len() < start + size {
            break;
        }
        out.extend_from_slice(&rest[start..start + size]);
        rest = &rest[(start + size + 2).min(rest.len())..];
    }
    out
}

/// Calls every case that sends typed values (query parameters, headers or a body)
/// through the relay, then prints how many requests Prism validated without a violation
/// and lists every other one with its reasons, by kind. Panics when Prism cannot be
/// reached.
pub(super) async fn run<C: Clone>(
    cases: &[Case<C>],
    client: C,
    state: &Arc<Mutex<State>>,
    prism: String,
) {
    let typed: Vec<&Case<C>> = cases
        .iter()
        .filter(|c| {
            !c.route.query.is_empty()
                || !c.route.headers.is_empty()
                || !c.route.request_body.is_empty()
        })
        .collect();
    let mut clean = 0;
    let mut values = 0;
    let mut limitations = Vec::new();
    let mut unmatched = Vec::new();
    let mut untyped = Vec::new();
    let mut structural = Vec::new();
    let mut listed = Vec::new();
    let triage = std::env::var(TRIAGE_ENV)
        .ok()
        .filter(|p| !p.is_empty())
        .map(|p| read_triage(&p));
    let mut explained: Vec<(String, String)> = Vec::new();
    let mut used_rows = std::collections::BTreeSet::new();
    for case in &typed {
        {
            let mut state = state.lock().expect("state");
            *state = State {
                prism: Some(prism.clone()),
                ..State::default()
            };
        }
        let _ = (case.call)(client.clone()).await;
        let verdicts = std::mem::take(&mut state.lock().expect("state").verdicts);
        let label = format!(
            "{} ({} {})",
            case.route.endpoint, case.route.method, case.route.template
        );
        let [verdict] = verdicts.as_slice() else {
            structural.push(format!(
                "{label}: {} requests instead of one",
                verdicts.len()
            ));
            continue;
        };
        if verdict.unmatched {
            unmatched.push(format!("{label}: {}", verdict.status));
            continue;
        }
        let rejected = matches!(verdict.status, 400 | 401 | 415 | 422)
            || !verdict.violations.is_empty()
            || verdict.broken.is_some();
        if !rejected {
            clean += 1;
            continue;
        }
        let reasons: Vec<String> = verdict
            .violations
            .iter()
            .map(|(at, code, message)| format!("{at} [{code}] {message}"))
            .chain(verdict.broken.clone())
            .collect();
        let line = format!(
            "{label}: {} {}",
            verdict.status,
            if reasons.is_empty() {
                "(no violation named)".to_owned()
            } else {
                reasons.join("; ")
            }
        );
        // Each violation's kind, in order.
        let each: Vec<Kind> = verdict
            .violations
            .iter()
            .map(|v| kind(v, case.route.json_fields))
            .collect();
        // A failed union says no more than its branches' violations, when there are any;
        // alone, it is about structure.
        let union_only = !each.is_empty() && each.iter().all(|k| *k == Kind::Union);
        let kinds: Vec<Kind> = if union_only {
            vec![Kind::Structure]
        } else {
            each.iter().copied().filter(|k| *k != Kind::Union).collect()
        };
        if verdict.broken.is_some() {
            structural.push(line);
        } else if verdict.multipart {
            limitations.push(line);
        } else if kinds.is_empty() || kinds.contains(&Kind::Structure) {
            // What decides: the violations about structure, or, when a failed union is all
            // there is, the union's.
            let deciding: Vec<String> = verdict
                .violations
                .iter()
                .zip(&each)
                .filter(|(_, k)| **k == Kind::Structure || union_only)
                .map(|(v, _)| signature(v))
                .collect();
            let row = triage.as_ref().and_then(|rows| {
                rows.iter().position(|row| {
                    row.endpoint == case.route.endpoint
                        && !deciding.is_empty()
                        && deciding.iter().all(|d| row.violations.contains(d))
                })
            });
            match (row, &triage) {
                (Some(index), Some(rows)) => {
                    used_rows.insert(index);
                    let row = &rows[index];
                    explained.push((
                        row.cause.clone(),
                        format!("{line}\n      because: {}", row.reason),
                    ));
                }
                _ => structural.push(line),
            }
        } else if kinds.contains(&Kind::UntypedBody) {
            untyped.push(line);
        } else {
            values += 1;
            listed.push(line);
        }
    }
    let count = |cause: &str| explained.iter().filter(|(c, _)| c == cause).count();
    eprintln!(
        "prism: {} calls send typed values; {clean} validated without a violation, {values} rejected only for the test's values (path text, formats, patterns, bounds, enums, strings in `json` fields), {} without the body the schema requires (not typed: see import-overlays), {} multipart requests Prism cannot validate, {} routes Prism does not serve, {} rejected for a known cause (triaged: {} schema errors, {} Prism limitations, {} the test's values), {} rejected otherwise",
        typed.len(),
        untyped.len(),
        limitations.len(),
        unmatched.len(),
        explained.len(),
        count("schema"),
        count("prism"),
        count("values"),
        structural.len()
    );
    // The same figures for a script to add up over shards.
    eprintln!(
        "prism-counts: {} {clean} {values} {} {} {} {} {} {} {}",
        typed.len(),
        untyped.len(),
        limitations.len(),
        unmatched.len(),
        structural.len(),
        count("schema"),
        count("prism"),
        count("values")
    );
    for line in &listed {
        eprintln!("  value: {line}");
    }
    for line in &limitations {
        eprintln!("  prism limitation (multipart parts are strings): {line}");
    }
    for line in &untyped {
        eprintln!("  body not typed: {line}");
    }
    for line in &unmatched {
        eprintln!("  no such route in the schema Prism serves: {line}");
    }
    for (cause, line) in &explained {
        eprintln!("  known cause ({cause}): {line}");
    }
    for line in &structural {
        eprintln!("  rejected: {line}");
    }
    // Whatever the triage: the relay itself works, Prism reached and answering.
    let broken: Vec<&String> = structural.iter().filter(|l| l.contains("relay:")).collect();
    assert!(broken.is_empty(), "Prism was not reached: {broken:?}");
    // With a triage file, the report is a gate: every rejection has a known cause, and every
    // row for an endpoint of these cases still explains one.
    if let Some(rows) = &triage {
        let stale: Vec<String> = rows
            .iter()
            .enumerate()
            .filter(|(i, row)| {
                !used_rows.contains(i) && typed.iter().any(|c| c.route.endpoint == row.endpoint)
            })
            .map(|(_, row)| format!("{} ({})", row.endpoint, row.violations.join(", ")))
            .collect();
        assert!(
            structural.is_empty() && stale.is_empty(),
            "{} rejection(s) without a known cause (listed above as `rejected:`; triage each in {TRIAGE_ENV}'s file), and {} stale triage row(s): {stale:?}",
            structural.len(),
            stale.len()
        );
    }
}
