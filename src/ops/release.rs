//! `baseline release create`: records an interim release — the baselined
//! versions a decision approved for publication together, and the changes
//! they implement. A release is written once and its id never reused.

use crate::error::{Error, Result};
use crate::model::trailers::{self, CommitMessage};
use crate::model::{Date, IdKind, Included, Release, VersionNumber, date, paths};
use crate::repo::{Repo, Snapshot};
use crate::rules;

/// What goes into a release.
pub enum Contents<'a> {
    /// These versions (ARTEFACT, VERSION), each a baseline.
    Versions(&'a [(String, VersionNumber)]),
    /// The latest baseline of every artefact that has one.
    AllBaselined,
}

/// A release to record.
pub struct NewRelease<'a> {
    pub id: &'a str,
    pub date: Date,
    pub title: Option<&'a str>,
    pub decisions: &'a [String],
    pub contents: Contents<'a>,
    pub changes: &'a [String],
    /// The release it follows; the latest recorded one when not named.
    pub previous: Option<&'a str>,
    pub note: Option<&'a str>,
}

/// Records a release, once; returns it as recorded.
pub fn create(repo: &Repo, new: &NewRelease<'_>) -> Result<Release> {
    for (what, text) in [("title", new.title), ("note", new.note)] {
        if let Some(text) = text {
            rules::check_one_line(what, text)?;
        }
    }
    let mut tx = repo.begin(format!("release create {}", new.id))?;
    tx.config()?.pattern(IdKind::Release)?.check(new.id)?;
    let snapshot = tx.snapshot();
    snapshot.refuse_case_clash("release", paths::RELEASES, new.id)?;
    if snapshot.exists(&paths::release(new.id))? {
        return Err(Error::refused(
            format!("release {} is already recorded", new.id),
            "a release never changes and its id is never reused; record the next release under a new id",
        ));
    }
    check_decisions(snapshot, new.decisions, new.date)?;
    let artefacts = included(snapshot, &new.contents)?;
    check_changes(snapshot, new.changes, &artefacts)?;
    let previous = previous(snapshot, new.previous, new.date)?;
    let release = Release {
        id: new.id.to_string(),
        title: new.title.map(str::to_string),
        date: new.date,
        decisions: new.decisions.to_vec(),
        previous,
        changes: new.changes.to_vec(),
        artefacts,
        note: new.note.map(str::to_string),
        recorded_by: repo.identity()?,
        recorded_at: date::now(),
    };
    tx.create_record(&paths::release(&release.id), &release)?;
    let mut message = CommitMessage::new(format!(
        "Record release {}: {} artefact version(s) ({})",
        release.id,
        release.artefacts.len(),
        release.decisions.join(", ")
    ));
    if let Some(title) = &release.title {
        message = message.line(title.clone());
    }
    tx.commit(
        &message
            .trailer(trailers::COMMAND, "release create")
            .trailer(trailers::RELEASE_RECORDED, &release.id)
            .trailers(trailers::DECISION, &release.decisions)
            .trailers(trailers::CHANGE, &release.changes),
    )?;
    Ok(release)
}

/// Each decision is recorded, approved, and dated on or before the release.
fn check_decisions(snapshot: &Snapshot<'_>, decisions: &[String], date: Date) -> Result<()> {
    if decisions.is_empty() {
        return Err(Error::usage(
            "a release needs the decision that approved it",
            "add --decision DEC… naming an approved decision",
        ));
    }
    for id in decisions {
        rules::release::check_decision(id, snapshot.decision(id)?.as_ref(), date)?;
    }
    Ok(())
}

/// The versions the release contains, each a recorded baseline, each artefact once.
fn included(snapshot: &Snapshot<'_>, contents: &Contents<'_>) -> Result<Vec<Included>> {
    let mut included: Vec<Included> = Vec::new();
    let mut add = |record: crate::model::VersionRecord| {
        if included.iter().any(|i| i.artefact == record.artefact) {
            return Err(Error::refused(
                format!("{} is included twice", record.artefact),
                "include one version of each artefact",
            ));
        }
        included.push(Included {
            artefact: record.artefact,
            version: record.version,
            sha256: record.sha256,
        });
        Ok(())
    };
    match contents {
        Contents::Versions(versions) => {
            for (artefact, number) in *versions {
                snapshot.require_artefact(artefact)?;
                let record = snapshot.version(artefact, number)?;
                add(rules::release::baseline(artefact, number, record)?)?;
            }
        }
        Contents::AllBaselined => {
            for artefact in snapshot.artefact_ids()? {
                if let (_, Some(baseline)) = snapshot.latest_and_baseline(&artefact)? {
                    add(baseline)?;
                }
            }
        }
    }
    if included.is_empty() {
        return Err(Error::refused(
            "the release would contain no artefact version",
            "include baselines with --include ARTEFACT@VERSION, or baseline an artefact first",
        ));
    }
    included.sort_by(|a, b| a.artefact.cmp(&b.artefact));
    Ok(included)
}

/// Each change the release implements is approved and affects an included artefact.
fn check_changes(snapshot: &Snapshot<'_>, changes: &[String], included: &[Included]) -> Result<()> {
    for id in changes {
        rules::release::check_change(&snapshot.require_change(id)?, included)?;
    }
    Ok(())
}

/// The release this one follows: the one named, or the latest recorded; dated
/// on or before this one.
fn previous(snapshot: &Snapshot<'_>, named: Option<&str>, date: Date) -> Result<Option<String>> {
    let previous = match named {
        Some(id) => Some(snapshot.require_release(id)?),
        None => snapshot.releases()?.pop(),
    };
    let Some(previous) = previous else {
        return Ok(None);
    };
    if previous.date > date {
        return Err(Error::refused(
            format!(
                "release {} is dated {}, after this release's date {date}",
                previous.id, previous.date
            ),
            "date this release on or after it, or name the release it follows with --previous",
        ));
    }
    Ok(Some(previous.id))
}
