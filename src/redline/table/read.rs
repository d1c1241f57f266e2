//! Reading a CSV/TSV table on its key column, in one pass: cells are split at the
//! delimiter where that reads them as the CSV parser would, and csv-core reads the rest.

use std::borrow::Cow;
use std::cell::RefCell;

use csv_core::ReadRecordResult;

use super::NotComparable;
use super::keys::Keys;
use super::split::{RecordStart, RecordStarts, simple_record, split_plain};
use crate::model::Format;
use crate::redline::lines::Lines;

/// A table read on its key column, kept as positions in its text so that it can
/// be read on the core that read the text and compared later: its header, where
/// its header and each row are written, and each row's key.
/// The other cells are split from a row only when it is compared, since most
/// rows of a revised table are unchanged.
pub struct Parsed {
    header: Vec<String>,
    header_row: Option<Span>,
    rows: Vec<Span>,
    /// The lines the header and each row start on (0-based).
    header_line: Option<u32>,
    first_lines: Vec<u32>,
    /// Where each line of the text ends, as [`line_ends`] finds them.
    line_ends: Vec<u32>,
    /// Every row's key, trimmed.
    keys: Keys,
    delimiter: u8,
}

/// Where a record is written in its text, in bytes: `[start, end)`.
type Span = [u32; 2];

impl Parsed {
    /// The lines of `text` (which this was parsed from), each with its line
    /// break, as `split_lines` gives them.
    pub fn lines<'a>(&'a self, text: &'a str) -> Lines<'a> {
        Lines::Ends {
            text,
            ends: &self.line_ends,
        }
    }
}

/// A parsed table over its text.
pub(super) struct Table<'a> {
    pub(super) header: &'a [String],
    /// The header as written.
    pub(super) header_row: Option<Written<'a>>,
    text: &'a [u8],
    parsed: &'a Parsed,
    splitter: Splitter,
}

impl<'a> Table<'a> {
    /// `parsed` must have been read from `text`.
    pub(super) fn new(parsed: &'a Parsed, text: &'a str) -> Self {
        let text = text.as_bytes();
        Table {
            header: &parsed.header,
            header_row: parsed
                .header_row
                .zip(parsed.header_line)
                .map(|(span, first)| Written::new(text, span, first, &parsed.line_ends)),
            text,
            parsed,
            splitter: Splitter::new(parsed.delimiter),
        }
    }

    #[inline]
    pub(super) fn len(&self) -> usize {
        self.parsed.rows.len()
    }

    /// A row as written, without the line breaks around it.
    #[inline]
    pub(super) fn row(&self, row: usize) -> &'a [u8] {
        let [start, end] = self.parsed.rows[row];
        &self.text[start as usize..end as usize]
    }

    /// A row as written, with the lines it is written on.
    #[inline]
    pub(super) fn written(&self, row: usize) -> Written<'a> {
        let parsed = self.parsed;
        Written::new(
            self.text,
            parsed.rows[row],
            parsed.first_lines[row],
            &parsed.line_ends,
        )
    }

    #[inline]
    pub(super) fn key(&self, row: usize) -> &'a str {
        self.parsed.keys.get(row)
    }

    /// The row with `key`.
    #[inline]
    pub(super) fn find(&self, key: &str) -> Option<usize> {
        self.parsed.keys.find(key)
    }

    pub(super) fn cells(&self, row: usize) -> Cells<'a> {
        self.splitter.cells(self.row(row))
    }
}

/// A record as written (without the line breaks around it), and the first and
/// last lines it is written on (0-based).
#[derive(Clone, Copy)]
pub(super) struct Written<'a> {
    pub(super) bytes: &'a [u8],
    pub(super) first_line: usize,
    pub(super) last_line: usize,
}

impl<'a> Written<'a> {
    /// The record at `[start, end)`, starting on line `first` of the text whose
    /// lines end at `line_ends`.
    #[inline]
    fn new(text: &'a [u8], [start, end]: Span, first: u32, line_ends: &[u32]) -> Self {
        // The last line is the one holding the record's last byte: most records
        // end on the line they start on.
        let last_byte = end.saturating_sub(1).max(start);
        let mut last = first as usize;
        while line_ends
            .get(last)
            .is_some_and(|&line_end| line_end <= last_byte)
        {
            last += 1;
        }
        Written {
            bytes: &text[start as usize..end as usize],
            first_line: first as usize,
            last_line: last,
        }
    }
}

