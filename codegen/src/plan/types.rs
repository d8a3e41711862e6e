//! Plan stage, types: the Rust type of every documented shape and query parameter.
//!
//! A struct per distinct object shape (identical shapes inside a group share the first one's
//! name; a later role gets a `pub type` alias named for it), an enum per set of documented
//! values, a parameter struct per distinct set of query parameters, and the result type and
//! data location of every endpoint.

use std::collections::BTreeMap;

use super::model::{
    AliasDef, AliasRole, BodyStructDef, BodyUnionDef, DataLocation, EnumDef, FieldDef, ParamField,
    ParamTy, ParamsPlan, ResultPlan, StructDef, TypeRef, UnionDef, UnionVariant,
};
use super::names;
use crate::diag::Diagnostic;
use crate::ir::{Endpoint, Envelope, JsonKind, ParamLocation, ParamType, Shape, ShapeKind, Span};
use crate::names::{Case, Namer, ident, reserved};
use crate::rustdoc;

/// `enums`, each told which of the `params` structs' fields take it (for its docs).
pub(super) fn with_params(mut enums: Vec<EnumDef>, params: &[ParamsPlan]) -> Vec<EnumDef> {
    fn enum_of(ty: &ParamTy) -> Option<&str> {
        match ty {
            ParamTy::Enum(name) => Some(name),
            ParamTy::List(element) | ParamTy::Joined(element) => enum_of(element),
            _ => None,
        }
    }
    for plan in params {
        for field in &plan.fields {
            let Some(def) = enum_of(&field.ty).and_then(|n| enums.iter_mut().find(|e| e.name == n))
            else {
                continue;
            };
            let user = (plan.name.clone(), field.wire.clone());
            if !def.params.contains(&user) {
                def.params.push(user);
            }
        }
    }
    enums
}

/// The query and header parameters as a struct named `<Fn>Params`; `None` when there are
/// none. One struct holds both, as aws-sdk-rust's inputs do: a caller sets every value the
/// call sends in one place, whatever part of the request carries it.
pub(super) fn params_plan(
    endpoint: &Endpoint,
    fn_name: &str,
    types: &mut TypeBuilder,
) -> Option<ParamsPlan> {
    let query: Vec<_> = endpoint
        .params
        .iter()
        .filter(|p| p.location != ParamLocation::Path)
        .collect();
    if query.is_empty() {
        return None;
    }
    // Endpoints with the same parameters (v1 account and user audit logs) share one struct.
    let key = format!(
        "params {}",
        query
            .iter()
            .map(|p| format!("{:?}", (&p.name, p.location, &p.ty, p.required, &p.values)))
            .collect::<Vec<_>>()
            .join(";")
    );
    if let Some(existing) = types.by_shape.get(&key).cloned() {
        let shared = types.params.iter_mut().find(|p| p.name == existing)?;
        shared.users.push(fn_name.to_owned());
        let mut plan = shared.clone();
        // Named for this endpoint, the same struct underneath.
        plan.name = types.named_for_role(&existing, &format!("{fn_name} params"), || {
            AliasRole::Params {
                fn_name: fn_name.to_owned(),
            }
        });
        return Some(plan);
    }
    let name = types.namer.fresh(&format!("{fn_name} params"), Case::Camel);
    types.by_shape.insert(key, name.clone());
    // Setters share the fields' names.
    let mut fields_namer = names::params_fields();
    let fields: Vec<ParamField> = query
        .into_iter()
        .map(|param| {
            let rust = fields_namer.fresh(&param.name, Case::Snake);
            let ty = param_ty(&param.ty, &param.values, &param.name, &param.span, types);
            ParamField {
                wire: param.name.clone(),
                rust,
                ty,
                required: param.required,
                header: param.location == ParamLocation::Header,
                doc: rustdoc::sanitize(param.description.trim()),
            }
        })
        .collect();
    let example = names::example_args(&fields, &types.enums);
    let plan = ParamsPlan {
        name,
        fields,
        users: vec![fn_name.to_owned()],
        example,
    };
    types.params.push(plan.clone());
    Some(plan)
}

