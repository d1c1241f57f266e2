//! `baseline verify --pack DIR`: proves a publication pack is as its manifest
//! says — every listed file present with its SHA-256, nothing added — and,
//! inside the repository it came from, that its baselined copies are the
//! recorded versions of the recorded release.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::audit::verify::{Scope, verify};
use crate::error::{Error, Result, io_at};
use crate::model::pack::{BASELINED, FORMAT, MANIFEST, Manifest, PackedFile, baselined_path};
use crate::model::sha256_hex;
use crate::repo::{Repo, Snapshot};

/// Far above any real manifest (a thousand files take about 300 kB).
const MANIFEST_LIMIT: u64 = 16 << 20;

/// What the check found (the JSON shape of `verify --pack --format json`).
#[derive(Debug, Serialize)]
pub struct PackReport {
    pub pack: String,
    pub programme: String,
    pub release: String,
    pub commit: String,
    /// The SHA-256 of manifest.json itself, to compare with the one announced
    /// with the pack.
    pub manifest_sha256: String,
    /// How many listed files were read and hashed.
    pub files: usize,
    /// Whether the pack was also checked against this repository's records.
    pub against_repository: bool,
    pub findings: Vec<PackFinding>,
}

#[derive(Debug, Serialize)]
pub struct PackFinding {
    pub code: &'static str,
    /// The file of the pack it concerns, as the manifest names it.
    pub file: Option<String>,
    pub message: String,
}

impl PackReport {
    fn find(&mut self, code: &'static str, file: Option<&str>, message: String) {
        self.findings.push(PackFinding {
            code,
            file: file.map(str::to_string),
            message,
        });
    }
}

/// Checks the pack in `dir`; with `repo`, also against its records, once a
/// verify of the repository (from its cache where it can) has found them as
/// they were committed; `progress` hears that verify's (done, total) commits.
pub fn check(
    dir: &Path,
    repo: Option<&Repo>,
    progress: &dyn Fn(usize, usize),
) -> Result<PackReport> {
    let (manifest, manifest_sha256) = read_manifest(dir)?;
    let mut report = PackReport {
        pack: dir.display().to_string(),
        programme: manifest.programme.clone(),
        release: manifest.release.clone(),
        commit: manifest.commit.clone(),
        manifest_sha256,
        files: 0,
        against_repository: repo.is_some(),
        findings: Vec::new(),
    };
    check_files(dir, &manifest, &mut report)?;
    if let Some(repo) = repo {
        check_records_verify(repo, &mut report, progress)?;
        check_against_records(&repo.snapshot()?, &manifest, &mut report)?;
    }
    Ok(report)
}

/// The records a pack is compared with are themselves checked: a release or
/// version record edited by plain git would vouch for altered files.
fn check_records_verify(
    repo: &Repo,
    report: &mut PackReport,
    progress: &dyn Fn(usize, usize),
) -> Result<()> {
    let scope = Scope {
        range: None,
        use_cache: true,
    };
    let found = verify(repo, scope, progress)?.findings.len();
    if found > 0 {
        let message = format!(
            "this repository's records do not verify (`baseline verify` finds {found} problem(s)): the pack was compared with records that may have been altered"
        );
        report.find("pack-records-unverified", None, message);
    }
    Ok(())
}

/// The manifest is read only if it is a plain file of a sane size, and names
/// a commit as git writes one.
fn read_manifest(dir: &Path) -> Result<(Manifest, String)> {
    let path = dir.join(MANIFEST);
    let unreadable = |why: String| {
        Error::refused(
            format!("cannot read {}: {why}", path.display()),
            "name the folder `baseline publish` wrote (it holds manifest.json), unzipped",
        )
    };
    let metadata = std::fs::symlink_metadata(&path).map_err(|err| unreadable(err.to_string()))?;
    if !metadata.is_file() || metadata.len() > MANIFEST_LIMIT {
        return Err(unreadable(format!(
            "it is not a plain file under {} MB",
            MANIFEST_LIMIT >> 20
        )));
    }
    let bytes = std::fs::read(&path).map_err(|err| unreadable(err.to_string()))?;
    let altered = |what: String| {
        Error::refused(
            format!("{} is not a pack manifest: {what}", path.display()),
            "the manifest was altered or is not baseline's; ask the publisher for the pack again",
        )
    };
    // The JSON reader's message ends with where it stopped (line, column).
    let manifest: Manifest =
        serde_json::from_slice(&bytes).map_err(|err| altered(err.to_string()))?;
    if manifest.format != FORMAT {
        return Err(Error::refused(
            format!(
                "{} is in format `{}`, and this baseline reads `{FORMAT}`",
                path.display(),
                manifest.format.escape_debug()
            ),
            "check the pack with the baseline version that made it (the manifest's `tool`)",
        ));
    }
    let hex = |c: char| c.is_ascii_digit() || ('a'..='f').contains(&c);
    if !matches!(manifest.commit.len(), 40 | 64) || !manifest.commit.chars().all(hex) {
        return Err(altered(format!(
            "its commit `{}` is not a commit id",
            manifest.commit.escape_debug()
        )));
    }
    Ok((manifest, sha256_hex(&bytes)))
}

