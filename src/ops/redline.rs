//! `baseline redline`: resolves the two sides of a redline, compares their
//! bytes, and heads the result with the versions, decisions and changes.

use crate::error::{Error, Result};
use crate::model::{
    Artefact, Format, Reference, Status, VersionNumber, VersionRecord, VersionSelector, sha256_hex,
};
use crate::redline::{self, Compared, ReadAs, Redline};
use crate::repo::Snapshot;
use crate::repo::resolve::{self, Resolved, Target, resolve_among};

/// What to compare: an artefact and, optionally, its two sides as given on the
/// command line (`1.0`, `DES196@baseline`, `working` …).
pub struct Options<'a> {
    pub artefact: &'a str,
    pub from: Option<&'a str>,
    pub to: Option<&'a str>,
    /// The key column(s) to pair rows by, instead of the artefact's own.
    pub key: Option<&'a str>,
}

/// Compares FROM and TO of an artefact; unnamed, TO is the latest version (or
/// the working file where it differs) and FROM the latest baseline before it.
pub fn redline(snapshot: &Snapshot<'_>, options: &Options<'_>) -> Result<Compared> {
    let artefact = snapshot.require_artefact(options.artefact)?;
    let versions = snapshot.versions(&artefact.id)?;
    let named = |text| {
        let selector = parse_side(&artefact.id, text)?.selector;
        resolve_among(snapshot, &artefact, &versions, &selector)
    };
    let to = match options.to {
        Some(text) => named(text)?,
        None => default_to(snapshot, &artefact, &versions)?,
    };
    let from = match options.from {
        Some(text) => named(text)?,
        None => default_from(&artefact, &versions, &to)?,
    };
    let (old, new) = (
        resolve::bytes(snapshot, &from)?,
        resolve::bytes(snapshot, &to)?,
    );
    let read_as = ReadAs {
        format: artefact.format,
        key: options.key.or(artefact.key.as_deref()),
    };
    let comparison = redline::compare(&old, &new, read_as);
    let mut redline = Redline {
        artefact: redline::model::ArtefactRef {
            id: artefact.id.clone(),
            title: artefact.title.clone(),
        },
        from: side(&from),
        to: side(&to),
        decisions: Vec::new(),
        changes: Vec::new(),
        summary: comparison.summary,
        warnings: comparison.warnings,
        notes: comparison.notes,
        body: comparison.body,
        structure: comparison.structure,
        sheets: comparison.sheets,
        ops: comparison.ops,
    };
    header_records(snapshot, &versions, &mut redline)?;
    let (old_text, new_text) = comparison.texts;
    Ok(Compared {
        redline,
        old: old_text,
        new: new_text,
        old_bytes: old,
        new_bytes: new,
        format: artefact.format,
    })
}

/// The red-lined Word document of a redline of a Word artefact: TO with every
/// change from FROM tracked, by whoever recorded TO on its date (for the
/// working file, whoever runs the command, today).
pub fn tracked_docx(snapshot: &Snapshot<'_>, compared: &Compared) -> Result<Vec<u8>> {
    let r = &compared.redline;
    if compared.format != Format::Docx {
        return Err(Error::usage(
            format!(
                "{} is {}, and only a Word document's redline can be written as a Word document",
                r.artefact.id,
                compared.format.a_name()
            ),
            "write it as --format html (or md, json, diff)",
        ));
    }
    let recorded_by = match &r.to.recorded_by {
        Some(by) => by.clone(),
        None => snapshot.repo().identity()?,
    };
    let name = recorded_by
        .split_once(" <")
        .map_or(recorded_by.as_str(), |(name, _)| name);
    let date = r.to.date.unwrap_or_else(crate::model::date::today);
    let author = redline::tracked::Author {
        name: name.to_string(),
        date: format!("{date}T00:00:00Z"),
    };
    redline::tracked::docx(r, &compared.old_bytes, &compared.new_bytes, &author).map_err(|why| {
        Error::refused(
            format!(
                "the redline of {} cannot be written as a Word document: {why}",
                r.artefact.id
            ),
            "write it as --format html, which compares the documents' text",
        )
    })
}

/// The red-lined workbook of a redline of a workbook artefact: TO's cells with
/// the changes from FROM marked.
pub fn tracked_xlsx(compared: &Compared) -> Result<Vec<u8>> {
    let r = &compared.redline;
    let refused = |why: String| {
        Error::refused(
            format!(
                "the redline of {} cannot be written as a workbook: {why}",
                r.artefact.id
            ),
            "write it as --format html, which shows the same changes",
        )
    };
    if !compared.format.is_workbook() {
        return Err(Error::usage(
            format!(
                "{} is {}, and only a workbook's redline can be written as a workbook",
                r.artefact.id,
                compared.format.a_name()
            ),
            "write it as --format html (or md, json, diff)",
        ));
    }
    let (Some(sheets), Some(changes)) = (
        redline::workbook::sheets(compared.format, std::io::Cursor::new(&compared.new_bytes)),
        r.sheets.as_deref(),
    ) else {
        return Err(refused(
            "at least one side is not a readable workbook".into(),
        ));
    };
    redline::tracked::xlsx(r, &sheets, changes).map_err(refused)
}

/// Reads one side as given on the command line: `1.0`, `@1.0`, `DES196@1.0`,
/// `baseline`, `latest` or `working` (with or without `@` or the id).
pub fn parse_side(artefact: &str, text: &str) -> Result<Reference> {
    let selector = match text.split_once('@') {
        Some((id, selector)) if id.is_empty() || id == artefact => selector,
        Some((id, _)) => {
            return Err(Error::usage(
                format!("`{text}` names artefact {id}, but the redline is of {artefact}"),
                format!("compare versions of one artefact, e.g. {artefact}@1.0"),
            ));
        }
        None => text,
    };
    Reference::parse(&format!("{artefact}@{selector}"), VersionSelector::Latest)
}

