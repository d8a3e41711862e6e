//! Parse stage, overlay body grammar: an endpoint's `### Body` section — an optional
//! `Content type: `…`` line, then one table, a row per field of its request body, nested
//! fields written as paths (`settings.ttl`, `rules[].action`, `labels{}.name`), or, for a body
//! that is one of several objects, a `####` heading and a table per variant — read into the
//! tree of [`BodyField`]s. A body of bytes (a media type that is not JSON, multipart or form)
//! has the line and no table.

use std::ops::Range;

use super::blocks::Row;
use super::overlay_cells::{
    body_rows, cell_source, cell_target, check_values, code_list, code_only, is_media_type,
    plain_text, unknown_cell,
};
use super::report::Reporter;
use crate::ir::{Body, BodyEncoding, BodyField, BodyType, BodyVariant, ParamType};

pub(super) const BODY_COLUMNS: [&str; 5] = ["Field", "Type", "Required", "Values", "Description"];

const BODY_TYPES: &str = "`string`, `integer`, `number`, `boolean`, `datetime`, `json` or `object`, then any of `[]` (an array of it) and `{}` (an object of any keys holding it), optionally after `nullable `; `file` or `file[]` in a multipart body";

/// A `### Body` section as its blocks arrive: one table (a body that is one object), or
/// variants, each a `####` heading and its table.
#[derive(Default)]
pub(super) struct BodySection {
    body: Option<Body>,
    /// A variant heading whose table has not come yet: its name and range.
    pending: Option<(String, Range<usize>)>,
    /// The `Content type:` line's media type, and where the line is.
    content_type: Option<(String, Range<usize>)>,
    /// The `Body type:` line's type (an array or a map), and where the line is.
    json_type: Option<(BodyType, Range<usize>)>,
}

impl BodySection {
    /// A paragraph of the section: the `Content type: `…`` line, read if it is one, before
    /// any table or variant heading; `false` for any other text (not this grammar's).
    pub(super) fn paragraph(&mut self, rp: &mut Reporter<'_>, at: Range<usize>) -> bool {
        // Read from the source: paragraphs keep no inline items unless they may be a method
        // line. The line is `Content type:` and one code span.
        let text = rp.src.get(at.clone()).unwrap_or("");
        if let Some(rest) = text.trim().strip_prefix("Body type:") {
            self.json_type_line(rp, rest, at);
            return true;
        }
        let Some(rest) = text.trim().strip_prefix("Content type:") else {
            return false;
        };
        let rest = rest.trim();
        let media = match rest.strip_prefix('`').and_then(|r| r.strip_suffix('`')) {
            Some(media) if !media.contains('`') => media,
            _ => {
                rp.error(
                    at,
                    "expected the media type in a code span after `Content type:`",
                    Some("e.g. Content type: `multipart/form-data`".into()),
                );
                return true;
            }
        };
        let media_at = at.clone();
        if self.body.is_some()
            || self.pending.is_some()
            || self.content_type.is_some()
            || self.json_type.is_some()
        {
            rp.error(
                at,
                "the `Content type:` line comes once, first in `### Body`",
                Some("write it right below the heading, above the table".into()),
            );
        } else if !is_media_type(media) {
            rp.error(
                media_at.clone(),
                format!("`{media}` is not a media type"),
                Some("e.g. `multipart/form-data`, `application/x-ndjson`".into()),
            );
        } else {
            self.content_type = Some((media.trim().to_owned(), at));
        }
        true
    }

