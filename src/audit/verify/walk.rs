//! The history walk: every commit from oldest to newest, noting where each record
//! file was added and catching any later edit or deletion. Records are written
//! once, so the first commit that holds one is the one that vouches for it.

use std::collections::{BTreeMap, HashSet};

use crate::audit::history::{Change, Delta, Differ};
use crate::error::Result;
use crate::model::paths;
use crate::repo::Snapshot;

use super::{Audit, FindingKind, Range, version_of};

/// Walks the commits of `range` (or all of history up to `head`), oldest
/// first; `at_head` is the tree of `head`.
pub(super) fn walk(
    audit: &mut Audit<'_>,
    at_head: &Snapshot<'_>,
    range: Option<Range>,
    head: git2::Oid,
    progress: &dyn Fn(usize, usize),
) -> Result<()> {
    let git = audit.repo.git();
    let commits = oldest_first(git, range, head)?;
    audit.report.commits = commits.len();
    let shallow = shallow_boundary(git);
    audit.report.shallow_from = commits
        .iter()
        .filter(|id| shallow.contains(id))
        .map(|id| id.to_string())
        .collect();
    let odb = git.odb()?;
    let mut differ = Differ::new(&odb);
    for (n, id) in commits.iter().enumerate() {
        progress(n, commits.len());
        let commit = git.find_commit(*id)?;
        let parents: Vec<git2::Oid> = commit.parent_ids().collect();
        for delta in merged_deltas(&mut differ, git, &parents, commit.tree_id())? {
            // Where a shallow clone's history begins, what is there was
            // recorded before it: not added by this commit.
            if shallow.contains(id) {
                audit.before_history.insert(delta.path);
                continue;
            }
            note_draft_content(audit, at_head, &mut differ, commit.tree_id(), &delta)?;
            record_change(audit, &delta, *id)?;
        }
    }
    progress(commits.len(), commits.len());
    Ok(())
}

/// The commits whose parents a shallow clone does not hold (git lists them in
/// `.git/shallow`); none in a whole clone.
pub(super) fn shallow_boundary(git: &git2::Repository) -> HashSet<git2::Oid> {
    if !git.is_shallow() {
        return HashSet::new();
    }
    std::fs::read_to_string(git.path().join("shallow"))
        .unwrap_or_default()
        .lines()
        .filter_map(|line| git2::Oid::from_str(line.trim()).ok())
        .collect()
}

fn oldest_first(
    git: &git2::Repository,
    range: Option<Range>,
    head: git2::Oid,
) -> Result<Vec<git2::Oid>> {
    let mut walk = git.revwalk()?;
    walk.set_sorting(git2::Sort::TOPOLOGICAL | git2::Sort::REVERSE)?;
    match range {
        Some((old, new)) => {
            walk.push(new)?;
            if let Some(old) = old {
                walk.hide(old)?;
            }
        }
        None => walk.push(head)?,
    }
    Ok(walk.collect::<std::result::Result<_, _>>()?)
}

/// Where a version record is added, notes the content its commit held at the
/// artefact's file (named by its record at `at_head`): a draft records the
/// working content of its own commit.
fn note_draft_content(
    audit: &mut Audit<'_>,
    at_head: &Snapshot<'_>,
    differ: &mut Differ<'_>,
    tree: git2::Oid,
    delta: &Delta,
) -> Result<()> {
    let (Change::Added, Some((artefact, _))) = (delta.change, version_of(&delta.path)) else {
        return Ok(());
    };
    let file = audit
        .content_files
        .entry(artefact.clone())
        .or_insert_with(|| at_head.artefact(&artefact).ok().flatten().map(|a| a.file));
    if let Some(file) = file {
        let blob = differ.blob_at(tree, &paths::content(&artefact, file))?;
        audit.content_at.insert(delta.path.clone(), blob);
    }
    Ok(())
}

