//! Reading a meeting's headline report (text from its PDF, as `pdftotext` gives
//! it): the meeting, its decisions and actions, and the change requests they name.
//! Parsing is pure: [`parse`] turns text into a [`Report`]; [`plan`] compares it
//! with the repository and [`apply`] records it in one transaction.

mod actions;
mod decisions;
mod discussion;
mod header;
pub mod infer;
mod lines;
pub mod plan;
pub mod register;

use serde::Serialize;

use crate::error::{Error, Result};
use crate::model::config::ImportPatterns;
use crate::model::{ChangeState, Date, Due, Outcome, Relationship, Votes};

pub use plan::{Plan, apply, plan};

/// What the parser could not place, and where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    /// 1-based line of the report, where there is one.
    pub line: Option<usize>,
    pub message: String,
}

impl Warning {
    pub fn at(line: usize, message: impl Into<String>) -> Self {
        Warning {
            line: Some(line),
            message: message.into(),
        }
    }

    pub fn general(message: impl Into<String>) -> Self {
        Warning {
            line: None,
            message: message.into(),
        }
    }
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(line) => write!(f, "line {line}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

/// The meeting as its report's heading gives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MeetingInfo {
    pub id: String,
    pub body: Option<String>,
    pub date: Date,
    pub time: Option<String>,
    pub venue: Option<String>,
    pub classification: Option<String>,
    pub issued: Option<Date>,
    pub next_meeting: Option<Date>,
}

/// A decision as the report states it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportedDecision {
    pub id: String,
    pub line: usize,
    pub area: Option<String>,
    /// The text in the decisions table, joined across lines and pages.
    pub text: String,
    /// Where each line of the report starts in `text`: (byte offset, line).
    #[serde(skip)]
    pub text_lines: Vec<(usize, usize)>,
    /// A post-meeting update that settles it, where the report has one.
    pub post_meeting: Option<PostMeeting>,
    pub outcome: Outcome,
    pub authority: Option<String>,
    /// Change requests named in its area or text.
    pub named_changes: Vec<String>,
    /// The lifecycle steps it makes, as (change, state).
    pub steps: Vec<(String, ChangeState)>,
    /// The changes it names without deciding them.
    pub relates_to: Vec<(String, Relationship)>,
    pub votes: Option<Votes>,
    /// Its own date, where it was taken by correspondence on a date the report gives.
    pub decided_on: Option<Date>,
    /// Its sentences that say nothing the importer can read: kept in its text,
    /// and listed.
    pub not_understood: Vec<NotUnderstood>,
}

/// A sentence of a decision that the importer could not classify.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NotUnderstood {
    pub decision: String,
    pub line: usize,
    pub sentence: String,
}

impl ReportedDecision {
    /// The decision's full text: the table's, then any post-meeting update.
    pub fn full_text(&self) -> String {
        match &self.post_meeting {
            Some(update) => format!(
                "{}. Post-meeting update: {}",
                self.text.trim_end_matches('.'),
                update.text
            ),
            None => self.text.clone(),
        }
    }
}

/// A "POST MEETING UPDATE" that settles a decision after the meeting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PostMeeting {
    pub line: usize,
    pub text: String,
    /// Who settled it, e.g. "DAG Chair".
    pub by: Option<String>,
}

/// An action as the report lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportedAction {
    pub id: String,
    pub line: usize,
    pub area: Option<String>,
    pub text: String,
    pub owner: Option<String>,
    pub due: Option<Due>,
    /// What the discussion says of it ("Actions retained as ongoing …").
    pub note: Option<String>,
    /// The discussion reports it closed.
    pub closed: bool,
    /// A new due date the discussion gives it.
    pub moved_to: Option<Due>,
    pub named_changes: Vec<String>,
}

/// What the discussion says of an action the actions table does not list
/// (closed actions drop out of the table): a note, closed, or a new due date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ActionUpdate {
    pub id: String,
    pub line: usize,
    pub note: String,
    pub closed: bool,
    pub moved_to: Option<Due>,
}

/// Everything a report says that `baseline` records.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub meeting: MeetingInfo,
    pub decisions: Vec<ReportedDecision>,
    pub actions: Vec<ReportedAction>,
    /// Notes on actions the table does not list.
    pub action_updates: Vec<ActionUpdate>,
    pub warnings: Vec<Warning>,
}

