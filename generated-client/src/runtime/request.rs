//! [`Request`]: one API call, built by the generated endpoint methods and
//! sent with retries; [`Response`] and [`RawBody`]: what it returns.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, ACCEPT, CONTENT_TYPE};
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use tokio::time::Instant;
use tracing::Instrument;

use crate::runtime::client::Client;
use crate::runtime::decode::{self, Decoded, Received};
use crate::runtime::envelope::{ApiMessage, ResultInfo};
use crate::runtime::error::Error;
use crate::runtime::lenient::DecodeWarning;
use crate::runtime::paginate::Pagination;
use crate::runtime::path::{self, PathPart};
use crate::runtime::query;
use crate::runtime::retry::{self, RetryPolicy};

/// Where the data sits in a JSON response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataAt {
    /// A Cloudflare envelope (`success`, `errors`, `messages`, `result`,
    /// `result_info`) with the data at `body[key0][key1]…`: the docs'
    /// `body["result"]` is `Envelope(&["result"])`. A response without an
    /// envelope (no `success` key) is decoded whole as the data.
    Envelope(&'static [&'static str]),
    /// The whole body is the data; there is no envelope.
    Body,
}

/// The `Envelope(&["result"])` of most endpoints.
pub const RESULT: DataAt = DataAt::Envelope(&["result"]);

/// The body of a response whose shape is not documented: bytes, with text
/// access and the content type kept.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct RawBody {
    bytes: Bytes,
    content_type: Option<String>,
}

impl RawBody {
    /// A raw body from its parts.
    pub fn new(bytes: impl Into<Bytes>, content_type: Option<String>) -> Self {
        RawBody {
            bytes: bytes.into(),
            content_type,
        }
    }

    /// The body's bytes.
    pub fn bytes(&self) -> &Bytes {
        &self.bytes
    }

    /// The body's bytes, by value.
    pub fn into_bytes(self) -> Bytes {
        self.bytes
    }

    /// The body as UTF-8 text.
    pub fn text(&self) -> Result<&str, std::str::Utf8Error> {
        std::str::from_utf8(&self.bytes)
    }

    /// The body as text, invalid UTF-8 replaced by `U+FFFD`.
    pub fn text_lossy(&self) -> Cow<'_, str> {
        String::from_utf8_lossy(&self.bytes)
    }

    /// The `Content-Type` header of the response, if any.
    pub fn content_type(&self) -> Option<&str> {
        self.content_type.as_deref()
    }

    /// Parses the body as JSON into any type.
    pub fn json<U: DeserializeOwned>(&self) -> Result<U, serde_json::Error> {
        serde_json::from_slice(&self.bytes)
    }

    /// The body's length in bytes.
    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    /// True for an empty body.
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }
}

impl fmt::Debug for RawBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RawBody")
            .field("content_type", &self.content_type)
            .field("len", &self.bytes.len())
            .field("excerpt", &decode::excerpt(&self.bytes))
            .finish()
    }
}

/// A successful response: the typed data and everything else the server said.
#[derive(Debug, Clone)]
pub struct Response<T> {
    /// The data: the envelope's `result` (or the documented key path), or the whole body.
    pub data: T,
    /// The envelope's `result_info` (pagination), if any.
    pub result_info: Option<ResultInfo>,
    /// The envelope's `messages`.
    pub messages: Vec<ApiMessage>,
    /// HTTP status.
    pub status: StatusCode,
    /// Response headers.
    pub headers: HeaderMap,
    /// Attempts made, 1 when the first one succeeded.
    pub attempts: u32,
    /// Values that did not match the documented types and were read as
    /// absent (see [`crate::runtime::lenient`]); always empty in strict mode.
    pub warnings: Vec<DecodeWarning>,
}

impl<T> Response<T> {
    /// The data, dropping the rest.
    pub fn into_data(self) -> T {
        self.data
    }

    /// The same response with its data transformed.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Response<U> {
        Response {
            data: f(self.data),
            result_info: self.result_info,
            messages: self.messages,
            status: self.status,
            headers: self.headers,
            attempts: self.attempts,
            warnings: self.warnings,
        }
    }

    /// The `cf-ray` header: the id Cloudflare support asks for.
    pub fn ray_id(&self) -> Option<&str> {
        self.headers.get("cf-ray").and_then(|v| v.to_str().ok())
    }
}

