//! Drift that is never unseen: a client logs each distinct (endpoint, JSON path, expected,
//! found) once at warn level, and a [`Warnings`] collects the decode warnings of the requests
//! (a whole listing walked with `items()`, say) it is attached to.
//!
//! A drifted field usually drifts in every item of every page: 20,000 warnings for one
//! problem. Both keep them apart by *kind*: the JSON path with every array index written
//! `[*]` (`result[*].resource.scope`), what was expected and what was found.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use crate::decode::lenient::DecodeWarning;

/// The most distinct drifts a client logs at warn level (and remembers, to log each once).
/// Past it, a client logs that its set is full, once, and new kinds at debug level.
pub const MAX_LOGGED_DRIFTS: usize = 1024;

/// The most distinct kinds a [`Warnings`] counts apart; warnings of further kinds are still
/// counted in [`Warnings::total`] and kept while under its limit.
pub const MAX_WARNING_KINDS: usize = 1024;

/// How many warnings the [`Warnings`] a listing makes for itself keeps in full (see
/// [`Items::warnings`](crate::Items::warnings)); the rest are counted by kind.
/// Attach a [`Warnings::new`] with
/// [`record_warnings`](crate::Request::record_warnings) to keep every one.
pub const LISTING_WARNINGS_KEPT: usize = 100;

/// `path` with every array index written `[*]`: `result[3].tags[0]` is `result[*].tags[*]`.
pub fn path_pattern(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut rest = path;
    while let Some(open) = rest.find('[') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find(']') {
            Some(close) if close > 0 && after[..close].bytes().all(|b| b.is_ascii_digit()) => {
                out.push_str("[*]");
                rest = &after[close + 1..];
            }
            _ => {
                out.push('[');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while holding the lock leaves plain data behind: keep going.
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Whether `path` written with `[*]` for its indices is `pattern`, without writing it.
///
/// Compares the text between the pattern's `[*]`s a slice at a time (one `memcmp` each), as
/// a drifted page asks this once per item.
fn matches_pattern(path: &str, pattern: &str) -> bool {
    let (mut path, mut pattern) = (path.as_bytes(), pattern.as_bytes());
    loop {
        // Compared byte by byte: a slice compare is a `memcmp` call for each window.
        let star = pattern
            .windows(3)
            .position(|w| w[0] == b'[' && w[1] == b'*' && w[2] == b']');
        let Some(star) = star else {
            return path == pattern;
        };
        let Some(rest) = path.strip_prefix(&pattern[..star]) else {
            return false;
        };
        pattern = &pattern[star + 3..];
        let digits = rest
            .iter()
            .skip(1)
            .take_while(|b| b.is_ascii_digit())
            .count();
        path = if digits > 0 && rest.get(1 + digits) == Some(&b']') {
            &rest[digits + 2..]
        } else {
            // `path_pattern` leaves a `[*]` that is not an index as it is.
            match rest.strip_prefix(b"[*]") {
                Some(rest) => rest,
                None => return false,
            }
        };
    }
}

/// The kinds of one response's warnings in first-seen order, each with its path pattern, its
/// first warning and how many: computed once per response, for both the client's log and a
/// [`Warnings`].
pub(crate) type ResponseKinds<'a> = Vec<(String, &'a DecodeWarning, u64)>;

/// The kinds of a response's `warnings` and of the values it only `counted` (see
/// `Decoded::counted`: a warning standing for a number of them), as [`ResponseKinds`].
pub(crate) fn kinds_of<'a>(
    warnings: &'a [DecodeWarning],
    counted: &'a [(DecodeWarning, u64)],
) -> ResponseKinds<'a> {
    let mut out: ResponseKinds<'a> = Vec::new();
    // A page's warnings are usually one kind repeated, or a few interleaved item by item:
    // compare with the kind the last one was, then with the others, before writing this
    // one's pattern.
    let mut last = 0;
    let all = warnings
        .iter()
        .map(|w| (w, 1))
        .chain(counted.iter().map(|(w, n)| (w, *n)));
    for (w, n) in all {
        let same = |(p, first, _): &(String, &DecodeWarning, u64)| {
            first.found == w.found
                && (Arc::ptr_eq(&first.expected, &w.expected) || first.expected == w.expected)
                && matches_pattern(&w.path, p)
        };
        let found = match out.get(last) {
            Some(kind) if same(kind) => Some(last),
            _ => out.iter().position(same),
        };
        match found {
            Some(i) => {
                out[i].2 += n;
                last = i;
            }
            None => {
                last = out.len();
                out.push((path_pattern(&w.path), w, n));
            }
        }
    }
    out
}

