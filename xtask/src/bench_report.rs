//! The report of `cargo xtask bench-compile`: the table of what was measured, and each target
//! of issues 12 and 25 judged met or not.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

use crate::measure::{Measure, TREE_SAMPLE_INTERVAL};

/// The environment variable that sets how many single-group builds to sample.
pub(crate) const SAMPLE_VAR: &str = "BENCH_COMPILE_SAMPLE";

/// Codegen runs this many times; the median is reported.
pub(crate) const CODEGEN_RUNS: usize = 5;

/// Cold builds (`--build`): the floor and the full crate, each from an empty target dir of its
/// own so that neither reuses the other's dependencies, in both profiles.
#[derive(Clone, Copy)]
pub(crate) struct Builds {
    pub(crate) dev_floor: Measure,
    pub(crate) dev_crate: Measure,
    pub(crate) release_floor: Measure,
    pub(crate) release_crate: Measure,
}

/// What the generator wrote for the measured crate: declarations, lines and files.
pub(crate) struct Counts {
    pub(crate) docs: usize,
    pub(crate) endpoints: usize,
    pub(crate) structs: usize,
    pub(crate) handles: usize,
    pub(crate) enums: usize,
    pub(crate) open_enums: usize,
    pub(crate) lines: usize,
    pub(crate) bytes: usize,
    pub(crate) files: usize,
}

/// The anchor in the issue: progenitor's `oxide` crate, `cargo check` seconds per 100 endpoints.
const ANCHOR_SECS_PER_100: f64 = 11.0;
/// How much cheaper per endpoint than the anchor the issue wants us.
const ANCHOR_FACTOR: f64 = 3.0;
const TARGET_FULL_OVER_FLOOR_SECS: f64 = 60.0;
/// Peak memory of a full crate check or build: judged on the whole process tree where known
/// (see [`memory_budget`]).
const TARGET_PEAK_KIB: u64 = 3 * 1024 * 1024;
const TARGET_GROUP_OVER_FLOOR_SECS: f64 = 3.0;
/// A cold `cargo build --release` of the full crate, dependencies included (issue 12).
const TARGET_RELEASE_BUILD_SECS: f64 = 240.0;
pub(crate) const TARGET_CODEGEN_SECS: f64 = 1.0;
/// Issue 25: the schema imported into overlays, then the client generated, at most 2 s.
pub(crate) const TARGET_IMPORT_AND_CODEGEN_SECS: f64 = 2.0;

/// What the mock feature costs (issue 28).
pub(crate) struct MockCost {
    /// The top crate (which holds the tables) re-checked, tables there, feature off (median
    /// of 3).
    pub(crate) off: Measure,
    /// The same with the tables deleted (median of 3): the baseline `off` is judged by.
    pub(crate) without: Measure,
    /// The full crate with `--features mock`.
    pub(crate) on: Measure,
}

/// What the mock's tables, feature off, may add to a re-check of the crate that holds them, in
/// CPU seconds (user + sys, steadier than wall): nothing beyond noise. Read, the 4.8 MB of
/// tables would cost seconds.
const TARGET_MOCK_OFF_SECS: f64 = 0.25;

pub(crate) struct Report<'a> {
    pub(crate) docs: &'a Path,
    pub(crate) group: &'a str,
    pub(crate) counts: &'a Counts,
    pub(crate) codegen: Duration,
    /// `cargo xtask import-overlays` in memory; `None` for docs other than priv/docs.
    pub(crate) import: Option<Duration>,
    pub(crate) floor_cold: Measure,
    pub(crate) floor: Measure,
    pub(crate) full: Measure,
    pub(crate) one: Measure,
    pub(crate) runtime: Measure,
    pub(crate) mock: MockCost,
    pub(crate) samples: &'a [(String, Result<Measure, String>)],
    pub(crate) builds: Option<Builds>,
    /// The 1-minute load average when the measuring began: wall times on a shared machine
    /// mean little without it.
    pub(crate) load_before: String,
}

/// The 1-minute load average, or `?` where /proc/loadavg does not exist.
pub(crate) fn loadavg() -> String {
    fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split_whitespace().next().map(str::to_owned))
        .unwrap_or_else(|| "?".to_owned())
}

/// The median wall time of `runs` runs of `f`.
pub(crate) fn median_of(
    runs: usize,
    mut f: impl FnMut() -> Result<(), String>,
) -> Result<Duration, String> {
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let start = Instant::now();
        f()?;
        times.push(start.elapsed());
    }
    times.sort();
    Ok(times[times.len() / 2])
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

/// A memory budget line: the whole tree's peak where /proc gave it (parallel rustc add up), else
/// the largest process's, the line saying which.
fn memory_budget(what: &str, m: &Measure) -> (String, Option<bool>) {
    let (kib, which) = match m.tree_peak_kib {
        Some(k) => (Some(k), "whole process tree"),
        None => (m.peak_kib, "largest process; tree unknown"),
    };
    (
        format!(
            "{what} peak <= {} ({}, {which})",
            mem(Some(TARGET_PEAK_KIB)),
            mem(kib)
        ),
        kib.map(|k| k <= TARGET_PEAK_KIB),
    )
}

