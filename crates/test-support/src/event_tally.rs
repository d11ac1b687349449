//! Counting a library's log events, to measure what it does not count itself.

use std::collections::BTreeMap;
use std::fmt::{self, Write as _};
use std::sync::{Arc, Mutex, PoisonError};

use tracing::field::{Field, Visit};
use tracing::subscriber::Interest;
use tracing::{Dispatch, Event, Metadata, Subscriber};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt as _};

/// One kind of event to count: its message starts with `message`, and, if
/// `field_contains` is set, one of its other fields contains that text.
#[derive(Debug, Clone, Copy)]
pub struct Watch {
    /// The name [`EventTally::count`] knows it by.
    pub name: &'static str,
    /// The start of the event's message.
    pub message: &'static str,
    /// Text one of the event's other fields must contain.
    pub field_contains: Option<&'static str>,
    /// A field whose values to keep, for [`EventTally::values`] (an `rqi`, say).
    pub keep_field: Option<&'static str>,
}

impl Watch {
    /// Events whose message starts with `message`.
    pub const fn message(name: &'static str, message: &'static str) -> Self {
        Self {
            name,
            message,
            field_contains: None,
            keep_field: None,
        }
    }

    /// The same, counted only when another field contains `text`.
    #[must_use]
    pub const fn with_field_containing(mut self, text: &'static str) -> Self {
        self.field_contains = Some(text);
        self
    }

    /// The same, keeping the values of the field `field`.
    #[must_use]
    pub const fn keeping(mut self, field: &'static str) -> Self {
        self.keep_field = Some(field);
        self
    }
}

/// Counts the `tracing` events of the targets under a prefix that match its
/// [`Watch`]es, at every level (debug included).
///
/// Install it on the threads of the code under test: [`runtime`](Self::runtime)
/// builds a tokio runtime whose every thread reports to it, so that tests running
/// side by side in one process keep separate counts.
#[derive(Debug, Clone)]
pub struct EventTally {
    target_prefix: &'static str,
    watches: Arc<[Watch]>,
    seen: Arc<Mutex<Seen>>,
}

#[derive(Debug, Default)]
struct Seen {
    counts: BTreeMap<&'static str, usize>,
    values: BTreeMap<&'static str, Vec<String>>,
}

impl EventTally {
    /// Counts the events of targets starting with `target_prefix` (a crate name,
    /// `onem2m_binding`) that match one of `watches`.
    pub fn new(target_prefix: &'static str, watches: &[Watch]) -> Self {
        Self {
            target_prefix,
            watches: watches.into(),
            seen: Arc::default(),
        }
    }

    /// How many events matched the watch `name` so far.
    pub fn count(&self, name: &str) -> usize {
        self.lock().counts.get(name).copied().unwrap_or(0)
    }

    /// The values of the kept field of the events that matched the watch `name`.
    pub fn values(&self, name: &str) -> Vec<String> {
        self.lock().values.get(name).cloned().unwrap_or_default()
    }

    /// A dispatcher reporting to this tally only.
    pub fn dispatch(&self) -> Dispatch {
        Dispatch::new(tracing_subscriber::registry().with(self.clone()))
    }

    /// A multi-threaded tokio runtime (all drivers on) whose worker and blocking
    /// threads report to this tally. Also install [`dispatch`](Self::dispatch) on
    /// the thread that calls `block_on` (`tracing::dispatcher::set_default`).
    pub fn runtime(&self, worker_threads: usize) -> std::io::Result<tokio::runtime::Runtime> {
        let dispatch = self.dispatch();
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(worker_threads)
            .enable_all()
            .on_thread_start(move || {
                // The thread keeps the dispatcher for its whole life; there is
                // nothing to restore when it ends.
                std::mem::forget(tracing::dispatcher::set_default(&dispatch));
            })
            .build()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Seen> {
        self.seen.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn wanted(&self, metadata: &Metadata<'_>) -> bool {
        metadata.is_event() && metadata.target().starts_with(self.target_prefix)
    }
}

impl<S: Subscriber> Layer<S> for EventTally {
    fn register_callsite(&self, metadata: &'static Metadata<'static>) -> Interest {
        if self.wanted(metadata) {
            Interest::always()
        } else {
            Interest::never()
        }
    }

    fn enabled(&self, metadata: &Metadata<'_>, _: Context<'_, S>) -> bool {
        self.wanted(metadata)
    }

    fn on_event(&self, event: &Event<'_>, _: Context<'_, S>) {
        let mut fields = Fields::default();
        event.record(&mut fields);
        let mut seen = self.lock();
        for watch in self.watches.iter() {
            let matches = fields.message.starts_with(watch.message)
                && watch
                    .field_contains
                    .is_none_or(|text| fields.others.iter().any(|(_, v)| v.contains(text)));
            if !matches {
                continue;
            }
            *seen.counts.entry(watch.name).or_default() += 1;
            if let Some(kept) = watch.keep_field
                && let Some((_, value)) = fields.others.iter().find(|(name, _)| *name == kept)
            {
                seen.values
                    .entry(watch.name)
                    .or_default()
                    .push(value.clone());
            }
        }
    }
}

/// An event's message and its other fields, as text.
#[derive(Default)]
struct Fields {
    message: String,
    others: Vec<(&'static str, String)>,
}

impl Visit for Fields {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.store(field, value.to_owned());
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        let mut text = String::new();
        let _ = write!(text, "{value:?}");
        self.store(field, text);
    }
}

impl Fields {
    fn store(&mut self, field: &Field, text: String) {
        if field.name() == "message" {
            self.message = text;
        } else {
            self.others.push((field.name(), text));
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn counts_matching_events_of_its_target_and_keeps_the_asked_field() {
        let tally = EventTally::new(
            "event_tally_test",
            &[
                Watch::message("sent", "response sent").keeping("rqi"),
                Watch::message("dup", "message dropped").with_field_containing("duplicate"),
            ],
        );
        tracing::dispatcher::with_default(&tally.dispatch(), || {
            tracing::debug!(target: "event_tally_test", rqi = "r1", "response sent");
            tracing::debug!(target: "event_tally_test", rqi = %"r2", "response sent");
            tracing::debug!(target: "elsewhere", rqi = "r3", "response sent");
            tracing::warn!(target: "event_tally_test", reason = "duplicate of request", "message dropped");
            tracing::warn!(target: "event_tally_test", reason = "unreadable topic", "message dropped");
        });
        assert_eq!(tally.count("sent"), 2);
        assert_eq!(tally.values("sent"), ["r1", "r2"]);
        assert_eq!(tally.count("dup"), 1);
        assert_eq!(tally.count("unknown"), 0);
    }
}
