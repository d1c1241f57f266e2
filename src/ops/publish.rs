//! `baseline publish`: writes a release's publication pack — the clean
//! baselined files, a red-lined copy of each artefact changed since the
//! previous release, the register, the release note, an index page, and a
//! manifest of every file's SHA-256 — into a new folder, all or nothing.

use std::path::{Path, PathBuf};

use crate::audit::pack::{self, ChangeSummary, PackArtefact, PackContents, Provenance};
use crate::audit::release_diff::{self, ArtefactChange};
use crate::error::{Error, Result, io_at};
use crate::model::pack::{FORMAT, MANIFEST, Manifest, PackedFile, REDLINED};
use crate::model::{Format, Release, VersionNumber, paths, sha256_hex};
use crate::redline::render;
use crate::repo::{Repo, Snapshot};

/// A pack written.
pub struct Published {
    pub dir: PathBuf,
    pub manifest: Manifest,
    /// Red-lined copies written as HTML because their own format could not be
    /// written, and why.
    pub notes: Vec<String>,
}

/// Writes the pack of release `id` into `dir`, which must not exist or be
/// empty. `progress` hears (done, total) as each artefact is written.
pub fn publish(
    repo: &Repo,
    id: &str,
    dir: &Path,
    progress: &dyn Fn(usize, usize),
) -> Result<Published> {
    let snapshot = repo.snapshot()?;
    let release = snapshot.require_release(id)?;
    refuse_used_folder(dir)?;
    refuse_record_folders(repo, dir)?;
    let mut pack = Pack::new(dir)?;
    let mut contents = gather(&snapshot, release)?;
    let total = contents.artefacts.len();
    let mut notes = Vec::new();
    for (done, artefact) in contents.artefacts.iter_mut().enumerate() {
        progress(done, total);
        write_versions(&snapshot, &mut pack, artefact, &mut notes)?;
    }
    progress(total, total);
    pack.add("register.csv", &pack::register_csv(&contents)?, None)?;
    pack.add("register.xlsx", &pack::register_xlsx(&contents)?, None)?;
    pack.add(
        "register.html",
        pack::register_html(&contents).as_bytes(),
        None,
    )?;
    pack.add(
        "release-note.md",
        pack::note_markdown(&contents).as_bytes(),
        None,
    )?;
    pack.add(
        "release-note.html",
        pack::note_html(&contents).as_bytes(),
        None,
    )?;
    pack.add("index.html", pack::index_html(&contents).as_bytes(), None)?;
    let manifest = pack.finish(&contents)?;
    Ok(Published {
        dir: dir.to_path_buf(),
        manifest,
        notes,
    })
}

fn refuse_used_folder(dir: &Path) -> Result<()> {
    let used = match std::fs::read_dir(dir) {
        Ok(mut entries) => entries.next().is_some(),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => false,
        Err(err) => return Err(io_at(dir)(err)),
    };
    if used {
        return Err(Error::refused(
            format!("{} already exists and is not empty", dir.display()),
            "name a new folder for the pack; a pack is written whole, never over another",
        ));
    }
    Ok(())
}

/// A pack is never written among the records or into git's own folder, where
/// its files would be taken for records or lost.
fn refuse_record_folders(repo: &Repo, dir: &Path) -> Result<()> {
    let (Some(parent), Some(name)) = (dir.parent(), dir.file_name()) else {
        return Ok(());
    };
    let parent = if parent.as_os_str().is_empty() {
        Path::new(".")
    } else {
        parent
    };
    let (Ok(parent), Ok(root)) = (parent.canonicalize(), repo.root().canonicalize()) else {
        return Ok(()); // a parent that does not exist is refused as such
    };
    let target = parent.join(name);
    let folders = [
        ".git",
        paths::ARTEFACTS,
        paths::DECISIONS,
        paths::CHANGES,
        paths::MEETINGS,
        paths::ACTIONS,
        paths::RELEASES,
    ];
    if let Some(folder) = folders.iter().find(|f| target.starts_with(root.join(f))) {
        return Err(Error::refused(
            format!(
                "{} is inside the repository's {folder} folder",
                dir.display()
            ),
            "write the pack outside the repository, or in a folder of its own such as `packs/`",
        ));
    }
    Ok(())
}