    /// The `Body type:` line (after `rest`, its text after the label): an array or a map,
    /// of `object` (the table's) or of a scalar, in a JSON body, once, above the table.
    fn json_type_line(&mut self, rp: &mut Reporter<'_>, rest: &str, at: Range<usize>) {
        let rest = rest.trim();
        let Some(text) = rest.strip_prefix('`').and_then(|r| r.strip_suffix('`')) else {
            rp.error(
                at,
                "expected the body's type in a code span after `Body type:`",
                Some("e.g. Body type: `object[]`".into()),
            );
            return;
        };
        let hint = "`object[]` or `object{}` (an array or a map of the table's object), or an array or a map of `string`, `integer`, `number`, `boolean`, `datetime` or `json` (no table)";
        if self.body.is_some() || self.pending.is_some() || self.json_type.is_some() {
            rp.error(
                at,
                "the `Body type:` line comes once, above the table",
                Some("write it right below the heading (after a `Content type:` line)".into()),
            );
            return;
        }
        if self.encoding() != BodyEncoding::Json {
            let media = self.content_type.as_ref().map_or("", |(c, _)| c.as_str());
            rp.error(
                at,
                format!("a body of type `{media}` has no `Body type:`"),
                Some("only a JSON body may be an array or a map".into()),
            );
            return;
        }
        match parse_body_type(text.trim()) {
            Some((ty @ (BodyType::Array(_) | BodyType::Map(_)), false))
                if *ty.innermost() != BodyType::File =>
            {
                self.json_type = Some((ty, at));
            }
            _ => rp.error(
                at,
                format!("`{text}` is not a body type"),
                Some(hint.into()),
            ),
        }
    }

    /// Whether the body's innermost value is a scalar (a `Body type:` such as `string[]`),
    /// which has no table.
    fn holds_scalars(&self) -> bool {
        self.json_type
            .as_ref()
            .is_some_and(|(t, _)| *t.innermost() != BodyType::Object)
    }

    /// How the body is encoded: JSON until a `Content type:` line says otherwise.
    fn encoding(&self) -> BodyEncoding {
        self.content_type
            .as_ref()
            .map_or(BodyEncoding::Json, |(c, _)| BodyEncoding::of(c))
    }

    /// Whether the section is complete without a table: a body of bytes, or of scalars.
    pub(super) fn needs_no_table(&self) -> bool {
        self.encoding() == BodyEncoding::Raw || self.holds_scalars()
    }

    /// A `####` heading: the next table is this variant's.
    pub(super) fn variant_heading(&mut self, rp: &mut Reporter<'_>, text: &str, at: Range<usize>) {
        if self.encoding() != BodyEncoding::Json {
            let media = self.content_type.as_ref().map_or("", |(c, _)| c.as_str());
            rp.error(
                at,
                format!("a body of type `{media}` has no variants"),
                Some("only a JSON body may be one of several objects".into()),
            );
            return;
        }
        if let Some((ty, _)) = &self.json_type {
            rp.error(
                at,
                format!("a body of type `{}` has no variants", body_type_text(ty)),
                Some("an array or a map holds one object: its table".into()),
            );
            return;
        }
        if self.body.as_ref().is_some_and(|b| b.variants.is_empty()) {
            rp.error(
                at,
                "a variant heading after the body's table",
                Some("a body is one table, or variants: a `####` heading and a table each".into()),
            );
            return;
        }
        if let Some((name, first)) = self.pending.take() {
            rp.error(
                first,
                format!("variant `{name}` has no table"),
                Some("write the variant's table right below its heading".into()),
            );
        }
        let name = text.trim().to_owned();
        let taken = self
            .body
            .iter()
            .flat_map(|b| &b.variants)
            .find(|v| v.name == name);
        if name.is_empty() {
            rp.error(
                at,
                "a variant heading without a name",
                Some("e.g. `#### A Record`".into()),
            );
        } else if let Some(first) = taken {
            let line = first.span.line;
            rp.error(
                at,
                format!("duplicate variant `{name}` (first at line {line})"),
                Some("each variant of a body once".into()),
            );
        } else {
            self.pending = Some((name, at));
        }
    }

