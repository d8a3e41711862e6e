//! The write: carries out the library's write plan
//! ([`codegen::assemble::write_plan`]) on disk.
//!
//! Safe by construction: generation finishes in memory before anything is touched; the plan
//! owns exactly the files the generator wrote (its manifest) and refuses any other in the way;
//! every changed file is first written beside its target and only then renamed into place,
//! so a failure while writing leaves the previous files whole; files whose content is
//! unchanged are not rewritten (their mtimes stay, so cargo does not rebuild).

use std::fs;
use std::path::{Path, PathBuf};

pub use codegen::assemble::write_plan::Target;
use codegen::assemble::write_plan::{self, Dir};
use codegen::emit::GeneratedFile;

/// Paths (relative to `root`) that differ from what would be generated.
pub fn stale(root: &Path, target: &Target) -> Result<Vec<String>, String> {
    write_plan::stale(&Dir(root), target)
}

/// Brings `root` up to date. Returns a one-line summary.
pub fn apply(root: &Path, target: &Target) -> Result<String, String> {
    let c = write_plan::changes(&Dir(root), target)?;
    replace(root, &c.write, &c.remove)?;
    Ok(format!(
        "codegen: {} written, {} removed, {} unchanged",
        c.write.len(),
        c.remove.len(),
        c.unchanged
    ))
}

