//! Measuring one cargo command for `cargo xtask bench-compile`: wall time, CPU time and the
//! peak RSS of the largest process, by `/usr/bin/time -v` where it exists; and, sampled from
//! /proc (Linux) while the command runs, the peak of the SUM of the resident sets of its whole
//! process tree (cargo, each rustc, build scripts...).
//!
//! The two peaks differ once cargo compiles several crates at a time (the generated client split
//! into crates built in parallel): `time` reports the largest single process, the machine needs
//! the sum.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

/// GNU time, which reports CPU time and peak memory as well as wall time.
pub(crate) const GNU_TIME: &str = "/usr/bin/time";
/// How much of a failed command's stderr an error shows.
const STDERR_TAIL_LINES: usize = 40;
/// How often the process tree's memory is sampled.
pub(crate) const TREE_SAMPLE_INTERVAL: Duration = Duration::from_millis(50);
/// Where the process tree is read; absent off Linux.
const PROC: &str = "/proc";

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
    /// Peak resident set of the largest process in the tree (rustc), KiB, by `time`.
    pub(crate) peak_kib: Option<u64>,
    /// Peak of the summed resident sets of every process in the tree (cargo and all its
    /// descendants), KiB, sampled every [`TREE_SAMPLE_INTERVAL`]: what the machine needs when
    /// cargo runs several rustc at once, which `peak_kib` (one process) does not say. Pages
    /// shared between processes (rustc's driver library) count once per process, so it leans
    /// high; a spike shorter than the interval can be missed. `None` without /proc.
    pub(crate) tree_peak_kib: Option<u64>,
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
            // `cargo check` and `cargo build` print nothing on stdout; stderr is kept for errors.
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        let shown = format!("cargo {}", args.join(" "));
        let cannot =
            |e: std::io::Error| format!("error: cannot run `{shown}` in {}: {e}", dir.display());
        let start = Instant::now();
        let mut child = command.spawn().map_err(cannot)?;
        let sampler = TreeSampler::start(child.id());
        let mut stderr = Vec::new();
        // To the end of the pipe, as `Command::output` does: until every process holding it
        // (cargo, each rustc) has exited.
        let read = child
            .stderr
            .take()
            .map_or(Ok(0), |mut pipe| pipe.read_to_end(&mut stderr));
        let status = child.wait();
        let elapsed = start.elapsed();
        let tree_peak_kib = sampler.and_then(TreeSampler::stop);
        let status = status.map_err(cannot)?;
        read.map_err(cannot)?;
        if !status.success() {
            let stderr = String::from_utf8_lossy(&stderr);
            let lines: Vec<&str> = stderr.lines().collect();
            let tail = lines[lines.len().saturating_sub(STDERR_TAIL_LINES)..].join("\n");
            return Err(format!(
                "error: `{shown}` failed in {} ({status}):\n{tail}",
                dir.display(),
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
            tree_peak_kib,
        })
    }
}

/// Samples the summed RSS of a process tree, on a thread of its own, until stopped.
struct TreeSampler {
    stop: mpsc::Sender<()>,
    thread: thread::JoinHandle<Option<u64>>,
}

impl TreeSampler {
    /// Starts sampling the tree under `root` (included); `None` where /proc does not exist.
    fn start(root: u32) -> Option<TreeSampler> {
        if !Path::new(PROC).join("self/stat").is_file() {
            return None;
        }
        let page_bytes = page_size();
        let (stop, stopped) = mpsc::channel::<()>();
        let thread = thread::Builder::new()
            .name("tree-rss".to_owned())
            .spawn(move || {
                let mut peak = None;
                loop {
                    peak = peak.max(tree_rss_kib(root, page_bytes));
                    match stopped.recv_timeout(TREE_SAMPLE_INTERVAL) {
                        Err(mpsc::RecvTimeoutError::Timeout) => {}
                        Ok(()) | Err(mpsc::RecvTimeoutError::Disconnected) => return peak,
                    }
                }
            })
            .ok()?;
        Some(TreeSampler { stop, thread })
    }

    /// The highest sum seen; `None` if no sample found the root process.
    fn stop(self) -> Option<u64> {
        drop(self.stop);
        self.thread.join().ok().flatten()
    }
}