/// Each listed file is there, a plain file with its size and hash, listed
/// once; no other file is there. Only files the walk found (which follows no
/// link) are read.
fn check_files(dir: &Path, manifest: &Manifest, report: &mut PackReport) -> Result<()> {
    let (present, unnamed) = files_in(dir)?;
    let present: BTreeSet<String> = present.into_iter().collect();
    for path in &unnamed {
        let message = format!(
            "{path} is in the pack under a name that is not UTF-8 (shown with {} where it cannot be read), which no manifest entry can name",
            char::REPLACEMENT_CHARACTER
        );
        report.find("pack-file-unlisted", Some(path), message);
    }
    let mut listed = BTreeSet::new();
    let mut folded = BTreeSet::new();
    for file in &manifest.files {
        if !is_safe(&file.path) {
            report.find(
                "pack-path-unsafe",
                Some(&file.path),
                format!(
                    "the manifest lists `{}`, which is not a path inside the pack (relative, with no empty, `.` or `..` part)",
                    file.path.escape_debug()
                ),
            );
            continue;
        }
        // Windows and macOS hold `a.txt` and `A.txt` as one file.
        if !folded.insert(file.path.to_lowercase()) {
            let message = format!("the manifest lists {} more than once", file.path);
            report.find("pack-path-duplicate", Some(&file.path), message);
            continue;
        }
        listed.insert(file.path.as_str());
        if present.contains(&file.path) {
            check_file(dir, file, report)?;
        } else {
            let message = format!(
                "{} is listed in the manifest but not in the pack",
                file.path
            );
            report.find("pack-file-missing", Some(&file.path), message);
        }
    }
    for path in &present {
        if path != MANIFEST && !listed.contains(path.as_str()) {
            let message = format!("{path} is in the pack but not in its manifest");
            report.find("pack-file-unlisted", Some(path), message);
        }
    }
    Ok(())
}

/// A path of the pack: relative, `/`-separated, no `.` or `..` part.
fn is_safe(path: &str) -> bool {
    !path.is_empty()
        && !path.contains(['\\', ':', '\0'])
        && path.split('/').all(|part| !matches!(part, "" | "." | ".."))
}

fn check_file(dir: &Path, file: &PackedFile, report: &mut PackReport) -> Result<()> {
    let path: PathBuf = dir.join(&file.path);
    let metadata = std::fs::symlink_metadata(&path).map_err(io_at(&path))?;
    if !metadata.is_file() {
        let message = format!(
            "{} is not a plain file (a link or a special file)",
            file.path
        );
        report.find("pack-file-special", Some(&file.path), message);
        return Ok(());
    }
    // A file of another size is altered whatever it holds: it is not read.
    if metadata.len() != file.size {
        let message = format!(
            "{} was altered: the manifest says {} bytes; the file has {} bytes",
            file.path,
            file.size,
            metadata.len()
        );
        report.find("pack-file-altered", Some(&file.path), message);
        return Ok(());
    }
    let opened = std::fs::File::open(&path).map_err(io_at(&path))?;
    let (sha256, size) = crate::model::digest::sha256_of_reader(opened).map_err(io_at(&path))?;
    report.files += 1;
    if sha256 != file.sha256 || size != file.size {
        let message = format!(
            "{} was altered: the manifest says {} bytes, SHA-256 {}; the file has {size} bytes, SHA-256 {sha256}",
            file.path, file.size, file.sha256
        );
        report.find("pack-file-altered", Some(&file.path), message);
    }
    Ok(())
}

