//! Signed baselines and who may sign them.
//!
//! The `approvers` file changes only as recorded events: an `approver add` or
//! `approver remove` commit that adds or removes the one approver it names,
//! citing a decision approved on or before the date it took effect. Any other
//! edit is reported, and baselines are then checked against the approvers as
//! last recorded before them.
//!
//! Each baseline tag that is signed, or must be (the policy in force when the
//! baseline was made requires it, or its record names a signer), is checked:
//! the signature holds over the tag's content (which names the artefact,
//! version, decisions, changes and sha256, as the tag check compares with the
//! record), the key is the one the record names, and it was an approver's, valid
//! on the baseline's date, in a role the policy lets sign.

use std::collections::HashMap;

use crate::error::Result;
use crate::model::approvers::{Approver, SignatureFormat, split_signed, ssh_signature_key};
use crate::model::config::Policy;
use crate::model::openpgp::{self, Verdict};
use crate::model::trailers::ApproverChange;
use crate::model::x509;
use crate::model::{Date, Outcome, VersionRecord, paths, trailers};
use crate::repo::Snapshot;
use crate::repo::openpgp::GpgChecker;
use crate::repo::signing::ssh_signature_holds;
use crate::repo::x509::GpgsmChecker;
use crate::rules;

use super::{Audit, FindingKind};

/// Every edit of the approvers file the walk saw is a recorded one. The
/// approvers as recorded are rebuilt from the recorded changes alone, oldest
/// first, so that a line an unrecorded edit added never vouches for a
/// signature, even once a later recorded change kept it in the file.
pub(super) fn check_approvers(audit: &mut Audit<'_>, snapshot: &Snapshot<'_>) -> Result<()> {
    let edits = std::mem::take(&mut audit.approvers_edits);
    let mut recorded: Vec<Approver> = Vec::new();
    let mut removed_on: HashMap<String, Date> = HashMap::new();
    for &edit in &edits {
        if !took_a_parents_file(audit, edit)? {
            match recorded_change(audit, snapshot, edit, &removed_on)? {
                Err(why) => {
                    audit.unrecorded_approvers.insert(edit);
                    let kind = FindingKind::ApproversUnrecorded { why };
                    audit.find(kind, paths::APPROVERS, Some(edit));
                }
                Ok((change, after)) => {
                    recorded.retain(|a| a.name != change.name);
                    if change.added {
                        recorded.extend(after.into_iter().filter(|a| a.name == change.name));
                    } else {
                        removed_on.insert(change.name, change.date);
                    }
                }
            }
        }
        audit.approvers_recorded.insert(edit, recorded.clone());
    }
    Ok(())
}

/// A merge whose approvers file is one of its parents' brings that side's
/// recorded changes, and changes nothing itself.
fn took_a_parents_file(audit: &Audit<'_>, commit: git2::Oid) -> Result<bool> {
    let merge = audit.repo.git().find_commit(commit)?;
    if merge.parent_count() < 2 {
        return Ok(false);
    }
    let file = approvers_blob(audit, commit)?;
    for parent in merge.parent_ids() {
        if approvers_blob(audit, parent)? == file {
            return Ok(true);
        }
    }
    Ok(false)
}

/// The approvers as a commit's tree holds them: None where the file does not
/// parse, empty where there is none.
fn approvers_in(audit: &Audit<'_>, commit: git2::Oid) -> Result<Option<Vec<Approver>>> {
    let snapshot = Snapshot::at_commit(audit.repo, commit)?;
    Ok(snapshot.approvers().ok())
}

fn approvers_blob(audit: &Audit<'_>, commit: git2::Oid) -> Result<Option<git2::Oid>> {
    Snapshot::at_commit(audit.repo, commit)?.blob_id(paths::APPROVERS)
}

