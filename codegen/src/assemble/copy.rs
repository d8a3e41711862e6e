//! Assembly, copies: a hand-written file of this repository as a generated crate carries a
//! copy of it (the every-endpoint test's server, the runtime of a standalone crate), under a
//! header that makes the copy the generator's.

use crate::emit::print::MARKER;

/// A hand-written file of `from` (a crate directory of this repository) as a copy carries
/// it: a header naming the original, doc examples naming crate `crate_name`.
pub(crate) fn copied(from: &str, path: &str, contents: &str, crate_name: &str) -> String {
    format!(
        "// {MARKER}: a copy of the hand-written {from}/{path}. Do not edit.\n{}",
        renamed_in_docs(contents, crate_name)
    )
}

/// `contents` with the runtime's doc examples naming crate `crate_name` instead of
/// `cloudflare_client`, so they compile as doctests of a standalone crate too. Only doc
/// comments change: the runtime's code names itself `crate::runtime`.
fn renamed_in_docs(contents: &str, crate_name: &str) -> String {
    let mut out = String::with_capacity(contents.len());
    for line in contents.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed.starts_with("///") || trimmed.starts_with("//!") {
            out.push_str(&line.replace("cloudflare_client::", &format!("{crate_name}::")));
        } else {
            out.push_str(line);
        }
    }
    out
}
