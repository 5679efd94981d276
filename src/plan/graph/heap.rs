//! The search queue of [`super::reach`]: a 4-ary min-heap of `(distance bits, key)` packed in
//! one `u128` (the distance's bits in the high 64 bits: distances are finite and ≥ 0, so their
//! bit patterns sort like the numbers; the node or layer key in the low 32).
//!
//! One comparison per pair instead of a tuple's two; four children per node halve the depth of a
//! binary heap, and the four children of a node share one or two cache lines. A pop moves the
//! hole at the root down to a leaf by branch-free selects among the children, then lets the
//! last item rise (bottom-up, as in Wegener's heapsort). The slots past the last item hold
//! `u128::MAX` (never less than an item), so that every node has four children to compare and
//! the way down takes a number of steps set by the heap's size alone: a branch predictor, which
//! cannot learn where a search's distances lead, has nothing to guess there. The pop order is
//! the total order of the packed items, exactly that of a binary heap of `Reverse((bits, key))`:
//! searches give the same results, ties included. Push and pop are O(log₄ n).

/// A 4-ary min-heap of packed `(distance bits, key)` items (see the module documentation).
#[derive(Debug, Clone, Default)]
pub(crate) struct QuadHeap {
    /// The heap in `items[..len]`; `u128::MAX` in `items[len..]`, at least `4 × len + 5` long.
    items: Vec<u128>,
    len: usize,
}

/// What fills the slots past the last item.
const EMPTY: u128 = u128::MAX;

const ARITY: usize = 4;

impl QuadHeap {
    /// Removes every item (keeps the allocation).
    pub(crate) fn clear(&mut self) {
        self.items[..self.len].fill(EMPTY);
        self.len = 0;
    }

