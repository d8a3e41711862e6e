//! `docgen-sample DIR N`: writes N APIs from the structure-aware doc generator (`docgen.rs`)
//! into `DIR/docs` and `DIR/overlays`, the same ones every run (a fixed seed), their file
//! names prefixed by the case number so that all of them make one crate. `.ci/run`
//! generates that crate and compiles, lints, documents and doctests it: the part of the
//! generator's contract the in-memory property test cannot check.

mod docgen;

use std::path::PathBuf;
use std::process::ExitCode;

use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::TestRunner;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let (Some(dir), Some(count)) = (
        args.next().map(PathBuf::from),
        args.next().and_then(|n| n.parse::<usize>().ok()),
    ) else {
        eprintln!("usage: docgen-sample DIR N");
        return ExitCode::FAILURE;
    };
    let mut runner = TestRunner::deterministic();
    let strategy = docgen::api();
    let (mut docs, mut overlays) = (0, 0);
    for case in 0..count {
        let api = match strategy.new_tree(&mut runner) {
            Ok(tree) => tree.current(),
            Err(e) => {
                eprintln!("error: generating case {case}: {e}");
                return ExitCode::FAILURE;
            }
        };
        for (sub, files) in [("docs", &api.docs), ("overlays", &api.overlays)] {
            for (name, text) in files {
                let path = dir.join(sub).join(format!("c{case}_{name}"));
                let written = std::fs::create_dir_all(dir.join(sub))
                    .and_then(|()| std::fs::write(&path, text));
                if let Err(e) = written {
                    eprintln!("error: {}: {e}", path.display());
                    return ExitCode::FAILURE;
                }
            }
        }
        docs += api.docs.len();
        overlays += api.overlays.len();
    }
    eprintln!(
        "docgen-sample: {count} cases, {docs} docs, {overlays} overlays in {}",
        dir.display()
    );
    ExitCode::SUCCESS
}
