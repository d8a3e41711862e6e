//! Import stage, result shapes: each documented 2xx shape walked beside the schema of its
//! data, to give back what the docs' rendering loses — a `null` or `{}` standing for a typed
//! object, nesting cut short, a string that is an enum, a number that is an integer, keys the
//! docs left out. The imported overlay's shape refines the doc's (docs/FORMAT.md, "Overlays"):
//! every doc key is kept as the docs type it, and where the schema contradicts the docs, the
//! docs win (a value that differs is then drift the client reports, never a failed call).
//! A map becomes `{"*map*": …}` and a union of objects `{"*one of*": […]}` (see
//! `result_unions`) where a tag, or a key each variant requires, tells its variants apart.
//! What the shape language cannot say yet (a union without a tag, of scalars and objects, a
//! recursive type) stays as the docs say, with its reason.

use serde_json::{Map, Value};

use super::body::scalar_union;
use super::objects::{self, Side, is_union};
use super::responses::json_schema;
use super::schema::{Operation, Schema};
use crate::ir::{Endpoint, Shape, ShapeKind, Status};
use crate::parse::{MAP_KEY, NULLABLE_KEY, ONE_OF_KEY};

/// How many objects and arrays deep a shape taken from the schema goes: the docs reach 7;
/// a recursive type (a filter tree) is cut where it recurses, this bounds the rest.
const MAX_NESTING: usize = 12;

/// How deep fields are counted for the report (the depth the docs' rendering cuts at).
const COUNT_DEPTH: usize = 5;

/// What the import made of one endpoint's documented 2xx shapes.
#[derive(Debug, Default)]
pub struct ResultImport {
    /// The shapes that differ from the docs', as the overlay writes them, by status.
    pub refined: Vec<(Status, Value)>,
    /// Result fields the schema has, to depth [`COUNT_DEPTH`] (unions' fields aside), and how
    /// many of them the docs' shapes and the refined ones type.
    pub fields: FieldCount,
    /// Places in a result left as the docs say though the schema says more: (JSON path,
    /// reason).
    pub untyped: Vec<(String, String)>,
}

/// Result fields typed, before and after the import.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct FieldCount {
    pub schema: usize,
    pub docs: usize,
    pub refined: usize,
}

impl std::ops::AddAssign for FieldCount {
    fn add_assign(&mut self, other: FieldCount) {
        self.schema += other.schema;
        self.docs += other.docs;
        self.refined += other.refined;
    }
}

/// `endpoint`'s documented 2xx shapes refined from `op`'s response schemas; `bare` are the
/// statuses whose data is the whole body (the rest are where their note says).
pub(super) fn results(
    schema: &Schema,
    op: &Operation,
    endpoint: &Endpoint,
    bare: &[Status],
) -> ResultImport {
    let mut out = ResultImport::default();
    let Some(responses) = schema
        .operation_object(op)
        .and_then(|o| o.get("responses"))
        .and_then(Value::as_object)
    else {
        return out;
    };
    for response in endpoint.responses.iter().filter(|r| r.status.is_success()) {
        // Where the data is; a response without a note has no data the docs locate.
        let Some(note) = &response.data_at else {
            continue;
        };
        let keys: &[String] = match bare.contains(&response.status) {
            true => &[],
            false => &note.keys,
        };
        let Some(body) = responses
            .get(&response.status.to_string())
            .and_then(|r| json_schema(schema, r))
        else {
            continue;
        };
        let mut walker = Walker {
            schema,
            refs: Vec::new(),
            untyped: Vec::new(),
        };
        let Some(data) = keys
            .iter()
            .try_fold(body, |value, key| walker.property(value, key))
        else {
            continue;
        };
        let doc = match response.shape.kind {
            // No block: nothing documented, and nothing to refine (a `204`, a delete).
            ShapeKind::NoBody => continue,
            _ => doc_json(&response.shape),
        };
        let refined = walker.refine(&response.shape, data, "$", 0);
        // Data the schema lets be `null` is typed so (an `Option`), not read as drift.
        let refined = nullable_if(schema, data, refined);
        let before = walker.count(data, Some(&doc), 0);
        let after = walker.count(data, Some(&refined), 0);
        out.fields += FieldCount {
            schema: before.0,
            docs: before.1,
            refined: after.1,
        };
        out.untyped.append(&mut walker.untyped);
        if refined != doc {
            out.refined.push((response.status, refined));
        }
    }
    out
}

