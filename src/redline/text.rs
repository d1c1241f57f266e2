//! Text redlines: a line diff (histogram) that ignores line endings and trailing
//! whitespace, then word-level marks inside each changed block.

use imara_diff::{Algorithm, Diff, IndentHeuristic, IndentLevel, InternedInput};

use super::lines::{HashedLines, Lines, normalized, tokenize};
use super::markdown::HeadingPaths;
use super::model::{Hunk, HunkKind, Op, SectionCount, Summary, Word};
use super::words;

/// Below this share of unchanged words a block is shown as replaced: word marks
/// on a rewritten paragraph are confetti, not a redline.
const MIN_SIMILARITY: f64 = 0.35;
/// Blocks larger than this are not compared word by word (and the redline says so).
const MAX_WORD_DIFF_BYTES: usize = 1 << 20;

pub use super::lines::split_lines;

pub struct TextDiff {
    pub hunks: Vec<Hunk>,
    pub ops: Vec<Op>,
    pub summary: Summary,
    pub notes: Vec<String>,
    pub warnings: Vec<String>,
}

/// How much a text diff works out.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    /// Word-level marks; with `markdown`, each change labelled with its heading path.
    Words { markdown: bool },
    /// Changed lines only: enough for the operations that rebuild the text.
    Lines,
    /// Rows of cells (`| D0012 | Reading |`) under headings, as a workbook is
    /// read: word-level marks, and a changed block's rows paired by their first
    /// cell before their words are compared, so that a row inserted beside an
    /// edited one is a row added, not words spread over both.
    Rows,
}

/// Compares two texts; with Markdown word marks, each change is labelled with
/// its heading path.
pub fn diff(old_text: &str, new_text: &str, detail: Detail) -> TextDiff {
    let (old_lines, new_lines) = (HashedLines::of(old_text), HashedLines::of(new_text));
    let (old, new) = (old_lines.lines(old_text), new_lines.lines(new_text));
    let headings = matches!(detail, Detail::Words { markdown: true } | Detail::Rows)
        .then(|| (HeadingPaths::of(old), HeadingPaths::of(new)));
    let tokens = tokenize((old, &old_lines), (new, &new_lines));
    let mut line_diff = Diff::default();
    line_diff.compute_with(
        Algorithm::Histogram,
        &tokens.before,
        &tokens.after,
        tokens.distinct.len() as u32,
    );
    let indent = |t: imara_diff::Token| {
        IndentLevel::for_ascii_line(tokens.distinct[t.0 as usize].bytes(), 8)
    };
    line_diff.postprocess_with(&tokens.before, &tokens.after, IndentHeuristic::new(indent));

    let mut builder = Builder::new(old, new);
    builder.word_level = detail != Detail::Lines;
    let section_at = |old_line: usize, new_line: Option<usize>| match (&headings, new_line) {
        (Some((_, new_paths)), Some(j)) => new_paths.at(j),
        (Some((old_paths, _)), None) => old_paths.at(old_line),
        (None, _) => Vec::new(),
    };
    let (mut i, mut j) = (0, 0);
    for h in line_diff.hunks() {
        let (before, after) = (
            h.before.start as usize..h.before.end as usize,
            h.after.start as usize..h.after.end as usize,
        );
        matched(&mut builder, i..before.start, j..after.start, &section_at);
        let blocks = match detail {
            Detail::Rows => row_blocks(old, new, before.clone(), after.clone()),
            _ => vec![(before.clone(), after.clone())],
        };
        for (b, a) in blocks {
            if b.len() == 1
                && a.len() == 1
                && normalized(old.get(b.start)) == normalized(new.get(a.start))
            {
                matched(&mut builder, b, a, &section_at);
                continue;
            }
            let section = section_at(b.start, (!a.is_empty()).then_some(a.start));
            builder.changed(b, a, section);
        }
        (i, j) = (before.end, after.end);
    }
    matched(&mut builder, i..old.len(), j..new.len(), &section_at);
    builder.finish()
}

type Block = (std::ops::Range<usize>, std::ops::Range<usize>);

