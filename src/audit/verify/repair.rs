//! `verify --repair`: puts right what the findings say can be put right, and
//! nothing else — a record that was edited or deleted needs a trusted clone.

use crate::error::Result;
use crate::model::paths;
use crate::repo::{Repo, Snapshot};

use super::{Finding, FindingKind, Report, version_of};

/// Puts right what `verify` found repairable, inside one locked transaction:
/// finishes an interrupted command, makes missing tags on the commits that
/// recorded their baselines, and rolls back record files never committed.
/// Returns what it did, a line each.
pub fn repair(repo: &Repo, report: &Report) -> Result<Vec<String>> {
    let mut done = Vec::new();
    // Beginning a transaction finishes (or rolls back) the interrupted one.
    let tx = repo.begin("verify --repair")?;
    let kinds = || report.findings.iter().map(|f| &f.kind);
    if kinds().any(|kind| *kind == FindingKind::LeftoverJournal) {
        done.push("finished the interrupted command's tags and working files".to_string());
    }
    let snapshot = tx.snapshot();
    for finding in report.findings.iter().filter(|f| f.repairable()) {
        match &finding.kind {
            FindingKind::TagMissing { .. } => {
                done.extend(make_missing_tag(repo, &snapshot, finding)?);
            }
            FindingKind::LeftoverUncommitted | FindingKind::LeftoverModified => {
                done.push(restore_as_committed(repo, &snapshot, &finding.record)?);
            }
            _ => {}
        }
    }
    Ok(done)
}

/// Makes a baseline's missing tag on the commit that recorded it, with the
/// message `approve` would have written.
fn make_missing_tag(
    repo: &Repo,
    snapshot: &Snapshot<'_>,
    finding: &Finding,
) -> Result<Option<String>> {
    let (Some((artefact, version)), Some(commit)) =
        (version_of(&finding.record), finding.commit.as_deref())
    else {
        return Ok(None);
    };
    let Some(record) = snapshot.version(&artefact, &version)? else {
        return Ok(None);
    };
    let title = snapshot
        .artefact(&artefact)?
        .map(|a| a.title)
        .unwrap_or_default();
    let name = paths::tag(&artefact, &version);
    let target = repo
        .git()
        .find_object(git2::Oid::from_str(commit)?, Some(git2::ObjectType::Commit))?;
    repo.git().tag(
        &name,
        &target,
        &repo.identity_signature()?,
        &record.tag_message(&title),
        false,
    )?;
    Ok(Some(format!("made the missing tag {name} on {commit}")))
}

/// Puts a record file back as the last commit has it, or removes it if no commit
/// has it.
fn restore_as_committed(repo: &Repo, snapshot: &Snapshot<'_>, record: &str) -> Result<String> {
    let file = repo.root().join(record);
    // The index entry goes back to the commit's too, or git would still hold the
    // half-written record.
    if let Some(head) = snapshot.commit() {
        repo.git().reset_default(Some(head.as_object()), [record])?;
    }
    match snapshot.read(record)? {
        Some(bytes) => {
            crate::repo::journal::replace_file(&file, &bytes)?;
            Ok(format!("restored {record} as committed"))
        }
        None => {
            match std::fs::remove_file(&file) {
                Err(err) if err.kind() != std::io::ErrorKind::NotFound => {
                    return Err(crate::error::io_at(&file)(err));
                }
                _ => {}
            }
            Ok(format!("removed {record}, which was never committed"))
        }
    }
}
