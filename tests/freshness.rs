//! The committed generated code is what the generator produces now: regenerate every in-repo
//! crate in memory and ask the library's own write plan what is stale, the same check as
//! `cargo xtask codegen --check`. It covers every file the generator owns (its manifest), in
//! any directory: `src/generated/`, `ENDPOINTS.md`, `Cargo.toml`, the every-endpoint tests,
//! and a file it wrote and no longer generates (`tests/every_endpoint_10.rs` after a shard
//! went away).

use std::path::Path;

use codegen::assemble::write_plan::{self, Dir, Target};

#[test]
fn committed_generated_code_is_fresh() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root");
    let mut stale = Vec::new();
    for krate in codegen::IN_REPO_CRATES {
        let api = codegen::load(&root.join(krate.docs), Some(&root.join(krate.overlays)))
            .unwrap_or_else(|e| panic!("{}: {e}", krate.docs))
            .api;
        let crate_dir = root.join(krate.crate_dir);
        let cargo_toml = std::fs::read_to_string(crate_dir.join("Cargo.toml")).expect("Cargo.toml");
        let files = codegen::generate_in_repo(&api, krate, &cargo_toml).expect("generates");
        let target = Target::Modules(files);
        let paths = write_plan::stale(&Dir(&crate_dir), &target)
            .unwrap_or_else(|e| panic!("{}: {e}", krate.crate_dir));
        for path in paths {
            // Name the first differing line, so a failure says what changed.
            let first_diff = target
                .files()
                .iter()
                .find(|f| f.path == path)
                .and_then(|file| {
                    let on_disk = std::fs::read_to_string(crate_dir.join(&file.path)).ok()?;
                    let (i, (old, new)) = on_disk
                        .lines()
                        .zip(file.contents.lines())
                        .enumerate()
                        .find(|(_, (old, new))| old != new)?;
                    Some(format!(
                        " (line {}: committed {old:?}, generated {new:?})",
                        i + 1
                    ))
                })
                .unwrap_or_default();
            stale.push(format!("{}/{path}{first_diff}", krate.crate_dir));
        }
    }
    assert!(
        stale.is_empty(),
        "stale generated files, run `cargo xtask codegen`:\n{}",
        stale.join("\n")
    );
}
