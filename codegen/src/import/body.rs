//! Import stage, request bodies: a schema operation's request body as the rows of an overlay's
//! `### Body` table (docs/FORMAT.md), nested objects as path rows, with its `Content type:`
//! when it is not `application/json` (multipart with `file` fields, a form, a body of bytes);
//! what the table cannot say yet is the reason the body is left out, or the reason a field is
//! typed `json`.

use serde_json::{Map, Value};

use super::params::one_line;
use super::schema::{Operation, Schema};

use super::objects::{
    self, MAX_DEPTH, Object, Side, alternatives, dedupe, has_discriminator, is_union, named,
    string_values,
};

/// One `### Body` row, its cells as the table writes them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyRow {
    /// `name`, `data.flags`, `rules[].action`.
    pub path: String,
    /// `string`, `nullable object[]`, ...
    pub ty: String,
    pub required: bool,
    /// One of the object's fields marked so is required (`one of`).
    pub one_of: bool,
    pub values: Vec<String>,
    /// One line of Markdown, `|` escaped.
    pub description: String,
}

/// What the import made of an operation's request body.
#[derive(Debug, Default)]
pub struct BodyImport {
    /// The rows; empty when the operation has no body, it was left out, or it has variants.
    pub rows: Vec<BodyRow>,
    /// A body that is one of several objects: each one's name and rows.
    pub variants: Vec<(String, Vec<BodyRow>)>,
    /// Why the body was left out, when it was.
    pub skipped: Option<String>,
    /// Fields typed `json` where the schema says more: (path, reason).
    pub untyped: Vec<(String, String)>,
    /// The media type, when not `application/json`.
    pub content_type: Option<String>,
    /// A body of bytes (no rows): its `Content type:` line is all there is.
    pub raw: bool,
    /// The `Body type:` of a body that is an array or a map (`object[]`, `string[]`): the
    /// rows are its object's.
    pub json_type: Option<String>,
}

impl BodyImport {
    /// Whether there is a `### Body` section to write.
    pub fn is_written(&self) -> bool {
        self.raw || self.json_type.is_some() || !self.rows.is_empty() || !self.variants.is_empty()
    }
}

/// The media type the client sends of those the schema offers: JSON first (the fields are
/// typed the same whatever JSON type it is), then multipart, a form, then bytes.
fn pick(content: &Map<String, Value>) -> Option<(&str, &Value)> {
    let essence = |k: &str| {
        k.split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase()
    };
    let rank = |k: &str| match essence(k).as_str() {
        "application/json" => 0,
        e if e.ends_with("+json") => 1,
        "multipart/form-data" => 2,
        "application/x-www-form-urlencoded" => 3,
        _ => 4,
    };
    content
        .iter()
        .min_by_key(|(k, _)| rank(k))
        .map(|(k, v)| (k.as_str(), v))
}

