//! Markdown API docs → typed async Rust client.
//!
//! The pipeline, one module per stage:
//! [`parse`] (Markdown → [`ir`]) → [`names`] and [`types`] (Rust names, type graph) →
//! [`emit`] (tokens → formatted files). The library never touches the output directory: it
//! returns [`emit::GeneratedFile`]s and the `xtask` writes them.

pub mod diag;
pub mod emit;
pub mod ir;
pub mod names;
pub mod parse;
pub mod rustdoc;
pub mod standalone;
pub mod types;
