//! Decisions: each as the report states it, against any already recorded.

use super::{Item, Stamp, Status, differences, first_listing, or_none};
use crate::error::Result;
use crate::import::{Report, ReportedDecision, Warning};
use crate::model::{Config, Decision, IdKind};
use crate::repo::Snapshot;

fn decision_record(
    reported: &ReportedDecision,
    report: &Report,
    artefacts: &[(String, String)],
    stamp: &Stamp,
) -> Decision {
    let info = &report.meeting;
    // Settled after the meeting, by a date the report does not give: the report's
    // issue date is the latest it can be.
    let date = match reported.post_meeting {
        Some(_) => info.issued.unwrap_or(info.date),
        None => info.date,
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
        artefacts: named_artefacts(reported, artefacts),
        changes,
        recorded_by: stamp.who.clone(),
        recorded_at: stamp.at,
        corrections: Vec::new(),
    }
}

/// The registered artefacts a decision names: by id, or by title in its text.
fn named_artefacts(reported: &ReportedDecision, artefacts: &[(String, String)]) -> Vec<String> {
    let words = |text: &str| {
        text.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    let text = words(&format!(
        "{} {}",
        reported.area.as_deref().unwrap_or(""),
        reported.text
    ));
    let whole_word = |id: &str| {
        text.match_indices(&id.to_lowercase()).any(|(at, found)| {
            let before = text[..at].chars().next_back();
            let after = text[at + found.len()..].chars().next();
            !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
        })
    };
    artefacts
        .iter()
        .filter(|(id, title)| whole_word(id) || (title.len() >= 8 && text.contains(&words(title))))
        .map(|(id, _)| id.clone())
        .collect()
}

pub(super) fn plan_decisions(
    snapshot: &Snapshot<'_>,
    config: &Config,
    report: &Report,
    stamp: &Stamp,
    conflicts: &mut Vec<String>,
    warnings: &mut Vec<Warning>,
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
        let record = decision_record(reported, report, &artefacts, stamp);
        let item = match snapshot.decision(&record.id)? {
            None => Item {
                status: Status::New,
                record,
            },
            // The report is compared with the decision as first recorded (the
            // minutes); a correction made since is ours, not a conflict.
            Some(existing) => {
                let recorded = snapshot
                    .recorded_decision(&record.id)?
                    .unwrap_or_else(|| existing.clone());
                let what = format!("decision {}", record.id);
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
