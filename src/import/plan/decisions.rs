//! Decisions: each as the report states it, against any already recorded.

use serde::Serialize;

use super::{Item, Stamp, Status, differences, first_listing, or_none};
use crate::error::Result;
use crate::import::{Report, ReportedDecision, Warning};
use crate::model::{Config, Decision, IdKind, Relation};
use crate::repo::Snapshot;

/// A registered artefact, as a suggestion names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Titled {
    pub id: String,
    pub title: String,
}

/// Registered artefacts a decision names by title but not by id: never linked
/// by the import, only suggested, with the command that links them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suggestion {
    pub decision: String,
    pub line: usize,
    /// The artefacts named by title only.
    pub artefacts: Vec<Titled>,
    pub command: String,
}

fn decision_record(
    reported: &ReportedDecision,
    report: &Report,
    artefacts: &[String],
    stamp: &Stamp,
) -> Decision {
    let info = &report.meeting;
    // Taken by correspondence on a date the report gives: that date. Settled
    // after the meeting, by a date the report does not give: the report's issue
    // date is the latest it can be.
    let date = match (reported.decided_on, &reported.post_meeting) {
        (Some(date), _) => date,
        (None, Some(_)) => info.issued.unwrap_or(info.date),
        (None, None) => info.date,
    };
    let mut changes: Vec<String> = Vec::new();
    for (change, _) in &reported.steps {
        if !changes.contains(change) {
            changes.push(change.clone());
        }
    }
    Decision {
        id: reported.id.clone(),
        date,
        outcome: reported.outcome,
        text: reported.full_text(),
        meeting: Some(info.id.clone()),
        area: reported.area.clone(),
        authority: reported.authority.clone(),
        artefacts: artefacts.to_vec(),
        changes,
        relates_to: reported
            .relates_to
            .iter()
            .map(|(change, relation)| Relation {
                change: change.clone(),
                relation: *relation,
            })
            .collect(),
        votes: reported.votes,
        recorded_by: stamp.who.clone(),
        recorded_at: stamp.at,
        corrections: Vec::new(),
    }
}

