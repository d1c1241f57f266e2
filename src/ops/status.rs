//! `baseline status`: what needs attention — working files changed since their
//! latest version, drafts awaiting a baseline, artefacts with nothing recorded
//! yet, and overdue actions.

use serde::Serialize;

use crate::error::Result;
use crate::model::{Status, VersionNumber, paths};
use crate::repo::{Repo, files};

/// The JSON shape of `baseline status`.
#[derive(Debug, Serialize)]
pub struct StatusReport {
    pub programme: String,
    pub artefacts: Vec<ArtefactStatus>,
    /// Open actions due before today.
    pub overdue_actions: Vec<OverdueAction>,
    /// How far the branch is from its remote, as of the last fetch or sync;
    /// null in a clone with no remote.
    pub remote: Option<RemoteState>,
}

#[derive(Debug, Serialize)]
pub struct RemoteState {
    pub remote: String,
    pub branch: String,
    /// Commits here not yet on the remote.
    pub ahead: usize,
    /// Commits on the remote not yet here.
    pub behind: usize,
    /// Whether the remote's branch was ever fetched (sync or git fetch).
    pub fetched: bool,
}

#[derive(Debug, Serialize)]
pub struct OverdueAction {
    pub id: String,
    pub owner: Option<String>,
    pub due: crate::model::Due,
}

#[derive(Debug, Serialize)]
pub struct ArtefactStatus {
    pub id: String,
    pub latest: Option<VersionNumber>,
    pub latest_status: Option<Status>,
    pub baseline: Option<VersionNumber>,
    pub working: WorkingState,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum WorkingState {
    /// Identical to the latest recorded version.
    Unchanged,
    /// Changed since the latest recorded version.
    Modified,
    /// No version recorded yet.
    Unrecorded,
    /// The working file is missing.
    Missing,
}

/// What needs attention in the repository now.
pub fn status(repo: &Repo) -> Result<StatusReport> {
    let snapshot = repo.snapshot()?;
    let mut artefacts = Vec::new();
    for summary in crate::repo::register::summaries(&snapshot)? {
        let (artefact, latest, baseline) = (summary.artefact, summary.latest, summary.baseline);
        let id = artefact.id.clone();
        let file = paths::content(&id, &artefact.file);
        let working = match (files::working_blob(repo.root(), &file), &latest) {
            (None, _) => WorkingState::Missing,
            (Some(_), None) => WorkingState::Unrecorded,
            (Some(oid), Some(latest)) if oid.to_string() == latest.blob => WorkingState::Unchanged,
            (Some(_), Some(_)) => WorkingState::Modified,
        };
        artefacts.push(ArtefactStatus {
            id,
            latest_status: latest.as_ref().map(|v| v.status),
            latest: latest.map(|v| v.version),
            baseline: baseline.map(|v| v.version),
            working,
        });
    }
    let today = crate::model::date::today();
    let mut overdue_actions: Vec<OverdueAction> = snapshot
        .actions()?
        .into_iter()
        .filter(|a| a.is_overdue(today))
        .filter_map(|a| {
            Some(OverdueAction {
                due: a.current_due()?,
                id: a.id,
                owner: a.owner,
            })
        })
        .collect();
    overdue_actions.sort_by_key(|a| (a.due.date(), a.id.clone()));
    Ok(StatusReport {
        remote: remote_state(repo)?,
        programme: snapshot.config()?.programme,
        artefacts,
        overdue_actions,
    })
}

/// The branch against its remote-tracking branch; none without a remote.
fn remote_state(repo: &Repo) -> Result<Option<RemoteState>> {
    let Ok(upstream) = repo.upstream(None) else {
        return Ok(None);
    };
    let counts = repo.ahead_behind(&upstream)?;
    Ok(Some(RemoteState {
        remote: upstream.remote,
        branch: upstream.branch,
        ahead: counts.map_or(0, |(ahead, _)| ahead),
        behind: counts.map_or(0, |(_, behind)| behind),
        fetched: counts.is_some(),
    }))
}
