//! [`Request`]: the builder of one API call, as the generated endpoint
//! methods make it; [`send`](Request::send) resolves its settings and hands
//! it to the executor.

use std::fmt;
use std::marker::PhantomData;
use std::time::Duration;

use bytes::Bytes;
use reqwest::Method;
use reqwest::header::{ACCEPT, HeaderMap, HeaderName, HeaderValue};
use serde::de::DeserializeOwned;
use tokio::time::Instant;

use crate::call::client::Client;
use crate::call::path::{self, PathPart};
use crate::call::query;
use crate::decode::body::{Decoded, Received, ResponseData};
use crate::decode::lenient::drift::{self, Warnings};
use crate::error::Error;
use crate::listing::paginate::{PageToken, Pagination, ResumePoint};
use crate::transport::execute::{self, Attempted, Call, Settings};
// The response types, also reachable here as before the runtime was split by job.
pub use crate::decode::response::{DataAt, RESULT, RawBody, Response};

// The body setters, in a room of their own.
mod bodies;

/// One API call: method, path, query, headers, body and retry settings.
///
/// Builder methods never fail; an invalid input (a path parameter that is
/// `..`, a query that does not serialize, a bad header) is reported by
/// [`send`](Self::send), before anything is sent. `Debug` shows header names,
/// never their values.
pub struct Request<T> {
    parts: Parts,
    _data: PhantomData<fn() -> T>,
}

/// What a [`Request`] holds, whatever its response type. The builder's work is done on this,
/// once: a method of `Request<T>` that did it itself would be compiled again for every `T`
/// that calls it, and the generated client calls them with some 2,600 response types (a
/// third of the code a release build of the client compiled was such copies).
struct Parts {
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
    overrides: Overrides,
    pagination: Option<Pagination>,
    listing: Listing,
    warnings: Option<Warnings>,
}

/// The bounds and starting point of a listing walked with
/// [`pages`](Request::pages) or [`items`](Request::items).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Listing {
    pub(crate) max_pages: Option<u64>,
    pub(crate) max_items: Option<u64>,
    /// Items of the first page already yielded in an earlier run.
    pub(crate) skip: usize,
    /// Walked by `items()`, whose caller never sees a page's response: its warnings move
    /// into the attached [`Warnings`] instead of being copied (20,000 copies for a drifted
    /// listing of 20,000 items).
    pub(crate) items_only: bool,
    /// See [`Request::prefetch`].
    pub(crate) prefetch: bool,
}

/// The request's own settings, each overriding the client's when set.
#[derive(Debug, Clone, Copy, Default)]
struct Overrides {
    max_retries: Option<u32>,
    retry_non_idempotent: Option<bool>,
    timeout: Option<Duration>,
    deadline: Option<Instant>,
    overall_timeout: Option<Duration>,
    strict: Option<bool>,
}

impl<T: DeserializeOwned + Send + 'static> Request<T> {
    /// A request whose 2xx response is JSON decoded into `T`, found where `data_at` says.
    /// What generated endpoints are built from; callers use [`Client::request`].
    #[doc(hidden)]
    pub fn json(client: &Client, method: Method, path: &[PathPart<'_>], data_at: DataAt) -> Self {
        let mut parts = Parts::new(client, method, path, data_at);
        parts.accept_json();
        Request::of(parts)
    }
}

