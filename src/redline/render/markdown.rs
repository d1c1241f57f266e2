//! The redline as Markdown, for a pull request, a wiki or an email: document text
//! is escaped, and marks are `<del>` and `<ins>`, which Markdown renderers keep.

use std::io::Write;

use super::super::Compared;
use super::super::model::{Body, Hunk, HunkKind, RowKind, Side, TableDiff, Word};
use super::super::text::split_lines;
use super::{Options, line_range, row_title, section_counts, summary_text};
use crate::error::Result;

/// Escapes text so Markdown shows it as written.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' | '#' | '!' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// Escapes a table cell, whose line breaks would end the Markdown table's row.
pub fn escape_cell(text: &str) -> String {
    escape(text)
        .replace("\r\n", "<br>")
        .replace(['\n', '\r'], "<br>")
}

pub fn render(compared: &Compared, _options: &Options, out: &mut dyn Write) -> Result<()> {
    let r = &compared.redline;
    writeln!(
        out,
        "# Redline: {} — {}\n",
        escape(&r.artefact.id),
        escape(&r.artefact.title)
    )?;
    writeln!(out, "| | From | To |\n|---|---|---|")?;
    type Field = fn(&Side) -> String;
    let rows: [(&str, Field); 4] = [
        ("Version", |s| escape(&s.reference)),
        ("Status", |s| s.status.clone()),
        ("Date", |s| s.date.map_or("—".into(), |d| d.to_string())),
        ("SHA-256", |s| format!("`{}`", s.sha256)),
    ];
    for (label, f) in rows {
        writeln!(out, "| {label} | {} | {} |", f(&r.from), f(&r.to))?;
    }
    writeln!(out)?;
    writeln!(
        out,
        "**Decisions:**{}",
        if r.decisions.is_empty() {
            " none recorded on these versions"
        } else {
            ""
        }
    )?;
    for d in &r.decisions {
        let meeting = d
            .meeting
            .as_deref()
            .map(|m| format!(", {}", escape(m)))
            .unwrap_or_default();
        writeln!(
            out,
            "- **{}** ({} {}{meeting}): {}",
            escape(&d.id),
            d.outcome,
            d.date,
            escape(&d.text)
        )?;
    }
    writeln!(
        out,
        "\n**Changes:**{}",
        if r.changes.is_empty() {
            " none recorded on these versions"
        } else {
            ""
        }
    )?;
    for c in &r.changes {
        writeln!(
            out,
            "- **{}** ({}): {}",
            escape(&c.id),
            c.state,
            escape(&c.title)
        )?;
    }
    writeln!(out, "\n**Summary:** {}", summary_text(r))?;
    for (section, counts) in section_counts(r) {
        writeln!(out, "- {}: {counts}", escape(&section))?;
    }
    for note in &r.notes {
        writeln!(out, "\n> Note: {}", escape(note))?;
    }
    for warning in &r.warnings {
        writeln!(out, "\n> **Warning:** {}", escape(warning))?;
    }
    if let Some(structure) = &r.structure {
        writeln!(out, "\n### Structure\n")?;
        if structure.is_empty() {
            writeln!(out, "No key was added, removed or changed.")?;
        }
        for change in structure {
            writeln!(out, "- {}", escape(&super::key_change_text(change)))?;
        }
    }
    for (heading, lines) in r
        .sheets
        .as_deref()
        .map(super::sheet_texts)
        .unwrap_or_default()
    {
        writeln!(out, "\n### {}\n", escape(&heading))?;
        for line in lines {
            writeln!(out, "- {}", escape(&line))?;
        }
    }
    match &r.body {
        Body::Text { hunks } => text(compared, hunks, out),
        Body::Table(table) => rows_table(table, out),
        Body::Binary => Ok(()),
    }
}

