//! Exports every audit log of an account between two dates, to stdout.
//!
//! ```text
//! export CLOUDFLARE_API_TOKEN=...        # or CLOUDFLARE_API_KEY + CLOUDFLARE_EMAIL
//! cargo run --example export_audit_logs -- \
//!     --account 023e105f4ecef8ad9ca31a8372d0c353 \
//!     --since 2024-10-01 --before 2024-10-31T12:00:00+02:00 > logs.jsonl
//! cargo run --example export_audit_logs -- --account ... --since ... --before ... --v2 --limit 500
//! cargo run --example export_audit_logs -- --account ... --since ... --before ... --format csv > logs.csv
//! ```
//!
//! - JSON Lines (the default): one decoded log per line, walking every page of
//!   the v1 listing (page numbers) or, with `--v2`, the v2 listing (cursors).
//! - `--format csv`: the v1 CSV export, streamed to stdout byte for byte as it
//!   arrives (v2 has no CSV export).
//!
//! Credentials come from the variables the official SDKs read
//! (`CLOUDFLARE_API_TOKEN`, or `CLOUDFLARE_API_KEY` with `CLOUDFLARE_EMAIL`,
//! or `CLOUDFLARE_API_USER_SERVICE_KEY`); the base URL from `--base-url`, else
//! `CLOUDFLARE_BASE_URL`, else the real API.
//!
//! Progress (items, pages, items/s) is drawn on stderr when stderr is a
//! terminal; a one-line summary is always printed on stderr at the end.
//! Exit status: 0 on success, 1 when anything fails (the API, the network,
//! writing stdout; the message on stderr names it, with the `cf-ray` id when
//! the API sent one), 2 on invalid arguments.

use std::error::Error as _;
use std::fmt;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::{Parser, ValueEnum};
use cloudflare_client::audit_logs::{
    ActionResultNot, ActionTypeNot, Direction, ListAccountAuditLogsParams,
    ListAccountAuditLogsV2Params,
};
use cloudflare_client::{ClientBuilder, Error, Pages};
use futures::StreamExt;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// Export every audit log of a Cloudflare account between two points in time
/// to stdout, as JSON Lines (one log per line) or CSV.
///
/// Credentials are read from CLOUDFLARE_API_TOKEN, or CLOUDFLARE_API_KEY and
/// CLOUDFLARE_EMAIL, or CLOUDFLARE_API_USER_SERVICE_KEY, as the official SDKs
/// do.
#[derive(Debug, Parser)]
#[command(
    name = "export_audit_logs",
    after_help = "Exit status: 0 on success, 1 when a request or writing the output fails \
                  (the message names it, with the cf-ray id if the API sent one), 2 on invalid arguments."
)]
struct Args {
    /// The account whose logs to export (its 32-character id).
    #[arg(long)]
    account: String,

    /// Logs newer than this: a date (2024-10-30, UTC) or an RFC 3339 timestamp, sent unchanged.
    #[arg(long)]
    since: String,

    /// Logs older than this: a date (2024-10-31, UTC) or an RFC 3339 timestamp, sent unchanged.
    #[arg(long)]
    before: String,

    /// Use Audit Logs v2 (beta, cursor-paged, last 30 days) instead of v1.
    #[arg(long)]
    v2: bool,

    /// Output format. CSV is the v1 export, streamed as the server sends it.
    #[arg(long, value_enum, default_value_t = Format::Jsonl)]
    format: Format,

    /// API base URL [default: $CLOUDFLARE_BASE_URL, else https://api.cloudflare.com/client/v4].
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,

    /// Retries of a failed request (429, 5xx, network errors, timeouts); 0 disables retries.
    #[arg(long, value_name = "N", default_value_t = cloudflare_client::runtime::retry::DEFAULT_MAX_RETRIES)]
    max_retries: u32,

    /// Chronological order of the output.
    #[arg(long, value_enum)]
    direction: Option<Order>,

