//! `cargo xtask bench-compile`: what the generated corpus crate costs to build.
//!
//! Generates the standalone crate for a docs directory (by default `priv/docs`, the whole
//! upstream API) into `target/bench-compile/crate`, plus a "floor" crate with the same
//! dependencies and an empty `lib.rs` in `target/bench-compile/floor`, and measures with
//! `/usr/bin/time -v`:
//!
//! 1. the floor, cold (every dependency compiles; the shared target dir is wiped first);
//! 2. the floor, warm (`lib.rs` touched): the cost of checking a crate that holds nothing;
//! 3. the full crate, dependencies warm;
//! 4. one group alone (`--no-default-features --features GROUP`);
//! 5. no group at all (`--no-default-features`): the copied runtime alone;
//! 6. code generation in process (read → parse → files in memory), median of 5;
//! 7. with `--build`: cold `cargo build` and `cargo build --release` of the floor and of the
//!    full crate, each from an empty target dir of its own (what a user's first build costs).
//!
//! With `BENCH_COMPILE_SAMPLE=N` it also checks N groups alone, evenly spaced over the sorted
//! feature list, and fails if any of them does not build.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use crate::measure::{Check, GNU_TIME, Measure, Timer, cargo, median_measure};

/// The generated crate's package name.
const CRATE_NAME: &str = "cloudflare-corpus";
/// The environment variable that sets how many single-group builds to sample.
const SAMPLE_VAR: &str = "BENCH_COMPILE_SAMPLE";

/// The anchor in the issue: progenitor's `oxide` crate, `cargo check` seconds per 100 endpoints.
const ANCHOR_SECS_PER_100: f64 = 11.0;
/// How much cheaper per endpoint than the anchor the issue wants us.
const ANCHOR_FACTOR: f64 = 3.0;
const TARGET_FULL_OVER_FLOOR_SECS: f64 = 60.0;
const TARGET_PEAK_KIB: u64 = 3 * 1024 * 1024;
const TARGET_GROUP_OVER_FLOOR_SECS: f64 = 3.0;
/// A cold `cargo build --release` of the full crate, dependencies included (issue 12).
const TARGET_RELEASE_BUILD_SECS: f64 = 240.0;
const TARGET_CODEGEN_SECS: f64 = 1.0;
/// Issue 25: the schema imported into overlays, then the client generated, at most 2 s.
const TARGET_IMPORT_AND_CODEGEN_SECS: f64 = 2.0;
/// Codegen runs this many times; the median is reported.
const CODEGEN_RUNS: usize = 5;

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
            "bench-compile: {GNU_TIME} not found; wall time from Instant, peak memory unknown"
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

