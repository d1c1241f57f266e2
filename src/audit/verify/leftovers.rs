//! Half-written work a killed command left: a pending journal, or record files in
//! the working tree that were never committed or differ from the commit.

use crate::error::Result;
use crate::model::paths::{self, Record};

use super::{Audit, FindingKind};

/// Where the journal of an unfinished command lives, as the report names it.
pub(super) const JOURNAL: &str = ".git/baseline/journal.json";

/// The folders (and file) that hold records.
const RECORD_PLACES: [&str; 8] = [
    paths::CONFIG,
    paths::ARTEFACTS,
    paths::DECISIONS,
    paths::CHANGES,
    paths::MEETINGS,
    paths::ACTIONS,
    paths::RELEASES,
    paths::CORRECTIONS,
];

pub(super) fn check_leftovers(audit: &mut Audit<'_>) -> Result<()> {
    if crate::repo::pending_transaction(audit.repo)?.is_some() {
        audit.find(FindingKind::LeftoverJournal, JOURNAL, None);
    }
    for (path, status) in record_files_changed(audit.repo.git())? {
        let kind = if status.contains(git2::Status::CONFLICTED) {
            FindingKind::RecordUnmerged
        } else if status.contains(git2::Status::WT_NEW) {
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
    Record::is_record_place(path)
}

#[cfg(test)]
mod tests {
    use super::super::testing::Design;
    use super::*;

    #[test]
    fn record_files_left_uncommitted_or_changed_are_found() {
        let design = Design::with_baseline();
        design.write("decisions/DEC2.toml", "id = \"DEC2\"\n");
        let edited = design.read("decisions/DEC1.toml") + "note = \"half\"\n";
        design.write("decisions/DEC1.toml", &edited);
        let report = design.verify();
        let found: Vec<(&str, &str, bool)> = report
            .findings
            .iter()
            .map(|f| (f.code(), f.record.as_str(), f.repairable()))
            .collect();
        assert_eq!(
            found,
            [
                ("leftover-modified", "decisions/DEC1.toml", true),
                ("leftover-uncommitted", "decisions/DEC2.toml", true),
            ]
        );
    }

    /// The working content is the user's to change; only records are judged.
    #[test]
    fn working_content_and_other_files_are_not_leftovers() {
        let design = Design::with_baseline();
        design.write("artefacts/DOC/doc.md", "# Scope\n\nBeing edited.\n");
        design.write("notes/todo.txt", "ask the DAG\n");
        design.write("decisions/README.md", "what lives here\n");
        assert_eq!(design.findings(), Vec::<String>::new());
    }

    #[test]
    fn records_are_told_from_other_files_by_path() {
        for record in [
            "baseline.toml",
            "artefacts/DOC/artefact.toml",
            "artefacts/DOC/versions/1.0.toml",
            "decisions/DEC1.toml",
            "changes/CR1.toml",
            "meetings/DAG026.toml",
            "actions/DAG26-01.toml",
        ] {
            assert!(is_record(record), "{record}");
        }
        for other in [
            "artefacts/DOC/doc.md",
            "decisions/README.md",
            "notes/a.toml",
        ] {
            assert!(!is_record(other), "{other}");
        }
    }
}
