use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::model::trailers::{self, CommitMessage};
use crate::model::{Artefact, IdKind, date, id, paths};
use crate::repo::Repo;

/// Register a design artefact and its working content.
///
/// Copies FILE into artefacts/ID/ as the artefact's working content and records
/// what the artefact is. No version is recorded: run `baseline draft ID` for that.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The artefact's id, e.g. DES196.
    pub id: String,
    /// The working content: a .md, .txt, .csv or .tsv file.
    pub file: PathBuf,
    /// The artefact's title, e.g. "D-Flow and Interface Mapping".
    #[arg(long)]
    pub title: String,
    /// What sort of artefact it is (default: "table" for CSV/TSV, else "document").
    #[arg(long)]
    pub kind: Option<String>,
    /// Who owns it, e.g. "Programme (Design)".
    #[arg(long)]
    pub owner: Option<String>,
    /// For a CSV/TSV table: the column that identifies a row, e.g. "D-Flow".
    #[arg(long, value_name = "COLUMN")]
    pub key: Option<String>,
}

pub fn run(repo: &Repo, dir: &Path, args: Args) -> Result<()> {
    let source = dir.join(&args.file);
    let file_name = file_name_of(&args.file)?;
    let format = crate::redline::check::format_of(&file_name)?;
    if args.key.is_some() && !format.is_table() {
        return Err(Error::usage(
            format!("--key applies to CSV and TSV tables, and {file_name} is not one"),
            "leave out --key, or register the table's .csv or .tsv file",
        ));
    }
    crate::rules::check_one_line("title", &args.title)?;
    for (what, value) in [("kind", &args.kind), ("owner", &args.owner)] {
        if let Some(value) = value {
            crate::rules::check_one_line(what, value)?;
        }
    }
    let bytes = crate::repo::files::read_file(&source)?;
    crate::redline::check::check(&file_name, format, args.key.as_deref(), &bytes)?;

    let mut tx = repo.begin(format!("add {}", args.id))?;
    let config = tx.config()?;
    config.pattern(IdKind::Artefact)?.check(&args.id)?;
    let existing = tx.snapshot().artefact_ids()?;
    if let Some(same) = existing.iter().find(|e| e.eq_ignore_ascii_case(&args.id)) {
        return Err(Error::refused(
            format!("artefact {same} is already registered"),
            format!(
                "artefact ids are unique (ignoring case); record a new version with `baseline draft {same}`"
            ),
        ));
    }
    let artefact = Artefact {
        id: args.id.clone(),
        title: args.title.trim().to_string(),
        kind: args.kind.unwrap_or_else(|| {
            if format.is_table() {
                "table"
            } else {
                "document"
            }
            .to_string()
        }),
        owner: args.owner,
        file: file_name.clone(),
        format,
        key: args.key,
        registered: date::today(),
        registered_by: repo.identity()?,
    };
    tx.create_record(&paths::artefact(&artefact.id), &artefact)?;
    tx.write(&paths::content(&artefact.id, &file_name), &bytes)?;
    tx.commit(
        &CommitMessage::new(format!("Register {} {}", artefact.id, artefact.title))
            .trailer(trailers::COMMAND, "add")
            .trailer(trailers::REGISTERED, &artefact.id),
    )?;
    writeln!(
        super::output::stdout(),
        "Registered {} \"{}\" ({}, working content artefacts/{}/{})",
        artefact.id,
        artefact.title,
        artefact.kind,
        artefact.id,
        file_name
    )?;
    Ok(())
}

/// The file's own name, which must be safe to keep inside the artefact's folder.
fn file_name_of(path: &Path) -> Result<String> {
    let name = path.file_name().and_then(|n| n.to_str()).ok_or_else(|| {
        Error::usage(
            format!("{} has no usable file name", path.display()),
            "name a document file",
        )
    })?;
    id::check_safe(IdKind::Artefact, name).map_err(|err| {
        Error::refused(
            format!(
                "the file name \"{}\" cannot be kept in the repository: {}",
                name.escape_debug(),
                err.message
            ),
            "rename the file to letters, digits, '-', '_' and '.', e.g. des196.csv",
        )
    })?;
    if name == "artefact.toml" || name == "versions" {
        return Err(Error::refused(
            format!("the file name \"{name}\" is reserved for baseline's own records"),
            "rename the document file",
        ));
    }
    Ok(name.to_string())
}
