//! The register: every artefact, its current baseline, its pending draft and the
//! open changes that affect it — and its exports for people outside the tool.

use std::io::Write;

use maud::{DOCTYPE, PreEscaped, html};
use serde::Serialize;

use crate::error::Result;
use crate::model::{
    Date, Format as ContentFormat, Status, Timestamp, VersionNumber, VersionRecord,
};
use crate::repo::Snapshot;

/// One row of the register (the JSON shape of `baseline list --format json`).
#[derive(Debug, Serialize)]
pub struct RegisterEntry {
    pub id: String,
    pub title: String,
    pub kind: String,
    pub owner: Option<String>,
    pub file: String,
    pub format: ContentFormat,
    pub baseline: Option<VersionSummary>,
    /// The latest recorded version when it is a draft newer than the baseline.
    pub pending_draft: Option<VersionSummary>,
    /// Changes affecting the artefact that are not yet approved, rejected or withdrawn.
    pub open_changes: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct VersionSummary {
    pub version: VersionNumber,
    pub status: Status,
    pub date: Date,
    pub sha256: String,
    pub decisions: Vec<String>,
    pub changes: Vec<String>,
    /// For a signed baseline: the approver who signed its tag.
    pub signed_by: Option<Box<crate::model::Signer>>,
}

impl From<VersionRecord> for VersionSummary {
    fn from(v: VersionRecord) -> Self {
        Self {
            version: v.version,
            status: v.status,
            date: v.date,
            sha256: v.sha256,
            decisions: v.decisions,
            changes: v.changes,
            signed_by: v.signed_by,
        }
    }
}

/// The register as of the snapshot, in id order.
pub fn entries(snapshot: &Snapshot<'_>) -> Result<Vec<RegisterEntry>> {
    let changes = snapshot.changes()?;
    let mut register = Vec::new();
    for summary in crate::repo::register::summaries(snapshot)? {
        let artefact = summary.artefact;
        let open_changes = changes
            .iter()
            .filter(|c| !c.state().is_closed() && c.affects_artefact(&artefact.id))
            .map(|c| c.id.clone())
            .collect();
        register.push(RegisterEntry {
            open_changes,
            id: artefact.id,
            title: artefact.title,
            kind: artefact.kind,
            owner: artefact.owner,
            file: artefact.file,
            format: artefact.format,
            baseline: summary.baseline.map(VersionSummary::from),
            pending_draft: summary
                .latest
                .filter(|v| v.status == Status::Draft)
                .map(VersionSummary::from),
        });
    }
    Ok(register)
}

/// When, by whom and from which commit an export was made: every export of
/// the register says so, so that a copy found later can be dated and checked.
pub struct Provenance {
    pub at: Timestamp,
    pub by: String,
    pub commit: String,
}

impl Provenance {
    /// Now, by whoever runs the command, from the snapshot's commit.
    pub fn of(snapshot: &Snapshot<'_>) -> Result<Provenance> {
        Ok(Provenance {
            at: crate::model::date::now(),
            by: snapshot.repo().identity()?,
            commit: snapshot
                .commit()
                .map(|c| c.id().to_string())
                .unwrap_or_default(),
        })
    }

    fn sentence(&self) -> String {
        format!(
            "Made {} by {} from commit {}.",
            self.at, self.by, self.commit
        )
    }
}

/// The columns every export shares, as text.
pub const COLUMNS: [&str; 12] = [
    "Artefact",
    "Title",
    "Kind",
    "Owner",
    "Baseline",
    "Baseline date",
    "Decisions",
    "Changes",
    "Baseline SHA-256",
    "Draft",
    "Open changes",
    "Signed by",
];

pub fn row(entry: &RegisterEntry) -> [String; 12] {
    let baseline = entry.baseline.as_ref();
    [
        entry.id.clone(),
        entry.title.clone(),
        entry.kind.clone(),
        entry.owner.clone().unwrap_or_default(),
        baseline.map(|b| b.version.to_string()).unwrap_or_default(),
        baseline.map(|b| b.date.to_string()).unwrap_or_default(),
        baseline.map(|b| b.decisions.join(" ")).unwrap_or_default(),
        baseline.map(|b| b.changes.join(" ")).unwrap_or_default(),
        baseline.map(|b| b.sha256.clone()).unwrap_or_default(),
        entry
            .pending_draft
            .as_ref()
            .map(|d| d.version.to_string())
            .unwrap_or_default(),
        entry.open_changes.join(" "),
        baseline
            .and_then(|b| b.signed_by.as_ref())
            .map(|s| s.described())
            .unwrap_or_default(),
    ]
}

/// A cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@` first) is
/// written behind a `'`, as spreadsheets expect.
pub fn inert(cell: String) -> String {
    if cell.starts_with(['=', '+', '-', '@']) {
        format!("'{cell}")
    } else {
        cell
    }
}

/// The register as CSV; every row ends with when and from which commit it was
/// made, so that a row copied elsewhere still says so.
pub fn write_csv(register: &[RegisterEntry], made: &Provenance, out: &mut dyn Write) -> Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    let failed = |err: csv::Error| {
        crate::error::Error::failed(
            format!("could not write the CSV: {err}"),
            "check where the output goes",
        )
    };
    // Columns added since the first exports go after the provenance, so that
    // a reader of the first columns by position still reads them.
    let (first, added) = COLUMNS.split_at(11);
    let header = first.iter().chain(&["Made at", "From commit"]).chain(added);
    writer.write_record(header).map_err(failed)?;
    let made = [made.at.to_string(), made.commit.clone()];
    for entry in register {
        let cells = row(entry).map(inert);
        let (first, added) = cells.split_at(11);
        writer
            .write_record(first.iter().chain(&made).chain(added))
            .map_err(failed)?;
    }
    writer.flush()?;
    Ok(())
}

pub fn write_markdown(
    programme: &str,
    register: &[RegisterEntry],
    made: &Provenance,
    out: &mut dyn Write,
) -> Result<()> {
    let escape = crate::redline::render::markdown_escape;
    writeln!(out, "# {} design register\n", escape(programme))?;
    writeln!(out, "{}\n", escape(&made.sentence()))?;
    writeln!(out, "| {} |", COLUMNS.join(" | "))?;
    writeln!(out, "|{}", "---|".repeat(COLUMNS.len()))?;
    for entry in register {
        let cells: Vec<String> = row(entry).iter().map(|c| escape(c)).collect();
        writeln!(out, "| {} |", cells.join(" | "))?;
    }
    Ok(())
}

pub fn write_html(
    programme: &str,
    register: &[RegisterEntry],
    made: &Provenance,
    out: &mut dyn Write,
) -> Result<()> {
    let page = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'";
                title { (programme) " design register" }
                style { (PreEscaped("body{font:15px/1.5 system-ui,sans-serif;margin:1.5rem}table{border-collapse:collapse}th,td{border:1px solid #d0d7de;padding:.3rem .6rem;text-align:left;vertical-align:top}thead th{background:#f6f8fa}@media print{body{margin:0}}")) }
            }
            body {
                h1 { (programme) " design register" }
                p { (register.len()) " artefacts. " (made.sentence()) }
                table {
                    thead { tr { @for c in COLUMNS { th scope="col" { (c) } } } }
                    tbody {
                        @for entry in register {
                            @let cells = row(entry);
                            tr { th scope="row" { (cells[0]) } @for c in &cells[1..] { td { (c) } } }
                        }
                    }
                }
            }
        }
    };
    out.write_all(page.into_string().as_bytes())?;
    Ok(())
}
