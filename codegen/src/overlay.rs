//! Overlay stage: applies overlays onto the IR the docs parsed into.
//!
//! An overlay is a doc of the same Markdown format, kept apart from the upstream docs so those
//! stay byte-identical to upstream (`priv/overlays/<doc file name>`). It adds what the upstream
//! docs lack: an endpoint's request parameters, its raw-body variants, and response shapes
//! where the doc has none (`null`) or a vaguer one. Overlays only ever add: an overlay that
//! names an unknown doc, endpoint or status, or that contradicts the doc, is an error at the
//! overlay's file and line. The format and the merge rules are in `docs/FORMAT.md`
//! ("Overlays").

use std::io;
use std::path::Path;

use crate::diag::{Diagnostic, LineIndex, Severity};
use crate::ir::{Api, Doc, Endpoint, JsonKind, Response, Shape, ShapeKind, Span};
use crate::parse;

/// Reads every `*.md` directly in `dir` like [`parse::read_docs_dir`]; a missing directory
/// means no overlays.
pub fn read_overlays_dir(dir: &Path) -> io::Result<Vec<(String, String)>> {
    match std::fs::metadata(dir) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Vec::new()),
        _ => parse::read_docs_dir(dir),
    }
}

/// Parses every overlay (`(file name, text)` pairs) and merges it into `api`: an overlay adds
/// to the doc with the same file name, each of its endpoints to the doc endpoint with the same
/// method and path, each of its responses to the response with the same status. Returns every
/// problem, sorted; each names the overlay file (render them against the overlay sources) and
/// points at the overlay's own spans. Parts of an overlay with errors are not applied.
pub fn apply(api: &mut Api, overlays: &[(String, String)]) -> Vec<Diagnostic> {
    apply_layer(api, overlays, Layer::HandWritten)
}

/// Applies overlays imported from a schema (`priv/overlays/imported/`) after the hand-written
/// ones ([`apply`]): like them, except that what an endpoint already has (its parameters, say)
/// stays, since the hand-written overlay that gave it wins, and the group's settings are the
/// hand-written overlay's.
pub fn apply_imported(api: &mut Api, overlays: &[(String, String)]) -> Vec<Diagnostic> {
    apply_layer(api, overlays, Layer::Imported)
}

/// Which overlays are applied: the hand-written, or the imported ones below them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Layer {
    HandWritten,
    Imported,
}

fn apply_layer(api: &mut Api, overlays: &[(String, String)], layer: Layer) -> Vec<Diagnostic> {
    let mut order: Vec<&(String, String)> = overlays.iter().collect();
    order.sort_by(|a, b| a.0.cmp(&b.0));
    let mut diags = Vec::new();
    // Parsing an overlay needs no other: in parallel. Merging is in file order.
    let parsed = crate::parallel::map(&order, |(file, src)| parse::parse_overlay(file, src));
    for ((file, src), (overlay, parse_diags)) in order.into_iter().zip(parsed) {
        diags.extend(parse_diags);
        let Some(overlay) = overlay else {
            continue;
        };
        match api.docs.iter_mut().find(|d| d.file == *file) {
            Some(doc) => merge_doc(doc, overlay, layer, &mut diags),
            None => {
                let known: Vec<&str> = api.docs.iter().map(|d| d.file.as_str()).collect();
                let lines = LineIndex::new(src);
                diags.push(lines.diagnostic(
                    file,
                    Severity::Error,
                    lines.line_range(1).unwrap_or(0..0),
                    format!("overlay for an unknown doc: there is no doc `{file}`"),
                    Some(format!(
                        "an overlay is named after the doc it adds to; the docs are: {}",
                        list(&known)
                    )),
                ));
            }
        }
    }
    crate::diag::sort(&mut diags);
    diags
}

fn error(diags: &mut Vec<Diagnostic>, at: &Span, message: String, help: Option<String>) {
    diags.push(Diagnostic::at(at, Severity::Error, message, help));
}