/// Splits one record into cells: at the delimiter and simple quotes, or by the
/// CSV parser where they do not read it. The parser is built once per table,
/// when first needed (building it costs more than reading a row).
struct Splitter {
    delimiter: u8,
    parser: RefCell<Option<(csv_core::Reader, Record)>>,
}

impl Splitter {
    fn new(delimiter: u8) -> Self {
        Splitter {
            delimiter,
            parser: RefCell::new(None),
        }
    }

    fn cells<'b>(&self, bytes: &'b [u8]) -> Cells<'b> {
        let mut spans = Vec::with_capacity(8);
        if simple_record(bytes, self.delimiter, |span| spans.push(span)).is_some() {
            return Cells {
                bytes: Cow::Borrowed(bytes),
                spans,
            };
        }
        let mut parser = self.parser.borrow_mut();
        let (parser, record) = parser.get_or_insert_with(|| {
            let reader = csv_core::ReaderBuilder::new()
                .delimiter(self.delimiter)
                .build();
            (reader, Record::default())
        });
        parser.reset();
        if record.read(parser, bytes) != ReadRecordResult::Record {
            return Cells {
                bytes: Cow::Borrowed(bytes),
                spans: vec![[0, bytes.len()]],
            };
        }
        Cells {
            bytes: Cow::Owned(record.output[..record.written].to_vec()),
            spans: (0..record.cells).map(|n| record.span(n)).collect(),
        }
    }
}

/// A record's cells: slices of the record as written where its cells are plain
/// or simply quoted, or of its cells as the parser unquoted them.
pub(super) struct Cells<'b> {
    bytes: Cow<'b, [u8]>,
    spans: Vec<[usize; 2]>,
}

impl Cells<'_> {
    pub(super) fn get(&self, n: usize) -> Option<&[u8]> {
        self.spans.get(n).map(|&[a, b]| &self.bytes[a..b])
    }

    pub(super) fn iter(&self) -> impl Iterator<Item = &[u8]> {
        self.spans.iter().map(|&[a, b]| &self.bytes[a..b])
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
        let [start, end] = self.span(n);
        &self.output[start..end]
    }

    /// Where cell `n` is in the output.
    fn span(&self, n: usize) -> [usize; 2] {
        let start = if n == 0 { 0 } else { self.ends[n - 1] };
        [start, self.ends[n].min(self.written)]
    }
}

