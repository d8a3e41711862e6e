//! Parse stage, data-location grammar: the code of a `> Data is at `body["result"]`` note →
//! the keys from the body to the data.
//!
//! `body`, then zero or more `["key"]` steps, each key a JSON string (so `\"` and `\u00e9`
//! escapes work as in the shape block). Whitespace around the steps is allowed.

use std::ops::Range;

/// Why a note could not be read: the byte range (of the note's code text) and the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct DataAtError {
    pub(super) range: Range<usize>,
    pub(super) message: String,
}

/// What every data-location error says to do.
pub(super) const HELP: &str = "write `body` followed by `[\"key\"]` steps, e.g. `body[\"result\"]`, or `body` for the whole body";

/// `body["result"]["x"]` → `["result", "x"]`; `body` → `[]`.
pub(super) fn parse_data_at(note: &str) -> Result<Vec<String>, DataAtError> {
    let fail = |range: Range<usize>, message: String| Err(DataAtError { range, message });
    let start = note.len() - note.trim_start().len();
    let Some(mut rest) = note[start..].strip_prefix("body") else {
        let end = note[start..]
            .find(|c: char| c == '[' || c.is_whitespace())
            .map_or(note.len(), |i| start + i);
        return fail(
            start..end.max(start + 1).min(note.len()),
            format!(
                "the data location `{}` does not start with `body`",
                note.trim()
            ),
        );
    };
    let mut keys = Vec::new();
    loop {
        let at = note.len() - rest.trim_start().len();
        rest = rest.trim_start();
        if rest.is_empty() {
            return Ok(keys);
        }
        let Some(inner) = rest.strip_prefix('[') else {
            return fail(
                at..note.len(),
                format!(
                    "expected `[\"key\"]` in the data location, found `{}`",
                    rest.trim_end()
                ),
            );
        };
        let key_at = note.len() - inner.trim_start().len();
        let inner = inner.trim_start();
        let Some(len) = json_string_len(inner) else {
            return fail(
                key_at..note.len(),
                "expected a key in double quotes after `[`".to_owned(),
            );
        };
        let key: String = match serde_json::from_str(&inner[..len]) {
            Ok(key) => key,
            Err(e) => {
                return fail(
                    key_at..key_at + len,
                    format!("invalid key in the data location: {e}"),
                );
            }
        };
        let after = inner[len..].trim_start();
        let close_at = note.len() - after.len();
        let Some(next) = after.strip_prefix(']') else {
            return fail(
                close_at..note.len(),
                "expected `]` after the key".to_owned(),
            );
        };
        keys.push(key);
        rest = next;
    }
}

/// The length of the JSON string literal at the start of `s` (quotes included), if it is one.
fn json_string_len(s: &str) -> Option<usize> {
    let body = s.strip_prefix('"')?;
    let mut escaped = false;
    for (i, c) in body.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => return Some(i + 2),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_data_locations() {
        let keys = |s: &str| parse_data_at(s).map_err(|e| e.message);
        assert_eq!(keys("body[\"result\"]"), Ok(vec!["result".to_owned()]));
        assert_eq!(
            keys("body[\"a\"] [ \"b c\" ]"),
            Ok(vec!["a".to_owned(), "b c".to_owned()])
        );
        assert_eq!(keys("body[\"a\\\"]\"]"), Ok(vec!["a\"]".to_owned()]));
        assert_eq!(keys(" body "), Ok(vec![]));
    }

    #[test]
    fn errors_point_at_what_is_wrong() {
        for (note, at) in [
            ("result", "result"),
            ("body.result", ".result"),
            ("body[result]", "result]"),
            ("body[\"x", "\"x"),
            ("body[\"x\"", ""),
            ("body[\"\\q\"]", "\"\\q\""),
        ] {
            let Err(e) = parse_data_at(note) else {
                panic!("{note} should fail")
            };
            assert_eq!(&note[e.range.clone()], at, "{note}: {}", e.message);
        }
    }
}
