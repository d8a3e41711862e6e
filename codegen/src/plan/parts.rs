//! Plan stage, the parts: which crate compiles each group when a client is too large for one.
//!
//! rustc checks a crate on one core, and its memory grows with the crate: the whole
//! Cloudflare API as one crate peaked near 3 GiB and used one core of two. So a large client
//! is a thin crate (its `Client`, the endpoint index, the `[features]`) over *part* crates,
//! each a run of consecutive groups, that cargo compiles in parallel, each in a fraction of
//! the memory. Groups share no types and their handles need only the runtime's client, so a
//! group compiles the same in any part; the thin crate re-exports every group's module, and a
//! user sees one crate (`cloudflare_client::audit_logs`), whichever part holds the group.
//!
//! A group's weight is what it asks of the compiler: its endpoints and the types it defines.
//! A client of at most [`MAX_PART_WEIGHT`] is one crate, as before; a heavier one is cut into
//! as few parts as keep each near or under that weight, balanced, in group order. Which part
//! holds a group may change when docs are added; no public name does.

use super::model::{GroupPlan, Plan};

/// The weight above which a client is split into parts: about 400 endpoints with their
/// types. The whole Cloudflare API (about 2,600 endpoints, 15,000 weight) makes parts small
/// enough that two compiling at once need far less than one crate did, and enough of them
/// that a machine with more cores uses them.
pub const MAX_PART_WEIGHT: usize = 2_000;

/// One part crate: a run of consecutive groups.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartPlan {
    /// The part's number, from 1, in group order.
    pub number: usize,
    /// The Cargo package (`cloudflare-client-groups-1`).
    pub package: String,
    /// Its library name (`cloudflare_client_groups_1`).
    pub lib: String,
    /// Its directory, relative to the thin crate's (`groups/1`).
    pub dir: String,
    /// Indices into [`Plan::groups`], consecutive and ascending.
    pub groups: Vec<usize>,
}

/// The part that compiles the group at `index` of [`Plan::groups`]; `None` for a client
/// that is one crate.
pub fn part_of(parts: &[PartPlan], index: usize) -> Option<&PartPlan> {
    parts.iter().find(|p| p.groups.contains(&index))
}

/// What compiling a group costs, in units the parts are balanced by: one per endpoint and
/// one per type it defines.
pub fn weight(group: &GroupPlan) -> usize {
    group.endpoints.len()
        + group.structs.len()
        + group.enums.len()
        + group.params.len()
        + group.bodies.len()
        + group.body_unions.len()
        + group.aliases.len()
}

/// The parts of a client whose crate is the Cargo package `package`: none when it is light
/// enough to be one crate, else `ceil(total / max_weight)` parts ([`split`]).
pub fn parts(plan: &Plan, package: &str, max_weight: usize) -> Vec<PartPlan> {
    let weights: Vec<usize> = plan.groups.iter().map(weight).collect();
    split(&weights, max_weight)
        .into_iter()
        .enumerate()
        .map(|(i, groups)| {
            let number = i + 1;
            let package = format!("{package}-groups-{number}");
            PartPlan {
                number,
                lib: package.replace('-', "_"),
                package,
                dir: format!("groups/{number}"),
                groups,
            }
        })
        .collect()
}

/// Items of these weights, in order, cut into `ceil(total / max_weight)` runs (none if that
/// is one): each item goes to the run whose equal share of the total holds the item's
/// midpoint, so the runs are balanced, none is empty, and a heavy item does not drag its
/// neighbours along.
fn split(weights: &[usize], max_weight: usize) -> Vec<Vec<usize>> {
    let total: usize = weights.iter().sum();
    let count = total.div_ceil(max_weight.max(1)).min(weights.len());
    if count <= 1 {
        return Vec::new();
    }
    let mut runs: Vec<Vec<usize>> = vec![Vec::new(); count];
    let mut before = 0;
    let mut previous = 0;
    for (index, w) in weights.iter().enumerate() {
        let by_weight = (before * 2 + w) * count / (2 * total);
        // Never back to an earlier run nor past the next one (no run left empty), and far
        // enough along that every later run still gets an item.
        let lowest = previous.max((count + index).saturating_sub(weights.len()));
        let highest = if index == 0 {
            0
        } else {
            (previous + 1).min(count - 1)
        };
        let run = by_weight.clamp(lowest, highest);
        runs[run].push(index);
        previous = run;
        before += w;
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::split;

    #[test]
    fn light_clients_are_one_crate() {
        assert!(split(&[], 10).is_empty());
        assert!(split(&[3, 4, 3], 10).is_empty());
        assert!(split(&[10], 1).is_empty());
    }

    #[test]
    fn heavy_clients_are_balanced_runs() {
        assert_eq!(split(&[5, 5, 5, 5], 10), vec![vec![0, 1], vec![2, 3]]);
        assert_eq!(
            split(&[1, 1, 1, 1, 1, 1, 1, 1, 1], 3),
            vec![vec![0, 1, 2], vec![3, 4, 5], vec![6, 7, 8]]
        );
        // A heavy group is a run of its own; its light neighbours are not dragged along.
        assert_eq!(split(&[1, 18, 1], 10), vec![vec![0], vec![1, 2]]);
    }

    #[test]
    fn no_run_is_empty_and_order_is_kept() {
        for weights in [
            vec![100, 0, 0, 0],
            vec![0, 0, 0, 100],
            vec![50, 1, 50, 1, 50],
            vec![0, 0, 0, 0, 0, 0, 31],
            vec![31, 0, 0, 0, 0, 0, 0],
        ] {
            let runs = split(&weights, 30);
            assert!(runs.len() > 1, "{weights:?}");
            let flat: Vec<usize> = runs.iter().flatten().copied().collect();
            assert_eq!(flat, (0..weights.len()).collect::<Vec<_>>(), "{weights:?}");
            assert!(runs.iter().all(|r| !r.is_empty()), "{weights:?}: {runs:?}");
        }
    }
}
