use std::io::Write;

use crate::error::Result;
use crate::model::{Action, ActionState, Date, date};
use crate::repo::Repo;

use super::output::{Format, FormatArg, Table, cell, clip, paint, print_json, shown, stdout};
use super::style;

/// The actions meetings raised, as imported from their headline reports.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// The action log: every action with its owner, due date and state.
    List(ListArgs),
    /// One action with its whole history.
    Show(ShowArgs),
    /// Close an action, with a note of what was done.
    Close(CloseArgs),
}

#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// Only the actions still open.
    #[arg(long)]
    pub open: bool,
    /// Only open actions due before today (or --as-of); "ASAP" and "TBC" have no
    /// date to pass, so they are never overdue.
    #[arg(long)]
    pub overdue: bool,
    /// The date "overdue" is judged on, YYYY-MM-DD (default: today).
    #[arg(long, value_parser = super::values::date, value_name = "DATE")]
    pub as_of: Option<Date>,
    #[command(flatten)]
    pub format: FormatArg,
}

#[derive(Debug, clap::Args)]
pub struct ShowArgs {
    /// The action's id, e.g. DAG26-01.
    pub id: String,
    #[command(flatten)]
    pub format: FormatArg,
}

#[derive(Debug, clap::Args)]
pub struct CloseArgs {
    /// The action's id, e.g. DAG26-01.
    pub id: String,
    /// What was done, kept with the closing step.
    #[arg(long)]
    pub note: String,
    /// The date it was closed, YYYY-MM-DD (default: today).
    #[arg(long, value_parser = super::values::date)]
    pub date: Option<Date>,
}

pub fn run(repo: &Repo, command: Command) -> Result<()> {
    match command {
        Command::List(args) => list(repo, args),
        Command::Show(args) => show(repo, args),
        Command::Close(args) => close(repo, args),
    }
}

pub fn state_style(state: ActionState) -> anstyle::Style {
    match state {
        ActionState::Open => style::DRAFT,
        ActionState::Closed => style::BASELINED,
    }
}

pub fn due_text(action: &Action) -> String {
    action
        .current_due()
        .map_or_else(|| "no due date".into(), |d| format!("due {d}"))
}

fn list(repo: &Repo, args: ListArgs) -> Result<()> {
    let today = args.as_of.unwrap_or_else(date::today);
    let mut actions: Vec<Action> = repo
        .snapshot()?
        .actions()?
        .into_iter()
        .filter(|a| !args.open || a.state() == ActionState::Open)
        .filter(|a| !args.overdue || a.is_overdue(today))
        .collect();
    actions.sort_by(|a, b| {
        let opened = |x: &Action| x.history.first().map(|s| s.date);
        (opened(a), &a.id).cmp(&(opened(b), &b.id))
    });
    if args.format.format == Format::Json {
        return print_json(&actions);
    }
    let mut out = stdout();
    if actions.is_empty() {
        let which = match (args.overdue, args.open) {
            (true, _) => "overdue ",
            (false, true) => "open ",
            (false, false) => "",
        };
        writeln!(out, "No {which}actions are recorded.")?;
        return Ok(());
    }
    let mut table = Table::new(vec![
        "ACTION",
        "STATE",
        "DUE",
        "OWNER",
        "MEETING",
        "ACTION TEXT",
    ]);
    for a in &actions {
        let due = a
            .current_due()
            .map_or_else(|| "—".to_string(), |d| d.to_string());
        let due = if a.is_overdue(today) {
            (format!("{due} overdue"), style::BAD)
        } else {
            cell(due)
        };
        table.row(vec![
            (a.id.clone(), style::HEADING),
            (a.state().to_string(), state_style(a.state())),
            due,
            cell(clip(a.owner.as_deref().unwrap_or("—"), 26)),
            cell(a.meeting.clone()),
            cell(clip(&a.text, 60)),
        ]);
    }
    table.print(&mut out)
}

fn show(repo: &Repo, args: ShowArgs) -> Result<()> {
    let action = repo.snapshot()?.require_action(&args.id)?;
    if args.format.format == Format::Json {
        return print_json(&action);
    }
    let mut out = stdout();
    writeln!(
        out,
        "{} — {}, {}",
        paint(&action.id, style::HEADING),
        paint(action.state(), state_style(action.state())),
        due_text(&action)
    )?;
    writeln!(out, "  meeting: {}", action.meeting)?;
    if let Some(area) = &action.area {
        writeln!(out, "  area:    {area}")?;
    }
    writeln!(
        out,
        "  owner:   {}",
        shown(action.owner.as_deref().unwrap_or("—"))
    )?;
    if !action.changes.is_empty() {
        writeln!(out, "  changes: {}", action.changes.join(", "))?;
    }
    writeln!(out, "  text:    {}", shown(&action.text))?;
    writeln!(out, "  history:")?;
    for step in &action.history {
        let mut line = format!("    {}  {}", step.date, step.state);
        if let Some(meeting) = &step.meeting {
            line.push_str(&format!(" (in {meeting})"));
        }
        if let Some(due) = step.due {
            line.push_str(&format!(", due moved to {due}"));
        }
        if let Some(note) = &step.note {
            line.push_str(&format!(" — {}", shown(note)));
        }
        writeln!(out, "{line}")?;
    }
    Ok(())
}

fn close(repo: &Repo, args: CloseArgs) -> Result<()> {
    let action = crate::ops::action::close(repo, &args.id, &args.note, args.date)?;
    let date = action.history.last().map(|step| step.date.to_string());
    writeln!(
        stdout(),
        "Closed action {} on {}",
        action.id,
        date.unwrap_or_default()
    )?;
    Ok(())
}
