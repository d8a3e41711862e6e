//! The mock, serving: HTTP/1.1 on the listener (hyper), each request routed, checked,
//! answered (or failed, as the test asked) and recorded.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use serde_json::{Value, json};

use super::check::{self, Refusal, Source};
use super::collections;
use super::page;
use super::spec::{BASE_PATH, CODE_FAULT, Endpoint, Fault, RecordedRequest};
use super::state::{State, lock};

/// The data-centre code of the mock's `cf-ray` ids (`000000000000002a-MCK`): three letters,
/// as Cloudflare's are, and none of its own.
const RAY_COLO: &str = "MCK";

/// Headers whose values are credentials: recorded as `<redacted>`.
const CREDENTIAL_HEADERS: [&str; 3] = ["authorization", "x-auth-key", "x-auth-user-service-key"];

/// Serves every connection `listener` accepts until the task is aborted (which drops the
/// connections' tasks with it).
pub(super) async fn accept(listener: tokio::net::TcpListener, state: Arc<Mutex<State>>) {
    let mut connections = tokio::task::JoinSet::new();
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            // Out of file descriptors, say: wait rather than spin.
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(10)).await;
                continue;
            }
        };
        let state = state.clone();
        connections.spawn(async move {
            let service = hyper::service::service_fn(move |request| {
                let state = state.clone();
                async move { handle(request, &state).await }
            });
            // A connection the client drops, or one a `Disconnect` fault ends, is no error of
            // the server's.
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                .await;
        });
        while connections.try_join_next().is_some() {}
    }
}

/// What one request is answered with; an error closes the connection unanswered.
async fn handle(
    request: hyper::Request<Incoming>,
    state: &Mutex<State>,
) -> Result<hyper::Response<Full<Bytes>>, std::io::Error> {
    let (parts, body) = request.into_parts();
    let body = match body.collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(error) => return Err(std::io::Error::other(error)),
    };
    let method = parts.method.as_str().to_owned();
    let full_path = parts.uri.path();
    let query: Vec<(String, String)> =
        url::form_urlencoded::parse(parts.uri.query().unwrap_or("").as_bytes())
            .into_owned()
            .collect();
    let headers: Vec<(String, String)> = parts
        .headers
        .iter()
        .map(|(name, value)| {
            let name = name.as_str().to_owned();
            let value = if CREDENTIAL_HEADERS.contains(&name.as_str()) {
                "<redacted>".to_owned()
            } else {
                String::from_utf8_lossy(value.as_bytes()).into_owned()
            };
            (name, value)
        })
        .collect();
    let content_type = parts
        .headers
        .get(hyper::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    let path = full_path.strip_prefix(BASE_PATH).unwrap_or("");
    let sent = check::Sent {
        query: &query,
        headers: &headers,
        content_type,
        body: &body,
    };

    // Decide under the lock; wait (a `Delay`) without it.
    let (answer, delay) = {
        let mut state = lock(state);
        let routed = if full_path.starts_with(BASE_PATH) {
            check::route(&state.endpoints, &method, path)
        } else {
            check::route(&[], &method, full_path)
        };
        // Checked against the docs: where two docs document the route, the first endpoint
        // that takes the request, else the first's refusal.
        let routed = routed.map(|candidates| {
            let checked: Vec<_> = candidates
                .into_iter()
                .map(|endpoint| (endpoint, check::request(endpoint, &sent)))
                .collect();
            let at = checked.iter().position(|(_, c)| c.is_ok()).unwrap_or(0);
            checked
                .into_iter()
                .nth(at)
                .expect("a route has an endpoint")
        });
        let endpoint = routed.as_ref().ok().map(|(endpoint, _)| *endpoint);
        let fault = strike(&mut state, endpoint.map(|e| e.name));
        let delay = match fault {
            Some(Fault::Delay(delay)) => Some(delay),
            _ => None,
        };
        let answer = match (routed, fault) {
            (_, Some(Fault::Status(status))) => Answer::Refused(Refusal {
                status,
                code: CODE_FAULT,
                message: format!("a fault the test asked for: status {status}"),
                source: None,
            }),
            (
                _,
                Some(Fault::Error {
                    status,
                    code,
                    message,
                }),
            ) => Answer::Refused(Refusal {
                status,
                code,
                message,
                source: None,
            }),
            (_, Some(Fault::RateLimited { retry_after })) => Answer::RateLimited(retry_after),
            (_, Some(Fault::Disconnect)) => Answer::Disconnect,
            (_, Some(Fault::NotEnvelope(text))) => Answer::Text(text),
            (Err(refusal), _) => Answer::Refused(refusal),
            (Ok((endpoint, checked)), fault) => match checked {
                Err(refusal) => Answer::Refused(refusal),
                Ok(()) => {
                    // What the test set wins; then the collection's state; then the docs.
                    let role = state.roles.get(endpoint.name).copied();
                    let data = match (state.data.get(endpoint.name).cloned(), role) {
                        (Some(data), _) => Ok(data),
                        (None, Some(role)) => {
                            let filters = collections::filters(endpoint, &query);
                            let template = default_data(endpoint);
                            let collections = &mut state.collections;
                            collections.apply(role, path, &body, template, &filters)
                        }
                        (None, None) => Ok(default_data(endpoint)),
                    };
                    match data.and_then(|data| page::page(endpoint, &query, data)) {
                        Ok((mut data, info)) => {
                            if let Some(Fault::Drift { pointer, value }) = &fault {
                                drift(&mut data, pointer, value.clone());
                            }
                            Answer::Data(endpoint, data, info)
                        }
                        Err(refusal) => Answer::Refused(refusal),
                    }
                }
            },
        };
        // Cloudflare names every answer with a `cf-ray` header; the mock's count requests.
        let ray_id = format!("{:016x}-{RAY_COLO}", state.requests.len() + 1);
        let response = answer.response(&ray_id);
        state.requests.push(RecordedRequest {
            endpoint: endpoint.map(|e| e.name),
            method,
            path: path.to_owned(),
            query,
            headers,
            body,
            status: response.as_ref().map_or(0, |r| r.status().as_u16()),
            ray_id,
        });
        (response, delay)
    };
    if let Some(delay) = delay {
        tokio::time::sleep(delay).await;
    }
    answer.ok_or_else(|| std::io::Error::other("a Disconnect fault"))
}

