//! The generator over generated docs: every doc the structure-aware generator in
//! `docgen.rs` writes (titles, summaries, methods, path templates, Markdown descriptions,
//! statuses, data notes, hostile keys and depths, overlay tables) parses and overlays
//! without errors, plans with unique names, and emits Rust that `syn` accepts, the same
//! bytes every time. Bounded runs, so this is part of the normal test suite.

mod docgen;

use std::collections::BTreeSet;

use codegen::diag;
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn every_valid_doc_generates_valid_rust(api in docgen::api()) {
        let (mut ir, diagnostics) = codegen::parse::parse_api(&api.docs);
        prop_assert!(!diag::has_errors(&diagnostics), "{}\n{}", dump(&api.docs), diag::render(&diagnostics, &api.docs));
        let endpoints: usize = ir.docs.iter().map(|d| d.endpoints.len()).sum();
        let written: usize = api.docs.iter().map(|(_, text)| text.matches("\n## ").count()).sum();
        prop_assert_eq!(endpoints, written, "every generated endpoint is in the IR");
        let overlay_diagnostics = codegen::overlay::apply(&mut ir, &api.overlays);
        prop_assert!(
            overlay_diagnostics.is_empty(),
            "{}\n{}",
            dump(&api.overlays),
            diag::render(&overlay_diagnostics, &api.overlays)
        );
        let plan = match codegen::plan::plan(&ir) {
            Ok(plan) => plan,
            Err(d) => return Err(TestCaseError::fail(format!("{}\n{}", dump(&api.docs), diag::render(&d, &api.docs)))),
        };
        for group in &plan.groups {
            let mut types = BTreeSet::new();
            for s in &group.structs {
                prop_assert!(types.insert(s.name.clone()), "duplicate type {}", s.name);
                let mut fields = BTreeSet::new();
                for f in &s.fields {
                    prop_assert!(fields.insert(f.rust.clone()), "duplicate field {} in {}", f.rust, s.name);
                }
            }
            for e in &group.enums {
                prop_assert!(types.insert(e.name.clone()), "duplicate type {}", e.name);
            }
            let mut fns = BTreeSet::new();
            for e in &group.endpoints {
                prop_assert!(fns.insert(e.fn_name.clone()), "duplicate method {}", e.fn_name);
                for v in &e.variants {
                    prop_assert!(fns.insert(v.fn_name.clone()), "duplicate method {}", v.fn_name);
                }
            }
        }
        // `generate` gates every file through syn::parse2: an Err is invalid Rust.
        let options = codegen::emit::Options::default();
        let files = codegen::emit::generate_plan(&plan, &options);
        prop_assert!(files.is_ok(), "{}\n{:?}", dump(&api.docs), files.err());
        prop_assert_eq!(files.ok(), codegen::emit::generate_plan(&plan, &options).ok(), "deterministic");
    }
}

fn dump(files: &[(String, String)]) -> String {
    files
        .iter()
        .map(|(name, text)| format!("=== {name}\n{text}"))
        .collect()
}
