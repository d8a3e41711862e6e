//! The client logs each distinct drift (endpoint, JSON path, expected, found) once at warn
//! level, however many items and pages carry it and across the client's clones (issue 13).
//! In its own test binary, with one test: it installs a tracing subscriber, and tests running
//! beside it in one process race with tracing's per-callsite interest cache (see secrets.rs).

use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use cloudflare_client::audit_logs::{ListAccountAuditLogsParams, ListAccountAuditLogsV2Params};
use futures::StreamExt;
use serde_json::json;
use wiremock::matchers::{path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer};

#[path = "support/mock_api.rs"]
mod mock_api;
use mock_api::{client_for, page};

const ACCOUNT: &str = "023e105f4ecef8ad9ca31a8372d0c353";

/// Records warn-level events (level, then every field) as lines of text.
struct Capture(Arc<Mutex<Vec<String>>>);

struct Fields(String);

impl tracing::field::Visit for Fields {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        let _ = write!(self.0, "{}={:?} ", field.name(), value);
    }
}

impl tracing::Subscriber for Capture {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, _: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        static NEXT: AtomicU64 = AtomicU64::new(1);
        tracing::span::Id::from_u64(NEXT.fetch_add(1, Ordering::Relaxed))
    }
    fn record(&self, _: &tracing::span::Id, _: &tracing::span::Record<'_>) {}
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        if *event.metadata().level() != tracing::Level::WARN {
            return;
        }
        let mut fields = Fields(String::new());
        event.record(&mut fields);
        self.0.lock().unwrap().push(fields.0);
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

#[tokio::test(flavor = "current_thread")]
async fn one_log_line_per_distinct_drift_however_many_items() {
    let lines = Arc::new(Mutex::new(Vec::new()));
    let _guard = tracing::subscriber::set_default(Capture(lines.clone()));
    let server = MockServer::start().await;
    // v2: two cursor pages of 500 items, `raw.status_code` (an integer) a string in every one.
    let v2 = format!("/client/v4/accounts/{ACCOUNT}/logs/audit");
    for n in 0..2 {
        let items: Vec<_> = (0..500)
            .map(|i| json!({"id": format!("{n}-{i}"), "raw": {"status_code": "200"}, "resource": {"id": "r", "scope": "accounts"}}))
            .collect();
        let info = if n == 0 {
            json!({"count": 500, "cursor": "c1"})
        } else {
            json!({"count": 500})
        };
        let mock = Mock::given(path(v2.as_str()));
        let mock = if n == 0 {
            mock.and(query_param_is_missing("cursor"))
        } else {
            mock.and(query_param("cursor", "c1"))
        };
        mock.respond_with(page(items.into(), info))
            .mount(&server)
            .await;
    }
    // v1: `action.result` (a boolean) sent as a string, and `owner` as a number, in every item.
    let v1_items: Vec<_> = (0..300)
        .map(|i| json!({"id": format!("v1-{i}"), "action": {"result": "true", "type": "login"}, "owner": 7}))
        .collect();
    Mock::given(path(format!("/client/v4/accounts/{ACCOUNT}/audit_logs")))
        .respond_with(page(
            v1_items.into(),
            json!({"page": 1, "per_page": 1000, "count": 300}),
        ))
        .mount(&server)
        .await;

    let client = client_for(&server).max_retries(0).build().unwrap();
    let v2_params = ListAccountAuditLogsV2Params::new()
        .since("2024-10-30")
        .before("2024-10-31");
    for c in [client.clone(), client.clone(), client.clone()] {
        let n = c
            .audit_logs()
            .list_account_audit_logs_v2(ACCOUNT, &v2_params)
            .items()
            .count()
            .await;
        assert_eq!(n, 1000);
    }
    let v1_params = ListAccountAuditLogsParams::new().per_page(1000);
    for _ in 0..2 {
        let n = client
            .audit_logs()
            .list_account_audit_logs(ACCOUNT, &v1_params)
            .items()
            .count()
            .await;
        assert_eq!(n, 300);
    }

    let lines = lines.lock().unwrap().clone();
    let drift: Vec<&String> = lines
        .iter()
        .filter(|l| l.contains("do not match the documented type"))
        .collect();
    assert_eq!(drift.len(), 3, "one line per distinct drift: {lines:#?}");
    let line_for = |route: &str, path: &str| {
        drift
            .iter()
            .filter(|l| {
                l.contains(&format!("route={route:?}")) && l.contains(&format!("path={path} "))
            })
            .count()
    };
    assert_eq!(
        line_for(
            "/accounts/{account_id}/logs/audit",
            "result[*].raw.status_code"
        ),
        1,
        "{drift:#?}"
    );
    assert_eq!(
        line_for(
            "/accounts/{account_id}/audit_logs",
            "result[*].action.result"
        ),
        1,
        "{drift:#?}"
    );
    assert_eq!(
        line_for("/accounts/{account_id}/audit_logs", "result[*].owner"),
        1,
        "{drift:#?}"
    );
    let status = drift
        .iter()
        .find(|l| l.contains("raw.status_code"))
        .unwrap();
    assert!(
        status.contains("expected=i64") && status.contains("found=\"string\""),
        "{status}"
    );
    assert!(status.contains("in_this_response=500"), "{status}");
    // Nothing else at warn level: no line per item.
    assert_eq!(lines.len(), 3, "{lines:#?}");
}
