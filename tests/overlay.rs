//! Overlays (`docs/FORMAT.md`, "Overlays"): every `tests/fixtures/overlay/ok/<case>/` (a
//! `docs/` and an `overlays/` directory, laid out like `priv/`) merges without a diagnostic and
//! is snapshotted as the merged IR; every `tests/fixtures/overlay/bad/<case>/` has docs that
//! parse cleanly and overlays that do not apply, snapshotted as rendered diagnostics. Plus the
//! project's own `priv/overlays`.

use std::path::Path;

use codegen::diag::{self, Diagnostic, Severity};
use codegen::ir::{Api, DataAt, Endpoint, Method, ParamLocation, ParamType, ShapeKind, Status};
use codegen::{overlay, parse};

fn read(dir: &Path) -> Vec<(String, String)> {
    match overlay::read_overlays_dir(dir) {
        Ok(sources) => sources,
        Err(e) => panic!("{}: {e}", dir.display()),
    }
}

/// Parses `case/docs` (which must be clean) and applies `case/overlays`.
fn merge(case: &Path) -> (Api, Vec<Diagnostic>, Vec<(String, String)>) {
    let docs = read(&case.join("docs"));
    assert!(!docs.is_empty(), "{}: no docs", case.display());
    let (mut api, doc_diags) = parse::parse_api(&docs);
    assert!(
        doc_diags.is_empty(),
        "{}: the docs of an overlay case parse cleanly:\n{}",
        case.display(),
        diag::render(&doc_diags, &docs)
    );
    let overlays = read(&case.join("overlays"));
    assert!(!overlays.is_empty(), "{}: no overlays", case.display());
    let diags = overlay::apply(&mut api, &overlays);
    (api, diags, overlays)
}

#[test]
fn merged_ir() {
    insta::glob!("fixtures/overlay/ok/*", |case| {
        let (api, diags, overlays) = merge(case);
        assert!(
            diags.is_empty(),
            "{}:\n{}",
            case.display(),
            diag::render(&diags, &overlays)
        );
        insta::assert_json_snapshot!(api);
    });
}

#[test]
fn bad_overlays() {
    insta::glob!("fixtures/overlay/bad/*", |case| {
        let (_, diags, overlays) = merge(case);
        assert!(
            diag::has_errors(&diags),
            "{}: expected errors",
            case.display()
        );
        let overlay_files: Vec<&str> = overlays.iter().map(|(f, _)| f.as_str()).collect();
        for d in &diags {
            assert!(
                overlay_files.contains(&d.file.as_str()),
                "{d:?} names an overlay"
            );
        }
        let keys: Vec<_> = diags
            .iter()
            .map(|d| (d.file.clone(), d.line, d.column))
            .collect();
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(keys, sorted, "{}: diagnostics are sorted", case.display());
        insta::assert_snapshot!(diag::render(&diags, &overlays));
    });
}

/// Everything after the first error in a bad case is still applied.
#[test]
fn good_parts_of_a_bad_overlay_still_apply() {
    let case =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/overlay/bad/contradicting_shape");
    let (api, _, _) = merge(&case);
    let user = &api.docs[0].endpoints[1];
    assert_eq!(user.path, "/user/things");
    assert!(
        matches!(&user.responses[0].shape.kind, ShapeKind::Object { fields } if fields[0].name == "fine")
    );
    // The contradicting response keeps the doc's shape.
    let list = &api.docs[0].endpoints[0];
    assert_eq!(
        list.responses[0]
            .data_at
            .as_ref()
            .map(DataAt::written)
            .as_deref(),
        Some("body[\"result\"]")
    );
    let ShapeKind::Array { element } = &list.responses[0].shape.kind else {
        panic!("array expected")
    };
    let ShapeKind::Object { fields } = &element.kind else {
        panic!("object expected")
    };
    assert_eq!(fields[1].shape.kind, ShapeKind::String);
}

fn endpoint<'a>(api: &'a Api, method: Method, path: &str) -> &'a Endpoint {
    match api
        .docs
        .iter()
        .flat_map(|d| &d.endpoints)
        .find(|e| e.method == method && e.path == path)
    {
        Some(e) => e,
        None => panic!("no {method:?} {path}"),
    }
}

