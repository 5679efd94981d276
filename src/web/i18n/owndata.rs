//! The planner's own files: imports kept in this browser, the layer question for a file whose
//! layer cannot be told, the package export, and the size limit shown before reading.

use super::Lang;

/// The strings of the planner's own data.
#[derive(Debug)]
pub struct OwnText {
    /// Heading of the kept-imports block.
    pub heading: &'static str,
    /// Nothing kept yet: what keeping does.
    pub none: &'static str,
    /// Files kept (`{}` = how many), before their names.
    pub kept: &'static str,
    /// The forget button.
    pub forget: &'static str,
    /// The export button.
    pub export: &'static str,
    /// The export is being written.
    pub exporting: &'static str,
    /// The export was saved (`{}` = file name).
    pub exported: &'static str,
    /// What the export holds.
    pub export_hint: &'static str,
    /// The size limit, shown before reading (`{}` = megabytes).
    pub limit: &'static str,
    /// The layer question (one per file whose layer cannot be told).
    pub ask: &'static str,
    /// The select's label.
    pub layer_label: &'static str,
    /// The import-as button.
    pub import_as: &'static str,
    /// The answered question (`{}` = the layer).
    pub chosen: &'static str,
    /// A file that could not be kept (`{}` = file name).
    pub not_kept: &'static str,
    /// Kept files that could not be removed.
    pub not_forgotten: &'static str,
    /// The network banner after an import rebuilt it (`{}` = file names).
    pub network_from: &'static str,
}

/// Chinese.
pub static ZH_OWN: OwnText = OwnText {
    heading: "保存在本浏览器的导入",
    none: "拖入的文件导入成功后会保存在本浏览器（IndexedDB），重新打开页面时自动重新导入；数据不会上传。",
    kept: "已保存 {} 个文件，重新打开页面时自动重新导入：",
    forget: "清除导入",
    export: "导出数据包",
    exporting: "正在导出数据包…",
    exported: "已导出 {}",
    export_hint: "导出为 ZIP：与命令行 package 相同的文件夹格式（manifest.json 和各图层文件），包括数据包本身和导入的文件，可用 shuangquan check 检查。",
    limit: "单个文件最大 {} MB，更大的文件不会读取。",
    ask: "无法从文件名或列名判断这个文件属于哪个图层，请选择图层：",
    layer_label: "图层",
    import_as: "按所选图层导入",
    chosen: "已按“{}”图层重新导入（见下方新的导入报告）",
    not_kept: "{} 未能保存在本浏览器（存储已满或被阻止）：本次已导入，但重新打开页面后不会自动导入。已载入的内容没有丢失",
    not_forgotten: "保存的导入未能清除（浏览器存储不可用），本页内容没有改动",
    network_from: "步行路网已用导入的文件重建：{}",
};

/// English.
pub static EN_OWN: OwnText = OwnText {
    heading: "Imports kept in this browser",
    none: "Files you drop are kept in this browser (IndexedDB) once they import, and imported again when the page opens; nothing is uploaded.",
    kept: "{} files kept, imported again when the page opens:",
    forget: "Forget my files",
    export: "Export package",
    exporting: "Exporting the package…",
    exported: "Exported {}",
    export_hint: "A ZIP in the folder format of the CLI's package command (manifest.json and one file per layer), the package and your imports together; shuangquan check reads it.",
    limit: "Files up to {} MB; a larger file is not read.",
    ask: "The layer of this file cannot be told from its name or columns; choose it:",
    layer_label: "Layer",
    import_as: "Import as this layer",
    chosen: "Imported again as {} (see the new report below)",
    not_kept: "{} could not be kept in this browser (storage full or blocked): it is imported now, but will not be imported again when the page reopens. Nothing loaded was lost",
    not_forgotten: "The kept imports could not be removed (the browser's storage is unavailable); nothing on the page changed",
    network_from: "The walking network was rebuilt with the imported files: {}",
};

impl Lang {
    /// The planner's-own-data strings of this language.
    pub const fn owndata(self) -> &'static OwnText {
        match self {
            Lang::Zh => &ZH_OWN,
            Lang::En => &EN_OWN,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::errors::tests::has_han;
    use super::*;

    #[test]
    fn chinese_has_han_and_english_has_none() {
        let fields = |t: &OwnText| {
            [
                t.heading,
                t.none,
                t.kept,
                t.forget,
                t.export,
                t.exporting,
                t.exported,
                t.export_hint,
                t.limit,
                t.ask,
                t.layer_label,
                t.import_as,
                t.chosen,
                t.not_kept,
                t.not_forgotten,
                t.network_from,
            ]
        };
        for (zh, en) in fields(&ZH_OWN).into_iter().zip(fields(&EN_OWN)) {
            assert!(has_han(zh), "{zh}");
            assert!(!has_han(en), "{en}");
        }
    }
}