    /// Adds distance `d` (finite, ≥ 0, not −0.0) for `key`.
    #[inline]
    pub(crate) fn push(&mut self, d: f64, key: u32) {
        let item = (u128::from(d.to_bits()) << 32) | u128::from(key);
        let mut i = self.len;
        self.len += 1;
        if self.items.len() < ARITY * self.len + ARITY + 1 {
            self.items.resize(2 * (ARITY * self.len + ARITY + 1), EMPTY);
        }
        let items = &mut self.items;
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
        let n = self.len.checked_sub(1)?;
        self.len = n;
        let items = &mut self.items;
        let top = items[0];
        let last = std::mem::replace(&mut items[n], EMPTY);
        if n > 0 {
            // Bottom-up: the hole at the root goes down to a leaf along the least children
            // (no comparison with `last` on the way), then `last` rises from there; it is
            // usually among the largest items, so it rises little. The way down compares
            // children only, by selects rather than branches (a search cannot predict them):
            // 12–15 % less CPU per settled node on the city fixture (BENCHMARKS.md). Slots
            // `0..n` are the hole and the items: every level above the deepest one's is full,
            // so the hole has four items below it down to the level above the deepest, and
            // goes there without a test; from there it steps once more if it has a child.
            let deepest = level(n - 1);
            let mut i = 0;
            for _ in 0..deepest {
                let first = i * ARITY + 1;
                let kids = &items[first..first + ARITY];
                let (left, left_item) = min_of(0, kids[0], 1, kids[1]);
                let (right, right_item) = min_of(2, kids[2], 3, kids[3]);
                let (which, least) = min_of(left, left_item, right, right_item);
                let down = first < n;
                items[i] = least;
                i = if down { first + which } else { i };
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

/// Number of ancestors of slot `i` in a 4-ary heap (0 for the root, 1 for slots 1..5, 2 for
/// 5..21, …).
#[inline]
fn level(i: usize) -> u32 {
    (usize::BITS - 1 - (3 * i + 1).leading_zeros()) / 2
}

/// What a search loop needs of its queue: pushes of `(distance, key)`, and pops that never
/// return a distance below the bucket of one popped before (the heap: the least item).
pub(crate) trait Queue {
    /// Adds distance `d` (finite, ≥ 0, not −0.0) for `key`.
    fn push(&mut self, d: f64, key: u32);
    /// Removes and returns an item (see [`QuadHeap::pop`], [`Buckets::pop`]).
    fn pop(&mut self) -> Option<(f64, u32)>;
}

impl Queue for QuadHeap {
    #[inline]
    fn push(&mut self, d: f64, key: u32) {
        QuadHeap::push(self, d, key);
    }

    #[inline]
    fn pop(&mut self) -> Option<(f64, u32)> {
        QuadHeap::pop(self)
    }
}

/// A bucket queue over `[0, limit]`, for the searches that read only distances (the
/// multi-source searches of coverage). Bucket `b` holds the items with `⌊d / width⌋ = b` in
/// no order; [`Buckets::pop`] takes the last item of the lowest non-empty bucket. A search that
/// pops from it is label-correcting within a bucket: an item pushed into the bucket being
/// emptied (across an arc shorter than the width) is popped in turn, and a node whose distance
/// fell after it was popped is popped again. Its distances are the heap's, bit for bit: at the
/// end every node holds the least of its paths' left-to-right sums (adding a length ≥ 0 never
/// lowers a sum, so no order can end elsewhere); only which of two equal paths (its source,
/// its predecessor) wins may differ.
///
/// Push and pop are O(1), plus the [`Buckets::COUNT`] buckets passed once a run. At whole-graph
/// size (a search of 290,000 nodes from 2,000 sources) the heap's pop goes from root to leaf
/// through 10⁵ items, most of them out of cache; here a pop reads the end of one list.
#[derive(Debug, Clone, Default)]
pub(crate) struct Buckets {
    lists: Vec<Vec<(f64, u32)>>,
    /// Buckets per metre (1 / the width).
    per_m: f64,
    /// The bucket being emptied.
    at: usize,
}

impl Buckets {
    /// Number of buckets over the limit (≈ 1.8 m each for coverage's 30-minute horizon).
    pub(crate) const COUNT: usize = 1024;

    /// Empty buckets over `[0, limit_m]` (finite, > 0; keeps the allocations).
    pub(crate) fn reset(&mut self, limit_m: f64) {
        for l in &mut self.lists {
            l.clear();
        }
        self.lists.resize_with(Self::COUNT + 1, Vec::new);
        self.per_m = Self::COUNT as f64 / limit_m;
        self.at = 0;
    }

    /// Moves up to `max` items of the lowest non-empty bucket into `out` (cleared first);
    /// false when every bucket is empty.
    pub(crate) fn pop_batch(&mut self, out: &mut Vec<(f64, u32)>, max: usize) -> bool {
        out.clear();
        loop {
            let Some(list) = self.lists.get_mut(self.at) else {
                return false;
            };
            if !list.is_empty() {
                // The last `max` items, in their order (`drain(from..)`, without an iterator
                // step per item at the browser's opt-level).
                let from = list.len().saturating_sub(max);
                out.extend_from_slice(&list[from..]);
                list.truncate(from);
                return true;
            }
            self.at += 1;
        }
    }
}

impl Queue for Buckets {
    // Always inlined: once per improvement of a whole-network search (see `pop_batch`).
    #[allow(clippy::inline_always)] // otherwise a call at the browser's opt-level z
    #[inline(always)]
    fn push(&mut self, d: f64, key: u32) {
        // A saturating conversion: a distance ≤ the limit lands in 0..=COUNT. Never below the
        // bucket being emptied (a push there is popped in turn).
        let b = ((d * self.per_m) as usize).clamp(self.at, Self::COUNT);
        self.lists[b].push((d, key));
    }

    #[inline]
    fn pop(&mut self) -> Option<(f64, u32)> {
        loop {
            if let Some(item) = self.lists.get_mut(self.at)?.pop() {
                return Some(item);
            }
            self.at += 1;
        }
    }
}

/// A bucket queue for the bounded searches of [`super::reach`] that pops in exactly the
/// [`QuadHeap`]'s order. Bucket `b` holds the items with `⌊d × COUNT / limit⌋ = b` (a distance
/// ≤ the limit lands in `0..=COUNT`) as a list; a pop takes the least packed item (as the
/// heap's: distance bits, then key) of the lowest non-empty bucket. The bucket grows with the
/// distance, so that item is the least of all, as the heap's pop; the items differ pairwise (a
/// search pushes a node only at a distance below its last), so the pop sequence is the heap's
/// item for item, and a search over it ends with the same distances, sources, predecessors and
/// order of first reach, ties and zero-length arcs included. Pushes never go below the bucket
/// of the last pop (a search's never do: `d + length ≥ d`).
///
/// A push links the item in front of its bucket's list: no loop, no comparison with other
/// items, where the heap's push lets the item rise and its pop moves the last item down and up
/// again, steps whose count follows the distances (the branch predictor cannot learn them over
/// different searches). A pop finds the bucket from a bitmap (one word per 64 buckets, ≈ 28 m
/// of a 15-minute walk; a word of its non-empty words) and takes the least of its list (one item
/// mostly, ≈ 0.44 m a bucket: 2,047 buckets leave a list of more than one item at 5 % of pops
/// where 1,024 left it at 9 %, and the least item is found without a loop).
/// Natively 10–15 % less CPU per settled node over 200 different searches on the city fixture
/// (BENCHMARKS.md, s12-search); the browser's module keeps the heap (its size budget).
#[cfg_attr(target_arch = "wasm32", allow(dead_code))]
#[derive(Debug, Clone, Default)]
pub(crate) struct ExactBuckets {
    /// The first item of each bucket's list (an index into `pool`); `NIL`: empty. `HEADS` long
    /// after the first reset, and read as an array of that length ([`ExactLoop`]), so that an
    /// index bounded by [`ExactBuckets::COUNT`] needs no check. (Not a boxed array: the search
    /// takes the queue out of its buffers with `mem::take`, which would allocate a default one
    /// a run.)
    heads: Vec<u32>,
    /// Bit `b % 64` of word `b / 64`: bucket `b` is not empty.
    bits: [u64; ExactBuckets::WORDS],
    /// The pushed items in `pool[..top]`, each with the index of the next item of its list.
    pool: Vec<Slot>,
    /// Buckets per metre.
    per_m: f64,
    top: usize,
    /// Bit `w`: word `w` of `bits` is not zero (a pop finds the lowest bucket in two
    /// `trailing_zeros`, without a loop over empty words).
    words: u32,
}

// A bit of `ExactBuckets::words` for each word of its bitmap.
const _: () = assert!(ExactBuckets::WORDS <= u32::BITS as usize);

/// An item of [`ExactBuckets`] (its distance's bits and key: compared as [`QuadHeap`]'s packed
/// items) and the next item of its list.
#[derive(Debug, Clone, Copy, Default)]
struct Slot {
    bits: u64,
    key: u32,
    next: u32,
}

impl Slot {
    /// The item as [`QuadHeap`] packs it (distance bits, then key).
    #[inline]
    fn item(self) -> u128 {
        (u128::from(self.bits) << 32) | u128::from(self.key)
    }
}

const NIL: u32 = u32::MAX;

/// `2⁵²`: a non-negative `x` below `2³¹` added to it leaves `x` rounded to an integer in the low
/// bits of the sum's representation (round to nearest: a monotone map, as a bucket needs).
const ROUND: f64 = 4_503_599_627_370_496.0;

#[cfg_attr(target_arch = "wasm32", allow(dead_code))]
impl ExactBuckets {
    /// Number of buckets below the limit (the limit itself is in bucket `COUNT`): 2,048 lists,
    /// 32 words of the bitmap, one bit each in `words`.
    pub(crate) const COUNT: usize = 2047;
    /// Number of lists: the buckets below the limit and the limit's.
    const HEADS: usize = Self::COUNT + 1;
    const WORDS: usize = Self::HEADS.div_ceil(64);

    /// Empty buckets over `[0, limit_m]` (finite, > 0; keeps the allocations).
    pub(crate) fn reset(&mut self, limit_m: f64) {
        if self.heads.len() != Self::HEADS || self.bits.iter().any(|&w| w != 0) {
            // First use, or a run that did not pop everything: every list empty again.
            self.heads.clear();
            self.heads.resize(Self::HEADS, NIL);
            self.bits = [0; Self::WORDS];
        }
        self.per_m = Self::COUNT as f64 / limit_m;
        self.top = 0;
        self.words = 0;
    }

    /// Runs `f` on the queue as an [`ExactLoop`] (after a reset).
    #[allow(clippy::inline_always)]
    #[inline(always)]
    pub(crate) fn with_loop<R>(&mut self, f: impl FnOnce(&mut ExactLoop<'_>) -> R) -> R {
        let Self {
            heads,
            bits,
            pool,
            per_m,
            top,
            words,
        } = self;
        if heads.len() != Self::HEADS {
            // Not reset yet: every list empty.
            heads.clear();
            heads.resize(Self::HEADS, NIL);
            *bits = [0; Self::WORDS];
        }
        let Some(heads) = heads.first_chunk_mut::<{ Self::HEADS }>() else {
            unreachable!("the heads were sized above");
        };
        let mut l = ExactLoop {
            heads,
            pool,
            bits: *bits,
            per_m: *per_m,
            top: *top,
            words: *words,
        };
        let r = f(&mut l);
        (*bits, *top, *words) = (l.bits, l.top, l.words);
        r
    }

    /// Adds distance `d` (finite, ≥ 0, not −0.0, at most the limit) for `key`.
    pub(crate) fn push(&mut self, d: f64, key: u32) {
        self.with_loop(|l| l.push(d, key));
    }

    /// Removes and returns the least item: `(distance, key)`.
    pub(crate) fn pop(&mut self) -> Option<(f64, u32)> {
        // A closure: `ExactLoop::pop` names one lifetime of the loop, not any.
        #[allow(clippy::redundant_closure_for_method_calls)]
        self.with_loop(|l| l.pop())
    }

    /// Items pushed since the last reset.
    #[cfg(test)]
    pub(crate) fn pushed(&self) -> usize {
        self.top
    }
}

/// [`ExactBuckets`] borrowed for one search loop ([`ExactBuckets::with_loop`]): the list heads
/// as an array of fixed length (an index bounded by [`ExactBuckets::COUNT`] needs no check),
/// and the bitmap (with its word of non-empty words), the pool's top and the bucket width
/// held by value, so that the loop keeps them in registers or in its own stack slots instead
/// of reloading them through the queue after every store (the queue's address is passed to
/// the seeding).
pub(crate) struct ExactLoop<'a> {
    heads: &'a mut [u32; ExactBuckets::HEADS],
    pool: &'a mut Vec<Slot>,
    bits: [u64; ExactBuckets::WORDS],
    per_m: f64,
    top: usize,
    words: u32,
}

impl ExactLoop<'_> {
    /// Adds distance `d` (finite, ≥ 0, not −0.0, at most the limit) for `key`.
    // Always: the search loop was measured with these inlined (BENCHMARKS.md, s12-search).
    #[allow(clippy::inline_always)]
    #[inline(always)]
    pub(crate) fn push(&mut self, d: f64, key: u32) {
        let p = self.top;
        if p >= self.pool.len() {
            self.pool.resize(2 * self.pool.len() + 64, Slot::default());
        }
        // `d × per_m` rounded to an integer (see `ROUND`; ≤ COUNT + 1 for a distance at most
        // the limit), then at most the last bucket.
        let b = ((d * self.per_m + ROUND).to_bits() as u32).min(ExactBuckets::COUNT as u32);
        let head = &mut self.heads[b as usize];
        if let Some(slot) = self.pool.get_mut(p) {
            *slot = Slot {
                bits: d.to_bits(),
                key,
                next: *head,
            };
        }
        *head = p as u32;
        self.bits[b as usize / 64] |= 1 << (b % 64);
        self.words |= 1 << (b / 64);
        self.top = p + 1;
    }

    /// Removes and returns the least item: `(distance, key)`.
    // Always: the search loop was measured with these inlined (BENCHMARKS.md, s12-search).
    #[allow(clippy::inline_always)]
    #[inline(always)]
    pub(crate) fn pop(&mut self) -> Option<(f64, u32)> {
        if self.words == 0 {
            return None;
        }
        let w = self.words.trailing_zeros() as usize;
        let word = *self.bits.get(w)?;
        let b = (w * 64 + word.trailing_zeros() as usize).min(ExactBuckets::COUNT);
        // The least item of the list, and the item before it (`NIL`: the list's head).
        let mut at = self.heads[b];
        let mut best = self.pool[at as usize];
        let (mut best_at, mut before) = (at, NIL);
        let mut next = best.next;
        while next != NIL {
            let slot = self.pool[next as usize];
            let take = slot.item() < best.item();
            best = if take { slot } else { best };
            best_at = if take { next } else { best_at };
            before = if take { at } else { before };
            at = next;
            next = slot.next;
        }
        if before == NIL {
            self.heads[b] = best.next;
        } else {
            self.pool[before as usize].next = best.next;
        }
        let empty = self.heads[b] == NIL;
        let word = word & !(u64::from(empty) << (b % 64));
        self.bits[w] = word;
        self.words &= !(u32::from(word == 0) << w);
        Some((f64::from_bits(best.bits), best.key))
    }
}

impl Queue for ExactLoop<'_> {
    // Always: the search loop was measured with these inlined (BENCHMARKS.md, s12-search).
    #[allow(clippy::inline_always)]
    #[inline(always)]
    fn push(&mut self, d: f64, key: u32) {
        ExactLoop::push(self, d, key);
    }

    // Always: the search loop was measured with these inlined (BENCHMARKS.md, s12-search).
    #[allow(clippy::inline_always)]
    #[inline(always)]
    fn pop(&mut self) -> Option<(f64, u32)> {
        ExactLoop::pop(self)
    }
}

impl Queue for ExactBuckets {
    // The seeding's few pushes; the search loop pushes and pops through an `ExactLoop`.
    #[inline]
    fn push(&mut self, d: f64, key: u32) {
        ExactBuckets::push(self, d, key);
    }

    #[inline]
    fn pop(&mut self) -> Option<(f64, u32)> {
        ExactBuckets::pop(self)
    }
}

/// The lesser of two `(index, item)` pairs, the first on a tie.
#[inline]
fn min_of(i: usize, x: u128, j: usize, y: u128) -> (usize, u128) {
    let take = y < x;
    (if take { j } else { i }, if take { y } else { x })
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use std::cmp::Reverse;
    use std::collections::BinaryHeap;

    /// A xorshift64 generator from its seed (not 0): the seeded cases of the graph's tests.
    pub(in crate::plan::graph) fn xorshift(mut x: u64) -> impl FnMut() -> u64 {
        move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        }
    }

    /// Pops in exactly the order of a binary heap of `Reverse((bits, key))`, with interleaved
    /// pushes and pops, duplicates and ties on the distance.
    #[test]
    fn pops_in_the_order_of_a_binary_heap() {
        let mut next = xorshift(0x2545_F491_4F6C_DD1Du64);
        let (mut q, mut b) = (QuadHeap::default(), BinaryHeap::new());
        for round in 0..20_000 {
            if !next().is_multiple_of(3) || b.is_empty() {
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

    /// The bucket queue pops in exactly the heap's order when pushes never go below the last
    /// pop (a search's): many equal distances (one bucket holding several items, zero steps),
    /// items at the limit, interleaved pushes and pops, and reuse after a reset.
    #[test]
    fn exact_buckets_pop_in_the_order_of_a_binary_heap() {
        let mut next = xorshift(0xD1B5_4A32_D192_ED03u64);
        let mut q = ExactBuckets::default();
        for (round, limit) in [900.0, 37.5, 900.0, 1e6].into_iter().enumerate() {
            q.reset(limit);
            let mut b = BinaryHeap::new();
            let mut floor = 0.0f64;
            for step in 0..20_000 {
                if !next().is_multiple_of(3) || b.is_empty() {
                    // Steps of 0 to 3 m in quarter metres, so that ties are common.
                    let d = (floor + (next() % 13) as f64 * 0.25).min(limit);
                    let key = (next() % 5_000) as u32;
                    q.push(d, key);
                    b.push(Reverse((d.to_bits(), key)));
                } else {
                    let Reverse((bits, key)) = b.pop().unwrap();
                    floor = f64::from_bits(bits);
                    assert_eq!(q.pop(), Some((floor, key)), "round {round}, step {step}");
                }
            }
            // Leave a few items behind once: the next reset must empty the lists.
            let keep = if round == 1 { 5 } else { 0 };
            while b.len() > keep {
                let Reverse((bits, key)) = b.pop().unwrap();
                assert_eq!(q.pop(), Some((f64::from_bits(bits), key)));
            }
            if keep == 0 {
                assert_eq!(q.pop(), None);
            }
        }
    }

    /// Every item pushed comes out once, by buckets in increasing order (a search's pushes are
    /// never below what it popped), and a batch is taken from one bucket.
    #[test]
    fn buckets_give_every_item_once_bucket_by_bucket() {
        let mut next = xorshift(0x9E37_79B9_7F4A_7C15u64);
        let limit = 900.0;
        let bucket = |d: f64| ((d * Buckets::COUNT as f64 / limit) as usize).min(Buckets::COUNT);
        let mut q = Buckets::default();
        for round in 0..3 {
            q.reset(limit);
            let (mut pushed, mut popped) = (Vec::new(), Vec::new());
            let mut floor = 0.0f64;
            let mut batch = Vec::new();
            for key in 0..5_000u32 {
                let d = (floor + (next() % 4_000) as f64 * 0.05).min(limit);
                q.push(d, key);
                pushed.push((d.to_bits(), key));
                if next().is_multiple_of(4) {
                    if round == 2 {
                        assert!(q.pop_batch(&mut batch, 7));
                        assert!(batch.len() <= 7);
                        let b = bucket(batch[0].0);
                        assert!(batch.iter().all(|(d, _)| bucket(*d) == b));
                    } else {
                        batch.clear();
                        batch.extend(q.pop());
                    }
                    for &(d, k) in &batch {
                        assert!(bucket(d) >= bucket(floor), "round {round}");
                        floor = floor.max(d);
                        popped.push((d.to_bits(), k));
                    }
                }
            }
            while let Some((d, k)) = q.pop() {
                assert!(bucket(d) >= bucket(floor));
                floor = d;
                popped.push((d.to_bits(), k));
            }
            pushed.sort_unstable();
            popped.sort_unstable();
            assert_eq!(pushed, popped);
        }
    }
}
