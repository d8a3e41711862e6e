//! The `export_audit_logs` example, run as a real process against servers on 127.0.0.1
//! (issue "Audit Logs beyond SDK parity": an example users can run): the crate's local API
//! (`cloudflare_client::mock`, which checks each request against the docs, pages by their rules
//! and answers the errors a test asks for), and wiremock for the CSV export, a body of bytes
//! the mock does not serve.
//!
//! Cargo gives integration tests no `CARGO_BIN_EXE_*` for examples, so the example is built
//! once per run of this file with the `cargo` that builds the tests (`env!("CARGO")`):
//! `cargo build -p cloudflare-client --example export_audit_logs --message-format=json`, into the
//! target directory and profile this test binary lives in (derived from its own path,
//! `<target>/<profile>/deps/example_cli-*`), so it reuses the library already built for the tests
//! and only links the example. The binary's path is read from cargo's `compiler-artifact`
//! message (its `executable`), not guessed. Cargo releases its build lock before running tests,
//! so the nested build does not wait on the outer one.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

use cloudflare_client::mock::{self, Fault, Times};
use serde_json::{Value, json};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

const ACCOUNT: &str = "023e105f4ecef8ad9ca31a8372d0c353";
const TOKEN: &str = "example-cli-token-secret";

/// Builds the example once and returns its path.
fn example_binary() -> &'static Path {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(|| {
        let exe = std::env::current_exe().expect("the test binary's path");
        // <target>/<profile dir>/deps/example_cli-<hash>
        let profile_dir = exe
            .parent()
            .and_then(Path::parent)
            .expect("<target>/<profile>/deps");
        let target_dir = profile_dir.parent().expect("<target>");
        let mut cargo = Command::new(env!("CARGO"));
        // Cargo sets these for the test process; in the nested build's environment they would
        // change fingerprints (ring's build script tracks CARGO_MANIFEST_DIR) and make the outer
        // and nested builds rebuild each other's dependencies every run.
        for (name, _) in std::env::vars_os() {
            let name_str = name.to_string_lossy();
            if [
                "CARGO_MANIFEST_",
                "CARGO_PKG_",
                "CARGO_CRATE_",
                "CARGO_BIN_",
                "CARGO_PRIMARY_",
                "CARGO_TARGET_TMPDIR",
            ]
            .iter()
            .any(|p| name_str.starts_with(p))
                || ["OUT_DIR", "CARGO_RUSTC_CURRENT_DIR"].contains(&name_str.as_ref())
            {
                cargo.env_remove(&name);
            }
        }
        cargo
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args([
                "build",
                "--quiet",
                "-p",
                "cloudflare-client",
                "--example",
                "export_audit_logs",
            ])
            .arg("--message-format=json-render-diagnostics")
            .arg("--target-dir")
            .arg(target_dir);
        match profile_dir.file_name().and_then(|n| n.to_str()) {
            Some("debug") | None => {}
            Some("release") => {
                cargo.arg("--release");
            }
            Some(other) => {
                cargo.args(["--profile", other]);
            }
        }
        let out = cargo.stdin(Stdio::null()).output().expect("cargo runs");
        assert!(
            out.status.success(),
            "building the example failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter_map(|line| serde_json::from_str::<Value>(line).ok())
            .filter(|m| {
                m["reason"] == "compiler-artifact" && m["target"]["name"] == "export_audit_logs"
            })
            .find_map(|m| m["executable"].as_str().map(PathBuf::from))
            .expect("cargo names the example's executable")
    })
}

/// Runs the example with `args`, credentials from the environment as users set them.
async fn run_example(args: Vec<String>) -> Output {
    tokio::task::spawn_blocking(move || {
        let mut command = Command::new(example_binary());
        for (name, _) in std::env::vars_os() {
            if name.to_string_lossy().starts_with("CLOUDFLARE_") {
                command.env_remove(name);
            }
        }
        command
            .env("CLOUDFLARE_API_TOKEN", TOKEN)
            .args(args)
            .stdin(Stdio::null())
            .output()
            .expect("the example runs")
    })
    .await
    .expect("the blocking task completes")
}

