//! The supply–demand section of the coverage tab (issue 14): the walking profile and the
//! standards preset (with its citation), the 2SFCA / E2SFCA ratios per target with the
//! shortfall in people, the accessibility surface (computed in the worker, drawn as a raster with
//! its legend, exported as CSV and GeoJSON) and the printable 体检报告 of the selected unit.
//! Every string is in [`AccessText`], in both languages.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use yew::prelude::*;

use yew_agent::worker::use_worker_bridge;

use super::coverage::{CovSettings, download};
use super::i18n::Lang;
use super::map::Raster;
use super::worker::{Engine, Request, Response};
use crate::plan::access::{AccessError, Method, Standard, SurfaceParams, Target};
use crate::plan::coverage::{Coverage, Level};
use crate::plan::engine::{AccessAnswer, SurfaceAnswer};
use crate::plan::graph::WalkProfile;

/// Who is walking.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Profile {
    /// 60 m/min.
    #[default]
    Standard,
    /// 45 m/min.
    Elderly,
    /// 50 m/min, no steps.
    Wheelchair,
}

impl Profile {
    /// Every profile, in the order offered.
    pub const ALL: [Self; 3] = [Self::Standard, Self::Elderly, Self::Wheelchair];

    /// Stable id (URL, select values).
    pub const fn id(self) -> &'static str {
        match self {
            Self::Standard => "standard",
            Self::Elderly => "elderly",
            Self::Wheelchair => "wheelchair",
        }
    }

    /// The core's walking profile.
    pub const fn walk(self) -> WalkProfile {
        match self {
            Self::Standard => WalkProfile::STANDARD,
            Self::Elderly => WalkProfile::ELDERLY,
            Self::Wheelchair => WalkProfile::WHEELCHAIR,
        }
    }

    /// The profile's label.
    pub fn label(self, t: &AccessText) -> &'static str {
        match self {
            Self::Standard => t.profile_standard,
            Self::Elderly => t.profile_elderly,
            Self::Wheelchair => t.profile_wheelchair,
        }
    }
}

/// What the surface draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SurfaceLayer {
    /// Base categories within their threshold (0–6).
    #[default]
    Within,
    /// Minutes to the nearest of one target (index into the surface's targets).
    Minutes(usize),
    /// The gravity score.
    Gravity,
}

/// The planner's choices.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AccessSettings {
    /// Walking profile.
    pub profile: Profile,
    /// Standards preset.
    pub standard: Standard,
    /// 2SFCA or E2SFCA.
    pub method: Method,
    /// Surface cell size, metres.
    pub cell_m: f64,
    /// What the surface draws.
    pub layer: SurfaceLayer,
}

impl Default for AccessSettings {
    fn default() -> Self {
        Self {
            profile: Profile::Standard,
            standard: Standard::Qingdao2025,
            method: Method::TwoStep,
            cell_m: 100.0,
            layer: SurfaceLayer::Within,
        }
    }
}

impl AccessSettings {
    /// The assessment's parameters under this profile and preset, with `minutes` as the
    /// default threshold (targets the preset does not set).
    pub fn coverage_params(self, minutes: f64) -> crate::plan::coverage::Params {
        let mut thresholds = self.standard.thresholds();
        thresholds.default_minutes = minutes;
        let w = self.profile.walk();
        crate::plan::coverage::Params {
            thresholds,
            speed_m_per_min: w.speed_m_per_min,
            avoid_steps: w.avoid_steps,
            snap: crate::plan::graph::SnapOptions {
                avoid_steps: w.avoid_steps,
                ..crate::plan::graph::SnapOptions::default()
            },
            ..crate::plan::coverage::Params::default()
        }
    }

    /// The ratios' parameters.
    pub fn access_params(self, minutes: f64) -> crate::plan::access::Params {
        crate::plan::access::Params {
            method: self.method,
            standard: self.standard,
            coverage: self.coverage_params(minutes),
            ..crate::plan::access::Params::default()
        }
    }

    /// The surface's parameters.
    pub fn surface_params(self, minutes: f64) -> SurfaceParams {
        let c = self.coverage_params(minutes);
        SurfaceParams {
            cell_m: self.cell_m,
            thresholds: c.thresholds,
            standard: self.standard,
            speed_m_per_min: c.speed_m_per_min,
            avoid_steps: c.avoid_steps,
            ..SurfaceParams::default()
        }
    }
}

