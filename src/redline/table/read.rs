//! Reading a CSV/TSV table on its key column, in one pass: cells are split at the
//! delimiter where that reads them as the CSV parser would, and csv-core reads the rest.

use std::borrow::Cow;
use std::cell::RefCell;

use csv_core::ReadRecordResult;

use super::NotComparable;
use super::keys::Keys;
use super::records::{Record, Records};
use super::split::simple_record;
use crate::model::Format;
use crate::redline::lines::Lines;

/// A table read on its key column, kept as positions in its text: its header,
/// where its header and each row are written, and each row's key.
/// The other cells are split from a row only when it is compared, since most
/// rows of a revised table are unchanged.
pub struct Parsed {
    header: Vec<String>,
    header_row: Option<Span>,
    rows: Vec<Span>,
    /// The lines the header and each row start on (0-based).
    header_line: Option<u32>,
    first_lines: Vec<u32>,
    /// Where each line of the text ends (after its line feed, or at the end of
    /// the text for a last line without one), as `split_lines` splits it.
    line_ends: Vec<u32>,
    /// Every row's key, trimmed.
    keys: Keys,
    delimiter: u8,
}

/// Where a record is written in its text, in bytes: `[start, end)`.
pub(super) type Span = [u32; 2];

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

impl Parsed {
    /// Adds a row as read: its number of cells, its key cell, and where it is
    /// written; refuses one with more cells than the header, no key, or the key
    /// of a row before it.
    fn add_row(
        &mut self,
        cells: usize,
        wanted: Option<&str>,
        span: Span,
        key: &str,
    ) -> Result<(), NotComparable> {
        let row = self.rows.len() + 1;
        if cells > self.header.len() {
            return Err(NotComparable(format!(
                "row {row} has {cells} cells, more than the header's {}",
                self.header.len()
            )));
        }
        let value = wanted.map_or("", trim);
        if value.is_empty() {
            return Err(NotComparable(format!(
                "row {row} has no value in the key column \"{key}\""
            )));
        }
        if let Err(first) = self.keys.push(value) {
            return Err(NotComparable(format!(
                "has the key \"{value}\" twice (rows {} and {row})",
                first + 1
            )));
        }
        self.rows.push(span);
        Ok(())
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
    /// What else is written on those lines: before the record on its first, and
    /// after it on its last (its line break).
    margins: (&'a [u8], &'a [u8]),
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
        let line_start = match first {
            0 => 0,
            line => line_ends.get(line as usize - 1).map_or(start, |&end| end),
        };
        let line_end = line_ends.get(last).map_or(text.len() as u32, |&end| end);
        Written {
            bytes: &text[start as usize..end as usize],
            first_line: first as usize,
            last_line: last,
            margins: (
                &text[line_start as usize..start as usize],
                &text[end as usize..line_end.max(end) as usize],
            ),
        }
    }

    /// Whether what else is on this record's lines is what is on `other`'s: for
    /// records written the same, whether their lines are the same byte for byte.
    #[inline]
    pub(super) fn same_margins(&self, other: &Written<'_>) -> bool {
        self.margins == other.margins
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
        let read = simple_record(bytes, self.delimiter, |span| spans.push(span));
        // A row as parsed is one whole record.
        debug_assert!(read.is_none_or(|consumed| consumed == bytes.len()));
        if read.is_some() {
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
    let mut records = Records::new(text, delimiter);
    let (header, header_row) = records.header();
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
    // A row per line, at most (counted at memory speed).
    let expected_rows = memchr::memchr_iter(b'\n', text.as_bytes()).count() + 1;
    let mut table = Parsed {
        header_row,
        rows: Vec::with_capacity(expected_rows),
        header_line: None,
        first_lines: Vec::new(),
        line_ends: Vec::with_capacity(expected_rows),
        keys: Keys::with_capacity(expected_rows),
        header,
        delimiter,
    };
    let bytes = text.as_bytes();
    let mut at = records.position();
    push_line_ends(&mut table.line_ends, bytes, 0..at);
    while let Some(record) = records.next(column) {
        table.add_row(record.cells, record.wanted.as_deref(), record.span, key)?;
        let after = records.position();
        push_line_ends(&mut table.line_ends, bytes, at..after);
        at = after;
    }
    // Line breaks after the last record, and a last line without one.
    push_line_ends(&mut table.line_ends, bytes, at..bytes.len());
    if table.line_ends.last().map_or(0, |&end| end as usize) < bytes.len() {
        table.line_ends.push(bytes.len() as u32);
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

/// A key without the whitespace around it; most keys have none to trim, which
/// their first and last bytes show without decoding characters.
#[inline]
fn trim(key: &str) -> &str {
    match (key.as_bytes().first(), key.as_bytes().last()) {
        (Some(first), Some(last)) if first.is_ascii_graphic() && last.is_ascii_graphic() => key,
        _ => key.trim(),
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

/// Adds where the lines ending in `range` of a text end (after their line feeds).
fn push_line_ends(ends: &mut Vec<u32>, bytes: &[u8], range: std::ops::Range<usize>) {
    let start = range.start;
    ends.extend(memchr::memchr_iter(b'\n', &bytes[range]).map(|n| (start + n + 1) as u32));
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