    /// v1: only logs of this actor e-mail.
    #[arg(
        long,
        value_name = "EMAIL",
        conflicts_with = "v2",
        help_heading = "v1 filters"
    )]
    actor_email: Option<String>,

    /// v1: only logs of this actor IP address or CIDR range.
    #[arg(
        long,
        value_name = "IP",
        conflicts_with = "v2",
        help_heading = "v1 filters"
    )]
    actor_ip: Option<String>,

    /// v1: only logs of this action type (e.g. change_setting).
    #[arg(
        long,
        value_name = "TYPE",
        conflicts_with = "v2",
        help_heading = "v1 filters"
    )]
    action_type: Option<String>,

    /// v1: only logs of this zone name.
    #[arg(
        long,
        value_name = "ZONE",
        conflicts_with = "v2",
        help_heading = "v1 filters"
    )]
    zone_name: Option<String>,

    /// v1: leave out user-level logs.
    #[arg(long, conflicts_with = "v2", help_heading = "v1 filters")]
    hide_user_logs: bool,

    /// v1: logs per page (the server's default when unset).
    #[arg(
        long,
        value_name = "N",
        conflicts_with = "v2",
        help_heading = "v1 filters"
    )]
    per_page: Option<i64>,

    /// v2: logs per page (the server's default when unset).
    #[arg(long, value_name = "N", requires = "v2", help_heading = "v2 filters")]
    limit: Option<i64>,

    /// v2: leave out logs of this actor e-mail (repeatable).
    #[arg(
        long,
        value_name = "EMAIL",
        requires = "v2",
        help_heading = "v2 filters"
    )]
    exclude_actor_email: Vec<String>,

    /// v2: leave out logs of this actor IP address (repeatable).
    #[arg(long, value_name = "IP", requires = "v2", help_heading = "v2 filters")]
    exclude_actor_ip: Vec<String>,

    /// v2: leave out logs of this zone name (repeatable).
    #[arg(
        long,
        value_name = "ZONE",
        requires = "v2",
        help_heading = "v2 filters"
    )]
    exclude_zone_name: Vec<String>,

    /// v2: leave out logs of this action type (repeatable).
    #[arg(
        long,
        value_enum,
        value_name = "TYPE",
        requires = "v2",
        help_heading = "v2 filters"
    )]
    exclude_action_type: Vec<ActionKind>,

    /// v2: leave out logs with this action result (repeatable).
    #[arg(
        long,
        value_enum,
        value_name = "RESULT",
        requires = "v2",
        help_heading = "v2 filters"
    )]
    exclude_action_result: Vec<ActionOutcome>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// One JSON object per line.
    Jsonl,
    /// The v1 CSV export.
    Csv,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Order {
    Asc,
    Desc,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ActionKind {
    Create,
    Delete,
    View,
    Update,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ActionOutcome {
    Success,
    Failure,
}

impl From<Order> for Direction {
    fn from(order: Order) -> Self {
        match order {
            Order::Asc => Direction::Asc,
            Order::Desc => Direction::Desc,
        }
    }
}

impl From<ActionKind> for ActionTypeNot {
    fn from(kind: ActionKind) -> Self {
        match kind {
            ActionKind::Create => ActionTypeNot::Create,
            ActionKind::Delete => ActionTypeNot::Delete,
            ActionKind::View => ActionTypeNot::View,
            ActionKind::Update => ActionTypeNot::Update,
        }
    }
}

impl From<ActionOutcome> for ActionResultNot {
    fn from(outcome: ActionOutcome) -> Self {
        match outcome {
            ActionOutcome::Success => ActionResultNot::Success,
            ActionOutcome::Failure => ActionResultNot::Failure,
        }
    }
}

/// What went wrong, and while doing what.
enum Failure {
    /// Invalid arguments that clap cannot express: exit status 2.
    Usage(String),
    /// A failed call: exit status 1.
    Api { doing: String, error: Error },
    /// Writing the output failed: exit status 1.
    Output(io::Error),
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Usage(message) => f.write_str(message),
            Failure::Api { doing, error } => {
                let mut text = error.to_string();
                // Underlying causes (DNS, TLS, a connection reset), unless already shown.
                let mut source = error.source();
                while let Some(cause) = source {
                    let cause_text = cause.to_string();
                    if !text.contains(&cause_text) {
                        text.push_str(": ");
                        text.push_str(&cause_text);
                    }
                    source = cause.source();
                }
                // `Display` of API errors already names the cf-ray; other kinds may still have one.
                if let Some(ray) = error.ray_id().filter(|ray| !text.contains(ray)) {
                    text.push_str(&format!(" [cf-ray {ray}]"));
                }
                write!(f, "{doing} failed: {text}")
            }
            Failure::Output(error) => write!(f, "writing to stdout failed: {error}"),
        }
    }
}

