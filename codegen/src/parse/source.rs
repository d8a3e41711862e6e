//! Parse stage, source files: a docs (or overlays) directory → `(file name, text)` pairs.

use std::io;
use std::path::Path;

/// Reads every `*.md` file directly in `dir` (not in subdirectories), sorted by file name.
/// A file that is not UTF-8, or whose name holds a control character, is an error naming
/// the file.
pub fn read_docs_dir(dir: &Path) -> io::Result<Vec<(String, String)>> {
    let named =
        |path: &Path, e: io::Error| io::Error::new(e.kind(), format!("{}: {e}", path.display()));
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(|e| named(dir, e))? {
        let path = entry.map_err(|e| named(dir, e))?.path();
        if path.extension().and_then(|e| e.to_str()) != Some("md") {
            continue;
        }
        // `metadata` follows symlinks: a link to a doc is a doc, a directory named `x.md` is not.
        if !std::fs::metadata(&path)
            .map_err(|e| named(&path, e))?
            .is_file()
        {
            continue;
        }
        let name = match path.file_name().and_then(|n| n.to_str()) {
            Some(n) => n.to_owned(),
            None => {
                let msg = format!("{}: file name is not valid UTF-8", path.display());
                return Err(io::Error::new(io::ErrorKind::InvalidData, msg));
            }
        };
        // The name appears in generated comments and docs: a control character (a line
        // break, say) or a text-direction control would break or disguise them.
        if name
            .chars()
            .any(|c| c.is_control() || super::path::is_bidi_control(c))
        {
            let msg = format!(
                "{:?}: a doc file name holds a control character; rename the file",
                path.display().to_string()
            );
            return Err(io::Error::new(io::ErrorKind::InvalidData, msg));
        }
        let bytes = std::fs::read(&path).map_err(|e| named(&path, e))?;
        let text = String::from_utf8(bytes).map_err(|e| {
            let msg = format!("{}: not valid UTF-8 ({e})", path.display());
            io::Error::new(io::ErrorKind::InvalidData, msg)
        })?;
        out.push((name, text));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}
