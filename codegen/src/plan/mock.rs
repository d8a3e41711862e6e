//! Plan stage, the mock's endpoint tables: for each generated endpoint, what the local API of
//! `runtime::mock` checks a request against (method, path template, query and header
//! parameters and their kinds, the body's shape: its objects' fields, their kinds and which are required) and answers by default (the documented status and
//! data synthesized from the documented 2xx shape, where the docs say the data is).
//!
//! The plan decides every name and value; [`crate::emit::mock`] only prints it.

use std::collections::{BTreeMap, BTreeSet};

use super::every_endpoint::{self, synthesize_with};
use super::model::{
    BodyTy, EndpointPlan, GroupPlan, PaginationPlan, ParamTy, Plan, ResultPlan, TypeRef,
};
use crate::ir::{Api, BodyEncoding, Endpoint, Method};
use crate::names::{Case, Namer};

/// A group's endpoints as the mock serves them.
#[derive(Debug, Clone, PartialEq)]
pub struct MockGroup {
    /// The doc file, relative to the docs directory.
    pub file: String,
    /// The group's module (the mock's module of the same name holds its table).
    pub module: String,
    /// The group's Cargo feature.
    pub feature: String,
    /// The group's handle type, for doc links.
    pub handle: String,
    pub endpoints: Vec<MockEndpoint>,
    /// The body objects its endpoints' bodies are made of, in the order first met.
    pub objects: Vec<MockObject>,
    /// Its bodies of several variants.
    pub variant_sets: Vec<MockVariants>,
}

/// One endpoint as the mock serves it: a `runtime::mock::Endpoint` constant.
#[derive(Debug, Clone, PartialEq)]
pub struct MockEndpoint {
    /// The constant's name: the endpoint function's, upper case.
    pub const_name: String,
    /// The endpoint function (`list_dns_records`).
    pub fn_name: String,
    /// `module::function`, as requests are recorded.
    pub name: String,
    pub method: Method,
    /// The path template, every parameter `{wire}`.
    pub template: String,
    pub query: Vec<MockParam>,
    /// The documented header parameters, names in lower case.
    pub headers: Vec<MockParam>,
    pub body: MockBody,
    pub status: u16,
    /// The default data as JSON text; empty for none.
    pub data: String,
    /// The keys of the envelope the data sits under; none for the whole body.
    pub data_at: Vec<String>,
    /// How the listing pages, if the endpoint is one.
    pub paging: Option<PaginationPlan>,
    /// The JSON key of the data's array holding a listing's items; empty: the data is the
    /// array.
    pub items: String,
}

/// A documented query or header parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct MockParam {
    pub wire: String,
    pub kind: MockKind,
    pub required: bool,
}

/// What a query parameter's value must read as (`runtime::mock::ParamKind`).
#[derive(Debug, Clone, PartialEq)]
pub enum MockKind {
    Text,
    Integer,
    Number,
    Boolean,
    OneOf(Vec<String>),
    Any,
}

/// What the request body must be (`runtime::mock::Body`).
#[derive(Debug, Clone, PartialEq)]
pub enum MockBody {
    None,
    Json(MockShape),
    Multipart,
    Raw,
}

/// What a JSON value of a request body must be (`runtime::mock::Shape`).
#[derive(Debug, Clone, PartialEq)]
pub enum MockShape {
    Any,
    Text,
    Integer,
    Number,
    Boolean,
    OneOf(Vec<String>),
    Array(Box<MockShape>),
    Map(Box<MockShape>),
    /// The fields of a body object: the constant of [`MockGroup::objects`] so named.
    Object(String),
    /// A body of several objects: the constant of [`MockGroup::variant_sets`] so named.
    Variants(String),
}

/// A body object's fields, a constant of the group's table (`&[runtime::mock::Field]`),
/// shared by every body and field of its type.
#[derive(Debug, Clone, PartialEq)]
pub struct MockObject {
    pub const_name: String,
    pub fields: Vec<MockField>,
}

/// A documented key of a body object.
#[derive(Debug, Clone, PartialEq)]
pub struct MockField {
    pub wire: String,
    pub shape: MockShape,
    pub required: bool,
    pub nullable: bool,
}

/// The objects a body of several variants may be, a constant of the group's table
/// (`&[runtime::mock::Variant]`): each variant's heading and its fields' constant (`None`:
/// fields not spelled out, any object).
#[derive(Debug, Clone, PartialEq)]
pub struct MockVariants {
    pub const_name: String,
    pub variants: Vec<(String, Option<String>)>,
}