/// Every file under `dir` (links and special files included, not followed),
/// as `/`-separated paths relative to it: those whose path is UTF-8, which a
/// manifest can name, and apart (made readable) those whose path is not.
fn files_in(dir: &Path) -> Result<(Vec<String>, Vec<String>)> {
    let (mut named, mut unnamed) = (Vec::new(), Vec::new());
    let mut pending = vec![(dir.to_path_buf(), String::new(), true)];
    while let Some((folder, prefix, utf8)) = pending.pop() {
        for entry in std::fs::read_dir(&folder).map_err(io_at(&folder))? {
            let entry = entry.map_err(io_at(&folder))?;
            let file_name = entry.file_name();
            let utf8 = utf8 && file_name.to_str().is_some();
            let name = file_name.to_string_lossy();
            let relative = if prefix.is_empty() {
                name.into_owned()
            } else {
                format!("{prefix}/{name}")
            };
            if entry.file_type().map_err(io_at(&entry.path()))?.is_dir() {
                pending.push((entry.path(), relative, utf8));
            } else if utf8 {
                named.push(relative);
            } else {
                unnamed.push(relative);
            }
        }
    }
    named.sort();
    unnamed.sort();
    Ok((named, unnamed))
}

/// The release is recorded here, the pack's commit is in this history, and
/// the baselined copies are exactly the release's versions: each at the name
/// `publish` gives it, with the recorded SHA-256, and nothing else beside them.
fn check_against_records(
    snapshot: &Snapshot<'_>,
    manifest: &Manifest,
    report: &mut PackReport,
) -> Result<()> {
    check_commit(snapshot, &manifest.commit, report);
    let Some(release) = snapshot
        .releases()?
        .into_iter()
        .find(|r| r.id == manifest.release)
    else {
        let message = format!(
            "release {} is not recorded in this repository",
            manifest.release
        );
        report.find("pack-release-unknown", None, message);
        return Ok(());
    };
    check_release_details(snapshot, manifest, &release.date, report)?;
    let mut expected = BTreeSet::new();
    for included in &release.artefacts {
        let (artefact, version) = (&included.artefact, &included.version);
        let (Some(record), Some(title)) = (
            snapshot.version(artefact, version)?,
            snapshot.artefact(artefact)?.map(|a| a.title),
        ) else {
            continue; // verify of the repository reports a release naming what is not recorded
        };
        let path = baselined_path(artefact, &title, version, &record.file);
        match manifest.files.iter().find(|f| f.path == path) {
            None => report.find(
                "pack-version-missing",
                Some(&path),
                format!("release {} contains {artefact} v{version}, and the pack has no copy of it at {path}", release.id),
            ),
            Some(file) if file.sha256 != included.sha256 => report.find(
                "pack-version-differs",
                Some(&path),
                format!(
                    "{path} is not {artefact} v{version} as recorded: the record's SHA-256 is {}, the pack's {}",
                    included.sha256, file.sha256
                ),
            ),
            Some(_) => {}
        }
        expected.insert(path);
    }
    for file in &manifest.files {
        let in_baselined = file.path.starts_with(&format!("{BASELINED}/"));
        if in_baselined && !expected.contains(&file.path) {
            report.find(
                "pack-version-differs",
                Some(&file.path),
                format!(
                    "{} is not a version release {} contains",
                    file.path, release.id
                ),
            );
        }
    }
    Ok(())
}

/// What the manifest says of the release — its programme, its date, the
/// commit it was published from — is what the repository records.
fn check_release_details(
    snapshot: &Snapshot<'_>,
    manifest: &Manifest,
    date: &crate::model::Date,
    report: &mut PackReport,
) -> Result<()> {
    let programme = snapshot.config()?.programme;
    if manifest.programme != programme {
        let message = format!(
            "the manifest names programme {}, and this repository holds the design of {programme}",
            manifest.programme
        );
        report.find("pack-release-differs", None, message);
    }
    if manifest.release_date != *date {
        let message = format!(
            "the manifest dates release {} {}, and this repository records {date}",
            manifest.release, manifest.release_date
        );
        report.find("pack-release-differs", None, message);
    }
    let published_from = git2::Oid::from_str(&manifest.commit)
        .ok()
        .and_then(|id| Snapshot::at_commit(snapshot.repo(), id).ok());
    if let Some(then) = published_from
        && !then.releases()?.iter().any(|r| r.id == manifest.release)
    {
        let message = format!(
            "the pack was made from commit {}, where release {} was not yet recorded",
            manifest.commit, manifest.release
        );
        report.find("pack-release-differs", None, message);
    }
    Ok(())
}

fn check_commit(snapshot: &Snapshot<'_>, commit: &str, report: &mut PackReport) {
    let git = snapshot.repo().git();
    let known = git2::Oid::from_str(commit).ok().filter(|id| {
        let head = snapshot.commit().map(|c| c.id());
        head == Some(*id)
            || head.is_some_and(|head| git.graph_descendant_of(head, *id).unwrap_or(false))
    });
    if known.is_none() {
        let message = format!(
            "the pack was made from commit {commit}, which is not in this repository's history"
        );
        report.find("pack-commit-unknown", None, message);
    }
}
