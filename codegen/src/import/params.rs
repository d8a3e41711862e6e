//! Import stage, parameters: a schema operation's parameters as rows of an overlay's
//! `### Parameters` table (docs/FORMAT.md), or, for each one the table cannot say yet, the
//! reason.

use serde_json::Value;

use super::schema::{Operation, Schema};
use crate::ir::{CLIENT_HEADERS, Endpoint, is_header_name};

/// One `### Parameters` row, its cells as the table writes them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub name: String,
    /// `path`, `query` or `header`.
    pub location: &'static str,
    /// `string`, `integer[]`, `datetime`, ...
    pub ty: String,
    pub required: bool,
    pub values: Vec<String>,
    /// One line of Markdown, `|` escaped.
    pub description: String,
}

/// A parameter of the schema that is not imported, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub name: String,
    /// `query`, `header`, ... as the schema says.
    pub location: String,
    pub reason: String,
}

/// The rows for `endpoint`'s parameters in `op`, and what was left out. Path parameters are
/// named as the docs name them (matched by position) and listed only with a description.
pub fn parameters(
    schema: &Schema,
    op: &Operation,
    endpoint: &Endpoint,
) -> (Vec<Row>, Vec<Skipped>) {
    let mut rows: Vec<Row> = Vec::new();
    let mut skipped = Vec::new();
    let schema_path_params = op.path_params();
    for param in declared(schema, op) {
        let param = match schema.resolve(param) {
            Ok(p) => p,
            Err(reason) => {
                skipped.push(Skipped {
                    name: "?".into(),
                    location: "?".into(),
                    reason,
                });
                continue;
            }
        };
        let name = param.get("name").and_then(Value::as_str).unwrap_or("");
        let location = param.get("in").and_then(Value::as_str).unwrap_or("");
        let mut skip = |reason: String| {
            skipped.push(Skipped {
                name: name.to_owned(),
                location: location.to_owned(),
                reason,
            })
        };
        // Cloudflare often describes a parameter in its schema rather than beside its name.
        let description = one_line(
            param
                .get("description")
                .or_else(|| {
                    let s = schema.resolve(param.get("schema")?).ok()?;
                    s.get("description")
                })
                .and_then(Value::as_str),
        );
        match location {
            // The docs write `accounts` or `zones` there: a literal, no parameter.
            "path" if name == "accounts_or_zones" => {}
            "path" => {
                // The docs name path parameters their own way: the same place is the same one.
                let Some(doc_name) = schema_path_params
                    .iter()
                    .position(|p| p == name)
                    .filter(|_| schema_path_params.len() == endpoint.path_params.len())
                    .and_then(|i| endpoint.path_params.get(i))
                else {
                    skip("its place in the path does not match the docs' path".into());
                    continue;
                };
                if !description.is_empty() {
                    rows.push(Row {
                        name: doc_name.clone(),
                        location: "path",
                        ty: "string".into(),
                        required: true,
                        values: Vec::new(),
                        description,
                    });
                }
            }
            "query" => {
                if let Err(reason) = check_name(name) {
                    skip(reason);
                    continue;
                }
                if endpoint.path_params.iter().any(|p| p == name) {
                    skip("named like a path parameter of the docs' path".into());
                    continue;
                }
                if rows.iter().any(|r| r.location == "query" && r.name == name) {
                    skip("declared twice".into());
                    continue;
                }
                match query_type(schema, param) {
                    Ok((ty, values)) => rows.push(Row {
                        name: name.to_owned(),
                        location: "query",
                        ty,
                        required: param.get("required").and_then(Value::as_bool) == Some(true),
                        values,
                        description,
                    }),
                    Err(reason) => skip(reason),
                }
            }
            "header" => {
                let lower = name.to_ascii_lowercase();
                // A backtick or `|` is a token character, but no table cell holds it.
                if !is_header_name(name) || name.contains(['`', '|']) {
                    skip("its name is not a header name a table can hold".into());
                    continue;
                }
                if CLIENT_HEADERS.contains(&lower.as_str()) {
                    skip("a header the client sets from the credentials or the body".into());
                    continue;
                }
                if rows
                    .iter()
                    .any(|r| r.location == "header" && r.name.eq_ignore_ascii_case(name))
                {
                    skip("declared twice".into());
                    continue;
                }
                let resolved = param.get("schema").map(|s| schema.resolve(s));
                let typed = match resolved {
                    None => Err("no `schema` (a `content` parameter)".to_owned()),
                    Some(Err(reason)) => Err(reason),
                    Some(Ok(s)) if s.get("type").and_then(Value::as_str) == Some("array") => {
                        Err("an array header".to_owned())
                    }
                    Some(Ok(s)) => scalar(schema, s).map(|(ty, values)| {
                        // A credential is typed so that it is never printed.
                        let secret = ty == "string"
                            && values.is_empty()
                            && (s.get("format").and_then(Value::as_str) == Some("password")
                                || ["secret", "password", "token"]
                                    .iter()
                                    .any(|w| lower.contains(w)));
                        (if secret { "secret".to_owned() } else { ty }, values)
                    }),
                };
                match typed {
                    Ok((ty, values)) => rows.push(Row {
                        name: name.to_owned(),
                        location: "header",
                        ty,
                        required: param.get("required").and_then(Value::as_bool) == Some(true),
                        values,
                        description,
                    }),
                    Err(reason) => skip(reason),
                }
            }
            other => skip(format!("a parameter `in: {other}`")),
        }
    }
    (rows, skipped)
}

