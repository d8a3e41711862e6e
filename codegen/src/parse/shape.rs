//! Parse stage, shape grammar: a response's ```` ```json ```` block → [`Shape`], every node
//! and key with its span.
//!
//! serde_json reads each node from its own slice of the block: an object as borrowed raw
//! ([`RawValue`]) keys and values, an array as raw elements, a leaf as its value. Reading the
//! root checks the syntax of the whole block (with serde_json's own error positions); a
//! borrowed slice's address inside the block *is* its position, so every span is exact and
//! nothing scans the JSON by hand. Structure problems (an unknown placeholder, a literal, an
//! array without exactly one element, a duplicate key) are found on the node itself, so their
//! range is the node's.

use std::fmt;
use std::ops::Range;

use serde::de::{Deserializer as _, MapAccess, Visitor};
use serde_json::value::RawValue;

use crate::ir::{Field, JsonKind, Shape, ShapeKind, Span};

/// The leaves a shape may use, for messages.
pub(super) const PLACEHOLDERS: &str =
    "\"*string*\", \"*integer*\", \"*number*\", \"*boolean*\", \"*enum: a | b*\" or null";

/// A shape block that cannot be read: where (a byte range of the block text), what and how
/// to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct ShapeError {
    pub(super) range: Range<usize>,
    pub(super) message: String,
    pub(super) help: String,
}

/// How deep shapes may nest (FORMAT.md). The upstream docs reach 7; past about 50 levels
/// the generated types overflow rustc's trait solver (E0275) and syn's parser stack, so the
/// limit is well below both.
pub(super) const MAX_DEPTH: usize = 32;

/// Parses a shape block's `text` (non-blank). `span_of` turns a byte range of `text` into a
/// span of the file.
pub(super) fn parse_shape(
    text: &str,
    span_of: &dyn Fn(Range<usize>) -> Span,
) -> Result<Shape, ShapeError> {
    let root = text.trim();
    Reader { text, span_of }.node(root, 1)
}

struct Reader<'a, 'f> {
    /// The whole block: every slice read borrows from it.
    text: &'a str,
    span_of: &'f dyn Fn(Range<usize>) -> Span,
}

