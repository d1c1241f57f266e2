//! Reading a version as text. Tables come as Excel writes them too: Windows-1252
//! (its "CSV"), or UTF-16 with a byte order mark (its "Unicode text").

use std::borrow::Cow;

use crate::model::Format;

/// A version's text, and the encoding it was read from where that was not UTF-8.
pub struct Decoded<'b> {
    pub text: Cow<'b, str>,
    pub encoding: Option<&'static str>,
}

/// The text of a version of a text format; none where it is not text (a table
/// is read as UTF-8, UTF-16 with a byte order mark, or else Windows-1252).
pub fn decode(format: Format, bytes: &[u8]) -> Option<Decoded<'_>> {
    if !format.is_text() {
        return None;
    }
    if let Some(text) = utf8_text(bytes) {
        return Some(Decoded {
            text: Cow::Borrowed(text),
            encoding: None,
        });
    }
    if !format.is_table() {
        return None;
    }
    let encoding = match encoding_rs::Encoding::for_bom(bytes) {
        Some((encoding, _)) if encoding != encoding_rs::UTF_8 => encoding,
        _ => encoding_rs::WINDOWS_1252,
    };
    let (text, _, had_errors) = encoding.decode(bytes);
    if had_errors || text.contains('\0') {
        return None;
    }
    Some(Decoded {
        text: Cow::Owned(text.into_owned()),
        encoding: Some(encoding.name()),
    })
}

/// The text of a version, if it is UTF-8 without NUL bytes.
pub fn utf8_text(bytes: &[u8]) -> Option<&str> {
    std::str::from_utf8(bytes)
        .ok()
        .filter(|text| !text.contains('\0'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_read_as_excel_writes_them() {
        let utf8 = decode(Format::Csv, "D-Flow,Name\nD0012,Réading\n".as_bytes()).unwrap();
        assert_eq!(utf8.encoding, None);

        let cp1252 = b"D-Flow,Name\nD0012,R\xe9ading \x80\n";
        let read = decode(Format::Csv, cp1252).unwrap();
        assert_eq!(read.text, "D-Flow,Name\nD0012,Réading €\n");
        assert_eq!(read.encoding, Some("windows-1252"));

        let mut utf16 = vec![0xff, 0xfe];
        for unit in "D-Flow\tName\nD0012\tRéading\n".encode_utf16() {
            utf16.extend(unit.to_le_bytes());
        }
        let read = decode(Format::Tsv, &utf16).unwrap();
        assert_eq!(read.text, "D-Flow\tName\nD0012\tRéading\n");
        assert_eq!(read.encoding, Some("UTF-16LE"));
    }

    #[test]
    fn other_text_must_be_utf8() {
        assert!(decode(Format::Md, b"Caf\xe9\n").is_none());
        assert!(decode(Format::Txt, b"a\0b").is_none());
        assert!(decode(Format::Docx, b"PK").is_none());
    }
}
