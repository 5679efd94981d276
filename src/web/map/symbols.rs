//! The map's symbols: colours, point shapes and the styles of data layers and overlays. The
//! legends (`web::basemap`, the panels) draw from the same functions, so map and legend agree.

use leaflet::Layer;
use wasm_bindgen::JsValue;

use super::OverlayStyle;
use super::leaflet::{circle_marker, div_icon, escape_html, marker, n, obj, prop_f64, prop_str, s};
use crate::plan::labels::highway_rank;
use crate::plan::model::Category;
use crate::plan::package::LayerKind;
/// Placement status → fill colour. The Okabe–Ito colours all mean a 六个一 category on this
/// map, so the statuses differ by lightness first (read without hue): light grey covered now,
/// strong red newly covered (also larger, black ring), purple uncovered for lack of budget,
/// near-black no candidate in reach, white off the network.
pub fn place_status_colour(status: u8) -> &'static str {
    match status {
        0 => "#c8c8c8",
        1 => "#d7301f",
        2 => "#7b3294",
        3 => "#1b1f24",
        _ => "#ffffff",
    }
}

/// Number of categories missing → fill colour (light to dark; sequential, colour-blind safe).
pub fn missing_colour(n: u32) -> &'static str {
    match n {
        0 => "#ffffcc",
        1 => "#fed976",
        2 => "#feb24c",
        3 => "#fd8d3c",
        4 => "#f03b20",
        5 => "#bd0026",
        _ => "#67000d",
    }
}

/// Okabe–Ito colours for the base six (with the shapes of [`category_symbol`]), grey for extras.
pub fn category_colour(c: Category) -> &'static str {
    category_symbol(c).fill
}

/// A point symbol's shape. Shapes carry the distinction as much as colour does, so the map and
/// its legend read the same for people who do not see the colours apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// ●
    Circle,
    /// ■
    Square,
    /// ▲
    Triangle,
    /// ▼
    TriangleDown,
    /// ◆
    Diamond,
    /// ✚
    Cross,
    /// ⬢
    Hexagon,
    /// ★
    Star,
}

impl Shape {
    /// Vertices in a unit box around the centre (x right, y down); empty for the circle.
    pub const fn outline(self) -> &'static [(f64, f64)] {
        match self {
            Shape::Circle => &[],
            Shape::Square => &[(-0.85, -0.85), (0.85, -0.85), (0.85, 0.85), (-0.85, 0.85)],
            Shape::Triangle => &[(0.0, -1.15), (1.05, 0.75), (-1.05, 0.75)],
            Shape::TriangleDown => &[(0.0, 1.15), (1.05, -0.75), (-1.05, -0.75)],
            Shape::Diamond => &[(0.0, -1.2), (1.2, 0.0), (0.0, 1.2), (-1.2, 0.0)],
            Shape::Cross => &[
                (-0.38, -1.0),
                (0.38, -1.0),
                (0.38, -0.38),
                (1.0, -0.38),
                (1.0, 0.38),
                (0.38, 0.38),
                (0.38, 1.0),
                (-0.38, 1.0),
                (-0.38, 0.38),
                (-1.0, 0.38),
                (-1.0, -0.38),
                (-0.38, -0.38),
            ],
            Shape::Hexagon => &[
                (1.0, 0.0),
                (0.5, 0.866),
                (-0.5, 0.866),
                (-1.0, 0.0),
                (-0.5, -0.866),
                (0.5, -0.866),
            ],
            Shape::Star => &[
                (0.0, -1.0),
                (0.265, -0.364),
                (0.951, -0.309),
                (0.428, 0.139),
                (0.588, 0.809),
                (0.0, 0.45),
                (-0.588, 0.809),
                (-0.428, 0.139),
                (-0.951, -0.309),
                (-0.265, -0.364),
            ],
        }
    }

    /// SVG `points` of the shape centred on (cx, cy) with radius `r` (not for the circle).
    pub fn svg_points(self, cx: f64, cy: f64, r: f64) -> String {
        self.outline()
            .iter()
            .map(|(x, y)| format!("{:.2},{:.2}", cx + x * r, cy + y * r))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// How a point is drawn on the map and in the legend.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Symbol {
    /// Shape.
    pub shape: Shape,
    /// Fill colour (`none` when hollow).
    pub fill: &'static str,
    /// Outline colour.
    pub stroke: &'static str,
    /// Radius in pixels.
    pub radius: f64,
    /// Outline width in pixels.
    pub weight: f64,
}