impl<'a> Reader<'a, '_> {
    /// The byte range of `slice`, which borrows from `self.text`.
    fn range(&self, slice: &str) -> Range<usize> {
        let start = (slice.as_ptr() as usize).saturating_sub(self.text.as_ptr() as usize);
        start..start + slice.len()
    }

    /// One node: `json` is exactly its text. Reading an object or an array checks the syntax
    /// of everything inside it (serde_json skips the raw children), so a syntax error can
    /// only be met at the root, with serde_json's position inside `json`.
    fn node(&self, json: &'a str, depth: usize) -> Result<Shape, ShapeError> {
        let range = self.range(json);
        let fail = |message: String, help: &str| ShapeError {
            range: range.clone(),
            message: format!("invalid response shape: {message}"),
            help: help.to_owned(),
        };
        if depth > MAX_DEPTH {
            return Err(fail(
                format!("shapes nest at most {MAX_DEPTH} levels deep"),
                "describe the deeper part as `{}` or `null`",
            ));
        }
        let syntax = |e: serde_json::Error| self.syntax_error(json, &e);
        let kind = match json.as_bytes().first() {
            Some(b'{') => self.object(json, depth)?,
            Some(b'[') => {
                const HELP: &str = "write the element's shape once: `[ { ... } ]`";
                let elements: Vec<&RawValue> = serde_json::from_str(json).map_err(syntax)?;
                match elements.as_slice() {
                    [element] => ShapeKind::Array {
                        element: Box::new(self.node(element.get(), depth + 1)?),
                    },
                    [] => {
                        return Err(fail(
                            "an array shape has exactly one element, found none".into(),
                            HELP,
                        ));
                    }
                    _ => {
                        return Err(fail(
                            "an array shape has exactly one element, found more".into(),
                            HELP,
                        ));
                    }
                }
            }
            Some(b'"') => {
                let value: String = serde_json::from_str(json).map_err(syntax)?;
                placeholder(&value).map_err(|(message, help)| fail(message, &help))?
            }
            _ => match serde_json::from_str::<&RawValue>(json)
                .map_err(syntax)?
                .get()
            {
                "null" => ShapeKind::Unknown,
                literal => {
                    let help = format!("a leaf of a shape is {PLACEHOLDERS}");
                    return Err(fail(
                        format!("a literal value is not a shape: `{literal}`"),
                        &help,
                    ));
                }
            },
        };
        Ok(Shape {
            kind,
            span: (self.span_of)(range),
        })
    }

    fn object(&self, json: &'a str, depth: usize) -> Result<ShapeKind, ShapeError> {
        let entries = Entries::read(json).map_err(|e| self.syntax_error(json, &e))?;
        if entries.is_empty() {
            return Ok(ShapeKind::FreeformObject);
        }
        if let Some(construct) = self.construct(&entries, depth)? {
            return Ok(construct);
        }
        let mut fields: Vec<Field> = Vec::with_capacity(entries.len());
        // Linear search is cheapest for the small objects of the docs; big ones get a set.
        let mut seen: Option<std::collections::BTreeSet<String>> = None;
        for (key, value) in entries {
            let key_range = self.range(key.get());
            let name: String =
                serde_json::from_str(key.get()).map_err(|e| self.syntax_error(key.get(), &e))?;
            let duplicate = match &mut seen {
                Some(set) => !set.insert(name.clone()),
                None => fields.iter().any(|f| f.name == name),
            };
            if duplicate {
                return Err(ShapeError {
                    range: key_range,
                    message: format!("invalid response shape: duplicate key {name:?}"),
                    help: "each key appears once in an object".to_owned(),
                });
            }
            if seen.is_none() && fields.len() >= 32 {
                let mut set: std::collections::BTreeSet<String> =
                    fields.iter().map(|f| f.name.clone()).collect();
                set.insert(name.clone());
                seen = Some(set);
            }
            let shape = self.node(value.get(), depth + 1)?;
            fields.push(Field {
                name,
                span: (self.span_of)(key_range),
                shape,
            });
        }
        Ok(ShapeKind::Object { fields })
    }

    /// `{"*map*": value}`, `{"*nullable*": value}` or `{"*one of*": [...]}`, when `entries`
    /// are one of them. Another key written as a placeholder is data, as every key is, unless
    /// it names one of these beside other keys.
    fn construct(
        &self,
        entries: &[(&'a RawValue, &'a RawValue)],
        depth: usize,
    ) -> Result<Option<ShapeKind>, ShapeError> {
        let name_of = |key: &RawValue| serde_json::from_str::<String>(key.get()).ok();
        let special = entries.iter().find_map(|(key, value)| {
            let name = name_of(key)?;
            [MAP_KEY, NULLABLE_KEY, ONE_OF_KEY]
                .contains(&name.as_str())
                .then_some((name, *key, *value))
        });
        let Some((name, key, value)) = special else {
            return Ok(None);
        };
        if entries.len() > 1 {
            return Err(ShapeError {
                range: self.range(key.get()),
                message: format!("invalid response shape: {name:?} is its object's only key"),
                help: format!(
                    "a map is {{\"{MAP_KEY}\": <shape>}}, a value that may be null {{\"{NULLABLE_KEY}\": <shape>}} and a union {{\"{ONE_OF_KEY}\": [<object>, <object>]}}, alone in their object"
                ),
            });
        }
        if name == MAP_KEY {
            let value = self.node(value.get(), depth + 1)?;
            return Ok(Some(ShapeKind::Map {
                value: Box::new(value),
            }));
        }
        if name == NULLABLE_KEY {
            let inner = self.node(value.get(), depth + 1)?;
            let redundant = match &inner.kind {
                ShapeKind::Unknown => Some("`null`, which holds a `null` already".to_owned()),
                ShapeKind::Nullable { .. } => Some(format!("another `{NULLABLE_KEY}`")),
                _ => None,
            };
            if let Some(around) = redundant {
                return Err(ShapeError {
                    range: self.range(value.get()),
                    message: format!("invalid response shape: `{NULLABLE_KEY}` around {around}"),
                    help: format!(
                        "write the shape of the value when it is not null: {{\"{NULLABLE_KEY}\": {{\"id\": \"*string*\"}}}}"
                    ),
                });
            }
            return Ok(Some(ShapeKind::Nullable {
                value: Box::new(inner),
            }));
        }
        let range = self.range(value.get());
        let fail = |message: String| ShapeError {
            range: range.clone(),
            message: format!("invalid response shape: {message}"),
            help: format!(
                "a union lists two or more values, objects told apart by a tag (a key each gives as an enum of values no other lists) and at most one string, integer, number, boolean and array: {{\"{ONE_OF_KEY}\": [{{\"type\": \"*enum: A*\", ...}}, {{\"type\": \"*enum: MX*\", ...}}]}}"
            ),
        };
        let elements: Vec<&RawValue> = serde_json::from_str(value.get())
            .map_err(|_| fail("a union's variants are an array".to_owned()))?;
        if elements.len() < 2 {
            return Err(fail(format!(
                "a union has two or more variants, found {}",
                elements.len()
            )));
        }
        let mut variants: Vec<Shape> = Vec::with_capacity(elements.len());
        for element in elements {
            let variant = self.node(element.get(), depth + 2)?;
            let Some(kind) = JsonKind::of_variant(&variant.kind) else {
                return Err(ShapeError {
                    range: self.range(element.get()),
                    message: "invalid response shape: a union's variant is an object with keys, a string, an integer, a number, a boolean or an array".to_owned(),
                    help: "write each variant as the value it is: `{\"type\": \"*enum: A*\", ...}`, `\"*string*\"`, `[\"*string*\"]`; a union that may be null is `{\"*nullable*\": {\"*one of*\": [...]}}`".to_owned(),
                });
            };
            let twin = variants
                .iter()
                .any(|v| JsonKind::of_variant(&v.kind) == Some(kind));
            if twin && kind != JsonKind::Object {
                return Err(ShapeError {
                    range: self.range(element.get()),
                    message: format!(
                        "invalid response shape: a second variant that is {}: a union has at most one variant of each JSON type but objects",
                        kind.described()
                    ),
                    help: "what a union reads is picked by its JSON type first: write one variant of that type (an enum's values in one `*enum: …*`)".to_owned(),
                });
            }
            variants.push(variant);
        }
        let tag = union_tag(&variants);
        let objects = variants
            .iter()
            .filter(|v| matches!(v.kind, ShapeKind::Object { .. }))
            .count();
        let own = own_keys(&variants);
        let untold = variants
            .iter()
            .zip(&own)
            .any(|(v, keys)| matches!(v.kind, ShapeKind::Object { .. }) && keys.is_empty());
        if objects > 1 && tag.is_none() && untold {
            return Err(fail("nothing tells the objects apart: a tag (a key every object has as an enum, whose values no other object lists) or, in each object, a key no other object has".to_owned()));
        }
        Ok(Some(ShapeKind::OneOf { tag, variants }))
    }

    /// A JSON syntax error met while reading `json` (a slice of the block), at the character
    /// serde_json points at.
    fn syntax_error(&self, json: &str, e: &serde_json::Error) -> ShapeError {
        // Skipping a value (what reading it raw does) reports some mistakes vaguely (a
        // trailing comma as "key must be a string"); visiting it says what is wrong. Only a
        // block that failed pays for the second read.
        let precise = serde_json::from_str::<serde_json::Value>(json).err();
        let e = precise.as_ref().unwrap_or(e);
        let base = self.range(json).start;
        let offset = base + error_offset(json, e.line(), e.column());
        let end = self
            .text
            .get(offset..)
            .and_then(|s| s.chars().next())
            .map_or(offset, |c| offset + c.len_utf8());
        let full = e.to_string();
        let suffix = format!(" at line {} column {}", e.line(), e.column());
        let message = full.strip_suffix(suffix.as_str()).unwrap_or(&full);
        ShapeError {
            range: offset..end,
            message: format!("invalid JSON in response shape: {message}"),
            help: "a shape block holds one JSON value; an empty block means no body".to_owned(),
        }
    }
}

