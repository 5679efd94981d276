//! The shell's, data panel's and walking circles' strings.

/// The interface strings of one language.
#[derive(Debug)]
pub struct Text {
    /// App title.
    pub title: &'static str,
    /// Subtitle.
    pub subtitle: &'static str,
    /// Label of the language switch (names the other language).
    pub switch_lang: &'static str,
    /// Map region label.
    pub map_label: &'static str,
    /// Side panel label.
    pub panel_label: &'static str,
    /// Engine status: starting.
    pub engine_starting: &'static str,
    /// Engine status: ready.
    pub engine_ready: &'static str,
    /// Heading of the data section.
    pub data_heading: &'static str,
    /// Package selector label.
    pub package_label: &'static str,
    /// Loading message.
    pub loading: &'static str,
    /// Heading of the layer list.
    pub layers_heading: &'static str,
    /// Column: source.
    pub source: &'static str,
    /// Column: licence.
    pub licence: &'static str,
    /// Column: method.
    pub method: &'static str,
    /// Features count suffix.
    pub features: &'static str,
    /// Banner shown when a package has illustrative layers.
    pub illustrative_banner: &'static str,
    /// Banner shown when a package has no street network.
    pub no_network_banner: &'static str,
    /// Failed to load a file.
    pub load_failed: &'static str,
    /// Heading of the walk-circle section.
    pub iso_heading: &'static str,
    /// How to use the walk circles.
    pub iso_hint: &'static str,
    /// Label before the chosen point.
    pub iso_point: &'static str,
    /// Walking time to the network from the chosen point.
    pub iso_access: &'static str,
    /// Reached network nodes.
    pub iso_reached: &'static str,
    /// Computation time.
    pub iso_compute: &'static str,
    /// The point is too far from any street.
    pub iso_off_network: &'static str,
    /// Straight-line estimate label.
    pub iso_estimate: &'static str,
    /// Legend title of the isochrone bands.
    pub iso_legend: &'static str,
    /// Attribution prefix.
    pub attribution: &'static str,
    /// Heading of the import section.
    pub import_heading: &'static str,
    /// How to import.
    pub import_hint: &'static str,
    /// File button label.
    pub import_choose: &'static str,
    /// Import under way.
    pub import_busy: &'static str,
    /// "loaded".
    pub import_loaded: &'static str,
    /// "read".
    pub import_read: &'static str,
    /// The network was rebuilt.
    pub import_network: &'static str,
    /// Features over the drawing cap (`{}`: how many); all are analysed.
    pub import_undrawn: &'static str,
}

/// 简体中文.
pub const ZH: Text = Text {
    title: "双圈",
    subtitle: "15分钟就业服务圈 + 一刻钟便民生活圈",
    switch_lang: "English",
    map_label: "地图：点击或按回车键选择位置",
    panel_label: "面板",
    engine_starting: "计算引擎启动中…",
    engine_ready: "计算引擎就绪",
    data_heading: "数据包",
    package_label: "数据包",
    loading: "正在加载数据…",
    layers_heading: "图层与来源",
    source: "来源",
    licence: "许可",
    method: "方法",
    features: "个要素",
    illustrative_banner: "注意：标为“示意”的图层是为演示生成的，不代表真实情况。请导入本地真实数据。",
    no_network_banner: "此数据包没有路网：步行时间均为直线距离估算。",
    load_failed: "加载失败",
    iso_heading: "步行圈",
    iso_hint: "在地图上点击任意位置（或聚焦地图后按回车键选择地图中心），显示5/10/15分钟步行范围；拖动标记可随之更新。",
    iso_point: "位置",
    iso_access: "到路网步行",
    iso_reached: "可达路网节点",
    iso_compute: "计算耗时",
    iso_off_network: "该位置距最近道路超过限值，未接入路网。",
    iso_estimate: "直线估算（无路网）",
    iso_legend: "步行时间",
    attribution: "数据",
    import_heading: "导入数据",
    import_hint: "把 CSV（UTF-8 或 GBK，中英文列名）、GeoJSON 或 OSM 文件拖到页面上，或选择文件。GCJ-02/BD-09 坐标会转换为 WGS-84。数据只在本浏览器中处理。",
    import_choose: "选择文件…",
    import_busy: "正在导入…",
    import_loaded: "条已载入",
    import_read: "条已读取",
    import_network: "已用导入的道路重建步行路网。",
    import_undrawn: "{} 个要素超过绘制上限，未画在地图上；分析仍使用全部记录。",
};

/// English.
pub const EN: Text = Text {
    title: "Shuangquan",
    subtitle: "15-minute employment service circle + 15-minute convenience living circle",
    switch_lang: "中文",
    map_label: "Map: click, or press Enter, to choose a place",
    panel_label: "Panel",
    engine_starting: "Starting the analysis engine…",
    engine_ready: "Analysis engine ready",
    data_heading: "Data package",
    package_label: "Package",
    loading: "Loading data…",
    layers_heading: "Layers and sources",
    source: "Source",
    licence: "Licence",
    method: "Method",
    features: "features",
    illustrative_banner: "Note: layers marked “illustrative” were generated for demonstration and are not real. Load your local data.",
    no_network_banner: "This package has no street network: every walking time is a straight-line estimate.",
    load_failed: "Failed to load",
    iso_heading: "Walking circles",
    iso_hint: "Click anywhere on the map (or focus the map and press Enter for its centre) to see the 5/10/15-minute walking areas; drag the marker and they follow.",
    iso_point: "Point",
    iso_access: "Walk to the network",
    iso_reached: "Network nodes reached",
    iso_compute: "Computed in",
    iso_off_network: "This place is farther from any street than the limit; it is not on the network.",
    iso_estimate: "Straight-line estimate (no network)",
    iso_legend: "Walking time",
    attribution: "Data",
    import_heading: "Import data",
    import_hint: "Drop CSV (UTF-8 or GBK, Chinese or English headers), GeoJSON or OSM files on the page, or choose files. GCJ-02/BD-09 coordinates are converted to WGS-84. Data stays in this browser.",
    import_choose: "Choose files…",
    import_busy: "Importing…",
    import_loaded: "loaded",
    import_read: "read",
    import_network: "The walking network was rebuilt with the imported streets.",
    import_undrawn: "{} features are over the drawing limit and not on the map; every record is still analysed.",
};
