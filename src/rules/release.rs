//! What a release must hold, for `release create` and for verify: approved
//! decisions dated on or before it, baselined versions (with the hashes their
//! records give), and approved changes that affect what it includes.

use crate::error::{Error, Result};
use crate::model::{
    Change, ChangeState, Date, Decision, Included, Status, VersionNumber, VersionRecord,
};

/// A decision that approves a release: recorded, approved, dated on or before it.
pub fn check_decision(id: &str, decision: Option<&Decision>, date: Date) -> Result<()> {
    super::approving_decision(id, decision, date, "release").map(|_| ())
}

/// A version a release is to include: recorded, and a baseline.
pub fn baseline(
    artefact: &str,
    number: &VersionNumber,
    record: Option<VersionRecord>,
) -> Result<VersionRecord> {
    let record = record.ok_or_else(|| {
        Error::refused(
            format!("{artefact} has no version {number}"),
            format!("see its versions with `baseline log {artefact}`"),
        )
    })?;
    if record.status != Status::Baselined {
        return Err(Error::refused(
            format!("{artefact} v{number} is a draft, not a baseline"),
            format!(
                "a release holds baselines only: baseline it with `baseline approve {artefact} --decision …`, or include its latest baseline"
            ),
        ));
    }
    Ok(record)
}

/// A version a release includes, as the release records it: a baseline, with
/// the sha256 its own record gives.
pub fn check_included(included: &Included, record: Option<VersionRecord>) -> Result<()> {
    let (artefact, number) = (&included.artefact, &included.version);
    let record = baseline(artefact, number, record)?;
    if record.sha256 != included.sha256 {
        return Err(Error::refused(
            format!(
                "the release gives {artefact} v{number} the sha256 {}, but its record says {}",
                included.sha256, record.sha256
            ),
            "restore the release record from a trusted clone",
        ));
    }
    Ok(())
}

/// A change a release implements: approved, and affecting an included artefact.
pub fn check_change(change: &Change, included: &[Included]) -> Result<()> {
    let id = &change.id;
    if change.state() != ChangeState::Approved {
        return Err(Error::refused(
            format!(
                "{id} is {}, and a release implements only approved changes",
                change.state()
            ),
            format!("approve it first with `baseline change set {id} approved --decision …`"),
        ));
    }
    if !included
        .iter()
        .any(|i| change.affects_artefact(&i.artefact))
    {
        return Err(Error::refused(
            format!(
                "{id} affects {}, none of which the release includes",
                change.affects().join(", ")
            ),
            format!("include the version of the artefact that implements {id}"),
        ));
    }
    Ok(())
}
