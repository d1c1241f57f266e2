//! What importing a report would record, against what the repository already
//! holds: new records, steps added to existing ones, and records already there.
//! A report that contradicts a record is refused with the difference shown.

use serde::Serialize;

use super::{NotUnderstood, Report, Warning};
use crate::error::{Error, Result};
use crate::model::meeting::Report as ReportSource;
use crate::model::trailers::{self, CommitMessage};
use crate::model::{
    Action, ActionStep, Change, ChangeStep, Config, Decision, IdKind, Meeting, Timestamp, paths,
};
use crate::repo::{Snapshot, Transaction};

mod actions;
mod changes;
mod decisions;

use actions::plan_actions;
use changes::plan_changes;
pub use decisions::Suggestion;
use decisions::plan_decisions;

/// Whether a record is new, gains steps, or is already there as the report has it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    New,
    Updated,
    Unchanged,
}

#[derive(Debug, Serialize)]
pub struct Item<T> {
    pub status: Status,
    pub record: T,
}

/// A record with a history, and the steps this import adds to it.
#[derive(Debug, Serialize)]
pub struct Grown<T, S> {
    pub status: Status,
    pub record: T,
    pub new_steps: Vec<S>,
}

/// The JSON shape of `baseline import report --format json`.
#[derive(Debug, Serialize)]
pub struct Plan {
    pub report: ReportSource,
    pub meeting: Item<Meeting>,
    pub decisions: Vec<Item<Decision>>,
    pub actions: Vec<Grown<Action, ActionStep>>,
    pub changes: Vec<Grown<Change, ChangeStep>>,
    /// Sentences of decisions the importer could not classify: kept verbatim
    /// in the decisions' text, and listed here to be checked.
    pub not_understood: Vec<NotUnderstood>,
    /// Artefacts decisions name only by title: not linked, and the command that would.
    pub suggestions: Vec<Suggestion>,
    pub warnings: Vec<Warning>,
}

impl Plan {
    /// Nothing new: every record is already there as the report has it.
    pub fn is_unchanged(&self) -> bool {
        self.meeting.status == Status::Unchanged
            && self.decisions.iter().all(|d| d.status == Status::Unchanged)
            && self.actions.iter().all(|a| a.status == Status::Unchanged)
            && self.changes.iter().all(|c| c.status == Status::Unchanged)
    }
}

/// Who records and when: stamped on every record and step the import makes.
pub struct Stamp {
    pub who: String,
    pub at: Timestamp,
}

/// Compares the report with the records in `snapshot`.
pub fn plan(
    snapshot: &Snapshot<'_>,
    config: &Config,
    report: &Report,
    source: ReportSource,
    stamp: &Stamp,
) -> Result<Plan> {
    let mut warnings = report.warnings.clone();
    let mut conflicts = Vec::new();
    let mut suggestions = Vec::new();
    let meeting_id = &report.meeting.id;
    config.pattern(IdKind::Meeting)?.check(meeting_id)?;
    let decisions = plan_decisions(
        snapshot,
        config,
        report,
        stamp,
        &mut conflicts,
        &mut warnings,
        &mut suggestions,
    )?;
    let changes = plan_changes(
        snapshot,
        config,
        report,
        &decisions,
        stamp,
        &mut conflicts,
        &mut warnings,
    )?;
    let actions = plan_actions(
        snapshot,
        config,
        report,
        stamp,
        &mut conflicts,
        &mut warnings,
    )?;
    let meeting = plan_meeting(
        snapshot,
        report,
        source.clone(),
        &decisions,
        &actions,
        stamp,
        &mut conflicts,
    )?;
    if !conflicts.is_empty() {
        return Err(Error::refused(
            format!(
                "the report conflicts with records already here:\n{}",
                conflicts.join("\n")
            ),
            "records are never edited: if the report is right, record a correcting decision or raise the matter; if the records are right, import a corrected report",
        ));
    }
    // In the report's order; what concerns the whole report last.
    warnings.sort_by_key(|w| w.line.unwrap_or(usize::MAX));
    Ok(Plan {
        report: source,
        meeting,
        decisions,
        actions,
        changes,
        not_understood: report
            .decisions
            .iter()
            .flat_map(|d| d.not_understood.iter().cloned())
            .collect(),
        suggestions,
        warnings,
    })
}

/// The fields of `what` (each: name, as recorded, as reported) that differ, each
/// said as a conflict.
fn differences(what: &str, fields: &[(&str, &str, &str)]) -> Vec<String> {
    fields
        .iter()
        .filter(|(_, recorded, reported)| recorded != reported)
        .map(|(field, recorded, reported)| {
            format!("  {what} {field}:\n    recorded:  {recorded}\n    in report: {reported}")
        })
        .collect()
}

fn or_none(value: &Option<String>) -> String {
    value.clone().unwrap_or_else(|| "(none)".into())
}