/// The `### Body` rows for `op`'s JSON request body.
pub fn body(schema: &Schema, op: &Operation) -> BodyImport {
    let mut out = BodyImport::default();
    let Some(request) = schema
        .operation_object(op)
        .and_then(|o| o.get("requestBody"))
    else {
        return out;
    };
    let request = match schema.resolve(request) {
        Ok(r) => r,
        Err(reason) => {
            out.skipped = Some(reason);
            return out;
        }
    };
    let Some(content) = request
        .get("content")
        .and_then(Value::as_object)
        .filter(|c| !c.is_empty())
    else {
        out.skipped = Some("a request body without content".into());
        return out;
    };
    let Some((media, chosen)) = pick(content) else {
        out.skipped = Some("a request body without content".into());
        return out;
    };
    let encoding = crate::ir::BodyEncoding::of(media);
    if media != "application/json" {
        if media.contains(['`', '|']) || media.contains(char::is_control) {
            out.skipped = Some(format!("content type {media}: not one a line can hold"));
            return out;
        }
        out.content_type = Some(media.to_owned());
    }
    if encoding == crate::ir::BodyEncoding::Raw {
        // Bytes: whatever the schema says of them, the caller gives them.
        out.raw = true;
        return out;
    }
    let Some(root) = chosen.get("schema") else {
        out.skipped = Some(if encoding == crate::ir::BodyEncoding::Json {
            "a JSON body without a schema".into()
        } else {
            format!("a {media} body without a schema")
        });
        return out;
    };
    let multipart = encoding == crate::ir::BodyEncoding::Multipart;
    let mut importer = Importer {
        schema,
        rows: Vec::new(),
        untyped: Vec::new(),
        refs: Vec::new(),
        multipart,
    };
    if is_union(schema, root) && encoding != crate::ir::BodyEncoding::Json {
        out.skipped = Some(format!("a {media} body that is a union"));
        return out;
    }
    if is_union(schema, root) {
        let discriminated = has_discriminator(schema, root, 0);
        match importer.variants(root, 0) {
            Ok(variants) => {
                let variants = dedupe(named(variants));
                if !discriminated && let Some(object) = alternatives(&variants) {
                    // One object whose variants differ only in which key they require.
                    if let Some(bad) = object.unwritable_key() {
                        out.skipped = Some(format!("a key the table cannot write (`{bad}`)"));
                        return out;
                    }
                    importer.fields(&object, "", 0);
                    out.rows = importer.rows;
                    out.untyped = importer.untyped;
                    return out;
                }
                let bad = variants.iter().find_map(|(_, o)| o.unwritable_key());
                if let Some(bad) = bad {
                    out.skipped = Some(format!("a key the table cannot write (`{bad}`)"));
                    return out;
                }
                for (name, object) in variants {
                    importer.fields(&object, "", 0);
                    let rows = std::mem::take(&mut importer.rows);
                    out.variants.push((name, rows));
                }
                out.untyped = importer.untyped;
            }
            Err(reason) => out.skipped = Some(reason),
        }
        return out;
    }
    if encoding == crate::ir::BodyEncoding::Json && is_container(schema, root) {
        importer.container(root, &mut out);
        return out;
    }
    match importer.object(root) {
        Ok(object) if object.properties.is_empty() => {
            out.skipped = Some(match object.open {
                true => "a body that is a map (no properties)".into(),
                false => "a body without properties".into(),
            });
        }
        Ok(object) => {
            if let Some(bad) = object.unwritable_key() {
                out.skipped = Some(format!("a key the table cannot write (`{bad}`)"));
                return out;
            }
            importer.fields(&object, "", 0);
            out.rows = importer.rows;
            out.untyped = importer.untyped;
        }
        Err(reason) => out.skipped = Some(reason),
    }
    out
}

struct Importer<'a> {
    schema: &'a Schema,
    rows: Vec<BodyRow>,
    untyped: Vec<(String, String)>,
    /// The `$ref`s being expanded, outermost first: a type inside itself is a cycle.
    refs: Vec<String>,
    /// A multipart body: a top-level binary string (or an array of them) is a `file`.
    multipart: bool,
}

/// A field's type, before it is written: the cell text, and the object whose fields follow.
struct Typed {
    ty: String,
    nullable: bool,
    values: Vec<String>,
    object: Option<Object>,
    /// The `$ref`s this type expanded (popped once its fields are written).
    refs: usize,
    description: Option<String>,
}