/// The drift a client has logged: shared by its clones, at most [`MAX_LOGGED_DRIFTS`] kinds.
#[derive(Default)]
pub(crate) struct DriftLog {
    seen: Mutex<HashSet<String>>,
    full: AtomicBool,
}

impl DriftLog {
    /// Logs, at warn level, each of a response's `kinds` of drift this client has not logged
    /// yet for `route` (the endpoint's path template).
    pub(crate) fn note(&self, route: &str, kinds: &ResponseKinds<'_>) {
        for &(ref pattern, first, count) in kinds {
            let key = format!("{route}\0{pattern}\0{}\0{}", first.expected, first.found);
            let new = {
                let mut seen = lock(&self.seen);
                if seen.contains(&key) {
                    continue;
                }
                seen.len() < MAX_LOGGED_DRIFTS && seen.insert(key)
            };
            if new {
                tracing::warn!(
                    route,
                    path = %pattern,
                    expected = %first.expected,
                    found = first.found,
                    in_this_response = count,
                    example = %first.path,
                    "response values do not match the documented type and were read as absent \
                     (logged once per client for this endpoint and path; every one is in the \
                     response's warnings)"
                );
            } else {
                if !self.full.swap(true, Ordering::Relaxed) {
                    tracing::warn!(
                        max = MAX_LOGGED_DRIFTS,
                        "this client has logged the most distinct kinds of drift it logs; \
                         further kinds are logged at debug level"
                    );
                }
                tracing::debug!(route, path = %pattern, expected = %first.expected, found = first.found, "response value does not match the documented type; read as absent");
            }
        }
    }
}

/// One kind of drift a [`Warnings`] saw: a JSON path with array indices written `[*]`, what the
/// type expected, what was found, and how often.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct DriftKind {
    /// The JSON path with every array index written `[*]`, e.g. `result[*].resource.scope`.
    pub path: String,
    /// What the type expected, as serde words it (see [`DecodeWarning::expected`]).
    pub expected: String,
    /// The JSON type found (see [`DecodeWarning::found`]).
    pub found: &'static str,
    /// How many values of this kind were read as absent.
    pub count: u64,
}

impl fmt::Display for DriftKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}`: expected {}, found {} ({} time(s), read as absent)",
            self.path, self.expected, self.found, self.count
        )
    }
}

struct Collected {
    kept: Vec<DecodeWarning>,
    limit: usize,
    total: u64,
    kinds: Vec<DriftKind>,
    index: HashMap<String, usize>,
}

/// The decode warnings of every response decoded by the requests it is attached to with
/// [`Request::record_warnings`](crate::Request::record_warnings): how the caller of
/// a listing walked with `items()`, whose items carry no warnings, sees its drift, so far or
/// when it has ended. Each page's own warnings are also in its
/// [`Response::warnings`](crate::Response::warnings) (from `pages()`).
///
/// Cheap to clone: clones share one collection, safe to read from any thread while the
/// listing runs. Always empty in strict mode, where drift is an error instead.
///
/// ```no_run
/// # async fn demo(client: cloudflare_client_runtime::Client) -> Result<(), cloudflare_client_runtime::Error> {
/// use cloudflare_client_runtime::Warnings;
/// use futures::TryStreamExt;
///
/// let warnings = Warnings::new();
/// let items: Vec<serde_json::Value> = client
///     .get::<Vec<serde_json::Value>>(
///         "/accounts/{account_id}/audit_logs",
///         &[("account_id", "023e105f4ecef8ad9ca31a8372d0c353")],
///     )
///     .record_warnings(&warnings)
///     .items()
///     .try_collect()
///     .await?;
/// for kind in warnings.kinds() {
///     eprintln!("drift: {kind}");
/// }
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Warnings {
    inner: Arc<Mutex<Collected>>,
}

