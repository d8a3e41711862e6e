//! Lenient decoding that is never silent, and the repairing fallback behind it.
//!
//! A documented field whose JSON value has another type than documented does not fail a
//! response: in the one streaming pass over the page it reads as absent, its value is kept in
//! its object's [`Extra`](crate::Extra) and reported in a [`DecodeWarning`] with its
//! JSON path, what was expected and what was found (the one pass is [`capture`]).
//!
//! What that pass cannot read as absent is a value inside an array (`"ids": ["a", 2]` for a
//! list of strings): by the time the `2` arrives, the `"a"` is decoded. Then, and only then,
//! the data is decoded again as a JSON tree and repaired one mismatch at a time: the whole
//! array is taken out and reported, and the next pass hands it to its field as a value
//! already reported, so it still lands in the object's `Extra`. The data itself (the root) is
//! never taken out: then, after [`MAX_REPAIR_PASSES`], or for a value that is not inside a
//! generated response object, decoding fails with the first error, as in strict mode.
//!
//! This module is the lenient part's one room and its interface: the one streaming pass
//! (`capture`, `scope`), what an object keeps (`extra`, `members`, `object`), response enums
//! (`open_enum`) and a response's or a listing's drift summary ([`drift`]). The rest of the
//! runtime uses what this file declares and re-exports.

use std::fmt;
use std::sync::Arc;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use serde_path_to_error::Segment;

// The macros' expansions in generated modules name `capture` and `object`: public for them,
// hidden from the docs.
#[doc(hidden)]
pub mod capture;
pub mod drift;
mod extra;
pub(crate) mod members;
#[doc(hidden)]
pub mod object;
mod open_enum;
pub(crate) mod scope;
#[doc(hidden)]
pub mod union;

pub use extra::Extra;
// What the body decoder (`decode::body`) uses of the room: the members of a JSON object read
// in place, and the scope its one pass runs in.
pub(crate) use members::{InPlace, Member, last, members};
pub(crate) use scope::{Caught, open as open_scope};

use scope::Seg;

/// The most decode passes spent repairing one response before giving up.
pub const MAX_REPAIR_PASSES: usize = 256;

/// A value that did not match the documented type and was read as absent; the value is also
/// kept in its object's [`Extra`](crate::Extra).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct DecodeWarning {
    /// JSON path of the value, such as `result[3].count`.
    pub path: String,
    /// What the type expected, as serde words it (e.g. `i64`); shared by the warnings of one
    /// kind, which on a drifted page are one per item.
    #[serde(serialize_with = "serialize_str")]
    pub expected: Arc<str>,
    /// The JSON type found: `null`, `boolean`, `number`, `string`, `array` or `object`.
    pub found: &'static str,
    /// The value as received.
    pub raw: Value,
    /// serde's message when [`message`](Self::message) cannot rebuild it from the rest (a
    /// value inside an array that did not fit, say). Kept apart so that the thousand
    /// warnings of a drifted page do not each format one.
    #[serde(skip)]
    detail: Option<Box<str>>,
}

/// `Arc<str>` as a string (serde's `rc` feature is not on).
fn serialize_str<S: serde::Serializer>(text: &Arc<str>, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(text)
}