type DecodeFn<T> = fn(&DataAt, Received) -> Result<Decoded<T>, Error>;

/// One API call: method, path, query, headers, body and retry settings.
///
/// Builder methods never fail; an invalid input (a path parameter that is
/// `..`, a query that does not serialize, a bad header) is reported by
/// [`send`](Self::send), before anything is sent. `Debug` shows header names,
/// never their values.
pub struct Request<T> {
    client: Client,
    method: Method,
    /// The rendered path, e.g. `/accounts/abc/audit_logs`.
    path: String,
    /// The template, e.g. `/accounts/{account_id}/audit_logs`, for logs.
    route: String,
    query: Vec<(String, String)>,
    body: Option<Bytes>,
    headers: HeaderMap,
    invalid: Option<Error>,
    data_at: DataAt,
    decode: DecodeFn<T>,
    max_retries: Option<u32>,
    retry_non_idempotent: Option<bool>,
    timeout: Option<Duration>,
    deadline: Option<Instant>,
    overall_timeout: Option<Duration>,
    strict: Option<bool>,
    pagination: Option<Pagination>,
    _data: PhantomData<fn() -> T>,
}

/// A 2xx response after the retry loop: what `on_success` made of it, and
/// the settings the rest of the call (decoding, streaming the body) needs.
pub(crate) struct Attempted<R> {
    pub(crate) value: R,
    pub(crate) attempts: u32,
    pub(crate) strict: bool,
    pub(crate) start: Instant,
    pub(crate) deadline: Option<Instant>,
    pub(crate) attempt_timeout: Duration,
}

impl<T: DeserializeOwned + Send + 'static> Request<T> {
    /// A request whose 2xx response is JSON decoded into `T`, found where `data_at` says.
    pub fn json(client: &Client, method: Method, path: &[PathPart<'_>], data_at: DataAt) -> Self {
        let mut request = Request::new(client, method, path, data_at, decode::decode_json::<T>);
        request
            .headers
            .insert(ACCEPT, HeaderValue::from_static("application/json"));
        request
    }
}