/// Calls to any path, for what the generated endpoints do not cover, with
/// the same auth, retries, envelope decoding and errors.
impl Client {
    /// A call to `template`, relative to the base URL, e.g.
    /// `"/zones/{zone_id}/dns_records"` with `&[("zone_id", id)]`: each
    /// `{name}` is replaced by its value percent-encoded as exactly one path
    /// segment (a `/` or `?` in a value stays inside it); literal text is
    /// used as is, characters not allowed in a path encoded. The 2xx response
    /// is a Cloudflare envelope whose `result` decodes into `T` (use
    /// [`Request::data_at`] for another place, [`Request::into_raw`] for the
    /// bytes, `serde_json::Value` to take whatever comes).
    ///
    /// The result is the usual [`Request`]: `.query(..)`, `.json_body(..)`,
    /// `.header(..)`, `.send()`, `.pages()`/`.items()` on a `Vec` all work.
    /// Pass identifiers as parameters rather than in the template: logs and
    /// the call's `tracing` span show the template (`url.template`).
    /// A template or parameter that cannot make a path (a `{name}` without a
    /// value, a parameter not in the template, a `?` in the template, an
    /// empty or `..` value) fails [`send`](Request::send) with
    /// [`Error::InvalidRequest`] or [`Error::InvalidPathParam`], before
    /// anything is sent. See [`path::render_template`].
    ///
    /// ```no_run
    /// # async fn demo(client: cloudflare_client_runtime::Client) -> Result<(), cloudflare_client_runtime::Error> {
    /// use cloudflare_client_runtime::Method;
    ///
    /// let records = client
    ///     .request::<Vec<serde_json::Value>>(
    ///         Method::GET,
    ///         "/zones/{zone_id}/dns_records",
    ///         &[("zone_id", "023e105f4ecef8ad9ca31a8372d0c353")],
    ///     )
    ///     .query_pair("type", "A")
    ///     .send()
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub fn request<T: DeserializeOwned + Send + 'static>(
        &self,
        method: Method,
        template: &str,
        params: &[(&str, &str)],
    ) -> Request<T> {
        let path = path::render_template(template, params);
        let mut parts = Parts::rendered(self, method, path, template.to_owned(), RESULT);
        parts.accept_json();
        Request::of(parts)
    }

    /// A GET of `template`: [`request`](Self::request) with [`Method::GET`].
    pub fn get<T: DeserializeOwned + Send + 'static>(
        &self,
        template: &str,
        params: &[(&str, &str)],
    ) -> Request<T> {
        self.request(Method::GET, template, params)
    }
}

impl Request<RawBody> {
    /// A request whose 2xx response is returned as a [`RawBody`]. What generated endpoints
    /// are built from; callers use [`Client::request`] and [`Request::into_raw`].
    #[doc(hidden)]
    pub fn raw(client: &Client, method: Method, path: &[PathPart<'_>]) -> Self {
        Request::of(Parts::new(client, method, path, DataAt::Body))
    }
}

impl Parts {
    fn new(client: &Client, method: Method, parts: &[PathPart<'_>], data_at: DataAt) -> Self {
        let route = path::template(parts);
        let path = path::render(parts).map(|path| (path, route.clone()));
        Parts::rendered(client, method, path, route, data_at)
    }

    /// A request to `path` (already rendered, with its template), or one
    /// that fails with the error that rendering it met.
    fn rendered(
        client: &Client,
        method: Method,
        path: Result<(String, String), Error>,
        fallback_route: String,
        data_at: DataAt,
    ) -> Self {
        let (path, route, invalid) = match path {
            Ok((path, route)) => (path, route, None),
            Err(e) => (String::new(), fallback_route, Some(e)),
        };
        Parts {
            client: client.clone(),
            method,
            path,
            route,
            query: Vec::new(),
            body: None,
            headers: HeaderMap::new(),
            invalid,
            data_at,
            overrides: Overrides::default(),
            pagination: None,
            listing: Listing::default(),
            warnings: None,
        }
    }

    /// With `Accept: application/json`, which [`into_raw`](Request::into_raw) drops again.
    fn accept_json(&mut self) {
        self.headers
            .insert(ACCEPT, HeaderValue::from_static("application/json"));
    }

    /// Keeps the first error met: `send` reports it.
    fn fail(&mut self, error: Error) {
        self.invalid.get_or_insert(error);
    }

    fn header(&mut self, name: &str, value: &str) {
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
    }

    fn header_param(&mut self, name: &str, value: &dyn erased_serde::Serialize) {
        match crate::encode::scalar_text(value) {
            Ok(text) => self.header(name, &text),
            Err(problem) => self.fail(Error::InvalidRequest {
                message: format!("header {name}: {problem}"),
            }),
        }
    }

    fn query(&mut self, query: &dyn erased_serde::Serialize) {
        match query::to_pairs(query) {
            Ok(pairs) => self.query.extend(pairs),
            Err(message) => self.fail(Error::InvalidRequest {
                message: format!("query: {message}"),
            }),
        }
    }
}

impl<T> Request<T> {
    fn of(parts: Parts) -> Self {
        Request {
            parts,
            _data: PhantomData,
        }
    }