/// A leaf string: a type placeholder or an enum. The error is (message, help).
fn placeholder(value: &str) -> Result<ShapeKind, (String, String)> {
    Ok(match value {
        "*string*" => ShapeKind::String,
        "*integer*" => ShapeKind::Integer,
        "*number*" => ShapeKind::Number,
        "*boolean*" => ShapeKind::Boolean,
        _ => match value.strip_prefix("*enum:").and_then(|s| s.strip_suffix('*')) {
            Some(list) => ShapeKind::Enum {
                values: enum_values(list).map_err(|problem| {
                    (
                        format!("invalid enum placeholder {value:?}: {problem}"),
                        "an enum lists distinct, non-empty values separated by `|`: \"*enum: a | b | c*\"".to_owned(),
                    )
                })?,
            },
            None => {
                return Err((
                    format!("unknown placeholder {value:?}"),
                    format!("a leaf of a shape is {PLACEHOLDERS}"),
                ))
            }
        },
    })
}

/// `value` written as a shape block and read back; `None` when this grammar does not accept
/// it (what an importer checks before writing one).
pub(crate) fn read_json(value: &serde_json::Value) -> Option<Shape> {
    let text = value.to_string();
    let span = |range: Range<usize>| Span {
        file: "".into(),
        line: 1,
        column: 1,
        range,
    };
    parse_shape(&text, &span).ok()
}

