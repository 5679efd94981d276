//! A polyline clipped to an axis-aligned box (Liang–Barsky per segment): the parts inside, in
//! order, each with the points where it crosses the box's edges. Vertices inside the box are
//! kept as they are.
//!
//! Cost: O(n) for n vertices.

/// The pieces of `line` inside `b` = [min x, min y, max x, max y] (each of two or more points).
#[must_use]
pub fn clip_line(line: &[[f64; 2]], b: [f64; 4]) -> Vec<Vec<[f64; 2]>> {
    let mut out: Vec<Vec<[f64; 2]>> = Vec::new();
    let mut cur: Vec<[f64; 2]> = Vec::new();
    for w in line.windows(2) {
        let Some((t0, t1)) = segment(w[0], w[1], b) else {
            flush(&mut cur, &mut out);
            continue;
        };
        let at = |t: f64| {
            [
                w[0][0] + t * (w[1][0] - w[0][0]),
                w[0][1] + t * (w[1][1] - w[0][1]),
            ]
        };
        let a = if t0 <= 0.0 { w[0] } else { at(t0) };
        let e = if t1 >= 1.0 { w[1] } else { at(t1) };
        if cur.is_empty() {
            cur.push(a);
        } else if t0 > 0.0 {
            // Entered again: a new piece.
            flush(&mut cur, &mut out);
            cur.push(a);
        }
        cur.push(e);
        if t1 < 1.0 {
            flush(&mut cur, &mut out);
        }
    }
    flush(&mut cur, &mut out);
    out
}

fn flush(cur: &mut Vec<[f64; 2]>, out: &mut Vec<Vec<[f64; 2]>>) {
    if cur.len() >= 2 {
        out.push(std::mem::take(cur));
    } else {
        cur.clear();
    }
}

/// The parameter range [t0, t1] ⊂ [0, 1] of the segment `p`–`q` inside `b`, if any.
fn segment(p: [f64; 2], q: [f64; 2], b: [f64; 4]) -> Option<(f64, f64)> {
    let (dx, dy) = (q[0] - p[0], q[1] - p[1]);
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    for (den, num) in [
        (-dx, p[0] - b[0]),
        (dx, b[2] - p[0]),
        (-dy, p[1] - b[1]),
        (dy, b[3] - p[1]),
    ] {
        if den == 0.0 {
            if num < 0.0 {
                return None;
            }
        } else {
            let t = num / den;
            if den < 0.0 {
                t0 = t0.max(t);
            } else {
                t1 = t1.min(t);
            }
        }
    }
    (t0 <= t1).then_some((t0, t1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inside(p: [f64; 2], b: [f64; 4]) -> bool {
        let e = 1e-9;
        p[0] >= b[0] - e && p[0] <= b[2] + e && p[1] >= b[1] - e && p[1] <= b[3] + e
    }

    fn length(l: &[[f64; 2]]) -> f64 {
        l.windows(2)
            .map(|w| (w[1][0] - w[0][0]).hypot(w[1][1] - w[0][1]))
            .sum()
    }

    #[test]
    fn pieces_lie_inside_keep_inner_vertices_and_have_the_length_inside() {
        let b = [2.0, 3.0, 7.0, 8.0];
        let mut seed = 5u64;
        let mut rand = || {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            (seed >> 11) as f64 / (1u64 << 53) as f64 * 10.0
        };
        for _ in 0..300 {
            let n = 2 + (rand() as usize);
            let line: Vec<[f64; 2]> = (0..n).map(|_| [rand(), rand()]).collect();
            let pieces = clip_line(&line, b);
            for piece in &pieces {
                assert!(piece.len() >= 2);
                assert!(piece.iter().all(|&p| inside(p, b)), "{piece:?}");
            }
            // Every input vertex strictly inside is some piece's vertex.
            for p in line
                .iter()
                .filter(|&&p| p[0] > b[0] && p[0] < b[2] && p[1] > b[1] && p[1] < b[3])
            {
                assert!(
                    pieces
                        .iter()
                        .flatten()
                        .any(|q| q[0].to_bits() == p[0].to_bits()
                            && q[1].to_bits() == p[1].to_bits()),
                    "{p:?} lost"
                );
            }
            // Oracle: the length inside, by dense sampling of each segment.
            let samples = 4000;
            let mut inside_len = 0.0;
            for w in line.windows(2) {
                let seg = (w[1][0] - w[0][0]).hypot(w[1][1] - w[0][1]);
                let k = (0..samples)
                    .filter(|&s| {
                        let t = (f64::from(s) + 0.5) / f64::from(samples);
                        inside(
                            [
                                w[0][0] + t * (w[1][0] - w[0][0]),
                                w[0][1] + t * (w[1][1] - w[0][1]),
                            ],
                            b,
                        )
                    })
                    .count();
                inside_len += seg * k as f64 / f64::from(samples);
            }
            let got: f64 = pieces.iter().map(|p| length(p)).sum();
            assert!(
                (got - inside_len).abs() < 0.01 * n as f64,
                "{got} vs {inside_len}"
            );
        }
    }

    #[test]
    fn a_line_leaving_and_entering_again_makes_two_pieces() {
        let b = [0.0, 0.0, 10.0, 10.0];
        let pieces = clip_line(&[[1.0, 5.0], [15.0, 5.0], [15.0, 6.0], [1.0, 6.0]], b);
        assert_eq!(
            pieces,
            vec![vec![[1.0, 5.0], [10.0, 5.0]], vec![[10.0, 6.0], [1.0, 6.0]]]
        );
    }
}
