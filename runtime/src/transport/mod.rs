//! Transport and retries: one call's attempts over HTTP (`execute`), the [`retry`] policy that
//! spaces them, and the [`middleware`] run around each.

pub(crate) mod execute;
pub mod middleware;
pub mod retry;
