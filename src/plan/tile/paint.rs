//! Coverage classes of demand points on painted tiles: a point's coverage code (its missing
//! base categories and whether it is inside the employment circle) becomes a class the tile
//! carries ([`super::points::PointIndex::cut_classed`]), and back into what the legend shows.
//!
//! Cost: O(1) per point.

/// The employment-circle bit of a demand point's coverage code.
pub const EMPLOYED: u8 = 1 << 6;

/// Coverage classes of a painting by `mask`: the missing count 0..=k (k categories counted),
/// outside then inside the employment circle.
#[must_use]
pub fn coverage_classes(mask: u8) -> u8 {
    2 * (u8::try_from((mask & 0b11_1111).count_ones()).unwrap_or(6) + 1)
}

/// The class of a point of coverage `code` (missing bits, [`EMPLOYED`]) painted by `mask`:
/// its missing count among the counted categories, plus k + 1 inside the employment circle.
#[must_use]
pub fn coverage_class(code: u8, mask: u8) -> u16 {
    let missing = (code & mask & 0b11_1111).count_ones();
    let inside = if code & EMPLOYED == 0 {
        0
    } else {
        u32::from(coverage_classes(mask) / 2)
    };
    u16::try_from(missing + inside).unwrap_or(0)
}

/// A class of [`coverage_class`] as (missing count, inside the employment circle).
#[must_use]
pub fn class_parts(class: u16, classes: u8) -> (u32, bool) {
    let half = u16::from(classes / 2).max(1);
    (u32::from(class % half), class >= half)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_and_mask_goes_to_a_class_and_back_to_its_missing_count_and_circle() {
        for mask in 0u8..64 {
            let k = coverage_classes(mask);
            assert_eq!(u32::from(k), 2 * (mask.count_ones() + 1));
            for code in 0u8..128 {
                let c = coverage_class(code, mask);
                assert!(c < u16::from(k), "class {c} of {k}");
                // Oracle: the bits counted one by one.
                let missing = (0..6).filter(|b| code & mask & (1 << b) != 0).count() as u32;
                assert_eq!(class_parts(c, k), (missing, code & EMPLOYED != 0));
            }
        }
    }
}
