//! `cargo xtask bench-codegen`: how long the generator takes over the whole API, stage by
//! stage, side by side with the floor of reading its inputs.
//!
//! Every measure is the median of [`RUNS`] runs in this process, files in memory, nothing
//! written: the parse floor (every doc and overlay through pulldown-cmark's event stream, the
//! schema through `serde_json::Value`: what any generator of these inputs pays before it
//! understands them), the load (docs parsed, overlays applied), the plan, the generation of
//! the whole crate, and the import of the schema into overlays. It then judges the targets of
//! issues 12 (codegen at most 1 s) and 25 (import plus codegen at most 2 s). `bench-compile`
//! reports the same codegen and import figures beside the compile measures.

use std::fmt::Write as _;
use std::path::Path;
use std::time::Duration;

use crate::bench_report::{
    TARGET_CODEGEN_SECS, TARGET_IMPORT_AND_CODEGEN_SECS, loadavg, median_of,
};

/// Each stage runs this many times; the median is reported.
const RUNS: usize = 9;

pub fn run(root: &Path) -> Result<(), String> {
    let docs = root.join("priv/docs");
    let overlays = root.join("priv/overlays");
    let load_before = loadavg();
    eprintln!("bench-codegen: reading the inputs");
    let doc_sources = codegen::Sources::docs(&docs)?;
    let overlay_sources = codegen::Sources::overlays(&overlays)?;
    let schema_path = root.join(crate::import_overlays::SCHEMA);
    let schema = std::fs::read_to_string(&schema_path)
        .map_err(|e| format!("error: {}: {e}", schema_path.display()))?;

    eprintln!("bench-codegen: parse floor");
    let texts: Vec<&str> = doc_sources
        .files
        .iter()
        .chain(&overlay_sources.files)
        .chain(&overlay_sources.imported)
        .map(|(_, text)| text.as_str())
        .collect();
    // On every core, as the generator runs: the schema on one thread, the Markdown on all.
    let floor = median_of(RUNS, || {
        let (events, value) = std::thread::scope(|scope| {
            let value = scope.spawn(|| serde_json::from_str::<serde_json::Value>(&schema));
            let events: usize =
                codegen::parallel::map(&texts, |text| pulldown_cmark::Parser::new(text).count())
                    .into_iter()
                    .sum();
            let value = value
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (events, value)
        });
        let value = value.map_err(|e| format!("error: the schema: {e}"))?;
        std::hint::black_box((events, value));
        Ok(())
    })?;

    eprintln!("bench-codegen: load (docs parsed, overlays applied)");
    let load = || {
        codegen::load_sources(&doc_sources, Some(&overlay_sources))
            .refuse_errors("in the docs; nothing was measured")
    };
    let loaded = load()?;
    let load_time = median_of(RUNS, || load().map(drop))?;

    eprintln!("bench-codegen: plan");
    let plan_time = median_of(RUNS, || {
        codegen::plan::plan(&loaded.api)
            .map(drop)
            .map_err(|d| codegen::diag::render(&d, &[]))
    })?;

    eprintln!("bench-codegen: generate (plan, emit, assemble)");
    let generate_time = median_of(RUNS, || {
        crate::bench_compile::generate_crate(root, &docs, &loaded.api).map(drop)
    })?;

    // As `bench-compile` times it: the inputs read too.
    eprintln!("bench-codegen: codegen, whole (read, load, generate)");
    let codegen_time = median_of(RUNS, || {
        crate::bench_compile::generate(root, &docs, &overlays, false).map(drop)
    })?;

    eprintln!("bench-codegen: import-overlays (schema and docs read, overlays made)");
    let import_time = median_of(RUNS, || crate::import_overlays::import(root).map(drop))?;

    let load_after = loadavg();
    print!(
        "{}",
        render(&Figures {
            floor,
            load: load_time,
            plan: plan_time,
            generate: generate_time,
            codegen: codegen_time,
            import: import_time,
            load_before,
            load_after,
        })
    );
    Ok(())
}

struct Figures {
    floor: Duration,
    load: Duration,
    plan: Duration,
    generate: Duration,
    codegen: Duration,
    import: Duration,
    load_before: String,
    load_after: String,
}

fn render(f: &Figures) -> String {
    let secs = |d: Duration| d.as_secs_f64();
    let ratio = |d: Duration| secs(d) / secs(f.floor).max(f64::EPSILON);
    let profile = if cfg!(debug_assertions) {
        "debug xtask: `cargo run --release -p xtask -- bench-codegen` times what ships"
    } else {
        "release xtask"
    };
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut o = String::new();
    let _ = writeln!(
        o,
        "\nbench-codegen: priv/docs with priv/overlays, median of {RUNS} runs, {profile}, {cores} core(s)"
    );
    let _ = writeln!(
        o,
        "  load average before {}, after {}",
        f.load_before, f.load_after
    );
    let _ = writeln!(o, "\n  {:<52} {:>8} {:>9}", "stage", "seconds", "x floor");
    let rows = [
        (
            "parse floor (pulldown-cmark events, serde_json Value)",
            f.floor,
        ),
        ("load: docs parsed, overlays applied", f.load),
        ("plan: names and types", f.plan),
        ("generate: plan, emit, assemble the crate", f.generate),
        ("codegen: read, load, generate", f.codegen),
        ("import-overlays: schema + docs -> overlays", f.import),
        ("import + codegen", f.import + f.codegen),
    ];
    for (name, time) in rows {
        let _ = writeln!(o, "  {name:<52} {:>8.3} {:>8.1}x", secs(time), ratio(time));
    }
    let _ = writeln!(o, "\n  targets:");
    let judged = [
        (
            format!(
                "issue 12: codegen <= {TARGET_CODEGEN_SECS:.0} s ({:.3} s)",
                secs(f.codegen)
            ),
            secs(f.codegen) <= TARGET_CODEGEN_SECS,
        ),
        (
            format!(
                "issue 25: import + codegen <= {TARGET_IMPORT_AND_CODEGEN_SECS:.0} s ({:.3} s)",
                secs(f.import + f.codegen)
            ),
            secs(f.import + f.codegen) <= TARGET_IMPORT_AND_CODEGEN_SECS,
        ),
    ];
    for (what, met) in judged {
        let _ = writeln!(o, "    [{}] {what}", if met { "met" } else { "NOT met" });
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn judges_each_target_by_its_own_figure() {
        let ms = Duration::from_millis;
        let figures = Figures {
            floor: ms(200),
            load: ms(250),
            plan: ms(100),
            generate: ms(1_500),
            codegen: ms(1_750),
            import: ms(300),
            load_before: "?".to_owned(),
            load_after: "1.00".to_owned(),
        };
        let text = render(&figures);
        assert!(
            text.contains("[NOT met] issue 12: codegen <= 1 s (1.750 s)"),
            "{text}"
        );
        assert!(
            text.contains("[NOT met] issue 25: import + codegen <= 2 s (2.050 s)"),
            "{text}"
        );
        assert!(text.contains("load average before ?, after 1.00"), "{text}");
        // Ratios are against the floor: 1.75 s over 0.2 s.
        assert!(text.contains("   1.750      8.8x"), "{text}");
        let met = render(&Figures {
            codegen: ms(900),
            import: ms(300),
            ..figures
        });
        assert!(
            met.contains("[met] issue 12: codegen <= 1 s (0.900 s)"),
            "{met}"
        );
        assert!(
            met.contains("[met] issue 25: import + codegen <= 2 s (1.200 s)"),
            "{met}"
        );
    }
}
