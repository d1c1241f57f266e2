use std::io::Write;

use crate::error::Result;
use crate::model::{Artefact, VersionRecord, paths};
use crate::ops::show::{Shown, show};
use crate::repo::Repo;

use super::output::{Format, FormatArg, or_dash, paint, print_json, shown, status_style, stdout};
use super::style;

/// Show an artefact, one of its versions, or its working file.
///
/// `show DES196` describes the artefact and lists its versions; `show DES196@1.0`
/// (or @baseline, @latest) shows one version record; `show DES196@working` says
/// whether the working file differs from the latest recorded version.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// An artefact id or a REF such as DES196@1.0.
    pub reference: String,
    #[command(flatten)]
    pub format: FormatArg,
}

pub fn run(repo: &Repo, args: Args) -> Result<()> {
    let shown = show(repo, &args.reference)?;
    if args.format.format == Format::Json {
        return print_json(&shown);
    }
    let mut out = stdout();
    match &shown {
        Shown::Artefact { artefact, versions } => {
            print_artefact(&mut out, artefact)?;
            writeln!(
                out,
                "  versions:   {}",
                if versions.is_empty() {
                    "none recorded yet".to_string()
                } else {
                    versions
                        .iter()
                        .map(|v| format!("{} ({})", v.version, v.status))
                        .collect::<Vec<_>>()
                        .join(", ")
                }
            )?;
        }
        Shown::Version { artefact, version } => {
            writeln!(
                out,
                "{} {} — {}",
                paint(&artefact.id, style::HEADING),
                paint(&version.version, style::HEADING),
                artefact.title
            )?;
            print_version(&mut out, version, "  ")?;
        }
        Shown::Working { artefact, working } => {
            writeln!(
                out,
                "{} working file {}",
                paint(&artefact.id, style::HEADING),
                paths::content(&artefact.id, &working.file)
            )?;
            writeln!(out, "  size:    {} bytes", working.size)?;
            writeln!(out, "  sha256:  {}", working.sha256)?;
            let state = match (&working.same_as, &working.latest) {
                (Some(v), _) => format!("identical to version {v}"),
                (None, Some(v)) => format!(
                    "changed since version {v} (record it with `baseline draft {}`)",
                    artefact.id
                ),
                (None, None) => format!(
                    "no version recorded yet (record one with `baseline draft {}`)",
                    artefact.id
                ),
            };
            writeln!(out, "  state:   {state}")?;
        }
    }
    Ok(())
}

pub fn print_artefact(out: &mut impl Write, a: &Artefact) -> Result<()> {
    writeln!(
        out,
        "{} — {}",
        paint(&a.id, style::HEADING),
        shown(&a.title)
    )?;
    writeln!(out, "  kind:       {}", shown(&a.kind))?;
    if let Some(owner) = &a.owner {
        writeln!(out, "  owner:      {}", shown(owner))?;
    }
    writeln!(
        out,
        "  file:       {} ({})",
        paths::content(&a.id, &a.file),
        a.format.name()
    )?;
    if let Some(key) = &a.key {
        writeln!(out, "  key column: {}", shown(key))?;
    }
    writeln!(
        out,
        "  registered: {} by {}",
        a.registered,
        shown(&a.registered_by)
    )?;
    Ok(())
}

/// A version record as labelled lines, each starting with `indent`.
pub fn print_version(out: &mut impl Write, v: &VersionRecord, indent: &str) -> Result<()> {
    writeln!(
        out,
        "{indent}status:      {}",
        paint(v.status, status_style(v.status))
    )?;
    writeln!(out, "{indent}date:        {}", v.date)?;
    writeln!(
        out,
        "{indent}recorded by: {} at {}",
        shown(&v.recorded_by),
        v.recorded_at
    )?;
    writeln!(out, "{indent}file:        {} ({} bytes)", v.file, v.size)?;
    writeln!(out, "{indent}sha256:      {}", v.sha256)?;
    writeln!(out, "{indent}git blob:    {}", v.blob)?;
    if let Some(promotes) = &v.promotes {
        writeln!(out, "{indent}promotes:    draft {promotes}")?;
    }
    if let Some(adopted) = &v.adopted {
        let sheet = adopted
            .sheet
            .as_ref()
            .map_or_else(String::new, |s| format!(" sheet \"{}\"", shown(s)));
        writeln!(
            out,
            "{indent}adopted:     from {}{sheet} row {}, file \"{}\"",
            shown(&adopted.register),
            adopted.row,
            shown(&adopted.source_file)
        )?;
    }
    if !v.decisions.is_empty() {
        writeln!(out, "{indent}decisions:   {}", or_dash(&v.decisions))?;
    }
    if !v.changes.is_empty() {
        writeln!(out, "{indent}changes:     {}", or_dash(&v.changes))?;
    }
    if let Some(note) = &v.note {
        writeln!(out, "{indent}note:        {}", shown(note))?;
    }
    if let Some(signer) = &v.signed_by {
        writeln!(
            out,
            "{indent}signed by:   {} as {}, key {}",
            shown(&signer.name),
            shown(&signer.role),
            signer.key
        )?;
        writeln!(out, "{indent}meaning:     {}", v.meaning())?;
    }
    Ok(())
}
