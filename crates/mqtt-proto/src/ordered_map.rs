//! A map keyed by packet id that remembers insertion order: outgoing
//! messages must be resent in the order they were first published
//! (MQTT 4.6), and acks remove them in any order.

use std::collections::{BTreeMap, HashMap};

use crate::codec::PacketId;

#[derive(Debug, Clone)]
pub(crate) struct OrderedMap<T> {
    by_seq: BTreeMap<u64, (PacketId, T)>,
    seq_of: HashMap<PacketId, u64>,
    next_seq: u64,
}

impl<T> Default for OrderedMap<T> {
    fn default() -> Self {
        Self {
            by_seq: BTreeMap::new(),
            seq_of: HashMap::new(),
            next_seq: 0,
        }
    }
}

impl<T> OrderedMap<T> {
    /// Appends, or replaces in place when `pkid` is already there.
    pub(crate) fn insert(&mut self, pkid: PacketId, value: T) {
        if let Some(seq) = self.seq_of.get(&pkid)
            && let Some(slot) = self.by_seq.get_mut(seq)
        {
            slot.1 = value;
            return;
        }
        let seq = self.next_seq;
        self.next_seq += 1;
        self.seq_of.insert(pkid, seq);
        self.by_seq.insert(seq, (pkid, value));
    }

    pub(crate) fn remove(&mut self, pkid: PacketId) -> Option<T> {
        let seq = self.seq_of.remove(&pkid)?;
        self.by_seq.remove(&seq).map(|(_, v)| v)
    }

    pub(crate) fn get(&self, pkid: PacketId) -> Option<&T> {
        self.seq_of
            .get(&pkid)
            .and_then(|seq| self.by_seq.get(seq))
            .map(|(_, v)| v)
    }

    pub(crate) fn get_mut(&mut self, pkid: PacketId) -> Option<&mut T> {
        let seq = self.seq_of.get(&pkid)?;
        self.by_seq.get_mut(seq).map(|(_, v)| v)
    }

    pub(crate) fn values(&self) -> impl Iterator<Item = &T> {
        self.by_seq.values().map(|(_, v)| v)
    }

    pub(crate) fn len(&self) -> usize {
        self.by_seq.len()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn id(n: u16) -> PacketId {
        PacketId::new(n).unwrap()
    }

    #[test]
    fn replacing_keeps_the_original_position() {
        let mut m = OrderedMap::default();
        m.insert(id(5), "a");
        m.insert(id(1), "b");
        m.insert(id(9), "c");
        m.insert(id(1), "B");
        assert_eq!(m.values().copied().collect::<Vec<_>>(), ["a", "B", "c"]);
        assert_eq!(m.remove(id(5)), Some("a"));
        m.insert(id(5), "d");
        assert_eq!(m.values().copied().collect::<Vec<_>>(), ["B", "c", "d"]);
        assert_eq!(m.len(), 3);
    }
}
