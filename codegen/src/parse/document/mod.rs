//! Parse stage, document grammar: the state machine over top-level blocks that reads a doc's
//! title, its `##` endpoints, their method lines, descriptions and `### Responses`.
//!
//! A [`Dialect`] adds to the grammar without the state machine knowing what: the upstream
//! format is [`Upstream`], and overlays add their table sections
//! ([`super::overlay_tables::OverlayTables`]). The `### Responses` section is read in
//! [`responses`].

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;

mod responses;

use super::blocks::{
    Block, BlockKind, fence_closed, first_word, is_responses_heading, looks_like_method_line,
    method_line,
};
pub(super) use super::dialect::{Dialect, Route, Upstream};
use super::path::parse_path;
use super::report::Reporter;
use super::status::parse_status_token;
use crate::diag::{Diagnostic, Severity};
use crate::ir::{
    DataAt, Doc, Endpoint, Envelope, Method, PathPart, Response, Shape, ShapeKind, Status,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    /// Right after the `##` heading: the next block must be the method line.
    ExpectMethod,
    Description,
    /// A section the dialect opened.
    Dialect,
    Responses,
}

struct EndpointBuilder {
    heading: Range<usize>,
    summary: String,
    section: Section,
    /// False once an error means this endpoint must stay out of the IR.
    valid: bool,
    method: Option<Method>,
    /// As written, `#fragment` included.
    path: String,
    fragment: Option<String>,
    path_parts: Vec<PathPart>,
    path_params: Vec<String>,
    desc_start: usize,
    desc_end: Option<usize>,
    /// The `### Responses` heading.
    responses_heading: Option<Range<usize>>,
    /// The method line, once read.
    method_line: Range<usize>,
    /// First `####` heading in the description that reads like a status: a hint when
    /// `### Responses` is missing.
    status_like_in_description: Option<u32>,
    /// The first description fence holding a line like `### Responses` or `## `.
    swallowing_fence: Option<SwallowingFence>,
    responses: Vec<ResponseBuilder>,
}

/// A fence that may have swallowed the format's headings: its opening line, how it ends
/// (for the message) and the line of the first such heading inside it.
struct SwallowingFence {
    fence: Range<usize>,
    closed: String,
    line: u32,
}

struct ResponseBuilder {
    heading: Range<usize>,
    /// `None` when the heading's status is invalid (already reported).
    status: Option<Status>,
    description: String,
    /// `Some` once a note was seen; the inner `None` when it was invalid (already reported).
    data_at: Option<Option<DataAt>>,
    /// `Some` once a `json` block was seen; the inner `None` when it was invalid.
    shape: Option<Option<Shape>>,
}

/// Parses one file in `dialect`; the diagnostics come out sorted.
pub(super) fn parse_document(
    file: &str,
    src: &str,
    dialect: impl Dialect,
) -> (Option<Doc>, Vec<Diagnostic>) {
    let mut p = DocParser {
        r: Reporter::new(file, src),
        dialect,
        title: None,
        no_title_reported: false,
        current: None,
        endpoints: Vec::new(),
        routes: BTreeMap::new(),
        envelope: None,
    };
    // A byte-order mark would stop the first line from being a heading: skip it, and add its
    // length to every offset so they index `src`.
    let base = if src.starts_with('\u{feff}') {
        '\u{feff}'.len_utf8()
    } else {
        0
    };
    let options = p.dialect.options();
    super::blocks::for_each_block(src, base, options, |b| p.block(b));
    p.finish()
}

struct DocParser<'a, D> {
    r: Reporter<'a>,
    dialect: D,
    title: Option<String>,
    no_title_reported: bool,
    current: Option<EndpointBuilder>,
    endpoints: Vec<Endpoint>,
    /// (method, path) → line, to flag a route documented twice.
    routes: BTreeMap<(Method, String), u32>,
    /// Set when the part before the first endpoint ends.
    envelope: Option<Envelope>,
}

