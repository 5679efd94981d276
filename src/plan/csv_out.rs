//! The one CSV writer of every file the CLI and the app write, safe to open in Excel or WPS.
//!
//! Formula injection (OWASP "CSV injection"): a spreadsheet runs a cell that begins with `=`,
//! `+`, `-` or `@` as a formula, and a leading tab or carriage return hides such a start. So a
//! **text** cell that begins with one of those six characters is written with a leading
//! apostrophe (`'=HYPERLINK(…)`), which the spreadsheet shows as text. Every text cell is
//! quoted; **numeric** cells are written as they are, unquoted, so they stay numbers (a
//! negative longitude is a number, not a formula). The header row is quoted only where CSV
//! needs it. Built on the `csv` crate (`QuoteStyle::NonNumeric` for rows).
//!
//! O(total cell length) time; the output is held in memory.

use std::borrow::Cow;

/// One cell of a row.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell<'a> {
    /// Free text from the data (names, ids, codes): guarded against formulas and quoted.
    Text(Cow<'a, str>),
    /// A number already formatted (fixed decimals), or empty for "none": written as is.
    Num(String),
}

impl<'a> Cell<'a> {
    /// A text cell borrowing `s`.
    pub fn text(s: &'a str) -> Self {
        Cell::Text(Cow::Borrowed(s))
    }

    /// A numeric cell with `decimals` fixed decimals.
    pub fn fixed(x: f64, decimals: usize) -> Self {
        Cell::Num(format!("{x:.decimals$}"))
    }

    /// A numeric cell, or an empty one for `None`.
    pub fn opt_fixed(x: Option<f64>, decimals: usize) -> Self {
        Cell::Num(x.map(|x| format!("{x:.decimals$}")).unwrap_or_default())
    }

    /// A numeric cell from anything that prints as a number (integers, counts).
    pub fn num(x: impl std::fmt::Display) -> Self {
        Cell::Num(x.to_string())
    }

    /// A numeric cell from anything that prints as a number, or an empty one for `None`.
    pub fn opt_num<T: std::fmt::Display>(x: Option<T>) -> Self {
        Cell::Num(x.map(|x| x.to_string()).unwrap_or_default())
    }

    /// Text that the user typed where a number belongs (a probe's longitude echoed back): a
    /// number when it reads as one, else guarded text.
    pub fn echo(s: &'a str) -> Self {
        if s.trim().parse::<f64>().is_ok_and(f64::is_finite) {
            Cell::Num(s.trim().to_owned())
        } else {
            Cell::text(s)
        }
    }
}

/// True for a text that a spreadsheet would take as a formula.
pub fn is_formula_like(s: &str) -> bool {
    s.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

/// The text as a spreadsheet should receive it: with a leading apostrophe when it would
/// otherwise run as a formula.
pub fn guard(s: &str) -> Cow<'_, str> {
    if is_formula_like(s) {
        Cow::Owned(format!("'{s}"))
    } else {
        Cow::Borrowed(s)
    }
}

/// A CSV file being written: a header, then rows of [`Cell`]s.
#[derive(Debug)]
pub struct CsvOut {
    head: String,
    rows: csv::Writer<Vec<u8>>,
}

impl CsvOut {
    /// A file with these column names.
    pub fn new<S: AsRef<str>>(columns: &[S]) -> Self {
        let mut h = csv::WriterBuilder::new().from_writer(Vec::new());
        // Writing to a Vec cannot fail.
        let _ = h.write_record(columns.iter().map(|c| guard(c.as_ref()).into_owned()));
        let head = h
            .into_inner()
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .unwrap_or_default();
        let rows = csv::WriterBuilder::new()
            .quote_style(csv::QuoteStyle::NonNumeric)
            .from_writer(Vec::new());
        Self { head, rows }
    }

    /// Appends one row.
    pub fn row(&mut self, cells: &[Cell<'_>]) {
        let fields = cells.iter().map(|c| match c {
            Cell::Text(s) => guard(s).into_owned(),
            Cell::Num(s) => s.clone(),
        });
        // Writing to a Vec cannot fail.
        let _ = self.rows.write_record(fields);
    }

    /// The whole file (UTF-8, CRLF-free: `\n` line ends as the csv crate writes them).
    pub fn finish(self) -> String {
        let mut out = self.head;
        if let Ok(bytes) = self.rows.into_inner() {
            out.push_str(&String::from_utf8_lossy(&bytes));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Parses CSV as a spreadsheet-agnostic reader would (the csv crate, headers included).
    fn parse(s: &str) -> Vec<Vec<String>> {
        csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(s.as_bytes())
            .records()
            .map(|r| {
                r.map(|r| r.iter().map(str::to_owned).collect())
                    .unwrap_or_default()
            })
            .collect()
    }

    #[test]
    fn formulas_become_quoted_text_and_numbers_stay_numbers() {
        let hostile = [
            "=HYPERLINK(\"http://x\",\"y\")",
            "@SUM(1+1)",
            "+1",
            "-2+3",
            "\t=1",
            "\r=1",
            "plain, with comma",
            "",
        ];
        let mut w = CsvOut::new(&["name", "lon"]);
        for h in hostile {
            w.row(&[Cell::text(h), Cell::fixed(-70.5, 1)]);
        }
        let out = w.finish();
        let rows = parse(&out);
        assert_eq!(rows[0], ["name", "lon"]);
        for (h, r) in hostile.iter().zip(&rows[1..]) {
            // The oracle is the rule itself: guarded exactly when the text starts like a formula.
            let want = if is_formula_like(h) {
                format!("'{h}")
            } else {
                (*h).to_owned()
            };
            assert_eq!(r[0], want);
            assert_eq!(r[1], "-70.5");
        }
        assert!(!out.contains("\"-70.5\""), "numbers are not quoted: {out}");
        assert!(
            out.contains("\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""),
            "{out}"
        );
        assert!(out.contains("\"'@SUM(1+1)\""), "{out}");
    }

    #[test]
    fn echoed_numbers_stay_numbers_and_echoed_text_is_guarded() {
        assert_eq!(Cell::echo(" -70.25 "), Cell::Num("-70.25".into()));
        assert_eq!(Cell::echo("-cmd"), Cell::text("-cmd"));
        assert_eq!(Cell::echo("NaN"), Cell::text("NaN"));
    }
}