/// Cold builds (`--build`): the floor and the full crate, each from an empty target dir of its
/// own so that neither reuses the other's dependencies, in both profiles.
#[derive(Clone, Copy)]
struct Builds {
    dev_floor: Measure,
    dev_crate: Measure,
    release_floor: Measure,
    release_crate: Measure,
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

struct Generated {
    files: Vec<codegen::emit::GeneratedFile>,
    /// The IR the files were generated from (docs and overlays).
    api: codegen::ir::Api,
}

/// The same library calls as `cargo xtask codegen --docs DIR --overlays DIR --out DIR`.
/// `warn`: say how many warnings the docs have (once, not on every timed run).
fn generate(root: &Path, docs: &Path, overlays: &Path, warn: bool) -> Result<Generated, String> {
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
    let files = codegen::assemble::standalone::generate(
        &loaded.api,
        &options(root, docs),
        CRATE_NAME,
        &codegen::assemble::standalone::RuntimeDependency::in_workspace(root),
    )
    .map_err(|d| {
        format!(
            "{}error: code generation failed; nothing was measured",
            codegen::diag::render(&d, &[])
        )
    })?;
    Ok(Generated {
        files,
        api: loaded.api,
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

/// The median wall time of `runs` runs of `f`.
fn median_of(runs: usize, mut f: impl FnMut() -> Result<(), String>) -> Result<Duration, String> {
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let start = Instant::now();
        f()?;
        times.push(start.elapsed());
    }
    times.sort();
    Ok(times[times.len() / 2])
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

struct Counts {
    docs: usize,
    endpoints: usize,
    structs: usize,
    handles: usize,
    enums: usize,
    open_enums: usize,
    lines: usize,
    bytes: usize,
    files: usize,
}

/// Declarations and lines in `src/generated` only (the runtime copy is not generated code).
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
        .filter(|f| f.path.starts_with(&prefix))
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

struct Report<'a> {
    docs: &'a Path,
    group: &'a str,
    counts: &'a Counts,
    codegen: Duration,
    /// `cargo xtask import-overlays` in memory; `None` for docs other than priv/docs.
    import: Option<Duration>,
    floor_cold: Measure,
    floor: Measure,
    full: Measure,
    one: Measure,
    runtime: Measure,
    samples: &'a [(String, Result<Measure, String>)],
    builds: Option<Builds>,
    /// The 1-minute load average when the measuring began: wall times on a shared machine
    /// mean little without it.
    load_before: String,
}

/// The 1-minute load average, or `?` where /proc/loadavg does not exist.
fn loadavg() -> String {
    fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split_whitespace().next().map(str::to_owned))
        .unwrap_or_else(|| "?".to_owned())
}

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

fn mem(kib: Option<u64>) -> String {
    match kib {
        Some(k) if k >= 1024 * 1024 => format!("{:.2} GiB", k as f64 / (1024.0 * 1024.0)),
        Some(k) => format!("{:.0} MiB", k as f64 / 1024.0),
        None => "unknown".to_owned(),
    }
}

fn verdict(met: Option<bool>) -> &'static str {
    match met {
        Some(true) => "met",
        Some(false) => "NOT met",
        None => "unknown",
    }
}

impl Report<'_> {
    fn render(&self, gnu: bool) -> String {
        let c = self.counts;
        let floor = secs(self.floor.wall);
        let full_over = secs(self.full.wall) - floor;
        let one_over = secs(self.one.wall) - floor;
        let per_100 = if c.endpoints == 0 {
            0.0
        } else {
            full_over * 100.0 / c.endpoints as f64
        };
        let target_per_100 = ANCHOR_SECS_PER_100 / ANCHOR_FACTOR;
        let ratio = |a: f64| {
            if floor > 0.0 {
                format!("{:.1}x", a / floor)
            } else {
                "-".to_owned()
            }
        };

        let mut o = String::new();
        let _ = writeln!(o, "\ncargo xtask bench-compile: {}", self.docs.display());
        let _ = writeln!(
            o,
            "  {} docs, {} endpoints; generated: {} types ({} structs + {} group handles, {} enums of which {} open), \
             {} lines / {:.1} MiB in {} files under {}",
            c.docs,
            c.endpoints,
            c.structs + c.enums,
            c.structs - c.handles,
            c.handles,
            c.enums,
            c.open_enums,
            c.lines,
            c.bytes as f64 / (1024.0 * 1024.0),
            c.files,
            codegen::emit::GENERATED_DIR
        );
        let _ = writeln!(
            o,
            "  wall, CPU time and peak RSS (largest process) by {}; load average {} before, {} after\n",
            if gnu {
                "/usr/bin/time -v"
            } else {
                "Instant (CPU and memory unknown)"
            },
            self.load_before,
            loadavg()
        );
        let _ = writeln!(
            o,
            "  {:<44} {:>9} {:>11} {:>8} {:>11} {:>7}",
            "measure", "wall (s)", "over floor", "cpu (s)", "peak RSS", "/floor"
        );
        let row = |o: &mut String, name: &str, m: &Measure, over: Option<f64>| {
            let shown_ratio = if over.is_some() {
                ratio(secs(m.wall))
            } else {
                "-".to_owned()
            };
            let over = over
                .map(|v| format!("{v:.2}"))
                .unwrap_or_else(|| "-".to_owned());
            let _ = writeln!(
                o,
                "  {:<44} {:>9.2} {:>11} {:>8} {:>11} {:>7}",
                name,
                secs(m.wall),
                over,
                m.cpu
                    .map(|c| format!("{:.1}", secs(c)))
                    .unwrap_or_else(|| "-".to_owned()),
                mem(m.peak_kib),
                shown_ratio
            );
        };
        row(
            &mut o,
            "(1) floor, cold (dependencies compile)",
            &self.floor_cold,
            None,
        );
        row(
            &mut o,
            "(2) floor, warm (median of 3) = the floor",
            &self.floor,
            None,
        );
        row(
            &mut o,
            "(3) full crate, deps warm",
            &self.full,
            Some(full_over),
        );
        row(
            &mut o,
            &format!("(4) `{}` alone", self.group),
            &self.one,
            Some(one_over),
        );
        row(
            &mut o,
            "(5) no group: the runtime alone",
            &self.runtime,
            Some(secs(self.runtime.wall) - floor),
        );
        if let Some(b) = &self.builds {
            let _ = writeln!(
                o,
                "  cold builds, each from an empty target dir (dependencies included):"
            );
            for (name, m) in [
                ("(7) floor, cargo build", &b.dev_floor),
                ("(8) full crate, cargo build", &b.dev_crate),
                ("(9) floor, cargo build --release", &b.release_floor),
                ("(10) full crate, cargo build --release", &b.release_crate),
            ] {
                row(&mut o, name, m, None);
            }
            let _ = writeln!(
                o,
                "  full crate over its floor: build {:.1} s, build --release {:.1} s",
                secs(b.dev_crate.wall) - secs(b.dev_floor.wall),
                secs(b.release_crate.wall) - secs(b.release_floor.wall)
            );
        }
        let profile = if cfg!(debug_assertions) {
            "debug xtask"
        } else {
            "release xtask"
        };
        let _ = writeln!(
            o,
            "  {:<44} {:>9.3}",
            format!("(6) codegen, {profile} (median of {CODEGEN_RUNS})"),
            secs(self.codegen)
        );
        if let Some(import) = self.import {
            let _ = writeln!(
                o,
                "  {:<44} {:>9.3}",
                format!("(6b) import-overlays, {profile} (median of {CODEGEN_RUNS})"),
                secs(import)
            );
        }
        if cfg!(debug_assertions) {
            let _ = writeln!(
                o,
                "      (a debug build; `cargo run --release -p xtask -- bench-compile` times codegen as shipped)"
            );
        }
        let _ = writeln!(
            o,
            "\n  full crate: {per_100:.2} s per 100 endpoints over the floor; anchor (oxide) {ANCHOR_SECS_PER_100:.0} s \
             → {:.1}x cheaper (target >= {ANCHOR_FACTOR:.0}x, i.e. <= {target_per_100:.2} s)",
            if per_100 > 0.0 {
                ANCHOR_SECS_PER_100 / per_100
            } else {
                f64::INFINITY
            }
        );

        let _ = writeln!(o, "\n  targets (issue 12):");
        let peak = self.full.peak_kib;
        let targets = [
            (
                format!(
                    "full crate < {TARGET_FULL_OVER_FLOOR_SECS:.0} s over floor ({full_over:.1} s)"
                ),
                Some(full_over < TARGET_FULL_OVER_FLOOR_SECS),
            ),
            (
                format!("full crate check peak <= 3 GiB ({})", mem(peak)),
                peak.map(|k| k <= TARGET_PEAK_KIB),
            ),
            (
                format!(
                    "one group < {TARGET_GROUP_OVER_FLOOR_SECS:.0} s over floor ({one_over:.1} s)"
                ),
                Some(one_over < TARGET_GROUP_OVER_FLOOR_SECS),
            ),
            (
                format!(
                    "codegen < {TARGET_CODEGEN_SECS:.0} s ({:.3} s)",
                    secs(self.codegen)
                ),
                Some(secs(self.codegen) < TARGET_CODEGEN_SECS),
            ),
            (
                format!(
                    ">= {ANCHOR_FACTOR:.0}x cheaper per endpoint than oxide ({per_100:.2} s / 100)"
                ),
                Some(per_100 <= target_per_100),
            ),
        ];
        let mut targets = targets.to_vec();
        if let Some(import) = self.import {
            let both = secs(import) + secs(self.codegen);
            targets.push((
                format!(
                    "import + codegen < {TARGET_IMPORT_AND_CODEGEN_SECS:.0} s, issue 25 ({both:.3} s)"
                ),
                Some(both < TARGET_IMPORT_AND_CODEGEN_SECS),
            ));
        }
        if let Some(b) = &self.builds {
            for (name, m) in [
                ("build", &b.dev_crate),
                ("build --release", &b.release_crate),
            ] {
                targets.push((
                    format!("full crate {name} peak <= 3 GiB ({})", mem(m.peak_kib)),
                    m.peak_kib.map(|k| k <= TARGET_PEAK_KIB),
                ));
            }
            let release = secs(b.release_crate.wall);
            targets.push((
                format!(
                    "full crate build --release, cold, < {TARGET_RELEASE_BUILD_SECS:.0} s ({release:.1} s)"
                ),
                Some(release < TARGET_RELEASE_BUILD_SECS),
            ));
        }
        for (what, met) in &targets {
            let _ = writeln!(o, "    {:<8} {what}", verdict(*met));
        }

        if !self.samples.is_empty() {
            let passed = self.samples.iter().filter(|(_, r)| r.is_ok()).count();
            let _ = writeln!(
                o,
                "\n  single-group sample ({passed}/{} pass, {SAMPLE_VAR}={}):",
                self.samples.len(),
                self.samples.len()
            );
            for (feature, result) in self.samples {
                match result {
                    Ok(m) => {
                        let _ = writeln!(
                            o,
                            "    pass  {:<52} {:>7.2} s  (+{:.2} over floor, {})",
                            feature,
                            secs(m.wall),
                            secs(m.wall) - floor,
                            mem(m.peak_kib)
                        );
                    }
                    Err(_) => {
                        let _ = writeln!(o, "    FAIL  {feature}");
                    }
                }
            }
        }
        o
    }
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
