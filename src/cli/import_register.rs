//! `baseline import register`: its arguments and what it prints.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::error::{Error, Result};
use crate::model::Date;
use crate::ops::import_register::{Adopted, RegisterOptions};
use crate::repo::Repo;

use super::output::{Format, FormatArg, Table, cell, paint, print_json, short_sha, shown, stdout};
use super::style;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The register: a workbook (.xlsx, .xlsm, .ods) or a CSV file, with a
    /// header row and a row per artefact.
    pub register: PathBuf,
    /// The folder holding the files the register's File column names.
    #[arg(long, value_name = "DIR")]
    pub files: PathBuf,
    /// The approved decision that adopts the register's artefacts as baselined
    /// (repeatable; at least one), e.g. DAG-DEC64.
    #[arg(long = "decision", value_name = "DEC", required = true)]
    pub decisions: Vec<String>,
    /// The date of the adoption, YYYY-MM-DD: the date of every adopted
    /// baseline, on or after the decision's date (default: today).
    #[arg(long, value_parser = super::values::date)]
    pub date: Option<Date>,
    /// Check every row and show what would be recorded, and record nothing.
    #[arg(long)]
    pub dry_run: bool,
    #[command(flatten)]
    pub format: FormatArg,
}

/// The JSON shape of `baseline import register --format json`.
#[derive(Serialize)]
struct Outcome<'a> {
    dry_run: bool,
    /// Whether a commit was made (false on a dry run, or when a row is bad).
    recorded: bool,
    commit: Option<String>,
    #[serde(flatten)]
    adopted: &'a Adopted,
}

pub fn run(repo: &Repo, dir: &Path, args: Args) -> Result<()> {
    let adopted = crate::ops::import_register::register(
        repo,
        dir,
        &RegisterOptions {
            register: &args.register,
            files: &args.files,
            decisions: &args.decisions,
            date: args.date,
            dry_run: args.dry_run,
        },
    )?;
    if args.format.format == Format::Json {
        print_json(&Outcome {
            dry_run: args.dry_run,
            recorded: adopted.commit.is_some(),
            commit: adopted.commit.map(|c| c.to_string()),
            adopted: &adopted,
        })?;
    } else if adopted.problems.is_empty() {
        print_plan(&mut stdout(), &adopted, args.dry_run)?;
    }
    if adopted.problems.is_empty() {
        Ok(())
    } else {
        Err(refusal(&adopted))
    }
}

/// Every bad row, in one refusal: nothing was recorded.
fn refusal(adopted: &Adopted) -> Error {
    let bad_rows = {
        let mut rows: Vec<_> = adopted.problems.iter().map(|p| p.row).collect();
        rows.dedup();
        rows.len()
    };
    let mut message = format!(
        "{}: {bad_rows} row(s) cannot be adopted, so nothing was recorded:",
        adopted.register.file
    );
    for problem in &adopted.problems {
        message.push_str(&format!("\n  {}", shown(&problem.to_string())));
    }
    Error::refused(
        message,
        "correct those rows in the register (rows are numbered as the spreadsheet shows them; in a CSV file the header is row 1) or take them out, then run again; --dry-run checks without recording",
    )
}

fn print_plan(out: &mut impl Write, adopted: &Adopted, dry_run: bool) -> Result<()> {
    let register = &adopted.register;
    let sheet = register
        .sheet
        .as_ref()
        .map_or_else(String::new, |s| format!(", sheet \"{}\"", shown(s)));
    writeln!(
        out,
        "{} {}{sheet} (sha256 {})",
        paint("Register", style::HEADING),
        shown(&register.file),
        short_sha(&register.sha256)
    )?;
    let mut table = Table::new(vec![
        "row",
        "artefact",
        "version",
        "title",
        "kind",
        "file",
        "stored as",
    ]);
    for planned in &adopted.artefacts {
        table.row(vec![
            cell(planned.row.to_string()),
            (planned.id.clone(), style::HEADING),
            (planned.version.to_string(), style::BASELINED),
            cell(&planned.title),
            cell(&planned.kind),
            cell(&planned.source_file),
            cell(crate::model::paths::content(&planned.id, &planned.file)),
        ]);
    }
    table.print(out)?;
    let what = format!(
        "{} artefact(s) as baselines on {}, dated {}",
        adopted.artefacts.len(),
        adopted.decisions.join(", "),
        adopted.date
    );
    match adopted.commit {
        Some(commit) if !dry_run => writeln!(
            out,
            "Adopted {what}, in commit {}; each baseline is tagged ID/vVERSION.",
            short_sha(&commit.to_string())
        )?,
        _ => writeln!(
            out,
            "Dry run: nothing recorded. Adopting would register {what}."
        )?,
    }
    Ok(())
}
