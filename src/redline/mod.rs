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
pub mod pdf;
pub mod render;
pub mod scan;
pub mod sheets;
pub mod structure;
pub mod table;
#[cfg(test)]
mod testing;
pub mod text;
pub mod tracked;
pub mod words;
pub mod workbook;
pub mod xml;

use std::borrow::Cow;

use crate::model::Format;

pub use model::Redline;

/// A redline with the two texts it was made from (the renderers show context;
/// the texts are empty where either side is not text), and the two versions'
/// bytes (a red-lined copy in the artefact's own format patches them).
pub struct Compared {
    pub redline: Redline,
    pub old: String,
    pub new: String,
    pub old_bytes: Vec<u8>,
    pub new_bytes: Vec<u8>,
    /// The artefact's format.
    pub format: Format,
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
    /// For workbooks: each sheet compared cell by cell.
    pub sheets: Option<Vec<model::SheetChange>>,
    pub texts: (String, String),
}

/// Compares two versions' bytes: as a table on its key, or as text — word by
/// word, changes labelled with their heading paths (Markdown, and Word
/// documents, workbooks and PDFs read as text); YAML and JSON also as
/// structure. Where either side cannot be read so, by size and hash alone.
pub fn compare(old: &[u8], new: &[u8], read_as: ReadAs<'_>) -> Comparison {
    let format = read_as.format;
    let at_once = old.len() + new.len() >= AT_ONCE_FROM;
    let (old, new) = match both(
        at_once,
        || read_side(format, old),
        || read_side(format, new),
    ) {
        (Ok(old), Ok(new)) => (old, new),
        (old, new) => return by_hash(&not_read(format, [("FROM", old), ("TO", new)])),
    };
    let keys = sheets::KeyColumns::parse(read_as.key);
    let (mut comparison, sheets) = both(
        at_once,
        || compare_texts(&old.text, &new.text, read_as),
        || match (&old.sheets, &new.sheets) {
            (Some(old), Some(new)) => Some(sheets::compare(old, new, &keys)),
            _ => None,
        },
    );
    match format {
        Format::Docx => comparison.notes.push(
            "compared as the documents' text (paragraphs, headings, list items, table rows, footnotes, headers and footers), not their layout".into(),
        ),
        _ if format.is_workbook() => comparison.notes.push(
            "compared as the workbooks' cells, sheet by sheet (formulas beside their values), with rows paired by the key column where one is named for the sheet, else aligned by content".into(),
        ),
        Format::Pdf => comparison.notes.push(
            "compared as the documents' extracted text, page by page, not their layout".into(),
        ),
        _ => {}
    }
    for (side, read) in [("FROM", &old), ("TO", &new)] {
        if let Some(how) = &read.how {
            comparison.notes.push(format!("{side} {how}"));
        }
    }
    comparison.structure = structure::compare(format, &old.text, &new.text);
    if let Some(sheets) = sheets {
        count_rows(&mut comparison.summary, &sheets);
        comparison.sheets = Some(sheets);
    }
    comparison.texts = (old.text.into_owned(), new.text.into_owned());
    comparison
}

/// From this size of the two sides together, they are read at once, and a
/// workbook is compared as text and as cells at once (docs/performance.md:
/// a quarter of a large workbook's redline); below it a thread costs more
/// than it saves.
const AT_ONCE_FROM: usize = 1 << 20;

/// The stack of the thread `both` starts: a Linux main thread's, on which
/// every comparison runs otherwise (a spawned thread's default is 2 MB).
const THREAD_STACK_BYTES: usize = 8 << 20;

/// `first` and `second`, with `at_once` the first on a thread of its own.
fn both<A: Send, B>(
    at_once: bool,
    first: impl FnOnce() -> A + Send,
    second: impl FnOnce() -> B,
) -> (A, B) {
    if !at_once {
        let first = first();
        return (first, second());
    }
    std::thread::scope(|scope| {
        let first = std::thread::Builder::new()
            .stack_size(THREAD_STACK_BYTES)
            .spawn_scoped(scope, first)
            .expect("the system to start a thread");
        let second = second();
        let first = first
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (first, second)
    })
}

/// A version read as the text a redline compares, and how it was read where
/// the reader must know.
struct Side<'b> {
    text: Cow<'b, str>,
    how: Option<String>,
    /// A workbook's sheets, compared cell by cell beside the text.
    sheets: Option<Vec<workbook::Sheet>>,
}

/// Why a side could not be read, where its reader says (a PDF's does).
type NotRead = Option<String>;

