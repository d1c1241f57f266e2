//! The lines of two texts as tokens for the line diff. Equal lines — ignoring line
//! endings and trailing whitespace — share a token. Large texts are split and
//! hashed on two cores; lines are interned by their 64-bit hash alone, which the
//! caller must confirm by comparing the lines it pairs (see `text::diff`).

use std::hash::BuildHasher;

use hashbrown::HashTable;
use imara_diff::Token;

/// Texts smaller than this are not worth a second thread.
const PARALLEL_BYTES: usize = 256 * 1024;

/// A line as compared: without its line ending and trailing whitespace.
pub fn normalized(line: &str) -> &str {
    line.trim_end_matches(['\n', '\r', ' ', '\t'])
}

/// A text split into lines, each keeping its `\n` or `\r\n`.
pub fn split_lines(text: &str) -> Vec<&str> {
    let mut lines = Vec::with_capacity(text.len() / 40 + 1);
    let mut start = 0;
    for end in memchr::memchr_iter(b'\n', text.as_bytes()) {
        lines.push(&text[start..=end]);
        start = end + 1;
    }
    if start < text.len() {
        lines.push(&text[start..]);
    }
    lines
}

/// A text's lines, each with its line break, as [`split_lines`] splits them.
#[derive(Clone, Copy)]
pub enum Lines<'a> {
    /// Each line of `text` as a slice of it.
    Slices { text: &'a str, lines: &'a [&'a str] },
    /// Where each line of `text` ends (after its line feed): four bytes a line,
    /// for a text whose line ends were found already.
    Ends { text: &'a str, ends: &'a [u32] },
}

impl<'a> Lines<'a> {
    /// The lines of `text`, as `split_lines` split it.
    pub fn of(text: &'a str, lines: &'a [&'a str]) -> Self {
        Lines::Slices { text, lines }
    }

    #[inline]
    pub fn len(self) -> usize {
        match self {
            Lines::Slices { lines, .. } => lines.len(),
            Lines::Ends { ends, .. } => ends.len(),
        }
    }

    pub fn is_empty(self) -> bool {
        self.len() == 0
    }

    #[inline]
    pub fn get(self, line: usize) -> &'a str {
        match self {
            Lines::Slices { lines, .. } => lines[line],
            Lines::Ends { text, ends } => &text[start_of(ends, line)..ends[line] as usize],
        }
    }

    /// Lines `range` as one slice of the text.
    #[inline]
    pub fn span(self, range: std::ops::Range<usize>) -> &'a str {
        if range.is_empty() {
            return "";
        }
        match self {
            Lines::Slices { text, lines } => {
                let (first, last) = (lines[range.start], lines[range.end - 1]);
                let start = first.as_ptr() as usize - text.as_ptr() as usize;
                let end = last.as_ptr() as usize + last.len() - text.as_ptr() as usize;
                &text[start..end]
            }
            Lines::Ends { text, ends } => {
                &text[start_of(ends, range.start)..ends[range.end - 1] as usize]
            }
        }
    }

    pub fn iter(self) -> impl Iterator<Item = &'a str> {
        (0..self.len()).map(move |line| self.get(line))
    }
}

/// Where line `line` starts, of lines ending at `ends`.
#[inline]
fn start_of(ends: &[u32], line: usize) -> usize {
    if line == 0 {
        0
    } else {
        ends[line - 1] as usize
    }
}

pub struct LineTokens<'a> {
    pub old: Vec<&'a str>,
    pub new: Vec<&'a str>,
    pub before: Vec<Token>,
    pub after: Vec<Token>,
    /// A line of each token (normalized), for the indentation heuristic.
    pub distinct: Vec<&'a str>,
}

struct Side<'a> {
    lines: Vec<&'a str>,
    hashes: Vec<u64>,
}

fn hasher() -> foldhash::fast::FixedState {
    foldhash::fast::FixedState::with_seed(0x5eed)
}

fn side(text: &str) -> Side<'_> {
    let lines = split_lines(text);
    let state = hasher();
    let hashes = lines
        .iter()
        .map(|l| state.hash_one(normalized(l)))
        .collect();
    Side { lines, hashes }
}

pub fn tokenize<'a>(old: &'a str, new: &'a str) -> LineTokens<'a> {
    let (a, b) = if old.len() + new.len() < PARALLEL_BYTES {
        (side(old), side(new))
    } else {
        std::thread::scope(|scope| {
            let first = scope.spawn(|| side(old));
            let second = side(new);
            (first.join().unwrap_or_else(|_| side(old)), second)
        })
    };
    let mut table: HashTable<(u64, u32)> = HashTable::with_capacity(a.lines.len() + b.lines.len());
    let mut distinct = Vec::new();
    let before = intern(&a, &mut table, &mut distinct);
    let after = intern(&b, &mut table, &mut distinct);
    LineTokens {
        old: a.lines,
        new: b.lines,
        before,
        after,
        distinct,
    }
}

fn intern<'a>(
    side: &Side<'a>,
    table: &mut HashTable<(u64, u32)>,
    distinct: &mut Vec<&'a str>,
) -> Vec<Token> {
    side.lines
        .iter()
        .zip(&side.hashes)
        .map(|(line, &hash)| {
            let id = match table.find(hash, |&(h, _)| h == hash) {
                Some(&(_, id)) => id,
                None => {
                    let id = distinct.len() as u32;
                    distinct.push(normalized(line));
                    table.insert_unique(hash, (hash, id), |&(h, _)| h);
                    id
                }
            };
            Token(id)
        })
        .collect()
}
