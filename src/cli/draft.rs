use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::Result;
use crate::model::{Date, VersionNumber};
use crate::ops::draft::{DraftOptions, draft};
use crate::repo::Repo;

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
    #[arg(long, value_parser = super::values::date)]
    pub date: Option<Date>,
    /// The version number to record, if not the next minor; must be higher than every recorded one.
    #[arg(long)]
    pub version: Option<VersionNumber>,
    /// Record a Word, Excel or OpenDocument file whose content is the latest
    /// version's (saved again: only its packaging or metadata differ).
    #[arg(long)]
    pub allow_same_content: bool,
}

pub fn run(repo: &Repo, dir: &Path, args: Args) -> Result<()> {
    let record = draft(
        repo,
        dir,
        &DraftOptions {
            artefact: &args.id,
            file: args.file.as_deref(),
            message: args.message.as_deref(),
            changes: &args.changes,
            date: args.date,
            version: args.version.as_ref(),
            allow_same_content: args.allow_same_content,
        },
    )?;
    writeln!(
        super::output::stdout(),
        "Recorded {} {} ({}), {} bytes, sha256 {}",
        record.artefact,
        paint(&record.version, style::HEADING),
        paint("draft", style::DRAFT),
        record.size,
        short_sha(&record.sha256)
    )?;
    Ok(())
}