fn record_change(audit: &mut Audit<'_>, delta: &Delta, commit: git2::Oid) -> Result<()> {
    let path = delta.path.as_str();
    if let Some(what) = delta.not_a_file {
        let kind = FindingKind::RecordNotAFile {
            what: what.to_string(),
        };
        audit.find(kind, path, Some(commit));
        return Ok(());
    }
    // The approvers file changes by `approver add|remove` (checked in `signatures`).
    if path == paths::APPROVERS {
        audit.approvers_edits.push(commit);
        return Ok(());
    }
    match (delta.change, delta.old, delta.new) {
        (Change::Added, _, Some(new)) => {
            audit.added.insert(path.to_string(), (commit, new));
            if let Some((artefact, version)) = version_of(path) {
                audit
                    .order
                    .entry(artefact)
                    .or_default()
                    .push((version, commit));
            }
        }
        (Change::Deleted, ..) => audit.find(FindingKind::RecordDeleted, path, Some(commit)),
        // No old blob: a merge edited a record one side brought in (see
        // `merged_deltas`).
        (Change::Modified, None, _) => {
            audit.find(FindingKind::RecordEditedInMerge, path, Some(commit))
        }
        (Change::Modified, Some(old), Some(new)) if may_grow(path) => {
            audit.grown.insert(path.to_string());
            if !only_grew(audit, old, new)? {
                audit.find(FindingKind::HistoryRewritten, path, Some(commit));
            }
        }
        // The policy file is changed by `policy set` (checked in `policy`); each
        // baseline is checked against the policy in force when it was recorded.
        (Change::Modified, ..) if path == crate::model::paths::CONFIG => {
            audit.config_edits.push(commit);
        }
        _ => audit.find(FindingKind::RecordEdited, path, Some(commit)),
    }
    Ok(())
}

/// Records whose history may gain steps; every other record is written once.
fn may_grow(path: &str) -> bool {
    crate::model::paths::Record::parse(path).is_some_and(|record| record.may_grow())
}

/// The lists a growing record may append to: an action's and a change's
/// history, and a change's amendments.
const GROWING_LISTS: [&str; 2] = ["history", "amendments"];

/// Whether a change or action record only grew: the same fields, and each old
/// growing list as the start of its new one. A record that does not parse is
/// left to the checks that read records.
fn only_grew(audit: &Audit<'_>, old: git2::Oid, new: git2::Oid) -> Result<bool> {
    let parse = |id: git2::Oid| -> Result<Option<toml::Table>> {
        let blob = audit.repo.git().find_blob(id)?;
        Ok(std::str::from_utf8(blob.content())
            .ok()
            .and_then(|text| text.parse::<toml::Table>().ok()))
    };
    let (Some(mut before), Some(mut after)) = (parse(old)?, parse(new)?) else {
        return Ok(true);
    };
    let entries = |table: &mut toml::Table, list: &str| match table.remove(list) {
        Some(toml::Value::Array(entries)) => entries,
        _ => Vec::new(),
    };
    let appended = GROWING_LISTS.iter().all(|list| {
        let old_entries = entries(&mut before, list);
        entries(&mut after, list).starts_with(&old_entries)
    });
    Ok(appended && before == after)
}

/// What a commit changed among the records, against all its parents. Records
/// are append-only across merges too: a merge adds a record only if no parent
/// had it; a record any parent had must come through — deleted against any
/// parent, it was dropped; a record written once must be that parent's exactly
/// (an add/add conflict settled by keeping one side replaced the other's); a
/// record that grows must have grown from each parent's. A record a merge
/// brings in unchanged from one parent was checked where that parent's history
/// made it.
fn merged_deltas(
    differ: &mut Differ<'_>,
    git: &git2::Repository,
    parents: &[git2::Oid],
    tree: git2::Oid,
) -> Result<Vec<Delta>> {
    let parent_tree = |id: &git2::Oid| -> Result<git2::Oid> { Ok(git.find_commit(*id)?.tree_id()) };
    match parents {
        [] => differ.diff(None, tree),
        [only] => differ.diff(Some(parent_tree(only)?), tree),
        _ => {
            let mut against_each = Vec::with_capacity(parents.len());
            for parent in parents {
                against_each.push(differ.diff(Some(parent_tree(parent)?), tree)?);
            }
            Ok(merge_deltas(against_each))
        }
    }
}