/// A changed block of rows split where rows pair by their first cell (in
/// order, as many as can): each pair a block of its own, and the rows between
/// pairs (added, removed, or both) blocks between them. Blocks too large to
/// pair cheaply are left whole.
fn row_blocks(
    old: Lines<'_>,
    new: Lines<'_>,
    before: std::ops::Range<usize>,
    after: std::ops::Range<usize>,
) -> Vec<Block> {
    const MOST_PAIRS_TRIED: usize = 250_000;
    if before.is_empty() || after.is_empty() || before.len() * after.len() > MOST_PAIRS_TRIED {
        return vec![(before, after)];
    }
    let old_keys: Vec<Option<&str>> = before.clone().map(|i| first_cell(old.get(i))).collect();
    let new_keys: Vec<Option<&str>> = after.clone().map(|j| first_cell(new.get(j))).collect();
    let mut blocks = Vec::new();
    let (mut i, mut j) = (before.start, after.start);
    for (p, q) in longest_common(&old_keys, &new_keys) {
        let (p, q) = (before.start + p, after.start + q);
        if i < p || j < q {
            blocks.push((i..p, j..q));
        }
        blocks.push((p..p + 1, q..q + 1));
        (i, j) = (p + 1, q + 1);
    }
    if i < before.end || j < after.end {
        blocks.push((i..before.end, j..after.end));
    }
    blocks
}

/// A row's first cell (`| D0012 | Reading |` → `D0012`); none for a line that
/// is not a row, or a row whose first cell is empty.
fn first_cell(line: &str) -> Option<&str> {
    let rest = line.trim_end().strip_prefix("| ")?;
    let cell = rest.split(" |").next()?.trim();
    (!cell.is_empty()).then_some(cell)
}

/// The positions of a longest common subsequence of two lists, where `None`
/// matches nothing.
fn longest_common(a: &[Option<&str>], b: &[Option<&str>]) -> Vec<(usize, usize)> {
    let (m, n) = (a.len(), b.len());
    // lengths[i][j]: the longest common subsequence of a[i..] and b[j..].
    let mut lengths = vec![vec![0u32; n + 1]; m + 1];
    for i in (0..m).rev() {
        for j in (0..n).rev() {
            lengths[i][j] = match (a[i], b[j]) {
                (Some(x), Some(y)) if x == y => lengths[i + 1][j + 1] + 1,
                _ => lengths[i + 1][j].max(lengths[i][j + 1]),
            };
        }
    }
    let (mut i, mut j, mut pairs) = (0, 0, Vec::new());
    while i < m && j < n {
        match (a[i], b[j]) {
            (Some(x), Some(y)) if x == y => {
                pairs.push((i, j));
                (i, j) = (i + 1, j + 1);
            }
            _ if lengths[i + 1][j] >= lengths[i][j + 1] => i += 1,
            _ => j += 1,
        }
    }
    pairs
}

/// Compares two texts along lines paired by the caller (`anchors`, increasing on
/// both sides; a pair that differs is a change), without a line diff: for tables,
/// whose rows were already paired by key. Changed lines are not compared word by
/// word. For each anchor, `identical` says whether its lines are known to be
/// identical already (those are not compared again; `identical` may be shorter
/// than `anchors`, even empty).
pub fn along_lines<'a>(
    old: Lines<'a>,
    new: Lines<'a>,
    anchors: &[(usize, usize)],
    identical: &[bool],
) -> TextDiff {
    let mut builder = Builder::new(old, new);
    builder.word_level = false;
    // Each anchor not known identical, and each line no anchor covers, may start
    // a hunk of an op or three: made room for at once, not doubled into.
    let known_identical = identical
        .iter()
        .take(anchors.len())
        .filter(|&&same| same)
        .count();
    let unsettled =
        anchors.len() - known_identical + (old.len() + new.len()).saturating_sub(2 * anchors.len());
    builder.hunks.reserve(unsettled);
    builder.ops.reserve(2 * unsettled + 1);
    let no_section = |_: usize, _: Option<usize>| Vec::new();
    let (mut i, mut j) = (0, 0);
    // Runs of anchors on consecutive lines, all known identical or not, are
    // matched as one block.
    let mut run: Option<(usize, usize, usize, bool)> = None;
    let flush = |builder: &mut Builder<'a>, run: Option<(usize, usize, usize, bool)>| match run {
        Some((x, y, n, true)) => builder.unchanged_block(x..x + n, y..y + n, true),
        Some((x, y, n, false)) => matched(builder, x..x + n, y..y + n, &no_section),
        None => {}
    };
    for (k, &(a, b)) in anchors.iter().enumerate() {
        if a < i || b < j || a >= old.len() || b >= new.len() {
            continue;
        }
        let known = identical.get(k).copied().unwrap_or(false);
        if a > i || b > j {
            flush(&mut builder, run.take());
            builder.changed(i..a, j..b, Vec::new());
        }
        match &mut run {
            Some((_, _, n, same)) if *same == known => *n += 1,
            _ => {
                flush(&mut builder, run.take());
                run = Some((a, b, 1, known));
            }
        }
        (i, j) = (a + 1, b + 1);
    }
    flush(&mut builder, run);
    if i < old.len() || j < new.len() {
        builder.changed(i..old.len(), j..new.len(), Vec::new());
    }
    builder.finish()
}

