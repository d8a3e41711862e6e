//! Lenient decoding that is never silent.
//!
//! A response is first decoded with plain serde, so conforming data costs
//! nothing extra. Only when that fails is the data decoded again as a JSON
//! tree, repairing it one mismatch at a time: the value at the failing path
//! is taken out (set to `null`, so an `Option` field reads as absent) and
//! kept in a [`DecodeWarning`] with its JSON path, what was expected and what
//! was found. A type mismatch is repaired at the same place in every item of
//! the surrounding arrays at once, so a field that drifted in all 1,000 items
//! of a page costs one extra pass, not 1,000.
//!
//! When a value inside an array does not fit (`"ids": ["a", 2]` for a list
//! of integers), the whole array is taken out. The data itself (the root) is
//! never taken out: then, or after [`MAX_REPAIR_PASSES`], decoding fails
//! with the first error, as in strict mode.

use std::fmt;

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use serde_path_to_error::Segment;

/// The most decode passes spent repairing one response before giving up.
pub const MAX_REPAIR_PASSES: usize = 256;

/// A value that did not match the documented type and was read as absent.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DecodeWarning {
    /// JSON path of the value, such as `result[3].count`.
    pub path: String,
    /// What the type expected, as serde words it (e.g. `i64`).
    pub expected: String,
    /// The JSON type found: `null`, `boolean`, `number`, `string`, `array` or `object`.
    pub found: &'static str,
    /// serde's message.
    pub message: String,
    /// The value as received.
    pub raw: Value,
}

