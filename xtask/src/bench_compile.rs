//! `cargo xtask bench-compile`: what the generated corpus crate costs to build.
//!
//! Generates the standalone crate for a docs directory (by default `priv/docs`, the whole
//! upstream API) into `target/bench-compile/crate`, plus a "floor" crate with the same
//! dependencies and an empty `lib.rs` in `target/bench-compile/floor`, and measures (see
//! [`crate::measure`]: `/usr/bin/time -v` for wall, CPU and the largest process's peak RSS, /proc
//! sampled for the peak of the whole process tree's summed RSS):
//!
//! 1. the floor, cold (every dependency compiles; the shared target dir is wiped first);
//! 2. the floor, warm (`lib.rs` touched): the cost of checking a crate that holds nothing;
//! 3. the full crate, dependencies warm;
//! 4. one group alone (`--no-default-features --features GROUP`);
//! 5. no group at all (`--no-default-features`): the copied runtime alone; then (5b-5d) the
//!    top crate re-checked with its mock tables and without them, and the full crate with
//!    `--features mock` (issue 28);
//! 6. code generation in process (read → parse → files in memory), median of 5;
//! 7. with `--build`: cold `cargo build` and `cargo build --release` of the floor and of the
//!    full crate, each from an empty target dir of its own (what a user's first build costs).
//!
//! With `BENCH_COMPILE_SAMPLE=N` it also checks N groups alone, evenly spaced over the sorted
//! feature list, and fails if any of them does not build. [`crate::bench_report`] prints the
//! measures and judges them against the targets.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use codegen::emit::mock::FEATURE as MOCK_FEATURE;
use codegen::emit::print::GENERATED_DIR;

use crate::bench_report::{
    Builds, CODEGEN_RUNS, Counts, MockCost, Report, SAMPLE_VAR, loadavg, median_of,
};
use crate::measure::{Check, GNU_TIME, Measure, Timer, cargo, median_measure};

/// The generated crate's package name.
const CRATE_NAME: &str = "cloudflare-corpus";

