//! Overlays (`docs/FORMAT.md`, "Overlays"): every `tests/fixtures/overlay/ok/<case>/` (a
//! `docs/` and an `overlays/` directory, laid out like `priv/`) merges without a diagnostic and
//! is snapshotted as the merged IR; every `tests/fixtures/overlay/bad/<case>/` has docs that
//! parse cleanly and overlays that do not apply, snapshotted as rendered diagnostics. Plus the
//! project's own `priv/overlays`.

use std::path::Path;

use codegen::diag::{self, Diagnostic, Severity};
use codegen::ir::{Api, DataAt, Endpoint, Method, ParamLocation, ParamType, Shape, ShapeKind, Status};
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
        list.responses[0].data_at.as_ref().map(DataAt::written).as_deref(),
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

fn names(e: &Endpoint) -> Vec<&str> {
    e.params.iter().map(|p| p.name.as_str()).collect()
}

/// Follows object keys and array elements (`"[]"`) from a response shape.
fn shape_at<'a>(shape: &'a Shape, path: &[&str]) -> &'a ShapeKind {
    let found = path.iter().fold(shape, |s, step| match (&s.kind, *step) {
        (ShapeKind::Array { element }, "[]") => element,
        (ShapeKind::Object { fields }, key) => match fields.iter().find(|f| f.name == key) {
            Some(f) => &f.shape,
            None => panic!("no key {key}"),
        },
        (s, step) => panic!("cannot take {step} of {s:?}"),
    });
    &found.kind
}

fn enum_of(values: &[&str]) -> ShapeKind {
    ShapeKind::Enum {
        values: values.iter().map(|v| (*v).to_owned()).collect(),
    }
}

