//! Stage 5 of 5 (parse → IR → names/types → emit → **write**): generated files onto disk.
//!
//! Safe by construction: generation finishes in memory before anything is touched; the
//! writer owns exactly the files it wrote, listed in a manifest ([`MANIFEST`]) it keeps
//! beside them, and never overwrites or removes any other file, whatever that file says;
//! every changed file is first written beside its target and only then renamed into place,
//! so a failure while writing leaves the previous files whole; files whose content is
//! unchanged are not rewritten (their mtimes stay, so cargo does not rebuild).

use std::collections::BTreeSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use codegen::emit::{GENERATED_DIR, GeneratedFile, MARKER};

/// The manifest: the files the generator wrote in a target directory, one path per line,
/// relative to that directory. A hidden file, so the writer's own walk never counts it.
pub const MANIFEST: &str = ".codegen-manifest";

/// What the generator owns in the target directory.
pub enum Target {
    /// Only `src/generated/` (and the `[features]` of `Cargo.toml`) of a crate whose other
    /// files are hand-written.
    Modules(Vec<GeneratedFile>),
    /// A whole standalone crate (every file but `target/` and `Cargo.lock`).
    Crate(Vec<GeneratedFile>),
}

impl Target {
    fn files(&self) -> &[GeneratedFile] {
        match self {
            Target::Modules(files) | Target::Crate(files) => files,
        }
    }

    /// Where a tree without a manifest (written before manifests existed) may hold files
    /// of ours.
    fn legacy_dir(&self, root: &Path) -> PathBuf {
        match self {
            Target::Modules(_) => root.join(GENERATED_DIR),
            Target::Crate(_) => root.to_path_buf(),
        }
    }
}

/// The manifest's text for `files`: a header, then the sorted paths.
fn manifest(files: &[GeneratedFile]) -> GeneratedFile {
    let paths: BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    let mut contents = format!(
        "# {MARKER} by `cargo xtask codegen`: the files it wrote here, which it may replace or remove.\n"
    );
    for path in paths {
        contents.push_str(path);
        contents.push('\n');
    }
    GeneratedFile {
        path: MANIFEST.to_owned(),
        contents,
    }
}

/// The paths an existing manifest lists; `None` when there is none.
fn read_manifest(root: &Path) -> io::Result<Option<BTreeSet<String>>> {
    match fs::read_to_string(root.join(MANIFEST)) {
        Ok(text) => Ok(Some(
            text.lines()
                .skip(1)
                .filter(|l| !l.is_empty())
                .map(str::to_owned)
                .collect(),
        )),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

/// A file written by a generator that kept no manifest yet: its first line is exactly one
/// of the headers the generator writes (not merely a line mentioning `@generated`), or, for
/// an in-repo crate's `Cargo.toml`, it holds the line after which the generator owns the
/// rest.
fn is_legacy_generated(contents: &[u8]) -> bool {
    has_header(contents)
        || String::from_utf8_lossy(contents)
            .lines()
            .any(|l| l == codegen::FEATURES_MARKER)
}

/// Whether the first line is exactly one of the headers the generator writes.
fn has_header(contents: &[u8]) -> bool {
    let text = String::from_utf8_lossy(contents);
    let first = text.lines().next().unwrap_or("");
    [
        format!("// {MARKER} by `cargo xtask codegen` from "),
        format!("# {MARKER} by `cargo xtask codegen`."),
        format!("// {MARKER}: a copy of the hand-written "),
        format!("<!-- {MARKER} by `cargo xtask codegen` from "),
    ]
    .iter()
    .any(|h| first.starts_with(h.as_str()))
}

/// Every file under `dir`, relative to `root`, skipping build output.
fn existing_files(root: &Path, dir: &Path) -> io::Result<BTreeSet<String>> {
    let mut found = BTreeSet::new();
    if !dir.exists() {
        return Ok(found);
    }
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        for entry in fs::read_dir(&current)? {
            let entry = entry?;
            let path = entry.path();
            let name = entry.file_name();
            if name == "target" || name == "Cargo.lock" || name.to_string_lossy().starts_with('.') {
                continue;
            }
            if entry.file_type()?.is_dir() {
                stack.push(path);
            } else if let Ok(relative) = path.strip_prefix(root) {
                found.insert(relative.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    Ok(found)
}

/// The plan: files to write and files of ours to remove; errors if a file that is not ours
/// is in the way.
struct Changes {
    write: Vec<GeneratedFile>,
    remove: Vec<String>,
    unchanged: usize,
}

fn changes(root: &Path, target: &Target) -> Result<Changes, String> {
    let io_err = |path: &Path, e: io::Error| format!("{}: {e}", path.display());
    let mut files = target.files().to_vec();
    files.push(manifest(target.files()));
    let produced: BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    let owned = read_manifest(root).map_err(|e| io_err(&root.join(MANIFEST), e))?;
    let ours = |path: &str, contents: &[u8]| match &owned {
        Some(listed) => listed.contains(path),
        None => is_legacy_generated(contents),
    };
    let mut write = Vec::new();
    let mut unchanged = 0;
    for file in &files {
        let path = root.join(&file.path);
        match fs::read(&path) {
            Ok(old) if old == file.contents.as_bytes() => unchanged += 1,
            Ok(old) => {
                if file.path != MANIFEST && !ours(&file.path, &old) {
                    return Err(format!(
                        "refusing to overwrite {}: the generator did not write it (it is not in {MANIFEST})",
                        path.display()
                    ));
                }
                write.push(file.clone());
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => write.push(file.clone()),
            Err(e) => return Err(io_err(&path, e)),
        }
    }
    let candidates: BTreeSet<String> = match &owned {
        Some(listed) => listed.clone(),
        None => {
            let dir = target.legacy_dir(root);
            existing_files(root, &dir).map_err(|e| io_err(&dir, e))?
        }
    };
    let mut remove = Vec::new();
    for existing in candidates {
        if produced.contains(existing.as_str()) {
            continue;
        }
        let path = root.join(&existing);
        match fs::read(&path) {
            // Removal also wants our header still there: whoever replaced a file's content
            // has taken it over.
            Ok(contents) if ours(&existing, &contents) && has_header(&contents) => {
                remove.push(existing)
            }
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(io_err(&path, e)),
        }
    }
    Ok(Changes {
        write,
        remove,
        unchanged,
    })
}

/// Paths (relative to `root`) that differ from what would be generated.
pub fn stale(root: &Path, target: &Target) -> Result<Vec<String>, String> {
    let c = changes(root, target)?;
    let mut stale: Vec<String> = c.write.into_iter().map(|f| f.path).collect();
    stale.sort();
    stale.extend(
        c.remove
            .into_iter()
            .map(|p| format!("{p} (no longer generated)")),
    );
    Ok(stale)
}

/// Brings `root` up to date. Returns a one-line summary.
pub fn apply(root: &Path, target: &Target) -> Result<String, String> {
    let c = changes(root, target)?;
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
        read_manifest(root)
            .unwrap()
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
