//! What changed between two recorded releases: each artefact added, removed,
//! changed or unchanged, and the changes and decisions of the releases between.

use crate::error::{Error, Result};
use crate::model::{Release, VersionNumber};
use crate::repo::Snapshot;

/// What changed between two releases: each artefact added, removed, changed
/// (from → to version) or unchanged, and the changes and decisions recorded by
/// the releases after FROM up to TO.
#[derive(Debug, serde::Serialize)]
pub struct ReleaseDiff {
    pub from: Release,
    pub to: Release,
    pub artefacts: Vec<ArtefactDiff>,
    /// The changes (CRs, DINs) the releases after FROM up to TO implement.
    pub changes: Vec<String>,
    /// The decisions that approved those releases.
    pub decisions: Vec<String>,
}

/// One artefact between two releases.
#[derive(Debug, serde::Serialize)]
pub struct ArtefactDiff {
    pub artefact: String,
    pub change: ArtefactChange,
    pub from: Option<VersionNumber>,
    pub to: Option<VersionNumber>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ArtefactChange {
    Added,
    Removed,
    Changed,
    Unchanged,
}

/// Compares two recorded releases; FROM must be dated on or before TO.
pub fn compare(snapshot: &Snapshot<'_>, from: &str, to: &str) -> Result<ReleaseDiff> {
    let (from, to) = (
        snapshot.require_release(from)?,
        snapshot.require_release(to)?,
    );
    if from.date > to.date {
        return Err(Error::refused(
            format!(
                "release {} ({}) is later than {} ({})",
                from.id, from.date, to.id, to.date
            ),
            format!(
                "name the older release first: --release {} {}",
                to.id, from.id
            ),
        ));
    }
    let mut names: Vec<&String> = from
        .artefacts
        .iter()
        .chain(&to.artefacts)
        .map(|i| &i.artefact)
        .collect();
    names.sort();
    names.dedup();
    let version_in = |release: &Release, artefact: &str| {
        release
            .artefacts
            .iter()
            .find(|i| i.artefact == artefact)
            .map(|i| i.version.clone())
    };
    let artefacts = names
        .into_iter()
        .map(|artefact| {
            let (old, new) = (version_in(&from, artefact), version_in(&to, artefact));
            let change = match (&old, &new) {
                (None, _) => ArtefactChange::Added,
                (_, None) => ArtefactChange::Removed,
                (Some(a), Some(b)) if a == b => ArtefactChange::Unchanged,
                _ => ArtefactChange::Changed,
            };
            ArtefactDiff {
                artefact: artefact.clone(),
                change,
                from: old,
                to: new,
            }
        })
        .collect();
    let between: Vec<Release> = snapshot
        .releases()?
        .into_iter()
        .filter(|r| r.id != from.id && (r.date, r.recorded_at) > (from.date, from.recorded_at))
        .filter(|r| (r.date, r.recorded_at) <= (to.date, to.recorded_at))
        .collect();
    let gather = |of: fn(&Release) -> &Vec<String>| {
        let mut ids: Vec<String> = between.iter().flat_map(|r| of(r).clone()).collect();
        ids.sort();
        ids.dedup();
        ids
    };
    Ok(ReleaseDiff {
        changes: gather(|r| &r.changes),
        decisions: gather(|r| &r.decisions),
        artefacts,
        from,
        to,
    })
}

impl ArtefactChange {
    pub fn word(self) -> &'static str {
        match self {
            ArtefactChange::Added => "added",
            ArtefactChange::Removed => "removed",
            ArtefactChange::Changed => "changed",
            ArtefactChange::Unchanged => "unchanged",
        }
    }
}
