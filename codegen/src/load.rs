//! Loading: a docs directory (and its overlays) read, parsed and overlaid into the
//! [`crate::ir`], with every diagnostic rendered against the file it names.

use std::path::Path;

use crate::diag;
use crate::ir;
use crate::overlay;
use crate::parse;

/// A docs directory read, parsed and overlaid, with every diagnostic rendered.
pub struct Loaded {
    pub api: ir::Api,
    /// Rendered warnings (errors make [`load`] fail).
    pub warnings: String,
}

/// Reads `docs` (every `*.md`) and, if given, applies the overlays in `overlays` (a missing
/// overlay directory is no overlay). `Err` holds every diagnostic rendered, when any is an
/// error; nothing may be generated then.
pub fn load(docs: &Path, overlays: Option<&Path>) -> Result<Loaded, String> {
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