    /// A table (its header checked): the body's, or the pending variant's.
    pub(super) fn table(
        &mut self,
        rp: &mut Reporter<'_>,
        rows: &[Row],
        heading: Range<usize>,
        at: Range<usize>,
    ) {
        let encoding = self.encoding();
        if encoding == BodyEncoding::Raw {
            let media = self.content_type.as_ref().map_or("", |(c, _)| c.as_str());
            rp.error(
                at,
                format!("a body of type `{media}` is bytes: it has no table"),
                Some("the caller gives the bytes; a table describes a JSON, `multipart/form-data` or `application/x-www-form-urlencoded` body".into()),
            );
            return;
        }
        if let Some((ty, _)) = self.json_type.as_ref().filter(|_| self.holds_scalars()) {
            rp.error(
                at,
                format!(
                    "a body of type `{}` holds no objects: it has no table",
                    body_type_text(ty)
                ),
                Some("a table describes the object of an `object[]` or `object{}` body".into()),
            );
            return;
        }
        let fields = fields_table(rp, rows, encoding == BodyEncoding::Multipart);
        let content_type = self.content_type.as_ref().map(|(c, _)| c.clone());
        let json_type = self.json_type.as_ref().map(|(t, _)| t.clone());
        match self.pending.take() {
            Some((name, name_at)) => {
                let span = rp.span(heading);
                let body = self.body.get_or_insert_with(|| Body {
                    span,
                    content_type,
                    json_type,
                    fields: Vec::new(),
                    variants: Vec::new(),
                });
                body.variants.push(BodyVariant {
                    span: rp.span(name_at),
                    name,
                    fields,
                });
            }
            None if self.body.is_some() => rp.error(
                at,
                "a second table in one `### Body` section",
                Some("a body is one table, or variants: a `####` heading and a table each".into()),
            ),
            None => {
                self.body = Some(Body {
                    span: rp.span(heading),
                    content_type,
                    json_type,
                    fields,
                    variants: Vec::new(),
                })
            }
        }
    }

    /// The body read, after reporting a variant heading left without a table; `heading` is
    /// where the section's heading is, for a body of bytes (which has no table).
    pub(super) fn finish(
        self,
        rp: &mut Reporter<'_>,
        heading: Option<Range<usize>>,
    ) -> Option<Body> {
        let no_table = self.needs_no_table();
        if let Some((name, at)) = self.pending {
            rp.error(
                at,
                format!("variant `{name}` has no table"),
                Some("write the variant's table right below its heading".into()),
            );
        }
        match (self.body, self.content_type, heading) {
            (Some(body), _, _) => Some(body),
            (None, content_type, Some(heading)) if no_table => Some(Body {
                span: rp.span(heading),
                content_type: content_type.map(|(c, _)| c),
                json_type: self.json_type.map(|(t, _)| t),
                fields: Vec::new(),
                variants: Vec::new(),
            }),
            _ => None,
        }
    }
}

/// The rows of a `### Body` table (after its header), as a field tree; `files`: whether the
/// body is multipart, where top-level fields may be files.
fn fields_table(rp: &mut Reporter<'_>, rows: &[Row], files: bool) -> Vec<BodyField> {
    let mut fields: Vec<BodyField> = Vec::new();
    // Every path read so far, with its line: a duplicate is an error even if the first row
    // had other problems, and a child of a row left out is not reported again.
    let mut seen: Vec<(String, u32)> = Vec::new();
    let mut left_out: Vec<String> = Vec::new();
    for row in body_rows(rp, rows, BODY_COLUMNS.len()) {
        body_row(rp, row, files, &mut fields, &mut seen, &mut left_out);
    }
    check_objects(rp, &fields);
    fields
}

