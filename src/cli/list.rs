use std::io::Write;
use std::path::PathBuf;

use crate::audit::register::{self, RegisterEntry};
use crate::error::{Result, io_at};
use crate::repo::Repo;

use super::output::{Table, cell, clip, or_dash, stdout};
use super::style;

/// The register: every artefact, its current baseline and any pending draft.
///
/// Shows each artefact's id, title, kind and owner, its current baseline (version,
/// date, decisions), its latest draft if newer, and the open changes affecting it;
/// exports it as CSV, JSON, Markdown or a printable HTML page. Each export
/// gives every baseline's SHA-256 and says when, by whom and from which commit
/// it was made.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Output format.
    #[arg(long, value_enum, default_value_t = RegisterFormat::Human)]
    pub format: RegisterFormat,
    /// Write to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RegisterFormat {
    /// A table for people.
    Human,
    /// The register as JSON (its shape: docs/json-output.md).
    Json,
    /// One row per artefact, for a spreadsheet.
    Csv,
    /// A Markdown table.
    Md,
    /// One printable HTML page.
    Html,
}

pub fn run(repo: &Repo, args: Args) -> Result<()> {
    let snapshot = repo.snapshot()?;
    let entries = register::entries(&snapshot)?;
    let programme = snapshot.config()?.programme;
    let made = register::Provenance::of(&snapshot)?;
    match &args.output {
        Some(path) => {
            let mut file =
                std::io::BufWriter::new(std::fs::File::create(path).map_err(io_at(path))?);
            write(args.format, &programme, &entries, &made, &mut file)?;
            file.flush().map_err(io_at(path))?;
            writeln!(
                stdout(),
                "Wrote the register of {} artefacts to {}",
                entries.len(),
                path.display()
            )?;
            Ok(())
        }
        None => write(args.format, &programme, &entries, &made, &mut stdout()),
    }
}

fn write(
    format: RegisterFormat,
    programme: &str,
    entries: &[RegisterEntry],
    made: &register::Provenance,
    out: &mut dyn Write,
) -> Result<()> {
    match format {
        RegisterFormat::Json => {
            /// Each entry says when and from which commit it was exported.
            #[derive(serde::Serialize)]
            struct Row<'a> {
                #[serde(flatten)]
                entry: &'a RegisterEntry,
                made_at: String,
                commit: &'a str,
            }
            let rows: Vec<Row> = entries
                .iter()
                .map(|entry| Row {
                    entry,
                    made_at: made.at.to_string(),
                    commit: &made.commit,
                })
                .collect();
            serde_json::to_writer_pretty(&mut *out, &rows).map_err(std::io::Error::from)?;
            writeln!(out)?;
            Ok(())
        }
        RegisterFormat::Csv => register::write_csv(entries, made, out),
        RegisterFormat::Md => register::write_markdown(programme, entries, made, out),
        RegisterFormat::Html => register::write_html(programme, entries, made, out),
        RegisterFormat::Human => human(programme, entries, out),
    }
}

fn human(programme: &str, entries: &[RegisterEntry], out: &mut dyn Write) -> Result<()> {
    writeln!(
        out,
        "{programme} design register — {} artefacts\n",
        entries.len()
    )?;
    let mut table = Table::new(vec![
        "ARTEFACT",
        "TITLE",
        "BASELINE",
        "DATE",
        "DECISIONS",
        "SIGNED BY",
        "DRAFT",
        "OPEN CHANGES",
    ]);
    for entry in entries {
        let baseline = entry.baseline.as_ref();
        table.row(vec![
            (entry.id.clone(), style::HEADING),
            cell(clip(&entry.title, 40)),
            baseline.map_or_else(
                || ("—".to_string(), style::DIM),
                |b| (b.version.to_string(), style::BASELINED),
            ),
            cell(baseline.map_or("—".to_string(), |b| b.date.to_string())),
            cell(baseline.map_or("—".to_string(), |b| or_dash(&b.decisions))),
            cell(
                baseline
                    .and_then(|b| b.signed_by.as_ref())
                    .map_or("—".to_string(), |s| s.name.clone()),
            ),
            entry.pending_draft.as_ref().map_or_else(
                || ("—".to_string(), style::DIM),
                |d| (d.version.to_string(), style::DRAFT),
            ),
            cell(or_dash(&entry.open_changes)),
        ]);
    }
    if table.is_empty() {
        writeln!(
            out,
            "No artefacts are registered yet: `baseline add ID --title T FILE` registers one."
        )?;
        return Ok(());
    }
    table.print(out)
}
