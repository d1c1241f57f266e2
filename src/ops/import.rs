//! `baseline import report`: records a meeting's headline report — the meeting,
//! its decisions and actions, and the change steps they make — in one commit.

use std::path::Path;

use crate::error::{Error, Result};
use crate::import::plan::Stamp;
use crate::import::{self, Patterns, Plan};
use crate::model::meeting::Report as ReportSource;
use crate::model::{date, sha256_hex};
use crate::repo::Repo;

/// What importing a report did, or (on a dry run) would do.
pub struct Imported {
    pub plan: Plan,
    /// The commit made; none on a dry run, or when nothing was new.
    pub commit: Option<git2::Oid>,
}

/// Reads the report at `file` (resolved against `dir`) and records what is new
/// in it, unless `dry_run`.
pub fn report(repo: &Repo, dir: &Path, file: &Path, dry_run: bool) -> Result<Imported> {
    let bytes = crate::repo::files::read_file(&dir.join(file))?;
    let name = file.file_name().map_or_else(
        || file.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let in_file = |err: Error| Error::refused(format!("{name}: {}", err.message), err.hint);
    let stamp = Stamp {
        who: repo.identity()?,
        at: date::now(),
    };
    if dry_run {
        let snapshot = repo.snapshot()?;
        let config = snapshot.config()?;
        let report = import::parse(&bytes, &Patterns::new(&config.import)?).map_err(in_file)?;
        let source = source(&name, &bytes, &report);
        let plan = import::plan(&snapshot, &config, &report, source, &stamp).map_err(in_file)?;
        return Ok(Imported { plan, commit: None });
    }
    let tx = repo.begin(format!("import report {name}"))?;
    let config = tx.config()?;
    let report = import::parse(&bytes, &Patterns::new(&config.import)?).map_err(in_file)?;
    let source = source(&name, &bytes, &report);
    let plan = import::plan(tx.snapshot(), &config, &report, source, &stamp).map_err(in_file)?;
    let commit = if plan.is_unchanged() {
        None
    } else {
        Some(import::apply(tx, &plan)?)
    };
    Ok(Imported { plan, commit })
}

fn source(file: &str, bytes: &[u8], report: &import::Report) -> ReportSource {
    ReportSource {
        file: file.to_string(),
        sha256: sha256_hex(bytes),
        issued: report.meeting.issued,
    }
}
