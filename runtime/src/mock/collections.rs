//! The mock, state: the collections found among the endpoints by the REST pattern (a POST to
//! a path, and a path one `{id}` below it) and what a test creates in them, to list (filtered
//! by the documented parameters named like the items' keys), get, change and delete.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use super::check::Refusal;
use super::spec::{CODE_NO_ROUTE, Endpoint};
use crate::Pagination;

/// What an endpoint does to its collection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Role {
    /// POST to the collection: adds an item with a new id.
    Create,
    /// GET the collection: its items.
    List,
    /// GET below it: one item.
    Get,
    /// PUT below it: the item replaced (its id kept).
    Replace,
    /// PATCH below it: the item's keys updated.
    Update,
    /// DELETE below it: the item removed.
    Delete,
}

/// Each endpoint's role, by name: for every template that takes a POST and has a template one
/// `{param}` below it, the endpoints of the two templates. Only endpoints whose data is in the
/// envelope take part.
pub(super) fn roles(endpoints: &[&'static Endpoint]) -> BTreeMap<&'static str, Role> {
    let creates: Vec<&str> = endpoints
        .iter()
        .filter(|e| e.method.eq_ignore_ascii_case("POST") && !e.data_at.is_empty())
        .map(|e| e.template)
        .collect();
    let mut roles = BTreeMap::new();
    for endpoint in endpoints.iter().filter(|e| !e.data_at.is_empty()) {
        let method = endpoint.method.to_ascii_uppercase();
        let role = if creates.contains(&endpoint.template) {
            let has_items = endpoints
                .iter()
                .any(|e| parent(e.template) == Some(endpoint.template));
            match method.as_str() {
                "POST" if has_items => Some(Role::Create),
                "GET" if has_items => Some(Role::List),
                _ => None,
            }
        } else if parent(endpoint.template).is_some_and(|p| creates.contains(&p)) {
            match method.as_str() {
                "GET" => Some(Role::Get),
                "PUT" => Some(Role::Replace),
                "PATCH" => Some(Role::Update),
                "DELETE" => Some(Role::Delete),
                _ => None,
            }
        } else {
            None
        };
        if let Some(role) = role {
            roles.insert(endpoint.name, role);
        }
    }
    roles
}

/// The collections among `endpoints` the mock keeps state for, found by the REST pattern (a
/// POST to a path whose data is in the envelope, and endpoints one `{id}` below it): each
/// collection's path template (`/zones/{zone_id}/dns_records`) and the names of the endpoints
/// that act on it, in the order given.
pub fn collections(endpoints: &[&'static Endpoint]) -> BTreeMap<&'static str, Vec<&'static str>> {
    let roles = roles(endpoints);
    let mut found: BTreeMap<&'static str, Vec<&'static str>> = BTreeMap::new();
    for endpoint in endpoints {
        let Some(role) = roles.get(endpoint.name) else {
            continue;
        };
        let collection = match role {
            Role::Create | Role::List => Some(endpoint.template),
            _ => parent(endpoint.template),
        };
        if let Some(collection) = collection {
            found.entry(collection).or_default().push(endpoint.name);
        }
    }
    found
}

/// The template (or path) above `path`'s last segment when that segment is one `{param}` (for
/// a template) or any segment (for a path).
fn parent(template: &str) -> Option<&str> {
    let (parent, last) = template.rsplit_once('/')?;
    (last.starts_with('{') && last.ends_with('}') && !parent.is_empty()).then_some(parent)
}

/// The collections' items, by the collection's path as requested (`/zones/z1/dns_records`).
#[derive(Debug, Default)]
pub(super) struct Collections {
    items: BTreeMap<String, Vec<Value>>,
    /// Ids handed out so far.
    issued: u64,
}

impl Collections {
    /// What `role` does at `path` with the request `body` (JSON, for a create or a change);
    /// `template` is the created item's shape (the endpoint's documented data), which the
    /// body's keys are put over; `filters` are a list's query pairs that filter its items (see
    /// [`filters`]). The data to answer, or a 404 for an id not in the collection.
    pub fn apply(
        &mut self,
        role: Role,
        path: &str,
        body: &[u8],
        template: Value,
        filters: &[(String, String)],
    ) -> Result<Value, Refusal> {
        let sent = || match serde_json::from_slice::<Value>(body) {
            Ok(Value::Object(keys)) => keys,
            _ => Map::new(),
        };
        if matches!(role, Role::Create | Role::List) {
            let items = self.items.entry(path.to_owned()).or_default();
            if role == Role::List {
                // Only keys some item holds filter: a parameter of another kind (`order`,
                // `match`) is no item's key.
                let filters: Vec<&(String, String)> = filters
                    .iter()
                    .filter(|(key, _)| items.iter().any(|item| item.get(key).is_some()))
                    .collect();
                let kept = items
                    .iter()
                    .filter(|item| {
                        filters
                            .iter()
                            .all(|(key, value)| reads_as(&item[key], value))
                    })
                    .cloned()
                    .collect();
                return Ok(Value::Array(kept));
            }
            self.issued += 1;
            let mut item = match template {
                Value::Object(keys) => keys,
                _ => Map::new(),
            };
            item.extend(sent());
            item.insert("id".to_owned(), json!(format!("{:032x}", self.issued)));
            let item = Value::Object(item);
            items.push(item.clone());
            return Ok(item);
        }
        let (collection, id) = path.rsplit_once('/').unwrap_or(("", path));
        let id = percent_encoding::percent_decode_str(id).decode_utf8_lossy();
        let found = self.items.get_mut(collection).and_then(|items| {
            let at = items.iter().position(|item| item["id"] == *id)?;
            Some((items, at))
        });
        let Some((items, at)) = found else {
            return Err(Refusal {
                status: 404,
                code: CODE_NO_ROUTE,
                message: format!(
                    "Could not route to {path}, perhaps your object identifier is invalid?"
                ),
                source: None,
            });
        };
        match role {
            Role::Get => Ok(items[at].clone()),
            Role::Replace => {
                let mut item = sent();
                item.insert("id".to_owned(), json!(id));
                items[at] = Value::Object(item);
                Ok(items[at].clone())
            }
            Role::Update => {
                if let Value::Object(keys) = &mut items[at] {
                    keys.extend(sent());
                    keys.insert("id".to_owned(), json!(id));
                }
                Ok(items[at].clone())
            }
            // Cloudflare answers a delete with the id. (A create or a list returned above.)
            Role::Delete | Role::Create | Role::List => {
                items.remove(at);
                Ok(json!({ "id": id }))
            }
        }
    }
}

/// The query pairs of a request to a list `endpoint` that may filter its items: the documented
/// parameters, but for those that page it.
pub(super) fn filters(endpoint: &Endpoint, query: &[(String, String)]) -> Vec<(String, String)> {
    let paging: Vec<&str> = match endpoint.paging {
        Some(Pagination::Page { page, per_page }) => vec![page, per_page],
        Some(Pagination::Cursor { cursor, limit }) => {
            [Some(cursor), limit].into_iter().flatten().collect()
        }
        Some(Pagination::Offset { offset, limit }) => {
            [Some(offset), limit].into_iter().flatten().collect()
        }
        None => Vec::new(),
    };
    query
        .iter()
        .filter(|(name, _)| {
            !paging.contains(&name.as_str()) && endpoint.query.iter().any(|p| p.name == name)
        })
        .cloned()
        .collect()
}

/// Whether a scalar `value` reads as the query value `text` (`A`, `10`, `true`).
fn reads_as(value: &Value, text: &str) -> bool {
    match value {
        Value::String(s) => s == text,
        Value::Number(n) => n.to_string() == text,
        Value::Bool(b) => b.to_string() == text,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const fn endpoint(
        name: &'static str,
        method: &'static str,
        template: &'static str,
    ) -> Endpoint {
        Endpoint::bare(name, method, template)
    }

    #[test]
    fn a_collection_is_a_post_and_a_path_one_id_below_it() {
        static CREATE: Endpoint = endpoint("create", "POST", "/zones/{zone_id}/records");
        static LIST: Endpoint = endpoint("list", "GET", "/zones/{zone_id}/records");
        static GET: Endpoint = endpoint("get", "GET", "/zones/{zone_id}/records/{id}");
        static DELETE: Endpoint = endpoint("delete", "DELETE", "/zones/{zone_id}/records/{id}");
        static EXPORT: Endpoint = endpoint("export", "GET", "/zones/{zone_id}/records/export");
        // A POST with nothing below it is an action, not a collection.
        static PURGE: Endpoint = endpoint("purge", "POST", "/zones/{zone_id}/purge_cache");
        let all = [&CREATE, &LIST, &GET, &DELETE, &EXPORT, &PURGE];
        assert_eq!(
            collections(&all).into_iter().collect::<Vec<_>>(),
            [(
                "/zones/{zone_id}/records",
                vec!["create", "list", "get", "delete"]
            )]
        );
        let roles = roles(&all);
        assert_eq!(
            roles.into_iter().collect::<Vec<_>>(),
            [
                ("create", Role::Create),
                ("delete", Role::Delete),
                ("get", Role::Get),
                ("list", Role::List)
            ]
        );
    }
}
