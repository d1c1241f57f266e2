//! The records a design repository holds, one TOML file each.

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::date::{Date, Timestamp};
use super::version::VersionNumber;

/// A registered design artefact: `artefacts/<id>/artefact.toml`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Artefact {
    pub id: String,
    pub title: String,
    /// What sort of artefact it is, in the programme's own words ("document", "table", "policy").
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// The working content's file name, inside `artefacts/<id>/`.
    pub file: String,
    pub format: Format,
    /// For tables: the column whose value identifies a row (e.g. "D-Flow").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    #[schemars(with = "String", extend("format" = "date"))]
    pub registered: Date,
    pub registered_by: String,
}

/// The content formats the tool reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Md,
    Txt,
    Csv,
    Tsv,
    Yaml,
    Json,
    /// A Word document.
    Docx,
    /// An Excel workbook.
    Xlsx,
    /// An Excel workbook with macros.
    Xlsm,
    /// An OpenDocument spreadsheet.
    Ods,
    Pdf,
}

impl Format {
    pub const EXTENSIONS: &'static str =
        ".md, .markdown, .txt, .csv, .tsv, .yaml, .yml, .json, .docx, .xlsx, .xlsm, .ods, .pdf";

    pub fn from_extension(extension: &str) -> Option<Format> {
        match extension.to_ascii_lowercase().as_str() {
            "md" | "markdown" => Some(Format::Md),
            "txt" | "text" => Some(Format::Txt),
            "csv" => Some(Format::Csv),
            "tsv" | "tab" => Some(Format::Tsv),
            "yaml" | "yml" => Some(Format::Yaml),
            "json" => Some(Format::Json),
            "docx" => Some(Format::Docx),
            "xlsx" => Some(Format::Xlsx),
            "xlsm" => Some(Format::Xlsm),
            "ods" => Some(Format::Ods),
            "pdf" => Some(Format::Pdf),
            _ => None,
        }
    }

    pub fn is_table(self) -> bool {
        matches!(self, Format::Csv | Format::Tsv)
    }

    /// Whether the format is a spreadsheet workbook.
    pub fn is_workbook(self) -> bool {
        matches!(self, Format::Xlsx | Format::Xlsm | Format::Ods)
    }

    /// Whether the format is text (UTF-8), rather than a binary package.
    pub fn is_text(self) -> bool {
        matches!(
            self,
            Format::Md | Format::Txt | Format::Csv | Format::Tsv | Format::Yaml | Format::Json
        )
    }

    /// The kind an artefact of this format is given when none is named.
    pub fn default_kind(self) -> &'static str {
        if self.is_table() {
            "table"
        } else if self.is_workbook() {
            "workbook"
        } else {
            "document"
        }
    }

    /// What people call a file of this format.
    pub fn name(self) -> &'static str {
        match self {
            Format::Md => "Markdown document",
            Format::Txt => "text document",
            Format::Csv => "CSV table",
            Format::Tsv => "TSV table",
            Format::Yaml => "YAML file",
            Format::Json => "JSON file",
            Format::Docx => "Word document",
            Format::Xlsx => "Excel workbook",
            Format::Xlsm => "Excel workbook with macros",
            Format::Ods => "OpenDocument spreadsheet",
            Format::Pdf => "PDF document",
        }
    }

    /// Its name with "a" or "an" before it.
    pub fn a_name(self) -> String {
        let name = self.name();
        let article = match name.as_bytes().first() {
            Some(b'A' | b'E' | b'I' | b'O' | b'U' | b'a' | b'e' | b'i' | b'o' | b'u') => "an",
            _ => "a",
        };
        format!("{article} {name}")
    }
}

/// Where a version stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Draft,
    Baselined,
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Status::Draft => "draft",
            Status::Baselined => "baselined",
        })
    }
}

/// One recorded version: `artefacts/<id>/versions/<version>.toml`, written once.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct VersionRecord {
    pub artefact: String,
    pub version: VersionNumber,
    pub status: Status,
    /// The business date of the version (for a baseline, the date it was baselined).
    #[schemars(with = "String", extend("format" = "date"))]
    pub date: Date,
    /// Who recorded it, from git's user.name and user.email.
    pub recorded_by: String,
    /// When it was recorded, in UTC.
    #[schemars(with = "String", extend("format" = "date-time"))]
    pub recorded_at: Timestamp,
    /// SHA-256 of the exact bytes, lower-case hex.
    #[schemars(regex(pattern = r"^[0-9a-f]{64}$"))]
    pub sha256: String,
    /// The git blob id of the content.
    #[schemars(regex(pattern = r"^[0-9a-f]{40}$"))]
    pub blob: String,
    pub file: String,
    pub size: u64,
    /// For a baseline: the draft it promotes, byte for byte.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub promotes: Option<VersionNumber>,
    /// For a baseline adopted from the programme's existing register (`import
    /// register`): where it was read from. Such a baseline promotes no draft,
    /// and only an artefact's first version may be one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adopted: Option<Box<Adoption>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub decisions: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Where an adopted baseline came from: the row of the programme's own register
