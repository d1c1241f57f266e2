//! Redlines: what changed between two versions of an artefact — word by word for
//! text, cell by cell for tables. [`compare`] works on the two versions' bytes
//! alone and knows nothing of repositories; the header (versions, decisions,
//! changes) is filled in by the caller.

pub mod check;
pub mod lines;
pub mod markdown;
pub mod model;
pub mod package;
pub mod render;
pub mod table;
pub mod text;
pub mod words;

use crate::model::Format;

pub use model::Redline;

/// A redline with the two texts it was made from (the renderers show context);
/// the texts are empty where either side is not text.
pub struct Compared {
    pub redline: Redline,
    pub old: String,
    pub new: String,
}

/// How both sides are read: the artefact's format and, for a table, its key column.
#[derive(Debug, Clone, Copy)]
pub struct ReadAs<'a> {
    pub format: Format,
    pub key: Option<&'a str>,
}

/// What comparing two contents found: the redline's counts, warnings and notes,
/// its body, and the operations that rebuild TO.
pub struct Comparison {
    pub summary: model::Summary,
    pub warnings: Vec<String>,
    pub notes: Vec<String>,
    pub body: model::Body,
    pub ops: Vec<model::Op>,
}

/// Compares two versions' bytes: as a table on its key, as text (word by word,
/// Markdown changes labelled with their heading paths), or, where either side
/// is not text or the format is not read yet (Word, Excel, PDF), by size and
/// hash alone.
pub fn compare(old: &[u8], new: &[u8], read_as: ReadAs<'_>) -> Comparison {
    let (texts, why_not) = if read_as.format.is_text() {
        let texts = as_text(old).zip(as_text(new));
        (texts, "at least one side is not UTF-8 text".to_string())
    } else {
        let kind = read_as.format.a_name();
        (None, format!("the content of {kind} is not read yet"))
    };
    match texts {
        Some((old, new)) => compare_texts(old, new, read_as),
        None => Comparison {
            summary: model::Summary::default(),
            warnings: vec![format!("{why_not}: only sizes and hashes are compared")],
            notes: Vec::new(),
            body: model::Body::Binary,
            ops: Vec::new(),
        },
    }
}

/// The text of a version, if it is UTF-8 without NUL bytes.
pub fn as_text(bytes: &[u8]) -> Option<&str> {
    std::str::from_utf8(bytes)
        .ok()
        .filter(|text| !text.contains('\0'))
}

fn compare_texts(old: &str, new: &str, read_as: ReadAs<'_>) -> Comparison {
    let mut warnings = Vec::new();
    if let (true, Some(key)) = (read_as.format.is_table(), read_as.key) {
        let compared = match (
            table::parse(read_as.format, old, key),
            table::parse(read_as.format, new, key),
        ) {
            (Err(why), _) => Err(why.of("FROM")),
            (_, Err(why)) => Err(why.of("TO")),
            (Ok(a), Ok(b)) => table_redline(key, (old, &a), (new, &b)),
        };
        match compared {
            Ok(comparison) => return comparison,
            Err(table::NotComparable(why)) => {
                warnings.push(format!("compared as text, not row by row: {why}"));
            }
        }
    }
    let detail = text::Detail::Words {
        markdown: read_as.format == Format::Md,
    };
    let lines = text::diff(old, new, detail);
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
    let diff = paired.diff(&mut summary);
    let lines = text::along_lines(old.1.lines(old.0), new.1.lines(new.0), &anchors, &identical);
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
