//! What a redline is: a header that says what is compared and why it changed, the
//! changes themselves, and operations that rebuild TO exactly from FROM.

use serde::Serialize;

use crate::model::{ChangeKind, ChangeState, Date, Outcome, VersionNumber};

/// A redline between two versions of one artefact (the JSON shape of
/// `baseline redline --format json`).
#[derive(Debug, Serialize)]
pub struct Redline {
    pub artefact: ArtefactRef,
    pub from: Side,
    pub to: Side,
    /// Decisions recorded on FROM, on TO and on the versions between them.
    pub decisions: Vec<DecisionRef>,
    /// Changes recorded on those versions.
    pub changes: Vec<ChangeRef>,
    pub summary: Summary,
    /// Things the reader must know: a table compared as text, an identical pair.
    pub warnings: Vec<String>,
    /// Changes not shown as marks: line endings, trailing whitespace.
    pub notes: Vec<String>,
    pub body: Body,
    /// For YAML and JSON whose two sides parse: the keys added, removed and
    /// changed, by path (absent otherwise).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub structure: Option<Vec<KeyChange>>,
    /// For workbooks: each sheet compared cell by cell (absent otherwise).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sheets: Option<Vec<SheetChange>>,
    /// Applied in order to FROM's lines, these rebuild TO byte for byte.
    pub ops: Vec<Op>,
}

/// A sheet of a workbook compared with the same sheet of the other version.
#[derive(Debug, Clone, Serialize)]
pub struct SheetChange {
    /// The sheet's name (in TO; in FROM for a removed sheet).
    pub sheet: String,
    /// FROM's name for the sheet, where it was renamed.
    pub old_name: Option<String>,
    pub kind: SheetKind,
    /// The column its rows were paired by; null where they were aligned by content.
    pub key: Option<String>,
    pub columns_added: Vec<String>,
    pub columns_removed: Vec<String>,
    /// Rows added, removed and changed (cell by cell), with their sheet row
    /// numbers; none for a sheet added or removed whole.
    pub rows: Vec<RowChange>,
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SheetKind {
    Added,
    Removed,
    Changed,
    Unchanged,
}

/// A key of a YAML or JSON document added, removed or changed.
#[derive(Debug, Clone, Serialize)]
pub struct KeyChange {
    /// Where it is: `steps[2].name`, `["a.b"].c`.
    pub path: String,
    pub kind: KeyChangeKind,
    /// The old and new values, as compact JSON.
    pub old: Option<String>,
    pub new: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum KeyChangeKind {
    Added,
    Removed,
    Changed,
}

#[derive(Debug, Serialize)]
pub struct ArtefactRef {
    pub id: String,
    pub title: String,
}

/// One side of the comparison.
#[derive(Debug, Clone, Serialize)]
pub struct Side {
    /// How it was named, e.g. "DES196@1.0" or "DES196@working".
    pub reference: String,
    /// Null for the working file.
    pub version: Option<VersionNumber>,
    /// "draft", "baselined" or "working".
    pub status: String,
    pub date: Option<Date>,
    /// Who recorded the version ("Name <email>"); null for the working file.
    pub recorded_by: Option<String>,
    pub sha256: String,
    pub size: u64,
    pub file: String,
}

#[derive(Debug, Serialize)]
pub struct DecisionRef {
    pub id: String,
    pub date: Date,
    pub outcome: Outcome,
    pub meeting: Option<String>,
    pub authority: Option<String>,
    pub text: String,
    /// The versions that cite it.
    pub versions: Vec<VersionNumber>,
}

#[derive(Debug, Serialize)]
pub struct ChangeRef {
    pub id: String,
    pub kind: ChangeKind,
    pub title: String,
    pub state: ChangeState,
    pub versions: Vec<VersionNumber>,
}

#[derive(Debug, Default, Serialize)]
pub struct Summary {
    pub words_added: usize,
    pub words_removed: usize,
    pub words_changed: usize,
    /// Lines whose only difference is the line ending or trailing whitespace.
    pub lines_whitespace_only: usize,
    pub rows_added: usize,
    pub rows_removed: usize,
    pub rows_changed: usize,
    pub rows_moved: usize,
    pub cells_changed: usize,
    pub columns_added: usize,
    pub columns_removed: usize,
    pub columns_renamed: usize,
    /// For Markdown: counts per top-level section, in document order.
    pub sections: Vec<SectionCount>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SectionCount {
    pub section: String,
    pub words_added: usize,
    pub words_removed: usize,
    pub words_changed: usize,
}

/// The changes, as the content's kind allows them to be shown.
#[derive(Debug, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Body {
    /// Text or Markdown: changed blocks with word-level marks.
    Text { hunks: Vec<Hunk> },
    /// A CSV/TSV table compared row by row on its key column.
    Table(TableDiff),
    /// Content that is not text: only sizes and hashes can be compared.
    Binary,
}

/// One changed block of a text.
#[derive(Debug, Clone, Serialize)]
pub struct Hunk {
    /// Stable anchor: "change-1", "change-2" … in document order.
    pub anchor: String,
    /// The Markdown heading path where the change is, outermost first.
    pub section: Vec<String>,
    pub kind: HunkKind,
    /// FROM lines replaced, 0-based, end exclusive.
    pub old: [usize; 2],
    /// TO lines that replace them.
    pub new: [usize; 2],
    /// Word-level marks (for `modified` blocks).
    pub words: Vec<Word>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum HunkKind {
    Inserted,
    Deleted,
    /// Edited: shown word by word.
    Modified,
    /// Rewritten beyond recognition: shown as the old block out, the new block in.
    Replaced,
}

impl HunkKind {
    /// The word used in every format ("inserted", "modified" …).
    pub fn name(self) -> &'static str {
        match self {
            HunkKind::Inserted => "inserted",
            HunkKind::Deleted => "deleted",
            HunkKind::Modified => "modified",
            HunkKind::Replaced => "replaced",
        }
    }
}

/// A run of text in a modified block.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "op", content = "text", rename_all = "lowercase")]
pub enum Word {
    Equal(String),
    Delete(String),
    Insert(String),
}

impl Word {
    pub fn text(&self) -> &str {
        match self {
            Word::Equal(t) | Word::Delete(t) | Word::Insert(t) => t,
        }
    }
}

/// One step of rebuilding TO from FROM's lines (split after each `\n`).
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "op", rename_all = "lowercase")]
pub enum Op {
    /// Copy FROM's lines `old[0]..old[1]`.
    Equal { old: [usize; 2] },
    /// Skip FROM's lines `old[0]..old[1]`.
    Delete { old: [usize; 2] },
    /// Write `text`.
    Insert { text: String },
    /// Skip FROM's lines `old[0]..old[1]` and write `text` instead.
    Replace { old: [usize; 2], text: String },
}

