//! Words the worker renders in both languages before they cross to the page ([`Both`]).
//!
//! Import problems and the match reasons of the resident's postings are the long, many-variant
//! lists: the worker turns each [`Problem`] and each [`Reason`] into its zh and en lines
//! ([`Lang::import_problem`], [`super::nearby`]'s reason wording), so the page carries neither
//! their decoders ([`crate::plan::import::ProblemKind`], the internally tagged [`Reason`]) nor
//! their renderers, and a language switch needs no new request: the page picks the line of the
//! language shown ([`Both::get`]).

use serde::{Deserialize, Serialize};

use super::Lang;
use crate::plan::import::Problem;
use crate::plan::nearby::Reason;

/// One line in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Both {
    /// 简体中文.
    pub zh: String,
    /// English.
    pub en: String,
}

impl Both {
    /// The line in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }

    /// An import problem in both languages (rendered in the worker).
    pub fn problem(p: &Problem) -> Both {
        Both {
            zh: Lang::Zh.import_problem(p),
            en: Lang::En.import_problem(p),
        }
    }

    /// One reason of a posting's match score in both languages (rendered in the worker).
    pub fn reason(r: &Reason) -> Both {
        Both {
            zh: super::nearby::reason_zh(r),
            en: super::nearby::reason_en(r),
        }
    }

    /// A file the browser could not read (the page's own problem: the worker never saw the
    /// file). The same lines as [`Both::problem`] of a file-level
    /// [`crate::plan::import::ProblemKind::Unreadable`] error, without its renderers.
    pub fn unreadable(file: &str, message: &str) -> Both {
        Both {
            zh: format!("错误：{file}：{}", super::problems::ZH_UNREADABLE),
            en: format!("error: {file}: cannot read the file: {message}"),
        }
    }

    /// A file over the size limit, refused unread by the page (the same lines as
    /// [`Both::problem`] of a file-level [`crate::plan::import::ProblemKind::TooLarge`]
    /// error, without its renderers).
    pub fn too_large(file: &str, size: u64, limit: u64) -> Both {
        Both {
            zh: format!("错误：{file}：文件大小 {size} 字节，超过 {limit} 字节的上限"),
            en: format!(
                "error: {file}: the file is {size} bytes, over the {limit}-byte limit (raise the limit to load it)"
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::errors::tests::has_han;
    use super::*;
    use crate::plan::import::{Location, ProblemKind, Severity};

    #[test]
    fn unreadable_reads_as_the_full_renderer_does() {
        let p = Problem {
            file: "岗位.csv".to_owned(),
            location: Location::File,
            field: None,
            severity: Severity::Error,
            kind: ProblemKind::Unreadable {
                message: "NotReadableError".to_owned(),
            },
        };
        assert_eq!(
            Both::unreadable("岗位.csv", "NotReadableError"),
            Both::problem(&p)
        );
    }

    #[test]
    fn too_large_reads_as_the_full_renderer_does() {
        let p = Problem {
            file: "osm 青岛.pbf".to_owned(),
            location: Location::File,
            field: None,
            severity: Severity::Error,
            kind: ProblemKind::TooLarge {
                size: 300_000_000,
                limit: 209_715_200,
            },
        };
        assert_eq!(
            Both::too_large("osm 青岛.pbf", 300_000_000, 209_715_200),
            Both::problem(&p)
        );
    }

    #[test]
    fn reasons_read_in_each_language() {
        use crate::plan::model::HoursType;
        use crate::plan::nearby::Education;
        for r in [
            Reason::Walk { minutes: 7.0 },
            Reason::EducationBelow {
                required: Education::Bachelor,
                have: Education::Associate,
            },
            Reason::AgeOutside {
                min: Some(18),
                max: Some(35),
            },
            Reason::SkillsMatched {
                skills: vec!["收银".to_owned()],
                of: 2,
            },
            Reason::HoursMismatch {
                hours: HoursType::PartTime,
            },
        ] {
            let b = Both::reason(&r);
            assert!(has_han(&b.zh), "{b:?}");
            assert!(!has_han(&b.en.replace("收银", "")), "{b:?}");
        }
    }

    #[test]
    fn each_language_gets_its_line() {
        let b = Both {
            zh: "甲".to_owned(),
            en: "a".to_owned(),
        };
        assert_eq!((b.get(Lang::Zh), b.get(Lang::En)), ("甲", "a"));
    }
}
