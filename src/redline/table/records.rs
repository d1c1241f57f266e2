//! Reading a table's records one after another, each the cheapest way that reads
//! it as the CSV parser would: split at its delimiters and simple quotes where
//! that can, by csv-core from where it cannot.

use std::borrow::Cow;

use csv_core::ReadRecordResult;

use super::read::{Span, cell};
use super::split::{RecordStart, RecordStarts, simple_record, split_plain};

/// A record as read: how many cells it has, its cell in the column asked for,
/// and where it is written (without the line breaks around it).
pub(super) struct Read<'t> {
    pub(super) cells: usize,
    pub(super) wanted: Option<Cow<'t, str>>,
    pub(super) span: Span,
}

/// The records of a text, read in order.
pub(super) struct Records<'t> {
    text: &'t str,
    delimiter: u8,
    parser: csv_core::Reader,
    record: Record,
    starts: RecordStarts,
    position: Position,
}

impl<'t> Records<'t> {
    /// The records of `text`, after any byte order mark.
    pub(super) fn new(text: &'t str, delimiter: u8) -> Self {
        Records {
            text,
            delimiter,
            parser: csv_core::ReaderBuilder::new().delimiter(delimiter).build(),
            record: Record::default(),
            starts: RecordStarts::default(),
            position: Position {
                at: text.len() - text.trim_start_matches('\u{feff}').len(),
            },
        }
    }

    /// The first record as column names (trimmed), and where it is written: none
    /// for an empty text.
    pub(super) fn header(&mut self) -> (Vec<String>, Option<Span>) {
        let bytes = self.text.as_bytes();
        let record = &mut self.record;
        if record.read(&mut self.parser, &bytes[self.position.at..]) != ReadRecordResult::Record {
            return (Vec::new(), None);
        }
        let names = (0..record.cells)
            .map(|n| cell(record.cell(n)).trim().to_string())
            .collect();
        (names, Some(self.position.advance(bytes, record.consumed)))
    }

    /// Where the next record is read from.
    pub(super) fn position(&self) -> usize {
        self.position.at
    }

    /// The next record, with its cell in `column`; none at the end of the text.
    pub(super) fn next(&mut self, column: usize) -> Option<Read<'_>> {
        let (text, bytes, delimiter) = (self.text, self.text.as_bytes(), self.delimiter);
        self.position.skip_breaks(bytes);
        let at = self.position.at;
        if at >= bytes.len() {
            return None;
        }
        let plain = match self.starts.at(bytes, at, delimiter) {
            RecordStart::Line(line) => {
                let (cells, wanted) = split_plain(text, line, at, delimiter, column);
                let span = self.position.advance(bytes, line.len());
                return Some(Read {
                    cells,
                    wanted,
                    span,
                });
            }
            RecordStart::Quoted(plain) => Some(plain),
            RecordStart::Unknown => None,
        };
        let (before, plain_value) = match plain.and_then(<[u8]>::split_last) {
            None => (0, None),
            Some((_, cells)) => split_plain(text, cells, at, delimiter, column),
        };
        let wanted = column.checked_sub(before);
        let from = at + plain.map_or(0, <[u8]>::len);
        // Counted as the fast read goes: if it gives up, csv-core counts again.
        let (mut cells, mut wanted_span) = (0, None);
        let simple = plain.and_then(|_| {
            simple_record(&bytes[from..], delimiter, |span| {
                if wanted == Some(cells) {
                    wanted_span = Some(span);
                }
                cells += 1;
            })
        });
        if let Some(consumed) = simple {
            let value = match wanted {
                None => plain_value,
                Some(_) => {
                    wanted_span.map(|[start, end]| Cow::Borrowed(&text[from + start..from + end]))
                }
            };
            let span = self.position.advance(bytes, from + consumed - at);
            return Some(Read {
                cells: before + cells,
                wanted: value,
                span,
            });
        }
        if plain.is_some() {
            // Rows like this one (say, with doubled quotes) are left to csv-core
            // for a while, rather than tried both ways.
            self.starts.found(false);
        }
        // csv-core reads a cell opened by a quote as it would mid-record; it reads
        // a record from any text left (there is some), so the end of the text is
        // the only way it ends the table.
        self.parser.reset();
        let record = &mut self.record;
        if record.read(&mut self.parser, &bytes[from..]) != ReadRecordResult::Record {
            return None;
        }
        let end = from + record.consumed;
        let mut span = self.position.advance(bytes, end - at);
        if end == bytes.len()
            && (span[1] as usize) < end
            && breaks_are_quoted(record, &bytes[from..span[1] as usize], delimiter)
        {
            span[1] = end as u32;
        }
        let record = &self.record;
        let value = match wanted {
            None => plain_value,
            Some(n) => (n < record.cells).then(|| cell(record.cell(n))),
        };
        Some(Read {
            cells: before + record.cells,
            wanted: value,
            span,
        })
    }
}