/// What the pack's pages show, from the records.
fn gather(snapshot: &Snapshot<'_>, release: Release) -> Result<PackContents> {
    let previous = match &release.previous {
        Some(previous) => Some(snapshot.require_release(previous)?),
        None => None,
    };
    let diff = match &previous {
        Some(previous) => Some(release_diff::compare(snapshot, &previous.id, &release.id)?),
        None => None,
    };
    let mut artefacts = Vec::new();
    let mut removed = Vec::new();
    for included in &release.artefacts {
        let entry = diff
            .as_ref()
            .and_then(|d| d.artefacts.iter().find(|a| a.artefact == included.artefact));
        let (change, before) = entry.map_or((ArtefactChange::Added, None), |e| {
            (e.change, e.from.clone())
        });
        artefacts.push(artefact(
            snapshot,
            &included.artefact,
            &included.version,
            change,
            before,
        )?);
    }
    for entry in diff.iter().flat_map(|d| &d.artefacts) {
        if let (ArtefactChange::Removed, Some(from)) = (entry.change, &entry.from) {
            removed.push((entry.artefact.clone(), from.clone()));
        }
    }
    let decisions = release
        .decisions
        .iter()
        .map(|id| snapshot.require_decision(id))
        .collect::<Result<_>>()?;
    let changes = release
        .changes
        .iter()
        .map(|id| {
            let change = snapshot.require_change(id)?;
            Ok(ChangeSummary {
                artefacts: artefacts
                    .iter()
                    .filter(|a| change.affects_artefact(&a.id))
                    .map(|a| a.id.clone())
                    .collect(),
                state: change.state(),
                title: change.title().to_string(),
                id: change.id,
                kind: change.kind,
            })
        })
        .collect::<Result<_>>()?;
    Ok(PackContents {
        programme: snapshot.config()?.programme,
        made: Provenance::of(snapshot)?,
        release,
        previous,
        artefacts,
        removed,
        decisions,
        changes,
    })
}

/// One version of the release, with the decisions and changes recorded on its
/// versions since the previous release's (on it alone when there is none).
fn artefact(
    snapshot: &Snapshot<'_>,
    id: &str,
    version: &VersionNumber,
    change: ArtefactChange,
    previous: Option<VersionNumber>,
) -> Result<PackArtefact> {
    let record = snapshot.require_artefact(id)?;
    let versions = snapshot.versions(id)?;
    let this = versions
        .iter()
        .find(|v| &v.version == version)
        .ok_or_else(|| {
            Error::refused(
                format!("{id} has no version {version}"),
                "run `baseline verify`: the release names a version that is not recorded",
            )
        })?;
    let mut decisions_since: Vec<String> = Vec::new();
    let mut changes_since: Vec<String> = Vec::new();
    let since = versions
        .iter()
        .filter(|v| &v.version <= version && previous.as_ref().is_none_or(|p| &v.version > p))
        .filter(|v| previous.is_some() || &v.version == version);
    for v in since {
        for d in &v.decisions {
            if !decisions_since.contains(d) {
                decisions_since.push(d.clone());
            }
        }
        for c in &v.changes {
            if !changes_since.contains(c) {
                changes_since.push(c.clone());
            }
        }
    }
    Ok(PackArtefact {
        id: id.to_string(),
        file: crate::model::pack::baselined_path(id, &record.title, version, &this.file),
        title: record.title,
        kind: record.kind,
        version: version.clone(),
        date: this.date,
        sha256: this.sha256.clone(),
        change,
        previous,
        decisions: this.decisions.clone(),
        changes: this.changes.clone(),
        decisions_since,
        changes_since,
        redline: None,
        signed_by: this.signed_by.clone(),
    })
}

/// Writes an artefact's clean copy and, when it changed since the previous
/// release, its red-lined copy.
fn write_versions(
    snapshot: &Snapshot<'_>,
    pack: &mut Pack,
    artefact: &mut PackArtefact,
    notes: &mut Vec<String>,
) -> Result<()> {
    let record = snapshot
        .version(&artefact.id, &artefact.version)?
        .ok_or_else(|| {
            Error::refused(
                format!("{} has no version {}", artefact.id, artefact.version),
                "run `baseline verify`",
            )
        })?;
    let bytes = snapshot.repo().version_content(&record)?;
    pack.add(
        &artefact.file,
        &bytes,
        Some((&artefact.id, &artefact.version)),
    )?;
    let (ArtefactChange::Changed, Some(previous)) = (artefact.change, &artefact.previous) else {
        return Ok(());
    };
    let compared = crate::ops::redline::redline(
        snapshot,
        &crate::ops::redline::Options {
            artefact: &artefact.id,
            from: Some(&previous.to_string()),
            to: Some(&artefact.version.to_string()),
            key: None,
        },
    )?;
    let (bytes, extension) = match red_lined_copy(snapshot, &compared) {
        Ok(copy) => copy,
        Err(why) => {
            notes.push(format!(
                "{}: the red-lined copy is HTML ({})",
                artefact.id, why.message
            ));
            (red_lined_html(&compared)?, "html")
        }
    };
    let name = crate::model::pack::file_name_part(&format!(
        "{} {} v{} red-lined from v{previous}",
        artefact.id, artefact.title, artefact.version
    ));
    let path = format!("{REDLINED}/{name}.{extension}");
    pack.add(&path, &bytes, None)?;
    artefact.redline = Some(path);
    Ok(())
}

