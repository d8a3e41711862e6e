//! `cargo xtask refresh-docs DIR`: `priv/docs/` replaced by a newer upstream's, and what changed.
//!
//! The new docs are read, parsed and planned first; if any has an error, the diagnostics are
//! the error and nothing is touched. Otherwise every upstream `*.md` is copied (only those
//! whose bytes differ), the `*.md` files no longer upstream are removed, and
//! `docs.sha256` is rewritten, all through [`write::replace`] (each file written beside its
//! target, then renamed). The [`Report`] names the files and the endpoints (`METHOD path`,
//! per group) added, removed and changed, and the overlay endpoints that no longer match a
//! doc endpoint.

use std::collections::BTreeMap;
use std::fmt;
use std::io;
use std::path::Path;

use codegen::emit::GeneratedFile;
use codegen::ir::{Api, DataAt, Endpoint, Method};
use codegen::{overlay, parse};
use sha2::{Digest, Sha256};

use crate::write;

/// Below the directory [`refresh`] works on (the workspace's `priv/`): the docs, their
/// checksum list and the overlays.
const DOCS: &str = "docs";
const CHECKSUMS: &str = "docs.sha256";
const OVERLAYS: &str = "overlays";

/// Names added, removed and changed, each list sorted.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Changes {
    pub added: Vec<String>,
    pub removed: Vec<String>,
    pub changed: Vec<String>,
}

impl Changes {
    /// The difference between two keyed collections, each list in key order.
    fn between<K: Ord + fmt::Display, V: PartialEq>(
        old: &BTreeMap<K, V>,
        new: &BTreeMap<K, V>,
    ) -> Changes {
        let mut changes = Changes::default();
        for (key, value) in new {
            match old.get(key) {
                None => changes.added.push(key.to_string()),
                Some(before) if before != value => changes.changed.push(key.to_string()),
                Some(_) => {}
            }
        }
        changes.removed = old
            .keys()
            .filter(|k| !new.contains_key(*k))
            .map(K::to_string)
            .collect();
        changes
    }

    fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }

    fn counts(&self) -> String {
        counts(self.added.len(), self.removed.len(), self.changed.len())
    }

    /// `+ name`, `- name`, `~ name`, one a line, each indented by `indent`.
    fn lines(&self, indent: &str, out: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (mark, names) in [
            ('+', &self.added),
            ('-', &self.removed),
            ('~', &self.changed),
        ] {
            for name in names {
                writeln!(out, "{indent}{mark} {name}")?;
            }
        }
        Ok(())
    }
}

fn counts(added: usize, removed: usize, changed: usize) -> String {
    format!("{added} added, {removed} removed, {changed} changed")
}

/// An overlay endpoint whose doc endpoint is gone.
#[derive(Debug, PartialEq, Eq)]
pub struct StaleOverlay {
    /// The overlay's file name (`audit_logs.md`) and the line of its method line.
    pub file: String,
    pub line: u32,
    /// `METHOD path`.
    pub route: String,
    /// Whether the whole doc is gone, not only the endpoint.
    pub doc_gone: bool,
}

/// What a refresh did.
#[derive(Debug, PartialEq, Eq)]
pub struct Report {
    pub docs: usize,
    pub endpoints: usize,
    /// Doc file names.
    pub files: Changes,
    /// Per group (file stem) that has any: its routes, `METHOD path`.
    pub routes: BTreeMap<String, Changes>,
    pub stale_overlays: Vec<StaleOverlay>,
    pub checksums_rewritten: bool,
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "upstream: {} docs, {} endpoints",
            self.docs, self.endpoints
        )?;
        writeln!(f, "files: {}", self.files.counts())?;
        self.files.lines("  ", f)?;
        let total = |list: fn(&Changes) -> &Vec<String>| -> usize {
            self.routes.values().map(|c| list(c).len()).sum()
        };
        writeln!(
            f,
            "endpoints: {}",
            counts(
                total(|c| &c.added),
                total(|c| &c.removed),
                total(|c| &c.changed)
            )
        )?;
        for (group, changes) in &self.routes {
            writeln!(f, "  {group}")?;
            changes.lines("    ", f)?;
        }
        if self.stale_overlays.is_empty() {
            writeln!(f, "overlays: every overlay endpoint is still documented")?;
        } else {
            writeln!(
                f,
                "overlays: {} endpoint(s) no longer documented; fix them before `cargo xtask codegen`:",
                self.stale_overlays.len()
            )?;
            for s in &self.stale_overlays {
                let why = if s.doc_gone {
                    format!("{} is no longer upstream", s.file)
                } else {
                    format!("no longer in {}", s.file)
                };
                writeln!(
                    f,
                    "  priv/overlays/{}:{}: {} ({why})",
                    s.file, s.line, s.route
                )?;
            }
        }
        let list = if self.checksums_rewritten {
            "rewritten"
        } else {
            "unchanged"
        };
        writeln!(f, "priv/{CHECKSUMS}: {list}")
    }
}

