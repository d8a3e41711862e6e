//! [`Client`] and its [`ClientBuilder`].

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use url::Url;

use crate::call::auth::{Credentials, Secret};
use crate::call::path::parse_base_url;
use crate::decode::lenient::drift::DriftLog;
use crate::error::Error;
use crate::transport::middleware::Middleware;
use crate::transport::retry::{self, RetryPolicy};

/// The API's base URL unless configured otherwise.
pub const DEFAULT_BASE_URL: &str = "https://api.cloudflare.com/client/v4";

/// The `User-Agent` the client sends: `cloudflare-client-rust/<crate version>`,
/// followed by the caller's suffix if one is configured.
pub const USER_AGENT: &str = concat!("cloudflare-client-rust/", env!("CARGO_PKG_VERSION"));

/// The environment variables [`Client::from_env`] reads, as the official SDKs do.
pub mod env {
    /// API token (Bearer).
    pub const API_TOKEN: &str = "CLOUDFLARE_API_TOKEN";
    /// Global API key; needs [`EMAIL`].
    pub const API_KEY: &str = "CLOUDFLARE_API_KEY";
    /// Account e-mail for [`API_KEY`].
    pub const EMAIL: &str = "CLOUDFLARE_EMAIL";
    /// Origin CA user service key.
    pub const API_USER_SERVICE_KEY: &str = "CLOUDFLARE_API_USER_SERVICE_KEY";
    /// Base URL, overriding the default.
    pub const BASE_URL: &str = "CLOUDFLARE_BASE_URL";
}

/// The client engine: connection pool, base URL, credentials, retries and middleware. Cheap to
/// clone: clones share one pool and configuration. `Debug` never shows credentials.
///
/// A generated crate's own `Client` wraps this one (it dereferences to it) and adds a method
/// per API group; [`ClientBuilder::build`] builds either.
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<ClientInner>,
}

pub(crate) struct ClientInner {
    pub(crate) http: reqwest::Client,
    pub(crate) base_url: Url,
    pub(crate) credentials: Credentials,
    /// The credential headers (sensitive), the User-Agent, and the caller's defaults.
    pub(crate) default_headers: HeaderMap,
    /// Run around every attempt, first one outermost.
    pub(crate) middleware: Vec<Arc<dyn Middleware>>,
    pub(crate) retry: RetryPolicy,
    pub(crate) timeout: Duration,
    pub(crate) overall_timeout: Option<Duration>,
    pub(crate) strict: bool,
    /// The drift this client (and its clones) has logged, to log each kind once.
    pub(crate) drift: DriftLog,
}

impl Client {
    /// A builder with the defaults: [`DEFAULT_BASE_URL`], no credentials,
    /// [`retry::DEFAULT_MAX_RETRIES`] retries, [`retry::DEFAULT_TIMEOUT`] per
    /// attempt, [`retry::DEFAULT_CONNECT_TIMEOUT`] to connect.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client configured from the environment: see [`ClientBuilder::from_env`].
    pub fn from_env() -> Result<Client, Error> {
        ClientBuilder::from_env()?.build()
    }

    /// The base URL every request path is joined onto.
    pub fn base_url(&self) -> &Url {
        &self.inner.base_url
    }

    /// The client's default retry settings.
    pub fn retry_policy(&self) -> RetryPolicy {
        self.inner.retry
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url.as_str())
            .field("credentials", &self.inner.credentials)
            .field("retry", &self.inner.retry)
            .field("timeout", &self.inner.timeout)
            .field("overall_timeout", &self.inner.overall_timeout)
            .field("strict", &self.inner.strict)
            .field(
                "default_header_names",
                &self
                    .inner
                    .default_headers
                    .keys()
                    .map(HeaderName::as_str)
                    .collect::<Vec<_>>(),
            )
            .field("middlewares", &self.inner.middleware.len())
            .finish_non_exhaustive()
    }
}

/// Configures a client. Nothing is checked until [`build`](Self::build), which makes a `C`: this
/// crate's [`Client`] by default, or a generated crate's client that wraps it (any type that is
/// `From<Client>`).
pub struct ClientBuilder<C = Client> {
    base_url: Option<String>,
    credentials: Credentials,
    connect_timeout: Option<Duration>,
    timeout: Option<Duration>,
    overall_timeout: Option<Duration>,
    retry: RetryPolicy,
    user_agent_suffix: Option<String>,
    http_client: Option<reqwest::Client>,
    strict: bool,
    /// `Some(false)` when compression is turned off.
    compression: Option<bool>,
    /// The caller's default headers, over the client's own.
    headers: HeaderMap,
    /// The first invalid default header, reported by `build`.
    invalid_header: Option<String>,
    middleware: Vec<Arc<dyn Middleware>>,
    /// What `build` makes.
    output: PhantomData<fn() -> C>,
}

