//! The actions table: area, ref, action, owner, due — its cells wrapped over lines
//! and merged down the area column, as PDF extraction leaves them.

use std::sync::LazyLock;

use regex::Regex;

use super::header::day_month_year;
use super::lines::{Line, join, open_brackets, row_starts, split_at_ids};
use super::{Patterns, ReportedAction, Warning};
use crate::model::Due;

/// A due cell: a day/month/year date, ASAP or TBC — or, for an action a later
/// report carries over done, Closed or Complete(d).
static DUE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:(?i:\d{1,2}/\d{1,2}/\d{4}|ASAP|TBC)|Closed|Completed?)\b").expect("valid")
});

/// Whether a due cell says the action is done.
fn done(cell: &str) -> bool {
    matches!(cell, "Closed" | "Complete" | "Completed")
}

/// Reads every action row. A row starts at a line whose first word is an action
/// id; its due cell ends it; lines after the due and before the next id are the
/// next row's area (an area cell merged over several rows is not repeated).
pub fn parse(
    lines: &[Line],
    patterns: &Patterns,
    warnings: &mut Vec<Warning>,
) -> Vec<ReportedAction> {
    let lines = &split_at_ids(lines.to_vec(), &patterns.action)[..];
    let starts = row_starts(lines, &patterns.action);
    if starts.is_empty() {
        if let Some(first) = lines.first() {
            warnings.push(Warning::at(
                first.number,
                "the Actions section lists no action id that matches the [import] action pattern",
            ));
        }
        return Vec::new();
    }
    let mut area = area_text(&lines[..starts[0]]);
    let mut actions = Vec::new();
    for (k, &start) in starts.iter().enumerate() {
        let end = starts.get(k + 1).copied().unwrap_or(lines.len());
        let (action, next_area) = row(&lines[start..end], area.clone(), patterns, warnings);
        actions.push(action);
        if let Some(next) = next_area {
            area = Some(next);
        }
    }
    actions
}

fn area_text(lines: &[Line]) -> Option<String> {
    Some(join(lines.iter().map(|l| l.text.as_str()))).filter(|a| !a.is_empty())
}

/// One row, and the area of the rows after it where it gives one.
fn row(
    lines: &[Line],
    area: Option<String>,
    patterns: &Patterns,
    warnings: &mut Vec<Warning>,
) -> (ReportedAction, Option<String>) {
    let first = &lines[0];
    let id = first.first_word().to_string();
    let due_line = lines
        .iter()
        .enumerate()
        .rev()
        .find_map(|(n, line)| DUE.find_iter(&line.text).last().map(|m| (n, m)));
    let mut body: Vec<(usize, String)> = Vec::new();
    let push = |body: &mut Vec<(usize, String)>, number: usize, text: &str| {
        if !text.trim().is_empty() {
            body.push((number, text.trim().to_string()));
        }
    };
    let mut closed = false;
    let (due, next_area) = match due_line {
        Some((n, found)) => {
            for (k, line) in lines[..=n].iter().enumerate() {
                let text = if k == 0 {
                    first.after_first_word()
                } else {
                    &line.text
                };
                let text = if k == n {
                    let offset = if k == 0 {
                        first.text.len() - text.len()
                    } else {
                        0
                    };
                    &text[..found.start() - offset]
                } else {
                    text
                };
                push(&mut body, line.number, text);
            }
            // Extraction may join the next row's area onto the due date's line.
            let trailing = lines[n].text[found.end()..].trim();
            let area_lines =
                std::iter::once(trailing).chain(lines[n + 1..].iter().map(|l| l.text.as_str()));
            let next_area = Some(join(area_lines)).filter(|a| !a.is_empty());
            if next_area.as_deref().is_some_and(|a| open_brackets(a) < 0) {
                let after = lines
                    .get(n + 1)
                    .filter(|_| trailing.is_empty())
                    .unwrap_or(&lines[n]);
                let shown = if trailing.is_empty() {
                    after.text.as_str()
                } else {
                    trailing
                };
                warnings.push(Warning::at(
                    after.number,
                    format!(
                        "\"{shown}\" after action {id}'s due date closes a bracket it does not open: read as the next area, it may be the end of {id}'s owner"
                    ),
                ));
            }
            closed = done(found.as_str());
            (due_of(found.as_str()), next_area)
        }
        None => {
            warnings.push(Warning::at(
                first.number,
                format!("action {id} has no due date (a day/month/year date, ASAP or TBC)"),
            ));
            push(&mut body, first.number, first.after_first_word());
            for line in &lines[1..] {
                push(&mut body, line.number, &line.text);
            }
            (None, None)
        }
    };
    let (owner, text_parts) = split_owner(&body);
    if owner.is_none() {
        warnings.push(Warning::at(
            first.number,
            format!("action {id}: no owner could be told apart from its text"),
        ));
    }
    let text = join(text_parts.iter().map(String::as_str));
    if text.is_empty() {
        warnings.push(Warning::at(
            first.number,
            format!("action {id} has no text"),
        ));
    }
    let action = ReportedAction {
        named_changes: patterns.changes_in(&text),
        id,
        line: first.number,
        area,
        text,
        owner,
        due,
        note: None,
        closed,
        moved_to: None,
    };
    (action, next_area)
}

fn due_of(text: &str) -> Option<Due> {
    day_month_year(text)
        .map(Due::On)
        .or_else(|| Due::parse(text))
}