/// Refreshes `priv_dir/docs` (and `priv_dir/docs.sha256`) from the upstream docs directory
/// `upstream`, and checks `priv_dir/overlays` against the new docs. `Err` is a message for
/// the user (rendered diagnostics included); nothing has been changed then, unless the
/// message says a write failed midway. Warnings of the new docs go to stderr.
pub fn refresh(upstream: &Path, priv_dir: &Path) -> Result<Report, String> {
    let new = read_upstream(upstream)?;
    let new_api = parse_new(upstream, &new)?;

    let docs_dir = priv_dir.join(DOCS);
    let old = match parse::read_docs_dir(&docs_dir) {
        Ok(old) => old,
        // The first import.
        Err(e) if e.kind() == io::ErrorKind::NotFound => Vec::new(),
        Err(e) => {
            let shown = docs_dir.display();
            return Err(format!(
                "error: cannot read {shown}: {e}; nothing was changed"
            ));
        }
    };
    // The old docs are only compared with: an error in them loses nothing but its endpoints.
    let old = codegen::Sources::in_memory(&docs_dir, old);
    let old_api = codegen::load_sources(&old, None).api;

    let by_name =
        |docs: &[(String, String)]| -> BTreeMap<String, String> { docs.iter().cloned().collect() };
    let (old_files, new_files) = (by_name(&old.files), by_name(&new));
    let files = Changes::between(&old_files, &new_files);

    let list = checksums(&new);
    let list_path = priv_dir.join(CHECKSUMS);
    let checksums_rewritten = std::fs::read(&list_path).ok().as_deref() != Some(list.as_bytes());

    let mut writes: Vec<GeneratedFile> = files
        .added
        .iter()
        .chain(&files.changed)
        .map(|name| GeneratedFile {
            path: format!("{DOCS}/{name}"),
            contents: new_files[name].clone(),
        })
        .collect();
    if checksums_rewritten {
        writes.push(GeneratedFile {
            path: CHECKSUMS.to_owned(),
            contents: list,
        });
    }
    let removes: Vec<String> = files
        .removed
        .iter()
        .map(|n| format!("{DOCS}/{n}"))
        .collect();
    // Everything that can fail short of writing comes first.
    let report = Report {
        docs: new_api.docs.len(),
        endpoints: new_api.docs.iter().map(|d| d.endpoints.len()).sum(),
        files,
        routes: route_changes(&old_api, &new_api),
        stale_overlays: stale_overlays(&priv_dir.join(OVERLAYS), &new_api)?,
        checksums_rewritten,
    };
    write::replace(priv_dir, &writes, &removes)?;
    Ok(report)
}

/// The upstream `*.md` files, refusing a directory with none: removing every doc is never
/// what a refresh means (the likely mistake is the checkout's root instead of its
/// `priv/docs`).
fn read_upstream(upstream: &Path) -> Result<Vec<(String, String)>, String> {
    let new = parse::read_docs_dir(upstream).map_err(|e| {
        format!(
            "error: cannot read {}: {e}; nothing was changed",
            upstream.display()
        )
    })?;
    if new.is_empty() {
        let hint = if upstream.join("priv/docs").is_dir() {
            format!(" (did you mean {}?)", upstream.join("priv/docs").display())
        } else {
            String::new()
        };
        return Err(format!(
            "error: no *.md files in {}{hint}; nothing was changed",
            upstream.display()
        ));
    }
    Ok(new)
}

/// Parses and plans the new docs: an error in either (a doc that does not parse, two files
/// that would name one module) refuses them, since `cargo xtask codegen` would.
/// The overlays are not applied: [`stale_overlays`] reports those the new docs no longer match.
fn parse_new(upstream: &Path, new: &[(String, String)]) -> Result<Api, String> {
    let loaded = codegen::load_sources(&codegen::Sources::in_memory(upstream, new.to_vec()), None)
        .refuse_errors("in the upstream docs; nothing was changed")?;
    eprint!("{}", loaded.rendered);
    let api = loaded.api;
    if let Err(diagnostics) = codegen::plan::plan(&api) {
        return Err(format!(
            "{}error: the upstream docs parse but would not generate; nothing was changed",
            codegen::render_in(upstream, &diagnostics, new)
        ));
    }
    Ok(api)
}