#[test]
fn priv_overlays_merge_cleanly() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let docs = read(&root.join("priv/docs"));
    let (mut api, doc_diags) = parse::parse_api(&docs);
    assert!(doc_diags.is_empty(), "{}", diag::render(&doc_diags, &docs));
    let overlays = read(&root.join("priv/overlays"));
    assert!(!overlays.is_empty());
    let diags = overlay::apply(&mut api, &overlays);
    assert!(diags.is_empty(), "{}", diag::render(&diags, &overlays));

    const V1: [&str; 12] = [
        "id",
        "action.type",
        "actor.email",
        "actor.ip",
        "zone.name",
        "since",
        "before",
        "direction",
        "export",
        "hide_user_logs",
        "page",
        "per_page",
    ];
    let account = endpoint(&api, Method::Get, "/accounts/{account_id}/audit_logs");
    let mut want = vec!["account_id"];
    want.extend(V1);
    assert_eq!(names(account), want);
    let user = endpoint(&api, Method::Get, "/user/audit_logs");
    assert_eq!(names(user), V1);
    let v2 = endpoint(&api, Method::Get, "/accounts/{account_id}/logs/audit");
    assert_eq!(
        names(v2),
        [
            "account_id",
            "since",
            "before",
            "cursor",
            "limit",
            "direction",
            "account_name.not",
            "action_result.not",
            "action_type.not",
            "actor_context.not",
            "actor_email.not",
            "actor_id.not",
            "actor_ip_address.not",
            "actor_token_id.not",
            "actor_token_name.not",
            "actor_type.not",
            "audit_log_id.not",
            "id.not",
            "raw_cf_ray_id.not",
            "raw_method.not",
            "raw_status_code.not",
            "raw_uri.not",
            "resource_id.not",
            "resource_product.not",
            "resource_scope.not",
            "resource_type.not",
            "zone_id.not",
            "zone_name.not",
        ]
    );

    for e in [account, user, v2] {
        for p in &e.params {
            assert!(!p.description.is_empty(), "{}: no description", p.name);
            let in_path = e.path_params.contains(&p.name);
            assert_eq!(p.location == ParamLocation::Path, in_path, "{}", p.name);
            assert_eq!(&*p.span.file, "audit_logs.md");
        }
        let param = |name: &str| match e.params.iter().find(|p| p.name == name) {
            Some(p) => p,
            None => panic!("no {name}"),
        };
        assert_eq!(param("direction").values, ["desc", "asc"]);
        assert_eq!(param("since").ty, ParamType::DateTime);
        assert_eq!(param("before").ty, ParamType::DateTime);
        let since_required = std::ptr::eq(e, v2);
        assert_eq!(param("since").required, since_required);
        assert_eq!(param("before").required, since_required);
    }
    for e in [account, user] {
        assert_eq!(e.variants.len(), 1);
        let csv = &e.variants[0];
        assert_eq!(csv.name, "csv");
        assert_eq!(csv.query, [("export".to_owned(), "true".to_owned())]);
        assert_eq!(csv.accept.as_deref(), Some("text/csv"));
        let ok = &e.responses[0];
        assert_eq!(ok.status, Status::Code(200));
        assert_eq!(ok.data_at.as_ref().map(DataAt::written).as_deref(), Some("body[\"result\"]"));
        assert_eq!(
            shape_at(&ok.shape, &["[]", "actor", "type"]),
            &enum_of(&["user", "admin", "Cloudflare"])
        );
        assert_eq!(
            shape_at(&ok.shape, &["[]", "action", "result"]),
            &ShapeKind::Boolean
        );
        assert_eq!(shape_at(&ok.shape, &["[]", "metadata"]), &ShapeKind::Unknown);
        let ShapeKind::Array { element } = &ok.shape.kind else {
            panic!("array")
        };
        let ShapeKind::Object { fields } = &element.kind else {
            panic!("object")
        };
        let keys: Vec<&str> = fields.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(
            keys,
            [
                "id",
                "action",
                "actor",
                "interface",
                "metadata",
                "newValue",
                "oldValue",
                "owner",
                "resource",
                "when"
            ]
        );
        // The doc's error response is untouched.
        assert_eq!(e.responses[1].status, Status::Class(4));
    }
    assert!(v2.variants.is_empty());
    let v2_ok = &v2.responses[0];
    assert_eq!(
        shape_at(&v2_ok.shape, &["[]", "actor", "context"]),
        &enum_of(&["api_key", "api_token", "dash", "oauth", "origin_ca_key"])
    );
    assert_eq!(
        shape_at(&v2_ok.shape, &["[]", "actor", "type"]),
        &enum_of(&["account", "cloudflare_admin", "system", "user"])
    );
    let closed = |name: &str| -> Vec<&str> {
        match v2.params.iter().find(|p| p.name == name) {
            Some(p) => {
                assert_eq!(p.ty, ParamType::Array(Box::new(ParamType::String)));
                p.values.iter().map(String::as_str).collect()
            }
            None => panic!("no {name}"),
        }
    };
    assert_eq!(closed("action_result.not"), ["success", "failure"]);
    assert_eq!(
        closed("action_type.not"),
        ["create", "delete", "view", "update"]
    );
    assert_eq!(
        closed("actor_context.not"),
        ["api_key", "api_token", "dash", "oauth", "origin_ca_key"]
    );
    assert_eq!(
        closed("actor_type.not"),
        ["account", "cloudflare_admin", "system", "user"]
    );
    assert_eq!(
        closed("resource_scope.not"),
        ["accounts", "user", "zones", "memberships"]
    );
    assert!(closed("zone_name.not").is_empty());
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

#[test]
fn no_overlays_change_nothing() {
    let src = "# T\n\n## S\n\n**GET** `/x`\n\n### Responses\n\n#### 200 OK\n\n```json\nnull\n```\n";
    let docs = [("t.md".to_owned(), src.to_owned())];
    let (mut api, _) = parse::parse_api(&docs);
    let before = api.clone();
    assert!(overlay::apply(&mut api, &[]).is_empty());
    assert_eq!(api, before);
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
    assert!(again
        .iter()
        .all(|d| (d.file.as_str(), d.line) == ("logs.md", 7)));
    // The shapes refine themselves, so nothing else changed.
    assert_eq!(api, merged);
}
