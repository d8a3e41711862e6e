//! Whole-pipeline speed over the corpus (issue 3): parse → plan → emit → format → files, with
//! the parse-only floor measured in the same run. Target: the pipeline under 1 s in release,
//! and its ratio to the floor reported.
//!
//! `cargo bench -p codegen --bench pipeline`; the corpus is `priv/docs`. The sources are
//! read once, outside every timing. Three figures:
//! - `parse`: `parse_api` alone, the floor;
//! - `pipeline`: `parse_api` then `standalone::generate`, the whole crate's files in memory
//!   (what `cargo xtask codegen --docs DIR --out DIR` does before writing);
//! - `write`: those files written into a fresh temporary directory, each beside its target
//!   and renamed into place as the xtask's writer does, as a separate figure.
//!
//! After criterion's report, parse and pipeline are timed again alternately, write on its
//! own, and the medians (wall and, on Linux, this thread's CPU time) and the ratio
//! pipeline/floor printed.

use std::fs;
use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use codegen::assemble::standalone;
use codegen::diag::Severity;
use codegen::emit::{GeneratedFile, Options};
use codegen::{parse, plan};
use criterion::{BatchSize, Criterion};

#[path = "../../tests/support.rs"]
mod support;

use support::corpus;

use bench_timing::medians;

fn floor(sources: &[(String, String)]) {
    black_box(parse::parse_api(black_box(sources)));
}

fn pipeline(sources: &[(String, String)], options: &Options) -> Vec<GeneratedFile> {
    let (api, _diagnostics) = parse::parse_api(black_box(sources));
    // The dependency's value is only printed into Cargo.toml: any path measures the same.
    let runtime = standalone::RuntimeDependency::path("../runtime");
    match standalone::generate(&api, options, "cloudflare-corpus", &runtime) {
        Ok(files) => black_box(files),
        Err(diagnostics) => panic!("generation failed: {} diagnostics", diagnostics.len()),
    }
}

/// Part of the pipeline, for the breakdown: re-formatting every generated `.rs` file from
/// its text (`syn::parse_file` + `prettyplease::unparse`), close to the format stage's
/// `syn::parse2` + `prettyplease::unparse` on the emitted tokens.
fn reformat(files: &[GeneratedFile]) {
    for file in files.iter().filter(|f| f.path.ends_with(".rs")) {
        let parsed = syn::parse_file(black_box(&file.contents)).expect("generated Rust parses");
        black_box(prettyplease::unparse(&parsed));
    }
}

/// Writes `files` under `dir` (which exists and is empty), each first beside its target and
/// then renamed into place, as `cargo xtask codegen` does.
fn write(dir: &Path, files: &[GeneratedFile]) {
    for file in files {
        let path = dir.join(&file.path);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).expect("create a directory in the temp dir");
        }
        let mut tmp = path.clone().into_os_string();
        tmp.push(".tmp");
        fs::write(&tmp, &file.contents).expect("write a file in the temp dir");
        fs::rename(&tmp, &path).expect("rename a file in the temp dir");
    }
}

fn temp_dir() -> tempfile::TempDir {
    tempfile::tempdir().expect("create a temp dir")
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn main() {
    let sources = corpus();
    let bytes: usize = sources.iter().map(|(_, s)| s.len()).sum();
    let (_, diagnostics) = parse::parse_api(&sources);
    if diagnostics.iter().any(|d| d.severity == Severity::Error) {
        eprintln!("the corpus has doc errors; the pipeline would write nothing");
        std::process::exit(2);
    }
    let options = Options::default();
    let files = pipeline(&sources, &options);
    let out_bytes: usize = files.iter().map(|f| f.contents.len()).sum();

    let mut c = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(8))
        .configure_from_args();
    let mut group = c.benchmark_group("corpus");
    group.throughput(criterion::Throughput::Bytes(bytes as u64));
    group.bench_function("parse", |b| b.iter(|| floor(&sources)));
    group.bench_function("pipeline", |b| b.iter(|| pipeline(&sources, &options)));
    group.bench_function("write", |b| {
        // The temp dir is made in setup and removed when criterion drops the output,
        // both outside the timing.
        b.iter_batched(
            temp_dir,
            |tmp| {
                write(tmp.path(), &files);
                tmp
            },
            BatchSize::PerIteration,
        )
    });
    group.finish();
    c.final_summary();

    // `cargo bench` passes `--bench`; under `cargo test --benches` criterion runs each
    // benchmark once as a smoke test, and so does this.
    let rounds = if std::env::args().any(|a| a == "--bench") {
        11
    } else {
        1
    };
    let (api, _) = parse::parse_api(&sources);
    let t = medians(
        rounds,
        &mut [
            &mut || floor(&sources),
            &mut || drop(pipeline(&sources, &options)),
            &mut || drop(black_box(plan::plan(black_box(&api)))),
            &mut || reformat(&files),
        ],
    );
    let ((t_floor, cpu_floor), (t_pipeline, cpu_pipeline)) = (t[0], t[1]);
    let ((t_plan, _), (t_format, _)) = (t[2], t[3]);
    let mut t_write: Vec<Duration> = (0..rounds)
        .map(|_| {
            let tmp = temp_dir();
            let t = Instant::now();
            write(tmp.path(), &files);
            t.elapsed()
        })
        .collect();
    t_write.sort();
    let t_write = t_write[rounds / 2];
    let ratio = |a: Duration, b: Duration| a.as_secs_f64() / b.as_secs_f64().max(f64::MIN_POSITIVE);
    println!(
        "corpus: {} files, {} KiB in; {} files, {} KiB out; median of {rounds} (wall):",
        sources.len(),
        bytes / 1024,
        files.len(),
        out_bytes / 1024,
    );
    println!(
        "  parse (floor) {:.1} ms; pipeline (parse+types+emit+format, in memory) {:.1} ms \
         (target < 1000 ms); ratio {:.2}x the floor",
        ms(t_floor),
        ms(t_pipeline),
        ratio(t_pipeline, t_floor),
    );
    if let (Some(cf), Some(cp)) = (cpu_floor, cpu_pipeline) {
        println!(
            "  calling-thread CPU: parse {:.1} ms; pipeline {:.1} ms (formatting runs on worker \
             threads, not counted here); ratio {:.2}x",
            ms(cf),
            ms(cp),
            ratio(cp, cf),
        );
    }
    println!(
        "  breakdown: plan::plan alone {:.1} ms (run once per generation); re-formatting the \
         output .rs files on one thread (syn + prettyplease) {:.1} ms",
        ms(t_plan),
        ms(t_format),
    );
    println!(
        "  write {} files into a fresh temp dir {:.1} ms; pipeline + write {:.1} ms",
        files.len(),
        ms(t_write),
        ms(t_pipeline + t_write),
    );
}
