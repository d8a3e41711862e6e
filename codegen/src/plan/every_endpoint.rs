//! Plan stage, the every-endpoint test: for each generated endpoint method, what to call it
//! with and what the local server answers (the body synthesized from the documented 2xx shape).
//!
//! The plan decides every value; [`crate::emit::every_endpoint`] only prints it. Bodies come
//! from the IR's documented shapes, not from the planned Rust types, so the test checks the
//! types against the docs rather than against themselves.

use super::model::{
    BodyStructDef, BodyTy, Case, DataLocation, EndpointPlan, EnumDef, ExampleValue, GroupCases,
    GroupPlan, ParamTy, ParamsPlan, PathPiece, Plan, Reply, ResultPlan,
};
use super::names;
use crate::ir::{Api, BodyEncoding, Endpoint, Method, Shape, ShapeKind, Status};

/// Every case of every group. `api` is what `plan` was planned from: endpoints are matched
/// to their documented responses by span.
pub fn cases(api: &Api, plan: &Plan) -> Vec<GroupCases> {
    crate::parallel::map(&plan.groups, |group| {
        let mut cases = Vec::new();
        for (endpoint, documented) in documented_endpoints(api, group) {
            cases.push(case(group, endpoint, documented, None));
            for variant in &endpoint.variants {
                cases.push(case(group, endpoint, documented, Some(&variant.fn_name)));
            }
        }
        GroupCases {
            module: group.module.clone(),
            feature: group.feature.clone(),
            accessor: group.accessor.clone(),
            cases,
        }
    })
}

/// The most cases one test binary holds. All 2,594 upstream endpoints in one test crate took
/// 7 min and 10.9 GiB of rustc on 2 cores (each call instantiates its result's decoder);
/// shards of this size build two at a time in a fraction of that memory.
pub const SHARD_CASES: usize = 300;

/// `groups` in order, cut into runs of whole groups of at most `max` cases each (a group
/// larger than that alone); always at least one, so a crate without endpoints still has
/// its test.
pub fn shards(groups: Vec<GroupCases>, max: usize) -> Vec<Vec<GroupCases>> {
    let mut shards: Vec<Vec<GroupCases>> = vec![Vec::new()];
    let mut size = 0;
    for group in groups {
        let n = group.cases.len();
        if size > 0 && size + n > max {
            shards.push(Vec::new());
            size = 0;
        }
        size += n;
        shards.last_mut().expect("one shard at least").push(group);
    }
    shards
}

/// A path value that only arrives intact if the client encodes it as one segment: a space,
/// `/`, `?`, `#`, an already-encoded `%2F` and non-ASCII text, with the parameter's name so
/// two swapped arguments are caught. The runtime refuses only empty and dot segments.
pub fn path_value(wire: &str) -> String {
    format!("{wire} a/b?c#d %2F é")
}

/// Each endpoint of `group` with the endpoint of `api`'s docs it was planned from (matched by
/// span; `None` if the docs no longer hold it).
pub(super) fn documented_endpoints<'a>(
    api: &'a Api,
    group: &'a GroupPlan,
) -> impl Iterator<Item = (&'a EndpointPlan, Option<&'a Endpoint>)> {
    let doc = api.docs.iter().find(|d| d.file == group.file);
    group.endpoints.iter().map(move |endpoint| {
        let documented = doc.and_then(|d| d.endpoints.iter().find(|e| e.span == endpoint.span));
        (endpoint, documented)
    })
}

/// The documented success status (the first 2xx that documents a body, else the first 2xx),
/// 200 when the docs give none or a range.
pub(super) fn success_status(documented: Option<&Endpoint>) -> u16 {
    match documented.and_then(Endpoint::success).map(|r| r.status) {
        Some(Status::Code(code)) => code,
        _ => 200,
    }
}

/// Whether the answer carries no body, whatever the docs show: a 204 or 205, or to a HEAD.
pub(super) fn without_body(endpoint: &EndpointPlan, status: u16) -> bool {
    matches!(status, 204 | 205) || endpoint.method == Method::Head
}

/// Where the plan reads the data: the envelope's keys, or none for the whole body.
pub(super) fn data_at(endpoint: &EndpointPlan) -> Vec<String> {
    match &endpoint.result {
        ResultPlan::Json {
            at: DataLocation::Envelope(keys),
            ..
        } => keys.clone(),
        _ => Vec::new(),
    }
}