impl Request<RawBody> {
    /// A request whose 2xx response is returned as a [`RawBody`].
    pub fn raw(client: &Client, method: Method, path: &[PathPart<'_>]) -> Self {
        Request::new(client, method, path, DataAt::Body, decode::decode_raw)
    }
}

impl<T> Request<T> {
    fn new(
        client: &Client,
        method: Method,
        parts: &[PathPart<'_>],
        data_at: DataAt,
        decode: DecodeFn<T>,
    ) -> Self {
        let (path, invalid) = match path::render(parts) {
            Ok(path) => (path, None),
            Err(e) => (String::new(), Some(e)),
        };
        Request {
            client: client.clone(),
            method,
            path,
            route: path::template(parts),
            query: Vec::new(),
            body: None,
            headers: HeaderMap::new(),
            invalid,
            data_at,
            decode,
            max_retries: None,
            retry_non_idempotent: None,
            timeout: None,
            deadline: None,
            overall_timeout: None,
            strict: None,
            pagination: None,
            _data: PhantomData,
        }
    }

    fn fail(mut self, error: Error) -> Self {
        self.invalid.get_or_insert(error);
        self
    }

    /// Adds query parameters from anything that serializes to a map (a
    /// struct, a `HashMap`, …) or a list of pairs, as the official SDKs send
    /// them: `None`/`null` values are skipped, arrays repeat the key
    /// (`a=1&a=2`), nested objects use dots (`actor.email=…`; a key renamed
    /// `actor.email` is sent as is), booleans are `true`/`false`, unit enum
    /// variants their serde name, whole floats print without `.0`. Keys and
    /// values are form-encoded (`+` is `%2B`, `:` is `%3A`, a space is `+`).
    /// A struct's keys keep their declaration order, a map's its iteration
    /// order.
    pub fn query<Q: serde::Serialize + ?Sized>(mut self, query: &Q) -> Self {
        match query::to_pairs(query) {
            Ok(pairs) => {
                self.query.extend(pairs);
                self
            }
            Err(message) => self.fail(Error::InvalidRequest {
                message: format!("query: {message}"),
            }),
        }
    }

    /// Adds one query parameter.
    pub fn query_pair(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.query.push((key.into(), value.into()));
        self
    }

    /// Sets query parameter `key` to `value`, replacing any previous values
    /// (in the place of the first one; appended when there was none).
    pub fn set_query_pair(mut self, key: &str, value: impl Into<String>) -> Self {
        let value = value.into();
        match self.query.iter().position(|(k, _)| k == key) {
            Some(first) => {
                self.query[first].1 = value;
                let mut i = 0;
                self.query.retain(|(k, _)| {
                    i += 1;
                    i - 1 <= first || k != key
                });
            }
            None => self.query.push((key.to_owned(), value)),
        }
        self
    }

    /// The query parameters so far, in order.
    pub fn query_pairs(&self) -> &[(String, String)] {
        &self.query
    }

    /// The value of the first query parameter named `key`, if any.
    pub fn query_value(&self, key: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// Declares how this list endpoint pages, for [`pages`](Self::pages) and
    /// [`items`](Self::items); generated list endpoints set it from their
    /// documented parameters. Without it the kind is inferred from the
    /// first response's `result_info`.
    pub fn paginate(mut self, how: Pagination) -> Self {
        self.pagination = Some(how);
        self
    }

    /// How this request pages, if declared with [`paginate`](Self::paginate).
    pub fn pagination(&self) -> Option<Pagination> {
        self.pagination
    }

    /// The same call with its 2xx response returned as a [`RawBody`] (bytes,
    /// whatever the content type, never a decode error), e.g. a CSV export.
    /// Method, path, query, body, headers, retry and timeout settings are
    /// kept, except the `Accept: application/json` that
    /// [`Request::json`] adds, which is dropped. A non-2xx response is
    /// still an [`Error`]. See [`bytes_stream`](Request::bytes_stream) to
    /// stream a large body.
    pub fn into_raw(self) -> Request<RawBody> {
        let mut headers = self.headers;
        if headers
            .get(ACCEPT)
            .is_some_and(|v| !v.is_sensitive() && v == "application/json")
        {
            headers.remove(ACCEPT);
        }
        Request {
            client: self.client,
            method: self.method,
            path: self.path,
            route: self.route,
            query: self.query,
            body: self.body,
            headers,
            invalid: self.invalid,
            data_at: DataAt::Body,
            decode: decode::decode_raw,
            max_retries: self.max_retries,
            retry_non_idempotent: self.retry_non_idempotent,
            timeout: self.timeout,
            deadline: self.deadline,
            overall_timeout: self.overall_timeout,
            strict: self.strict,
            pagination: self.pagination,
            _data: PhantomData,
        }
    }

    /// A JSON body (`Content-Type: application/json`).
    pub fn json_body<B: serde::Serialize + ?Sized>(self, body: &B) -> Self {
        match serde_json::to_vec(body) {
            Ok(bytes) => self.body(bytes, "application/json"),
            Err(e) => self.fail(Error::InvalidRequest {
                message: format!("JSON body: {e}"),
            }),
        }
    }

    /// A body of raw bytes with its content type.
    pub fn body(mut self, bytes: impl Into<Bytes>, content_type: &str) -> Self {
        self.body = Some(bytes.into());
        self.header(CONTENT_TYPE.as_str(), content_type)
    }

    /// Sets a header, replacing a previous value, including the client's
    /// defaults. Its value is marked sensitive and never logged.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        let Ok(name) = HeaderName::from_bytes(name.as_bytes()) else {
            let message = format!("invalid header name {name:?}");
            return self.fail(Error::InvalidRequest { message });
        };
        let Ok(mut value) = HeaderValue::from_str(value) else {
            // The value is not echoed: it may be a credential.
            let message = format!("invalid value for header {name}");
            return self.fail(Error::InvalidRequest { message });
        };
        value.set_sensitive(true);
        self.headers.insert(name, value);
        self
    }

    /// Retries after the first attempt, overriding the client's; 0 disables retries.
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = Some(retries);
        self
    }

    /// Whether a POST or PATCH may be retried, overriding the client's setting.
    pub fn retry_non_idempotent(mut self, yes: bool) -> Self {
        self.retry_non_idempotent = Some(yes);
        self
    }

