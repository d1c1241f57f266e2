use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::Result;
use crate::ops::add::{AddOptions, add};
use crate::repo::Repo;

/// Register a design artefact and its working content.
///
/// Copies FILE into artefacts/ID/ as the artefact's working content and records
/// what the artefact is. No version is recorded: run `baseline draft ID` for that.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The artefact's id, e.g. DES196.
    pub id: String,
    /// The working content: a .md, .txt, .csv, .tsv, .yaml, .json, .docx, .xlsx,
    /// .xlsm, .ods or .pdf file, whose content must be what its name says.
    pub file: PathBuf,
    /// The artefact's title, e.g. "D-Flow and Interface Mapping".
    #[arg(long)]
    pub title: String,
    /// What sort of artefact it is (default: "table" for CSV/TSV, "workbook" for
    /// XLSX/XLSM/ODS, else "document").
    #[arg(long)]
    pub kind: Option<String>,
    /// Who owns it, e.g. "Programme (Design)".
    #[arg(long)]
    pub owner: Option<String>,
    /// The column that identifies a row: for a CSV/TSV table, e.g. "D-Flow"; for
    /// a workbook, a column of every sheet, or "Sheet=Column" for one sheet
    /// (several joined with ";", e.g. "Interfaces=Interface ID;Flows=D-Flow").
    #[arg(long, value_name = "COLUMN")]
    pub key: Option<String>,
}

pub fn run(repo: &Repo, dir: &Path, args: Args) -> Result<()> {
    let artefact = add(
        repo,
        dir,
        &AddOptions {
            id: &args.id,
            file: &args.file,
            title: &args.title,
            kind: args.kind.as_deref(),
            owner: args.owner.as_deref(),
            key: args.key.as_deref(),
        },
    )?;
    writeln!(
        super::output::stdout(),
        "Registered {} \"{}\" ({}, working content {})",
        artefact.id,
        super::output::shown(&artefact.title),
        super::output::shown(&artefact.kind),
        crate::model::paths::content(&artefact.id, &artefact.file)
    )?;
    Ok(())
}
