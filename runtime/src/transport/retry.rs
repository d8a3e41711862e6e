//! Retry and timeout policy. Every number the client uses is defined here,
//! once; the README quotes these constants.
//!
//! A failed attempt is retried when all of these hold:
//! - it failed with HTTP 408, 429 or any 5xx, a transport error (connect,
//!   reset, a body cut short) or the per-attempt timeout; a response header
//!   `x-should-retry: false` vetoes the retry, `x-should-retry: true` asks for one;
//! - the method is idempotent (GET, HEAD, OPTIONS, PUT, DELETE, TRACE), or
//!   the caller opted in with `retry_non_idempotent(true)` (POST, PATCH);
//! - fewer than `max_retries` retries were made ([`DEFAULT_MAX_RETRIES`]
//!   unless configured; 0 disables retries);
//! - the delay fits in the call's deadline, if it has one, and a delay the
//!   server asked for is not over the cap ([`MAX_RETRY_AFTER`]).
//!
//! The delay before retry `n` (1-based) is the server's `retry-after-ms` or
//! `Retry-After` (seconds or an HTTP date) when present, and otherwise
//! `min(INITIAL_BACKOFF * 2^(n-1), MAX_BACKOFF)` reduced by a random jitter
//! of up to [`BACKOFF_JITTER`] of itself.

use std::time::{Duration, SystemTime};

use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};

/// Retries after the first attempt, unless configured otherwise.
pub const DEFAULT_MAX_RETRIES: u32 = 2;

/// Backoff before the first retry, doubled for each further retry.
pub const INITIAL_BACKOFF: Duration = Duration::from_millis(500);

/// The backoff never grows past this.
pub const MAX_BACKOFF: Duration = Duration::from_secs(8);

/// The computed backoff is shortened by a random fraction of itself, up to this one.
pub const BACKOFF_JITTER: f64 = 0.25;

/// The longest `Retry-After` the client waits for; when the server asks for
/// more, the error is returned at once (with its `retry_after`) instead.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);

/// Per-attempt timeout (from sending the request to the end of the body), unless configured.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// Timeout of establishing a connection, unless configured.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// The retry settings of a client or a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt; 0 disables retries.
    pub max_retries: u32,
    /// Whether POST and PATCH are retried too.
    pub retry_non_idempotent: bool,
    /// Backoff before the first retry.
    pub initial_backoff: Duration,
    /// Upper bound of the backoff.
    pub max_backoff: Duration,
    /// Longest server-requested delay that is honoured.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: DEFAULT_MAX_RETRIES,
            retry_non_idempotent: false,
            initial_backoff: INITIAL_BACKOFF,
            max_backoff: MAX_BACKOFF,
            max_retry_after: MAX_RETRY_AFTER,
        }
    }
}

impl RetryPolicy {
    /// Whether requests with this method may be retried under this policy.
    pub fn allows_method(&self, method: &Method) -> bool {
        is_idempotent(method) || self.retry_non_idempotent
    }

    /// The computed (jittered) backoff before retry number `retry` (1-based).
    pub fn backoff(&self, retry: u32) -> Duration {
        let exp = retry.saturating_sub(1).min(30);
        let base = self
            .initial_backoff
            .saturating_mul(1u32 << exp)
            .min(self.max_backoff);
        // fastrand: a thread-local wyrand generator seeded once per thread; jitter needs spread,
        // not secrecy.
        base.mul_f64(1.0 - BACKOFF_JITTER * fastrand::f64())
    }
}

/// HTTP 408, 429 and every 5xx.
pub fn is_retryable_status(status: StatusCode) -> bool {
    status == StatusCode::REQUEST_TIMEOUT
        || status == StatusCode::TOO_MANY_REQUESTS
        || status.is_server_error()
}

/// GET, HEAD, OPTIONS, PUT, DELETE and TRACE: the methods HTTP defines as idempotent.
pub fn is_idempotent(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::OPTIONS | Method::PUT | Method::DELETE | Method::TRACE
    )
}

/// Transport errors worth another attempt: all but errors building the
/// request and redirect-policy errors.
pub fn is_retryable_transport(error: &reqwest::Error) -> bool {
    !(error.is_builder() || error.is_redirect())
}

/// The delay a response asks for: `retry-after-ms` (milliseconds), else
/// `Retry-After` (seconds, or an HTTP date relative to `now`; a date in the
/// past means no delay). `None` when absent or unreadable.
pub fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    if let Some(ms) = header_str(headers, "retry-after-ms").and_then(|v| v.parse::<f64>().ok()) {
        if ms.is_finite() && ms >= 0.0 {
            return Some(Duration::from_secs_f64(ms.min(1e12) / 1000.0));
        }
    }
    let value = header_str(headers, "retry-after")?;
    if let Ok(secs) = value.parse::<f64>() {
        return (secs.is_finite() && secs >= 0.0).then(|| Duration::from_secs_f64(secs.min(1e9)));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

/// `x-should-retry`: `Some(true)`/`Some(false)` when the server says so.
pub fn should_retry_header(headers: &HeaderMap) -> Option<bool> {
    match header_str(headers, "x-should-retry")? {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
}

fn header_str<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers.get(name)?.to_str().ok().map(str::trim)
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn backoff_grows_caps_and_jitters_down() {
        let p = RetryPolicy::default();
        for _ in 0..100 {
            let b1 = p.backoff(1);
            assert!(b1 <= INITIAL_BACKOFF && b1 >= INITIAL_BACKOFF.mul_f64(1.0 - BACKOFF_JITTER));
            let b3 = p.backoff(3);
            assert!(
                b3 <= INITIAL_BACKOFF * 4
                    && b3 >= (INITIAL_BACKOFF * 4).mul_f64(1.0 - BACKOFF_JITTER)
            );
            assert!(p.backoff(40) <= MAX_BACKOFF);
        }
    }

    #[test]
    fn retry_after_forms() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(784_111_777);
        let mut h = HeaderMap::new();
        assert_eq!(retry_after(&h, now), None);
        h.insert("retry-after", HeaderValue::from_static("3"));
        assert_eq!(retry_after(&h, now), Some(Duration::from_secs(3)));
        // Sun, 06 Nov 1994 08:49:37 GMT is 784111777.
        h.insert(
            "retry-after",
            HeaderValue::from_static("Sun, 06 Nov 1994 08:49:47 GMT"),
        );
        assert_eq!(retry_after(&h, now), Some(Duration::from_secs(10)));
        h.insert(
            "retry-after",
            HeaderValue::from_static("Sun, 06 Nov 1994 08:00:00 GMT"),
        );
        assert_eq!(retry_after(&h, now), Some(Duration::ZERO));
        h.insert("retry-after", HeaderValue::from_static("soon"));
        assert_eq!(retry_after(&h, now), None);
        h.insert("retry-after-ms", HeaderValue::from_static("250"));
        assert_eq!(retry_after(&h, now), Some(Duration::from_millis(250)));
    }

    #[test]
    fn statuses_and_methods() {
        for s in [408, 429, 500, 502, 503, 504] {
            assert!(is_retryable_status(StatusCode::from_u16(s).unwrap()), "{s}");
        }
        for s in [200, 400, 401, 403, 404, 409, 422] {
            assert!(
                !is_retryable_status(StatusCode::from_u16(s).unwrap()),
                "{s}"
            );
        }
        assert!(is_idempotent(&Method::PUT) && is_idempotent(&Method::DELETE));
        assert!(!is_idempotent(&Method::POST) && !is_idempotent(&Method::PATCH));
    }
}
