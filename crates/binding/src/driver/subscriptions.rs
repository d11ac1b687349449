//! The filters the driver keeps subscribed across lost sessions.

use onem2m_mqtt_proto::{SubscribeFilter, TopicFilter};

/// How many filters one re-SUBSCRIBE carries, to stay well below any packet limit.
const BATCH: usize = 32;

/// Granted subscriptions, one entry per filter (the latest QoS wins).
#[derive(Debug, Default)]
pub(crate) struct Subscriptions(Vec<SubscribeFilter>);

impl Subscriptions {
    pub(crate) fn new(filters: Vec<SubscribeFilter>) -> Self {
        let mut s = Self::default();
        for f in filters {
            s.add(f);
        }
        s
    }

    pub(crate) fn add(&mut self, filter: SubscribeFilter) {
        match self.0.iter_mut().find(|f| f.filter == filter.filter) {
            Some(existing) => existing.qos = filter.qos,
            None => self.0.push(filter),
        }
    }

    pub(crate) fn remove(&mut self, filter: &TopicFilter) {
        self.0.retain(|f| &f.filter != filter);
    }

    pub(crate) fn len(&self) -> usize {
        self.0.len()
    }

    /// The filters in SUBSCRIBE-sized groups.
    pub(crate) fn batches(&self) -> impl Iterator<Item = Vec<SubscribeFilter>> + '_ {
        self.0.chunks(BATCH).map(<[SubscribeFilter]>::to_vec)
    }
}
