//! Plan stage, request bodies: an endpoint's JSON body (an overlay's `### Body` table) → a
//! struct named by its role (`CreateDnsRecordBody`), one struct per nested object
//! (`…BodySettings`, `…BodyRulesItem`), an open enum per set of documented values, and the
//! value a doc example passes.
//!
//! Identical bodies inside a group share the first one's structs; a later endpoint gets a
//! `pub type` alias named for it, so every method's body type reads as its own.

use super::model::{AliasRole, BodyFieldDef, BodyPlan, BodyStructDef, BodyTy, ExampleValue};
use super::types::TypeBuilder;
use crate::ir::{BodyField, BodyType, Endpoint};
use crate::names::{Case, Namer, reserved};
use crate::rustdoc;

/// The argument taking the body.
pub const BODY_ARG: &str = "body";

/// The setter of a body struct's extra keys; the field is [`reserved::EXTRA_FIELD`].
const EXTRA_SETTER: &str = "extra_field";

/// The body struct of `endpoint` (named for `fn_name`), when it has a typed body.
pub(super) fn body_plan(
    endpoint: &Endpoint,
    fn_name: &str,
    types: &mut TypeBuilder,
) -> Option<BodyPlan> {
    let body = endpoint.body.as_ref()?;
    let name = object(
        types,
        fn_name,
        &format!("{fn_name} body"),
        "$",
        &body.fields,
    );
    let example = example(types, &name, &body.fields);
    Some(BodyPlan {
        name,
        arg: BODY_ARG.to_owned(),
        example,
    })
}

/// The struct for an object with `fields` (its name from `words`), shared with an identical
/// object made earlier.
fn object(
    types: &mut TypeBuilder,
    fn_name: &str,
    words: &str,
    json_path: &str,
    fields: &[BodyField],
) -> String {
    let key = format!("body {}", structure(fields));
    if let Some(existing) = types.by_shape.get(&key).cloned() {
        return types.named_for_role(&existing, words, || AliasRole::Body {
            fn_name: fn_name.to_owned(),
            json_path: json_path.to_owned(),
        });
    }
    let name = types.namer.fresh(words, Case::Camel);
    types.by_shape.insert(key, name.clone());
    // Reserve the slot now so structs appear parent first, in written order.
    let slot = types.bodies.len();
    types.bodies.push(BodyStructDef {
        name: name.clone(),
        fn_name: fn_name.to_owned(),
        json_path: json_path.to_owned(),
        fields: Vec::new(),
        extra: reserved::EXTRA_FIELD.to_owned(),
        extra_setter: EXTRA_SETTER.to_owned(),
    });
    // Fields are also setters: the constructor, the derived methods and the extra keys' field
    // and setter are taken.
    let mut taken: Vec<&str> = reserved::PARAMS_METHODS.to_vec();
    taken.extend([reserved::EXTRA_FIELD, EXTRA_SETTER, "missing_required"]);
    let mut field_names = Namer::reserving(&taken);
    let rust_names: Vec<String> = fields
        .iter()
        .map(|f| field_names.fresh(&f.name, Case::Snake))
        .collect();
    let defs = fields
        .iter()
        .zip(rust_names)
        .map(|(field, rust)| {
            let words = format!("{name} {}", field.name);
            let path = format!("{json_path}.{}", field.name);
            let ty = body_ty(types, fn_name, &name, &words, &path, field, &field.ty);
            let null_setter = field
                .nullable
                .then(|| field_names.fresh(&format!("{rust} null"), Case::Snake));
            BodyFieldDef {
                wire: field.name.clone(),
                rust,
                ty,
                required: field.required,
                null_setter,
                doc: rustdoc::sanitize(field.description.trim()),
            }
        })
        .collect();
    types.bodies[slot].fields = defs;
    name
}