/// Text as compared for names: lower case, one space between words.
fn words(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The ids a text may name an artefact by: each word as written, without the
/// punctuation around it, and without a hyphen or space between letters and
/// digits ("DES-196", "DES 196" → DES196).
fn id_candidates(text: &str) -> std::collections::HashSet<String> {
    let tokens: Vec<&str> = text
        .split(|c: char| {
            c.is_whitespace()
                || matches!(
                    c,
                    ',' | ';' | '/' | '&' | '(' | ')' | '[' | ']' | '"' | '“' | '”'
                )
        })
        .map(|t| {
            t.trim_end_matches(['.', ':', '\'', '’'])
                .trim_end_matches("'s")
                .trim_end_matches("’s")
        })
        .filter(|t| !t.is_empty())
        .collect();
    let letters = |t: &str| t.chars().all(|c| c.is_ascii_alphabetic());
    let digits = |t: &str| t.chars().all(|c| c.is_ascii_digit());
    let mut found = std::collections::HashSet::new();
    for (n, token) in tokens.iter().enumerate() {
        found.insert(token.to_string());
        if let Some((head, tail)) = token
            .split_once('-')
            .filter(|(h, t)| letters(h) && digits(t))
        {
            found.insert(format!("{head}{tail}"));
        }
        if let Some(next) = tokens
            .get(n + 1)
            .filter(|next| letters(token) && digits(next))
        {
            found.insert(format!("{token}{next}"));
        }
    }
    found
}

/// The registered artefacts a decision names by id, and those it names only by
/// title. A title inside a longer title that is also named ("Interface Mapping"
/// in "D-Flow and Interface Mapping") names nothing of its own.
fn named_artefacts(
    reported: &ReportedDecision,
    artefacts: &[(String, String)],
) -> (Vec<String>, Vec<(String, String)>) {
    let text = format!(
        "{} {}",
        reported.area.as_deref().unwrap_or(""),
        reported.full_text()
    );
    let ids = id_candidates(&text);
    let by_id: Vec<String> = artefacts
        .iter()
        .filter(|(id, _)| ids.contains(id))
        .map(|(id, _)| id.clone())
        .collect();
    let text = words(&text);
    let spans: Vec<(usize, usize, &String, &String)> = artefacts
        .iter()
        .filter(|(_, title)| title.len() >= 8)
        .flat_map(|(id, title)| {
            let title_words = words(title);
            text.match_indices(&title_words)
                .filter(|(at, found)| whole_words(&text, *at, found.len()))
                .map(|(at, found)| (at, at + found.len(), id, title))
                .collect::<Vec<_>>()
        })
        .collect();
    let mut by_title: Vec<(String, String)> = Vec::new();
    for (start, end, id, title) in &spans {
        let inside_longer = spans
            .iter()
            .any(|(s, e, other, _)| other != id && s <= start && end <= e && e - s > end - start);
        let listed = by_id.contains(id) || by_title.iter().any(|(i, _)| i == *id);
        if !inside_longer && !listed {
            by_title.push(((*id).clone(), (*title).clone()));
        }
    }
    (by_id, by_title)
}

fn whole_words(text: &str, at: usize, len: usize) -> bool {
    let before = text[..at].chars().next_back();
    let after = text[at + len..].chars().next();
    !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
}

/// The command that links what a decision names by title, with what it names by id.
fn suggestion(
    reported: &ReportedDecision,
    meeting: &str,
    by_id: &[String],
    by_title: Vec<(String, String)>,
) -> Suggestion {
    let mut command = format!("baseline decision correct {}", reported.id);
    for id in by_id.iter().chain(by_title.iter().map(|(id, _)| id)) {
        command.push_str(&format!(" --artefact {id}"));
    }
    command.push_str(&format!(
        " --reason \"the {meeting} headline report names them by title\""
    ));
    Suggestion {
        decision: reported.id.clone(),
        line: reported.line,
        artefacts: by_title
            .into_iter()
            .map(|(id, title)| Titled { id, title })
            .collect(),
        command,
    }
}

pub(super) fn plan_decisions(
    snapshot: &Snapshot<'_>,
    config: &Config,
    report: &Report,
    stamp: &Stamp,
    conflicts: &mut Vec<String>,
    warnings: &mut Vec<Warning>,
    suggestions: &mut Vec<Suggestion>,
) -> Result<Vec<Item<Decision>>> {
    let pattern = config.pattern(IdKind::Decision)?;
    // From the register's cache: a programme registers thousands of artefacts.
    let artefacts: Vec<(String, String)> = crate::repo::register::summaries(snapshot)?
        .into_iter()
        .map(|s| (s.artefact.id, s.artefact.title))
        .collect();
    let mut items: Vec<Item<Decision>> = Vec::new();
    for reported in &report.decisions {
        let listed_before = items.iter().any(|d| d.record.id == reported.id);
        let reported_at = ("decision", reported.id.as_str(), reported.line);
        if !first_listing(reported_at, listed_before, &pattern, warnings)? {
            continue;
        }
        let (by_id, by_title) = named_artefacts(reported, &artefacts);
        let record = decision_record(reported, report, &by_id, stamp);
        let item = match snapshot.decision(&record.id)? {
            None => {
                if !by_title.is_empty() {
                    suggestions.push(suggestion(reported, &report.meeting.id, &by_id, by_title));
                }
                Item {
                    status: Status::New,
                    record,
                }
            }
            // The report is compared with the decision as first recorded (the
            // minutes); a correction made since is ours, not a conflict.
            Some(existing) => {
                let recorded = snapshot
                    .recorded_decision(&record.id)?
                    .unwrap_or_else(|| existing.clone());
                let what = format!("decision {} (line {})", record.id, reported.line);
                conflicts.extend(differences(
                    &what,
                    &[
                        ("text", &recorded.text, &record.text),
                        ("date", &existing.date.to_string(), &record.date.to_string()),
                        (
                            "outcome",
                            &existing.outcome.to_string(),
                            &record.outcome.to_string(),
                        ),
                        (
                            "meeting",
                            &or_none(&existing.meeting),
                            &or_none(&record.meeting),
                        ),
                    ],
                ));
                Item {
                    status: Status::Unchanged,
                    record: existing,
                }
            }
        };
        items.push(item);
    }
    Ok(items)
}
