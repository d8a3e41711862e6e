//! Plan stage, request bodies: an endpoint's JSON body (an overlay's `### Body` table) → a
//! struct named by its role (`CreateDnsRecordBody`), one struct per nested object
//! (`…BodySettings`, `…BodyRulesItem`), an open enum per set of documented values, and the
//! value a doc example passes.
//!
//! Identical bodies inside a group share the first one's structs; a later endpoint gets a
//! `pub type` alias named for it, so every method's body type reads as its own.

use super::model::{
    AliasRole, BodyFieldDef, BodyPlan, BodyStructDef, BodyTy, BodyUnionDef, ExampleValue,
    RawBodyPlan,
};
use super::types::TypeBuilder;
use crate::ir::{Body, BodyEncoding, BodyField, BodyType, Endpoint};
use crate::names::{Case, Namer, reserved};
use crate::rustdoc;

/// The argument taking the body.
pub const BODY_ARG: &str = "body";

/// The setter of a body struct's extra keys; the field is [`reserved::EXTRA_FIELD`].
const EXTRA_SETTER: &str = "extra_field";

/// The body struct of `endpoint` (named for `fn_name`), when it has a typed body (JSON,
/// multipart or form).
pub(super) fn body_plan(
    endpoint: &Endpoint,
    fn_name: &str,
    types: &mut TypeBuilder,
) -> Option<BodyPlan> {
    let body = endpoint.body.as_ref()?;
    let encoding = body.encoding();
    if encoding == BodyEncoding::Raw {
        return None;
    }
    let media_type = (encoding == BodyEncoding::Json)
        .then(|| body.content_type.clone())
        .flatten()
        .filter(|m| m != "application/json");
    if let Some(ty) = &body.json_type {
        let mut plan = wrapped(types, fn_name, body, ty);
        plan.media_type = media_type;
        return Some(plan);
    }
    if !body.variants.is_empty() {
        let mut plan = union(types, fn_name, body);
        plan.media_type = media_type;
        return Some(plan);
    }
    let name = object(
        types,
        fn_name,
        &format!("{fn_name} body"),
        "$",
        Ok(encoding),
        &body.fields,
    );
    let example = example(types, &name, &body.fields);
    Some(BodyPlan {
        name,
        arg: BODY_ARG.to_owned(),
        example,
        encoding,
        media_type,
        wrap: None,
    })
}

/// A JSON body that is an array or a map (`ty`, its `Body type:`) of the table's object (a
/// struct named `…BodyItem` or `…BodyValue`, as a field's would be) or of a scalar.
fn wrapped(types: &mut TypeBuilder, fn_name: &str, body: &Body, ty: &BodyType) -> BodyPlan {
    // The body as the field it would be in an object: what `body_ty` types.
    let root = BodyField {
        span: body.span.clone(),
        name: String::new(),
        ty: ty.clone(),
        required: true,
        one_of: false,
        nullable: false,
        values: Vec::new(),
        description: String::new(),
        fields: body.fields.clone(),
    };
    let words = format!("{fn_name} body");
    let wrap = body_ty(types, fn_name, &words, &words, "$", &root, ty);
    let name = match wrap.innermost() {
        BodyTy::Struct(name) => name.clone(),
        _ => String::new(),
    };
    let value = example_value(types, &wrap, &root);
    BodyPlan {
        name,
        arg: BODY_ARG.to_owned(),
        example: ExampleValue::Owned {
            ty: wrap.clone(),
            value: Box::new(value),
        },
        encoding: BodyEncoding::Json,
        media_type: None,
        wrap: Some(wrap),
    }
}

/// The bytes `endpoint` takes, when its body is of a media type without fields.
pub(super) fn raw_body_plan(endpoint: &Endpoint) -> Option<RawBodyPlan> {
    let body = endpoint.body.as_ref()?;
    (body.encoding() == BodyEncoding::Raw).then(|| RawBodyPlan {
        arg: BODY_ARG.to_owned(),
        media_type: body.media_type().to_owned(),
    })
}