/// The section's strings.
#[derive(Debug)]
pub struct AccessText {
    /// Section heading.
    pub heading: &'static str,
    /// Profile select.
    pub profile: &'static str,
    /// Standard walker.
    pub profile_standard: &'static str,
    /// Elderly walker.
    pub profile_elderly: &'static str,
    /// Wheelchair.
    pub profile_wheelchair: &'static str,
    /// Preset select.
    pub standard: &'static str,
    /// Preset names.
    pub standard_names: [&'static str; 4],
    /// Method select.
    pub method: &'static str,
    /// Method names.
    pub method_names: [&'static str; 2],
    /// Run the ratios.
    pub run: &'static str,
    /// While running.
    pub running: &'static str,
    /// Table caption.
    pub caption: &'static str,
    /// Column: target.
    pub col_target: &'static str,
    /// Column: minutes.
    pub col_minutes: &'static str,
    /// Column: supply points.
    pub col_supply: &'static str,
    /// Column: mean ratio per 1,000 people.
    pub col_ratio: &'static str,
    /// Column: people with nothing within reach.
    pub col_none: &'static str,
    /// Column: mean number within reach.
    pub col_count: &'static str,
    /// Column: shortfall in people.
    pub col_short: &'static str,
    /// The station target.
    pub station: &'static str,
    /// Elderly line: {share} {people} {speed} {dual} {conv}.
    pub elderly_line: &'static str,
    /// Method note.
    pub method_note: &'static str,
    /// Surface heading.
    pub surface: &'static str,
    /// Cell size input.
    pub cell: &'static str,
    /// Surface layer select.
    pub layer: &'static str,
    /// Layer: categories within.
    pub layer_within: &'static str,
    /// Layer: minutes to … (prefix).
    pub layer_minutes: &'static str,
    /// Layer: gravity.
    pub layer_gravity: &'static str,
    /// Draw the surface.
    pub surface_run: &'static str,
    /// Surface summary: {cells} {blank} {ms}.
    pub surface_done: &'static str,
    /// Legend: blank cells.
    pub legend_blank: &'static str,
    /// Legend: beyond the horizon.
    pub legend_beyond: &'static str,
    /// Export surface CSV.
    pub export_surface_csv: &'static str,
    /// Export surface GeoJSON.
    pub export_surface_geojson: &'static str,
    /// Export report CSV.
    pub export_csv: &'static str,
    /// Export report GeoJSON.
    pub export_geojson: &'static str,
    /// Print the report.
    pub print: &'static str,
    /// Hint: choose a unit first.
    pub print_hint: &'static str,
    /// Report heading prefix.
    pub report: &'static str,
    /// Report: standard line label.
    pub report_standard: &'static str,
    /// Report: everyone / the elderly at their pace.
    pub report_everyone: &'static str,
    /// Report: the aged 60+.
    pub report_elderly: &'static str,
    /// Report: shares by category.
    pub report_shares: &'static str,
    /// Report: ratios.
    pub report_ratios: &'static str,
    /// Report: gaps within the unit.
    pub report_gaps: &'static str,
    /// Report: model circles within the unit.
    pub report_models: &'static str,
    /// Report: placement suggestion.
    pub report_place: &'static str,
    /// Report: none.
    pub none: &'static str,
    /// Error prefix.
    pub error: &'static str,
}

const ZH: AccessText = AccessText {
    heading: "供需比与可达性",
    profile: "步行人群",
    profile_standard: "一般（60米/分）",
    profile_elderly: "老年人（45米/分）",
    profile_wheelchair: "轮椅（50米/分）",
    standard: "标准",
    standard_names: [
        "GB 50180-2018 生活圈",
        "商务部2021 便民生活圈",
        "青岛2025 双圈",
        "自定义",
    ],
    method: "方法",
    method_names: ["两步移动搜索法（2SFCA）", "高斯衰减两步法（E2SFCA）"],
    run: "计算供需比",
    running: "正在计算供需比…",
    caption: "全域供需比（每千人的服务容量）",
    col_target: "服务",
    col_minutes: "分钟",
    col_supply: "设施数",
    col_ratio: "每千人容量",
    col_none: "步行范围内没有的人口",
    col_count: "可达设施数（平均）",
    col_short: "缺口人口",
    station: "就业服务站",
    elderly_line: "60岁以上人口占{}（约{}人）：按{}米/分步行，双圈覆盖{}，便民生活圈覆盖{}。",
    method_note: "容量缺省为1（按设施个数计）；E2SFCA 权重按三段步行时间取 1.00 / 0.68 / 0.22（Luo & Qi 2009）。",
    surface: "可达性栅格",
    cell: "网格边长（米）",
    layer: "显示",
    layer_within: "阈值内的“六个一”类别数",
    layer_minutes: "到最近的步行分钟：",
    layer_gravity: "引力得分（各类服务按步行时间衰减加权）",
    surface_run: "计算栅格",
    surface_done: "{}个网格，其中{}个不在路网上（留空）；耗时{}毫秒",
    legend_blank: "不在路网上：留空",
    legend_beyond: "超出搜索范围",
    export_surface_csv: "导出栅格 CSV",
    export_surface_geojson: "导出栅格 GeoJSON",
    export_csv: "导出供需比 CSV",
    export_geojson: "导出供需比 GeoJSON",
    print: "打印体检报告（A4）",
    print_hint: "在缺口表或地图上选择一个社区或街道，即可打印它的体检报告。",
    report: "体检报告",
    report_standard: "采用标准",
    report_everyone: "全体居民（按所选步速）",
    report_elderly: "60岁以上（45米/分）",
    report_shares: "各类服务覆盖率",
    report_ratios: "供需比与缺口",
    report_gaps: "缺口清单",
    report_models: "样板圈候选",
    report_place: "选址建议",
    none: "无",
    error: "无法计算：",
};

const EN: AccessText = AccessText {
    heading: "Supply–demand and accessibility",
    profile: "Walkers",
    profile_standard: "Standard (60 m/min)",
    profile_elderly: "Elderly (45 m/min)",
    profile_wheelchair: "Wheelchair (50 m/min)",
    standard: "Standard",
    standard_names: [
        "GB 50180-2018 life circles",
        "MOFCOM 2021 convenience circle",
        "Qingdao 2025 dual circle",
        "Custom",
    ],
    method: "Method",
    method_names: [
        "Two-step floating catchment (2SFCA)",
        "Gaussian bands (E2SFCA)",
    ],
    run: "Compute ratios",
    running: "Computing ratios…",
    caption: "City supply–demand ratios (capacity per 1,000 people)",
    col_target: "Service",
    col_minutes: "Minutes",
    col_supply: "Facilities",
    col_ratio: "Capacity per 1,000",
    col_none: "People with none within reach",
    col_count: "Within reach (mean)",
    col_short: "Shortfall (people)",
    station: "Employment station",
    elderly_line: "Aged 60+: {} (about {} people). Walking {} m/min: dual circle {}, convenience circle {}.",
    method_note: "Capacity defaults to 1 (facilities counted); E2SFCA weighs the three travel-time bands 1.00 / 0.68 / 0.22 (Luo & Qi 2009).",
    surface: "Accessibility surface",
    cell: "Cell size (m)",
    layer: "Show",
    layer_within: "Base categories within their threshold",
    layer_minutes: "Walking minutes to the nearest: ",
    layer_gravity: "Gravity score (each service weighted by walking time)",
    surface_run: "Compute surface",
    surface_done: "{} cells, {} off the network (blank); {} ms",
    legend_blank: "Off the network: blank",
    legend_beyond: "Beyond the search",
    export_surface_csv: "Export surface CSV",
    export_surface_geojson: "Export surface GeoJSON",
    export_csv: "Export ratios CSV",
    export_geojson: "Export ratios GeoJSON",
    print: "Print the check-up report (A4)",
    print_hint: "Select a community or sub-district in the gap table or on the map to print its check-up report.",
    report: "Check-up report",
    report_standard: "Standard",
    report_everyone: "Everyone (chosen pace)",
    report_elderly: "Aged 60+ (45 m/min)",
    report_shares: "Coverage by service",
    report_ratios: "Supply–demand ratios and shortfalls",
    report_gaps: "Gap list",
    report_models: "Model-circle candidates",
    report_place: "Placement suggestion",
    none: "none",
    error: "Cannot compute: ",
};

impl Lang {
    /// The supply–demand section's strings.
    pub const fn access(self) -> &'static AccessText {
        match self {
            Lang::Zh => &ZH,
            Lang::En => &EN,
        }
    }

    /// A standard's citation in this language.
    pub const fn citation(self, s: Standard) -> &'static str {
        match self {
            Lang::Zh => s.citation_zh(),
            Lang::En => s.citation_en(),
        }
    }

