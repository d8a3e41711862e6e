// @generated: a copy of the hand-written generated-client/tests/support/prism_responses.rs. Do not edit.
//! Responses mode of the Prism relay (`prism_relay.rs`): every case is called [`ROUNDS`]
//! times through the relay, and Prism (`@stoplight/prism-cli`, serving Cloudflare's OpenAPI
//! schema) answers each with a body it generates from the schema (`Prefer: dynamic=true`;
//! `--seed` makes the bodies the same on every run). Each 2xx body Prism sends must decode
//! with no warning, the last call with a strict client (where any drift is an error): what
//! the client's types say of a response is checked against what the schema says, by a
//! server nobody here wrote. Every call whose body drifted or failed is listed.
//!
//! Hand-written in `generated-client`, copied with the server into every crate the generator
//! writes.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use super::{Case, Outcome, State};

/// The environment variable that turns relay mode ([`super::PRISM_ENV`]) to responses:
/// set to `1`, every case is called [`ROUNDS`] times and its 2xx bodies decoded.
pub(super) const RESPONSES_ENV: &str = "EVERY_ENDPOINT_PRISM_RESPONSES";

/// The environment variable naming the triage file (`priv/prism-responses-triage.md`): the
/// endpoints whose 2xx bodies from Prism are known not to decode cleanly, each with the kind
/// of failure, its cause and the reason. With it, the step is a gate: an endpoint failing
/// without a row, or with another kind than its row says, fails the run, and so does a row
/// that no failure needs any more.
pub(super) const TRIAGE_ENV: &str = "EVERY_ENDPOINT_PRISM_RESPONSES_TRIAGE";

/// Calls per endpoint: one with a lenient client, which must see no drift, then one with a
/// strict client, which must decode. Prism run with `--seed` generates the same body for a
/// route on every call (it seeds its generator per request): more calls would decode the
/// same body again, and without the seed the step would not be reproducible.
pub(super) const ROUNDS: usize = 2;

/// The kind of a strict call's failure, as the triage file names it.
fn kind(error: &str) -> &'static str {
    if error.contains("not the documented Cloudflare envelope") {
        "not the envelope"
    } else if error.starts_with("API error") {
        "an API error in a 2xx"
    } else if error.contains("response at `result`: invalid type: null")
        || error.contains("response at `.`: invalid type: null")
    {
        "null data"
    } else {
        "a value of another type"
    }
}

/// One row of the triage file.
struct Triaged {
    endpoint: String,
    kind: String,
    cause: String,
}

fn read_triage(path: &str) -> Vec<Triaged> {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{TRIAGE_ENV}={path}: cannot read it: {e}"));
    let mut rows = Vec::new();
    for (number, line) in text.lines().enumerate() {
        let line = line.trim();
        if !line.starts_with("| `") {
            continue;
        }
        let cells: Vec<&str> = line.trim_matches('|').split(" | ").map(str::trim).collect();
        let [endpoint, kind, cause, _reason] = cells.as_slice() else {
            panic!(
                "{path}:{}: a row has 4 cells (endpoint, kind, cause, reason): {line}",
                number + 1
            );
        };
        let code = |cell: &str| cell.trim_matches('`').to_owned();
        let cause = code(cause);
        assert!(
            ["schema", "prism", "docs", "client"].contains(&cause.as_str()),
            "{path}:{}: the cause is `schema`, `prism`, `docs` or `client`, not `{cause}`",
            number + 1
        );
        rows.push(Triaged {
            endpoint: code(endpoint),
            kind: code(kind),
            cause,
        });
    }
    rows
}

/// What one call came to.
enum Verdict {
    /// Prism answered 2xx and the client decoded it without a warning (or returned the raw
    /// bytes a raw variant asks for).
    Clean,
    /// Prism answered 2xx; the client decoded it with warnings (lenient rounds).
    Drift(String),
    /// Prism answered 2xx; the client failed to decode it.
    Failed(String),
    /// Prism did not answer 2xx (it rejected the request, or chose an error response).
    NotTwoXx(u16),
    /// Prism has no operation for the route.
    Unmatched,
    /// Not one request reached Prism, or Prism was not reached.
    Broken(String),
}

