//! The search queue of [`super::reach`]: a 4-ary min-heap of `(distance bits, key)` packed in
//! one `u128` (the distance's bits in the high 64 bits: distances are finite and ≥ 0, so their
//! bit patterns sort like the numbers; the node or layer key in the low 32).
//!
//! One comparison per pair instead of a tuple's two; four children per node halve the depth of a
//! binary heap, and the four children of a node share one or two cache lines. A pop moves the
//! hole at the root down to a leaf by branch-free selects among the children, then lets the
//! last item rise (bottom-up, as in Wegener's heapsort). The pop order is
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
            // Bottom-up: the hole at the root goes down to a leaf along the least children
            // (no comparison with `last` on the way), then `last` rises from there; it is
            // usually among the largest items, so it rises little. The way down compares
            // children only, by selects rather than branches (a search cannot predict them):
            // 12–15 % less CPU per settled node on the city fixture (BENCHMARKS.md).
            let mut i = 0;
            loop {
                let first = i * ARITY + 1;
                if let Some(kids) = items.get(first..first + ARITY) {
                    let (left, left_item) = min_of(0, kids[0], 1, kids[1]);
                    let (right, right_item) = min_of(2, kids[2], 3, kids[3]);
                    let (which, least) = min_of(left, left_item, right, right_item);
                    items[i] = least;
                    i = first + which;
                } else {
                    if first < n {
                        let mut best = first;
                        for kid in first + 1..n {
                            if items[kid] < items[best] {
                                best = kid;
                            }
                        }
                        items[i] = items[best];
                        i = best;
                    }
                    break;
                }
            }
            while i > 0 {
                let parent = (i - 1) / ARITY;
                let p = items[parent];
                if p <= last {
                    break;
                }
                items[i] = p;
                i = parent;
            }
            items[i] = last;
        }
        Some((f64::from_bits((top >> 32) as u64), top as u32))
    }
}

/// The lesser of two `(index, item)` pairs, the first on a tie.
#[inline]
fn min_of(i: usize, x: u128, j: usize, y: u128) -> (usize, u128) {
    let take = y < x;
    (if take { j } else { i }, if take { y } else { x })
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
