//! Release records hold what `release create` checked: approved decisions
//! dated on or before the release, baselined versions with the hashes their
//! records give, approved changes affecting what it includes. A release
//! committed by hand is held to the same rules.

use crate::error::Result;
use crate::model::{Release, paths};
use crate::repo::Snapshot;
use crate::rules;

use super::{Audit, FindingKind};

/// Every release (or, for a range, those its commits added).
pub(super) fn check_releases(
    audit: &mut Audit<'_>,
    snapshot: &Snapshot<'_>,
    only_added: bool,
) -> Result<()> {
    for name in snapshot.list(paths::RELEASES)? {
        let Some(id) = paths::record_id(&name) else {
            continue;
        };
        let path = paths::release(id);
        if only_added && !audit.added.contains_key(&path) {
            continue;
        }
        let release = match snapshot.record::<Release>(&path) {
            Ok(Some(release)) => release,
            Ok(None) => continue,
            Err(err) => {
                let kind = FindingKind::RecordUnparsable { error: err.message };
                audit.find(kind, path, None);
                continue;
            }
        };
        for error in broken_rules(snapshot, &release) {
            audit.find(FindingKind::RuleBroken { error }, path.clone(), None);
        }
    }
    Ok(())
}

/// What is wrong with a release, each as the refusal `release create` gives.
fn broken_rules(snapshot: &Snapshot<'_>, release: &Release) -> Vec<String> {
    let mut broken = Vec::new();
    for id in &release.decisions {
        let decision = snapshot.decision(id).ok().flatten();
        broken.extend(message(rules::release::check_decision(
            id,
            decision.as_ref(),
            release.date,
        )));
    }
    for included in &release.artefacts {
        let record = snapshot
            .version(&included.artefact, &included.version)
            .ok()
            .flatten();
        broken.extend(message(rules::release::check_included(included, record)));
    }
    for id in &release.changes {
        match snapshot.change(id).ok().flatten() {
            Some(change) => broken.extend(message(rules::release::check_change(
                &change,
                &release.artefacts,
            ))),
            None => broken.push(format!("it implements {id}, which is not recorded")),
        }
    }
    broken
        .into_iter()
        .map(|why| format!("release {}: {why}", release.id))
        .collect()
}

/// A rule's refusal, as the sentence a finding gives.
fn message(checked: crate::error::Result<()>) -> Option<String> {
    checked.err().map(|e| e.message)
}