/// The endpoint's path template, every parameter written `{wire}` (no fragment).
pub(super) fn template(endpoint: &EndpointPlan) -> String {
    endpoint
        .path_parts
        .iter()
        .map(|piece| match piece {
            PathPiece::Literal(text) => text.clone(),
            PathPiece::Param { wire, .. } => format!("{{{wire}}}"),
        })
        .collect()
}

/// `variant`: the raw-body variant of `endpoint` with this method name, if not the endpoint
/// itself.
fn case(
    group: &GroupPlan,
    endpoint: &EndpointPlan,
    documented: Option<&Endpoint>,
    variant: Option<&str>,
) -> Case {
    let (module, enums) = (&group.module, &group.enums[..]);
    let fn_name = variant.unwrap_or(&endpoint.fn_name).to_owned();
    let success = documented.and_then(Endpoint::success);
    let status = success_status(documented);
    let no_body = without_body(endpoint, status);
    // Where the plan reads the data, the server puts it (the whole body, without an envelope).
    let data_at = data_at(endpoint);
    let setters = endpoint.params.as_ref().map(|p| every_setter(p, enums));
    let reply = match (&endpoint.result, variant, success) {
        (ResultPlan::Json { .. }, None, Some(response)) => {
            let mut data = String::new();
            synthesize(&response.shape, &mut data);
            Reply::Json(if no_body {
                String::new()
            } else {
                envelope(&data_at, &data)
            })
        }
        _ if no_body => Reply::Raw(String::new()),
        _ => Reply::Raw(format!("raw body of {module}::{fn_name}")),
    };
    Case {
        label: format!("{module}::{fn_name}"),
        fn_name,
        method: endpoint.method,
        template: template(endpoint),
        path_values: endpoint
            .path_args
            .iter()
            .map(|arg| (arg.wire.clone(), path_value(&arg.wire)))
            .collect(),
        query: query_pairs(endpoint, setters.as_deref(), variant, enums),
        headers: header_pairs(endpoint, setters.as_deref(), enums),
        params: endpoint
            .params
            .as_ref()
            .zip(setters)
            .map(|(p, setters)| (p.name.clone(), setters)),
        request_type: match (&endpoint.body, &endpoint.raw_body) {
            (Some(b), _) => match b.encoding {
                BodyEncoding::Multipart => "multipart/form-data".to_owned(),
                BodyEncoding::Form => "application/x-www-form-urlencoded".to_owned(),
                _ => b
                    .media_type
                    .clone()
                    .unwrap_or_else(|| "application/json".to_owned()),
            },
            (None, Some(raw)) => raw.media_type.clone(),
            (None, None) => String::new(),
        },
        json_fields: endpoint.body.as_ref().map_or_else(Vec::new, |b| {
            let mut paths = Vec::new();
            let roots: Vec<&str> = match &b.example {
                ExampleValue::Union { ty, .. } => group
                    .body_unions
                    .iter()
                    .find(|u| &u.name == ty)
                    .map(|u| u.variants.iter().map(|(_, s, _)| s.as_str()).collect())
                    .unwrap_or_default(),
                _ if b.name.is_empty() => Vec::new(),
                _ => vec![b.name.as_str()],
            };
            for root in roots {
                json_paths(group, root, "", 0, &mut paths);
            }
            paths.sort();
            paths.dedup();
            paths
        }),
        body: endpoint
            .body
            .as_ref()
            .map(|b| {
                let value = match &b.example {
                    // An array or a map of one element, every field of it set.
                    _ if b.wrap.is_some() => {
                        let wrap = b.wrap.clone().unwrap_or(BodyTy::Value);
                        let value = body_value(group, &wrap, "item", 0);
                        ExampleValue::Owned {
                            ty: wrap,
                            value: Box::new(value),
                        }
                    }
                    // The first variant, every field set.
                    ExampleValue::Union { ty, variant, value } => match value.as_ref() {
                        ExampleValue::Struct { ty: inner, .. } => ExampleValue::Union {
                            ty: ty.clone(),
                            variant: variant.clone(),
                            value: Box::new(every_body_field(group, inner)),
                        },
                        _ => b.example.clone(),
                    },
                    _ => every_body_field(group, &b.name),
                };
                let text = match b.encoding {
                    BodyEncoding::Multipart => multipart_text(group, &value),
                    BodyEncoding::Form => form_text(group, &value),
                    _ => json_text(group, &value),
                };
                (b.arg.clone(), value, text)
            })
            .or_else(|| {
                let raw = endpoint.raw_body.as_ref()?;
                let text = format!("raw request body of {module}::{}", endpoint.fn_name);
                Some((raw.arg.clone(), ExampleValue::Str(text.clone()), text))
            }),
        status,
        reply,
        data_at,
    }
}