// By hand: derived impls would require `C: Clone` and `C: Default`.
impl<C> Clone for ClientBuilder<C> {
    fn clone(&self) -> Self {
        ClientBuilder {
            base_url: self.base_url.clone(),
            credentials: self.credentials.clone(),
            connect_timeout: self.connect_timeout,
            timeout: self.timeout,
            overall_timeout: self.overall_timeout,
            retry: self.retry,
            user_agent_suffix: self.user_agent_suffix.clone(),
            http_client: self.http_client.clone(),
            strict: self.strict,
            compression: self.compression,
            headers: self.headers.clone(),
            invalid_header: self.invalid_header.clone(),
            middleware: self.middleware.clone(),
            output: PhantomData,
        }
    }
}

impl<C> Default for ClientBuilder<C> {
    fn default() -> Self {
        ClientBuilder {
            base_url: None,
            credentials: Credentials::default(),
            connect_timeout: None,
            timeout: None,
            overall_timeout: None,
            retry: RetryPolicy::default(),
            user_agent_suffix: None,
            http_client: None,
            strict: false,
            compression: None,
            headers: HeaderMap::new(),
            invalid_header: None,
            middleware: Vec::new(),
            output: PhantomData,
        }
    }
}

impl<C> ClientBuilder<C> {
    /// A builder reading the same variables as the official SDKs:
    /// `CLOUDFLARE_API_TOKEN`, or `CLOUDFLARE_API_KEY` with `CLOUDFLARE_EMAIL`,
    /// and/or `CLOUDFLARE_API_USER_SERVICE_KEY` (every one that is set is
    /// used), plus `CLOUDFLARE_BASE_URL`. Fails with [`Error::Config`] when no
    /// credential is set, or an API key is set without its e-mail.
    pub fn from_env() -> Result<Self, Error> {
        Self::from_env_vars(|name| std::env::var(name).ok())
    }

    /// Like [`from_env`](Self::from_env), reading the variables through `lookup`
    /// (empty values count as unset).
    pub fn from_env_vars(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, Error> {
        let var = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
        let mut builder = Self::default();
        if let Some(token) = var(env::API_TOKEN) {
            builder = builder.api_token(token);
        }
        match (var(env::API_KEY), var(env::EMAIL)) {
            (Some(key), Some(email)) => builder = builder.api_key(key, email),
            (Some(_), None) => {
                return Err(Error::Config {
                    message: format!(
                        "{} is set but {} is not; an API key needs its account e-mail",
                        env::API_KEY,
                        env::EMAIL
                    ),
                });
            }
            _ => {}
        }
        if let Some(key) = var(env::API_USER_SERVICE_KEY) {
            builder = builder.user_service_key(key);
        }
        if builder.credentials.is_empty() {
            return Err(Error::Config {
                message: format!(
                    "no Cloudflare credentials in the environment: set {} (recommended), or {} and {}, or {}",
                    env::API_TOKEN,
                    env::API_KEY,
                    env::EMAIL,
                    env::API_USER_SERVICE_KEY
                ),
            });
        }
        if let Some(url) = var(env::BASE_URL) {
            builder = builder.base_url(url);
        }
        Ok(builder)
    }

    /// The base URL (default [`DEFAULT_BASE_URL`]); must be `http` or `https`.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// An API token, sent as `Authorization: Bearer <token>`.
    pub fn api_token(mut self, token: impl Into<Secret>) -> Self {
        self.credentials.api_token = Some(token.into());
        self
    }

    /// A global API key and its account e-mail, sent as `X-Auth-Key` and `X-Auth-Email`.
    pub fn api_key(mut self, key: impl Into<Secret>, email: impl Into<String>) -> Self {
        self.credentials.api_key = Some((key.into(), Secret::new(email)));
        self
    }

    /// An Origin CA user service key, sent as `X-Auth-User-Service-Key`.
    pub fn user_service_key(mut self, key: impl Into<Secret>) -> Self {
        self.credentials.user_service_key = Some(key.into());
        self
    }

    /// Timeout of establishing a connection (default [`retry::DEFAULT_CONNECT_TIMEOUT`]).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// Timeout of one attempt, from sending to the end of the body (default
    /// [`retry::DEFAULT_TIMEOUT`]). A timed-out attempt is retried.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Bounds every call, retries and backoff included (default: none).
    /// Requests can set their own with [`Request::deadline`](crate::Request::deadline).
    pub fn overall_timeout(mut self, timeout: Duration) -> Self {
        self.overall_timeout = Some(timeout);
        self
    }

    /// Retries after the first attempt (default [`retry::DEFAULT_MAX_RETRIES`]; 0 disables).
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.retry.max_retries = retries;
        self
    }

