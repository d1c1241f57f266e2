//! What checking a document needs to know of its content, learnt a piece at a
//! time as it is read, so that a document of hundreds of megabytes is checked
//! without being held in memory: whether it is UTF-8, where it stops being so,
//! where its first NUL byte is, whether a table with a UTF-16 byte order mark
//! decodes, and its first bytes (a table's header row, a PDF's header).

use crate::model::Format;

/// How much of the start of a document is kept: a table's header row must end
/// within it.
pub const HEAD_BYTES: usize = 1024 * 1024;

/// The facts gathered so far.
pub struct Scan {
    format: Format,
    head: Vec<u8>,
    size: u64,
    /// Line breaks before `size`, counted only while they may still be needed
    /// to say where the first NUL byte is or where the text stops being UTF-8.
    newlines: u64,
    utf8: Utf8Validation,
    utf8_invalid: Option<Place>,
    first_nul: Option<Place>,
    utf16: Option<Utf16Validation>,
}

/// A byte's offset in the document and the line it is on (from 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place {
    pub offset: u64,
    pub line: u64,
}

/// How a text format's content reads, once all of it was seen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    Utf8,
    /// A table in another encoding Excel writes: UTF-16 with a byte order
    /// mark, or Windows-1252.
    Other(&'static encoding_rs::Encoding),
    NotText,
}

impl Scan {
    pub fn new(format: Format) -> Scan {
        Scan {
            format,
            head: Vec::new(),
            size: 0,
            newlines: 0,
            utf8: Utf8Validation::default(),
            utf8_invalid: None,
            first_nul: None,
            utf16: None,
        }
    }

    /// Learns from the next piece of the content.
    pub fn feed(&mut self, piece: &[u8]) {
        let start = self.size;
        self.keep_head(piece);
        if self.first_nul.is_none()
            && let Some(at) = memchr::memchr(0, piece)
        {
            self.first_nul = Some(self.place(start, piece, start + at as u64));
        }
        if self.utf8_invalid.is_none() {
            self.utf8.feed(piece);
            if let Some(offset) = self.utf8.invalid_at {
                self.utf8_invalid = Some(self.place(start, piece, offset));
            }
        }
        if self.first_nul.is_none() || self.utf8_invalid.is_none() {
            self.newlines += count_newlines(piece);
        }
        if let Some(utf16) = &mut self.utf16 {
            utf16.feed(piece, false);
        }
        self.size += piece.len() as u64;
    }

    /// Where `offset` is, within or before `piece`, which starts at `start`.
    fn place(&self, start: u64, piece: &[u8], offset: u64) -> Place {
        let in_piece = offset.saturating_sub(start) as usize;
        Place {
            offset,
            line: self.newlines + count_newlines(&piece[..in_piece]) + 1,
        }
    }

    /// Keeps the document's first bytes; once a table's first two are known,
    /// starts decoding it as UTF-16 if they are a UTF-16 byte order mark.
    fn keep_head(&mut self, piece: &[u8]) {
        let had = self.head.len();
        let room = HEAD_BYTES - had;
        self.head.extend_from_slice(&piece[..piece.len().min(room)]);
        if self.format.is_table() && had < 2 && self.head.len() >= 2 {
            self.utf16 = utf16_bom(&self.head).map(|encoding| {
                let mut validation = Utf16Validation::new(encoding);
                validation.feed(&self.head[..had], false);
                validation
            });
        }
    }

    pub fn head(&self) -> &[u8] {
        &self.head
    }

    pub fn size(&self) -> u64 {
        self.size
    }

    /// Whether all of the content is in `head`.
    pub fn whole_in_head(&self) -> bool {
        self.size == self.head.len() as u64
    }

    /// Where the content stops being UTF-8, if it does.
    pub fn utf8_error(&self) -> Option<Place> {
        self.utf8_invalid.or_else(|| {
            self.utf8.cut_off().map(|offset| Place {
                offset,
                line: self.newlines + 1,
            })
        })
    }

