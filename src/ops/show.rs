//! `baseline show`: an artefact, one of its versions, or its working file.

use serde::Serialize;

use crate::error::Result;
use crate::model::{Artefact, Reference, VersionRecord, VersionSelector, sha256_hex};
use crate::repo::Repo;
use crate::repo::resolve::{self, Target};

/// The JSON shape of `baseline show`.
#[derive(Debug, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Shown {
    Artefact {
        artefact: Artefact,
        versions: Vec<VersionRecord>,
    },
    Version {
        artefact: Artefact,
        version: VersionRecord,
    },
    Working {
        artefact: Artefact,
        working: WorkingFile,
    },
}

#[derive(Debug, Serialize)]
pub struct WorkingFile {
    pub file: String,
    pub size: u64,
    pub sha256: String,
    /// The latest recorded version, if the working file is identical to it.
    pub same_as: Option<String>,
    pub latest: Option<String>,
}

/// What `reference` names: an artefact id, a version, or the working file.
pub fn show(repo: &Repo, reference: &str) -> Result<Shown> {
    let snapshot = repo.snapshot()?;
    let shown = if reference.contains('@') {
        let reference = Reference::parse(reference, VersionSelector::Latest)?;
        let resolved = resolve::resolve(&snapshot, &reference)?;
        match resolved.target {
            Target::Recorded(version) => Shown::Version {
                artefact: resolved.artefact,
                version,
            },
            Target::Working { bytes, latest } => {
                let sha256 = sha256_hex(&bytes);
                Shown::Working {
                    working: WorkingFile {
                        file: resolved.artefact.file.clone(),
                        size: bytes.len() as u64,
                        same_as: latest
                            .as_ref()
                            .filter(|l| l.sha256 == sha256)
                            .map(|l| l.version.to_string()),
                        latest: latest.map(|l| l.version.to_string()),
                        sha256,
                    },
                    artefact: resolved.artefact,
                }
            }
        }
    } else {
        let artefact = snapshot.require_artefact(reference)?;
        let versions = snapshot.versions(&artefact.id)?;
        Shown::Artefact { artefact, versions }
    };
    Ok(shown)
}
