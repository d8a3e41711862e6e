//! `cargo xtask`: the project's tasks. Stage 5 of 5 (the write) lives in [`write`].

mod write;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use codegen::diag;

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
        /// Write nothing; exit non-zero naming every file that is out of date.
        #[arg(long)]
        check: bool,
    },
    /// Print the endpoint IR of a docs directory as pretty JSON.
    Ir {
        /// The docs directory.
        #[arg(long, default_value = "priv/docs")]
        docs: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // Relative paths are relative to the workspace root, wherever cargo was run from.
    let root = workspace_root();
    let result = match cli.task {
        Task::Codegen { docs: Some(docs), out: Some(out), check } => {
            standalone(&root, &root.join(docs), &root.join(out), check)
        }
        Task::Codegen { check, .. } => in_repo(&root, check),
        Task::Ir { docs } => ir(&root.join(docs)),
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

/// Reads and parses a docs directory, printing warnings; errors become the `Err` text.
fn load(docs: &Path) -> Result<(codegen::ir::Api, Vec<(String, String)>), String> {
    let sources = codegen::parse::read_docs_dir(docs)
        .map_err(|e| format!("error: cannot read docs directory {}: {e}", docs.display()))?;
    if sources.is_empty() {
        return Err(format!("error: no *.md files in {}", docs.display()));
    }
    let (api, diagnostics) = codegen::parse::parse_api(&sources);
    report(&diagnostics, &sources)?;
    Ok((api, sources))
}

/// Prints diagnostics to stderr; `Err` if any is an error.
fn report(diagnostics: &[diag::Diagnostic], sources: &[(String, String)]) -> Result<(), String> {
    if diagnostics.is_empty() {
        return Ok(());
    }
    eprint!("{}", diag::render(diagnostics, sources));
    let errors = diagnostics.iter().filter(|d| d.severity == diag::Severity::Error).count();
    if errors > 0 {
        return Err(format!(
            "error: {errors} error(s), {} warning(s) in the docs; nothing was written",
            diagnostics.len() - errors
        ));
    }
    Ok(())
}

fn ir(docs: &Path) -> Result<(), String> {
    let (api, _) = load(docs)?;
    let json = serde_json::to_string_pretty(&codegen::ir::endpoints_json(&api)).map_err(|e| e.to_string())?;
    println!("{json}");
    Ok(())
}

fn in_repo(root: &Path, check: bool) -> Result<(), String> {
    // Generate everything in memory first, so a doc error anywhere writes nothing anywhere.
    let mut targets = Vec::new();
    for krate in codegen::IN_REPO_CRATES {
        let (api, sources) = load(&root.join(krate.docs))?;
        let crate_dir = root.join(krate.crate_dir);
        let manifest = crate_dir.join("Cargo.toml");
        let cargo_toml = std::fs::read_to_string(&manifest)
            .map_err(|e| format!("error: {}: {e}", manifest.display()))?;
        let files = codegen::generate_in_repo(&api, krate, &cargo_toml)
            .map_err(|d| render_errors(&d, &sources))?;
        targets.push((crate_dir, write::Target::Modules(files)));
    }
    finish(&targets, check)
}

fn standalone(root: &Path, docs: &Path, out: &Path, check: bool) -> Result<(), String> {
    let (api, sources) = load(docs)?;
    let options = codegen::emit::Options {
        source_prefix: source_prefix(root, docs),
        ..codegen::emit::Options::default()
    };
    let files = codegen::standalone::generate(&api, &options, &crate_name(out))
        .map_err(|d| render_errors(&d, &sources))?;
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

fn render_errors(diagnostics: &[diag::Diagnostic], sources: &[(String, String)]) -> String {
    format!("{}error: code generation failed; nothing was written", diag::render(diagnostics, sources))
}

/// How doc comments name the docs directory: relative to the workspace when inside it.
fn source_prefix(root: &Path, docs: &Path) -> String {
    let shown = docs.strip_prefix(root).unwrap_or(docs);
    let mut prefix = shown.to_string_lossy().replace('\\', "/");
    if !prefix.ends_with('/') {
        prefix.push('/');
    }
    prefix
}

/// The package name of a standalone crate: its directory's name in kebab case.
fn crate_name(out: &Path) -> String {
    let dir = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let name = codegen::names::ident(&dir, codegen::names::Case::Snake).replace('_', "-");
    name.trim_matches('-').to_owned()
}