    pub fn first_nul(&self) -> Option<Place> {
        self.first_nul
    }

    /// How the content reads as text, as `encoding::decode` would read it whole:
    /// UTF-8 without NUL bytes; for a table, else UTF-16 by its byte order mark,
    /// or else Windows-1252 (which has a character for every byte but NUL).
    pub fn finish(mut self) -> Reading {
        if !self.format.is_text() {
            return Reading::NotText;
        }
        if self.utf8_error().is_none() && self.first_nul.is_none() {
            return Reading::Utf8;
        }
        if !self.format.is_table() {
            return Reading::NotText;
        }
        if let Some(mut utf16) = self.utf16.take() {
            utf16.feed(&[], true);
            return match utf16.valid {
                true => Reading::Other(utf16.encoding),
                false => Reading::NotText,
            };
        }
        let starts_as_utf8 = matches!(
            encoding_rs::Encoding::for_bom(&self.head),
            Some((encoding, _)) if encoding == encoding_rs::UTF_8
        );
        match (starts_as_utf8, self.first_nul) {
            // A UTF-8 byte order mark makes the whole content read as UTF-8.
            (true, _) | (false, Some(_)) => Reading::NotText,
            (false, None) => Reading::Other(encoding_rs::WINDOWS_1252),
        }
    }
}

fn count_newlines(bytes: &[u8]) -> u64 {
    bytes.iter().filter(|&&b| b == b'\n').count() as u64
}

/// The UTF-16 encoding a byte order mark names, if it names one.
fn utf16_bom(head: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    encoding_rs::Encoding::for_bom(head)
        .map(|(encoding, _)| encoding)
        .filter(|&encoding| encoding != encoding_rs::UTF_8)
}

/// UTF-8 validation across pieces: a character split between two pieces is
/// carried over to the next.
#[derive(Default)]
struct Utf8Validation {
    /// Bytes validated so far, not counting `carry`.
    valid: u64,
    /// The start of a character the last piece ended inside.
    carry: Vec<u8>,
    invalid_at: Option<u64>,
}

impl Utf8Validation {
    fn feed(&mut self, piece: &[u8]) {
        let mut rest = piece;
        if !self.carry.is_empty() {
            let Some(after) = self.complete_carry(piece) else {
                return;
            };
            rest = &piece[after..];
        }
        match std::str::from_utf8(rest) {
            Ok(_) => self.valid += rest.len() as u64,
            Err(err) => {
                self.valid += err.valid_up_to() as u64;
                match err.error_len() {
                    None => self.carry = rest[err.valid_up_to()..].to_vec(),
                    Some(_) => self.invalid_at = Some(self.valid),
                }
            }
        }
    }

    /// Completes the carried character with the first bytes of `piece`; returns
    /// how many of them it took, or none if the character is invalid or still
    /// incomplete.
    fn complete_carry(&mut self, piece: &[u8]) -> Option<usize> {
        let carried = self.carry.len();
        let mut joined = std::mem::take(&mut self.carry);
        joined.extend_from_slice(&piece[..piece.len().min(4 - carried)]);
        let complete = match std::str::from_utf8(&joined) {
            Ok(_) => joined.len(),
            Err(err) if err.valid_up_to() > 0 => err.valid_up_to(),
            Err(err) if err.error_len().is_none() => {
                self.carry = joined;
                return None;
            }
            Err(_) => {
                self.invalid_at = Some(self.valid);
                return None;
            }
        };
        self.valid += complete as u64;
        Some(complete - carried)
    }

    /// Where a character begins that the content, seen to its end, cuts off.
    fn cut_off(&self) -> Option<u64> {
        (!self.carry.is_empty()).then_some(self.valid)
    }
}

/// Decoding a table as UTF-16, only to learn whether it decodes without errors
/// or NUL characters.
struct Utf16Validation {
    encoding: &'static encoding_rs::Encoding,
    decoder: encoding_rs::Decoder,
    valid: bool,
}

