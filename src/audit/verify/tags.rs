//! Baseline tags: each baseline has its annotated tag, with the record's message,
//! on the commit that recorded it; and no baseline tag stands without its record.

use std::collections::HashMap;

use crate::error::Result;
use crate::model::{Status, VersionRecord, paths};
use crate::repo::Snapshot;

use super::cache::{Cache, CheckedTag};
use super::{Audit, FindingKind};

/// The baseline at `path`, added by `commit` (if history shows one), has its tag.
/// `tag_may_follow`: a range (a push) is checked, whose tags may arrive with it.
/// A tag found right is noted for the cache.
pub(super) fn check_tag(
    audit: &mut Audit<'_>,
    path: &str,
    record: &VersionRecord,
    commit: Option<git2::Oid>,
    tag_may_follow: bool,
    title: &str,
    policy: &crate::model::config::Policy,
) -> Result<()> {
    let found_before = audit.report.findings.len();
    let name = paths::tag(&record.artefact, &record.version);
    let object = tag_object(audit, &name);
    find_tag_problems(audit, &name, path, record, commit, tag_may_follow, title);
    if let Some(object) = object {
        super::signatures::check_signature(audit, &name, object, record, commit, policy)?;
    }
    if let (Some(object), Some(commit)) = (object, commit)
        && audit.report.findings.len() == found_before
    {
        let checked = CheckedTag {
            object: object.to_string(),
            record: path.to_string(),
            commit: commit.to_string(),
        };
        audit.checked_tags.insert(name, checked);
    }
    Ok(())
}

/// The object a tag's ref names (the tag object of an annotated tag).
fn tag_object(audit: &Audit<'_>, name: &str) -> Option<git2::Oid> {
    audit
        .repo
        .git()
        .find_reference(&paths::tag_ref(name))
        .ok()?
        .target()
}

fn find_tag_problems(
    audit: &mut Audit<'_>,
    name: &str,
    path: &str,
    record: &VersionRecord,
    commit: Option<git2::Oid>,
    tag_may_follow: bool,
    title: &str,
) {
    let name = name.to_string();
    let Ok(reference) = audit.repo.git().find_reference(&paths::tag_ref(&name)) else {
        if !tag_may_follow {
            let kind = FindingKind::TagMissing {
                tag: name,
                recorded: commit.is_some(),
            };
            audit.find(kind, path, commit);
        }
        return;
    };
    match annotation(&reference) {
        None => audit.find(FindingKind::TagNotAnnotated, &name, commit),
        // The message names the decisions and the hash: it must be the record's.
        Some(message) if message.trim_end() != record.tag_message(title).trim_end() => {
            audit.find(FindingKind::TagMessageMismatch, &name, commit)
        }
        Some(_) => {}
    }
    // An annotated tag names its object directly: a baseline's is its commit.
    let direct = reference
        .peel(git2::ObjectType::Tag)
        .ok()
        .and_then(|t| t.as_tag().map(|t| (t.target_type(), t.target_id())));
    if let Some((kind, id)) = direct.filter(|(kind, _)| *kind != Some(git2::ObjectType::Commit)) {
        let kind = FindingKind::TagNotOnCommit {
            kind: kind.map_or("object", |k| k.str()).to_string(),
            points_at: id.to_string(),
        };
        return audit.find(kind, &name, commit);
    }
    let target = reference.peel_to_commit().ok().map(|c| c.id());
    match (target, commit) {
        (Some(target), Some(commit)) if target != commit => {
            let (points_at, recorded_by) = (target.to_string(), commit.to_string());
            let kind = match left_by_rewrite(audit, path, target, commit) {
                Some(published) => FindingKind::TagLeftByRewrite {
                    points_at,
                    recorded_by,
                    published,
                },
                None => FindingKind::TagMoved {
                    points_at,
                    recorded_by,
                },
            };
            audit.find(kind, &name, Some(target))
        }
        // In a shallow clone, a baseline recorded before its history begins.
        (_, None) if audit.before_history.contains(path) => {}
        (_, None) => audit.find(FindingKind::BaselineUnrecorded, &name, target),
        _ => {}
    }
}