    fn fail(mut self, error: Error) -> Self {
        self.parts.fail(error);
        self
    }

    /// Fails the request when a generated parameter struct says a required parameter is
    /// unset (`missing` names it: `query parameter since (set it with …)`), so the call errs
    /// before anything is sent.
    #[doc(hidden)]
    pub fn require(mut self, missing: Option<&str>) -> Self {
        if let Some(parameter) = missing {
            self.parts.fail(Error::InvalidRequest {
                message: format!("missing required {parameter}"),
            });
        }
        self
    }

    /// Sets header `name` from a generated parameter struct's field, when it is set: a
    /// string as it is, a number or boolean as JSON writes it (a whole float without `.0`), an
    /// enum as its wire value. Marked sensitive like every header set here.
    #[doc(hidden)]
    pub fn header_param<V: serde::Serialize + ?Sized>(
        mut self,
        name: &str,
        value: Option<&V>,
    ) -> Self {
        if let Some(value) = value {
            self.parts.header_param(name, &value);
        }
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
        self.parts.query(&query);
        self
    }

    /// Adds one query parameter.
    pub fn query_pair(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.parts.query.push((key.into(), value.into()));
        self
    }

    /// Sets query parameter `key` to `value`, replacing any previous values
    /// (in the place of the first one; appended when there was none).
    pub fn set_query_pair(mut self, key: &str, value: impl Into<String>) -> Self {
        let value = value.into();
        match self.parts.query.iter().position(|(k, _)| k == key) {
            Some(first) => {
                self.parts.query[first].1 = value;
                let mut i = 0;
                self.parts.query.retain(|(k, _)| {
                    i += 1;
                    i - 1 <= first || k != key
                });
            }
            None => self.parts.query.push((key.to_owned(), value)),
        }
        self
    }

    /// The query parameters so far, in order.
    pub fn query_pairs(&self) -> &[(String, String)] {
        &self.parts.query
    }