impl fmt::Display for DecodeWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}`: {} (read as absent)", self.path, self.message)
    }
}

#[derive(Clone, PartialEq)]
enum Seg {
    Index(usize),
    Key(String),
}

/// The JSON type of a value, in words.
pub fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn path_string(prefix: &str, segs: &[Seg]) -> String {
    let mut out = prefix.to_owned();
    for seg in segs {
        match seg {
            Seg::Index(i) => out.push_str(&format!("[{i}]")),
            Seg::Key(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
        }
    }
    if out.is_empty() {
        out.push('.');
    }
    out
}

fn slot_mut<'v>(mut value: &'v mut Value, segs: &[Seg]) -> Option<&'v mut Value> {
    for seg in segs {
        value = match seg {
            Seg::Index(i) => value.as_array_mut()?.get_mut(*i)?,
            Seg::Key(k) => value.as_object_mut()?.get_mut(k)?,
        };
    }
    Some(value)
}

/// Takes out every non-null value of JSON type `kind` at `pattern`, where
/// an index in the pattern stands for every index.
fn sweep(
    value: &mut Value,
    pattern: &[Seg],
    here: &mut Vec<Seg>,
    kind: &str,
    out: &mut Vec<(Vec<Seg>, Value)>,
) {
    let Some((first, rest)) = pattern.split_first() else {
        if json_type(value) == kind {
            out.push((here.clone(), std::mem::take(value)));
        }
        return;
    };
    match first {
        Seg::Key(k) => {
            if let Some(v) = value.as_object_mut().and_then(|o| o.get_mut(k)) {
                here.push(first.clone());
                sweep(v, rest, here, kind, out);
                here.pop();
            }
        }
        Seg::Index(_) => {
            if let Some(items) = value.as_array_mut() {
                for (i, v) in items.iter_mut().enumerate() {
                    here.push(Seg::Index(i));
                    sweep(v, rest, here, kind, out);
                    here.pop();
                }
            }
        }
    }
}

fn expected_of(message: &str) -> String {
    match message.rsplit_once(", expected ") {
        Some((_, rest)) => rest.split(" at line ").next().unwrap_or(rest).to_owned(),
        None => String::new(),
    }
}

/// Decodes `value` (the data, found at `prefix`) into `T`, repairing
/// mismatches. `None` when it cannot be repaired.
pub(crate) fn decode_repairing<T: DeserializeOwned>(
    mut value: Value,
    prefix: &str,
) -> Option<(T, Vec<DecodeWarning>)> {
    let mut warnings = Vec::new();
    for _ in 0..MAX_REPAIR_PASSES {
        let error = match serde_path_to_error::deserialize::<_, T>(&value) {
            Ok(data) => return Some((data, warnings)),
            Err(error) => error,
        };
        let mut segs = Vec::new();
        for seg in error.path().iter() {
            segs.push(match seg {
                Segment::Seq { index } => Seg::Index(*index),
                Segment::Map { key } => Seg::Key(key.clone()),
                Segment::Enum { .. } | Segment::Unknown => return None,
            });
        }
        let message = error.into_inner().to_string();
        // A value inside an array cannot be absent: take out the array.
        let mut target = segs.clone();
        while matches!(target.last(), Some(Seg::Index(_))) {
            target.pop();
        }
        if target.is_empty() {
            return None;
        }
        let slot = slot_mut(&mut value, &target)?;
        if slot.is_null() {
            // `null` is not accepted here: the type is not optional.
            return None;
        }
        let expected = expected_of(&message);
        if target.len() == segs.len() && message.starts_with("invalid type:") {
            // The same field of every item has the same problem.
            let kind = json_type(slot);
            let mut taken = Vec::new();
            sweep(&mut value, &target, &mut Vec::new(), kind, &mut taken);
            for (segs_taken, raw) in taken {
                let message = if segs_taken == target {
                    message.clone()
                } else {
                    format!("invalid type: {kind}, expected {expected}")
                };
                warnings.push(DecodeWarning {
                    path: path_string(prefix, &segs_taken),
                    expected: expected.clone(),
                    found: kind,
                    message,
                    raw,
                });
            }
        } else {
            let raw = std::mem::take(slot);
            warnings.push(DecodeWarning {
                path: path_string(prefix, &target),
                expected,
                found: json_type(&raw),
                message,
                raw,
            });
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use serde_json::json;

    #[derive(Debug, Deserialize, PartialEq, Default)]
    #[serde(default)]
    struct Item {
        id: Option<String>,
        count: Option<i64>,
        tags: Option<Vec<String>>,
        owner: Option<Owner>,
    }

    #[derive(Debug, Deserialize, PartialEq, Default)]
    #[serde(default)]
    struct Owner {
        id: Option<String>,
    }

    #[test]
    fn repairs_drift_in_every_item_in_one_pass_each() {
        let mut items: Vec<Value> = (0..1000)
            .map(|i| json!({"id": format!("i{i}"), "count": i.to_string(), "tags": ["a"]}))
            .collect();
        items[7] = json!({"id": "i7", "count": 7, "tags": ["a", 2], "owner": "nobody"});
        let (data, warnings) =
            decode_repairing::<Vec<Item>>(Value::Array(items), "result").unwrap();
        assert_eq!(data.len(), 1000);
        assert_eq!(data[7].count, Some(7));
        assert_eq!(data[7].tags, None);
        assert_eq!(data[7].owner, None);
        assert_eq!(data[8].count, None);
        assert_eq!(data[8].id.as_deref(), Some("i8"));
        assert_eq!(warnings.len(), 999 + 2);
        let w0 = &warnings[0];
        assert_eq!(
            (w0.path.as_str(), w0.found, w0.expected.as_str()),
            ("result[0].count", "string", "i64")
        );
        assert_eq!(w0.raw, json!("0"));
        assert!(warnings
            .iter()
            .any(|w| w.path == "result[7].tags" && w.raw == json!(["a", 2])));
        assert!(warnings
            .iter()
            .any(|w| w.path == "result[7].owner" && w.found == "string"));
    }

    #[test]
    fn the_root_is_never_taken_out() {
        assert!(decode_repairing::<Vec<Item>>(json!({"not": "a list"}), "result").is_none());
        assert!(decode_repairing::<Vec<Item>>(json!([1]), "result").is_none());
    }
}
