use std::io::Write;

use crate::error::Result;
use crate::model::{Change, ChangeKind, ChangeState, Date};
use crate::repo::Repo;

use super::output::{
    Format, FormatArg, Table, cell, clip, or_dash, pad, paint, print_json, shown, state_style,
    stdout,
};
use super::style;

/// Raise change requests and move them through their lifecycle.
///
/// raised → impact-assessment → approved | rejected | withdrawn | deferred.
/// Approving a change rejects, with the same decision, every change it excludes.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Raise a change request (CR) or design issue notice (DIN).
    Add(AddArgs),
    /// Move a change to a new state, on a date and (for approved/rejected) a decision.
    Set(SetArgs),
    /// Correct a change's title or affected artefacts. The record is never
    /// edited: an amendment is appended, and the latest one is in force.
    Amend(AmendArgs),
    /// Every change with its current state.
    List(FormatArg),
    /// One change with its whole history.
    Show(ShowArgs),
}

#[derive(Debug, clap::Args)]
pub struct AddArgs {
    /// The change's id, e.g. CR027.
    pub id: String,
    /// What the change is about.
    #[arg(long)]
    pub title: String,
    /// An artefact it changes (repeatable; at least one).
    #[arg(long, value_name = "ID", required = true, num_args = 1..)]
    pub affects: Vec<String>,
    /// cr (change request) or din (design issue notice).
    #[arg(long, value_parser = super::values::choice::<ChangeKind>(), default_value = "cr")]
    pub kind: ChangeKind,
    /// A change that cannot also be approved (repeatable): approving this one rejects it.
    #[arg(long, value_name = "CR")]
    pub excludes: Vec<String>,
    /// The date it was raised, YYYY-MM-DD (default: today).
    #[arg(long, value_parser = super::values::date)]
    pub date: Option<Date>,
}

#[derive(Debug, clap::Args)]
pub struct SetArgs {
    /// The change's id.
    pub id: String,
    /// The new state.
    #[arg(value_parser = super::values::choice::<ChangeState>())]
    pub state: ChangeState,
    /// The decision that made this step (required to approve or reject).
    #[arg(long, value_name = "DEC")]
    pub decision: Option<String>,
    /// The step's date, YYYY-MM-DD (default: today).
    #[arg(long, value_parser = super::values::date)]
    pub date: Option<Date>,
    /// The release it is scheduled for, e.g. IR3.
    #[arg(long, value_name = "R")]
    pub release: Option<String>,
    /// A note kept with the step.
    #[arg(long)]
    pub note: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct AmendArgs {
    /// The change's id.
    pub id: String,
    /// The title it should have.
    #[arg(long)]
    pub title: Option<String>,
    /// An artefact it affects (repeatable): together, all it affects from now on.
    #[arg(long, value_name = "ID")]
    pub affects: Vec<String>,
    /// Why it is amended, kept with the amendment.
    #[arg(long)]
    pub reason: Option<String>,
    /// The amendment's date, YYYY-MM-DD (default: today).
    #[arg(long, value_parser = super::values::date)]
    pub date: Option<Date>,
}

#[derive(Debug, clap::Args)]
pub struct ShowArgs {
    /// The change's id.
    pub id: String,
    #[command(flatten)]
    pub format: FormatArg,
}

pub fn run(repo: &Repo, command: Command) -> Result<()> {
    match command {
        Command::Add(args) => add(repo, args),
        Command::Set(args) => set(repo, args),
        Command::Amend(args) => amend(repo, args),
        Command::List(format) => list(repo, format.format),
        Command::Show(args) => show(repo, args),
    }
}

fn add(repo: &Repo, args: AddArgs) -> Result<()> {
    let change = crate::ops::change::add(
        repo,
        &crate::ops::change::NewChange {
            id: &args.id,
            title: &args.title,
            affects: &args.affects,
            kind: args.kind,
            excludes: &args.excludes,
            date: args.date,
        },
    )?;
    writeln!(
        stdout(),
        "Raised {} {} affecting {}",
        change.kind,
        change.id,
        change.affects().join(", ")
    )?;
    Ok(())
}

fn set(repo: &Repo, args: SetArgs) -> Result<()> {
    let moved = crate::ops::change::set(
        repo,
        &crate::ops::change::Step {
            id: &args.id,
            state: args.state,
            decision: args.decision.as_deref(),
            date: args.date,
            release: args.release.as_deref(),
            note: args.note.as_deref(),
        },
    )?;
    let step = &moved.step;
    let by = step
        .decision
        .as_ref()
        .map(|d| format!(" by {d}"))
        .unwrap_or_default();
    let mut out = stdout();
    writeln!(
        out,
        "{} is now {}{by} on {}",
        moved.change.id,
        paint(args.state, state_style(args.state)),
        step.date
    )?;
    for other in &moved.rejected {
        writeln!(
            out,
            "{} is now {} (mutually exclusive with {})",
            other.id,
            paint("rejected", style::BAD),
            moved.change.id
        )?;
    }
    Ok(())
}

fn amend(repo: &Repo, args: AmendArgs) -> Result<()> {
    let change = crate::ops::change::amend(
        repo,
        &crate::ops::change::Amend {
            id: &args.id,
            title: args.title.as_deref(),
            affects: &args.affects,
            reason: args.reason.as_deref(),
            date: args.date,
        },
    )?;
    writeln!(
        stdout(),
        "Amended {} {}: {} (affects {})",
        change.kind,
        change.id,
        shown(change.title()),
        or_dash(change.affects())
    )?;
    Ok(())
}

fn list(repo: &Repo, format: Format) -> Result<()> {
    let snapshot = repo.snapshot()?;
    let changes = snapshot.changes()?;
    if format == Format::Json {
        let shown: Vec<ChangeJson<'_>> = changes.iter().map(ChangeJson::of).collect();
        return print_json(&shown);
    }
    let mut table = Table::new(vec![
        "CHANGE", "KIND", "STATE", "SINCE", "DECISION", "AFFECTS", "TITLE",
    ]);
    for c in &changes {
        let last = c.history.last();
        table.row(vec![
            (c.id.clone(), style::HEADING),
            cell(c.kind.to_string()),
            (c.state().to_string(), state_style(c.state())),
            cell(last.map(|s| s.date.to_string()).unwrap_or_default()),
            cell(last.and_then(|s| s.decision.clone()).unwrap_or_default()),
            cell(c.affects().join(", ")),
            cell(clip(c.title(), 50)),
        ]);
    }
    let mut out = stdout();
    if table.is_empty() {
        writeln!(out, "No changes are recorded yet.")?;
        return Ok(());
    }
    table.print(&mut out)
}

fn show(repo: &Repo, args: ShowArgs) -> Result<()> {
    let snapshot = repo.snapshot()?;
    let change = snapshot.require_change(&args.id)?;
    if args.format.format == Format::Json {
        return print_json(&ChangeJson::of(&change));
    }
    print_change(&mut stdout(), &change, "")
}

/// A change as `--format json` gives it: its record (title and affects as
/// raised, and any amendments), and the title and artefacts in force.
#[derive(serde::Serialize)]
struct ChangeJson<'c> {
    #[serde(flatten)]
    record: &'c Change,
    current: Current<'c>,
}