fn merge_doc(doc: &mut Doc, overlay: Doc, layer: Layer, diags: &mut Vec<Diagnostic>) {
    // A doc cannot say it (its dialect has no settings): the overlay's word, or the default.
    if layer == Layer::HandWritten {
        doc.envelope = overlay.envelope;
    }
    merge_endpoints(doc, overlay, layer, diags);
    // Two endpoints given one method name would be one Rust method.
    let mut given: Vec<&crate::ir::Named> = Vec::new();
    for named in doc.endpoints.iter().filter_map(|e| e.method_name.as_ref()) {
        match given.iter().find(|g| g.name == named.name) {
            Some(first) => error(
                diags,
                &named.span,
                format!(
                    "method name `{}` is given to two endpoints (first at {}:{})",
                    named.name, first.span.file, first.span.line
                ),
                Some("give each endpoint of a group its own name".into()),
            ),
            None => given.push(named),
        }
    }
}

fn merge_endpoints(doc: &mut Doc, overlay: Doc, layer: Layer, diags: &mut Vec<Diagnostic>) {
    for ov in overlay.endpoints {
        let route = format!("{} {}", ov.method.as_str(), ov.written_path());
        let matching: Vec<usize> = doc
            .endpoints
            .iter()
            .enumerate()
            .filter(|(_, e)| e.same_route(&ov))
            .map(|(i, _)| i)
            .collect();
        let index = match matching.as_slice() {
            [i] => *i,
            [] => {
                let routes: Vec<String> = doc
                    .endpoints
                    .iter()
                    .map(|e| format!("{} {}", e.method.as_str(), e.written_path()))
                    .collect();
                error(
                    diags,
                    &ov.route,
                    format!("no endpoint {route} in {}", doc.file),
                    Some(format!(
                        "an overlay endpoint is matched by method and path exactly as the doc writes them; `{}` has: {}",
                        doc.file,
                        list(&routes)
                    )),
                );
                continue;
            }
            _ => {
                error(
                    diags,
                    &ov.route,
                    format!(
                        "{route} is documented {} times in {}: the overlay cannot tell which endpoint it adds to",
                        matching.len(),
                        doc.file
                    ),
                    None,
                );
                continue;
            }
        };
        if let Some(target) = doc.endpoints.get_mut(index) {
            merge_endpoint(target, ov, &doc.file, layer, diags);
        }
    }
}

fn merge_endpoint(
    target: &mut Endpoint,
    ov: Endpoint,
    doc: &str,
    layer: Layer,
    diags: &mut Vec<Diagnostic>,
) {
    let route = format!("{} {}", ov.method.as_str(), ov.written_path());
    // The upstream docs carry neither, so a second table means two overlays gave one; below
    // the hand-written layer, it means the hand-written overlay spoke first and wins.
    let add_once = |what: &str, target: bool, diags: &mut Vec<Diagnostic>| {
        if !target && layer == Layer::HandWritten {
            error(
                diags,
                &ov.route,
                format!("{route} already has {what}"),
                Some(format!("give an endpoint's {what} in one overlay table")),
            );
        }
        target
    };
    if !ov.params.is_empty() && add_once("parameters", target.params.is_empty(), diags) {
        target.params = ov.params;
    }
    if !ov.variants.is_empty() && add_once("variants", target.variants.is_empty(), diags) {
        target.variants = ov.variants;
    }
    if let Some(named) = ov.method_name
        && add_once("a method name", target.method_name.is_none(), diags)
    {
        target.method_name = Some(named);
    }
    if let Some(named) = ov.items_field
        && add_once("an items field", target.items_field.is_none(), diags)
    {
        target.items_field = Some(named);
    }
    if let Some(body) = ov.body
        && add_once("a body", target.body.is_none(), diags)
    {
        target.body = Some(body);
    }
    for resp in ov.responses {
        match target
            .responses
            .iter_mut()
            .find(|r| r.status == resp.status)
        {
            Some(doc_resp) => merge_response(doc_resp, resp, layer, diags),
            None => {
                let statuses: Vec<String> = target
                    .responses
                    .iter()
                    .map(|r| r.status.to_string())
                    .collect();
                error(
                    diags,
                    &resp.span,
                    format!("no response `{}` for {route} in {doc}", resp.status),
                    Some(format!(
                        "an overlay response adds to the doc's response with the same status; the doc has: {}",
                        list(&statuses)
                    )),
                );
            }
        }
    }
}

