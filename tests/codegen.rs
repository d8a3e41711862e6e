//! Emitter snapshots: every fixture in tests/fixtures/codegen/ as the Rust module it becomes.
//! The same fixtures are compiled (and linted with -D warnings) as tests/fixture-client.

use std::path::Path;

fn workspace_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ sits in the workspace root")
}

fn generate_one(path: &Path) -> Vec<codegen::emit::GeneratedFile> {
    let name = path
        .file_name()
        .expect("a fixture file")
        .to_string_lossy()
        .into_owned();
    let text = std::fs::read_to_string(path).expect("fixture is readable UTF-8");
    let (mut api, diagnostics) = codegen::parse::parse_api(&[(name.clone(), text)]);
    assert!(
        !codegen::diag::has_errors(&diagnostics),
        "fixture {} has doc errors: {diagnostics:?}",
        path.display()
    );
    // A fixture may have an overlay of the same name, as priv/docs has priv/overlays.
    let overlay = path
        .parent()
        .expect("fixture dir")
        .join("overlays")
        .join(&name);
    if let Ok(overlay_text) = std::fs::read_to_string(&overlay) {
        let diagnostics = codegen::overlay::apply(&mut api, &[(name, overlay_text)]);
        assert!(
            diagnostics.is_empty(),
            "overlay {} has problems: {diagnostics:?}",
            overlay.display()
        );
    }
    let options = codegen::emit::Options {
        source_prefix: "tests/fixtures/codegen/".to_owned(),
        crate_name: "fixture_client".to_owned(),
    };
    codegen::emit::generate(&api, &options).expect("fixture generates")
}

#[test]
fn emitted_code() {
    insta::glob!("fixtures/codegen/*.md", |path| {
        let files = generate_one(path);
        let stem = path
            .file_stem()
            .expect("fixture stem")
            .to_string_lossy()
            .into_owned();
        let module = files
            .iter()
            .find(|f| f.path.ends_with(&format!("/{stem}.rs")))
            .expect("one module per fixture");
        insta::assert_snapshot!(module.contents);
    });
}

#[test]
fn output_is_deterministic() {
    let dir = workspace_root().join("tests/fixtures/codegen");
    let sources = codegen::parse::read_docs_dir(&dir).expect("fixtures readable");
    let overlays =
        codegen::overlay::read_overlays_dir(&dir.join("overlays")).expect("overlays readable");
    let run = || {
        let (mut api, _) = codegen::parse::parse_api(&sources);
        codegen::overlay::apply(&mut api, &overlays);
        codegen::emit::generate(&api, &codegen::emit::Options::default()).expect("generates")
    };
    assert_eq!(run(), run());
}

#[test]
fn standalone_crates_carry_the_whole_runtime() {
    let dir = workspace_root().join("generated-client/src/runtime");
    let on_disk: std::collections::BTreeSet<String> = std::fs::read_dir(&dir)
        .expect("runtime dir")
        .map(|e| {
            format!(
                "src/runtime/{}",
                e.expect("entry").file_name().to_string_lossy()
            )
        })
        .collect();
    let embedded: std::collections::BTreeSet<String> = codegen::standalone::RUNTIME_FILES
        .iter()
        .map(|(path, _)| (*path).to_owned())
        .collect();
    assert_eq!(
        embedded, on_disk,
        "update codegen::standalone::RUNTIME_FILES"
    );
    for (path, contents) in codegen::standalone::RUNTIME_FILES {
        let file = workspace_root().join("generated-client").join(path);
        assert_eq!(
            std::fs::read_to_string(&file).expect("runtime file"),
            *contents,
            "{path}"
        );
    }
}
