//! Version records: each one's content against its sha256 and blob, its file's
//! name, the order versions were added in, and each baseline against the rules
//! (and, through [`super::tags`], its tag).

use std::collections::HashSet;

use crate::error::Result;
use crate::model::config::Policy;
use crate::model::{Change, Decision, Status, VersionRecord, paths};
use crate::repo::Snapshot;
use crate::rules::adoption::{AdoptionRequest, check_adoption};
use crate::rules::{self, BaselineRequest};

use super::{Audit, FindingKind, tags, version_of};

/// For a range: each artefact's versions continue from the highest one recorded
/// before it, so a push cannot slip in a number below an existing version.
pub(super) fn seed_order(audit: &mut Audit<'_>, before: &Snapshot<'_>) -> Result<()> {
    let Some(commit) = before.commit().map(|c| c.id()) else {
        return Ok(());
    };
    for (artefact, added) in audit.order.iter_mut() {
        if let Some(highest) = before.version_numbers(artefact)?.into_iter().max() {
            added.insert(0, (highest, commit));
        }
    }
    Ok(())
}

/// Versions are added in increasing order: a lower number added later would
/// rewrite what "the latest version" meant when it was approved.
pub(super) fn check_order(audit: &mut Audit<'_>) {
    let mut found = Vec::new();
    for (artefact, added) in &audit.order {
        for pair in added.windows(2) {
            let ((before, _), (version, commit)) = (&pair[0], &pair[1]);
            if version <= before {
                let kind = FindingKind::VersionOrder {
                    version: version.to_string(),
                    after: before.to_string(),
                };
                found.push((kind, paths::version(artefact, version), *commit));
            }
        }
    }
    for (kind, record, commit) in found {
        audit.find(kind, record, Some(commit));
    }
}

/// Every version's content and, for baselines, tag and rules. `only_added`: a
/// range is checked, and only the versions its commits added.
pub(super) fn check_versions(
    audit: &mut Audit<'_>,
    snapshot: &Snapshot<'_>,
    only_added: bool,
) -> Result<()> {
    let current = match snapshot.config() {
        Ok(config) => config.policy,
        Err(err) => {
            audit.find(
                FindingKind::ConfigUnreadable { error: err.message },
                paths::CONFIG,
                None,
            );
            Policy::default()
        }
    };
    let artefacts = if only_added {
        artefacts_added(audit)
    } else {
        snapshot.artefact_ids()?
    };
    for id in artefacts {
        let versions = match snapshot.versions(&id) {
            Ok(v) => v,
            Err(err) => {
                audit.find(
                    FindingKind::VersionsUnreadable { error: err.message },
                    paths::versions_dir(&id),
                    None,
                );
                continue;
            }
        };
        check_file_names(audit, snapshot, &id, &versions)?;
        let title = snapshot
            .artefact(&id)
            .ok()
            .flatten()
            .map(|a| a.title)
            .unwrap_or_default();
        for (n, record) in versions.iter().enumerate() {
            let path = paths::version(&id, &record.version);
            let added = audit.added.get(&path).map(|&(commit, _)| commit);
            if only_added && added.is_none() {
                continue;
            }
            audit.report.versions += 1;
            check_content(audit, &path, record, added);
            if record.status == Status::Baselined {
                audit.report.baselines += 1;
                let policy = policy_when_recorded(audit, added, &current)?;
                let may_follow = audit.tags_may_follow;
                tags::check_tag(audit, &path, record, added, may_follow, &title, &policy)?;
                let made = Made {
                    path: &path,
                    record,
                    earlier: &versions[..n],
                    commit: added,
                };
                check_rules(audit, snapshot, &made, &policy)?;
            }
        }
    }
    Ok(())
}

/// The artefacts with a version the walked commits added, each once.
fn artefacts_added(audit: &Audit<'_>) -> Vec<String> {
    let mut ids: Vec<String> = audit
        .added
        .keys()
        .filter_map(|p| version_of(p))
        .map(|(artefact, _)| artefact)
        .collect();
    ids.sort();
    ids.dedup();
    ids
}