    /// The value of the first query parameter named `key`, if any.
    pub fn query_value(&self, key: &str) -> Option<&str> {
        self.parts
            .query
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// Declares how this list endpoint pages, for [`pages`](Self::pages) and
    /// [`items`](Self::items); generated list endpoints set it from their
    /// documented parameters. Without it the kind is inferred from the
    /// first response's `result_info`.
    pub fn paginate(mut self, how: Pagination) -> Self {
        self.parts.pagination = Some(how);
        self
    }

    /// Where the data sits in the 2xx response, replacing what the request
    /// was built with: for a call made with [`Client::request`] to an
    /// endpoint that answers without the envelope ([`DataAt::Body`]) or with
    /// its data under another key.
    pub fn data_at(mut self, data_at: DataAt) -> Self {
        self.parts.data_at = data_at;
        self
    }

    /// How this request pages, if declared with [`paginate`](Self::paginate).
    pub fn pagination(&self) -> Option<Pagination> {
        self.parts.pagination
    }

    /// Stops a listing walked with [`pages`](Self::pages) or
    /// [`items`](Self::items) after `pages` pages have been fetched: requests
    /// sent, so an empty cursor page that is followed without being yielded
    /// counts, and the retries of a page do not. The stream then
    /// ends and [`Pages::resume_point`](crate::Pages::resume_point)
    /// says where the rest starts. 0 fetches nothing.
    pub fn max_pages(mut self, pages: u64) -> Self {
        self.parts.listing.max_pages = Some(pages);
        self
    }

    /// Stops a listing walked with [`pages`](Self::pages) or
    /// [`items`](Self::items) after `items` items: the page that reaches the
    /// bound is cut short, no further page is asked for, and
    /// [`resume_point`](crate::Items::resume_point) says where the rest starts.
    pub fn max_items(mut self, items: u64) -> Self {
        self.parts.listing.max_items = Some(items);
        self
    }

    /// Fetches the next page of a listing walked with [`pages`](Self::pages) or
    /// [`items`](Self::items) while the caller is still on the current one: once a page is
    /// yielded, the request for the next is sent from a task spawned on the current tokio
    /// runtime, so that what the caller does with a page overlaps the next page's round trip
    /// and decoding.
    ///
    /// Pages still come in order, at most one ahead, with the same retries, bounds, end rules
    /// and [`resume_point`](crate::Pages::resume_point)s (which count only what was
    /// yielded). Dropping the stream aborts the fetch in flight, but its request may have
    /// reached the server: a listing its caller stops early has asked for one page more than
    /// it yielded. Off by default; without a tokio runtime, pages are fetched on demand.
    pub fn prefetch(mut self, on: bool) -> Self {
        self.parts.listing.prefetch = on;
        self
    }

    /// Starts a listing at `point`, saved from
    /// [`Pages::resume_point`](crate::Pages::resume_point) or
    /// [`Items::resume_point`](crate::Items::resume_point) of an
    /// earlier walk of the same request: the page number or cursor replaces
    /// this request's, and the first `point.skip` items of that page are
    /// skipped, so no item is yielded twice or lost (as long as the server
    /// answers that page as it did before).
    ///
    /// A request whose pagination is not declared is declared to page the
    /// way the token says (`page`, `cursor` or `offset`); a token of one kind
    /// on a request declared to page another way (a page number on a request
    /// paged by cursor, ...) is an [`Error::InvalidRequest`] when the walk starts.
    pub fn resume(mut self, point: &ResumePoint) -> Self {
        self.parts.listing.skip = point.skip;
        let mismatch = |what: &str| Error::InvalidRequest {
            message: format!("cannot resume with {what}: this listing pages the other way"),
        };
        match (&point.page, self.parts.pagination) {
            (None, _) => self,
            (Some(PageToken::Page(n)), Some(Pagination::Page { page, .. })) => {
                self.set_query_pair(page, n.to_string())
            }
            (Some(PageToken::Page(n)), None) => self
                .paginate(Pagination::PAGE)
                .set_query_pair("page", n.to_string()),
            (Some(PageToken::Cursor(c)), Some(Pagination::Cursor { cursor, .. })) => {
                self.set_query_pair(cursor, c.as_str())
            }
            (Some(PageToken::Cursor(c)), None) => self
                .paginate(Pagination::Cursor {
                    cursor: "cursor",
                    limit: None,
                })
                .set_query_pair("cursor", c.as_str()),
            (Some(PageToken::Offset(n)), Some(Pagination::Offset { offset, .. })) => {
                self.set_query_pair(offset, n.to_string())
            }
            (Some(PageToken::Offset(n)), None) => self
                .paginate(Pagination::Offset {
                    offset: "offset",
                    limit: None,
                })
                .set_query_pair("offset", n.to_string()),
            (Some(PageToken::Page(_)), Some(_)) => self.fail(mismatch("a page number")),
            (Some(PageToken::Cursor(_)), Some(_)) => self.fail(mismatch("a cursor")),
            (Some(PageToken::Offset(_)), Some(_)) => self.fail(mismatch("an offset")),
        }
    }

    pub(crate) fn listing(&self) -> Listing {
        self.parts.listing
    }

    /// The [`Warnings`] attached with [`record_warnings`](Self::record_warnings), if any.
    pub(crate) fn recorded_warnings(&self) -> Option<&Warnings> {
        self.parts.warnings.as_ref()
    }

    /// Marks this request as walked by `items()` (see [`Listing::items_only`]).
    pub(crate) fn for_items(mut self) -> Self {
        self.parts.listing.items_only = true;
        self
    }

    /// The same call with its 2xx response returned as a [`RawBody`] (bytes,
    /// whatever the content type, never a decode error), e.g. a CSV export.
    /// Method, path, query, body, headers, retry and timeout settings are
    /// kept, except the `Accept: application/json` that
    /// [`Request::json`] adds, which is dropped. A non-2xx response is
    /// still an [`Error`]. See [`bytes_stream`](Request::bytes_stream) to
    /// stream a large body.
    pub fn into_raw(self) -> Request<RawBody> {
        let mut parts = self.parts;
        if parts
            .headers
            .get(ACCEPT)
            .is_some_and(|v| !v.is_sensitive() && v == "application/json")
        {
            parts.headers.remove(ACCEPT);
        }
        parts.data_at = DataAt::Body;
        Request::of(parts)
    }

    /// Records the decode warnings of this call, and of every page when it is walked with
    /// [`pages`](Self::pages) or [`items`](Self::items), into `warnings` (a shared handle:
    /// keep a clone to read them while the listing runs or once it has ended). Each response
    /// also carries its own in [`Response::warnings`], and the client logs each distinct
    /// drift once at warn level; this is how the caller of `items()` sees every one.
    pub fn record_warnings(mut self, warnings: &Warnings) -> Self {
        self.parts.warnings = Some(warnings.clone());
        self
    }

    /// Sets a header, replacing a previous value, including the client's
    /// defaults. Its value is marked sensitive and never logged.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.parts.header(name, value);
        self
    }

