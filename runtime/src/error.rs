//! The one error type of the client.

use std::fmt::Write as _;
use std::time::Duration;

use reqwest::StatusCode;

use crate::decode::envelope::{ApiError, ApiMessage};

/// Everything that can go wrong with a call, losing nothing the server said.
///
/// Credentials never appear in any variant, nor in `Debug` or `Display`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The API answered with an error: a non-2xx status with a JSON body, or a
    /// 2xx whose envelope says `"success": false`.
    #[error("API error: HTTP {status}{}", api_summary(errors, excerpt.as_deref(), ray_id.as_deref()))]
    Api {
        /// HTTP status of the response.
        status: StatusCode,
        /// Every entry of the envelope's `errors`, in order.
        errors: Vec<ApiError>,
        /// Every entry of the envelope's `messages`, in order.
        messages: Vec<ApiMessage>,
        /// The `cf-ray` response header, the id Cloudflare support asks for.
        ray_id: Option<String>,
        /// The delay the server asked for with `Retry-After` or `retry-after-ms`, if any.
        retry_after: Option<Duration>,
        /// A bounded excerpt of the body, kept when the body had no `errors` to show.
        excerpt: Option<String>,
    },

    /// The server answered with a body that is not JSON, such as an HTML 502
    /// page from the edge.
    #[error("HTTP {status} with a non-JSON body ({}){}: {excerpt}", content_type.as_deref().unwrap_or("no content type"), ray(ray_id.as_deref()))]
    NonJson {
        /// HTTP status of the response.
        status: StatusCode,
        /// The `Content-Type` header, if any.
        content_type: Option<String>,
        /// A bounded excerpt of the body.
        excerpt: String,
        /// The `cf-ray` response header.
        ray_id: Option<String>,
        /// The delay the server asked for with `Retry-After` or `retry-after-ms`, if any.
        retry_after: Option<Duration>,
    },

    /// A 2xx response to an endpoint documented with the Cloudflare envelope (its data at
    /// `body["result"]`, say) whose JSON body is not that envelope: not an object, or an object
    /// without `success`, such as a proxy's or a gateway's own JSON. Its data is not decoded
    /// (every field would read as absent); not retried.
    #[error("HTTP {status} with a JSON body that is not the documented Cloudflare envelope (an object with `success`){}: {excerpt}", ray(ray_id.as_deref()))]
    NotEnvelope {
        /// HTTP status of the response.
        status: StatusCode,
        /// The `Content-Type` header, if any.
        content_type: Option<String>,
        /// A bounded excerpt of the body.
        excerpt: String,
        /// The `cf-ray` response header.
        ray_id: Option<String>,
    },

    /// The JSON response did not match the expected type.
    #[error(
        "cannot decode the HTTP {status} response at `{path}`: {message}; body starts with: {excerpt}"
    )]
    Decode {
        /// HTTP status of the response.
        status: StatusCode,
        /// JSON path of the failure, such as `result[1].id` (`.` for the root).
        path: String,
        /// What serde said.
        message: String,
        /// A bounded excerpt of the body.
        excerpt: String,
    },

    /// The request could not be sent or its response not read (DNS, connect,
    /// TLS, connection reset, a body cut short).
    ///
    /// A compressed body that is corrupt or cut short is one too (its `source` says
    /// `is_decode()`), retried like any other.
    #[error(
        "transport error after {attempts} attempt(s): {source}{}",
        decode_detail(source)
    )]
    Transport {
        /// The underlying error.
        #[source]
        source: reqwest::Error,
        /// How many attempts were made.
        attempts: u32,
    },

    /// An attempt or the whole call took too long.
    #[error("{} after {elapsed:?} and {attempts} attempt(s)", if *overall { "the call's deadline passed" } else { "the request timed out" })]
    Timeout {
        /// Time since the call started.
        elapsed: Duration,
        /// How many attempts were made.
        attempts: u32,
        /// True when the call's overall deadline passed, false when one
        /// attempt hit the per-attempt timeout.
        overall: bool,
    },

    /// A path parameter would not be exactly one path segment (it is empty,
    /// `.` or `..`). No request was sent.
    #[error("invalid path parameter `{name}` ({value:?}): {reason}")]
    InvalidPathParam {
        /// The parameter's name in the path template.
        name: String,
        /// The value given.
        value: String,
        /// Why it was refused.
        reason: &'static str,
    },

    /// The base URL is not an absolute `http` or `https` URL without query or fragment.
    #[error("invalid base URL {url:?}: {reason}")]
    InvalidBaseUrl {
        /// The URL given.
        url: String,
        /// Why it was refused.
        reason: String,
    },

    /// The request could not be built: a query or body that does not
    /// serialize, an invalid header name or value. No request was sent.
    #[error("invalid request: {message}")]
    InvalidRequest {
        /// What is wrong.
        message: String,
    },

    /// The client is misconfigured, e.g. no credentials in the environment.
    #[error("client configuration error: {message}")]
    Config {
        /// What is wrong.
        message: String,
    },
}

