//! Parse stage, reporting: the file being parsed and the problems found in it so far, so every
//! grammar locates its diagnostics the same way.

use std::ops::Range;
use std::sync::Arc;

use crate::diag::{Diagnostic, LineIndex, Severity};
use crate::ir::Span;

/// One file being parsed: its text, where its lines are, and the problems found so far.
/// Every grammar reports through it, so every diagnostic is located the same way.
pub(super) struct Reporter<'a> {
    pub(super) file: Arc<str>,
    pub(super) src: &'a str,
    pub(super) lines: LineIndex<'a>,
    pub(super) diags: Vec<Diagnostic>,
}

impl<'a> Reporter<'a> {
    pub(super) fn new(file: &str, src: &'a str) -> Self {
        Reporter {
            file: file.into(),
            src,
            lines: LineIndex::new(src),
            diags: Vec::new(),
        }
    }

    pub(super) fn report(
        &mut self,
        severity: Severity,
        range: Range<usize>,
        message: String,
        help: Option<String>,
    ) {
        let d = self
            .lines
            .diagnostic(&self.file, severity, range, message, help);
        self.diags.push(d);
    }

    pub(super) fn error(
        &mut self,
        range: Range<usize>,
        message: impl Into<String>,
        help: Option<String>,
    ) {
        self.report(Severity::Error, range, message.into(), help);
    }

    pub(super) fn warning(
        &mut self,
        range: Range<usize>,
        message: impl Into<String>,
        help: Option<String>,
    ) {
        self.report(Severity::Warning, range, message.into(), help);
    }

    /// The first line of `range`, without its terminator: what diagnostics underline for a
    /// block, so the quote stays one line.
    pub(super) fn first_line(&self, range: &Range<usize>) -> Range<usize> {
        let start = self.lines.floor(range.start);
        start..self.lines.line_end(start).max(start)
    }

    pub(super) fn line_of(&self, offset: usize) -> u32 {
        self.lines.line_col(offset).0
    }

    /// The IR span of `range`.
    pub(super) fn span(&self, range: Range<usize>) -> Span {
        self.lines.span(&self.file, range)
    }
}