fn verdict(met: Option<bool>) -> &'static str {
    match met {
        Some(true) => "met",
        Some(false) => "NOT met",
        None => "unknown",
    }
}

impl Report<'_> {
    pub(crate) fn render(&self, gnu: bool) -> String {
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
             {} lines / {:.1} MiB in {} files under {} (the client's and its part crates')",
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
            "  wall, CPU time and peak RSS (largest process) by {}; tree peak (summed RSS of cargo \
             and all its descendants) {}; load average {} before, {} after\n",
            if gnu {
                "/usr/bin/time -v"
            } else {
                "Instant (CPU and peak RSS unknown)"
            },
            if self.full.tree_peak_kib.is_some() {
                format!(
                    "sampled from /proc every {} ms",
                    TREE_SAMPLE_INTERVAL.as_millis()
                )
            } else {
                "unknown (no /proc)".to_owned()
            },
            self.load_before,
            loadavg()
        );
        let _ = writeln!(
            o,
            "  {:<44} {:>9} {:>11} {:>8} {:>11} {:>11} {:>7}",
            "measure", "wall (s)", "over floor", "cpu (s)", "peak RSS", "tree peak", "/floor"
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
                "  {:<44} {:>9.2} {:>11} {:>8} {:>11} {:>11} {:>7}",
                name,
                secs(m.wall),
                over,
                m.cpu
                    .map(|c| format!("{:.1}", secs(c)))
                    .unwrap_or_else(|| "-".to_owned()),
                mem(m.peak_kib),
                mem(m.tree_peak_kib),
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
        row(
            &mut o,
            "(5b) top crate re-check, mock tables, off",
            &self.mock.off,
            None,
        );
        row(
            &mut o,
            "(5c) top crate re-check, tables deleted",
            &self.mock.without,
            None,
        );
        row(
            &mut o,
            "(5d) full crate, --features mock",
            &self.mock.on,
            Some(secs(self.mock.on.wall) - floor),
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
        let targets = [
            (
                format!(
                    "full crate < {TARGET_FULL_OVER_FLOOR_SECS:.0} s over floor ({full_over:.1} s)"
                ),
                Some(full_over < TARGET_FULL_OVER_FLOOR_SECS),
            ),
            memory_budget("full crate check", &self.full),
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
        let cpu = |m: &Measure| m.cpu.unwrap_or(m.wall);
        let mock_off = secs(cpu(&self.mock.off)) - secs(cpu(&self.mock.without));
        let mock_on = secs(cpu(&self.mock.on)) - secs(cpu(&self.full));
        targets.push((
            format!(
                "mock tables, off, add <= {TARGET_MOCK_OFF_SECS:.2} s CPU, issue 28 \
                 ({mock_off:+.2} s: (5b) against (5c); on, (5d) adds {mock_on:+.1} s to (3))"
            ),
            Some(mock_off <= TARGET_MOCK_OFF_SECS),
        ));
        if let Some(b) = &self.builds {
            for (name, m) in [
                ("build", &b.dev_crate),
                ("build --release", &b.release_crate),
            ] {
                targets.push(memory_budget(&format!("full crate {name}"), m));
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
                            "    pass  {:<52} {:>7.2} s  (+{:.2} over floor, peak {}, tree {})",
                            feature,
                            secs(m.wall),
                            secs(m.wall) - floor,
                            mem(m.peak_kib),
                            mem(m.tree_peak_kib)
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

    fn measure(peak_kib: Option<u64>, tree_peak_kib: Option<u64>) -> Measure {
        Measure {
            wall: Duration::from_secs(1),
            cpu: None,
            peak_kib,
            tree_peak_kib,
        }
    }

    /// Two rustc of 2 GiB each fit one by one but not together: the tree judges the budget.
    #[test]
    fn the_memory_budget_judges_the_tree_where_known() {
        let gib = 1024 * 1024;
        let (line, met) = memory_budget("full crate check", &measure(Some(2 * gib), Some(4 * gib)));
        assert_eq!(met, Some(false), "{line}");
        assert!(line.contains("4.00 GiB, whole process tree"), "{line}");
        let (line, met) = memory_budget("full crate build", &measure(Some(2 * gib), None));
        assert_eq!(met, Some(true), "{line}");
        assert!(line.contains("2.00 GiB, largest process"), "{line}");
        let (line, met) = memory_budget("full crate build", &measure(None, None));
        assert_eq!(met, None, "{line}");
        assert!(
            line.starts_with("full crate build peak <= 3.00 GiB (unknown"),
            "{line}"
        );
    }
}