fn plan_meeting(
    snapshot: &Snapshot<'_>,
    report: &Report,
    source: ReportSource,
    decisions: &[Item<Decision>],
    actions: &[Grown<Action, ActionStep>],
    stamp: &Stamp,
    conflicts: &mut Vec<String>,
) -> Result<Item<Meeting>> {
    let info = &report.meeting;
    let meeting = Meeting {
        id: info.id.clone(),
        body: info.body.clone(),
        date: info.date,
        time: info.time.clone(),
        venue: info.venue.clone(),
        classification: info.classification.clone(),
        report: Some(source),
        decisions: decisions.iter().map(|d| d.record.id.clone()).collect(),
        actions: actions.iter().map(|a| a.record.id.clone()).collect(),
        next_meeting: info.next_meeting,
        recorded_by: stamp.who.clone(),
        recorded_at: stamp.at,
    };
    let Some(existing) = snapshot.record::<Meeting>(&paths::meeting(&meeting.id))? else {
        return Ok(Item {
            status: Status::New,
            record: meeting,
        });
    };
    // The same meeting from another copy of its report (re-extracted, other line
    // endings) is the same meeting: only what it says of the meeting can conflict.
    let what = format!("meeting {}", meeting.id);
    conflicts.extend(differences(
        &what,
        &[
            (
                "date",
                &existing.date.to_string(),
                &meeting.date.to_string(),
            ),
            ("venue", &or_none(&existing.venue), &or_none(&meeting.venue)),
        ],
    ));
    Ok(Item {
        status: Status::Unchanged,
        record: existing,
    })
}

fn at_line(line: usize, err: Error) -> Error {
    Error::refused(format!("line {line}: {}", err.message), err.hint)
}

/// Whether a reported record (a `kind` such as "decision", with `id`, on `line`)
/// is to be imported: a second listing is warned and left out, and an id that
/// does not fit the configured pattern refuses the import.
fn first_listing(
    (kind, id, line): (&str, &str, usize),
    listed_before: bool,
    pattern: &crate::model::id::IdPattern,
    warnings: &mut Vec<Warning>,
) -> Result<bool> {
    if listed_before {
        warnings.push(Warning::at(
            line,
            format!("{kind} {id} is listed twice; the first is imported"),
        ));
        return Ok(false);
    }
    pattern.check(id).map_err(|e| at_line(line, e))?;
    Ok(true)
}

/// Records the plan in one transaction: one commit, or nothing.
pub fn apply(mut tx: Transaction<'_>, plan: &Plan) -> Result<git2::Oid> {
    let meeting = &plan.meeting.record;
    if plan.meeting.status == Status::New {
        tx.create_record(&paths::meeting(&meeting.id), meeting)?;
    }
    for item in plan.decisions.iter().filter(|d| d.status == Status::New) {
        tx.create_record(&paths::decision(&item.record.id), &item.record)?;
    }
    for item in &plan.changes {
        match item.status {
            Status::New => tx.create_record(&paths::change(&item.record.id), &item.record)?,
            Status::Updated => tx.append_record(&paths::change(&item.record.id), &item.record)?,
            Status::Unchanged => {}
        }
    }
    for item in &plan.actions {
        match item.status {
            Status::New => tx.create_record(&paths::action(&item.record.id), &item.record)?,
            Status::Updated => tx.append_record(&paths::action(&item.record.id), &item.record)?,
            Status::Unchanged => {}
        }
    }
    let new_decisions: Vec<&str> = plan
        .decisions
        .iter()
        .filter(|d| d.status == Status::New)
        .map(|d| d.record.id.as_str())
        .collect();
    let moved: usize = plan.changes.iter().map(|c| c.new_steps.len()).sum();
    let message = CommitMessage::new(format!(
        "Import the {} headline report: {} decision(s), {} action(s), {} change step(s)",
        meeting.id,
        new_decisions.len(),
        plan.actions
            .iter()
            .filter(|a| a.status != Status::Unchanged)
            .count(),
        moved
    ))
    .line(format!(
        "Report {} (sha256 {}).",
        plan.report.file, plan.report.sha256
    ))
    .trailer(trailers::COMMAND, "import report")
    .trailer(trailers::MEETING_RECORDED, &meeting.id)
    .trailers(trailers::DECISION_RECORDED, new_decisions);
    tx.commit(&message)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::IdKind;
    use crate::model::id::IdPattern;

    #[test]
    fn a_record_listed_twice_is_warned_and_an_id_off_the_pattern_refused() {
        let pattern = IdPattern::new(IdKind::Decision, "DAG-DEC[0-9]+").unwrap();
        let mut warnings = Vec::new();
        let decision = |id| ("decision", id, 12);
        assert!(first_listing(decision("DAG-DEC57"), false, &pattern, &mut warnings).unwrap());
        assert!(warnings.is_empty());
        assert!(!first_listing(decision("DAG-DEC57"), true, &pattern, &mut warnings).unwrap());
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].line, Some(12));
        assert_eq!(
            warnings[0].message,
            "decision DAG-DEC57 is listed twice; the first is imported"
        );
        let refused = first_listing(decision("DEC57"), false, &pattern, &mut warnings).unwrap_err();
        assert!(
            refused.message.starts_with("line 12: "),
            "{}",
            refused.message
        );
        assert!(refused.message.contains("DEC57"), "{}", refused.message);
    }
}