/// A baseline answers to the policy in force when it was recorded, not to one
/// set since.
pub(super) fn policy_when_recorded(
    audit: &Audit<'_>,
    commit: Option<git2::Oid>,
    current: &Policy,
) -> Result<Policy> {
    Ok(match commit {
        Some(commit) => Snapshot::at_commit(audit.repo, commit)?
            .config()
            .map(|c| c.policy)
            .unwrap_or_else(|_| current.clone()),
        None => current.clone(),
    })
}

/// Each version file holds the version its name says, of the artefact whose
/// folder it is in: a record under another name would borrow that version's
/// commit and tag.
fn check_file_names(
    audit: &mut Audit<'_>,
    snapshot: &Snapshot<'_>,
    id: &str,
    versions: &[VersionRecord],
) -> Result<()> {
    let expected: HashSet<String> = versions
        .iter()
        .map(|v| paths::version_file(&v.version))
        .collect();
    for name in snapshot.list(&paths::versions_dir(id))? {
        if paths::record_id(&name).is_some() && !expected.contains(&name) {
            audit.find(
                FindingKind::FileNameMismatch,
                format!("{}/{name}", paths::versions_dir(id)),
                None,
            );
        }
    }
    for record in versions.iter().filter(|v| v.artefact != id) {
        let kind = FindingKind::WrongArtefact {
            named: record.artefact.clone(),
            folder: id.to_string(),
        };
        audit.find(kind, paths::version(id, &record.version), None);
    }
    Ok(())
}

/// The content hashes to the record's sha256 and blob; and a draft's own commit
/// held that content at the artefact's file, so what was reviewed is what git
/// shows at that commit.
fn check_content(
    audit: &mut Audit<'_>,
    path: &str,
    record: &VersionRecord,
    commit: Option<git2::Oid>,
) {
    if let Err(err) = audit.repo.version_content(record) {
        audit.find(
            FindingKind::ContentMismatch { error: err.message },
            path,
            commit,
        );
        return;
    }
    if let (Status::Draft, Some(commit)) = (record.status, commit) {
        let held = audit
            .content_at
            .get(path)
            .copied()
            .flatten()
            .map(|id| id.to_string());
        if held.as_deref() != Some(record.blob.as_str()) {
            let kind = FindingKind::CommitContentMismatch {
                held,
                file: record.file.clone(),
                blob: record.blob.clone(),
            };
            audit.find(kind, path, Some(commit));
        }
    }
}

/// A baseline keeps the rules `approve` (or, for an adopted one, `import
/// register`) enforced when it was made: checked again here because a record
/// written by hand never went through either.
fn check_rules(
    audit: &mut Audit<'_>,
    snapshot: &Snapshot<'_>,
    made: &Made<'_>,
    policy: &Policy,
) -> Result<()> {
    let Made {
        path,
        record,
        earlier,
        ..
    } = *made;
    let decisions = decisions_when_made(audit, snapshot, made)?;
    let changes = changes_when_made(audit, snapshot, made)?;
    if record.adopted.is_some() {
        let request = AdoptionRequest {
            artefact: &record.artefact,
            earlier,
            promotes: record.promotes.as_ref(),
            date: record.date,
            decisions: &decisions,
        };
        if let Err(err) = check_adoption(&request) {
            audit.find(FindingKind::RuleBroken { error: err.message }, path, None);
        }
        return Ok(());
    }
    let request = BaselineRequest {
        artefact: &record.artefact,
        versions: earlier,
        draft: record.promotes.as_ref(),
        version: Some(&record.version),
        date: record.date,
        decisions: &decisions,
        changes: &changes,
        policy,
    };
    match rules::check_baseline(&request) {
        Err(err) => audit.find(FindingKind::RuleBroken { error: err.message }, path, None),
        Ok(plan) if plan.promotes.sha256 != record.sha256 || plan.promotes.blob != record.blob => {
            let kind = FindingKind::BaselineNotDraft {
                draft: plan.promotes.version.to_string(),
            };
            audit.find(kind, path, None)
        }
        Ok(_) => {}
    }
    Ok(())
}

