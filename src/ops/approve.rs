//! `baseline approve`: baselines a recorded draft under approving decisions.

use crate::error::{Error, Result};
use crate::model::Signer;
use crate::model::approvers::{Approver, PublicKey};
use crate::model::config::Policy;
use crate::model::trailers::CommitMessage;
use crate::model::{Date, Status, VersionNumber, VersionRecord, date, paths};
use crate::repo::Repo;
use crate::repo::Snapshot;
use crate::rules::{self, BaselineRequest};

/// A baseline to make.
pub struct ApproveOptions<'a> {
    pub artefact: &'a str,
    pub decisions: &'a [String],
    pub changes: &'a [String],
    /// The draft to promote (default: the latest).
    pub draft: Option<&'a VersionNumber>,
    pub version: Option<&'a VersionNumber>,
    pub date: Option<Date>,
    pub message: Option<&'a str>,
    /// Sign the tag with the user's git signing setup (an approver's key).
    pub sign: bool,
}

/// A baseline made: its record, the draft it promoted, and its tag.
pub struct Approved {
    pub record: VersionRecord,
    pub promoted: VersionNumber,
    pub tag: String,
}

/// Promotes a draft byte for byte to a baseline, once the rules allow it, and
/// tags it.
pub fn approve(repo: &Repo, options: &ApproveOptions<'_>) -> Result<Approved> {
    let mut tx = repo.begin(format!("approve {}", options.artefact))?;
    let snapshot = tx.snapshot();
    let config = tx.config()?;
    let artefact = snapshot.require_artefact(options.artefact)?;
    let versions = snapshot.versions(&artefact.id)?;
    let decisions = options
        .decisions
        .iter()
        .map(|id| Ok((id.clone(), snapshot.decision(id)?)))
        .collect::<Result<Vec<_>>>()?;
    let changes = options
        .changes
        .iter()
        .map(|id| Ok((id.clone(), snapshot.change(id)?)))
        .collect::<Result<Vec<_>>>()?;
    let date = options.date.unwrap_or_else(date::today);
    let plan = rules::check_baseline(&BaselineRequest {
        artefact: &artefact.id,
        versions: &versions,
        draft: options.draft,
        version: options.version,
        date,
        decisions: &decisions,
        changes: &changes,
        policy: &config.policy,
    })?;
    let signer = signer(repo, tx.snapshot(), &config.policy, options.sign, date)?;
    let draft = plan.promotes;
    let version = plan.version;
    // What is baselined is what the draft recorded: read it and check its hash.
    repo.version_content(&draft)?;
    let record = VersionRecord {
        artefact: artefact.id.clone(),
        version: version.clone(),
        status: Status::Baselined,
        date,
        recorded_by: repo.identity()?,
        recorded_at: date::now(),
        sha256: draft.sha256.clone(),
        blob: draft.blob.clone(),
        file: draft.file.clone(),
        size: draft.size,
        promotes: Some(draft.version.clone()),
        adopted: None,
        decisions: options.decisions.to_vec(),
        changes: options.changes.to_vec(),
        note: options.message.map(str::to_string),
        signed_by: signer.as_ref().map(|(signer, _)| Box::new(signer.clone())),
    };
    tx.create_record(&paths::version(&artefact.id, &version), &record)?;
    let tag = paths::tag(&artefact.id, &version);
    tx.tag_signed_by(
        &tag,
        record.tag_message(&artefact.title),
        signer.map(|(_, key)| key),
    )?;
    let mut message = CommitMessage::new(format!(
        "Baseline {} v{version} ({})",
        artefact.id,
        options.decisions.join(", ")
    ))
    .line(format!(
        "Promotes draft {} of {} byte for byte.",
        draft.version, artefact.title
    ));
    if let Some(note) = options.message {
        message = message.line(note);
    }
    tx.commit(&message.version_trailers("approve", &record))?;
    Ok(Approved {
        record,
        promoted: draft.version,
        tag,
    })
}

/// Who signs the baseline, and with which key: the user's signing key must be
/// an approver's, valid on the baseline's date, in a role that may sign. None
/// for an unsigned baseline, which the policy may refuse.
fn signer(
    repo: &Repo,
    snapshot: &Snapshot<'_>,
    policy: &Policy,
    sign: bool,
    date: Date,
) -> Result<Option<(Signer, PublicKey)>> {
    if !sign {
        if policy.require_signed_baselines {
            return Err(Error::refused(
                "the policy requires signed baselines (require_signed_baselines = true), and this one would not be signed",
                format!("add --sign; {}", crate::repo::signing::SETUP_HINT),
            ));
        }
        return Ok(None);
    }
    let key = repo.signing_key()?;
    let approvers = snapshot.approvers()?;
    let theirs: Vec<&Approver> = approvers.iter().filter(|a| a.key.same_key(&key)).collect();
    let Some(first) = theirs.first() else {
        return Err(Error::refused(
            format!(
                "your signing key {} is not an approver's: the approvers file does not list it",
                key.fingerprint
            ),
            "an approver is listed with `baseline approver add NAME --key FILE --role ROLE --decision DEC`; `baseline approver list` shows who may sign",
        ));
    };
    let today = date::today();
    let valid: Vec<&&Approver> = theirs
        .iter()
        .filter(|a| a.may_sign_on(date, today))
        .collect();
    let Some(approver) = valid.iter().find(|a| policy.may_sign(&a.role)) else {
        let why = match valid.first() {
            None => format!(
                "{}'s key may sign {}, and a baseline dated {date} signed today ({today}) needs both days in it",
                first.name,
                first.validity()
            ),
            Some(a) => format!(
                "{} is an approver as {}, and the policy lets only {} sign baselines",
                a.name, a.role, policy.signing_roles
            ),
        };
        return Err(Error::refused(
            format!(
                "your signing key {} cannot sign this baseline: {why}",
                key.fingerprint
            ),
            "`baseline approver list` shows who may sign and when; an approver's entry is changed with `baseline approver remove` and `approver add … --decision DEC`",
        ));
    };
    let signer = Signer {
        name: approver.name.clone(),
        role: approver.role.clone(),
        key: key.fingerprint.clone(),
    };
    Ok(Some((signer, key)))
}