/// Reads a table in one pass of the CSV parser: the header, then each row's span,
/// its key, and a check that it has no more cells than the header. A refusal says
/// what is wrong with the table, for the caller to say which side it is.
pub fn parse(format: Format, text: &str, key: &str) -> Result<Parsed, NotComparable> {
    if u32::try_from(text.len()).is_err() {
        return Err(NotComparable(
            "is too large to compare row by row (4 GB or more)".into(),
        ));
    }
    let delimiter = if format == Format::Tsv { b'\t' } else { b',' };
    let bytes = text.as_bytes();
    let mut parser = csv_core::ReaderBuilder::new().delimiter(delimiter).build();
    let mut record = Record::default();
    let mut position = Position {
        at: text.len() - text.trim_start_matches('\u{feff}').len(),
    };
    let mut header = Vec::new();
    let mut header_row = None;
    if record.read(&mut parser, &bytes[position.at..]) == ReadRecordResult::Record {
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
        return Err(NotComparable(format!("has the column \"{name}\" twice")));
    }
    let column = header
        .iter()
        .position(|c| c == key)
        .ok_or_else(|| NotComparable(format!("has no key column \"{key}\"")))?;
    let line_ends = line_ends(bytes);
    let expected_rows = line_ends.len() + 1;
    let mut table = Parsed {
        header_row,
        rows: Vec::with_capacity(expected_rows),
        header_line: None,
        first_lines: Vec::new(),
        line_ends,
        keys: Keys::with_capacity(expected_rows),
        header,
        delimiter,
    };
    let mut starts = RecordStarts::default();
    loop {
        position.skip_breaks(bytes);
        if position.at >= bytes.len() {
            break;
        }
        let at = position.at;
        let (cells, value, end, parsed_from) = match starts.at(bytes, at, delimiter) {
            RecordStart::Line(line) => {
                let (cells, value) = split_plain(text, line, at, delimiter, column);
                (cells, value, at + line.len(), None)
            }
            start => {
                let plain = match start {
                    RecordStart::Quoted(plain) => plain,
                    _ => &[],
                };
                let (before, plain_value) = match plain.split_last() {
                    None => (0, None),
                    Some((_, cells)) => split_plain(text, cells, at, delimiter, column),
                };
                let wanted = column.checked_sub(before);
                let from = at + plain.len();
                let (mut cells, mut wanted_span) = (0, None);
                let simple = match start {
                    RecordStart::Quoted(_) => simple_record(&bytes[from..], delimiter, |span| {
                        if wanted == Some(cells) {
                            wanted_span = Some(span);
                        }
                        cells += 1;
                    }),
                    _ => None,
                };
                match simple {
                    Some(consumed) => {
                        let value = match wanted {
                            None => plain_value,
                            Some(_) => wanted_span
                                .map(|[start, end]| Cow::Borrowed(&text[from + start..from + end])),
                        };
                        (before + cells, value, from + consumed, None)
                    }
                    // csv-core reads a cell opened by a quote as it would mid-record.
                    None => {
                        parser.reset();
                        if record.read(&mut parser, &bytes[from..]) != ReadRecordResult::Record {
                            break;
                        }
                        let value = match wanted {
                            None => plain_value,
                            Some(n) => (n < record.cells).then(|| cell(record.cell(n))),
                        };
                        (
                            before + record.cells,
                            value,
                            from + record.consumed,
                            Some(from),
                        )
                    }
                }
            }
        };
        let mut span = position.advance(bytes, end - at);
        if let Some(from) = parsed_from
            && end == bytes.len()
            && (span[1] as usize) < end
            && breaks_are_quoted(&record, &bytes[from..span[1] as usize], delimiter)
        {
            span[1] = end as u32;
        }
        let row = table.rows.len() + 1;
        if cells > table.header.len() {
            return Err(NotComparable(format!(
                "row {row} has {cells} cells, more than the header's {}",
                table.header.len()
            )));
        }
        let value = value.as_deref().map_or("", trim);
        if value.is_empty() {
            return Err(NotComparable(format!(
                "row {row} has no value in the key column \"{key}\""
            )));
        }
        if let Err(first) = table.keys.push(value) {
            return Err(NotComparable(format!(
                "has the key \"{value}\" twice (rows {} and {row})",
                first + 1
            )));
        }
        table.rows.push(span);
    }
    let mut walk = LineWalk {
        ends: &table.line_ends,
        line: 0,
    };
    table.header_line = table.header_row.map(|[start, _]| walk.line_at(start));
    table.first_lines = table
        .rows
        .iter()
        .map(|&[start, _]| walk.line_at(start))
        .collect();
    Ok(table)
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

/// A key without the whitespace around it; most keys have none to trim, which
/// their first and last bytes show without decoding characters.
#[inline]
fn trim(key: &str) -> &str {
    match (key.as_bytes().first(), key.as_bytes().last()) {
        (Some(first), Some(last)) if first.is_ascii_graphic() && last.is_ascii_graphic() => key,
        _ => key.trim(),
    }
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

/// Finds the lines records start on (0-based), for records in the order they are
/// written, walking the text's line ends once.
struct LineWalk<'a> {
    ends: &'a [u32],
    line: u32,
}

impl LineWalk<'_> {
    /// The line the byte at `offset` is on: the first whose end is past it.
    fn line_at(&mut self, offset: u32) -> u32 {
        while self
            .ends
            .get(self.line as usize)
            .is_some_and(|&end| end <= offset)
        {
            self.line += 1;
        }
        self.line
    }
}

/// Where each line of a text ends (after its line feed, or at the end of the
/// text for a last line without one), as `split_lines` splits it.
fn line_ends(bytes: &[u8]) -> Vec<u32> {
    let mut ends: Vec<u32> = memchr::memchr_iter(b'\n', bytes)
        .map(|n| n as u32 + 1)
        .collect();
    if ends.last().map_or(0, |&end| end as usize) < bytes.len() {
        ends.push(bytes.len() as u32);
    }
    ends
}

/// A cell's text. The whole file is UTF-8 and cells split at ASCII delimiters
/// (and lose only ASCII quotes), so a cell is UTF-8 too; anything else is shown
/// with replacement characters.
pub(super) fn cell(bytes: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => String::from_utf8_lossy(bytes),
    }
}
