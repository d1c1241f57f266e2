use std::io::Write;

use crate::error::Result;
use crate::model::{Date, Release, VersionNumber};
use crate::ops::release::{Contents, NewRelease};
use crate::repo::Repo;

use super::output::{
    Format, FormatArg, Table, cell, clip, or_dash, paint, print_json, shown, stdout,
};
use super::style;

/// Record and read interim releases: numbered sets of baselines published together.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Record a release (e.g. IR8.5): the baselines it contains, the decision
    /// that approved it and the changes it implements. Written once.
    Create(CreateArgs),
    /// Every release, oldest first.
    List(FormatArg),
    /// One release in full: its decisions, changes and artefact versions.
    Show(ShowArgs),
}

#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("contents").required(true).args(["include", "all_baselined"])))]
pub struct CreateArgs {
    /// The release's id, e.g. IR8.5.
    pub id: String,
    /// The approved decision that approves the release (repeatable), dated on
    /// or before it.
    #[arg(long = "decision", value_name = "DEC", required = true)]
    pub decisions: Vec<String>,
    /// The release date, YYYY-MM-DD (default: today).
    #[arg(long, value_parser = super::values::date)]
    pub date: Option<Date>,
    /// The release's title, e.g. "Interim Release 8.5".
    #[arg(long)]
    pub title: Option<String>,
    /// A baselined version it contains, ARTEFACT@VERSION (repeatable), e.g. DES138@5.6.1.
    #[arg(long, value_name = "ARTEFACT@VERSION", value_parser = included)]
    pub include: Vec<(String, VersionNumber)>,
    /// Contain the latest baseline of every artefact that has one.
    #[arg(long)]
    pub all_baselined: bool,
    /// A change request or design issue note it implements (repeatable): approved,
    /// and affecting an included artefact.
    #[arg(long = "change", value_name = "CR")]
    pub changes: Vec<String>,
    /// The release it follows (default: the latest recorded).
    #[arg(long, value_name = "RELEASE")]
    pub previous: Option<String>,
    /// A note, e.g. what the release is for.
    #[arg(long)]
    pub note: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct ShowArgs {
    /// The release's id.
    pub id: String,
    #[command(flatten)]
    pub format: FormatArg,
}

/// `ARTEFACT@VERSION`, e.g. `DES138@5.6.1`.
fn included(text: &str) -> std::result::Result<(String, VersionNumber), String> {
    let (artefact, version) = text
        .split_once('@')
        .ok_or_else(|| format!("`{text}` is not ARTEFACT@VERSION, e.g. DES138@5.6.1"))?;
    let version = version
        .parse()
        .map_err(|e: crate::error::Error| e.message)?;
    Ok((artefact.to_string(), version))
}

pub fn run(repo: &Repo, command: Command) -> Result<()> {
    match command {
        Command::Create(args) => create(repo, args),
        Command::List(format) => list(repo, format.format),
        Command::Show(args) => show(repo, args),
    }
}

fn create(repo: &Repo, args: CreateArgs) -> Result<()> {
    let contents = if args.all_baselined {
        Contents::AllBaselined
    } else {
        Contents::Versions(&args.include)
    };
    let release = crate::ops::release::create(
        repo,
        &NewRelease {
            id: &args.id,
            date: args.date.unwrap_or_else(crate::model::date::today),
            title: args.title.as_deref(),
            decisions: &args.decisions,
            contents,
            changes: &args.changes,
            previous: args.previous.as_deref(),
            note: args.note.as_deref(),
        },
    )?;
    let count = release.artefacts.len();
    writeln!(
        stdout(),
        "Recorded release {} ({}): {count} artefact version{}, approved by {}",
        release.id,
        release.date,
        if count == 1 { "" } else { "s" },
        release.decisions.join(", ")
    )?;
    Ok(())
}

fn list(repo: &Repo, format: Format) -> Result<()> {
    let releases = repo.snapshot()?.releases()?;
    if format == Format::Json {
        return print_json(&releases);
    }
    let mut out = stdout();
    if releases.is_empty() {
        writeln!(out, "No releases are recorded yet.")?;
        return Ok(());
    }
    let mut table = Table::new(vec![
        "RELEASE",
        "DATE",
        "ARTEFACTS",
        "DECISIONS",
        "CHANGES",
        "PREVIOUS",
        "TITLE",
    ]);
    for r in &releases {
        table.row(vec![
            (r.id.clone(), style::HEADING),
            cell(r.date.to_string()),
            cell(r.artefacts.len().to_string()),
            cell(or_dash(&r.decisions)),
            cell(clip(&or_dash(&r.changes), 30)),
            cell(r.previous.clone().unwrap_or_else(|| "—".into())),
            cell(clip(r.title.as_deref().unwrap_or(""), 40)),
        ]);
    }
    table.print(&mut out)
}

fn show(repo: &Repo, args: ShowArgs) -> Result<()> {
    let release = repo.snapshot()?.require_release(&args.id)?;
    if args.format.format == Format::Json {
        return print_json(&release);
    }
    print_release(&mut stdout(), &release)
}

fn print_release(out: &mut impl Write, r: &Release) -> Result<()> {
    writeln!(out, "{} — {}", paint(&r.id, style::HEADING), r.date)?;
    if let Some(title) = &r.title {
        writeln!(out, "  title:     {}", shown(title))?;
    }
    writeln!(out, "  decisions: {}", or_dash(&r.decisions))?;
    writeln!(out, "  changes:   {}", or_dash(&r.changes))?;
    writeln!(
        out,
        "  previous:  {}",
        r.previous.as_deref().unwrap_or("— (the first release)")
    )?;
    if let Some(note) = &r.note {
        writeln!(out, "  note:      {}", shown(note))?;
    }
    writeln!(
        out,
        "  recorded:  by {} at {}",
        shown(&r.recorded_by),
        r.recorded_at
    )?;
    writeln!(out, "  artefacts ({}):", r.artefacts.len())?;
    for i in &r.artefacts {
        writeln!(
            out,
            "    {:<16} v{:<10} sha256 {}",
            i.artefact,
            i.version.to_string(),
            i.sha256
        )?;
    }
    Ok(())
}
