//! Measuring one cargo command: wall time, CPU time and peak RSS, by `/usr/bin/time -v` where
//! it exists, for `cargo xtask bench-compile`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// GNU time, which reports CPU time and peak memory as well as wall time.
pub(crate) const GNU_TIME: &str = "/usr/bin/time";
/// How much of a failed command's stderr an error shows.
const STDERR_TAIL_LINES: usize = 40;

/// The cargo that runs this xtask.
pub(crate) fn cargo() -> PathBuf {
    std::env::var_os("CARGO")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("cargo"))
}

pub(crate) struct Timer {
    /// `/usr/bin/time -v` works here.
    pub(crate) gnu: bool,
}

impl Timer {
    pub(crate) fn detect() -> Timer {
        let gnu = Command::new(GNU_TIME)
            .args(["-v", "true"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        Timer { gnu }
    }
}

#[derive(Clone, Copy)]
pub(crate) struct Measure {
    pub(crate) wall: Duration,
    /// User + system CPU time of the whole tree: steadier than wall time on a busy machine.
    pub(crate) cpu: Option<Duration>,
    /// Peak resident set of the largest process in the tree (rustc), KiB.
    pub(crate) peak_kib: Option<u64>,
}

pub(crate) struct Check<'a> {
    pub(crate) cargo: PathBuf,
    pub(crate) target_dir: &'a Path,
    pub(crate) timer: &'a Timer,
}

impl Check<'_> {
    /// `cargo ARGS` (`check …`, `build --release`) in `dir` with the shared target dir; `Err`
    /// carries the tail of stderr.
    pub(crate) fn run(&self, dir: &Path, args: &[&str]) -> Result<Measure, String> {
        let time_file = self.target_dir.with_file_name("time-v.txt");
        let mut command = if self.timer.gnu {
            let mut c = Command::new(GNU_TIME);
            c.arg("-v").arg("-o").arg(&time_file).arg(&self.cargo);
            c
        } else {
            Command::new(&self.cargo)
        };
        command
            .args(args)
            .current_dir(dir)
            .env("CARGO_TARGET_DIR", self.target_dir)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let shown = format!("cargo {}", args.join(" "));
        let start = Instant::now();
        let output = command
            .output()
            .map_err(|e| format!("error: cannot run `{shown}` in {}: {e}", dir.display()))?;
        let elapsed = start.elapsed();
        if !output.status.success() {
            let stderr = String::from_utf8_lossy(&output.stderr);
            let lines: Vec<&str> = stderr.lines().collect();
            let tail = lines[lines.len().saturating_sub(STDERR_TAIL_LINES)..].join("\n");
            return Err(format!(
                "error: `{shown}` failed in {} ({}):\n{tail}",
                dir.display(),
                output.status
            ));
        }
        let (wall, cpu, peak_kib) = if self.timer.gnu {
            let report = fs::read_to_string(&time_file).unwrap_or_default();
            (
                parse_elapsed(&report).unwrap_or(elapsed),
                parse_cpu(&report),
                parse_peak(&report),
            )
        } else {
            (elapsed, None, None)
        };
        Ok(Measure {
            wall,
            cpu,
            peak_kib,
        })
    }
}

/// `Elapsed (wall clock) time (h:mm:ss or m:ss): 1:02.34` → 62.34 s.
fn parse_elapsed(report: &str) -> Option<Duration> {
    let line = report
        .lines()
        .find(|l| l.trim_start().starts_with("Elapsed (wall clock)"))?;
    let value = line.rsplit(": ").next()?.trim();
    let mut secs = 0.0;
    for part in value.split(':') {
        secs = secs * 60.0 + part.parse::<f64>().ok()?;
    }
    Some(Duration::from_secs_f64(secs))
}

/// `User time (seconds): 1.50` plus `System time (seconds): 0.25`.
fn parse_cpu(report: &str) -> Option<Duration> {
    let field = |name: &str| -> Option<f64> {
        let line = report.lines().find(|l| l.trim_start().starts_with(name))?;
        line.rsplit(": ").next()?.trim().parse().ok()
    };
    Some(Duration::from_secs_f64(
        field("User time")? + field("System time")?,
    ))
}

fn parse_peak(report: &str) -> Option<u64> {
    let line = report
        .lines()
        .find(|l| l.trim_start().starts_with("Maximum resident set size"))?;
    line.rsplit(": ").next()?.trim().parse().ok()
}

pub(crate) fn median_measure(
    runs: impl Iterator<Item = Result<Measure, String>>,
) -> Result<Measure, String> {
    let mut all = runs.collect::<Result<Vec<_>, _>>()?;
    if all.is_empty() {
        return Err("error: nothing measured".to_owned());
    }
    all.sort_by_key(|m| m.wall);
    Ok(all[all.len() / 2])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_gnu_time() {
        let report = "\tElapsed (wall clock) time (h:mm:ss or m:ss): 1:02.50\n\tMaximum resident set size (kbytes): 123456\n";
        assert_eq!(parse_elapsed(report), Some(Duration::from_secs_f64(62.5)));
        assert_eq!(parse_peak(report), Some(123456));
        let cpu = "\tUser time (seconds): 1.50\n\tSystem time (seconds): 0.25\n";
        assert_eq!(parse_cpu(cpu), Some(Duration::from_secs_f64(1.75)));
        assert_eq!(
            parse_elapsed("\tElapsed (wall clock) time (h:mm:ss or m:ss): 1:00:01\n"),
            Some(Duration::from_secs(3601))
        );
    }
}
