//! Nearby postings and services for a resident (一键匹配): from a home, the postings reachable
//! on foot within T minutes (default 15) by walking time, with filters; a one-click match
//! score for a short profile that explains itself; and, from the same search, the nearest
//! 就享家 station, the nearest facility of each category and the trainings nearby.
//!
//! - [`filter`]: [`Filters`] (category, hours, pay, education, age, date, keywords) and the
//!   ordered [`Education`] levels.
//! - [`score`]: [`MatchProfile`], the score's components ([`Points`]) and [`Reason`]s.
//! - [`index`]: [`PostingIndex`] / [`ServiceIndex`] / [`PlaceIndex`]: places projected and
//!   snapped once, an R-tree over them.
//! - [`names`]: [`NameIndex`]: place-name search for choosing a home, insensitive to pinyin
//!   (full, initials, tone-free, mixed with characters).
//! - [`search`]: [`Searcher`]: [`Searcher::nearby`], [`Searcher::services`],
//!   [`Searcher::route_to`].
//!
//! # How a query runs
//! One bounded reach (Dijkstra) from the home's snap with the query's budget; an R-tree disc of
//! radius `minutes × speed` around the home bounds the candidates (a walk is never shorter than
//! the straight line between its ends, all in the graph's projection); the filters drop
//! candidates; each remaining candidate's walking time is probed from the run (its snap,
//! both off-network legs included) and decides: a posting is in when its time is at most the
//! limit (`≤`, up to [`LIMIT_TOLERANCE`]). Postings that could not be snapped are never
//! guessed: the index lists them and the result names those inside the disc. Without a
//! network, times are straight-line distance × [`DEFAULT_DETOUR_FACTOR`] (1.3) at the speed,
//! flagged `estimate`.
//!
//! # The match score
//! With a profile, each posting gets points from five components (total 0–100):
//!
//! | component | points | rule |
//! |---|---:|---|
//! | walk | 0–40 | `40 × (1 − t / T)`: `t` walking minutes, `T` the limit (the query's minutes, or the profile's `max_minutes` when shorter) |
//! | education | 0–20 | 20 when the posting requires none or the resident meets it; 10 when the profile gives no level; 0 when below (**hard**) |
//! | age | 0–10 | 10 when the posting has no range or the age is inside it; 5 when the profile gives no age; 0 when outside (**hard**) |
//! | skills | 0–20 | `20 × matched / keywords`: profile keywords found in the title, employer, skills or category; 10 when the profile has none |
//! | hours | 0–10 | 10 when the posting's hours type is wanted; 5 when either side does not say; 0 otherwise |
//!
//! A posting failing a **hard** requirement (education below, age outside) stays in the list,
//! because a resident wants to see why, but its sum is multiplied by
//! [`HARD_FAILURE_FACTOR`] (0.1): at most 90 × 0.1 = 9 points, below the least an eligible
//! posting can score (10 + 5 = 15), so every eligible posting ranks above every ineligible
//! one. Filters, not the score, are the way to hide postings. Hits are ordered by score
//! descending, ties by walking seconds, then posting id. Each hit carries [`Reason`]s (data, not
//! prose, for the app to word) and its [`Points`].
//!
//! **Worked example.** A 面点师 posting 6 minutes away requires 高中, ages 18–45, skills
//! 烹饪, 面点, full time. A profile (age 30, 大专, keywords 烹饪 and 驾驶, full time wanted,
//! limit 15 minutes) scores walk 40 × (1 − 6/15) = 24, education 20 (大专 ≥ 高中), age 10,
//! skills 20 × 1/2 = 10 (烹饪 matched, 驾驶 not), hours 10: **74**. A 52-year-old with 初中
//! scores 24 + 0 + 0 + 10 + 10 = 44, times 0.1 = **4.4**, with reasons `EducationBelow` and
//! `AgeOutside`.
//!
//! Without a profile the order is walking time, `score` is the walk proximity
//! `100 × (1 − t / T)`, and a hit has no reasons (its time is the whole story).
//!
//! ```
//! use shuangquan::plan::geom::LonLat;
//! use shuangquan::plan::graph::{SnapOptions, WalkGraph};
//! use shuangquan::plan::model::{Posting, Street};
//! use shuangquan::plan::nearby::{PostingIndex, Query, Searcher};
//! // One straight street along the equator, 0.02° ≈ 2.2 km.
//! let street = Street { id: "s".into(), coords_wgs84: vec![LonLat::new(0.0, 0.0), LonLat::new(0.02, 0.0)],
//!                       highway: None, foot: None, access: None, name: None, area: None, service: None };
//! let g = WalkGraph::build(&[street]);
//! let job = |id: &str, lon: f64| Posting { id: id.into(), title: "job".into(), employer: None,
//!     pos_wgs84: LonLat::new(lon, 0.0), category: None, pay_min: None, pay_max: None, hours: None,
//!     education: None, age_min: None, age_max: None, skills: vec![], posted: None, station_id: None };
//! let postings = vec![job("far", 0.015), job("near", 0.002)];
//! let snap = SnapOptions::default();
//! let index = PostingIndex::new(Some(&g), &postings, &snap);
//! let mut s = Searcher::new();
//! let r = s.nearby(Some(&g), &index, &postings, LonLat::new(0.0, 0.0), &Query::default(), &snap).unwrap();
//! assert_eq!(r.hits.len(), 1);              // 1.67 km is beyond 15 minutes at 60 m/min
//! assert_eq!(r.hits[0].id, "near");
//! assert!((r.hits[0].metres - 222.6).abs() < 0.5);
//! ```

pub mod filter;
pub mod index;
pub mod names;
pub mod score;
pub mod search;

pub use filter::{Education, Filters, UnknownEducation};
pub use index::{PlaceIndex, PostingIndex, ServiceIndex, Unplaced};
pub use names::NameIndex;
pub use score::{HARD_FAILURE_FACTOR, MatchProfile, Points, Reason};
pub use search::{
    Hit, LIMIT_TOLERANCE, NearbyError, NearbyResult, NearestPlace, Query, Searcher, Services,
};

#[cfg(doc)]
use crate::plan::graph::DEFAULT_DETOUR_FACTOR;
