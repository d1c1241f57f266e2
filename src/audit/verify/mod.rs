//! The audit: proves from the repository alone that every version is exactly what
//! was recorded and approved, and that no record was altered or removed since.
//!
//! It walks history once, oldest commit first, noting where each record file was
//! added and catching any later edit or deletion ([`walk`]); then checks every
//! version's content against its hash and the rules ([`versions`]), every
//! baseline against its tag ([`tags`]), every cross-reference and lifecycle
//! ([`references`]), and the working tree for half-written work ([`leftovers`]).
//! `--range OLD..NEW` checks only what those commits added. [`repair`] puts right
//! what can be put right. Every finding is a [`FindingKind`] with a stable code.

mod cache;
mod findings;
mod leftovers;
mod names;
mod policy;
mod references;
mod releases;
mod repair;
mod signatures;
mod tags;
mod versions;
mod walk;

#[cfg(test)]
mod testing;

use crate::model::paths::Record;
use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Serialize;

use crate::error::{Error, Result};
use crate::model::VersionNumber;
use crate::repo::{Repo, Snapshot};

pub use findings::{Dangling, Finding, FindingKind};
pub use repair::repair;

/// The JSON shape of `baseline verify --format json`.
#[derive(Debug, Default, Serialize)]
pub struct Report {
    pub head: Option<String>,
    pub range: Option<String>,
    pub commits: usize,
    /// In a shallow clone, the commits where the history present begins
    /// (empty otherwise): what they hold was recorded by commits not here.
    pub shallow_from: Vec<String>,
    pub versions: usize,
    pub baselines: usize,
    /// Where an earlier verify's cache was used: the commit it had verified.
    /// The commits up to it were not checked again (`--no-cache` checks them).
    pub cached: Option<String>,
    pub findings: Vec<Finding>,
    /// What `--repair` did.
    pub repaired: Vec<String>,
}

/// What the walk learnt of history, shared by the checks that follow it.
struct Audit<'r> {
    repo: &'r Repo,
    report: Report,
    /// Record path → (commit that added it, blob it added).
    added: HashMap<String, (git2::Oid, git2::Oid)>,
    /// Records that gained steps in the commits walked.
    grown: HashSet<String>,
    /// Commits that edited baseline.toml, oldest first.
    config_edits: Vec<git2::Oid>,
    /// In a shallow clone, records already there where its history begins:
    /// the commits that recorded them are not here to check against.
    before_history: HashSet<String>,
    /// Versions in the order history added them, per artefact.
    order: BTreeMap<String, Vec<(VersionNumber, git2::Oid)>>,
    /// Each artefact's content file name, from its record at the audited
    /// commit, read when the walk first meets one of its versions.
    content_files: HashMap<String, Option<String>>,
    /// Version record path → the content blob its commit held.
    content_at: HashMap<String, Option<git2::Oid>>,
    /// Baseline tags found right, for the cache.
    checked_tags: BTreeMap<String, cache::CheckedTag>,
    /// A push is checked: its baselines' tags may arrive with it.
    tags_may_follow: bool,
    /// Commits that edited the approvers file, oldest first.
    approvers_edits: Vec<git2::Oid>,
    /// Those that were not recorded approver changes.
    unrecorded_approvers: HashSet<git2::Oid>,
    approvers_seen: signatures::ApproversSeen,
    /// The approvers as recorded changes left them, at each commit that
    /// edited the file.
    approvers_recorded: HashMap<git2::Oid, Vec<crate::model::approvers::Approver>>,
    /// The throwaway gpg home OpenPGP signatures are checked in, made at the
    /// first one and removed when the audit ends.
    gpg: Option<crate::repo::openpgp::GpgChecker>,
    /// The throwaway gpgsm home X.509 signatures are checked in, likewise.
    gpgsm: Option<crate::repo::x509::GpgsmChecker>,
}

impl Audit<'_> {
    fn find(&mut self, kind: FindingKind, record: impl Into<String>, commit: Option<git2::Oid>) {
        self.report
            .findings
            .push(Finding::new(kind, record, commit));
    }
}

/// A range to check: the commit it starts after (none: from the root) and its
/// newest commit.
type Range = (Option<git2::Oid>, git2::Oid);