/// A merge's record changes from its changes against each parent (see
/// [`merged_deltas`]): each path once, except that a growing record is checked
/// against every parent that had it.
fn merge_deltas(against_each: Vec<Vec<Delta>>) -> Vec<Delta> {
    let parents = against_each.len();
    let mut added: BTreeMap<String, (usize, Delta)> = BTreeMap::new();
    let mut reported = HashSet::new();
    let mut deltas = Vec::new();
    for delta in against_each.into_iter().flatten() {
        match delta.change {
            Change::Added => {
                added
                    .entry(delta.path.clone())
                    .and_modify(|(count, _)| *count += 1)
                    .or_insert((1, delta));
            }
            Change::Modified if may_grow(&delta.path) => deltas.push(delta),
            // Written once: the merge changed what a parent committed.
            Change::Modified => {
                if reported.insert(delta.path.clone()) {
                    deltas.push(Delta { old: None, ..delta });
                }
            }
            Change::Deleted => {
                if reported.insert(delta.path.clone()) {
                    deltas.push(delta);
                }
            }
        }
    }
    // New to every parent: the merge itself added it.
    deltas.extend(
        added
            .into_values()
            .filter(|(count, _)| *count == parents)
            .map(|(_, delta)| delta),
    );
    deltas
}

#[cfg(test)]
mod tests {
    use super::super::testing::Design;
    use crate::model::{ChangeState, Outcome};

    const DEC2: &str = "id = \"DEC2\"\ndate = \"2023-06-05\"\noutcome = \"noted\"\ntext = \"Noted.\"\n\
                        recorded_by = \"Test Designer <designer@example.org>\"\n\
                        recorded_at = \"2023-06-05T00:00:00Z\"\n";

    #[test]
    fn a_record_edited_after_its_commit_is_found_at_the_editing_commit() {
        let design = Design::with_baseline();
        let text = design
            .read("decisions/DEC1.toml")
            .replace("Approved.", "Approved, as amended.");
        design.commit_by_hand("decisions/DEC1.toml", &text);
        let head = design.git(&["rev-parse", "HEAD"]);
        let report = design.verify();
        let edited = report
            .findings
            .iter()
            .find(|f| f.code() == "record-edited")
            .expect("the edit is found");
        assert_eq!(edited.record, "decisions/DEC1.toml");
        assert_eq!(edited.commit.as_deref(), Some(head.trim()));
        assert!(!edited.repairable());
    }

    #[test]
    fn a_deleted_record_is_found() {
        let design = Design::with_baseline();
        design.git(&["rm", "--quiet", "artefacts/DOC/versions/0.1.toml"]);
        design.git(&["commit", "--quiet", "-m", "Remove a draft"]);
        assert!(
            design
                .findings()
                .contains(&"record-deleted artefacts/DOC/versions/0.1.toml".to_string()),
            "{:?}",
            design.findings()
        );
    }

    /// A change's history grows through `change set`; rewriting its fields does not.
    #[test]
    fn a_change_may_gain_steps_but_not_be_rewritten() {
        let design = Design::with_draft();
        design.change("CR1", "2023-06-04");
        design.change_state("CR1", ChangeState::ImpactAssessment, "2023-06-05");
        assert_eq!(design.findings(), Vec::<String>::new());

        let text = design
            .read("changes/CR1.toml")
            .replace("A change", "Another change");
        design.commit_by_hand("changes/CR1.toml", &text);
        assert_eq!(design.findings(), ["history-rewritten changes/CR1.toml"]);
    }

    /// Merges `side`, which added decision DEC2, into the default branch;
    /// `resolve` may change the merge's result before it is committed.
    fn merge_a_side_branch(design: &Design, resolve: &dyn Fn(&Design)) {
        let main = design.git(&["branch", "--show-current"]);
        design.git(&["checkout", "--quiet", "-b", "side"]);
        design.commit_by_hand("decisions/DEC2.toml", DEC2);
        design.git(&["checkout", "--quiet", main.trim()]);
        design.git(&["merge", "--quiet", "--no-ff", "--no-commit", "side"]);
        resolve(design);
        design.git(&["add", "--all"]);
        design.git(&["commit", "--quiet", "-m", "Merge side"]);
    }

    #[test]
    fn a_merge_that_brings_in_a_record_unchanged_is_clean() {
        let design = Design::with_baseline();
        merge_a_side_branch(&design, &|_| {});
        assert_eq!(design.findings(), Vec::<String>::new());
    }

    #[test]
    fn a_merge_that_changes_a_record_one_side_committed_is_found() {
        let design = Design::with_baseline();
        merge_a_side_branch(&design, &|design| {
            design.write(
                "decisions/DEC2.toml",
                &DEC2.replace("Noted.", "Noted, differently."),
            );
        });
        assert_eq!(
            design.findings(),
            ["record-edited-in-merge decisions/DEC2.toml"]
        );
    }