    /// Timeout of each attempt, overriding the client's.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// A point in time by which the whole call, retries included, must be
    /// done. Give every page of a listing the same deadline to bound the listing.
    pub fn deadline(mut self, at: Instant) -> Self {
        self.deadline = Some(at);
        self
    }

    /// Bounds the whole call, retries included, counted from [`send`](Self::send);
    /// overrides the client's overall timeout.
    pub fn overall_timeout(mut self, timeout: Duration) -> Self {
        self.overall_timeout = Some(timeout);
        self
    }

    /// Strict decoding for this request, overriding the client's setting:
    /// a value that does not match its documented type fails the call with
    /// [`Error::Decode`] instead of becoming a warning.
    pub fn strict(mut self, yes: bool) -> Self {
        self.strict = Some(yes);
        self
    }

    /// The HTTP method.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// The path with its parameters encoded, relative to the base URL
    /// (empty when a parameter was invalid).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The full URL the request goes to, query included.
    pub fn url(&self) -> Result<url::Url, Error> {
        if let Some(invalid) = &self.invalid {
            return Err(clone_invalid(invalid));
        }
        let mut url = path::join(&self.client.inner.base_url, &self.path);
        if !self.query.is_empty() {
            url.query_pairs_mut().extend_pairs(&self.query);
        }
        Ok(url)
    }

    pub(crate) fn deadline_value(&self) -> Option<Instant> {
        self.deadline
    }

    pub(crate) fn overall_timeout_value(&self) -> Option<Duration> {
        self.overall_timeout
    }

    fn policy(&self) -> RetryPolicy {
        let mut policy = self.client.inner.retry;
        if let Some(n) = self.max_retries {
            policy.max_retries = n;
        }
        if let Some(yes) = self.retry_non_idempotent {
            policy.retry_non_idempotent = yes;
        }
        policy
    }
}

impl<T: Send + 'static> Request<T> {
    /// Sends the request, retrying as the retry policy says
    /// (see [`crate::runtime::retry`]), and decodes the response.
    ///
    /// On a list endpoint this is single-page access: the page the query
    /// asks for (the first by default), with its `result_info`; see
    /// [`pages`](Self::pages) and [`items`](Self::items) for all of them.
    pub async fn send(self) -> Result<Response<T>, Error> {
        self.send_decoded(false).await.map(|(response, _)| response)
    }

    /// [`send`](Self::send), also returning a hash of the data's raw JSON
    /// when `hash_data` is set.
    pub(crate) async fn send_decoded(self, hash_data: bool) -> Result<Decoded<T>, Error> {
        let buffer = |response: reqwest::Response| async move {
            let status = response.status();
            let headers = response.headers().clone();
            let body = response.bytes().await?;
            Ok((status, headers, body))
        };
        let attempted = self.attempt(buffer).await?;
        let (status, headers, body) = attempted.value;
        let received = Received {
            status,
            headers,
            body,
            attempts: attempted.attempts,
            strict: attempted.strict,
            hash_data,
        };
        (self.decode)(&self.data_at, received)
    }
}

impl<T> Request<T> {
    /// Runs the retry loop until a 2xx response, handing it to `on_success`
    /// (which reads its body, or not), or until a final error. A non-2xx
    /// body is always read, within the attempt's time limit, for the error.
    pub(crate) async fn attempt<R, F, Fut>(&self, on_success: F) -> Result<Attempted<R>, Error>
    where
        F: Fn(reqwest::Response) -> Fut,
        Fut: std::future::Future<Output = Result<R, reqwest::Error>>,
    {
        let start = Instant::now();
        let url = self.url()?;
        let span = tracing::debug_span!(
            "cloudflare_request",
            method = %self.method,
            route = %self.route,
            path = %url.path(),
        );
        self.attempt_inner(url, start, on_success)
            .instrument(span)
            .await
    }

