//! The policy in `baseline.toml` changes only as a recorded event: a
//! `policy set` commit that changes the one setting it names, citing a
//! decision that was approved on or before the date it took effect. Any other
//! edit is reported, and so is every baseline made while an edit that differs
//! from the recorded policy was in force.

use std::collections::HashSet;

use crate::error::Result;
use crate::model::config::{Config, POLICY_KEYS};
use crate::model::{Outcome, Status, trailers};
use crate::repo::Snapshot;

use super::{Audit, FindingKind, version_of};

pub(super) fn check_policy(audit: &mut Audit<'_>, snapshot: &Snapshot<'_>) -> Result<()> {
    let edits = std::mem::take(&mut audit.config_edits);
    let mut recorded = HashSet::new();
    let mut any_unrecorded = false;
    for &edit in &edits {
        match unrecorded_because(audit, snapshot, edit)? {
            None => {
                recorded.insert(edit);
            }
            Some(why) => {
                any_unrecorded = true;
                audit.find(
                    FindingKind::PolicyUnrecorded { why },
                    crate::model::paths::CONFIG,
                    Some(edit),
                );
            }
        }
    }
    if any_unrecorded {
        check_baselines(audit, snapshot, &recorded)?;
    }
    Ok(())
}

/// Why an edit of baseline.toml is not a recorded policy change; none where it is.
fn unrecorded_because(
    audit: &Audit<'_>,
    snapshot: &Snapshot<'_>,
    edit: git2::Oid,
) -> Result<Option<String>> {
    let git = audit.repo.git();
    let commit = git.find_commit(edit)?;
    let Some(set) = commit.message().ok().and_then(trailers::policy_set) else {
        return Ok(Some("the commit is not a `policy set`".into()));
    };
    let cited = snapshot.decision(&set.decision).ok().flatten();
    match cited {
        None => {
            return Ok(Some(format!(
                "it cites {}, which is not recorded",
                set.decision
            )));
        }
        Some(d) if d.outcome != Outcome::Approved || d.date > set.date => {
            return Ok(Some(format!(
                "it cites {} ({} on {}), which could not change the policy on {}",
                set.decision, d.outcome, d.date, set.date
            )));
        }
        Some(_) => {}
    }
    let Some(parent) = commit.parent_ids().next() else {
        return Ok(None);
    };
    let (before, after) = (config_at(audit, parent)?, config_at(audit, edit)?);
    let changed: Vec<&str> = POLICY_KEYS
        .iter()
        .copied()
        .filter(|key| {
            before.as_ref().and_then(|c| c.setting(key))
                != after.as_ref().and_then(|c| c.setting(key))
        })
        .filter(|key| *key != set.key)
        .collect();
    Ok((!changed.is_empty()).then(|| {
        format!(
            "it says it sets {}, but it also changes {}",
            set.key,
            changed.join(", ")
        )
    }))
}

fn config_at(audit: &Audit<'_>, commit: git2::Oid) -> Result<Option<Config>> {
    Ok(Snapshot::at_commit(audit.repo, commit)?.config().ok())
}

/// Each baseline whose commit had a policy other than the one last recorded
/// before it (at a `policy set`, or as the repository began).
fn check_baselines(
    audit: &mut Audit<'_>,
    snapshot: &Snapshot<'_>,
    recorded: &HashSet<git2::Oid>,
) -> Result<()> {
    let mut baselines: Vec<(String, git2::Oid)> = audit
        .added
        .iter()
        .filter(|(path, _)| version_of(path).is_some())
        .map(|(path, &(commit, _))| (path.clone(), commit))
        .collect();
    baselines.sort();
    for (path, commit) in baselines {
        let Some((artefact, version)) = version_of(&path) else {
            continue;
        };
        let baselined = snapshot
            .version(&artefact, &version)
            .ok()
            .flatten()
            .is_some_and(|v| v.status == Status::Baselined);
        if !baselined {
            continue;
        }
        let in_force = config_at(audit, commit)?;
        let last_recorded = config_at(audit, last_recorded_policy(audit, commit, recorded)?)?;
        let differing = POLICY_KEYS.iter().find_map(|key| {
            let value = in_force.as_ref()?.setting(key)?;
            let recorded = last_recorded.as_ref()?.setting(key)?;
            (value != recorded).then(|| (key.to_string(), value, recorded))
        });
        if let Some((setting, value, recorded)) = differing {
            let kind = FindingKind::PolicyEditedBaseline {
                setting,
                value,
                recorded,
            };
            audit.find(kind, path, Some(commit));
        }
    }
    Ok(())
}

/// The commit whose baseline.toml is the policy last recorded before
/// `commit`: the nearest `policy set` on its first-parent line, or the commit
/// that made the design repository (`baseline init`).
fn last_recorded_policy(
    audit: &Audit<'_>,
    commit: git2::Oid,
    recorded: &HashSet<git2::Oid>,
) -> Result<git2::Oid> {
    let git = audit.repo.git();
    let mut at = git.find_commit(commit)?;
    loop {
        if recorded.contains(&at.id()) {
            return Ok(at.id());
        }
        match at.parent(0) {
            Ok(parent) if config_at(audit, parent.id())?.is_some() => at = parent,
            _ => return Ok(at.id()),
        }
    }
}