/// The symbol of a 六个一 category (and the grey hexagon of the extras).
///
/// Colours are the Okabe–Ito palette (Okabe & Ito 2008), chosen because its eight colours stay
/// apart under deuteranopia and protanopia (the red–green deficiencies of ≈ 8 % of men) and
/// tritanopia: orange, yellow, bluish green, reddish purple, vermillion and sky blue for the
/// base six, blue for stations. The pairs that do come close for some viewers (orange/vermillion
/// and yellow/orange under protanopia) never share a shape: every category has its own shape
/// (■ ▲ ◆ ✚ ▼ ●), and all have a dark outline so yellow reads on the light basemap.
pub fn category_symbol(c: Category) -> Symbol {
    let (shape, fill) = match c {
        Category::Store => (Shape::Square, "#E69F00"),
        Category::Breakfast => (Shape::Triangle, "#F0E442"),
        Category::Market => (Shape::Diamond, "#009E73"),
        Category::Repair => (Shape::Cross, "#CC79A7"),
        Category::Elderly => (Shape::TriangleDown, "#D55E00"),
        Category::Childcare => (Shape::Circle, "#56B4E9"),
        _ => (Shape::Hexagon, "#8C8C8C"),
    };
    Symbol {
        shape,
        fill,
        stroke: "#1b1f24",
        radius: 4.5,
        weight: 0.8,
    }
}

/// The symbol of a point layer other than facilities (whose symbol is per category).
pub fn kind_symbol(kind: LayerKind) -> Symbol {
    let (shape, fill, stroke, radius, weight) = match kind {
        LayerKind::Stations => (Shape::Star, "#0072B2", "#ffffff", 10.0, 1.5),
        LayerKind::Postings => (Shape::Circle, "#1b1f24", "#ffffff", 3.0, 0.8),
        LayerKind::Demand => (Shape::Circle, "#7570b3", "#7570b3", 2.2, 0.0),
        LayerKind::Candidates => (Shape::Circle, "none", "#7a1f6b", 3.5, 1.6),
        _ => (Shape::Circle, "#4a5360", "#4a5360", 3.0, 1.0),
    };
    Symbol {
        shape,
        fill,
        stroke,
        radius,
        weight,
    }
}

/// How a street of a `highway` class is drawn: (colour, width px, dash), by
/// [`highway_rank`]: trunk/primary widest, footways thin and dashed.
pub fn street_style(highway: &str) -> (&'static str, f64, Option<&'static str>) {
    street_style_of_rank(highway_rank(highway))
}

/// [`street_style`] of a class ([`highway_rank`]).
pub fn street_style_of_rank(rank: u8) -> (&'static str, f64, Option<&'static str>) {
    match rank {
        0 => ("#a9b0ba", 5.0, None),
        1 => ("#b6bcc5", 3.8, None),
        2 => ("#c3c8cf", 2.6, None),
        3 => ("#cdd1d7", 1.6, None),
        4 => ("#d3d6db", 1.1, None),
        _ => ("#c9cdd3", 0.9, Some("3 3")),
    }
}

/// Walking-time band colours (5, 10, 15 minutes), dark to light.
pub fn band_colour(minutes: f64) -> &'static str {
    if minutes <= 5.0 {
        "#08519c"
    } else if minutes <= 10.0 {
        "#3182bd"
    } else {
        "#6baed6"
    }
}

pub(super) fn style_for(kind: LayerKind, feature: &JsValue) -> JsValue {
    match kind {
        LayerKind::Streets => {
            let (colour, weight, dash) =
                street_style(prop_str(feature, "highway").as_deref().unwrap_or(""));
            obj(&[
                ("color", s(colour)),
                ("weight", n(weight)),
                ("opacity", n(1.0)),
                ("lineCap", s("round")),
                ("dashArray", dash.map_or(JsValue::NULL, s)),
            ])
        }
        LayerKind::Boundaries => obj(&[
            ("color", s("#4a5360")),
            ("weight", n(2.0)),
            ("dashArray", s("6 4")),
            ("fill", JsValue::FALSE),
        ]),
        LayerKind::Communities => obj(&[
            ("color", s("#6b7380")),
            ("weight", n(1.0)),
            ("fillOpacity", n(0.03)),
        ]),
        _ => obj(&[]),
    }
}