/// Lines the diff paired as equal. Their tokens came from hashes, so each pair is
/// compared here: a pair that differs after all (a hash collision) is a change.
fn matched(
    builder: &mut Builder<'_>,
    old: std::ops::Range<usize>,
    new: std::ops::Range<usize>,
    section_at: &dyn Fn(usize, Option<usize>) -> Vec<String>,
) {
    let mut start = (old.start, new.start);
    // Whether the lines since `start` are all written the same on both sides.
    let mut identical = true;
    for (i, j) in old.clone().zip(new.clone()) {
        let (a, b) = (builder.old.get(i), builder.new.get(j));
        if a == b {
            continue;
        }
        if normalized(a) == normalized(b) {
            identical = false;
            continue;
        }
        builder.unchanged_block(start.0..i, start.1..j, identical);
        builder.changed(i..i + 1, j..j + 1, section_at(i, Some(j)));
        start = (i + 1, j + 1);
        identical = true;
    }
    builder.unchanged_block(start.0..old.end, start.1..new.end, identical);
}

struct Builder<'a> {
    old: Lines<'a>,
    new: Lines<'a>,
    /// Reused for every block's word diff.
    words: InternedInput<&'a str>,
    word_level: bool,
    hunks: Vec<Hunk>,
    ops: Vec<Op>,
    summary: Summary,
    line_endings: usize,
    trailing_space: usize,
    /// Where the last op ends, when it is a whitespace-only replacement that the
    /// next such line may extend.
    whitespace_end: Option<usize>,
    warnings: Vec<String>,
}

impl<'a> Builder<'a> {
    fn new(old: Lines<'a>, new: Lines<'a>) -> Self {
        Self {
            old,
            new,
            words: InternedInput::default(),
            word_level: true,
            hunks: Vec::new(),
            ops: Vec::new(),
            summary: Summary::default(),
            line_endings: 0,
            trailing_space: 0,
            whitespace_end: None,
            warnings: Vec::new(),
        }
    }

    /// Lines the diff matched, known to be `identical` or else compared line by line.
    fn unchanged_block(
        &mut self,
        old: std::ops::Range<usize>,
        new: std::ops::Range<usize>,
        identical: bool,
    ) {
        if !identical {
            return self.unchanged(old, new);
        }
        if old.is_empty() {
            return;
        }
        match self.ops.last_mut() {
            Some(Op::Equal { old: equal }) if equal[1] == old.start => equal[1] = old.end,
            _ => self.ops.push(Op::Equal {
                old: [old.start, old.end],
            }),
        }
    }

    /// Lines the diff matched: equal, or differing only in whitespace at the end.
    fn unchanged(&mut self, old: std::ops::Range<usize>, new: std::ops::Range<usize>) {
        for (i, j) in old.zip(new) {
            let (a, b) = (self.old.get(i), self.new.get(j));
            if a == b {
                match self.ops.last_mut() {
                    Some(Op::Equal { old }) if old[1] == i => old[1] = i + 1,
                    _ => self.ops.push(Op::Equal { old: [i, i + 1] }),
                }
                continue;
            }
            if a.trim_end_matches(['\n', '\r']) == b.trim_end_matches(['\n', '\r']) {
                self.line_endings += 1;
            } else {
                self.trailing_space += 1;
            }
            match self.ops.last_mut() {
                Some(Op::Replace { old, text }) if self.whitespace_end == Some(i) => {
                    old[1] = i + 1;
                    text.push_str(b);
                }
                _ => self.ops.push(Op::Replace {
                    old: [i, i + 1],
                    text: b.to_string(),
                }),
            }
            self.whitespace_end = Some(i + 1);
        }
    }

