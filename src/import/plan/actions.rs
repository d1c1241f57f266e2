//! Actions: new ones, and those a later report lists again.

use super::{Grown, Stamp, Status, differences, first_listing, or_none};
use crate::error::Result;
use crate::import::{ActionUpdate, Report, ReportedAction, Warning};
use crate::model::Due;
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
            None => {
                let record = new_action(reported, report, stamp);
                Grown {
                    status: Status::New,
                    new_steps: record.history.clone(),
                    record,
                }
            }
            Some(existing) if imported.contains(&existing.id) => {
                action_conflicts(&existing, reported, conflicts);
                due_conflict(&existing, reported, &report.meeting.id, conflicts);
                Grown {
                    status: Status::Unchanged,
                    new_steps: Vec::new(),
                    record: existing,
                }
            }
            Some(existing) => {
                reworded(&existing, reported, warnings);
                existing_action(existing, &Said::of(reported), report, stamp, warnings)
            }
        };
        items.push(item);
    }
    for update in &report.action_updates {
        if items.iter().any(|a| a.record.id == update.id) {
            continue;
        }
        match snapshot.record::<Action>(&paths::action(&update.id))? {
            None => warnings.push(Warning::at(
                update.line,
                format!(
                    "a note on action {}, which the actions table does not list and is not recorded: not imported",
                    update.id
                ),
            )),
            Some(existing) if imported.contains(&existing.id) => items.push(Grown {
                status: Status::Unchanged,
                new_steps: Vec::new(),
                record: existing,
            }),
            Some(existing) => items.push(existing_action(
                existing,
                &Said::of_update(update),
                report,
                stamp,
                warnings,
            )),
        }
    }
    Ok(items)
}

/// What a report says of an action it lists or notes.
struct Said<'r> {
    line: usize,
    due: Option<Due>,
    note: Option<&'r str>,
    closed: bool,
}

impl<'r> Said<'r> {
    fn of(reported: &'r ReportedAction) -> Self {
        Said {
            line: reported.line,
            due: reported.moved_to.or(reported.due),
            note: reported.note.as_deref(),
            closed: reported.closed,
        }
    }

    fn of_update(update: &'r ActionUpdate) -> Self {
        Said {
            line: update.line,
            due: update.moved_to,
            note: Some(&update.note),
            closed: update.closed,
        }
    }
}

/// A step of an action, recorded from this report's meeting.
fn step(
    state: ActionState,
    report: &Report,
    due: Option<Due>,
    note: Option<&str>,
    stamp: &Stamp,
) -> ActionStep {
    ActionStep {
        state,
        date: report.meeting.date,
        meeting: Some(report.meeting.id.clone()),
        due,
        note: note.map(str::to_string),
        recorded_by: stamp.who.clone(),
        recorded_at: stamp.at,
    }
}

fn new_action(reported: &ReportedAction, report: &Report, stamp: &Stamp) -> Action {
    let mut history = vec![step(
        ActionState::Open,
        report,
        None,
        reported.note.as_deref(),
        stamp,
    )];
    // Raised and reported done in one report: closed at the same meeting.
    if reported.closed {
        history.push(step(ActionState::Closed, report, None, None, stamp));
    }
    Action {
        id: reported.id.clone(),
        meeting: report.meeting.id.clone(),
        area: reported.area.clone(),
        text: reported.text.clone(),
        owner: reported.owner.clone(),
        due: reported.moved_to.or(reported.due),
        changes: reported.named_changes.clone(),
        recorded_by: stamp.who.clone(),
        history,
    }
}

/// An action's text and owner never change from one report to the next.
fn action_conflicts(existing: &Action, reported: &ReportedAction, conflicts: &mut Vec<String>) {
    let what = format!("action {} (line {})", existing.id, reported.line);
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

/// A later report that words a carried-over action otherwise (a shortened
/// text, an owner named differently) does not contradict the record, which
/// keeps the words it was raised with: said, not refused.
fn reworded(existing: &Action, reported: &ReportedAction, warnings: &mut Vec<Warning>) {
    let mut said = |field: &str, recorded: &str, now: &str| {
        if recorded != now {
            warnings.push(Warning::at(
                reported.line,
                format!(
                    "action {} is listed with another {field} (\"{now}\"); it keeps the {field} it was raised with (\"{recorded}\")",
                    existing.id
                ),
            ));
        }
    };
    said("text", &existing.text, &reported.text);
    said(
        "owner",
        &or_none(&existing.owner),
        &or_none(&reported.owner),
    );
}

/// The same meeting's report imported again must give the due date it gave.
fn due_conflict(
    existing: &Action,
    reported: &ReportedAction,
    meeting: &str,
    conflicts: &mut Vec<String>,
) {
    let Some(recorded) = existing.due_as_left_by(meeting) else {
        return;
    };
    let shown = |due: Option<Due>| due.map_or_else(|| "(none)".to_string(), |d| d.to_string());
    let what = format!("action {} (line {})", existing.id, reported.line);
    let said = reported.moved_to.or(reported.due);
    conflicts.extend(differences(
        &what,
        &[("due", &shown(recorded), &shown(said))],
    ));
}

/// An action a later report lists or notes again: a new due date, a note or its
/// closing is a new step, dated by this report's meeting; a report older than
/// the action's last step, or one that lists a closed action as open, is a warning.
fn existing_action(
    mut existing: Action,
    said: &Said<'_>,
    report: &Report,
    stamp: &Stamp,
    warnings: &mut Vec<Warning>,
) -> Grown<Action, ActionStep> {
    let unchanged = |record| Grown {
        status: Status::Unchanged,
        new_steps: Vec::new(),
        record,
    };
    let moved = said.due.filter(|due| Some(*due) != existing.current_due());
    let open = existing.state() == ActionState::Open;
    if moved.is_none() && said.note.is_none() && !said.closed && open {
        return unchanged(existing);
    }
    let last = existing.history.last().map(|step| step.date);
    let stale = last.is_some_and(|last| report.meeting.date < last);
    if stale || !open {
        if stale || !said.closed {
            let why = if stale {
                "its last step is later than this report's meeting, so the report's due date and notes are not applied"
            } else {
                "it is closed here, but the report still lists it"
            };
            warnings.push(Warning::at(
                said.line,
                format!("action {}: {why}", existing.id),
            ));
        }
        return unchanged(existing);
    }
    let state = if said.closed {
        ActionState::Closed
    } else {
        ActionState::Open
    };
    let step = step(state, report, moved, said.note, stamp);
    existing.history.push(step.clone());
    Grown {
        status: Status::Updated,
        new_steps: vec![step],
        record: existing,
    }
}