/// Every group's table. `api` is what `plan` was planned from: endpoints are matched to
/// their documented responses by span.
pub fn groups(api: &Api, plan: &Plan) -> Vec<MockGroup> {
    crate::parallel::map(&plan.groups, |group| {
        let mut shapes = Shapes::new(group);
        let endpoints = every_endpoint::documented_endpoints(api, group)
            .map(|(endpoint, documented)| mock_endpoint(group, &mut shapes, endpoint, documented))
            .collect();
        MockGroup {
            file: group.file.clone(),
            module: group.module.clone(),
            feature: group.feature.clone(),
            handle: group.handle.clone(),
            endpoints,
            objects: shapes.objects,
            variant_sets: shapes.variant_sets,
        }
    })
}

fn mock_endpoint(
    group: &GroupPlan,
    shapes: &mut Shapes<'_>,
    endpoint: &EndpointPlan,
    documented: Option<&Endpoint>,
) -> MockEndpoint {
    let success = documented.and_then(Endpoint::success);
    let status = every_endpoint::success_status(documented);
    // Raw results are bytes: no JSON data.
    let no_body = every_endpoint::without_body(endpoint, status);
    let data = match (&endpoint.result, success) {
        (ResultPlan::Json { .. }, Some(response)) if !no_body => {
            let mut data = String::new();
            synthesize_with(&response.shape, &mut data, false);
            data
        }
        _ => String::new(),
    };
    MockEndpoint {
        const_name: endpoint.fn_name.to_ascii_uppercase(),
        fn_name: endpoint.fn_name.clone(),
        name: format!("{}::{}", group.module, endpoint.fn_name),
        method: endpoint.method,
        template: every_endpoint::template(endpoint),
        query: params(group, endpoint, false),
        headers: params(group, endpoint, true),
        body: body(shapes, endpoint),
        status,
        data,
        data_at: every_endpoint::data_at(endpoint),
        paging: endpoint.pagination.clone(),
        items: items_key(group, endpoint),
    }
}

/// The endpoint's documented query parameters, or its headers (names in lower case).
fn params(group: &GroupPlan, endpoint: &EndpointPlan, headers: bool) -> Vec<MockParam> {
    let Some(params) = &endpoint.params else {
        return Vec::new();
    };
    params
        .fields
        .iter()
        .filter(|field| field.header == headers)
        .map(|field| MockParam {
            wire: match headers {
                true => field.wire.to_ascii_lowercase(),
                false => field.wire.clone(),
            },
            kind: kind(group, &field.ty),
            required: field.required,
        })
        .collect()
}

fn kind(group: &GroupPlan, ty: &ParamTy) -> MockKind {
    match ty {
        ParamTy::String | ParamTy::DateTime | ParamTy::Secret => MockKind::Text,
        ParamTy::I64 => MockKind::Integer,
        ParamTy::F64 => MockKind::Number,
        ParamTy::Bool => MockKind::Boolean,
        ParamTy::Enum(name) => match group.enums.iter().find(|e| &e.name == name) {
            Some(def) if !def.open => {
                MockKind::OneOf(def.variants.iter().map(|(wire, _)| wire.clone()).collect())
            }
            _ => MockKind::Text,
        },
        // Repeated keys or a comma-joined list: each element's kind is not checked yet.
        ParamTy::List(_) | ParamTy::Joined(_) => MockKind::Any,
    }
}

/// What the body of `endpoint` must be: JSON of the body's shape, multipart parts, or bytes.
fn body(shapes: &mut Shapes<'_>, endpoint: &EndpointPlan) -> MockBody {
    if endpoint.raw_body.is_some() && endpoint.body.is_none() {
        return MockBody::Raw;
    }
    let Some(body) = &endpoint.body else {
        return MockBody::None;
    };
    match body.encoding {
        BodyEncoding::Multipart => return MockBody::Multipart,
        // A form, or a JSON body of another media type: not checked yet.
        BodyEncoding::Form => return MockBody::Raw,
        _ if body.media_type.is_some() => return MockBody::Raw,
        _ => {}
    }
    MockBody::Json(match &body.wrap {
        Some(wrap) => shapes.of(wrap),
        None => shapes.named(&body.name),
    })
}

