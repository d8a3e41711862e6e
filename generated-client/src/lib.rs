//! A typed async client for the Cloudflare API, generated from its Markdown
//! docs on a small hand-written [`runtime`].
//!
//! ```no_run
//! # async fn demo() -> Result<(), cloudflare_client::Error> {
//! use cloudflare_client::audit_logs::ListAccountAuditLogsV2Params as Params;
//! use cloudflare_client::Client;
//! use futures::TryStreamExt;
//!
//! // CLOUDFLARE_API_TOKEN, or CLOUDFLARE_API_KEY + CLOUDFLARE_EMAIL, ...
//! let client = Client::from_env()?;
//! // Or explicitly:
//! let client = Client::builder().api_token("my-token").max_retries(3).build()?;
//!
//! // Every endpoint is a method on its group's handle; parameters are set by name.
//! let params = Params::new().since("2024-10-30").before("2024-10-31");
//! let mut logs = client
//!     .audit_logs()
//!     .list_account_audit_logs_v2("023e105f4ecef8ad9ca31a8372d0c353", &params)
//!     .items();
//! while let Some(log) = logs.try_next().await? {
//!     println!("{:?} {:?}", log.action, log.actor);
//! }
//!
//! // A path the docs do not cover, with the same auth, retries, envelope and errors.
//! let zone: serde_json::Value = client
//!     .get("/zones/{zone_id}", &[("zone_id", "023e105f4ecef8ad9ca31a8372d0c353")])
//!     .send()
//!     .await?
//!     .data;
//! println!("{zone}");
//! # Ok(()) }
//! ```
//!
//! Every endpoint, by REST method and path, with its Rust call: [`endpoints`].
//!
//! Every call is retried on HTTP 408, 429, 5xx, connection errors and
//! timeouts (idempotent methods only, unless opted in), honouring
//! `Retry-After`; see [`runtime::retry`] for the policy and its constants.
//! One overall deadline can bound a call, or a whole listing walked with
//! `Request::pages` / `Request::items`: named streams ([`Pages`], [`Items`])
//! that need no pinning, can be bounded (`max_pages`, `max_items`) and
//! resumed from a saved [`ResumePoint`].
//!
//! [`Client::request`](runtime::Client::request) calls any path the generated endpoints do not cover,
//! with the same auth, retries, envelope and errors. The builder takes the
//! caller's `reqwest::Client`, default headers and a
//! [`Middleware`](runtime::Middleware) run around every attempt; every call
//! is a `tracing` span with OpenTelemetry's HTTP client fields.
//!
//! Errors are one type, [`Error`], that keeps every Cloudflare error code,
//! the `cf-ray` id, and an excerpt of unexpected bodies. A response value
//! whose JSON type differs from the docs does not fail the call: it reads as
//! absent and is reported in [`Response::warnings`] (see [`runtime::lenient`]),
//! unless the client or request is in strict mode. Credentials never appear
//! in `Debug`, `Display`, errors or logs.
//!
//! Tests of code that calls the API need no network and no hand-written
//! fakes: the `mock` feature (for dev-dependencies) adds `mock`, a local
//! Cloudflare API on 127.0.0.1 generated from the same docs as this crate.
//! It checks each request against its endpoint's documented parameters and
//! body, answers in the envelope with data synthesized from the docs or set by
//! the test, keeps state for REST collections, pages listings by each
//! endpoint's rule, misbehaves on demand (429, 5xx, delays, dropped
//! connections, drift) and records what it was sent:
//!
//! ```no_run
//! # // This crate dev-depends on itself with `mock`: its doctests see the feature.
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use cloudflare_client::mock;
//!
//! let server = mock::start().await?;
//! let client: cloudflare_client::Client = server.client();
//! // ... the code under test calls `client` ...
//! let sent = server.requests_to(&mock::dns_records_for_a_zone::CREATE_DNS_RECORD);
//! # let _ = (client, sent);
//! # Ok(()) }
//! ```
//!
//! The README's "Testing your code" section has a complete test.

#![deny(missing_docs)]
// docs.rs (nightly, `--cfg docsrs`) labels each group's module with its Cargo feature.
#![cfg_attr(docsrs, feature(doc_cfg))]

// The README's Rust examples are doctests of this crate: they compile, and stay true.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeDoctests;

/// The hand-written runtime every endpoint builds on (the `cloudflare-client-runtime` crate):
/// generated code reaches it through this one path, `crate::runtime`.
#[doc(inline)]
pub use cloudflare_client_runtime as runtime;

// Generated code keeps prettyplease's layout (the freshness check compares it byte for
// byte), so `cargo fmt` leaves it alone.
#[rustfmt::skip]
mod generated;
#[allow(unused_imports)]
pub use generated::*;

pub use runtime::{
    ApiError, ApiMessage, Cursors, DecodeWarning, Error, ErrorSource, Extra, Items, PageToken,
    Pages, RawBody, RawStream, Request, Response, ResultInfo, ResumePoint, RetryPolicy, Secret,
};
