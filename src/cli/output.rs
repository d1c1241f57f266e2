//! Shared output plumbing: the `--format` flag, JSON printing, styled text, tables.

use std::io::{IsTerminal, Write};

use serde::Serialize;
use unicode_width::UnicodeWidthStr;

use crate::error::Result;
use crate::model::{ChangeState, Status};

use super::style;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A readable register for people.
    Human,
    /// A stable JSON document for other tools (its shapes: docs/json-output.md).
    Json,
}

#[derive(Debug, clap::Args)]
pub struct FormatArg {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

/// Where command output goes; styles are stripped when it is not a terminal.
pub fn stdout() -> anstream::AutoStream<std::io::Stdout> {
    anstream::stdout()
}

pub fn print_json<T: Serialize + ?Sized>(value: &T) -> Result<()> {
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, value).map_err(std::io::Error::from)?;
    writeln!(out)?;
    Ok(())
}

/// Writes `text` in `style` (its control characters shown, as [`shown`] does).
pub fn paint(text: impl std::fmt::Display, style: anstyle::Style) -> String {
    let text = text.to_string();
    format!("{}{}{}", style.render(), shown(&text), style.render_reset())
}

/// Text from a record or from git (a title, a decision's text, an author's
/// name) as it may reach a terminal: control characters (an escape sequence
/// could restyle, move or rewrite the screen; a carriage return overwrite the
/// line) and the bidirectional overrides that reorder what is read are shown
/// as their code points, `<U+1B>`, `<U+202E>`; tabs are kept.
pub fn shown(text: &str) -> std::borrow::Cow<'_, str> {
    let hidden = |c: char| (c.is_control() && c != '\t') || crate::model::is_bidi_control(c);
    if !text.chars().any(hidden) {
        return std::borrow::Cow::Borrowed(text);
    }
    text.chars()
        .map(|c| {
            if hidden(c) {
                format!("<U+{:X}>", u32::from(c))
            } else {
                c.to_string()
            }
        })
        .collect::<String>()
        .into()
}

/// Several lines of such text (an error naming what it read: a file's name,
/// a manifest's field) shown as [`shown`] shows one, its line breaks kept.
pub fn shown_lines(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains('\n') {
        return shown(text);
    }
    text.split('\n')
        .map(shown)
        .collect::<Vec<_>>()
        .join("\n")
        .into()
}

pub fn status_style(status: Status) -> anstyle::Style {
    match status {
        Status::Baselined => style::BASELINED,
        Status::Draft => style::DRAFT,
    }
}

pub fn state_style(state: ChangeState) -> anstyle::Style {
    match state {
        ChangeState::Approved => style::BASELINED,
        ChangeState::Rejected | ChangeState::Withdrawn => style::BAD,
        _ => style::DRAFT,
    }
}

/// A plain-text table with a bold header row; cells may carry styles.
pub struct Table {
    header: Vec<&'static str>,
    rows: Vec<Vec<(String, anstyle::Style)>>,
}

impl Table {
    pub fn new(header: Vec<&'static str>) -> Self {
        Self {
            header,
            rows: Vec::new(),
        }
    }

