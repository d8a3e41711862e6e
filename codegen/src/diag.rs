//! Diagnostics, shared by every stage: located problems in the docs and overlays (or in what
//! the plan makes of them), and their rendering (codespan-reporting, plain text) for the xtask
//! and the snapshot tests.
//!
//! A [`Diagnostic`] is plain data (file, 1-based line and column, byte range, message, help)
//! so it can be sorted, compared and serialised without holding on to the source text; the
//! sources are only needed again by [`render`], which quotes the offending line.

use std::collections::BTreeMap;
use std::ops::Range;

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{self, Config, termcolor::NoColor};
use serde::Serialize;

use crate::ir::Span;

/// How bad a problem is. Errors mean the docs cannot be turned into a correct client (the
/// affected endpoint or response is dropped); warnings mean something was ignored or looks
/// suspicious but the IR is still a faithful reading of the docs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Error,
    Warning,
}

/// One problem, located in a doc file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// The file name as given to the parser (relative to the docs directory).
    pub file: String,
    /// 1-based line of `range.start`.
    pub line: u32,
    /// 1-based column of `range.start`, counted in characters (as codespan-reporting does).
    pub column: u32,
    /// Byte range in the file; always on character boundaries and within the file.
    pub range: Range<usize>,
    /// What is wrong, saying what was expected.
    pub message: String,
    /// How to fix it, when there is something useful to say.
    pub help: Option<String>,
}

impl Diagnostic {
    /// An error known only by file and line (found after parsing, e.g. while planning types):
    /// rendered without a source quote.
    pub fn error_at_line(
        file: &str,
        line: u32,
        message: String,
        help: Option<String>,
    ) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            file: file.to_owned(),
            line,
            column: 1,
            range: 0..0,
            message,
            help,
        }
    }

    /// A problem at an IR [`Span`]: rendered with its source line quoted, like the parser's.
    pub fn at(
        span: &Span,
        severity: Severity,
        message: String,
        help: Option<String>,
    ) -> Diagnostic {
        Diagnostic {
            severity,
            file: span.file.to_string(),
            line: span.line,
            column: span.column,
            range: span.range.clone(),
            message,
            help,
        }
    }
}

/// True if any diagnostic is an error.
pub fn has_errors(diags: &[Diagnostic]) -> bool {
    diags.iter().any(|d| d.severity == Severity::Error)
}

/// Renders diagnostics as plain text (no colour), one block per diagnostic, each quoting the
/// offending line under a `file:line:column` header. `sources` are `(file name, text)` pairs as
/// given to the parser; a diagnostic whose file is not among them is rendered without a quote.
pub fn render(diags: &[Diagnostic], sources: &[(String, String)]) -> String {
    let mut files = SimpleFiles::new();
    let mut ids = BTreeMap::new();
    for (name, text) in sources {
        // First one wins if a name is repeated, matching a lookup by name.
        if !ids.contains_key(name.as_str()) {
            let id = files.add(name.as_str(), text.as_str());
            ids.insert(name.as_str(), (id, text.as_str()));
        }
    }
    let config = Config::default();
    let mut out = NoColor::new(Vec::new());
    for d in diags {
        let mut cs = match d.severity {
            Severity::Error => CsDiagnostic::error(),
            Severity::Warning => CsDiagnostic::warning(),
        }
        .with_message(d.message.as_str());
        let mut notes = Vec::new();
        match ids.get(d.file.as_str()) {
            Some(&(id, text)) => match excerpt(text, &clamp_range(text, &d.range)) {
                // A huge line (a 1 MB one-line shape block) is not quoted whole: that would
                // print it for every problem on it.
                Some(excerpt) => {
                    notes.push(format!("at {}:{}:{}", d.file, d.line, d.column));
                    notes.push(excerpt);
                }
                None => cs = cs.with_labels(vec![Label::primary(id, clamp_range(text, &d.range))]),
            },
            None => notes.push(format!("at {}:{}:{}", d.file, d.line, d.column)),
        }
        if let Some(help) = &d.help {
            notes.push(format!("help: {help}"));
        }
        cs = cs.with_notes(notes);
        if term::emit(&mut out, &config, &files, &cs).is_err() {
            // Only reachable if a range were invalid, which clamp_range rules out; fall back
            // to a one-line form rather than losing the diagnostic.
            let line = format!(
                "{:?}: {}:{}:{}: {}\n",
                d.severity, d.file, d.line, d.column, d.message
            );
            out.get_mut().extend_from_slice(line.as_bytes());
        }
    }
    String::from_utf8_lossy(&out.into_inner()).into_owned()
}

