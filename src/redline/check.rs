//! Whether content is what its format says: an artefact's file is checked
//! before it is recorded.

use std::path::Path;

use super::encoding;
use crate::error::{Error, Result};
use crate::model::{Artefact, Format};

/// The format a file name implies.
pub fn format_of(file_name: &str) -> Result<Format> {
    Path::new(file_name)
        .extension()
        .and_then(|e| e.to_str())
        .and_then(Format::from_extension)
        .ok_or_else(|| {
            Error::refused(
                format!("{file_name}: baseline does not know this kind of file"),
                format!("save the document as one of {}", Format::EXTENSIONS),
            )
        })
}

/// Checks that content is what its format says: for a text format, UTF-8 text
/// (and for a keyed table, a header that has the key column); for a Word or
/// Excel file, a zip package holding that kind of document; for a PDF, its
/// header.
pub fn check(where_: &str, format: Format, key: Option<&str>, bytes: &[u8]) -> Result<()> {
    if format.is_text() {
        check_text(where_, format, key, bytes)
    } else if holds(bytes, format) {
        match key {
            Some(key) if format.is_workbook() => check_sheet_keys(where_, format, key, bytes),
            _ => Ok(()),
        }
    } else {
        Err(Error::refused(
            format!(
                "{where_} is named as {}, but its content is {}",
                format.a_name(),
                describe(bytes)
            ),
            "check that it is the right file; if it is another kind of document, give it that kind's extension",
        ))
    }
}

/// Checks that a workbook has the key columns named for it: each sheet named
/// with `Sheet=Column` has that column in its first row, and a column named
/// for every sheet is in at least one.
fn check_sheet_keys(where_: &str, format: Format, key: &str, bytes: &[u8]) -> Result<()> {
    let Some(sheets) = super::workbook::sheets(format, bytes) else {
        return Err(Error::refused(
            format!("{where_}: the workbook cannot be read, so its key columns cannot be checked"),
            "open and save it again in Excel or LibreOffice, or leave out --key",
        ));
    };
    let header = |name: &str| -> Option<Vec<String>> {
        let sheet = sheets.iter().find(|s| s.name == name)?;
        Some(sheet.rows.first()?.iter().map(|c| c.text()).collect())
    };
    let keys = super::sheets::KeyColumns::parse(Some(key));
    for (sheet, column) in keys.sheets() {
        let names: Vec<&str> = sheets.iter().map(|s| s.name.as_str()).collect();
        match header(sheet) {
            None => {
                return Err(Error::refused(
                    format!(
                        "{where_}: the workbook has no sheet \"{sheet}\" (its sheets are {})",
                        names.join(", ")
                    ),
                    "name one of those sheets in --key \"Sheet=Column\"",
                ));
            }
            Some(columns) if !columns.iter().any(|c| c == column) => {
                return Err(Error::refused(
                    format!(
                        "{where_}: sheet \"{sheet}\" has no key column \"{column}\" in its first row (its columns are {})",
                        columns.join(", ")
                    ),
                    "name one of those columns in --key \"Sheet=Column\", or fix the sheet's header row",
                ));
            }
            Some(_) => {}
        }
    }
    if let Some(column) = keys.every() {
        let found = sheets
            .iter()
            .any(|s| header(&s.name).is_some_and(|h| h.iter().any(|c| c == column)));
        if !found {
            return Err(Error::refused(
                format!(
                    "{where_}: no sheet of the workbook has a key column \"{column}\" in its first row"
                ),
                "name a column of the sheets' header rows with --key, or one sheet's with --key \"Sheet=Column\"",
            ));
        }
    }
    Ok(())
}

/// Whether `bytes` are a document of `format` (an Excel workbook with macros is
/// packaged as one without).
fn holds(bytes: &[u8], format: Format) -> bool {
    let expected = match format {
        Format::Xlsm => Format::Xlsx,
        other => other,
    };
    looks_like(bytes) == Some(expected)
}

