//! An Excel or OpenDocument workbook read for a redline: each sheet a grid of
//! cells (a formula beside its value), and as text — each sheet a section
//! headed by its name, each row a line of cells (`| D0012 | Reading |`). Rows
//! are then aligned by content as lines are, so a row inserted in the middle
//! is one added row, and changes are labelled with their sheet.

use std::io::{Read, Seek};

use calamine::{Data, Ods, Range, Reader, Xlsx};

use crate::model::Format;

/// A sheet as read: its name, where its cells start (0-based row and column),
/// and its rows of cells as shown, trailing empty cells left out.
#[derive(Debug, Clone)]
pub struct Sheet {
    pub name: String,
    pub origin: (u32, u32),
    pub rows: Vec<Vec<Cell>>,
}

/// A cell: its value as shown, its formula where it has one.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub value: Data,
    pub formula: Option<String>,
}

impl Cell {
    /// The cell as one line of text: its value, and its formula beside it.
    pub fn text(&self) -> String {
        let shown = match &self.value {
            Data::Empty => String::new(),
            Data::String(text) => one_line(text),
            other => other.to_string(),
        };
        match &self.formula {
            Some(formula) => format!("{shown} (={})", one_line(formula)),
            None => shown,
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
            read_all(calamine::open_workbook_from_rs::<Xlsx<_>, _>(workbook).ok()?)
        }
        Format::Ods => read_all(calamine::open_workbook_from_rs::<Ods<_>, _>(workbook).ok()?),
        _ => None,
    }
}

/// The workbook's sheets as the text a redline compares.
pub fn text(sheets: &[Sheet]) -> String {
    let mut lines = Vec::new();
    for sheet in sheets {
        lines.push(format!("# {}", one_line(&sheet.name)));
        for row in &sheet.rows {
            if !row.is_empty() {
                let cells: Vec<String> = row.iter().map(|c| c.text().replace('|', "\\|")).collect();
                lines.push(format!("| {} |", cells.join(" | ")));
            }
        }
    }
    let mut text = lines.join("\n");
    text.push('\n');
    text
}

fn read_all<RS: Read + Seek, R: Reader<RS>>(mut book: R) -> Option<Vec<Sheet>> {
    let mut sheets = Vec::new();
    for name in book.sheet_names() {
        let values = book.worksheet_range(&name).ok()?;
        let formulas = book.worksheet_formula(&name).unwrap_or_default();
        sheets.push(Sheet {
            origin: values.start().unwrap_or((0, 0)),
            rows: rows(&values, &formulas),
            name,
        });
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

/// Text on one line: line breaks inside a cell or name become spaces.
fn one_line(text: &str) -> String {
    text.split(['\n', '\r']).collect::<Vec<_>>().join(" ")
}