#[test]
fn priv_overlays_merge_cleanly() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let docs = read(&root.join("priv/docs"));
    let (mut api, doc_diags) = parse::parse_api(&docs);
    // Other upstream docs carry a few warnings (tests/corpus.rs); the overlaid ones none.
    let overlays = read(&root.join("priv/overlays"));
    let noted: Vec<_> = doc_diags
        .iter()
        .filter(|d| d.severity == Severity::Error || overlays.iter().any(|(f, _)| *f == d.file))
        .cloned()
        .collect();
    assert!(noted.is_empty(), "{}", diag::render(&noted, &docs));
    assert!(!overlays.is_empty());
    let diags = overlay::apply(&mut api, &overlays);
    assert!(diags.is_empty(), "{}", diag::render(&diags, &overlays));

    let account = endpoint(&api, Method::Get, "/accounts/{account_id}/audit_logs");
    let user = endpoint(&api, Method::Get, "/user/audit_logs");
    let v2 = endpoint(&api, Method::Get, "/accounts/{account_id}/logs/audit");
    // What the overlay says (every parameter, variant and refined shape) is reviewed in the
    // snapshot; the assertions below are the rules it must follow whatever it says.
    // The snapshot holds the audit_logs group only: the other 425 docs have no overlay.
    let audit_logs = Api {
        docs: api
            .docs
            .iter()
            .filter(|d| d.file == "audit_logs.md")
            .cloned()
            .collect(),
    };
    insta::assert_json_snapshot!(
        "priv_overlays_audit_logs",
        codegen::ir::endpoints_json(&audit_logs)
    );
    for e in [account, user, v2] {
        for p in &e.params {
            assert!(!p.description.is_empty(), "{}: no description", p.name);
            let in_path = e.path_params.contains(&p.name);
            assert_eq!(p.location == ParamLocation::Path, in_path, "{}", p.name);
            assert_eq!(&*p.span.file, "audit_logs.md");
        }
        // The v1 (account, user) and v2 listings share their date filters; only v2 needs them.
        let since = e.params.iter().find(|p| p.name == "since");
        assert_eq!(
            since.map(|p| (&p.ty, p.required)),
            Some((&ParamType::DateTime, std::ptr::eq(e, v2)))
        );
    }
    for e in [account, user] {
        // The CSV export variant of the v1 listings, and the doc's error response untouched.
        assert_eq!(
            e.variants
                .iter()
                .map(|v| v.name.as_str())
                .collect::<Vec<_>>(),
            ["csv"]
        );
        assert_eq!(
            e.responses.iter().map(|r| r.status).collect::<Vec<_>>(),
            [Status::Code(200), Status::Class(4)]
        );
    }
    assert!(v2.variants.is_empty());
    // The v2 `.not` filters with a closed set are lists of strings (repeated query keys).
    for p in v2
        .params
        .iter()
        .filter(|p| p.name.ends_with(".not") && !p.values.is_empty())
    {
        assert_eq!(
            p.ty,
            ParamType::Array(Box::new(ParamType::String)),
            "{}",
            p.name
        );
    }
}

#[test]
fn a_missing_overlays_dir_is_no_overlays() {
    let dir = tempfile::tempdir().expect("tempdir");
    let got = overlay::read_overlays_dir(&dir.path().join("nope"));
    assert!(matches!(got, Ok(v) if v.is_empty()));
    // An existing directory is read like a docs directory.
    std::fs::write(dir.path().join("a.md"), "# A\n").expect("write");
    std::fs::write(dir.path().join("b.txt"), "no").expect("write");
    let got = overlay::read_overlays_dir(dir.path()).expect("readable");
    assert_eq!(got, [("a.md".to_owned(), "# A\n".to_owned())]);
}

#[test]
fn overlays_apply_in_file_order_whatever_the_input_order() {
    let case = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/overlay/ok/several_docs");
    let docs = read(&case.join("docs"));
    let mut overlays = read(&case.join("overlays"));
    let (mut a, _) = parse::parse_api(&docs);
    let da = overlay::apply(&mut a, &overlays);
    overlays.reverse();
    let (mut b, _) = parse::parse_api(&docs);
    let db = overlay::apply(&mut b, &overlays);
    assert_eq!(a, b);
    assert_eq!(da, db);
}

