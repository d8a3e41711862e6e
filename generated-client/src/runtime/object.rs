//! `response_object!`: the one `Deserialize` implementation behind every generated response
//! struct.
//!
//! A derived `Deserialize` expands to a field enum, its visitor, a sequence visitor and a map
//! visitor per struct; over the ~1,800 structs of the whole Cloudflare API that expansion was
//! most of `cargo check`. Response structs need less: every field is an `Option` that starts
//! as `None` (`Default`), unknown keys are skipped, and keys are matched without allocating by
//! one shared [`FieldKey`] seed. Decoding stays a single streaming pass, as fast as the derive,
//! and serde_path_to_error still sees every key, so lenient decoding reports exact paths.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, Visitor};

/// Finds a map key among a struct's JSON keys: `Some(index)`, or `None` for a key the
/// struct does not know (skipped, never an error).
#[doc(hidden)]
#[derive(Clone, Copy)]
pub struct FieldKey(pub &'static [&'static str]);

impl<'de> DeserializeSeed<'de> for FieldKey {
    type Value = Option<usize>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Option<usize>, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl Visitor<'_> for FieldKey {
    type Value = Option<usize>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object key")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Option<usize>, E> {
        Ok(self.0.iter().position(|known| *known == key))
    }

    fn visit_bytes<E: de::Error>(self, key: &[u8]) -> Result<Option<usize>, E> {
        Ok(self.0.iter().position(|known| known.as_bytes() == key))
    }
}

/// Implements `Deserialize` for a generated response struct whose fields are all `Option`s
/// and which implements `Default`: `response_object!(Name { 0 => field = "wire key", … })`.
/// A repeated key keeps its last value; `null` reads as `None`.
#[doc(hidden)]
#[allow(unused_macros)] // A crate generated from docs without response objects.
macro_rules! response_object {
    ($name:ident { $($index:literal => $field:ident = $wire:literal),* $(,)? }) => {
        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
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
                        const KEYS: &[&str] = &[$($wire),*];
                        let mut object = <$name as ::std::default::Default>::default();
                        while let ::std::option::Option::Some(index) =
                            map.next_key_seed(crate::runtime::FieldKey(KEYS))?
                        {
                            match index {
                                $(::std::option::Option::Some($index) => object.$field = map.next_value()?,)*
                                _ => {
                                    map.next_value::<::serde::de::IgnoredAny>()?;
                                }
                            }
                        }
                        ::std::result::Result::Ok(object)
                    }
                }

                deserializer.deserialize_map(ObjectVisitor)
            }
        }
    };
}
#[allow(unused_imports)]
pub(crate) use response_object;

#[cfg(test)]
mod tests {
    #[derive(Debug, Default, PartialEq)]
    struct Actor {
        kind: Option<String>,
        id: Option<i64>,
        nested: Option<Vec<Actor>>,
    }
    crate::runtime::response_object!(Actor { 0 => kind = "type", 1 => id = "id", 2 => nested = "nested" });

    #[test]
    fn decodes_known_keys_skips_unknown_ones_and_reads_null_as_none() {
        let actor: Actor = serde_json::from_str(
            r#"{"type": "user", "extra": {"deep": [1, 2]}, "id": null, "nested": [{"id": 7, "type": "x"}]}"#,
        )
        .unwrap();
        assert_eq!(
            actor,
            Actor {
                kind: Some("user".into()),
                id: None,
                nested: Some(vec![Actor {
                    kind: Some("x".into()),
                    id: Some(7),
                    nested: None
                }]),
            }
        );
        let last: Actor = serde_json::from_str(r#"{"id": 1, "id": 2}"#).unwrap();
        assert_eq!(last.id, Some(2));
    }

    #[test]
    fn a_mismatch_names_its_path() {
        let mut de = serde_json::Deserializer::from_str(r#"{"nested": [{"id": "seven"}]}"#);
        let err = serde_path_to_error::deserialize::<_, Actor>(&mut de).unwrap_err();
        assert_eq!(err.path().to_string(), "nested[0].id");
        assert!(serde_json::from_str::<Actor>("[1]")
            .unwrap_err()
            .to_string()
            .contains("a JSON object"));
    }
}