/// What to check.
#[derive(Debug, Clone, Copy, Default)]
pub struct Scope<'a> {
    /// `OLD..NEW`: only what those commits added. None: the whole history.
    pub range: Option<&'a str>,
    /// For the whole history: start from what an earlier clean verify proved
    /// (see [`cache`]), checking only what came since.
    pub use_cache: bool,
}

/// Runs the audit; `progress` hears (done, total) commits.
pub fn verify(repo: &Repo, scope: Scope<'_>, progress: &dyn Fn(usize, usize)) -> Result<Report> {
    let range_ids = scope.range.map(|r| parse_range(repo, r)).transpose()?;
    // A range is checked as of its newest commit (in a pre-receive hook, not yet
    // the branch's tip).
    let snapshot = match range_ids {
        Some((_, new)) => Snapshot::at_commit(repo, new)?,
        None => repo.snapshot()?,
    };
    let head = snapshot.commit().map(|c| c.id()).ok_or_else(|| {
        Error::refused(
            "the design repository has no commits",
            "run `baseline init` first",
        )
    })?;
    let whole = scope.range.is_none();
    let cached = (whole && scope.use_cache)
        .then(|| cache::usable(repo, head))
        .flatten();
    // Since a cached verify, its commit's descendants are checked as a range.
    let walked = range_ids.or_else(|| Some((Some(cached.as_ref()?.head_id()?), head)));
    let mut audit = Audit {
        repo,
        report: Report {
            head: Some(head.to_string()),
            range: scope.range.map(str::to_string),
            cached: cached.as_ref().map(|c| c.head.clone()),
            ..Report::default()
        },
        added: HashMap::new(),
        grown: HashSet::new(),
        before_history: HashSet::new(),
        config_edits: Vec::new(),
        order: BTreeMap::new(),
        content_files: HashMap::new(),
        content_at: HashMap::new(),
        checked_tags: BTreeMap::new(),
        tags_may_follow: !whole,
        approvers_edits: Vec::new(),
        unrecorded_approvers: HashSet::new(),
        approvers_seen: HashMap::new(),
        approvers_recorded: HashMap::new(),
        gpg: None,
        gpgsm: None,
    };
    walk::walk(&mut audit, &snapshot, walked, head, progress)?;
    check_records(&mut audit, &snapshot, walked)?;
    // Tags and the working tree belong to the repository, not to a range of
    // commits: a pre-receive hook has neither.
    if !whole {
        return Ok(audit.report);
    }
    check_repository(&mut audit, &snapshot, cached.as_ref())?;
    // Anything found since a cached verify is checked again from the start,
    // so that every consequence of it is reported.
    if cached.is_some() && !audit.report.findings.is_empty() {
        let again = Scope {
            use_cache: false,
            ..scope
        };
        return verify(repo, again, progress);
    }
    finish_whole(&mut audit, head, cached);
    Ok(audit.report)
}

/// The records: all of them, or those the `walked` range of commits added.
fn check_records(
    audit: &mut Audit<'_>,
    snapshot: &Snapshot<'_>,
    walked: Option<Range>,
) -> Result<()> {
    let only_added = walked.is_some();
    if let Some((Some(old), _)) = walked {
        versions::seed_order(audit, &Snapshot::at_commit(audit.repo, old)?)?;
    }
    policy::check_policy(audit, snapshot)?;
    signatures::check_approvers(audit, snapshot)?;
    versions::check_order(audit);
    versions::check_versions(audit, snapshot, only_added)?;
    references::check_references(audit, snapshot, only_added)?;
    references::check_lifecycles(audit, snapshot, only_added)?;
    references::check_text(audit, snapshot)?;
    releases::check_releases(audit, snapshot, walked.is_some())?;
    names::check_case_clashes(audit, snapshot)
}

/// What belongs to the repository rather than to its commits: tags (each one
/// since a `cached` verify, else all), git replace refs, the working tree.
fn check_repository(
    audit: &mut Audit<'_>,
    snapshot: &Snapshot<'_>,
    cached: Option<&cache::Cache>,
) -> Result<()> {
    match cached {
        Some(cached) => tags::check_tags_since(audit, snapshot, cached)?,
        None => tags::check_stray_tags(audit, snapshot)?,
    }
    check_replacements(audit)?;
    if !audit.repo.is_bare() {
        leftovers::check_leftovers(audit)?;
    }
    Ok(())
}

