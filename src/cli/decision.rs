use std::io::Write;

use crate::error::Result;
use crate::model::{Date, Decision, Outcome};
use crate::repo::Repo;

use super::output::{self, Format, FormatArg, Table, cell, clip, paint, print_json, shown, stdout};
use super::style;

/// Record and read the design authority's decisions.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Record a decision (e.g. DAG-DEC57), with its date, outcome and text.
    Add(AddArgs),
    /// The decision log: every decision, oldest first.
    List(FormatArg),
    /// One decision in full.
    Show(ShowArgs),
}

#[derive(Debug, clap::Args)]
pub struct AddArgs {
    /// The decision's id, e.g. DAG-DEC57.
    pub id: String,
    /// The date it was taken, YYYY-MM-DD.
    #[arg(long, value_parser = super::values::date)]
    pub date: Date,
    /// What was decided.
    #[arg(long, value_parser = super::values::choice::<Outcome>())]
    pub outcome: Outcome,
    /// The decision's text, as minuted.
    #[arg(long)]
    pub text: String,
    /// The meeting that took it, e.g. DAG026.
    #[arg(long)]
    pub meeting: Option<String>,
    /// Who took it, e.g. "SRO" or "DAG".
    #[arg(long)]
    pub authority: Option<String>,
    /// The agenda area it falls under, e.g. "DIP Design Documents".
    #[arg(long)]
    pub area: Option<String>,
    /// An artefact it approves (repeatable); a baseline citing it must be one of them.
    #[arg(long = "artefact", value_name = "ID")]
    pub artefacts: Vec<String>,
    /// A change request it decides (repeatable).
    #[arg(long = "change", value_name = "CR")]
    pub changes: Vec<String>,
}

#[derive(Debug, clap::Args)]
pub struct ShowArgs {
    /// The decision's id.
    pub id: String,
    #[command(flatten)]
    pub format: FormatArg,
}

pub fn run(repo: &Repo, command: Command) -> Result<()> {
    match command {
        Command::Add(args) => add(repo, args),
        Command::List(format) => list(repo, format.format),
        Command::Show(args) => show(repo, args),
    }
}

fn add(repo: &Repo, args: AddArgs) -> Result<()> {
    let decision = crate::ops::decision::add(
        repo,
        &crate::ops::decision::NewDecision {
            id: &args.id,
            date: args.date,
            outcome: args.outcome,
            text: &args.text,
            meeting: args.meeting.as_deref(),
            authority: args.authority.as_deref(),
            area: args.area.as_deref(),
            artefacts: &args.artefacts,
            changes: &args.changes,
        },
    )?;
    writeln!(
        stdout(),
        "Recorded decision {} ({}, {})",
        decision.id,
        decision.outcome,
        decision.date
    )?;
    Ok(())
}

fn list(repo: &Repo, format: Format) -> Result<()> {
    let snapshot = repo.snapshot()?;
    let mut decisions = snapshot.decisions()?;
    decisions.sort_by(|a, b| (a.date, &a.id).cmp(&(b.date, &b.id)));
    if format == Format::Json {
        return print_json(&decisions);
    }
    let mut table = Table::new(vec![
        "DECISION",
        "DATE",
        "OUTCOME",
        "MEETING",
        "AUTHORITY",
        "TEXT",
    ]);
    for d in &decisions {
        table.row(vec![
            (d.id.clone(), style::HEADING),
            cell(d.date.to_string()),
            (d.outcome.to_string(), outcome_style(d.outcome)),
            cell(d.meeting.clone().unwrap_or_default()),
            cell(clip(d.authority.as_deref().unwrap_or(""), 24)),
            cell(clip(&d.text, 60)),
        ]);
    }
    let mut out = stdout();
    if table.is_empty() {
        writeln!(out, "No decisions are recorded yet.")?;
        return Ok(());
    }
    table.print(&mut out)
}

fn show(repo: &Repo, args: ShowArgs) -> Result<()> {
    let snapshot = repo.snapshot()?;
    let decision = snapshot.require_decision(&args.id)?;
    if args.format.format == Format::Json {
        return print_json(&decision);
    }
    print_decision(&mut stdout(), &decision, "")
}

pub fn outcome_style(outcome: Outcome) -> anstyle::Style {
    match outcome {
        Outcome::Approved => style::BASELINED,
        Outcome::Rejected => style::BAD,
        Outcome::Deferred | Outcome::Noted => style::DRAFT,
    }
}

/// A decision as a block of labelled lines, each starting with `indent`.
pub fn print_decision(out: &mut impl Write, d: &Decision, indent: &str) -> Result<()> {
    writeln!(
        out,
        "{indent}{} — {} on {}",
        paint(&d.id, style::HEADING),
        paint(d.outcome, outcome_style(d.outcome)),
        d.date
    )?;
    if let Some(meeting) = &d.meeting {
        writeln!(out, "{indent}  meeting:   {}", shown(meeting))?;
    }
    if let Some(area) = &d.area {
        writeln!(out, "{indent}  area:      {}", shown(area))?;
    }
    if let Some(authority) = &d.authority {
        writeln!(out, "{indent}  authority: {}", shown(authority))?;
    }
    if !d.artefacts.is_empty() {
        writeln!(
            out,
            "{indent}  artefacts: {}",
            output::or_dash(&d.artefacts)
        )?;
    }
    if !d.changes.is_empty() {
        writeln!(out, "{indent}  changes:   {}", output::or_dash(&d.changes))?;
    }
    writeln!(out, "{indent}  text:      {}", shown(&d.text))?;
    writeln!(
        out,
        "{indent}  recorded:  by {} at {}",
        shown(&d.recorded_by),
        d.recorded_at
    )?;
    Ok(())
}
