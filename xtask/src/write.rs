//! Stage 5 of 5 (parse → IR → names/types → emit → **write**): generated files onto disk.
//!
//! Safe by construction: generation finishes in memory before anything is touched; a file
//! without the `@generated` marker is never overwritten or removed; every changed file is
//! first written beside its target and only then renamed into place, so a failure while
//! writing leaves the previous files whole; files whose content is unchanged are not
//! rewritten (their mtimes stay, so cargo does not rebuild).

use std::collections::BTreeSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use codegen::emit::{GeneratedFile, GENERATED_DIR, MARKER};

/// What the generator owns in the target directory.
pub enum Target {
    /// Only `src/generated/` of a crate whose other files are hand-written.
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

    /// The directory whose marked files are ours to remove when no longer generated.
    fn managed_dir(&self, root: &Path) -> PathBuf {
        match self {
            Target::Modules(_) => root.join(GENERATED_DIR),
            Target::Crate(_) => root.to_path_buf(),
        }
    }
}

/// Whether the generator wrote (or owns part of) this file: a comment line that starts with
/// the marker, `// @generated` in Rust or `# @generated` in TOML.
fn is_marked(contents: &[u8]) -> bool {
    String::from_utf8_lossy(contents).lines().any(|line| {
        let line = line.trim_start();
        line.strip_prefix("//").or_else(|| line.strip_prefix('#')).is_some_and(|rest| rest.trim_start().starts_with(MARKER))
    })
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

/// The plan: files to write and marked files to remove; errors if an unmarked file is in
/// the way.
struct Changes {
    write: Vec<GeneratedFile>,
    remove: Vec<String>,
    unchanged: usize,
}

fn changes(root: &Path, target: &Target) -> Result<Changes, String> {
    let io_err = |path: &Path, e: io::Error| format!("{}: {e}", path.display());
    let produced: BTreeSet<&str> = target.files().iter().map(|f| f.path.as_str()).collect();
    let mut write = Vec::new();
    let mut unchanged = 0;
    for file in target.files() {
        let path = root.join(&file.path);
        match fs::read(&path) {
            Ok(old) if old == file.contents.as_bytes() => unchanged += 1,
            Ok(old) => {
                if !is_marked(&old) {
                    return Err(format!(
                        "refusing to overwrite {}: it has no `{MARKER}` marker, so it was not written by the generator",
                        path.display()
                    ));
                }
                write.push(file.clone());
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => write.push(file.clone()),
            Err(e) => return Err(io_err(&path, e)),
        }
    }
    let managed = target.managed_dir(root);
    let mut remove = Vec::new();
    for existing in existing_files(root, &managed).map_err(|e| io_err(&managed, e))? {
        if produced.contains(existing.as_str()) {
            continue;
        }
        let path = root.join(&existing);
        if is_marked(&fs::read(&path).map_err(|e| io_err(&path, e))?) {
            remove.push(existing);
        }
    }
    Ok(Changes { write, remove, unchanged })
}

/// Paths (relative to `root`) that differ from what would be generated.
pub fn stale(root: &Path, target: &Target) -> Result<Vec<String>, String> {
    let c = changes(root, target)?;
    let mut stale: Vec<String> = c.write.into_iter().map(|f| f.path).collect();
    stale.extend(c.remove.into_iter().map(|p| format!("{p} (no longer generated)")));
    Ok(stale)
}

/// Brings `root` up to date. Returns a one-line summary.
pub fn apply(root: &Path, target: &Target) -> Result<String, String> {
    let c = changes(root, target)?;
    // Phase 1: every new content beside its target. Nothing visible has changed yet.
    let mut staged = Vec::new();
    for file in &c.write {
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
    for relative in &c.remove {
        let path = root.join(relative);
        fs::remove_file(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(format!(
        "codegen: {} written, {} removed, {} unchanged",
        c.write.len(),
        c.remove.len(),
        c.unchanged
    ))
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
        GeneratedFile { path: path.to_owned(), contents: contents.to_owned() }
    }

    fn generated(path: &str, body: &str) -> GeneratedFile {
        file(path, &format!("// {MARKER} test\n{body}\n"))
    }

    #[test]
    fn writes_then_leaves_unchanged_files_alone() {
        let dir = tempfile::tempdir().unwrap();
        let files = vec![generated("src/generated/a.rs", "a"), generated("src/generated/mod.rs", "m")];
        let summary = apply(dir.path(), &Target::Modules(files.clone())).unwrap();
        assert_eq!(summary, "codegen: 2 written, 0 removed, 0 unchanged");
        let a = dir.path().join("src/generated/a.rs");
        let before = fs::metadata(&a).unwrap().modified().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        let summary = apply(dir.path(), &Target::Modules(files.clone())).unwrap();
        assert_eq!(summary, "codegen: 0 written, 0 removed, 2 unchanged");
        assert_eq!(fs::metadata(&a).unwrap().modified().unwrap(), before, "unchanged files keep their mtime");
        assert!(stale(dir.path(), &Target::Modules(files)).unwrap().is_empty());
        // No temporary file is left behind.
        let names: Vec<_> = fs::read_dir(dir.path().join("src/generated")).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names.len(), 2, "{names:?}");
    }

    #[test]
    fn refuses_to_overwrite_a_file_without_the_marker_and_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("src/generated")).unwrap();
        fs::write(dir.path().join("src/generated/b.rs"), "// hand-written\n").unwrap();
        let files = vec![generated("src/generated/a.rs", "a"), generated("src/generated/b.rs", "b")];
        let err = apply(dir.path(), &Target::Modules(files.clone())).unwrap_err();
        assert!(err.contains("refusing to overwrite") && err.contains("b.rs"), "{err}");
        assert!(!dir.path().join("src/generated/a.rs").exists(), "nothing is written when anything is refused");
        assert_eq!(fs::read_to_string(dir.path().join("src/generated/b.rs")).unwrap(), "// hand-written\n");
        assert!(stale(dir.path(), &Target::Modules(files)).is_err());
    }

    #[test]
    fn removes_stale_generated_files_but_never_hand_written_ones() {
        let dir = tempfile::tempdir().unwrap();
        let old = vec![generated("src/generated/a.rs", "a"), generated("src/generated/gone.rs", "g")];
        apply(dir.path(), &Target::Modules(old)).unwrap();
        fs::write(dir.path().join("src/generated/notes.txt"), "mine").unwrap();
        let new = vec![generated("src/generated/a.rs", "a2")];
        let stale_list = stale(dir.path(), &Target::Modules(new.clone())).unwrap();
        assert_eq!(stale_list, vec!["src/generated/a.rs", "src/generated/gone.rs (no longer generated)"]);
        assert_eq!(apply(dir.path(), &Target::Modules(new)).unwrap(), "codegen: 1 written, 1 removed, 0 unchanged");
        assert!(!dir.path().join("src/generated/gone.rs").exists());
        assert_eq!(fs::read_to_string(dir.path().join("src/generated/notes.txt")).unwrap(), "mine");
    }

    #[test]
    fn a_whole_crate_target_manages_only_marked_files_outside_target() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("target/debug")).unwrap();
        fs::write(dir.path().join("target/debug/x.rs"), format!("// {MARKER}\n")).unwrap();
        fs::write(dir.path().join("README.md"), "mine").unwrap();
        let files = vec![file("Cargo.toml", &format!("# {MARKER}\n[package]\n")), generated("src/lib.rs", "l")];
        apply(dir.path(), &Target::Crate(files.clone())).unwrap();
        assert!(dir.path().join("target/debug/x.rs").exists(), "build output is never touched");
        assert!(dir.path().join("README.md").exists());
        assert!(stale(dir.path(), &Target::Crate(files)).unwrap().is_empty());
    }
}