/// A doc shape as its block writes it.
pub(super) fn doc_json(shape: &Shape) -> Value {
    match &shape.kind {
        ShapeKind::String => Value::from("*string*"),
        ShapeKind::Integer => Value::from("*integer*"),
        ShapeKind::Number => Value::from("*number*"),
        ShapeKind::Boolean => Value::from("*boolean*"),
        ShapeKind::Enum { values } => enum_json(values),
        ShapeKind::Unknown | ShapeKind::NoBody => Value::Null,
        ShapeKind::FreeformObject => Value::Object(Map::new()),
        ShapeKind::Object { fields } => Value::Object(
            fields
                .iter()
                .map(|f| (f.name.clone(), doc_json(&f.shape)))
                .collect(),
        ),
        ShapeKind::Array { element } => Value::Array(vec![doc_json(element)]),
        ShapeKind::Map { value } => map_json(doc_json(value)),
        ShapeKind::Nullable { value } => nullable_json(doc_json(value)),
        ShapeKind::OneOf { variants, .. } => one_of_json(variants.iter().map(doc_json).collect()),
    }
}

fn map_json(value: Value) -> Value {
    Value::Object(Map::from_iter([(MAP_KEY.to_owned(), value)]))
}

fn nullable_json(value: Value) -> Value {
    Value::Object(Map::from_iter([(NULLABLE_KEY.to_owned(), value)]))
}

/// `shape` as `{"*nullable*": shape}` when the schema `value` allows `null` and the shape is
/// a type (not `null` or `{}`, which hold a `null` as they are) not nullable already.
fn nullable_if(schema: &Schema, value: &Value, shape: Value) -> Value {
    let typed = !shape.is_null() && shape != Value::Object(Map::new());
    let wrapped = nullable_inner(&shape).is_some();
    match typed && !wrapped && objects::allows_null(schema, value) {
        true => nullable_json(shape),
        false => shape,
    }
}

/// The shape inside `{"*nullable*": shape}`; `None` for any other shape.
pub(super) fn nullable_inner(shape: &Value) -> Option<&Value> {
    let object = shape.as_object().filter(|o| o.len() == 1)?;
    object.get(NULLABLE_KEY)
}

/// The one JSON type the schema `value` gives besides `null` (`type: string` or `type:
/// [string, "null"]`); `None` without a `type`, `Err` for a list of several.
pub(super) fn schema_type(value: &Value) -> Result<Option<&str>, ()> {
    match value.get("type") {
        Some(Value::String(t)) => Ok(Some(t.as_str())),
        Some(Value::Array(types)) => {
            let mut named = types
                .iter()
                .filter_map(Value::as_str)
                .filter(|t| *t != "null");
            match (named.next(), named.next()) {
                (Some(one), None) => Ok(Some(one)),
                _ => Err(()),
            }
        }
        _ => Ok(None),
    }
}

/// The branches of the union `value` that are not `null`.
pub(super) fn union_branches(value: &Value) -> Vec<&Value> {
    ["anyOf", "oneOf"]
        .iter()
        .filter_map(|k| value.get(*k).and_then(Value::as_array))
        .flatten()
        .filter(|b| b.get("type").and_then(Value::as_str) != Some("null"))
        .collect()
}

pub(super) fn one_of_json(variants: Vec<Value>) -> Value {
    Value::Object(Map::from_iter([(
        ONE_OF_KEY.to_owned(),
        Value::Array(variants),
    )]))
}

pub(super) fn enum_json(values: &[String]) -> Value {
    Value::from(format!("*enum: {}*", values.join(" | ")))
}

/// Whether a value can be one of an enum placeholder's: the placeholder splits at `|` and
/// trims.
fn writable(value: &str) -> bool {
    !value.is_empty() && !value.contains('|') && value.trim() == value
}

/// A schema's string values as an enum placeholder's, when each can be written.
fn enum_values(value: &Value) -> Option<Vec<String>> {
    let values = objects::string_values(value);
    (!values.is_empty() && values.iter().all(|v| writable(v))).then_some(values)
}

