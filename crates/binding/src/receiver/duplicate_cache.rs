//! Requests already seen, to tell a QoS 1 redelivery from a new request.

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

use super::Outgoing;

/// Identifies a request among every originator's: who sent it (the topic's originator
/// and `fr`), and its `rqi`.
pub type RequestKey = (String, String);

/// What the cache knows about a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seen {
    /// First time: the caller now owns it and must [`DuplicateCache::answered`] it.
    New,
    /// A duplicate of a request still being handled: its response will be sent once.
    InProgress,
    /// A duplicate of a request already answered: send this again.
    Answered(Outgoing),
    /// A duplicate of a request that asked for no response.
    Unanswered,
}

#[derive(Debug)]
enum Entry {
    InProgress,
    Answered(Outgoing),
    Unanswered,
}

/// The (`fr`, `rqi`) of recent requests and their responses, so that a request the
/// broker delivers again (QoS 1 is at-least-once) is answered from here instead of being
/// executed twice (`ts-0010-facts.md` §6, item 3).
///
/// Bounded twice: an entry lives `ttl`, and beyond `capacity` entries the oldest goes
/// first. Time is a parameter: no clock is read here.
#[derive(Debug)]
pub struct DuplicateCache {
    ttl: Duration,
    capacity: usize,
    entries: HashMap<RequestKey, (Instant, Entry)>,
    order: VecDeque<(RequestKey, Instant)>,
}

impl DuplicateCache {
    /// A cache keeping each request `ttl` long, at most `capacity` of them.
    pub fn new(ttl: Duration, capacity: usize) -> Self {
        Self {
            ttl,
            capacity,
            entries: HashMap::new(),
            order: VecDeque::new(),
        }
    }

    /// Looks `key` up; a request not seen before is recorded as in progress.
    pub fn check(&mut self, key: &RequestKey, now: Instant) -> Seen {
        self.expire(now);
        match self.entries.get(key) {
            Some((_, Entry::InProgress)) => Seen::InProgress,
            Some((_, Entry::Answered(response))) => Seen::Answered(response.clone()),
            Some((_, Entry::Unanswered)) => Seen::Unanswered,
            None => {
                if self.capacity == 0 {
                    return Seen::New;
                }
                while self.entries.len() >= self.capacity {
                    if !self.evict_oldest() {
                        break;
                    }
                }
                self.entries.insert(key.clone(), (now, Entry::InProgress));
                self.order.push_back((key.clone(), now));
                Seen::New
            }
        }
    }

    /// Records the response sent to `key` (`None` for a request that wanted none).
    pub fn answered(&mut self, key: &RequestKey, response: Option<Outgoing>) {
        if let Some((_, entry)) = self.entries.get_mut(key) {
            *entry = match response {
                Some(response) => Entry::Answered(response),
                None => Entry::Unanswered,
            };
        }
    }

    /// Forgets `key`, so that a redelivery is executed again (the handler failed).
    pub fn forget(&mut self, key: &RequestKey) {
        self.entries.remove(key);
    }

    /// How many requests are remembered.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether no request is remembered.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    fn expire(&mut self, now: Instant) {
        while let Some((_, at)) = self.order.front() {
            if now.saturating_duration_since(*at) < self.ttl {
                break;
            }
            self.evict_oldest();
        }
    }

    /// Removes the oldest entry; `false` when there is none.
    fn evict_oldest(&mut self) -> bool {
        let Some((key, at)) = self.order.pop_front() else {
            return false;
        };
        // A forgotten and re-added key has a newer time: keep that one.
        if self.entries.get(&key).is_some_and(|(t, _)| *t == at) {
            self.entries.remove(&key);
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bytes::Bytes;
    use onem2m_primitive::ResponseStatusCode;

    fn key(rqi: &str) -> RequestKey {
        ("CAE01".to_owned(), rqi.to_owned())
    }

    fn answer() -> Option<Outgoing> {
        Some(Outgoing {
            topic: "/oneM2M/resp/x/y/json".to_owned(),
            payload: Bytes::from_static(b"{}"),
            rqi: Some("r1".to_owned()),
            rsc: ResponseStatusCode::OK,
        })
    }

    #[test]
    fn a_redelivered_request_gets_the_cached_response() {
        let now = Instant::now();
        let mut cache = DuplicateCache::new(Duration::from_secs(60), 10);
        assert_eq!(cache.check(&key("r1"), now), Seen::New);
        assert_eq!(cache.check(&key("r1"), now), Seen::InProgress);
        cache.answered(&key("r1"), answer());
        assert!(matches!(
            cache.check(&key("r1"), now),
            Seen::Answered(out) if out.payload == Bytes::from_static(b"{}")
        ));
    }

    #[test]
    fn the_same_rqi_from_another_originator_is_a_new_request() {
        let now = Instant::now();
        let mut cache = DuplicateCache::new(Duration::from_secs(60), 10);
        assert_eq!(cache.check(&key("r1"), now), Seen::New);
        let other = ("CAE02".to_owned(), "r1".to_owned());
        assert_eq!(cache.check(&other, now), Seen::New);
    }

    #[test]
    fn entries_expire_after_the_ttl() {
        let now = Instant::now();
        let mut cache = DuplicateCache::new(Duration::from_secs(60), 10);
        cache.check(&key("r1"), now);
        cache.answered(&key("r1"), answer());
        let later = now + Duration::from_secs(61);
        assert_eq!(cache.check(&key("r1"), later), Seen::New);
        assert_eq!(cache.len(), 1);
    }

    #[test]
    fn the_oldest_entry_goes_when_the_cache_is_full() {
        let now = Instant::now();
        let mut cache = DuplicateCache::new(Duration::from_secs(60), 2);
        cache.check(&key("a"), now);
        cache.check(&key("b"), now);
        cache.check(&key("c"), now);
        assert_eq!(cache.len(), 2);
        assert_eq!(cache.check(&key("a"), now), Seen::New, "a was evicted");
        assert_eq!(cache.check(&key("c"), now), Seen::InProgress);
    }

    #[test]
    fn a_forgotten_request_runs_again() {
        let now = Instant::now();
        let mut cache = DuplicateCache::new(Duration::from_secs(60), 10);
        cache.check(&key("r1"), now);
        cache.forget(&key("r1"));
        assert_eq!(cache.check(&key("r1"), now), Seen::New);
    }

    #[test]
    fn a_request_that_wanted_no_response_stays_unanswered() {
        let now = Instant::now();
        let mut cache = DuplicateCache::new(Duration::from_secs(60), 10);
        cache.check(&key("r1"), now);
        cache.answered(&key("r1"), None);
        assert_eq!(cache.check(&key("r1"), now), Seen::Unanswered);
    }
}