/// The checksum list of `docs`: `sha256sum` format, `<hex>  docs/<name>`, sorted by name
/// (the docs come sorted from [`parse::read_docs_dir`]).
fn checksums(docs: &[(String, String)]) -> String {
    let mut out = String::new();
    for (name, text) in docs {
        for byte in Sha256::digest(text.as_bytes()) {
            out.push_str(&format!("{byte:02x}"));
        }
        out.push_str(&format!("  {DOCS}/{name}\n"));
    }
    out
}

/// An endpoint's identity within its group: method and path, and which of the endpoints
/// with both it is (0 for the first; the docs may document a route twice). Ordered by path
/// first, so a report lists the methods of one path together.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
struct Route {
    path: String,
    method: Method,
    repeat: usize,
}

impl fmt::Display for Route {
    /// `GET /zones`, and `GET /zones (2)` for a second one.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.method.as_str(), self.path)?;
        match self.repeat {
            0 => Ok(()),
            n => write!(f, " ({})", n + 1),
        }
    }
}

/// Each group's endpoints by route, each with what the docs say of it, positions left
/// out: an endpoint that only moved within its file is not changed.
fn routes(api: &Api) -> BTreeMap<String, BTreeMap<Route, serde_json::Value>> {
    let mut groups = BTreeMap::new();
    for doc in &api.docs {
        let mut routes = BTreeMap::new();
        for endpoint in &doc.endpoints {
            let mut route = Route {
                path: endpoint.path.clone(),
                method: endpoint.method,
                repeat: 0,
            };
            while routes.contains_key(&route) {
                route.repeat += 1;
            }
            routes.insert(route, content(endpoint));
        }
        groups.insert(doc.group.clone(), routes);
    }
    groups
}

fn content(endpoint: &Endpoint) -> serde_json::Value {
    serde_json::json!({
        "summary": endpoint.summary,
        "description": endpoint.description,
        "responses": endpoint.responses.iter().map(|r| serde_json::json!({
            "status": r.status,
            "description": r.description,
            "data_at": r.data_at.as_ref().map(DataAt::written),
            // Shapes serialise without spans.
            "shape": r.shape,
        })).collect::<Vec<_>>(),
    })
}

fn route_changes(old: &Api, new: &Api) -> BTreeMap<String, Changes> {
    let (old, new) = (routes(old), routes(new));
    let none = BTreeMap::new();
    let groups: std::collections::BTreeSet<&String> = old.keys().chain(new.keys()).collect();
    groups
        .into_iter()
        .map(|group| {
            let before = old.get(group).unwrap_or(&none);
            let after = new.get(group).unwrap_or(&none);
            (group.clone(), Changes::between(before, after))
        })
        .filter(|(_, changes)| !changes.is_empty())
        .collect()
}

