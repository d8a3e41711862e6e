//! The hand-written runtime every generated Cloudflare client builds on: the
//! [`Client`] engine, one [`Request`] type, the Cloudflare envelope, the one
//! [`Error`] type, path encoding, the retry policy, [`Pagination`] that
//! always ends, [`RawStream`] bodies, and the `open_enum!` and
//! `response_object!` macros behind every response enum and struct.
//!
//! A generated crate depends on this crate and reaches it through one path,
//! `crate::runtime` (`pub use cloudflare_client_runtime as runtime;` in its
//! root); its own `Client` wraps [`Client`] and adds one method per API group.
//! Users rarely name this crate: the generated crate re-exports what they use.

#![deny(missing_docs)]

pub mod auth;
// The macros' expansions in generated modules name these two: public for them, hidden from
// the docs.
#[doc(hidden)]
pub mod capture;
pub mod client;
mod decode;
pub mod drift;
pub mod envelope;
pub mod error;
mod execute;
mod extra;
pub mod lenient;
mod members;
pub mod middleware;
#[doc(hidden)]
pub mod object;
mod open_enum;
mod paginate;
pub mod path;
mod query;
pub mod request;
mod response;
pub mod retry;
mod scope;
mod stream;
mod timestamp;
mod walk;

pub use auth::{Credentials, Secret};
pub use client::{Client, ClientBuilder, DEFAULT_BASE_URL, USER_AGENT};
pub use decode::ResponseData;
pub use drift::{DriftKind, LISTING_WARNINGS_KEPT, Warnings};
pub use envelope::{ApiError, ApiMessage, Cursors, ErrorSource, ResultInfo};
pub use error::Error;
pub use extra::Extra;
pub use lenient::DecodeWarning;
pub use middleware::Middleware;
pub use paginate::{ListResult, PageToken, Pagination, ResumePoint};
// Generation plumbing: what generated endpoints are built from, hidden from the docs;
// callers use `Client::request`.
#[doc(hidden)]
pub use path::PathPart;
pub use request::Request;
/// Re-exported so callers need no direct `reqwest` dependency.
pub use reqwest::{Method, StatusCode, header};
#[doc(hidden)]
pub use response::RESULT;
pub use response::{DataAt, EXCERPT_LEN, RawBody, Response};
pub use retry::RetryPolicy;
pub use stream::RawStream;
pub use timestamp::Timestamp;
pub use walk::{Items, MAX_EMPTY_PAGES, Pages};