    /// A target's label.
    pub fn target(self, t: Target) -> &'static str {
        match t {
            Target::Station => self.access().station,
            Target::Category(c) => self.category(c),
        }
    }
}

fn fill(template: &str, args: &[&str]) -> String {
    super::i18n::fill(template, args)
}

/// Colour of a surface value (None: transparent).
fn colour(layer: SurfaceLayer, minutes: Option<f64>, within: u8, gravity: f32) -> &'static str {
    // Sequential, colour-blind safe (viridis stops), dark = far / few.
    const RAMP: [&str; 7] = [
        "#440154", "#443983", "#31688e", "#21918c", "#35b779", "#90d743", "#fde725",
    ];
    match layer {
        SurfaceLayer::Within => RAMP[usize::from(within.min(6))],
        SurfaceLayer::Minutes(_) => match minutes {
            None => "#bdbdbd",
            Some(m) if m <= 5.0 => RAMP[6],
            Some(m) if m <= 10.0 => RAMP[5],
            Some(m) if m <= 15.0 => RAMP[4],
            Some(m) if m <= 20.0 => RAMP[3],
            Some(m) if m <= 30.0 => RAMP[2],
            Some(_) => RAMP[1],
        },
        SurfaceLayer::Gravity => {
            let g = f64::from(gravity);
            let k = [0.0, 1.0, 3.0, 6.0, 10.0, 20.0]
                .iter()
                .filter(|x| g > **x)
                .count();
            RAMP[k]
        }
    }
}