/// Tells the owner cell from the action's text: the owner is last. Where it ends
/// with a bracketed name ("Programme (PMO)", "RECCo (Sarah Jones)"), the owner
/// is that name and the organisation just before it — the whole line before it
/// when the bracket starts a line, else the one word before the bracket. Else
/// the owner is the last line.
fn split_owner(body: &[(usize, String)]) -> (Option<String>, Vec<String>) {
    let mut parts: Vec<String> = body.iter().map(|(_, t)| t.clone()).collect();
    if let Some(owner) = bracketed_owner(&mut parts) {
        return (Some(owner), parts);
    }
    if parts.len() < 2 {
        let owner = subject_repeated_at_end(&mut parts);
        return (owner, parts);
    }
    let owner = parts.pop();
    (owner, parts)
}

/// Text and owner joined on one line, where the action names its owner as
/// its subject ("Chair to write to Ofgem … Chair"): the owner is that subject,
/// taken off the end.
fn subject_repeated_at_end(parts: &mut [String]) -> Option<String> {
    let text = parts.first()?;
    let (subject, _) = text.split_once(" to ")?;
    let short = subject.split_whitespace().count() <= 3;
    if !short || !subject.starts_with(char::is_uppercase) {
        return None;
    }
    let rest = text.strip_suffix(subject)?.strip_suffix(' ')?;
    if rest.len() <= subject.len() {
        return None;
    }
    let (owner, rest) = (subject.to_string(), rest.to_string());
    parts[0] = rest;
    Some(owner)
}

/// The owner where it ends with a bracketed name, taken off the end of `parts`.
fn bracketed_owner(parts: &mut Vec<String>) -> Option<String> {
    if !parts.last()?.ends_with(')') {
        return None;
    }
    let (line, at) = opening_bracket(parts)?;
    if at == 0 && line > 0 {
        if parts[line - 1].split_whitespace().count() <= 3 {
            let owner = join(parts[line - 1..].iter().map(String::as_str));
            parts.truncate(line - 1);
            return Some(owner);
        }
        // The name's line broke just before its bracket: the organisation is the
        // last word of the line before.
        return last_word_owner(parts, line - 1, parts[line - 1].len());
    }
    last_word_owner(parts, line, at)
}

/// The owner as the capitalised word that ends `parts[line][..at]`, with all
/// that follows it.
fn last_word_owner(parts: &mut Vec<String>, line: usize, at: usize) -> Option<String> {
    let before = parts[line][..at].trim_end();
    let word_start = before
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_whitespace())
        .map_or(0, |(i, c)| i + c.len_utf8());
    let word = &before[word_start..];
    let whole_body = line == 0 && word_start == 0;
    if word.is_empty() || !word.starts_with(char::is_uppercase) || whole_body {
        return None;
    }
    let mut owner_parts = vec![parts[line][word_start..].to_string()];
    owner_parts.extend(parts[line + 1..].iter().cloned());
    let owner = join(owner_parts.iter().map(String::as_str));
    let rest = before[..word_start].trim_end().to_string();
    parts.truncate(line);
    if !rest.is_empty() {
        parts.push(rest);
    }
    Some(owner)
}

/// Where the bracket closed at the very end of `parts` opens: (part, byte offset).
fn opening_bracket(parts: &[String]) -> Option<(usize, usize)> {
    let mut depth = 0;
    for (line, text) in parts.iter().enumerate().rev() {
        for (at, c) in text.char_indices().rev() {
            match c {
                ')' => depth += 1,
                '(' => {
                    depth -= 1;
                    if depth == 0 {
                        return Some((line, at));
                    }
                }
                _ => {}
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn owner_of(lines: &[&str]) -> (Option<String>, String) {
        let body: Vec<(usize, String)> = lines.iter().map(|l| (1, l.to_string())).collect();
        let (owner, text) = split_owner(&body);
        (owner, join(text.iter().map(String::as_str)))
    }

    #[test]
    fn an_owner_joined_to_the_text_on_one_line_is_its_subject_repeated() {
        assert_eq!(
            owner_of(&["Chair to write to Ofgem regarding the consultation Chair"]),
            (
                Some("Chair".into()),
                "Chair to write to Ofgem regarding the consultation".into()
            )
        );
        assert_eq!(
            owner_of(&["Provide views on the role of DAG"]),
            (None, "Provide views on the role of DAG".into())
        );
    }

    #[test]
    fn owners_are_told_from_text() {
        assert_eq!(
            owner_of(&[
                "Seek clarity and return to DAG",
                "Programme",
                "(Matt McKeon)"
            ]),
            (
                Some("Programme (Matt McKeon)".into()),
                "Seek clarity and return to DAG".into()
            )
        );
        assert_eq!(
            owner_of(&[
                "Amend CR024 and provide a version 2.0 to Programme RECCo (Sarah",
                "Jones)"
            ]),
            (
                Some("RECCo (Sarah Jones)".into()),
                "Amend CR024 and provide a version 2.0 to Programme".into()
            )
        );
        assert_eq!(
            owner_of(&["Provide views on the role of DAG", "DAG Members"]),
            (
                Some("DAG Members".into()),
                "Provide views on the role of DAG".into()
            )
        );
        assert_eq!(
            owner_of(&[
                "Confirm which code MDS would use (current presumption is SVA code)",
                "Programme",
                "(Ian Smith)"
            ]),
            (
                Some("Programme (Ian Smith)".into()),
                "Confirm which code MDS would use (current presumption is SVA code)".into()
            )
        );
    }
}
