//! Decoding: the Cloudflare [`envelope`], a response body read in one pass (`body`) into a
//! [`Response`](response::Response), and the [`lenient`] part that keeps and reports what
//! differs from the docs.

pub(crate) mod body;
pub mod envelope;
pub mod lenient;
pub(crate) mod response;