impl fmt::Display for DecodeWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}`: {} (read as absent)", self.path, self.message())
    }
}

impl DecodeWarning {
    /// A warning for `raw`, found at `path` where `expected` was documented.
    #[cfg(test)]
    pub(crate) fn new(path: String, expected: &str, raw: Value) -> DecodeWarning {
        DecodeWarning {
            path,
            expected: expected.into(),
            found: json_type(&raw),
            raw,
            detail: None,
        }
    }

    /// The warning for the data as a whole, at `path`, which failed to decode with serde's
    /// `message` and is read as the documented empty value.
    pub(crate) fn of_whole(path: &str, raw: Value, message: &str) -> DecodeWarning {
        DecodeWarning {
            path: path.to_owned(),
            expected: capture::expected_of(message),
            found: json_type(&raw),
            raw,
            detail: Some(message.into()),
        }
    }

    /// serde's message: `invalid type: string "7", expected i64`.
    pub fn message(&self) -> String {
        match &self.detail {
            Some(detail) => detail.to_string(),
            None => capture::invalid_type(&self.raw, &self.expected),
        }
    }

    /// The warning for a value caught in one pass, found under `prefix`.
    pub(crate) fn from_caught(prefix: &str, caught: Caught) -> DecodeWarning {
        let mut path = String::with_capacity(prefix.len() + 8 * caught.segs.len());
        path.push_str(prefix);
        for seg in caught.segs.outermost_first() {
            match seg {
                Seg::Index(i) => push_index(&mut path, *i),
                Seg::Key(k) => push_key(&mut path, k),
                Seg::Name(k) => push_key(&mut path, k),
            }
        }
        DecodeWarning {
            path: finish(path),
            expected: caught.expected,
            found: caught.found,
            detail: caught.detail,
            raw: caught.raw,
        }
    }
}

fn push_index(path: &mut String, index: usize) {
    // By hand: `write!` costs more than the rest of a path, thousands of times a page.
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut n = index;
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    path.push('[');
    path.push_str(std::str::from_utf8(&digits[at..]).unwrap_or("?"));
    path.push(']');
}

fn push_key(path: &mut String, key: &str) {
    if !path.is_empty() {
        path.push('.');
    }
    path.push_str(key);
}

fn finish(mut path: String) -> String {
    if path.is_empty() {
        path.push('.');
    }
    path
}

/// The JSON type of a value, in words.
pub use scope::json_type;

/// A step of a path in the tree being repaired.
#[derive(Clone, PartialEq)]
enum Step {
    Index(usize),
    Key(String),
}

fn path_string(prefix: &str, steps: &[Step]) -> String {
    let mut out = prefix.to_owned();
    for step in steps {
        match step {
            Step::Index(i) => push_index(&mut out, *i),
            Step::Key(k) => push_key(&mut out, k),
        }
    }
    finish(out)
}

/// Steps `target` out of the arrays it ends in: a value inside an array cannot be absent, so
/// the array is what is taken out.
fn out_of_arrays(target: &mut Vec<Step>) {
    while matches!(target.last(), Some(Step::Index(_))) {
        target.pop();
    }
}

fn slot_mut<'v>(mut value: &'v mut Value, steps: &[Step]) -> Option<&'v mut Value> {
    for step in steps {
        value = match step {
            Step::Index(i) => value.as_array_mut()?.get_mut(*i)?,
            Step::Key(k) => value.as_object_mut()?.get_mut(k)?,
        };
    }
    Some(value)
}

/// How a taken-out value is left in the tree for the next pass.
#[derive(Clone, Copy)]
enum Leave {
    /// Wrapped (see [`capture::repaired`]), for a generated response object's field, which
    /// keeps it in its `Extra` without reporting it twice. A caller's own type rejects the
    /// wrapper at the same place on the next pass, and the wrapper is then replaced by `null`.
    Repaired,
    /// `null`, read as absent by any `Option`; the value is in the warning.
    Null,
}

impl Leave {
    fn take(self, slot: &mut Value) -> Value {
        let raw = std::mem::take(slot);
        if let Leave::Repaired = self {
            *slot = capture::repaired(raw.clone());
        }
        raw
    }
}

/// Takes out every value of JSON type `kind` at `pattern`, where an index in the pattern
/// stands for every index.
fn sweep(
    value: &mut Value,
    pattern: &[Step],
    here: &mut Vec<Step>,
    kind: &str,
    leave: Leave,
    out: &mut Vec<(Vec<Step>, Value)>,
) {
    let Some((first, rest)) = pattern.split_first() else {
        if json_type(value) == kind {
            out.push((here.clone(), leave.take(value)));
        }
        return;
    };
    match first {
        Step::Key(k) => {
            if let Some(v) = value.as_object_mut().and_then(|o| o.get_mut(k)) {
                here.push(first.clone());
                sweep(v, rest, here, kind, leave, out);
                here.pop();
            }
        }
        Step::Index(_) => {
            if let Some(items) = value.as_array_mut() {
                for (i, v) in items.iter_mut().enumerate() {
                    here.push(Step::Index(i));
                    sweep(v, rest, here, kind, leave, out);
                    here.pop();
                }
            }
        }
    }
}

/// Decodes `value` (the data, found at `prefix`) into `T`, repairing what the one-pass
/// decode could not read as absent. `None` when it cannot be repaired.
pub(crate) fn decode_repairing<T: DeserializeOwned>(
    mut value: Value,
    prefix: &str,
) -> Option<(T, Vec<DecodeWarning>)> {
    let mut repaired = Vec::new();
    for _ in 0..MAX_REPAIR_PASSES {
        let mut track = serde_path_to_error::Track::new();
        let deserializer = serde_path_to_error::Deserializer::new(&value, &mut track);
        let error = match capture::decode::<T, _>(deserializer, false) {
            Ok((data, caught)) => {
                let mut warnings: Vec<DecodeWarning> = caught
                    .into_iter()
                    .map(|c| DecodeWarning::from_caught(prefix, c))
                    .collect();
                warnings.append(&mut repaired);
                return Some((data, warnings));
            }
            Err(error) => error,
        };
        let mut steps = Vec::new();
        for segment in track.path().iter() {
            steps.push(match segment {
                Segment::Seq { index } => Step::Index(*index),
                Segment::Map { key } => Step::Key(key.clone()),
                Segment::Enum { .. } | Segment::Unknown => return None,
            });
        }
        let message = error.to_string();
        let mut target = steps.clone();
        out_of_arrays(&mut target);
        if target.is_empty() {
            return None;
        }
        // `null` is not accepted here: the type is not optional, as a map's value is not.
        // Then, as for an array, the map (or object) holding it is taken out, with the value
        // an earlier pass took out put back, so that it is kept as received.
        while slot_mut(&mut value, &target)?.is_null() {
            let path = path_string(prefix, &target);
            if let Some(i) = repaired.iter().rposition(|w| w.path == path) {
                *slot_mut(&mut value, &target)? = repaired.remove(i).raw;
            }
            target.pop();
            out_of_arrays(&mut target);
            if target.is_empty() {
                return None;
            }
        }
        let slot = slot_mut(&mut value, &target)?;
        if capture::is_repaired(slot) {
            // Not a generated response object's field, which would have taken the repaired
            // value, but a caller's type with a derived `Deserialize`: `null` reads as absent
            // in any `Option`. The value is in the warning already.
            *slot = Value::Null;
            continue;
        }
        // A value that failed where it starts is not a response object's field (those catch
        // such values in the one pass): a caller's type, for which `null` is absent. An array
        // that failed inside may be either.
        let leave = if target.len() == steps.len() {
            Leave::Null
        } else {
            Leave::Repaired
        };
        let expected = capture::expected_of(&message);
        if target.len() == steps.len() && message.starts_with("invalid type:") {
            // The same field of every item has the same problem: one pass for all of them.
            let kind = json_type(slot);
            let mut taken = Vec::new();
            sweep(
                &mut value,
                &target,
                &mut Vec::new(),
                kind,
                leave,
                &mut taken,
            );
            for (steps_taken, raw) in taken {
                // The message of the first is serde's; the others' are rebuilt the same way.
                let detail = (steps_taken == target
                    && message != capture::invalid_type(&raw, &expected))
                .then(|| message.as_str().into());
                repaired.push(DecodeWarning {
                    path: path_string(prefix, &steps_taken),
                    expected: expected.clone(),
                    found: kind,
                    detail,
                    raw,
                });
            }
        } else {
            let raw = leave.take(slot);
            let detail = (message != capture::invalid_type(&raw, &expected))
                .then(|| message.into_boxed_str());
            repaired.push(DecodeWarning {
                path: path_string(prefix, &target),
                expected,
                found: json_type(&raw),
                detail,
                raw,
            });
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    use crate::Extra;

    #[derive(Debug, PartialEq, Default)]
    struct Item {
        id: Option<String>,
        count: Option<i64>,
        tags: Option<Vec<String>>,
        owner: Option<Owner>,
        extra: Extra,
    }
    crate::response_object!(Item, extra { 0 => id = "id", 1 => count = "count", 2 => tags = "tags", 3 => owner = "owner" });

    #[derive(Debug, PartialEq, Default)]
    struct Owner {
        id: Option<String>,
        extra: Extra,
    }
    crate::response_object!(Owner, extra { 0 => id = "id" });

    fn one_pass(text: &str) -> Result<(Vec<Item>, Vec<DecodeWarning>), serde_json::Error> {
        let mut de = serde_json::Deserializer::from_str(text);
        let (data, caught) = capture::decode::<Vec<Item>, _>(&mut de, false)?;
        let warnings = caught
            .into_iter()
            .map(|c| DecodeWarning::from_caught("result", c));
        Ok((data, warnings.collect()))
    }

    #[test]
    fn one_pass_reads_drift_in_every_item_as_absent_and_keeps_it() {
        let items: Vec<Value> = (0..1000)
            .map(|i| json!({"id": format!("i{i}"), "count": i.to_string(), "owner": {"id": i}}))
            .collect();
        let (data, warnings) = one_pass(&Value::Array(items).to_string()).unwrap();
        assert_eq!(data.len(), 1000);
        assert_eq!(warnings.len(), 2000);
        let w = &warnings[0];
        assert_eq!(
            (w.path.as_str(), w.found, &*w.expected, &w.raw),
            ("result[0].count", "string", "i64", &json!("0"))
        );
        assert_eq!(w.message(), "invalid type: string \"0\", expected i64");
        assert_eq!(w.detail, None, "rebuilt, not kept");
        assert_eq!(warnings[1999].path, "result[999].owner.id");
        assert_eq!(data[8].count, None);
        assert_eq!(data[8].id.as_deref(), Some("i8"));
        assert_eq!(
            data[8].extra.drifted().collect::<Vec<_>>(),
            [("count", &json!("8"))]
        );
        let owner = data[8].owner.as_ref().unwrap();
        assert_eq!(owner.extra.get("id"), Some(&json!(8)));
    }

    #[test]
    fn strict_scopes_fail_on_drift() {
        let mut de = serde_json::Deserializer::from_str(r#"[{"count": "1"}]"#);
        assert!(capture::decode::<Vec<Item>, _>(&mut de, true).is_err());
    }

    #[test]
    fn an_array_whose_elements_do_not_fit_is_repaired_and_kept() {
        let items = json!([
            {"id": "i0", "tags": ["a"]},
            {"id": "i1", "count": "1", "tags": ["a", 2], "owner": "nobody"},
        ]);
        assert!(one_pass(&items.to_string()).is_err());
        let (data, warnings) = decode_repairing::<Vec<Item>>(items, "result").unwrap();
        assert_eq!(data[0].tags, Some(vec!["a".to_owned()]));
        assert_eq!(
            (data[1].tags.as_ref(), data[1].owner.as_ref()),
            (None, None)
        );
        assert_eq!(data[1].extra.get("tags"), Some(&json!(["a", 2])));
        assert_eq!(data[1].extra.get("owner"), Some(&json!("nobody")));
        let mut paths: Vec<_> = warnings.iter().map(|w| w.path.as_str()).collect();
        paths.sort();
        assert_eq!(
            paths,
            ["result[1].count", "result[1].owner", "result[1].tags"]
        );
        let tags = warnings
            .iter()
            .find(|w| w.path == "result[1].tags")
            .unwrap();
        assert_eq!((tags.found, &tags.raw), ("array", &json!(["a", 2])));
    }

    #[test]
    fn the_root_is_never_taken_out() {
        assert!(decode_repairing::<Vec<Item>>(json!({"not": "a list"}), "result").is_none());
        assert!(decode_repairing::<Vec<Item>>(json!([1]), "result").is_none());
    }
}
