//! Encoding generated objects: the one `Serialize` behind every generated response and
//! request-body struct (`response_object!`, `request_object!`), and `value_enum!` for the
//! closed enums of query parameters.
//!
//! A derived `Serialize` with `#[serde(flatten)]` and `skip_serializing_if` expands to a
//! generic function per struct whose body grows with its fields; over the ~3,300 generated
//! structs of the whole Cloudflare API it was the largest single share of `cargo check`'s
//! memory. Here each struct's `serialize` is one call: it lists its fields as
//! `(wire key, Option<&dyn erased_serde::Serialize>)` and [`serialize_object`] writes the
//! present ones, in declared order, then the extra entries. The bytes are the derive's.

use serde::Serializer;
use serde::ser::SerializeMap;

/// A field's value as a serializable trait object, or `None` when the field is absent and so
/// left out of the object. Every generated field is an `Option`: `Some(None)` of a nullable
/// field is present, and written as `null`.
pub trait AsField {
    /// The value to write, if the field is present.
    fn as_field(&self) -> Option<&dyn erased_serde::Serialize>;
}

impl<T: serde::Serialize> AsField for Option<T> {
    fn as_field(&self) -> Option<&dyn erased_serde::Serialize> {
        self.as_ref()
            .map(|value| value as &dyn erased_serde::Serialize)
    }
}

/// A list query parameter: left out while empty.
impl<T: serde::Serialize> AsField for Vec<T> {
    fn as_field(&self) -> Option<&dyn erased_serde::Serialize> {
        (!self.is_empty()).then_some(self as &dyn erased_serde::Serialize)
    }
}

/// A query parameter's list sent as one key, its elements joined by commas: `k=a,b`
/// (OpenAPI's `explode: false`; form-encoded on the wire like every query value,
/// `k=a%2Cb`), where a `Vec` field repeats the key (`k=a&k=b`). Left out
/// of the query while empty. Elements are strings, numbers (a whole float without `.0`),
/// booleans, or values that serialize as one of them (enums, timestamps); a comma inside
/// an element is sent as is, so the server cannot tell it from a separator.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CommaList<T>(pub Vec<T>);

impl<T> Default for CommaList<T> {
    fn default() -> Self {
        CommaList(Vec::new())
    }
}

impl<T> std::ops::Deref for CommaList<T> {
    type Target = Vec<T>;

    fn deref(&self) -> &Vec<T> {
        &self.0
    }
}

impl<T> std::ops::DerefMut for CommaList<T> {
    fn deref_mut(&mut self) -> &mut Vec<T> {
        &mut self.0
    }
}

impl<T> FromIterator<T> for CommaList<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        CommaList(iter.into_iter().collect())
    }
}

impl<T> From<Vec<T>> for CommaList<T> {
    fn from(list: Vec<T>) -> Self {
        CommaList(list)
    }
}

impl<T: serde::Serialize> serde::Serialize for CommaList<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut joined = String::new();
        for (index, element) in self.0.iter().enumerate() {
            if index > 0 {
                joined.push(',');
            }
            let text = scalar_text(element).map_err(|problem| {
                serde::ser::Error::custom(format!("a comma-joined list holds {problem}"))
            })?;
            joined.push_str(&text);
        }
        serializer.serialize_str(&joined)
    }
}

/// A scalar value as the text a query value or a header carries: a string as it is, a
/// boolean as `true`/`false`, a number as JSON writes it except a whole float, which loses
/// its `.0` (the query rule); an enum or a timestamp as the string it serializes to. Anything
/// else is an error naming what it was.
pub fn scalar_text<T: serde::Serialize + ?Sized>(value: &T) -> Result<String, String> {
    match serde_json::to_value(value).map_err(|e| e.to_string())? {
        serde_json::Value::String(text) => Ok(text),
        serde_json::Value::Bool(b) => Ok(b.to_string()),
        serde_json::Value::Number(n) => Ok(match n.as_f64() {
            Some(f) if n.is_f64() && f.fract() == 0.0 && f.abs() < 1e15 => (f as i64).to_string(),
            _ => n.to_string(),
        }),
        other => Err(format!("strings, numbers and booleans, not {other}")),
    }
}

impl<T: serde::Serialize> AsField for CommaList<T> {
    fn as_field(&self) -> Option<&dyn erased_serde::Serialize> {
        (!self.0.is_empty()).then_some(self as &dyn erased_serde::Serialize)
    }
}

/// The entries an object keeps beside its typed fields (written after them): the
/// [`Extra`](crate::Extra) of a response object, the `extra` map of a request body.
pub trait ExtraEntries {
    /// Writes every entry into `map`.
    fn write_entries<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error>;
}

/// No extra entries: query parameters are only the fields.
impl ExtraEntries for () {
    fn write_entries<M: SerializeMap>(&self, _map: &mut M) -> Result<(), M::Error> {
        Ok(())
    }
}