    fn changed(
        &mut self,
        old: std::ops::Range<usize>,
        new: std::ops::Range<usize>,
        section: Vec<String>,
    ) {
        self.whitespace_end = None;
        let old_text = self.old.span(old.clone());
        let new_text = self.new.span(new.clone());
        let (kind, words, counts) = if old.is_empty() {
            self.ops.push(Op::Insert {
                text: new_text.to_string(),
            });
            (
                HunkKind::Inserted,
                Vec::new(),
                Counts {
                    added: words::count(new_text),
                    ..Counts::default()
                },
            )
        } else if new.is_empty() {
            self.ops.push(Op::Delete {
                old: [old.start, old.end],
            });
            (
                HunkKind::Deleted,
                Vec::new(),
                Counts {
                    removed: words::count(old_text),
                    ..Counts::default()
                },
            )
        } else {
            self.ops.push(Op::Replace {
                old: [old.start, old.end],
                text: new_text.to_string(),
            });
            self.compare_block(old_text, new_text, &old)
        };
        self.summary.words_added += counts.added;
        self.summary.words_removed += counts.removed;
        self.summary.words_changed += counts.changed;
        if !section.is_empty() {
            self.count_section(&section, &counts);
        }
        self.hunks.push(Hunk {
            anchor: format!("change-{}", self.hunks.len() + 1),
            section,
            kind,
            old: [old.start, old.end],
            new: [new.start, new.end],
            words,
        });
    }

    fn compare_block(
        &mut self,
        old_text: &'a str,
        new_text: &'a str,
        lines: &std::ops::Range<usize>,
    ) -> (HunkKind, Vec<Word>, Counts) {
        if !self.word_level {
            return (HunkKind::Replaced, Vec::new(), Counts::default());
        }
        if old_text.len().max(new_text.len()) > MAX_WORD_DIFF_BYTES {
            self.warnings.push(format!(
                "lines {}–{} changed in a block over 1 MB: shown as replaced, not word by word",
                lines.start + 1,
                lines.end
            ));
            return (
                HunkKind::Replaced,
                Vec::new(),
                Counts::between(words::count(old_text), words::count(new_text)),
            );
        }
        let marks = word_marks_with(&mut self.words, old_text, new_text);
        if similarity(&marks, old_text, new_text) < MIN_SIMILARITY {
            return (
                HunkKind::Replaced,
                Vec::new(),
                Counts::between(words::count(old_text), words::count(new_text)),
            );
        }
        let counts = count_marks(&marks);
        (HunkKind::Modified, marks, counts)
    }

    fn count_section(&mut self, section: &[String], counts: &Counts) {
        let name = section.join(" › ");
        let entry = match self.summary.sections.iter_mut().find(|s| s.section == name) {
            Some(entry) => entry,
            None => {
                self.summary.sections.push(SectionCount {
                    section: name,
                    words_added: 0,
                    words_removed: 0,
                    words_changed: 0,
                });
                self.summary.sections.last_mut().expect("just pushed")
            }
        };
        entry.words_added += counts.added;
        entry.words_removed += counts.removed;
        entry.words_changed += counts.changed;
    }

    fn finish(mut self) -> TextDiff {
        let mut notes = Vec::new();
        if self.line_endings > 0 {
            notes.push(format!(
                "{} line(s) differ only in their line ending ({}); they are not marked",
                self.line_endings,
                describe_endings(self.old, self.new)
            ));
        }
        if self.trailing_space > 0 {
            notes.push(format!(
                "{} line(s) differ only in trailing whitespace; they are not marked",
                self.trailing_space
            ));
        }
        self.summary.lines_whitespace_only = self.line_endings + self.trailing_space;
        TextDiff {
            hunks: self.hunks,
            ops: self.ops,
            summary: self.summary,
            notes,
            warnings: self.warnings,
        }
    }
}