fn read_side(format: Format, bytes: &[u8]) -> Result<Side<'_>, NotRead> {
    if format == Format::Docx {
        let document = docx::read(bytes).ok_or(None)?;
        return Ok(Side {
            text: Cow::Owned(document.text),
            how: document
                .tracked_changes
                .then(|| "holds tracked changes: it is compared with them accepted".into()),
            sheets: None,
        });
    }
    if format.is_workbook() {
        let sheets = workbook::sheets(format, std::io::Cursor::new(bytes)).ok_or(None)?;
        return Ok(Side {
            text: Cow::Owned(workbook::text(&sheets)),
            how: None,
            sheets: Some(sheets),
        });
    }
    if format == Format::Pdf {
        return Ok(Side {
            text: Cow::Owned(pdf::read(bytes).map_err(Some)?),
            how: None,
            sheets: None,
        });
    }
    let decoded = encoding::decode(format, bytes).ok_or(None)?;
    Ok(Side {
        text: decoded.text,
        how: decoded.encoding.map(|e| format!("was read as {e} text")),
        sheets: None,
    })
}

/// Why two versions are compared by size and hash: each side's reason where
/// its reader gave one, else what the format needs.
fn not_read<T>(format: Format, sides: [(&str, Result<T, NotRead>); 2]) -> String {
    let reasons: Vec<String> = sides
        .into_iter()
        .filter_map(|(side, read)| {
            let why = read.err()??;
            Some(format!(
                "{side} is not a readable {} ({why})",
                format.name()
            ))
        })
        .collect();
    if !reasons.is_empty() {
        return reasons.join("; ");
    }
    if format.is_table() {
        "at least one side is not text".into()
    } else if format.is_text() {
        "at least one side is not UTF-8 text".into()
    } else {
        format!("at least one side is not a readable {}", format.name())
    }
}

/// Adds the rows and cells that changed on a workbook's sheets to its counts.
fn count_rows(summary: &mut model::Summary, sheets: &[model::SheetChange]) {
    for row in sheets.iter().flat_map(|s| &s.rows) {
        match row.kind {
            model::RowKind::Added => summary.rows_added += 1,
            model::RowKind::Removed => summary.rows_removed += 1,
            model::RowKind::Changed | model::RowKind::Moved => {
                summary.rows_changed += 1;
                summary.cells_changed += row.cells.len();
            }
        }
    }
    for sheet in sheets {
        summary.columns_added += sheet.columns_added.len();
        summary.columns_removed += sheet.columns_removed.len();
    }
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
        sheets: None,
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
            markdown: matches!(read_as.format, Format::Md | Format::Docx | Format::Pdf),
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
        sheets: None,
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
        sheets: None,
        texts: Default::default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_xlsxwriter::Workbook;

    /// A workbook of `rows` rows of distinct cells, with `edit` applied to
    /// each row's cells before they are written.
    fn workbook(rows: u32, edit: impl Fn(u32, &mut Vec<String>)) -> Vec<u8> {
        let mut book = Workbook::new();
        let sheet = book.add_worksheet().set_name("Interfaces").unwrap();
        for row in 0..rows {
            let mut cells: Vec<String> = (0..4)
                .map(|column| {
                    format!(
                        "IF-{row:06}-{:08x}",
                        u64::from(row * 4 + column).wrapping_mul(2_654_435_761) >> 8
                    )
                })
                .collect();
            edit(row, &mut cells);
            for (column, text) in cells.iter().enumerate() {
                sheet.write(row, column as u16, text.as_str()).unwrap();
            }
        }
        book.save_to_buffer().unwrap()
    }

    /// A pair large enough to be read and compared on two threads finds
    /// exactly the one cell that was edited.
    #[test]
    fn a_large_workbook_pair_is_compared_on_two_threads_exactly() {
        let rows = 15_000;
        let old = workbook(rows, |_, _| {});
        let new = workbook(rows, |row, cells| {
            if row == 12_000 {
                cells[2] = "edited".into();
            }
        });
        assert!(old.len() + new.len() >= AT_ONCE_FROM, "{} bytes", old.len());
        let read_as = ReadAs {
            format: Format::Xlsx,
            key: None,
        };
        let comparison = compare(&old, &new, read_as);
        let sheets = comparison.sheets.expect("compared cell by cell");
        let rows: Vec<_> = sheets.iter().flat_map(|s| &s.rows).collect();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].new_row, rows[0].old_row);
        let cells: Vec<_> = rows[0].cells.iter().map(|c| &c.new[..]).collect();
        assert_eq!(cells, ["edited"]);
        assert_eq!(comparison.summary.cells_changed, 1);
        match comparison.body {
            model::Body::Text { hunks } => assert_eq!(hunks.len(), 1),
            _ => panic!("a workbook is compared as text too"),
        }
    }
}
