//! One-pass lenient decoding: a documented field whose JSON value has another type than
//! documented is recognised where it starts, captured whole into its object's [`Extra`], read
//! as absent and reported, all within the single streaming pass over the page.
//!
//! Every field of a generated response object is decoded through [`Field`], which asks for
//! "any" value and hands what arrives to the field's type itself:
//! - a scalar (string, number, boolean) through serde's value deserializers, so that a type
//!   that rejects it fails there, cheaply, with the value still in hand to keep;
//! - an array or an object through a deserializer that lets the type read it if the type asks
//!   for that kind of value, and otherwise reads it into a `Value` there and then.
//!
//! So a mismatch never travels through serde_json as an error (which would cost a scan of the
//! page up to it, to compute its line and column), and a conforming body pays for nothing but
//! a thread-local counter read before and after each field. What cannot be read as absent, a
//! value inside an array that does not fit (`"ids": ["a", 2]` for a list of strings), fails
//! the pass; the decoder then falls back to [`crate::lenient`]'s repairing decode.
//!
//! Warnings are collected in the thread-local scope of `lenient::scope`, which the
//! runtime opens around one decode. Their JSON path is built on the
//! way out: the field that caught the value writes its key, and each enclosing field and
//! array element that sees the counter move adds its own key or index.

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;

use serde::de::value::{
    BoolDeserializer, BorrowedStrDeserializer, F64Deserializer, I64Deserializer,
    MapAccessDeserializer, SeqAccessDeserializer, StrDeserializer, U64Deserializer,
    UnitDeserializer,
};
use serde::de::{
    self, Deserialize, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Unexpected, Visitor,
};
use serde_json::Value;

use crate::decode::lenient::extra::Extra;
use crate::decode::lenient::scope::{
    Caught, Kind, Seg, Steps, catch_refused, count, enclose, json_type, open, record, refused,
    remember_refusal, strict,
};

/// The key under which the repairing decode hands [`Field`] a value it already reported.
pub(crate) const REPAIRED: &str = "\u{0}runtime::capture::repaired";

/// A value the repairing decode took out, as it hands it back to its field: wrapped in the
/// kind of container the field's type does not read, so that the type refuses it where it
/// starts and [`Field`] keeps it. An array goes under [`REPAIRED`] in an object; an object (a
/// map taken out) goes in `[REPAIRED, object]`.
pub(crate) fn repaired(raw: Value) -> Value {
    match raw {
        Value::Object(_) => Value::Array(vec![Value::from(REPAIRED), raw]),
        raw => Value::Object(serde_json::Map::from_iter([(REPAIRED.to_owned(), raw)])),
    }
}

/// Whether `value` is a wrapper [`repaired`] made.
pub(crate) fn is_repaired(value: &Value) -> bool {
    match value {
        Value::Object(o) => o.len() == 1 && o.contains_key(REPAIRED),
        Value::Array(a) => {
            a.len() == 2
                && a[0].as_str() == Some(REPAIRED)
                && a.get(1).is_some_and(Value::is_object)
        }
        _ => false,
    }
}

/// The value a [`repaired`] wrapper holds (`Ok`), or `value` itself when it is none (`Err`).
pub(crate) fn unwrap_repaired(value: Value) -> Result<Value, Value> {
    if !is_repaired(&value) {
        return Err(value);
    }
    Ok(match value {
        Value::Object(mut o) => o.remove(REPAIRED).unwrap_or_default(),
        Value::Array(mut a) => a.pop().unwrap_or_default(),
        other => other,
    })
}

/// Decodes `T` from `deserializer` in one pass: drifted fields read as absent, are kept in
/// their object's [`Extra`] and are returned as [`Caught`] values (none in `strict` mode,
/// where drift is an error).
pub(crate) fn decode<'de, T, D>(deserializer: D, strict: bool) -> Result<(T, Vec<Caught>), D::Error>
where
    T: Deserialize<'de>,
    D: Deserializer<'de>,
{
    decode_keeping(deserializer, strict, usize::MAX)
}