fn merge_response(target: &mut Response, ov: Response, layer: Layer, diags: &mut Vec<Diagnostic>) {
    // The overlay's note replaces the doc's: the upstream renderer writes `body["result"]` on
    // every 2xx, also where the API answers without the envelope, and an overlay is where
    // that is put right (`cargo xtask import-overlays` does it from the schema).
    if let Some(at) = ov.data_at {
        target.data_at = Some(at);
    }
    let overlaid = layer == Layer::HandWritten;
    match (&target.shape.kind, &ov.shape.kind) {
        // The overlay says nothing about the shape.
        (_, ShapeKind::NoBody | ShapeKind::Unknown) => {}
        // A hand-written overlay gave it: the imported one is not checked against it either
        // (both refine the doc; the hand-written may know values the schema does not).
        _ if target.shape_overlaid => {}
        (ShapeKind::NoBody | ShapeKind::Unknown, _) => {
            target.shape = ov.shape;
            target.shape_overlaid = overlaid;
        }
        _ => match refine(&target.shape, &ov.shape) {
            Ok(()) => {
                target.shape = ov.shape;
                target.shape_overlaid = overlaid;
            }
            Err(c) => error(
                diags,
                &c.at,
                format!("the overlay's shape contradicts the doc at `{}`: {}", json_path(&c.path), c.problem),
                Some(
                    "an overlay shape refines the doc's: same structure; a string may become an enum, `null` and `{}` anything, any value nullable; an object may add keys but keeps the doc's; any value may become a union with a variant that refines it, whose every object keeps a doc object's keys"
                        .into(),
                ),
            ),
        },
    }
}

/// A step into a shape: an object key, an array's element, a map's value or a union's
/// variant.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    Key(String),
    Element,
    Value,
    Variant(usize),
}

struct Contradiction {
    /// Where, from the root.
    path: Vec<Step>,
    /// Where in the overlay: the key of the last step, else the overlay's node.
    at: Span,
    problem: String,
}

/// Whether `overlay` refines `doc` (see [`refine`]): what an importer checks before writing it.
pub(crate) fn refines(doc: &Shape, overlay: &Shape) -> bool {
    refine(doc, overlay).is_ok()
}

/// Checks that `overlay` refines `doc`: the same structure recursively, where a doc string may
/// become an enum, a doc number an integer, a doc enum an enum listing at least its values,
/// a doc `null` or `{}` anything, any value may allow `null` (a doc's nullable value stays
/// nullable), an object may add keys but keeps every doc key, and any value may become a
/// union with a variant that refines it (every object of which keeps a doc object's keys).
fn refine(doc: &Shape, overlay: &Shape) -> Result<(), Contradiction> {
    let mut path = Vec::new();
    refine_at(doc, overlay, &overlay.span, &mut path).map_err(|(problem, at)| Contradiction {
        path,
        at,
        problem,
    })
}

