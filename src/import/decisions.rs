//! The decisions table: area, ref, decision — the area cell wrapped over short
//! lines before the ref, the decision's text wrapped after it.

use super::lines::{Line, join, join_numbered, row_starts, runs_on, split_at_ids};
use super::{Patterns, ReportedDecision, Warning};
use crate::model::Outcome;

/// Reads every decision row. A row starts at a line whose first word is a
/// decision id; its text runs on while it is visibly unfinished; the lines left
/// before the next id are that row's area.
pub fn parse(
    lines: &[Line],
    known_areas: &KnownAreas,
    patterns: &Patterns,
    warnings: &mut Vec<Warning>,
) -> Vec<ReportedDecision> {
    let lines = &split_at_ids(lines.to_vec(), &patterns.decision)[..];
    let starts = row_starts(lines, &patterns.decision);
    if starts.is_empty() {
        if let Some(first) = lines.first() {
            warnings.push(Warning::at(
                first.number,
                "the Decisions section lists no decision id that matches the [import] decision pattern",
            ));
        }
        return Vec::new();
    }
    let area_width = area_width(lines, &starts);
    let mut area = &lines[..starts[0]];
    let mut decisions = Vec::new();
    for (k, &start) in starts.iter().enumerate() {
        let end = starts.get(k + 1).copied().unwrap_or(lines.len());
        let row = &lines[start..end];
        let last_row = end == lines.len();
        let taken = text_lines(row, last_row, area_width);
        let taken = match known_areas.split(row) {
            // An area whose last line extraction joined to the next id may
            // begin on the lines before: the discussion's heading says where.
            Some(split) if !last_row => split,
            _ => taken,
        };
        let (text, text_lines) = join_numbered(
            std::iter::once((row[0].number, row[0].after_first_word()))
                .chain(row[1..taken].iter().map(|l| (l.number, l.text.as_str()))),
        );
        let id = row[0].first_word().to_string();
        if text.is_empty() {
            warnings.push(Warning::at(
                row[0].number,
                format!("decision {id} has no text"),
            ));
        }
        decisions.push(ReportedDecision {
            id,
            line: row[0].number,
            area: Some(join(area.iter().map(|l| l.text.as_str()))).filter(|a| !a.is_empty()),
            text,
            text_lines,
            post_meeting: None,
            outcome: Outcome::Noted,
            authority: None,
            named_changes: Vec::new(),
            steps: Vec::new(),
            relates_to: Vec::new(),
            votes: None,
            decided_on: None,
            not_understood: Vec::new(),
        });
        area = &row[taken..];
    }
    decisions
}

/// The areas of the discussion: the report repeats each decision's area there as
/// a heading, so where a decision's text ends and the next area begins is
/// settled by the longest run of the row's last lines that is one of them.
pub struct KnownAreas(std::collections::HashSet<String>);

impl KnownAreas {
    /// Every run of up to four consecutive discussion lines, joined, that is
    /// short enough to be an area heading.
    pub fn from_discussion(lines: &[Line]) -> Self {
        let mut runs = std::collections::HashSet::new();
        for start in 0..lines.len() {
            for end in start + 1..=(start + 4).min(lines.len()) {
                let run = join(lines[start..end].iter().map(|l| l.text.as_str()));
                if run.chars().count() <= 80 {
                    runs.insert(run);
                }
            }
        }
        KnownAreas(runs)
    }

    /// How many of `row`'s lines are text, where its last lines are a known area,
    /// the text keeps at least one word and does not visibly run on into them.
    fn split(&self, row: &[Line]) -> Option<usize> {
        (1..row.len())
            .filter(|&k| {
                let text_left = !row[0].after_first_word().is_empty() || k > 1;
                let text_ends = k > 1 || !runs_on(row[0].after_first_word());
                text_left
                    && text_ends
                    && !(k > 1 && runs_on(&row[k - 1].text))
                    && self
                        .0
                        .contains(&join(row[k..].iter().map(|l| l.text.as_str())))
            })
            .min()
    }
}

/// How many lines of `row` (starting with its id line) hold the decision's text.
/// `area_width`: no line of an area cell is wider.
fn text_lines(row: &[Line], last_row: bool, area_width: usize) -> usize {
    // No row follows the last, so no area: all of it is its text.
    if last_row {
        return row.len();
    }
    // The next row's area starts on its id's line: all before it is text.
    if let Some(area) = row.iter().skip(1).position(|l| l.before_ref) {
        return area + 1;
    }
    let mut text = row[0].after_first_word().to_string();
    let mut taken = 1;
    while taken < row.len() {
        if row[taken].before_ref {
            break;
        }
        let next = &row[taken].text;
        let lines_after = row.len() - taken - 1;
        let too_wide_for_area = next.chars().count() > area_width;
        if !text.is_empty() && !too_wide_for_area && !continues(&text, next, lines_after > 0) {
            break;
        }
        text = join([text.as_str(), next]);
        taken += 1;
    }
    taken
}

/// How wide a line of the area column can be: half as wide again as the widest
/// line known to be area — those before the first row, and the last line before
/// each id (an area cell ends where its row starts).
fn area_width(lines: &[Line], starts: &[usize]) -> usize {
    let known = lines[..starts[0]]
        .iter()
        .chain(starts.iter().filter(|&&s| s > 0).map(|&s| &lines[s - 1]))
        .map(|l| l.text.chars().count())
        .max()
        .unwrap_or(0);
    if known == 0 {
        usize::MAX
    } else {
        known + known / 2
    }
}

/// Whether `next` carries on the decision text so far. `room_for_area`: taking
/// `next` would still leave a line for the next row's area.
fn continues(text: &str, next: &str, room_for_area: bool) -> bool {
    if runs_on(text) {
        return true;
    }
    if next.starts_with(|c: char| c.is_lowercase()) {
        return true;
    }
    // Areas are short labels wrapped in a narrow column: a line of five words or
    // more is running text.
    if next.split_whitespace().count() >= 5 {
        return true;
    }
    // A lone word after unfinished text is its wrapped tail, not a new area
    // (areas are topics of two words or more) — unless it is all the area left.
    let ends_sentence = text.ends_with(['.', '!', '?', ')', '"', '”']);
    !ends_sentence && room_for_area && next.split_whitespace().count() == 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_runs_on_while_unfinished() {
        assert!(continues(
            "approach (Data Integration Platform (DIP) Interface Name",
            "Changes)",
            true
        ));
        assert!(continues("the baselining of the", "DES196 D-Flow", true));
        assert!(continues(
            "Certificate Profiles, and DIP PKI",
            "Policy",
            true
        ));
        assert!(!continues(
            "Certificate Profiles, and DIP PKI",
            "Policy",
            false
        ));
        assert!(!continues(
            "approved with no amendments",
            "DIP Design",
            true
        ));
        assert!(!continues("The SRO approved CR018.", "Next", true));
    }
}