pub fn run(
    root: &Path,
    docs: Option<PathBuf>,
    overlays: Option<PathBuf>,
    group: &str,
    build: bool,
) -> Result<(), String> {
    let sample = sample_count()?;
    let docs = docs_dir(root, docs);
    // The overlays `cargo xtask codegen` applies to priv/docs: the crate measured is the one
    // that ships.
    let overlays = overlays.unwrap_or_else(|| root.join("priv/overlays"));
    let bench = root.join("target").join("bench-compile");
    let crate_dir = bench.join("crate");
    let floor_dir = bench.join("floor");
    let target_dir = bench.join("target");

    // Generate first: a doc error or an unknown group fails before minutes of compiling.
    eprintln!(
        "bench-compile: generating {} from {} and {}",
        CRATE_NAME,
        docs.display(),
        overlays.display()
    );
    let generated = generate(root, &docs, &overlays, true)?;
    let features = features(&generated.api)?;
    if !features.iter().any(|f| f == group) {
        return Err(unknown_group(group, &features));
    }
    let codegen = time_codegen(root, &docs, &overlays)?;
    // The importer reads priv/docs and the committed schema: timed for that crate only.
    let import = if docs == root.join("priv/docs") {
        Some(median_of(CODEGEN_RUNS, || {
            crate::import_overlays::import(root).map(drop)
        })?)
    } else {
        None
    };
    write_crate(&crate_dir, &generated.files, root)?;
    write_floor(&floor_dir, root)?;
    let counts = count(&generated)?;

    let timer = Timer::detect();
    if !timer.gnu {
        eprintln!(
            "bench-compile: {GNU_TIME} not found; wall time from Instant, CPU time and the largest process's peak RSS unknown"
        );
    }
    remove_dir(&target_dir)?;
    let load_before = loadavg();
    let check = Check {
        cargo: cargo(),
        target_dir: &target_dir,
        timer: &timer,
    };

    eprintln!("bench-compile: (1/5) floor, cold (compiles every dependency)");
    let floor_cold = check.run(&floor_dir, &["check"])?;
    eprintln!("bench-compile: (2/5) floor, warm");
    let floor = median_measure((0..3).map(|_| {
        touch(&floor_dir.join("src/lib.rs"))?;
        check.run(&floor_dir, &["check"])
    }))?;
    eprintln!(
        "bench-compile: (3/5) full crate ({} endpoints)",
        counts.endpoints
    );
    let full = check.run(&crate_dir, &["check"])?;
    eprintln!("bench-compile: (4/5) feature `{group}` alone");
    touch(&crate_dir.join("src/lib.rs"))?;
    let one = check.run(
        &crate_dir,
        &["check", "--no-default-features", "--features", group],
    )?;
    eprintln!("bench-compile: (5/5) no group (the runtime alone)");
    touch(&crate_dir.join("src/lib.rs"))?;
    let runtime = check.run(&crate_dir, &["check", "--no-default-features"])?;
    let mock = measure_mock(&check, &crate_dir)?;

    let builds = if build {
        Some(measure_builds(&bench, &floor_dir, &crate_dir, &timer)?)
    } else {
        None
    };

    let mut samples = Vec::new();
    for (i, feature) in sampled(&features, sample).into_iter().enumerate() {
        eprintln!(
            "bench-compile: sample {}/{sample}: `{feature}` alone",
            i + 1
        );
        touch(&crate_dir.join("src/lib.rs"))?;
        let result = check.run(
            &crate_dir,
            &["check", "--no-default-features", "--features", feature],
        );
        samples.push((feature.to_owned(), result));
    }

    let report = Report {
        docs: &docs,
        group,
        counts: &counts,
        codegen,
        import,
        floor_cold,
        floor,
        full,
        one,
        runtime,
        mock,
        samples: &samples,
        builds,
        load_before,
    };
    print!("{}", report.render(timer.gnu));
    let failed: Vec<&str> = samples
        .iter()
        .filter(|(_, r)| r.is_err())
        .map(|(f, _)| f.as_str())
        .collect();
    if failed.is_empty() {
        Ok(())
    } else {
        let details: Vec<String> = samples
            .iter()
            .filter_map(|(f, r)| r.as_ref().err().map(|e| format!("--- `{f}`:\n{e}")))
            .collect();
        Err(format!(
            "error: {} of {} sampled single-group builds failed: {}\n{}",
            failed.len(),
            samples.len(),
            failed.join(", "),
            details.join("\n")
        ))
    }
}

/// The mock's cost (issue 28). Its tables are in the top crate (the part crates hold the
/// groups), so the top crate is re-checked (`lib.rs` touched, the part crates fresh) with the
/// tables and the feature off, then with the tables deleted: what the feature, off, adds (its
/// `mod` is cfg'd out, so rustc should never read them). Then the full crate with `--features
/// mock`: what a test build pays (the runtime again with its server, every part crate against
/// it, and the tables). The tables are written back afterwards.
fn measure_mock(check: &Check<'_>, crate_dir: &Path) -> Result<MockCost, String> {
    let tables = crate_dir.join(GENERATED_DIR).join(MOCK_FEATURE);
    let kept = crate_dir.join("target-mock-tables");
    let recheck = || {
        touch(&crate_dir.join("src/lib.rs"))?;
        check.run(crate_dir, &["check"])
    };
    eprintln!("bench-compile: (mock 1/3) the top crate re-checked, mock tables there, feature off");
    let off = median_measure((0..3).map(|_| recheck()))?;
    eprintln!("bench-compile: (mock 2/3) the top crate re-checked, mock tables deleted");
    remove_dir(&kept)?;
    fs::rename(&tables, &kept).map_err(|e| format!("{}: {e}", tables.display()))?;
    let without = median_measure((0..3).map(|_| recheck()));
    fs::rename(&kept, &tables).map_err(|e| format!("{}: {e}", kept.display()))?;
    let without = without?;
    eprintln!("bench-compile: (mock 3/3) full crate with `--features {MOCK_FEATURE}`");
    touch(&crate_dir.join("src/lib.rs"))?;
    let on = check.run(crate_dir, &["check", "--features", MOCK_FEATURE])?;
    Ok(MockCost { off, without, on })
}