fn ray(ray_id: Option<&str>) -> String {
    ray_id.map(|r| format!(" [cf-ray {r}]")).unwrap_or_default()
}

/// For a body that could not be decompressed, what that means and the decoder's own words.
fn decode_detail(source: &reqwest::Error) -> String {
    if !source.is_decode() {
        return String::new();
    }
    let mut innermost = None;
    let mut cause = std::error::Error::source(source);
    while let Some(c) = cause {
        innermost = Some(c);
        cause = c.source();
    }
    let words = innermost.map(|c| format!(": {c}")).unwrap_or_default();
    format!(" (the compressed body is corrupt or cut short{words})")
}

fn api_summary(errors: &[ApiError], excerpt: Option<&str>, ray_id: Option<&str>) -> String {
    let mut out = ray(ray_id);
    if errors.is_empty() {
        if let Some(excerpt) = excerpt {
            let _ = write!(out, ": {excerpt}");
        }
        return out;
    }
    for (i, e) in errors.iter().enumerate() {
        out.push_str(if i == 0 { ": " } else { "; " });
        let _ = write!(out, "{e}");
    }
    out
}

impl Error {
    /// The HTTP status of the response, when there was one.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api { status, .. }
            | Error::NonJson { status, .. }
            | Error::NotEnvelope { status, .. }
            | Error::Decode { status, .. } => Some(*status),
            Error::Transport { source, .. } => source.status(),
            _ => None,
        }
    }

    /// The API errors of the response (empty for other kinds of error).
    pub fn api_errors(&self) -> &[ApiError] {
        match self {
            Error::Api { errors, .. } => errors,
            _ => &[],
        }
    }

    /// The Cloudflare error codes of the response, in order.
    pub fn codes(&self) -> Vec<i64> {
        self.api_errors().iter().map(|e| e.code).collect()
    }

    /// The `cf-ray` id of the response, when there was one.
    pub fn ray_id(&self) -> Option<&str> {
        match self {
            Error::Api { ray_id, .. }
            | Error::NonJson { ray_id, .. }
            | Error::NotEnvelope { ray_id, .. } => ray_id.as_deref(),
            _ => None,
        }
    }

    /// The delay the server asked for before trying again, if any.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::Api { retry_after, .. } | Error::NonJson { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// True for a timeout, of one attempt or of the whole call.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Timeout { .. })
    }

    /// True when trying the same request again later may succeed: HTTP 408,
    /// 429 and 5xx, transport errors and per-attempt timeouts. This is the rule
    /// the client's own retries follow (see [`crate::retry`]).
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Api { status, .. } | Error::NonJson { status, .. } => {
                crate::transport::retry::is_retryable_status(*status)
            }
            Error::Transport { source, .. } => {
                crate::transport::retry::is_retryable_transport(source)
            }
            Error::Timeout { overall, .. } => !overall,
            _ => false,
        }
    }
}
