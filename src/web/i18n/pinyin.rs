//! Strings of the community search's pinyin table, fetched by the worker on the first search
//! (`web::pinyin`): the notice when it could not be loaded.

use super::Lang;
use crate::web::fault::Fault;

/// Chinese: the pinyin table could not be loaded.
pub static ZH_PINYIN_UNAVAILABLE: &str = "拼音检索表未能加载（网络中断或服务器未提供 pinyin.bin）：社区搜索暂时只能按汉字查找，拼音和首字母查不到结果。刷新页面可重试";

/// English: the pinyin table could not be loaded.
pub static EN_PINYIN_UNAVAILABLE: &str = "The pinyin table could not be loaded (the network failed, or the server does not serve pinyin.bin): the community search finds names by their Chinese characters only, not by pinyin or initials. Reload the page to try again";

impl Lang {
    /// The pinyin table's notice in this language (None: not it).
    pub fn pinyin_fault(self, f: &Fault) -> Option<String> {
        matches!(f, Fault::PinyinUnavailable).then(|| {
            match self {
                Lang::Zh => ZH_PINYIN_UNAVAILABLE,
                Lang::En => EN_PINYIN_UNAVAILABLE,
            }
            .to_owned()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::errors::tests::has_han;
    use super::*;

    #[test]
    fn the_notice_reads_in_both_languages() {
        let zh = Lang::Zh
            .pinyin_fault(&Fault::PinyinUnavailable)
            .unwrap_or_default();
        let en = Lang::En
            .pinyin_fault(&Fault::PinyinUnavailable)
            .unwrap_or_default();
        assert!(has_han(&zh) && zh.contains("拼音"), "{zh}");
        assert!(!has_han(&en) && en.contains("pinyin"), "{en}");
        assert_eq!(Lang::Zh.pinyin_fault(&Fault::NoStorage), None);
    }
}