fn args(base_url: &str, extra: &[&str]) -> Vec<String> {
    let mut args: Vec<String> = [
        "--base-url",
        base_url,
        "--account",
        ACCOUNT,
        "--since",
        "2024-10-01",
        "--before",
        "2024-10-31T12:00:00+02:00",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    args.extend(extra.iter().map(|s| s.to_string()));
    args
}

fn wiremock_url(server: &MockServer) -> String {
    format!("{}/client/v4", server.uri())
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn json_lines(stdout: &[u8]) -> Vec<Value> {
    let stdout = std::str::from_utf8(stdout).expect("UTF-8 output");
    assert!(stdout.ends_with('\n'), "every line is terminated");
    stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

/// The query of a recorded request as a map (each name once).
fn query(request: &mock::RecordedRequest) -> BTreeMap<&str, &str> {
    request
        .query
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}

// The listings run against the crate's local API (feature `mock`): it checks each request
// against the Audit Logs docs (path, parameters and their kinds) and pages the items the test
// sets by each endpoint's documented rule, page numbers for v1 and cursors for v2.

#[tokio::test]
async fn v1_json_lines_every_item_once_in_order() {
    let server = mock::start().await.expect("the mock starts");
    let list = &mock::audit_logs::LIST_ACCOUNT_AUDIT_LOGS;
    let items: Vec<Value> = (0..250)
        .map(|i| json!({"id": format!("log-{i}"), "action": {"result": true, "type": "login"},
                        "actor": {"email": "a@example.com", "type": "user"}, "when": "2024-10-02T00:00:00Z"}))
        .collect();
    server.respond(list, items);
    let out = run_example(args(
        &server.base_url(),
        &["--per-page", "100", "--actor-email", "a@example.com"],
    ))
    .await;
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let lines = json_lines(&out.stdout);
    assert_eq!(lines.len(), 250);
    let ids: Vec<&str> = lines.iter().map(|l| l["id"].as_str().unwrap()).collect();
    assert_eq!(ids.iter().collect::<BTreeSet<_>>().len(), 250, "unique ids");
    assert_eq!(
        ids,
        (0..250).map(|i| format!("log-{i}")).collect::<Vec<_>>(),
        "in order"
    );
    // Decoded and re-encoded: the typed item, not the raw server JSON.
    assert_eq!(
        lines[0]["actor"],
        json!({"email": "a@example.com", "type": "user"})
    );

    // Every request was one the docs allow (the mock answers 400 otherwise).
    let sent = server.requests();
    assert_eq!(sent.len(), 3, "3 pages, not one more");
    for (i, r) in sent.iter().enumerate() {
        assert_eq!(r.endpoint, Some(list.name));
        assert_eq!(r.status, 200);
        // Sent, and redacted in the record.
        assert_eq!(r.header("authorization"), Some("<redacted>"));
        let q = query(r);
        assert_eq!(q["since"], "2024-10-01");
        assert_eq!(q["before"], "2024-10-31T12:00:00+02:00");
        assert_eq!(q["actor.email"], "a@example.com");
        assert_eq!(q["per_page"], "100");
        assert_eq!(q.get("page").copied().unwrap_or("1"), (i + 1).to_string());
    }
    // No terminal: no progress drawing, just the summary.
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with("exported 250 items in 3 pages in "),
        "{stderr}"
    );
    assert!(!stderr.contains(TOKEN));
}

#[tokio::test]
async fn v2_json_lines_follow_the_cursors() {
    let server = mock::start().await.expect("the mock starts");
    let list = &mock::audit_logs::LIST_ACCOUNT_AUDIT_LOGS_V2;
    let items: Vec<Value> = (0..250)
        .map(|i| json!({"id": format!("v2-{i}"), "actor": {"context": "dash"}}))
        .collect();
    server.respond(list, items);
    let extra = [
        "--v2",
        "--limit",
        "100",
        "--exclude-actor-email",
        "x@example.com",
        "--exclude-actor-email",
        "y@example.com",
    ];
    let out = run_example(args(&server.base_url(), &extra)).await;
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let lines = json_lines(&out.stdout);
    let ids: Vec<&str> = lines.iter().map(|l| l["id"].as_str().unwrap()).collect();
    assert_eq!(ids, (0..250).map(|i| format!("v2-{i}")).collect::<Vec<_>>());
    let sent = server.requests_to(list);
    assert_eq!(sent.len(), 3);
    assert!(sent.iter().all(|r| r.status == 200));
    let excluded: Vec<&str> = sent[1]
        .query
        .iter()
        .filter(|(k, _)| k == "actor_email.not")
        .map(|(_, v)| v.as_str())
        .collect();
    assert_eq!(excluded, ["x@example.com", "y@example.com"]);
    // The cursors the mock handed out, followed as given.
    let cursors: Vec<Option<&str>> = sent
        .iter()
        .map(|r| query(r).get("cursor").copied())
        .collect();
    assert_eq!(cursors, [None, Some("mock-100"), Some("mock-200")]);
    assert!(
        stderr.starts_with("exported 250 items in 3 pages in "),
        "{stderr}"
    );
}

#[tokio::test]
async fn csv_is_written_through_byte_for_byte() {
    let server = MockServer::start().await;
    // Big enough to arrive in several chunks; quoted newlines and non-ASCII must survive.
    let mut csv = b"ID,Action,When,Note\n".to_vec();
    for i in 0..5_000 {
        csv.extend_from_slice(
            format!("log-{i},login,2024-10-02T00:00:00Z,\"multi\nline, caf\u{e9}\"\n").as_bytes(),
        );
    }
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(csv.clone(), "text/csv"))
        .mount(&server)
        .await;
    let out = run_example(args(&wiremock_url(&server), &["--format", "csv"])).await;
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        out.stdout == csv,
        "stdout is the CSV body ({} vs {} bytes)",
        out.stdout.len(),
        csv.len()
    );
    let sent = server.received_requests().await.unwrap();
    assert_eq!(sent.len(), 1);
    assert!(
        sent[0].url.query().unwrap().ends_with("export=true"),
        "{:?}",
        sent[0].url.query()
    );
    assert!(
        stderr.starts_with(&format!("exported {} bytes of CSV in ", csv.len())),
        "{stderr}"
    );
}