/// On error, `path` is left pointing at the offending place, and the error holds its span.
fn refine_at(
    doc: &Shape,
    overlay: &Shape,
    at: &Span,
    path: &mut Vec<Step>,
) -> Result<(), (String, Span)> {
    let fail = |problem: String| Err((problem, at.clone()));
    match (&doc.kind, &overlay.kind) {
        (ShapeKind::Unknown | ShapeKind::FreeformObject, _) => Ok(()),
        (ShapeKind::String, ShapeKind::String | ShapeKind::Enum { .. })
        | (ShapeKind::Integer, ShapeKind::Integer)
        | (ShapeKind::Number, ShapeKind::Number | ShapeKind::Integer)
        | (ShapeKind::Boolean, ShapeKind::Boolean)
        | (ShapeKind::NoBody, ShapeKind::NoBody) => Ok(()),
        (ShapeKind::Enum { values: d }, ShapeKind::Enum { values: o }) => {
            match d.iter().find(|v| !o.contains(v)) {
                Some(missing) => fail(format!(
                    "the overlay's enum leaves out the doc's value {missing:?}"
                )),
                None => Ok(()),
            }
        }
        (ShapeKind::Object { fields: d }, ShapeKind::Object { fields: o }) => {
            for field in d {
                let Some(of) = o.iter().find(|f| f.name == field.name) else {
                    return fail(format!(
                        "the overlay's object leaves out the doc's key {:?}",
                        field.name
                    ));
                };
                path.push(Step::Key(field.name.clone()));
                refine_at(&field.shape, &of.shape, &of.span, path)?;
                path.pop();
            }
            Ok(())
        }
        (ShapeKind::Array { element: d }, ShapeKind::Array { element: o }) => {
            path.push(Step::Element);
            refine_at(d, o, &o.span, path)?;
            path.pop();
            Ok(())
        }
        (ShapeKind::Map { value: d }, ShapeKind::Map { value: o }) => {
            path.push(Step::Value);
            refine_at(d, o, &o.span, path)?;
            path.pop();
            Ok(())
        }
        // Null as a value of its own refines a value the docs show without it; a doc that
        // allows null keeps it.
        (ShapeKind::Nullable { value: d }, ShapeKind::Nullable { value: o }) => {
            refine_at(d, o, &o.span, path)
        }
        (_, ShapeKind::Nullable { value: o }) => refine_at(doc, o, &o.span, path),
        // The docs often show the keys a union's objects share, which each object keeps, or
        // one of its values (`origin_port` as an integer, where it may be a string too),
        // which a variant refines.
        (d, ShapeKind::OneOf { variants, .. })
            if !matches!(d, ShapeKind::OneOf { .. } | ShapeKind::Nullable { .. }) =>
        {
            let doc_object = matches!(d, ShapeKind::Object { .. });
            let mut refined = false;
            for (i, variant) in variants.iter().enumerate() {
                path.push(Step::Variant(i));
                match refine_at(doc, variant, &variant.span, path) {
                    Ok(()) => refined = true,
                    Err(e) if doc_object && matches!(variant.kind, ShapeKind::Object { .. }) => {
                        return Err(e);
                    }
                    Err(_) => {}
                }
                path.pop();
            }
            match refined {
                true => Ok(()),
                false => fail(format!(
                    "the doc has {}, which no variant of the overlay's union refines",
                    describe(d)
                )),
            }
        }
        (
            ShapeKind::OneOf {
                tag,
                variants: doc_variants,
            },
            ShapeKind::OneOf {
                tag: overlay_tag,
                variants,
            },
        ) => {
            if tag != overlay_tag {
                return fail(format!(
                    "the doc's union is told apart by {}, the overlay's by {}",
                    told_apart(tag),
                    told_apart(overlay_tag)
                ));
            }
            let doc_selectors = crate::parse::union_selectors(doc_variants, tag.as_deref());
            let overlay_selectors = crate::parse::union_selectors(variants, tag.as_deref());
            for (i, d) in doc_variants.iter().enumerate() {
                // An object by its first tag value or own key; another value by its JSON type,
                // of which a union has one.
                let kind = JsonKind::of_variant(&d.kind);
                let first = doc_selectors[i].first().cloned();
                let found = variants.iter().enumerate().find(|(j, o)| match &first {
                    Some(first) => overlay_selectors[*j].contains(first),
                    None => JsonKind::of_variant(&o.kind) == kind,
                });
                let Some((j, o)) = found else {
                    let which = match (&first, kind) {
                        (Some(first), _) => format!("{first:?}"),
                        (None, Some(kind)) => kind.described().to_owned(),
                        (None, None) => "?".to_owned(),
                    };
                    return fail(format!(
                        "the overlay's union leaves out the doc's variant {i} ({which})"
                    ));
                };
                path.push(Step::Variant(j));
                refine_at(d, o, &o.span, path)?;
                path.pop();
            }
            Ok(())
        }
        (d, o) => fail(format!(
            "the doc has {}, the overlay {}",
            describe(d),
            describe(o)
        )),
    }
}

fn told_apart(tag: &Option<String>) -> String {
    match tag {
        Some(tag) => format!("{tag:?}"),
        None => "the keys each variant alone has".to_owned(),
    }
}

