//! `response_union!`: the `Deserialize` and `Serialize` behind every generated response
//! union, an enum of objects told apart by the value of one key (DNS records by `type`).
//!
//! The object is read whole (a union cannot know its variant before it has seen the tag, which
//! may come last), its tag looked up, and the object handed to the variant's struct, whose
//! fields decode leniently as everywhere else. A tag value the docs do not list, or none, is
//! never decoded as another variant: the object is kept as received in `Unknown` and reported
//! as drift (an error in strict mode). Serializing writes back what was read: the variant's
//! struct (fields, then what its `Extra` kept), or the unknown object itself.

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

/// The tag's value in `object`, when it is a string.
pub fn tag<'o>(object: &'o Map<String, Value>, key: &str) -> Option<&'o str> {
    object.get(key).and_then(Value::as_str)
}

/// Decodes the variant's struct `T` from the whole `object`.
pub fn variant<T: DeserializeOwned, E: de::Error>(object: Map<String, Value>) -> Result<T, E> {
    T::deserialize(Value::Object(object)).map_err(E::custom)
}

/// The object of a tag value no variant lists: kept as received and reported as drift, or an
/// error in strict mode. `known` are the documented tag values.
pub fn unknown<E: de::Error>(
    object: Map<String, Value>,
    key: &str,
    known: &[&str],
) -> Result<Value, E> {
    let expected = format!("an object whose `{key}` is one of {}", known.join(", "));
    let found = match object.get(key) {
        Some(Value::String(value)) => format!("`{key}` {value:?}"),
        Some(other) => format!("`{key}` {other}"),
        None => format!("no `{key}`"),
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
/// `response_union!(Name, "tag" { Variant: ["value", …], … })`. See the module docs.
#[doc(hidden)]
#[macro_export]
macro_rules! response_union {
    ($name:ident, $tag:literal { $($variant:ident: [$($value:literal),+ $(,)?]),* $(,)? }) => {
        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                let object = $crate::union::object(deserializer)?;
                match $crate::union::tag(&object, $tag) {
                    $(::std::option::Option::Some($($value)|+) => {
                        $crate::union::variant(object).map($name::$variant)
                    })*
                    _ => $crate::union::unknown(object, $tag, &[$($($value),+),*])
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
