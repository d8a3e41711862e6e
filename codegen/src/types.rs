//! Stage 3 of 5 (parse → IR → names/**types** → emit → write): from endpoints to a Rust plan.
//!
//! Decides everything the emitter needs and nothing about syntax: one module per doc group,
//! a struct per distinct object shape (identical shapes inside a group share the first
//! one's name), the result type and data location of every endpoint. Every identifier the
//! emitter prints is a string in this plan; [`crate::plan_names`] chooses the names of
//! groups, functions, arguments and setters, and the example values. Names depend only on
//! the group's own file, so adding or removing another doc never renames anything here.

use std::collections::BTreeMap;

use crate::diag::{Diagnostic, Severity};
use crate::ir::{Api, Doc, Endpoint, Method, ParamLocation, ParamType, Shape, ShapeKind, Span};
use crate::names::{Case, Namer, ident, reserved};
use crate::plan_names::{self, GroupNames};
use crate::plan_paging;
use crate::rustdoc;

/// The whole client: one plan per doc group, in file order.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub groups: Vec<GroupPlan>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct GroupPlan {
    /// The doc file, relative to the docs directory.
    pub file: String,
    /// The H1 title, as rustdoc-safe Markdown on one line.
    pub title: String,
    /// Module name (`audit_logs`).
    pub module: String,
    /// Cargo feature gating this module (`audit-logs`).
    pub feature: String,
    /// The method on `Client` returning the handle: the module name, unless `Client`
    /// already has a method of that name.
    pub accessor: String,
    /// The per-group handle type (`AuditLogs`).
    pub handle: String,
    /// Structs in order of first use.
    pub structs: Vec<StructDef>,
    /// Enums (response values: open; request parameters: closed) in order of first use.
    pub enums: Vec<EnumDef>,
    /// Query-parameter structs in order of first use.
    pub params: Vec<ParamsPlan>,
    /// Names by role for structs that an earlier role's shape already produced.
    pub aliases: Vec<AliasDef>,
    pub endpoints: Vec<EndpointPlan>,
    /// Result structs of paginated endpoints that hold their items in an array field, each
    /// once, in order of first use: each implements `runtime::ListResult`.
    pub list_results: Vec<ListResultPlan>,
}

/// A result object whose one array field holds a listing's items (`{"images": [...]}`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListResultPlan {
    /// The result struct.
    pub name: String,
    /// The array field: its Rust name and JSON key.
    pub field: String,
    pub wire: String,
    /// The element type: the listing's item.
    pub item: TypeRef,
}

/// A type named by its role (`ListUserAuditLogsParams`, `…ItemZone`) that is the same as a
/// type an earlier role produced (`ListAccountAuditLogsParams`, `…ItemAccount`): a
/// `pub type` alias, so every endpoint's types read as its own.
#[derive(Debug, Clone, PartialEq)]
pub struct AliasDef {
    pub name: String,
    pub target: String,
    pub role: AliasRole,
}

/// What an alias names.
#[derive(Debug, Clone, PartialEq)]
pub enum AliasRole {
    /// The query parameters of this endpoint function.
    Params { fn_name: String },
    /// The object at `json_path` of the response documented at `span`.
    Object { json_path: String, span: Span },
}