impl ExtraEntries for crate::Extra {
    fn write_entries<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
        for (key, value) in self.drifted() {
            map.serialize_entry(key, value)?;
        }
        for (key, value) in self.unknown() {
            map.serialize_entry(key, value)?;
        }
        Ok(())
    }
}

impl ExtraEntries for serde_json::Map<String, serde_json::Value> {
    fn write_entries<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
        for (key, value) in self {
            map.serialize_entry(key, value)?;
        }
        Ok(())
    }
}

/// Writes one object: the present `fields` in order, then the `extra` entries.
pub fn serialize_object<S: Serializer, E: ExtraEntries>(
    serializer: S,
    fields: &[(&'static str, Option<&dyn erased_serde::Serialize>)],
    extra: &E,
) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(None)?;
    for (key, value) in fields {
        if let Some(value) = value {
            map.serialize_entry(key, value)?;
        }
    }
    extra.write_entries(&mut map)?;
    map.end()
}

/// Implements `Serialize` for a generated struct whose fields are all `Option`s (or, for
/// query parameters, lists) and which may have an extra field:
/// `object_serialize!(Name, extra { field = "wire key", … })`, or without `extra,`. Absent
/// fields (and empty lists) are left out; the extra entries follow the fields.
#[doc(hidden)]
#[macro_export]
macro_rules! object_serialize {
    ($name:ident { $($field:ident = $wire:literal),* $(,)? }) => {
        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                $crate::encode::serialize_object(
                    serializer,
                    &[$(($wire, $crate::encode::AsField::as_field(&self.$field))),*],
                    &(),
                )
            }
        }
    };
    ($name:ident, $extra:ident { $($field:ident = $wire:literal),* $(,)? }) => {
        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                $crate::encode::serialize_object(
                    serializer,
                    &[$(($wire, $crate::encode::AsField::as_field(&self.$field))),*],
                    &self.$extra,
                )
            }
        }
    };
}

/// Implements a closed enum the generated code defines for a query parameter's documented
/// values: `as_str` and `Serialize` (its wire string). A request value is only ever sent, so
/// there is no `Deserialize`.
///
/// ```text
/// #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
/// pub enum Direction { Asc, Desc }
/// crate::value_enum!(Direction { Asc = "asc", Desc = "desc" });
/// ```
#[doc(hidden)]
#[macro_export]
macro_rules! value_enum {
    ($name:ident { $($variant:ident = $wire:literal),* $(,)? }) => {
        impl $name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &'static str {
                match self {
                    $($name::$variant => $wire,)*
                }
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use serde_json::{Map, Value, json};

    #[derive(Default)]
    struct Body {
        name: Option<String>,
        ttl: Option<i64>,
        comment: Option<Option<String>>,
        nested: Option<Vec<Body>>,
        extra: Map<String, Value>,
    }
    crate::object_serialize!(Body, extra { name = "name", ttl = "ttl", comment = "comment", nested = "nested" });

    #[derive(Default)]
    struct Params {
        name: Option<String>,
        tags: Vec<String>,
        ids: super::CommaList<f64>,
    }
    crate::object_serialize!(Params { name = "name", tags = "tag", ids = "ids" });

    #[derive(Clone, Copy)]
    enum Direction {
        Asc,
        Desc,
    }
    crate::value_enum!(Direction { Asc = "asc", Desc = "desc" });

    #[test]
    fn writes_present_fields_in_order_then_extra_entries() {
        let mut body = Body {
            ttl: Some(3600),
            name: Some("a".into()),
            comment: Some(None),
            nested: Some(vec![Body::default()]),
            ..Body::default()
        };
        body.extra.insert("z".into(), json!(1));
        body.extra.insert("a".into(), json!([true]));
        assert_eq!(
            serde_json::to_string(&body).unwrap(),
            r#"{"name":"a","ttl":3600,"comment":null,"nested":[{}],"z":1,"a":[true]}"#
        );
        assert_eq!(serde_json::to_string(&Body::default()).unwrap(), "{}");
    }

    #[test]
    fn an_empty_list_is_left_out() {
        let mut params = Params::default();
        assert_eq!(serde_json::to_string(&params).unwrap(), "{}");
        params.tags = vec!["a".into()];
        params.name = Some("n".into());
        assert_eq!(
            serde_json::to_string(&params).unwrap(),
            r#"{"name":"n","tag":["a"]}"#
        );
        params.ids = [1.0, 2.5, -3.0].into_iter().collect();
        assert_eq!(
            serde_json::to_string(&params).unwrap(),
            r#"{"name":"n","tag":["a"],"ids":"1,2.5,-3"}"#
        );
    }

    #[test]
    fn a_value_enum_is_its_wire_string() {
        assert_eq!(
            serde_json::to_string(&[Direction::Asc, Direction::Desc]).unwrap(),
            r#"["asc","desc"]"#
        );
        assert_eq!(Direction::Desc.as_str(), "desc");
    }
}
