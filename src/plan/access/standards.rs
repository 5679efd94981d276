//! Standards presets: which walking time each target must be within, and the document that
//! says so. A preset turns into the per-target [`Thresholds`] that coverage, the supply–demand
//! ratios (their catchments) and the surface use; its id and citation go into every export.
//!
//! - `gb50180`: GB 50180-2018 《城市居住区规划设计标准》, the 5/10/15-minute life-circle tiers.
//!   Our reading of its appendix B: the 5-minute tier holds the community shop network
//!   (超市、药店), 托儿所, 老年人日间照料中心 and 社区卫生服务站; the 10-minute tier the 菜市场或生鲜
//!   超市; everything else (and the employment station, a 街道-level service) 15 minutes.
//! - `mofcom2021`: 商务部等12部门《关于推进城市一刻钟便民生活圈建设的意见》(商流通函〔2021〕176号)
//!   and the 2021 pilot guide: convenience store 5 minutes; breakfast, fresh market and pharmacy 8;
//!   repair and community services (家政) 15; the rest 15.
//! - `qingdao2025`: Qingdao's 2025 双圈 (15-minute employment service circle with the 一刻钟便民生活
//!   圈): a 就享家 station and each category within 15 minutes.
//! - `custom`: the planner's own thresholds (default 15 minutes everywhere).
//!
//! O(1) per lookup.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::plan::coverage::Thresholds;
use crate::plan::model::Category;

/// A standards preset.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Standard {
    /// GB 50180-2018 life-circle tiers (5/10/15 minutes).
    Gb50180,
    /// MOFCOM 2021 一刻钟便民生活圈 pilot targets.
    Mofcom2021,
    /// Qingdao 2025 双圈: a station within the 15-minute circle (the default).
    #[default]
    Qingdao2025,
    /// The planner's own thresholds.
    Custom,
}

/// A preset name that does not exist.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown standard {0:?}: expected gb50180, mofcom2021, qingdao2025 or custom")]
pub struct UnknownStandard(pub String);

impl Standard {
    /// Every preset, in the order offered.
    pub const ALL: [Self; 4] = [
        Self::Gb50180,
        Self::Mofcom2021,
        Self::Qingdao2025,
        Self::Custom,
    ];

    /// Stable id (CLI, URL, exports).
    pub const fn id(self) -> &'static str {
        match self {
            Self::Gb50180 => "gb50180",
            Self::Mofcom2021 => "mofcom2021",
            Self::Qingdao2025 => "qingdao2025",
            Self::Custom => "custom",
        }
    }

    /// The citation, in Chinese.
    pub const fn citation_zh(self) -> &'static str {
        match self {
            Self::Gb50180 => {
                "GB 50180-2018《城市居住区规划设计标准》：5/10/15分钟生活圈（便利店、药店、托育、日间照料、卫生服务站5分钟，菜市场10分钟，其余15分钟）"
            }
            Self::Mofcom2021 => {
                "商务部等12部门《关于推进城市一刻钟便民生活圈建设的意见》（商流通函〔2021〕176号）：便利店5分钟，早餐、菜市场、药店8分钟，维修、家政15分钟"
            }
            Self::Qingdao2025 => {
                "青岛2025年“双圈”建设：15分钟就业服务圈（就享家乐业服务站）与一刻钟便民生活圈，均为15分钟"
            }
            Self::Custom => "自定义阈值",
        }
    }

    /// The citation, in English.
    pub const fn citation_en(self) -> &'static str {
        match self {
            Self::Gb50180 => {
                "GB 50180-2018 Standard for urban residential area planning and design: 5/10/15-minute life circles (store, pharmacy, childcare, day care, health station 5 min; market 10 min; the rest 15 min)"
            }
            Self::Mofcom2021 => {
                "MOFCOM and 11 departments, Opinions on building 15-minute convenience living circles (Shang Liu Tong Han [2021] No. 176): store 5 min; breakfast, market, pharmacy 8 min; repair, housekeeping 15 min"
            }
            Self::Qingdao2025 => {
                "Qingdao 2025 dual circle: 15-minute employment service circle (Jiuxiangjia stations) with the 15-minute convenience living circle, 15 min each"
            }
            Self::Custom => "Custom thresholds",
        }
    }

    /// The preset's thresholds, minutes. `custom` gives the default (15 minutes everywhere),
    /// which the planner then edits.
    pub fn thresholds(self) -> Thresholds {
        let mut t = Thresholds::default();
        let set: &[(Category, f64)] = match self {
            Self::Gb50180 => &[
                (Category::Store, 5.0),
                (Category::Pharmacy, 5.0),
                (Category::Childcare, 5.0),
                (Category::Elderly, 5.0),
                (Category::Clinic, 5.0),
                (Category::Market, 10.0),
            ],
            Self::Mofcom2021 => &[
                (Category::Store, 5.0),
                (Category::Breakfast, 8.0),
                (Category::Market, 8.0),
                (Category::Pharmacy, 8.0),
                (Category::Repair, 15.0),
                (Category::Housekeeping, 15.0),
            ],
            Self::Qingdao2025 | Self::Custom => &[],
        };
        for (c, m) in set {
            t.categories.insert(*c, *m);
        }
        t
    }
}

impl fmt::Display for Standard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl FromStr for Standard {
    type Err = UnknownStandard;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let k = s.trim().to_ascii_lowercase().replace(['-', '_', ' '], "");
        Self::ALL
            .into_iter()
            .find(|x| x.id() == k)
            .ok_or_else(|| UnknownStandard(s.to_owned()))
    }
}

#[cfg(test)]
#[allow(clippy::float_cmp)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_unknown_is_named() {
        for s in Standard::ALL {
            assert_eq!(s.id().parse::<Standard>(), Ok(s));
        }
        assert_eq!("GB-50180".parse::<Standard>(), Ok(Standard::Gb50180));
        let e = "gb50181".parse::<Standard>().unwrap_err();
        assert!(e.to_string().contains("\"gb50181\""), "{e}");
    }

    #[test]
    fn mofcom_targets_are_the_issues() {
        let t = Standard::Mofcom2021.thresholds();
        assert_eq!(t.category(Category::Store), 5.0);
        for c in [Category::Breakfast, Category::Market, Category::Pharmacy] {
            assert_eq!(t.category(c), 8.0);
        }
        assert_eq!(t.category(Category::Repair), 15.0);
        assert_eq!(t.station(), 15.0);
        assert_eq!(
            Standard::Gb50180.thresholds().category(Category::Market),
            10.0
        );
    }
}
