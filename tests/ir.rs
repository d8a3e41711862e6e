//! IR snapshots: every `tests/fixtures/ir/*.md` (one concern each, all well-formed) parsed by
//! `parse_doc`, snapshotted as JSON together with its diagnostics.

use codegen::diag;
use codegen::parse;

#[test]
fn ir_fixtures() {
    insta::glob!("fixtures/ir/*.md", |path| {
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            panic!("fixture name is not UTF-8: {}", path.display())
        };
        let src = match std::fs::read_to_string(path) {
            Ok(s) => s,
            Err(e) => panic!("{}: {e}", path.display()),
        };
        let (doc, diags) = parse::parse_doc(name, &src);
        let sources = [(name.to_owned(), src)];
        assert!(
            !diag::has_errors(&diags),
            "{}",
            diag::render(&diags, &sources)
        );
        let Some(doc) = doc else {
            panic!("{name}: no doc")
        };
        assert!(!doc.endpoints.is_empty(), "{name}: no endpoints");
        insta::assert_json_snapshot!(serde_json::json!({ "diagnostics": diags, "doc": doc }));
    });
}