fn measure_builds(
    bench: &Path,
    floor_dir: &Path,
    crate_dir: &Path,
    timer: &Timer,
) -> Result<Builds, String> {
    let cold = |dir: &Path, name: &str, args: &[&str]| -> Result<Measure, String> {
        let target_dir = bench.join(format!("build-{name}"));
        remove_dir(&target_dir)?;
        let build = Check {
            cargo: cargo(),
            target_dir: &target_dir,
            timer,
        };
        let measured = build.run(dir, args);
        // A release build of the full crate leaves gigabytes behind.
        remove_dir(&target_dir)?;
        measured
    };
    eprintln!("bench-compile: (build 1/4) floor, cargo build, cold");
    let dev_floor = cold(floor_dir, "dev-floor", &["build"])?;
    eprintln!("bench-compile: (build 2/4) full crate, cargo build, cold");
    let dev_crate = cold(crate_dir, "dev-crate", &["build"])?;
    eprintln!("bench-compile: (build 3/4) floor, cargo build --release, cold");
    let release_floor = cold(floor_dir, "release-floor", &["build", "--release"])?;
    eprintln!("bench-compile: (build 4/4) full crate, cargo build --release, cold");
    let release_crate = cold(crate_dir, "release-crate", &["build", "--release"])?;
    Ok(Builds {
        dev_floor,
        dev_crate,
        release_floor,
        release_crate,
    })
}

/// `--docs` (as given: relative to the current directory), else the workspace's `priv/docs`.
fn docs_dir(root: &Path, docs: Option<PathBuf>) -> PathBuf {
    docs.unwrap_or_else(|| root.join("priv/docs"))
}

fn sample_count() -> Result<usize, String> {
    match std::env::var(SAMPLE_VAR) {
        Ok(v) if v.trim().is_empty() => Ok(0),
        Ok(v) => v
            .trim()
            .parse()
            .map_err(|_| format!("error: {SAMPLE_VAR}={v:?} is not a number of groups to sample")),
        Err(std::env::VarError::NotPresent) => Ok(0),
        Err(e) => Err(format!("error: {SAMPLE_VAR}: {e}")),
    }
}

pub(crate) struct Generated {
    files: Vec<codegen::emit::GeneratedFile>,
    /// The IR the files were generated from (docs and overlays).
    api: codegen::ir::Api,
}

/// The same library calls as `cargo xtask codegen --docs DIR --overlays DIR --out DIR`.
/// `warn`: say how many warnings the docs have (once, not on every timed run).
pub(crate) fn generate(
    root: &Path,
    docs: &Path,
    overlays: &Path,
    warn: bool,
) -> Result<Generated, String> {
    let loaded = codegen::load_sources(
        &codegen::Sources::docs(docs)?,
        Some(&codegen::Sources::overlays(overlays)?),
    )
    .refuse_errors("in the docs; nothing was measured")?;
    if warn && loaded.warnings > 0 {
        eprintln!(
            "bench-compile: {} warning(s) in the docs (see `cargo xtask codegen`)",
            loaded.warnings
        );
    }
    let files = generate_crate(root, docs, &loaded.api)?;
    Ok(Generated {
        files,
        api: loaded.api,
    })
}

