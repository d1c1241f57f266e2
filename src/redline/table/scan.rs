//! Reading a table's simple records sixty-four bytes at a time. Each block is
//! classified at once — quotes, delimiters, line feeds, carriage returns, a bit
//! per byte — and the quotes' running parity says which bytes are inside a quoted
//! cell, so that a record's cells and its end are found without looking at each
//! byte (in the manner of simdjson). A record is simple when every quote opens a
//! cell or closes one (no doubled quote, nothing between a closing quote and the
//! delimiter or line break after it) and every carriage return ends a line: the
//! CSV parser reads such a record as its bytes, split where this splits it. The
//! first record that is not simple is left to the caller, for the parser.

use super::read::Span;

/// A record as the scan read it: where it is written (without the line breaks
/// around it), how many cells it has, and its cell in the column asked for
/// (without its quotes).
pub(super) struct Scanned<'t> {
    pub(super) span: Span,
    pub(super) cells: usize,
    pub(super) wanted: Option<&'t str>,
}

/// One block's bytes of each kind, a bit per byte (bit 0 is the block's first).
struct Classes {
    quotes: u64,
    delimiters: u64,
    line_feeds: u64,
    returns: u64,
}

/// The record being read, across blocks.
struct Current {
    start: usize,
    cells: usize,
    cell_start: usize,
    wanted: Option<[usize; 2]>,
}

impl Current {
    fn at(start: usize) -> Self {
        Current {
            start,
            cells: 1,
            cell_start: start,
            wanted: None,
        }
    }
}

/// Reads the simple records of `text` from `at` (where a record starts), handing
/// each to `record` until it returns `false`, and adds where each line it reads
/// ends (after its line feed) to `line_ends`. Returns where it stopped: the end of
/// the text, or the start of a record that is not simple, or (when `record`
/// declined one) just after that record.
pub(super) fn simple_records<'t>(
    text: &'t str,
    at: usize,
    delimiter: u8,
    column: usize,
    line_ends: &mut Vec<u32>,
    record: impl FnMut(Scanned<'t>) -> bool,
) -> usize {
    let start = Start {
        text,
        at,
        delimiter,
        column,
    };
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("popcnt") {
        // SAFETY: the CPU has POPCNT, as just checked.
        return unsafe { simple_records_popcnt(start, line_ends, record) };
    }
    scan(start, line_ends, record)
}

/// Where a scan starts: its text, where in it a record starts, the delimiter,
/// and the column whose cell each record is to be handed over with.
struct Start<'t> {
    text: &'t str,
    at: usize,
    delimiter: u8,
    column: usize,
}

/// The scan compiled to count bits in one instruction: counted in software,
/// a record's delimiters took a tenth of the scan's time. (Calling it is unsafe
/// where the CPU's having POPCNT is not known.)
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "popcnt")]
fn simple_records_popcnt<'t>(
    start: Start<'t>,
    line_ends: &mut Vec<u32>,
    record: impl FnMut(Scanned<'t>) -> bool,
) -> usize {
    scan(start, line_ends, record)
}

