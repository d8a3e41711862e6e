//! Markdown API docs → typed async Rust client.
//!
//! One module (or folder) per stage, data flowing one way, each using only those before it:
//!
//! - foundation: [`ir`] (what the docs say, plain owned data with spans), [`diag`] (located
//!   diagnostics and their rendering), [`names`] (the one identifier sanitiser) and
//!   [`rustdoc`] (doc text made safe for rustdoc), [`parallel`] (independent work on every
//!   core, results in order);
//! - [`parse`]: Markdown docs (and overlays) → [`ir`]; [`overlay`]: overlays merged onto it;
//!   [`load`]: both for a docs directory, diagnostics rendered;
//! - [`plan`]: the IR → a [`plan::model::Plan`], where every name and type is decided;
//! - [`emit`]: the plan → formatted files;
//! - [`assemble`]: the files of a whole crate (in this repository, or standalone);
//! - [`import`], beside the pipeline: Cloudflare's OpenAPI schema → overlays, which the
//!   pipeline then reads like hand-written ones (it never reads the schema).
//!
//! The library never touches the output directory: it returns [`emit::GeneratedFile`]s and
//! the `xtask` writes them.

pub mod assemble;
pub mod diag;
pub mod emit;
pub mod import;
pub mod ir;
pub mod load;
pub mod names;
pub mod overlay;
pub mod parallel;
pub mod parse;
pub mod plan;
pub mod rustdoc;

// The entry points the xtask and the tests call.
pub use assemble::in_repo::{FEATURES_MARKER, IN_REPO_CRATES, InRepoCrate, generate_in_repo};
pub use load::{Loaded, Sources, load, load_sources, render_in};
