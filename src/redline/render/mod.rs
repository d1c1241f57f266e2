//! Rendering a redline: for the terminal, as a unified diff, as Markdown, as one
//! self-contained HTML page, or as JSON.

pub mod html;
mod json;
mod markdown;

pub use markdown::escape as markdown_escape;
pub use markdown::escape_cell as markdown_escape_cell;
mod term;
mod unified;

use std::io::Write;

use super::Compared;
use super::model::{
    KeyChange, KeyChangeKind, Redline, RowChange, RowKind, SheetChange, SheetKind, Summary,
};
use crate::error::Result;

/// What a redline is rendered as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// For reading in a terminal (coloured on a terminal, marked [-…-]{+…+} otherwise).
    Term,
    /// A unified diff that `git apply` and `patch` accept.
    Diff,
    /// Markdown, for a pull request or a wiki.
    Md,
    /// One self-contained, printable HTML page.
    Html,
    /// The redline as JSON, with operations that rebuild TO from FROM.
    Json,
}

/// How to render.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    pub format: Format,
    /// Whether terminal output may use colour.
    pub colour: bool,
    /// HTML: old and new side by side instead of inline.
    pub side_by_side: bool,
    /// Unchanged lines shown around each change.
    pub context: usize,
}

pub fn render(compared: &Compared, options: &Options, out: &mut dyn Write) -> Result<()> {
    match options.format {
        Format::Term => term::render(compared, options, out),
        Format::Diff => unified::render(compared, options, out),
        Format::Md => markdown::render(compared, options, out),
        Format::Html => html::render(compared, options, out),
        Format::Json => json::render(&compared.redline, out),
    }
}

/// The summary counts in words, e.g. "3 words added, 1 removed, 2 changed".
pub fn summary_text(redline: &Redline) -> String {
    let s = &redline.summary;
    let mut parts = Vec::new();
    match &redline.body {
        super::model::Body::Table(_) => {
            parts.push(format!(
                "{} added, {} removed, {} changed ({} {}), {} moved",
                rows(s.rows_added),
                s.rows_removed,
                s.rows_changed,
                s.cells_changed,
                plural(s.cells_changed, "cell", "cells"),
                s.rows_moved
            ));
            if s.columns_added + s.columns_removed + s.columns_renamed > 0 {
                parts.push(format!(
                    "columns: {} added, {} removed, {} renamed",
                    s.columns_added, s.columns_removed, s.columns_renamed
                ));
            }
        }
        super::model::Body::Text { .. } => {
            parts.push(word_counts(s));
            if let Some(sheets) = &redline.sheets {
                parts.push(sheet_counts(sheets, s));
            }
        }
        super::model::Body::Binary => parts.push(binary_text(redline)),
    }
    parts.join("; ")
}

fn word_counts(s: &Summary) -> String {
    format!(
        "{} added, {} removed, {} changed",
        words(s.words_added),
        s.words_removed,
        s.words_changed
    )
}

fn binary_text(redline: &Redline) -> String {
    if redline.from.sha256 == redline.to.sha256 {
        "identical content".into()
    } else {
        format!(
            "content differs: {} bytes → {} bytes",
            redline.from.size, redline.to.size
        )
    }
}

fn words(n: usize) -> String {
    format!("{n} {}", plural(n, "word", "words"))
}