/// Writes `write` and removes `remove` (paths relative to `root`), creating directories as
/// needed. Every new content is first written beside its target, so a failure there changes
/// nothing visible; only then is each renamed into place (atomic per file), and the
/// removals come last.
pub fn replace(root: &Path, write: &[GeneratedFile], remove: &[String]) -> Result<(), String> {
    // Phase 1: every new content beside its target. Nothing visible has changed yet.
    let mut staged = Vec::new();
    for file in write {
        let path = root.join(&file.path);
        let tmp = tmp_path(&path);
        let result = path
            .parent()
            .map_or(Ok(()), fs::create_dir_all)
            .and_then(|()| fs::write(&tmp, &file.contents));
        if let Err(e) = result {
            for (tmp, _) in &staged {
                let _ = fs::remove_file(tmp);
            }
            let _ = fs::remove_file(&tmp);
            return Err(format!("{}: {e}; nothing was changed", path.display()));
        }
        staged.push((tmp, path));
    }
    // Phase 2: renames, each atomic.
    for (tmp, path) in &staged {
        fs::rename(tmp, path).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    for relative in remove {
        let path = root.join(relative);
        fs::remove_file(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(())
}

fn tmp_path(path: &Path) -> PathBuf {
    let mut name = std::ffi::OsString::from(".");
    name.push(path.file_name().unwrap_or_default());
    name.push(".codegen-tmp");
    path.with_file_name(name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use codegen::emit::MARKER;
    use write_plan::MANIFEST;

    fn file(path: &str, contents: &str) -> GeneratedFile {
        GeneratedFile {
            path: path.to_owned(),
            contents: contents.to_owned(),
        }
    }

    fn generated(path: &str, body: &str) -> GeneratedFile {
        file(
            path,
            &format!("// {MARKER} by `cargo xtask codegen` from test.md. Do not edit.\n{body}\n"),
        )
    }

    fn listed(root: &Path) -> Vec<String> {
        fs::read(root.join(MANIFEST))
            .map(|text| write_plan::listed(&text))
            .unwrap_or_default()
            .into_iter()
            .collect()
    }

    #[test]
    fn writes_then_leaves_unchanged_files_alone() {
        let dir = tempfile::tempdir().unwrap();
        let files = vec![
            generated("src/generated/a.rs", "a"),
            generated("src/generated/mod.rs", "m"),
        ];
        let summary = apply(dir.path(), &Target::Modules(files.clone())).unwrap();
        assert_eq!(summary, "codegen: 3 written, 0 removed, 0 unchanged");
        assert_eq!(
            listed(dir.path()),
            ["src/generated/a.rs", "src/generated/mod.rs"]
        );
        let a = dir.path().join("src/generated/a.rs");
        let before = fs::metadata(&a).unwrap().modified().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        let summary = apply(dir.path(), &Target::Modules(files.clone())).unwrap();
        assert_eq!(summary, "codegen: 0 written, 0 removed, 3 unchanged");
        assert_eq!(
            fs::metadata(&a).unwrap().modified().unwrap(),
            before,
            "unchanged files keep their mtime"
        );
        assert!(
            stale(dir.path(), &Target::Modules(files))
                .unwrap()
                .is_empty()
        );
        // No temporary file is left behind.
        let names: Vec<_> = fs::read_dir(dir.path().join("src/generated"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 2, "{names:?}");
    }

    #[test]
    fn refuses_to_overwrite_a_file_it_did_not_write_and_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("src/generated")).unwrap();
        // Mentioning the marker, even on the first line, does not make a file ours.
        let mine = format!("# {MARKER} code policy\n");
        fs::write(dir.path().join("src/generated/b.rs"), &mine).unwrap();
        let files = vec![
            generated("src/generated/a.rs", "a"),
            generated("src/generated/b.rs", "b"),
        ];
        let err = apply(dir.path(), &Target::Modules(files.clone())).unwrap_err();
        assert!(
            err.contains("refusing to overwrite") && err.contains("b.rs"),
            "{err}"
        );
        assert!(
            !dir.path().join("src/generated/a.rs").exists(),
            "nothing is written when anything is refused"
        );
        assert!(!dir.path().join(MANIFEST).exists());
        assert_eq!(
            fs::read_to_string(dir.path().join("src/generated/b.rs")).unwrap(),
            mine
        );
        assert!(stale(dir.path(), &Target::Modules(files)).is_err());
    }

    #[test]
    fn removes_files_it_wrote_and_no_longer_generates_but_never_anyone_elses() {
        let dir = tempfile::tempdir().unwrap();
        let old = vec![
            generated("src/generated/a.rs", "a"),
            generated("src/generated/gone.rs", "g"),
        ];
        apply(dir.path(), &Target::Modules(old)).unwrap();
        // A user's files beside the generated ones, whatever they say.
        fs::write(dir.path().join("src/generated/notes.txt"), "mine").unwrap();
        let mentions = format!("// {MARKER} by `cargo xtask codegen` from my head. Do not edit.\n");
        fs::write(dir.path().join("src/generated/extra.rs"), &mentions).unwrap();
        let new = vec![generated("src/generated/a.rs", "a2")];
        let stale_list = stale(dir.path(), &Target::Modules(new.clone())).unwrap();
        assert_eq!(
            stale_list,
            vec![
                MANIFEST,
                "src/generated/a.rs",
                "src/generated/gone.rs (no longer generated)"
            ]
        );
        assert_eq!(
            apply(dir.path(), &Target::Modules(new)).unwrap(),
            "codegen: 2 written, 1 removed, 0 unchanged"
        );
        assert!(!dir.path().join("src/generated/gone.rs").exists());
        assert_eq!(
            fs::read_to_string(dir.path().join("src/generated/notes.txt")).unwrap(),
            "mine"
        );
        assert_eq!(
            fs::read_to_string(dir.path().join("src/generated/extra.rs")).unwrap(),
            mentions,
            "not in the manifest: not ours"
        );
        assert_eq!(listed(dir.path()), ["src/generated/a.rs"]);
    }

    #[test]
    fn a_file_of_ours_that_someone_replaced_is_not_removed_when_no_longer_generated() {
        let dir = tempfile::tempdir().unwrap();
        apply(
            dir.path(),
            &Target::Crate(vec![
                generated("src/lib.rs", "l"),
                generated("src/old.rs", "o"),
            ]),
        )
        .unwrap();
        fs::write(dir.path().join("src/old.rs"), "// now hand-written\n").unwrap();
        apply(
            dir.path(),
            &Target::Crate(vec![generated("src/lib.rs", "l")]),
        )
        .unwrap();
        assert_eq!(
            fs::read_to_string(dir.path().join("src/old.rs")).unwrap(),
            "// now hand-written\n"
        );
    }

    #[test]
    fn a_whole_crate_target_owns_what_it_wrote_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("target/debug")).unwrap();
        let marked = format!("// {MARKER} by `cargo xtask codegen` from x. Do not edit.\n");
        fs::write(dir.path().join("target/debug/x.rs"), &marked).unwrap();
        let policy = format!("# {MARKER} code policy\n\nWe never edit generated code.\n");
        fs::write(dir.path().join("README.md"), &policy).unwrap();
        fs::create_dir_all(dir.path().join("src")).unwrap();
        fs::write(
            dir.path().join("src/notes.rs"),
            format!("// Code here is {MARKER}; see the README.\n"),
        )
        .unwrap();
        let files = vec![
            file(
                "Cargo.toml",
                &format!("# {MARKER} by `cargo xtask codegen`. Do not edit.\n[package]\n"),
            ),
            generated("src/lib.rs", "l"),
        ];
        apply(dir.path(), &Target::Crate(files.clone())).unwrap();
        apply(dir.path(), &Target::Crate(vec![files[0].clone()])).unwrap();
        assert!(
            dir.path().join("target/debug/x.rs").exists(),
            "build output is never touched"
        );
        assert_eq!(
            fs::read_to_string(dir.path().join("README.md")).unwrap(),
            policy
        );
        assert!(dir.path().join("src/notes.rs").exists());
        assert!(
            !dir.path().join("src/lib.rs").exists(),
            "ours, and no longer generated"
        );
    }

    #[test]
    fn a_tree_from_before_manifests_is_adopted_by_its_exact_headers_only() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("src/generated")).unwrap();
        fs::write(
            dir.path().join("src/generated/old.rs"),
            generated("x", "o").contents,
        )
        .unwrap();
        fs::write(
            dir.path().join("src/generated/mine.rs"),
            format!("// {MARKER} elsewhere\n"),
        )
        .unwrap();
        apply(
            dir.path(),
            &Target::Modules(vec![generated("src/generated/mod.rs", "m")]),
        )
        .unwrap();
        assert!(!dir.path().join("src/generated/old.rs").exists());
        assert!(dir.path().join("src/generated/mine.rs").exists());
        assert_eq!(listed(dir.path()), ["src/generated/mod.rs"]);
    }
}
