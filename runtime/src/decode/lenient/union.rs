//! `response_union!`: the `Deserialize` and `Serialize` behind every generated response
//! union, an enum of objects told apart by the value of one key (DNS records by `type`) or,
//! without one, by the keys each variant alone has (Access rules: `{"email": …}`).
//!
//! The object is read whole (a union cannot know its variant before it has seen the key that
//! tells, which may come last), its variant picked (an object without the tag by the keys only
//! one variant has), and the object handed to the variant's struct, whose fields decode
//! leniently as everywhere else. An object no variant picks (a tag value the docs do not list,
//! no tag and none or several variants' own keys) is never decoded as
//! another variant: it is kept as received in `Unknown` and reported as drift (an error in
//! strict mode). Serializing writes back what was read: the variant's struct (fields, then
//! what its `Extra` kept), or the unknown object itself.

use std::sync::Arc;

use serde::de::{self, DeserializeOwned, Deserializer, MapAccess, Visitor};
use serde_json::{Map, Value};

use crate::decode::lenient::scope::{Caught, Steps, record, strict};

/// Reads a union's value, which must be an object (another JSON type is refused, as a
/// struct refuses it, so the field holding the union reads it as drift).
pub fn object<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Map<String, Value>, D::Error> {
    struct ObjectVisitor;

    impl<'de> Visitor<'de> for ObjectVisitor {
        type Value = Map<String, Value>;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a JSON object")
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut object = Map::new();
            while let Some((key, value)) = map.next_entry::<String, Value>()? {
                object.insert(key, value);
            }
            Ok(object)
        }
    }

    deserializer.deserialize_map(ObjectVisitor)
}

/// The index of the variant `object` is: the one whose `selectors` list the value of its
/// `tag`; for an object without the tag (a union without one, or a variant that need not
/// send it), the one variant whose `own_keys` (keys no other variant has) it has. `None` for
/// a tag value no variant lists, or no variant's own keys, or several's.
pub fn pick(
    object: &Map<String, Value>,
    tag: Option<&str>,
    selectors: &[&[&str]],
    own_keys: &[&[&str]],
) -> Option<usize> {
    if let Some(value) = tag.and_then(|tag| object.get(tag)) {
        let value = value.as_str()?;
        return selectors.iter().position(|values| values.contains(&value));
    }
    let mut having = own_keys
        .iter()
        .enumerate()
        .filter(|(_, keys)| keys.iter().any(|k| object.contains_key(*k)));
    let (index, _) = having.next()?;
    having.next().is_none().then_some(index)
}

/// Decodes the variant's struct `T` from the whole `object`.
pub fn variant<T: DeserializeOwned, E: de::Error>(object: Map<String, Value>) -> Result<T, E> {
    T::deserialize(Value::Object(object)).map_err(E::custom)
}

/// An object no variant picks (see [`pick`]): kept as received and reported as drift, or an
/// error in strict mode.
pub fn unknown<E: de::Error>(
    object: Map<String, Value>,
    tag: Option<&str>,
    selectors: &[&[&str]],
    own_keys: &[&[&str]],
) -> Result<Value, E> {
    let flat = |lists: &[&[&str]]| -> Vec<String> {
        lists
            .iter()
            .flat_map(|l| l.iter().map(|s| s.to_string()))
            .collect()
    };
    let keys = flat(own_keys);
    let present: Vec<&str> = keys
        .iter()
        .map(String::as_str)
        .filter(|k| object.contains_key(*k))
        .collect();
    let by_keys = match present.as_slice() {
        [] => "none of those keys".to_owned(),
        keys => format!("keys of several variants: {}", keys.join(", ")),
    };
    let (expected, found) = match tag {
        Some(key) => (
            format!(
                "an object whose `{key}` is one of {}",
                flat(selectors).join(", ")
            ),
            match object.get(key) {
                Some(Value::String(value)) => format!("`{key}` {value:?}"),
                Some(other) => format!("`{key}` {other}"),
                None => format!("no `{key}`"),
            },
        ),
        None => (
            format!(
                "an object with the keys of one of its variants: {}",
                keys.join(", ")
            ),
            by_keys,
        ),
    };
    if strict() {
        return Err(E::custom(format!(
            "unknown variant: {found}, expected {expected}"
        )));
    }
    let raw = Value::Object(object);
    record(
        Caught {
            segs: Steps::default(),
            expected: Arc::from(expected),
            found: "object",
            detail: Some(format!("unknown variant: {found}").into_boxed_str()),
            raw: Value::Null,
        },
        &raw,
    );
    Ok(raw)
}

/// Implements `Deserialize` and `Serialize` for a generated response union: an enum whose
/// variants each hold a response struct, plus `Unknown(serde_json::Value)`:
/// `response_union!(Name, Some("tag"), { 0 => Variant: ["value", …] ["own key", …], … })`:
/// each variant's tag values (or, with `None`, its own keys) and the keys only it has. See the
/// module docs.
#[doc(hidden)]
#[macro_export]
macro_rules! response_union {
    ($name:ident, $tag:expr, {
        $($index:literal => $variant:ident:
            [$($selector:literal),+ $(,)?] [$($own:literal),* $(,)?]),* $(,)?
    }) => {
        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                const SELECTORS: &[&[&str]] = &[$(&[$($selector),+]),*];
                const OWN_KEYS: &[&[&str]] = &[$(&[$($own),*]),*];
                let object = $crate::union::object(deserializer)?;
                match $crate::union::pick(&object, $tag, SELECTORS, OWN_KEYS) {
                    $(::std::option::Option::Some($index) => {
                        $crate::union::variant(object).map($name::$variant)
                    })*
                    _ => $crate::union::unknown(object, $tag, SELECTORS, OWN_KEYS)
                        .map($name::Unknown),
                }
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                match self {
                    $($name::$variant(value) => ::serde::Serialize::serialize(value, serializer),)*
                    $name::Unknown(value) => ::serde::Serialize::serialize(value, serializer),
                }
            }
        }
    };
}
