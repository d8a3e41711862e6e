//! Names are stable: adding or removing one doc file never changes what another file
//! generates (types, functions, everything in its module).

mod support;

use support::corpus_dir;

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
    let dir = corpus_dir();
    let all = codegen::parse::read_docs_dir(&dir).unwrap_or_else(|e| {
        panic!(
            "corpus at {} (set CLOUDFLARE_DOCS_CORPUS): {e}",
            dir.display()
        )
    });
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
    // And adding a doc to priv/docs' group never changes the audit-logs module either.
    let priv_docs = codegen::parse::read_docs_dir(
        &std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../priv/docs"),
    )
    .expect("priv/docs");
    let alone = modules(&priv_docs);
    let mut with_another = priv_docs.clone();
    with_another.push(all[0].clone());
    let together = modules(&with_another);
    for (path, contents) in &alone {
        assert_eq!(
            Some(contents),
            together.get(path),
            "{path} changed when a doc was added"
        );
    }
}
