//! Every user-visible string, in one place: zh-CN (default) and English.
//!
//! Adding a field to [`Text`] makes both tables fail to compile until both languages have it.
//!
//! | module | strings of |
//! |---|---|
//! | [`text`] | the shell, the data and import panels, the walking circles |
//! | [`map`] | the map's own controls: legend, basemap settings, PNG export |
//! | [`ui`] | the analysis panels' tabs and the coverage panel |
//! | [`place`] | the planner panel, scenarios, the share link, live announcements |
//! | [`nearby`] | the resident panel, with its dates and match reasons |
//! | [`access`] | the supply–demand section: profile, preset, ratios, surface, the 体检报告 |
//! | [`network`] | the network edits (路网编辑), the network line of reports, edit-file problems |
//! | [`owndata`] | the planner's own files: kept imports, the layer question, the package export |
//! | [`errors`] | every [`crate::plan::engine::EngineError`], in both languages |
//! | [`faults`] | notices: link values ignored, storage refused, worker restarted, a cancelled run |
//! | [`imported`] | the data tab's list of imported layers |
//! | [`tabs`] | two tabs editing one package's scenarios: merge notices, the conflict copy |
//! | [`problems`] | every import problem ([`crate::plan::import::ProblemKind`]), in both languages |
//! | [`tiles`] | the map's tiles: the street at a click, what the coverage colours count |
//! | [`pinyin`] | the community search's pinyin table that could not be loaded |
//! | [`both`] | lines the worker renders in both languages for the page ([`Both`]: import problems) |

use crate::plan::model::Category;
use crate::plan::package::{LayerKind, Status};

mod access;
mod both;
mod errors;
mod faults;
mod imported;
mod map;
mod nearby;
mod network;
mod owndata;
mod pinyin;
mod place;
mod problems;
mod tabs;
mod text;
mod tiles;
mod ui;

pub use access::{AccessText, EN_ACCESS, ZH_ACCESS};
pub use both::Both;
pub use faults::{EN_FAULT, FaultText, ZH_FAULT};
pub use map::{EN_MAP, MapText, ZH_MAP};
pub use nearby::{EN_NEARBY, NearbyText, ZH_NEARBY};
pub use network::{EN_NET, NetText, ZH_NET};
pub use owndata::{EN_OWN, OwnText, ZH_OWN};
pub use place::{EN_PLACE, PlaceText, ZH_PLACE};
pub use tabs::{EN_TABS, TabsText, ZH_TABS};
pub use text::{EN, Text, ZH};
pub use ui::{EN_UI, Ui, ZH_UI};

/// The interface language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// 简体中文 (default).
    #[default]
    Zh,
    /// English.
    En,
}

impl Lang {
    /// The strings of this language.
    pub const fn text(self) -> &'static Text {
        match self {
            Lang::Zh => &ZH,
            Lang::En => &EN,
        }
    }

    /// The BCP 47 tag (for `<html lang>`).
    pub const fn tag(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    /// The URL value (`zh` / `en`).
    pub const fn id(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }

    /// Parses the URL value.
    pub fn from_id(s: &str) -> Option<Self> {
        match s {
            "zh" | "zh-CN" => Some(Lang::Zh),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// A category's label.
    pub const fn category(self, c: Category) -> &'static str {
        match self {
            Lang::Zh => c.label_zh(),
            Lang::En => c.label_en(),
        }
    }

    /// A layer kind's label.
    pub const fn layer(self, k: LayerKind) -> &'static str {
        let zh = matches!(self, Lang::Zh);
        match k {
            LayerKind::Streets => {
                if zh {
                    "街道路网"
                } else {
                    "Streets"
                }
            }
            LayerKind::Stations => {
                if zh {
                    "就享家乐业服务站"
                } else {
                    "Employment stations"
                }
            }
            LayerKind::Facilities => {
                if zh {
                    "便民设施"
                } else {
                    "Convenience facilities"
                }
            }
            LayerKind::Postings => {
                if zh {
                    "岗位"
                } else {
                    "Job postings"
                }
            }
            LayerKind::Communities => {
                if zh {
                    "社区"
                } else {
                    "Communities"
                }
            }
            LayerKind::Boundaries => {
                if zh {
                    "行政边界"
                } else {
                    "Boundaries"
                }
            }
            LayerKind::Demand => {
                if zh {
                    "人口(需求点)"
                } else {
                    "Population (demand)"
                }
            }
            LayerKind::Candidates => {
                if zh {
                    "候选站点"
                } else {
                    "Candidate sites"
                }
            }
        }
    }

    /// A data status label.
    pub const fn status(self, s: Status) -> &'static str {
        match (self, s) {
            (Lang::Zh, Status::Real) => "真实",
            (Lang::Zh, Status::Estimate) => "估算",
            (Lang::Zh, Status::Illustrative) => "示意",
            (Lang::En, Status::Real) => "real",
            (Lang::En, Status::Estimate) => "estimate",
            (Lang::En, Status::Illustrative) => "illustrative",
        }
    }

    /// Formats an integer with the language's grouping (both use `,` every three digits).
    pub fn int(self, n: f64) -> String {
        let neg = n < 0.0;
        let digits = format!("{:.0}", n.abs());
        let mut out = String::new();
        for (i, ch) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                out.push(',');
            }
            out.push(ch);
        }
        if neg { format!("-{out}") } else { out }
    }

    /// Formats a walking time in seconds as minutes.
    pub fn minutes(self, seconds: f64) -> String {
        let m = seconds / 60.0;
        match self {
            Lang::Zh => format!("{m:.1} 分钟"),
            Lang::En => format!("{m:.1} min"),
        }
    }
}

/// Fills the `{}` of a template in order (extra `{}` stay empty, extra arguments are ignored).
pub fn fill(template: &str, args: &[&str]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut args = args.iter();
    let mut parts = template.split("{}");
    if let Some(first) = parts.next() {
        out.push_str(first);
    }
    for part in parts {
        out.push_str(args.next().copied().unwrap_or(""));
        out.push_str(part);
    }
    out
}

impl Lang {
    /// The analysis-panel strings of this language.
    pub const fn ui(self) -> &'static Ui {
        match self {
            Lang::Zh => &ZH_UI,
            Lang::En => &EN_UI,
        }
    }

    /// The planner panel's strings.
    pub const fn place(self) -> &'static PlaceText {
        match self {
            Lang::Zh => &ZH_PLACE,
            Lang::En => &EN_PLACE,
        }
    }

    /// Formats a share (0..1) as a percentage with one decimal.
    pub fn pct(self, share: f64) -> String {
        format!("{:.1}%", share * 100.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_group_by_thousands() {
        assert_eq!(Lang::Zh.int(1_234_567.0), "1,234,567");
        assert_eq!(Lang::En.int(999.0), "999");
        assert_eq!(Lang::En.int(-1000.0), "-1,000");
        assert_eq!(Lang::En.minutes(90.0), "1.5 min");
    }

    #[test]
    fn lang_ids_round_trip() {
        for l in [Lang::Zh, Lang::En] {
            assert_eq!(Lang::from_id(l.id()), Some(l));
        }
        assert_eq!(Lang::from_id("fr"), None);
    }
}