    /// Retry POST and PATCH too (default: only idempotent methods are retried).
    pub fn retry_non_idempotent(mut self, yes: bool) -> Self {
        self.retry.retry_non_idempotent = yes;
        self
    }

    /// Backoff before the first retry (default [`retry::INITIAL_BACKOFF`]).
    pub fn initial_backoff(mut self, backoff: Duration) -> Self {
        self.retry.initial_backoff = backoff;
        self
    }

    /// Upper bound of the backoff (default [`retry::MAX_BACKOFF`]).
    pub fn max_backoff(mut self, backoff: Duration) -> Self {
        self.retry.max_backoff = backoff;
        self
    }

    /// Longest `Retry-After` honoured (default [`retry::MAX_RETRY_AFTER`]).
    pub fn max_retry_after(mut self, delay: Duration) -> Self {
        self.retry.max_retry_after = delay;
        self
    }

    /// Strict decoding (default: off): a response value that does not match
    /// its documented type fails the call with [`Error::Decode`] instead of
    /// being read as absent with a warning in
    /// [`Response::warnings`](crate::Response::warnings). For CI
    /// against a staging API.
    pub fn strict(mut self, yes: bool) -> Self {
        self.strict = yes;
        self
    }

    /// Compressed responses (default: on). On, the client sends `Accept-Encoding: gzip, br`
    /// and decodes gzip and brotli bodies transparently, for JSON and raw bodies
    /// ([`RawBody`](crate::RawBody), [`RawStream`](crate::RawStream)) alike;
    /// a compressed body that is corrupt or cut short is an [`Error::Transport`], retried like
    /// one. Off, the client sends `Accept-Encoding: identity` and decodes nothing: for a link
    /// where CPU costs more than bytes (a local mock), or to see the bytes as sent. With
    /// [`http_client`](Self::http_client), that client's own decompression settings apply;
    /// off still asks for `identity`.
    pub fn compression(mut self, yes: bool) -> Self {
        self.compression = Some(yes);
        self
    }

    /// Text appended to the User-Agent, e.g. `my-app/1.2`.
    pub fn user_agent_suffix(mut self, suffix: impl Into<String>) -> Self {
        self.user_agent_suffix = Some(suffix.into());
        self
    }

    /// Use this `reqwest` client (e.g. with a proxy, custom TLS or DNS, or a
    /// connection pool shared with the rest of the program). Every attempt goes
    /// through it, with the auth, User-Agent and default headers of this
    /// builder added; its own settings (timeouts, default headers a request
    /// does not set, decompression) then apply instead of
    /// [`connect_timeout`](Self::connect_timeout) and
    /// [`compression`](Self::compression)'s decoding.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    /// A header sent with every request, e.g. a tenant or tracing header for
    /// a proxy in front of the API. It replaces a header of the same name the
    /// client would send itself (User-Agent, `Accept-Encoding`, even a
    /// credential header); a request's own [`header`](crate::Request::header)
    /// replaces it in turn. Its value is marked sensitive and never logged.
    /// An invalid name or value fails [`build`](Self::build) with [`Error::Config`].
    pub fn default_header(mut self, name: &str, value: &str) -> Self {
        let parsed = HeaderName::from_bytes(name.as_bytes());
        match (parsed, HeaderValue::from_str(value)) {
            (Ok(name), Ok(value)) => {
                self.headers.append(name, value);
            }
            (Err(_), _) => {
                self.invalid_header
                    .get_or_insert(format!("invalid default header name {name:?}"));
            }
            (Ok(name), Err(_)) => {
                // The value is not echoed: it may be a credential.
                self.invalid_header
                    .get_or_insert(format!("invalid value for default header {name}"));
            }
        }
        self
    }

