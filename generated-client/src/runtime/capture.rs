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
//! the pass; the decoder then falls back to [`crate::runtime::lenient`]'s repairing decode.
//!
//! Warnings are collected in a thread-local scope that the runtime opens around one decode
//! (decoding is synchronous, so it never spans an `.await`). Their JSON path is built on the
//! way out: the field that caught the value writes its key, and each enclosing field and
//! array element that sees the counter move adds its own key or index.

use std::any::TypeId;
use std::cell::{Cell, RefCell};
use std::fmt;
use std::hash::{Hash, Hasher};
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

use crate::runtime::extra::Extra;

/// The key under which the repairing decode hands [`Field`] a value it already reported.
pub(crate) const REPAIRED: &str = "\u{0}runtime::capture::repaired";

/// One step of a JSON path, innermost first while a path is being built.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Seg {
    Index(usize),
    Key(&'static str),
}

/// A path being built, innermost step first: the first steps inline, since a drifted page
/// builds one per item and most are a few steps deep. (16 bytes a step: a key's pointer is
/// never null, which leaves room for the index variant.)
pub(crate) struct Steps {
    inline: [Seg; INLINE_STEPS],
    len: usize,
    spill: Vec<Seg>,
}

const INLINE_STEPS: usize = 4;

impl Default for Steps {
    fn default() -> Self {
        Steps {
            inline: [const { Seg::Index(0) }; INLINE_STEPS],
            len: 0,
            spill: Vec::new(),
        }
    }
}

impl Steps {
    fn push(&mut self, seg: Seg) {
        match self.inline.get_mut(self.len) {
            Some(slot) => *slot = seg,
            None => self.spill.push(seg),
        }
        self.len += 1;
    }

    /// The steps, outermost first.
    pub(crate) fn outermost_first(&self) -> impl Iterator<Item = &Seg> {
        let inline = self.inline[..self.len.min(INLINE_STEPS)].iter().rev();
        self.spill.iter().rev().chain(inline)
    }

    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// Whether the two paths are the same but for their array indices.
    pub(crate) fn same_shape(&self, other: &Steps) -> bool {
        self.len == other.len
            && self
                .outermost_first()
                .zip(other.outermost_first())
                .all(|pair| match pair {
                    (Seg::Index(_), Seg::Index(_)) => true,
                    (Seg::Key(a), Seg::Key(b)) => std::ptr::eq(*a, *b) || a == b,
                    _ => false,
                })
    }
}

/// A drifted value found in this decode, not yet a [`DecodeWarning`](crate::DecodeWarning).
pub(crate) struct Caught {
    /// The path to the value.
    pub(crate) segs: Steps,
    pub(crate) expected: Arc<str>,
    pub(crate) found: &'static str,
    /// serde's message, when it is not the one [`DecodeWarning::message`] rebuilds.
    ///
    /// [`DecodeWarning::message`]: crate::DecodeWarning::message
    pub(crate) detail: Option<Box<str>>,
    /// The value as received; `null` past the copies its scope keeps.
    pub(crate) raw: Value,
}

/// The kinds of JSON value a type's verdict depends on (numbers apart: `i64` takes `7` but
/// not `1.5`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Bool,
    Signed,
    Unsigned,
    Float,
    Str,
    Seq,
    Map,
}

struct Scope {
    strict: bool,
    caught: Vec<Caught>,
    /// How many caught values get a copy of their raw value; past it (a listing whose caller
    /// only reads a summary of its warnings) they are only counted, the value staying in
    /// its object's [`Extra`] alone.
    keep: usize,
    /// Types that refused a kind of value outright ("invalid type"), with what they expect:
    /// the same field drifts in every item of a page, and asking the type again would build
    /// and format serde's error each time. Looked up for every scalar once anything drifted,
    /// so keyed by `TypeId`, a 16-byte compare.
    refusals: Vec<(TypeId, Kind, Arc<str>)>,
}

thread_local! {
    /// How many values the open scope has caught: a field compares it before and after its
    /// value to learn, at the cost of two reads, whether something inside drifted.
    static CAUGHT: Cell<usize> = const { Cell::new(0) };
    static SCOPE: RefCell<Option<Scope>> = const { RefCell::new(None) };
    /// A one-word filter over the open scope's refusals (see [`refusal_bit`]): after the
    /// first drift of a page, every scalar of every item asks whether its type refused its
    /// kind, and this answers "no" for almost all of them without looking at the scope.
    static REFUSED: Cell<u64> = const { Cell::new(0) };
}