/// How each side ends its lines: LF, CRLF or mixed.
fn describe_endings(old: Lines<'_>, new: Lines<'_>) -> String {
    let style = |lines: Lines<'_>| {
        let crlf = lines.iter().filter(|l| l.ends_with("\r\n")).count();
        let lf = lines.iter().filter(|l| l.ends_with('\n')).count() - crlf;
        match (crlf, lf) {
            (0, _) => "LF",
            (_, 0) => "CRLF",
            _ => "mixed",
        }
    };
    format!("{} in FROM, {} in TO", style(old), style(new))
}

/// Words added, removed and changed (a removed word replaced by an added one).
#[derive(Default)]
struct Counts {
    added: usize,
    removed: usize,
    changed: usize,
}

impl Counts {
    fn between(removed: usize, added: usize) -> Counts {
        let changed = removed.min(added);
        Counts {
            added: added - changed,
            removed: removed - changed,
            changed,
        }
    }
}

/// Word-level marks that turn `old` into `new`, with the whitespace between two
/// changes folded into them so a rewritten phrase reads as one change.
pub fn word_marks(old: &str, new: &str) -> Vec<Word> {
    word_marks_with(&mut InternedInput::default(), old, new)
}

fn word_marks_with<'t>(
    input: &mut InternedInput<&'t str>,
    old: &'t str,
    new: &'t str,
) -> Vec<Word> {
    let old_tokens = words::tokens(old);
    let new_tokens = words::tokens(new);
    input.clear();
    input.update_before(old_tokens.iter().copied());
    input.update_after(new_tokens.iter().copied());
    let diff = Diff::compute(Algorithm::Myers, input);
    let mut marks: Vec<Word> = Vec::new();
    let mut i = 0;
    for h in diff.hunks() {
        push_equal(&mut marks, &old_tokens[i..h.before.start as usize]);
        push(
            &mut marks,
            Word::Delete(old_tokens[h.before.start as usize..h.before.end as usize].concat()),
        );
        push(
            &mut marks,
            Word::Insert(new_tokens[h.after.start as usize..h.after.end as usize].concat()),
        );
        i = h.before.end as usize;
    }
    push_equal(&mut marks, &old_tokens[i..]);
    fold_whitespace(marks)
}

fn push_equal(marks: &mut Vec<Word>, tokens: &[&str]) {
    push(marks, Word::Equal(tokens.concat()));
}

fn push(marks: &mut Vec<Word>, word: Word) {
    if word.text().is_empty() {
        return;
    }
    match (marks.last_mut(), &word) {
        (Some(Word::Equal(a)), Word::Equal(b))
        | (Some(Word::Delete(a)), Word::Delete(b))
        | (Some(Word::Insert(a)), Word::Insert(b)) => a.push_str(b),
        _ => marks.push(word),
    }
}

/// Turns `del a · eq " " · del b` into one deletion and one insertion, and orders
/// each run of changes as its deletion followed by its insertion.
fn fold_whitespace(marks: Vec<Word>) -> Vec<Word> {
    let is_change = |w: Option<&Word>| matches!(w, Some(Word::Delete(_) | Word::Insert(_)));
    let mut runs: Vec<Word> = Vec::new();
    let (mut deleted, mut inserted) = (String::new(), String::new());
    let flush = |runs: &mut Vec<Word>, deleted: &mut String, inserted: &mut String| {
        push(runs, Word::Delete(std::mem::take(deleted)));
        push(runs, Word::Insert(std::mem::take(inserted)));
    };
    for (k, mark) in marks.iter().enumerate() {
        match mark {
            Word::Delete(t) => deleted.push_str(t),
            Word::Insert(t) => inserted.push_str(t),
            Word::Equal(t)
                if t.trim().is_empty()
                    && k > 0
                    && is_change(marks.get(k - 1))
                    && is_change(marks.get(k + 1)) =>
            {
                deleted.push_str(t);
                inserted.push_str(t);
            }
            Word::Equal(t) => {
                flush(&mut runs, &mut deleted, &mut inserted);
                push(&mut runs, Word::Equal(t.clone()));
            }
        }
    }
    flush(&mut runs, &mut deleted, &mut inserted);
    runs
}