/// The legend's classes of a layer: (colour, label).
fn classes(layer: SurfaceLayer, t: &AccessText) -> Vec<(&'static str, String)> {
    match layer {
        SurfaceLayer::Within => (0..=6u8)
            .map(|k| (colour(layer, None, k, 0.0), k.to_string()))
            .collect(),
        SurfaceLayer::Minutes(_) => {
            let mut v: Vec<(&'static str, String)> = [
                (5.0, "≤ 5"),
                (10.0, "5–10"),
                (15.0, "10–15"),
                (20.0, "15–20"),
                (30.0, "20–30"),
                (31.0, "> 30"),
            ]
            .iter()
            .map(|(m, l)| (colour(layer, Some(*m), 0, 0.0), (*l).to_owned()))
            .collect();
            v.push((colour(layer, None, 0, 0.0), t.legend_beyond.to_owned()));
            v
        }
        SurfaceLayer::Gravity => [
            (0.0, "0"),
            (1.0, "0–1"),
            (3.0, "1–3"),
            (6.0, "3–6"),
            (10.0, "6–10"),
            (20.0, "10–20"),
            (21.0, "> 20"),
        ]
        .iter()
        .map(|(g, l)| (colour(layer, None, 0, *g as f32), (*l).to_owned()))
        .collect(),
    }
}

/// The surface drawn as a PNG data URL (one pixel per cell, north up; blank cells
/// transparent), or None when the canvas is unavailable.
pub fn surface_image(a: &SurfaceAnswer, layer: SurfaceLayer) -> Option<String> {
    let s = &a.surface;
    let doc = web_sys::window()?.document()?;
    let canvas: web_sys::HtmlCanvasElement = doc.create_element("canvas").ok()?.dyn_into().ok()?;
    canvas.set_width(s.cols);
    canvas.set_height(s.rows);
    let ctx: web_sys::CanvasRenderingContext2d = canvas.get_context("2d").ok()??.dyn_into().ok()?;
    let cols = s.cols as usize;
    for k in 0..s.len() {
        if !s.on_network[k] {
            continue;
        }
        let minutes = match layer {
            SurfaceLayer::Minutes(t) => s.minutes(t, k),
            _ => None,
        };
        ctx.set_fill_style_str(colour(layer, minutes, s.within[k], s.gravity[k]));
        let (c, r) = (k % cols, k / cols);
        ctx.fill_rect(c as f64, f64::from(s.rows) - 1.0 - r as f64, 1.0, 1.0);
    }
    canvas.to_data_url().ok()
}

/// Properties of [`SurfaceLegend`].
#[derive(Properties, PartialEq)]
pub struct SurfaceLegendProps {
    /// Language.
    pub lang: Lang,
    /// What is drawn.
    pub layer: SurfaceLayer,
    /// The surface (for the target's name).
    pub surface: Rc<SurfaceAnswer>,
}

/// The surface layer's legend.
#[component]
pub fn SurfaceLegend(p: &SurfaceLegendProps) -> Html {
    let t = p.lang.access();
    let title = match p.layer {
        SurfaceLayer::Within => t.layer_within.to_owned(),
        SurfaceLayer::Gravity => t.layer_gravity.to_owned(),
        SurfaceLayer::Minutes(k) => format!(
            "{}{}",
            t.layer_minutes,
            p.surface
                .surface
                .targets
                .get(k)
                .map_or("", |x| p.lang.target(*x))
        ),
    };
    html! {
        <div class="legend" id="surface-legend">
            <strong>{ title }</strong>
            { for classes(p.layer, t).into_iter().map(|(c, l)| html! {
                <div><span class="swatch" style={format!("background:{c}")}></span>{ l }</div>
            }) }
            <div><span class="swatch blank"></span>{ t.legend_blank }</div>
        </div>
    }
}

/// Properties of [`AccessPanel`].
#[derive(Properties, PartialEq)]
pub struct AccessProps {
    /// Language.
    pub lang: Lang,
    /// The coverage settings (profile, preset, default minutes), shared with the assessment.
    pub cov: CovSettings,
    /// The coverage answer's assessment (for the report).
    pub coverage: Option<Rc<Coverage>>,
    /// Selected unit (index into the coverage units).
    pub selected: Option<usize>,
    /// Placement suggestion text, when a placement was run.
    #[prop_or_default]
    pub placement: Option<AttrValue>,
    /// Loaded package id (names the exported files; a change clears the answers).
    pub package_id: AttrValue,
    /// The surface's raster for the map (None: nothing drawn).
    pub on_raster: Callback<Option<Rc<Raster>>>,
    /// Print the selected unit's report.
    pub on_print: Callback<usize>,
}

fn select_value(e: &Event) -> Option<String> {
    e.target_dyn_into::<web_sys::HtmlSelectElement>()
        .map(|s| s.value())
}

