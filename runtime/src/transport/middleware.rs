//! [`Middleware`]: the caller's code around every attempt of every call.
//!
//! Registered with
//! [`ClientBuilder::middleware`](crate::ClientBuilder::middleware),
//! a middleware runs inside the retry loop, once per attempt: it sees the
//! request as it is about to be sent (headers included, credentials too:
//! it is the caller's own code), may change it, hands it on with
//! [`Next::run`], and sees what came back: the response head (status and
//! headers; the body is read afterwards, by the client) or the transport
//! error. It can also answer without sending anything, with a
//! `reqwest::Response` made from an `http::Response`.
//!
//! ```no_run
//! use cloudflare_client_runtime::middleware::{Attempt, Middleware, Next};
//! use futures::future::BoxFuture;
//!
//! /// Tags every attempt and logs what it got.
//! struct Tag;
//!
//! impl Middleware for Tag {
//!     fn handle<'a>(
//!         &'a self,
//!         mut request: reqwest::Request,
//!         attempt: &'a Attempt,
//!         next: Next<'a>,
//!     ) -> BoxFuture<'a, Result<reqwest::Response, reqwest::Error>> {
//!         Box::pin(async move {
//!             let number = attempt.number.to_string();
//!             request.headers_mut().insert("x-attempt", number.parse().unwrap());
//!             let outcome = next.run(request).await;
//!             eprintln!("{} {} #{}: {:?}", attempt.method, attempt.route, attempt.number,
//!                 outcome.as_ref().map(|r| r.status()));
//!             outcome
//!         })
//!     }
//! }
//!
//! # fn main() -> Result<(), cloudflare_client_runtime::Error> {
//! let client = cloudflare_client_runtime::Client::builder().api_token("t").middleware(Tag).build()?;
//! # Ok(()) }
//! ```

use std::fmt;
use std::sync::Arc;

use futures::future::BoxFuture;
use reqwest::Method;

/// One attempt of a call, as a [`Middleware`] sees it.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Attempt {
    /// The call's HTTP method.
    pub method: Method,
    /// The path template, e.g. `/accounts/{account_id}/audit_logs`: the
    /// endpoint, without the caller's identifiers.
    pub route: String,
    /// 1 for the first attempt, 2 for the first retry, and so on.
    pub number: u32,
}

/// Code run around every attempt: see the [module docs](self).
///
/// Middlewares run in the order they were added, the first one outermost.
/// An attempt that passes its time limit is dropped where it stands, so a
/// middleware awaiting [`Next::run`] then does not see an outcome (the
/// call's `tracing` span records the timeout). What a middleware returns is
/// what the client's retry policy judges: a 503 it returns is retried like
/// one from the server.
pub trait Middleware: Send + Sync + 'static {
    /// Handles one attempt: usually changes `request`, calls
    /// `next.run(request)`, looks at the outcome and returns it.
    fn handle<'a>(
        &'a self,
        request: reqwest::Request,
        attempt: &'a Attempt,
        next: Next<'a>,
    ) -> BoxFuture<'a, Result<reqwest::Response, reqwest::Error>>;
}

/// The rest of the chain: the middlewares after this one, then the HTTP client.
pub struct Next<'a> {
    http: &'a reqwest::Client,
    chain: &'a [Arc<dyn Middleware>],
    attempt: &'a Attempt,
}

impl<'a> Next<'a> {
    pub(crate) fn new(
        http: &'a reqwest::Client,
        chain: &'a [Arc<dyn Middleware>],
        attempt: &'a Attempt,
    ) -> Self {
        Next {
            http,
            chain,
            attempt,
        }
    }

    /// Sends `request` through the rest of the chain and returns what came back.
    pub fn run(
        self,
        request: reqwest::Request,
    ) -> BoxFuture<'a, Result<reqwest::Response, reqwest::Error>> {
        match self.chain.split_first() {
            Some((first, rest)) => first.handle(
                request,
                self.attempt,
                Next::new(self.http, rest, self.attempt),
            ),
            None => Box::pin(self.http.execute(request)),
        }
    }
}

impl fmt::Debug for Next<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Next")
            .field("middlewares_left", &self.chain.len())
            .field("attempt", &self.attempt)
            .finish_non_exhaustive()
    }
}
