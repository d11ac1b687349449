//! The driver's end of the event channel, with its backpressure rule.

use std::collections::VecDeque;

use tokio::sync::mpsc;

use super::ClientEvent;

/// Connection events kept while messages wait for room; more are dropped.
const MAX_PARKED: usize = 64;

/// Sends events to the application without ever blocking the driver.
///
/// A message that finds the channel full is parked, and the driver stops
/// decoding input until it has gone out: memory stays bounded and TCP pushes
/// back on the broker. Connection events never park on their own (a
/// publish-only application that ignores events must not stall); they queue
/// behind parked messages to keep the order, or are dropped.
#[derive(Debug)]
pub(crate) struct EventSink {
    pub(crate) tx: mpsc::Sender<ClientEvent>,
    pub(crate) parked: VecDeque<ClientEvent>,
    app_gone: bool,
}

impl EventSink {
    pub(crate) fn new(tx: mpsc::Sender<ClientEvent>) -> Self {
        Self {
            tx,
            parked: VecDeque::new(),
            app_gone: false,
        }
    }

    /// Whether input must wait for the application.
    pub(crate) fn is_blocked(&self) -> bool {
        !self.parked.is_empty()
    }

    pub(crate) fn message(&mut self, event: ClientEvent) {
        if self.app_gone {
            return;
        }
        if !self.parked.is_empty() {
            self.parked.push_back(event);
            return;
        }
        match self.tx.try_send(event) {
            Ok(()) => {}
            Err(mpsc::error::TrySendError::Full(event)) => self.parked.push_back(event),
            Err(mpsc::error::TrySendError::Closed(_)) => self.app_gone = true,
        }
    }

    pub(crate) fn status(&mut self, event: ClientEvent) {
        if self.app_gone {
            return;
        }
        if !self.parked.is_empty() {
            if self.parked.len() < MAX_PARKED {
                self.parked.push_back(event);
            }
            return;
        }
        match self.tx.try_send(event) {
            Ok(()) => {}
            Err(mpsc::error::TrySendError::Full(event)) => {
                tracing::debug!(?event, "event channel full; connection event dropped");
            }
            Err(mpsc::error::TrySendError::Closed(_)) => self.app_gone = true,
        }
    }

    /// The application dropped its receiver: stop parking.
    pub(crate) fn app_gone(&mut self) {
        self.app_gone = true;
        self.parked.clear();
    }
}
