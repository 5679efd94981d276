//! A bounded cache of cut tiles: at most `capacity` entries, the least recently used one
//! dropped first, so a long pan over a city keeps the worker's memory flat.
//!
//! Cost: O(capacity) per access (a scan of a short deque; tiles in view are a few dozen).

use std::collections::VecDeque;

/// Least-recently-used cache of `capacity` values.
#[derive(Debug)]
pub struct TileCache<K, V> {
    capacity: usize,
    /// Oldest first.
    items: VecDeque<(K, V)>,
}

impl<K: PartialEq, V> TileCache<K, V> {
    /// An empty cache holding at most `capacity` (at least one) values.
    #[must_use]
    pub fn new(capacity: usize) -> Self {
        Self {
            capacity: capacity.max(1),
            items: VecDeque::new(),
        }
    }

    /// The value under `key`, now the most recently used.
    pub fn get(&mut self, key: &K) -> Option<&V> {
        let i = self.items.iter().position(|(k, _)| k == key)?;
        let item = self.items.remove(i)?;
        self.items.push_back(item);
        self.items.back().map(|(_, v)| v)
    }

    /// Stores `value` under `key` (replacing an older one), dropping the least recently used
    /// value when full.
    pub fn put(&mut self, key: K, value: V) {
        if let Some(i) = self.items.iter().position(|(k, _)| *k == key) {
            self.items.remove(i);
        }
        while self.items.len() >= self.capacity {
            self.items.pop_front();
        }
        self.items.push_back((key, value));
    }

    /// Number of values held.
    #[must_use]
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// True when nothing is held.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The values held (for their memory).
    pub fn values(&self) -> impl Iterator<Item = &V> {
        self.items.iter().map(|(_, v)| v)
    }

    /// Drops every value.
    pub fn clear(&mut self) {
        self.items.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holds_at_most_its_capacity_and_drops_the_least_recently_used() {
        let mut c = TileCache::new(3);
        for k in 0..3 {
            c.put(k, k * 10);
        }
        assert_eq!(c.get(&0), Some(&0)); // 0 is now the most recent
        c.put(3, 30); // drops 1
        assert_eq!(c.len(), 3);
        assert_eq!(c.get(&1), None);
        assert_eq!(c.get(&0), Some(&0));
        assert_eq!(c.get(&3), Some(&30));
        c.put(3, 31);
        assert_eq!((c.len(), c.get(&3)), (3, Some(&31)));
        for k in 10..100 {
            c.put(k, k);
            assert!(c.len() <= 3);
        }
    }
}
