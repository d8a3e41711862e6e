//! Import stage, responses: where a documented 2xx response's data really is. The upstream
//! renderer writes `> Data is at `body["result"]`` on every 2xx, also where the schema's body
//! is not Cloudflare's envelope (a bare array, `{"matches": [...], "total": n}`), and where the
//! docs draw the envelope itself as the data of a response that has none; for those, the
//! imported overlay says `> Data is at `body``, so the client decodes the whole body.

use serde_json::Value;

use super::schema::{Operation, Schema};
use crate::ir::{Endpoint, Shape, ShapeKind, Status};

/// How deep `allOf`/`oneOf`/`anyOf` are followed to find an envelope's keys.
const MAX_DEPTH: usize = 8;

/// What a 2xx body schema is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Body {
    /// Cloudflare's envelope: it has `result`, or `success` and `errors`.
    Envelope,
    /// Something else: an object without those keys, an array, a scalar.
    Bare,
    /// Not known: a free-form object, a union of both kinds, a reference that cannot be
    /// followed. Left as the docs say.
    Unknown,
}

/// The statuses of `endpoint`'s documented 2xx responses whose note puts the data under a key
/// (`body["result"]`) while the schema's body for that status holds no such key: it is not
/// the envelope, or it is the envelope without a `result` and the docs' shape is that
/// envelope itself (`errors`, `messages`, `success`: the upstream renderer draws the whole
/// body where a response has no data, and still says the data is at `result`).
pub(super) fn bare_bodies(schema: &Schema, op: &Operation, endpoint: &Endpoint) -> Vec<Status> {
    let Some(responses) = schema
        .operation_object(op)
        .and_then(|o| o.get("responses"))
        .and_then(Value::as_object)
    else {
        return Vec::new();
    };
    endpoint
        .responses
        .iter()
        .filter(|r| r.status.is_success())
        .filter(|r| r.data_at.as_ref().is_some_and(|at| !at.keys.is_empty()))
        .filter(|r| {
            let Some(response) = responses.get(&r.status.to_string()) else {
                return false;
            };
            json_schema(schema, response).is_some_and(|body| match kind(schema, body, 0) {
                Body::Bare => true,
                Body::Envelope => shows_envelope(&r.shape) && !has_key(schema, body, "result", 0),
                Body::Unknown => false,
            })
        })
        .map(|r| r.status)
        .collect()
}

/// The JSON schema of a response object's `application/json` content (or another JSON media
/// type), if any.
pub(super) fn json_schema<'s>(schema: &'s Schema, response: &'s Value) -> Option<&'s Value> {
    let content = schema.resolve(response).ok()?.get("content")?.as_object()?;
    let media = content.get("application/json").or_else(|| {
        content
            .iter()
            .find(|(media, _)| media.ends_with("+json") || media.ends_with("/json"))
            .map(|(_, m)| m)
    })?;
    media.get("schema")
}

fn kind(schema: &Schema, value: &Value, depth: usize) -> Body {
    if depth > MAX_DEPTH {
        return Body::Unknown;
    }
    let Ok(value) = schema.resolve(value) else {
        return Body::Unknown;
    };
    let Some(object) = value.as_object() else {
        return Body::Unknown;
    };
    // `allOf`: the keys of every part count together.
    if let Some(parts) = object.get("allOf").and_then(Value::as_array) {
        let mut keys = own_keys(value);
        for part in parts {
            match kind(schema, part, depth + 1) {
                Body::Envelope => return Body::Envelope,
                Body::Unknown if !is_object_without_keys(schema, part) => return Body::Unknown,
                _ => {}
            }
            if let Ok(part) = schema.resolve(part) {
                keys.extend(own_keys(part));
            }
        }
        return of_keys(&keys);
    }
    // `oneOf`/`anyOf`: known only when every branch agrees.
    for union in ["oneOf", "anyOf"] {
        if let Some(branches) = object.get(union).and_then(Value::as_array) {
            let kinds: Vec<Body> = branches
                .iter()
                .map(|b| kind(schema, b, depth + 1))
                .collect();
            return match kinds.first() {
                Some(first) if kinds.iter().all(|k| k == first) => *first,
                _ => Body::Unknown,
            };
        }
    }
    match object.get("type").and_then(Value::as_str) {
        Some("array" | "string" | "integer" | "number" | "boolean") => Body::Bare,
        Some("object") | None if object.contains_key("properties") => of_keys(&own_keys(value)),
        _ => Body::Unknown,
    }
}

/// Whether a documented shape is the envelope itself: an object with `success`.
fn shows_envelope(shape: &Shape) -> bool {
    match &shape.kind {
        ShapeKind::Object { fields } => fields.iter().any(|f| f.name == "success"),
        _ => false,
    }
}