/// What the section holds between renders.
#[derive(Debug, Clone, Default, PartialEq)]
struct Held {
    method: Method,
    cell_m: f64,
    layer: SurfaceLayer,
    answer: Option<Rc<AccessAnswer>>,
    surface: Option<Rc<SurfaceAnswer>>,
    /// The request number waited for (answers with another number are dropped).
    waiting: Option<u64>,
    seq: u64,
    error: Option<AccessError>,
}

/// What changes the section's state.
enum Change {
    /// A request was sent with this number.
    Sent(u64),
    /// Ratios arrived.
    Answer(Rc<AccessAnswer>),
    /// A surface arrived.
    Surface(Rc<SurfaceAnswer>),
    /// A request failed.
    Failed(u64, AccessError),
    /// Inputs changed: the answers are stale.
    Clear,
    /// New choices.
    Choose(Method, f64, SurfaceLayer),
}

impl Reducible for Held {
    type Action = Change;

    fn reduce(self: Rc<Self>, action: Change) -> Rc<Self> {
        let mut h = (*self).clone();
        match action {
            Change::Sent(seq) => {
                h.seq = seq;
                h.waiting = Some(seq);
            }
            Change::Answer(a) if h.waiting == Some(a.seq) => {
                h.waiting = None;
                h.error = None;
                h.answer = Some(a);
            }
            Change::Surface(a) if h.waiting == Some(a.seq) => {
                h.waiting = None;
                h.error = None;
                h.surface = Some(a);
            }
            Change::Failed(seq, e) if h.waiting == Some(seq) => {
                // Nothing computed half-way is shown: the old figures go too.
                h.waiting = None;
                h.answer = None;
                h.surface = None;
                h.error = Some(e);
            }
            Change::Clear => {
                if h.answer.is_none() && h.surface.is_none() && h.error.is_none() {
                    return self;
                }
                h.answer = None;
                h.surface = None;
                h.error = None;
                h.waiting = None;
            }
            Change::Choose(method, cell_m, layer) => {
                if method != h.method {
                    h.answer = None;
                }
                h.method = method;
                h.cell_m = cell_m;
                h.layer = layer;
            }
            _ => return self,
        }
        Rc::new(h)
    }
}

/// An access error in the reader's language, naming the value.
pub fn error_text(l: Lang, e: &AccessError) -> String {
    let zh = l == Lang::Zh;
    match e {
        AccessError::CellSize(v) => {
            if zh {
                format!("网格边长 {v} 米不是正数")
            } else {
                format!("cell size {v} m is not a positive number of metres")
            }
        }
        AccessError::TooManyCells {
            cell_m,
            cells,
            limit,
        } => {
            if zh {
                format!("网格边长 {cell_m} 米会产生 {cells} 个网格，超过上限 {limit}")
            } else {
                format!("cell size {cell_m} m gives {cells} cells, more than the limit of {limit}")
            }
        }
        AccessError::NoNetwork => {
            if zh {
                "可达性栅格需要路网，此数据包没有路网".to_owned()
            } else {
                e.to_string()
            }
        }
        AccessError::NoDemand => {
            if zh {
                "没有需求点：请导入需求图层（经度、纬度、人口）".to_owned()
            } else {
                e.to_string()
            }
        }
        AccessError::TargetRatio { target, value } => {
            if zh {
                format!("{} 的目标比例 {value} 不是正数", l.target(*target))
            } else {
                e.to_string()
            }
        }
        AccessError::Params(m) => {
            if zh {
                format!("参数无效：{m}")
            } else {
                m.clone()
            }
        }
    }
}

