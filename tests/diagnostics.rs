//! Rendered-diagnostics snapshots: every `tests/fixtures/diagnostics/*.md` is malformed (one
//! problem each, `several_problems.md` many) and must yield at least one diagnostic, sorted.

use codegen::diag;
use codegen::parse;

#[test]
fn diagnostics_fixtures() {
    insta::glob!("fixtures/diagnostics/*.md", |path| {
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            panic!("fixture name is not UTF-8: {}", path.display())
        };
        let src = match std::fs::read_to_string(path) {
            Ok(s) => s,
            Err(e) => panic!("{}: {e}", path.display()),
        };
        let (_, diags) = parse::parse_doc(name, &src);
        assert!(!diags.is_empty(), "{name}: expected diagnostics");
        let positions: Vec<_> = diags.iter().map(|d| (d.line, d.column)).collect();
        let mut sorted = positions.clone();
        sorted.sort();
        assert_eq!(
            positions, sorted,
            "{name}: diagnostics are sorted by line and column"
        );
        insta::assert_snapshot!(diag::render(&diags, &[(name.to_owned(), src)]));
    });
}
