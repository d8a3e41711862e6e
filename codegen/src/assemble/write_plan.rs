//! Assembly, the write plan: in a target directory, which files the generator owns, which of
//! them differ from what it generates now, which it wrote and no longer generates, and which
//! file in the way is not its own. It reads the directory and never writes: the xtask carries
//! the plan out, and `cargo xtask codegen --check` and `tests/freshness.rs` report it, so the
//! check and the write cannot disagree on what is stale.
//!
//! The generator owns exactly the files it wrote, listed in a manifest ([`MANIFEST`]) it keeps
//! beside them, and never overwrites or removes any other file, whatever that file says.

use std::collections::BTreeSet;
use std::fs;
use std::io;
use std::path::Path;

use super::in_repo::FEATURES_MARKER;
use crate::emit::GENERATED_DIR;
use crate::emit::print::{GeneratedFile, MARKER};

/// The manifest: the files the generator wrote in a target directory, one path per line,
/// relative to that directory. A hidden file, so the generator's own walk never counts it.
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
    /// The files generated for the target.
    pub fn files(&self) -> &[GeneratedFile] {
        match self {
            Target::Modules(files) | Target::Crate(files) => files,
        }
    }

    /// Where a tree without a manifest (written before manifests existed) may hold files
    /// of ours, relative to the root (`""`: the root itself).
    fn legacy_dir(&self) -> &'static str {
        match self {
            Target::Modules(_) => GENERATED_DIR,
            Target::Crate(_) => "",
        }
    }
}

/// A target directory as the plan reads it (the xtask's and the tests' is [`Dir`]).
pub trait Tree {
    /// The contents of the file at `path` (relative to the root); `None` if there is none.
    fn read(&self, path: &str) -> io::Result<Option<Vec<u8>>>;
    /// Every file under `dir` (relative to the root; `""` is the root), as paths relative
    /// to the root with `/` separators, build output (`target/`, `Cargo.lock`) and hidden
    /// files aside.
    fn files_under(&self, dir: &str) -> io::Result<BTreeSet<String>>;
    /// `path` as messages name it.
    fn shown(&self, path: &str) -> String;
}

/// A directory on disk, read only.
pub struct Dir<'a>(pub &'a Path);

impl Tree for Dir<'_> {
    fn read(&self, path: &str) -> io::Result<Option<Vec<u8>>> {
        match fs::read(self.0.join(path)) {
            Ok(contents) => Ok(Some(contents)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    fn files_under(&self, dir: &str) -> io::Result<BTreeSet<String>> {
        let mut found = BTreeSet::new();
        let start = self.0.join(dir);
        if !start.exists() {
            return Ok(found);
        }
        let mut stack = vec![start];
        while let Some(current) = stack.pop() {
            for entry in fs::read_dir(&current)? {
                let entry = entry?;
                let path = entry.path();
                let name = entry.file_name();
                if name == "target"
                    || name == "Cargo.lock"
                    || name.to_string_lossy().starts_with('.')
                {
                    continue;
                }
                if entry.file_type()?.is_dir() {
                    stack.push(path);
                } else if let Ok(relative) = path.strip_prefix(self.0) {
                    found.insert(relative.to_string_lossy().replace('\\', "/"));
                }
            }
        }
        Ok(found)
    }

    fn shown(&self, path: &str) -> String {
        self.0.join(path).display().to_string()
    }
}

/// The plan: files to write (the manifest among them when it changes) and files of ours to
/// remove.
#[derive(Debug)]
pub struct Changes {
    pub write: Vec<GeneratedFile>,
    pub remove: Vec<String>,
    pub unchanged: usize,
}

/// The manifest's text for `files`: a header, then the sorted paths.
pub fn manifest(files: &[GeneratedFile]) -> GeneratedFile {
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

/// The paths a manifest's text lists.
pub fn listed(manifest: &[u8]) -> BTreeSet<String> {
    String::from_utf8_lossy(manifest)
        .lines()
        .skip(1)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

/// A file written by a generator that kept no manifest yet: its first line is exactly one
/// of the headers the generator writes (not merely a line mentioning `@generated`), or, for
/// an in-repo crate's `Cargo.toml`, it holds the line after which the generator owns the
/// rest.
fn is_legacy_generated(contents: &[u8]) -> bool {
    has_header(contents)
        || String::from_utf8_lossy(contents)
            .lines()
            .any(|l| l == FEATURES_MARKER)
}

/// Whether the first line is exactly one of the headers the generator writes.
pub fn has_header(contents: &[u8]) -> bool {
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

/// What bringing `tree` up to date with `target` takes. An error if a file that is not ours
/// is in the way, or the tree cannot be read.
pub fn changes(tree: &impl Tree, target: &Target) -> Result<Changes, String> {
    let io_err = |path: &str, e: io::Error| format!("{}: {e}", tree.shown(path));
    let mut files = target.files().to_vec();
    files.push(manifest(target.files()));
    let produced: BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    let owned = tree
        .read(MANIFEST)
        .map_err(|e| io_err(MANIFEST, e))?
        .map(|text| listed(&text));
    let ours = |path: &str, contents: &[u8]| match &owned {
        Some(listed) => listed.contains(path),
        None => is_legacy_generated(contents),
    };
    let mut write = Vec::new();
    let mut unchanged = 0;
    for file in &files {
        match tree.read(&file.path).map_err(|e| io_err(&file.path, e))? {
            Some(old) if old == file.contents.as_bytes() => unchanged += 1,
            Some(old) => {
                if file.path != MANIFEST && !ours(&file.path, &old) {
                    return Err(format!(
                        "refusing to overwrite {}: the generator did not write it (it is not in {MANIFEST})",
                        tree.shown(&file.path)
                    ));
                }
                write.push(file.clone());
            }
            None => write.push(file.clone()),
        }
    }
    let candidates: BTreeSet<String> = match &owned {
        Some(listed) => listed.clone(),
        None => {
            let dir = target.legacy_dir();
            tree.files_under(dir).map_err(|e| io_err(dir, e))?
        }
    };
    let mut remove = Vec::new();
    for existing in candidates {
        if produced.contains(existing.as_str()) {
            continue;
        }
        // Removal also wants our header still there: whoever replaced a file's content
        // has taken it over.
        let contents = tree.read(&existing).map_err(|e| io_err(&existing, e))?;
        if contents.is_some_and(|c| ours(&existing, &c) && has_header(&c)) {
            remove.push(existing);
        }
    }
    Ok(Changes {
        write,
        remove,
        unchanged,
    })
}

/// Paths (relative to the tree's root) that differ from what would be generated, then those
/// the generator wrote and no longer generates (`… (no longer generated)`).
pub fn stale(tree: &impl Tree, target: &Target) -> Result<Vec<String>, String> {
    let c = changes(tree, target)?;
    let mut stale: Vec<String> = c.write.into_iter().map(|f| f.path).collect();
    stale.sort();
    stale.extend(
        c.remove
            .into_iter()
            .map(|p| format!("{p} (no longer generated)")),
    );
    Ok(stale)
}
