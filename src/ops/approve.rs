//! `baseline approve`: baselines a recorded draft under approving decisions.

use crate::error::Result;
use crate::model::trailers::CommitMessage;
use crate::model::{Date, Status, VersionNumber, VersionRecord, date, paths};
use crate::repo::Repo;
use crate::rules::{self, BaselineRequest};

/// A baseline to make.
pub struct ApproveOptions<'a> {
    pub artefact: &'a str,
    pub decisions: &'a [String],
    pub changes: &'a [String],
    /// The draft to promote (default: the latest).
    pub draft: Option<&'a VersionNumber>,
    pub version: Option<&'a VersionNumber>,
    pub date: Option<Date>,
    pub message: Option<&'a str>,
}

/// A baseline made: its record, the draft it promoted, and its tag.
pub struct Approved {
    pub record: VersionRecord,
    pub promoted: VersionNumber,
    pub tag: String,
}

/// Promotes a draft byte for byte to a baseline, once the rules allow it, and
/// tags it.
pub fn approve(repo: &Repo, options: &ApproveOptions<'_>) -> Result<Approved> {
    let mut tx = repo.begin(format!("approve {}", options.artefact))?;
    let snapshot = tx.snapshot();
    let config = tx.config()?;
    let artefact = snapshot.require_artefact(options.artefact)?;
    let versions = snapshot.versions(&artefact.id)?;
    let decisions = options
        .decisions
        .iter()
        .map(|id| Ok((id.clone(), snapshot.decision(id)?)))
        .collect::<Result<Vec<_>>>()?;
    let changes = options
        .changes
        .iter()
        .map(|id| Ok((id.clone(), snapshot.change(id)?)))
        .collect::<Result<Vec<_>>>()?;
    let date = options.date.unwrap_or_else(date::today);
    let plan = rules::check_baseline(&BaselineRequest {
        artefact: &artefact.id,
        versions: &versions,
        draft: options.draft,
        version: options.version,
        date,
        decisions: &decisions,
        changes: &changes,
        policy: &config.policy,
    })?;
    let draft = plan.promotes;
    let version = plan.version;
    // What is baselined is what the draft recorded: read it and check its hash.
    repo.version_content(&draft)?;
    let record = VersionRecord {
        artefact: artefact.id.clone(),
        version: version.clone(),
        status: Status::Baselined,
        date,
        recorded_by: repo.identity()?,
        recorded_at: date::now(),
        sha256: draft.sha256.clone(),
        blob: draft.blob.clone(),
        file: draft.file.clone(),
        size: draft.size,
        promotes: Some(draft.version.clone()),
        adopted: None,
        decisions: options.decisions.to_vec(),
        changes: options.changes.to_vec(),
        note: options.message.map(str::to_string),
    };
    tx.create_record(&paths::version(&artefact.id, &version), &record)?;
    let tag = paths::tag(&artefact.id, &version);
    tx.tag(&tag, record.tag_message(&artefact.title))?;
    let mut message = CommitMessage::new(format!(
        "Baseline {} v{version} ({})",
        artefact.id,
        options.decisions.join(", ")
    ))
    .line(format!(
        "Promotes draft {} of {} byte for byte.",
        draft.version, artefact.title
    ));
    if let Some(note) = options.message {
        message = message.line(note);
    }
    tx.commit(&message.version_trailers("approve", &record))?;
    Ok(Approved {
        record,
        promoted: draft.version,
        tag,
    })
}