/// The supply–demand section: its own bridge to the analysis worker, the ratios, the surface
/// and the report.
#[component]
#[allow(clippy::too_many_lines)]
pub fn AccessPanel(p: &AccessProps) -> Html {
    let l = p.lang;
    let t = l.access();
    let held = use_reducer(|| Held {
        cell_m: 100.0,
        ..Held::default()
    });
    let bridge = {
        let held = held.dispatcher();
        use_worker_bridge::<Engine, _>(move |out: Response| match out {
            Response::Access(a) => held.dispatch(Change::Answer(Rc::new(*a))),
            Response::Surface(a) => held.dispatch(Change::Surface(Rc::new(*a))),
            Response::AccessError(seq, e) => held.dispatch(Change::Failed(seq, e)),
            _ => {}
        })
    };
    let settings = AccessSettings {
        method: held.method,
        cell_m: held.cell_m,
        layer: held.layer,
        ..p.cov.access()
    };
    let minutes = p.cov.minutes;
    // A new package, profile or preset makes the answers stale.
    {
        let held = held.dispatcher();
        use_effect_with((p.package_id.clone(), p.cov), move |_| {
            held.dispatch(Change::Clear);
        });
    }
    // The raster follows the surface and the chosen layer.
    {
        let on_raster = p.on_raster.clone();
        use_effect_with((held.surface.clone(), held.layer), move |(s, layer)| {
            on_raster.emit(s.as_ref().and_then(|s| {
                Some(Rc::new(Raster {
                    url: surface_image(s, *layer)?,
                    bounds_wgs84: s.bounds_wgs84,
                }))
            }));
        });
    }
    let send = |surface: bool| {
        let held = held.clone();
        let bridge = bridge.clone();
        Callback::from(move |()| {
            let seq = held.seq + 1;
            held.dispatch(Change::Sent(seq));
            if surface {
                bridge.send(Request::Surface {
                    seq,
                    params: settings.surface_params(minutes),
                });
            } else {
                bridge.send(Request::Access {
                    seq,
                    params: settings.access_params(minutes),
                });
            }
        })
    };
    let (on_run, on_surface) = (send(false), send(true));
    let busy = held.waiting.is_some();
    let choose = |f: fn(AccessSettings, &str) -> Option<AccessSettings>| {
        let held = held.dispatcher();
        Callback::from(move |e: Event| {
            let v = select_value(&e).or_else(|| {
                e.target_dyn_into::<web_sys::HtmlInputElement>()
                    .map(|i| i.value())
            });
            if let Some(v) = v
                && let Some(s) = f(settings, &v)
            {
                held.dispatch(Change::Choose(s.method, s.cell_m, s.layer));
            }
        })
    };
    let on_method = choose(|s, v| {
        v.parse::<Method>()
            .ok()
            .map(|method| AccessSettings { method, ..s })
    });
    let on_layer = choose(|s, v| {
        let layer = match v {
            "within" => SurfaceLayer::Within,
            "gravity" => SurfaceLayer::Gravity,
            x => SurfaceLayer::Minutes(x.strip_prefix('t')?.parse().ok()?),
        };
        Some(AccessSettings { layer, ..s })
    });
    // Any number goes to the worker, which names a bad one; text that is not a number is 0,
    // refused the same way.
    let on_cell = choose(|s, v| {
        Some(AccessSettings {
            cell_m: v.trim().parse::<f64>().unwrap_or(0.0),
            ..s
        })
    });
    let controls = html! {
        <div class="controls" id="acc-controls">
            <label>{ t.method }{ " " }
                <select id="acc-method" onchange={on_method}>
                    { for [Method::TwoStep, Method::Enhanced].iter().enumerate().map(|(k, x)| html! {
                        <option value={x.id()} selected={*x == settings.method}>{ t.method_names[k] }</option>
                    }) }
                </select>
            </label>
            <button id="acc-run" onclick={on_run.reform(|_| ())} disabled={busy}>{ t.run }</button>
        </div>
    };
    let error = held.error.as_ref().map(|e| {
        html! { <p class="banner warn" role="alert" id="acc-error">{ t.error }{ error_text(l, e) }</p> }
    });
    let progress = busy.then(|| html! { <p role="status" class="progress">{ t.running }</p> });

    let ratios = held.answer.as_ref().map(|a| {
        let acc = &a.access;
        let city = acc.units.last();
        let elderly = match (
            acc.elderly.as_ref().and_then(|e| e.last()),
            acc.params.elderly_share,
        ) {
            (Some(e), Some(share)) => Some(html! {
                <p id="acc-elderly">{ fill(t.elderly_line, &[
                    &l.pct(share),
                    &l.int(e.people),
                    &format!("{}", acc.params.elderly_speed_m_per_min),
                    &l.pct(e.dual_share),
                    &l.pct(e.convenience_share),
                ]) }</p>
            }),
            _ => None,
        };
        let (a1, a2) = (a.clone(), a.clone());
        let id = p.package_id.to_string();
        let (i1, i2) = (id.clone(), id);
        html! {
            <>
            <div class="table-wrap">
            <table class="gap-table" id="acc-table">
                <caption>{ t.caption }</caption>
                <thead><tr>
                    <th scope="col">{ t.col_target }</th>
                    <th scope="col">{ t.col_minutes }</th>
                    <th scope="col">{ t.col_supply }</th>
                    <th scope="col">{ t.col_ratio }</th>
                    <th scope="col">{ t.col_count }</th>
                    <th scope="col">{ t.col_none }</th>
                    <th scope="col">{ t.col_short }</th>
                </tr></thead>
                <tbody>
                { for acc.targets.iter().enumerate().map(|(k, tr)| {
                    let f = city.and_then(|c| c.get(k));
                    html! {
                        <tr data-target={tr.target.id()}>
                            <th scope="row">{ l.target(tr.target) }</th>
                            <td class="num">{ format!("{}", tr.ratios.minutes) }</td>
                            <td class="num">{ tr.supply_ids.len() }</td>
                            <td class="num">{ f.map(|f| format!("{:.3}", f.mean_ratio * 1000.0)).unwrap_or_default() }</td>
                            <td class="num">{ f.map(|f| format!("{:.2}", f.mean_count_within)).unwrap_or_default() }</td>
                            <td class="num">{ f.map(|f| l.int(f.people_none_within)).unwrap_or_default() }</td>
                            <td class="num">{ f.and_then(|f| f.shortfall_people).map_or_else(|| "—".to_owned(), |x| l.int(x)) }</td>
                        </tr>
                    }
                }) }
                </tbody>
            </table>
            </div>
            { for elderly }
            <p class="note">{ t.method_note }</p>
            <div class="exports">
                <button class="secondary" id="acc-csv" onclick={Callback::from(move |_| download(&format!("{i1}-access-{}.csv", a1.access.params.standard.id()), "text/csv;charset=utf-8", &format!("\u{feff}{}", a1.report_csv)))}>{ t.export_csv }</button>
                <button class="secondary" id="acc-geojson" onclick={Callback::from(move |_| download(&format!("{i2}-access-{}.geojson", a2.access.params.standard.id()), "application/geo+json", &a2.access.report_geojson(&[])))}>{ t.export_geojson }</button>
            </div>
            </>
        }
    });

    let surface = {
        let layer_value = |x: SurfaceLayer| match x {
            SurfaceLayer::Within => "within".to_owned(),
            SurfaceLayer::Gravity => "gravity".to_owned(),
            SurfaceLayer::Minutes(k) => format!("t{k}"),
        };
        let targets: Vec<Target> = held
            .surface
            .as_ref()
            .map(|s| s.surface.targets.clone())
            .unwrap_or_default();
        let done = held.surface.as_ref().map(|s| {
            let blank = s.surface.on_network.iter().filter(|x| !**x).count();
            let (s1, s2) = (s.clone(), s.clone());
            let id = p.package_id.to_string();
            let (i1, i2) = (id.clone(), id);
            html! {
                <>
                <p id="surf-summary" data-ms={format!("{:.1}", s.compute_ms)}>{ fill(t.surface_done, &[&l.int(s.surface.len() as f64), &l.int(blank as f64), &format!("{:.0}", s.compute_ms)]) }</p>
                <div class="exports">
                    <button class="secondary" id="surf-csv" onclick={Callback::from(move |_| download(&format!("{i1}-surface-{}m.csv", s1.surface.params.cell_m), "text/csv;charset=utf-8", &format!("\u{feff}{}", s1.surface.csv())))}>{ t.export_surface_csv }</button>
                    <button class="secondary" id="surf-geojson" onclick={Callback::from(move |_| download(&format!("{i2}-surface-{}m.geojson", s2.surface.params.cell_m), "application/geo+json", &s2.surface.geojson()))}>{ t.export_surface_geojson }</button>
                </div>
                </>
            }
        });
        html! {
            <>
            <h3>{ t.surface }</h3>
            <div class="controls">
                <label>{ t.cell }{ " " }
                    <input type="number" id="surf-cell" min="10" step="10" value={format!("{}", settings.cell_m)} onchange={on_cell} />
                </label>
                <label>{ t.layer }{ " " }
                    <select id="surf-layer" onchange={on_layer}>
                        <option value="within" selected={settings.layer == SurfaceLayer::Within}>{ t.layer_within }</option>
                        { for targets.iter().enumerate().map(|(k, x)| html! {
                            <option value={layer_value(SurfaceLayer::Minutes(k))} selected={settings.layer == SurfaceLayer::Minutes(k)}>{ format!("{}{}", t.layer_minutes, l.target(*x)) }</option>
                        }) }
                        <option value="gravity" selected={settings.layer == SurfaceLayer::Gravity}>{ t.layer_gravity }</option>
                    </select>
                </label>
                <button id="surf-run" onclick={on_surface.reform(|_| ())} disabled={busy}>{ t.surface_run }</button>
            </div>
            { for done }
            if let Some(s) = &held.surface {
                <SurfaceLegend lang={l} layer={settings.layer} surface={s.clone()} />
            }
            </>
        }
    };

    let report = match (p.selected, &p.coverage) {
        (Some(u), Some(cov)) if u < cov.units.len() => {
            let print = p.on_print.reform(move |_| u);
            html! {
                <>
                <button id="acc-print" onclick={print}>{ t.print }</button>
                <CheckupReport lang={l} unit={u} coverage={cov.clone()} answer={held.answer.clone()} placement={p.placement.clone()} />
                </>
            }
        }
        _ => html! { <p class="hint" id="acc-print-hint">{ t.print_hint }</p> },
    };

    html! {
        <section id="access-panel" aria-labelledby="acc-heading">
            <h2 id="acc-heading">{ t.heading }</h2>
            { controls }
            { for error }
            { for progress }
            { for ratios }
            { surface }
            { report }
        </section>
    }
}