fn param_ty(
    ty: &ParamType,
    values: &[String],
    wire: &str,
    span: &Span,
    types: &mut TypeBuilder,
) -> ParamTy {
    match ty {
        ParamType::Array(element) => {
            ParamTy::List(Box::new(param_ty(element, values, wire, span, types)))
        }
        ParamType::Joined(element) => {
            ParamTy::Joined(Box::new(param_ty(element, values, wire, span, types)))
        }
        _ if !values.is_empty() => ParamTy::Enum(types.enum_for(values, false, wire, span)),
        ParamType::String => ParamTy::String,
        ParamType::Integer => ParamTy::I64,
        ParamType::Number => ParamTy::F64,
        ParamType::Boolean => ParamTy::Bool,
        ParamType::DateTime => ParamTy::DateTime,
        ParamType::Secret => ParamTy::Secret,
    }
}

pub(super) fn result_plan(
    endpoint: &Endpoint,
    envelope: Envelope,
    fn_name: &str,
    types: &mut TypeBuilder,
) -> Result<ResultPlan, Diagnostic> {
    // The first 2xx with a documented body decides; error bodies are the runtime's business.
    let Some(response) = endpoint.success() else {
        return Ok(ResultPlan::Raw);
    };
    if response.shape.kind == ShapeKind::NoBody {
        return Ok(ResultPlan::Raw);
    }
    let at = match &response.data_at {
        // Without an envelope the notes are the renderer's, not the API's: the body is the data.
        _ if envelope == Envelope::None => DataLocation::Body,
        Some(note) if !note.keys.is_empty() => DataLocation::Envelope(note.keys.clone()),
        _ => DataLocation::Body,
    };
    let root = match &response.shape.kind {
        ShapeKind::Nullable { value } => &value.kind,
        kind => kind,
    };
    let root_name = match root {
        ShapeKind::Array { .. } => format!("{fn_name} item"),
        _ => format!("{fn_name} response"),
    };
    let ty = types.type_of(&response.shape, &root_name, &response.span, "$");
    Ok(ResultPlan::Json { ty, at })
}

pub(super) struct TypeBuilder {
    pub(super) namer: Namer,
    /// Structural key of an object shape or enum → the type already generated for it.
    pub(super) by_shape: BTreeMap<String, String>,
    pub(super) bodies: Vec<BodyStructDef>,
    pub(super) body_unions: Vec<BodyUnionDef>,
    pub(super) unions: Vec<UnionDef>,
    pub(super) structs: Vec<StructDef>,
    pub(super) enums: Vec<EnumDef>,
    pub(super) params: Vec<ParamsPlan>,
    pub(super) aliases: Vec<AliasDef>,
}

impl TypeBuilder {
    /// An empty group whose type names never take `handle` (the group's handle type, in
    /// the same module).
    pub(super) fn new(handle: &str) -> TypeBuilder {
        let mut types = TypeBuilder {
            namer: Namer::new(),
            by_shape: BTreeMap::new(),
            structs: Vec::new(),
            enums: Vec::new(),
            params: Vec::new(),
            aliases: Vec::new(),
            bodies: Vec::new(),
            body_unions: Vec::new(),
            unions: Vec::new(),
        };
        types.namer.reserve(handle);
        types
    }

    /// `target` under the name its role `name` gives, when that differs (an alias, made
    /// once per role and target).
    pub(super) fn named_for_role(
        &mut self,
        target: &str,
        name: &str,
        role: impl FnOnce() -> AliasRole,
    ) -> String {
        let wanted = ident(name, Case::Camel);
        if wanted == target {
            return target.to_owned();
        }
        let key = format!("alias {wanted} {target}");
        if let Some(existing) = self.by_shape.get(&key) {
            return existing.clone();
        }
        let alias = self.namer.fresh(name, Case::Camel);
        self.by_shape.insert(key, alias.clone());
        self.aliases.push(AliasDef {
            name: alias.clone(),
            target: target.to_owned(),
            role: role(),
        });
        alias
    }

    /// The enum for this set of values (shared by every use of the same set and openness).
    pub(super) fn enum_for(
        &mut self,
        values: &[String],
        open: bool,
        name: &str,
        span: &Span,
    ) -> String {
        let key = format!(
            "enum {open} {}",
            serde_json::to_string(values).expect("strings serialise")
        );
        self.enum_keyed(key, values, open, name, span)
    }