/// The measured crate's files for `api`, the IR of `docs` (generation alone: `bench-codegen`
/// times it apart from the load).
pub(crate) fn generate_crate(
    root: &Path,
    docs: &Path,
    api: &codegen::ir::Api,
) -> Result<Vec<codegen::emit::GeneratedFile>, String> {
    codegen::assemble::standalone::generate(
        api,
        &options(root, docs),
        CRATE_NAME,
        &codegen::assemble::standalone::RuntimeDependency::in_workspace(root),
    )
    .map_err(|d| {
        format!(
            "{}error: code generation failed; nothing was measured",
            codegen::diag::render(&d, &[])
        )
    })
}

fn options(root: &Path, docs: &Path) -> codegen::emit::Options {
    let shown = docs.strip_prefix(root).unwrap_or(docs);
    let mut source_prefix = shown.to_string_lossy().replace('\\', "/");
    if !source_prefix.ends_with('/') {
        source_prefix.push('/');
    }
    codegen::emit::Options {
        source_prefix,
        ..codegen::emit::Options::default()
    }
}

/// Median wall time of read → parse → overlay → generate (files in memory, nothing written).
fn time_codegen(root: &Path, docs: &Path, overlays: &Path) -> Result<Duration, String> {
    median_of(CODEGEN_RUNS, || {
        generate(root, docs, overlays, false).map(drop)
    })
}

/// The API groups' features, sorted: one per group of the plan (not `default`, `full`, or the
/// date-time features `time` and `chrono`, which are not groups).
fn features(api: &codegen::ir::Api) -> Result<Vec<String>, String> {
    let plan = codegen::plan::plan(api).map_err(|d| {
        format!(
            "{}error: the docs do not plan",
            codegen::diag::render(&d, &[])
        )
    })?;
    let mut features = codegen::emit::features(&plan);
    features.sort();
    Ok(features)
}

fn unknown_group(group: &str, features: &[String]) -> String {
    let key = group.replace('_', "-");
    let words: Vec<&str> = key.split('-').filter(|w| w.len() > 2).collect();
    let mut near: Vec<&str> = features
        .iter()
        .map(String::as_str)
        .filter(|f| words.iter().any(|w| f.contains(w)))
        .take(8)
        .collect();
    if near.is_empty() {
        near = features.iter().map(String::as_str).take(8).collect();
    }
    format!(
        "error: `{group}` is not a feature of the generated crate ({} groups); pass --group, e.g. {}",
        features.len(),
        near.join(", ")
    )
}

/// `n` features evenly spaced over the sorted list: deterministic, first one included.
fn sampled(features: &[String], n: usize) -> Vec<&str> {
    let n = n.min(features.len());
    (0..n)
        .map(|i| features[i * features.len() / n].as_str())
        .collect()
}

fn remove_dir(dir: &Path) -> Result<(), String> {
    match fs::remove_dir_all(dir) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(format!("error: cannot remove {}: {e}", dir.display())),
    }
}

fn write(path: &Path, contents: &str) -> Result<(), String> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)
            .map_err(|e| format!("error: cannot create {}: {e}", parent.display()))?;
    }
    fs::write(path, contents).map_err(|e| format!("error: cannot write {}: {e}", path.display()))
}

/// Both crates start from the workspace's Cargo.lock (cargo prunes what they do not use), so
/// they resolve the same dependency versions as `generated-client` and each other, offline.
fn seed_lockfile(dir: &Path, root: &Path) -> Result<(), String> {
    match fs::read_to_string(root.join("Cargo.lock")) {
        Ok(lock) => write(&dir.join("Cargo.lock"), &lock),
        Err(_) => Ok(()),
    }
}

fn write_crate(
    dir: &Path,
    files: &[codegen::emit::GeneratedFile],
    root: &Path,
) -> Result<(), String> {
    remove_dir(dir)?;
    for file in files {
        write(&dir.join(&file.path), &file.contents)?;
    }
    seed_lockfile(dir, root)
}

