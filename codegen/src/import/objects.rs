//! Import stage, objects and unions: an object schema with its `allOf` parts merged, and
//! what a union of objects becomes — its variants named (title, tag, schema name, an
//! undeclared tag, the key a variant alone requires), or, when they differ only in the key
//! each requires, one object whose keys are `one of`.

use serde_json::{Map, Value};

use super::params::writable_value;
use super::schema::Schema;

/// How deep objects nest before the rest of a field is typed `json` (absurd nesting, or a
/// recursive type such as a filter tree, would otherwise never end); also how deep unions
/// and `allOf` parts are followed.
pub(super) const MAX_DEPTH: usize = 8;

/// Which side of the wire an object schema is read for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Side {
    /// What a request sends: the keys the server writes (`readOnly`) are left out.
    Request,
    /// What a response holds: every key.
    Response,
}

/// An object schema, its `allOf` parts merged.
#[derive(Default)]
pub(super) struct Object {
    pub(super) properties: Map<String, Value>,
    pub(super) required: Vec<String>,
    /// Keys of which one is required: the keys variants merged by [`alternatives`] each
    /// require.
    pub(super) one_of: Vec<String>,
    /// Whether it takes keys it does not list (`additionalProperties`).
    pub(super) open: bool,
}

impl Object {
    /// A key of its own that a `### Body` path cannot hold (the whole body is left out, or
    /// the field typed `json`, naming it).
    pub(super) fn unwritable_key(&self) -> Option<&String> {
        self.properties.keys().find(|k| !is_writable_key(k))
    }
}

/// `value` as an object schema: properties and required keys of it and of its `allOf`
/// parts. `Err` for a schema that is not an object (a union, an array, a scalar).
pub(super) fn object(schema: &Schema, value: &Value, side: Side) -> Result<Object, String> {
    object_within(schema, value, 0, side)
}

/// [`object`], `parts` `allOf`s deep: a type that is its own part is a cycle.
fn object_within(
    schema: &Schema,
    value: &Value,
    parts: usize,
    side: Side,
) -> Result<Object, String> {
    if parts > MAX_DEPTH {
        return Err(format!(
            "`allOf` parts nested deeper than {MAX_DEPTH} (a cycle?)"
        ));
    }
    let value = schema.resolve(value)?;
    if value.get("anyOf").is_some() || value.get("oneOf").is_some() {
        return Err("a union (`anyOf` or `oneOf`): overlays cannot say unions yet".into());
    }
    let mut object = Object::default();
    if let Some(all) = value.get("allOf").and_then(Value::as_array) {
        for part in all {
            let part = object_within(schema, part, parts + 1, side)?;
            for (k, v) in part.properties {
                object.properties.insert(k, v);
            }
            object.required.extend(part.required);
            object.open |= part.open;
        }
    }
    match value.get("type").and_then(Value::as_str) {
        None | Some("object") => {}
        Some(other) => return Err(format!("a body of type {other}, not an object")),
    }
    if let Some(props) = value.get("properties").and_then(Value::as_object) {
        for (k, v) in props {
            object.properties.insert(k.clone(), v.clone());
        }
    }
    if let Some(required) = value.get("required").and_then(Value::as_array) {
        object
            .required
            .extend(required.iter().filter_map(Value::as_str).map(str::to_owned));
    }
    object.open |= value
        .get("additionalProperties")
        .is_some_and(|a| a != &Value::Bool(false));
    if side == Side::Request {
        // What the server writes is not sent.
        object
            .properties
            .retain(|_, v| v.get("readOnly").and_then(Value::as_bool) != Some(true));
    }
    Ok(object)
}

