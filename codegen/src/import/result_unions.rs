//! Import stage, result unions: a union in a result's schema, as the shape
//! `{"*one of*": [...]}` — nested unions flattened, the keys around them in every object,
//! each variant refined from what the docs show — where its values' JSON types, and among
//! objects a tag or a key each alone requires, tell the variants apart (docs/FORMAT.md,
//! "Shapes").

use serde_json::{Map, Value};

use super::objects::{self, Side, is_union};
use super::results::{Walker, enum_json, nullable_inner, one_of_json, schema_type, union_branches};
use crate::ir::{JsonKind, Shape, ShapeKind};

/// A branch of a union in a result's schema, resolved: an object schema with the keys it
/// requires, or another value (a string, an array, ...).
enum Branch {
    Object(Value, Vec<String>),
    Other(Value),
}

impl Walker<'_> {
    /// The union `value` (resolved) as `{"*one of*": [...]}`: each object refined from `doc`
    /// (the keys the docs show, which every object keeps) and each other value refined from
    /// `doc` where it is of the doc's JSON type, or shaped from the schema alone. `None`, with
    /// the reason noted, where the shape language cannot say it: two arrays, objects that no
    /// tag or key of their own tells apart, or a union none of whose values the docs' is.
    pub(super) fn union(
        &mut self,
        doc: Option<&Shape>,
        value: &Value,
        path: &str,
        depth: usize,
    ) -> Option<Value> {
        let kept = self.refs.len();
        let mut branches = Vec::new();
        let found = self.union_variants(value, 0, &Map::new(), &mut branches);
        self.refs.truncate(kept);
        if let Err(reason) = found {
            self.untyped(path, reason);
            return None;
        }
        let doc_kind = doc.and_then(|d| JsonKind::of_variant(&d.kind));
        // Each variant's shape, with its kind and (for an object) the keys it requires.
        let mut variants: Vec<(Value, JsonKind)> = Vec::with_capacity(branches.len());
        let mut required: Vec<Vec<String>> = Vec::new();
        for branch in &branches {
            let (schema, keys, kind) = match branch {
                Branch::Object(schema, keys) => (schema, Some(keys), Some(JsonKind::Object)),
                Branch::Other(schema) => (schema, None, schema_kind(schema)),
            };
            // The docs' value refines the variant of its JSON type: an object keeps the keys
            // the docs show, a string their enum.
            let shape = match (doc, kind) {
                (Some(doc), Some(kind)) if Some(kind) == doc_kind => {
                    Some(self.refine_resolved(doc, schema, path, depth))
                }
                (_, Some(_)) => self.shape_of_resolved(schema, path, depth),
                (_, None) => None,
            };
            let shape = shape.map(strip_nullable);
            let Some((shape, kind)) = shape.and_then(|shape| {
                let read = crate::parse::read_json(&shape)?;
                Some((shape, JsonKind::of_variant(&read.kind)?))
            }) else {
                self.untyped(path, "a union with a value the shape language cannot say");
                return None;
            };
            // One value of each type but objects: two strings or two numbers are one.
            let twin = variants
                .iter()
                .position(|(_, k)| kind != JsonKind::Object && *k == kind);
            match twin {
                Some(i) => match merge(&variants[i].0, &shape) {
                    Some(merged) => variants[i].0 = merged,
                    None => {
                        self.untyped(
                            path,
                            format!("a union with two values that are {}", kind.described()),
                        );
                        return None;
                    }
                },
                None => {
                    variants.push((shape, kind));
                    if let Some(keys) = keys {
                        required.push(keys.clone());
                    }
                }
            }
        }
        let mut shapes: Vec<Value> = variants.into_iter().map(|(shape, _)| shape).collect();
        let union = match shapes.len() {
            0 => return None,
            1 => return shapes.pop(),
            _ => one_of_json(shapes),
        };
        let Some(parsed) = crate::parse::read_json(&union) else {
            self.untyped(
                path,
                "a union of objects that no tag or own key tells apart",
            );
            return None;
        };
        if let Some(doc) = doc
            && !crate::overlay::refines(doc, &parsed)
        {
            self.untyped(path, "a union none of whose values is of the docs' type");
            return None;
        }
        let ShapeKind::OneOf {
            tag,
            variants: read,
        } = &parsed.kind
        else {
            return None;
        };
        let own = crate::parse::own_keys(read);
        let objects: Vec<(&Shape, &Vec<String>)> = read
            .iter()
            .zip(&own)
            .filter(|(v, _)| matches!(v.kind, ShapeKind::Object { .. }))
            .collect();
        if objects.len() < 2 {
            return Some(union);
        }
        match tag {
            // A response may leave out an optional key, the tag too (Gateway proxy endpoints
            // older than their `kind`): an object without it is the variant whose own keys it
            // has, so a variant that need not send the tag must require one of its own keys.
            Some(tag) => {
                let told = objects.iter().zip(&required).all(|((_, own), required)| {
                    required.contains(tag) || own.iter().any(|k| required.contains(k))
                });
                if told {
                    return Some(union);
                }
                self.untyped(
                    path,
                    format!(
                        "a union whose tag `{tag}` a variant need not send, nor a key of its own"
                    ),
                );
                None
            }
            // Without a tag, by the keys each variant alone has: only where the schema
            // requires one of them.
            None => {
                let told = objects
                    .iter()
                    .zip(&required)
                    .all(|((_, own), required)| own.iter().any(|key| required.contains(key)));
                if told {
                    return Some(union);
                }
                self.untyped(
                    path,
                    "a union of objects that neither a tag nor a key each requires tells apart",
                );
                None
            }
        }
    }

    /// The values the union `value` may be, nested unions flattened: each object as an object
    /// schema with the keys of the unions around it (`base`, which DNS records share) before
    /// its own, and the keys it requires; each other value as it is. A branch without keys
    /// of its own only says which keys are required (`anyOf: [{required: [a]}, {required:
    /// [b]}]`) and is no variant; a union of only such branches is its own keys.
    fn union_variants(
        &mut self,
        value: &Value,
        depth: usize,
        base: &Map<String, Value>,
        out: &mut Vec<Branch>,
    ) -> Result<(), String> {
        if depth > objects::MAX_DEPTH {
            return Err(format!("unions nested deeper than {}", objects::MAX_DEPTH));
        }
        let mut base = base.clone();
        if let Some(own) = value.get("properties").and_then(Value::as_object) {
            base.extend(own.iter().map(|(k, v)| (k.clone(), v.clone())));
        }
        let required = || -> Vec<String> {
            let listed = value.get("required").and_then(Value::as_array);
            let names = listed.into_iter().flatten().filter_map(Value::as_str);
            names.map(str::to_owned).collect()
        };
        let before = out.len();
        for branch in union_branches(value) {
            let branch = self.enter(branch)?;
            if is_union(self.schema, branch) {
                self.union_variants(branch, depth + 1, &base, out)?;
                continue;
            }
            let Ok(object) = objects::object(self.schema, branch, Side::Response) else {
                out.push(Branch::Other(branch.clone()));
                continue;
            };
            if object.properties.is_empty() {
                continue;
            }
            let mut properties = base.clone();
            properties.extend(object.properties);
            let mut keys = required();
            keys.extend(object.required);
            out.push(Branch::Object(object_schema(properties), keys));
        }
        let objects = out[before..]
            .iter()
            .filter(|b| matches!(b, Branch::Object(..)))
            .count();
        if objects == 0 && !base.is_empty() {
            out.push(Branch::Object(object_schema(base), required()));
        }
        Ok(())
    }
}

