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
use crate::model::{Outcome, VersionRecord, paths, trailers};
use crate::repo::Snapshot;
use crate::repo::signing::ssh_signature_holds;

use super::{Audit, FindingKind};

/// Every edit of the approvers file the walk saw is a recorded one.
pub(super) fn check_approvers(audit: &mut Audit<'_>, snapshot: &Snapshot<'_>) -> Result<()> {
    let edits = std::mem::take(&mut audit.approvers_edits);
    for &edit in &edits {
        if let Some(why) = unrecorded_because(audit, snapshot, edit)? {
            audit.unrecorded_approvers.insert(edit);
            audit.find(
                FindingKind::ApproversUnrecorded { why },
                paths::APPROVERS,
                Some(edit),
            );
        }
    }
    Ok(())
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

/// Why an edit of the approvers file is not a recorded change; none where it is.
fn unrecorded_because(
    audit: &Audit<'_>,
    snapshot: &Snapshot<'_>,
    edit: git2::Oid,
) -> Result<Option<String>> {
    let commit = audit.repo.git().find_commit(edit)?;
    let Some(change) = commit.message().ok().and_then(trailers::approver_change) else {
        return Ok(Some(
            "the commit is not an `approver add` or `approver remove`".into(),
        ));
    };
    match snapshot.decision(&change.decision).ok().flatten() {
        None => {
            return Ok(Some(format!(
                "it cites {}, which is not recorded",
                change.decision
            )));
        }
        Some(d) if d.outcome != Outcome::Approved || d.date > change.date => {
            return Ok(Some(format!(
                "it cites {} ({} on {}), which could not change the approvers on {}",
                change.decision, d.outcome, d.date, change.date
            )));
        }
        Some(_) => {}
    }
    let Some(after) = approvers_in(audit, edit)? else {
        return Ok(Some("the file it left does not parse".into()));
    };
    if approvers_blob(audit, edit)?.is_none() {
        return Ok(Some("it deleted the file".into()));
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
    Ok((!as_said).then(|| {
        format!(
            "it says it {} {}, but it changes the file otherwise",
            if change.added { "adds" } else { "removes" },
            change.name
        )
    }))
}

/// The approvers as last recorded at or before `commit`: the file of the
/// nearest commit on its first-parent line that changed it as a recorded
/// event (or none).
fn approvers_at(audit: &mut Audit<'_>, commit: git2::Oid) -> Result<Vec<Approver>> {
    let git = audit.repo.git();
    let mut at = git.find_commit(commit)?;
    if !audit.unrecorded_approvers.is_empty() {
        loop {
            let blob = approvers_blob(audit, at.id())?;
            let parent = at.parent(0).ok();
            let parent_blob = match &parent {
                Some(p) => approvers_blob(audit, p.id())?,
                None => None,
            };
            let edited = blob != parent_blob;
            if edited && !audit.unrecorded_approvers.contains(&at.id()) {
                break;
            }
            match parent {
                Some(parent) => at = parent,
                None => return Ok(Vec::new()),
            }
        }
    }
    let blob = approvers_blob(audit, at.id())?;
    if let Some(known) = audit.approvers_seen.get(&blob) {
        return Ok(known.clone());
    }
    let listed = approvers_in(audit, at.id())?.unwrap_or_default();
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
    if signature.format != SignatureFormat::Ssh {
        let kind = FindingKind::SignerUnknown {
            why: format!(
                "it carries an {} signature, and the approvers file lists SSH keys only",
                if signature.format == SignatureFormat::X509 {
                    "X.509"
                } else {
                    "OpenPGP"
                }
            ),
        };
        audit.find(kind, name, commit);
        return Ok(());
    }
    let Some(key) = ssh_signature_key(&signature.armored) else {
        let why = "it is not a readable SSH signature".to_string();
        audit.find(FindingKind::SignatureBad { why }, name, commit);
        return Ok(());
    };
    if !ssh_signature_holds(payload, &signature.armored, &key)? {
        let why = format!("key {} did not sign the tag as it stands", key.fingerprint);
        audit.find(FindingKind::SignatureBad { why }, name, commit);
        return Ok(());
    }
    let recorded = record.signed_by.as_ref().map(|s| s.key.clone());
    if recorded.as_deref() != Some(key.fingerprint.as_str()) {
        let kind = FindingKind::TagResigned {
            recorded,
            signed_with: key.fingerprint.clone(),
        };
        audit.find(kind, name, commit);
    }
    let listed = match commit {
        Some(commit) => approvers_at(audit, commit)?,
        None => audit.repo.snapshot()?.approvers().unwrap_or_default(),
    };
    let theirs: Vec<&Approver> = listed.iter().filter(|a| a.key == key).collect();
    let Some(first) = theirs.first() else {
        let why = format!("no approver had key {} when it was made", key.fingerprint);
        audit.find(FindingKind::SignerUnknown { why }, name, commit);
        return Ok(());
    };
    let valid: Vec<&&Approver> = theirs.iter().filter(|a| a.valid_on(record.date)).collect();
    match valid.first() {
        None => {
            let kind = FindingKind::SignerOutsideValidity {
                name: first.name.clone(),
                validity: first.validity(),
                date: record.date.to_string(),
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

/// Parsed approvers files by blob, so that each is read once.
pub(super) type ApproversSeen = HashMap<Option<git2::Oid>, Vec<Approver>>;
