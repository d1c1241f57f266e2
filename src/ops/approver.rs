//! `baseline approver`: who may sign baselines, kept in the `approvers` file
//! (git's allowed-signers format with a role per key) and changed only as
//! recorded events: one commit per approver added or removed, citing the
//! approved decision that made the change. verify reports any other edit.

use std::path::Path;

use serde::Serialize;

use crate::error::{Error, Result};
use crate::model::Date;
use crate::model::approvers::{self, APPROVERS, Approver, PublicKey, SignatureFormat};
use crate::model::trailers::{self, CommitMessage};
use crate::repo::{Repo, Snapshot};
use crate::rules;

/// An approver to add.
pub struct AddOptions<'a> {
    pub name: &'a str,
    /// The public key file (`id_ed25519.pub`).
    pub key_file: &'a Path,
    pub role: &'a str,
    /// The first day the key may sign (default: `date`).
    pub from: Option<Date>,
    /// The last day the key may sign (default: open-ended).
    pub until: Option<Date>,
    pub decision: &'a str,
    /// When the change takes effect.
    pub date: Date,
}

/// An approver added or removed, and the recorded event that did it.
#[derive(Debug, Clone, Serialize)]
pub struct ApproverChange {
    pub added: bool,
    pub approver: Approver,
    pub decision: String,
    pub date: Date,
    pub commit: String,
}