/// The summed RSS of `root` and its descendants now, KiB; `None` if `root` is not running.
fn tree_rss_kib(root: u32, page_bytes: u64) -> Option<u64> {
    let procs = processes();
    let parents: Vec<(u32, u32)> = procs.iter().map(|&(pid, s)| (pid, s.ppid)).collect();
    let tree = descendants(root, &parents);
    if tree.is_empty() {
        return None;
    }
    let pages: u64 = procs
        .iter()
        .filter(|(pid, _)| tree.contains(pid))
        .map(|(_, s)| s.rss_pages)
        .sum();
    Some(pages * page_bytes / 1024)
}

/// Every process /proc lists (its numeric directories; threads are not listed) with its stat.
/// A process that exits mid-walk is skipped: that is normal.
fn processes() -> Vec<(u32, ProcStat)> {
    let Ok(dir) = fs::read_dir(PROC) else {
        return Vec::new();
    };
    dir.filter_map(Result::ok)
        .filter_map(|entry| {
            let pid = entry.file_name().to_str()?.parse().ok()?;
            let stat = fs::read_to_string(entry.path().join("stat")).ok()?;
            Some((pid, parse_stat(&stat)?))
        })
        .collect()
}

/// What the sampler needs of `/proc/PID/stat`.
#[derive(Clone, Copy, Debug, PartialEq)]
struct ProcStat {
    ppid: u32,
    /// Resident set, in pages: the same figure as the second field of `/proc/PID/statm`, read
    /// from the file that gives the parent, so one read per process and no race between two.
    rss_pages: u64,
}

/// `/proc/PID/stat` numbers its fields from 1: `pid (comm) state ppid … rss …`.
const STAT_PPID: usize = 4;
const STAT_RSS: usize = 24;

/// `/proc/PID/stat`. The command name `comm` is in parentheses and may itself hold spaces and
/// parentheses (`(a) b)`), so fields are counted after the LAST `)`, where field 3 begins.
fn parse_stat(stat: &str) -> Option<ProcStat> {
    let (_, after_comm) = stat.rsplit_once(')')?;
    let fields: Vec<&str> = after_comm.split_whitespace().collect();
    let field = |n: usize| fields.get(n - 3).copied();
    Some(ProcStat {
        ppid: field(STAT_PPID)?.parse().ok()?,
        rss_pages: field(STAT_RSS)?.parse().ok()?,
    })
}

/// `root` and every process descended from it, given each process's (pid, parent pid); empty
/// if `root` is not among them.
fn descendants(root: u32, parents: &[(u32, u32)]) -> HashSet<u32> {
    let mut tree = HashSet::new();
    if !parents.iter().any(|&(pid, _)| pid == root) {
        return tree;
    }
    let mut children: HashMap<u32, Vec<u32>> = HashMap::new();
    for &(pid, ppid) in parents {
        children.entry(ppid).or_default().push(pid);
    }
    let mut todo = vec![root];
    while let Some(pid) = todo.pop() {
        // `insert` is false for a pid seen already: a walk that is not a snapshot cannot loop.
        if tree.insert(pid) {
            todo.extend(children.get(&pid).into_iter().flatten());
        }
    }
    tree
}

/// `AT_PAGESZ`, the page size's key in the ELF auxiliary vector.
const AT_PAGESZ: u64 = 6;

/// The page size, from `/proc/self/auxv` (`sysconf` would need libc); 4096 if unreadable.
fn page_size() -> u64 {
    fs::read(Path::new(PROC).join("self/auxv"))
        .ok()
        .and_then(|auxv| page_size_from_auxv(&auxv))
        .unwrap_or(4096)
}

