//! The transport and retry executor: one call's attempts, each within its
//! time limit, until a 2xx response or a final error.

use std::future::Future;
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use reqwest::header::HeaderMap;
use reqwest::Method;
use tokio::time::Instant;
use tracing::Instrument;

use crate::runtime::decode::{self, Received};
use crate::runtime::error::Error;
use crate::runtime::retry::{self, RetryPolicy};

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
    let span = tracing::debug_span!(
        "cloudflare_request",
        method = %call.method,
        route = %call.route,
        path = %call.url.path(),
    );
    attempts(call, settings, on_success).instrument(span).await
}

async fn attempts<R, F, Fut>(
    call: Call<'_>,
    settings: Settings,
    on_success: F,
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
        tracing::debug!(attempt, "sending");
        let exchange = async {
            let response = call.http.execute(request).await?;
            let status = response.status();
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
                });
            }
            Ok(Ok(Err((status, headers, body)))) => {
                let received = Received {
                    status,
                    headers,
                    body,
                    attempts: attempt,
                    strict: settings.strict,
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