/// An open scope, returned by [`open`]: closes it (and reopens the one it replaced) when
/// closed or dropped, even on a panic.
pub(crate) struct Opened {
    previous: Option<Option<Scope>>,
    previous_count: usize,
    previous_refused: u64,
}

impl Opened {
    fn open(strict: bool, keep: usize) -> Opened {
        let scope = Scope {
            strict,
            caught: Vec::new(),
            keep,
            refusals: Vec::new(),
        };
        Opened {
            previous: Some(SCOPE.with(|s| s.replace(Some(scope)))),
            previous_count: CAUGHT.with(|c| c.replace(0)),
            previous_refused: REFUSED.with(|r| r.replace(0)),
        }
    }

    /// Closes the scope, returning what it caught.
    pub(crate) fn close(mut self) -> Vec<Caught> {
        let previous = self.previous.take().flatten();
        let scope = SCOPE.with(|s| s.replace(previous));
        CAUGHT.with(|c| c.set(self.previous_count));
        REFUSED.with(|r| r.set(self.previous_refused));
        scope.map(|s| s.caught).unwrap_or_default()
    }
}

impl Drop for Opened {
    fn drop(&mut self) {
        if let Some(previous) = self.previous.take() {
            SCOPE.with(|s| s.replace(previous));
            CAUGHT.with(|c| c.set(self.previous_count));
            REFUSED.with(|r| r.set(self.previous_refused));
        }
    }
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

/// Opens the scope in which [`InScope`] values record what they catch, as
/// [`decode_keeping`] does around its one value.
pub(crate) fn open(strict: bool, keep: usize) -> Opened {
    Opened::open(strict, keep)
}

/// `T`, decoded as [`decode`] decodes it, with what drifted recorded in the scope [`open`]
/// opened: a type rather than a function, for serde_json's `StreamDeserializer`, which
/// decodes a value where it stands in a larger text (see [`crate::runtime::members`]).
pub(crate) struct InScope<T>(pub(crate) T);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for InScope<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer
            .deserialize_any(ElementVisitor(PhantomData::<T>))
            .map(InScope)
    }
}

fn count() -> usize {
    CAUGHT.with(Cell::get)
}

/// Adds `seg` to the paths of the values caught since the count was `before`.
fn enclose(before: usize, seg: Seg) {
    SCOPE.with(|scope| {
        if let Some(scope) = scope.borrow_mut().as_mut() {
            for caught in scope.caught.iter_mut().skip(before) {
                caught.segs.push(seg.clone());
            }
        }
    });
}

/// Whether the open scope wants drift to be an error.
fn strict() -> bool {
    SCOPE.with(|scope| scope.borrow().as_ref().is_some_and(|s| s.strict))
}

/// Records a drifted value in the open scope, with a copy of `raw` while the scope keeps
/// copies (see [`Scope::keep`]). Outside one (a caller decoding a response type with serde
/// directly) nothing is recorded: the value is still in its object's [`Extra`].
fn record(mut caught: Caught, raw: &Value) {
    SCOPE.with(|scope| {
        if let Some(scope) = scope.borrow_mut().as_mut() {
            if scope.caught.len() < scope.keep {
                caught.raw = raw.clone();
            }
            scope.caught.push(caught);
            CAUGHT.with(|c| c.set(scope.caught.len()));
        }
    });
}

/// The JSON type of a value, in words.
pub fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// The bit of [`REFUSED`] for `T` refusing `kind`: one of 64, picked by a hash of the two
/// (a few multiplications, on constants where it is called).
fn refusal_bit<T: 'static>(kind: Kind) -> u64 {
    let mut hasher = Fold(kind as u64);
    TypeId::of::<T>().hash(&mut hasher);
    1 << (hasher.finish() >> 58)
}

/// A multiplicative hash, enough to spread [`refusal_bit`]'s few keys over 64 bits.
struct Fold(u64);

