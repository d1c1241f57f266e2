//! Baseline tags: each baseline has its annotated tag, with the record's message,
//! on the commit that recorded it; and no baseline tag stands without its record.

use crate::error::Result;
use crate::model::{Status, VersionNumber, VersionRecord, paths};
use crate::repo::Snapshot;

use super::{Audit, FindingKind};

/// The baseline at `path`, added by `commit` (if history shows one), has its tag.
/// `tag_may_follow`: a range (a push) is checked, whose tags may arrive with it.
pub(super) fn check_tag(
    audit: &mut Audit<'_>,
    path: &str,
    record: &VersionRecord,
    commit: Option<git2::Oid>,
    tag_may_follow: bool,
    title: &str,
) {
    let name = paths::tag(&record.artefact, &record.version);
    let Ok(reference) = audit
        .repo
        .git()
        .find_reference(&format!("refs/tags/{name}"))
    else {
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
    let target = reference.peel_to_commit().ok().map(|c| c.id());
    match (target, commit) {
        (Some(target), Some(commit)) if target != commit => {
            let kind = FindingKind::TagMoved {
                points_at: target.to_string(),
                recorded_by: commit.to_string(),
            };
            audit.find(kind, &name, Some(target))
        }
        (_, None) => audit.find(FindingKind::BaselineUnrecorded, &name, target),
        _ => {}
    }
}

/// An annotated tag's message; none for a lightweight tag.
fn annotation(reference: &git2::Reference<'_>) -> Option<String> {
    let tag = reference.peel(git2::ObjectType::Tag).ok()?;
    tag.as_tag()?.message().ok().flatten().map(str::to_string)
}

/// Tags of baselines whose record is gone, or is not a baseline: a tag is what
/// people fetch, so one without its record would vouch for nothing.
pub(super) fn check_stray_tags(audit: &mut Audit<'_>, snapshot: &Snapshot<'_>) -> Result<()> {
    let names: Vec<String> = audit
        .repo
        .git()
        .tag_names(Some("*/v*"))?
        .iter()
        .flatten()
        .flatten()
        .map(str::to_string)
        .collect();
    for name in names {
        let Some((artefact, version)) = name.split_once("/v") else {
            continue;
        };
        // Tags of things that are not artefacts are not ours to judge.
        if !snapshot.exists(&paths::artefact(artefact))? {
            continue;
        }
        let Ok(version) = version.parse::<VersionNumber>() else {
            continue;
        };
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
