//! One packet-id allocator for PUBLISH, SUBSCRIBE and UNSUBSCRIBE: it never
//! hands out an id still in use (MQTT-2.3.1-2, -4).

use crate::codec::PacketId;

const WORDS: usize = 65_536 / 64;

/// Hands out ids round-robin, skipping those in use, so that a recently
/// released id is not reused at once either.
#[derive(Debug, Clone)]
pub(crate) struct PacketIdAllocator {
    in_use: Box<[u64; WORDS]>,
    count: usize,
    next: u16,
}

impl Default for PacketIdAllocator {
    fn default() -> Self {
        Self {
            in_use: Box::new([0; WORDS]),
            count: 0,
            next: 1,
        }
    }
}

impl PacketIdAllocator {
    fn bit(id: PacketId) -> (usize, u64) {
        let n = usize::from(id.get());
        (n / 64, 1 << (n % 64))
    }

    /// Marks `id` as used (an id loaded from a store); false if it already was.
    pub(crate) fn claim(&mut self, id: PacketId) -> bool {
        let (w, b) = Self::bit(id);
        if self.in_use[w] & b != 0 {
            return false;
        }
        self.in_use[w] |= b;
        self.count += 1;
        true
    }

    pub(crate) fn release(&mut self, id: PacketId) {
        let (w, b) = Self::bit(id);
        if self.in_use[w] & b != 0 {
            self.in_use[w] &= !b;
            self.count -= 1;
        }
    }

    /// The next free id, or `None` when all 65,535 are in use.
    pub(crate) fn allocate(&mut self) -> Option<PacketId> {
        if self.count >= usize::from(u16::MAX) {
            return None;
        }
        loop {
            let candidate = PacketId::new(self.next);
            self.next = self.next.checked_add(1).unwrap_or(1);
            if let Some(id) = candidate
                && self.claim(id)
            {
                return Some(id);
            }
        }
    }

    #[cfg(test)]
    pub(crate) fn in_use(&self) -> usize {
        self.count
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use proptest::prelude::*;
    use std::collections::HashSet;

    #[test]
    fn ids_wrap_from_65535_to_1_and_skip_ids_in_use() {
        let mut a = PacketIdAllocator::default();
        let first = a.allocate().unwrap();
        assert_eq!(first.get(), 1);
        a.next = u16::MAX;
        assert_eq!(a.allocate().unwrap().get(), u16::MAX);
        // 1 is still in use: wrap past it to 2.
        assert_eq!(a.allocate().unwrap().get(), 2);
    }

    #[test]
    fn exhaustion_is_reported_not_looped_on() {
        let mut a = PacketIdAllocator::default();
        for _ in 0..u16::MAX {
            assert!(a.allocate().is_some());
        }
        assert_eq!(a.allocate(), None);
        a.release(PacketId::new(777).unwrap());
        assert_eq!(a.allocate(), PacketId::new(777));
    }

    proptest! {
        /// Whatever the interleaving of allocations and releases, an id is
        /// never handed out while it is still in use.
        #[test]
        fn never_hands_out_an_id_in_use(
            ops in proptest::collection::vec((any::<bool>(), any::<prop::sample::Index>()), 1..2000),
            start in 1u16..=u16::MAX,
        ) {
            let mut a = PacketIdAllocator { next: start, ..Default::default() };
            let mut live: Vec<PacketId> = Vec::new();
            let mut set: HashSet<PacketId> = HashSet::new();
            for (alloc, index) in ops {
                if alloc || live.is_empty() {
                    let id = a.allocate().unwrap();
                    prop_assert!(set.insert(id), "{id:?} handed out twice");
                    live.push(id);
                } else {
                    let id = live.swap_remove(index.index(live.len()));
                    set.remove(&id);
                    a.release(id);
                }
                prop_assert_eq!(a.in_use(), set.len());
            }
        }
    }
}
