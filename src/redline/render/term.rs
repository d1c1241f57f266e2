//! The redline in a terminal: the header, then each change with a few lines of
//! context. Without colour, marks are written as [-deleted-] and {+inserted+}.

use std::io::Write;

use anstyle::{AnsiColor, Effects, Style};

use super::super::Compared;
use super::super::model::{Body, Hunk, HunkKind, RowChange, RowKind, TableDiff, Word};
use super::super::text::split_lines;
use super::{Options, line_range, row_title, section_counts, summary_text};
use crate::error::Result;

const HEADING: Style = Style::new().bold();
const DIM: Style = Style::new().dimmed();
const DELETED: Style = AnsiColor::Red.on_default().effects(Effects::STRIKETHROUGH);
const INSERTED: Style = AnsiColor::Green.on_default().effects(Effects::UNDERLINE);
const WARNING: Style = AnsiColor::Yellow.on_default().bold();

struct Painter {
    colour: bool,
}

/// Document text with its control characters (an escape sequence could restyle
/// or rewrite the terminal) shown as `�`; tabs are kept.
fn clean(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() && c != '\t' {
                '\u{fffd}'
            } else {
                c
            }
        })
        .collect()
}

impl Painter {
    fn plain(&self, text: &str) -> String {
        clean(text)
    }

    fn paint(&self, text: &str, style: Style) -> String {
        let text = clean(text);
        if self.colour {
            format!("{}{text}{}", style.render(), style.render_reset())
        } else {
            text.to_string()
        }
    }

    fn deleted(&self, text: &str) -> String {
        match (text.is_empty(), self.colour) {
            (true, _) => String::new(),
            (false, true) => self.paint(text, DELETED),
            (false, false) => format!("[-{}-]", clean(text)),
        }
    }

    fn inserted(&self, text: &str) -> String {
        match (text.is_empty(), self.colour) {
            (true, _) => String::new(),
            (false, true) => self.paint(text, INSERTED),
            (false, false) => format!("{{+{}+}}", clean(text)),
        }
    }
}

pub fn render(compared: &Compared, options: &Options, out: &mut dyn Write) -> Result<()> {
    let p = Painter {
        colour: options.colour,
    };
    let r = &compared.redline;
    writeln!(
        out,
        "{}",
        p.paint(
            &format!("Redline of {} — {}", r.artefact.id, r.artefact.title),
            HEADING
        )
    )?;
    for (label, side) in [("from", &r.from), ("to  ", &r.to)] {
        writeln!(
            out,
            "  {label}  {:<16} {:<9}  {}  sha256 {}",
            side.reference,
            side.status,
            side.date.map_or("—".to_string(), |d| d.to_string()),
            side.sha256
        )?;
    }
    if r.decisions.is_empty() {
        writeln!(out, "  decisions  none recorded on these versions")?;
    }
    for d in &r.decisions {
        let place = [d.meeting.clone(), d.authority.clone()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", ");
        writeln!(
            out,
            "  decision   {} ({} {}{}): {}",
            p.paint(&d.id, HEADING),
            d.outcome,
            d.date,
            if place.is_empty() {
                String::new()
            } else {
                format!(", {place}")
            },
            p.plain(&d.text)
        )?;
    }
    for c in &r.changes {
        writeln!(
            out,
            "  change     {} {} ({}): {}",
            c.kind,
            p.paint(&c.id, HEADING),
            c.state,
            p.plain(&c.title)
        )?;
    }
    writeln!(out, "  summary    {}", summary_text(r))?;
    for (section, counts) in section_counts(r) {
        writeln!(out, "             {section}: {counts}")?;
    }
    for note in &r.notes {
        writeln!(out, "  note: {note}")?;
    }
    for warning in &r.warnings {
        writeln!(out, "  {} {warning}", p.paint("warning:", WARNING))?;
    }
    if let Some(structure) = &r.structure {
        writeln!(
            out,
            "  structure  {} key(s) added, removed or changed",
            structure.len()
        )?;
        for change in structure {
            writeln!(
                out,
                "             {}",
                p.plain(&super::key_change_text(change))
            )?;
        }
    }
    for (heading, lines) in r
        .sheets
        .as_deref()
        .map(super::sheet_texts)
        .unwrap_or_default()
    {
        writeln!(out, "  {}", p.paint(&p.plain(&heading), HEADING))?;
        for line in lines {
            writeln!(out, "             {}", p.plain(&line))?;
        }
    }
    match &r.body {
        Body::Text { hunks } => text(compared, hunks, options, &p, out),
        Body::Table(table) => rows(table, &p, out),
        Body::Binary => Ok(()),
    }
}