/// Adds what the cache proved to the counts, and caches a clean result.
fn finish_whole(audit: &mut Audit<'_>, head: git2::Oid, cached: Option<cache::Cache>) {
    let report = &mut audit.report;
    if let Some(cached) = &cached {
        report.commits += cached.commits;
        report.versions += cached.versions;
        report.baselines += cached.baselines;
    }
    if report.findings.is_empty() && !audit.repo.git().is_shallow() {
        let mut cache =
            cache::Cache::new(head, (report.commits, report.versions, report.baselines));
        cache.tags = std::mem::take(&mut audit.checked_tags);
        cache::store(audit.repo, &cache);
    }
}

/// `git replace` refs: git would show other content in place of a recorded
/// object than the one baseline reads and checks (libgit2 ignores them).
fn check_replacements(audit: &mut Audit<'_>) -> Result<()> {
    let replaced: Vec<(String, String)> = audit
        .repo
        .git()
        .references_glob("refs/replace/*")?
        .flatten()
        .filter_map(|r| {
            let name = r.name().ok()?.strip_prefix("refs/replace/")?.to_string();
            Some((name, r.target()?.to_string()))
        })
        .collect();
    for (object, by) in replaced {
        audit.find(FindingKind::ObjectReplaced { by }, object, None);
    }
    Ok(())
}

/// `OLD..NEW`; an empty OLD (`..NEW`) means everything up to NEW.
fn parse_range(repo: &Repo, text: &str) -> Result<Range> {
    let bad = || {
        Error::usage(
            format!("`{text}` is not a range"),
            "write OLD..NEW, e.g. origin/main..HEAD or two commit ids",
        )
    };
    let (old, new) = text.split_once("..").ok_or_else(bad)?;
    let resolve = |spec: &str| -> Result<git2::Oid> {
        Ok(repo
            .git()
            .revparse_single(spec)
            .map_err(|_| {
                Error::refused(
                    format!("`{spec}` names no commit"),
                    "give a branch, tag or commit id",
                )
            })?
            .peel_to_commit()?
            .id())
    };
    let old = if old.is_empty() {
        None
    } else {
        Some(resolve(old)?)
    };
    Ok((old, resolve(new)?))
}

/// (artefact, version) for a version record's path.
fn version_of(path: &str) -> Option<(String, VersionNumber)> {
    match Record::parse(path)? {
        Record::Version(artefact, version) => Some((artefact.to_string(), version)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::testing::{Design, codes};
    use super::*;
    use crate::model::Outcome;

    #[test]
    fn a_repository_built_by_the_tool_verifies_clean() {
        let design = Design::with_baseline();
        let report = design.verify();
        assert_eq!(codes(&report), Vec::<String>::new());
        assert_eq!((report.versions, report.baselines), (2, 1));
        // init, add, draft, decision, approve
        assert_eq!(report.commits, 5);
    }

    #[test]
    fn a_range_is_old_dot_dot_new_and_old_may_be_left_out() {
        let design = Design::with_baseline();
        let repo = design.repo();
        let head = repo.git().revparse_single("HEAD").unwrap().id();
        let parent = repo.git().revparse_single("HEAD~1").unwrap().id();
        assert_eq!(
            parse_range(&repo, "HEAD~1..HEAD").unwrap(),
            (Some(parent), head)
        );
        assert_eq!(parse_range(&repo, "..HEAD").unwrap(), (None, head));
        let not_a_range = parse_range(&repo, "HEAD").unwrap_err();
        assert_eq!(not_a_range.kind, crate::ErrorKind::Usage);
        assert!(parse_range(&repo, "HEAD..no-such-branch").is_err());
    }

    /// A range checks only what its commits added: an edit before it is not its
    /// business, an edit in it is.
    #[test]
    fn a_range_checks_only_what_its_commits_did() {
        let design = Design::with_baseline();
        let text = design
            .read("decisions/DEC1.toml")
            .replace("Approved.", "Edited.");
        design.commit_by_hand("decisions/DEC1.toml", &text);
        design.decision("DEC2", "2023-06-05", Outcome::Noted, &[]);
        let repo = design.repo();
        let range = |r: &str| {
            let scope = Scope {
                range: Some(r),
                use_cache: false,
            };
            codes(&verify(&repo, scope, &|_, _| {}).unwrap())
        };
        assert_eq!(range("HEAD~1..HEAD"), Vec::<String>::new());
        assert_eq!(range("HEAD~2..HEAD"), ["record-edited decisions/DEC1.toml"]);
    }
}
