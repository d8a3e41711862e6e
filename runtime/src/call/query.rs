//! Query encoding: a [`serde::Serializer`] that turns a parameters struct
//! (or a map, or a list of pairs) into query pairs, in field order.
//!
//! The rules, as the official SDKs send parameters: a struct's fields come
//! in declaration order (a map's entries in its iteration order); `None` and
//! unit values are skipped; a sequence repeats its key (`a=1&a=2`); a nested
//! struct or map prefixes its keys with dots (`actor.email=…`); booleans are
//! `true`/`false`, unit enum variants their serde name, integers their
//! digits, floats as `serde_json` prints them except that a whole float
//! prints without `.0` (non-finite floats are skipped, as JSON has no
//! text for them). Pairs are returned as text; form-encoding them is the
//! URL's job.

use std::fmt;

use serde::ser::{self, Impossible, Serialize};

/// Why a value cannot be sent as a query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Error(String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<M: fmt::Display>(message: M) -> Self {
        Error(message.to_string())
    }
}

fn not_a_query() -> Error {
    Error("must serialize to a map or a list of (key, value) pairs".to_owned())
}

fn not_a_pair() -> Error {
    Error("a list must hold (key, value) pairs".to_owned())
}

fn not_a_key() -> Error {
    Error("a query key must be a string, a number or a boolean".to_owned())
}

/// Query pairs for `query`: a struct, a map, a list of `(key, value)`
/// pairs, or `None`/`()` for none.
pub(crate) fn to_pairs<Q: Serialize + ?Sized>(query: &Q) -> Result<Vec<(String, String)>, Error> {
    let mut pairs = Vec::new();
    query.serialize(Pairs {
        out: &mut pairs,
        key: None,
    })?;
    Ok(pairs)
}

/// The text of a float, `None` when not finite.
fn float_text(value: f64) -> Option<String> {
    if value.fract() == 0.0 && value.abs() < 9.0e15 {
        return Some(format!("{}", value as i64));
    }
    serde_json::Number::from_f64(value).map(|n| n.to_string())
}

/// `prefix.key`, or `key` at the top.
fn join(prefix: Option<&str>, key: &str) -> String {
    match prefix {
        Some(prefix) => format!("{prefix}.{key}"),
        None => key.to_owned(),
    }
}

/// Writes a value's pairs under `key`, or, at the top (`key` is `None`),
/// the pairs of a whole query.
struct Pairs<'a> {
    out: &'a mut Vec<(String, String)>,
    key: Option<String>,
}

impl Pairs<'_> {
    fn text(self, text: String) -> Result<(), Error> {
        let key = self.key.ok_or_else(not_a_query)?;
        self.out.push((key, text));
        Ok(())
    }
}

