//! The hand-written runtime every generated endpoint builds on: the
//! [`Client`], one [`Request`] type, the Cloudflare envelope, the one
//! [`Error`] type, path encoding, the retry policy, [`Pagination`] that
//! always ends, [`RawStream`] bodies, and the `open_enum!` and
//! `response_object!` macros behind every response enum and struct.
//!
//! This module refers to itself only as `crate::runtime`, so the generator
//! can copy it into any standalone crate.

pub mod auth;
// The macros' expansions in generated modules name these two. What only the generated response
// types use is dead in a build with no API group enabled: allowed there, linted in `full`.
#[cfg_attr(not(feature = "full"), allow(dead_code))]
pub(crate) mod capture;
pub mod client;
mod decode;
pub mod drift;
pub mod envelope;
pub mod error;
mod execute;
#[cfg_attr(not(feature = "full"), allow(dead_code))]
mod extra;
pub mod lenient;
mod members;
pub mod middleware;
#[cfg_attr(not(feature = "full"), allow(dead_code))]
pub(crate) mod object;
mod open_enum;
mod paginate;
pub mod path;
mod query;
pub mod request;
mod response;
pub mod retry;
#[cfg_attr(not(feature = "full"), allow(dead_code))]
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
#[doc(hidden)]
#[allow(unused_imports)] // A crate generated from docs without response objects.
pub(crate) use object::response_object;
#[doc(hidden)]
#[allow(unused_imports)] // A crate generated from docs without response enums.
pub(crate) use open_enum::open_enum;
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
