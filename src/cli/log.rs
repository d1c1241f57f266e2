use std::io::Write;

use crate::error::Result;
use crate::repo::Repo;

use super::output::{
    Format, FormatArg, or_dash, pad, paint, print_json, short_sha, shown, status_style, stdout,
};
use super::style;

/// The history of an artefact: every version, newest first, with its decisions.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The artefact's id.
    pub id: String,
    #[command(flatten)]
    pub format: FormatArg,
}

pub fn run(repo: &Repo, args: Args) -> Result<()> {
    let snapshot = repo.snapshot()?;
    let artefact = snapshot.require_artefact(&args.id)?;
    let mut versions = snapshot.versions(&artefact.id)?;
    versions.reverse();
    if args.format.format == Format::Json {
        return print_json(&versions);
    }
    let mut out = stdout();
    writeln!(
        out,
        "{} — {}",
        paint(&artefact.id, style::HEADING),
        shown(&artefact.title)
    )?;
    if versions.is_empty() {
        writeln!(
            out,
            "  no versions recorded yet: `baseline draft {}` records one",
            artefact.id
        )?;
    }
    for v in &versions {
        writeln!(out)?;
        writeln!(
            out,
            "{} {}  {}  {}  sha256 {}",
            paint(format!("{:>6}", v.version.to_string()), style::HEADING),
            paint(pad(&v.status.to_string(), 9), status_style(v.status)),
            v.date,
            shown(&v.recorded_by),
            short_sha(&v.sha256)
        )?;
        if let Some(promotes) = &v.promotes {
            writeln!(out, "        promotes draft {promotes}")?;
        }
        if !v.decisions.is_empty() {
            writeln!(out, "        decisions: {}", or_dash(&v.decisions))?;
        }
        if !v.changes.is_empty() {
            writeln!(out, "        changes:   {}", or_dash(&v.changes))?;
        }
        if let Some(signer) = &v.signed_by {
            writeln!(
                out,
                "        signed by: {} as {}",
                shown(&signer.name),
                shown(&signer.role)
            )?;
        }
        if let Some(note) = &v.note {
            writeln!(out, "        {}", shown(note))?;
        }
    }
    Ok(())
}