#[derive(serde::Serialize)]
struct Current<'c> {
    title: &'c str,
    affects: &'c [String],
}

impl<'c> ChangeJson<'c> {
    fn of(record: &'c Change) -> Self {
        let current = Current {
            title: record.title(),
            affects: record.affects(),
        };
        ChangeJson { record, current }
    }
}

/// A change and its history as labelled lines, each starting with `indent`.
pub fn print_change(out: &mut impl Write, c: &Change, indent: &str) -> Result<()> {
    writeln!(
        out,
        "{indent}{} {} — {} ({})",
        c.kind,
        paint(&c.id, style::HEADING),
        shown(c.title()),
        paint(c.state(), state_style(c.state()))
    )?;
    writeln!(out, "{indent}  affects:  {}", or_dash(c.affects()))?;
    if !c.excludes.is_empty() {
        writeln!(out, "{indent}  excludes: {}", or_dash(&c.excludes))?;
    }
    writeln!(out, "{indent}  history:")?;
    for s in &c.history {
        let mut line = format!("{indent}    {}  {}", s.date, pad(&s.state.to_string(), 18));
        if let Some(d) = &s.decision {
            line.push_str(&format!(" by {d}"));
        }
        if let Some(r) = &s.release {
            line.push_str(&format!(" for release {r}"));
        }
        if let Some(n) = &s.note {
            line.push_str(&format!(" — {}", shown(n)));
        }
        writeln!(out, "{}", line.trim_end())?;
    }
    print_amendments(out, c, indent)
}

/// A change's amendments, oldest first, each with what it set and why.
fn print_amendments(out: &mut impl Write, c: &Change, indent: &str) -> Result<()> {
    if c.amendments.is_empty() {
        return Ok(());
    }
    writeln!(
        out,
        "{indent}  amendments (raised as \"{}\", affecting {}):",
        shown(&c.title_as_raised),
        or_dash(&c.affects_as_raised)
    )?;
    for a in &c.amendments {
        let mut set = Vec::new();
        if let Some(title) = &a.title {
            set.push(format!("title \"{}\"", shown(title)));
        }
        if let Some(affects) = &a.affects {
            set.push(format!("affects {}", or_dash(affects)));
        }
        let reason = a
            .reason
            .as_ref()
            .map(|r| format!(" — {}", shown(r)))
            .unwrap_or_default();
        writeln!(
            out,
            "{indent}    {}  {} by {}{reason}",
            a.date,
            set.join(", "),
            shown(&a.recorded_by)
        )?;
    }
    Ok(())
}
