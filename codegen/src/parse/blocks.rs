//! Parse stage, block grammar: pulldown-cmark's event stream → top-level [`Block`]s.
//!
//! Only *top-level* blocks are structural, so a `####` heading, a `json` fence or a `#` line
//! inside a description (or inside a list, quote or fenced code) stays description text.
//! Each block keeps its source range and just enough of its inline content to be recognised
//! as a method line or a data note; tables (enabled only for overlays) keep their cells.

use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// Summarises `src` into its top-level blocks, in order, and hands each to `each`. `base` is
/// added to every offset (the length of a skipped byte-order mark), so ranges index the file.
pub(super) fn for_each_block(
    src: &str,
    base: usize,
    options: Options,
    mut each: impl FnMut(Block),
) {
    let body = src.get(base..).unwrap_or("");
    let mut depth = 0usize;
    let mut open: Option<Block> = None;
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
                        each(b);
                    }
                } else if let Some(b) = &mut open {
                    b.inner_end(tag);
                }
            }
            leaf => {
                if depth == 0 {
                    // A thematic break and the like: a block of its own.
                    each(Block {
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
        each(b);
    }
}

/// How many inline items of a paragraph or quote are kept: enough to recognise a method line
/// or a data note, so long description paragraphs cost nothing.
const MAX_INLINES: usize = 8;

#[derive(Debug)]
pub(super) struct Block {
    /// Byte range of the whole block in the source.
    pub(super) range: Range<usize>,
    pub(super) kind: BlockKind,
}

#[derive(Debug)]
pub(super) enum BlockKind {
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
pub(super) struct Row {
    pub(super) range: Range<usize>,
    pub(super) cells: Vec<Cell>,
}

/// A table cell: its source range (padding included) and its inline content.
#[derive(Debug)]
pub(super) struct Cell {
    pub(super) range: Range<usize>,
    pub(super) items: Vec<CellItem>,
}

#[derive(Debug, Clone, PartialEq)]
pub(super) enum CellItem {
    /// Text, adjacent runs merged (`string[]` arrives as three events).
    Text(String, Range<usize>),
    Code(String, Range<usize>),
    /// Anything else: emphasis, links, HTML, ...
    Other(Range<usize>),
}

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Inline {
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
pub(super) struct MethodLine {
    pub(super) method: String,
    pub(super) method_range: Range<usize>,
    pub(super) path: String,
    /// The code span, backticks included.
    pub(super) code_range: Range<usize>,
}

/// Recognises the shape of a method line: strong text, optional spaces, a code span. What
/// follows on the same line is the caller's business.
pub(super) fn method_line(b: &Block) -> Option<MethodLine> {
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
pub(super) fn looks_like_method_line(b: &Block) -> bool {
    method_line(b).is_some_and(|ml| {
        !ml.method.is_empty() && ml.method.bytes().all(|c| c.is_ascii_uppercase())
    })
}

/// `> Data is at `body["result"]``: returns the code text and its range.
pub(super) fn data_note(items: &[Inline]) -> Option<(String, Range<usize>)> {
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

/// True if a fenced code block's source ends with a closing fence line.
pub(super) fn fence_closed(block: &str) -> bool {
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

pub(super) fn first_word(s: &str) -> &str {
    s.split_whitespace().next().unwrap_or("")
}

/// The `### Responses` heading, which ends the description and the dialect sections.
pub(super) fn is_responses_heading(b: &Block) -> bool {
    matches!(&b.kind, BlockKind::Heading { level: 3, text } if text.trim() == "Responses")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fences_closed_or_not() {
        assert!(fence_closed("```json\n{}\n```\n"));
        assert!(fence_closed("````json\n```\n````"));
        assert!(!fence_closed("```json\n{}\n"));
        assert!(!fence_closed("```json\n"));
        assert!(!fence_closed("````json\n{}\n```"));
    }
}