impl<'a> Importer<'a> {
    /// The objects a union body may be, nested unions flattened, each named by its `title`,
    /// else its tag (the discriminator's one value), else its schema's name. `Err` when one
    /// of them is not an object.
    fn variants(
        &mut self,
        value: &Value,
        depth: usize,
    ) -> Result<Vec<(Option<String>, Object)>, String> {
        if depth > MAX_DEPTH {
            return Err(format!("unions nested deeper than {MAX_DEPTH} (a cycle?)"));
        }
        let resolved = self.schema.resolve(value)?;
        let tag = resolved
            .get("discriminator")
            .and_then(|d| d.get("propertyName"))
            .and_then(Value::as_str);
        let list = ["anyOf", "oneOf"]
            .iter()
            .find_map(|k| resolved.get(*k).and_then(Value::as_array));
        let Some(list) = list else {
            return Err("a union without variants".into());
        };
        let mut out = Vec::new();
        for variant in list {
            if is_union(self.schema, variant) {
                out.extend(self.variants(variant, depth + 1)?);
                continue;
            }
            let object = self.object(variant).map_err(|_| {
                "a union with a variant that is not an object: overlays cannot say it yet"
                    .to_owned()
            })?;
            if object.properties.is_empty() {
                return Err(
                    "a union with a variant without properties: overlays cannot say it yet".into(),
                );
            }
            let resolved = self.schema.resolve(variant)?;
            let title = resolved.get("title").and_then(Value::as_str);
            let tagged = tag
                .or(Some("type"))
                .and_then(|t| object.properties.get(t))
                .and_then(|p| string_values(p).first().cloned())
                .filter(|_| tag.is_some());
            let named = variant
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.rsplit('/').next());
            let name = title
                .map(str::to_owned)
                .or(tagged)
                .or(named.map(str::to_owned));
            out.push((name, object));
        }
        Ok(out)
    }

    /// A JSON body that is an array or a map (`root`, see [`is_container`]): its `Body
    /// type:` and its object's rows, or the reason it is left out.
    fn container(&mut self, root: &Value, out: &mut BodyImport) {
        // A union of objects that differ in the key each requires is one object here too
        // (Zero Trust split tunnel entries: an `address` or a `host`).
        let resolved = self.schema.resolve(root).ok();
        let (element, suffix) = match resolved {
            Some(r) if r.get("type").and_then(Value::as_str) == Some("array") => {
                (r.get("items"), "[]")
            }
            Some(r) => (r.get("additionalProperties"), "{}"),
            None => (None, ""),
        };
        if let Some(element) = element.filter(|e| is_union(self.schema, e)) {
            let merged = self
                .variants(element, 0)
                .ok()
                .and_then(|v| alternatives(&named(v)));
            let Some(object) = merged else {
                out.skipped = Some("a body that is an array or a map of a union".into());
                return;
            };
            if let Some(bad) = object.unwritable_key() {
                out.skipped = Some(format!("a key the table cannot write (`{bad}`)"));
                return;
            }
            self.fields(&object, "", 0);
            out.json_type = Some(format!("object{suffix}"));
            out.rows = std::mem::take(&mut self.rows);
            out.untyped = std::mem::take(&mut self.untyped);
            return;
        }
        let typed = self.field_type(root, "", 0);
        let element_union = self
            .untyped
            .iter()
            .any(|(path, _)| path.trim_start_matches(['[', ']', '{', '}']).is_empty());
        // A body that may be `null` is still sent as the array or map the caller gives.
        if element_union || typed.ty.starts_with("json") {
            out.skipped = Some(match element_union {
                true => "a body that is an array or a map of a union".into(),
                false => format!("a body of type `{}`", typed.ty),
            });
            return;
        }
        if let Some(object) = &typed.object {
            if object.properties.is_empty() {
                out.skipped = Some("an array or a map of objects without properties".into());
                return;
            }
            if let Some(bad) = object.unwritable_key() {
                out.skipped = Some(format!("a key the table cannot write (`{bad}`)"));
                return;
            }
            self.fields(object, "", 0);
        }
        out.json_type = Some(typed.ty);
        out.rows = std::mem::take(&mut self.rows);
        out.untyped = std::mem::take(&mut self.untyped);
    }

    /// `value` as the object a request sends ([`objects::object`]).
    fn object(&mut self, value: &Value) -> Result<Object, String> {
        objects::object(self.schema, value, Side::Request)
    }

    /// The rows of `object`'s fields, below `prefix` (`""`, `data.`, `rules[].`).
    fn fields(&mut self, object: &Object, prefix: &str, depth: usize) {
        // A key the table cannot write makes the whole object `json`: the caller checked.
        for (key, value) in &object.properties {
            let path = format!("{prefix}{key}");
            let typed = self.field_type(value, &path, depth);
            let required = object.required.iter().any(|r| r == key);
            let description = one_line(
                value
                    .get("description")
                    .and_then(Value::as_str)
                    .or(typed.description.as_deref()),
            );
            let ty = match typed.nullable {
                true => format!("nullable {}", typed.ty),
                false => typed.ty.clone(),
            };
            self.rows.push(BodyRow {
                path: path.clone(),
                ty,
                required,
                one_of: object.one_of.contains(key),
                values: typed.values,
                description,
            });
            if let Some(inner) = &typed.object {
                let suffixes = typed.ty.trim_start_matches("object");
                self.fields(inner, &format!("{path}{suffixes}."), depth + 1);
            }
            let keep = self.refs.len() - typed.refs;
            self.refs.truncate(keep);
        }
    }

    /// The table type of the field at `path` whose schema is `value`.
    fn field_type(&mut self, value: &Value, path: &str, depth: usize) -> Typed {
        let json = |nullable| Typed {
            ty: "json".into(),
            nullable,
            values: Vec::new(),
            object: None,
            refs: 0,
            description: None,
        };
        // Follow `$ref`s, each at most once on the way down.
        let mut refs = 0;
        let mut value = value;
        while let Some(reference) = value.get("$ref").and_then(Value::as_str) {
            if self.refs.iter().any(|r| r == reference) {
                self.untyped
                    .push((path.to_owned(), format!("a recursive type (`{reference}`)")));
                self.refs.truncate(self.refs.len() - refs);
                return json(false);
            }
            self.refs.push(reference.to_owned());
            refs += 1;
            value = match self.schema.pointer(reference) {
                Ok(v) => v,
                Err(reason) => {
                    self.untyped.push((path.to_owned(), reason));
                    self.refs.truncate(self.refs.len() - refs);
                    return json(false);
                }
            };
        }
        let mut typed = self.typed(value, path, depth);
        typed.refs += refs;
        if typed.description.is_none() {
            typed.description = value
                .get("description")
                .and_then(Value::as_str)
                .map(str::to_owned);
        }
        typed
    }

    fn typed(&mut self, value: &Value, path: &str, depth: usize) -> Typed {
        let mut typed = Typed {
            ty: "json".into(),
            nullable: value.get("nullable").and_then(Value::as_bool) == Some(true),
            values: Vec::new(),
            object: None,
            refs: 0,
            description: None,
        };
        let untyped = |reason: &str, this: &mut Self| {
            this.untyped.push((path.to_owned(), reason.to_owned()));
        };
        // `anyOf: [X, {type: null}]` is a nullable X; any other union stays `json`.
        for key in ["anyOf", "oneOf"] {
            if let Some(variants) = value.get(key).and_then(Value::as_array) {
                let not_null: Vec<&Value> = variants
                    .iter()
                    .filter(|v| v.get("type").and_then(Value::as_str) != Some("null"))
                    .collect();
                if let [only] = not_null.as_slice() {
                    let mut inner = self.field_type(only, path, depth);
                    inner.nullable |= typed.nullable || not_null.len() < variants.len();
                    return inner;
                }
                if let Some((ty, values)) = scalar_union(self.schema, &not_null) {
                    typed.ty = ty;
                    typed.values = values;
                    typed.nullable |= not_null.len() < variants.len();
                    return typed;
                }
                untyped(&format!("a union (`{key}`)"), self);
                return typed;
            }
        }
        let ty = match value.get("type") {
            Some(Value::String(t)) => Some(t.as_str()),
            Some(Value::Array(types)) => {
                let named: Vec<&str> = types.iter().filter_map(Value::as_str).collect();
                typed.nullable |= named.contains(&"null");
                match named
                    .iter()
                    .filter(|t| **t != "null")
                    .collect::<Vec<_>>()
                    .as_slice()
                {
                    [one] => Some(**one),
                    _ => {
                        untyped("a union of types", self);
                        return typed;
                    }
                }
            }
            _ => None,
        };
        let is_object = ty == Some("object")
            || (ty.is_none()
                && (value.get("properties").is_some() || value.get("allOf").is_some()));
        typed.ty = match ty {
            _ if is_object => {
                if depth >= MAX_DEPTH {
                    untyped(&format!("nested deeper than {MAX_DEPTH} objects"), self);
                    return typed;
                }
                let object = match self.object(value) {
                    Ok(o) => o,
                    Err(reason) => {
                        untyped(&reason, self);
                        return typed;
                    }
                };
                if object.properties.is_empty() {
                    // A map, or any object.
                    return match value.get("additionalProperties") {
                        Some(element @ Value::Object(e)) if !e.is_empty() => {
                            let mut inner =
                                self.field_type(element, &format!("{path}{{}}"), depth + 1);
                            inner.ty = wrapped(&inner.ty, "{}");
                            inner.nullable = typed.nullable;
                            inner
                        }
                        _ => typed,
                    };
                }
                if let Some(bad) = object.unwritable_key() {
                    untyped(&format!("a key the table cannot write (`{bad}`)"), self);
                    return typed;
                }
                typed.object = Some(object);
                "object".into()
            }
            Some("array") => {
                let Some(items) = value.get("items") else {
                    return typed;
                };
                let mut inner = self.field_type(items, &format!("{path}[]"), depth);
                inner.ty = wrapped(&inner.ty, "[]");
                // Nullable elements are not said: the array's own nullability is (files are
                // left out to send none, never `null`).
                inner.nullable = typed.nullable && inner.ty != "file[]";
                inner.description = None;
                return inner;
            }
            Some("string") => match value.get("format").and_then(Value::as_str) {
                Some("date-time" | "date") => "datetime".into(),
                // A part of its own: a top-level field, or the elements of one's array.
                Some("binary")
                    if self.multipart
                        && !path.contains(['.', '{'])
                        && path.matches("[]").count() <= usize::from(path.ends_with("[]")) =>
                {
                    typed.nullable = false;
                    "file".into()
                }
                _ => {
                    typed.values = string_values(value);
                    "string".into()
                }
            },
            Some("integer") => "integer".into(),
            Some("number") => "number".into(),
            Some("boolean") => "boolean".into(),
            _ => return typed,
        };
        typed
    }
}

