//! What several test and bench binaries share: where the docs corpus is.

use std::path::PathBuf;

/// The corpus directory: `$CLOUDFLARE_DOCS_CORPUS`, a relative path being taken from the
/// workspace root (as `.ci/run` and the README's commands are run), else
/// `../shared/corpus/cloudflare-docs` beside the workspace. A missing directory fails the
/// caller: CI must not pass by skipping the corpus.
pub fn corpus_dir() -> PathBuf {
    // Every includer lives one level below the workspace root (tests/, codegen/).
    let root = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/.."));
    match std::env::var_os("CLOUDFLARE_DOCS_CORPUS").filter(|v| !v.is_empty()) {
        Some(dir) => root.join(dir),
        None => root.join("../shared/corpus/cloudflare-docs"),
    }
}
