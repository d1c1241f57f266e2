//! `verify --repair`: puts right what the findings say can be put right, and
//! nothing else — a record that was edited or deleted needs a trusted clone.

use crate::error::Result;
use crate::model::paths;
use crate::repo::{Repo, Snapshot};

use super::{Finding, FindingKind, Report, version_of};

/// Puts right what `verify` found repairable, inside one locked transaction:
/// finishes an interrupted command, makes missing tags on the commits that
/// recorded their baselines, and rolls back record files never committed.
/// Returns what it did, a line each.
pub fn repair(repo: &Repo, report: &Report) -> Result<Vec<String>> {
    if !report.shallow_from.is_empty() {
        return Err(crate::error::Error::refused(
            "verify --repair needs the whole history, and this clone is shallow: the commits that recorded some baselines are not here",
            "fetch the whole history first with `git fetch --unshallow`, then run `baseline verify --repair` again",
        ));
    }
    let mut done = Vec::new();
    // Beginning a transaction finishes (or rolls back) the interrupted one.
    let tx = repo.begin("verify --repair")?;
    if report
        .findings
        .iter()
        .any(|f| f.kind == FindingKind::LeftoverJournal)
    {
        done.push("finished the interrupted command's tags and working files".to_string());
    }
    let snapshot = tx.snapshot();
    for finding in report.findings.iter().filter(|f| f.repairable()) {
        match &finding.kind {
            FindingKind::TagMissing { .. } => {
                done.extend(make_missing_tag(repo, snapshot, finding)?);
            }
            FindingKind::TagLeftByRewrite {
                points_at,
                recorded_by,
                published: false,
            } => {
                done.push(move_left_tag(
                    repo,
                    &finding.record,
                    points_at,
                    recorded_by,
                )?);
            }
            FindingKind::LeftoverUncommitted | FindingKind::LeftoverModified => {
                done.push(restore_as_committed(repo, snapshot, &finding.record)?);
            }
            _ => {}
        }
    }
    Ok(done)
}

/// Makes a baseline's missing tag on the commit that recorded it, with the
/// message `approve` would have written.
fn make_missing_tag(
    repo: &Repo,
    snapshot: &Snapshot<'_>,
    finding: &Finding,
) -> Result<Option<String>> {
    let (Some((artefact, version)), Some(commit)) =
        (version_of(&finding.record), finding.commit.as_deref())
    else {
        return Ok(None);
    };
    let Some(record) = snapshot.version(&artefact, &version)? else {
        return Ok(None);
    };
    let title = snapshot
        .artefact(&artefact)?
        .map(|a| a.title)
        .unwrap_or_default();
    let name = paths::tag(&artefact, &version);
    let target = repo
        .git()
        .find_object(git2::Oid::from_str(commit)?, Some(git2::ObjectType::Commit))?;
    match &record.signed_by {
        // A signed baseline's tag is made again only by its signer's key.
        Some(signer) => {
            let key = repo.signing_key()?;
            if key.fingerprint != signer.key {
                return Err(crate::error::Error::refused(
                    format!(
                        "the tag {name} must be signed by {} (key {}), and your signing key is {}",
                        signer.name, signer.key, key.fingerprint
                    ),
                    format!(
                        "run `baseline verify --repair` where {}'s key signs, or fetch the tag from a trusted clone",
                        signer.name
                    ),
                ));
            }
            let tag = repo.signed_tag(&name, target.id(), &record.tag_message(&title), &key)?;
            repo.git().reference(
                &paths::tag_ref(&name),
                tag,
                false,
                "verify --repair: missing signed tag",
            )?;
        }
        None => {
            repo.git().tag(
                &name,
                &target,
                &repo.identity_signature()?,
                &record.tag_message(&title),
                false,
            )?;
        }
    }
    Ok(Some(format!("made the missing tag {name} on {commit}")))
}