/// An enum over documented string values.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumDef {
    pub name: String,
    /// Open enums (response values) decode unknown values into a catch-all variant; closed
    /// enums (request parameters) only ever hold the documented values.
    pub open: bool,
    /// (wire value, variant name), in documented order.
    pub variants: Vec<(String, String)>,
    /// Where the values were first documented.
    pub span: Span,
    /// The query parameters taking these values, as (parameter struct, wire name), in order
    /// of first use; empty for response values.
    pub params: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StructDef {
    pub name: String,
    /// Where the shape that first produced this struct is documented, and the JSON path to it.
    pub span: Span,
    pub json_path: String,
    pub fields: Vec<FieldDef>,
    /// The field that keeps unknown and drifted values (`runtime::Extra`); documented keys
    /// never take its name.
    pub extra: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FieldDef {
    /// The JSON key, exactly as documented.
    pub wire: String,
    /// The Rust field name.
    pub rust: String,
    pub ty: TypeRef,
}

/// A Rust type built from a documented shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeRef {
    String,
    I64,
    F64,
    Bool,
    /// `serde_json::Value`: shape unknown, or `{}`, which the docs' OpenAPI source writes for
    /// an object whose properties are not listed (the official SDKs type it as unknown too:
    /// TypeScript `unknown`, Python `object`, Go `unknown`), and which the live API fills with
    /// strings as well as objects.
    Value,
    Vec(Box<TypeRef>),
    /// A struct of this group, by name.
    Struct(String),
    /// An enum of this group, by name.
    Enum(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct EndpointPlan {
    pub span: Span,
    pub fn_name: String,
    pub method: Method,
    /// The template as documented.
    pub path: String,
    pub path_parts: Vec<PathPiece>,
    /// The path parameters as arguments, each once, in order of first use.
    pub path_args: Vec<PathArg>,
    /// The name of the argument taking the query-parameter struct (when there is one); doc
    /// examples name their variable alike.
    pub params_arg: String,
    pub result: ResultPlan,
    /// The query-parameter struct, when the endpoint documents query parameters.
    pub params: Option<ParamsPlan>,
    /// How the endpoint pages, inferred from its parameters (only for list results: an array,
    /// or an object with exactly one array field, see `list_result`).
    pub pagination: Option<PaginationPlan>,
    /// Raw-body variants (`<fn>_csv`).
    pub variants: Vec<VariantPlan>,
    /// Whether the request usually carries a body (POST, PUT, PATCH), which the docs do not
    /// describe: the method's docs then say how to send one.
    pub takes_body: bool,
    /// Rustdoc-safe Markdown: summary, description.
    pub doc: String,
    /// The summary alone, rustdoc-safe on one line (for the endpoint index).
    pub summary: String,
}

/// A struct holding an endpoint's query parameters, serialised into the query string.
#[derive(Debug, Clone, PartialEq)]
pub struct ParamsPlan {
    pub name: String,
    pub fields: Vec<ParamField>,
    /// The endpoint functions taking this struct, in order (the first named it). Complete
    /// only in [`GroupPlan::params`].
    pub users: Vec<String>,
    /// What a doc example sets: (setter, value) for each required field, in order.
    pub example: Vec<(String, ExampleValue)>,
}

/// A value in a doc example.
#[derive(Debug, Clone, PartialEq)]
pub enum ExampleValue {
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    /// A variant of an enum of this group.
    Variant {
        ty: String,
        variant: String,
    },
    /// A list of one value.
    List(Box<ExampleValue>),
}

impl ParamsPlan {
    /// Whether any parameter must be given (checked when a request is built).
    pub fn has_required(&self) -> bool {
        self.fields.iter().any(|f| f.required)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ParamField {
    /// The name on the wire (`actor.email`).
    pub wire: String,
    /// The Rust field and setter name (`actor_email`).
    pub rust: String,
    pub ty: ParamTy,
    pub required: bool,
    /// Rustdoc-safe description.
    pub doc: String,
}

/// The Rust type of one query parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParamTy {
    String,
    I64,
    F64,
    Bool,
    /// A date or RFC 3339 timestamp: `runtime::Timestamp`, text sent unchanged or a `time` /
    /// `chrono` value.
    DateTime,
    /// A closed enum of this group, by name.
    Enum(String),
    /// Repeated keys.
    List(Box<ParamTy>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PaginationPlan {
    /// Page numbers: the wire names of the page and page-size parameters.
    Page { page: String, per_page: String },
    /// An opaque cursor, with the page-size parameter if there is one.
    Cursor {
        cursor: String,
        limit: Option<String>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct VariantPlan {
    pub fn_name: String,
    pub query: Vec<(String, String)>,
    pub accept: Option<String>,
    /// Rustdoc-safe description.
    pub doc: String,
}

/// A path parameter as a function argument.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathArg {
    /// The name in the template's braces.
    pub wire: String,
    /// The argument's name.
    pub name: String,
    /// Rustdoc-safe description from an overlay's path-parameter row; may be empty.
    pub doc: String,
    /// The string a doc example passes.
    pub example: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathPiece {
    Literal(String),
    Param { wire: String, arg: String },
}

/// What a successful call returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResultPlan {
    /// JSON data of this type, found at `at` (keys into the envelope), or the whole body.
    Json { ty: TypeRef, at: DataLocation },
    /// No documented body: raw bytes.
    Raw,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DataLocation {
    /// Inside the Cloudflare envelope, at these keys (`body["result"]` → `["result"]`).
    Envelope(Vec<String>),
    /// The body itself.
    Body,
}

/// Plans every group. Errors (e.g. two files that map to one module name) are returned as
/// diagnostics; nothing is partially planned.
pub fn plan(api: &Api) -> Result<Plan, Vec<Diagnostic>> {
    let mut diagnostics = Vec::new();
    let mut modules: BTreeMap<String, &str> = BTreeMap::new();
    // `builder.md` gets the accessor `builder_api`, which `builder_api.md` would also get.
    let mut accessors: BTreeMap<String, &str> = BTreeMap::new();
    // Likewise `full.md` gets the feature `full-api`, which `full_api.md` would also get.
    let mut features: BTreeMap<String, &str> = BTreeMap::new();
    let mut groups = Vec::new();
    for doc in &api.docs {
        let names = plan_names::group_names(doc);
        let module = names.module.clone();
        if let Some(first) = modules.insert(module.clone(), &doc.file) {
            diagnostics.push(error(
                &doc.file,
                1,
                format!("file maps to module `{module}`, which `{first}` already uses"),
                Some("rename one of the files: module names come from file names".into()),
            ));
            continue;
        }
        if let Some(first) = accessors.insert(names.accessor.clone(), &doc.file) {
            diagnostics.push(error(
                &doc.file,
                1,
                format!("file maps to the `Client` method `{}`, which `{first}` already uses", names.accessor),
                Some("rename one of the files: a file named like a `Client` method gets the method `<name>_api`".into()),
            ));
            continue;
        }
        if let Some(first) = features.insert(names.feature.clone(), &doc.file) {
            diagnostics.push(error(
                &doc.file,
                1,
                format!("file maps to the Cargo feature `{}`, which `{first}` already uses", names.feature),
                Some("rename one of the files: a file named like a built-in feature (`default`, `full`) gets the feature `<name>-api`".into()),
            ));
            continue;
        }
        groups.push(plan_group(doc, names, &mut diagnostics));
    }
    if diagnostics.is_empty() {
        Ok(Plan { groups })
    } else {
        diagnostics.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
        Err(diagnostics)
    }
}

fn error(file: &str, line: u32, message: String, help: Option<String>) -> Diagnostic {
    Diagnostic::error_at_line(file, line, message, help)
}

fn plan_group(doc: &Doc, names: GroupNames, diagnostics: &mut Vec<Diagnostic>) -> GroupPlan {
    let GroupNames {
        module,
        feature,
        accessor,
        handle,
    } = names;
    let mut types = TypeBuilder {
        namer: Namer::new(),
        by_shape: BTreeMap::new(),
        structs: Vec::new(),
        enums: Vec::new(),
        params: Vec::new(),
        aliases: Vec::new(),
    };
    // The handle lives in the same module as the structs.
    types.namer.reserve(&handle);

    let (fn_names, mut all_fns) = plan_names::endpoint_names(&doc.endpoints);
    let mut endpoints = Vec::new();
    let mut list_results = Vec::new();
    for (endpoint, fn_name) in doc.endpoints.iter().zip(fn_names) {
        let result = match result_plan(endpoint, &fn_name, &mut types) {
            Ok(result) => result,
            Err(diagnostic) => {
                diagnostics.push(diagnostic);
                continue;
            }
        };
        let (path_parts, path_args) = plan_names::path_args(endpoint);
        let params = params_plan(endpoint, &fn_name, &mut types);
        let (in_object, refused) =
            match plan_paging::list_result(endpoint, &result, &types.structs, &types.aliases) {
                Ok(found) => (found, false),
                Err(diagnostic) => {
                    diagnostics.push(diagnostic);
                    (None, true)
                }
            };
        let pagination = match &result {
            ResultPlan::Json {
                ty: TypeRef::Vec(_),
                ..
            } => plan_paging::pagination_plan(endpoint),
            _ if in_object.is_some() => plan_paging::pagination_plan(endpoint),
            _ => None,
        };
        if let (Some(_), Some(list)) = (&pagination, in_object) {
            match list_results
                .iter()
                .find(|l: &&ListResultPlan| l.name == list.name)
            {
                None => list_results.push(list),
                // One struct, one `ListResult` impl: two listings cannot page it by two fields.
                Some(other) if other.wire != list.wire => diagnostics.push(Diagnostic::at(
                    endpoint
                        .items_field
                        .as_ref()
                        .map_or(&endpoint.span, |n| &n.span),
                    Severity::Error,
                    format!(
                        "`{}` is the result of listings whose items are `{}` and `{}`",
                        list.name, other.wire, list.wire
                    ),
                    Some(
                        "name the same items field for every endpoint returning this object".into(),
                    ),
                )),
                Some(_) => {}
            }
        } else if let (None, Some(named), false) = (&pagination, &endpoint.items_field, refused) {
            diagnostics.push(Diagnostic::at(
                &named.span,
                Severity::Error,
                format!(
                    "`items` is named, but {} {} does not page",
                    endpoint.method.as_str(),
                    endpoint.path
                ),
                Some(
                    "a listing has a `cursor`, or a `page` and a `per_page`, query parameter"
                        .into(),
                ),
            ));
        }
        let variants = endpoint
            .variants
            .iter()
            .map(|v| VariantPlan {
                fn_name: plan_names::variant_fn_name(&mut all_fns, &fn_name, &v.name),
                query: v.query.clone(),
                accept: v.accept.clone(),
                doc: rustdoc::sanitize(v.description.trim()),
            })
            .collect();
        endpoints.push(EndpointPlan {
            span: endpoint.span.clone(),
            fn_name,
            method: endpoint.method,
            path: endpoint.path.clone(),
            path_parts,
            path_args,
            params_arg: plan_names::PARAMS_ARG.to_owned(),
            result,
            params,
            pagination,
            variants,
            takes_body: matches!(endpoint.method, Method::Post | Method::Put | Method::Patch),
            doc: rustdoc::endpoint_doc(&endpoint.summary, &endpoint.description),
            summary: rustdoc::inline_text(&endpoint.summary),
        });
    }
    GroupPlan {
        file: doc.file.clone(),
        title: rustdoc::inline_text(&doc.title),
        module,
        feature,
        accessor,
        handle,
        structs: types.structs,
        enums: with_params(types.enums, &types.params),
        params: types.params,
        aliases: types.aliases,
        endpoints,
        list_results,
    }
}

/// `enums`, each told which of the `params` structs' fields take it (for its docs).
fn with_params(mut enums: Vec<EnumDef>, params: &[ParamsPlan]) -> Vec<EnumDef> {
    fn enum_of(ty: &ParamTy) -> Option<&str> {
        match ty {
            ParamTy::Enum(name) => Some(name),
            ParamTy::List(element) => enum_of(element),
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

/// The query parameters as a struct named `<Fn>Params`; `None` when there are none.
fn params_plan(endpoint: &Endpoint, fn_name: &str, types: &mut TypeBuilder) -> Option<ParamsPlan> {
    let query: Vec<_> = endpoint
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Query)
        .collect();
    if query.is_empty() {
        return None;
    }
    // Endpoints with the same parameters (v1 account and user audit logs) share one struct.
    let key = format!(
        "params {}",
        query
            .iter()
            .map(|p| format!("{:?}", (&p.name, &p.ty, p.required, &p.values)))
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
    let mut fields_namer = plan_names::params_fields();
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
                doc: rustdoc::sanitize(param.description.trim()),
            }
        })
        .collect();
    let example = plan_names::example_args(&fields, &types.enums);
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
        _ if !values.is_empty() => ParamTy::Enum(types.enum_for(values, false, wire, span)),
        ParamType::String => ParamTy::String,
        ParamType::Integer => ParamTy::I64,
        ParamType::Number => ParamTy::F64,
        ParamType::Boolean => ParamTy::Bool,
        ParamType::DateTime => ParamTy::DateTime,
    }
}

fn result_plan(
    endpoint: &Endpoint,
    fn_name: &str,
    types: &mut TypeBuilder,
) -> Result<ResultPlan, Diagnostic> {
    // The first documented 2xx response decides; error bodies are the runtime's business.
    let Some(response) = endpoint.responses.iter().find(|r| r.status.is_success()) else {
        return Ok(ResultPlan::Raw);
    };
    if response.shape.kind == ShapeKind::NoBody {
        return Ok(ResultPlan::Raw);
    }
    let at = match &response.data_at {
        Some(note) if !note.keys.is_empty() => DataLocation::Envelope(note.keys.clone()),
        _ => DataLocation::Body,
    };
    let root_name = match &response.shape.kind {
        ShapeKind::Array { .. } => format!("{fn_name} item"),
        _ => format!("{fn_name} response"),
    };
    let ty = types.type_of(&response.shape, &root_name, &response.span, "$");
    Ok(ResultPlan::Json { ty, at })
}

struct TypeBuilder {
    namer: Namer,
    /// Structural key of an object shape or enum → the type already generated for it.
    by_shape: BTreeMap<String, String>,
    structs: Vec<StructDef>,
    enums: Vec<EnumDef>,
    params: Vec<ParamsPlan>,
    aliases: Vec<AliasDef>,
}

impl TypeBuilder {
    /// `target` under the name its role `name` gives, when that differs (an alias, made
    /// once per role and target).
    fn named_for_role(
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
    fn enum_for(&mut self, values: &[String], open: bool, name: &str, span: &Span) -> String {
        let key = format!(
            "enum {open} {}",
            serde_json::to_string(values).expect("strings serialise")
        );
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
        });
        enum_name
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
                        let ty = self.type_of(&field.shape, &child_name, span, &path);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_groups_never_share_a_client_method() {
        let doc = |group: &str| Doc {
            file: format!("{group}.md"),
            group: group.to_owned(),
            title: group.to_owned(),
            endpoints: Vec::new(),
        };
        let errors = plan(&Api {
            docs: vec![doc("builder"), doc("builder_api")],
        })
        .expect_err("one accessor, two groups");
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].file, "builder_api.md");
        assert!(
            errors[0]
                .message
                .contains("`builder_api`, which `builder.md` already uses"),
            "{}",
            errors[0].message
        );
        let plan = plan(&Api {
            docs: vec![doc("builder"), doc("from_env_x")],
        })
        .expect("distinct accessors");
        let accessors: Vec<_> = plan.groups.iter().map(|g| g.accessor.as_str()).collect();
        assert_eq!(accessors, ["builder_api", "from_env_x"]);
    }

    #[test]
    fn groups_never_take_a_built_in_feature_or_share_one() {
        let doc = |group: &str| Doc {
            file: format!("{group}.md"),
            group: group.to_owned(),
            title: group.to_owned(),
            endpoints: Vec::new(),
        };
        let plan_ok = plan(&Api {
            docs: vec![doc("default"), doc("full")],
        })
        .expect("distinct features");
        let features: Vec<_> = plan_ok.groups.iter().map(|g| g.feature.as_str()).collect();
        assert_eq!(features, ["default-api", "full-api"]);
        let errors = plan(&Api {
            docs: vec![doc("full"), doc("full_api")],
        })
        .expect_err("one feature, two groups");
        assert!(
            errors[0]
                .message
                .contains("Cargo feature `full-api`, which `full.md` already uses"),
            "{}",
            errors[0].message
        );
    }
}
