//! What importing a report would record, against what the repository already
//! holds: new records, steps added to existing ones, and records already there.
//! A report that contradicts a record is refused with the difference shown.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{Report, ReportedAction, ReportedDecision, Warning};
use crate::error::{Error, Result};
use crate::model::meeting::Report as ReportSource;
use crate::model::{
    Action, ActionState, ActionStep, Change, ChangeKind, ChangeState, ChangeStep, Config, Date,
    Decision, IdKind, Meeting, Timestamp, paths,
};
use crate::repo::{CommitMessage, Snapshot, Transaction};
use crate::rules;

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
    let meeting_id = &report.meeting.id;
    config.pattern(IdKind::Meeting)?.check(meeting_id)?;
    let decisions = plan_decisions(
        snapshot,
        config,
        report,
        stamp,
        &mut conflicts,
        &mut warnings,
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
    Ok(Plan {
        report: source,
        meeting,
        decisions,
        actions,
        changes,
        warnings,
    })
}

fn difference(what: &str, field: &str, recorded: &str, reported: &str) -> Option<String> {
    (recorded != reported)
        .then(|| format!("  {what} {field}:\n    recorded:  {recorded}\n    in report: {reported}"))
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
    conflicts.extend(
        [
            difference(
                &what,
                "date",
                &existing.date.to_string(),
                &meeting.date.to_string(),
            ),
            difference(
                &what,
                "venue",
                &or_none(&existing.venue),
                &or_none(&meeting.venue),
            ),
        ]
        .into_iter()
        .flatten(),
    );
    Ok(Item {
        status: Status::Unchanged,
        record: existing,
    })
}

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