/// Calls every case [`ROUNDS`] times, `lenient` then, in the last round, `strict`, and
/// prints what the 2xx bodies decoded to; panics when Prism was not reached, or when a 2xx
/// body did not decode cleanly.
pub(super) async fn run<C: Clone>(
    cases: &[Case<C>],
    lenient: C,
    strict: C,
    state: &Arc<Mutex<State>>,
    prism: String,
) {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    let mut statuses: BTreeMap<u16, usize> = BTreeMap::new();
    let mut problems: Vec<String> = Vec::new();
    let mut broken: Vec<String> = Vec::new();
    let mut endpoints_decoded = 0;
    // The endpoints whose strict call failed, with the kind of failure; and those whose
    // lenient call drifted.
    let mut failing: BTreeMap<&str, &'static str> = BTreeMap::new();
    let mut drifting: Vec<&str> = Vec::new();
    for case in cases {
        let label = format!(
            "{} ({} {})",
            case.route.endpoint, case.route.method, case.route.template
        );
        let mut decoded_here = false;
        for round in 0..ROUNDS {
            {
                let mut state = state.lock().expect("state");
                *state = State {
                    prism: Some(prism.clone()),
                    dynamic: true,
                    ..State::default()
                };
            }
            let strict_round = round + 1 == ROUNDS;
            let client = if strict_round { &strict } else { &lenient };
            let outcome = (case.call)(client.clone()).await;
            let verdicts = std::mem::take(&mut state.lock().expect("state").verdicts);
            let mode = if strict_round { "strict" } else { "lenient" };
            let verdict = match verdicts.as_slice() {
                [one] if one.broken.is_some() => {
                    Verdict::Broken(one.broken.clone().unwrap_or_default())
                }
                [one] if one.unmatched => Verdict::Unmatched,
                [one] if !(200..300).contains(&one.status) => Verdict::NotTwoXx(one.status),
                [_] => match outcome {
                    Outcome::Decoded { warnings, .. } if !warnings.is_empty() => Verdict::Drift(
                        format!("{} warning(s): {}", warnings.len(), warnings.join("; ")),
                    ),
                    Outcome::Decoded { .. } | Outcome::Raw(_) => Verdict::Clean,
                    Outcome::Failed(error) => Verdict::Failed(error),
                },
                several => Verdict::Broken(format!("{} requests instead of one", several.len())),
            };
            let kind = match verdict {
                Verdict::Clean => "clean",
                Verdict::Drift(why) => {
                    problems.push(format!(
                        "{label}, call {} ({mode}): drift: {why}",
                        round + 1
                    ));
                    drifting.push(case.route.endpoint);
                    "drift"
                }
                Verdict::Failed(why) => {
                    problems.push(format!(
                        "{label}, call {} ({mode}): failed: {why}",
                        round + 1
                    ));
                    match strict_round {
                        true => {
                            failing.insert(case.route.endpoint, kind(&why));
                        }
                        false => drifting.push(case.route.endpoint),
                    }
                    "failed"
                }
                Verdict::NotTwoXx(status) => {
                    *statuses.entry(status).or_default() += 1;
                    "not 2xx"
                }
                Verdict::Unmatched => "unmatched",
                Verdict::Broken(why) => {
                    broken.push(format!("{label}: {why}"));
                    "broken"
                }
            };
            decoded_here |= matches!(kind, "clean" | "drift" | "failed");
            *counts.entry(kind).or_default() += 1;
        }
        endpoints_decoded += usize::from(decoded_here);
    }
    let count = |kind: &str| counts.get(kind).copied().unwrap_or(0);
    let statuses: Vec<String> = statuses
        .iter()
        .map(|(status, n)| format!("{n} × {status}"))
        .collect();
    eprintln!(
        "prism responses: {} endpoints called {ROUNDS} times ({} calls, the last strict); {} endpoints answered 2xx at least once; of {} 2xx bodies, {} decoded clean, {} with drift warnings, {} failed to decode; {} calls not answered 2xx ({}), {} on routes Prism does not serve",
        cases.len(),
        cases.len() * ROUNDS,
        endpoints_decoded,
        count("clean") + count("drift") + count("failed"),
        count("clean"),
        count("drift"),
        count("failed"),
        count("not 2xx"),
        statuses.join(", "),
        count("unmatched"),
    );
    // The same figures for a script to add up over shards.
    eprintln!(
        "prism-responses: {} {} {} {} {} {} {}",
        cases.len(),
        endpoints_decoded,
        count("clean"),
        count("drift"),
        count("failed"),
        count("not 2xx"),
        count("unmatched")
    );
    for line in &problems {
        eprintln!("  response: {line}");
    }
    assert!(broken.is_empty(), "Prism was not reached: {broken:?}");
    let Some(rows) = std::env::var(TRIAGE_ENV)
        .ok()
        .filter(|p| !p.is_empty())
        .map(|p| read_triage(&p))
    else {
        assert!(
            problems.is_empty(),
            "{} 2xx bodies from Prism did not decode cleanly (listed above as `response:`)",
            problems.len()
        );
        return;
    };
    // Every endpoint that failed or drifted has its row, of the kind its strict call failed
    // with (a drift a strict call did not turn into a failure is `a value of another type`).
    let mut unexplained = Vec::new();
    let mut causes: BTreeMap<&str, usize> = BTreeMap::new();
    let mut troubled: Vec<&str> = failing
        .keys()
        .copied()
        .chain(drifting.iter().copied())
        .collect();
    troubled.sort_unstable();
    troubled.dedup();
    for endpoint in &troubled {
        let kind = failing
            .get(endpoint)
            .copied()
            .unwrap_or("a value of another type");
        match rows.iter().find(|r| r.endpoint == *endpoint) {
            Some(row) if row.kind == kind => *causes.entry(row.cause.as_str()).or_default() += 1,
            Some(row) => {
                unexplained.push(format!("{endpoint}: {kind} (its row says {})", row.kind))
            }
            None => unexplained.push(format!("{endpoint}: {kind}")),
        }
    }
    let stale: Vec<&str> = rows
        .iter()
        .filter(|r| cases.iter().any(|c| c.route.endpoint == r.endpoint))
        .filter(|r| !troubled.contains(&r.endpoint.as_str()))
        .map(|r| r.endpoint.as_str())
        .collect();
    let causes: Vec<String> = causes.iter().map(|(c, n)| format!("{n} {c}")).collect();
    eprintln!(
        "prism responses triage: {} endpoints with a body that did not decode cleanly, {} of them explained ({})",
        troubled.len(),
        troubled.len() - unexplained.len(),
        causes.join(", ")
    );
    assert!(
        unexplained.is_empty() && stale.is_empty(),
        "{} endpoint(s) whose 2xx bodies did not decode cleanly without a row of that kind in {TRIAGE_ENV}'s file: {unexplained:#?}; {} stale row(s) no failure needs: {stale:?}",
        unexplained.len(),
        stale.len()
    );
}