/// A table compared on its key column.
#[derive(Debug, Serialize)]
pub struct TableDiff {
    pub key: String,
    pub columns_added: Vec<String>,
    pub columns_removed: Vec<String>,
    /// Pairs of (old name, new name).
    pub columns_renamed: Vec<(String, String)>,
    pub rows: Vec<RowChange>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RowChange {
    pub anchor: String,
    pub key: String,
    pub kind: RowKind,
    /// 1-based data row numbers (after the header) in FROM and TO.
    pub old_row: Option<usize>,
    pub new_row: Option<usize>,
    /// True when the row's position among the common rows changed.
    pub moved: bool,
    pub cells: Vec<CellChange>,
    /// The whole row, for added and removed rows: (column, value).
    pub values: Vec<(String, String)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RowKind {
    Added,
    Removed,
    Changed,
    Moved,
}

#[derive(Debug, Clone, Serialize)]
pub struct CellChange {
    pub column: String,
    pub old: String,
    pub new: String,
}

/// Rebuilds TO from FROM's text and the operations.
pub fn apply(from: &str, ops: &[Op]) -> String {
    let lines = super::text::split_lines(from);
    let mut out = String::with_capacity(from.len());
    for op in ops {
        match op {
            Op::Equal { old } => lines[old[0]..old[1]].iter().for_each(|l| out.push_str(l)),
            Op::Delete { .. } => {}
            Op::Insert { text } | Op::Replace { text, .. } => out.push_str(text),
        }
    }
    out
}
