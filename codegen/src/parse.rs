//! Stage 1 of 5 (**parse** → IR → names/types → emit → write): Markdown API docs → [`crate::ir`].
//!
//! Structure is read from pulldown-cmark's event stream with source offsets, never from lines:
//! only *top-level* blocks are structural, so a `####` heading, a `json` fence or a `#` line
//! inside a description (or inside a list, quote or fenced code) stays description text. The
//! accepted format, and which problems are errors or warnings, is specified in
//! `docs/FORMAT.md`; keep the two in step.
//!
//! Every problem is collected as a [`Diagnostic`] and parsing goes on: an endpoint or response
//! with an error is left out of the IR, everything else is kept. No input makes this panic.
//!
//! The same parser reads *overlays* ([`parse_overlay`], applied by [`crate::overlay`]): docs of
//! the same format that may also give an endpoint a `### Parameters` and a `### Variants`
//! table (GFM tables are only enabled in that mode, so upstream docs read exactly as before).

use std::collections::BTreeMap;
use std::fmt;
use std::io;
use std::ops::Range;
use std::path::Path;

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};

use crate::diag::{Diagnostic, LineIndex, Severity};
use crate::ir::{
    Api, Doc, Endpoint, Field, Method, Param, ParamLocation, ParamType, PathPart, Response, Shape,
    Span, Status, Variant,
};

/// Parses every doc. `sources` are `(file name relative to the docs dir, text)`; the docs come
/// out sorted by file name and the diagnostics by (file, line, column).
pub fn parse_api(sources: &[(String, String)]) -> (Api, Vec<Diagnostic>) {
    let mut order: Vec<&(String, String)> = sources.iter().collect();
    order.sort_by(|a, b| a.0.cmp(&b.0));
    let mut docs = Vec::with_capacity(order.len());
    let mut diags = Vec::new();
    for (file, src) in order {
        let (doc, d) = parse_doc(file, src);
        docs.extend(doc);
        diags.extend(d);
    }
    sort_diagnostics(&mut diags);
    (Api { docs }, diags)
}

/// Reads every `*.md` file directly in `dir` (not in subdirectories), sorted by file name.
/// A file that is not UTF-8 is an error naming the file.
pub fn read_docs_dir(dir: &Path) -> io::Result<Vec<(String, String)>> {
    let named =
        |path: &Path, e: io::Error| io::Error::new(e.kind(), format!("{}: {e}", path.display()));
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(|e| named(dir, e))? {
        let path = entry.map_err(|e| named(dir, e))?.path();
        if path.extension().and_then(|e| e.to_str()) != Some("md") {
            continue;
        }
        // `metadata` follows symlinks: a link to a doc is a doc, a directory named `x.md` is not.
        if !std::fs::metadata(&path)
            .map_err(|e| named(&path, e))?
            .is_file()
        {
            continue;
        }
        let name = match path.file_name().and_then(|n| n.to_str()) {
            Some(n) => n.to_owned(),
            None => {
                let msg = format!("{}: file name is not valid UTF-8", path.display());
                return Err(io::Error::new(io::ErrorKind::InvalidData, msg));
            }
        };
        let bytes = std::fs::read(&path).map_err(|e| named(&path, e))?;
        let text = String::from_utf8(bytes).map_err(|e| {
            let msg = format!("{}: not valid UTF-8 ({e})", path.display());
            io::Error::new(io::ErrorKind::InvalidData, msg)
        })?;
        out.push((name, text));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

/// Parses one doc. Returns `None` only when there is nothing usable (no `# Title` before the
/// first endpoint); the diagnostics are always complete and sorted by (line, column).
pub fn parse_doc(file: &str, src: &str) -> (Option<Doc>, Vec<Diagnostic>) {
    let parsed = parse_source(file, src, Mode::Doc);
    (parsed.doc, parsed.diags)
}

/// Parses one overlay (see `docs/FORMAT.md`, "Overlays"): the doc format plus, per endpoint,
/// an optional `### Parameters` and `### Variants` table, which fill [`Endpoint::params`] and
/// [`Endpoint::variants`]. Text between the title and the first `##` is the overlay's own
/// notes, and `### Responses` is optional. Nothing is matched against a doc here: that is
/// [`crate::overlay::apply`]'s job. Same guarantees as [`parse_doc`].
pub fn parse_overlay(file: &str, src: &str) -> (Option<Doc>, Vec<Diagnostic>) {
    let parsed = parse_source(file, src, Mode::Overlay);
    (parsed.doc, parsed.diags)
}

/// An overlay with the source positions [`crate::overlay::apply`] points its diagnostics at.
pub(crate) fn parse_overlay_located(file: &str, src: &str) -> Parsed {
    parse_source(file, src, Mode::Overlay)
}

/// The result of parsing one file, with where each endpoint and response of the IR was found.
pub(crate) struct Parsed {
    pub(crate) doc: Option<Doc>,
    pub(crate) diags: Vec<Diagnostic>,
    /// Parallel to `doc.endpoints` (empty when there is no doc).
    pub(crate) located: Vec<LocatedEndpoint>,
}

/// Source ranges of one endpoint of the IR.
#[derive(Debug, Clone)]
pub(crate) struct LocatedEndpoint {
    /// The method line, without its terminator.
    pub(crate) method_line: Range<usize>,
    /// Parallel to the endpoint's `responses`.
    pub(crate) responses: Vec<LocatedResponse>,
}

/// Source ranges of one response of the IR.
#[derive(Debug, Clone)]
pub(crate) struct LocatedResponse {
    /// The `####` heading line.
    pub(crate) heading: Range<usize>,
    /// The text of the `json` shape block, if there is one.
    pub(crate) shape: Option<Range<usize>>,
}

/// Upstream doc or overlay: the overlay mode enables GFM tables and the overlay sections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Doc,
    Overlay,
}

fn parse_source(file: &str, src: &str, mode: Mode) -> Parsed {
    let mut p = DocParser::new(file, src, mode);
    // A byte-order mark would stop the first line from being a heading: skip it, and add its
    // length to every offset so they index `src`.
    let base = if src.starts_with('\u{feff}') {
        '\u{feff}'.len_utf8()
    } else {
        0
    };
    let body = src.get(base..).unwrap_or("");
    let mut depth = 0usize;
    let mut open: Option<Block> = None;
    let options = match mode {
        Mode::Doc => Options::empty(),
        Mode::Overlay => Options::ENABLE_TABLES,
    };
    for (event, r) in Parser::new_ext(body, options).into_offset_iter() {
        let r = r.start + base..r.end + base;
        match event {
            Event::Start(tag) => {
                if depth == 0 {
                    open = Some(Block::start(&tag, r));
                } else if let Some(b) = &mut open {
                    b.inner_start(&tag, r);
                }
                depth += 1;
            }
            Event::End(tag) => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    if let Some(b) = open.take() {
                        p.block(b);
                    }
                } else if let Some(b) = &mut open {
                    b.inner_end(tag);
                }
            }
            leaf => {
                if depth == 0 {
                    // A thematic break and the like: a block of its own.
                    p.block(Block {
                        range: r,
                        kind: BlockKind::Other,
                    });
                } else if let Some(b) = &mut open {
                    b.inner_leaf(leaf, r);
                }
            }
        }
    }
    // Unreachable with a well-formed event stream, but never lose a block.
    if let Some(b) = open.take() {
        p.block(b);
    }
    p.finish()
}

/// Sorts by (file, line, column), then range, severity and message, so the order is total.
pub(crate) fn sort_diagnostics(diags: &mut [Diagnostic]) {
    diags.sort_by(|a, b| {
        (
            &a.file,
            a.line,
            a.column,
            a.range.start,
            a.severity,
            &a.message,
        )
            .cmp(&(
                &b.file,
                b.line,
                b.column,
                b.range.start,
                b.severity,
                &b.message,
            ))
    });
}

// ---------------------------------------------------------------------------------------------
// Top-level blocks, summarised from the event stream.

/// How many inline items of a paragraph or quote are kept: enough to recognise a method line
/// or a data note, so long description paragraphs cost nothing.
const MAX_INLINES: usize = 8;

#[derive(Debug)]
struct Block {
    /// Byte range of the whole block in the source.
    range: Range<usize>,
    kind: BlockKind,
}

#[derive(Debug)]
enum BlockKind {
    Heading {
        level: u8,
        text: String,
    },
    Paragraph(Vec<Inline>),
    Quote(Vec<Inline>),
    /// `info` is `None` for an indented block; `content` spans the code text, if any.
    Code {
        info: Option<String>,
        content: Option<Range<usize>>,
    },
    /// A GFM table (overlay mode only): the header row first, then the body rows.
    Table(Vec<Row>),
    Other,
}

/// A table row (the header too), with its cells in order.
#[derive(Debug)]
struct Row {
    range: Range<usize>,
    cells: Vec<Cell>,
}

/// A table cell: its source range (padding included) and its inline content.
#[derive(Debug)]
struct Cell {
    range: Range<usize>,
    items: Vec<CellItem>,
}

