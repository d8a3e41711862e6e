//! The transport and retry executor: one call's attempts, each within its
//! time limit, until a 2xx response or a final error.

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use reqwest::Method;
use reqwest::header::HeaderMap;
use tokio::time::Instant;
use tracing::field::Empty;
use tracing::{Instrument, Span};

use crate::decode::body::{self as decode, Received};
use crate::error::Error;
use crate::transport::middleware::{Attempt, Middleware, Next};
use crate::transport::retry::{self, RetryPolicy};

/// Everything a call runs by, resolved once from the request and its client
/// when the call starts.
#[derive(Debug, Clone)]
pub(crate) struct Settings {
    /// The client's retry policy with the request's overrides.
    pub(crate) policy: RetryPolicy,
    /// When the call started.
    pub(crate) start: Instant,
    /// The call's deadline, retries included: the earlier of the request's
    /// deadline and its overall timeout counted from `start`.
    pub(crate) deadline: Option<Instant>,
    /// The time limit of each attempt (and, for a streamed body, of each
    /// pause between chunks).
    pub(crate) attempt_timeout: Duration,
    /// Whether a value that does not match its documented type fails the call.
    pub(crate) strict: bool,
    /// The headers every attempt sends: the client's defaults, then the request's.
    pub(crate) headers: HeaderMap,
}

/// What goes on the wire at every attempt, and what the logs call it.
pub(crate) struct Call<'a> {
    /// The client's HTTP connection pool.
    pub(crate) http: &'a reqwest::Client,
    /// The client's middlewares, run around every attempt.
    pub(crate) middleware: &'a [Arc<dyn Middleware>],
    /// The HTTP method.
    pub(crate) method: &'a Method,
    /// The full URL, query included.
    pub(crate) url: url::Url,
    /// The path template, e.g. `/accounts/{account_id}/audit_logs`, for logs.
    pub(crate) route: &'a str,
    /// The body, if any.
    pub(crate) body: Option<&'a Bytes>,
}

/// A 2xx response after the retry loop: what `on_success` made of it, the
/// attempts it took, and the settings the rest of the call (decoding,
/// streaming the body) needs.
pub(crate) struct Attempted<R> {
    /// What `on_success` returned.
    pub(crate) value: R,
    /// Attempts made, 1 when the first one succeeded.
    pub(crate) attempts: u32,
    /// The settings the call ran by.
    pub(crate) settings: Settings,
    /// The call's span, for what goes wrong after the response head (decoding).
    pub(crate) span: Span,
}

/// Runs the retry loop until a 2xx response, handing it to `on_success`
/// (which reads its body, or not), or until a final error. A non-2xx body is
/// always read, within the attempt's time limit, for the error.
pub(crate) async fn run<R, F, Fut>(
    call: Call<'_>,
    settings: Settings,
    on_success: F,
) -> Result<Attempted<R>, Error>
where
    F: Fn(reqwest::Response) -> Fut,
    Fut: Future<Output = Result<R, reqwest::Error>>,
{
    let span = call_span(&call);
    attempts(call, settings, on_success, &span)
        .instrument(span.clone())
        .await
}

/// The span of one call, whatever its attempts, named and filled in as
/// OpenTelemetry's HTTP client conventions say. `tracing` names spans
/// statically, so the `{METHOD} {template}` name is in `otel.name`, which
/// `tracing-opentelemetry` uses as the span's name. The query and the
/// rendered path are not recorded: they carry the caller's data.
fn call_span(call: &Call<'_>) -> Span {
    tracing::info_span!(
        "cloudflare_request",
        otel.name = %format_args!("{} {}", call.method, call.route),
        otel.kind = "client",
        otel.status_code = Empty,
        http.request.method = %call.method,
        url.template = call.route,
        server.address = call.url.host_str().unwrap_or_default(),
        server.port = call.url.port_or_known_default(),
        http.response.status_code = Empty,
        http.request.resend_count = Empty,
        cf.ray_id = Empty,
        error.type = Empty,
    )
}

/// Records a failed call on its span: `error.type` is the status code of an
/// HTTP error (as the conventions ask), else a short, low-cardinality name
/// of the kind of error.
pub(crate) fn record_error(span: &Span, error: &Error) {
    let status = error
        .status()
        .filter(|s| s.is_client_error() || s.is_server_error());
    let kind = match (status, error) {
        (Some(status), _) => status.as_str().to_owned(),
        (None, Error::Timeout { .. }) => "timeout".to_owned(),
        (None, Error::Transport { .. }) => "transport".to_owned(),
        (None, Error::Api { .. }) => "api_error".to_owned(),
        (None, Error::NonJson { .. }) => "non_json".to_owned(),
        (None, Error::NotEnvelope { .. }) => "not_envelope".to_owned(),
        (None, Error::Decode { .. }) => "decode".to_owned(),
        (None, _) => "_OTHER".to_owned(),
    };
    span.record("error.type", kind.as_str());
    span.record("otel.status_code", "ERROR");
}

