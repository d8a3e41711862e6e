//! Assembly: the file set of a whole crate, the top of the pipeline. [`in_repo`] for the
//! crates of this repository (generated files beside hand-written ones), [`standalone`] for a
//! complete crate of its own; both take a crate's Rust files ([`rust_files`]: its modules, the
//! mock's tables, the every-endpoint test) and add the endpoint index, the part crates of a
//! large client ([`parts`]) and the `[features]` of the Cargo.toml. The library returns the
//! files; only the xtask writes them.

pub mod copy;
pub mod in_repo;
pub mod parts;
pub mod rust_files;
pub mod standalone;
pub mod write_plan;