#[tokio::test]
async fn an_api_error_exits_1_naming_the_codes_and_ray_id() {
    let server = mock::start().await.expect("the mock starts");
    let list = &mock::audit_logs::LIST_ACCOUNT_AUDIT_LOGS;
    let denied = Fault::Error {
        status: 403,
        code: 10000,
        message: "Authentication error".to_owned(),
    };
    server.fail(list, denied, Times::Always);
    let out = run_example(args(&server.base_url(), &["--max-retries", "3"])).await;
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(out.stdout.is_empty());
    let error = stderr.lines().last().unwrap();
    assert!(
        error.starts_with("error: fetching page 1 of the v1 audit logs failed: "),
        "{stderr}"
    );
    assert!(
        error.contains("HTTP 403") && error.contains("Authentication error (10000)"),
        "{stderr}"
    );
    let sent = server.requests();
    assert_eq!(sent.len(), 1, "a 403 is not retried");
    // The ray id Cloudflare's support asks for, as the server named its answer.
    assert!(error.contains(&sent[0].ray_id), "{stderr}");
    assert!(!stderr.contains(TOKEN));
}

#[tokio::test]
async fn v2_has_no_csv_export_and_nothing_is_sent() {
    let server = mock::start().await.expect("the mock starts");
    let out = run_example(args(&server.base_url(), &["--v2", "--format", "csv"])).await;
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("v2 has no CSV export"), "{stderr}");
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn missing_credentials_are_a_clear_error() {
    let out = tokio::task::spawn_blocking(|| {
        let mut command = Command::new(example_binary());
        for (name, _) in std::env::vars_os() {
            if name.to_string_lossy().starts_with("CLOUDFLARE_") {
                command.env_remove(name);
            }
        }
        command
            .args([
                "--account",
                ACCOUNT,
                "--since",
                "2024-10-01",
                "--before",
                "2024-10-02",
            ])
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("CLOUDFLARE_API_TOKEN"), "{stderr}");
}