    /// Makes a branch `other` from HEAD where `on_other` runs, then returns to
    /// the first branch, where `on_main` runs.
    fn two_sides(design: &Design, on_other: impl Fn(&Design), on_main: impl Fn(&Design)) {
        let main = design.git(&["rev-parse", "--abbrev-ref", "HEAD"]);
        design.git(&["checkout", "-q", "-b", "other"]);
        on_other(design);
        design.git(&["checkout", "-q", main.trim()]);
        on_main(design);
    }

    #[test]
    fn a_merge_that_drops_the_other_sides_records_is_found() {
        let design = Design::with_baseline();
        two_sides(
            &design,
            |d| d.decision("DEC2", "2023-06-05", Outcome::Noted, &[]),
            |d| d.decision("DEC3", "2023-06-05", Outcome::Noted, &[]),
        );
        design.git(&["merge", "-q", "-s", "ours", "other", "-m", "merge, ours"]);
        assert_eq!(design.findings(), ["record-deleted decisions/DEC2.toml"]);
    }

    #[test]
    fn an_add_add_conflict_settled_by_keeping_one_side_is_found() {
        let design = Design::with_baseline();
        two_sides(
            &design,
            |d| d.decision("DEC2", "2023-06-05", Outcome::Noted, &[]),
            |d| d.decision("DEC2", "2023-06-06", Outcome::Rejected, &[]),
        );
        let conflict = std::process::Command::new("git")
            .args(["merge", "-q", "other", "-m", "merge"])
            .current_dir(design.path())
            .output()
            .unwrap();
        assert!(!conflict.status.success(), "the two DEC2 records conflict");
        design.git(&["checkout", "--ours", "decisions/DEC2.toml"]);
        design.git(&["add", "-A"]);
        design.git(&["commit", "-q", "-m", "merge, keeping ours"]);
        assert_eq!(
            design.findings(),
            ["record-edited-in-merge decisions/DEC2.toml"]
        );
    }

    #[test]
    fn a_merge_of_both_sides_records_is_clean() {
        let design = Design::with_baseline();
        two_sides(
            &design,
            |d| d.decision("DEC2", "2023-06-05", Outcome::Noted, &[]),
            |d| d.decision("DEC3", "2023-06-05", Outcome::Noted, &[]),
        );
        design.git(&["merge", "-q", "other", "-m", "merge"]);
        assert_eq!(design.findings(), Vec::<String>::new());
    }

    #[test]
    fn a_git_replace_of_a_record_is_found() {
        let design = Design::with_baseline();
        let blob = design.git(&["rev-parse", "HEAD:decisions/DEC1.toml"]);
        let forged = design
            .read("decisions/DEC1.toml")
            .replace("Approved.", "Rejected.");
        design.write("forged.toml", &forged);
        let by = design.git(&["hash-object", "-w", "forged.toml"]);
        std::fs::remove_file(design.path().join("forged.toml")).unwrap();
        design.git(&["replace", blob.trim(), by.trim()]);
        assert_eq!(
            design.findings(),
            [format!("object-replaced {}", blob.trim())]
        );
    }

    #[test]
    fn an_artefact_folder_renamed_by_hand_is_found() {
        let design = Design::with_baseline();
        design.git(&["mv", "artefacts/DOC", "artefacts/DOC2"]);
        design.git(&["commit", "-q", "-m", "rename"]);
        let findings = design.findings();
        assert!(
            findings.contains(&"record-deleted artefacts/DOC/versions/1.0.toml".to_string()),
            "{findings:?}"
        );
    }

    #[test]
    fn a_field_slipped_into_a_decision_is_found() {
        let design = Design::with_baseline();
        let text = design.read("decisions/DEC1.toml") + "superseded_by = \"DEC-X\"\n";
        design.commit_by_hand("decisions/DEC1.toml", &text);
        let findings = design.findings();
        assert!(
            findings.contains(&"record-edited decisions/DEC1.toml".to_string()),
            "{findings:?}"
        );
        assert!(
            findings.contains(&"record-unparsable decisions/DEC1.toml".to_string()),
            "{findings:?}"
        );
    }
}