/// Lines longer than this are shown as an excerpt around the problem, not quoted whole.
const MAX_QUOTED_LINE: usize = 240;

/// For a problem on a line longer than [`MAX_QUOTED_LINE`]: about 60 characters either side
/// of it, marked `…` where cut, the problem itself cut at 120. `None` for ordinary lines.
fn excerpt(text: &str, range: &Range<usize>) -> Option<String> {
    let line_start = text[..range.start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[range.start..]
        .find('\n')
        .map_or(text.len(), |i| range.start + i);
    if line_end - line_start <= MAX_QUOTED_LINE {
        return None;
    }
    let floor = |mut i: usize| {
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let from = floor(range.start.saturating_sub(60).max(line_start));
    let problem_end = floor(range.end.min(range.start + 120).min(line_end));
    let to = floor((problem_end + 60).min(line_end));
    let cut = |at: bool| if at { "…" } else { "" };
    Some(format!(
        "here: {}{}»{}«{}{}",
        cut(from > line_start),
        &text[from..range.start],
        &text[range.start..problem_end.max(range.start)],
        &text[problem_end.max(range.start)..to],
        cut(to < line_end)
    ))
}

/// Clamps a byte range into `text` and onto character boundaries, so that rendering a
/// diagnostic made for another version of the file can never panic.
fn clamp_range(text: &str, range: &Range<usize>) -> Range<usize> {
    let floor = |mut i: usize| {
        i = i.min(text.len());
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let start = floor(range.start);
    let end = floor(range.end).max(start);
    start..end
}

/// Maps byte offsets of one file to 1-based line and column numbers.
#[derive(Debug, Clone)]
pub(crate) struct LineIndex<'a> {
    text: &'a str,
    /// Byte offset of the start of every line; the first is 0.
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        // `match_indices` with a char pattern searches with memchr: this runs once per file.
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { text, starts }
    }

    /// Rounds `offset` down into the text and onto a character boundary.
    pub(crate) fn floor(&self, offset: usize) -> usize {
        let mut i = offset.min(self.text.len());
        while !self.text.is_char_boundary(i) {
            i -= 1;
        }
        i
    }

    /// 0-based index of the line holding `offset`.
    fn line_index(&self, offset: usize) -> usize {
        // `starts[0] == 0`, so the partition point is at least 1.
        self.starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1)
    }

    /// 1-based line and character column of `offset` (clamped into the text).
    pub(crate) fn line_col(&self, offset: usize) -> (u32, u32) {
        let offset = self.floor(offset);
        let line = self.line_index(offset);
        let start = self.starts.get(line).copied().unwrap_or(0);
        let column = self
            .text
            .get(start..offset)
            .map_or(0, |s| s.chars().count());
        (to_u32(line + 1), to_u32(column + 1))
    }

    /// Byte range of the 1-based `line` without its line terminator, if the line exists.
    pub(crate) fn line_range(&self, line: usize) -> Option<Range<usize>> {
        let start = *self.starts.get(line.checked_sub(1)?)?;
        let end = self
            .starts
            .get(line)
            .map_or(self.text.len(), |&next| next - 1);
        let end = if end > start && self.text.as_bytes().get(end - 1) == Some(&b'\r') {
            end - 1
        } else {
            end
        };
        Some(start..end)
    }

    /// End of the line holding `offset`, excluding the line terminator.
    pub(crate) fn line_end(&self, offset: usize) -> usize {
        let line = self.line_index(self.floor(offset));
        self.line_range(line + 1).map_or(self.text.len(), |r| r.end)
    }

    /// The [`Span`] of `range` (clamped into the text) in `file`.
    pub(crate) fn span(&self, file: &std::sync::Arc<str>, range: Range<usize>) -> Span {
        let start = self.floor(range.start);
        let end = self.floor(range.end).max(start);
        let (line, column) = self.line_col(start);
        Span {
            file: file.clone(),
            line,
            column,
            range: start..end,
        }
    }

    /// Builds a diagnostic for `range` (clamped into the text).
    pub(crate) fn diagnostic(
        &self,
        file: &str,
        severity: Severity,
        range: Range<usize>,
        message: String,
        help: Option<String>,
    ) -> Diagnostic {
        let start = self.floor(range.start);
        let end = self.floor(range.end).max(start);
        let (line, column) = self.line_col(start);
        Diagnostic {
            severity,
            file: file.to_owned(),
            line,
            column,
            range: start..end,
            message,
            help,
        }
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Sorts by (file, line, column), then range, severity and message, so the order is total.
pub fn sort(diags: &mut [Diagnostic]) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_and_handles_the_end() {
        let idx = LineIndex::new("ab\néx\n");
        assert_eq!(idx.line_col(0), (1, 1));
        assert_eq!(idx.line_col(3), (2, 1));
        // 'é' is two bytes: offset 5 is 'x', the second character.
        assert_eq!(idx.line_col(5), (2, 2));
        // Inside 'é': rounded down to its start.
        assert_eq!(idx.line_col(4), (2, 1));
        assert_eq!(idx.line_col(7), (3, 1));
        assert_eq!(idx.line_col(99), (3, 1));
        assert_eq!(idx.line_range(2), Some(3..6));
        assert_eq!(idx.line_range(4), None);
        assert_eq!(idx.line_end(1), 2);
    }

    #[test]
    fn line_range_drops_carriage_returns() {
        let idx = LineIndex::new("a\r\nb");
        assert_eq!(idx.line_range(1), Some(0..1));
        assert_eq!(idx.line_range(2), Some(3..4));
    }

    #[test]
    fn a_problem_on_a_huge_line_is_shown_as_an_excerpt() {
        let line = format!(
            "{{\"k\": \"*nope*\", {}}}",
            "\"x\": \"*string*\", ".repeat(50_000)
        );
        let text = format!("# T\n{line}\n");
        let idx = LineIndex::new(&text);
        let at = text.find("\"*nope*\"").unwrap_or(0);
        let d = idx.diagnostic("a.md", Severity::Error, at..at + 8, "bad".into(), None);
        let out = render(&[d], &[("a.md".to_owned(), text.clone())]);
        assert!(out.len() < 1_000, "{} bytes", out.len());
        assert!(
            out.contains("a.md:2:") && out.contains("»\"*nope*\"«"),
            "{out}"
        );
    }

    #[test]
    fn render_quotes_the_line_and_survives_foreign_ranges() {
        let sources = vec![("a.md".to_owned(), "# T\n## x\n".to_owned())];
        let idx = LineIndex::new(&sources[0].1);
        let d = idx.diagnostic(
            "a.md",
            Severity::Error,
            4..8,
            "bad".into(),
            Some("fix".into()),
        );
        let out = render(std::slice::from_ref(&d), &sources);
        assert!(out.contains("error: bad"), "{out}");
        assert!(out.contains("a.md:2:1"), "{out}");
        assert!(out.contains("## x"), "{out}");
        assert!(out.contains("help: fix"), "{out}");
        let foreign = Diagnostic {
            range: 500..900,
            ..d.clone()
        };
        assert!(render(&[foreign], &sources).contains("error: bad"));
        let missing = Diagnostic {
            file: "b.md".into(),
            ..d
        };
        assert!(render(&[missing], &sources).contains("at b.md:2:1"));
    }
}
