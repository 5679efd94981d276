//! Strings of two tabs editing one package's scenarios: the notices when another tab's edits
//! were merged in, and the copy kept when both tabs changed one scenario differently.

use super::{Lang, fill};
use crate::web::fault::Fault;

/// Strings of the tab merge.
#[derive(Debug)]
pub struct TabsText {
    /// Appended to the name of the other tab's version kept as a copy.
    pub copy_suffix: &'static str,
    /// Another tab changed the scenarios; its edits were merged in.
    pub merged: &'static str,
    /// Both tabs changed one scenario differently (`{}` = the copy's name).
    pub copy: &'static str,
    /// The other tab's version could not be kept (`{}` = the scenario's name).
    pub not_kept: &'static str,
}

/// Chinese.
pub static ZH_TABS: TabsText = TabsText {
    copy_suffix: "（另一个标签页）",
    merged: "另一个标签页修改了本数据包的方案，本页已合并这些修改（各自的修改都保留）",
    copy: "本页和另一个标签页对同一方案做了相互冲突的修改：本页的版本保持不变，另一个标签页的版本另存为「{}」",
    not_kept: "另一个标签页对方案「{}」的修改与本页冲突，且方案数已达上限，未能另存；请在另一个标签页导出方案文件",
};

/// English.
pub static EN_TABS: TabsText = TabsText {
    copy_suffix: " (other tab)",
    merged: "Another tab changed this package's scenarios; its edits were merged into this page (both sides' edits are kept)",
    copy: "This page and another tab changed one scenario in conflicting ways: this page's version stays as it is, and the other tab's is kept as “{}”",
    not_kept: "Another tab's change of the scenario “{}” conflicts with this page's and the scenario list is full, so it could not be kept as a copy; export the scenarios from the other tab",
};

impl Lang {
    /// The tab-merge strings of this language.
    pub const fn tabs(self) -> &'static TabsText {
        match self {
            Lang::Zh => &ZH_TABS,
            Lang::En => &EN_TABS,
        }
    }

    /// A tab-merge notice in this language (None: not one of them).
    pub fn tab_fault(self, f: &Fault) -> Option<String> {
        let t = self.tabs();
        Some(match f {
            Fault::OtherTabMerged => t.merged.to_owned(),
            Fault::OtherTabCopy(name) => fill(t.copy, &[name]),
            Fault::OtherTabNotKept(name) => fill(t.not_kept, &[name]),
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::errors::tests::has_han;
    use super::*;

    #[test]
    fn every_tab_notice_reads_in_both_languages() {
        for f in [
            Fault::OtherTabMerged,
            Fault::OtherTabCopy("方案 A（另一个标签页）".to_owned()),
            Fault::OtherTabNotKept("B".to_owned()),
        ] {
            let (zh, en) = (Lang::Zh.fault(&f), Lang::En.fault(&f));
            assert!(has_han(&zh), "{f:?}: {zh}");
            assert!(!en.contains("{}") && !zh.contains("{}"), "{zh} / {en}");
            assert!(!has_han(&en) || matches!(f, Fault::OtherTabCopy(_)), "{en}");
        }
        assert!(has_han(ZH_TABS.copy_suffix) && !has_han(EN_TABS.copy_suffix));
    }
}
