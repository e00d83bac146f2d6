//! The one CSV writer every export uses (payouts, reconciliations, the audit log, the command
//! line): UTF-8, a header row, and every cell through the formula guard, so that a restaurant
//! name, an order number or a Stripe message can never run as a formula in a spreadsheet.

use std::borrow::Cow;
use std::io::Write;

/// A cell as a spreadsheet shows it, never as a formula: text starting with `=`, `+`, `-`, `@`, a
/// tab or a carriage return gets a leading `'` (OWASP's advice against CSV injection). A plain
/// number such as `-12.50` is left as it is: it cannot be a formula, and accountants sum it.
pub fn guard(cell: &str) -> Cow<'_, str> {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && !is_plain_number(cell) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

fn is_plain_number(cell: &str) -> bool {
    let digits = cell.strip_prefix(['-', '+']).unwrap_or(cell);
    let mut parts = digits.splitn(2, '.');
    let whole = parts.next().unwrap_or_default();
    let fraction = parts.next();
    !whole.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && fraction.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()))
}

/// A CSV file being written.
pub struct CsvWriter<W: Write> {
    inner: csv::Writer<W>,
    rows: usize,
}

impl<W: Write> CsvWriter<W> {
    /// Starts a file with its header row.
    pub fn new(out: W, header: &[&str]) -> Result<Self, csv::Error> {
        let mut inner = csv::Writer::from_writer(out);
        inner.write_record(header)?;
        Ok(Self { inner, rows: 0 })
    }

    /// Writes one row; every cell passes [`guard`].
    pub fn row<I, S>(&mut self, cells: I) -> Result<(), csv::Error>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let guarded: Vec<String> = cells.into_iter().map(|c| guard(c.as_ref()).into_owned()).collect();
        self.inner.write_record(&guarded)?;
        self.rows += 1;
        Ok(())
    }

    /// Flushes the file; returns how many rows (besides the header) it holds.
    pub fn finish(mut self) -> Result<usize, csv::Error> {
        self.inner.flush()?;
        Ok(self.rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_cell_starts_a_formula_and_numbers_stay_numbers() {
        for risky in ["=HYPERLINK(\"x\")", "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx", "-", "-1-1", "=1"] {
            assert!(guard(risky).starts_with('\''), "{risky:?}");
        }
        for plain in ["-12.50", "12.50", "+3", "0", "HV-1042", "Thames Fish Bar", ""] {
            assert_eq!(guard(plain), plain, "{plain:?}");
        }
    }

    #[test]
    fn every_row_is_guarded() {
        let mut out = Vec::new();
        let mut w = CsvWriter::new(&mut out, &["order", "amount"]).unwrap();
        w.row(["=cmd|' /C calc'!A0", "-5.00"]).unwrap();
        assert_eq!(w.finish().unwrap(), 1);
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text, "order,amount\n'=cmd|' /C calc'!A0,-5.00\n");
    }
}
