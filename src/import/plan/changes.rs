//! Change requests: those the report names, created where missing, and the
//! lifecycle step each decision makes, as `change set` would make it.

use std::collections::BTreeMap;

use super::{Grown, Item, Stamp, Status};
use crate::error::Result;
use crate::import::{Report, Warning};
use crate::model::{Change, ChangeKind, ChangeState, ChangeStep, Config, Date, Decision, IdKind};
use crate::repo::Snapshot;
use crate::rules;

/// Every change the decisions and actions name, created where missing, with the
/// steps the decisions make.
pub(super) fn plan_changes(
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
                    format!("change {id} was not recorded: created, with no title or affected artefacts yet; complete it with `baseline change amend {id} --title TITLE --affects ARTEFACT --reason REASON`"),
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
            let made = step(&mut working, id, *state, &decision.record, stamp);
            if made == Ok(true) {
                warnings.push(Warning::at(
                    reported.line,
                    format!(
                        "change {id} was only raised here: an impact-assessment step is added before {}'s approval, as the design authority decides changes after impact assessment",
                        decision.record.id
                    ),
                ));
            }
            if let Err(conflict) = made {
                conflicts.push(format!(
                    "  change {id} (line {}): {conflict}",
                    reported.line
                ));
            }
        }
    }
    // A change first named in this report was raised by the time of its
    // earliest step: a decision taken by correspondence may come before the
    // meeting whose report names it.
    for id in &created {
        if let Some(change) = working.get_mut(id)
            && let Some(earliest) = change.history.iter().skip(1).map(|s| s.date).min()
            && earliest < change.history[0].date
        {
            change.history[0].date = earliest;
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
        title_as_raised: format!(
            "{id} (named in the {meeting} headline report; title to be confirmed)"
        ),
        affects_as_raised: Vec::new(),
        excludes: Vec::new(),
        recorded_by: stamp.who.clone(),
        history: vec![change_step(
            ChangeState::Raised,
            date,
            None,
            Some(format!("first named in the {meeting} headline report")),
            stamp,
        )],
        amendments: Vec::new(),
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
/// True when an impact-assessment step had to be inferred first.
fn step(
    working: &mut BTreeMap<String, Change>,
    id: &str,
    state: ChangeState,
    decision: &Decision,
    stamp: &Stamp,
) -> std::result::Result<bool, String> {
    let Some(change) = working.get(id) else {
        return Ok(false);
    };
    let made = |c: &Change| {
        c.history
            .iter()
            .any(|s| s.state == state && s.decision.as_deref() == Some(decision.id.as_str()))
    };
    if made(change) {
        return Ok(false);
    }
    let mut change = change.clone();
    let inferred = state == ChangeState::Approved && change.state() == ChangeState::Raised;
    if inferred {
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
        let rejected = rules::reject_excluded(
            &change,
            &all,
            decision.date,
            Some(&decision.id),
            &stamp.who,
            stamp.at,
        )
        .map_err(|e| e.message)?;
        for other in rejected {
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
    Ok(inferred)
}