/// One row, added to `fields` where its path puts it; reported and left out on any error.
fn body_row(
    rp: &mut Reporter<'_>,
    row: &Row,
    files: bool,
    fields: &mut Vec<BodyField>,
    seen: &mut Vec<(String, u32)>,
    left_out: &mut Vec<String>,
) {
    let line = rp.line_of(row.range.start);
    let cell = |i: usize| row.cells.get(i);
    let mut ok = true;

    let path = match cell(0).map(code_only) {
        Some(Ok(Some((p, r)))) if !p.is_empty() && !p.contains(char::is_whitespace) => (p, r),
        _ => {
            rp.error(
                cell_target(rp, row, cell(0)),
                "expected the field's path in a code span",
                Some("e.g. `name`, `settings.ttl`, `rules[].action` or `labels{}.name`, in backticks".into()),
            );
            return;
        }
    };
    let (written, path_range) = path;
    if let Some((_, first)) = seen.iter().find(|(s, _)| *s == written) {
        let first = *first;
        rp.error(
            path_range.clone(),
            format!("duplicate field `{written}` (first at line {first})"),
            Some("each field appears once in an endpoint's `### Body` table".into()),
        );
        return;
    }
    seen.push((written.clone(), line));
    // A child of a row that was left out: that row's error says it all.
    if left_out.iter().any(|p| {
        written
            .strip_prefix(p.as_str())
            .is_some_and(|rest| rest.starts_with(['.', '[', '{']))
    }) {
        left_out.push(written);
        return;
    }

    let type_text = plain_text(rp, cell(1));
    let parsed = parse_body_type(&type_text);
    if parsed.is_none() {
        rp.error(
            cell_target(rp, row, cell(1)),
            unknown_cell("body field type", &type_text),
            Some(format!("the `Type` column is {BODY_TYPES}")),
        );
        ok = false;
    }

    let required_text = plain_text(rp, cell(2));
    // (required, one of a group of which one is required)
    let required = match required_text.as_str() {
        "yes" => Some((true, false)),
        "no" => Some((false, false)),
        "one of" => Some((false, true)),
        _ => {
            rp.error(
                cell_target(rp, row, cell(2)),
                unknown_cell("`Required` value", &required_text),
                Some("the `Required` column is `yes`, `no` or `one of`".into()),
            );
            None
        }
    };

    let values = match cell(3).map(code_list) {
        None => Some(Vec::new()),
        Some(Ok(values)) => check_values(rp, &values, Some(&ParamType::String)),
        Some(Err(at)) => {
            rp.error(
                at,
                "expected the values as code spans separated by commas",
                Some("e.g. `A`, `AAAA`; leave the cell empty for none".into()),
            );
            None
        }
    };
    if let (Some(values), Some((ty, _))) = (&values, &parsed)
        && !values.is_empty()
        && *ty.innermost() != BodyType::String
    {
        rp.error(
            cell_target(rp, row, cell(3)),
            "only a `string` field (or an array or map of strings) takes `Values`",
            Some("say the values of other types in the description".into()),
        );
        ok = false;
    }

    if let Some((ty, nullable)) = &parsed
        && *ty.innermost() == BodyType::File
    {
        let problem = if !files {
            Some("a `file` is a part of a `multipart/form-data` body")
        } else if written.contains(['.', '[', '{']) {
            Some("a `file` is a top-level field: its own part")
        } else if !matches!(ty, BodyType::File) && *ty != BodyType::Array(Box::new(BodyType::File))
        {
            Some("a field holds a `file` or a `file[]` (several parts of one name)")
        } else if *nullable {
            Some("a `file` is not `nullable`: leave it unset to send none")
        } else {
            None
        };
        if let Some(problem) = problem {
            rp.error(
                cell_target(rp, row, cell(1)),
                problem,
                Some("a file is a top-level row typed `file` or `file[]`, in a body whose `Content type:` line says multipart/form-data".into()),
            );
            ok = false;
        }
    }

    let description = cell_source(rp, cell(4));
    let (Some((ty, nullable)), Some((required, one_of)), Some(values), true) =
        (parsed, required, values, ok)
    else {
        left_out.push(written);
        return;
    };

    // Split off the last key; what is before it names an object field already read.
    let (parent, key) = match written.rsplit_once('.') {
        Some((parent, key)) => (Some(parent), key),
        None => (None, written.as_str()),
    };
    if !is_key(key) {
        rp.error(
            path_range,
            format!("invalid field key `{key}`"),
            Some("a key is not empty and holds none of `.`, `[`, `]`, `{`, `}`".into()),
        );
        left_out.push(written);
        return;
    }
    let siblings = match parent {
        None => fields,
        Some(parent) => match object_fields(fields, parent) {
            Ok(children) => children,
            Err(problem) => {
                rp.error(
                    path_range,
                    format!("`{parent}` {problem}"),
                    Some("a nested field's row comes after its object's row: `settings` (`object`), then `settings.ttl`; an array's elements are `rules[]`, a map's values `labels{}`".into()),
                );
                left_out.push(written);
                return;
            }
        },
    };
    siblings.push(BodyField {
        span: rp.span(rp.first_line(&row.range)),
        name: key.to_owned(),
        ty,
        required,
        one_of,
        nullable,
        values,
        description,
        fields: Vec::new(),
    });
}