    async fn attempt_inner<R, F, Fut>(
        &self,
        url: url::Url,
        start: Instant,
        on_success: F,
    ) -> Result<Attempted<R>, Error>
    where
        F: Fn(reqwest::Response) -> Fut,
        Fut: std::future::Future<Output = Result<R, reqwest::Error>>,
    {
        let inner = &self.client.inner;
        let policy = self.policy();
        let overall = self
            .overall_timeout
            .or(inner.overall_timeout)
            .and_then(|d| start.checked_add(d));
        let deadline = match (self.deadline, overall) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        let attempt_timeout = self.timeout.unwrap_or(inner.timeout);
        let strict = self.strict.unwrap_or(inner.strict);
        let mut headers = inner.default_headers.clone();
        for (name, value) in &self.headers {
            headers.insert(name.clone(), value.clone());
        }

        let mut attempt = 0u32;
        loop {
            attempt += 1;
            let mut limit = attempt_timeout;
            let mut limited_by_deadline = false;
            if let Some(deadline) = deadline {
                let left = deadline.saturating_duration_since(Instant::now());
                if left <= limit {
                    limit = left;
                    limited_by_deadline = true;
                }
            }
            if limit.is_zero() && limited_by_deadline {
                return Err(Error::Timeout {
                    elapsed: start.elapsed(),
                    attempts: attempt - 1,
                    overall: true,
                });
            }
            let mut request = reqwest::Request::new(self.method.clone(), url.clone());
            *request.headers_mut() = headers.clone();
            if let Some(body) = &self.body {
                *request.body_mut() = Some(body.clone().into());
            }
            tracing::debug!(attempt, "sending");
            let exchange = async {
                let response = inner.http.execute(request).await?;
                let status = response.status();
                tracing::debug!(attempt, status = status.as_u16(), "response");
                if status.is_success() {
                    return on_success(response).await.map(Ok);
                }
                let headers = response.headers().clone();
                let body = response.bytes().await?;
                Ok::<_, reqwest::Error>(Err((status, headers, body)))
            };
            let (failure, retryable, retry_after) = match tokio::time::timeout(limit, exchange)
                .await
            {
                Ok(Ok(Ok(value))) => {
                    return Ok(Attempted {
                        value,
                        attempts: attempt,
                        strict,
                        start,
                        deadline,
                        attempt_timeout,
                    });
                }
                Ok(Ok(Err((status, headers, body)))) => {
                    let received = Received {
                        status,
                        headers,
                        body,
                        attempts: attempt,
                        strict,
                        hash_data: false,
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
                            elapsed: start.elapsed(),
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
                        elapsed: start.elapsed(),
                        attempts: attempt,
                        overall: limited_by_deadline,
                    };
                    (error, !limited_by_deadline, None)
                }
            };
            if !retryable || attempt > policy.max_retries || !policy.allows_method(&self.method) {
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
            if deadline.is_some_and(|d| !fits(d)) {
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
}

impl<T> Clone for Request<T> {
    fn clone(&self) -> Self {
        Request {
            client: self.client.clone(),
            method: self.method.clone(),
            path: self.path.clone(),
            route: self.route.clone(),
            query: self.query.clone(),
            body: self.body.clone(),
            headers: self.headers.clone(),
            invalid: self.invalid.as_ref().map(clone_invalid),
            data_at: self.data_at,
            decode: self.decode,
            max_retries: self.max_retries,
            retry_non_idempotent: self.retry_non_idempotent,
            timeout: self.timeout,
            deadline: self.deadline,
            overall_timeout: self.overall_timeout,
            strict: self.strict,
            pagination: self.pagination,
            _data: PhantomData,
        }
    }
}

impl<T> fmt::Debug for Request<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("route", &self.route)
            .field("path", &self.path)
            .field(
                "query_keys",
                &self
                    .query
                    .iter()
                    .map(|(k, _)| k.as_str())
                    .collect::<Vec<_>>(),
            )
            .field(
                "header_names",
                &self.headers.keys().map(|k| k.as_str()).collect::<Vec<_>>(),
            )
            .field("body_len", &self.body.as_ref().map(Bytes::len))
            .field("invalid", &self.invalid)
            .field("data_at", &self.data_at)
            .field("pagination", &self.pagination)
            .field("client", &self.client)
            .finish_non_exhaustive()
    }
}

/// Deferred errors are only ever the build-time kinds, which hold plain data.
fn clone_invalid(error: &Error) -> Error {
    match error {
        Error::InvalidPathParam {
            name,
            value,
            reason,
        } => Error::InvalidPathParam {
            name: name.clone(),
            value: value.clone(),
            reason,
        },
        other => Error::InvalidRequest {
            message: other.to_string(),
        },
    }
}
