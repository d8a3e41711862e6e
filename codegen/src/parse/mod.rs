//! Parse stage: Markdown API docs (and overlays) → [`crate::ir`].
//!
//! One module per grammar: [`source`] reads the files; `blocks` turns pulldown-cmark's event
//! stream (with source offsets, never lines) into top-level blocks; `document` is the state
//! machine over them; `status`, `path`, `data_at` and `shape` read the status of a response
//! heading, the path template, the `> Data is at` note and the JSON shape block;
//! `overlay_tables` is the overlay dialect (its `### Parameters` and `### Variants` tables,
//! `overlay_names` its `### Names` table, `overlay_settings` the file's `### Settings` table,
//! `overlay_cells` what they read cells with);
//! `report` is where every grammar reports a problem.
//! The accepted format, and which problems are errors or warnings, is specified in
//! `docs/FORMAT.md`; keep the two in step.
//!
//! Every problem is collected as a [`Diagnostic`] and parsing goes on: an endpoint or response
//! with an error is left out of the IR, everything else is kept. No input makes this panic.
//! Every IR item read from the text carries its [`Span`], shape nodes and keys included.

mod blocks;
mod data_at;
mod dialect;
mod document;
mod overlay_body;
mod overlay_cells;
mod overlay_names;
mod overlay_settings;
mod overlay_tables;
mod path;
mod report;
mod shape;
pub mod source;
mod status;

use crate::diag::{self, Diagnostic};
use crate::ir::{Api, Doc};

pub(crate) use shape::{MAP_KEY, NULLABLE_KEY, ONE_OF_KEY, own_keys, read_json, union_selectors};
pub use source::read_docs_dir;

/// Parses every doc. `sources` are `(file name relative to the docs dir, text)`; the docs come
/// out sorted by file name and the diagnostics by (file, line, column).
pub fn parse_api(sources: &[(String, String)]) -> (Api, Vec<Diagnostic>) {
    let mut order: Vec<&(String, String)> = sources.iter().collect();
    order.sort_by(|a, b| a.0.cmp(&b.0));
    let mut docs = Vec::with_capacity(order.len());
    let mut diags = Vec::new();
    // Each doc is parsed on its own: in parallel, collected in file order.
    for (doc, d) in crate::parallel::map(&order, |(file, src)| parse_doc(file, src)) {
        docs.extend(doc);
        diags.extend(d);
    }
    diag::sort(&mut diags);
    (Api { docs }, diags)
}

/// Parses one doc. Returns `None` only when there is nothing usable (no `# Title` before the
/// first endpoint); the diagnostics are always complete and sorted by (line, column).
pub fn parse_doc(file: &str, src: &str) -> (Option<Doc>, Vec<Diagnostic>) {
    document::parse_document(file, src, document::Upstream)
}

/// Parses one overlay (see `docs/FORMAT.md`, "Overlays"): the doc format plus, per endpoint,
/// an optional `### Parameters` and `### Variants` table, which fill
/// [`crate::ir::Endpoint::params`] and [`crate::ir::Endpoint::variants`]. Text between the
/// title and the first `##` is the overlay's own notes, and `### Responses` is optional.
/// Nothing is matched against a doc here: that is [`crate::overlay::apply`]'s job. Same
/// guarantees as [`parse_doc`].
pub fn parse_overlay(file: &str, src: &str) -> (Option<Doc>, Vec<Diagnostic>) {
    document::parse_document(file, src, overlay_tables::OverlayTables::default())
}
