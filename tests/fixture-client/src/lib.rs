//! The emitter's fixtures as one crate on the real runtime: whatever the fixtures throw at the
//! generator (hostile keys, duplicate summaries, every shape, docs of other APIs) must compile,
//! lint and document without warnings, and its doc examples must compile.

/// The runtime, reached by generated code as `crate::runtime`, as in `generated-client`.
pub use cloudflare_client_runtime as runtime;

// Generated code keeps prettyplease's layout (the freshness check compares it byte for
// byte), so `cargo fmt` leaves it alone.
#[rustfmt::skip]
mod generated;
pub use generated::*;

// What generated-client's root re-exports, so the generated doc examples (`fixture_client::Error`)
// compile here as they do there.
pub use runtime::{
    ApiError, ApiMessage, Cursors, DecodeWarning, Error, ErrorSource, Extra, Items, PageToken,
    Pages, RawBody, RawStream, Request, Response, ResultInfo, ResumePoint, RetryPolicy, Secret,
};