impl<'a> ser::Serializer for Pairs<'a> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Seq<'a>;
    type SerializeTuple = Seq<'a>;
    type SerializeTupleStruct = Seq<'a>;
    type SerializeTupleVariant = Seq<'a>;
    type SerializeMap = Entries<'a>;
    type SerializeStruct = Entries<'a>;
    type SerializeStructVariant = Entries<'a>;

    fn serialize_bool(self, v: bool) -> Result<(), Error> {
        self.text(v.to_string())
    }
    fn serialize_i8(self, v: i8) -> Result<(), Error> {
        self.text(v.to_string())
    }
    fn serialize_i16(self, v: i16) -> Result<(), Error> {
        self.text(v.to_string())
    }
    fn serialize_i32(self, v: i32) -> Result<(), Error> {
        self.text(v.to_string())
    }
    fn serialize_i64(self, v: i64) -> Result<(), Error> {
        self.text(v.to_string())
    }
    fn serialize_i128(self, v: i128) -> Result<(), Error> {
        self.text(v.to_string())
    }
    fn serialize_u8(self, v: u8) -> Result<(), Error> {
        self.text(v.to_string())
    }
    fn serialize_u16(self, v: u16) -> Result<(), Error> {
        self.text(v.to_string())
    }
    fn serialize_u32(self, v: u32) -> Result<(), Error> {
        self.text(v.to_string())
    }
    fn serialize_u64(self, v: u64) -> Result<(), Error> {
        self.text(v.to_string())
    }
    fn serialize_u128(self, v: u128) -> Result<(), Error> {
        self.text(v.to_string())
    }
    fn serialize_f32(self, v: f32) -> Result<(), Error> {
        self.serialize_f64(f64::from(v))
    }
    fn serialize_f64(self, v: f64) -> Result<(), Error> {
        match float_text(v) {
            Some(text) => self.text(text),
            None if self.key.is_some() => Ok(()),
            None => Err(not_a_query()),
        }
    }
    fn serialize_char(self, v: char) -> Result<(), Error> {
        self.text(v.to_string())
    }
    fn serialize_str(self, v: &str) -> Result<(), Error> {
        self.text(v.to_owned())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), Error> {
        let key = self.key.ok_or_else(not_a_query)?;
        for byte in v {
            self.out.push((key.clone(), byte.to_string()));
        }
        Ok(())
    }
    fn serialize_none(self) -> Result<(), Error> {
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Error> {
        Ok(())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), Error> {
        Ok(())
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), Error> {
        self.text(variant.to_owned())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        value.serialize(self)
    }
    /// As a one-entry map, `{variant: value}`.
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        value.serialize(Pairs {
            key: Some(join(self.key.as_deref(), variant)),
            out: self.out,
        })
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Seq<'a>, Error> {
        Ok(Seq {
            out: self.out,
            key: self.key,
        })
    }
    fn serialize_tuple(self, len: usize) -> Result<Seq<'a>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Result<Seq<'a>, Error> {
        self.serialize_seq(Some(len))
    }
    /// As a one-entry map, `{variant: [..]}`.
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Seq<'a>, Error> {
        Ok(Seq {
            key: Some(join(self.key.as_deref(), variant)),
            out: self.out,
        })
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Entries<'a>, Error> {
        Ok(Entries {
            out: self.out,
            prefix: self.key,
            key: None,
        })
    }
    fn serialize_struct(self, _name: &'static str, len: usize) -> Result<Entries<'a>, Error> {
        self.serialize_map(Some(len))
    }
    /// As a one-entry map, `{variant: {..}}`.
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Entries<'a>, Error> {
        Ok(Entries {
            prefix: Some(join(self.key.as_deref(), variant)),
            out: self.out,
            key: None,
        })
    }
}

/// A sequence: under a key, every element repeats the key; at the top, every
/// element is a `(key, value)` pair.
struct Seq<'a> {
    out: &'a mut Vec<(String, String)>,
    key: Option<String>,
}

impl Seq<'_> {
    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        match &self.key {
            Some(key) => value.serialize(Pairs {
                out: self.out,
                key: Some(key.clone()),
            }),
            None => value.serialize(Pair { out: self.out }),
        }
    }
}

impl ser::SerializeSeq for Seq<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.element(value)
    }
    fn end(self) -> Result<(), Error> {
        Ok(())
    }
}

impl ser::SerializeTuple for Seq<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.element(value)
    }
    fn end(self) -> Result<(), Error> {
        Ok(())
    }
}

impl ser::SerializeTupleStruct for Seq<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.element(value)
    }
    fn end(self) -> Result<(), Error> {
        Ok(())
    }
}

impl ser::SerializeTupleVariant for Seq<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.element(value)
    }
    fn end(self) -> Result<(), Error> {
        Ok(())
    }
}

/// A struct's fields or a map's entries, keyed below `prefix` (none at the top).
struct Entries<'a> {
    out: &'a mut Vec<(String, String)>,
    prefix: Option<String>,
    /// The key of the entry whose value comes next.
    key: Option<String>,
}

