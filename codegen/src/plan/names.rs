//! Plan stage, names: every name the plan gives the emitter.
//!
//! A group's module, Cargo feature, `Client` accessor and handle type; endpoint functions,
//! raw-body variants and path arguments; parameter fields and setters; and the values doc
//! examples pass. Each comes from the group's own doc only, so adding or removing another doc
//! renames nothing, and each stays out of the names [`reserved`] keeps for its scope. The
//! emitter prints these strings as they are.

use std::collections::{BTreeMap, BTreeSet};

use super::model::{EnumDef, ExampleValue, ParamField, ParamTy, PathArg, PathPiece};
use crate::ir::{Doc, Endpoint, Method, ParamLocation, PathPart};
use crate::names::{Case, Namer, ident, reserved};
use crate::rustdoc;

/// The names of one group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupNames {
    /// The module (`audit_logs`); never a name the crate root already has.
    pub module: String,
    /// The Cargo feature gating the module (`audit-logs`).
    pub feature: String,
    /// The method on `Client` that returns the handle: the module name, unless `Client`
    /// already has a method of that name (then `<module>_api`).
    pub accessor: String,
    /// The handle type (`AuditLogs`).
    pub handle: String,
}

pub fn group_names(doc: &Doc) -> GroupNames {
    let mut module = ident(&doc.group, Case::Snake);
    // The crate root re-exports every group module beside these hand-written ones.
    if reserved::CRATE_ROOT.contains(&module.as_str()) {
        module.push_str("_api");
    }
    let taken = |name: &str| {
        reserved::CLIENT_METHODS.contains(&name) || reserved::BY_VALUE_CONVERSIONS.contains(&name)
    };
    let accessor = if taken(&module) {
        format!("{module}_api")
    } else {
        module.clone()
    };
    // From the sanitised module name, so any file name gives a valid Cargo feature name.
    let mut feature = module.replace('_', "-");
    if reserved::FEATURES.contains(&feature.as_str()) {
        feature.push_str("-api");
    }
    GroupNames {
        feature,
        accessor,
        handle: ident(&doc.group, Case::Camel),
        module,
    }
}

/// The argument holding an endpoint's parameter struct, also the doc examples' variable.
pub const PARAMS_ARG: &str = "params";

/// The endpoint functions of a group and a scope for naming its raw-body variants, which
/// must take neither an endpoint's name nor a method the handle already has.
pub fn endpoint_names(endpoints: &[Endpoint]) -> (Vec<String>, Namer) {
    let fn_names = function_names(endpoints);
    let mut all_fns = Namer::reserving(reserved::HANDLE_METHODS);
    for name in &fn_names {
        all_fns.reserve(name);
    }
    (fn_names, all_fns)
}

/// The method for the raw-body variant `variant` of the endpoint `fn_name` (`<fn>_csv`).
pub fn variant_fn_name(all_fns: &mut Namer, fn_name: &str, variant: &str) -> String {
    all_fns.fresh(&format!("{fn_name} {variant}"), Case::Snake)
}

/// Snake-case function names from summaries, or, for an endpoint without one, from its
/// method and path (`get_applications_commands_by_command_id`). A group that repeats a name
/// gets meaningful suffixes: path-made names name every parameter, then the HTTP method when
/// that tells them apart, otherwise the literal path segments (and `#fragment`) only that
/// endpoint has; numbers only as a last resort.
fn function_names(endpoints: &[Endpoint]) -> Vec<String> {
    let from_route = |e: &Endpoint| e.summary.trim().is_empty();
    let mut bases: Vec<String> = endpoints
        .iter()
        .map(|e| match from_route(e) {
            true => ident(&route_words(e, false), Case::Snake),
            false => ident(&e.summary, Case::Snake),
        })
        .collect();
    let mut by_base: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, base) in bases.iter().enumerate() {
        by_base.entry(base.clone()).or_default().push(i);
    }
    for indices in by_base.values().filter(|v| v.len() > 1) {
        for &i in indices.iter().filter(|&&i| from_route(&endpoints[i])) {
            bases[i] = ident(&route_words(&endpoints[i], true), Case::Snake);
        }
    }
    let mut by_base: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, base) in bases.iter().enumerate() {
        by_base.entry(base).or_default().push(i);
    }
    let mut wanted = bases.clone();
    for indices in by_base.values().filter(|v| v.len() > 1) {
        let methods: BTreeSet<Method> = indices.iter().map(|&i| endpoints[i].method).collect();
        for &i in indices {
            let suffix = if methods.len() == indices.len() {
                endpoints[i].method.as_str().to_lowercase()
            } else {
                distinguishing_segments(&endpoints[i], indices.iter().map(|&j| &endpoints[j]))
            };
            if !suffix.is_empty() {
                wanted[i] = ident(&format!("{} {}", bases[i], suffix), Case::Snake);
            }
        }
    }
    // The handle's derived methods are taken, and so are the names overlays give: a
    // derived name yields to them (overlay.rs reports two endpoints given one name).
    let mut namer = Namer::reserving(reserved::HANDLE_METHODS);
    let given: Vec<Option<String>> = endpoints
        .iter()
        .map(|e| {
            let name = ident(&e.method_name.as_ref()?.name, Case::Snake);
            Some(namer.fresh_ident(name, Case::Snake))
        })
        .collect();
    wanted
        .into_iter()
        .zip(given)
        .map(|(w, given)| given.unwrap_or_else(|| namer.fresh_ident(w, Case::Snake)))
        .collect()
}

