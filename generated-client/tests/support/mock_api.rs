//! What this crate's wiremock tests (the generated Audit Logs types against a server) share:
//! Cloudflare's success envelope, and a client pointed at the server. Each test crate includes
//! this file and uses part of it. The runtime's own tests have theirs in runtime/tests/support.
#![allow(dead_code)]

use cloudflare_client::ClientBuilder;
use serde_json::{Value, json};
use wiremock::{MockServer, ResponseTemplate};

/// A 200 with `result` in a successful envelope.
pub fn envelope(result: Value) -> ResponseTemplate {
    ResponseTemplate::new(200)
        .set_body_json(json!({"success": true, "errors": [], "messages": [], "result": result}))
}

/// A 200 with one page of a listing: `result` and its `result_info`.
pub fn page(result: Value, result_info: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "success": true, "errors": [], "messages": [],
        "result": result, "result_info": result_info,
    }))
}

/// A client builder for `server`'s `/client/v4`, with an API token.
pub fn client_for(server: &MockServer) -> ClientBuilder {
    cloudflare_client::Client::builder()
        .base_url(format!("{}/client/v4", server.uri()))
        .api_token("token")
}