/// Moves an unpublished tag a rewrite left behind onto the commit that now
/// records its baseline: the same tag (message, tagger), made again there.
fn move_left_tag(repo: &Repo, name: &str, from: &str, to: &str) -> Result<String> {
    let refname = paths::tag_ref(name);
    let tag = repo.git().refname_to_id(&refname)?;
    let moved = repo.retag(name, tag, git2::Oid::from_str(to)?)?;
    repo.git().reference(
        &refname,
        moved,
        true,
        "verify --repair: tag left by a rewrite",
    )?;
    Ok(format!(
        "moved the tag {name} from {from}, left behind by a rewrite, to {to}, which records its baseline"
    ))
}

/// Puts a record file back as the last commit has it, or removes it if no commit
/// has it.
fn restore_as_committed(repo: &Repo, snapshot: &Snapshot<'_>, record: &str) -> Result<String> {
    let file = repo.root().join(record);
    // The index entry goes back to the commit's too, or git would still hold the
    // half-written record.
    if let Some(head) = snapshot.commit() {
        repo.git().reset_default(Some(head.as_object()), [record])?;
    }
    match snapshot.read(record)? {
        Some(bytes) => {
            crate::repo::journal::replace_file(&file, &bytes)?;
            Ok(format!("restored {record} as committed"))
        }
        None => {
            match std::fs::remove_file(&file) {
                Err(err) if err.kind() != std::io::ErrorKind::NotFound => {
                    return Err(crate::error::io_at(&file)(err));
                }
                _ => {}
            }
            Ok(format!("removed {record}, which was never committed"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{Design, codes};
    use super::*;

    #[test]
    fn repair_makes_missing_tags_and_rolls_back_half_written_records() {
        let design = Design::with_baseline();
        let recorded = design.git(&["rev-parse", "DOC/v1.0^{commit}"]);
        let committed = design.read("decisions/DEC1.toml");
        design.git(&["tag", "-d", "DOC/v1.0"]);
        design.write("decisions/DEC2.toml", "id = \"DEC2\"\n");
        design.write(
            "decisions/DEC1.toml",
            &format!("{committed}note = \"half\"\n"),
        );
        let repo = design.repo();
        let report = design.verify();
        assert_eq!(report.findings.len(), 3, "{:?}", codes(&report));

        let done = repair(&repo, &report).unwrap();
        assert_eq!(done.len(), 3, "{done:?}");
        assert_eq!(design.findings(), Vec::<String>::new());
        assert_eq!(design.git(&["rev-parse", "DOC/v1.0^{commit}"]), recorded);
        assert_eq!(design.read("decisions/DEC1.toml"), committed);
        assert!(!design.path().join("decisions/DEC2.toml").exists());
    }

    /// An edited record needs a trusted clone: repair leaves it, and says nothing.
    #[test]
    fn repair_leaves_what_it_cannot_put_right() {
        let design = Design::with_baseline();
        let text = design
            .read("decisions/DEC1.toml")
            .replace("Approved.", "Edited.");
        design.commit_by_hand("decisions/DEC1.toml", &text);
        let report = design.verify();
        assert!(codes(&report).contains(&"record-edited decisions/DEC1.toml".to_string()));
        assert_eq!(
            repair(&design.repo(), &report).unwrap(),
            Vec::<String>::new()
        );
        assert_eq!(codes(&design.verify()), codes(&report));
    }

    /// A baseline no commit recorded has no commit to tag: not repairable.
    #[test]
    fn a_missing_tag_with_no_recording_commit_is_not_repaired() {
        let design = Design::with_baseline();
        let report = Report {
            findings: vec![Finding::new(
                FindingKind::TagMissing {
                    tag: "DOC/v1.0".into(),
                    recorded: false,
                },
                "artefacts/DOC/versions/1.0.toml",
                None,
            )],
            ..Report::default()
        };
        design.git(&["tag", "-d", "DOC/v1.0"]);
        assert_eq!(
            repair(&design.repo(), &report).unwrap(),
            Vec::<String>::new()
        );
        assert_eq!(design.git(&["tag", "-l", "DOC/v1.0"]), "");
    }
}