impl Default for Warnings {
    fn default() -> Self {
        Warnings::with_limit(usize::MAX)
    }
}

impl Warnings {
    /// A collection keeping every warning in full.
    pub fn new() -> Self {
        Warnings::default()
    }

    /// A collection keeping the first `limit` warnings in full (each holds the raw value); the
    /// rest are only counted, in [`total`](Self::total) and [`kinds`](Self::kinds).
    pub fn with_limit(limit: usize) -> Self {
        Warnings {
            inner: Arc::new(Mutex::new(Collected {
                kept: Vec::new(),
                limit,
                total: 0,
                kinds: Vec::new(),
                index: HashMap::new(),
            })),
        }
    }

    /// How many warnings were recorded so far, kept or not.
    pub fn total(&self) -> u64 {
        lock(&self.inner).total
    }

    /// True when no warning was recorded.
    pub fn is_empty(&self) -> bool {
        self.total() == 0
    }

    /// The warnings kept so far, in the order they arrived.
    pub fn to_vec(&self) -> Vec<DecodeWarning> {
        lock(&self.inner).kept.clone()
    }

    /// Takes the warnings kept so far out of the collection (counts and kinds stay; newly
    /// recorded warnings are kept again, within the limit).
    pub fn take(&self) -> Vec<DecodeWarning> {
        std::mem::take(&mut lock(&self.inner).kept)
    }

    /// Every kind of drift so far (up to [`MAX_WARNING_KINDS`]), in first-seen order, with
    /// its count: the summary of a listing.
    pub fn kinds(&self) -> Vec<DriftKind> {
        lock(&self.inner).kinds.clone()
    }

    /// How many more warnings this collection keeps in full.
    pub(crate) fn room(&self) -> usize {
        let inner = lock(&self.inner);
        inner.limit.saturating_sub(inner.kept.len())
    }

    /// Adds the warnings of one response, whose kinds (counting every one, kept or not)
    /// are `kinds` (see [`owned_kinds`]), keeping `warnings` within the limit.
    pub(crate) fn record(&self, warnings: &[DecodeWarning], kinds: Vec<DriftKind>) {
        self.add(kinds, |kept, room| {
            kept.extend(warnings.iter().take(room).cloned());
        });
    }

    /// [`record`](Self::record), keeping the warnings themselves rather than copies.
    pub(crate) fn record_owned(&self, warnings: Vec<DecodeWarning>, kinds: Vec<DriftKind>) {
        self.add(kinds, move |kept, room| {
            kept.extend(warnings.into_iter().take(room));
        });
    }

    /// Counts the warnings of `kinds`, and lets `keep` add them to the kept ones, up to the
    /// room left.
    fn add(&self, kinds: Vec<DriftKind>, keep: impl FnOnce(&mut Vec<DecodeWarning>, usize)) {
        let total: u64 = kinds.iter().map(|k| k.count).sum();
        if total == 0 {
            return;
        }
        let mut inner = lock(&self.inner);
        inner.total += total;
        let room = inner.limit.saturating_sub(inner.kept.len());
        keep(&mut inner.kept, room);
        for kind in kinds {
            let key = format!("{}\0{}\0{}", kind.path, kind.expected, kind.found);
            if let Some(&i) = inner.index.get(&key) {
                inner.kinds[i].count += kind.count;
            } else if inner.kinds.len() < MAX_WARNING_KINDS {
                let i = inner.kinds.len();
                inner.index.insert(key, i);
                inner.kinds.push(kind);
            }
        }
    }
}

