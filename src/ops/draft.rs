//! `baseline draft`: records an artefact's working content as a new draft.

use std::path::Path;

use crate::error::Result;
use crate::model::trailers::CommitMessage;
use crate::model::{Date, Status, VersionNumber, VersionRecord, date, paths, sha256_hex};
use crate::redline::check;
use crate::repo::Repo;
use crate::rules;

/// A draft to record.
pub struct DraftOptions<'a> {
    pub artefact: &'a str,
    /// New content, as the user named it (resolved against `dir`); it replaces
    /// the working file first.
    pub file: Option<&'a Path>,
    pub message: Option<&'a str>,
    pub changes: &'a [String],
    pub date: Option<Date>,
    pub version: Option<&'a VersionNumber>,
}

/// Records the working content (or `file`) as the next draft version, refusing
/// content identical to the latest version. Returns the version record.
pub fn draft(repo: &Repo, dir: &Path, options: &DraftOptions<'_>) -> Result<VersionRecord> {
    let new_content = options
        .file
        .map(|f| crate::repo::files::read_file(&dir.join(f)))
        .transpose()?;
    let mut tx = repo.begin(format!("draft {}", options.artefact))?;
    let snapshot = tx.snapshot();
    let artefact = snapshot.require_artefact(options.artefact)?;
    let content_path = paths::content(&artefact.id, &artefact.file);
    let bytes = match new_content {
        Some(bytes) => bytes,
        None => crate::repo::files::read_file(&repo.root().join(&content_path))?,
    };
    let shown = options
        .file
        .map_or(content_path.clone(), |f| f.display().to_string());
    check::check_for(&artefact, &shown, &bytes)?;
    let sha256 = sha256_hex(&bytes);
    let versions = snapshot.versions(&artefact.id)?;
    rules::check_draft_changed(&artefact.id, &versions, &sha256)?;
    let date = options.date.unwrap_or_else(date::today);
    rules::check_date_order(&artefact.id, &versions, date)?;
    let changes = options
        .changes
        .iter()
        .map(|id| Ok((id.clone(), snapshot.change(id)?)))
        .collect::<Result<Vec<_>>>()?;
    rules::check_cited_changes(&artefact.id, &changes)?;
    let version = rules::new_version_number(
        &artefact.id,
        &versions,
        options.version,
        VersionNumber::next_minor,
    )?;

    let blob = tx.write(&content_path, &bytes)?;
    let record = VersionRecord {
        artefact: artefact.id.clone(),
        version: version.clone(),
        status: Status::Draft,
        date,
        recorded_by: repo.identity()?,
        recorded_at: date::now(),
        sha256: sha256.clone(),
        blob: blob.to_string(),
        file: artefact.file.clone(),
        size: bytes.len() as u64,
        promotes: None,
        decisions: Vec::new(),
        changes: options.changes.to_vec(),
        note: options.message.map(str::to_string),
    };
    tx.create_record(&paths::version(&artefact.id, &version), &record)?;
    let mut message = CommitMessage::new(format!("Draft {} v{version}", artefact.id));
    if let Some(note) = options.message {
        message = message.line(note);
    }
    tx.commit(&message.version_trailers("draft", &record))?;
    Ok(record)
}
