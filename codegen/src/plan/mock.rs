//! Plan stage, the mock's endpoint tables: for each generated endpoint, what the local API of
//! `runtime::mock` checks a request against (method, path template, query parameters and
//! their kinds, the body's required keys) and answers by default (the documented status and
//! data synthesized from the documented 2xx shape, where the docs say the data is).
//!
//! The plan decides every name and value; [`crate::emit::mock`] only prints it.

use super::every_endpoint::{self, synthesize_with};
use super::model::{
    EndpointPlan, ExampleValue, GroupPlan, PaginationPlan, ParamTy, Plan, ResultPlan, TypeRef,
};
use crate::ir::{Api, BodyEncoding, Endpoint, Method};

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

/// A documented query parameter.
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
    Json { required: Vec<String> },
    Multipart,
    Raw,
}

/// Every group's table. `api` is what `plan` was planned from: endpoints are matched to
/// their documented responses by span.
pub fn groups(api: &Api, plan: &Plan) -> Vec<MockGroup> {
    crate::parallel::map(&plan.groups, |group| MockGroup {
        file: group.file.clone(),
        module: group.module.clone(),
        feature: group.feature.clone(),
        handle: group.handle.clone(),
        endpoints: every_endpoint::documented_endpoints(api, group)
            .map(|(endpoint, documented)| mock_endpoint(group, endpoint, documented))
            .collect(),
    })
}

fn mock_endpoint(
    group: &GroupPlan,
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
        query: endpoint.params.as_ref().map_or_else(Vec::new, |params| {
            params
                .fields
                .iter()
                .filter(|field| !field.header)
                .map(|field| MockParam {
                    wire: field.wire.clone(),
                    kind: kind(group, &field.ty),
                    required: field.required,
                })
                .collect()
        }),
        body: body(group, endpoint),
        status,
        data,
        data_at: every_endpoint::data_at(endpoint),
        paging: endpoint.pagination.clone(),
        items: items_key(group, endpoint),
    }
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

/// What the body of `endpoint` must be: a JSON object with the body struct's required keys
/// (a body of several variants, an array or a map: JSON of any shape), multipart parts, or
/// bytes.
fn body(group: &GroupPlan, endpoint: &EndpointPlan) -> MockBody {
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
    let plain_struct = body.wrap.is_none() && !matches!(body.example, ExampleValue::Union { .. });
    let name = group
        .aliases
        .iter()
        .find(|alias| alias.name == body.name)
        .map_or(body.name.as_str(), |alias| alias.target.as_str());
    let required = match group.bodies.iter().find(|def| def.name == name) {
        Some(def) if plain_struct => def
            .fields
            .iter()
            .filter(|field| field.required)
            .map(|field| field.wire.clone())
            .collect(),
        _ => Vec::new(),
    };
    MockBody::Json { required }
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