/// The recorded change an edit of the approvers file is, with the file it
/// left; or why it is not one.
fn recorded_change(
    audit: &Audit<'_>,
    snapshot: &Snapshot<'_>,
    edit: git2::Oid,
    removed_on: &HashMap<String, Date>,
) -> Result<std::result::Result<(ApproverChange, Vec<Approver>), String>> {
    let commit = audit.repo.git().find_commit(edit)?;
    let Some(change) = commit.message().ok().and_then(trailers::approver_change) else {
        return Ok(Err(
            "the commit is not an `approver add` or `approver remove`".into(),
        ));
    };
    let decided = match snapshot.decision(&change.decision).ok().flatten() {
        None => {
            return Ok(Err(format!(
                "it cites {}, which is not recorded",
                change.decision
            )));
        }
        Some(d) if d.outcome != Outcome::Approved || d.date > change.date => {
            return Ok(Err(format!(
                "it cites {} ({} on {}), which could not change the approvers on {}",
                change.decision, d.outcome, d.date, change.date
            )));
        }
        Some(d) => d.date,
    };
    let Some(after) = approvers_in(audit, edit)? else {
        return Ok(Err("the file it left does not parse".into()));
    };
    if approvers_blob(audit, edit)?.is_none() {
        return Ok(Err("it deleted the file".into()));
    }
    let before = match commit.parent_ids().next() {
        Some(parent) => approvers_in(audit, parent)?.unwrap_or_default(),
        None => Vec::new(),
    };
    let without = |list: &[Approver]| -> Vec<Approver> {
        list.iter()
            .filter(|a| a.name != change.name)
            .cloned()
            .collect()
    };
    let named = |list: &[Approver]| list.iter().filter(|a| a.name == change.name).count();
    let as_said = if change.added {
        named(&before) == 0 && named(&after) == 1 && without(&after) == before
    } else {
        named(&before) == 1 && named(&after) == 0 && without(&before) == after
    };
    if !as_said {
        return Ok(Err(format!(
            "it says it {} {}, but it changes the file otherwise",
            if change.added { "adds" } else { "removes" },
            change.name
        )));
    }
    let added = after.iter().find(|a| a.name == change.name);
    if change.added
        && let Some(added) = added
        && let Some(other) = after
            .iter()
            .find(|a| a.key.same_key(&added.key) && a.name != added.name)
    {
        return Ok(Err(format!(
            "it gives {}'s key to {}: a key signs for one approver",
            other.name, added.name
        )));
    }
    if change.added
        && let Some(added) = added
        && let Err(broken) = rules::check_appointment(
            &change.name,
            added.from,
            &change.decision,
            decided,
            removed_on.get(&change.name).copied(),
        )
    {
        return Ok(Err(broken.message));
    }
    Ok(Ok((change, after)))
}

/// The approvers as recorded at `commit`: the file it holds where every edit
/// was a recorded one, else what the recorded changes before it made (on its
/// first-parent line).
fn approvers_at(audit: &mut Audit<'_>, commit: git2::Oid) -> Result<Vec<Approver>> {
    if !audit.unrecorded_approvers.is_empty() {
        let git = audit.repo.git();
        let mut at = git.find_commit(commit)?;
        loop {
            if let Some(recorded) = audit.approvers_recorded.get(&at.id()) {
                return Ok(recorded.clone());
            }
            match at.parent(0) {
                Ok(parent) => at = parent,
                Err(_) => return Ok(Vec::new()),
            }
        }
    }
    let blob = approvers_blob(audit, commit)?;
    if let Some(known) = audit.approvers_seen.get(&blob) {
        return Ok(known.clone());
    }
    let listed = approvers_in(audit, commit)?.unwrap_or_default();
    audit.approvers_seen.insert(blob, listed.clone());
    Ok(listed)
}