fn rows(n: usize) -> String {
    format!("{n} {}", plural(n, "row", "rows"))
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

/// A section's counts as text, for Markdown documents.
pub fn section_counts(redline: &Redline) -> Vec<(String, String)> {
    redline
        .summary
        .sections
        .iter()
        .map(|s| {
            (
                s.section.clone(),
                format!(
                    "{} added, {} removed, {} changed",
                    words(s.words_added),
                    s.words_removed,
                    s.words_changed
                ),
            )
        })
        .collect()
}

/// A row change as one line of text.
pub fn row_title(row: &RowChange) -> String {
    let position = match (row.old_row, row.new_row) {
        (Some(a), Some(b)) if a != b => format!("row {a} → {b}"),
        (_, Some(b)) => format!("row {b}"),
        (Some(a), None) => format!("row {a}"),
        (None, None) => String::new(),
    };
    let what = match row.kind {
        RowKind::Added => "added",
        RowKind::Removed => "removed",
        RowKind::Changed if row.moved => "changed and moved",
        RowKind::Changed => "changed",
        RowKind::Moved => "moved",
    };
    format!("{} ({position}) {what}", row.key)
}

/// "lines 12–14" (1-based, inclusive), or "after line 11" for an empty range.
pub fn line_range(range: [usize; 2]) -> String {
    match range[1] - range[0] {
        0 => format!("after line {}", range[0]),
        1 => format!("line {}", range[0] + 1),
        _ => format!("lines {}–{}", range[0] + 1, range[1]),
    }
}

/// A structural change in words: `steps[1]: "validate" → "settle"`.
fn key_change_text(change: &KeyChange) -> String {
    let value = |v: &Option<String>| v.clone().unwrap_or_default();
    match change.kind {
        KeyChangeKind::Added => format!("{} added: {}", change.path, value(&change.new)),
        KeyChangeKind::Removed => format!("{} removed (was {})", change.path, value(&change.old)),
        KeyChangeKind::Changed => format!(
            "{}: {} → {}",
            change.path,
            value(&change.old),
            value(&change.new)
        ),
    }
}

/// A workbook's sheet and row counts, e.g. "sheets: 1 changed, 1 added, 0
/// removed; rows: 2 added, 0 removed, 1 changed (2 cells)".
fn sheet_counts(sheets: &[SheetChange], s: &Summary) -> String {
    let count = |kind| sheets.iter().filter(|x| x.kind == kind).count();
    format!(
        "sheets: {} changed, {} added, {} removed; {} added, {} removed, {} changed ({} {})",
        count(SheetKind::Changed),
        count(SheetKind::Added),
        count(SheetKind::Removed),
        rows(s.rows_added),
        s.rows_removed,
        s.rows_changed,
        s.cells_changed,
        plural(s.cells_changed, "cell", "cells")
    )
}

/// Each sheet that changed as a heading and lines of plain text: its columns
/// added and removed, its warnings, and each row added, removed or changed
/// with its cells.
pub fn sheet_texts(sheets: &[SheetChange]) -> Vec<(String, Vec<String>)> {
    sheets
        .iter()
        .filter(|s| s.kind != SheetKind::Unchanged)
        .map(|s| (sheet_heading(s), sheet_lines(s)))
        .collect()
}

fn sheet_heading(s: &SheetChange) -> String {
    let mut heading = format!("Sheet {}", s.sheet);
    match (s.kind, &s.old_name) {
        (SheetKind::Added, _) => heading.push_str(" added"),
        (SheetKind::Removed, _) => heading.push_str(" removed"),
        (_, Some(old)) => heading.push_str(&format!(" (renamed from {old})")),
        _ => {}
    }
    if let Some(key) = &s.key {
        heading.push_str(&format!(", rows paired by {key}"));
    }
    heading
}

fn sheet_lines(s: &SheetChange) -> Vec<String> {
    let mut lines = Vec::new();
    if !s.columns_added.is_empty() {
        lines.push(format!("columns added: {}", s.columns_added.join(", ")));
    }
    if !s.columns_removed.is_empty() {
        lines.push(format!("columns removed: {}", s.columns_removed.join(", ")));
    }
    lines.extend(s.warnings.iter().map(|w| format!("warning: {w}")));
    for row in &s.rows {
        let detail: Vec<String> = match row.kind {
            RowKind::Added | RowKind::Removed => row
                .values
                .iter()
                .map(|(column, value)| format!("{column} = {value:?}"))
                .collect(),
            RowKind::Changed | RowKind::Moved => row
                .cells
                .iter()
                .map(|c| format!("{}: {:?} → {:?}", c.column, c.old, c.new))
                .collect(),
        };
        lines.push(format!("{}: {}", row_title(row), detail.join("; ")));
    }
    lines
}
