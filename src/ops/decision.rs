//! `baseline decision add`: records a decision of the design authority.

use crate::error::{Error, Result};
use crate::model::trailers::{self, CommitMessage};
use crate::model::{Date, Decision, IdKind, Outcome, date, paths};
use crate::repo::Repo;
use crate::rules;

/// A decision to record.
pub struct NewDecision<'a> {
    pub id: &'a str,
    pub date: Date,
    pub outcome: Outcome,
    pub text: &'a str,
    pub meeting: Option<&'a str>,
    pub authority: Option<&'a str>,
    pub area: Option<&'a str>,
    pub artefacts: &'a [String],
    pub changes: &'a [String],
}

/// Records a decision, once; returns it as recorded.
pub fn add(repo: &Repo, new: &NewDecision<'_>) -> Result<Decision> {
    if new.text.trim().is_empty() {
        return Err(Error::usage(
            "--text is empty",
            "give the decision's text as minuted",
        ));
    }
    if let Some(authority) = new.authority {
        rules::check_one_line("authority", authority)?;
    }
    if let Some(area) = new.area {
        rules::check_one_line("area", area)?;
    }
    let mut tx = repo.begin(format!("decision add {}", new.id))?;
    let config = tx.config()?;
    config.pattern(IdKind::Decision)?.check(new.id)?;
    if let Some(meeting) = new.meeting {
        config.pattern(IdKind::Meeting)?.check(meeting)?;
    }
    let snapshot = tx.snapshot();
    snapshot.refuse_case_clash("decision", paths::DECISIONS, new.id)?;
    if snapshot.decision(new.id)?.is_some() {
        return Err(Error::refused(
            format!("decision {} is already recorded", new.id),
            "decisions are never edited; record a new decision that supersedes it",
        ));
    }
    for artefact in new.artefacts {
        snapshot.require_artefact(artefact)?;
    }
    for change in new.changes {
        snapshot.require_change(change)?;
    }
    let decision = Decision {
        id: new.id.to_string(),
        date: new.date,
        outcome: new.outcome,
        text: new.text.trim().to_string(),
        meeting: new.meeting.map(str::to_string),
        area: new.area.map(str::to_string),
        authority: new.authority.map(str::to_string),
        artefacts: new.artefacts.to_vec(),
        changes: new.changes.to_vec(),
        recorded_by: repo.identity()?,
        recorded_at: date::now(),
    };
    tx.create_record(&paths::decision(&decision.id), &decision)?;
    tx.commit(
        &CommitMessage::new(format!(
            "Record decision {} ({})",
            decision.id, decision.outcome
        ))
        .line(decision.text.clone())
        .trailer(trailers::COMMAND, "decision add")
        .trailer(trailers::DECISION_RECORDED, &decision.id),
    )?;
    Ok(decision)
}