/// Buffers for reading one record at a time with the CSV parser.
#[derive(Default)]
pub(super) struct Record {
    pub(super) output: Vec<u8>,
    pub(super) ends: Vec<usize>,
    pub(super) written: usize,
    pub(super) cells: usize,
    /// Input bytes consumed by the last `read`.
    pub(super) consumed: usize,
}

impl Record {
    /// Reads the next record from `input`, growing the buffers as needed.
    pub(super) fn read(&mut self, parser: &mut csv_core::Reader, input: &[u8]) -> ReadRecordResult {
        (self.written, self.cells, self.consumed) = (0, 0, 0);
        // Most records are short, and a buffer is grown below for one that is not.
        if self.output.len() < input.len().min(1 << 12) {
            self.output.resize(input.len().min(1 << 12), 0);
        }
        if self.ends.is_empty() {
            self.ends.resize(64, 0);
        }
        loop {
            let (result, read, written, cells) = parser.read_record(
                &input[self.consumed..],
                &mut self.output[self.written..],
                &mut self.ends[self.cells..],
            );
            self.consumed += read;
            self.written += written;
            self.cells += cells;
            match result {
                ReadRecordResult::OutputFull => {
                    let grown = self.output.len() * 2 + 64;
                    self.output.resize(grown, 0);
                }
                ReadRecordResult::OutputEndsFull => {
                    let grown = self.ends.len() * 2;
                    self.ends.resize(grown, 0);
                }
                ReadRecordResult::InputEmpty if self.consumed < input.len() => {}
                // The end of the input ends the last record too: read it again, empty.
                ReadRecordResult::InputEmpty if read > 0 || written > 0 || cells > 0 => {}
                other => return other,
            }
        }
    }

    pub(super) fn cell(&self, n: usize) -> &[u8] {
        let [start, end] = self.span(n);
        &self.output[start..end]
    }

    /// Where cell `n` is in the output.
    pub(super) fn span(&self, n: usize) -> [usize; 2] {
        let start = if n == 0 { 0 } else { self.ends[n - 1] };
        [start, self.ends[n].min(self.written)]
    }
}

/// Whether the line breaks after a record that csv-core read to the end of the
/// text are in its last cell (a quote left open holds them) rather than ending
/// it: read without them (`unbroken`), the last cell is not the same.
fn breaks_are_quoted(record: &Record, unbroken: &[u8], delimiter: u8) -> bool {
    let Some(last) = record.cells.checked_sub(1) else {
        return false;
    };
    let mut parser = csv_core::ReaderBuilder::new().delimiter(delimiter).build();
    let mut again = Record::default();
    again.read(&mut parser, unbroken);
    again.cells != record.cells || again.cell(last) != record.cell(last)
}

/// Where the parser is in the text.
struct Position {
    at: usize,
}

impl Position {
    /// Skips the line breaks before a record, as the parser does.
    fn skip_breaks(&mut self, bytes: &[u8]) {
        while bytes
            .get(self.at)
            .is_some_and(|b| *b == b'\n' || *b == b'\r')
        {
            self.at += 1;
        }
    }

    /// Moves past a record `consumed` bytes long, returning where it is written
    /// without the line breaks around it (the parser skips blank lines before a
    /// record and consumes the one that ends it).
    fn advance(&mut self, bytes: &[u8], consumed: usize) -> Span {
        let span = &bytes[self.at..self.at + consumed];
        let is_break = |b: &u8| *b == b'\n' || *b == b'\r';
        let start = span.iter().position(|b| !is_break(b)).unwrap_or(span.len());
        let end = span
            .iter()
            .rposition(|b| !is_break(b))
            .map_or(start, |i| i + 1);
        let written = [(self.at + start) as u32, (self.at + end) as u32];
        self.at += consumed;
        written
    }
}
