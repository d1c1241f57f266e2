//! Redlines: what changed between two versions of an artefact — word by word for
//! text, cell by cell for tables. [`compare`] works on the two versions' bytes
//! alone and knows nothing of repositories; the header (versions, decisions,
//! changes) is filled in by the caller.

pub mod check;
pub mod docx;
pub mod encoding;
pub mod lines;
pub mod markdown;
pub mod model;
pub mod package;
pub mod render;
pub mod scan;
pub mod structure;
pub mod table;
pub mod text;
pub mod words;
pub mod workbook;

use std::borrow::Cow;

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
/// its body, the operations that rebuild TO, and the two texts compared (empty
/// where the versions were not read as text).
pub struct Comparison {
    pub summary: model::Summary,
    pub warnings: Vec<String>,
    pub notes: Vec<String>,
    pub body: model::Body,
    pub ops: Vec<model::Op>,
    /// For YAML and JSON: the keys added, removed and changed.
    pub structure: Option<Vec<model::KeyChange>>,
    pub texts: (String, String),
}

/// Compares two versions' bytes: as a table on its key, or as text — word by
/// word, changes labelled with their heading paths (Markdown, and Word
/// documents and workbooks read as text); YAML and JSON also as structure.
/// Where either side cannot be read so, or the format is not read yet (PDF),
/// by size and hash alone.
pub fn compare(old: &[u8], new: &[u8], read_as: ReadAs<'_>) -> Comparison {
    let format = read_as.format;
    let (old, new) = match (read_side(format, old), read_side(format, new)) {
        (Some(old), Some(new)) => (old, new),
        _ if format == Format::Docx || format.is_workbook() => {
            return by_hash(&format!(
                "at least one side is not a readable {}",
                format.name()
            ));
        }
        _ if format.is_table() => return by_hash("at least one side is not text"),
        _ if format.is_text() => return by_hash("at least one side is not UTF-8 text"),
        _ => {
            return by_hash(&format!(
                "the content of {} is not read yet",
                format.a_name()
            ));
        }
    };
    let mut comparison = compare_texts(&old.text, &new.text, read_as);
    match format {
        Format::Docx => comparison.notes.push(
            "compared as the documents' text (paragraphs, headings, list items, table rows, footnotes, headers and footers), not their layout".into(),
        ),
        _ if format.is_workbook() => comparison.notes.push(
            "compared as the workbooks' cells, sheet by sheet (formulas beside their values), with rows aligned by content".into(),
        ),
        _ => {}
    }
    for (side, read) in [("FROM", &old), ("TO", &new)] {
        if let Some(how) = &read.how {
            comparison.notes.push(format!("{side} {how}"));
        }
    }
    comparison.structure = structure::compare(format, &old.text, &new.text);
    comparison.texts = (old.text.into_owned(), new.text.into_owned());
    comparison
}

/// A version read as the text a redline compares, and how it was read where
/// the reader must know.
struct Side<'b> {
    text: Cow<'b, str>,
    how: Option<String>,
}

fn read_side(format: Format, bytes: &[u8]) -> Option<Side<'_>> {
    if format == Format::Docx {
        let document = docx::read(bytes)?;
        return Some(Side {
            text: Cow::Owned(document.text),
            how: document
                .tracked_changes
                .then(|| "holds tracked changes: it is compared with them accepted".into()),
        });
    }
    if format.is_workbook() {
        return Some(Side {
            text: Cow::Owned(workbook::read(format, bytes)?),
            how: None,
        });
    }
    let decoded = encoding::decode(format, bytes)?;
    Some(Side {
        text: decoded.text,
        how: decoded.encoding.map(|e| format!("was read as {e} text")),
    })
}

/// A comparison of sizes and hashes alone, saying why.
fn by_hash(why: &str) -> Comparison {
    Comparison {
        summary: model::Summary::default(),
        warnings: vec![format!("{why}: only sizes and hashes are compared")],
        notes: Vec::new(),
        body: model::Body::Binary,
        ops: Vec::new(),
        structure: None,
        texts: Default::default(),
    }
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
    let detail = if read_as.format.is_workbook() {
        text::Detail::Rows
    } else {
        text::Detail::Words {
            markdown: matches!(read_as.format, Format::Md | Format::Docx),
        }
    };
    let lines = text::diff(old, new, detail);
    warnings.extend(lines.warnings);
    Comparison {
        summary: lines.summary,
        warnings,
        notes: lines.notes,
        body: model::Body::Text { hunks: lines.hunks },
        ops: lines.ops,
        structure: None,
        texts: Default::default(),
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
        structure: None,
        texts: Default::default(),
    })
}
