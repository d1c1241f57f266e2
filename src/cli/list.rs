use std::io::Write;

use serde::Serialize;

use crate::error::Result;
use crate::model::{Date, Format as ContentFormat, Status, VersionNumber, VersionRecord};
use crate::repo::Repo;

use super::output::{Format, FormatArg, Table, cell, clip, or_dash, print_json, stdout};
use super::style;

/// The register: every artefact, its current baseline and any pending draft.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub format: FormatArg,
}

/// One row of the register (the JSON shape of `baseline list --format json`).
#[derive(Debug, Serialize)]
pub struct RegisterEntry {
    pub id: String,
    pub title: String,
    pub kind: String,
    pub owner: Option<String>,
    pub file: String,
    pub format: ContentFormat,
    pub baseline: Option<VersionSummary>,
    /// The latest recorded version when it is a draft newer than the baseline.
    pub pending_draft: Option<VersionSummary>,
    /// Changes affecting the artefact that are not yet approved, rejected or withdrawn.
    pub open_changes: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct VersionSummary {
    pub version: VersionNumber,
    pub status: Status,
    pub date: Date,
    pub sha256: String,
    pub decisions: Vec<String>,
    pub changes: Vec<String>,
}

impl From<VersionRecord> for VersionSummary {
    fn from(v: VersionRecord) -> Self {
        Self {
            version: v.version,
            status: v.status,
            date: v.date,
            sha256: v.sha256,
            decisions: v.decisions,
            changes: v.changes,
        }
    }
}

pub fn run(repo: &Repo, args: Args) -> Result<()> {
    let snapshot = repo.snapshot()?;
    let changes = snapshot.changes()?;
    let mut register = Vec::new();
    for summary in crate::repo::register::summaries(&snapshot)? {
        let artefact = summary.artefact;
        let id = artefact.id.clone();
        let baseline = summary.baseline;
        let pending_draft = summary.latest.filter(|v| v.status == Status::Draft);
        register.push(RegisterEntry {
            open_changes: changes
                .iter()
                .filter(|c| !c.state().is_closed() && c.affects_artefact(&id))
                .map(|c| c.id.clone())
                .collect(),
            id: artefact.id,
            title: artefact.title,
            kind: artefact.kind,
            owner: artefact.owner,
            file: artefact.file,
            format: artefact.format,
            baseline: baseline.map(VersionSummary::from),
            pending_draft: pending_draft.map(VersionSummary::from),
        });
    }
    if args.format.format == Format::Json {
        return print_json(&register);
    }
    let config = snapshot.config()?;
    let mut out = stdout();
    writeln!(
        out,
        "{} design register — {} artefacts\n",
        config.programme,
        register.len()
    )?;
    let mut table = Table::new(vec![
        "ARTEFACT",
        "TITLE",
        "BASELINE",
        "DATE",
        "DECISIONS",
        "DRAFT",
        "OPEN CHANGES",
    ]);
    for entry in &register {
        let baseline = entry.baseline.as_ref();
        table.row(vec![
            (entry.id.clone(), style::HEADING),
            cell(clip(&entry.title, 40)),
            baseline.map_or_else(
                || ("—".to_string(), style::DIM),
                |b| (b.version.to_string(), style::BASELINED),
            ),
            cell(baseline.map_or("—".to_string(), |b| b.date.to_string())),
            cell(baseline.map_or("—".to_string(), |b| or_dash(&b.decisions))),
            entry.pending_draft.as_ref().map_or_else(
                || ("—".to_string(), style::DIM),
                |d| (d.version.to_string(), style::DRAFT),
            ),
            cell(or_dash(&entry.open_changes)),
        ]);
    }
    if table.is_empty() {
        writeln!(
            out,
            "No artefacts are registered yet: `baseline add ID --title T FILE` registers one."
        )?;
        return Ok(());
    }
    table.print(&mut out)
}