/// Checks the signature of the baseline tag `name` (its tag object `tag`),
/// whose record is `record`, added by `commit`.
pub(super) fn check_signature(
    audit: &mut Audit<'_>,
    name: &str,
    tag: git2::Oid,
    record: &VersionRecord,
    commit: Option<git2::Oid>,
    policy: &Policy,
) -> Result<()> {
    let odb = audit.repo.git().odb()?;
    let Ok(object) = odb.read(tag) else {
        return Ok(());
    };
    if object.kind() != git2::ObjectType::Tag {
        return Ok(());
    }
    let raw = object.data().to_vec();
    drop(object);
    let (payload, signature) = split_signed(&raw);
    let Some(signature) = signature else {
        let required_by = if record.signed_by.is_some() {
            Some("its record, which names a signer,")
        } else if policy.require_signed_baselines {
            Some("the policy in force when it was made (require_signed_baselines)")
        } else {
            None
        };
        if let Some(required_by) = required_by {
            let kind = FindingKind::BaselineUnsigned {
                required_by: required_by.to_string(),
            };
            audit.find(kind, name, commit);
        }
        return Ok(());
    };
    let listed = match commit {
        Some(commit) => approvers_at(audit, commit)?,
        None => audit.repo.snapshot()?.approvers().unwrap_or_default(),
    };
    let signed_with = match signature.format {
        SignatureFormat::Ssh => ssh_signer(audit, name, commit, payload, &signature.armored)?,
        SignatureFormat::Openpgp => {
            let armored = &signature.armored;
            openpgp_signer(audit, (name, record, commit), &listed, payload, armored)?
        }
        SignatureFormat::X509 => {
            let armored = &signature.armored;
            x509_signer(audit, (name, record, commit), &listed, payload, armored)?
        }
    };
    let Some((fingerprint, signature_day)) = signed_with else {
        return Ok(());
    };
    let recorded = record.signed_by.as_ref().map(|s| s.key.clone());
    if recorded.as_deref() != Some(fingerprint.as_str()) {
        let kind = FindingKind::TagResigned {
            recorded,
            signed_with: Some(fingerprint.clone()),
        };
        audit.find(kind, name, commit);
    }
    let theirs: Vec<&Approver> = listed
        .iter()
        .filter(|a| a.key.fingerprint == fingerprint)
        .collect();
    let Some(first) = theirs.first() else {
        let why = format!("no approver had key {fingerprint} when it was made");
        audit.find(FindingKind::SignerUnknown { why }, name, commit);
        return Ok(());
    };
    let signed = record.recorded_at.to_zoned(jiff::tz::TimeZone::UTC).date();
    // The record's days are the writer's to choose; the signature's own day
    // (OpenPGP, X.509) and the tag's must fall in the validity too, so that a
    // key past its time cannot sign by dating the record back into it.
    let mut signing_days: Vec<Date> = [signature_day, tagger_day(payload)]
        .into_iter()
        .flatten()
        .filter(|day| *day != signed)
        .collect();
    signing_days.dedup();
    let valid: Vec<&&Approver> = theirs
        .iter()
        .filter(|a| a.may_sign_on(record.date, signed))
        .filter(|a| signing_days.iter().all(|day| a.valid_on(*day)))
        .collect();
    if let Some(signer) = &record.signed_by
        && signer.key == fingerprint
        && !theirs
            .iter()
            .any(|a| a.name == signer.name && a.role == signer.role)
    {
        let kind = FindingKind::SignerMisnamed {
            recorded: format!("{} as {}", signer.name, signer.role),
            approver: format!("{} as {}", first.name, first.role),
        };
        audit.find(kind, name, commit);
    }
    match valid.first() {
        None => {
            let kind = FindingKind::SignerOutsideValidity {
                name: first.name.clone(),
                validity: first.validity(),
                date: format!(
                    "{} (recorded {signed}{})",
                    record.date,
                    signing_days
                        .iter()
                        .map(|day| format!(", signed {day}"))
                        .collect::<String>()
                ),
            };
            audit.find(kind, name, commit);
        }
        Some(approver) if !valid.iter().any(|a| policy.may_sign(&a.role)) => {
            let kind = FindingKind::SignerRoleUnsuitable {
                name: approver.name.clone(),
                role: approver.role.clone(),
                roles: policy.signing_roles.clone(),
            };
            audit.find(kind, name, commit);
        }
        Some(_) => {}
    }
    Ok(())
}

/// The fingerprint of the key or certificate that made a signature, and the
/// day the signature itself states, where it states one.
type SignedWith = (String, Option<Date>);

/// The day of the tag's `tagger` line (UTC), from the tag object's header.
fn tagger_day(payload: &[u8]) -> Option<Date> {
    let header = payload
        .split(|b| *b == b'\n')
        .take_while(|line| !line.is_empty());
    let tagger = header
        .map(|line| line.strip_prefix(b"tagger "))
        .find_map(|l| l)?;
    let text = std::str::from_utf8(tagger).ok()?;
    let seconds: i64 = text.rsplit(' ').nth(1)?.parse().ok()?;
    let time = jiff::Timestamp::from_second(seconds).ok()?;
    Some(time.to_zoned(jiff::tz::TimeZone::UTC).date())
}

/// The SSH key that made `armored`, where its signature holds over
/// `payload`; otherwise the finding is made, and none.
fn ssh_signer(
    audit: &mut Audit<'_>,
    name: &str,
    commit: Option<git2::Oid>,
    payload: &[u8],
    armored: &str,
) -> Result<Option<SignedWith>> {
    let Some(key) = ssh_signature_key(armored) else {
        let why = "it is not a readable SSH signature".to_string();
        audit.find(FindingKind::SignatureBad { why }, name, commit);
        return Ok(None);
    };
    if !ssh_signature_holds(payload, armored, &key)? {
        let why = format!("key {} did not sign the tag as it stands", key.fingerprint);
        audit.find(FindingKind::SignatureBad { why }, name, commit);
        return Ok(None);
    }
    // An SSH signature states no time: the tag's is the signing time, as
    // `git verify-tag` takes it.
    Ok(Some((key.fingerprint, None)))
}

