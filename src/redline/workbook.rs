//! An Excel or OpenDocument workbook read for a redline: each sheet a grid of
//! cells (a formula beside its value), and as text — each sheet a section
//! headed by its name, each row a line of cells (`| D0012 | Reading |`). Rows
//! are then aligned by content as lines are, so a row inserted in the middle
//! is one added row, and changes are labelled with their sheet.

use std::fmt::Write;
use std::io::{Read, Seek};

use calamine::{Data, Ods, Range, Reader, Xlsx, XlsxError};

use crate::model::Format;

/// A sheet as read: its name, where its cells start (0-based row and column),
/// its rows of cells as shown, trailing empty cells left out, and each row as
/// a line of text (`| D0012 | Reading |`, empty for an empty row) — made once,
/// for the text redline and for aligning rows by content.
#[derive(Debug, Clone)]
pub struct Sheet {
    pub name: String,
    pub origin: (u32, u32),
    pub rows: Vec<Vec<Cell>>,
    pub lines: Vec<String>,
}

impl Sheet {
    fn new(name: String, origin: (u32, u32), rows: Vec<Vec<Cell>>) -> Sheet {
        let lines = rows.iter().map(|row| row_line(row)).collect();
        Sheet {
            name,
            origin,
            rows,
            lines,
        }
    }

    /// A sheet from its non-empty cells and where each is (row, column), in
    /// any order: rows from the first used row to the last, each starting at
    /// the first used column.
    fn from_cells(name: String, cells: Vec<((u32, u32), Cell)>) -> Sheet {
        let top = cells.iter().map(|((row, _), _)| *row).min().unwrap_or(0);
        let left = cells
            .iter()
            .map(|((_, column), _)| *column)
            .min()
            .unwrap_or(0);
        let mut rows: Vec<Vec<Cell>> = Vec::new();
        for ((row, column), cell) in cells {
            let (r, c) = ((row - top) as usize, (column - left) as usize);
            if rows.len() <= r {
                rows.resize_with(r + 1, Vec::new);
            }
            let row = &mut rows[r];
            if row.len() <= c {
                row.resize(c + 1, Cell::EMPTY);
            }
            row[c] = cell;
        }
        Sheet::new(name, (top, left), rows)
    }
}

/// A cell: its value as shown, its formula where it has one.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub value: Data,
    pub formula: Option<String>,
}

impl Cell {
    const EMPTY: Cell = Cell {
        value: Data::Empty,
        formula: None,
    };

    /// The cell as one line of text: its value, and its formula beside it.
    pub fn text(&self) -> String {
        let mut text = String::new();
        self.write_text(&mut text);
        text
    }

    fn write_text(&self, out: &mut String) {
        match &self.value {
            Data::Empty => {}
            Data::String(text) => push_one_line(out, text),
            other => {
                // Writing to a String cannot fail.
                let _ = write!(out, "{other}");
            }
        }
        if let Some(formula) = &self.formula {
            out.push_str(" (=");
            push_one_line(out, formula);
            out.push(')');
        }
    }

    fn is_empty(&self) -> bool {
        self.value == Data::Empty && self.formula.is_none()
    }
}

/// The sheets of a workbook; none where it cannot be read as one.
pub fn sheets(format: Format, workbook: impl Read + Seek) -> Option<Vec<Sheet>> {
    match format {
        Format::Xlsx | Format::Xlsm => {
            read_xlsx(calamine::open_workbook_from_rs::<Xlsx<_>, _>(workbook).ok()?)
        }
        Format::Ods => read_all(calamine::open_workbook_from_rs::<Ods<_>, _>(workbook).ok()?),
        _ => None,
    }
}

/// The workbook's sheets as the text a redline compares: each sheet a
/// heading, then its rows' lines.
pub fn text(sheets: &[Sheet]) -> String {
    let mut text = String::new();
    for sheet in sheets {
        text.push_str("# ");
        push_one_line(&mut text, &sheet.name);
        text.push('\n');
        for line in sheet.lines.iter().filter(|line| !line.is_empty()) {
            text.push_str(line);
            text.push('\n');
        }
    }
    if text.is_empty() {
        text.push('\n');
    }
    text
}