impl<D: Dialect> DocParser<'_, D> {
    fn block(&mut self, b: Block) {
        if self.setext_method_line(&b) {
            return;
        }
        if let BlockKind::Heading { level: 2, text } = &b.kind {
            let text = text.clone();
            self.start_endpoint(&b, &text);
            return;
        }
        let expecting = self
            .current
            .as_ref()
            .is_some_and(|ep| ep.section == Section::ExpectMethod);
        if expecting && self.method_line_after_heading(&b) {
            return;
        }
        match self.current.as_ref().map(|ep| ep.section) {
            None => self.outside_endpoint(b),
            Some(Section::Responses) => self.in_responses(b),
            Some(Section::Dialect) => self.in_dialect_section(b),
            Some(Section::Description | Section::ExpectMethod) => self.in_description(b),
        }
    }

    /// Right after a `##`, a method line with `---` or `===` under it is a setext heading to
    /// Markdown, so it would start an endpoint named after the method line. Reports that
    /// instead; the endpoint it belonged to is left out.
    fn setext_method_line(&mut self, b: &Block) -> bool {
        let expecting = self
            .current
            .as_ref()
            .is_some_and(|ep| ep.section == Section::ExpectMethod);
        if !expecting || !matches!(b.kind, BlockKind::Heading { .. }) {
            return false;
        }
        let source = self.r.src.get(b.range.clone()).unwrap_or("");
        let mut lines = source.lines();
        let (Some(first), Some(_)) = (lines.next(), lines.next()) else {
            return false;
        };
        let looks = first
            .trim_start()
            .strip_prefix("**")
            .and_then(|rest| rest.split_once("**"))
            .is_some_and(|(method, rest)| {
                !method.is_empty()
                    && method.bytes().all(|c| c.is_ascii_uppercase())
                    && rest.trim_start().starts_with('`')
            });
        if !looks {
            return false;
        }
        let underline = self
            .r
            .first_line(&(self.r.lines.line_end(b.range.start) + 1..b.range.end));
        self.r.error(
            underline,
            "a `---` or `===` line right under the method line makes Markdown read it as a heading",
            Some(
                "leave a blank line between the method line and the rule, or remove the rule"
                    .into(),
            ),
        );
        if let Some(ep) = self.current.as_mut() {
            ep.section = Section::Description;
            ep.valid = false;
        }
        true
    }

    /// Before the first `##`: the title, and nothing else that matters.
    fn outside_endpoint(&mut self, b: Block) {
        let line = self.r.first_line(&b.range);
        match &b.kind {
            BlockKind::Heading { level: 1, text } if self.title.is_none() => {
                let title = text.trim().to_owned();
                if title.is_empty() {
                    self.r.warning(
                        line,
                        "the `#` title heading is empty",
                        Some("write the group's name after `# `".into()),
                    );
                }
                self.title = Some(title);
            }
            BlockKind::Heading { level: 1, .. } => self.r.warning(
                line,
                "a second `#` heading before the first endpoint is ignored",
                Some("a doc file has one `# Title`; put another group in its own file".into()),
            ),
            _ if looks_like_method_line(&b) => self.r.error(
                line,
                "method line outside an endpoint: no endpoint is generated for it",
                Some("put a `## Summary` heading right above the method line".into()),
            ),
            _ if self.title.is_none() => self.r.warning(
                line,
                "content before the `# Title` heading is ignored",
                None,
            ),
            _ if self.dialect.intro_block(&mut self.r, &b) => {}
            _ if self.dialect.intro_notes() => {}
            _ => self.r.warning(
                line,
                "content between the `# Title` and the first `##` endpoint is ignored",
                None,
            ),
        }
    }

    fn start_endpoint(&mut self, b: &Block, text: &str) {
        self.finish_endpoint(b.range.start);
        self.finish_intro();
        let heading = self.r.first_line(&b.range);
        if self.title.is_none() && !self.no_title_reported {
            self.no_title_reported = true;
            self.r.error(
                heading.clone(),
                "expected a `# Title` heading before the first endpoint",
                Some("the first heading of a doc file is `# <group title>`; no IR is produced for this file".into()),
            );
        }
        // An empty summary is no problem: some APIs give none, and the plan names such an
        // endpoint after its method and path.
        let summary = text.trim().to_owned();
        self.current = Some(EndpointBuilder {
            heading: heading.clone(),
            summary,
            section: Section::ExpectMethod,
            valid: true,
            method: None,
            path: String::new(),
            fragment: None,
            path_parts: Vec::new(),
            path_params: Vec::new(),
            desc_start: heading.end,
            desc_end: None,
            responses_heading: None,
            method_line: heading,
            status_like_in_description: None,
            swallowing_fence: None,
            responses: Vec::new(),
        });
    }

    /// Handles the block right after a `##` heading. Returns true if it was the method line.
    fn method_line_after_heading(&mut self, b: &Block) -> bool {
        let Some(heading) = self.current.as_mut().map(|ep| {
            ep.section = Section::Description;
            ep.heading.clone()
        }) else {
            return false;
        };
        let Some(ml) = method_line(b) else {
            self.missing_method_line(heading, Some(b.range.start));
            if let Some(ep) = self.current.as_mut() {
                ep.valid = false;
            }
            return false;
        };
        let method = Method::parse(&ml.method);
        if method.is_none() {
            let upper = ml.method.to_ascii_uppercase();
            let help = match Method::parse(&upper) {
                Some(m) => format!("methods are written in upper case: `**{}**`", m.as_str()),
                None => format!("expected one of {}", method_list()),
            };
            self.r.error(
                ml.method_range.clone(),
                format!("unknown HTTP method `{}`", ml.method),
                Some(help),
            );
        }
        let path_offset = self
            .r
            .src
            .get(ml.code_range.clone())
            .and_then(|s| s.find(ml.path.as_str()))
            .map_or(ml.code_range.start, |i| ml.code_range.start + i);
        let parsed = parse_path(&ml.path);
        // A dialect whose responses are optional (an overlay) adds to another file's endpoint,
        // whose path is written the same: a warning about it is that file's, said once there.
        let adds_to_another = self.dialect.responses_optional();
        for problem in &parsed.problems {
            if adds_to_another && problem.severity == Severity::Warning {
                continue;
            }
            let range = path_offset + problem.range.start..path_offset + problem.range.end;
            self.r.report(
                problem.severity,
                range,
                problem.message.clone(),
                problem.help.clone(),
            );
        }
        let path_ok = !parsed
            .problems
            .iter()
            .any(|p| p.severity == Severity::Error);
        let line_end = self.r.lines.line_end(ml.code_range.end);
        let trailing = self.r.src.get(ml.code_range.end..line_end).unwrap_or("");
        if !trailing.trim().is_empty() {
            self.r.warning(
                ml.code_range.end..line_end,
                "text after the path on the method line is ignored",
                Some("put the description on the lines below the method line".into()),
            );
        }
        let method_line = self.r.first_line(&b.range);
        if let Some(ep) = self.current.as_mut() {
            ep.method_line = method_line;
            ep.valid &= method.is_some() && path_ok;
            ep.method = method;
            ep.path = ml.path;
            ep.fragment = parsed.fragment;
            ep.path_parts = parsed.parts;
            ep.path_params = parsed.params;
            ep.desc_start = line_end.max(ep.desc_start);
        }
        true
    }

    fn missing_method_line(&mut self, heading: Range<usize>, found_at: Option<usize>) {
        let found = match found_at {
            Some(offset) => format!("line {} is not a method line", self.r.line_of(offset)),
            None => "nothing follows the heading".to_owned(),
        };
        self.r.error(
            heading,
            "expected a `**METHOD** `/path`` line right after the endpoint's `##` heading",
            Some(format!(
                "{found}, so the endpoint is left out; the first paragraph must be e.g. **GET** `/accounts/{{account_id}}`"
            )),
        );
    }

    /// A `###` heading handed to the dialect before the responses; true if it opened a section.
    fn dialect_section(&mut self, b: &Block) -> bool {
        if !matches!(b.kind, BlockKind::Heading { level: 3, .. })
            || !self.dialect.section_heading(&mut self.r, b, false)
        {
            return false;
        }
        if let Some(ep) = self.current.as_mut() {
            ep.desc_end.get_or_insert(b.range.start);
            ep.section = Section::Dialect;
        }
        true
    }

    /// The `### Responses` heading: ends the description (if nothing else did) and the
    /// dialect's sections.
    fn enter_responses(&mut self, b: &Block) {
        let heading = self.r.first_line(&b.range);
        if let Some(ep) = self.current.as_mut() {
            ep.desc_end.get_or_insert(b.range.start);
            ep.section = Section::Responses;
            ep.responses_heading = Some(heading);
        }
    }

    fn in_dialect_section(&mut self, b: Block) {
        if is_responses_heading(&b) {
            self.enter_responses(&b);
            return;
        }
        if self.dialect_section(&b) {
            return;
        }
        let Some(ep) = self.current.as_ref() else {
            return;
        };
        let route = Route {
            path: &ep.path,
            path_params: &ep.path_params,
            ok: ep.valid && ep.method.is_some(),
        };
        self.dialect.section_block(&mut self.r, &b, &route);
    }

    fn in_description(&mut self, b: Block) {
        if self.dialect_section(&b) {
            return;
        }
        match &b.kind {
            _ if is_responses_heading(&b) => self.enter_responses(&b),
            BlockKind::Heading { level: 4, text }
                if parse_status_token(first_word(text)).is_ok() =>
            {
                let line = self.r.line_of(b.range.start);
                if let Some(ep) = self.current.as_mut() {
                    ep.status_like_in_description.get_or_insert(line);
                }
            }
            BlockKind::Code { info: Some(_), .. } => self.note_swallowing_fence(&b),
            _ if looks_like_method_line(&b) => self.r.warning(
                self.r.first_line(&b.range),
                "a method line inside a description is kept as description text",
                Some("if this starts a new endpoint, put a `## Summary` heading above it".into()),
            ),
            _ => {}
        }
    }

    /// A fenced block that runs to the end of the file without a closing fence.
    fn unclosed_at_end(&self, b: &Block) -> bool {
        b.range.end >= self.r.src.len()
            && !fence_closed(self.r.src.get(b.range.clone()).unwrap_or(""))
    }

    /// Remembers a description fence whose code holds a line reading like the format's own
    /// headings (`### Responses`, a `## ` endpoint). A fence may show such text on purpose;
    /// if the endpoint then has no `### Responses` of its own, the fence was closed too
    /// late (or never) and [`Self::finish_endpoint`] says so.
    fn note_swallowing_fence(&mut self, b: &Block) {
        let fence = self.r.first_line(&b.range);
        let swallowed = self.r.src.get(fence.end..b.range.end).unwrap_or("");
        let Some(n) = swallowed
            .lines()
            .skip(1)
            .position(|l| l.starts_with("## ") || l.trim_end() == "### Responses")
        else {
            return;
        };
        let line = self.r.line_of(fence.end) + u32::try_from(n).unwrap_or(u32::MAX) + 1;
        let closed = if self.unclosed_at_end(b) {
            "is never closed".to_owned()
        } else {
            format!(
                "is closed only on line {}",
                self.r.line_of(b.range.end.saturating_sub(1))
            )
        };
        if let Some(ep) = self.current.as_mut() {
            ep.swallowing_fence.get_or_insert(SwallowingFence {
                fence,
                closed,
                line,
            });
        }
    }

    /// Closes the current endpoint at `end` (the next `##` or the end of the file).
    fn finish_endpoint(&mut self, end: usize) {
        let Some(mut ep) = self.current.take() else {
            return;
        };
        if ep.section == Section::ExpectMethod {
            self.missing_method_line(ep.heading.clone(), None);
            ep.valid = false;
        }
        let extras = self.dialect.finish_endpoint(&mut self.r);
        match &ep.responses_heading {
            None if self.dialect.responses_optional() => {}
            None if ep.swallowing_fence.is_some() => {
                if let Some(f) = ep.swallowing_fence.take() {
                    self.r.error(
                        f.fence,
                        format!("this code fence {}, so the heading on line {} is inside it and the endpoint has no `### Responses`", f.closed, f.line),
                        Some("close the fence right after its code with a line of the same backticks or tildes".into()),
                    );
                    ep.valid = false;
                }
            }
            // An endpoint already left out for an error gets no warning about its responses:
            // the warning would be about an endpoint that is not in the IR.
            _ if !ep.valid => {}
            None => {
                let help = match ep.status_like_in_description {
                    Some(line) => format!(
                        "the `####` heading on line {line} reads like a response: put `### Responses` above it"
                    ),
                    None => {
                        "add `### Responses` with a `#### <status>` heading per response".to_owned()
                    }
                };
                self.r.warning(
                    ep.heading.clone(),
                    "endpoint has no `### Responses` section: no responses are documented",
                    Some(help),
                );
            }
            Some(heading) if ep.responses.is_empty() => self.r.warning(
                heading.clone(),
                "`### Responses` section has no `#### <status>` headings",
                None,
            ),
            Some(_) => {}
        }
        let Some(method) = ep.method.filter(|_| ep.valid) else {
            return;
        };
        let desc_end = ep.desc_end.unwrap_or(end).max(ep.desc_start);
        let description =
            verbatim_block(self.r.src.get(ep.desc_start..desc_end).unwrap_or("")).to_owned();
        let mut responses: Vec<Response> = Vec::new();
        for resp in ep.responses {
            let span = self.r.span(resp.heading.clone());
            let mut shape = match resp.shape {
                None => Shape {
                    kind: ShapeKind::NoBody,
                    span: span.clone(),
                },
                Some(None) => continue,
                Some(Some(shape)) => shape,
            };
            // An invalid status or note was an error: the response is left out.
            let Some(status) = resp.status else {
                continue;
            };
            // HTTP sends no body with these: a shape would have the client wait for one.
            let bodiless = match (method, status) {
                (Method::Head, _) => Some("a response to `HEAD`".to_owned()),
                (_, Status::Code(code @ (204 | 205 | 304))) => Some(format!("a `{code}` response")),
                _ => None,
            };
            if let Some(what) = bodiless.filter(|_| shape.kind != ShapeKind::NoBody) {
                self.r.warning(
                    shape.span.range.clone(),
                    format!("{what} has no body: its shape is ignored"),
                    Some("HTTP sends no body with a 204, 205 or 304, nor with any answer to HEAD; the call returns the raw (empty) body".into()),
                );
                shape = Shape {
                    kind: ShapeKind::NoBody,
                    span: span.clone(),
                };
            }
            let data_at = match resp.data_at {
                None => None,
                Some(None) => continue,
                Some(Some(note)) => Some(note),
            };
            // A duplicate status was an error: keep the first only.
            if responses.iter().any(|r| r.status == status) {
                continue;
            }
            responses.push(Response {
                span,
                status,
                description: resp.description,
                data_at,
                shape,
                shape_overlaid: false,
            });
        }
        // A dialect whose responses are optional adds to another file's responses: what the
        // client decodes is decided there.
        if !self.dialect.responses_optional() {
            self.check_success_shapes(&responses);
        }
        let route = (method, ep.path.clone());
        let line = self.r.line_of(ep.heading.start);
        if let Some(&first) = self.routes.get(&route) {
            let route = format!("{} {}", method.as_str(), ep.path);
            if self.dialect.unique_routes() {
                self.r.error(
                    ep.heading.clone(),
                    format!("`{route}` appears twice in this overlay (first at line {first})"),
                    Some("give each endpoint once; this one is left out".into()),
                );
                return;
            }
            self.r.warning(
                ep.heading.clone(),
                format!("`{route}` is documented twice in this file (first at line {first})"),
                Some("both endpoints are kept; their generated names must differ".into()),
            );
        } else {
            self.routes.insert(route, line);
        }
        self.endpoints.push(Endpoint {
            span: self.r.span(ep.heading.clone()),
            route: self.r.span(ep.method_line.clone()),
            summary: ep.summary,
            method,
            path: match &ep.fragment {
                Some(fragment) => ep.path[..ep.path.len() - fragment.len() - 1].to_owned(),
                None => ep.path,
            },
            fragment: ep.fragment,
            path_parts: ep.path_parts,
            path_params: ep.path_params,
            description,
            params: extras.params,
            variants: extras.variants,
            responses,
            method_name: extras.method_name,
            items_field: extras.items_field,
            body: extras.body,
        });
    }

    /// Once, at the first endpoint or the end of the file.
    fn finish_intro(&mut self) {
        if self.envelope.is_none() {
            self.envelope = Some(self.dialect.finish_intro(&mut self.r));
        }
    }

    fn finish(mut self) -> (Option<Doc>, Vec<Diagnostic>) {
        self.finish_endpoint(self.r.src.len());
        self.finish_intro();
        if self.title.is_none() && !self.no_title_reported {
            let line = self.r.first_line(&(0..0));
            self.r.error(
                line,
                "expected a `# Title` heading: the file has none",
                Some("start the file with `# <group title>`".into()),
            );
        }
        let file: &str = &self.r.file;
        let doc = self.title.map(|title| Doc {
            file: file.to_owned(),
            group: Path::new(file)
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or(file)
                .to_owned(),
            title,
            envelope: self.envelope.unwrap_or_default(),
            endpoints: self.endpoints,
        });
        let mut diags = self.r.diags;
        crate::diag::sort(&mut diags);
        (doc, diags)
    }
}

fn method_list() -> String {
    Method::ALL
        .iter()
        .map(|m| m.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// `text` without its leading blank lines and trailing whitespace. The first line keeps its
/// indentation: a description that opens with an indented code block stays one.
pub(crate) fn verbatim_block(text: &str) -> &str {
    let text = text.trim_end();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        if !line.trim().is_empty() {
            break;
        }
        start += line.len();
    }
    text.get(start..).unwrap_or("")
}
