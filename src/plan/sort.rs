//! Stable sorting through one instance of the standard library's sort, for the browser bundle.
//!
//! `slice::sort_by` is compiled once per element type and comparator: every call site with its
//! own closure adds a copy of the driftsort/quicksort code (≈ 4 KB of wasm before wasm-opt
//! each; BENCHMARKS.md "One module for page and worker"). [`by`] and [`by_key`] sort a list of
//! positions with the standard library's stable sort, compiled once for a `u32` list and a
//! `dyn` comparator, and then move the elements into that order by swapping along the
//! permutation's cycles, which is the only code made per element type.
//!
//! Cost: O(n log n) comparisons through a `dyn` call, 5 bytes per element of scratch (the
//! positions and a visited flag), O(n) swaps; lists of at most 16 elements are sorted in place
//! by insertion (as the standard sort does for them). Meant for lists off the hot loops
//! (answers' tables, candidates, postings, a tile's cells and symbols) and for the many short
//! lists of a loop (an edge's reach intervals); the import's and the graph's large sorts keep
//! `slice::sort*`.
//!
//! ```
//! use shuangquan::plan::sort;
//! let mut v = vec![(2, 'a'), (1, 'b'), (2, 'c'), (0, 'd')];
//! sort::by_key(&mut v, |x| x.0);
//! assert_eq!(v, [(0, 'd'), (1, 'b'), (2, 'a'), (2, 'c')]);
//! ```

use std::cmp::Ordering;

/// Lists this short are sorted in place by insertion (no scratch, no `dyn` call).
const SHORT: usize = 16;

/// Sorts `v` by `cmp`, stably (equal elements keep their order), as `slice::sort_by` does.
pub fn by<T>(v: &mut [T], mut cmp: impl FnMut(&T, &T) -> Ordering) {
    if v.len() <= SHORT {
        for i in 1..v.len() {
            let mut j = i;
            while j > 0 && cmp(&v[j - 1], &v[j]) == Ordering::Greater {
                v.swap(j - 1, j);
                j -= 1;
            }
        }
        return;
    }
    let order = positions(v.len(), &mut |a, b| cmp(&v[a], &v[b]));
    permute(v, &order);
}

/// Sorts `v` by the key `f` gives each element, stably, as `slice::sort_by_key` does.
pub fn by_key<T, K: Ord>(v: &mut [T], mut f: impl FnMut(&T) -> K) {
    by(v, |a, b| f(a).cmp(&f(b)));
}

/// The positions `0..n` in the order `cmp` gives them (stable): the one instance of the sort.
fn positions(n: usize, cmp: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<u32> {
    let mut order: Vec<u32> = (0..n).map(|i| i as u32).collect();
    order.sort_by(|&a, &b| cmp(a as usize, b as usize));
    order
}

/// Puts `v[order[k]]` at position `k` for every `k`, following each cycle of the permutation.
fn permute<T>(v: &mut [T], order: &[u32]) {
    let mut done = vec![false; v.len()];
    for start in 0..v.len() {
        let mut at = start;
        while !done[at] {
            done[at] = true;
            let from = order[at] as usize;
            if from == start {
                break;
            }
            v.swap(at, from);
            at = from;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The oracle is the standard library's stable sort: same order, ties included (the
        /// second field tells equal keys apart).
        #[test]
        fn same_order_as_the_standard_stable_sort(keys in prop::collection::vec(0u8..6, 0..300)) {
            let v: Vec<(u8, usize)> = keys.iter().copied().zip(0..).collect();
            let mut want = v.clone();
            want.sort_by_key(|x| x.0);
            let mut got = v.clone();
            by_key(&mut got, |x| x.0);
            prop_assert_eq!(&got, &want);
            let mut want = v.clone();
            want.sort_by_key(|b| std::cmp::Reverse(b.0));
            let mut got = v;
            by(&mut got, |a, b| b.0.cmp(&a.0));
            prop_assert_eq!(got, want);
        }
    }

    #[test]
    fn strings_and_empty_lists() {
        let mut v = vec!["pear".to_owned(), "apple".to_owned(), "fig".to_owned()];
        by(&mut v, |a, b| a.len().cmp(&b.len()).then(a.cmp(b)));
        assert_eq!(v, ["fig", "pear", "apple"]);
        let mut e: Vec<String> = Vec::new();
        by_key(&mut e, String::len);
        assert!(e.is_empty());
    }
}