/// A row as a line of text, `| D0012 | Reading |`, with `|` in a cell
/// escaped; empty for an empty row.
fn row_line(row: &[Cell]) -> String {
    if row.is_empty() {
        return String::new();
    }
    let mut line = String::from("|");
    let mut cell_text = String::new();
    for cell in row {
        cell_text.clear();
        cell.write_text(&mut cell_text);
        line.push(' ');
        for (n, part) in cell_text.split('|').enumerate() {
            if n > 0 {
                line.push_str("\\|");
            }
            line.push_str(part);
        }
        line.push_str(" |");
    }
    line
}

/// An Excel workbook's sheets, each read in one pass over its cells (values
/// and formulas together, where `worksheet_formula` would read it again).
fn read_xlsx<RS: Read + Seek>(mut book: Xlsx<RS>) -> Option<Vec<Sheet>> {
    let mut sheets = Vec::new();
    for name in book.sheet_names() {
        let mut reader = match book.worksheet_cells_reader(&name) {
            Ok(reader) => reader,
            // A chart sheet holds no cells.
            Err(XlsxError::NotAWorksheet(_)) => {
                sheets.push(Sheet::from_cells(name, Vec::new()));
                continue;
            }
            Err(_) => return None,
        };
        let mut cells = Vec::new();
        while let Some(read) = reader.next_cell_with_formula().ok()? {
            let cell = Cell {
                value: Data::from(read.value),
                formula: read.formula.filter(|f| !f.is_empty()),
            };
            if !cell.is_empty() {
                cells.push((read.pos, cell));
            }
        }
        sheets.push(Sheet::from_cells(name, cells));
    }
    Some(sheets)
}

fn read_all<RS: Read + Seek, R: Reader<RS>>(mut book: R) -> Option<Vec<Sheet>> {
    let mut sheets = Vec::new();
    for name in book.sheet_names() {
        let values = book.worksheet_range(&name).ok()?;
        let formulas = book.worksheet_formula(&name).unwrap_or_default();
        let origin = values.start().unwrap_or((0, 0));
        sheets.push(Sheet::new(name, origin, rows(&values, &formulas)));
    }
    Some(sheets)
}

/// Each row of cells, trailing empty cells left out.
fn rows(values: &Range<Data>, formulas: &Range<String>) -> Vec<Vec<Cell>> {
    let Some((top, left)) = values.start() else {
        return Vec::new();
    };
    values
        .rows()
        .enumerate()
        .map(|(r, row)| {
            let mut cells: Vec<Cell> = row
                .iter()
                .enumerate()
                .map(|(c, value)| {
                    let at = (top + r as u32, left + c as u32);
                    Cell {
                        value: value.clone(),
                        formula: formulas.get_value(at).filter(|f| !f.is_empty()).cloned(),
                    }
                })
                .collect();
            while cells.last().is_some_and(Cell::is_empty) {
                cells.pop();
            }
            cells
        })
        .collect()
}

/// Adds text on one line: line breaks inside a cell or name become spaces.
fn push_one_line(out: &mut String, text: &str) {
    for (n, part) in text.split(['\n', '\r']).enumerate() {
        if n > 0 {
            out.push(' ');
        }
        out.push_str(part);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_xlsxwriter::{Formula, Workbook};

    /// Cells from B3, a row left empty, a formula with its value: read in one
    /// pass, laid out from the first used row and column.
    #[test]
    fn a_sheet_is_laid_out_from_its_first_used_cell_with_formulas_beside_values() {
        let mut book = Workbook::new();
        let sheet = book.add_worksheet().set_name("Interfaces").unwrap();
        sheet.write(2, 1, "Interface ID").unwrap();
        sheet.write(2, 2, "Count").unwrap();
        sheet.write(3, 1, "IF-001").unwrap();
        sheet.write(3, 2, 2).unwrap();
        sheet
            .write(5, 3, Formula::new("=C4*2").set_result("4"))
            .unwrap();
        let bytes = book.save_to_buffer().unwrap();

        let sheets = sheets(Format::Xlsx, std::io::Cursor::new(bytes)).unwrap();
        assert_eq!(sheets.len(), 1);
        let sheet = &sheets[0];
        assert_eq!((sheet.name.as_str(), sheet.origin), ("Interfaces", (2, 1)));
        let texts: Vec<Vec<String>> = sheet
            .rows
            .iter()
            .map(|row| row.iter().map(Cell::text).collect())
            .collect();
        assert_eq!(
            texts,
            [
                vec!["Interface ID", "Count"],
                vec!["IF-001", "2"],
                vec![],
                vec!["", "", "4 (=C4*2)"],
            ]
        );
    }
}