    pub fn row(&mut self, cells: Vec<(String, anstyle::Style)>) {
        self.rows.push(cells);
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    pub fn print(&self, out: &mut (impl Write + ?Sized)) -> Result<()> {
        let mut widths: Vec<usize> = self.header.iter().map(|h| width(h)).collect();
        for row in &self.rows {
            for (i, (cell, _)) in row.iter().enumerate() {
                widths[i] = widths[i].max(width(cell));
            }
        }
        let last = self.header.len() - 1;
        let line = |cells: Vec<(String, anstyle::Style)>| {
            cells
                .into_iter()
                .enumerate()
                .map(|(i, (cell, style))| {
                    let pad = if i == last {
                        0
                    } else {
                        widths[i] - width(&cell) + 2
                    };
                    format!("{}{}", paint(&cell, style), " ".repeat(pad))
                })
                .collect::<String>()
        };
        let header = self
            .header
            .iter()
            .map(|h| (h.to_string(), style::HEADING))
            .collect();
        writeln!(out, "{}", line(header).trim_end())?;
        for row in &self.rows {
            writeln!(out, "{}", line(row.clone()).trim_end())?;
        }
        Ok(())
    }
}

/// The columns `text` takes on a terminal: two for a CJK character or an emoji,
/// none for a combining mark. Every column the CLI lines up is measured by this.
pub fn width(text: &str) -> usize {
    text.width()
}

/// `text` followed by spaces to fill `columns` terminal columns (no spaces when
/// it is as wide or wider).
pub fn pad(text: &str, columns: usize) -> String {
    format!("{text}{}", " ".repeat(columns.saturating_sub(width(text))))
}

/// A cell without style.
pub fn cell(text: impl Into<String>) -> (String, anstyle::Style) {
    (shown(&text.into()).into_owned(), anstyle::Style::new())
}

/// Puts text on one line and shortens it to `max` terminal columns, ending
/// with "…" where it was cut (never inside a character or before its marks).
pub fn clip(text: &str, max: usize) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let one_line = shown(&one_line).into_owned();
    if width(&one_line) <= max {
        return one_line;
    }
    let room = max.saturating_sub(width("…"));
    let mut end = 0;
    for (at, c) in one_line.char_indices() {
        let next = at + c.len_utf8();
        if width(&one_line[..next]) > room {
            break;
        }
        end = next;
    }
    format!("{}…", &one_line[..end])
}

pub fn short_sha(sha: &str) -> &str {
    sha.get(..12).unwrap_or(sha)
}

pub fn or_dash(items: &[String]) -> String {
    if items.is_empty() {
        "—".to_string()
    } else {
        items.join(", ")
    }
}

/// Shows notices on standard error, each as `note: …`, apart from the output
/// (what they quote shown as [`shown_lines`] shows it).
pub fn print_notices(notices: &[String]) {
    let mut stderr = anstream::stderr();
    for notice in notices {
        let _ = writeln!(stderr, "note: {}", shown_lines(notice));
    }
}

/// A progress bar on standard error when it is a terminal (none otherwise),
/// told how many of how many steps are done.
pub struct Progress(Option<indicatif::ProgressBar>);

impl Progress {
    /// Drawn from `template` (indicatif's, e.g. "verifying {bar:30}
    /// {pos}/{len} commits").
    pub fn new(template: &str) -> Self {
        if !std::io::stderr().is_terminal() {
            return Progress(None);
        }
        let bar = indicatif::ProgressBar::new(0);
        bar.set_style(
            indicatif::ProgressStyle::with_template(template)
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        Progress(Some(bar))
    }

    pub fn set(&self, done: usize, total: usize) {
        if let Some(bar) = &self.0 {
            bar.set_length(total as u64);
            bar.set_position(done as u64);
        }
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{clip, pad, shown_lines, width};

    #[test]
    fn lines_keep_their_breaks_and_show_other_control_characters() {
        assert_eq!(
            shown_lines("first\tline\nsecond\u{1b}[2J\r\u{202e}"),
            "first\tline\nsecond<U+1B>[2J<U+D><U+202E>"
        );
    }

    #[test]
    fn widths_count_terminal_columns() {
        assert_eq!(width("設計書 Interface Catalogue"), 26);
        assert_eq!(width("Cafe\u{301}"), 4);
        assert_eq!(width("📐"), 2);
        assert_eq!(pad("設計書", 8), "設計書  ");
        assert_eq!(pad("too wide", 3), "too wide");
    }

    #[test]
    fn clipping_never_splits_a_character_or_its_marks() {
        assert_eq!(clip("設計書 Interface", 40), "設計書 Interface");
        // 9 columns of room before the "…": four ideographs, not four and a half.
        assert_eq!(clip("設計書設計書", 10), "設計書設…");
        assert_eq!(clip("Cafe\u{301} menu", 6), "Cafe\u{301} …");
        assert_eq!(clip("a  b\nc", 10), "a b c");
        assert!(width(&clip(&"設".repeat(30), 40)) <= 40);
    }
}
