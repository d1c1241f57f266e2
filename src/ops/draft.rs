//! `baseline draft`: records an artefact's working content as a new draft.

use std::io::{Cursor, Read, Seek};
use std::path::Path;

use crate::error::{Error, Result};
use crate::model::trailers::CommitMessage;
use crate::model::{Artefact, Date, Status, VersionNumber, VersionRecord, date, paths};
use crate::redline::scan::Scan;
use crate::redline::{check, package};
use crate::repo::Repo;
use crate::repo::files::Document;
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
    /// Record a package whose content is the latest version's (only its
    /// packaging or metadata differ).
    pub allow_same_content: bool,
}

/// Records the working content (or `file`) as the next draft version, refusing
/// content identical to the latest version. Returns the version record.
pub fn draft(repo: &Repo, dir: &Path, options: &DraftOptions<'_>) -> Result<VersionRecord> {
    let new_content = options
        .file
        .map(|f| Document::open(&dir.join(f)))
        .transpose()?;
    let mut tx = repo.begin(format!("draft {}", options.artefact))?;
    let snapshot = tx.snapshot();
    let artefact = snapshot.require_artefact(options.artefact)?;
    let content_path = paths::content(&artefact.id, &artefact.file);
    let mut document = match new_content {
        Some(document) => document,
        None => crate::repo::files::open_working(repo.root(), &content_path)?,
    };
    let shown = options
        .file
        .map_or(content_path.clone(), |f| f.display().to_string());
    let mut scan = Scan::new(artefact.format);
    let stored = document.store(repo, |piece| scan.feed(piece))?;
    check::check_for(&artefact, &shown, scan, document.file())?;
    let versions = snapshot.versions(&artefact.id)?;
    rules::check_draft_changed(&artefact.id, &versions, &stored.sha256)?;
    if !options.allow_same_content {
        refuse_same_content(repo, &artefact, versions.last(), document.file())?;
    }
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

    tx.stage_document(&content_path, stored.blob, document.path());
    let record = VersionRecord {
        artefact: artefact.id.clone(),
        version: version.clone(),
        status: Status::Draft,
        date,
        recorded_by: repo.identity()?,
        recorded_at: date::now(),
        sha256: stored.sha256,
        blob: stored.blob.to_string(),
        file: artefact.file.clone(),
        size: stored.size,
        promotes: None,
        adopted: None,
        decisions: Vec::new(),
        changes: options.changes.to_vec(),
        note: options.message.map(str::to_string),
        signed_by: None,
    };
    tx.create_record(&paths::version(&artefact.id, &version), &record)?;
    let mut message = CommitMessage::new(format!("Draft {} v{version}", artefact.id));
    if let Some(note) = options.message {
        message = message.line(note);
    }
    tx.commit(&message.version_trailers("draft", &record))?;
    Ok(record)
}

/// Refuses a package (Word, Excel, OpenDocument) whose content is the latest
/// version's, saved again: only its zip bytes or document properties differ.
fn refuse_same_content(
    repo: &Repo,
    artefact: &Artefact,
    latest: Option<&VersionRecord>,
    content: &mut (impl Read + Seek),
) -> Result<()> {
    let Some(latest) = latest else {
        return Ok(());
    };
    let Some(new) = package::content_digest(artefact.format, content) else {
        return Ok(());
    };
    let old = package::content_digest(
        artefact.format,
        &mut Cursor::new(repo.version_content(latest)?),
    );
    if old.as_deref() != Some(new.as_str()) {
        return Ok(());
    }
    Err(Error::refused(
        format!(
            "nothing changed in {}'s content: {} differs from version {} only in its packaging or metadata (the zip file, document properties such as when it was saved)",
            artefact.id,
            paths::content(&artefact.id, &artefact.file),
            latest.version
        ),
        format!(
            "edit the document before recording a draft, or record it as it is with `baseline draft {} --allow-same-content`",
            artefact.id
        ),
    ))
}
