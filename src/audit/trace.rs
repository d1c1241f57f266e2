//! Traces: from a version to the decisions, meetings, changes, commit and tag
//! behind it; from a decision, change or meeting to every version and change step
//! it touched; from a release to what it contains and what approved it.

use serde::Serialize;

use crate::error::{Error, Result};
use crate::model::{
    Action, Artefact, Change, ChangeKind, ChangeState, ChangeStep, Decision, Meeting, Release,
    Status, VersionNumber, VersionRecord, paths,
};
use crate::repo::{CommitIndex, Snapshot};

#[derive(Debug, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Trace {
    Version(Box<VersionTrace>),
    Decision(DecisionTrace),
    Change(ChangeTrace),
    Meeting(MeetingTrace),
    Release(ReleaseTrace),
}

#[derive(Debug, Serialize)]
pub struct ArtefactSummary {
    pub id: String,
    pub title: String,
    pub kind: String,
    pub owner: Option<String>,
}

impl From<&Artefact> for ArtefactSummary {
    fn from(a: &Artefact) -> Self {
        Self {
            id: a.id.clone(),
            title: a.title.clone(),
            kind: a.kind.clone(),
            owner: a.owner.clone(),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct VersionTrace {
    pub artefact: ArtefactSummary,
    pub version: VersionRecord,
    /// The commit that recorded the version.
    pub commit: Option<String>,
    pub tag: Option<TagCheck>,
    pub promoted_draft: Option<PromotedDraft>,
    pub decisions: Vec<Decision>,
    /// The meetings those decisions were taken at, where recorded.
    pub meetings: Vec<Meeting>,
    pub changes: Vec<ChangeSummary>,
    pub previous: Option<VersionLink>,
    pub next: Option<VersionLink>,
    /// The releases that contain this version, oldest first.
    pub releases: Vec<String>,
    /// For a baseline: what approving it means, in words ("Baselined DES196
    /// v2.0 under DAG-DEC57 and CR027 on …, sha256 …"), which a signed tag states.
    pub meaning: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct TagCheck {
    pub name: String,
    /// The commit the tag points at; null when the tag is missing.
    pub target: Option<String>,
    /// True when the tag exists and points at the commit that recorded the version.
    pub matches: bool,
    /// The tag's signature, as it reads (`verify` checks it); null when unsigned.
    pub signature: Option<crate::repo::signing::TagSignatureInfo>,
    /// Whether the signature names the key the version record names (for
    /// OpenPGP, that key or one of its subkeys, as the approvers file listed
    /// it when the version was recorded); null when the tag is unsigned or
    /// the record names no signer.
    pub key_agrees: Option<bool>,
}

#[derive(Debug, Serialize)]
pub struct PromotedDraft {
    pub version: VersionNumber,
    pub sha256: Option<String>,
    /// True when the baseline's bytes are exactly the draft's.
    pub identical: bool,
}

#[derive(Debug, Serialize)]
pub struct ChangeSummary {
    pub id: String,
    pub kind: ChangeKind,
    pub title: String,
    pub state: ChangeState,
    pub approved: Option<ChangeStep>,
}

impl From<&Change> for ChangeSummary {
    fn from(c: &Change) -> Self {
        Self {
            id: c.id.clone(),
            kind: c.kind,
            title: c.title().to_string(),
            state: c.state(),
            approved: c.approval().cloned(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct VersionLink {
    pub artefact: String,
    pub version: VersionNumber,
    pub status: Status,
    pub date: crate::model::Date,
    pub sha256: String,
}

impl From<&VersionRecord> for VersionLink {
    fn from(v: &VersionRecord) -> Self {
        Self {
            artefact: v.artefact.clone(),
            version: v.version.clone(),
            status: v.status,
            date: v.date,
            sha256: v.sha256.clone(),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct DecisionTrace {
    pub decision: Decision,
    /// Versions that cite the decision.
    pub versions: Vec<VersionLink>,
    /// Change lifecycle steps the decision made.
    pub change_steps: Vec<ChangeStepLink>,
    /// The decision that superseded it, if one did.
    pub superseded_by: Option<String>,
    /// The decisions it superseded.
    pub supersedes: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct ChangeStepLink {
    pub change: String,
    pub title: String,
    pub step: ChangeStep,
}

#[derive(Debug, Serialize)]
pub struct ChangeTrace {
    pub change: Change,
    /// The decisions its history cites, in history order.
    pub decisions: Vec<Decision>,
    /// Versions that cite the change (that implement it).
    pub versions: Vec<VersionLink>,
    /// Changes recorded as excluding this one.
    pub excluded_by: Vec<String>,
    /// Decisions that name it without deciding it (`relates_to`): a baseline
    /// that incorporates its work, a note, more assessment asked for.
    pub related_decisions: Vec<Decision>,
}

#[derive(Debug, Serialize)]
pub struct MeetingTrace {
    pub meeting: Meeting,
    /// Each decision taken there, with the versions and change steps it made.
    pub decisions: Vec<DecisionTrace>,
    pub actions: Vec<Action>,
}

#[derive(Debug, Serialize)]
pub struct ReleaseTrace {
    pub release: Release,
    /// The decisions that approved it.
    pub decisions: Vec<Decision>,
    /// The changes it implements.
    pub changes: Vec<ChangeSummary>,
    /// The versions it contains, as their records stand.
    pub versions: Vec<VersionLink>,
}

/// Traces a version REF, a decision id, a change id, a meeting id or a release id.
pub fn trace(snapshot: &Snapshot<'_>, what: &str) -> Result<Trace> {
    if what.contains('@') {
        let reference =
            crate::model::Reference::parse(what, crate::model::VersionSelector::Latest)?;
        return trace_version(snapshot, &reference);
    }
    crate::model::id::check_safe(crate::model::IdKind::Artefact, what)?;
    if let Some(decision) = snapshot.decision(what)? {
        return Ok(Trace::Decision(trace_decision(snapshot, decision)?));
    }
    if let Some(change) = snapshot.change(what)? {
        return Ok(Trace::Change(trace_change(snapshot, change)?));
    }
    if let Some(meeting) = snapshot.record::<Meeting>(&paths::meeting(what))? {
        return Ok(Trace::Meeting(trace_meeting(snapshot, meeting)?));
    }
    if let Some(release) = snapshot.record::<Release>(&paths::release(what))? {
        return Ok(Trace::Release(trace_release(snapshot, release)?));
    }
    if snapshot.artefact(what)?.is_some() {
        let reference =
            crate::model::Reference::parse(what, crate::model::VersionSelector::Latest)?;
        return trace_version(snapshot, &reference);
    }
    Err(Error::refused(
        format!("{what} is not a recorded decision, change, meeting, release or artefact"),
        "trace a version (DES196@1.0, DES196@baseline), a decision (DAG-DEC57), a change (CR027), a meeting (DAG026) or a release (IR8.5)",
    ))
}

/// Whether a signature naming `issuer` was made with the key `signer` names,
/// as the approvers file stood at the commit that recorded the version.
fn names_signer(
    repo: &crate::repo::Repo,
    recorded_at: Option<git2::Oid>,
    issuer: &str,
    signer: &crate::model::records::Signer,
) -> bool {
    let listed = recorded_at
        .and_then(|commit| Snapshot::at_commit(repo, commit).ok())
        .and_then(|snapshot| snapshot.approvers().ok())
        .unwrap_or_default();
    match listed.iter().find(|a| a.key.fingerprint == signer.key) {
        Some(approver) => approver.key.is_named_by(issuer),
        None => issuer == signer.key,
    }
}

fn trace_version(snapshot: &Snapshot<'_>, reference: &crate::model::Reference) -> Result<Trace> {
    let resolved = crate::repo::resolve::resolve(snapshot, reference)?;
    let crate::repo::resolve::Target::Recorded(record) = resolved.target else {
        return Err(Error::usage(
            format!("{reference} is the working file, which has no history to trace"),
            format!(
                "trace a recorded version such as {}@latest",
                reference.artefact
            ),
        ));
    };
    let versions = snapshot.versions(&record.artefact)?;
    let position = versions
        .iter()
        .position(|v| v.version == record.version)
        .unwrap_or(0);
    let repo = snapshot.repo();
    let index = CommitIndex::load(repo)?;
    let commit = index.commit_of(repo, &record.artefact, &record.version)?;
    let tag = (record.status == Status::Baselined).then(|| {
        let name = paths::tag(&record.artefact, &record.version);
        let target = repo
            .git()
            .find_reference(&paths::tag_ref(&name))
            .ok()
            .and_then(|r| r.peel_to_commit().ok())
            .map(|c| c.id());
        let signature = repo.tag_signature(&name);
        let key_agrees = signature.as_ref().and_then(|signature| {
            let signer = record.signed_by.as_deref()?;
            Some(names_signer(
                repo,
                commit,
                signature.key.as_deref()?,
                signer,
            ))
        });
        TagCheck {
            matches: target.is_some() && target == commit,
            target: target.map(|t| t.to_string()),
            signature,
            key_agrees,
            name,
        }
    });
    let promoted_draft = record.promotes.as_ref().map(|number| {
        let draft = versions.iter().find(|v| &v.version == number);
        PromotedDraft {
            version: number.clone(),
            sha256: draft.map(|d| d.sha256.clone()),
            identical: draft.is_some_and(|d| d.sha256 == record.sha256 && d.blob == record.blob),
        }
    });
    let decisions = record
        .decisions
        .iter()
        .filter_map(|id| snapshot.decision(id).transpose())
        .collect::<Result<Vec<_>>>()?;
    let changes = record
        .changes
        .iter()
        .filter_map(|id| snapshot.change(id).transpose())
        .map(|c| c.map(|c| ChangeSummary::from(&c)))
        .collect::<Result<Vec<_>>>()?;
    let mut meetings: Vec<Meeting> = Vec::new();
    for id in decisions.iter().filter_map(|d| d.meeting.as_deref()) {
        if meetings.iter().all(|m| m.id != id) {
            meetings.extend(snapshot.record::<Meeting>(&paths::meeting(id))?);
        }
    }
    Ok(Trace::Version(Box::new(VersionTrace {
        artefact: ArtefactSummary::from(&resolved.artefact),
        previous: position
            .checked_sub(1)
            .map(|p| VersionLink::from(&versions[p])),
        next: versions.get(position + 1).map(VersionLink::from),
        releases: snapshot
            .releases()?
            .into_iter()
            .filter(|r| r.contains(&record.artefact, &record.version))
            .map(|r| r.id)
            .collect(),
        commit: commit.map(|c| c.to_string()),
        tag,
        promoted_draft,
        decisions,
        meetings,
        changes,
        meaning: (record.status == Status::Baselined).then(|| record.meaning()),
        version: record,
    })))
}

/// The versions the commit index says cite `id`, confirmed against their records.
fn versions_citing(snapshot: &Snapshot<'_>, id: &str) -> Result<Vec<VersionLink>> {
    let index = CommitIndex::load(snapshot.repo())?;
    let mut links = Vec::new();
    for (artefact, version) in index.citing(id) {
        let record: Option<VersionRecord> =
            snapshot.record(&paths::version(&artefact, &version))?;
        if let Some(record) =
            record.filter(|r| r.decisions.iter().chain(&r.changes).any(|c| c == id))
        {
            links.push(VersionLink::from(&record));
        }
    }
    Ok(links)
}

fn trace_decision(snapshot: &Snapshot<'_>, decision: Decision) -> Result<DecisionTrace> {
    let mut change_steps = Vec::new();
    for change in snapshot.changes()? {
        for step in change
            .history
            .iter()
            .filter(|s| s.decision.as_deref() == Some(&decision.id))
        {
            change_steps.push(ChangeStepLink {
                change: change.id.clone(),
                title: change.title().to_string(),
                step: step.clone(),
            });
        }
    }
    Ok(DecisionTrace {
        versions: versions_citing(snapshot, &decision.id)?,
        change_steps,
        superseded_by: decision.superseded_by().map(str::to_string),
        supersedes: snapshot.decisions_superseded_by(&decision.id)?,
        decision,
    })
}

fn trace_meeting(snapshot: &Snapshot<'_>, meeting: Meeting) -> Result<MeetingTrace> {
    let mut decisions = Vec::new();
    for id in &meeting.decisions {
        if let Some(decision) = snapshot.decision(id)? {
            decisions.push(trace_decision(snapshot, decision)?);
        }
    }
    let mut actions = Vec::new();
    for id in &meeting.actions {
        actions.extend(snapshot.record::<Action>(&paths::action(id))?);
    }
    Ok(MeetingTrace {
        meeting,
        decisions,
        actions,
    })
}

fn trace_change(snapshot: &Snapshot<'_>, change: Change) -> Result<ChangeTrace> {
    let mut decisions: Vec<Decision> = Vec::new();
    for id in change.history.iter().filter_map(|s| s.decision.as_deref()) {
        if decisions.iter().all(|d| d.id != id) {
            decisions.extend(snapshot.decision(id)?);
        }
    }
    let excluded_by = snapshot
        .changes()?
        .into_iter()
        .filter(|other| other.excludes.contains(&change.id))
        .map(|other| other.id)
        .collect();
    let related_decisions = snapshot
        .decisions()?
        .into_iter()
        .filter(|d| d.relates_to.iter().any(|r| r.change == change.id))
        .collect();
    Ok(ChangeTrace {
        versions: versions_citing(snapshot, &change.id)?,
        decisions,
        excluded_by,
        related_decisions,
        change,
    })
}

fn trace_release(snapshot: &Snapshot<'_>, release: Release) -> Result<ReleaseTrace> {
    let mut decisions = Vec::new();
    for id in &release.decisions {
        decisions.extend(snapshot.decision(id)?);
    }
    let mut changes = Vec::new();
    for id in &release.changes {
        changes.extend(snapshot.change(id)?.map(|c| ChangeSummary::from(&c)));
    }
    let mut versions = Vec::new();
    for included in &release.artefacts {
        let record = snapshot.version(&included.artefact, &included.version)?;
        versions.extend(record.as_ref().map(VersionLink::from));
    }
    Ok(ReleaseTrace {
        release,
        decisions,
        changes,
        versions,
    })
}