/// The Rust type of `ty`, a field's type or an element of it.
fn body_ty(
    types: &mut TypeBuilder,
    fn_name: &str,
    owner: &str,
    words: &str,
    json_path: &str,
    field: &BodyField,
    ty: &BodyType,
) -> BodyTy {
    match ty {
        BodyType::String if !field.values.is_empty() => {
            BodyTy::Enum(types.body_enum(&field.values, words, &field.span, owner, &field.name))
        }
        BodyType::String => BodyTy::String,
        BodyType::Integer => BodyTy::I64,
        BodyType::Number => BodyTy::F64,
        BodyType::Boolean => BodyTy::Bool,
        BodyType::DateTime => BodyTy::DateTime,
        BodyType::Json => BodyTy::Value,
        BodyType::Object => BodyTy::Struct(object(types, fn_name, words, json_path, &field.fields)),
        BodyType::Array(element) => BodyTy::Vec(Box::new(body_ty(
            types,
            fn_name,
            owner,
            &format!("{words} item"),
            &format!("{json_path}[]"),
            field,
            element,
        ))),
        BodyType::Map(element) => BodyTy::Map(Box::new(body_ty(
            types,
            fn_name,
            owner,
            &format!("{words} value"),
            &format!("{json_path}{{}}"),
            field,
            element,
        ))),
    }
}

/// What makes two objects one struct: keys, types, requiredness, values and descriptions,
/// recursively (not where they were written).
fn structure(fields: &[BodyField]) -> String {
    let parts: Vec<String> = fields
        .iter()
        .map(|f| {
            format!(
                "{:?}",
                (
                    &f.name,
                    &f.ty,
                    f.required,
                    f.nullable,
                    &f.values,
                    &f.description,
                    structure(&f.fields)
                )
            )
        })
        .collect();
    format!("[{}]", parts.join(","))
}

/// `Type::new()` with every required field set, recursively.
fn example(types: &TypeBuilder, name: &str, fields: &[BodyField]) -> ExampleValue {
    let def = types.bodies.iter().find(|b| b.name == name).or_else(|| {
        let target = types.alias_target(name)?;
        types.bodies.iter().find(|b| b.name == target)
    });
    let setters = match def {
        Some(def) => def
            .fields
            .iter()
            .zip(fields)
            .filter(|(_, f)| f.required)
            .map(|(d, f)| (d.rust.clone(), example_value(types, &d.ty, f)))
            .collect(),
        None => Vec::new(),
    };
    ExampleValue::Struct {
        ty: name.to_owned(),
        setters,
    }
}

fn example_value(types: &TypeBuilder, ty: &BodyTy, field: &BodyField) -> ExampleValue {
    match ty {
        BodyTy::String | BodyTy::Value => ExampleValue::Str("...".to_owned()),
        BodyTy::DateTime => ExampleValue::Str("2024-10-30T00:00:00+00:00".to_owned()),
        BodyTy::I64 => ExampleValue::Int(1),
        BodyTy::F64 => ExampleValue::Float(1.0),
        BodyTy::Bool => ExampleValue::Bool(true),
        BodyTy::Enum(name) => match types.enum_def(name).and_then(|e| e.variants.first()) {
            Some((_, variant)) => ExampleValue::Variant {
                ty: name.clone(),
                variant: variant.clone(),
            },
            None => ExampleValue::Str("...".to_owned()),
        },
        BodyTy::Struct(name) => example(types, name, &field.fields),
        BodyTy::Vec(element) => ExampleValue::List(Box::new(owned(
            element,
            example_value(types, element, field),
        ))),
        BodyTy::Map(element) => ExampleValue::Map(Box::new(owned(
            element,
            example_value(types, element, field),
        ))),
    }
}

/// An element of a list or map: a setter converts a scalar (`impl Into<_>`), not a list or a
/// map inside one, which is spelled out.
pub(super) fn owned(element: &BodyTy, value: ExampleValue) -> ExampleValue {
    match element {
        BodyTy::Vec(_) | BodyTy::Map(_) => ExampleValue::Owned {
            ty: element.clone(),
            value: Box::new(value),
        },
        _ => value,
    }
}