impl Entries<'_> {
    fn entry<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> Result<(), Error> {
        value.serialize(Pairs {
            key: Some(join(self.prefix.as_deref(), key)),
            out: self.out,
        })
    }
}

impl ser::SerializeMap for Entries<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        self.key = Some(key.serialize(KeyText)?);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        let key = self
            .key
            .take()
            .ok_or_else(|| Error("a map value came without its key".to_owned()))?;
        self.entry(&key, value)
    }
    fn end(self) -> Result<(), Error> {
        Ok(())
    }
}

impl ser::SerializeStruct for Entries<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.entry(key, value)
    }
    fn end(self) -> Result<(), Error> {
        Ok(())
    }
}

impl ser::SerializeStructVariant for Entries<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.entry(key, value)
    }
    fn end(self) -> Result<(), Error> {
        Ok(())
    }
}

/// One element of a top-level list: a `(key, value)` tuple or a two-element
/// sequence.
struct Pair<'a> {
    out: &'a mut Vec<(String, String)>,
}

impl<'a> Pair<'a> {
    fn start(self) -> Result<PairParts<'a>, Error> {
        Ok(PairParts {
            out: self.out,
            key: None,
            len: 0,
        })
    }
}

macro_rules! not_a_pair {
    ($($method:ident($($arg:ty),*) -> $ok:ty;)*) => {
        $(fn $method(self, $(_: $arg),*) -> Result<$ok, Error> {
            Err(not_a_pair())
        })*
    };
}

impl<'a> ser::Serializer for Pair<'a> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = PairParts<'a>;
    type SerializeTuple = PairParts<'a>;
    type SerializeTupleStruct = PairParts<'a>;
    type SerializeTupleVariant = Impossible<(), Error>;
    type SerializeMap = Impossible<(), Error>;
    type SerializeStruct = Impossible<(), Error>;
    type SerializeStructVariant = Impossible<(), Error>;

    not_a_pair! {
        serialize_bool(bool) -> ();
        serialize_i8(i8) -> ();
        serialize_i16(i16) -> ();
        serialize_i32(i32) -> ();
        serialize_i64(i64) -> ();
        serialize_i128(i128) -> ();
        serialize_u8(u8) -> ();
        serialize_u16(u16) -> ();
        serialize_u32(u32) -> ();
        serialize_u64(u64) -> ();
        serialize_u128(u128) -> ();
        serialize_f32(f32) -> ();
        serialize_f64(f64) -> ();
        serialize_char(char) -> ();
        serialize_str(&str) -> ();
        serialize_bytes(&[u8]) -> ();
        serialize_none() -> ();
        serialize_unit() -> ();
        serialize_unit_struct(&'static str) -> ();
        serialize_unit_variant(&'static str, u32, &'static str) -> ();
        serialize_tuple_variant(&'static str, u32, &'static str, usize) -> Impossible<(), Error>;
        serialize_map(Option<usize>) -> Impossible<(), Error>;
        serialize_struct(&'static str, usize) -> Impossible<(), Error>;
        serialize_struct_variant(&'static str, u32, &'static str, usize) -> Impossible<(), Error>;
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result<(), Error> {
        Err(not_a_pair())
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<PairParts<'a>, Error> {
        self.start()
    }
    fn serialize_tuple(self, _len: usize) -> Result<PairParts<'a>, Error> {
        self.start()
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<PairParts<'a>, Error> {
        self.start()
    }
}

/// The two parts of a pair: the key, then the value written under it.
struct PairParts<'a> {
    out: &'a mut Vec<(String, String)>,
    key: Option<String>,
    len: usize,
}

impl PairParts<'_> {
    fn part<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.len += 1;
        match self.len {
            1 => self.key = Some(value.serialize(KeyText)?),
            2 => value.serialize(Pairs {
                out: self.out,
                key: self.key.clone(),
            })?,
            _ => return Err(not_a_pair()),
        }
        Ok(())
    }

    fn finish(self) -> Result<(), Error> {
        if self.len == 2 {
            Ok(())
        } else {
            Err(not_a_pair())
        }
    }
}

