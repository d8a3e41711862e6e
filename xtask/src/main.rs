//! `cargo xtask`: the project's tasks. Stage 5 of 5 (the write) lives in [`write`].

mod bench_codegen;
mod bench_compile;
mod bench_report;
mod import_overlays;
mod measure;
mod refresh_docs;
mod write;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use codegen::diag;

// Most of generation's time went to glibc's malloc and free (perf, `cargo xtask codegen`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "cargo xtask", about = "Project tasks")]
struct Cli {
    #[command(subcommand)]
    task: Task,
}

#[derive(Subcommand)]
enum Task {
    /// Regenerate the in-repo crates (generated-client from priv/docs, tests/fixture-client
    /// from tests/fixtures/codegen), or with --docs and --out a standalone crate.
    Codegen {
        /// The docs directory of a standalone crate (needs --out).
        #[arg(long, requires = "out")]
        docs: Option<PathBuf>,
        /// Write a complete standalone crate here.
        #[arg(long, requires = "docs")]
        out: Option<PathBuf>,
        /// Overlays for a standalone crate's docs (see docs/FORMAT.md).
        #[arg(long, requires = "out")]
        overlays: Option<PathBuf>,
        /// Write nothing; exit non-zero naming every file that is out of date.
        #[arg(long)]
        check: bool,
        /// With --docs: write nothing if the docs have any error. Without it, an error costs
        /// what it names (an endpoint, a response, a file), reported, and the rest is written.
        /// The in-repo crates are always generated strictly.
        #[arg(long, requires = "out")]
        strict: bool,
    },
    /// Generate the corpus crate and measure `cargo check` (full, one group, dependency floor).
    BenchCompile {
        /// The docs directory [default: priv/docs of the workspace].
        #[arg(long)]
        docs: Option<PathBuf>,
        /// The overlays applied to the docs [default: priv/overlays of the workspace; a missing
        /// directory is none].
        #[arg(long)]
        overlays: Option<PathBuf>,
        /// The group measured alone (a feature name of the generated crate).
        #[arg(long, default_value = "dns-records-for-a-zone")]
        group: String,
        /// Also time cold `cargo build` and `cargo build --release` of the floor and the full
        /// crate (minutes; each from an empty target dir).
        #[arg(long)]
        build: bool,
    },
    /// Time code generation over priv/docs and priv/overlays stage by stage (load, plan,
    /// generate, import-overlays), each the median of 9 runs in memory, beside the parse floor,
    /// and judge the codegen targets. Run it with `--release`: that is what ships.
    BenchCodegen,
    /// Print the endpoint IR of a docs directory as pretty JSON.
    Ir {
        /// The docs directory [default: priv/docs of the workspace].
        #[arg(long)]
        docs: Option<PathBuf>,
        /// An overlay directory to apply (see docs/FORMAT.md), e.g. priv/overlays.
        #[arg(long)]
        overlays: Option<PathBuf>,
    },
    /// Rewrite priv/overlays/imported/ from Cloudflare's schema (priv/openapi/) for the
    /// endpoints of priv/docs, and print what was imported and what was not, with reasons.
    ImportOverlays {
        /// Write nothing; exit non-zero naming every imported overlay that is out of date.
        #[arg(long)]
        check: bool,
    },
    /// Replace priv/docs with a newer upstream priv/docs, byte for byte, rewrite
    /// priv/docs.sha256, and print the files and endpoints added, removed and changed (nothing
    /// is changed if the new docs have errors).
    RefreshDocs {
        /// The upstream checkout's priv/docs directory.
        upstream: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // Paths given on the command line are used as given, so a relative one is relative to the
    // current directory (as in any CLI) and diagnostics show it as written; the defaults (the
    // in-repo crates and their docs) are in the workspace.
    let root = workspace_root();
    let result = match cli.task {
        Task::Codegen {
            docs: Some(docs),
            out: Some(out),
            overlays,
            check,
            strict,
        } => standalone(&docs, overlays.as_deref(), &out, check, strict),
        Task::Codegen { check, .. } => in_repo(&root, check),
        Task::Ir { docs, overlays } => {
            let docs = docs.unwrap_or_else(|| root.join("priv/docs"));
            ir(&docs, overlays.as_deref())
        }
        Task::BenchCompile {
            docs,
            overlays,
            group,
            build,
        } => bench_compile::run(&root, docs, overlays, &group, build),
        Task::BenchCodegen => bench_codegen::run(&root),
        Task::ImportOverlays { check } => import_overlays::run(&root, check),
        Task::RefreshDocs { upstream } => {
            refresh_docs::refresh(&upstream, &root.join("priv")).map(|report| print!("{report}"))
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the workspace root")
        .to_path_buf()
}

/// Reads, parses and overlays a docs directory, printing warnings; errors become the `Err`.
fn load(docs: &Path, overlays: Option<&Path>) -> Result<codegen::ir::Api, String> {
    let loaded = codegen::load(docs, overlays)?;
    eprint!("{}", loaded.rendered);
    Ok(loaded.api)
}

fn ir(docs: &Path, overlays: Option<&Path>) -> Result<(), String> {
    use std::io::Write as _;
    let api = load(docs, overlays)?;
    let json = serde_json::to_string_pretty(&codegen::ir::endpoints_json(&api))
        .map_err(|e| e.to_string())?;
    let mut out = std::io::stdout().lock();
    match writeln!(out, "{json}").and_then(|()| out.flush()) {
        // `cargo xtask ir | head`: the reader has what it wanted.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(format!("error: writing the IR: {e}")),
        Ok(()) => Ok(()),
    }
}

fn in_repo(root: &Path, check: bool) -> Result<(), String> {
    // Generate everything in memory first, so a doc error anywhere writes nothing anywhere.
    let mut targets = Vec::new();
    for krate in codegen::IN_REPO_CRATES {
        let api = load(&root.join(krate.docs), Some(&root.join(krate.overlays)))?;
        let crate_dir = root.join(krate.crate_dir);
        let manifest = crate_dir.join("Cargo.toml");
        let cargo_toml = std::fs::read_to_string(&manifest)
            .map_err(|e| format!("error: {}: {e}", manifest.display()))?;
        let files =
            codegen::generate_in_repo(&api, krate, &cargo_toml).map_err(|d| render_errors(&d))?;
        targets.push((crate_dir, write::Target::Modules(files)));
    }
    finish(&targets, check)
}

fn standalone(
    docs: &Path,
    overlays: Option<&Path>,
    out: &Path,
    check: bool,
    strict: bool,
) -> Result<(), String> {
    let sources = codegen::Sources::docs(docs)?;
    let overlay_sources = overlays.map(codegen::Sources::overlays).transpose()?;
    let loaded = codegen::load_sources(&sources, overlay_sources.as_ref());
    // Docs from elsewhere: one endpoint the generator cannot serve costs that endpoint, not the
    // whole API (the parser leaves out exactly what each error names).
    let loaded = if strict {
        loaded.refuse_errors("in the docs; nothing was written (--strict)")?
    } else {
        loaded
    };
    eprint!("{}", loaded.rendered);
    if loaded.errors > 0 {
        eprintln!(
            "warning: {} error(s) in the docs: each leaves out the endpoint, response or file it names (see docs/FORMAT.md); the rest is generated (--strict writes nothing instead)",
            loaded.errors
        );
    }
    let api = loaded.api;
    // Doc comments and headers name each doc by its file name, so the same docs give the
    // same bytes wherever they and the crate are.
    let options = codegen::emit::Options {
        source_prefix: String::new(),
        ..codegen::emit::Options::default()
    };
    let files = codegen::assemble::standalone::generate(
        &api,
        &options,
        &crate_name(out),
        &codegen::assemble::standalone::RuntimeDependency::in_workspace(&workspace_root()),
    )
    .map_err(|d| render_errors(&d))?;
    finish(&[(out.to_path_buf(), write::Target::Crate(files))], check)
}

fn finish(targets: &[(PathBuf, write::Target)], check: bool) -> Result<(), String> {
    if check {
        let mut stale = Vec::new();
        for (dir, target) in targets {
            for path in write::stale(dir, target).map_err(|e| format!("error: {e}"))? {
                stale.push(format!("  {}", dir.join(path).display()));
            }
        }
        if stale.is_empty() {
            eprintln!("generated code is up to date");
            return Ok(());
        }
        return Err(format!(
            "error: generated code is out of date; run `cargo xtask codegen`:\n{}",
            stale.join("\n")
        ));
    }
    for (dir, target) in targets {
        let summary = write::apply(dir, target).map_err(|e| format!("error: {e}"))?;
        eprintln!("{summary} ({})", dir.display());
    }
    Ok(())
}

/// Generation errors (after parsing) point at files and lines; they are rare enough that
/// they are printed without source quotes.
fn render_errors(diagnostics: &[diag::Diagnostic]) -> String {
    format!(
        "{}error: code generation failed; nothing was written",
        diag::render(diagnostics, &[])
    )
}

/// The package name of a standalone crate: its directory's name in kebab case. A name that
/// would be a Rust keyword as a library name (`type`, `self`) or is empty gets `-client`.
fn crate_name(out: &Path) -> String {
    let dir = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let ident = codegen::names::ident(&dir, codegen::names::Case::Snake);
    let name = ident.trim_end_matches('_').replace('_', "-");
    if ident.ends_with('_') || dir.trim_matches(|c: char| !c.is_alphanumeric()).is_empty() {
        format!("{}-client", name.trim_matches('-'))
    } else {
        name.trim_matches('-').to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::crate_name;
    use std::path::Path;

    #[test]
    fn crate_names_are_valid_library_names() {
        for (dir, want) in [
            ("cloudflare-corpus", "cloudflare-corpus"),
            ("My Client", "my-client"),
            ("type", "type-client"),
            ("self", "self-client"),
            ("__", "empty-client"),
            ("1st", "n-1st"),
        ] {
            assert_eq!(crate_name(Path::new(dir)), want, "{dir}");
        }
    }
}
