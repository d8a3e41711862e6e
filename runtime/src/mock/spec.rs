//! The mock, what it is told: the documented endpoints it serves ([`Endpoint`]), the faults a
//! test asks for, and what it records of each request.

use std::time::Duration;

use serde_json::Value;

use super::shape::Shape;
use crate::Pagination;

/// The path of the API on the mock, as on `api.cloudflare.com`: every endpoint's template is
/// below it.
pub const BASE_PATH: &str = "/client/v4";

/// The API token of a client [`MockServer::client`] makes. The mock accepts any credentials
/// and never records them.
pub const MOCK_TOKEN: &str = "mock-api-token";

/// The error code of a request no documented endpoint matches (404, or 405 when the path
/// matches but the method does not): the code Cloudflare's schema shows for "No route for
/// the URI".
pub const CODE_NO_ROUTE: i64 = 7003;

/// The error code of a request an endpoint's documentation refuses (400): a required
/// parameter missing, a value of the wrong type, a body that is not the documented JSON.
/// Cloudflare answers many such errors with 10000 too.
pub const CODE_INVALID: i64 = 10000;

/// The error code of a fault the test asked for ([`Fault::Status`]).
pub const CODE_FAULT: i64 = 10001;

/// One documented endpoint as the mock serves it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Endpoint {
    /// The endpoint's name in requests' records and errors (`dns_records::list_dns_records`).
    pub name: &'static str,
    /// The HTTP method, upper case.
    pub method: &'static str,
    /// The path template below [`BASE_PATH`]; each `{param}` matches one non-empty segment.
    pub template: &'static str,
    /// The documented query parameters. Others are accepted (Cloudflare ignores them) and
    /// recorded.
    pub query: &'static [Param],
    /// The documented header parameters (names in lower case), checked as the query's are.
    pub headers: &'static [Param],
    /// What the request body must be.
    pub body: Body,
    /// The documented success status.
    pub status: u16,
    /// The data answered until a test sets its own ([`MockServer::respond`]): JSON text, or
    /// empty for `null`.
    pub data: &'static str,
    /// Where the data sits in the body: the keys of the docs' `Data is at` note (`["result"]`:
    /// in the envelope), none for the whole body.
    pub data_at: &'static [&'static str],
    /// How the endpoint's listing pages, if it does: the mock then answers one page of the
    /// data's items at a time ([`PAGE_SIZE`] unless the request asks for another size), with
    /// the envelope's `result_info`.
    pub paging: Option<Pagination>,
    /// The key of the data's array that holds a listing's items (`images` for
    /// `{"images": [...]}`); empty: the data is the array.
    pub items: &'static str,
}

#[cfg(test)]
impl Endpoint {
    /// An endpoint named `name` of `method` and `template`, with nothing to check and no data,
    /// answering 200 in the envelope: what the unit tests route among.
    pub(super) const fn bare(
        name: &'static str,
        method: &'static str,
        template: &'static str,
    ) -> Endpoint {
        Endpoint {
            name,
            method,
            template,
            query: &[],
            headers: &[],
            body: Body::None,
            status: 200,
            data: "",
            data_at: &["result"],
            paging: None,
            items: "",
        }
    }
}

/// The items of a page when the request does not ask for a number.
pub const PAGE_SIZE: usize = 20;

/// A documented query or header parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Param {
    /// Its name on the wire.
    pub name: &'static str,
    /// What its value must read as.
    pub kind: ParamKind,
    /// Whether a request without it is refused.
    pub required: bool,
}

/// What a parameter's value must read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamKind {
    /// Any text.
    Text,
    /// A whole number (`-3`, `25`).
    Integer,
    /// A number (`1.5`, `2`).
    Number,
    /// `true` or `false`.
    Boolean,
    /// One of the documented values.
    OneOf(&'static [&'static str]),
    /// Anything (a list, or a type the docs leave open).
    Any,
}

/// What an endpoint's request body must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Body {
    /// No body is documented; one sent is recorded, not checked.
    None,
    /// JSON (`Content-Type: application/json`) of this shape.
    Json(Shape),
    /// `multipart/form-data`.
    Multipart,
    /// Any bytes.
    Raw,
}

/// A way to misbehave ([`MockServer::fail`]).
#[derive(Debug, Clone, PartialEq)]
pub enum Fault {
    /// Answers this status with an error envelope (a 5xx, or any other).
    Status(u16),
    /// Answers this status with this error in the envelope: an answer of the real API the
    /// docs cannot predict (`9005`, "Content for A record is invalid"), for code that acts on
    /// it.
    Error {
        /// The HTTP status.
        status: u16,
        /// The error's `code`.
        code: i64,
        /// The error's `message`.
        message: String,
    },
    /// Answers 429 with `Retry-After` (whole seconds, rounded up) and `retry-after-ms`.
    RateLimited {
        /// How long the client is told to wait.
        retry_after: Duration,
    },
    /// Answers as usual after this long.
    Delay(Duration),
    /// Closes the connection without answering.
    Disconnect,
    /// Answers 200 with this body, which is not the envelope.
    NotEnvelope(String),
    /// Answers as usual with the value at this JSON pointer into the data replaced (or added):
    /// a value that differs from the docs.
    Drift {
        /// A JSON pointer into the data (`/0/name`; empty for the data itself).
        pointer: String,
        /// The value put there.
        value: Value,
    },
}

/// How often a [`Fault`] strikes, counting the requests it applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Times {
    /// The next request only.
    Once,
    /// The next `n` requests.
    N(u32),
    /// Every request from now on.
    Always,
    /// Every `n`th request from now on (the `n`th, the `2n`th, ...): a deterministic rate.
    EveryNth(u32),
}

/// A request as the mock received it, without credentials.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordedRequest {
    /// The endpoint it matched (its [`Endpoint::name`]); `None` if none did.
    pub endpoint: Option<&'static str>,
    /// The method.
    pub method: String,
    /// The path below [`BASE_PATH`], as sent (percent-encoded).
    pub path: String,
    /// The query pairs, decoded, in order.
    pub query: Vec<(String, String)>,
    /// The headers, names lower case, in order; the values of `Authorization`,
    /// `X-Auth-Key` and `X-Auth-User-Service-Key` replaced by `<redacted>`.
    pub headers: Vec<(String, String)>,
    /// The body's bytes.
    pub body: bytes::Bytes,
    /// The status answered (0 for a dropped connection).
    pub status: u16,
    /// The `cf-ray` header answered (`000000000000002a-MCK` for the 42nd request), the id an
    /// error names ([`crate::Error::ray_id`]); also counted for a dropped connection.
    pub ray_id: String,
}

impl RecordedRequest {
    /// The body as JSON, if it is.
    pub fn json(&self) -> Option<Value> {
        serde_json::from_slice(&self.body).ok()
    }

    /// The body decoded as a `T` (a type of the test's own, or a response type of the
    /// client), with serde's error if it does not decode.
    pub fn body_as<T: serde::de::DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_slice(&self.body)
    }

    /// The value of the header `name` (any case), if sent.
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }
}
