//! `baseline change add` and `change set`: raises a change request (or DIN) and
//! moves it through its lifecycle.

use crate::error::{Error, Result};
use crate::model::trailers::{self, CommitMessage};
use crate::model::{Change, ChangeKind, ChangeState, ChangeStep, Date, IdKind, date, paths};
use crate::repo::Repo;
use crate::rules;

/// A change to raise.
pub struct NewChange<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub affects: &'a [String],
    pub kind: ChangeKind,
    pub excludes: &'a [String],
    pub date: Option<Date>,
}

/// Raises a change; returns it as recorded.
pub fn add(repo: &Repo, new: &NewChange<'_>) -> Result<Change> {
    rules::check_one_line("title", new.title)?;
    let mut tx = repo.begin(format!("change add {}", new.id))?;
    tx.config()?.pattern(IdKind::Change)?.check(new.id)?;
    let snapshot = tx.snapshot();
    snapshot.refuse_case_clash("change", paths::CHANGES, new.id)?;
    if snapshot.change(new.id)?.is_some() {
        return Err(Error::refused(
            format!("change {} is already recorded", new.id),
            format!("move it on with `baseline change set {} STATE`", new.id),
        ));
    }
    for artefact in new.affects {
        snapshot.require_artefact(artefact)?;
    }
    for other in new.excludes {
        if other == new.id {
            return Err(Error::usage(
                format!("{} cannot exclude itself", new.id),
                "name the other change",
            ));
        }
        snapshot.require_change(other)?;
    }
    let date = new.date.unwrap_or_else(date::today);
    let who = repo.identity()?;
    let change = Change {
        id: new.id.to_string(),
        kind: new.kind,
        title: new.title.trim().to_string(),
        affects: new.affects.to_vec(),
        excludes: new.excludes.to_vec(),
        recorded_by: who.clone(),
        history: vec![step(ChangeState::Raised, date, None, None, None, &who)],
    };
    tx.create_record(&paths::change(&change.id), &change)?;
    tx.commit(
        &CommitMessage::new(format!(
            "Raise {} {}: {}",
            change.kind, change.id, change.title
        ))
        .trailer(trailers::COMMAND, "change add")
        .trailer(trailers::CHANGE_RECORDED, &change.id),
    )?;
    Ok(change)
}

/// A step in a change's lifecycle.
pub struct Step<'a> {
    pub id: &'a str,
    pub state: ChangeState,
    pub decision: Option<&'a str>,
    pub date: Option<Date>,
    pub release: Option<&'a str>,
    pub note: Option<&'a str>,
}

/// A change moved on: the change, the step it took, and the changes its
/// approval rejected (those it excludes).
pub struct Moved {
    pub change: Change,
    pub step: ChangeStep,
    pub rejected: Vec<Change>,
}

/// Moves a change to a new state, where its lifecycle allows it.
pub fn set(repo: &Repo, wanted: &Step<'_>) -> Result<Moved> {
    let mut tx = repo.begin(format!("change set {} {}", wanted.id, wanted.state))?;
    let snapshot = tx.snapshot();
    let mut change = snapshot.require_change(wanted.id)?;
    let decision = wanted
        .decision
        .map(|id| snapshot.require_decision(id))
        .transpose()?;
    let date = wanted.date.unwrap_or_else(date::today);
    rules::check_transition(&change, wanted.state, date, decision.as_ref())?;
    let who = repo.identity()?;
    let rejected = if wanted.state == ChangeState::Approved {
        rules::reject_excluded(
            &change,
            &snapshot.changes()?,
            date,
            wanted.decision,
            &who,
            date::now(),
        )?
    } else {
        Vec::new()
    };
    let new_step = step(
        wanted.state,
        date,
        wanted.decision.map(str::to_string),
        wanted.release.map(str::to_string),
        wanted.note.map(str::to_string),
        &who,
    );
    change.history.push(new_step.clone());
    tx.append_record(&paths::change(&change.id), &change)?;
    for other in &rejected {
        tx.append_record(&paths::change(&other.id), other)?;
    }
    let by = wanted
        .decision
        .map(|d| format!(" by {d}"))
        .unwrap_or_default();
    let mut subject = format!("{} {}{by}", change.id, wanted.state);
    if !rejected.is_empty() {
        let ids: Vec<&str> = rejected.iter().map(|c| c.id.as_str()).collect();
        subject.push_str(&format!("; {} rejected", ids.join(", ")));
    }
    tx.commit(
        &CommitMessage::new(subject)
            .trailer(trailers::COMMAND, "change set")
            .trailer(
                trailers::CHANGE_STEP,
                format!("{} {}", change.id, wanted.state),
            )
            .trailers(
                trailers::CHANGE_STEP,
                rejected.iter().map(|c| format!("{} rejected", c.id)),
            )
            .trailers(trailers::DECISION, wanted.decision),
    )?;
    Ok(Moved {
        change,
        step: new_step,
        rejected,
    })
}

fn step(
    state: ChangeState,
    date: Date,
    decision: Option<String>,
    release: Option<String>,
    note: Option<String>,
    who: &str,
) -> ChangeStep {
    ChangeStep {
        state,
        date,
        decision,
        release,
        note,
        recorded_by: who.to_string(),
        recorded_at: date::now(),
    }
}