    /// Retries after the first attempt, overriding the client's; 0 disables retries.
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.parts.overrides.max_retries = Some(retries);
        self
    }

    /// Whether a POST or PATCH may be retried, overriding the client's setting.
    pub fn retry_non_idempotent(mut self, yes: bool) -> Self {
        self.parts.overrides.retry_non_idempotent = Some(yes);
        self
    }

    /// Timeout of each attempt, overriding the client's.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.parts.overrides.timeout = Some(timeout);
        self
    }

    /// A point in time by which the whole call, retries included, must be
    /// done. Give every page of a listing the same deadline to bound the listing.
    pub fn deadline(mut self, at: Instant) -> Self {
        self.parts.overrides.deadline = Some(at);
        self
    }

    /// Bounds the whole call, retries included, counted from [`send`](Self::send);
    /// overrides the client's overall timeout.
    pub fn overall_timeout(mut self, timeout: Duration) -> Self {
        self.parts.overrides.overall_timeout = Some(timeout);
        self
    }

    /// Strict decoding for this request, overriding the client's setting:
    /// a value that does not match its documented type fails the call with
    /// [`Error::Decode`] instead of becoming a warning.
    pub fn strict(mut self, yes: bool) -> Self {
        self.parts.overrides.strict = Some(yes);
        self
    }

    /// The HTTP method.
    pub fn method(&self) -> &Method {
        &self.parts.method
    }

    /// The path with its parameters encoded, relative to the base URL
    /// (empty when a parameter was invalid).
    pub fn path(&self) -> &str {
        &self.parts.path
    }

    /// The full URL the request goes to, query included.
    pub fn url(&self) -> Result<url::Url, Error> {
        if let Some(invalid) = &self.parts.invalid {
            return Err(clone_invalid(invalid));
        }
        let mut url = path::join(&self.parts.client.inner.base_url, &self.parts.path);
        if !self.parts.query.is_empty() {
            url.query_pairs_mut().extend_pairs(&self.parts.query);
        }
        Ok(url)
    }

    pub(crate) fn deadline_value(&self) -> Option<Instant> {
        self.parts.overrides.deadline
    }

    pub(crate) fn overall_timeout_value(&self) -> Option<Duration> {
        self.parts.overrides.overall_timeout
    }

    /// The settings of a call that starts at `start`: this request's
    /// overrides over the client's settings.
    fn settings(&self, start: Instant) -> Settings {
        let inner = &self.parts.client.inner;
        let o = &self.parts.overrides;
        let mut policy = inner.retry;
        if let Some(n) = o.max_retries {
            policy.max_retries = n;
        }
        if let Some(yes) = o.retry_non_idempotent {
            policy.retry_non_idempotent = yes;
        }
        let overall = o
            .overall_timeout
            .or(inner.overall_timeout)
            .and_then(|d| start.checked_add(d));
        let deadline = match (o.deadline, overall) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        let mut headers = inner.default_headers.clone();
        for (name, value) in &self.parts.headers {
            headers.insert(name.clone(), value.clone());
        }
        Settings {
            policy,
            start,
            deadline,
            attempt_timeout: o.timeout.unwrap_or(inner.timeout),
            strict: o.strict.unwrap_or(inner.strict),
            headers,
        }
    }

