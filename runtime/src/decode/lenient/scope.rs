//! The scope of one lenient decode: the thread-local record that [`crate::lenient::capture`]'s
//! fields write into as they catch drifted values (each with the path built on the way out),
//! and the types that refused a kind of value, so that the same field drifting in every item
//! of a page is recognised without asking its type again.
//!
//! Decoding is synchronous, so a scope never spans an `.await`; scopes nest, each restoring
//! the one it replaced when it closes.

use std::any::TypeId;
use std::cell::{Cell, RefCell};
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use serde_json::Value;

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

/// One step of a JSON path, innermost first while a path is being built.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Seg {
    Index(usize),
    /// A documented key of a response object.
    Key(&'static str),
    /// A key of a map, made only for a value that drifted inside it.
    Name(Arc<str>),
}

/// A path being built, innermost step first: the first steps inline, since a drifted page
/// builds one per item and most are a few steps deep.
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

    /// Whether the two paths are the same but for their array indices and map keys.
    pub(crate) fn same_shape(&self, other: &Steps) -> bool {
        self.len == other.len
            && self
                .outermost_first()
                .zip(other.outermost_first())
                .all(|pair| match pair {
                    (Seg::Index(_), Seg::Index(_)) | (Seg::Name(_), Seg::Name(_)) => true,
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
pub(crate) enum Kind {
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
    /// its object's [`Extra`](crate::Extra) alone.
    keep: usize,
    /// Types that refused a kind of value outright ("invalid type"), with what they expect:
    /// the same field drifts in every item of a page, and asking the type again would build
    /// and format serde's error each time. Looked up for every scalar once anything drifted,
    /// so keyed by `TypeId`, a 16-byte compare.
    refusals: Vec<(TypeId, Kind, Arc<str>)>,
}

impl Scope {
    fn push(&mut self, mut caught: Caught, raw: &Value) {
        if self.caught.len() < self.keep {
            caught.raw = raw.clone();
        }
        self.caught.push(caught);
        CAUGHT.with(|c| c.set(self.caught.len()));
    }
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

/// Opens the scope in which [`InScope`](crate::lenient::capture::InScope) values record what
/// they catch, as [`decode_keeping`](crate::lenient::capture::decode_keeping) does around its
/// one value.
pub(crate) fn open(strict: bool, keep: usize) -> Opened {
    Opened::open(strict, keep)
}

pub(crate) fn count() -> usize {
    CAUGHT.with(Cell::get)
}

/// Adds `seg` to the paths of the values caught since the count was `before`.
pub(crate) fn enclose(before: usize, seg: Seg) {
    SCOPE.with(|scope| {
        if let Some(scope) = scope.borrow_mut().as_mut() {
            for caught in scope.caught.iter_mut().skip(before) {
                caught.segs.push(seg.clone());
            }
        }
    });
}

/// Whether the open scope wants drift to be an error.
pub(crate) fn strict() -> bool {
    SCOPE.with(|scope| scope.borrow().as_ref().is_some_and(|s| s.strict))
}

/// Records a drifted value in the open scope, with a copy of `raw` while the scope keeps
/// copies (see [`Scope::keep`]). Outside one (a caller decoding a response type with serde
/// directly) nothing is recorded: the value is still in its object's [`Extra`](crate::Extra).
pub(crate) fn record(caught: Caught, raw: &Value) {
    SCOPE.with(|scope| {
        if let Some(scope) = scope.borrow_mut().as_mut() {
            scope.push(caught, raw);
        }
    });
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
pub(crate) fn refused<T: 'static>(kind: Kind) -> Option<Arc<str>> {
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

/// Catches a value of kind `kind` when `T` is known, in the open scope, to refuse that kind:
/// recorded as [`record`] records it, in the same look at the scope as the refusal (a
/// drifted field does this once per item), and returned to be kept in its object's
/// [`Extra`](crate::Extra). `raw` is given back, uncalled, when `T` may accept it.
pub(crate) fn catch_refused<T: 'static, F: FnOnce() -> Value>(
    kind: Kind,
    raw: F,
) -> Result<Value, F> {
    if REFUSED.with(Cell::get) & refusal_bit::<T>(kind) == 0 {
        // The one check a conforming field pays: nothing refused, or not this.
        return Err(raw);
    }
    let id = TypeId::of::<T>();
    SCOPE.with(|cell| {
        let mut scope = cell.borrow_mut();
        let Some(scope) = scope.as_mut() else {
            return Err(raw);
        };
        let Some((_, _, expected)) = scope
            .refusals
            .iter()
            .find(|(t, k, _)| *k == kind && *t == id)
        else {
            return Err(raw);
        };
        let value = raw();
        let caught = Caught {
            segs: Steps::default(),
            expected: expected.clone(),
            found: json_type(&value),
            detail: None,
            raw: Value::Null,
        };
        scope.push(caught, &value);
        Ok(value)
    })
}

pub(crate) fn remember_refusal<T: 'static>(kind: Kind, expected: &Arc<str>) {
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