/// A baseline being checked: its record's path, the record, the versions
/// before it, and the commit that added it (when the walk saw it).
struct Made<'m> {
    path: &'m str,
    record: &'m VersionRecord,
    earlier: &'m [VersionRecord],
    commit: Option<git2::Oid>,
}

/// The decisions a baseline cites, as they stood on the commit that made it: a
/// correction made since does not make it break a rule it kept. One that no
/// longer covers its artefact is reported all the same. A cited record that
/// does not parse is reported where the records are read (record-unparsable);
/// here it counts as missing, and the audit goes on.
fn decisions_when_made(
    audit: &mut Audit<'_>,
    snapshot: &Snapshot<'_>,
    made: &Made<'_>,
) -> Result<Vec<(String, Option<Decision>)>> {
    let artefact = made.record.artefact.as_str();
    let cited = Cited {
        ids: &made.record.decisions,
        read: |snapshot: &Snapshot<'_>, id: &str| snapshot.decision(id).ok().flatten(),
        corrected: |d: &Decision| !d.corrections.is_empty(),
        dropped: |id: &str, then: &Decision, now: &Decision| {
            (then.covers(artefact) && !now.covers(artefact)).then(|| {
                FindingKind::DecisionCorrectedAfterBaseline {
                    decision: id.to_string(),
                    number: now.corrections.last().map_or(0, |c| c.number),
                    artefacts: now.artefacts.clone(),
                }
            })
        },
    };
    cited.when_made(audit, snapshot, made)
}

/// The changes a baseline cites, as they stood on the commit that made it: an
/// amendment made since to what a change affects does not make the baseline
/// break a rule it kept, and one that no longer lists its artefact is reported.
fn changes_when_made(
    audit: &mut Audit<'_>,
    snapshot: &Snapshot<'_>,
    made: &Made<'_>,
) -> Result<Vec<(String, Option<Change>)>> {
    let artefact = made.record.artefact.as_str();
    let cited = Cited {
        ids: &made.record.changes,
        read: |snapshot: &Snapshot<'_>, id: &str| snapshot.change(id).ok().flatten(),
        corrected: |c: &Change| !c.amendments.is_empty(),
        dropped: |id: &str, then: &Change, now: &Change| {
            (then.affects_artefact(artefact) && !now.affects_artefact(artefact)).then(|| {
                FindingKind::ChangeAmendedAfterBaseline {
                    change: id.to_string(),
                    affects: now.affects().to_vec(),
                }
            })
        },
    };
    cited.when_made(audit, snapshot, made)
}

/// Records of one kind a baseline cites, with how to read one, whether it
/// was corrected since, and what to report where a correction dropped the
/// baseline's artefact.
struct Cited<'i, R, C, D> {
    ids: &'i [String],
    read: R,
    corrected: C,
    dropped: D,
}

