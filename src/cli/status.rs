use std::io::Write;

use serde::Serialize;

use crate::error::Result;
use crate::model::{Status, VersionNumber, paths};
use crate::repo::Repo;

use super::output::{Format, FormatArg, Table, cell, paint, print_json, stdout};
use super::style;

/// What needs attention: working files changed since their latest version, drafts
/// awaiting a baseline, artefacts with nothing recorded yet, and overdue actions.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub format: FormatArg,
}

/// The JSON shape of `baseline status`.
#[derive(Debug, Serialize)]
pub struct StatusReport {
    pub programme: String,
    pub artefacts: Vec<ArtefactStatus>,
    /// Open actions due before today.
    pub overdue_actions: Vec<OverdueAction>,
}

#[derive(Debug, Serialize)]
pub struct OverdueAction {
    pub id: String,
    pub owner: Option<String>,
    pub due: crate::model::Due,
}

#[derive(Debug, Serialize)]
pub struct ArtefactStatus {
    pub id: String,
    pub latest: Option<VersionNumber>,
    pub latest_status: Option<Status>,
    pub baseline: Option<VersionNumber>,
    pub working: WorkingState,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum WorkingState {
    /// Identical to the latest recorded version.
    Unchanged,
    /// Changed since the latest recorded version.
    Modified,
    /// No version recorded yet.
    Unrecorded,
    /// The working file is missing.
    Missing,
}

pub fn run(repo: &Repo, args: Args) -> Result<()> {
    let snapshot = repo.snapshot()?;
    let mut artefacts = Vec::new();
    for summary in crate::repo::register::summaries(&snapshot)? {
        let (artefact, latest, baseline) = (summary.artefact, summary.latest, summary.baseline);
        let id = artefact.id.clone();
        let file = repo.root().join(paths::content(&id, &artefact.file));
        let working = match (git2::Oid::hash_file(git2::ObjectType::Blob, &file), &latest) {
            (Err(_), _) => WorkingState::Missing,
            (Ok(_), None) => WorkingState::Unrecorded,
            (Ok(oid), Some(latest)) if oid.to_string() == latest.blob => WorkingState::Unchanged,
            (Ok(_), Some(_)) => WorkingState::Modified,
        };
        artefacts.push(ArtefactStatus {
            id,
            latest_status: latest.as_ref().map(|v| v.status),
            latest: latest.map(|v| v.version),
            baseline: baseline.map(|v| v.version),
            working,
        });
    }
    let today = crate::model::date::today();
    let mut overdue_actions: Vec<OverdueAction> = snapshot
        .actions()?
        .into_iter()
        .filter(|a| a.is_overdue(today))
        .filter_map(|a| {
            Some(OverdueAction {
                due: a.current_due()?,
                id: a.id,
                owner: a.owner,
            })
        })
        .collect();
    overdue_actions.sort_by_key(|a| (a.due.date(), a.id.clone()));
    let report = StatusReport {
        programme: snapshot.config()?.programme,
        artefacts,
        overdue_actions,
    };
    if args.format.format == Format::Json {
        return print_json(&report);
    }
    let mut out = stdout();
    let mut table = Table::new(vec![
        "ARTEFACT",
        "WORKING FILE",
        "LATEST",
        "BASELINE",
        "NEXT STEP",
    ]);
    for a in &report.artefacts {
        let pending = a.latest_status == Some(Status::Draft);
        let (working, next) = match a.working {
            WorkingState::Unchanged if pending => (
                ("unchanged", style::DIM),
                format!(
                    "baseline the draft: baseline approve {} --decision DEC…",
                    a.id
                ),
            ),
            WorkingState::Unchanged => continue,
            WorkingState::Modified => (
                ("modified", style::DRAFT),
                format!("record it: baseline draft {}", a.id),
            ),
            WorkingState::Unrecorded => (
                ("not recorded", style::DRAFT),
                format!("record it: baseline draft {}", a.id),
            ),
            WorkingState::Missing => (
                ("missing", style::BAD),
                format!("restore it: git checkout -- artefacts/{}", a.id),
            ),
        };
        let version =
            |v: &Option<VersionNumber>| v.as_ref().map_or("—".to_string(), |v| v.to_string());
        table.row(vec![
            (a.id.clone(), style::HEADING),
            (working.0.to_string(), working.1),
            cell(format!(
                "{}{}",
                version(&a.latest),
                if pending { " (draft)" } else { "" }
            )),
            cell(version(&a.baseline)),
            cell(next),
        ]);
    }
    writeln!(
        out,
        "{} — {} artefacts",
        report.programme,
        report.artefacts.len()
    )?;
    if table.is_empty() {
        writeln!(
            out,
            "{}",
            paint("Everything is recorded and baselined.", style::OK)
        )?;
    } else {
        table.print(&mut out)?;
    }
    print_overdue(&mut out, &report.overdue_actions)
}

fn print_overdue(out: &mut impl Write, overdue: &[OverdueAction]) -> Result<()> {
    if overdue.is_empty() {
        return Ok(());
    }
    let list: Vec<String> = overdue
        .iter()
        .map(|a| format!("{} (due {})", a.id, a.due))
        .collect();
    writeln!(
        out,
        "{} {} — see `baseline action list --overdue`",
        paint(format!("{} overdue action(s):", overdue.len()), style::BAD),
        list.join(", ")
    )?;
    Ok(())
}