pub(super) struct Walker<'s> {
    pub(super) schema: &'s Schema,
    /// The `$ref`s being expanded, outermost first: a type inside itself is a cycle.
    pub(super) refs: Vec<String>,
    untyped: Vec<(String, String)>,
}

impl<'s> Walker<'s> {
    pub(super) fn untyped(&mut self, path: &str, reason: impl Into<String>) {
        self.untyped.push((path.to_owned(), reason.into()));
    }

    /// Follows `value`'s `$ref`s and the one branch of a nullable union (`anyOf: [X, {type:
    /// null}]`), each reference pushed on the stack; `Err` for a cycle or a dangling one. The
    /// caller truncates the stack to where it was.
    pub(super) fn enter<'v>(&mut self, mut value: &'v Value) -> Result<&'v Value, String>
    where
        's: 'v,
    {
        for _ in 0..objects::MAX_DEPTH {
            if let Some(reference) = value.get("$ref").and_then(Value::as_str) {
                if self.refs.iter().any(|r| r == reference) {
                    return Err(format!("a recursive type (`{reference}`)"));
                }
                self.refs.push(reference.to_owned());
                value = self.schema.pointer(reference)?;
                continue;
            }
            let branches = ["anyOf", "oneOf"]
                .iter()
                .find_map(|k| value.get(*k).and_then(Value::as_array));
            let not_null: Vec<&'v Value> = branches
                .into_iter()
                .flatten()
                .filter(|b| b.get("type").and_then(Value::as_str) != Some("null"))
                .collect();
            match not_null.as_slice() {
                [only] if value.get("properties").is_none() => value = only,
                _ => return Ok(value),
            }
        }
        Err("references or nullable unions nested too deep".into())
    }

    /// The schema of key `key` of the object `value` (its `allOf` parts merged; a union whose
    /// object branches agree on it).
    fn property<'v>(&mut self, value: &'v Value, key: &str) -> Option<&'v Value>
    where
        's: 'v,
    {
        let depth = self.refs.len();
        let found = self.property_in(value, key, 0);
        self.refs.truncate(depth);
        found
    }

    fn property_in<'v>(&mut self, value: &'v Value, key: &str, depth: usize) -> Option<&'v Value>
    where
        's: 'v,
    {
        if depth > objects::MAX_DEPTH {
            return None;
        }
        let value = self.enter(value).ok()?;
        if let Some(own) = value.get("properties").and_then(|p| p.get(key)) {
            return Some(own);
        }
        // The last `allOf` part that has it: an envelope's generic `result` comes first, the
        // operation's own after it.
        if let Some(parts) = value.get("allOf").and_then(Value::as_array) {
            return parts
                .iter()
                .rev()
                .find_map(|p| self.property_in(p, key, depth + 1));
        }
        let branches = ["anyOf", "oneOf"]
            .iter()
            .find_map(|k| value.get(*k).and_then(Value::as_array))?;
        let found: Vec<&'v Value> = branches
            .iter()
            .filter_map(|b| self.property_in(b, key, depth + 1))
            .collect();
        match found.as_slice() {
            [first, rest @ ..] if rest.iter().all(|r| r == first) => Some(first),
            _ => None,
        }
    }

    /// The doc shape `doc` refined by the schema `value`: every doc key kept, what the docs
    /// lost filled in, a contradiction left as the docs say.
    fn refine(&mut self, doc: &Shape, value: &Value, path: &str, depth: usize) -> Value {
        let kept = self.refs.len();
        let refined = match self.enter(value) {
            Ok(value) => self.refine_resolved(doc, value, path, depth),
            Err(reason) => {
                self.untyped(path, reason);
                doc_json(doc)
            }
        };
        self.refs.truncate(kept);
        refined
    }

    pub(super) fn refine_resolved(
        &mut self,
        doc: &Shape,
        value: &Value,
        path: &str,
        depth: usize,
    ) -> Value {
        let ty = value.get("type").and_then(Value::as_str);
        // The docs show one of a union's values (`origin_port` as an integer where it may be a
        // string): the union, where the schema's values are of several JSON types.
        let scalar_or_array = !matches!(
            doc.kind,
            ShapeKind::Unknown
                | ShapeKind::FreeformObject
                | ShapeKind::Object { .. }
                | ShapeKind::Nullable { .. }
        );
        if scalar_or_array
            && is_union(self.schema, value)
            && scalar_union(self.schema, &union_branches(value)).is_none()
        {
            return self
                .union(Some(doc), value, path, depth)
                .unwrap_or_else(|| doc_json(doc));
        }
        match &doc.kind {
            ShapeKind::Unknown => self
                .shape_of_resolved(value, path, depth)
                .unwrap_or(Value::Null),
            // The docs say an object: only an object, or a map, refines it.
            ShapeKind::FreeformObject => match self.shape_of_resolved(value, path, depth) {
                Some(object @ Value::Object(_)) => object,
                _ => doc_json(doc),
            },
            ShapeKind::Object { fields } => {
                let object = match objects::object(self.schema, value, Side::Response) {
                    Ok(object) => object,
                    Err(_) if is_union(self.schema, value) => {
                        return self
                            .union(Some(doc), value, path, depth)
                            .unwrap_or_else(|| doc_json(doc));
                    }
                    Err(_) => return doc_json(doc),
                };
                let mut out = Map::new();
                for field in fields {
                    let child = format!("{path}.{}", field.name);
                    let shape = match object.properties.get(&field.name) {
                        Some(p) => self.refine(&field.shape, p, &child, depth + 1),
                        None => doc_json(&field.shape),
                    };
                    out.insert(field.name.clone(), shape);
                }
                for (key, p) in &object.properties {
                    if !out.contains_key(key) {
                        let shape = self.shape_of(p, &format!("{path}.{key}"), depth + 1);
                        out.insert(key.clone(), shape.unwrap_or(Value::Null));
                    }
                }
                Value::Object(out)
            }
            ShapeKind::Array { element } => match value.get("items") {
                Some(items) if ty == Some("array") => {
                    let element = self.refine(element, items, &format!("{path}[]"), depth + 1);
                    Value::Array(vec![nullable_if(self.schema, items, element)])
                }
                _ => doc_json(doc),
            },
            ShapeKind::Nullable { value: inner } => {
                nullable_json(self.refine_resolved(inner, value, path, depth))
            }
            ShapeKind::String if ty == Some("string") => {
                enum_values(value).map_or_else(|| doc_json(doc), |v| enum_json(&v))
            }
            ShapeKind::Number if ty == Some("integer") => Value::from("*integer*"),
            ShapeKind::Enum { values } if ty == Some("string") => {
                let mut all = values.clone();
                for v in enum_values(value).unwrap_or_default() {
                    if !all.contains(&v) {
                        all.push(v);
                    }
                }
                enum_json(&all)
            }
            _ => doc_json(doc),
        }
    }

    /// The shape of the schema `value`, where the shape language can say it.
    fn shape_of(&mut self, value: &Value, path: &str, depth: usize) -> Option<Value> {
        let kept = self.refs.len();
        let shape = match self.enter(value) {
            Ok(value) => self.shape_of_resolved(value, path, depth),
            Err(reason) => {
                self.untyped(path, reason);
                None
            }
        };
        self.refs.truncate(kept);
        shape
    }

    pub(super) fn shape_of_resolved(
        &mut self,
        value: &Value,
        path: &str,
        depth: usize,
    ) -> Option<Value> {
        if depth > MAX_NESTING {
            self.untyped(path, format!("nested deeper than {MAX_NESTING}"));
            return None;
        }
        if is_union(self.schema, value) {
            return match scalar_union(self.schema, &union_branches(value)) {
                Some((ty, values)) => Some(scalar(&ty, &values)),
                None => self.union(None, value, path, depth),
            };
        }
        let Ok(ty) = schema_type(value) else {
            self.untyped(path, "a union of types");
            return None;
        };
        let is_object = ty == Some("object")
            || (ty.is_none()
                && (value.get("properties").is_some() || value.get("allOf").is_some()));
        match ty {
            _ if is_object => {
                let object = match objects::object(self.schema, value, Side::Response) {
                    Ok(object) => object,
                    Err(reason) => {
                        self.untyped(path, reason);
                        return None;
                    }
                };
                if object.properties.is_empty() {
                    // A map: its values' shape, when the schema gives one.
                    let values = value
                        .get("additionalProperties")
                        .filter(|a| a.as_object().is_some_and(|a| !a.is_empty()))?;
                    // A value inside a map cannot be absent: one that may be `null` says so.
                    let shape = self.shape_of(values, &format!("{path}{{}}"), depth + 1)?;
                    return Some(map_json(nullable_if(self.schema, values, shape)));
                }
                let fields = object
                    .properties
                    .iter()
                    .map(|(key, p)| {
                        let shape = self.shape_of(p, &format!("{path}.{key}"), depth + 1);
                        (key.clone(), shape.unwrap_or(Value::Null))
                    })
                    .collect();
                Some(Value::Object(fields))
            }
            Some("array") => {
                let element = value.get("items").and_then(|items| {
                    let shape = self.shape_of(items, &format!("{path}[]"), depth + 1)?;
                    Some(nullable_if(self.schema, items, shape))
                });
                Some(Value::Array(vec![element.unwrap_or(Value::Null)]))
            }
            Some("string") => {
                Some(enum_values(value).map_or_else(|| scalar("string", &[]), |v| enum_json(&v)))
            }
            Some(t @ ("integer" | "number" | "boolean")) => Some(scalar(t, &[])),
            _ => None,
        }
    }

    /// Result fields of the schema `value` to depth [`COUNT_DEPTH`], and how many of them
    /// `shape` types (has, as something other than `null` or `{}`).
    fn count(&mut self, value: &Value, shape: Option<&Value>, depth: usize) -> (usize, usize) {
        let kept = self.refs.len();
        let counted = match self.enter(value) {
            Ok(value) => self.count_resolved(value, shape, depth),
            Err(_) => (0, 0),
        };
        self.refs.truncate(kept);
        counted
    }

    fn count_resolved(
        &mut self,
        value: &Value,
        shape: Option<&Value>,
        depth: usize,
    ) -> (usize, usize) {
        let shape = shape.map(|s| nullable_inner(s).unwrap_or(s));
        if value.get("type").and_then(Value::as_str) == Some("array") {
            let element = shape.and_then(Value::as_array).and_then(|a| a.first());
            return match value.get("items") {
                Some(items) => self.count(items, element, depth),
                None => (0, 0),
            };
        }
        if depth >= COUNT_DEPTH {
            return (0, 0);
        }
        let Ok(object) = objects::object(self.schema, value, Side::Response) else {
            return (0, 0);
        };
        let mut total = (0, 0);
        for (key, p) in &object.properties {
            let child = shape.and_then(|s| s.get(key));
            let typed = child.is_some_and(|c| !c.is_null() && c != &Value::Object(Map::new()));
            let (schema, shapes) = self.count(p, child, depth + 1);
            total.0 += 1 + schema;
            total.1 += usize::from(typed) + shapes;
        }
        total
    }
}