    /// The open enum of a request-body field of `owner` (shared by every body field with the
    /// same values; apart from response enums, whose docs name where they were documented).
    pub(super) fn body_enum(
        &mut self,
        values: &[String],
        name: &str,
        span: &Span,
        owner: &str,
        wire: &str,
    ) -> String {
        let key = format!(
            "body enum {}",
            serde_json::to_string(values).expect("strings serialise")
        );
        let enum_name = self.enum_keyed(key, values, true, name, span);
        if let Some(def) = self.enums.iter_mut().find(|e| e.name == enum_name) {
            let user = (owner.to_owned(), wire.to_owned());
            if !def.body_fields.contains(&user) {
                def.body_fields.push(user);
            }
        }
        enum_name
    }

    fn enum_keyed(
        &mut self,
        key: String,
        values: &[String],
        open: bool,
        name: &str,
        span: &Span,
    ) -> String {
        if let Some(existing) = self.by_shape.get(&key) {
            return existing.clone();
        }
        let enum_name = self.namer.fresh(name, Case::Camel);
        self.by_shape.insert(key, enum_name.clone());
        let mut variant_names = Namer::new();
        // Open enums keep unknown values in `Unknown(String)`.
        variant_names.reserve(reserved::UNKNOWN_VARIANT);
        let variants = values
            .iter()
            .map(|value| (value.clone(), variant_names.fresh(value, Case::Camel)))
            .collect();
        self.enums.push(EnumDef {
            name: enum_name.clone(),
            open,
            variants,
            span: span.clone(),
            params: Vec::new(),
            body_fields: Vec::new(),
        });
        enum_name
    }

    /// The type an alias stands for.
    pub(super) fn alias_target(&self, alias: &str) -> Option<&str> {
        self.aliases
            .iter()
            .find(|a| a.name == alias)
            .map(|a| a.target.as_str())
    }

    /// The enum for a union of objects (shared by every use of the same union), each
    /// variant named for its first tag value (or own key) and holding the struct of its
    /// object.
    fn union_of(
        &mut self,
        shape: &Shape,
        tag: Option<&str>,
        variants: &[Shape],
        name: &str,
        span: &Span,
        json_path: &str,
    ) -> String {
        let key = format!(
            "union {}",
            serde_json::to_string(shape).expect("shapes always serialise")
        );
        if let Some(existing) = self.by_shape.get(&key).cloned() {
            return self.named_for_role(&existing, name, || AliasRole::Object {
                json_path: json_path.to_owned(),
                span: span.clone(),
            });
        }
        let union_name = self.namer.fresh(name, Case::Camel);
        self.by_shape.insert(key, union_name.clone());
        let slot = self.unions.len();
        self.unions.push(UnionDef {
            name: union_name.clone(),
            span: span.clone(),
            json_path: json_path.to_owned(),
            tag: tag.map(str::to_owned),
            variants: Vec::new(),
        });
        let mut variant_names = Namer::new();
        variant_names.reserve(reserved::UNKNOWN_VARIANT);
        let selectors = crate::parse::union_selectors(variants, tag);
        let own_keys = crate::parse::own_keys(variants);
        let kinds: Vec<Option<JsonKind>> = variants
            .iter()
            .map(|v| JsonKind::of_variant(&v.kind))
            .collect();
        // A lone object is any object, named for what it is, as the other kinds are.
        let lone_object = kinds
            .iter()
            .filter(|k| **k == Some(JsonKind::Object))
            .count()
            == 1;
        let planned = variants
            .iter()
            .zip(kinds)
            .zip(selectors.into_iter().zip(own_keys))
            .filter_map(|((variant, kind), (selectors, own_keys))| {
                let kind = kind?;
                let (words, selectors, own_keys) = match kind {
                    JsonKind::Object if !lone_object => {
                        (selectors.first()?.clone(), selectors, own_keys)
                    }
                    _ => (kind_words(kind).to_owned(), Vec::new(), Vec::new()),
                };
                let name = variant_names.fresh(&words, Case::Camel);
                let ty = self.type_of(variant, &format!("{union_name} {words}"), span, json_path);
                if kind == JsonKind::Object && !matches!(ty, TypeRef::Struct(_)) {
                    return None;
                }
                Some(UnionVariant {
                    name,
                    kind,
                    selectors,
                    own_keys,
                    ty,
                })
            })
            .collect();
        self.unions[slot].variants = planned;
        union_name
    }