/// The operation's parameters: the path item's, then the operation's, an operation's
/// declaration replacing the path item's of the same name and location.
/// How the schema says `op` pages, by its query parameters: `cursor`, page numbers (`page`,
/// `per_page`) or an `offset`; `None` for an operation that does not page.
pub fn paging_kind(schema: &Schema, op: &Operation) -> Option<&'static str> {
    let names: Vec<&str> = declared(schema, op)
        .into_iter()
        .filter_map(|p| schema.resolve(p).ok())
        .filter(|p| p.get("in").and_then(Value::as_str) == Some("query"))
        .filter_map(|p| p.get("name").and_then(Value::as_str))
        .collect();
    let has = |n: &str| names.contains(&n);
    if has("cursor") {
        Some(PAGING_CURSOR)
    } else if has("page") || has("per_page") {
        Some(PAGING_PAGES)
    } else if has("offset") {
        Some(PAGING_OFFSET)
    } else {
        None
    }
}

/// The kinds of paging [`paging_kind`] tells apart.
pub const PAGING_CURSOR: &str = "a cursor";
pub const PAGING_PAGES: &str = "page numbers";
pub const PAGING_OFFSET: &str = "an offset";

fn declared<'a>(schema: &'a Schema, op: &Operation) -> Vec<&'a Value> {
    let list = |v: Option<&'a Value>| -> Vec<&'a Value> {
        v.and_then(|v| v.get("parameters"))
            .and_then(Value::as_array)
            .map(|a| a.iter().collect())
            .unwrap_or_default()
    };
    let key = |p: &Value| -> Option<(String, String)> {
        let p = schema.resolve(p).ok()?;
        Some((
            p.get("name")?.as_str()?.to_owned(),
            p.get("in")?.as_str()?.to_owned(),
        ))
    };
    let own = list(schema.operation_object(op));
    let own_keys: Vec<_> = own.iter().filter_map(|p| key(p)).collect();
    let mut out: Vec<&Value> = list(schema.path_item(op))
        .into_iter()
        .filter(|p| key(p).is_none_or(|k| !own_keys.contains(&k)))
        .collect();
    out.extend(own);
    out
}

/// What a wire name must be to sit in a code span of a table row.
fn check_name(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("no name".into());
    }
    if name.contains(|c: char| c.is_whitespace() || c == '`' || c == '|' || c.is_control()) {
        return Err("its name holds whitespace, a backtick or `|`".into());
    }
    Ok(())
}

/// The table's type and values for a query parameter's schema.
fn query_type(schema: &Schema, param: &Value) -> Result<(String, Vec<String>), String> {
    let Some(s) = param.get("schema") else {
        return Err("no `schema` (a `content` parameter)".into());
    };
    let s = schema.resolve(s)?;
    match param.get("style").and_then(Value::as_str) {
        None | Some("form") => {}
        Some("deepObject") => return Err("a `deepObject` parameter".into()),
        Some(other) => {
            return Err(format!(
                "a `{other}` parameter (overlays send `form` style)"
            ));
        }
    }
    match s.get("type").and_then(Value::as_str) {
        Some("array") => {
            // `form` style (a query's default): exploded (the default) repeats the key,
            // `explode: false` joins the elements with commas.
            let suffix = match param.get("explode").and_then(Value::as_bool) {
                Some(false) => "[,]",
                _ => "[]",
            };
            let items = s.get("items").ok_or("an array without `items`")?;
            let items = schema.resolve(items)?;
            let (ty, values) = scalar(schema, items)?;
            Ok((format!("{ty}{suffix}"), values))
        }
        _ => scalar(schema, s),
    }
}

