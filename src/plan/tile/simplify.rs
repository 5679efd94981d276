//! Douglas–Peucker importance: for every vertex of a polyline, the largest squared tolerance
//! (world units²) at which Douglas–Peucker still keeps it, computed once so that any zoom's
//! simplification is a filter (`importance > tolerance²`), as geojson-vt does.
//!
//! A vertex's importance is its distance to the chord that the recursion splits at it, capped
//! by the importance of the split that contains it, so the filter at a tolerance gives exactly
//! the vertices the classic recursion keeps at that tolerance. Endpoints are always kept
//! (`f32::INFINITY`).
//!
//! Cost: O(n log n) typical, O(n²) worst case, for n vertices; an explicit stack (no recursion).

/// Importance of each vertex of `xy` (squared world units; endpoints `f32::INFINITY`).
#[must_use]
pub fn importance(xy: &[[f64; 2]]) -> Vec<f32> {
    let n = xy.len();
    let mut out = vec![0.0f32; n];
    if n == 0 {
        return out;
    }
    out[0] = f32::INFINITY;
    out[n - 1] = f32::INFINITY;
    // (first, last, cap): split the span first..last, children capped at `cap`.
    let mut stack = vec![(0usize, n - 1, f64::INFINITY)];
    while let Some((first, last, cap)) = stack.pop() {
        if last <= first + 1 {
            continue;
        }
        let mut best = (first + 1, -1.0f64);
        for (i, p) in xy.iter().enumerate().take(last).skip(first + 1) {
            let d = seg_dist2(*p, xy[first], xy[last]);
            if d > best.1 {
                best = (i, d);
            }
        }
        let d = best.1.min(cap);
        out[best.0] = d as f32;
        stack.push((first, best.0, d));
        stack.push((best.0, last, d));
    }
    out
}

/// Squared distance from `p` to the segment `a`–`b`.
#[must_use]
pub fn seg_dist2(p: [f64; 2], a: [f64; 2], b: [f64; 2]) -> f64 {
    let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
    let len2 = dx * dx + dy * dy;
    let t = if len2 > 0.0 {
        (((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let (ex, ey) = (a[0] + t * dx - p[0], a[1] + t * dy - p[1]);
    ex * ex + ey * ey
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The textbook recursion at one tolerance: the oracle.
    fn classic(xy: &[[f64; 2]], first: usize, last: usize, tol2: f64, keep: &mut [bool]) {
        if last <= first + 1 {
            return;
        }
        let (mut bi, mut bd) = (first + 1, -1.0);
        for i in first + 1..last {
            let d = seg_dist2(xy[i], xy[first], xy[last]);
            if d > bd {
                (bi, bd) = (i, d);
            }
        }
        if bd > tol2 {
            keep[bi] = true;
            classic(xy, first, bi, tol2, keep);
            classic(xy, bi, last, tol2, keep);
        }
    }

    #[test]
    fn filtering_by_importance_equals_the_classic_recursion_at_every_tolerance() {
        let mut seed = 11u64;
        let mut rand = || {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            (seed >> 11) as f64 / (1u64 << 53) as f64
        };
        for _ in 0..200 {
            let n = 2 + (rand() * 40.0) as usize;
            let xy: Vec<[f64; 2]> = (0..n).map(|i| [i as f64 + rand(), rand() * 10.0]).collect();
            let imp = importance(&xy);
            for tol in [0.0001, 0.01, 0.3, 1.0, 4.0, 30.0] {
                let mut keep = vec![false; n];
                keep[0] = true;
                keep[n - 1] = true;
                classic(&xy, 0, n - 1, tol, &mut keep);
                // f32 rounding: compare away from the boundary.
                for i in 0..n {
                    let d = f64::from(imp[i]);
                    if (d - tol).abs() > 1e-5 * tol.max(d) {
                        assert_eq!(d > tol, keep[i], "vertex {i} of {n} at tolerance {tol}");
                    }
                }
            }
        }
    }
}