#[derive(Debug, Clone, PartialEq)]
enum CellItem {
    /// Text, adjacent runs merged (`string[]` arrives as three events).
    Text(String, Range<usize>),
    Code(String, Range<usize>),
    /// Anything else: emphasis, links, HTML, ...
    Other(Range<usize>),
}

#[derive(Debug, Clone, PartialEq)]
enum Inline {
    StrongStart,
    StrongEnd,
    ParaStart,
    ParaEnd,
    Text(String, Range<usize>),
    Code(String, Range<usize>),
    Break,
    Other,
}

impl Block {
    fn start(tag: &Tag<'_>, range: Range<usize>) -> Block {
        let kind = match tag {
            Tag::Heading { level, .. } => BlockKind::Heading {
                level: heading_level(*level),
                text: String::new(),
            },
            Tag::Paragraph => BlockKind::Paragraph(Vec::new()),
            Tag::BlockQuote(_) => BlockKind::Quote(Vec::new()),
            Tag::CodeBlock(CodeBlockKind::Fenced(info)) => BlockKind::Code {
                info: Some(info.to_string()),
                content: None,
            },
            Tag::CodeBlock(CodeBlockKind::Indented) => BlockKind::Code {
                info: None,
                content: None,
            },
            Tag::Table(_) => BlockKind::Table(Vec::new()),
            _ => BlockKind::Other,
        };
        Block { range, kind }
    }

    fn inner_start(&mut self, tag: &Tag<'_>, range: Range<usize>) {
        if let BlockKind::Table(rows) = &mut self.kind {
            match tag {
                Tag::TableHead | Tag::TableRow => rows.push(Row {
                    range,
                    cells: Vec::new(),
                }),
                Tag::TableCell => {
                    if let Some(row) = rows.last_mut() {
                        row.cells.push(Cell {
                            range,
                            items: Vec::new(),
                        });
                    }
                }
                _ => push_cell_item(rows, CellItem::Other(range)),
            }
            return;
        }
        if !self.collecting() {
            return;
        }
        let item = match tag {
            Tag::Strong => Inline::StrongStart,
            Tag::Paragraph => Inline::ParaStart,
            _ => Inline::Other,
        };
        self.push_inline(item);
    }

    fn inner_end(&mut self, tag: TagEnd) {
        if !self.collecting() {
            return;
        }
        let item = match tag {
            TagEnd::Strong => Inline::StrongEnd,
            TagEnd::Paragraph => Inline::ParaEnd,
            _ => Inline::Other,
        };
        self.push_inline(item);
    }

    fn inner_leaf(&mut self, event: Event<'_>, range: Range<usize>) {
        let collecting = self.collecting();
        match &mut self.kind {
            BlockKind::Table(rows) => {
                let item = match event {
                    Event::Text(s) => CellItem::Text(s.into_string(), range),
                    Event::Code(s) => CellItem::Code(s.into_string(), range),
                    _ => CellItem::Other(range),
                };
                push_cell_item(rows, item);
            }
            BlockKind::Heading { text, .. } => match event {
                Event::Text(s)
                | Event::Code(s)
                | Event::InlineHtml(s)
                | Event::Html(s)
                | Event::InlineMath(s) => text.push_str(&s),
                Event::SoftBreak | Event::HardBreak => text.push(' '),
                _ => {}
            },
            BlockKind::Code { content, .. } => {
                if let Event::Text(_) = event {
                    // Top-level code text is a verbatim slice of the source apart from fence
                    // indentation, which JSON does not care about: keep the source range so
                    // that serde_json's positions map straight back into the file.
                    *content = Some(match content.take() {
                        Some(c) => c.start..range.end.max(c.end),
                        None => range,
                    });
                }
            }
            BlockKind::Paragraph(_) | BlockKind::Quote(_) if collecting => {
                let item = match event {
                    Event::Text(s) => Inline::Text(s.into_string(), range),
                    Event::Code(s) => Inline::Code(s.into_string(), range),
                    Event::SoftBreak | Event::HardBreak => Inline::Break,
                    _ => Inline::Other,
                };
                self.push_inline(item);
            }
            BlockKind::Paragraph(_) | BlockKind::Quote(_) | BlockKind::Other => {}
        }
    }

    /// Whether inline items are still worth recording: only while the block may still be a
    /// method line (a paragraph opening with strong text) or a data note (a quote opening with
    /// a paragraph), and only up to the cap. Keeps description text free of allocations.
    fn collecting(&self) -> bool {
        let (items, opener) = match &self.kind {
            BlockKind::Paragraph(items) => (items, Inline::StrongStart),
            BlockKind::Quote(items) => (items, Inline::ParaStart),
            _ => return false,
        };
        let opened = match items.first() {
            None => true,
            Some(first) => *first == opener,
        };
        items.len() <= MAX_INLINES && opened
    }

    fn push_inline(&mut self, item: Inline) {
        let (BlockKind::Paragraph(items) | BlockKind::Quote(items)) = &mut self.kind else {
            return;
        };
        // pulldown-cmark may split text at special characters; merge so patterns see one run.
        if let (Some(Inline::Text(last, last_range)), Inline::Text(s, r)) =
            (items.last_mut(), &item)
        {
            last.push_str(s);
            last_range.end = r.end;
            return;
        }
        if items.len() < MAX_INLINES {
            items.push(item);
        } else if items.len() == MAX_INLINES {
            // Marks "more follows" so a long paragraph never matches an exact pattern.
            items.push(Inline::Other);
        }
    }
}

/// Adds an inline item to the last cell of the last row, merging adjacent text.
fn push_cell_item(rows: &mut [Row], item: CellItem) {
    let Some(cell) = rows.last_mut().and_then(|r| r.cells.last_mut()) else {
        return;
    };
    if let (Some(CellItem::Text(last, last_range)), CellItem::Text(s, r)) =
        (cell.items.last_mut(), &item)
    {
        last.push_str(s);
        last_range.end = r.end;
        return;
    }
    cell.items.push(item);
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// `**METHOD** `/path``, as found (the method not yet checked).
struct MethodLine {
    method: String,
    method_range: Range<usize>,
    path: String,
    /// The code span, backticks included.
    code_range: Range<usize>,
}

/// Recognises the shape of a method line: strong text, optional spaces, a code span. What
/// follows on the same line is the caller's business.
fn method_line(b: &Block) -> Option<MethodLine> {
    let BlockKind::Paragraph(items) = &b.kind else {
        return None;
    };
    let mut it = items.iter().peekable();
    if it.next() != Some(&Inline::StrongStart) {
        return None;
    }
    let Some(Inline::Text(method, method_range)) = it.next() else {
        return None;
    };
    if it.next() != Some(&Inline::StrongEnd) {
        return None;
    }
    if let Some(Inline::Text(s, _)) = it.peek() {
        if !s.trim().is_empty() {
            return None;
        }
        it.next();
    }
    let Some(Inline::Code(path, code_range)) = it.next() else {
        return None;
    };
    Some(MethodLine {
        method: method.trim().to_owned(),
        method_range: method_range.clone(),
        path: path.clone(),
        code_range: code_range.clone(),
    })
}

/// A method line where none is expected: strong upper-case letters and a code span, the same
/// test as the corpus's independent count, so `**NB:** `x`` in prose is not one.
fn looks_like_method_line(b: &Block) -> bool {
    method_line(b).is_some_and(|ml| {
        !ml.method.is_empty() && ml.method.bytes().all(|c| c.is_ascii_uppercase())
    })
}

/// `> Data is at `body["result"]``: returns the code text and its range.
fn data_note(items: &[Inline]) -> Option<(String, Range<usize>)> {
    let mut it = items
        .iter()
        .filter(|i| !matches!(i, Inline::Text(s, _) if s.trim().is_empty()));
    if it.next() != Some(&Inline::ParaStart) {
        return None;
    }
    match (it.next(), it.next(), it.next(), it.next()) {
        (Some(Inline::Text(t, _)), Some(Inline::Code(at, r)), Some(Inline::ParaEnd), None)
            if t.trim() == "Data is at" =>
        {
            Some((at.clone(), r.clone()))
        }
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------------
// The document state machine.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    /// Right after the `##` heading: the next block must be the method line.
    ExpectMethod,
    Description,
    /// Overlay mode: after `### Parameters`, waiting for its table.
    Parameters,
    /// Overlay mode: after `### Variants`, waiting for its table.
    Variants,
    Responses,
}

/// Which overlay table section.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TableSection {
    Parameters,
    Variants,
}

impl TableSection {
    fn heading(self) -> &'static str {
        match self {
            TableSection::Parameters => "### Parameters",
            TableSection::Variants => "### Variants",
        }
    }

    fn columns(self) -> &'static [&'static str] {
        match self {
            TableSection::Parameters => &PARAM_COLUMNS,
            TableSection::Variants => &VARIANT_COLUMNS,
        }
    }
}

const PARAM_COLUMNS: [&str; 6] = ["Name", "In", "Type", "Required", "Values", "Description"];
const VARIANT_COLUMNS: [&str; 4] = ["Name", "Query", "Accept", "Description"];
const PARAM_TYPES: &str =
    "`string`, `integer`, `number`, `boolean`, `datetime`, or one of them followed by `[]`";

