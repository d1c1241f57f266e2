//! Reading a CSV/TSV table on its key column, in one pass of the CSV parser.

use std::borrow::Cow;
use std::cell::RefCell;

use csv_core::ReadRecordResult;

use super::NotComparable;
use crate::model::Format;

/// A table read on its key column: its header, each row as written, and each
/// row's key. The other cells are split from a row only when it is compared,
/// since most rows of a revised table are unchanged.
pub(super) struct Table<'a> {
    pub(super) header: Vec<String>,
    /// The header as written.
    pub(super) header_row: Option<&'a [u8]>,
    pub(super) rows: Vec<&'a [u8]>,
    /// The text the rows are slices of (after any byte order mark).
    pub(super) text: &'a [u8],
    /// Every row's key, trimmed, one after another; `key_ends` says where each ends.
    keys: String,
    key_ends: Vec<usize>,
    splitter: Splitter,
}

impl Table<'_> {
    pub(super) fn len(&self) -> usize {
        self.rows.len()
    }

    /// Where a record written in this table starts in its text, in bytes.
    pub(super) fn offset(&self, record: &[u8]) -> usize {
        record.as_ptr() as usize - self.text.as_ptr() as usize
    }

    pub(super) fn key(&self, row: usize) -> &str {
        let start = if row == 0 { 0 } else { self.key_ends[row - 1] };
        &self.keys[start..self.key_ends[row]]
    }

    pub(super) fn cells(&self, row: usize) -> Vec<Cow<'_, [u8]>> {
        self.splitter.cells(self.rows[row])
    }
}

/// Splits one record into cells: at the delimiter, or by the CSV parser where the
/// record is quoted. The parser is built once per table (building it costs more
/// than reading a row).
struct Splitter {
    delimiter: u8,
    parser: RefCell<(csv_core::Reader, Record)>,
}

impl Splitter {
    fn new(delimiter: u8) -> Self {
        Splitter {
            delimiter,
            parser: RefCell::new((
                csv_core::ReaderBuilder::new().delimiter(delimiter).build(),
                Record::default(),
            )),
        }
    }

    fn cells<'b>(&self, bytes: &'b [u8]) -> Vec<Cow<'b, [u8]>> {
        if memchr::memchr(b'"', bytes).is_none() {
            return bytes
                .split(|&b| b == self.delimiter)
                .map(Cow::Borrowed)
                .collect();
        }
        let (parser, record) = &mut *self.parser.borrow_mut();
        parser.reset();
        if record.read(parser, bytes) != ReadRecordResult::Record {
            return vec![Cow::Borrowed(bytes)];
        }
        (0..record.cells)
            .map(|n| Cow::Owned(record.cell(n).to_vec()))
            .collect()
    }
}

/// Buffers for reading one record at a time with the CSV parser.
#[derive(Default)]
struct Record {
    output: Vec<u8>,
    ends: Vec<usize>,
    written: usize,
    cells: usize,
    /// Input bytes consumed by the last `read`.
    consumed: usize,
}

impl Record {
    /// Reads the next record from `input`, growing the buffers as needed.
    fn read(&mut self, parser: &mut csv_core::Reader, input: &[u8]) -> ReadRecordResult {
        (self.written, self.cells, self.consumed) = (0, 0, 0);
        if self.output.len() < input.len().min(1 << 16) {
            self.output.resize(input.len().min(1 << 16), 0);
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

    fn cell(&self, n: usize) -> &[u8] {
        let start = if n == 0 { 0 } else { self.ends[n - 1] };
        &self.output[start..self.ends[n].min(self.written)]
    }
}

/// Reads a table in one pass of the CSV parser: the header, then each row's span,
/// its key, and a check that it has no more cells than the header.
pub(super) fn parse<'a>(
    format: Format,
    text: &'a str,
    key: &str,
    side: &str,
) -> Result<Table<'a>, NotComparable> {
    let delimiter = if format == Format::Tsv { b'\t' } else { b',' };
    let bytes = text.trim_start_matches('\u{feff}').as_bytes();
    let splitter = Splitter::new(delimiter);
    let mut parser = csv_core::ReaderBuilder::new().delimiter(delimiter).build();
    let mut record = Record::default();
    let mut position = Position::default();
    let mut header = Vec::new();
    let mut header_row = None;
    if record.read(&mut parser, bytes) == ReadRecordResult::Record {
        header = (0..record.cells)
            .map(|n| cell(record.cell(n)).trim().to_string())
            .collect();
        header_row = Some(position.advance(bytes, record.consumed));
    }
    if let Some(name) = header
        .iter()
        .enumerate()
        .find_map(|(i, h)| header[..i].contains(h).then_some(h))
    {
        return Err(NotComparable(format!(
            "{side} has the column \"{name}\" twice"
        )));
    }
    let column = header
        .iter()
        .position(|c| c == key)
        .ok_or_else(|| NotComparable(format!("{side} has no key column \"{key}\"")))?;
    let expected_rows = memchr::memchr_iter(b'\n', bytes).count() + 1;
    let mut table = Table {
        header_row,
        text: bytes,
        rows: Vec::with_capacity(expected_rows),
        keys: String::with_capacity(expected_rows * 8),
        key_ends: Vec::with_capacity(expected_rows),
        header,
        splitter,
    };
    while record.read(&mut parser, &bytes[position.at..]) == ReadRecordResult::Record {
        let row = table.rows.len() + 1;
        if record.cells > table.header.len() {
            return Err(NotComparable(format!(
                "{side} row {row} has {} cells, more than the header's {}",
                record.cells,
                table.header.len()
            )));
        }
        let value = (column < record.cells).then(|| cell(record.cell(column)));
        let value = value.as_deref().map_or("", str::trim);
        if value.is_empty() {
            return Err(NotComparable(format!(
                "{side} row {row} has no value in the key column \"{key}\""
            )));
        }
        table.keys.push_str(value);
        table.key_ends.push(table.keys.len());
        table.rows.push(position.advance(bytes, record.consumed));
    }
    Ok(table)
}

/// Where the parser is in the text.
#[derive(Default)]
struct Position {
    at: usize,
}

impl Position {
    /// Moves past a record `consumed` bytes long, returning its bytes without the
    /// line breaks around it (the parser skips blank lines before a record and
    /// consumes the one that ends it).
    fn advance<'a>(&mut self, bytes: &'a [u8], consumed: usize) -> &'a [u8] {
        let span = &bytes[self.at..self.at + consumed];
        self.at += consumed;
        let is_break = |b: &u8| *b == b'\n' || *b == b'\r';
        let start = span.iter().position(|b| !is_break(b)).unwrap_or(span.len());
        let end = span
            .iter()
            .rposition(|b| !is_break(b))
            .map_or(start, |i| i + 1);
        &span[start..end]
    }
}

/// A cell's text. The whole file is UTF-8 and cells split at ASCII delimiters,
/// so a cell is UTF-8 too; anything else is shown with replacement characters.
pub(super) fn cell(bytes: &[u8]) -> Cow<'_, str> {
    String::from_utf8_lossy(bytes)
}
