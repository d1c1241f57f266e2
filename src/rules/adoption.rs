//! What an adopted baseline must be, for `import register` and for verify: a
//! programme that kept its artefacts elsewhere brings each one in at the
//! version its register gives, as a baseline that promotes no draft. That is
//! allowed only as an artefact's first version, and only on decisions that
//! could have approved a baseline of it on that date.

use crate::error::{Error, Result};
use crate::model::{Date, Decision, VersionNumber, VersionRecord};

/// Everything an adopted baseline needs to be checked.
pub struct AdoptionRequest<'a> {
    pub artefact: &'a str,
    /// The versions recorded before it: there must be none.
    pub earlier: &'a [VersionRecord],
    /// The draft it claims to promote: an adopted baseline promotes none.
    pub promotes: Option<&'a VersionNumber>,
    pub date: Date,
    pub decisions: &'a [(String, Option<Decision>)],
}

pub fn check_adoption(request: &AdoptionRequest<'_>) -> Result<()> {
    let artefact = request.artefact;
    if let Some(first) = request.earlier.first() {
        return Err(Error::refused(
            format!(
                "{artefact} already has version {} ({}): only an artefact's first version can be adopted from a register",
                first.version, first.status
            ),
            format!("record a new version with `baseline draft {artefact}` and `baseline approve`"),
        ));
    }
    if let Some(draft) = request.promotes {
        return Err(Error::refused(
            format!(
                "{artefact}: an adopted baseline promotes no draft, yet this one names draft {draft}"
            ),
            "a baseline either promotes a recorded draft or is adopted by `baseline import register`, never both",
        ));
    }
    super::check_decisions(artefact, request.decisions, request.date)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Outcome, Status, Timestamp};

    fn decision(
        outcome: Outcome,
        day: &str,
        artefacts: &[&str],
    ) -> Vec<(String, Option<Decision>)> {
        let decision = crate::rules::tests::decision("DEC1", outcome, day, artefacts);
        vec![("DEC1".into(), Some(decision))]
    }

    fn request<'a>(
        earlier: &'a [VersionRecord],
        promotes: Option<&'a VersionNumber>,
        decisions: &'a [(String, Option<Decision>)],
    ) -> AdoptionRequest<'a> {
        AdoptionRequest {
            artefact: "DES138",
            earlier,
            promotes,
            date: "2024-03-01".parse().unwrap(),
            decisions,
        }
    }

    #[test]
    fn a_first_version_on_an_approved_earlier_decision_may_be_adopted() {
        let approved = decision(Outcome::Approved, "2024-02-28", &[]);
        assert!(check_adoption(&request(&[], None, &approved)).is_ok());
        let naming = decision(Outcome::Approved, "2024-02-28", &["DES138"]);
        assert!(check_adoption(&request(&[], None, &naming)).is_ok());
    }

    #[test]
    fn a_later_version_a_promoted_draft_or_an_unfit_decision_is_refused() {
        let approved = decision(Outcome::Approved, "2024-02-28", &[]);
        let earlier = [VersionRecord {
            artefact: "DES138".into(),
            version: "0.1".parse().unwrap(),
            status: Status::Draft,
            date: "2024-01-01".parse().unwrap(),
            recorded_by: "T".into(),
            recorded_at: Timestamp::UNIX_EPOCH,
            sha256: "0".repeat(64),
            blob: "0".repeat(40),
            file: "des138.xlsx".into(),
            size: 1,
            promotes: None,
            adopted: None,
            decisions: vec![],
            changes: vec![],
            note: None,
            signed_by: None,
        }];
        let later = check_adoption(&request(&earlier, None, &approved)).unwrap_err();
        assert!(later.message.contains("only an artefact's first version"));
        let draft: VersionNumber = "0.1".parse().unwrap();
        let promoting = check_adoption(&request(&[], Some(&draft), &approved)).unwrap_err();
        assert!(promoting.message.contains("promotes no draft"));
        let rejected = decision(Outcome::Rejected, "2024-02-28", &[]);
        assert!(check_adoption(&request(&[], None, &rejected)).is_err());
        let late = decision(Outcome::Approved, "2024-03-02", &[]);
        assert!(check_adoption(&request(&[], None, &late)).is_err());
        let other = decision(Outcome::Approved, "2024-02-28", &["DES196"]);
        assert!(check_adoption(&request(&[], None, &other)).is_err());
        assert!(check_adoption(&request(&[], None, &[("DEC9".into(), None)])).is_err());
        assert!(check_adoption(&request(&[], None, &[])).is_err());
    }
}
