//! Loading: docs (and their overlays) read, parsed and overlaid into the [`crate::ir`], with
//! every diagnostic rendered against the file it names. The one way every caller (the
//! xtask's codegen, ir, bench-compile and refresh-docs, and the tests) turns docs into an IR.

use std::path::{Path, PathBuf};

use crate::diag;
use crate::ir;
use crate::overlay;
use crate::parse;

/// The `*.md` files of one directory (docs or overlays): the directory as the caller named
/// it, under which diagnostics name each file, and each file as `(file name, text)`.
#[derive(Debug, Clone)]
pub struct Sources {
    pub dir: PathBuf,
    pub files: Vec<(String, String)>,
    /// For overlays: the `*.md` of `<dir>/imported/`, which `cargo xtask import-overlays`
    /// writes from the schema, applied below `files` (see [`overlay::apply_imported`]).
    pub imported: Vec<(String, String)>,
}

/// Where imported overlays live, below an overlay directory.
pub const IMPORTED_DIR: &str = "imported";

impl Sources {
    /// Every `*.md` of a docs directory; a directory with none is an error (docs that lost
    /// every doc are a mistake, not an empty API).
    pub fn docs(dir: &Path) -> Result<Sources, String> {
        let files = parse::read_docs_dir(dir)
            .map_err(|e| format!("error: cannot read {}: {e}", dir.display()))?;
        if files.is_empty() {
            return Err(format!("error: no *.md files in {}", dir.display()));
        }
        Ok(Sources {
            dir: dir.to_path_buf(),
            files,
            imported: Vec::new(),
        })
    }

    /// Every `*.md` of an overlay directory and of its `imported/` directory; a missing
    /// directory is no overlay.
    pub fn overlays(dir: &Path) -> Result<Sources, String> {
        let read = |dir: &Path| {
            overlay::read_overlays_dir(dir)
                .map_err(|e| format!("error: cannot read {}: {e}", dir.display()))
        };
        Ok(Sources {
            dir: dir.to_path_buf(),
            files: read(dir)?,
            imported: read(&dir.join(IMPORTED_DIR))?,
        })
    }

    /// Files already in memory, named as if in `dir`.
    pub fn in_memory(dir: &Path, files: Vec<(String, String)>) -> Sources {
        Sources {
            dir: dir.to_path_buf(),
            files,
            imported: Vec::new(),
        }
    }
}

/// Docs parsed and overlaid, with every diagnostic rendered.
#[derive(Debug)]
pub struct Loaded {
    /// The IR: every doc, endpoint and response without an error.
    pub api: ir::Api,
    /// Every diagnostic of the docs, then of the overlays, rendered; only warnings once
    /// [`Loaded::refuse_errors`] has passed.
    pub rendered: String,
    /// How many of them are errors. Nothing may be generated from docs with an error.
    pub errors: usize,
    /// How many are warnings.
    pub warnings: usize,
}

impl Loaded {
    /// `self`, or, when any diagnostic is an error, every diagnostic rendered and then
    /// `error: N error(s) <what>` (e.g. `in the docs; nothing was written`).
    pub fn refuse_errors(self, what: &str) -> Result<Loaded, String> {
        if self.errors == 0 {
            return Ok(self);
        }
        Err(format!(
            "{}error: {} error(s) {what}",
            self.rendered, self.errors
        ))
    }
}

/// Parses `docs` and applies `overlays` to them. Never fails: [`Loaded::errors`] says
/// whether the IR may be used to generate.
pub fn load_sources(docs: &Sources, overlays: Option<&Sources>) -> Loaded {
    let (mut api, doc_diagnostics) = parse::parse_api(&docs.files);
    let overlay_diagnostics = match overlays {
        Some(overlays) => overlay::apply(&mut api, &overlays.files),
        None => Vec::new(),
    };
    let imported_diagnostics = match overlays {
        Some(overlays) => overlay::apply_imported(&mut api, &overlays.imported),
        None => Vec::new(),
    };
    // Docs and overlays share file names: each diagnostic names its file by the directory
    // as the caller gave it, so `priv/overlays/audit_logs.md:12` is not mistaken for the doc.
    let mut rendered = render_in(&docs.dir, &doc_diagnostics, &docs.files);
    if let Some(overlays) = overlays {
        rendered.push_str(&render_in(
            &overlays.dir,
            &overlay_diagnostics,
            &overlays.files,
        ));
        rendered.push_str(&render_in(
            &overlays.dir.join(IMPORTED_DIR),
            &imported_diagnostics,
            &overlays.imported,
        ));
    }
    let count = |severity| {
        doc_diagnostics
            .iter()
            .chain(&overlay_diagnostics)
            .chain(&imported_diagnostics)
            .filter(|d| d.severity == severity)
            .count()
    };
    Loaded {
        api,
        rendered,
        errors: count(diag::Severity::Error),
        warnings: count(diag::Severity::Warning),
    }
}

/// Reads `docs` (every `*.md`) and, if given, applies the overlays in `overlays` (a missing
/// overlay directory is no overlay). `Err` holds every diagnostic rendered, when any is an
/// error; nothing may be generated then.
pub fn load(docs: &Path, overlays: Option<&Path>) -> Result<Loaded, String> {
    let docs = Sources::docs(docs)?;
    let overlays = overlays.map(Sources::overlays).transpose()?;
    load_sources(&docs, overlays.as_ref()).refuse_errors("in the docs; nothing was written")
}

/// Renders diagnostics of the files of `dir`, each named `dir/file` as `dir` was given.
pub fn render_in(
    dir: &Path,
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