fn describe(shape: &ShapeKind) -> String {
    match shape {
        ShapeKind::String => "a string".into(),
        ShapeKind::Integer => "an integer".into(),
        ShapeKind::Number => "a number".into(),
        ShapeKind::Boolean => "a boolean".into(),
        ShapeKind::Unknown => "`null` (unknown)".into(),
        ShapeKind::FreeformObject => "`{}` (any object)".into(),
        ShapeKind::Enum { values } => format!("an enum ({})", values.join(" | ")),
        ShapeKind::Object { .. } => "an object".into(),
        ShapeKind::Array { .. } => "an array".into(),
        ShapeKind::Map { .. } => "a map".into(),
        ShapeKind::Nullable { value } => format!("{} or null", describe(&value.kind)),
        ShapeKind::OneOf { tag, .. } => format!("a union by {}", told_apart(tag)),
        ShapeKind::NoBody => "no body".into(),
    }
}

/// `$`, `$[].actor.type`, `$["1.1.1.1"]`.
fn json_path(path: &[Step]) -> String {
    let mut out = String::from("$");
    for step in path {
        match step {
            Step::Element => out.push_str("[]"),
            Step::Value => out.push_str("{}"),
            Step::Variant(i) => out.push_str(&format!("<variant {i}>")),
            Step::Key(k)
                if !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') =>
            {
                out.push('.');
                out.push_str(k);
            }
            Step::Key(k) => {
                out.push('[');
                out.push_str(&serde_json::Value::String(k.clone()).to_string());
                out.push(']');
            }
        }
    }
    out
}

/// `a, b, c`, or `none`; long lists are cut.
fn list<S: AsRef<str>>(items: &[S]) -> String {
    const MAX: usize = 12;
    if items.is_empty() {
        return "none".to_owned();
    }
    let mut out: Vec<&str> = items.iter().take(MAX).map(AsRef::as_ref).collect();
    let more = items.len().saturating_sub(MAX);
    let more = format!("and {more} more");
    if items.len() > MAX {
        out.push(&more);
    }
    out.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(k: &str) -> Step {
        Step::Key(k.to_owned())
    }

    #[test]
    fn json_paths() {
        assert_eq!(json_path(&[]), "$");
        assert_eq!(
            json_path(&[Step::Element, key("actor"), key("type")]),
            "$[].actor.type"
        );
        assert_eq!(
            json_path(&[key("1.1.1.1"), key("")]),
            "$[\"1.1.1.1\"][\"\"]"
        );
    }

    #[test]
    fn refinement() {
        let s = |v: &str| -> Shape {
            let parsed = parse::parse_doc(
                "t.md",
                &format!("# T\n## S\n**GET** `/x`\n### Responses\n#### 200\n```json\n{v}\n```\n"),
            );
            match parsed.0.and_then(|d| d.endpoints.into_iter().next()) {
                Some(e) => match e.responses.into_iter().next() {
                    Some(r) => r.shape,
                    None => panic!("no response in {v}"),
                },
                None => panic!("bad shape {v}"),
            }
        };
        let ok = |d: &str, o: &str| refine(&s(d), &s(o)).is_ok();
        assert!(ok("\"*string*\"", "\"*enum: a | b*\""));
        assert!(ok("\"*number*\"", "\"*integer*\""));
        assert!(!ok("\"*integer*\"", "\"*number*\""));
        assert!(ok("{}", "\"*string*\""));
        assert!(ok(
            "{\"a\": {}}",
            "{\"a\": [\"*string*\"], \"b\": \"*boolean*\"}"
        ));
        assert!(!ok("{\"a\": \"*string*\"}", "{\"b\": \"*string*\"}"));
        assert!(!ok("{\"a\": \"*string*\"}", "{}"));
        assert!(ok("\"*enum: a*\"", "\"*enum: b | a*\""));
        assert!(!ok("\"*enum: a | c*\"", "\"*enum: a*\""));
        assert!(!ok("\"*string*\"", "null"));
        let c = refine(
            &s("[{\"a\": {\"b\": \"*string*\"}}]"),
            &s("[{\"a\": {\"b\": \"*integer*\"}}]"),
        );
        let Err(c) = c else {
            panic!("expected a contradiction")
        };
        assert_eq!(json_path(&c.path), "$[].a.b");
        assert_eq!(
            (c.at.line, c.at.range.end - c.at.range.start),
            (7, "\"b\"".len())
        );
        assert_eq!(c.problem, "the doc has a string, the overlay an integer");
    }
}