/// An overlay that only restates the doc (same endpoint, status, note and shape) leaves the
/// IR as it was: merging adds, it never rewrites what agrees.
#[test]
fn an_overlay_restating_the_doc_changes_nothing() {
    let src = "# T\n\n## S\n\n**GET** `/x`\n\n### Responses\n\n#### 200 OK\n\n> Data is at `body[\"result\"]`\n\n```json\n{\"a\": [\"*string*\"], \"b\": {}}\n```\n";
    let docs = [("t.md".to_owned(), src.to_owned())];
    let (mut api, _) = parse::parse_api(&docs);
    let before = codegen::ir::endpoints_json(&api);
    let overlay = [("t.md".to_owned(), src.replace("# T", "# T overlay"))];
    let diags = overlay::apply(&mut api, &overlay);
    assert!(diags.is_empty(), "{}", diag::render(&diags, &overlay));
    assert_eq!(codegen::ir::endpoints_json(&api), before);
}

/// The same text is a description in a doc and a parameters table in an overlay.
#[test]
fn tables_are_read_in_overlays_only() {
    let src = "# T\n\n## S\n\n**GET** `/x`\n\n### Parameters\n\n| Name | In | Type | Required | Values | Description |\n|-|-|-|-|-|-|\n| `n` | query | integer | no | `1`, `2` | A \\| B |\n";
    let (doc, diags) = parse::parse_doc("t.md", src);
    let Some(doc) = doc else { panic!("doc") };
    let e = &doc.endpoints[0];
    assert!(e.params.is_empty());
    assert!(
        e.description.starts_with("### Parameters\n\n| Name |"),
        "{}",
        e.description
    );
    // Only the usual warning about the missing `### Responses`.
    assert_eq!(diags.len(), 1);
    assert_eq!(diags[0].severity, Severity::Warning);

    let (doc, diags) = parse::parse_overlay("t.md", src);
    assert!(diags.is_empty(), "{diags:?}");
    let Some(doc) = doc else { panic!("overlay") };
    let e = &doc.endpoints[0];
    assert_eq!(e.description, "");
    assert_eq!(e.params.len(), 1);
    let p = &e.params[0];
    assert_eq!(
        (p.name.as_str(), p.span.line, p.description.as_str()),
        ("n", 11, "A | B")
    );
    assert_eq!(p.values, ["1", "2"]);
    assert_eq!(p.ty, ParamType::Integer);
}

/// An endpoint's parameters and variants come from one place: applying an overlay twice is an
/// error, not a silent overwrite.
#[test]
fn applying_parameters_twice_is_an_error() {
    let case = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/overlay/ok/replace_null");
    let (mut api, diags, overlays) = merge(&case);
    assert!(diags.is_empty());
    let merged = api.clone();
    let again = overlay::apply(&mut api, &overlays);
    let messages: Vec<&str> = again.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "GET /accounts/{account_id}/logs already has parameters",
            "GET /accounts/{account_id}/logs already has variants",
        ]
    );
    assert!(
        again
            .iter()
            .all(|d| (d.file.as_str(), d.line) == ("logs.md", 7))
    );
    // The shapes refine themselves, so nothing else changed.
    assert_eq!(api, merged);
}

/// Overlays that merge cleanly but that the plan refuses (`tests/fixtures/overlay/plan_bad/`):
/// every diagnostic names the overlay line it comes from.
#[test]
fn overlays_the_plan_refuses() {
    insta::glob!("fixtures/overlay/plan_bad/*", |case| {
        let (api, diags, overlays) = merge(case);
        assert!(diags.is_empty(), "{}: merges cleanly", case.display());
        let Err(diags) = codegen::plan::plan(&api) else {
            panic!("{}: expected the plan to refuse it", case.display());
        };
        let overlay_files: Vec<&str> = overlays.iter().map(|(f, _)| f.as_str()).collect();
        assert!(
            diags
                .iter()
                .all(|d| overlay_files.contains(&d.file.as_str())),
            "{diags:?}"
        );
        insta::assert_snapshot!(diag::render(&diags, &overlays));
    });
}