/// The one type of a union of scalars of one JSON type (DNS records' `ttl`: a number, or the
/// number `1` for "automatic"; two enums of strings): `string` (with the values of its
/// branches when each is an enum), `datetime` when each is a date, `integer`, `number` (an
/// integer branch among numbers too), `boolean`. `None` for any other union, which stays
/// `json`: JSON tells a number from a string, so a field cannot be both as text.
pub(super) fn scalar_union(schema: &Schema, branches: &[&Value]) -> Option<(String, Vec<String>)> {
    let mut types: Vec<&str> = Vec::new();
    let mut values: Vec<String> = Vec::new();
    let mut open = false;
    for branch in branches {
        let branch = schema.resolve(branch).ok()?;
        let ty = match (
            branch.get("type").and_then(Value::as_str),
            branch.get("format").and_then(Value::as_str),
        ) {
            (Some("string"), Some("binary")) => return None,
            (Some("string"), Some("date-time" | "date")) => "datetime",
            (Some(t @ ("string" | "integer" | "number" | "boolean")), _) => t,
            _ => return None,
        };
        let branch_values = string_values(branch);
        open |= branch_values.is_empty();
        for v in branch_values {
            if !values.contains(&v) {
                values.push(v);
            }
        }
        if !types.contains(&ty) {
            types.push(ty);
        }
    }
    types.sort_unstable();
    let ty = match types.as_slice() {
        [one] => *one,
        ["integer", "number"] => "number",
        ["datetime", "string"] => "string",
        _ => return None,
    };
    let values = match ty == "string" && !open {
        true => values,
        false => Vec::new(),
    };
    Some((ty.to_owned(), values))
}

/// Whether a body schema is an array, or a map (an object that lists no properties and
/// takes any key holding one schema): a `Body type:` of `…[]` or `…{}`.
fn is_container(schema: &Schema, value: &Value) -> bool {
    let Ok(value) = schema.resolve(value) else {
        return false;
    };
    match value.get("type").and_then(Value::as_str) {
        Some("array") => true,
        None | Some("object") => {
            value.get("properties").is_none()
                && value.get("allOf").is_none()
                && !is_union(schema, value)
                && value
                    .get("additionalProperties")
                    .is_some_and(Value::is_object)
        }
        _ => false,
    }
}

/// `ty` inside a container (`[]` or `{}`): the container's suffix comes first, as the table
/// reads types from the field inward (a map of string arrays is `string{}[]`).
fn wrapped(ty: &str, container: &str) -> String {
    let base_end = ty.find(['[', '{']).unwrap_or(ty.len());
    format!("{}{container}{}", &ty[..base_end], &ty[base_end..])
}