/// What was exported.
#[derive(Default)]
struct Tally {
    items: u64,
    pages: u64,
    bytes: u64,
    csv: bool,
}

impl Tally {
    fn summary(&self, elapsed: Duration) -> String {
        if self.csv {
            format!(
                "exported {} bytes of CSV in {:.2} s",
                self.bytes,
                elapsed.as_secs_f64()
            )
        } else {
            format!(
                "exported {} items in {} pages in {:.2} s",
                self.items,
                self.pages,
                elapsed.as_secs_f64()
            )
        }
    }
}

/// Progress on stderr, drawn only when stderr is a terminal.
struct Progress {
    bar: ProgressBar,
    start: Instant,
}

impl Progress {
    fn new() -> Self {
        let bar = if io::stderr().is_terminal() {
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
            if let Ok(style) = ProgressStyle::with_template("{spinner} [{elapsed}] {msg}") {
                bar.set_style(style);
            }
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        } else {
            ProgressBar::hidden()
        };
        Progress {
            bar,
            start: Instant::now(),
        }
    }

    fn update(&self, tally: &Tally) {
        if self.bar.is_hidden() {
            return;
        }
        let secs = self.start.elapsed().as_secs_f64().max(1e-3);
        self.bar.set_message(if tally.csv {
            format!(
                "{} bytes of CSV, {:.0} KiB/s",
                tally.bytes,
                tally.bytes as f64 / 1024.0 / secs
            )
        } else {
            format!(
                "{} items, {} pages, {:.0} items/s",
                tally.items,
                tally.pages,
                tally.items as f64 / secs
            )
        });
    }

    /// A line above the progress display (or plainly on stderr).
    fn println(&self, line: &str) {
        if self.bar.is_hidden() {
            eprintln!("{line}");
        } else {
            self.bar.println(line);
        }
    }
}

fn main() -> ExitCode {
    let args = match Args::try_parse() {
        Ok(args) => args,
        Err(e) => {
            // Help and version go to stdout with status 0; usage errors to stderr with 2.
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: starting the async runtime failed: {e}");
            return ExitCode::FAILURE;
        }
    };
    let start = Instant::now();
    let mut tally = Tally {
        csv: args.format == Format::Csv,
        ..Tally::default()
    };
    let result = runtime.block_on(run(&args, &mut tally));
    match result {
        Ok(()) => {
            eprintln!("{}", tally.summary(start.elapsed()));
            ExitCode::SUCCESS
        }
        Err(failure @ Failure::Usage(_)) => {
            eprintln!("error: {failure}");
            ExitCode::from(2)
        }
        Err(failure) => {
            eprintln!("{} before failing", tally.summary(start.elapsed()));
            eprintln!("error: {failure}");
            ExitCode::FAILURE
        }
    }
}