/// Properties of [`CheckupReport`].
#[derive(Properties, PartialEq)]
pub struct ReportProps {
    /// Language.
    pub lang: Lang,
    /// The unit (index into the coverage units).
    pub unit: usize,
    /// The assessment.
    pub coverage: Rc<Coverage>,
    /// The ratios, when computed.
    pub answer: Option<Rc<AccessAnswer>>,
    /// Placement suggestion, when a placement was run.
    pub placement: Option<AttrValue>,
}

/// The 体检报告 of one unit: what prints on A4 next to the map at the unit's extent.
#[component]
pub fn CheckupReport(p: &ReportProps) -> Html {
    let l = p.lang;
    let t = l.access();
    let ui = l.ui();
    let cov = &p.coverage;
    let Some(u) = cov.units.get(p.unit) else {
        return html! {};
    };
    let standard = p
        .answer
        .as_ref()
        .map(|a| a.access.params.standard)
        .unwrap_or_default();
    // Units below this one: its gaps and model circles.
    let below = |i: usize| {
        let x = &cov.units[i];
        i == p.unit || (x.level < u.level && x.parent.as_deref() == Some(u.name.as_str()))
    };
    let gaps: Vec<usize> = cov
        .gaps
        .iter()
        .copied()
        .filter(|i| below(*i))
        .take(15)
        .collect();
    let models: Vec<usize> = cov
        .models
        .iter()
        .copied()
        .filter(|i| below(*i))
        .take(10)
        .collect();
    let elderly = p.answer.as_ref().and_then(|a| {
        a.access
            .elderly
            .as_ref()
            .and_then(|e| e.get(p.unit))
            .cloned()
    });
    let ratios = p.answer.as_ref().and_then(|a| {
        a.access
            .units
            .get(p.unit)
            .map(|f| (a.access.targets.clone(), f.clone()))
    });
    let level = match u.level {
        Level::Community => ui.level_community,
        Level::Subdistrict => ui.level_subdistrict,
        Level::District => ui.level_district,
        Level::City => ui.level_city,
    };
    html! {
        <article id="checkup-report" class="report" aria-labelledby="report-title">
            <h3 id="report-title">{ format!("{} · {} · {}", t.report, u.name, level) }</h3>
            <p class="note">{ t.report_standard }{ "：" }{ l.citation(standard) }</p>
            <dl class="figures">
                <dt>{ ui.cov_population }</dt><dd>{ l.int(u.population) }</dd>
                <dt>{ t.report_everyone }{ " · " }{ ui.cov_dual }</dt><dd id="report-dual">{ l.pct(u.dual_share) }</dd>
                <dt>{ t.report_everyone }{ " · " }{ ui.cov_convenience }</dt><dd>{ l.pct(u.convenience_share) }</dd>
                if let Some(e) = &elderly {
                    <dt>{ t.report_elderly }{ " · " }{ ui.cov_dual }</dt><dd id="report-elderly-dual">{ l.pct(e.dual_share) }</dd>
                    <dt>{ t.report_elderly }{ " · " }{ ui.cov_convenience }</dt><dd>{ l.pct(e.convenience_share) }</dd>
                }
            </dl>
            <h4>{ t.report_shares }</h4>
            <table class="gap-table" id="report-shares">
                <tbody>
                <tr><th scope="row">{ t.station }</th><td class="num">{ l.pct(u.employment_share) }</td></tr>
                { for cov.categories.iter().zip(&u.category_share).map(|(c, s)| html! {
                    <tr><th scope="row">{ l.category(*c) }</th><td class="num">{ l.pct(*s) }</td></tr>
                }) }
                </tbody>
            </table>
            if let Some((targets, figs)) = ratios {
                <h4>{ t.report_ratios }</h4>
                <table class="gap-table" id="report-ratios">
                    <thead><tr>
                        <th scope="col">{ t.col_target }</th>
                        <th scope="col">{ t.col_ratio }</th>
                        <th scope="col">{ t.col_none }</th>
                        <th scope="col">{ t.col_short }</th>
                    </tr></thead>
                    <tbody>
                    { for targets.iter().zip(&figs).map(|(tr, f)| html! {
                        <tr>
                            <th scope="row">{ l.target(tr.target) }</th>
                            <td class="num">{ format!("{:.3}", f.mean_ratio * 1000.0) }</td>
                            <td class="num">{ l.int(f.people_none_within) }</td>
                            <td class="num">{ f.shortfall_people.map_or_else(|| "—".to_owned(), |x| l.int(x)) }</td>
                        </tr>
                    }) }
                    </tbody>
                </table>
            }
            <h4>{ t.report_gaps }</h4>
            if gaps.is_empty() { <p>{ t.none }</p> } else {
                <ol>{ for gaps.iter().map(|i| {
                    let x = &cov.units[*i];
                    html! { <li>{ format!("{} — {} {}", x.name, l.int(x.population * (1.0 - x.dual_share)), ui.card_people) }</li> }
                }) }</ol>
            }
            <h4>{ t.report_models }</h4>
            if models.is_empty() { <p>{ t.none }</p> } else {
                <ol>{ for models.iter().map(|i| html! { <li>{ format!("{} {}", cov.units[*i].name, l.pct(cov.units[*i].dual_share)) }</li> }) }</ol>
            }
            if let Some(pl) = &p.placement {
                <h4>{ t.report_place }</h4>
                <p>{ pl.to_string() }</p>
            }
        </article>
    }
}