fn text(
    compared: &Compared,
    hunks: &[Hunk],
    options: &Options,
    p: &Painter,
    out: &mut dyn Write,
) -> Result<()> {
    let old = split_lines(&compared.old);
    let new = split_lines(&compared.new);
    if hunks.is_empty() && compared.redline.from.sha256 == compared.redline.to.sha256 {
        writeln!(out, "\nNo changes: the two sides are identical.")?;
    }
    for (k, h) in hunks.iter().enumerate() {
        writeln!(out)?;
        let section = if h.section.is_empty() {
            String::new()
        } else {
            format!(" · {}", h.section.join(" › "))
        };
        let kind = h.kind.name();
        writeln!(
            out,
            "{}",
            p.paint(
                &format!(
                    "@@ {}{section} · {kind} · {} → {}",
                    h.anchor,
                    line_range(h.old),
                    line_range(h.new)
                ),
                HEADING
            )
        )?;
        // Context is unchanged lines only: it stops where the change before or
        // after this one begins.
        let previous_end = k.checked_sub(1).map_or(0, |j| hunks[j].old[1]);
        let next_start = hunks.get(k + 1).map_or(new.len(), |next| next.new[0]);
        let before = h.old[0].saturating_sub(options.context).max(previous_end)..h.old[0];
        for line in &old[before] {
            write_line(
                out,
                "  ",
                &p.paint(line.trim_end_matches(['\n', '\r']), DIM),
            )?;
        }
        match h.kind {
            HunkKind::Modified => write_marks(out, &h.words, p)?,
            _ => {
                for line in &old[h.old[0]..h.old[1]] {
                    write_line(out, "- ", &p.deleted(line.trim_end_matches(['\n', '\r'])))?;
                }
                for line in &new[h.new[0]..h.new[1]] {
                    write_line(out, "+ ", &p.inserted(line.trim_end_matches(['\n', '\r'])))?;
                }
            }
        }
        let after = h.new[1]..(h.new[1] + options.context).min(next_start);
        for line in &new[after] {
            write_line(
                out,
                "  ",
                &p.paint(line.trim_end_matches(['\n', '\r']), DIM),
            )?;
        }
    }
    Ok(())
}

fn write_line(out: &mut dyn Write, prefix: &str, text: &str) -> Result<()> {
    writeln!(out, "{prefix}{text}")?;
    Ok(())
}

/// A modified block, word marks inline, each output line prefixed with `~ `.
fn write_marks(out: &mut dyn Write, words: &[Word], p: &Painter) -> Result<()> {
    let mut line = String::new();
    let flush = |line: &mut String, out: &mut dyn Write| -> Result<()> {
        write_line(out, "~ ", line.trim_end_matches('\r'))?;
        line.clear();
        Ok(())
    };
    for word in words {
        let text = word.text();
        let mut pieces = text.split('\n').peekable();
        while let Some(piece) = pieces.next() {
            if !piece.is_empty() {
                line.push_str(&match word {
                    Word::Equal(_) => p.plain(piece),
                    Word::Delete(_) => p.deleted(piece),
                    Word::Insert(_) => p.inserted(piece),
                });
            }
            if pieces.peek().is_some() {
                flush(&mut line, out)?;
            }
        }
    }
    if !line.is_empty() {
        flush(&mut line, out)?;
    }
    Ok(())
}

fn rows(table: &TableDiff, p: &Painter, out: &mut dyn Write) -> Result<()> {
    writeln!(out, "  key column {}", table.key)?;
    for name in &table.columns_added {
        writeln!(out, "  column {} added", p.inserted(name))?;
    }
    for name in &table.columns_removed {
        writeln!(out, "  column {} removed", p.deleted(name))?;
    }
    for (old, new) in &table.columns_renamed {
        writeln!(
            out,
            "  column {} renamed {}",
            p.deleted(old),
            p.inserted(new)
        )?;
    }
    for row in &table.rows {
        writeln!(out)?;
        writeln!(
            out,
            "{}",
            p.paint(&format!("@@ {} · {}", row.anchor, row_title(row)), HEADING)
        )?;
        write_row(row, p, out)?;
    }
    Ok(())
}

fn write_row(row: &RowChange, p: &Painter, out: &mut dyn Write) -> Result<()> {
    match row.kind {
        RowKind::Added => {
            for (column, value) in &row.values {
                writeln!(out, "+ {}: {}", p.plain(column), p.inserted(value))?;
            }
        }
        RowKind::Removed => {
            for (column, value) in &row.values {
                writeln!(out, "- {}: {}", p.plain(column), p.deleted(value))?;
            }
        }
        RowKind::Changed | RowKind::Moved => {
            for cell in &row.cells {
                writeln!(
                    out,
                    "~ {}: {} → {}",
                    p.plain(&cell.column),
                    p.deleted(&cell.old),
                    p.inserted(&cell.new)
                )?;
            }
        }
    }
    Ok(())
}
