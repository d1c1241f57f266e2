//! The lines of two texts as tokens for the line diff. Equal lines — ignoring line
//! endings and trailing whitespace — share a token. Each text's lines are found and
//! hashed once; lines are interned by their 64-bit hash alone, which the caller
//! must confirm by comparing the lines it pairs (see `text::diff`).

use std::hash::BuildHasher;

use hashbrown::HashTable;
use imara_diff::Token;

/// A line as compared: without its line ending and trailing whitespace.
pub fn normalized(line: &str) -> &str {
    // Byte by byte: what is trimmed is ASCII, so the cut is a character boundary.
    let bytes = line.as_bytes();
    let mut end = bytes.len();
    while end > 0 && matches!(bytes[end - 1], b'\n' | b'\r' | b' ' | b'\t') {
        end -= 1;
    }
    &line[..end]
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

/// A text's lines as the line diff compares them: where each ends (as [`split_lines`]
/// splits them) and the hash of each as compared (see [`normalized`]).
pub struct HashedLines {
    ends: Vec<u32>,
    hashes: Vec<u64>,
}

impl HashedLines {
    /// `text` must be under 4 GB (content is limited to 512 MB).
    pub fn of(text: &str) -> Self {
        let state = hasher();
        let mut ends = Vec::with_capacity(text.len() / 40 + 1);
        let mut hashes = Vec::with_capacity(text.len() / 40 + 1);
        let mut line = |start: usize, end: usize| {
            hashes.push(state.hash_one(normalized(&text[start..end]).as_bytes()));
            ends.push(end as u32);
        };
        let mut start = 0;
        for end in memchr::memchr_iter(b'\n', text.as_bytes()) {
            line(start, end + 1);
            start = end + 1;
        }
        if start < text.len() {
            line(start, text.len());
        }
        HashedLines { ends, hashes }
    }

    /// The lines of `text`, which these were found in.
    pub fn lines<'a>(&'a self, text: &'a str) -> Lines<'a> {
        Lines::Ends {
            text,
            ends: &self.ends,
        }
    }
}

pub struct LineTokens<'a> {
    pub before: Vec<Token>,
    pub after: Vec<Token>,
    /// A line of each token (normalized), for the indentation heuristic.
    pub distinct: Vec<&'a str>,
}

fn hasher() -> foldhash::fast::FixedState {
    foldhash::fast::FixedState::with_seed(0x5eed)
}

/// No line: a token first seen in TO.
const NONE: u32 = u32::MAX;

/// Gives equal lines one token. TO's lines are mostly FROM's in the same order, so
/// each is first tried against the FROM line after the last one it matched, and
/// looked up by hash only where that fails.
pub fn tokenize<'a>(
    (old, old_hashed): (Lines<'a>, &HashedLines),
    (new, new_hashed): (Lines<'a>, &HashedLines),
) -> LineTokens<'a> {
    let (old_hashes, new_hashes) = (&old_hashed.hashes, &new_hashed.hashes);
    let mut interner = Interner {
        table: HashTable::with_capacity(old_hashes.len()),
        distinct: Vec::new(),
        first_seen: Vec::new(),
    };
    let before: Vec<Token> = old_hashes
        .iter()
        .enumerate()
        .map(|(i, &hash)| interner.token(hash, || old.get(i), i as u32))
        .collect();
    let mut after = Vec::with_capacity(new_hashes.len());
    let mut next = 0;
    for (j, &hash) in new_hashes.iter().enumerate() {
        if old_hashes.get(next) == Some(&hash) {
            after.push(before[next]);
            next += 1;
            continue;
        }
        let found = interner.token(hash, || new.get(j), NONE);
        let seen = interner.first_seen[found.0 as usize];
        if seen != NONE && seen as usize >= next {
            next = seen as usize + 1;
        }
        after.push(found);
    }
    LineTokens {
        before,
        after,
        distinct: interner.distinct,
    }
}

struct Interner<'a> {
    table: HashTable<(u64, u32)>,
    /// A line of each token, normalized.
    distinct: Vec<&'a str>,
    /// The FROM line each token was first seen on ([`NONE`] for TO's own), to
    /// find the way back in step after lines were removed.
    first_seen: Vec<u32>,
}

impl<'a> Interner<'a> {
    #[inline]
    fn token(&mut self, hash: u64, line: impl FnOnce() -> &'a str, at: u32) -> Token {
        if let Some(&(_, id)) = self.table.find(hash, |&(h, _)| h == hash) {
            return Token(id);
        }
        let id = self.distinct.len() as u32;
        self.distinct.push(normalized(line()));
        self.first_seen.push(at);
        self.table.insert_unique(hash, (hash, id), |&(h, _)| h);
        Token(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn lines() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            prop_oneof![
                Just("a\n"),
                Just("b\n"),
                Just("a  \n"),
                Just("a\r\n"),
                Just("\n"),
                Just("c"),
                Just("é\n")
            ],
            0..40,
        )
        .prop_map(|lines| lines.concat())
    }

    proptest! {
        /// Two lines share a token exactly when they are equal as compared, on either
        /// side, however far the texts fall out of step.
        #[test]
        fn equal_lines_and_only_they_share_a_token(old in lines(), new in lines()) {
            let (a, b) = (HashedLines::of(&old), HashedLines::of(&new));
            let (old_lines, new_lines) = (a.lines(&old), b.lines(&new));
            let tokens = tokenize((old_lines, &a), (new_lines, &b));
            let all: Vec<(&str, Token)> = old_lines
                .iter()
                .zip(&tokens.before)
                .chain(new_lines.iter().zip(&tokens.after))
                .map(|(line, &token)| (normalized(line), token))
                .collect();
            for &(x, s) in &all {
                prop_assert_eq!(tokens.distinct[s.0 as usize], x);
                for &(y, t) in &all {
                    prop_assert_eq!(x == y, s == t, "{:?} {:?}", x, y);
                }
            }
        }
    }
}