fn write_floor(dir: &Path, root: &Path) -> Result<(), String> {
    remove_dir(dir)?;
    let manifest = format!(
        "# The dependency floor of `cargo xtask bench-compile`: the generated crate's dependencies (the runtime crate among them), no code.\n\
         [package]\nname = \"bench-floor\"\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n\
         [workspace]\n\n[dependencies]\n{} = {}\n{}",
        codegen::assemble::standalone::RUNTIME_CRATE,
        codegen::assemble::standalone::RuntimeDependency::in_workspace(root).0,
        codegen::assemble::standalone::GENERATED_CODE_DEPENDENCIES
    );
    write(&dir.join("Cargo.toml"), &manifest)?;
    write(
        &dir.join("src/lib.rs"),
        "//! Empty: only the dependencies are measured.\n",
    )?;
    seed_lockfile(dir, root)
}

/// Makes cargo re-check the crate whose root this is.
fn touch(path: &Path) -> Result<(), String> {
    fs::OpenOptions::new()
        .write(true)
        .open(path)
        .and_then(|f| f.set_modified(SystemTime::now()))
        .map_err(|e| format!("error: cannot touch {}: {e}", path.display()))
}

/// Declarations and lines in `src/generated` only, the client's and its part crates'
/// (`groups/N/src/generated`): the runtime copy is not generated code.
/// An `open_enum!` invocation wraps a `pub enum`, so types = structs + enums; the group
/// handles (`pub struct Group<'a>`) are counted apart.
fn count(generated: &Generated) -> Result<Counts, String> {
    let prefix = format!("{}/", codegen::emit::GENERATED_DIR);
    let mut c = Counts {
        docs: generated.api.docs.len(),
        endpoints: generated.api.docs.iter().map(|d| d.endpoints.len()).sum(),
        structs: 0,
        handles: 0,
        enums: 0,
        open_enums: 0,
        lines: 0,
        bytes: 0,
        files: 0,
    };
    for file in generated
        .files
        .iter()
        .filter(|f| f.path.starts_with(&prefix) || f.path.contains(&format!("/{prefix}")))
    {
        c.files += 1;
        c.bytes += file.contents.len();
        for line in file.contents.lines() {
            c.lines += 1;
            let t = line.trim_start();
            if t.starts_with("pub struct ") {
                c.structs += 1;
                if t.contains("<'a>") {
                    c.handles += 1;
                }
            } else if t.starts_with("pub enum ") {
                c.enums += 1;
            } else if t.contains("open_enum!") {
                c.open_enums += 1;
            }
        }
    }
    if c.files == 0 {
        return Err(format!(
            "error: the generator wrote nothing under {}",
            codegen::emit::GENERATED_DIR
        ));
    }
    Ok(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn samples_evenly_and_deterministically() {
        let f: Vec<String> = (0..10).map(|i| format!("g{i}")).collect();
        assert_eq!(sampled(&f, 3), ["g0", "g3", "g6"]);
        assert_eq!(sampled(&f, 0), Vec::<&str>::new());
        assert_eq!(sampled(&f, 20).len(), 10);
    }

    /// The crate measured is the one that ships: generated with the overlays, and its
    /// groups are the plan's, not every `[features]` entry.
    #[test]
    fn measures_the_overlaid_docs_and_counts_only_groups() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .expect("the workspace root")
            .to_path_buf();
        let docs = root.join("tests/fixtures/codegen");
        let with = generate(&root, &docs, &docs.join("overlays"), false).expect("generates");
        let without = generate(&root, &docs, &docs.join("no-such-dir"), false).expect("generates");
        assert_ne!(with.files, without.files, "the overlays change the crate");
        let features = features(&with.api).expect("plans");
        assert_eq!(features.len(), with.api.docs.len(), "{features:?}");
        for not_a_group in ["default", "full", "time", "chrono"] {
            assert!(!features.iter().any(|f| f == not_a_group), "{not_a_group}");
        }
    }
}