/// that gave its id, title and version number, and the file it named.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Adoption {
    /// The register's file name, as it was read.
    pub register: String,
    /// SHA-256 of the register's exact bytes, lower-case hex.
    #[schemars(regex(pattern = r"^[0-9a-f]{64}$"))]
    pub register_sha256: String,
    /// For a workbook: the sheet the row is on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    /// The row, numbered as the spreadsheet shows it (the header is row 1).
    pub row: usize,
    /// The content file's name as the register gave it, e.g.
    /// "DES138 Interface Catalogue v5.6.1.xlsx".
    pub source_file: String,
}

impl VersionRecord {
    /// The message of a baseline's annotated tag: what was baselined, on which
    /// decisions and changes, and the exact content it names.
    pub fn tag_message(&self, title: &str) -> String {
        let mut text = format!(
            "{} v{} baselined: {title}\n\nDecisions: {}\n",
            self.artefact,
            self.version,
            self.decisions.join(", ")
        );
        if !self.changes.is_empty() {
            text.push_str(&format!("Changes: {}\n", self.changes.join(", ")));
        }
        text.push_str(&format!(
            "Date: {}\nPromotes: {}\n",
            self.date,
            self.promotes
                .as_ref()
                .map(|v| v.to_string())
                .unwrap_or_default(),
        ));
        if let Some(adopted) = &self.adopted {
            text.push_str(&format!(
                "Adopted: {} row {} ({})\n",
                adopted.register, adopted.row, adopted.source_file
            ));
        }
        text.push_str(&format!(
            "Sha256: {}\nBlob: {}\nFile: {}\n",
            self.sha256, self.blob, self.file
        ));
        text
    }
}

/// What a decision decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    Approved,
    Rejected,
    Deferred,
    Noted,
}

impl Outcome {
    /// The word records and the command line use for it.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Approved => "approved",
            Outcome::Rejected => "rejected",
            Outcome::Deferred => "deferred",
            Outcome::Noted => "noted",
        }
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A decision of the design authority: `decisions/<id>.toml`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Decision {
    pub id: String,
    #[schemars(with = "String", extend("format" = "date"))]
    pub date: Date,
    pub outcome: Outcome,
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meeting: Option<String>,
    /// The report's area for it, e.g. "DIP Design Documents".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub area: Option<String>,
    /// Who took it ("SRO", "DAG", "Chair").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authority: Option<String>,
    /// The artefacts it approves; when present, a baseline citing it must be one of them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub artefacts: Vec<String>,
    /// The change requests it decides.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<String>,
    pub recorded_by: String,
    #[schemars(with = "String", extend("format" = "date-time"))]
    pub recorded_at: Timestamp,
}

/// A change request or design issue notice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    /// A change request.
    Cr,
    /// A design issue notice.
    Din,
}

impl fmt::Display for ChangeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ChangeKind::Cr => "CR",
            ChangeKind::Din => "DIN",
        })
    }
}

/// The lifecycle of a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeState {
    Raised,
    ImpactAssessment,
    Approved,
    Rejected,
    Withdrawn,
    Deferred,
}

impl ChangeState {
    pub fn is_closed(self) -> bool {
        matches!(
            self,
            ChangeState::Approved | ChangeState::Rejected | ChangeState::Withdrawn
        )
    }
}

impl ChangeState {
    /// The word records and the command line use for it.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeState::Raised => "raised",
            ChangeState::ImpactAssessment => "impact-assessment",
            ChangeState::Approved => "approved",
            ChangeState::Rejected => "rejected",
            ChangeState::Withdrawn => "withdrawn",
            ChangeState::Deferred => "deferred",
        }
    }
}

impl fmt::Display for ChangeState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A change request: `changes/<id>.toml`. Its history only ever grows.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Change {
    pub id: String,
    pub kind: ChangeKind,
    pub title: String,
    /// The artefacts it changes.
    pub affects: Vec<String>,
    /// Changes that cannot both be approved with this one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub excludes: Vec<String>,
    pub recorded_by: String,
    /// Every lifecycle step, oldest first; the last is the current state.
    pub history: Vec<ChangeStep>,
}

/// One dated step in a change's lifecycle.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangeStep {
    pub state: ChangeState,
    #[schemars(with = "String", extend("format" = "date"))]
    pub date: Date,
    /// The decision that made this step, where one did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<String>,
    /// The release it is scheduled for (e.g. "IR3").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub release: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub recorded_by: String,
    #[schemars(with = "String", extend("format" = "date-time"))]
    pub recorded_at: Timestamp,
}

impl Change {
    pub fn state(&self) -> ChangeState {
        self.history
            .last()
            .map_or(ChangeState::Raised, |step| step.state)
    }

    /// The step that approved it, if it is approved.
    pub fn approval(&self) -> Option<&ChangeStep> {
        self.history
            .iter()
            .rev()
            .find(|step| step.state == ChangeState::Approved)
    }

    pub fn affects_artefact(&self, artefact: &str) -> bool {
        self.affects.iter().any(|a| a == artefact)
    }
}
