//! `parse_api` and `read_docs_dir`: ordering, grouping, file handling, and the project's own
//! `priv/docs`.

use codegen::diag::{self, Severity};
use codegen::ir::{DataAt, Method, ShapeKind, Status};
use codegen::parse;

const GOOD: &str = "# Things\n\n## Get thing\n\n**GET** `/things/{id}`\n\n### Responses\n\n#### 200 OK\n\n```json\nnull\n```\n";
const BAD: &str = "# Bad\n\n## Get thing\n\n**FETCH** `/x`\n\n## Other\n\nno method line\n";

fn sources(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(f, s)| ((*f).to_owned(), (*s).to_owned()))
        .collect()
}

#[test]
fn docs_and_diagnostics_come_out_sorted() {
    let input = sources(&[
        ("zeta.md", BAD),
        ("alpha.md", GOOD),
        ("mid.md", BAD),
        ("untitled.md", "## X\n"),
    ]);
    let (api, diags) = parse::parse_api(&input);
    let files: Vec<_> = api.docs.iter().map(|d| d.file.as_str()).collect();
    // untitled.md has no `# Title`: no doc, but its diagnostics are kept.
    assert_eq!(files, ["alpha.md", "mid.md", "zeta.md"]);
    let keys: Vec<_> = diags
        .iter()
        .map(|d| (d.file.clone(), d.line, d.column))
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    let untitled: Vec<_> = diags
        .iter()
        .filter(|d| d.file == "untitled.md")
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(
        untitled,
        [
            "expected a `# Title` heading before the first endpoint",
            "expected a `**METHOD** `/path`` line right after the endpoint's `##` heading",
        ]
    );
    assert!(
        diags
            .iter()
            .any(|d| d.file == "mid.md" && d.message.contains("FETCH"))
    );
    assert!(diag::has_errors(&diags));
    // Both endpoints of the bad docs are left out; the good one is complete.
    assert!(
        api.docs
            .iter()
            .filter(|d| d.file != "alpha.md")
            .all(|d| d.endpoints.is_empty())
    );
    assert_eq!(api.docs[0].endpoints.len(), 1);
    assert_eq!(api.docs[0].group, "alpha");
}

#[test]
fn has_errors_ignores_warnings() {
    let (_, diags) = parse::parse_doc("w.md", "# W\n\nIntro.\n\n## A\n\n**GET** `/a`\n");
    assert!(!diags.is_empty());
    assert!(
        diags.iter().all(|d| d.severity == Severity::Warning),
        "{diags:#?}"
    );
    assert!(!diag::has_errors(&diags));
}

#[test]
fn byte_order_mark_and_crlf_line_endings() {
    let src = "\u{feff}# Things\r\n\r\n## Get thing\r\n\r\n**GET** `/things`\r\n\r\nLine one.\r\nLine two.\r\n\r\n### Responses\r\n\r\n#### 200 OK\r\n\r\n```json\r\n{\r\n  \"id\": \"*string*\"\r\n}\r\n```\r\n";
    let (doc, diags) = parse::parse_doc("crlf.md", src);
    assert!(diags.is_empty(), "{diags:#?}");
    let Some(doc) = doc else { panic!("no doc") };
    assert_eq!(doc.title, "Things");
    let ep = &doc.endpoints[0];
    assert_eq!(
        (ep.span.line, ep.method, ep.path.as_str()),
        (3, Method::Get, "/things")
    );
    assert_eq!(ep.description, "Line one.\r\nLine two.");
    assert_eq!(ep.responses[0].span.line, 12);
    assert!(
        matches!(&ep.responses[0].shape.kind, ShapeKind::Object { fields } if fields[0].name == "id")
    );
}

#[test]
fn the_projects_own_docs_parse_cleanly() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../priv/docs");
    let input = match parse::read_docs_dir(std::path::Path::new(dir)) {
        Ok(s) => s,
        Err(e) => panic!("{dir}: {e}"),
    };
    let (api, diags) = parse::parse_api(&input);
    // The upstream docs carry a few warnings (a 202 shaped unlike the 200, a path parameter
    // used twice), reviewed in tests/corpus.rs's output; audit_logs.md has none.
    let errors: Vec<_> = diags
        .iter()
        .filter(|d| d.severity == Severity::Error || d.file == "audit_logs.md")
        .cloned()
        .collect();
    assert!(errors.is_empty(), "{}", diag::render(&errors, &input));
    let audit = api.docs.iter().find(|d| d.group == "audit_logs");
    let Some(audit) = audit else {
        panic!("no audit_logs doc")
    };
    assert_eq!(audit.title, "Audit Logs");
    let routes: Vec<_> = audit
        .endpoints
        .iter()
        .map(|e| (e.span.line, e.method, e.path.as_str()))
        .collect();
    assert_eq!(
        routes,
        [
            (3, Method::Get, "/accounts/{account_id}/audit_logs"),
            (41, Method::Get, "/accounts/{account_id}/logs/audit"),
            (119, Method::Get, "/user/audit_logs"),
        ]
    );
    let first = &audit.endpoints[0];
    let statuses: Vec<_> = first
        .responses
        .iter()
        .map(|r| (r.span.line, r.status))
        .collect();
    assert_eq!(statuses, [(11, Status::Code(200)), (19, Status::Class(4))]);
    assert_eq!(
        first.responses[0]
            .data_at
            .as_ref()
            .map(DataAt::written)
            .as_deref(),
        Some("body[\"result\"]")
    );
    assert_eq!(first.responses[0].shape.kind, ShapeKind::Unknown);
    assert!(matches!(
        &audit.endpoints[1].responses[0].shape.kind,
        ShapeKind::Array { .. }
    ));
}

#[test]
fn read_docs_dir_takes_md_files_directly_inside_sorted() {
    let dir = match tempfile::tempdir() {
        Ok(d) => d,
        Err(e) => panic!("tempdir: {e}"),
    };
    let write = |rel: &str, bytes: &[u8]| {
        if let Err(e) = std::fs::write(dir.path().join(rel), bytes) {
            panic!("{rel}: {e}");
        }
    };
    for sub in ["sub", "dir.md"] {
        if let Err(e) = std::fs::create_dir(dir.path().join(sub)) {
            panic!("{sub}: {e}");
        }
    }
    write("b.md", b"# B\n");
    write("a.md", b"# A\n");
    write("notes.txt", b"not a doc");
    write("c.MD", b"upper-case extension: not a doc");
    write("sub/nested.md", b"# Nested: not read\n");
    let got = match parse::read_docs_dir(dir.path()) {
        Ok(s) => s,
        Err(e) => panic!("read: {e}"),
    };
    assert_eq!(got, sources(&[("a.md", "# A\n"), ("b.md", "# B\n")]));

    write("latin1.md", b"# Caf\xe9\n");
    match parse::read_docs_dir(dir.path()) {
        Ok(s) => panic!("expected an error, got {} files", s.len()),
        Err(e) => {
            assert_eq!(e.kind(), std::io::ErrorKind::InvalidData);
            assert!(e.to_string().contains("latin1.md"), "{e}");
        }
    }
    let missing = dir.path().join("missing");
    match parse::read_docs_dir(&missing) {
        Ok(_) => panic!("expected an error for a missing directory"),
        Err(e) => assert!(e.to_string().contains("missing"), "{e}"),
    }
}
