//! Notices about what the page ignored, could not keep or recovered from
//! ([`crate::web::fault::Fault`]), in both languages: a link value that is not valid,
//! storage that is full or missing, a worker that died and was replaced, a cancelled run.

use super::{Lang, fill};
use crate::web::fault::Fault;
use crate::web::store::Saved;

/// The notices' strings.
#[derive(Debug)]
pub struct FaultText {
    /// A URL parameter whose value was ignored (`{}` = the parameter).
    pub url_ignored: &'static str,
    /// A refused storage write (`{}` = what was not saved).
    pub not_saved: &'static str,
    /// The page has no storage at all.
    pub no_storage: &'static str,
    /// The same, in the resident view (and its embed), which keeps only the job profile.
    pub no_storage_resident: &'static str,
    /// What: the scenarios.
    pub scenarios: &'static str,
    /// What: the match profile.
    pub profile: &'static str,
    /// What: the basemap settings.
    pub tiles: &'static str,
    /// The analysis worker died and was replaced.
    pub worker_restarted: &'static str,
    /// The assessment was cancelled (its worker stopped).
    pub cov_cancelled: &'static str,
    /// The notices' close button (for screen readers).
    pub dismiss: &'static str,
}

/// Chinese.
pub static ZH_FAULT: FaultText = FaultText {
    url_ignored: "链接中的参数 {} 的值无效，已忽略",
    not_saved: "{}未能保存：浏览器存储已满或不可用。之前保存的内容没有改动，本页其余功能照常可用",
    no_storage: "本页无法使用浏览器存储（隐私窗口或嵌入页阻止了存储）：方案、求职档案和底图设置只在本次打开期间有效",
    no_storage_resident: "本页无法使用浏览器存储（嵌入页或隐私窗口阻止了存储）：求职档案只在本次打开期间有效",
    scenarios: "方案",
    profile: "求职档案",
    tiles: "底图设置",
    worker_restarted: "分析进程意外停止（程序出错或浏览器回收了它的内存），已重新启动，并恢复了数据包、本页导入的文件和当前方案，可以继续操作",
    cov_cancelled: "评估已取消，计算已停止。点击“重新评估”可重新计算",
    dismiss: "关闭提示",
};

/// English.
pub static EN_FAULT: FaultText = FaultText {
    url_ignored: "The link's {} value is not valid and was ignored",
    not_saved: "{} could not be saved: the browser's storage is full or unavailable. What was saved before is unchanged; everything else keeps working",
    no_storage: "This page cannot use the browser's storage (a private window, or an embed with storage blocked): scenarios, the job profile and basemap settings last only while the page is open",
    no_storage_resident: "This page cannot use the browser's storage (blocked in an embed or a private window): the job profile lasts only while the page is open",
    scenarios: "The scenarios",
    profile: "The job profile",
    tiles: "The basemap settings",
    worker_restarted: "The analysis worker stopped (an internal error, or the browser reclaimed its memory); a new one was started with the package, the files imported in this page and the current scenario, and you can go on",
    cov_cancelled: "Assessment cancelled: the computation was stopped. Press “Assess again” to run it again",
    dismiss: "Dismiss the notices",
};

impl Lang {
    /// The notices' strings of this language.
    pub const fn faults(self) -> &'static FaultText {
        match self {
            Lang::Zh => &ZH_FAULT,
            Lang::En => &EN_FAULT,
        }
    }

    /// The notice `f`, as a sentence in this language.
    pub fn fault(self, f: &Fault) -> String {
        let t = self.faults();
        match f {
            Fault::UrlIgnored(k) => fill(t.url_ignored, &[k.as_str()]),
            Fault::NotSaved(what) => fill(
                t.not_saved,
                &[match what {
                    Saved::Scenarios => t.scenarios,
                    Saved::Profile => t.profile,
                    Saved::Tiles => t.tiles,
                }],
            ),
            Fault::NoStorage => t.no_storage.to_owned(),
            Fault::WorkerRestarted => t.worker_restarted.to_owned(),
            Fault::NotKept(file) => fill(self.owndata().not_kept, &[file.as_str()]),
            Fault::NotForgotten => self.owndata().not_forgotten.to_owned(),
            Fault::OtherTabMerged | Fault::OtherTabCopy(_) | Fault::OtherTabNotKept(_) => {
                self.tab_fault(f).unwrap_or_default()
            }
            Fault::PinyinUnavailable => self.pinyin_fault(f).unwrap_or_default(),
        }
    }

    /// The notice `f` as shown in the page: the resident view, where the job profile is all
    /// that storage keeps, names only that.
    pub fn fault_shown(self, f: &Fault, resident: bool) -> String {
        if resident && *f == Fault::NoStorage {
            self.faults().no_storage_resident.to_owned()
        } else {
            self.fault(f)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::errors::tests::has_han;
    use super::*;

    #[test]
    fn every_notice_reads_in_both_languages() {
        let all = [
            Fault::UrlIgnored("view".to_owned()),
            Fault::NotSaved(Saved::Scenarios),
            Fault::NotSaved(Saved::Profile),
            Fault::NotSaved(Saved::Tiles),
            Fault::NoStorage,
            Fault::WorkerRestarted,
            Fault::NotKept("s8_st.csv".to_owned()),
            Fault::NotForgotten,
            Fault::OtherTabMerged,
            Fault::OtherTabCopy("Plan A".to_owned()),
            Fault::OtherTabNotKept("Plan A".to_owned()),
            Fault::PinyinUnavailable,
        ];
        for f in &all {
            let (zh, en) = (Lang::Zh.fault(f), Lang::En.fault(f));
            assert!(has_han(&zh), "{f:?}: {zh}");
            assert!(!has_han(&en), "{f:?}: {en}");
            assert!(!zh.contains("{}") && !en.contains("{}"), "{zh} / {en}");
            let (zh, en) = (Lang::Zh.fault_shown(f, true), Lang::En.fault_shown(f, true));
            assert!(
                has_han(&zh) && !has_han(&en),
                "{f:?} (resident): {zh} / {en}"
            );
        }
        assert_ne!(
            Lang::Zh.fault_shown(&Fault::NoStorage, true),
            Lang::Zh.fault(&Fault::NoStorage)
        );
        assert!(Lang::Zh.fault(&all[0]).contains("view"));
        assert!(has_han(ZH_FAULT.cov_cancelled) && !has_han(EN_FAULT.cov_cancelled));
    }
}
