//! The mock, its state: what the server shares with its handle (the endpoints, the data and
//! faults a test set, the requests received).

use std::sync::{Mutex, MutexGuard};

use serde_json::Value;

use super::collections::{Collections, Role};
use super::spec::{Endpoint, Fault, RecordedRequest, Times};

/// A fault waiting to strike.
#[derive(Debug)]
pub(super) struct Armed {
    /// The endpoint it applies to; `None`: every request.
    pub endpoint: Option<&'static str>,
    pub fault: Fault,
    pub times: Times,
    /// Requests it applied to so far.
    pub seen: u32,
    /// Times it struck so far.
    pub struck: u32,
}

impl Armed {
    /// Whether it strikes this request (counted), and whether it is spent afterwards.
    pub fn strikes(&mut self) -> (bool, bool) {
        self.seen += 1;
        let strike = match self.times {
            Times::Once => self.struck < 1,
            Times::N(n) => self.struck < n,
            Times::Always => true,
            Times::EveryNth(n) => n > 0 && self.seen % n == 0,
        };
        if strike {
            self.struck += 1;
        }
        let spent = match self.times {
            Times::Once => self.struck >= 1,
            Times::N(n) => self.struck >= n,
            Times::Always | Times::EveryNth(_) => false,
        };
        (strike, spent)
    }
}

/// What the server shares with its handle.
#[derive(Debug, Default)]
pub(super) struct State {
    pub endpoints: Vec<&'static Endpoint>,
    /// Data a test set, by endpoint name.
    pub data: std::collections::BTreeMap<&'static str, Value>,
    pub faults: Vec<Armed>,
    pub requests: Vec<RecordedRequest>,
    /// What each endpoint of a collection does to it, by endpoint name.
    pub roles: std::collections::BTreeMap<&'static str, Role>,
    /// What the test created in the collections.
    pub collections: Collections,
}

/// The state, even if a thread panicked holding it: a test's records stay readable.
pub(super) fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}
