//! Timing helpers the benches share: this thread's CPU time beside wall time, and medians
//! of alternating runs, so every ratio is measured side by side under the same load.
//! A dev-dependency of `codegen` (benches/pipeline.rs) and `cloudflare-client` (benches/).

use std::time::{Duration, Instant};

/// This thread's CPU time so far (`cpu_time::ThreadTime`: `CLOCK_THREAD_CPUTIME_ID` on Linux,
/// the thread times elsewhere), so other jobs on a shared machine show up less than in wall
/// time; `None` where the platform has no per-thread clock.
/// (`/proc/thread-self/schedstat` is not used: it lags by up to a scheduler tick.)
pub fn cpu_now() -> Option<Duration> {
    cpu_time::ThreadTime::try_now()
        .ok()
        .map(|t| t.as_duration())
}

/// Median wall and CPU time of `rounds` runs of each, alternating so all see the same load.
pub fn medians(rounds: usize, fns: &mut [&mut dyn FnMut()]) -> Vec<(Duration, Option<Duration>)> {
    let mut wall = vec![Vec::with_capacity(rounds); fns.len()];
    let mut cpu = vec![Vec::with_capacity(rounds); fns.len()];
    for _ in 0..rounds {
        for (i, f) in fns.iter_mut().enumerate() {
            let (c, t) = (cpu_now(), Instant::now());
            f();
            wall[i].push(t.elapsed());
            if let (Some(before), Some(after)) = (c, cpu_now()) {
                cpu[i].push(after.saturating_sub(before));
            }
        }
    }
    wall.iter_mut()
        .zip(&mut cpu)
        .map(|(w, c)| {
            w.sort();
            c.sort();
            (w[rounds / 2], (c.len() == rounds).then(|| c[rounds / 2]))
        })
        .collect()
}
