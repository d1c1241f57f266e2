use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::Result;
use crate::model::trailers::{self, CommitMessage};
use crate::model::{Date, Status, VersionNumber, VersionRecord, date, paths};
use crate::repo::Repo;
use crate::rules;

use super::output::{paint, short_sha};
use super::style;

/// Record the working content of an artefact as a new draft version.
///
/// Takes artefacts/ID/<file> as it is now (or FILE, which first replaces it) and
/// records it as the next minor version (0.1, 0.2 … 1.1). Content identical to the
/// latest version is refused: nothing changed.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The artefact's id.
    pub id: String,
    /// New content to record; it replaces the working file first.
    pub file: Option<PathBuf>,
    /// What changed in this draft, kept as the version's note.
    #[arg(short, long, value_name = "MESSAGE")]
    pub message: Option<String>,
    /// A change request this draft implements (repeatable).
    #[arg(long = "change", value_name = "CR")]
    pub changes: Vec<String>,
    /// The draft's date, YYYY-MM-DD (default: today).
    #[arg(long, value_parser = date::date_arg)]
    pub date: Option<Date>,
    /// The version number to record, if not the next minor; must be higher than every recorded one.
    #[arg(long)]
    pub version: Option<VersionNumber>,
}

pub fn run(repo: &Repo, dir: &Path, args: Args) -> Result<()> {
    let new_content = args
        .file
        .as_ref()
        .map(|f| crate::repo::files::read_file(&dir.join(f)))
        .transpose()?;
    let mut tx = repo.begin(format!("draft {}", args.id))?;
    let snapshot = tx.snapshot();
    let artefact = snapshot.require_artefact(&args.id)?;
    let content_path = paths::content(&artefact.id, &artefact.file);
    let bytes = match new_content {
        Some(bytes) => bytes,
        None => crate::repo::files::read_file(&repo.root().join(&content_path))?,
    };
    let shown = args
        .file
        .as_ref()
        .map_or(content_path.clone(), |f| f.display().to_string());
    crate::redline::check::check_for(&artefact, &shown, &bytes)?;
    let sha256 = crate::model::sha256_hex(&bytes);
    let versions = snapshot.versions(&artefact.id)?;
    rules::check_draft_changed(&artefact.id, &versions, &sha256)?;
    let date = args.date.unwrap_or_else(date::today);
    rules::check_date_order(&artefact.id, &versions, date)?;
    let changes = args
        .changes
        .iter()
        .map(|id| Ok((id.clone(), snapshot.change(id)?)))
        .collect::<Result<Vec<_>>>()?;
    rules::check_cited_changes(&artefact.id, &changes)?;
    let version = rules::new_version_number(
        &artefact.id,
        &versions,
        args.version.as_ref(),
        VersionNumber::next_minor,
    )?;

    let blob = tx.write(&content_path, &bytes)?;
    let record = VersionRecord {
        artefact: artefact.id.clone(),
        version: version.clone(),
        status: Status::Draft,
        date,
        recorded_by: repo.identity()?,
        recorded_at: crate::model::date::now(),
        sha256: sha256.clone(),
        blob: blob.to_string(),
        file: artefact.file.clone(),
        size: bytes.len() as u64,
        promotes: None,
        decisions: Vec::new(),
        changes: args.changes.clone(),
        note: args.message.clone(),
    };
    tx.create_record(&paths::version(&artefact.id, &version), &record)?;
    let mut message = CommitMessage::new(format!("Draft {} v{version}", artefact.id));
    if let Some(note) = &args.message {
        message = message.line(note.clone());
    }
    tx.commit(
        &message
            .trailer(trailers::COMMAND, "draft")
            .trailer(trailers::ARTEFACT, &artefact.id)
            .trailer(trailers::VERSION, &version)
            .trailer(trailers::STATUS, "draft")
            .trailer(trailers::SHA256, &sha256)
            .trailers(trailers::CHANGE, &args.changes),
    )?;
    writeln!(
        super::output::stdout(),
        "Recorded {} {} ({}), {} bytes, sha256 {}",
        artefact.id,
        paint(&version, style::HEADING),
        paint("draft", style::DRAFT),
        bytes.len(),
        short_sha(&sha256)
    )?;
    Ok(())
}
