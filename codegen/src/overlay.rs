//! Stage 1b of 5 (parse → **overlays** → IR → names/types → emit → write): applies overlays onto
//! the IR.
//!
//! An overlay is a doc of the same Markdown format, kept apart from the upstream docs so those
//! stay byte-identical to upstream (`priv/overlays/<doc file name>`). It adds what the upstream
//! docs lack: an endpoint's request parameters, its raw-body variants, and response shapes
//! where the doc has none (`null`) or a vaguer one. Overlays only ever add: an overlay that
//! names an unknown doc, endpoint or status, or that contradicts the doc, is an error at the
//! overlay's file and line. The format and the merge rules are in `docs/FORMAT.md`
//! ("Overlays").

use std::io;
use std::ops::Range;
use std::path::Path;

use crate::diag::{Diagnostic, LineIndex, Severity};
use crate::ir::{Api, Doc, Endpoint, Response, Shape, Status};
use crate::parse::{self, LocatedEndpoint, LocatedResponse};

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
/// problem, sorted; each names the overlay file (render them against the overlay sources).
/// Parts of an overlay with errors are not applied.
pub fn apply(api: &mut Api, overlays: &[(String, String)]) -> Vec<Diagnostic> {
    let mut order: Vec<&(String, String)> = overlays.iter().collect();
    order.sort_by(|a, b| a.0.cmp(&b.0));
    let mut diags = Vec::new();
    for (file, src) in order {
        let parsed = parse::parse_overlay_located(file, src);
        diags.extend(parsed.diags);
        let Some(overlay) = parsed.doc else {
            continue;
        };
        let mut m = Merger {
            file,
            src,
            lines: LineIndex::new(src),
            diags: &mut diags,
        };
        match api.docs.iter_mut().find(|d| d.file == *file) {
            Some(doc) => m.doc(doc, overlay, &parsed.located),
            None => {
                let line = m.lines.line_range(1).unwrap_or(0..0);
                let known: Vec<&str> = api.docs.iter().map(|d| d.file.as_str()).collect();
                m.error(
                    line,
                    format!("overlay for an unknown doc: there is no doc `{file}`"),
                    Some(format!(
                        "an overlay is named after the doc it adds to; the docs are: {}",
                        list(&known)
                    )),
                );
            }
        }
    }
    parse::sort_diagnostics(&mut diags);
    diags
}

struct Merger<'a> {
    file: &'a str,
    src: &'a str,
    lines: LineIndex<'a>,
    diags: &'a mut Vec<Diagnostic>,
}

impl Merger<'_> {
    fn error(&mut self, range: Range<usize>, message: String, help: Option<String>) {
        let d = self
            .lines
            .diagnostic(self.file, Severity::Error, range, message, help);
        self.diags.push(d);
    }

    fn doc(&mut self, doc: &mut Doc, overlay: Doc, located: &[LocatedEndpoint]) {
        for (ov, loc) in overlay.endpoints.into_iter().zip(located) {
            let route = format!("{} {}", ov.method.as_str(), ov.path);
            let matching: Vec<usize> = doc
                .endpoints
                .iter()
                .enumerate()
                .filter(|(_, e)| e.method == ov.method && e.path == ov.path)
                .map(|(i, _)| i)
                .collect();
            let index = match matching.as_slice() {
                [i] => *i,
                [] => {
                    let routes: Vec<String> = doc
                        .endpoints
                        .iter()
                        .map(|e| format!("{} {}", e.method.as_str(), e.path))
                        .collect();
                    self.error(
                        loc.method_line.clone(),
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
                    self.error(
                        loc.method_line.clone(),
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
                self.endpoint(target, ov, loc, &doc.file);
            }
        }
    }

    fn endpoint(&mut self, target: &mut Endpoint, ov: Endpoint, loc: &LocatedEndpoint, doc: &str) {
        let route = format!("{} {}", ov.method.as_str(), ov.path);
        if !ov.params.is_empty() {
            if target.params.is_empty() {
                target.params = ov.params;
            } else {
                self.error(
                    loc.method_line.clone(),
                    format!("{route} already has parameters"),
                    Some("give an endpoint's parameters in one overlay table".into()),
                );
            }
        }
        if !ov.variants.is_empty() {
            if target.variants.is_empty() {
                target.variants = ov.variants;
            } else {
                self.error(
                    loc.method_line.clone(),
                    format!("{route} already has variants"),
                    Some("give an endpoint's variants in one overlay table".into()),
                );
            }
        }
        for (resp, rloc) in ov.responses.into_iter().zip(&loc.responses) {
            match target
                .responses
                .iter_mut()
                .find(|r| r.status == resp.status)
            {
                Some(doc_resp) => self.response(doc_resp, resp, rloc),
                None => {
                    let statuses: Vec<String> = target
                        .responses
                        .iter()
                        .map(|r| status_text(r.status))
                        .collect();
                    self.error(
                        rloc.heading.clone(),
                        format!(
                            "no response `{}` for {route} in {doc}",
                            status_text(resp.status)
                        ),
                        Some(format!(
                            "an overlay response adds to the doc's response with the same status; the doc has: {}",
                            list(&statuses)
                        )),
                    );
                }
            }
        }
    }

    fn response(&mut self, target: &mut Response, ov: Response, loc: &LocatedResponse) {
        if let Some(at) = ov.data_at {
            match &target.data_at {
                None => target.data_at = Some(at),
                Some(doc_at) if *doc_at == at => {}
                Some(doc_at) => {
                    let message = format!(
                        "the `> Data is at` note contradicts the doc: the doc has `{doc_at}`, the overlay `{at}`"
                    );
                    self.error(
                        loc.heading.clone(),
                        message,
                        Some("leave the note out of the overlay to keep the doc's".into()),
                    );
                }
            }
        }
        match (&target.shape, &ov.shape) {
            // The overlay says nothing about the shape.
            (_, Shape::NoBody | Shape::Unknown) => {}
            (Shape::NoBody | Shape::Unknown, _) => target.shape = ov.shape,
            (doc, overlay) => match refine(doc, overlay) {
                Ok(()) => target.shape = ov.shape,
                Err(c) => {
                    let range = loc
                        .shape
                        .as_ref()
                        .and_then(|block| {
                            let text = self.lines_text(block)?;
                            let at = locate(text, &c.path)?;
                            Some(block.start + at.start..block.start + at.end)
                        })
                        .unwrap_or_else(|| loc.heading.clone());
                    self.error(
                        range,
                        format!(
                            "the overlay's shape contradicts the doc at `{}`: {}",
                            json_path(&c.path),
                            c.problem
                        ),
                        Some(
                            "an overlay shape refines the doc's: same structure; a string may become an enum, `null` and `{}` anything; an object may add keys but keeps the doc's"
                                .into(),
                        ),
                    );
                }
            },
        }
    }

    fn lines_text(&self, range: &Range<usize>) -> Option<&'_ str> {
        self.src.get(range.clone())
    }
}

/// A step into a shape: an object key or an array's element.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    Key(String),
    Element,
}

