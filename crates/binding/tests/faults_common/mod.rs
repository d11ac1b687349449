//! Shared pieces of the fault tests: the CSE's ledger of the requests its handler ran,
//! the receiver's counts read from the binding's log events, and the run sizes.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::collections::{HashMap, HashSet};
use std::io::Write as _;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use onem2m_binding::{Handler, RequestContext};
use onem2m_primitive::{RequestPrimitive, ResponsePrimitive, ResponseStatusCode};
use onem2m_test_support::{EventTally, Watch};

use crate::binding_common::echo_response;

/// Set to `1` (by `cargo xtask soak`) for the long variants.
pub const SOAK_ENV: &str = "ONEM2M_SOAK";

/// Whether this is a soak run.
pub fn soak() -> bool {
    std::env::var(SOAK_ENV).is_ok_and(|v| v == "1")
}

/// `short` in the default suite, `long` under `cargo xtask soak`.
pub fn size(short: usize, long: usize) -> usize {
    if soak() { long } else { short }
}

/// Whether `response` is the CSE's answer to the request `rqi` (not another's), as
/// [`echo_response`] makes it.
pub fn answers(response: &ResponsePrimitive, rqi: &str) -> bool {
    response.rsc == ResponseStatusCode::OK
        && response.rqi.as_deref() == Some(rqi)
        && response.debug_message() == Some(rqi)
}

/// The CSE's handler, keeping what it ran: how many times each `rqi` reached it. It
/// answers with [`echo_response`] (the `rqi` as content, so a mixed-up answer is seen).
#[derive(Debug, Clone, Default)]
pub struct Ledger {
    calls: Arc<Mutex<HashMap<String, u32>>>,
}

#[async_trait]
impl Handler for Ledger {
    async fn handle(&self, request: RequestPrimitive, _ctx: RequestContext) -> ResponsePrimitive {
        *self
            .calls
            .lock()
            .unwrap()
            .entry(request.rqi.clone())
            .or_default() += 1;
        echo_response(&request)
    }
}

impl Ledger {
    /// Handler calls in all.
    pub fn invocations(&self) -> usize {
        self.calls
            .lock()
            .unwrap()
            .values()
            .map(|n| *n as usize)
            .sum()
    }

    /// The requests handled at least once.
    pub fn handled(&self) -> HashSet<String> {
        self.calls.lock().unwrap().keys().cloned().collect()
    }

    /// The requests handled more than once (must stay empty).
    pub fn run_twice(&self) -> Vec<String> {
        let mut twice: Vec<_> = self
            .calls
            .lock()
            .unwrap()
            .iter()
            .filter(|(_, n)| **n > 1)
            .map(|(rqi, n)| format!("{rqi} ({n}x)"))
            .collect();
        twice.sort();
        twice
    }

    /// Waits until no new request has reached the handler for `quiet`.
    pub async fn settle(&self, quiet: Duration) {
        let mut last = self.invocations();
        loop {
            tokio::time::sleep(quiet).await;
            let now = self.invocations();
            if now == last {
                return;
            }
            last = now;
        }
    }
}

/// What the receiver and the originator did with duplicates, read from the binding's
/// log events (it keeps no counters of its own).
pub fn binding_tally() -> EventTally {
    EventTally::new(
        "onem2m_binding",
        &[
            // The dispatcher logs this once per request it hands to the handler.
            Watch::message(HANDLED, "request received"),
            // Every response published: handlers' answers and answers replayed from
            // the duplicate cache alike.
            Watch::message(RESPONSES, "response sent"),
            Watch::message(RESPONSES_FAILED, "response not sent"),
            Watch::message(IN_PROGRESS, "message dropped")
                .with_field_containing("duplicate of request"),
            Watch::message(UNMATCHED, "response nobody waits for").keeping("rqi"),
            Watch::message(RESPONSE_RECEIVED, "response received"),
        ],
    )
}

const HANDLED: &str = "handled";
const RESPONSES: &str = "responses";
const RESPONSES_FAILED: &str = "responses failed";
const IN_PROGRESS: &str = "duplicate in progress";
pub const UNMATCHED: &str = "unmatched response";
pub const RESPONSE_RECEIVED: &str = "response received";

/// Duplicate handling, as counted by [`binding_tally`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DuplicateCounts {
    /// Requests the dispatcher handed to the handler.
    pub handled: usize,
    /// Redelivered requests answered from the duplicate cache without the handler.
    pub replayed: usize,
    /// Redelivered requests dropped because the first copy was still being handled.
    pub dropped_in_progress: usize,
    /// Responses the originator received for no waiting request (duplicates of
    /// responses already delivered, or answers to a previous process's requests).
    pub unmatched_responses: usize,
}

impl DuplicateCounts {
    pub fn of(tally: &EventTally) -> Self {
        let published = tally.count(RESPONSES) + tally.count(RESPONSES_FAILED);
        let handled = tally.count(HANDLED);
        Self {
            handled,
            replayed: published.saturating_sub(handled),
            dropped_in_progress: tally.count(IN_PROGRESS),
            unmatched_responses: tally.count(UNMATCHED),
        }
    }

    /// Redeliveries that never reached the handler.
    pub fn suppressed(&self) -> usize {
        self.replayed + self.dropped_in_progress
    }
}

/// Where `cargo xtask soak` collects the counts of every test it runs.
pub const COUNTS_FILE_ENV: &str = "ONEM2M_COUNTS_FILE";

/// Prints the counts straight to the process's stderr, past the test harness's
/// capture (they are the point of these tests), and appends them to the file
/// [`COUNTS_FILE_ENV`] names, if any.
pub fn report(text: &str) {
    let line = format!("[counts] {text}\n");
    let _ = std::io::stderr().write_all(line.as_bytes());
    if let Some(path) = std::env::var_os(COUNTS_FILE_ENV) {
        let mut file = std::fs::File::options()
            .create(true)
            .append(true)
            .open(path)
            .unwrap();
        file.write_all(line.as_bytes()).unwrap();
    }
}