fn side(resolved: &Resolved) -> redline::model::Side {
    let id = &resolved.artefact.id;
    match &resolved.target {
        Target::Recorded(v) => redline::model::Side {
            reference: format!("{id}@{}", v.version),
            version: Some(v.version.clone()),
            status: v.status.to_string(),
            date: Some(v.date),
            recorded_by: Some(v.recorded_by.clone()),
            sha256: v.sha256.clone(),
            size: v.size,
            file: v.file.clone(),
        },
        Target::Working { bytes, .. } => redline::model::Side {
            reference: format!("{id}@working"),
            version: None,
            status: "working".into(),
            date: None,
            recorded_by: None,
            sha256: sha256_hex(bytes),
            size: bytes.len() as u64,
            file: resolved.artefact.file.clone(),
        },
    }
}

fn recorded(artefact: &Artefact, version: &VersionRecord) -> Resolved {
    Resolved {
        artefact: artefact.clone(),
        target: Target::Recorded(version.clone()),
    }
}

/// TO: the latest recorded version, or the working file where it differs.
fn default_to(
    snapshot: &Snapshot<'_>,
    artefact: &Artefact,
    versions: &[VersionRecord],
) -> Result<Resolved> {
    // A working file that is a link is refused, not passed over for the latest
    // version as a missing one is.
    crate::repo::files::refuse_links(
        snapshot.repo().root(),
        &crate::model::paths::content(&artefact.id, &artefact.file),
    )?;
    let working = resolve_among(snapshot, artefact, versions, &VersionSelector::Working);
    match (versions.last(), working) {
        (Some(latest), Ok(working)) => {
            let bytes = resolve::bytes(snapshot, &working)?;
            Ok(if sha256_hex(&bytes) == latest.sha256 {
                recorded(artefact, latest)
            } else {
                working
            })
        }
        (Some(latest), Err(_)) => Ok(recorded(artefact, latest)),
        (None, working) => working,
    }
}

/// FROM: the latest baseline (other than TO), else the version before TO.
fn default_from(
    artefact: &Artefact,
    versions: &[VersionRecord],
    to: &Resolved,
) -> Result<Resolved> {
    let to_version = match &to.target {
        Target::Recorded(v) => Some(&v.version),
        Target::Working { .. } => None,
    };
    let before_to = |v: &&VersionRecord| to_version.is_none_or(|t| &v.version < t);
    let baseline = versions
        .iter()
        .rev()
        .filter(before_to)
        .find(|v| v.status == Status::Baselined);
    let previous = versions.iter().rev().find(before_to);
    match baseline.or(previous) {
        Some(v) => Ok(recorded(artefact, v)),
        None => Err(Error::refused(
            format!(
                "{} has no earlier version to compare {} with",
                artefact.id,
                side_name(to)
            ),
            format!(
                "record a draft with `baseline draft {}`, or name both sides: baseline redline {} FROM TO",
                artefact.id, artefact.id
            ),
        )),
    }
}

fn side_name(resolved: &Resolved) -> String {
    match &resolved.target {
        Target::Recorded(v) => format!("version {}", v.version),
        Target::Working { .. } => "the working file".into(),
    }
}

/// The decisions and changes cited by FROM, TO and the versions between them
/// (the working file counts as after every version).
fn header_records(
    snapshot: &Snapshot<'_>,
    versions: &[VersionRecord],
    redline: &mut Redline,
) -> Result<()> {
    let low = redline.from.version.clone();
    let high = redline.to.version.clone();
    let (low, high) = match (low, high) {
        (Some(a), Some(b)) if b < a => (Some(b), Some(a)),
        other => other,
    };
    // Both sides' own decisions and changes count: those that baselined FROM
    // as well as those after it, up to and including TO.
    let between = versions.iter().filter(|v| {
        low.as_ref().is_none_or(|l| &v.version >= l)
            && high.as_ref().is_none_or(|h| &v.version <= h)
    });
    for v in between {
        for id in &v.decisions {
            add_decision(snapshot, redline, id, &v.version)?;
        }
        for id in &v.changes {
            add_change(snapshot, redline, id, &v.version)?;
        }
    }
    Ok(())
}

fn add_decision(
    snapshot: &Snapshot<'_>,
    redline: &mut Redline,
    id: &str,
    version: &VersionNumber,
) -> Result<()> {
    if let Some(known) = redline.decisions.iter_mut().find(|d| d.id == id) {
        known.versions.push(version.clone());
        return Ok(());
    }
    if let Some(d) = snapshot.decision(id)? {
        redline.decisions.push(redline::model::DecisionRef {
            id: d.id,
            date: d.date,
            outcome: d.outcome,
            meeting: d.meeting,
            authority: d.authority,
            text: d.text,
            versions: vec![version.clone()],
        });
    }
    Ok(())
}

fn add_change(
    snapshot: &Snapshot<'_>,
    redline: &mut Redline,
    id: &str,
    version: &VersionNumber,
) -> Result<()> {
    if let Some(known) = redline.changes.iter_mut().find(|c| c.id == id) {
        known.versions.push(version.clone());
        return Ok(());
    }
    if let Some(c) = snapshot.change(id)? {
        redline.changes.push(redline::model::ChangeRef {
            state: c.state(),
            title: c.title().to_string(),
            id: c.id,
            kind: c.kind,
            versions: vec![version.clone()],
        });
    }
    Ok(())
}
