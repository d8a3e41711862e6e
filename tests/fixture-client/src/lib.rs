//! The emitter's fixtures as one crate on the real runtime: whatever the fixtures throw at the
//! generator (hostile keys, duplicate summaries, every shape) must compile without warnings.

/// The runtime, reached by generated code as `crate::runtime`, as in `generated-client`.
pub use cloudflare_client_runtime as runtime;

// Generated code keeps prettyplease's layout (the freshness check compares it byte for
// byte), so `cargo fmt` leaves it alone.
#[rustfmt::skip]
mod generated;
pub use generated::*;
