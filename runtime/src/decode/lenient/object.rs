//! `response_object!`: the one `Deserialize` implementation behind every generated response
//! struct.
//!
//! A derived `Deserialize` expands to a field enum, its visitor, a sequence visitor and a map
//! visitor per struct; over the ~1,800 structs of the whole Cloudflare API that expansion was
//! most of `cargo check`. Response structs need less: every field is an `Option` that starts
//! as `None` (`Default`), documented keys are matched without allocating by one shared
//! [`FieldKey`] seed, each value is decoded through the lenient
//! [`Field`](crate::lenient::capture::Field) seed, and unknown keys are kept. Decoding stays a
//! single streaming pass, and serde_path_to_error still sees every key, so strict decoding
//! reports exact paths.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, Visitor};

/// A map key of a response object: the index of a documented key, or a key the docs do not
/// list (kept in the object's [`Extra`](crate::Extra)).
pub enum Key {
    /// The index of a documented key.
    Known(usize),
    /// A key the docs do not list.
    Unknown(String),
}

/// Finds a map key among a struct's JSON keys without allocating for a documented one.
#[derive(Clone, Copy)]
pub struct FieldKey(pub &'static [&'static str]);

impl<'de> DeserializeSeed<'de> for FieldKey {
    type Value = Key;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Key, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl Visitor<'_> for FieldKey {
    type Value = Key;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object key")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Key, E> {
        Ok(match self.0.iter().position(|known| *known == key) {
            Some(index) => Key::Known(index),
            None => Key::Unknown(key.to_owned()),
        })
    }

    fn visit_bytes<E: de::Error>(self, key: &[u8]) -> Result<Key, E> {
        Ok(
            match self.0.iter().position(|known| known.as_bytes() == key) {
                Some(index) => Key::Known(index),
                None => Key::Unknown(String::from_utf8_lossy(key).into_owned()),
            },
        )
    }
}

/// Implements `Deserialize` (and, through `object_serialize!`, `Serialize`) for a generated
/// response struct whose documented fields are all `Option`s, which has an
/// [`Extra`](crate::Extra) field and implements `Default`:
/// `response_object!(Name, extra { 0 => field = "wire key", … })`. A repeated key keeps its
/// last value; `null` reads as `None`; a value of another JSON type reads as `None` and is
/// kept in the `Extra` (see [`crate::lenient::capture`]), as are keys the docs do not list.
#[doc(hidden)]
#[macro_export]
macro_rules! response_object {
    ($name:ident, $extra:ident { $($index:literal => $field:ident = $wire:literal),* $(,)? }) => {
        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                const KEYS: &[&str] = &[$($wire),*];

                struct ObjectVisitor;

                impl<'de> ::serde::de::Visitor<'de> for ObjectVisitor {
                    type Value = $name;

                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str("a JSON object")
                    }

                    fn visit_map<A: ::serde::de::MapAccess<'de>>(
                        self,
                        mut map: A,
                    ) -> ::std::result::Result<$name, A::Error> {
                        let mut object = <$name as ::std::default::Default>::default();
                        while let ::std::option::Option::Some(key) =
                            map.next_key_seed($crate::object::FieldKey(KEYS))?
                        {
                            match key {
                                $($crate::object::Key::Known($index) => {
                                    object.$field = map.next_value_seed(
                                        $crate::capture::Field::new(&mut object.$extra, $wire),
                                    )?;
                                })*
                                $crate::object::Key::Known(_) => {
                                    map.next_value::<::serde::de::IgnoredAny>()?;
                                }
                                $crate::object::Key::Unknown(key) => {
                                    object.$extra.insert_unknown(key, map.next_value()?);
                                }
                            }
                        }
                        ::std::result::Result::Ok(object)
                    }
                }

                // A struct, not a map: the lenient decoder gives a map's values their
                // keys in drift paths, where a response object's fields name themselves.
                deserializer.deserialize_struct(stringify!($name), KEYS, ObjectVisitor)
            }
        }

        $crate::object_serialize!($name, $extra { $($field = $wire),* });
    };
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::Extra;

    #[derive(Debug, Default, PartialEq)]
    struct Actor {
        kind: Option<String>,
        id: Option<i64>,
        nested: Option<Vec<Actor>>,
        extra: Extra,
    }
    crate::response_object!(Actor, extra { 0 => kind = "type", 1 => id = "id", 2 => nested = "nested" });

    #[test]
    fn decodes_known_keys_keeps_unknown_ones_and_reads_null_as_none() {
        let text = r#"{"type": "user", "more": {"deep": [1, 2]}, "id": null, "nested": [{"id": 7, "type": "x"}]}"#;
        let actor: Actor = serde_json::from_str(text).unwrap();
        assert_eq!(actor.kind.as_deref(), Some("user"));
        assert_eq!(actor.id, None);
        let nested = actor.nested.as_ref().unwrap();
        assert_eq!(
            (nested[0].id, nested[0].kind.as_deref()),
            (Some(7), Some("x"))
        );
        assert!(nested[0].extra.is_empty());
        assert_eq!(
            actor.extra.unknown().get("more"),
            Some(&json!({"deep": [1, 2]}))
        );
        let last: Actor = serde_json::from_str(r#"{"id": 1, "id": 2}"#).unwrap();
        assert_eq!(last.id, Some(2));
    }

    #[test]
    fn a_value_of_another_type_is_kept_and_re_encoded() {
        let text = r#"{"id": "seven", "nested": {"not": "a list"}, "type": 3}"#;
        let actor: Actor = serde_json::from_str(text).unwrap();
        assert_eq!(
            (actor.id, actor.kind.as_deref(), actor.nested.is_none()),
            (None, None, true)
        );
        assert_eq!(
            actor.extra.drifted().collect::<Vec<_>>()[0],
            ("id", &json!("seven"))
        );
        assert_eq!(actor.extra.get("nested"), Some(&json!({"not": "a list"})));
        assert_eq!(
            serde_json::to_value(&actor).unwrap(),
            serde_json::from_str::<serde_json::Value>(text).unwrap()
        );
    }

    #[test]
    fn a_non_object_is_an_error() {
        assert!(
            serde_json::from_str::<Actor>("[1]")
                .unwrap_err()
                .to_string()
                .contains("a JSON object")
        );
    }
}
