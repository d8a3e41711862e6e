//! Plan snapshots: every fixture in tests/fixtures/codegen/ as the plan it becomes, where every
//! name and type is decided. The code emitted from the same fixtures has one golden copy, the
//! committed tests/fixture-client (compiled, linted with -D warnings, and checked fresh by
//! tests/freshness.rs), so it has no snapshot here.

use std::path::Path;

fn workspace_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ sits in the workspace root")
}

/// A fixture and its overlay (a fixture may have one of the same name, as priv/docs has
/// priv/overlays), loaded alone.
fn load_one(path: &Path) -> codegen::ir::Api {
    let dir = path.parent().expect("fixture dir");
    let name = path
        .file_name()
        .expect("a fixture file")
        .to_string_lossy()
        .into_owned();
    let text = std::fs::read_to_string(path).expect("fixture is readable UTF-8");
    let overlays = dir.join("overlays");
    let overlay: Vec<_> = std::fs::read_to_string(overlays.join(&name))
        .map(|text| vec![(name.clone(), text)])
        .unwrap_or_default();
    let loaded = codegen::load_sources(
        &codegen::Sources::in_memory(dir, vec![(name, text)]),
        Some(&codegen::Sources::in_memory(&overlays, overlay)),
    );
    assert!(
        loaded.errors == 0 && loaded.warnings == 0,
        "fixture {} has problems:\n{}",
        path.display(),
        loaded.rendered
    );
    loaded.api
}

#[test]
fn plans() {
    insta::glob!("fixtures/codegen/*.md", |path| {
        let plan = codegen::plan::plan(&load_one(path)).expect("fixture plans");
        insta::assert_json_snapshot!(plan);
    });
}

#[test]
fn output_is_deterministic() {
    let dir = workspace_root().join("tests/fixtures/codegen");
    let run = || {
        let loaded = codegen::load(&dir, Some(&dir.join("overlays"))).expect("fixtures load");
        codegen::emit::generate(&loaded.api, &codegen::emit::Options::default()).expect("generates")
    };
    assert_eq!(run(), run());
}

/// Every method on a group handle of each in-repo crate, as generated on disk, is in its
/// `ENDPOINTS.md` exactly once, and so is its row in the rustdoc index module; and the index
/// has one row per endpoint, nothing else.
#[test]
fn every_generated_endpoint_is_indexed_once() {
    for krate in codegen::IN_REPO_CRATES {
        let root = workspace_root();
        let loaded = codegen::load(&root.join(krate.docs), Some(&root.join(krate.overlays)))
            .expect("docs load");
        let plan = codegen::plan::plan(&loaded.api).expect("docs plan");
        let crate_dir = root.join(krate.crate_dir);
        let index = std::fs::read_to_string(crate_dir.join(codegen::emit::index::INDEX_FILE))
            .expect("ENDPOINTS.md is generated");
        let module_index = std::fs::read_to_string(crate_dir.join("src/generated/mod.rs"))
            .expect("mod.rs is generated");
        let rows: Vec<&str> = index
            .lines()
            .filter(|l| l.starts_with("| ") && !l.starts_with("| Method "))
            .collect();
        let endpoints: usize = plan.groups.iter().map(|g| g.endpoints.len()).sum();
        assert!(endpoints > 0, "{}", krate.docs);
        assert_eq!(
            rows.len(),
            endpoints,
            "{}: one row per endpoint",
            krate.crate_dir
        );
        let parts = codegen::plan::parts::parts(
            &plan,
            &krate.crate_name.replace('_', "-"),
            codegen::plan::parts::MAX_PART_WEIGHT,
        );
        let mut methods = 0;
        for (index, group) in plan.groups.iter().enumerate() {
            // A group of a large client is compiled in a part crate below the client's.
            let dir = match parts.iter().find(|p| p.groups.contains(&index)) {
                Some(part) => crate_dir.join(&part.dir),
                None => crate_dir.clone(),
            };
            let path = dir.join(format!("src/generated/{}.rs", group.module));
            let source = std::fs::read_to_string(&path).expect("group module");
            let file = syn::parse_file(&source).expect("generated Rust parses");
            for item in &file.items {
                let syn::Item::Impl(block) = item else {
                    continue;
                };
                let syn::Type::Path(ty) = &*block.self_ty else {
                    continue;
                };
                if ty.path.segments.last().map(|s| s.ident.to_string())
                    != Some(group.handle.clone())
                {
                    continue;
                }
                for method in &block.items {
                    let syn::ImplItem::Fn(method) = method else {
                        continue;
                    };
                    // The handle's constructor, which `Client`'s accessor calls.
                    if method.sig.ident == "new" {
                        continue;
                    }
                    methods += 1;
                    let call = format!("`client.{}().{}(", group.accessor, method.sig.ident);
                    let found = rows.iter().filter(|r| r.contains(&call)).count();
                    assert_eq!(found, 1, "{call} in {}/ENDPOINTS.md", krate.crate_dir);
                    let in_rustdoc = module_index
                        .lines()
                        .filter(|l| l.starts_with("/// | ") && l.contains(&call))
                        .count();
                    assert_eq!(in_rustdoc, 1, "{call} in the rustdoc index");
                }
            }
        }
        assert!(
            methods >= endpoints,
            "{}: handle methods found",
            krate.crate_dir
        );
    }
}