/// `kinds` as a [`Warnings`] counts them (their path patterns moved, not copied).
pub(crate) fn owned_kinds(kinds: ResponseKinds<'_>) -> Vec<DriftKind> {
    kinds
        .into_iter()
        .map(|(path, first, count)| DriftKind {
            path,
            expected: first.expected.to_string(),
            found: first.found,
            count,
        })
        .collect()
}

impl fmt::Debug for Warnings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = lock(&self.inner);
        f.debug_struct("Warnings")
            .field("total", &inner.total)
            .field("kept", &inner.kept.len())
            .field("kinds", &inner.kinds)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn warning(path: &str) -> DecodeWarning {
        DecodeWarning::new(path.to_owned(), "a map", json!("x"))
    }

    #[test]
    fn patterns_star_every_index() {
        assert_eq!(path_pattern("result[12].a[0].b"), "result[*].a[*].b");
        assert_eq!(path_pattern("result"), "result");
        assert_eq!(path_pattern("a[x]"), "a[x]");
        assert_eq!(path_pattern("a[]"), "a[]");
        for path in [
            "result[12].a[0].b",
            "result",
            "a[x]",
            "a[]",
            "a[1",
            "[3]",
            "a[*]",
        ] {
            assert!(matches_pattern(path, &path_pattern(path)), "{path}");
        }
        assert!(!matches_pattern("result[1].a", "result[*].b"));
        assert!(!matches_pattern("result[1]", "result[*].b"));
        assert!(!matches_pattern("result[x]", "result[*]"));
        assert!(!matches_pattern("result[]", "result[*]"));
        assert!(!matches_pattern("result[1]x", "result[*]"));
        assert!(!matches_pattern("result", "result[*]"));
        assert!(matches_pattern("a[*][2].b", "a[*][*].b"));
        assert!(!matches_pattern("a[*][2].b", "a[*][*].c"));
    }

    #[test]
    fn warnings_count_by_kind_and_keep_within_the_limit() {
        let w = Warnings::with_limit(3);
        let page: Vec<_> = (0..5)
            .map(|i| warning(&format!("result[{i}].scope")))
            .collect();
        let record =
            |warnings: &[DecodeWarning]| w.record(warnings, owned_kinds(kinds_of(warnings, &[])));
        record(&page);
        record(&[warning("result[0].other")]);
        // Two kinds interleaved item by item are still two kinds.
        let mixed: Vec<_> = (0..4)
            .map(|i| warning(&format!("result[{}].{}", i / 2, ["a", "b"][i % 2])))
            .collect();
        let mixed_kinds = kinds_of(&mixed, &[]);
        assert_eq!(
            mixed_kinds
                .iter()
                .map(|(p, _, n)| (p.as_str(), *n))
                .collect::<Vec<_>>(),
            [("result[*].a", 2), ("result[*].b", 2)]
        );
        // Values only counted join the kinds of the warnings kept, or make their own.
        let counted = [(warning("result[7].a"), 5), (warning("result[8].c"), 2)];
        let with_counted: Vec<_> = kinds_of(&mixed[..1], &counted)
            .into_iter()
            .map(|(p, _, n)| (p, n))
            .collect();
        assert_eq!(
            with_counted,
            [("result[*].a".to_owned(), 6), ("result[*].c".to_owned(), 2)]
        );
        assert_eq!(w.total(), 6);
        assert_eq!(w.to_vec().len(), 3);
        let kinds = w.kinds();
        assert_eq!(kinds.len(), 2);
        assert_eq!(
            (kinds[0].path.as_str(), kinds[0].count),
            ("result[*].scope", 5)
        );
        assert_eq!(w.take().len(), 3);
        record(&page);
        assert_eq!(
            w.to_vec().len(),
            3,
            "kept again after a take, within the limit"
        );
        assert_eq!(w.kinds()[0].count, 10);
    }
}