impl ser::SerializeSeq for PairParts<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.part(value)
    }
    fn end(self) -> Result<(), Error> {
        self.finish()
    }
}

impl ser::SerializeTuple for PairParts<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.part(value)
    }
    fn end(self) -> Result<(), Error> {
        self.finish()
    }
}

impl ser::SerializeTupleStruct for PairParts<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.part(value)
    }
    fn end(self) -> Result<(), Error> {
        self.finish()
    }
}

/// A key's text: a string, a number, a boolean or a unit variant.
struct KeyText;

macro_rules! key_text {
    ($($method:ident($arg:ty);)*) => {
        $(fn $method(self, v: $arg) -> Result<String, Error> {
            Ok(v.to_string())
        })*
    };
}

macro_rules! not_a_key {
    ($($method:ident($($arg:ty),*) -> $ok:ty;)*) => {
        $(fn $method(self, $(_: $arg),*) -> Result<$ok, Error> {
            Err(not_a_key())
        })*
    };
}

impl ser::Serializer for KeyText {
    type Ok = String;
    type Error = Error;
    type SerializeSeq = Impossible<String, Error>;
    type SerializeTuple = Impossible<String, Error>;
    type SerializeTupleStruct = Impossible<String, Error>;
    type SerializeTupleVariant = Impossible<String, Error>;
    type SerializeMap = Impossible<String, Error>;
    type SerializeStruct = Impossible<String, Error>;
    type SerializeStructVariant = Impossible<String, Error>;

    key_text! {
        serialize_bool(bool);
        serialize_i8(i8);
        serialize_i16(i16);
        serialize_i32(i32);
        serialize_i64(i64);
        serialize_i128(i128);
        serialize_u8(u8);
        serialize_u16(u16);
        serialize_u32(u32);
        serialize_u64(u64);
        serialize_u128(u128);
        serialize_char(char);
        serialize_str(&str);
    }

