//! Markdown API docs → typed async Rust client.
//!
//! The pipeline, one module per stage:
//! [`parse`] (Markdown → [`ir`]) → [`names`], [`plan_names`] and [`types`] (Rust names, the
//! plan) → [`emit`] (tokens → formatted files; [`index`], the endpoint table). The library never touches the output directory: it
//! returns [`emit::GeneratedFile`]s and the `xtask` writes them.

pub mod diag;
pub mod emit;
mod emit_every_endpoint;
mod emit_params;
pub mod index;
pub mod ir;
pub mod names;
pub mod overlay;
pub mod parse;
pub mod plan_every_endpoint;
pub mod plan_names;
mod plan_paging;
pub mod rustdoc;
pub mod standalone;
pub mod types;

use emit::{GeneratedFile, Options};

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
    let plan = types::plan(api)?;
    let mut files = emit::generate_plan(&plan, &options)?;
    files.extend(every_endpoint_files(
        api,
        &plan,
        &options,
        krate.docs,
        krate.copies_test_server,
    )?);
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
            "{head}\n{}{shards}",
            standalone::features_toml(&emit::features(&plan))
        ),
    });
    files.sort();
    Ok(files)
}

/// The every-endpoint test (`tests/every_endpoint.rs`, or its shards for a crate of more
/// than [`plan_every_endpoint::SHARD_CASES`] endpoint methods) of a crate generated from `api`, and,
/// when `with_server`, a copy of the server it runs against. `docs` names the docs in the
/// test's header.
pub fn every_endpoint_files(
    api: &ir::Api,
    plan: &types::Plan,
    options: &Options,
    docs: &str,
    with_server: bool,
) -> Result<Vec<GeneratedFile>, Vec<diag::Diagnostic>> {
    let shards = plan_every_endpoint::shards(
        plan_every_endpoint::cases(api, plan),
        plan_every_endpoint::SHARD_CASES,
    );
    let mut files = Vec::new();
    for (index, groups) in shards.iter().enumerate() {
        let path = emit_every_endpoint::test_path(index, shards.len());
        files.push(emit_every_endpoint::test_file(path, groups, options, docs)?);
    }
    if with_server {
        let (path, contents) = emit_every_endpoint::SERVER_FILE;
        files.push(GeneratedFile {
            path: path.to_owned(),
            contents: standalone::copied("generated-client", path, contents, &options.crate_name),
        });
    }
    Ok(files)
}

/// A docs directory read, parsed and overlaid, with every diagnostic rendered.
pub struct Loaded {
    pub api: ir::Api,
    /// Rendered warnings (errors make [`load`] fail).
    pub warnings: String,
}

/// Reads `docs` (every `*.md`) and, if given, applies the overlays in `overlays` (a missing
/// overlay directory is no overlay). `Err` holds every diagnostic rendered, when any is an
/// error; nothing may be generated then.
pub fn load(docs: &std::path::Path, overlays: Option<&std::path::Path>) -> Result<Loaded, String> {
    let sources = parse::read_docs_dir(docs)
        .map_err(|e| format!("error: cannot read {}: {e}", docs.display()))?;
    if sources.is_empty() {
        return Err(format!("error: no *.md files in {}", docs.display()));
    }
    let (mut api, doc_diagnostics) = parse::parse_api(&sources);
    let overlay_sources = match overlays {
        Some(dir) => overlay::read_overlays_dir(dir)
            .map_err(|e| format!("error: cannot read {}: {e}", dir.display()))?,
        None => Vec::new(),
    };
    let overlay_diagnostics = overlay::apply(&mut api, &overlay_sources);
    // Docs and overlays share file names: each diagnostic names its file by the directory
    // as the caller gave it, so `priv/overlays/audit_logs.md:12` is not mistaken for the doc.
    let mut rendered = render_in(docs, &doc_diagnostics, &sources);
    if let Some(dir) = overlays {
        rendered.push_str(&render_in(dir, &overlay_diagnostics, &overlay_sources));
    }
    if diag::has_errors(&doc_diagnostics) || diag::has_errors(&overlay_diagnostics) {
        let count = |d: &[diag::Diagnostic], s| d.iter().filter(|d| d.severity == s).count();
        let errors = count(&doc_diagnostics, diag::Severity::Error)
            + count(&overlay_diagnostics, diag::Severity::Error);
        return Err(format!(
            "{rendered}error: {errors} error(s) in the docs; nothing was written"
        ));
    }
    Ok(Loaded {
        api,
        warnings: rendered,
    })
}

/// Renders diagnostics of the files of `dir`, each named `dir/file` as `dir` was given.
pub fn render_in(
    dir: &std::path::Path,
    diagnostics: &[diag::Diagnostic],
    sources: &[(String, String)],
) -> String {
    let shown = |file: &str| dir.join(file).display().to_string();
    let diagnostics: Vec<diag::Diagnostic> = diagnostics
        .iter()
        .map(|d| diag::Diagnostic {
            file: shown(&d.file),
            ..d.clone()
        })
        .collect();
    let sources: Vec<(String, String)> = sources
        .iter()
        .map(|(name, text)| (shown(name), text.clone()))
        .collect();
    diag::render(&diagnostics, &sources)
}