/// The auxiliary vector: (key, value) pairs of native-endian words, ending with key 0.
fn page_size_from_auxv(auxv: &[u8]) -> Option<u64> {
    const WORD: usize = std::mem::size_of::<usize>();
    let word = |bytes: &[u8]| -> u64 {
        let mut w = [0; WORD];
        w.copy_from_slice(bytes);
        usize::from_ne_bytes(w) as u64
    };
    auxv.chunks_exact(2 * WORD)
        .map(|pair| (word(&pair[..WORD]), word(&pair[WORD..])))
        .take_while(|&(key, _)| key != 0)
        .find(|&(key, _)| key == AT_PAGESZ)
        .map(|(_, size)| size)
        .filter(|&size| size > 0)
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

    #[test]
    fn parses_stat_after_the_last_parenthesis() {
        // Fields 3 to 24: state ppid pgrp session tty tpgid flags minflt cminflt majflt
        // cmajflt utime stime cutime cstime priority nice threads itrealvalue starttime vsize rss.
        let rest =
            "S 42 7 7 0 -1 4194304 10 0 0 0 1 2 0 0 20 0 1 0 100 12345678 789 18446744073709551615";
        for comm in ["(cargo)", "(a) b)", "(rustc (x) y)", "()"] {
            assert_eq!(
                parse_stat(&format!("1234 {comm} {rest}\n")),
                Some(ProcStat {
                    ppid: 42,
                    rss_pages: 789
                }),
                "{comm}"
            );
        }
        assert_eq!(parse_stat("1234 (cut short) S 42"), None);
        assert_eq!(parse_stat("no parenthesis"), None);
    }

    #[test]
    fn descendants_follow_parents_only_from_the_root() {
        // 1 → 10 (time) → 11 (cargo) → 12, 13 (rustc) → 14 (build script); 20 is elsewhere.
        let parents = [
            (1, 0),
            (10, 1),
            (11, 10),
            (12, 11),
            (13, 11),
            (14, 13),
            (20, 1),
        ];
        let tree = |root| {
            let mut pids: Vec<u32> = descendants(root, &parents).into_iter().collect();
            pids.sort();
            pids
        };
        assert_eq!(tree(10), [10, 11, 12, 13, 14]);
        assert_eq!(tree(13), [13, 14]);
        assert_eq!(tree(20), [20]);
        assert_eq!(tree(99), Vec::<u32>::new(), "a root that has exited");
        // A walk that is not a snapshot (pids reused) must still end.
        assert_eq!(descendants(5, &[(5, 6), (6, 5)]).len(), 2);
    }

    #[test]
    fn reads_the_page_size_from_the_auxiliary_vector() {
        let auxv: Vec<u8> = [(33, 0x7fff), (AT_PAGESZ as usize, 16384), (0, 0), (6, 1)]
            .into_iter()
            .flat_map(|(k, v): (usize, usize)| [k.to_ne_bytes(), v.to_ne_bytes()])
            .flatten()
            .collect();
        assert_eq!(page_size_from_auxv(&auxv), Some(16384));
        assert_eq!(page_size_from_auxv(&auxv[..2 * size_of::<usize>()]), None);
        assert_eq!(page_size_from_auxv(&[]), None);
    }

    /// The sampler, through `Check::run` itself: `sh` stands in for cargo, a shell with a child
    /// in the background and one in the foreground for cargo's rustc.
    #[cfg(target_os = "linux")]
    #[test]
    fn samples_the_tree_of_a_command() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let timer = Timer::detect();
        let check = Check {
            cargo: PathBuf::from("sh"),
            target_dir: &dir.path().join("target"),
            timer: &timer,
        };
        let m = check
            .run(dir.path(), &["-c", "sleep 0.3 & sleep 0.3; wait"])
            .expect("runs");
        assert!(
            m.tree_peak_kib.is_some_and(|k| k > 0),
            "{:?}",
            m.tree_peak_kib
        );
        assert!(m.wall >= Duration::from_millis(250), "{:?}", m.wall);
        assert_eq!(m.peak_kib.is_some(), timer.gnu);

        let failed = check
            .run(dir.path(), &["-c", "echo first >&2; echo oops >&2; exit 3"])
            .err()
            .expect("fails");
        assert!(failed.contains("first\noops"), "{failed}");
        assert!(failed.contains('3'), "{failed}");
    }

    /// The walk of the real /proc finds a child of this process under it, with memory.
    #[cfg(target_os = "linux")]
    #[test]
    fn walks_proc_to_a_child() {
        let mut child = Command::new("sleep").arg("5").spawn().expect("sleep runs");
        let procs = processes();
        let parents: Vec<(u32, u32)> = procs.iter().map(|&(pid, s)| (pid, s.ppid)).collect();
        let tree = descendants(std::process::id(), &parents);
        let rss = tree_rss_kib(std::process::id(), page_size());
        child.kill().expect("kills its own child");
        child.wait().expect("reaps it");
        assert!(tree.contains(&child.id()), "{tree:?}");
        assert!(rss.is_some_and(|k| k > 0), "{rss:?}");
        assert!(page_size() >= 4096);
    }
}