/// An approver as listed, with the recorded event that added them.
#[derive(Debug, Serialize)]
pub struct Listed {
    #[serde(flatten)]
    pub approver: Approver,
    /// Whether the key may sign today.
    pub valid_today: bool,
    pub added: Option<Added>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Added {
    pub decision: String,
    pub date: Date,
    pub commit: String,
}

/// Adds an approver under `decision`, in one commit.
pub fn add(repo: &Repo, options: &AddOptions<'_>) -> Result<ApproverChange> {
    approvers::check_name(options.name)?;
    approvers::check_role(options.role)?;
    let key = read_key(repo, options.key_file)?;
    let from = options.from.unwrap_or(options.date);
    if let Some(until) = options.until
        && until < from
    {
        return Err(Error::usage(
            format!("--until {until} is before the key may first sign ({from})"),
            "give an --until on or after --from (or the date)",
        ));
    }
    let mut tx = repo.begin(format!("approver add {}", options.name))?;
    let snapshot = tx.snapshot();
    let decided = check_decision(snapshot, options.decision, options.date)?;
    rules::check_appointment(
        options.name,
        from,
        options.decision,
        decided,
        repo.approver_removed_on(options.name)?,
    )?;
    let mut listed = snapshot.approvers()?;
    if let Some(same) = listed.iter().find(|a| a.name == options.name) {
        return Err(Error::refused(
            format!(
                "{} is already an approver ({}, key {})",
                options.name, same.role, same.key.fingerprint
            ),
            format!(
                "to change their key, role or validity, remove them first: `baseline approver remove {} --decision DEC`",
                options.name
            ),
        ));
    }
    if let Some(other) = listed.iter().find(|a| a.key.same_key(&key)) {
        return Err(Error::refused(
            format!(
                "the key {} is already {}'s: a key signs for one approver",
                key.fingerprint, other.name
            ),
            "give the approver's own public key",
        ));
    }
    let approver = Approver {
        name: options.name.to_string(),
        role: options.role.to_string(),
        from,
        until: options.until,
        key,
    };
    listed.push(approver.clone());
    tx.write(APPROVERS, approvers::render(&listed).as_bytes())?;
    let commit = tx.commit(
        &CommitMessage::new(format!(
            "Add approver {} ({}) under {}",
            approver.name, approver.role, options.decision
        ))
        .line(format!(
            "Key {} may sign baselines {}.",
            approver.key.fingerprint,
            approver.validity()
        ))
        .trailer(trailers::COMMAND, "approver")
        .trailer(trailers::APPROVER_ADDED, &approver.name)
        .trailer(trailers::DECISION, options.decision)
        .trailer(trailers::DATE, options.date),
    )?;
    Ok(ApproverChange {
        added: true,
        approver,
        decision: options.decision.to_string(),
        date: options.date,
        commit: commit.to_string(),
    })
}

/// Removes an approver under `decision`, in one commit. Baselines they signed
/// stand: each is checked against the approvers as they were when it was made.
pub fn remove(repo: &Repo, name: &str, decision: &str, date: Date) -> Result<ApproverChange> {
    approvers::check_name(name)?;
    let mut tx = repo.begin(format!("approver remove {name}"))?;
    let snapshot = tx.snapshot();
    check_decision(snapshot, decision, date)?;
    let mut listed = snapshot.approvers()?;
    let Some(at) = listed.iter().position(|a| a.name == name) else {
        return Err(Error::refused(
            format!("{name} is not an approver"),
            "`baseline approver list` shows who is",
        ));
    };
    let approver = listed.remove(at);
    tx.write(APPROVERS, approvers::render(&listed).as_bytes())?;
    let commit = tx.commit(
        &CommitMessage::new(format!(
            "Remove approver {name} ({}) under {decision}",
            approver.role
        ))
        .line(format!(
            "Key {} may no longer sign baselines; those it signed stand.",
            approver.key.fingerprint
        ))
        .trailer(trailers::COMMAND, "approver")
        .trailer(trailers::APPROVER_REMOVED, name)
        .trailer(trailers::DECISION, decision)
        .trailer(trailers::DATE, date),
    )?;
    Ok(ApproverChange {
        added: false,
        approver,
        decision: decision.to_string(),
        date,
        commit: commit.to_string(),
    })
}

/// The approvers now, each with the recorded event that added them.
pub fn list(snapshot: &Snapshot<'_>) -> Result<Vec<Listed>> {
    let listed = snapshot.approvers()?;
    let mut added: Vec<(String, Added)> = Vec::new();
    if !listed.is_empty()
        && let Some(head) = snapshot.commit()
    {
        let git = snapshot.repo().git();
        let mut walk = git.revwalk()?;
        walk.push(head.id())?;
        for id in walk {
            let commit = git.find_commit(id?)?;
            if let Some(change) = commit.message().ok().and_then(trailers::approver_change)
                && change.added
                && !added.iter().any(|(name, _)| *name == change.name)
            {
                let event = Added {
                    decision: change.decision,
                    date: change.date,
                    commit: commit.id().to_string(),
                };
                added.push((change.name, event));
                if added.len() >= listed.len() {
                    break;
                }
            }
        }
    }
    let today = crate::model::date::today();
    Ok(listed
        .into_iter()
        .map(|approver| Listed {
            valid_today: approver.valid_on(today),
            added: added
                .iter()
                .find(|(name, _)| *name == approver.name)
                .map(|(_, a)| a.clone()),
            approver,
        })
        .collect())
}

/// The decision must be recorded, approved, and dated on or before `date`;
/// returns its date.
fn check_decision(snapshot: &Snapshot<'_>, decision: &str, date: Date) -> Result<Date> {
    let cited = snapshot.decision(decision)?;
    Ok(rules::deciding_change(decision, cited.as_ref(), date, "the approvers")?.date)
}

/// A public key file, at most 64 KB: an SSH `.pub` file, an OpenPGP key
/// export (armored or binary, one key) or an X.509 certificate (PEM or DER,
/// one certificate, as gpgsm reads it).
fn read_key(repo: &Repo, path: &Path) -> Result<PublicKey> {
    let what = path.display().to_string();
    let meta = std::fs::metadata(path).map_err(crate::error::io_at(path))?;
    if !meta.is_file() || meta.len() > 64 * 1024 {
        return Err(Error::refused(
            format!("{what} is not a public key file (at most 64 KB)"),
            "give the .pub file ssh-keygen made (e.g. ~/.ssh/id_ed25519.pub), `gpg --export --armor KEYID > key.asc`, or `gpgsm --export --armor FINGERPRINT > cert.pem`",
        ));
    }
    let bytes = std::fs::read(path).map_err(crate::error::io_at(path))?;
    let key = PublicKey::read(&bytes, &what)?;
    if key.format == SignatureFormat::X509 {
        repo.check_x509_certificate(&key, &what)?;
    }
    Ok(key)
}
