//! `baseline redline --release FROM TO`: what changed between two releases, and
//! the redline of each artefact that changed.

use std::io::{IsTerminal, Write};

use super::redline::Args;
use super::values::RedlineFormat;
use crate::audit::release_diff::{ArtefactChange, ReleaseDiff};
use crate::error::{Error, Result, io_at};
use crate::redline::Compared;
use crate::redline::render::{self, Format, Options};
use crate::repo::{Repo, Snapshot};

pub fn run(repo: &Repo, releases: &[String], args: &Args) -> Result<()> {
    let format = match args
        .format
        .or_else(|| args.output.as_deref().and_then(RedlineFormat::of_file))
        .unwrap_or(RedlineFormat::Rendered(Format::Term))
    {
        RedlineFormat::Rendered(format @ (Format::Term | Format::Md | Format::Json)) => format,
        _ => {
            return Err(Error::usage(
                "a redline of two releases is written as term, md or json",
                "use --format term, md or json (an HTML page and red-lined copies come with `baseline publish`)",
            ));
        }
    };
    let snapshot = repo.snapshot()?;
    let diff = crate::audit::release_diff::compare(&snapshot, &releases[0], &releases[1])?;
    let redlines = redlines(&snapshot, &diff)?;
    let mut options = Options {
        format,
        colour: false,
        side_by_side: false,
        context: args.context,
    };
    match &args.output {
        Some(path) => {
            let mut file =
                std::io::BufWriter::new(std::fs::File::create(path).map_err(io_at(path))?);
            write(&diff, &redlines, &options, &mut file)?;
            file.flush().map_err(io_at(path))?;
            writeln!(
                super::output::stdout(),
                "Wrote the redline of {} against {} to {}",
                diff.to.id,
                diff.from.id,
                path.display()
            )?;
        }
        None => {
            let stdout = std::io::stdout();
            options.colour = stdout.is_terminal()
                && anstream::AutoStream::choice(&stdout) != anstream::ColorChoice::Never;
            let mut out = std::io::BufWriter::new(stdout.lock());
            write(&diff, &redlines, &options, &mut out)?;
            out.flush()?;
        }
    }
    Ok(())
}

/// The redline of each artefact that changed between the two releases.
fn redlines(snapshot: &Snapshot<'_>, diff: &ReleaseDiff) -> Result<Vec<Compared>> {
    let mut compared = Vec::new();
    for a in diff
        .artefacts
        .iter()
        .filter(|a| a.change == ArtefactChange::Changed)
    {
        let (from, to) = (
            a.from.as_ref().map(ToString::to_string),
            a.to.as_ref().map(ToString::to_string),
        );
        compared.push(crate::ops::redline::redline(
            snapshot,
            &crate::ops::redline::Options {
                artefact: &a.artefact,
                from: from.as_deref(),
                to: to.as_deref(),
                key: None,
            },
        )?);
    }
    Ok(compared)
}

fn write(
    diff: &ReleaseDiff,
    redlines: &[Compared],
    options: &Options,
    out: &mut dyn Write,
) -> Result<()> {
    if options.format == Format::Json {
        #[derive(serde::Serialize)]
        struct Shape<'a> {
            #[serde(flatten)]
            diff: &'a ReleaseDiff,
            redlines: Vec<&'a crate::redline::Redline>,
        }
        let shape = Shape {
            diff,
            redlines: redlines.iter().map(|c| &c.redline).collect(),
        };
        serde_json::to_writer_pretty(&mut *out, &shape).map_err(std::io::Error::from)?;
        writeln!(out)?;
        return Ok(());
    }
    let heading = if options.format == Format::Md {
        "# "
    } else {
        ""
    };
    writeln!(
        out,
        "{heading}Release {} ({}) against {} ({})\n",
        diff.to.id, diff.to.date, diff.from.id, diff.from.date
    )?;
    for a in &diff.artefacts {
        let version = |v: &Option<crate::model::VersionNumber>| {
            v.as_ref().map_or("—".to_string(), |v| format!("v{v}"))
        };
        let change = match a.change {
            ArtefactChange::Added => "added",
            ArtefactChange::Removed => "removed",
            ArtefactChange::Changed => "changed",
            ArtefactChange::Unchanged => "unchanged",
        };
        let bullet = if options.format == Format::Md {
            "- "
        } else {
            "  "
        };
        writeln!(
            out,
            "{bullet}{:<16} {:<10} {} → {}",
            a.artefact,
            change,
            version(&a.from),
            version(&a.to)
        )?;
    }
    let list = |ids: &[String]| {
        if ids.is_empty() {
            "none".to_string()
        } else {
            ids.join(", ")
        }
    };
    writeln!(
        out,
        "\nChanges implemented since {}: {}",
        diff.from.id,
        list(&diff.changes)
    )?;
    writeln!(
        out,
        "Decisions since {}: {}\n",
        diff.from.id,
        list(&diff.decisions)
    )?;
    for compared in redlines {
        render::render(compared, options, out)?;
        writeln!(out)?;
    }
    Ok(())
}