    /// Headers sent with every request, as with [`default_header`](Self::default_header)
    /// (added to any set before; a name given several values sends them all).
    pub fn default_headers(mut self, headers: HeaderMap) -> Self {
        for (name, value) in &headers {
            self.headers.append(name.clone(), value.clone());
        }
        self
    }

    /// Runs `middleware` around every attempt of every call: see
    /// [`Middleware`]. Several run in
    /// the order they were added, the first one outermost.
    pub fn middleware(mut self, middleware: impl Middleware) -> Self {
        self.middleware.push(Arc::new(middleware));
        self
    }

    /// Checks the configuration and builds the client. Fails with
    /// [`Error::InvalidBaseUrl`] for a base URL that is not `http(s)`.
    /// A client without credentials is allowed (e.g. for a local mock).
    pub fn build(self) -> Result<C, Error>
    where
        C: From<Client>,
    {
        let base_url = parse_base_url(self.base_url.as_deref().unwrap_or(DEFAULT_BASE_URL))?;
        let mut default_headers = self.credentials.headers()?;
        let user_agent = match &self.user_agent_suffix {
            Some(suffix) => format!("{USER_AGENT} {suffix}"),
            None => USER_AGENT.to_owned(),
        };
        let user_agent = HeaderValue::from_str(&user_agent).map_err(|_| Error::Config {
            message:
                "the User-Agent suffix contains characters that are not allowed in an HTTP header"
                    .to_owned(),
        })?;
        default_headers.insert(reqwest::header::USER_AGENT, user_agent);
        let compression = self.compression.unwrap_or(true);
        if !compression {
            default_headers.insert(
                reqwest::header::ACCEPT_ENCODING,
                HeaderValue::from_static("identity"),
            );
        }
        if let Some(message) = self.invalid_header {
            return Err(Error::Config { message });
        }
        for name in self.headers.keys() {
            default_headers.remove(name);
        }
        for (name, value) in &self.headers {
            let mut value = value.clone();
            value.set_sensitive(true);
            default_headers.append(name.clone(), value);
        }
        let http = match self.http_client {
            Some(http) => http,
            None => reqwest::Client::builder()
                .connect_timeout(
                    self.connect_timeout
                        .unwrap_or(retry::DEFAULT_CONNECT_TIMEOUT),
                )
                // With compression, reqwest adds `Accept-Encoding: gzip, br` to every request
                // that has none and decodes the bodies that say `Content-Encoding: gzip`/`br`.
                .gzip(compression)
                .brotli(compression)
                .build()
                .map_err(|e| Error::Config {
                    message: format!("cannot build the HTTP client: {e}"),
                })?,
        };
        Ok(C::from(Client {
            inner: Arc::new(ClientInner {
                http,
                base_url,
                credentials: self.credentials,
                default_headers,
                retry: self.retry,
                timeout: self.timeout.unwrap_or(retry::DEFAULT_TIMEOUT),
                overall_timeout: self.overall_timeout,
                strict: self.strict,
                drift: DriftLog::default(),
                middleware: self.middleware,
            }),
        }))
    }
}

impl<C> fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url.as_deref().map(redact_userinfo))
            .field("credentials", &self.credentials)
            .field("connect_timeout", &self.connect_timeout)
            .field("timeout", &self.timeout)
            .field("overall_timeout", &self.overall_timeout)
            .field("retry", &self.retry)
            .field("user_agent_suffix", &self.user_agent_suffix)
            .field("strict", &self.strict)
            .field("compression", &self.compression.unwrap_or(true))
            .field(
                "default_header_names",
                &self
                    .headers
                    .keys()
                    .map(HeaderName::as_str)
                    .collect::<Vec<_>>(),
            )
            .field("middlewares", &self.middleware.len())
            .field("http_client", &self.http_client.is_some())
            .finish_non_exhaustive()
    }
}

/// A URL for display, with any `user:password@` replaced.
fn redact_userinfo(raw: &str) -> String {
    match Url::parse(raw) {
        Ok(mut url) if !url.username().is_empty() || url.password().is_some() => {
            let _ = url.set_username("redacted");
            let _ = url.set_password(None);
            url.to_string()
        }
        Ok(_) => raw.to_owned(),
        Err(_) if raw.contains('@') => "[redacted]".to_owned(),
        Err(_) => raw.to_owned(),
    }
}