impl Hasher for Fold {
    fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.write_u64(u64::from(*byte));
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0 ^ n).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// What `T` is known, in the open scope, to expect instead of a value of kind `kind`.
fn refused<T: 'static>(kind: Kind) -> Option<Arc<str>> {
    if REFUSED.with(Cell::get) & refusal_bit::<T>(kind) == 0 {
        // The one check a conforming field pays: nothing refused, or not this.
        return None;
    }
    let id = TypeId::of::<T>();
    SCOPE.with(|scope| {
        let scope = scope.borrow();
        let (_, _, expected) = scope
            .as_ref()?
            .refusals
            .iter()
            .find(|(t, k, _)| *k == kind && *t == id)?;
        Some(expected.clone())
    })
}

fn remember_refusal<T: 'static>(kind: Kind, expected: &Arc<str>) {
    SCOPE.with(|scope| {
        if let Some(scope) = scope.borrow_mut().as_mut() {
            let id = TypeId::of::<T>();
            if !scope
                .refusals
                .iter()
                .any(|(t, k, _)| *k == kind && *t == id)
            {
                scope.refusals.push((id, kind, expected.clone()));
                REFUSED.with(|r| r.set(r.get() | refusal_bit::<T>(kind)));
            }
        }
    });
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
pub(crate) struct Field<'a, T> {
    extra: &'a mut Extra,
    key: &'static str,
    marker: PhantomData<fn() -> T>,
}

impl<'a, T: 'static> Field<'a, T> {
    /// The seed for key `key` of the object whose [`Extra`] is `extra`.
    pub(crate) fn new(extra: &'a mut Extra, key: &'static str) -> Self {
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
        if let Some(expected) = refused::<T>(kind) {
            return Ok(self.keep(raw(), expected, None));
        }
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
            return Ok(self.keep(raw, expected, None));
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
        *self.slot = Some(match raw {
            // A value the repairing decode took out and reported already.
            Value::Object(mut object) if object.len() == 1 && object.contains_key(REPAIRED) => {
                (object.remove(REPAIRED).unwrap_or_default(), true)
            }
            raw => (raw, false),
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
            self.accept(visitor)
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, S::Error> {
        self.deserialize_map(visitor)
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
        self.0.deserialize(BoolDeserializer::<E>::new(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<S::Value, E> {
        self.0.deserialize(I64Deserializer::<E>::new(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<S::Value, E> {
        self.0.deserialize(U64Deserializer::<E>::new(v))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<S::Value, E> {
        self.0.deserialize(F64Deserializer::<E>::new(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<S::Value, E> {
        self.0.deserialize(StrDeserializer::<E>::new(v))
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<S::Value, E> {
        self.0.deserialize(BorrowedStrDeserializer::<E>::new(v))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<S::Value, E> {
        self.0.deserialize(StrDeserializer::<E>::new(&v))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<S::Value, A::Error> {
        let mut ignored = None;
        self.0.deserialize(Given::<A, NoMap<A::Error>> {
            access: Access::Seq(seq),
            slot: &mut ignored,
        })
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<S::Value, A::Error> {
        self.0.deserialize(MapAccessDeserializer::new(map))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_is_found_again_in_its_scope_only() {
        let bits = [Kind::Bool, Kind::Str, Kind::Map].map(refusal_bit::<i64>);
        assert!(bits.iter().all(|bit| bit.count_ones() == 1));
        assert_eq!(
            refusal_bit::<i64>(Kind::Str),
            bits[1],
            "the same bit every time"
        );

        let outer = open(false, usize::MAX);
        remember_refusal::<i64>(Kind::Str, &Arc::from("i64"));
        assert_eq!(refused::<i64>(Kind::Str).as_deref(), Some("i64"));
        assert_eq!(refused::<i64>(Kind::Bool), None);
        assert_eq!(refused::<String>(Kind::Str), None);
        {
            // A scope opened inside starts with no refusals, and gives the outer one back.
            let inner = open(false, usize::MAX);
            assert_eq!(refused::<i64>(Kind::Str), None);
            drop(inner);
        }
        assert_eq!(refused::<i64>(Kind::Str).as_deref(), Some("i64"));
        outer.close();
        assert_eq!(refused::<i64>(Kind::Str), None);
        assert_eq!(REFUSED.with(Cell::get), 0);
    }
}
