//! Parse stage, overlay settings grammar: the `### Settings` table an overlay may give between
//! its title and its first endpoint, which says how the doc's whole group answers (today: with
//! Cloudflare's envelope or without one).

use std::ops::Range;

use super::blocks::{Block, BlockKind, Row};
use super::overlay_cells::{body_rows, cell_target, code_only, header_ok, plain_text};
use super::report::Reporter;
use crate::ir::Envelope;

const SETTING_COLUMNS: [&str; 2] = ["Setting", "Value"];

/// The `### Settings` section of one overlay, read block by block.
#[derive(Default)]
pub(super) struct Settings {
    /// The heading, once seen, and whether its table was read.
    heading: Option<(Range<usize>, bool)>,
    /// Blocks go to the section (until the first endpoint).
    open: bool,
    /// `envelope`, with the line that set it.
    envelope: Option<(Envelope, u32)>,
}

impl Settings {
    /// A block between the overlay's title and its first endpoint; true if it belongs to the
    /// settings (anything else there is the overlay's own notes).
    pub(super) fn intro_block(&mut self, r: &mut Reporter<'_>, b: &Block) -> bool {
        match &b.kind {
            BlockKind::Heading { level: 3, text } if text.trim() == "Settings" => {
                let heading = r.first_line(&b.range);
                match &self.heading {
                    Some((first, _)) => {
                        let first = r.line_of(first.start);
                        r.error(
                            heading,
                            format!("a second `### Settings` heading (first at line {first})"),
                            Some("give every setting in one table".into()),
                        );
                    }
                    None => self.heading = Some((heading, false)),
                }
                self.open = true;
                true
            }
            BlockKind::Heading { .. } => {
                // Another heading ends the section; the notes go on.
                self.open = false;
                false
            }
            BlockKind::Table(rows) if self.open => {
                let line = r.first_line(&b.range);
                match self.heading.as_mut() {
                    Some((_, seen @ false)) => {
                        *seen = true;
                        if header_ok(r, rows, "### Settings", &SETTING_COLUMNS) {
                            self.table(r, rows);
                        }
                    }
                    _ => r.error(
                        line,
                        "a second table in the `### Settings` section",
                        Some("give every setting in one table".into()),
                    ),
                }
                true
            }
            _ => false,
        }
    }

    /// The file's intro ended (at its first endpoint or the end of the file): what the
    /// settings say, the default for what they do not.
    pub(super) fn finish(&mut self, r: &mut Reporter<'_>) -> Envelope {
        self.open = false;
        if let Some((heading, false)) = self.heading.take() {
            r.error(
                heading,
                "`### Settings` section without a table",
                Some("write the table right below the heading: `| Setting | Value |`".into()),
            );
        }
        self.envelope.take().map(|(e, _)| e).unwrap_or_default()
    }

    fn table(&mut self, r: &mut Reporter<'_>, rows: &[Row]) {
        for row in body_rows(r, rows, SETTING_COLUMNS.len()) {
            let line = r.line_of(row.range.start);
            let setting = plain_text(r, row.cells.first());
            if setting != "envelope" {
                r.error(
                    cell_target(r, row, row.cells.first()),
                    format!("unknown setting `{setting}`: expected `envelope`"),
                    Some("`envelope` says how the API wraps its answers".into()),
                );
                continue;
            }
            let value = match row.cells.get(1).map(code_only) {
                Some(Ok(Some((value, _)))) => match value.as_str() {
                    "cloudflare" => Some(Envelope::Cloudflare),
                    "none" => Some(Envelope::None),
                    _ => None,
                },
                _ => None,
            };
            let Some(value) = value else {
                r.error(
                    cell_target(r, row, row.cells.get(1)),
                    "expected `cloudflare` or `none` in a code span",
                    Some("`none`: a 2xx body is the data and an error is its status and body; `cloudflare` (the default): Cloudflare's envelope".into()),
                );
                continue;
            };
            match self.envelope {
                Some((_, first)) => r.error(
                    cell_target(r, row, row.cells.first()),
                    format!("`envelope` is set twice (first at line {first})"),
                    None,
                ),
                None => self.envelope = Some((value, line)),
            }
        }
    }
}