/// Whether a tag on `target`, not `commit`, was left behind by a rewrite of
/// local history rather than moved: `target` is off the branch and holds the
/// very record `commit` holds at `path`. Some(whether `target` was published:
/// on a remote-tracking branch, or this is the server); none for a real move.
fn left_by_rewrite(
    audit: &Audit<'_>,
    path: &str,
    target: git2::Oid,
    commit: git2::Oid,
) -> Option<bool> {
    let git = audit.repo.git();
    let head = audit.repo.head_commit().ok()?;
    let reaches =
        |from: git2::Oid| from == target || git.graph_descendant_of(from, target).unwrap_or(false);
    if reaches(head) {
        return None;
    }
    let record_at = |id: git2::Oid| {
        let tree = git.find_commit(id).ok()?.tree().ok()?;
        Some(tree.get_path(std::path::Path::new(path)).ok()?.id())
    };
    if record_at(target)? != record_at(commit)? {
        return None;
    }
    let remotes = git.references_glob("refs/remotes/*").ok()?;
    let on_a_remote = remotes.filter_map(|r| r.ok()?.target()).any(reaches);
    // A tag sync saw on a remote was published, whatever its commit.
    let tag_fetched = git
        .references_glob("refs/baseline/remote-tags/*")
        .ok()?
        .filter_map(|r| r.ok()?.peel_to_commit().ok())
        .any(|c| c.id() == target);
    Some(audit.repo.is_bare() || on_a_remote || tag_fetched)
}

/// An annotated tag's message, without the signature git appends to a
/// signed tag's (checked in `signatures`); none for a lightweight tag.
fn annotation(reference: &git2::Reference<'_>) -> Option<String> {
    let tag = reference.peel(git2::ObjectType::Tag).ok()?;
    let message = tag.as_tag()?.message_bytes()?;
    let (signed, _) = crate::model::approvers::split_signed(message);
    Some(String::from_utf8_lossy(signed).into_owned())
}

/// The baseline tags as they are now: name → the object each names.
fn baseline_tags(audit: &Audit<'_>) -> Result<HashMap<String, Option<git2::Oid>>> {
    let mut tags = HashMap::new();
    for reference in audit.repo.git().references_glob("refs/tags/*/v*")? {
        let reference = reference?;
        if let Some(name) = reference
            .name()
            .ok()
            .and_then(|n| n.strip_prefix("refs/tags/"))
        {
            tags.insert(name.to_string(), reference.target());
        }
    }
    Ok(tags)
}

/// Since a cached verify: each tag it checked is still the same tag object, or
/// is checked again against its baseline, or is reported missing; a tag it did
/// not see and no new baseline accounts for is checked for being stray.
pub(super) fn check_tags_since(
    audit: &mut Audit<'_>,
    snapshot: &Snapshot<'_>,
    cache: &Cache,
) -> Result<()> {
    let now = baseline_tags(audit)?;
    for (name, checked) in &cache.tags {
        let commit = git2::Oid::from_str(&checked.commit).ok();
        match now.get(name) {
            Some(Some(object)) if object.to_string() == checked.object => {
                audit.checked_tags.insert(name.clone(), checked.clone());
            }
            Some(_) => check_again(audit, snapshot, &checked.record, commit)?,
            None => {
                let kind = FindingKind::TagMissing {
                    tag: name.clone(),
                    recorded: true,
                };
                audit.find(kind, &checked.record, commit);
            }
        }
    }
    let unseen: Vec<String> = now
        .into_keys()
        .filter(|name| !audit.checked_tags.contains_key(name) && !cache.tags.contains_key(name))
        .collect();
    check_stray(audit, snapshot, unseen)
}

/// A baseline whose tag changed since the cached verify, checked as a whole
/// verify checks it.
fn check_again(
    audit: &mut Audit<'_>,
    snapshot: &Snapshot<'_>,
    path: &str,
    commit: Option<git2::Oid>,
) -> Result<()> {
    let Some((artefact, version)) = super::version_of(path) else {
        return Ok(());
    };
    let Some(record) = snapshot.version(&artefact, &version).ok().flatten() else {
        return Ok(());
    };
    let title = snapshot
        .artefact(&artefact)
        .ok()
        .flatten()
        .map(|a| a.title)
        .unwrap_or_default();
    let current = snapshot.config().map(|c| c.policy).unwrap_or_default();
    let policy = super::versions::policy_when_recorded(audit, commit, &current)?;
    check_tag(audit, path, &record, commit, false, &title, &policy)
}