/// Whether the body schema `value` may hold `key` at its top: in its properties, an `allOf`
/// part's, or any union branch's. A reference that cannot be followed may hold it.
fn has_key(schema: &Schema, value: &Value, key: &str, depth: usize) -> bool {
    let Ok(value) = schema.resolve(value) else {
        return true;
    };
    if depth > MAX_DEPTH
        || value
            .get("properties")
            .is_some_and(|p| p.get(key).is_some())
    {
        return true;
    }
    ["allOf", "oneOf", "anyOf"]
        .iter()
        .filter_map(|k| value.get(*k).and_then(Value::as_array))
        .flatten()
        .any(|part| has_key(schema, part, key, depth + 1))
}

fn own_keys(value: &Value) -> Vec<String> {
    value
        .get("properties")
        .and_then(Value::as_object)
        .map(|p| p.keys().cloned().collect())
        .unwrap_or_default()
}

fn of_keys(keys: &[String]) -> Body {
    let has = |key: &str| keys.iter().any(|k| k == key);
    if has("result") || (has("success") && has("errors")) {
        Body::Envelope
    } else if keys.is_empty() {
        Body::Unknown
    } else {
        Body::Bare
    }
}

/// An `allOf` part that only constrains (`required`, a description) and names no keys.
fn is_object_without_keys(schema: &Schema, part: &Value) -> bool {
    schema.resolve(part).is_ok_and(|p| {
        p.get("properties").is_none()
            && p.get("allOf").is_none()
            && p.get("oneOf").is_none()
            && p.get("anyOf").is_none()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn kind_of(body: Value) -> Body {
        let doc = json!({"openapi": "3.0.0", "paths": {}, "components": {"schemas": {
            "envelope": {"type": "object", "properties": {
                "success": {"type": "boolean"}, "errors": {"type": "array"}, "messages": {"type": "array"}
            }},
            "body": body
        }}});
        let schema = Schema::parse(&doc.to_string()).unwrap();
        kind(&schema, &json!({"$ref": "#/components/schemas/body"}), 0)
    }

    #[test]
    fn the_envelope_is_told_from_a_bare_body() {
        let envelope = json!({"allOf": [{"$ref": "#/components/schemas/envelope"},
            {"properties": {"result": {"type": "array"}}}]});
        assert_eq!(kind_of(envelope), Body::Envelope);
        // An envelope without data (a delete) is still the envelope.
        assert_eq!(
            kind_of(json!({"$ref": "#/components/schemas/envelope"})),
            Body::Envelope
        );
        let matches = json!({"type": "object", "properties": {"matches": {}, "total": {}}});
        assert_eq!(kind_of(matches), Body::Bare);
        assert_eq!(kind_of(json!({"type": "array", "items": {}})), Body::Bare);
        assert_eq!(kind_of(json!({"type": "number"})), Body::Bare);
        let realtime = json!({"properties": {"success": {}, "data": {}}});
        assert_eq!(kind_of(realtime), Body::Bare);
    }

    #[test]
    fn an_envelope_without_result_is_told_and_so_is_a_shape_drawing_it() {
        let doc = json!({"openapi": "3.0.0", "paths": {}, "components": {"schemas": {
            "common": {"type": "object", "properties": {
                "success": {"type": "boolean"}, "errors": {"type": "array"}, "messages": {"type": "array"}
            }},
            "with_result": {"allOf": [{"$ref": "#/components/schemas/common"},
                {"oneOf": [{"properties": {"result": {"type": "object"}}}, {"type": "object"}]}]}
        }}});
        let schema = Schema::parse(&doc.to_string()).unwrap();
        let at = |name: &str| json!({"$ref": format!("#/components/schemas/{name}")});
        assert!(!has_key(&schema, &at("common"), "result", 0));
        assert!(has_key(&schema, &at("with_result"), "result", 0));
        // What cannot be followed may hold it: the docs are left as they are.
        assert!(has_key(&schema, &at("missing"), "result", 0));
        let shape = |text: &str| {
            let doc =
                format!("# T\n## S\n**GET** `/x`\n### Responses\n#### 200\n```json\n{text}\n```\n");
            crate::parse::parse_doc("t.md", &doc).0.unwrap().endpoints[0].responses[0]
                .shape
                .clone()
        };
        assert!(shows_envelope(&shape(
            r#"{"errors": [{"code": "*integer*"}], "messages": [{"code": "*integer*"}], "success": "*boolean*"}"#
        )));
        assert!(!shows_envelope(&shape(r#"{"id": "*string*"}"#)));
        assert!(!shows_envelope(&shape(r#"[{"success": "*boolean*"}]"#)));
    }

    #[test]
    fn what_cannot_be_told_is_left_as_the_docs_say() {
        assert_eq!(kind_of(json!({"type": "object"})), Body::Unknown);
        assert_eq!(kind_of(json!({})), Body::Unknown);
        let mixed =
            json!({"oneOf": [{"$ref": "#/components/schemas/envelope"}, {"type": "array"}]});
        assert_eq!(kind_of(mixed), Body::Unknown);
        assert_eq!(
            kind_of(json!({"$ref": "#/components/schemas/missing"})),
            Body::Unknown
        );
        let cycle = json!({"allOf": [{"$ref": "#/components/schemas/body"}]});
        assert_eq!(kind_of(cycle), Body::Unknown);
    }
}