/// The one key of a map's object: `{"*map*": <shape of every value>}`.
pub(crate) const MAP_KEY: &str = "*map*";

/// The one key of a value that may be `null`: `{"*nullable*": <shape when not null>}`.
pub(crate) const NULLABLE_KEY: &str = "*nullable*";

/// The one key of a union's object: `{"*one of*": [<variant>, ...]}`.
pub(crate) const ONE_OF_KEY: &str = "*one of*";

/// The tag of a union's objects, where it has two or more: the first key (in the first
/// object's order) that every object has as an enum, whose value sets do not overlap.
fn union_tag(variants: &[Shape]) -> Option<String> {
    let objects: Vec<&Shape> = variants
        .iter()
        .filter(|v| matches!(v.kind, ShapeKind::Object { .. }))
        .collect();
    let [first, _, ..] = objects.as_slice() else {
        return None;
    };
    let ShapeKind::Object { fields: first } = &first.kind else {
        return None;
    };
    first.iter().map(|f| &f.name).find_map(|key| {
        let mut seen: Vec<&str> = Vec::new();
        for variant in &objects {
            for value in enum_field(variant, key)? {
                if seen.contains(&value.as_str()) {
                    return None;
                }
                seen.push(value);
            }
        }
        Some(key.clone())
    })
}

/// What selects each variant of a union: its tag values, or (without a tag) its own keys.
pub(crate) fn union_selectors(variants: &[Shape], tag: Option<&str>) -> Vec<Vec<String>> {
    let Some(tag) = tag else {
        return own_keys(variants);
    };
    variants
        .iter()
        .map(|variant| enum_field(variant, tag).map_or_else(Vec::new, <[String]>::to_vec))
        .collect()
}

/// The values of an object shape's key `key` when that key is an enum.
fn enum_field<'s>(shape: &'s Shape, key: &str) -> Option<&'s [String]> {
    let ShapeKind::Object { fields } = &shape.kind else {
        return None;
    };
    match &fields.iter().find(|f| f.name == key)?.shape.kind {
        ShapeKind::Enum { values } => Some(values),
        _ => None,
    }
}

/// The keys of each variant that no other variant has, in written order: what tells apart
/// the variants of a union without a tag.
pub(crate) fn own_keys(variants: &[Shape]) -> Vec<Vec<String>> {
    let keys = |shape: &Shape| -> Vec<String> {
        match &shape.kind {
            ShapeKind::Object { fields } => fields.iter().map(|f| f.name.clone()).collect(),
            _ => Vec::new(),
        }
    };
    let all: Vec<Vec<String>> = variants.iter().map(keys).collect();
    all.iter()
        .enumerate()
        .map(|(i, mine)| {
            mine.iter()
                .filter(|k| {
                    all.iter()
                        .enumerate()
                        .all(|(j, other)| j == i || !other.contains(k))
                })
                .cloned()
                .collect()
        })
        .collect()
}

/// The values of `"*enum: a | b | c*"` (given `list` = ` a | b | c`): trimmed, non-empty,
/// distinct. The error says what is wrong.
fn enum_values(list: &str) -> Result<Vec<String>, String> {
    let mut values: Vec<String> = Vec::new();
    for v in list.split('|').map(str::trim) {
        if v.is_empty() {
            return Err("empty value".to_owned());
        }
        if values.iter().any(|seen| seen == v) {
            return Err(format!("duplicate value {v:?}"));
        }
        values.push(v.to_owned());
    }
    Ok(values)
}

/// An object's entries as borrowed raw keys and values, in written order.
struct Entries;

impl Entries {
    fn read(json: &str) -> Result<Vec<(&RawValue, &RawValue)>, serde_json::Error> {
        let mut de = serde_json::Deserializer::from_str(json);
        let entries = de.deserialize_map(Entries)?;
        de.end()?;
        Ok(entries)
    }
}

impl<'de> Visitor<'de> for Entries {
    type Value = Vec<(&'de RawValue, &'de RawValue)>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::new();
        while let Some(entry) = map.next_entry::<&RawValue, &RawValue>()? {
            out.push(entry);
        }
        Ok(out)
    }
}