/// A scalar placeholder: `"*string*"`, or an enum of `values`.
fn scalar(ty: &str, values: &[String]) -> Value {
    match ty {
        "string" if !values.is_empty() && values.iter().all(|v| writable(v)) => enum_json(values),
        "datetime" => Value::from("*string*"),
        t => Value::from(format!("*{t}*")),
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use serde_json::json;

    /// The import of one `GET /things` documented with `shape`, whose schema's 200 data
    /// (under the envelope's `result`) is `result`; `defs` are `#/components/schemas`.
    pub(crate) fn import(shape: &str, result: Value, defs: Value) -> ResultImport {
        let doc = format!(
            "# T\n## List things\n**GET** `/things`\n### Responses\n#### 200 OK\n> Data is at `body[\"result\"]`\n```json\n{shape}\n```\n"
        );
        let endpoint = crate::parse::parse_doc("t.md", &doc)
            .0
            .and_then(|d| d.endpoints.into_iter().next())
            .expect("the test doc parses");
        let body = json!({"allOf": [
            {"type": "object", "properties": {"success": {"type": "boolean"}, "errors": {"type": "array"}, "result": {"nullable": true}}},
            {"properties": {"result": result}}
        ]});
        let text = json!({"openapi": "3.0.0",
            "paths": {"/things": {"get": {"responses": {"200": {"content": {"application/json": {"schema": body}}}}}}},
            "components": {"schemas": defs}});
        let schema = Schema::parse(&text.to_string()).expect("the test schema parses");
        let op = schema
            .operation(&endpoint)
            .expect("the test operation matches");
        results(&schema, op, &endpoint, &[])
    }

    pub(crate) fn refined(import: &ResultImport) -> Option<&Value> {
        import.refined.first().map(|(_, v)| v)
    }

    /// The places `import` left as the docs say: (JSON path, reason).
    pub(crate) fn reasons(import: &ResultImport) -> Vec<(&str, &str)> {
        let untyped = import.untyped.iter();
        untyped.map(|(p, r)| (p.as_str(), r.as_str())).collect()
    }

    #[test]
    fn a_null_result_is_typed_from_the_schema() {
        let thing = json!({"type": "object", "required": ["id"], "properties": {
            "id": {"type": "string"},
            "kind": {"type": "string", "enum": ["a", "b"]},
            "size": {"type": "integer", "nullable": true},
            "tags": {"type": "array", "items": {"type": "string"}},
            "owner": {"allOf": [{"$ref": "#/components/schemas/named"}, {"properties": {"age": {"type": "number"}}}]}
        }});
        let import = import(
            "null",
            json!({"type": "array", "items": {"$ref": "#/components/schemas/thing"}}),
            json!({"thing": thing, "named": {"properties": {"name": {"type": "string"}}}}),
        );
        assert_eq!(
            refined(&import),
            Some(&json!([{
                "id": "*string*", "kind": "*enum: a | b*", "size": "*integer*", "tags": ["*string*"],
                "owner": {"name": "*string*", "age": "*number*"}
            }]))
        );
        // id, kind, size, tags, owner, owner.name, owner.age: none typed by the docs.
        assert_eq!(
            import.fields,
            FieldCount {
                schema: 7,
                docs: 0,
                refined: 7
            }
        );
        assert!(import.untyped.is_empty(), "{:?}", import.untyped);
    }

    #[test]
    fn every_doc_key_is_kept_and_the_docs_win_a_contradiction() {
        let import = import(
            r#"{"id": "*integer*", "note": "*string*", "ttl": "*number*", "mode": "*enum: x*", "meta": {}}"#,
            json!({"type": "object", "properties": {
                "id": {"type": "string"},
                "ttl": {"type": "integer"},
                "mode": {"type": "string", "enum": ["y", "x"]},
                "meta": {"type": "object", "properties": {"on": {"type": "boolean"}}},
                "added": {"type": "string"}
            }}),
            json!({}),
        );
        assert_eq!(
            refined(&import),
            Some(&json!({
                "id": "*integer*", "note": "*string*", "ttl": "*integer*", "mode": "*enum: x | y*",
                "meta": {"on": "*boolean*"}, "added": "*string*"
            }))
        );
        // `note` is not the schema's; `meta` counts as typed once it has keys; `added` and
        // `meta.on` are new.
        assert_eq!(
            import.fields,
            FieldCount {
                schema: 6,
                docs: 3,
                refined: 6
            }
        );
    }

    #[test]
    fn maps_and_unions_of_objects_become_shapes() {
        let record = |ty: &str, extra: Value| {
            let mut properties = json!({"type": {"type": "string", "enum": [ty]}});
            properties
                .as_object_mut()
                .unwrap()
                .extend(extra.as_object().unwrap().clone());
            json!({"type": "object", "required": ["type"], "properties": properties})
        };
        let import = import(
            r#"{"records": [{"id": "*string*"}], "rules": [{}], "labels": {}}"#,
            json!({"type": "object", "properties": {
                // Tagged, nested unions flattened, the keys around them in every variant.
                "records": {"type": "array", "items": {
                    "discriminator": {"propertyName": "type"},
                    "properties": {"id": {"type": "string"}},
                    "anyOf": [
                        record("A", json!({"content": {"type": "string"}})),
                        {"anyOf": [record("MX", json!({"priority": {"type": "integer"}}))]}
                    ]
                }},
                // Told apart by the key each variant requires.
                "rules": {"type": "array", "items": {"oneOf": [
                    {"type": "object", "required": ["email"], "properties": {"email": {"type": "object", "properties": {"email": {"type": "string"}}}}},
                    {"type": "object", "required": ["group"], "properties": {"group": {"type": "object", "properties": {"id": {"type": "string"}}}}}
                ]}},
                "labels": {"type": "object", "additionalProperties": {"type": "integer"}}
            }}),
            json!({}),
        );
        assert_eq!(
            refined(&import),
            Some(&json!({
                "records": [{"*one of*": [
                    {"id": "*string*", "type": "*enum: A*", "content": "*string*"},
                    {"id": "*string*", "type": "*enum: MX*", "priority": "*integer*"}
                ]}],
                "rules": [{"*one of*": [
                    {"email": {"email": "*string*"}},
                    {"group": {"id": "*string*"}}
                ]}],
                "labels": {"*map*": "*integer*"}
            }))
        );
        assert!(import.untyped.is_empty(), "{:?}", import.untyped);
    }

    #[test]
    fn values_that_may_be_null_say_so_where_null_is_not_absent() {
        let defs = json!({"settings": {"type": "object", "properties": {
            "hosts": {"type": "array", "items": {"type": "string", "nullable": true}},
            "env": {"type": "object", "additionalProperties": {"anyOf": [
                {"type": "object", "properties": {"v": {"type": "string"}}},
                {"type": "null"}
            ]}},
            // A field's `null` reads as absent already.
            "comment": {"type": "string", "nullable": true},
            "extra": {"type": "object", "nullable": true, "properties": {"a": {"type": "integer"}}}
        }}});
        let first = import(
            r#"{"hosts": ["*string*"]}"#,
            json!({"nullable": true, "$ref": "#/components/schemas/settings"}),
            defs.clone(),
        );
        assert_eq!(
            refined(&first),
            Some(&json!({"*nullable*": {
                "hosts": [{"*nullable*": "*string*"}],
                "env": {"*map*": {"*nullable*": {"v": "*string*"}}},
                "comment": "*string*",
                "extra": {"a": "*integer*"}
            }}))
        );
        assert!(first.untyped.is_empty(), "{:?}", first.untyped);
        // The fields under the nullable data count as typed.
        assert_eq!(first.fields.refined, first.fields.schema);
        // A doc that says so already is not wrapped twice.
        let again = import(
            r#"{"*nullable*": {"hosts": [{"*nullable*": "*string*"}]}}"#,
            json!({"nullable": true, "$ref": "#/components/schemas/settings"}),
            defs,
        );
        assert_eq!(refined(&again), refined(&first));
    }

    #[test]
    fn what_a_shape_cannot_say_stays_as_the_docs_say_with_its_reason() {
        let import = import(
            r#"{"rules": {}}"#,
            json!({"type": "object", "properties": {
                // Own keys, but optional: an object may have neither.
                "rules": {"oneOf": [
                    {"type": "object", "properties": {"a": {"type": "string"}}},
                    {"type": "object", "properties": {"b": {"type": "string"}}}
                ]},
                "same": {"oneOf": [
                    {"type": "object", "properties": {"a": {"type": "string"}}},
                    {"type": "object", "properties": {"a": {"type": "integer"}}}
                ]},
                "lists": {"oneOf": [
                    {"type": "array", "items": {"type": "string"}},
                    {"type": "array", "items": {"type": "integer"}}
                ]},
                "tree": {"$ref": "#/components/schemas/tree"},
                "ttl": {"anyOf": [{"type": "integer"}, {"type": "number"}]}
            }}),
            json!({"tree": {"type": "object", "properties": {"children": {"type": "array", "items": {"$ref": "#/components/schemas/tree"}}}}}),
        );
        assert_eq!(
            refined(&import),
            Some(&json!({
                "rules": {}, "same": null, "lists": null,
                "tree": {"children": [null]}, "ttl": "*number*"
            }))
        );
        assert_eq!(
            reasons(&import),
            [
                (
                    "$.rules",
                    "a union of objects that neither a tag nor a key each requires tells apart"
                ),
                (
                    "$.same",
                    "a union of objects that no tag or own key tells apart"
                ),
                ("$.lists", "a union with two values that are an array"),
                (
                    "$.tree.children[]",
                    "a recursive type (`#/components/schemas/tree`)"
                ),
            ]
        );
    }

    #[test]
    fn a_shape_the_schema_adds_nothing_to_is_not_written() {
        let import = import(
            r#"{"id": "*string*"}"#,
            json!({"type": "object", "properties": {"id": {"type": "string"}}}),
            json!({}),
        );
        assert!(import.refined.is_empty());
        assert_eq!(
            import.fields,
            FieldCount {
                schema: 1,
                docs: 1,
                refined: 1
            }
        );
    }
}