/// A variant's shape without the `{"*nullable*": …}` the schema may put around it: whether
/// the union may be `null` is said around the union.
fn strip_nullable(shape: Value) -> Value {
    nullable_inner(&shape).cloned().unwrap_or(shape)
}

/// Two values of a union of the same JSON type as one: two strings (enums merged, a string
/// for any), two integers, two numbers, two booleans. `None` for two arrays or two
/// different element types.
fn merge(a: &Value, b: &Value) -> Option<Value> {
    if a == b {
        return Some(a.clone());
    }
    let kind = |v: &Value| crate::parse::read_json(v).map(|shape| shape.kind);
    match (kind(a)?, kind(b)?) {
        (ShapeKind::Enum { values: mut all }, ShapeKind::Enum { values: more }) => {
            for v in more {
                if !all.contains(&v) {
                    all.push(v);
                }
            }
            Some(enum_json(&all))
        }
        (
            ShapeKind::String | ShapeKind::Enum { .. },
            ShapeKind::String | ShapeKind::Enum { .. },
        ) => Some(Value::from("*string*")),
        _ => None,
    }
}

/// The JSON type of a union's branch that is not an object, as its schema's `type` says.
fn schema_kind(schema: &Value) -> Option<JsonKind> {
    Some(match schema_type(schema).ok()?? {
        "string" => JsonKind::String,
        "integer" => JsonKind::Integer,
        "number" => JsonKind::Number,
        "boolean" => JsonKind::Boolean,
        "array" => JsonKind::Array,
        _ => return None,
    })
}

