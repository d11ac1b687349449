//! Requests awaiting their response, found by `rqi`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use onem2m_primitive::ResponsePrimitive;
use tokio::sync::oneshot;

use crate::Error;

/// The requests an originator has sent and awaits a response to, keyed by `rqi`, at most
/// `limit` at once.
///
/// [`PendingRequests::register`] reserves a place before the request is published, so a
/// response can never arrive before its waiter; [`PendingRequests::resolve`] hands a
/// response to the waiter with its `rqi`. A [`PendingResponse`] dropped before its answer
/// (a timeout, a cancelled future) takes its entry with it, so the map never holds
/// requests nobody waits for. No IO, no clock: timeouts belong to the caller.
#[derive(Debug)]
pub struct PendingRequests {
    limit: usize,
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    /// Tells a waiter apart from a later one with the same `rqi`, so that a late drop
    /// never removes its successor.
    next_ticket: u64,
    waiting: HashMap<String, (u64, oneshot::Sender<ResponsePrimitive>)>,
}

impl PendingRequests {
    /// A map holding at most `limit` requests.
    pub fn new(limit: usize) -> Arc<Self> {
        Arc::new(Self {
            limit,
            state: Mutex::new(State::default()),
        })
    }

    /// Reserves a place for the response to the request `rqi`.
    ///
    /// Fails with [`Error::PendingFull`] when `limit` requests are outstanding, and with
    /// [`Error::DuplicateRequestId`] when `rqi` is already awaited.
    pub fn register(self: &Arc<Self>, rqi: &str) -> Result<PendingResponse, Error> {
        let mut state = self.lock();
        if state.waiting.contains_key(rqi) {
            return Err(Error::DuplicateRequestId(rqi.to_owned()));
        }
        if state.waiting.len() >= self.limit {
            return Err(Error::PendingFull { limit: self.limit });
        }
        let (tx, rx) = oneshot::channel();
        let ticket = state.next_ticket;
        state.next_ticket += 1;
        state.waiting.insert(rqi.to_owned(), (ticket, tx));
        Ok(PendingResponse {
            rqi: rqi.to_owned(),
            ticket,
            map: Arc::clone(self),
            rx,
        })
    }

    /// Hands `response` to the request with its `rqi`; gives it back when nobody waits
    /// for it (unknown or missing `rqi`, or the waiter gave up).
    pub fn resolve(&self, response: ResponsePrimitive) -> Result<(), Box<ResponsePrimitive>> {
        let Some(rqi) = response.rqi.as_deref() else {
            return Err(Box::new(response));
        };
        let Some((_, tx)) = self.lock().waiting.remove(rqi) else {
            return Err(Box::new(response));
        };
        tx.send(response).map_err(Box::new)
    }

    /// Drops every waiter: each of them gets [`Error::Closed`].
    pub fn close_all(&self) {
        self.lock().waiting.clear();
    }

    /// How many requests await a response.
    pub fn len(&self) -> usize {
        self.lock().waiting.len()
    }

    /// Whether no request awaits a response.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The most requests that may await a response at once.
    pub fn limit(&self) -> usize {
        self.limit
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // The map stays consistent whatever panicked while holding it: every change is
        // a single insert or remove.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn forget(&self, rqi: &str, ticket: u64) {
        let mut state = self.lock();
        if state.waiting.get(rqi).is_some_and(|(t, _)| *t == ticket) {
            state.waiting.remove(rqi);
        }
    }
}

/// The place reserved for one response. Await it with [`PendingResponse::receive`];
/// dropping it frees the place.
#[derive(Debug)]
pub struct PendingResponse {
    rqi: String,
    ticket: u64,
    map: Arc<PendingRequests>,
    rx: oneshot::Receiver<ResponsePrimitive>,
}

impl PendingResponse {
    /// The request identifier awaited.
    pub fn rqi(&self) -> &str {
        &self.rqi
    }

    /// Waits for the response; [`Error::Closed`] if the binding shut down first.
    ///
    /// Cancel safety: dropping the future drops the reservation; the response, if it
    /// comes later, is logged and dropped.
    pub async fn receive(mut self) -> Result<ResponsePrimitive, Error> {
        (&mut self.rx).await.map_err(|_| Error::Closed)
    }
}

impl Drop for PendingResponse {
    fn drop(&mut self) {
        self.map.forget(&self.rqi, self.ticket);
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use onem2m_primitive::ResponseStatusCode;

    fn response(rqi: &str) -> ResponsePrimitive {
        ResponsePrimitive::new(ResponseStatusCode::OK, rqi)
    }

    #[tokio::test]
    async fn a_response_reaches_the_waiter_with_its_rqi() {
        let map = PendingRequests::new(10);
        let a = map.register("a").unwrap();
        let b = map.register("b").unwrap();
        map.resolve(response("b")).unwrap();
        map.resolve(response("a")).unwrap();
        assert_eq!(a.receive().await.unwrap().rqi.as_deref(), Some("a"));
        assert_eq!(b.receive().await.unwrap().rqi.as_deref(), Some("b"));
        assert!(map.is_empty());
    }

    #[test]
    fn a_response_nobody_waits_for_is_given_back() {
        let map = PendingRequests::new(10);
        let unknown = map.resolve(response("nobody")).unwrap_err();
        assert_eq!(unknown.rqi.as_deref(), Some("nobody"));
        let mut no_rqi = response("x");
        no_rqi.rqi = None;
        assert!(map.resolve(no_rqi).is_err());
    }

    #[test]
    fn the_limit_refuses_one_more_request_until_a_place_frees() {
        let map = PendingRequests::new(2);
        let a = map.register("a").unwrap();
        let _b = map.register("b").unwrap();
        assert!(matches!(
            map.register("c"),
            Err(Error::PendingFull { limit: 2 })
        ));
        drop(a);
        assert!(map.register("c").is_ok());
    }

    #[test]
    fn the_same_rqi_cannot_be_awaited_twice() {
        let map = PendingRequests::new(10);
        let _a = map.register("a").unwrap();
        assert!(matches!(
            map.register("a"),
            Err(Error::DuplicateRequestId(rqi)) if rqi == "a"
        ));
    }

    #[test]
    fn a_dropped_waiter_frees_its_place_and_its_late_response_is_refused() {
        let map = PendingRequests::new(10);
        drop(map.register("a").unwrap());
        assert!(map.is_empty());
        assert!(map.resolve(response("a")).is_err());
    }

    #[test]
    fn a_late_drop_does_not_remove_a_newer_waiter_with_the_same_rqi() {
        let map = PendingRequests::new(10);
        let old = map.register("a").unwrap();
        map.resolve(response("a")).unwrap();
        let _new = map.register("a").unwrap();
        drop(old);
        assert_eq!(map.len(), 1);
    }

    #[tokio::test]
    async fn closing_the_map_wakes_every_waiter_with_closed() {
        let map = PendingRequests::new(10);
        let a = map.register("a").unwrap();
        map.close_all();
        assert!(matches!(a.receive().await, Err(Error::Closed)));
    }
}
