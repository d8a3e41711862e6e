//! Timing helpers the benches share: this thread's CPU time beside wall time, and medians
//! of alternating runs, so every ratio is measured side by side under the same load.
//! Included by path from `codegen/benches/pipeline.rs` and `generated-client/benches/`.

#![allow(dead_code)] // Each bench uses what it needs.

use std::time::{Duration, Instant};

/// This thread's CPU time so far: `clock_gettime(CLOCK_THREAD_CPUTIME_ID)` (64-bit Linux;
/// `None` elsewhere), so other jobs on a shared machine show up less than in wall time.
/// (`/proc/thread-self/schedstat` is not used: it lags by up to a scheduler tick.)
#[cfg(all(target_os = "linux", target_pointer_width = "64"))]
pub fn cpu_now() -> Option<Duration> {
    #[repr(C)]
    struct Timespec {
        tv_sec: std::ffi::c_long,
        tv_nsec: std::ffi::c_long,
    }
    unsafe extern "C" {
        fn clock_gettime(clock: std::ffi::c_int, tp: *mut Timespec) -> std::ffi::c_int;
    }
    const CLOCK_THREAD_CPUTIME_ID: std::ffi::c_int = 3;
    let mut ts = Timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: libc's clock_gettime with a valid clock id and a pointer to a live timespec,
    // laid out as on 64-bit Linux (two `long`s).
    let rc = unsafe { clock_gettime(CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    (rc == 0).then(|| Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32))
}

#[cfg(not(all(target_os = "linux", target_pointer_width = "64")))]
pub fn cpu_now() -> Option<Duration> {
    None
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
