//! Shared output plumbing: the `--format` flag, JSON printing, styled text, tables.

use std::io::Write;

use serde::Serialize;

use crate::error::Result;
use crate::model::{ChangeState, Status};

use super::style;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A readable register for people.
    Human,
    /// A stable JSON document for other tools (see the README).
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

/// Writes `text` in `style`.
pub fn paint(text: impl std::fmt::Display, style: anstyle::Style) -> String {
    format!("{}{text}{}", style.render(), style.render_reset())
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
        let mut widths: Vec<usize> = self.header.iter().map(|h| h.chars().count()).collect();
        for row in &self.rows {
            for (i, (cell, _)) in row.iter().enumerate() {
                widths[i] = widths[i].max(cell.chars().count());
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
                        widths[i] - cell.chars().count() + 2
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

/// A cell without style.
pub fn cell(text: impl Into<String>) -> (String, anstyle::Style) {
    (text.into(), anstyle::Style::new())
}

/// Shortens text to `max` characters for a table cell.
pub fn clip(text: &str, max: usize) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= max {
        one_line
    } else {
        one_line
            .chars()
            .take(max.saturating_sub(1))
            .collect::<String>()
            + "…"
    }
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

/// Shows notices on standard error, each as `note: …`, apart from the output.
pub fn print_notices(notices: &[String]) {
    let mut stderr = anstream::stderr();
    for notice in notices {
        let _ = writeln!(stderr, "note: {notice}");
    }
}