impl Utf16Validation {
    fn new(encoding: &'static encoding_rs::Encoding) -> Self {
        Utf16Validation {
            encoding,
            decoder: encoding.new_decoder(),
            valid: true,
        }
    }

    fn feed(&mut self, mut piece: &[u8], last: bool) {
        let mut units = [0u16; 8192];
        while self.valid {
            let (result, read, written) = self
                .decoder
                .decode_to_utf16_without_replacement(piece, &mut units, last);
            piece = &piece[read..];
            if units[..written].contains(&0) {
                self.valid = false;
            }
            match result {
                encoding_rs::DecoderResult::InputEmpty => return,
                encoding_rs::DecoderResult::OutputFull => {}
                encoding_rs::DecoderResult::Malformed(..) => self.valid = false,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn scan_in_pieces(format: Format, bytes: &[u8], cuts: &[usize]) -> Scan {
        let mut scan = Scan::new(format);
        let mut at = 0;
        for &cut in cuts {
            let cut = cut.min(bytes.len()).max(at);
            scan.feed(&bytes[at..cut]);
            at = cut;
        }
        scan.feed(&bytes[at..]);
        scan
    }

    /// What reading the whole content at once says.
    fn whole(format: Format, bytes: &[u8]) -> Reading {
        match crate::redline::encoding::decode(format, bytes) {
            None => Reading::NotText,
            Some(decoded) => match decoded.encoding {
                None => Reading::Utf8,
                Some(name) => {
                    Reading::Other(encoding_rs::Encoding::for_label(name.as_bytes()).unwrap())
                }
            },
        }
    }

    fn content() -> impl Strategy<Value = Vec<u8>> {
        let pieces = prop_oneof![
            Just(b"a,b\n".to_vec()),
            Just("é€😀\n".as_bytes().to_vec()),
            Just(vec![0xff, 0xfe]),
            Just(vec![0xef, 0xbb, 0xbf]),
            Just(vec![0]),
            Just(vec![0xe2, 0x82]),
            Just(vec![0xe9]),
            Just(b"D0012".to_vec()),
        ];
        proptest::collection::vec(pieces, 0..12).prop_map(|v| v.concat())
    }

    proptest! {
        #[test]
        fn pieces_read_as_the_whole(bytes in content(), cuts in proptest::collection::vec(0usize..40, 0..6), table: bool) {
            let format = if table { Format::Csv } else { Format::Md };
            let mut cuts = cuts;
            cuts.sort();
            let scan = scan_in_pieces(format, &bytes, &cuts);
            let utf8 = std::str::from_utf8(&bytes);
            prop_assert_eq!(scan.utf8_error().map(|p| p.offset), utf8.err().map(|e| e.valid_up_to() as u64));
            if let Some(place) = scan.utf8_error() {
                let line = bytes[..place.offset as usize].iter().filter(|&&b| b == b'\n').count() as u64 + 1;
                prop_assert_eq!(place.line, line);
            }
            let nul = bytes.iter().position(|&b| b == 0);
            prop_assert_eq!(scan.first_nul().map(|p| p.offset), nul.map(|n| n as u64));
            prop_assert_eq!(scan.finish(), whole(format, &bytes));
        }
    }

    #[test]
    fn utf16_tables_are_validated_in_pieces() {
        let mut utf16 = vec![0xff, 0xfe];
        for unit in "D-Flow\tName\nD0012\tRéading\n".encode_utf16() {
            utf16.extend(unit.to_le_bytes());
        }
        for cut in 0..utf16.len() {
            let scan = scan_in_pieces(Format::Tsv, &utf16, &[1, cut]);
            assert_eq!(scan.finish(), Reading::Other(encoding_rs::UTF_16LE));
        }
        utf16.push(0x41);
        assert_eq!(
            scan_in_pieces(Format::Tsv, &utf16, &[3]).finish(),
            Reading::NotText
        );
    }
}