/// The string values of an `enum` (or a `const`), when every one can be written in the
/// table's `Values` cell; none otherwise.
pub(super) fn string_values(value: &Value) -> Vec<String> {
    let values: Vec<&Value> = match (value.get("enum"), value.get("const")) {
        (Some(Value::Array(values)), _) => values.iter().collect(),
        (None, Some(one)) => vec![one],
        _ => return Vec::new(),
    };
    let mut out: Vec<String> = Vec::new();
    for value in values {
        let Some(text) = value.as_str() else {
            return Vec::new();
        };
        if !writable_value(text) {
            return Vec::new();
        }
        if !out.iter().any(|o| o == text) {
            out.push(text.to_owned());
        }
    }
    out
}

/// Whether the schema `value` allows `null`: `nullable: true`, a `type` list with `null`, or
/// a union with a `null` branch.
pub(super) fn allows_null(schema: &Schema, value: &Value) -> bool {
    // `nullable` beside a `$ref` (OpenAPI 3.0 ignores it there; Cloudflare's schema means it).
    if value.get("nullable").and_then(Value::as_bool) == Some(true) {
        return true;
    }
    let Ok(value) = schema.resolve(value) else {
        return false;
    };
    let is_null = |v: &Value| match v {
        Value::String(t) => t == "null",
        _ => false,
    };
    value.get("nullable").and_then(Value::as_bool) == Some(true)
        || match value.get("type") {
            Some(Value::Array(types)) => types.iter().any(is_null),
            _ => false,
        }
        || ["anyOf", "oneOf"]
            .iter()
            .filter_map(|k| value.get(*k).and_then(Value::as_array))
            .flatten()
            .any(|b| {
                schema
                    .resolve(b)
                    .is_ok_and(|b| b.get("type").is_some_and(is_null))
            })
}

/// Whether the union `value`, or a union nested in it, names a `discriminator`.
pub(super) fn has_discriminator(schema: &Schema, value: &Value, depth: usize) -> bool {
    let Ok(value) = schema.resolve(value) else {
        return false;
    };
    if value.get("discriminator").is_some() {
        return true;
    }
    depth < MAX_DEPTH
        && ["anyOf", "oneOf"]
            .iter()
            .filter_map(|k| value.get(*k).and_then(Value::as_array))
            .flatten()
            .any(|v| is_union(schema, v) && has_discriminator(schema, v, depth + 1))
}

/// Whether `value` is a union (`anyOf` or `oneOf`) of more than `null`.
pub(super) fn is_union(schema: &Schema, value: &Value) -> bool {
    let Ok(value) = schema.resolve(value) else {
        return false;
    };
    ["anyOf", "oneOf"].iter().any(|k| {
        value.get(*k).and_then(Value::as_array).is_some_and(|v| {
            v.iter()
                .filter(|v| v.get("type").and_then(Value::as_str) != Some("null"))
                .count()
                > 1
        })
    })
}

/// A variant's name as a `####` heading writes it: letters, digits, spaces and `-_.()`; the
/// rest becomes a space.
fn heading_text(name: &str) -> String {
    let kept: String = name
        .chars()
        .map(|c| match c {
            c if c.is_alphanumeric() || " -_.()".contains(c) => c,
            _ => ' ',
        })
        .collect();
    let words: Vec<&str> = kept.split_whitespace().collect();
    match words.is_empty() {
        true => "Variant".to_owned(),
        false => words.join(" "),
    }
}

/// How many keys of its own (keys no other variant has) a variant may have for the union to
/// be read as one object: the schema's way of saying "`url` or `html`" (Browser Rendering) or
/// "one of these keys".
const MAX_OWN_KEYS: usize = 2;

