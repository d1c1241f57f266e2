//! Actions: new ones, and those a later report lists again.

use super::{Grown, Stamp, Status, differences, first_listing, or_none};
use crate::error::Result;
use crate::import::{Report, ReportedAction, Warning};
use crate::model::{Action, ActionState, ActionStep, Config, IdKind, Meeting, paths};
use crate::repo::Snapshot;

pub(super) fn plan_actions(
    snapshot: &Snapshot<'_>,
    config: &Config,
    report: &Report,
    stamp: &Stamp,
    conflicts: &mut Vec<String>,
    warnings: &mut Vec<Warning>,
) -> Result<Vec<Grown<Action, ActionStep>>> {
    let pattern = config.pattern(IdKind::Action)?;
    // A report already imported lists its actions in its meeting's record.
    let imported: Vec<String> = snapshot
        .record::<Meeting>(&paths::meeting(&report.meeting.id))?
        .map_or_else(Vec::new, |m| m.actions);
    let mut items: Vec<Grown<Action, ActionStep>> = Vec::new();
    for reported in &report.actions {
        let listed_before = items.iter().any(|a| a.record.id == reported.id);
        let reported_at = ("action", reported.id.as_str(), reported.line);
        if !first_listing(reported_at, listed_before, &pattern, warnings)? {
            continue;
        }
        let item = match snapshot.record::<Action>(&paths::action(&reported.id))? {
            None => Grown {
                status: Status::New,
                new_steps: Vec::new(),
                record: new_action(reported, report, stamp),
            },
            Some(existing) if imported.contains(&existing.id) => {
                action_conflicts(&existing, reported, conflicts);
                Grown {
                    status: Status::Unchanged,
                    new_steps: Vec::new(),
                    record: existing,
                }
            }
            Some(existing) => {
                existing_action(existing, reported, report, stamp, conflicts, warnings)
            }
        };
        items.push(item);
    }
    Ok(items)
}

fn new_action(reported: &ReportedAction, report: &Report, stamp: &Stamp) -> Action {
    Action {
        id: reported.id.clone(),
        meeting: report.meeting.id.clone(),
        area: reported.area.clone(),
        text: reported.text.clone(),
        owner: reported.owner.clone(),
        due: reported.due,
        changes: reported.named_changes.clone(),
        recorded_by: stamp.who.clone(),
        history: vec![ActionStep {
            state: ActionState::Open,
            date: report.meeting.date,
            meeting: Some(report.meeting.id.clone()),
            due: None,
            note: reported.note.clone(),
            recorded_by: stamp.who.clone(),
            recorded_at: stamp.at,
        }],
    }
}

/// An action's text and owner never change from one report to the next.
fn action_conflicts(existing: &Action, reported: &ReportedAction, conflicts: &mut Vec<String>) {
    let what = format!("action {}", existing.id);
    conflicts.extend(differences(
        &what,
        &[
            ("text", &existing.text, &reported.text),
            (
                "owner",
                &or_none(&existing.owner),
                &or_none(&reported.owner),
            ),
        ],
    ));
}

/// An action a later report lists again: perhaps a new due date or note (a new
/// step); closed here, or last moved on after this report's meeting, a warning.
fn existing_action(
    mut existing: Action,
    reported: &ReportedAction,
    report: &Report,
    stamp: &Stamp,
    conflicts: &mut Vec<String>,
    warnings: &mut Vec<Warning>,
) -> Grown<Action, ActionStep> {
    action_conflicts(&existing, reported, conflicts);
    let meeting = &report.meeting.id;
    let moved = reported
        .due
        .filter(|due| Some(*due) != existing.current_due());
    if moved.is_none() && reported.note.is_none() && existing.state() == ActionState::Open {
        return Grown {
            status: Status::Unchanged,
            new_steps: Vec::new(),
            record: existing,
        };
    }
    let last = existing.history.last().map(|step| step.date);
    let stale = last.is_some_and(|last| report.meeting.date < last);
    if existing.state() == ActionState::Closed || stale {
        let why = if stale {
            "its last step is later than this report's meeting, so the report's due date and notes are not applied"
        } else {
            "it is closed here, but the report still lists it"
        };
        warnings.push(Warning::at(
            reported.line,
            format!("action {}: {why}", existing.id),
        ));
        return Grown {
            status: Status::Unchanged,
            new_steps: Vec::new(),
            record: existing,
        };
    }
    let step = ActionStep {
        state: ActionState::Open,
        date: report.meeting.date,
        meeting: Some(meeting.clone()),
        due: moved,
        note: reported.note.clone(),
        recorded_by: stamp.who.clone(),
        recorded_at: stamp.at,
    };
    existing.history.push(step.clone());
    Grown {
        status: Status::Updated,
        new_steps: vec![step],
        record: existing,
    }
}