/// [`decode`], copying the raw value of only the first `keep` values caught: the rest have
/// `null` in [`Caught::raw`] (each is still in its object's [`Extra`]).
pub(crate) fn decode_keeping<'de, T, D>(
    deserializer: D,
    strict: bool,
    keep: usize,
) -> Result<(T, Vec<Caught>), D::Error>
where
    T: Deserialize<'de>,
    D: Deserializer<'de>,
{
    let opened = open(strict, keep);
    let data = InScope::<T>::deserialize(deserializer);
    let caught = opened.close();
    data.map(|InScope(data)| (data, caught))
}

/// `T`, decoded as [`decode`] decodes it, with what drifted recorded in the scope [`open`]
/// opened: a type rather than a function, for serde_json's `StreamDeserializer`, which
/// decodes a value where it stands in a larger text (see `lenient::members`).
pub(crate) struct InScope<T>(pub(crate) T);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for InScope<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer
            .deserialize_any(ElementVisitor(PhantomData::<T>))
            .map(InScope)
    }
}

/// serde's words for a value of another type than expected.
pub(crate) fn invalid_type(raw: &Value, expected: &str) -> String {
    let unexpected = match raw {
        Value::Null => Unexpected::Unit,
        Value::Bool(b) => Unexpected::Bool(*b),
        Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
            (Some(u), _, _) => Unexpected::Unsigned(u),
            (_, Some(i), _) => Unexpected::Signed(i),
            (_, _, f) => Unexpected::Float(f.unwrap_or(f64::NAN)),
        },
        Value::String(s) => Unexpected::Str(s),
        Value::Array(_) => Unexpected::Seq,
        Value::Object(_) => Unexpected::Map,
    };
    format!("invalid type: {unexpected}, expected {expected}")
}

/// What a serde message says was expected: `i64` in `invalid type: string "7", expected i64`.
pub(crate) fn expected_of(message: &str) -> Arc<str> {
    match message.rsplit_once(", expected ") {
        Some((_, rest)) => rest.split(" at line ").next().unwrap_or(rest).into(),
        None => "".into(),
    }
}

/// Decodes the value of documented key `key` of a response object into `Option<T>`: `null`
/// is `None`, and so is a value of another JSON type, which is kept in `extra`.
pub struct Field<'a, T> {
    extra: &'a mut Extra,
    key: &'static str,
    marker: PhantomData<fn() -> T>,
}

impl<'a, T: 'static> Field<'a, T> {
    /// The seed for key `key` of the object whose [`Extra`] is `extra`.
    pub fn new(extra: &'a mut Extra, key: &'static str) -> Self {
        Field {
            extra,
            key,
            marker: PhantomData,
        }
    }

    /// `T`'s verdict on a value of kind `kind`: `raw` gives the value back (and whether it
    /// was reported already) when `T` refused it where it starts, `None` when `T` failed
    /// inside it.
    fn settle<E: de::Error>(
        self,
        kind: Kind,
        result: Result<T, E>,
        raw: impl FnOnce() -> Option<(Value, bool)>,
    ) -> Result<Option<T>, E> {
        let error = match result {
            Ok(value) => return Ok(Some(value)),
            Err(error) => error,
        };
        let Some((raw, reported)) = raw() else {
            return Err(error);
        };
        if reported {
            self.extra.insert_drifted(self.key, raw);
            return Ok(None);
        }
        if strict() {
            return Err(error);
        }
        let message = error.to_string();
        let expected = expected_of(&message);
        if message.starts_with("invalid type:") {
            remember_refusal::<T>(kind, &expected);
        }
        let rebuilt = invalid_type(&raw, &expected);
        let detail = (message != rebuilt).then(|| message.into_boxed_str());
        Ok(self.keep(raw, expected, detail))
    }

    /// Reads a value `T` refused as absent: kept in the object's [`Extra`] and recorded.
    fn keep(self, raw: Value, expected: Arc<str>, detail: Option<Box<str>>) -> Option<T> {
        // `Field::deserialize` adds the key, as for values caught deeper inside.
        let caught = Caught {
            segs: Steps::default(),
            expected,
            found: json_type(&raw),
            detail,
            raw: Value::Null,
        };
        record(caught, &raw);
        self.extra.insert_drifted(self.key, raw);
        None
    }

    /// A scalar: kept at once when `T` is known to refuse its kind, else offered to `T`.
    fn scalar<E: de::Error>(
        self,
        kind: Kind,
        decode: impl FnOnce() -> Result<T, E>,
        raw: impl FnOnce() -> Value,
    ) -> Result<Option<T>, E> {
        let raw = match catch_refused::<T, _>(kind, raw) {
            Ok(caught) => {
                self.extra.insert_drifted(self.key, caught);
                return Ok(None);
            }
            Err(raw) => raw,
        };
        let result = decode();
        self.settle(kind, result, || Some((raw(), false)))
    }
}