/// The shapes of a group's request bodies, each body object once.
struct Shapes<'g> {
    group: &'g GroupPlan,
    /// Constant names, clear of the endpoints' (upper-cased snake case, so distinct).
    names: Namer,
    /// Each body struct or union met so far, and its constant.
    made: BTreeMap<String, String>,
    /// The structs whose fields are being planned: a field of one of them is a cycle, which
    /// constants cannot hold.
    open: BTreeSet<String>,
    objects: Vec<MockObject>,
    variant_sets: Vec<MockVariants>,
}

impl<'g> Shapes<'g> {
    fn new(group: &'g GroupPlan) -> Self {
        let endpoint_consts: Vec<&str> =
            group.endpoints.iter().map(|e| e.fn_name.as_str()).collect();
        Shapes {
            group,
            names: Namer::reserving(&endpoint_consts),
            made: BTreeMap::new(),
            open: BTreeSet::new(),
            objects: Vec::new(),
            variant_sets: Vec::new(),
        }
    }

    fn of(&mut self, ty: &BodyTy) -> MockShape {
        match ty {
            BodyTy::String | BodyTy::DateTime => MockShape::Text,
            BodyTy::I64 => MockShape::Integer,
            BodyTy::F64 => MockShape::Number,
            BodyTy::Bool => MockShape::Boolean,
            // A file is a multipart part, which is not checked; a value is any JSON.
            BodyTy::Value | BodyTy::File => MockShape::Any,
            // The Rust enum is open (a value the docs do not list can be sent); the mock
            // holds a request to the documented ones, as the docs do.
            BodyTy::Enum(name) => match self.group.enums.iter().find(|e| &e.name == name) {
                Some(def) => {
                    MockShape::OneOf(def.variants.iter().map(|(wire, _)| wire.clone()).collect())
                }
                None => MockShape::Text,
            },
            BodyTy::Vec(item) => MockShape::Array(Box::new(self.of(item))),
            BodyTy::Map(item) => MockShape::Map(Box::new(self.of(item))),
            BodyTy::Struct(name) => self.named(name),
        }
    }

    /// The shape of the body struct or union `name` (or an alias of one).
    fn named(&mut self, name: &str) -> MockShape {
        let group = self.group;
        let name = group
            .aliases
            .iter()
            .find(|alias| alias.name == name)
            .map_or(name, |alias| alias.target.as_str());
        if let Some(union) = group.body_unions.iter().find(|u| u.name == name) {
            if let Some(made) = self.made.get(name) {
                return MockShape::Variants(made.clone());
            }
            let variants = union
                .variants
                .iter()
                .map(|(_, ty, heading)| match self.named(ty) {
                    MockShape::Object(fields) => (heading.clone(), Some(fields)),
                    _ => (heading.clone(), None),
                })
                .collect();
            let const_name = self.const_name(name, "variants");
            self.variant_sets.push(MockVariants {
                const_name: const_name.clone(),
                variants,
            });
            return MockShape::Variants(const_name);
        }
        let Some(def) = group.bodies.iter().find(|def| def.name == name) else {
            return MockShape::Any;
        };
        if self.open.contains(name) {
            return MockShape::Any;
        }
        if let Some(made) = self.made.get(name) {
            return MockShape::Object(made.clone());
        }
        self.open.insert(name.to_owned());
        let fields = def
            .fields
            .iter()
            .map(|field| MockField {
                wire: field.wire.clone(),
                // A key with one documented value (a variant's tag) must hold it.
                shape: match &field.preset {
                    Some(value) => MockShape::OneOf(vec![value.clone()]),
                    None => self.of(&field.ty),
                },
                required: field.required,
                nullable: field.null_setter.is_some(),
            })
            .collect();
        self.open.remove(name);
        let const_name = self.const_name(name, "fields");
        self.objects.push(MockObject {
            const_name: const_name.clone(),
            fields,
        });
        MockShape::Object(const_name)
    }

    fn const_name(&mut self, name: &str, what: &str) -> String {
        let snake = self.names.fresh(&format!("{name} {what}"), Case::Snake);
        let upper = snake.to_ascii_uppercase();
        self.made.insert(name.to_owned(), upper.clone());
        upper
    }
}

/// The key of the array field holding a paginated endpoint's items, when its data is an
/// object with one (`{"images": [...]}`, a [`super::model::ListResultPlan`]); empty otherwise.
fn items_key(group: &GroupPlan, endpoint: &EndpointPlan) -> String {
    let Some(TypeRef::Struct(name)) = endpoint.result.non_null_type() else {
        return String::new();
    };
    group
        .list_results
        .iter()
        .find(|list| &list.name == name)
        .map_or_else(String::new, |list| list.wire.clone())
}