struct Contradiction {
    /// Where, from the root.
    path: Vec<Step>,
    problem: String,
}

/// Checks that `overlay` refines `doc`: the same structure recursively, where a doc string may
/// become an enum, a doc number an integer, a doc enum an enum listing at least its values,
/// a doc `null` or `{}` anything, and an object may add keys but keeps every doc key.
fn refine(doc: &Shape, overlay: &Shape) -> Result<(), Contradiction> {
    let mut path = Vec::new();
    refine_at(doc, overlay, &mut path).map_err(|problem| Contradiction { path, problem })
}

/// On error, `path` is left pointing at the offending place.
fn refine_at(doc: &Shape, overlay: &Shape, path: &mut Vec<Step>) -> Result<(), String> {
    match (doc, overlay) {
        (Shape::Unknown | Shape::FreeformObject, _) => Ok(()),
        (Shape::String, Shape::String | Shape::Enum { .. })
        | (Shape::Integer, Shape::Integer)
        | (Shape::Number, Shape::Number | Shape::Integer)
        | (Shape::Boolean, Shape::Boolean)
        | (Shape::NoBody, Shape::NoBody) => Ok(()),
        (Shape::Enum { values: d }, Shape::Enum { values: o }) => {
            match d.iter().find(|v| !o.contains(v)) {
                Some(missing) => Err(format!(
                    "the overlay's enum leaves out the doc's value {missing:?}"
                )),
                None => Ok(()),
            }
        }
        (Shape::Object { fields: d }, Shape::Object { fields: o }) => {
            for field in d {
                let Some(of) = o.iter().find(|f| f.name == field.name) else {
                    return Err(format!(
                        "the overlay's object leaves out the doc's key {:?}",
                        field.name
                    ));
                };
                path.push(Step::Key(field.name.clone()));
                refine_at(&field.shape, &of.shape, path)?;
                path.pop();
            }
            Ok(())
        }
        (Shape::Array { element: d }, Shape::Array { element: o }) => {
            path.push(Step::Element);
            refine_at(d, o, path)?;
            path.pop();
            Ok(())
        }
        (d, o) => Err(format!(
            "the doc has {}, the overlay {}",
            describe(d),
            describe(o)
        )),
    }
}

fn describe(shape: &Shape) -> String {
    match shape {
        Shape::String => "a string".into(),
        Shape::Integer => "an integer".into(),
        Shape::Number => "a number".into(),
        Shape::Boolean => "a boolean".into(),
        Shape::Unknown => "`null` (unknown)".into(),
        Shape::FreeformObject => "`{}` (any object)".into(),
        Shape::Enum { values } => format!("an enum ({})", values.join(" | ")),
        Shape::Object { .. } => "an object".into(),
        Shape::Array { .. } => "an array".into(),
        Shape::NoBody => "no body".into(),
    }
}

