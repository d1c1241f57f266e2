use std::io::Write;

use crate::error::Result;
use crate::model::{Correction, Date, Decision, Outcome};
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
    /// One decision in full, with its corrections.
    Show(ShowArgs),
    /// Correct a decision's text, artefacts or changes. Its record is never
    /// edited: the correction is a record of its own, and the latest one is in
    /// force. A baseline made before it stays valid; `verify` reports one the
    /// correction no longer covers.
    Correct(CorrectArgs),
    /// Record that a decision was superseded by a newer one: it can no longer
    /// approve a baseline.
    Supersede(SupersedeArgs),
}

#[derive(Debug, clap::Args)]
pub struct CorrectArgs {
    /// The decision's id, e.g. DAG-DEC57.
    pub id: String,
    /// The text it should have.
    #[arg(long)]
    pub text: Option<String>,
    /// An artefact it approves (repeatable): together, all it approves from now on.
    #[arg(long = "artefact", value_name = "ID")]
    pub artefacts: Vec<String>,
    /// A change request it decides (repeatable): together, all it decides from now on.
    #[arg(long = "change", value_name = "CR")]
    pub changes: Vec<String>,
    /// Why it is corrected, kept with the correction.
    #[arg(long)]
    pub reason: String,
    /// The correction's date, YYYY-MM-DD (default: today).
    #[arg(long, value_parser = super::values::date)]
    pub date: Option<Date>,
}

#[derive(Debug, clap::Args)]
pub struct SupersedeArgs {
    /// The decision superseded, e.g. DAG-DEC57.
    pub old: String,
    /// The decision that supersedes it; it must be recorded.
    #[arg(long, value_name = "NEW")]
    pub by: String,
    /// Why (default: "superseded by NEW").
    #[arg(long)]
    pub reason: Option<String>,
    /// The date it took effect, YYYY-MM-DD (default: the newer decision's date).
    #[arg(long, value_parser = super::values::date)]
    pub date: Option<Date>,
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
        Command::Correct(args) => correct(repo, args),
        Command::Supersede(args) => supersede(repo, args),
    }
}

fn correct(repo: &Repo, args: CorrectArgs) -> Result<()> {
    let decision = crate::ops::decision::correct(
        repo,
        &crate::ops::decision::Correct {
            id: &args.id,
            text: args.text.as_deref(),
            artefacts: &args.artefacts,
            changes: &args.changes,
            reason: &args.reason,
            date: args.date,
        },
    )?;
    writeln!(
        stdout(),
        "Corrected decision {} (correction {})",
        decision.id,
        decision.corrections.len()
    )?;
    Ok(())
}

fn supersede(repo: &Repo, args: SupersedeArgs) -> Result<()> {
    let decision = crate::ops::decision::supersede(
        repo,
        &args.old,
        &args.by,
        args.reason.as_deref(),
        args.date,
    )?;
    writeln!(
        stdout(),
        "Decision {} is superseded by {}",
        decision.id,
        args.by
    )?;
    Ok(())
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
    let supersedes = snapshot.decisions_superseded_by(&decision.id)?;
    if args.format.format == Format::Json {
        return print_json(&DecisionJson {
            decision: &decision,
            superseded_by: decision.superseded_by(),
            supersedes: &supersedes,
        });
    }
    let mut out = stdout();
    print_decision(&mut out, &decision, "")?;
    if !supersedes.is_empty() {
        writeln!(out, "  supersedes: {}", output::or_dash(&supersedes))?;
    }
    Ok(())
}

/// A decision as `decision show --format json` gives it: as it stands now, its
/// corrections, and the decisions either side of a supersession.
#[derive(serde::Serialize)]
struct DecisionJson<'d> {
    #[serde(flatten)]
    decision: &'d Decision,
    superseded_by: Option<&'d str>,
    supersedes: &'d [String],
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
    if !d.relates_to.is_empty() {
        let related: Vec<String> = d
            .relates_to
            .iter()
            .map(|r| format!("{} ({})", r.change, r.relation))
            .collect();
        writeln!(out, "{indent}  relates:   {}", shown(&related.join(", ")))?;
    }
    if let Some(votes) = &d.votes {
        writeln!(out, "{indent}  votes:     {votes}")?;
    }
    writeln!(out, "{indent}  text:      {}", shown(&d.text))?;
    writeln!(
        out,
        "{indent}  recorded:  by {} at {}",
        shown(&d.recorded_by),
        d.recorded_at
    )?;
    if let Some(newer) = d.superseded_by() {
        writeln!(
            out,
            "{indent}  {} by {newer}",
            paint("superseded", style::BAD)
        )?;
    }
    for c in &d.corrections {
        print_correction(out, c, indent)?;
    }
    Ok(())
}

/// One correction: when, by whom, why, and what it set.
fn print_correction(out: &mut impl Write, c: &Correction, indent: &str) -> Result<()> {
    writeln!(
        out,
        "{indent}  correction {} on {} by {} — {}",
        c.number,
        c.date,
        shown(&c.recorded_by),
        shown(&c.reason)
    )?;
    if let Some(text) = &c.text {
        writeln!(out, "{indent}    text:      {}", shown(text))?;
    }
    if let Some(artefacts) = &c.artefacts {
        writeln!(out, "{indent}    artefacts: {}", output::or_dash(artefacts))?;
    }
    if let Some(changes) = &c.changes {
        writeln!(out, "{indent}    changes:   {}", output::or_dash(changes))?;
    }
    if let Some(newer) = &c.superseded_by {
        writeln!(out, "{indent}    superseded by {newer}")?;
    }
    Ok(())
}
