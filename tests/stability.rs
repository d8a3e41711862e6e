//! Names are stable: adding or removing one doc file never changes what another file
//! generates (types, functions, everything in its module).

mod support;

use support::corpus;

fn modules(sources: &[(String, String)]) -> std::collections::BTreeMap<String, String> {
    let (api, _) = codegen::parse::parse_api(sources);
    codegen::emit::generate(&api, &codegen::emit::Options::default())
        .expect("corpus generates")
        .into_iter()
        .filter(|f| !f.path.ends_with("/mod.rs"))
        .map(|f| (f.path, f.contents))
        .collect()
}

#[test]
fn adding_or_removing_a_doc_never_changes_another_module() {
    let all = corpus();
    assert!(all.len() > 100, "the corpus has {} docs", all.len());
    let full = modules(&all);
    // Drop every third file: what remains must be generated exactly as before.
    let subset: Vec<(String, String)> = all
        .iter()
        .enumerate()
        .filter(|(i, _)| i % 3 != 0)
        .map(|(_, s)| s.clone())
        .collect();
    let partial = modules(&subset);
    assert!(partial.len() < full.len());
    for (path, contents) in &partial {
        assert_eq!(
            Some(contents),
            full.get(path),
            "{path} changed when other docs were removed"
        );
    }
    // And a doc alone (audit_logs, the README's example) generates exactly as among all of
    // them: no name of it depends on any other doc, whichever third was dropped above.
    let audit_logs: Vec<(String, String)> = all
        .iter()
        .filter(|(file, _)| file == "audit_logs.md")
        .cloned()
        .collect();
    let alone = modules(&audit_logs);
    assert!(!alone.is_empty());
    for (path, contents) in &alone {
        assert_eq!(
            Some(contents),
            full.get(path),
            "{path} changed when every other doc was removed"
        );
    }
}