async fn run(args: &Args, tally: &mut Tally) -> Result<(), Failure> {
    if args.v2 && args.format == Format::Csv {
        return Err(Failure::Usage(
            "--format csv is not available with --v2: Audit Logs v2 has no CSV export \
             (use --format jsonl, or v1 for CSV)"
                .to_owned(),
        ));
    }
    let configuring = |error| Failure::Api {
        doing: "configuring the client".to_owned(),
        error,
    };
    let mut builder = ClientBuilder::from_env()
        .map_err(configuring)?
        .max_retries(args.max_retries)
        .user_agent_suffix("export_audit_logs-example");
    if let Some(url) = &args.base_url {
        builder = builder.base_url(url);
    }
    let client = builder.build().map_err(configuring)?;
    let logs = client.audit_logs();

    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(64 * 1024, stdout.lock());
    let progress = Progress::new();

    let result = if args.v2 {
        let mut params = ListAccountAuditLogsV2Params::new()
            .since(&args.since)
            .before(&args.before)
            .actor_email_not(args.exclude_actor_email.iter().cloned())
            .actor_ip_address_not(args.exclude_actor_ip.iter().cloned())
            .zone_name_not(args.exclude_zone_name.iter().cloned())
            .action_type_not(args.exclude_action_type.iter().map(|&k| k.into()))
            .action_result_not(args.exclude_action_result.iter().map(|&r| r.into()));
        if let Some(limit) = args.limit {
            params = params.limit(limit);
        }
        if let Some(order) = args.direction {
            params = params.direction(order.into());
        }
        let pages = logs
            .list_account_audit_logs_v2(&args.account, &params)
            .pages();
        write_json_lines(pages, "v2", &mut out, tally, &progress).await
    } else {
        let mut params = ListAccountAuditLogsParams::new()
            .since(&args.since)
            .before(&args.before);
        if let Some(v) = &args.actor_email {
            params = params.actor_email(v);
        }
        if let Some(v) = &args.actor_ip {
            params = params.actor_ip(v);
        }
        if let Some(v) = &args.action_type {
            params = params.action_type(v);
        }
        if let Some(v) = &args.zone_name {
            params = params.zone_name(v);
        }
        if args.hide_user_logs {
            params = params.hide_user_logs(true);
        }
        if let Some(order) = args.direction {
            params = params.direction(order.into());
        }
        if let Some(n) = args.per_page {
            params = params.per_page(n);
        }
        match args.format {
            Format::Jsonl => {
                let pages = logs.list_account_audit_logs(&args.account, &params).pages();
                write_json_lines(pages, "v1", &mut out, tally, &progress).await
            }
            Format::Csv => {
                let request = logs.list_account_audit_logs_csv(&args.account, &params);
                write_csv(request, &mut out, tally, &progress).await
            }
        }
    };
    progress.bar.finish_and_clear();
    // Flush what was written, even after a failure: those lines are complete.
    let flushed = out.flush().map_err(Failure::Output);
    result.and(flushed)
}

/// Writes every item of every page as one JSON line.
async fn write_json_lines<T: Serialize + DeserializeOwned + Send + 'static>(
    mut pages: Pages<Vec<T>>,
    api: &str,
    out: &mut impl Write,
    tally: &mut Tally,
    progress: &Progress,
) -> Result<(), Failure> {
    while let Some(page) = pages.next().await {
        let page = page.map_err(|error| Failure::Api {
            doing: format!("fetching page {} of the {api} audit logs", tally.pages + 1),
            error,
        })?;
        tally.pages += 1;
        for warning in &page.warnings {
            progress.println(&format!("warning: page {}: {warning}", tally.pages));
        }
        for item in &page.data {
            serde_json::to_writer(&mut *out, item).map_err(|e| Failure::Output(e.into()))?;
            out.write_all(b"\n").map_err(Failure::Output)?;
            tally.items += 1;
        }
        progress.update(tally);
    }
    Ok(())
}

/// Streams the v1 CSV export to `out` as it arrives.
async fn write_csv(
    request: cloudflare_client::Request<cloudflare_client::RawBody>,
    out: &mut impl Write,
    tally: &mut Tally,
    progress: &Progress,
) -> Result<(), Failure> {
    let failed = |error| Failure::Api {
        doing: "the v1 CSV export".to_owned(),
        error,
    };
    let mut body = request.bytes_stream().await.map_err(failed)?;
    tally.pages = 1;
    while let Some(chunk) = body.next().await {
        let chunk = chunk.map_err(failed)?;
        out.write_all(&chunk).map_err(Failure::Output)?;
        tally.bytes += chunk.len() as u64;
        progress.update(tally);
    }
    Ok(())
}
