//! Plan stage, paging: whether an endpoint is a listing, how it pages, and which array of
//! its result holds the items.

use super::model::{
    AliasDef, FieldDef, ListResultPlan, PaginationPlan, ResultPlan, StructDef, TypeRef,
};
use crate::diag::{Diagnostic, Severity};
use crate::ir::{Endpoint, ParamLocation};

/// `page` + `per_page` → page numbers; `cursor` → cursor (with `limit` or `per_page` as the
/// page size); `offset` → an item offset (with `limit` as the page size). Anything else is
/// not paginated.
pub(crate) fn pagination_plan(endpoint: &Endpoint) -> Option<PaginationPlan> {
    let has = |name: &str| {
        endpoint
            .params
            .iter()
            .any(|p| p.location == ParamLocation::Query && p.name == name)
    };
    if has("cursor") {
        let limit = ["limit", "per_page"]
            .into_iter()
            .find(|n| has(n))
            .map(str::to_owned);
        return Some(PaginationPlan::Cursor {
            cursor: "cursor".to_owned(),
            limit,
        });
    }
    if has("page") && has("per_page") {
        return Some(PaginationPlan::Page {
            page: "page".to_owned(),
            per_page: "per_page".to_owned(),
        });
    }
    if has("offset") {
        return Some(PaginationPlan::Offset {
            offset: "offset".to_owned(),
            limit: has("limit").then(|| "limit".to_owned()),
        });
    }
    None
}

/// The items of a result object, when it has exactly one array field: the shape of the
/// list endpoints that keep their items beside other fields (`{"images": [...]}`,
/// `{"commands": [...], "count": …}`). With two arrays or none, which one is the listing
/// is not for the generator to guess, so the endpoint is not a list.
pub(crate) fn list_result(
    endpoint: &Endpoint,
    result: &ResultPlan,
    structs: &[StructDef],
    aliases: &[AliasDef],
) -> Result<Option<ListResultPlan>, Diagnostic> {
    let declared = endpoint.items_field.as_ref();
    let not_an_object = |named: &crate::ir::Named| {
        Diagnostic::at(
            &named.span,
            Severity::Error,
            format!(
                "`items` is named, but the result of {} {} is not an object",
                endpoint.method.as_str(),
                endpoint.written_path()
            ),
            Some("name `items` for a result object that holds the listing's array".into()),
        )
    };
    let Some(TypeRef::Struct(name)) = result.non_null_type() else {
        return declared.map_or(Ok(None), |named| Err(not_an_object(named)));
    };
    // An alias names the struct an earlier role produced: the impl is for that struct.
    let name = aliases
        .iter()
        .find(|a| &a.name == name)
        .map_or(name, |a| &a.target);
    let Some(def) = structs.iter().find(|s| &s.name == name) else {
        return Ok(None);
    };
    let arrays: Vec<(&FieldDef, &TypeRef)> = def
        .fields
        .iter()
        .filter_map(|f| match &f.ty {
            TypeRef::Vec(item) => Some((f, &**item)),
            _ => None,
        })
        .collect();
    let chosen = match (declared, arrays.as_slice()) {
        (Some(named), _) => match arrays.iter().find(|(f, _)| f.wire == named.name) {
            Some(found) => *found,
            None => {
                let keys: Vec<String> = arrays
                    .iter()
                    .map(|(f, _)| format!("`{}`", f.wire))
                    .collect();
                return Err(Diagnostic::at(
                    &named.span,
                    Severity::Error,
                    format!(
                        "the result of {} {} has no array `{}`",
                        endpoint.method.as_str(),
                        endpoint.written_path(),
                        named.name
                    ),
                    Some(if keys.is_empty() {
                        "its documented result object has no array field".to_owned()
                    } else {
                        format!("its arrays: {}", keys.join(", "))
                    }),
                ));
            }
        },
        (None, [one]) => *one,
        // Two arrays or none: which one holds the items is not guessed.
        (None, _) => return Ok(None),
    };
    let (field, item) = chosen;
    Ok(Some(ListResultPlan {
        name: name.clone(),
        field: field.rust.clone(),
        wire: field.wire.clone(),
        item: item.clone(),
    }))
}
