//! Import stage, result unions: a union of objects in a result's schema, as the shape
//! `{"*one of*": [...]}` — nested unions flattened, the keys around them in every variant,
//! each variant refined from the keys the docs show — where a tag, or a key each variant
//! alone requires, tells the variants apart (docs/FORMAT.md, "Shapes").

use serde_json::{Map, Value};

use super::objects::{self, Side, is_union};
use super::results::{Walker, one_of_json};
use crate::ir::{Shape, ShapeKind};

impl Walker<'_> {
    /// The union `value` (resolved) as `{"*one of*": [...]}`: each variant's object refined
    /// from `doc` (the keys the docs show, which every variant keeps), or shaped from the
    /// schema alone. `None`, with the reason noted, where the shape language cannot say it:
    /// a variant that is not an object, or variants that no tag key tells apart.
    pub(super) fn union(
        &mut self,
        doc: Option<&Shape>,
        value: &Value,
        path: &str,
        depth: usize,
    ) -> Option<Value> {
        let kept = self.refs.len();
        let mut variants = Vec::new();
        let found = self.union_variants(value, 0, &Map::new(), &mut variants);
        self.refs.truncate(kept);
        if let Err(reason) = found {
            self.untyped(path, reason);
            return None;
        }
        let mut shapes = Vec::with_capacity(variants.len());
        for (variant, _) in &variants {
            let shape = match doc {
                Some(doc) => Some(self.refine_resolved(doc, variant, path, depth)),
                None => self.shape_of_resolved(variant, path, depth),
            };
            shapes.push(shape.unwrap_or(Value::Null));
        }
        match shapes.len() {
            0 => None,
            1 => shapes.pop(),
            _ => {
                let union = one_of_json(shapes);
                match crate::parse::read_json(&union).map(|shape| shape.kind) {
                    // A response may leave out an optional key, the tag too (Gateway proxy
                    // endpoints older than their `kind`): an object without it is the variant
                    // whose own keys it has, so a variant that need not send the tag must
                    // require one of its own keys.
                    Some(ShapeKind::OneOf {
                        tag: Some(tag),
                        variants: read,
                    }) => {
                        let own = crate::parse::own_keys(&read);
                        let told = variants.iter().zip(&own).all(|((_, required), own)| {
                            required.contains(&tag) || own.iter().any(|k| required.contains(k))
                        });
                        if told {
                            Some(union)
                        } else {
                            self.untyped(
                                path,
                                format!("a union whose tag `{tag}` a variant need not send, nor a key of its own"),
                            );
                            None
                        }
                    }
                    // Without a tag, by the keys each variant alone has: only where the schema
                    // requires one of them.
                    Some(ShapeKind::OneOf {
                        tag: None,
                        variants: read,
                    }) => {
                        let own = crate::parse::union_selectors(&read, None);
                        let required = variants.iter().zip(&own).all(|((_, required), own)| {
                            own.iter().any(|key| required.contains(key))
                        });
                        if required {
                            Some(union)
                        } else {
                            self.untyped(path, "a union of objects that neither a tag nor a key each requires tells apart");
                            None
                        }
                    }
                    _ => {
                        self.untyped(
                            path,
                            "a union of objects that no tag or own key tells apart",
                        );
                        None
                    }
                }
            }
        }
    }

    /// The objects the union `value` may be, nested unions flattened, each as an object
    /// schema with the keys of the unions around it (`base`, which DNS records share) before
    /// its own, and the keys it requires. A branch without keys of its own only says which
    /// keys are required (`anyOf: [{required: [a]}, {required: [b]}]`) and is no variant; a
    /// union of only such branches is its own keys.
    fn union_variants(
        &mut self,
        value: &Value,
        depth: usize,
        base: &Map<String, Value>,
        out: &mut Vec<(Value, Vec<String>)>,
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
        let branches = ["anyOf", "oneOf"]
            .iter()
            .filter_map(|k| value.get(*k).and_then(Value::as_array))
            .flatten()
            .filter(|b| b.get("type").and_then(Value::as_str) != Some("null"));
        for branch in branches {
            let branch = self.enter(branch)?;
            if is_union(self.schema, branch) {
                self.union_variants(branch, depth + 1, &base, out)?;
                continue;
            }
            let object = objects::object(self.schema, branch, Side::Response)
                .map_err(|_| "a union with a variant that is not an object".to_owned())?;
            if object.properties.is_empty() {
                continue;
            }
            let mut properties = base.clone();
            properties.extend(object.properties);
            let mut keys = required();
            keys.extend(object.required);
            out.push((object_schema(properties), keys));
        }
        if out.len() == before && !base.is_empty() {
            out.push((object_schema(base), required()));
        }
        Ok(())
    }
}

/// An object schema of these properties.
fn object_schema(properties: Map<String, Value>) -> Value {
    Value::Object(Map::from_iter([
        ("type".to_owned(), Value::from("object")),
        ("properties".to_owned(), Value::Object(properties)),
    ]))
}
