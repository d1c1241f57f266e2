//! `baseline decision add`, `decision correct` and `decision supersede`: records
//! a decision of the design authority, and corrects it later without editing its
//! record: each correction is a record of its own, `corrections/<id>/<n>.toml`.

use crate::error::{Error, Result};
use crate::model::trailers::{self, CommitMessage};
use crate::model::{Correction, Date, Decision, IdKind, Outcome, date, paths};
use crate::repo::Repo;
use crate::repo::Snapshot;
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
        relates_to: Vec::new(),
        votes: None,
        recorded_by: repo.identity()?,
        recorded_at: date::now(),
        corrections: Vec::new(),
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

/// A correction of a decision's text, artefacts or changes.
pub struct Correct<'a> {
    pub id: &'a str,
    pub text: Option<&'a str>,
    /// The artefacts it approves from now on; empty leaves them as they are.
    pub artefacts: &'a [String],
    /// The changes it decides from now on; empty leaves them as they are.
    pub changes: &'a [String],
    pub reason: &'a str,
    pub date: Option<Date>,
}

/// Records a correction of a decision; returns the decision as it now stands.
pub fn correct(repo: &Repo, wanted: &Correct<'_>) -> Result<Decision> {
    rules::check_one_line("reason", wanted.reason)?;
    let mut tx = repo.begin(format!("decision correct {}", wanted.id))?;
    let snapshot = tx.snapshot();
    let decision = snapshot.require_decision(wanted.id)?;
    for artefact in wanted.artefacts {
        snapshot.require_artefact(artefact)?;
    }
    for change in wanted.changes {
        snapshot.require_change(change)?;
    }
    let text = wanted
        .text
        .map(str::trim)
        .filter(|t| *t != decision.text)
        .map(str::to_string);
    if text.as_deref() == Some("") {
        return Err(Error::usage(
            "--text is empty",
            "give the decision's text as it should read",
        ));
    }
    let replaced = |wanted: &[String], now: &[String]| {
        Some(wanted)
            .filter(|w| !w.is_empty() && *w != now)
            .map(<[String]>::to_vec)
    };
    let artefacts = replaced(wanted.artefacts, &decision.artefacts);
    let changes = replaced(wanted.changes, &decision.changes);
    if text.is_none() && artefacts.is_none() && changes.is_none() {
        return Err(Error::usage(
            format!(
                "correcting {} changes nothing: it already says that",
                decision.id
            ),
            "give --text, --artefact or --change with what the decision should say",
        ));
    }
    let correction = Correction {
        decision: decision.id.clone(),
        number: next_number(&decision),
        date: wanted.date.unwrap_or_else(date::today),
        reason: wanted.reason.trim().to_string(),
        text,
        artefacts,
        changes,
        superseded_by: None,
        recorded_by: repo.identity()?,
        recorded_at: date::now(),
    };
    let subject = format!(
        "Correct decision {} ({})",
        decision.id,
        corrected_parts(&correction)
    );
    tx.create_record(
        &paths::correction(&decision.id, correction.number),
        &correction,
    )?;
    tx.commit(&correction_message(
        "decision correct",
        subject,
        &correction,
    ))?;
    Ok(decision.corrected_by(correction))
}

/// Records that decision `old` was superseded by `by`; returns `old` as it now stands.
pub fn supersede(
    repo: &Repo,
    old: &str,
    by: &str,
    reason: Option<&str>,
    date: Option<Date>,
) -> Result<Decision> {
    if let Some(reason) = reason {
        rules::check_one_line("reason", reason)?;
    }
    if old == by {
        return Err(Error::usage(
            format!("decision {old} cannot supersede itself"),
            "name the newer decision with --by",
        ));
    }
    let mut tx = repo.begin(format!("decision supersede {old}"))?;
    let snapshot = tx.snapshot();
    let decision = snapshot.require_decision(old)?;
    let newer = snapshot.require_decision(by)?;
    if let Some(already) = decision.superseded_by() {
        return Err(Error::refused(
            format!("decision {old} was already superseded by {already}"),
            format!(
                "supersede {already} instead: `baseline decision supersede {already} --by {by}`"
            ),
        ));
    }
    refuse_loop(snapshot, old, &newer)?;
    let correction = Correction {
        decision: decision.id.clone(),
        number: next_number(&decision),
        date: date.unwrap_or(newer.date),
        reason: reason.map_or_else(|| format!("superseded by {by}"), |r| r.trim().to_string()),
        text: None,
        artefacts: None,
        changes: None,
        superseded_by: Some(newer.id.clone()),
        recorded_by: repo.identity()?,
        recorded_at: date::now(),
    };
    let subject = format!("Decision {old} superseded by {by}");
    tx.create_record(&paths::correction(old, correction.number), &correction)?;
    tx.commit(
        &correction_message("decision supersede", subject, &correction)
            .trailer(trailers::SUPERSEDED_BY, by),
    )?;
    Ok(decision.corrected_by(correction))
}

/// Refuses a supersession that would close a loop: `newer`, or a decision that
/// superseded it in turn, is `old`.
fn refuse_loop(snapshot: &Snapshot<'_>, old: &str, newer: &Decision) -> Result<()> {
    let mut chain = vec![newer.id.clone()];
    let mut next = newer.superseded_by().map(str::to_string);
    while let Some(id) = next {
        chain.push(id.clone());
        if id == old || chain[..chain.len() - 1].contains(&id) {
            return Err(Error::refused(
                format!(
                    "superseding {old} by {} would make a loop: {old} → {}",
                    newer.id,
                    chain.join(" → ")
                ),
                format!("supersede {old} by the newest decision in force, not one it led to"),
            ));
        }
        next = snapshot
            .decision(&id)?
            .and_then(|d| d.superseded_by().map(str::to_string));
    }
    Ok(())
}

/// The number the next correction of `decision` takes.
fn next_number(decision: &Decision) -> u32 {
    decision
        .corrections
        .iter()
        .map(|c| c.number)
        .max()
        .unwrap_or(0)
        + 1
}

/// What a correction replaces, in words: "artefacts, text".
fn corrected_parts(correction: &Correction) -> String {
    let parts = [
        ("text", correction.text.is_some()),
        ("artefacts", correction.artefacts.is_some()),
        ("changes", correction.changes.is_some()),
    ];
    let named: Vec<&str> = parts
        .iter()
        .filter(|(_, set)| *set)
        .map(|(name, _)| *name)
        .collect();
    named.join(", ")
}

fn correction_message(command: &str, subject: String, correction: &Correction) -> CommitMessage {
    CommitMessage::new(subject)
        .line(format!("Reason: {}", correction.reason))
        .trailer(trailers::COMMAND, command)
        .trailer(
            trailers::DECISION_CORRECTED,
            format!("{}/{}", correction.decision, correction.number),
        )
        .trailer(trailers::DECISION, &correction.decision)
        .trailers(trailers::ARTEFACT, correction.artefacts.iter().flatten())
        .trailers(trailers::CHANGE, correction.changes.iter().flatten())
}
