//! Words the worker renders in both languages before they cross to the page ([`Both`]).
//!
//! Import problems are the long, many-variant lists: the worker turns each [`Problem`] into its
//! zh and en lines ([`Lang::import_problem`]), so the page carries neither the decoder of
//! [`crate::plan::import::ProblemKind`] nor its renderers, and a language switch needs no new
//! request: the page picks the line of the language shown ([`Both::get`]).

use serde::{Deserialize, Serialize};

use super::Lang;
use crate::plan::import::Problem;

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

    /// A file the browser could not read (the page's own problem: the worker never saw the
    /// file). The same lines as [`Both::problem`] of a file-level
    /// [`crate::plan::import::ProblemKind::Unreadable`] error, without its renderers.
    pub fn unreadable(file: &str, message: &str) -> Both {
        Both {
            zh: format!("错误：{file}：{}", super::problems::ZH_UNREADABLE),
            en: format!("error: {file}: cannot read the file: {message}"),
        }
    }
}

#[cfg(test)]
mod tests {
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
    fn each_language_gets_its_line() {
        let b = Both {
            zh: "甲".to_owned(),
            en: "a".to_owned(),
        };
        assert_eq!((b.get(Lang::Zh), b.get(Lang::En)), ("甲", "a"));
    }
}
