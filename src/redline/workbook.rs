//! An Excel or OpenDocument workbook read for a redline: each sheet a grid of
//! cells (a formula beside its value), and as text — each sheet a section
//! headed by its name, each row a line of cells (`| D0012 | Reading |`). Rows
//! are then aligned by content as lines are, so a row inserted in the middle
//! is one added row, and changes are labelled with their sheet.

use std::collections::BTreeMap;
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
        let mut line = String::new();
        let lines = rows
            .iter()
            .map(|row| {
                write_row_line(&mut line, row);
                // A copy holds only the line's bytes; the buffer is reused.
                line.clone()
            })
            .collect();
        Sheet {
            name,
            origin,
            rows,
            lines,
        }
    }
}

/// A sheet's non-empty cells placed in rows as they are read, in any order.
/// Excel writes a sheet row by row, so each row is gathered in one buffer
/// and kept at its exact size: a large sheet is held once, not in a list of
/// cells and again in rows.
#[derive(Default)]
struct Grid {
    /// Row number → its cells from column 0 (empty cells before the first).
    rows: BTreeMap<u32, Vec<Cell>>,
    /// The row being gathered, and its cells so far.
    current: Option<u32>,
    gathering: Vec<Cell>,
}

impl Grid {
    fn place(&mut self, (row, column): (u32, u32), cell: Cell) {
        if self.current != Some(row) {
            self.put_away();
            self.gathering = self.rows.remove(&row).unwrap_or_default();
            self.current = Some(row);
        }
        let column = column as usize;
        if self.gathering.len() <= column {
            self.gathering.resize(column + 1, Cell::EMPTY);
        }
        self.gathering[column] = cell;
    }

    fn put_away(&mut self) {
        if let Some(row) = self.current.take() {
            let cells = self.gathering.drain(..).collect();
            self.rows.insert(row, cells);
        }
    }

