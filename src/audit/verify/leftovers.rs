//! Half-written work a killed command left: a pending journal, or record files in
//! the working tree that were never committed or differ from the commit.

use crate::error::Result;

use super::{Audit, FindingKind};

/// Where the journal of an unfinished command lives, as the report names it.
pub(super) const JOURNAL: &str = ".git/baseline/journal.json";

/// The folders (and file) that hold records.
const RECORD_PLACES: [&str; 6] = [
    "baseline.toml",
    "artefacts",
    "decisions",
    "changes",
    "meetings",
    "actions",
];

pub(super) fn check_leftovers(audit: &mut Audit<'_>) -> Result<()> {
    if crate::repo::pending_transaction(audit.repo)?.is_some() {
        audit.find(FindingKind::LeftoverJournal, JOURNAL, None);
    }
    for (path, status) in record_files_changed(audit.repo.git())? {
        let kind = if status.contains(git2::Status::WT_NEW) {
            FindingKind::LeftoverUncommitted
        } else {
            FindingKind::LeftoverModified
        };
        audit.find(kind, path, None);
    }
    Ok(())
}

/// Record files whose working copy is new or differs from the commit. Working
/// content (an artefact's document) is the user's to change and is left alone.
fn record_files_changed(git: &git2::Repository) -> Result<Vec<(String, git2::Status)>> {
    let mut options = git2::StatusOptions::new();
    options.include_untracked(true).recurse_untracked_dirs(true);
    for place in RECORD_PLACES {
        options.pathspec(place);
    }
    let statuses = git.statuses(Some(&mut options))?;
    Ok(statuses
        .iter()
        .filter_map(|s| Some((s.path().ok()?.to_string(), s.status())))
        .filter(|(path, _)| is_record(path))
        .collect())
}

fn is_record(path: &str) -> bool {
    let in_folder = |folder: &str| path.starts_with(folder) && path.ends_with(".toml");
    path == "baseline.toml"
        || path.ends_with("/artefact.toml")
        || (in_folder("artefacts/") && path.contains("/versions/"))
        || in_folder("decisions/")
        || in_folder("changes/")
        || in_folder("meetings/")
        || in_folder("actions/")
}