/// The packaged format `bytes` hold, as far as their first bytes and the
/// package's parts tell.
fn looks_like(bytes: &[u8]) -> Option<Format> {
    if is_pdf(bytes) {
        return Some(Format::Pdf);
    }
    let mut package = zip::ZipArchive::new(std::io::Cursor::new(bytes)).ok()?;
    let names: Vec<String> = package
        .file_names()
        .filter_map(|name| name.ok().map(|name| name.into_owned()))
        .collect();
    let has = |part: &str| names.iter().any(|name| name == part);
    if has("word/document.xml") {
        return Some(Format::Docx);
    }
    if has("xl/workbook.xml") {
        return Some(Format::Xlsx);
    }
    let mut mimetype = String::new();
    let read = package
        .by_name("mimetype")
        .ok()
        .and_then(|mut part| std::io::Read::read_to_string(&mut part, &mut mimetype).ok());
    (read.is_some() && mimetype.trim() == ODS_MIMETYPE).then_some(Format::Ods)
}

const ODS_MIMETYPE: &str = "application/vnd.oasis.opendocument.spreadsheet";

/// A PDF starts with `%PDF-` within its first kilobyte.
fn is_pdf(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(1024)];
    head.windows(5).any(|five| five == b"%PDF-")
}

/// What content is, in words, for a refusal.
fn describe(bytes: &[u8]) -> String {
    match looks_like(bytes) {
        Some(format) => format.a_name(),
        None if bytes.starts_with(b"PK") => {
            "a zip archive that holds no Word, Excel or OpenDocument spreadsheet".into()
        }
        None if bytes.is_empty() => "empty".into(),
        None if std::str::from_utf8(bytes).is_ok() => "text".into(),
        None => "binary data of no kind baseline knows".into(),
    }
}

/// Checks that text content is UTF-8 without NUL bytes, and that a keyed table
/// has its key column.
fn check_text(where_: &str, format: Format, key: Option<&str>, bytes: &[u8]) -> Result<()> {
    let Some(decoded) = encoding::decode(format, bytes) else {
        return Err(not_text(where_, bytes));
    };
    if let (true, Some(key)) = (format.is_table(), key) {
        let header = table_header(format, &decoded.text).map_err(|err| err.context(where_))?;
        if !header.iter().any(|column| column == key) {
            return Err(Error::refused(
                format!(
                    "{where_}: the table has no key column \"{key}\" (its columns are {})",
                    header.join(", ")
                ),
                "name one of those columns with --key, or fix the header row",
            ));
        }
    }
    Ok(())
}

/// Why `bytes` are not text: where they stop being UTF-8, or where a NUL byte is.
fn not_text(where_: &str, bytes: &[u8]) -> Error {
    let line_at = |end: usize| bytes[..end].iter().filter(|&&b| b == b'\n').count() + 1;
    let hint = "save the document as UTF-8 text";
    match std::str::from_utf8(bytes) {
        Err(err) => Error::refused(
            format!(
                "{where_} is not UTF-8 text (line {}, byte {}): it looks binary or uses another encoding",
                line_at(err.valid_up_to()),
                err.valid_up_to()
            ),
            hint,
        ),
        Ok(text) => {
            let position = text.find('\0').unwrap_or(text.len());
            Error::refused(
                format!(
                    "{where_} contains a NUL byte at line {}: it is binary, not text",
                    line_at(position)
                ),
                hint,
            )
        }
    }
}

/// The column names of a CSV or TSV table.
fn table_header(format: Format, text: &str) -> Result<Vec<String>> {
    let delimiter = if format == Format::Tsv { b'\t' } else { b',' };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let header = reader.headers().map_err(|err| {
        Error::refused(
            format!("the header row cannot be read as a table: {err}"),
            "check the first line of the file",
        )
    })?;
    Ok(header.iter().map(|c| c.trim().to_string()).collect())
}

/// Checks content against its artefact's format and key.
pub fn check_for(artefact: &Artefact, where_: &str, bytes: &[u8]) -> Result<()> {
    check(where_, artefact.format, artefact.key.as_deref(), bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binary_and_missing_keys_are_refused() {
        assert!(check("x", Format::Txt, None, &[0xff, 0xfe, 0x00]).is_err());
        assert!(check("x", Format::Txt, None, b"a\0b").is_err());
        assert!(check("x", Format::Csv, Some("D-Flow"), b"Id,Name\n1,a\n").is_err());
        assert!(check("x", Format::Csv, Some("D-Flow"), b"D-Flow,Name\nD0012,a\n").is_ok());
    }
}
