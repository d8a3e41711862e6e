//! What a call returns: where the data sits ([`DataAt`]), [`Response`],
//! [`RawBody`], and the bounded body excerpts errors and `Debug` show.

use std::borrow::Cow;
use std::fmt;

use bytes::Bytes;
use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use serde::de::DeserializeOwned;

use crate::runtime::envelope::{ApiMessage, ResultInfo};
use crate::runtime::lenient::DecodeWarning;

/// The longest body excerpt an error carries, in bytes (before the `…` markers).
pub const EXCERPT_LEN: usize = 512;

/// Where the data sits in a JSON response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataAt {
    /// A Cloudflare envelope (`success`, `errors`, `messages`, `result`,
    /// `result_info`) with the data at `body[key0][key1]…`: the docs'
    /// `body["result"]` is `Envelope(&["result"])`. A 2xx JSON body that is not
    /// an envelope (not an object, or no `success` key) is an
    /// [`Error::NotEnvelope`](crate::runtime::Error::NotEnvelope); an empty body
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
