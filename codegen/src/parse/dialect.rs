//! Parse stage, dialects: what a variant of the doc format adds to the document grammar
//! (the overlay dialect's table sections) and how strict it is, behind one trait, so the
//! state machine in [`super::document`] never asks which format it reads.

use pulldown_cmark::Options;

use super::blocks::Block;
use super::report::Reporter;
use crate::ir::{Body, Envelope, Named, Param, Variant};

/// What an endpoint's method line said, for a dialect that checks its sections against it.
pub(super) struct Route<'a> {
    pub(super) path: &'a str,
    pub(super) path_params: &'a [String],
    /// False when the method line had errors: the endpoint is dropped anyway, and its path
    /// parameters are not trustworthy.
    pub(super) ok: bool,
}

/// What a dialect read for one endpoint.
#[derive(Default)]
pub(super) struct Extras {
    pub(super) params: Vec<Param>,
    pub(super) variants: Vec<Variant>,
    pub(super) method_name: Option<Named>,
    pub(super) items_field: Option<Named>,
    pub(super) body: Option<Body>,
}

/// A variant of the doc format: what it adds to the grammar and how strict it is.
pub(super) trait Dialect {
    /// The pulldown-cmark extensions its blocks need.
    fn options(&self) -> Options;
    /// Text between the title and the first endpoint is the file's own notes, not a mistake.
    fn intro_notes(&self) -> bool;
    /// An endpoint may leave out `### Responses`.
    fn responses_optional(&self) -> bool;
    /// A route given twice is an error (which of the two counts would be a guess) rather than
    /// a warning.
    fn unique_routes(&self) -> bool;
    /// A block between the title and the first endpoint: true if the dialect took it (a
    /// section about the whole file); otherwise it is notes or a mistake, as
    /// [`Dialect::intro_notes`] says.
    fn intro_block(&mut self, r: &mut Reporter<'_>, b: &Block) -> bool;
    /// The part before the first endpoint ended (at it, or at the end of the file): how the
    /// file's group answers.
    fn finish_intro(&mut self, r: &mut Reporter<'_>) -> Envelope;
    /// A heading the core grammar does not know, in an endpoint's description or in one of the
    /// dialect's sections (`after_responses` false), or after `### Responses` (true). Returns
    /// true if the dialect took it: before the responses it then opens a dialect section, whose
    /// blocks go to [`Dialect::section_block`]; after them the dialect has reported it.
    fn section_heading(&mut self, r: &mut Reporter<'_>, b: &Block, after_responses: bool) -> bool;
    /// A block inside the section the dialect opened last.
    fn section_block(&mut self, r: &mut Reporter<'_>, b: &Block, route: &Route<'_>);
    /// The endpoint ended: what the dialect read for it (problems already reported).
    fn finish_endpoint(&mut self, r: &mut Reporter<'_>) -> Extras;
}

/// The upstream doc format, with nothing added.
pub(super) struct Upstream;

impl Dialect for Upstream {
    fn options(&self) -> Options {
        Options::empty()
    }
    fn intro_notes(&self) -> bool {
        false
    }
    fn responses_optional(&self) -> bool {
        false
    }
    fn unique_routes(&self) -> bool {
        false
    }
    fn intro_block(&mut self, _: &mut Reporter<'_>, _: &Block) -> bool {
        false
    }
    fn finish_intro(&mut self, _: &mut Reporter<'_>) -> Envelope {
        // The upstream renderer writes Cloudflare's `Data is at` notes; only an overlay says
        // otherwise.
        Envelope::Cloudflare
    }
    fn section_heading(&mut self, _: &mut Reporter<'_>, _: &Block, _: bool) -> bool {
        false
    }
    fn section_block(&mut self, _: &mut Reporter<'_>, _: &Block, _: &Route<'_>) {}
    fn finish_endpoint(&mut self, _: &mut Reporter<'_>) -> Extras {
        Extras::default()
    }
}
