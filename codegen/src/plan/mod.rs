//! Plan stage, the driver: the IR of every doc → the [`Plan`] the emitters print.
//!
//! Decides everything the emitter needs and nothing about syntax: one group per doc, whose
//! module, feature and accessor no other group takes; per endpoint its function, path
//! arguments, result, parameters, paging and raw-body variants. The planners each decide one
//! part: [`names`] every name, [`types`] the Rust types of shapes and parameters,
//! [`paging`] whether and how an endpoint pages, [`every_endpoint`] the every-endpoint test's
//! cases; all of them fill the data of [`model`]. This driver calls them; none calls back.

mod bodies;
pub mod every_endpoint;
pub mod mock;
pub mod model;
pub mod names;
mod paging;
pub mod parts;
mod types;

use std::collections::BTreeMap;

use crate::diag::{Diagnostic, Severity};
use crate::ir::{Api, Doc, Endpoint, Envelope, Method};
use crate::rustdoc;
use model::{
    DataLocation, EndpointPlan, GroupPlan, ListResultPlan, Plan, ResponseDoc, ResultPlan, TypeRef,
    VariantPlan,
};
use names::GroupNames;
use types::TypeBuilder;

/// Plans every group. Errors (e.g. two files that map to one module name) are returned as
/// diagnostics; nothing is partially planned.
pub fn plan(api: &Api) -> Result<Plan, Vec<Diagnostic>> {
    let mut diagnostics = Vec::new();
    let mut modules: BTreeMap<String, &str> = BTreeMap::new();
    // `builder.md` gets the accessor `builder_api`, which `builder_api.md` would also get.
    let mut accessors: BTreeMap<String, &str> = BTreeMap::new();
    // Likewise `full.md` gets the feature `full-api`, which `full_api.md` would also get.
    let mut features: BTreeMap<String, &str> = BTreeMap::new();
    let mut named = Vec::new();
    for doc in &api.docs {
        let names = names::group_names(doc);
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
        named.push((doc, names));
    }
    // Names are decided across groups above; a group's plan needs only its own doc, so the
    // groups are planned in parallel and collected in doc order.
    let planned = crate::parallel::map(&named, |(doc, names)| {
        let mut found = Vec::new();
        let group = plan_group(doc, names.clone(), &mut found);
        (group, found)
    });
    let mut groups = Vec::with_capacity(planned.len());
    for (group, found) in planned {
        groups.push(group);
        diagnostics.extend(found);
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
    // The handle lives in the same module as the structs.
    let mut types = TypeBuilder::new(&handle);

    let (fn_names, mut all_fns) = names::endpoint_names(&doc.endpoints);
    let mut endpoints = Vec::new();
    let mut list_results = Vec::new();
    for (endpoint, fn_name) in doc.endpoints.iter().zip(fn_names) {
        let result = match types::result_plan(endpoint, doc.envelope, &fn_name, &mut types) {
            Ok(result) => result,
            Err(diagnostic) => {
                diagnostics.push(diagnostic);
                continue;
            }
        };
        let (path_parts, path_args) = names::path_args(endpoint);
        let params = types::params_plan(endpoint, &fn_name, &mut types);
        let body = bodies::body_plan(endpoint, &fn_name, &mut types);
        let (in_object, refused) =
            match paging::list_result(endpoint, &result, &types.structs, &types.aliases) {
                Ok(found) => (found, false),
                Err(diagnostic) => {
                    diagnostics.push(diagnostic);
                    (None, true)
                }
            };
        let pagination = match &result {
            // Pages are told apart by the envelope's `result_info`: without it, one call is one
            // page, never a listing that would stop after its first page.
            _ if doc.envelope == Envelope::None => None,
            // The same for an endpoint whose data is its whole body (an overlay's note says
            // so): no envelope around it, no `result_info`.
            ResultPlan::Json {
                at: DataLocation::Body,
                ..
            } => None,
            _ if matches!(result.non_null_type(), Some(TypeRef::Vec(_))) => {
                paging::pagination_plan(endpoint)
            }
            _ if in_object.is_some() => paging::pagination_plan(endpoint),
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
                    endpoint.written_path()
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
                fn_name: names::variant_fn_name(&mut all_fns, &fn_name, &v.name),
                query: v.query.clone(),
                accept: v.accept.clone(),
                doc: rustdoc::sanitize(v.description.trim()),
            })
            .collect();
        endpoints.push(EndpointPlan {
            span: endpoint.span.clone(),
            fn_name,
            method: endpoint.method,
            path: endpoint.written_path(),
            path_parts,
            path_args,
            params_arg: names::PARAMS_ARG.to_owned(),
            result,
            params,
            pagination,
            variants,
            takes_body: matches!(endpoint.method, Method::Post | Method::Put | Method::Patch),
            body,
            raw_body: bodies::raw_body_plan(endpoint),
            doc: rustdoc::endpoint_doc(&doc_summary(endpoint), &endpoint.description),
            summary: rustdoc::inline_text(&endpoint.summary),
            responses: endpoint
                .responses
                .iter()
                .map(|r| ResponseDoc {
                    status: r.status.to_string(),
                    doc: rustdoc::sanitize(r.description.trim()),
                })
                .collect(),
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
        enums: types::with_params(types.enums, &types.params),
        params: types.params,
        bodies: types.bodies,
        body_unions: types.body_unions,
        unions: types.unions,
        aliases: types.aliases,
        endpoints,
        list_results,
    }
}

/// The first paragraph of an endpoint's docs: its summary, or its route when it has none.
fn doc_summary(endpoint: &Endpoint) -> String {
    match endpoint.summary.trim() {
        "" => format!("`{} {}`", endpoint.method.as_str(), endpoint.written_path()),
        summary => summary.to_owned(),
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
            envelope: Default::default(),
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
            envelope: Default::default(),
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