fn text(compared: &Compared, hunks: &[Hunk], out: &mut dyn Write) -> Result<()> {
    if hunks.is_empty() {
        return Ok(());
    }
    let old = split_lines(&compared.old);
    let new = split_lines(&compared.new);
    writeln!(out, "\n## Changes")?;
    for (n, h) in hunks.iter().enumerate() {
        let section = if h.section.is_empty() {
            String::new()
        } else {
            format!(" {}", escape(&h.section.join(" › ")))
        };
        let kind = h.kind.name();
        writeln!(
            out,
            "\n### {}.{section} ({kind}, {} → {})\n",
            n + 1,
            line_range(h.old),
            line_range(h.new)
        )?;
        let mut block = String::new();
        match h.kind {
            HunkKind::Modified => {
                for word in &h.words {
                    block.push_str(&mark(word));
                }
            }
            _ => {
                for line in &old[h.old[0]..h.old[1]] {
                    block.push_str(&mark(&Word::Delete(line.to_string())));
                }
                for line in &new[h.new[0]..h.new[1]] {
                    block.push_str(&mark(&Word::Insert(line.to_string())));
                }
            }
        }
        for line in block.trim_end_matches('\n').split('\n') {
            writeln!(out, "> {}", line.trim_end_matches('\r'))?;
        }
    }
    Ok(())
}

/// A word mark, wrapped line by line so no tag spans a line break.
fn mark(word: &Word) -> String {
    let (open, close) = match word {
        Word::Equal(text) => return escape(text),
        Word::Delete(_) => ("<del>", "</del>"),
        Word::Insert(_) => ("<ins>", "</ins>"),
    };
    word.text()
        .split_inclusive('\n')
        .map(|piece| {
            let body = piece.trim_end_matches(['\n', '\r']);
            let end = &piece[body.len()..];
            if body.trim().is_empty() {
                format!("{body}{end}")
            } else {
                format!("{open}{}{close}{end}", escape(body))
            }
        })
        .collect()
}

fn rows_table(table: &TableDiff, out: &mut dyn Write) -> Result<()> {
    writeln!(
        out,
        "\nRows are paired on the key column **{}**.",
        escape(&table.key)
    )?;
    for name in &table.columns_added {
        writeln!(out, "- Column <ins>{}</ins> added", escape(name))?;
    }
    for name in &table.columns_removed {
        writeln!(out, "- Column <del>{}</del> removed", escape(name))?;
    }
    for (old, new) in &table.columns_renamed {
        writeln!(
            out,
            "- Column <del>{}</del> renamed <ins>{}</ins>",
            escape(old),
            escape(new)
        )?;
    }
    if table.rows.is_empty() {
        return Ok(());
    }
    writeln!(
        out,
        "\n## Changes\n\n| # | Row | Column | From | To |\n|---|---|---|---|---|"
    )?;
    for (n, row) in table.rows.iter().enumerate() {
        let title = escape(&row_title(row));
        match row.kind {
            RowKind::Added | RowKind::Removed => {
                let all = row
                    .values
                    .iter()
                    .map(|(c, v)| format!("{}: {}", escape_cell(c), escape_cell(v)))
                    .collect::<Vec<_>>()
                    .join("<br>");
                let (from, to) = if row.kind == RowKind::Added {
                    (String::new(), format!("<ins>{all}</ins>"))
                } else {
                    (format!("<del>{all}</del>"), String::new())
                };
                writeln!(out, "| {} | {title} | (whole row) | {from} | {to} |", n + 1)?;
            }
            RowKind::Moved => writeln!(out, "| {} | {title} | | | |", n + 1)?,
            RowKind::Changed => {
                for cell in &row.cells {
                    writeln!(
                        out,
                        "| {} | {title} | {} | <del>{}</del> | <ins>{}</ins> |",
                        n + 1,
                        escape_cell(&cell.column),
                        escape_cell(&cell.old),
                        escape_cell(&cell.new)
                    )?;
                }
            }
        }
    }
    Ok(())
}
