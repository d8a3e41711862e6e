//! Foundation, parallel work: the one way every stage spreads independent work (a doc to
//! parse, a group to plan or print) over the machine's cores, with a result that does not
//! depend on how the work was spread.

/// `f` of every item, in order, computed on every core: each worker takes the next item
/// not yet taken, so a few large items do not leave the other cores idle. The result does
/// not depend on which worker computed what.
pub fn map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    map_in_order(items, (0..items.len()).collect(), f)
}

/// [`map`], the items started heaviest first by `weight` (an estimate of each one's work):
/// an item started last is then a small one, so no core is left with a large item while the
/// others are idle. The result is in the items' order, whatever the weights.
pub fn map_heaviest_first<T: Sync, R: Send>(
    items: &[T],
    weight: impl Fn(&T) -> usize,
    f: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    let mut order: Vec<usize> = (0..items.len()).collect();
    // Stable: items of equal weight start in their order.
    order.sort_by_key(|&index| std::cmp::Reverse(weight(&items[index])));
    map_in_order(items, order, f)
}

/// `f` of every item, workers taking items in `order` (a permutation of the indexes); the
/// results in the items' order.
fn map_in_order<T: Sync, R: Send>(
    items: &[T],
    order: Vec<usize>,
    f: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(items.len());
    if workers <= 1 {
        return items.iter().map(f).collect();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut done: Vec<(usize, R)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let taken = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(&index) = order.get(taken) else {
                            break mine;
                        };
                        mine.push((index, f(&items[index])));
                    }
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| {
                h.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    });
    done.sort_by_key(|(index, _)| *index);
    done.into_iter().map(|(_, result)| result).collect()
}

#[cfg(test)]
mod tests {
    use super::{map, map_heaviest_first};

    #[test]
    fn results_keep_the_items_order_whatever_the_weights() {
        let items: Vec<usize> = (0..100).collect();
        let squares: Vec<usize> = items.iter().map(|i| i * i).collect();
        assert_eq!(map(&items, |i| i * i), squares);
        // Weights that reverse, shuffle and tie the order.
        assert_eq!(map_heaviest_first(&items, |i| *i, |i| i * i), squares);
        assert_eq!(
            map_heaviest_first(&items, |i| (i * 37) % 11, |i| i * i),
            squares
        );
        assert_eq!(
            map_heaviest_first(&[] as &[usize], |i| *i, |i| *i),
            Vec::<usize>::new()
        );
    }
}
