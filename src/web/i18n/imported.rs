//! The data tab's list of the layers the planner imported.

use super::Lang;

/// The imported layers' strings.
#[derive(Debug)]
pub struct ImportedText {
    /// The list's heading.
    pub heading: &'static str,
    /// The badge of an imported layer (the planner's own data).
    pub badge: &'static str,
    /// "from the file" before the file name.
    pub from_file: &'static str,
}

/// Chinese.
pub static ZH_IMPORTED: ImportedText = ImportedText {
    heading: "导入的图层",
    badge: "自有数据",
    from_file: "来自文件",
};

/// English.
pub static EN_IMPORTED: ImportedText = ImportedText {
    heading: "Imported layers",
    badge: "your data",
    from_file: "from the file",
};

impl Lang {
    /// The imported layers' strings.
    pub const fn imported(self) -> &'static ImportedText {
        match self {
            Lang::Zh => &ZH_IMPORTED,
            Lang::En => &EN_IMPORTED,
        }
    }
}