/// The variants as one object, when they are one object that requires one of a few keys:
/// every key two variants share is in all of them and typed alike, and each variant has at
/// most [`MAX_OWN_KEYS`] keys of its own. A key is required when every variant requires it;
/// the keys only some require are `one of`. The official Go SDK types such
/// bodies as one struct too: an enum of near-identical structs would double the types for no
/// check a caller gains from (the server still checks which key is there).
pub(super) fn alternatives(variants: &[(String, Object)]) -> Option<Object> {
    if variants.len() < 2 {
        return None;
    }
    let holders = |key: &String| {
        variants
            .iter()
            .filter(|(_, o)| o.properties.contains_key(key))
            .count()
    };
    let mut merged = Object::default();
    for (_, object) in variants {
        let mut own = 0;
        for (key, value) in &object.properties {
            match holders(key) {
                1 => own += 1,
                n if n < variants.len() => return None,
                _ => {}
            }
            match merged.properties.get(key) {
                Some(seen) if seen != value => return None,
                _ => {
                    merged.properties.insert(key.clone(), value.clone());
                }
            }
        }
        if own > MAX_OWN_KEYS {
            return None;
        }
        merged.open |= object.open;
    }
    let required_by = |key: &String| {
        variants
            .iter()
            .filter(|(_, o)| o.required.contains(key))
            .count()
    };
    merged.required = merged
        .properties
        .keys()
        .filter(|k| required_by(k) == variants.len())
        .cloned()
        .collect();
    // The keys some variants require and others do not: one of them is required, when every
    // variant requires one (a variant requiring none of them takes an object without any).
    let some: Vec<String> = merged
        .properties
        .keys()
        .filter(|k| (1..variants.len()).contains(&required_by(k)))
        .cloned()
        .collect();
    if variants
        .iter()
        .all(|(_, o)| o.required.iter().any(|r| some.contains(r)))
    {
        merged.one_of = some;
    }
    Some(merged)
}

/// Names for the variants the schema leaves unnamed (no title, tag or schema name): the value
/// of a key every variant requires with one string value each, distinct (an undeclared tag:
/// Workflows' `status` of `pause`, `resume`, ...), else the first key the variant alone
/// requires (`text` or `requests`), else its position.
pub(super) fn named(variants: Vec<(Option<String>, Object)>) -> Vec<(String, Object)> {
    let tag_of = |key: &String, object: &Object| {
        let values = string_values(object.properties.get(key)?);
        match values.as_slice() {
            [one] if object.required.contains(key) => Some(one.clone()),
            _ => None,
        }
    };
    let tag = variants.first().and_then(|(_, first)| {
        first.properties.keys().find(|key| {
            let values: Vec<Option<String>> =
                variants.iter().map(|(_, o)| tag_of(key, o)).collect();
            values.iter().all(Option::is_some)
                && values
                    .iter()
                    .enumerate()
                    .all(|(i, v)| !values[..i].contains(v))
        })
    });
    let tag = tag.cloned();
    let own_required = |object: &Object| {
        object
            .required
            .iter()
            .filter(|k| object.properties.contains_key(*k))
            .find(|k| {
                variants
                    .iter()
                    .filter(|(_, o)| o.properties.contains_key(*k))
                    .count()
                    == 1
            })
            .cloned()
    };
    let names: Vec<String> = variants
        .iter()
        .enumerate()
        .map(|(i, (name, object))| {
            name.clone()
                .or_else(|| tag.as_ref().and_then(|t| tag_of(t, object)))
                .or_else(|| own_required(object))
                .unwrap_or_else(|| format!("Variant {}", i + 1))
        })
        .collect();
    names
        .into_iter()
        .zip(variants)
        .map(|(name, (_, object))| (heading_text(&name), object))
        .collect()
}

/// Variant names made distinct: a repeated one gets ` 2`, ` 3`, ...
pub(super) fn dedupe(variants: Vec<(String, Object)>) -> Vec<(String, Object)> {
    let mut seen: Vec<String> = Vec::new();
    variants
        .into_iter()
        .map(|(name, object)| {
            let mut unique = name.clone();
            let mut n = 2;
            while seen.contains(&unique) {
                unique = format!("{name} {n}");
                n += 1;
            }
            seen.push(unique.clone());
            (unique, object)
        })
        .collect()
}

/// A key a `### Body` path can hold in a code span.
fn is_writable_key(key: &str) -> bool {
    !key.is_empty()
        && !key.contains(['.', '[', ']', '{', '}', '`', '|'])
        && !key.contains(char::is_whitespace)
        && !key.contains(char::is_control)
}