/// The primary key fingerprint of the OpenPGP key that made `armored`, where
/// its signature holds over `payload`, checked by gpg against the approvers'
/// OpenPGP keys alone (those listed when the baseline was made, and any met
/// before in this audit: a key not listed then is found unknown below);
/// otherwise the finding is made, and none.
fn openpgp_signer(
    audit: &mut Audit<'_>,
    (name, record, commit): (&str, &VersionRecord, Option<git2::Oid>),
    listed: &[Approver],
    payload: &[u8],
    armored: &str,
) -> Result<Option<SignedWith>> {
    if let Err(why) = openpgp::check_detached_signature(armored) {
        audit.find(FindingKind::SignatureBad { why }, name, commit);
        return Ok(None);
    }
    if audit.gpg.is_none() {
        audit.gpg = Some(GpgChecker::new(audit.repo)?);
    }
    let Some(gpg) = audit.gpg.as_mut() else {
        return Ok(None);
    };
    gpg.import(&listed.iter().map(|a| &a.key).collect::<Vec<_>>())?;
    match gpg.check(payload, armored)? {
        Verdict::Good { primary, signed_on } => Ok(Some((primary, signed_on))),
        Verdict::Bad { key } => {
            let why = format!("key {key} did not sign the tag as it stands");
            audit.find(FindingKind::SignatureBad { why }, name, commit);
            Ok(None)
        }
        Verdict::UnknownKey { key } => {
            // Whether it holds cannot be known without the key; whose it is, can.
            let why = format!("no approver had key {key} when it was made");
            audit.find(FindingKind::SignerUnknown { why }, name, commit);
            let recorded = record.signed_by.as_ref().map(|s| s.key.clone());
            if !recorded.as_deref().is_some_and(|r| r.ends_with(&key)) {
                let kind = FindingKind::TagResigned {
                    recorded,
                    signed_with: Some(key),
                };
                audit.find(kind, name, commit);
            }
            Ok(None)
        }
        Verdict::Unchecked(why) => {
            audit.find(FindingKind::SignatureBad { why }, name, commit);
            Ok(None)
        }
    }
}

/// The fingerprint of the X.509 certificate that made `armored`, where its
/// signature holds over `payload`, checked by gpgsm against the approvers'
/// certificates alone (those listed when the baseline was made, and any met
/// before in this audit: one not listed then is found unknown below);
/// otherwise the finding is made, and none.
fn x509_signer(
    audit: &mut Audit<'_>,
    (name, record, commit): (&str, &VersionRecord, Option<git2::Oid>),
    listed: &[Approver],
    payload: &[u8],
    armored: &str,
) -> Result<Option<SignedWith>> {
    if let Err(why) = x509::check_signature_block(armored) {
        audit.find(FindingKind::SignatureBad { why }, name, commit);
        return Ok(None);
    }
    if audit.gpgsm.is_none() {
        audit.gpgsm = Some(GpgsmChecker::new(audit.repo)?);
    }
    let Some(gpgsm) = audit.gpgsm.as_mut() else {
        return Ok(None);
    };
    gpgsm.import(&listed.iter().map(|a| &a.key).collect::<Vec<_>>())?;
    match gpgsm.check(payload, armored)? {
        x509::Verdict::Good {
            fingerprint,
            signed_on,
        } => Ok(Some((fingerprint, signed_on))),
        x509::Verdict::Bad { fingerprint } => {
            let why = format!("certificate {fingerprint} did not sign the tag as it stands");
            audit.find(FindingKind::SignatureBad { why }, name, commit);
            Ok(None)
        }
        x509::Verdict::UnknownCertificate => {
            // A CMS signature names its certificate by issuer and serial
            // number: gpgsm found none of the approvers' that made it.
            let why =
                "no approver had the certificate that made its X.509 signature when it was made"
                    .to_string();
            audit.find(FindingKind::SignerUnknown { why }, name, commit);
            let recorded = record.signed_by.as_ref().map(|s| s.key.clone());
            // The certificate the record names was there to check with: another made it.
            let listed_then = |key: &str| listed.iter().any(|a| a.key.fingerprint == key);
            if recorded.as_deref().is_none_or(listed_then) {
                let kind = FindingKind::TagResigned {
                    recorded,
                    signed_with: None,
                };
                audit.find(kind, name, commit);
            }
            Ok(None)
        }
        x509::Verdict::Unchecked(why) => {
            audit.find(FindingKind::SignatureBad { why }, name, commit);
            Ok(None)
        }
    }
}

/// Parsed approvers files by blob, so that each is read once.
pub(super) type ApproversSeen = HashMap<Option<git2::Oid>, Vec<Approver>>;
