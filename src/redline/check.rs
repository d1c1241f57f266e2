//! Whether content is what its format says: an artefact's file is checked
//! before it is recorded.

use std::path::Path;

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

/// Checks that content is what its format says: text, and for a keyed table, a
/// header that has the key column.
pub fn check(where_: &str, format: Format, key: Option<&str>, bytes: &[u8]) -> Result<()> {
    let text = std::str::from_utf8(bytes).map_err(|err| {
        let line = bytes[..err.valid_up_to()].iter().filter(|&&b| b == b'\n').count() + 1;
        Error::refused(
            format!("{where_} is not UTF-8 text (line {line}, byte {}): it looks binary or uses another encoding", err.valid_up_to()),
            "save the document as UTF-8 text (.md, .txt, .csv or .tsv)",
        )
    })?;
    if let Some(position) = text.find('\0') {
        let line = text[..position].matches('\n').count() + 1;
        return Err(Error::refused(
            format!("{where_} contains a NUL byte at line {line}: it is binary, not text"),
            "save the document as UTF-8 text (.md, .txt, .csv or .tsv)",
        ));
    }
    if let (true, Some(key)) = (format.is_table(), key) {
        let header = table_header(format, text).map_err(|err| err.context(where_))?;
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
