//! The hand-written runtime every generated Cloudflare client builds on: the
//! [`Client`] engine, one [`Request`] type, the Cloudflare envelope, the one
//! [`Error`] type, path encoding, the retry policy, [`Pagination`] that
//! always ends, [`RawStream`] bodies, and the `open_enum!`, `response_object!`
//! and `response_union!` macros behind every response enum, struct and union.
//!
//! A generated crate depends on this crate and reaches it through one path,
//! `crate::runtime` (`pub use cloudflare_client_runtime as runtime;` in its
//! root); its own `Client` wraps [`Client`] and adds one method per API group.
//! Users rarely name this crate: the generated crate re-exports what they use.

#![deny(missing_docs)]

// One room per job: the call and its settings, transport and retries, decoding (the lenient
// part in a room of its own inside it), listings; and the one error type.
mod call;
mod decode;
// What `response_object!`, `object_serialize!` and `value_enum!` expand to name
// (`$crate::encode::…`).
#[doc(hidden)]
pub mod encode;
pub mod error;
mod listing;
#[cfg(feature = "mock")]
pub mod mock;
mod transport;

// The public module paths, wherever their room is.
pub use call::{auth, client, multipart, path, request};
pub use decode::envelope;
pub use decode::lenient;
pub use decode::lenient::drift;
pub use transport::{middleware, retry};
// What the `response_object!` expansion names (`$crate::capture::…`, `$crate::object::…`).
#[doc(hidden)]
pub use decode::lenient::{capture, object, union};

pub use auth::{Credentials, Secret};
/// Re-exported: raw request bodies and file parts take it.
pub use bytes::Bytes;
pub use client::{Client, ClientBuilder, DEFAULT_BASE_URL, USER_AGENT};
pub use decode::body::ResponseData;
pub use drift::{DriftKind, LISTING_WARNINGS_KEPT, Warnings};
pub use encode::CommaList;
pub use envelope::{ApiError, ApiMessage, Cursors, ErrorSource, ResultInfo};
pub use error::Error;
pub use lenient::DecodeWarning;
pub use lenient::Extra;
pub use listing::paginate::{ListResult, PageToken, Pagination, ResumePoint};
pub use middleware::Middleware;
pub use multipart::{FilePart, FileParts, Multipart, MultipartBody};
// Generation plumbing: what generated endpoints are built from, hidden from the docs;
// callers use `Client::request`.
pub use call::body::{RequiredFields, missing, missing_in};
pub use call::stream::RawStream;
pub use call::timestamp::Timestamp;
#[doc(hidden)]
pub use decode::response::RESULT;
pub use decode::response::{DataAt, EXCERPT_LEN, RawBody, Response};
pub use listing::walk::{Items, MAX_EMPTY_PAGES, Pages};
#[doc(hidden)]
pub use path::PathPart;
pub use request::Request;
/// Re-exported so callers need no direct `reqwest` dependency.
pub use reqwest::{Method, StatusCode, header};
pub use retry::RetryPolicy;
