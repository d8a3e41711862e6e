//! Import stage, schema access: Cloudflare's OpenAPI document read as JSON, `$ref`s followed
//! (bounded, so a cyclic or missing reference is a reason, never a hang), and each documented
//! endpoint matched to its operation by method and path, path parameters by position.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::ir::{Endpoint, Method};

/// How many `$ref`s one lookup follows before it gives up (a cycle, or an absurd chain).
const MAX_REFS: usize = 32;

/// The schema, with its operations indexed by method and path shape.
pub struct Schema {
    root: Value,
    /// (method, segment count) → the operations of that shape, in path order.
    by_shape: BTreeMap<(Method, usize), Vec<Operation>>,
}

/// One operation of the schema: where it is, its path template split into segments.
#[derive(Clone)]
pub struct Operation {
    /// The schema's path template (`/zones/{zone_id}/dns_records`).
    pub path: String,
    segments: Vec<Segment>,
    method_key: &'static str,
}

#[derive(Clone)]
enum Segment {
    /// Literal text, with parameters written `{}` (`{}.png`).
    Text(String),
    /// `{accounts_or_zones}`: the literal `accounts` or `zones` of the docs.
    AccountsOrZones,
}

impl Schema {
    /// Parses the schema's JSON text; `Err` says why it is not an OpenAPI document.
    pub fn parse(text: &str) -> Result<Schema, String> {
        let root: Value =
            serde_json::from_str(text).map_err(|e| format!("the schema is not JSON: {e}"))?;
        let Some(paths) = root.get("paths").and_then(Value::as_object) else {
            return Err("the schema has no `paths` object".into());
        };
        let mut by_shape: BTreeMap<(Method, usize), Vec<Operation>> = BTreeMap::new();
        for (path, item) in paths {
            let Some(item) = item.as_object() else {
                continue;
            };
            for (key, method) in METHODS {
                if !item.contains_key(*key) {
                    continue;
                }
                let segments = segments(path);
                by_shape
                    .entry((*method, segments.len()))
                    .or_default()
                    .push(Operation {
                        path: path.clone(),
                        segments,
                        method_key: key,
                    });
            }
        }
        Ok(Schema { root, by_shape })
    }

    /// The operation documenting `endpoint`: same method, same literal segments, parameters
    /// at the same places (named freely); `{accounts_or_zones}` stands for `accounts` or
    /// `zones`. `Err` says why there is none: no operation fits, or more than one does.
    pub fn operation(&self, endpoint: &Endpoint) -> Result<&Operation, &'static str> {
        const NONE: &str = "not in the schema (no operation with its method and path)";
        const SEVERAL: &str = "several schema operations fit its method and path";
        let doc = segments(&endpoint.path);
        let candidates = self
            .by_shape
            .get(&(endpoint.method, doc.len()))
            .ok_or(NONE)?;
        let mut fitting = candidates.iter().filter(|op| {
            op.segments.iter().zip(&doc).all(|(s, d)| match (s, d) {
                (Segment::Text(s), Segment::Text(d)) => s == d,
                (Segment::AccountsOrZones, Segment::Text(d)) => d == "accounts" || d == "zones",
                _ => false,
            })
        });
        let first = fitting.next().ok_or(NONE)?;
        // Two shapes fitting one endpoint (a literal and `{accounts_or_zones}`, say): the
        // literal one is the more specific.
        match fitting.next() {
            None => Ok(first),
            Some(_) if fitting.next().is_some() => Err(SEVERAL),
            Some(second) => {
                let literal = |op: &Operation| {
                    !op.segments
                        .iter()
                        .any(|s| matches!(s, Segment::AccountsOrZones))
                };
                match (literal(first), literal(second)) {
                    (true, false) => Ok(first),
                    (false, true) => Ok(second),
                    _ => Err(SEVERAL),
                }
            }
        }
    }

    /// The operation object itself.
    pub fn operation_object(&self, op: &Operation) -> Option<&Value> {
        self.root.get("paths")?.get(&op.path)?.get(op.method_key)
    }

    /// The path item of the operation (for the parameters every method of the path shares).
    pub fn path_item(&self, op: &Operation) -> Option<&Value> {
        self.root.get("paths")?.get(&op.path)
    }

    /// `value` with `$ref`s followed; `Err` names a reference that cannot be followed.
    pub fn resolve<'a>(&'a self, mut value: &'a Value) -> Result<&'a Value, String> {
        for _ in 0..MAX_REFS {
            let Some(reference) = value.get("$ref").and_then(Value::as_str) else {
                return Ok(value);
            };
            let Some(pointer) = reference.strip_prefix('#') else {
                return Err(format!("an external reference `{reference}`"));
            };
            value = self
                .root
                .pointer(pointer)
                .ok_or_else(|| format!("a reference to nothing: `{reference}`"))?;
        }
        Err(format!(
            "more than {MAX_REFS} references in a row (a cycle?)"
        ))
    }

    /// What one `$ref` (`#/components/schemas/x`) points at, not following it further.
    pub fn pointer(&self, reference: &str) -> Result<&Value, String> {
        let Some(pointer) = reference.strip_prefix('#') else {
            return Err(format!("an external reference `{reference}`"));
        };
        self.root
            .pointer(pointer)
            .ok_or_else(|| format!("a reference to nothing: `{reference}`"))
    }

    /// Every operation of the schema, for listing those the docs lack.
    pub fn operations(&self) -> impl Iterator<Item = (Method, &Operation)> {
        self.by_shape
            .iter()
            .flat_map(|((method, _), ops)| ops.iter().map(move |op| (*method, op)))
    }
}

impl Operation {
    /// The names of the operation's path parameters, in order, `{accounts_or_zones}` aside
    /// (the docs write a literal there).
    pub fn path_params(&self) -> Vec<String> {
        let mut names = Vec::new();
        let mut rest = self.path.as_str();
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}') else {
                break;
            };
            let name = &rest[open + 1..open + close];
            if name != "accounts_or_zones" {
                names.push(name.to_owned());
            }
            rest = &rest[open + close + 1..];
        }
        names
    }
}

const METHODS: &[(&str, Method)] = &[
    ("get", Method::Get),
    ("head", Method::Head),
    ("options", Method::Options),
    ("post", Method::Post),
    ("put", Method::Put),
    ("patch", Method::Patch),
    ("delete", Method::Delete),
];

/// A path template's segments with every parameter written `{}`.
fn segments(path: &str) -> Vec<Segment> {
    path.split('/')
        .filter(|s| !s.is_empty())
        .map(|s| {
            if s == "{accounts_or_zones}" {
                return Segment::AccountsOrZones;
            }
            let mut out = String::new();
            let mut in_param = false;
            for c in s.chars() {
                match c {
                    '{' => {
                        in_param = true;
                        out.push_str("{}");
                    }
                    '}' => in_param = false,
                    c if !in_param => out.push(c),
                    _ => {}
                }
            }
            Segment::Text(out)
        })
        .collect()
}