/// The share of the two blocks' visible characters that the marks keep unchanged.
pub fn similarity(marks: &[Word], old: &str, new: &str) -> f64 {
    let visible = |t: &str| t.chars().filter(|c| !c.is_whitespace()).count();
    let total = visible(old) + visible(new);
    if total == 0 {
        return 1.0;
    }
    let kept: usize = marks
        .iter()
        .map(|m| match m {
            Word::Equal(t) => visible(t),
            _ => 0,
        })
        .sum();
    (2 * kept) as f64 / total as f64
}

fn count_marks(marks: &[Word]) -> Counts {
    let mut counts = Counts::default();
    let (mut removed, mut added) = (0, 0);
    let close = |removed: &mut usize, added: &mut usize, counts: &mut Counts| {
        let run = Counts::between(*removed, *added);
        counts.added += run.added;
        counts.removed += run.removed;
        counts.changed += run.changed;
        (*removed, *added) = (0, 0);
    };
    for mark in marks {
        match mark {
            Word::Delete(t) => removed += words::count(t),
            Word::Insert(t) => added += words::count(t),
            Word::Equal(_) => close(&mut removed, &mut added, &mut counts),
        }
    }
    close(&mut removed, &mut added, &mut counts);
    counts
}

#[cfg(test)]
mod tests {
    use super::super::model::apply;
    use super::*;

    fn marks(old: &str, new: &str) -> String {
        word_marks(old, new)
            .iter()
            .map(|m| match m {
                Word::Equal(t) => t.clone(),
                Word::Delete(t) => format!("[-{t}-]"),
                Word::Insert(t) => format!("{{+{t}+}}"),
            })
            .collect()
    }

    #[test]
    fn marks_the_changed_words_only() {
        assert_eq!(
            marks("D379 will be reviewed.\n", "D379 will be retained.\n"),
            "D379 will be [-reviewed-]{+retained+}.\n"
        );
        assert_eq!(
            marks("the old red car", "the new blue car"),
            "the [-old red-]{+new blue+} car"
        );
    }

    #[test]
    fn a_rewritten_block_is_replaced_not_confetti() {
        let d = diff(
            "Flows are listed here.\n",
            "Every retained flow carries commentary now.\n",
            Detail::Words { markdown: false },
        );
        assert_eq!(d.hunks[0].kind, HunkKind::Replaced);
        let d = diff(
            "Flows are listed here.\n",
            "Flows are all listed here.\n",
            Detail::Words { markdown: false },
        );
        assert_eq!(d.hunks[0].kind, HunkKind::Modified);
        assert_eq!(d.summary.words_added, 1);
    }

    #[test]
    fn line_endings_and_trailing_space_are_notes_not_changes() {
        let d = diff(
            "a\r\nb\r\nc\r\n",
            "a\nb  \nc\n",
            Detail::Words { markdown: false },
        );
        assert!(d.hunks.is_empty());
        assert_eq!(d.summary.lines_whitespace_only, 3);
        assert!(
            d.notes[0]
                .contains("2 line(s) differ only in their line ending (CRLF in FROM, LF in TO)"),
            "{:?}",
            d.notes
        );
        assert!(d.notes[1].contains("1 line(s) differ only in trailing whitespace"));
        assert_eq!(apply("a\r\nb\r\nc\r\n", &d.ops), "a\nb  \nc\n");
    }

    #[test]
    fn lines_paired_by_a_colliding_hash_are_still_shown_as_changed() {
        let (old_text, new_text) = ("same\nold\n", "same\nnew\n");
        let (old, new) = (split_lines(old_text), split_lines(new_text));
        let mut builder = Builder::new(Lines::of(old_text, &old), Lines::of(new_text, &new));
        matched(&mut builder, 0..2, 0..2, &|_, _| Vec::new());
        let d = builder.finish();
        assert_eq!(d.hunks.len(), 1);
        assert_eq!(d.hunks[0].old, [1, 2]);
        assert_eq!(apply(old_text, &d.ops), new_text);
    }

