//! Turning a REF (`DES196@baseline`) into the version or working file it means.

use crate::error::{Error, Result};
use crate::model::{Artefact, Reference, Status, VersionRecord, VersionSelector, paths};
use crate::repo::Snapshot;
use crate::repo::snapshot::{find_version, latest_with_status};

/// What a reference names.
pub enum Target {
    Recorded(VersionRecord),
    /// The working file, with the latest recorded version for comparison.
    Working {
        bytes: Vec<u8>,
        latest: Option<VersionRecord>,
    },
}

pub struct Resolved {
    pub artefact: Artefact,
    pub target: Target,
}

pub fn resolve(snapshot: &Snapshot<'_>, reference: &Reference) -> Result<Resolved> {
    let artefact = snapshot.require_artefact(&reference.artefact)?;
    let versions = snapshot.versions(&artefact.id)?;
    resolve_among(snapshot, &artefact, &versions, &reference.selector)
}

/// What `selector` names among an artefact's `versions` (all of them, in order).
pub fn resolve_among(
    snapshot: &Snapshot<'_>,
    artefact: &Artefact,
    versions: &[VersionRecord],
    selector: &VersionSelector,
) -> Result<Resolved> {
    let id = &artefact.id;
    let target = match selector {
        VersionSelector::Exact(number) => Target::Recorded(
            find_version(versions, number)
                .ok_or_else(|| {
                    Error::refused(
                        format!("{id} has no version {number}"),
                        format!("see its versions with `baseline log {id}`"),
                    )
                })?
                .clone(),
        ),
        VersionSelector::Baseline => Target::Recorded(
            latest_with_status(versions, Status::Baselined)
                .ok_or_else(|| {
                    Error::refused(
                        format!("{id} has no baseline yet"),
                        format!("use {id}@latest for its latest draft"),
                    )
                })?
                .clone(),
        ),
        VersionSelector::Latest => Target::Recorded(
            versions
                .last()
                .ok_or_else(|| {
                    Error::refused(
                        format!("{id} has no recorded version yet"),
                        format!("use {id}@working for its working file, or record a draft with `baseline draft {id}`"),
                    )
                })?
                .clone(),
        ),
        VersionSelector::Working => {
            let root = snapshot.repo().root();
            let relative = paths::content(id, &artefact.file);
            crate::repo::files::refuse_links(root, &relative)?;
            Target::Working {
                bytes: crate::repo::files::read_file(&root.join(&relative))?,
                latest: versions.last().cloned(),
            }
        }
    };
    Ok(Resolved {
        artefact: artefact.clone(),
        target,
    })
}

/// The exact bytes a resolved reference names.
pub fn bytes(snapshot: &Snapshot<'_>, resolved: &Resolved) -> Result<Vec<u8>> {
    match &resolved.target {
        Target::Recorded(record) => snapshot.repo().version_content(record),
        Target::Working { bytes, .. } => Ok(bytes.clone()),
    }
}