/// A `### Parameters` or `### Variants` heading of an overlay endpoint.
struct TableHeading {
    heading: Range<usize>,
    /// Set once the section's table was read.
    table_seen: bool,
}

struct EndpointBuilder {
    heading: Range<usize>,
    line: u32,
    summary: String,
    section: Section,
    /// False once an error means this endpoint must stay out of the IR.
    valid: bool,
    method: Option<Method>,
    path: String,
    path_parts: Vec<PathPart>,
    path_params: Vec<String>,
    desc_start: usize,
    desc_end: Option<usize>,
    /// The `### Responses` heading.
    responses_heading: Option<Range<usize>>,
    /// The method line, once read.
    method_line: Range<usize>,
    /// Overlay mode: the `### Parameters` and `### Variants` sections and what they gave.
    params_heading: Option<TableHeading>,
    variants_heading: Option<TableHeading>,
    params: Vec<Param>,
    variants: Vec<Variant>,
    /// First `####` heading in the description that reads like a status: a hint when
    /// `### Responses` is missing.
    status_like_in_description: Option<u32>,
    responses: Vec<ResponseBuilder>,
}

struct ResponseBuilder {
    line: u32,
    heading: Range<usize>,
    /// The text of the first `json` block.
    shape_range: Option<Range<usize>>,
    /// `None` when the heading's status is invalid (already reported).
    status: Option<Status>,
    description: String,
    data_at: Option<String>,
    /// `Some` once a `json` block was seen; the inner `None` when it was invalid.
    shape: Option<Option<Shape>>,
}

struct DocParser<'a> {
    file: &'a str,
    src: &'a str,
    mode: Mode,
    lines: LineIndex<'a>,
    diags: Vec<Diagnostic>,
    title: Option<String>,
    no_title_reported: bool,
    current: Option<EndpointBuilder>,
    endpoints: Vec<Endpoint>,
    /// Parallel to `endpoints`.
    located: Vec<LocatedEndpoint>,
    /// (method, path) → line, to flag a route documented twice.
    routes: BTreeMap<(Method, String), u32>,
}

impl<'a> DocParser<'a> {
    fn new(file: &'a str, src: &'a str, mode: Mode) -> Self {
        DocParser {
            file,
            src,
            mode,
            lines: LineIndex::new(src),
            diags: Vec::new(),
            title: None,
            no_title_reported: false,
            current: None,
            endpoints: Vec::new(),
            located: Vec::new(),
            routes: BTreeMap::new(),
        }
    }

    fn report(
        &mut self,
        severity: Severity,
        range: Range<usize>,
        message: String,
        help: Option<String>,
    ) {
        let d = self
            .lines
            .diagnostic(self.file, severity, range, message, help);
        self.diags.push(d);
    }

    fn error(&mut self, range: Range<usize>, message: impl Into<String>, help: Option<String>) {
        self.report(Severity::Error, range, message.into(), help);
    }

    fn warning(&mut self, range: Range<usize>, message: impl Into<String>, help: Option<String>) {
        self.report(Severity::Warning, range, message.into(), help);
    }

    /// The first line of `range`, without its terminator: what diagnostics underline for a
    /// block, so the quote stays one line.
    fn first_line(&self, range: &Range<usize>) -> Range<usize> {
        let start = self.lines.floor(range.start);
        start..self.lines.line_end(start).max(start)
    }

    fn line_of(&self, offset: usize) -> u32 {
        self.lines.line_col(offset).0
    }

