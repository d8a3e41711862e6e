//! The `export_audit_logs` example, run as a real process against servers on 127.0.0.1
//! (issue "Audit Logs beyond SDK parity": an example users can run).
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

use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

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

fn args(server: &MockServer, extra: &[&str]) -> Vec<String> {
    let mut args: Vec<String> = [
        "--base-url",
        &format!("{}/client/v4", server.uri()),
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

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn ok(result: Value, result_info: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "success": true, "errors": [], "messages": [], "result": result, "result_info": result_info,
    }))
}

/// v1: page numbers over `total` items.
struct Pages {
    total: usize,
}

impl Respond for Pages {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let q: BTreeMap<String, String> = request.url.query_pairs().into_owned().collect();
        let per_page: usize = q.get("per_page").and_then(|v| v.parse().ok()).unwrap_or(25);
        let page: usize = q.get("page").and_then(|v| v.parse().ok()).unwrap_or(1);
        let start = (page - 1) * per_page;
        let items: Vec<Value> = (start..(start + per_page).min(self.total))
            .map(|i| json!({"id": format!("log-{i}"), "action": {"result": true, "type": "login"},
                            "actor": {"email": "a@example.com", "type": "user"}, "when": "2024-10-02T00:00:00Z"}))
            .collect();
        let info = json!({"page": page, "per_page": per_page, "count": items.len(),
                          "total_count": self.total, "total_pages": self.total.div_ceil(per_page)});
        ok(Value::Array(items), info)
    }
}

/// v2: cursors over `total` items.
struct Cursors {
    total: usize,
}

impl Respond for Cursors {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let q: BTreeMap<String, String> = request.url.query_pairs().into_owned().collect();
        let limit: usize = q.get("limit").and_then(|v| v.parse().ok()).unwrap_or(100);
        let start: usize = q
            .get("cursor")
            .and_then(|c| c.strip_prefix("c-")?.parse().ok())
            .unwrap_or(0);
        let end = (start + limit).min(self.total);
        let items: Vec<Value> = (start..end)
            .map(|i| json!({"id": format!("v2-{i}"), "actor": {"context": "dash"}}))
            .collect();
        let cursor = if end < self.total {
            format!("c-{end}")
        } else {
            String::new()
        };
        ok(
            Value::Array(items),
            json!({"count": end - start, "cursor": cursor}),
        )
    }
}

fn json_lines(stdout: &[u8]) -> Vec<Value> {
    let stdout = std::str::from_utf8(stdout).expect("UTF-8 output");
    assert!(stdout.ends_with('\n'), "every line is terminated");
    stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

#[tokio::test]
async fn v1_json_lines_every_item_once_in_order() {
    let server = MockServer::start().await;
    Mock::given(path(format!("/client/v4/accounts/{ACCOUNT}/audit_logs")))
        .respond_with(Pages { total: 250 })
        .mount(&server)
        .await;
    let out = run_example(args(
        &server,
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

    let sent = server.received_requests().await.unwrap();
    assert_eq!(sent.len(), 3, "3 pages, not one more");
    for (i, r) in sent.iter().enumerate() {
        assert_eq!(
            r.headers.get("authorization").unwrap(),
            &format!("Bearer {TOKEN}")
        );
        let q: BTreeMap<String, String> = r.url.query_pairs().into_owned().collect();
        assert_eq!(q["since"], "2024-10-01");
        assert_eq!(q["before"], "2024-10-31T12:00:00+02:00");
        assert_eq!(q["actor.email"], "a@example.com");
        assert_eq!(
            q.get("page").map(String::as_str).unwrap_or("1"),
            (i + 1).to_string()
        );
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
    let server = MockServer::start().await;
    Mock::given(path(format!("/client/v4/accounts/{ACCOUNT}/logs/audit")))
        .respond_with(Cursors { total: 250 })
        .mount(&server)
        .await;
    let extra = [
        "--v2",
        "--limit",
        "100",
        "--exclude-actor-email",
        "x@example.com",
        "--exclude-actor-email",
        "y@example.com",
    ];
    let out = run_example(args(&server, &extra)).await;
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let lines = json_lines(&out.stdout);
    let ids: Vec<&str> = lines.iter().map(|l| l["id"].as_str().unwrap()).collect();
    assert_eq!(ids, (0..250).map(|i| format!("v2-{i}")).collect::<Vec<_>>());
    let sent = server.received_requests().await.unwrap();
    assert_eq!(sent.len(), 3);
    let q = sent[1].url.query().unwrap();
    assert!(
        q.contains("actor_email.not=x%40example.com&actor_email.not=y%40example.com"),
        "{q}"
    );
    assert!(q.contains("cursor=c-100"), "{q}");
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
    let out = run_example(args(&server, &["--format", "csv"])).await;
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
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(403)
                .insert_header("cf-ray", "8e9b1c60ef9e1c9a-SJC")
                .set_body_json(json!({
                    "success": false, "messages": [], "result": null,
                    "errors": [{"code": 10000, "message": "Authentication error"}]
                })),
        )
        .mount(&server)
        .await;
    let out = run_example(args(&server, &["--max-retries", "3"])).await;
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
    assert!(error.contains("8e9b1c60ef9e1c9a-SJC"), "{stderr}");
    assert!(!stderr.contains(TOKEN));
    assert_eq!(
        server.received_requests().await.unwrap().len(),
        1,
        "a 403 is not retried"
    );
}

#[tokio::test]
async fn v2_has_no_csv_export_and_nothing_is_sent() {
    let server = MockServer::start().await;
    let out = run_example(args(&server, &["--v2", "--format", "csv"])).await;
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("v2 has no CSV export"), "{stderr}");
    assert!(server.received_requests().await.unwrap().is_empty());
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