/// The words of a name made from an endpoint's method and path: the method, each literal
/// segment, the last segment's parameters (or, with `every_param`, each parameter) after
/// `by`, and the `#fragment`.
fn route_words(endpoint: &Endpoint, every_param: bool) -> String {
    let mut words = vec![endpoint.method.as_str().to_lowercase()];
    let segments: Vec<&str> = endpoint.path.split('/').filter(|s| !s.is_empty()).collect();
    for (i, segment) in segments.iter().enumerate() {
        if !segment.contains('{') {
            words.push((*segment).to_owned());
        } else if every_param || i + 1 == segments.len() {
            words.push("by".to_owned());
            words.push(segment.replace(['{', '}'], " "));
        }
    }
    words.extend(endpoint.fragment.clone());
    words.join(" ")
}

/// The literal path segments (and `#fragment`) of `endpoint` that not every endpoint of `set`
/// has.
fn distinguishing_segments<'a>(
    endpoint: &Endpoint,
    set: impl Iterator<Item = &'a Endpoint> + Clone,
) -> String {
    let literal_segments = |e: &Endpoint| -> Vec<String> {
        e.path
            .split('/')
            .filter(|s| !s.is_empty() && !s.contains('{'))
            .map(str::to_owned)
            .chain(e.fragment.clone())
            .collect()
    };
    let others: Vec<Vec<String>> = set.map(literal_segments).collect();
    literal_segments(endpoint)
        .into_iter()
        .filter(|seg| !others.iter().all(|o| o.contains(seg)))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The path template with an argument name for each parameter, and the arguments (each
/// once, in order of first use: a parameter written twice in one path, as happens
/// upstream, is one argument). Arguments never take [`PARAMS_ARG`].
pub fn path_args(endpoint: &Endpoint) -> (Vec<PathPiece>, Vec<PathArg>) {
    let mut namer = Namer::reserving(&[PARAMS_ARG]);
    let mut args: Vec<PathArg> = Vec::new();
    let pieces = endpoint
        .path_parts
        .iter()
        .map(|part| match part {
            PathPart::Literal(text) => PathPiece::Literal(text.clone()),
            PathPart::Param(wire) => {
                let arg = match args.iter().find(|a| &a.wire == wire) {
                    Some(known) => known.name.clone(),
                    None => {
                        let name = namer.fresh(wire, Case::Snake);
                        args.push(path_arg(endpoint, wire, name.clone()));
                        name
                    }
                };
                PathPiece::Param {
                    wire: wire.clone(),
                    arg,
                }
            }
        })
        .collect();
    (pieces, args)
}

fn path_arg(endpoint: &Endpoint, wire: &str, name: String) -> PathArg {
    // An overlay may describe the parameter; the parser checked the row names a parameter
    // of this path.
    let doc = endpoint
        .params
        .iter()
        .find(|p| p.location == ParamLocation::Path && p.name == wire)
        .map(|p| rustdoc::sanitize(p.description.trim()))
        .unwrap_or_default();
    PathArg {
        wire: wire.to_owned(),
        name,
        doc,
        example: wire.to_owned(),
    }
}

/// A scope for a parameter struct's fields, which are also its setters: the constructor
/// and the derived methods are taken.
pub fn params_fields() -> Namer {
    Namer::reserving(reserved::PARAMS_METHODS)
}

/// The values a doc example passes to `new`, one per required field in order. Required
/// date-times usually bound a range (`since`, `before`): the first is an RFC 3339 timestamp,
/// each later one a plain date a day further on, so an example shows both forms the API
/// accepts and a range that is not empty. An enum gets its first variant.
pub fn example_args(fields: &[ParamField], enums: &[EnumDef]) -> Vec<(String, ExampleValue)> {
    let mut date_times = 0usize;
    fields
        .iter()
        .filter(|f| f.required)
        .map(|f| (f.rust.clone(), example_value(&f.ty, enums, &mut date_times)))
        .collect()
}

/// An example value of type `ty`; `date_times` counts the date-times given so far (see
/// [`example_args`]).
pub fn example_value(ty: &ParamTy, enums: &[EnumDef], date_times: &mut usize) -> ExampleValue {
    match ty {
        ParamTy::DateTime => {
            *date_times += 1;
            ExampleValue::Str(example_date_time(*date_times - 1))
        }
        ParamTy::String | ParamTy::Secret => ExampleValue::Str("...".to_owned()),
        ParamTy::I64 => ExampleValue::Int(1),
        ParamTy::F64 => ExampleValue::Float(1.0),
        ParamTy::Bool => ExampleValue::Bool(true),
        // Parameter enums always have a value; the fallback only keeps this total.
        ParamTy::Enum(name) => first_variant(enums, name, "..."),
        ParamTy::List(element) | ParamTy::Joined(element) => {
            ExampleValue::List(Box::new(example_value(element, enums, date_times)))
        }
    }
}

/// The first variant of the enum `name` of this group, as an example value; `fallback` as
/// text when it has none.
pub fn first_variant(enums: &[EnumDef], name: &str, fallback: &str) -> ExampleValue {
    match enums
        .iter()
        .find(|e| e.name == name)
        .and_then(|e| e.variants.first())
    {
        Some((_, variant)) => ExampleValue::Variant {
            ty: name.to_owned(),
            variant: variant.clone(),
        },
        None => ExampleValue::Str(fallback.to_owned()),
    }
}

/// The `n`th date-time of an example: 2024-10-30T00:00:00+00:00, then 2024-10-31, 2024-11-01…
fn example_date_time(n: usize) -> String {
    match n {
        0 => "2024-10-30T00:00:00+00:00".to_owned(),
        1 => "2024-10-31".to_owned(),
        n => format!("2024-11-{:02}", (n - 1).min(30)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(group: &str) -> Doc {
        Doc {
            file: format!("{group}.md"),
            group: group.to_owned(),
            title: "T".to_owned(),
            envelope: Default::default(),
            endpoints: Vec::new(),
        }
    }

    #[test]
    fn accessors_never_take_a_client_method() {
        for method in reserved::CLIENT_METHODS
            .iter()
            .chain(reserved::BY_VALUE_CONVERSIONS)
        {
            let names = group_names(&doc(method));
            assert_eq!(names.accessor, format!("{method}_api"), "{method}");
            // A crate-root name (`runtime`) is no module name either; the other test covers it.
            if !reserved::CRATE_ROOT.contains(method) {
                assert_eq!(names.module, *method);
            }
        }
        let names = group_names(&doc("audit_logs"));
        assert_eq!(
            names,
            GroupNames {
                module: "audit_logs".into(),
                feature: "audit-logs".into(),
                accessor: "audit_logs".into(),
                handle: "AuditLogs".into()
            }
        );
        let names = group_names(&doc("runtime"));
        assert_eq!(
            (names.module.as_str(), names.accessor.as_str()),
            ("runtime_api", "runtime_api")
        );
    }

    #[test]
    fn setters_never_take_a_derived_method() {
        let mut fields = params_fields();
        for wire in ["new", "default", "clone", "eq", "serialize", "fmt"] {
            assert_eq!(fields.fresh(wire, Case::Snake), format!("{wire}_2"));
        }
    }

    #[test]
    fn example_date_times_form_a_range() {
        let field = |wire: &str, ty: ParamTy, required| ParamField {
            wire: wire.into(),
            rust: wire.into(),
            ty,
            required,
            header: false,
            doc: String::new(),
        };
        let fields = [
            field("from", ParamTy::DateTime, true),
            field("page", ParamTy::I64, false),
            field("to", ParamTy::DateTime, true),
            field("ids", ParamTy::List(Box::new(ParamTy::I64)), true),
        ];
        assert_eq!(
            example_args(&fields, &[]),
            [
                (
                    "from".to_owned(),
                    ExampleValue::Str("2024-10-30T00:00:00+00:00".into())
                ),
                ("to".to_owned(), ExampleValue::Str("2024-10-31".into())),
                (
                    "ids".to_owned(),
                    ExampleValue::List(Box::new(ExampleValue::Int(1)))
                ),
            ]
        );
        assert_eq!(example_date_time(2), "2024-11-01");
    }
}