fn plan_decisions(
    snapshot: &Snapshot<'_>,
    config: &Config,
    report: &Report,
    stamp: &Stamp,
    conflicts: &mut Vec<String>,
    warnings: &mut Vec<Warning>,
) -> Result<Vec<Item<Decision>>> {
    let pattern = config.pattern(IdKind::Decision)?;
    let mut artefacts = Vec::new();
    for id in snapshot.artefact_ids()? {
        if let Some(artefact) = snapshot.artefact(&id)? {
            artefacts.push((artefact.id, artefact.title));
        }
    }
    let mut items: Vec<Item<Decision>> = Vec::new();
    for reported in &report.decisions {
        if items.iter().any(|d| d.record.id == reported.id) {
            warnings.push(Warning::at(
                reported.line,
                format!(
                    "decision {} is listed twice; the first is imported",
                    reported.id
                ),
            ));
            continue;
        }
        pattern
            .check(&reported.id)
            .map_err(|e| at_line(reported.line, e))?;
        let record = decision_record(reported, report, &artefacts, stamp);
        let item = match snapshot.decision(&record.id)? {
            None => Item {
                status: Status::New,
                record,
            },
            Some(existing) => {
                let what = format!("decision {}", record.id);
                conflicts.extend(
                    [
                        difference(&what, "text", &existing.text, &record.text),
                        difference(
                            &what,
                            "date",
                            &existing.date.to_string(),
                            &record.date.to_string(),
                        ),
                        difference(
                            &what,
                            "outcome",
                            &existing.outcome.to_string(),
                            &record.outcome.to_string(),
                        ),
                        difference(
                            &what,
                            "meeting",
                            &or_none(&existing.meeting),
                            &or_none(&record.meeting),
                        ),
                    ]
                    .into_iter()
                    .flatten(),
                );
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

fn at_line(line: usize, err: Error) -> Error {
    Error::refused(format!("line {line}: {}", err.message), err.hint)
}

/// Every change the decisions and actions name, created where missing, with the
/// steps the decisions make.
fn plan_changes(
    snapshot: &Snapshot<'_>,
    config: &Config,
    report: &Report,
    decisions: &[Item<Decision>],
    stamp: &Stamp,
    conflicts: &mut Vec<String>,
    warnings: &mut Vec<Warning>,
) -> Result<Vec<Grown<Change, ChangeStep>>> {
    let pattern = config.pattern(IdKind::Change)?;
    let mut working: BTreeMap<String, Change> = snapshot
        .changes()?
        .into_iter()
        .map(|c| (c.id.clone(), c))
        .collect();
    let mut touched: Vec<String> = Vec::new();
    let mut created: Vec<String> = Vec::new();
    let named = report
        .decisions
        .iter()
        .map(|d| (d.line, &d.named_changes))
        .chain(report.actions.iter().map(|a| (a.line, &a.named_changes)));
    for (line, ids) in named {
        for id in ids {
            if touched.contains(id) {
                continue;
            }
            if let Err(err) = pattern.check(id) {
                warnings.push(Warning::at(
                    line,
                    format!("change {id} is not imported: {}", err.message),
                ));
                continue;
            }
            touched.push(id.clone());
            if !working.contains_key(id) {
                warnings.push(Warning::at(
                    line,
                    format!("change {id} was not recorded: created, with no title or affected artefacts yet"),
                ));
                working.insert(
                    id.clone(),
                    new_change(id, &report.meeting.id, report.meeting.date, stamp),
                );
                created.push(id.clone());
            }
        }
    }
    let before: BTreeMap<String, usize> = working
        .iter()
        .map(|(id, c)| (id.clone(), c.history.len()))
        .collect();
    let mut seen: Vec<&str> = Vec::new();
    for reported in &report.decisions {
        if seen.contains(&reported.id.as_str()) {
            continue;
        }
        seen.push(&reported.id);
        let Some(decision) = decisions.iter().find(|d| d.record.id == reported.id) else {
            continue;
        };
        for (id, state) in &reported.steps {
            if let Err(conflict) = step(&mut working, id, *state, &decision.record, stamp, warnings)
            {
                conflicts.push(format!("  change {id}: {conflict}"));
            }
        }
    }
    Ok(touched
        .iter()
        .chain(working.keys().filter(|id| !touched.contains(id)))
        .filter_map(|id| {
            let change = working.get(id)?;
            let old_len = if created.contains(id) { 0 } else { before[id] };
            let status = match (created.contains(id), change.history.len() > old_len) {
                (true, _) => Status::New,
                (false, true) => Status::Updated,
                (false, false) if touched.contains(id) => Status::Unchanged,
                (false, false) => return None,
            };
            Some(Grown {
                status,
                new_steps: change.history[old_len..].to_vec(),
                record: change.clone(),
            })
        })
        .collect())
}

fn new_change(id: &str, meeting: &str, date: Date, stamp: &Stamp) -> Change {
    Change {
        id: id.to_string(),
        kind: if id.starts_with("DIN") {
            ChangeKind::Din
        } else {
            ChangeKind::Cr
        },
        title: format!("{id} (named in the {meeting} headline report; title to be confirmed)"),
        affects: Vec::new(),
        excludes: Vec::new(),
        recorded_by: stamp.who.clone(),
        history: vec![change_step(
            ChangeState::Raised,
            date,
            None,
            Some(format!("first named in the {meeting} headline report")),
            stamp,
        )],
    }
}

fn change_step(
    state: ChangeState,
    date: Date,
    decision: Option<&str>,
    note: Option<String>,
    stamp: &Stamp,
) -> ChangeStep {
    ChangeStep {
        state,
        date,
        decision: decision.map(str::to_string),
        release: None,
        note,
        recorded_by: stamp.who.clone(),
        recorded_at: stamp.at,
    }
}

/// Moves a change on by a decision, as `change set` would: an approval rejects
/// the changes it excludes. A step already made by the same decision is kept.
fn step(
    working: &mut BTreeMap<String, Change>,
    id: &str,
    state: ChangeState,
    decision: &Decision,
    stamp: &Stamp,
    warnings: &mut Vec<Warning>,
) -> std::result::Result<(), String> {
    let Some(change) = working.get(id) else {
        return Ok(());
    };
    let made = |c: &Change| {
        c.history
            .iter()
            .any(|s| s.state == state && s.decision.as_deref() == Some(decision.id.as_str()))
    };
    if made(change) {
        return Ok(());
    }
    let mut change = change.clone();
    if state == ChangeState::Approved && change.state() == ChangeState::Raised {
        warnings.push(Warning::general(format!(
            "change {id} was only raised here: an impact-assessment step is added before {}'s approval, as the design authority decides changes after impact assessment",
            decision.id
        )));
        change.history.push(change_step(
            ChangeState::ImpactAssessment,
            decision.date,
            None,
            Some(format!(
                "inferred: {} decided it, so it had been through impact assessment",
                decision.id
            )),
            stamp,
        ));
    }
    rules::check_transition(&change, state, decision.date, Some(decision))
        .map_err(|e| e.message)?;
    if state == ChangeState::Approved {
        let all: Vec<Change> = working.values().cloned().collect();
        let excluded: Vec<Change> = rules::excluded_by(&change, &all)
            .map_err(|e| e.message)?
            .into_iter()
            .cloned()
            .collect();
        for mut other in excluded {
            rules::check_step_date(&other, decision.date).map_err(|e| e.message)?;
            other.history.push(change_step(
                ChangeState::Rejected,
                decision.date,
                Some(&decision.id),
                Some(format!(
                    "rejected: mutually exclusive with {id}, which {} approved",
                    decision.id
                )),
                stamp,
            ));
            working.insert(other.id.clone(), other);
        }
    }
    change.history.push(change_step(
        state,
        decision.date,
        Some(&decision.id),
        None,
        stamp,
    ));
    working.insert(id.to_string(), change);
    Ok(())
}

fn plan_actions(
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
        if items.iter().any(|a| a.record.id == reported.id) {
            warnings.push(Warning::at(
                reported.line,
                format!(
                    "action {} is listed twice; the first is imported",
                    reported.id
                ),
            ));
            continue;
        }
        pattern
            .check(&reported.id)
            .map_err(|e| at_line(reported.line, e))?;
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
    conflicts.extend(
        [
            difference(&what, "text", &existing.text, &reported.text),
            difference(
                &what,
                "owner",
                &or_none(&existing.owner),
                &or_none(&reported.owner),
            ),
        ]
        .into_iter()
        .flatten(),
    );
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
    .trailer("Baseline-Command", "import report")
    .trailer("Baseline-Meeting-Recorded", &meeting.id)
    .trailers("Baseline-Decision-Recorded", new_decisions);
    tx.commit(&message)
}
