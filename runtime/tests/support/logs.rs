//! What the runtime's tests through `Request` share: a client with fast backoff pointed at a
//! wiremock server, an Audit Logs request and its item type. Each test crate includes this
//! file and uses part of it.
#![allow(dead_code)]

use std::time::Duration;

use cloudflare_client_runtime::{Client, ClientBuilder, DataAt, PathPart, Request};
use reqwest::Method;
use serde::Deserialize;
use serde_json::{Value, json};
use wiremock::{MockServer, ResponseTemplate};

/// The API token the clients here send.
pub const TOKEN: &str = "tok-SECRET-0123456789abcdef";
/// An API key, sent with [`EMAIL`].
pub const KEY: &str = "key-SECRET-fedcba9876543210";
/// The account e-mail sent with an API key.
pub const EMAIL: &str = "owner-SECRET@example.com";
/// A user service key.
pub const SERVICE_KEY: &str = "v1.0-SECRET-service-key";
/// Where the data of an Audit Logs response is.
pub const RESULT: DataAt = DataAt::Envelope(&["result"]);

/// `n` milliseconds.
pub fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// The server's `/client/v4`.
pub fn base(server: &MockServer) -> String {
    format!("{}/client/v4", server.uri())
}

/// A client for `server` with fast backoff.
pub fn builder(server: &MockServer) -> ClientBuilder {
    Client::builder()
        .base_url(base(server))
        .api_token(TOKEN)
        .initial_backoff(ms(5))
        .max_backoff(ms(20))
}

/// `/accounts/{account_id}/audit_logs`.
pub fn logs_path(account_id: &str) -> [PathPart<'_>; 3] {
    [
        PathPart::Lit("/accounts/"),
        PathPart::Param("account_id", account_id),
        PathPart::Lit("/audit_logs"),
    ]
}

/// A GET of the account's audit logs, decoded into `T`.
pub fn get_logs<T: serde::de::DeserializeOwned + Send + 'static>(
    client: &Client,
    account_id: &str,
) -> Request<T> {
    Request::json(client, Method::GET, &logs_path(account_id), RESULT)
}

/// An audit log, as far as these tests read it.
#[derive(Debug, Deserialize, PartialEq)]
pub struct Log {
    pub id: String,
    #[serde(default)]
    pub action: Option<Action>,
}

/// An audit log's action.
#[derive(Debug, Deserialize, PartialEq)]
pub struct Action {
    pub result: bool,
    #[serde(rename = "type")]
    pub kind: String,
}

/// A 200 with `result` in a successful envelope.
pub fn ok_envelope(result: Value) -> ResponseTemplate {
    ResponseTemplate::new(200)
        .set_body_json(json!({"success": true, "errors": [], "messages": [], "result": result}))
}

/// The requests `server` received.
pub async fn received(server: &MockServer) -> Vec<wiremock::Request> {
    server.received_requests().await.expect("recording is on")
}