/// The id patterns of `[import]`, compiled: whole-word matchers.
pub struct Patterns {
    /// The patterns as written, for messages.
    pub sources: ImportPatterns,
    pub decision: regex::Regex,
    pub action: regex::Regex,
    pub change: regex::Regex,
    pub meeting: regex::Regex,
    pub footer: regex::Regex,
}

impl Patterns {
    pub fn new(config: &ImportPatterns) -> Result<Self> {
        let compile = |name: &str, source: &str| {
            regex::Regex::new(&format!(r"\b(?:{source})\b")).map_err(|err| {
                Error::refused(
                    format!("baseline.toml: the [import] {name} pattern `{source}` is not a valid regular expression: {err}"),
                    "fix the pattern under [import] in baseline.toml",
                )
            })
        };
        Ok(Patterns {
            sources: config.clone(),
            decision: compile("decision", &config.decision)?,
            action: compile("action", &config.action)?,
            change: compile("change", &config.change)?,
            meeting: compile("meeting", &config.meeting)?,
            footer: compile("footer", &config.footer)?,
        })
    }

    /// Whether `word` is wholly an id of `pattern`'s kind.
    pub fn is_whole(pattern: &regex::Regex, word: &str) -> bool {
        pattern
            .find(word)
            .is_some_and(|m| m.start() == 0 && m.end() == word.len())
    }

    /// The change ids named in `text`, in order, each once.
    pub fn changes_in(&self, text: &str) -> Vec<String> {
        let mut found: Vec<String> = Vec::new();
        for m in self.change.find_iter(text) {
            if !found.iter().any(|f| f == m.as_str()) {
                found.push(m.as_str().to_string());
            }
        }
        found
    }
}

/// Reads a headline report. Refuses text that is not one (binary, empty, or
/// without a meeting number and a decisions or actions section); what it cannot
/// place inside a report becomes a warning with its line number.
pub fn parse(bytes: &[u8], patterns: &Patterns) -> Result<Report> {
    let text = as_text(bytes)?;
    let sections = lines::sections(lines::content_lines(text, &patterns.footer));
    if sections.actions.is_none() && sections.decisions.is_none() {
        return Err(not_a_report(
            "it has neither a \"Decisions\" nor an \"Actions\" section",
        ));
    }
    let mut warnings = Vec::new();
    let mut action_updates = Vec::new();
    let mut meeting = header::parse(&sections.header, patterns)?;
    let mut actions = match &sections.actions {
        Some(lines) => actions::parse(lines, patterns, &mut warnings),
        None => {
            warnings.push(Warning::general(
                "the report has no \"Actions\" section: no actions imported",
            ));
            Vec::new()
        }
    };
    let mut decisions = match &sections.decisions {
        Some(lines) => {
            let areas = decisions::KnownAreas::from_discussion(
                sections.discussion.as_deref().unwrap_or_default(),
            );
            decisions::parse(lines, &areas, patterns, &mut warnings)
        }
        None => {
            warnings.push(Warning::general(
                "the report has no \"Decisions\" section: no decisions imported",
            ));
            Vec::new()
        }
    };
    match &sections.discussion {
        Some(lines) => discussion::read(
            lines,
            patterns,
            &mut discussion::Found {
                meeting: &mut meeting,
                decisions: &mut decisions,
                actions: &mut actions,
                action_updates: &mut action_updates,
                warnings: &mut warnings,
            },
        ),
        None => warnings.push(Warning::general(
            "the report has no \"Key Discussion Items\" section: post-meeting updates and notes on actions cannot be read",
        )),
    }
    for decision in &mut decisions {
        let latest = meeting.issued.unwrap_or(meeting.date);
        infer::complete(decision, patterns, latest, &mut warnings);
    }
    Ok(Report {
        meeting,
        decisions,
        actions,
        action_updates,
        warnings,
    })
}

fn as_text(bytes: &[u8]) -> Result<&str> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(not_a_report("it is empty"));
    }
    match std::str::from_utf8(bytes) {
        Ok(text) if !text.contains('\0') => Ok(text.trim_start_matches('\u{feff}')),
        _ => Err(not_a_report(
            "it is not UTF-8 text (a PDF or other binary file?)",
        )),
    }
}

fn not_a_report(why: &str) -> Error {
    Error::refused(
        format!("this is not a headline report: {why}"),
        "give the report's text, e.g. from `pdftotext report.pdf report.txt`",
    )
}
