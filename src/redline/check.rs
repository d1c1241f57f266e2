//! Whether content is what its format says: an artefact's file is checked
//! before it is recorded.

use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

use super::scan::{HEAD_BYTES, Reading, Scan};
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
/// header. `scan` has seen all of the content; a package's parts are read from
/// `file`, the same content.
pub fn check(
    where_: &str,
    format: Format,
    key: Option<&str>,
    scan: Scan,
    file: &mut (impl Read + Seek),
) -> Result<()> {
    if format.is_text() {
        check_text(where_, format, key, scan)
    } else if holds(&scan, file, format) {
        match key {
            Some(key) if format.is_workbook() => check_sheet_keys(where_, format, key, file),
            _ => Ok(()),
        }
    } else {
        Err(Error::refused(
            format!(
                "{where_} is named as {}, but its content is {}",
                format.a_name(),
                describe(&scan, file)
            ),
            "check that it is the right file; if it is another kind of document, give it that kind's extension",
        ))
    }
}

/// Checks that a workbook has the key columns named for it: each sheet named
/// with `Sheet=Column` has that column in its first row, and a column named
/// for every sheet is in at least one.
fn check_sheet_keys(
    where_: &str,
    format: Format,
    key: &str,
    file: &mut (impl Read + Seek),
) -> Result<()> {
    let sheets = file
        .seek(SeekFrom::Start(0))
        .ok()
        .and_then(|_| super::workbook::sheets(format, file));
    let Some(sheets) = sheets else {
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

/// Whether the content is a document of `format` (an Excel workbook with macros
/// is packaged as one without).
fn holds(scan: &Scan, file: &mut (impl Read + Seek), format: Format) -> bool {
    let expected = match format {
        Format::Xlsm => Format::Xlsx,
        other => other,
    };
    looks_like(scan, file) == Some(expected)
}

/// The packaged format the content holds, as far as its first bytes and the
/// package's parts tell.
fn looks_like(scan: &Scan, file: &mut (impl Read + Seek)) -> Option<Format> {
    if is_pdf(scan.head()) {
        return Some(Format::Pdf);
    }
    file.seek(SeekFrom::Start(0)).ok()?;
    let mut package = zip::ZipArchive::new(file).ok()?;
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
        .and_then(|part| part.take(1024).read_to_string(&mut mimetype).ok());
    (read.is_some() && mimetype.trim() == ODS_MIMETYPE).then_some(Format::Ods)
}

const ODS_MIMETYPE: &str = "application/vnd.oasis.opendocument.spreadsheet";

/// A PDF starts with `%PDF-` within its first kilobyte.
fn is_pdf(head: &[u8]) -> bool {
    let head = &head[..head.len().min(1024)];
    head.windows(5).any(|five| five == b"%PDF-")
}

/// What content is, in words, for a refusal.
fn describe(scan: &Scan, file: &mut (impl Read + Seek)) -> String {
    match looks_like(scan, file) {
        Some(format) => format.a_name(),
        None if scan.head().starts_with(b"PK") => {
            "a zip archive that holds no Word, Excel or OpenDocument spreadsheet".into()
        }
        None if scan.size() == 0 => "empty".into(),
        None if scan.utf8_error().is_none() => "text".into(),
        None => "binary data of no kind baseline knows".into(),
    }
}

/// Checks that text content is UTF-8 without NUL bytes (a table may also be
/// in an encoding Excel writes), and that a keyed table has its key column.
fn check_text(where_: &str, format: Format, key: Option<&str>, scan: Scan) -> Result<()> {
    let refusal = not_text(where_, &scan);
    let head = scan.head().to_vec();
    let whole = scan.whole_in_head();
    let Some(encoding) = (match scan.finish() {
        Reading::Utf8 => Some(encoding_rs::UTF_8),
        Reading::Other(encoding) => Some(encoding),
        Reading::NotText => None,
    }) else {
        return Err(refusal);
    };
    if let (true, Some(key)) = (format.is_table(), key) {
        let header = table_header(format, &decode_head(encoding, &head), whole)
            .map_err(|err| err.context(where_))?;
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

/// The text of a table's first bytes, in its encoding (a character cut off at
/// the end is left out).
fn decode_head(encoding: &'static encoding_rs::Encoding, head: &[u8]) -> String {
    let mut decoder = encoding.new_decoder();
    let mut text = String::with_capacity(
        decoder
            .max_utf8_buffer_length(head.len())
            .unwrap_or(head.len() * 3),
    );
    let _ = decoder.decode_to_string(head, &mut text, false);
    text
}

/// Why content is not text: where it stops being UTF-8, or where a NUL byte is.
fn not_text(where_: &str, scan: &Scan) -> Error {
    let hint = "save the document as UTF-8 text";
    match (scan.utf8_error(), scan.first_nul()) {
        (Some(place), _) => Error::refused(
            format!(
                "{where_} is not UTF-8 text (line {}, byte {}): it looks binary or uses another encoding",
                place.line, place.offset
            ),
            hint,
        ),
        (None, nul) => Error::refused(
            format!(
                "{where_} contains a NUL byte at line {}: it is binary, not text",
                nul.map_or(1, |place| place.line)
            ),
            hint,
        ),
    }
}

/// The column names of a CSV or TSV table, from its text or, when `whole` is
/// false, the text of its first bytes, in which the header row must end.
fn table_header(format: Format, text: &str, whole: bool) -> Result<Vec<String>> {
    let delimiter = if format == Format::Tsv { b'\t' } else { b',' };
    let text = text.trim_start_matches('\u{feff}');
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let header = reader.headers().map_err(|err| {
        Error::refused(
            format!("the header row cannot be read as a table: {err}"),
            "check the first line of the file",
        )
    })?;
    let header: Vec<String> = header.iter().map(|c| c.trim().to_string()).collect();
    if !whole && reader.position().byte() >= text.len() as u64 {
        return Err(Error::refused(
            format!(
                "the header row does not end within the first {} MiB of the table",
                HEAD_BYTES >> 20
            ),
            "check the first line of the file: a header row this long is a mistake",
        ));
    }
    Ok(header)
}

/// Checks content against its artefact's format and key.
pub fn check_for(
    artefact: &Artefact,
    where_: &str,
    scan: Scan,
    file: &mut (impl Read + Seek),
) -> Result<()> {
    check(where_, artefact.format, artefact.key.as_deref(), scan, file)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_bytes(format: Format, key: Option<&str>, bytes: &[u8]) -> Result<()> {
        let mut scan = Scan::new(format);
        scan.feed(bytes);
        check("x", format, key, scan, &mut std::io::Cursor::new(bytes))
    }

    #[test]
    fn binary_and_missing_keys_are_refused() {
        assert!(check_bytes(Format::Txt, None, &[0xff, 0xfe, 0x00]).is_err());
        assert!(check_bytes(Format::Txt, None, b"a\0b").is_err());
        assert!(check_bytes(Format::Csv, Some("D-Flow"), b"Id,Name\n1,a\n").is_err());
        assert!(check_bytes(Format::Csv, Some("D-Flow"), b"D-Flow,Name\nD0012,a\n").is_ok());
    }

    #[test]
    fn a_header_row_must_end_within_the_head() {
        let mut long = b"D-Flow,".to_vec();
        long.resize(HEAD_BYTES + 10, b'x');
        long.extend_from_slice(b"\nD0012,a\n");
        let refused = check_bytes(Format::Csv, Some("D-Flow"), &long).unwrap_err();
        assert!(
            refused.message.contains("does not end within"),
            "{}",
            refused.message
        );
        let short = b"D-Flow,Name\nD0012,a\n".repeat(HEAD_BYTES / 10);
        assert!(check_bytes(Format::Csv, Some("D-Flow"), &short).is_ok());
    }
}
