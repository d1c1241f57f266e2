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
        RedlineFormat::Rendered(
            format @ (Format::Term | Format::Md | Format::Json | Format::Html),
        ) => format,
        _ => {
            return Err(Error::usage(
                "a redline of two releases is written as term, md, html or json",
                "use --format term, md, html or json; `baseline publish` writes each changed artefact's red-lined Word or Excel copy",
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
            write(&diff, redlines, &options, &mut file)?;
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
            write(&diff, redlines, &options, &mut out)?;
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
    redlines: Vec<Compared>,
    options: &Options,
    out: &mut dyn Write,
) -> Result<()> {
    if options.format == Format::Html {
        out.write_all(html_page(diff, redlines, options).as_bytes())?;
        return Ok(());
    }
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
        let change = a.change.word();
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
    for compared in &redlines {
        render::render(compared, options, out)?;
        writeln!(out)?;
    }
    Ok(())
}

/// One self-contained page: the artefacts with a contents list linking each
/// changed one to its redline further down, the changes and decisions between
/// the releases, then each redline; j/k move between changes across all of them.
fn html_page(diff: &ReleaseDiff, redlines: Vec<Compared>, options: &Options) -> String {
    use maud::html;
    use render::html::{page, section, toolbar};
    let anchor = |artefact: &str| format!("artefact/{artefact}");
    let version = |v: &Option<crate::model::VersionNumber>| {
        v.as_ref().map_or("—".to_string(), |v| format!("v{v}"))
    };
    let title = format!(
        "Release {} ({}) against {} ({})",
        diff.to.id, diff.to.date, diff.from.id, diff.from.date
    );
    let list = |ids: &[String]| {
        if ids.is_empty() {
            "none".to_string()
        } else {
            ids.join(", ")
        }
    };
    let sections: Vec<maud::Markup> = redlines
        .into_iter()
        .map(|compared| {
            let id = anchor(&compared.redline.artefact.id);
            section(compared, &id, options)
        })
        .collect();
    let body = html! {
        header {
            h1 { (title) }
            p { "Changes implemented since " (diff.from.id) ": " (list(&diff.changes)) ". "
                "Decisions since " (diff.from.id) ": " (list(&diff.decisions)) "." }
        }
        (toolbar())
        nav.contents aria-label="Contents" {
            h2 { "Contents" }
            table.sides {
                thead { tr { th scope="col" { "Artefact" } th scope="col" { "Change" } th scope="col" { (diff.from.id) } th scope="col" { (diff.to.id) } } }
                tbody {
                    @for a in &diff.artefacts {
                        tr {
                            th scope="row" {
                                @if a.change == ArtefactChange::Changed { a href={ "#" (anchor(&a.artefact)) } { (a.artefact) } }
                                @else { (a.artefact) }
                            }
                            td { (a.change.word()) } td { (version(&a.from)) } td { (version(&a.to)) }
                        }
                    }
                }
            }
        }
        main { @for s in &sections { (s) } }
    };
    page(&title, body)
}