async fn attempts<R, F, Fut>(
    call: Call<'_>,
    settings: Settings,
    on_success: F,
    span: &Span,
) -> Result<Attempted<R>, Error>
where
    F: Fn(reqwest::Response) -> Fut,
    Fut: Future<Output = Result<R, reqwest::Error>>,
{
    let result = attempts_inner(call, settings, on_success, span).await;
    if let Err(error) = &result {
        record_error(span, error);
    }
    result
}

async fn attempts_inner<R, F, Fut>(
    call: Call<'_>,
    settings: Settings,
    on_success: F,
    span: &Span,
) -> Result<Attempted<R>, Error>
where
    F: Fn(reqwest::Response) -> Fut,
    Fut: Future<Output = Result<R, reqwest::Error>>,
{
    let policy = settings.policy;
    let mut attempt = 0u32;
    loop {
        attempt += 1;
        let mut limit = settings.attempt_timeout;
        let mut limited_by_deadline = false;
        if let Some(deadline) = settings.deadline {
            let left = deadline.saturating_duration_since(Instant::now());
            if left <= limit {
                limit = left;
                limited_by_deadline = true;
            }
        }
        if limit.is_zero() && limited_by_deadline {
            return Err(Error::Timeout {
                elapsed: settings.start.elapsed(),
                attempts: attempt - 1,
                overall: true,
            });
        }
        let mut request = reqwest::Request::new(call.method.clone(), call.url.clone());
        *request.headers_mut() = settings.headers.clone();
        if let Some(body) = call.body {
            *request.body_mut() = Some(body.clone().into());
        }
        if attempt > 1 {
            span.record("http.request.resend_count", attempt - 1);
        }
        let info = Attempt {
            method: call.method.clone(),
            route: call.route.to_owned(),
            number: attempt,
        };
        tracing::debug!(attempt, "sending");
        let exchange = async {
            let response = Next::new(call.http, call.middleware, &info)
                .run(request)
                .await?;
            let status = response.status();
            span.record("http.response.status_code", status.as_u16());
            if let Some(ray) = response.headers().get("cf-ray") {
                span.record("cf.ray_id", ray.to_str().unwrap_or("(not text)"));
            }
            tracing::debug!(attempt, status = status.as_u16(), "response");
            if status.is_success() {
                return on_success(response).await.map(Ok);
            }
            let headers = response.headers().clone();
            let body = response.bytes().await?;
            Ok::<_, reqwest::Error>(Err((status, headers, body)))
        };
        let (failure, retryable, retry_after) = match tokio::time::timeout(limit, exchange).await {
            Ok(Ok(Ok(value))) => {
                return Ok(Attempted {
                    value,
                    attempts: attempt,
                    settings,
                    span: span.clone(),
                });
            }
            Ok(Ok(Err((status, headers, body)))) => {
                let received = Received {
                    status,
                    headers,
                    body,
                    attempts: attempt,
                    strict: settings.strict,
                    keep: usize::MAX,
                };
                let retry_after = retry::retry_after(&received.headers, SystemTime::now());
                let retryable = retry::should_retry_header(&received.headers)
                    .unwrap_or_else(|| retry::is_retryable_status(status));
                (
                    decode::error_from_response(received, retry_after),
                    retryable,
                    retry_after,
                )
            }
            Ok(Err(e)) if e.is_timeout() => {
                tracing::debug!(attempt, "attempt timed out in the HTTP client");
                (
                    Error::Timeout {
                        elapsed: settings.start.elapsed(),
                        attempts: attempt,
                        overall: false,
                    },
                    true,
                    None,
                )
            }
            Ok(Err(e)) => {
                // The URL is dropped: its query is caller data that may be sensitive.
                let e = e.without_url();
                tracing::debug!(attempt, error = %e, "transport error");
                let retryable = retry::is_retryable_transport(&e);
                (
                    Error::Transport {
                        source: e,
                        attempts: attempt,
                    },
                    retryable,
                    None,
                )
            }
            Err(_) => {
                tracing::debug!(attempt, overall = limited_by_deadline, "attempt timed out");
                let error = Error::Timeout {
                    elapsed: settings.start.elapsed(),
                    attempts: attempt,
                    overall: limited_by_deadline,
                };
                (error, !limited_by_deadline, None)
            }
        };
        if !retryable || attempt > policy.max_retries || !policy.allows_method(call.method) {
            return Err(failure);
        }
        let delay = match retry_after {
            Some(delay) if delay > policy.max_retry_after => {
                tracing::debug!(
                    ?delay,
                    "server asked for a delay over the cap; not retrying"
                );
                return Err(failure);
            }
            Some(delay) => delay,
            None => policy.backoff(attempt),
        };
        let fits = |d: Instant| {
            Instant::now()
                .checked_add(delay)
                .is_some_and(|next| next < d)
        };
        if settings.deadline.is_some_and(|d| !fits(d)) {
            tracing::debug!(
                ?delay,
                "the next attempt would pass the deadline; not retrying"
            );
            return Err(failure);
        }
        tracing::debug!(attempt, ?delay, error = %failure, "retrying");
        tokio::time::sleep(delay).await;
    }
}
