//! An Excel or OpenDocument workbook read as text, for a redline: each sheet a
//! section headed by its name, each row a line of cells (`| D0012 | Reading |`)
//! and, where a cell holds a formula, the formula beside its value. Rows are
//! then aligned by content as lines are, so a row inserted in the middle is one
//! added row, and changes are labelled with their sheet.

use std::io::Cursor;

use calamine::{Data, Ods, Range, Reader, Xlsx};

use crate::model::Format;

/// The text of a workbook; none where it cannot be read as one.
pub fn read(format: Format, bytes: &[u8]) -> Option<String> {
    match format {
        Format::Xlsx | Format::Xlsm => {
            sheets(calamine::open_workbook_from_rs::<Xlsx<_>, _>(Cursor::new(bytes)).ok()?)
        }
        Format::Ods => {
            sheets(calamine::open_workbook_from_rs::<Ods<_>, _>(Cursor::new(bytes)).ok()?)
        }
        _ => None,
    }
}

fn sheets<RS: std::io::Read + std::io::Seek, R: Reader<RS>>(mut book: R) -> Option<String> {
    let mut lines = Vec::new();
    for name in book.sheet_names() {
        let values = book.worksheet_range(&name).ok()?;
        let formulas = book.worksheet_formula(&name).unwrap_or_default();
        lines.push(format!("# {}", one_line(&name)));
        lines.extend(rows(&values, &formulas));
    }
    let mut text = lines.join("\n");
    text.push('\n');
    Some(text)
}

/// Each non-empty row as a line of its cells, trailing empty cells left out.
fn rows(values: &Range<Data>, formulas: &Range<String>) -> Vec<String> {
    let Some((top, left)) = values.start() else {
        return Vec::new();
    };
    let mut lines = Vec::new();
    for (r, row) in values.rows().enumerate() {
        let mut cells: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(c, value)| {
                let at = (top + r as u32, left + c as u32);
                let formula = formulas.get_value(at).filter(|f| !f.is_empty());
                cell_text(value, formula.map(String::as_str))
            })
            .collect();
        while cells.last().is_some_and(String::is_empty) {
            cells.pop();
        }
        if !cells.is_empty() {
            lines.push(format!("| {} |", cells.join(" | ")));
        }
    }
    lines
}

/// A cell as shown: its value, and its formula where it has one.
fn cell_text(value: &Data, formula: Option<&str>) -> String {
    let shown = match value {
        Data::Empty => String::new(),
        Data::String(text) => text.clone(),
        other => other.to_string(),
    };
    let shown = one_line(&shown).replace('|', "\\|");
    match formula {
        Some(formula) => format!("{shown} (={})", one_line(formula)),
        None => shown,
    }
}

/// Text on one line: line breaks inside a cell or name become spaces.
fn one_line(text: &str) -> String {
    text.split(['\n', '\r']).collect::<Vec<_>>().join(" ")
}
