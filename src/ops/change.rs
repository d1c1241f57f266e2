//! `baseline change add`, `change set` and `change amend`: raises a change
//! request (or DIN), moves it through its lifecycle, and corrects its title or
//! affected artefacts by appending an amendment.

use crate::error::{Error, Result};
use crate::model::trailers::{self, CommitMessage};
use crate::model::{
    Amendment, Change, ChangeKind, ChangeState, ChangeStep, Date, IdKind, date, paths,
};
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
        title_as_raised: new.title.trim().to_string(),
        affects_as_raised: new.affects.to_vec(),
        excludes: new.excludes.to_vec(),
        recorded_by: who.clone(),
        history: vec![step(ChangeState::Raised, date, None, None, None, &who)],
        amendments: Vec::new(),
    };
    tx.create_record(&paths::change(&change.id), &change)?;
    tx.commit(
        &CommitMessage::new(format!(
            "Raise {} {}: {}",
            change.kind,
            change.id,
            change.title()
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

/// A correction of a change's title or affected artefacts.
pub struct Amend<'a> {
    pub id: &'a str,
    pub title: Option<&'a str>,
    /// The artefacts it affects from now on; empty leaves them as they are.
    pub affects: &'a [String],
    pub reason: Option<&'a str>,
    pub date: Option<Date>,
}

/// Appends an amendment to a change; returns the change as it now stands.
pub fn amend(repo: &Repo, wanted: &Amend<'_>) -> Result<Change> {
    if let Some(title) = wanted.title {
        rules::check_one_line("title", title)?;
    }
    if let Some(reason) = wanted.reason {
        rules::check_one_line("reason", reason)?;
    }
    let mut tx = repo.begin(format!("change amend {}", wanted.id))?;
    let snapshot = tx.snapshot();
    let mut change = snapshot.require_change(wanted.id)?;
    for artefact in wanted.affects {
        snapshot.require_artefact(artefact)?;
    }
    let title = wanted.title.map(str::trim).filter(|t| *t != change.title());
    let affects = Some(wanted.affects)
        .filter(|a| !a.is_empty() && *a != change.affects())
        .map(<[String]>::to_vec);
    if title.is_none() && affects.is_none() {
        return Err(Error::usage(
            format!(
                "amending {} changes nothing: its title and affected artefacts are already those",
                change.id
            ),
            "give --title or --affects with the values it should have",
        ));
    }
    let amendment = Amendment {
        title: title.map(str::to_string),
        affects,
        reason: wanted.reason.map(|r| r.trim().to_string()),
        date: wanted.date.unwrap_or_else(date::today),
        recorded_by: repo.identity()?,
        recorded_at: date::now(),
    };
    change.amendments.push(amendment);
    tx.append_record(&paths::change(&change.id), &change)?;
    let mut message = CommitMessage::new(format!(
        "Amend {} {}: {}",
        change.kind,
        change.id,
        change.title()
    ));
    if let Some(reason) = wanted.reason {
        message = message.line(format!("Reason: {}", reason.trim()));
    }
    tx.commit(
        &message
            .trailer(trailers::COMMAND, "change amend")
            .trailer(trailers::CHANGE_AMENDED, &change.id)
            .trailer(trailers::CHANGE, &change.id),
    )?;
    Ok(change)
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