pub(super) fn point_symbol(kind: LayerKind, feature: &JsValue) -> Symbol {
    match kind {
        LayerKind::Facilities => prop_str(feature, "category")
            .and_then(|c| c.parse::<Category>().ok())
            .map_or_else(|| category_symbol(Category::Housekeeping), category_symbol),
        _ => kind_symbol(kind),
    }
}

pub(super) fn symbol_options(sym: Symbol, renderer: &JsValue) -> JsValue {
    obj(&[
        ("renderer", renderer.clone()),
        ("radius", n(sym.radius)),
        ("color", s(sym.stroke)),
        ("weight", n(sym.weight)),
        ("stroke", JsValue::from_bool(sym.weight > 0.0)),
        ("fill", JsValue::from_bool(sym.fill != "none")),
        ("fillColor", s(sym.fill)),
        ("fillOpacity", n(0.95)),
        ("interactive", JsValue::FALSE),
    ])
}

pub(super) fn count_bits(x: u8) -> u32 {
    x.count_ones()
}

pub(super) fn overlay_feature_style(style: OverlayStyle, f: &JsValue) -> JsValue {
    match style {
        OverlayStyle::CoverageUnits { mask, selected } => {
            let miss = prop_f64(f, "miss_mask").unwrap_or(0.0) as u8;
            let unit = prop_f64(f, "unit").map(|u| u as usize);
            let sel = unit.is_some() && unit == selected;
            obj(&[
                ("color", s(if sel { "#0b3d91" } else { "#5b6470" })),
                ("weight", n(if sel { 4.0 } else { 0.8 })),
                ("fillColor", s(missing_colour(count_bits(miss & mask)))),
                ("fillOpacity", n(if sel { 0.55 } else { 0.38 })),
            ])
        }
        OverlayStyle::Route => obj(&[
            ("color", s("#0b3d91")),
            ("weight", n(5.0)),
            ("opacity", n(0.85)),
            ("dashArray", s("8 6")),
        ]),
        _ => obj(&[]),
    }
}

pub(super) fn overlay_point(
    style: OverlayStyle,
    f: &JsValue,
    latlng: &JsValue,
    renderer: &JsValue,
) -> Layer {
    match style {
        OverlayStyle::Sites => {
            let order = prop_f64(f, "order").unwrap_or(0.0);
            let icon = div_icon(&obj(&[
                ("className", s("site-icon")),
                ("html", s(&format!("{order:.0}"))),
                ("iconSize", js_sys::Array::of2(&n(24.0), &n(24.0)).into()),
            ]));
            marker(
                latlng,
                &obj(&[("icon", icon), ("keyboard", JsValue::FALSE)]),
            )
        }
        OverlayStyle::PlaceDemand => {
            let st = prop_f64(f, "s").unwrap_or(3.0) as u8;
            circle_marker(
                latlng,
                &obj(&[
                    ("renderer", renderer.clone()),
                    ("radius", n(if st == 1 { 4.5 } else { 3.5 })),
                    // Not clickable: a click goes to the map (picking candidates on top of them).
                    ("interactive", JsValue::FALSE),
                    ("color", s(if st == 1 { "#000000" } else { "#666666" })),
                    ("weight", n(if st == 1 { 1.0 } else { 0.4 })),
                    ("fillColor", s(place_status_colour(st))),
                    ("fillOpacity", n(0.9)),
                ]),
            )
        }
        OverlayStyle::Marks { class } => {
            let label = prop_str(f, "label").unwrap_or_default();
            let icon = div_icon(&obj(&[
                ("className", s(class)),
                ("html", s(&escape_html(&label))),
                ("iconSize", js_sys::Array::of2(&n(20.0), &n(20.0)).into()),
            ]));
            marker(
                latlng,
                &obj(&[("icon", icon), ("keyboard", JsValue::FALSE)]),
            )
        }
        OverlayStyle::Hits { selected } => {
            let i = prop_f64(f, "i").map(|u| u as usize);
            let sel = i.is_some() && i == selected;
            circle_marker(
                latlng,
                &obj(&[
                    ("renderer", renderer.clone()),
                    ("radius", n(if sel { 9.0 } else { 5.0 })),
                    ("color", s("#ffffff")),
                    ("weight", n(1.5)),
                    ("fillColor", s(if sel { "#d55e00" } else { "#0072b2" })),
                    ("fillOpacity", n(0.95)),
                ]),
            )
        }
        _ => circle_marker(
            latlng,
            &obj(&[("renderer", renderer.clone()), ("radius", n(4.0))]),
        ),
    }
}
