//! The call and its settings: the [`Client`](client::Client) engine and its builder, one
//! [`Request`](request::Request) builder per call, credentials, path templates, query
//! parameters, typed request bodies (JSON, multipart, form), date-time values, and raw
//! streamed bodies.

pub mod auth;
pub(crate) mod body;
pub mod client;
pub mod multipart;
pub mod path;
pub(crate) mod query;
pub mod request;
pub(crate) mod setter;
pub(crate) mod stream;
pub(crate) mod timestamp;
