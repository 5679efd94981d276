//! The map's tiles beyond drawing them: the street a click landed on, and what the coverage
//! colours count at the zoom in view.

use super::Lang;

/// The tiles' strings.
#[derive(Debug)]
pub struct TilesText {
    /// The street box's heading.
    pub street: &'static str,
    /// A street without a name.
    pub unnamed: &'static str,
    /// "length" before the street's length.
    pub length: &'static str,
    /// The unit after a length.
    pub metres: &'static str,
    /// The close button's accessible name.
    pub close: &'static str,
    /// Classes of streets by OSM `highway` value, and the word for any other.
    pub classes: &'static [(&'static str, &'static str)],
    /// A class not in [`TilesText::classes`].
    pub other_class: &'static str,
    /// The coverage legend at a zoom where points are counted per cell.
    pub cov_counted: &'static str,
    /// The coverage legend at a zoom where every point is drawn.
    pub cov_single: &'static str,
}

/// Chinese.
pub static ZH_TILES: TilesText = TilesText {
    street: "点击处的道路",
    unnamed: "无名道路",
    length: "长度",
    metres: "米",
    close: "关闭",
    classes: &[
        ("motorway", "高速公路"),
        ("trunk", "快速路"),
        ("primary", "主干路"),
        ("secondary", "次干路"),
        ("tertiary", "支路"),
        ("unclassified", "支路"),
        ("residential", "居住区道路"),
        ("living_street", "生活街道"),
        ("service", "服务性道路"),
        ("pedestrian", "步行街"),
        ("footway", "人行道"),
        ("path", "小路"),
        ("steps", "台阶"),
        ("cycleway", "自行车道"),
        ("track", "机耕路"),
    ],
    other_class: "其他道路",
    cov_counted: "此缩放级别下需求点按格汇总：圆饼各色为该格中缺少相应类别数的点所占比例，外圈蓝弧为就业圈内的比例；放大后逐点显示。",
    cov_single: "此缩放级别下逐点显示每个需求点；蓝色描边：就业圈内。",
};

/// English.
pub static EN_TILES: TilesText = TilesText {
    street: "Street at the click",
    unnamed: "Unnamed street",
    length: "length",
    metres: "m",
    close: "Close",
    classes: &[
        ("motorway", "motorway"),
        ("trunk", "trunk road"),
        ("primary", "primary road"),
        ("secondary", "secondary road"),
        ("tertiary", "tertiary road"),
        ("unclassified", "minor road"),
        ("residential", "residential street"),
        ("living_street", "living street"),
        ("service", "service road"),
        ("pedestrian", "pedestrian street"),
        ("footway", "footway"),
        ("path", "path"),
        ("steps", "steps"),
        ("cycleway", "cycleway"),
        ("track", "track"),
    ],
    other_class: "other street",
    cov_counted: "At this zoom demand points are counted per cell: each pie's colours are the shares of its points by missing categories, the blue arc the share inside the employment circle; zoom in for single points.",
    cov_single: "At this zoom every demand point is drawn; blue outline: inside the employment circle.",
};

impl TilesText {
    /// The words for the OSM `highway` value `v`.
    #[must_use]
    pub fn class(&self, v: &str) -> &'static str {
        self.classes
            .iter()
            .find(|(k, _)| *k == v)
            .map_or(self.other_class, |(_, w)| w)
    }
}

impl Lang {
    /// The tiles' strings.
    pub const fn tiles(self) -> &'static TilesText {
        match self {
            Lang::Zh => &ZH_TILES,
            Lang::En => &EN_TILES,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_name_the_same_classes() {
        let zh: Vec<&str> = ZH_TILES.classes.iter().map(|(k, _)| *k).collect();
        let en: Vec<&str> = EN_TILES.classes.iter().map(|(k, _)| *k).collect();
        assert_eq!(zh, en);
        assert_eq!(Lang::Zh.tiles().class("footway"), "人行道");
        assert_eq!(Lang::En.tiles().class("bridleway"), "other street");
    }
}
