//! The red-lined copy of a workbook: TO's sheets, cells and formulas, with
//! each changed cell filled yellow and its old value in a note, added rows
//! and columns filled green, a "Removed" sheet listing the rows, columns and
//! sheets that went, and a "Redline" sheet first that heads it all. The copy is
//! written anew from the cells (the crates that read workbooks do not write
//! them), so TO's own formatting, column widths and charts are not kept.

use calamine::Data;
use rust_xlsxwriter::{Color, Format, Formula, Note, Workbook, Worksheet, XlsxError};

use crate::redline::Redline;
use crate::redline::model::{RowKind, SheetChange, SheetKind};
use crate::redline::render::{sheet_texts, summary_text};
use crate::redline::sheets::column_letters;
use crate::redline::workbook::{Cell, Sheet};

const CHANGED: u32 = 0xFFF2A8;
const ADDED: u32 = 0xC6EFCE;

/// The red-lined workbook of TO's `sheets`, compared as `changes` say.
pub fn xlsx(
    redline: &Redline,
    sheets: &[Sheet],
    changes: &[SheetChange],
) -> Result<Vec<u8>, String> {
    write(redline, sheets, changes)
        .map_err(|e| format!("the red-lined workbook cannot be written ({e})"))
}

fn write(
    redline: &Redline,
    sheets: &[Sheet],
    changes: &[SheetChange],
) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let taken: Vec<&str> = sheets.iter().map(|s| s.name.as_str()).collect();
    let own_name = |name: &str| {
        let mut name = name.to_string();
        while taken.contains(&name.as_str()) {
            name.push_str(" (redline)");
        }
        name
    };
    header_sheet(book.add_worksheet().set_name(own_name("Redline"))?, redline)?;
    for sheet in sheets {
        let change = changes
            .iter()
            .find(|c| c.sheet == sheet.name && c.kind != SheetKind::Removed);
        let worksheet = book.add_worksheet().set_name(&sheet.name)?;
        write_sheet(worksheet, sheet, change)?;
    }
    removed_sheet(book.add_worksheet().set_name(own_name("Removed"))?, changes)?;
    book.save_to_buffer()
}

fn header_sheet(worksheet: &mut Worksheet, r: &Redline) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    worksheet.set_column_width(0, 120)?;
    let mut lines: Vec<(String, bool)> = vec![
        (format!("Redline of {}: {}", r.artefact.id, r.artefact.title), true),
        (side("From", &r.from), false),
        (side("To", &r.to), false),
        ("Changed cells are filled yellow, with the old value in the cell's note; added rows and columns are filled green; the rows, columns and sheets that went are on the Removed sheet.".into(), false),
        (format!("Summary: {}", summary_text(r)), false),
        ("Decisions".into(), true),
    ];
    if r.decisions.is_empty() {
        lines.push(("None recorded on these versions.".into(), false));
    }
    for d in &r.decisions {
        lines.push((
            format!("{} ({} {}): {}", d.id, d.outcome, d.date, d.text),
            false,
        ));
    }
    lines.push(("Change requests and design issue notices".into(), true));
    if r.changes.is_empty() {
        lines.push(("None recorded on these versions.".into(), false));
    }
    for c in &r.changes {
        lines.push((
            format!("{} {} ({}): {}", c.kind, c.id, c.state, c.title),
            false,
        ));
    }
    for (heading, changes) in r.sheets.as_deref().map(sheet_texts).unwrap_or_default() {
        lines.push((heading, true));
        lines.extend(changes.into_iter().map(|line| (line, false)));
    }
    lines.extend(r.notes.iter().map(|n| (format!("Note: {n}"), false)));
    lines.extend(r.warnings.iter().map(|w| (format!("Warning: {w}"), false)));
    for (row, (text, heading)) in lines.iter().enumerate() {
        if *heading {
            worksheet.write_string_with_format(row as u32, 0, text, &bold)?;
        } else {
            worksheet.write_string(row as u32, 0, text)?;
        }
    }
    Ok(())
}

fn side(label: &str, s: &crate::redline::model::Side) -> String {
    let date = s.date.map_or("not recorded".to_string(), |d| d.to_string());
    format!(
        "{label} {} ({}, {date}), sha256 {}",
        s.reference, s.status, s.sha256
    )
}

/// How a cell of TO is marked.
enum Mark {
    Changed(String),
    Added,
}

