//! What several test and bench binaries share: the docs corpus, `priv/docs`.

use std::path::PathBuf;

/// Every doc of `priv/docs` (the 426 upstream docs, see `priv/UPSTREAM.md`) as
/// `(file name, text)`, sorted by name. An unreadable or empty directory panics: nothing
/// may pass by skipping the corpus.
pub fn corpus() -> Vec<(String, String)> {
    // Every includer lives one level below the workspace root (tests/, codegen/).
    let dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../priv/docs"));
    match codegen::parse::read_docs_dir(&dir) {
        Ok(docs) if !docs.is_empty() => docs,
        Ok(_) => panic!("no *.md files in {}", dir.display()),
        Err(e) => panic!("cannot read the corpus at {}: {e}", dir.display()),
    }
}
