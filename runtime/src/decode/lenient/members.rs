//! Reading a JSON object member by member, in one pass: each value's text as a slice of the
//! input, and one chosen member's value decoded where it stands, so that a response's data
//! is not scanned once to find it in the envelope and again to decode it.
//!
//! The scanning is done here, by hand, only between members (a key, a colon, a comma): every
//! key and value is read by serde_json itself, through its `StreamDeserializer`, which says
//! how many bytes a value took. Whatever this scanner does not expect gives `None`, and the
//! caller falls back to reading the object whole, which reports what is wrong.

use serde::Deserialize;
use serde_json::value::RawValue;

/// A member of an object: its key and its value's JSON text.
pub(crate) type Member<'a> = (String, &'a str);

/// Decodes one JSON value from the start of the text it is given (the value and all that
/// follows it), keeping what it decoded, and returns how many bytes the value took; `None`
/// when the value does not decode.
pub(crate) type InPlace<'d> = &'d mut dyn FnMut(&str) -> Option<usize>;

/// The members of the JSON object `text`, in order, duplicates included. With `chosen`, the
/// value of that key is read by its decoder rather than skipped.
///
/// `None` when `text` is not one JSON object (whitespace around it aside), when the chosen
/// key appears more than once (the decoder could only keep one of them), or when the
/// chosen value does not decode.
pub(crate) fn members<'a>(
    text: &'a str,
    mut chosen: Option<(&str, InPlace<'_>)>,
) -> Option<Vec<Member<'a>>> {
    let mut cursor = Cursor { text, at: 0 };
    let mut members = Vec::new();
    let mut chosen_seen = false;
    cursor.expect(b'{')?;
    if !cursor.eat(b'}') {
        loop {
            let key: String = cursor.value()?;
            cursor.expect(b':')?;
            let value = match &mut chosen {
                Some((name, decode)) if *name == key => {
                    if std::mem::replace(&mut chosen_seen, true) {
                        return None;
                    }
                    cursor.decoded(decode)?
                }
                _ => cursor.value::<&'a RawValue>()?.get(),
            };
            members.push((key, value));
            if cursor.eat(b'}') {
                break;
            }
            cursor.expect(b',')?;
        }
    }
    cursor.skip_whitespace();
    (cursor.at == text.len()).then_some(members)
}

/// The value of `key` in `members`: the last one, as a map read from the same text keeps.
pub(crate) fn last<'a>(members: &[Member<'a>], key: &str) -> Option<&'a str> {
    members
        .iter()
        .rev()
        .find(|(k, _)| k == key)
        .map(|(_, v)| *v)
}

/// A position in the text, always at a character boundary: it moves over ASCII punctuation
/// and over whole JSON values.
struct Cursor<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Cursor<'a> {
    fn skip_whitespace(&mut self) {
        let rest = &self.text.as_bytes()[self.at..];
        self.at += rest
            .iter()
            .take_while(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
            .count();
    }

    /// Moves past `byte` if it comes next (after whitespace).
    fn eat(&mut self, byte: u8) -> bool {
        self.skip_whitespace();
        let next = self.text.as_bytes().get(self.at) == Some(&byte);
        self.at += usize::from(next);
        next
    }

    fn expect(&mut self, byte: u8) -> Option<()> {
        self.eat(byte).then_some(())
    }

    /// Reads the next value as `T`.
    fn value<T: Deserialize<'a>>(&mut self) -> Option<T> {
        self.skip_whitespace();
        let mut stream = serde_json::Deserializer::from_str(&self.text[self.at..]).into_iter();
        let value = stream.next()?.ok()?;
        self.at += stream.byte_offset();
        Some(value)
    }

    /// Hands the next value to `decode`, and returns its text.
    fn decoded(&mut self, decode: &mut InPlace<'_>) -> Option<&'a str> {
        self.skip_whitespace();
        let start = self.at;
        let used = decode(&self.text[start..])?;
        let end = start
            .checked_add(used)
            .filter(|end| self.text.is_char_boundary(*end))?;
        self.at = end;
        Some(&self.text[start..end])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys_and_values(text: &str) -> Option<Vec<(String, String)>> {
        let members = members(text, None)?;
        Some(
            members
                .into_iter()
                .map(|(k, v)| (k, v.to_owned()))
                .collect(),
        )
    }

    #[test]
    fn reads_members_as_text_in_order() {
        let text = " {\"success\" : true,\"result\":[1, {\"a\":\"}\"}],\n\"k\\u0065y\":null,\"n\":-1.5e3 } \n";
        let expected = [
            ("success", "true"),
            ("result", "[1, {\"a\":\"}\"}]"),
            ("key", "null"),
            ("n", "-1.5e3"),
        ];
        let expected: Vec<_> = expected
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        assert_eq!(keys_and_values(text), Some(expected));
        assert_eq!(keys_and_values("{ }"), Some(Vec::new()));
    }

    #[test]
    fn anything_but_one_object_is_refused() {
        for text in [
            "",
            "[]",
            "{",
            "{\"a\":1",
            "{\"a\":1,}",
            "{\"a\" 1}",
            "{1:2}",
            "{\"a\":1}{}",
            "{\"a\":1} x",
            "{\"a\":tru}",
            "{\"a\":1 2}",
        ] {
            assert_eq!(keys_and_values(text), None, "{text:?}");
        }
    }

    #[test]
    fn the_chosen_value_is_decoded_in_place_once() {
        let text = "{\"result\": [1, 2, 3] , \"result_info\": {\"page\": 1}}";
        let mut seen = Vec::new();
        let mut decode = |rest: &str| {
            let mut stream = serde_json::Deserializer::from_str(rest).into_iter::<Vec<u8>>();
            seen = stream.next()?.ok()?;
            Some(stream.byte_offset())
        };
        let members = members(text, Some(("result", &mut decode))).unwrap();
        assert_eq!(seen, [1, 2, 3]);
        assert_eq!(last(&members, "result"), Some("[1, 2, 3]"));
        assert_eq!(last(&members, "result_info"), Some("{\"page\": 1}"));
        assert_eq!(last(&members, "errors"), None);

        let mut fails = |_: &str| None;
        assert!(super::members(text, Some(("result", &mut fails))).is_none());
        let mut once = |rest: &str| Some(rest.find(',').unwrap_or(rest.len()));
        let twice = "{\"result\":1,\"result\":2}";
        assert!(super::members(twice, Some(("result", &mut once))).is_none());
        let members = super::members(twice, None).unwrap();
        assert_eq!(
            last(&members, "result"),
            Some("2"),
            "the last one, as in a map"
        );
    }
}
