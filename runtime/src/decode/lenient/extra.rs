//! [`Extra`]: what a response object carried beyond its documented, well-typed fields, so
//! that nothing a server sends is lost to the typed view.

use std::fmt;
use std::sync::LazyLock;

use serde::{Serialize, Serializer};
use serde_json::{Map, Value};

/// What a decoded response object held besides its documented fields, as received:
/// - **unknown** fields: keys the docs do not list (the API grew, or the docs lag), the
///   counterpart of Python's `model_extra` and Go's `ExtraFields`;
/// - **drifted** fields: documented keys whose JSON value had another type than documented.
///   The typed field reads as absent (`None`) and the value is kept here, and reported in the
///   response's [`warnings`](crate::Response::warnings).
///
/// Empty, and one null pointer in size, when a body conforms to the docs. Serialising an
/// object writes these entries back beside its typed fields, so a decoded item re-encodes to
/// what arrived.
#[derive(Clone, Default, PartialEq)]
pub struct Extra(Option<Box<Entries>>);

#[derive(Clone, Default, PartialEq)]
struct Entries {
    /// The first drifted key inline and the others apart: a drifted key is usually one per
    /// object, and building a map (whose hasher is seeded from a thread-local) or a list for
    /// it in every item of a page was a measurable share of decoding a drifted page.
    first_drift: Option<(&'static str, Value)>,
    more: Option<Box<More>>,
}

#[derive(Clone, Default, PartialEq)]
struct More {
    unknown: Map<String, Value>,
    drifted: Vec<(&'static str, Value)>,
}

static EMPTY: LazyLock<Map<String, Value>> = LazyLock::new(Map::new);

impl Extra {
    /// Whether the object had neither unknown nor drifted fields.
    pub fn is_empty(&self) -> bool {
        self.0.is_none()
    }

    /// Keys the docs do not list, with their values, in the order they arrived.
    pub fn unknown(&self) -> &Map<String, Value> {
        match self.0.as_deref().and_then(|e| e.more.as_deref()) {
            Some(more) => &more.unknown,
            None => &EMPTY,
        }
    }

    /// Documented keys whose value had another JSON type, with the value as received, in the
    /// order they arrived.
    pub fn drifted(&self) -> impl Iterator<Item = (&str, &Value)> + '_ {
        let first = self.0.as_ref().and_then(|e| e.first_drift.as_ref());
        let rest = match self.0.as_deref().and_then(|e| e.more.as_deref()) {
            Some(more) => &more.drifted[..],
            None => &[][..],
        };
        first
            .into_iter()
            .chain(rest)
            .map(|(key, value)| (*key, value))
    }

    /// The value received for `key`, drifted or unknown.
    pub fn get(&self, key: &str) -> Option<&Value> {
        // `insert_drifted` keeps one entry per key.
        self.drifted()
            .find(|(k, _)| *k == key)
            .map(|(_, value)| value)
            .or_else(|| self.unknown().get(key))
    }

    fn entries(&mut self) -> &mut Entries {
        self.0.get_or_insert_with(Box::default)
    }

    fn more(&mut self) -> &mut More {
        self.entries().more.get_or_insert_with(Box::default)
    }

    /// Keeps `value`, received for a key the docs do not list.
    #[doc(hidden)]
    pub fn insert_unknown(&mut self, key: String, value: Value) {
        self.more().unknown.insert(key, value);
    }

    /// Keeps `value`, received for documented `key` with another JSON type.
    pub(crate) fn insert_drifted(&mut self, key: &'static str, value: Value) {
        let entries = self.entries();
        // A repeated key keeps its last value, as the typed fields do.
        if entries.first_drift.as_ref().is_some_and(|(k, _)| *k == key) {
            entries.first_drift = None;
        }
        if let Some(more) = entries.more.as_deref_mut() {
            more.drifted.retain(|(k, _)| *k != key);
        }
        let others = entries
            .more
            .as_deref()
            .is_some_and(|m| !m.drifted.is_empty());
        if entries.first_drift.is_none() && !others {
            entries.first_drift = Some((key, value));
        } else {
            self.more().drifted.push((key, value));
        }
    }
}

impl Serialize for Extra {
    /// The entries as map entries: with `#[serde(flatten)]` they sit beside the typed fields
    /// (which skip their absent values, so no key is written twice).
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(
            self.drifted()
                .chain(self.unknown().iter().map(|(k, v)| (k.as_str(), v))),
        )
    }
}

impl fmt::Debug for Extra {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            None => f.write_str("Extra(empty)"),
            Some(_) => f
                .debug_struct("Extra")
                .field("unknown", self.unknown())
                .field("drifted", &self.drifted().collect::<Vec<_>>())
                .finish(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keeps_both_kinds_and_serialises_them_as_entries() {
        let mut extra = Extra::default();
        assert!(extra.is_empty() && extra.unknown().is_empty() && extra.get("a").is_none());
        extra.insert_unknown("new".into(), json!([1]));
        extra.insert_drifted("count", json!("7"));
        assert!(!extra.is_empty());
        assert_eq!(extra.get("new"), Some(&json!([1])));
        assert_eq!(
            extra.drifted().collect::<Vec<_>>(),
            [("count", &json!("7"))]
        );
        extra.insert_drifted("size", json!([]));
        extra.insert_drifted("count", json!("8"));
        let drifted: Vec<_> = extra.drifted().collect();
        assert_eq!(drifted, [("size", &json!([])), ("count", &json!("8"))]);
        assert_eq!(extra.get("count"), Some(&json!("8")));
        assert_eq!(
            serde_json::to_value(&extra).unwrap(),
            json!({"size": [], "count": "8", "new": [1]})
        );
        assert!(format!("{extra:?}").contains("count"));
        assert_eq!(std::mem::size_of::<Extra>(), std::mem::size_of::<usize>());
    }
}
