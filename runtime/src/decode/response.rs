//! What a call returns: where the data sits ([`DataAt`]), [`Response`],
//! [`RawBody`], and the bounded body excerpts errors and `Debug` show.

use std::borrow::Cow;
use std::fmt;

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use serde::de::DeserializeOwned;

use crate::decode::envelope::{ApiMessage, ResultInfo};
use crate::decode::lenient::DecodeWarning;

/// The longest body excerpt an error carries, in bytes (before the `…` markers).
pub const EXCERPT_LEN: usize = 512;

/// Where the data sits in a JSON response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataAt {
    /// A Cloudflare envelope (`success`, `errors`, `messages`, `result`,
    /// `result_info`) with the data at `body[key0][key1]…`: the docs'
    /// `body["result"]` is `Envelope(&["result"])`. A 2xx JSON body that is not
    /// an envelope (not an object, or no `success` key) is an
    /// [`Error::NotEnvelope`](crate::Error::NotEnvelope); an empty body
    /// (a 204) decodes as `null`.
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
            .field("excerpt", &excerpt(&self.bytes))
            .finish()
    }
}

/// A successful response: the typed data and everything else the server said.
///
/// Made by the client only (`#[non_exhaustive]`: fields may be added). `Debug`
/// shows every header, with the values of those that carry credentials or
/// session state (`authorization`, `cookie`, `set-cookie`, `x-auth-key`, …)
/// replaced by `[redacted]`.
#[derive(Clone)]
#[non_exhaustive]
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
    /// absent (see [`crate::lenient`]); always empty in strict mode.
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

impl<T: fmt::Debug> fmt::Debug for Response<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Response")
            .field("data", &self.data)
            .field("result_info", &self.result_info)
            .field("messages", &self.messages)
            .field("status", &self.status)
            .field("headers", &RedactedHeaders(&self.headers))
            .field("attempts", &self.attempts)
            .field("warnings", &self.warnings)
            .finish()
    }
}

/// Headers whose values are credentials or session state, by exact name.
const SECRET_HEADERS: &[&str] = &[
    "authorization",
    "proxy-authorization",
    "cookie",
    "set-cookie",
    "x-auth-key",
    "x-auth-email",
    "x-auth-user-service-key",
    "cf-access-client-id",
    "cf-access-client-secret",
    "cf-access-jwt-assertion",
];

/// Whether a header's value must not be shown: one of [`SECRET_HEADERS`], a
/// name that says it holds a token, secret, password or key (a gateway's
/// `x-api-key`), or a value marked sensitive (every credential and
/// caller-set header the client sends is).
pub(crate) fn is_secret_header(name: &HeaderName, value: &HeaderValue) -> bool {
    let name = name.as_str();
    value.is_sensitive()
        || SECRET_HEADERS.contains(&name)
        || [
            "token", "secret", "password", "api-key", "apikey", "session",
        ]
        .iter()
        .any(|word| name.contains(word))
}

/// `Debug` for a [`HeaderMap`] that every type showing headers uses: names
/// and values, in order, with the values of [`is_secret_header`] headers
/// replaced by `[redacted]`, so a logged response never leaks a cookie or
/// a key.
pub(crate) struct RedactedHeaders<'a>(pub(crate) &'a HeaderMap);

impl fmt::Debug for RedactedHeaders<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut map = f.debug_map();
        for (name, value) in self.0 {
            if is_secret_header(name, value) {
                map.entry(&name.as_str(), &format_args!("[redacted]"));
            } else {
                map.entry(&name.as_str(), value);
            }
        }
        map.finish()
    }
}

/// The start of a body as text, at most [`EXCERPT_LEN`] bytes, cut on a
/// character boundary, with `…` when cut.
pub(crate) fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(EXCERPT_LEN + 4)]);
    let text = text.trim_start();
    if text.len() <= EXCERPT_LEN && body.len() <= EXCERPT_LEN + 4 {
        return text.trim_end().to_owned();
    }
    let mut end = EXCERPT_LEN.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &text[..end])
}
