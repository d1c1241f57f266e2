//! Meetings of the design authority and the actions they raise, as imported from
//! their headline reports.

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::date::{Date, Timestamp};

/// A meeting: `meetings/<id>.toml`, written once from its headline report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Meeting {
    pub id: String,
    /// The body that met, e.g. "MHHS Design Advisory Group (DAG)".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    #[schemars(with = "String", extend("format" = "date"))]
    pub date: Date,
    /// As the report gives it, e.g. "10:00-13:00".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub venue: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub classification: Option<String>,
    /// The headline report the meeting was imported from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report: Option<Report>,
    /// Decisions taken at (or, by post-meeting update, after) the meeting.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub decisions: Vec<String>,
    /// Actions the report lists: raised there or carried over from earlier meetings.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub actions: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<String>", extend("format" = "date"))]
    pub next_meeting: Option<Date>,
    pub recorded_by: String,
    #[schemars(with = "String", extend("format" = "date-time"))]
    pub recorded_at: Timestamp,
}

/// The report a meeting was imported from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Report {
    /// The file's name as imported (without its folder).
    pub file: String,
    /// SHA-256 of the report's text as imported, lower-case hex.
    #[schemars(regex(pattern = r"^[0-9a-f]{64}$"))]
    pub sha256: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<String>", extend("format" = "date"))]
    pub issued: Option<Date>,
}

/// When an action is due: a date, or a word the report uses instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Due {
    On(Date),
    /// "ASAP", kept as the report says it.
    Asap,
    /// "TBC": to be confirmed.
    Tbc,
}

impl Due {
    /// Reads `2023-08-09`, `ASAP` or `TBC`.
    pub fn parse(text: &str) -> Option<Due> {
        match text.trim().to_ascii_uppercase().as_str() {
            "ASAP" => Some(Due::Asap),
            "TBC" => Some(Due::Tbc),
            other => other.parse().ok().map(Due::On),
        }
    }

    pub fn date(self) -> Option<Date> {
        match self {
            Due::On(date) => Some(date),
            Due::Asap | Due::Tbc => None,
        }
    }
}

impl fmt::Display for Due {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Due::On(date) => write!(f, "{date}"),
            Due::Asap => f.write_str("ASAP"),
            Due::Tbc => f.write_str("TBC"),
        }
    }
}

impl Serialize for Due {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Due {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Due::parse(&text).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "`{text}` is not a due date: write YYYY-MM-DD, ASAP or TBC"
            ))
        })
    }
}

/// Whether an action is still to be done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ActionState {
    Open,
    Closed,
}

impl fmt::Display for ActionState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ActionState::Open => "open",
            ActionState::Closed => "closed",
        })
    }
}

/// An action: `actions/<id>.toml`. Its history only ever grows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Action {
    pub id: String,
    /// The meeting whose report it was first imported from.
    pub meeting: String,
    /// The report's area for it, e.g. "CR027 Impact Assessment".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub area: Option<String>,
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(
        with = "Option<String>",
        regex(pattern = r"^([0-9]{4}-[0-9]{2}-[0-9]{2}|ASAP|TBC)$")
    )]
    pub due: Option<Due>,
    /// The change requests it names.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<String>,
    pub recorded_by: String,
    /// Every step, oldest first; the last is the current state.
    pub history: Vec<ActionStep>,
}

/// One dated step of an action: opened, updated by a later report, or closed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionStep {
    pub state: ActionState,
    #[schemars(with = "String", extend("format" = "date"))]
    pub date: Date,
    /// The meeting whose report recorded this step, where one did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meeting: Option<String>,
    /// A new due date, where a later report moved it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(
        with = "Option<String>",
        regex(pattern = r"^([0-9]{4}-[0-9]{2}-[0-9]{2}|ASAP|TBC)$")
    )]
    pub due: Option<Due>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub recorded_by: String,
    #[schemars(with = "String", extend("format" = "date-time"))]
    pub recorded_at: Timestamp,
}

impl Action {
    pub fn state(&self) -> ActionState {
        self.history
            .last()
            .map_or(ActionState::Open, |step| step.state)
    }

    /// When it was due as meeting `meeting`'s report left it: the first due
    /// date and those the steps up to that meeting's last one set; none where
    /// that report neither raised it nor made a step of it.
    pub fn due_as_left_by(&self, meeting: &str) -> Option<Option<Due>> {
        let last = self
            .history
            .iter()
            .rposition(|step| step.meeting.as_deref() == Some(meeting));
        if last.is_none() && self.meeting != meeting {
            return None;
        }
        let steps = &self.history[..last.map_or(0, |n| n + 1)];
        Some(steps.iter().rev().find_map(|step| step.due).or(self.due))
    }

    /// When it is due now: the last due date a step set, or the first one.
    pub fn current_due(&self) -> Option<Due> {
        self.history
            .iter()
            .rev()
            .find_map(|step| step.due)
            .or(self.due)
    }

    /// Open, and due on a date before `today` ("ASAP" and "TBC" have no date to pass).
    pub fn is_overdue(&self, today: Date) -> bool {
        self.state() == ActionState::Open
            && self
                .current_due()
                .and_then(Due::date)
                .is_some_and(|due| due < today)
    }
}
