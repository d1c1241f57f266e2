use std::io::Write;

use crate::error::Result;
use crate::model::{Status, VersionNumber};
use crate::ops::status::{OverdueAction, WorkingState, status};
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

pub fn run(repo: &Repo, args: Args) -> Result<()> {
    let report = status(repo)?;
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
                format!(
                    "restore it: git checkout -- {}",
                    crate::model::paths::artefact_dir(&a.id)
                ),
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
