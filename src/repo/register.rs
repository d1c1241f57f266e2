//! The register's derived cache: a summary of every artefact (its record, latest
//! version and latest baseline), kept under `.git/baseline/` and keyed by each
//! artefact folder's tree id. A command that needs every artefact reads the
//! `artefacts` folder once and re-reads records only for folders that changed.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::Snapshot;
use crate::error::Result;
use crate::model::{Artefact, VersionRecord, paths};

const CACHE_FILE: &str = "register.json";

/// What the register needs to know of one artefact.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ArtefactSummary {
    /// The tree id of `artefacts/<id>` this summary was read from.
    tree: String,
    pub artefact: Artefact,
    pub latest: Option<VersionRecord>,
    pub baseline: Option<VersionRecord>,
}

/// Every registered artefact's summary, in id order.
pub fn summaries(snapshot: &Snapshot<'_>) -> Result<Vec<ArtefactSummary>> {
    let repo = snapshot.repo();
    let path = repo.state_dir()?.join(CACHE_FILE);
    let mut cached: HashMap<String, ArtefactSummary> = std::fs::read(&path)
        .ok()
        .and_then(|bytes| serde_json::from_slice::<Vec<ArtefactSummary>>(&bytes).ok())
        .map(|list| {
            list.into_iter()
                .map(|s| (s.artefact.id.clone(), s))
                .collect()
        })
        .unwrap_or_default();
    let folders = snapshot.folder_entries(paths::ARTEFACTS)?;
    let mut stale = cached.len() != folders.len();
    let mut summaries = Vec::with_capacity(folders.len());
    for (id, tree) in folders {
        let tree = tree.to_string();
        match cached.remove(&id) {
            Some(summary) if summary.tree == tree => summaries.push(summary),
            _ => {
                stale = true;
                let Some(artefact) = snapshot.artefact(&id)? else {
                    repo.notices().push(format!(
                        "{} holds no {}, so it is not in the register (move it out, or register it under another id)",
                        paths::artefact_dir(&id),
                        paths::ARTEFACT_RECORD
                    ));
                    continue;
                };
                let (latest, baseline) = snapshot.latest_and_baseline(&id)?;
                summaries.push(ArtefactSummary {
                    tree,
                    artefact,
                    latest,
                    baseline,
                });
            }
        }
    }
    if stale {
        let bytes = serde_json::to_vec(&summaries).expect("summaries serialise");
        if let Err(err) = super::journal::replace_file(&path, &bytes) {
            repo.notices().push(format!(
                "could not save the register cache: {}",
                err.message
            ));
        }
    }
    Ok(summaries)
}