/// The dotted paths (array indices left out, a map's test key `key` in) of the fields typed
/// `json` in the body struct `name`, below `prefix`; `depth` bounds a recursive type.
fn json_paths(group: &GroupPlan, name: &str, prefix: &str, depth: usize, out: &mut Vec<String>) {
    let Some(def) = body_struct(group, name).filter(|_| depth < 16) else {
        return;
    };
    for field in &def.fields {
        let mut path = format!("{prefix}{}", field.wire);
        let mut ty = &field.ty;
        loop {
            match ty {
                BodyTy::Vec(element) => ty = element,
                BodyTy::Map(element) => {
                    path.push_str(".key");
                    ty = element;
                }
                _ => break,
            }
        }
        match ty {
            BodyTy::Value => out.push(path),
            BodyTy::Struct(inner) => json_paths(group, inner, &format!("{path}."), depth + 1, out),
            _ => {}
        }
    }
}

/// The body struct `name` (or the struct it aliases) with every field set, recursively, each
/// to a value naming its key (a tag to its value).
fn every_body_field(group: &GroupPlan, name: &str) -> ExampleValue {
    let def = body_struct(group, name);
    let setters = def.map_or_else(Vec::new, |def| {
        // Of a group of which one is required, the first only: the schema's variants take
        // one each (Browser Rendering's `url` or `html`, each variant refusing the other).
        let first_of = def
            .fields
            .iter()
            .find(|f| f.one_of)
            .map(|f| f.rust.as_str());
        def.fields
            .iter()
            .enumerate()
            .filter(|(_, f)| !f.one_of || Some(f.rust.as_str()) == first_of)
            .map(|(i, f)| {
                // A tag (a variant's one documented value) is sent as documented: a value
                // naming the field would make the body no variant at all.
                let value = match &f.preset {
                    Some(tag) => ExampleValue::Str(tag.clone()),
                    None => body_value(group, &f.ty, &f.wire, i),
                };
                (f.rust.clone(), value)
            })
            .collect()
    });
    ExampleValue::Struct {
        ty: name.to_owned(),
        setters,
    }
}

fn body_struct<'g>(group: &'g GroupPlan, name: &str) -> Option<&'g BodyStructDef> {
    let target = group
        .aliases
        .iter()
        .find(|a| a.name == name)
        .map_or(name, |a| a.target.as_str());
    group.bodies.iter().find(|b| b.name == target)
}

/// A field's value: text naming it (with characters JSON escapes), its position counted from 1
/// (a float, that over 128: a fraction below 1 that binary writes exactly, inside the bounds
/// most numbers of the schema have, such as a probability), `false`, an enum's first value,
/// one element or entry.
fn body_value(group: &GroupPlan, ty: &BodyTy, wire: &str, index: usize) -> ExampleValue {
    match ty {
        BodyTy::String | BodyTy::Value => ExampleValue::Str(format!("{wire} \"q\" \\ é")),
        BodyTy::DateTime => ExampleValue::Str("2024-10-30T00:00:00+00:00".to_owned()),
        BodyTy::I64 => ExampleValue::Int(i64::try_from(index).map_or(1, |i| i + 1)),
        BodyTy::F64 => ExampleValue::Float(fraction(index)),
        BodyTy::Bool => ExampleValue::Bool(false),
        BodyTy::Enum(name) => names::first_variant(&group.enums, name, wire),
        BodyTy::Struct(name) => every_body_field(group, name),
        BodyTy::File => ExampleValue::File {
            name: format!("{wire} \"q\".txt"),
            media_type: "text/plain".to_owned(),
            content: format!("{wire} content\r\n--not-a-boundary"),
        },
        BodyTy::Vec(element) => ExampleValue::List(Box::new(super::bodies::owned(
            element,
            body_value(group, element, wire, index),
        ))),
        BodyTy::Map(element) => ExampleValue::Map(Box::new(super::bodies::owned(
            element,
            body_value(group, element, wire, index),
        ))),
    }
}