    /// The sheet: rows from the first used row to the last, each starting at
    /// the first used column.
    fn into_sheet(mut self, name: String) -> Sheet {
        self.put_away();
        let (Some(top), Some(bottom)) = (
            self.rows.first_key_value().map(|(row, _)| *row),
            self.rows.last_key_value().map(|(row, _)| *row),
        ) else {
            return Sheet::new(name, (0, 0), Vec::new());
        };
        let left = self
            .rows
            .values()
            .filter_map(|cells| cells.iter().position(|cell| !cell.is_empty()))
            .min()
            .unwrap_or(0);
        let rows = (top..=bottom)
            .map(|row| {
                let mut cells = self.rows.remove(&row).unwrap_or_default();
                cells.drain(..left.min(cells.len()));
                cells
            })
            .collect();
        Sheet::new(name, (top, left as u32), rows)
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
    let length = sheets
        .iter()
        .flat_map(|sheet| &sheet.lines)
        .map(|line| line.len() + 1)
        .sum::<usize>();
    let mut text = String::with_capacity(length + 64 * sheets.len());
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
fn write_row_line(line: &mut String, row: &[Cell]) {
    line.clear();
    if row.is_empty() {
        return;
    }
    line.push('|');
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
}

/// The rows and columns of an Excel sheet (Excel 2007 and later).
const EXCEL_ROWS: u32 = 1 << 20;
const EXCEL_COLUMNS: u32 = 1 << 14;

/// An Excel workbook's sheets, each read in one pass over its cells (values
/// and formulas together, where `worksheet_formula` would read it again).
fn read_xlsx<RS: Read + Seek>(mut book: Xlsx<RS>) -> Option<Vec<Sheet>> {
    let mut sheets = Vec::new();
    for name in book.sheet_names() {
        let mut reader = match book.worksheet_cells_reader(&name) {
            Ok(reader) => reader,
            // A chart sheet holds no cells.
            Err(XlsxError::NotAWorksheet(_)) => {
                sheets.push(Grid::default().into_sheet(name));
                continue;
            }
            Err(_) => return None,
        };
        let mut grid = Grid::default();
        while let Some(read) = reader.next_cell_with_formula().ok()? {
            let (row, column) = read.pos;
            // Past Excel's grid the file is not Excel's, and would have
            // every row or column up to it held.
            if row >= EXCEL_ROWS || column >= EXCEL_COLUMNS {
                return None;
            }
            let cell = Cell {
                value: Data::from(read.value),
                formula: read.formula.filter(|f| !f.is_empty()),
            };
            if !cell.is_empty() {
                grid.place(read.pos, cell);
            }
        }
        sheets.push(grid.into_sheet(name));
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

    /// A cell placed past Excel's last row or column (as a hand-made file
    /// may) makes the workbook unreadable, rather than every row up to it held.
    #[test]
    fn a_cell_past_excels_grid_is_not_read() {
        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        sheet.write(0, 0, "Interface ID").unwrap();
        sheet.write(1, 1, "IF-001").unwrap();
        let made = book.save_to_buffer().unwrap();
        let moved = |to_row: &str, to_cell: &str| {
            let mut package = zip::ZipArchive::new(std::io::Cursor::new(&made)).unwrap();
            let parts: Vec<(String, String)> = (0..package.len())
                .map(|n| {
                    let mut part = package.by_index(n).unwrap();
                    let mut text = String::new();
                    part.read_to_string(&mut text).unwrap();
                    let text = text
                        .replace(r#"<row r="2""#, &format!(r#"<row r="{to_row}""#))
                        .replace(r#"r="B2""#, &format!(r#"r="{to_cell}""#));
                    (part.name().unwrap().to_string(), text)
                })
                .collect();
            let parts: Vec<(&str, String)> =
                parts.iter().map(|(n, t)| (n.as_str(), t.clone())).collect();
            crate::redline::testing::package(&parts)
        };
        let read = |bytes: Vec<u8>| sheets(Format::Xlsx, std::io::Cursor::new(bytes));
        let last_row = read(moved("1048576", "B1048576")).expect("the last row is Excel's");
        assert_eq!(last_row[0].rows.len(), 1_048_576);
        assert!(read(moved("4000000000", "B4000000000")).is_none());
        assert!(read(moved("2", "ZZZZ2")).is_none());
    }

    /// Cells in any order give the sheet they give in Excel's order (row by
    /// row, left to right): the same origin, rows and lines.
    mod any_order {
        use super::*;
        use proptest::prelude::*;

        fn sheet(cells: &[((u32, u32), i64)]) -> Sheet {
            let mut grid = Grid::default();
            for (at, value) in cells {
                let cell = Cell {
                    value: Data::Int(*value),
                    formula: None,
                };
                grid.place(*at, cell);
            }
            grid.into_sheet("S".into())
        }

        proptest! {
            #[test]
            fn cells_placed_in_any_order_give_the_same_sheet(
                cells in proptest::collection::btree_map((0u32..12, 0u32..6), 1i64..99, 0..30),
                order in any::<u64>(),
            ) {
                let in_order: Vec<_> = cells.into_iter().collect();
                let mut shuffled = in_order.clone();
                let by = |cell: &((u32, u32), i64)| (cell.0.0 as u64 * 31 + cell.0.1 as u64) ^ order;
                shuffled.sort_by_key(by);
                let (a, b) = (sheet(&in_order), sheet(&shuffled));
                prop_assert_eq!((a.origin, &a.rows, &a.lines), (b.origin, &b.rows, &b.lines));
                if let Some(((top, _), _)) = in_order.first() {
                    let left = in_order.iter().map(|((_, column), _)| *column).min().unwrap();
                    prop_assert_eq!(a.origin, (*top, left));
                    let bottom = in_order.last().unwrap().0.0;
                    prop_assert_eq!(a.rows.len() as u32, bottom - top + 1);
                }
            }
        }
    }
}
