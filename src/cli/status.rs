use std::io::Write;

use crate::error::Result;
use crate::model::{Status, VersionNumber};
use crate::ops::status::{OverdueAction, RemoteState, WorkingState, status};
use crate::repo::Repo;

use super::output::{Format, FormatArg, Table, cell, paint, print_json, stdout};
use super::style;

/// What needs attention: working files changed since their latest version, drafts
/// awaiting a baseline, artefacts with nothing recorded yet, overdue actions, and
/// how far this clone is ahead of or behind its remote (as last fetched).
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
    print_overdue(&mut out, &report.overdue_actions)?;
    print_remote(&mut out, report.remote.as_ref())
}

fn print_remote(out: &mut impl Write, remote: Option<&RemoteState>) -> Result<()> {
    let Some(r) = remote else {
        return Ok(());
    };
    let place = format!("{}/{}", r.remote, r.branch);
    let said = match (r.fetched, r.ahead, r.behind) {
        (false, _, _) => {
            format!("{place} was never fetched: `baseline sync` shares your records with it")
        }
        (true, 0, 0) => format!("Up to date with {place} as last fetched."),
        (true, ahead, 0) => {
            format!("{ahead} commit(s) not yet on {place}: `baseline sync` sends them")
        }
        (true, 0, behind) => {
            format!("{behind} commit(s) on {place} not yet here: `baseline sync` brings them")
        }
        (true, ahead, behind) => format!(
            "{ahead} commit(s) not yet on {place}, and {behind} there not yet here: `baseline sync` brings theirs and sends yours"
        ),
    };
    writeln!(out, "{said}")?;
    Ok(())
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
