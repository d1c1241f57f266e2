//! Redlines: what changed between two versions of an artefact — word by word for
//! text, cell by cell for tables — headed by the decisions and changes behind it.

pub mod lines;
pub mod markdown;
pub mod model;
pub mod render;
pub mod table;
pub mod text;
pub mod words;

use crate::audit::resolve::{self, Resolved, Target};
use crate::content::{self, Text};
use crate::error::{Error, Result};
use crate::model::{
    Artefact, Format, Reference, Status, VersionNumber, VersionRecord, VersionSelector,
};
use crate::repo::{Decoded, Snapshot};

pub use model::Redline;

/// A redline with the two texts it was made from (the renderers show context).
pub struct Compared {
    pub redline: Redline,
    pub old: Text,
    pub new: Text,
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

/// Compares FROM and TO of an artefact, with the defaults the README describes.
pub fn compare(
    snapshot: &Snapshot<'_>,
    artefact_id: &str,
    from: Option<&str>,
    to: Option<&str>,
) -> Result<Compared> {
    let artefact = snapshot.require_artefact(artefact_id)?;
    let versions = snapshot.versions(&artefact.id)?;
    let named = |text| {
        let selector = parse_side(&artefact.id, text)?.selector;
        resolve::resolve_among(snapshot, &artefact, &versions, &selector)
    };
    let to = match to {
        Some(text) => named(text)?,
        None => default_to(snapshot, &artefact, &versions)?,
    };
    let from = match from {
        Some(text) => named(text)?,
        None => default_from(&artefact, &versions, &to)?,
    };
    let prepare = |content: &Decoded| Content::read(content, &artefact);
    let compare_both = |old: (&Decoded, &Content), new: (&Decoded, &Content)| {
        compare_contents(&artefact, old, new)
    };
    // The comparison is made while the other core may still be checking the
    // bytes against the record; it is kept only if they prove to be the versions'.
    let ((old_content, old), (new_content, new), compared) =
        resolve::contents_pair(snapshot, &from, &to, &prepare, compare_both)?;
    let comparison = compared
        .unwrap_or_else(|| compare_contents(&artefact, (&old_content, &old), (&new_content, &new)));
    let mut redline = Redline {
        artefact: model::ArtefactRef {
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
        ops: comparison.ops,
    };
    header_records(snapshot, &versions, &mut redline)?;
    let (old, new) = match (old_content, new_content) {
        (Decoded::Text(a), Decoded::Text(b)) if old.is_text && new.is_text => (a, b),
        _ => (Text::default(), Text::default()),
    };
    Ok(Compared { redline, old, new })
}

/// What comparing two contents found: the redline's counts, warnings and notes,
/// its body, and the operations that rebuild TO.
struct Comparison {
    summary: model::Summary,
    warnings: Vec<String>,
    notes: Vec<String>,
    body: model::Body,
    ops: Vec<model::Op>,
}

/// Compares the two sides as text or as tables, or, where either is not text,
/// says that only their sizes and hashes are compared.
fn compare_contents(
    artefact: &Artefact,
    (old_content, old): (&Decoded, &Content),
    (new_content, new): (&Decoded, &Content),
) -> Comparison {
    match (old_content.text(), new_content.text()) {
        (Some(a), Some(b)) if old.is_text && new.is_text => fill(artefact, (a, old), (b, new)),
        _ => Comparison {
            summary: model::Summary::default(),
            warnings: vec![
                "at least one side is not UTF-8 text: only sizes and hashes are compared".into(),
            ],
            notes: Vec::new(),
            body: model::Body::Binary,
            ops: Vec::new(),
        },
    }
}

/// A table read on its key column, or why it could not be.
type TableRead = Result<table::Parsed, table::NotComparable>;

/// One side of a redline, prepared on the core that read it: whether it is UTF-8
/// text and, for a table with a key column, the table read on its key.
struct Content {
    is_text: bool,
    table: Option<TableRead>,
    /// For a text compared line by line, its lines.
    lines: Option<text::Prepared>,
}

impl Content {
    fn read(content: &Decoded, artefact: &Artefact) -> Self {
        let text = content
            .text()
            .filter(|t| memchr::memchr(0, t.as_bytes()).is_none());
        let (mut table, mut lines) = (None, None);
        match (&text, artefact.format.is_table(), &artefact.key) {
            (Some(text), true, Some(key)) => table = Some(table::parse(artefact.format, text, key)),
            (Some(text), _, _) => {
                lines = Some(text::Prepared::of(text, artefact.format == Format::Md));
            }
            (None, _, _) => {}
        }
        Content {
            is_text: text.is_some(),
            table,
            lines,
        }
    }
}

/// The comparison proper, by the artefact's format: each side is its text and
/// what was prepared from it (for a table, the table read from it).
fn fill(
    artefact: &Artefact,
    (old, old_read): (&str, &Content),
    (new, new_read): (&str, &Content),
) -> Comparison {
    let mut warnings = Vec::new();
    if let (Some(key), Some(old_table), Some(new_table)) =
        (artefact.key.as_deref(), &old_read.table, &new_read.table)
    {
        let compared = match (old_table, new_table) {
            (Err(why), _) => Err(why.of("FROM")),
            (_, Err(why)) => Err(why.of("TO")),
            (Ok(a), Ok(b)) => table_redline(key, (old, a), (new, b)),
        };
        match compared {
            Ok(comparison) => return comparison,
            Err(table::NotComparable(why)) => {
                warnings.push(format!("compared as text, not row by row: {why}"));
            }
        }
    }
    let detail = text::Detail::Words {
        markdown: artefact.format == Format::Md,
    };
    let lines = match (&old_read.lines, &new_read.lines) {
        (Some(a), Some(b)) => text::diff_prepared((old, a), (new, b), detail),
        _ => text::diff(old, new, detail),
    };
    warnings.extend(lines.warnings);
    Comparison {
        summary: lines.summary,
        warnings,
        notes: lines.notes,
        body: model::Body::Text { hunks: lines.hunks },
        ops: lines.ops,
    }
}

/// A table's redline: its rows compared cell by cell, beside the line operations
/// that rebuild TO (anchored on the rows that kept their place).
fn table_redline(
    key: &str,
    old: (&str, &table::Parsed),
    new: (&str, &table::Parsed),
) -> Result<Comparison, table::NotComparable> {
    let mut paired = table::compare(key, old, new)?;
    let anchors = std::mem::take(&mut paired.anchors);
    let identical = std::mem::take(&mut paired.identical);
    let mut summary = model::Summary::default();
    // Describing the changed rows takes the longer (splitting and comparing
    // their cells: 0.3 ms for 945 rows, against 0.2 ms for the line operations
    // along anchors mostly known identical): it stays here, where no thread has
    // to start.
    let (diff, lines) = crate::parallel::join(
        || paired.diff(&mut summary),
        || text::along_lines(old.1.lines(old.0), new.1.lines(new.0), &anchors, &identical),
    );
    let mut notes = Vec::new();
    if diff.rows.is_empty() && old.0 != new.0 {
        notes.push(
            "the tables hold the same cells; the files differ only in how they are written (quoting, spacing or line endings)".into(),
        );
    }
    notes.extend(lines.notes);
    summary.lines_whitespace_only = lines.summary.lines_whitespace_only;
    Ok(Comparison {
        summary,
        warnings: Vec::new(),
        notes,
        body: model::Body::Table(diff),
        ops: lines.ops,
    })
}

fn side(resolved: &Resolved) -> model::Side {
    let id = &resolved.artefact.id;
    match &resolved.target {
        Target::Recorded(v) => model::Side {
            reference: format!("{id}@{}", v.version),
            version: Some(v.version.clone()),
            status: v.status.to_string(),
            date: Some(v.date),
            sha256: v.sha256.clone(),
            size: v.size,
            file: v.file.clone(),
        },
        Target::Working { bytes, .. } => model::Side {
            reference: format!("{id}@working"),
            version: None,
            status: "working".into(),
            date: None,
            sha256: content::sha256_hex(bytes),
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
    let working = resolve::resolve_among(snapshot, artefact, versions, &VersionSelector::Working);
    match (versions.last(), working) {
        (Some(latest), Ok(working)) => {
            let bytes = resolve::bytes(snapshot, &working)?;
            Ok(if content::sha256_hex(&bytes) == latest.sha256 {
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

/// The decisions and changes cited by the versions after FROM, up to and
/// including TO (the working file counts as after every version).
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
    let between = versions.iter().filter(|v| {
        low.as_ref().is_none_or(|l| &v.version > l) && high.as_ref().is_none_or(|h| &v.version <= h)
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
        redline.decisions.push(model::DecisionRef {
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
        redline.changes.push(model::ChangeRef {
            state: c.state(),
            id: c.id,
            kind: c.kind,
            title: c.title,
            versions: vec![version.clone()],
        });
    }
    Ok(())
}