impl<'de, T: Deserialize<'de> + 'static> DeserializeSeed<'de> for Field<'_, T> {
    type Value = Option<T>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Option<T>, D::Error> {
        let before = count();
        let key = self.key;
        let value = deserializer.deserialize_any(self)?;
        if count() != before {
            enclose(before, Seg::Key(key));
        }
        Ok(value)
    }
}

impl<'de, T: Deserialize<'de> + 'static> Visitor<'de> for Field<'_, T> {
    type Value = Option<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_none<E: de::Error>(self) -> Result<Option<T>, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Option<T>, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Option<T>, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Option<T>, E> {
        let decode = || T::deserialize(BoolDeserializer::<E>::new(v));
        self.scalar(Kind::Bool, decode, || Value::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Option<T>, E> {
        let decode = || T::deserialize(I64Deserializer::<E>::new(v));
        self.scalar(Kind::Signed, decode, || Value::from(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Option<T>, E> {
        let decode = || T::deserialize(U64Deserializer::<E>::new(v));
        self.scalar(Kind::Unsigned, decode, || Value::from(v))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Option<T>, E> {
        let decode = || T::deserialize(F64Deserializer::<E>::new(v));
        self.scalar(Kind::Float, decode, || Value::from(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Option<T>, E> {
        let decode = || T::deserialize(StrDeserializer::<E>::new(v));
        self.scalar(Kind::Str, decode, || Value::from(v))
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Option<T>, E> {
        let decode = || T::deserialize(BorrowedStrDeserializer::<E>::new(v));
        self.scalar(Kind::Str, decode, || Value::from(v))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Option<T>, E> {
        let decode = || T::deserialize(StrDeserializer::<E>::new(&v));
        let result = match refused::<T>(Kind::Str) {
            Some(expected) => return Ok(self.keep(Value::String(v), expected, None)),
            None => decode(),
        };
        self.settle(Kind::Str, result, || Some((Value::String(v), false)))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Option<T>, A::Error> {
        if let Some(expected) = refused::<T>(Kind::Seq) {
            let raw = Value::deserialize(SeqAccessDeserializer::new(seq))?;
            return match unwrap_repaired(raw) {
                Ok(taken) => {
                    self.extra.insert_drifted(self.key, taken);
                    Ok(None)
                }
                Err(raw) => Ok(self.keep(raw, expected, None)),
            };
        }
        let mut slot = None;
        let result = T::deserialize(Given::<A, NoMap<A::Error>> {
            access: Access::Seq(seq),
            slot: &mut slot,
        });
        self.settle(Kind::Seq, result, || slot)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Option<T>, A::Error> {
        // Not short-cut by a known refusal: the map may be a value the repairing decode
        // hands back, which only `Given` unwraps.
        let mut slot = None;
        let result = T::deserialize(Given::<NoSeq<A::Error>, A> {
            access: Access::Map(map),
            slot: &mut slot,
        });
        self.settle(Kind::Map, result, || slot)
    }
}

/// `(value, already reported)`, set when a value is caught.
type Slot<'s> = &'s mut Option<(Value, bool)>;

enum Access<S, M> {
    Seq(S),
    Map(M),
}

/// A `SeqAccess` that is never built, for a [`Given`] map.
struct NoSeq<E>(PhantomData<E>, std::convert::Infallible);

impl<'de, E: de::Error> SeqAccess<'de> for NoSeq<E> {
    type Error = E;

    fn next_element_seed<S: DeserializeSeed<'de>>(&mut self, _: S) -> Result<Option<S::Value>, E> {
        match self.1 {}
    }
}

/// An array or object already under way, offered to a type: read by it if it asks for that
/// kind of value (or for any), otherwise read into a `Value`, kept in `slot`, and refused.
struct Given<'s, S, M> {
    access: Access<S, M>,
    slot: Slot<'s>,
}

impl<'de, S, M> Given<'_, S, M>
where
    S: SeqAccess<'de>,
    M: MapAccess<'de, Error = S::Error>,
{
    fn accept<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, S::Error> {
        match self.access {
            Access::Seq(seq) => visitor.visit_seq(Indexed { seq, index: 0 }),
            Access::Map(map) => visitor.visit_map(map),
        }
    }

    /// An object read as a map (not a response object, which asks for a struct and whose
    /// fields name themselves): each value's key joins the path of what drifts inside it.
    fn accept_keyed<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, S::Error> {
        match self.access {
            Access::Seq(seq) => visitor.visit_seq(Indexed { seq, index: 0 }),
            Access::Map(map) => visitor.visit_map(Keyed { map, key: None }),
        }
    }

    fn refuse<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, S::Error> {
        let (raw, unexpected) = match self.access {
            Access::Seq(seq) => (
                Value::deserialize(SeqAccessDeserializer::new(seq))?,
                Unexpected::Seq,
            ),
            Access::Map(map) => (
                Value::deserialize(MapAccessDeserializer::new(map))?,
                Unexpected::Map,
            ),
        };
        // A value the repairing decode took out and reported already, or one seen first.
        *self.slot = Some(match unwrap_repaired(raw) {
            Ok(taken) => (taken, true),
            Err(raw) => (raw, false),
        });
        Err(de::Error::invalid_type(unexpected, &visitor))
    }

    fn is_seq(&self) -> bool {
        matches!(self.access, Access::Seq(_))
    }
}

macro_rules! refuse {
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, S::Error> {
            self.refuse(visitor)
        }
    )*};
}

impl<'de, S, M> Deserializer<'de> for Given<'_, S, M>
where
    S: SeqAccess<'de>,
    M: MapAccess<'de, Error = S::Error>,
{
    type Error = S::Error;

    refuse! {
        deserialize_bool deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64
        deserialize_i128 deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64
        deserialize_u128 deserialize_f32 deserialize_f64 deserialize_char deserialize_str
        deserialize_string deserialize_bytes deserialize_byte_buf deserialize_unit
        deserialize_identifier
    }

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, S::Error> {
        self.accept(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, S::Error> {
        self.accept(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, S::Error> {
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value, S::Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, S::Error> {
        if self.is_seq() {
            self.accept(visitor)
        } else {
            self.refuse(visitor)
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _: usize,
        visitor: V,
    ) -> Result<V::Value, S::Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: usize,
        visitor: V,
    ) -> Result<V::Value, S::Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, S::Error> {
        if self.is_seq() {
            self.refuse(visitor)
        } else {
            self.accept_keyed(visitor)
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, S::Error> {
        if self.is_seq() {
            self.refuse(visitor)
        } else {
            self.accept(visitor)
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value, S::Error> {
        self.refuse(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, S::Error> {
        self.refuse(visitor)
    }
}

/// An array's elements, each decoded through [`ElementVisitor`], so that the index of an
/// element that holds a drifted value joins its path.
struct Indexed<A> {
    seq: A,
    index: usize,
}

impl<'de, A: SeqAccess<'de>> SeqAccess<'de> for Indexed<A> {
    type Error = A::Error;

    fn next_element_seed<S: DeserializeSeed<'de>>(
        &mut self,
        seed: S,
    ) -> Result<Option<S::Value>, A::Error> {
        let before = count();
        let element = self.seq.next_element_seed(Element(seed))?;
        if count() != before {
            enclose(before, Seg::Index(self.index));
        }
        self.index += 1;
        Ok(element)
    }

    fn size_hint(&self) -> Option<usize> {
        self.seq.size_hint()
    }
}

/// A map's entries, each value decoded as an [`Element`], so that the key of a value that
/// holds a drifted value joins its path (made only then).
struct Keyed<A> {
    map: A,
    key: Option<String>,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Keyed<A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        let Some(key) = self.map.next_key::<String>()? else {
            return Ok(None);
        };
        let read = seed.deserialize(StrDeserializer::<A::Error>::new(&key))?;
        self.key = Some(key);
        Ok(Some(read))
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        let before = count();
        let value = self.map.next_value_seed(Element(seed))?;
        if count() != before {
            let key = self.key.take().unwrap_or_default();
            enclose(before, Seg::Name(key.into()));
        }
        Ok(value)
    }

    fn size_hint(&self) -> Option<usize> {
        self.map.size_hint()
    }
}

/// An array element, or the data itself: an element that does not fit cannot be read as
/// absent, so its error ends the pass; nested arrays are [`Indexed`] too.
struct Element<S>(S);

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for Element<S> {
    type Value = S::Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<S::Value, D::Error> {
        deserializer.deserialize_any(ElementVisitor(self.0))
    }
}

struct ElementVisitor<S>(S);

impl<'de, S: DeserializeSeed<'de>> Visitor<'de> for ElementVisitor<S> {
    type Value = S::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_none<E: de::Error>(self) -> Result<S::Value, E> {
        self.0.deserialize(UnitDeserializer::<E>::new())
    }

    fn visit_unit<E: de::Error>(self) -> Result<S::Value, E> {
        self.0.deserialize(UnitDeserializer::<E>::new())
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<S::Value, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<S::Value, E> {
        self.0.deserialize(Present(BoolDeserializer::<E>::new(v)))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<S::Value, E> {
        self.0.deserialize(Present(I64Deserializer::<E>::new(v)))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<S::Value, E> {
        self.0.deserialize(Present(U64Deserializer::<E>::new(v)))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<S::Value, E> {
        self.0.deserialize(Present(F64Deserializer::<E>::new(v)))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<S::Value, E> {
        self.0.deserialize(Present(StrDeserializer::<E>::new(v)))
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<S::Value, E> {
        self.0
            .deserialize(Present(BorrowedStrDeserializer::<E>::new(v)))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<S::Value, E> {
        self.0.deserialize(Present(StrDeserializer::<E>::new(&v)))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<S::Value, A::Error> {
        let mut ignored = None;
        self.0.deserialize(Given::<A, NoMap<A::Error>> {
            access: Access::Seq(seq),
            slot: &mut ignored,
        })
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<S::Value, A::Error> {
        let mut ignored = None;
        self.0.deserialize(Given::<NoSeq<A::Error>, A> {
            access: Access::Map(map),
            slot: &mut ignored,
        })
    }
}

/// A scalar element handed over by one of serde's value deserializers, which is a present
/// value of an `Option` (`Vec<Option<String>>`): those deserializers forward
/// `deserialize_option` to `deserialize_any`, which an `Option` refuses, where serde_json's
/// own calls `visit_some`. Everything else is the inner deserializer's.
struct Present<D>(D);

impl<'de, D: Deserializer<'de>> Deserializer<'de> for Present<D> {
    type Error = D::Error;

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        visitor.visit_some(self.0)
    }

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_any(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_enum(name, variants, visitor)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        unit unit_struct newtype_struct seq tuple tuple_struct map struct identifier
        ignored_any
    }
}

/// A `MapAccess` that is never built, for a [`Given`] array.
struct NoMap<E>(PhantomData<E>, std::convert::Infallible);

impl<'de, E: de::Error> MapAccess<'de> for NoMap<E> {
    type Error = E;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, _: K) -> Result<Option<K::Value>, E> {
        match self.1 {}
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, _: V) -> Result<V::Value, E> {
        match self.1 {}
    }
}