/// The first armed fault for this request (to `endpoint`, if it matched one) that strikes;
/// spent faults are forgotten.
fn strike(state: &mut State, endpoint: Option<&'static str>) -> Option<Fault> {
    let mut found = None;
    let mut spent_at = None;
    for (index, armed) in state.faults.iter_mut().enumerate() {
        let applies = armed.endpoint.is_none() || armed.endpoint == endpoint && endpoint.is_some();
        if !applies {
            continue;
        }
        let (strikes, spent) = armed.strikes();
        if strikes {
            found = Some(armed.fault.clone());
            if spent {
                spent_at = Some(index);
            }
            break;
        }
    }
    if let Some(index) = spent_at {
        state.faults.remove(index);
    }
    found
}

/// What a request is answered with.
enum Answer {
    /// The data, and the listing's `result_info` if it pages.
    Data(&'static Endpoint, Value, Option<Value>),
    Refused(Refusal),
    RateLimited(Duration),
    Text(String),
    Disconnect,
}

impl Answer {
    /// The HTTP response, named `ray_id`; `None` for a dropped connection.
    fn response(&self, ray_id: &str) -> Option<hyper::Response<Full<Bytes>>> {
        let (status, body, extra) = match self {
            Answer::Data(endpoint, data, info) => (
                endpoint.status,
                placed(endpoint, data.clone(), info.clone()).to_string(),
                None,
            ),
            Answer::Refused(refusal) => (refusal.status, error_envelope(refusal).to_string(), None),
            Answer::RateLimited(wait) => {
                let refusal = Refusal {
                    status: 429,
                    code: CODE_FAULT,
                    message: format!(
                        "a fault the test asked for: rate limited, retry after {} ms",
                        wait.as_millis()
                    ),
                    source: None,
                };
                let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
                let headers = [
                    ("retry-after", seconds.to_string()),
                    ("retry-after-ms", wait.as_millis().to_string()),
                ];
                (429, error_envelope(&refusal).to_string(), Some(headers))
            }
            // The text is the body as given, not a JSON string.
            Answer::Text(text) => (200, text.clone(), None),
            Answer::Disconnect => return None,
        };
        let mut response = hyper::Response::builder()
            .status(status)
            .header(hyper::header::CONTENT_TYPE, "application/json")
            .header("cf-ray", ray_id);
        for (name, value) in extra.into_iter().flatten() {
            response = response.header(name, value);
        }
        response.body(Full::new(Bytes::from(body))).ok()
    }
}

/// The endpoint's documented default data (`null` if none, or if it is not JSON).
fn default_data(endpoint: &Endpoint) -> Value {
    serde_json::from_str(endpoint.data).unwrap_or(Value::Null)
}

/// The body with `data` where the endpoint's docs say it is: in the success envelope under
/// `data_at`'s keys (with a listing's `result_info` beside them), or the whole body.
fn placed(endpoint: &Endpoint, data: Value, info: Option<Value>) -> Value {
    let Some((first, rest)) = endpoint.data_at.split_first() else {
        return data;
    };
    let mut value = data;
    for key in rest.iter().rev() {
        value = json!({ *key: value });
    }
    let mut envelope = json!({"success": true, "errors": [], "messages": []});
    envelope[*first] = value;
    if let Some(info) = info {
        envelope["result_info"] = info;
    }
    envelope
}

/// Cloudflare's error envelope for `refusal`.
fn error_envelope(refusal: &Refusal) -> Value {
    let mut error = json!({"code": refusal.code, "message": refusal.message});
    match &refusal.source {
        Some(Source::Pointer(pointer)) => error["source"] = json!({ "pointer": pointer }),
        Some(Source::Parameter(name)) => error["source"] = json!({ "parameter": name }),
        None => {}
    }
    json!({"success": false, "errors": [error], "messages": [], "result": null})
}

/// `data` with `value` at `pointer` (replaced, or added to its parent object or array).
fn drift(data: &mut Value, pointer: &str, value: Value) {
    if let Some(target) = data.pointer_mut(pointer) {
        *target = value;
        return;
    }
    let Some((parent, last)) = pointer.rsplit_once('/') else {
        return;
    };
    let key = last.replace("~1", "/").replace("~0", "~");
    match data.pointer_mut(parent) {
        Some(Value::Object(object)) => {
            object.insert(key, value);
        }
        Some(Value::Array(items)) if key == "-" => items.push(value),
        _ => {}
    }
}