    /// Runs the call through the executor (see [`execute::run`]) with the
    /// settings resolved now.
    pub(crate) async fn attempt<R, F, Fut>(&self, on_success: F) -> Result<Attempted<R>, Error>
    where
        F: Fn(reqwest::Response) -> Fut,
        Fut: std::future::Future<Output = Result<R, reqwest::Error>>,
    {
        let settings = self.settings(Instant::now());
        let call = Call {
            http: &self.parts.client.inner.http,
            middleware: &self.parts.client.inner.middleware,
            method: &self.parts.method,
            url: self.url()?,
            route: &self.parts.route,
            body: self.parts.body.as_ref(),
        };
        execute::run(call, settings, on_success).await
    }
}

impl<T: ResponseData> Request<T> {
    /// Sends the request, retrying as the retry policy says
    /// (see [`crate::retry`]), and decodes the response.
    ///
    /// On a list endpoint this is single-page access: the page the query
    /// asks for (the first by default), with its `result_info`; see
    /// [`pages`](Self::pages) and [`items`](Self::items) for all of them.
    pub async fn send(self) -> Result<Response<T>, Error> {
        self.send_decoded().await.map(|decoded| decoded.response)
    }

    /// [`send`](Self::send), also returning the data's raw JSON.
    pub(crate) async fn send_decoded(self) -> Result<Decoded<T>, Error> {
        let buffer = |response: reqwest::Response| async move {
            let status = response.status();
            let headers = response.headers().clone();
            let body = response.bytes().await?;
            Ok((status, headers, body))
        };
        let attempted = self.attempt(buffer).await?;
        let span = attempted.span;
        let (status, headers, body) = attempted.value;
        let received = Received {
            status,
            headers,
            body,
            attempts: attempted.attempts,
            strict: attempted.settings.strict,
            // The caller of `items()` never sees a page's warnings, only those its `Warnings`
            // keeps: build no more than it has room for; the rest are counted.
            keep: match &self.parts.warnings {
                Some(collected) if self.parts.listing.items_only => collected.room(),
                _ => usize::MAX,
            },
        };
        let mut decoded = T::decode(&self.parts.data_at, received).inspect_err(|error| {
            execute::record_error(&span, error);
        })?;
        let warnings = &mut decoded.response.warnings;
        if !warnings.is_empty() || !decoded.counted.is_empty() {
            let kinds = drift::kinds_of(warnings, &decoded.counted);
            self.parts
                .client
                .inner
                .drift
                .note(&self.parts.route, &kinds);
            if let Some(collected) = &self.parts.warnings {
                let kinds = drift::owned_kinds(kinds);
                if self.parts.listing.items_only {
                    collected.record_owned(std::mem::take(warnings), kinds);
                } else {
                    collected.record(warnings, kinds);
                }
            }
        }
        Ok(decoded)
    }
}

impl<T> Clone for Request<T> {
    fn clone(&self) -> Self {
        Request::of(self.parts.clone())
    }
}

impl Clone for Parts {
    fn clone(&self) -> Self {
        Parts {
            client: self.client.clone(),
            method: self.method.clone(),
            path: self.path.clone(),
            route: self.route.clone(),
            query: self.query.clone(),
            body: self.body.clone(),
            headers: self.headers.clone(),
            invalid: self.invalid.as_ref().map(clone_invalid),
            data_at: self.data_at,
            overrides: self.overrides,
            pagination: self.pagination,
            listing: self.listing,
            warnings: self.warnings.clone(),
        }
    }
}

impl<T> fmt::Debug for Request<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.parts.fmt(f)
    }
}

/// Written as `Request`: what a caller printing a request sees.
impl fmt::Debug for Parts {
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
            .field("listing", &self.listing)
            .field("records_warnings", &self.warnings.is_some())
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
        // Its message as it was: `to_string` would repeat the "invalid request: " prefix.
        Error::InvalidRequest { message } => Error::InvalidRequest {
            message: message.clone(),
        },
        other => Error::InvalidRequest {
            message: other.to_string(),
        },
    }
}
