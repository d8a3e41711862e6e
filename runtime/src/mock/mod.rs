//! A local Cloudflare API for tests (feature `mock`): a server on 127.0.0.1 that knows the
//! documented endpoints, checks every request against them, answers in Cloudflare's envelope,
//! misbehaves on demand and records what it was sent.
//!
//! ```no_run
//! # async fn example() -> Result<(), Box<dyn std::error::Error>> {
//! use cloudflare_client_runtime::Client;
//! use cloudflare_client_runtime::mock::{Body, Endpoint, Fault, MockServer, Param, ParamKind, Times};
//!
//! static LIST: Endpoint = Endpoint {
//!     name: "zones::list_zones",
//!     method: "GET",
//!     template: "/zones",
//!     query: &[Param { name: "page", kind: ParamKind::Integer, required: false }],
//!     headers: &[],
//!     body: Body::None,
//!     status: 200,
//!     data: r#"[{"id": "023e105f4ecef8ad9ca31a8372d0c353"}]"#,
//!     data_at: &["result"],
//!     paging: None,
//!     items: "",
//! };
//! let server = MockServer::start([&LIST]).await?;
//! server.fail(&LIST, Fault::RateLimited { retry_after: std::time::Duration::ZERO }, Times::Once);
//! let client: Client = server.client();
//! // ... the code under test calls `client`; the first call is answered 429, the retry 200.
//! # Ok(())
//! # }
//! ```
//!
//! Which endpoints it serves is data ([`Endpoint`]): a generated crate lists its own, from the
//! same docs and overlays its methods are generated from.

mod check;
mod collections;
mod page;
mod serve;
mod shape;
mod spec;
mod state;

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use crate::client::{Client, ClientBuilder};
pub use collections::collections;
pub use shape::{Field, Shape, Variant};
pub use spec::{
    BASE_PATH, Body, CODE_FAULT, CODE_INVALID, CODE_NO_ROUTE, Endpoint, Fault, MOCK_TOKEN,
    PAGE_SIZE, Param, ParamKind, RecordedRequest, Times,
};
use state::{Armed, State, lock};

/// A running mock of the Cloudflare API on 127.0.0.1; it stops when dropped.
#[derive(Debug)]
pub struct MockServer {
    address: std::net::SocketAddr,
    state: Arc<Mutex<State>>,
    task: tokio::task::JoinHandle<()>,
}

impl MockServer {
    /// Starts a server for `endpoints` on a free port of 127.0.0.1, on the current Tokio
    /// runtime.
    pub async fn start(
        endpoints: impl IntoIterator<Item = &'static Endpoint>,
    ) -> std::io::Result<MockServer> {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0)).await?;
        let address = listener.local_addr()?;
        let endpoints: Vec<&'static Endpoint> = endpoints.into_iter().collect();
        let state = Arc::new(Mutex::new(State {
            roles: collections::roles(&endpoints),
            endpoints,
            ..State::default()
        }));
        let task = tokio::spawn(serve::accept(listener, state.clone()));
        Ok(MockServer {
            address,
            state,
            task,
        })
    }

    /// The base URL a client of this server uses (`http://127.0.0.1:PORT/client/v4`).
    pub fn base_url(&self) -> String {
        format!("http://{}{BASE_PATH}", self.address)
    }

    /// A builder for a client of this server (`C`: the runtime's [`Client`] or a generated
    /// crate's), with the base URL and [`MOCK_TOKEN`] set and short retry waits, to change
    /// further.
    pub fn client_builder<C>(&self) -> ClientBuilder<C> {
        ClientBuilder::<C>::default()
            .base_url(self.base_url())
            .api_token(MOCK_TOKEN)
            .initial_backoff(Duration::from_millis(1))
            .max_backoff(Duration::from_millis(10))
    }

    /// A client of this server ([`client_builder`](Self::client_builder), built).
    pub fn client<C: From<Client>>(&self) -> C {
        match self.client_builder::<C>().build() {
            Ok(client) => client,
            // The builder's settings are all valid; nothing is read from the environment.
            Err(error) => unreachable!("a mock client's settings are valid: {error}"),
        }
    }

    /// Answers `endpoint` with `data` (a value of the client's own response type, or any
    /// serializable value) instead of its documented default, until set again.
    pub fn respond(&self, endpoint: &'static Endpoint, data: impl serde::Serialize) {
        let data = serde_json::to_value(data).unwrap_or(serde_json::Value::Null);
        self.state().data.insert(endpoint.name, data);
    }

    /// Makes requests to `endpoint` misbehave as `fault`, `times` often. Faults strike in the
    /// order they were added; one that is spent is forgotten.
    pub fn fail(&self, endpoint: &'static Endpoint, fault: Fault, times: Times) {
        self.arm(Some(endpoint.name), fault, times);
    }

    /// [`fail`](Self::fail) for every request, whatever it matches.
    pub fn fail_all(&self, fault: Fault, times: Times) {
        self.arm(None, fault, times);
    }

    fn arm(&self, endpoint: Option<&'static str>, fault: Fault, times: Times) {
        self.state().faults.push(Armed {
            endpoint,
            fault,
            times,
            seen: 0,
            struck: 0,
        });
    }

    /// Every request received so far, in order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.state().requests.clone()
    }

    /// The requests received so far that matched `endpoint`.
    pub fn requests_to(&self, endpoint: &'static Endpoint) -> Vec<RecordedRequest> {
        self.state()
            .requests
            .iter()
            .filter(|r| r.endpoint == Some(endpoint.name))
            .cloned()
            .collect()
    }

    fn state(&self) -> MutexGuard<'_, State> {
        lock(&self.state)
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}