/// A distinct number per field position `index`: `(index + 1) / 128`, exact in binary (so it
/// prints as written) and below 1 for the first 127 fields.
fn fraction(index: usize) -> f64 {
    (index % 127 + 1) as f64 / 128.0
}

/// The multipart body a body struct value must send, with the boundary `BOUNDARY`: a part
/// per set field, in field order (see `runtime::Multipart::field`).
fn multipart_text(group: &GroupPlan, value: &ExampleValue) -> String {
    let ExampleValue::Struct { ty, setters } = value else {
        return String::new();
    };
    let def = body_struct(group, ty);
    let mut out = String::new();
    let mut part = |name: &str, file: Option<&str>, media: Option<&str>, content: &str| {
        let quoted = |s: &str| {
            s.replace('"', "%22")
                .replace('\r', "%0D")
                .replace('\n', "%0A")
        };
        out.push_str(&format!(
            "--BOUNDARY\r\nContent-Disposition: form-data; name=\"{}\"",
            quoted(name)
        ));
        if let Some(file) = file {
            out.push_str(&format!("; filename=\"{}\"", quoted(file)));
        }
        out.push_str("\r\n");
        if let Some(media) = media {
            out.push_str(&format!("Content-Type: {media}\r\n"));
        }
        out.push_str(&format!("\r\n{content}\r\n"));
    };
    for (setter, value) in setters {
        let Some(field) = def.and_then(|d| d.fields.iter().find(|f| &f.rust == setter)) else {
            continue;
        };
        let name = field.wire.as_str();
        let element = match value {
            ExampleValue::List(element) => element.as_ref(),
            other => other,
        };
        match (value, element) {
            (
                _,
                ExampleValue::File {
                    name: file,
                    media_type,
                    content,
                },
            ) => part(name, Some(file), Some(media_type), content),
            // Scalars (a list of them: a part each, here one) are text.
            (
                _,
                ExampleValue::Str(_)
                | ExampleValue::Int(_)
                | ExampleValue::Float(_)
                | ExampleValue::Bool(_)
                | ExampleValue::Variant { .. },
            ) => part(name, None, None, &query_text(element, &group.enums)),
            _ => part(
                name,
                None,
                Some("application/json"),
                &json_text(group, value),
            ),
        }
    }
    out.push_str("--BOUNDARY--\r\n");
    out
}

/// The form body a body struct value must send: its fields as pairs, form-encoded.
fn form_text(group: &GroupPlan, value: &ExampleValue) -> String {
    let ExampleValue::Struct { ty, setters } = value else {
        return String::new();
    };
    let def = body_struct(group, ty);
    let pairs = setters.iter().filter_map(|(setter, value)| {
        let field = def?.fields.iter().find(|f| &f.rust == setter)?;
        Some((field.wire.clone(), query_text(value, &group.enums)))
    });
    url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
}

/// The JSON a body value serializes to, keys in field order, as `serde_json::to_vec` writes
/// it: what the request must carry, byte for byte.
fn json_text(group: &GroupPlan, value: &ExampleValue) -> String {
    let string = |s: &str| serde_json::to_string(s).unwrap_or_default();
    match value {
        ExampleValue::Str(text) => string(text),
        ExampleValue::Int(n) => n.to_string(),
        ExampleValue::Float(x) => serde_json::to_string(x).unwrap_or_default(),
        ExampleValue::Bool(b) => b.to_string(),
        ExampleValue::Variant { .. } => string(&query_text(value, &group.enums)),
        ExampleValue::List(element) => format!("[{}]", json_text(group, element)),
        ExampleValue::Map(element) => format!("{{\"key\":{}}}", json_text(group, element)),
        ExampleValue::Owned { value, .. } | ExampleValue::Union { value, .. } => {
            json_text(group, value)
        }
        // A file is a part of its own, never inside JSON (the overlay parser sees to it).
        ExampleValue::File { .. } => String::new(),
        ExampleValue::Struct { ty, setters } => {
            let def = body_struct(group, ty);
            let members: Vec<String> = setters
                .iter()
                .filter_map(|(setter, value)| {
                    let field = def?.fields.iter().find(|f| &f.rust == setter)?;
                    Some(format!(
                        "{}:{}",
                        string(&field.wire),
                        json_text(group, value)
                    ))
                })
                .collect();
            format!("{{{}}}", members.join(","))
        }
    }
}