/// Every endpoint of every overlay in `dir` that matches no endpoint of its doc in `api` by
/// method and path (the way [`overlay::apply`] matches them). An overlay that does not
/// parse is left to `cargo xtask codegen` to report.
fn stale_overlays(dir: &Path, api: &Api) -> Result<Vec<StaleOverlay>, String> {
    let overlays = overlay::read_overlays_dir(dir).map_err(|e| {
        format!(
            "error: cannot read {}: {e}; nothing was changed",
            dir.display()
        )
    })?;
    let mut stale = Vec::new();
    for (file, src) in &overlays {
        let Some(ov) = parse::parse_overlay(file, src).0 else {
            continue;
        };
        let doc = api.docs.iter().find(|d| d.file == *file);
        for endpoint in &ov.endpoints {
            let documented = doc.is_some_and(|d| {
                d.endpoints
                    .iter()
                    .any(|e| e.method == endpoint.method && e.path == endpoint.path)
            });
            if !documented {
                stale.push(StaleOverlay {
                    file: file.clone(),
                    line: endpoint.route.line,
                    route: format!("{} {}", endpoint.method.as_str(), endpoint.path),
                    doc_gone: doc.is_none(),
                });
            }
        }
    }
    Ok(stale)
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = "# A\n\n## List things\n\n**GET** `/things`\n\n### Responses\n\n#### 200 OK\n\n```json\n[\"*string*\"]\n```\n";

    /// A `priv/`-like directory holding `docs` and `overlays`, and an upstream directory.
    fn dirs(docs: &[(&str, &str)], overlays: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("a temp dir");
        for (sub, files) in [("priv/docs", docs), ("priv/overlays", overlays)] {
            std::fs::create_dir_all(dir.path().join(sub)).expect("mkdir");
            for (name, text) in files {
                std::fs::write(dir.path().join(sub).join(name), text).expect("write");
            }
        }
        std::fs::create_dir_all(dir.path().join("upstream")).expect("mkdir upstream");
        dir
    }

    fn upstream(dir: &tempfile::TempDir, files: &[(&str, &str)]) {
        for (name, text) in files {
            std::fs::write(dir.path().join("upstream").join(name), text).expect("write");
        }
    }

    /// Every file below `dir`, relative path → bytes.
    fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
        let mut out = BTreeMap::new();
        for entry in std::fs::read_dir(dir).expect("read_dir") {
            let path = entry.expect("entry").path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if path.is_dir() {
                out.extend(
                    tree(&path)
                        .into_iter()
                        .map(|(k, v)| (format!("{name}/{k}"), v)),
                );
            } else {
                out.insert(name, std::fs::read(&path).expect("read"));
            }
        }
        out
    }

    #[test]
    fn copies_removes_rewrites_the_list_and_names_every_change() {
        // b.md loses its DELETE, gains a POST and a second GET /b, and changes its first
        // GET's shape; c.md goes; d.md
        // comes; a.md stays byte for byte (without a trailing newline, which is kept).
        let b_old = "# B\n\n## Get\n\n**GET** `/b`\n\n### Responses\n\n#### 200 OK\n\n```json\n{}\n```\n\n## Delete\n\n**DELETE** `/b/{id}`\n";
        let b_new = "# B\n\n## Create\n\n**POST** `/b`\n\n## Get\n\n**GET** `/b`\n\n### Responses\n\n#### 200 OK\n\n```json\n{\"id\": \"*string*\"}\n```\n\n## Get again\n\n**GET** `/b`\n";
        let c = "# C\n\n## Get\n\n**GET** `/c`\n";
        let d = "\u{feff}# D\r\n\r\n## Get\r\n\r\n**GET** `/d`\r\n";
        let a = A.trim_end();
        let overlay = "# B\n\n## Delete\n\n**DELETE** `/b/{id}`\n\n## Get\n\n**GET** `/b`\n";
        let overlay_c = "# C\n\n## Get\n\n**GET** `/c`\n";
        let dir = dirs(
            &[("a.md", a), ("b.md", b_old), ("c.md", c)],
            &[("b.md", overlay), ("c.md", overlay_c)],
        );
        upstream(
            &dir,
            &[
                ("a.md", a),
                ("b.md", b_new),
                ("d.md", d),
                ("notes.txt", "x"),
            ],
        );
        let priv_dir = dir.path().join("priv");

        let report = refresh(&dir.path().join("upstream"), &priv_dir).expect("refreshes");
        let routes = |added: &[&str], removed: &[&str], changed: &[&str]| Changes {
            added: added.iter().map(|s| s.to_string()).collect(),
            removed: removed.iter().map(|s| s.to_string()).collect(),
            changed: changed.iter().map(|s| s.to_string()).collect(),
        };
        assert_eq!(report.files, routes(&["d.md"], &["c.md"], &["b.md"]));
        assert_eq!(
            report.routes,
            BTreeMap::from([
                (
                    "b".to_owned(),
                    routes(&["GET /b (2)", "POST /b"], &["DELETE /b/{id}"], &["GET /b"])
                ),
                ("c".to_owned(), routes(&[], &["GET /c"], &[])),
                ("d".to_owned(), routes(&["GET /d"], &[], &[])),
            ])
        );
        assert_eq!(
            report.stale_overlays,
            [
                StaleOverlay {
                    file: "b.md".into(),
                    line: 5,
                    route: "DELETE /b/{id}".into(),
                    doc_gone: false
                },
                StaleOverlay {
                    file: "c.md".into(),
                    line: 5,
                    route: "GET /c".into(),
                    doc_gone: true
                },
            ]
        );
        assert!(report.checksums_rewritten);
        assert_eq!(
            report.to_string(),
            "\
upstream: 3 docs, 5 endpoints
files: 1 added, 1 removed, 1 changed
  + d.md
  - c.md
  ~ b.md
endpoints: 3 added, 2 removed, 1 changed
  b
    + GET /b (2)
    + POST /b
    - DELETE /b/{id}
    ~ GET /b
  c
    - GET /c
  d
    + GET /d
overlays: 2 endpoint(s) no longer documented; fix them before `cargo xtask codegen`:
  priv/overlays/b.md:5: DELETE /b/{id} (no longer in b.md)
  priv/overlays/c.md:5: GET /c (c.md is no longer upstream)
priv/docs.sha256: rewritten
"
        );

        // The docs are upstream's bytes (the BOM and CRLFs of d.md too), the non-Markdown
        // file is not copied, the overlays are untouched, and the list is sha256sum's.
        let after = tree(&priv_dir);
        let files: Vec<&str> = after.keys().map(String::as_str).collect();
        assert_eq!(
            files,
            [
                "docs.sha256",
                "docs/a.md",
                "docs/b.md",
                "docs/d.md",
                "overlays/b.md",
                "overlays/c.md"
            ]
        );
        assert_eq!(after["docs/a.md"], a.as_bytes());
        assert_eq!(after["docs/b.md"], b_new.as_bytes());
        assert_eq!(after["docs/d.md"], d.as_bytes());
        assert_eq!(after["overlays/b.md"], overlay.as_bytes());
        let list = String::from_utf8(after["docs.sha256"].clone()).unwrap();
        let names: Vec<&str> = list.lines().map(|l| &l[64..]).collect();
        assert_eq!(names, ["  docs/a.md", "  docs/b.md", "  docs/d.md"]);
        // a.md's line as `sha256sum docs/a.md` prints it.
        assert_eq!(
            list.lines().next(),
            Some("adb3c4f3710fd407124f3b4accd402b95b451d3d9cef9e60b0fa22202f9b606b  docs/a.md")
        );

        // Again: nothing to do, and nothing is rewritten.
        let again = refresh(&dir.path().join("upstream"), &priv_dir).expect("refreshes");
        assert_eq!(
            again.to_string(),
            "\
upstream: 3 docs, 5 endpoints
files: 0 added, 0 removed, 0 changed
endpoints: 0 added, 0 removed, 0 changed
overlays: 2 endpoint(s) no longer documented; fix them before `cargo xtask codegen`:
  priv/overlays/b.md:5: DELETE /b/{id} (no longer in b.md)
  priv/overlays/c.md:5: GET /c (c.md is no longer upstream)
priv/docs.sha256: unchanged
"
        );
        assert_eq!(tree(&priv_dir), after);
    }

    #[test]
    fn docs_that_do_not_parse_or_would_not_generate_change_nothing() {
        let dir = dirs(&[("a.md", A)], &[]);
        let before = tree(&dir.path().join("priv"));
        // e.md's endpoint has no method line.
        upstream(
            &dir,
            &[
                ("a.md", "# A\n"),
                ("e.md", "# E\n\n## Get\n\nno method line\n"),
            ],
        );
        let err =
            refresh(&dir.path().join("upstream"), &dir.path().join("priv")).expect_err("refused");
        assert!(err.contains("e.md:"), "{err}");
        assert!(
            err.ends_with("error: 1 error(s) in the upstream docs; nothing was changed"),
            "{err}"
        );
        assert_eq!(tree(&dir.path().join("priv")), before);

        // a-b.md and a_b.md parse, but would be one module.
        let clash = dirs(&[("a.md", A)], &[]);
        upstream(&clash, &[("a-b.md", A), ("a_b.md", A)]);
        let err = refresh(&clash.path().join("upstream"), &clash.path().join("priv"))
            .expect_err("refused");
        assert!(err.contains("a_b.md"), "{err}");
        assert!(
            err.ends_with("would not generate; nothing was changed"),
            "{err}"
        );
        assert_eq!(tree(&clash.path().join("priv")), before);
    }

    #[test]
    fn an_upstream_without_docs_is_refused_with_a_hint() {
        let dir = dirs(&[("a.md", A)], &[]);
        std::fs::create_dir_all(dir.path().join("upstream/priv/docs")).expect("mkdir");
        let priv_dir = dir.path().join("priv");
        let err = refresh(&dir.path().join("upstream"), &priv_dir).expect_err("refused");
        assert!(err.starts_with("error: no *.md files in "), "{err}");
        assert!(
            err.contains("upstream/priv/docs?); nothing was changed"),
            "{err}"
        );
        assert_eq!(tree(&priv_dir).len(), 1);
    }
}