    not_a_key! {
        serialize_bytes(&[u8]) -> String;
        serialize_none() -> String;
        serialize_unit() -> String;
        serialize_unit_struct(&'static str) -> String;
        serialize_seq(Option<usize>) -> Impossible<String, Error>;
        serialize_tuple(usize) -> Impossible<String, Error>;
        serialize_tuple_struct(&'static str, usize) -> Impossible<String, Error>;
        serialize_tuple_variant(&'static str, u32, &'static str, usize) -> Impossible<String, Error>;
        serialize_map(Option<usize>) -> Impossible<String, Error>;
        serialize_struct(&'static str, usize) -> Impossible<String, Error>;
        serialize_struct_variant(&'static str, u32, &'static str, usize) -> Impossible<String, Error>;
    }

    fn serialize_f32(self, v: f32) -> Result<String, Error> {
        self.serialize_f64(f64::from(v))
    }
    fn serialize_f64(self, v: f64) -> Result<String, Error> {
        float_text(v).ok_or_else(not_a_key)
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<String, Error> {
        Ok(variant.to_owned())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, _value: &T) -> Result<String, Error> {
        Err(not_a_key())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<String, Error> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result<String, Error> {
        Err(not_a_key())
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::Serialize;

    use super::*;

    fn pairs<Q: Serialize + ?Sized>(query: &Q) -> Vec<(String, String)> {
        to_pairs(query).unwrap()
    }

    fn expect(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[derive(Serialize)]
    #[serde(rename_all = "snake_case")]
    enum Direction {
        Desc,
    }

    #[derive(Serialize)]
    struct Zone {
        name: &'static str,
        id: Option<&'static str>,
    }

    /// Field names out of alphabetical order: a detour through a sorted map
    /// (serde_json without `preserve_order`) would reorder them.
    #[derive(Serialize)]
    struct Params {
        zulu: Option<&'static str>,
        since: &'static str,
        ids: Vec<u32>,
        missing: Option<u32>,
        #[serde(rename = "actor.email")]
        actor_email: &'static str,
        hide: bool,
        per_page: f64,
        ratio: f64,
        direction: Direction,
        zone: Zone,
        alpha: (),
    }

    #[test]
    fn struct_fields_keep_their_order_and_lists_repeat_their_key() {
        let query = Params {
            zulu: Some("z"),
            since: "2024-05-01",
            ids: vec![3, 1, 2],
            missing: None,
            actor_email: "a@b.c",
            hide: true,
            per_page: 25.0,
            ratio: 0.5,
            direction: Direction::Desc,
            zone: Zone {
                name: "example.com",
                id: None,
            },
            alpha: (),
        };
        assert_eq!(
            pairs(&query),
            expect(&[
                ("zulu", "z"),
                ("since", "2024-05-01"),
                ("ids", "3"),
                ("ids", "1"),
                ("ids", "2"),
                ("actor.email", "a@b.c"),
                ("hide", "true"),
                ("per_page", "25"),
                ("ratio", "0.5"),
                ("direction", "desc"),
                ("zone.name", "example.com"),
            ])
        );
    }

    #[test]
    fn lists_of_pairs_maps_and_nothing() {
        assert_eq!(
            pairs(&[("b", "1"), ("a", "2"), ("b", "3")]),
            expect(&[("b", "1"), ("a", "2"), ("b", "3")])
        );
        assert_eq!(
            pairs(&vec![("export", true)]),
            expect(&[("export", "true")])
        );
        assert_eq!(
            pairs(&[["k", "v"]]),
            expect(&[("k", "v")]),
            "two-element arrays are pairs too"
        );
        assert_eq!(
            pairs(&[(1, vec![Some("x"), None, Some("y")])]),
            expect(&[("1", "x"), ("1", "y")])
        );
        let map = BTreeMap::from([("b", 2), ("a", 1)]);
        assert_eq!(pairs(&map), expect(&[("a", "1"), ("b", "2")]));
        assert_eq!(pairs(&None::<Params>), expect(&[]));
        assert_eq!(pairs(&()), expect(&[]));
        assert_eq!(
            pairs(&[("n", f64::NAN), ("half", 2.5), ("neg", -3.0)]),
            expect(&[("half", "2.5"), ("neg", "-3")])
        );
    }

    #[test]
    fn unsupported_shapes_are_clear_errors() {
        let error = |message: &str| Err(Error(message.to_owned()));
        assert_eq!(
            to_pairs(&42),
            error("must serialize to a map or a list of (key, value) pairs")
        );
        assert_eq!(
            to_pairs("text"),
            error("must serialize to a map or a list of (key, value) pairs")
        );
        assert_eq!(
            to_pairs(&[("a", "b", "c")]),
            error("a list must hold (key, value) pairs")
        );
        assert_eq!(
            to_pairs(&["a"]),
            error("a list must hold (key, value) pairs")
        );
        assert_eq!(
            to_pairs(&[(None::<&str>, 1)]),
            error("a query key must be a string, a number or a boolean")
        );
        let nested_key = BTreeMap::from([(vec![1], 1)]);
        assert_eq!(
            to_pairs(&nested_key),
            error("a query key must be a string, a number or a boolean")
        );
    }

    #[test]
    fn json_objects_are_read_in_their_own_order() {
        // A `serde_json::Value` iterates in its map's order (insertion order
        // with `preserve_order`, sorted without); what this serializer adds
        // is no reordering of its own.
        let value = serde_json::json!({"a": 1, "list": ["x", "y"], "obj": {"k": null, "v": false}});
        let got = pairs(&value);
        let mut sorted = got.clone();
        sorted.sort();
        assert_eq!(
            sorted,
            expect(&[("a", "1"), ("list", "x"), ("list", "y"), ("obj.v", "false")])
        );
    }
}
