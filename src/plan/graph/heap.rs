//! The search queue of [`super::reach`]: a 4-ary min-heap of `(distance bits, key)` packed in
//! one `u128` (the distance's bits in the high 64 bits: distances are finite and ≥ 0, so their
//! bit patterns sort like the numbers; the node or layer key in the low 32).
//!
//! One comparison per pair instead of a tuple's two; four children per node halve the depth of a
//! binary heap, and the four children of a node share one or two cache lines. The pop order is
//! the total order of the packed items, exactly that of a binary heap of `Reverse((bits, key))`:
//! searches give the same results, ties included. Push and pop are O(log₄ n).

/// A 4-ary min-heap of packed `(distance bits, key)` items (see the module documentation).
#[derive(Debug, Clone, Default)]
pub(crate) struct QuadHeap {
    items: Vec<u128>,
}

const ARITY: usize = 4;

impl QuadHeap {
    /// Removes every item (keeps the allocation).
    pub(crate) fn clear(&mut self) {
        self.items.clear();
    }

    /// Adds distance `d` (finite, ≥ 0, not −0.0) for `key`.
    #[inline]
    pub(crate) fn push(&mut self, d: f64, key: u32) {
        let item = (u128::from(d.to_bits()) << 32) | u128::from(key);
        let items = &mut self.items;
        let mut i = items.len();
        items.push(item);
        while i > 0 {
            let parent = (i - 1) / ARITY;
            let p = items[parent];
            if p <= item {
                break;
            }
            items[i] = p;
            i = parent;
        }
        items[i] = item;
    }

    /// Removes and returns the least item: `(distance, key)`.
    #[inline]
    pub(crate) fn pop(&mut self) -> Option<(f64, u32)> {
        let items = &mut self.items;
        let top = *items.first()?;
        let last = items.pop()?;
        let n = items.len();
        if n > 0 {
            let mut i = 0;
            loop {
                let first = i * ARITY + 1;
                if first >= n {
                    break;
                }
                let end = (first + ARITY).min(n);
                let mut best = first;
                let mut best_item = items[first];
                for (c, &x) in items[first + 1..end].iter().enumerate() {
                    if x < best_item {
                        best_item = x;
                        best = first + 1 + c;
                    }
                }
                if best_item >= last {
                    break;
                }
                items[i] = best_item;
                i = best;
            }
            items[i] = last;
        }
        Some((f64::from_bits((top >> 32) as u64), top as u32))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cmp::Reverse;
    use std::collections::BinaryHeap;

    /// Pops in exactly the order of a binary heap of `Reverse((bits, key))`, with interleaved
    /// pushes and pops, duplicates and ties on the distance.
    #[test]
    fn pops_in_the_order_of_a_binary_heap() {
        let mut x = 0x2545_F491_4F6C_DD1Du64;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let (mut q, mut b) = (QuadHeap::default(), BinaryHeap::new());
        for round in 0..20_000 {
            if next() % 3 != 0 || b.is_empty() {
                let d = (next() % 500) as f64 * 0.5;
                let key = (next() % 64) as u32;
                q.push(d, key);
                b.push(Reverse((d.to_bits(), key)));
            } else {
                let Reverse((bits, key)) = b.pop().unwrap();
                assert_eq!(q.pop(), Some((f64::from_bits(bits), key)), "round {round}");
            }
        }
        while let Some(Reverse((bits, key))) = b.pop() {
            assert_eq!(q.pop(), Some((f64::from_bits(bits), key)));
        }
        assert_eq!(q.pop(), None);
        q.push(1.0, 1);
        q.clear();
        assert_eq!(q.pop(), None);
    }
}
