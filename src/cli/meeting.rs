use std::io::Write;

use serde::Serialize;

use crate::error::Result;
use crate::model::{Action, Decision, Meeting};
use crate::repo::Repo;

use super::action::state_style;
use super::decision::outcome_style;
use super::output::{
    Format, FormatArg, Table, cell, clip, pad, paint, print_json, short_sha, stdout,
};
use super::style;

/// The design authority's meetings, as imported from their headline reports.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Every meeting, oldest first.
    List(FormatArg),
    /// One meeting: its details, the decisions taken and the actions it lists.
    Show(ShowArgs),
}

#[derive(Debug, clap::Args)]
pub struct ShowArgs {
    /// The meeting's id, e.g. DAG026.
    pub id: String,
    #[command(flatten)]
    pub format: FormatArg,
}

/// The JSON shape of `baseline meeting show --format json`.
#[derive(Serialize)]
struct Shown {
    meeting: Meeting,
    decisions: Vec<Decision>,
    actions: Vec<Action>,
}

pub fn run(repo: &Repo, command: Command) -> Result<()> {
    match command {
        Command::List(format) => list(repo, format.format),
        Command::Show(args) => show(repo, args),
    }
}

fn list(repo: &Repo, format: Format) -> Result<()> {
    let mut meetings = repo.snapshot()?.meetings()?;
    meetings.sort_by(|a, b| (a.date, &a.id).cmp(&(b.date, &b.id)));
    if format == Format::Json {
        return print_json(&meetings);
    }
    let mut out = stdout();
    if meetings.is_empty() {
        writeln!(
            out,
            "No meetings are recorded yet; import one with `baseline import report FILE`."
        )?;
        return Ok(());
    }
    let mut table = Table::new(vec![
        "MEETING",
        "DATE",
        "DECISIONS",
        "ACTIONS",
        "VENUE",
        "BODY",
    ]);
    for m in &meetings {
        table.row(vec![
            (m.id.clone(), style::HEADING),
            cell(m.date.to_string()),
            cell(m.decisions.len().to_string()),
            cell(m.actions.len().to_string()),
            cell(clip(m.venue.as_deref().unwrap_or(""), 28)),
            cell(m.body.clone().unwrap_or_default()),
        ]);
    }
    table.print(&mut out)
}

fn show(repo: &Repo, args: ShowArgs) -> Result<()> {
    let snapshot = repo.snapshot()?;
    let meeting = snapshot.require_meeting(&args.id)?;
    let mut decisions = Vec::new();
    for id in &meeting.decisions {
        decisions.extend(snapshot.decision(id)?);
    }
    let mut actions = Vec::new();
    for id in &meeting.actions {
        actions.extend(snapshot.record::<Action>(&crate::model::paths::action(id))?);
    }
    let shown = Shown {
        meeting,
        decisions,
        actions,
    };
    if args.format.format == Format::Json {
        return print_json(&shown);
    }
    print(&mut stdout(), &shown)
}

fn print(out: &mut impl Write, shown: &Shown) -> Result<()> {
    let m = &shown.meeting;
    let title = m.body.as_deref().unwrap_or("Meeting");
    writeln!(
        out,
        "{} — {}",
        paint(&m.id, style::HEADING),
        super::output::shown(title)
    )?;
    let when = match &m.time {
        Some(time) => format!("{} {time}", m.date),
        None => m.date.to_string(),
    };
    writeln!(out, "  date:           {when}")?;
    for (label, value) in [("venue", &m.venue), ("classification", &m.classification)] {
        if let Some(value) = value {
            writeln!(
                out,
                "  {} {}",
                pad(&format!("{label}:"), 15),
                super::output::shown(value)
            )?;
        }
    }
    if let Some(report) = &m.report {
        let issued = report
            .issued
            .map_or_else(String::new, |d| format!(", issued {d}"));
        writeln!(
            out,
            "  report:         {}{issued} (sha256 {})",
            report.file,
            short_sha(&report.sha256)
        )?;
    }
    if let Some(next) = m.next_meeting {
        writeln!(out, "  next meeting:   {next}")?;
    }
    writeln!(
        out,
        "  recorded by:    {} at {}",
        super::output::shown(&m.recorded_by),
        m.recorded_at
    )?;
    writeln!(out, "\n{}", paint("Decisions", style::HEADING))?;
    for d in &shown.decisions {
        writeln!(
            out,
            "  {}  {}  {}",
            paint(pad(&d.id, 10), style::HEADING),
            paint(pad(&d.outcome.to_string(), 9), outcome_style(d.outcome)),
            clip(&d.text, 90)
        )?;
    }
    writeln!(out, "\n{}", paint("Actions", style::HEADING))?;
    let mut table = Table::new(vec!["ACTION", "STATE", "DUE", "OWNER", "ACTION TEXT"]);
    for a in &shown.actions {
        table.row(vec![
            (a.id.clone(), style::HEADING),
            (a.state().to_string(), state_style(a.state())),
            cell(
                a.current_due()
                    .map_or_else(|| "—".into(), |d| d.to_string()),
            ),
            cell(a.owner.clone().unwrap_or_else(|| "—".into())),
            cell(clip(&a.text, 60)),
        ]);
    }
    table.print(out)?;
    Ok(())
}