/// [`simple_records`], to be compiled for the CPU at hand.
#[inline(always)]
fn scan<'t>(
    start: Start<'t>,
    line_ends: &mut Vec<u32>,
    mut record: impl FnMut(Scanned<'t>) -> bool,
) -> usize {
    let Start {
        text,
        at,
        delimiter,
        column,
    } = start;
    let stopped_at = |start: usize, line_ends: &mut Vec<u32>| {
        // The lines of a record left to the parser are its to add.
        while line_ends.last().is_some_and(|&end| end as usize > start) {
            line_ends.pop();
        }
        start
    };
    let bytes = text.as_bytes();
    let mut current = Current::at(at);
    // All ones where a block starts inside a quoted cell.
    let mut inside_before = 0u64;
    // Whether the byte before a block ends a cell (or the block starts a record).
    let mut cell_ended_before = true;
    let mut base = at;
    while base < bytes.len() {
        let len = (bytes.len() - base).min(64);
        let classes = classify(&bytes[base..base + len], delimiter);
        let valid = if len == 64 { u64::MAX } else { (1 << len) - 1 };
        let inside = prefix_xor(classes.quotes) ^ inside_before;
        let outside = !inside & valid;
        let cell_ends = (classes.delimiters | classes.line_feeds) & outside;
        // What follows each byte: for the last, the next block's first byte or
        // the end of the text.
        let next = bytes.get(base + len).copied();
        let last = 1u64 << (len - 1);
        let ends_cell_next = ((classes.delimiters | classes.line_feeds | classes.returns) >> 1)
            | if next.is_none_or(|b| b == delimiter || b == b'\n' || b == b'\r') {
                last
            } else {
                0
            };
        let line_feed_next = (classes.line_feeds >> 1) | if next == Some(b'\n') { last } else { 0 };
        let opens = classes.quotes & inside;
        let closes = classes.quotes & !inside;
        let not_simple = ((opens & !((cell_ends << 1) | u64::from(cell_ended_before)))
            | (closes & !ends_cell_next)
            | (classes.returns & outside & !line_feed_next))
            & valid;
        let limit = if not_simple == 0 {
            u64::MAX
        } else {
            (1u64 << not_simple.trailing_zeros()) - 1
        };
        let mut feeds = classes.line_feeds & valid;
        while feeds != 0 {
            line_ends.push((base + feeds.trailing_zeros() as usize + 1) as u32);
            feeds &= feeds - 1;
        }
        let delimiters = classes.delimiters & outside & limit;
        let mut line_feeds = classes.line_feeds & outside & limit;
        let mut from = 0;
        loop {
            let stop = line_feeds.trailing_zeros();
            let mut between = delimiters & bits(from, stop);
            // Cells are followed one by one up to the key; the rest only counted.
            while current.cells - 1 <= column && between != 0 {
                let pos = base + between.trailing_zeros() as usize;
                between &= between - 1;
                if current.cells - 1 == column {
                    current.wanted = Some([current.cell_start, pos]);
                }
                current.cells += 1;
                current.cell_start = pos + 1;
            }
            current.cells += between.count_ones() as usize;
            if stop == 64 {
                break;
            }
            line_feeds &= line_feeds - 1;
            from = stop + 1;
            let pos = base + stop as usize;
            // A carriage return before the line feed ends the line with it.
            let end = if pos > current.start && bytes[pos - 1] == b'\r' {
                pos - 1
            } else {
                pos
            };
            if end > current.start && !finish(text, &current, end, column, &mut record) {
                return pos + 1;
            }
            current = Current::at(pos + 1);
        }
        if not_simple != 0 {
            return stopped_at(current.start, line_ends);
        }
        inside_before = if inside >> 63 & 1 == 1 { u64::MAX } else { 0 };
        cell_ended_before = cell_ends >> 63 & 1 == 1;
        base += len;
    }
    // A quote left open at the end of the text is the parser's to read.
    if inside_before != 0 {
        return stopped_at(current.start, line_ends);
    }
    if current.start < bytes.len() {
        finish(text, &current, bytes.len(), column, &mut record);
    }
    bytes.len()
}

/// Hands over the record read so far, ending at `end`; whether to go on.
fn finish<'t>(
    text: &'t str,
    current: &Current,
    end: usize,
    column: usize,
    record: &mut impl FnMut(Scanned<'t>) -> bool,
) -> bool {
    let wanted = match current.wanted {
        Some(span) => Some(span),
        None if current.cells - 1 == column => Some([current.cell_start, end]),
        None => None,
    };
    record(Scanned {
        span: [current.start as u32, end as u32],
        cells: current.cells,
        wanted: wanted.map(|span| unquoted(text, span)),
    })
}

/// A cell's text: within its quotes, if it is quoted (a simple record's quoted
/// cell is its quotes and what is between them).
fn unquoted(text: &str, [start, end]: [usize; 2]) -> &str {
    let cell = &text[start..end];
    match cell.strip_prefix('"') {
        Some(quoted) => quoted.strip_suffix('"').unwrap_or(quoted),
        None => cell,
    }
}

/// Bits `from` (inclusive) to `to` (exclusive) of a block, either up to 64.
fn bits(from: u32, to: u32) -> u64 {
    let below = if to >= 64 { u64::MAX } else { (1 << to) - 1 };
    let from_on = if from >= 64 { 0 } else { u64::MAX << from };
    below & from_on
}

/// Each bit set where an odd number of bits are set up to it (inclusive): where
/// a quote has opened and not yet closed.
fn prefix_xor(mut bits: u64) -> u64 {
    for shift in [1, 2, 4, 8, 16, 32] {
        bits ^= bits << shift;
    }
    bits
}

/// The classes of up to 64 bytes.
#[inline(always)]
fn classify(block: &[u8], delimiter: u8) -> Classes {
    if let Ok(full) = <&[u8; 64]>::try_from(block) {
        return classify_full(full, delimiter);
    }
    let mut padded = [0u8; 64];
    padded[..block.len()].copy_from_slice(block);
    // Zero is none of the classes (a delimiter is printable or a tab).
    classify_full(&padded, delimiter)
}

