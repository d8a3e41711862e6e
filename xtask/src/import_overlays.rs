//! `cargo xtask import-overlays [--check]`: `priv/overlays/imported/` rewritten from the
//! committed schema (`priv/openapi/cloudflare-openapi.json`) and the docs (`priv/docs/`), and
//! a report of what was imported and what was not, with reasons.
//!
//! The directory holds only what the importer writes, each file marked with
//! [`codegen::import::GENERATED_MARK`]: a file there without the mark is an error, not
//! overwritten. With `--check` nothing is written and a stale file is an error naming it.

use std::path::Path;

use codegen::emit::GeneratedFile;
use codegen::import::GENERATED_MARK;

use crate::write;

pub(crate) const SCHEMA: &str = "priv/openapi/cloudflare-openapi.json";
const DOCS: &str = "priv/docs";
const IMPORTED: &str = "priv/overlays/imported";
const OVERLAYS: &str = "priv/overlays";

pub fn run(root: &Path, check: bool) -> Result<(), String> {
    let imported = import(root)?;

    let dir = root.join(IMPORTED);
    let existing = codegen::overlay::read_overlays_dir(&dir)
        .map_err(|e| format!("error: {}: {e}", dir.display()))?;
    if let Some((name, _)) = existing
        .iter()
        .find(|(_, text)| !text.contains(GENERATED_MARK))
    {
        return Err(format!(
            "error: {IMPORTED}/{name} was not written by `cargo xtask import-overlays`; hand-written overlays go in priv/overlays/"
        ));
    }
    let write: Vec<GeneratedFile> = imported
        .files
        .iter()
        .filter(|(name, text)| !existing.iter().any(|(n, t)| n == name && t == text))
        .map(|(name, text)| GeneratedFile {
            path: name.clone(),
            contents: text.clone(),
        })
        .collect();
    let remove: Vec<String> = existing
        .iter()
        .filter(|(name, _)| !imported.files.iter().any(|(n, _)| n == name))
        .map(|(name, _)| name.clone())
        .collect();
    if check {
        if write.is_empty() && remove.is_empty() {
            eprintln!("imported overlays are up to date");
            return Ok(());
        }
        let stale: Vec<String> = write
            .iter()
            .map(|f| &f.path)
            .chain(&remove)
            .map(|name| format!("  {IMPORTED}/{name}"))
            .collect();
        return Err(format!(
            "error: imported overlays are out of date; run `cargo xtask import-overlays`:\n{}",
            stale.join("\n")
        ));
    }
    write::replace(&dir, &write, &remove)?;
    print!("{}", imported.report.render());
    // Paging is the generator's decision (parameters and result shape, every overlay
    // applied): the client is planned from what was just written to tell.
    let loaded = codegen::load(&root.join(DOCS), Some(&root.join(OVERLAYS)))?
        .refuse_errors("in the docs or overlays")?;
    let plan = codegen::plan::plan(&loaded.api).map_err(|diags| {
        format!(
            "error: the client cannot be planned ({} errors); run `cargo xtask codegen`",
            diags.len()
        )
    })?;
    print!("\n{}", imported.report.paging_coverage(&plan));
    eprintln!(
        "import-overlays: {} written, {} removed, {} unchanged ({})",
        write.len(),
        remove.len(),
        imported.files.len() - write.len(),
        dir.display()
    );
    Ok(())
}

/// The import, in memory: the schema and the docs read, the overlays made, nothing written
/// (`bench-compile` times it).
pub fn import(root: &Path) -> Result<codegen::import::Imported, String> {
    let schema_path = root.join(SCHEMA);
    // The schema is parsed while the docs are: neither needs the other.
    let (schema, loaded) = std::thread::scope(|scope| {
        let schema = scope.spawn(|| {
            let text = std::fs::read_to_string(&schema_path)
                .map_err(|e| format!("error: {}: {e}", schema_path.display()))?;
            codegen::import::Schema::parse(&text).map_err(|e| format!("error: {SCHEMA}: {e}"))
        });
        // The docs alone: what the schema adds is decided before any overlay speaks.
        let loaded = codegen::Sources::docs(&root.join(DOCS)).and_then(|docs| {
            codegen::load_sources(&docs, None).refuse_errors("in the docs; nothing was imported")
        });
        let schema = schema
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (schema, loaded)
    });
    Ok(codegen::import::import_schema(&schema?, &loaded?.api))
}