    #[test]
    fn markdown_changes_carry_their_heading_path() {
        let old = "# 3 Scope\n\n## 3.2 Retained flows\n\nD0012 is retained.\n";
        let new = "# 3 Scope\n\n## 3.2 Retained flows\n\nD0012 is removed.\n";
        let d = diff(old, new, Detail::Words { markdown: true });
        assert_eq!(d.hunks[0].section, ["3 Scope", "3.2 Retained flows"]);
        assert_eq!(
            d.summary.sections[0].section,
            "3 Scope › 3.2 Retained flows"
        );
        assert_eq!(d.summary.sections[0].words_changed, 1);
    }

    #[test]
    fn rows_pair_by_their_first_cell_inside_a_changed_block() {
        let old = "# Catalogue\n| D0012 | Reading |\n| D0300 | Dispute |\n";
        let new =
            "# Catalogue\n| D0012 | Reading |\n| D0275 | Scenario |\n| D0300 | Dispute raised |\n";
        let d = diff(old, new, Detail::Rows);
        let hunks: Vec<String> = d
            .hunks
            .iter()
            .map(|h| {
                format!(
                    "{:?} {:?} {:?} {}",
                    h.kind,
                    h.old,
                    h.new,
                    h.section.join(" › ")
                )
            })
            .collect();
        assert_eq!(
            hunks,
            [
                "Inserted [2, 2] [2, 3] Catalogue",
                "Modified [2, 3] [3, 4] Catalogue",
            ]
        );
        assert_eq!(first_cell("| D0300 | Dispute |"), Some("D0300"));
        assert_eq!(first_cell("|  | 0 |"), None);
        assert_eq!(first_cell("# Catalogue"), None);
    }

    use proptest::prelude::*;

    /// Texts with the awkward parts: empty, no final newline, CRLF, Unicode,
    /// trailing spaces and repeated lines.
    fn text() -> impl Strategy<Value = String> {
        let line = prop_oneof![
            "[a-c ]{0,8}",
            "(D0012|D0379|£|é|漢字|\\t| ){0,4}",
            "\\| (D0012|D0379|D0300) \\| [a-c]{0,3} \\|",
            Just(String::new())
        ];
        let ending = prop_oneof![Just("\n"), Just("\r\n"), Just("  \n")];
        (
            proptest::collection::vec((line, ending), 0..14),
            any::<bool>(),
        )
            .prop_map(|(lines, final_newline)| {
                let mut text: String = lines.iter().map(|(l, e)| format!("{l}{e}")).collect();
                if !final_newline {
                    text = text.trim_end_matches(['\n', '\r']).to_string();
                }
                text
            })
    }

    proptest! {
        #[test]
        fn the_ops_rebuild_the_new_text(old in text(), new in text(), markdown in any::<bool>(), detail in 0..3) {
            let detail = match detail {
                0 => Detail::Lines,
                1 => Detail::Rows,
                _ => Detail::Words { markdown },
            };
            let d = diff(&old, &new, detail);
            prop_assert_eq!(apply(&old, &d.ops), new);
        }

        #[test]
        fn an_edit_of_a_text_rebuilds_too(old in text(), at in 0usize..200, insert in "[a-z é\n]{0,10}") {
            let cut = old.char_indices().map(|(i, _)| i).nth(at % (old.chars().count() + 1)).unwrap_or(old.len());
            let new = format!("{}{insert}{}", &old[..cut], &old[cut..]);
            prop_assert_eq!(apply(&old, &diff(&old, &new, Detail::Words { markdown: true }).ops), new);
        }

        #[test]
        fn word_marks_hold_both_texts(old in "[a-d ,.\n]{0,40}", new in "[a-d ,.\n]{0,40}") {
            let marks = word_marks(&old, &new);
            let side = |keep_deleted: bool| -> String {
                marks.iter().filter_map(|m| match m {
                    Word::Equal(t) => Some(t.as_str()),
                    Word::Delete(t) if keep_deleted => Some(t.as_str()),
                    Word::Insert(t) if !keep_deleted => Some(t.as_str()),
                    _ => None,
                }).collect()
            };
            prop_assert_eq!(side(true), old);
            prop_assert_eq!(side(false), new);
        }
    }
}
