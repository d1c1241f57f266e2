//! A release's publication pack as people read it — its register, release note
//! and index page — and the check of a received pack against its manifest.

pub mod check;
mod index;
mod note;
mod page;
mod register;

pub use index::index_html;
pub use note::{note_html, note_markdown};
pub use register::{register_csv, register_html, register_xlsx};

pub use crate::audit::register::Provenance;

use crate::audit::release_diff::ArtefactChange;
use crate::model::{ChangeKind, ChangeState, Date, Decision, Release, VersionNumber};

/// Everything the pack's pages show, gathered once from the records.
pub struct PackContents {
    pub programme: String,
    pub release: Release,
    pub previous: Option<Release>,
    pub made: Provenance,
    /// Each version the release contains, in artefact order.
    pub artefacts: Vec<PackArtefact>,
    /// Artefacts in the previous release that this one leaves out, at the
    /// version they had there.
    pub removed: Vec<(String, VersionNumber)>,
    /// The decisions that approve the release.
    pub decisions: Vec<Decision>,
    /// The changes the release implements.
    pub changes: Vec<ChangeSummary>,
}

/// One version in the pack.
pub struct PackArtefact {
    pub id: String,
    pub title: String,
    pub kind: String,
    pub version: VersionNumber,
    pub date: Date,
    pub sha256: String,
    /// Added, changed or unchanged since the previous release (added when there is none).
    pub change: ArtefactChange,
    /// Its version in the previous release.
    pub previous: Option<VersionNumber>,
    /// The decisions and changes recorded on this version.
    pub decisions: Vec<String>,
    pub changes: Vec<String>,
    /// Those recorded on its versions since the previous release's (on this
    /// version alone when there is none).
    pub decisions_since: Vec<String>,
    pub changes_since: Vec<String>,
    /// Where the pack holds its clean copy and its red-lined copy (paths in the pack).
    pub file: String,
    pub redline: Option<String>,
    /// The approver who signed this version's baseline tag, as its record names them.
    pub signed_by: Option<Box<crate::model::Signer>>,
}

/// A change the release implements, and the artefacts in it whose versions cite it.
pub struct ChangeSummary {
    pub id: String,
    pub kind: ChangeKind,
    pub title: String,
    pub state: ChangeState,
    pub artefacts: Vec<String>,
}