/// The byte offset of serde_json's 1-based line and byte column (0: before the line's first
/// character), clamped into `text` and onto a character boundary.
fn error_offset(text: &str, line: usize, column: usize) -> usize {
    let line_start = match line.checked_sub(2) {
        None => 0,
        Some(skip) => text
            .match_indices('\n')
            .nth(skip)
            .map_or(text.len(), |(i, _)| i + 1),
    };
    let line_end = text
        .get(line_start..)
        .and_then(|s| s.find('\n'))
        .map_or(text.len(), |i| line_start + i);
    let mut offset = (line_start + column.saturating_sub(1)).min(line_end);
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(range: Range<usize>) -> Span {
        Span {
            file: "t.md".into(),
            line: 1,
            column: 1,
            range,
        }
    }

    fn error_text(text: &str) -> (String, String) {
        match parse_shape(text, &span) {
            Ok(shape) => panic!("expected an error for {text}, got {shape:?}"),
            Err(e) => (
                text.get(e.range.clone()).unwrap_or("?").to_owned(),
                e.message,
            ),
        }
    }

    #[test]
    fn errors_span_the_node_they_are_about() {
        let cases = [
            (
                "{\"a\": [\n  \"*string*\",\n  \"*string*\"\n]}",
                "[\n  \"*string*\",\n  \"*string*\"\n]",
            ),
            ("[\"*string*\", \"]\", 3]", "[\"*string*\", \"]\", 3]"),
            ("{\"a\": []}", "[]"),
            ("{\n  \"a\": \"*strin*\"\n}", "\"*strin*\""),
            ("{\"a\": \"*string*\", \"b\": {\"c\": 12.5}}", "12.5"),
            ("{\"a\\\"b\": 1, \"a\\\"b\": 2}", "1"),
            ("{\"k\": \"*string*\", \"k\": \"*string*\"}", "\"k\""),
            ("{\"a\": \"*enum: x | x*\"}", "\"*enum: x | x*\""),
        ];
        for (text, want) in cases {
            assert_eq!(error_text(text).0, want, "{text}");
        }
    }

    #[test]
    fn syntax_errors_point_where_serde_json_stopped() {
        let (at, message) = error_text("{\n  \"a\": \"*string*\",\n}");
        assert_eq!(at, "}");
        assert!(
            message.starts_with("invalid JSON in response shape: trailing comma"),
            "{message}"
        );
        let (at, _) = error_text("{\"é\": tru}");
        assert_eq!(at, "}");
    }

    #[test]
    fn nesting_is_limited_without_recursing_past_the_limit() {
        let deep = |n: usize| format!("{}\"*string*\"{}", "[".repeat(n), "]".repeat(n));
        assert!(parse_shape(&deep(MAX_DEPTH - 1), &span).is_ok());
        let text = deep(10_000);
        let Err(e) = parse_shape(&text, &span) else {
            panic!("too deep")
        };
        assert!(e.message.contains("at most 32 levels"), "{}", e.message);
        assert_eq!(e.range.start, MAX_DEPTH);
        let (at, message) = error_text("{\"a\": 1} x");
        assert_eq!(
            (at.as_str(), message.as_str()),
            ("x", "invalid JSON in response shape: trailing characters")
        );
        assert_eq!(
            error_text("nul").1,
            "invalid JSON in response shape: EOF while parsing a value"
        );
    }

    #[test]
    fn every_node_and_key_knows_where_it_is() {
        let text = "{\"a\": [{\"b\\u0021\": \"*enum: x | y*\"}], \"c\": null}";
        let Ok(shape) = parse_shape(text, &span) else {
            panic!("valid shape")
        };
        let ShapeKind::Object { fields } = &shape.kind else {
            panic!("object")
        };
        assert_eq!(shape.span.range, 0..text.len());
        assert_eq!(text.get(fields[0].span.range.clone()), Some("\"a\""));
        assert_eq!(
            text.get(fields[0].shape.span.range.clone()),
            Some("[{\"b\\u0021\": \"*enum: x | y*\"}]")
        );
        let ShapeKind::Array { element } = &fields[0].shape.kind else {
            panic!("array")
        };
        let ShapeKind::Object { fields: inner } = &element.kind else {
            panic!("object")
        };
        assert_eq!(inner[0].name, "b!");
        assert_eq!(text.get(inner[0].span.range.clone()), Some("\"b\\u0021\""));
        assert_eq!(
            text.get(inner[0].shape.span.range.clone()),
            Some("\"*enum: x | y*\"")
        );
        assert_eq!(text.get(fields[1].shape.span.range.clone()), Some("null"));
        assert_eq!(fields[1].shape.kind, ShapeKind::Unknown);
    }
}
