//! `response_union!`: the `Deserialize` and `Serialize` behind every generated response
//! union, an enum of values told apart first by their JSON type (`origin_port`: an integer or
//! a string) and, among several objects, by the value of one key (DNS records by `type`) or,
//! without one, by the keys each object alone has (Access rules: `{"email": …}`).
//!
//! The value is read whole (a union cannot know its variant before it has seen the key that
//! tells, which may come last), its variant picked (an object without the tag by the keys only
//! one variant has), and the value handed to the variant's type, whose fields decode
//! leniently as everywhere else. A value no variant picks (of a JSON type no variant has, a
//! tag value the docs do not list, no tag and none or several variants' own keys) is never
//! decoded as another variant: it is kept as received in `Unknown` and reported as drift (an
//! error in strict mode). A union of objects only refuses another JSON type instead, as a
//! struct does, so that the field holding it reads it as drift. Serializing writes back what
//! was read: the variant's value (a struct's fields, then what its `Extra` kept), or the
//! unknown value itself.

use std::sync::Arc;

use serde::Deserialize;
use serde::de::{self, DeserializeOwned, Deserializer, MapAccess, Visitor};
use serde_json::{Map, Value};

use crate::decode::lenient::scope::{Caught, Steps, json_type, record, strict};

/// Reads an object, refusing another JSON type where it starts.
fn object<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Map<String, Value>, D::Error> {
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

/// What JSON value a union's variant is: what picks it first. A union has at most one
/// variant of each kind but [`Kind::Object`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// An object; several are told apart by a tag or by their own keys.
    Object,
    /// A string (or an open enum).
    String,
    /// A number that fits an `i64`.
    Integer,
    /// A number; with an integer variant beside it, one that is not an integer.
    Number,
    /// `true` or `false`.
    Boolean,
    /// An array.
    Array,
}

impl Kind {
    fn described(self) -> &'static str {
        match self {
            Kind::Object => "an object",
            Kind::String => "a string",
            Kind::Integer => "an integer",
            Kind::Number => "a number",
            Kind::Boolean => "a boolean",
            Kind::Array => "an array",
        }
    }
}

/// Reads a union's value: for a union of objects only, an object, refusing another JSON type
/// where it starts (as a struct does, so that the field holding it reads it as drift); else a
/// value of any JSON type. `Err` holds a value a repairing decode took out and reported
/// already (see `capture::repaired`), which the union keeps as unknown.
pub fn read<'de, D: Deserializer<'de>>(
    deserializer: D,
    kinds: &[Kind],
) -> Result<Result<Value, Value>, D::Error> {
    if kinds.iter().all(|k| *k == Kind::Object) {
        return object(deserializer).map(|object| Ok(Value::Object(object)));
    }
    let value = Value::deserialize(deserializer)?;
    Ok(
        match crate::decode::lenient::capture::unwrap_repaired(value) {
            Ok(taken) => Err(taken),
            Err(value) => Ok(value),
        },
    )
}

/// The index of the variant `value` is. Its JSON type picks first: a string the string
/// variant, a number that fits an `i64` the integer variant (another number, or one without
/// an integer variant, the number variant), and so on. Among several objects, the one whose
/// `selectors` list the value of its `tag`; for an object without the tag (a union without
/// one, or a variant that need not send it), the one variant whose `own_keys` (keys no other
/// variant has) it has. A lone object variant is any object. `None` for a value of a type no
/// variant has, a tag value no variant lists, or no variant's own keys, or several's.
pub fn pick(
    value: &Value,
    tag: Option<&str>,
    kinds: &[Kind],
    selectors: &[&[&str]],
    own_keys: &[&[&str]],
) -> Option<usize> {
    let of = |kind: Kind| kinds.iter().position(|k| *k == kind);
    match value {
        Value::Object(object) => {
            let mut objects = kinds
                .iter()
                .enumerate()
                .filter(|(_, k)| **k == Kind::Object);
            let (first, _) = objects.next()?;
            if objects.next().is_none() {
                return Some(first);
            }
            pick_object(object, tag, selectors, own_keys)
        }
        Value::String(_) => of(Kind::String),
        Value::Number(n) => match n.as_i64() {
            Some(_) => of(Kind::Integer).or_else(|| of(Kind::Number)),
            None => of(Kind::Number),
        },
        Value::Bool(_) => of(Kind::Boolean),
        Value::Array(_) => of(Kind::Array),
        Value::Null => None,
    }
}