/// A scalar schema's table type and enum values. A union of scalars is one parameter: of
/// their type when they share one (a date or a date-time: `datetime`; two enums of numbers:
/// their values), else `string`, as a query or header value is text whatever its type (a
/// timestamp that is "a unix time or an RFC 3339 date").
fn scalar(schema: &Schema, s: &Value) -> Result<(String, Vec<String>), String> {
    if s.get("allOf").is_some() {
        return Err("a union type (`anyOf`, `oneOf` or `allOf`)".into());
    }
    if let Some(branches) = ["anyOf", "oneOf"]
        .iter()
        .find_map(|k| s.get(*k).and_then(Value::as_array))
    {
        let mut types: Vec<(String, Vec<String>)> = Vec::new();
        for branch in branches {
            let branch = schema.resolve(branch)?;
            // A query cannot send `null`: the other branches say what it can send.
            if branch.get("type").and_then(Value::as_str) == Some("null") {
                continue;
            }
            let nested = branch.get("anyOf").is_some() || branch.get("oneOf").is_some();
            match scalar(schema, branch) {
                Ok(typed) if !nested => types.push(typed),
                _ => return Err("a union type (`anyOf`, `oneOf` or `allOf`)".into()),
            }
        }
        let Some((first, _)) = types.first() else {
            return Err("a union without variants".into());
        };
        if types.iter().any(|(t, _)| t != first) {
            return Ok(("string".to_owned(), Vec::new()));
        }
        // The values of the union, when every branch is an enum; else any value of the type.
        let mut values: Vec<String> = Vec::new();
        for (_, branch_values) in &types {
            if branch_values.is_empty() {
                return Ok((first.clone(), Vec::new()));
            }
            for v in branch_values {
                if !values.contains(v) {
                    values.push(v.clone());
                }
            }
        }
        return Ok((first.clone(), values));
    }
    let ty = match (
        s.get("type").and_then(Value::as_str),
        s.get("format").and_then(Value::as_str),
    ) {
        (Some("string"), Some("date-time" | "date")) => "datetime",
        (Some("string"), _) => "string",
        (Some("integer"), _) => "integer",
        (Some("number"), _) => "number",
        (Some("boolean"), _) => "boolean",
        (Some(other), _) => return Err(format!("a parameter of type `{other}`")),
        (None, _) => return Err("no `type`".into()),
    };
    let values = match (ty, s.get("enum").and_then(Value::as_array)) {
        ("boolean" | "datetime", _) | (_, None) => Vec::new(),
        (_, Some(values)) => enum_values(ty, values),
    };
    Ok((ty.to_owned(), values))
}

/// The enum's values as the table's `Values` cell takes them; none (a plain value of the type)
/// when one of them cannot be written there or does not fit the type.
fn enum_values(ty: &str, values: &[Value]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for value in values {
        let text = match value {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            _ => return Vec::new(),
        };
        let fits = match ty {
            "integer" => text.parse::<i64>().is_ok(),
            "number" => text.parse::<f64>().is_ok_and(f64::is_finite),
            _ => true,
        };
        if !fits || !writable_value(&text) {
            return Vec::new();
        }
        if !out.contains(&text) {
            out.push(text);
        }
    }
    out
}

/// A description on one line for a table cell: lines joined with spaces, `|` escaped. A
/// backslash right before a `|` gets a space after it: `\\|` would escape the backslash and
/// leave the pipe to end the cell.
pub(super) fn one_line(text: Option<&str>) -> String {
    text.unwrap_or("")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace("\\|", "\\ |")
        .replace('|', "\\|")
}

/// Whether `text` can be one value of a table's `Values` cell (a code span in a list split
/// at commas).
pub(super) fn writable_value(text: &str) -> bool {
    !text.is_empty()
        && !text.contains(['`', '|', ','])
        && !text.starts_with(' ')
        && !text.ends_with(' ')
        && !text.contains(char::is_control)
}
