//! Reading records without the CSV parser where splitting at the delimiter and
//! at simple quotes reads them exactly as it would: most rows of most tables are
//! plain cells, perhaps with some cells quoted (and no doubled quote inside).

use std::borrow::Cow;

/// How much of a record can be read without the CSV parser.
pub(super) enum RecordStart<'a> {
    /// All of it: the record is one plain line (given without its line break), with
    /// no quote and no carriage return but one before its line feed.
    Line(&'a [u8]),
    /// Its first cells, each ended by a delimiter (given with them; none where
    /// the record starts with a quote), up to a quote that opens a cell; the rest
    /// is read by [`simple_record`], or by csv-core where that cannot.
    Quoted(&'a [u8]),
    /// None of it: csv-core reads the whole record.
    Unknown,
}

/// Finds how records start, so that most rows of most tables need little of the
/// CSV parser. Where even that fails, it looks less and less often (one row in 64
/// at least), so that a table written in some other way pays almost nothing for
/// the looking.
#[derive(Default)]
pub(super) struct RecordStarts {
    /// Rows to leave to csv-core before looking again, and how many that was last time.
    wait: u32,
    backoff: u32,
}

impl RecordStarts {
    #[inline]
    pub(super) fn at<'a>(&mut self, bytes: &'a [u8], at: usize, delimiter: u8) -> RecordStart<'a> {
        if self.wait > 0 {
            self.wait -= 1;
            return RecordStart::Unknown;
        }
        let start = record_start(&bytes[at..], delimiter);
        self.found(!matches!(start, RecordStart::Unknown));
        start
    }

    /// Notes whether the record just looked at can be read without csv-core.
    pub(super) fn found(&mut self, readable: bool) {
        self.backoff = if readable {
            0
        } else {
            (self.backoff * 2 + 1).min(63)
        };
        self.wait = self.backoff;
    }
}

#[inline]
fn record_start(rest: &[u8], delimiter: u8) -> RecordStart<'_> {
    match memchr::memchr3(b'\n', b'"', b'\r', rest) {
        None => RecordStart::Line(rest),
        Some(end) if rest[end] == b'\n' => RecordStart::Line(&rest[..end]),
        Some(end) if rest[end] == b'\r' && rest.get(end + 1) == Some(&b'\n') => {
            RecordStart::Line(&rest[..end])
        }
        Some(quote) if rest[quote] == b'"' && (quote == 0 || rest[quote - 1] == delimiter) => {
            RecordStart::Quoted(&rest[..quote])
        }
        Some(_) => RecordStart::Unknown,
    }
}

/// Reads a record whose cells are each either quoted, with no doubled quote
/// inside and a delimiter or line break right after the closing quote, or plain,
/// with no quote and no carriage return but one before the line feed that ends
/// the record. The CSV parser reads such cells as their bytes (inside the
/// quotes), so their spans are handed to `cell` in order; returns the bytes the
/// record takes with its line break, or `None` for any other record, which is
/// left to the parser (`cell` may have seen some of its cells by then).
#[inline]
pub(super) fn simple_record(
    record: &[u8],
    delimiter: u8,
    mut cell: impl FnMut([usize; 2]),
) -> Option<usize> {
    let mut at = 0;
    loop {
        if record.get(at) == Some(&b'"') {
            let close = at + 1 + memchr::memchr(b'"', &record[at + 1..])?;
            cell([at + 1, close]);
            match record.get(close + 1) {
                Some(&b) if b == delimiter => at = close + 2,
                _ => return record_end(record, close + 1),
            }
            continue;
        }
        // Plain cells, up to the next quote or line break.
        let stop =
            memchr::memchr3(b'"', b'\r', b'\n', &record[at..]).map_or(record.len(), |n| at + n);
        let run = at;
        for end in memchr::memchr_iter(delimiter, &record[run..stop]) {
            cell([at, run + end]);
            at = run + end + 1;
        }
        if record.get(stop) == Some(&b'"') && at == stop {
            continue;
        }
        cell([at, stop]);
        return record_end(record, stop);
    }
}

/// Where a record whose last cell ends at `at` ends, with its line break: `None`
/// unless a line break or the end of the text comes next.
#[inline]
fn record_end(record: &[u8], at: usize) -> Option<usize> {
    match record.get(at) {
        None => Some(at),
        Some(b'\n') => Some(at + 1),
        Some(b'\r') if record.get(at + 1) == Some(&b'\n') => Some(at + 2),
        Some(_) => None,
    }
}

/// A plain line's number of cells and its cell in `column`, sliced from the text
/// (the line starts at `at` in it, and cells split at an ASCII delimiter).
#[inline]
pub(super) fn split_plain<'a>(
    text: &'a str,
    line: &[u8],
    at: usize,
    delimiter: u8,
    column: usize,
) -> (usize, Option<Cow<'a, str>>) {
    let is_delimiter = |b: &u8| *b == delimiter;
    let cells = count_byte(line, delimiter) + 1;
    if column >= cells {
        return (cells, None);
    }
    let mut start = 0;
    for _ in 0..column {
        start += line[start..].iter().position(is_delimiter).unwrap_or(0) + 1;
    }
    let end = line[start..]
        .iter()
        .position(is_delimiter)
        .map_or(line.len(), |n| start + n);
    (cells, Some(Cow::Borrowed(&text[at + start..at + end])))
}

/// How many times `byte` occurs in `bytes`, counted eight bytes at a time: most
/// lines are a few dozen bytes, too short for wider vectors to pay.
#[inline]
fn count_byte(bytes: &[u8], byte: u8) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const LOW_SEVEN: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    let pattern = ONES * u64::from(byte);
    let mut words = bytes.chunks_exact(8);
    let mut count = 0;
    for word in &mut words {
        let mut eight = [0; 8];
        eight.copy_from_slice(word);
        // Zero where a byte is `byte`; then the top bit of each zero byte alone.
        let matched = u64::from_le_bytes(eight) ^ pattern;
        let zeros = !(((matched & LOW_SEVEN) + LOW_SEVEN) | matched | LOW_SEVEN);
        count += zeros.count_ones() as usize;
    }
    count + words.remainder().iter().filter(|&&b| b == byte).count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn bytes_are_counted_as_one_at_a_time(
            bytes in proptest::collection::vec(prop_oneof![Just(b','), Just(b'\t'), any::<u8>()], 0..80),
            byte in prop_oneof![Just(b','), Just(b'\t'), any::<u8>()],
        ) {
            prop_assert_eq!(count_byte(&bytes, byte), bytes.iter().filter(|&&b| b == byte).count());
        }
    }
}