impl<T: Clone, R, C, D> Cited<'_, R, C, D>
where
    R: Fn(&Snapshot<'_>, &str) -> Option<T>,
    C: Fn(&T) -> bool,
    D: Fn(&str, &T, &T) -> Option<FindingKind>,
{
    /// Each cited record as it stood on the commit that made the baseline,
    /// where it was corrected since (as it stands now otherwise).
    fn when_made(
        &self,
        audit: &mut Audit<'_>,
        snapshot: &Snapshot<'_>,
        made: &Made<'_>,
    ) -> Result<Vec<(String, Option<T>)>> {
        let mut cited = Vec::new();
        let mut then_snapshot = None;
        for id in self.ids {
            let now = (self.read)(snapshot, id);
            let corrected = now.as_ref().is_some_and(&self.corrected);
            let (Some(now), Some(commit), true) = (now.clone(), made.commit, corrected) else {
                cited.push((id.clone(), now));
                continue;
            };
            let then = match &then_snapshot {
                Some(then) => then,
                None => then_snapshot.insert(Snapshot::at_commit(audit.repo, commit)?),
            };
            let then = (self.read)(then, id);
            if let Some(kind) = then
                .as_ref()
                .and_then(|then| (self.dropped)(id, then, &now))
            {
                audit.find(kind, made.path, None);
            }
            cited.push((id.clone(), then));
        }
        Ok(cited)
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{Design, codes};
    use super::super::{Scope, verify};
    use crate::model::Outcome;

    /// Draft 0.1's record, rewritten as `version` with `edit` applied.
    fn copy_of_draft(design: &Design, version: &str, edit: &dyn Fn(String) -> String) -> String {
        let text = design
            .read("artefacts/DOC/versions/0.1.toml")
            .replace("version = \"0.1\"", &format!("version = \"{version}\""));
        edit(text)
    }

    #[test]
    fn a_version_whose_content_does_not_hash_to_its_record_is_found() {
        let design = Design::with_draft();
        let text = copy_of_draft(&design, "0.2", &|text| {
            let sha = text.split("sha256 = \"").nth(1).unwrap()[..64].to_string();
            text.replace(&sha, &"0".repeat(64))
        });
        design.commit_by_hand("artefacts/DOC/versions/0.2.toml", &text);
        assert_eq!(
            design.findings(),
            ["content-mismatch artefacts/DOC/versions/0.2.toml"]
        );
    }

    /// A draft records the working content of its own commit: a record that
    /// names other content (here 0.1's, copied) than its commit holds at the
    /// artefact's file is found, though that content hashes right.
    #[test]
    fn a_draft_naming_other_content_than_its_commit_held_is_found() {
        let design = Design::with_draft();
        design.write("artefacts/DOC/doc.md", "# Scope\n\nThe second text.\n");
        design.git(&["add", "artefacts/DOC/doc.md"]);
        let text = copy_of_draft(&design, "0.2", &|text| text);
        design.commit_by_hand("artefacts/DOC/versions/0.2.toml", &text);
        assert_eq!(
            design.findings(),
            ["commit-content-mismatch artefacts/DOC/versions/0.2.toml"]
        );
    }

    /// The content a draft's commit held is looked up the same way where only
    /// a range is checked, or only what came since a cached verify.
    #[test]
    fn a_draft_naming_other_content_is_found_in_a_range_and_since_a_cached_verify() {
        let design = Design::with_draft();
        let repo = design.repo();
        let run = |range: Option<&str>, use_cache: bool| {
            codes(&verify(&repo, Scope { range, use_cache }, &|_, _| {}).unwrap())
        };
        assert_eq!(run(None, true), Vec::<String>::new(), "cached at the draft");
        let before = design.git(&["rev-parse", "HEAD"]);
        design.write("artefacts/DOC/doc.md", "# Scope\n\nThe second text.\n");
        design.git(&["add", "artefacts/DOC/doc.md"]);
        let text = copy_of_draft(&design, "0.2", &|text| text);
        design.commit_by_hand("artefacts/DOC/versions/0.2.toml", &text);
        design.decision("DEC2", "2023-06-05", Outcome::Noted, &[]);
        let found = ["commit-content-mismatch artefacts/DOC/versions/0.2.toml"];
        let range = format!("{}..HEAD", before.trim());
        assert_eq!(run(Some(&range), false), found);
        assert_eq!(run(None, true), found);
    }

    #[test]
    fn a_version_recorded_after_a_higher_one_is_found() {
        let design = Design::with_draft();
        design.write("artefacts/DOC/doc.md", "# Scope\n\nThe second text.\n");
        design.draft("2023-06-02");
        let text = copy_of_draft(&design, "0.1.5", &|text| text);
        design.commit_by_hand("artefacts/DOC/versions/0.1.5.toml", &text);
        let report = design.verify();
        let order = report
            .findings
            .iter()
            .find(|f| f.code() == "version-order")
            .expect("the order is found");
        assert_eq!(order.record, "artefacts/DOC/versions/0.1.5.toml");
        assert_eq!(
            order.message(),
            "version 0.1.5 was recorded after 0.2; version numbers only increase"
        );
    }

    #[test]
    fn a_version_file_named_for_another_version_is_found() {
        let design = Design::with_draft();
        let text = design.read("artefacts/DOC/versions/0.1.toml");
        design.commit_by_hand("artefacts/DOC/versions/0.3.toml", &text);
        assert!(
            design
                .findings()
                .contains(&"file-name-mismatch artefacts/DOC/versions/0.3.toml".to_string()),
            "{:?}",
            design.findings()
        );
    }

    /// A baseline written by hand never went through `approve`'s rules.
    #[test]
    fn a_baseline_citing_no_recorded_decision_breaks_a_rule() {
        let design = Design::with_draft();
        let text = copy_of_draft(&design, "1.0", &|text| {
            text.replace("\"draft\"", "\"baselined\"")
                + "promotes = \"0.1\"\ndecisions = [\"DEC9\"]\n"
        });
        design.commit_by_hand("artefacts/DOC/versions/1.0.toml", &text);
        let findings = design.findings();
        assert!(
            findings.contains(&"rule-broken artefacts/DOC/versions/1.0.toml".to_string()),
            "{findings:?}"
        );
    }

    /// A first version written by hand as a baseline of another artefact
    /// (DOC2), from DOC's draft, citing approved DEC1: `adopted` is added to
    /// its text when `adopted` is true.
    fn hand_made_first_baseline(design: &Design, adopted: bool) -> Vec<String> {
        use crate::model::Outcome;
        design.decision("DEC1", "2023-06-01", Outcome::Approved, &[]);
        let mut text = copy_of_draft(design, "1.0", &|text| {
            text.replace("artefact = \"DOC\"", "artefact = \"DOC2\"")
                .replace("\"draft\"", "\"baselined\"")
                + "decisions = [\"DEC1\"]\n"
        });
        if adopted {
            text.push_str(&format!(
                "\n[adopted]\nregister = \"register.csv\"\nregister_sha256 = \"{}\"\nrow = 2\nsource_file = \"DOC2 v1.0.md\"\n",
                "0".repeat(64)
            ));
        }
        design.commit_by_hand("artefacts/DOC2/versions/1.0.toml", &text);
        design.findings()
    }

    /// Only `import register` may record a baseline that promotes no draft.
    #[test]
    fn a_hand_made_baseline_without_a_draft_breaks_a_rule() {
        let findings = hand_made_first_baseline(&Design::with_draft(), false);
        assert!(
            findings.contains(&"rule-broken artefacts/DOC2/versions/1.0.toml".to_string()),
            "{findings:?}"
        );
    }

    /// An adopted first version on an approved decision keeps the rules (its
    /// tag, made by hand here, is another matter).
    #[test]
    fn an_adopted_first_version_keeps_the_rules() {
        let findings = hand_made_first_baseline(&Design::with_draft(), true);
        assert!(
            !findings.iter().any(|f| f.starts_with("rule-broken")),
            "{findings:?}"
        );
    }

    #[test]
    fn an_adopted_baseline_after_a_draft_breaks_a_rule() {
        let design = Design::with_baseline();
        let text = design
            .read("artefacts/DOC/versions/1.0.toml")
            .replace("version = \"1.0\"", "version = \"2.0\"")
            .replace("promotes = \"0.1\"\n", "")
            + &format!(
                "\n[adopted]\nregister = \"register.csv\"\nregister_sha256 = \"{}\"\nrow = 2\nsource_file = \"doc.md\"\n",
                "0".repeat(64)
            );
        design.commit_by_hand("artefacts/DOC/versions/2.0.toml", &text);
        let broken: Vec<_> = design
            .verify()
            .findings
            .into_iter()
            .filter(|f| f.code() == "rule-broken")
            .map(|f| f.message())
            .collect();
        assert_eq!(broken.len(), 1, "{broken:?}");
        assert!(
            broken[0].contains("only an artefact's first version"),
            "{broken:?}"
        );
    }
}