/// An object schema of these properties.
fn object_schema(properties: Map<String, Value>) -> Value {
    Value::Object(Map::from_iter([
        ("type".to_owned(), Value::from("object")),
        ("properties".to_owned(), Value::Object(properties)),
    ]))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::import::results::tests::{import, reasons, refined};

    #[test]
    fn a_union_of_several_json_types_is_told_apart_by_type_and_refines_the_docs_value() {
        let scheme = |value: &str| {
            json!({"type": "object", "required": ["scheme"], "properties": {
                "scheme": {"type": "string", "enum": [value]}, value: {"type": "string"}}})
        };
        let import = import(
            r#"{"port": "*integer*", "target": {"saved": "*string*"}, "auth": {}, "values": ["*string*"], "mode": "*string*"}"#,
            json!({"type": "object", "properties": {
                "port": {"oneOf": [{"type": "integer"}, {"type": "string"}]},
                "target": {"anyOf": [
                    {"type": "object", "properties": {"saved": {"type": "string"}, "effective": {"type": "string"}}},
                    {"type": "string", "nullable": true}
                ]},
                "auth": {"oneOf": [
                    {"$ref": "#/components/schemas/basic"},
                    {"$ref": "#/components/schemas/token"},
                    {"type": "array", "items": {"oneOf": [
                        {"$ref": "#/components/schemas/basic"}, {"$ref": "#/components/schemas/token"}
                    ]}}
                ]},
                "values": {"type": "array", "items": {"anyOf": [
                    {"type": "string"}, {"type": "string", "enum": ["x"]}, {"type": "number"}, {"type": "boolean"}
                ]}},
                // The docs say a string, which none of the schema's values is.
                "mode": {"oneOf": [{"type": "integer"}, {"type": "boolean"}]}
            }}),
            json!({"basic": scheme("basic"), "token": scheme("token")}),
        );
        let basic = json!({"scheme": "*enum: basic*", "basic": "*string*"});
        let token = json!({"scheme": "*enum: token*", "token": "*string*"});
        assert_eq!(
            refined(&import),
            Some(&json!({
                "port": {"*one of*": ["*integer*", "*string*"]},
                "target": {"*one of*": [{"saved": "*string*", "effective": "*string*"}, "*string*"]},
                "auth": {"*one of*": [basic, token, [{"*one of*": [basic, token]}]]},
                "values": [{"*one of*": ["*string*", "*number*", "*boolean*"]}],
                "mode": "*string*"
            }))
        );
        assert_eq!(
            reasons(&import),
            [(
                "$.mode",
                "a union none of whose values is of the docs' type"
            )]
        );
    }
}