/// Tags of baselines whose record is gone, or is not a baseline: a tag is what
/// people fetch, so one without its record would vouch for nothing.
pub(super) fn check_stray_tags(audit: &mut Audit<'_>, snapshot: &Snapshot<'_>) -> Result<()> {
    let names = baseline_tags(audit)?.into_keys().collect();
    check_stray(audit, snapshot, names)
}

fn check_stray(
    audit: &mut Audit<'_>,
    snapshot: &Snapshot<'_>,
    mut names: Vec<String>,
) -> Result<()> {
    names.sort();
    for name in names {
        let Some((artefact, version)) = paths::parse_tag(&name) else {
            continue;
        };
        // Tags of things that are not artefacts are not ours to judge.
        if !snapshot.exists(&paths::artefact(artefact))? {
            continue;
        }
        let record = snapshot.version(artefact, &version).ok().flatten();
        if record.is_none_or(|r| r.status != Status::Baselined) {
            let kind = FindingKind::StrayTag {
                record: paths::version(artefact, &version),
            };
            audit.find(kind, &name, None);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::testing::Design;
    use crate::model::Outcome;

    #[test]
    fn a_deleted_tag_is_found_and_can_be_made_on_the_commit_that_recorded_it() {
        let design = Design::with_baseline();
        let recorded = design.git(&["rev-parse", "DOC/v1.0^{commit}"]);
        design.git(&["tag", "-d", "DOC/v1.0"]);
        let report = design.verify();
        assert_eq!(report.findings.len(), 1, "{:?}", report.findings);
        let missing = &report.findings[0];
        assert_eq!(missing.code(), "tag-missing");
        assert_eq!(missing.record, "artefacts/DOC/versions/1.0.toml");
        assert_eq!(missing.commit.as_deref(), Some(recorded.trim()));
        assert!(missing.repairable());
    }

    #[test]
    fn a_lightweight_tag_in_place_of_the_annotated_one_is_found() {
        let design = Design::with_baseline();
        design.git(&["tag", "-d", "DOC/v1.0"]);
        design.git(&["tag", "DOC/v1.0", "HEAD"]);
        assert_eq!(design.findings(), ["tag-not-annotated DOC/v1.0"]);
    }

    #[test]
    fn a_tag_moved_to_another_commit_with_another_message_is_found() {
        let design = Design::with_baseline();
        design.decision("DEC2", "2023-06-05", Outcome::Noted, &[]);
        design.git(&["tag", "-f", "-a", "DOC/v1.0", "-m", "moved", "HEAD"]);
        assert_eq!(
            design.findings(),
            ["tag-message-mismatch DOC/v1.0", "tag-moved DOC/v1.0"]
        );
    }

    #[test]
    fn a_tag_made_again_with_its_message_on_a_tree_blob_or_tag_is_found() {
        for target in ["DOC/v1.0^{tree}", "DOC/v1.0:baseline.toml", "inner"] {
            let design = Design::with_baseline();
            design.git(&["tag", "-a", "inner", "-m", "inner", "DOC/v1.0^{commit}"]);
            let message = design.git(&["tag", "-l", "--format=%(contents)", "DOC/v1.0"]);
            let object = design.git(&["rev-parse", target]);
            design.git(&["tag", "-d", "DOC/v1.0"]);
            design.git(&[
                "tag",
                "-a",
                "DOC/v1.0",
                "-m",
                message.trim_end(),
                object.trim(),
            ]);
            assert_eq!(
                design.findings(),
                ["tag-not-on-commit DOC/v1.0"],
                "{target}"
            );
        }
    }

    #[test]
    fn a_baseline_tag_on_a_draft_is_stray() {
        let design = Design::with_baseline();
        design.git(&["tag", "-a", "DOC/v0.1", "-m", "not a baseline", "HEAD"]);
        // A tag of something that is not an artefact is not ours to judge.
        design.git(&["tag", "-a", "OTHER/v1.0", "-m", "someone else's", "HEAD"]);
        assert_eq!(design.findings(), ["stray-tag DOC/v0.1"]);
    }
}