/// A body that is one of several objects: a struct per variant (`…BodyARecord`) and the enum
/// over them (`…Body`), shared with an identical union made earlier.
fn union(types: &mut TypeBuilder, fn_name: &str, body: &Body) -> BodyPlan {
    let words = format!("{fn_name} body");
    let key = format!(
        "body union {}",
        body.variants
            .iter()
            .map(|v| format!("{:?} {}", v.name, structure(&v.fields)))
            .collect::<Vec<_>>()
            .join(";")
    );
    let name = match types.by_shape.get(&key).cloned() {
        Some(existing) => types.named_for_role(&existing, &words, || AliasRole::Body {
            fn_name: fn_name.to_owned(),
            json_path: "$".to_owned(),
        }),
        None => {
            let name = types.namer.fresh(&words, Case::Camel);
            types.by_shape.insert(key, name.clone());
            let slot = types.body_unions.len();
            types.body_unions.push(BodyUnionDef {
                name: name.clone(),
                fn_name: fn_name.to_owned(),
                variants: Vec::new(),
            });
            let mut variant_names = Namer::new();
            let variants = body
                .variants
                .iter()
                .map(|v| {
                    let variant = variant_names.fresh(&v.name, Case::Camel);
                    let words = format!("{name} {variant}");
                    let ty = object(types, fn_name, &words, "$", Err(&v.name), &v.fields);
                    (variant, ty, v.name.clone())
                })
                .collect();
            types.body_unions[slot].variants = variants;
            name
        }
    };
    let target = types.alias_target(&name).unwrap_or(&name).to_owned();
    let first = types
        .body_unions
        .iter()
        .find(|u| u.name == target)
        .and_then(|u| u.variants.first().cloned());
    let example = match (first, body.variants.first()) {
        (Some((variant, ty, _)), Some(v)) => ExampleValue::Union {
            ty: name.clone(),
            variant,
            value: Box::new(example(types, &ty, &v.fields)),
        },
        _ => ExampleValue::Str(String::new()),
    };
    BodyPlan {
        name,
        arg: BODY_ARG.to_owned(),
        example,
        encoding: BodyEncoding::Json,
        media_type: None,
        wrap: None,
    }
}

/// The struct for an object with `fields` (its name from `words`), shared with an identical
/// object made earlier. `role`: `Err(heading)` for the body variant it is, else how it is
/// sent (`Ok(BodyEncoding::Json)` for a nested object).
fn object(
    types: &mut TypeBuilder,
    fn_name: &str,
    words: &str,
    json_path: &str,
    role: Result<BodyEncoding, &str>,
    fields: &[BodyField],
) -> String {
    let variant = role.err();
    let encoding = role.unwrap_or(BodyEncoding::Json);
    let key = format!("body {variant:?} {encoding:?} {}", structure(fields));
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
        variant: variant.map(str::to_owned),
        encoding,
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
                one_of: field.one_of,
                null_setter,
                // A required field with one value can only be that value: `new()` sets it.
                preset: match (&field.ty, field.values.as_slice()) {
                    (BodyType::String, [only]) if field.required => Some(only.clone()),
                    _ => None,
                },
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
        // A required field with one value is a tag `new()` sets (see `preset`): a string.
        BodyType::String if field.required && field.values.len() == 1 => BodyTy::String,
        BodyType::String if !field.values.is_empty() => {
            BodyTy::Enum(types.body_enum(&field.values, words, &field.span, owner, &field.name))
        }
        BodyType::String => BodyTy::String,
        BodyType::Integer => BodyTy::I64,
        BodyType::Number => BodyTy::F64,
        BodyType::Boolean => BodyTy::Bool,
        BodyType::DateTime => BodyTy::DateTime,
        BodyType::Json => BodyTy::Value,
        BodyType::File => BodyTy::File,
        BodyType::Object => BodyTy::Struct(object(
            types,
            fn_name,
            words,
            json_path,
            Ok(BodyEncoding::Json),
            &field.fields,
        )),
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
            .filter(|(d, f)| {
                // A required field, and the first of a group of which one is required.
                let first_of =
                    f.one_of && fields.iter().find(|f| f.one_of).map(|f| &f.name) == Some(&f.name);
                (f.required || first_of) && d.preset.is_none()
            })
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
        BodyTy::Enum(name) => super::names::first_variant(&types.enums, name, "..."),
        BodyTy::Struct(name) => example(types, name, &field.fields),
        BodyTy::File => ExampleValue::File {
            name: "upload.bin".to_owned(),
            media_type: "application/octet-stream".to_owned(),
            content: "...".to_owned(),
        },
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