/// `$`, `$[].actor.type`, `$["1.1.1.1"]`.
fn json_path(path: &[Step]) -> String {
    let mut out = String::from("$");
    for step in path {
        match step {
            Step::Element => out.push_str("[]"),
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

/// The range in a (valid) JSON `text` that `path` leads to: the last key, or the first
/// character of the value for an empty path or a trailing element step. `None` if the text
/// does not have that structure.
fn locate(text: &str, path: &[Step]) -> Option<Range<usize>> {
    let b = text.as_bytes();
    let mut pos = skip_ws(b, 0);
    let mut found = pos..pos + 1;
    for step in path {
        match step {
            Step::Element => {
                if b.get(pos) != Some(&b'[') {
                    return None;
                }
                pos = skip_ws(b, pos + 1);
                found = pos..pos + 1;
            }
            Step::Key(want) => {
                if b.get(pos) != Some(&b'{') {
                    return None;
                }
                pos += 1;
                loop {
                    pos = skip_ws(b, pos);
                    if b.get(pos) != Some(&b'"') {
                        return None;
                    }
                    let end = string_end(b, pos)?;
                    let key: String = serde_json::from_str(text.get(pos..end)?).ok()?;
                    let key_range = pos..end;
                    pos = skip_ws(b, end);
                    if b.get(pos) != Some(&b':') {
                        return None;
                    }
                    pos = skip_ws(b, pos + 1);
                    if key == *want {
                        found = key_range;
                        break;
                    }
                    pos = skip_ws(b, value_end(b, pos)?);
                    if b.get(pos) != Some(&b',') {
                        return None;
                    }
                    pos += 1;
                }
            }
        }
    }
    (found.end <= text.len()).then_some(found)
}

fn skip_ws(b: &[u8], mut pos: usize) -> usize {
    while b.get(pos).is_some_and(|c| c.is_ascii_whitespace()) {
        pos += 1;
    }
    pos
}

/// The end (exclusive) of the string starting at `start` (a `"`).
fn string_end(b: &[u8], start: usize) -> Option<usize> {
    let mut i = start + 1;
    loop {
        match b.get(i)? {
            b'\\' => i += 2,
            b'"' => return Some(i + 1),
            _ => i += 1,
        }
    }
}

/// The end (exclusive) of the JSON value starting at `start`.
fn value_end(b: &[u8], start: usize) -> Option<usize> {
    match b.get(start)? {
        b'"' => string_end(b, start),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut i = start;
            loop {
                match b.get(i)? {
                    b'"' => {
                        i = string_end(b, i)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth = depth.checked_sub(1)?;
                        if depth == 0 {
                            return Some(i + 1);
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
        }
        _ => {
            let mut i = start;
            while b
                .get(i)
                .is_some_and(|c| !matches!(c, b',' | b'}' | b']') && !c.is_ascii_whitespace())
            {
                i += 1;
            }
            Some(i)
        }
    }
}

fn status_text(s: Status) -> String {
    match s {
        Status::Code(c) => c.to_string(),
        Status::Class(c) => format!("{c}XX"),
        Status::Default => "default".to_owned(),
    }
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
    fn locate_finds_the_key_at_the_right_depth() {
        let text =
            "[\n {\"x\": {\"id\": 1}, \"a\\\"b\": [2, {\"q\": \"]\"}], \"id\": \"*string*\"}\n]";
        let r = locate(text, &[Step::Element, key("id")]);
        assert_eq!(r.and_then(|r| text.get(r)), Some("\"id\""));
        let r = locate(text, &[Step::Element, key("id")]).unwrap_or(0..0);
        assert!(r.start > text.find("\"a").unwrap_or(0));
        let r = locate(text, &[Step::Element, key("x"), key("id")]);
        assert_eq!(r.and_then(|r| text.get(r)), Some("\"id\""));
        assert_eq!(locate(text, &[key("id")]), None);
        assert_eq!(locate(text, &[Step::Element, key("nope")]), None);
        assert_eq!(locate(text, &[]), Some(0..1));
        assert_eq!(locate("", &[key("a")]), None);
        assert_eq!(locate("{\"a\": ", &[key("b")]), None);
    }

    #[test]
    fn refinement() {
        let s = |v: &str| -> Shape {
            let parsed = parse::parse_doc(
                "t.md",
                &format!("# T\n## S\n**GET** `/x`\n### Responses\n#### 200\n```json\n{v}\n```\n"),
            );
            match parsed.0.and_then(|d| d.endpoints.into_iter().next()) {
                Some(e) => e
                    .responses
                    .into_iter()
                    .next()
                    .map_or(Shape::NoBody, |r| r.shape),
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
        assert_eq!(c.problem, "the doc has a string, the overlay an integer");
    }
}