/// Among several objects, the variant `object` is (see [`pick`]).
fn pick_object(
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

/// Decodes the variant's value `T` (a struct, a string, a list, ...) from the whole `value`
/// its [`Kind`] `kind` picked. A value the type cannot read though its kind fits (an array
/// with an element of another type) is `Err`, kept as received and reported as drift, or an
/// error in strict mode.
pub fn variant<T: DeserializeOwned, E: de::Error>(
    value: Value,
    kind: Kind,
) -> Result<Result<T, Value>, E> {
    let error = match T::deserialize(&value) {
        Ok(read) => return Ok(Ok(read)),
        Err(error) => error,
    };
    if strict() {
        return Err(E::custom(error));
    }
    report(
        &value,
        format!("{} as documented", kind.described()),
        error.to_string(),
    );
    Ok(Err(value))
}

/// Records `value`, kept in a union's `Unknown`, as drift at the union's place.
fn report(value: &Value, expected: String, detail: String) {
    let caught = Caught {
        segs: Steps::default(),
        expected: Arc::from(expected),
        found: json_type(value),
        detail: Some(detail.into_boxed_str()),
        raw: Value::Null,
    };
    record(caught, value);
}

/// A value no variant picks (see [`pick`]): kept as received and reported as drift, or an
/// error in strict mode.
pub fn unknown<E: de::Error>(
    value: Value,
    tag: Option<&str>,
    kinds: &[Kind],
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
    let objects = kinds.iter().filter(|k| **k == Kind::Object).count();
    let (objects_expected, found) = match (&value, tag) {
        (Value::Object(object), Some(key)) => (
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
        (Value::Object(object), None) => {
            let present: Vec<&str> = keys
                .iter()
                .map(String::as_str)
                .filter(|k| object.contains_key(*k))
                .collect();
            (
                format!(
                    "an object with the keys of one of its variants: {}",
                    keys.join(", ")
                ),
                match present.as_slice() {
                    [] => "none of those keys".to_owned(),
                    keys => format!("keys of several variants: {}", keys.join(", ")),
                },
            )
        }
        (other, _) => ("an object".to_owned(), json_type(other).to_owned()),
    };
    let mut expected: Vec<String> = kinds
        .iter()
        .filter(|k| **k != Kind::Object)
        .map(|k| k.described().to_owned())
        .collect();
    if objects > 0 {
        expected.push(objects_expected);
    }
    let expected = match expected.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    };
    if strict() {
        return Err(E::custom(format!(
            "unknown variant: {found}, expected {expected}"
        )));
    }
    report(&value, expected, format!("unknown variant: {found}"));
    Ok(value)
}

/// Implements `Deserialize` and `Serialize` for a generated response union: an enum whose
/// variants each hold a value (a response struct, a string, a list, ...), plus
/// `Unknown(serde_json::Value)`:
/// `response_union!(Name, Some("tag"), { 0 => Variant: Object ["value", …] ["own key", …], 1 => Text: String [] [], … })`:
/// each variant's [`Kind`], its tag values (or, with `None`, its own keys) and the keys only
/// it has. See the module docs.
#[doc(hidden)]
#[macro_export]
macro_rules! response_union {
    ($name:ident, $tag:expr, {
        $($index:literal => $variant:ident: $kind:ident
            [$($selector:literal),* $(,)?] [$($own:literal),* $(,)?]),* $(,)?
    }) => {
        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                const KINDS: &[$crate::union::Kind] = &[$($crate::union::Kind::$kind),*];
                const SELECTORS: &[&[&str]] = &[$(&[$($selector),*]),*];
                const OWN_KEYS: &[&[&str]] = &[$(&[$($own),*]),*];
                let value = match $crate::union::read(deserializer, KINDS)? {
                    ::std::result::Result::Ok(value) => value,
                    ::std::result::Result::Err(taken) => {
                        return ::std::result::Result::Ok($name::Unknown(taken));
                    }
                };
                match $crate::union::pick(&value, $tag, KINDS, SELECTORS, OWN_KEYS) {
                    $(::std::option::Option::Some($index) => {
                        match $crate::union::variant(value, KINDS[$index])? {
                            ::std::result::Result::Ok(read) => {
                                ::std::result::Result::Ok($name::$variant(read))
                            }
                            ::std::result::Result::Err(raw) => {
                                ::std::result::Result::Ok($name::Unknown(raw))
                            }
                        }
                    })*
                    _ => $crate::union::unknown(value, $tag, KINDS, SELECTORS, OWN_KEYS)
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
