//! The filters the driver keeps subscribed across lost sessions.

use onem2m_mqtt_proto::{SubscribeFilter, TopicFilter};

/// How many filters one re-SUBSCRIBE carries, to stay well below any packet limit.
const BATCH: usize = 32;
/// How a shared subscription's filter starts (MQTT 5, and brokers' 3.1.1 extension).
const SHARED_PREFIX: &str = "$share/";

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

    /// The filters in SUBSCRIBE-sized groups.
    pub(crate) fn batches(&self) -> impl Iterator<Item = Vec<SubscribeFilter>> + '_ {
        self.0.chunks(BATCH).map(<[SubscribeFilter]>::to_vec)
    }

    /// The shared subscriptions (`$share/<group>/...`) in SUBSCRIBE-sized groups. A
    /// broker may keep a session and lose its shared subscriptions: Mosquitto 2.0.11
    /// restores a persistent session from its persistence file after a restart, but
    /// not the session's `$share` subscriptions, so the member gets nothing any more.
    /// Subscribing to an existing filter again only replaces it (MQTT 3.1.1, 3.8.4).
    pub(crate) fn shared_batches(&self) -> Vec<Vec<SubscribeFilter>> {
        let shared: Vec<SubscribeFilter> = self
            .0
            .iter()
            .filter(|f| f.filter.as_str().starts_with(SHARED_PREFIX))
            .cloned()
            .collect();
        shared
            .chunks(BATCH)
            .map(<[SubscribeFilter]>::to_vec)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use onem2m_mqtt_proto::QoS;

    use super::*;

    fn filter(text: &str) -> SubscribeFilter {
        SubscribeFilter::new(TopicFilter::try_from(text).unwrap(), QoS::AtLeastOnce)
    }

    #[test]
    fn only_shared_filters_are_subscribed_again_over_a_kept_session() {
        let subscriptions = Subscriptions::new(vec![
            filter("$share/gw//oneM2M/req/+/id-in/+"),
            filter("/oneM2M/resp/id-in/+/+"),
            filter("$share/gw//oneM2M/reg_req/+/id-in/+"),
        ]);
        assert_eq!(
            subscriptions.shared_batches(),
            vec![vec![
                filter("$share/gw//oneM2M/req/+/id-in/+"),
                filter("$share/gw//oneM2M/reg_req/+/id-in/+"),
            ]]
        );
        assert!(
            Subscriptions::new(vec![filter("/oneM2M/resp/id-in/+/+")])
                .shared_batches()
                .is_empty()
        );
    }
}