fn write_sheet(
    worksheet: &mut Worksheet,
    sheet: &Sheet,
    change: Option<&SheetChange>,
) -> Result<(), XlsxError> {
    let marks = change.map(|c| marks(sheet, c)).unwrap_or_default();
    match change.map(|c| c.kind) {
        Some(SheetKind::Added) => {
            worksheet.set_tab_color(Color::RGB(ADDED));
        }
        Some(SheetKind::Changed) => {
            worksheet.set_tab_color(Color::RGB(CHANGED));
        }
        _ => {}
    }
    let whole_sheet_added = change.is_some_and(|c| c.kind == SheetKind::Added);
    let width = sheet.rows.iter().map(Vec::len).max().unwrap_or(0);
    for (r, row) in sheet.rows.iter().enumerate() {
        for c in 0..width {
            let at = (
                sheet.origin.0 + r as u32,
                (sheet.origin.1 + c as u32) as u16,
            );
            let mark = marks
                .iter()
                .find(|(place, _)| *place == (r, c))
                .map(|(_, m)| m);
            let fill = match (mark, whole_sheet_added) {
                (Some(Mark::Changed(_)), _) => Some(CHANGED),
                (Some(Mark::Added), _) | (None, true) => Some(ADDED),
                (None, false) => None,
            };
            let format = fill.map_or_else(Format::new, |f| {
                Format::new().set_background_color(Color::RGB(f))
            });
            write_cell(worksheet, at, row.get(c), &format)?;
            if let Some(Mark::Changed(old)) = mark {
                let note = Note::new(format!("Was: {old}")).set_author("baseline");
                worksheet.insert_note(at.0, at.1, &note)?;
            }
        }
    }
    Ok(())
}

fn write_cell(
    worksheet: &mut Worksheet,
    (row, col): (u32, u16),
    cell: Option<&Cell>,
    format: &Format,
) -> Result<(), XlsxError> {
    let Some(cell) = cell else {
        worksheet.write_blank(row, col, format)?;
        return Ok(());
    };
    if let Some(formula) = &cell.formula {
        let shown = value_text(&cell.value);
        worksheet.write_formula_with_format(
            row,
            col,
            Formula::new(format!("={formula}")).set_result(shown),
            format,
        )?;
        return Ok(());
    }
    match &cell.value {
        Data::Int(n) => worksheet.write_number_with_format(row, col, *n as f64, format)?,
        Data::Float(n) => worksheet.write_number_with_format(row, col, *n, format)?,
        Data::Bool(b) => worksheet.write_boolean_with_format(row, col, *b, format)?,
        Data::Empty => worksheet.write_blank(row, col, format)?,
        other => worksheet.write_string_with_format(row, col, value_text(other), format)?,
    };
    Ok(())
}

fn value_text(value: &Data) -> String {
    match value {
        Data::String(text) => text.clone(),
        Data::Empty => String::new(),
        other => other.to_string(),
    }
}

/// The cells of TO to mark, by (row, column) index in the sheet's rows.
fn marks(sheet: &Sheet, change: &SheetChange) -> Vec<((usize, usize), Mark)> {
    let header: Vec<String> = sheet
        .rows
        .first()
        .map(|r| r.iter().map(Cell::text).collect())
        .unwrap_or_default();
    let column_of = |label: &str| {
        header.iter().position(|h| h == label).or_else(|| {
            (0..header
                .len()
                .max(sheet.rows.iter().map(Vec::len).max().unwrap_or(0)))
                .find(|&c| column_letters(sheet.origin.1 + c as u32) == label)
        })
    };
    let row_of = |number: usize| number.checked_sub(sheet.origin.0 as usize + 1);
    let width = sheet.rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut marks = Vec::new();
    for row in &change.rows {
        let Some(r) = row.new_row.and_then(row_of) else {
            continue;
        };
        match row.kind {
            RowKind::Added => marks.extend((0..width).map(|c| ((r, c), Mark::Added))),
            RowKind::Changed | RowKind::Moved => {
                for cell in &row.cells {
                    if let Some(c) = column_of(&cell.column) {
                        marks.push(((r, c), Mark::Changed(cell.old.clone())));
                    }
                }
            }
            RowKind::Removed => {}
        }
    }
    for column in &change.columns_added {
        if let Some(c) = column_of(column) {
            marks.extend((0..sheet.rows.len()).map(|r| ((r, c), Mark::Added)));
        }
    }
    marks
}

/// What went: each removed row with its values, each removed column, each
/// removed sheet.
fn removed_sheet(worksheet: &mut Worksheet, changes: &[SheetChange]) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    for (c, title) in ["Sheet", "Removed", "FROM row", "Values"]
        .iter()
        .enumerate()
    {
        worksheet.write_string_with_format(0, c as u16, *title, &bold)?;
    }
    let mut r = 1;
    for change in changes {
        let mut line =
            |what: &str, number: Option<usize>, values: Vec<String>| -> Result<(), XlsxError> {
                worksheet.write_string(r, 0, &change.sheet)?;
                worksheet.write_string(r, 1, what)?;
                if let Some(number) = number {
                    worksheet.write_number(r, 2, number as f64)?;
                }
                for (k, value) in values.iter().enumerate() {
                    worksheet.write_string(r, 3 + k as u16, value)?;
                }
                r += 1;
                Ok(())
            };
        if change.kind == SheetKind::Removed {
            line("the whole sheet", None, Vec::new())?;
        }
        for column in &change.columns_removed {
            line("column", None, vec![column.clone()])?;
        }
        for row in change
            .rows
            .iter()
            .filter(|row| row.kind == RowKind::Removed)
        {
            let values = row
                .values
                .iter()
                .map(|(column, value)| format!("{column} = {value}"))
                .collect();
            line("row", row.old_row, values)?;
        }
    }
    Ok(())
}
