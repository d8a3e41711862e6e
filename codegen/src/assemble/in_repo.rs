//! Assembly, the in-repo crates: the file set of a crate of this repository whose
//! `src/generated/`, endpoint index, every-endpoint test and `[features]` the generator owns
//! beside hand-written files ([`IN_REPO_CRATES`]).

use super::parts;
use super::rust_files::rust_files;
use super::standalone::{self, RUNTIME_DIR, RuntimeDependency};
use crate::diag;
use crate::emit::{GeneratedFile, Options, index};
use crate::ir;
use crate::plan;
use crate::plan::parts::MAX_PART_WEIGHT;

/// A crate in this repository whose `src/generated/` and `[features]` the generator owns.
#[derive(Debug, Clone, Copy)]
pub struct InRepoCrate {
    /// The docs directory, relative to the workspace root.
    pub docs: &'static str,
    /// The crate directory, relative to the workspace root.
    pub crate_dir: &'static str,
    /// The library name doc examples use.
    pub crate_name: &'static str,
    /// The overlay directory, relative to the workspace root.
    pub overlays: &'static str,
    /// Whether the generator writes the every-endpoint test's server into the crate (a copy
    /// of `generated-client`'s, which is hand-written there).
    pub copies_test_server: bool,
}

/// What `cargo xtask codegen` regenerates: the client users depend on, and a crate built
/// from the emitter's test fixtures so that every fixture's output is compiled and linted.
pub const IN_REPO_CRATES: &[InRepoCrate] = &[
    InRepoCrate {
        docs: "priv/docs",
        crate_dir: "generated-client",
        crate_name: "cloudflare_client",
        overlays: "priv/overlays",
        copies_test_server: false,
    },
    InRepoCrate {
        docs: "tests/fixtures/codegen",
        crate_dir: "tests/fixture-client",
        crate_name: "fixture_client",
        overlays: "tests/fixtures/codegen/overlays",
        copies_test_server: true,
    },
];

/// The line in a hand-written Cargo.toml after which the generator owns the rest: the
/// `[features]` table, one feature per doc group.
pub const FEATURES_MARKER: &str =
    "# @generated features: `cargo xtask codegen` rewrites everything below this line.";

/// The generated files of an in-repo crate: `src/generated/*`, the endpoint index
/// ([`index::INDEX_FILE`]) and its Cargo.toml with the `[features]` table (and the
/// every-endpoint shards' `[[test]]` targets) after [`FEATURES_MARKER`] replaced. `cargo_toml`
/// is the current file.
pub fn generate_in_repo(
    api: &ir::Api,
    krate: &InRepoCrate,
    cargo_toml: &str,
) -> Result<Vec<GeneratedFile>, Vec<diag::Diagnostic>> {
    let options = Options {
        source_prefix: format!("{}/", krate.docs.trim_end_matches('/')),
        crate_name: krate.crate_name.to_owned(),
    };
    let plan = plan::plan(api)?;
    // The package is the library's name with dashes (`cloudflare-client`, `fixture-client`).
    let package = krate.crate_name.replace('_', "-");
    let parts = plan::parts::parts(&plan, &package, MAX_PART_WEIGHT);
    let mut files = rust_files(
        api,
        &plan,
        &options,
        &parts,
        krate.docs,
        krate.copies_test_server,
    )?;
    // The runtime of this repository, from the crate's directory.
    let up = "../".repeat(krate.crate_dir.split('/').count());
    let runtime = RuntimeDependency::path(&format!("{up}{RUNTIME_DIR}"));
    files.extend(parts::cargo_toml_files(
        &plan,
        &parts,
        &package,
        &standalone::part_dependencies(&runtime),
    ));
    let Some(at) = cargo_toml.find(FEATURES_MARKER) else {
        return Err(vec![diag::Diagnostic::error_at_line(
            "Cargo.toml",
            1,
            format!("the crate's Cargo.toml has no line `{FEATURES_MARKER}`"),
            Some("add it where the generated [features] table should start".to_owned()),
        )]);
    };
    files.push(GeneratedFile {
        path: index::INDEX_FILE.to_owned(),
        contents: index::markdown(&plan, &options),
    });
    let head = &cargo_toml[..at + FEATURES_MARKER.len()];
    let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
    let shards = standalone::shard_targets_toml(&paths);
    files.push(GeneratedFile {
        path: "Cargo.toml".to_owned(),
        contents: format!(
            "{head}\n{}{}{shards}",
            parts::dependencies_toml(&parts),
            standalone::features_toml(&parts::group_features(&plan, &parts))
        ),
    });
    files.sort();
    Ok(files)
}