#[cfg(target_arch = "x86_64")]
fn classify_full(block: &[u8; 64], delimiter: u8) -> Classes {
    use std::arch::x86_64::{
        __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_set1_epi8,
    };
    let mut masks = [0u64; 4];
    // SAFETY: SSE2 is part of x86_64; each load reads sixteen bytes of `block`,
    // which has sixty-four, and needs no alignment.
    unsafe {
        let wanted = [b'"', delimiter, b'\n', b'\r'].map(|b| _mm_set1_epi8(b as i8));
        for sixteen in 0..4 {
            let bytes: __m128i = _mm_loadu_si128(block[sixteen * 16..].as_ptr().cast());
            for (mask, byte) in masks.iter_mut().zip(&wanted) {
                let found = _mm_movemask_epi8(_mm_cmpeq_epi8(bytes, *byte)) as u16;
                *mask |= u64::from(found) << (sixteen * 16);
            }
        }
    }
    let [quotes, delimiters, line_feeds, returns] = masks;
    Classes {
        quotes,
        delimiters,
        line_feeds,
        returns,
    }
}

#[cfg(not(target_arch = "x86_64"))]
fn classify_full(block: &[u8; 64], delimiter: u8) -> Classes {
    let mask = |wanted: u8| {
        block
            .iter()
            .enumerate()
            .fold(0u64, |mask, (i, &b)| mask | (u64::from(b == wanted) << i))
    };
    Classes {
        quotes: mask(b'"'),
        delimiters: mask(delimiter),
        line_feeds: mask(b'\n'),
        returns: mask(b'\r'),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scanned(text: &str) -> (Vec<(String, usize, Option<String>)>, usize) {
        let mut rows = Vec::new();
        let mut line_ends = Vec::new();
        let stop = simple_records(text, 0, b',', 0, &mut line_ends, |r| {
            let [a, b] = r.span;
            rows.push((
                text[a as usize..b as usize].to_string(),
                r.cells,
                r.wanted.map(str::to_string),
            ));
            true
        });
        (rows, stop)
    }

    /// Each record as read (its span, cells and wanted cell), where the read
    /// stopped, and the line ends.
    type Read = (Vec<(Span, usize, Option<String>)>, usize, Vec<u32>);

    fn read_with(
        read: impl Fn(&str, &mut Vec<u32>, &mut dyn FnMut(Scanned<'_>) -> bool) -> usize,
        text: &str,
    ) -> Read {
        let mut rows = Vec::new();
        let mut line_ends = Vec::new();
        let stop = read(text, &mut line_ends, &mut |r| {
            rows.push((r.span, r.cells, r.wanted.map(str::to_string)));
            true
        });
        (rows, stop, line_ends)
    }

    #[test]
    fn the_scan_reads_the_same_however_it_was_compiled() {
        for pad in 0..=70 {
            let x = "x".repeat(pad);
            let text = format!(
                "Key,A,B\n{x},\"q,{x}\",b\r\nK1,{x}\n\"K2\",,,,\"{x}\n\"\nK3,\"d\"\"e\",f\nK4"
            );
            for column in 0..3 {
                let built_for_this_cpu = read_with(
                    |text, ends, record| simple_records(text, 0, b',', column, ends, record),
                    &text,
                );
                let portable = read_with(
                    |text, ends, record| {
                        let start = Start {
                            text,
                            at: 0,
                            delimiter: b',',
                            column,
                        };
                        scan(start, ends, record)
                    },
                    &text,
                );
                assert_eq!(
                    built_for_this_cpu, portable,
                    "padding {pad}, column {column}"
                );
            }
        }
    }

    #[test]
    fn plain_and_quoted_records_are_read_with_their_first_cell() {
        let text = "a,b\n\"k,1\",\"x\ny\"\r\n\nc,\"\"\n";
        let (rows, stop) = scanned(text);
        assert_eq!(stop, text.len());
        assert_eq!(
            rows,
            [
                ("a,b".to_string(), 2, Some("a".to_string())),
                ("\"k,1\",\"x\ny\"".to_string(), 2, Some("k,1".to_string())),
                ("c,\"\"".to_string(), 2, Some("c".to_string())),
            ]
        );
    }

    #[test]
    fn the_scan_stops_at_the_first_record_that_is_not_simple() {
        for (text, stop) in [
            ("a,b\nc,\"d\"\"e\"\n", 4),
            ("a,b\nc,d\"e\n", 4),
            ("a,b\nc,\"d\"e\n", 4),
            ("a,b\rc\n", 0),
            ("a\nb,\"open\n", 2),
        ] {
            assert_eq!(scanned(text).1, stop, "{text:?}");
        }
    }
}