    fn block(&mut self, b: Block) {
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
            Some(Section::Parameters) => self.in_table_section(b, TableSection::Parameters),
            Some(Section::Variants) => self.in_table_section(b, TableSection::Variants),
            Some(Section::Description | Section::ExpectMethod) => self.in_description(b),
        }
    }

    /// Before the first `##`: the title, and nothing else that matters.
    fn outside_endpoint(&mut self, b: Block) {
        let line = self.first_line(&b.range);
        match &b.kind {
            BlockKind::Heading { level: 1, text } if self.title.is_none() => {
                let title = text.trim().to_owned();
                if title.is_empty() {
                    self.warning(
                        line,
                        "the `#` title heading is empty",
                        Some("write the group's name after `# `".into()),
                    );
                }
                self.title = Some(title);
            }
            BlockKind::Heading { level: 1, .. } => self.warning(
                line,
                "a second `#` heading before the first endpoint is ignored",
                Some("a doc file has one `# Title`; put another group in its own file".into()),
            ),
            _ if looks_like_method_line(&b) => self.error(
                line,
                "method line outside an endpoint: no endpoint is generated for it",
                Some("put a `## Summary` heading right above the method line".into()),
            ),
            _ if self.title.is_none() => self.warning(
                line,
                "content before the `# Title` heading is ignored",
                None,
            ),
            // An overlay's introduction: its own notes (where the facts come from).
            _ if self.mode == Mode::Overlay => {}
            _ => self.warning(
                line,
                "content between the `# Title` and the first `##` endpoint is ignored",
                None,
            ),
        }
    }

    fn start_endpoint(&mut self, b: &Block, text: &str) {
        self.finish_endpoint(b.range.start);
        let heading = self.first_line(&b.range);
        if self.title.is_none() && !self.no_title_reported {
            self.no_title_reported = true;
            self.error(
                heading.clone(),
                "expected a `# Title` heading before the first endpoint",
                Some("the first heading of a doc file is `# <group title>`; no IR is produced for this file".into()),
            );
        }
        let summary = text.trim().to_owned();
        if summary.is_empty() {
            self.warning(
                heading.clone(),
                "the endpoint's `##` heading is empty",
                Some("write a summary after `## `".into()),
            );
        }
        let line = self.line_of(heading.start);
        self.current = Some(EndpointBuilder {
            heading: heading.clone(),
            line,
            summary,
            section: Section::ExpectMethod,
            valid: true,
            method: None,
            path: String::new(),
            path_parts: Vec::new(),
            path_params: Vec::new(),
            desc_start: heading.end,
            desc_end: None,
            responses_heading: None,
            method_line: heading.clone(),
            params_heading: None,
            variants_heading: None,
            params: Vec::new(),
            variants: Vec::new(),
            status_like_in_description: None,
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
            self.error(
                ml.method_range.clone(),
                format!("unknown HTTP method `{}`", ml.method),
                Some(help),
            );
        }
        let path_offset = self
            .src
            .get(ml.code_range.clone())
            .and_then(|s| s.find(ml.path.as_str()))
            .map_or(ml.code_range.start, |i| ml.code_range.start + i);
        let parsed = parse_path(&ml.path);
        for problem in &parsed.problems {
            let range = path_offset + problem.range.start..path_offset + problem.range.end;
            self.report(
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
        let line_end = self.lines.line_end(ml.code_range.end);
        let trailing = self.src.get(ml.code_range.end..line_end).unwrap_or("");
        if !trailing.trim().is_empty() {
            self.warning(
                ml.code_range.end..line_end,
                "text after the path on the method line is ignored",
                Some("put the description on the lines below the method line".into()),
            );
        }
        let method_line = self.first_line(&b.range);
        if let Some(ep) = self.current.as_mut() {
            ep.method_line = method_line;
            ep.valid &= method.is_some() && path_ok;
            ep.method = method;
            ep.path = ml.path;
            ep.path_parts = parsed.parts;
            ep.path_params = parsed.params;
            ep.desc_start = line_end.max(ep.desc_start);
        }
        true
    }

    fn missing_method_line(&mut self, heading: Range<usize>, found_at: Option<usize>) {
        let found = match found_at {
            Some(offset) => format!("line {} is not a method line", self.line_of(offset)),
            None => "nothing follows the heading".to_owned(),
        };
        self.error(
            heading,
            "expected a `**METHOD** `/path`` line right after the endpoint's `##` heading",
            Some(format!(
                "{found}, so the endpoint is left out; the first paragraph must be e.g. **GET** `/accounts/{{account_id}}`"
            )),
        );
    }

    /// `### Parameters` or `### Variants`, in overlay mode only.
    fn overlay_section(&self, b: &Block) -> Option<TableSection> {
        if self.mode != Mode::Overlay {
            return None;
        }
        match &b.kind {
            BlockKind::Heading { level: 3, text } => match text.trim() {
                "Parameters" => Some(TableSection::Parameters),
                "Variants" => Some(TableSection::Variants),
                _ => None,
            },
            _ => None,
        }
    }

    /// The `### Responses` heading: ends the description (if nothing else did) and the
    /// overlay table sections.
    fn enter_responses(&mut self, b: &Block) {
        let heading = self.first_line(&b.range);
        if let Some(ep) = self.current.as_mut() {
            ep.desc_end.get_or_insert(b.range.start);
            ep.section = Section::Responses;
            ep.responses_heading = Some(heading);
        }
    }

    fn start_table_section(&mut self, b: &Block, section: TableSection) {
        let heading = self.first_line(&b.range);
        let Some(ep) = self.current.as_mut() else {
            return;
        };
        let slot = match section {
            TableSection::Parameters => &mut ep.params_heading,
            TableSection::Variants => &mut ep.variants_heading,
        };
        let first = slot.as_ref().map(|h| h.heading.start);
        if first.is_none() {
            *slot = Some(TableHeading {
                heading: heading.clone(),
                table_seen: false,
            });
        }
        ep.desc_end.get_or_insert(b.range.start);
        ep.section = match section {
            TableSection::Parameters => Section::Parameters,
            TableSection::Variants => Section::Variants,
        };
        if let Some(first) = first {
            let first = self.line_of(first);
            self.error(
                heading,
                format!(
                    "a second `{}` heading in one endpoint (first at line {first})",
                    section.heading()
                ),
                Some("give all of an endpoint's rows in one table".into()),
            );
        }
    }

    /// Overlay mode, after `### Parameters` or `### Variants`: one table.
    fn in_table_section(&mut self, b: Block, section: TableSection) {
        if let Some(next) = self.overlay_section(&b) {
            self.start_table_section(&b, next);
            return;
        }
        let line = self.first_line(&b.range);
        let name = section.heading();
        match &b.kind {
            BlockKind::Heading { level: 3, text } if text.trim() == "Responses" => {
                self.enter_responses(&b);
            }
            BlockKind::Table(rows) => {
                let seen = self.current.as_mut().and_then(|ep| {
                    let slot = match section {
                        TableSection::Parameters => ep.params_heading.as_mut(),
                        TableSection::Variants => ep.variants_heading.as_mut(),
                    }?;
                    Some(std::mem::replace(&mut slot.table_seen, true))
                });
                if seen == Some(true) {
                    self.error(
                        line,
                        format!("a second table in one `{name}` section"),
                        Some("give all of an endpoint's rows in one table".into()),
                    );
                } else if self.header_ok(rows, section) {
                    match section {
                        TableSection::Parameters => self.parameters_table(rows),
                        TableSection::Variants => self.variants_table(rows),
                    }
                }
            }
            BlockKind::Heading { .. } => self.warning(
                line,
                format!("heading ignored: a `{name}` section holds one table"),
                Some(format!("description headings go above `{name}`")),
            ),
            _ if looks_like_method_line(&b) => self.error(
                line,
                format!("method line inside a `{name}` section: no endpoint is generated for it"),
                Some("put a `## Summary` heading right above the method line".into()),
            ),
            _ => self.warning(
                line,
                format!("text in a `{name}` section is ignored"),
                Some(format!(
                    "the section holds one table; describe the endpoint above `{name}`"
                )),
            ),
        }
    }

    fn in_description(&mut self, b: Block) {
        if let Some(section) = self.overlay_section(&b) {
            self.start_table_section(&b, section);
            return;
        }
        match &b.kind {
            BlockKind::Heading { level: 3, text } if text.trim() == "Responses" => {
                self.enter_responses(&b);
            }
            BlockKind::Heading { level: 4, text }
                if parse_status_token(first_word(text)).is_ok() =>
            {
                let line = self.line_of(b.range.start);
                if let Some(ep) = self.current.as_mut() {
                    ep.status_like_in_description.get_or_insert(line);
                }
            }
            _ => {
                if looks_like_method_line(&b) {
                    self.warning(
                        self.first_line(&b.range),
                        "a method line inside a description is kept as description text",
                        Some(
                            "if this starts a new endpoint, put a `## Summary` heading above it"
                                .into(),
                        ),
                    );
                }
            }
        }
    }

    fn in_responses(&mut self, b: Block) {
        let line = self.first_line(&b.range);
        if let Some(section) = self.overlay_section(&b) {
            self.error(
                line,
                format!(
                    "`{}` after `### Responses`: its table is not read",
                    section.heading()
                ),
                Some("put `### Parameters` and `### Variants` above `### Responses`".into()),
            );
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
            BlockKind::Heading { level: 3, text } if text.trim() == "Responses" => {
                self.warning(line, "a second `### Responses` heading in one endpoint is ignored", None)
            }
            BlockKind::Heading { .. } => self.warning(
                line,
                "heading ignored: a `### Responses` section holds only `#### <status>` headings",
                Some("description headings go above `### Responses`".into()),
            ),
            _ if !has_response => self.warning(
                line,
                "content between `### Responses` and the first `#### <status>` heading is ignored",
                None,
            ),
            BlockKind::Quote(items) => match data_note(items) {
                Some((at, _)) => self.data_note(line, at),
                None => self.warning(
                    line,
                    "quote ignored: the only note in a response is `> Data is at `...``",
                    None,
                ),
            },
            BlockKind::Code { info: Some(info), content } if first_word(info) == "json" => {
                let content = content.clone();
                let unclosed = b.range.end >= self.src.len() && !fence_closed(self.src.get(b.range.clone()).unwrap_or(""));
                self.shape_block(line, content, unclosed);
            }
            BlockKind::Code { .. } => self.warning(
                line,
                "code block ignored: a response shape is a fenced block with the `json` info string",
                Some("write ```json on the opening fence".into()),
            ),
            _ if looks_like_method_line(&b) => self.error(
                line,
                "method line inside a `### Responses` section: no endpoint is generated for it",
                Some("put a `## Summary` heading right above the method line".into()),
            ),
            _ => self.warning(line, "text in a response is ignored", Some("describe the endpoint above `### Responses`".into())),
        }
    }

    fn start_response(&mut self, b: &Block, text: &str) {
        let heading = self.first_line(&b.range);
        let line = self.line_of(heading.start);
        let text = text.trim();
        let token = first_word(text);
        let description = text.get(token.len()..).unwrap_or("").trim().to_owned();
        // Point at the status token when it can be found on the heading line.
        let token_range = self
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
                self.error(token_range.clone(), message, Some(help));
                None
            }
        };
        if let Some(status) = status {
            let first = self.current.as_ref().and_then(|ep| {
                ep.responses
                    .iter()
                    .find(|r| r.status == Some(status))
                    .map(|r| r.line)
            });
            if let Some(first) = first {
                self.error(
                    token_range,
                    format!(
                        "duplicate status `{}` in one endpoint (first at line {first})",
                        status_text(status)
                    ),
                    Some("document each status once; `4XX` and `4xx` are the same class".into()),
                );
            }
        }
        if let Some(ep) = self.current.as_mut() {
            ep.responses.push(ResponseBuilder {
                line,
                heading,
                shape_range: None,
                status,
                description,
                data_at: None,
                shape: None,
            });
        }
    }

    fn data_note(&mut self, line: Range<usize>, at: String) {
        let Some(resp) = self.current.as_mut().and_then(|ep| ep.responses.last_mut()) else {
            return;
        };
        if resp.data_at.is_some() {
            self.warning(
                line,
                "a second `> Data is at` note in one response is ignored",
                None,
            );
        } else {
            resp.data_at = Some(at);
        }
    }

    fn shape_block(&mut self, line: Range<usize>, content: Option<Range<usize>>, unclosed: bool) {
        let already = self
            .current
            .as_ref()
            .and_then(|ep| ep.responses.last())
            .is_some_and(|r| r.shape.is_some());
        if already {
            self.error(
                line,
                "a second `json` shape block in one response",
                Some("a response has one shape; put examples in the endpoint's description".into()),
            );
            return;
        }
        let shape = self.parse_shape(content.clone(), unclosed);
        if let Some(resp) = self.current.as_mut().and_then(|ep| ep.responses.last_mut()) {
            resp.shape = Some(shape);
            resp.shape_range = content;
        }
    }

    /// `unclosed`: the fence runs to the end of the file, which is worth a hint on failure.
    fn parse_shape(&mut self, content: Option<Range<usize>>, unclosed: bool) -> Option<Shape> {
        let Some(content) = content else {
            return Some(Shape::NoBody);
        };
        let text = self.src.get(content.clone()).unwrap_or("");
        if text.trim().is_empty() {
            return Some(Shape::NoBody);
        }
        let mut de = serde_json::Deserializer::from_str(text);
        let result = ShapeSeed
            .deserialize(&mut de)
            .and_then(|shape| de.end().map(|()| shape));
        match result {
            Ok(shape) => Some(shape),
            Err(e) => {
                let at = json_error_range(text, &e);
                let range = content.start + at.start..content.start + at.end;
                let (message, mut help) = json_error_message(&e);
                if unclosed {
                    help = Some("the ```json block is never closed, so it runs to the end of the file: add the closing ```".to_owned());
                }
                self.error(range, message, help);
                None
            }
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
        for (section, slot) in [
            (TableSection::Parameters, &ep.params_heading),
            (TableSection::Variants, &ep.variants_heading),
        ] {
            if let Some(h) = slot.as_ref().filter(|h| !h.table_seen) {
                let columns = section.columns().join(" | ");
                self.error(
                    h.heading.clone(),
                    format!("`{}` section without a table", section.heading()),
                    Some(format!(
                        "write the table right below the heading: `| {columns} |`"
                    )),
                );
            }
        }
        match &ep.responses_heading {
            // Responses are optional in an overlay.
            None if self.mode == Mode::Overlay => {}
            None => {
                let help = match ep.status_like_in_description {
                    Some(line) => format!("the `####` heading on line {line} reads like a response: put `### Responses` above it"),
                    None => "add `### Responses` with a `#### <status>` heading per response".to_owned(),
                };
                self.warning(
                    ep.heading.clone(),
                    "endpoint has no `### Responses` section: no responses are documented",
                    Some(help),
                );
            }
            Some(heading) if ep.responses.is_empty() => self.warning(
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
        let description = self
            .src
            .get(ep.desc_start..desc_end)
            .unwrap_or("")
            .trim()
            .to_owned();
        let (responses, located): (Vec<Response>, Vec<LocatedResponse>) = ep
            .responses
            .into_iter()
            .filter_map(|r| {
                let shape = match r.shape {
                    None => Shape::NoBody,
                    Some(shape) => shape?,
                };
                let response = Response {
                    span: Span {
                        file: self.file.to_owned(),
                        line: r.line,
                    },
                    status: r.status?,
                    description: r.description,
                    data_at: r.data_at,
                    shape,
                };
                let located = LocatedResponse {
                    heading: r.heading,
                    shape: r.shape_range,
                };
                Some((response, located))
            })
            // A duplicate status was an error: keep the first only.
            .fold(Vec::new(), |mut acc, (r, l)| {
                if !acc
                    .iter()
                    .any(|(a, _): &(Response, _)| a.status == r.status)
                {
                    acc.push((r, l));
                }
                acc
            })
            .into_iter()
            .unzip();
        let route = (method, ep.path.clone());
        if let (Some(&first), Mode::Overlay) = (self.routes.get(&route), self.mode) {
            // Which of the two adds to the doc's endpoint would be a guess.
            self.error(
                ep.heading.clone(),
                format!(
                    "`{} {}` appears twice in this overlay (first at line {first})",
                    method.as_str(),
                    ep.path
                ),
                Some("give each endpoint once; this one is left out".into()),
            );
            return;
        }
        if let Some(&first) = self.routes.get(&route) {
            self.warning(
                ep.heading.clone(),
                format!(
                    "`{} {}` is documented twice in this file (first at line {first})",
                    method.as_str(),
                    ep.path
                ),
                Some("both endpoints are kept; their generated names must differ".into()),
            );
        } else {
            self.routes.insert(route, ep.line);
        }
        self.endpoints.push(Endpoint {
            span: Span {
                file: self.file.to_owned(),
                line: ep.line,
            },
            summary: ep.summary,
            method,
            path: ep.path,
            path_parts: ep.path_parts,
            path_params: ep.path_params,
            description,
            params: ep.params,
            variants: ep.variants,
            responses,
        });
        self.located.push(LocatedEndpoint {
            method_line: ep.method_line,
            responses: located,
        });
    }

    fn finish(mut self) -> Parsed {
        self.finish_endpoint(self.src.len());
        if self.title.is_none() && !self.no_title_reported {
            let line = self.first_line(&(0..0));
            self.error(
                line,
                "expected a `# Title` heading: the file has none",
                Some("start the file with `# <group title>`".into()),
            );
        }
        sort_diagnostics(&mut self.diags);
        let doc = self.title.map(|title| Doc {
            file: self.file.to_owned(),
            group: Path::new(self.file)
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or(self.file)
                .to_owned(),
            title,
            endpoints: self.endpoints,
        });
        let located = if doc.is_some() {
            self.located
        } else {
            Vec::new()
        };
        Parsed {
            doc,
            diags: self.diags,
            located,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Overlay tables: `### Parameters` and `### Variants`.

impl DocParser<'_> {
    /// Where a diagnostic about a cell points: its content, else its padding, else its row.
    fn cell_target(&self, row: &Row, cell: Option<&Cell>) -> Range<usize> {
        let Some(cell) = cell else {
            return self.first_line(&row.range);
        };
        match (cell.items.first(), cell.items.last()) {
            (Some(first), Some(last)) => item_range(first).start..item_range(last).end,
            _ if !cell.range.is_empty() => cell.range.clone(),
            _ => self.first_line(&row.range),
        }
    }

    /// A cell's text when it is plain (text and code spans only), else its source, trimmed.
    fn plain_text(&self, cell: Option<&Cell>) -> String {
        let Some(cell) = cell else {
            return String::new();
        };
        let mut out = String::new();
        for item in &cell.items {
            match item {
                CellItem::Text(s, _) | CellItem::Code(s, _) => out.push_str(s),
                CellItem::Other(_) => return self.cell_source(Some(cell)),
            }
        }
        out.trim().to_owned()
    }

    /// A cell's Markdown source, trimmed, with the table escape `\|` undone.
    fn cell_source(&self, cell: Option<&Cell>) -> String {
        cell.and_then(|c| self.src.get(c.range.clone()))
            .unwrap_or("")
            .trim()
            .replace("\\|", "|")
    }

    /// Checks a table's header row; reports and returns false if it is not the section's.
    fn header_ok(&mut self, rows: &[Row], section: TableSection) -> bool {
        let Some(head) = rows.first() else {
            return false;
        };
        let columns = section.columns();
        let found: Vec<String> = head
            .cells
            .iter()
            .map(|c| self.plain_text(Some(c)))
            .collect();
        let ok = found.len() == columns.len()
            && found
                .iter()
                .zip(columns)
                .all(|(f, c)| f.eq_ignore_ascii_case(c));
        if !ok {
            self.error(
                self.first_line(&head.range),
                format!(
                    "unknown column layout of the `{}` table: expected `| {} |`",
                    section.heading(),
                    columns.join(" | ")
                ),
                Some(format!(
                    "found `| {} |`; the columns are exactly these, in this order (names in any case)",
                    found.join(" | ")
                )),
            );
        }
        ok
    }

    fn parameters_table(&mut self, rows: &[Row]) {
        let Some((path, path_params, valid)) = self.current.as_ref().map(|ep| {
            (
                ep.path.clone(),
                ep.path_params.clone(),
                ep.valid && ep.method.is_some(),
            )
        }) else {
            return;
        };
        let mut params = Vec::new();
        // Every name read so far, with its line: a duplicate is an error even if the first
        // row had other problems.
        let mut seen: Vec<(String, u32)> = Vec::new();
        for row in rows.iter().skip(1) {
            let ctx = ParamContext {
                path: &path,
                path_params: &path_params,
                check_path: valid,
            };
            if let Some(p) = self.param_row(row, &ctx, &mut seen) {
                params.push(p);
            }
        }
        if let Some(ep) = self.current.as_mut() {
            ep.params = params;
        }
    }

    /// One `### Parameters` row; `None` (after reporting) if it has any error.
    fn param_row(
        &mut self,
        row: &Row,
        ctx: &ParamContext<'_>,
        seen: &mut Vec<(String, u32)>,
    ) -> Option<Param> {
        let line = self.line_of(row.range.start);
        let cell = |i: usize| row.cells.get(i);
        let mut ok = true;

        let name = match cell(0).map(code_only) {
            Some(Ok(Some((n, r)))) if !n.is_empty() && !n.contains(char::is_whitespace) => {
                Some((n, r))
            }
            Some(Ok(Some((n, r)))) => {
                self.error(
                    r,
                    format!("invalid parameter name `{n}`"),
                    Some("a wire name is not empty and has no whitespace".into()),
                );
                None
            }
            _ => {
                self.error(
                    self.cell_target(row, cell(0)),
                    "expected the parameter's wire name in a code span",
                    Some("e.g. `actor.email` or `actor_email.not`, in backticks".into()),
                );
                None
            }
        };
        ok &= name.is_some();
        if let Some((n, r)) = &name {
            match seen.iter().find(|(s, _)| s == n) {
                Some((_, first)) => {
                    let first = *first;
                    self.error(
                        r.clone(),
                        format!("duplicate parameter `{n}` (first at line {first})"),
                        Some("each wire name appears once in an endpoint's table".into()),
                    );
                    ok = false;
                }
                None => seen.push((n.clone(), line)),
            }
        }

        let location_text = self.plain_text(cell(1));
        let location = match location_text.as_str() {
            "path" => Some(ParamLocation::Path),
            "query" => Some(ParamLocation::Query),
            _ => {
                self.error(
                    self.cell_target(row, cell(1)),
                    unknown_cell("parameter location", &location_text),
                    Some("the `In` column is `path` or `query`".into()),
                );
                None
            }
        };

        let type_text = self.plain_text(cell(2));
        let ty = parse_param_type(&type_text);
        if ty.is_none() {
            self.error(
                self.cell_target(row, cell(2)),
                unknown_cell("parameter type", &type_text),
                Some(format!("the `Type` column is {PARAM_TYPES}")),
            );
        }

        let required_text = self.plain_text(cell(3));
        let required = match required_text.as_str() {
            "yes" => Some(true),
            "no" => Some(false),
            _ => {
                self.error(
                    self.cell_target(row, cell(3)),
                    unknown_cell("`Required` value", &required_text),
                    Some("the `Required` column is `yes` or `no`".into()),
                );
                None
            }
        };

        let values = match cell(4).map(code_list) {
            None => Some(Vec::new()),
            Some(Ok(values)) => self.check_values(&values, ty.as_ref()),
            Some(Err(at)) => {
                self.error(
                    at,
                    "expected the values as code spans separated by commas",
                    Some("e.g. `desc`, `asc`; leave the cell empty for no closed set".into()),
                );
                None
            }
        };
        let values_target = self.cell_target(row, cell(4));
        if let (Some(values), Some(ty)) = (&values, &ty) {
            let element = match ty {
                ParamType::Array(e) => e.as_ref(),
                t => t,
            };
            if !values.is_empty() && *element == ParamType::Boolean {
                self.error(
                    values_target,
                    "a boolean parameter takes no `Values`",
                    Some("its values are `true` and `false`: leave the cell empty".into()),
                );
                ok = false;
            }
        }

        if let (Some((n, r)), Some(location)) = (&name, location) {
            let in_path = ctx.path_params.iter().any(|p| p == n);
            match location {
                ParamLocation::Path if ctx.check_path && !in_path => {
                    let help = if ctx.path_params.is_empty() {
                        "the path has no `{…}` parameters; a query parameter is `query`".to_owned()
                    } else {
                        let list: Vec<String> = ctx
                            .path_params
                            .iter()
                            .map(|p| format!("`{{{p}}}`"))
                            .collect();
                        format!("the path's parameters are {}", list.join(", "))
                    };
                    self.error(
                        r.clone(),
                        format!(
                            "path parameter `{n}` is not in the path template `{}`",
                            ctx.path
                        ),
                        Some(help),
                    );
                    ok = false;
                }
                ParamLocation::Query if in_path => {
                    self.error(
                        r.clone(),
                        format!("query parameter `{n}` has the name of a path parameter"),
                        Some(format!(
                            "`{{{n}}}` is in the path: write `path`, or use another name"
                        )),
                    );
                    ok = false;
                }
                _ => {}
            }
            if location == ParamLocation::Path {
                if required == Some(false) {
                    self.error(
                        self.cell_target(row, cell(3)),
                        format!("path parameter `{n}` is marked not required"),
                        Some("a path cannot leave a parameter out: write `yes`".into()),
                    );
                    ok = false;
                }
                if matches!(ty, Some(ParamType::Array(_))) {
                    self.error(
                        self.cell_target(row, cell(2)),
                        format!("path parameter `{n}` cannot be an array"),
                        Some("only query parameters take `[]` types".into()),
                    );
                    ok = false;
                }
            }
        }

        let description = self.cell_source(cell(5));
        if !ok {
            return None;
        }
        Some(Param {
            span: Span {
                file: self.file.to_owned(),
                line,
            },
            name: name?.0,
            location: location?,
            ty: ty?,
            required: required?,
            values: values?,
            description,
        })
    }

    /// Values are non-empty, distinct, and of the parameter's (element) type.
    fn check_values(
        &mut self,
        values: &[(String, Range<usize>)],
        ty: Option<&ParamType>,
    ) -> Option<Vec<String>> {
        let element = match ty {
            Some(ParamType::Array(e)) => Some(e.as_ref()),
            t => t,
        };
        let mut ok = true;
        let mut out: Vec<String> = Vec::new();
        for (v, r) in values {
            const ONCE: &str = "`Values` lists each allowed value once, e.g. `desc`, `asc`";
            let problem = if v.trim().is_empty() {
                Some(("an empty value".to_owned(), ONCE))
            } else if out.contains(v) {
                Some((format!("duplicate value `{v}`"), ONCE))
            } else if element == Some(&ParamType::Integer) && v.parse::<i64>().is_err() {
                Some((
                    format!("value `{v}` is not an integer"),
                    "the values of an `integer` parameter are integers, e.g. `10`",
                ))
            } else if element == Some(&ParamType::Number)
                && !v.parse::<f64>().is_ok_and(f64::is_finite)
            {
                Some((
                    format!("value `{v}` is not a number"),
                    "the values of a `number` parameter are finite numbers, e.g. `0.5`",
                ))
            } else {
                None
            };
            match problem {
                Some((message, help)) => {
                    self.error(r.clone(), message, Some(help.into()));
                    ok = false;
                }
                None => out.push(v.clone()),
            }
        }
        ok.then_some(out)
    }

    fn variants_table(&mut self, rows: &[Row]) {
        let mut variants = Vec::new();
        let mut seen: Vec<(String, u32)> = Vec::new();
        for row in rows.iter().skip(1) {
            if let Some(v) = self.variant_row(row, &mut seen) {
                variants.push(v);
            }
        }
        if let Some(ep) = self.current.as_mut() {
            ep.variants = variants;
        }
    }

    /// One `### Variants` row; `None` (after reporting) if it has any error.
    fn variant_row(&mut self, row: &Row, seen: &mut Vec<(String, u32)>) -> Option<Variant> {
        let line = self.line_of(row.range.start);
        let cell = |i: usize| row.cells.get(i);
        let mut ok = true;

        let name = match cell(0).map(code_only) {
            Some(Ok(Some((n, r)))) if is_snake_case(&n) => Some((n, r)),
            _ => {
                self.error(
                    self.cell_target(row, cell(0)),
                    "expected the variant's name in a code span: a snake_case word",
                    Some(
                        "e.g. `csv`: lower-case letters, digits and `_`, starting with a letter"
                            .into(),
                    ),
                );
                None
            }
        };
        if let Some((n, r)) = &name {
            match seen.iter().find(|(s, _)| s == n) {
                Some((_, first)) => {
                    let first = *first;
                    self.error(
                        r.clone(),
                        format!("duplicate variant `{n}` (first at line {first})"),
                        None,
                    );
                    ok = false;
                }
                None => seen.push((n.clone(), line)),
            }
        }

        let query = match cell(1).map(code_list) {
            None => Some(Vec::new()),
            Some(Ok(pairs)) => {
                let mut out = Vec::new();
                for (pair, r) in pairs {
                    match pair.split_once('=') {
                        Some((k, v)) if !k.is_empty() => out.push((k.to_owned(), v.to_owned())),
                        _ => {
                            self.error(
                                r,
                                format!("expected `key=value`, found `{pair}`"),
                                Some("e.g. `export=true`".into()),
                            );
                            ok = false;
                        }
                    }
                }
                Some(out)
            }
            Some(Err(at)) => {
                self.error(
                    at,
                    "expected the query pairs as code spans separated by commas",
                    Some("e.g. `export=true`, `format=csv`".into()),
                );
                None
            }
        };

        let accept = match cell(2).map(code_only) {
            None | Some(Ok(None)) => Some(None),
            Some(Ok(Some((t, r)))) => {
                if is_media_type(&t) {
                    Some(Some(t))
                } else {
                    self.error(
                        r,
                        format!("`{t}` is not a media type"),
                        Some("e.g. `text/csv`".into()),
                    );
                    None
                }
            }
            Some(Err(())) => {
                self.error(
                    self.cell_target(row, cell(2)),
                    "expected a media type in a code span, or nothing",
                    Some("e.g. `text/csv`".into()),
                );
                None
            }
        };

        let description = self.cell_source(cell(3));
        if !ok {
            return None;
        }
        Some(Variant {
            span: Span {
                file: self.file.to_owned(),
                line,
            },
            name: name?.0,
            query: query?,
            accept: accept?,
            description,
        })
    }
}

/// `unknown parameter type `int``, or `missing parameter type` for an empty cell.
fn unknown_cell(what: &str, text: &str) -> String {
    if text.is_empty() {
        format!("missing {what}: the cell is empty")
    } else {
        format!("unknown {what} `{text}`")
    }
}

/// What a parameter row is checked against.
struct ParamContext<'a> {
    path: &'a str,
    path_params: &'a [String],
    /// False when the method line had errors: the endpoint is dropped anyway, and its path
    /// parameters are not trustworthy.
    check_path: bool,
}

fn item_range(item: &CellItem) -> Range<usize> {
    match item {
        CellItem::Text(_, r) | CellItem::Code(_, r) | CellItem::Other(r) => r.clone(),
    }
}

/// A cell that is empty (`Ok(None)`) or one code span with only spaces around it.
fn code_only(cell: &Cell) -> Result<Option<(String, Range<usize>)>, ()> {
    let mut found = None;
    for item in &cell.items {
        match item {
            CellItem::Text(t, _) if t.trim().is_empty() => {}
            CellItem::Code(s, r) if found.is_none() => found = Some((s.clone(), r.clone())),
            _ => return Err(()),
        }
    }
    Ok(found)
}

/// Code spans separated by commas (`` `a`, `b` ``), possibly none. The error is the range of
/// the first item that does not fit.
fn code_list(cell: &Cell) -> Result<Vec<(String, Range<usize>)>, Range<usize>> {
    let mut out = Vec::new();
    // True at the start and after a comma.
    let mut need_code = true;
    let mut last_comma = None;
    for item in &cell.items {
        match item {
            CellItem::Code(s, r) if need_code => {
                out.push((s.clone(), r.clone()));
                need_code = false;
            }
            CellItem::Text(t, _) if t.trim().is_empty() => {}
            CellItem::Text(t, r) if t.trim() == "," && !need_code => {
                need_code = true;
                last_comma = Some(r.clone());
            }
            other => return Err(item_range(other)),
        }
    }
    match last_comma {
        Some(comma) if need_code => Err(comma),
        _ => Ok(out),
    }
}

/// `string`, `integer`, `number`, `boolean`, `datetime`, or one of them followed by `[]`.
fn parse_param_type(text: &str) -> Option<ParamType> {
    let (base, array) = match text.strip_suffix("[]") {
        Some(base) => (base, true),
        None => (text, false),
    };
    let base = match base {
        "string" => ParamType::String,
        "integer" => ParamType::Integer,
        "number" => ParamType::Number,
        "boolean" => ParamType::Boolean,
        "datetime" => ParamType::DateTime,
        _ => return None,
    };
    Some(if array {
        ParamType::Array(Box::new(base))
    } else {
        base
    })
}

fn is_snake_case(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// `type/subtype`, optionally with `; parameters`.
fn is_media_type(s: &str) -> bool {
    let essence = s.split(';').next().unwrap_or("").trim();
    let token = |t: &str| !t.is_empty() && !t.contains(|c: char| c.is_whitespace() || c == '/');
    match essence.split_once('/') {
        Some((ty, sub)) => token(ty) && token(sub),
        None => false,
    }
}

/// True if a fenced code block's source ends with a closing fence line.
fn fence_closed(block: &str) -> bool {
    let mut lines = block.trim_end().lines();
    let opening = lines.next().unwrap_or("").trim_start();
    let fence = opening.chars().next().unwrap_or('`');
    let width = opening.chars().take_while(|&c| c == fence).count();
    lines.last().is_some_and(|last| {
        let last = last.trim();
        last.chars().take_while(|&c| c == fence).count() >= width
            && last.chars().all(|c| c == fence)
    })
}

fn first_word(s: &str) -> &str {
    s.split_whitespace().next().unwrap_or("")
}

fn method_list() -> String {
    Method::ALL
        .iter()
        .map(|m| m.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn status_text(s: Status) -> String {
    match s {
        Status::Code(c) => c.to_string(),
        Status::Class(c) => format!("{c}XX"),
        Status::Default => "default".to_owned(),
    }
}

/// `200`, `4XX`/`4xx`, `default`. The error is (message, help).
fn parse_status_token(token: &str) -> Result<Status, (String, String)> {
    const HELP: &str = "a response heading is `#### <status> <text>`, the status being a code (`200`), a class (`4XX`, any case) or `default`";
    let bytes = token.as_bytes();
    if token == "default" {
        return Ok(Status::Default);
    }
    if token.eq_ignore_ascii_case("default") {
        return Err((
            format!("unknown status `{token}`"),
            "write `default` in lower case".to_owned(),
        ));
    }
    if let [a, b, c] = bytes {
        if bytes.iter().all(u8::is_ascii_digit) {
            let code = u16::from(a - b'0') * 100 + u16::from(b - b'0') * 10 + u16::from(c - b'0');
            if (100..=599).contains(&code) {
                return Ok(Status::Code(code));
            }
            return Err((
                format!("status code `{token}` is outside 100-599"),
                HELP.to_owned(),
            ));
        }
        if (b'1'..=b'5').contains(a)
            && b.eq_ignore_ascii_case(&b'x')
            && c.eq_ignore_ascii_case(&b'x')
        {
            return Ok(Status::Class(a - b'0'));
        }
    }
    let message = if token.is_empty() {
        "expected a status after `####`".to_owned()
    } else {
        format!("expected a status (`200`, `4XX` or `default`), found `{token}`")
    };
    Err((message, HELP.to_owned()))
}

// ---------------------------------------------------------------------------------------------
// Paths.

struct ParsedPath {
    parts: Vec<PathPart>,
    params: Vec<String>,
    problems: Vec<Problem>,
}

/// A problem at a byte range relative to what was parsed.
struct Problem {
    severity: Severity,
    range: Range<usize>,
    message: String,
    help: Option<String>,
}

/// Splits a path template into literals and `{param}`s, which may sit mid-segment
/// (`/{scan_id}.png`, `/{a}.{b}`). Collects every problem.
fn parse_path(path: &str) -> ParsedPath {
    let mut parts = Vec::new();
    let mut params: Vec<String> = Vec::new();
    let mut problems = Vec::new();
    if !path.starts_with('/') {
        problems.push(Problem {
            severity: Severity::Error,
            range: 0..path.chars().next().map_or(0, char::len_utf8),
            message: format!("path `{path}` does not start with `/`"),
            help: Some("write the path from the API root, e.g. `/zones/{zone_id}`".into()),
        });
    }
    let mut literal_start = 0;
    let mut i = 0;
    while let Some(c) = path.get(i..).and_then(|s| s.chars().next()) {
        match c {
            '{' => {
                let after = i + 1;
                let rest = path.get(after..).unwrap_or("");
                let close = rest.find('}');
                let open = rest.find('{');
                match close {
                    Some(len) if !matches!(open, Some(o) if o < len) => {
                        if literal_start < i {
                            parts.push(PathPart::Literal(
                                path.get(literal_start..i).unwrap_or("").to_owned(),
                            ));
                        }
                        let name = rest.get(..len).unwrap_or("");
                        let range = i..after + len + 1;
                        if name.is_empty() {
                            problems.push(Problem {
                                severity: Severity::Error,
                                range: range.clone(),
                                message: "empty path parameter `{}`".into(),
                                help: Some("name the parameter: `{zone_id}`".into()),
                            });
                        } else if name.contains(|c: char| c == '/' || c.is_whitespace()) {
                            problems.push(Problem {
                                severity: Severity::Error,
                                range: range.clone(),
                                message: format!("invalid path parameter name `{name}`"),
                                help: Some("a parameter name has no `/` and no whitespace".into()),
                            });
                        } else if params.iter().any(|p| p == name) {
                            problems.push(Problem {
        severity: Severity::Warning,
                                range: range.clone(),
                                message: format!(
                                    "path parameter `{{{name}}}` appears more than once; every occurrence takes the same value"
                                ),
                                help: Some("use distinct names if the values can differ".into()),
                            });
                        } else {
                            params.push(name.to_owned());
                        }
                        parts.push(PathPart::Param(name.to_owned()));
                        i = range.end;
                        literal_start = i;
                        continue;
                    }
                    _ => problems.push(Problem {
                        severity: Severity::Error,
                        range: i..after,
                        message: "unbalanced `{` in path: no matching `}`".into(),
                        help: Some("close the parameter: `{name}`".into()),
                    }),
                }
            }
            '}' => problems.push(Problem {
                severity: Severity::Error,
                range: i..i + 1,
                message: "unbalanced `}` in path: no matching `{`".into(),
                help: Some("open the parameter: `{name}`".into()),
            }),
            _ => {}
        }
        i += c.len_utf8();
    }
    if literal_start < path.len() {
        parts.push(PathPart::Literal(
            path.get(literal_start..).unwrap_or("").to_owned(),
        ));
    }
    ParsedPath {
        parts,
        params,
        problems,
    }
}

// ---------------------------------------------------------------------------------------------
// Shapes: serde_json straight into `Shape`, no intermediate `Value`.

/// Deserialises one shape. Problems are serde errors, so serde_json reports the position where
/// it found them; only the first problem of a block is reported (as for a syntax error).
struct ShapeSeed;

impl<'de> DeserializeSeed<'de> for ShapeSeed {
    type Value = Shape;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Shape, D::Error> {
        d.deserialize_any(ShapeVisitor)
    }
}

struct ShapeVisitor;

const PLACEHOLDERS: &str =
    "\"*string*\", \"*integer*\", \"*number*\", \"*boolean*\", \"*enum: a | b*\" or null";
const MSG_PLACEHOLDER: &str = "unknown placeholder";
const MSG_ENUM: &str = "invalid enum placeholder";
const MSG_LITERAL: &str = "a literal value is not a shape:";
const MSG_ARRAY: &str = "an array shape has exactly one element";
const MSG_DUPLICATE: &str = "duplicate key";

impl<'de> Visitor<'de> for ShapeVisitor {
    type Value = Shape;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "a shape: {PLACEHOLDERS}, an object or a one-element array"
        )
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Shape, E> {
        match v {
            "*string*" => Ok(Shape::String),
            "*integer*" => Ok(Shape::Integer),
            "*number*" => Ok(Shape::Number),
            "*boolean*" => Ok(Shape::Boolean),
            _ => match v.strip_prefix("*enum:").and_then(|s| s.strip_suffix('*')) {
                Some(list) => enum_values(list)
                    .map(|values| Shape::Enum { values })
                    .map_err(|problem| E::custom(format_args!("{MSG_ENUM} {v:?}: {problem}"))),
                None => Err(E::custom(format_args!("{MSG_PLACEHOLDER} {v:?}"))),
            },
        }
    }

    fn visit_unit<E: de::Error>(self) -> Result<Shape, E> {
        Ok(Shape::Unknown)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Shape, E> {
        Err(E::custom(format_args!("{MSG_LITERAL} `{v}`")))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Shape, E> {
        Err(E::custom(format_args!("{MSG_LITERAL} `{v}`")))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Shape, E> {
        Err(E::custom(format_args!("{MSG_LITERAL} `{v}`")))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Shape, E> {
        Err(E::custom(format_args!("{MSG_LITERAL} `{v}`")))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Shape, A::Error> {
        let Some(element) = seq.next_element_seed(ShapeSeed)? else {
            return Err(de::Error::custom(format_args!("{MSG_ARRAY}, found none")));
        };
        if seq.next_element::<IgnoredAny>()?.is_some() {
            return Err(de::Error::custom(format_args!("{MSG_ARRAY}, found more")));
        }
        Ok(Shape::Array {
            element: Box::new(element),
        })
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Shape, A::Error> {
        let mut fields: Vec<Field> = Vec::new();
        // Linear search is cheapest for the small objects of the docs; big ones get a set.
        let mut seen: Option<std::collections::HashSet<String>> = None;
        while let Some(name) = map.next_key::<String>()? {
            let duplicate = match &mut seen {
                Some(set) => !set.insert(name.clone()),
                None => fields.iter().any(|f| f.name == name),
            };
            if duplicate {
                return Err(de::Error::custom(format_args!("{MSG_DUPLICATE} {name:?}")));
            }
            if seen.is_none() && fields.len() >= 32 {
                let mut set: std::collections::HashSet<String> =
                    fields.iter().map(|f| f.name.clone()).collect();
                set.insert(name.clone());
                seen = Some(set);
            }
            let shape = map.next_value_seed(ShapeSeed)?;
            fields.push(Field { name, shape });
        }
        Ok(if fields.is_empty() {
            Shape::FreeformObject
        } else {
            Shape::Object { fields }
        })
    }
}

/// The values of `"*enum: a | b | c*"` (given `list` = ` a | b | c`): trimmed, non-empty,
/// distinct. The error says what is wrong.
fn enum_values(list: &str) -> Result<Vec<String>, String> {
    let mut values: Vec<String> = Vec::new();
    for v in list.split('|').map(str::trim) {
        if v.is_empty() {
            return Err("empty value".to_owned());
        }
        if values.iter().any(|seen| seen == v) {
            return Err(format!("duplicate value {v:?}"));
        }
        values.push(v.to_owned());
    }
    Ok(values)
}

/// The byte range in `text` that serde_json's error position points at: the character there
/// (serde_json reports the position just after what it read), widened to the whole string
/// when a placeholder or key was rejected.
fn json_error_range(text: &str, e: &serde_json::Error) -> Range<usize> {
    let lines = LineIndex::new(text);
    let Some(line) = lines.line_range(e.line()) else {
        return text.len()..text.len();
    };
    // serde_json columns count bytes, 1-based, 0 meaning "before the first character".
    let offset = lines.floor((line.start + e.column().saturating_sub(1)).min(line.end));
    let end = text
        .get(offset..)
        .and_then(|s| s.chars().next())
        .map_or(offset, |c| offset + c.len_utf8());
    let msg = e.to_string();
    if msg.starts_with(MSG_ARRAY) {
        if let Some(span) = array_span(text, offset) {
            return span;
        }
    }
    let quoted = msg.starts_with(MSG_PLACEHOLDER)
        || msg.starts_with(MSG_ENUM)
        || msg.starts_with(MSG_DUPLICATE);
    if quoted && text.get(offset..end) == Some("\"") {
        // Walk back to the opening quote of the string just read (escapes skipped).
        let before = text.get(line.start..offset).unwrap_or("");
        let mut start = None;
        let bytes = before.as_bytes();
        let mut i = bytes.len();
        while i > 0 {
            i -= 1;
            if bytes.get(i) == Some(&b'"') && (i == 0 || bytes.get(i - 1) != Some(&b'\\')) {
                start = Some(line.start + i);
                break;
            }
        }
        if let Some(start) = start {
            return start..end;
        }
    }
    offset..end
}

/// The whole array that is open at `offset` (where serde_json stopped after rejecting it),
/// from its `[` to its `]`, found by a string-aware scan: the diagnostic then shows the array
/// rather than the bracket serde_json happened to stop at.
fn array_span(text: &str, offset: usize) -> Option<Range<usize>> {
    let mut stack: Vec<(u8, usize)> = Vec::new();
    let mut in_string = false;
    let mut escaped = false;
    let mut target: Option<(usize, usize)> = None; // (stack depth of the array, its `[`)
    for (i, &b) in text.as_bytes().iter().enumerate() {
        if i == offset {
            let k = stack.iter().rposition(|&(c, _)| c == b'[')?;
            target = stack.get(k).map(|&(_, at)| (k, at));
        }
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => stack.push((b, i)),
            b']' | b'}' => {
                stack.pop();
                if let Some((k, at)) = target {
                    if stack.len() == k {
                        return Some(at..i + 1);
                    }
                }
            }
            _ => {}
        }
    }
    target.map(|(_, at)| at..offset.max(at))
}

/// (message, help) for a shape block that failed.
fn json_error_message(e: &serde_json::Error) -> (String, Option<String>) {
    let full = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    let msg = full
        .strip_suffix(suffix.as_str())
        .unwrap_or(&full)
        .to_owned();
    match e.classify() {
        serde_json::error::Category::Data => {
            let help = if msg.starts_with(MSG_ARRAY) {
                "write the element's shape once: `[ { ... } ]`".to_owned()
            } else if msg.starts_with(MSG_DUPLICATE) {
                "each key appears once in an object".to_owned()
            } else if msg.starts_with(MSG_ENUM) {
                "an enum lists distinct, non-empty values separated by `|`: \"*enum: a | b | c*\""
                    .to_owned()
            } else {
                format!("a leaf of a shape is {PLACEHOLDERS}")
            };
            (format!("invalid response shape: {msg}"), Some(help))
        }
        _ => (
            format!("invalid JSON in response shape: {msg}"),
            Some("a shape block holds one JSON value; an empty block means no body".to_owned()),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn literal(s: &str) -> PathPart {
        PathPart::Literal(s.to_owned())
    }

    fn param(s: &str) -> PathPart {
        PathPart::Param(s.to_owned())
    }

    #[test]
    fn paths_split_mid_segment() {
        let p = parse_path("/x/{event_t}.{event_n}");
        assert!(p.problems.is_empty());
        assert_eq!(
            p.parts,
            vec![
                literal("/x/"),
                param("event_t"),
                literal("."),
                param("event_n")
            ]
        );
        assert_eq!(p.params, vec!["event_t", "event_n"]);
        let p = parse_path("/{scan_id}.png");
        assert_eq!(
            p.parts,
            vec![literal("/"), param("scan_id"), literal(".png")]
        );
    }

    #[test]
    fn path_problems_are_all_collected() {
        let p = parse_path("a/{x}/{x}/{}/{y/}z}");
        let messages: Vec<_> = p.problems.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(
            messages,
            vec![
                "path `a/{x}/{x}/{}/{y/}z}` does not start with `/`",
                "path parameter `{x}` appears more than once; every occurrence takes the same value",
                "empty path parameter `{}`",
                "invalid path parameter name `y/`",
                "unbalanced `}` in path: no matching `{`",
            ]
        );
        assert_eq!(parse_path("/{a").problems.len(), 1);
        assert_eq!(parse_path("/{a{b}").problems.len(), 1);
    }

    #[test]
    fn statuses() {
        assert_eq!(parse_status_token("200"), Ok(Status::Code(200)));
        assert_eq!(parse_status_token("4xx"), Ok(Status::Class(4)));
        assert_eq!(parse_status_token("5XX"), Ok(Status::Class(5)));
        assert_eq!(parse_status_token("default"), Ok(Status::Default));
        assert!(parse_status_token("Default").is_err());
        assert!(parse_status_token("600").is_err());
        assert!(parse_status_token("6XX").is_err());
        assert!(parse_status_token("OK").is_err());
        assert!(parse_status_token("").is_err());
    }

    #[test]
    fn array_errors_span_the_whole_array() {
        for (text, want) in [
            (
                "{\"a\": [\n  \"*string*\",\n  \"*string*\"\n]}",
                "[\n  \"*string*\",\n  \"*string*\"\n]",
            ),
            ("[\"*string*\", \"]\", 3]", "[\"*string*\", \"]\", 3]"),
            ("{\"a\": []}", "[]"),
        ] {
            let e = ShapeSeed
                .deserialize(&mut serde_json::Deserializer::from_str(text))
                .err();
            let Some(e) = e else {
                panic!("expected an error for {text}")
            };
            assert_eq!(text.get(json_error_range(text, &e)), Some(want), "{text}");
        }
    }

    #[test]
    fn fences_closed_or_not() {
        assert!(fence_closed("```json\n{}\n```\n"));
        assert!(fence_closed("````json\n```\n````"));
        assert!(!fence_closed("```json\n{}\n"));
        assert!(!fence_closed("```json\n"));
        assert!(!fence_closed("````json\n{}\n```"));
    }

    #[test]
    fn json_errors_point_at_the_offending_string() {
        let text = "{\n  \"a\": \"*strin*\"\n}";
        let e = ShapeSeed
            .deserialize(&mut serde_json::Deserializer::from_str(text))
            .err();
        let Some(e) = e else {
            panic!("expected an error")
        };
        let r = json_error_range(text, &e);
        assert_eq!(text.get(r), Some("\"*strin*\""));
    }
}