/// Every field of `params` set, in order, each to its [`param_value`].
fn every_setter(params: &ParamsPlan, enums: &[EnumDef]) -> Vec<(String, ExampleValue)> {
    let mut date_times = 0;
    params
        .fields
        .iter()
        .enumerate()
        .map(|(i, field)| {
            let value = match field.ty {
                // A header value is visible ASCII: the query's test characters without `é`.
                ParamTy::String | ParamTy::Secret if field.header => {
                    ExampleValue::Str(format!("{} a&b=c+d#e", field.wire))
                }
                _ => param_value(&field.ty, &field.wire, i, enums, &mut date_times),
            };
            (field.rust.clone(), value)
        })
        .collect()
}

/// What `setters` (the [`every_setter`] of the endpoint's parameters) must put in the query
/// string, then what the raw-body `variant` adds (`format=csv`).
fn query_pairs(
    endpoint: &EndpointPlan,
    setters: Option<&[(String, ExampleValue)]>,
    variant: Option<&str>,
    enums: &[EnumDef],
) -> Vec<(String, String)> {
    let mut pairs = sent_pairs(endpoint, setters, enums, false);
    let variant = endpoint
        .variants
        .iter()
        .find(|v| Some(v.fn_name.as_str()) == variant);
    // As `Request::set_query_pair` does: the variant's value replaces the parameter's, in
    // its place, or is appended.
    for (key, value) in variant.map_or(&[][..], |v| &v.query[..]) {
        match pairs.iter().position(|(k, _)| k == key) {
            Some(first) => {
                pairs[first].1.clone_from(value);
                let mut i = 0;
                pairs.retain(|(k, _)| {
                    i += 1;
                    i - 1 <= first || k != key
                });
            }
            None => pairs.push((key.clone(), value.clone())),
        }
    }
    pairs
}

/// What `setters` must send as headers, in field order.
fn header_pairs(
    endpoint: &EndpointPlan,
    setters: Option<&[(String, ExampleValue)]>,
    enums: &[EnumDef],
) -> Vec<(String, String)> {
    sent_pairs(endpoint, setters, enums, true)
}

/// The (wire name, text) of every parameter `setters` set that is sent as a header
/// (`header`) or in the query string.
fn sent_pairs(
    endpoint: &EndpointPlan,
    setters: Option<&[(String, ExampleValue)]>,
    enums: &[EnumDef],
    header: bool,
) -> Vec<(String, String)> {
    match (&endpoint.params, setters) {
        (Some(params), Some(setters)) => params
            .fields
            .iter()
            .zip(setters)
            .filter(|(field, _)| field.header == header)
            .map(|(field, (_, value))| (field.wire.clone(), query_text(value, enums)))
            .collect(),
        _ => Vec::new(),
    }
}

/// The value the test gives the `index`th parameter, `wire` on the wire: a string names its
/// parameter and holds the characters a query string must encode (so a swapped or badly
/// encoded pair is caught), an integer is its position counted from 1, a float that over 128
/// ([`fraction`]: no integer formatting produces it), a boolean `false`; anything else is
/// what the doc examples use ([`names::example_value`]).
fn param_value(
    ty: &ParamTy,
    wire: &str,
    index: usize,
    enums: &[EnumDef],
    date_times: &mut usize,
) -> ExampleValue {
    match ty {
        ParamTy::String => ExampleValue::Str(format!("{wire} a&b=c+d#e é")),
        ParamTy::I64 => ExampleValue::Int(i64::try_from(index).map_or(1, |i| i + 1)),
        ParamTy::F64 => ExampleValue::Float(fraction(index)),
        // Not the doc examples' `true`: a raw-body variant's `export=true` must replace it.
        ParamTy::Bool => ExampleValue::Bool(false),
        // One element: the same query text whether the list repeats its key or joins.
        ParamTy::List(element) | ParamTy::Joined(element) => ExampleValue::List(Box::new(
            param_value(element, wire, index, enums, date_times),
        )),
        other => names::example_value(other, enums, date_times),
    }
}

