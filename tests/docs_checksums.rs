//! `priv/docs/` is byte for byte what `priv/docs.sha256` lists: the upstream docs, unedited;
//! and `priv/openapi/` what `priv/openapi.sha256` lists: Cloudflare's schema, unedited, which
//! `cargo xtask import-overlays` reads.
//!
//! Each list is in `sha256sum` format (`<hex>  docs/<name>`, sorted by name), so
//! `cd priv && sha256sum -c docs.sha256` agrees with this test. The hashing here is written
//! apart from `cargo xtask refresh-docs`, which writes the list, so one cannot hide the
//! other's mistake.

use std::collections::BTreeMap;
use std::path::Path;

use sha2::{Digest, Sha256};

/// `<dir name>/<name>` (`docs/a.md`) → hex SHA-256 of every entry of `docs` (a directory or
/// other non-file entry gets an empty hash: it is never listed, so it shows up as extra).
fn hash_dir(docs: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let dir_name = docs
        .file_name()
        .expect("a named directory")
        .to_string_lossy();
    for entry in std::fs::read_dir(docs).unwrap_or_else(|e| panic!("{}: {e}", docs.display())) {
        let path = entry.expect("a directory entry").path();
        let name = path.file_name().expect("an entry has a name");
        let key = format!("{dir_name}/{}", name.to_string_lossy());
        let hash = if path.is_file() {
            let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            Sha256::digest(&bytes)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect()
        } else {
            String::new()
        };
        out.insert(key, hash);
    }
    out
}

/// The lines of a checksum list as `(name, hex)`; a line that is not `<64 hex>  <name>` is
/// an `Err` naming it.
fn read_list(text: &str) -> Result<Vec<(String, String)>, String> {
    text.lines()
        .enumerate()
        .map(|(i, line)| match line.split_once("  ") {
            Some((hex, name))
                if hex.len() == 64
                    && hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) =>
            {
                Ok((name.to_owned(), hex.to_owned()))
            }
            _ => Err(format!(
                "line {}: not `<sha256>  <dir>/<name>`: {line:?}",
                i + 1
            )),
        })
        .collect()
}

/// Every difference between the list and the directory, one line each, sorted.
fn problems(list: &str, docs: &Path) -> Vec<String> {
    let listed = match read_list(list) {
        Ok(listed) => listed,
        Err(e) => return vec![e],
    };
    let mut out = Vec::new();
    if listed.windows(2).any(|w| w[0].0 >= w[1].0) {
        out.push("the list is not sorted by name with each name once".to_owned());
    }
    let listed: BTreeMap<String, String> = listed.into_iter().collect();
    let actual = hash_dir(docs);
    for (name, hex) in &listed {
        match actual.get(name) {
            None => out.push(format!("missing: {name}")),
            Some(found) if found != hex => out.push(format!("changed: {name}")),
            Some(_) => {}
        }
    }
    for name in actual.keys().filter(|n| !listed.contains_key(*n)) {
        out.push(format!("extra: {name}"));
    }
    out
}

#[test]
fn priv_docs_are_what_the_checksum_list_says() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../priv");
    let list = std::fs::read_to_string(root.join("docs.sha256")).expect("priv/docs.sha256");
    let found = problems(&list, &root.join("docs"));
    assert!(
        found.is_empty(),
        "priv/docs differs from priv/docs.sha256 (the docs are upstream's, never edited by hand; \
         `cargo xtask refresh-docs DIR` replaces them and the list together):\n  {}",
        found.join("\n  ")
    );
}

#[test]
fn priv_openapi_is_what_the_checksum_list_says() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../priv");
    let list = std::fs::read_to_string(root.join("openapi.sha256")).expect("priv/openapi.sha256");
    let found = problems(&list, &root.join("openapi"));
    assert!(
        found.is_empty(),
        "priv/openapi differs from priv/openapi.sha256 (Cloudflare's schema and its provenance, \
         never edited by hand):\n  {}",
        found.join("\n  ")
    );
}

#[test]
fn a_missing_an_extra_and_a_changed_file_are_each_named() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let docs = dir.path().join("docs");
    std::fs::create_dir(&docs).expect("docs dir");
    std::fs::write(docs.join("a.md"), "# A\n").expect("a.md");
    std::fs::write(docs.join("b.md"), "# B\n").expect("b.md");
    let sums = hash_dir(&docs);
    // What `printf '# A\n' | sha256sum` prints.
    assert_eq!(
        sums["docs/a.md"],
        "aa1237b773c38dbddef583c4868aaea7a44c5237ea7923aecca5513764b42d80"
    );
    let good: String = sums.iter().map(|(n, h)| format!("{h}  {n}\n")).collect();
    assert_eq!(problems(&good, &docs), Vec::<String>::new());

    // One byte of b.md changed, c.md gone from the directory, d.md not listed.
    std::fs::write(docs.join("b.md"), "# C\n").expect("b.md");
    std::fs::write(docs.join("d.md"), "# D\n").expect("d.md");
    let with_c = format!("{good}{}  docs/c.md\n", "0".repeat(64));
    assert_eq!(
        problems(&with_c, &docs),
        [
            "changed: docs/b.md",
            "missing: docs/c.md",
            "extra: docs/d.md"
        ]
    );
    assert_eq!(
        problems("not a checksum\n", &docs),
        ["line 1: not `<sha256>  <dir>/<name>`: \"not a checksum\""]
    );
    let unsorted: String = good.lines().rev().map(|l| format!("{l}\n")).collect();
    assert_eq!(
        problems(&unsorted, &docs),
        [
            "the list is not sorted by name with each name once",
            "changed: docs/b.md",
            "extra: docs/d.md"
        ]
    );
}