    /// The Rust type for `shape`; `name` is the words a struct for it would be named from.
    fn type_of(&mut self, shape: &Shape, name: &str, span: &Span, json_path: &str) -> TypeRef {
        match &shape.kind {
            ShapeKind::String => TypeRef::String,
            ShapeKind::Integer => TypeRef::I64,
            ShapeKind::Number => TypeRef::F64,
            ShapeKind::Boolean => TypeRef::Bool,
            ShapeKind::Unknown | ShapeKind::NoBody | ShapeKind::FreeformObject => TypeRef::Value,
            ShapeKind::Enum { values } => TypeRef::Enum(self.enum_for(values, true, name, span)),
            ShapeKind::Object { fields } if fields.is_empty() => TypeRef::Value,
            ShapeKind::Map { value } => {
                let path = format!("{json_path}{{}}");
                let value_name = format!("{name} value");
                TypeRef::Map(Box::new(self.type_of(value, &value_name, span, &path)))
            }
            // `serde_json::Value` holds a `null` itself.
            ShapeKind::Nullable { value } => match self.type_of(value, name, span, json_path) {
                TypeRef::Value => TypeRef::Value,
                ty => TypeRef::Option(Box::new(ty)),
            },
            ShapeKind::OneOf { tag, variants } => TypeRef::Union(self.union_of(
                shape,
                tag.as_deref(),
                variants,
                name,
                span,
                json_path,
            )),
            ShapeKind::Array { element } => {
                let element_name = match element.kind {
                    ShapeKind::Array { .. } => format!("{name} item"),
                    _ => name.to_owned(),
                };
                let path = format!("{json_path}[]");
                TypeRef::Vec(Box::new(self.type_of(element, &element_name, span, &path)))
            }
            ShapeKind::Object { fields } => {
                // Spans are not serialised: the key is the structure alone.
                let key = serde_json::to_string(shape).expect("shapes always serialise");
                if let Some(existing) = self.by_shape.get(&key).cloned() {
                    let named = self.named_for_role(&existing, name, || AliasRole::Object {
                        json_path: json_path.to_owned(),
                        span: span.clone(),
                    });
                    return TypeRef::Struct(named);
                }
                let struct_name = self.namer.fresh(name, Case::Camel);
                self.by_shape.insert(key, struct_name.clone());
                // Reserve the slot now so structs appear parent first, in documented order.
                let slot = self.structs.len();
                self.structs.push(StructDef {
                    name: struct_name.clone(),
                    span: span.clone(),
                    json_path: json_path.to_owned(),
                    fields: Vec::new(),
                    extra: reserved::EXTRA_FIELD.to_owned(),
                });
                let mut field_names = Namer::reserving(&[reserved::EXTRA_FIELD]);
                let defs = fields
                    .iter()
                    .map(|field| {
                        let rust = field_names.fresh(&field.name, Case::Snake);
                        let child_name =
                            format!("{struct_name} {}", ident(&field.name, Case::Camel));
                        let path = format!("{json_path}.{}", field.name);
                        // A field is an `Option` already: `null` and absent read alike.
                        let ty = match self.type_of(&field.shape, &child_name, span, &path) {
                            TypeRef::Option(ty) => *ty,
                            ty => ty,
                        };
                        FieldDef {
                            wire: field.name.clone(),
                            rust,
                            ty,
                        }
                    })
                    .collect();
                self.structs[slot].fields = defs;
                TypeRef::Struct(struct_name)
            }
        }
    }
}

/// The words a union's variant of `kind` (not one of several objects) is named from.
fn kind_words(kind: JsonKind) -> &'static str {
    match kind {
        JsonKind::Object => "object",
        // `String` is kept from identifiers (it would shadow the type in generated code).
        JsonKind::String => "text",
        JsonKind::Integer => "integer",
        JsonKind::Number => "number",
        JsonKind::Boolean => "boolean",
        JsonKind::Array => "array",
    }
}