/// `value` as one query value, before encoding: a variant's documented wire value, a number
/// as JSON writes it, a list's one element.
fn query_text(value: &ExampleValue, enums: &[EnumDef]) -> String {
    match value {
        ExampleValue::Str(text) => text.clone(),
        ExampleValue::Int(n) => n.to_string(),
        ExampleValue::Float(x) => {
            serde_json::Number::from_f64(*x).map_or_else(String::new, |n| n.to_string())
        }
        ExampleValue::Bool(b) => b.to_string(),
        ExampleValue::Variant { ty, variant } => enums
            .iter()
            .find(|e| &e.name == ty)
            .and_then(|e| e.variants.iter().find(|(_, v)| v == variant))
            .map_or_else(|| variant.clone(), |(wire, _)| wire.clone()),
        ExampleValue::List(element) | ExampleValue::Map(element) => query_text(element, enums),
        ExampleValue::Owned { value, .. } | ExampleValue::Union { value, .. } => {
            query_text(value, enums)
        }
        // Query parameters are never objects or files.
        ExampleValue::Struct { .. } | ExampleValue::File { .. } => String::new(),
    }
}

/// `data` at `keys` in a successful Cloudflare envelope; the body itself for no keys
/// (`Data is at `body``).
fn envelope(keys: &[String], data: &str) -> String {
    let Some((first, rest)) = keys.split_first() else {
        return data.to_owned();
    };
    let mut inner = data.to_owned();
    for key in rest.iter().rev() {
        inner = format!("{{{}:{inner}}}", json_string(key));
    }
    let mut out = String::from(r#"{"success":true,"errors":[],"messages":[],"#);
    out.push_str(&json_string(first));
    out.push(':');
    out.push_str(&inner);
    out.push('}');
    out
}

/// The key every synthesized object carries besides its documented ones (with `_` appended
/// while a documented key has that name), and its value: the client must keep it on the
/// decoded item and write it back, as the official SDKs keep fields their types do not list.
pub const UNDOCUMENTED: (&str, &str) = ("undocumented", r#"{"kept":[1,"two"]}"#);

/// One JSON value of `shape`, keys in documented order then [`UNDOCUMENTED`]: the first of an
/// enum's values, one element for an array (and a `null` after it when elements may be
/// `null`, as in a map), `null` for a shape the docs could not describe.
pub fn synthesize(shape: &Shape, out: &mut String) {
    synthesize_with(shape, out, true);
}

/// [`synthesize`], each object with [`UNDOCUMENTED`] only when `undocumented`: without, what
/// the docs show and nothing else (the mock's default data).
pub fn synthesize_with(shape: &Shape, out: &mut String, undocumented: bool) {
    let synthesize = |shape: &Shape, out: &mut String| synthesize_with(shape, out, undocumented);
    match &shape.kind {
        ShapeKind::String => out.push_str(r#""string""#),
        ShapeKind::Integer => out.push('1'),
        ShapeKind::Number => out.push_str("1.5"),
        ShapeKind::Boolean => out.push_str("true"),
        ShapeKind::Unknown | ShapeKind::NoBody => out.push_str("null"),
        ShapeKind::FreeformObject => out.push_str("{}"),
        ShapeKind::Enum { values } => match values.first() {
            Some(value) => out.push_str(&json_string(value)),
            None => out.push_str(r#""string""#),
        },
        ShapeKind::Object { fields } => {
            out.push('{');
            for (i, field) in fields.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&json_string(&field.name));
                out.push(':');
                synthesize(&field.shape, out);
            }
            if undocumented {
                let mut key = UNDOCUMENTED.0.to_owned();
                while fields.iter().any(|field| field.name == key) {
                    key.push('_');
                }
                if !fields.is_empty() {
                    out.push(',');
                }
                out.push_str(&json_string(&key));
                out.push(':');
                out.push_str(UNDOCUMENTED.1);
            }
            out.push('}');
        }
        // Every variant of a union, so that each decodes to its own.
        ShapeKind::Array { element } => {
            out.push('[');
            match &element.kind {
                ShapeKind::OneOf { variants, .. } => {
                    for (i, variant) in variants.iter().enumerate() {
                        if i > 0 {
                            out.push(',');
                        }
                        synthesize(variant, out);
                    }
                }
                _ => synthesize(element, out),
            }
            // An element that may be `null` is also sent as one.
            if matches!(element.kind, ShapeKind::Nullable { .. }) {
                out.push_str(",null");
            }
            out.push(']');
        }
        ShapeKind::Map { value } => {
            out.push_str(r#"{"key":"#);
            synthesize(value, out);
            if matches!(value.kind, ShapeKind::Nullable { .. }) {
                out.push_str(r#","null":null"#);
            }
            out.push('}');
        }
        // A field's `null` reads as absent, which writes back as nothing: the value itself.
        ShapeKind::Nullable { value } => synthesize(value, out),
        ShapeKind::OneOf { variants, .. } => match variants.first() {
            Some(variant) => synthesize(variant, out),
            None => out.push_str("null"),
        },
    }
}

fn json_string(text: &str) -> String {
    serde_json::Value::String(text.to_owned()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(json: &str) -> Shape {
        let source = format!(
            "# T\n\n## S\n\n**GET** `/x`\n\n### Responses\n\n#### 200 ok\n\n```json\n{json}\n```\n"
        );
        let (api, diagnostics) = crate::parse::parse_api(&[("t.md".to_owned(), source)]);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        api.docs[0].endpoints[0].responses[0].shape.clone()
    }

    #[test]
    fn bodies_follow_the_documented_shape() {
        let mut out = String::new();
        synthesize(
            &shape(
                r#"{"b": "*integer*", "a": [{"x": "*enum: on | off*", "y": null, "z": {}}], "n": "*number*", "t": "*boolean*"}"#,
            ),
            &mut out,
        );
        assert_eq!(
            out,
            r#"{"b":1,"a":[{"x":"on","y":null,"z":{},"undocumented":{"kept":[1,"two"]}}],"n":1.5,"t":true,"undocumented":{"kept":[1,"two"]}}"#
        );
    }

    #[test]
    fn the_undocumented_key_is_never_a_documented_one() {
        let mut out = String::new();
        synthesize(
            &shape(r#"{"undocumented": "*string*", "undocumented_": "*integer*"}"#),
            &mut out,
        );
        assert_eq!(
            out,
            r#"{"undocumented":"string","undocumented_":1,"undocumented__":{"kept":[1,"two"]}}"#
        );
    }

    #[test]
    fn data_sits_where_the_note_says() {
        let keys = |k: &[&str]| k.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert_eq!(envelope(&[], "1"), "1");
        assert_eq!(
            envelope(&keys(&["result"]), "1"),
            r#"{"success":true,"errors":[],"messages":[],"result":1}"#
        );
        assert_eq!(
            envelope(&keys(&["result", "a b"]), "1"),
            r#"{"success":true,"errors":[],"messages":[],"result":{"a b":1}}"#
        );
    }

    #[test]
    fn shards_hold_whole_groups_up_to_the_limit() {
        let group = |module: &str, n: usize| GroupCases {
            module: module.to_owned(),
            feature: module.to_owned(),
            accessor: module.to_owned(),
            cases: vec![
                Case {
                    label: String::new(),
                    fn_name: String::new(),
                    method: Method::Get,
                    template: String::new(),
                    path_values: Vec::new(),
                    params: None,
                    query: Vec::new(),
                    headers: Vec::new(),
                    body: None,
                    request_type: String::new(),
                    json_fields: Vec::new(),
                    status: 200,
                    reply: Reply::Raw(String::new()),
                    data_at: Vec::new(),
                };
                n
            ],
        };
        let modules = |shards: Vec<Vec<GroupCases>>| {
            shards
                .iter()
                .map(|s| {
                    s.iter()
                        .map(|g| g.module.as_str())
                        .collect::<Vec<_>>()
                        .join(" ")
                })
                .collect::<Vec<_>>()
        };
        let groups = vec![group("a", 2), group("b", 2), group("c", 5), group("d", 1)];
        assert_eq!(modules(shards(groups, 4)), ["a b", "c", "d"]);
        assert_eq!(shards(Vec::new(), 4).len(), 1);
    }

    #[test]
    fn path_values_need_encoding_and_name_their_parameter() {
        let value = path_value("zone_id");
        assert!(value.starts_with("zone_id"));
        for c in [' ', '/', '?', '#', '%', 'é'] {
            assert!(value.contains(c), "{c}");
        }
    }
}
