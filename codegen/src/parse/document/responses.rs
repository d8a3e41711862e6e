//! Parse stage, document grammar: the `### Responses` section of an endpoint (its `####`
//! statuses, `> Data is at` notes and shape blocks), and the check of its 2xx shapes.

use std::ops::Range;

use super::{DocParser, ResponseBuilder};
use crate::ir::{DataAt, Response, Shape, ShapeKind};
use crate::parse::blocks::{
    Block, BlockKind, data_note, first_word, is_responses_heading, looks_like_method_line,
};
use crate::parse::data_at::{self, parse_data_at};
use crate::parse::dialect::Dialect;
use crate::parse::shape::parse_shape;
use crate::parse::status::parse_status_token;

impl<D: Dialect> DocParser<'_, D> {
    pub(super) fn in_responses(&mut self, b: Block) {
        let line = self.r.first_line(&b.range);
        if matches!(b.kind, BlockKind::Heading { level: 3, .. })
            && self.dialect.section_heading(&mut self.r, &b, true)
        {
            return;
        }
        let has_response = self
            .current
            .as_ref()
            .is_some_and(|ep| !ep.responses.is_empty());
        match &b.kind {
            BlockKind::Heading { level: 4, text } => {
                let text = text.clone();
                self.start_response(&b, &text);
            }
            _ if is_responses_heading(&b) => {
                self.r.warning(line, "a second `### Responses` heading in one endpoint is ignored", None)
            }
            BlockKind::Heading { .. } => self.r.warning(
                line,
                "heading ignored: a `### Responses` section holds only `#### <status>` headings",
                Some("description headings go above `### Responses`".into()),
            ),
            _ if !has_response => {
                self.r.warning(line, "content between `### Responses` and the first `#### <status>` heading is ignored", None)
            }
            BlockKind::Quote(items) => match data_note(items) {
                Some((at, range)) => self.data_note(line, &at, range),
                None => self.description_text(&b),
            },
            BlockKind::Code { info: Some(info), content } if first_word(info) == "json" => {
                let content = content.clone();
                let unclosed = self.unclosed_at_end(&b);
                self.shape_block(line, content, unclosed);
            }
            BlockKind::Code { .. } => self.r.warning(
                line,
                "code block ignored: a response shape is a fenced block with the `json` info string",
                Some("write ```json on the opening fence".into()),
            ),
            // Only an overlay reads tables; its `### Parameters` or `### Variants` table
            // written below `### Responses` was reported at its heading.
            BlockKind::Table(_) => self.r.warning(
                line,
                "table ignored: a response holds its description, a `> Data is at` note and a shape",
                Some("put an endpoint's tables above `### Responses`".into()),
            ),
            _ if looks_like_method_line(&b) => self.r.error(
                line,
                "method line inside a `### Responses` section: no endpoint is generated for it",
                Some("put a `## Summary` heading right above the method line".into()),
            ),
            _ => self.description_text(&b),
        }
    }

    /// Text in a response (a paragraph, a list, a quote that is not the data note): the
    /// response's description goes on past its heading's line, as renderers write a
    /// description of several lines.
    fn description_text(&mut self, b: &Block) {
        let text = self.r.src.get(b.range.clone()).unwrap_or("").trim_end();
        if let Some(resp) = self.current.as_mut().and_then(|ep| ep.responses.last_mut()) {
            if !resp.description.is_empty() {
                resp.description.push_str("\n\n");
            }
            resp.description.push_str(text);
        }
    }

    fn start_response(&mut self, b: &Block, text: &str) {
        let heading = self.r.first_line(&b.range);
        let text = text.trim();
        let token = first_word(text);
        let description = text.get(token.len()..).unwrap_or("").trim().to_owned();
        // Point at the status token when it can be found on the heading line.
        let token_range = self
            .r
            .src
            .get(heading.clone())
            .and_then(|s| {
                if token.is_empty() {
                    None
                } else {
                    s.find(token)
                }
            })
            .map_or(heading.clone(), |i| {
                heading.start + i..heading.start + i + token.len()
            });
        let status = match parse_status_token(token) {
            Ok(s) => Some(s),
            Err((message, help)) => {
                self.r.error(token_range.clone(), message, Some(help));
                None
            }
        };
        if let Some(status) = status {
            let first = self.current.as_ref().and_then(|ep| {
                ep.responses
                    .iter()
                    .find(|r| r.status == Some(status))
                    .map(|r| self.r.line_of(r.heading.start))
            });
            if let Some(first) = first {
                self.r.error(
                    token_range,
                    format!("duplicate status `{status}` in one endpoint (first at line {first})"),
                    Some("document each status once; `4XX` and `4xx` are the same class".into()),
                );
            }
        }
        if let Some(ep) = self.current.as_mut() {
            ep.responses.push(ResponseBuilder {
                heading,
                status,
                description,
                data_at: None,
                shape: None,
            });
        }
    }

    /// `> Data is at `...``: `at` is the code text, `range` the code span (backticks included).
    fn data_note(&mut self, line: Range<usize>, at: &str, range: Range<usize>) {
        let already = self
            .current
            .as_ref()
            .and_then(|ep| ep.responses.last())
            .is_some_and(|r| r.data_at.is_some());
        if already {
            self.r.warning(
                line,
                "a second `> Data is at` note in one response is ignored",
                None,
            );
            return;
        }
        // The code text sits inside the span's backticks.
        let text_start = self
            .r
            .src
            .get(range.clone())
            .and_then(|s| s.find(at))
            .map_or(range.start, |i| range.start + i);
        let note = match parse_data_at(at) {
            Ok(keys) => Some(DataAt {
                keys,
                span: self.r.span(range),
            }),
            Err(e) => {
                let at_range = text_start + e.range.start..text_start + e.range.end;
                let at_range = if at_range.is_empty() { range } else { at_range };
                self.r
                    .error(at_range, e.message, Some(data_at::HELP.to_owned()));
                None
            }
        };
        if let Some(resp) = self.current.as_mut().and_then(|ep| ep.responses.last_mut()) {
            resp.data_at = Some(note);
        }
    }

    fn shape_block(&mut self, line: Range<usize>, content: Option<Range<usize>>, unclosed: bool) {
        let already = self
            .current
            .as_ref()
            .and_then(|ep| ep.responses.last())
            .is_some_and(|r| r.shape.is_some());
        if already {
            self.r.error(
                line,
                "a second `json` shape block in one response",
                Some("a response has one shape; put examples in the endpoint's description".into()),
            );
            return;
        }
        let shape = self.parse_shape(line, content, unclosed);
        if let Some(resp) = self.current.as_mut().and_then(|ep| ep.responses.last_mut()) {
            resp.shape = Some(shape);
        }
    }

    /// `unclosed`: the fence runs to the end of the file, which is worth a hint on failure.
    fn parse_shape(
        &mut self,
        fence: Range<usize>,
        content: Option<Range<usize>>,
        unclosed: bool,
    ) -> Option<Shape> {
        let text = content
            .as_ref()
            .and_then(|c| self.r.src.get(c.clone()))
            .unwrap_or("");
        let Some(content) = content.filter(|_| !text.trim().is_empty()) else {
            return Some(Shape {
                kind: ShapeKind::NoBody,
                span: self.r.span(fence),
            });
        };
        let r = &self.r;
        let base = content.start;
        match parse_shape(text, &|range: Range<usize>| {
            r.span(base + range.start..base + range.end)
        }) {
            Ok(shape) => Some(shape),
            Err(e) => {
                let help = if unclosed {
                    "the ```json block is never closed, so it runs to the end of the file: add the closing ```".to_owned()
                } else {
                    e.help
                };
                self.r.error(
                    base + e.range.start..base + e.range.end,
                    e.message,
                    Some(help),
                );
                None
            }
        }
    }

    /// The client decodes every 2xx body as the first documented 2xx shape; a later 2xx
    /// with another shape is worth a warning at that response.
    pub(super) fn check_success_shapes(&mut self, responses: &[Response]) {
        let mut with_body = responses
            .iter()
            .filter(|r| r.status.is_success() && r.shape.kind != ShapeKind::NoBody);
        let Some(first) = with_body.next() else {
            return;
        };
        // Spans are not serialised: equal JSON is an equal structure.
        let structure = |r: &Response| serde_json::to_string(&r.shape).unwrap_or_default();
        let first_structure = structure(first);
        for other in with_body.filter(|r| structure(r) != first_structure) {
            self.r.warning(
                other.span.range.clone(),
                format!(
                    "`{}` documents another shape than `{}` (line {}): the client decodes every 2xx body as `{}`'s",
                    other.status, first.status, first.span.line, first.status
                ),
                Some("other 2xx bodies are decoded as that shape too, and what differs is reported as decode warnings".into()),
            );
        }
    }
}
