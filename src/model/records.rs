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
    /// For a signed baseline (`approve --sign`): the approver whose key signed
    /// its tag, as the `approvers` file named them when it was made.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signed_by: Option<Box<Signer>>,
}

/// Who signed a baseline's tag, and in what role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Signer {
    /// The approver's name in the `approvers` file.
    pub name: String,
    /// The approver's role there, e.g. `dag-chair`.
    pub role: String,
    /// The signing key's fingerprint: for an SSH key `SHA256:…`, as
    /// `ssh-keygen -l` prints it; for an OpenPGP key the primary key's 40 hex
    /// digits, as gpg prints them.
    pub key: String,
}

impl Signer {
    /// "alice@example.org (dag-chair, key SHA256:…)", as registers list it.
    pub fn described(&self) -> String {
        format!("{} ({}, key {})", self.name, self.role, self.key)
    }
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
        if let Some(signer) = &self.signed_by {
            text.push_str(&format!(
                "\n{}; signed by {} as {} with key {}.\n",
                self.meaning(),
                signer.name,
                signer.role,
                signer.key
            ));
        }
        text
    }

    /// What a baseline's signature means, in words: "Baselined DES196 v2.0
    /// under DAG-DEC57 and CR027, sha256 …".
    pub fn meaning(&self) -> String {
        let cited: Vec<&str> = self
            .decisions
            .iter()
            .chain(&self.changes)
            .map(String::as_str)
            .collect();
        let under = match cited.as_slice() {
            [] => String::new(),
            [one] => format!(" under {one}"),
            [rest @ .., last] => format!(" under {} and {last}", rest.join(", ")),
        };
        format!(
            "Baselined {} v{}{under} on {}, sha256 {}",
            self.artefact, self.version, self.date, self.sha256
        )
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
    /// Change requests it names without deciding them: a baseline that
    /// incorporates a change's work, a change noted, or more assessment asked for.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub relates_to: Vec<Relation>,
    /// How the members voted, where the report says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub votes: Option<Votes>,
    pub recorded_by: String,
    #[schemars(with = "String", extend("format" = "date-time"))]
    pub recorded_at: Timestamp,
    /// Not in the file: the corrections recorded since, oldest first (each its
    /// own record, `corrections/<id>/<n>.toml`). As read, `text`, `artefacts`
    /// and `changes` above are as the latest correction left them.
    #[serde(skip_deserializing, skip_serializing_if = "Vec::is_empty")]
    pub corrections: Vec<Correction>,
}

impl Decision {
    /// The decision with `corrections` applied in order: what it says now.
    pub fn corrected(mut self, corrections: Vec<Correction>) -> Decision {
        for correction in &corrections {
            if let Some(text) = &correction.text {
                self.text.clone_from(text);
            }
            if let Some(artefacts) = &correction.artefacts {
                self.artefacts.clone_from(artefacts);
            }
            if let Some(changes) = &correction.changes {
                self.changes.clone_from(changes);
            }
        }
        self.corrections = corrections;
        self
    }

    /// The decision with one more correction applied.
    pub fn corrected_by(self, correction: Correction) -> Decision {
        // Corrections replace whole fields, so applying them all again on
        // the corrected decision gives what applying them to its record would.
        let mut corrections = self.corrections.clone();
        corrections.push(correction);
        self.corrected(corrections)
    }

    /// Whether it approves baselines of `artefact`: it lists no artefacts, or
    /// lists this one.
    pub fn covers(&self, artefact: &str) -> bool {
        self.artefacts.is_empty() || self.artefacts.iter().any(|a| a == artefact)
    }

    /// The decision that superseded it, if one did.
    pub fn superseded_by(&self) -> Option<&str> {
        self.corrections
            .iter()
            .rev()
            .find_map(|c| c.superseded_by.as_deref())
    }
}

/// A change a decision names without deciding it, and how it relates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Relation {
    pub change: String,
    pub relation: Relationship,
}

/// How a decision relates to a change it does not decide.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Relationship {
    /// It approves a baseline that incorporates the change's work.
    Incorporates,
    /// It notes the change (a design issue notice, say).
    Notes,
    /// It asks for more analysis of the change, short of a formal impact assessment.
    AsksForAssessment,
    /// It names the change, and its words say no more.
    Mentions,
}

impl Relationship {
    pub fn as_str(self) -> &'static str {
        match self {
            Relationship::Incorporates => "incorporates",
            Relationship::Notes => "notes",
            Relationship::AsksForAssessment => "asks-for-assessment",
            Relationship::Mentions => "mentions",
        }
    }
}

impl fmt::Display for Relationship {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The members' votes on a decision, as the report counts them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Votes {
    pub approve: u32,
    pub reject: u32,
    #[serde(default)]
    pub abstain: u32,
    /// Members not in attendance.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub absent: u32,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

impl fmt::Display for Votes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} to approve, {} to reject, {} abstained",
            self.approve, self.reject, self.abstain
        )?;
        if self.absent > 0 {
            write!(f, ", {} not in attendance", self.absent)?;
        }
        Ok(())
    }
}

/// A correction of a decision: `corrections/<decision>/<n>.toml`, written once.
/// The decision's own record is never edited; what a correction names replaces
/// what the decision (or an earlier correction) said.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Correction {
    /// The decision it corrects.
    pub decision: String,
    /// Its place among the decision's corrections: 1, 2, …
    pub number: u32,
    /// The business date of the correction.
    #[schemars(with = "String", extend("format" = "date"))]
    pub date: Date,
    /// Why it was corrected.
    pub reason: String,
    /// The decision's text from now on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// The artefacts it approves from now on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub artefacts: Option<Vec<String>>,
    /// The change requests it decides from now on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub changes: Option<Vec<String>>,
    /// The decision that supersedes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub superseded_by: Option<String>,
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
    /// The title it was raised with; [`Change::title`] is the one in force.
    #[serde(rename = "title")]
    pub title_as_raised: String,
    /// The artefacts it was raised against; [`Change::affects`] are those in force.
    #[serde(rename = "affects")]
    pub affects_as_raised: Vec<String>,
    /// Changes that cannot both be approved with this one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub excludes: Vec<String>,
    pub recorded_by: String,
    /// Every lifecycle step, oldest first; the last is the current state.
    pub history: Vec<ChangeStep>,
    /// Corrections of its title or affected artefacts, oldest first; like the
    /// history, this list only grows.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub amendments: Vec<Amendment>,
}

/// A correction of a change's title or affected artefacts, appended to it.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Amendment {
    /// The title from now on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The artefacts it affects from now on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub affects: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[schemars(with = "String", extend("format" = "date"))]
    pub date: Date,
    pub recorded_by: String,
    #[schemars(with = "String", extend("format" = "date-time"))]
    pub recorded_at: Timestamp,
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

    /// Its title: the latest amendment's, or the one it was raised with.
    pub fn title(&self) -> &str {
        self.amendments
            .iter()
            .rev()
            .find_map(|a| a.title.as_deref())
            .unwrap_or(&self.title_as_raised)
    }

    /// The artefacts it affects: the latest amendment's, or those it was raised against.
    pub fn affects(&self) -> &[String] {
        self.amendments
            .iter()
            .rev()
            .find_map(|a| a.affects.as_deref())
            .unwrap_or(&self.affects_as_raised)
    }

    pub fn affects_artefact(&self, artefact: &str) -> bool {
        self.affects().iter().any(|a| a == artefact)
    }
}