/// The fields of the object that `path` (`settings`, `rules[]`, `a.b{}`) reaches.
fn object_fields<'f>(
    fields: &'f mut Vec<BodyField>,
    path: &str,
) -> Result<&'f mut Vec<BodyField>, String> {
    let mut level = fields;
    let mut walked = String::new();
    for segment in path.split('.') {
        let key_end = segment.find(['[', '{']).unwrap_or(segment.len());
        let (key, suffixes) = segment.split_at(key_end);
        if !walked.is_empty() {
            walked.push('.');
        }
        walked.push_str(key);
        let Some(field) = level.iter_mut().find(|f| f.name == key) else {
            return Err(format!("is not a field above this row (no `{walked}`)"));
        };
        if *field.ty.innermost() != BodyType::Object || field.ty.suffixes() != suffixes {
            let want = format!("{key}{}", field.ty.suffixes());
            return Err(if *field.ty.innermost() == BodyType::Object {
                format!("does not reach an object: its fields are written `{want}.…`")
            } else {
                format!("is not an object (`{walked}` is not of a type ending in `object`)")
            });
        }
        walked.push_str(suffixes);
        level = &mut field.fields;
    }
    Ok(level)
}

/// An object field without field rows says nothing of its object: `json` says "anything".
fn check_objects(rp: &mut Reporter<'_>, fields: &[BodyField]) {
    for field in fields {
        if *field.ty.innermost() == BodyType::Object && field.fields.is_empty() {
            rp.error(
                field.span.range.clone(),
                format!("object field `{}` has no field rows", field.name),
                Some(format!(
                    "give its fields as rows `{}{}.key`, or write `json` for any value",
                    field.name,
                    field.ty.suffixes()
                )),
            );
        }
        check_objects(rp, &field.fields);
    }
}

/// `ty` as a `Body type:` line writes it (`string[]`).
fn body_type_text(ty: &BodyType) -> String {
    format!("{}{}", base_name(ty.innermost()), ty.suffixes())
}

/// The name the Type grammar gives a type without its suffixes.
fn base_name(ty: &BodyType) -> &'static str {
    match ty {
        BodyType::String => "string",
        BodyType::Integer => "integer",
        BodyType::Number => "number",
        BodyType::Boolean => "boolean",
        BodyType::DateTime => "datetime",
        BodyType::Json => "json",
        BodyType::Object => "object",
        BodyType::File => "file",
        BodyType::Array(_) | BodyType::Map(_) => "",
    }
}

fn is_key(key: &str) -> bool {
    !key.is_empty() && !key.contains(['.', '[', ']', '{', '}'])
}

/// `nullable string[]` → (`Array(String)`, nullable). Suffixes read from the field inward:
/// `string{}[]` is an object whose values are arrays of strings.
fn parse_body_type(text: &str) -> Option<(BodyType, bool)> {
    let (nullable, text) = match text.strip_prefix("nullable ") {
        Some(rest) => (true, rest.trim_start()),
        None => (false, text),
    };
    let base_end = text.find(['[', '{']).unwrap_or(text.len());
    let (base, mut suffixes) = text.split_at(base_end);
    let mut ty = match base {
        "string" => BodyType::String,
        "integer" => BodyType::Integer,
        "number" => BodyType::Number,
        "boolean" => BodyType::Boolean,
        "datetime" => BodyType::DateTime,
        "json" => BodyType::Json,
        "object" => BodyType::Object,
        "file" => BodyType::File,
        _ => return None,
    };
    let mut wrappers = Vec::new();
    while !suffixes.is_empty() {
        if let Some(rest) = suffixes.strip_prefix("[]") {
            wrappers.push(true);
            suffixes = rest;
        } else if let Some(rest) = suffixes.strip_prefix("{}") {
            wrappers.push(false);
            suffixes = rest;
        } else {
            return None;
        }
    }
    for array in wrappers.into_iter().rev() {
        ty = if array {
            BodyType::Array(Box::new(ty))
        } else {
            BodyType::Map(Box::new(ty))
        };
    }
    Some((ty, nullable))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_read_from_the_field_inward() {
        use BodyType::*;
        assert_eq!(parse_body_type("string"), Some((String, false)));
        assert_eq!(
            parse_body_type("nullable object[]"),
            Some((Array(Box::new(Object)), true))
        );
        assert_eq!(
            parse_body_type("string{}[]"),
            Some((Map(Box::new(Array(Box::new(String)))), false))
        );
        assert_eq!(Map(Box::new(Array(Box::new(Object)))).suffixes(), "{}[]");
        for bad in [
            "",
            "str",
            "string[",
            "string[]x",
            "nullable",
            "Nullable string",
            "object[]]",
        ] {
            assert_eq!(parse_body_type(bad), None, "{bad}");
        }
    }
}
