//! An artefact's content: reading it, checking it is what its format says, hashing it.

use std::path::Path;

use sha2::{Digest, Sha256};

use crate::error::{Error, Result, io_at};
use crate::model::{Artefact, Format};

/// Content above this size is refused: a design document this large is a mistake.
pub const MAX_CONTENT_BYTES: u64 = 512 * 1024 * 1024;

pub fn sha256_hex(bytes: &[u8]) -> String {
    base16ct::lower::encode_string(&Sha256::digest(bytes))
}

/// A text that may sit after something that is not part of it (a git object's
/// header, say): kept where it was read rather than moved to the front of its
/// buffer, which for a large version costs more than reading it did.
#[derive(Default)]
pub struct Text {
    buffer: String,
    start: usize,
}

impl Text {
    /// The text of `buffer` from byte `start` on; the buffer back if no character
    /// starts there.
    pub fn after(buffer: String, start: usize) -> std::result::Result<Self, String> {
        if buffer.is_char_boundary(start) {
            Ok(Text { buffer, start })
        } else {
            Err(buffer)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.buffer[self.start..]
    }
}

impl std::ops::Deref for Text {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

/// Reads a content file, refusing what is missing, a folder, or too large.
pub fn read_file(path: &Path) -> Result<Vec<u8>> {
    let metadata = std::fs::metadata(path).map_err(|err| {
        if err.kind() == std::io::ErrorKind::NotFound {
            Error::refused(
                format!("{} does not exist", path.display()),
                "check the path; it is relative to where you run baseline",
            )
        } else {
            io_at(path)(err)
        }
    })?;
    if !metadata.is_file() {
        return Err(Error::refused(
            format!("{} is not a file", path.display()),
            "name the document file itself",
        ));
    }
    if metadata.len() > MAX_CONTENT_BYTES {
        return Err(Error::refused(
            format!(
                "{} is {} bytes, over the {} byte limit for an artefact",
                path.display(),
                metadata.len(),
                MAX_CONTENT_BYTES
            ),
            "split the document, or keep large attachments outside the design repository",
        ));
    }
    std::fs::read(path).map_err(io_at(path))
}

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
pub fn table_header(format: Format, text: &str) -> Result<Vec<String>> {
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

/// Refuses a one-line field (a title, an authority) that holds a line break or
/// another control character: it would break the register, commit messages and
/// the headers of diffs.
pub fn check_one_line(what: &str, text: &str) -> Result<()> {
    if text.trim().is_empty() {
        return Err(Error::usage(
            format!("{what} is empty"),
            format!("give the {what}"),
        ));
    }
    if text.chars().any(char::is_control) {
        return Err(Error::usage(
            format!(
                "{what} \"{}\" holds a line break or another control character",
                text.escape_debug()
            ),
            format!("write the {what} on one line"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_matches_known_vector() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn binary_and_missing_keys_are_refused() {
        assert!(check("x", Format::Txt, None, &[0xff, 0xfe, 0x00]).is_err());
        assert!(check("x", Format::Txt, None, b"a\0b").is_err());
        assert!(check("x", Format::Csv, Some("D-Flow"), b"Id,Name\n1,a\n").is_err());
        assert!(check("x", Format::Csv, Some("D-Flow"), b"D-Flow,Name\nD0012,a\n").is_ok());
    }
}
