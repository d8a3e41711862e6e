//! The committed generated code is what the generator produces now: regenerate every in-repo
//! crate in memory and compare byte for byte (the same check as `cargo xtask codegen --check`).

use std::collections::BTreeSet;
use std::path::Path;

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
        let produced: BTreeSet<String> = files.iter().map(|f| f.path.clone()).collect();
        for file in &files {
            let on_disk = std::fs::read_to_string(crate_dir.join(&file.path)).unwrap_or_default();
            if on_disk != file.contents {
                // Name the first differing line, so a failure says what changed.
                let first_diff = on_disk
                    .lines()
                    .zip(file.contents.lines())
                    .enumerate()
                    .find(|(_, (old, new))| old != new)
                    .map(|(i, (old, new))| {
                        format!(" (line {}: committed {old:?}, generated {new:?})", i + 1)
                    })
                    .unwrap_or_default();
                stale.push(format!("{}/{}{first_diff}", krate.crate_dir, file.path));
            }
        }
        let generated_dir = crate_dir.join(codegen::emit::GENERATED_DIR);
        for entry in std::fs::read_dir(&generated_dir).expect("generated dir exists") {
            let name = entry
                .expect("dir entry")
                .file_name()
                .to_string_lossy()
                .into_owned();
            let relative = format!("{}/{name}", codegen::emit::GENERATED_DIR);
            if !produced.contains(&relative) {
                stale.push(format!(
                    "{}/{relative} (no longer generated)",
                    krate.crate_dir
                ));
            }
        }
    }
    assert!(
        stale.is_empty(),
        "stale generated files, run `cargo xtask codegen`:\n{}",
        stale.join("\n")
    );
}