/// The red-lined copy in the artefact's own format where the tool writes one
/// (Word, workbooks), HTML otherwise.
fn red_lined_copy(
    snapshot: &Snapshot<'_>,
    compared: &crate::redline::Compared,
) -> Result<(Vec<u8>, &'static str)> {
    match compared.format {
        Format::Docx => Ok((
            crate::ops::redline::tracked_docx(snapshot, compared)?,
            "docx",
        )),
        format if format.is_workbook() => {
            Ok((crate::ops::redline::tracked_xlsx(compared)?, "xlsx"))
        }
        _ => Ok((red_lined_html(compared)?, "html")),
    }
}

fn red_lined_html(compared: &crate::redline::Compared) -> Result<Vec<u8>> {
    let mut html = Vec::new();
    let options = render::Options {
        format: render::Format::Html,
        colour: false,
        side_by_side: false,
        context: 3,
    };
    render::render(compared, &options, &mut html)?;
    Ok(html)
}

/// The pack being written: a hidden folder beside the destination, renamed to
/// it once every file and the manifest are written, and removed if anything
/// fails first.
struct Pack {
    staging: tempfile::TempDir,
    destination: PathBuf,
    files: Vec<PackedFile>,
}

impl Pack {
    fn new(destination: &Path) -> Result<Self> {
        let unusable = || {
            Error::usage(
                format!("{} does not name a new folder", destination.display()),
                "name the new folder for the pack, e.g. `packs/IR8.5`",
            )
        };
        let name = destination.file_name().ok_or_else(unusable)?;
        let parent = match destination.parent() {
            Some(parent) if parent.as_os_str().is_empty() => Path::new("."),
            Some(parent) => parent,
            None => return Err(unusable()),
        };
        if !parent.is_dir() {
            return Err(Error::refused(
                format!(
                    "there is no folder {} to write the pack in",
                    parent.display()
                ),
                "create it first, or name a folder that exists",
            ));
        }
        let staging = tempfile::Builder::new()
            .prefix(&format!(".{}.partial-", name.to_string_lossy()))
            .tempdir_in(parent)
            .map_err(io_at(parent))?;
        Ok(Self {
            staging,
            destination: destination.to_path_buf(),
            files: Vec::new(),
        })
    }

    fn add(
        &mut self,
        path: &str,
        bytes: &[u8],
        version: Option<(&str, &VersionNumber)>,
    ) -> Result<()> {
        let target = self.staging.path().join(path);
        if let Some(folder) = target.parent() {
            std::fs::create_dir_all(folder).map_err(io_at(folder))?;
        }
        std::fs::write(&target, bytes).map_err(io_at(&target))?;
        self.files.push(PackedFile {
            path: path.to_string(),
            size: bytes.len() as u64,
            sha256: sha256_hex(bytes),
            artefact: version.map(|(artefact, _)| artefact.to_string()),
            version: version.map(|(_, number)| number.clone()),
        });
        Ok(())
    }

    fn finish(mut self, contents: &PackContents) -> Result<Manifest> {
        self.files.sort_by(|a, b| a.path.cmp(&b.path));
        let manifest = Manifest {
            format: FORMAT.to_string(),
            programme: contents.programme.clone(),
            release: contents.release.id.clone(),
            release_date: contents.release.date,
            commit: contents.made.commit.clone(),
            made_at: contents.made.at,
            made_by: contents.made.by.clone(),
            tool: env!("CARGO_PKG_VERSION").to_string(),
            files: std::mem::take(&mut self.files),
        };
        let mut json = serde_json::to_vec_pretty(&manifest).map_err(std::io::Error::from)?;
        json.push(b'\n');
        let path = self.staging.path().join(MANIFEST);
        std::fs::write(&path, json).map_err(io_at(&path))?;
        if self.destination.exists() {
            std::fs::remove_dir(&self.destination).map_err(io_at(&self.destination))?;
        }
        let staging = self.staging.keep();
        std::fs::rename(&staging, &self.destination).map_err(|err| {
            let _ = std::fs::remove_dir_all(&staging);
            io_at(&self.destination)(err)
        })?;
        Ok(manifest)
    }
}
